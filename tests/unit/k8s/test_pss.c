/*
 * Pod Security Standards: the upstream conformance fixtures (every pass/ pod admitted and every
 * fail/ pod rejected at its level and version), level parsing, PSA's message and the findings'
 * locations.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/fathom.h"

#define PSS_FIXTURES FATHOM_SHARED "/fixtures/pss"

static struct fth_k8s_scan *scan_text(const char *text, enum fth_pss_level level,
                                      const char *version)
{
    struct fth_k8s_opts opts = FTH_K8S_OPTS_INIT;
    struct fth_k8s_scan *scan = NULL;
    char spec[64];

    snprintf(spec, sizeof(spec), "%s@%s", fth_pss_level_name(level), version);
    assert_int_equal(fth_pss_parse(&opts.pss_level, &opts.pss_minor, spec, NULL), 0);
    opts.threads = 1;
    assert_int_equal(fth_k8s_scan_new(&scan, &opts), 0);
    assert_int_equal(fth_k8s_scan_buffer(scan, "pod.yaml", text, strlen(text)), 0);
    assert_int_equal(fth_k8s_scan_finish(scan), 0);
    return scan;
}

static const struct fth_k8s_object *only_object(const struct fth_k8s_scan *scan)
{
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);

    assert_int_equal(r->objects_len, 1);
    return r->objects[0];
}

static const struct fth_finding *finding(const struct fth_k8s_result *r, const char *rule,
                                         const char *field)
{
    size_t i;

    for (i = 0; i < r->findings_len; i++)
        if (!strcmp(r->findings[i]->rule->id, rule) && r->findings[i]->loc.field &&
            !strcmp(r->findings[i]->loc.field, field))
            return r->findings[i];
    print_error("no %s finding at %s; findings:\n", rule, field);
    for (i = 0; i < r->findings_len; i++)
        print_error("  %s %s:%u %s\n", r->findings[i]->rule->id,
                    r->findings[i]->loc.field ? r->findings[i]->loc.field : "-",
                    r->findings[i]->loc.line, r->findings[i]->message);
    fail();
    return NULL;
}

static size_t count_source(const struct fth_k8s_result *r, const char *source)
{
    size_t i, n = 0;

    for (i = 0; i < r->findings_len; i++)
        if (!strcmp(r->findings[i]->rule->source, source))
            n++;
    return n;
}

/* ---- the conformance fixtures ---- */

struct fixture_file {
    char *path;
    struct fth_buf data;
};

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted entries of a directory, filtered by suffix ("" for all but dot files). */
static size_t list_dir(char ***out, const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, sl = strlen(suffix);

    *out = NULL;
    if (!d)
        return 0;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);

        if (de->d_name[0] == '.' || len < sl || strcmp(de->d_name + len - sl, suffix) != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof(*names));
            assert_non_null(names);
        }
        names[n] = strdup(de->d_name);
        assert_non_null(names[n]);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), name_cmp);
    *out = names;
    return n;
}

