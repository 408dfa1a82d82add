/*
 * Maven: the order of Maven 3.9's ComparableVersion, and Maven's version ranges.
 *
 * A version becomes a tree of items: numbers, qualifiers (strings) and sub-lists. '.' separates
 * items of one list; '-' and every switch between letters and digits open a sub-list; a
 * qualifier after a '.' also opens one (Maven 3.9, MNG-7644: 1.0.RC1 orders like 1.0-RC1).
 * Trailing "null" items (0, the release qualifier, empty lists) are dropped from each list.
 * Every text is a valid version. Letters fold to lower case as Java's toLowerCase does for ASCII,
 * Latin-1, Latin Extended-A, Greek and Cyrillic; only ASCII digits are digits (Java's
 * Character.isDigit knows every script's digits).
 */
#include <stdlib.h>
#include <string.h>

#include "version_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

enum { IT_NUM, IT_STR, IT_LIST };

/* Every character adds at most an item and two lists; a root list. */
#define MAX_ITEMS (3 * FTH_LIMIT_VERSION_LEN + 4)

struct item {
    int type;
    const char *s; /* IT_NUM: digits without leading zeros; IT_STR: the qualifier */
    size_t n;
    int first, last, prev, next; /* children of a list; siblings; -1 for none */
};

struct mvn {
    char text[FTH_LIMIT_VERSION_LEN + 1];
    struct item items[MAX_ITEMS];
    int n;
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Java's lower case of the code points that are two bytes in UTF-8 and stay two bytes. */
static unsigned lower_cp(unsigned c)
{
    if (c >= 0xc0 && c <= 0xde && c != 0xd7)
        return c + 0x20;
    if ((c >= 0x100 && c <= 0x137 && !(c & 1) && c != 0x130) ||
        (c >= 0x139 && c <= 0x148 && (c & 1)) || (c >= 0x14a && c <= 0x177 && !(c & 1)) ||
        (c >= 0x179 && c <= 0x17e && (c & 1)))
        return c + 1;
    if (c == 0x178)
        return 0xff;
    if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40f)
        return c + 0x50;
    if (c >= 0x410 && c <= 0x42f)
        return c + 0x20;
    return c;
}

static void lower(char *out, const char *in, size_t len)
{
    const unsigned char *u = (const unsigned char *)in;
    size_t i;

    for (i = 0; i < len; i++) {
        if (u[i] >= 'A' && u[i] <= 'Z') {
            out[i] = (char)(u[i] - 'A' + 'a');
        } else if ((u[i] & 0xe0) == 0xc0 && i + 1 < len && (u[i + 1] & 0xc0) == 0x80) {
            unsigned c = lower_cp(((unsigned)(u[i] & 0x1f) << 6) | (u[i + 1] & 0x3f));

            out[i] = (char)(0xc0 | (c >> 6));
            out[i + 1] = (char)(0x80 | (c & 0x3f));
            i++;
        } else {
            out[i] = (char)u[i];
        }
    }
    out[len] = '\0';
}

static int add(struct mvn *m, int list, int type, const char *s, size_t n)
{
    struct item *it = &m->items[m->n];
    struct item *l = &m->items[list];

    it->type = type;
    it->s = s;
    it->n = n;
    it->first = it->last = it->next = -1;
    it->prev = l->last;
    if (l->last >= 0)
        m->items[l->last].next = m->n;
    else
        l->first = m->n;
    l->last = m->n;
    return m->n++;
}

static void add_number(struct mvn *m, int list, const char *s, size_t n)
{
    while (n > 0 && *s == '0') {
        s++;
        n--;
    }
    add(m, list, IT_NUM, s, n);
}

static void add_string(struct mvn *m, int list, const char *s, size_t n, int followed_by_digit)
{
    static const struct {
        const char *from, *to;
    } aliases[] = {{"ga", ""}, {"final", ""}, {"release", ""}, {"cr", "rc"}};
    size_t i;

    if (followed_by_digit && n == 1) {
        /* a1 = alpha-1, b1 = beta-1, m1 = milestone-1 */
        if (*s == 'a')
            s = "alpha", n = 5;
        else if (*s == 'b')
            s = "beta", n = 4;
        else if (*s == 'm')
            s = "milestone", n = 9;
    }
    for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
        if (strlen(aliases[i].from) == n && !memcmp(aliases[i].from, s, n)) {
            s = aliases[i].to;
            n = strlen(s);
            break;
        }
    }
    add(m, list, IT_STR, s, n);
}

static void add_item(struct mvn *m, int list, int digits, const char *s, size_t n)
{
    if (digits)
        add_number(m, list, s, n);
    else
        add_string(m, list, s, n, 0);
}

static int is_null(const struct mvn *m, int i)
{
    const struct item *it = &m->items[i];

    return it->type == IT_LIST ? it->first < 0 : it->n == 0;
}

