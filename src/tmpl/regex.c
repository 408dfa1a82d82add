/*
 * Go RE2-syntax regular expressions as a Thompson NFA run by a Pike VM (see regex.h): the
 * parser builds a small tree, the compiler turns it into a program of at most
 * FTH_LIMIT_REGEX_INSTS instructions, and the VM advances every thread one rune at a time,
 * threads kept in priority order so the first match found is Go's leftmost-first one.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "regex.h"
#include "sprig_int.h"

/* ---- tree ---- */

enum ntype { N_EMPTY, N_LIT, N_CLASS, N_ANY, N_ASSERT, N_CAT, N_ALT, N_REP, N_CAP };
enum assert_kind { A_BOT, A_EOT, A_BOL, A_EOL, A_WORDB, A_NWORDB };

struct range {
    unsigned lo, hi;
};

struct cls {
    struct range *r;
    size_t n, cap;
    int neg, fold;
    unsigned preds; /* Unicode classes: bit 2k is \p{class k}, bit 2k+1 is \P{class k} */
};

/* The Unicode classes \p knows (see uni_has): general categories by the rune tables of
 * sprig_strings.c, scripts by their blocks. */
static const char *const uni_names[] = {"L",     "Lu",       "Ll",    "N",   "Nd", "P",
                                        "Greek", "Cyrillic", "Latin", "Han", "Any"};
#define N_UNI (sizeof(uni_names) / sizeof(uni_names[0]))

static int uni_has(size_t k, unsigned r)
{
    switch (k) {
    case 0:
        return sprig_is_letter(r);
    case 1:
        return sprig_is_upper(r);
    case 2:
        return sprig_is_lower(r);
    case 3:
    case 4:
        return sprig_is_digit(r);
    case 5:
        return (r < 0x80 && r > ' ' && r < 0x7F &&
                !((r >= '0' && r <= '9') || ((r | 0x20) >= 'a' && (r | 0x20) <= 'z')) &&
                !strchr("$+<=>^`|~", (int)r)) ||
               (r >= 0x2010 && r <= 0x2027) || (r >= 0x3001 && r <= 0x3003) || r == 0xA1 ||
               r == 0xA7 || r == 0xAB || r == 0xB6 || r == 0xB7 || r == 0xBB || r == 0xBF;
    case 6:
        return (r >= 0x370 && r <= 0x3FF && r != 0x37E && r != 0x387) ||
               (r >= 0x1F00 && r <= 0x1FFF);
    case 7:
        return r >= 0x400 && r <= 0x52F;
    case 8:
        return ((r | 0x20) >= 'a' && (r | 0x20) <= 'z') || r == 0xAA || r == 0xBA ||
               (r >= 0xC0 && r <= 0x24F && r != 0xD7 && r != 0xF7) || (r >= 0x1E00 && r <= 0x1EFF);
    case 9:
        return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) ||
               (r >= 0x20000 && r <= 0x2A6DF);
    default:
        return 1;
    }
}

struct node {
    enum ntype t;
    unsigned r;
    int fold, nl, assert, min, max, greedy, cap;
    struct cls *cls;
    struct node **kids;
    size_t nkids, kcap;
    struct node *kid;
};

#define F_I 1
#define F_M 2
#define F_S 4
#define F_U 8

struct parser {
    struct fth_arena *a;
    const char *src, *end, *p;
    struct fth_buf *msg;
    int flags, ncap, depth;
    const char **names;
    size_t nnames, names_cap;
};

static int perr(struct parser *ps, const char *code, const char *arg, size_t len)
{
    fth_buf_clear(ps->msg);
    fth_buf_printf(ps->msg, "error parsing regexp: %s: `", code);
    fth_buf_put(ps->msg, arg, len);
    fth_buf_putc(ps->msg, '`');
    return FTH_EINVALID;
}

static int perr_whole(struct parser *ps, const char *code)
{
    return perr(ps, code, ps->src, (size_t)(ps->end - ps->src));
}

static struct node *mk(struct parser *ps, enum ntype t)
{
    struct node *n = fth_arena_alloc(ps->a, sizeof(*n));
    if (n)
        n->t = t;
    return n;
}

static int add_kid(struct parser *ps, struct node *n, struct node *k)
{
    if (n->nkids == n->kcap) {
        size_t nc = n->kcap ? n->kcap * 2 : 4;
        struct node **nk = fth_arena_alloc(ps->a, nc * sizeof(*nk));
        if (!nk)
            return FTH_ENOMEM;
        if (n->nkids)
            memcpy(nk, n->kids, n->nkids * sizeof(*nk));
        n->kids = nk;
        n->kcap = nc;
    }
    n->kids[n->nkids++] = k;
    return 0;
}

static int add_range(struct parser *ps, struct cls *c, unsigned lo, unsigned hi)
{
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 8;
        struct range *nr = fth_arena_alloc(ps->a, nc * sizeof(*nr));
        if (!nr)
            return FTH_ENOMEM;
        if (c->n)
            memcpy(nr, c->r, c->n * sizeof(*nr));
        c->r = nr;
        c->cap = nc;
    }
    c->r[c->n].lo = lo;
    c->r[c->n].hi = hi;
    c->n++;
    return 0;
}

