/*
 * RubyGems: Gem::Version ordering and Gem::Requirement matching.
 *
 * A version is a list of segments: runs of digits (numbers) and runs of letters (strings);
 * '-' counts as ".pre.". A string anywhere makes a pre-release, which sorts before the release
 * ("1.0.a" < "1.0"). Trailing zeros of the numeric part and of the string part are ignored
 * ("1.0" == "1", "1.a.0" == "1.a").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct seg {
    int num; /* a number: p..n are its digits without leading zeros */
    const char *p;
    size_t n;
};

/* at most one segment per byte, plus the "pre" every '-' adds */
#define MAX_SEGS (FTH_LIMIT_VERSION_LEN + 1)

struct gemver {
    struct seg segs[MAX_SEGS];
    size_t n;
    int prerelease;
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
    return is_digit(c) || is_alpha(c);
}

/* Ruby's \s */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/*
 * Gem::Version's pattern: digits, then ".alnum" parts, then an optional "-" part of
 * alphanumerics and hyphens in dotted pieces; or nothing at all (that is "0").
 */
static int well_formed(const char *s, size_t n)
{
    size_t i = 0;

    if (!n)
        return 1;
    if (!is_digit(s[0]))
        return 0;
    while (i < n && is_digit(s[i]))
        i++;
    while (i < n && s[i] == '.') {
        if (++i == n || !is_alnum(s[i]))
            return 0;
        while (i < n && is_alnum(s[i]))
            i++;
    }
    if (i < n && s[i] == '-') {
        for (;;) {
            if (++i == n || !(is_alnum(s[i]) || s[i] == '-'))
                return 0;
            while (i < n && (is_alnum(s[i]) || s[i] == '-'))
                i++;
            if (i == n || s[i] != '.')
                break;
        }
    }
    return i == n;
}

