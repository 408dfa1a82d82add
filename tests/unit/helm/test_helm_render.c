/*
 * helm render: the library API behind `fathom template`. Helm's fixture chart through the API
 * (order, hooks, lines), then small charts written to a temporary directory for Helm's rules:
 * define collisions decided by sortTemplates, the built-in objects (.Files, .Template,
 * .Chart, .Capabilities, .Release, .Subcharts), conditions/tags/alias/import-values, the `---`
 * split and kind order, unknown hooks, library charts, and image value paths.
 */
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

#include "fathom/helm.h"
#include "fathom/tmpl.h"

#define FIX FATHOM_SHARED "/fixtures/helm-template/testcharts/"

static char root[256];

static void put(const char *rel, const char *text)
{
    char path[512], *p;
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    for (p = path + strlen(root) + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0755);
            *p = '/';
        }
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof(root), "/tmp/fathom-render-XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

struct run {
    struct fth_arena *a;
    struct fth_helm_render *r;
    struct fth_buf text;
    struct fth_error err;
    int rc;
};

static void render(struct run *x, const char *chart, const char *set,
                   const struct fth_helm_render_opts *o)
{
    struct fth_chart *c = NULL;
    struct fth_helm_render_opts ro = FTH_HELM_RENDER_OPTS_INIT;
    struct fth_value *vals;
    char path[512];

    memset(x, 0, sizeof(*x));
    x->a = fth_arena_new();
    fth_buf_init(&x->text);
    vals = fth_tmpl_map(x->a, 4);
    if (o)
        ro = *o;
    snprintf(path, sizeof(path), "%s", chart[0] == '/' ? chart : root);
    if (chart[0] != '/')
        snprintf(path, sizeof(path), "%s/%s", root, chart);
    if (fth_chart_load(&c, x->a, path, &x->err) < 0)
        fail_msg("load %s: %s", path, x->err.message);
    if (set &&
        fth_helm_strvals_parse(vals, x->a, FTH_HELM_SET, set, strlen(set), NULL, NULL, &x->err) < 0)
        fail_msg("%s", x->err.message);
    ro.values = vals;
    x->rc = fth_helm_render(&x->r, x->a, c, &ro, &x->err);
    if (x->rc == 0)
        assert_int_equal(fth_helm_render_text(&x->text, x->r), 0);
}

static void done(struct run *x)
{
    fth_buf_release(&x->text);
    fth_helm_render_release(x->r);
    fth_arena_free(x->a);
}

static void ok(struct run *x, const char *chart, const char *set)
{
    render(x, chart, set, NULL);
    if (x->rc < 0)
        fail_msg("render %s: %s\n%s", chart, fth_helm_render_error(x->r), x->r->debug.ptr);
}

static void test_helm_render_fixture(void **state)
{
    struct run x;
    struct fth_helm_render_opts o = FTH_HELM_RENDER_OPTS_INIT;
    static const char *const want[] = {"subchart/templates/subdir/serviceaccount.yaml",
                                       "subchart/templates/subdir/role.yaml",
                                       "subchart/templates/subdir/rolebinding.yaml",
                                       "subchart/charts/subcharta/templates/service.yaml",
                                       "subchart/charts/subchartb/templates/service.yaml",
                                       "subchart/templates/service.yaml",
                                       "subchart/templates/tests/test-config.yaml",
                                       "subchart/templates/tests/test-nothing.yaml"};
    size_t i;
    (void)state;

    render(&x, FIX "subchart", NULL, &o);
    assert_int_equal(x.rc, 0);
    assert_int_equal(x.r->nmanifests, 8);
    for (i = 0; i < 8; i++)
        assert_string_equal(x.r->manifests[i].source, want[i]);
    assert_false(x.r->manifests[5].hook);
    assert_true(x.r->manifests[6].hook && x.r->manifests[6].test);
    assert_string_equal(x.r->manifests[1].kind, "Role");
    assert_string_equal(x.r->manifests[1].name, "subchart-role");
    assert_string_equal(x.r->manifests[6].name, "release-name-testconfig");
    assert_int_equal(x.r->manifests[0].line, 1);
    done(&x);

    /* --skip-tests and --include-crds */
    o.skip_tests = 1;
    o.include_crds = 1;
    render(&x, FIX "subchart", NULL, &o);
    assert_int_equal(x.rc, 0);
    assert_int_equal(x.r->nmanifests, 7);
    assert_true(x.r->manifests[0].crd);
    assert_string_equal(x.r->manifests[0].source, "subchart/crds/crdA.yaml");
    done(&x);

    /* the object-order chart: documents keep their line in the rendered file */
    ok(&x, FIX "object-order", NULL);
    assert_string_equal(x.r->manifests[0].source, "object-order/templates/01-a.yml");
    assert_string_equal(x.r->manifests[0].name, "first");
    assert_int_equal(x.r->manifests[0].line, 1);
    assert_string_equal(x.r->manifests[1].name, "second");
    assert_int_equal(x.r->manifests[1].line, 14);
    done(&x);
}

