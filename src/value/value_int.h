/* value: declarations shared by load.c, fastyaml.c and emit.c, private to the module. */
#ifndef FATHOM_VALUE_INT_H
#define FATHOM_VALUE_INT_H

#include <stddef.h>

#include "fathom/value.h"

/* Would this text, written as a plain YAML scalar, be read back as a string? */
int value_plain_is_string(const char *s, size_t len);

/* Resolve v (a string holding a plain scalar's text) as go-yaml v2 does: null, bool, int,
 * float or left a string. */
void value_resolve_plain(struct fth_value *v);

/*
 * sigs.k8s.io/yaml's string form of a scalar mapping key: a string stays, a bool, integer or
 * float becomes a new quoted string node at the same position in *key. Returns 0,
 * FTH_ENOMEM, or 1 when the key has no string form (null, a collection).
 */
int value_key_string(struct fth_arena *a, struct fth_value **key);

/*
 * The keys of one mapping being built, to find duplicates and apply merges in linear time: a
 * hash set for big mappings (merges can make them large), a scan for small ones.
 */
struct value_keyset {
    const struct fth_value **slots; /* NULL: scan members instead */
    size_t mask;
    const struct fth_member *members;
    size_t len;
};

/* Ready for up to max keys, stored by the caller in members[0, len) as they are added. */
int value_keyset_init(struct value_keyset *ks, struct fth_arena *a,
                      const struct fth_member *members, size_t max);
/* The key already present equal to k, or NULL after adding k (the caller stores the member). */
const struct fth_value *value_keyset_add(struct value_keyset *ks, const struct fth_value *k);

/* ---- the fast path (fastyaml.c) ---- */

/* value_fast_load's answer when the piece is outside its subset: libyaml must parse it. */
#define VALUE_FAST_NO 1

/* Working memory of the fast path, kept across the pieces of one stream. */
struct value_fast {
    struct fth_arena *a;      /* where stack and buf grow: lives as long as the stream */
    struct fth_value **stack; /* children of the collections being built */
    size_t len, cap;
    char *buf; /* the text of a scalar with escapes, folding or '' */
    size_t buf_len, buf_cap;
};

/*
 * Build the tree of one document piece (data[0, len), whose first line is line of the
 * stream) straight from the bytes, for the YAML subset manifests use. Returns 0 with *root
 * set (NULL never: an empty document is a null node), or VALUE_FAST_NO / FTH_ENOMEM when the
 * piece must go through libyaml instead; *root is then untouched. Nodes live in a.
 */
int value_fast_load(struct value_fast *fs, struct fth_arena *a, const char *data, size_t len,
                    unsigned line, size_t max_depth, size_t max_nodes, struct fth_value **root);

/* Pieces the fast path built and those it handed to libyaml, in this thread (for tests). */
void value_fast_stats(size_t *handled, size_t *fallback);

#endif
