/*
 * The layer cache: what one layer's walk produced (every entry's path and type, the
 * catalogers' packages and owned files, the release files), kept in a file named by the
 * layer's digest. A layer is immutable under its digest, so the next image that shares it
 * (the same base image under another application) replays the file instead of reading
 * tens of megabytes of gzip again.
 *
 * The format is private and versioned: a header with a magic, the format number and the
 * Fathom version that wrote it, then length-prefixed records. A file that does not read
 * back cleanly, to the last byte, is a miss, never an error: the layer is read again and
 * the file rewritten.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/limits.h"
#include "catalog_int.h"

#define MAGIC "FTHLAYER"
#define FORMAT 2

/* ---- writing ---- */

static int put_u32(struct fth_buf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};

    return fth_buf_put(b, c, 4);
}

static int put_bytes(struct fth_buf *b, const void *p, size_t len)
{
    int error;

    if (len > UINT32_MAX)
        return FTH_ELIMIT;
    if ((error = put_u32(b, (uint32_t)len)) < 0)
        return error;
    return fth_buf_put(b, p, len);
}

static int put_str(struct fth_buf *b, const char *s)
{
    s = s ? s : "";
    return put_bytes(b, s, strlen(s));
}

static int put_strv(struct fth_buf *b, const char *const *v, size_t n)
{
    int error;

    if (n > UINT32_MAX)
        return FTH_ELIMIT;
    if ((error = put_u32(b, (uint32_t)n)) < 0)
        return error;
    for (size_t i = 0; i < n; i++)
        if ((error = put_str(b, v[i])) < 0)
            return error;
    return 0;
}

static int put_package(struct fth_buf *b, const struct fth_package *p)
{
    const char *const strs[] = {p->type,        p->ecosystem, p->name, p->version, p->src_name,
                                p->src_version, p->arch,      p->purl, p->digest,  p->path};
    int error = 0;

    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]) && !error; i++)
        error = put_str(b, strs[i]);
    if (error || (error = put_u32(b, (uint32_t)p->nlicenses)) < 0)
        return error;
    for (size_t i = 0; i < p->nlicenses; i++)
        if ((error = put_str(b, p->licenses[i].value)) < 0 ||
            (error = put_str(b, p->licenses[i].spdx)) < 0)
            return error;
    if ((error = put_strv(b, p->depends, p->ndepends)) < 0 ||
        (error = put_strv(b, p->files, p->nfiles)) < 0)
        return error;
    return put_u32(b, (uint32_t)p->dev);
}

int cat_cache_store(const char *file, const struct cat_layer *l)
{
    struct fth_buf b = FTH_BUF_INIT;
    char tmp[4096];
    FILE *f = NULL;
    int error = 0, n;

    if ((error = fth_buf_puts(&b, MAGIC)) < 0 || (error = put_u32(&b, FORMAT)) < 0 ||
        (error = put_str(&b, FATHOM_VERSION)) < 0 ||
        (error = put_u32(&b, (uint32_t)l->entries.len)) < 0)
        goto out;
    for (size_t i = 0; i < l->entries.len; i++) {
        const struct cat_entry *e = l->entries.items[i];

        if ((error = put_u32(&b, (uint32_t)e->type)) < 0 || (error = put_str(&b, e->path)) < 0)
            goto out;
    }
    if ((error = put_u32(&b, (uint32_t)l->sink.packages.len)) < 0)
        goto out;
    for (size_t i = 0; i < l->sink.packages.len; i++)
        if ((error = put_package(&b, l->sink.packages.items[i])) < 0)
            goto out;
    if ((error = put_u32(&b, (uint32_t)l->sink.owned.len)) < 0)
        goto out;
    for (size_t i = 0; i < l->sink.owned.len; i++) {
        const struct cat_owned *o = l->sink.owned.items[i];

        if ((error = put_str(&b, o->type)) < 0 || (error = put_str(&b, o->name)) < 0 ||
            (error = put_str(&b, o->arch)) < 0 || (error = put_str(&b, o->path)) < 0 ||
            (error = put_strv(&b, o->files, o->nfiles)) < 0)
            goto out;
    }
    if ((error = put_u32(&b, (uint32_t)l->sink.licensed.len)) < 0)
        goto out;
    for (size_t i = 0; i < l->sink.licensed.len; i++) {
        const struct cat_licensed *lr = l->sink.licensed.items[i];

        if ((error = put_str(&b, lr->type)) < 0 || (error = put_str(&b, lr->name)) < 0 ||
            (error = put_str(&b, lr->path)) < 0 || (error = put_u32(&b, (uint32_t)lr->found)) < 0 ||
            (error = put_u32(&b, (uint32_t)lr->nlicenses)) < 0)
            goto out;
        for (size_t k = 0; k < lr->nlicenses; k++)
            if ((error = put_str(&b, lr->licenses[k].value)) < 0 ||
                (error = put_str(&b, lr->licenses[k].spdx)) < 0)
                goto out;
    }
    if ((error = put_u32(&b, (uint32_t)l->os_files.len)) < 0)
        goto out;
    for (size_t i = 0; i < l->os_files.len; i++) {
        const struct cat_os_file *of = l->os_files.items[i];

        if ((error = put_str(&b, of->path)) < 0 || (error = put_bytes(&b, of->data, of->len)) < 0)
            goto out;
    }
    if ((error = put_u32(&b, (uint32_t)l->sink.warnings)) < 0)
        goto out;

    /* write beside, then rename: a reader never sees half a file */
    n = snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", file, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        error = FTH_ELIMIT;
        goto out;
    }
    if (!(f = fopen(tmp, "wb"))) {
        error = FTH_EIO;
        goto out;
    }
    if (fwrite(b.ptr, 1, b.len, f) != b.len) {
        error = FTH_EIO;
    }
    if (fclose(f) != 0)
        error = FTH_EIO;
    if (error < 0 || rename(tmp, file) != 0) {
        remove(tmp);
        error = FTH_EIO;
    }
