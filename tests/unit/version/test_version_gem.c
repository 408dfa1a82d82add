/*
 * RubyGems: Gem::Version ordering and Gem::Requirement matching, with cases from the Gem::Version
 * and Gem::Requirement API documentation and the RubyGems guides ("Patterns", pessimistic
 * version constraint).
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

#define ECO FTH_ECO_RUBYGEMS

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

static void test_version_gem_order(void **state)
{
    static const struct pair pairs[] = {
        /* Gem::Version docs: trailing zeros, pre-releases (a letter anywhere), "-" as ".pre." */
        {"1.0", "1", 0},
        {"1.0.0", "1", 0},
        {"1.0.a", "1.0", -1},
        {"1.0.a", "1.a", 0},
        {"1.0.a.0", "1.0.a", 0},
        {"1.0.a.2", "1.0.b1", -1},
        {"1.0.b1", "1.0", -1},
        {"0.9", "1.0.a.2", -1},
        {"1.0.a.2", "1.0.a.10", -1},
        {"1.8.2", "1.8.10", -1},
        {"1.8.2.a", "1.8.2", -1},
        {"1.8.2.a", "1.8.1", 1},
        {"1.2.3-1", "1.2.3", -1},
        {"1.2.3-1", "1.2.3.pre.1", 0},
        {"1.2.3-beta", "1.2.3.pre.beta", 0},
        {"1.0.a", "1.0.B", 1},
        {"1.0.rc1", "1.0.beta2", 1},
        {"1.0a", "1.0.a", 0},
        {"", "0", 0},
        {" 1.0 ", "1", 0},
        {"007", "7", 0},
        {"99999999999999999999999", "99999999999999999999998", 1},
        {"1.0.0.1", "1.0.0", 1},
        {"1.a.1", "1.a", 1},
        {"1.a", "1", -1},
    };
    (void)state;
    check_pairs(pairs, sizeof(pairs) / sizeof(pairs[0]));
}

static void test_version_gem_ranges(void **state)
{
    static const struct sat sats[] = {
        /* operators = != > < >= <= ~> (Gem::Requirement::OPS); a bare version means = */
        {"1.0", "= 1.0", 1},
        {"1.0.0", "1.0", 1},
        {"1.0", "!= 1.0", 0},
        {"1.1", "> 1.0", 1},
        {"1.0", "< 1.0", 0},
        {"1.0", ">= 1.0", 1},
        {"1.0", "<= 1.0", 1},
        {"1.0.a", "< 1.0", 1},
        /* guides: ~> 2.2 is >= 2.2, < 3.0; ~> 2.2.0 is >= 2.2.0, < 2.3.0 */
        {"2.2", "~> 2.2", 1},
        {"2.9.9", "~> 2.2", 1},
        {"3.0", "~> 2.2", 0},
        {"2.1", "~> 2.2", 0},
        {"2.2.5", "~> 2.2.0", 1},
        {"2.3.0", "~> 2.2.0", 0},
        {"2.3.a", "~> 2.2.0", 0},
        {"3.0.a", "~> 2.2", 0},
        {"2.9.a", "~> 2.2", 1},
        {"9", "~> 9", 1},
        {"10", "~> 9", 0},
        {"10.0", "~> 9.9", 0},
        {"99.5", "~> 99.1", 1},
        {"100.0", "~> 99.1", 0},
        {"9.10", "~> 9.9.9", 0},
        {"9.9.10", "~> 9.9.9", 1},
        {"10.0", "~> 9.9.9", 0},
        {"1.0.0", "~> 1.0.0.a", 1},
        /* comma: every requirement holds */
        {"1.5", ">= 1.0, < 2.0", 1},
        {"2.0", ">= 1.0, < 2.0", 0},
        {"1.5", "~> 1.2, != 1.5", 0},
        {"1.0", "=> 1.0", FTH_EINVALID},
        {"1.0", "", FTH_EINVALID},
        {"1.0", ">= 1.0,", FTH_EINVALID},
        {"1.0", ">= junk", FTH_EINVALID},
        {"1.0", "~>", FTH_EINVALID},
    };
    (void)state;
    check_sats(sats, sizeof(sats) / sizeof(sats[0]));
}

static void test_version_gem_validity(void **state)
{
    static const char *const ok[] = {"1", "1.0", "1.0.a", "1.0-beta", "1.2.3-x-y.z",
                                     "",  "  ",  " 1.0 ", "1.0\n"};
    static const char *const bad[] = {"junk", "1.0-",     "1..0",  ".1", "1.0 junk",
                                      "a.1",  "1.0+meta", "1.0_1", "-1"};
    (void)state;
    check_validity(ok, sizeof(ok) / sizeof(ok[0]), bad, sizeof(bad) / sizeof(bad[0]));
    check_huge("1.a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_gem_order),
        cmocka_unit_test(test_version_gem_ranges),
        cmocka_unit_test(test_version_gem_validity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
