/*
 * RubyGems: Gem::Version ordering and Gem::Requirement matching, with cases from the Gem::Version
 * and Gem::Requirement API documentation and the RubyGems guides ("Patterns", pessimistic
 * version constraint).
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

#define ECO FTH_ECO_RUBYGEMS

static void test_version_gem_order(void **state)
{
    static const struct vt_pair pairs[] = {
        /* Gem::Version docs: trailing zeros, pre-releases (a letter anywhere), "-" as ".pre." */
        {"1.0", "1", 0},
        {"1.0.0", "1", 0},
        {"1.0.a", "1.0", -1},
        {"1.0.a", "1.a", 0},
        {"1.0.a.0", "1.0.a", 0},
        {"1.0.a.2", "1.0.b1", -1},
        {"1.0.b1", "1.0", -1},
        {"0.9", "1.0.a.2", -1},
        {"1.0.a.2", "1.0.a.10", -1},
        {"1.8.2", "1.8.10", -1},
        {"1.8.2.a", "1.8.2", -1},
        {"1.8.2.a", "1.8.1", 1},
        {"1.2.3-1", "1.2.3", -1},
        {"1.2.3-1", "1.2.3.pre.1", 0},
        {"1.2.3-beta", "1.2.3.pre.beta", 0},
        {"1.0.a", "1.0.B", 1},
        {"1.0.rc1", "1.0.beta2", 1},
        {"1.0a", "1.0.a", 0},
        {"", "0", 0},
        {" 1.0 ", "1", 0},
        {"007", "7", 0},
        {"99999999999999999999999", "99999999999999999999998", 1},
        {"1.0.0.1", "1.0.0", 1},
        {"1.a.1", "1.a", 1},
        {"1.a", "1", -1},
    };
    (void)state;
    vt_check_pairs(ECO, pairs, sizeof(pairs) / sizeof(pairs[0]));
}

static void test_version_gem_ranges(void **state)
{
    static const struct vt_sat sats[] = {
        /* operators = != > < >= <= ~> (Gem::Requirement::OPS); a bare version means = */
        {"1.0", "= 1.0", 1},
        {"1.0.0", "1.0", 1},
        {"1.0", "!= 1.0", 0},
        {"1.1", "> 1.0", 1},
        {"1.0", "< 1.0", 0},
        {"1.0", ">= 1.0", 1},
        {"1.0", "<= 1.0", 1},
        {"1.0.a", "< 1.0", 1},
        /* guides: ~> 2.2 is >= 2.2, < 3.0; ~> 2.2.0 is >= 2.2.0, < 2.3.0 */
        {"2.2", "~> 2.2", 1},
        {"2.9.9", "~> 2.2", 1},
        {"3.0", "~> 2.2", 0},
        {"2.1", "~> 2.2", 0},
        {"2.2.5", "~> 2.2.0", 1},
        {"2.3.0", "~> 2.2.0", 0},
        {"2.3.a", "~> 2.2.0", 0},
        {"3.0.a", "~> 2.2", 0},
        {"2.9.a", "~> 2.2", 1},
        {"9", "~> 9", 1},
        {"10", "~> 9", 0},
        {"10.0", "~> 9.9", 0},
        {"99.5", "~> 99.1", 1},
        {"100.0", "~> 99.1", 0},
        {"9.10", "~> 9.9.9", 0},
        {"9.9.10", "~> 9.9.9", 1},
        {"10.0", "~> 9.9.9", 0},
        {"1.0.0", "~> 1.0.0.a", 1},
        /* comma: every requirement holds */
        {"1.5", ">= 1.0, < 2.0", 1},
        {"2.0", ">= 1.0, < 2.0", 0},
        {"1.5", "~> 1.2, != 1.5", 0},
        {"1.0", "=> 1.0", FTH_EINVALID},
        {"1.0", "", FTH_EINVALID},
        {"1.0", ">= 1.0,", FTH_EINVALID},
        {"1.0", ">= junk", FTH_EINVALID},
        {"1.0", "~>", FTH_EINVALID},
    };
    (void)state;
    vt_check_sats(ECO, sats, sizeof(sats) / sizeof(sats[0]));
}

static void test_version_gem_validity(void **state)
{
    static const char *const ok[] = {"1", "1.0", "1.0.a", "1.0-beta", "1.2.3-x-y.z",
                                     "",  "  ",  " 1.0 ", "1.0\n"};
    static const char *const bad[] = {"junk", "1.0-",     "1..0",  ".1", "1.0 junk",
                                      "a.1",  "1.0+meta", "1.0_1", "-1"};
    (void)state;
    vt_check_validity(ECO, ok, sizeof(ok) / sizeof(ok[0]), bad, sizeof(bad) / sizeof(bad[0]));
    vt_check_huge(ECO, "1.a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_gem_order),
        cmocka_unit_test(test_version_gem_ranges),
        cmocka_unit_test(test_version_gem_validity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