/* Drop trailing null items, looking through (non-null) sub-lists. */
static void normalize(struct mvn *m, int list)
{
    struct item *l = &m->items[list];
    int i = l->last, prev;

    while (i >= 0) {
        prev = m->items[i].prev;
        if (is_null(m, i)) {
            if (prev >= 0)
                m->items[prev].next = m->items[i].next;
            else
                l->first = m->items[i].next;
            if (m->items[i].next >= 0)
                m->items[m->items[i].next].prev = prev;
            else
                l->last = prev;
        } else if (m->items[i].type != IT_LIST) {
            break;
        }
        i = prev;
    }
}

static void parse(struct mvn *m, const char *v)
{
    int stack[MAX_ITEMS], sp = 0, list, digits = 0;
    size_t len = strlen(v), i, start = 0;
    const char *t = m->text;

    if (len > FTH_LIMIT_VERSION_LEN)
        len = FTH_LIMIT_VERSION_LEN;
    lower(m->text, v, len);
    m->n = 1;
    m->items[0].type = IT_LIST;
    m->items[0].first = m->items[0].last = m->items[0].prev = m->items[0].next = -1;
    list = 0;
    stack[sp++] = list;
#define NEST() (list = add(m, list, IT_LIST, NULL, 0), stack[sp++] = list)
    for (i = 0; i < len; i++) {
        char c = t[i];

        if (c == '.' || c == '-') {
            if (i == start)
                add_number(m, list, "", 0);
            else
                add_item(m, list, digits, t + start, i - start);
            start = i + 1;
            if (c == '-')
                NEST();
        } else if (is_digit(c)) {
            if (!digits && i > start) {
                if (m->items[list].first >= 0)
                    NEST();
                add_string(m, list, t + start, i - start, 1);
                start = i;
                NEST();
            }
            digits = 1;
        } else {
            if (digits && i > start) {
                add_number(m, list, t + start, i - start);
                start = i;
                NEST();
            }
            digits = 0;
        }
    }
    if (len > start) {
        if (!digits && m->items[list].first >= 0)
            NEST();
        add_item(m, list, digits, t + start, len - start);
    }
#undef NEST
    while (sp > 0)
        normalize(m, stack[--sp]);
}

static int sign(int c)
{
    return (c > 0) - (c < 0);
}

