/*
 * image: opening an image from any source (transport prefixes as skopeo spells them, or
 * detection from what the path is), freeing it, and walking its layers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_core.h"
#include "../base/limits.h"
#include "../base/banned.h"

/* ---- OCI layout directories ---- */

struct dir_ctx {
    const char *dir;
    const char *image;
};

/* Read a small file whole, the error naming the image and the file. */
static int read_small(struct fth_buf *out, const char *path, size_t max, const char *image,
                      struct fth_error *err)
{
    struct fth_error e;
    int error;

    fth_error_clear(&e);
    if ((error = fth_file_read(out, path, max, &e)) < 0)
        return fth_error_set(err, error, "image '%s': '%s': %s", image, path, e.message);
    return 0;
}

static int dir_get(void *ctx, struct fth_buf *out, const char *digest, size_t max, const char *what,
                   struct fth_error *err)
{
    struct dir_ctx *d = ctx;
    struct fth_buf path = FTH_BUF_INIT;
    int error;

    /* The digest becomes a file name: nothing but sha256 and hex may pass. */
    if (!oci_digest_valid(digest))
        return fth_error_set(err, FTH_EINVALID, "image '%s': %s has an invalid digest '%.100s'",
                             d->image, what, digest ? digest : "");
    if ((error = fth_buf_printf(&path, "%s/blobs/sha256/%s", d->dir, digest + 7)) < 0)
        goto out;
    if ((error = read_small(out, path.ptr, max, d->image, err)) < 0)
        goto out;
    error = oci_digest_check(out->ptr, out->len, digest, what, d->image, err);
out:
    fth_buf_release(&path);
    return error;
}

