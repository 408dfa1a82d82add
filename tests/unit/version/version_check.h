/*
 * What the version tests share: reading the JSON-lines vectors of the shared fixtures,
 * comparing and matching through the public API with a failure message, and the checks of
 * pairs (both ways round), range cases, validity lists and the length limits.
 */
#ifndef FATHOM_TEST_VERSION_CHECK_H
#define FATHOM_TEST_VERSION_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "fathom/version.h"
#include "base/limits.h"

#define VT_FIXTURES FATHOM_SHARED "/fixtures/versions/"

/* Call fn on every line of a fixture file; returns the number of lines. */
static inline size_t vt_each_line(const char *name, void (*fn)(json_t *line, size_t lineno))
{
    char path[1024], buf[4096];
    size_t n = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s%s", VT_FIXTURES, name);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(buf, sizeof(buf), f)) {
        json_error_t jerr;
        json_t *j = json_loads(buf, 0, &jerr);

        if (!j)
            fail_msg("%s:%zu: %s", name, n + 1, jerr.text);
        n++;
        fn(j, n);
        json_decref(j);
    }
    fclose(f);
    return n;
}

/* compare(a, b) through the public API; both must be valid. */
static inline int vt_cmp(enum fth_ecosystem eco, const char *a, const char *b)
{
    struct fth_error err;
    int cmp = 99;

    if (fth_version_compare(&cmp, eco, a, b, 0, &err) < 0)
        fail_msg("compare('%s', '%s'): %s", a, b, err.message);
    return cmp;
}

/* satisfies: 1, 0, or the error code. */
static inline int vt_sat(enum fth_ecosystem eco, const char *v, const char *range, unsigned flags)
{
    struct fth_error err;
    int out = -1, r = fth_version_satisfies(&out, eco, v, range, flags, &err);

    return r < 0 ? r : out;
}

/* One fixture line {"a", "b", "cmp"} or {"a", "b", "cmp_not"}, checked both ways round. */
static inline void vt_check_line(json_t *j, size_t lineno, int (*cmp)(const char *, const char *))
{
    const char *a = json_string_value(json_object_get(j, "a"));
    const char *b = json_string_value(json_object_get(j, "b"));
    json_t *want = json_object_get(j, "cmp");
    int got = cmp(a, b), back = cmp(b, a);

    if (want) {
        int w = (int)json_integer_value(want);

        if (got != w || back != -w)
            fail_msg("line %zu: compare('%s', '%s') = %d (reverse %d), want %d", lineno, a, b, got,
                     back, w);
    } else {
        int not = (int)json_integer_value(json_object_get(j, "cmp_not"));

        if (got == not || back == -not || got != -back)
            fail_msg("line %zu: compare('%s', '%s') = %d (reverse %d), want not %d", lineno, a, b,
                     got, back, not );
    }
}

struct vt_pair {
    const char *a, *b;
    int cmp;
};

struct vt_sat {
    const char *v, *range;
    int want; /* 1, 0, or FTH_EINVALID */
};

static inline void vt_check_pairs(enum fth_ecosystem eco, const struct vt_pair *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        int got = vt_cmp(eco, p[i].a, p[i].b), back = vt_cmp(eco, p[i].b, p[i].a);

        if (got != p[i].cmp || back != -p[i].cmp)
            fail_msg("compare('%s', '%s') = %d (reverse %d), want %d", p[i].a, p[i].b, got, back,
                     p[i].cmp);
    }
}

static inline void vt_check_sats(enum fth_ecosystem eco, const struct vt_sat *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        int got = vt_sat(eco, s[i].v, s[i].range, 0);

        if (got != s[i].want)
            fail_msg("'%s' in '%s' = %d, want %d", s[i].v, s[i].range, got, s[i].want);
    }
}

static inline void vt_check_validity(enum fth_ecosystem eco, const char *const *ok, size_t nok,
                                     const char *const *bad, size_t nbad)
{
    size_t i;

    for (i = 0; i < nok; i++)
        if (!fth_version_valid(eco, ok[i], 0))
            fail_msg("'%s' should be valid", ok[i]);
    for (i = 0; i < nbad; i++)
        if (fth_version_valid(eco, bad[i], 0))
            fail_msg("'%s' should be invalid", bad[i]);
}

/* A version of `unit` repeated up to the length limit (valid) and one byte past (invalid);
 * a range one byte past its limit is refused. */
static inline void vt_check_huge(enum fth_ecosystem eco, const char *unit)
{
    char huge[FTH_LIMIT_VERSION_LEN + 8], *range;
    size_t i, n = strlen(unit);

    for (i = 0; i < FTH_LIMIT_VERSION_LEN; i++)
        huge[i] = unit[i % n];
    huge[FTH_LIMIT_VERSION_LEN] = '\0';
    if (fth_version_valid(eco, huge, 0))
        assert_int_equal(vt_cmp(eco, huge, huge), 0);
    huge[FTH_LIMIT_VERSION_LEN] = '1';
    huge[FTH_LIMIT_VERSION_LEN + 1] = '\0';
    assert_false(fth_version_valid(eco, huge, 0));
    assert_non_null(range = malloc(FTH_LIMIT_RANGE_LEN + 2));
    memset(range, '1', FTH_LIMIT_RANGE_LEN + 1);
    range[FTH_LIMIT_RANGE_LEN + 1] = '\0';
    assert_int_equal(vt_sat(eco, "1.0", range, 0), FTH_EINVALID);
    free(range);
}

#endif
