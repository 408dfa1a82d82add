/* Fathom's own manifest rules (src/k8s/rules.c), through the public scan API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/fathom.h"
#include "k8s/k8s_int.h"

#define DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static struct fth_k8s_scan *scan_text(const char *text, const struct fth_k8s_opts *opts)
{
    struct fth_k8s_scan *scan = NULL;

    assert_int_equal(fth_k8s_scan_new(&scan, opts), 0);
    assert_int_equal(fth_k8s_scan_buffer(scan, "in.yaml", text, strlen(text)), 0);
    assert_int_equal(fth_k8s_scan_finish(scan), 0);
    return scan;
}

/* Findings of rule `id` (suppressed or not). */
static size_t count(const struct fth_k8s_result *r, const char *id)
{
    size_t i, n = 0;

    for (i = 0; i < r->findings_len; i++)
        if (!strcmp(r->findings[i]->rule->id, id))
            n++;
    return n;
}

/* The n-th finding of rule `id`, or NULL. */
static const struct fth_finding *nth(const struct fth_k8s_result *r, const char *id, size_t n)
{
    size_t i;

    for (i = 0; i < r->findings_len; i++)
        if (!strcmp(r->findings[i]->rule->id, id) && n-- == 0)
            return r->findings[i];
    return NULL;
}

/* Count findings of `id` produced by scanning `text`. */
static size_t count_in(const char *text, const char *id)
{
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    size_t n = count(fth_k8s_scan_result(scan), id);

    fth_k8s_scan_free(scan);
    return n;
}

/* A Pod whose only container has `body` (indented by 6) after name and image. */
static char *pod(const char *image, const char *body)
{
    static char buf[4096];

    snprintf(buf, sizeof(buf),
             "apiVersion: v1\n"
             "kind: Pod\n"
             "metadata:\n"
             "  name: p\n"
             "spec:\n"
             "  containers:\n"
             "    - name: app\n"
             "      image: %s\n"
             "%s",
             image, body);
    return buf;
}

/* ---- the table ---- */

static void test_k8s_rules_table(void **state)
{
    const struct fth_rule *r;
    size_t i;

    (void)state;
    assert_true(k8s_fathom_rules_len >= 24);
    for (i = 0; i < k8s_fathom_rules_len; i++) {
        r = &k8s_fathom_rules[i];
        assert_non_null(r->id);
        assert_string_equal(r->source, "fathom");
        assert_true(r->severity >= FTH_SEV_LOW && r->severity <= FTH_SEV_CRITICAL);
        assert_true(r->title && *r->title && r->rationale && *r->rationale);
        assert_true(r->remediation && *r->remediation && r->kinds && *r->kinds);
        assert_true(!strncmp(r->reference, "https://kubernetes.io/docs/", 27));
        assert_ptr_equal(fth_k8s_rule_find(r->id), r);
    }
    r = fth_k8s_rule_find("NetworkPolicyMissing");
    assert_non_null(r);
    assert_int_equal(r->severity, FTH_SEV_MEDIUM);
    assert_int_equal(fth_k8s_rule_find("RbacAnonymousBinding")->severity, FTH_SEV_CRITICAL);
    assert_int_equal(fth_k8s_rule_find("SecretLiteralInSecret")->severity, FTH_SEV_MEDIUM);
    assert_int_equal(fth_k8s_rule_find("SecretLiteralInConfigMap")->severity, FTH_SEV_HIGH);
    assert_int_equal(fth_k8s_rule_find("ImageDigestMissing")->severity, FTH_SEV_LOW);
}

/* ---- images ---- */

static void test_k8s_rules_image_refs(void **state)
{
    static const struct {
        const char *image;
        int missing, latest, digest;
    } cases[] = {
        {"nginx", 1, 0, 1},
        {"nginx:latest", 0, 1, 1},
        {"nginx:1.25", 0, 0, 1},
        {"nginx:Latest", 0, 0, 1}, /* tags are case-sensitive */
        {"localhost:5000/app", 1, 0, 1},
        {"localhost:5000/app:1.0", 0, 0, 1},
        {"localhost:5000/app:latest", 0, 1, 1},
        {"registry.example.com:443/team/app", 1, 0, 1},
        {"ghcr.io/org/app:v2", 0, 0, 1},
        {"nginx@" DIGEST, 0, 0, 0},
        {"nginx:latest@" DIGEST, 0, 0, 0}, /* the digest decides what runs */
        {"localhost:5000/app@" DIGEST, 0, 0, 0},
        {"nginx@sha256:abc", 1, 0, 1}, /* not a digest */
        {"'nginx:'", 1, 0, 1},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fth_k8s_scan *scan = scan_text(pod(cases[i].image, ""), NULL);
        const struct fth_k8s_result *r = fth_k8s_scan_result(scan);

        if ((int)count(r, "ImageTagMissing") != cases[i].missing ||
            (int)count(r, "ImageTagLatest") != cases[i].latest ||
            (int)count(r, "ImageDigestMissing") != cases[i].digest)
            fail_msg("image '%s': missing %zu latest %zu digest %zu", cases[i].image,
                     count(r, "ImageTagMissing"), count(r, "ImageTagLatest"),
                     count(r, "ImageDigestMissing"));
        fth_k8s_scan_free(scan);
    }
}

