/*
 * Debian versions against dpkg's own vectors (every line of deb.dpkg.jsonl, both ways round),
 * dpkg's parser refusals, long versions and relation lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "fathom/version.h"
#include "version/version_int.h"
#include "base/limits.h"
#include "unit/version/version_check.h"

static int cmp_of(const char *a, const char *b)
{
    return vt_cmp(FTH_ECO_DEBIAN, a, b);
}

static void check_pair(json_t *j, size_t lineno)
{
    vt_check_line(j, lineno, cmp_of);
}

static void test_version_deb_dpkg_pairs(void **state)
{
    (void)state;
    assert_int_equal(vt_each_line("deb.dpkg.jsonl", check_pair), 54);
}

static void test_version_deb_validity(void **state)
{
    static const char *const good[] = {
        "0",    "1.0",        "1:1.0-1", "0:0",    "2147483647:1", "+1:1",
        "-0:1", "00:1",       " \t1.0",  "1.0 \t", "1:2:3",        "1-2-3",
        "a-0",  "1.0-1~bpo1", "~1",      "0-a",    "1.0-a.b+c~d",  "1:1.0-1-2",
    };
    static const char *const bad[] = {
        "",
        " ",
        "\t",
        "1.0 1",
        "1. 0",
        ":1",
        "a:1",
        "1a:1",
        "-1:1",
        "+:1",
        "1:",
        "1: ",
        "1.0-",
        "-1",
        "1:-1",
        "2147483648:1",
        "99999999999999999999:1",
        "-",
        "1:1.0-",
        "1.0 \n",
        "1.0-1 -",
        "1.0_foo",
        "1.0!",
        "x!y",
        "<unknown>",
        "1\x80",
        "1.0\n",
        "\n1.0",
        "1.0-1:2",
        "1.0-a_b",
        "!1",
    };
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!fth_version_valid(FTH_ECO_DEBIAN, good[i], 0))
            fail_msg("'%s' should be valid", good[i]);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (fth_version_valid(FTH_ECO_DEBIAN, bad[i], 0))
            fail_msg("'%s' should not be valid", bad[i]);
}

static void test_version_deb_invalid_compare(void **state)
{
    struct fth_error err;
    int cmp = 5;

    (void)state;
    assert_int_equal(fth_version_compare(&cmp, FTH_ECO_DEBIAN, "1.0", "1.0 2", 0, &err),
                     FTH_EINVALID);
    assert_int_equal(cmp, 0);
    assert_non_null(strstr(err.message, "1.0 2"));
    assert_int_equal(fth_version_compare(&cmp, FTH_ECO_DEBIAN, "x:1", "1", 0, &err), FTH_EINVALID);
    /* The operation itself stays total on what it was not meant to see. */
    assert_int_equal(version_deb_ops.compare("x:1", "x:1", 0), 0);
    assert_int_equal(version_deb_ops.compare("", "1", 0), -1);
}

/* Cases beyond the upstream vectors: epochs, '~', letters against punctuation, revisions. */
static void test_version_deb_order(void **state)
{
    static const char *const sorted[] = {
        "0~~", "0~~a",   "0~",   "0",      "0-0.1", "0-1",   "0.0.0", "0.1~rc1",
        "0.1", "0.1-1",  "0.1a", "0.1+",   "0.1.0", "0.1.1", "0.9",   "0.10",
        "1.0", "1.0+b1", "1:0",  "1:0.1~", "1:0.1", "2:0",   "10:0",  "2147483647:0",
    };
    size_t i, j, n = sizeof(sorted) / sizeof(sorted[0]);

    (void)state;
    for (i = 0; i < n; i++) {
        for (j = 0; j < n; j++) {
            int want = i < j ? -1 : i > j, got = cmp_of(sorted[i], sorted[j]);

            if (got != want)
                fail_msg("compare('%s', '%s') = %d, want %d", sorted[i], sorted[j], got, want);
        }
    }
    assert_int_equal(cmp_of("1.0", "1.00"), 0);
    assert_int_equal(cmp_of("0:1.0-0", "1.0"), 0);
    assert_int_equal(cmp_of(" 1.0\t", "1.0"), 0);
    assert_int_equal(cmp_of("+1:0", "1:0"), 0);
    assert_int_equal(cmp_of("1.0a", "1.0A"), 1);
    assert_int_equal(cmp_of("1.0-1", "1.0-1.0"), -1);
    assert_int_equal(cmp_of("1.0-1a", "1.0-1+"), -1);
    /* Long digit runs compare by value, without overflowing. */
    assert_int_equal(cmp_of("123456789012345678901234567890", "123456789012345678901234567891"),
                     -1);
    assert_int_equal(cmp_of("0000000000000000000000000001", "1"), 0);
}