/* add the ranges of s (pairs lo,hi ending with 0,0), or their complement */
static int add_table(struct parser *ps, struct cls *c, const unsigned *s, int neg)
{
    unsigned next = 0;
    int error;
    for (; s[0] || s[1]; s += 2) {
        if (!neg) {
            if ((error = add_range(ps, c, s[0], s[1])) < 0)
                return error;
        } else {
            if (s[0] > next && (error = add_range(ps, c, next, s[0] - 1)) < 0)
                return error;
            next = s[1] + 1;
        }
    }
    if (neg && (error = add_range(ps, c, next, 0x10FFFF)) < 0)
        return error;
    return 0;
}

static const unsigned t_digit[] = {'0', '9', 0, 0};
static const unsigned t_space[] = {'\t', '\n', '\f', '\r', ' ', ' ', 0, 0};
static const unsigned t_word[] = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z', 0, 0};

struct posix {
    const char *name;
    unsigned t[12];
};

static const struct posix posix_classes[] = {
    {"alnum", {'0', '9', 'A', 'Z', 'a', 'z', 0, 0}},
    {"alpha", {'A', 'Z', 'a', 'z', 0, 0}},
    {"ascii", {1, 0x7F, 0, 0}},
    {"blank", {'\t', '\t', ' ', ' ', 0, 0}},
    {"cntrl", {1, 0x1F, 0x7F, 0x7F, 0, 0}},
    {"digit", {'0', '9', 0, 0}},
    {"graph", {'!', '~', 0, 0}},
    {"lower", {'a', 'z', 0, 0}},
    {"print", {' ', '~', 0, 0}},
    {"punct", {'!', '/', ':', '@', '[', '`', '{', '~', 0, 0}},
    {"space", {'\t', '\r', ' ', ' ', 0, 0}},
    {"upper", {'A', 'Z', 0, 0}},
    {"word", {'0', '9', 'A', 'Z', '_', '_', 'a', 'z', 0, 0}},
    {"xdigit", {'0', '9', 'A', 'F', 'a', 'f', 0, 0}},
};

/* "ascii" and "cntrl" start at NUL, which the tables' end marker cannot hold */
static int add_posix(struct parser *ps, struct cls *c, const struct posix *px, int neg)
{
    int error;
    if (!strcmp(px->name, "ascii"))
        return neg ? add_range(ps, c, 0x80, 0x10FFFF) : add_range(ps, c, 0, 0x7F);
    if (!strcmp(px->name, "cntrl")) {
        if (neg) {
            if ((error = add_range(ps, c, 0x20, 0x7E)) < 0)
                return error;
            return add_range(ps, c, 0x80, 0x10FFFF);
        }
        if ((error = add_range(ps, c, 0, 0x1F)) < 0)
            return error;
        return add_range(ps, c, 0x7F, 0x7F);
    }
    return add_table(ps, c, px->t, neg);
}

static size_t rune_at(const char *p, const char *end, unsigned *r)
{
    return sprig_rune(p, (size_t)(end - p), r);
}