out:
    fth_buf_release(&b);
    return error;
}

/* ---- reading ---- */

struct reader {
    const unsigned char *p, *end;
    struct fth_arena *a;
    int bad;
};

static uint32_t get_u32(struct reader *r)
{
    uint32_t v;

    if (r->bad || r->end - r->p < 4) {
        r->bad = 1;
        return 0;
    }
    v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
        (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}

/* A count of items each at least `min` bytes long: never more than the bytes left allow. */
static uint32_t get_count(struct reader *r, size_t min)
{
    uint32_t n = get_u32(r);

    if (!r->bad && (size_t)(r->end - r->p) / (min ? min : 1) < n)
        r->bad = 1;
    return r->bad ? 0 : n;
}

static const char *get_bytes(struct reader *r, size_t *len)
{
    uint32_t n = get_u32(r);
    const char *s;

    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return "";
    }
    if (!(s = fth_arena_strndup(r->a, (const char *)r->p, n))) {
        r->bad = 1;
        return "";
    }
    r->p += n;
    if (len)
        *len = n;
    return s;
}

static const char *get_str(struct reader *r)
{
    return get_bytes(r, NULL);
}

static const char *const *get_strv(struct reader *r, size_t *n)
{
    const char **v;

    *n = get_count(r, 4);
    if (!*n)
        return NULL;
    if (!(v = fth_arena_calloc(r->a, *n, sizeof(*v)))) {
        r->bad = 1;
        *n = 0;
        return NULL;
    }
    for (size_t i = 0; i < *n; i++)
        v[i] = get_str(r);
    return v;
}

static int get_package(struct reader *r, struct cat_sink *s, unsigned layer)
{
    struct cat_file f = {"", NULL, 0, 0, layer};
    struct fth_package *p = cat_add(s, &f);
    const char **strs[] = {&p->type,        &p->ecosystem, &p->name, &p->version, &p->src_name,
                           &p->src_version, &p->arch,      &p->purl, &p->digest,  &p->path};
    struct fth_license *lic = NULL;

    if (!p)
        return FTH_ENOMEM;
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        *strs[i] = get_str(r);
    p->nlicenses = get_count(r, 8);
    if (p->nlicenses && !(lic = fth_arena_calloc(r->a, p->nlicenses, sizeof(*lic))))
        return FTH_ENOMEM;
    for (size_t i = 0; i < p->nlicenses; i++) {
        lic[i].value = get_str(r);
        lic[i].spdx = get_str(r);
    }
    p->licenses = lic;
    p->depends = get_strv(r, &p->ndepends);
    p->files = get_strv(r, &p->nfiles);
    p->dev = (int)get_u32(r);
    p->layer = layer;
    return 0;
}

