/*
 * YAML/JSON loading. The stream is first cut at column-0 document markers ("---", "...",
 * directives): YAML forbids those lines inside a document's content, so the cut is exact, and
 * it lets one broken document fail alone. Each piece is then read by the fast path for the
 * YAML subset manifests use (fastyaml.c), or, when it gives up, parsed with libyaml's event
 * API; either way into the same fth_value nodes carrying their line and column.
 */
#include "fathom/value.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../base/limits.h"
#include "../base/compat.h"
#include "../base/banned.h"
#include "value_int.h"

struct anchor {
    const char *name;
    struct fth_value *node;
};

struct frame {
    struct fth_value *node;
    const char *anchor;   /* registered when the node is complete */
    struct fth_vec items; /* seq: values; map: alternating keys and values */
};

struct loader {
    struct fth_arena *a;
    const struct fth_load_opts *opts;
    const char *name;
    unsigned line_offset; /* lines before the current piece */
    size_t max_depth, max_nodes, max_alias;
    size_t nodes, alias_nodes;
    struct frame *stack;
    size_t depth, stack_cap;
    struct anchor *anchors; /* open-addressed hash table */
    size_t anchor_cap, anchor_len;
    struct fth_value *root;
    struct fth_error *err;
    struct fth_error doc_err; /* the current piece's failure (err points here) */
    size_t failed;            /* documents that failed to load */
    int syntax_error;         /* libyaml refused the piece (not one of our checks) */
    struct value_fast fast;   /* the fast path's working memory */
};

static int fail(struct loader *l, int code, unsigned line, unsigned col, const char *fmt, ...)
    FTH_PRINTF(5, 6);

static int fail(struct loader *l, int code, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fth_error_setv(l->err, code, fmt, ap);
    va_end(ap);
    fth_error_locate(l->err, l->name, line, col);
    return code;
}

/*
 * ---- scalar resolution ----
 *
 * Kubernetes reads YAML with go-yaml v2 (through sigs.k8s.io/yaml), so a plain scalar
 * resolves as go-yaml v2's resolve() does: the first character picks what it may be, then
 * the YAML 1.1 word lists (y/yes/on, n/no/off, ~/null, .inf, .nan), then an integer (Go
 * strconv.ParseInt with base 0 after removing '_': 0x1F, 0o17, 0b101, and 0755 as octal),
 * then a float matching ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$. Anything else,
 * including timestamps (go-yaml hands them over as strings), stays a string.
 */

static int one_of(const char *s, const char *const *list)
{
    /* the first byte settles most: a call to strcmp per word showed in profiles */
    for (; *list; list++)
        if ((*list)[0] == s[0] && !strcmp(s, *list))
            return 1;
    return 0;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                         "True", "TRUE", "on",  "On",  "ON",  NULL};
static const char *const false_words[] = {"n",     "N",     "no",  "No",  "NO",  "false",
                                          "False", "FALSE", "off", "Off", "OFF", NULL};
static const char *const inf_words[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL};
static const char *const neg_inf_words[] = {"-.inf", "-.Inf", "-.INF", NULL};
static const char *const nan_words[] = {".nan", ".NaN", ".NAN", NULL};
/* The longest of the words above ("false", "+.inf"). */
#define WORD_MAX 5

/* Longest text worth trying as a number: longer digit strings are strings or huge floats. */
#define NUMBER_MAX 400

/* Go's strconv.ParseInt(s, 0, 64) on text without '_': 1 ok, 0 not an integer, -1 range. */
static int parse_int(const char *s, int64_t *out)
{
    const char *p = s;
    int neg = 0, base = 10;
    unsigned long long u = 0;

    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
        base = 2;
        p += 2;
    } else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) {
        base = 8;
        p += 2;
    } else if (p[0] == '0' && p[1]) {
        base = 8;
        p += 1;
    }
    if (!*p)
        return 0;
    for (; *p; p++) {
        int d;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (*p >= 'a' && *p <= 'f')
            d = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'F')
            d = *p - 'A' + 10;
        else
            return 0;
        if (d >= base)
            return 0;
        if (u > (ULLONG_MAX - (unsigned)d) / (unsigned)base) {
            /* keep checking the syntax: a bad digit later still makes it a string */
            for (p++; *p; p++) {
                int ok = base == 16 ? isxdigit((unsigned char)*p)
                                    : *p >= '0' && *p < '0' + (base < 10 ? base : 10);
                if (!ok)
                    return 0;
            }
            return -1;
        }
        u = u * (unsigned)base + (unsigned)d;
    }
    if (neg) {
        if (u > (unsigned long long)INT64_MAX + 1)
            return -1;
        *out = u == (unsigned long long)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
    } else {
        if (u > (unsigned long long)INT64_MAX)
            return -1;
        *out = (int64_t)u;
    }
    return 1;
}

/* go-yaml's yamlStyleFloat, then strconv.ParseFloat (which refuses overflow to infinity). */
static int parse_float(const char *s, double *out)
{
    const char *p = s;
    int digits = 0;
    char *end;
    double d;

    if (*p == '-' || *p == '+')
        p++;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    } else {
        for (; *p >= '0' && *p <= '9'; p++)
            digits++;
        if (digits && *p == '.')
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
    }
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p)
        return 0;
    errno = 0;
    d = strtod(s, &end);
    if (*end || (errno == ERANGE && isinf(d)))
        return 0;
    *out = d;
    return 1;
}

/* Go's underscoreOK for a decimal number: each '_' sits between two digits. */
static int underscores_ok(const char *s)
{
    char saw = '^';
    if (*s == '-' || *s == '+')
        s++;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            saw = '0';
        } else if (*s == '_') {
            if (saw != '0')
                return 0;
            saw = '_';
        } else {
            if (saw == '_')
                return 0;
            saw = '!';
        }
    }
    return saw != '_';
}