static void free_names(char **names, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Scan one <level>/<version>/<outcome> directory; returns mismatches, counts files. */
static size_t check_dir(const char *level, const char *version, const char *outcome,
                        size_t *checked)
{
    struct fth_k8s_opts opts = FTH_K8S_OPTS_INIT;
    struct fth_k8s_scan *scan = NULL;
    const struct fth_k8s_result *r;
    struct fixture_file *files;
    struct fth_error err;
    char dir[1024], spec[64], **names;
    size_t n, i, j, bad = 0;
    int want_allowed = !strcmp(outcome, "pass");

    snprintf(dir, sizeof(dir), "%s/%s/%s/%s", PSS_FIXTURES, level, version, outcome);
    n = list_dir(&names, dir, ".yaml");
    if (!n)
        return 0;
    snprintf(spec, sizeof(spec), "%s@%s", level, version);
    fth_error_clear(&err);
    if (fth_pss_parse(&opts.pss_level, &opts.pss_minor, spec, &err) < 0) {
        print_error("%s: %s\n", spec, err.message);
        free_names(names, n);
        return n;
    }
    opts.threads = 1;
    assert_int_equal(fth_k8s_scan_new(&scan, &opts), 0);
    files = calloc(n, sizeof(*files));
    assert_non_null(files);
    for (i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;

        files[i].path = malloc(len);
        assert_non_null(files[i].path);
        snprintf(files[i].path, len, "%s/%s", dir, names[i]);
        fth_buf_init(&files[i].data);
        assert_int_equal(fth_file_read(&files[i].data, files[i].path, 1 << 20, NULL), 0);
        assert_int_equal(
            fth_k8s_scan_buffer(scan, files[i].path, files[i].data.ptr, files[i].data.len), 0);
    }
    assert_int_equal(fth_k8s_scan_finish(scan), 0);
    r = fth_k8s_scan_result(scan);
    for (i = 0; i < n; i++) {
        const struct fth_k8s_object *obj = NULL;

        for (j = 0; j < r->objects_len && !obj; j++)
            if (r->objects[j]->file && !strcmp(r->objects[j]->file, files[i].path))
                obj = r->objects[j];
        (*checked)++;
        if (!obj || !obj->pss_checked) {
            print_error("MISMATCH %s: not evaluated\n", files[i].path + strlen(PSS_FIXTURES) + 1);
            bad++;
        } else if (!!obj->pss_allowed != want_allowed) {
            print_error("MISMATCH %s: %s\n", files[i].path + strlen(PSS_FIXTURES) + 1,
                        obj->pss_allowed ? "admitted, expected a rejection" : obj->pss_message);
            bad++;
        }
    }
    fth_k8s_scan_free(scan);
    for (i = 0; i < n; i++) {
        free(files[i].path);
        fth_buf_release(&files[i].data);
    }
    free(files);
    free_names(names, n);
    return bad;
}

static void test_pss_fixtures(void **state)
{
    static const char *const levels[] = {"baseline", "restricted"};
    size_t checked = 0, bad = 0, li, vi, nv;
    char dir[1024], **versions;

    (void)state;
    for (li = 0; li < 2; li++) {
        snprintf(dir, sizeof(dir), "%s/%s", PSS_FIXTURES, levels[li]);
        nv = list_dir(&versions, dir, "");
        assert_true(nv > 0);
        for (vi = 0; vi < nv; vi++) {
            bad += check_dir(levels[li], versions[vi], "pass", &checked);
            bad += check_dir(levels[li], versions[vi], "fail", &checked);
        }
        free_names(versions, nv);
    }
    printf("pss fixtures: %zu checked, %zu passed, %zu mismatches\n", checked, checked - bad, bad);
    assert_true(checked >= 2000);
    assert_int_equal(bad, 0);
}

/* ---- level parsing ---- */

static void test_pss_parse_good(void **state)
{
    static const struct {
        const char *text;
        enum fth_pss_level level;
        unsigned minor; /* 0: latest */
    } good[] = {
        {"baseline", FTH_PSS_BASELINE, 0},
        {"restricted", FTH_PSS_RESTRICTED, 0},
        {"privileged", FTH_PSS_PRIVILEGED, 0},
        {"restricted@latest", FTH_PSS_RESTRICTED, 0},
        {"restricted@v1.25", FTH_PSS_RESTRICTED, 25},
        {"baseline@v1.1", FTH_PSS_BASELINE, 1},
        {"baseline@v1.37", FTH_PSS_BASELINE, 37},
    };
    size_t i;

    (void)state;
    assert_int_equal(fth_pss_latest_minor(), 37);
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        enum fth_pss_level level = FTH_PSS_NONE;
        unsigned minor = 99;

        assert_int_equal(fth_pss_parse(&level, &minor, good[i].text, NULL), 0);
        assert_int_equal(level, good[i].level);
        assert_int_equal(minor, good[i].minor);
    }
    assert_string_equal(fth_pss_level_name(FTH_PSS_BASELINE), "baseline");
    assert_string_equal(fth_pss_level_name(FTH_PSS_RESTRICTED), "restricted");
    assert_string_equal(fth_pss_level_name(FTH_PSS_PRIVILEGED), "privileged");
}