int cat_cache_load(struct cat_layer *l, const char *file, unsigned layer)
{
    struct fth_buf data = FTH_BUF_INIT;
    struct reader r;
    size_t n, len;
    int error = 0;

    if (fth_file_read(&data, file, FTH_LIMIT_CATALOG_FILE, NULL) < 0)
        goto miss;
    r.p = (const unsigned char *)data.ptr;
    r.end = r.p + data.len;
    r.a = l->a;
    r.bad = 0;
    if (data.len < 8 || memcmp(data.ptr, MAGIC, 8) != 0)
        goto miss;
    r.p += 8;
    if (get_u32(&r) != FORMAT || strcmp(get_str(&r), FATHOM_VERSION) != 0 || r.bad)
        goto miss;
    n = get_count(&r, 8);
    for (size_t i = 0; i < n && !r.bad; i++) {
        struct cat_entry *e = fth_arena_calloc(l->a, 1, sizeof(*e));

        if (!e) {
            error = FTH_ENOMEM;
            goto out;
        }
        e->type = (enum fth_entry_type)get_u32(&r);
        e->path = get_str(&r);
        /* only an opaque marker at the top of a layer has the empty path */
        if (e->type > FTH_ENTRY_OPAQUE || (!*e->path && e->type != FTH_ENTRY_OPAQUE))
            r.bad = 1;
        else if ((error = fth_vec_push(&l->entries, l->a, e)) < 0)
            goto out;
    }
    n = get_count(&r, 44);
    for (size_t i = 0; i < n && !r.bad; i++)
        if ((error = get_package(&r, &l->sink, layer)) < 0)
            goto out;
    n = get_count(&r, 20);
    for (size_t i = 0; i < n && !r.bad; i++) {
        const char *type = get_str(&r), *name = get_str(&r), *arch = get_str(&r);
        struct cat_file f = {get_str(&r), NULL, 0, 0, layer};
        const char *const *files;
        size_t nfiles;

        files = get_strv(&r, &nfiles);
        if (!r.bad && (error = cat_add_owned(&l->sink, &f, type, name, arch, files, nfiles)) < 0)
            goto out;
    }
    n = get_count(&r, 16);
    for (size_t i = 0; i < n && !r.bad; i++) {
        const char *type = get_str(&r), *name = get_str(&r);
        struct cat_file f = {get_str(&r), NULL, 0, 0, layer};
        uint32_t found = get_u32(&r);
        size_t nlic = get_count(&r, 8);
        struct fth_license *lic = nlic ? fth_arena_calloc(l->a, nlic, sizeof(*lic)) : NULL;

        if (nlic && !lic) {
            error = FTH_ENOMEM;
            goto out;
        }
        for (size_t k = 0; k < nlic; k++) {
            lic[k].value = get_str(&r);
            lic[k].spdx = get_str(&r);
        }
        if (!r.bad && (error = (found ? cat_add_found_licenses
                                      : cat_add_licenses)(&l->sink, &f, type, name, lic, nlic)) < 0)
            goto out;
    }
    n = get_count(&r, 8);
    for (size_t i = 0; i < n && !r.bad; i++) {
        struct cat_os_file *of = fth_arena_calloc(l->a, 1, sizeof(*of));

        if (!of) {
            error = FTH_ENOMEM;
            goto out;
        }
        of->path = get_str(&r);
        of->data = (const unsigned char *)get_bytes(&r, &len);
        of->len = r.bad ? 0 : len;
        of->layer = layer;
        if (!r.bad && (error = fth_vec_push(&l->os_files, l->a, of)) < 0)
            goto out;
    }
    l->sink.warnings = get_u32(&r);
    if (r.bad || r.p != r.end)
        goto miss;
    error = 1;
    goto out;
miss:
    /* forget whatever a bad file added; the layer is read again */
    l->entries.len = l->sink.packages.len = l->sink.owned.len = l->os_files.len = 0;
    l->sink.licensed.len = 0;
    l->sink.warnings = 0;
    error = 0;
out:
    fth_buf_release(&data);
    return error;
}

const char *cat_cache_file(struct fth_arena *a, const char *dir, const char *digest, int lockfiles)
{
    const char *hex;
    char *path;

    if (!dir || !*dir || strncmp(digest, "sha256:", 7) != 0)
        return NULL;
    hex = digest + 7;
    if (strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64)
        return NULL;
    if (!(path = fth_arena_printf(a, "%s/layers/", dir)))
        return NULL;
    /* every directory on the way; one that cannot be made leaves the layer uncached */
    for (char *q = path + 1; *q; q++) {
        if (*q != '/')
            continue;
        *q = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            *q = '/';
            return NULL;
        }
        *q = '/';
    }
    /* what was catalogued depends on the options: one file per set of them */
    return fth_arena_printf(a, "%s/layers/%s.v%d%s", dir, hex, FORMAT, lockfiles ? "l" : "");
}