/* Resolve text as go-yaml v2 does for an untagged plain scalar; v->u.str holds the text. */
static void resolve_text(struct fth_value *v)
{
    const char *s = v->u.str.ptr;
    char plain[NUMBER_MAX + 1];
    size_t n = 0, i;
    int64_t iv;
    double d;
    char c = s[0];
    int numeric = c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9');

    /* the hint: go-yaml only looks further for these first characters */
    if (!numeric) {
        switch (c) {
        case '\0':
        case 'y':
        case 'Y':
        case 'n':
        case 'N':
        case 't':
        case 'T':
        case 'f':
        case 'F':
        case 'o':
        case 'O':
        case '~':
            break;
        default:
            return;
        }
    }
    /* no word below is longer than WORD_MAX: longer text can only be a number */
    if (!numeric && v->u.str.len > WORD_MAX)
        return;
    if (strlen(s) != v->u.str.len)
        return;
    /* null and boolean words start with a letter or '~' (or are empty), the infinities and
     * NaN with '.', '+' or '-': a digit starts none */
    if (!numeric) {
        if (one_of(s, null_words)) {
            v->type = FTH_VALUE_NULL;
        } else if (one_of(s, true_words) || one_of(s, false_words)) {
            v->type = FTH_VALUE_BOOL;
            v->u.boolean = one_of(s, true_words);
        }
        return;
    }
    if ((c == '.' || c == '+' || c == '-') && v->u.str.len <= WORD_MAX &&
        (one_of(s, inf_words) || one_of(s, neg_inf_words) || one_of(s, nan_words))) {
        v->type = FTH_VALUE_FLOAT;
        v->u.number = one_of(s, nan_words) ? NAN : one_of(s, inf_words) ? INFINITY : -INFINITY;
        return;
    }
    if (v->u.str.len > NUMBER_MAX)
        return;
    if (c == '.' && !underscores_ok(s))
        return;
    for (i = 0; s[i]; i++)
        if (s[i] != '_')
            plain[n++] = s[i];
    plain[n] = '\0';
    if (c != '.' && parse_int(plain, &iv) > 0) {
        v->type = FTH_VALUE_INT;
        v->u.integer = iv;
    } else if (parse_float(plain, &d) > 0) {
        /* also integers beyond int64, which go-yaml reads as uint64 or float64 */
        v->type = FTH_VALUE_FLOAT;
        v->u.number = d;
    }
}

void value_resolve_plain(struct fth_value *v)
{
    resolve_text(v);
}

int value_plain_is_string(const char *s, size_t len)
{
    struct fth_value v;

    memset(&v, 0, sizeof(v));
    v.type = FTH_VALUE_STRING;
    v.u.str.ptr = s;
    v.u.str.len = len;
    resolve_text(&v);
    return v.type == FTH_VALUE_STRING;
}

/* "!!int" for "tag:yaml.org,2002:int", as go-yaml names tags in its messages. */
static void short_tag(char *buf, size_t size, const char *tag)
{
    static const char prefix[] = "tag:yaml.org,2002:";
    if (!strncmp(tag, prefix, sizeof(prefix) - 1))
        snprintf(buf, size, "!!%s", tag + sizeof(prefix) - 1);
    else
        snprintf(buf, size, "%s", tag);
}

/* Text of untrusted input fit for a one-line message: at most 40 bytes, controls as '?'. */
static const char *quote_text(char *buf, size_t size, const char *s, size_t len)
{
    size_t i, n = 0, max = size - 4;
    for (i = 0; i < len && n < max; i++)
        buf[n++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (i < len) {
        /* do not cut a UTF-8 sequence in half */
        while (n && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
            n--;
        if (n && (unsigned char)buf[n - 1] >= 0xc0)
            n--;
        buf[n++] = '.', buf[n++] = '.', buf[n++] = '.';
    }
    buf[n] = '\0';
    return buf;
}

static int b64_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* go-yaml v2 decodes a !!binary scalar (base64, line breaks ignored) into a string. */
static int decode_binary(struct loader *l, struct fth_value *v)
{
    const unsigned char *s = (const unsigned char *)v->u.str.ptr;
    size_t i, n = 0, len = v->u.str.len, quad = 0, pad = 0;
    unsigned acc = 0;
    char text[48];
    char *out = fth_arena_alloc(l->a, len / 4 * 3 + 4);

    if (!out)
        return FTH_ENOMEM;
    for (i = 0; i < len; i++) {
        int d;
        if (s[i] == '\n' || s[i] == '\r')
            continue;
        if (s[i] == '=' && quad >= 2 && !pad) {
            pad = 4 - quad;
            if (pad == 2) {
                /* "xx==": the second '=' must follow */
                for (i++; i < len && (s[i] == '\n' || s[i] == '\r'); i++)
                    ;
                if (i >= len || s[i] != '=')
                    goto bad;
            }
            for (i++; i < len && (s[i] == '\n' || s[i] == '\r'); i++)
                ;
            if (i < len)
                goto bad;
            break;
        }
        if ((d = b64_digit(s[i])) < 0)
            goto bad;
        acc = acc << 6 | (unsigned)d;
        if (++quad == 4) {
            out[n++] = (char)(acc >> 16), out[n++] = (char)(acc >> 8), out[n++] = (char)acc;
            acc = 0;
            quad = 0;
        }
    }
    if (pad == 2)
        out[n++] = (char)(acc >> 4);
    else if (pad == 1)
        out[n++] = (char)(acc >> 10), out[n++] = (char)(acc >> 2);
    else if (quad)
        goto bad;
    out[n] = '\0';
    v->u.str.ptr = out;
    v->u.str.len = n;
    v->flags |= FTH_VALUE_QUOTED;
    return 0;
bad:
    return fail(l, FTH_EINVALID, v->line, v->column, "expected base64 (tag !!binary), found '%s'",
                quote_text(text, sizeof(text), v->u.str.ptr, v->u.str.len));
}

/*
 * An explicit tag: go-yaml resolves the text, then the result must fit the tag (an !!int
 * may become a !!float). Unknown tags and !!str leave a string.
 */
static int resolve_tagged(struct loader *l, struct fth_value *v, const char *tag)
{
    struct fth_value r = *v;
    enum fth_value_type want;
    char name[64], text[48];

    if (!strcmp(tag, YAML_INT_TAG))
        want = FTH_VALUE_INT;
    else if (!strcmp(tag, YAML_FLOAT_TAG))
        want = FTH_VALUE_FLOAT;
    else if (!strcmp(tag, YAML_BOOL_TAG))
        want = FTH_VALUE_BOOL;
    else if (!strcmp(tag, YAML_NULL_TAG))
        want = FTH_VALUE_NULL;
    else if (!strcmp(tag, "tag:yaml.org,2002:binary"))
        return decode_binary(l, v);
    else {
        v->flags |= FTH_VALUE_QUOTED;
        return 0;
    }
    resolve_text(&r);
    if (want == FTH_VALUE_FLOAT && r.type == FTH_VALUE_INT) {
        r.type = FTH_VALUE_FLOAT;
        r.u.number = (double)r.u.integer;
    }
    if (r.type != want) {
        short_tag(name, sizeof(name), tag);
        return fail(l, FTH_EINVALID, v->line, v->column, "expected %s (tag %s), found '%s'",
                    want == FTH_VALUE_NULL ? "null" : fth_value_type_name(want), name,
                    quote_text(text, sizeof(text), v->u.str.ptr, v->u.str.len));
    }
    r.flags &= ~FTH_VALUE_QUOTED;
    *v = r;
    return 0;
}

/*
 * Go's strconv.FormatFloat(d, 'g', -1, 32), which sigs.k8s.io/yaml uses to turn a float key
 * into a string: shortest digits that round-trip a float32, %e form when the exponent is
 * below -4 or at least 6, and .inf/-.inf/.nan for the specials.
 */
static void format_float_key(char *buf, size_t size, double d)
{
    char tmp[64];
    float f;
    int prec, exp10, frac;

    if (isnan(d)) {
        snprintf(buf, size, ".nan");
        return;
    }
    /* float32 rounding, done by hand past FLT_MAX where C leaves the conversion undefined */
    if (fabs(d) >= 0x1.ffffffp127) {
        snprintf(buf, size, d < 0 ? "-.inf" : ".inf");
        return;
    }
    f = fabs(d) > FLT_MAX ? (d < 0 ? -FLT_MAX : FLT_MAX) : (float)d;
    if (f == 0) {
        snprintf(buf, size, signbit(f) ? "-0" : "0");
        return;
    }
    for (prec = 1; prec < 9; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, (double)f);
        if (strtof(tmp, NULL) == f)
            break;
    }
    snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, (double)f);
    exp10 = (int)strtol(strchr(tmp, 'e') + 1, NULL, 10);
    if (exp10 < -4 || exp10 >= 6) {
        snprintf(buf, size, "%s", tmp);
        return;
    }
    frac = prec - 1 - exp10;
    snprintf(buf, size, "%.*f", frac > 0 ? frac : 0, (double)f);
}

