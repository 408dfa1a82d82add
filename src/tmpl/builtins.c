/*
 * Go's text/template builtins (funcs.go): and/or/call are evaluated by the engine; the rest
 * are plain functions with Go's error texts ("incompatible types for comparison", "index out
 * of range: 5", ...).
 */
#include <string.h>

#include "../base/banned.h"
#include "tmpl_int.h"

static int ret(struct fth_value **out, struct fth_value *v)
{
    *out = v;
    return v ? 0 : FTH_ENOMEM;
}

static int f_lazy(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                  size_t argc)
{
    (void)out;
    (void)args;
    (void)argc;
    return fth_tmpl_fail(call, "evaluated by the engine");
}

static int f_not(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                 size_t argc)
{
    (void)argc;
    return ret(out, fth_tmpl_bool(call->arena, !(args[0] && fth_tmpl_truth(args[0]))));
}

/* indirectInterface: a nil interface is Go's invalid value (C NULL here). */
static const struct fth_value *ind(const struct fth_value *v)
{
    if (v && v->type == FTH_VALUE_NULL && !fth_tmpl_ext_of(v))
        return NULL;
    return v;
}

static int f_len(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                 size_t argc)
{
    const struct fth_value *v = args[0];
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    (void)argc;
    if (!v)
        return fth_tmpl_fail(call, "reflect: call of reflect.Value.Type on zero Value");
    if (v->type == FTH_VALUE_NULL && !e)
        return fth_tmpl_fail(call, "len of nil pointer");
    if (e && e->kind != FTH_TMPL_EXT_OPAQUE)
        return fth_tmpl_fail(call, "len of type %s", fth_tmpl_type_name(v));
    switch (v->type) {
    case FTH_VALUE_STRING:
        return ret(out, fth_tmpl_int(call->arena, (int64_t)v->u.str.len));
    case FTH_VALUE_SEQ:
        return ret(out, fth_tmpl_int(call->arena, (int64_t)v->u.seq.len));
    case FTH_VALUE_MAP:
        return ret(out, fth_tmpl_int(call->arena, (int64_t)tmpl_map_data_len(v)));
    default:
        return fth_tmpl_fail(call, "len of type %s", fth_tmpl_type_name(v));
    }
}

static int index_arg(struct fth_tmpl_call *call, const struct fth_value *idx, size_t cap,
                     int64_t *out)
{
    idx = ind(idx);
    if (!idx)
        return fth_tmpl_fail(call, "cannot index slice/array with nil");
    if (idx->type != FTH_VALUE_INT || fth_tmpl_ext_of(idx))
        return fth_tmpl_fail(call, "cannot index slice/array with type %s",
                             fth_tmpl_type_name(idx));
    if (idx->u.integer < 0 || (uint64_t)idx->u.integer > cap)
        return fth_tmpl_fail(call, "index out of range: %lld", (long long)idx->u.integer);
    *out = idx->u.integer;
    return 0;
}

