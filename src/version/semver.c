/*
 * SemVer 2.0, and npm's versions and ranges as node-semver 7.x handles them.
 *
 * The core (semver_parse and the comparisons) is strict SemVer 2.0 and serves Go, Cargo and
 * Hex too. npm layers node-semver's behaviour on top:
 *
 * - versions: strict ("v" allowed) or loose (leading "v", "=" and blanks, numbers with leading
 *   zeros, a prerelease without its hyphen such as 1.2.3beta); at most 256 bytes before
 *   trimming; numbers above 2^53 - 1 are invalid; prerelease numbers compare as JavaScript
 *   numbers do.
 * - ranges: node-semver rewrites a range text step by step (build metadata dropped, hyphen
 *   ranges, blanks after operators, ~ and ^, x-ranges, stars, ">=0.0.0") and only then reads
 *   comparators. The rewriting is reproduced step by step here, because the quirks of each
 *   step (what survives in loose mode, what becomes "<0.0.0-0") are part of the behaviour
 *   that ranges in the wild depend on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "semver_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

/* ---- the strict SemVer 2.0 core ---- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_ident_char(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

static int all_digits(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!is_digit(p[i]))
            return 0;
    return n > 0;
}

/*
 * Dot-separated identifiers filling [p, end), each non-empty and made of [0-9A-Za-z-];
 * strict_num also refuses numeric identifiers with a leading zero.
 */
static int idents_ok(const char *p, const char *end, int strict_num)
{
    while (p < end) {
        const char *q = p;

        while (q < end && is_ident_char(*q))
            q++;
        if (q == p)
            return 0;
        if (strict_num && q - p > 1 && *p == '0' && all_digits(p, (size_t)(q - p)))
            return 0;
        if (q == end)
            return 1;
        if (*q != '.')
            return 0;
        p = q + 1;
        if (p == end)
            return 0;
    }
    return 0;
}

/* A number without leading zeros at *pp; 1 when there was one. */
static int strict_number(const char **pp, const char *end, const char **d, size_t *dn)
{
    const char *p = *pp, *q = p;

    while (q < end && is_digit(*q))
        q++;
    if (q == p || (q - p > 1 && *p == '0'))
        return 0;
    *d = p;
    *dn = (size_t)(q - p);
    *pp = q;
    return 1;
}

int semver_parse(struct semver *out, const char *s, size_t n)
{
    const char *p = s, *end = s + n, *plus;

    memset(out, 0, sizeof(*out));
    if (!strict_number(&p, end, &out->major, &out->major_len) || p == end || *p++ != '.')
        return FTH_EINVALID;
    if (!strict_number(&p, end, &out->minor, &out->minor_len) || p == end || *p++ != '.')
        return FTH_EINVALID;
    if (!strict_number(&p, end, &out->patch, &out->patch_len))
        return FTH_EINVALID;
    plus = memchr(p, '+', (size_t)(end - p));
    if (plus) {
        if (!idents_ok(plus + 1, end, 0))
            return FTH_EINVALID;
        out->build = plus + 1;
        out->build_len = (size_t)(end - plus - 1);
        end = plus;
    }
    if (p == end)
        return 0;
    if (*p != '-' || !idents_ok(p + 1, end, 1))
        return FTH_EINVALID;
    out->pre = p + 1;
    out->pre_len = (size_t)(end - p - 1);
    return 0;
}

int semver_cmp_digits(const char *a, size_t an, const char *b, size_t bn)
{
    int c;

    if (an != bn)
        return an < bn ? -1 : 1;
    c = memcmp(a, b, an);
    return (c > 0) - (c < 0);
}

int semver_fits_u64(const char *d, size_t n)
{
    while (n > 1 && *d == '0') {
        d++;
        n--;
    }
    return n < 20 || (n == 20 && memcmp(d, "18446744073709551615", 20) <= 0);
}

/* One identifier of [p, end): its length up to the next '.'. */
static size_t ident_len(const char *p, const char *end)
{
    const char *q = memchr(p, '.', (size_t)(end - p));

    return q ? (size_t)(q - p) : (size_t)(end - p);
}

int semver_cmp_pre(const char *a, size_t an, const char *b, size_t bn)
{
    const char *ae = a + an, *be = b + bn;

    if (!an || !bn)
        return an == bn ? 0 : (!an ? 1 : -1);
    for (;;) {
        size_t al, bl;
        int anum, bnum, c;

        if (a >= ae || b >= be)
            return a >= ae ? (b >= be ? 0 : -1) : 1;
        al = ident_len(a, ae);
        bl = ident_len(b, be);
        anum = all_digits(a, al);
        bnum = all_digits(b, bl);
        if (anum && bnum) {
            c = semver_cmp_digits(a, al, b, bl);
        } else if (anum || bnum) {
            c = anum ? -1 : 1;
        } else {
            c = memcmp(a, b, al < bl ? al : bl);
            c = c ? (c > 0) - (c < 0) : (al == bl ? 0 : (al < bl ? -1 : 1));
        }
        if (c)
            return c;
        a += al + 1;
        b += bl + 1;
    }
}

int semver_compare(const struct semver *a, const struct semver *b)
{
    int c;

    if ((c = semver_cmp_digits(a->major, a->major_len, b->major, b->major_len)))
        return c;
    if ((c = semver_cmp_digits(a->minor, a->minor_len, b->minor, b->minor_len)))
        return c;
    if ((c = semver_cmp_digits(a->patch, a->patch_len, b->patch, b->patch_len)))
        return c;
    return semver_cmp_pre(a->pre, a->pre_len, b->pre, b->pre_len);
}

/* ---- npm versions ---- */

#define NPM_MAX_LENGTH 256
#define NPM_MAX_SAFE "9007199254740991" /* Number.MAX_SAFE_INTEGER */

/*
 * Length of the JavaScript whitespace character at p (String.prototype.trim and \s): ASCII
 * blanks and the Unicode spaces, in UTF-8. 0 when p is not at one.
 */
