/*
 * SPDX license expressions: the generated id and exception lists, the parser and the writer.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "license_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

int lic_eq(const char *s, size_t len, const char *t)
{
    return strlen(t) == len && !strncasecmp(s, t, len);
}

/* strcasecmp of s[0..len) against t, as the generator sorted (lower-cased ASCII bytes) */
static int cmp_ci(const char *s, size_t len, const char *t)
{
    size_t i = 0;

    for (; i < len && t[i]; i++) {
        int a = tolower((unsigned char)s[i]), b = tolower((unsigned char)t[i]);

        if (a != b)
            return a - b;
    }
    if (i < len)
        return 1;
    return t[i] ? -1 : 0;
}

const struct lic_id *lic_find_id(const char *id, size_t len)
{
    size_t lo = 0, hi = lic_nids;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_ci(id, len, lic_ids[mid].id);

        if (!c)
            return &lic_ids[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const struct lic_exception *lic_find_exception(const char *id, size_t len)
{
    size_t lo = 0, hi = lic_nexceptions;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_ci(id, len, lic_exceptions[mid].id);

        if (!c)
            return &lic_exceptions[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

int fth_license_is_id(const char *id)
{
    return id && lic_find_id(id, strlen(id)) != NULL;
}

int fth_license_is_exception(const char *id)
{
    return id && lic_find_exception(id, strlen(id)) != NULL;
}

const char *fth_license_name(const char *id)
{
    const struct lic_id *e = id ? lic_find_id(id, strlen(id)) : NULL;

    return e ? e->name : NULL;
}

/*
 * Deprecated ids whose replacement is not "<id>-only": the SPDX list's own advice for each.
 * The GNU families' "X" and "X+" are handled by rule in lic_current.
 */
static const char *const replaced[][2] = {
    {"BSD-2-Clause-FreeBSD", "BSD-2-Clause"},
    {"BSD-2-Clause-NetBSD", "BSD-2-Clause"},
    {"bzip2-1.0.5", "bzip2-1.0.6"},
    {"eCos-2.0", "GPL-2.0-or-later WITH eCos-exception-2.0"},
    {"GPL-2.0-with-autoconf-exception", "GPL-2.0-only WITH Autoconf-exception-2.0"},
    {"GPL-2.0-with-bison-exception", "GPL-2.0-or-later WITH Bison-exception-2.2"},
    {"GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0"},
    {"GPL-2.0-with-font-exception", "GPL-2.0-only WITH Font-exception-2.0"},
    {"GPL-2.0-with-GCC-exception", "GPL-2.0-only WITH GCC-exception-2.0"},
    {"GPL-3.0-with-autoconf-exception", "GPL-3.0-only WITH Autoconf-exception-3.0"},
    {"GPL-3.0-with-GCC-exception", "GPL-3.0-only WITH GCC-exception-3.1"},
    {"Nunit", "zlib-acknowledgement"},
    {"StandardML-NJ", "SMLNJ"},
    {"wxWindows", "LGPL-2.0-or-later WITH WxWindows-exception-3.1"},
};

/* The GNU families whose bare version means "-only" and '+' means "-or-later". */
static const char *const gnu[] = {"GPL-1.0",  "GPL-2.0",  "GPL-3.0",  "LGPL-2.0",
                                  "LGPL-2.1", "LGPL-3.0", "AGPL-1.0", "AGPL-3.0",
                                  "GFDL-1.1", "GFDL-1.2", "GFDL-1.3"};

const char *lic_current(struct fth_arena *a, const char *id, int plus, int *compound)
{
    size_t n = strlen(id);

    *compound = 0;
    if (n > 1 && id[n - 1] == '+') {
        plus = 1;
        n--;
    }
    for (size_t i = 0; i < sizeof(gnu) / sizeof(*gnu); i++)
        if (lic_eq(id, n, gnu[i]))
            return fth_arena_printf(a, "%s-%s", gnu[i], plus ? "or-later" : "only");
    if (plus) {
        /* "GPL-2.0-only+" is not meaningful; "-or-later" already says it */
        if (n > 5 && !strncmp(id + n - 5, "-only", 5)) {
            const char *later = fth_arena_printf(a, "%.*s-or-later", (int)(n - 5), id);

            if (!later || lic_find_id(later, strlen(later)))
                return later;
        }
        if (n > 9 && !strncmp(id + n - 9, "-or-later", 9))
            return fth_arena_strndup(a, id, n);
        return fth_arena_printf(a, "%.*s+", (int)n, id);
    }
    for (size_t i = 0; i < sizeof(replaced) / sizeof(*replaced); i++)
        if (lic_eq(id, n, replaced[i][0])) {
            *compound = strchr(replaced[i][1], ' ') != NULL;
            return replaced[i][1];
        }
    return id;
}

/* ---- parser ---- */

struct parser {
    struct fth_arena *a;
    const char *s, *end, *p;
    const char *tok; /* current token */
    size_t tlen;
    int depth;
    struct fth_error *err;
};

static void next(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
    ps->tok = ps->p;
    if (ps->p == ps->end) {
        ps->tlen = 0;
        return;
    }
    if (*ps->p == '(' || *ps->p == ')') {
        ps->p++;
    } else {
        while (ps->p < ps->end && !strchr(" \t\r\n()", *ps->p))
            ps->p++;
    }
    ps->tlen = (size_t)(ps->p - ps->tok);
}

static int fail(struct parser *ps, const char *what)
{
    if (!ps->tlen)
        return fth_error_set(ps->err, FTH_EINVALID, "license expression: %s at its end", what);
    return fth_error_set(ps->err, FTH_EINVALID, "license expression: %s at column %u: '%.*s'", what,
                         (unsigned)(ps->tok - ps->s) + 1, (int)ps->tlen, ps->tok);
}

static int is_op(const struct parser *ps, const char *op)
{
    return lic_eq(ps->tok, ps->tlen, op);
}

/* LicenseRef-idstring or DocumentRef-idstring:LicenseRef-idstring */
static int ref_ok(const char *t, size_t n)
{
    const char *colon = memchr(t, ':', n);
    size_t i = 0;

    if (colon) {
        if (n < 12 || strncmp(t, "DocumentRef-", 12) || colon == t + 12)
            return 0;
        for (i = 12; t + i < colon; i++)
            if (!isalnum((unsigned char)t[i]) && t[i] != '.' && t[i] != '-')
                return 0;
        i++;
    }
    if (n - i <= 11 || strncmp(t + i, "LicenseRef-", 11))
        return 0;
    for (i += 11; i < n; i++)
        if (!isalnum((unsigned char)t[i]) && t[i] != '.' && t[i] != '-')
            return 0;
    return 1;
}

static struct fth_license_expr *node(struct parser *ps, enum fth_license_node kind)
{
    struct fth_license_expr *e = fth_arena_calloc(ps->a, 1, sizeof(*e));

    if (e)
        e->kind = kind;
    return e;
}

static int parse_or(struct parser *ps, struct fth_license_expr **out);

static int parse_primary(struct parser *ps, struct fth_license_expr **out)
{
    struct fth_license_expr *e;
    const struct lic_id *id;
    int error;

    if (ps->tlen == 1 && *ps->tok == '(') {
        if (++ps->depth > FTH_LIMIT_LICENSE_DEPTH)
            return fth_error_set(ps->err, FTH_ELIMIT,
                                 "license expression: more than %d nested parentheses",
                                 FTH_LIMIT_LICENSE_DEPTH);
        next(ps);
        if ((error = parse_or(ps, &e)) < 0)
            return error;
        if (!(ps->tlen == 1 && *ps->tok == ')'))
            return fail(ps, "expected ')'");
        ps->depth--;
        next(ps);
        e->paren++;
        *out = e;
        return 0;
    }
    if (!ps->tlen || *ps->tok == ')' || is_op(ps, "AND") || is_op(ps, "OR") || is_op(ps, "WITH"))
        return fail(ps, "expected a licence id");
    if (!(e = node(ps, FTH_LICENSE_ID)))
        return FTH_ENOMEM;
    if (ref_ok(ps->tok, ps->tlen)) {
        e->id = fth_arena_strndup(ps->a, ps->tok, ps->tlen);
    } else if (ps->tlen > 1 && ps->tok[ps->tlen - 1] == '+' &&
               (id = lic_find_id(ps->tok, ps->tlen - 1))) {
        e->id = id->id;
        e->plus = 1;
    } else if ((id = lic_find_id(ps->tok, ps->tlen))) {
        e->id = id->id;
    } else {
        return fail(ps, "not an SPDX licence id");
    }
    if (!e->id)
        return FTH_ENOMEM;
    next(ps);
    *out = e;
    return 0;
}

static int parse_with(struct parser *ps, struct fth_license_expr **out)
{
    struct fth_license_expr *l = NULL, *w;
    const struct lic_exception *x;
    int error;

    if ((error = parse_primary(ps, &l)) < 0)
        return error;
    if (!l) /* parse_primary sets it whenever it succeeds */
        return FTH_ENOMEM;
    if (!is_op(ps, "WITH")) {
        *out = l;
        return 0;
    }
    if (l->kind != FTH_LICENSE_ID || l->paren)
        return fail(ps, "WITH must follow a licence id");
    next(ps);
    if (!(x = lic_find_exception(ps->tok, ps->tlen)))
        return fail(ps, "not an SPDX licence exception");
    if (!(w = node(ps, FTH_LICENSE_WITH)))
        return FTH_ENOMEM;
    w->left = l;
    w->exception = x->id;
    next(ps);
    *out = w;
    return 0;
}

static int parse_and(struct parser *ps, struct fth_license_expr **out)
{
    struct fth_license_expr *l, *r, *n;
    int error;

    if ((error = parse_with(ps, &l)) < 0)
        return error;
    while (is_op(ps, "AND")) {
        next(ps);
        if ((error = parse_with(ps, &r)) < 0)
            return error;
        if (!(n = node(ps, FTH_LICENSE_AND)))
            return FTH_ENOMEM;
        n->left = l;
        n->right = r;
        l = n;
    }
    *out = l;
    return 0;
}

static int parse_or(struct parser *ps, struct fth_license_expr **out)
{
    struct fth_license_expr *l, *r, *n;
    int error;

    if ((error = parse_and(ps, &l)) < 0)
        return error;
    while (is_op(ps, "OR")) {
        next(ps);
        if ((error = parse_and(ps, &r)) < 0)
            return error;
        if (!(n = node(ps, FTH_LICENSE_OR)))
            return FTH_ENOMEM;
        n->left = l;
        n->right = r;
        l = n;
    }
    *out = l;
    return 0;
}

int fth_license_parse(const struct fth_license_expr **out, struct fth_arena *a, const char *s,
                      size_t len, struct fth_error *err)
{
    struct parser ps;
    struct fth_license_expr *e = NULL;
    int error = 0;

    *out = NULL;
    if (len > FTH_LIMIT_LICENSE_LEN) {
        error = fth_error_set(err, FTH_ELIMIT, "license expression: longer than %zu bytes",
                              FTH_LIMIT_LICENSE_LEN);
        goto out;
    }
    memset(&ps, 0, sizeof(ps));
    ps.a = a;
    ps.s = ps.p = s;
    ps.end = s + len;
    ps.err = err;
    next(&ps);
    if (!ps.tlen) {
        error = fth_error_set(err, FTH_EINVALID, "license expression: empty");
        goto out;
    }
    if ((error = parse_or(&ps, &e)) < 0)
        goto out;
    if (ps.tlen) {
        error =
            fail(&ps, ps.tlen == 1 && *ps.tok == ')' ? "unbalanced ')'" : "expected an operator");
        goto out;
    }
    *out = e;
out:
    if (error == FTH_ENOMEM)
        fth_error_set(err, FTH_ENOMEM, "license expression: out of memory");
    return error;
}

/* ---- writer ---- */

static int write_expr(struct fth_buf *b, struct fth_arena *a, const struct fth_license_expr *e,
                      unsigned flags, enum fth_license_node parent)
{
    int cur = flags & FTH_LICENSE_FORMAT_CURRENT, paren, compound = 0, rc = 0;

    /* written parentheses are kept as written; the current form has only those AND needs */
    paren = cur ? (e->kind == FTH_LICENSE_OR && parent == FTH_LICENSE_AND) : e->paren;
    for (int i = 0; i < paren; i++)
        if ((rc = fth_buf_putc(b, '(')) < 0)
            return rc;
    switch (e->kind) {
    case FTH_LICENSE_ID:
        if (!cur || !strncmp(e->id, "LicenseRef-", 11) || !strncmp(e->id, "DocumentRef-", 12)) {
            rc = fth_buf_puts(b, e->id);
            if (rc >= 0 && e->plus)
                rc = fth_buf_putc(b, '+');
        } else {
            const char *c = lic_current(a, e->id, e->plus, &compound);

            /* "X-with-Y-exception WITH Z" cannot become "X WITH Y WITH Z": keep the id */
            if (c && compound && parent == FTH_LICENSE_WITH)
                c = e->id;
            rc = c ? fth_buf_puts(b, c) : FTH_ENOMEM;
        }
        break;
    case FTH_LICENSE_WITH:
        if ((rc = write_expr(b, a, e->left, flags, e->kind)) >= 0 &&
            (rc = fth_buf_puts(b, " WITH ")) >= 0)
            rc = fth_buf_puts(b, e->exception);
        break;
    case FTH_LICENSE_AND:
    case FTH_LICENSE_OR:
        if ((rc = write_expr(b, a, e->left, flags, e->kind)) >= 0 &&
            (rc = fth_buf_puts(b, e->kind == FTH_LICENSE_AND ? " AND " : " OR ")) >= 0)
            rc = write_expr(b, a, e->right, flags, e->kind);
        break;
    }
    for (int i = 0; rc >= 0 && i < paren; i++)
        rc = fth_buf_putc(b, ')');
    return rc;
}

const char *fth_license_format(struct fth_arena *a, const struct fth_license_expr *e,
                               unsigned flags)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *out = NULL;

    if (write_expr(&b, a, e, flags, FTH_LICENSE_ID) >= 0)
        out = fth_arena_strndup(a, b.ptr, b.len);
    fth_buf_release(&b);
    return out;
}
