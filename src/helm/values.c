/*
 * Chart values as Helm 3 builds them: YAML files whose numbers become float64 (sigs.k8s.io/yaml
 * goes through JSON), the `--set` family parsed with the semantics of Helm's pkg/strvals, and
 * chartutil's coalescing of user values with chart defaults. Values are template values
 * (fth_tmpl_*): maps keyed by strings, so the engine can use them directly.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "fathom/tmpl.h"
#include "helm_int.h"

#define SV_EOF 1 /* the parser reached the end of its input (Go's io.EOF) */

struct sv {
    struct fth_arena *a;
    const char *s;
    size_t len, pos;
    enum fth_helm_set_kind kind;
    fth_helm_file_reader reader;
    void *reader_data;
    char msg[512];
};

static int sv_fail(struct sv *p, const char *fmt, ...) FTH_PRINTF(2, 3);
static int sv_fail(struct sv *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
    va_end(ap);
    return FTH_EINVALID;
}

/* Go's %q of a plain string (enough for keys: printable ASCII stays, the rest is escaped). */
static const char *goquote(struct fth_arena *a, const char *s, size_t n)
{
    struct fth_buf b;
    const char *r;
    fth_buf_init(&b);
    if (fth_tmpl_quote(&b, s, n) < 0) {
        fth_buf_release(&b);
        return "\"\"";
    }
    r = fth_arena_strndup(a, b.ptr, b.len);
    fth_buf_release(&b);
    return r ? r : "\"\"";
}

/* Go's name of a value's dynamic type in a failed interface conversion. */
static const char *conv_name(const struct fth_value *v)
{
    if (!v || v->type == FTH_VALUE_NULL)
        return "nil";
    return fth_tmpl_type_name(v);
}

/*
 * Read up to a stop byte; `\` escapes the next byte unless literal. *out is the key, *last the
 * stop byte. Returns 0, or SV_EOF at the end of input (with what was read so far).
 */
static int until(struct sv *p, const char *stop, int literal, const char **out, size_t *olen,
                 char *last)
{
    size_t start = p->pos, end = p->pos, n = 0;
    char *buf;
    int rc = SV_EOF;

    *last = 0;
    /* find the extent first, so memory follows what is consumed, not what is left */
    while (end < p->len) {
        char c = p->s[end];
        if (c && strchr(stop, c)) {
            *last = c;
            rc = 0;
            break;
        }
        if (c == '\\' && !literal && end + 1 < p->len)
            end++;
        end++;
    }
    if (!(buf = fth_arena_alloc(p->a, end - start + 1)))
        return FTH_ENOMEM;
    while (p->pos < end) {
        char c = p->s[p->pos++];
        if (c == '\\' && !literal) {
            if (p->pos >= p->len)
                break;
            c = p->s[p->pos++];
        }
        buf[n++] = c;
    }
    if (rc == 0)
        p->pos++; /* the stop byte */
    else if (p->pos < p->len)
        p->pos = p->len; /* a trailing lone backslash */
    buf[n] = 0;
    *out = buf;
    *olen = n;
    return rc;
}

/* strvals' typedVal: true/false/null (any case), 0 and ints without a leading 0 as int64. */
static struct fth_value *typed(struct fth_arena *a, const char *s, size_t n, int as_string)
{
    if (!as_string) {
        if (n == 4 && !strncasecmp(s, "true", 4))
            return fth_tmpl_bool(a, 1);
        if (n == 5 && !strncasecmp(s, "false", 5))
            return fth_tmpl_bool(a, 0);
        if (n == 4 && !strncasecmp(s, "null", 4))
            return fth_tmpl_null(a);
        if (n == 1 && s[0] == '0')
            return fth_tmpl_int64(a, 0);
        if (n && s[0] != '0') {
            char *end;
            long long v;
            errno = 0;
            v = strtoll(s, &end, 10);
            /* Go's ParseInt: optional sign, decimal digits only, no spaces */
            if (!errno && end == s + n &&
                !(s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\v' || s[0] == '\f' ||
                  s[0] == '\r')) {
                size_t i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
                if (i < n && s[i] >= '0' && s[i] <= '9')
                    return fth_tmpl_int64(a, v);
            }
        }
    }
    return fth_tmpl_str(a, s, n);
}

