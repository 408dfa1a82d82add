/*
 * catalog: the Composer cataloger against every PHP expectation in ../shared/fixtures/image
 * (Trivy's vendor/composer/installed.json analyzer cases), Composer 1's array form,
 * composer.lock, dev packages, and bad input.
 */
#include "langpkg_expect.h"

#define INSTALLED "srv/app/vendor/composer/installed.json"

static void test_wants(void **state)
{
    (void)state;
    assert_true(cat_composer.wants(INSTALLED, 1, 0));
    assert_true(cat_composer.wants("vendor/composer/installed.json", 1, 0));
    assert_true(cat_composer.wants("srv/app/composer.lock", 1, 0));
    assert_false(cat_composer.wants("srv/app/vendor/foo/bar/composer.lock", 1, 0));
    assert_false(cat_composer.wants("srv/app/composer/installed.json", 1, 0));
    assert_false(cat_composer.wants("srv/app/xvendor/composer/installed.json", 1, 0));
    assert_false(cat_composer.wants("srv/app/composer.json", 1, 0));
}

/* Trivy's Test_composerVendorAnalyzer_Analyze: the application's packages, or an error. */
static void trivy_case(const char *dir)
{
    char rel[256], exp[256];
    const struct fth_value *e, *want;
    struct lx t;

    lx_init(&t);
    snprintf(rel, sizeof(rel), "php/trivy/%s/installed.json", dir);
    snprintf(exp, sizeof(exp), "php/trivy/%s/expect.json", dir);
    e = lx_expect(&t, exp);
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_composer, cat_fixture_path(rel), INSTALLED),
                     0);
    if (fth_value_get(e, "wantErr")) {
        assert_int_equal(t.s.packages.len, 0);
        assert_int_equal(t.s.warnings, 1);
        lx_free(&t);
        return;
    }
    want = fth_value_path(fth_value_at(fth_value_path(e, "analysis_result.Applications"), 0),
                          "Packages");
    assert_int_equal(t.s.packages.len, fth_value_len(want));
    for (size_t i = 0; i < fth_value_len(want); i++) {
        const struct fth_value *w = fth_value_at(want, i), *deps = fth_value_get(w, "DependsOn");
        const struct fth_package *p =
            lx_one(&t, lx_str(fth_value_get(w, "Name")), lx_str(fth_value_get(w, "Version")));

        lx_common(p, "composer", "Packagist", INSTALLED);
        lx_licenses(p, fth_value_get(w, "Licenses"));
        assert_int_equal(p->dev, 0);
        /* Trivy's DependsOn holds IDs (name@version) of packages in the file */
        assert_int_equal(p->ndepends, fth_value_len(deps));
        for (size_t j = 0; j < fth_value_len(deps); j++) {
            const char *id = lx_str(fth_value_at(deps, j));

            assert_memory_equal(p->depends[j], id, strlen(p->depends[j]));
            assert_int_equal(id[strlen(p->depends[j])], '@');
        }
    }
    assert_int_equal(t.s.warnings, 0);
    lx_free(&t);
}

static void test_trivy(void **state)
{
    (void)state;
    trivy_case("happy");
    trivy_case("sad");
}

