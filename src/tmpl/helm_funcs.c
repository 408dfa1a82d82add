/*
 * Helm's own template functions (pkg/engine/funcs.go and engine.go of Helm 3): include with its
 * recursion limit, tpl, required, fail, toYaml (sigs.k8s.io/yaml: JSON round trip, then
 * yaml.v2), fromYaml, fromYamlArray, toJson, fromJson, fromJsonArray, toToml, fromToml,
 * lookup (an empty map offline), getHostByName (empty without DNS) and the removal of
 * Sprig's env and expandenv.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "tmpl_int.h"

static int ret(struct fth_value **out, struct fth_value *v)
{
    *out = v;
    return v ? 0 : FTH_ENOMEM;
}

static int ret_buf(struct fth_value **out, struct fth_tmpl_call *call, struct fth_buf *b)
{
    *out = fth_tmpl_str(call->arena, b->ptr, b->len);
    fth_buf_release(b);
    return *out ? 0 : FTH_ENOMEM;
}

/* ---- include, tpl, required, fail ---- */

static int f_include(struct fth_value **out, struct fth_tmpl_call *call,
                     struct fth_value *const *args, size_t argc)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *name = args[0]->u.str.ptr;
    int error;
    (void)argc;
    error = tmpl_exec_include_enter(call->exec, name, FTH_LIMIT_TMPL_INCLUDE);
    if (error == FTH_ELIMIT)
        return fth_tmpl_fail(call,
                             "rendering template has a nested reference name: %s: unable to "
                             "execute template",
                             name);
    if (error < 0)
        return error;
    error = fth_tmpl_call_template(&b, call, name, args[1]);
    tmpl_exec_include_leave(call->exec, name);
    if (error < 0) {
        fth_buf_release(&b);
        return error;
    }
    return ret_buf(out, call, &b);
}

static int f_tpl(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                 size_t argc)
{
    struct fth_buf b = FTH_BUF_INIT, q = FTH_BUF_INIT;
    int parse_failed = 0, error;
    size_t r, w;
    (void)argc;
    error = fth_tmpl_call_text(&b, call, tmpl_tpl_name(call->exec), args[0]->u.str.ptr,
                               args[0]->u.str.len, args[1], &parse_failed);
    if (error < 0) {
        fth_buf_release(&b);
        if (error == FTH_ENOMEM || error == FTH_ELIMIT)
            return error;
        fth_tmpl_quote(&q, args[0]->u.str.ptr, args[0]->u.str.len);
        error = fth_tmpl_fail(call, "%s %s: %s",
                              parse_failed ? "cannot parse template"
                                           : "error during tpl function execution for",
                              q.ptr, fth_tmpl_call_error(call));
        fth_buf_release(&q);
        return error;
    }
    /* strings.ReplaceAll(out, "<no value>", "") */
    for (r = 0, w = 0; r < b.len;) {
        if (b.len - r >= 10 && !memcmp(b.ptr + r, "<no value>", 10)) {
            r += 10;
            continue;
        }
        b.ptr[w++] = b.ptr[r++];
    }
    b.len = w;
    return ret_buf(out, call, &b);
}

static int f_required(struct fth_value **out, struct fth_tmpl_call *call,
                      struct fth_value *const *args, size_t argc)
{
    const struct fth_value *v = args[1];
    (void)argc;
    if (!v || (v->type == FTH_VALUE_NULL && !fth_tmpl_ext_of(v)) ||
        (v->type == FTH_VALUE_STRING && !fth_tmpl_ext_of(v) && !(v->flags & FTH_TMPL_VALUE_BYTES) &&
         v->u.str.len == 0))
        return fth_tmpl_fail(call, "%s", args[0]->u.str.ptr);
    *out = args[1];
    return 0;
}

static int f_fail(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                  size_t argc)
{
    (void)out;
    (void)argc;
    return fth_tmpl_fail(call, "%s", args[0]->u.str.ptr);
}

static int f_lookup(struct fth_value **out, struct fth_tmpl_call *call,
                    struct fth_value *const *args, size_t argc)
{
    (void)args;
    (void)argc;
    return ret(out, fth_tmpl_map(call->arena, 0));
}

static int f_gethostbyname(struct fth_value **out, struct fth_tmpl_call *call,
                           struct fth_value *const *args, size_t argc)
{
    (void)args;
    (void)argc;
    return ret(out, fth_tmpl_str(call->arena, "", 0));
}

/* ---- JSON (encoding/json.Marshal: map keys sorted, HTML characters escaped) ---- */

static int cmp_str_members(const void *a, const void *b)
{
    const struct fth_member *x = a, *y = b;
    size_t n = x->key->u.str.len < y->key->u.str.len ? x->key->u.str.len : y->key->u.str.len;
    int c = memcmp(x->key->u.str.ptr, y->key->u.str.ptr, n);
    if (c)
        return c;
    return x->key->u.str.len < y->key->u.str.len ? -1 : x->key->u.str.len > y->key->u.str.len;
}

static struct fth_member *sorted(const struct fth_value *m, int (*cmp)(const void *, const void *))
{
    size_t n = m->u.map.len;
    struct fth_member *s = malloc((n ? n : 1) * sizeof(*s));
    if (!s)
        return NULL;
    if (n)
        memcpy(s, m->u.map.items, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp);
    return s;
}

static int base64(struct fth_buf *out, const unsigned char *u, size_t len)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;
    for (i = 0; i + 2 < len; i += 3) {
        unsigned v = (unsigned)u[i] << 16 | (unsigned)u[i + 1] << 8 | u[i + 2];
        char q[4] = {b64[v >> 18], b64[v >> 12 & 63], b64[v >> 6 & 63], b64[v & 63]};
        fth_buf_put(out, q, 4);
    }
    if (len - i == 1) {
        unsigned v = (unsigned)u[i] << 16;
        char q[4] = {b64[v >> 18], b64[v >> 12 & 63], '=', '='};
        fth_buf_put(out, q, 4);
    } else if (len - i == 2) {
        unsigned v = (unsigned)u[i] << 16 | (unsigned)u[i + 1] << 8;
        char q[4] = {b64[v >> 18], b64[v >> 12 & 63], b64[v >> 6 & 63], '='};
        fth_buf_put(out, q, 4);
    }
    return 0;
}

