/*
 * Packagist: Composer's version normalisation (composer/semver's VersionParser), its order
 * (PHP's version_compare on normalised versions) and its constraints.
 *
 * Normal forms have four numbers and a stability suffix: "v1.2" is "1.2.0.0", "1.0-b2" is
 * "1.0.0.0-beta2", "1.x-dev" is "1.9999999.9999999.9999999-dev", a branch "dev-main" stays.
 * version_compare orders dev < alpha < beta < RC < (a number) < patch. Constraints: ^ ~ * x
 * ranges, hyphen ranges, comparison operators, || (or |) between alternatives, spaces or
 * commas between requirements that all hold, "@stability" flags (which only annotate a
 * requirement for stable versions, as Composer does) and "as" aliases (ignored).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

/* a normal form is never more than four times its input plus a few suffixes */
#define NORM_MAX (4 * FTH_LIMIT_VERSION_LEN + 64)

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* PHP's trim() set and PCRE's \s */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '\0';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

/* Case-insensitive: does s[0..n) start with word? */
static int ci_prefix(const char *s, size_t n, const char *word)
{
    size_t i, w = strlen(word);

    if (n < w)
        return 0;
    for (i = 0; i < w; i++)
        if (lower(s[i]) != lower(word[i]))
            return 0;
    return 1;
}

static int ci_equal(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && ci_prefix(s, n, word);
}

