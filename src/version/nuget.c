/*
 * NuGet: NuGetVersion parsing and ordering (NuGet.Versioning's VersionComparer.Default) and
 * VersionRange matching.
 *
 * A version is 1 to 4 numbers (each at most 2^31 - 1; leading zeros allowed; missing ones are
 * 0), an optional "-" release label of dot-separated identifiers, an optional "+" metadata
 * that ordering ignores. Labels compare identifier by identifier: numbers numerically and
 * before words, words case-insensitively; a version with a label sorts before one without.
 */
#include <string.h>

#include "version_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct nuver {
    const char *num[4]; /* digits without leading zeros */
    size_t num_len[4];
    const char *label; /* after '-', NULL when none */
    size_t label_len;
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_ident(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* Dot-separated non-empty identifiers of [0-9A-Za-z-]. */
static int identifiers(const char *s, size_t n)
{
    size_t i, run = 0;

    if (!n)
        return 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (!run)
                return 0;
            run = 0;
        } else if (is_ident(s[i])) {
            run++;
        } else {
            return 0;
        }
    }
    return run > 0;
}

/* digits s..n (non-empty) as a number of at most 2147483647 */
static int int32_digits(const char *s, size_t n, const char **p, size_t *len)
{
    while (n > 1 && *s == '0') {
        s++;
        n--;
    }
    if (n == 1 && *s == '0')
        n = 0;
    if (n > 10 || (n == 10 && memcmp(s, "2147483647", 10) > 0))
        return 0;
    *p = s;
    *len = n;
    return 1;
}

static int parse(struct nuver *v, const char *s, size_t n)
{
    const char *plus, *dash, *p, *end;
    size_t k = 0;

    memset(v, 0, sizeof(*v));
    if (!n || n > FTH_LIMIT_VERSION_LEN)
        return -1;
    if ((plus = memchr(s, '+', n)) != NULL) {
        if (!identifiers(plus + 1, n - (size_t)(plus + 1 - s)))
            return -1;
        n = (size_t)(plus - s);
    }
    if ((dash = memchr(s, '-', n)) != NULL) {
        v->label = dash + 1;
        v->label_len = n - (size_t)(dash + 1 - s);
        if (!identifiers(v->label, v->label_len))
            return -1;
        n = (size_t)(dash - s);
    }
    p = s;
    end = s + n;
    for (;;) {
        const char *q = p;

        while (q < end && is_digit(*q))
            q++;
        if (q == p || k == 4 || !int32_digits(p, (size_t)(q - p), &v->num[k], &v->num_len[k]))
            return -1;
        k++;
        if (q == end)
            break;
        if (*q != '.')
            return -1;
        p = q + 1;
    }
    return 0;
}

static int all_digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return n > 0;
}

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static int ident_cmp(const char *a, size_t na, const char *b, size_t nb)
{
    const char *pa = a, *pb = b;
    size_t la = 0, lb = 0, i;
    int c, da = all_digits(a, na) && int32_digits(a, na, &pa, &la);
    int db = all_digits(b, nb) && int32_digits(b, nb, &pb, &lb);

    if (da && db) {
        if (la != lb)
            return la < lb ? -1 : 1;
        c = la ? memcmp(pa, pb, la) : 0;
        return (c > 0) - (c < 0);
    }
    if (da != db)
        return da ? -1 : 1;
    for (i = 0; i < na && i < nb; i++)
        if (upper(a[i]) != upper(b[i]))
            return (unsigned char)upper(a[i]) < (unsigned char)upper(b[i]) ? -1 : 1;
    return (na > nb) - (na < nb);
}

static int label_cmp(const struct nuver *a, const struct nuver *b)
{
    const char *pa = a->label, *pb = b->label, *ea, *eb;

    if (!pa || !pb)
        return (pa == NULL) - (pb == NULL);
    ea = pa + a->label_len;
    eb = pb + b->label_len;
    while (pa < ea && pb < eb) {
        const char *sa = pa, *sb = pb;
        int c;

        while (pa < ea && *pa != '.')
            pa++;
        while (pb < eb && *pb != '.')
            pb++;
        if ((c = ident_cmp(sa, (size_t)(pa - sa), sb, (size_t)(pb - sb))) != 0)
            return c;
        if (pa < ea)
            pa++;
        if (pb < eb)
            pb++;
    }
    return (pa < ea) - (pb < eb);
}