static void test_k8s_rules_image_location(void **state)
{
    static const char text[] = "apiVersion: apps/v1\n"
                               "kind: Deployment\n"
                               "metadata: {name: web}\n"
                               "spec:\n"
                               "  template:\n"
                               "    spec:\n"
                               "      initContainers:\n"
                               "        - name: init\n"
                               "          image: busybox\n"
                               "      containers:\n"
                               "        - name: a\n"
                               "          image: nginx:1.25@" DIGEST "\n"
                               "        - name: b\n"
                               "          image: nginx:latest\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f;

    (void)state;
    f = nth(r, "ImageTagLatest", 0);
    assert_non_null(f);
    assert_null(nth(r, "ImageTagLatest", 1));
    assert_string_equal(f->container, "b");
    assert_string_equal(f->loc.field, "spec.template.spec.containers[1].image");
    assert_int_equal(f->loc.line, 14);
    assert_int_equal(f->loc.column, 18);
    assert_string_equal(f->object, "Deployment/web.default");
    assert_non_null(strstr(f->message, "nginx:latest"));
    f = nth(r, "ImageTagMissing", 0);
    assert_non_null(f);
    assert_string_equal(f->container, "init");
    assert_string_equal(f->loc.field, "spec.template.spec.initContainers[0].image");
    assert_int_equal(f->loc.line, 9);
    assert_int_equal(count(r, "ImageDigestMissing"), 2);
    fth_k8s_scan_free(scan);
}

/* ---- probes ---- */

static void test_k8s_rules_probes(void **state)
{
    static const char probes[] = "      livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n"
                                 "      readinessProbe: {tcpSocket: {port: 8080}}\n";
    static const char job[] = "apiVersion: batch/v1\n"
                              "kind: Job\n"
                              "metadata: {name: j}\n"
                              "spec:\n"
                              "  template:\n"
                              "    spec:\n"
                              "      restartPolicy: Never\n"
                              "      containers: [{name: c, image: 'busybox:1'}]\n";
    static const char cron[] = "apiVersion: batch/v1\n"
                               "kind: CronJob\n"
                               "metadata: {name: cj}\n"
                               "spec:\n"
                               "  schedule: '* * * * *'\n"
                               "  jobTemplate:\n"
                               "    spec:\n"
                               "      template:\n"
                               "        spec:\n"
                               "          containers: [{name: c, image: 'busybox:1'}]\n";
    static const char init[] = "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: p}\n"
                               "spec:\n"
                               "  initContainers: [{name: i, image: 'busybox:1'}]\n"
                               "  ephemeralContainers: [{name: e, image: 'busybox:1'}]\n"
                               "  containers:\n"
                               "    - name: app\n"
                               "      image: app:1\n"
                               "      livenessProbe: {exec: {command: [true]}}\n"
                               "      readinessProbe: {exec: {command: [true]}}\n";
    struct fth_k8s_scan *scan;
    const struct fth_k8s_result *r;
    const struct fth_finding *f;

    (void)state;
    scan = scan_text(pod("app:1", ""), NULL);
    r = fth_k8s_scan_result(scan);
    f = nth(r, "LivenessProbeMissing", 0);
    assert_non_null(f);
    assert_string_equal(f->container, "app");
    assert_string_equal(f->loc.field, "spec.containers[0].livenessProbe");
    assert_int_equal(f->loc.line, 7); /* the container */
    assert_int_equal(count(r, "ReadinessProbeMissing"), 1);
    fth_k8s_scan_free(scan);

    assert_int_equal(count_in(pod("app:1", probes), "LivenessProbeMissing"), 0);
    assert_int_equal(count_in(pod("app:1", probes), "ReadinessProbeMissing"), 0);
    assert_int_equal(count_in(job, "LivenessProbeMissing"), 0);
    assert_int_equal(count_in(job, "ReadinessProbeMissing"), 0);
    assert_int_equal(count_in(cron, "LivenessProbeMissing"), 0);
    assert_int_equal(count_in(init, "LivenessProbeMissing"), 0);
    assert_int_equal(count_in(init, "ReadinessProbeMissing"), 0);
    /* a wrongly typed probe is absent */
    assert_int_equal(count_in(pod("app:1", "      livenessProbe: yes\n"), "LivenessProbeMissing"),
                     1);
}

/* ---- resources ---- */

