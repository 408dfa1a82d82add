/*
 * Sprig's defaults.go: default/empty/coalesce/all/any/ternary/deepCopy and the JSON
 * encoders Helm leaves to Sprig (toPrettyJson, toRawJson, the must* forms, mustFromJson).
 * toJson and fromJson themselves are Helm's (helm_funcs.c).
 */
#include <math.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "sprig_int.h"

SPRIG_FN(f_default)
{
    if (argc < 2 || sprig_empty(args[1]))
        return sprig_ret(out, args[0]);
    return sprig_ret(out, args[1]);
}

SPRIG_FN(f_empty)
{
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_bool(call->arena, sprig_empty(args[0])));
}

SPRIG_FN(f_coalesce)
{
    size_t i;
    for (i = 0; i < argc; i++)
        if (!sprig_empty(args[i]))
            return sprig_ret(out, args[i]);
    return sprig_ret(out, fth_tmpl_null(call->arena));
}

SPRIG_FN(f_all)
{
    size_t i;
    for (i = 0; i < argc; i++)
        if (sprig_empty(args[i]))
            return sprig_ret(out, fth_tmpl_bool(call->arena, 0));
    return sprig_ret(out, fth_tmpl_bool(call->arena, 1));
}

SPRIG_FN(f_any)
{
    size_t i;
    for (i = 0; i < argc; i++)
        if (!sprig_empty(args[i]))
            return sprig_ret(out, fth_tmpl_bool(call->arena, 1));
    return sprig_ret(out, fth_tmpl_bool(call->arena, 0));
}

SPRIG_FN(f_ternary)
{
    SPRIG_UNUSED;
    return sprig_ret(out, args[2]->u.boolean ? args[0] : args[1]);
}

SPRIG_FN(f_deep_copy)
{
    struct fth_value *c;
    SPRIG_UNUSED;
    c = sprig_deep_copy(call->arena, args[0], 0);
    if (!c)
        return fth_tmpl_fail(call, "deepCopy error: value nested deeper than %d levels",
                             FTH_LIMIT_DEPTH);
    return sprig_ret(out, c);
}

/* ---- JSON ---- */

/* encoding/json's error text for what tmpl_to_json refused */
static int json_error(struct fth_tmpl_call *call, const struct fth_value *v, int depth)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    size_t i;
    int r;
    if (!v || depth > FTH_LIMIT_DEPTH * 2)
        return 0;
    if (e && e->kind == FTH_TMPL_EXT_METHOD)
        return fth_tmpl_fail(call, "json: unsupported type: func()");
    if (v->type == FTH_VALUE_FLOAT && (isnan(v->u.number) || isinf(v->u.number))) {
        struct fth_buf b = FTH_BUF_INIT;
        fth_tmpl_format_float(&b, v->u.number, 'g', -1);
        r = fth_tmpl_fail(call, "json: unsupported value: %s", b.ptr);
        fth_buf_release(&b);
        return r;
    }
    if (v->type == FTH_VALUE_SEQ)
        for (i = 0; i < v->u.seq.len; i++)
            if ((r = json_error(call, v->u.seq.items[i], depth + 1)) < 0)
                return r;
    if (v->type == FTH_VALUE_MAP)
        for (i = 0; i < v->u.map.len; i++)
            if ((r = json_error(call, v->u.map.items[i].value, depth + 1)) < 0)
                return r;
    return 0;
}

/* json.Indent with prefix "" and indent "  ", over valid compact JSON */
static int indent_json(struct fth_buf *out, const char *s, size_t n)
{
    size_t i, depth = 0, k;
    int in_str = 0, error = 0;
    for (i = 0; i < n && error == 0; i++) {
        char c = s[i];
        if (in_str) {
            error = fth_buf_putc(out, c);
            if (c == '\\' && i + 1 < n)
                error = fth_buf_putc(out, s[++i]);
            else if (c == '"')
                in_str = 0;
            continue;
        }
        switch (c) {
        case '"':
            in_str = 1;
            error = fth_buf_putc(out, c);
            break;
        case '{':
        case '[':
            if (i + 1 < n && (s[i + 1] == '}' || s[i + 1] == ']')) {
                error = fth_buf_putc(out, c);
                if (error == 0)
                    error = fth_buf_putc(out, s[++i]);
                break;
            }
            depth++;
            error = fth_buf_putc(out, c);
            if (error == 0)
                error = fth_buf_putc(out, '\n');
            for (k = 0; k < depth && error == 0; k++)
                error = fth_buf_puts(out, "  ");
            break;
        case '}':
        case ']':
            depth--;
            error = fth_buf_putc(out, '\n');
            for (k = 0; k < depth && error == 0; k++)
                error = fth_buf_puts(out, "  ");
            if (error == 0)
                error = fth_buf_putc(out, c);
            break;
        case ',':
            error = fth_buf_puts(out, ",\n");
            for (k = 0; k < depth && error == 0; k++)
                error = fth_buf_puts(out, "  ");
            break;
        case ':':
            error = fth_buf_puts(out, ": ");
            break;
        default:
            error = fth_buf_putc(out, c);
        }
    }
    return error;
}

/* SetEscapeHTML(false): \u003c \u003e \u0026 back to < > & */
static int unescape_html(struct fth_buf *out, const char *s, size_t n)
{
    size_t i;
    int error = 0;
    for (i = 0; i < n && error == 0; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            if (i + 5 < n && s[i + 1] == 'u' && !memcmp(s + i + 2, "00", 2)) {
                const char *h = s + i + 4;
                char c = !memcmp(h, "3c", 2)   ? '<'
                         : !memcmp(h, "3e", 2) ? '>'
                         : !memcmp(h, "26", 2) ? '&'
                                               : 0;
                if (c) {
                    error = fth_buf_putc(out, c);
                    i += 5;
                    continue;
                }
            }
            error = fth_buf_put(out, s + i, 2);
            i++;
            continue;
        }
        error = fth_buf_putc(out, s[i]);
    }
    return error;
}