static int f_index(struct fth_value **out, struct fth_tmpl_call *call,
                   struct fth_value *const *args, size_t argc)
{
    struct fth_value *item = (struct fth_value *)ind(args[0]);
    size_t i;
    int error;
    if (!item)
        return fth_tmpl_fail(call, "index of untyped nil");
    for (i = 1; i < argc; i++) {
        const struct fth_value *k = ind(args[i]);
        const struct fth_tmpl_ext *e = fth_tmpl_ext_of(item);
        int64_t x;
        if (item->type == FTH_VALUE_NULL && !e)
            return fth_tmpl_fail(call, "index of nil pointer");
        if (e && e->kind != FTH_TMPL_EXT_OPAQUE)
            return fth_tmpl_fail(call, "can't index item of type %s", fth_tmpl_type_name(item));
        switch (item->type) {
        case FTH_VALUE_SEQ:
            if ((error = index_arg(call, k, item->u.seq.len, &x)) < 0)
                return error;
            if ((size_t)x == item->u.seq.len)
                return fth_tmpl_fail(call, "reflect: slice index out of range");
            item = item->u.seq.items[x];
            if (!item && !(item = fth_tmpl_null(call->arena)))
                return FTH_ENOMEM;
            break;
        case FTH_VALUE_STRING:
            if ((error = index_arg(call, k, item->u.str.len, &x)) < 0)
                return error;
            if ((size_t)x == item->u.str.len)
                return fth_tmpl_fail(call, "reflect: string index out of range");
            item = fth_tmpl_int(call->arena, (unsigned char)item->u.str.ptr[x]);
            if (!item)
                return FTH_ENOMEM;
            break;
        case FTH_VALUE_MAP: {
            struct fth_value *v;
            if (!k)
                return fth_tmpl_fail(call, "value is nil; should be of type string");
            if (k->type != FTH_VALUE_STRING || fth_tmpl_ext_of(k))
                return fth_tmpl_fail(call, "value has type %s; should be string",
                                     fth_tmpl_type_name(k));
            v = fth_tmpl_map_get(item, k->u.str.ptr, k->u.str.len);
            if (!v && !(v = fth_tmpl_null(call->arena)))
                return FTH_ENOMEM;
            item = v;
            break;
        }
        default:
            return fth_tmpl_fail(call, "can't index item of type %s", fth_tmpl_type_name(item));
        }
    }
    *out = item;
    return 0;
}

static int f_slice(struct fth_value **out, struct fth_tmpl_call *call,
                   struct fth_value *const *args, size_t argc)
{
    const struct fth_value *item = ind(args[0]);
    int64_t idx[3] = {0, 0, 0};
    size_t cap, i, n = argc - 1;
    int error;
    if (!item)
        return fth_tmpl_fail(call, "slice of untyped nil");
    if (n > 3)
        return fth_tmpl_fail(call, "too many slice indexes: %zu", n);
    if (fth_tmpl_ext_of(item) && fth_tmpl_ext_of(item)->kind != FTH_TMPL_EXT_OPAQUE)
        return fth_tmpl_fail(call, "can't slice item of type %s", fth_tmpl_type_name(item));
    if (item->type == FTH_VALUE_STRING) {
        if (n == 3)
            return fth_tmpl_fail(call, "cannot 3-index slice a string");
        cap = item->u.str.len;
    } else if (item->type == FTH_VALUE_SEQ) {
        cap = item->u.seq.len;
    } else {
        return fth_tmpl_fail(call, "can't slice item of type %s", fth_tmpl_type_name(item));
    }
    idx[1] = (int64_t)cap;
    for (i = 0; i < n; i++)
        if ((error = index_arg(call, args[i + 1], cap, &idx[i])) < 0)
            return error;
    if (idx[0] > idx[1])
        return fth_tmpl_fail(call, "invalid slice index: %lld > %lld", (long long)idx[0],
                             (long long)idx[1]);
    if (n == 3 && idx[1] > idx[2])
        return fth_tmpl_fail(call, "invalid slice index: %lld > %lld", (long long)idx[1],
                             (long long)idx[2]);
    if (item->type == FTH_VALUE_STRING) {
        struct fth_value *s =
            fth_tmpl_str(call->arena, item->u.str.ptr + idx[0], (size_t)(idx[1] - idx[0]));
        if (s)
            s->flags |= item->flags & FTH_TMPL_VALUE_BYTES;
        return ret(out, s);
    }
    {
        struct fth_value *s = fth_tmpl_seq(call->arena, (size_t)(idx[1] - idx[0]));
        if (!s)
            return FTH_ENOMEM;
        for (i = (size_t)idx[0]; i < (size_t)idx[1]; i++)
            if (fth_tmpl_seq_push(call->arena, s, item->u.seq.items[i]) < 0)
                return FTH_ENOMEM;
        return ret(out, s);
    }
}

/* ---- comparisons ---- */

enum kind { K_INVALID, K_BOOL, K_INT, K_FLOAT, K_STRING, K_OTHER };

