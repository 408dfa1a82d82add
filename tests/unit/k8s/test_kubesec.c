/*
 * kubesec's rules: every rule matched and not matched on inline manifests (count, bucket,
 * score, the finding's line), the report order, and every fixture of kubesec's own Go tests
 * (FATHOM_SHARED/fixtures/kubesec/expectations.jsonl) with the exact count its predicate
 * returned there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "fathom/fathom.h"
#include "k8s/k8s_int.h"

#define FIXTURES FATHOM_SHARED "/fixtures/kubesec"
#define SKIP INT32_MIN

static struct fth_k8s_scan *scan_text(const char *text, size_t len)
{
    struct fth_k8s_scan *scan = NULL;

    assert_int_equal(fth_k8s_scan_new(&scan, NULL), 0);
    assert_int_equal(fth_k8s_scan_buffer(scan, "in.yaml", text, len), 0);
    assert_int_equal(fth_k8s_scan_finish(scan), 0);
    return scan;
}

static const struct fth_kubesec_match *match_of(const struct fth_k8s_object *o, const char *id)
{
    size_t i;

    for (i = 0; i < o->kubesec_len; i++)
        if (!strcmp(o->kubesec[i].rule->id, id))
            return &o->kubesec[i];
    return NULL;
}

static const struct fth_finding *finding_of(const struct fth_k8s_result *r, const char *id)
{
    size_t i;

    for (i = 0; i < r->findings_len; i++)
        if (!strcmp(r->findings[i]->rule->id, id))
            return r->findings[i];
    return NULL;
}

static size_t findings_of(const struct fth_k8s_result *r, const char *id)
{
    size_t i, n = 0;

    for (i = 0; i < r->findings_len; i++)
        n += !strcmp(r->findings[i]->rule->id, id);
    return n;
}

/* ---- one case per rule and outcome ---- */

struct rule_case {
    const char *rule;
    unsigned count;
    enum fth_kubesec_bucket bucket;
    int score;     /* SKIP: not checked */
    unsigned line; /* line of the first finding; 0: no finding */
    const char *yaml;
};

#define POD "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"