/*
 * sigs.k8s.io/yaml makes every mapping key a string: a bool key becomes "true"/"false", an
 * integer its decimal digits (so 0x10 is "16"), a float as above; a null key has no string.
 * The result replaces *key (a new node: an anchored key keeps its own type for aliases).
 */
int value_key_string(struct fth_arena *a, struct fth_value **key)
{
    struct fth_value *k = *key, *s;
    char buf[64];

    switch (k->type) {
    case FTH_VALUE_STRING:
        return 0;
    case FTH_VALUE_BOOL:
        snprintf(buf, sizeof(buf), "%s", k->u.boolean ? "true" : "false");
        break;
    case FTH_VALUE_INT:
        snprintf(buf, sizeof(buf), "%" PRId64, k->u.integer);
        break;
    case FTH_VALUE_FLOAT:
        format_float_key(buf, sizeof(buf), k->u.number);
        break;
    default:
        return 1;
    }
    if (!(s = fth_value_new_str(a, buf, strlen(buf))))
        return FTH_ENOMEM;
    s->line = k->line;
    s->column = k->column;
    s->flags = FTH_VALUE_QUOTED;
    *key = s;
    return 0;
}

static int key_to_string(struct loader *l, struct fth_value **key)
{
    int error = value_key_string(l->a, key);

    if (error == 1)
        return fail(l, FTH_EINVALID, (*key)->line, (*key)->column,
                    "expected a string mapping key, found %s", fth_value_type_name((*key)->type));
    return error;
}

/* ---- anchors ---- */

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int anchor_put(struct loader *l, const char *name, struct fth_value *node)
{
    size_t i, mask;
    if ((l->anchor_len + 1) * 2 > l->anchor_cap) {
        size_t cap = l->anchor_cap ? l->anchor_cap * 2 : 16, j;
        struct anchor *t = fth_arena_calloc(l->a, cap, sizeof(*t));
        if (!t)
            return FTH_ENOMEM;
        for (j = 0; j < l->anchor_cap; j++) {
            if (!l->anchors[j].name)
                continue;
            for (i = hash_str(l->anchors[j].name) & (cap - 1); t[i].name; i = (i + 1) & (cap - 1))
                ;
            t[i] = l->anchors[j];
        }
        l->anchors = t;
        l->anchor_cap = cap;
    }
    mask = l->anchor_cap - 1;
    for (i = hash_str(name) & mask; l->anchors[i].name; i = (i + 1) & mask) {
        if (!strcmp(l->anchors[i].name, name)) {
            l->anchors[i].node = node; /* a redefined anchor replaces the old one */
            return 0;
        }
    }
    l->anchors[i].name = fth_arena_strdup(l->a, name);
    if (!l->anchors[i].name)
        return FTH_ENOMEM;
    l->anchors[i].node = node;
    l->anchor_len++;
    return 0;
}

static struct fth_value *anchor_get(struct loader *l, const char *name)
{
    size_t i, mask;
    if (!l->anchor_cap)
        return NULL;
    mask = l->anchor_cap - 1;
    for (i = hash_str(name) & mask; l->anchors[i].name; i = (i + 1) & mask)
        if (!strcmp(l->anchors[i].name, name))
            return l->anchors[i].node;
    return NULL;
}

/* ---- tree building ---- */

static struct fth_value *new_node(struct loader *l, enum fth_value_type type, yaml_mark_t mark)
{
    struct fth_value *v = fth_value_new(l->a, type);
    if (v) {
        v->line = (unsigned)mark.line + 1 + l->line_offset;
        v->column = (unsigned)mark.column + 1;
        v->weight = 1;
    }
    return v;
}

static int attach(struct loader *l, struct fth_value *v)
{
    size_t total;

    if (!v)
        return FTH_ENOMEM;
    if (fth_add_overflow(l->nodes, v->flags & FTH_VALUE_ALIAS ? v->weight : 1, &total) ||
        total > l->max_nodes)
        return fail(l, FTH_ELIMIT, v->line, v->column, "document has more than %zu nodes (limit)",
                    l->max_nodes);
    l->nodes = total;
    if (!l->depth) {
        l->root = v;
        return 0;
    }
    return fth_vec_push(&l->stack[l->depth - 1].items, l->a, v);
}

static int push(struct loader *l, struct fth_value *v)
{
    if (l->depth >= l->max_depth)
        return fail(l, FTH_ELIMIT, v->line, v->column, "nesting deeper than %zu levels (limit)",
                    l->max_depth);
    if (l->depth == l->stack_cap) {
        size_t cap = l->stack_cap ? l->stack_cap * 2 : 16;
        struct frame *s = fth_arena_calloc(l->a, cap, sizeof(*s));
        if (!s)
            return FTH_ENOMEM;
        if (l->depth)
            memcpy(s, l->stack, l->depth * sizeof(*s));
        l->stack = s;
        l->stack_cap = cap;
    }
    l->stack[l->depth].node = v;
    l->stack[l->depth].anchor = NULL;
    /* the frame's item vector is reused from the last node at this depth: its contents are
     * copied out when the node completes */
    l->stack[l->depth].items.len = 0;
    l->depth++;
    return 0;
}

static size_t hash_bytes(const char *s, size_t len)
{
    size_t h = (size_t)1469598103934665603ull, i;
    for (i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * (size_t)1099511628211ull;
    return h;
}

static int same_key(const struct fth_value *a, const struct fth_value *b)
{
    return a->u.str.len == b->u.str.len && !memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len);
}

int value_keyset_init(struct value_keyset *ks, struct fth_arena *a,
                      const struct fth_member *members, size_t max)
{
    size_t cap = 16;
    memset(ks, 0, sizeof(*ks));
    ks->members = members;
    if (max <= 8)
        return 0;
    while (cap < max * 2)
        cap *= 2;
    if (!(ks->slots = fth_arena_calloc(a, cap, sizeof(*ks->slots))))
        return FTH_ENOMEM;
    ks->mask = cap - 1;
    return 0;
}

