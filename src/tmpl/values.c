/*
 * Values for templates: constructors, in-place map updates (Go maps are shared references),
 * Go's truth and type names, and the extension values (structs, methods, opaque values).
 */
#include <string.h>

#include "../base/banned.h"
#include "tmpl_int.h"

static struct fth_value *mk(struct fth_arena *a, enum fth_value_type t)
{
    struct fth_value *v = fth_arena_alloc(a, sizeof(*v));
    if (v) {
        v->type = t;
        v->weight = 1;
    }
    return v;
}

struct fth_value *fth_tmpl_null(struct fth_arena *a)
{
    return mk(a, FTH_VALUE_NULL);
}

struct fth_value *fth_tmpl_bool(struct fth_arena *a, int b)
{
    struct fth_value *v = mk(a, FTH_VALUE_BOOL);
    if (v)
        v->u.boolean = !!b;
    return v;
}

struct fth_value *fth_tmpl_int(struct fth_arena *a, int64_t i)
{
    struct fth_value *v = mk(a, FTH_VALUE_INT);
    if (v)
        v->u.integer = i;
    return v;
}

struct fth_value *fth_tmpl_int64(struct fth_arena *a, int64_t i)
{
    struct fth_value *v = fth_tmpl_int(a, i);
    if (v)
        v->flags |= FTH_TMPL_VALUE_INT64;
    return v;
}

struct fth_value *fth_tmpl_float(struct fth_arena *a, double d)
{
    struct fth_value *v = mk(a, FTH_VALUE_FLOAT);
    if (v)
        v->u.number = d;
    return v;
}

struct fth_value *fth_tmpl_str(struct fth_arena *a, const char *s, size_t len)
{
    struct fth_value *v = mk(a, FTH_VALUE_STRING);
    char *p;
    if (!v)
        return NULL;
    p = fth_arena_strndup(a, s ? s : "", s ? len : 0);
    if (!p)
        return NULL;
    v->u.str.ptr = p;
    v->u.str.len = s ? len : 0;
    return v;
}

struct fth_value *fth_tmpl_bytes(struct fth_arena *a, const void *s, size_t len)
{
    struct fth_value *v = fth_tmpl_str(a, s, len);
    if (v)
        v->flags |= FTH_TMPL_VALUE_BYTES;
    return v;
}

static size_t pow2(size_t n)
{
    size_t c = 4;
    while (c < n && c < ((size_t)1 << 60))
        c *= 2;
    return c;
}

struct fth_value *fth_tmpl_seq(struct fth_arena *a, size_t cap)
{
    struct fth_value *v = mk(a, FTH_VALUE_SEQ);
    if (v) {
        v->u.seq.items = fth_arena_calloc(a, pow2(cap), sizeof(*v->u.seq.items));
        if (!v->u.seq.items)
            return NULL;
        v->flags |= FTH_TMPL_VALUE_ROOM;
    }
    return v;
}

struct fth_value *fth_tmpl_map(struct fth_arena *a, size_t cap)
{
    struct fth_value *v = mk(a, FTH_VALUE_MAP);
    if (v) {
        v->u.map.items = fth_arena_calloc(a, pow2(cap), sizeof(*v->u.map.items));
        if (!v->u.map.items)
            return NULL;
        v->flags |= FTH_TMPL_VALUE_ROOM;
    }
    return v;
}

/*
 * Room is tracked without a capacity field: an array marked FTH_TMPL_VALUE_ROOM holds at least
 * the power of two at or above its length (and 4), so it is full only when the length is a
 * power of two. Arrays made elsewhere (the YAML loader) are exact: copy them first.
 */
static int needs_grow(const struct fth_value *v, size_t len)
{
    if (!(v->flags & FTH_TMPL_VALUE_ROOM))
        return 1;
    return len >= 4 && (len & (len - 1)) == 0;
}

int fth_tmpl_seq_push(struct fth_arena *a, struct fth_value *seq, struct fth_value *item)
{
    size_t n = seq->u.seq.len;
    if (needs_grow(seq, n)) {
        size_t nc = pow2(n + 1);
        struct fth_value **ni = fth_arena_alloc(a, nc * sizeof(*ni));
        if (!ni)
            return FTH_ENOMEM;
        if (n)
            memcpy(ni, seq->u.seq.items, n * sizeof(*ni));
        seq->u.seq.items = ni;
        seq->flags |= FTH_TMPL_VALUE_ROOM;
    }
    seq->u.seq.items[seq->u.seq.len++] = item;
    return 0;
}

struct fth_value *fth_tmpl_map_get(const struct fth_value *map, const char *key, size_t klen)
{
    size_t i;
    if (!map || map->type != FTH_VALUE_MAP)
        return NULL;
    for (i = 0; i < map->u.map.len; i++) {
        const struct fth_value *k = map->u.map.items[i].key;
        if (k && k->type == FTH_VALUE_STRING && k->u.str.len == klen &&
            !memcmp(k->u.str.ptr, key, klen))
            return map->u.map.items[i].value;
    }
    return NULL;
}

int fth_tmpl_map_set(struct fth_arena *a, struct fth_value *map, const char *key, size_t klen,
                     struct fth_value *val)
{
    size_t i, n = map->u.map.len;
    struct fth_value *k;
    for (i = 0; i < n; i++) {
        k = map->u.map.items[i].key;
        if (k && k->type == FTH_VALUE_STRING && k->u.str.len == klen &&
            !memcmp(k->u.str.ptr, key, klen)) {
            map->u.map.items[i].value = val;
            return 0;
        }
    }
    if (needs_grow(map, n)) {
        size_t nc = pow2(n + 1);
        struct fth_member *ni = fth_arena_alloc(a, nc * sizeof(*ni));
        if (!ni)
            return FTH_ENOMEM;
        if (n)
            memcpy(ni, map->u.map.items, n * sizeof(*ni));
        map->u.map.items = ni;
        map->flags |= FTH_TMPL_VALUE_ROOM;
    }
    k = fth_tmpl_str(a, key, klen);
    if (!k)
        return FTH_ENOMEM;
    map->u.map.items[n].key = k;
    map->u.map.items[n].value = val;
    map->u.map.len = n + 1;
    return 0;
}

