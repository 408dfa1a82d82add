/*
 * license: module-private declarations. The tables are generated at build time into the
 * build directory (scripts/gen-license-data.py -> spdx_ids.c), sorted by id ignoring case.
 */
#ifndef FATHOM_LICENSE_INT_H
#define FATHOM_LICENSE_INT_H

#include <stddef.h>

#include "fathom/license.h"

enum { LIC_OSI = 1, LIC_DEPRECATED = 2 };

struct lic_id {
    const char *id;
    const char *name;
    unsigned flags;
};

struct lic_exception {
    const char *id;
    const char *name;
};

struct lic_text {
    const char *id;     /* SPDX id a full copy of the text means */
    const char *source; /* "debian:GPL-2", "spdx-license-list:MIT" */
    const char *text;
    size_t len;
};

extern const struct lic_id lic_ids[];
extern const size_t lic_nids;
extern const struct lic_exception lic_exceptions[];
extern const size_t lic_nexceptions;
extern const struct lic_text lic_texts[];
extern const size_t lic_ntexts;

/* The list entry for an id of len bytes (case ignored), NULL when not listed. */
const struct lic_id *lic_find_id(const char *id, size_t len);
const struct lic_exception *lic_find_exception(const char *id, size_t len);

/*
 * The current form of a (possibly deprecated) listed id with its '+': "GPL-2.0" + plus ->
 * "GPL-2.0-or-later", "GPL-2.0-with-GCC-exception" -> "GPL-2.0-only WITH GCC-exception-2.0";
 * an id that is current comes back as it is (plus keeps its '+'). *compound is set to 1 when
 * the result is a WITH expression. Static strings, or a string in a.
 */
const char *lic_current(struct fth_arena *a, const char *id, int plus, int *compound);

/* ASCII case-insensitive comparison of s[0..len) with the NUL-terminated t. */
int lic_eq(const char *s, size_t len, const char *t);

#endif