static size_t js_space(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t left = (size_t)(end - p);

    if (!left)
        return 0;
    if (*u == ' ' || (*u >= '\t' && *u <= '\r'))
        return 1;
    if (left >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
        return 2;
    if (left < 3)
        return 0;
    if ((u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) ||
        (u[0] == 0xe2 && u[1] == 0x80 &&
         (u[2] <= 0x8a || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf) && u[2] >= 0x80) ||
        (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) ||
        (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) ||
        (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf))
        return 3;
    return 0;
}

/* Length of the whitespace character ending at end (for trimming from the right). */
static size_t js_space_before(const char *start, const char *end)
{
    size_t k;

    for (k = 1; k <= 3 && (size_t)(end - start) >= k; k++)
        if (js_space(end - k, end) == k)
            return k;
    return 0;
}

static void js_trim(const char **p, const char **end)
{
    size_t k;

    while ((k = js_space(*p, *end)))
        *p += k;
    while (*end > *p && (k = js_space_before(*p, *end)))
        *end -= k;
}

/* A parsed npm version, self-contained: numbers fit 2^53 - 1, the prerelease normalised. */
struct npm_ver {
    uint64_t major, minor, patch;
    char pre[NPM_MAX_LENGTH + 2]; /* "" for a release */
};

/* Digits (leading zeros allowed) as a number no larger than 2^53 - 1. */
static int safe_number(uint64_t *out, const char *d, size_t n)
{
    uint64_t v = 0;
    size_t i;

    while (n > 1 && *d == '0') {
        d++;
        n--;
    }
    if (n > 16 || (n == 16 && memcmp(d, NPM_MAX_SAFE, 16) > 0))
        return 0;
    for (i = 0; i < n; i++)
        v = v * 10 + (uint64_t)(d[i] - '0');
    *out = v;
    return 1;
}

/*
 * node-semver's prerelease identifiers: a numeric one below 2^53 - 1 becomes a number (its
 * leading zeros go), any other stays text.
 */
static void normalize_pre(char *out, const char *p, const char *end)
{
    size_t o = 0;

    while (p < end) {
        size_t n = ident_len(p, end);
        const char *d = p;
        size_t dn = n;

        if (all_digits(p, n)) {
            while (dn > 1 && *d == '0') {
                d++;
                dn--;
            }
            if (!(dn < 16 || (dn == 16 && memcmp(d, NPM_MAX_SAFE, 16) < 0))) {
                d = p;
                dn = n;
            }
        }
        if (o)
            out[o++] = '.';
        memcpy(out + o, d, dn);
        o += dn;
        p += n + 1;
    }
    out[o] = '\0';
}

/* The prerelease and build after the patch number, [t, end); see npm_parse. */
static int tail_match(const char *t, const char *end, int loose, const char **pre,
                      const char **pre_end)
{
    const char *plus = memchr(t, '+', (size_t)(end - t)), *pend = plus ? plus : end;

    if (plus && !idents_ok(plus + 1, end, 0))
        return 0;
    *pre = *pre_end = t;
    if (t == pend)
        return 1;
    if (!loose) {
        if (*t != '-' || !idents_ok(t + 1, pend, 1))
            return 0;
        *pre = t + 1;
    } else if (*t == '-' && idents_ok(t + 1, pend, 0)) {
        *pre = t + 1;
    } else if (idents_ok(t, pend, 0)) {
        /* loose: 1.2.3beta, and "-" alone is an identifier (1.2.3- is 1.2.3--) */
        *pre = t;
    } else {
        return 0;
    }
    *pre_end = pend;
    return 1;
}

enum { NPM_OK = 0, NPM_NOMATCH = -1, NPM_TOOBIG = -2 };

/* Skip node-semver's loose prefix [v=\s]*. */
static const char *skip_vee(const char *p, const char *end)
{
    size_t k;

    for (;;) {
        if (p < end && (*p == 'v' || *p == '='))
            p++;
        else if ((k = js_space(p, end)))
            p += k;
        else
            return p;
    }
}

static const char *digits_end(const char *p, const char *end)
{
    while (p < end && is_digit(*p))
        p++;
    return p;
}

/*
 * node-semver's SemVer constructor on [s, end): NPM_NOMATCH when the text does not have the
 * shape of a version, NPM_TOOBIG when it does but is too long or a number is too big. `out`
 * may be NULL.
 */
static int npm_parse(struct npm_ver *out, const char *s, const char *end, int loose)
{
    const char *p, *e, *num[3], *num_end[3], *pre, *pre_end;
    struct npm_ver v;
    int i;

    if (end - s > NPM_MAX_LENGTH)
        return NPM_TOOBIG;
    js_trim(&s, &end);
    p = s;
    if (loose) {
        p = skip_vee(p, end);
    } else if (p < end && *p == 'v') {
        p++;
    }
    for (i = 0; i < 3; i++) {
        num[i] = p;
        num_end[i] = e = digits_end(p, end);
        if (e == p || (!loose && e - p > 1 && *p == '0'))
            return NPM_NOMATCH;
        p = e;
        if (i < 2) {
            if (p == end || *p != '.')
                return NPM_NOMATCH;
            p++;
        }
    }
    if (!tail_match(p, end, loose, &pre, &pre_end)) {
        /* loose 1.2.34.5 reads as 1.2.3-4.5: the patch gives its last digit back */
        if (!loose || p == end || *p != '.' || num_end[2] - num[2] < 2 ||
            !tail_match(p - 1, end, loose, &pre, &pre_end))
            return NPM_NOMATCH;
        num_end[2]--;
    }
    if (!safe_number(&v.major, num[0], (size_t)(num_end[0] - num[0])) ||
        !safe_number(&v.minor, num[1], (size_t)(num_end[1] - num[1])) ||
        !safe_number(&v.patch, num[2], (size_t)(num_end[2] - num[2])))
        return NPM_TOOBIG;
    normalize_pre(v.pre, pre, pre_end);
    if (out)
        *out = v;
    return NPM_OK;
}

static int npm_parse_str(struct npm_ver *out, const char *s, int loose)
{
    return npm_parse(out, s, s + strlen(s), loose);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return (a > b) - (a < b);
}

/* node-semver's compareIdentifiers over normalised prereleases. */
static int npm_cmp_pre(const char *a, const char *b)
{
    const char *ae = a + strlen(a), *be = b + strlen(b);

    if (!*a || !*b)
        return *a == *b ? 0 : (!*a ? 1 : -1);
    for (;;) {
        size_t al, bl;
        int anum, bnum, c;

        if (a >= ae || b >= be)
            return a >= ae ? (b >= be ? 0 : -1) : 1;
        al = ident_len(a, ae);
        bl = ident_len(b, be);
        if (al == bl && !memcmp(a, b, al)) {
            a += al + 1;
            b += bl + 1;
            continue;
        }
        anum = all_digits(a, al);
        bnum = all_digits(b, bl);
        if (anum && bnum) {
            /* JavaScript numbers: huge identifiers that round alike are equal, and end it */
            double x = strtod(a, NULL), y = strtod(b, NULL);

            return (x > y) - (x < y);
        }
        if (anum || bnum)
            return anum ? -1 : 1;
        c = memcmp(a, b, al < bl ? al : bl);
        return c ? (c > 0) - (c < 0) : (al < bl ? -1 : 1);
    }
}

static int npm_cmp(const struct npm_ver *a, const struct npm_ver *b)
{
    int c;

    if ((c = cmp_u64(a->major, b->major)) || (c = cmp_u64(a->minor, b->minor)) ||
        (c = cmp_u64(a->patch, b->patch)))
        return c;
    return npm_cmp_pre(a->pre, b->pre);
}

static int npm_valid(const char *v, unsigned flags)
{
    return npm_parse_str(NULL, v, (flags & FTH_VERSION_LOOSE) != 0) == NPM_OK;
}

static int npm_compare(const char *a, const char *b, unsigned flags)
{
    struct npm_ver x, y;
    int loose = (flags & FTH_VERSION_LOOSE) != 0;

    if (npm_parse_str(&x, a, loose) || npm_parse_str(&y, b, loose))
        return 0;
    return npm_cmp(&x, &y);
}

/* ---- npm ranges: the text rewriting ---- */

/*
 * Text pieces under construction. Each step reads one buffer and writes the next; the sticky
 * `error` keeps the steps free of allocation checks.
 */
struct rw {
    int loose, incpr;
    int error;
};

static void put(struct rw *rw, struct fth_buf *b, const char *p, size_t n)
{
    if (!rw->error && fth_buf_put(b, p, n) < 0)
        rw->error = FTH_ENOMEM;
}

static void puts_(struct rw *rw, struct fth_buf *b, const char *s)
{
    put(rw, b, s, strlen(s));
}

struct span {
    const char *p;
    size_t n;
};

static void put_span(struct rw *rw, struct fth_buf *b, struct span s)
{
    put(rw, b, s.p, s.n);
}

/* isX: absent, x, X or *. */
static int is_x(struct span s)
{
    return !s.p || (s.n == 1 && (*s.p == 'x' || *s.p == 'X' || *s.p == '*'));
}

static int span_is(struct span s, const char *lit)
{
    return s.p && s.n == strlen(lit) && !memcmp(s.p, lit, s.n);
}

/*
 * JavaScript's `+digits + 1` as text: exact below 2^53; past that only "too big" matters (the
 * comparator is refused later), and from 1e21 on JavaScript writes an exponent, which no
 * comparator accepts either.
 */
static void put_inc(struct rw *rw, struct fth_buf *b, struct span s)
{
    char tmp[64], digits[512];
    size_t n = s.n < sizeof(digits) - 1 ? s.n : sizeof(digits) - 1;
    double d;

    memcpy(digits, s.p, n);
    digits[n] = '\0';
    d = strtod(digits, NULL) + 1;
    if (d >= 1e21)
        snprintf(tmp, sizeof(tmp), "%.17g", d);
    else
        snprintf(tmp, sizeof(tmp), "%.0f", d);
    puts_(rw, b, tmp);
}

/* An x-range identifier: strict 0|[1-9]\d*|x|X|*, loose \d+|x|X|*. */
static const char *xid(const char *p, const char *end, int loose)
{
    if (p >= end)
        return NULL;
    if (*p == 'x' || *p == 'X' || *p == '*')
        return p + 1;
    if (!is_digit(*p))
        return NULL;
    if (!loose && *p == '0')
        return p + 1;
    return digits_end(p, end);
}

struct xrp {
    struct span all, M, m, p, pr;
};

/* The whole of [s, end) as an x-range version: [v=\s]*M[.m[.p[-pre][+build]]]. */
static int xrp_full(struct xrp *x, const char *s, const char *end, int loose)
{
    const char *p = skip_vee(s, end), *e, *pre, *pre_end;

    memset(x, 0, sizeof(*x));
    x->all.p = s;
    x->all.n = (size_t)(end - s);
    if (!(e = xid(p, end, loose)))
        return 0;
    x->M.p = p;
    x->M.n = (size_t)(e - p);
    if ((p = e) == end)
        return 1;
    if (*p++ != '.' || !(e = xid(p, end, loose)))
        return 0;
    x->m.p = p;
    x->m.n = (size_t)(e - p);
    if ((p = e) == end)
        return 1;
    if (*p++ != '.' || !(e = xid(p, end, loose)))
        return 0;
    x->p.p = p;
    x->p.n = (size_t)(e - p);
    p = e;
    if (!tail_match(p, end, loose, &pre, &pre_end)) {
        if (!loose || p == end || *p != '.' || x->p.n < 2 || !is_digit(*x->p.p) ||
            !tail_match(p - 1, end, loose, &pre, &pre_end))
            return 0;
        x->p.n--;
    }
    if (pre_end > pre) {
        x->pr.p = pre;
        x->pr.n = (size_t)(pre_end - pre);
    }
    return 1;
}

/* Where a maximal identifier run, then .runs, starting at p ends. */
static const char *runs_end(const char *p, const char *end)
{
    while (p < end && is_ident_char(*p))
        p++;
    while (p + 1 < end && *p == '.' && is_ident_char(p[1])) {
        p++;
        while (p < end && is_ident_char(*p))
            p++;
    }
    return p;
}

/*
 * Where the longest version-looking text at p ends (node-semver's LOOSEPLAIN, else
 * XRANGEPLAIN, unanchored), NULL when none starts there.
 */
static const char *version_prefix(const char *p, const char *end)
{
    const char *q = skip_vee(p, end), *e;
    int i;

    p = q;
    for (i = 0; i < 3; i++) {
        e = digits_end(q, end);
        if (e == q)
            break;
        q = e;
        if (i < 2) {
            if (q >= end || *q != '.')
                break;
            q++;
        }
    }
    if (i == 3) {
        if (q < end && is_ident_char(*q))
            q = runs_end(q, end);
        if (q + 1 < end && *q == '+' && is_ident_char(q[1]))
            q = runs_end(q + 1, end);
        return q;
    }
    q = p;
    if (!(e = xid(q, end, 0)))
        return NULL;
    q = e;
    for (i = 0; i < 2 && q + 1 < end && *q == '.' && xid(q + 1, end, 0); i++)
        q = xid(q + 1, end, 0);
    if (i == 2) {
        if (q + 1 < end && *q == '-' && is_ident_char(q[1]))
            q = runs_end(q + 1, end);
        if (q + 1 < end && *q == '+' && is_ident_char(q[1]))
            q = runs_end(q + 1, end);
    }
    return q;
}

/* Drop every +build (node-semver strips build metadata from ranges before reading them). */
static void strip_builds(struct rw *rw, struct fth_buf *out, const char *s, const char *end)
{
    while (s < end) {
        if (*s == '+' && s + 1 < end && is_ident_char(s[1])) {
            s = runs_end(s + 1, end);
            continue;
        }
        put(rw, out, s, 1);
        s++;
    }
}

/* `1.2.3 - 2.3.4` => `>=1.2.3 <=2.3.4`, when the whole text is one hyphen range. */
static int hyphen(struct rw *rw, struct fth_buf *out, const char *s, const char *end)
{
    const char *sep = NULL, *q, *l = s, *r_end = end;
    struct xrp f, t;

    for (q = s; q + 3 <= end; q++) {
        if (q[0] == ' ' && q[1] == '-' && q[2] == ' ') {
            sep = q;
            break;
        }
    }
    if (!sep)
        return 0;
    if (l < sep && *l == ' ')
        l++;
    if (r_end > sep + 3 && r_end[-1] == ' ')
        r_end--;
    if (!xrp_full(&f, l, sep, rw->loose) || !xrp_full(&t, sep + 3, r_end, rw->loose))
        return 0;
    if (!is_x(f.M)) {
        puts_(rw, out, ">=");
        if (is_x(f.m)) {
            put_span(rw, out, f.M);
            puts_(rw, out, ".0.0");
        } else if (is_x(f.p)) {
            put_span(rw, out, f.M);
            puts_(rw, out, ".");
            put_span(rw, out, f.m);
            puts_(rw, out, ".0");
        } else {
            put_span(rw, out, f.all);
        }
        if ((is_x(f.m) || is_x(f.p) || !f.pr.p) && rw->incpr)
            puts_(rw, out, "-0");
    }
    if (!is_x(t.M)) {
        if (!is_x(f.M))
            puts_(rw, out, " ");
        if (is_x(t.m)) {
            puts_(rw, out, "<");
            put_inc(rw, out, t.M);
            puts_(rw, out, ".0.0-0");
        } else if (is_x(t.p)) {
            puts_(rw, out, "<");
            put_span(rw, out, t.M);
            puts_(rw, out, ".");
            put_inc(rw, out, t.m);
            puts_(rw, out, ".0-0");
        } else if (t.pr.p) {
            puts_(rw, out, "<=");
            put_span(rw, out, t.M);
            puts_(rw, out, ".");
            put_span(rw, out, t.m);
            puts_(rw, out, ".");
            put_span(rw, out, t.p);
            puts_(rw, out, "-");
            put_span(rw, out, t.pr);
        } else if (rw->incpr) {
            puts_(rw, out, "<");
            put_span(rw, out, t.M);
            puts_(rw, out, ".");
            put_span(rw, out, t.m);
            puts_(rw, out, ".");
            put_inc(rw, out, t.p);
            puts_(rw, out, "-0");
        } else {
            puts_(rw, out, "<=");
            put_span(rw, out, t.all);
        }
    }
    return 1;
}

/* `> 1.2.3` => `>1.2.3`: the blank between an operator and a version goes. */
static void comparator_trim(struct rw *rw, struct fth_buf *out, const char *s, const char *end)
{
    while (s < end) {
        const char *q = s, *w, *ve;

        if (*q == ' ')
            q++;
        if (q < end && (*q == '<' || *q == '>'))
            q++;
        if (q < end && *q == '=')
            q++;
        w = q;
        if (w < end && *w == ' ')
            w++;
        if (w < end && (ve = version_prefix(w, end)) && ve > w) {
            put(rw, out, s, (size_t)(q - s));
            put(rw, out, w, (size_t)(ve - w));
            s = ve;
            continue;
        }
        put(rw, out, s, 1);
        s++;
    }
}

/* `~ 1.2` and `~> 1.2` => `~1.2`; `^ 1.2` => `^1.2`. */
static void op_trim(struct rw *rw, struct fth_buf *out, const char *s, const char *end, char op)
{
    while (s < end) {
        const char *q = s;

        if (*q == ' ' && q + 1 < end && q[1] == op)
            q++;
        if (*q == op) {
            const char *r = q + 1;

            if (op == '~' && r + 1 < end && *r == '>' && r[1] == ' ')
                r++;
            if (r < end && *r == ' ') {
                put(rw, out, s, (size_t)(q - s));
                put(rw, out, &op, 1);
                s = r + 1;
                continue;
            }
        }
        put(rw, out, s, 1);
        s++;
    }
}

/*
 * The lower bound caret and tilde ranges share (">=1.2.3 <", ">=1.2.0-0 <"), then " <" for
 * the caller's upper bound; a major-only version ("^1", "~1") is written whole here: 1.
 */
static int lower_bound(struct rw *rw, struct fth_buf *out, const struct xrp *x, const char *z)
{
    puts_(rw, out, ">=");
    put_span(rw, out, x->M);
    if (is_x(x->m)) {
        puts_(rw, out, ".0.0");
        puts_(rw, out, z);
        puts_(rw, out, " <");
        put_inc(rw, out, x->M);
        puts_(rw, out, ".0.0-0");
        return 1;
    }
    puts_(rw, out, ".");
    put_span(rw, out, x->m);
    if (is_x(x->p)) {
        puts_(rw, out, ".0");
        puts_(rw, out, z);
    } else {
        puts_(rw, out, ".");
        put_span(rw, out, x->p);
        if (x->pr.p) {
            puts_(rw, out, "-");
            put_span(rw, out, x->pr);
        }
    }
    puts_(rw, out, " <");
    return 0;
}

/* ^1.2.3 => >=1.2.3 <2.0.0-0, and the rest of node-semver's caret table. */
static void caret(struct rw *rw, struct fth_buf *out, const char *s, const char *end)
{
    const char *z = rw->incpr ? "-0" : "";
    struct xrp x;

    if (end - s < 1 || *s != '^' || !xrp_full(&x, s + 1, end, rw->loose)) {
        put(rw, out, s, (size_t)(end - s));
        return;
    }
    if (is_x(x.M))
        return;
    if (lower_bound(rw, out, &x, z))
        return;
    if (!span_is(x.M, "0")) {
        put_inc(rw, out, x.M);
        puts_(rw, out, ".0.0-0");
    } else if (is_x(x.p) || !span_is(x.m, "0")) {
        put_span(rw, out, x.M);
        puts_(rw, out, ".");
        put_inc(rw, out, x.m);
        puts_(rw, out, ".0-0");
    } else {
        put_span(rw, out, x.M);
        puts_(rw, out, ".");
        put_span(rw, out, x.m);
        puts_(rw, out, ".");
        put_inc(rw, out, x.p);
        puts_(rw, out, "-0");
    }
}

/* ~1.2.3 => >=1.2.3 <1.3.0-0, ~1 => >=1.0.0 <2.0.0-0. */
static void tilde(struct rw *rw, struct fth_buf *out, const char *s, const char *end)
{
    const char *z = rw->incpr ? "-0" : "", *v = s + 1;
    struct xrp x;

    if (end - s < 1 || *s != '~') {
        put(rw, out, s, (size_t)(end - s));
        return;
    }
    if (v < end && *v == '>')
        v++;
    if (!xrp_full(&x, v, end, rw->loose)) {
        put(rw, out, s, (size_t)(end - s));
        return;
    }
    if (is_x(x.M))
        return;
    if (lower_bound(rw, out, &x, z))
        return;
    put_span(rw, out, x.M);
    puts_(rw, out, ".");
    put_inc(rw, out, x.m);
    puts_(rw, out, ".0-0");
}

/* 1.2.x => >=1.2.0 <1.3.0-0, >1 => >=2.0.0, <=1.2 => <1.3.0-0, ... */
/* The version after an x-range: "2.0.0" for 1.x (xm), "1.3.0" for 1.2.x. */
static void put_next(struct rw *rw, struct fth_buf *out, const struct xrp *x, int xm)
{
    if (xm) {
        put_inc(rw, out, x->M);
        puts_(rw, out, ".0.0");
    } else {
        put_span(rw, out, x->M);
        puts_(rw, out, ".");
        put_inc(rw, out, x->m);
        puts_(rw, out, ".0");
    }
}

static void xrange(struct rw *rw, struct fth_buf *out, const char *s, const char *end)
{
    const char *q = s, *g_end;
    char gtlt[3] = "";
    const char *pr = rw->incpr ? "-0" : "";
    struct xrp x;
    int xM, xm, xp;

    while (s < end && *s == ' ')
        s++;
    while (end > s && end[-1] == ' ')
        end--;
    q = s;
    if (q < end && (*q == '<' || *q == '>'))
        q++;
    if (q < end && *q == '=')
        q++;
    g_end = q;
    if (q < end && *q == ' ')
        q++;
    if (!xrp_full(&x, q, end, rw->loose)) {
        put(rw, out, s, (size_t)(end - s));
        return;
    }
    memcpy(gtlt, s, (size_t)(g_end - s));
    gtlt[g_end - s] = '\0';
    /* 1.x.3 and x.1 are not x-ranges: left as they are, for the comparator to refuse */
    if ((is_x(x.M) && !is_x(x.m)) || (is_x(x.m) && x.p.p && !is_x(x.p))) {
        put(rw, out, s, (size_t)(end - s));
        return;
    }
    xM = is_x(x.M);
    xm = xM || is_x(x.m);
    xp = xm || is_x(x.p);
    if (!strcmp(gtlt, "=") && xp)
        gtlt[0] = '\0';
    if (xM) {
        puts_(rw, out, !strcmp(gtlt, ">") || !strcmp(gtlt, "<") ? "<0.0.0-0" : "*");
    } else if (*gtlt && xp) {
        struct span zero = {"0", 1};

        if (xm)
            x.m = zero;
        if (!strcmp(gtlt, ">")) {
            puts_(rw, out, ">=");
            put_next(rw, out, &x, xm);
            puts_(rw, out, pr);
            return;
        }
        if (!strcmp(gtlt, "<=")) {
            puts_(rw, out, "<");
            put_next(rw, out, &x, xm);
            puts_(rw, out, "-0");
            return;
        }
        puts_(rw, out, gtlt);
        put_span(rw, out, x.M);
        puts_(rw, out, ".");
        put_span(rw, out, x.m);
        puts_(rw, out, ".0");
        puts_(rw, out, !strcmp(gtlt, "<") ? "-0" : pr);
    } else if (xm) {
        puts_(rw, out, ">=");
        put_span(rw, out, x.M);
        puts_(rw, out, ".0.0");
        puts_(rw, out, pr);
        puts_(rw, out, " <");
        put_inc(rw, out, x.M);
        puts_(rw, out, ".0.0-0");
    } else if (xp) {
        puts_(rw, out, ">=");
        put_span(rw, out, x.M);
        puts_(rw, out, ".");
        put_span(rw, out, x.m);
        puts_(rw, out, ".0");
        puts_(rw, out, pr);
        puts_(rw, out, " <");
        put_span(rw, out, x.M);
        puts_(rw, out, ".");
        put_inc(rw, out, x.m);
        puts_(rw, out, ".0-0");
    } else {
        put(rw, out, s, (size_t)(end - s));
    }
}

/* Remove the first `[<>]?=?\s?\*`: a star is "any" and AND-ing it changes nothing. */
static void stars(struct rw *rw, struct fth_buf *out, const char *s, const char *end)
{
    const char *p;

    while (s < end && *s == ' ')
        s++;
    while (end > s && end[-1] == ' ')
        end--;
    for (p = s; p < end; p++) {
        int a, b, c;

        for (a = 1; a >= 0; a--) {
            for (b = 1; b >= 0; b--) {
                for (c = 1; c >= 0; c--) {
                    const char *q = p;

                    if (a) {
                        if (*q != '<' && *q != '>')
                            continue;
                        q++;
                    }
                    if (b) {
                        if (q >= end || *q != '=')
                            continue;
                        q++;
                    }
                    if (c) {
                        if (q >= end || *q != ' ')
                            continue;
                        q++;
                    }
                    if (q < end && *q == '*') {
                        put(rw, out, s, (size_t)(p - s));
                        put(rw, out, q + 1, (size_t)(end - q - 1));
                        return;
                    }
                }
            }
        }
    }
    put(rw, out, s, (size_t)(end - s));
}

/*
 * Apply `step` to each blank-separated word of [s, end) (node-semver's split(/\s+/) then
 * join(' ')), writing to out.
 */
static void each_word(struct rw *rw, struct fth_buf *out, const char *s, const char *end,
                      void (*step)(struct rw *, struct fth_buf *, const char *, const char *))
{
    for (;;) {
        const char *w = memchr(s, ' ', (size_t)(end - s));

        if (!w)
            w = end;
        step(rw, out, s, w);
        if (w == end)
            break;
        put(rw, out, " ", 1);
        s = w + 1;
        while (s < end && *s == ' ')
            s++;
    }
}

static void trim_spaces(const char **s, const char **end)
{
    while (*s < *end && **s == ' ')
        (*s)++;
    while (*end > *s && (*end)[-1] == ' ')
        (*end)--;
}

/* parseComparator: carets, tildes, x-ranges, stars, for one word of the range. */
static void parse_comparator(struct rw *rw, struct fth_buf *out, const char *s, const char *end)
{
    struct fth_buf a = FTH_BUF_INIT, b = FTH_BUF_INIT, c = FTH_BUF_INIT;
    const char *p, *e;

    trim_spaces(&s, &end);
    each_word(rw, &a, s, end, caret);
    p = a.ptr;
    e = a.ptr + a.len;
    trim_spaces(&p, &e);
    each_word(rw, &b, p, e, tilde);
    each_word(rw, &c, b.ptr, b.ptr + b.len, xrange);
    stars(rw, out, c.ptr, c.ptr + c.len);
    fth_buf_release(&a);
    fth_buf_release(&b);
    fth_buf_release(&c);
}

/* ---- npm ranges: comparators and sets ---- */

struct npm_comp {
    char op[3]; /* "", "<", "<=", ">", ">=" */
    int any;    /* the empty comparator: any version */
    struct npm_ver v;
    char value[NPM_MAX_LENGTH + 8]; /* op + version, node-semver's comparator.value */
};

struct npm_set {
    struct npm_comp *c;
    size_t n, cap;
};

struct npm_range {
    struct npm_set *sets;
    size_t n, cap;
};

static void range_release(struct npm_range *r)
{
    size_t i;

    for (i = 0; i < r->n; i++)
        free(r->sets[i].c);
    free(r->sets);
    memset(r, 0, sizeof(*r));
}

static void format_ver(char *out, size_t cap, const struct npm_ver *v)
{
    snprintf(out, cap, "%llu.%llu.%llu%s%s", (unsigned long long)v->major,
             (unsigned long long)v->minor, (unsigned long long)v->patch, *v->pre ? "-" : "",
             v->pre);
}

/* new Comparator(word): 0, NPM_NOMATCH or NPM_TOOBIG. */
static int comp_parse(struct npm_comp *c, const char *s, const char *end, int loose)
{
    const char *q = s;
    int r;

    memset(c, 0, sizeof(*c));
    if (s == end) {
        c->any = 1;
        return 0;
    }
    if (q < end && (*q == '<' || *q == '>'))
        q++;
    if (q < end && *q == '=')
        q++;
    if (q - s == 2 || (q - s == 1 && *s != '=')) {
        memcpy(c->op, s, (size_t)(q - s));
        c->op[q - s] = '\0';
    }
    if (!loose && q < end && *q == '=')
        return NPM_NOMATCH;
    if ((r = npm_parse(&c->v, q, end, loose)))
        return r;
    memcpy(c->value, c->op, strlen(c->op));
    format_ver(c->value + strlen(c->op), sizeof(c->value) - strlen(c->op), &c->v);
    return 0;
}

static int comp_test(const struct npm_comp *c, const struct npm_ver *v)
{
    int cmp;

    if (c->any)
        return 1;
    cmp = npm_cmp(v, &c->v);
    if (!*c->op)
        return cmp == 0;
    if (!strcmp(c->op, "<"))
        return cmp < 0;
    if (!strcmp(c->op, "<="))
        return cmp <= 0;
    if (!strcmp(c->op, ">"))
        return cmp > 0;
    return cmp >= 0;
}

static int set_push(struct npm_set *set, const struct npm_comp *c)
{
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 4;
        struct npm_comp *n = realloc(set->c, cap * sizeof(*n));

        if (!n)
            return FTH_ENOMEM;
        set->c = n;
        set->cap = cap;
    }
    set->c[set->n++] = *c;
    return 0;
}