static int read_value(struct fth_value **out, struct sv *p, const char *s, size_t n)
{
    if (p->kind == FTH_HELM_SET_FILE) {
        char *path = fth_arena_strndup(p->a, s, n);
        const char *data = NULL;
        size_t len = 0;
        int error;
        if (!path)
            return FTH_ENOMEM;
        if (!p->reader)
            return sv_fail(p, "open %s: no such file or directory", path);
        if ((error = p->reader(&data, &len, path, p->reader_data, p->msg, sizeof(p->msg))) < 0)
            return error;
        *out = fth_tmpl_str(p->a, data, len);
    } else {
        *out = typed(p->a, s, n, p->kind == FTH_HELM_SET_STRING);
    }
    return *out ? 0 : FTH_ENOMEM;
}

static int set_key(struct sv *p, struct fth_value *data, const char *k, size_t n,
                   struct fth_value *v)
{
    if (!n)
        return 0; /* strvals' set: an empty key is not set */
    return fth_tmpl_map_set(p->a, data, k, n, v) < 0 ? FTH_ENOMEM : 0;
}

/* setIndex: in place, as Go's (it shares the backing array too); grows with nils. */
static int set_index(struct fth_value **out, struct sv *p, struct fth_value *list, long idx,
                     struct fth_value *v)
{
    if (idx < 0)
        return sv_fail(p, "negative %ld index not allowed", idx);
    if (idx > FTH_LIMIT_STRVALS_INDEX)
        return sv_fail(p, "index of %ld is greater than maximum supported index of %d", idx,
                       FTH_LIMIT_STRVALS_INDEX);
    if (!list && !(list = fth_tmpl_seq(p->a, (size_t)idx + 1)))
        return FTH_ENOMEM;
    while (list->u.seq.len <= (size_t)idx) {
        struct fth_value *nil = fth_tmpl_null(p->a);
        if (!nil || fth_tmpl_seq_push(p->a, list, nil) < 0)
            return FTH_ENOMEM;
    }
    list->u.seq.items[idx] = v;
    *out = list;
    return 0;
}

static int key_index(long *out, struct sv *p, int literal)
{
    const char *k;
    size_t n, i = 0;
    char last;
    int rc = until(p, "]", literal, &k, &n, &last);
    long v = 0;
    int neg = 0;

    if (rc == SV_EOF)
        return sv_fail(p, "error parsing index: EOF");
    if (rc)
        return rc;
    /* strconv.Atoi */
    if (n && (k[0] == '+' || k[0] == '-')) {
        neg = k[0] == '-';
        i = 1;
    }
    if (i >= n)
        return sv_fail(p, "error parsing index: strconv.Atoi: parsing %s: invalid syntax",
                       goquote(p->a, k, n));
    for (; i < n; i++) {
        if (k[i] < '0' || k[i] > '9')
            return sv_fail(p, "error parsing index: strconv.Atoi: parsing %s: invalid syntax",
                           goquote(p->a, k, n));
        if (v > (long)1e15)
            return sv_fail(p, "error parsing index: strconv.Atoi: parsing %s: value out of range",
                           goquote(p->a, k, n));
        v = v * 10 + (k[i] - '0');
    }
    *out = neg ? -v : v;
    return 0;
}

/* Skip blanks and one comma: 1 when the value is empty (a comma or the end came first). */
static int empty_val(struct sv *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c == ',') {
            p->pos++;
            return 1;
        }
        if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'))
            return 0;
        p->pos++;
    }
    return 1;
}

/* The end of the JSON value starting at s[0..n): strings, brackets and scalars. */
static size_t json_extent(const char *s, size_t n)
{
    size_t i = 0, depth = 0;
    int instr = 0;

    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    for (; i < n; i++) {
        char c = s[i];
        if (instr) {
            if (c == '\\')
                i++;
            else if (c == '"') {
                instr = 0;
                if (!depth)
                    return i + 1;
            }
            continue;
        }
        if (c == '"')
            instr = 1;
        else if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']') {
            if (!depth)
                return i;
            if (!--depth)
                return i + 1;
        } else if (!depth && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r'))
            return i;
    }
    return n;
}