static void test_k8s_rules_resources(void **state)
{
    static const char all[] = "      resources:\n"
                              "        requests: {cpu: 100m, memory: 64Mi}\n"
                              "        limits: {cpu: 1, memory: 128Mi}\n";
    static const char limits[] = "      resources:\n"
                                 "        limits: {cpu: '500m', memory: 1Gi}\n";
    static const char requests[] = "      resources:\n"
                                   "        requests: {cpu: 0.5, memory: 64Mi}\n";
    static const char kinds[] = "apiVersion: v1\n"
                                "kind: Pod\n"
                                "metadata: {name: p}\n"
                                "spec:\n"
                                "  initContainers: [{name: i, image: 'busybox:1'}]\n"
                                "  ephemeralContainers: [{name: e, image: 'busybox:1'}]\n"
                                "  containers: []\n";
    static const char podlevel[] = "apiVersion: v1\n"
                                   "kind: Pod\n"
                                   "metadata: {name: p}\n"
                                   "spec:\n"
                                   "  resources: {limits: {cpu: 2, memory: 1Gi}}\n"
                                   "  containers: [{name: c, image: 'busybox:1'}]\n";
    struct fth_k8s_scan *scan;
    const struct fth_k8s_result *r;
    const struct fth_finding *f;

    (void)state;
    scan = scan_text(pod("app:1", "      resources:\n        requests: {cpu: 1}\n"), NULL);
    r = fth_k8s_scan_result(scan);
    assert_int_equal(count(r, "CpuRequestsMissing"), 0);
    f = nth(r, "MemoryRequestsMissing", 0);
    assert_non_null(f);
    assert_string_equal(f->loc.field, "spec.containers[0].resources.requests.memory");
    assert_int_equal(f->loc.line, 10); /* the requests mapping */
    assert_string_equal(f->container, "app");
    f = nth(r, "CpuLimitsMissing", 0);
    assert_non_null(f);
    assert_string_equal(f->loc.field, "spec.containers[0].resources.limits.cpu");
    assert_int_equal(f->loc.line, 10); /* the resources mapping starts with 'requests' */
    assert_int_equal(count(r, "MemoryLimitsMissing"), 1);
    fth_k8s_scan_free(scan);

    assert_int_equal(count_in(pod("app:1", ""), "CpuRequestsMissing"), 1);
    assert_int_equal(count_in(pod("app:1", ""), "MemoryLimitsMissing"), 1);
    assert_int_equal(count_in(pod("app:1", all), "CpuRequestsMissing"), 0);
    assert_int_equal(count_in(pod("app:1", all), "MemoryRequestsMissing"), 0);
    assert_int_equal(count_in(pod("app:1", all), "CpuLimitsMissing"), 0);
    assert_int_equal(count_in(pod("app:1", all), "MemoryLimitsMissing"), 0);
    /* requests default to the limits */
    assert_int_equal(count_in(pod("app:1", limits), "CpuRequestsMissing"), 0);
    assert_int_equal(count_in(pod("app:1", limits), "MemoryRequestsMissing"), 0);
    assert_int_equal(count_in(pod("app:1", requests), "CpuLimitsMissing"), 1);
    /* init containers count, ephemeral ones cannot have resources */
    assert_int_equal(count_in(kinds, "CpuRequestsMissing"), 1);
    assert_int_equal(count_in(kinds, "MemoryLimitsMissing"), 1);
    /* pod-level resources cover the containers */
    assert_int_equal(count_in(podlevel, "CpuLimitsMissing"), 0);
    assert_int_equal(count_in(podlevel, "MemoryRequestsMissing"), 0);
    /* wrongly typed: absent */
    assert_int_equal(count_in(pod("app:1", "      resources: [1]\n"), "CpuLimitsMissing"), 1);
}

/* ---- host access ---- */

static void test_k8s_rules_host_port(void **state)
{
    struct fth_k8s_scan *scan;
    const struct fth_k8s_result *r;
    const struct fth_finding *f;

    (void)state;
    scan = scan_text(pod("app:1", "      ports:\n"
                                  "        - containerPort: 80\n"
                                  "        - containerPort: 443\n"
                                  "          hostPort: 8443\n"),
                     NULL);
    r = fth_k8s_scan_result(scan);
    f = nth(r, "HostPortUsed", 0);
    assert_non_null(f);
    assert_null(nth(r, "HostPortUsed", 1));
    assert_string_equal(f->loc.field, "spec.containers[0].ports[1].hostPort");
    assert_int_equal(f->loc.line, 12);
    assert_non_null(strstr(f->message, "8443"));
    fth_k8s_scan_free(scan);
    assert_int_equal(count_in(pod("app:1", "      ports: [{containerPort: 80}]\n"), "HostPortUsed"),
                     0);
    assert_int_equal(
        count_in(pod("app:1", "      ports: [{containerPort: 80, hostPort: 0}]\n"), "HostPortUsed"),
        0);
    assert_int_equal(count_in(pod("app:1", "      ports: [{containerPort: 80, hostPort: '80'}]\n"),
                              "HostPortUsed"),
                     0);
}

static void test_k8s_rules_host_path(void **state)
{
    static const char text[] = "apiVersion: apps/v1\n"
                               "kind: DaemonSet\n"
                               "metadata: {name: agent, namespace: ops}\n"
                               "spec:\n"
                               "  template:\n"
                               "    spec:\n"
                               "      volumes:\n"
                               "        - name: cache\n"
                               "          emptyDir: {}\n"
                               "        - name: logs\n"
                               "          hostPath:\n"
                               "            path: /var/log\n"
                               "      containers: [{name: c, image: 'agent:1'}]\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f = nth(r, "HostPathVolume", 0);

    (void)state;
    assert_non_null(f);
    assert_null(nth(r, "HostPathVolume", 1));
    assert_string_equal(f->loc.field, "spec.template.spec.volumes[1].hostPath");
    assert_int_equal(f->loc.line, 12);
    assert_null(f->container);
    assert_non_null(strstr(f->message, "/var/log"));
    assert_non_null(strstr(f->message, "'logs'"));
    fth_k8s_scan_free(scan);
    assert_int_equal(count_in(pod("app:1", ""), "HostPathVolume"), 0);
}

