/*
 * Go module versions. Cases from golang.org/x/mod/semver's documentation and its test table
 * (semver_test.go: "v1" and "v1.2" are shorthands, "v1.2.3+incompatible" is build metadata,
 * "1.2.3" without v is invalid) and from the Go modules reference
 * (https://go.dev/ref/mod#pseudo-versions: the three pseudo-version forms order as
 * prereleases, below the release they precede).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fathom/version.h"

static int cmp(const char *a, const char *b)
{
    int c = 9;

    assert_int_equal(fth_version_compare(&c, FTH_ECO_GO, a, b, 0, NULL), 0);
    return c;
}

static void test_version_go_valid(void **state)
{
    static const char *const good[] = {
        "v0.0.0",
        "v1",
        "v1.2",
        "v1.2.3",
        "v1.2.3-pre",
        "v1.2.3-pre.1",
        "v1.2.3+meta",
        "v1.2.3-pre+meta",
        "v2.0.0+incompatible",
        "v0.0.0-20191109021931-daa7c04131f5",
        "v1.2.4-0.20191109021931-daa7c04131f5",
        "v1.2.3-pre.0.20191109021931-daa7c04131f5",
        "v99999999999999999999999.0.0",
    };
    static const char *const bad[] = {
        "",         "v",           "1.2.3",  "v1.2.3.4",  "v01.2.3", "v1.02.3",
        "v1.2.03",  "v1.2-pre",    "v1-pre", "v1.2+meta", "v1.2.3-", "v1.2.3-01",
        "v1.2.3+",  "v1.2.3-a..b", "V1.2.3", " v1.2.3",   "v1.2.3 ", "v1.2.3-pre+meta+x",
        "v1.2.3-é",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_true(fth_version_valid(FTH_ECO_GO, good[i], 0));
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(fth_version_valid(FTH_ECO_GO, bad[i], 0));
}

static void test_version_go_compare(void **state)
{
    (void)state;
    /* shorthands are the .0 versions */
    assert_int_equal(cmp("v1", "v1.0.0"), 0);
    assert_int_equal(cmp("v1.2", "v1.2.0"), 0);
    assert_int_equal(cmp("v1.2", "v1.2.1"), -1);
    /* build metadata, +incompatible included, is ignored */
    assert_int_equal(cmp("v2.0.0+incompatible", "v2.0.0"), 0);
    assert_int_equal(cmp("v1.2.3+a", "v1.2.3+b"), 0);
    /* SemVer precedence */
    assert_int_equal(cmp("v1.0.0-alpha", "v1.0.0-alpha.1"), -1);
    assert_int_equal(cmp("v1.0.0-alpha.1", "v1.0.0-alpha.beta"), -1);
    assert_int_equal(cmp("v1.0.0-beta.2", "v1.0.0-beta.11"), -1);
    assert_int_equal(cmp("v1.0.0-rc.1", "v1.0.0"), -1);
    assert_int_equal(cmp("v1.10.0", "v1.9.0"), 1);
    assert_int_equal(cmp("v99999999999999999999999.0.0", "v99999999999999999999998.0.0"), 1);
    /* pseudo-versions: below the release they precede, above the one they follow */
    assert_int_equal(cmp("v0.0.0-20191109021931-daa7c04131f5", "v0.0.0"), -1);
    assert_int_equal(cmp("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3"), 1);
    assert_int_equal(cmp("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4"), -1);
    assert_int_equal(
        cmp("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-0.20200101000000-abcdefabcdef"), -1);
    assert_int_equal(cmp("v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3-pre"), 1);
    assert_int_equal(cmp("v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3-pre.1"), -1);
}

static void test_version_go_relations(void **state)
{
    int out = -1;

    (void)state;
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_GO, "v1.5.0", ">= v1.2, < v2", 0, NULL),
                     0);
    assert_int_equal(out, 1);
    assert_int_equal(
        fth_version_satisfies(&out, FTH_ECO_GO, "v2.0.0+incompatible", "< v2", 0, NULL), 0);
    assert_int_equal(out, 0);
    assert_true(fth_version_satisfies(&out, FTH_ECO_GO, "v1.5.0", ">= 1.2", 0, NULL) < 0);
    assert_true(fth_version_compare(&out, FTH_ECO_GO, "v1.5.0", "1.5.0", 0, NULL) < 0);
}

static void test_version_go_long(void **state)
{
    char big[400];

    (void)state;
    memset(big, '1', sizeof(big));
    memcpy(big, "v1.2.3-", 7);
    big[256] = '\0';
    assert_true(fth_version_valid(FTH_ECO_GO, big, 0));
    big[256] = '1';
    big[300] = '\0';
    assert_false(fth_version_valid(FTH_ECO_GO, big, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_go_valid),
        cmocka_unit_test(test_version_go_compare),
        cmocka_unit_test(test_version_go_relations),
        cmocka_unit_test(test_version_go_long),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