static int json_val(struct fth_value **out, struct sv *p)
{
    size_t n = json_extent(p->s + p->pos, p->len - p->pos);
    struct fth_value *raw = NULL;
    struct fth_load_opts lo = FTH_LOAD_OPTS_INIT;
    struct fth_error e;
    int error;

    lo.flags = FTH_LOAD_JSON;
    lo.name = "--set-json";
    if (!n || (error = fth_value_load_one(&raw, p->a, p->s + p->pos, n, &lo, &e)) < 0)
        return sv_fail(p, "invalid JSON value");
    p->pos += n;
    if ((error = fth_helm_values_from_yaml(out, p->a, raw, 0)) < 0)
        return error;
    empty_val(p);
    return 0;
}

/* valList: `{a,b}` (0), not a list (1), or an error. */
static int val_list(struct fth_value **out, struct sv *p)
{
    struct fth_value *list;
    if (p->pos >= p->len)
        return SV_EOF;
    if (p->s[p->pos] != '{')
        return 2;
    p->pos++;
    if (!(list = fth_tmpl_seq(p->a, 4)))
        return FTH_ENOMEM;
    for (;;) {
        const char *k;
        size_t n;
        char last;
        struct fth_value *v;
        int rc = until(p, ",}", 0, &k, &n, &last), error;
        if (rc == SV_EOF)
            return sv_fail(p, "list must terminate with '}'");
        if (rc < 0)
            return rc;
        if ((error = read_value(&v, p, k, n)) < 0)
            return error;
        if (fth_tmpl_seq_push(p->a, list, v) < 0)
            return FTH_ENOMEM;
        if (last == '}') {
            if (p->pos < p->len && p->s[p->pos] == ',')
                p->pos++;
            *out = list;
            return 0;
        }
    }
}

/* After `=`: the value of a key or list item, by the parser's kind. */
static int value_after_eq(struct fth_value **out, struct sv *p)
{
    const char *k;
    size_t n;
    char last;
    int rc, error;

    if (p->kind == FTH_HELM_SET_LITERAL) {
        until(p, "", 1, &k, &n, &last);
        *out = fth_tmpl_str(p->a, k, n);
        return *out ? 0 : FTH_ENOMEM;
    }
    if (p->kind == FTH_HELM_SET_JSON) {
        if (empty_val(p)) {
            *out = fth_tmpl_null(p->a);
            return *out ? 0 : FTH_ENOMEM;
        }
        return json_val(out, p);
    }
    rc = val_list(out, p);
    if (rc == 0 || rc < 0)
        return rc;
    if (rc == SV_EOF) {
        *out = fth_tmpl_str(p->a, "", 0);
        return *out ? SV_EOF : FTH_ENOMEM;
    }
    rc = until(p, ",", 0, &k, &n, &last);
    if (rc < 0)
        return rc;
    /* the reader's result decides, as in Go (the end of input is not reported here) */
    error = read_value(out, p, k, n);
    return error < 0 ? error : 0;
}

static int parse_key(struct sv *p, struct fth_value *data, int level);

static int list_item(struct fth_value **out, struct sv *p, struct fth_value *list, long i,
                     int level)
{
    const char *k;
    size_t n;
    char last;
    int literal = p->kind == FTH_HELM_SET_LITERAL;
    int rc, error;

    *out = list;
    if (i < 0)
        return sv_fail(p, "negative %ld index not allowed", i);
    rc = until(p, "[.=", literal, &k, &n, &last);
    if (n)
        return sv_fail(p, "unexpected data at end of array index: %s", goquote(p->a, k, n));
    if (rc)
        return rc;
    if (last == '=') {
        struct fth_value *v = NULL;
        rc = value_after_eq(&v, p);
        if (rc < 0)
            return rc;
        if ((error = set_index(out, p, list, i, v)) < 0)
            return error;
        return rc == SV_EOF && p->kind != FTH_HELM_SET_LITERAL ? 0 : 0;
    }
    if (last == '[') {
        long next;
        struct fth_value *cur = NULL, *l2;
        if ((rc = key_index(&next, p, literal)) != 0)
            return rc;
        if (list && (size_t)i < list->u.seq.len) {
            struct fth_value *ex = list->u.seq.items[i];
            if (ex && ex->type != FTH_VALUE_NULL) {
                if (ex->type != FTH_VALUE_SEQ)
                    return sv_fail(p,
                                   "unable to parse key: interface conversion: interface {} is "
                                   "%s, not []interface {}",
                                   conv_name(ex));
                cur = ex;
            }
        }
        if ((error = list_item(&l2, p, cur, next, level)) != 0)
            return error;
        return set_index(out, p, list, i, l2);
    }
    /* '.': a map inside the list */
    {
        struct fth_value *inner = NULL;
        if (list && (size_t)i < list->u.seq.len) {
            inner = list->u.seq.items[i];
            if (!inner || inner->type != FTH_VALUE_MAP)
                inner = NULL;
        }
        if (!inner && !(inner = fth_tmpl_map(p->a, 4)))
            return FTH_ENOMEM;
        if ((error = parse_key(p, inner, level)) != 0)
            return error;
        return set_index(out, p, list, i, inner);
    }
}

