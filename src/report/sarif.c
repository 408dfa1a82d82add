/*
 * SARIF 2.1.0 (docs/sarif.md): one run; the rules that fired, with GitHub's
 * security-severity; one result per finding, suppressed ones marked inSource; input errors
 * and warnings as tool execution notifications.
 */
#include "report_int.h"
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"

#define SARIF_SCHEMA                                                                               \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define INFORMATION_URI "https://fathom.dev"

static const char *sarif_level(enum fth_severity sev)
{
    switch (sev) {
    case FTH_SEV_CRITICAL:
    case FTH_SEV_HIGH:
        return "error";
    case FTH_SEV_MEDIUM:
        return "warning";
    case FTH_SEV_LOW:
    case FTH_SEV_INFO:
    case FTH_SEV_UNKNOWN:
        break;
    }
    return "note";
}

/* GitHub code scanning reads properties.security-severity as a string holding a number. */
static const char *security_severity(enum fth_severity sev)
{
    switch (sev) {
    case FTH_SEV_CRITICAL:
        return "9.5";
    case FTH_SEV_HIGH:
        return "8.0";
    case FTH_SEV_MEDIUM:
        return "5.5";
    case FTH_SEV_LOW:
        return "3.0";
    case FTH_SEV_INFO:
    case FTH_SEV_UNKNOWN:
        break;
    }
    return "0.0";
}

/*
 * A relative path as given, made a URI reference: unreserved characters, '/' and the
 * harmless sub-delimiters stay, everything else (including ':', which would read as a
 * scheme, and every non-ASCII byte) is percent-encoded.
 */
static int uri_escape(struct fth_buf *out, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)(path ? path : "");
    int error = 0;

    for (; *p; p++) {
        unsigned char c = *p;
        char enc[3];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/!$'()*+,;=@", c)) {
            error = fth_buf_putc(out, (char)c);
        } else {
            enc[0] = '%', enc[1] = hex[c >> 4], enc[2] = hex[c & 15];
            error = fth_buf_put(out, enc, 3);
        }
        if (error < 0)
            break;
    }
    return error;
}

static int rule_cmp(const void *a, const void *b)
{
    const struct fth_rule *x = *(const struct fth_rule *const *)a;
    const struct fth_rule *y = *(const struct fth_rule *const *)b;
    return strcmp(x->id, y->id);
}

static size_t rule_index(const struct fth_rule **rules, size_t n, const struct fth_rule *r)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(rules[mid]->id, r->id);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0; /* not reached: every finding's rule is in the table */
}

static void text(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_obj_begin(w);
    jw_key(w, "text");
    jw_str(w, s);
    jw_obj_end(w);
}

static void write_rule(struct jw *w, const struct fth_rule *r)
{
    jw_obj_begin(w);
    jw_key(w, "id");
    jw_str(w, r->id);
    jw_key(w, "name");
    jw_str(w, r->id);
    text(w, "shortDescription", r->title && r->title[0] ? r->title : r->id);
    if (r->rationale && r->rationale[0])
        text(w, "fullDescription", r->rationale);
    if (r->remediation && r->remediation[0])
        text(w, "help", r->remediation);
    if (r->reference && r->reference[0]) {
        jw_key(w, "helpUri");
        jw_str(w, r->reference);
    }
    jw_key(w, "defaultConfiguration");
    jw_obj_begin(w);
    jw_key(w, "level");
    jw_str(w, sarif_level(r->severity));
    jw_obj_end(w);
    jw_key(w, "properties");
    jw_obj_begin(w);
    jw_key(w, "tags");
    jw_arr_begin(w);
    jw_str(w, "security");
    jw_str(w, "kubernetes");
    jw_str(w, fth_finding_class_name(r->cls));
    if (r->source && r->source[0])
        jw_str(w, r->source);
    jw_arr_end(w);
    jw_key(w, "security-severity");
    jw_str(w, security_severity(r->severity));
    jw_key(w, "severity");
    jw_str(w, fth_severity_name(r->severity));
    jw_obj_end(w);
    jw_obj_end(w);
}

