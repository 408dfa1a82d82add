/*
 * Packagist: Composer versions and constraints, with cases from Composer's documentation
 * ("Versions and constraints") and the normalisations composer/semver's VersionParser documents.
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

#define ECO FTH_ECO_PACKAGIST

static void test_version_composer_order(void **state)
{
    static const struct vt_pair pairs[] = {
        /* normalisation: v prefix, four numbers, stability spellings */
        {"v1.0.0", "1.0.0.0", 0},
        {"1", "1.0.0.0", 0},
        {"1.0.0RC1dev", "1.0.0-RC1-dev", 0},
        {"1.0.0.RC.15-dev", "1.0.0-rc15-dev", 0},
        {"1.0.0.pl3-dev", "1.0.0-patch3-dev", 0},
        {"10.4.13beta.2", "10.4.13-beta2", 0},
        {"10.4.13-b5", "10.4.13-beta5", 0},
        {"1.0.0-beta.5+foo", "1.0.0-beta5", 0},
        {"1.0.0+foo", "1.0.0", 0},
        {"1.0.0@dev", "1.0.0", 0},
        {"1.0.0 as 2.0.0", "1.0.0", 0},
        /* stabilities: dev < alpha < beta < RC < stable < patch */
        {"1.0.0-dev", "1.0.0-alpha", -1},
        {"1.0.0-alpha1", "1.0.0-beta1", -1},
        {"1.0.0-beta2", "1.0.0-RC1", -1},
        {"1.0.0-RC1", "1.0.0", -1},
        {"1.0.0", "1.0.0-patch1", -1},
        {"1.0.0-a", "1.0.0-alpha", 0},
        {"1.0.0-p1", "1.0.0-pl1", 0},
        {"1.0-beta.1", "1.0-beta1", 0},
        {"1.0.0-beta2", "1.0.0-beta10", -1},
        {"1.0.1", "1.0.0", 1},
        {"1.10", "1.9", 1},
        /* dates and branches */
        /* a date keeps its own parts: 2010.01.02 against the classical 2010.01.02.0 */
        {"2010-01-02", "2010.01.02", -1},
        {"20100102-203040", "20100102.203040", 0},
        {"1.x-dev", "2.0", -1},
        {"1.x-dev", "1.5.0", 1},
        {"dev-master", "master", 0},
        {"dev-main", "dev-main", 0},
        {"dev-a", "dev-b", -1},
    };
    (void)state;
    vt_check_pairs(ECO, pairs, sizeof(pairs) / sizeof(pairs[0]));
}

static void test_version_composer_ranges(void **state)
{
    static const struct vt_sat sats[] = {
        /* docs "Versions and constraints" */
        {"1.0.2", "1.0.2", 1},
        {"1.0.3", "1.0.2", 0},
        {"1.0.2", "=1.0.2", 1},
        {"1.0.2", "==1.0.2", 1},
        {"1.5", ">=1.0", 1},
        {"1.0-beta", ">=1.0", 1},
        {"0.9", ">=1.0", 0},
        {"1.5", ">=1.0 <2.0", 1},
        {"2.0", ">=1.0 <2.0", 0},
        {"2.0-beta", ">=1.0 <2.0", 0},
        {"1.5", ">=1.0,<2.0", 1},
        {"1.5", ">= 1.0, < 2.0", 1},
        {"1.0.5", ">=1.0 <1.1 || >=1.2", 1},
        {"1.1.5", ">=1.0 <1.1 || >=1.2", 0},
        {"1.3", ">=1.0 <1.1 || >=1.2", 1},
        {"1.3", ">=1.0 <1.1 | >=1.2", 1},
        {"1.5", "!=1.5", 0},
        {"1.6", "<>1.5", 1},
        {"1.0", ">1.0", 0},
        {"1.0", "<=1.0", 1},
        /* hyphen ranges: 1.0 - 2.0 is >=1.0.0 <2.1; 1.0.0 - 2.1.0 is >=1.0.0 <=2.1.0 */
        {"2.0.9", "1.0 - 2.0", 1},
        {"2.1", "1.0 - 2.0", 0},
        {"1.0-beta", "1.0 - 2.0", 1},
        {"2.1.0", "1.0.0 - 2.1.0", 1},
        {"2.1.1", "1.0.0 - 2.1.0", 0},
        /* wildcards: 1.0.* is >=1.0 <1.1 */
        {"1.0.9", "1.0.*", 1},
        {"1.1", "1.0.*", 0},
        {"1.0-dev", "1.0.*", 1},
        {"3.0", "*", 1},
        {"0.1", "0.*", 1},
        {"1.0", "0.*", 0},
        {"dev-main", "*", 1},
        {"1.2.3", "1.2.x", 1},
        /* tilde: ~1.2 is >=1.2 <2.0.0; ~1.2.3 is >=1.2.3 <1.3.0 */
        {"1.9", "~1.2", 1},
        {"2.0", "~1.2", 0},
        {"1.1", "~1.2", 0},
        {"1.2.9", "~1.2.3", 1},
        {"1.3.0", "~1.2.3", 0},
        {"1.2.3-beta", "~1.2.3", 1},
        {"2.5", "~2", 1},
        /* caret: ^1.2.3 is >=1.2.3 <2.0.0; ^0.3 is >=0.3.0 <0.4.0; ^0.0.3 is >=0.0.3 <0.0.4 */
        {"1.9.9", "^1.2.3", 1},
        {"2.0.0", "^1.2.3", 0},
        {"1.2.2", "^1.2.3", 0},
        {"0.3.9", "^0.3", 1},
        {"0.4.0", "^0.3", 0},
        {"0.0.3", "^0.0.3", 1},
        {"0.0.4", "^0.0.3", 0},
        /* branches only equal themselves; stability flags */
        {"dev-main", "dev-main", 1},
        {"dev-main", ">=1.0", 0},
        {"dev-main", "!=dev-other", 1},
        {"dev-main", "dev-main#abc123", 1},
        {"1.0.0-beta", ">=1.0.0@beta", 1},
        {"1.0.0-alpha", ">=1.0.0@beta", 0},
        /* malformed constraints */
        {"1.0", "", FTH_EINVALID},
        {"1.0", "~>1.0", FTH_EINVALID},
        {"1.0", ">=junk!", FTH_EINVALID},
        {"1.0", "||", FTH_EINVALID},
        {"1.0", ">=1.0 <", FTH_EINVALID},
        {"1.0", "^", FTH_EINVALID},
    };
    (void)state;
    vt_check_sats(ECO, sats, sizeof(sats) / sizeof(sats[0]));
}

static void test_version_composer_validity(void **state)
{
    static const char *const ok[] = {
        "1.0.0",  "v1.0",       "1.0.0-beta2", "1.0.0-RC1",    "1.0.x-dev", "dev-feature/foo",
        "master", "2010-01-02", "1.0.0+build", "1.0.0@stable", "1.2.3.4",   "1.0.0-"};
    static const char *const bad[] = {
        "", "junk", "1.0.0.0.0", "1.0.0-gamma", "1.0.0 2.0", "1.0.0-beta-gamma", "feature-dev"};
    (void)state;
    vt_check_validity(ECO, ok, sizeof(ok) / sizeof(ok[0]), bad, sizeof(bad) / sizeof(bad[0]));
    vt_check_huge(ECO, "1.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_composer_order),
        cmocka_unit_test(test_version_composer_ranges),
        cmocka_unit_test(test_version_composer_validity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