struct out {
    char buf[NORM_MAX + 1];
    size_t len;
    int overflow;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->len + n > NORM_MAX) {
        o->overflow = 1;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* ---- the modifier: [._-]?((stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)? */

struct modifier {
    const char *label; /* the label as written, NULL when none */
    size_t label_len;
    const char *nums; /* the numbers after it, as written */
    size_t nums_len;
    int dev;
};

static size_t stability_label(const char *s, size_t n)
{
    static const char *const labels[] = {"stable", "beta",  "b",  "rc", "alpha",
                                         "a",      "patch", "pl", "p"};
    size_t i;

    for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (ci_prefix(s, n, labels[i]))
            return strlen(labels[i]);
    return 0;
}

/* Does the modifier match all of s[0..n)? */
static int modifier(struct modifier *m, const char *s, size_t n)
{
    int attempt;

    for (attempt = 0; attempt < 2; attempt++) {
        size_t i = 0, k, t;

        memset(m, 0, sizeof(*m));
        if (attempt == 0) {
            if (!n || (s[0] != '.' && s[0] != '_' && s[0] != '-'))
                continue;
            i = 1;
        }
        if ((k = stability_label(s + i, n - i)) > 0) {
            m->label = s + i;
            m->label_len = k;
            i += k;
            m->nums = s + i;
            for (;;) {
                t = i;
                if (t < n && (s[t] == '.' || s[t] == '-'))
                    t++;
                if (t == n || !is_digit(s[t]))
                    break;
                while (t < n && is_digit(s[t]))
                    t++;
                i = t;
            }
            m->nums_len = (size_t)(s + i - m->nums);
        }
        t = i;
        if (t < n && (s[t] == '.' || s[t] == '-'))
            t++;
        if (n - t == 3 && ci_prefix(s + t, 3, "dev")) {
            m->dev = 1;
            i = n;
        }
        if (i == n)
            return 1;
    }
    return 0;
}

static const char *expand_stability(const char *s, size_t n)
{
    if (ci_equal(s, n, "a") || ci_equal(s, n, "alpha"))
        return "alpha";
    if (ci_equal(s, n, "b") || ci_equal(s, n, "beta"))
        return "beta";
    if (ci_equal(s, n, "p") || ci_equal(s, n, "pl") || ci_equal(s, n, "patch"))
        return "patch";
    if (ci_equal(s, n, "rc"))
        return "RC";
    return "stable";
}

/* Append "-<stability><numbers>" and "-dev" as normalize() does; 1 when it ends the version */
static int put_modifier(struct out *o, const struct modifier *m)
{
    if (m->label) {
        const char *nums = m->nums;
        size_t nn = m->nums_len;

        if (m->label_len == 6 && !memcmp(m->label, "stable", 6))
            return 1; /* exactly "stable": the version as it is, even before "-dev" */
        while (nn && (*nums == '.' || *nums == '-')) {
            nums++;
            nn--;
        }
        puts_(o, "-");
        puts_(o, expand_stability(m->label, m->label_len));
        put(o, nums, nn);
    }
    if (m->dev)
        puts_(o, "-dev");
    return 0;
}

/* numbers: v?(\d{1,5})(\.\d+)?(\.\d+)?(\.\d+)? — the four groups and where they end */
struct nums {
    const char *g[4];
    size_t n[4];
    int count;
};

static size_t leading_numbers(struct nums *x, const char *s, size_t n, size_t max_first)
{
    size_t i = 0, j;

    memset(x, 0, sizeof(*x));
    if (i < n && lower(s[i]) == 'v')
        i++;
    for (j = i; j < n && is_digit(s[j]); j++)
        ;
    if (j == i || j - i > max_first)
        return 0;
    x->g[0] = s + i;
    x->n[0] = j - i;
    x->count = 1;
    i = j;
    while (x->count < 4 && i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
        for (j = i + 1; j < n && is_digit(s[j]); j++)
            ;
        x->g[x->count] = s + i + 1;
        x->n[x->count] = j - i - 1;
        x->count++;
        i = j;
    }
    return i;
}

/* normalizeBranch: "1.x" is 1.9999999.9999999.9999999-dev; anything else dev-<name> */
static void normalize_branch(struct out *o, const char *s, size_t n)
{
    size_t i = 0, start, k = 0;
    int parts = 0;

    trim(&s, &n);
    if (i < n && lower(s[i]) == 'v')
        i++;
    start = i;
    while (i < n) {
        size_t j = i;

        if (parts > 0) {
            if (s[j] != '.' || parts == 4)
                break;
            j++;
        }
        if (j < n && (s[j] == 'x' || s[j] == 'X' || s[j] == '*') && parts > 0) {
            j++;
        } else {
            size_t d = j;

            while (d < n && is_digit(s[d]))
                d++;
            if (d == j)
                break;
            j = d;
        }
        i = j;
        parts++;
    }
    if (i == n && parts > 0) {
        /* each of the four parts, "x" where missing or a wildcard */
        for (i = start; i < n; i++) {
            if (s[i] == 'x' || s[i] == 'X' || s[i] == '*')
                puts_(o, "9999999");
            else
                put(o, s + i, 1);
        }
        for (k = (size_t)parts; k < 4; k++)
            puts_(o, ".9999999");
        puts_(o, "-dev");
        return;
    }
    puts_(o, "dev-");
    put(o, s, n);
}

/* the stability flags a constraint may carry: @stable @RC @beta @alpha @dev */
static size_t stability_flag(const char *s, size_t n)
{
    static const char *const flags[] = {"@stable", "@rc", "@beta", "@alpha", "@dev"};
    size_t i, w;

    for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        w = strlen(flags[i]);
        if (n >= w && ci_equal(s + n - w, w, flags[i]))
            return w;
    }
    return 0;
}

/* Split "X as Y" (one or more spaces around "as"); the length of X or n. */
static size_t strip_alias(const char *s, size_t n)
{
    size_t i;

    for (i = 1; i + 4 <= n; i++) {
        size_t a = i, b;

        if (s[a] != ' ')
            continue;
        while (a < n && s[a] == ' ')
            a++;
        if (a + 2 >= n || s[a] != 'a' || s[a + 1] != 's' || s[a + 2] != ' ')
            continue;
        for (b = a + 2; b < n && s[b] == ' '; b++)
            ;
        if (b == n)
            return n;
        {
            size_t k;

            for (k = 0; k < n; k++)
                if (k < i || k >= b)
                    if (s[k] == ',' || is_space(s[k]))
                        return n;
        }
        return i;
    }
    return n;
}

/* VersionParser::normalize; 0 or -1 (not a version Composer accepts). */
static int normalize(struct out *o, const char *s, size_t n)
{
    struct nums x;
    struct modifier m;
    size_t i, end, k;

    o->len = 0;
    o->overflow = 0;
    o->buf[0] = '\0';
    trim(&s, &n);
    if (n > FTH_LIMIT_VERSION_LEN)
        return -1;
    n = strip_alias(s, n);
    n -= stability_flag(s, n);
    if ((n == 6 && !memcmp(s, "master", 6)) || (n == 5 && !memcmp(s, "trunk", 5)) ||
        (n == 7 && !memcmp(s, "default", 7))) {
        puts_(o, "dev-");
        put(o, s, n);
        return 0;
    }
    if (ci_prefix(s, n, "dev-")) {
        puts_(o, "dev-");
        put(o, s + 4, n - 4);
        return 0;
    }
    /* build metadata: everything after a '+' when no whitespace or comma comes before it */
    for (i = 0; i < n && s[i] != '+' && s[i] != ',' && !is_space(s[i]); i++)
        ;
    if (i > 0 && i < n && s[i] == '+') {
        for (k = i + 1; k < n && !is_space(s[k]); k++)
            ;
        if (k == n && k > i + 1)
            n = i;
    }
    /* classical versions */
    if ((end = leading_numbers(&x, s, n, 5)) > 0 && modifier(&m, s + end, n - end)) {
        put(o, x.g[0], x.n[0]);
        for (k = 1; k < 4; k++) {
            if (k < (size_t)x.count) {
                puts_(o, ".");
                put(o, x.g[k], x.n[k]);
            } else {
                puts_(o, ".0");
            }
        }
        put_modifier(o, &m);
        return o->overflow ? -1 : 0;
    }
    /* dates: \d{4}([.:-]?\d{2}){1,6}([.:-]?\d{1,3}){0,2}, separators become dots */
    {
        size_t p = 0, start, twos = 0, threes = 0, d;

        if (p < n && lower(s[p]) == 'v')
            p++;
        start = p;
        for (d = 0; p < n && is_digit(s[p]) && d < 4; p++, d++)
            ;
        if (d == 4) {
            for (;;) {
                size_t q = p;

                if (q < n && (s[q] == '.' || s[q] == ':' || s[q] == '-'))
                    q++;
                if (twos < 6 && q + 1 < n && is_digit(s[q]) && is_digit(s[q + 1])) {
                    p = q + 2;
                    twos++;
                    continue;
                }
                if (twos >= 1 && threes < 2 && q < n && is_digit(s[q])) {
                    for (d = 0; q < n && is_digit(s[q]) && d < 3; q++, d++)
                        ;
                    p = q;
                    threes++;
                    continue;
                }
                break;
            }
            if (twos >= 1 && modifier(&m, s + p, n - p)) {
                for (k = start; k < p; k++)
                    put(o, is_digit(s[k]) ? s + k : ".", 1);
                put_modifier(o, &m);
                return o->overflow ? -1 : 0;
            }
        }
    }
    /* numeric branches: "1.x-dev", "2.0.x.dev" */
    for (i = 0; i < n; i++) {
        size_t rest = n - i;

        if ((rest == 3 && ci_prefix(s + i, 3, "dev")) ||
            (rest == 4 && (s[i] == '.' || s[i] == '-') && ci_prefix(s + i + 1, 3, "dev"))) {
            normalize_branch(o, s, i);
            if (!strstr(o->buf, "dev-") && !o->overflow)
                return 0;
            break;
        }
    }
    return -1;
}

/* ---- PHP's version_compare ---- */

static int special_form(const char *s)
{
    static const struct {
        const char *name;
        int order;
    } forms[] = {{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
                 {"RC", 3},  {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
    size_t i;

    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
        if (!strncmp(s, forms[i].name, strlen(forms[i].name)))
            return forms[i].order;
    return -1;
}

static int sign(int c)
{
    return (c > 0) - (c < 0);
}

/* php_canonicalize_version: "-_+" and other punctuation become '.', digit/letter switches too */
static void canonicalize(char *out, const char *v)
{
    char *q = out, lp;
    const char *p = v;

    if (!*p) {
        *q = '\0';
        return;
    }
    *q++ = lp = *p++;
    while (*p) {
        int ld = is_digit(lp), pd = is_digit(*p);
        int lnd = !ld && lp != '.', pnd = !pd && *p != '.';

        if (*p == '-' || *p == '_' || *p == '+') {
            if (q[-1] != '.')
                *q++ = '.';
        } else if ((lnd && pd) || (ld && pnd)) {
            if (q[-1] != '.')
                *q++ = '.';
            *q++ = *p;
        } else if (!is_digit(*p) && !is_alpha(*p)) {
            if (q[-1] != '.')
                *q++ = '.';
        } else {
            *q++ = *p;
        }
        lp = *p++;
    }
    *q = '\0';
}

/* strtol of a digit run, clamped at LONG_MAX as PHP's is */
static int long_cmp(const char *a, size_t na, const char *b, size_t nb)
{
    static const char max[] = "9223372036854775807";
    int c;

    while (na > 1 && *a == '0')
        a++, na--;
    while (nb > 1 && *b == '0')
        b++, nb--;
    if (na > 19 || (na == 19 && memcmp(a, max, 19) > 0))
        a = max, na = 19;
    if (nb > 19 || (nb == 19 && memcmp(b, max, 19) > 0))
        b = max, nb = 19;
    if (na != nb)
        return na < nb ? -1 : 1;
    c = memcmp(a, b, na);
    return sign(c);
}

static size_t digit_run(const char *s)
{
    size_t n = 0;

    /* callers pass digits they checked (valgrind-clean) */
    /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
    while (is_digit(s[n]))
        n++;
    return n;
}

static int php_version_compare(const char *a, const char *b, int depth)
{
    char *ca = NULL, *cb = NULL, *p1, *p2, *n1, *n2;
    int c = 0;

    if (depth > 2)
        return 0;
    if (!*a)
        return *b ? php_version_compare("#N#", b, depth + 1) : 0;
    if (!*b)
        return php_version_compare(a, "#N#", depth + 1);
    if (!(ca = malloc(2 * strlen(a) + 1)) || !(cb = malloc(2 * strlen(b) + 1)))
        goto out;
    canonicalize(ca, a);
    canonicalize(cb, b);
    p1 = n1 = ca;
    p2 = n2 = cb;
    while (*p1 && *p2 && n1 && n2) {
        if ((n1 = strchr(p1, '.')) != NULL)
            *n1 = '\0';
        if ((n2 = strchr(p2, '.')) != NULL)
            *n2 = '\0';
        if (is_digit(*p1) && is_digit(*p2))
            c = long_cmp(p1, digit_run(p1), p2, digit_run(p2));
        else if (!is_digit(*p1) && !is_digit(*p2))
            c = sign(special_form(p1) - special_form(p2));
        else if (is_digit(*p1))
            c = sign(special_form("#N#") - special_form(p2));
        else
            c = sign(special_form(p1) - special_form("#N#"));
        if (c)
            break;
        if (n1)
            p1 = n1 + 1;
        if (n2)
            p2 = n2 + 1;
    }
    if (!c) {
        if (n1)
            c = is_digit(*p1) ? 1 : php_version_compare(p1, "#N#", depth + 1);
        else if (n2)
            c = is_digit(*p2) ? -1 : php_version_compare("#N#", p2, depth + 1);
    }
out:
    free(ca);
    free(cb);
    return c;
}

static int is_branch(const char *v)
{
    return !strncmp(v, "dev-", 4);
}

/* Comparator::compare on normal forms; two branches order by name */
static int norm_cmp(const char *a, const char *b)
{
    if (is_branch(a) && is_branch(b))
        return sign(strcmp(a, b));
    return php_version_compare(a, b, 0);
}

static int valid(const char *v, unsigned flags)
{
    struct out *o = malloc(sizeof(*o));
    int ok;

    (void)flags;
    ok = o && normalize(o, v, strlen(v)) == 0;
    free(o);
    return ok;
}

static int compare(const char *a, const char *b, unsigned flags)
{
    struct out *o = malloc(2 * sizeof(*o));
    int c = 0;

    (void)flags;
    if (o && normalize(&o[0], a, strlen(a)) == 0 && normalize(&o[1], b, strlen(b)) == 0)
        c = norm_cmp(o[0].buf, o[1].buf);
    free(o);
    return c;
}

/* ---- constraints ---- */

enum op { OP_ALL, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct check {
    const char *version; /* the tested version's normal form */
    struct out *scratch;
    struct fth_error *err;
};

/* Constraint('op', c)->matches(Constraint('==', v)) */
static int holds(enum op op, const char *c, const char *v)
{
    int cmp;

    if (op == OP_ALL)
        return 1;
    if (is_branch(c) || is_branch(v)) {
        /* branches only equal themselves; a range never holds a branch */
        if (op == OP_EQ)
            return !strcmp(c, v);
        if (op == OP_NE)
            return strcmp(c, v) != 0;
        return 0;
    }
    cmp = php_version_compare(v, c, 0);
    switch (op) {
    case OP_EQ:
        return cmp == 0;
    case OP_NE:
        return cmp != 0;
    case OP_LT:
        return cmp < 0;
    case OP_LE:
        return cmp <= 0;
    case OP_GT:
        return cmp > 0;
    default:
        return cmp >= 0;
    }
}

/* "M.m.p.b" from groups, those after `position` 0, the one at it plus `inc`. */
static int manipulate(struct out *o, const struct nums *x, int position, int inc)
{
    char num[NORM_MAX + 2];
    int i;

    o->len = 0;
    o->overflow = 0;
    o->buf[0] = '\0';
    for (i = 1; i <= 4; i++) {
        size_t n = (i <= x->count) ? x->n[i - 1] : 0;
        const char *g = (i <= x->count) ? x->g[i - 1] : "0";

        if (i > 1)
            puts_(o, ".");
        if (i > position || n == 0) {
            puts_(o, "0");
        } else if (i == position && inc) {
            /* PHP adds as integers: leading zeros go, 9 carries */
            size_t k;

            while (n > 1 && *g == '0')
                g++, n--;
            num[0] = '0';
            memcpy(num + 1, g, n);
            for (k = n; k > 0 && num[k] == '9'; k--)
                num[k] = '0';
            num[k]++;
            if (num[0] == '0')
                put(o, num + 1, n);
            else
                put(o, num, n + 1);
        } else {
            put(o, g, n);
        }
    }
    return o->overflow ? -1 : 0;
}

/* One requirement (no spaces except a hyphen range's, no ||): 1 holds, 0 not, or an error. */
static int requirement(struct check *ck, const char *s, size_t n)
{
    struct out *o = ck->scratch, *hi = ck->scratch + 1;
    const char *flag = NULL;
    struct nums x, y;
    struct modifier m;
    size_t end, f, i, k;
    int lo_ok, position;

    n = strip_alias(s, n);
    if ((f = stability_flag(s, n)) > 0) {
        flag = s + n - f + 1;
        n -= f;
        if (!n) {
            s = "*";
            n = 1;
        }
    }
    /* "dev-main#abc123": the reference is Composer's business */
    for (k = 0; k < n && s[k] != '#'; k++)
        ;
    if (k < n && (ci_prefix(s, n, "dev-") || (k >= 6 && ci_equal(s + k - 6, 6, ".x-dev"))))
        n = k;
    /* *, x, v*, x.x.* */
    for (i = (n && lower(s[0]) == 'v') ? 1 : 0, k = i; k < n; k += 2) {
        if (s[k] != 'x' && s[k] != 'X' && s[k] != '*')
            break;
        if (k + 1 < n && s[k + 1] != '.')
            break;
        if (k + 1 == n) {
            if (i == 0 && n == 1)
                return 1;
            return holds(OP_GE, "0.0.0.0-dev", ck->version);
        }
    }
    if (n && (s[0] == '~' || s[0] == '^')) {
        int tilde = s[0] == '~';

        if (tilde && n > 1 && s[1] == '>')
            return fth_error_set(ck->err, FTH_EINVALID,
                                 "invalid operator '~>' in '%.*s': Composer's is '~'", (int)n, s);
        end = leading_numbers(&x, s + 1, n - 1, (size_t)-1);
        if (!end)
            goto bad;
        for (k = end + 1; k < n && s[k] != '+'; k++)
            ;
        if (!modifier(&m, s + 1 + end, k - 1 - end))
            goto bad;
        if (tilde) {
            position = x.count;
            position = position > 1 ? position - 1 : 1;
        } else if (!(x.n[0] == 1 && x.g[0][0] == '0') || x.count < 2) {
            position = 1;
        } else if (!(x.n[1] == 1 && x.g[1][0] == '0') || x.count < 3) {
            position = 2;
        } else {
            position = 3;
        }
        if (normalize(o, s + 1, n - 1) < 0)
            goto bad;
        if (!m.label && !m.dev && !is_branch(o->buf))
            puts_(o, "-dev");
        lo_ok = holds(OP_GE, o->buf, ck->version);
        if (manipulate(hi, &x, position, 1) < 0)
            goto bad;
        puts_(hi, "-dev");
        return lo_ok && holds(OP_LT, hi->buf, ck->version);
    }
    /* 1.2.* and 1.2.x */
    {
        size_t p = leading_numbers(&x, s, n, (size_t)-1), q = p;

        if (p && x.count <= 3 && q + 1 < n) {
            while (q + 1 < n && s[q] == '.' &&
                   (s[q + 1] == 'x' || s[q + 1] == 'X' || s[q + 1] == '*'))
                q += 2;
            if (q == n && q > p) {
                if (manipulate(o, &x, x.count, 0) < 0 || manipulate(hi, &x, x.count, 1) < 0)
                    goto bad;
                puts_(o, "-dev");
                puts_(hi, "-dev");
                if (!strcmp(o->buf, "0.0.0.0-dev"))
                    return holds(OP_LT, hi->buf, ck->version);
                return holds(OP_GE, o->buf, ck->version) && holds(OP_LT, hi->buf, ck->version);
            }
        }
    }
    /* hyphen ranges: "1.0 - 2.0" */
    {
        const char *dash = NULL;

        for (i = 1; i + 2 < n; i++) {
            if (s[i] == ' ') {
                for (k = i; k < n && s[k] == ' '; k++)
                    ;
                if (k + 1 < n && s[k] == '-' && s[k + 1] == ' ') {
                    dash = s + k;
                    break;
                }
            }
        }
        if (dash) {
            const char *to = dash + 1;
            size_t from_n = i, to_n;

            while (to < s + n && *to == ' ')
                to++;
            to_n = (size_t)(s + n - to);
            if (!(end = leading_numbers(&x, s, from_n, (size_t)-1)) ||
                !modifier(&m, s + end, from_n - end) || normalize(o, s, from_n) < 0)
                goto bad;
            if (!m.label && !m.dev)
                puts_(o, "-dev");
            lo_ok = holds(OP_GE, o->buf, ck->version);
            if (!(end = leading_numbers(&y, to, to_n, (size_t)-1)))
                goto bad;
            for (k = end; k < to_n && to[k] != '+'; k++)
                ;
            if (!modifier(&m, to + end, k - end) || normalize(hi, to, to_n) < 0)
                goto bad;
            if (y.count >= 3 || m.label || m.dev)
                return lo_ok && holds(OP_LE, hi->buf, ck->version);
            if (manipulate(hi, &y, y.count < 2 ? 1 : 2, 1) < 0)
                goto bad;
            puts_(hi, "-dev");
            return lo_ok && holds(OP_LT, hi->buf, ck->version);
        }
    }
    /* comparison operators */
    {
        static const struct {
            const char *text;
            enum op op;
        } ops[] = {{"<>", OP_NE}, {"!=", OP_NE}, {">=", OP_GE}, {"<=", OP_LE},
                   {"==", OP_EQ}, {">", OP_GT},  {"<", OP_LT},  {"=", OP_EQ}};
        enum op op = OP_EQ;
        const char *v;
        size_t vn;

        for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
            size_t w = strlen(ops[i].text);

            if (n >= w && !memcmp(s, ops[i].text, w)) {
                op = ops[i].op;
                s += w;
                n -= w;
                break;
            }
        }
        v = s;
        vn = n;
        trim(&v, &vn);
        if (normalize(o, v, vn) < 0) {
            /* foo-dev means dev-foo */
            if (vn > 4 && !memcmp(v + vn - 4, "-dev", 4)) {
                for (k = 0; k < vn; k++)
                    if (!(is_digit(v[k]) || is_alpha(v[k]) || strchr("-./", v[k])))
                        goto bad;
                o->len = 0;
                o->overflow = 0;
                puts_(o, "dev-");
                put(o, v, vn - 4);
            } else {
                goto bad;
            }
        }
        if (op != OP_EQ && flag && strncmp(flag, "stable", 6) != 0 && !is_branch(o->buf) &&
            !strstr(o->buf, "-dev") && !strstr(o->buf, "-alpha") && !strstr(o->buf, "-beta") &&
            !strstr(o->buf, "-RC")) {
            puts_(o, "-");
            put(o, flag, strlen(flag));
        } else if (op == OP_LT || op == OP_GE) {
            /* "< 2.0" leaves out 2.0's pre-releases, ">= 1.0" lets 1.0's in */
            int suffixed = 0;

            for (k = 0; k < vn && !suffixed; k++)
                if (v[k] == '-' && modifier(&m, v + k + 1, vn - k - 1))
                    suffixed = 1;
            if (!suffixed && !ci_prefix(v, vn, "dev-"))
                puts_(o, "-dev");
        }
        if (o->overflow)
            goto bad;
        return holds(op, o->buf, ck->version);
    }
bad:
    return fth_error_set(ck->err, FTH_EINVALID, "could not parse version constraint '%.*s'", (int)n,
                         s);
}

static int is_op_end(char c)
{
    return c == '=' || c == '>' || c == '<';
}

/* One alternative (no |): requirements separated by spaces or commas, all of which hold. */
static int alternative(struct check *ck, const char *s, size_t n)
{
    size_t i = 0;
    int r, seen = 0;

    trim(&s, &n);
    while (i < n) {
        size_t start, word, k;

        while (i < n && (s[i] == ',' || is_space(s[i])))
            i++;
        if (i == n)
            break;
        start = i;
        for (;;) {
            word = i;
            while (i < n && s[i] != ',' && !is_space(s[i]))
                i++;
            if (i == n || s[i] == ',')
                break;
            for (k = i; k < n && is_space(s[k]); k++)
                ;
            if (k == n)
                break;
            /* ">= 1.0", "1.0 - 2.0" and "1.0 as 2.0" are one requirement */
            if ((i > word && is_op_end(s[i - 1])) ||
                (s[k] == '-' && k + 1 < n && s[k + 1] == ' ') ||
                (i - word == 1 && s[word] == '-') ||
                (k + 2 < n && s[k] == 'a' && s[k + 1] == 's' && s[k + 2] == ' ')) {
                i = k;
                continue;
            }
            if (i - word == 2 && s[word] == 'a' && s[word + 1] == 's') {
                i = k;
                continue;
            }
            break;
        }
        if ((r = requirement(ck, s + start, i - start)) < 0)
            return r;
        if (!r)
            return 0;
        seen = 1;
    }
    if (!seen)
        return fth_error_set(ck->err, FTH_EINVALID, "empty constraint");
    return 1;
}

static int satisfies(const char *version, const char *range, unsigned flags, struct fth_error *err)
{
    struct out *o = malloc(3 * sizeof(*o));
    struct check ck;
    const char *p = range;
    int error = 0, any = 0, r;

    (void)flags;
    if (!o) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    if (normalize(&o[2], version, strlen(version)) < 0) {
        error = fth_error_set(err, FTH_EINVALID, "'%s' is not a valid Composer version", version);
        goto out;
    }
    ck.version = o[2].buf;
    ck.scratch = o;
    ck.err = err;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);

        if ((r = alternative(&ck, p, n)) < 0) {
            error = r;
            goto out;
        }
        any |= r;
        if (!bar)
            break;
        p = bar + 1;
        if (*p == '|')
            p++;
    }
    error = any;
out:
    free(o);
    return error;
}

const struct version_ops version_composer_ops = {valid, compare, satisfies, NULL};
