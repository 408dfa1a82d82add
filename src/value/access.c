#include "fathom/value.h"

#include <string.h>

#include "../base/banned.h"

struct fth_value *fth_value_new(struct fth_arena *a, enum fth_value_type type)
{
    struct fth_value *v = fth_arena_alloc(a, sizeof(*v));
    if (v) {
        v->type = type;
        v->weight = 1;
    }
    return v;
}

struct fth_value *fth_value_new_str(struct fth_arena *a, const char *s, size_t len)
{
    struct fth_value *v = fth_value_new(a, FTH_VALUE_STRING);
    if (!v)
        return NULL;
    v->u.str.ptr = fth_arena_strndup(a, s, len);
    v->u.str.len = len;
    return v->u.str.ptr ? v : NULL;
}

static const struct fth_member *member_n(const struct fth_value *map, const char *key, size_t n)
{
    size_t i;
    if (!map || map->type != FTH_VALUE_MAP)
        return NULL;
    /* length and first byte before memcmp: most members differ there */
    for (i = 0; i < map->u.map.len; i++) {
        const struct fth_value *k = map->u.map.items[i].key;
        if (k->u.str.len == n && (!n || k->u.str.ptr[0] == key[0]) && !memcmp(k->u.str.ptr, key, n))
            return &map->u.map.items[i];
    }
    return NULL;
}

const struct fth_member *fth_value_member(const struct fth_value *map, const char *key)
{
    return map && map->type == FTH_VALUE_MAP ? member_n(map, key, strlen(key)) : NULL;
}

const struct fth_value *fth_value_get(const struct fth_value *map, const char *key)
{
    const struct fth_member *m = fth_value_member(map, key);
    return m ? m->value : NULL;
}

const struct fth_value *fth_value_getn(const struct fth_value *map, const char *key, size_t len)
{
    const struct fth_member *m = member_n(map, key, len);
    return m ? m->value : NULL;
}

const struct fth_value *fth_value_path(const struct fth_value *v, const char *path)
{
    char key[256];
    while (v && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof(key))
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        v = fth_value_get(v, key);
        path += n + (dot ? 1 : 0);
    }
    return v;
}

const struct fth_value *fth_value_at(const struct fth_value *seq, size_t i)
{
    if (!seq || seq->type != FTH_VALUE_SEQ || i >= seq->u.seq.len)
        return NULL;
    return seq->u.seq.items[i];
}

size_t fth_value_len(const struct fth_value *v)
{
    if (!v)
        return 0;
    if (v->type == FTH_VALUE_SEQ)
        return v->u.seq.len;
    if (v->type == FTH_VALUE_MAP)
        return v->u.map.len;
    return 0;
}

const char *fth_value_str(const struct fth_value *v)
{
    return v && v->type == FTH_VALUE_STRING ? v->u.str.ptr : NULL;
}

int fth_value_streq(const struct fth_value *v, const char *s)
{
    return v && v->type == FTH_VALUE_STRING && v->u.str.len == strlen(s) &&
           !memcmp(v->u.str.ptr, s, v->u.str.len);
}

int fth_value_is_true(const struct fth_value *v)
{
    return v && v->type == FTH_VALUE_BOOL && v->u.boolean;
}

int fth_value_is_false(const struct fth_value *v)
{
    return v && v->type == FTH_VALUE_BOOL && !v->u.boolean;
}

const char *fth_value_type_name(enum fth_value_type type)
{
    switch (type) {
    case FTH_VALUE_NULL:
        return "null";
    case FTH_VALUE_BOOL:
        return "a boolean";
    case FTH_VALUE_INT:
        return "an integer";
    case FTH_VALUE_FLOAT:
        return "a number";
    case FTH_VALUE_STRING:
        return "a string";
    case FTH_VALUE_SEQ:
        return "a sequence";
    case FTH_VALUE_MAP:
        return "a mapping";
    }
    return "an unknown type";
}