static int parse_key(struct sv *p, struct fth_value *data, int level)
{
    const char *k;
    size_t n;
    char last;
    int literal = p->kind == FTH_HELM_SET_LITERAL;
    int rc, error;
    struct fth_value *v;

    rc = until(p, literal ? "=[." : "=[,.", literal, &k, &n, &last);
    if (rc < 0)
        return rc;
    if (rc == SV_EOF) {
        if (!n || literal)
            return SV_EOF;
        return sv_fail(p, "key %s has no value", goquote(p->a, k, n));
    }
    switch (last) {
    case '[': {
        long idx;
        struct fth_value *list = NULL, *ex;
        if ((rc = key_index(&idx, p, literal)) != 0)
            return rc;
        if ((ex = fth_tmpl_map_get(data, k, n))) {
            if (ex->type != FTH_VALUE_SEQ)
                return sv_fail(p,
                               "unable to parse key: interface conversion: interface {} is %s, "
                               "not []interface {}",
                               conv_name(ex));
            list = ex;
        }
        rc = list_item(&v, p, list, idx, level);
        if (rc < 0 && rc != FTH_EINVALID)
            return rc;
        if (v && set_key(p, data, k, n, v) < 0)
            return FTH_ENOMEM;
        if (!v && (error = set_key(p, data, k, n, fth_tmpl_seq(p->a, 0))) < 0)
            return error;
        return rc;
    }
    case '=':
        rc = value_after_eq(&v, p);
        if (rc < 0)
            return rc;
        if (set_key(p, data, k, n, v) < 0)
            return FTH_ENOMEM;
        return rc;
    case ',':
        if (set_key(p, data, k, n, fth_tmpl_str(p->a, "", 0)) < 0)
            return FTH_ENOMEM;
        return sv_fail(p, "key %s has no value (cannot end with ,)", goquote(p->a, k, n));
    default: { /* '.' */
        struct fth_value *inner = NULL, *ex;
        if (++level > FTH_LIMIT_STRVALS_NESTING)
            return sv_fail(p,
                           "value name nested level is greater than maximum supported nested "
                           "level of %d",
                           FTH_LIMIT_STRVALS_NESTING);
        if ((ex = fth_tmpl_map_get(data, k, n))) {
            if (ex->type != FTH_VALUE_MAP || fth_tmpl_ext_of(ex))
                return sv_fail(p,
                               "unable to parse key: interface conversion: interface {} is %s, "
                               "not map[string]interface {}",
                               conv_name(ex));
            inner = ex;
        } else if (!(inner = fth_tmpl_map(p->a, 4))) {
            return FTH_ENOMEM;
        }
        rc = parse_key(p, inner, level);
        if (rc < 0 && rc != FTH_EINVALID)
            return rc;
        if (rc == 0 && inner->u.map.len == 0)
            return sv_fail(p, "key map %s has no value", goquote(p->a, k, n));
        if (inner->u.map.len && set_key(p, data, k, n, inner) < 0)
            return FTH_ENOMEM;
        return rc;
    }
    }
}

