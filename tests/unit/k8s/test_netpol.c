/* NetworkPolicy coverage (src/k8s/netpol.c): selectors, namespaces, documents and files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/fathom.h"

#define RULE "NetworkPolicyMissing"

/* Scan the texts as files "f0.yaml", "f1.yaml", ... */
static struct fth_k8s_scan *scan_files(const char *const *texts, size_t n,
                                       const struct fth_k8s_opts *opts)
{
    struct fth_k8s_scan *scan = NULL;
    size_t i;

    assert_int_equal(fth_k8s_scan_new(&scan, opts), 0);
    for (i = 0; i < n; i++) {
        char name[32];

        snprintf(name, sizeof(name), "f%zu.yaml", i);
        assert_int_equal(fth_k8s_scan_buffer(scan, name, texts[i], strlen(texts[i])), 0);
    }
    assert_int_equal(fth_k8s_scan_finish(scan), 0);
    return scan;
}

static struct fth_k8s_scan *scan_text(const char *text)
{
    return scan_files(&text, 1, NULL);
}

/* Is `object` ("Deployment/web.shop") reported uncovered? */
static const struct fth_finding *uncovered(const struct fth_k8s_result *r, const char *object)
{
    size_t i;

    for (i = 0; i < r->findings_len; i++)
        if (!strcmp(r->findings[i]->rule->id, RULE) && !strcmp(r->findings[i]->object, object))
            return r->findings[i];
    return NULL;
}

static size_t count(const struct fth_k8s_result *r)
{
    size_t i, n = 0;

    for (i = 0; i < r->findings_len; i++)
        if (!strcmp(r->findings[i]->rule->id, RULE))
            n++;
    return n;
}

/* A Deployment named `name` in `ns` (NULL: none) whose pods carry `labels` (flow mapping). */
static const char *deploy(char *buf, size_t size, const char *name, const char *ns,
                          const char *labels)
{
    snprintf(buf, size,
             "apiVersion: apps/v1\n"
             "kind: Deployment\n"
             "metadata: {name: %s%s%s}\n"
             "spec:\n"
             "  template:\n"
             "    metadata: {labels: %s}\n"
             "    spec: {containers: [{name: c, image: 'app:1'}]}\n",
             name, ns ? ", namespace: " : "", ns ? ns : "", labels);
    return buf;
}

/* A NetworkPolicy in `ns` with `selector` as its podSelector (flow mapping). */
static const char *policy(char *buf, size_t size, const char *ns, const char *selector)
{
    snprintf(buf, size,
             "apiVersion: networking.k8s.io/v1\n"
             "kind: NetworkPolicy\n"
             "metadata: {name: np%s%s}\n"
             "spec:\n"
             "  podSelector: %s\n"
             "  policyTypes: [Ingress]\n",
             ns ? ", namespace: " : "", ns ? ns : "", selector);
    return buf;
}

/* Does a policy with `selector` in the workload's namespace select pods with `labels`? */
static int covers(const char *selector, const char *labels)
{
    char d[1024], p[1024], text[2100];
    struct fth_k8s_scan *scan;
    int covered;

    deploy(d, sizeof(d), "w", "ns", labels);
    policy(p, sizeof(p), "ns", selector);
    snprintf(text, sizeof(text), "%s---\n%s", d, p);
    scan = scan_text(text);
    assert_int_equal(fth_k8s_scan_result(scan)->errors_len, 0);
    covered = uncovered(fth_k8s_scan_result(scan), "Deployment/w.ns") == NULL;
    fth_k8s_scan_free(scan);
    return covered;
}

