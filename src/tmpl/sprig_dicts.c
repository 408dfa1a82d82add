/*
 * Sprig's dict functions (dict.go). Go maps are references: set, unset, merge and
 * mergeOverwrite change the map they are given (and return it), as charts rely on. merge and
 * mergeOverwrite follow mergo v0.3's rules for map[string]interface{}: nested maps merge in
 * place, a non-empty destination is never replaced by a map or a slice, and without overwrite
 * only missing or empty destination values are filled.
 */
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "sprig_int.h"

#define KEY(m, i) ((m)->u.map.items[i].key)
#define VAL(m, i) ((m)->u.map.items[i].value)

static int is_key(const struct fth_value *k)
{
    return k && k->type == FTH_VALUE_STRING;
}

SPRIG_FN(f_dict)
{
    struct fth_value *m = fth_tmpl_map(call->arena, argc / 2 + 1);
    struct fth_buf k = FTH_BUF_INIT;
    size_t i;
    int error = 0;
    if (!m)
        return FTH_ENOMEM;
    for (i = 0; i < argc && error == 0; i += 2) {
        struct fth_value *v =
            i + 1 < argc ? sprig_item(call, args[i + 1]) : fth_tmpl_str(call->arena, "", 0);
        fth_buf_clear(&k);
        if (!v)
            error = FTH_ENOMEM;
        else if ((error = sprig_strval(&k, args[i])) == 0)
            error = fth_tmpl_map_set(call->arena, m, k.ptr, k.len, v);
    }
    fth_buf_release(&k);
    if (error < 0)
        return error;
    *out = m;
    return 0;
}

SPRIG_FN(f_get)
{
    struct fth_value *v = fth_tmpl_map_get(args[0], args[1]->u.str.ptr, args[1]->u.str.len);
    SPRIG_UNUSED;
    if (!v)
        return sprig_ret_str(out, call, "", 0);
    return sprig_ret(out, v);
}

SPRIG_FN(f_set)
{
    int error;
    SPRIG_UNUSED;
    if ((error = fth_tmpl_map_set(call->arena, args[0], args[1]->u.str.ptr, args[1]->u.str.len,
                                  sprig_item(call, args[2]))) < 0)
        return error;
    *out = args[0];
    return 0;
}

SPRIG_FN(f_unset)
{
    SPRIG_UNUSED;
    (void)call;
    fth_tmpl_map_del(args[0], args[1]->u.str.ptr, args[1]->u.str.len);
    *out = args[0];
    return 0;
}

SPRIG_FN(f_has_key)
{
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_bool(call->arena, fth_tmpl_map_get(args[0], args[1]->u.str.ptr,
                                                                      args[1]->u.str.len) != NULL));
}

SPRIG_FN(f_pluck)
{
    struct fth_value *r = fth_tmpl_seq(call->arena, argc);
    size_t i;
    if (!r)
        return FTH_ENOMEM;
    for (i = 1; i < argc; i++) {
        struct fth_value *v = fth_tmpl_map_get(args[i], args[0]->u.str.ptr, args[0]->u.str.len);
        if (v && fth_tmpl_seq_push(call->arena, r, v) < 0)
            return FTH_ENOMEM;
    }
    *out = r;
    return 0;
}

SPRIG_FN(f_keys)
{
    struct fth_value *r = fth_tmpl_seq(call->arena, 4);
    size_t i, j;
    if (!r)
        return FTH_ENOMEM;
    for (i = 0; i < argc; i++)
        for (j = 0; j < args[i]->u.map.len; j++)
            if (is_key(KEY(args[i], j)) && fth_tmpl_seq_push(call->arena, r, KEY(args[i], j)) < 0)
                return FTH_ENOMEM;
    *out = r;
    return 0;
}

SPRIG_FN(f_values)
{
    struct fth_value *r = fth_tmpl_seq(call->arena, args[0]->u.map.len);
    size_t j;
    SPRIG_UNUSED;
    if (!r)
        return FTH_ENOMEM;
    for (j = 0; j < args[0]->u.map.len; j++)
        if (fth_tmpl_seq_push(call->arena, r, sprig_item(call, VAL(args[0], j))) < 0)
            return FTH_ENOMEM;
    *out = r;
    return 0;
}

static int listed(struct fth_value *const *keys, size_t n, const struct fth_value *k)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (keys[i]->u.str.len == k->u.str.len &&
            !memcmp(keys[i]->u.str.ptr, k->u.str.ptr, k->u.str.len))
            return 1;
    return 0;
}

SPRIG_FN(f_pick)
{
    struct fth_value *r = fth_tmpl_map(call->arena, argc);
    size_t i;
    if (!r)
        return FTH_ENOMEM;
    for (i = 1; i < argc; i++) {
        struct fth_value *v = fth_tmpl_map_get(args[0], args[i]->u.str.ptr, args[i]->u.str.len);
        if (v && fth_tmpl_map_set(call->arena, r, args[i]->u.str.ptr, args[i]->u.str.len, v) < 0)
            return FTH_ENOMEM;
    }
    *out = r;
    return 0;
}

SPRIG_FN(f_omit)
{
    struct fth_value *r = fth_tmpl_map(call->arena, args[0]->u.map.len);
    size_t j;
    if (!r)
        return FTH_ENOMEM;
    for (j = 0; j < args[0]->u.map.len; j++) {
        const struct fth_value *k = KEY(args[0], j);
        if (!is_key(k) || listed(args + 1, argc - 1, k))
            continue;
        if (fth_tmpl_map_set(call->arena, r, k->u.str.ptr, k->u.str.len,
                             sprig_item(call, VAL(args[0], j))) < 0)
            return FTH_ENOMEM;
    }
    *out = r;
    return 0;
}

