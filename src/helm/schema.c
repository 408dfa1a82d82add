/*
 * values.schema.json: JSON Schema validation of the coalesced values with the keywords charts
 * use, reporting as Helm 3 does through gojsonschema: one `- <field>: <message>` line per
 * problem, the field dotted from the root ("(root)" for the root itself), objects checked
 * before their properties, a type mismatch ending the checks of that value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "../tmpl/regex.h"
#include "fathom/tmpl.h"
#include "helm_int.h"

struct sctx {
    struct fth_arena *a;
    const struct fth_value *root; /* the schema document, for $ref */
    struct fth_buf *out;
    size_t nerrors;
    struct fth_error *err;
    int failed; /* the schema itself is broken */
};

static const char *field(const char *path)
{
    return *path ? path : "(root)";
}

static void report(struct sctx *c, const char *path, const char *fmt, ...) FTH_PRINTF(3, 4);
static void report(struct sctx *c, const char *path, const char *fmt, ...)
{
    va_list ap;
    if (++c->nerrors > FTH_LIMIT_SCHEMA_ERRORS)
        return;
    fth_buf_printf(c->out, "- %s: ", field(path));
    va_start(ap, fmt);
    fth_buf_vprintf(c->out, fmt, ap);
    va_end(ap);
    fth_buf_putc(c->out, '\n');
}

static int is_integral(double d)
{
    return d == (double)(long long)d && d > -9.2e18 && d < 9.2e18;
}

/* gojsonschema's name of a value's JSON type (an integral number is an integer). */
static const char *json_type(const struct fth_value *v)
{
    switch (v ? v->type : FTH_VALUE_NULL) {
    case FTH_VALUE_NULL:
        return "null";
    case FTH_VALUE_BOOL:
        return "boolean";
    case FTH_VALUE_INT:
        return "integer";
    case FTH_VALUE_FLOAT:
        return is_integral(v->u.number) ? "integer" : "number";
    case FTH_VALUE_STRING:
        return "string";
    case FTH_VALUE_SEQ:
        return "array";
    default:
        return "object";
    }
}

static double num(const struct fth_value *v)
{
    return v->type == FTH_VALUE_INT ? (double)v->u.integer : v->u.number;
}

static int is_num(const struct fth_value *v)
{
    return v && (v->type == FTH_VALUE_INT || v->type == FTH_VALUE_FLOAT);
}

/* big.Float's %v: up to 10 significant digits, 'g' style. */
static const char *numtext(struct sctx *c, double d)
{
    return fth_arena_printf(c->a, "%.10g", d);
}

/* JSON equality: numbers by value, maps by keys. */
static int json_equal(const struct fth_value *x, const struct fth_value *y)
{
    size_t i, j;
    if (is_num(x) && is_num(y))
        return num(x) == num(y);
    if (!x || !y)
        return (!x || x->type == FTH_VALUE_NULL) && (!y || y->type == FTH_VALUE_NULL);
    if (x->type != y->type)
        return 0;
    switch (x->type) {
    case FTH_VALUE_NULL:
        return 1;
    case FTH_VALUE_BOOL:
        return !x->u.boolean == !y->u.boolean;
    case FTH_VALUE_STRING:
        return x->u.str.len == y->u.str.len && !memcmp(x->u.str.ptr, y->u.str.ptr, x->u.str.len);
    case FTH_VALUE_SEQ:
        if (x->u.seq.len != y->u.seq.len)
            return 0;
        for (i = 0; i < x->u.seq.len; i++)
            if (!json_equal(x->u.seq.items[i], y->u.seq.items[i]))
                return 0;
        return 1;
    case FTH_VALUE_MAP:
        if (x->u.map.len != y->u.map.len)
            return 0;
        for (i = 0; i < x->u.map.len; i++) {
            const struct fth_value *k = x->u.map.items[i].key;
            int found = 0;
            for (j = 0; j < y->u.map.len && !found; j++) {
                const struct fth_value *l = y->u.map.items[j].key;
                if (l->u.str.len == k->u.str.len &&
                    !memcmp(l->u.str.ptr, k->u.str.ptr, k->u.str.len)) {
                    if (!json_equal(x->u.map.items[i].value, y->u.map.items[j].value))
                        return 0;
                    found = 1;
                }
            }
            if (!found)
                return 0;
        }
        return 1;
    default:
        return 0;
    }
}