static void test_k8s_netpol_no_policy(void **state)
{
    static const char text[] = "apiVersion: v1\n"
                               "kind: Service\n"
                               "metadata: {name: web}\n"
                               "spec: {selector: {app: web}}\n"
                               "---\n"
                               "apiVersion: apps/v1\n"
                               "kind: Deployment\n"
                               "metadata:\n"
                               "  name: web\n"
                               "  namespace: shop\n"
                               "spec:\n"
                               "  template:\n"
                               "    metadata:\n"
                               "      labels: {app: web}\n"
                               "    spec:\n"
                               "      containers: [{name: c, image: 'app:1'}]\n"
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: p}\n"
                               "spec:\n"
                               "  containers: [{name: c, image: 'app:1'}]\n"
                               "---\n"
                               "apiVersion: batch/v1\n"
                               "kind: CronJob\n"
                               "metadata: {name: cj, namespace: shop}\n"
                               "spec:\n"
                               "  jobTemplate:\n"
                               "    spec:\n"
                               "      template:\n"
                               "        spec:\n"
                               "          containers: [{name: c, image: 'app:1'}]\n";
    struct fth_k8s_scan *scan = scan_text(text);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *f;

    (void)state;
    assert_int_equal(count(r), 3);
    assert_null(uncovered(r, "Service/web.default"));
    f = uncovered(r, "Deployment/web.shop");
    assert_non_null(f);
    assert_int_equal(f->loc.line, 6); /* the object's own line */
    assert_int_equal(f->loc.doc, 1);
    assert_string_equal(f->loc.file, "f0.yaml");
    assert_string_equal(f->loc.field, "spec.template.metadata.labels");
    assert_int_equal(f->severity, FTH_SEV_MEDIUM);
    assert_null(f->container);
    assert_non_null(strstr(f->message, "'shop'"));
    f = uncovered(r, "Pod/p.default");
    assert_non_null(f);
    assert_string_equal(f->loc.field, "metadata.labels");
    assert_non_null(strstr(f->message, "'default'"));
    f = uncovered(r, "CronJob/cj.shop");
    assert_non_null(f);
    assert_string_equal(f->loc.field, "spec.jobTemplate.spec.template.metadata.labels");
    fth_k8s_scan_free(scan);
}

static void test_k8s_netpol_ordering(void **state)
{
    /* Cross-document findings join their object's, all in input order: object, line. */
    static const char text[] = "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: a}\n"
                               "spec: {containers: [{name: c, image: nginx}]}\n"
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: b}\n"
                               "spec: {containers: [{name: c, image: nginx}]}\n";
    struct fth_k8s_scan *scan = scan_text(text);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_finding *prev = NULL;
    size_t i;
    int seen_b = 0;

    (void)state;
    assert_int_equal(count(r), 2);
    assert_int_equal(uncovered(r, "Pod/a.default")->loc.line, 1);
    assert_int_equal(uncovered(r, "Pod/b.default")->loc.line, 6);
    assert_true(r->findings_len > 2);
    for (i = 0; i < r->findings_len; i++) {
        const struct fth_finding *f = r->findings[i];

        if (!strcmp(f->object, "Pod/b.default"))
            seen_b = 1;
        else if (seen_b)
            fail_msg("a finding of Pod/a after one of Pod/b");
        if (prev && !strcmp(prev->object, f->object))
            assert_true(prev->loc.line <= f->loc.line);
        prev = f;
    }
    fth_k8s_scan_free(scan);
}

static void test_k8s_netpol_selectors(void **state)
{
    (void)state;
    /* empty selectors select every pod, labelled or not */
    assert_true(covers("{}", "{app: web}"));
    assert_true(covers("{}", "{}"));
    assert_true(covers("{matchLabels: {}}", "{app: web}"));
    /* matchLabels: every pair */
    assert_true(covers("{matchLabels: {app: web}}", "{app: web, tier: front}"));
    assert_false(covers("{matchLabels: {app: web, tier: back}}", "{app: web, tier: front}"));
    assert_false(covers("{matchLabels: {app: api}}", "{app: web}"));
    assert_false(covers("{matchLabels: {app: web}}", "{}"));
    /* matchExpressions */
    assert_true(
        covers("{matchExpressions: [{key: app, operator: In, values: [api, web]}]}", "{app: web}"));
    assert_false(
        covers("{matchExpressions: [{key: app, operator: In, values: [api]}]}", "{app: web}"));
    assert_false(covers("{matchExpressions: [{key: app, operator: In, values: [web]}]}", "{}"));
    assert_true(
        covers("{matchExpressions: [{key: app, operator: NotIn, values: [api]}]}", "{app: web}"));
    assert_true(covers("{matchExpressions: [{key: app, operator: NotIn, values: [api]}]}", "{}"));
    assert_false(
        covers("{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}", "{app: web}"));
    assert_true(covers("{matchExpressions: [{key: app, operator: Exists}]}", "{app: x}"));
    assert_false(covers("{matchExpressions: [{key: app, operator: Exists}]}", "{tier: x}"));
    assert_true(
        covers("{matchExpressions: [{key: canary, operator: DoesNotExist}]}", "{app: web}"));
    assert_false(covers("{matchExpressions: [{key: canary, operator: DoesNotExist}]}",
                        "{app: web, canary: 'true'}"));
    /* labels and expressions together: both must hold */
    assert_true(covers("{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, "
                       "values: [front]}]}",
                       "{app: web, tier: front}"));
    assert_false(covers("{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, "
                        "values: [back]}]}",
                        "{app: web, tier: front}"));
    /* selectors the API server refuses select nothing */
    assert_false(
        covers("{matchExpressions: [{key: app, operator: In, values: []}]}", "{app: web}"));
    assert_false(covers("{matchExpressions: [{key: app, operator: In}]}", "{app: web}"));
    assert_false(
        covers("{matchExpressions: [{key: app, operator: Exists, values: [web]}]}", "{app: web}"));
    assert_false(
        covers("{matchExpressions: [{key: app, operator: Equals, values: [web]}]}", "{app: web}"));
    /* values compare as strings */
    assert_true(covers("{matchLabels: {version: '1'}}", "{version: '1'}"));
    assert_false(covers("{matchLabels: {version: '1'}}", "{version: '01'}"));
}

