/*
 * license: declared licences normalised to SPDX identifiers and expressions, SPDX expression
 * parsing, licence categories for gates, and classification of licence texts (a LICENSE,
 * COPYING or copyright file) against known licence texts.
 *
 * The SPDX licence and exception lists and the reference texts are generated at build time
 * (docs/licenses.md says from what); every lookup ignores case.
 */
#ifndef FATHOM_LICENSE_H
#define FATHOM_LICENSE_H

#include <stddef.h>

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- SPDX expressions ---- */

enum fth_license_node {
    FTH_LICENSE_ID,  /* a licence id (id, plus) or a LicenseRef-/DocumentRef- reference */
    FTH_LICENSE_AND, /* left AND right */
    FTH_LICENSE_OR,  /* left OR right */
    FTH_LICENSE_WITH /* left WITH exception (left is an FTH_LICENSE_ID) */
};

/* A parsed SPDX expression; lives in the arena it was parsed into. */
struct fth_license_expr {
    enum fth_license_node kind;
    const char *id;        /* FTH_LICENSE_ID: the id as the SPDX list spells it */
    int plus;              /* FTH_LICENSE_ID: written with a trailing '+' */
    int paren;             /* pairs of parentheses written around it */
    const char *exception; /* FTH_LICENSE_WITH: the exception id as the list spells it */
    const struct fth_license_expr *left, *right;
};

/*
 * Parse an SPDX license expression (SPDX 2.3 annex D): ids from the SPDX list (case ignored),
 * an optional '+', LicenseRef-x and DocumentRef-x:LicenseRef-y, AND binding tighter than OR,
 * WITH followed by an exception from the exception list, parentheses. Operators are accepted
 * in any case. FTH_EINVALID (message naming the offending token and its column) for anything
 * else, FTH_ELIMIT past FTH_LIMIT_LICENSE_LEN bytes or FTH_LIMIT_LICENSE_DEPTH parentheses.
 */
int fth_license_parse(const struct fth_license_expr **out, struct fth_arena *a, const char *s,
                      size_t len, struct fth_error *err);

/* How fth_license_format writes an expression. */
enum {
    FTH_LICENSE_FORMAT_CURRENT = 1 /* deprecated ids in their current form (GPL-2.0+ ->
                                      GPL-2.0-or-later, GPL-2.0-with-GCC-exception -> GPL-2.0-only
                                      WITH GCC-exception-2.0) and only necessary parentheses;
                                      without it the expression is written as it was parsed */
};

/* The expression as text, in a; NULL only when out of memory. */
const char *fth_license_format(struct fth_arena *a, const struct fth_license_expr *e,
                               unsigned flags);

/*
 * A declared licence as an SPDX expression in its current form, in a; "" when it is not
 * recognised; NULL only when out of memory. Understands SPDX ids and expressions (deprecated
 * ids updated, redundant parentheses dropped), Debian DEP-5 short names and their `or`/`and`/
 * `, and` combinations, Fedora/rpm short names ("GPLv2+", "ASL 2.0"), the names and URLs
 * Maven, PyPI, npm and RubyGems metadata use, and PyPI "License :: ..." classifiers. Names
 * that do not say which licence they mean ("BSD License", "GPL with exceptions",
 * "Public Domain") are not guessed.
 */
const char *fth_license_normalize(struct fth_arena *a, const char *value);

/* 1 when id (case ignored) is on the SPDX licence list, deprecated ids included. */
int fth_license_is_id(const char *id);
/* 1 when id (case ignored) is on the SPDX exception list. */
int fth_license_is_exception(const char *id);
/* The full name of an SPDX licence id ("MIT License"); NULL when it is not on the list. */
const char *fth_license_name(const char *id);

/* ---- categories and gates ---- */

/* Trivy's licence categories, from most to least encumbering. */
enum fth_license_category {
    FTH_LICENSE_UNKNOWN = 0,
    FTH_LICENSE_FORBIDDEN,
    FTH_LICENSE_RESTRICTED,
    FTH_LICENSE_RECIPROCAL,
    FTH_LICENSE_NOTICE,
    FTH_LICENSE_PERMISSIVE,
    FTH_LICENSE_UNENCUMBERED
};

/* The category of one SPDX id (any case, with or without '+', -only or -or-later). */
enum fth_license_category fth_license_category(const char *id);
/*
 * The category of an SPDX expression (as fth_license_normalize returns it): an AND is as
 * encumbering as its most encumbering side, and unknown when a side is; an OR as its least
 * encumbering known side (the user may pick it); WITH as its licence. FTH_LICENSE_UNKNOWN for
 * "" or text that is not an expression.
 */
enum fth_license_category fth_license_expr_category(const char *expr);
/* "forbidden", "restricted", ... "unknown". */
const char *fth_license_category_name(enum fth_license_category c);
/*
 * 1 when the licence's copyleft reaches users over a network, not only recipients of copies
 * (AGPL, SSPL, OSL, EUPL, RPL, CPAL, ...).
 */
int fth_license_network_copyleft(const char *id);

/* A deny list: SPDX ids, id prefixes ending in '*' ("GPL-*"), and category names. */
struct fth_license_deny;

/*
 * Compile a comma-separated list ("AGPL-3.0-only,network-copyleft,forbidden,GPL-*"). Ids are
 * normalised like declared licences ("GPL-2.0" denies GPL-2.0-only); the category names are
 * those of fth_license_category_name plus "network-copyleft". An unknown name is FTH_EINVALID
 * naming it. The result lives in a.
 */
int fth_license_deny_parse(struct fth_license_deny **out, struct fth_arena *a, const char *list,
                           struct fth_error *err);

/*
 * Whether an SPDX expression (as fth_license_normalize returns it) is denied: an AND is
 * denied when either side is, an OR only when both are (the user may pick the other), WITH as
 * its licence. Returns 1 and, in *why when why is not NULL, the deny entry that matched (an id,
 * prefix or category name); 0 when allowed or when expr is "" or not an expression.
 */
int fth_license_denied(const struct fth_license_deny *d, const char *expr, const char **why);

/* ---- classification of licence texts ---- */

struct fth_license_match {
    const char *id;     /* SPDX id of the best match; "" when nothing is close enough */
    double confidence;  /* 0..1: Dice similarity of word 3-grams (or the share of the
                           licence found, for a licence inside a longer text) */
    const char *source; /* where the reference text came from ("debian:GPL-2", ...) */
};

/* Dice similarity at or above which a whole text is that licence. */
#define FTH_LICENSE_CLASSIFY_THRESHOLD 0.8

/*
 * Classify a licence text: case, punctuation, line wrapping and copyright lines do not
 * matter. A text that is one licence matches on Dice similarity; a longer text that contains
 * a whole licence (a Debian copyright file) matches on the share of the licence it contains.
 * Texts over FTH_LIMIT_LICENSE_TEXT bytes are FTH_ELIMIT. Returns 0 with out->id "" when
 * nothing matches, FTH_ENOMEM.
 */
int fth_license_classify(struct fth_license_match *out, const char *text, size_t len,
                         struct fth_error *err);

/* The number of reference texts and the SPDX id of the i-th (for tests and docs). */
size_t fth_license_text_count(void);
const char *fth_license_text_id(size_t i);

#ifdef __cplusplus
}
#endif

#endif
