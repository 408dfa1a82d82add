/* Fathom's own JSON report (docs/json-format.md) and the JSON writer the renderers share. */
#include "report_int.h"
#include "jsonw.h"
#include "fathom/value.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/banned.h"

/* ---- writer ---- */

void jw_init(struct jw *w, struct fth_buf *out)
{
    w->out = out;
    w->depth = 0;
    w->first = 1;
    w->after_key = 0;
    w->error = 0;
}

static void jw_check(struct jw *w, int error)
{
    if (error < 0 && !w->error)
        w->error = error;
}

static void jw_newline(struct jw *w)
{
    unsigned i;
    jw_check(w, fth_buf_putc(w->out, '\n'));
    for (i = 0; i < w->depth && !w->error; i++)
        jw_check(w, fth_buf_puts(w->out, "  "));
}

/* Separator and indentation before a value or a key. */
static void jw_item(struct jw *w)
{
    if (w->error)
        return;
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (!w->first)
        jw_check(w, fth_buf_putc(w->out, ','));
    if (w->depth)
        jw_newline(w);
    w->first = 0;
}

static void jw_open(struct jw *w, char c)
{
    jw_item(w);
    if (w->error)
        return;
    jw_check(w, fth_buf_putc(w->out, c));
    w->depth++;
    w->first = 1;
}

static void jw_close(struct jw *w, char c)
{
    if (w->error)
        return;
    w->depth--;
    if (!w->first)
        jw_newline(w);
    jw_check(w, fth_buf_putc(w->out, c));
    w->first = 0;
}

void jw_obj_begin(struct jw *w)
{
    jw_open(w, '{');
}

void jw_obj_end(struct jw *w)
{
    jw_close(w, '}');
}

void jw_arr_begin(struct jw *w)
{
    jw_open(w, '[');
}

void jw_arr_end(struct jw *w)
{
    jw_close(w, ']');
}

void jw_key(struct jw *w, const char *key)
{
    jw_item(w);
    if (w->error)
        return;
    jw_check(w, fth_json_quote_flags(w->out, key, strlen(key), 0));
    jw_check(w, fth_buf_puts(w->out, ": "));
    w->after_key = 1;
}

void jw_raw(struct jw *w, const char *token)
{
    jw_item(w);
    if (w->error)
        return;
    jw_check(w, fth_buf_puts(w->out, token));
}

void jw_strn(struct jw *w, const char *s, size_t len)
{
    jw_item(w);
    if (w->error)
        return;
    jw_check(w, fth_json_quote_flags(w->out, s, len, 0));
}

void jw_str(struct jw *w, const char *s)
{
    if (!s)
        jw_null(w);
    else
        jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, int64_t v)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%" PRId64, v);
    jw_raw(w, tmp);
}

void jw_uint(struct jw *w, uint64_t v)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
    jw_raw(w, tmp);
}