static void test_helm_render_defines(void **state)
{
    struct run x;
    (void)state;
    put("d/Chart.yaml", "apiVersion: v2\nname: d\nversion: 1.0.0\n");
    put("d/templates/_a.tpl", "{{ define \"x\" }}A{{ end }}{{ define \"y\" }}YA{{ end }}");
    put("d/templates/_b.tpl", "{{ define \"x\" }}B{{ end }}");
    put("d/templates/cm.yaml", "kind: ConfigMap\nx: {{ include \"x\" . }}\n"
                               "y: {{ include \"y\" . }}\nz: {{ include \"z\" . }}\n");
    put("d/charts/s/Chart.yaml", "apiVersion: v2\nname: s\nversion: 1.0.0\n");
    put("d/charts/s/templates/_s.tpl",
        "{{ define \"y\" }}YS{{ end }}{{ define \"z\" }}ZS{{ end }}");
    ok(&x, "d", NULL);
    /* parse order: deeper first, then reverse lexical; the last definition wins */
    assert_string_equal(x.text.ptr, "---\n# Source: d/templates/cm.yaml\nkind: ConfigMap\n"
                                    "x: A\ny: YA\nz: ZS\n");
    done(&x);
}

static void test_helm_render_objects(void **state)
{
    struct run x;
    struct fth_helm_render_opts o = FTH_HELM_RENDER_OPTS_INIT;
    const char *apis[] = {"example.com/v9"};
    (void)state;
    put("o/Chart.yaml", "apiVersion: v2\nname: o\nversion: 1.2.3\nappVersion: \"4.5\"\n"
                        "annotations:\n  k: v\n");
    put("o/values.yaml", "port: 80\nbig: 1000000\n");
    put("o/files/a.txt", "line1\nline2\n");
    put("o/files/b.conf", "b");
    put("o/templates/cm.yaml",
        "kind: ConfigMap\n"
        "# t: {{ .Template.Name }} {{ .Template.BasePath }}\n"
        "# c: {{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.AppVersion }} {{ .Chart.IsRoot }} "
        "{{ .Chart.Annotations.k }}\n"
        "# r: {{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.Revision }} "
        "{{ .Release.IsInstall }} {{ .Release.Service }}\n"
        "# k: {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Major }} "
        "{{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.APIVersions.Has \"apps/v1\" }} "
        "{{ .Capabilities.APIVersions.Has \"example.com/v9\" }}\n"
        "# v: {{ .Values.port }} {{ .Values.big }} {{ .Values.missing }}\n"
        "# f: {{ .Files.Get \"files/a.txt\" | quote }} {{ .Files.Get \"nope\" | quote }}\n"
        "# l: {{ range .Files.Lines \"files/a.txt\" }}[{{ . }}]{{ end }}\n"
        "# g: {{ index (.Files.Glob \"files/*.conf\") \"files/b.conf\" | toString }} "
        "{{ (.Files.Glob \"files/*\").AsConfig | quote }}\n"
        "# s: {{ (.Files.Glob \"files/b.conf\").AsSecrets }}\n");
    o.namespace = "ns1";
    o.release_name = "rel";
    o.kube_version = "1.27.3";
    o.api_versions = apis;
    o.napi_versions = 1;
    render(&x, "o", NULL, &o);
    if (x.rc < 0)
        fail_msg("%s\n%s", fth_helm_render_error(x.r), x.r->debug.ptr);
    assert_string_equal(x.text.ptr, "---\n# Source: o/templates/cm.yaml\nkind: ConfigMap\n"
                                    "# t: o/templates/cm.yaml o/templates\n"
                                    "# c: o 1.2.3 4.5 true v\n"
                                    "# r: rel ns1 1 true Helm\n"
                                    "# k: v1.27.3 1 27 true true\n"
                                    "# v: 80 1e+06 \n"
                                    "# f: \"line1\\nline2\\n\" \"\"\n"
                                    "# l: [line1][line2]\n"
                                    "# g: b \"a.txt: |\\n  line1\\n  line2\\nb.conf: b\"\n"
                                    "# s: b.conf: Yg==\n");
    done(&x);
}