int fth_helm_strvals_parse(struct fth_value *dest, struct fth_arena *a, enum fth_helm_set_kind kind,
                           const char *s, size_t len, fth_helm_file_reader reader,
                           void *reader_data, struct fth_error *err)
{
    struct sv p;
    int rc;

    memset(&p, 0, sizeof(p));
    p.a = a;
    p.s = s;
    p.len = len;
    p.kind = kind;
    p.reader = reader;
    p.reader_data = reader_data;
    if (!dest || dest->type != FTH_VALUE_MAP)
        return fth_error_set(err, FTH_EINVALID, "strvals: destination is not a map");
    if (len > FTH_LIMIT_STRVALS_SIZE)
        return fth_error_set(err, FTH_ELIMIT, "value longer than %zu bytes (limit)",
                             (size_t)FTH_LIMIT_STRVALS_SIZE);
    do
        rc = parse_key(&p, dest, 0);
    while (rc == 0);
    if (rc == SV_EOF)
        return 0;
    if (rc == FTH_ENOMEM)
        return fth_error_set(err, rc, "out of memory");
    return fth_error_set(err, rc, "%s", p.msg[0] ? p.msg : "invalid value");
}

/* ---- YAML values ---- */

static int key_text(struct fth_buf *b, const struct fth_value *k)
{
    switch (k ? k->type : FTH_VALUE_NULL) {
    case FTH_VALUE_STRING:
        return fth_buf_put(b, k->u.str.ptr, k->u.str.len);
    case FTH_VALUE_BOOL:
        return fth_buf_puts(b, k->u.boolean ? "true" : "false");
    case FTH_VALUE_INT:
        return fth_buf_printf(b, "%lld", (long long)k->u.integer);
    case FTH_VALUE_FLOAT:
        return fth_format_float(b, k->u.number);
    case FTH_VALUE_NULL:
        return fth_buf_puts(b, "null");
    default:
        return FTH_EINVALID;
    }
}

int fth_helm_values_from_yaml(struct fth_value **out, struct fth_arena *a,
                              const struct fth_value *v, unsigned depth)
{
    size_t i;
    int error;

    *out = NULL;
    if (depth > FTH_LIMIT_DEPTH)
        return FTH_ELIMIT;
    switch (v ? v->type : FTH_VALUE_NULL) {
    case FTH_VALUE_NULL:
        *out = fth_tmpl_null(a);
        break;
    case FTH_VALUE_BOOL:
        *out = fth_tmpl_bool(a, v->u.boolean);
        break;
    case FTH_VALUE_INT:
        *out = fth_tmpl_float(a, (double)v->u.integer);
        break;
    case FTH_VALUE_FLOAT:
        *out = fth_tmpl_float(a, v->u.number);
        break;
    case FTH_VALUE_STRING:
        *out = fth_tmpl_str(a, v->u.str.ptr, v->u.str.len);
        break;
    case FTH_VALUE_SEQ:
        if (!(*out = fth_tmpl_seq(a, v->u.seq.len)))
            return FTH_ENOMEM;
        for (i = 0; i < v->u.seq.len; i++) {
            struct fth_value *c;
            if ((error = fth_helm_values_from_yaml(&c, a, v->u.seq.items[i], depth + 1)) < 0)
                return error;
            if (fth_tmpl_seq_push(a, *out, c) < 0)
                return FTH_ENOMEM;
        }
        break;
    case FTH_VALUE_MAP: {
        struct fth_buf kb;
        if (!(*out = fth_tmpl_map(a, v->u.map.len)))
            return FTH_ENOMEM;
        fth_buf_init(&kb);
        for (i = 0; i < v->u.map.len; i++) {
            struct fth_value *c;
            fth_buf_clear(&kb);
            if ((error = key_text(&kb, v->u.map.items[i].key)) < 0 ||
                (error = fth_helm_values_from_yaml(&c, a, v->u.map.items[i].value, depth + 1)) <
                    0 ||
                (error = fth_tmpl_map_set(a, *out, kb.ptr, kb.len, c)) < 0) {
                fth_buf_release(&kb);
                return error == FTH_EINVALID ? FTH_EINVALID : error;
            }
        }
        fth_buf_release(&kb);
        break;
    }
    }
    return *out ? 0 : FTH_ENOMEM;
}

