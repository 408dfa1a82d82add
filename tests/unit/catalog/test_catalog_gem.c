/*
 * catalog: the RubyGems cataloger against every Ruby expectation in ../shared/fixtures/image
 * (Trivy's gemspec table), the Ruby forms RubyGems writes (%q strings, Gem::Version.new,
 * Gem::Specification.new(name, version)), and bad input.
 */
#include "langpkg_expect.h"

#define SPEC_PATH "usr/lib/ruby/gems/3.1.0/specifications/x.gemspec"

static void test_wants(void **state)
{
    (void)state;
    assert_true(cat_gem.wants("usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.3.gemspec", 1, 0));
    assert_true(
        cat_gem.wants("usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec", 1, 0));
    assert_true(cat_gem.wants("specifications/a.gemspec", 1, 0));
    assert_false(cat_gem.wants("usr/src/app/a.gemspec", 1, 0));
    assert_false(cat_gem.wants("usr/lib/ruby/gems/3.1.0/specifications/a.gemspec.bak", 1, 0));
    assert_false(cat_gem.wants("usr/lib/ruby/gems/3.1.0/specificationsx/a.gemspec", 1, 0));
}

/* Trivy's pkg/dependency/parser/ruby/gemspec TestParse: Name, Version, Licenses or an error. */
static void trivy_case(const char *file)
{
    char rel[256], exp[256];
    const struct fth_value *c, *w;
    struct lx t;

    lx_init(&t);
    snprintf(rel, sizeof(rel), "ruby/trivy/%s", file);
    snprintf(exp, sizeof(exp), "ruby/trivy/%s.expect.json", file);
    c = fth_value_get(lx_expect(&t, exp), "case");
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_gem, cat_fixture_path(rel), SPEC_PATH), 0);
    if (fth_value_get(c, "wantErr")) {
        assert_int_equal(t.s.packages.len, 0);
        assert_int_equal(t.s.warnings, 1);
    } else {
        const struct fth_package *p;

        assert_int_equal(fth_value_len(fth_value_get(c, "want")), 1);
        w = fth_value_at(fth_value_get(c, "want"), 0);
        assert_int_equal(t.s.packages.len, 1);
        p = lx_one(&t, lx_str(fth_value_get(w, "Name")), lx_str(fth_value_get(w, "Version")));
        lx_common(p, "gem", "RubyGems", SPEC_PATH);
        lx_licenses(p, fth_value_get(w, "Licenses"));
        assert_int_equal(t.s.warnings, 0);
    }
    lx_free(&t);
}

static void test_trivy(void **state)
{
    (void)state;
    trivy_case("normal00.gemspec");
    trivy_case("normal01.gemspec");
    trivy_case("license.gemspec");
    trivy_case("multiple_licenses.gemspec");
    trivy_case("malformed00.gemspec");
    trivy_case("malformed01.gemspec");
}

static void test_depends(void **state)
{
    const struct fth_package *p;
    struct lx t;

    (void)state;
    lx_init(&t);
    assert_int_equal(
        cat_fixture_parse_file(&t.s, &cat_gem,
                               cat_fixture_path("ruby/trivy/multiple_licenses.gemspec"), SPEC_PATH),
        0);
    p = lx_one(&t, "test-unit", "3.3.7");
    /* add_runtime_dependency and add_dependency; never add_development_dependency */
    assert_int_equal(p->ndepends, 6);
    assert_string_equal(p->depends[0], "power_assert");
    assert_string_equal(p->depends[1], "bundler");
    assert_string_equal(p->licenses[0].spdx, "Ruby");
    assert_string_equal(p->licenses[1].spdx, "");
    lx_free(&t);
}

static void test_forms(void **state)
{
    const struct fth_package *p;
    struct lx t;

    (void)state;
    lx_init(&t);
    assert_int_equal(
        lx_parse_str(&t, &cat_gem, SPEC_PATH,
                     "# -*- encoding: utf-8 -*-\n"
                     "# stub: nokogiri 1.15.4 x86_64-linux lib\n"
                     "Gem::Specification.new do |s|\n"
                     "  s.name = %q{nokogiri}\n"
                     "  s.version = Gem::Version.new(\"1.15.4\".freeze)\n"
                     "  s.summary = \"s.name = \\\"fake\\\" # not code\"\n"
                     "  # s.license = \"GPL\"\n"
                     "  s.license = 'MIT'.freeze\n"
                     "  s.add_runtime_dependency \"racc\", [\"~> 1.4\"]\n"
                     "  s.add_runtime_dependency(%q<mini_portile2>.freeze, [\"~> 2\"])\n"
                     "end\n"),
        0);
    p = lx_one(&t, "nokogiri", "1.15.4");
    assert_int_equal(p->nlicenses, 1);
    assert_string_equal(p->licenses[0].value, "MIT");
    assert_string_equal(p->licenses[0].spdx, "MIT");
    assert_int_equal(p->ndepends, 2);
    assert_string_equal(p->depends[0], "racc");
    assert_string_equal(p->depends[1], "mini_portile2");

    lx_reset(&t);
    assert_int_equal(lx_parse_str(&t, &cat_gem, SPEC_PATH,
                                  "Gem::Specification.new(\"bundler\", \"2.4.10\") { |spec|\n"
                                  "  spec.licenses = [\"MIT\"]\n}\n"),
                     0);
    assert_int_equal(lx_one(&t, "bundler", "2.4.10")->nlicenses, 1);
    assert_int_equal(t.s.warnings, 0);
    lx_free(&t);
}

static void test_bad_input(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct lx t;

    (void)state;
    lx_init(&t);
    assert_int_equal(lx_parse_str(&t, &cat_gem, SPEC_PATH, ""), 0);
    assert_int_equal(lx_parse_str(&t, &cat_gem, SPEC_PATH,
                                  "Gem::Specification.new do |s|\n"
                                  "  s.name = \"x\n"),
                     0);
    assert_int_equal(lx_parse_str(&t, &cat_gem, SPEC_PATH,
                                  "Gem::Specification.new do |s|\n"
                                  "  s.name = 1\n  s.version = \"1\"\n"),
                     0);
    assert_int_equal(lx_parse_str(&t, &cat_gem, SPEC_PATH, "%q{%q{%q{\xff\x00}"), 0);
    assert_int_equal(t.s.packages.len, 0);
    assert_int_equal(t.s.warnings, 6); /* an unterminated string also costs the spec */

    lx_reset(&t);
    assert_int_equal(fth_buf_puts(&b, "Gem::Specification.new do |s|\n s.name = \"big\"\n"
                                      " s.version = \"1.0\"\n s.licenses = ["),
                     0);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(fth_buf_printf(&b, "\"L%d\".freeze, \"L%d\", ", i, i), 0);
    assert_int_equal(fth_buf_puts(&b, "\"MIT\"]\nend\n"), 0);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(fth_buf_puts(&b, "(((([[[{{{"), 0);
    assert_int_equal(lx_parse_text(&t, &cat_gem, SPEC_PATH, b.ptr, b.len), 0);
    /* distinct values, each repeated once: repeats are found without scanning the list */
    assert_int_equal(lx_one(&t, "big", "1.0")->nlicenses, 100001);
    fth_buf_release(&b);
    lx_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wants),     cmocka_unit_test(test_trivy),
        cmocka_unit_test(test_depends),   cmocka_unit_test(test_forms),
        cmocka_unit_test(test_bad_input),
    };

    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
