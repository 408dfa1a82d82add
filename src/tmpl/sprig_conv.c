/*
 * Sprig's type conversions (toString, atoi, int, int64, float64, toDecimal, toStrings) and the
 * helpers every family shares: Sprig's strval, spf13/cast v1.3's ToInt64/ToFloat64 (Go's
 * strconv syntax, failures are 0), reflect's DeepEqual, empty() and kind names.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "sprig_int.h"

int sprig_ret(struct fth_value **out, struct fth_value *v)
{
    *out = v;
    return v ? 0 : FTH_ENOMEM;
}

int sprig_ret_buf(struct fth_value **out, struct fth_tmpl_call *call, struct fth_buf *b, int error)
{
    if (error == 0) {
        *out = fth_tmpl_str(call->arena, b->ptr, b->len);
        if (!*out)
            error = FTH_ENOMEM;
    }
    fth_buf_release(b);
    return error;
}

int sprig_ret_str(struct fth_value **out, struct fth_tmpl_call *call, const char *s, size_t len)
{
    return sprig_ret(out, fth_tmpl_str(call->arena, s, len));
}

int sprig_is_nil(const struct fth_value *v)
{
    return !v || (v->type == FTH_VALUE_NULL && !fth_tmpl_ext_of(v));
}

struct fth_value *sprig_item(struct fth_tmpl_call *call, struct fth_value *v)
{
    return v ? v : fth_tmpl_null(call->arena);
}

int sprig_is_list(const struct fth_value *v)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    if (!v || (e && e->kind != FTH_TMPL_EXT_OPAQUE))
        return 0;
    return v->type == FTH_VALUE_SEQ ||
           (v->type == FTH_VALUE_STRING && (v->flags & FTH_TMPL_VALUE_BYTES));
}

int sprig_nil_panic(struct fth_tmpl_call *call)
{
    return fth_tmpl_fail(call, "runtime error: invalid memory address or nil pointer dereference");
}

struct fth_value *sprig_str_seq(struct fth_arena *a, size_t cap)
{
    return fth_tmpl_seq(a, cap);
}

int sprig_seq_push_str(struct fth_arena *a, struct fth_value *seq, const char *s, size_t len)
{
    struct fth_value *v = fth_tmpl_str(a, s, len);
    if (!v)
        return FTH_ENOMEM;
    return fth_tmpl_seq_push(a, seq, v);
}

int sprig_strcmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

int sprig_strval(struct fth_buf *out, const struct fth_value *v)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    if (e && e->text)
        return fth_buf_puts(out, e->text);
    if (v && !e && v->type == FTH_VALUE_STRING)
        return fth_buf_put(out, v->u.str.ptr, v->u.str.len);
    if (!v)
        return fth_buf_puts(out, "<nil>");
    return fth_tmpl_fmt_value(out, v);
}

/* ---- strconv ---- */

static int lower(int c)
{
    return c | 0x20;
}

/* strconv's underscoreOK: '_' only between digits or after a base prefix. */
static int underscore_ok(const char *s, size_t n)
{
    char saw = '^';
    size_t i = 0;
    int hex = 0;
    if (n >= 1 && (s[0] == '-' || s[0] == '+')) {
        s++;
        n--;
    }
    if (n >= 2 && s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
        i = 2;
        saw = '0';
        hex = lower(s[1]) == 'x';
    }
    for (; i < n; i++) {
        if ((s[i] >= '0' && s[i] <= '9') || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
            saw = '0';
            continue;
        }
        if (s[i] == '_') {
            if (saw != '0')
                return 0;
            saw = '_';
            continue;
        }
        if (saw == '_')
            return 0;
        saw = '!';
    }
    return saw != '_';
}

static int parse_uint(uint64_t *out, const char *s, size_t n, int base)
{
    const char *s0 = s;
    size_t n0 = n;
    int base0 = base == 0, underscores = 0;
    uint64_t v = 0;
    size_t i;
    if (n == 0)
        return 0;
    if (base == 0) {
        base = 10;
        if (s[0] == '0') {
            if (n >= 3 && lower(s[1]) == 'b') {
                base = 2;
                s += 2;
                n -= 2;
            } else if (n >= 3 && lower(s[1]) == 'o') {
                base = 8;
                s += 2;
                n -= 2;
            } else if (n >= 3 && lower(s[1]) == 'x') {
                base = 16;
                s += 2;
                n -= 2;
            } else {
                base = 8;
                s++;
                n--;
            }
        }
    }
    for (i = 0; i < n; i++) {
        int c = (unsigned char)s[i], d;
        if (c == '_' && base0) {
            underscores = 1;
            continue;
        }
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (lower(c) >= 'a' && lower(c) <= 'z')
            d = lower(c) - 'a' + 10;
        else
            return 0;
        if (d >= base)
            return 0;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return 0; /* range error */
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (underscores && !underscore_ok(s0, n0))
        return 0;
    *out = v;
    return 1;
}

int sprig_parse_int(int64_t *out, const char *s, size_t len, int base)
{
    int neg = 0;
    uint64_t u;
    if (len == 0)
        return 0;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        s++;
        len--;
    }
    if (!parse_uint(&u, s, len, base))
        return 0;
    if (!neg && u > (uint64_t)INT64_MAX)
        return 0;
    if (neg && u > (uint64_t)INT64_MAX + 1)
        return 0;
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return 1;
}