int fth_helm_values_parse(struct fth_value **out, struct fth_arena *a, const char *data, size_t len,
                          const char *name, struct fth_error *err)
{
    struct fth_value *raw = NULL;
    struct fth_load_opts lo = FTH_LOAD_OPTS_INIT;
    int error;

    *out = NULL;
    lo.name = name;
    if ((error = fth_value_load_one(&raw, a, data, len, &lo, err)) < 0)
        return error;
    if (raw && raw->type != FTH_VALUE_MAP && raw->type != FTH_VALUE_NULL)
        return fth_error_set(err, FTH_EINVALID,
                             "error unmarshaling JSON: while decoding JSON: json: cannot "
                             "unmarshal %s into Go value of type map[string]interface {}",
                             raw->type == FTH_VALUE_SEQ      ? "array"
                             : raw->type == FTH_VALUE_STRING ? "string"
                             : raw->type == FTH_VALUE_BOOL   ? "bool"
                                                             : "number");
    if (!raw || raw->type == FTH_VALUE_NULL) {
        *out = fth_tmpl_map(a, 0);
        return *out ? 0 : fth_error_set(err, FTH_ENOMEM, "out of memory");
    }
    if ((error = fth_helm_values_from_yaml(out, a, raw, 0)) < 0)
        return fth_error_set(err, error, "%s: values nested too deeply or out of memory", name);
    return 0;
}

/* ---- copying and merging ---- */

struct fth_value *fth_helm_values_copy(struct fth_arena *a, const struct fth_value *v)
{
    struct fth_value *c;
    size_t i;

    if (!v)
        return NULL;
    if (fth_tmpl_ext_of(v) || (v->type != FTH_VALUE_MAP && v->type != FTH_VALUE_SEQ))
        return (struct fth_value *)(uintptr_t)v; /* scalars are never mutated in place */
    if (v->type == FTH_VALUE_SEQ) {
        if (!(c = fth_tmpl_seq(a, v->u.seq.len)))
            return NULL;
        for (i = 0; i < v->u.seq.len; i++) {
            struct fth_value *x = fth_helm_values_copy(a, v->u.seq.items[i]);
            if (!x || fth_tmpl_seq_push(a, c, x) < 0)
                return NULL;
        }
        return c;
    }
    if (!(c = fth_tmpl_map(a, v->u.map.len)))
        return NULL;
    for (i = 0; i < v->u.map.len; i++) {
        const struct fth_value *k = v->u.map.items[i].key;
        struct fth_value *x = fth_helm_values_copy(a, v->u.map.items[i].value);
        if (!x || !k || fth_tmpl_map_set(a, c, k->u.str.ptr, k->u.str.len, x) < 0)
            return NULL;
    }
    return c;
}

static int is_table(const struct fth_value *v)
{
    return v && v->type == FTH_VALUE_MAP && !fth_tmpl_ext_of(v);
}

static int is_nil(const struct fth_value *v)
{
    return !v || v->type == FTH_VALUE_NULL;
}

/* Helm's mergeMaps for -f files: b's maps merge into a's, anything else replaces. */
int fth_helm_values_merge_maps(struct fth_value *dst, struct fth_arena *a,
                               const struct fth_value *src)
{
    size_t i;
    int error;

    for (i = 0; i < src->u.map.len; i++) {
        const struct fth_value *k = src->u.map.items[i].key;
        struct fth_value *sv = src->u.map.items[i].value;
        struct fth_value *dv = fth_tmpl_map_get(dst, k->u.str.ptr, k->u.str.len);
        if (is_table(sv) && is_table(dv)) {
            struct fth_value *copy = fth_helm_values_copy(a, dv);
            if (!copy || (error = fth_helm_values_merge_maps(copy, a, sv)) < 0 ||
                fth_tmpl_map_set(a, dst, k->u.str.ptr, k->u.str.len, copy) < 0)
                return FTH_ENOMEM;
            continue;
        }
        if (fth_tmpl_map_set(a, dst, k->u.str.ptr, k->u.str.len, sv) < 0)
            return FTH_ENOMEM;
    }
    return 0;
}