const struct fth_value *value_keyset_add(struct value_keyset *ks, const struct fth_value *k)
{
    size_t i;
    if (!ks->slots) {
        for (i = 0; i < ks->len; i++)
            if (same_key(ks->members[i].key, k))
                return ks->members[i].key;
        ks->len++;
        return NULL;
    }
    for (i = hash_bytes(k->u.str.ptr, k->u.str.len) & ks->mask; ks->slots[i];
         i = (i + 1) & ks->mask)
        if (same_key(ks->slots[i], k))
            return ks->slots[i];
    ks->slots[i] = k;
    ks->len++;
    return NULL;
}

static int is_merge_key(const struct fth_value *k)
{
    return k->type == FTH_VALUE_STRING && !(k->flags & FTH_VALUE_QUOTED) && k->u.str.len == 2 &&
           !memcmp(k->u.str.ptr, "<<", 2);
}

/*
 * Build a mapping from alternating keys and values. Duplicate keys are an error. "<<" merge
 * keys (a mapping or a sequence of mappings) add the keys not written explicitly; among merged
 * mappings the earlier wins.
 */
static int build_map(struct loader *l, struct fth_value *map, struct fth_vec *items)
{
    size_t i, j, k, n = items->len / 2, out = 0, extra = 0;
    struct fth_member *m;
    struct value_keyset ks;
    int error;
    char text[48];

    for (i = 0; i < n; i++) {
        struct fth_value *key = items->items[2 * i], *val = items->items[2 * i + 1];
        if (!is_merge_key(key))
            continue;
        if (val->type == FTH_VALUE_MAP) {
            extra += val->u.map.len;
        } else if (val->type == FTH_VALUE_SEQ) {
            for (j = 0; j < val->u.seq.len; j++) {
                if (val->u.seq.items[j]->type != FTH_VALUE_MAP)
                    return fail(l, FTH_EINVALID, val->u.seq.items[j]->line,
                                val->u.seq.items[j]->column,
                                "'<<': expected a mapping to merge, found %s",
                                fth_value_type_name(val->u.seq.items[j]->type));
                extra += val->u.seq.items[j]->u.map.len;
            }
        } else {
            return fail(l, FTH_EINVALID, val->line, val->column,
                        "'<<': expected a mapping or a sequence of mappings to merge, found %s",
                        fth_value_type_name(val->type));
        }
    }
    if (!(m = fth_arena_calloc(l->a, n + extra ? n + extra : 1, sizeof(*m))))
        return FTH_ENOMEM;
    if ((error = value_keyset_init(&ks, l->a, m, n + extra)) < 0)
        return error;
    for (i = 0; i < n; i++) {
        struct fth_value *key = items->items[2 * i];
        const struct fth_value *first;
        if (is_merge_key(key))
            continue;
        if ((first = value_keyset_add(&ks, key)))
            return fail(l, FTH_EINVALID, key->line, key->column,
                        "duplicate key '%s', first defined at line %u",
                        quote_text(text, sizeof(text), key->u.str.ptr, key->u.str.len),
                        first->line);
        m[out].key = key;
        m[out].value = items->items[2 * i + 1];
        out++;
    }
    for (i = 0; i < n && extra; i++) {
        struct fth_value *val = items->items[2 * i + 1];
        size_t count = val->type == FTH_VALUE_SEQ ? val->u.seq.len : 1;
        if (!is_merge_key(items->items[2 * i]))
            continue;
        for (j = 0; j < count; j++) {
            struct fth_value *src = val->type == FTH_VALUE_SEQ ? val->u.seq.items[j] : val;
            for (k = 0; k < src->u.map.len; k++) {
                if (value_keyset_add(&ks, src->u.map.items[k].key))
                    continue;
                m[out++] = src->u.map.items[k];
            }
        }
    }
    map->u.map.items = m;
    map->u.map.len = out;
    return 0;
}

static int pop(struct loader *l)
{
    struct frame *f = &l->stack[--l->depth];
    struct fth_value *v = f->node;
    size_t i, weight = 1;
    int error = 0;

    if (v->type == FTH_VALUE_SEQ) {
        if (f->items.len) {
            v->u.seq.items = fth_arena_alloc(l->a, f->items.len * sizeof(*v->u.seq.items));
            if (!v->u.seq.items)
                return FTH_ENOMEM;
            memcpy(v->u.seq.items, f->items.items, f->items.len * sizeof(*v->u.seq.items));
        }
        v->u.seq.len = f->items.len;
        for (i = 0; i < f->items.len; i++)
            weight += v->u.seq.items[i]->weight;
    } else {
        for (i = 0; i < f->items.len; i++) {
            struct fth_value *item = f->items.items[i];
            weight += item->weight;
            if (i % 2)
                continue;
            if (item->type == FTH_VALUE_SEQ || item->type == FTH_VALUE_MAP)
                return fail(l, FTH_EINVALID, item->line, item->column,
                            "expected a scalar mapping key, found %s",
                            fth_value_type_name(item->type));
            if ((error = key_to_string(l, (struct fth_value **)&f->items.items[i])) < 0)
                return error;
        }
        if ((error = build_map(l, v, &f->items)) < 0)
            return error;
    }
    v->weight = weight;
    /* An alias inside its own anchor found nothing above: anchors exist once complete. */
    if (f->anchor && (error = anchor_put(l, f->anchor, v)) < 0)
        return error;
    return attach(l, v);
}

static int scalar_node(struct loader *l, const yaml_event_t *ev, struct fth_value **out)
{
    const char *tag = (const char *)ev->data.scalar.tag;
    size_t len = ev->data.scalar.length;
    struct fth_value *v;

    if (len > FTH_LIMIT_SCALAR)
        return fail(l, FTH_ELIMIT, (unsigned)ev->start_mark.line + 1 + l->line_offset,
                    (unsigned)ev->start_mark.column + 1, "scalar of %zu bytes (limit %zu)", len,
                    (size_t)FTH_LIMIT_SCALAR);
    v = new_node(l, FTH_VALUE_STRING, ev->start_mark);
    if (!v)
        return FTH_ENOMEM;
    v->u.str.ptr = fth_arena_strndup(l->a, (const char *)ev->data.scalar.value, len);
    if (!v->u.str.ptr)
        return FTH_ENOMEM;
    v->u.str.len = len;
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        v->flags |= FTH_VALUE_QUOTED;
    if (tag) {
        int error = resolve_tagged(l, v, tag);
        if (error < 0)
            return error;
    } else if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        resolve_text(v);
    }
    *out = v;
    return 0;
}

