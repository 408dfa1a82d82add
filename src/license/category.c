/*
 * Licence categories (Trivy's six, from its default licence configuration) and the deny lists
 * gates use. A pattern ending in '*' is a prefix; patterns match the id without '+', "-only"
 * and "-or-later", ignoring case. The first matching row wins, so the narrow CC-BY-NC/ND/SA
 * rows come before CC-BY-*.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "license_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct row {
    const char *pattern;
    enum fth_license_category cat;
};

static const struct row rows[] = {
    /* forbidden */
    {"AGPL-*", FTH_LICENSE_FORBIDDEN},
    {"CC-BY-NC-*", FTH_LICENSE_FORBIDDEN},
    {"Commons-Clause", FTH_LICENSE_FORBIDDEN},
    {"Facebook-2-Clause", FTH_LICENSE_FORBIDDEN},
    {"Facebook-3-Clause", FTH_LICENSE_FORBIDDEN},
    {"Facebook-Examples", FTH_LICENSE_FORBIDDEN},
    {"WTFPL", FTH_LICENSE_FORBIDDEN},
    {"SSPL-*", FTH_LICENSE_FORBIDDEN}, /* not in Trivy's table: network copyleft beyond AGPL */
    /* restricted */
    {"BCL", FTH_LICENSE_RESTRICTED},
    {"CC-BY-ND-*", FTH_LICENSE_RESTRICTED},
    {"CC-BY-SA-*", FTH_LICENSE_RESTRICTED},
    {"GPL-*", FTH_LICENSE_RESTRICTED},
    {"LGPL-*", FTH_LICENSE_RESTRICTED},
    {"NPL-*", FTH_LICENSE_RESTRICTED},
    {"OSL-*", FTH_LICENSE_RESTRICTED},
    {"QPL-1.0", FTH_LICENSE_RESTRICTED},
    {"Sleepycat", FTH_LICENSE_RESTRICTED},
    /* reciprocal */
    {"APSL-*", FTH_LICENSE_RECIPROCAL},
    {"CDDL-*", FTH_LICENSE_RECIPROCAL},
    {"CPL-1.0", FTH_LICENSE_RECIPROCAL},
    {"EPL-*", FTH_LICENSE_RECIPROCAL},
    {"FreeImage", FTH_LICENSE_RECIPROCAL},
    {"IPL-1.0", FTH_LICENSE_RECIPROCAL},
    {"MPL-*", FTH_LICENSE_RECIPROCAL},
    {"Ruby", FTH_LICENSE_RECIPROCAL},
    /* notice */
    {"AFL-*", FTH_LICENSE_NOTICE},
    {"Apache-*", FTH_LICENSE_NOTICE},
    {"Artistic-*", FTH_LICENSE_NOTICE},
    {"BSL-1.0", FTH_LICENSE_NOTICE},
    {"BSD-*", FTH_LICENSE_NOTICE},
    {"CC-BY-*", FTH_LICENSE_NOTICE},
    {"FTL", FTH_LICENSE_NOTICE},
    {"ISC", FTH_LICENSE_NOTICE},
    {"ImageMagick", FTH_LICENSE_NOTICE},
    {"Libpng", FTH_LICENSE_NOTICE},
    {"Lil-1.0", FTH_LICENSE_NOTICE},
    {"Linux-OpenIB", FTH_LICENSE_NOTICE},
    {"LPL-*", FTH_LICENSE_NOTICE},
    {"MS-PL", FTH_LICENSE_NOTICE},
    {"MIT", FTH_LICENSE_NOTICE},
    {"NCSA", FTH_LICENSE_NOTICE},
    {"OpenSSL", FTH_LICENSE_NOTICE},
    {"PHP-*", FTH_LICENSE_NOTICE},
    {"PIL", FTH_LICENSE_NOTICE},
    {"PostgreSQL", FTH_LICENSE_NOTICE},
    {"Python-*", FTH_LICENSE_NOTICE},
    {"SGI-B-*", FTH_LICENSE_NOTICE},
    {"Unicode-*", FTH_LICENSE_NOTICE},
    {"UPL-1.0", FTH_LICENSE_NOTICE},
    {"W3C*", FTH_LICENSE_NOTICE},
    {"X11", FTH_LICENSE_NOTICE},
    {"Xnet", FTH_LICENSE_NOTICE},
    {"Zend-2.0", FTH_LICENSE_NOTICE},
    {"zlib-acknowledgement", FTH_LICENSE_NOTICE},
    {"Zlib", FTH_LICENSE_NOTICE},
    {"ZPL-*", FTH_LICENSE_NOTICE},
    /* unencumbered */
    {"CC0-1.0", FTH_LICENSE_UNENCUMBERED},
    {"Unlicense", FTH_LICENSE_UNENCUMBERED},
    {"0BSD", FTH_LICENSE_UNENCUMBERED},
};