static int is_null_set(const struct npm_comp *c)
{
    return !strcmp(c->value, "<0.0.0-0");
}

/* parseRange: one ||-separated part into a set of comparators. */
static int parse_part(struct npm_set *set, struct rw *rw, const char *s, const char *end)
{
    struct fth_buf a = FTH_BUF_INIT, b = FTH_BUF_INIT, c = FTH_BUF_INIT;
    const char *p, *e, *gte0 = rw->incpr ? ">=0.0.0-0" : ">=0.0.0";
    struct npm_comp null_set;
    int error = 0, has_null = 0;

    memset(set, 0, sizeof(*set));
    strip_builds(rw, &a, s, end);
    if (!hyphen(rw, &b, a.ptr, a.ptr + a.len))
        put(rw, &b, a.ptr, a.len);
    fth_buf_clear(&a);
    comparator_trim(rw, &a, b.ptr, b.ptr + b.len);
    fth_buf_clear(&b);
    op_trim(rw, &b, a.ptr, a.ptr + a.len, '~');
    fth_buf_clear(&a);
    op_trim(rw, &a, b.ptr, b.ptr + b.len, '^');
    /* split(' ') keeps empty words, each parsed, joined again by one blank */
    p = a.ptr;
    e = a.ptr + a.len;
    for (;;) {
        const char *w = memchr(p, ' ', (size_t)(e - p));

        if (!w)
            w = e;
        parse_comparator(rw, &c, p, w);
        if (w == e)
            break;
        put(rw, &c, " ", 1);
        p = w + 1;
    }
    if ((error = rw->error) < 0)
        goto out;
    /* split(/\s+/): empty words only at the ends */
    p = c.ptr;
    e = c.ptr + c.len;
    for (;;) {
        const char *w = p;
        struct npm_comp comp;
        size_t i;
        int r;

        while (w < e && *w != ' ')
            w++;
        /* >=0.0.0 is any version */
        if ((size_t)(w - p) == strlen(gte0) && !memcmp(p, gte0, (size_t)(w - p)))
            p = w;
        r = comp_parse(&comp, p, w, rw->loose);
        if (r == NPM_NOMATCH && rw->loose) {
            /* loose: words that are not comparators are dropped */
        } else if (r) {
            error = FTH_EINVALID;
            goto out;
        } else if (is_null_set(&comp)) {
            /* the null set wins, but only once every word has been read (and may throw) */
            null_set = comp;
            has_null = 1;
        } else {
            for (i = 0; i < set->n; i++)
                if (!strcmp(set->c[i].value, comp.value))
                    break;
            if (i < set->n)
                set->c[i] = comp;
            else if ((error = set_push(set, &comp)) < 0)
                goto out;
        }
        if (w == e)
            break;
        p = w;
        while (p < e && *p == ' ')
            p++;
    }
    if (has_null) {
        set->n = 0;
        error = set_push(set, &null_set);
        goto out;
    }
    if (set->n > 1) {
        size_t i, o = 0;

        for (i = 0; i < set->n; i++)
            if (!set->c[i].any)
                set->c[o++] = set->c[i];
        set->n = o;
    }
out:
    fth_buf_release(&a);
    fth_buf_release(&b);
    fth_buf_release(&c);
    return error;
}