static int to_json(struct fth_buf *out, const struct fth_value *v, size_t depth)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    size_t i;
    int r = 0;
    if (depth > FTH_LIMIT_DEPTH * 2 || out->len > FTH_LIMIT_TMPL_OUTPUT)
        return FTH_ELIMIT; /* also bounds maps that hold themselves (Sprig's set) */
    if (!v)
        return fth_buf_puts(out, "null");
    if (e && e->kind == FTH_TMPL_EXT_METHOD)
        return FTH_ETYPE; /* json: unsupported type: func */
    if (e && e->text && v->type != FTH_VALUE_MAP)
        return fth_json_quote(out, e->text, strlen(e->text));
    switch (v->type) {
    case FTH_VALUE_NULL:
        return fth_buf_puts(out, "null");
    case FTH_VALUE_BOOL:
        return fth_buf_puts(out, v->u.boolean ? "true" : "false");
    case FTH_VALUE_INT:
        return fth_buf_printf(out, "%lld", (long long)v->u.integer);
    case FTH_VALUE_FLOAT:
        if (isnan(v->u.number) || isinf(v->u.number))
            return FTH_ETYPE; /* json: unsupported value */
        return fth_format_float(out, v->u.number);
    case FTH_VALUE_STRING:
        if (v->flags & FTH_TMPL_VALUE_BYTES) {
            fth_buf_putc(out, '"');
            base64(out, (const unsigned char *)v->u.str.ptr, v->u.str.len);
            return fth_buf_putc(out, '"');
        }
        return fth_json_quote(out, v->u.str.ptr, v->u.str.len);
    case FTH_VALUE_SEQ:
        fth_buf_putc(out, '[');
        for (i = 0; i < v->u.seq.len && r == 0; i++) {
            if (i)
                fth_buf_putc(out, ',');
            r = to_json(out, v->u.seq.items[i], depth + 1);
        }
        return r ? r : fth_buf_putc(out, ']');
    case FTH_VALUE_MAP: {
        struct fth_member *m = sorted(v, cmp_str_members);
        if (!m)
            return FTH_ENOMEM;
        fth_buf_putc(out, '{');
        for (i = 0; i < v->u.map.len && r == 0; i++) {
            if (fth_tmpl_ext_of(m[i].value) &&
                fth_tmpl_ext_of(m[i].value)->kind == FTH_TMPL_EXT_METHOD)
                continue;
            if (out->ptr[out->len - 1] != '{')
                fth_buf_putc(out, ',');
            fth_json_quote(out, m[i].key->u.str.ptr, m[i].key->u.str.len);
            fth_buf_putc(out, ':');
            r = to_json(out, m[i].value, depth + 1);
        }
        free(m);
        return r ? r : fth_buf_putc(out, '}');
    }
    }
    return 0;
}

int tmpl_to_json(struct fth_buf *out, const struct fth_value *v)
{
    return to_json(out, v, 0);
}

/* ---- YAML as sigs.k8s.io/yaml writes it (yaml.v2 after a JSON round trip) ---- */

/* yaml.v2's keyList.Less for string keys: runs of digits compare as numbers, letters after
 * other characters. */
static int is_letter(unsigned r)
{
    return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') ||
           (r >= 0xC0 && r != 0xD7 && r != 0xF7);
}

static int is_digit(unsigned r)
{
    return r >= '0' && r <= '9';
}

static size_t runes(const struct fth_value *s, unsigned **out)
{
    size_t i = 0, n = 0;
    unsigned *r = malloc((s->u.str.len + 1) * sizeof(*r));
    *out = r;
    if (!r)
        return 0;
    while (i < s->u.str.len) {
        unsigned cp = 0;
        size_t z = fth_utf8_len((const unsigned char *)s->u.str.ptr + i, s->u.str.len - i, &cp);
        if (!z) {
            cp = 0xFFFD;
            z = 1;
        }
        r[n++] = cp;
        i += z;
    }
    return n;
}

static int yaml_key_less(const struct fth_value *a, const struct fth_value *b)
{
    unsigned *ar, *br;
    size_t an = runes(a, &ar), bn = runes(b, &br), i;
    int res = -2;
    if (!ar || !br) {
        free(ar);
        free(br);
        return 0;
    }
    for (i = 0; i < an && i < bn && res == -2; i++) {
        int al, bl;
        size_t ai, bi;
        int64_t anum = 0, bnum = 0;
        if (ar[i] == br[i])
            continue;
        al = is_letter(ar[i]);
        bl = is_letter(br[i]);
        if (al && bl) {
            res = ar[i] < br[i];
            break;
        }
        if (al || bl) {
            res = bl;
            break;
        }
        if (ar[i] == '0' || br[i] == '0') {
            size_t j;
            for (j = i; j-- > 0 && is_digit(ar[j]);) {
                if (ar[j] != '0') {
                    anum = 1;
                    bnum = 1;
                    break;
                }
            }
        }
        for (ai = i; ai < an && is_digit(ar[ai]); ai++)
            anum = anum * 10 + (int64_t)(ar[ai] - '0');
        for (bi = i; bi < bn && is_digit(br[bi]); bi++)
            bnum = bnum * 10 + (int64_t)(br[bi] - '0');
        if (anum != bnum)
            res = anum < bnum;
        else if (ai != bi)
            res = ai < bi;
        else
            res = ar[i] < br[i];
        break;
    }
    if (res == -2)
        res = an < bn;
    free(ar);
    free(br);
    return res;
}

static int cmp_yaml_keys(const void *a, const void *b)
{
    const struct fth_member *x = a, *y = b;
    if (yaml_key_less(x->key, y->key))
        return -1;
    if (yaml_key_less(y->key, x->key))
        return 1;
    return 0;
}

/* Would yaml.v2 read this plain scalar as something other than a string? */
static int match_float(const char *s, size_t n)
{
    size_t i = 0, d = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && is_digit((unsigned char)s[i])) {
            i++;
            d++;
        }
        if (!d)
            return 0;
    } else {
        while (i < n && is_digit((unsigned char)s[i])) {
            i++;
            d++;
        }
        if (!d)
            return 0;
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && is_digit((unsigned char)s[i]))
                i++;
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        d = 0;
        while (i < n && is_digit((unsigned char)s[i])) {
            i++;
            d++;
        }
        if (!d)
            return 0;
    }
    return i == n;
}

static int match_int(const char *s, size_t n)
{
    char buf[128];
    size_t i, k = 0;
    char *end;
    if (!n || n >= sizeof(buf))
        return 0;
    for (i = 0; i < n; i++)
        if (s[i] != '_')
            buf[k++] = s[i];
    buf[k] = 0;
    if (!k)
        return 0;
    i = buf[0] == '+' || buf[0] == '-';
    if (buf[i] == '0' && (buf[i + 1] == 'b' || buf[i + 1] == 'B')) {
        if (!buf[i + 2])
            return 0;
        for (k = i + 2; buf[k]; k++)
            if (buf[k] != '0' && buf[k] != '1')
                return 0;
        return 1;
    }
    if (!is_digit((unsigned char)buf[i]))
        return 0;
    (void)strtoll(buf, &end, 0);
    return *end == 0;
}

static int match_base60(const char *s, size_t n)
{
    size_t i = 0;
    int colon = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i >= n || !is_digit((unsigned char)s[i]))
        return 0;
    while (i < n && (is_digit((unsigned char)s[i]) || s[i] == '_'))
        i++;
    while (i < n && s[i] == ':') {
        size_t d = 0;
        i++;
        while (i < n && is_digit((unsigned char)s[i]) && d < 2) {
            i++;
            d++;
        }
        if (!d)
            return 0;
        if (d == 2 && s[i - 2] > '5')
            return 0;
        colon = 1;
    }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && (is_digit((unsigned char)s[i]) || s[i] == '_'))
            i++;
    }
    return colon && i == n;
}