static int hexv(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * An escape at ps->p (pointing at the backslash). Sets *r for a single rune, or fills cls
 * (Perl classes) and sets *is_cls. Assertions are handled by the caller.
 */
static int parse_escape(struct parser *ps, unsigned *r, struct cls *cls, int *is_cls)
{
    const char *start = ps->p;
    unsigned c;
    size_t k;
    *is_cls = 0;
    ps->p++;
    if (ps->p >= ps->end)
        return perr(ps, "trailing backslash at end of expression", "", 0);
    k = rune_at(ps->p, ps->end, &c);
    ps->p += k;
    /* octal: \0 or a digit 1-7 followed by more octal digits (\1 alone is a backreference,
     * which RE2 refuses) */
    if (c >= '0' && c <= '7' && (c == '0' || (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '7'))) {
        unsigned v = c - '0';
        int i;
        for (i = 1; i < 3 && ps->p < ps->end && *ps->p >= '0' && *ps->p <= '7'; i++)
            v = v * 8 + (unsigned)(*ps->p++ - '0');
        *r = v;
        return 0;
    }
    switch (c) {
    case 'x': {
        unsigned v = 0;
        int d, nd = 0;
        if (ps->p >= ps->end)
            break;
        if (*ps->p == '{') {
            ps->p++;
            while (ps->p < ps->end && (d = hexv(*ps->p)) >= 0) {
                v = v * 16 + (unsigned)d;
                ps->p++;
                if (++nd > 8 || v > 0x10FFFF)
                    goto bad;
            }
            if (ps->p >= ps->end || *ps->p != '}' || nd == 0)
                goto bad;
            ps->p++;
            *r = v;
            return 0;
        }
        if (ps->end - ps->p < 2 || hexv(ps->p[0]) < 0 || hexv(ps->p[1]) < 0)
            goto bad;
        *r = (unsigned)(hexv(ps->p[0]) * 16 + hexv(ps->p[1]));
        ps->p += 2;
        return 0;
    }
    case 'a':
        *r = 7;
        return 0;
    case 'f':
        *r = '\f';
        return 0;
    case 'n':
        *r = '\n';
        return 0;
    case 'r':
        *r = '\r';
        return 0;
    case 't':
        *r = '\t';
        return 0;
    case 'v':
        *r = '\v';
        return 0;
    case 'p':
    case 'P': {
        /* \pL, \p{Greek}, \p{^Greek}, \PL */
        const char *nm = ps->p;
        size_t nl = 1, u;
        int neg = c == 'P';
        if (ps->p >= ps->end)
            goto bad;
        if (*ps->p == '{') {
            const char *close = memchr(ps->p, '}', (size_t)(ps->end - ps->p));
            if (!close)
                goto bad;
            nm = ps->p + 1;
            if (nm < close && *nm == '^') {
                neg = !neg;
                nm++;
            }
            nl = (size_t)(close - nm);
            ps->p = close + 1;
        } else {
            ps->p++;
        }
        for (u = 0; u < N_UNI; u++)
            if (strlen(uni_names[u]) == nl && !memcmp(uni_names[u], nm, nl))
                break;
        if (u == N_UNI)
            return perr(ps, "invalid character class range", start, (size_t)(ps->p - start));
        cls->preds |= 1u << (2 * u + (size_t)neg);
        *is_cls = 1;
        return 0;
    }
    case 'd':
    case 'D':
    case 's':
    case 'S':
    case 'w':
    case 'W': {
        const unsigned *t = (c | 0x20) == 'd' ? t_digit : (c | 0x20) == 's' ? t_space : t_word;
        *is_cls = 1;
        return add_table(ps, cls, t, c < 'a');
    }
    default:
        if (c < 0x80 &&
            !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            *r = c;
            return 0;
        }
    }
bad:
    if (ps->p > ps->end)
        ps->p = ps->end;
    return perr(ps, "invalid escape sequence", start, (size_t)(ps->p - start));
}

static int parse_class(struct parser *ps, struct node **out)
{
    const char *start = ps->p;
    struct node *n = mk(ps, N_CLASS);
    struct cls *c = fth_arena_alloc(ps->a, sizeof(*c));
    int error, first = 1;
    if (!n || !c)
        return FTH_ENOMEM;
    n->cls = c;
    c->fold = !!(ps->flags & F_I);
    ps->p++;
    if (ps->p < ps->end && *ps->p == '^') {
        c->neg = 1;
        ps->p++;
    }
    for (;;) {
        unsigned lo, hi;
        int is_cls;
        const char *rs = ps->p;
        if (ps->p >= ps->end)
            return perr(ps, "missing closing ]", start, (size_t)(ps->end - start));
        if (*ps->p == ']' && !first)
            break;
        first = 0;
        if (*ps->p == '[' && ps->end - ps->p >= 2 && ps->p[1] == ':') {
            const char *close = NULL, *q;
            for (q = ps->p + 2; q + 1 < ps->end; q++)
                if (q[0] == ':' && q[1] == ']') {
                    close = q;
                    break;
                }
            if (close) {
                const char *nm = ps->p + 2;
                int neg = 0;
                size_t i, nl;
                if (nm < close && *nm == '^') {
                    neg = 1;
                    nm++;
                }
                nl = (size_t)(close - nm);
                for (i = 0; i < sizeof(posix_classes) / sizeof(posix_classes[0]); i++)
                    if (strlen(posix_classes[i].name) == nl &&
                        !memcmp(posix_classes[i].name, nm, nl))
                        break;
                if (i == sizeof(posix_classes) / sizeof(posix_classes[0]))
                    return perr(ps, "invalid character class range", ps->p,
                                (size_t)(close + 2 - ps->p));
                if ((error = add_posix(ps, c, &posix_classes[i], neg)) < 0)
                    return error;
                ps->p = close + 2;
                continue;
            }
        }
        if (*ps->p == '\\') {
            struct cls tmp;
            memset(&tmp, 0, sizeof(tmp));
            if ((error = parse_escape(ps, &lo, &tmp, &is_cls)) < 0)
                return error;
            if (is_cls) {
                size_t i;
                c->preds |= tmp.preds;
                for (i = 0; i < tmp.n; i++)
                    if ((error = add_range(ps, c, tmp.r[i].lo, tmp.r[i].hi)) < 0)
                        return error;
                continue;
            }
        } else {
            ps->p += rune_at(ps->p, ps->end, &lo);
        }
        hi = lo;
        if (ps->end - ps->p >= 2 && ps->p[0] == '-' && ps->p[1] != ']') {
            ps->p++;
            if (*ps->p == '\\') {
                struct cls tmp;
                memset(&tmp, 0, sizeof(tmp));
                if ((error = parse_escape(ps, &hi, &tmp, &is_cls)) < 0)
                    return error;
                if (is_cls)
                    return perr(ps, "invalid character class range", rs, (size_t)(ps->p - rs));
            } else {
                ps->p += rune_at(ps->p, ps->end, &hi);
            }
            if (hi < lo)
                return perr(ps, "invalid character class range", rs, (size_t)(ps->p - rs));
        }
        if ((error = add_range(ps, c, lo, hi)) < 0)
            return error;
    }
    ps->p++;
    *out = n;
    return 0;
}

static int parse_alt(struct parser *ps, struct node **out);

static int is_word_char(char c)
{
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* (? ... : flags, non-capturing and named groups. *out NULL: flags only, for the rest. */
static int parse_group(struct parser *ps, struct node **out)
{
    const char *start = ps->p;
    int saved = ps->flags, error, cap = -1;
    struct node *inner = NULL, *n;
    *out = NULL;
    ps->p++;
    if (ps->p < ps->end && *ps->p == '?') {
        const char *q = ps->p + 1;
        if (q < ps->end && (*q == 'P' || *q == '<')) {
            const char *nm, *close;
            if (*q == 'P') {
                if (q + 1 >= ps->end || q[1] != '<')
                    return perr(ps, "invalid or unsupported Perl syntax", start,
                                (size_t)((q + 1 < ps->end ? q + 2 : ps->end) - start));
                q++;
            }
            nm = q + 1;
            close = memchr(nm, '>', (size_t)(ps->end - nm));
            if (!close)
                return perr(ps, "invalid named capture", start, (size_t)(ps->end - start));
            if (close == nm)
                return perr(ps, "invalid named capture", start, (size_t)(close + 1 - start));
            for (q = nm; q < close; q++)
                if (!is_word_char(*q))
                    return perr(ps, "invalid named capture", start, (size_t)(close + 1 - start));
            {
                size_t i, nl = (size_t)(close - nm);
                for (i = 0; i < ps->nnames; i++)
                    if (ps->names[i] && strlen(ps->names[i]) == nl && !memcmp(ps->names[i], nm, nl))
                        return perr(ps, "duplicate capture group name", start,
                                    (size_t)(close + 1 - start));
            }
            cap = ++ps->ncap;
            if ((size_t)cap >= ps->names_cap) {
                size_t nc = ps->names_cap ? ps->names_cap * 2 : 8;
                const char **nn;
                while (nc <= (size_t)cap)
                    nc *= 2;
                if (!(nn = fth_arena_calloc(ps->a, nc, sizeof(*nn))))
                    return FTH_ENOMEM;
                if (ps->nnames)
                    memcpy(nn, ps->names, ps->nnames * sizeof(*nn));
                ps->names = nn;
                ps->names_cap = nc;
            }
            if (!(ps->names[cap] = fth_arena_strndup(ps->a, nm, (size_t)(close - nm))))
                return FTH_ENOMEM;
            if ((size_t)cap + 1 > ps->nnames)
                ps->nnames = (size_t)cap + 1;
            ps->p = close + 1;
        } else {
            int neg = 0, any = 0, f = ps->flags;
            for (;;) {
                char c;
                if (q >= ps->end)
                    return perr(ps, "missing closing )", ps->src, (size_t)(ps->end - ps->src));
                c = *q++;
                if (c == 'i' || c == 'm' || c == 's' || c == 'U') {
                    int bit = c == 'i' ? F_I : c == 'm' ? F_M : c == 's' ? F_S : F_U;
                    f = neg ? (f & ~bit) : (f | bit);
                    any = 1;
                } else if (c == '-' && !neg) {
                    neg = 1;
                    any = 0;
                } else if (c == ')' && !(neg && !any)) {
                    ps->flags = f;
                    ps->p = q;
                    return 0;
                } else if (c == ':' && !(neg && !any)) {
                    ps->flags = f;
                    ps->p = q;
                    break;
                } else {
                    return perr(ps, "invalid or unsupported Perl syntax", start,
                                (size_t)(q - start));
                }
            }
        }
    } else {
        cap = ++ps->ncap;
        if ((size_t)cap + 1 > ps->nnames) {
            if ((size_t)cap >= ps->names_cap) {
                size_t nc = ps->names_cap ? ps->names_cap * 2 : 8;
                const char **nn;
                while (nc <= (size_t)cap)
                    nc *= 2;
                if (!(nn = fth_arena_calloc(ps->a, nc, sizeof(*nn))))
                    return FTH_ENOMEM;
                if (ps->nnames)
                    memcpy(nn, ps->names, ps->nnames * sizeof(*nn));
                ps->names = nn;
                ps->names_cap = nc;
            }
            ps->nnames = (size_t)cap + 1;
        }
    }
    if (++ps->depth > FTH_LIMIT_REGEX_DEPTH)
        return perr_whole(ps, "expression nests too deeply");
    if ((error = parse_alt(ps, &inner)) < 0)
        return error;
    ps->depth--;
    if (ps->p >= ps->end || *ps->p != ')')
        return perr_whole(ps, "missing closing )");
    ps->p++;
    ps->flags = saved;
    if (cap < 0) {
        *out = inner;
        return 0;
    }
    if (!(n = mk(ps, N_CAP)))
        return FTH_ENOMEM;
    n->kid = inner;
    n->cap = cap;
    *out = n;
    return 0;
}

/* {n}, {n,}, {n,m}: 1 when p starts one (min/max set, *len its length), 0 when literal */
static int parse_repeat(const char *p, const char *end, int *min, int *max, size_t *len)
{
    const char *q = p + 1;
    long a = -1, b = -1;
    if (q >= end || *q < '0' || *q > '9')
        return 0;
    a = 0;
    while (q < end && *q >= '0' && *q <= '9') {
        if (a < 100000)
            a = a * 10 + (*q - '0');
        q++;
    }
    if (q < end && *q == ',') {
        q++;
        if (q < end && *q >= '0' && *q <= '9') {
            b = 0;
            while (q < end && *q >= '0' && *q <= '9') {
                if (b < 100000)
                    b = b * 10 + (*q - '0');
                q++;
            }
        } else {
            b = -1; /* unbounded */
        }
    } else {
        b = a;
    }
    if (q >= end || *q != '}')
        return 0;
    *min = (int)a;
    *max = (int)b;
    *len = (size_t)(q + 1 - p);
    return 1;
}

static int parse_concat(struct parser *ps, struct node **out)
{
    struct node *cat = mk(ps, N_CAT), *last = NULL;
    const char *last_rep = NULL;
    int error;
    if (!cat)
        return FTH_ENOMEM;
    while (ps->p < ps->end && *ps->p != '|' && *ps->p != ')') {
        const char *at = ps->p;
        char c = *ps->p;
        struct node *atom = NULL;
        int min, max;
        size_t rl = 1;
        if (c == '*' || c == '+' || c == '?' ||
            (c == '{' && parse_repeat(ps->p, ps->end, &min, &max, &rl))) {
            struct node *rep;
            const char *op_end = ps->p + rl;
            int greedy = 1;
            if (c == '*') {
                min = 0;
                max = -1;
            } else if (c == '+') {
                min = 1;
                max = -1;
            } else if (c == '?') {
                min = 0;
                max = 1;
            }
            if (op_end < ps->end && *op_end == '?') {
                greedy = 0;
                op_end++;
            }
            if (!last)
                return perr(ps, "missing argument to repetition operator", at,
                            (size_t)(op_end - at));
            if (last_rep)
                return perr(ps, "invalid nested repetition operator", last_rep,
                            (size_t)(op_end - last_rep));
            if (c == '{' && (min > FTH_LIMIT_REGEX_REPEAT || max > FTH_LIMIT_REGEX_REPEAT ||
                             (max >= 0 && min > max)))
                return perr(ps, "invalid repeat count", at, rl);
            if (ps->flags & F_U)
                greedy = !greedy;
            if (!(rep = mk(ps, N_REP)))
                return FTH_ENOMEM;
            rep->kid = last;
            rep->min = min;
            rep->max = max;
            rep->greedy = greedy;
            cat->kids[cat->nkids - 1] = rep;
            last = rep;
            last_rep = at;
            ps->p = op_end;
            continue;
        }
        last_rep = NULL;
        switch (c) {
        case '(':
            if ((error = parse_group(ps, &atom)) < 0)
                return error;
            if (!atom) {
                /* a flags group: no atom, and nothing to repeat after it */
                last = NULL;
                continue;
            }
            break;
        case '[':
            if ((error = parse_class(ps, &atom)) < 0)
                return error;
            break;
        case '.':
            if (!(atom = mk(ps, N_ANY)))
                return FTH_ENOMEM;
            atom->nl = !!(ps->flags & F_S);
            ps->p++;
            break;
        case '^':
        case '$':
            if (!(atom = mk(ps, N_ASSERT)))
                return FTH_ENOMEM;
            atom->assert =
                c == '^' ? (ps->flags & F_M ? A_BOL : A_BOT) : (ps->flags & F_M ? A_EOL : A_EOT);
            ps->p++;
            break;
        case '\\':
            if (ps->p + 1 < ps->end && strchr("AzbB", ps->p[1]) && ps->p[1]) {
                if (!(atom = mk(ps, N_ASSERT)))
                    return FTH_ENOMEM;
                atom->assert = ps->p[1] == 'A'   ? A_BOT
                               : ps->p[1] == 'z' ? A_EOT
                               : ps->p[1] == 'b' ? A_WORDB
                                                 : A_NWORDB;
                ps->p += 2;
                break;
            }
            if (ps->p + 1 < ps->end && ps->p[1] == 'Q') {
                /* \Q...\E: literal text */
                const char *q = ps->p + 2, *e = q;
                while (e + 1 < ps->end && !(e[0] == '\\' && e[1] == 'E'))
                    e++;
                if (e + 1 >= ps->end)
                    e = ps->end;
                while (q < e) {
                    unsigned r;
                    struct node *l;
                    q += rune_at(q, e, &r);
                    if (!(l = mk(ps, N_LIT)) || add_kid(ps, cat, l) < 0)
                        return FTH_ENOMEM;
                    l->r = r;
                    l->fold = !!(ps->flags & F_I);
                    last = l;
                }
                ps->p = e < ps->end ? e + 2 : e;
                continue;
            }
            {
                unsigned r;
                int is_cls;
                struct cls *cl = fth_arena_alloc(ps->a, sizeof(*cl));
                if (!cl)
                    return FTH_ENOMEM;
                if ((error = parse_escape(ps, &r, cl, &is_cls)) < 0)
                    return error;
                if (is_cls) {
                    if (!(atom = mk(ps, N_CLASS)))
                        return FTH_ENOMEM;
                    atom->cls = cl;
                } else {
                    if (!(atom = mk(ps, N_LIT)))
                        return FTH_ENOMEM;
                    atom->r = r;
                    atom->fold = !!(ps->flags & F_I);
                }
            }
            break;
        default: {
            unsigned r;
            size_t k = rune_at(ps->p, ps->end, &r);
            if (r == 0xFFFD && k == 1 && (unsigned char)*ps->p >= 0x80)
                return perr(ps, "invalid UTF-8", ps->p, (size_t)(ps->end - ps->p));
            if (!(atom = mk(ps, N_LIT)))
                return FTH_ENOMEM;
            atom->r = r;
            atom->fold = !!(ps->flags & F_I);
            ps->p += k;
        }
        }
        if ((error = add_kid(ps, cat, atom)) < 0)
            return error;
        last = atom;
    }
    *out = cat;
    return 0;
}

static int parse_alt(struct parser *ps, struct node **out)
{
    struct node *alt = NULL, *first = NULL;
    int error;
    if ((error = parse_concat(ps, &first)) < 0)
        return error;
    while (ps->p < ps->end && *ps->p == '|') {
        struct node *next;
        ps->p++;
        if (!alt) {
            if (!(alt = mk(ps, N_ALT)) || add_kid(ps, alt, first) < 0)
                return FTH_ENOMEM;
        }
        if ((error = parse_concat(ps, &next)) < 0)
            return error;
        if ((error = add_kid(ps, alt, next)) < 0)
            return error;
    }
    *out = alt ? alt : first;
    return 0;
}

/* ---- program ---- */

enum op { I_CHAR, I_CLASS, I_ANY, I_ANYNL, I_ASSERT, I_SAVE, I_SPLIT, I_JMP, I_MATCH };

struct inst {
    enum op op;
    unsigned r;
    int fold, arg;
    size_t x, y;
    const struct cls *cls;
};

struct tmpl_regex {
    struct inst *prog;
    size_t n;
    size_t groups;
    const char **names;
};

/* the exact number of instructions gen() emits for a tree (saturating past the limit) */
static size_t tree_size(const struct node *n)
{
    size_t s = 0, i, k;
    const size_t big = (size_t)FTH_LIMIT_REGEX_INSTS + 1;
    switch (n->t) {
    case N_EMPTY:
        return 0;
    case N_LIT:
    case N_CLASS:
    case N_ANY:
    case N_ASSERT:
        return 1;
    case N_CAT:
        for (i = 0; i < n->nkids && s < big; i++)
            s += tree_size(n->kids[i]);
        return s;
    case N_ALT:
        for (i = 0; i < n->nkids && s < big; i++)
            s += tree_size(n->kids[i]) + (i + 1 < n->nkids ? 2 : 0);
        return s;
    case N_CAP:
        return tree_size(n->kid) + 2;
    case N_REP:
        k = tree_size(n->kid);
        if (k >= big)
            return big;
        if (n->max < 0)
            return n->min == 0 ? k + 2 : (size_t)n->min * k + 1;
        return (size_t)n->min * k + (size_t)(n->max - n->min) * (k + 1);
    }
    return 0;
}

struct compiler {
    struct inst *prog;
    size_t n;
};

static size_t emit(struct compiler *c, enum op op)
{
    memset(&c->prog[c->n], 0, sizeof(c->prog[0]));
    c->prog[c->n].op = op;
    return c->n++;
}

static void gen(struct compiler *c, const struct node *n)
{
    size_t i, j, L, *ends;
    switch (n->t) {
    case N_EMPTY:
        return;
    case N_LIT:
        j = emit(c, I_CHAR);
        c->prog[j].r = n->fold ? sprig_to_lower(n->r) : n->r;
        c->prog[j].fold = n->fold && (sprig_to_lower(n->r) != n->r || sprig_to_upper(n->r) != n->r);
        return;
    case N_CLASS:
        j = emit(c, I_CLASS);
        c->prog[j].cls = n->cls;
        return;
    case N_ANY:
        emit(c, n->nl ? I_ANY : I_ANYNL);
        return;
    case N_ASSERT:
        j = emit(c, I_ASSERT);
        c->prog[j].arg = n->assert;
        return;
    case N_CAT:
        for (i = 0; i < n->nkids; i++)
            gen(c, n->kids[i]);
        return;
    case N_CAP:
        j = emit(c, I_SAVE);
        c->prog[j].arg = 2 * n->cap;
        gen(c, n->kid);
        j = emit(c, I_SAVE);
        c->prog[j].arg = 2 * n->cap + 1;
        return;
    case N_ALT: {
        ends = malloc(n->nkids * sizeof(*ends));
        if (!ends)
            return; /* caller checks c->n against the expected size */
        for (i = 0; i < n->nkids; i++) {
            if (i + 1 < n->nkids) {
                size_t sp = emit(c, I_SPLIT);
                c->prog[sp].x = c->n;
                gen(c, n->kids[i]);
                ends[i] = emit(c, I_JMP);
                c->prog[sp].y = c->n;
            } else {
                gen(c, n->kids[i]);
            }
        }
        for (i = 0; i + 1 < n->nkids; i++)
            c->prog[ends[i]].x = c->n;
        free(ends);
        return;
    }
    case N_REP: {
        int k;
        if (n->max < 0) {
            for (k = 0; k + 1 < n->min; k++)
                gen(c, n->kid);
            if (n->min == 0) {
                L = emit(c, I_SPLIT);
                gen(c, n->kid);
                j = emit(c, I_JMP);
                c->prog[j].x = L;
                if (n->greedy) {
                    c->prog[L].x = L + 1;
                    c->prog[L].y = c->n;
                } else {
                    c->prog[L].x = c->n;
                    c->prog[L].y = L + 1;
                }
            } else {
                L = c->n;
                gen(c, n->kid);
                j = emit(c, I_SPLIT);
                if (n->greedy) {
                    c->prog[j].x = L;
                    c->prog[j].y = c->n;
                } else {
                    c->prog[j].x = c->n;
                    c->prog[j].y = L;
                }
            }
            return;
        }
        for (k = 0; k < n->min; k++)
            gen(c, n->kid);
        if (n->max > n->min) {
            size_t cnt = (size_t)(n->max - n->min), *sp = malloc(cnt * sizeof(*sp));
            if (!sp)
                return;
            for (i = 0; i < cnt; i++) {
                sp[i] = emit(c, I_SPLIT);
                gen(c, n->kid);
            }
            for (i = 0; i < cnt; i++) {
                if (n->greedy) {
                    c->prog[sp[i]].x = sp[i] + 1;
                    c->prog[sp[i]].y = c->n;
                } else {
                    c->prog[sp[i]].x = c->n;
                    c->prog[sp[i]].y = sp[i] + 1;
                }
            }
            free(sp);
        }
        return;
    }
    }
}

int tmpl_regex_compile(struct tmpl_regex **out, struct fth_arena *a, const char *pat, size_t len,
                       struct fth_buf *msg)
{
    struct parser ps;
    struct node *root = NULL;
    struct compiler c;
    struct tmpl_regex *re;
    size_t need;
    int error;
    memset(&ps, 0, sizeof(ps));
    ps.a = a;
    ps.src = ps.p = pat;
    ps.end = pat + len;
    ps.msg = msg;
    if ((error = parse_alt(&ps, &root)) < 0)
        return error;
    if (ps.p < ps.end) /* a ')' without its '(' */
        return perr_whole(&ps, "unexpected )");
    need = tree_size(root) + 3;
    /* the VM keeps a capture array per instruction: bound both together */
    if (need > FTH_LIMIT_REGEX_INSTS ||
        need * ((size_t)ps.ncap + 1) * 2 > (size_t)FTH_LIMIT_REGEX_INSTS * 40)
        return perr_whole(&ps, "expression too large");
    if (!(re = fth_arena_alloc(a, sizeof(*re))) ||
        !(c.prog = fth_arena_calloc(a, need + 1, sizeof(*c.prog))))
        return FTH_ENOMEM;
    c.n = 0;
    emit(&c, I_SAVE);
    c.prog[0].arg = 0;
    gen(&c, root);
    c.prog[emit(&c, I_SAVE)].arg = 1;
    emit(&c, I_MATCH);
    if (c.n != need)
        return FTH_ENOMEM; /* a temporary allocation failed while generating */
    re->prog = c.prog;
    re->n = c.n;
    re->groups = (size_t)ps.ncap + 1;
    if (!(re->names = fth_arena_calloc(a, re->groups, sizeof(*re->names))))
        return FTH_ENOMEM;
    {
        size_t i;
        for (i = 0; i < re->groups; i++)
            re->names[i] = i < ps.nnames && ps.names[i] ? ps.names[i] : "";
    }
    *out = re;
    return 0;
}

size_t tmpl_regex_groups(const struct tmpl_regex *re)
{
    return re->groups;
}

const char *tmpl_regex_group_name(const struct tmpl_regex *re, size_t i)
{
    return i < re->groups ? re->names[i] : "";
}

/* ---- Pike VM ---- */

struct tlist {
    size_t *pc;
    long *caps;
    size_t n;
};

struct vm {
    const struct tmpl_regex *re;
    const char *s;
    size_t len, ncap;
    unsigned *mark;
    unsigned gen;
    size_t *stack; /* pc << 1, or (slot << 1 | 1) followed by the old value */
    long *work;
};

static int word_rune(long r)
{
    return r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
}

static int assert_ok(int kind, size_t pos, size_t len, long prev, long next)
{
    switch (kind) {
    case A_BOT:
        return pos == 0;
    case A_EOT:
        return pos == len;
    case A_BOL:
        return pos == 0 || prev == '\n';
    case A_EOL:
        return pos == len || next == '\n';
    case A_WORDB:
        return word_rune(prev) != word_rune(next);
    case A_NWORDB:
        return word_rune(prev) == word_rune(next);
    }
    return 0;
}

/* follow the empty transitions from pc, adding the threads that consume input (or match) */
static void add_thread(struct vm *m, struct tlist *l, size_t pc0, const long *caps, size_t pos,
                       long prev, long next)
{
    size_t sp = 0, i;
    memcpy(m->work, caps, m->ncap * sizeof(long));
    m->stack[sp++] = pc0 << 1;
    while (sp) {
        size_t e = m->stack[--sp], pc;
        const struct inst *in;
        if (e & 1) { /* restore a capture slot */
            m->work[e >> 1] = (long)m->stack[--sp];
            continue;
        }
        pc = e >> 1;
        if (m->mark[pc] == m->gen)
            continue;
        m->mark[pc] = m->gen;
        in = &m->re->prog[pc];
        switch (in->op) {
        case I_JMP:
            m->stack[sp++] = in->x << 1;
            break;
        case I_SPLIT:
            m->stack[sp++] = in->y << 1;
            m->stack[sp++] = in->x << 1;
            break;
        case I_SAVE:
            if ((size_t)in->arg < m->ncap) {
                m->stack[sp++] = (size_t)m->work[in->arg];
                m->stack[sp++] = ((size_t)in->arg << 1) | 1;
                m->work[in->arg] = (long)pos;
            }
            m->stack[sp++] = (pc + 1) << 1;
            break;
        case I_ASSERT:
            if (assert_ok(in->arg, pos, m->len, prev, next))
                m->stack[sp++] = (pc + 1) << 1;
            break;
        default:
            l->pc[l->n] = pc;
            for (i = 0; i < m->ncap; i++)
                l->caps[l->n * m->ncap + i] = m->work[i];
            l->n++;
        }
    }
}

static int class_has(const struct cls *c, unsigned r)
{
    size_t i;
    int in = 0;
    for (i = 0; i < c->n && !in; i++)
        if (r >= c->r[i].lo && r <= c->r[i].hi)
            in = 1;
    if (!in && c->fold) {
        unsigned lo = sprig_to_lower(r), up = sprig_to_upper(r);
        for (i = 0; i < c->n && !in; i++)
            if ((lo >= c->r[i].lo && lo <= c->r[i].hi) || (up >= c->r[i].lo && up <= c->r[i].hi))
                in = 1;
    }
    for (i = 0; i < N_UNI && !in && c->preds; i++) {
        if ((c->preds >> (2 * i)) & 1u)
            in = uni_has(i, r);
        if (!in && ((c->preds >> (2 * i + 1)) & 1u))
            in = !uni_has(i, r);
    }
    return in != c->neg;
}

static int step_ok(const struct inst *in, unsigned r)
{
    switch (in->op) {
    case I_CHAR:
        return r == in->r || (in->fold && sprig_to_lower(r) == in->r);
    case I_CLASS:
        return class_has(in->cls, r);
    case I_ANY:
        return 1;
    case I_ANYNL:
        return r != '\n';
    default:
        return 0;
    }
}

static long prev_rune(const char *s, size_t pos)
{
    size_t st;
    unsigned r;
    if (pos == 0)
        return -1;
    st = pos - 1;
    while (st > 0 && pos - st < 4 && ((unsigned char)s[st] & 0xC0) == 0x80)
        st--;
    if (sprig_rune(s + st, pos - st, &r) != pos - st)
        return 0xFFFD;
    return (long)r;
}

int tmpl_regex_match(const struct tmpl_regex *re, const char *s, size_t n, size_t pos, long *caps)
{
    struct vm m;
    struct tlist a, b, *cl = &a, *nl = &b;
    long *init = NULL;
    size_t i, ninst = re->n, ncap = re->groups * 2;
    int matched = 0, error = 0;
    memset(&m, 0, sizeof(m));
    m.re = re;
    m.s = s;
    m.len = n;
    m.ncap = ncap;
    a.pc = malloc(ninst * sizeof(size_t));
    b.pc = malloc(ninst * sizeof(size_t));
    a.caps = malloc(ninst * ncap * sizeof(long));
    b.caps = malloc(ninst * ncap * sizeof(long));
    m.mark = calloc(ninst, sizeof(unsigned));
    m.stack = malloc((3 * ninst + 4) * sizeof(size_t));
    m.work = malloc(ncap * sizeof(long));
    init = malloc(ncap * sizeof(long));
    if (!a.pc || !b.pc || !a.caps || !b.caps || !m.mark || !m.stack || !m.work || !init) {
        error = FTH_ENOMEM;
        goto out;
    }
    a.n = b.n = 0;
    for (i = 0; i < ncap; i++)
        init[i] = caps[i] = -1;
    m.gen = 1;
    for (;;) {
        long prev = prev_rune(s, pos), next = -1;
        unsigned r = 0;
        size_t w = 0;
        if (pos < n) {
            w = sprig_rune(s + pos, n - pos, &r);
            next = (long)r;
        }
        if (!matched)
            add_thread(&m, cl, 0, init, pos, prev, next);
        m.gen++;
        nl->n = 0;
        for (i = 0; i < cl->n; i++) {
            const struct inst *in = &re->prog[cl->pc[i]];
            if (in->op == I_MATCH) {
                memcpy(caps, cl->caps + i * ncap, ncap * sizeof(long));
                matched = 1;
                break; /* lower-priority threads lose */
            }
            if (pos < n && step_ok(in, r)) {
                long nprev = (long)r, nnext = -1;
                if (pos + w < n) {
                    unsigned r2;
                    sprig_rune(s + pos + w, n - pos - w, &r2);
                    nnext = (long)r2;
                }
                add_thread(&m, nl, cl->pc[i] + 1, cl->caps + i * ncap, pos + w, nprev, nnext);
            }
        }
        if (pos >= n) {
            break;
        }
        pos += w;
        {
            struct tlist *t = cl;
            cl = nl;
            nl = t;
        }
        if (matched && cl->n == 0)
            break;
    }
out:
    free(a.pc);
    free(b.pc);
    free(a.caps);
    free(b.caps);
    free(m.mark);
    free(m.stack);
    free(m.work);
    free(init);
    return error ? error : matched;
}
