/*
 * Hex: Elixir's Version. Versions are SemVer 2.0 (MAJOR.MINOR.PATCH, optional -pre and
 * +build; build metadata is ignored by the order). Requirements are Elixir's:
 *
 *   req    := clause (("and" | "or") clause)*      "and" binds tighter than "or"
 *   clause := [op] version                          op: == != > >= < <= ~>; none means ==
 *
 * `~> 2.0` is >= 2.0.0 and < 3.0.0; `~> 2.0.1` is >= 2.0.1 and < 2.1.0; only ~> takes a
 * version without its patch (`~> 2.1-dev`), and ~> never admits a prerelease of its upper
 * bound. Prereleases follow Version.match?/3 with allow_pre: false (how Hex resolves): a
 * prerelease version satisfies a clause only when the clause's version is a prerelease too.
 * FTH_VERSION_INCLUDE_PRERELEASE is allow_pre: true (Elixir's own default), which drops that
 * rule.
 */
#include <string.h>

#include "semver_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

static int hex_parse(struct semver *out, const char *v, size_t n)
{
    return semver_parse(out, v, n);
}

static int hex_valid(const char *v, unsigned flags)
{
    struct semver s;

    (void)flags;
    return hex_parse(&s, v, strlen(v)) == 0;
}

static int hex_compare(const char *a, const char *b, unsigned flags)
{
    struct semver x, y;

    (void)flags;
    if (hex_parse(&x, a, strlen(a)) < 0 || hex_parse(&y, b, strlen(b)) < 0)
        return 0;
    return semver_compare(&x, &y);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_op_char(char c)
{
    return c == '=' || c == '!' || c == '<' || c == '>' || c == '~';
}

/* The digit string d plus one, written to out (room for n + 2 bytes); its length. */
static size_t digits_inc(char *out, const char *d, size_t n)
{
    size_t i = n;

    memcpy(out, d, n);
    out[n] = '\0';
    while (i > 0 && out[i - 1] == '9')
        out[--i] = '0';
    if (i > 0) {
        out[i - 1]++;
        return n;
    }
    memmove(out + 1, out, n + 1);
    out[0] = '1';
    return n + 1;
}

/* The pessimistic clause: version `w` of [p, end), with or without its patch. */
static int pessimistic(int *out, const struct semver *v, const char *p, const char *end,
                       int allow_pre)
{
    char buf[FTH_LIMIT_RANGE_LEN + 16], up[FTH_LIMIT_RANGE_LEN + 16];
    const char *dot1 = memchr(p, '.', (size_t)(end - p)), *dot2, *tail;
    struct semver lo, hi;
    size_t n, k;
    int full;

    if (!dot1)
        return FTH_EINVALID;
    dot2 = dot1 + 1;
    while (dot2 < end && *dot2 >= '0' && *dot2 <= '9')
        dot2++;
    full = dot2 < end && *dot2 == '.';
    if ((size_t)(end - p) + 3 > sizeof(buf))
        return FTH_EINVALID;
    if (full) {
        if (hex_parse(&lo, p, (size_t)(end - p)) < 0)
            return FTH_EINVALID;
        n = (size_t)(end - p);
        memcpy(buf, p, n);
    } else {
        /* MAJOR.MINOR[-pre][+build] reads as MAJOR.MINOR.0[-pre][+build] */
        tail = dot2;
        n = (size_t)(tail - p);
        memcpy(buf, p, n);
        memcpy(buf + n, ".0", 2);
        memcpy(buf + n + 2, tail, (size_t)(end - tail));
        n += 2 + (size_t)(end - tail);
        if (hex_parse(&lo, buf, n) < 0)
            return FTH_EINVALID;
    }
    /* upper bound: full -> MAJOR.(MINOR+1).0, short -> (MAJOR+1).0.0 */
    if (full) {
        memcpy(up, lo.major, lo.major_len);
        k = lo.major_len;
        up[k++] = '.';
        k += digits_inc(up + k, lo.minor, lo.minor_len);
        memcpy(up + k, ".0", 3);
        k += 2;
    } else {
        k = digits_inc(up, lo.major, lo.major_len);
        memcpy(up + k, ".0.0", 5);
        k += 4;
    }
    if (hex_parse(&hi, up, k) < 0)
        return FTH_EINVALID;
    *out = semver_compare(v, &lo) >= 0 && semver_compare(v, &hi) < 0;
    /* never a prerelease of the upper bound */
    if (*out && v->pre_len && !semver_cmp_digits(v->major, v->major_len, hi.major, hi.major_len) &&
        !semver_cmp_digits(v->minor, v->minor_len, hi.minor, hi.minor_len) &&
        !semver_cmp_digits(v->patch, v->patch_len, hi.patch, hi.patch_len))
        *out = 0;
    if (*out && v->pre_len && !allow_pre && !lo.pre_len)
        *out = 0;
    return 0;
}

/* One clause [p, end): 1, 0, or FTH_EINVALID. */
static int clause(const struct semver *v, const char *p, const char *end, int allow_pre)
{
    const char *op = p;
    size_t opn;
    struct semver w;
    int c, r;

    while (p < end && is_op_char(*p))
        p++;
    opn = (size_t)(p - op);
    while (p < end && is_space(*p))
        p++;
    if (p == end)
        return FTH_EINVALID;
    if (opn == 2 && !memcmp(op, "~>", 2))
        return pessimistic(&r, v, p, end, allow_pre) < 0 ? FTH_EINVALID : r;
    if (hex_parse(&w, p, (size_t)(end - p)) < 0)
        return FTH_EINVALID;
    c = semver_compare(v, &w);
    if (!opn || (opn == 2 && !memcmp(op, "==", 2)))
        r = c == 0;
    else if (opn == 2 && !memcmp(op, "!=", 2))
        r = c != 0;
    else if (opn == 1 && *op == '>')
        r = c > 0;
    else if (opn == 2 && !memcmp(op, ">=", 2))
        r = c >= 0;
    else if (opn == 1 && *op == '<')
        r = c < 0;
    else if (opn == 2 && !memcmp(op, "<=", 2))
        r = c <= 0;
    else
        return FTH_EINVALID;
    if (r && v->pre_len && !allow_pre && !w.pre_len)
        r = 0;
    return r;
}

static int is_word(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);

    return (size_t)(end - p) == n && !memcmp(p, w, n);
}

