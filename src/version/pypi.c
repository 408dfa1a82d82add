/*
 * PyPI: PEP 440 versions and specifiers, as pypa/packaging (22 and later) parses, orders and
 * matches them. Numbers are kept as digit strings (leading zeros dropped), so no value is too
 * big to compare.
 */
#include <stdlib.h>
#include <string.h>

#include "version_int.h"
#include "pypi_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

/* a non-negative integer: its digits without leading zeros (n == 0 is zero) */
struct num {
    const char *p;
    size_t n;
};

enum { PRE_NONE = 0, PRE_A, PRE_B, PRE_RC };

#define MAX_RELEASE (FTH_LIMIT_VERSION_LEN / 2 + 1)

struct pep440 {
    char text[FTH_LIMIT_VERSION_LEN + 1]; /* lower-cased copy the fields point into */
    struct num epoch;
    struct num release[MAX_RELEASE];
    size_t nrelease;
    int pre; /* PRE_* */
    struct num pre_n;
    int has_post;
    struct num post_n;
    int has_dev;
    struct num dev_n;
    int wildcard;      /* specifiers only: a trailing ".*" */
    const char *local; /* after '+', NULL when none */
    size_t local_len;
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z');
}

static int is_sep(char c)
{
    return c == '-' || c == '_' || c == '.';
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Python's whitespace (str.isspace, what re's \s matches) as code points */
static int is_py_space(unsigned long c)
{
    return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
           c == 0x202f || c == 0x205f || c == 0x3000;
}

/* The UTF-8 character at p (before end): its length when it is whitespace, else 0. */
static size_t space_at(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t avail = (size_t)(end - p);

    if (avail >= 1 && u[0] < 0x80)
        return is_py_space(u[0]);
    if (avail >= 2 && (u[0] & 0xe0) == 0xc0 && (u[1] & 0xc0) == 0x80)
        return is_py_space(((unsigned long)(u[0] & 0x1f) << 6) | (u[1] & 0x3f)) ? 2 : 0;
    if (avail >= 3 && (u[0] & 0xf0) == 0xe0 && (u[1] & 0xc0) == 0x80 && (u[2] & 0xc0) == 0x80)
        return is_py_space(((unsigned long)(u[0] & 0x0f) << 12) |
                           ((unsigned long)(u[1] & 0x3f) << 6) | (u[2] & 0x3f))
                   ? 3
                   : 0;
    return 0;
}

/* The length of the whitespace character that ends at end (after start), else 0. */
static size_t space_before(const char *start, const char *end)
{
    size_t n;

    for (n = 1; n <= 3 && n <= (size_t)(end - start); n++)
        if (space_at(end - n, end) == n)
            return n;
    return 0;
}

static struct num number(const char *p, size_t n)
{
    struct num r;

    while (n > 0 && *p == '0') {
        p++;
        n--;
    }
    r.p = p;
    r.n = n;
    return r;
}

static int num_cmp(struct num a, struct num b)
{
    int c;

    if (a.n != b.n)
        return a.n < b.n ? -1 : 1;
    c = a.n ? memcmp(a.p, b.p, a.n) : 0;
    return (c > 0) - (c < 0);
}

static size_t span_digits(const char *p, const char *end)
{
    size_t n = 0;

    while (p + n < end && is_digit(p[n]))
        n++;
    return n;
}

/* Consume `word` at *p (before end) when it is there. */
static int take(const char **p, const char *end, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(end - *p) < n || memcmp(*p, word, n) != 0)
        return 0;
    *p += n;
    return 1;
}

static void take_sep(const char **p, const char *end)
{
    if (*p < end && is_sep(**p))
        (*p)++;
}

/* An optional number after a label: absent means 0. */
static struct num label_number(const char **p, const char *end)
{
    size_t n = span_digits(*p, end);
    struct num r = number(*p, n);

    *p += n;
    return r;
}

