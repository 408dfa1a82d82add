/* Unit tests for the report renderers on a hand-built scan result (no scan needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/report.h"

/* ---- a small result: a Deployment with findings, a CRD, an error and a warning ---- */

static const struct fth_rule rule_priv = {
    "Privileged",
    "kubesec",
    FTH_CLASS_MISCONFIG,
    FTH_SEV_CRITICAL,
    "Privileged container",
    "Privileged containers can do almost anything on the node",
    "Set securityContext.privileged to false",
    "https://kubesec.io/basics/privileged/",
    "Pod, Deployment",
    -30,
    0,
    "containers[] .securityContext .privileged == true"};
static const struct fth_rule rule_latest = {"ImageTagLatest",
                                            "fathom",
                                            FTH_CLASS_MISCONFIG,
                                            FTH_SEV_MEDIUM,
                                            "Image uses the latest tag",
                                            "The image can change under you",
                                            "Pin a tag or digest",
                                            "https://fathom.dev/rules/latest",
                                            "",
                                            0,
                                            0,
                                            NULL};
static const struct fth_rule rule_ro = {"ReadOnlyRootFilesystem",
                                        "kubesec",
                                        FTH_CLASS_MISCONFIG,
                                        FTH_SEV_LOW,
                                        "Read-only root",
                                        "",
                                        "",
                                        "",
                                        "Pod, Deployment",
                                        1,
                                        3,
                                        "containers[] .securityContext .readOnlyRootFilesystem"};
static const struct fth_rule rule_hostns = {"PSS-hostNamespaces",
                                            "pss",
                                            FTH_CLASS_MISCONFIG,
                                            FTH_SEV_HIGH,
                                            "Host namespaces",
                                            NULL,
                                            NULL,
                                            NULL,
                                            "",
                                            0,
                                            0,
                                            NULL};

/* Everything a manifest can carry that must never break an output. */
#define HOSTILE "q\"b\\s\n\x01\x1b[31mred\xff\xc3(\xed\xa0\x80 \xc3\xa9nd"

struct fixture {
    struct fth_k8s_object deploy, crd;
    struct fth_k8s_object *objects[2];
    struct fth_kubesec_match ks[3];
    struct fth_pss_violation pss[1];
    struct fth_finding f[4];
    struct fth_finding *findings[4];
    struct fth_error err, warn;
    struct fth_error *errors[1], *warnings[1];
    struct fth_k8s_result res;
};