static void strip(const char **s, size_t *n)
{
    while (*n && is_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

static int parse(struct gemver *g, const char *s, size_t n)
{
    size_t i = 0, j;

    g->n = 0;
    g->prerelease = 0;
    strip(&s, &n);
    if (n > FTH_LIMIT_VERSION_LEN || !well_formed(s, n))
        return -1;
    while (i < n) {
        struct seg *sg = &g->segs[g->n];

        if (s[i] == '-') {
            /* "-" is ".pre." */
            sg->num = 0;
            sg->p = "pre";
            sg->n = 3;
            g->prerelease = 1;
            g->n++;
            i++;
            continue;
        }
        if (!is_alnum(s[i])) {
            i++;
            continue;
        }
        for (j = i; j < n && is_digit(s[j]) == is_digit(s[i]) && is_alnum(s[j]); j++)
            ;
        sg->num = is_digit(s[i]);
        if (sg->num) {
            while (i < j - 1 && s[i] == '0')
                i++;
            if (s[i] == '0')
                i++;
        } else {
            g->prerelease = 1;
        }
        sg->p = s + i;
        sg->n = j - i;
        g->n++;
        i = j;
    }
    return 0;
}

static int is_zero(const struct seg *s)
{
    return s->num && s->n == 0;
}

/* Gem::Version#canonical_segments: trailing zeros dropped before the first string and at the end */
static void canonical(struct gemver *g)
{
    size_t first_str = 0, i, out = 0, end;

    while (first_str < g->n && g->segs[first_str].num)
        first_str++;
    end = first_str;
    while (end > 0 && is_zero(&g->segs[end - 1]))
        end--;
    out = end;
    for (i = first_str; i < g->n; i++)
        g->segs[out++] = g->segs[i];
    g->n = out;
    while (g->n > end && is_zero(&g->segs[g->n - 1]))
        g->n--;
}

static int seg_cmp(const struct seg *a, const struct seg *b)
{
    int c;

    if (a->num != b->num)
        return a->num ? 1 : -1;
    if (a->num && a->n != b->n)
        return a->n < b->n ? -1 : 1;
    c = memcmp(a->p, b->p, a->n < b->n ? a->n : b->n);
    if (c)
        return c < 0 ? -1 : 1;
    return (a->n > b->n) - (a->n < b->n);
}

static int gem_cmp(struct gemver *a, struct gemver *b)
{
    static const struct seg zero = {1, "", 0};
    size_t i, n;
    int c;

    canonical(a);
    canonical(b);
    n = a->n > b->n ? a->n : b->n;
    for (i = 0; i < n; i++) {
        c = seg_cmp(i < a->n ? &a->segs[i] : &zero, i < b->n ? &b->segs[i] : &zero);
        if (c)
            return c;
    }
    return 0;
}

static int valid(const char *v, unsigned flags)
{
    struct gemver g;

    (void)flags;
    return parse(&g, v, strlen(v)) == 0;
}

static int compare_text(const char *a, size_t na, const char *b, size_t nb)
{
    struct gemver *g = malloc(2 * sizeof(*g));
    int c;

    if (!g || parse(&g[0], a, na) < 0 || parse(&g[1], b, nb) < 0) {
        free(g);
        return 0;
    }
    c = gem_cmp(&g[0], &g[1]);
    free(g);
    return c;
}

static int compare(const char *a, const char *b, unsigned flags)
{
    (void)flags;
    return compare_text(a, strlen(a), b, strlen(b));
}

/* ---- requirements: "~> 1.2", ">= 1.0, < 2"; a bare version means "=" ---- */

/* Append the numeric segments before the first string, joined by '.', to out; their count. */
static size_t numeric_prefix(char *out, size_t cap, size_t *len, const struct gemver *g)
{
    size_t i;

    *len = 0;
    for (i = 0; i < g->n && g->segs[i].num; i++) {
        int w = snprintf(out + *len, cap - *len, "%s%.*s", i ? "." : "",
                         g->segs[i].n ? (int)g->segs[i].n : 1, g->segs[i].n ? g->segs[i].p : "0");

        if (w < 0 || (size_t)w >= cap - *len)
            break;
        *len += (size_t)w;
    }
    return i;
}

/* v >= r and v.release < r.bump */
static int pessimistic(const char *v, const char *r, size_t rn)
{
    char rel[FTH_LIMIT_VERSION_LEN + 2], bump[FTH_LIMIT_VERSION_LEN + 4];
    struct gemver *g = malloc(sizeof(*g));
    size_t rel_len = 0, bump_len = 0, count, i;
    int ok = 0;

    if (!g || compare_text(v, strlen(v), r, rn) < 0)
        goto out;
    /* v.release: v itself, or its numeric prefix when it is a pre-release */
    if (parse(g, v, strlen(v)) < 0)
        goto out;
    if (g->prerelease)
        numeric_prefix(rel, sizeof(rel), &rel_len, g);
    else
        rel_len = (size_t)snprintf(rel, sizeof(rel), "%s", v);
    /* r.bump: the numeric prefix without its last segment (when two or more), last one + 1 */
    if (parse(g, r, rn) < 0)
        goto out;
    count = numeric_prefix(bump, sizeof(bump) - 2, &bump_len, g);
    if (count > 1) {
        while (bump_len > 0 && bump[bump_len - 1] != '.')
            bump_len--;
        if (bump_len > 0) /* drop the '.' too */
            bump_len--;
    }
    bump[bump_len] = '\0';
    for (i = bump_len; i > 0 && bump[i - 1] == '9'; i--)
        bump[i - 1] = '0';
    if (i == 0 || bump[i - 1] == '.') {
        /* carry into a new leading digit */
        memmove(bump + i + 1, bump + i, bump_len - i + 1);
        bump[i] = '1';
        bump_len++;
    } else {
        bump[i - 1]++;
    }
    ok = compare_text(rel, rel_len, bump, bump_len) < 0;
out:
    free(g);
    return ok;
}

static int satisfies(const char *version, const char *range, unsigned flags, struct fth_error *err)
{
    static const char *const ops[] = {">=", "<=", "!=", "~>", "=", ">", "<"};
    const char *p = range;
    int seen = 0;

    (void)flags;
    while (*p) {
        const char *start = p, *stop, *op = "=", *want;
        size_t i, n, wn;
        int c, r = 0;

        while (*p && *p != ',')
            p++;
        stop = p;
        if (*p)
            p++;
        n = (size_t)(stop - start);
        strip(&start, &n);
        if (!n || (*stop == ',' && !*p))
            return fth_error_set(err, FTH_EINVALID, "empty requirement in '%s'", range);
        for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
            if (n >= strlen(ops[i]) && !memcmp(start, ops[i], strlen(ops[i]))) {
                op = ops[i];
                start += strlen(op);
                n -= strlen(op);
                break;
            }
        }
        strip(&start, &n);
        want = start;
        wn = n;
        if (!wn || !well_formed(want, wn) || wn > FTH_LIMIT_VERSION_LEN)
            return fth_error_set(err, FTH_EINVALID,
                                 "illformed requirement '%.*s': expected [op] version with op "
                                 "one of = != > < >= <= ~>",
                                 (int)wn, want);
        c = compare_text(version, strlen(version), want, wn);
        if (!strcmp(op, "="))
            r = c == 0;
        else if (!strcmp(op, "!="))
            r = c != 0;
        else if (!strcmp(op, ">"))
            r = c > 0;
        else if (!strcmp(op, "<"))
            r = c < 0;
        else if (!strcmp(op, ">="))
            r = c >= 0;
        else if (!strcmp(op, "<="))
            r = c <= 0;
        else
            r = pessimistic(version, want, wn);
        if (!r)
            return 0;
        seen = 1;
    }
    if (!seen)
        return fth_error_set(err, FTH_EINVALID, "empty requirement");
    return 1;
}

const struct version_ops version_gem_ops = {valid, compare, satisfies, NULL};
