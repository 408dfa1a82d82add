#include "fathom/value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../base/limits.h"
#include "../base/banned.h"

/*
 * Go's encoding/json: shortest representation that round-trips; %f style for
 * 1e-6 <= |d| < 1e21, otherwise %e style with a two-digit minimum exponent trimmed
 * ("1e-07" becomes "1e-7").
 */
int fth_format_float(struct fth_buf *out, double d)
{
    char tmp[64];
    int prec, n;
    double ad = fabs(d);

    if (isnan(d))
        return fth_buf_puts(out, "NaN");
    if (isinf(d))
        return fth_buf_puts(out, d < 0 ? "-Inf" : "+Inf");
    if (d == 0)
        return fth_buf_puts(out, signbit(d) ? "-0" : "0");
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    if (ad >= 1e-6 && ad < 1e21) {
        /* digits after the point = significant digits - 1 - decimal exponent */
        int exp10 = (int)strtol(strchr(tmp, 'e') + 1, NULL, 10), frac;
        frac = prec - 1 - exp10;
        if (frac < 0)
            frac = 0;
        n = snprintf(tmp, sizeof(tmp), "%.*f", frac, d);
    } else {
        char *e;
        n = snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
        e = strchr(tmp, 'e');
        if (e && (e[1] == '-' || e[1] == '+') && e[2] == '0' && e[3]) {
            memmove(e + 2, e + 3, strlen(e + 3) + 1);
            n--;
        }
    }
    return fth_buf_put(out, tmp, (size_t)n);
}

int fth_json_quote(struct fth_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;
    int error;

    if ((error = fth_buf_putc(out, '"')) < 0)
        return error;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '<':
        case '>':
        case '&':
            /* as Go's encoder does, so output can sit inside HTML */
            u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0', u[4] = hex[c >> 4],
            u[5] = hex[c & 15], u[6] = '\0';
            esc = u;
            break;
        default:
            if (c < 0x20) {
                u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0', u[4] = hex[c >> 4],
                u[5] = hex[c & 15], u[6] = '\0';
                esc = u;
            }
        }
        if (!esc)
            continue;
        if ((error = fth_buf_put(out, s + run, i - run)) < 0 ||
            (error = fth_buf_puts(out, esc)) < 0)
            return error;
        run = i + 1;
    }
    if ((error = fth_buf_put(out, s + run, len - run)) < 0)
        return error;
    return fth_buf_putc(out, '"');
}

static int indent(struct fth_buf *out, unsigned flags, size_t depth)
{
    int error;
    size_t i;
    if (!(flags & FTH_EMIT_PRETTY))
        return 0;
    if ((error = fth_buf_putc(out, '\n')) < 0)
        return error;
    for (i = 0; i < depth; i++)
        if ((error = fth_buf_puts(out, "  ")) < 0)
            return error;
    return 0;
}

static int to_json(struct fth_buf *out, const struct fth_value *v, unsigned flags, size_t depth)
{
    size_t i;
    int error = 0;

    if (depth > FTH_LIMIT_DEPTH * 2)
        return FTH_ELIMIT;
    switch (v->type) {
    case FTH_VALUE_NULL:
        return fth_buf_puts(out, "null");
    case FTH_VALUE_BOOL:
        return fth_buf_puts(out, v->u.boolean ? "true" : "false");
    case FTH_VALUE_INT:
        return fth_buf_printf(out, "%lld", (long long)v->u.integer);
    case FTH_VALUE_FLOAT:
        if (isnan(v->u.number) || isinf(v->u.number))
            return fth_buf_puts(out, "null"); /* JSON has no NaN or infinity */
        return fth_format_float(out, v->u.number);
    case FTH_VALUE_STRING:
        return fth_json_quote(out, v->u.str.ptr, v->u.str.len);
    case FTH_VALUE_SEQ:
        if ((error = fth_buf_putc(out, '[')) < 0)
            return error;
        for (i = 0; i < v->u.seq.len; i++) {
            if ((i && (error = fth_buf_putc(out, ',')) < 0) ||
                (error = indent(out, flags, depth + 1)) < 0 ||
                (error = to_json(out, v->u.seq.items[i], flags, depth + 1)) < 0)
                return error;
        }
        if (v->u.seq.len && (error = indent(out, flags, depth)) < 0)
            return error;
        return fth_buf_putc(out, ']');
    case FTH_VALUE_MAP:
        if ((error = fth_buf_putc(out, '{')) < 0)
            return error;
        for (i = 0; i < v->u.map.len; i++) {
            const struct fth_value *k = v->u.map.items[i].key;
            if ((i && (error = fth_buf_putc(out, ',')) < 0) ||
                (error = indent(out, flags, depth + 1)) < 0 ||
                (error = fth_json_quote(out, k->u.str.ptr, k->u.str.len)) < 0 ||
                (error = fth_buf_puts(out, (flags & FTH_EMIT_PRETTY) ? ": " : ":")) < 0 ||
                (error = to_json(out, v->u.map.items[i].value, flags, depth + 1)) < 0)
                return error;
        }
        if (v->u.map.len && (error = indent(out, flags, depth)) < 0)
            return error;
        return fth_buf_putc(out, '}');
    }
    return FTH_EINVALID;
}

