/*
 * crates.io versions and Cargo requirements. Cases from the Cargo book's "Specifying
 * Dependencies" (caret, tilde, wildcard, comparison and multiple requirements tables) and
 * from the semver crate's documentation of VersionReq (prereleases match only a comparator
 * with a prerelease on the same major.minor.patch).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fathom/version.h"

static int sat(const char *v, const char *req)
{
    int out = -1;
    struct fth_error err;

    fth_error_clear(&err);
    if (fth_version_satisfies(&out, FTH_ECO_CRATES, v, req, 0, &err) < 0)
        return -1;
    return out;
}

static void test_version_cargo_valid(void **state)
{
    int c = 9;

    (void)state;
    assert_true(fth_version_valid(FTH_ECO_CRATES, "1.2.3", 0));
    assert_true(fth_version_valid(FTH_ECO_CRATES, "1.2.3-alpha.1+build.5", 0));
    assert_true(fth_version_valid(FTH_ECO_CRATES, "18446744073709551615.0.0", 0));
    assert_false(fth_version_valid(FTH_ECO_CRATES, "18446744073709551616.0.0", 0));
    assert_false(fth_version_valid(FTH_ECO_CRATES, "v1.2.3", 0));
    assert_false(fth_version_valid(FTH_ECO_CRATES, "1.2", 0));
    assert_false(fth_version_valid(FTH_ECO_CRATES, "01.2.3", 0));
    assert_false(fth_version_valid(FTH_ECO_CRATES, "1.2.3-01", 0));
    assert_false(fth_version_valid(FTH_ECO_CRATES, " 1.2.3", 0));
    assert_int_equal(
        fth_version_compare(&c, FTH_ECO_CRATES, "1.0.0-alpha", "1.0.0-alpha.1", 0, NULL), 0);
    assert_int_equal(c, -1);
    assert_int_equal(fth_version_compare(&c, FTH_ECO_CRATES, "1.0.0+a", "1.0.0+b", 0, NULL), 0);
    assert_int_equal(c, 0);
}

/* The Cargo book's tables: each requirement and the versions at its edges. */
static void test_version_cargo_book(void **state)
{
    (void)state;
    /* caret: ^1.2.3 := >=1.2.3, <2.0.0 ... ^0.0 := >=0.0.0, <0.1.0; ^0 := >=0.0.0, <1.0.0 */
    assert_int_equal(sat("1.2.3", "1.2.3"), 1);
    assert_int_equal(sat("1.9.0", "^1.2.3"), 1);
    assert_int_equal(sat("2.0.0", "^1.2.3"), 0);
    assert_int_equal(sat("1.2.2", "^1.2.3"), 0);
    assert_int_equal(sat("1.9.0", "^1.2"), 1);
    assert_int_equal(sat("1.9.0", "^1"), 1);
    assert_int_equal(sat("0.2.9", "^0.2.3"), 1);
    assert_int_equal(sat("0.3.0", "^0.2.3"), 0);
    assert_int_equal(sat("0.2.0", "^0.2"), 1);
    assert_int_equal(sat("0.3.0", "^0.2"), 0);
    assert_int_equal(sat("0.0.3", "^0.0.3"), 1);
    assert_int_equal(sat("0.0.4", "^0.0.3"), 0);
    assert_int_equal(sat("0.0.9", "^0.0"), 1);
    assert_int_equal(sat("0.1.0", "^0.0"), 0);
    assert_int_equal(sat("0.9.0", "^0"), 1);
    assert_int_equal(sat("1.0.0", "^0"), 0);
    /* tilde: ~1.2.3 := >=1.2.3, <1.3.0; ~1.2 := >=1.2.0, <1.3.0; ~1 := >=1.0.0, <2.0.0 */
    assert_int_equal(sat("1.2.9", "~1.2.3"), 1);
    assert_int_equal(sat("1.3.0", "~1.2.3"), 0);
    assert_int_equal(sat("1.2.0", "~1.2"), 1);
    assert_int_equal(sat("1.3.0", "~1.2"), 0);
    assert_int_equal(sat("1.9.0", "~1"), 1);
    assert_int_equal(sat("2.0.0", "~1"), 0);
    /* wildcard: * := >=0.0.0; 1.* := >=1.0.0, <2.0.0; 1.2.* := >=1.2.0, <1.3.0 */
    assert_int_equal(sat("7.0.0", "*"), 1);
    assert_int_equal(sat("1.9.9", "1.*"), 1);
    assert_int_equal(sat("2.0.0", "1.*"), 0);
    assert_int_equal(sat("1.2.9", "1.2.*"), 1);
    assert_int_equal(sat("1.3.0", "1.2.*"), 0);
    assert_int_equal(sat("1.3.0", "1.2.x"), 0);
    /* comparisons and several requirements */
    assert_int_equal(sat("1.2.0", ">= 1.2.0"), 1);
    assert_int_equal(sat("1.9.0", "> 1"), 0);
    assert_int_equal(sat("2.0.0", "> 1"), 1);
    assert_int_equal(sat("1.0.9", "< 1.1"), 1);
    assert_int_equal(sat("1.1.0", "< 1.1"), 0);
    assert_int_equal(sat("1.2.3", "= 1.2.3"), 1);
    assert_int_equal(sat("1.2.4", "=1.2"), 1);
    assert_int_equal(sat("1.4.0", ">= 1.2, < 1.5"), 1);
    assert_int_equal(sat("1.5.0", ">= 1.2, < 1.5"), 0);
}

/* semver's prerelease rule */
static void test_version_cargo_prerelease(void **state)
{
    (void)state;
    assert_int_equal(sat("1.2.3-alpha.2", ">=1.2.3-alpha.1"), 1);
    assert_int_equal(sat("1.2.4-alpha.2", ">=1.2.3-alpha.1"), 0);
    assert_int_equal(sat("1.2.3-alpha.2", "^1.2.3-alpha.1"), 1);
    assert_int_equal(sat("1.2.3", "^1.2.3-alpha.1"), 1);
    assert_int_equal(sat("1.2.3-beta", "^1.2.3"), 0);
    assert_int_equal(sat("2.0.0-rc.1", "<2.0.0"), 0);
    assert_int_equal(sat("1.0.0-rc.1", "*"), 0);
    assert_int_equal(sat("1.0.0-rc.1", ">=1.0.0-rc.0, <2"), 1);
}

static void test_version_cargo_invalid(void **state)
{
    char big[5000];

    (void)state;
    assert_int_equal(sat("1.2.3", ""), -1);
    assert_int_equal(sat("1.2.3", "1.2.3 - 2"), -1);
    assert_int_equal(sat("1.2.3", "1 || 2"), -1);
    assert_int_equal(sat("1.2.3", ">=01.2"), -1);
    assert_int_equal(sat("1.2.3", "1.*.3"), -1);
    assert_int_equal(sat("1.2.3", "^1.2-pre"), -1);
    assert_int_equal(sat("1.2.3", "*, 1"), -1);
    assert_int_equal(sat("1.2.3", ">=1.2.3,"), -1);
    assert_int_equal(sat("1.2.3", "=>1"), -1);
    memset(big, 'a', sizeof(big));
    memcpy(big, "1.2.3-", 6);
    big[4000] = '\0';
    assert_int_equal(sat("1.2.3", big), 1);
    big[4000] = 'a';
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(sat("1.2.3", big), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_cargo_valid),
        cmocka_unit_test(test_version_cargo_book),
        cmocka_unit_test(test_version_cargo_prerelease),
        cmocka_unit_test(test_version_cargo_invalid),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