static int match_timestamp(const char *s, size_t n)
{
    /* YYYY-MM-DD, optionally followed by a time: yaml.v2 resolves these as timestamps */
    if (n < 10 || !is_digit((unsigned char)s[0]) || !is_digit((unsigned char)s[1]) ||
        !is_digit((unsigned char)s[2]) || !is_digit((unsigned char)s[3]) || s[4] != '-')
        return 0;
    {
        size_t i = 5, d = 0;
        while (i < n && is_digit((unsigned char)s[i]) && d < 2) {
            i++;
            d++;
        }
        if (!d || i >= n || s[i] != '-')
            return 0;
        i++;
        d = 0;
        while (i < n && is_digit((unsigned char)s[i]) && d < 2) {
            i++;
            d++;
        }
        if (!d)
            return 0;
        if (i == n)
            return 1;
        return s[i] == 'T' || s[i] == 't' || s[i] == ' ' || s[i] == '\t';
    }
}

static int yaml_v2_nonstring(const char *s, size_t n)
{
    static const char *const words[] = {
        "",      "~",     "null",  "Null",  "NULL",  "y",     "Y",    "yes",  "Yes",   "YES",
        "n",     "N",     "no",    "No",    "NO",    "true",  "True", "TRUE", "false", "False",
        "FALSE", "on",    "On",    "ON",    "off",   "Off",   "OFF",  ".inf", ".Inf",  ".INF",
        "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",  "<<",
    };
    size_t i;
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == n && !memcmp(words[i], s, n))
            return 1;
    return match_int(s, n) || match_float(s, n) || match_base60(s, n) || match_timestamp(s, n);
}

struct yemit {
    yaml_emitter_t em;
    struct fth_buf scratch;
};

static int ywrite(void *data, unsigned char *buffer, size_t size)
{
    return fth_buf_put(data, buffer, size) == 0;
}

static int yscalar(yaml_emitter_t *em, const char *s, size_t len, yaml_scalar_style_t style)
{
    yaml_event_t ev;
    if (len > (size_t)INT32_MAX ||
        !yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)len, 1, 1, style))
        return 0;
    return yaml_emitter_emit(em, &ev);
}

static int ystring(yaml_emitter_t *em, const char *s, size_t len)
{
    yaml_scalar_style_t style;
    if (memchr(s, '\n', len))
        style = YAML_LITERAL_SCALAR_STYLE;
    else if (!yaml_v2_nonstring(s, len))
        style = YAML_PLAIN_SCALAR_STYLE;
    else
        style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    return yscalar(em, s, len, style);
}

/* A float after the JSON round trip: integral JSON text reads back as an int. */
static int yfloat(yaml_emitter_t *em, double d)
{
    struct fth_buf j = FTH_BUF_INIT, g = FTH_BUF_INIT;
    int ok, is_int = 1;
    size_t i;
    fth_format_float(&j, d);
    for (i = 0; i < j.len; i++)
        if (!is_digit((unsigned char)j.ptr[i]) && !(i == 0 && j.ptr[i] == '-'))
            is_int = 0;
    if (is_int && j.len > 19)
        is_int = 0; /* beyond int64: yaml.v2 reads it as a float */
    if (is_int) {
        ok = yscalar(em, j.ptr, j.len, YAML_PLAIN_SCALAR_STYLE);
    } else {
        fth_tmpl_format_float(&g, d, 'g', -1);
        ok = yscalar(em, g.ptr, g.len, YAML_PLAIN_SCALAR_STYLE);
    }
    fth_buf_release(&j);
    fth_buf_release(&g);
    return ok;
}

static int yvalue(yaml_emitter_t *em, const struct fth_value *v, size_t depth)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    yaml_event_t ev;
    char num[32];
    size_t i;
    if (depth > FTH_LIMIT_DEPTH * 2)
        return 0;
    if (!v)
        return yscalar(em, "null", 4, YAML_PLAIN_SCALAR_STYLE);
    if (e && e->kind == FTH_TMPL_EXT_METHOD)
        return 0;
    if (e && e->text && v->type != FTH_VALUE_MAP)
        return ystring(em, e->text, strlen(e->text));
    switch (v->type) {
    case FTH_VALUE_NULL:
        return yscalar(em, "null", 4, YAML_PLAIN_SCALAR_STYLE);
    case FTH_VALUE_BOOL:
        return yscalar(em, v->u.boolean ? "true" : "false", v->u.boolean ? 4 : 5,
                       YAML_PLAIN_SCALAR_STYLE);
    case FTH_VALUE_INT:
        snprintf(num, sizeof(num), "%lld", (long long)v->u.integer);
        return yscalar(em, num, strlen(num), YAML_PLAIN_SCALAR_STYLE);
    case FTH_VALUE_FLOAT:
        if (isnan(v->u.number) || isinf(v->u.number))
            return 0;
        return yfloat(em, v->u.number);
    case FTH_VALUE_STRING:
        if (v->flags & FTH_TMPL_VALUE_BYTES) {
            struct fth_buf b = FTH_BUF_INIT;
            int ok;
            base64(&b, (const unsigned char *)v->u.str.ptr, v->u.str.len);
            ok = ystring(em, b.ptr, b.len);
            fth_buf_release(&b);
            return ok;
        }
        {
            /* json.Marshal turned invalid UTF-8 into U+FFFD */
            struct fth_buf b = FTH_BUF_INIT;
            int ok;
            size_t k = 0;
            while (k < v->u.str.len) {
                size_t z =
                    fth_utf8_len((const unsigned char *)v->u.str.ptr + k, v->u.str.len - k, NULL);
                if (z) {
                    fth_buf_put(&b, v->u.str.ptr + k, z);
                    k += z;
                } else {
                    fth_buf_puts(&b, "\xEF\xBF\xBD");
                    k++;
                }
            }
            ok = ystring(em, b.ptr, b.len);
            fth_buf_release(&b);
            return ok;
        }
    case FTH_VALUE_SEQ:
        if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                  v->u.seq.len ? YAML_BLOCK_SEQUENCE_STYLE
                                                               : YAML_FLOW_SEQUENCE_STYLE) ||
            !yaml_emitter_emit(em, &ev))
            return 0;
        for (i = 0; i < v->u.seq.len; i++)
            if (!yvalue(em, v->u.seq.items[i], depth + 1))
                return 0;
        return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
    case FTH_VALUE_MAP: {
        struct fth_member *m = sorted(v, cmp_yaml_keys);
        int ok = 1;
        size_t live = 0;
        if (!m)
            return 0;
        for (i = 0; i < v->u.map.len; i++)
            if (!(fth_tmpl_ext_of(m[i].value) &&
                  fth_tmpl_ext_of(m[i].value)->kind == FTH_TMPL_EXT_METHOD))
                live++;
        if (!yaml_mapping_start_event_initialize(
                &ev, NULL, NULL, 1, live ? YAML_BLOCK_MAPPING_STYLE : YAML_FLOW_MAPPING_STYLE) ||
            !yaml_emitter_emit(em, &ev)) {
            free(m);
            return 0;
        }
        for (i = 0; i < v->u.map.len && ok; i++) {
            if (fth_tmpl_ext_of(m[i].value) &&
                fth_tmpl_ext_of(m[i].value)->kind == FTH_TMPL_EXT_METHOD)
                continue;
            ok = ystring(em, m[i].key->u.str.ptr, m[i].key->u.str.len) &&
                 yvalue(em, m[i].value, depth + 1);
        }
        free(m);
        return ok && yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
    }
    }
    return 0;
}

