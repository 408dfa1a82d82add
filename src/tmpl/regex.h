/*
 * A regular expression engine with Go's RE2 syntax and semantics (leftmost-first matching,
 * submatches) for Sprig's regex functions. It compiles to a Thompson NFA and runs it as a Pike
 * VM: time is linear in the input for every pattern (no backtracking), memory bounded by the
 * program size, which FTH_LIMIT_REGEX_INSTS caps.
 *
 * Syntax: literals and escapes (\n \t \x41 \x{263a} \Q...\E, octal \123, punctuation),
 * `.`, classes [...] with ranges, negation, Perl classes (\d \w \s and negations) and POSIX
 * classes ([[:alpha:]]), anchors ^ $ \A \z \b \B, groups (re) (?:re) (?P<name>re) (?<name>re),
 * flags (?imsU) and (?flags:re), repetition * + ? {n} {n,} {n,m} (counts up to 1000) with lazy
 * forms, alternation, Unicode classes \pL \p{Lu} \p{Ll} \p{N} \p{Nd} \p{P} \p{Greek}
 * \p{Cyrillic} \p{Latin} \p{Han} \p{Any} (and \P, \p{^...}). Case folding and the letter
 * classes cover Latin, Greek and Cyrillic; other \p names fail to compile.
 */
#ifndef FATHOM_TMPL_REGEX_H
#define FATHOM_TMPL_REGEX_H

#include <stddef.h>

#include "fathom/base.h"

struct tmpl_regex;

/*
 * Compile pat into a (the program lives there). On a syntax error returns FTH_EINVALID and
 * puts Go's error text in msg: "error parsing regexp: missing closing ): `(a`"; a pattern
 * whose program would exceed FTH_LIMIT_REGEX_INSTS is "expression too large".
 */
int tmpl_regex_compile(struct tmpl_regex **out, struct fth_arena *a, const char *pat, size_t len,
                       struct fth_buf *msg);

/* Capture groups, group 0 (the whole match) included. */
size_t tmpl_regex_groups(const struct tmpl_regex *re);
/* The name of group i ("" when unnamed). */
const char *tmpl_regex_group_name(const struct tmpl_regex *re, size_t i);

/*
 * The leftmost-first match of re in s[0:n) starting at byte pos (assertions see the text
 * before pos). Returns 1 and fills caps[0 .. 2*groups) with byte offsets (-1 for groups that
 * did not take part), 0 when there is no match, FTH_ENOMEM.
 */
int tmpl_regex_match(const struct tmpl_regex *re, const char *s, size_t n, size_t pos, long *caps);

#endif
