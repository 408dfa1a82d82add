/*
 * npm versions and ranges against node-semver's own test fixtures: every line of
 * npm.node-semver{,.validity,.ranges,.range-parse,.gtr-ltr}.jsonl in shared/fixtures/versions.
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
#include "version/semver_int.h"

#define FIXTURES FATHOM_SHARED "/fixtures/versions/"

/* node-semver's parseOptions: a non-object is {loose: true}; loose/includePrerelease truthy. */
static unsigned options_of(json_t *o)
{
    unsigned flags = 0;
    json_t *l, *p;

    if (!o || json_is_null(o) || json_is_false(o))
        return 0;
    if (!json_is_object(o))
        return FTH_VERSION_LOOSE;
    l = json_object_get(o, "loose");
    p = json_object_get(o, "includePrerelease");
    /* {"js": "undefined"} encodes JavaScript's undefined; 0 and null are falsy */
    if (l && (json_is_true(l) || (json_is_integer(l) && json_integer_value(l) != 0)))
        flags |= FTH_VERSION_LOOSE;
    if (p && json_is_true(p))
        flags |= FTH_VERSION_INCLUDE_PRERELEASE;
    return flags;
}

typedef int (*line_fn)(json_t *rec, char *why, size_t whylen);

/* Run fn on every line; print the failures; return how many lines there were. */
static void each_line(const char *file, line_fn fn, size_t *total, size_t *failed)
{
    char path[1024], line[65536], why[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s%s", FIXTURES, file);
    f = fopen(path, "r");
    assert_non_null(f);
    *total = *failed = 0;
    while (fgets(line, sizeof(line), f)) {
        json_error_t jerr;
        json_t *rec = json_loads(line, 0, &jerr);

        assert_non_null(rec);
        (*total)++;
        why[0] = '\0';
        if (!fn(rec, why, sizeof(why))) {
            (*failed)++;
            fprintf(stderr, "%s:%zu: %s\n", file, *total, why);
        }
        json_decref(rec);
    }
    fclose(f);
    fprintf(stderr, "%s: %zu/%zu lines pass\n", file, *total - *failed, *total);
}

static int line_compare(json_t *rec, char *why, size_t whylen)
{
    const char *a = json_string_value(json_object_get(rec, "a"));
    const char *b = json_string_value(json_object_get(rec, "b"));
    int want = (int)json_integer_value(json_object_get(rec, "cmp")), got = 9, back = 9;
    unsigned flags = options_of(json_object_get(rec, "options"));

    if (fth_version_compare(&got, FTH_ECO_NPM, a, b, flags, NULL) < 0 ||
        fth_version_compare(&back, FTH_ECO_NPM, b, a, flags, NULL) < 0 || got != want ||
        back != -want) {
        snprintf(why, whylen, "compare('%s', '%s', %u) = %d/%d, want %d", a, b, flags, got, back,
                 want);
        return 0;
    }
    return 1;
}

static int line_valid(json_t *rec, char *why, size_t whylen)
{
    json_t *v = json_object_get(rec, "version");
    int want = json_is_true(json_object_get(rec, "valid")), got;
    unsigned flags = options_of(json_object_get(rec, "options"));

    if (!json_is_string(v))
        return !want; /* a regexp or an object: not a string, never a version */
    got = fth_version_valid(FTH_ECO_NPM, json_string_value(v), flags);
    if (got != want) {
        snprintf(why, whylen, "valid('%.60s') = %d, want %d", json_string_value(v), got, want);
        return 0;
    }
    return 1;
}

static int line_satisfies(json_t *rec, char *why, size_t whylen)
{
    json_t *v = json_object_get(rec, "version");
    const char *range = json_string_value(json_object_get(rec, "range"));
    int want = json_is_true(json_object_get(rec, "satisfies")), got = 0, rc;
    unsigned flags = options_of(json_object_get(rec, "options"));

    if (!json_is_string(v))
        return !want;
    rc = fth_version_satisfies(&got, FTH_ECO_NPM, json_string_value(v), range, flags, NULL);
    /* node-semver answers false for an invalid version; Fathom refuses it */
    if ((rc < 0 && want) || (rc == 0 && got != want)) {
        snprintf(why, whylen, "satisfies('%s', '%s', %u) = %d (rc %d), want %d",
                 json_string_value(v), range, flags, got, rc, want);
        return 0;
    }
    return 1;
}

static int line_range_parse(json_t *rec, char *why, size_t whylen)
{
    const char *range = json_string_value(json_object_get(rec, "range"));
    json_t *expect = json_object_get(rec, "expect");
    unsigned flags = options_of(json_object_get(rec, "options"));
    struct fth_buf out = FTH_BUF_INIT;
    int rc = npm_range_normalize(&out, range, flags), ok;

    if (json_is_null(expect))
        ok = rc == FTH_EINVALID;
    else
        ok = rc == 0 && !strcmp(out.ptr, json_string_value(expect));
    if (!ok)
        snprintf(why, whylen, "validRange('%.80s', %u) = '%s' (rc %d), want '%s'", range, flags,
                 out.ptr, rc, json_is_null(expect) ? "null" : json_string_value(expect));
    fth_buf_release(&out);
    return ok;
}

static int line_gtr_ltr(json_t *rec, char *why, size_t whylen)
{
    const char *fn = json_string_value(json_object_get(rec, "fn"));
    const char *range = json_string_value(json_object_get(rec, "range"));
    const char *version = json_string_value(json_object_get(rec, "version"));
    unsigned flags = options_of(json_object_get(rec, "options"));
    char hilo = strstr(fn, "gt") ? '>' : '<';
    int want = strstr(fn, "not") ? 0 : 1, got = npm_outside(version, range, hilo, flags);

    if (got != want) {
        snprintf(why, whylen, "%s('%s', '%s', %u) = %d, want %d", fn, version, range, flags, got,
                 want);
        return 0;
    }
    return 1;
}

static void run(const char *file, line_fn fn, size_t expect_lines)
{
    size_t total, failed;

    each_line(file, fn, &total, &failed);
    assert_int_equal(total, expect_lines);
    assert_int_equal(failed, 0);
}

static void test_version_npm_fixture_compare(void **state)
{
    (void)state;
    run("npm.node-semver.jsonl", line_compare, 68);
}

static void test_version_npm_fixture_validity(void **state)
{
    (void)state;
    run("npm.node-semver.validity.jsonl", line_valid, 32);
}

static void test_version_npm_fixture_ranges(void **state)
{
    (void)state;
    run("npm.node-semver.ranges.jsonl", line_satisfies, 224);
}

static void test_version_npm_fixture_range_parse(void **state)
{
    (void)state;
    run("npm.node-semver.range-parse.jsonl", line_range_parse, 133);
}

static void test_version_npm_fixture_gtr_ltr(void **state)
{
    (void)state;
    run("npm.node-semver.gtr-ltr.jsonl", line_gtr_ltr, 277);
}

static int cmp_npm(const char *a, const char *b, unsigned flags)
{
    int c = 9;

    assert_int_equal(fth_version_compare(&c, FTH_ECO_NPM, a, b, flags, NULL), 0);
    return c;
}

static int sat(const char *v, const char *r, unsigned flags)
{
    int out = -1;

    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_NPM, v, r, flags, NULL), 0);
    return out;
}