static const char *json_text(struct sctx *c, const struct fth_value *v)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *r;
    fth_value_to_json(&b, v, 0);
    r = fth_arena_strndup(c->a, b.ptr, b.len);
    fth_buf_release(&b);
    return r ? r : "";
}

static const char *child_path(struct sctx *c, const char *path, const char *key)
{
    return *path ? fth_arena_printf(c->a, "%s.%s", path, key) : key;
}

/* $ref within the document: "#" or a JSON pointer "#/definitions/x". */
static const struct fth_value *resolve(struct sctx *c, const char *ref)
{
    const struct fth_value *v = c->root;
    const char *p;
    if (ref[0] != '#') {
        c->failed = 1;
        fth_error_set(c->err, FTH_EINVALID, "values.schema.json: $ref '%s' is not supported", ref);
        return NULL;
    }
    p = ref + 1;
    while (*p == '/' && v) {
        char seg[256];
        size_t n = 0;
        p++;
        while (*p && *p != '/' && n + 1 < sizeof(seg)) {
            if (p[0] == '~' && p[1] == '0')
                seg[n++] = '~', p += 2;
            else if (p[0] == '~' && p[1] == '1')
                seg[n++] = '/', p += 2;
            else
                seg[n++] = *p++;
        }
        seg[n] = 0;
        if (v->type == FTH_VALUE_SEQ) {
            char *end;
            unsigned long i = strtoul(seg, &end, 10);
            v = *end ? NULL : fth_value_at(v, i);
        } else {
            v = fth_value_get(v, seg);
        }
    }
    if (!v) {
        c->failed = 1;
        fth_error_set(c->err, FTH_EINVALID, "values.schema.json: $ref '%s' does not resolve", ref);
    }
    return v;
}

static void validate(struct sctx *c, const struct fth_value *s, const struct fth_value *v,
                     const char *path, unsigned depth);

/* Validate into a scratch buffer: the number of errors (for anyOf/oneOf/allOf/not). */
static size_t sub(struct sctx *c, const struct fth_value *s, const struct fth_value *v,
                  const char *path, unsigned depth, struct fth_buf *errs)
{
    struct sctx d = *c;
    d.out = errs;
    d.nerrors = 0;
    validate(&d, s, v, path, depth);
    c->failed |= d.failed;
    return d.nerrors;
}

static int type_ok(const struct fth_value *types, const char *given)
{
    size_t i;
    if (types->type == FTH_VALUE_STRING)
        return fth_value_streq(types, given) ||
               (fth_value_streq(types, "number") && !strcmp(given, "integer"));
    for (i = 0; i < fth_value_len(types); i++)
        if (type_ok(fth_value_at(types, i), given))
            return 1;
    return types->type != FTH_VALUE_SEQ;
}

static const char *types_text(struct sctx *c, const struct fth_value *types)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *r;
    size_t i;
    if (types->type == FTH_VALUE_STRING)
        return types->u.str.ptr;
    if (fth_value_len(types) == 1)
        return fth_value_str(fth_value_at(types, 0));
    fth_buf_putc(&b, '[');
    for (i = 0; i < fth_value_len(types); i++) {
        const char *t = fth_value_str(fth_value_at(types, i));
        fth_buf_printf(&b, "%s%s", i ? "," : "", t ? t : "");
    }
    fth_buf_putc(&b, ']');
    r = fth_arena_strndup(c->a, b.ptr, b.len);
    fth_buf_release(&b);
    return r ? r : "";
}

/* gojsonschema reports the subschema that went furthest: one whose type matched wins, then
 * the one with fewer errors (an approximation of its score). */
static long rank(const struct fth_value *s, const struct fth_value *v, size_t nerrors)
{
    const struct fth_value *t = fth_value_get(s, "type");
    int typed_ok =
        t && (t->type == FTH_VALUE_STRING || t->type == FTH_VALUE_SEQ) && type_ok(t, json_type(v));
    return (typed_ok ? 0 : 1000000L) + (long)nerrors;
}

