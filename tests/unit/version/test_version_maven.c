/*
 * Maven ComparableVersion against Maven's own ComparableVersionTest (every line of the shared
 * fixture files; Maven 4's lines that differ from 3.9 are listed and skipped), and ranges as
 * Maven's VersionRange documents them.
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
#include "base/limits.h"

#define FIXTURES FATHOM_SHARED "/fixtures/versions/"

/*
 * Maven 4 (maven4-HEAD) orders these differently from Maven 3.9 (MNG-7714: "final" then "sp"
 * when more items follow).
 */
static const char *const maven4_only[][2] = {
    {"1.0.final-redhat", "1.0-sp1-redhat"},
    {"1.0.final-redhat", "1.0-sp-1-redhat"},
    {"1.0.final-redhat", "1.0-sp.1-redhat"},
};

static size_t skipped, checked;

static int skip_pair(const char *a, const char *b)
{
    size_t i;

    for (i = 0; i < sizeof(maven4_only) / sizeof(maven4_only[0]); i++)
        if (!strcmp(maven4_only[i][0], a) && !strcmp(maven4_only[i][1], b))
            return 1;
    return 0;
}

static int cmp_of(const char *a, const char *b)
{
    struct fth_error err;
    int cmp = 99;

    if (fth_version_compare(&cmp, FTH_ECO_MAVEN, a, b, 0, &err) < 0)
        fail_msg("compare('%s', '%s'): %s", a, b, err.message);
    return cmp;
}

/* Check every pair of a fixture file; `skip` allows the listed Maven 4 deviations. */
static size_t check_file(const char *name, int skip)
{
    char path[1024], buf[4096];
    size_t n = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s%s", FIXTURES, name);
    assert_non_null(f = fopen(path, "r"));
    while (fgets(buf, sizeof(buf), f)) {
        json_error_t jerr;
        json_t *j = json_loads(buf, 0, &jerr);
        const char *a, *b;
        int want, got;

        assert_non_null(j);
        n++;
        a = json_string_value(json_object_get(j, "a"));
        b = json_string_value(json_object_get(j, "b"));
        want = (int)json_integer_value(json_object_get(j, "cmp"));
        if (skip && skip_pair(a, b)) {
            skipped++;
        } else {
            got = cmp_of(a, b);
            if (got != want)
                fail_msg("%s:%zu: compare('%s', '%s') = %d, want %d", name, n, a, b, got, want);
            checked++;
        }
        json_decref(j);
    }
    fclose(f);
    return n;
}

static void test_version_maven_39(void **state)
{
    (void)state;
    assert_int_equal(check_file("maven.comparableversion.maven-3.9.x.jsonl", 0), 963);
}

static void test_version_maven_38(void **state)
{
    (void)state;
    assert_int_equal(check_file("maven.comparableversion.maven-3.8.x.jsonl", 0), 963);
}

static void test_version_maven_4(void **state)
{
    (void)state;
    skipped = checked = 0;
    assert_int_equal(check_file("maven.comparableversion.maven4-HEAD.jsonl", 1), 990);
    /* every listed deviation is in the file */
    assert_int_equal(skipped, sizeof(maven4_only) / sizeof(maven4_only[0]));
    assert_int_equal(checked, 990 - skipped);
}

static void test_version_maven_examples(void **state)
{
    /* the ordering Maven's documentation ("Version Order Specification") states */
    static const char *const ascending[] = {
        "1-alpha", "1-beta", "1-milestone", "1-rc", "1-snapshot",
        "1",       "1-sp",   "1-abc",       "1-1",  "1.1",
    };
    size_t i;
    (void)state;

    for (i = 1; i < sizeof(ascending) / sizeof(ascending[0]); i++)
        if (cmp_of(ascending[i - 1], ascending[i]) != -1)
            fail_msg("'%s' < '%s'", ascending[i - 1], ascending[i]);
    assert_int_equal(cmp_of("1.0", "1"), 0);
    assert_int_equal(cmp_of("1.0.0", "1-ga"), 0);
    assert_int_equal(cmp_of("1-final", "1.release"), 0);
    assert_int_equal(cmp_of("1-cr1", "1-rc1"), 0);
    assert_int_equal(cmp_of("1a1", "1-alpha-1"), 0);
    assert_int_equal(cmp_of("1.0.RC1", "1.0-RC1"), 0); /* MNG-7644, Maven 3.9 */
    assert_int_equal(cmp_of("1.0.X1", "1.0-X2"), -1);
    assert_int_equal(cmp_of("1-0.1", "1"), 1);
    /* a one-letter qualifier before digits keeps its own length (differential test) */
    assert_int_equal(cmp_of("3.c1-xyz", "3.c1.xyz"), 0);
    assert_int_equal(cmp_of("0001", "1"), 0);
    assert_int_equal(cmp_of("99999999999999999999999", "99999999999999999999998"), 1);
    assert_int_equal(cmp_of("2147483648", "2147483647"), 1);
    /* Java's toLowerCase beyond ASCII */
    assert_int_equal(cmp_of("1-\xc3\x89T\xc3\x89", "1-\xc3\xa9t\xc3\xa9"), 0);
    assert_int_equal(cmp_of("1-\xce\x94", "1-\xce\xb4"), 0);
    assert_int_equal(cmp_of("1-\xd0\x96", "1-\xd0\xb6"), 0);
    assert_int_equal(cmp_of("1-\xc3\x97", "1-\xc3\xb7"), -1);
}