static int ci_eq(const char *s, size_t n, const char *lit)
{
    size_t i;
    if (strlen(lit) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != lit[i])
            return 0;
    return 1;
}

int sprig_parse_float(double *out, const char *s, size_t len)
{
    char tmp[512];
    size_t i, j = 0, k = 0;
    int neg = 0, underscores = 0, hex = 0, digits = 0;
    char *end;
    double d;
    if (len == 0 || len >= sizeof(tmp))
        return 0;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        k = 1;
    }
    if (ci_eq(s + k, len - k, "inf") || ci_eq(s + k, len - k, "infinity")) {
        *out = neg ? -INFINITY : INFINITY;
        return 1;
    }
    if (ci_eq(s + k, len - k, "nan") && k == 0) {
        *out = NAN;
        return 1;
    }
    if (len - k >= 2 && s[k] == '0' && lower(s[k + 1]) == 'x')
        hex = 1;
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (c == '_') {
            underscores = 1;
            continue;
        }
        if (c >= '0' && c <= '9')
            digits = 1;
        else if (!(c == '+' || c == '-' || c == '.' || lower(c) == 'e' || lower(c) == 'p' ||
                   lower(c) == 'x' || (hex && lower(c) >= 'a' && lower(c) <= 'f')))
            return 0;
        tmp[j++] = c;
    }
    tmp[j] = 0;
    if (!digits || (underscores && !underscore_ok(s, len)))
        return 0;
    if (hex) {
        /* Go requires the p exponent of a hexadecimal float */
        if (!strchr(tmp, 'p') && !strchr(tmp, 'P'))
            return 0;
    } else if (strchr(tmp, 'p') || strchr(tmp, 'P') || strchr(tmp + k, 'x') ||
               strchr(tmp + k, 'X')) {
        return 0;
    }
    errno = 0;
    d = strtod(tmp, &end);
    if (end != tmp + j)
        return 0;
    if (errno == ERANGE && isinf(d))
        return 0;
    *out = d;
    return 1;
}