int tmpl_to_yaml(struct fth_buf *out, const struct fth_value *v, int pretty)
{
    yaml_emitter_t em;
    yaml_event_t ev;
    struct fth_buf chk = FTH_BUF_INIT;
    int ok;
    (void)pretty;
    /* json.Marshal fails on NaN, Inf and functions: Helm's toYaml then yields "" */
    if (to_json(&chk, v, 0) != 0) {
        fth_buf_release(&chk);
        return FTH_ETYPE;
    }
    fth_buf_release(&chk);
    if (!yaml_emitter_initialize(&em))
        return FTH_ENOMEM;
    yaml_emitter_set_output(&em, ywrite, out);
    yaml_emitter_set_unicode(&em, 1);
    ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
         yaml_emitter_emit(&em, &ev) &&
         yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
         yaml_emitter_emit(&em, &ev) && yvalue(&em, v, 0) &&
         yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
         yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev);
    yaml_emitter_delete(&em);
    return ok ? 0 : FTH_EINVALID;
}

/*
 * toYamlPretty: yaml.v3 with SetIndent(2) (no JSON round trip): like toYaml, but sequences are
 * indented under their key. Scalars go through libyaml one at a time for their quoting;
 * multi-line strings are written as literal blocks here.
 */
static int scalar_text(struct fth_buf *out, const char *s, size_t len, yaml_scalar_style_t style)
{
    yaml_emitter_t em;
    yaml_event_t ev;
    int ok;
    if (!yaml_emitter_initialize(&em))
        return FTH_ENOMEM;
    yaml_emitter_set_output(&em, ywrite, out);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, -1);
    ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
         yaml_emitter_emit(&em, &ev) &&
         yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
         yaml_emitter_emit(&em, &ev) && yscalar(&em, s, len, style) &&
         yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
         yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev);
    yaml_emitter_delete(&em);
    if (!ok)
        return FTH_EINVALID;
    /* drop the newline (and a "..." document end marker) libyaml puts after a lone scalar */
    while (out->len && out->ptr[out->len - 1] == '\n')
        out->len--;
    if (out->len >= 4 && !memcmp(out->ptr + out->len - 4, "\n...", 4))
        out->len -= 4;
    out->ptr[out->len] = '\0';
    return 0;
}

static void pad_to(struct fth_buf *out, size_t indent)
{
    size_t i;
    for (i = 0; i < indent; i++)
        fth_buf_putc(out, ' ');
}

static int pretty_string(struct fth_buf *out, const char *s, size_t len, size_t indent)
{
    struct fth_buf t = FTH_BUF_INIT;
    size_t i, start, trailing = 0;
    int r;
    if (!memchr(s, '\n', len)) {
        r = scalar_text(&t, s, len,
                        yaml_v2_nonstring(s, len) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                                  : YAML_PLAIN_SCALAR_STYLE);
        if (r == 0)
            r = fth_buf_put(out, t.ptr, t.len);
        fth_buf_release(&t);
        return r;
    }
    while (trailing < len && s[len - 1 - trailing] == '\n')
        trailing++;
    fth_buf_putc(out, '|');
    if (s[0] == ' ')
        fth_buf_putc(out, '2');
    if (trailing == 0)
        fth_buf_putc(out, '-');
    else if (trailing > 1)
        fth_buf_putc(out, '+');
    fth_buf_putc(out, '\n');
    for (i = 0, start = 0; i <= len; i++) {
        if (i == len || s[i] == '\n') {
            if (i == len && start == len)
                break;
            if (i > start)
                pad_to(out, indent);
            fth_buf_put(out, s + start, i - start);
            fth_buf_putc(out, '\n');
            start = i + 1;
        }
    }
    /* the caller adds the line break after a value */
    if (out->len && out->ptr[out->len - 1] == '\n')
        out->len--;
    out->ptr[out->len] = '\0';
    return 0;
}

static int pretty_value(struct fth_buf *out, const struct fth_value *v, size_t indent,
                        size_t depth);

static int is_block(const struct fth_value *v)
{
    return v && !(fth_tmpl_ext_of(v) && fth_tmpl_ext_of(v)->text) &&
           ((v->type == FTH_VALUE_MAP && v->u.map.len) ||
            (v->type == FTH_VALUE_SEQ && v->u.seq.len));
}

static int pretty_scalar(struct fth_buf *out, const struct fth_value *v, size_t indent)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    if (!v || v->type == FTH_VALUE_NULL)
        return fth_buf_puts(out, "null");
    if (e && e->text)
        return pretty_string(out, e->text, strlen(e->text), indent);
    switch (v->type) {
    case FTH_VALUE_BOOL:
        return fth_buf_puts(out, v->u.boolean ? "true" : "false");
    case FTH_VALUE_INT:
        return fth_buf_printf(out, "%lld", (long long)v->u.integer);
    case FTH_VALUE_FLOAT:
        if (isnan(v->u.number))
            return fth_buf_puts(out, ".nan");
        if (isinf(v->u.number))
            return fth_buf_puts(out, v->u.number > 0 ? ".inf" : "-.inf");
        return fth_tmpl_format_float(out, v->u.number, 'g', -1);
    case FTH_VALUE_STRING:
        if (v->flags & FTH_TMPL_VALUE_BYTES) {
            struct fth_buf b = FTH_BUF_INIT;
            int r;
            base64(&b, (const unsigned char *)v->u.str.ptr, v->u.str.len);
            r = fth_buf_puts(out, "!!binary ");
            if (r == 0)
                r = fth_buf_put(out, b.ptr, b.len);
            fth_buf_release(&b);
            return r;
        }
        return pretty_string(out, v->u.str.ptr, v->u.str.len, indent);
    case FTH_VALUE_SEQ:
        return fth_buf_puts(out, "[]");
    case FTH_VALUE_MAP:
        return fth_buf_puts(out, "{}");
    default:
        return 0;
    }
}