enum json_style { JSON_PRETTY, JSON_RAW, JSON_PLAIN };

static int to_json(struct fth_value **out, struct fth_tmpl_call *call, const struct fth_value *v,
                   enum json_style style, int must)
{
    struct fth_buf b = FTH_BUF_INIT, o = FTH_BUF_INIT;
    int error = tmpl_to_json(&b, v);
    if (error < 0) {
        fth_buf_release(&b);
        if (error == FTH_ENOMEM)
            return error;
        if (!must)
            return sprig_ret_str(out, call, "", 0);
        if (error == FTH_ELIMIT)
            return fth_tmpl_fail(call, "json: value nested too deeply");
        if ((error = json_error(call, v, 0)) < 0)
            return error;
        return fth_tmpl_fail(call, "json: unsupported value");
    }
    switch (style) {
    case JSON_PRETTY:
        error = indent_json(&o, b.ptr, b.len);
        break;
    case JSON_RAW:
        error = unescape_html(&o, b.ptr, b.len);
        break;
    case JSON_PLAIN:
        error = fth_buf_put(&o, b.ptr, b.len);
        break;
    }
    fth_buf_release(&b);
    return sprig_ret_buf(out, call, &o, error);
}

SPRIG_FN(f_to_pretty_json)
{
    SPRIG_UNUSED;
    return to_json(out, call, args[0], JSON_PRETTY, 0);
}

SPRIG_FN(f_to_raw_json)
{
    SPRIG_UNUSED;
    return to_json(out, call, args[0], JSON_RAW, 0);
}

SPRIG_FN(f_must_to_json)
{
    SPRIG_UNUSED;
    return to_json(out, call, args[0], JSON_PLAIN, 1);
}

SPRIG_FN(f_must_to_pretty_json)
{
    SPRIG_UNUSED;
    return to_json(out, call, args[0], JSON_PRETTY, 1);
}

SPRIG_FN(f_must_to_raw_json)
{
    SPRIG_UNUSED;
    return to_json(out, call, args[0], JSON_RAW, 1);
}

/* encoding/json decodes every number into a float64 */
static struct fth_value *json_numbers(struct fth_value *v, int depth)
{
    size_t i;
    if (!v || depth > FTH_LIMIT_DEPTH)
        return v;
    if (v->type == FTH_VALUE_INT) {
        double d = (double)v->u.integer;
        v->type = FTH_VALUE_FLOAT;
        v->u.number = d;
    } else if (v->type == FTH_VALUE_SEQ) {
        for (i = 0; i < v->u.seq.len; i++)
            json_numbers(v->u.seq.items[i], depth + 1);
    } else if (v->type == FTH_VALUE_MAP) {
        for (i = 0; i < v->u.map.len; i++)
            json_numbers(v->u.map.items[i].value, depth + 1);
    }
    return v;
}

/* json.Unmarshal into interface{}: numbers are float64; errors are Go's texts where the
 * loader can tell (the common case: "unexpected end of JSON input"). */
SPRIG_FN(f_must_from_json)
{
    struct fth_load_opts opts = FTH_LOAD_OPTS_INIT;
    struct fth_error err;
    struct fth_value *v = NULL;
    const char *s = args[0]->u.str.ptr;
    size_t n = args[0]->u.str.len, i = 0;
    int error;
    SPRIG_UNUSED;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (i == n)
        return fth_tmpl_fail(call, "unexpected end of JSON input");
    if (s[i] != '{' && s[i] != '[' && s[i] != '"' && s[i] != '-' && !(s[i] >= '0' && s[i] <= '9') &&
        strncmp(s + i, "true", 4) && strncmp(s + i, "false", 5) && strncmp(s + i, "null", 4))
        return fth_tmpl_fail(call, "invalid character '%c' looking for beginning of value", s[i]);
    opts.flags = FTH_LOAD_JSON;
    opts.name = "json";
    fth_error_clear(&err);
    error = fth_value_load_one(&v, call->arena, s, n, &opts, &err);
    if (error == FTH_ENOMEM)
        return error;
    if (error < 0 || !v)
        return fth_tmpl_fail(call, "%s", err.message[0] ? err.message : "invalid JSON");
    return sprig_ret(out, json_numbers(v, 0));
}

const struct fth_tmpl_func tmpl_sprig_defaults[] = {
    {"default", "a*a", f_default, NULL},
    {"empty", "a", f_empty, NULL},
    {"coalesce", "*a", f_coalesce, NULL},
    {"all", "*a", f_all, NULL},
    {"any", "*a", f_any, NULL},
    {"ternary", "aab", f_ternary, NULL},
    {"deepCopy", "a", f_deep_copy, NULL},
    {"mustDeepCopy", "a", f_deep_copy, NULL},
    {"toPrettyJson", "a", f_to_pretty_json, NULL},
    {"toRawJson", "a", f_to_raw_json, NULL},
    {"mustToJson", "a", f_must_to_json, NULL},
    {"mustToPrettyJson", "a", f_must_to_pretty_json, NULL},
    {"mustToRawJson", "a", f_must_to_raw_json, NULL},
    {"mustFromJson", "s", f_must_from_json, NULL},
    {NULL, NULL, NULL, NULL},
};