int64_t sprig_f2i(double d)
{
    if (isnan(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

int64_t sprig_to_int64(const struct fth_value *v)
{
    int64_t i = 0;
    if (!v || fth_tmpl_ext_of(v))
        return 0;
    switch (v->type) {
    case FTH_VALUE_INT:
        return v->u.integer;
    case FTH_VALUE_FLOAT:
        return sprig_f2i(v->u.number);
    case FTH_VALUE_BOOL:
        return v->u.boolean ? 1 : 0;
    case FTH_VALUE_STRING:
        if (v->flags & FTH_TMPL_VALUE_BYTES)
            return 0;
        if (sprig_parse_int(&i, v->u.str.ptr, v->u.str.len, 0))
            return i;
        return 0;
    default:
        return 0;
    }
}

double sprig_to_float64(const struct fth_value *v)
{
    double d = 0;
    if (!v || fth_tmpl_ext_of(v))
        return 0;
    switch (v->type) {
    case FTH_VALUE_INT:
        return (double)v->u.integer;
    case FTH_VALUE_FLOAT:
        return v->u.number;
    case FTH_VALUE_BOOL:
        return v->u.boolean ? 1 : 0;
    case FTH_VALUE_STRING:
        if (v->flags & FTH_TMPL_VALUE_BYTES)
            return 0;
        if (sprig_parse_float(&d, v->u.str.ptr, v->u.str.len))
            return d;
        return 0;
    default:
        return 0;
    }
}

/* ---- reflect ---- */

int sprig_empty(const struct fth_value *v)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    if (sprig_is_nil(v))
        return 1;
    if (e && e->kind != FTH_TMPL_EXT_OPAQUE)
        return 0; /* a struct, a pointer or a function */
    if (e && (v->type == FTH_VALUE_STRING || v->type == FTH_VALUE_NULL))
        return 0; /* an opaque struct (time.Time) */
    switch (v->type) {
    case FTH_VALUE_NULL:
        return 1;
    case FTH_VALUE_BOOL:
        return !v->u.boolean;
    case FTH_VALUE_INT:
        return v->u.integer == 0;
    case FTH_VALUE_FLOAT:
        return v->u.number == 0;
    case FTH_VALUE_STRING:
        return v->u.str.len == 0;
    case FTH_VALUE_SEQ:
        return v->u.seq.len == 0;
    case FTH_VALUE_MAP:
        return v->u.map.len == 0;
    }
    return 0;
}

static int deep_equal(const struct fth_value *a, const struct fth_value *b, int depth)
{
    const struct fth_tmpl_ext *ea = fth_tmpl_ext_of(a), *eb = fth_tmpl_ext_of(b);
    size_t i;
    if (sprig_is_nil(a) || sprig_is_nil(b))
        return sprig_is_nil(a) && sprig_is_nil(b);
    if (a == b)
        return 1;
    if (depth > FTH_LIMIT_DEPTH)
        return 0;
    if (strcmp(fth_tmpl_type_name(a), fth_tmpl_type_name(b)) != 0)
        return 0;
    if (ea || eb) {
        const struct tmpl_time *ta = sprig_time_of(a), *tb = sprig_time_of(b);
        if (ta && tb)
            return ta->unix == tb->unix && ta->nsec == tb->nsec && ta->utc_off == tb->utc_off;
        if (ea && eb && ea->kind == FTH_TMPL_EXT_OPAQUE && ea->text && eb->text)
            return strcmp(ea->text, eb->text) == 0;
        if (!(ea && eb && ea->kind == FTH_TMPL_EXT_STRUCT && eb->kind == FTH_TMPL_EXT_STRUCT))
            return 0;
    }
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case FTH_VALUE_NULL:
        return 1;
    case FTH_VALUE_BOOL:
        return !a->u.boolean == !b->u.boolean;
    case FTH_VALUE_INT:
        return a->u.integer == b->u.integer;
    case FTH_VALUE_FLOAT:
        return a->u.number == b->u.number;
    case FTH_VALUE_STRING:
        return a->u.str.len == b->u.str.len &&
               (a->u.str.len == 0 || !memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len));
    case FTH_VALUE_SEQ:
        if (a->u.seq.len != b->u.seq.len)
            return 0;
        for (i = 0; i < a->u.seq.len; i++)
            if (!deep_equal(a->u.seq.items[i], b->u.seq.items[i], depth + 1))
                return 0;
        return 1;
    case FTH_VALUE_MAP:
        if (a->u.map.len != b->u.map.len)
            return 0;
        for (i = 0; i < a->u.map.len; i++) {
            const struct fth_value *k = a->u.map.items[i].key;
            const struct fth_value *bv;
            if (!k || k->type != FTH_VALUE_STRING)
                return 0;
            bv = fth_tmpl_map_get(b, k->u.str.ptr, k->u.str.len);
            if (!bv || !deep_equal(a->u.map.items[i].value, bv, depth + 1))
                return 0;
        }
        return 1;
    }
    return 0;
}

int sprig_deep_equal(const struct fth_value *a, const struct fth_value *b)
{
    return deep_equal(a, b, 0);
}

const char *sprig_kind_name(const struct fth_value *v)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    if (sprig_is_nil(v))
        return "invalid";
    if (e) {
        const char *t = e->type_name ? e->type_name : "";
        if (e->kind == FTH_TMPL_EXT_METHOD || !strncmp(t, "func", 4))
            return "func";
        if (t[0] == '*')
            return "ptr";
        if (!strncmp(t, "[]", 2))
            return "slice";
        if (!strncmp(t, "map[", 4))
            return "map";
        if (!strcmp(t, "string"))
            return "string";
        return "struct";
    }
    switch (v->type) {
    case FTH_VALUE_BOOL:
        return "bool";
    case FTH_VALUE_INT:
        return v->flags & FTH_TMPL_VALUE_INT64 ? "int64" : "int";
    case FTH_VALUE_FLOAT:
        return "float64";
    case FTH_VALUE_STRING:
        return v->flags & FTH_TMPL_VALUE_BYTES ? "slice" : "string";
    case FTH_VALUE_SEQ:
        return "slice";
    case FTH_VALUE_MAP:
        return "map";
    default:
        return "invalid";
    }
}

