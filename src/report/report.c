/* report: format names, dispatch to the renderers, and the rule catalogue. */
#include "report_int.h"
#include "jsonw.h"

#include <string.h>

#include "../base/banned.h"

static const char *const format_names[] = {"table", "json", "kubesec", "sarif"};
#define FORMAT_COUNT (sizeof(format_names) / sizeof(format_names[0]))

int fth_report_format_parse(enum fth_report_format *out, const char *name)
{
    int error = FTH_EINVALID;
    size_t i;

    if (!out || !name)
        goto out;
    for (i = 0; i < FORMAT_COUNT; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (enum fth_report_format)i;
            error = 0;
            goto out;
        }
    }
out:
    return error;
}

const char *fth_report_format_name(enum fth_report_format fmt)
{
    if ((unsigned)fmt >= FORMAT_COUNT)
        return "unknown";
    return format_names[fmt];
}

int fth_report_k8s(struct fth_buf *out, enum fth_report_format fmt,
                   const struct fth_k8s_result *res, const struct fth_report_opts *opts)
{
    static const struct fth_report_opts defaults = FTH_REPORT_OPTS_INIT;
    int error = FTH_EINVALID;

    if (!out || !res)
        goto out;
    if (!opts)
        opts = &defaults;
    switch (fmt) {
    case FTH_REPORT_TABLE:
        error = report_table(out, res, opts);
        break;
    case FTH_REPORT_JSON:
        error = report_json(out, res, opts);
        break;
    case FTH_REPORT_KUBESEC:
        error = report_kubesec(out, res, opts);
        break;
    case FTH_REPORT_SARIF:
        error = report_sarif(out, res, opts);
        break;
    }
out:
    return error;
}

/* ---- rules ---- */

/* Rule text is static, but still keep tabs and newlines out of the one-line table. */
static int put_cell(struct fth_buf *out, const char *s, size_t width)
{
    int error = 0;
    size_t n = 0;

    for (; s && *s; s++, n++) {
        char c = *s;
        if (c == '\n' || c == '\t' || c == '\r')
            c = ' ';
        if ((error = fth_buf_putc(out, c)) < 0)
            goto out;
    }
    for (; n < width; n++) {
        if ((error = fth_buf_putc(out, ' ')) < 0)
            goto out;
    }
out:
    return error;
}

static int rules_table(struct fth_buf *out, const struct fth_rule *const *rules, size_t n)
{
    size_t wid = strlen("ID"), wsrc = strlen("SOURCE"), wsev = strlen("SEVERITY"), i;
    int error = 0;

    for (i = 0; i < n; i++) {
        size_t l = strlen(rules[i]->id);
        wid = l > wid ? l : wid;
        l = strlen(rules[i]->source ? rules[i]->source : "");
        wsrc = l > wsrc ? l : wsrc;
    }
    if ((error = put_cell(out, "ID", wid + 2)) < 0 ||
        (error = put_cell(out, "SOURCE", wsrc + 2)) < 0 ||
        (error = put_cell(out, "SEVERITY", wsev + 2)) < 0 ||
        (error = fth_buf_puts(out, "TITLE\n")) < 0)
        goto out;
    for (i = 0; i < n; i++) {
        const struct fth_rule *r = rules[i];
        if ((error = put_cell(out, r->id, wid + 2)) < 0 ||
            (error = put_cell(out, r->source, wsrc + 2)) < 0 ||
            (error = put_cell(out, fth_severity_name(r->severity), wsev + 2)) < 0 ||
            (error = put_cell(out, r->title, 0)) < 0)
            goto out;
        /* no trailing blanks when a rule has no title */
        while (out->len && out->ptr[out->len - 1] == ' ')
            out->ptr[--out->len] = '\0';
        if ((error = fth_buf_putc(out, '\n')) < 0)
            goto out;
    }
    error = fth_buf_printf(out, "%zu rules\n", n);
out:
    return error;
}

/* "Deployment, DaemonSet" → ["Deployment", "DaemonSet"]; "" → [] (every kind). */
static void write_kinds(struct jw *w, const char *kinds)
{
    const char *p = kinds ? kinds : "";

    jw_arr_begin(w);
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *s = p;
        size_t l = len;
        while (l && (*s == ' ' || *s == '\t'))
            s++, l--;
        while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
            l--;
        if (l)
            jw_strn(w, s, l);
        p += len;
        if (*p == ',')
            p++;
    }
    jw_arr_end(w);
}

static int rules_json(struct fth_buf *out, const struct fth_rule *const *rules, size_t n)
{
    struct jw w;
    size_t i;

    jw_init(&w, out);
    jw_obj_begin(&w);
    jw_key(&w, "schemaVersion");
    jw_int(&w, 1);
    jw_key(&w, "rules");
    jw_arr_begin(&w);
    for (i = 0; i < n; i++) {
        const struct fth_rule *r = rules[i];
        jw_obj_begin(&w);
        jw_key(&w, "id");
        jw_str(&w, r->id);
        jw_key(&w, "source");
        jw_str(&w, r->source);
        jw_key(&w, "class");
        jw_str(&w, fth_finding_class_name(r->cls));
        jw_key(&w, "severity");
        jw_str(&w, fth_severity_name(r->severity));
        jw_key(&w, "title");
        jw_str(&w, r->title);
        jw_key(&w, "rationale");
        jw_str(&w, r->rationale);
        jw_key(&w, "remediation");
        jw_str(&w, r->remediation);
        jw_key(&w, "reference");
        jw_str(&w, r->reference);
        jw_key(&w, "kinds");
        write_kinds(&w, r->kinds);
        jw_key(&w, "points");
        jw_int(&w, r->points);
        jw_key(&w, "advise");
        jw_int(&w, r->advise);
        jw_key(&w, "selector");
        jw_str(&w, r->selector);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return jw_finish(&w);
}

int fth_report_rules(struct fth_buf *out, enum fth_report_format fmt,
                     const struct fth_rule *const *rules, size_t n)
{
    int error = FTH_EINVALID;

    if (!out || (n && !rules))
        goto out;
    if (fmt == FTH_REPORT_TABLE)
        error = rules_table(out, rules, n);
    else if (fmt == FTH_REPORT_JSON)
        error = rules_json(out, rules, n);
    else
        error = FTH_EUSAGE; /* the catalogue has no kubesec or SARIF form */
out:
    return error;
}
