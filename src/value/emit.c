#include "fathom/value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../base/limits.h"
#include "../base/banned.h"
#include "value_int.h"

/*
 * Go's encoding/json: shortest representation that round-trips; %f style for
 * 1e-6 <= |d| < 1e21, otherwise %e style with a two-digit minimum exponent trimmed
 * ("1e-07" becomes "1e-7").
 */
int fth_format_float(struct fth_buf *out, double d)
{
    char tmp[128];
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
        /*
         * The shortest digits, placed by hand: "%.*f" would print the binary value's exact
         * digits (999999999999999868928 where Go prints 999999999999999900000).
         */
        char digits[20], *e = strchr(tmp, 'e');
        const char *p;
        int exp10 = (int)strtol(e + 1, NULL, 10), nd = 0, i;
        char *o = tmp + sizeof(tmp) / 2; /* room: at most 17 digits and 21 places */
        char *start = o;

        for (p = tmp; p < e; p++)
            if (*p >= '0' && *p <= '9')
                digits[nd++] = *p;
        if (d < 0)
            *o++ = '-';
        if (exp10 < 0) {
            *o++ = '0';
            *o++ = '.';
            for (i = 0; i < -exp10 - 1; i++)
                *o++ = '0';
            for (i = 0; i < nd; i++)
                *o++ = digits[i];
        } else {
            for (i = 0; i <= exp10; i++)
                *o++ = i < nd ? digits[i] : '0';
            if (nd > exp10 + 1) {
                *o++ = '.';
                for (i = exp10 + 1; i < nd; i++)
                    *o++ = digits[i];
            }
        }
        return fth_buf_put(out, start, (size_t)(o - start));
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

/* Length of the valid UTF-8 sequence at s (as Go's utf8.DecodeRune accepts it), 0 if none. */

static int is_utf8(const char *s, size_t len)
{
    size_t i = 0, n;
    unsigned cp;
    while (i < len) {
        if (!(n = fth_utf8_len((const unsigned char *)s + i, len - i, &cp)))
            return 0;
        i += n;
    }
    return 1;
}

/*
 * As Go's encoding/json writes a string: <, > and & as \u003c \u003e \u0026 (so output can
 * sit inside HTML), U+2028 and U+2029 escaped, invalid UTF-8 bytes as \ufffd, \b \f \n \r \t
 * short and other control characters as \u00XX.
 */
int fth_json_quote_flags(struct fth_buf *out, const char *s, size_t len, unsigned flags)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0, n;
    int error;

    if ((error = fth_buf_grow(out, len + 2)) < 0 || (error = fth_buf_putc(out, '"')) < 0)
        return error;
    while (i < len) {
        unsigned c, cp;
        const char *esc = NULL;
        char tmp[7];

        /* the bytes written as they are, a run at a time: most of every string */
        while (i < len && u[i] >= 0x20 && u[i] < 0x80 && u[i] != '"' && u[i] != '\\' &&
               !((flags & FTH_JSON_HTML_SAFE) && (u[i] == '<' || u[i] == '>' || u[i] == '&')))
            i++;
        if (i >= len)
            break;
        c = u[i];

        n = 1;
        if (c >= 0x80) {
            n = fth_utf8_len(u + i, len - i, &cp);
            if (!n) {
                esc = "\\ufffd";
                n = 1;
            } else if (cp == 0x2028) {
                esc = "\\u2028";
            } else if (cp == 0x2029) {
                esc = "\\u2029";
            }
        } else if (c == '"') {
            esc = "\\\"";
        } else if (c == '\\') {
            esc = "\\\\";
        } else if (c == '\n') {
            esc = "\\n";
        } else if (c == '\r') {
            esc = "\\r";
        } else if (c == '\t') {
            esc = "\\t";
        } else if (c == '\b') {
            esc = "\\b";
        } else if (c == '\f') {
            esc = "\\f";
        } else if (c < 0x20 ||
                   ((flags & FTH_JSON_HTML_SAFE) && (c == '<' || c == '>' || c == '&'))) {
            tmp[0] = '\\', tmp[1] = 'u', tmp[2] = '0', tmp[3] = '0', tmp[4] = hex[c >> 4];
            tmp[5] = hex[c & 15], tmp[6] = '\0';
            esc = tmp;
        }
        if (esc) {
            if ((error = fth_buf_put(out, s + run, i - run)) < 0 ||
                (error = fth_buf_puts(out, esc)) < 0)
                return error;
            run = i + n;
        }
        i += n;
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

/* Bytes that are not UTF-8 cannot be YAML text: go-yaml writes them as !!binary base64. */
static int emit_binary(yaml_emitter_t *em, const char *s, size_t len)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *u = (const unsigned char *)s;
    struct fth_buf b = FTH_BUF_INIT;
    yaml_event_t ev;
    size_t i;
    int ok = 0;

    for (i = 0; i + 2 < len; i += 3) {
        unsigned v = (unsigned)u[i] << 16 | (unsigned)u[i + 1] << 8 | u[i + 2];
        char q[4] = {b64[v >> 18], b64[v >> 12 & 63], b64[v >> 6 & 63], b64[v & 63]};
        if (fth_buf_put(&b, q, 4) < 0)
            goto out;
    }
    if (len - i == 1) {
        unsigned v = (unsigned)u[i] << 16;
        char q[4] = {b64[v >> 18], b64[v >> 12 & 63], '=', '='};
        if (fth_buf_put(&b, q, 4) < 0)
            goto out;
    } else if (len - i == 2) {
        unsigned v = (unsigned)u[i] << 16 | (unsigned)u[i + 1] << 8;
        char q[4] = {b64[v >> 18], b64[v >> 12 & 63], b64[v >> 6 & 63], '='};
        if (fth_buf_put(&b, q, 4) < 0)
            goto out;
    }
    if (b.len > (size_t)INT32_MAX ||
        !yaml_scalar_event_initialize(&ev, NULL, (yaml_char_t *)"tag:yaml.org,2002:binary",
                                      (yaml_char_t *)b.ptr, (int)b.len, 0, 0,
                                      YAML_ANY_SCALAR_STYLE))
        goto out;
    ok = yaml_emitter_emit(em, &ev);
out:
    fth_buf_release(&b);
    return ok;
}

/*
 * A string that YAML 1.1 would resolve to something else (yes, 0755, ~, 1e3, ...) must be
 * quoted, and so must "<<" (a merge key). libyaml's emitter itself quotes what plain style
 * cannot say (": ", " #", leading indicators, line breaks, control characters).
 */
static int needs_quotes(const struct fth_value *v)
{
    return !v->u.str.len || memchr(v->u.str.ptr, '\0', v->u.str.len) ||
           (v->u.str.len == 2 && !memcmp(v->u.str.ptr, "<<", 2)) ||
           !value_plain_is_string(v->u.str.ptr, v->u.str.len);
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
            return emit_scalar(em, v->u.number < 0 ? "-.inf" : ".inf", v->u.number < 0 ? 5 : 4, 1);
        if (v->u.number == 0 && signbit(v->u.number))
            return emit_scalar(em, "-0.0", 4, 1); /* "-0" would read back as the integer 0 */
        if (fth_format_float(&b, v->u.number) < 0)
            return 0;
        ok = emit_scalar(em, b.ptr, b.len, 1);
        fth_buf_release(&b);
        return ok;
    }
    case FTH_VALUE_STRING:
        if (!is_utf8(v->u.str.ptr, v->u.str.len))
            return emit_binary(em, v->u.str.ptr, v->u.str.len);
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

int fth_json_quote(struct fth_buf *out, const char *s, size_t len)
{
    return fth_json_quote_flags(out, s, len, FTH_JSON_HTML_SAFE);
}
