/*
 * catalog: the apk cataloger (Alpine, Wolfi, Chainguard). Reads lib/apk/db/installed: one
 * record per package, records separated by blank lines, each line "X:value":
 *   P name, V version, A arch, L licence, o origin (source package), D depends, p provides,
 *   F directory, R file in the last F directory, C checksum ("Q1" + base64 SHA-1), t build
 *   time, c commit, m maintainer (the rest is ignored).
 * Dependencies are resolved inside the database as apk does: "so:libc.musl-x86_64.so.1",
 * "cmd:sh", "/bin/sh" and "pkgconfig" name whatever installed package provides them; plain
 * names that no installed package provides are kept as declared, unresolved provides-style
 * entries are dropped, and conflicts ("!name") are not dependencies.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

static int apk_wants(const char *path, uint64_t size, unsigned mode)
{
    (void)size;
    (void)mode;
    return !strcmp(path, "lib/apk/db/installed");
}

struct record {
    const char *name, *version, *arch, *license, *origin, *depends, *provides, *checksum;
    struct fth_vec files; /* const char * */
    unsigned line;
    int files_warned;
};

struct provider {
    const char *name;
    const char *pkg;
};

static int cmp_provider(const void *x, const void *y)
{
    return strcmp(((const struct provider *)x)->name, ((const struct provider *)y)->name);
}

static const char *lookup(const struct provider *prov, size_t n, const char *name)
{
    struct provider key = {name, NULL};
    const struct provider *p;

    if (!n || !(p = bsearch(&key, prov, n, sizeof(*p), cmp_provider)))
        return NULL;
    while (p > prov && !strcmp(p[-1].name, name))
        p--;
    for (const struct provider *q = p; q < prov + n && !strcmp(q->name, name); q++)
        if (!strcmp(q->pkg, name))
            return q->pkg;
    return p->pkg;
}

/* Next whitespace-separated word of s at *i, without its "=version" / "<version" part. */
static int next_word(const char *s, size_t *i, char *out, size_t cap)
{
    size_t j, n;

    while (s[*i] && isspace((unsigned char)s[*i]))
        (*i)++;
    if (!s[*i])
        return 0;
    j = *i;
    while (s[j] && !isspace((unsigned char)s[j]))
        j++;
    n = j - *i;
    for (size_t k = 0; k < n; k++)
        if (strchr("=<>~", s[*i + k])) {
            n = k;
            break;
        }
    if (n >= cap)
        n = 0;
    memcpy(out, s + *i, n);
    out[n] = '\0';
    *i = j;
    return 1;
}

static int push_unique(struct fth_vec *v, struct fth_arena *a, const char *name)
{
    char *copy;

    for (size_t i = 0; i < v->len; i++)
        if (!strcmp(v->items[i], name))
            return 0;
    if (!(copy = fth_arena_strdup(a, name)))
        return FTH_ENOMEM;
    return fth_vec_push(v, a, copy);
}

static int resolve_depends(struct fth_vec *out, struct fth_arena *a, const char *deps,
                           const struct provider *prov, size_t nprov)
{
    char word[512];
    size_t i = 0;
    int rc = 0;

    while (rc >= 0 && deps && next_word(deps, &i, word, sizeof(word))) {
        const char *pkg;

        if (!*word || *word == '!')
            continue;
        if ((pkg = lookup(prov, nprov, word)))
            rc = push_unique(out, a, pkg);
        else if (*word != '/' && !strchr(word, ':'))
            rc = push_unique(out, a, word);
    }
    return rc;
}

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* "Q1" + base64(SHA-1) -> "sha1:<hex>"; "" when it is not that. */
static const char *checksum_digest(struct fth_arena *a, const char *c)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[21];
    char out[5 + 40 + 1] = "sha1:";
    size_t n = 0;
    unsigned acc = 0, bits = 0;

    if (!c || strncmp(c, "Q1", 2) || strlen(c) != 30)
        return "";
    for (const char *p = c + 2; *p && *p != '='; p++) {
        int v = b64val((unsigned char)*p);

        if (v < 0)
            return "";
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n < sizeof(raw))
                raw[n++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (n != 20)
        return "";
    for (size_t i = 0; i < 20; i++) {
        out[5 + 2 * i] = hex[raw[i] >> 4];
        out[5 + 2 * i + 1] = hex[raw[i] & 15];
    }
    out[45] = '\0';
    return fth_arena_strdup(a, out);
}

/* "MIT BSD GPL2+" and "( Apache-2.0 OR MIT ) AND MPL-2.0": one licence per term. */
static int split_licenses(struct fth_package *p, struct fth_arena *a, const char *l)
{
    struct fth_vec v = {0};
    struct fth_license *arr;
    size_t i = 0;
    int rc = 0;

    while (rc >= 0 && l[i]) {
        size_t j;

        while (l[i] && (isspace((unsigned char)l[i]) || l[i] == '(' || l[i] == ')'))
            i++;
        j = i;
        while (l[j] && !isspace((unsigned char)l[j]) && l[j] != '(' && l[j] != ')')
            j++;
        if (j > i && !(j - i == 3 && (!strncmp(l + i, "AND", 3) || !strncmp(l + i, "and", 3))) &&
            !(j - i == 2 && (!strncmp(l + i, "OR", 2) || !strncmp(l + i, "or", 2))) &&
            !(j - i == 4 && !strncmp(l + i, "WITH", 4))) {
            struct fth_license *lic = fth_arena_calloc(a, 1, sizeof(*lic));

            if (!lic || !(lic->value = fth_arena_strndup(a, l + i, j - i)) ||
                !(lic->spdx = fth_license_normalize(a, lic->value)))
                return FTH_ENOMEM;
            rc = fth_vec_push(&v, a, lic);
        }
        i = j;
    }
    if (rc < 0 || !v.len)
        return rc;
    if (!(arr = fth_arena_calloc(a, v.len, sizeof(*arr))))
        return FTH_ENOMEM;
    for (size_t k = 0; k < v.len; k++)
        arr[k] = *(const struct fth_license *)v.items[k];
    p->licenses = arr;
    p->nlicenses = v.len;
    return 0;
}