static void test_helm_render_dependencies(void **state)
{
    struct run x;
    (void)state;
    put("p/Chart.yaml",
        "apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n"
        "  - name: c\n    version: 1.0.0\n    alias: first\n    condition: first.on,c.on\n"
        "    import-values:\n      - child: data\n        parent: imported\n      - shared\n"
        "  - name: c\n    version: 1.0.0\n    alias: second\n    tags: [back]\n");
    put("p/values.yaml", "imported:\n  mine: parent\nglobal:\n  g: 1\n");
    put("p/templates/cm.yaml",
        "kind: ConfigMap\ni: {{ .Values.imported | toJson }}\ns: {{ .Values.fromShared }}\n"
        "subs: {{ range $k, $v := .Subcharts }}{{ $k }} {{ end }}\n");
    put("p/charts/c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n");
    put("p/charts/c/values.yaml", "data:\n  mine: child\n  extra: 2\nexports:\n  shared:\n"
                                  "    fromShared: yes\n");
    put("p/charts/c/templates/svc.yaml",
        "kind: Service\nname: {{ .Chart.Name }}-{{ .Values.global.g }}\n");
    ok(&x, "p", NULL);
    assert_string_equal(x.text.ptr,
                        "---\n# Source: p/templates/cm.yaml\nkind: ConfigMap\n"
                        "i: {\"extra\":2,\"mine\":\"parent\"}\ns: true\nsubs: first second\n"
                        "---\n# Source: p/charts/first/templates/svc.yaml\nkind: Service\n"
                        "name: first-1\n"
                        "---\n# Source: p/charts/second/templates/svc.yaml\nkind: Service\n"
                        "name: second-1\n");
    done(&x);
    /* a false condition and a false tag disable */
    ok(&x, "p", "first.on=false,tags.back=false");
    assert_int_equal(x.r->nmanifests, 1);
    assert_string_equal(x.r->manifests[0].source, "p/templates/cm.yaml");
    done(&x);
    /* the first condition that resolves to a bool wins */
    ok(&x, "p", "first.on=notabool,c.on=false");
    assert_int_equal(x.r->nmanifests, 2);
    done(&x);
}

static void test_helm_render_assembly(void **state)
{
    struct run x;
    (void)state;
    put("a/Chart.yaml", "apiVersion: v2\nname: a\nversion: 1.0.0\n");
    put("a/templates/all.yaml",
        "---\nkind: Zeta\n---\n\n---   \nkind: Alpha\nmetadata:\n  name: x\n"
        "---\nkind: Deployment\n---\nkind: Namespace\n"
        "---\nkind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: nonsense\n"
        "---\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: post-install, PRE-install\n"
        "---\nkind: Secret\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n"
        "{{- /* no value */}}\n---\nv: {{ .Values.nothing }}\n");
    put("a/templates/NOTES.txt", "notes {{ .Release.Name }}");
    put("a/templates/empty.yaml", "  \n\n");
    ok(&x, "a", NULL);
    assert_string_equal(x.text.ptr,
                        "---\n# Source: a/templates/all.yaml\nkind: Namespace\n"
                        "---\n# Source: a/templates/all.yaml\nkind: Deployment\n"
                        "---\n# Source: a/templates/all.yaml\nv:\n"
                        /* "\n---\n\n---   \n": the first separator eats the blank line, so the
                         * second `---` has no newline before it and stays (Helm's regex) */
                        "---\n# Source: a/templates/all.yaml\n---   \nkind: Alpha\nmetadata:\n"
                        "  name: x\n"
                        "---\n# Source: a/templates/all.yaml\nkind: Zeta\n"
                        "---\n# Source: a/templates/all.yaml\nkind: Secret\nmetadata:\n"
                        "  annotations:\n    helm.sh/hook: pre-install\n"
                        "---\n# Source: a/templates/all.yaml\nkind: Job\nmetadata:\n"
                        "  annotations:\n    helm.sh/hook: post-install, PRE-install\n");
    assert_non_null(strstr(x.r->warnings.ptr, "info: skipping unknown hook: \"nonsense\""));
    done(&x);
}

