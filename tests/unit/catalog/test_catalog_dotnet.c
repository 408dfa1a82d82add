/*
 * catalog: the .NET cataloger against every .NET expectation in ../shared/fixtures/image
 * (Trivy's core_deps TestParse cases: runtime target selection, compile-only libraries,
 * projects and runtime packs), dependency names, and bad input.
 */
#include "langpkg_expect.h"

#define DEPS_PATH "app/ExampleApp1.deps.json"

static void test_wants(void **state)
{
    (void)state;
    assert_true(cat_dotnet.wants(DEPS_PATH, 1, 0));
    assert_true(cat_dotnet.wants("a.deps.json", 1, 0));
    assert_false(cat_dotnet.wants("app/ExampleApp1.runtimeconfig.json", 1, 0));
    assert_false(cat_dotnet.wants("app/deps.json.bak", 1, 0));
    assert_false(cat_dotnet.wants(".deps.json", 1, 0));
}

static void trivy_case(const char *file)
{
    char rel[256], exp[256];
    const struct fth_value *c, *want;
    struct lx t;

    lx_init(&t);
    snprintf(rel, sizeof(rel), "dotnet/trivy/%s", file);
    snprintf(exp, sizeof(exp), "dotnet/trivy/%s.expect.json", file);
    c = fth_value_get(lx_expect(&t, exp), "case");
    want = fth_value_get(c, "want");
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_dotnet, cat_fixture_path(rel), DEPS_PATH),
                     0);
    if (fth_value_get(c, "wantErr")) {
        assert_int_equal(t.s.packages.len, 0);
        assert_int_equal(t.s.warnings, 1);
        lx_free(&t);
        return;
    }
    if (t.s.packages.len != fth_value_len(want))
        fail_msg("%s: %zu packages, expected %zu", file, t.s.packages.len, fth_value_len(want));
    for (size_t i = 0; i < fth_value_len(want); i++) {
        const struct fth_value *w = fth_value_at(want, i);
        const struct fth_package *p =
            lx_one(&t, lx_str(fth_value_get(w, "Name")), lx_str(fth_value_get(w, "Version")));

        lx_common(p, "dotnet", "NuGet", DEPS_PATH);
        assert_int_equal(p->nlicenses, 0);
    }
    /* wantDeps: ID -> DependsOn IDs ("Name/Version") */
    c = fth_value_get(c, "wantDeps");
    for (size_t i = 0; i < fth_value_len(c); i++) {
        const struct fth_value *d = fth_value_at(c, i), *on = fth_value_get(d, "DependsOn");
        char name[256];
        const char *id = lx_str(fth_value_get(d, "ID")), *slash = strrchr(id, '/');
        const struct fth_package *p;

        snprintf(name, sizeof(name), "%.*s", (int)(slash - id), id);
        p = lx_one(&t, name, slash + 1);
        assert_int_equal(p->ndepends, fth_value_len(on));
        for (size_t j = 0; j < fth_value_len(on); j++) {
            const char *dep = lx_str(fth_value_at(on, j));
            size_t k;

            for (k = 0; k < p->ndepends; k++)
                if (!strncmp(p->depends[k], dep, strlen(p->depends[k])) &&
                    dep[strlen(p->depends[k])] == '/')
                    break;
            if (k == p->ndepends)
                fail_msg("%s: '%s' does not depend on '%s'", file, id, dep);
        }
    }
    assert_int_equal(t.s.warnings, 0);
    lx_free(&t);
}

static void test_trivy(void **state)
{
    static const char *const files[] = {
        "happy.deps.json",           "ambiguous-root.deps.json", "missing-target.deps.json",
        "multi-project.deps.json",   "no-libraries.deps.json",   "self-contained.deps.json",
        "without-runtime.deps.json", "invalid.deps.json",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++)
        trivy_case(files[i]);
}