static int emit(struct cat_sink *s, const struct cat_file *f, const struct record *r,
                const struct provider *prov, size_t nprov)
{
    struct fth_arena *a = cat_arena(s);
    struct fth_package *p = cat_add(s, f);
    struct fth_vec deps = {0};
    int rc;

    if (!p)
        return FTH_ENOMEM;
    p->type = "apk";
    p->ecosystem = "Alpine";
    p->name = r->name;
    p->version = r->version;
    p->arch = r->arch ? r->arch : "";
    if (r->origin && *r->origin) {
        p->src_name = r->origin;
        p->src_version = r->version;
    }
    if (!(p->digest = checksum_digest(a, r->checksum)))
        return FTH_ENOMEM;
    if (r->license && (rc = split_licenses(p, a, r->license)) < 0)
        return rc;
    if ((rc = resolve_depends(&deps, a, r->depends, prov, nprov)) < 0)
        return rc;
    p->depends = (const char *const *)deps.items;
    p->ndepends = deps.len;
    p->files = (const char *const *)r->files.items;
    p->nfiles = r->files.len;
    return 0;
}

static int apk_parse(struct cat_sink *s, const struct cat_file *f)
{
    struct fth_arena *a = cat_arena(s);
    const char *p = (const char *)f->data, *end = p + f->len, *dir = "";
    struct fth_vec recs = {0};
    struct record *r = NULL;
    struct provider *prov = NULL;
    size_t nprov = 0, cap = 0;
    unsigned no = 0;
    int rc = 0, done = 0;

    while (!done) {
        const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        const char *line = p;
        size_t n = (size_t)((nl ? nl : end) - p);
        char *val;

        done = p >= end;
        p = nl ? nl + 1 : end;
        no++;
        if (n && line[n - 1] == '\r')
            n--;
        /* a blank line (or the end) closes the record */
        if (done || !n) {
            if (r) {
                if (!r->name || !*r->name)
                    cat_warn(s, f, r->line, "record without a package name (P:)");
                else if (!r->version || !*r->version)
                    cat_warn(s, f, r->line, "package '%s' has no version (V:)", r->name);
                else if (recs.len >= FTH_LIMIT_APK_PACKAGES)
                    cat_warn(s, f, r->line, "more than %d packages: '%s' is not read",
                             FTH_LIMIT_APK_PACKAGES, r->name);
                else if ((rc = fth_vec_push(&recs, a, r)) < 0)
                    return rc;
                r = NULL;
                dir = "";
            }
            continue;
        }
        if (n < 2 || line[1] != ':') {
            cat_warn(s, f, no, "not a field: '%.*s'", (int)(n > 60 ? 60 : n), line);
            continue;
        }
        if (!r) {
            if (!(r = fth_arena_calloc(a, 1, sizeof(*r))))
                return FTH_ENOMEM;
            r->line = no;
        }
        if (!(val = fth_arena_strndup(a, line + 2, n - 2)))
            return FTH_ENOMEM;
        switch (line[0]) {
        case 'P':
            r->name = val;
            break;
        case 'V':
            r->version = val;
            break;
        case 'A':
            r->arch = val;
            break;
        case 'L':
            r->license = val;
            break;
        case 'o':
            r->origin = val;
            break;
        case 'D':
            r->depends = val;
            break;
        case 'p':
            r->provides = val;
            break;
        case 'C':
            r->checksum = val;
            break;
        case 'F':
            while (*val == '/')
                val++;
            dir = val;
            break;
        case 'R':
            if (r->files.len >= FTH_LIMIT_APK_FILES) {
                if (!r->files_warned++)
                    cat_warn(s, f, no, "more than %d files in one package: the rest are not read",
                             FTH_LIMIT_APK_FILES);
                break;
            }
            if (*dir && !(val = fth_arena_printf(a, "%s/%s", dir, val)))
                return FTH_ENOMEM;
            if ((rc = fth_vec_push(&r->files, a, val)) < 0)
                return rc;
            break;
        default:
            break;
        }
    }

    for (size_t i = 0; i < recs.len; i++) {
        const struct record *q = recs.items[i];
        size_t k = 0;
        char word[512];

        cap++;
        while (q->provides && next_word(q->provides, &k, word, sizeof(word)))
            cap++;
    }
    if (cap && !(prov = calloc(cap, sizeof(*prov))))
        return FTH_ENOMEM;
    for (size_t i = 0; i < recs.len && rc >= 0; i++) {
        const struct record *q = recs.items[i];
        size_t k = 0;
        char word[512];

        prov[nprov].name = q->name;
        prov[nprov++].pkg = q->name;
        while (q->provides && next_word(q->provides, &k, word, sizeof(word)) && nprov < cap) {
            if (!*word)
                continue;
            if (!(prov[nprov].name = fth_arena_strdup(a, word))) {
                rc = FTH_ENOMEM;
                break;
            }
            prov[nprov++].pkg = q->name;
        }
    }
    if (nprov > 1)
        qsort(prov, nprov, sizeof(*prov), cmp_provider);
    for (size_t i = 0; i < recs.len && rc >= 0; i++)
        rc = emit(s, f, recs.items[i], prov, nprov);
    free(prov);
    return rc;
}

const struct cataloger cat_apk = {"apk", apk_wants, apk_parse};