/* A block collection starting at the current line position (already indented). */
static int pretty_value(struct fth_buf *out, const struct fth_value *v, size_t indent, size_t depth)
{
    size_t i;
    int r = 0;
    if (depth > FTH_LIMIT_DEPTH * 2 || out->len > FTH_LIMIT_TMPL_OUTPUT)
        return FTH_ELIMIT;
    if (!is_block(v))
        return pretty_scalar(out, v, indent);
    if (v->type == FTH_VALUE_SEQ) {
        for (i = 0; i < v->u.seq.len && r == 0; i++) {
            if (i)
                pad_to(out, indent);
            fth_buf_puts(out, "- ");
            r = pretty_value(out, v->u.seq.items[i], indent + 2, depth + 1);
            fth_buf_putc(out, '\n');
        }
        if (out->len && out->ptr[out->len - 1] == '\n')
            out->len--;
        return r;
    }
    {
        struct fth_member *m = sorted(v, cmp_yaml_keys);
        size_t n = 0;
        if (!m)
            return FTH_ENOMEM;
        for (i = 0; i < v->u.map.len && r == 0; i++) {
            const struct fth_value *x = m[i].value;
            if (fth_tmpl_ext_of(x) && fth_tmpl_ext_of(x)->kind == FTH_TMPL_EXT_METHOD)
                continue;
            if (n++)
                pad_to(out, indent);
            r = pretty_string(out, m[i].key->u.str.ptr, m[i].key->u.str.len, indent + 2);
            fth_buf_putc(out, ':');
            if (is_block(x)) {
                fth_buf_putc(out, '\n');
                pad_to(out, indent + 2);
                r = r ? r : pretty_value(out, x, indent + 2, depth + 1);
            } else {
                fth_buf_putc(out, ' ');
                r = r ? r : pretty_scalar(out, x, indent + 2);
            }
            fth_buf_putc(out, '\n');
        }
        free(m);
        if (out->len && out->ptr[out->len - 1] == '\n')
            out->len--;
        return r;
    }
}

static int f_toyamlpretty(struct fth_value **out, struct fth_tmpl_call *call,
                          struct fth_value *const *args, size_t argc)
{
    struct fth_buf b = FTH_BUF_INIT;
    (void)argc;
    if (pretty_value(&b, args[0], 0, 0) != 0)
        fth_buf_clear(&b);
    if (b.len)
        b.ptr[b.len] = '\0';
    return ret_buf(out, call, &b);
}

static int f_toyaml(struct fth_value **out, struct fth_tmpl_call *call,
                    struct fth_value *const *args, size_t argc)
{
    struct fth_buf b = FTH_BUF_INIT;
    (void)argc;
    if (tmpl_to_yaml(&b, args[0], 0) != 0)
        fth_buf_clear(&b);
    if (b.len && b.ptr[b.len - 1] == '\n')
        b.ptr[--b.len] = '\0';
    return ret_buf(out, call, &b);
}

static int f_tojson(struct fth_value **out, struct fth_tmpl_call *call,
                    struct fth_value *const *args, size_t argc)
{
    struct fth_buf b = FTH_BUF_INIT;
    (void)argc;
    if (to_json(&b, args[0], 0) != 0)
        fth_buf_clear(&b);
    return ret_buf(out, call, &b);
}

/* Values from sigs.k8s.io/yaml and encoding/json: every number is a float64. */
static struct fth_value *as_json_numbers(struct fth_arena *a, struct fth_value *v, size_t depth)
{
    size_t i;
    if (!v || depth > FTH_LIMIT_DEPTH * 2)
        return v;
    switch (v->type) {
    case FTH_VALUE_INT: {
        struct fth_value *f = fth_tmpl_float(a, (double)v->u.integer);
        return f ? f : v;
    }
    case FTH_VALUE_SEQ:
        for (i = 0; i < v->u.seq.len; i++)
            v->u.seq.items[i] = as_json_numbers(a, v->u.seq.items[i], depth + 1);
        return v;
    case FTH_VALUE_MAP:
        for (i = 0; i < v->u.map.len; i++) {
            struct fth_value *k = v->u.map.items[i].key;
            if (k && k->type != FTH_VALUE_STRING) {
                /* YAML keys that are not strings become their text, as YAMLToJSON does */
                struct fth_buf b = FTH_BUF_INIT;
                fth_tmpl_fmt_value(&b, k);
                v->u.map.items[i].key = fth_tmpl_str(a, b.ptr, b.len);
                fth_buf_release(&b);
            }
            v->u.map.items[i].value = as_json_numbers(a, v->u.map.items[i].value, depth + 1);
        }
        return v;
    default:
        return v;
    }
}

static int load_doc(struct fth_tmpl_call *call, const struct fth_value *text, int json,
                    struct fth_value **doc, struct fth_error *err)
{
    struct fth_load_opts opts = FTH_LOAD_OPTS_INIT;
    int error;
    opts.flags = json ? FTH_LOAD_JSON : 0;
    error = fth_value_load_one(doc, call->arena, text->u.str.ptr, text->u.str.len, &opts, err);
    if (error == 0 && *doc)
        *doc = as_json_numbers(call->arena, *doc, 0);
    return error;
}

static int from_doc(struct fth_value **out, struct fth_tmpl_call *call,
                    struct fth_value *const *args, int json, int array)
{
    struct fth_error err;
    struct fth_value *doc = NULL, *res;
    int error;
    fth_error_clear(&err);
    error = load_doc(call, args[0], json, &doc, &err);
    if (error == 0) {
        if (!doc || doc->type == FTH_VALUE_NULL) {
            return ret(out, array ? fth_tmpl_seq(call->arena, 0) : fth_tmpl_map(call->arena, 0));
        }
        if ((array && doc->type == FTH_VALUE_SEQ) || (!array && doc->type == FTH_VALUE_MAP)) {
            *out = doc;
            return 0;
        }
        fth_error_set(&err, FTH_ETYPE,
                      "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s "
                      "into Go value of type %s",
                      doc->type == FTH_VALUE_SEQ      ? "array"
                      : doc->type == FTH_VALUE_MAP    ? "object"
                      : doc->type == FTH_VALUE_STRING ? "string"
                      : doc->type == FTH_VALUE_BOOL   ? "bool"
                                                      : "number",
                      array ? "[]interface {}" : "map[string]interface {}");
    } else if (error == FTH_ENOMEM) {
        return error;
    }
    {
        struct fth_buf b = FTH_BUF_INIT;
        fth_error_format(&b, &err);
        if (array) {
            res = fth_tmpl_seq(call->arena, 1);
            if (!res ||
                fth_tmpl_seq_push(call->arena, res, fth_tmpl_str(call->arena, b.ptr, b.len)) < 0) {
                fth_buf_release(&b);
                return FTH_ENOMEM;
            }
        } else {
            res = fth_tmpl_map(call->arena, 1);
            if (!res || fth_tmpl_map_set(call->arena, res, "Error", 5,
                                         fth_tmpl_str(call->arena, b.ptr, b.len)) < 0) {
                fth_buf_release(&b);
                return FTH_ENOMEM;
            }
        }
        fth_buf_release(&b);
    }
    *out = res;
    return 0;
}

static int f_fromyaml(struct fth_value **out, struct fth_tmpl_call *call,
                      struct fth_value *const *args, size_t argc)
{
    (void)argc;
    return from_doc(out, call, args, 0, 0);
}