static int hex_satisfies(const char *v, const char *range, unsigned flags, struct fth_error *err)
{
    struct semver ver;
    const char *p = range, *end = range + strlen(range);
    int allow_pre = (flags & FTH_VERSION_INCLUDE_PRERELEASE) != 0;
    int any = 0, group = 1, expect_clause = 1;

    if (hex_parse(&ver, v, strlen(v)) < 0)
        return fth_error_set(err, FTH_EINVALID, "'%s' is not a valid Hex version", v);
    for (;;) {
        const char *w, *we, *ve;
        int r;

        while (p < end && is_space(*p))
            p++;
        if (p == end)
            break;
        w = p;
        while (p < end && !is_space(*p))
            p++;
        we = p;
        if (!expect_clause) {
            if (is_word(w, we, "and")) {
                expect_clause = 1;
                continue;
            }
            if (is_word(w, we, "or")) {
                any |= group;
                group = 1;
                expect_clause = 1;
                continue;
            }
            goto bad;
        }
        /* an operator may stand apart from its version: "~> 2.0" */
        ve = we;
        if (we > w && is_op_char(we[-1])) {
            const char *q = we;

            while (q < end && is_space(*q))
                q++;
            ve = q;
            while (ve < end && !is_space(*ve))
                ve++;
            p = ve;
        }
        if ((r = clause(&ver, w, ve, allow_pre)) < 0)
            goto bad;
        group &= r;
        expect_clause = 0;
    }
    if (expect_clause)
        goto bad;
    return any | group;
bad:
    return fth_error_set(err, FTH_EINVALID,
                         "'%s' is not an Elixir version requirement: expected [op] version "
                         "joined by 'and'/'or' (op: == != > >= < <= ~>)",
                         range);
}

const struct version_ops version_hex_ops = {hex_valid, hex_compare, hex_satisfies, NULL};