void jw_bool(struct jw *w, int v)
{
    jw_raw(w, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
    jw_raw(w, "null");
}

int jw_finish(struct jw *w)
{
    if (!w->error)
        jw_check(w, fth_buf_putc(w->out, '\n'));
    return w->error;
}

/* ---- the report ---- */

/* A string, or null when absent or empty. */
static void str_or_null(struct jw *w, const char *s)
{
    jw_str(w, s && s[0] ? s : NULL);
}

static void uint_or_null(struct jw *w, unsigned v)
{
    if (v)
        jw_uint(w, v);
    else
        jw_null(w);
}

static void kubesec_ids(struct jw *w, const struct fth_k8s_object *obj,
                        enum fth_kubesec_bucket bucket)
{
    size_t i;
    jw_arr_begin(w);
    for (i = 0; i < obj->kubesec_len; i++) {
        if (obj->kubesec[i].bucket == bucket && obj->kubesec[i].rule)
            jw_str(w, obj->kubesec[i].rule->id);
    }
    jw_arr_end(w);
}

static void write_object(struct jw *w, const struct fth_k8s_object *obj,
                         const struct fth_report_opts *opts)
{
    size_t i;

    jw_obj_begin(w);
    jw_key(w, "file");
    jw_str(w, obj->file);
    jw_key(w, "document");
    jw_uint(w, obj->doc);
    jw_key(w, "item");
    jw_uint(w, obj->item);
    jw_key(w, "line");
    uint_or_null(w, obj->line);
    jw_key(w, "kind");
    jw_str(w, obj->kind);
    jw_key(w, "apiVersion");
    jw_str(w, obj->api_version);
    jw_key(w, "name");
    jw_str(w, obj->name);
    jw_key(w, "namespace");
    jw_str(w, obj->namespace);
    jw_key(w, "object");
    jw_str(w, obj->display);
    jw_key(w, "analysed");
    jw_bool(w, obj->analysed);
    jw_key(w, "note");
    str_or_null(w, obj->note);
    jw_key(w, "invalid");
    jw_bool(w, obj->invalid);
    if (obj->kubesec_supported) {
        jw_key(w, "kubesec");
        jw_obj_begin(w);
        jw_key(w, "score");
        jw_int(w, obj->kubesec_score);
        jw_key(w, "critical");
        kubesec_ids(w, obj, FTH_KUBESEC_CRITICAL);
        jw_key(w, "passed");
        kubesec_ids(w, obj, FTH_KUBESEC_PASSED);
        jw_key(w, "advise");
        kubesec_ids(w, obj, FTH_KUBESEC_ADVISE);
        jw_obj_end(w);
    }
    if (obj->pss_checked) {
        jw_key(w, "pss");
        jw_obj_begin(w);
        jw_key(w, "level");
        jw_str(w, fth_pss_level_name(opts->pss_level));
        jw_key(w, "version");
        jw_str(w, fth_pss_version_name(opts->pss_minor));
        jw_key(w, "allowed");
        jw_bool(w, obj->pss_allowed);
        jw_key(w, "violations");
        jw_arr_begin(w);
        for (i = 0; i < obj->pss_len; i++) {
            jw_obj_begin(w);
            jw_key(w, "check");
            jw_str(w, obj->pss[i].check);
            jw_key(w, "reason");
            jw_str(w, obj->pss[i].reason);
            jw_key(w, "detail");
            jw_str(w, obj->pss[i].detail);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_key(w, "message");
        str_or_null(w, obj->pss_message);
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

static void write_finding(struct jw *w, const struct fth_finding *f)
{
    const struct fth_rule *r = f->rule;

    jw_obj_begin(w);
    jw_key(w, "ruleId");
    jw_str(w, r ? r->id : NULL);
    jw_key(w, "source");
    jw_str(w, r ? r->source : NULL);
    jw_key(w, "class");
    jw_str(w, r ? fth_finding_class_name(r->cls) : NULL);
    jw_key(w, "severity");
    jw_str(w, fth_severity_name(f->severity));
    jw_key(w, "title");
    jw_str(w, r ? r->title : NULL);
    jw_key(w, "message");
    jw_str(w, f->message);
    jw_key(w, "object");
    jw_str(w, f->object);
    jw_key(w, "container");
    jw_str(w, f->container);
    jw_key(w, "location");
    jw_obj_begin(w);
    jw_key(w, "file");
    jw_str(w, f->loc.file);
    jw_key(w, "document");
    jw_uint(w, f->loc.doc);
    jw_key(w, "line");
    uint_or_null(w, f->loc.line);
    jw_key(w, "column");
    uint_or_null(w, f->loc.column);
    jw_key(w, "field");
    jw_str(w, f->loc.field);
    jw_obj_end(w);
    jw_key(w, "suppressed");
    jw_bool(w, f->suppressed != NULL);
    jw_key(w, "suppression");
    jw_str(w, f->suppressed);
    jw_obj_end(w);
}

static void write_errors(struct jw *w, struct fth_error *const *errs, size_t n)
{
    size_t i;
    jw_arr_begin(w);
    for (i = 0; i < n; i++) {
        const struct fth_error *e = errs[i];
        jw_obj_begin(w);
        jw_key(w, "file");
        str_or_null(w, e->file);
        jw_key(w, "line");
        uint_or_null(w, e->line);
        jw_key(w, "column");
        uint_or_null(w, e->column);
        jw_key(w, "member");
        str_or_null(w, e->member);
        jw_key(w, "message");
        jw_str(w, e->message[0] ? e->message : fth_error_name(e->code));
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

int report_json(struct fth_buf *out, const struct fth_k8s_result *res,
                const struct fth_report_opts *opts)
{
    static const enum fth_severity order[] = {FTH_SEV_CRITICAL, FTH_SEV_HIGH, FTH_SEV_MEDIUM,
                                              FTH_SEV_LOW, FTH_SEV_INFO};
    size_t counts[FTH_SEV_CRITICAL + 1] = {0};
    size_t suppressed = 0, analysed = 0, blocking = 0, i;
    struct jw w;

    for (i = 0; i < res->objects_len; i++)
        analysed += res->objects[i]->analysed != 0;
    for (i = 0; i < res->findings_len; i++) {
        const struct fth_finding *f = res->findings[i];
        if (f->suppressed) {
            suppressed++;
            continue;
        }
        if ((unsigned)f->severity <= FTH_SEV_CRITICAL)
            counts[f->severity]++;
        if (opts->fail_on != FTH_SEV_UNKNOWN && f->severity >= opts->fail_on)
            blocking++;
    }

    jw_init(&w, out);
    jw_obj_begin(&w);
    jw_key(&w, "schemaVersion");
    jw_int(&w, 1);
    jw_key(&w, "tool");
    jw_obj_begin(&w);
    jw_key(&w, "name");
    jw_str(&w, "fathom");
    jw_key(&w, "version");
    jw_str(&w, opts->tool_version ? opts->tool_version : FATHOM_VERSION_STRING);
    jw_obj_end(&w);

    jw_key(&w, "summary");
    jw_obj_begin(&w);
    jw_key(&w, "files");
    jw_uint(&w, res->files);
    jw_key(&w, "documents");
    jw_uint(&w, res->documents);
    jw_key(&w, "objects");
    jw_uint(&w, res->objects_len);
    jw_key(&w, "analysed");
    jw_uint(&w, analysed);
    jw_key(&w, "findings");
    jw_obj_begin(&w);
    for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        jw_key(&w, fth_severity_name(order[i]));
        jw_uint(&w, counts[order[i]]);
    }
    if (counts[FTH_SEV_UNKNOWN]) {
        jw_key(&w, "UNKNOWN");
        jw_uint(&w, counts[FTH_SEV_UNKNOWN]);
    }
    jw_obj_end(&w);
    jw_key(&w, "suppressed");
    jw_uint(&w, suppressed);
    jw_key(&w, "errors");
    jw_uint(&w, res->errors_len);
    jw_key(&w, "warnings");
    jw_uint(&w, res->warnings_len);
    jw_key(&w, "failOn");
    jw_str(&w, opts->fail_on == FTH_SEV_UNKNOWN ? NULL : fth_severity_name(opts->fail_on));
    jw_key(&w, "blocking");
    jw_uint(&w, blocking);
    jw_obj_end(&w);

    jw_key(&w, "objects");
    jw_arr_begin(&w);
    for (i = 0; i < res->objects_len; i++)
        write_object(&w, res->objects[i], opts);
    jw_arr_end(&w);

    jw_key(&w, "findings");
    jw_arr_begin(&w);
    for (i = 0; i < res->findings_len; i++)
        write_finding(&w, res->findings[i]);
    jw_arr_end(&w);

    jw_key(&w, "errors");
    write_errors(&w, res->errors, res->errors_len);
    jw_key(&w, "warnings");
    write_errors(&w, res->warnings, res->warnings_len);
    jw_obj_end(&w);
    return jw_finish(&w);
}
