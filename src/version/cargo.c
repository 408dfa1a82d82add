/*
 * crates.io: versions are strict SemVer 2.0 (no "v", no leading zeros, numbers fit u64) and
 * requirements are Cargo's, as the `semver` crate (1.x) reads and matches them:
 *
 *   req  := "*" | comparator ("," comparator)*
 *   comparator := [op] major[.minor[.patch[-pre][+build]]]   op: = > >= < <= ~ ^
 *
 * A missing operator is ^. Minor and patch may be missing or a wildcard (*, x, X), which
 * means the same. A prerelease version matches only when some comparator names a
 * prerelease of the same major.minor.patch (semver's pre_is_compatible). Versions order by
 * SemVer 2.0 precedence; build metadata is ignored.
 */
#include <string.h>

#include "semver_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

enum cargo_op { OP_EXACT, OP_GT, OP_GE, OP_LT, OP_LE, OP_TILDE, OP_CARET, OP_WILDCARD };

struct cargo_cmp {
    enum cargo_op op;
    const char *major, *minor, *patch; /* minor/patch NULL when missing */
    size_t major_len, minor_len, patch_len;
    const char *pre;
    size_t pre_len;
};

static int cargo_parse(struct semver *out, const char *v)
{
    size_t n = strlen(v);

    if (semver_parse(out, v, n) < 0 || !semver_fits_u64(out->major, out->major_len) ||
        !semver_fits_u64(out->minor, out->minor_len) ||
        !semver_fits_u64(out->patch, out->patch_len))
        return FTH_EINVALID;
    return 0;
}

static int cargo_valid(const char *v, unsigned flags)
{
    struct semver s;

    (void)flags;
    return cargo_parse(&s, v) == 0;
}

static int cargo_compare(const char *a, const char *b, unsigned flags)
{
    struct semver x, y;

    (void)flags;
    if (cargo_parse(&x, a) < 0 || cargo_parse(&y, b) < 0)
        return 0;
    return semver_compare(&x, &y);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_wild(const char *p, const char *end)
{
    return p < end && (*p == '*' || *p == 'x' || *p == 'X') &&
           (p + 1 == end || p[1] == '.' || p[1] == ',' || is_space(p[1]));
}

/* A number without leading zeros that fits u64. */
static int number(const char **pp, const char *end, const char **d, size_t *dn)
{
    const char *p = *pp, *q = p;

    while (q < end && *q >= '0' && *q <= '9')
        q++;
    if (q == p || (q - p > 1 && *p == '0') || !semver_fits_u64(p, (size_t)(q - p)))
        return 0;
    *d = p;
    *dn = (size_t)(q - p);
    *pp = q;
    return 1;
}

/* One comparator in [p, end) (blanks around it already trimmed). */
static int parse_cmp(struct cargo_cmp *c, const char *p, const char *end, struct fth_error *err,
                     const char *req)
{
    const char *q, *start = p;
    int wild = 0, explicit_op;

    memset(c, 0, sizeof(*c));
    c->op = OP_CARET;
    if (p < end && *p == '=') {
        c->op = OP_EXACT;
        p++;
    } else if (p < end && (*p == '>' || *p == '<')) {
        int ge = p + 1 < end && p[1] == '=';

        c->op = *p == '>' ? (ge ? OP_GE : OP_GT) : (ge ? OP_LE : OP_LT);
        p += 1 + ge;
    } else if (p < end && *p == '~') {
        c->op = OP_TILDE;
        p++;
    } else if (p < end && *p == '^') {
        p++;
    } else if (is_wild(p, end)) {
        c->op = OP_WILDCARD;
    }
    explicit_op = p != start;
    while (p < end && is_space(*p))
        p++;
    if (is_wild(p, end)) {
        if (c->op != OP_WILDCARD)
            goto bad;
        p++;
        while (p < end && is_space(*p))
            p++;
        return p == end
                   ? 1
                   : fth_error_set(err, FTH_EINVALID, "unexpected text after '*' in '%s'", req);
    }
    if (!number(&p, end, &c->major, &c->major_len))
        goto bad;
    if (p < end && *p == '.') {
        p++;
        if (is_wild(p, end)) {
            wild = 1;
            p++;
        } else if (!number(&p, end, &c->minor, &c->minor_len)) {
            goto bad;
        }
        if (p < end && *p == '.') {
            p++;
            if (is_wild(p, end)) {
                wild = 1;
                p++;
            } else if (wild || !number(&p, end, &c->patch, &c->patch_len)) {
                goto bad;
            }
        }
    }
    if (c->patch && p < end && *p == '-') {
        q = ++p;
        while (p < end && *p != '+' && !is_space(*p))
            p++;
        c->pre = q;
        c->pre_len = (size_t)(p - q);
        if (!c->pre_len)
            goto bad;
        {
            struct semver chk;
            char tmp[FTH_LIMIT_RANGE_LEN + 8];

            if (c->pre_len + 7 > sizeof(tmp))
                goto bad;
            memcpy(tmp, "0.0.0-", 6);
            memcpy(tmp + 6, q, c->pre_len);
            if (semver_parse(&chk, tmp, c->pre_len + 6) < 0)
                goto bad;
        }
    }
    if (c->patch && p < end && *p == '+') {
        /* build metadata: accepted and ignored */
        q = ++p;
        while (p < end && !is_space(*p))
            p++;
        if (p == q)
            goto bad;
    }
    /* 1.2.* without an operator is a wildcard, not ^1.2 */
    if (wild && !explicit_op)
        c->op = OP_WILDCARD;
    while (p < end && is_space(*p))
        p++;
    if (p != end)
        goto bad;
    return 1;
bad:
    return fth_error_set(err, FTH_EINVALID,
                         "'%s' is not a Cargo version requirement: expected [op] "
                         "major[.minor[.patch[-pre]]] separated by ','",
                         req);
}

static int num_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    return semver_cmp_digits(a, an, b, bn);
}