static enum kind basic_kind(const struct fth_value *v)
{
    if (!v)
        return K_INVALID;
    if (fth_tmpl_ext_of(v))
        return K_OTHER;
    switch (v->type) {
    case FTH_VALUE_BOOL:
        return K_BOOL;
    case FTH_VALUE_INT:
        return K_INT;
    case FTH_VALUE_FLOAT:
        return K_FLOAT;
    case FTH_VALUE_STRING:
        return v->flags & FTH_TMPL_VALUE_BYTES ? K_OTHER : K_STRING;
    default:
        return K_OTHER;
    }
}

static int str_cmp(const struct fth_value *a, const struct fth_value *b)
{
    size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
    int c = memcmp(a->u.str.ptr, b->u.str.ptr, n);
    if (c)
        return c < 0 ? -1 : 1;
    return a->u.str.len < b->u.str.len ? -1 : a->u.str.len > b->u.str.len;
}

/* eq for two values; <0 with the call failed on error. */
static int eq2(struct fth_tmpl_call *call, const struct fth_value *a, const struct fth_value *b,
               int *truth)
{
    enum kind k1 = basic_kind(a), k2 = basic_kind(b);
    *truth = 0;
    if (k1 != k2) {
        if (a && b)
            return fth_tmpl_fail(call, "incompatible types for comparison");
        return 0;
    }
    switch (k1) {
    case K_BOOL:
        *truth = a->u.boolean == b->u.boolean;
        return 0;
    case K_INT:
        *truth = a->u.integer == b->u.integer;
        return 0;
    case K_FLOAT:
        *truth = a->u.number == b->u.number;
        return 0;
    case K_STRING:
        *truth = str_cmp(a, b) == 0;
        return 0;
    case K_INVALID:
        *truth = 1;
        return 0;
    default:
        if (a->type != b->type)
            return fth_tmpl_fail(call, "incompatible types for comparison");
        if (a->type == FTH_VALUE_NULL) {
            *truth = 1;
            return 0;
        }
        {
            struct fth_buf s = FTH_BUF_INIT;
            int r;
            fth_tmpl_fmt_value(&s, b);
            r = fth_tmpl_fail(call, "non-comparable type %s: %s", s.ptr, fth_tmpl_type_name(b));
            fth_buf_release(&s);
            return r;
        }
    }
}

static int f_eq(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                size_t argc)
{
    const struct fth_value *a = ind(args[0]);
    size_t i;
    int t = 0, error;
    if (argc < 2)
        return fth_tmpl_fail(call, "missing argument for comparison");
    for (i = 1; i < argc; i++) {
        if ((error = eq2(call, a, ind(args[i]), &t)) < 0)
            return error;
        if (t)
            break;
    }
    return ret(out, fth_tmpl_bool(call->arena, t));
}

static int f_ne(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                size_t argc)
{
    int t = 0, error;
    (void)argc;
    if ((error = eq2(call, ind(args[0]), ind(args[1]), &t)) < 0)
        return error;
    return ret(out, fth_tmpl_bool(call->arena, !t));
}

static int lt2(struct fth_tmpl_call *call, const struct fth_value *a, const struct fth_value *b,
               int *truth)
{
    enum kind k1 = basic_kind(a), k2 = basic_kind(b);
    *truth = 0;
    if (k1 == K_INVALID || k1 == K_OTHER || k2 == K_INVALID || k2 == K_OTHER)
        return fth_tmpl_fail(call, "invalid type for comparison");
    if (k1 != k2)
        return fth_tmpl_fail(call, "incompatible types for comparison");
    switch (k1) {
    case K_BOOL:
        return fth_tmpl_fail(call, "invalid type for comparison");
    case K_INT:
        *truth = a->u.integer < b->u.integer;
        return 0;
    case K_FLOAT:
        *truth = a->u.number < b->u.number;
        return 0;
    default:
        *truth = str_cmp(a, b) < 0;
        return 0;
    }
}

static int f_lt(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                size_t argc)
{
    int t, error;
    (void)argc;
    if ((error = lt2(call, ind(args[0]), ind(args[1]), &t)) < 0)
        return error;
    return ret(out, fth_tmpl_bool(call->arena, t));
}

static int le2(struct fth_tmpl_call *call, const struct fth_value *a, const struct fth_value *b,
               int *t)
{
    int error = lt2(call, a, b, t);
    if (error < 0 || *t)
        return error;
    return eq2(call, a, b, t);
}