static void test_k8s_netpol_namespaces(void **state)
{
    char d1[512], d2[512], d3[512], p1[512], p2[512], text[4096];
    struct fth_k8s_scan *scan;
    const struct fth_k8s_result *r;

    (void)state;
    /* a policy covers only its own namespace; no namespace means "default" both ways */
    deploy(d1, sizeof(d1), "a", "shop", "{app: a}");
    deploy(d2, sizeof(d2), "b", NULL, "{app: b}");
    deploy(d3, sizeof(d3), "c", "ops", "{app: c}");
    policy(p1, sizeof(p1), "shop", "{}");
    policy(p2, sizeof(p2), "default", "{matchLabels: {app: b}}");
    snprintf(text, sizeof(text), "%s---\n%s---\n%s---\n%s---\n%s", p1, d1, d2, d3, p2);
    scan = scan_text(text);
    r = fth_k8s_scan_result(scan);
    assert_null(uncovered(r, "Deployment/a.shop"));
    assert_null(uncovered(r, "Deployment/b.default"));
    assert_non_null(uncovered(r, "Deployment/c.ops"));
    assert_int_equal(count(r), 1);
    fth_k8s_scan_free(scan);

    /* a policy without a namespace is in "default", not in the workload's */
    policy(p1, sizeof(p1), NULL, "{}");
    snprintf(text, sizeof(text), "%s---\n%s---\n%s", p1, d1, d2);
    scan = scan_text(text);
    r = fth_k8s_scan_result(scan);
    assert_non_null(uncovered(r, "Deployment/a.shop"));
    assert_null(uncovered(r, "Deployment/b.default"));
    fth_k8s_scan_free(scan);
}

static void test_k8s_netpol_across_files(void **state)
{
    char d1[512], d2[512], p1[512], list[2048];
    const char *texts[3];
    struct fth_k8s_scan *scan;
    const struct fth_k8s_result *r;

    (void)state;
    deploy(d1, sizeof(d1), "web", "shop", "{app: web}");
    deploy(d2, sizeof(d2), "db", "shop", "{app: db}");
    policy(p1, sizeof(p1), "shop", "{matchLabels: {app: web}}");
    /* the policy is in a later file, and one workload is an item of a JSON List */
    snprintf(list, sizeof(list),
             "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n"
             "  {\"apiVersion\": \"apps/v1\", \"kind\": \"StatefulSet\",\n"
             "   \"metadata\": {\"name\": \"cache\", \"namespace\": \"shop\"},\n"
             "   \"spec\": {\"template\": {\"metadata\": {\"labels\": {\"app\": \"web\"}},\n"
             "     \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"r:1\"}]}}}},\n"
             "  {\"apiVersion\": \"apps/v1\", \"kind\": \"DaemonSet\",\n"
             "   \"metadata\": {\"name\": \"agent\", \"namespace\": \"shop\"},\n"
             "   \"spec\": {\"template\": {\"metadata\": {\"labels\": {\"app\": \"agent\"}},\n"
             "     \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"a:1\"}]}}}}]}\n");
    texts[0] = d1;
    texts[1] = list;
    {
        static char both[1100];

        snprintf(both, sizeof(both), "%s---\n%s", d2, p1);
        texts[2] = both;
    }
    scan = scan_files(texts, 3, NULL);
    r = fth_k8s_scan_result(scan);
    assert_int_equal(r->errors_len, 0);
    assert_null(uncovered(r, "Deployment/web.shop"));
    assert_null(uncovered(r, "StatefulSet/cache.shop"));
    assert_non_null(uncovered(r, "Deployment/db.shop"));
    assert_string_equal(uncovered(r, "Deployment/db.shop")->loc.file, "f2.yaml");
    assert_non_null(uncovered(r, "DaemonSet/agent.shop"));
    assert_string_equal(uncovered(r, "DaemonSet/agent.shop")->loc.field,
                        "items[1].spec.template.metadata.labels");
    assert_string_equal(uncovered(r, "DaemonSet/agent.shop")->loc.file, "f1.yaml");
    assert_int_equal(uncovered(r, "DaemonSet/agent.shop")->loc.line, 6);
    assert_int_equal(count(r), 2);
    fth_k8s_scan_free(scan);
}