static int take_pre_label(const char **p, const char *end)
{
    /* longest spelling first, as the regular expression's alternation order does */
    if (take(p, end, "alpha") || take(p, end, "a"))
        return PRE_A;
    if (take(p, end, "beta") || take(p, end, "b"))
        return PRE_B;
    if (take(p, end, "preview") || take(p, end, "pre") || take(p, end, "rc") || take(p, end, "c"))
        return PRE_RC;
    return PRE_NONE;
}

/*
 * Parse text[0..len) (any case; surrounding whitespace allowed when `spec` is 0). With `spec`
 * a trailing ".*" right after the release is accepted (sets wildcard). 0 or -1 (not valid).
 */
static int parse(struct pep440 *v, const char *text, size_t len, int spec)
{
    const char *p, *end, *q;
    size_t i, n;

    memset(v, 0, sizeof(*v));
    if (len > FTH_LIMIT_VERSION_LEN)
        return -1;
    for (i = 0; i < len; i++) {
        char c = text[i];

        if (c == '\0')
            return -1;
        v->text[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    v->text[len] = '\0';
    p = v->text;
    end = v->text + len;
    if (!spec) {
        while ((n = space_at(p, end)) > 0)
            p += n;
        while ((n = space_before(p, end)) > 0)
            end -= n;
    }
    if (p < end && *p == 'v')
        p++;
    n = span_digits(p, end);
    if (n && p + n < end && p[n] == '!') {
        v->epoch = number(p, n);
        p += n + 1;
        n = span_digits(p, end);
    }
    if (!n)
        return -1;
    for (;;) {
        if (v->nrelease == MAX_RELEASE)
            return -1;
        v->release[v->nrelease++] = number(p, n);
        p += n;
        if (p + 1 < end && *p == '.' && is_digit(p[1])) {
            p++;
            n = span_digits(p, end);
            continue;
        }
        break;
    }
    if (spec && end - p == 2 && p[0] == '.' && p[1] == '*') {
        v->wildcard = 1;
        return 0;
    }
    q = p;
    take_sep(&q, end);
    if ((v->pre = take_pre_label(&q, end)) != PRE_NONE) {
        take_sep(&q, end);
        v->pre_n = label_number(&q, end);
        p = q;
    }
    if (p + 1 < end && *p == '-' && is_digit(p[1])) {
        p++;
        v->has_post = 1;
        v->post_n = label_number(&p, end);
    } else {
        q = p;
        take_sep(&q, end);
        if (take(&q, end, "post") || take(&q, end, "rev") || take(&q, end, "r")) {
            take_sep(&q, end);
            v->has_post = 1;
            v->post_n = label_number(&q, end);
            p = q;
        }
    }
    q = p;
    take_sep(&q, end);
    if (take(&q, end, "dev")) {
        take_sep(&q, end);
        v->has_dev = 1;
        v->dev_n = label_number(&q, end);
        p = q;
    }
    if (p < end && *p == '+') {
        p++;
        v->local = p;
        for (;;) {
            if (p == end || !is_alnum(*p))
                return -1;
            while (p < end && is_alnum(*p))
                p++;
            if (p == end)
                break;
            if (!is_sep(*p))
                return -1;
            p++;
        }
        v->local_len = (size_t)(p - v->local);
    }
    return p == end ? 0 : -1;
}

/* The next local segment at *p: its text; *p moves past it and its separator. */
static size_t local_segment(const char **p, const char *end, const char **seg)
{
    size_t n = 0;

    *seg = *p;
    while (*p + n < end && !is_sep((*p)[n]))
        n++;
    *p += n;
    if (*p < end)
        (*p)++;
    return n;
}

static int all_digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

static int local_cmp(const struct pep440 *a, const struct pep440 *b)
{
    const char *pa, *pb, *ea, *eb;

    if (!a->local || !b->local)
        return (a->local != NULL) - (b->local != NULL);
    pa = a->local;
    pb = b->local;
    ea = pa + a->local_len;
    eb = pb + b->local_len;
    while (pa < ea && pb < eb) {
        const char *sa, *sb;
        size_t na = local_segment(&pa, ea, &sa), nb = local_segment(&pb, eb, &sb);
        int da = all_digits(sa, na), db = all_digits(sb, nb), c;

        /* numbers sort after words; words compare as strings */
        if (da != db)
            return da - db;
        if (da) {
            c = num_cmp(number(sa, na), number(sb, nb));
        } else {
            c = memcmp(sa, sb, na < nb ? na : nb);
            c = c ? c : (na > nb) - (na < nb);
        }
        if (c)
            return c > 0 ? 1 : -1;
    }
    return (pa < ea) - (pb < eb);
}

static int release_cmp(const struct pep440 *a, const struct pep440 *b)
{
    static const struct num zero = {"", 0};
    size_t i, n = a->nrelease > b->nrelease ? a->nrelease : b->nrelease;
    int c;

    if ((c = num_cmp(a->epoch, b->epoch)) != 0)
        return c;
    for (i = 0; i < n; i++) {
        c = num_cmp(i < a->nrelease ? a->release[i] : zero, i < b->nrelease ? b->release[i] : zero);
        if (c)
            return c;
    }
    return 0;
}

/* The pre-release rank: a bare dev release sorts before every pre-release of its release. */
static int pre_rank(const struct pep440 *v)
{
    if (v->pre == PRE_NONE)
        return (!v->has_post && v->has_dev) ? 0 : 4;
    return v->pre;
}

/* Full PEP 440 order; `with_local` 0 ignores local labels (the public version). */
static int pep440_cmp(const struct pep440 *a, const struct pep440 *b, int with_local)
{
    int c;

    if ((c = release_cmp(a, b)) != 0)
        return c;
    if ((c = pre_rank(a) - pre_rank(b)) != 0)
        return c > 0 ? 1 : -1;
    if (a->pre != PRE_NONE && (c = num_cmp(a->pre_n, b->pre_n)) != 0)
        return c;
    if ((c = a->has_post - b->has_post) != 0)
        return c;
    if (a->has_post && (c = num_cmp(a->post_n, b->post_n)) != 0)
        return c;
    if ((c = b->has_dev - a->has_dev) != 0)
        return c;
    if (a->has_dev && (c = num_cmp(a->dev_n, b->dev_n)) != 0)
        return c;
    return with_local ? local_cmp(a, b) : 0;
}

static int is_prerelease(const struct pep440 *v)
{
    return v->pre != PRE_NONE || v->has_dev;
}

static int valid(const char *v, unsigned flags)
{
    struct pep440 p;

    (void)flags;
    return parse(&p, v, strlen(v), 0) == 0;
}

static int compare(const char *a, const char *b, unsigned flags)
{
    struct pep440 pa, pb;

    (void)flags;
    if (parse(&pa, a, strlen(a), 0) < 0 || parse(&pb, b, strlen(b), 0) < 0)
        return strcmp(a, b) < 0 ? -1 : strcmp(a, b) > 0;
    return pep440_cmp(&pa, &pb, 1);
}

static int put_num(struct fth_buf *out, struct num n)
{
    return n.n ? fth_buf_put(out, n.p, n.n) : fth_buf_putc(out, '0');
}

static int write_normal(struct fth_buf *out, const struct pep440 *v)
{
    static const char *const pre_names[] = {"", "a", "b", "rc"};
    const char *p, *end;
    size_t i;
    int error = 0;

    if (v->epoch.n) {
        if ((error = put_num(out, v->epoch)) < 0 || (error = fth_buf_putc(out, '!')) < 0)
            goto out;
    }
    for (i = 0; i < v->nrelease; i++) {
        if ((i && (error = fth_buf_putc(out, '.')) < 0) ||
            (error = put_num(out, v->release[i])) < 0)
            goto out;
    }
    if (v->pre != PRE_NONE) {
        if ((error = fth_buf_puts(out, pre_names[v->pre])) < 0 ||
            (error = put_num(out, v->pre_n)) < 0)
            goto out;
    }
    if (v->has_post) {
        if ((error = fth_buf_puts(out, ".post")) < 0 || (error = put_num(out, v->post_n)) < 0)
            goto out;
    }
    if (v->has_dev) {
        if ((error = fth_buf_puts(out, ".dev")) < 0 || (error = put_num(out, v->dev_n)) < 0)
            goto out;
    }
    if (v->local) {
        p = v->local;
        end = p + v->local_len;
        if ((error = fth_buf_putc(out, '+')) < 0)
            goto out;
        while (p < end) {
            const char *seg;
            size_t n = local_segment(&p, end, &seg);

            if (all_digits(seg, n))
                error = put_num(out, number(seg, n));
            else
                error = fth_buf_put(out, seg, n);
            if (error < 0 || (p < end && (error = fth_buf_putc(out, '.')) < 0))
                goto out;
        }
    }
out:
    return error;
}

int pypi_normalize(struct fth_buf *out, const char *v)
{
    struct pep440 p;

    if (strlen(v) > FTH_LIMIT_VERSION_LEN || parse(&p, v, strlen(v), 0) < 0)
        return FTH_EINVALID;
    return write_normal(out, &p);
}

/* ---- specifiers ---- */

enum op { OP_COMPAT, OP_EQ, OP_NE, OP_LE, OP_GE, OP_LT, OP_GT, OP_ARBITRARY };

static const struct {
    const char *text;
    enum op op;
} ops[] = {
    {"===", OP_ARBITRARY}, {"~=", OP_COMPAT}, {"==", OP_EQ}, {"!=", OP_NE},
    {"<=", OP_LE},         {">=", OP_GE},     {"<", OP_LT},  {">", OP_GT},
};

struct spec {
    enum op op;
    const char *text; /* the version as written */
    size_t len;
    struct pep440 v;
    int parsed; /* v holds a valid version (always, except for some === operands) */
};

/* The release of v padded with zeros matches all of prefix's release (epochs equal too). */
static int prefix_match(const struct pep440 *v, const struct pep440 *prefix, size_t n)
{
    static const struct num zero = {"", 0};
    size_t i;

    if (num_cmp(v->epoch, prefix->epoch))
        return 0;
    for (i = 0; i < n; i++)
        if (num_cmp(i < v->nrelease ? v->release[i] : zero, prefix->release[i]))
            return 0;
    return 1;
}

static int base_equal(const struct pep440 *a, const struct pep440 *b)
{
    return release_cmp(a, b) == 0;
}

static int equal(const struct pep440 *v, const struct spec *s)
{
    if (s->v.wildcard)
        return prefix_match(v, &s->v, s->v.nrelease);
    return pep440_cmp(v, &s->v, s->v.local != NULL) == 0;
}

static int arbitrary_equal(const struct pep440 *v, const struct spec *s)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t i;
    int r = 0;

    if (write_normal(&b, v) < 0 || b.len != s->len)
        goto out;
    for (i = 0; i < b.len; i++) {
        char c = s->text[i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (b.ptr[i] != c)
            goto out;
    }
    r = 1;
out:
    fth_buf_release(&b);
    return r;
}

static int holds(const struct pep440 *v, const struct spec *s)
{
    const struct pep440 *w = &s->v;

    switch (s->op) {
    case OP_ARBITRARY:
        return arbitrary_equal(v, s);
    case OP_EQ:
        return equal(v, s);
    case OP_NE:
        return !equal(v, s);
    case OP_LE:
        return pep440_cmp(v, w, 0) <= 0;
    case OP_GE:
        return pep440_cmp(v, w, 0) >= 0;
    case OP_COMPAT:
        /* >= V and == V's release without its last component, .* */
        return pep440_cmp(v, w, 0) >= 0 && prefix_match(v, w, w->nrelease - 1);
    case OP_LT:
        /* < 1.0 does not admit 1.0's own pre-releases unless it names one */
        if (pep440_cmp(v, w, 1) >= 0)
            return 0;
        return !(!is_prerelease(w) && is_prerelease(v) && base_equal(v, w));
    case OP_GT:
        /* > 1.0 admits neither 1.0's post-releases (unless it names one) nor 1.0+local */
        if (pep440_cmp(v, w, 1) <= 0)
            return 0;
        if (!w->has_post && v->has_post && base_equal(v, w))
            return 0;
        return !(v->local && base_equal(v, w));
    }
    return 0;
}

static int parse_spec(struct spec *s, const char *text, size_t len, struct fth_error *err)
{
    size_t i, n;

    memset(s, 0, sizeof(*s));
    for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        n = strlen(ops[i].text);
        if (len >= n && !memcmp(text, ops[i].text, n))
            break;
    }
    if (i == sizeof(ops) / sizeof(ops[0]))
        return fth_error_set(err, FTH_EINVALID,
                             "'%.*s': expected an operator (~=, ==, !=, <=, >=, <, >, ===)",
                             (int)len, text);
    s->op = ops[i].op;
    text += n;
    len -= n;
    while (len && is_ws(*text)) {
        text++;
        len--;
    }
    s->text = text;
    s->len = len;
    if (!len)
        return fth_error_set(err, FTH_EINVALID, "expected a version after '%s'", ops[i].text);
    if (s->op == OP_ARBITRARY) {
        for (i = 0; i < len; i++)
            if (is_ws(text[i]) || text[i] == ';' || text[i] == ')')
                return fth_error_set(err, FTH_EINVALID, "'%.*s' is not an arbitrary version",
                                     (int)len, text);
        s->parsed = parse(&s->v, text, len, 0) == 0;
        return 0;
    }
    if (parse(&s->v, text, len, 1) < 0)
        return fth_error_set(err, FTH_EINVALID, "'%.*s' is not a valid PEP 440 version", (int)len,
                             text);
    s->parsed = 1;
    if (s->v.wildcard && s->op != OP_EQ && s->op != OP_NE)
        return fth_error_set(err, FTH_EINVALID, "'.*' is only allowed with == and !=");
    if (s->v.local && s->op != OP_EQ && s->op != OP_NE)
        return fth_error_set(err, FTH_EINVALID, "a local version is only allowed with == and !=");
    if (s->op == OP_COMPAT && s->v.nrelease < 2)
        return fth_error_set(err, FTH_EINVALID, "~= needs a version with at least two components");
    return 0;
}

/* Does the specifier admit pre-releases by naming one (>=1.0a1, ==2.0b2, ~=1.0rc1, ...)? */
static int names_prerelease(const struct spec *s)
{
    if (s->op == OP_NE || s->op == OP_LT || s->op == OP_GT || !s->parsed)
        return 0;
    return !s->v.wildcard && is_prerelease(&s->v);
}

static int satisfies(const char *version, const char *range, unsigned flags, struct fth_error *err)
{
    struct pep440 v;
    struct spec *specs = NULL;
    const char *p = range;
    size_t n = 0, cap = 0, i;
    int error = 0, allow_pre = (flags & FTH_VERSION_INCLUDE_PRERELEASE) != 0, r = 1;

    if (parse(&v, version, strlen(version), 0) < 0) {
        error = fth_error_set(err, FTH_EINVALID, "'%s' is not a valid PEP 440 version", version);
        goto out;
    }
    while (*p) {
        const char *start, *stop;

        while (*p && is_ws(*p))
            p++;
        start = p;
        while (*p && *p != ',')
            p++;
        stop = p;
        if (*p)
            p++;
        while (stop > start && is_ws(stop[-1]))
            stop--;
        if (stop == start)
            continue;
        if (n == cap) {
            struct spec *grown;

            cap = cap ? cap * 2 : 4;
            if (!(grown = realloc(specs, cap * sizeof(*specs)))) {
                error = fth_error_set(err, FTH_ENOMEM, "out of memory");
                goto out;
            }
            specs = grown;
        }
        if ((error = parse_spec(&specs[n], start, (size_t)(stop - start), err)) < 0)
            goto out;
        allow_pre |= names_prerelease(&specs[n]);
        n++;
    }
    if (is_prerelease(&v) && !allow_pre)
        r = 0;
    for (i = 0; i < n && r; i++)
        r = holds(&v, &specs[i]);
    error = r;
out:
    free(specs);
    return error;
}

const struct version_ops version_pypi_ops = {valid, compare, satisfies, NULL};