/* Licences whose copyleft reaches network users (the "SaaS loophole" closed). */
static const char *const network[] = {"AGPL-*", "SSPL-*",   "OSL-*",   "EUPL-*",
                                      "RPL-*",  "CPAL-1.0", "APL-1.0", "Parity-*"};

/* The id's length without '+', "-only" or "-or-later". */
static size_t base_len(const char *id)
{
    size_t n = strlen(id);

    if (n > 1 && id[n - 1] == '+')
        n--;
    if (n > 5 && !strncasecmp(id + n - 5, "-only", 5))
        n -= 5;
    else if (n > 9 && !strncasecmp(id + n - 9, "-or-later", 9))
        n -= 9;
    return n;
}

static int match(const char *pattern, const char *id, size_t n)
{
    size_t pl = strlen(pattern);

    if (pl && pattern[pl - 1] == '*')
        return n >= pl - 1 && !strncasecmp(id, pattern, pl - 1);
    return lic_eq(id, n, pattern);
}

enum fth_license_category fth_license_category(const char *id)
{
    size_t n;

    if (!id)
        return FTH_LICENSE_UNKNOWN;
    n = base_len(id);
    for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++)
        if (match(rows[i].pattern, id, n))
            return rows[i].cat;
    return FTH_LICENSE_UNKNOWN;
}

static const char *const names[] = {"unknown", "forbidden",  "restricted",  "reciprocal",
                                    "notice",  "permissive", "unencumbered"};

const char *fth_license_category_name(enum fth_license_category c)
{
    return (unsigned)c < sizeof(names) / sizeof(*names) ? names[c] : "unknown";
}

int fth_license_network_copyleft(const char *id)
{
    size_t n;

    if (!id)
        return 0;
    n = base_len(id);
    for (size_t i = 0; i < sizeof(network) / sizeof(*network); i++)
        if (match(network[i], id, n))
            return 1;
    return 0;
}

/* ---- deny lists ---- */

enum term_kind { T_ID, T_PREFIX, T_CATEGORY, T_NETWORK };

struct term {
    enum term_kind kind;
    const char *text; /* as the user wrote it, for *why */
    const char *id;   /* T_ID: normalised; T_PREFIX: the pattern with its '*' */
    enum fth_license_category cat;
};

struct fth_license_deny {
    struct term *terms;
    size_t n;
};

int fth_license_deny_parse(struct fth_license_deny **out, struct fth_arena *a, const char *list,
                           struct fth_error *err)
{
    struct fth_license_deny *d;
    const char *p = list ? list : "";
    size_t cap = 1;
    int error = 0;