static int sat(const char *v, const char *range)
{
    struct fth_error err;
    int out = -1, r = fth_version_satisfies(&out, FTH_ECO_MAVEN, v, range, 0, &err);

    return r < 0 ? r : out;
}

static void test_version_maven_ranges(void **state)
{
    static const struct {
        const char *v, *range;
        int want;
    } cases[] = {
        /* Maven's "Version Range Specification" and VersionRangeTest */
        {"1.0", "(,1.0]", 1},
        {"1.0.1", "(,1.0]", 0},
        {"1.0", "[1.0]", 1},
        {"1.0.0", "[1.0]", 1},
        {"1.0.1", "[1.0]", 0},
        {"1.0", "[1.2,1.3]", 0},
        {"1.2", "[1.2,1.3]", 1},
        {"1.3", "[1.2,1.3]", 1},
        {"1.3.1", "[1.2,1.3]", 0},
        {"1.0", "[1.0,2.0)", 1},
        {"2.0", "[1.0,2.0)", 0},
        {"2.0-SNAPSHOT", "[1.0,2.0)", 1},
        {"1.5", "[1.5,)", 1},
        {"1.4", "[1.5,)", 0},
        {"1.0", "(,1.0],[1.2,)", 1},
        {"1.1", "(,1.0],[1.2,)", 0},
        {"1.2", "(,1.0],[1.2,)", 1},
        {"1.1", "(,1.1),(1.1,)", 0},
        {"1.1.1", "(,1.1),(1.1,)", 1},
        {"3.1", " [1.0,2.0) , [3.0,) ", 1},
        {"2.5", "[1.0,2.0),[3.0,)", 0},
        {"1.0", "[ 1.0 , 2.0 )", 1},
        /* a bare version: exact in an advisory (Maven itself would accept anything) */
        {"1.0", "1.0", 1},
        {"1.0.0", "1.0", 1},
        {"1.1", "1.0", 0},
    };
    static const char *const bad[] = {
        "",           "[1.0",
        "(1.0)",      "[1.0)",
        "[2.0,1.0]",  "[1.0,1.0]",
        "(,)",        "[1.0,2.0),[1.5,3.0)",
        "[1.0,2.0)x", "[1.0,2.0),(,3.0]",
        "[]",
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int got = sat(cases[i].v, cases[i].range);

        if (got != cases[i].want)
            fail_msg("'%s' in '%s' = %d, want %d", cases[i].v, cases[i].range, got, cases[i].want);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (sat("1.0", bad[i]) != FTH_EINVALID)
            fail_msg("'%s' accepted", bad[i]);
}

static void test_version_maven_huge(void **state)
{
    char huge[FTH_LIMIT_VERSION_LEN + 2], other[FTH_LIMIT_VERSION_LEN + 1];
    size_t i;
    (void)state;

    /* the most items per byte: letter-digit switches and empty components */
    for (i = 0; i < FTH_LIMIT_VERSION_LEN; i++) {
        huge[i] = (char)("a1-."[i % 4]);
        other[i] = (char)("-b.2"[i % 4]);
    }
    huge[FTH_LIMIT_VERSION_LEN] = other[FTH_LIMIT_VERSION_LEN] = '\0';
    assert_true(fth_version_valid(FTH_ECO_MAVEN, huge, 0));
    assert_int_equal(cmp_of(huge, huge), 0);
    assert_int_not_equal(cmp_of(huge, other), 0);
    assert_int_equal(cmp_of(huge, other), -cmp_of(other, huge));
    huge[FTH_LIMIT_VERSION_LEN] = 'x';
    huge[FTH_LIMIT_VERSION_LEN + 1] = '\0';
    assert_false(fth_version_valid(FTH_ECO_MAVEN, huge, 0));
    assert_false(fth_version_valid(FTH_ECO_MAVEN, "", 0));
    assert_true(fth_version_valid(FTH_ECO_MAVEN, "anything at all", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_maven_39),     cmocka_unit_test(test_version_maven_38),
        cmocka_unit_test(test_version_maven_4),      cmocka_unit_test(test_version_maven_examples),
        cmocka_unit_test(test_version_maven_ranges), cmocka_unit_test(test_version_maven_huge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