static void test_k8s_rules_token_automount(void **state)
{
    static const char off[] = "apiVersion: v1\n"
                              "kind: Pod\n"
                              "metadata: {name: p}\n"
                              "spec:\n"
                              "  automountServiceAccountToken: false\n"
                              "  containers: [{name: c, image: 'busybox:1'}]\n";
    static const char on[] = "apiVersion: v1\n"
                             "kind: Pod\n"
                             "metadata: {name: p}\n"
                             "spec:\n"
                             "  automountServiceAccountToken: true\n"
                             "  containers: [{name: c, image: 'busybox:1'}]\n";
    struct fth_k8s_scan *scan;
    const struct fth_finding *f;

    (void)state;
    assert_int_equal(count_in(off, "ServiceAccountTokenAutomount"), 0);
    scan = scan_text(on, NULL);
    f = nth(fth_k8s_scan_result(scan), "ServiceAccountTokenAutomount", 0);
    assert_non_null(f);
    assert_int_equal(f->loc.line, 5);
    assert_string_equal(f->loc.field, "spec.automountServiceAccountToken");
    fth_k8s_scan_free(scan);
    scan = scan_text(pod("app:1", ""), NULL);
    f = nth(fth_k8s_scan_result(scan), "ServiceAccountTokenAutomount", 0);
    assert_non_null(f);
    assert_int_equal(f->severity, FTH_SEV_LOW);
    assert_int_equal(f->loc.line, 6); /* the pod spec */
    fth_k8s_scan_free(scan);
}

/* ---- secrets in env ---- */

static void test_k8s_rules_env_secrets(void **state)
{
    static const char env[] =
        "      env:\n"
        "        - {name: DB_PASSWORD, value: hunter2hunter2}\n"    /* 10: fires */
        "        - {name: apiKey, value: 'k-1234567890'}\n"         /* 11: fires */
        "        - {name: TOKEN_TTL, value: '3600'}\n"              /* about a token */
        "        - {name: MAX_TOKENS, value: '4096'}\n"             /* a number */
        "        - {name: PASSWORD_FILE, value: /run/secrets/pw}\n" /* a path */
        "        - {name: API_TOKEN, value: $(TOKEN)}\n"            /* a reference */
        "        - {name: CLIENT_SECRET, value: ''}\n"              /* empty */
        "        - {name: SECRET_NAME, value: my-secret}\n"         /* a name */
        "        - {name: GITHUB_TOKEN, valueFrom: {secretKeyRef: {name: g, key: t}}}\n"
        "        - {name: DATABASE_URL, value: 'postgres://app:pa55word@db/app'}\n" /* 19 */
        "        - {name: CACHE_URL, value: 'redis://cache:6379'}\n"
        "        - {name: UPSTREAM, value: 'https://u:${PASS}@example.com'}\n"
        "        - {name: DB_PASS, value: '123456'}\n" /* 22: fires */
        "        - {name: LOG_LEVEL, value: debug}\n"
        "        - {name: SLACK, value: 'xoxb-123456789012-abcdefghij'}\n"; /* 24 */
    struct fth_k8s_scan *scan = scan_text(pod("app:1", env), NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f;
    size_t i;

    (void)state;
    assert_int_equal(count(r, "SecretLiteralInEnv"), 5);
    f = nth(r, "SecretLiteralInEnv", 0);
    assert_int_equal(f->loc.line, 10);
    assert_string_equal(f->loc.field, "spec.containers[0].env[0].value");
    assert_string_equal(f->container, "app");
    assert_int_equal(f->severity, FTH_SEV_HIGH);
    assert_int_equal(f->rule->cls, FTH_CLASS_SECRET);
    assert_non_null(strstr(f->message, "'DB_PASSWORD'"));
    assert_non_null(strstr(f->message, "hu****"));
    assert_int_equal(nth(r, "SecretLiteralInEnv", 1)->loc.line, 11);
    f = nth(r, "SecretLiteralInEnv", 2);
    assert_int_equal(f->loc.line, 19);
    assert_non_null(strstr(f->message, "URL with a password"));
    assert_non_null(strstr(f->message, "pa****"));
    assert_int_equal(nth(r, "SecretLiteralInEnv", 3)->loc.line, 22);
    assert_non_null(strstr(nth(r, "SecretLiteralInEnv", 3)->message, "('****')"));
    assert_non_null(strstr(nth(r, "SecretLiteralInEnv", 4)->message, "Slack token"));
    /* no secret ever reaches a message */
    for (i = 0; i < r->findings_len; i++) {
        assert_null(strstr(r->findings[i]->message, "hunter2"));
        assert_null(strstr(r->findings[i]->message, "pa55word"));
        assert_null(strstr(r->findings[i]->message, "123456"));
        assert_null(strstr(r->findings[i]->message, "abcdefghij"));
    }
    fth_k8s_scan_free(scan);
}

static void test_k8s_rules_env_all_lists(void **state)
{
    static const char text[] = "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: p}\n"
                               "spec:\n"
                               "  initContainers:\n"
                               "    - name: migrate\n"
                               "      image: m:1\n"
                               "      env: [{name: PGPASSWORD, value: s3cretpw}]\n"
                               "  ephemeralContainers:\n"
                               "    - name: debug\n"
                               "      image: d:1\n"
                               "      env: [{name: TOKEN, value: abcdefgh}]\n"
                               "  containers:\n"
                               "    - name: app\n"
                               "      image: a:1\n"
                               "      env: {name: PASSWORD, value: x}\n"; /* wrong type */
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);

    (void)state;
    assert_int_equal(count(r, "SecretLiteralInEnv"), 2);
    assert_string_equal(nth(r, "SecretLiteralInEnv", 0)->container, "migrate");
    assert_string_equal(nth(r, "SecretLiteralInEnv", 0)->loc.field,
                        "spec.initContainers[0].env[0].value");
    assert_string_equal(nth(r, "SecretLiteralInEnv", 1)->container, "debug");
    assert_non_null(strstr(nth(r, "SecretLiteralInEnv", 1)->message, "ephemeral container"));
    fth_k8s_scan_free(scan);
}

