/*
 * Alpine versions as apk-tools 2.x orders them (apk 2.14.4, Alpine 3.20):
 * digits{.digits}[letter]{_suffix[digits]}[-rN], read as a stream of tokens whose kinds are
 * ranked digit < letter < suffix < suffix number < revision < end. Pre-release suffixes
 * (_alpha _beta _pre _rc) sort before the bare version, the others (_cvs _svn _git _hg _p)
 * after it; a component with more leading zeros after a '.' sorts before one with fewer.
 *
 * Validity is the stricter grammar of apk-tools' own test vectors (apk 3.x, which also allows
 * a ~hexhash before the revision); apk 2.14.4's `apk version -c` accepts more (see
 * docs/versions.md). Ordering is 2.14.4's, also for what it cannot tokenise (a '~' stops the
 * comparison there).
 */
#include <stddef.h>
#include <string.h>

#include "version_int.h"
#include "../base/banned.h"

/* Token kinds in apk's rank order; the order matters to the comparison. */
enum kind {
    K_INVALID = -1,
    K_DOT_DIGITS, /* digits after '.', where leading zeros are special */
    K_DIGITS,
    K_LETTER,
    K_SUFFIX,
    K_SUFFIX_NO,
    K_REVISION,
    K_END,
};

/*
 * A token's value: `num` digits [num, num_end) without leading zeros when num is set,
 * else `small` (a letter, a suffix's rank, minus the count of leading zeros but one).
 */
struct value {
    const char *num;
    const char *num_end;
    long small;
};

struct cursor {
    const char *p;
    const char *end;
    enum kind kind; /* kind of the next token */
};

static const char *const pre_suffixes[] = {"alpha", "beta", "pre", "rc"};
static const char *const post_suffixes[] = {"cvs", "svn", "git", "hg", "p"};
#define NPRE (sizeof(pre_suffixes) / sizeof(pre_suffixes[0]))
#define NPOST (sizeof(post_suffixes) / sizeof(post_suffixes[0]))

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_lower(int c)
{
    return c >= 'a' && c <= 'z';
}

static int is_hex(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f');
}

/* Is `word` a prefix of [p, end)? */
static int has_prefix(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);

    return (size_t)(end - p) >= n && !memcmp(p, word, n);
}

/*
 * A suffix name at p, matched as apk 2.x does (the first name in the list that is a prefix):
 * pre-release ranks -4..-1, the others 0..4; -1 with *len 0 when none matches.
 */
static long suffix_rank(const char *p, const char *end, size_t *len)
{
    size_t i;

    for (i = 0; i < NPRE; i++) {
        if (has_prefix(p, end, pre_suffixes[i])) {
            *len = strlen(pre_suffixes[i]);
            return (long)i - (long)NPRE;
        }
    }
    for (i = 0; i < NPOST; i++) {
        if (has_prefix(p, end, post_suffixes[i])) {
            *len = strlen(post_suffixes[i]);
            return (long)i;
        }
    }
    *len = 0;
    return -1;
}

/* The kind of the token after one of kind k, consuming its separator. */
static enum kind next_kind(struct cursor *c, enum kind k)
{
    int ch = (unsigned char)*c->p;
    enum kind n = K_INVALID;

    if ((k == K_DIGITS || k == K_DOT_DIGITS) && is_lower(ch)) {
        n = K_LETTER;
    } else if (k == K_LETTER && is_digit(ch)) {
        n = K_DIGITS;
    } else if (k == K_SUFFIX && is_digit(ch)) {
        n = K_SUFFIX_NO;
    } else {
        if (ch == '.') {
            n = K_DOT_DIGITS;
        } else if (ch == '_') {
            n = K_SUFFIX;
        } else if (ch == '-' && c->end - c->p > 1 && c->p[1] == 'r') {
            n = K_REVISION;
            c->p++;
        }
        c->p++;
    }
    /* Kinds only move forward, except a new component, suffix or digits after a letter. */
    if (n < k && !((n == K_DOT_DIGITS && k == K_DIGITS) || (n == K_SUFFIX && k == K_SUFFIX_NO) ||
                   (n == K_DIGITS && k == K_LETTER)))
        n = K_INVALID;
    return n;
}

static void read_number(struct cursor *c, struct value *v)
{
    while (c->p < c->end && *c->p == '0')
        c->p++;
    v->num = c->p;
    while (c->p < c->end && is_digit((unsigned char)*c->p))
        c->p++;
    v->num_end = c->p;
}

/* Read the next token (of kind c->kind) into *v and work out the kind of the one after. */
static void read_token(struct cursor *c, struct value *v)
{
    enum kind k = c->kind, after = K_INVALID;
    size_t len;

    memset(v, 0, sizeof(*v));
    if (c->p >= c->end) {
        c->kind = K_END;
        return;
    }
    switch (k) {
    case K_DOT_DIGITS:
        if (*c->p == '0') {
            const char *start = c->p;

            /* All but the last zero make a token of their own; the last starts the number. */
            while (c->end - c->p > 1 && c->p[1] == '0')
                c->p++;
            v->small = -(long)(c->p - start);
            after = K_DIGITS;
            break;
        }
        read_number(c, v);
        break;
    case K_DIGITS:
    case K_SUFFIX_NO:
    case K_REVISION:
        read_number(c, v);
        break;
    case K_LETTER:
        v->small = (unsigned char)*c->p++;
        break;
    case K_SUFFIX:
        v->small = suffix_rank(c->p, c->end, &len);
        if (!len) {
            c->kind = K_INVALID;
            return;
        }
        c->p += len;
        break;
    default:
        v->small = -1;
        c->kind = K_INVALID;
        return;
    }
    if (c->p >= c->end)
        c->kind = K_END;
    else if (after != K_INVALID)
        c->kind = after;
    else
        c->kind = next_kind(c, k);
}