static int handle_event(struct loader *l, const yaml_event_t *ev)
{
    struct fth_value *v = NULL;
    const char *anchor = NULL;
    int error = 0;

    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if ((error = scalar_node(l, ev, &v)) < 0)
            return error;
        anchor = (const char *)ev->data.scalar.anchor;
        if (anchor && (error = anchor_put(l, anchor, v)) < 0)
            return error;
        return attach(l, v);
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        struct fth_value *target = anchor_get(l, name);
        size_t total;
        if (!target)
            return fail(l, FTH_EINVALID, (unsigned)ev->start_mark.line + 1 + l->line_offset,
                        (unsigned)ev->start_mark.column + 1,
                        "alias '*%s' refers to no anchor defined before it", name);
        if (fth_add_overflow(l->alias_nodes, target->weight, &total) || total > l->max_alias)
            return fail(l, FTH_ELIMIT, (unsigned)ev->start_mark.line + 1 + l->line_offset,
                        (unsigned)ev->start_mark.column + 1,
                        "aliases expand to more than %zu nodes (limit; an alias bomb?)",
                        l->max_alias);
        l->alias_nodes = total;
        /* The alias shares its anchor's node: memory stays bounded, the count does not lie. */
        v = fth_value_new(l->a, target->type);
        if (!v)
            return FTH_ENOMEM;
        *v = *target;
        v->flags |= FTH_VALUE_ALIAS;
        v->line = (unsigned)ev->start_mark.line + 1 + l->line_offset;
        v->column = (unsigned)ev->start_mark.column + 1;
        return attach(l, v);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        v = new_node(l, ev->type == YAML_SEQUENCE_START_EVENT ? FTH_VALUE_SEQ : FTH_VALUE_MAP,
                     ev->start_mark);
        if (!v)
            return FTH_ENOMEM;
        anchor = ev->type == YAML_SEQUENCE_START_EVENT
                     ? (const char *)ev->data.sequence_start.anchor
                     : (const char *)ev->data.mapping_start.anchor;
        if ((error = push(l, v)) < 0)
            return error;
        if (anchor && !(l->stack[l->depth - 1].anchor = fth_arena_strdup(l->a, anchor)))
            return FTH_ENOMEM;
        return 0;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return pop(l);
    default:
        return 0;
    }
}

/* ---- JSON through jansson, for JSON that libyaml's YAML 1.1 reader refuses ---- */

static int from_json(struct loader *l, json_t *j, unsigned line, size_t depth,
                     struct fth_value **out)
{
    struct fth_value *v = NULL;
    yaml_mark_t mark = {0, line ? line - 1 - l->line_offset : 0, 0};
    size_t i, total;
    int error = 0;

    if (depth >= l->max_depth && (json_is_object(j) || json_is_array(j)))
        return fail(l, FTH_ELIMIT, line, 0, "nesting deeper than %zu levels (limit)", l->max_depth);
    if (fth_add_overflow(l->nodes, 1, &total) || total > l->max_nodes)
        return fail(l, FTH_ELIMIT, line, 0, "document has more than %zu nodes (limit)",
                    l->max_nodes);
    l->nodes = total;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *val;
        size_t n = json_object_size(j);
        v = new_node(l, FTH_VALUE_MAP, mark);
        if (!v || !(v->u.map.items = fth_arena_calloc(l->a, n ? n : 1, sizeof(struct fth_member))))
            return FTH_ENOMEM;
        json_object_foreach(j, key, val)
        {
            struct fth_member *m = &v->u.map.items[v->u.map.len++];
            if (!(m->key = fth_value_new_str(l->a, key, strlen(key))))
                return FTH_ENOMEM;
            m->key->line = v->line;
            if ((error = from_json(l, val, line, depth + 1, &m->value)) < 0)
                return error;
            v->weight += m->value->weight + 1;
        }
        break;
    }
    case JSON_ARRAY:
        v = new_node(l, FTH_VALUE_SEQ, mark);
        if (!v || !(v->u.seq.items =
                        fth_arena_calloc(l->a, json_array_size(j) + 1, sizeof(struct fth_value *))))
            return FTH_ENOMEM;
        for (i = 0; i < json_array_size(j); i++) {
            if ((error = from_json(l, json_array_get(j, i), line, depth + 1, &v->u.seq.items[i])) <
                0)
                return error;
            v->weight += v->u.seq.items[i]->weight;
            v->u.seq.len++;
        }
        break;
    case JSON_STRING:
        if (!(v = fth_value_new_str(l->a, json_string_value(j), json_string_length(j))))
            return FTH_ENOMEM;
        v->flags |= FTH_VALUE_QUOTED;
        v->line = line;
        break;
    case JSON_INTEGER:
        if (!(v = new_node(l, FTH_VALUE_INT, mark)))
            return FTH_ENOMEM;
        v->u.integer = json_integer_value(j);
        break;
    case JSON_REAL:
        if (!(v = new_node(l, FTH_VALUE_FLOAT, mark)))
            return FTH_ENOMEM;
        v->u.number = json_real_value(j);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        if (!(v = new_node(l, FTH_VALUE_BOOL, mark)))
            return FTH_ENOMEM;
        v->u.boolean = json_is_true(j);
        break;
    default:
        if (!(v = new_node(l, FTH_VALUE_NULL, mark)))
            return FTH_ENOMEM;
        break;
    }
    *out = v;
    return 0;
}

/* ---- splitting a stream into documents ---- */

struct piece {
    const char *ptr;
    size_t len;
    unsigned line; /* 1-based line of its first byte */
    int is_doc;    /* has content or an explicit "---" */
};

static int is_marker(const char *p, const char *end, char c)
{
    if (end - p < 3 || p[0] != c || p[1] != c || p[2] != c)
        return 0;
    return end - p == 3 || p[3] == ' ' || p[3] == '\t' || p[3] == '\n' || p[3] == '\r';
}

/* "%YAML 1.1" or "%TAG ...": other '%' lines may be content of a multi-line scalar. */
static int is_directive(const char *p, const char *end)
{
    size_t n = (size_t)(end - p);
    return (n > 5 && !memcmp(p, "%YAML", 5) && (p[5] == ' ' || p[5] == '\t')) ||
           (n > 4 && !memcmp(p, "%TAG", 4) && (p[4] == ' ' || p[4] == '\t'));
}

/* A line with something other than blanks or a comment. */
static int has_content(const char *p, const char *eol)
{
    for (; p < eol; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r')
            continue;
        return *p != '#';
    }
    return 0;
}

/* End of the line at p (a "\n", "\r\n" or lone "\r" as libyaml counts them) and the next. */
static const char *line_end(const char *p, const char *end, const char **next)
{
    /* memchr, not a byte loop: this pass reads every byte of the input */
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *eol = nl ? nl : end;
    const char *cr = memchr(p, '\r', (size_t)(eol - p));

    if (cr) {
        *next = cr + 1 < end && cr[1] == '\n' ? cr + 2 : cr + 1;
        return cr;
    }
    *next = nl ? nl + 1 : end;
    return eol;
}

struct splitter {
    struct fth_arena *a;
    struct fth_vec pieces;
    size_t max;
};

static int emit_piece(struct splitter *sp, const char *start, const char *end, unsigned line,
                      int is_doc)
{
    struct piece *p;
    if (!is_doc)
        return 0;
    if (sp->pieces.len >= sp->max)
        return FTH_ELIMIT;
    if (!(p = fth_arena_alloc(sp->a, sizeof(*p))))
        return FTH_ENOMEM;
    p->ptr = start;
    p->len = (size_t)(end - start);
    p->line = line;
    p->is_doc = is_doc;
    return fth_vec_push(&sp->pieces, sp->a, p);
}