/* ---- RBAC ---- */

static void test_k8s_rules_rbac_roles(void **state)
{
    static const char text[] = "apiVersion: rbac.authorization.k8s.io/v1\n"
                               "kind: ClusterRole\n"
                               "metadata: {name: everything}\n"
                               "rules:\n"
                               "  - apiGroups: ['']\n"
                               "    resources: [pods]\n"
                               "    verbs: [get, list]\n"
                               "  - apiGroups: ['*']\n"
                               "    resources: [deployments]\n"
                               "    verbs: ['*']\n"
                               "  - apiGroups: ['']\n"
                               "    resources: ['*']\n"
                               "    verbs: [get]\n"
                               "---\n"
                               "apiVersion: rbac.authorization.k8s.io/v1\n"
                               "kind: Role\n"
                               "metadata: {name: reader, namespace: shop}\n"
                               "rules:\n"
                               "  - {apiGroups: [''], resources: [configmaps], verbs: [get]}\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f;

    (void)state;
    assert_int_equal(count(r, "RbacWildcardVerbs"), 1);
    f = nth(r, "RbacWildcardVerbs", 0);
    assert_string_equal(f->loc.field, "rules[1].verbs");
    assert_int_equal(f->loc.line, 10);
    assert_string_equal(f->object, "ClusterRole/everything");
    assert_int_equal(count(r, "RbacWildcardResources"), 2);
    f = nth(r, "RbacWildcardResources", 0);
    assert_string_equal(f->loc.field, "rules[1].apiGroups");
    assert_int_equal(f->loc.line, 8);
    f = nth(r, "RbacWildcardResources", 1);
    assert_string_equal(f->loc.field, "rules[2].resources");
    assert_int_equal(f->loc.line, 12);
    fth_k8s_scan_free(scan);
}

static void test_k8s_rules_rbac_bindings(void **state)
{
    static const char text[] = "apiVersion: rbac.authorization.k8s.io/v1\n"
                               "kind: ClusterRoleBinding\n"
                               "metadata: {name: admins}\n"
                               "roleRef:\n"
                               "  apiGroup: rbac.authorization.k8s.io\n"
                               "  kind: ClusterRole\n"
                               "  name: cluster-admin\n"
                               "subjects:\n"
                               "  - {kind: ServiceAccount, name: ci, namespace: build}\n"
                               "  - kind: Group\n"
                               "    name: system:unauthenticated\n"
                               "---\n"
                               "apiVersion: rbac.authorization.k8s.io/v1\n"
                               "kind: RoleBinding\n"
                               "metadata: {name: view, namespace: shop}\n"
                               "roleRef: {kind: ClusterRole, name: view}\n"
                               "subjects:\n"
                               "  - {kind: User, name: system:anonymous}\n"
                               "  - {kind: User, name: alice}\n"
                               "---\n"
                               "apiVersion: rbac.authorization.k8s.io/v1\n"
                               "kind: RoleBinding\n"
                               "metadata: {name: ok, namespace: shop}\n"
                               "roleRef: {kind: Role, name: cluster-admin}\n"
                               "subjects: [{kind: Group, name: system:authenticated}]\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f;

    (void)state;
    assert_int_equal(count(r, "RbacClusterAdminBinding"), 1);
    f = nth(r, "RbacClusterAdminBinding", 0);
    assert_string_equal(f->loc.field, "roleRef.name");
    assert_int_equal(f->loc.line, 7);
    assert_int_equal(count(r, "RbacAnonymousBinding"), 2);
    f = nth(r, "RbacAnonymousBinding", 0);
    assert_int_equal(f->severity, FTH_SEV_CRITICAL);
    assert_string_equal(f->loc.field, "subjects[1]");
    assert_int_equal(f->loc.line, 10);
    assert_non_null(strstr(f->message, "system:unauthenticated"));
    f = nth(r, "RbacAnonymousBinding", 1);
    assert_string_equal(f->object, "RoleBinding/view.shop");
    assert_string_equal(f->loc.field, "subjects[0]");
    fth_k8s_scan_free(scan);
}

