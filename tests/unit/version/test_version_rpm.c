/*
 * RPM versions against rpm's own rpmvercmp vectors (every line of rpm.rpmvercmp.jsonl, both
 * ways round), the "oddities" rpm documents without running (run here: rpm 4.18 answers them
 * exactly so), full EVR comparison as rpm.vercmp() does it, validity, long versions, relations.
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
    return vt_cmp(FTH_ECO_RPM, a, b);
}

static void check_pair(json_t *j, size_t lineno)
{
    vt_check_line(j, lineno, cmp_of);
}

static void test_version_rpm_rpmvercmp(void **state)
{
    (void)state;
    assert_int_equal(vt_each_line("rpm.rpmvercmp.jsonl", check_pair), 91);
}

static void test_version_rpm_oddities(void **state)
{
    (void)state;
    assert_int_equal(vt_each_line("rpm.rpmvercmp.oddities-not-run.jsonl", check_pair), 12);
}

/* [epoch:]version[-release] as rpm.vercmp() splits and orders it (checked against rpm 4.18). */
static void test_version_rpm_evr(void **state)
{
    static const struct {
        const char *a, *b;
        int cmp;
    } cases[] = {
        {"1:1.0", "2.0", 1},
        {"0:1.0", "1.0", 0},
        {":1.0", "0:1.0", 0},
        {"00001:1", "1:1", 0},
        {"99999999999999999999999:1", "1:1", 1},
        {"1.0", "1.0-1", -1},
        {"1.0", "1.0-", -1},
        {"1.0-", "1.0-0", -1},
        {"1.0-1", "1.0-2", -1},
        {"1.0-1-2", "1.0-1", 1},
        {"1.0-1.el8", "1.0-1.el9", -1},
        {"2:1.0-1", "1:9.9-9", 1},
        {"a:1", "1", -1},
        {"1:", "1", 1},
        {"1.0-1:2", "1.0", 1},
        {"1.0^", "1.0", 1},
        {"1.0^1", "1.0.1", -1},
        {"1.0~rc1", "1.0", -1},
        {"1.0~rc1-5", "1.0-1", -1},
        {"1..0", "1.0", 0},
        {"-", "1", -1},
        {"1.0a", "1.0", 1},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int got = cmp_of(cases[i].a, cases[i].b), back = cmp_of(cases[i].b, cases[i].a);

        if (got != cases[i].cmp || back != -cases[i].cmp)
            fail_msg("compare('%s', '%s') = %d (reverse %d), want %d", cases[i].a, cases[i].b, got,
                     back, cases[i].cmp);
    }
}

static void test_version_rpm_validity(void **state)
{
    static const char *const good[] = {"1", "1.0-1",        "2:1.0-1.el9", "-",
                                       ":", "1.1.\xce\xb1", "1.0^git1",    "a+b_c"};
    static const char *const bad[] = {"", " ", "1.0 1", "1.0\t", "\x01", "1.0\x7f", "\n"};
    struct fth_error err;
    size_t i;
    int cmp;

    (void)state;
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!fth_version_valid(FTH_ECO_RPM, good[i], 0))
            fail_msg("'%s' should be valid", good[i]);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (fth_version_valid(FTH_ECO_RPM, bad[i], 0))
            fail_msg("'%s' should not be valid", bad[i]);
    assert_int_equal(fth_version_compare(&cmp, FTH_ECO_RPM, "1.0", "", 0, &err), FTH_EINVALID);
    assert_int_equal(fth_version_compare(&cmp, FTH_ECO_RPM, "1 0", "1", 0, &err), FTH_EINVALID);
}

static void test_version_rpm_long(void **state)
{
    char a[FTH_LIMIT_VERSION_LEN + 2], b[FTH_LIMIT_VERSION_LEN + 2];
    struct fth_error err;
    size_t i;
    int cmp;

    (void)state;
    for (i = 0; i < FTH_LIMIT_VERSION_LEN; i++)
        a[i] = i % 3 == 2 ? '.' : (i % 2 ? 'a' : '9');
    a[FTH_LIMIT_VERSION_LEN] = '\0';
    memcpy(b, a, sizeof(a));
    b[FTH_LIMIT_VERSION_LEN - 1] = '~';
    assert_int_equal(cmp_of(a, b), 1);
    assert_int_equal(cmp_of(b, a), -1);
    assert_int_equal(cmp_of(a, a), 0);
    memset(a, '7', FTH_LIMIT_VERSION_LEN);
    memset(b, '7', FTH_LIMIT_VERSION_LEN);
    b[0] = '8';
    assert_int_equal(cmp_of(a, b), -1);
    a[FTH_LIMIT_VERSION_LEN] = '7';
    a[FTH_LIMIT_VERSION_LEN + 1] = '\0';
    assert_int_equal(fth_version_compare(&cmp, FTH_ECO_RPM, a, b, 0, &err), FTH_EINVALID);
}

static int sat(const char *v, const char *range)
{
    struct fth_error err;
    int out = 7;

    if (fth_version_satisfies(&out, FTH_ECO_RPM, v, range, 0, &err) < 0)
        fail_msg("satisfies('%s', '%s'): %s", v, range, err.message);
    return out;
}

static void test_version_rpm_satisfies(void **state)
{
    struct fth_error err;
    int out;

    (void)state;
    assert_int_equal(sat("1.2-3.el9", ">= 1.2, < 1.3"), 1);
    assert_int_equal(sat("1:1.0", "< 2.0"), 0);
    assert_int_equal(sat("1.0~rc1", "< 1.0"), 1);
    assert_int_equal(sat("1.0^20240101", "> 1.0 < 1.0.1"), 1);
    assert_int_equal(sat("0:1.0-1", "= 1.0-1"), 1);
    assert_int_equal(sat("1.0-1", "!= 1.0-1"), 0);
    assert_int_equal(sat("1.0-1", "<= 1.0-1, >> 0.9"), 1);
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_RPM, "1.0", "~> 1.0", 0, &err),
                     FTH_EINVALID);
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_RPM, "1.0", ">=", 0, &err), FTH_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_rpm_rpmvercmp), cmocka_unit_test(test_version_rpm_oddities),
        cmocka_unit_test(test_version_rpm_evr),       cmocka_unit_test(test_version_rpm_validity),
        cmocka_unit_test(test_version_rpm_long),      cmocka_unit_test(test_version_rpm_satisfies),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