static int nuver_cmp(const struct nuver *a, const struct nuver *b)
{
    int i, c;

    for (i = 0; i < 4; i++) {
        /* parse() zeroes the struct: every num_len is set */
        /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
        if (a->num_len[i] != b->num_len[i])
            return a->num_len[i] < b->num_len[i] ? -1 : 1;
        c = a->num_len[i] ? memcmp(a->num[i], b->num[i], a->num_len[i]) : 0;
        if (c)
            return c < 0 ? -1 : 1;
    }
    return label_cmp(a, b);
}

static int valid(const char *v, unsigned flags)
{
    struct nuver n;

    (void)flags;
    return parse(&n, v, strlen(v)) == 0;
}

static int compare(const char *a, const char *b, unsigned flags)
{
    struct nuver na, nb;

    (void)flags;
    if (parse(&na, a, strlen(a)) < 0 || parse(&nb, b, strlen(b)) < 0)
        return 0;
    return nuver_cmp(&na, &nb);
}

/* ---- ranges: "1.0" (>= 1.0), "[1.0]", "[1.0,2.0)", "(1.0,)", "(,2.0]" ---- */

static int bound(struct nuver *out, int *set, const char *s, const char *e, const char *range,
                 struct fth_error *err)
{
    version_trim(&s, &e);
    *set = s < e;
    if (*set && parse(out, s, (size_t)(e - s)) < 0)
        return fth_error_set(err, FTH_EINVALID, "'%.*s' in '%s' is not a valid NuGet version",
                             (int)(e - s), s, range);
    return 0;
}

static int satisfies(const char *version, const char *range, unsigned flags, struct fth_error *err)
{
    const char *s = range, *e = range + strlen(range), *comma;
    struct nuver v, lo, hi;
    int lo_set = 0, hi_set = 0, lo_incl, hi_incl, error, c;

    (void)flags;
    if (parse(&v, version, strlen(version)) < 0)
        return fth_error_set(err, FTH_EINVALID, "'%s' is not a valid NuGet version", version);
    version_trim(&s, &e);
    if (s == e)
        return fth_error_set(err, FTH_EINVALID, "empty NuGet range");
    if (*s != '[' && *s != '(') {
        /* a bare version is a minimum, inclusive */
        if ((error = bound(&lo, &lo_set, s, e, range, err)) < 0)
            return error;
        return nuver_cmp(&v, &lo) >= 0;
    }
    lo_incl = *s == '[';
    hi_incl = e[-1] == ']';
    if (e - s < 2 || (e[-1] != ']' && e[-1] != ')'))
        return fth_error_set(err, FTH_EINVALID, "'%s': expected a range ending in ] or )", range);
    s++;
    e--;
    if ((comma = memchr(s, ',', (size_t)(e - s))) == NULL) {
        /* [1.0] only: an exact version */
        if (!lo_incl || !hi_incl)
            return fth_error_set(err, FTH_EINVALID, "'%s': a single version needs [ and ]", range);
        if ((error = bound(&lo, &lo_set, s, e, range, err)) < 0)
            return error;
        if (!lo_set)
            return fth_error_set(err, FTH_EINVALID, "'%s': no version", range);
        return nuver_cmp(&v, &lo) == 0;
    }
    if ((error = bound(&lo, &lo_set, s, comma, range, err)) < 0 ||
        (error = bound(&hi, &hi_set, comma + 1, e, range, err)) < 0)
        return error;
    if (memchr(comma + 1, ',', (size_t)(e - comma - 1)))
        return fth_error_set(err, FTH_EINVALID, "'%s': more than two bounds", range);
    if (!lo_set && !hi_set)
        return fth_error_set(err, FTH_EINVALID, "'%s': no version", range);
    if (lo_set && hi_set) {
        c = nuver_cmp(&lo, &hi);
        if (c > 0 || (c == 0 && (!lo_incl || !hi_incl)))
            return fth_error_set(err, FTH_EINVALID, "'%s': an empty range", range);
    }
    if (lo_set && ((c = nuver_cmp(&v, &lo)) < 0 || (c == 0 && !lo_incl)))
        return 0;
    if (hi_set && ((c = nuver_cmp(&v, &hi)) > 0 || (c == 0 && !hi_incl)))
        return 0;
    return 1;
}

const struct version_ops version_nuget_ops = {valid, compare, satisfies, NULL};