/* ---- Services and Namespaces ---- */

static void test_k8s_rules_services(void **state)
{
    static const char text[] = "apiVersion: v1\n"
                               "kind: Service\n"
                               "metadata: {name: a}\n"
                               "spec:\n"
                               "  type: NodePort\n"
                               "  ports: [{port: 80}]\n"
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Service\n"
                               "metadata: {name: b}\n"
                               "spec: {type: LoadBalancer, ports: [{port: 443}]}\n"
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Service\n"
                               "metadata: {name: c}\n"
                               "spec: {ports: [{port: 443}]}\n"
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Service\n"
                               "metadata: {name: d}\n"
                               "spec: {type: ClusterIP}\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f;

    (void)state;
    assert_int_equal(count(r, "ServiceNodePort"), 1);
    f = nth(r, "ServiceNodePort", 0);
    assert_string_equal(f->loc.field, "spec.type");
    assert_int_equal(f->loc.line, 5);
    assert_int_equal(count(r, "ServiceLoadBalancer"), 1);
    assert_string_equal(nth(r, "ServiceLoadBalancer", 0)->object, "Service/b.default");
    assert_int_equal(nth(r, "ServiceLoadBalancer", 0)->loc.line, 11);
    fth_k8s_scan_free(scan);
}

static void test_k8s_rules_namespaces(void **state)
{
    static const char text[] = "apiVersion: v1\n"
                               "kind: Namespace\n"
                               "metadata: {name: a}\n"
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Namespace\n"
                               "metadata:\n"
                               "  name: b\n"
                               "  labels:\n"
                               "    pod-security.kubernetes.io/enforce: privileged\n"
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Namespace\n"
                               "metadata:\n"
                               "  name: c\n"
                               "  labels:\n"
                               "    pod-security.kubernetes.io/enforce: restricted\n"
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Namespace\n"
                               "metadata:\n"
                               "  name: d\n"
                               "  labels: {pod-security.kubernetes.io/warn: restricted}\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f;

    (void)state;
    assert_int_equal(count(r, "NamespacePodSecurityMissing"), 2);
    f = nth(r, "NamespacePodSecurityMissing", 0);
    assert_string_equal(f->object, "Namespace/a");
    assert_string_equal(f->loc.field, "metadata.labels.pod-security.kubernetes.io/enforce");
    assert_string_equal(nth(r, "NamespacePodSecurityMissing", 1)->object, "Namespace/d");
    assert_int_equal(count(r, "NamespacePodSecurityWeak"), 1);
    f = nth(r, "NamespacePodSecurityWeak", 0);
    assert_string_equal(f->object, "Namespace/b");
    assert_int_equal(f->loc.line, 10);
    fth_k8s_scan_free(scan);
}

/* ---- Secrets and ConfigMaps ---- */

static void test_k8s_rules_secret_data(void **state)
{
    static const char text[] =
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata: {name: db}\n"
        "type: Opaque\n"
        "data:\n"
        "  username: YWRtaW4=\n"                                            /* admin */
        "  password: aHVudGVyMmh1bnRlcjI=\n"                                /* 7: hunter2hunter2 */
        "  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2Zz09Cg==\n" /* 8: PEM */
        "  empty: ''\n"
        "  wrapped: |\n"
        "    YWRt\n"
        "    aW4=\n"
        "stringData:\n"
        "  api-token: tok-abcdef123\n" /* 14 */
        "  config.yaml: |\n"
        "    user: admin\n"
        "    password: ${DB_PASSWORD}\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f;
    size_t i;

    (void)state;
    assert_int_equal(r->errors_len, 0);
    assert_int_equal(count(r, "SecretLiteralInSecret"), 3);
    f = nth(r, "SecretLiteralInSecret", 0);
    assert_int_equal(f->severity, FTH_SEV_MEDIUM);
    assert_string_equal(f->loc.field, "data.password");
    assert_int_equal(f->loc.line, 7);
    assert_non_null(strstr(f->message, "hu****"));
    f = nth(r, "SecretLiteralInSecret", 1);
    assert_string_equal(f->loc.field, "data[tls.key]");
    assert_non_null(strstr(f->message, "PEM private key"));
    f = nth(r, "SecretLiteralInSecret", 2);
    assert_string_equal(f->loc.field, "stringData.api-token");
    assert_int_equal(f->loc.line, 14);
    assert_non_null(strstr(f->message, "to****"));
    for (i = 0; i < r->findings_len; i++) {
        assert_null(strstr(r->findings[i]->message, "hunter2"));
        assert_null(strstr(r->findings[i]->message, "aHVud"));
    }
    fth_k8s_scan_free(scan);
}