static void combinators(struct sctx *c, const struct fth_value *s, const struct fth_value *v,
                        const char *path, unsigned depth)
{
    const struct fth_value *k;
    struct fth_buf best = FTH_BUF_INIT, cur = FTH_BUF_INIT;
    size_t i, ok, best_n;
    long best_rank;

    if ((k = fth_value_get(s, "anyOf")) && k->type == FTH_VALUE_SEQ && k->u.seq.len) {
        ok = 0;
        best_n = 0;
        best_rank = -1;
        for (i = 0; i < k->u.seq.len && !ok; i++) {
            size_t n;
            fth_buf_clear(&cur);
            n = sub(c, k->u.seq.items[i], v, path, depth + 1, &cur);
            if (!n)
                ok = 1;
            else if (best_rank < 0 || rank(k->u.seq.items[i], v, n) < best_rank) {
                best_rank = rank(k->u.seq.items[i], v, n);
                best_n = n;
                fth_buf_clear(&best);
                fth_buf_put(&best, cur.ptr, cur.len);
            }
        }
        if (!ok) {
            report(c, path, "Must validate at least one schema (anyOf)");
            fth_buf_put(c->out, best.ptr, best.len);
            c->nerrors += best_n;
        }
    }
    if ((k = fth_value_get(s, "oneOf")) && k->type == FTH_VALUE_SEQ && k->u.seq.len) {
        ok = 0;
        best_n = 0;
        best_rank = -1;
        fth_buf_clear(&best);
        for (i = 0; i < k->u.seq.len; i++) {
            size_t n;
            fth_buf_clear(&cur);
            n = sub(c, k->u.seq.items[i], v, path, depth + 1, &cur);
            if (!n)
                ok++;
            else if (best_rank < 0 || rank(k->u.seq.items[i], v, n) < best_rank) {
                best_rank = rank(k->u.seq.items[i], v, n);
                best_n = n;
                fth_buf_clear(&best);
                fth_buf_put(&best, cur.ptr, cur.len);
            }
        }
        if (ok != 1) {
            report(c, path, "Must validate one and only one schema (oneOf)");
            if (!ok) {
                fth_buf_put(c->out, best.ptr, best.len);
                c->nerrors += best_n;
            }
        }
    }
    if ((k = fth_value_get(s, "allOf")) && k->type == FTH_VALUE_SEQ && k->u.seq.len) {
        ok = 0;
        for (i = 0; i < k->u.seq.len; i++) {
            size_t n;
            fth_buf_clear(&cur);
            n = sub(c, k->u.seq.items[i], v, path, depth + 1, &cur);
            ok += !n;
            fth_buf_put(c->out, cur.ptr, cur.len);
            c->nerrors += n;
        }
        if (ok != k->u.seq.len)
            report(c, path, "Must validate all the schemas (allOf)");
    }
    if ((k = fth_value_get(s, "not")) && k->type == FTH_VALUE_MAP) {
        fth_buf_clear(&cur);
        if (!sub(c, k, v, path, depth + 1, &cur))
            report(c, path, "Must not validate the schema (not)");
    }
    fth_buf_release(&best);
    fth_buf_release(&cur);
}

static void common(struct sctx *c, const struct fth_value *s, const struct fth_value *v,
                   const char *path)
{
    const struct fth_member *cm = fth_value_member(s, "const");
    const struct fth_value *k;
    size_t i;
    if (cm && !json_equal(cm->value, v))
        report(c, path, "%s does not match: %s", field(path), json_text(c, cm->value));
    if ((k = fth_value_get(s, "enum")) && k->type == FTH_VALUE_SEQ) {
        struct fth_buf b = FTH_BUF_INIT;
        int found = 0;
        for (i = 0; i < k->u.seq.len; i++) {
            found |= json_equal(k->u.seq.items[i], v);
            if (i)
                fth_buf_puts(&b, ", ");
            fth_value_to_json(&b, k->u.seq.items[i], 0);
        }
        if (!found)
            report(c, path, "%s must be one of the following: %s", field(path), b.ptr);
        fth_buf_release(&b);
    }
}

