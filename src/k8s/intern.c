/*
 * The sink's string table: a finding's message and field path are kept once per distinct
 * text. A directory of manifests repeats itself (the same chart rendered per namespace, the
 * same container in every replica), and 300,000 findings' copies otherwise cost most of a
 * scan's memory, and the page faults to get it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8s_int.h"
#include "../base/banned.h"

/* 16 bytes: the table outgrows the caches on a large scan, and every lookup is a miss. */
struct slot {
    const char *s;
    uint32_t hash; /* the low half of the text's hash */
    uint32_t len;
};

struct k8s_strtab {
    struct slot *slots;
    size_t cap; /* a power of two */
    size_t len;
};

/* Eight bytes a step: messages are long and byte-at-a-time hashing showed in profiles. */
static uint64_t hash_text(const char *s, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s + i, len - i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 29);
}

static int grow(struct k8s_strtab *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    struct slot *slots = calloc(cap, sizeof(*slots));

    if (!slots)
        return FTH_ENOMEM;
    for (size_t i = 0; i < t->cap; i++) {
        size_t j;

        if (!t->slots[i].s)
            continue;
        for (j = t->slots[i].hash & (cap - 1); slots[j].s; j = (j + 1) & (cap - 1))
            ;
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

const char *k8s_intern(struct k8s_sink *sink, const char *s, size_t len)
{
    struct k8s_strtab *t = sink->strtab;
    uint64_t h;
    char *copy;
    size_t j;

    if (len > UINT32_MAX)
        return fth_arena_strndup(sink->a, s, len);
    h = hash_text(s, len);
    if (!t && !(t = sink->strtab = calloc(1, sizeof(*t))))
        return NULL;
    if ((t->len + 1) * 2 > t->cap && grow(t) < 0)
        return NULL;
    for (j = (uint32_t)h & (t->cap - 1); t->slots[j].s; j = (j + 1) & (t->cap - 1))
        if (t->slots[j].hash == (uint32_t)h && t->slots[j].len == len &&
            !memcmp(t->slots[j].s, s, len))
            return t->slots[j].s;
    if (!(copy = fth_arena_strndup(sink->a, s, len)))
        return NULL;
    t->slots[j].hash = (uint32_t)h;
    t->slots[j].s = copy;
    t->slots[j].len = (uint32_t)len;
    t->len++;
    return copy;
}

void k8s_intern_release(struct k8s_sink *sink)
{
    if (sink->strtab) {
        free(sink->strtab->slots);
        free(sink->strtab);
        sink->strtab = NULL;
    }
}
