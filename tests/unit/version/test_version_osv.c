/* The dispatcher: ecosystem names, errors, generic relations and OSV range evaluation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/version.h"

static void test_version_ecosystem_names(void **state)
{
    static const struct {
        const char *name;
        enum fth_ecosystem eco;
    } cases[] = {
        {"Debian", FTH_ECO_DEBIAN},
        {"Debian:12", FTH_ECO_DEBIAN},
        {"deb", FTH_ECO_DEBIAN},
        {"Ubuntu:22.04", FTH_ECO_DEBIAN},
        {"Alpine", FTH_ECO_ALPINE},
        {"Alpine:v3.20", FTH_ECO_ALPINE},
        {"apk", FTH_ECO_ALPINE},
        {"Red Hat", FTH_ECO_RPM},
        {"rpm", FTH_ECO_RPM},
        {"Rocky Linux:9", FTH_ECO_RPM},
        {"npm", FTH_ECO_NPM},
        {"semver", FTH_ECO_NPM},
        {"Go", FTH_ECO_GO},
        {"go", FTH_ECO_GO},
        {"PyPI", FTH_ECO_PYPI},
        {"pypi", FTH_ECO_PYPI},
        {"Maven", FTH_ECO_MAVEN},
        {"maven", FTH_ECO_MAVEN},
        {"RubyGems", FTH_ECO_RUBYGEMS},
        {"gem", FTH_ECO_RUBYGEMS},
        {"NuGet", FTH_ECO_NUGET},
        {"nuget", FTH_ECO_NUGET},
        {"Packagist", FTH_ECO_PACKAGIST},
        {"composer", FTH_ECO_PACKAGIST},
        {"crates.io", FTH_ECO_CRATES},
        {"cargo", FTH_ECO_CRATES},
        {"Hex", FTH_ECO_HEX},
        {"hex", FTH_ECO_HEX},
    };
    enum fth_ecosystem eco;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(fth_ecosystem_parse(&eco, cases[i].name), 0);
        assert_int_equal(eco, cases[i].eco);
    }
    assert_int_equal(fth_ecosystem_parse(&eco, "Debianish"), FTH_EINVALID);
    assert_int_equal(fth_ecosystem_parse(&eco, ""), FTH_EINVALID);
    assert_int_equal(fth_ecosystem_parse(&eco, "deb:12"),
                     FTH_EINVALID); /* aliases take no release */
    assert_string_equal(fth_ecosystem_name(FTH_ECO_CRATES), "crates.io");
    assert_string_equal(fth_ecosystem_name(FTH_ECO_RPM), "Red Hat");
}

static void test_version_errors(void **state)
{
    struct fth_error err;
    char longv[400];
    int cmp, ok;

    (void)state;
    fth_error_clear(&err);
    assert_int_equal(fth_version_compare(&cmp, FTH_ECO_UNKNOWN, "1", "2", 0, &err), FTH_EINVALID);
    memset(longv, '1', sizeof(longv) - 1);
    longv[sizeof(longv) - 1] = '\0';
    fth_error_clear(&err);
    assert_int_equal(fth_version_compare(&cmp, FTH_ECO_DEBIAN, longv, "1", 0, &err), FTH_EINVALID);
    assert_non_null(strstr(err.message, "limit"));
    assert_false(fth_version_valid(FTH_ECO_DEBIAN, longv, 0));
    fth_error_clear(&err);
    assert_int_equal(fth_version_satisfies(&ok, FTH_ECO_DEBIAN, "1.0", ">= x!y", 0, &err),
                     FTH_EINVALID);
    fth_error_clear(&err);
    assert_int_equal(fth_version_satisfies(&ok, FTH_ECO_DEBIAN, "1.0", "", 0, &err), FTH_EINVALID);
    fth_error_clear(&err);
    assert_int_equal(fth_version_satisfies(&ok, FTH_ECO_DEBIAN, "1.0", "=~ 1.0", 0, &err),
                     FTH_EINVALID);
}

static void test_version_relations(void **state)
{
    static const struct {
        const char *v, *range;
        int want;
    } cases[] = {
        {"1.2", ">= 1.2", 1},        {"1.2", "> 1.2", 0},         {"1.2", ">> 1.1", 1},
        {"1.2", "<< 1.2", 0},        {"1.2", "<= 1.2", 1},        {"1.2", "= 1.2", 1},
        {"1.2", "1.2", 1},           {"1.2", "!= 1.2", 0},        {"1.2~rc1", "< 1.2", 1},
        {"1.5", ">= 1.2, < 2.0", 1}, {"2.0", ">= 1.2, < 2.0", 0}, {"1:0.1", "> 9.9", 1},
        {"1.5", ">=1.2 <2.0", 1},    {"1.0-1", "== 1.0-1", 1},
    };
    struct fth_error err;
    size_t i;
    int ok;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fth_error_clear(&err);
        if (fth_version_satisfies(&ok, FTH_ECO_DEBIAN, cases[i].v, cases[i].range, 0, &err) < 0)
            fail_msg("case %zu: %s", i, err.message);
        if (ok != cases[i].want)
            fail_msg("case %zu: '%s' satisfies '%s': %d, want %d", i, cases[i].v, cases[i].range,
                     ok, cases[i].want);
    }
}