static void test_k8s_rules_secret_bad_base64(void **state)
{
    static const char *const bad[] = {
        "'!!!!'", "abc", "ab=c", "a===", "YWRtaW4", "'YW Rt'", "YWRtaW4=x"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[256];
        struct fth_k8s_scan *scan;
        const struct fth_k8s_result *r;

        snprintf(text, sizeof(text),
                 "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: %s\n",
                 bad[i]);
        scan = scan_text(text, NULL);
        r = fth_k8s_scan_result(scan);
        if (r->errors_len != 1 || count(r, "SecretLiteralInSecret") != 0)
            fail_msg("'%s': %zu errors, %zu findings", bad[i], r->errors_len,
                     count(r, "SecretLiteralInSecret"));
        assert_int_equal(r->errors[0]->code, FTH_ETYPE);
        assert_int_equal(r->errors[0]->line, 5);
        assert_non_null(strstr(r->errors[0]->message, "'data.password'"));
        assert_non_null(strstr(r->errors[0]->message, "base64"));
        assert_true(r->objects[0]->invalid);
        fth_k8s_scan_free(scan);
    }
}

static void test_k8s_rules_configmap(void **state)
{
    static const char text[] =
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata: {name: app, namespace: shop}\n"
        "data:\n"
        "  LOG_LEVEL: info\n"
        "  DB_PASSWORD: hunter2hunter2\n" /* 6 */
        "  max-tokens: '4096'\n"
        "  app.properties: |\n" /* 8 */
        "    db.url=jdbc:postgresql://db/app\n"
        "    db.password=s3cr3tvalue\n"
        "  settings.json: |\n"
        "    {\"apiKey\": \"${API_KEY}\", \"region\": \"eu\"}\n"
        "  ci: 'ghp_0123456789abcdefghijABCDEFGHIJ012345'\n" /* 13 */
        "  session: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl'\n"
        "  aws: AKIAIOSFODNN7EXAMPLE\n"
        "  notaws: AKIAIOSFODNN7EXAMPLEX\n" /* too long for a key id */
        "  secret-name: app-credentials-name\n"
        "  placeholder-token: '<your token here>'\n"
        "binaryData:\n"
        "  id_rsa: c2VjcmV0LWtleS1tYXRlcmlhbA==\n"; /* 20 */
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f;

    (void)state;
    assert_int_equal(r->errors_len, 0);
    assert_int_equal(count(r, "SecretLiteralInConfigMap"), 6);
    f = nth(r, "SecretLiteralInConfigMap", 0);
    assert_int_equal(f->severity, FTH_SEV_HIGH);
    assert_string_equal(f->loc.field, "data.DB_PASSWORD");
    assert_int_equal(f->loc.line, 6);
    assert_string_equal(f->object, "ConfigMap/app.shop");
    f = nth(r, "SecretLiteralInConfigMap", 1);
    assert_string_equal(f->loc.field, "data[app.properties]");
    assert_non_null(strstr(f->message, "'db.password'"));
    assert_non_null(strstr(f->message, "s3****"));
    assert_non_null(strstr(nth(r, "SecretLiteralInConfigMap", 2)->message, "GitHub token"));
    assert_non_null(strstr(nth(r, "SecretLiteralInConfigMap", 3)->message, "JSON Web Token"));
    f = nth(r, "SecretLiteralInConfigMap", 4);
    assert_non_null(strstr(f->message, "AWS access key id"));
    assert_non_null(strstr(f->message, "AK****"));
    f = nth(r, "SecretLiteralInConfigMap", 5);
    assert_string_equal(f->loc.field, "binaryData.id_rsa");
    assert_int_equal(f->loc.line, 20);
    fth_k8s_scan_free(scan);
}

/* ---- suppression, Lists, odd input ---- */

static void test_k8s_rules_suppression(void **state)
{
    static const char text[] = "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata:\n"
                               "  name: p\n"
                               "  annotations:\n"
                               "    fathom.dev/ignore: \"ImageTagLatest,HostPathVolume\"\n"
                               "spec:\n"
                               "  volumes: [{name: h, hostPath: {path: /data}}]\n"
                               "  containers: [{name: c, image: 'nginx:latest'}]\n";
    struct fth_k8s_opts opts = FTH_K8S_OPTS_INIT;
    struct fth_k8s_scan *scan;
    const struct fth_k8s_result *r;

    (void)state;
    scan = scan_text(text, NULL);
    r = fth_k8s_scan_result(scan);
    assert_non_null(nth(r, "ImageTagLatest", 0)->suppressed);
    assert_non_null(strstr(nth(r, "ImageTagLatest", 0)->suppressed, "fathom.dev/ignore"));
    assert_non_null(nth(r, "HostPathVolume", 0)->suppressed);
    assert_null(nth(r, "ImageDigestMissing", 0)->suppressed);
    assert_null(nth(r, "LivenessProbeMissing", 0)->suppressed);
    fth_k8s_scan_free(scan);

    opts.no_annotations = 1;
    scan = scan_text(text, &opts);
    r = fth_k8s_scan_result(scan);
    assert_null(nth(r, "ImageTagLatest", 0)->suppressed);
    assert_null(nth(r, "HostPathVolume", 0)->suppressed);
    fth_k8s_scan_free(scan);
}