static int plain(const struct fth_value *v, enum fth_value_type t)
{
    return v && !fth_tmpl_ext_of(v) && v->type == t;
}

/* mergo's deepMerge of two map[string]interface{}, dst changed in place */
static int merge_maps(struct fth_tmpl_call *call, struct fth_value *dst, struct fth_value *src,
                      int overwrite, int depth)
{
    size_t i, n = src->u.map.len;
    int error;
    if (depth > FTH_LIMIT_DEPTH)
        return fth_tmpl_fail(call, "%s: maps nested deeper than %d levels", call->func->name,
                             FTH_LIMIT_DEPTH);
    for (i = 0; i < n && i < src->u.map.len; i++) {
        const struct fth_value *k = KEY(src, i);
        struct fth_value *sv = VAL(src, i), *dv;
        if (!is_key(k))
            continue;
        dv = fth_tmpl_map_get(dst, k->u.str.ptr, k->u.str.len);
        if (sprig_is_nil(sv)) {
            if (overwrite && (error = fth_tmpl_map_set(call->arena, dst, k->u.str.ptr, k->u.str.len,
                                                       sprig_item(call, NULL))) < 0)
                return error;
            continue;
        }
        if (plain(sv, FTH_VALUE_MAP)) {
            if (plain(dv, FTH_VALUE_MAP) && dv != sv &&
                (error = merge_maps(call, dv, sv, overwrite, depth + 1)) < 0)
                return error;
            if (dv && !sprig_empty(dv))
                continue;
        } else if (plain(sv, FTH_VALUE_SEQ)) {
            struct fth_value *ds = dv;
            if (sprig_is_nil(dv) && !(ds = fth_tmpl_seq(call->arena, 0)))
                return FTH_ENOMEM;
            if (overwrite || dst->u.map.len == 0)
                ds = sv;
            if ((error = fth_tmpl_map_set(call->arena, dst, k->u.str.ptr, k->u.str.len, ds)) < 0)
                return error;
            if (dv && !sprig_empty(dv))
                continue;
        } else if (!(overwrite || !dv || sprig_empty(dv))) {
            continue;
        }
        if ((error = fth_tmpl_map_set(call->arena, dst, k->u.str.ptr, k->u.str.len, sv)) < 0)
            return error;
    }
    return 0;
}

static int merge(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                 size_t argc, int overwrite)
{
    size_t i;
    int error;
    for (i = 1; i < argc; i++)
        if (args[i] != args[0] && (error = merge_maps(call, args[0], args[i], overwrite, 0)) < 0)
            return error;
    *out = args[0];
    return 0;
}

SPRIG_FN(f_merge)
{
    return merge(out, call, args, argc, 0);
}

SPRIG_FN(f_merge_overwrite)
{
    return merge(out, call, args, argc, 1);
}

/* Go's text for a failed type assertion x.(T) */
static int conversion_panic(struct fth_tmpl_call *call, const struct fth_value *v, const char *t)
{
    return fth_tmpl_fail(call, "interface conversion: interface {} is %s, not %s",
                         sprig_is_nil(v) ? "nil" : fth_tmpl_type_name(v), t);
}

SPRIG_FN(f_dig)
{
    struct fth_value *d = args[argc - 1], *def;
    size_t i, nk;
    if (argc < 3)
        return fth_tmpl_fail(call, "dig needs at least three arguments");
    def = args[argc - 2];
    nk = argc - 2;
    if (!plain(d, FTH_VALUE_MAP))
        return conversion_panic(call, d, "map[string]interface {}");
    for (i = 0; i < nk; i++)
        if (!plain(args[i], FTH_VALUE_STRING) || (args[i]->flags & FTH_TMPL_VALUE_BYTES))
            return conversion_panic(call, args[i], "string");
    for (i = 0; i < nk; i++) {
        struct fth_value *step = fth_tmpl_map_get(d, args[i]->u.str.ptr, args[i]->u.str.len);
        if (!step)
            return sprig_ret(out, def);
        if (i == nk - 1)
            return sprig_ret(out, step);
        if (!plain(step, FTH_VALUE_MAP))
            return conversion_panic(call, step, "map[string]interface {}");
        d = step;
    }
    return sprig_ret(out, def);
}

const struct fth_tmpl_func tmpl_sprig_dicts[] = {
    {"dict", "*a", f_dict, NULL},
    {"get", "ms", f_get, NULL},
    {"set", "msa", f_set, NULL},
    {"unset", "ms", f_unset, NULL},
    {"hasKey", "ms", f_has_key, NULL},
    {"pluck", "s*m", f_pluck, NULL},
    {"keys", "*m", f_keys, NULL},
    {"pick", "m*s", f_pick, NULL},
    {"omit", "m*s", f_omit, NULL},
    {"merge", "m*m", f_merge, NULL},
    {"mergeOverwrite", "m*m", f_merge_overwrite, NULL},
    {"mustMerge", "m*m", f_merge, NULL},
    {"mustMergeOverwrite", "m*m", f_merge_overwrite, NULL},
    {"values", "m", f_values, NULL},
    {"dig", "*a", f_dig, NULL},
    {NULL, NULL, NULL, NULL},
};
