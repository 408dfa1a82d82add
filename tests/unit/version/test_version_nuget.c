/*
 * NuGet: NuGetVersion ordering and VersionRange matching, with cases from Microsoft's NuGet docs
 * ("Package versioning": version basics, pre-release labels, normalisation, version ranges).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/version.h"
#include "base/limits.h"
#include "unit/version/version_check.h"

#define ECO FTH_ECO_NUGET

static void test_version_nuget_order(void **state)
{
    static const struct vt_pair pairs[] = {
        /* normalisation: missing numbers are 0, leading zeros go, metadata is ignored */
        {"1.0", "1.0.0", 0},
        {"1", "1.0.0.0", 0},
        {"1.01.1", "1.1.1", 0},
        {"1.0.0.1", "1.0.0", 1},
        {"1.0.0+meta", "1.0.0", 0},
        {"1.0.0-beta+a", "1.0.0-beta+b", 0},
        /* pre-releases: case-insensitive labels, numbers numerically and before words */
        {"1.0.0-alpha", "1.0.0", -1},
        {"1.0.0-Alpha", "1.0.0-alpha", 0},
        {"1.0.0-alpha.2", "1.0.0-alpha.10", -1},
        {"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
        {"1.0.0-alpha", "1.0.0-alpha.1", -1},
        {"1.0.0-beta.11", "1.0.0-rc.1", -1},
        {"1.0.0-rc.1", "1.0.0", -1},
        {"1.0.0-01", "1.0.0-1", 0},
        {"1.0.0-a-b", "1.0.0-a", 1},
        {"2.1.0", "2.0.9", 1},
        {"2147483647.0", "2147483646.9", 1},
    };
    (void)state;
    vt_check_pairs(ECO, pairs, sizeof(pairs) / sizeof(pairs[0]));
}

static void test_version_nuget_ranges(void **state)
{
    static const struct vt_sat sats[] = {
        /* docs "Version ranges" table */
        {"1.0", "1.0", 1},
        {"0.9", "1.0", 0},
        {"5.0", "1.0", 1},
        {"1.0", "(1.0,)", 0},
        {"1.0.1", "(1.0,)", 1},
        {"1.0", "[1.0]", 1},
        {"1.0.0.0", "[1.0]", 1},
        {"1.0.1", "[1.0]", 0},
        {"1.0", "(,1.0]", 1},
        {"1.0.1", "(,1.0]", 0},
        {"1.0", "(,1.0)", 0},
        {"0.9", "(,1.0)", 1},
        {"1.0", "[1.0,2.0]", 1},
        {"2.0", "[1.0,2.0]", 1},
        {"2.0", "(1.0,2.0)", 0},
        {"1.5", "(1.0,2.0)", 1},
        {"2.0", "[1.0,2.0)", 0},
        {"2.0.0-beta", "[1.0,2.0)", 1},
        {"1.5", "[1.0, 2.0)", 1},
        {"1.5", " [ 1.0 , 2.0 ) ", 1},
        /* invalid ranges */
        {"1.0", "(1.0)", FTH_EINVALID},
        {"1.0", "[1.0,1.0)", FTH_EINVALID},
        {"1.0", "[2.0,1.0]", FTH_EINVALID},
        {"1.0", "(,)", FTH_EINVALID},
        {"1.0", "[1.0,2.0,3.0]", FTH_EINVALID},
        {"1.0", "[1.0", FTH_EINVALID},
        {"1.0", "", FTH_EINVALID},
        {"1.0", "[junk,2.0]", FTH_EINVALID},
        {"1.0", "1.*", FTH_EINVALID},
    };
    (void)state;
    vt_check_sats(ECO, sats, sizeof(sats) / sizeof(sats[0]));
}

static void test_version_nuget_validity(void **state)
{
    static const char *const ok[] = {"1",        "1.0",         "1.0.0",
                                     "1.0.0.0",  "1.0.0-beta",  "1.0.0-beta.1+build.5",
                                     "01.02.03", "1.0.0-a-b-c", "2147483647.0.0"};
    static const char *const bad[] = {
        "",     "a",    "1.0.0.0.0",     "1.0-",         "1.0+",         "1..0",     "-1.0",
        " 1.0", "v1.0", "1.0.0-beta..1", "2147483648.0", "1.0.0-beta_1", "1.0.0+a+b"};
    (void)state;
    vt_check_validity(ECO, ok, sizeof(ok) / sizeof(ok[0]), bad, sizeof(bad) / sizeof(bad[0]));
    vt_check_huge(ECO, "1.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_nuget_order),
        cmocka_unit_test(test_version_nuget_ranges),
        cmocka_unit_test(test_version_nuget_validity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
