/*
 * PEP 440 against pypa/packaging's own vectors (every line of the shared fixture files) and
 * specifier cases from PEP 440 and packaging's test_specifiers.py.
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
#include "version/pypi_int.h"
#include "base/limits.h"
#include "unit/version/version_check.h"

/* Call fn for each JSON line of a fixture file; returns the number of lines. */

static int cmp_of(const char *a, const char *b)
{
    return vt_cmp(FTH_ECO_PYPI, a, b);
}

static void check_pair(json_t *j, size_t lineno)
{
    const char *a = json_string_value(json_object_get(j, "a"));
    const char *b = json_string_value(json_object_get(j, "b"));
    int want = (int)json_integer_value(json_object_get(j, "cmp")), got = cmp_of(a, b);

    if (got != want)
        fail_msg("line %zu: compare('%s', '%s') = %d, want %d", lineno, a, b, got, want);
}

static void test_version_pypi_packaging_pairs(void **state)
{
    (void)state;
    assert_int_equal(vt_each_line("pypi.packaging.jsonl", check_pair), 8464);
}

static void check_valid(json_t *j, size_t lineno)
{
    const char *v = json_string_value(json_object_get(j, "version"));
    int want = json_is_true(json_object_get(j, "valid"));

    if (fth_version_valid(FTH_ECO_PYPI, v, 0) != want)
        fail_msg("line %zu: valid('%s') != %d", lineno, v, want);
}

static void test_version_pypi_validity(void **state)
{
    (void)state;
    assert_int_equal(vt_each_line("pypi.packaging.validity.jsonl", check_valid), 112);
}

static void check_normalize(json_t *j, size_t lineno)
{
    const char *v = json_string_value(json_object_get(j, "version"));
    const char *want = json_string_value(json_object_get(j, "normalized"));
    struct fth_buf b = FTH_BUF_INIT;

    if (pypi_normalize(&b, v) < 0)
        fail_msg("line %zu: '%s' not valid", lineno, v);
    if (strcmp(b.ptr, want) != 0)
        fail_msg("line %zu: normalize('%s') = '%s', want '%s'", lineno, v, b.ptr, want);
    fth_buf_release(&b);
}

static void test_version_pypi_normalize(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    (void)state;
    assert_int_equal(vt_each_line("pypi.packaging.normalize.jsonl", check_normalize), 102);
    assert_int_equal(pypi_normalize(&b, "french toast"), FTH_EINVALID);
    assert_int_equal(pypi_normalize(&b, " V1!02.0-C.3_rev_4-DEV.5+Ubuntu-007 "), 0);
    assert_string_equal(b.ptr, "1!2.0rc3.post4.dev5+ubuntu.7");
    fth_buf_release(&b);
}

static int qsort_cmp(const void *a, const void *b)
{
    return cmp_of(*(char *const *)a, *(char *const *)b);
}

static void test_version_pypi_sorted(void **state)
{
    char path[1024], buf[512], *lines[256], *shuffled[256];
    size_t n = 0, i;
    FILE *f;
    (void)state;

    snprintf(path, sizeof(path), "%s%s", VT_FIXTURES, "pypi.packaging.sorted.txt");
    assert_non_null(f = fopen(path, "r"));
    while (n < 256 && fgets(buf, sizeof(buf), f)) {
        buf[strcspn(buf, "\n")] = '\0';
        assert_non_null(lines[n] = strdup(buf));
        n++;
    }
    fclose(f);
    assert_int_equal(n, 92);
    /* reverse, sort, and expect the file's order (equal versions may swap) */
    for (i = 0; i < n; i++)
        shuffled[i] = lines[n - 1 - i];
    qsort(shuffled, n, sizeof(shuffled[0]), qsort_cmp);
    for (i = 0; i < n; i++) {
        if (cmp_of(shuffled[i], lines[i]) != 0)
            fail_msg("position %zu: '%s', want '%s'", i, shuffled[i], lines[i]);
        if (i && cmp_of(lines[i - 1], lines[i]) > 0)
            fail_msg("'%s' > '%s'", lines[i - 1], lines[i]);
    }
    for (i = 0; i < n; i++)
        free(lines[i]);
}

static int sat(const char *v, const char *range, unsigned flags)
{
    struct fth_error err;
    int out = -1, r = fth_version_satisfies(&out, FTH_ECO_PYPI, v, range, flags, &err);

    return r < 0 ? r : out;
}