static int f_fromyamlarray(struct fth_value **out, struct fth_tmpl_call *call,
                           struct fth_value *const *args, size_t argc)
{
    (void)argc;
    return from_doc(out, call, args, 0, 1);
}

static int f_fromjson(struct fth_value **out, struct fth_tmpl_call *call,
                      struct fth_value *const *args, size_t argc)
{
    (void)argc;
    return from_doc(out, call, args, 1, 0);
}

static int f_fromjsonarray(struct fth_value **out, struct fth_tmpl_call *call,
                           struct fth_value *const *args, size_t argc)
{
    (void)argc;
    return from_doc(out, call, args, 1, 1);
}

/* ---- TOML (BurntSushi/toml's encoder; a reader for what charts put in TOML) ---- */

static int toml_bare(const char *s, size_t n)
{
    size_t i;
    if (!n)
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static int toml_key(struct fth_buf *out, const char *s, size_t n)
{
    if (toml_bare(s, n))
        return fth_buf_put(out, s, n);
    return fth_tmpl_quote(out, s, n);
}

static int toml_scalar(struct fth_buf *out, const struct fth_value *v, size_t depth);

static int is_table(const struct fth_value *v)
{
    return v && v->type == FTH_VALUE_MAP;
}

static int is_table_array(const struct fth_value *v)
{
    size_t i;
    if (!v || v->type != FTH_VALUE_SEQ || !v->u.seq.len)
        return 0;
    for (i = 0; i < v->u.seq.len; i++)
        if (!is_table(v->u.seq.items[i]))
            return 0;
    return 1;
}

static int toml_scalar(struct fth_buf *out, const struct fth_value *v, size_t depth)
{
    size_t i;
    if (depth > FTH_LIMIT_DEPTH * 2 || out->len > FTH_LIMIT_TMPL_OUTPUT)
        return FTH_ELIMIT;
    if (!v || v->type == FTH_VALUE_NULL)
        return FTH_ETYPE;
    switch (v->type) {
    case FTH_VALUE_BOOL:
        return fth_buf_puts(out, v->u.boolean ? "true" : "false");
    case FTH_VALUE_INT:
        return fth_buf_printf(out, "%lld", (long long)v->u.integer);
    case FTH_VALUE_FLOAT: {
        struct fth_buf b = FTH_BUF_INIT;
        if (isnan(v->u.number))
            return fth_buf_puts(out, "nan");
        if (isinf(v->u.number))
            return fth_buf_puts(out, v->u.number > 0 ? "inf" : "-inf");
        fth_tmpl_format_float(&b, v->u.number, 'f', -1);
        fth_buf_put(out, b.ptr, b.len);
        if (!memchr(b.ptr, '.', b.len))
            fth_buf_puts(out, ".0");
        fth_buf_release(&b);
        return 0;
    }
    case FTH_VALUE_STRING:
        return fth_tmpl_quote(out, v->u.str.ptr, v->u.str.len);
    case FTH_VALUE_SEQ: {
        int r = 0;
        fth_buf_putc(out, '[');
        for (i = 0; i < v->u.seq.len && r == 0; i++) {
            if (i)
                fth_buf_puts(out, ", ");
            r = toml_scalar(out, v->u.seq.items[i], depth + 1);
        }
        return r ? r : fth_buf_putc(out, ']');
    }
    case FTH_VALUE_MAP: {
        struct fth_member *m = sorted(v, cmp_str_members);
        int r = 0;
        if (!m)
            return FTH_ENOMEM;
        fth_buf_putc(out, '{');
        for (i = 0; i < v->u.map.len && r == 0; i++) {
            if (i)
                fth_buf_puts(out, ", ");
            toml_key(out, m[i].key->u.str.ptr, m[i].key->u.str.len);
            fth_buf_puts(out, " = ");
            r = toml_scalar(out, m[i].value, depth + 1);
        }
        free(m);
        return r ? r : fth_buf_putc(out, '}');
    }
    default:
        return FTH_ETYPE;
    }
}

struct tpath {
    const struct fth_value *keys[64];
    size_t n;
};

static int toml_table(struct fth_buf *out, const struct fth_value *v, struct tpath *path,
                      int array_item);

static int toml_header(struct fth_buf *out, struct tpath *path, int array)
{
    size_t i;
    if (out->len)
        fth_buf_putc(out, '\n');
    for (i = 1; i < path->n; i++)
        fth_buf_puts(out, "  ");
    fth_buf_puts(out, array ? "[[" : "[");
    for (i = 0; i < path->n; i++) {
        if (i)
            fth_buf_putc(out, '.');
        toml_key(out, path->keys[i]->u.str.ptr, path->keys[i]->u.str.len);
    }
    return fth_buf_puts(out, array ? "]]\n" : "]\n");
}

static int toml_table(struct fth_buf *out, const struct fth_value *v, struct tpath *path,
                      int array_item)
{
    struct fth_member *m = sorted(v, cmp_str_members);
    size_t i, k;
    int r = 0;
    (void)array_item;
    if (!m)
        return FTH_ENOMEM;
    if (path->n >= 64 || out->len > FTH_LIMIT_TMPL_OUTPUT) {
        free(m);
        return FTH_ELIMIT;
    }
    for (i = 0; i < v->u.map.len && r == 0; i++) {
        const struct fth_value *x = m[i].value;
        if (!x || x->type == FTH_VALUE_NULL || is_table(x) || is_table_array(x))
            continue;
        for (k = 0; k < path->n; k++)
            fth_buf_puts(out, "  ");
        toml_key(out, m[i].key->u.str.ptr, m[i].key->u.str.len);
        fth_buf_puts(out, " = ");
        r = toml_scalar(out, x, 0);
        fth_buf_putc(out, '\n');
    }
    for (i = 0; i < v->u.map.len && r == 0; i++) {
        const struct fth_value *x = m[i].value;
        if (is_table(x)) {
            path->keys[path->n++] = m[i].key;
            toml_header(out, path, 0);
            r = toml_table(out, x, path, 0);
            path->n--;
        } else if (is_table_array(x)) {
            path->keys[path->n++] = m[i].key;
            for (k = 0; k < x->u.seq.len && r == 0; k++) {
                toml_header(out, path, 1);
                r = toml_table(out, x->u.seq.items[k], path, 1);
            }
            path->n--;
        }
    }
    free(m);
    return r;
}

static int f_totoml(struct fth_value **out, struct fth_tmpl_call *call,
                    struct fth_value *const *args, size_t argc)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct tpath path;
    int r;
    (void)argc;
    path.n = 0;
    if (!args[0] || args[0]->type != FTH_VALUE_MAP) {
        fth_buf_puts(&b, "toml: top-level values must be Go maps or structs");
        return ret_buf(out, call, &b);
    }
    r = toml_table(&b, args[0], &path, 0);
    if (r == FTH_ENOMEM) {
        fth_buf_release(&b);
        return r;
    }
    if (r < 0) {
        fth_buf_clear(&b);
        fth_buf_puts(&b, "toml: cannot encode a nil value");
    }
    return ret_buf(out, call, &b);
}