static void test_forms(void **state)
{
    const struct fth_package *p;
    struct lx t;

    (void)state;
    lx_init(&t);
    /* Composer 1: a bare array */
    assert_int_equal(lx_parse_str(&t, &cat_composer, INSTALLED,
                                  "[{\"name\": \"monolog/monolog\", \"version\": \"1.27.1\","
                                  " \"license\": \"MIT\", \"require\": {\"php\": \">=5.3\","
                                  " \"ext-json\": \"*\", \"psr/log\": \"~1.0\"}}]"),
                     0);
    p = lx_one(&t, "monolog/monolog", "1.27.1");
    assert_int_equal(p->ndepends, 1);
    assert_string_equal(p->depends[0], "psr/log");
    assert_string_equal(p->licenses[0].spdx, "MIT");
    /* Composer 2 with development packages */
    lx_reset(&t);
    assert_int_equal(
        lx_parse_str(&t, &cat_composer, INSTALLED,
                     "{\"packages\": [{\"name\": \"a/a\", \"version\": \"1.0.0\","
                     " \"dist\": {\"shasum\": \"5F19D2B85A98E9558036F6A3CACC8819420F05CF\"}},"
                     " {\"name\": \"b/b\", \"version\": \"v2.0.0\","
                     " \"license\": [\"GPL-2.0-or-later\", \"proprietary\"]}],"
                     " \"dev\": true, \"dev-package-names\": [\"b/b\"]}"),
        0);
    assert_int_equal(lx_one(&t, "a/a", "1.0.0")->dev, 0);
    assert_string_equal(lx_one(&t, "a/a", "1.0.0")->digest,
                        "sha1:5f19d2b85a98e9558036f6a3cacc8819420f05cf");
    p = lx_one(&t, "b/b", "v2.0.0");
    assert_string_equal(p->digest, "");
    assert_int_equal(p->dev, 1);
    assert_string_equal(p->licenses[0].spdx, "GPL-2.0-or-later");
    assert_string_equal(p->licenses[1].spdx, "");
    /* composer.lock */
    lx_reset(&t);
    assert_int_equal(
        lx_parse_str(&t, &cat_composer, "srv/app/composer.lock",
                     "{\"packages\": [{\"name\": \"a/a\", \"version\": \"1.0.0\"}],"
                     " \"packages-dev\": [{\"name\": \"c/c\", \"version\": \"3.0\"}]}"),
        0);
    assert_int_equal(t.s.packages.len, 2);
    assert_int_equal(lx_one(&t, "a/a", "1.0.0")->dev, 0);
    assert_int_equal(lx_one(&t, "c/c", "3.0")->dev, 1);
    assert_int_equal(t.s.warnings, 0);
    lx_free(&t);
}

static void test_bad_input(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct lx t;

    (void)state;
    lx_init(&t);
    /* 50000 packages, all named in dev-package-names: looked up in an index */
    assert_int_equal(fth_buf_puts(&b, "{\"packages\": ["), 0);
    for (int i = 0; i < 50000; i++)
        assert_int_equal(fth_buf_printf(&b, "%s{\"name\": \"v/p%d\", \"version\": \"1.%d\"}",
                                        i ? "," : "", i, i),
                         0);
    assert_int_equal(fth_buf_puts(&b, "], \"dev-package-names\": ["), 0);
    for (int i = 0; i < 50000; i++)
        assert_int_equal(fth_buf_printf(&b, "%s\"v/p%d\"", i ? "," : "", i), 0);
    assert_int_equal(fth_buf_puts(&b, "]}"), 0);
    assert_int_equal(lx_parse_text(&t, &cat_composer, INSTALLED, b.ptr, b.len), 0);
    assert_int_equal(t.s.packages.len, 50000);
    assert_int_equal(lx_one(&t, "v/p49999", "1.49999")->dev, 1);
    fth_buf_release(&b);
    lx_reset(&t);
    assert_int_equal(lx_parse_str(&t, &cat_composer, INSTALLED,
                                  "{\"packages\": [{\"name\": \"a/a\", \"version\": 1},"
                                  " {\"version\": \"1\"}, 7, {\"name\": \"ok/ok\","
                                  " \"version\": \"1.0\", \"license\": {\"x\": 1},"
                                  " \"require\": [1]}]}"),
                     0);
    assert_int_equal(t.s.packages.len, 1);
    assert_int_equal(lx_one(&t, "ok/ok", "1.0")->nlicenses, 0);
    assert_int_equal(t.s.warnings, 3);
    lx_reset(&t);
    assert_int_equal(lx_parse_str(&t, &cat_composer, INSTALLED, "{\"packages\": 5}"), 0);
    assert_int_equal(lx_parse_str(&t, &cat_composer, INSTALLED, "\"x\""), 0);
    assert_int_equal(lx_parse_str(&t, &cat_composer, INSTALLED, "[[[[[[[[[[[["), 0);
    assert_int_equal(t.s.packages.len, 0);
    assert_int_equal(t.s.warnings, 3);
    lx_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wants),
        cmocka_unit_test(test_trivy),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_bad_input),
    };

    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