static void test_helm_render_errors(void **state)
{
    struct run x;
    (void)state;
    put("e1/Chart.yaml", "apiVersion: v2\nname: e1\nversion: 1.0.0\n");
    put("e1/templates/x.yaml", "a: {{ .Values.x.y.z }}\n");
    render(&x, "e1", NULL, NULL);
    assert_true(x.rc < 0);
    assert_string_equal(fth_helm_render_error(x.r),
                        "template: e1/templates/x.yaml:1:13: executing \"e1/templates/x.yaml\" at "
                        "<.Values.x.y.z>: nil pointer evaluating interface {}.y");
    assert_true(x.r->rendering);
    done(&x);
    put("e2/Chart.yaml", "apiVersion: v2\nname: e2\nversion: 1.0.0\n");
    put("e2/templates/x.yaml", "a: {{ .Values.x \n");
    render(&x, "e2", NULL, NULL);
    assert_true(x.rc < 0);
    assert_string_equal(fth_helm_render_error(x.r),
                        "parse error at (e2/templates/x.yaml:2): unclosed action started at "
                        "e2/templates/x.yaml:1");
    done(&x);
    put("e3/Chart.yaml", "apiVersion: v2\nname: e3\nversion: 1.0.0\n");
    put("e3/templates/x.yaml", "{{ required \"x is needed\" .Values.x }}\n");
    render(&x, "e3", NULL, NULL);
    assert_true(x.rc < 0);
    assert_string_equal(fth_helm_render_error(x.r),
                        "execution error at (e3/templates/x.yaml:1:3): x is needed");
    done(&x);
    put("e5/Chart.yaml", "apiVersion: v2\nname: e5\nversion: 1.0.0\nkubeVersion: \">=1.22.0-0, "
                         "<2\"\n");
    put("e5/templates/x.yaml", "v: {{ .Capabilities.KubeVersion.Version }}\n");
    render(&x, "e5", NULL, NULL);
    assert_true(x.rc < 0);
    assert_false(x.r->rendering);
    assert_string_equal(x.err.message, "chart requires kubeVersion: >=1.22.0-0, <2 which is "
                                       "incompatible with Kubernetes v1.20.0");
    done(&x);
    {
        struct fth_helm_render_opts o = FTH_HELM_RENDER_OPTS_INIT;
        o.kube_version = "1.25";
        render(&x, "e5", NULL, &o);
        assert_int_equal(x.rc, 0);
        assert_string_equal(x.text.ptr, "---\n# Source: e5/templates/x.yaml\nv: v1.25.0\n");
        done(&x);
        o.kube_version = "abc";
        render(&x, "e5", NULL, &o);
        assert_true(x.rc < 0);
        assert_string_equal(x.err.message, "invalid kube version 'abc': Invalid Semantic Version");
        done(&x);
    }
    put("e4/Chart.yaml", "apiVersion: v2\nname: e4\nversion: 1.0.0\ntype: library\n");
    render(&x, "e4", NULL, NULL);
    assert_true(x.rc < 0);
    assert_string_equal(x.err.message, "library charts are not installable");
    done(&x);
}