static void test_version_pypi_specifiers(void **state)
{
    static const struct {
        const char *v, *spec;
        int want;
    } cases[] = {
        /* packaging tests/test_specifiers.py test_specifiers (a sample) */
        {"2.0", "==2", 1},
        {"2.0", "==2.0", 1},
        {"2.0", "==2.0.0", 1},
        {"2.0+deadbeef", "==2", 1},
        {"2.0+deadbeef", "==2.0+deadbeef", 1},
        {"2.0+deadbeef", "==2.0+deadbeef.0", 0},
        {"2.0", "==2.0+deadbeef", 0},
        {"2.0", "==2.*", 1},
        {"2.0", "==2.0.*", 1},
        {"2.0.0", "==2.*", 1},
        {"2.1+local.version", "==2.1.*", 1},
        {"3.0", "==2.*", 0},
        {"2.1", "==2.0.*", 0},
        {"2", "==2.0.0.*", 1},
        {"2.0.1", "==2.0.0.*", 0},
        {"1!2.0", "==2.*", 0},
        {"1!2.0", "==1!2.*", 1},
        {"2.1", "!=2", 1},
        {"2.0", "!=2", 0},
        {"2.0.1", "!=2.0.*", 0},
        {"2.1", "!=2.0.*", 1},
        {"2.0", "<=2", 1},
        {"2.0+local", "<=2", 1},
        {"2.0", ">=2", 1},
        {"2.0+local", ">=2", 1},
        {"2.0.post1", ">=2", 1},
        {"1.0", "<2", 1},
        {"2.0.dev1", "<2", 0},
        {"2.0.dev1", "<2", 0},
        {"2.0a1", "<2.0", 0},
        {"2.0a1", "<2.0", 0},
        {"2.0a1", "<2.0b1", 0}, /* "<" never admits pre-releases by itself */
        {"2.0.post1", ">2", 0},
        {"2.0.post1", ">2.0.post0", 1},
        {"2.0+local", ">2", 0},
        {"2.0.1", ">2", 1},
        {"3", ">2", 1},
        {"2.0.post1.dev1", ">2", 0},
        {"2.4.0", "~=2.2", 1},
        {"2.2", "~=2.2", 1},
        {"3.0", "~=2.2", 0},
        {"2.1", "~=2.2", 0},
        {"1.4.5", "~=1.4.5", 1},
        {"1.4.9", "~=1.4.5", 1},
        {"1.5.0", "~=1.4.5", 0},
        {"1.4.5.post1", "~=1.4.5", 1},
        {"1!1.4.9", "~=1!1.4.5", 1},
        {"1.4.9", "~=1!1.4.5", 0},
        {"1.0", "===1.0", 1},
        {"v1.0", "===1.0", 1},
        {"1.0.0", "===1.0", 0},
        {"1.0+Local", "===1.0+LOCAL", 1},
        /* pre-releases need a specifier that names one (PEP 440 "Handling of pre-releases") */
        {"1.0a1", ">=0.9", 0},
        {"1.0a1", ">=1.0a1", 1},
        {"1.0a2", ">=1.0a1, <2", 1},
        {"1.0a2", "<2, >=1.0a1", 1},
        {"1.0a1", "!=1.0a1", 0},
        {"1.0.dev1", "==1.0.*", 0},
        {"1.0", ">=1.0, !=1.0.1, <2", 1},
        {"1.0.1", ">=1.0, !=1.0.1, <2", 0},
        {"1.0", "", 1},
        {"1.0a1", "", 0},
        {"1.0", " , >= 1.0 ,", 1},
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int got = sat(cases[i].v, cases[i].spec, 0);

        if (got != cases[i].want)
            fail_msg("'%s' in '%s' = %d, want %d", cases[i].v, cases[i].spec, got, cases[i].want);
    }
    /* includePrerelease-style flag admits pre-releases */
    assert_int_equal(sat("1.0a1", ">=0.9", FTH_VERSION_INCLUDE_PRERELEASE), 1);
}

static void test_version_pypi_bad_input(void **state)
{
    static const char *const bad_specs[] = {
        "1.0",     "=>1.0",  "==",        ">=1.0.*", "~=1",         "<1.0+local",
        "~=1.0.*", "== 1 0", ">= french", "=== 1 0", "===1.0;x==1",
    };
    char huge[FTH_LIMIT_VERSION_LEN + 10];
    char *range;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(bad_specs) / sizeof(bad_specs[0]); i++)
        if (sat("1.0", bad_specs[i], 0) != FTH_EINVALID)
            fail_msg("'%s' accepted", bad_specs[i]);
    assert_int_equal(sat("not a version", ">=1", 0), FTH_EINVALID);
    memset(huge, '1', sizeof(huge) - 1);
    huge[sizeof(huge) - 1] = '\0';
    assert_false(fth_version_valid(FTH_ECO_PYPI, huge, 0));
    huge[FTH_LIMIT_VERSION_LEN] = '\0';
    assert_true(fth_version_valid(FTH_ECO_PYPI, huge, 0));
    for (i = 1; i < FTH_LIMIT_VERSION_LEN - 1; i += 2)
        huge[i] = '.';
    assert_true(fth_version_valid(FTH_ECO_PYPI, huge, 0));
    assert_int_equal(cmp_of(huge, "1.1"), 1);
    assert_non_null(range = malloc(FTH_LIMIT_RANGE_LEN + 2));
    memset(range, ',', FTH_LIMIT_RANGE_LEN + 1);
    range[FTH_LIMIT_RANGE_LEN + 1] = '\0';
    assert_int_equal(sat("1.0", range, 0), FTH_EINVALID);
    range[FTH_LIMIT_RANGE_LEN] = '\0';
    assert_int_equal(sat("1.0", range, 0), 1);
    free(range);
    assert_false(fth_version_valid(FTH_ECO_PYPI, "", 0));
    assert_false(fth_version_valid(FTH_ECO_PYPI, "1.0\n1", 0));
    assert_true(fth_version_valid(FTH_ECO_PYPI, "1.0a.", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_pypi_packaging_pairs),
        cmocka_unit_test(test_version_pypi_validity),
        cmocka_unit_test(test_version_pypi_normalize),
        cmocka_unit_test(test_version_pypi_sorted),
        cmocka_unit_test(test_version_pypi_specifiers),
        cmocka_unit_test(test_version_pypi_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