static void test_pss_parse_v1_0(void **state)
{
    /* v1.0 is a real policy version, distinct from "latest" (minor 0). */
    enum fth_pss_level level = FTH_PSS_NONE;
    unsigned minor = 0;

    (void)state;
    assert_int_equal(fth_pss_parse(&level, &minor, "baseline@v1.0", NULL), 0);
    assert_int_equal(level, FTH_PSS_BASELINE);
    assert_int_not_equal(minor, 0);
}

static void test_pss_parse_bad(void **state)
{
    static const struct {
        const char *text;
        const char *message;
    } bad[] = {
        {"x", "unknown Pod Security level 'x': expected baseline, restricted or privileged"},
        {"", "unknown Pod Security level '': expected baseline, restricted or privileged"},
        {"Baseline", "unknown Pod Security level 'Baseline'"},
        {"restricted2", "unknown Pod Security level 'restricted2'"},
        {"x@v1.2", "unknown Pod Security level 'x'"},
        {"baseline@v1.38", "Pod Security version 'v1.38' is newer than the latest this build "
                           "knows (v1.37)"},
        {"baseline@v1.1000", "is newer than the latest"},
        {"baseline@1.25", "invalid Pod Security version '1.25': expected v1.N"},
        {"baseline@v2.0", "invalid Pod Security version 'v2.0'"},
        {"baseline@v1.025", "invalid Pod Security version 'v1.025'"},
        {"baseline@v1.", "invalid Pod Security version 'v1.'"},
        {"baseline@v1.2x", "invalid Pod Security version 'v1.2x'"},
        {"baseline@", "invalid Pod Security version ''"},
        {"baseline@Latest", "invalid Pod Security version 'Latest'"},
        {"baseline@v1.99999999999999999999", "invalid Pod Security version"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum fth_pss_level level = FTH_PSS_NONE;
        unsigned minor = 0;
        struct fth_error err;

        fth_error_clear(&err);
        assert_int_equal(fth_pss_parse(&level, &minor, bad[i].text, &err), FTH_EUSAGE);
        if (!strstr(err.message, bad[i].message)) {
            print_error("'%s': got '%s'\n", bad[i].text, err.message);
            fail();
        }
    }
}

/* ---- PSA's message ---- */

static const char bad_pod[] = "apiVersion: v1\n"
                              "kind: Pod\n"
                              "metadata:\n"
                              "  name: web\n"
                              "spec:\n"
                              "  hostNetwork: true\n"
                              "  containers:\n"
                              "  - name: app\n"
                              "    image: nginx\n"
                              "    securityContext:\n"
                              "      privileged: true\n"
                              "      capabilities:\n"
                              "        add: [NET_ADMIN]\n"
                              "  volumes:\n"
                              "  - name: data\n"
                              "    hostPath:\n"
                              "      path: /var\n";

static void test_pss_message_restricted(void **state)
{
    struct fth_k8s_scan *scan = scan_text(bad_pod, FTH_PSS_RESTRICTED, "v1.25");
    const struct fth_k8s_object *obj = only_object(scan);

    (void)state;
    assert_true(obj->pss_checked);
    assert_false(obj->pss_allowed);
    assert_string_equal(
        obj->pss_message,
        "violates PodSecurity \"restricted:v1.25\": host namespaces (hostNetwork=true), "
        "privileged (container \"app\" must not set securityContext.privileged=true), "
        "allowPrivilegeEscalation != false (container \"app\" must set "
        "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "
        "\"app\" must set securityContext.capabilities.drop=[\"ALL\"]; container \"app\" must not "
        "include \"NET_ADMIN\" in securityContext.capabilities.add), restricted volume types "
        "(volume \"data\" uses restricted volume type \"hostPath\"), runAsNonRoot != true (pod or "
        "container \"app\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or "
        "container \"app\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or "
        "\"Localhost\")");
    assert_int_equal(obj->pss_len, 7);
    assert_string_equal(obj->pss[0].check, "hostNamespaces");
    assert_string_equal(obj->pss[0].reason, "host namespaces");
    assert_string_equal(obj->pss[0].detail, "hostNetwork=true");
    assert_string_equal(obj->pss[3].check, "capabilities_restricted");
    assert_string_equal(obj->pss[6].check, "seccompProfile_restricted");
    fth_k8s_scan_free(scan);
}

static void test_pss_message_baseline_latest(void **state)
{
    struct fth_k8s_scan *scan = scan_text(bad_pod, FTH_PSS_BASELINE, "latest");
    const struct fth_k8s_object *obj = only_object(scan);

    (void)state;
    assert_false(obj->pss_allowed);
    assert_string_equal(obj->pss_message,
                        "violates PodSecurity \"baseline:latest\": non-default capabilities "
                        "(container \"app\" must not include \"NET_ADMIN\" in "
                        "securityContext.capabilities.add), host namespaces (hostNetwork=true), "
                        "hostPath volumes (volume \"data\"), privileged (container \"app\" must "
                        "not set securityContext.privileged=true)");
    assert_int_equal(obj->pss_len, 4);
    fth_k8s_scan_free(scan);
}

static void test_pss_allowed_and_privileged(void **state)
{
    static const char good[] = "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: ok}\n"
                               "spec:\n"
                               "  securityContext:\n"
                               "    runAsNonRoot: true\n"
                               "    seccompProfile: {type: RuntimeDefault}\n"
                               "  containers:\n"
                               "  - name: app\n"
                               "    image: nginx\n"
                               "    securityContext:\n"
                               "      allowPrivilegeEscalation: false\n"
                               "      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n";
    struct fth_k8s_scan *scan = scan_text(good, FTH_PSS_RESTRICTED, "latest");
    const struct fth_k8s_object *obj = only_object(scan);

    (void)state;
    assert_true(obj->pss_checked);
    assert_true(obj->pss_allowed);
    assert_int_equal(obj->pss_len, 0);
    assert_null(obj->pss_message);
    assert_int_equal(count_source(fth_k8s_scan_result(scan), "pss"), 0);
    fth_k8s_scan_free(scan);

    /* The privileged level checks nothing. */
    scan = scan_text(bad_pod, FTH_PSS_PRIVILEGED, "latest");
    obj = only_object(scan);
    assert_false(obj->pss_checked);
    assert_int_equal(count_source(fth_k8s_scan_result(scan), "pss"), 0);
    fth_k8s_scan_free(scan);
}

/* ---- per check: verdicts, versions and the findings' locations ---- */

static void test_pss_findings_lines(void **state)
{
    struct fth_k8s_scan *scan = scan_text(bad_pod, FTH_PSS_RESTRICTED, "v1.25");
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f;

    (void)state;
    f = finding(r, "PSS-hostNamespaces", "spec.hostNetwork");
    assert_int_equal(f->loc.line, 6);
    assert_int_equal(f->loc.column, 3);
    assert_int_equal(f->severity, FTH_SEV_HIGH);
    assert_null(f->container);
    f = finding(r, "PSS-privileged", "spec.containers[0].securityContext.privileged");
    assert_int_equal(f->loc.line, 11);
    assert_string_equal(f->container, "app");
    f = finding(r, "PSS-capabilities_restricted",
                "spec.containers[0].securityContext.capabilities.add[0]");
    assert_int_equal(f->loc.line, 13);
    f = finding(r, "PSS-restrictedVolumes", "spec.volumes[0].hostPath");
    assert_int_equal(f->loc.line, 16);
    f = finding(r, "PSS-allowPrivilegeEscalation",
                "spec.containers[0].securityContext.allowPrivilegeEscalation");
    assert_int_equal(f->loc.line, 8);
    fth_k8s_scan_free(scan);
}

static void test_pss_workload_paths(void **state)
{
    static const char text[] = "apiVersion: batch/v1\n"
                               "kind: CronJob\n"
                               "metadata: {name: job}\n"
                               "spec:\n"
                               "  schedule: '* * * * *'\n"
                               "  jobTemplate:\n"
                               "    spec:\n"
                               "      template:\n"
                               "        metadata:\n"
                               "          annotations:\n"
                               "            container.apparmor.security.beta.kubernetes.io/c: "
                               "unconfined\n"
                               "        spec:\n"
                               "          hostPID: true\n"
                               "          initContainers:\n"
                               "          - name: init\n"
                               "            image: busybox\n"
                               "            ports: [{containerPort: 80, hostPort: 8080}]\n"
                               "          containers:\n"
                               "          - name: c\n"
                               "            image: busybox\n"
                               "            ports:\n"
                               "            - {containerPort: 80, hostPort: 80}\n";
    struct fth_k8s_scan *scan = scan_text(text, FTH_PSS_BASELINE, "v1.30");
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_k8s_object *obj = only_object(scan);
    const struct fth_finding *f;

    (void)state;
    /* Init containers come first; host ports sort as strings. */
    assert_string_equal(
        obj->pss_message,
        "violates PodSecurity \"baseline:v1.30\": forbidden AppArmor profile (annotation must "
        "not set AppArmor profile type to \"container.apparmor.security.beta.kubernetes.io/"
        "c=\"unconfined\"\"), host namespaces (hostPID=true), hostPort (containers \"init\", "
        "\"c\" use hostPorts 80, 8080)");
    f = finding(r, "PSS-hostNamespaces", "spec.jobTemplate.spec.template.spec.hostPID");
    assert_int_equal(f->loc.line, 13);
    f = finding(r, "PSS-hostPorts",
                "spec.jobTemplate.spec.template.spec.initContainers[0].ports[0].hostPort");
    assert_int_equal(f->loc.line, 17);
    assert_string_equal(f->container, "init");
    f = finding(r, "PSS-appArmorProfile",
                "spec.jobTemplate.spec.template.metadata.annotations['container.apparmor.security."
                "beta.kubernetes.io/c']");
    assert_int_equal(f->loc.line, 11);
    fth_k8s_scan_free(scan);
}

static void test_pss_versions(void **state)
{
    static const char sysctl[] = "apiVersion: v1\n"
                                 "kind: Pod\n"
                                 "metadata: {name: s}\n"
                                 "spec:\n"
                                 "  securityContext:\n"
                                 "    sysctls:\n"
                                 "    - {name: net.ipv4.tcp_keepalive_time, value: '1'}\n"
                                 "  containers: [{name: c, image: x}]\n";
    static const char probe[] = "apiVersion: v1\n"
                                "kind: Pod\n"
                                "metadata: {name: p}\n"
                                "spec:\n"
                                "  containers:\n"
                                "  - name: c\n"
                                "    image: x\n"
                                "    livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}\n";
    static const char seccomp_annotation[] =
        "apiVersion: v1\n"
        "kind: Pod\n"
        "metadata:\n"
        "  name: a\n"
        "  annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}\n"
        "spec:\n"
        "  containers: [{name: c, image: x}]\n";
    struct fth_k8s_scan *scan;

    (void)state;
    scan = scan_text(sysctl, FTH_PSS_BASELINE, "v1.28");
    assert_string_equal(only_object(scan)->pss_message,
                        "violates PodSecurity \"baseline:v1.28\": forbidden sysctls "
                        "(net.ipv4.tcp_keepalive_time)");
    fth_k8s_scan_free(scan);
    scan = scan_text(sysctl, FTH_PSS_BASELINE, "v1.29");
    assert_true(only_object(scan)->pss_allowed);
    fth_k8s_scan_free(scan);

    scan = scan_text(probe, FTH_PSS_BASELINE, "v1.33");
    assert_true(only_object(scan)->pss_allowed);
    fth_k8s_scan_free(scan);
    scan = scan_text(probe, FTH_PSS_BASELINE, "v1.34");
    assert_string_equal(only_object(scan)->pss_message,
                        "violates PodSecurity \"baseline:v1.34\": probe or lifecycle host "
                        "(container \"c\" uses probe or lifecycle host \"10.0.0.1\")");
    fth_k8s_scan_free(scan);

    /* The alpha seccomp annotations count before v1.19 only. */
    scan = scan_text(seccomp_annotation, FTH_PSS_BASELINE, "v1.0");
    assert_string_equal(only_object(scan)->pss_message,
                        "violates PodSecurity \"baseline:v1.0\": seccompProfile (forbidden "
                        "annotation seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")");
    fth_k8s_scan_free(scan);
    scan = scan_text(seccomp_annotation, FTH_PSS_BASELINE, "v1.19");
    assert_true(only_object(scan)->pss_allowed);
    fth_k8s_scan_free(scan);
}

static void test_pss_windows_and_userns(void **state)
{
    static const char windows[] = "apiVersion: v1\n"
                                  "kind: Pod\n"
                                  "metadata: {name: w}\n"
                                  "spec:\n"
                                  "  os: {name: windows}\n"
                                  "  securityContext: {runAsNonRoot: true}\n"
                                  "  containers: [{name: c, image: x}]\n";
    static const char userns[] = "apiVersion: v1\n"
                                 "kind: Pod\n"
                                 "metadata: {name: u}\n"
                                 "spec:\n"
                                 "  hostUsers: false\n"
                                 "  securityContext:\n"
                                 "    runAsUser: 0\n"
                                 "    seccompProfile: {type: RuntimeDefault}\n"
                                 "  containers:\n"
                                 "  - name: c\n"
                                 "    image: x\n"
                                 "    securityContext:\n"
                                 "      allowPrivilegeEscalation: false\n"
                                 "      capabilities: {drop: [ALL]}\n";
    struct fth_k8s_scan *scan;

    (void)state;
    /* Windows pods are exempt from the Linux-only restricted fields from v1.25 on. */
    scan = scan_text(windows, FTH_PSS_RESTRICTED, "v1.24");
    assert_false(only_object(scan)->pss_allowed);
    fth_k8s_scan_free(scan);
    scan = scan_text(windows, FTH_PSS_RESTRICTED, "v1.25");
    assert_true(only_object(scan)->pss_allowed);
    fth_k8s_scan_free(scan);

    /* A pod in a user namespace may run as root inside it from v1.35 on. */
    scan = scan_text(userns, FTH_PSS_RESTRICTED, "v1.34");
    assert_string_equal(only_object(scan)->pss_message,
                        "violates PodSecurity \"restricted:v1.34\": runAsNonRoot != true (pod or "
                        "container \"c\" must set securityContext.runAsNonRoot=true), runAsUser=0 "
                        "(pod must not set runAsUser=0)");
    fth_k8s_scan_free(scan);
    scan = scan_text(userns, FTH_PSS_RESTRICTED, "v1.35");
    assert_true(only_object(scan)->pss_allowed);
    fth_k8s_scan_free(scan);
}

static void test_pss_value_shapes(void **state)
{
    /* Null is absent, a quoted "true" is a string (a type error, not a violation). */
    static const char text[] = "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: v}\n"
                               "spec:\n"
                               "  hostNetwork: 'true'\n"
                               "  hostPID: null\n"
                               "  volumes:\n"
                               "  - {name: a, hostPath: null, emptyDir: {}}\n"
                               "  containers:\n"
                               "  - name: c\n"
                               "    image: x\n"
                               "    securityContext:\n"
                               "      privileged: null\n"
                               "      procMount: Default\n"
                               "      seLinuxOptions: {type: container_t}\n";
    struct fth_k8s_scan *scan = scan_text(text, FTH_PSS_BASELINE, "latest");
    const struct fth_k8s_object *obj = only_object(scan);

    (void)state;
    assert_true(obj->pss_checked);
    assert_true(obj->pss_allowed);
    fth_k8s_scan_free(scan);
}

static void test_pss_selinux_and_seccomp(void **state)
{
    static const char text[] = "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: s}\n"
                               "spec:\n"
                               "  securityContext:\n"
                               "    seLinuxOptions: {type: spc_t, user: u}\n"
                               "    seccompProfile: {type: Unconfined}\n"
                               "  containers:\n"
                               "  - name: a\n"
                               "    image: x\n"
                               "    securityContext:\n"
                               "      seLinuxOptions: {role: r}\n"
                               "      seccompProfile: {type: Unconfined}\n"
                               "  - name: b\n"
                               "    image: x\n"
                               "    securityContext:\n"
                               "      seLinuxOptions: {type: container_engine_t}\n";
    struct fth_k8s_scan *scan = scan_text(text, FTH_PSS_BASELINE, "v1.30");

    (void)state;
    assert_string_equal(only_object(scan)->pss_message,
                        "violates PodSecurity \"baseline:v1.30\": seLinuxOptions (pod and "
                        "containers \"a\", \"b\" set forbidden securityContext.seLinuxOptions: "
                        "types \"container_engine_t\", \"spc_t\"; user may not be set; role may "
                        "not be set), seccompProfile (pod and container \"a\" must not set "
                        "securityContext.seccompProfile.type to \"Unconfined\")");
    fth_k8s_scan_free(scan);
    scan = scan_text(text, FTH_PSS_BASELINE, "v1.31");
    assert_non_null(strstr(only_object(scan)->pss_message,
                           "seLinuxOptions (pod and container \"a\" set forbidden "
                           "securityContext.seLinuxOptions: type \"spc_t\"; user may not be set; "
                           "role may not be set)"));
    fth_k8s_scan_free(scan);
}

static void test_pss_api_server_defaults(void **state)
{
    /* What the API server defaults before admission: hostNetwork ports, sourceless volumes. */
    static const char pod[] = "apiVersion: v1\n"
                              "kind: Pod\n"
                              "metadata: {name: n}\n"
                              "spec:\n"
                              "  hostNetwork: true\n"
                              "  volumes: [{name: scratch}]\n"
                              "  containers:\n"
                              "  - name: app\n"
                              "    image: x\n"
                              "    ports:\n"
                              "    - containerPort: 8080\n";
    static const char deployment[] = "apiVersion: apps/v1\n"
                                     "kind: Deployment\n"
                                     "metadata: {name: d}\n"
                                     "spec:\n"
                                     "  template:\n"
                                     "    spec:\n"
                                     "      hostNetwork: true\n"
                                     "      containers:\n"
                                     "      - name: app\n"
                                     "        image: x\n"
                                     "        ports: [{containerPort: 8080}]\n";
    struct fth_k8s_scan *scan;
    const struct fth_finding *f;

    (void)state;
    scan = scan_text(pod, FTH_PSS_BASELINE, "latest");
    assert_string_equal(only_object(scan)->pss_message,
                        "violates PodSecurity \"baseline:latest\": host namespaces "
                        "(hostNetwork=true), hostPort (container \"app\" uses hostPort 8080)");
    f = finding(fth_k8s_scan_result(scan), "PSS-hostPorts",
                "spec.containers[0].ports[0].containerPort");
    assert_int_equal(f->loc.line, 11);
    fth_k8s_scan_free(scan);

    scan = scan_text(pod, FTH_PSS_RESTRICTED, "latest");
    assert_null(strstr(only_object(scan)->pss_message, "restricted volume types"));
    fth_k8s_scan_free(scan);

    scan = scan_text(deployment, FTH_PSS_BASELINE, "latest");
    assert_string_equal(only_object(scan)->pss_message,
                        "violates PodSecurity \"baseline:latest\": host namespaces "
                        "(hostNetwork=true)");
    fth_k8s_scan_free(scan);
}

static void test_pss_wrong_types(void **state)
{
    /* Every field PSS reads, with the wrong type: no crash, no violation from those fields. */
    static const char text[] = "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata:\n"
                               "  name: w\n"
                               "  annotations: [a, b]\n"
                               "spec:\n"
                               "  hostNetwork: 1\n"
                               "  hostUsers: 'false'\n"
                               "  os: windows\n"
                               "  volumes: {a: b}\n"
                               "  securityContext:\n"
                               "    runAsNonRoot: 'true'\n"
                               "    runAsUser: '0'\n"
                               "    sysctls: [x, {name: 7}, {name: kernel.shm_rmid_forced}]\n"
                               "    seccompProfile: RuntimeDefault\n"
                               "    seLinuxOptions: [type]\n"
                               "    appArmorProfile: 3\n"
                               "    windowsOptions: {hostProcess: 'true'}\n"
                               "  initContainers: 5\n"
                               "  containers:\n"
                               "  - 3\n"
                               "  - name: [x]\n"
                               "    ports: [1, {hostPort: '80'}, {hostPort: 0}]\n"
                               "    livenessProbe: {httpGet: {host: 5}}\n"
                               "    lifecycle: {preStop: [1]}\n"
                               "    securityContext:\n"
                               "      privileged: 'yes'\n"
                               "      procMount: 0\n"
                               "      allowPrivilegeEscalation: 'false'\n"
                               "      capabilities: {add: [1, {}], drop: ALL}\n"
                               "  - name: b\n"
                               "    securityContext: null\n";
    static const char *const versions[] = {"v1.0", "v1.18", "v1.25", "latest"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
        struct fth_k8s_scan *scan = scan_text(text, FTH_PSS_BASELINE, versions[i]);
        const struct fth_k8s_object *obj = only_object(scan);

        assert_true(obj->pss_checked);
        /* name 7 decodes as no name at all: "" is not a safe sysctl. */
        assert_string_equal(obj->pss[0].check, "sysctls");
        assert_int_equal(obj->pss_len, 1);
        fth_k8s_scan_free(scan);
        scan = scan_text(text, FTH_PSS_RESTRICTED, versions[i]);
        assert_false(only_object(scan)->pss_allowed);
        fth_k8s_scan_free(scan);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pss_parse_good),
        cmocka_unit_test(test_pss_parse_v1_0),
        cmocka_unit_test(test_pss_parse_bad),
        cmocka_unit_test(test_pss_message_restricted),
        cmocka_unit_test(test_pss_message_baseline_latest),
        cmocka_unit_test(test_pss_allowed_and_privileged),
        cmocka_unit_test(test_pss_findings_lines),
        cmocka_unit_test(test_pss_workload_paths),
        cmocka_unit_test(test_pss_versions),
        cmocka_unit_test(test_pss_windows_and_userns),
        cmocka_unit_test(test_pss_value_shapes),
        cmocka_unit_test(test_pss_selinux_and_seccomp),
        cmocka_unit_test(test_pss_api_server_defaults),
        cmocka_unit_test(test_pss_wrong_types),
        cmocka_unit_test(test_pss_fixtures),
    };

    return cmocka_run_group_tests_name("pss", tests, NULL, NULL);
}