int fth_value_to_json(struct fth_buf *out, const struct fth_value *v, unsigned flags)
{
    return to_json(out, v, flags, 0);
}

/* ---- YAML, through libyaml's emitter so quoting is always right ---- */

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    return fth_buf_put(data, buffer, size) == 0;
}

static int emit_scalar(yaml_emitter_t *em, const char *s, size_t len, int plain_ok)
{
    yaml_event_t ev;
    if (len > (size_t)INT32_MAX ||
        !yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)len, 1, 1,
                                      plain_ok ? YAML_ANY_SCALAR_STYLE
                                               : YAML_DOUBLE_QUOTED_SCALAR_STYLE))
        return 0;
    return yaml_emitter_emit(em, &ev);
}

/* A string that YAML 1.1 would read back as something else must be quoted. */
static int needs_quotes(const struct fth_value *v)
{
    struct fth_arena *a;
    struct fth_value *back = NULL;
    int quote;

    if (!v->u.str.len || memchr(v->u.str.ptr, '\0', v->u.str.len))
        return 1;
    a = fth_arena_new();
    if (!a)
        return 1;
    quote = fth_value_load_one(&back, a, v->u.str.ptr, v->u.str.len, NULL, NULL) != 0 || !back ||
            back->type != FTH_VALUE_STRING;
    fth_arena_free(a);
    return quote;
}

static int to_yaml(yaml_emitter_t *em, const struct fth_value *v, size_t depth)
{
    yaml_event_t ev;
    char num[64];
    size_t i;

    if (depth > FTH_LIMIT_DEPTH * 2)
        return 0;
    switch (v->type) {
    case FTH_VALUE_NULL:
        return emit_scalar(em, "null", 4, 1);
    case FTH_VALUE_BOOL:
        return emit_scalar(em, v->u.boolean ? "true" : "false", v->u.boolean ? 4 : 5, 1);
    case FTH_VALUE_INT:
        snprintf(num, sizeof(num), "%lld", (long long)v->u.integer);
        return emit_scalar(em, num, strlen(num), 1);
    case FTH_VALUE_FLOAT: {
        struct fth_buf b = FTH_BUF_INIT;
        int ok;
        if (isnan(v->u.number))
            return emit_scalar(em, ".nan", 4, 1);
        if (isinf(v->u.number))
            return emit_scalar(em, v->u.number < 0 ? "-.inf" : ".inf", v->u.number < 0 ? 5 : 4,
                               1);
        if (fth_format_float(&b, v->u.number) < 0)
            return 0;
        ok = emit_scalar(em, b.ptr, b.len, 1);
        fth_buf_release(&b);
        return ok;
    }
    case FTH_VALUE_STRING:
        return emit_scalar(em, v->u.str.ptr, v->u.str.len, !needs_quotes(v));
    case FTH_VALUE_SEQ:
        if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) ||
            !yaml_emitter_emit(em, &ev))
            return 0;
        for (i = 0; i < v->u.seq.len; i++)
            if (!to_yaml(em, v->u.seq.items[i], depth + 1))
                return 0;
        return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
    case FTH_VALUE_MAP:
        if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) ||
            !yaml_emitter_emit(em, &ev))
            return 0;
        for (i = 0; i < v->u.map.len; i++) {
            if (!to_yaml(em, v->u.map.items[i].key, depth + 1) ||
                !to_yaml(em, v->u.map.items[i].value, depth + 1))
                return 0;
        }
        return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
    }
    return 0;
}

int fth_value_to_yaml(struct fth_buf *out, const struct fth_value *v)
{
    yaml_emitter_t em;
    yaml_event_t ev;
    int ok;

    if (!yaml_emitter_initialize(&em))
        return FTH_ENOMEM;
    yaml_emitter_set_output(&em, write_handler, out);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, -1);
    ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
         yaml_emitter_emit(&em, &ev) &&
         yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
         yaml_emitter_emit(&em, &ev) && to_yaml(&em, v, 0) &&
         yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
         yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev);
    yaml_emitter_delete(&em);
    return ok ? 0 : FTH_EINVALID;
}