int fth_tmpl_map_del(struct fth_value *map, const char *key, size_t klen)
{
    size_t i, n;
    if (!map || map->type != FTH_VALUE_MAP)
        return 0;
    n = map->u.map.len;
    for (i = 0; i < n; i++) {
        const struct fth_value *k = map->u.map.items[i].key;
        if (k && k->type == FTH_VALUE_STRING && k->u.str.len == klen &&
            !memcmp(k->u.str.ptr, key, klen)) {
            memmove(&map->u.map.items[i], &map->u.map.items[i + 1],
                    (n - i - 1) * sizeof(map->u.map.items[0]));
            map->u.map.len = n - 1;
            return 1;
        }
    }
    return 0;
}

struct fth_tmpl_ext *fth_tmpl_ext_of(const struct fth_value *v)
{
    if (!v || !(v->flags & FTH_TMPL_VALUE_EXT))
        return NULL;
    return (struct fth_tmpl_ext *)(void *)(uintptr_t)v;
}

struct fth_value *fth_tmpl_struct_new(struct fth_arena *a, const char *type_name, size_t cap)
{
    struct fth_tmpl_ext *e = fth_arena_alloc(a, sizeof(*e));
    if (!e)
        return NULL;
    e->v.type = FTH_VALUE_MAP;
    e->v.flags = FTH_TMPL_VALUE_EXT;
    e->v.weight = 1;
    e->kind = FTH_TMPL_EXT_STRUCT;
    e->type_name = type_name;
    e->v.u.map.items = fth_arena_calloc(a, pow2(cap), sizeof(*e->v.u.map.items));
    if (!e->v.u.map.items)
        return NULL;
    e->v.flags |= FTH_TMPL_VALUE_ROOM;
    return &e->v;
}

struct fth_value *fth_tmpl_method_new(struct fth_arena *a, const struct fth_tmpl_func *fn,
                                      void *recv)
{
    struct fth_tmpl_ext *e = fth_arena_alloc(a, sizeof(*e));
    if (!e)
        return NULL;
    e->v.type = FTH_VALUE_NULL;
    e->v.flags = FTH_TMPL_VALUE_EXT;
    e->v.weight = 1;
    e->kind = FTH_TMPL_EXT_METHOD;
    e->type_name = "func";
    e->method = fn;
    e->data = recv;
    return &e->v;
}

struct fth_tmpl_ext *fth_tmpl_opaque_new(struct fth_arena *a, enum fth_value_type type,
                                         const char *type_name, const char *text, void *data)
{
    struct fth_tmpl_ext *e = fth_arena_alloc(a, sizeof(*e));
    if (!e)
        return NULL;
    e->v.type = type;
    e->v.flags = FTH_TMPL_VALUE_EXT;
    e->v.weight = 1;
    e->kind = FTH_TMPL_EXT_OPAQUE;
    e->type_name = type_name;
    e->text = text;
    e->data = data;
    return e;
}

int tmpl_is_method(const struct fth_value *v)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);

    return e && e->kind == FTH_TMPL_EXT_METHOD;
}

size_t tmpl_map_data_len(const struct fth_value *map)
{
    size_t n = 0;

    for (size_t i = 0; i < map->u.map.len; i++)
        n += !tmpl_is_method(map->u.map.items[i].value);
    return n;
}

int fth_tmpl_truth(const struct fth_value *v)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    if (!v)
        return 0;
    /* a Go map type with methods is true when it holds data, like any map */
    if (e && e->kind == FTH_TMPL_EXT_OPAQUE && v->type == FTH_VALUE_MAP)
        return tmpl_map_data_len(v) != 0;
    if (e && e->kind != FTH_TMPL_EXT_STRUCT)
        return 1; /* a struct, a non-nil function or an opaque value */
    if (e)
        return 1;
    switch (v->type) {
    case FTH_VALUE_NULL:
        return 0;
    case FTH_VALUE_BOOL:
        return v->u.boolean;
    case FTH_VALUE_INT:
        return v->u.integer != 0;
    case FTH_VALUE_FLOAT:
        return v->u.number != 0;
    case FTH_VALUE_STRING:
        return v->u.str.len != 0;
    case FTH_VALUE_SEQ:
        return v->u.seq.len != 0;
    case FTH_VALUE_MAP:
        return tmpl_map_data_len(v) != 0;
    }
    return 0;
}

const char *fth_tmpl_type_name(const struct fth_value *v)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    if (e && e->type_name)
        return e->type_name;
    if (!v)
        return "<nil>";
    switch (v->type) {
    case FTH_VALUE_NULL:
        return "<nil>";
    case FTH_VALUE_BOOL:
        return "bool";
    case FTH_VALUE_INT:
        return v->flags & FTH_TMPL_VALUE_INT64 ? "int64" : "int";
    case FTH_VALUE_FLOAT:
        return "float64";
    case FTH_VALUE_STRING:
        return v->flags & FTH_TMPL_VALUE_BYTES ? "[]uint8" : "string";
    case FTH_VALUE_SEQ:
        return "[]interface {}";
    case FTH_VALUE_MAP:
        return "map[string]interface {}";
    }
    return "<nil>";
}

int tmpl_is_number(const struct fth_value *v)
{
    return v && (v->type == FTH_VALUE_INT || v->type == FTH_VALUE_FLOAT);
}
