/*
 * Helpers shared by the language catalogers. Licences go through the licence module
 * (fth_license_normalize); lang_spdx is its strict SPDX expression check.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "langpkg_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

void lang_trim(const char **s, size_t *len)
{
    while (*len && strchr(" \t\r\n", (*s)[0]))
        (*s)++, (*len)--;
    while (*len && strchr(" \t\r\n", (*s)[*len - 1]))
        (*len)--;
}

int lang_ends_with_ci(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);

    return len >= n && !strncasecmp(s + len - n, suffix, n);
}

/* The expression as written (ids in the SPDX list's spelling), "" when it is not one. */
const char *lang_spdx(struct fth_arena *a, const char *value)
{
    const struct fth_license_expr *e;

    if (!value || fth_license_parse(&e, a, value, strlen(value), NULL) < 0)
        return "";
    return fth_license_format(a, e, 0);
}

/* Lists this long or longer look repeats up in an index instead of scanning. */
#define LIST_SCAN 16

int lang_license_add(struct fth_arena *a, struct lang_licenses *l, const char *value, size_t len)
{
    struct fth_license *lic;
    const char *v;
    int error;

    lang_trim(&value, &len);
    if (!lang_name_ok(value, len))
        return 0;
    if (!(v = fth_arena_strndup(a, value, len)))
        return FTH_ENOMEM;
    if (l->n < LIST_SCAN) {
        for (size_t i = 0; i < l->n; i++)
            if (!strcmp(l->v[i].value, v))
                return 0;
    } else if (lang_index_get(&l->ix, v)) {
        return 0;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        struct fth_license *nv = fth_arena_calloc(a, cap, sizeof(*nv));

        if (!nv)
            return FTH_ENOMEM;
        if (l->n)
            memcpy(nv, l->v, l->n * sizeof(*nv));
        l->v = nv;
        l->cap = cap;
    }
    lic = &l->v[l->n];
    lic->value = v;
    if (!(lic->spdx = fth_license_normalize(a, v)))
        return FTH_ENOMEM;
    l->n++;
    if (l->n == LIST_SCAN) {
        for (size_t i = 0; i < l->n; i++)
            if ((error = lang_index_put(a, &l->ix, l->v[i].value, (void *)l->v[i].value)) < 0)
                return error;
    } else if (l->n > LIST_SCAN && (error = lang_index_put(a, &l->ix, v, (void *)v)) < 0) {
        return error;
    }
    return 0;
}

