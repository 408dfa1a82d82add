/*
 * Alpine versions against apk-tools 2.14.4's own vectors (every line of
 * apk.apk-tools-2.14.4.jsonl, both ways round), the five 3.x vectors we deliberately answer as
 * 2.14.4 does, validity (apk.apk-tools.validity.jsonl), fuzzy matching
 * (apk.apk-tools.fuzzy.jsonl), long versions and relation lists.
 *
 * Some vectors use versions apk itself calls invalid ("23_foo"): the public API refuses them,
 * so those lines check the ordering through version_apk_ops directly.
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

static size_t through_api, through_ops;

/* The public API when both are valid (and its refusal otherwise), else the operation itself. */
static int cmp_of(const char *a, const char *b)
{
    struct fth_error err;
    int cmp = 99, r;

    r = fth_version_compare(&cmp, FTH_ECO_ALPINE, a, b, 0, &err);
    if (fth_version_valid(FTH_ECO_ALPINE, a, 0) && fth_version_valid(FTH_ECO_ALPINE, b, 0)) {
        if (r < 0)
            fail_msg("compare('%s', '%s'): %s", a, b, err.message);
        through_api++;
        return cmp;
    }
    assert_int_equal(r, FTH_EINVALID);
    through_ops++;
    return version_apk_ops.compare(a, b, 0);
}

static void check_pair(json_t *j, size_t lineno)
{
    const char *a = json_string_value(json_object_get(j, "a"));
    const char *b = json_string_value(json_object_get(j, "b"));
    int w = (int)json_integer_value(json_object_get(j, "cmp"));
    int got = cmp_of(a, b), back = cmp_of(b, a);

    if (got != w || back != -w)
        fail_msg("line %zu: compare('%s', '%s') = %d (reverse %d), want %d", lineno, a, b, got,
                 back, w);
}

static void test_version_apk_2_14_4_pairs(void **state)
{
    (void)state;
    through_api = through_ops = 0;
    assert_int_equal(vt_each_line("apk.apk-tools-2.14.4.jsonl", check_pair), 733);
    print_message("apk 2.14.4 vectors: %zu comparisons through the API, %zu through the "
                  "operation (invalid versions)\n",
                  through_api, through_ops);
    assert_true(through_api > 1000);
}

/* apk-tools 3.x answers these differently; Alpine 3.20's apk 2.14.4 answers as here. */
static void test_version_apk_3x_deviations(void **state)
{
    (void)state;
    assert_int_equal(cmp_of("8.2.0", "8.2.001"), 1);
    assert_int_equal(cmp_of("8.2.0015", "8.2.002"), 1);
    assert_int_equal(cmp_of("1.0~1234", "1.0~2345"), 0);
    assert_int_equal(cmp_of("1.0~1234-r1", "1.0~2345-r0"), 0);
    assert_int_equal(cmp_of("1.0~1234-r1", "1.0~1234-r0"), 0);
}

static void check_valid(json_t *j, size_t lineno)
{
    const char *v = json_string_value(json_object_get(j, "version"));
    int want = json_is_true(json_object_get(j, "valid"));

    if (fth_version_valid(FTH_ECO_ALPINE, v, 0) != want)
        fail_msg("line %zu: valid('%s') != %d", lineno, v, want);
}

static void test_version_apk_validity(void **state)
{
    static const char *const good[] = {"0",      "1.2.3a_rc1_p2-r10", "20240101", "1.0_git",
                                       "1~0-r0", "1.0_cvs_svn_hg"};
    static const char *const bad[] = {"1.0A",    "1.0-r1a", "1.0 ",   "1..0", "1.0.",
                                      "1_post1", "1~ABC",   "1.0-R1", "1-1"};
    size_t i;

    (void)state;
    assert_int_equal(vt_each_line("apk.apk-tools.validity.jsonl", check_valid), 31);
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!fth_version_valid(FTH_ECO_ALPINE, good[i], 0))
            fail_msg("'%s' should be valid", good[i]);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (fth_version_valid(FTH_ECO_ALPINE, bad[i], 0))
            fail_msg("'%s' should not be valid", bad[i]);
}

static void check_fuzzy(json_t *j, size_t lineno)
{
    const char *a = json_string_value(json_object_get(j, "a"));
    const char *op = json_string_value(json_object_get(j, "op"));
    const char *b = json_string_value(json_object_get(j, "b"));
    char range[300];
    struct fth_error err;
    int out = 7, r;

    snprintf(range, sizeof(range), "%s %s", op, b);
    r = fth_version_satisfies(&out, FTH_ECO_ALPINE, a, range, 0, &err);
    if (fth_version_valid(FTH_ECO_ALPINE, a, 0)) {
        if (r < 0)
            fail_msg("line %zu: satisfies('%s', '%s'): %s", lineno, a, range, err.message);
    } else {
        assert_int_equal(r, FTH_EINVALID);
        out = version_apk_ops.satisfies(a, range, 0, &err);
    }
    if (out != 1)
        fail_msg("line %zu: '%s' %s '%s' does not hold (%d)", lineno, a, op, b, out);
}