/* new Range(text, options). */
static int range_parse(struct npm_range *r, const char *text, unsigned flags)
{
    struct rw rw = {(flags & FTH_VERSION_LOOSE) != 0, (flags & FTH_VERSION_INCLUDE_PRERELEASE) != 0,
                    0};
    struct fth_buf raw = FTH_BUF_INIT;
    const char *s = text, *end = text + strlen(text), *p, *e;
    int error = 0;

    memset(r, 0, sizeof(*r));
    if (end - s > FTH_LIMIT_RANGE_LEN) {
        error = FTH_EINVALID;
        goto out;
    }
    /* trim, then every run of whitespace becomes one blank */
    js_trim(&s, &end);
    while (s < end) {
        size_t k = js_space(s, end);

        if (k) {
            while ((k = js_space(s, end)))
                s += k;
            put(&rw, &raw, " ", 1);
        } else {
            put(&rw, &raw, s, 1);
            s++;
        }
    }
    if ((error = rw.error) < 0)
        goto out;
    p = raw.ptr;
    e = raw.ptr + raw.len;
    for (;;) {
        const char *bar = p, *pe, *ps = p;
        struct npm_set set;

        while (bar + 1 < e && !(bar[0] == '|' && bar[1] == '|'))
            bar++;
        if (bar + 1 >= e)
            bar = e;
        pe = bar;
        trim_spaces(&ps, &pe);
        if ((error = parse_part(&set, &rw, ps, pe)) < 0) {
            free(set.c);
            goto out;
        }
        if (set.n) {
            if (r->n == r->cap) {
                size_t cap = r->cap ? r->cap * 2 : 4;
                struct npm_set *n = realloc(r->sets, cap * sizeof(*n));

                if (!n) {
                    free(set.c);
                    error = FTH_ENOMEM;
                    goto out;
                }
                r->sets = n;
                r->cap = cap;
            }
            r->sets[r->n++] = set;
        } else {
            free(set.c);
        }
        if (bar == e)
            break;
        p = bar + 2;
    }
    if (!r->n) {
        error = FTH_EINVALID;
        goto out;
    }
    if (r->n > 1) {
        /* null sets go unless all are; then the first stays */
        size_t i, o = 0, live = 0;

        for (i = 0; i < r->n; i++)
            live += !is_null_set(&r->sets[i].c[0]);
        for (i = 0; i < r->n; i++) {
            if (live ? !is_null_set(&r->sets[i].c[0]) : i == 0)
                r->sets[o++] = r->sets[i];
            else
                free(r->sets[i].c);
        }
        r->n = o;
        /* and a set that is just "any" makes the whole range "any" */
        for (i = 0; r->n > 1 && i < r->n; i++) {
            if (r->sets[i].n == 1 && r->sets[i].c[0].any) {
                struct npm_set keep = r->sets[i];
                size_t j;

                for (j = 0; j < r->n; j++)
                    if (j != i)
                        free(r->sets[j].c);
                r->sets[0] = keep;
                r->n = 1;
            }
        }
    }
out:
    fth_buf_release(&raw);
    if (error < 0)
        range_release(r);
    return error;
}