static void norm_is(const char *range, unsigned flags, const char *want)
{
    struct fth_buf out = FTH_BUF_INIT;
    int rc = npm_range_normalize(&out, range, flags);

    if (!want) {
        assert_int_equal(rc, FTH_EINVALID);
    } else {
        assert_int_equal(rc, 0);
        assert_string_equal(out.ptr, want);
    }
    fth_buf_release(&out);
}

/* Cases checked against node-semver 7.x by hand: loose quirks and JavaScript numbers. */
static void test_version_npm_loose_quirks(void **state)
{
    (void)state;
    /* loose: the patch gives a digit back to a dot-led prerelease */
    assert_int_equal(cmp_npm("1.2.34.5", "1.2.3-4.5", FTH_VERSION_LOOSE), 0);
    assert_false(fth_version_valid(FTH_ECO_NPM, "1.2.3.4", FTH_VERSION_LOOSE));
    /* loose: "-" alone is a prerelease identifier */
    assert_int_equal(cmp_npm("1.2.3-", "1.2.3--", FTH_VERSION_LOOSE), 0);
    assert_int_equal(cmp_npm("1.2.3-.a", "1.2.3--.a", FTH_VERSION_LOOSE), 0);
    assert_int_equal(cmp_npm("01.02.03-01", "1.2.3-1", FTH_VERSION_LOOSE), 0);
    assert_int_equal(cmp_npm("v=  1.2.3", "1.2.3", FTH_VERSION_LOOSE), 0);
    assert_false(fth_version_valid(FTH_ECO_NPM, "01.2.3", 0));
    assert_false(fth_version_valid(FTH_ECO_NPM, "1.2.3-01", 0));
    assert_false(fth_version_valid(FTH_ECO_NPM, "=1.2.3", 0));
    assert_true(fth_version_valid(FTH_ECO_NPM, " v1.2.3\t", 0));
    /* non-breaking space is JavaScript whitespace too */
    assert_true(fth_version_valid(FTH_ECO_NPM,
                                  "\xc2\xa0"
                                  "1.2.3",
                                  0));
    /* 2^53 - 1 is the largest number */
    assert_true(fth_version_valid(FTH_ECO_NPM, "9007199254740991.0.0", 0));
    assert_false(fth_version_valid(FTH_ECO_NPM, "9007199254740992.0.0", 0));
    /* huge prerelease numbers compare as JavaScript numbers */
    assert_int_equal(cmp_npm("1.0.0-99999999999999999999", "1.0.0-99999999999999999998", 0), 0);
    assert_int_equal(cmp_npm("1.0.0-2", "1.0.0-10", 0), -1);
    assert_int_equal(cmp_npm("1.0.0-a", "1.0.0-1", 0), 1);
    assert_int_equal(cmp_npm("1.0.0-a.b", "1.0.0-a", 0), 1);
    assert_int_equal(cmp_npm("1.0.0+x", "1.0.0+y", 0), 0);
}

