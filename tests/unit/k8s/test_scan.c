/* The manifest scan driver: documents, objects, Lists, kinds, type errors, suppression. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "fathom/fathom.h"
#include "k8s/k8s_int.h"

static struct fth_k8s_scan *scan_text(const char *text, const struct fth_k8s_opts *opts)
{
    struct fth_k8s_scan *scan = NULL;

    assert_int_equal(fth_k8s_scan_new(&scan, opts), 0);
    assert_int_equal(fth_k8s_scan_buffer(scan, "in.yaml", text, strlen(text)), 0);
    assert_int_equal(fth_k8s_scan_finish(scan), 0);
    return scan;
}

static const struct fth_error *error_containing(const struct fth_k8s_result *r, const char *s)
{
    size_t i;

    for (i = 0; i < r->errors_len; i++)
        if (strstr(r->errors[i]->message, s))
            return r->errors[i];
    return NULL;
}

static size_t count_rule(const struct fth_k8s_result *r, const char *id, int suppressed)
{
    size_t i, n = 0;

    for (i = 0; i < r->findings_len; i++)
        if (!strcmp(r->findings[i]->rule->id, id) && !!r->findings[i]->suppressed == suppressed)
            n++;
    return n;
}

static void test_k8s_scan_separators(void **state)
{
    /* Every separator form: bare, with a comment, with content, '...' ends, directives. */
    static const char text[] = "%YAML 1.1\n"
                               "---\n"
                               "kind: ConfigMap\nmetadata: {name: a}\n"
                               "--- # comment\n"
                               "kind: ConfigMap\nmetadata: {name: b}\n"
                               "...\n"
                               "--- {kind: ConfigMap, metadata: {name: c}}\n"
                               "---\n"
                               "---\r\n"
                               "kind: ConfigMap\r\nmetadata: {name: d}\r\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);

    (void)state;
    assert_int_equal(r->errors_len, 0);
    assert_int_equal(r->objects_len, 4);
    assert_string_equal(r->objects[0]->name, "a");
    assert_int_equal(r->objects[0]->line, 3);
    assert_string_equal(r->objects[1]->name, "b");
    assert_int_equal(r->objects[1]->line, 6);
    assert_string_equal(r->objects[2]->name, "c");
    assert_string_equal(r->objects[3]->name, "d");
    assert_int_equal(r->objects[3]->line, 12);
    assert_string_equal(r->objects[3]->display, "ConfigMap/d.default");
    fth_k8s_scan_free(scan);
}

static void test_k8s_scan_list_and_kinds(void **state)
{
    static const char text[] = "apiVersion: v1\n"
                               "kind: List\n"
                               "items:\n"
                               "- kind: Service\n"
                               "  metadata: {name: s, namespace: prod}\n"
                               "- 42\n"
                               "- kind: Widget\n"
                               "  apiVersion: example.com/v1\n"
                               "  metadata: {name: w}\n"
                               "---\n"
                               "kind: CustomResourceDefinition\n"
                               "metadata: {name: widgets.example.com}\n"
                               "---\n"
                               "kind: PodList\n"
                               "items: []\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_error *e;

    (void)state;
    assert_int_equal(r->objects_len, 3);
    assert_string_equal(r->objects[0]->display, "Service/s.prod");
    assert_int_equal(r->objects[0]->item, 0);
    assert_int_equal(r->objects[0]->line, 4);
    assert_true(r->objects[0]->analysed);
    assert_string_equal(r->objects[1]->kind, "Widget");
    assert_int_equal(r->objects[1]->item, 2);
    assert_false(r->objects[1]->analysed);
    assert_non_null(strstr(r->objects[1]->note, "custom resource"));
    assert_false(r->objects[2]->analysed);
    assert_non_null(strstr(r->objects[2]->note, "CustomResourceDefinition"));
    /* The integer item is an error with its line; the rest was still analysed. */
    assert_int_equal(r->errors_len, 1);
    e = error_containing(r, "'items[1]': expected a mapping");
    assert_non_null(e);
    assert_int_equal(e->line, 6);
    assert_string_equal(e->file, "in.yaml");
    assert_int_equal(r->documents, 3);
    fth_k8s_scan_free(scan);
}