static int set_test(const struct npm_set *set, const struct npm_ver *v, int incpr)
{
    size_t i;

    for (i = 0; i < set->n; i++)
        if (!comp_test(&set->c[i], v))
            return 0;
    if (*v->pre && !incpr) {
        /* a prerelease only where a comparator names one on the same major.minor.patch */
        for (i = 0; i < set->n; i++) {
            const struct npm_comp *c = &set->c[i];

            if (!c->any && *c->v.pre && c->v.major == v->major && c->v.minor == v->minor &&
                c->v.patch == v->patch)
                return 1;
        }
        return 0;
    }
    return 1;
}

static int range_test(const struct npm_range *r, const struct npm_ver *v, unsigned flags)
{
    size_t i;

    for (i = 0; i < r->n; i++)
        if (set_test(&r->sets[i], v, (flags & FTH_VERSION_INCLUDE_PRERELEASE) != 0))
            return 1;
    return 0;
}

int npm_range_normalize(struct fth_buf *out, const char *range, unsigned flags)
{
    struct npm_range r;
    size_t i, j;
    int error;

    if ((error = range_parse(&r, range, flags)) < 0)
        return error;
    for (i = 0; i < r.n && error >= 0; i++) {
        if (i)
            error = fth_buf_puts(out, "||");
        for (j = 0; j < r.sets[i].n && error >= 0; j++) {
            if (j && error >= 0)
                error = fth_buf_putc(out, ' ');
            if (error >= 0)
                error = fth_buf_puts(out, r.sets[i].c[j].value);
        }
    }
    if (error >= 0 && !out->len)
        error = fth_buf_puts(out, "*");
    range_release(&r);
    return error < 0 ? error : 0;
}