    *out = NULL;
    if (strlen(p) > FTH_LIMIT_LICENSE_LEN) {
        error = fth_error_set(err, FTH_ELIMIT, "license deny list: longer than %zu bytes",
                              FTH_LIMIT_LICENSE_LEN);
        goto out;
    }
    for (const char *q = p; *q; q++)
        cap += *q == ',';
    if (!(d = fth_arena_calloc(a, 1, sizeof(*d))) ||
        !(d->terms = fth_arena_calloc(a, cap, sizeof(*d->terms)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    while (*p) {
        const char *s = p, *e;
        size_t n;
        struct term *t = &d->terms[d->n];

        while (*p && *p != ',')
            p++;
        e = p;
        if (*p)
            p++;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        if (!(n = (size_t)(e - s)))
            continue;
        if (!(t->text = fth_arena_strndup(a, s, n))) {
            error = FTH_ENOMEM;
            goto out;
        }
        if (lic_eq(s, n, "network-copyleft") || lic_eq(s, n, "network_copyleft")) {
            t->kind = T_NETWORK;
        } else if (s[n - 1] == '*') {
            t->kind = T_PREFIX;
            t->id = t->text;
        } else {
            int found = 0;

            for (size_t c = 1; c < sizeof(names) / sizeof(*names); c++)
                if (lic_eq(s, n, names[c])) {
                    t->kind = T_CATEGORY;
                    t->cat = (enum fth_license_category)c;
                    found = 1;
                }
            if (!found) {
                const char *id = fth_license_normalize(a, t->text);

                if (!id) {
                    error = FTH_ENOMEM;
                    goto out;
                }
                if (!*id || strchr(id, ' ')) {
                    error = fth_error_set(err, FTH_EINVALID,
                                          "license deny list: '%s' is neither an SPDX licence "
                                          "id nor a category",
                                          t->text);
                    goto out;
                }
                t->kind = T_ID;
                t->id = id;
            }
        }
        d->n++;
    }
    *out = d;
out:
    if (error == FTH_ENOMEM)
        fth_error_set(err, error, "license deny list: out of memory");
    return error;
}

static const char *id_denied(const struct fth_license_deny *d, const char *id)
{
    size_t n = base_len(id);

    for (size_t i = 0; i < d->n; i++) {
        const struct term *t = &d->terms[i];

        switch (t->kind) {
        case T_ID:
            if (base_len(t->id) == n && !strncasecmp(t->id, id, n))
                return t->text;
            break;
        case T_PREFIX:
            if (match(t->id, id, n))
                return t->text;
            break;
        case T_CATEGORY:
            if (fth_license_category(id) == t->cat)
                return t->text;
            break;
        case T_NETWORK:
            if (fth_license_network_copyleft(id))
                return t->text;
            break;
        }
    }
    return NULL;
}

static const char *eval(const struct fth_license_deny *d, const struct fth_license_expr *e)
{
    const char *l, *r;

    switch (e->kind) {
    case FTH_LICENSE_ID:
        return id_denied(d, e->id);
    case FTH_LICENSE_WITH:
        return eval(d, e->left);
    case FTH_LICENSE_AND:
        return (l = eval(d, e->left)) ? l : eval(d, e->right);
    case FTH_LICENSE_OR:
        return (l = eval(d, e->left)) && (r = eval(d, e->right)) ? l : NULL;
    }
    return NULL;
}

int fth_license_denied(const struct fth_license_deny *d, const char *expr, const char **why)
{
    struct fth_arena *a;
    const struct fth_license_expr *e;
    const char *hit = NULL;

    if (why)
        *why = NULL;
    if (!d || !expr || !*expr || !(a = fth_arena_new()))
        return 0;
    if (fth_license_parse(&e, a, expr, strlen(expr), NULL) == 0)
        hit = eval(d, e);
    fth_arena_free(a);
    if (why)
        *why = hit;
    return hit != NULL;
}

/* AND: the most encumbering side (UNKNOWN, 0, wins: an unknown part is not cleared); OR: the
 * least encumbering side (the user may pick it); WITH: its licence. */
static enum fth_license_category expr_category(const struct fth_license_expr *e)
{
    enum fth_license_category l, r;

    switch (e->kind) {
    case FTH_LICENSE_ID:
        return fth_license_category(e->id);
    case FTH_LICENSE_WITH:
        return expr_category(e->left);
    case FTH_LICENSE_AND:
        l = expr_category(e->left);
        r = expr_category(e->right);
        return l < r ? l : r;
    case FTH_LICENSE_OR:
        l = expr_category(e->left);
        r = expr_category(e->right);
        return l > r ? l : r;
    }
    return FTH_LICENSE_UNKNOWN;
}

enum fth_license_category fth_license_expr_category(const char *expr)
{
    struct fth_arena *a;
    const struct fth_license_expr *e;
    enum fth_license_category c = FTH_LICENSE_UNKNOWN;

    if (!expr || !*expr || !(a = fth_arena_new()))
        return c;
    if (fth_license_parse(&e, a, expr, strlen(expr), NULL) == 0)
        c = expr_category(e);
    fth_arena_free(a);
    return c;
}