static void test_k8s_scan_type_errors(void **state)
{
    static const char text[] = "apiVersion: apps/v1\n"
                               "kind: Deployment\n"
                               "metadata: {name: web}\n"
                               "spec:\n"
                               "  replicas: \"3\"\n"
                               "  template:\n"
                               "    spec:\n"
                               "      hostNetwork: \"yes\"\n"
                               "      containers:\n"
                               "        name: c\n"
                               "---\n"
                               "kind: Pod\n"
                               "metadata: {name: ok}\n"
                               "spec:\n"
                               "  containers:\n"
                               "  - name: c\n"
                               "    image: nginx:1.25\n"
                               "    ports: [{containerPort: http}]\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_error *e;

    (void)state;
    assert_int_equal(r->objects_len, 2);
    assert_true(r->objects[0]->invalid);
    e = error_containing(r, "'spec.replicas': expected an integer, found a string");
    assert_non_null(e);
    assert_int_equal(e->line, 5);
    assert_int_equal(e->column, 13);
    e = error_containing(r, "'spec.template.spec.hostNetwork': expected a boolean, found a string");
    assert_non_null(e);
    assert_int_equal(e->line, 8);
    e = error_containing(r,
                         "'spec.template.spec.containers': expected a sequence, found a mapping");
    assert_non_null(e);
    assert_int_equal(e->line, 10);
    e = error_containing(r, "'spec.containers[0].ports[0].containerPort': expected an integer");
    assert_non_null(e);
    assert_int_equal(e->line, 18);
    assert_int_equal(r->errors_len, 4);
    fth_k8s_scan_free(scan);
}

static void test_k8s_scan_bad_documents(void **state)
{
    /* A broken document and a non-object fail alone; the objects around them are analysed. */
    static const char text[] = "kind: ConfigMap\nmetadata: {name: a}\n"
                               "---\n"
                               "kind: [unclosed\n"
                               "---\n"
                               "- just\n- a list\n"
                               "---\n"
                               "metadata: {name: nokind}\n"
                               "---\n"
                               "kind: ConfigMap\nmetadata: {name: b}\n";
    struct fth_k8s_scan *scan = scan_text(text, NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);
    const struct fth_error *e;

    (void)state;
    assert_int_equal(r->errors_len, 3);
    e = error_containing(r, "document 3: expected a mapping");
    assert_non_null(e);
    assert_int_equal(e->line, 6);
    e = error_containing(r, "document 4: expected a string 'kind'");
    assert_non_null(e);
    assert_int_equal(e->line, 9);
    assert_int_equal(r->errors[0]->line >= 4, 1);
    /* a, nokind (listed, not analysed), b */
    assert_int_equal(r->objects_len, 3);
    assert_string_equal(r->objects[0]->name, "a");
    assert_false(r->objects[1]->analysed);
    assert_string_equal(r->objects[2]->name, "b");
    fth_k8s_scan_free(scan);
}

static void test_k8s_scan_empty_input(void **state)
{
    struct fth_k8s_scan *scan = scan_text("# nothing but a comment\n---\n", NULL);
    const struct fth_k8s_result *r = fth_k8s_scan_result(scan);

    (void)state;
    assert_int_equal(r->objects_len, 0);
    assert_int_equal(r->errors_len, 1);
    assert_non_null(strstr(r->errors[0]->message, "invalid input: no Kubernetes objects"));
    fth_k8s_scan_free(scan);
}