static void warn(struct helm_coalesce *c, const char *fmt, ...) FTH_PRINTF(2, 3);
static void warn(struct helm_coalesce *c, const char *fmt, ...)
{
    va_list ap;
    if (!c->warnings)
        return;
    va_start(ap, fmt);
    fth_buf_vprintf(c->warnings, fmt, ap);
    va_end(ap);
    fth_buf_putc(c->warnings, '\n');
}

static const char *prefixed(struct fth_arena *a, const char *prefix, const char *key)
{
    if (!prefix || !*prefix)
        return key;
    return fth_arena_printf(a, "%s.%s", prefix, key);
}

static const char *vtext(struct helm_coalesce *c, const struct fth_value *v)
{
    struct fth_buf b;
    const char *r;
    fth_buf_init(&b);
    fth_tmpl_fmt_value(&b, v);
    r = fth_arena_strndup(c->a, b.ptr, b.len);
    fth_buf_release(&b);
    return r ? r : "";
}

/* chartutil's coalesceTablesFullKey: dst is authoritative; src fills what dst lacks. */
int helm_coalesce_tables(struct helm_coalesce *c, struct fth_value *dst, struct fth_value *src,
                         const char *prefix, int merge)
{
    size_t i;
    int error;

    if (!src || !dst)
        return 0;
    for (i = 0; i < dst->u.map.len; i++) {
        const struct fth_value *k = dst->u.map.items[i].key;
        if (is_nil(dst->u.map.items[i].value) &&
            fth_tmpl_map_set(c->a, src, k->u.str.ptr, k->u.str.len, fth_tmpl_null(c->a)) < 0)
            return FTH_ENOMEM;
    }
    for (i = 0; i < src->u.map.len; i++) {
        const struct fth_value *k = src->u.map.items[i].key;
        struct fth_value *val = src->u.map.items[i].value;
        struct fth_value *dv = fth_tmpl_map_get(dst, k->u.str.ptr, k->u.str.len);
        const char *full = prefixed(c->a, prefix, k->u.str.ptr);

        if (dv && !merge && is_nil(dv)) {
            fth_tmpl_map_del(dst, k->u.str.ptr, k->u.str.len);
        } else if (!dv) {
            if (fth_tmpl_map_set(c->a, dst, k->u.str.ptr, k->u.str.len, val) < 0)
                return FTH_ENOMEM;
        } else if (is_table(val)) {
            if (is_table(dv)) {
                if ((error = helm_coalesce_tables(c, dv, val, full, merge)) < 0)
                    return error;
            } else {
                warn(c, "warning: cannot overwrite table with non table for %s (%s)", full,
                     vtext(c, val));
            }
        } else if (is_table(dv) && !is_nil(val)) {
            warn(c, "warning: destination for %s is a table. Ignoring non-table value (%s)", full,
                 vtext(c, val));
        }
    }
    return 0;
}

static int has_dependency(const struct helm_rchart *rc, const char *name)
{
    size_t i;
    for (i = 0; i < rc->ndeps; i++)
        if (!strcmp(rc->deps[i]->name, name))
            return 1;
    return 0;
}

/* chartutil's coalesceValues: the chart's defaults fill v. */
static int coalesce_values(struct helm_coalesce *c, const struct helm_rchart *rc,
                           struct fth_value *v, const char *prefix, int merge)
{
    const char *sub = prefixed(c->a, prefix, rc->name);
    struct fth_value *vc = fth_helm_values_copy(c->a, rc->values);
    size_t i;
    int error;

    if (!vc)
        return rc->values ? FTH_ENOMEM : 0;
    for (i = 0; i < vc->u.map.len; i++) {
        const struct fth_value *k = vc->u.map.items[i].key;
        struct fth_value *val = vc->u.map.items[i].value;
        struct fth_value *value = fth_tmpl_map_get(v, k->u.str.ptr, k->u.str.len);

        if (!value) {
            if (fth_tmpl_map_set(c->a, v, k->u.str.ptr, k->u.str.len, val) < 0)
                return FTH_ENOMEM;
        } else if (is_nil(value) && !merge) {
            fth_tmpl_map_del(v, k->u.str.ptr, k->u.str.len);
        } else if (is_table(value)) {
            if (!is_table(val)) {
                if (!is_nil(val))
                    warn(c, "warning: skipped value for %s.%s: Not a table.", sub, k->u.str.ptr);
            } else {
                int m = has_dependency(rc, k->u.str.ptr) ? 1 : merge;
                if ((error = helm_coalesce_tables(c, value, val, prefixed(c->a, sub, k->u.str.ptr),
                                                  m)) < 0)
                    return error;
            }
        }
    }
    return 0;
}

