/*
 * version module-private: one set of operations per ecosystem, each in its own file
 * (deb.c, apk.c, rpm.c, semver.c, go.c, cargo.c, hex.c, pypi.c, maven.c, gem.c, nuget.c,
 * composer.c); version.c dispatches and evaluates generic relations and OSV ranges.
 *
 * Every operation works on NUL-terminated text, allocates nothing it does not free, and
 * refuses versions longer than FTH_LIMIT_VERSION_LEN (not valid).
 */
#ifndef FATHOM_VERSION_INT_H
#define FATHOM_VERSION_INT_H

#include "fathom/version.h"

struct version_ops {
    /* 1 when valid, 0 when not. */
    int (*valid)(const char *v, unsigned flags);
    /* -1, 0 or 1; both versions are valid (callers check first). */
    int (*compare)(const char *a, const char *b, unsigned flags);
    /*
     * Native range syntax: 1 satisfied, 0 not, FTH_EINVALID for a malformed range (with a
     * message in err naming what was expected). NULL: the generic relation list of
     * version.c (">= 1.2, < 2.0"), which uses compare.
     */
    int (*satisfies)(const char *v, const char *range, unsigned flags, struct fth_error *err);
    /*
     * Optional: validate and compare in one parse of each side (the hot path of matching).
     * 0 with *cmp set, -1 when a is not valid, -2 when b is not. NULL: valid, then compare.
     */
    int (*compare_valid)(int *cmp, const char *a, const char *b, unsigned flags);
};

extern const struct version_ops version_deb_ops;
extern const struct version_ops version_apk_ops;
extern const struct version_ops version_rpm_ops;
extern const struct version_ops version_npm_ops;
extern const struct version_ops version_go_ops;
extern const struct version_ops version_cargo_ops;
extern const struct version_ops version_hex_ops;
extern const struct version_ops version_pypi_ops;
extern const struct version_ops version_maven_ops;
extern const struct version_ops version_gem_ops;
extern const struct version_ops version_nuget_ops;
extern const struct version_ops version_composer_ops;

/*
 * The generic relation list shared by ecosystems without a range syntax of their own:
 * relations separated by ',' or whitespace, all of which must hold; operators < <= > >= = ==
 * != and Debian's << >> (strict) — `extra` may accept more operators (apk's ~ fuzzy match):
 * it returns 1/0 for a handled operator, -2 for "not mine".
 */
int version_relations(const struct version_ops *ops, const char *v, const char *range,
                      unsigned flags, struct fth_error *err,
                      int (*extra)(const char *op, const char *v, const char *want,
                                   unsigned flags));

/* Narrow [*s, *e) to leave out blanks (space, tab, CR, LF) at both ends. */
void version_trim(const char **s, const char **e);

#endif