static void test_version_apk_fuzzy(void **state)
{
    (void)state;
    assert_int_equal(vt_each_line("apk.apk-tools.fuzzy.jsonl", check_fuzzy), 16);
}

static void test_version_apk_long(void **state)
{
    char a[FTH_LIMIT_VERSION_LEN + 2], b[FTH_LIMIT_VERSION_LEN + 2];
    struct fth_error err;
    size_t i;
    int cmp;

    (void)state;
    for (i = 0; i < FTH_LIMIT_VERSION_LEN; i++)
        a[i] = i % 2 ? '.' : '1';
    a[FTH_LIMIT_VERSION_LEN - 1] = '2';
    a[FTH_LIMIT_VERSION_LEN] = '\0';
    memcpy(b, a, sizeof(a));
    b[FTH_LIMIT_VERSION_LEN - 1] = '3';
    assert_true(fth_version_valid(FTH_ECO_ALPINE, a, 0));
    assert_int_equal(cmp_of(a, b), -1);
    assert_int_equal(cmp_of(b, a), 1);
    assert_int_equal(cmp_of(a, a), 0);
    /* Numbers longer than any integer compare by value. */
    memset(a, '9', FTH_LIMIT_VERSION_LEN);
    memset(b, '9', FTH_LIMIT_VERSION_LEN);
    b[0] = '1';
    assert_int_equal(cmp_of(a, b), 1);
    a[FTH_LIMIT_VERSION_LEN] = '9';
    a[FTH_LIMIT_VERSION_LEN + 1] = '\0';
    assert_false(fth_version_valid(FTH_ECO_ALPINE, a, 0));
    assert_int_equal(fth_version_compare(&cmp, FTH_ECO_ALPINE, a, b, 0, &err), FTH_EINVALID);
}

static int sat(const char *v, const char *range)
{
    struct fth_error err;
    int out = 7;

    if (fth_version_satisfies(&out, FTH_ECO_ALPINE, v, range, 0, &err) < 0)
        fail_msg("satisfies('%s', '%s'): %s", v, range, err.message);
    return out;
}

static void test_version_apk_satisfies(void **state)
{
    struct fth_error err;
    int out;

    (void)state;
    assert_int_equal(sat("1.2.3-r0", ">= 1.2, < 1.3"), 1);
    assert_int_equal(sat("1.3_rc1", "< 1.3"), 1);
    assert_int_equal(sat("1.3_p1", "> 1.3"), 1);
    assert_int_equal(sat("1.3-r1", "<= 1.3"), 0);
    assert_int_equal(sat("1.3", "= 1.3"), 1);
    assert_int_equal(sat("1.3", "!= 1.3-r0"), 1); /* apk: 1.3 < 1.3-r0 */
    assert_int_equal(sat("1.3-r0", "!= 1.3-r0"), 0);
    assert_int_equal(sat("1.36.1-r29", "~1.36"), 1);
    assert_int_equal(sat("1.36.1-r29", "~ 1.36.1"), 1);
    assert_int_equal(sat("1.36.1-r29", "~1.3"), 0);
    assert_int_equal(sat("1.36", "~1.36.1"), 0);
    assert_int_equal(sat("1.36.1", "=~1.36"), 1);
    assert_int_equal(sat("1.35.9", "<~1.36"), 1);
    assert_int_equal(sat("1.36.9", "<~1.36"), 1);
    assert_int_equal(sat("1.37", "<~1.36"), 0);
    assert_int_equal(sat("1.36.0", ">~1.36, !~1.36.1"), 1);
    assert_int_equal(sat("1.36.1", ">~1.36, !~1.36.1"), 0);
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_ALPINE, "1.0", "~ 1.0a1", 0, &err),
                     FTH_EINVALID);
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_ALPINE, "1.0", "~~ 1.0", 0, &err),
                     FTH_EINVALID);
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_ALPINE, "1.0", "> 1.x", 0, &err),
                     FTH_EINVALID);
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_ALPINE, "1.0", "<", 0, &err),
                     FTH_EINVALID);
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_ALPINE, "x", "< 1", 0, &err),
                     FTH_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_apk_2_14_4_pairs),
        cmocka_unit_test(test_version_apk_3x_deviations),
        cmocka_unit_test(test_version_apk_validity),
        cmocka_unit_test(test_version_apk_fuzzy),
        cmocka_unit_test(test_version_apk_long),
        cmocka_unit_test(test_version_apk_satisfies),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