static int matches_exact(const struct cargo_cmp *c, const struct semver *v)
{
    if (num_cmp(v->major, v->major_len, c->major, c->major_len))
        return 0;
    if (c->minor && num_cmp(v->minor, v->minor_len, c->minor, c->minor_len))
        return 0;
    if (c->patch && num_cmp(v->patch, v->patch_len, c->patch, c->patch_len))
        return 0;
    return v->pre_len == c->pre_len && (!c->pre_len || !memcmp(v->pre, c->pre, c->pre_len));
}

/* sign of v against the comparator on the parts it names; `missing` decides a tie on a gap */
static int order(const struct cargo_cmp *c, const struct semver *v, int *decided)
{
    int r;

    *decided = 1;
    if ((r = num_cmp(v->major, v->major_len, c->major, c->major_len)))
        return r;
    if (!c->minor) {
        *decided = 0;
        return 0;
    }
    if ((r = num_cmp(v->minor, v->minor_len, c->minor, c->minor_len)))
        return r;
    if (!c->patch) {
        *decided = 0;
        return 0;
    }
    if ((r = num_cmp(v->patch, v->patch_len, c->patch, c->patch_len)))
        return r;
    return semver_cmp_pre(v->pre, v->pre_len, c->pre, c->pre_len);
}

static int matches_greater(const struct cargo_cmp *c, const struct semver *v)
{
    int decided, r = order(c, v, &decided);

    return decided && r > 0;
}

static int matches_less(const struct cargo_cmp *c, const struct semver *v)
{
    int decided, r = order(c, v, &decided);

    return decided && r < 0;
}

static int matches_tilde(const struct cargo_cmp *c, const struct semver *v)
{
    int r;

    if (num_cmp(v->major, v->major_len, c->major, c->major_len))
        return 0;
    if (c->minor && num_cmp(v->minor, v->minor_len, c->minor, c->minor_len))
        return 0;
    if (c->patch && (r = num_cmp(v->patch, v->patch_len, c->patch, c->patch_len)))
        return r > 0;
    return semver_cmp_pre(v->pre, v->pre_len, c->pre, c->pre_len) >= 0;
}

static int is_zero(const char *d, size_t n)
{
    return n == 1 && *d == '0';
}

static int matches_caret(const struct cargo_cmp *c, const struct semver *v)
{
    int rm, rp;

    if (num_cmp(v->major, v->major_len, c->major, c->major_len))
        return 0;
    if (!c->minor)
        return 1;
    rm = num_cmp(v->minor, v->minor_len, c->minor, c->minor_len);
    if (!c->patch)
        return is_zero(c->major, c->major_len) ? rm == 0 : rm >= 0;
    rp = num_cmp(v->patch, v->patch_len, c->patch, c->patch_len);
    if (!is_zero(c->major, c->major_len)) {
        if (rm)
            return rm > 0;
        if (rp)
            return rp > 0;
    } else if (!is_zero(c->minor, c->minor_len)) {
        if (rm)
            return 0;
        if (rp)
            return rp > 0;
    } else if (rm || rp) {
        return 0;
    }
    return semver_cmp_pre(v->pre, v->pre_len, c->pre, c->pre_len) >= 0;
}

static int matches(const struct cargo_cmp *c, const struct semver *v)
{
    switch (c->op) {
    case OP_EXACT:
    case OP_WILDCARD:
        return matches_exact(c, v);
    case OP_GT:
        return matches_greater(c, v);
    case OP_GE:
        return matches_exact(c, v) || matches_greater(c, v);
    case OP_LT:
        return matches_less(c, v);
    case OP_LE:
        return matches_exact(c, v) || matches_less(c, v);
    case OP_TILDE:
        return matches_tilde(c, v);
    case OP_CARET:
        return matches_caret(c, v);
    }
    return 0;
}

static int cargo_satisfies(const char *v, const char *range, unsigned flags, struct fth_error *err)
{
    struct semver ver;
    const char *p = range, *end = range + strlen(range);
    int all = 1, pre_ok = 0, n = 0, r;

    (void)flags;
    if (cargo_parse(&ver, v) < 0)
        return fth_error_set(err, FTH_EINVALID, "'%s' is not a valid crates.io version", v);
    while (p < end && is_space(*p))
        p++;
    if (p == end)
        return fth_error_set(err, FTH_EINVALID, "empty Cargo version requirement");
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p)), *e = comma ? comma : end;
        struct cargo_cmp c;

        while (p < e && is_space(*p))
            p++;
        while (e > p && is_space(e[-1]))
            e--;
        if ((r = parse_cmp(&c, p, e, err, range)) < 0)
            return r;
        if (c.major) {
            n++;
            if (!matches(&c, &ver))
                all = 0;
            if (c.pre_len && c.minor && c.patch &&
                !num_cmp(ver.major, ver.major_len, c.major, c.major_len) &&
                !num_cmp(ver.minor, ver.minor_len, c.minor, c.minor_len) &&
                !num_cmp(ver.patch, ver.patch_len, c.patch, c.patch_len))
                pre_ok = 1;
        } else if (comma || n) {
            /* "*" stands alone */
            return fth_error_set(err, FTH_EINVALID, "'*' must stand alone in '%s'", range);
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    return all && (!ver.pre_len || pre_ok);
}

const struct version_ops version_cargo_ops = {cargo_valid, cargo_compare, cargo_satisfies, NULL};