/* chartutil's coalesceGlobals: the parent's globals flow into the child's. */
static int coalesce_globals(struct helm_coalesce *c, struct fth_value *dest, struct fth_value *src,
                            const char *prefix)
{
    struct fth_value *dg = fth_tmpl_map_get(dest, "global", 6);
    struct fth_value *sg = fth_tmpl_map_get(src, "global", 6);
    size_t i;
    int error;

    if (!dg) {
        if (!(dg = fth_tmpl_map(c->a, 4)))
            return FTH_ENOMEM;
    } else if (!is_table(dg)) {
        warn(c, "warning: skipping globals because destination global is not a table.");
        return 0;
    }
    if (!sg) {
        if (!(sg = fth_tmpl_map(c->a, 0)))
            return FTH_ENOMEM;
    } else if (!is_table(sg)) {
        warn(c, "warning: skipping globals because source global is not a table.");
        return 0;
    }
    for (i = 0; i < sg->u.map.len; i++) {
        const struct fth_value *k = sg->u.map.items[i].key;
        struct fth_value *val = sg->u.map.items[i].value;
        struct fth_value *dv = fth_tmpl_map_get(dg, k->u.str.ptr, k->u.str.len);

        if (is_table(val)) {
            struct fth_value *vv = fth_helm_values_copy(c->a, val);
            if (!vv)
                return FTH_ENOMEM;
            if (dv && !is_table(dv)) {
                warn(c, "Conflict: cannot merge map onto non-map for \"%s\". Skipping.",
                     k->u.str.ptr);
                continue;
            }
            if (dv && (error = helm_coalesce_tables(c, vv, dv, prefixed(c->a, prefix, k->u.str.ptr),
                                                    1)) < 0)
                return error;
            if (fth_tmpl_map_set(c->a, dg, k->u.str.ptr, k->u.str.len, vv) < 0)
                return FTH_ENOMEM;
        } else if (dv && is_table(dv)) {
            warn(c, "key %s is table. Skipping", k->u.str.ptr);
        } else if (fth_tmpl_map_set(c->a, dg, k->u.str.ptr, k->u.str.len, val) < 0) {
            return FTH_ENOMEM;
        }
    }
    return fth_tmpl_map_set(c->a, dest, "global", 6, dg) < 0 ? FTH_ENOMEM : 0;
}

int helm_coalesce(struct helm_coalesce *c, const struct helm_rchart *rc, struct fth_value *dest,
                  const char *prefix, int merge, unsigned depth)
{
    size_t i;
    int error;

    if (depth > FTH_LIMIT_CHART_DEPTH)
        return fth_error_set(c->err, FTH_ELIMIT, "subcharts nested too deeply");
    if ((error = coalesce_values(c, rc, dest, prefix, merge)) < 0)
        return fth_error_set(c->err, error, "out of memory");
    for (i = 0; i < rc->ndeps; i++) {
        const struct helm_rchart *sub = rc->deps[i];
        size_t nl = strlen(sub->name);
        struct fth_value *dv = fth_tmpl_map_get(dest, sub->name, nl);
        const char *subprefix = prefixed(c->a, prefix, rc->name);

        if (!dv) {
            if (!(dv = fth_tmpl_map(c->a, 4)) ||
                fth_tmpl_map_set(c->a, dest, sub->name, nl, dv) < 0)
                return fth_error_set(c->err, FTH_ENOMEM, "out of memory");
        } else if (!is_table(dv)) {
            return fth_error_set(c->err, FTH_EINVALID, "type mismatch on %s: %%!t(%s=%s)",
                                 sub->name, fth_tmpl_type_name(dv), vtext(c, dv));
        }
        if ((error = coalesce_globals(c, dv, dest, subprefix)) < 0)
            return fth_error_set(c->err, error, "out of memory");
        if ((error = helm_coalesce(c, sub, dv, subprefix, merge, depth + 1)) < 0)
            return error;
    }
    return 0;
}