static void numeric(struct sctx *c, const struct fth_value *s, double d, const char *path)
{
    const struct fth_value *k, *ex;
    if ((k = fth_value_get(s, "multipleOf")) && is_num(k) && num(k) > 0) {
        double q = d / num(k);
        if (q != (double)(long long)q)
            report(c, path, "Must be a multiple of %s", numtext(c, num(k)));
    }
    if ((k = fth_value_get(s, "maximum")) && is_num(k)) {
        ex = fth_value_get(s, "exclusiveMaximum");
        if (fth_value_is_true(ex) ? d >= num(k) : d > num(k))
            report(c, path,
                   fth_value_is_true(ex) ? "Must be less than %s"
                                         : "Must be less than or equal to %s",
                   numtext(c, num(k)));
    }
    if ((k = fth_value_get(s, "exclusiveMaximum")) && is_num(k) && d >= num(k))
        report(c, path, "Must be less than %s", numtext(c, num(k)));
    if ((k = fth_value_get(s, "minimum")) && is_num(k)) {
        ex = fth_value_get(s, "exclusiveMinimum");
        if (fth_value_is_true(ex) ? d <= num(k) : d < num(k))
            report(c, path,
                   fth_value_is_true(ex) ? "Must be greater than %s"
                                         : "Must be greater than or equal to %s",
                   numtext(c, num(k)));
    }
    if ((k = fth_value_get(s, "exclusiveMinimum")) && is_num(k) && d <= num(k))
        report(c, path, "Must be greater than %s", numtext(c, num(k)));
}

static size_t runes(const char *s, size_t n)
{
    size_t i, r = 0;
    for (i = 0; i < n; i++)
        r += ((unsigned char)s[i] & 0xC0) != 0x80;
    return r;
}

static void string_checks(struct sctx *c, const struct fth_value *s, const struct fth_value *v,
                          const char *path)
{
    const struct fth_value *k;
    size_t n = runes(v->u.str.ptr, v->u.str.len);
    if ((k = fth_value_get(s, "minLength")) && is_num(k) && (double)n < num(k))
        report(c, path, "String length must be greater than or equal to %s", numtext(c, num(k)));
    if ((k = fth_value_get(s, "maxLength")) && is_num(k) && (double)n > num(k))
        report(c, path, "String length must be less than or equal to %s", numtext(c, num(k)));
    if ((k = fth_value_get(s, "pattern")) && k->type == FTH_VALUE_STRING) {
        struct tmpl_regex *re = NULL;
        struct fth_buf msg = FTH_BUF_INIT;
        long caps[2];
        if (tmpl_regex_compile(&re, c->a, k->u.str.ptr, k->u.str.len, &msg) < 0) {
            c->failed = 1;
            fth_error_set(c->err, FTH_EINVALID, "values.schema.json: Invalid regex pattern '%s'",
                          k->u.str.ptr);
        } else if (tmpl_regex_match(re, v->u.str.ptr, v->u.str.len, 0, caps) == 0) {
            report(c, path, "Does not match pattern '%s'", k->u.str.ptr);
        }
        fth_buf_release(&msg);
    }
}

static void array_checks(struct sctx *c, const struct fth_value *s, const struct fth_value *v,
                         const char *path, unsigned depth)
{
    const struct fth_value *k = fth_value_get(s, "items");
    size_t i, n = v->u.seq.len;
    if ((k = fth_value_get(s, "minItems")) && is_num(k) && (double)n < num(k))
        report(c, path, "Array must have at least %s items", numtext(c, num(k)));
    if ((k = fth_value_get(s, "maxItems")) && is_num(k) && (double)n > num(k))
        report(c, path, "Array must have at most %s items", numtext(c, num(k)));
    if (fth_value_is_true(fth_value_get(s, "uniqueItems"))) {
        size_t j;
        for (i = 0; i < n; i++)
            for (j = i + 1; j < n; j++)
                if (json_equal(v->u.seq.items[i], v->u.seq.items[j])) {
                    report(c, path, "array items[%zu,%zu] must be unique", i, j);
                    i = j = n;
                }
    }
    k = fth_value_get(s, "items");
    for (i = 0; k && i < n; i++) {
        char idx[32];
        const struct fth_value *is = k->type == FTH_VALUE_SEQ ? fth_value_at(k, i) : k;
        snprintf(idx, sizeof(idx), "%zu", i);
        if (is && is->type == FTH_VALUE_MAP)
            validate(c, is, v->u.seq.items[i], child_path(c, path, idx), depth + 1);
    }
}