/* A number's magnitude against a small value (only the emptiness of a huge number matters). */
static int num_vs_small(const struct value *a, long small)
{
    unsigned long long n = 0;
    const char *p;

    if (small < 0 || a->num_end - a->num > 18)
        return 1;
    for (p = a->num; p < a->num_end; p++)
        n = n * 10 + (unsigned long long)(*p - '0');
    return (n > (unsigned long long)small) - (n < (unsigned long long)small);
}

static int value_cmp(const struct value *a, const struct value *b)
{
    size_t na, nb;
    int r;

    if (a->num && !b->num)
        return num_vs_small(a, b->small);
    if (!a->num && b->num)
        return -num_vs_small(b, a->small);
    if (!a->num)
        return (a->small > b->small) - (a->small < b->small);
    na = (size_t)(a->num_end - a->num);
    nb = (size_t)(b->num_end - b->num);
    if (na != nb)
        return na < nb ? -1 : 1;
    r = memcmp(a->num, b->num, na);
    return (r > 0) - (r < 0);
}

/*
 * apk 2.x's comparison. With `fuzzy`, a version matches another that is a prefix of it by
 * components (b's tokens all equal a's): "3.6.1" ~ "3.6", not "3.6" ~ "3.6.1".
 */
static int apk_cmp(const char *a, const char *b, int fuzzy)
{
    struct cursor ca = {a, a + strlen(a), K_DIGITS}, cb = {b, b + strlen(b), K_DIGITS};
    struct value va = {NULL, NULL, 0}, vb = {NULL, NULL, 0};
    int r = 0;

    while (ca.kind == cb.kind && ca.kind != K_END && ca.kind != K_INVALID && r == 0) {
        read_token(&ca, &va);
        read_token(&cb, &vb);
        r = value_cmp(&va, &vb);
    }
    if (r)
        return r;
    if (ca.kind == cb.kind || (fuzzy && cb.kind == K_END))
        return 0;
    /* Equal so far: the longer one is newer, unless it goes on with a pre-release suffix. */
    if (ca.kind == K_SUFFIX) {
        size_t len;

        if (suffix_rank(ca.p, ca.end, &len) < 0)
            return -1;
    }
    if (cb.kind == K_SUFFIX) {
        size_t len;

        if (suffix_rank(cb.p, cb.end, &len) < 0)
            return 1;
    }
    return ca.kind > cb.kind ? -1 : 1;
}

/* The length of the suffix name at p when the whole run of letters there is one, else 0. */
static size_t suffix_word(const char *p)
{
    size_t n = 0, i;

    while (is_lower((unsigned char)p[n]))
        n++;
    for (i = 0; i < NPRE; i++)
        if (strlen(pre_suffixes[i]) == n && !memcmp(p, pre_suffixes[i], n))
            return n;
    for (i = 0; i < NPOST; i++)
        if (strlen(post_suffixes[i]) == n && !memcmp(p, post_suffixes[i], n))
            return n;
    return 0;
}

static size_t digits(const char *p)
{
    size_t n = 0;

    while (is_digit((unsigned char)p[n]))
        n++;
    return n;
}

/* digits{.digits}[a-z]{_suffix[digits]}[~hex][-rdigits] */
static int valid(const char *v, unsigned flags)
{
    const char *p = v;
    size_t n;

    (void)flags;
    if (!(n = digits(p)))
        return 0;
    p += n;
    while (*p == '.') {
        if (!(n = digits(p + 1)))
            return 0;
        p += 1 + n;
    }
    if (is_lower((unsigned char)*p))
        p++;
    while (*p == '_') {
        if (!(n = suffix_word(p + 1)))
            return 0;
        p += 1 + n;
        p += digits(p);
    }
    if (*p == '~') {
        for (n = 1; is_hex((unsigned char)p[n]); n++)
            ;
        if (n == 1)
            return 0;
        p += n;
    }
    if (p[0] == '-' && p[1] == 'r') {
        if (!(n = digits(p + 2)))
            return 0;
        p += 2 + n;
    }
    return *p == '\0';
}

static int compare(const char *a, const char *b, unsigned flags)
{
    (void)flags;
    return apk_cmp(a, b, 0);
}

/* apk's fuzzy operators for version_relations: ~ (also =~ ~=), <~, >~ and !~. */
static int fuzzy_op(const char *op, const char *v, const char *want, unsigned flags)
{
    int r, error = -2;

    if (!strchr(op, '~'))
        goto out;
    if (!valid(want, flags)) {
        error = -1;
        goto out;
    }
    r = apk_cmp(v, want, 1);
    if (!strcmp(op, "~") || !strcmp(op, "=~") || !strcmp(op, "~="))
        error = r == 0;
    else if (!strcmp(op, "<~") || !strcmp(op, "~<"))
        error = r <= 0;
    else if (!strcmp(op, ">~") || !strcmp(op, "~>"))
        error = r >= 0;
    else if (!strcmp(op, "!~"))
        error = r != 0;
out:
    return error;
}

/* A relation list: < <= > >= = != (and << >>) compare, the ~ family matches fuzzily. */
static int satisfies(const char *v, const char *range, unsigned flags, struct fth_error *err)
{
    return version_relations(&version_apk_ops, v, range, flags, err, fuzzy_op);
}

const struct version_ops version_apk_ops = {valid, compare, satisfies, NULL};