static int split_stream(struct splitter *sp, const char *data, size_t len)
{
    const char *p = data, *end = data + len, *start = data;
    unsigned line = 1, start_line = 1;
    int content = 0, explicit_start = 0, error;

    /* A UTF-8 byte order mark stays in the first piece (libyaml skips it) but is no content. */
    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        p += 3;
    while (p < end) {
        const char *next, *eol = line_end(p, end, &next);
        if (is_marker(p, eol, '-')) {
            if (content || explicit_start) {
                if ((error = emit_piece(sp, start, p, start_line, 1)) < 0)
                    return error;
                start = p;
                start_line = line;
                content = 0;
            }
            explicit_start = 1;
            if (has_content(p + 3, eol))
                content = 1;
        } else if (is_marker(p, eol, '.')) {
            if ((error = emit_piece(sp, start, next, start_line, content || explicit_start)) < 0)
                return error;
            start = next;
            start_line = line + 1;
            content = explicit_start = 0;
        } else if (*p == '%' && (content || explicit_start)) {
            if (is_directive(p, eol)) {
                if ((error = emit_piece(sp, start, p, start_line, 1)) < 0)
                    return error;
                start = p;
                start_line = line;
                content = explicit_start = 0;
            }
        } else if (!content && *p != '%' && has_content(p, eol)) {
            content = 1;
        }
        p = next;
        line++;
    }
    return emit_piece(sp, start, end, start_line, content || explicit_start);
}

/* ---- one document ---- */

/* Byte offset of a libyaml mark (0-based line, column in characters) in data. */
static size_t text_offset(const char *data, size_t len, size_t line, size_t column)
{
    size_t i = 0;
    while (line && i < len) {
        if (data[i] == '\n' || data[i] == '\r') {
            if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
                i++;
            line--;
        }
        i++;
    }
    /* a leading byte order mark is no column */
    if (i == 0 && len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
        i = 3;
    while (column && i < len) {
        i++;
        while (i < len && ((unsigned char)data[i] & 0xc0) == 0x80)
            i++;
        column--;
    }
    return i;
}

static void yaml_failure(struct loader *l, const yaml_parser_t *parser, const char *data,
                         size_t len)
{
    const char *problem = parser->problem ? parser->problem : "cannot parse";
    unsigned line = (unsigned)parser->problem_mark.line + 1 + l->line_offset;
    unsigned col = (unsigned)parser->problem_mark.column + 1;

    if (parser->error == YAML_MEMORY_ERROR) {
        fail(l, FTH_ENOMEM, line, col, "out of memory");
    } else if (parser->error == YAML_READER_ERROR) {
        /* the reader reports a byte offset, not a mark */
        size_t i, off = parser->problem_offset < len ? parser->problem_offset : len, bol = 0;
        line = 1 + l->line_offset;
        for (i = 0; i < off; i++) {
            if (data[i] == '\n' || (data[i] == '\r' && (i + 1 >= len || data[i + 1] != '\n'))) {
                line++;
                bol = i + 1;
            }
        }
        col = (unsigned)(off - bol) + 1;
        if (parser->problem_value >= 0)
            fail(l, FTH_EINVALID, line, col, "expected UTF-8 text, found %s (0x%02x)", problem,
                 (unsigned)parser->problem_value);
        else
            fail(l, FTH_EINVALID, line, col, "expected UTF-8 text, found %s", problem);
    } else {
        /* libyaml's "did not find expected ':'" becomes "expected ':', found 'x'" */
        static const char *const prefixes[] = {"did not find ", "could not find ", NULL};
        const char *const *pre;
        const char *context = parser->context;
        char found[64], text[48];
        size_t at = text_offset(data, len, parser->problem_mark.line, parser->problem_mark.column),
               n = 0;

        for (pre = prefixes; *pre; pre++)
            if (!strncmp(problem, *pre, strlen(*pre)))
                problem += strlen(*pre);
        if (strncmp(problem, "expected ", 9) != 0) {
            if (context)
                fail(l, FTH_EINVALID, line, col, "%s (%s at line %u)", problem, context,
                     (unsigned)parser->context_mark.line + 1 + l->line_offset);
            else
                fail(l, FTH_EINVALID, line, col, "%s", problem);
            return;
        }
        while (at + n < len && n < 20 && !strchr(" \t\r\n", data[at + n]))
            n++;
        if (at >= len)
            snprintf(found, sizeof(found), "the end of the document");
        else if (!n)
            snprintf(found, sizeof(found), "a line break");
        else
            snprintf(found, sizeof(found), "'%s'", quote_text(text, sizeof(text), data + at, n));
        if (context && !strncmp(context, "while parsing ", 14))
            context += 14;
        else if (context && !strncmp(context, "while scanning ", 15))
            context += 15;
        if (context)
            fail(l, FTH_EINVALID, line, col, "%s, found %s (in %s at line %u)", problem, found,
                 context, (unsigned)parser->context_mark.line + 1 + l->line_offset);
        else
            fail(l, FTH_EINVALID, line, col, "%s, found %s", problem, found);
    }
}

static int parse_yaml_piece(struct loader *l, const char *data, size_t len)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    int error = 0, done = 0, docs = 0;

    if (!yaml_parser_initialize(&parser))
        return fail(l, FTH_ENOMEM, 0, 0, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            l->syntax_error = 1;
            yaml_failure(l, &parser, data, len);
            error = l->err && l->err->code ? l->err->code : FTH_EINVALID;
            break;
        }
        if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            error = fail(l, FTH_EINVALID, (unsigned)ev.start_mark.line + 1 + l->line_offset,
                         (unsigned)ev.start_mark.column + 1,
                         "expected the end of the document, found another document");
        } else if (ev.type == YAML_STREAM_END_EVENT) {
            done = 1;
        } else {
            error = handle_event(l, &ev);
        }
        yaml_event_delete(&ev);
        if (error < 0)
            break;
    }
    yaml_parser_delete(&parser);
    return error;
}

static int looks_like_json(const char *p, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
            continue;
        return p[i] == '{' || p[i] == '[';
    }
    return 0;
}

static void reset(struct loader *l)
{
    l->nodes = l->alias_nodes = 0;
    l->syntax_error = 0;
    l->depth = 0;
    l->anchors = NULL;
    l->anchor_cap = l->anchor_len = 0;
    l->root = NULL;
}

static int add_doc(struct fth_vec *docs, struct fth_arena *a, struct fth_value *root, unsigned line,
                   struct fth_error *doc_err)
{
    struct fth_document *d = fth_arena_alloc(a, sizeof(*d));
    if (!d)
        return FTH_ENOMEM;
    d->root = root;
    d->line = line;
    d->index = (unsigned)docs->len;
    d->error = doc_err;
    return fth_vec_push(docs, a, d);
}