static int f_le(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                size_t argc)
{
    int t, error;
    (void)argc;
    if ((error = le2(call, ind(args[0]), ind(args[1]), &t)) < 0)
        return error;
    return ret(out, fth_tmpl_bool(call->arena, t));
}

static int f_gt(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                size_t argc)
{
    int t, error;
    (void)argc;
    if ((error = le2(call, ind(args[0]), ind(args[1]), &t)) < 0)
        return error;
    return ret(out, fth_tmpl_bool(call->arena, !t));
}

static int f_ge(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                size_t argc)
{
    int t, error;
    (void)argc;
    if ((error = lt2(call, ind(args[0]), ind(args[1]), &t)) < 0)
        return error;
    return ret(out, fth_tmpl_bool(call->arena, !t));
}

/* ---- printing ---- */

static int str_result(struct fth_value **out, struct fth_tmpl_call *call, struct fth_buf *b,
                      int error)
{
    if (error == 0) {
        *out = fth_tmpl_str(call->arena, b->ptr, b->len);
        if (!*out)
            error = FTH_ENOMEM;
    }
    fth_buf_release(b);
    return error;
}

static int f_print(struct fth_value **out, struct fth_tmpl_call *call,
                   struct fth_value *const *args, size_t argc)
{
    struct fth_buf b = FTH_BUF_INIT;
    return str_result(out, call, &b, fth_tmpl_sprint(&b, args, argc));
}

static int f_println(struct fth_value **out, struct fth_tmpl_call *call,
                     struct fth_value *const *args, size_t argc)
{
    struct fth_buf b = FTH_BUF_INIT;
    return str_result(out, call, &b, fth_tmpl_sprintln(&b, args, argc));
}

static int f_printf(struct fth_value **out, struct fth_tmpl_call *call,
                    struct fth_value *const *args, size_t argc)
{
    struct fth_buf b = FTH_BUF_INIT;
    return str_result(
        out, call, &b,
        fth_tmpl_sprintf(&b, args[0]->u.str.ptr, args[0]->u.str.len, args + 1, argc - 1));
}

/* evalArgs: one string is used as is, anything else is fmt.Sprint'ed with nil as
 * "<no value>". */
static int eval_args(struct fth_tmpl_call *call, struct fth_value *const *args, size_t argc,
                     struct fth_buf *b)
{
    struct fth_value **v;
    size_t i;
    if (argc == 1 && args[0] && args[0]->type == FTH_VALUE_STRING &&
        !(args[0]->flags & FTH_TMPL_VALUE_BYTES) && !fth_tmpl_ext_of(args[0]))
        return fth_buf_put(b, args[0]->u.str.ptr, args[0]->u.str.len);
    v = fth_arena_alloc(call->arena, (argc ? argc : 1) * sizeof(*v));
    if (!v)
        return FTH_ENOMEM;
    for (i = 0; i < argc; i++) {
        v[i] = args[i];
        if (!v[i] || (v[i]->type == FTH_VALUE_NULL && !fth_tmpl_ext_of(v[i]))) {
            v[i] = fth_tmpl_str(call->arena, "<no value>", 10);
            if (!v[i])
                return FTH_ENOMEM;
        }
    }
    return fth_tmpl_sprint(b, v, argc);
}

static int f_html(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                  size_t argc)
{
    struct fth_buf in = FTH_BUF_INIT, b = FTH_BUF_INIT;
    size_t i;
    int error = eval_args(call, args, argc, &in);
    for (i = 0; error == 0 && i < in.len; i++) {
        switch (in.ptr[i]) {
        case '"':
            error = fth_buf_puts(&b, "&#34;");
            break;
        case '\'':
            error = fth_buf_puts(&b, "&#39;");
            break;
        case '&':
            error = fth_buf_puts(&b, "&amp;");
            break;
        case '<':
            error = fth_buf_puts(&b, "&lt;");
            break;
        case '>':
            error = fth_buf_puts(&b, "&gt;");
            break;
        case '\0':
            error = fth_buf_puts(&b, "\xEF\xBF\xBD");
            break;
        default:
            error = fth_buf_putc(&b, in.ptr[i]);
        }
    }
    fth_buf_release(&in);
    return str_result(out, call, &b, error);
}

