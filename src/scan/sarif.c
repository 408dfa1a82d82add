/*
 * SARIF 2.1.0 for an image scan: one run, a rule per distinct finding id (advisory, secret
 * rule, hygiene rule) with its security-severity, a result per finding located at the file
 * inside the image (the image reference for config findings), with the layer in its
 * properties. Suppressed findings carry a SARIF suppression with the ignore file's reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan_int.h"
#include "../base/banned.h"

/* Percent-encode all but unreserved characters and '/', so any path is a uri-reference. */
static json_t *uri(const char *s)
{
    struct fth_buf b = FTH_BUF_INIT;
    json_t *j = NULL;
    int error = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p && !error; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/')
            error = fth_buf_putc(&b, (char)*p);
        else
            error = fth_buf_printf(&b, "%%%02X", *p);
    }
    if (!error)
        j = json_stringn(b.ptr, b.len);
    fth_buf_release(&b);
    return j;
}

static const char *level(enum fth_severity s)
{
    return s >= FTH_SEV_HIGH ? "error" : s == FTH_SEV_MEDIUM ? "warning" : "note";
}

/* GitHub code scanning's security-severity: a CVSS-like number per severity. */
static const char *security_severity(const struct fth_scan_finding *f, char buf[16])
{
    static const char *const by_sev[] = {"0.0", "0.0", "3.0", "5.5", "8.0", "9.5"};

    if (f->cvss_score >= 0) {
        snprintf(buf, 16, "%.1f", f->cvss_score);
        return buf;
    }
    return by_sev[f->severity];
}

static int add(json_t *o, const char *k, json_t *v)
{
    return v && json_object_set_new(o, k, v) == 0 ? 0 : 1;
}

int scan_report_sarif(struct fth_buf *out, const struct fth_image *img,
                      const struct fth_scan_result *res, const struct fth_scan_report_opts *opts)
{
    json_t *doc = NULL, *rules = json_array(), *results = json_array(), *driver, *run;
    const char **ids = NULL;
    size_t nids = 0;
    int e = 0, error = FTH_ENOMEM;

    if (!rules || !results)
        goto out;
    if (res->nfindings && !(ids = calloc(res->nfindings, sizeof(*ids))))
        goto out;
    for (size_t i = 0; i < res->nfindings && !e; i++) {
        const struct fth_scan_finding *f = &res->findings[i];
        json_t *r, *loc, *props, *msg;
        size_t idx;
        char sbuf[16];

        for (idx = 0; idx < nids && strcmp(ids[idx], f->id); idx++)
            ;
        if (idx == nids) {
            json_t *rule = json_object();

            ids[nids++] = f->id;
            e |= !rule;
            if (rule) {
                e |= add(rule, "id", scan_jstr(f->id));
                e |= add(rule, "shortDescription", json_pack("{s:o}", "text", scan_jstr(f->title)));
                if (f->nreferences)
                    e |= add(rule, "helpUri", scan_jstr(f->references[0]));
                if (*f->remediation)
                    e |= add(rule, "help", json_pack("{s:o}", "text", scan_jstr(f->remediation)));
                e |= add(rule, "properties",
                         json_pack("{s:s, s:[s, s]}", "security-severity",
                                   security_severity(f, sbuf), "tags", "security",
                                   f->cls == FTH_CLASS_VULNERABILITY ? "vulnerability"
                                   : f->cls == FTH_CLASS_SECRET      ? "secret"
                                   : f->cls == FTH_CLASS_LICENSE     ? "license"
                                                                     : "hygiene"));
                e |= json_array_append_new(rules, rule) != 0;
            }
        }
        r = json_object();
        props = json_object();
        msg = json_object();
        if (!r || !props || !msg) {
            json_decref(r);
            json_decref(props);
            json_decref(msg);
            e = 1;
            break;
        }
        e |= add(r, "ruleId", scan_jstr(f->id));
        e |= add(r, "ruleIndex", json_integer((json_int_t)idx));
        e |= add(r, "level", json_string(level(f->severity)));
        e |= add(msg, "text", scan_jstr(f->message));
        e |= add(r, "message", msg);
        loc = json_pack("{s:{s:{s:o}, s:{s:i}}}", "physicalLocation", "artifactLocation", "uri",
                        uri(*f->path ? f->path : img->ref), "region", "startLine",
                        f->line ? (int)f->line : 1);
        e |= add(r, "locations", loc ? json_pack("[o]", loc) : NULL);
        e |= add(props, "severity", json_string(fth_severity_name(f->severity)));
        e |= add(props, "presentInFinalImage", json_boolean(f->present));
        if (f->layer >= 0 && (size_t)f->layer < img->nlayers) {
            e |= add(props, "layer", json_integer(f->layer));
            e |= add(props, "layerDigest", scan_jstr(img->layers[f->layer].digest));
            e |= add(props, "layerCreatedBy", scan_jstr(img->layers[f->layer].created_by));
        }
        if (f->pkg) {
            e |= add(props, "package", scan_jstr(f->pkg->name));
            e |= add(props, "installedVersion", scan_jstr(f->pkg->version));
            e |= add(props, "purl", scan_jstr(f->pkg->purl));
            if (f->cls == FTH_CLASS_VULNERABILITY)
                e |= add(props, "status", scan_jstr(f->status));
            if (f->nfixed)
                e |= add(props, "fixedVersion", scan_jstr(f->fixed[0]));
        }
        if (f->cls == FTH_CLASS_LICENSE)
            e |= add(props, "licenseCategory", scan_jstr(f->category));
        e |= add(r, "properties", props);
        if (f->suppressed)
            e |= add(r, "suppressions",
                     json_pack("[{s:s, s:o}]", "kind", "external", "justification",
                               scan_jstr(f->suppressed)));
        e |= json_array_append_new(results, r) != 0;
    }
    if (e)
        goto out;
    driver = json_pack("{s:s, s:o, s:s, s:o}", "name", "fathom", "version",
                       scan_jstr(opts->tool_version ? opts->tool_version : ""), "informationUri",
                       "https://fathom.dev", "rules", rules);
    rules = NULL;
    run = driver ? json_pack("{s:{s:o}, s:o}", "tool", "driver", driver, "results", results) : NULL;
    results = NULL;
    if (run)
        doc = json_pack("{s:s, s:s, s:[o]}", "$schema",
                        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                        "sarif-schema-2.1.0.json",
                        "version", "2.1.0", "runs", run);
    if (doc)
        error = scan_json_dump(out, doc);
out:
    free(ids);
    json_decref(rules);
    json_decref(results);
    json_decref(doc);
    return error;
}
