/*
 * RPM versions: rpmvercmp (rpm >= 4.15: '~' sorts before everything, '^' after the base
 * version but before any further segment) applied to a full [epoch:]version[-release], split
 * and compared as rpm's own rpmverCmp does (what `rpm.vercmp()` answers): a missing epoch is
 * 0, the release follows the last '-', and a missing release sorts before any release.
 *
 * rpm compares any non-empty string; Fathom also refuses whitespace and control characters,
 * which rpmbuild never lets into a version and which the relation syntax uses as separators.
 */
#include <stddef.h>
#include <string.h>

#include "version_int.h"
#include "../base/banned.h"

/* A part of an EVR: [p, end), or absent (p NULL). */
struct span {
    const char *p;
    const char *end;
};

struct evr {
    struct span e, v, r;
};

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(int c)
{
    return is_digit(c) || is_alpha(c);
}

/* rpm's parseEVR: leading digits then ':' make an epoch; the last '-' after them a release. */
static void split(struct evr *out, const char *s)
{
    const char *end = s + strlen(s), *p = s, *hyphen = NULL, *q;
    static const char zero[] = "0";

    while (is_digit((unsigned char)*p))
        p++;
    for (q = p; q < end; q++)
        if (*q == '-')
            hyphen = q;
    if (*p == ':') {
        out->e.p = p == s ? zero : s;
        out->e.end = p == s ? zero + 1 : p;
        p++;
    } else {
        out->e.p = zero;
        out->e.end = zero + 1;
        p = s;
    }
    out->v.p = p;
    out->v.end = hyphen ? hyphen : end;
    out->r.p = hyphen ? hyphen + 1 : NULL;
    out->r.end = hyphen ? end : NULL;
}

/* Is c a segment separator for rpmvercmp? Everything but letters, digits, '~' and '^'. */
static int is_sep(int c)
{
    return !is_alnum(c) && c != '~' && c != '^';
}

/* rpmvercmp over two spans: -1, 0 or 1. */
static int vercmp(struct span a, struct span b)
{
    const char *one = a.p, *two = b.p;

    if (a.end - a.p == b.end - b.p && !memcmp(a.p, b.p, (size_t)(a.end - a.p)))
        return 0;
    while (one < a.end || two < b.end) {
        const char *s1, *s2;
        size_t n1, n2;
        int isnum, r;

        while (one < a.end && is_sep((unsigned char)*one))
            one++;
        while (two < b.end && is_sep((unsigned char)*two))
            two++;
        /* '~' sorts before everything, even the end of the string. */
        if ((one < a.end && *one == '~') || (two < b.end && *two == '~')) {
            if (one == a.end || *one != '~')
                return 1;
            if (two == b.end || *two != '~')
                return -1;
            one++;
            two++;
            continue;
        }
        /* '^' sorts after the end of the string but before anything else. */
        if ((one < a.end && *one == '^') || (two < b.end && *two == '^')) {
            if (one == a.end)
                return -1;
            if (two == b.end)
                return 1;
            if (*one != '^')
                return 1;
            if (*two != '^')
                return -1;
            one++;
            two++;
            continue;
        }
        if (one == a.end || two == b.end)
            break;
        s1 = one;
        s2 = two;
        isnum = is_digit((unsigned char)*one);
        if (isnum) {
            while (s1 < a.end && is_digit((unsigned char)*s1))
                s1++;
            while (s2 < b.end && is_digit((unsigned char)*s2))
                s2++;
        } else {
            while (s1 < a.end && is_alpha((unsigned char)*s1))
                s1++;
            while (s2 < b.end && is_alpha((unsigned char)*s2))
                s2++;
        }
        /* Segments of different kinds: the numeric one is newer. */
        if (s2 == two)
            return isnum ? 1 : -1;
        if (isnum) {
            while (one < s1 && *one == '0')
                one++;
            while (two < s2 && *two == '0')
                two++;
            if (s1 - one != s2 - two)
                return s1 - one > s2 - two ? 1 : -1;
        }
        n1 = (size_t)(s1 - one);
        n2 = (size_t)(s2 - two);
        r = memcmp(one, two, n1 < n2 ? n1 : n2);
        if (r)
            return r < 0 ? -1 : 1;
        if (n1 != n2)
            return n1 < n2 ? -1 : 1;
        one = s1;
        two = s2;
    }
    if (one == a.end && two == b.end)
        return 0;
    return one == a.end ? -1 : 1;
}

/* A missing part sorts before a present one, as rpm's rpmverCmp orders releases. */
static int part_cmp(struct span a, struct span b)
{
    if (!a.p || !b.p)
        return (a.p != NULL) - (b.p != NULL);
    return vercmp(a, b);
}

static int valid(const char *v, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)v;

    (void)flags;
    if (!*p)
        return 0;
    for (; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return 0;
    return 1;
}

static int compare(const char *a, const char *b, unsigned flags)
{
    struct evr ea, eb;
    int r;

    (void)flags;
    split(&ea, a);
    split(&eb, b);
    if ((r = part_cmp(ea.e, eb.e)) != 0)
        return r;
    if ((r = part_cmp(ea.v, eb.v)) != 0)
        return r;
    return part_cmp(ea.r, eb.r);
}

const struct version_ops version_rpm_ops = {valid, compare, NULL, NULL};