static void test_k8s_scan_pod_template_paths(void **state)
{
    /* Each workload kind reaches its containers through its own pod template path: a
     * wrongly typed image in each container list is reported at that path. */
    static const struct {
        const char *text;
        const char *path;
    } cases[] = {
        {"kind: Pod\nspec:\n  containers: [{name: a, image: 1}]\n", "'spec.containers[0].image'"},
        {"kind: ReplicationController\nspec:\n  template:\n    spec:\n"
         "      initContainers: [{name: a, image: 1}]\n",
         "'spec.template.spec.initContainers[0].image'"},
        {"kind: Job\nspec:\n  template:\n    spec:\n"
         "      ephemeralContainers: [{name: a, image: 1}]\n",
         "'spec.template.spec.ephemeralContainers[0].image'"},
        {"kind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
         "          containers: [{name: a, image: x}, {name: b, image: 1}]\n",
         "'spec.jobTemplate.spec.template.spec.containers[1].image'"},
        {"kind: CronJob\nspec:\n  jobTemplate:\n    spec: [1]\n",
         "'spec.jobTemplate.spec': expected a mapping"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fth_k8s_scan *scan = scan_text(cases[i].text, NULL);
        const struct fth_k8s_result *r = fth_k8s_scan_result(scan);

        assert_int_equal(r->objects_len, 1);
        assert_true(r->objects[0]->analysed);
        assert_int_equal(r->errors_len, 1);
        if (!strstr(r->errors[0]->message, cases[i].path))
            fail_msg("case %zu: '%s' does not name %s", i, r->errors[0]->message, cases[i].path);
        fth_k8s_scan_free(scan);
    }
}

static void test_k8s_scan_paths_directory(void **state)
{
    char dir[] = "/tmp/fathom-test-scan-XXXXXX";
    char path[256];
    const char *paths[1];
    struct fth_k8s_opts opts = FTH_K8S_OPTS_INIT;
    struct fth_k8s_scan *scan = NULL;
    const struct fth_k8s_result *r;
    FILE *f;
    int i;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/sub", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    for (i = 0; i < 40; i++) {
        snprintf(path, sizeof(path), "%s/%s%02d.%s", dir, i % 2 ? "sub/" : "", i,
                 i % 3 == 0 ? "json" : "yaml");
        f = fopen(path, "w");
        assert_non_null(f);
        if (i % 3 == 0)
            fprintf(f, "{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"cm%02d\"}}\n", i);
        else
            fprintf(f, "kind: ConfigMap\nmetadata:\n  name: cm%02d\n", i);
        fclose(f);
    }
    snprintf(path, sizeof(path), "%s/README.md", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("not a manifest\n", f);
    fclose(f);

    opts.threads = 4;
    paths[0] = dir;
    assert_int_equal(fth_k8s_scan_new(&scan, &opts), 0);
    assert_int_equal(fth_k8s_scan_paths(scan, paths, 1), 0);
    assert_int_equal(fth_k8s_scan_finish(scan), 0);
    r = fth_k8s_scan_result(scan);
    assert_int_equal(r->errors_len, 0);
    assert_int_equal(r->files, 40);
    assert_int_equal(r->objects_len, 40);
    /* Name order, whatever the threads did: dir/00, dir/02, ..., then dir/sub/01, ... */
    assert_string_equal(r->objects[0]->name, "cm00");
    assert_string_equal(r->objects[1]->name, "cm02");
    assert_string_equal(r->objects[20]->name, "cm01");
    assert_string_equal(r->objects[39]->name, "cm39");
    fth_k8s_scan_free(scan);

    for (i = 0; i < 40; i++) {
        snprintf(path, sizeof(path), "%s/%s%02d.%s", dir, i % 2 ? "sub/" : "", i,
                 i % 3 == 0 ? "json" : "yaml");
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/README.md", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/sub", dir);
    rmdir(path);
    rmdir(dir);
}

static void test_k8s_scan_unreadable_path(void **state)
{
    const char *paths[] = {"/nonexistent/fathom.yaml"};
    struct fth_k8s_scan *scan = NULL;
    const struct fth_k8s_result *r;

    (void)state;
    assert_int_equal(fth_k8s_scan_new(&scan, NULL), 0);
    assert_int_equal(fth_k8s_scan_paths(scan, paths, 1), 0);
    assert_int_equal(fth_k8s_scan_finish(scan), 0);
    r = fth_k8s_scan_result(scan);
    assert_int_equal(r->errors_len, 1);
    assert_string_equal(r->errors[0]->file, "/nonexistent/fathom.yaml");
    fth_k8s_scan_free(scan);
}

static void test_k8s_scan_rules_registry(void **state)
{
    size_t n, i, j;
    const struct fth_rule *const *rules = fth_k8s_rules(&n);

    (void)state;
    assert_true(n > 0);
    for (i = 0; i < n; i++) {
        assert_non_null(rules[i]->id);
        assert_non_null(rules[i]->title);
        assert_non_null(rules[i]->rationale);
        assert_non_null(rules[i]->remediation);
        assert_non_null(rules[i]->reference);
        assert_ptr_equal(fth_k8s_rule_find(rules[i]->id), rules[i]);
        for (j = i + 1; j < n; j++)
            assert_string_not_equal(rules[i]->id, rules[j]->id);
    }
    assert_null(fth_k8s_rule_find("NoSuchRule"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_k8s_scan_separators),
        cmocka_unit_test(test_k8s_scan_list_and_kinds),
        cmocka_unit_test(test_k8s_scan_type_errors),
        cmocka_unit_test(test_k8s_scan_bad_documents),
        cmocka_unit_test(test_k8s_scan_empty_input),
        cmocka_unit_test(test_k8s_scan_pod_template_paths),
        cmocka_unit_test(test_k8s_scan_paths_directory),
        cmocka_unit_test(test_k8s_scan_unreadable_path),
        cmocka_unit_test(test_k8s_scan_rules_registry),
    };

    (void)count_rule;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