/* Line and column of byte off in a piece. */
static void piece_position(const struct piece *pc, size_t off, unsigned *line, unsigned *col)
{
    size_t i, bol = 0;
    *line = pc->line;
    for (i = 0; i < off; i++) {
        if (pc->ptr[i] == '\n') {
            ++*line;
            bol = i + 1;
        }
    }
    *col = (unsigned)(off - bol) + 1;
}

/* A jansson error at byte off of a piece, which jansson counted from. */
static int json_failure(struct loader *l, const struct piece *pc, size_t off,
                        const json_error_t *jerr)
{
    unsigned line, col, eline, ecol;
    char text[sizeof jerr->text * 4];
    size_t i, n = 0;

    piece_position(pc, off, &line, &col);
    eline = line + (unsigned)(jerr->line > 0 ? jerr->line - 1 : 0);
    ecol = jerr->column > 0 ? (unsigned)jerr->column : 1;
    if (jerr->line <= 1)
        ecol += col - 1;
    /* jansson quotes the input near the error: a newline or control byte there would split
     * the one-line message, so those are written as escapes */
    for (i = 0; i < sizeof jerr->text && jerr->text[i]; i++) {
        unsigned char c = (unsigned char)jerr->text[i];
        if (c == '\n')
            n += (size_t)snprintf(text + n, sizeof text - n, "\\n");
        else if (c < 0x20 || c == 0x7f)
            n += (size_t)snprintf(text + n, sizeof text - n, "\\x%02x", c);
        else
            text[n++] = (char)c;
    }
    text[n] = '\0';
    return fail(l, FTH_EINVALID, eline, ecol, "expected JSON, %s", text);
}

/* Concatenated JSON values (one per document), used when libyaml refused the piece. */
static int load_json_piece(struct loader *l, struct fth_vec *docs, const struct piece *pc)
{
    size_t off = 0;
    int error = 0;

    while (off < pc->len) {
        json_error_t jerr;
        json_t *j;
        size_t i;
        unsigned line, col;
        struct fth_value *root = NULL;

        for (i = off; i < pc->len && strchr(" \t\r\n", pc->ptr[i]) && pc->ptr[i]; i++)
            ;
        if (i == pc->len)
            break;
        off = i;
        piece_position(pc, off, &line, &col);
        j = json_loadb(pc->ptr + off, pc->len - off,
                       JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL |
                           JSON_REJECT_DUPLICATES,
                       &jerr);
        if (!j)
            return json_failure(l, pc, off, &jerr);
        reset(l);
        error = from_json(l, j, line, 0, &root);
        if (error == 0)
            error = add_doc(docs, l->a, root, line, NULL);
        /* jansson stops one byte past a number it had to look beyond */
        off += jerr.position > 0 ? (size_t)jerr.position : 1;
        json_decref(j);
        if (error < 0)
            return error;
    }
    return 0;
}