/* The TOML reader: key = value lines, [tables], [[arrays of tables]], comments, basic and
 * literal strings, integers, floats, booleans and one-line arrays and inline tables. */
struct treader {
    const char *s;
    size_t n, i;
    unsigned line;
    struct fth_arena *a;
    char err[160];
};

static void tskip_ws(struct treader *r)
{
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t'))
        r->i++;
}

static int terr(struct treader *r, const char *msg)
{
    if (!r->err[0])
        snprintf(r->err, sizeof(r->err), "toml: line %u: %s", r->line, msg);
    return -1;
}

static int tkey(struct treader *r, struct fth_buf *k)
{
    tskip_ws(r);
    if (r->i < r->n && (r->s[r->i] == '"' || r->s[r->i] == '\'')) {
        char q = r->s[r->i];
        size_t st = r->i++;
        while (r->i < r->n && r->s[r->i] != q && r->s[r->i] != '\n') {
            if (q == '"' && r->s[r->i] == '\\')
                r->i++;
            r->i++;
        }
        if (r->i >= r->n || r->s[r->i] != q)
            return terr(r, "unterminated key");
        r->i++;
        if (q == '\'')
            return fth_buf_put(k, r->s + st + 1, r->i - st - 2);
        return tmpl_unquote(k, r->s + st, r->i - st) < 0 ? terr(r, "bad key") : 0;
    }
    {
        size_t st = r->i;
        while (r->i < r->n && toml_bare(r->s + r->i, 1))
            r->i++;
        if (r->i == st)
            return terr(r, "expected a key");
        return fth_buf_put(k, r->s + st, r->i - st);
    }
}

static struct fth_value *tvalue(struct treader *r, size_t depth);

static struct fth_value *tvalue(struct treader *r, size_t depth)
{
    char c;
    tskip_ws(r);
    if (r->i >= r->n || depth > 64) {
        terr(r, "expected a value");
        return NULL;
    }
    c = r->s[r->i];
    if (c == '"' || c == '\'') {
        struct fth_buf b = FTH_BUF_INIT;
        struct fth_value *v;
        size_t st = r->i++;
        while (r->i < r->n && r->s[r->i] != c && r->s[r->i] != '\n') {
            if (c == '"' && r->s[r->i] == '\\')
                r->i++;
            r->i++;
        }
        if (r->i >= r->n || r->s[r->i] != c) {
            terr(r, "unterminated string");
            return NULL;
        }
        r->i++;
        if (c == '\'')
            fth_buf_put(&b, r->s + st + 1, r->i - st - 2);
        else if (tmpl_unquote(&b, r->s + st, r->i - st) < 0) {
            fth_buf_release(&b);
            terr(r, "invalid escape in string");
            return NULL;
        }
        v = fth_tmpl_str(r->a, b.ptr, b.len);
        fth_buf_release(&b);
        return v;
    }
    if (c == '[') {
        struct fth_value *seq = fth_tmpl_seq(r->a, 0);
        r->i++;
        for (;;) {
            struct fth_value *item;
            while (r->i < r->n && strchr(" \t\r\n", r->s[r->i])) {
                if (r->s[r->i] == '\n')
                    r->line++;
                r->i++;
            }
            if (r->i < r->n && r->s[r->i] == ']') {
                r->i++;
                return seq;
            }
            item = tvalue(r, depth + 1);
            if (!item || !seq || fth_tmpl_seq_push(r->a, seq, item) < 0)
                return NULL;
            while (r->i < r->n && strchr(" \t\r\n", r->s[r->i])) {
                if (r->s[r->i] == '\n')
                    r->line++;
                r->i++;
            }
            if (r->i < r->n && r->s[r->i] == ',') {
                r->i++;
                continue;
            }
            if (r->i < r->n && r->s[r->i] == ']') {
                r->i++;
                return seq;
            }
            terr(r, "expected ',' or ']' in array");
            return NULL;
        }
    }
    if (c == '{') {
        struct fth_value *map = fth_tmpl_map(r->a, 0);
        r->i++;
        tskip_ws(r);
        if (r->i < r->n && r->s[r->i] == '}') {
            r->i++;
            return map;
        }
        for (;;) {
            struct fth_buf k = FTH_BUF_INIT;
            struct fth_value *v;
            if (tkey(r, &k) < 0) {
                fth_buf_release(&k);
                return NULL;
            }
            tskip_ws(r);
            if (r->i >= r->n || r->s[r->i] != '=') {
                fth_buf_release(&k);
                terr(r, "expected '='");
                return NULL;
            }
            r->i++;
            v = tvalue(r, depth + 1);
            if (!v || !map || fth_tmpl_map_set(r->a, map, k.ptr, k.len, v) < 0) {
                fth_buf_release(&k);
                return NULL;
            }
            fth_buf_release(&k);
            tskip_ws(r);
            if (r->i < r->n && r->s[r->i] == ',') {
                r->i++;
                continue;
            }
            if (r->i < r->n && r->s[r->i] == '}') {
                r->i++;
                return map;
            }
            terr(r, "expected ',' or '}' in inline table");
            return NULL;
        }
    }
    {
        size_t st = r->i;
        char tok[128];
        size_t len, k, j = 0;
        char *end;
        while (r->i < r->n && !strchr(" \t\r\n,]}#", r->s[r->i]))
            r->i++;
        len = r->i - st;
        if (!len || len >= sizeof(tok)) {
            terr(r, "bad value");
            return NULL;
        }
        for (k = 0; k < len; k++)
            if (r->s[st + k] != '_')
                tok[j++] = r->s[st + k];
        tok[j] = 0;
        if (!strcmp(tok, "true") || !strcmp(tok, "false"))
            return fth_tmpl_bool(r->a, tok[0] == 't');
        if (!strcmp(tok, "inf") || !strcmp(tok, "+inf") || !strcmp(tok, "-inf"))
            return fth_tmpl_float(r->a, tok[0] == '-' ? -INFINITY : INFINITY);
        if (!strcmp(tok, "nan") || !strcmp(tok, "+nan") || !strcmp(tok, "-nan"))
            return fth_tmpl_float(r->a, NAN);
        if (!strpbrk(tok, ".eE") ||
            (tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'o' || tok[1] == 'b'))) {
            long long iv;
            int base = 10;
            const char *p = tok;
            if (tok[0] == '0' && tok[1] == 'x')
                base = 16, p = tok + 2;
            else if (tok[0] == '0' && tok[1] == 'o')
                base = 8, p = tok + 2;
            else if (tok[0] == '0' && tok[1] == 'b')
                base = 2, p = tok + 2;
            iv = strtoll(p, &end, base);
            if (*end || end == p) {
                terr(r, "bad value");
                return NULL;
            }
            return fth_tmpl_int64(r->a, iv);
        }
        {
            double d = strtod(tok, &end);
            if (*end) {
                terr(r, "bad value");
                return NULL;
            }
            return fth_tmpl_float(r->a, d);
        }
    }
}