static void test_helm_render_images(void **state)
{
    struct run x;
    size_t i;
    int seen = 0;
    (void)state;
    put("i/Chart.yaml", "apiVersion: v2\nname: i\nversion: 1.0.0\n");
    put("i/values.yaml", "image:\n  registry: docker.io\n  repository: bitnami/nginx\n"
                         "  tag: 1.2.3\nsidecar: busybox\nname: nginx\n");
    put("i/templates/d.yaml", "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
                              "        - name: {{ .Values.name }}\n"
                              "          image: {{ printf \"%s/%s:%s\" .Values.image.registry "
                              ".Values.image.repository .Values.image.tag }}\n"
                              "        - name: side\n          image: {{ .Values.sidecar }}\n");
    ok(&x, "i", NULL);
    assert_int_equal(x.r->nimages, 2);
    for (i = 0; i < x.r->nimages; i++) {
        const struct fth_helm_image *im = &x.r->images[i];
        if (!strcmp(im->image, "docker.io/bitnami/nginx:1.2.3")) {
            assert_int_equal(im->nvalue_paths, 3);
            assert_int_equal(im->line, 7);
            seen |= 1;
        } else if (!strcmp(im->image, "busybox")) {
            assert_int_equal(im->nvalue_paths, 1);
            assert_string_equal(im->value_paths[0], "sidecar");
            assert_int_equal(im->line, 9);
            seen |= 2;
        }
    }
    assert_int_equal(seen, 3);
    done(&x);
}

static void schema_case(const char *schema, const char *values, const char *want)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_value *v = NULL;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_error err;
    fth_error_clear(&err);
    assert_int_equal(fth_helm_values_parse(&v, a, values, strlen(values), "v", &err), 0);
    if (fth_helm_schema_validate(&out, a, schema, strlen(schema), v, &err) < 0)
        fail_msg("%s: %s", schema, err.message);
    if (strcmp(out.ptr, want) != 0)
        fail_msg("%s on %s:\n%s\nwant\n%s", schema, values, out.ptr, want);
    fth_buf_release(&out);
    fth_arena_free(a);
}

static void test_helm_render_schema(void **state)
{
    struct run x;
    (void)state;
    /* Helm's own example (chartutil's jsonschema_test.go): object checks before properties */
    schema_case("{\"type\":\"object\",\"required\":[\"employmentInfo\"],"
                "\"properties\":{\"age\":{\"type\":\"integer\",\"minimum\":0}}}",
                "age: -5\n",
                "- (root): employmentInfo is required\n- age: Must be greater than or "
                "equal to 0\n");
    schema_case("{\"properties\":{\"image\":{\"type\":\"object\",\"properties\":{\"tag\":"
                "{\"type\":\"string\"},\"pullPolicy\":{\"enum\":[\"Always\",\"Never\"]}},"
                "\"additionalProperties\":false}}}",
                "image: {tag: 1, pullPolicy: Sometimes, extra: 1}\n",
                "- image: Additional property extra is not allowed\n"
                "- image.tag: Invalid type. Expected: string, given: integer\n"
                "- image.pullPolicy: image.pullPolicy must be one of the following: \"Always\", "
                "\"Never\"\n");
    schema_case("{\"definitions\":{\"port\":{\"type\":\"integer\",\"maximum\":65535}},"
                "\"properties\":{\"ports\":{\"type\":\"array\",\"minItems\":1,"
                "\"items\":{\"$ref\":\"#/definitions/port\"}},"
                "\"name\":{\"type\":\"string\",\"pattern\":\"^[a-z]+$\",\"maxLength\":3},"
                "\"mode\":{\"const\":\"x\"},\"ratio\":{\"type\":[\"integer\",\"null\"]}}}",
                "ports: [80, 70000, 1.5]\nname: Abcd\nmode: y\nratio: 0.5\n",
                "- ports.1: Must be less than or equal to 65535\n"
                "- ports.2: Invalid type. Expected: integer, given: number\n"
                "- name: String length must be less than or equal to 3\n"
                "- name: Does not match pattern '^[a-z]+$'\n"
                "- mode: mode does not match: \"x\"\n"
                "- ratio: Invalid type. Expected: [integer,null], given: number\n");
    schema_case("{\"properties\":{\"a\":{\"anyOf\":[{\"type\":\"string\"},"
                "{\"type\":\"integer\",\"minimum\":10}]},\"b\":{\"oneOf\":[{\"type\":"
                "\"number\"},{\"type\":\"integer\"}]},\"c\":{\"not\":{\"type\":\"boolean\"}},"
                "\"d\":{\"allOf\":[{\"type\":\"integer\"},{\"minimum\":5}]}}}",
                "a: 3\nb: 2\nc: true\nd: 4\n",
                "- a: Must validate at least one schema (anyOf)\n"
                "- a: Must be greater than or equal to 10\n"
                "- b: Must validate one and only one schema (oneOf)\n"
                "- c: Must not validate the schema (not)\n"
                "- d: Must be greater than or equal to 5\n"
                "- d: Must validate all the schemas (allOf)\n");
    schema_case("{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\"}}}", "x: ok\n",
                "");

    /* through a render: the parent's and the subchart's schemas, Helm's wording */
    put("sch/Chart.yaml", "apiVersion: v2\nname: sch\nversion: 1.0.0\n");
    put("sch/values.yaml", "age: 1\n");
    put("sch/values.schema.json", "{\"required\":[\"employmentInfo\"],\"properties\":"
                                  "{\"age\":{\"minimum\":0}}}");
    put("sch/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 1.0.0\n");
    put("sch/charts/sub/values.schema.json", "{\"required\":[\"age\"]}");
    put("sch/templates/cm.yaml", "kind: ConfigMap\n");
    render(&x, "sch", "age=-1", NULL);
    assert_true(x.rc < 0);
    assert_false(x.r->rendering);
    assert_string_equal(fth_helm_render_error(x.r),
                        "values don't meet the specifications of the schema(s) in the following "
                        "chart(s):\nsch:\n- (root): employmentInfo is required\n"
                        "- age: Must be greater than or equal to 0\nsub:\n- (root): age is "
                        "required\n");
    done(&x);
    render(&x, "sch", "employmentInfo=x,sub.age=3", NULL);
    assert_int_equal(x.rc, 0);
    done(&x);
}

