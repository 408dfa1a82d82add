/*
 * image: which layer's copy of a path the merged root filesystem shows. Each layer keeps
 * sets of 64-bit path hashes (not strings, so a 1,000,000-entry layer costs tens of MB, not
 * hundreds): paths it adds (directories and other entries apart, since a non-directory
 * replaces a whole lower subtree), paths it whites out and directories it marks opaque.
 * Adding touches only that layer's sets, so different layers may be added from different
 * threads without locks.
 */
#include <stdlib.h>
#include <string.h>

#include "image_core.h"
#include "../base/banned.h"

/* Open addressing over nonzero hashes; 0 marks an empty slot. */
struct hset {
    uint64_t *slot;
    size_t cap; /* power of two, or 0 */
    size_t len;
};

enum { SET_DIR, SET_NONDIR, SET_WHITEOUT, SET_OPAQUE, NSETS };

struct fth_image_tree {
    size_t nlayers;
    struct hset (*sets)[NSETS];
};

static uint64_t hash_bytes(const char *s, size_t n)
{
    /* FNV-1a, then a 64-bit finaliser so close paths spread over the table. */
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h ? h : 1;
}

static int hset_has(const struct hset *s, uint64_t h)
{
    size_t i;

    if (!s->cap)
        return 0;
    for (i = (size_t)h & (s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
        if (s->slot[i] == h)
            return 1;
    return 0;
}

static void hset_put_slot(uint64_t *slot, size_t cap, uint64_t h)
{
    size_t i;

    for (i = (size_t)h & (cap - 1); slot[i]; i = (i + 1) & (cap - 1))
        if (slot[i] == h)
            return;
    slot[i] = h;
}

static int hset_add(struct hset *s, uint64_t h)
{
    if (hset_has(s, h))
        return 0;
    if ((s->len + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64, i;
        uint64_t *slot = calloc(cap, sizeof(*slot));

        if (!slot || cap < s->cap)
            return FTH_ENOMEM;
        for (i = 0; i < s->cap; i++)
            if (s->slot[i])
                hset_put_slot(slot, cap, s->slot[i]);
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    hset_put_slot(s->slot, s->cap, h);
    s->len++;
    return 0;
}

int fth_image_tree_new(struct fth_image_tree **out, size_t nlayers)
{
    struct fth_image_tree *t = calloc(1, sizeof(*t));

    *out = NULL;
    if (!t)
        return FTH_ENOMEM;
    t->nlayers = nlayers;
    if (nlayers && !(t->sets = calloc(nlayers, sizeof(*t->sets)))) {
        free(t);
        return FTH_ENOMEM;
    }
    *out = t;
    return 0;
}

void fth_image_tree_free(struct fth_image_tree *t)
{
    size_t l, k;

    if (!t)
        return;
    for (l = 0; l < t->nlayers; l++)
        for (k = 0; k < NSETS; k++)
            free(t->sets[l][k].slot);
    free(t->sets);
    free(t);
}

int fth_image_tree_add(struct fth_image_tree *t, const struct fth_entry *e)
{
    int k;

    if (!t || !e || !e->path || e->layer >= t->nlayers)
        return FTH_EINVALID;
    switch (e->type) {
    case FTH_ENTRY_DIR:
        k = SET_DIR;
        break;
    case FTH_ENTRY_WHITEOUT:
        k = SET_WHITEOUT;
        break;
    case FTH_ENTRY_OPAQUE:
        k = SET_OPAQUE;
        break;
    default:
        k = SET_NONDIR;
        break;
    }
    return hset_add(&t->sets[e->layer][k], hash_bytes(e->path, strlen(e->path)));
}

/* Does layer l (later than the copy asked about) hide `path`? */
static int layer_hides(const struct hset *s, const char *path, size_t len, uint64_t h)
{
    size_t i;

    if (hset_has(&s[SET_DIR], h) || hset_has(&s[SET_NONDIR], h) || hset_has(&s[SET_WHITEOUT], h))
        return 1;
    /* The root itself can be marked opaque (a `.wh..wh..opq` at the top of a layer). */
    if (hset_has(&s[SET_OPAQUE], hash_bytes("", 0)))
        return 1;
    for (i = 0; i < len; i++) {
        uint64_t a;

        if (path[i] != '/')
            continue;
        a = hash_bytes(path, i);
        /* An ancestor deleted, made opaque, or replaced by a file or symlink. */
        if (hset_has(&s[SET_WHITEOUT], a) || hset_has(&s[SET_OPAQUE], a) ||
            hset_has(&s[SET_NONDIR], a))
            return 1;
    }
    return 0;
}

int fth_image_tree_hidden_by(const struct fth_image_tree *t, const char *path, unsigned layer)
{
    size_t len, l;
    uint64_t h;

    if (!t || !path || layer >= t->nlayers)
        return -1;
    len = strlen(path);
    h = hash_bytes(path, len);
    for (l = (size_t)layer + 1; l < t->nlayers; l++)
        if (layer_hides(t->sets[l], path, len, h))
            return (int)l;
    return -1;
}

int fth_image_tree_visible(const struct fth_image_tree *t, const char *path, unsigned layer)
{
    const struct hset *s;
    uint64_t h;

    if (!t || !path || layer >= t->nlayers)
        return 0;
    s = t->sets[layer];
    h = hash_bytes(path, strlen(path));
    /* A layer's whiteouts and opaque markers are not copies of anything. */
    if (!hset_has(&s[SET_DIR], h) && !hset_has(&s[SET_NONDIR], h))
        return 0;
    return fth_image_tree_hidden_by(t, path, layer) < 0;
}
