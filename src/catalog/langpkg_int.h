/*
 * catalog: helpers the language catalogers share (npm.c, python.c, gem.c, composer.c,
 * dotnet.c): licence lists with a first SPDX check, de-duplicated string lists, a
 * name@version index, and loading a JSON or YAML file into scratch memory with a warning
 * when it is broken.
 */
#ifndef FATHOM_CATALOG_LANGPKG_INT_H
#define FATHOM_CATALOG_LANGPKG_INT_H

#include <stddef.h>

#include <fathom/value.h>

#include "catalog_int.h"

/*
 * An index by string key (packages by name@version, for de-duplicating the entries of one
 * file; lock-file entries by key), in scratch memory.
 */
struct lang_index {
    const char **keys;
    void **vals;
    size_t n, cap;
};

/* The value stored under key, or NULL. */
void *lang_index_get(const struct lang_index *ix, const char *key);
/* Store val (not NULL) under key, which must outlive the index; no check for a repeat. */
int lang_index_put(struct fth_arena *a, struct lang_index *ix, const char *key, void *val);

/*
 * Index the members of map by their string keys (values: the member values), or the string
 * items of a sequence (values: the items), so that lookups stay linear in the file.
 */
int lang_index_members(struct fth_arena *a, struct lang_index *ix, const struct fth_value *v);

/* A growing list of declared licences, in the sink's arena. */
struct lang_licenses {
    struct fth_license *v;
    size_t n, cap;
    struct lang_index ix; /* by value, once the list is long enough to need it */
};

#define LANG_LICENSES_INIT                                                                         \
    {                                                                                              \
        NULL, 0, 0,                                                                                \
        {                                                                                          \
            NULL, NULL, 0, 0                                                                       \
        }                                                                                          \
    }

/*
 * Add a licence as declared (surrounding blanks trimmed; empty and repeated values are
 * skipped). .spdx is its SPDX expression (fth_license_normalize), "" when not recognised.
 */
int lang_license_add(struct fth_arena *a, struct lang_licenses *l, const char *value, size_t len);

/* value when it is a valid SPDX expression, with ids as the SPDX list spells them, else "". */
const char *lang_spdx(struct fth_arena *a, const char *value);

/* A growing list of distinct strings (dependency names), in the sink's arena. */
struct lang_strs {
    const char **v;
    size_t n, cap;
    struct lang_index ix; /* by string, once the list is long enough to need it */
};

#define LANG_STRS_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0,                                                                                \
        {                                                                                          \
            NULL, NULL, 0, 0                                                                       \
        }                                                                                          \
    }

#define LANG_INDEX_INIT                                                                            \
    {                                                                                              \
        NULL, NULL, 0, 0                                                                           \
    }

int lang_str_add(struct fth_arena *a, struct lang_strs *l, const char *s, size_t len);

/*
 * A new package of the given type and ecosystem, name and version copied into the sink's
 * arena. NULL when out of memory.
 */
struct fth_package *lang_add(struct cat_sink *s, const struct cat_file *f, const char *type,
                             const char *ecosystem, const char *name, size_t name_len,
                             const char *version, size_t version_len);

/*
 * Load f as one JSON (json != 0) or YAML document into scratch, which the caller frees.
 * NULL, with a warning on the sink, when it is broken.
 */
const struct fth_value *lang_load(struct cat_sink *s, const struct cat_file *f,
                                  struct fth_arena *scratch, int json);

/*
 * A version-like scalar as text: a string, or an integer as written. NULL for anything else
 * (a float has lost its spelling, so it is refused rather than guessed).
 */
const char *lang_scalar(struct fth_arena *a, const struct fth_value *v);

/*
 * A Subresource Integrity value ("sha512-<base64>", as npm, yarn, pnpm and .deps.json write
 * it; the first of several) as "sha512:<hex>"; sha1, sha256, sha384 and sha512 whose base64
 * decodes to the right length. "" otherwise, NULL when out of memory.
 */
const char *lang_sri_digest(struct fth_arena *a, const char *sri);

/* 1 when s (len bytes) is usable as a name: non-empty, no NUL byte (JSON's \u0000). */
int lang_name_ok(const char *s, size_t len);

/* 1 when s (len bytes) is usable as a version: non-empty, printable, at most the limit. */
int lang_version_ok(const char *s, size_t len);

/* Trim blanks (space, tab, CR, LF) at both ends of [*s, *s + *len). */
void lang_trim(const char **s, size_t *len);

/* 1 when s ends with suffix, ASCII case-insensitively. */
int lang_ends_with_ci(const char *s, size_t len, const char *suffix);

#endif
