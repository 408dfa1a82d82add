/*
 * Sprig semver and semverCompare: Masterminds/semver v3.2 parsing and constraint checks
 * (ranges, x-ranges, ~, ^, ||, commas, prereleases) and the *semver.Version methods.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/tmpl.h"
#include "unit/tmpl/tmpl_helpers.h"

static struct fth_arena *A;

static int setup(void **state)
{
    (void)state;
    A = fth_arena_new();
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fth_arena_free(A);
    return 0;
}

/* the error text the engine gives a failing call of `call` in template "t" at column 3 */
#define CALL_ERR(call, fn, msg)                                                                    \
    "ERR: template: t:1:3: executing \"t\" at <" call ">: error calling " fn ": " msg

struct sc {
    const char *constraint, *version;
    int want;
};

static void test_sprig_semver_compare(void **state)
{
    static const struct sc cases[] = {
        {">=1.2.3", "1.2.3", 1},
        {">=1.2.3", "1.2.2", 0},
        {"^1.2.3", "1.9.0", 1},
        {"^1.2.3", "2.0.0", 0},
        {"^0.2.3", "0.2.9", 1},
        {"^0.2.3", "0.3.0", 0},
        {"^0.0.3", "0.0.4", 0},
        {"~1.2.3", "1.2.9", 1},
        {"~1.2.3", "1.3.0", 0},
        {"~1", "1.9.9", 1},
        {"1.2.x", "1.2.7", 1},
        {"1.2.x", "1.3.0", 0},
        {"*", "5.0.0", 1},
        {"1.2 - 1.4.5", "1.4.5", 1},
        {"1.2 - 1.4.5", "1.4.6", 0},
        {">1.0, <2.0", "1.5.0", 1},
        {">1.0 <2.0", "2.0.0", 0},
        {"<1.0 || >=3.0", "3.1.0", 1},
        {"<1.0 || >=3.0", "2.0.0", 0},
        {"!=1.2.3", "1.2.3", 0},
        {"=1.2.3", "v1.2.3", 1},
        {">=1.19-0", "v1.20.0-gke.1", 1},
        {">=1.19", "1.20.0-gke.1", 0},
        {">=1.16-0", "1.15.9", 0},
        {"<1.19-0", "1.18.3", 1},
        {">11", "11.1.0", 0},
        {"<=1.2", "1.2.9", 1},
        {">=1.2.3-alpha.1", "1.2.3-alpha.10", 1},
        {">=1.2.3-beta", "1.2.3-alpha", 0},
        {"1.2.3", "1.2.3+build", 1},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char tpl[256];
        snprintf(tpl, sizeof(tpl), "{{ semverCompare \"%s\" \"%s\" }}", cases[i].constraint,
                 cases[i].version);
        EXPECT(tpl, NULL, cases[i].want ? "true" : "false");
    }
}

static void test_sprig_semver_version(void **state)
{
    (void)state;
    EXPECT("{{ $v := semver \"1.2.3-alpha.1+123\" }}{{ $v.Major }} {{ $v.Minor }} {{ $v.Patch }} "
           "{{ $v.Prerelease }} {{ $v.Metadata }} {{ $v.Original }} {{ $v }}",
           NULL, "1 2 3 alpha.1 123 1.2.3-alpha.1+123 1.2.3-alpha.1+123");
    EXPECT("{{ semver \"v1.2\" }} {{ (semver \"1\").String }}", NULL, "1.2.0 1.0.0");
    EXPECT("{{ (semver \"1.2.3\").Compare (semver \"1.2.4\") }} {{ (semver \"2.0.0\").GreaterThan "
           "(semver \"1.9.9\") }}",
           NULL, "-1 true");
    EXPECT("{{ semver \"1.2.3.4\" }}", NULL,
           CALL_ERR("semver \"1.2.3.4\"", "semver", "Invalid Semantic Version"));
    EXPECT("{{ semver \"1.2.3-01\" }}", NULL,
           CALL_ERR("semver \"1.2.3-01\"", "semver", "Version segment starts with 0"));
    EXPECT(
        "{{ semverCompare \"foo\" \"1.0.0\" }}", NULL,
        CALL_ERR("semverCompare \"foo\" \"1.0.0\"", "semverCompare", "improper constraint: foo"));
    /* an empty constraint fails Masterminds' validation regexp too */
    EXPECT("{{ semverCompare \"\" \"1.0.0\" }}", NULL,
           CALL_ERR("semverCompare \"\" \"1.0.0\"", "semverCompare", "improper constraint: "));
    EXPECT("{{ semverCompare \">1\" \"bar\" }}", NULL,
           CALL_ERR("semverCompare \">1\" \"bar\"", "semverCompare", "Invalid Semantic Version"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprig_semver_compare),
        cmocka_unit_test(test_sprig_semver_version),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