/* artifactLocation and, when the line is known, region. */
static void physical(struct jw *w, struct fth_buf *uri, const char *file, unsigned line,
                     unsigned column, int need_line)
{
    fth_buf_clear(uri);
    if (uri_escape(uri, file && file[0] ? file : "unknown") < 0 && !w->error)
        w->error = FTH_ENOMEM;
    jw_key(w, "physicalLocation");
    jw_obj_begin(w);
    jw_key(w, "artifactLocation");
    jw_obj_begin(w);
    jw_key(w, "uri");
    jw_strn(w, uri->ptr, uri->len);
    jw_obj_end(w);
    if (line || need_line) {
        jw_key(w, "region");
        jw_obj_begin(w);
        jw_key(w, "startLine");
        jw_uint(w, line ? line : 1);
        if (line && column) {
            jw_key(w, "startColumn");
            jw_uint(w, column);
        }
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

static void write_result(struct jw *w, struct fth_buf *uri, const struct fth_finding *f,
                         size_t index)
{
    jw_obj_begin(w);
    jw_key(w, "ruleId");
    jw_str(w, f->rule->id);
    jw_key(w, "ruleIndex");
    jw_uint(w, index);
    jw_key(w, "level");
    jw_str(w, sarif_level(f->severity));
    text(w, "message", f->message && f->message[0] ? f->message : f->rule->title);
    jw_key(w, "locations");
    jw_arr_begin(w);
    jw_obj_begin(w);
    physical(w, uri, f->loc.file, f->loc.line, f->loc.column, 1);
    if (f->object && f->object[0]) {
        jw_key(w, "logicalLocations");
        jw_arr_begin(w);
        jw_obj_begin(w);
        jw_key(w, "name");
        jw_str(w, f->object);
        jw_key(w, "fullyQualifiedName");
        jw_str(w, f->object);
        jw_key(w, "kind");
        jw_str(w, "resource");
        jw_obj_end(w);
        jw_arr_end(w);
    }
    jw_obj_end(w);
    jw_arr_end(w);
    if (f->suppressed) {
        jw_key(w, "suppressions");
        jw_arr_begin(w);
        jw_obj_begin(w);
        jw_key(w, "kind");
        jw_str(w, "inSource");
        jw_key(w, "justification");
        jw_str(w, f->suppressed);
        jw_obj_end(w);
        jw_arr_end(w);
    }
    jw_key(w, "properties");
    jw_obj_begin(w);
    jw_key(w, "severity");
    jw_str(w, fth_severity_name(f->severity));
    jw_key(w, "security-severity");
    jw_str(w, security_severity(f->severity));
    if (f->container) {
        jw_key(w, "container");
        jw_str(w, f->container);
    }
    if (f->loc.field) {
        jw_key(w, "field");
        jw_str(w, f->loc.field);
    }
    jw_obj_end(w);
    jw_obj_end(w);
}

static void write_notifications(struct jw *w, struct fth_buf *uri, struct fth_error *const *errs,
                                size_t n, const char *level)
{
    size_t i;
    for (i = 0; i < n; i++) {
        const struct fth_error *e = errs[i];
        jw_obj_begin(w);
        jw_key(w, "level");
        jw_str(w, level);
        text(w, "message", e->message[0] ? e->message : fth_error_name(e->code));
        if (e->file[0]) {
            jw_key(w, "locations");
            jw_arr_begin(w);
            jw_obj_begin(w);
            physical(w, uri, e->file, e->line, e->column, 0);
            jw_obj_end(w);
            jw_arr_end(w);
        }
        jw_obj_end(w);
    }
}

int report_sarif(struct fth_buf *out, const struct fth_k8s_result *res,
                 const struct fth_report_opts *opts)
{
    const struct fth_rule **rules = NULL;
    struct fth_buf uri = FTH_BUF_INIT;
    struct fth_arena *a = NULL;
    size_t nrules = 0, i;
    struct jw w;
    int error = 0;

    if (!(a = fth_arena_new()) ||
        !(rules = fth_arena_calloc(a, res->findings_len + 1, sizeof(*rules)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < res->findings_len; i++) {
        if (!res->findings[i]->rule) {
            error = FTH_EINVALID;
            goto out;
        }
        rules[nrules++] = res->findings[i]->rule;
    }
    if (nrules)
        qsort(rules, nrules, sizeof(*rules), rule_cmp);
    if (nrules) {
        size_t k = 1;
        for (i = 1; i < nrules; i++) {
            if (strcmp(rules[i]->id, rules[k - 1]->id) != 0)
                rules[k++] = rules[i];
        }
        nrules = k;
    }

    jw_init(&w, out);
    jw_obj_begin(&w);
    jw_key(&w, "$schema");
    jw_str(&w, SARIF_SCHEMA);
    jw_key(&w, "version");
    jw_str(&w, "2.1.0");
    jw_key(&w, "runs");
    jw_arr_begin(&w);
    jw_obj_begin(&w);

    jw_key(&w, "tool");
    jw_obj_begin(&w);
    jw_key(&w, "driver");
    jw_obj_begin(&w);
    jw_key(&w, "name");
    jw_str(&w, "fathom");
    jw_key(&w, "version");
    jw_str(&w, opts->tool_version ? opts->tool_version : FATHOM_VERSION_STRING);
    jw_key(&w, "informationUri");
    jw_str(&w, INFORMATION_URI);
    jw_key(&w, "rules");
    jw_arr_begin(&w);
    for (i = 0; i < nrules; i++)
        write_rule(&w, rules[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_obj_end(&w);

    jw_key(&w, "invocations");
    jw_arr_begin(&w);
    jw_obj_begin(&w);
    jw_key(&w, "executionSuccessful");
    jw_bool(&w, res->errors_len == 0);
    jw_key(&w, "toolExecutionNotifications");
    jw_arr_begin(&w);
    write_notifications(&w, &uri, res->errors, res->errors_len, "error");
    write_notifications(&w, &uri, res->warnings, res->warnings_len, "warning");
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_arr_end(&w);

    jw_key(&w, "columnKind");
    jw_str(&w, "unicodeCodePoints");
    jw_key(&w, "results");
    jw_arr_begin(&w);
    for (i = 0; i < res->findings_len; i++) {
        const struct fth_finding *f = res->findings[i];
        write_result(&w, &uri, f, rule_index(rules, nrules, f->rule));
    }
    jw_arr_end(&w);

    jw_obj_end(&w);
    jw_arr_end(&w);
    jw_obj_end(&w);
    error = jw_finish(&w);
out:
    fth_buf_release(&uri);
    fth_arena_free(a);
    return error;
}
