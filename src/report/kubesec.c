/*
 * kubesec's own JSON output (`kubesec scan -f json`, pkg/ruler/report.go): an array with one
 * report per object, keys in kubesec's order, indented by two spaces as kubesec's
 * json.Indent does. Each rule entry carries kubesec's RuleRef fields: id, selector, reason,
 * points (weight and href are empty in kubesec's rules and so left out, as kubesec's
 * omitempty does). Empty buckets are left out too.
 *
 * Where Fathom differs: kubesec does not score an object its schema check rejects; Fathom
 * scores it anyway, treating the wrong-typed fields as absent, and reports valid: false with
 * the type errors in the message.
 */
#include <string.h>

#include "report_int.h"
#include "jsonw.h"

#include "../base/banned.h"

/* kubesec's getObjectName: "Kind/name.namespace", "undefined" and "default" when absent. */
static int object_name(struct fth_buf *b, const struct fth_k8s_object *obj)
{
    if (!obj->kind)
        return fth_buf_puts(b, "Unknown");
    return fth_buf_printf(b, "%s/%s.%s", obj->kind, obj->name ? obj->name : "undefined",
                          obj->namespace ? obj->namespace : "default");
}

/* "null or integer" from schema.c's "an integer", in the wording of kubesec's validator. */
static const char *json_type(const char *article_type, size_t len)
{
    static const struct {
        const char *fathom, *json;
    } names[] = {
        {"a mapping", "object"},   {"a sequence", "array"}, {"a string", "string"},
        {"an integer", "integer"}, {"a number", "number"},  {"a boolean", "boolean"},
        {"null", "null"},
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i].fathom) == len && !memcmp(names[i].fathom, article_type, len))
            return names[i].json;
    return NULL;
}

/* "spec.template.spec.containers[0].name" as a JSON pointer: "/spec/template/.../0/name". */
static int json_pointer(struct fth_buf *b, const char *field, size_t len)
{
    size_t i;
    int error = fth_buf_putc(b, '/');

    for (i = 0; i < len && error >= 0; i++) {
        char ch = field[i];

        if (ch == '.' || ch == '[')
            error = (i + 1 < len && field[i + 1] != '[') ? fth_buf_putc(b, '/') : 0;
        else if (ch != ']')
            error = fth_buf_putc(b, ch);
    }
    return error;
}

/*
 * One of this object's type errors, as kubesec's schema validator words them:
 * " - at '/spec/replicas': got string, want null or integer". The scan writes them as
 * "<object>: '<field>': expected <type>, found <type>"; anything else is copied as it is.
 */
static int type_error_text(struct fth_buf *b, const char *msg)
{
    const char *field = msg, *exp, *found;
    const char *want, *got;
    int error;

    if (*field++ != '\'' || !(exp = strstr(field, "': expected ")) ||
        !(found = strstr(exp, ", found ")))
        return fth_buf_printf(b, " - %s", msg);
    want = json_type(exp + 12, (size_t)(found - exp - 12));
    got = json_type(found + 8, strlen(found + 8));
    if (!want || !got)
        return fth_buf_printf(b, " - %s", msg);
    if ((error = fth_buf_puts(b, " - at '")) < 0 ||
        (error = json_pointer(b, field, (size_t)(exp - field))) < 0)
        return error;
    return fth_buf_printf(b, "': got %s, want null or %s", got, want);
}

/* The messages of the scan's type errors about `obj` ("<display>: ..."), or 0 when none. */
static int invalid_message(struct fth_buf *b, const struct fth_k8s_result *res,
                           const struct fth_k8s_object *obj)
{
    size_t i, n = strlen(obj->display);
    int error = 0, found = 0;

    for (i = 0; i < res->errors_len && error >= 0; i++) {
        const struct fth_error *e = res->errors[i];

        if (e->code != FTH_ETYPE || strcmp(e->file, obj->file) != 0 ||
            strncmp(e->message, obj->display, n) != 0 || strncmp(e->message + n, ": ", 2) != 0)
            continue;
        if (!found)
            error = fth_buf_puts(b, "schema validation failed:");
        found = 1;
        if (error >= 0)
            error = type_error_text(b, e->message + n + 2);
    }
    return error < 0 ? error : found;
}