static int npm_satisfies(const char *v, const char *range, unsigned flags, struct fth_error *err)
{
    struct npm_range r;
    struct npm_ver ver;
    int error;

    if (npm_parse_str(&ver, v, (flags & FTH_VERSION_LOOSE) != 0))
        return fth_error_set(err, FTH_EINVALID, "'%s' is not a valid npm version", v);
    if ((error = range_parse(&r, range, flags)) < 0) {
        if (error == FTH_EINVALID)
            return fth_error_set(err, FTH_EINVALID, "'%s' is not a valid npm range", range);
        return fth_error_set(err, error, "out of memory");
    }
    error = range_test(&r, &ver, flags);
    range_release(&r);
    return error;
}

int npm_outside(const char *version, const char *range, char hilo, unsigned flags)
{
    struct npm_range r;
    struct npm_ver v, zero;
    size_t i, j;
    int error, result = 1, gt = hilo == '>';
    const char *comp = gt ? ">" : "<", *ecomp = gt ? ">=" : "<=";

    if (npm_parse_str(&v, version, (flags & FTH_VERSION_LOOSE) != 0))
        return FTH_EINVALID;
    if ((error = range_parse(&r, range, flags)) < 0)
        return error;
    memset(&zero, 0, sizeof(zero));
    if (range_test(&r, &v, flags)) {
        result = 0;
        goto out;
    }
    for (i = 0; i < r.n && result; i++) {
        const struct npm_comp *high = NULL, *low = NULL;
        struct npm_comp any0;
        const struct npm_ver *hv, *lv;
        int c;

        memset(&any0, 0, sizeof(any0));
        memcpy(any0.op, ">=", 3);
        for (j = 0; j < r.sets[i].n; j++) {
            const struct npm_comp *cp = r.sets[i].c[j].any ? &any0 : &r.sets[i].c[j];

            if (!high)
                high = cp;
            if (!low)
                low = cp;
            c = npm_cmp(&cp->v, &high->v);
            if (gt ? c > 0 : c < 0) {
                high = cp;
            } else {
                c = npm_cmp(&cp->v, &low->v);
                if (gt ? c < 0 : c > 0)
                    low = cp;
            }
        }
        if (!high)
            continue;
        if (!strcmp(high->op, comp) || !strcmp(high->op, ecomp)) {
            result = 0;
            break;
        }
        hv = &v;
        lv = &low->v;
        c = npm_cmp(hv, lv);
        if ((!*low->op || !strcmp(low->op, comp)) && (gt ? c <= 0 : c >= 0))
            result = 0;
        else if (!strcmp(low->op, ecomp) && (gt ? c < 0 : c > 0))
            result = 0;
    }
out:
    range_release(&r);
    return result;
}

const struct version_ops version_npm_ops = {npm_valid, npm_compare, npm_satisfies, NULL};