static void test_version_npm_ranges_more(void **state)
{
    (void)state;
    norm_is(">= 1.2.3 < 2", 0, ">=1.2.3 <2.0.0-0");
    norm_is("~> 1.2", 0, ">=1.2.0 <1.3.0-0");
    norm_is("^0.0.0", 0, "<0.0.1-0");
    norm_is("<0.0.0-0 || 1.2.3", 0, "1.2.3");
    norm_is("<0.0.0-0 || <0.0.0-0", 0, "<0.0.0-0");
    norm_is("1.2.3 1.2.3", 0, "1.2.3");
    norm_is("foo", 0, NULL);
    norm_is("foo", FTH_VERSION_LOOSE, NULL);
    norm_is("1.2.3 foo", FTH_VERSION_LOOSE, "1.2.3");
    norm_is("==1.2.3", FTH_VERSION_LOOSE, "1.2.3");
    norm_is("==1.2.3", 0, NULL);
    assert_int_equal(sat("1.2.3", "1.x || >=2.5.0 || 5.0.0 - 7.2.3", 0), 1);
    assert_int_equal(sat("3.0.0", "1.x || >=2.5.0 || 5.0.0 - 7.2.3", 0), 1);
    assert_int_equal(sat("2.0.0", "1.x || >=2.5.0 || 5.0.0 - 7.2.3", 0), 0);
    assert_int_equal(sat("1.2.4-beta", ">1.2.3-alpha <1.3", 0), 0);
    assert_int_equal(sat("1.2.3-beta", ">1.2.3-alpha <1.3", 0), 1);
    assert_int_equal(sat("1.2.4-beta", ">1.2.3-alpha <1.3", FTH_VERSION_INCLUDE_PRERELEASE), 1);
}

/* Malformed and oversized input is refused, never crashes. */
static void test_version_npm_invalid_and_long(void **state)
{
    char big[5000];
    int out = 0;

    (void)state;
    assert_false(fth_version_valid(FTH_ECO_NPM, "", 0));
    assert_false(fth_version_valid(FTH_ECO_NPM, "1.2", 0));
    assert_false(fth_version_valid(FTH_ECO_NPM, "1.2.3-", 0));
    assert_false(fth_version_valid(FTH_ECO_NPM, "1.2.3+", 0));
    assert_false(fth_version_valid(FTH_ECO_NPM, "1.2.3-a..b", 0));
    assert_false(fth_version_valid(FTH_ECO_NPM, "1.2.3 4", FTH_VERSION_LOOSE));
    /* 256 bytes is the most */
    memset(big, '1', sizeof(big));
    memcpy(big, "1.2.3-", 6);
    big[256] = '\0';
    assert_true(fth_version_valid(FTH_ECO_NPM, big, 0));
    big[256] = '1';
    big[257] = '\0';
    assert_false(fth_version_valid(FTH_ECO_NPM, big, 0));
    /* ranges up to the limit parse; longer ones are refused */
    memset(big, ' ', sizeof(big));
    memcpy(big, "1.2.3", 5);
    big[4000] = '\0';
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_NPM, "1.2.3", big, 0, NULL), 0);
    assert_int_equal(out, 1);
    for (size_t i = 0; i + 6 < 4090; i += 6)
        memcpy(big + i, "1.x|| ", 6);
    big[4090] = '\0';
    assert_int_equal(fth_version_satisfies(&out, FTH_ECO_NPM, "1.2.3", big, 0, NULL), 0);
    big[4090] = 'x';
    big[sizeof(big) - 1] = '\0';
    assert_true(fth_version_satisfies(&out, FTH_ECO_NPM, "1.2.3", big, 0, NULL) < 0);
    assert_true(fth_version_satisfies(&out, FTH_ECO_NPM, "1.2.3", "1.2.3 - ", 0, NULL) < 0);
    assert_true(fth_version_satisfies(&out, FTH_ECO_NPM, "1.2.3", ">>1", 0, NULL) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_npm_fixture_compare),
        cmocka_unit_test(test_version_npm_fixture_validity),
        cmocka_unit_test(test_version_npm_fixture_ranges),
        cmocka_unit_test(test_version_npm_fixture_range_parse),
        cmocka_unit_test(test_version_npm_fixture_gtr_ltr),
        cmocka_unit_test(test_version_npm_loose_quirks),
        cmocka_unit_test(test_version_npm_ranges_more),
        cmocka_unit_test(test_version_npm_invalid_and_long),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