#define EV(k, v)                                                                                   \
    {                                                                                              \
        FTH_OSV_##k, v                                                                             \
    }

static int affected(enum fth_ecosystem eco, enum fth_osv_range_type type, const char *version,
                    const struct fth_osv_event *events, size_t n)
{
    struct fth_osv_range r = {type, events, n};
    struct fth_error err;
    int out = -1;

    fth_error_clear(&err);
    if (fth_osv_affected(&out, eco, version, &r, 1, NULL, 0, &err) < 0)
        fail_msg("%s: %s", version, err.message);
    return out;
}

static void test_version_osv_ranges(void **state)
{
    /* introduced 0, fixed 1.2-1: everything below the fix */
    static const struct fth_osv_event fixed[] = {EV(INTRODUCED, "0"), EV(FIXED, "1.2-1")};
    /* two windows, events out of order on purpose: [1.0, 1.5) and [2.0, 2.3] */
    static const struct fth_osv_event windows[] = {EV(FIXED, "1.5"), EV(INTRODUCED, "2.0"),
                                                   EV(LAST_AFFECTED, "2.3"), EV(INTRODUCED, "1.0")};
    /* introduced 1.0 with a limit 3.0 and no fix */
    static const struct fth_osv_event limited[] = {EV(INTRODUCED, "1.0"), EV(LIMIT, "3.0")};
    /* SEMVER ranges with Go's leading v */
    static const struct fth_osv_event semver[] = {EV(INTRODUCED, "0"), EV(FIXED, "v1.4.2")};

    (void)state;
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "1.1", fixed, 2), 1);
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "1.2-1~deb12u1", fixed, 2), 1);
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "1.2-1", fixed, 2), 0);
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "1:0.1", fixed, 2), 0);

    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "0.9", windows, 4), 0);
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "1.0", windows, 4), 1);
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "1.4.9", windows, 4), 1);
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "1.5", windows, 4), 0);
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "1.9", windows, 4), 0);
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "2.3", windows, 4), 1);
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "2.3.1", windows, 4), 0);

    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "2.9", limited, 2), 1);
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "3.0", limited, 2), 0);
    assert_int_equal(affected(FTH_ECO_DEBIAN, FTH_OSV_ECOSYSTEM, "0.5", limited, 2), 0);

    assert_int_equal(affected(FTH_ECO_GO, FTH_OSV_SEMVER, "v1.4.1", semver, 2), 1);
    assert_int_equal(affected(FTH_ECO_GO, FTH_OSV_SEMVER, "v1.4.2", semver, 2), 0);
    assert_int_equal(affected(FTH_ECO_GO, FTH_OSV_SEMVER, "v1.4.2-rc.1", semver, 2), 1);
}

static void test_version_osv_versions_list(void **state)
{
    static const char *const versions[] = {"1.0.1", "1.0.3"};
    struct fth_error err;
    int out;

    (void)state;
    fth_error_clear(&err);
    assert_int_equal(fth_osv_affected(&out, FTH_ECO_PYPI, "1.0.3", NULL, 0, versions, 2, &err), 0);
    assert_int_equal(out, 1);
    assert_int_equal(fth_osv_affected(&out, FTH_ECO_PYPI, "1.0.2", NULL, 0, versions, 2, &err), 0);
    assert_int_equal(out, 0);
}

static void test_version_osv_bad_event(void **state)
{
    static const struct fth_osv_event bad[] = {EV(INTRODUCED, "0"), EV(FIXED, "not a version!")};
    struct fth_osv_range r = {FTH_OSV_ECOSYSTEM, bad, 2};
    struct fth_error err;
    int out;

    (void)state;
    fth_error_clear(&err);
    assert_int_equal(fth_osv_affected(&out, FTH_ECO_DEBIAN, "1.0", &r, 1, NULL, 0, &err),
                     FTH_EINVALID);
    assert_non_null(strstr(err.message, "not a version!"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_ecosystem_names),
        cmocka_unit_test(test_version_errors),
        cmocka_unit_test(test_version_relations),
        cmocka_unit_test(test_version_osv_ranges),
        cmocka_unit_test(test_version_osv_versions_list),
        cmocka_unit_test(test_version_osv_bad_event),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