int lang_str_add(struct fth_arena *a, struct lang_strs *l, const char *s, size_t len)
{
    const char *v;
    int error;

    lang_trim(&s, &len);
    if (!lang_name_ok(s, len))
        return 0;
    if (!(v = fth_arena_strndup(a, s, len)))
        return FTH_ENOMEM;
    if (l->n < LIST_SCAN) {
        for (size_t i = 0; i < l->n; i++)
            if (!strcmp(l->v[i], v))
                return 0;
    } else if (lang_index_get(&l->ix, v)) {
        return 0;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        const char **nv = fth_arena_calloc(a, cap, sizeof(*nv));

        if (!nv)
            return FTH_ENOMEM;
        if (l->n)
            memcpy(nv, l->v, l->n * sizeof(*nv));
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = v;
    if (l->n == LIST_SCAN) {
        for (size_t i = 0; i < l->n; i++)
            if ((error = lang_index_put(a, &l->ix, l->v[i], (void *)l->v[i])) < 0)
                return error;
    } else if (l->n > LIST_SCAN && (error = lang_index_put(a, &l->ix, v, (void *)v)) < 0) {
        return error;
    }
    return 0;
}

/* FNV-1a */
static size_t hash(const char *s)
{
    size_t h = (size_t)14695981039346656037ULL;

    while (*s)
        h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ULL;
    return h;
}

void *lang_index_get(const struct lang_index *ix, const char *key)
{
    if (!ix->cap)
        return NULL;
    for (size_t i = hash(key) & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
        if (!ix->keys[i])
            return NULL;
        if (!strcmp(ix->keys[i], key))
            return ix->vals[i];
    }
}

static void index_insert(struct lang_index *ix, const char *key, void *val)
{
    size_t i = hash(key) & (ix->cap - 1);

    while (ix->keys[i])
        i = (i + 1) & (ix->cap - 1);
    ix->keys[i] = key;
    ix->vals[i] = val;
    ix->n++;
}

int lang_index_put(struct fth_arena *a, struct lang_index *ix, const char *key, void *val)
{
    /* keep the table at most half full; the old one stays in the arena (per-file scratch) */
    if ((ix->n + 1) * 2 > ix->cap) {
        struct lang_index bigger;
        size_t cap = ix->cap ? ix->cap * 2 : 64;

        bigger.n = 0;
        bigger.cap = cap;
        bigger.keys = fth_arena_calloc(a, cap, sizeof(*bigger.keys));
        bigger.vals = fth_arena_calloc(a, cap, sizeof(*bigger.vals));
        if (!bigger.keys || !bigger.vals)
            return FTH_ENOMEM;
        for (size_t i = 0; i < ix->cap; i++)
            if (ix->keys[i])
                index_insert(&bigger, ix->keys[i], ix->vals[i]);
        *ix = bigger;
    }
    index_insert(ix, key, val);
    return 0;
}

int lang_index_members(struct fth_arena *a, struct lang_index *ix, const struct fth_value *v)
{
    int error = 0;

    for (size_t i = 0; error == 0 && v && v->type == FTH_VALUE_MAP && i < v->u.map.len; i++) {
        const struct fth_member *m = &v->u.map.items[i];

        if (m->key->type == FTH_VALUE_STRING && !lang_index_get(ix, m->key->u.str.ptr))
            error = lang_index_put(a, ix, m->key->u.str.ptr, (void *)m->value);
    }
    for (size_t i = 0; error == 0 && v && v->type == FTH_VALUE_SEQ && i < v->u.seq.len; i++) {
        const struct fth_value *item = v->u.seq.items[i];

        if (item->type == FTH_VALUE_STRING && !lang_index_get(ix, item->u.str.ptr))
            error = lang_index_put(a, ix, item->u.str.ptr, (void *)item);
    }
    return error;
}

struct fth_package *lang_add(struct cat_sink *s, const struct cat_file *f, const char *type,
                             const char *ecosystem, const char *name, size_t name_len,
                             const char *version, size_t version_len)
{
    struct fth_arena *a = cat_arena(s);
    struct fth_package *p = cat_add(s, f);

    if (!p)
        return NULL;
    p->type = type;
    p->ecosystem = ecosystem;
    if (!(p->name = fth_arena_strndup(a, name, name_len)) ||
        !(p->version = fth_arena_strndup(a, version ? version : "", version ? version_len : 0)))
        return NULL;
    return p;
}

const struct fth_value *lang_load(struct cat_sink *s, const struct cat_file *f,
                                  struct fth_arena *scratch, int json)
{
    struct fth_load_opts opts = FTH_LOAD_OPTS_INIT;
    struct fth_value *root = NULL;
    const char *data = (const char *)f->data;
    size_t len = f->len;
    struct fth_error err;

    fth_error_clear(&err);
    opts.flags = json ? FTH_LOAD_JSON : 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        data += 3; /* a UTF-8 byte order mark, as Windows editors write package.json */
        len -= 3;
    }
    if (fth_value_load_one(&root, scratch, data, len, &opts, &err) < 0) {
        cat_warn(s, f, err.line, "%s", err.message);
        return NULL;
    }
    return root;
}

const char *lang_scalar(struct fth_arena *a, const struct fth_value *v)
{
    if (v && v->type == FTH_VALUE_STRING)
        return v->u.str.ptr;
    if (v && v->type == FTH_VALUE_INT)
        return fth_arena_printf(a, "%lld", (long long)v->u.integer);
    return NULL;
}

static int b64(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

const char *lang_sri_digest(struct fth_arena *a, const char *sri)
{
    static const struct {
        const char *algo;
        size_t bytes;
    } algos[] = {{"sha1", 20}, {"sha256", 32}, {"sha384", 48}, {"sha512", 64}};
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[64];
    char out[7 + 1 + 128 + 1];
    size_t n = 0, k, bits = 0;
    unsigned long acc = 0;
    const char *p;

    if (!sri)
        return "";
    for (k = 0; k < sizeof(algos) / sizeof(*algos); k++)
        if (!strncmp(sri, algos[k].algo, strlen(algos[k].algo)) &&
            sri[strlen(algos[k].algo)] == '-')
            break;
    if (k == sizeof(algos) / sizeof(*algos))
        return "";
    for (p = sri + strlen(algos[k].algo) + 1; *p && *p != ' ' && *p != '=' && *p != '?'; p++) {
        int v = b64(*p);

        if (v < 0)
            return "";
        acc = (acc << 6) | (unsigned long)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == algos[k].bytes)
                return ""; /* longer than the algorithm's digest */
            raw[n++] = (unsigned char)(acc >> bits);
            acc &= (1UL << bits) - 1;
        }
    }
    if (n != algos[k].bytes)
        return "";
    n = (size_t)snprintf(out, sizeof(out), "%s:", algos[k].algo);
    for (size_t i = 0; i < algos[k].bytes; i++) {
        out[n++] = hex[raw[i] >> 4];
        out[n++] = hex[raw[i] & 15];
    }
    out[n] = '\0';
    return fth_arena_strdup(a, out);
}

int lang_name_ok(const char *s, size_t len)
{
    return len && !memchr(s, '\0', len);
}

int lang_version_ok(const char *s, size_t len)
{
    if (!len || len > FTH_LIMIT_VERSION_LEN)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
            return 0;
    return 1;
}
