/*
 * Hex versions and requirements, with cases from Elixir's Version documentation
 * (https://hexdocs.pm/elixir/Version.html: the ~> translation table, "and"/"or", pre-releases
 * and allow_pre, ">= 1.11" refused because only ~> takes a version without its patch).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fathom/version.h"

static int sat(const char *v, const char *req, unsigned flags)
{
    int out = -1;

    if (fth_version_satisfies(&out, FTH_ECO_HEX, v, req, flags, NULL) < 0)
        return -1;
    return out;
}

static void test_version_hex_valid(void **state)
{
    int c = 9;

    (void)state;
    assert_true(fth_version_valid(FTH_ECO_HEX, "1.0.0-alpha.3+20130417140000.amd64", 0));
    assert_false(fth_version_valid(FTH_ECO_HEX, "1.0", 0));
    assert_false(fth_version_valid(FTH_ECO_HEX, "v1.0.0", 0));
    assert_false(fth_version_valid(FTH_ECO_HEX, "1.0.0-", 0));
    assert_int_equal(fth_version_compare(&c, FTH_ECO_HEX, "2.0.0-rc.1", "2.0.0", 0, NULL), 0);
    assert_int_equal(c, -1);
    assert_int_equal(fth_version_compare(&c, FTH_ECO_HEX, "1.0.0+a", "1.0.0", 0, NULL), 0);
    assert_int_equal(c, 0);
}

/* The ~> table: ~> 2.0.0 | >= 2.0.0 and < 2.1.0; ~> 2.1.2 | ...; ~> 2.0 | >= 2.0.0 and < 3.0.0 */
static void test_version_hex_pessimistic(void **state)
{
    (void)state;
    assert_int_equal(sat("2.0.9", "~> 2.0.0", 0), 1);
    assert_int_equal(sat("2.1.0", "~> 2.0.0", 0), 0);
    assert_int_equal(sat("2.1.2", "~> 2.1.2", 0), 1);
    assert_int_equal(sat("2.1.1", "~> 2.1.2", 0), 0);
    assert_int_equal(sat("2.2.0", "~> 2.1.2", 0), 0);
    assert_int_equal(sat("2.9.0", "~> 2.0", 0), 1);
    assert_int_equal(sat("3.0.0", "~> 2.0", 0), 0);
    assert_int_equal(sat("2.1.0", "~> 2.1", 0), 1);
    assert_int_equal(sat("2.0.9", "~> 2.1", 0), 0);
    assert_int_equal(sat("2.1.3-dev", "~> 2.1.3-dev", 0), 1);
    assert_int_equal(sat("2.1.3", "~> 2.1.3-dev", 0), 1);
    assert_int_equal(sat("2.2.0", "~> 2.1.3-dev", 0), 0);
    assert_int_equal(sat("2.1.0-dev", "~> 2.1-dev", 0), 1);
    assert_int_equal(sat("2.9.0", "~> 2.1-dev", 0), 1);
    assert_int_equal(sat("3.0.0", "~> 2.1-dev", 0), 0);
    /* never a prerelease of the upper bound, even with allow_pre */
    assert_int_equal(sat("3.0.0-rc.1", "~> 2.0", FTH_VERSION_INCLUDE_PRERELEASE), 0);
    assert_int_equal(sat("1.11.0-rc1", "~> 1.11", FTH_VERSION_INCLUDE_PRERELEASE), 0);
    assert_int_equal(sat("1.11.0-rc1", "~> 1.11-0", 0), 1);
    assert_int_equal(sat("1.12.0", "~> 1.11-0", 0), 1);
    assert_int_equal(sat("9.5.0", "~>9.0", 0), 1);
}

static void test_version_hex_operators(void **state)
{
    (void)state;
    assert_int_equal(sat("2.0.0", "== 2.0.0", 0), 1);
    assert_int_equal(sat("2.0.0", "2.0.0", 0), 1);
    assert_int_equal(sat("2.0.1", "== 2.0.0", 0), 0);
    assert_int_equal(sat("2.0.1", "> 2.0.0", 0), 1);
    assert_int_equal(sat("2.0.1", "!= 2.0.0", 0), 1);
    assert_int_equal(sat("2.0.5", ">= 2.0.0 and < 2.1.0", 0), 1);
    assert_int_equal(sat("2.1.0", ">= 2.0.0 and < 2.1.0", 0), 0);
    assert_int_equal(sat("3.0.0", "~> 1.0 or ~> 3.0", 0), 1);
    assert_int_equal(sat("2.0.0", "~> 1.0 or ~> 3.0", 0), 0);
    assert_int_equal(sat("1.5.0", ">= 1.0.0 and < 2.0.0 or >= 3.0.0", 0), 1);
    assert_int_equal(sat("2.5.0", ">= 1.0.0 and < 2.0.0 or >= 3.0.0", 0), 0);
    assert_int_equal(sat("3.5.0", ">= 1.0.0 and < 2.0.0 or >= 3.0.0", 0), 1);
    /* pre-releases only with a pre-release operand, unless allow_pre */
    assert_int_equal(sat("1.11.0-rc1", ">= 1.11.0-0", 0), 1);
    assert_int_equal(sat("1.12.0-rc1", ">= 1.11.0", 0), 0);
    assert_int_equal(sat("1.12.0-rc1", ">= 1.11.0", FTH_VERSION_INCLUDE_PRERELEASE), 1);
    assert_int_equal(sat("1.11.0-rc1", ">= 1.11.0", FTH_VERSION_INCLUDE_PRERELEASE), 0);
    assert_int_equal(sat("2.1.0-dev", "~> 2.0", 0), 0);
    assert_int_equal(sat("2.1.0-dev", "~> 2.0", FTH_VERSION_INCLUDE_PRERELEASE), 1);
}

static void test_version_hex_invalid(void **state)
{
    char big[5000];

    (void)state;
    assert_int_equal(sat("1.0.0", ">= 1.11", 0), -1);
    assert_int_equal(sat("1.0.0", "", 0), -1);
    assert_int_equal(sat("1.0.0", "and", 0), -1);
    assert_int_equal(sat("1.0.0", "== 1.0.0 and", 0), -1);
    assert_int_equal(sat("1.0.0", "== 1.0.0 1.0.0", 0), -1);
    assert_int_equal(sat("1.0.0", "=> 1.0.0", 0), -1);
    assert_int_equal(sat("1.0.0", "~> 1", 0), -1);
    assert_int_equal(sat("1.0.0", "~>", 0), -1);
    memset(big, '9', sizeof(big));
    memcpy(big, "~> 1.", 5);
    big[4000] = '\0';
    assert_int_equal(sat("1.0.0", big, 0), 0);
    big[4000] = '9';
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(sat("1.0.0", big, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_hex_valid),
        cmocka_unit_test(test_version_hex_pessimistic),
        cmocka_unit_test(test_version_hex_operators),
        cmocka_unit_test(test_version_hex_invalid),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