static int f_js(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                size_t argc)
{
    static const char hex[] = "0123456789ABCDEF";
    struct fth_buf in = FTH_BUF_INIT, b = FTH_BUF_INIT;
    size_t i = 0;
    int error = eval_args(call, args, argc, &in);
    while (error == 0 && i < in.len) {
        unsigned char c = (unsigned char)in.ptr[i];
        if (c < 0x80) {
            switch (c) {
            case '\\':
                error = fth_buf_puts(&b, "\\\\");
                break;
            case '\'':
                error = fth_buf_puts(&b, "\\'");
                break;
            case '"':
                error = fth_buf_puts(&b, "\\\"");
                break;
            case '<':
                error = fth_buf_puts(&b, "\\u003C");
                break;
            case '>':
                error = fth_buf_puts(&b, "\\u003E");
                break;
            case '&':
                error = fth_buf_puts(&b, "\\u0026");
                break;
            case '=':
                error = fth_buf_puts(&b, "\\u003D");
                break;
            default:
                if (c < ' ') {
                    char t[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
                    error = fth_buf_puts(&b, t);
                } else {
                    error = fth_buf_putc(&b, (char)c);
                }
            }
            i++;
            continue;
        }
        {
            unsigned cp = 0;
            size_t z = fth_utf8_len((const unsigned char *)in.ptr + i, in.len - i, &cp);
            if (!z) {
                error = fth_buf_puts(&b, "\\uFFFD");
                i++;
                continue;
            }
            if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || (cp >= 0x80 && cp < 0xA0) ||
                cp == 0xAD || (cp >= 0x200B && cp <= 0x200F))
                error = fth_buf_printf(&b, "\\u%04X", cp);
            else
                error = fth_buf_put(&b, in.ptr + i, z);
            i += z;
        }
    }
    fth_buf_release(&in);
    return str_result(out, call, &b, error);
}

static int f_urlquery(struct fth_value **out, struct fth_tmpl_call *call,
                      struct fth_value *const *args, size_t argc)
{
    static const char hex[] = "0123456789ABCDEF";
    struct fth_buf in = FTH_BUF_INIT, b = FTH_BUF_INIT;
    size_t i;
    int error = eval_args(call, args, argc, &in);
    for (i = 0; error == 0 && i < in.len; i++) {
        unsigned char c = (unsigned char)in.ptr[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            error = fth_buf_putc(&b, (char)c);
        } else if (c == ' ') {
            error = fth_buf_putc(&b, '+');
        } else {
            char t[4] = {'%', hex[c >> 4], hex[c & 15], 0};
            error = fth_buf_puts(&b, t);
        }
    }
    fth_buf_release(&in);
    return str_result(out, call, &b, error);
}

const struct fth_tmpl_func tmpl_builtin_funcs[] = {
    {"and", TMPL_SIG_LAZY, f_lazy, NULL},
    {"or", TMPL_SIG_LAZY, f_lazy, NULL},
    {"call", TMPL_SIG_LAZY, f_lazy, NULL},
    {"not", "r", f_not, NULL},
    {"len", "r", f_len, NULL},
    {"index", "r*r", f_index, NULL},
    {"slice", "r*r", f_slice, NULL},
    {"eq", "r*r", f_eq, NULL},
    {"ne", "rr", f_ne, NULL},
    {"lt", "rr", f_lt, NULL},
    {"le", "rr", f_le, NULL},
    {"gt", "rr", f_gt, NULL},
    {"ge", "rr", f_ge, NULL},
    {"print", "*a", f_print, NULL},
    {"printf", "s*a", f_printf, NULL},
    {"println", "*a", f_println, NULL},
    {"html", "*a", f_html, NULL},
    {"js", "*a", f_js, NULL},
    {"urlquery", "*a", f_urlquery, NULL},
    {NULL, NULL, NULL, NULL},
};