/* kubesec's message, and whether kubesec would call the object valid. */
static int message(struct fth_buf *b, int *valid, const struct fth_k8s_result *res,
                   const struct fth_k8s_object *obj)
{
    int error = 0;

    *valid = 0;
    if (!obj->kind) {
        error = fth_buf_puts(b, "This resource is invalid, Kubernetes kind not found");
    } else if (!obj->analysed) {
        /* Fathom knows nothing of the kind: kubesec's validator has no schema for it. */
        error = fth_buf_printf(b, "could not find schema for %s", obj->kind);
    } else if (obj->invalid && (error = invalid_message(b, res, obj)) != 0) {
        /* the type errors are the message */
    } else {
        *valid = !obj->invalid;
        if (!obj->kubesec_supported)
            error = fth_buf_puts(b, "This resource kind is not supported by kubesec");
        else
            error =
                fth_buf_printf(b, "%s with a score of %d points",
                               obj->kubesec_score >= 0 ? "Passed" : "Failed", obj->kubesec_score);
    }
    return error < 0 ? error : 0;
}

static void bucket(struct jw *w, const struct fth_k8s_object *obj, enum fth_kubesec_bucket which,
                   const char *key)
{
    size_t i, n = 0;

    for (i = 0; i < obj->kubesec_len; i++)
        n += obj->kubesec[i].bucket == which;
    if (!n)
        return;
    jw_key(w, key);
    jw_arr_begin(w);
    /* obj->kubesec is already in kubesec's order */
    for (i = 0; i < obj->kubesec_len; i++) {
        const struct fth_rule *rule = obj->kubesec[i].rule;

        if (obj->kubesec[i].bucket != which)
            continue;
        jw_obj_begin(w);
        jw_key(w, "id");
        jw_str(w, rule->id);
        jw_key(w, "selector");
        jw_str(w, rule->selector ? rule->selector : "");
        jw_key(w, "reason");
        jw_str(w, rule->title);
        jw_key(w, "points");
        jw_int(w, rule->points);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

int report_kubesec(struct fth_buf *out, const struct fth_k8s_result *res,
                   const struct fth_report_opts *opts)
{
    struct fth_buf text = FTH_BUF_INIT;
    struct jw w;
    size_t i;
    int error = 0, valid;

    (void)opts;
    jw_init(&w, out);
    jw_arr_begin(&w);
    for (i = 0; i < res->objects_len; i++) {
        const struct fth_k8s_object *obj = res->objects[i];

        jw_obj_begin(&w);
        fth_buf_clear(&text);
        if ((error = object_name(&text, obj)) < 0)
            goto out;
        jw_key(&w, "object");
        jw_str(&w, text.ptr);
        fth_buf_clear(&text);
        if ((error = message(&text, &valid, res, obj)) < 0)
            goto out;
        jw_key(&w, "valid");
        jw_bool(&w, valid);
        jw_key(&w, "fileName");
        jw_str(&w, obj->file ? obj->file : "");
        jw_key(&w, "message");
        jw_str(&w, text.ptr);
        jw_key(&w, "score");
        jw_int(&w, obj->kubesec_supported ? obj->kubesec_score : 0);
        jw_key(&w, "scoring");
        jw_obj_begin(&w);
        bucket(&w, obj, FTH_KUBESEC_CRITICAL, "critical");
        bucket(&w, obj, FTH_KUBESEC_PASSED, "passed");
        bucket(&w, obj, FTH_KUBESEC_ADVISE, "advise");
        jw_obj_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    error = jw_finish(&w);
out:
    fth_buf_release(&text);
    return error;
}
