/*
 * NuGet: NuGetVersion ordering and VersionRange matching, with cases from Microsoft's NuGet docs
 * ("Package versioning": version basics, pre-release labels, normalisation, version ranges).
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

#define ECO FTH_ECO_NUGET

struct pair {
    const char *a, *b;
    int cmp;
};

struct sat {
    const char *v, *range;
    int want; /* 1, 0, or FTH_EINVALID */
};

static int cmp_of(const char *a, const char *b)
{
    struct fth_error err;
    int cmp = 99;

    if (fth_version_compare(&cmp, ECO, a, b, 0, &err) < 0)
        fail_msg("compare('%s', '%s'): %s", a, b, err.message);
    return cmp;
}

static int sat(const char *v, const char *range)
{
    struct fth_error err;
    int out = -1, r = fth_version_satisfies(&out, ECO, v, range, 0, &err);

    return r < 0 ? r : out;
}

static void check_pairs(const struct pair *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        int got = cmp_of(p[i].a, p[i].b), back = cmp_of(p[i].b, p[i].a);

        if (got != p[i].cmp || back != -p[i].cmp)
            fail_msg("compare('%s', '%s') = %d (reverse %d), want %d", p[i].a, p[i].b, got, back,
                     p[i].cmp);
    }
}

static void check_sats(const struct sat *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        int got = sat(s[i].v, s[i].range);

        if (got != s[i].want)
            fail_msg("'%s' in '%s' = %d, want %d", s[i].v, s[i].range, got, s[i].want);
    }
}

static void check_validity(const char *const *ok, size_t nok, const char *const *bad, size_t nbad)
{
    size_t i;

    for (i = 0; i < nok; i++)
        if (!fth_version_valid(ECO, ok[i], 0))
            fail_msg("'%s' should be valid", ok[i]);
    for (i = 0; i < nbad; i++)
        if (fth_version_valid(ECO, bad[i], 0))
            fail_msg("'%s' should be invalid", bad[i]);
}

static void check_huge(const char *unit)
{
    char huge[FTH_LIMIT_VERSION_LEN + 8], *range;
    size_t i, n = strlen(unit);

    /* repeat unit up to exactly the limit (valid) and one byte past it (invalid) */
    for (i = 0; i < FTH_LIMIT_VERSION_LEN; i++)
        huge[i] = unit[i % n];
    huge[FTH_LIMIT_VERSION_LEN] = '\0';
    if (fth_version_valid(ECO, huge, 0))
        assert_int_equal(cmp_of(huge, huge), 0);
    huge[FTH_LIMIT_VERSION_LEN] = '1';
    huge[FTH_LIMIT_VERSION_LEN + 1] = '\0';
    assert_false(fth_version_valid(ECO, huge, 0));
    assert_non_null(range = malloc(FTH_LIMIT_RANGE_LEN + 2));
    memset(range, '1', FTH_LIMIT_RANGE_LEN + 1);
    range[FTH_LIMIT_RANGE_LEN + 1] = '\0';
    assert_int_equal(sat("1.0", range), FTH_EINVALID);
    free(range);
}

static void test_version_nuget_order(void **state)
{
    static const struct pair pairs[] = {
        /* normalisation: missing numbers are 0, leading zeros go, metadata is ignored */
        {"1.0", "1.0.0", 0},
        {"1", "1.0.0.0", 0},
        {"1.01.1", "1.1.1", 0},
        {"1.0.0.1", "1.0.0", 1},
        {"1.0.0+meta", "1.0.0", 0},
        {"1.0.0-beta+a", "1.0.0-beta+b", 0},
        /* pre-releases: case-insensitive labels, numbers numerically and before words */
        {"1.0.0-alpha", "1.0.0", -1},
        {"1.0.0-Alpha", "1.0.0-alpha", 0},
        {"1.0.0-alpha.2", "1.0.0-alpha.10", -1},
        {"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
        {"1.0.0-alpha", "1.0.0-alpha.1", -1},
        {"1.0.0-beta.11", "1.0.0-rc.1", -1},
        {"1.0.0-rc.1", "1.0.0", -1},
        {"1.0.0-01", "1.0.0-1", 0},
        {"1.0.0-a-b", "1.0.0-a", 1},
        {"2.1.0", "2.0.9", 1},
        {"2147483647.0", "2147483646.9", 1},
    };
    (void)state;
    check_pairs(pairs, sizeof(pairs) / sizeof(pairs[0]));
}

static void test_version_nuget_ranges(void **state)
{
    static const struct sat sats[] = {
        /* docs "Version ranges" table */
        {"1.0", "1.0", 1},
        {"0.9", "1.0", 0},
        {"5.0", "1.0", 1},
        {"1.0", "(1.0,)", 0},
        {"1.0.1", "(1.0,)", 1},
        {"1.0", "[1.0]", 1},
        {"1.0.0.0", "[1.0]", 1},
        {"1.0.1", "[1.0]", 0},
        {"1.0", "(,1.0]", 1},
        {"1.0.1", "(,1.0]", 0},
        {"1.0", "(,1.0)", 0},
        {"0.9", "(,1.0)", 1},
        {"1.0", "[1.0,2.0]", 1},
        {"2.0", "[1.0,2.0]", 1},
        {"2.0", "(1.0,2.0)", 0},
        {"1.5", "(1.0,2.0)", 1},
        {"2.0", "[1.0,2.0)", 0},
        {"2.0.0-beta", "[1.0,2.0)", 1},
        {"1.5", "[1.0, 2.0)", 1},
        {"1.5", " [ 1.0 , 2.0 ) ", 1},
        /* invalid ranges */
        {"1.0", "(1.0)", FTH_EINVALID},
        {"1.0", "[1.0,1.0)", FTH_EINVALID},
        {"1.0", "[2.0,1.0]", FTH_EINVALID},
        {"1.0", "(,)", FTH_EINVALID},
        {"1.0", "[1.0,2.0,3.0]", FTH_EINVALID},
        {"1.0", "[1.0", FTH_EINVALID},
        {"1.0", "", FTH_EINVALID},
        {"1.0", "[junk,2.0]", FTH_EINVALID},
        {"1.0", "1.*", FTH_EINVALID},
    };
    (void)state;
    check_sats(sats, sizeof(sats) / sizeof(sats[0]));
}

static void test_version_nuget_validity(void **state)
{
    static const char *const ok[] = {"1",        "1.0",         "1.0.0",
                                     "1.0.0.0",  "1.0.0-beta",  "1.0.0-beta.1+build.5",
                                     "01.02.03", "1.0.0-a-b-c", "2147483647.0.0"};
    static const char *const bad[] = {
        "",     "a",    "1.0.0.0.0",     "1.0-",         "1.0+",         "1..0",     "-1.0",
        " 1.0", "v1.0", "1.0.0-beta..1", "2147483648.0", "1.0.0-beta_1", "1.0.0+a+b"};
    (void)state;
    check_validity(ok, sizeof(ok) / sizeof(ok[0]), bad, sizeof(bad) / sizeof(bad[0]));
    check_huge("1.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_nuget_order),
        cmocka_unit_test(test_version_nuget_ranges),
        cmocka_unit_test(test_version_nuget_validity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