static void build(struct fixture *x)
{
    memset(x, 0, sizeof(*x));

    x->deploy.file = "dir with space/a:b.yaml";
    x->deploy.doc = 0;
    x->deploy.line = 1;
    x->deploy.api_version = "apps/v1";
    x->deploy.kind = "Deployment";
    x->deploy.name = "web";
    x->deploy.namespace = "prod";
    x->deploy.display = "Deployment/web.prod";
    x->deploy.analysed = 1;
    x->deploy.kubesec_supported = 1;
    x->deploy.kubesec_score = -30;
    x->ks[0] = (struct fth_kubesec_match){&rule_priv, 1, FTH_KUBESEC_CRITICAL};
    x->ks[1] = (struct fth_kubesec_match){&rule_ro, 0, FTH_KUBESEC_ADVISE};
    x->ks[2] = (struct fth_kubesec_match){&rule_latest, 1, FTH_KUBESEC_PASSED};
    x->deploy.kubesec = x->ks;
    x->deploy.kubesec_len = 3;
    x->deploy.pss_checked = 1;
    x->deploy.pss_allowed = 0;
    x->pss[0] = (struct fth_pss_violation){"hostNamespaces", "host namespaces", "hostNetwork=true"};
    x->deploy.pss = x->pss;
    x->deploy.pss_len = 1;
    x->deploy.pss_message =
        "violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)";

    x->crd.file = "dir with space/a:b.yaml";
    x->crd.doc = 1;
    x->crd.line = 30;
    x->crd.api_version = "apiextensions.k8s.io/v1";
    x->crd.kind = "CustomResourceDefinition";
    x->crd.name = "foos.example.com";
    x->crd.display = "CustomResourceDefinition/foos.example.com";
    x->crd.analysed = 0;
    x->crd.note = "CustomResourceDefinition: not analysed";

    x->f[0] = (struct fth_finding){
        &rule_priv,
        FTH_SEV_CRITICAL,
        "privileged container",
        "Deployment/web.prod",
        "app",
        {x->deploy.file, 0, 20, 13, "spec.template.spec.containers[0].securityContext.privileged"},
        NULL};
    x->f[1] = (struct fth_finding){&rule_hostns,
                                   FTH_SEV_HIGH,
                                   "hostNetwork=true",
                                   "Deployment/web.prod",
                                   NULL,
                                   {x->deploy.file, 0, 8, 7, "spec.template.spec.hostNetwork"},
                                   NULL};
    x->f[2] = (struct fth_finding){&rule_latest,
                                   FTH_SEV_MEDIUM,
                                   "image '" HOSTILE "' uses latest",
                                   "Deployment/web.prod",
                                   "side" HOSTILE,
                                   {x->deploy.file, 0, 22, 16, NULL},
                                   NULL};
    x->f[3] = (struct fth_finding){&rule_priv,
                                   FTH_SEV_CRITICAL,
                                   "privileged container",
                                   "Deployment/web.prod",
                                   "debug",
                                   {x->deploy.file, 0, 25, 13, NULL},
                                   "annotation fathom.dev/ignore: debug only"};
    for (int i = 0; i < 4; i++)
        x->findings[i] = &x->f[i];
    x->objects[0] = &x->deploy;
    x->objects[1] = &x->crd;

    x->err.code = FTH_EINVALID;
    x->err.line = 40;
    x->err.column = 3;
    snprintf(x->err.file, sizeof(x->err.file), "%s", x->deploy.file);
    snprintf(x->err.message, sizeof(x->err.message), "mapping values are not allowed here");
    x->warn.code = FTH_EINVALID;
    snprintf(x->warn.file, sizeof(x->warn.file), "empty.yaml");
    snprintf(x->warn.message, sizeof(x->warn.message), "no Kubernetes objects");
    x->errors[0] = &x->err;
    x->warnings[0] = &x->warn;

    x->res.objects = x->objects;
    x->res.objects_len = 2;
    x->res.findings = x->findings;
    x->res.findings_len = 4;
    x->res.errors = x->errors;
    x->res.errors_len = 1;
    x->res.warnings = x->warnings;
    x->res.warnings_len = 1;
    x->res.files = 2;
    x->res.documents = 3;
    x->res.bytes = 1000;
}