static void test_version_deb_long(void **state)
{
    char a[FTH_LIMIT_VERSION_LEN + 2], b[FTH_LIMIT_VERSION_LEN + 2];
    struct fth_error err;
    int cmp;

    (void)state;
    memset(a, '1', FTH_LIMIT_VERSION_LEN);
    a[FTH_LIMIT_VERSION_LEN] = '\0';
    memcpy(b, a, sizeof(a));
    b[FTH_LIMIT_VERSION_LEN - 1] = '2';
    assert_true(fth_version_valid(FTH_ECO_DEBIAN, a, 0));
    assert_int_equal(cmp_of(a, b), -1);
    assert_int_equal(cmp_of(b, a), 1);
    assert_int_equal(cmp_of(a, a), 0);
    a[FTH_LIMIT_VERSION_LEN] = '1';
    a[FTH_LIMIT_VERSION_LEN + 1] = '\0';
    assert_false(fth_version_valid(FTH_ECO_DEBIAN, a, 0));
    assert_int_equal(fth_version_compare(&cmp, FTH_ECO_DEBIAN, a, b, 0, &err), FTH_EINVALID);
    assert_non_null(strstr(err.message, "limit"));
}

static int sat(const char *v, const char *range)
{
    struct fth_error err;
    int out = 7;

    if (fth_version_satisfies(&out, FTH_ECO_DEBIAN, v, range, 0, &err) < 0)
        fail_msg("satisfies('%s', '%s'): %s", v, range, err.message);
    return out;
}

static void test_version_deb_satisfies(void **state)
{
    struct fth_error err;
    int out;

    (void)state;
    assert_int_equal(sat("1.2-1", ">= 1.2, << 2.0"), 1);
    assert_int_equal(sat("2.0~rc1", "<< 2.0"), 1);
    assert_int_equal(sat("2.0", "<< 2.0"), 0);
    assert_int_equal(sat("1:0.5", ">> 2.0"), 1);
    assert_int_equal(sat("1.0", "= 1.0-0"), 1);
    assert_int_equal(sat("1.0", "!= 1.0-1"), 1);
    assert_int_equal(sat("1.0-1", "<= 1.0-1 >= 0.9"), 1);
    assert_int_equal(sat("1.0-1", "< 1.0-1"), 0);
    assert_int_equal(sat("1.0", "1.0"), 1);
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_DEBIAN, "1.0", ">= 1:", 0, &err),
                     FTH_EINVALID);
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_DEBIAN, "1.0", "=> 1.0", 0, &err),
                     FTH_EINVALID);
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_DEBIAN, "1.0", "", 0, &err), FTH_EINVALID);
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_DEBIAN, "1.0 x", ">= 1", 0, &err),
                     FTH_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_deb_dpkg_pairs),
        cmocka_unit_test(test_version_deb_validity),
        cmocka_unit_test(test_version_deb_invalid_compare),
        cmocka_unit_test(test_version_deb_order),
        cmocka_unit_test(test_version_deb_long),
        cmocka_unit_test(test_version_deb_satisfies),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