static void test_skipped(void **state)
{
    struct lx t;

    (void)state;
    lx_init(&t);
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_dotnet,
                                            cat_fixture_path("dotnet/trivy/happy.deps.json"),
                                            DEPS_PATH),
                     0);
    /* the library's sha512 (of the .nupkg) as the digest; a project has none */
    assert_string_equal(lx_one(&t, "Newtonsoft.Json", "13.0.1")->digest,
                        "sha512:a693c5a4172fc5db1f5289cd72f2132aa2e5ddbab159b0c2648cc3587ce3a5d00"
                        "74457d97b40f0f47980d3ecdad7721dcab809c299034c303d7c76b13abb76d0");
    assert_string_equal(lx_one(&t, "ExampleApp1", "1.0.0")->digest, "");
    lx_reset(&t);
    assert_int_equal(cat_fixture_parse_file(
                         &t.s, &cat_dotnet,
                         cat_fixture_path("dotnet/trivy/without-runtime.deps.json"), DEPS_PATH),
                     0);
    /* listed by the target with dependencies only, or nothing: compile time only */
    assert_null(cat_fixture_find(&t.s, "Microsoft.NETCore.App", NULL));
    assert_null(cat_fixture_find(&t.s, "Microsoft.NETCore.Platforms", NULL));
    assert_null(cat_fixture_find(&t.s, "NETStandard.Library", NULL));
    assert_null(cat_fixture_find(&t.s, "System.Net.Http", NULL));
    lx_free(&t);
}

static void test_bad_input(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct lx t;

    (void)state;
    lx_init(&t);
    /* 50000 libraries, each looked up in the runtime target through an index */
    assert_int_equal(
        fth_buf_puts(&b, "{\"runtimeTarget\": {\"name\": \"t\"}, \"targets\": {\"t\": {"), 0);
    for (int i = 0; i < 50000; i++)
        assert_int_equal(fth_buf_printf(&b, "%s\"L%d/1.%d\": {%s}", i ? "," : "", i, i,
                                        i % 2 ? "\"runtime\": {}" : ""),
                         0);
    assert_int_equal(fth_buf_puts(&b, "}}, \"libraries\": {"), 0);
    for (int i = 0; i < 50000; i++)
        assert_int_equal(
            fth_buf_printf(&b, "%s\"L%d/1.%d\": {\"type\": \"package\"}", i ? "," : "", i, i), 0);
    assert_int_equal(fth_buf_puts(&b, "}}"), 0);
    assert_int_equal(lx_parse_text(&t, &cat_dotnet, DEPS_PATH, b.ptr, b.len), 0);
    assert_int_equal(t.s.packages.len, 25000); /* the odd ones have runtime assets */
    assert_non_null(lx_one(&t, "L49999", "1.49999"));
    fth_buf_release(&b);
    lx_reset(&t);
    assert_int_equal(
        lx_parse_str(&t, &cat_dotnet, DEPS_PATH,
                     "{\"runtimeTarget\": {\"name\": 5}, \"targets\": [],"
                     " \"libraries\": {\"A/1.0\": {\"type\": \"package\"},"
                     " \"B\": {\"type\": \"package\"}, \"C/2.0\": {\"type\": 3},"
                     " \"D/\": {\"type\": \"package\"}, \"/1.0\": {\"type\": \"package\"},"
                     " \"E/1.0\": {\"type\": \"reference\"}, \"F/1.0\": 4}}"),
        0);
    assert_int_equal(t.s.packages.len, 1);
    assert_non_null(lx_one(&t, "A", "1.0"));
    assert_int_equal(t.s.warnings, 5);
    lx_reset(&t);
    assert_int_equal(lx_parse_str(&t, &cat_dotnet, DEPS_PATH, "{\"libraries\": []}"), 0);
    assert_int_equal(lx_parse_str(&t, &cat_dotnet, DEPS_PATH, "[]"), 0);
    assert_int_equal(lx_parse_str(&t, &cat_dotnet, DEPS_PATH, "{\"libraries\": {\"A/1\": "), 0);
    assert_int_equal(t.s.packages.len, 0);
    assert_int_equal(t.s.warnings, 3);
    lx_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wants),
        cmocka_unit_test(test_trivy),
        cmocka_unit_test(test_skipped),
        cmocka_unit_test(test_bad_input),
    };

    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