static json_t *render_json(const struct fth_k8s_result *res, enum fth_report_format fmt,
                           const struct fth_report_opts *opts)
{
    struct fth_buf out = FTH_BUF_INIT;
    json_error_t jerr;
    json_t *root;

    assert_int_equal(fth_report_k8s(&out, fmt, res, opts), 0);
    /* jansson rejects invalid UTF-8 and raw control characters */
    root = json_loadb(out.ptr, out.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        fail_msg("invalid JSON: %s at %d:%d", jerr.text, jerr.line, jerr.column);
    assert_int_equal(out.ptr[out.len - 1], '\n');
    fth_buf_release(&out);
    return root;
}

static const char *sget(json_t *v, const char *path)
{
    json_t *cur = v;
    char key[64];
    const char *p = path;

    while (*p && cur) {
        size_t n = strcspn(p, ".");
        snprintf(key, sizeof(key), "%.*s", (int)n, p);
        if (json_is_array(cur))
            cur = json_array_get(cur, (size_t)strtoul(key, NULL, 10));
        else
            cur = json_object_get(cur, key);
        p += n + (p[n] == '.');
    }
    return json_string_value(cur);
}

static json_int_t iget(json_t *v, const char *path)
{
    json_t *cur = v;
    char key[64];
    const char *p = path;

    while (*p && cur) {
        size_t n = strcspn(p, ".");
        snprintf(key, sizeof(key), "%.*s", (int)n, p);
        if (json_is_array(cur))
            cur = json_array_get(cur, (size_t)strtoul(key, NULL, 10));
        else
            cur = json_object_get(cur, key);
        p += n + (p[n] == '.');
    }
    assert_non_null(cur);
    if (json_is_boolean(cur))
        return json_is_true(cur);
    assert_true(json_is_integer(cur));
    return json_integer_value(cur);
}

/* ---- format names ---- */

static void test_report_format_parse(void **state)
{
    static const char *const names[] = {"table", "json", "kubesec", "sarif"};
    enum fth_report_format fmt = FTH_REPORT_TABLE;
    (void)state;

    for (int i = 0; i < 4; i++) {
        assert_int_equal(fth_report_format_parse(&fmt, names[i]), 0);
        assert_int_equal((int)fmt, i);
        assert_string_equal(fth_report_format_name(fmt), names[i]);
    }
    assert_int_equal(fth_report_format_parse(&fmt, "JSON"), FTH_EINVALID);
    assert_int_equal(fth_report_format_parse(&fmt, "Table"), FTH_EINVALID);
    assert_int_equal(fth_report_format_parse(&fmt, ""), FTH_EINVALID);
    assert_int_equal(fth_report_format_parse(&fmt, "sarif "), FTH_EINVALID);
    assert_int_equal(fth_report_format_parse(&fmt, NULL), FTH_EINVALID);
    assert_int_equal((int)fmt, FTH_REPORT_SARIF); /* untouched on failure */
    assert_string_equal(fth_report_format_name((enum fth_report_format)42), "unknown");
}

/* ---- JSON ---- */

static void test_report_json_document(void **state)
{
    struct fth_report_opts opts = FTH_REPORT_OPTS_INIT;
    struct fixture x;
    json_t *root;
    (void)state;

    build(&x);
    opts.pss_level = FTH_PSS_BASELINE;
    opts.tool_version = "9.9.9";
    root = render_json(&x.res, FTH_REPORT_JSON, &opts);

    assert_int_equal(iget(root, "schemaVersion"), 1);
    assert_string_equal(sget(root, "tool.name"), "fathom");
    assert_string_equal(sget(root, "tool.version"), "9.9.9");
    assert_int_equal(iget(root, "summary.files"), 2);
    assert_int_equal(iget(root, "summary.documents"), 3);
    assert_int_equal(iget(root, "summary.objects"), 2);
    assert_int_equal(iget(root, "summary.analysed"), 1);
    /* the suppressed CRITICAL is counted apart */
    assert_int_equal(iget(root, "summary.findings.CRITICAL"), 1);
    assert_int_equal(iget(root, "summary.findings.HIGH"), 1);
    assert_int_equal(iget(root, "summary.findings.MEDIUM"), 1);
    assert_int_equal(iget(root, "summary.findings.LOW"), 0);
    assert_int_equal(iget(root, "summary.findings.INFO"), 0);
    assert_null(
        json_object_get(json_object_get(json_object_get(root, "summary"), "findings"), "UNKNOWN"));
    assert_int_equal(iget(root, "summary.suppressed"), 1);
    assert_int_equal(iget(root, "summary.errors"), 1);
    assert_string_equal(sget(root, "summary.failOn"), "HIGH");
    assert_int_equal(iget(root, "summary.blocking"), 2);

    assert_string_equal(sget(root, "objects.0.object"), "Deployment/web.prod");
    assert_string_equal(sget(root, "objects.0.apiVersion"), "apps/v1");
    assert_int_equal(iget(root, "objects.0.kubesec.score"), -30);
    assert_string_equal(sget(root, "objects.0.kubesec.critical.0"), "Privileged");
    assert_string_equal(sget(root, "objects.0.kubesec.passed.0"), "ImageTagLatest");
    assert_string_equal(sget(root, "objects.0.kubesec.advise.0"), "ReadOnlyRootFilesystem");
    assert_string_equal(sget(root, "objects.0.pss.level"), "baseline");
    assert_string_equal(sget(root, "objects.0.pss.version"), "latest");
    assert_int_equal(iget(root, "objects.0.pss.allowed"), 0);
    assert_string_equal(sget(root, "objects.0.pss.violations.0.check"), "hostNamespaces");
    assert_string_equal(sget(root, "objects.0.pss.violations.0.detail"), "hostNetwork=true");
    assert_int_equal(iget(root, "objects.1.analysed"), 0);
    assert_string_equal(sget(root, "objects.1.note"), "CustomResourceDefinition: not analysed");
    assert_null(json_object_get(json_array_get(json_object_get(root, "objects"), 1), "kubesec"));
    assert_null(json_object_get(json_array_get(json_object_get(root, "objects"), 1), "pss"));

    assert_int_equal(json_array_size(json_object_get(root, "findings")), 4);
    assert_string_equal(sget(root, "findings.0.ruleId"), "Privileged");
    assert_string_equal(sget(root, "findings.0.source"), "kubesec");
    assert_string_equal(sget(root, "findings.0.severity"), "CRITICAL");
    assert_int_equal(iget(root, "findings.0.location.line"), 20);
    assert_int_equal(iget(root, "findings.0.location.column"), 13);
    assert_string_equal(sget(root, "findings.0.location.field"),
                        "spec.template.spec.containers[0].securityContext.privileged");
    assert_int_equal(iget(root, "findings.3.suppressed"), 1);
    assert_string_equal(sget(root, "findings.3.suppression"),
                        "annotation fathom.dev/ignore: debug only");
    assert_int_equal(iget(root, "findings.0.suppressed"), 0);
    assert_true(json_is_null(
        json_object_get(json_array_get(json_object_get(root, "findings"), 1), "container")));

    assert_int_equal(iget(root, "errors.0.line"), 40);
    assert_string_equal(sget(root, "errors.0.message"), "mapping values are not allowed here");
    assert_string_equal(sget(root, "warnings.0.file"), "empty.yaml");
    assert_true(json_is_null(
        json_object_get(json_array_get(json_object_get(root, "warnings"), 0), "line")));
    json_decref(root);
}

static void test_report_json_hostile_strings(void **state)
{
    struct fth_report_opts opts = FTH_REPORT_OPTS_INIT;
    struct fth_buf out = FTH_BUF_INIT;
    struct fixture x;
    json_t *root;
    (void)state;

    build(&x);
    root = render_json(&x.res, FTH_REPORT_JSON, &opts);
    /* quotes, backslash, newline and controls survive; bad bytes become U+FFFD */
    assert_string_equal(sget(root, "findings.2.message"),
                        "image 'q\"b\\s\n\x01\x1b[31mred\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd"
                        "\xef\xbf\xbd\xef\xbf\xbd \xc3\xa9nd' uses latest");
    json_decref(root);

    assert_int_equal(fth_report_k8s(&out, FTH_REPORT_JSON, &x.res, &opts), 0);
    assert_non_null(strstr(out.ptr, "\"image 'q\\\"b\\\\s\\n\\u0001\\u001b[31mred"));
    assert_null(memchr(out.ptr, '\x1b', out.len));
    fth_buf_release(&out);
}

static void test_report_json_empty(void **state)
{
    struct fth_report_opts opts = FTH_REPORT_OPTS_INIT;
    struct fth_k8s_result res;
    struct fth_buf out = FTH_BUF_INIT;
    json_t *root;
    (void)state;

    memset(&res, 0, sizeof(res));
    opts.fail_on = FTH_SEV_UNKNOWN;
    root = render_json(&res, FTH_REPORT_JSON, &opts);
    assert_true(json_is_null(json_object_get(json_object_get(root, "summary"), "failOn")));
    assert_int_equal(json_array_size(json_object_get(root, "findings")), 0);
    json_decref(root);
    root = render_json(&res, FTH_REPORT_SARIF, &opts);
    assert_int_equal(iget(root, "runs.0.invocations.0.executionSuccessful"), 1);
    json_decref(root);
    assert_int_equal(fth_report_k8s(&out, FTH_REPORT_TABLE, &res, NULL), 0);
    assert_non_null(strstr(out.ptr, "0 objects"));
    fth_buf_release(&out);
    /* pretty printing of empty containers */
    assert_int_equal(fth_report_k8s(&out, FTH_REPORT_JSON, &res, &opts), 0);
    assert_non_null(strstr(out.ptr, "\n  \"objects\": [],\n"));
    assert_int_equal(fth_report_k8s(NULL, FTH_REPORT_JSON, &res, &opts), FTH_EINVALID);
    assert_int_equal(fth_report_k8s(&out, FTH_REPORT_JSON, NULL, &opts), FTH_EINVALID);
    fth_buf_release(&out);
}

/* ---- SARIF ---- */

static void test_report_sarif(void **state)
{
    struct fth_report_opts opts = FTH_REPORT_OPTS_INIT;
    struct fixture x;
    json_t *root, *rules, *results;
    (void)state;

    build(&x);
    root = render_json(&x.res, FTH_REPORT_SARIF, &opts);
    assert_string_equal(sget(root, "version"), "2.1.0");
    assert_string_equal(sget(root, "runs.0.tool.driver.name"), "fathom");
    assert_string_equal(sget(root, "runs.0.tool.driver.version"), FATHOM_VERSION_STRING);

    /* each rule once, sorted by id */
    rules = json_object_get(
        json_object_get(json_object_get(json_array_get(json_object_get(root, "runs"), 0), "tool"),
                        "driver"),
        "rules");
    assert_int_equal(json_array_size(rules), 3);
    assert_string_equal(sget(rules, "0.id"), "ImageTagLatest");
    assert_string_equal(sget(rules, "1.id"), "PSS-hostNamespaces");
    assert_string_equal(sget(rules, "2.id"), "Privileged");
    assert_string_equal(sget(rules, "2.shortDescription.text"), "Privileged container");
    assert_string_equal(sget(rules, "2.help.text"), "Set securityContext.privileged to false");
    assert_string_equal(sget(rules, "2.helpUri"), "https://kubesec.io/basics/privileged/");
    assert_string_equal(sget(rules, "2.properties.security-severity"), "9.5");
    assert_string_equal(sget(rules, "2.defaultConfiguration.level"), "error");
    assert_string_equal(sget(rules, "0.properties.security-severity"), "5.5");
    assert_string_equal(sget(rules, "0.defaultConfiguration.level"), "warning");
    /* no rationale, remediation or reference: left out, not empty */
    assert_null(json_object_get(json_array_get(rules, 1), "helpUri"));
    assert_null(json_object_get(json_array_get(rules, 1), "fullDescription"));

    results = json_object_get(json_array_get(json_object_get(root, "runs"), 0), "results");
    assert_int_equal(json_array_size(results), 4);
    for (size_t i = 0; i < 4; i++) {
        json_t *r = json_array_get(results, i);
        json_int_t idx = iget(r, "ruleIndex");
        assert_string_equal(sget(rules, idx == 0   ? "0.id"
                                        : idx == 1 ? "1.id"
                                                   : "2.id"),
                            sget(r, "ruleId"));
        assert_true(iget(r, "locations.0.physicalLocation.region.startLine") >= 1);
        assert_string_equal(sget(r, "locations.0.physicalLocation.artifactLocation.uri"),
                            "dir%20with%20space/a%3Ab.yaml");
    }
    assert_string_equal(sget(results, "0.level"), "error");
    assert_string_equal(sget(results, "2.level"), "warning");
    assert_int_equal(iget(results, "0.locations.0.physicalLocation.region.startColumn"), 13);
    assert_string_equal(sget(results, "0.locations.0.logicalLocations.0.fullyQualifiedName"),
                        "Deployment/web.prod");
    assert_null(json_object_get(json_array_get(results, 0), "suppressions"));
    assert_string_equal(sget(results, "3.suppressions.0.kind"), "inSource");
    assert_string_equal(sget(results, "3.suppressions.0.justification"),
                        "annotation fathom.dev/ignore: debug only");

    assert_int_equal(iget(root, "runs.0.invocations.0.executionSuccessful"), 0);
    assert_string_equal(sget(root, "runs.0.invocations.0.toolExecutionNotifications.0.level"),
                        "error");
    assert_int_equal(iget(root, "runs.0.invocations.0.toolExecutionNotifications.0.locations.0."
                                "physicalLocation.region.startLine"),
                     40);
    assert_string_equal(sget(root, "runs.0.invocations.0.toolExecutionNotifications.1.level"),
                        "warning");
    json_decref(root);
}

/* ---- table ---- */

static size_t columns(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

static void test_report_table(void **state)
{
    struct fth_report_opts opts = FTH_REPORT_OPTS_INIT;
    struct fth_buf out = FTH_BUF_INIT;
    struct fixture x;
    (void)state;

    build(&x);
    opts.pss_level = FTH_PSS_BASELINE;
    opts.width = 1000;
    assert_int_equal(fth_report_k8s(&out, FTH_REPORT_TABLE, &x.res, &opts), 0);
    /* the suppressed finding (container debug) is counted, not shown */
    assert_null(strstr(out.ptr, "debug"));
    assert_non_null(strstr(out.ptr, "1 suppressed"));
    assert_non_null(strstr(out.ptr, "foos.example.com  dir with space/a:b.yaml:30  "
                                    "CustomResourceDefinition: not analysed\n"));
    assert_non_null(strstr(out.ptr, "kubesec score -30"));
    assert_non_null(strstr(out.ptr, "violates PodSecurity \"baseline:latest\""));
    assert_non_null(
        strstr(out.ptr, "dir with space/a:b.yaml:40:3: error: mapping values are not allowed"));
    assert_non_null(strstr(out.ptr, "empty.yaml: warning: no Kubernetes objects"));
    assert_non_null(strstr(out.ptr, "1 CRITICAL, 1 HIGH, 1 MEDIUM, 0 LOW, 0 INFO"));
    assert_non_null(strstr(out.ptr, "gate HIGH: FAIL (2 findings at or above HIGH)"));
    /* findings of an object sit below its heading, in their order */
    assert_true(strstr(out.ptr, "Deployment/web.prod  dir") < strstr(out.ptr, "CRITICAL  Priv"));
    assert_true(strstr(out.ptr, "CRITICAL  Priv") < strstr(out.ptr, "HIGH      PSS-host"));
    /* terminal escapes from the manifest never reach the terminal */
    assert_null(memchr(out.ptr, '\x1b', out.len));
    assert_null(memchr(out.ptr, '\x01', out.len));
    assert_non_null(strstr(out.ptr, "?[31mred"));
    fth_buf_release(&out);

    opts.color = 1;
    assert_int_equal(fth_report_k8s(&out, FTH_REPORT_TABLE, &x.res, &opts), 0);
    assert_non_null(strstr(out.ptr, "  \x1b[1;31mCRITICAL\x1b[0m  Privileged"));
    assert_non_null(strstr(out.ptr, "  \x1b[31mHIGH\x1b[0m"));
    assert_null(strstr(out.ptr, "\x1b[31mred"));
    fth_buf_release(&out);

    opts.fail_on = FTH_SEV_CRITICAL;
    opts.color = 0;
    x.f[0].suppressed = "by test";
    assert_int_equal(fth_report_k8s(&out, FTH_REPORT_TABLE, &x.res, &opts), 0);
    assert_non_null(strstr(out.ptr, "gate CRITICAL: pass"));
    assert_non_null(strstr(out.ptr, "2 suppressed"));
    fth_buf_release(&out);
}

static void test_report_table_truncation(void **state)
{
    struct fth_report_opts opts = FTH_REPORT_OPTS_INIT;
    struct fth_buf out = FTH_BUF_INIT;
    struct fixture x;
    const char *line, *end;
    int cut = 0;
    (void)state;

    build(&x);
    x.f[1].message = "a very long message that goes on and on \xe2\x9c\x93 well past any terminal";
    for (int width = 40; width <= 120; width += 7) {
        opts.width = width;
        opts.color = width % 2;
        assert_int_equal(fth_report_k8s(&out, FTH_REPORT_TABLE, &x.res, &opts), 0);
        for (line = out.ptr; *line; line = end + 1) {
            end = strchr(line, '\n');
            assert_non_null(end);
            if (strncmp(line, "1 CRITICAL", 10) == 0)
                continue; /* the verdict line is never cut */
            if (!opts.color)
                assert_true(columns(line, (size_t)(end - line)) <= (size_t)width);
            if (end > line && strncmp(end - 3, "\xe2\x80\xa6", 3) == 0)
                cut = 1;
            assert_true(end == line || end[-1] != ' ');
        }
        fth_buf_release(&out);
    }
    assert_true(cut);

    /* 0 means 100 columns */
    opts.width = 0;
    opts.color = 0;
    assert_int_equal(fth_report_k8s(&out, FTH_REPORT_TABLE, &x.res, &opts), 0);
    for (line = out.ptr; *line; line = end + 1) {
        end = strchr(line, '\n');
        if (strncmp(line, "1 CRITICAL", 10) != 0)
            assert_true(columns(line, (size_t)(end - line)) <= 100);
    }
    fth_buf_release(&out);
}

static void test_report_kubesec_dispatch(void **state)
{
    struct fth_buf out = FTH_BUF_INIT;
    struct fixture x;
    (void)state;

    build(&x);
    assert_int_equal(fth_report_k8s(&out, FTH_REPORT_KUBESEC, &x.res, NULL), 0);
    assert_true(out.len > 0);
    fth_buf_release(&out);
    assert_int_equal(fth_report_k8s(&out, (enum fth_report_format)9, &x.res, NULL), FTH_EINVALID);
    fth_buf_release(&out);
}

/* ---- rule catalogue ---- */

static void test_report_rules(void **state)
{
    const struct fth_rule *rules[] = {&rule_priv, &rule_latest, &rule_hostns};
    struct fth_buf out = FTH_BUF_INIT;
    json_error_t jerr;
    json_t *root;
    (void)state;

    assert_int_equal(fth_report_rules(&out, FTH_REPORT_TABLE, rules, 3), 0);
    assert_non_null(strstr(out.ptr, "ID                  SOURCE   SEVERITY  TITLE\n"));
    assert_non_null(
        strstr(out.ptr, "Privileged          kubesec  CRITICAL  Privileged container\n"));
    assert_non_null(strstr(out.ptr, "\n3 rules\n"));
    fth_buf_release(&out);

    assert_int_equal(fth_report_rules(&out, FTH_REPORT_JSON, rules, 3), 0);
    root = json_loadb(out.ptr, out.len, 0, &jerr);
    assert_non_null(root);
    assert_int_equal(iget(root, "schemaVersion"), 1);
    assert_string_equal(sget(root, "rules.0.id"), "Privileged");
    assert_string_equal(sget(root, "rules.0.class"), "misconfiguration");
    assert_string_equal(sget(root, "rules.0.kinds.1"), "Deployment");
    assert_int_equal(iget(root, "rules.0.points"), -30);
    assert_int_equal(json_array_size(json_object_get(
                         json_array_get(json_object_get(root, "rules"), 1), "kinds")),
                     0);
    assert_true(json_is_null(
        json_object_get(json_array_get(json_object_get(root, "rules"), 2), "rationale")));
    json_decref(root);
    fth_buf_release(&out);

    assert_int_equal(fth_report_rules(&out, FTH_REPORT_SARIF, rules, 3), FTH_EUSAGE);
    assert_int_equal(fth_report_rules(&out, FTH_REPORT_TABLE, NULL, 0), 0);
    assert_non_null(strstr(out.ptr, "0 rules"));
    fth_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_format_parse),
        cmocka_unit_test(test_report_json_document),
        cmocka_unit_test(test_report_json_hostile_strings),
        cmocka_unit_test(test_report_json_empty),
        cmocka_unit_test(test_report_sarif),
        cmocka_unit_test(test_report_table),
        cmocka_unit_test(test_report_table_truncation),
        cmocka_unit_test(test_report_kubesec_dispatch),
        cmocka_unit_test(test_report_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
