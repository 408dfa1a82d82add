/*
 * The SemVer 2.0 core shared by npm (semver.c), Go (go.c), Cargo (cargo.c) and Hex (hex.c),
 * and npm's range machinery, exposed for its tests.
 *
 * A parsed version points into the text it was parsed from (spans, no copies); numbers are
 * kept as digit strings so that every ecosystem can apply its own bound (npm: 2^53 - 1,
 * Cargo: u64, Go and Elixir: none).
 */
#ifndef FATHOM_VERSION_SEMVER_INT_H
#define FATHOM_VERSION_SEMVER_INT_H

#include <stddef.h>

#include "version_int.h"

struct semver {
    const char *major, *minor, *patch; /* digits */
    size_t major_len, minor_len, patch_len;
    const char *pre; /* without the '-', pre_len 0 when there is none */
    size_t pre_len;
    const char *build; /* without the '+', build_len 0 when there is none */
    size_t build_len;
};

/*
 * Strict SemVer 2.0 of exactly [s, s + n): MAJOR.MINOR.PATCH, numbers without leading zeros,
 * optional -prerelease (numeric identifiers without leading zeros) and +build. 0 or
 * FTH_EINVALID.
 */
int semver_parse(struct semver *out, const char *s, size_t n);

/* Compare two digit strings without leading zeros (any length) numerically. */
int semver_cmp_digits(const char *a, size_t an, const char *b, size_t bn);

/*
 * SemVer 2.0 precedence of two prerelease strings: identifiers left to right, numeric ones
 * numerically and below alphanumeric ones, which compare in ASCII order; a longer list wins a
 * tie; an empty prerelease (a release) is above every non-empty one.
 */
int semver_cmp_pre(const char *a, size_t an, const char *b, size_t bn);

/* Precedence of two parsed versions; build metadata is ignored. -1, 0 or 1. */
int semver_compare(const struct semver *a, const struct semver *b);

/* Does the digit string fit in an unsigned 64-bit integer? */
int semver_fits_u64(const char *d, size_t n);

/* ---- npm (node-semver) ---- */

/*
 * node-semver's `validRange`: the normalised text of `range` ("*" for any version), under
 * FTH_VERSION_LOOSE and FTH_VERSION_INCLUDE_PRERELEASE. FTH_EINVALID when node-semver would
 * throw, FTH_ENOMEM.
 */
int npm_range_normalize(struct fth_buf *out, const char *range, unsigned flags);

/*
 * node-semver's `gtr` (hilo '>') and `ltr` (hilo '<'): is `version` above (below) every
 * version the range admits? 1 or 0; FTH_EINVALID for an invalid version or range.
 */
int npm_outside(const char *version, const char *range, char hilo, unsigned flags);

#endif