/* The table at a dotted path, made as needed; arrays of tables give their last element. */
static struct fth_value *tdescend(struct treader *r, struct fth_value *root, struct fth_buf *keys,
                                  size_t nkeys, int array_last)
{
    struct fth_value *cur = root;
    size_t i;
    const char *p = keys->ptr;
    for (i = 0; i < nkeys; i++) {
        size_t kl = strlen(p);
        struct fth_value *nx = fth_tmpl_map_get(cur, p, kl);
        if (i == nkeys - 1 && array_last) {
            struct fth_value *t = fth_tmpl_map(r->a, 0);
            if (!nx) {
                nx = fth_tmpl_seq(r->a, 0);
                if (!nx || fth_tmpl_map_set(r->a, cur, p, kl, nx) < 0)
                    return NULL;
            }
            if (nx->type != FTH_VALUE_SEQ || !t || fth_tmpl_seq_push(r->a, nx, t) < 0) {
                terr(r, "key is not an array of tables");
                return NULL;
            }
            return t;
        }
        if (!nx) {
            nx = fth_tmpl_map(r->a, 0);
            if (!nx || fth_tmpl_map_set(r->a, cur, p, kl, nx) < 0)
                return NULL;
        }
        if (nx->type == FTH_VALUE_SEQ && nx->u.seq.len)
            nx = nx->u.seq.items[nx->u.seq.len - 1];
        if (nx->type != FTH_VALUE_MAP) {
            terr(r, "key is not a table");
            return NULL;
        }
        cur = nx;
        p += kl + 1;
    }
    return cur;
}

static int read_toml(struct treader *r, struct fth_value *root)
{
    struct fth_value *cur = root;
    while (r->i < r->n) {
        struct fth_buf keys = FTH_BUF_INIT;
        size_t nkeys = 0;
        tskip_ws(r);
        if (r->i >= r->n)
            break;
        if (r->s[r->i] == '\n' || r->s[r->i] == '\r' || r->s[r->i] == '#') {
            while (r->i < r->n && r->s[r->i] != '\n')
                r->i++;
            if (r->i < r->n) {
                r->i++;
                r->line++;
            }
            continue;
        }
        if (r->s[r->i] == '[') {
            int arr = r->i + 1 < r->n && r->s[r->i + 1] == '[';
            r->i += arr ? 2 : 1;
            for (;;) {
                if (tkey(r, &keys) < 0 || fth_buf_putc(&keys, '\0') < 0) {
                    fth_buf_release(&keys);
                    return -1;
                }
                nkeys++;
                tskip_ws(r);
                if (r->i < r->n && r->s[r->i] == '.') {
                    r->i++;
                    continue;
                }
                break;
            }
            if (r->i >= r->n || r->s[r->i] != ']' ||
                (arr && (r->i + 1 >= r->n || r->s[r->i + 1] != ']'))) {
                fth_buf_release(&keys);
                return terr(r, "expected ']' after table name");
            }
            r->i += arr ? 2 : 1;
            cur = tdescend(r, root, &keys, nkeys, arr);
            fth_buf_release(&keys);
            if (!cur)
                return -1;
        } else {
            struct fth_value *tbl, *v;
            size_t last;
            for (;;) {
                if (tkey(r, &keys) < 0 || fth_buf_putc(&keys, '\0') < 0) {
                    fth_buf_release(&keys);
                    return -1;
                }
                nkeys++;
                tskip_ws(r);
                if (r->i < r->n && r->s[r->i] == '.') {
                    r->i++;
                    continue;
                }
                break;
            }
            if (r->i >= r->n || r->s[r->i] != '=') {
                fth_buf_release(&keys);
                return terr(r, "expected '=' after a key");
            }
            r->i++;
            v = tvalue(r, 0);
            if (!v) {
                fth_buf_release(&keys);
                return -1;
            }
            /* the last key names the value; the ones before are tables */
            last = keys.len - 1;
            while (last > 0 && keys.ptr[last - 1] != '\0')
                last--;
            tbl = nkeys > 1 ? tdescend(r, cur, &keys, nkeys - 1, 0) : cur;
            if (!tbl || fth_tmpl_map_get(tbl, keys.ptr + last, strlen(keys.ptr + last))) {
                fth_buf_release(&keys);
                return tbl ? terr(r, "key defined twice") : -1;
            }
            if (fth_tmpl_map_set(r->a, tbl, keys.ptr + last, strlen(keys.ptr + last), v) < 0) {
                fth_buf_release(&keys);
                return -1;
            }
            fth_buf_release(&keys);
        }
        tskip_ws(r);
        if (r->i < r->n && r->s[r->i] == '#')
            while (r->i < r->n && r->s[r->i] != '\n')
                r->i++;
        if (r->i < r->n && r->s[r->i] == '\r')
            r->i++;
        if (r->i < r->n && r->s[r->i] != '\n')
            return terr(r, "expected a newline after a value");
    }
    return 0;
}

static int f_fromtoml(struct fth_value **out, struct fth_tmpl_call *call,
                      struct fth_value *const *args, size_t argc)
{
    struct treader r;
    struct fth_value *m = fth_tmpl_map(call->arena, 0);
    (void)argc;
    if (!m)
        return FTH_ENOMEM;
    memset(&r, 0, sizeof(r));
    r.s = args[0]->u.str.ptr;
    r.n = args[0]->u.str.len;
    r.line = 1;
    r.a = call->arena;
    if (read_toml(&r, m) < 0) {
        m = fth_tmpl_map(call->arena, 1);
        if (!m || fth_tmpl_map_set(call->arena, m, "Error", 5,
                                   fth_tmpl_str(call->arena, r.err, strlen(r.err))) < 0)
            return FTH_ENOMEM;
    }
    *out = m;
    return 0;
}

const struct fth_tmpl_func tmpl_helm_funcs[] = {
    {"include", "sa", f_include, NULL},
    {"tpl", "sa", f_tpl, NULL},
    {"required", "sa", f_required, NULL},
    {"fail", "s", f_fail, NULL},
    {"lookup", "ssss", f_lookup, NULL},
    {"getHostByName", "s", f_gethostbyname, NULL},
    {"toYaml", "a", f_toyaml, NULL},
    {"toYamlPretty", "a", f_toyamlpretty, NULL},
    {"fromYaml", "s", f_fromyaml, NULL},
    {"fromYamlArray", "s", f_fromyamlarray, NULL},
    {"toJson", "a", f_tojson, NULL},
    {"fromJson", "s", f_fromjson, NULL},
    {"fromJsonArray", "s", f_fromjsonarray, NULL},
    {"toToml", "a", f_totoml, NULL},
    {"fromToml", "s", f_fromtoml, NULL},
    /* Helm deletes these two from Sprig's map */
    {"env", "s", NULL, NULL},
    {"expandenv", "s", NULL, NULL},
    {NULL, NULL, NULL, NULL},
};