static const struct rule_case cases[] = {
    {"HostNetwork", 1, FTH_KUBESEC_CRITICAL, -9, 6,
     POD "  hostNetwork: true\n  containers:\n  - name: c\n"},
    {"HostNetwork", 0, FTH_KUBESEC_NONE, 0, 0,
     POD "  hostNetwork: false\n  containers:\n  - name: c\n"},
    {"HostPID", 1, FTH_KUBESEC_CRITICAL, -9, 6,
     POD "  hostPID: true\n  containers:\n  - name: c\n"},
    {"HostPID", 0, FTH_KUBESEC_NONE, 0, 0, POD "  containers:\n  - name: c\n"},
    {"HostIPC", 1, FTH_KUBESEC_CRITICAL, -9, 6,
     POD "  hostIPC: true\n  containers:\n  - name: c\n"},
    {"HostIPC", 0, FTH_KUBESEC_NONE, 0, 0, POD "  hostIPC: false\n  containers:\n  - name: c\n"},
    {"ReadOnlyRootFilesystem", 1, FTH_KUBESEC_PASSED, 1, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      readOnlyRootFilesystem: true\n"
         "  - name: b\n"},
    {"ReadOnlyRootFilesystem", 0, FTH_KUBESEC_ADVISE, 0, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      readOnlyRootFilesystem: false\n"},
    /* the pod's setting is the default; a container's own setting wins */
    {"RunAsNonRoot", 2, FTH_KUBESEC_PASSED, 1, 0,
     POD "  securityContext:\n    runAsNonRoot: true\n  initContainers:\n  - name: i\n"
         "  containers:\n  - name: a\n  - name: b\n    securityContext:\n"
         "      runAsNonRoot: false\n"},
    {"RunAsNonRoot", 0, FTH_KUBESEC_ADVISE, 0, 0,
     POD "  securityContext:\n    runAsNonRoot: true\n"},
    {"RunAsUser", 1, FTH_KUBESEC_PASSED, 1, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      runAsUser: 10001\n"},
    {"RunAsUser", 0, FTH_KUBESEC_ADVISE, 0, 0,
     POD "  securityContext:\n    runAsUser: 10000\n  containers:\n  - name: a\n"},
    {"RunAsGroup", 1, FTH_KUBESEC_PASSED, 1, 0,
     POD "  securityContext:\n    runAsGroup: 20000\n  containers:\n  - name: a\n"},
    {"RunAsGroup", 0, FTH_KUBESEC_ADVISE, 0, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      runAsGroup: 1\n"},
    {"Privileged", 2, FTH_KUBESEC_CRITICAL, -30, 9,
     POD "  containers:\n  - name: a\n    securityContext:\n      privileged: true\n"
         "  ephemeralContainers:\n  - name: e\n    securityContext:\n      privileged: true\n"},
    {"Privileged", 0, FTH_KUBESEC_NONE, 0, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      privileged: false\n"},
    {"CapSysAdmin", 1, FTH_KUBESEC_CRITICAL, -30, 10,
     POD "  containers:\n  - name: a\n    securityContext:\n      capabilities:\n"
         "        add: [NET_ADMIN, SYS_ADMIN]\n"},
    {"CapSysAdmin", 0, FTH_KUBESEC_NONE, 0, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      capabilities:\n"
         "        add: [sys_admin]\n"},
    {"CapDropAny", 1, FTH_KUBESEC_PASSED, 1, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      capabilities:\n"
         "        drop: [NET_RAW]\n"},
    {"CapDropAny", 0, FTH_KUBESEC_ADVISE, 0, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      capabilities:\n"
         "        drop: []\n"},
    /* kubesec looks for "ALL" in any case */
    {"CapDropAll", 1, FTH_KUBESEC_PASSED, 2, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      capabilities:\n"
         "        drop: [all]\n"},
    {"CapDropAll", 0, FTH_KUBESEC_ADVISE, 1, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      capabilities:\n"
         "        drop: [NET_RAW]\n"},
    {"DockerSock", 1, FTH_KUBESEC_CRITICAL, -9, 11,
     POD "  containers:\n  - name: a\n  volumes:\n  - name: d\n    hostPath:\n"
         "      path: /var/run/docker.sock\n"},
    {"DockerSock", 0, FTH_KUBESEC_NONE, 0, 0,
     POD "  containers:\n  - name: a\n  volumes:\n  - name: d\n    hostPath:\n"
         "      path: /var/run\n"},
    {"ProcMount", 1, FTH_KUBESEC_CRITICAL, -9, 11,
     POD "  containers:\n  - name: a\n  volumes:\n  - name: d\n    hostPath:\n"
         "      path: /proc\n"},
    {"ProcMount", 0, FTH_KUBESEC_NONE, 0, 0,
     POD "  containers:\n  - name: a\n  volumes:\n  - name: d\n    hostPath:\n"
         "      path: /tmp\n"},
    {"RequestsCPU", 1, FTH_KUBESEC_PASSED, 1, 0,
     POD "  containers:\n  - name: a\n    resources:\n      requests:\n        cpu: 100m\n"},
    /* resource rules look at containers only, not at init containers */
    {"RequestsCPU", 0, FTH_KUBESEC_ADVISE, 0, 0,
     POD "  initContainers:\n  - name: a\n    resources:\n      requests:\n        cpu: 100m\n"},
    {"LimitsCPU", 2, FTH_KUBESEC_PASSED, 1, 0,
     POD "  containers:\n  - name: a\n    resources:\n      limits:\n        cpu: 1\n"
         "  - name: b\n    resources:\n      limits:\n        cpu: 2\n"},
    {"LimitsCPU", 0, FTH_KUBESEC_ADVISE, 0, 0,
     POD "  containers:\n  - name: a\n    resources:\n      limits:\n        cpu:\n"},
    {"RequestsMemory", 1, FTH_KUBESEC_PASSED, 1, 0,
     POD "  containers:\n  - name: a\n    resources:\n      requests:\n        memory: 1Gi\n"},
    {"RequestsMemory", 0, FTH_KUBESEC_ADVISE, 0, 0,
     POD "  containers:\n  - name: a\n    resources: {}\n"},
    {"LimitsMemory", 1, FTH_KUBESEC_PASSED, 1, 0,
     POD "  containers:\n  - name: a\n    resources:\n      limits:\n        memory: 1Gi\n"},
    {"LimitsMemory", 0, FTH_KUBESEC_ADVISE, 1, 0,
     POD "  containers:\n  - name: a\n    resources:\n      requests:\n        memory: 1Gi\n"},
    {"ServiceAccountName", 1, FTH_KUBESEC_PASSED, 3, 0,
     POD "  serviceAccountName: robot\n  containers:\n  - name: a\n"},
    {"ServiceAccountName", 0, FTH_KUBESEC_ADVISE, 0, 0,
     POD "  serviceAccountName:\n  containers:\n  - name: a\n"},
    {"HostAliases", 1, FTH_KUBESEC_CRITICAL, -3, 7,
     POD "  hostAliases:\n  - ip: 127.0.0.1\n    hostnames: [a.local]\n"},
    {"HostAliases", 0, FTH_KUBESEC_NONE, 0, 0, POD "  hostAliases:\n"},
    {"SeccompAny", 1, FTH_KUBESEC_PASSED, 1, 0,
     POD "  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n"
         "  containers:\n  - name: a\n"},
    {"SeccompAny", 0, FTH_KUBESEC_ADVISE, SKIP, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      seccompProfile:\n"
         "        type: Unconfined\n"},
    /* inherited from the pod: the finding is at the pod's field, once per container */
    {"SeccompUnconfined", 2, FTH_KUBESEC_CRITICAL, -1, 8,
     POD "  securityContext:\n    seccompProfile:\n      type: Unconfined\n"
         "  containers:\n  - name: a\n  - name: b\n"},
    {"SeccompUnconfined", 0, FTH_KUBESEC_NONE, SKIP, 0,
     POD "  securityContext:\n    seccompProfile:\n      type: Unconfined\n"
         "  containers:\n  - name: a\n    securityContext:\n      seccompProfile:\n"
         "        type: RuntimeDefault\n"},
    {"ApparmorAny", 1, FTH_KUBESEC_PASSED, 3, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      appArmorProfile:\n"
         "        type: Localhost\n"},
    {"ApparmorAny", 0, FTH_KUBESEC_ADVISE, 0, 0, POD "  containers:\n  - name: a\n"},
    {"ApparmorUnconfined", 1, FTH_KUBESEC_CRITICAL, -1, 10,
     POD "  initContainers:\n  - name: a\n    securityContext:\n      appArmorProfile:\n"
         "        type: Unconfined\n"},
    {"ApparmorUnconfined", 0, FTH_KUBESEC_NONE, SKIP, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n      appArmorProfile:\n"
         "        type: RuntimeDefault\n"},
    {"VolumeClaimAccessModeReadWriteOnce", 1, FTH_KUBESEC_PASSED, SKIP, 0,
     "kind: StatefulSet\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n"
     "  volumeClaimTemplates:\n  - spec:\n      accessModes: [ReadWriteOnce]\n"},
    {"VolumeClaimAccessModeReadWriteOnce", 0, FTH_KUBESEC_ADVISE, SKIP, 0,
     "kind: StatefulSet\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n"
     "  volumeClaimTemplates:\n  - spec:\n      accessModes: [ReadWriteOnce, ReadOnlyMany]\n"},
    {"VolumeClaimRequestsStorage", 1, FTH_KUBESEC_PASSED, SKIP, 0,
     "kind: StatefulSet\nspec:\n  volumeClaimTemplates:\n  - spec:\n      resources:\n"
     "        requests:\n          storage: 1Gi\n  - spec:\n      accessModes: [ReadWriteOnce]\n"},
    {"VolumeClaimRequestsStorage", 0, FTH_KUBESEC_ADVISE, SKIP, 0,
     "kind: StatefulSet\nspec:\n  volumeClaimTemplates:\n  - spec:\n      resources: {}\n"},
    {"AllowPrivilegeEscalation", 1, FTH_KUBESEC_CRITICAL, -7, 9,
     POD "  initContainers:\n  - name: i\n    securityContext:\n"
         "      allowPrivilegeEscalation: true\n  containers:\n  - name: a\n"},
    {"AllowPrivilegeEscalation", 0, FTH_KUBESEC_NONE, 0, 0,
     POD "  containers:\n  - name: a\n    securityContext:\n"
         "      allowPrivilegeEscalation: false\n"},
    {"AutomountServiceAccountToken", 1, FTH_KUBESEC_PASSED, 1, 0,
     POD "  automountServiceAccountToken: false\n"},
    {"AutomountServiceAccountToken", 0, FTH_KUBESEC_ADVISE, 0, 0,
     POD "  automountServiceAccountToken: true\n"},
    {"HostUsers", 1, FTH_KUBESEC_PASSED, 1, 0, POD "  hostUsers: false\n"},
    {"HostUsers", 0, FTH_KUBESEC_ADVISE, 0, 0, POD "  hostUsers: true\n"},
    {"SecretsAsEnvironmentVariables", 1, FTH_KUBESEC_CRITICAL, -5, 13,
     "kind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
     "          containers:\n          - name: a\n            env:\n            - name: P\n"
     "              valueFrom:\n                secretKeyRef:\n                  name: s\n"},
    {"SecretsAsEnvironmentVariables", 2, FTH_KUBESEC_CRITICAL, -5, 10,
     POD "  containers:\n  - name: a\n    envFrom:\n    - secretRef:\n        name: s\n"
         "  - name: b\n    env:\n    - name: X\n      valueFrom:\n        secretKeyRef:\n"
         "          name: s\n"},
    {"SecretsAsEnvironmentVariables", 0, FTH_KUBESEC_NONE, 0, 0,
     POD "  containers:\n  - name: a\n    env:\n    - name: X\n      valueFrom:\n"
         "        configMapKeyRef:\n          name: c\n"},
    {"BindingsToSystemAnonymous", 1, FTH_KUBESEC_CRITICAL, -30, 7,
     "kind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  name: admin\nsubjects:\n"
     "- name: system:anonymous\n  kind: User\n"},
    {"BindingsToSystemAnonymous", 0, FTH_KUBESEC_NONE, 0, 0,
     "kind: RoleBinding\nmetadata:\n  name: b\nsubjects:\n- name: system:authenticated\n"},
};

static void test_k8s_kubesec_rules(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct rule_case *tc = &cases[i];
        struct fth_k8s_scan *scan = scan_text(tc->yaml, strlen(tc->yaml));
        const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
        const struct fth_k8s_object *o;
        const struct fth_kubesec_match *m;
        const struct fth_finding *f;

        print_message("case %zu: %s %u\n", i, tc->rule, tc->count);
        assert_int_equal(r->errors_len, 0);
        assert_int_equal(r->objects_len, 1);
        o = r->objects[0];
        assert_true(o->kubesec_supported);
        m = match_of(o, tc->rule);
        assert_non_null(m);
        assert_int_equal(m->count, tc->count);
        assert_int_equal(m->bucket, tc->bucket);
        if (tc->score != SKIP)
            assert_int_equal(o->kubesec_score, tc->score);
        f = finding_of(r, tc->rule);
        if (tc->line) {
            assert_non_null(f);
            assert_int_equal(f->loc.line, tc->line);
            assert_string_equal(f->rule->source, "kubesec");
            assert_non_null(f->loc.field);
        } else {
            assert_null(f);
        }
        fth_k8s_scan_free(scan);
    }
}

/* Every rule has its kubesec data, and a severity that follows its points. */
static void test_k8s_kubesec_table(void **state)
{
    size_t i, j;

    (void)state;
    assert_int_equal(k8s_kubesec_rules_len, 30);
    for (i = 0; i < k8s_kubesec_rules_len; i++) {
        const struct fth_rule *r = &k8s_kubesec_rules[i];
        enum fth_severity want = r->points <= -30  ? FTH_SEV_CRITICAL
                                 : r->points <= -7 ? FTH_SEV_HIGH
                                 : r->points <= -4 ? FTH_SEV_MEDIUM
                                 : r->points < 0   ? FTH_SEV_LOW
                                                   : FTH_SEV_INFO;

        assert_string_equal(r->source, "kubesec");
        assert_int_equal(r->severity, want);
        assert_non_null(r->selector);
        assert_true(r->title && r->rationale && r->remediation && r->reference && r->kinds);
        assert_ptr_equal(fth_k8s_rule_find(r->id), r);
        for (j = 0; j < i; j++)
            assert_string_not_equal(k8s_kubesec_rules[j].id, r->id);
    }
}

/* The rule table agrees with kubesec's (kubesec-rules.json): ids, points, kinds, reasons. */
static void test_k8s_kubesec_table_matches_kubesec(void **state)
{
    json_error_t jerr;
    json_t *doc = json_load_file(FIXTURES "/kubesec-rules.json", 0, &jerr), *rules;
    size_t i, j;

    (void)state;
    assert_non_null(doc);
    rules = json_object_get(doc, "rules");
    assert_int_equal(json_array_size(rules), k8s_kubesec_rules_len);
    for (i = 0; i < json_array_size(rules); i++) {
        json_t *jr = json_array_get(rules, i), *kinds = json_object_get(jr, "kinds");
        const struct fth_rule *r = &k8s_kubesec_rules[i];
        char joined[256] = "";
        size_t len = 0;

        assert_string_equal(r->id, json_string_value(json_object_get(jr, "id")));
        assert_string_equal(r->selector, json_string_value(json_object_get(jr, "selector")));
        assert_string_equal(r->title, json_string_value(json_object_get(jr, "reason")));
        assert_int_equal(r->points, json_integer_value(json_object_get(jr, "points")));
        assert_int_equal(r->advise, json_integer_value(json_object_get(jr, "advise")));
        for (j = 0; j < json_array_size(kinds); j++)
            len += (size_t)snprintf(joined + len, sizeof(joined) - len, "%s%s", j ? "," : "",
                                    json_string_value(json_array_get(kinds, j)));
        assert_string_equal(r->kinds, joined);
    }
    json_decref(doc);
}

/* Report order: critical by points ascending, passed and advise by points descending. */
static void test_k8s_kubesec_order(void **state)
{
    static const char text[] =
        POD "  hostNetwork: true\n  serviceAccountName: sa\n  containers:\n  - name: a\n"
            "    securityContext:\n      privileged: true\n      allowPrivilegeEscalation: true\n"
            "      readOnlyRootFilesystem: true\n";
    struct fth_k8s_scan *scan = scan_text(text, sizeof(text) - 1);
    const struct fth_k8s_object *o = fth_k8s_scan_result(scan)->objects[0];
    size_t i;

    (void)state;
    assert_int_equal(o->kubesec_score, -30 - 9 - 7 + 3 + 1);
    assert_string_equal(o->kubesec[0].rule->id, "Privileged");
    assert_string_equal(o->kubesec[1].rule->id, "HostNetwork");
    assert_string_equal(o->kubesec[2].rule->id, "AllowPrivilegeEscalation");
    assert_string_equal(o->kubesec[3].rule->id, "ServiceAccountName");
    assert_string_equal(o->kubesec[4].rule->id, "ReadOnlyRootFilesystem");
    assert_int_equal(o->kubesec[5].bucket, FTH_KUBESEC_ADVISE);
    assert_string_equal(o->kubesec[5].rule->id, "ApparmorAny");
    for (i = 1; i < o->kubesec_len; i++) {
        const struct fth_kubesec_match *a = &o->kubesec[i - 1], *b = &o->kubesec[i];

        if (a->bucket == b->bucket && b->bucket == FTH_KUBESEC_CRITICAL)
            assert_true(a->rule->points <= b->rule->points);
        if (a->bucket == b->bucket &&
            (b->bucket == FTH_KUBESEC_PASSED || b->bucket == FTH_KUBESEC_ADVISE))
            assert_true(a->rule->points >= b->rule->points);
    }
    fth_k8s_scan_free(scan);
}

/* Kinds: only the rules listing the kind score; other kinds are not scored, but the dangers
 * kubesec's negative rules describe are still findings in every workload's pod template. */
static void test_k8s_kubesec_kinds(void **state)
{
    static const char text[] =
        "kind: Job\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n"
        "        securityContext: {privileged: true}\n"
        "---\nkind: Service\nmetadata: {name: s}\nspec: {type: ClusterIP}\n"
        "---\nkind: pod\nspec: {hostNetwork: true}\n";
    struct fth_k8s_scan *scan = scan_text(text, sizeof(text) - 1);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);

    (void)state;
    assert_int_equal(r->objects_len, 3);
    assert_true(r->objects[0]->kubesec_supported);
    assert_int_equal(r->objects[0]->kubesec_len, 1);
    assert_string_equal(r->objects[0]->kubesec[0].rule->id, "SecretsAsEnvironmentVariables");
    assert_int_equal(r->objects[0]->kubesec_score, 0);
    assert_int_equal(findings_of(r, "Privileged"), 1);
    assert_false(r->objects[1]->kubesec_supported);
    assert_int_equal(r->objects[1]->kubesec_len, 0);
    assert_false(r->objects[2]->kubesec_supported); /* kubesec compares kinds exactly */
    fth_k8s_scan_free(scan);
}

/* Wrong-typed fields count as absent, as kubesec's type assertions do. */
static void test_k8s_kubesec_wrong_types(void **state)
{
    static const char text[] = POD "  hostNetwork: \"true\"\n  hostUsers: \"false\"\n"
                                   "  containers:\n  - name: a\n    securityContext:\n"
                                   "      privileged: \"true\"\n      runAsUser: \"20000\"\n";
    struct fth_k8s_scan *scan = scan_text(text, sizeof(text) - 1);
    const struct fth_k8s_object *o = fth_k8s_scan_result(scan)->objects[0];

    (void)state;
    assert_true(o->invalid);
    assert_int_equal(match_of(o, "HostNetwork")->count, 0);
    assert_int_equal(match_of(o, "HostUsers")->bucket, FTH_KUBESEC_ADVISE);
    assert_int_equal(match_of(o, "Privileged")->count, 0);
    assert_int_equal(match_of(o, "RunAsUser")->count, 0);
    assert_int_equal(o->kubesec_score, 0);
    fth_k8s_scan_free(scan);
}

/* ---- kubesec's own per-rule Go tests ---- */

static char *read_fixture(const char *rel, size_t *len)
{
    char path[1024];
    struct fth_buf buf = FTH_BUF_INIT;
    struct fth_error err;

    snprintf(path, sizeof(path), "%s/%s", FIXTURES, rel);
    fth_error_clear(&err);
    assert_int_equal(fth_file_read(&buf, path, 1u << 24, &err), 0);
    return fth_buf_detach(&buf, len);
}

/* Replace every "myAttribute" with "runAsNonRoot": a boolean checked at pod level too. */
static char *synthetic_to_run_as_non_root(const char *text, size_t *len)
{
    struct fth_buf out = FTH_BUF_INIT;
    const char *p = text, *hit;

    while ((hit = strstr(p, "myAttribute"))) {
        assert_int_equal(fth_buf_put(&out, p, (size_t)(hit - p)), 0);
        assert_int_equal(fth_buf_puts(&out, "runAsNonRoot"), 0);
        p = hit + strlen("myAttribute");
    }
    assert_int_equal(fth_buf_puts(&out, p), 0);
    return fth_buf_detach(&out, len);
}

static enum fth_kubesec_bucket bucket_named(const char *name)
{
    if (!name || !strcmp(name, "none"))
        return FTH_KUBESEC_NONE;
    if (!strcmp(name, "passed"))
        return FTH_KUBESEC_PASSED;
    if (!strcmp(name, "advise"))
        return FTH_KUBESEC_ADVISE;
    assert_string_equal(name, "critical");
    return FTH_KUBESEC_CRITICAL;
}

static void test_k8s_kubesec_upstream_counts(void **state)
{
    FILE *fp = fopen(FIXTURES "/expectations.jsonl", "r");
    char line[16384];
    size_t checked = 0;

    (void)state;
    assert_non_null(fp);
    while (fgets(line, sizeof(line), fp)) {
        json_error_t jerr;
        json_t *e = json_loads(line, 0, &jerr), *rules, *want;
        const char *file, *id;
        struct fth_k8s_scan *scan;
        const struct fth_k8s_object *o;
        char *text, *mapped;
        size_t len;

        assert_non_null(e);
        rules = json_object_get(e, "expected_rule_ids_passed_or_failed");
        file = json_string_value(json_object_get(e, "file"));
        if (!json_is_object(rules)) {
            json_decref(e);
            continue;
        }
        text = read_fixture(file, &len);
        json_object_foreach(rules, id, want)
        {
            const char *rule = id;
            const struct fth_kubesec_match *m;
            const json_t *b = json_object_get(want, "bucket");
            unsigned count = (unsigned)json_integer_value(json_object_get(want, "expected_count"));

            if (!strcmp(id, "_synthetic_myAttribute")) {
                mapped = synthetic_to_run_as_non_root(text, &len);
                scan = scan_text(mapped, len);
                free(mapped);
                rule = "RunAsNonRoot";
            } else {
                scan = scan_text(text, len);
            }
            o = fth_k8s_scan_result(scan)->objects[0];
            print_message("%s %s: want %u\n", file, rule, count);
            m = match_of(o, rule);
            assert_non_null(m);
            assert_int_equal(m->count, count);
            if (json_is_string(b))
                assert_int_equal(m->bucket, bucket_named(json_string_value(b)));
            fth_k8s_scan_free(scan);
            checked++;
        }
        free(text);
        json_decref(e);
    }
    fclose(fp);
    assert_true(checked >= 120);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_k8s_kubesec_rules),
        cmocka_unit_test(test_k8s_kubesec_table),
        cmocka_unit_test(test_k8s_kubesec_table_matches_kubesec),
        cmocka_unit_test(test_k8s_kubesec_order),
        cmocka_unit_test(test_k8s_kubesec_kinds),
        cmocka_unit_test(test_k8s_kubesec_wrong_types),
        cmocka_unit_test(test_k8s_kubesec_upstream_counts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