/* alpha beta milestone rc snapshot "" sp, then unknown qualifiers in lexical order */
static int qualifier_rank(const char *s, size_t n)
{
    static const char *const known[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
    int i;

    for (i = 0; i < 7; i++)
        if (strlen(known[i]) == n && !memcmp(known[i], s, n))
            return i;
    return 7;
}

#define RELEASE_RANK 5

static int qualifier_cmp(const struct item *a, const struct item *b)
{
    int ra = qualifier_rank(a->s, a->n), rb = b ? qualifier_rank(b->s, b->n) : RELEASE_RANK, c;

    if (ra != rb || ra != 7)
        return sign(ra - rb);
    c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
    return c ? sign(c) : (a->n > b->n) - (a->n < b->n);
}

/* Compare item ia of ma with item ib of mb (ib < 0: nothing, the end of a list). */
static int item_cmp(const struct mvn *ma, int ia, const struct mvn *mb, int ib)
{
    const struct item *a = &ma->items[ia], *b = ib >= 0 ? &mb->items[ib] : NULL;
    int c, l, r;

    switch (a->type) {
    case IT_NUM:
        if (!b)
            return a->n != 0;
        if (b->type != IT_NUM)
            return 1; /* 1.1 > 1-sp, 1.1 > 1-1 */
        if (a->n != b->n)
            return a->n < b->n ? -1 : 1;
        return a->n ? sign(memcmp(a->s, b->s, a->n)) : 0;
    case IT_STR:
        if (b && b->type != IT_STR)
            return -1; /* 1.any < 1.1, 1.any < 1-1 */
        return qualifier_cmp(a, b);
    default:
        break;
    }
    if (!b) {
        /* the whole list against nothing, not only its first item (MNG-6964) */
        for (l = a->first; l >= 0; l = ma->items[l].next)
            if ((c = item_cmp(ma, l, mb, -1)) != 0)
                return c;
        return 0;
    }
    if (b->type == IT_NUM)
        return -1; /* 1-1 < 1.0.x */
    if (b->type == IT_STR)
        return 1; /* 1-1 > 1-sp */
    for (l = a->first, r = b->first; l >= 0 || r >= 0;) {
        c = l < 0 ? -item_cmp(mb, r, ma, -1) : item_cmp(ma, l, mb, r);
        if (c)
            return c;
        if (l >= 0)
            l = ma->items[l].next;
        if (r >= 0)
            r = mb->items[r].next;
    }
    return 0;
}

static int valid(const char *v, unsigned flags)
{
    (void)flags;
    return v[0] != '\0';
}

static int mvn_compare(struct mvn *ma, struct mvn *mb, const char *a, const char *b)
{
    parse(ma, a);
    parse(mb, b);
    return item_cmp(ma, 0, mb, 0);
}

static int compare(const char *a, const char *b, unsigned flags)
{
    /* two trees are too big for a comfortable stack frame */
    struct mvn *m = malloc(2 * sizeof(*m));
    int c;

    (void)flags;
    if (!m)
        return strcmp(a, b) < 0 ? -1 : strcmp(a, b) > 0; /* out of memory: still an order */
    c = mvn_compare(&m[0], &m[1], a, b);
    free(m);
    return c;
}

/* ---- ranges: [1.0,2.0) (,1.0] [1.2] and unions; a bare version is an exact match ---- */

struct bound {
    char text[FTH_LIMIT_VERSION_LEN + 1];
    int set;
};

static int copy_bound(struct bound *b, const char *s, const char *e, struct fth_error *err)
{
    size_t n;

    version_trim(&s, &e);
    n = (size_t)(e - s);
    b->set = n > 0;
    if (n > FTH_LIMIT_VERSION_LEN)
        return fth_error_set(err, FTH_EINVALID, "version in a Maven range longer than %d bytes",
                             FTH_LIMIT_VERSION_LEN);
    memcpy(b->text, s, n);
    b->text[n] = '\0';
    return 0;
}

struct range_state {
    struct mvn *m;   /* scratch: two trees */
    const char *v;   /* the version tested */
    struct bound lo; /* this restriction's bounds */
    struct bound hi;
    struct bound prev_hi; /* the previous restriction's upper bound */
};

static int cmp_text(struct range_state *st, const char *a, const char *b)
{
    return mvn_compare(&st->m[0], &st->m[1], a, b);
}

/* One restriction s..e, "[" or "(" to "]" or ")": 1 contains v, 0 not, or an error. */
static int restriction(struct range_state *st, const char *s, const char *e, struct fth_error *err)
{
    int lo_incl = *s == '[', hi_incl = e[-1] == ']', error = 0, c;
    const char *comma = memchr(s, ',', (size_t)(e - s));

    if (!comma) {
        if (!lo_incl || !hi_incl)
            return fth_error_set(err, FTH_EINVALID,
                                 "single version must be surrounded by []: "
                                 "'%.*s'",
                                 (int)(e - s), s);
        if ((error = copy_bound(&st->lo, s + 1, e - 1, err)) < 0)
            return error;
        if (!st->lo.set)
            return fth_error_set(err, FTH_EINVALID, "empty restriction '%.*s'", (int)(e - s), s);
        st->hi = st->lo;
    } else {
        if ((error = copy_bound(&st->lo, s + 1, comma, err)) < 0 ||
            (error = copy_bound(&st->hi, comma + 1, e - 1, err)) < 0)
            return error;
        if (!strcmp(st->lo.text, st->hi.text))
            return fth_error_set(err, FTH_EINVALID,
                                 "range cannot have identical boundaries: '%.*s'", (int)(e - s), s);
        if (st->lo.set && st->hi.set && cmp_text(st, st->hi.text, st->lo.text) < 0)
            return fth_error_set(err, FTH_EINVALID, "range defies version ordering: '%.*s'",
                                 (int)(e - s), s);
    }
    if (st->prev_hi.set && (!st->lo.set || cmp_text(st, st->lo.text, st->prev_hi.text) < 0))
        return fth_error_set(err, FTH_EINVALID, "ranges overlap in '%.*s'", (int)(e - s), s);
    st->prev_hi = st->hi;
    if (st->lo.set) {
        c = cmp_text(st, st->lo.text, st->v);
        if (c > 0 || (c == 0 && !lo_incl))
            return 0;
    }
    if (st->hi.set) {
        c = cmp_text(st, st->hi.text, st->v);
        if (c < 0 || (c == 0 && !hi_incl))
            return 0;
    }
    return 1;
}

static int satisfies(const char *version, const char *range, unsigned flags, struct fth_error *err)
{
    struct range_state *st = calloc(1, sizeof(*st));
    const char *p = range, *end = range + strlen(range);
    int error = 0, any = 0, r;

    (void)flags;
    if (!st || !(st->m = malloc(2 * sizeof(*st->m)))) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    st->v = version;
    version_trim(&p, &end);
    if (p == end) {
        error = fth_error_set(err, FTH_EINVALID, "empty Maven range");
        goto out;
    }
    if (*p != '[' && *p != '(') {
        /* a soft requirement: Maven would take any version; an advisory means this one */
        if ((error = copy_bound(&st->lo, p, end, err)) < 0)
            goto out;
        error = cmp_text(st, version, st->lo.text) == 0;
        goto out;
    }
    while (p < end && (*p == '[' || *p == '(')) {
        const char *close = p;

        while (close < end && *close != ']' && *close != ')')
            close++;
        if (close == end) {
            error = fth_error_set(err, FTH_EINVALID, "unbounded range '%s'", range);
            goto out;
        }
        if ((r = restriction(st, p, close + 1, err)) < 0) {
            error = r;
            goto out;
        }
        any |= r;
        p = close + 1;
        version_trim(&p, &end);
        if (p < end && *p == ',') {
            p++;
            version_trim(&p, &end);
        }
    }
    if (p < end) {
        error = fth_error_set(err, FTH_EINVALID,
                              "only fully-qualified sets allowed in multiple set scenario: '%s'",
                              range);
        goto out;
    }
    error = any;
out:
    if (st)
        free(st->m);
    free(st);
    return error;
}

const struct version_ops version_maven_ops = {valid, compare, satisfies, NULL};