static void object_checks(struct sctx *c, const struct fth_value *s, const struct fth_value *v,
                          const char *path, unsigned depth)
{
    const struct fth_value *req = fth_value_get(s, "required");
    const struct fth_value *props = fth_value_get(s, "properties");
    const struct fth_value *addl = fth_value_get(s, "additionalProperties");
    const struct fth_value *k;
    size_t i;

    if ((k = fth_value_get(s, "minProperties")) && is_num(k) && (double)v->u.map.len < num(k))
        report(c, path, "Must have at least %s properties", numtext(c, num(k)));
    if ((k = fth_value_get(s, "maxProperties")) && is_num(k) && (double)v->u.map.len > num(k))
        report(c, path, "Must have at most %s properties", numtext(c, num(k)));
    for (i = 0; req && req->type == FTH_VALUE_SEQ && i < req->u.seq.len; i++) {
        const char *name = fth_value_str(req->u.seq.items[i]);
        if (name && !fth_tmpl_map_get(v, name, strlen(name)))
            report(c, path, "%s is required", name);
    }
    if (addl && (fth_value_is_false(addl) || addl->type == FTH_VALUE_MAP)) {
        for (i = 0; i < v->u.map.len; i++) {
            const struct fth_value *key = v->u.map.items[i].key;
            if (fth_value_get(props, key->u.str.ptr))
                continue;
            if (fth_value_is_false(addl))
                report(c, path, "Additional property %s is not allowed", key->u.str.ptr);
            else
                validate(c, addl, v->u.map.items[i].value, child_path(c, path, key->u.str.ptr),
                         depth + 1);
        }
    }
}

static void validate(struct sctx *c, const struct fth_value *s, const struct fth_value *v,
                     const char *path, unsigned depth)
{
    const struct fth_value *t, *ref;
    const char *given = json_type(v);
    size_t i;

    if (!s || s->type != FTH_VALUE_MAP || c->failed)
        return; /* `true`, `{}` and the like accept everything */
    if (depth > FTH_LIMIT_SCHEMA_DEPTH) {
        c->failed = 1;
        fth_error_set(c->err, FTH_ELIMIT, "values.schema.json: nested deeper than %d (limit)",
                      FTH_LIMIT_SCHEMA_DEPTH);
        return;
    }
    if ((ref = fth_value_get(s, "$ref")) && ref->type == FTH_VALUE_STRING) {
        validate(c, resolve(c, ref->u.str.ptr), v, path, depth + 1);
        return;
    }
    if ((t = fth_value_get(s, "type")) &&
        (t->type == FTH_VALUE_STRING || t->type == FTH_VALUE_SEQ) && !type_ok(t, given)) {
        report(c, path, "Invalid type. Expected: %s, given: %s", types_text(c, t), given);
        return;
    }
    combinators(c, s, v, path, depth);
    if (v && v->type == FTH_VALUE_SEQ)
        array_checks(c, s, v, path, depth);
    else if (v && v->type == FTH_VALUE_MAP)
        object_checks(c, s, v, path, depth);
    else if (v && v->type == FTH_VALUE_STRING)
        string_checks(c, s, v, path);
    else if (is_num(v))
        numeric(c, s, num(v), path);
    common(c, s, v, path);
    if (v && v->type == FTH_VALUE_MAP && (t = fth_value_get(s, "properties")) &&
        t->type == FTH_VALUE_MAP) {
        for (i = 0; i < t->u.map.len; i++) {
            const struct fth_value *key = t->u.map.items[i].key;
            const struct fth_value *pv = fth_tmpl_map_get(v, key->u.str.ptr, key->u.str.len);
            if (pv)
                validate(c, t->u.map.items[i].value, pv, child_path(c, path, key->u.str.ptr),
                         depth + 1);
        }
    }
}

int fth_helm_schema_validate(struct fth_buf *out, struct fth_arena *a, const char *schema,
                             size_t len, const struct fth_value *values, struct fth_error *err)
{
    struct fth_load_opts lo = FTH_LOAD_OPTS_INIT;
    struct fth_value *doc = NULL;
    struct sctx c;
    int error;

    lo.name = "values.schema.json";
    lo.flags = FTH_LOAD_JSON;
    if ((error = fth_value_load_one(&doc, a, schema, len, &lo, err)) < 0)
        return error;
    memset(&c, 0, sizeof(c));
    c.a = a;
    c.root = doc;
    c.out = out;
    c.err = err;
    validate(&c, doc, values, "", 0);
    if (c.failed)
        return err ? (err->code ? err->code : FTH_EINVALID) : FTH_EINVALID;
    return 0;
}