static void test_k8s_rules_list_items(void **state)
{
    static const char text[] = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n"
                               "  {\"apiVersion\": \"v1\", \"kind\": \"Service\",\n"
                               "   \"metadata\": {\"name\": \"s\"},\n"
                               "   \"spec\": {\"type\": \"NodePort\"}},\n"
                               "  {\"apiVersion\": \"apps/v1\", \"kind\": \"StatefulSet\",\n"
                               "   \"metadata\": {\"name\": \"db\"},\n"
                               "   \"spec\": {\"template\": {\"spec\": {\"containers\": [\n"
                               "     {\"name\": \"pg\", \"image\": \"postgres\"}]}}}}]}\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f;

    (void)state;
    f = nth(r, "ServiceNodePort", 0);
    assert_non_null(f);
    assert_string_equal(f->loc.field, "items[0].spec.type");
    assert_int_equal(f->loc.line, 4);
    f = nth(r, "ImageTagMissing", 0);
    assert_non_null(f);
    assert_string_equal(f->loc.field, "items[1].spec.template.spec.containers[0].image");
    assert_string_equal(f->container, "pg");
    assert_int_equal(f->loc.line, 8);
    fth_k8s_scan_free(scan);
}

static void test_k8s_rules_wrong_types(void **state)
{
    static const char text[] = "apiVersion: apps/v1\n"
                               "kind: Deployment\n"
                               "metadata: {name: odd}\n"
                               "spec:\n"
                               "  template:\n"
                               "    spec:\n"
                               "      volumes: {hostPath: {path: /}}\n"
                               "      automountServiceAccountToken: 'false'\n"
                               "      containers:\n"
                               "        - 7\n"
                               "        - name: c\n"
                               "          image: 5\n"
                               "          ports: 80\n"
                               "          env: [7, {name: 5, value: x}, {name: PASSWORD}]\n"
                               "---\n"
                               "kind: Secret\n"
                               "apiVersion: v1\n"
                               "metadata: {name: s}\n"
                               "data: [a, b]\n"
                               "---\n"
                               "kind: ClusterRole\n"
                               "apiVersion: rbac.authorization.k8s.io/v1\n"
                               "metadata: {name: r}\n"
                               "rules: [7, {verbs: '*', resources: [7, '*']}]\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);

    (void)state;
    assert_int_equal(count(r, "HostPathVolume"), 0);
    assert_int_equal(count(r, "ImageTagMissing"), 0);
    assert_int_equal(count(r, "HostPortUsed"), 0);
    assert_int_equal(count(r, "SecretLiteralInEnv"), 0);
    assert_int_equal(count(r, "SecretLiteralInSecret"), 0);
    assert_int_equal(count(r, "ServiceAccountTokenAutomount"), 1);
    assert_int_equal(count(r, "RbacWildcardVerbs"), 0);
    assert_int_equal(count(r, "RbacWildcardResources"), 1);
    fth_k8s_scan_free(scan);
}

static void test_k8s_rules_long_values(void **state)
{
    /* Repeated token prefixes in a large value: scanned in linear time (a quadratic scan of
     * 1 MiB would not finish under the sanitizers), at most one finding for the key. */
    static const char *const units[] = {"xoxb-", "github_pat_", "eyJ.",
                                        "AKIA",  "://a:",       "-----BEGIN "};
    size_t u;

    (void)state;
    for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        const char *head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n"
                           "  blob: '";
        size_t ulen = strlen(units[u]), reps = (size_t)1 << 18, i;
        size_t len = strlen(head) + ulen * reps + 3;
        char *text = malloc(len + 1), *q;
        struct fth_k8s_scan *scan;

        assert_non_null(text);
        q = text + strlen(head);
        memcpy(text, head, strlen(head));
        for (i = 0; i < reps; i++, q += ulen)
            memcpy(q, units[u], ulen);
        memcpy(q, "'\n", 3);
        text[len - 1] = '\0';
        scan = scan_text(text, NULL);
        assert_true(count(fth_k8s_scan_result(scan), "SecretLiteralInConfigMap") <= 1);
        fth_k8s_scan_free(scan);
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_k8s_rules_table),
        cmocka_unit_test(test_k8s_rules_image_refs),
        cmocka_unit_test(test_k8s_rules_image_location),
        cmocka_unit_test(test_k8s_rules_probes),
        cmocka_unit_test(test_k8s_rules_resources),
        cmocka_unit_test(test_k8s_rules_host_port),
        cmocka_unit_test(test_k8s_rules_host_path),
        cmocka_unit_test(test_k8s_rules_token_automount),
        cmocka_unit_test(test_k8s_rules_env_secrets),
        cmocka_unit_test(test_k8s_rules_env_all_lists),
        cmocka_unit_test(test_k8s_rules_rbac_roles),
        cmocka_unit_test(test_k8s_rules_rbac_bindings),
        cmocka_unit_test(test_k8s_rules_services),
        cmocka_unit_test(test_k8s_rules_namespaces),
        cmocka_unit_test(test_k8s_rules_secret_data),
        cmocka_unit_test(test_k8s_rules_secret_bad_base64),
        cmocka_unit_test(test_k8s_rules_configmap),
        cmocka_unit_test(test_k8s_rules_suppression),
        cmocka_unit_test(test_k8s_rules_list_items),
        cmocka_unit_test(test_k8s_rules_wrong_types),
        cmocka_unit_test(test_k8s_rules_long_values),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