int oci_layout_open(struct fth_image *img, struct fth_arena *a, const char *dir, const char *tag,
                    const struct fth_image_opts *opts, struct fth_error *err)
{
    struct dir_ctx ctx = {dir, img->ref};
    struct blob_fetch f = {dir_get, &ctx};
    struct fth_buf index = FTH_BUF_INIT, body = FTH_BUF_INIT;
    const char *digest, *mt, *path;
    struct layer_loc *locs;
    size_t i;
    int error;

    if (!(path = fth_arena_printf(a, "%s/index.json", dir))) {
        error = FTH_ENOMEM;
        goto out;
    }
    if ((error = read_small(&index, path, FTH_LIMIT_MANIFEST_SIZE, img->ref, err)) < 0)
        goto out;
    if ((error = oci_layout_select(&digest, &mt, a, index.ptr, index.len, tag, img->ref, err)) < 0)
        goto out;
    if (!digest)
        error = oci_resolve(img, a, &f, index.ptr, index.len, "index.json", IMAGE_MT_OCI_INDEX,
                            opts->platform, err);
    else if ((error = f.get(f.ctx, &body, digest, FTH_LIMIT_MANIFEST_SIZE, "manifest", err)) >= 0)
        error = oci_resolve(img, a, &f, body.ptr, body.len, digest, mt, opts->platform, err);
    if (error < 0)
        goto out;
    if (!(locs = fth_arena_calloc(a, img->nlayers ? img->nlayers : 1, sizeof(*locs)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < img->nlayers; i++) {
        locs[i].path = fth_arena_printf(a, "%s/blobs/sha256/%s", dir, img->layers[i].digest + 7);
        locs[i].expect = img->layers[i].digest + 7;
        if (!locs[i].path) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    img->src->kind = SRC_OCI_DIR;
    img->src->locs = locs;
    img->transport = "oci";
    img->name = tag ? fth_arena_strdup(a, tag) : "";
out:
    fth_buf_release(&index);
    fth_buf_release(&body);
    return error;
}

/* ---- opening ---- */

/* "PATH[:REST]" split at the first colon, as skopeo does. */
static void split_ref(const char **path, const char **rest, struct fth_arena *a, const char *s)
{
    const char *c = strchr(s, ':');

    *path = c ? fth_arena_strndup(a, s, (size_t)(c - s)) : fth_arena_strdup(a, s);
    *rest = c && c[1] ? c + 1 : NULL;
}

static int has_file(struct fth_arena *a, const char *dir, const char *name)
{
    const char *p = fth_arena_printf(a, "%s/%s", dir, name);
    struct stat st;

    return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Does it look like a file name rather than a registry reference? */
static int looks_like_path(const char *s)
{
    size_t n = strlen(s);

    return s[0] == '/' || s[0] == '.' || s[0] == '~' ||
           (n > 4 && (!strcmp(s + n - 4, ".tar") || !strcmp(s + n - 4, ".tgz"))) ||
           (n > 3 && !strcmp(s + n - 3, ".gz")) || (n > 4 && !strcmp(s + n - 4, ".zst"));
}

static int open_archive(struct fth_image *img, struct fth_arena *a, const char *path, int docker,
                        const char *tag, const struct fth_image_opts *opts, struct fth_error *err)
{
    struct tar_index *t = NULL;
    int error;

    if ((error = tar_index_build(&t, a, path, img->ref, err)) < 0)
        return error;
    img->src->tar = t;
    img->src->path = path;
    if (docker < 0) {
        /* Detect: a docker save (old or Docker 25+, which also writes an OCI layout) has
         * manifest.json; an OCI archive only index.json and oci-layout. */
        if (tar_has(t, "manifest.json"))
            docker = 1;
        else if (tar_has(t, "index.json") && tar_has(t, "oci-layout"))
            docker = 0;
        else
            return fth_error_set(err, FTH_EINVALID,
                                 "image '%s': '%s' is not an image archive (no manifest.json or "
                                 "oci-layout); use --rootfs for a root filesystem tarball",
                                 img->ref, path);
    }
    return archive_image_open(img, a, t, docker, tag, opts, err);
}

static int open_ref(struct fth_image *img, struct fth_arena *a, const char *ref,
                    const struct fth_image_opts *opts, struct fth_error *err)
{
    const char *path, *rest;
    struct stat st;

    if (!strncmp(ref, "oci:", 4)) {
        split_ref(&path, &rest, a, ref + 4);
        if (!path)
            return FTH_ENOMEM;
        img->src->path = path;
        return oci_layout_open(img, a, path, rest, opts, err);
    }
    if (!strncmp(ref, "oci-archive:", 12)) {
        split_ref(&path, &rest, a, ref + 12);
        return path ? open_archive(img, a, path, 0, rest, opts, err) : FTH_ENOMEM;
    }
    if (!strncmp(ref, "docker-archive:", 15)) {
        split_ref(&path, &rest, a, ref + 15);
        return path ? open_archive(img, a, path, 1, rest, opts, err) : FTH_ENOMEM;
    }
    if (!strncmp(ref, "dir:", 4)) {
        img->src->path = ref + 4;
        return rootfs_open(img, a, ref + 4, 1, err);
    }
    if (!strncmp(ref, "docker://", 9))
        return registry_source_open(img, a, ref + 9, opts, err);
    if (stat(ref, &st) == 0) {
        img->src->path = ref;
        if (S_ISDIR(st.st_mode)) {
            if (!opts->rootfs && has_file(a, ref, "oci-layout") && has_file(a, ref, "index.json"))
                return oci_layout_open(img, a, ref, NULL, opts, err);
            return rootfs_open(img, a, ref, 1, err);
        }
        if (opts->rootfs)
            return rootfs_open(img, a, ref, 0, err);
        return open_archive(img, a, ref, -1, NULL, opts, err);
    }
    if (opts->rootfs || looks_like_path(ref))
        return fth_error_set(err, FTH_ENOTFOUND, "image '%s': no such file or directory", ref);
    return registry_source_open(img, a, ref, opts, err);
}

int fth_image_open(struct fth_image **out, const char *ref, const struct fth_image_opts *opts,
                   struct fth_error *err)
{
    static const struct fth_image_opts defaults = FTH_IMAGE_OPTS_INIT;
    struct fth_arena *a;
    struct fth_image *img;
    int error = 0;

    *out = NULL;
    if (!ref || !*ref)
        return fth_error_set(err, FTH_EUSAGE, "no image reference given");
    if (!opts)
        opts = &defaults;
    if (!(a = fth_arena_new()))
        return FTH_ENOMEM;
    if (!(img = fth_arena_calloc(a, 1, sizeof(*img))) ||
        !(img->src = fth_arena_calloc(a, 1, sizeof(*img->src))) ||
        !(img->ref = fth_arena_strdup(a, ref))) {
        fth_arena_free(a);
        return FTH_ENOMEM;
    }
    img->src->arena = a;
    img->transport = img->name = img->digest = img->config_digest = "";
    img->os = img->architecture = img->variant = img->created = img->user = "";
    if ((error = open_ref(img, a, img->ref, opts, err)) < 0) {
        fth_image_free(img);
        return error;
    }
    if (!img->transport[0])
        img->transport = img->src->kind == SRC_ARCHIVE ? "oci-archive" : "oci";
    *out = img;
    return 0;
}

void fth_image_free(struct fth_image *img)
{
    if (!img)
        return;
    if (img->src->kind == SRC_REGISTRY)
        registry_source_close(img->src);
    tar_index_free(img->src->tar);
    fth_arena_free(img->src->arena);
}

/* ---- walking ---- */

int fth_image_walk_layer(struct fth_image *img, unsigned index, fth_entry_visitor visit, void *data,
                         struct fth_error *err)
{
    struct fth_image_source *src;
    const struct layer_loc *loc;
    struct raw_source raw;
    struct file_source *fs = NULL;
    struct tar_stream *ts = NULL;
    char *path = NULL;
    int temporary = 0, error;

    if (!img || !visit)
        return fth_error_set(err, FTH_EUSAGE, "no image or visitor");
    if (index >= img->nlayers)
        return fth_error_set(err, FTH_EUSAGE, "image '%s': no layer %u (it has %zu)", img->ref,
                             index, img->nlayers);
    src = img->src;
    loc = &src->locs[index];
    switch (src->kind) {
    case SRC_ROOTFS_DIR:
        return rootfs_walk_dir(img, loc->path, visit, data, err);
    case SRC_ARCHIVE:
        error = tar_stream_open(&ts, &raw, src->tar, loc->path, err);
        break;
    case SRC_REGISTRY:
        if ((error = registry_source_layer(&path, &temporary, img, index, err)) < 0)
            return error;
        error = file_source_open(&fs, &raw, path, err);
        break;
    default:
        error = file_source_open(&fs, &raw, loc->path, err);
        break;
    }
    if (error < 0) {
        struct fth_error inner;

        if (err) {
            inner = *err;
            fth_error_set(err, error, "image '%s': layer %u (%s): %s", img->ref, index,
                          img->layers[index].digest, inner.message);
        }
        goto out;
    }
    error = layer_walk_stream(img, index, &raw, loc, visit, data, err);
out:
    file_source_close(fs);
    tar_stream_close(ts);
    if (temporary && path)
        unlink(path);
    free(path);
    return error;
}

long fth_entry_read(struct fth_entry_reader *r, void *buf, size_t len)
{
    if (!r || (!buf && len))
        return FTH_EINVALID;
    if (!len)
        return 0;
    return r->kind == 1 ? rootfs_reader_read(r, buf, len) : layer_reader_read(r, buf, len);
}

int fth_entry_read_all(struct fth_entry_reader *r, struct fth_buf *out, size_t max,
                       struct fth_error *err)
{
    int error = 0;
    long n;

    fth_buf_clear(out);
    if (!r)
        return fth_error_set(err, FTH_EINVALID, "no content to read");
    for (;;) {
        size_t want = 65536;

        if ((error = fth_buf_grow(out, want)) < 0)
            return error;
        n = fth_entry_read(r, out->ptr + out->len, want);
        if (n < 0) {
            if (err && r->rerr && r->rerr->code)
                *err = *r->rerr;
            else
                fth_error_set(err, (int)n, "image '%s': layer %u: entry '%s': read failed",
                              r->img->ref, r->entry->layer, r->entry->path);
            return (int)n;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->ptr[out->len] = '\0';
        if (out->len > max)
            return fth_error_set(err, FTH_ELIMIT,
                                 "image '%s': layer %u: entry '%s' is larger than %zu bytes",
                                 r->img->ref, r->entry->layer, r->entry->path, max);
    }
    return error;
}