/* A cache gives the same output for other values and subchart sets, render after render. */
static void test_helm_render_cache(void **state)
{
    static const char *const sets[] = {NULL, "subcharta.enabled=false", "service.name=x", NULL};
    struct fth_helm_cache *cache = NULL;
    struct fth_helm_render_opts o = FTH_HELM_RENDER_OPTS_INIT;
    struct fth_arena *ca = fth_arena_new();
    struct fth_chart *c = NULL;
    size_t i;
    (void)state;
    assert_int_equal(fth_helm_cache_new(&cache), 0);
    assert_int_equal(fth_chart_load(&c, ca, FIX "subchart", NULL), 0);
    for (i = 0; i < 4; i++) {
        struct run plain, cached;
        render(&plain, FIX "subchart", sets[i], NULL);
        assert_int_equal(plain.rc, 0);
        /* the same loaded chart every time: that is what the cache is keyed on */
        memset(&cached, 0, sizeof(cached));
        cached.a = fth_arena_new();
        fth_buf_init(&cached.text);
        o.cache = cache;
        o.values = fth_tmpl_map(cached.a, 4);
        if (sets[i])
            assert_int_equal(fth_helm_strvals_parse((struct fth_value *)(uintptr_t)o.values,
                                                    cached.a, FTH_HELM_SET, sets[i],
                                                    strlen(sets[i]), NULL, NULL, NULL),
                             0);
        assert_int_equal(fth_helm_render(&cached.r, cached.a, c, &o, &cached.err), 0);
        assert_int_equal(fth_helm_render_text(&cached.text, cached.r), 0);
        assert_string_equal(cached.text.ptr, plain.text.ptr);
        done(&plain);
        done(&cached);
    }
    fth_helm_cache_free(cache);
    fth_arena_free(ca);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_helm_render_fixture),
        cmocka_unit_test(test_helm_render_defines),
        cmocka_unit_test(test_helm_render_objects),
        cmocka_unit_test(test_helm_render_dependencies),
        cmocka_unit_test(test_helm_render_assembly),
        cmocka_unit_test(test_helm_render_errors),
        cmocka_unit_test(test_helm_render_images),
        cmocka_unit_test(test_helm_render_schema),
        cmocka_unit_test(test_helm_render_cache),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