static int load_piece(struct loader *l, struct fth_vec *docs, const struct piece *pc, int json_hint)
{
    struct fth_error *kept;
    int error;

    fth_error_clear(&l->doc_err);
    reset(l);
    l->err = &l->doc_err;
    l->line_offset = pc->line - 1;
    /* the subset manifests use is read straight from the bytes; all else (and every error,
     * so that messages stay libyaml's) takes the libyaml path */
    error = VALUE_FAST_NO;
    if (!(l->opts->flags & FTH_LOAD_NO_FAST))
        error = value_fast_load(&l->fast, l->a, pc->ptr, pc->len, pc->line, l->max_depth,
                                l->max_nodes, &l->root);
    if (error != 0)
        error = parse_yaml_piece(l, pc->ptr, pc->len);
    if (error == 0 && json_hint) {
        /* libyaml gave the positions; JSON must also be JSON (YAML accepts `{"a": tru}`) */
        json_error_t jerr;
        json_t *j = json_loadb(pc->ptr, pc->len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        if (j) {
            json_decref(j);
        } else {
            error = json_failure(l, pc, 0, &jerr);
            l->syntax_error = 0; /* already tried as JSON */
        }
    }
    if (error == 0)
        return add_doc(docs, l->a, l->root, pc->line, NULL);
    if (error == FTH_ENOMEM)
        return error;
    if (error == FTH_EINVALID && l->syntax_error &&
        (json_hint || looks_like_json(pc->ptr, pc->len))) {
        size_t before = docs->len;
        struct fth_error yerr = l->doc_err;
        fth_error_clear(&l->doc_err);
        error = load_json_piece(l, docs, pc);
        if (error == 0)
            return 0;
        if (error == FTH_ENOMEM)
            return error;
        /* the values before the broken one stay; input that is no JSON keeps libyaml's word */
        if (docs->len == before && !looks_like_json(pc->ptr, pc->len))
            l->doc_err = yerr;
    }
    /* Only a failed document keeps an error: a stream of many documents stays small. */
    if (!(kept = fth_arena_alloc(l->a, sizeof(*kept))))
        return FTH_ENOMEM;
    *kept = l->doc_err;
    kept->code = kept->code ? kept->code : error;
    l->failed++;
    return add_doc(docs, l->a, NULL, pc->line, kept);
}

/* UTF-16 with a byte order mark (libyaml reads it too) into UTF-8, so markers can be found. */
static int utf16_to_utf8(const char **out, size_t *out_len, struct fth_arena *a, const char *data,
                         size_t len, const char *name, struct fth_error *err)
{
    const unsigned char *p = (const unsigned char *)data;
    int big = p[0] == 0xfe;
    size_t i, n = 0, cap;
    char *o;
    unsigned line = 1;

    if (fth_mul_overflow(len / 2, 3, &cap) || !(o = fth_arena_alloc(a, cap + 1)))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    for (i = 2; i + 1 < len; i += 2) {
        unsigned c = big ? (unsigned)p[i] << 8 | p[i + 1] : (unsigned)p[i + 1] << 8 | p[i];
        if (c >= 0xd800 && c <= 0xdbff) {
            unsigned c2 = 0;
            if (i + 3 < len)
                c2 = big ? (unsigned)p[i + 2] << 8 | p[i + 3] : (unsigned)p[i + 3] << 8 | p[i + 2];
            if (c2 < 0xdc00 || c2 > 0xdfff)
                goto bad;
            c = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
            i += 2;
        } else if (c >= 0xdc00 && c <= 0xdfff) {
            goto bad;
        }
        if (c == '\n')
            line++;
        if (c < 0x80) {
            o[n++] = (char)c;
        } else if (c < 0x800) {
            o[n++] = (char)(0xc0 | c >> 6);
            o[n++] = (char)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            o[n++] = (char)(0xe0 | c >> 12);
            o[n++] = (char)(0x80 | (c >> 6 & 0x3f));
            o[n++] = (char)(0x80 | (c & 0x3f));
        } else {
            o[n++] = (char)(0xf0 | c >> 18);
            o[n++] = (char)(0x80 | (c >> 12 & 0x3f));
            o[n++] = (char)(0x80 | (c >> 6 & 0x3f));
            o[n++] = (char)(0x80 | (c & 0x3f));
        }
    }
    if (i < len)
        goto bad;
    o[n] = '\0';
    *out = o;
    *out_len = n;
    return 0;
bad:
    fth_error_set(err, FTH_EINVALID, "expected UTF-16 text, found %s",
                  i + 1 < len ? "an unpaired surrogate" : "an odd number of bytes");
    fth_error_locate(err, name, line, 0);
    return FTH_EINVALID;
}

/*
 * Load every document of the stream and hand each to fn, in order. The split and any UTF-16
 * conversion live in a; the documents' values live in scratch when given (reset after each
 * piece of the stream, so memory follows the largest document, not the stream), else in a.
 */
static int load_stream(struct fth_arena *a, struct fth_arena *scratch, const char *data, size_t len,
                       const struct fth_load_opts *opts, fth_document_fn fn, void *fn_data,
                       struct fth_error *err)
{
    struct splitter sp;
    struct loader l;
    struct fth_vec docs = {0};
    size_t i, j, probe, count = 0;
    int error = 0;

    memset(&l, 0, sizeof(l));
    memset(&sp, 0, sizeof(sp));
    l.a = scratch ? scratch : a;
    l.opts = opts;
    l.name = opts->name;
    l.max_depth = opts->max_depth ? opts->max_depth : FTH_LIMIT_DEPTH;
    l.max_nodes = opts->max_nodes ? opts->max_nodes : FTH_LIMIT_NODES;
    l.max_alias = opts->max_alias_nodes ? opts->max_alias_nodes : FTH_LIMIT_ALIAS_NODES;
    l.fast.a = a; /* outlives the per-document scratch arena */
    if (!len)
        return 0;

    if (len >= 2 && (((unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xfe) ||
                     ((unsigned char)data[0] == 0xfe && (unsigned char)data[1] == 0xff))) {
        if ((error = utf16_to_utf8(&data, &len, a, data, len, opts->name, err)) < 0)
            return error;
    }
    probe = len < 8192 ? len : 8192;
    if (memchr(data, '\0', probe)) {
        error = fth_error_set(err, FTH_EINVALID, "expected YAML or JSON text, found binary data");
        fth_error_locate(err, opts->name, 0, 0);
        return error;
    }
    sp.a = a;
    sp.max = opts->max_documents ? opts->max_documents : FTH_LIMIT_DOCUMENTS;
    error = split_stream(&sp, data, len);
    if (error == FTH_ELIMIT) {
        error = fth_error_set(err, FTH_ELIMIT, "more than %zu documents (limit)", sp.max);
        fth_error_locate(err, opts->name, 0, 0);
        return error;
    }
    if (error < 0)
        return fth_error_set(err, error, "out of memory");

    for (i = 0; i < sp.pieces.len; i++) {
        const struct piece *pc = sp.pieces.items[i];
        int last = 0;

        if (l.failed >= FTH_LIMIT_BROKEN_DOCUMENTS) {
            /* one last error says why the rest of the stream is not there */
            struct fth_error *e = fth_arena_alloc(l.a, sizeof(*e));
            if (!e)
                return fth_error_set(err, FTH_ENOMEM, "out of memory");
            fth_error_set(e, FTH_ELIMIT,
                          "more than %d broken documents (limit); the rest of the stream is "
                          "not loaded",
                          FTH_LIMIT_BROKEN_DOCUMENTS);
            fth_error_locate(e, opts->name, pc->line, 1);
            if (add_doc(&docs, l.a, NULL, pc->line, e) < 0)
                return fth_error_set(err, FTH_ENOMEM, "out of memory");
            last = 1;
        } else if ((error = load_piece(&l, &docs, pc, opts->flags & FTH_LOAD_JSON)) < 0) {
            return fth_error_set(err, error, "out of memory");
        }
        for (j = 0; j < docs.len; j++) {
            struct fth_document *d = docs.items[j];

            if (count >= sp.max) {
                /* concatenated JSON values are documents too */
                error = fth_error_set(err, FTH_ELIMIT, "more than %zu documents (limit)", sp.max);
                fth_error_locate(err, opts->name, 0, 0);
                return error;
            }
            d->index = (unsigned)count++;
            if ((error = fn(d, fn_data)) < 0)
                return error;
        }
        memset(&docs, 0, sizeof(docs));
        if (scratch) {
            reset(&l);
            l.stack = NULL;
            l.stack_cap = 0;
            fth_arena_reset(scratch);
        }
        if (last)
            break;
    }
    return 0;
}

struct collect {
    struct fth_arena *a;
    struct fth_vec docs;
};

static int collect_doc(const struct fth_document *d, void *data)
{
    struct collect *c = data;

    return fth_vec_push(&c->docs, c->a, (void *)d);
}

int fth_value_load(struct fth_stream *out, struct fth_arena *a, const char *data, size_t len,
                   const struct fth_load_opts *opts, struct fth_error *err)
{
    static const struct fth_load_opts defaults = FTH_LOAD_OPTS_INIT;
    struct collect c = {a, {0}};
    size_t i;
    int error;

    memset(out, 0, sizeof(*out));
    if ((error = load_stream(a, NULL, data, len, opts ? opts : &defaults, collect_doc, &c, err)) <
        0)
        return error;
    out->docs = fth_arena_calloc(a, c.docs.len ? c.docs.len : 1, sizeof(*out->docs));
    if (!out->docs)
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    for (i = 0; i < c.docs.len; i++)
        out->docs[i] = *(struct fth_document *)c.docs.items[i];
    out->len = c.docs.len;
    return 0;
}

int fth_value_load_each(struct fth_arena *a, const char *data, size_t len,
                        const struct fth_load_opts *opts, fth_document_fn fn, void *fn_data,
                        struct fth_error *err)
{
    static const struct fth_load_opts defaults = FTH_LOAD_OPTS_INIT;
    struct fth_arena *scratch = fth_arena_new();
    int error;

    if (!scratch)
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    error = load_stream(a, scratch, data, len, opts ? opts : &defaults, fn, fn_data, err);
    fth_arena_free(scratch);
    return error;
}

int fth_value_load_one(struct fth_value **out, struct fth_arena *a, const char *data, size_t len,
                       const struct fth_load_opts *opts, struct fth_error *err)
{
    struct fth_stream s;
    int error;

    *out = NULL;
    if ((error = fth_value_load(&s, a, data, len, opts, err)) < 0)
        return error;
    if (s.len > 1) {
        error = fth_error_set(err, FTH_EINVALID, "expected one document, found %zu", s.len);
        fth_error_locate(err, opts ? opts->name : NULL, s.docs[1].line, 1);
        return error;
    }
    if (s.len == 1 && s.docs[0].error) {
        if (err)
            *err = *s.docs[0].error;
        return s.docs[0].error->code;
    }
    *out = s.len && s.docs[0].root ? s.docs[0].root : fth_value_new(a, FTH_VALUE_NULL);
    return *out ? 0 : fth_error_set(err, FTH_ENOMEM, "out of memory");
}