struct fth_value *sprig_deep_copy(struct fth_arena *a, const struct fth_value *v, int depth)
{
    struct fth_value *c;
    size_t i;
    if (depth > FTH_LIMIT_DEPTH)
        return NULL;
    if (!v)
        return fth_tmpl_null(a);
    if (fth_tmpl_ext_of(v))
        return (struct fth_value *)(uintptr_t)v; /* Go values copied by reference here */
    switch (v->type) {
    case FTH_VALUE_SEQ:
        if (!(c = fth_tmpl_seq(a, v->u.seq.len)))
            return NULL;
        for (i = 0; i < v->u.seq.len; i++) {
            struct fth_value *x = sprig_deep_copy(a, v->u.seq.items[i], depth + 1);
            if (!x || fth_tmpl_seq_push(a, c, x) < 0)
                return NULL;
        }
        return c;
    case FTH_VALUE_MAP:
        if (!(c = fth_tmpl_map(a, v->u.map.len)))
            return NULL;
        for (i = 0; i < v->u.map.len; i++) {
            const struct fth_value *k = v->u.map.items[i].key;
            struct fth_value *x;
            if (!k || k->type != FTH_VALUE_STRING)
                continue;
            x = sprig_deep_copy(a, v->u.map.items[i].value, depth + 1);
            if (!x || fth_tmpl_map_set(a, c, k->u.str.ptr, k->u.str.len, x) < 0)
                return NULL;
        }
        return c;
    default:
        c = fth_arena_alloc(a, sizeof(*c));
        if (c)
            *c = *v;
        return c;
    }
}

/* ---- the functions ---- */

SPRIG_FN(f_to_string)
{
    struct fth_buf b = FTH_BUF_INIT;
    SPRIG_UNUSED;
    return sprig_ret_buf(out, call, &b, sprig_strval(&b, args[0]));
}

/* strconv.Atoi: base 10, errors are 0. */
SPRIG_FN(f_atoi)
{
    int64_t i = 0;
    SPRIG_UNUSED;
    if (!sprig_parse_int(&i, args[0]->u.str.ptr, args[0]->u.str.len, 10))
        i = 0;
    return sprig_ret(out, fth_tmpl_int(call->arena, i));
}

SPRIG_FN(f_int64)
{
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_int64(call->arena, sprig_to_int64(args[0])));
}

SPRIG_FN(f_int)
{
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_int(call->arena, sprig_to_int64(args[0])));
}

SPRIG_FN(f_float64)
{
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_float(call->arena, sprig_to_float64(args[0])));
}

/* strconv.ParseInt(fmt.Sprint(v), 8, 64), failures 0. */
SPRIG_FN(f_to_decimal)
{
    struct fth_buf b = FTH_BUF_INIT;
    int64_t i = 0;
    int error;
    SPRIG_UNUSED;
    if ((error = fth_tmpl_sprint(&b, args, 1)) < 0) {
        fth_buf_release(&b);
        return error;
    }
    if (!sprig_parse_int(&i, b.ptr, b.len, 8))
        i = 0;
    fth_buf_release(&b);
    return sprig_ret(out, fth_tmpl_int64(call->arena, i));
}

int sprig_strslice(struct fth_value **out, struct fth_arena *a, const struct fth_value *v)
{
    struct fth_value *r;
    struct fth_buf b = FTH_BUF_INIT;
    size_t i;
    int error = 0;
    if (!(r = sprig_str_seq(a, sprig_is_list(v) ? v->u.seq.len : 1)))
        return FTH_ENOMEM;
    if (sprig_is_nil(v)) {
        *out = r;
        return 0;
    }
    if (v->type == FTH_VALUE_SEQ && sprig_is_list(v)) {
        for (i = 0; i < v->u.seq.len && error == 0; i++) {
            if (sprig_is_nil(v->u.seq.items[i]))
                continue;
            fth_buf_clear(&b);
            if ((error = sprig_strval(&b, v->u.seq.items[i])) == 0)
                error = sprig_seq_push_str(a, r, b.ptr, b.len);
        }
    } else if (sprig_is_list(v)) {
        /* []byte: each byte is a uint8, printed as a number */
        for (i = 0; i < v->u.str.len && error == 0; i++) {
            fth_buf_clear(&b);
            if ((error = fth_buf_printf(&b, "%u", (unsigned char)v->u.str.ptr[i])) == 0)
                error = sprig_seq_push_str(a, r, b.ptr, b.len);
        }
    } else if ((error = sprig_strval(&b, v)) == 0) {
        error = sprig_seq_push_str(a, r, b.ptr, b.len);
    }
    fth_buf_release(&b);
    if (error < 0)
        return error;
    *out = r;
    return 0;
}

SPRIG_FN(f_to_strings)
{
    SPRIG_UNUSED;
    return sprig_strslice(out, call->arena, args[0]);
}

const struct fth_tmpl_func tmpl_sprig_conv[] = {
    {"toString", "a", f_to_string, NULL},   {"atoi", "s", f_atoi, NULL},
    {"int64", "a", f_int64, NULL},          {"int", "a", f_int, NULL},
    {"float64", "a", f_float64, NULL},      {"toDecimal", "a", f_to_decimal, NULL},
    {"toStrings", "a", f_to_strings, NULL}, {NULL, NULL, NULL, NULL},
};