static void test_k8s_netpol_suppression(void **state)
{
    static const char text[] = "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata:\n"
                               "  name: p\n"
                               "  annotations: {fathom.dev/ignore: 'NetworkPolicyMissing'}\n"
                               "spec: {containers: [{name: c, image: 'app:1'}]}\n"
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: q}\n"
                               "spec: {containers: [{name: c, image: 'app:1'}]}\n";
    struct fth_k8s_opts opts = FTH_K8S_OPTS_INIT;
    const char *texts[1] = {text};
    struct fth_k8s_scan *scan;
    const struct fth_k8s_result *r;

    (void)state;
    scan = scan_files(texts, 1, NULL);
    r = fth_k8s_scan_result(scan);
    assert_non_null(uncovered(r, "Pod/p.default")->suppressed);
    assert_null(uncovered(r, "Pod/q.default")->suppressed);
    fth_k8s_scan_free(scan);
    opts.no_annotations = 1;
    scan = scan_files(texts, 1, &opts);
    r = fth_k8s_scan_result(scan);
    assert_null(uncovered(r, "Pod/p.default")->suppressed);
    fth_k8s_scan_free(scan);
}

static void test_k8s_netpol_odd_input(void **state)
{
    /* host-network pods are outside NetworkPolicy; wrongly typed selectors count as absent */
    static const char text[] = "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: host, namespace: a}\n"
                               "spec:\n"
                               "  hostNetwork: true\n"
                               "  containers: [{name: c, image: 'app:1'}]\n"
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: odd, namespace: b, labels: [x]}\n"
                               "spec: {containers: [{name: c, image: 'app:1'}]}\n"
                               "---\n"
                               "apiVersion: networking.k8s.io/v1\n"
                               "kind: NetworkPolicy\n"
                               "metadata: {name: np, namespace: b}\n"
                               "spec: {podSelector: {matchLabels: [x], matchExpressions: 5}}\n"
                               "---\n"
                               "apiVersion: networking.k8s.io/v1\n"
                               "kind: NetworkPolicy\n"
                               "metadata: {name: np, namespace: c}\n"
                               "spec: 7\n"
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata: {name: p, namespace: c}\n"
                               "spec: {containers: [{name: c, image: 'app:1'}]}\n"
                               "---\n"
                               "apiVersion: apps/v1\n"
                               "kind: Deployment\n"
                               "metadata: {name: notemplate, namespace: d}\n"
                               "spec: {replicas: 1}\n";
    struct fth_k8s_scan *scan = scan_text(text);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);

    (void)state;
    assert_int_equal(count(r), 0);
    fth_k8s_scan_free(scan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_k8s_netpol_no_policy),
        cmocka_unit_test(test_k8s_netpol_ordering),
        cmocka_unit_test(test_k8s_netpol_selectors),
        cmocka_unit_test(test_k8s_netpol_namespaces),
        cmocka_unit_test(test_k8s_netpol_across_files),
        cmocka_unit_test(test_k8s_netpol_suppression),
        cmocka_unit_test(test_k8s_netpol_odd_input),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
