/*
 * image: images in a registry. The registry client (registry.c) fetches manifests and blobs
 * by tag or digest, checking each digest; everything else (indexes, platforms, configs,
 * layers) is the same code as for OCI layouts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image_core.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct reg_ctx {
    struct registry *reg;
    struct fth_arena *a;
    const char *image;
};

static int reg_get(void *ctx, struct fth_buf *out, const char *digest, size_t max, const char *what,
                   struct fth_error *err)
{
    struct reg_ctx *c = ctx;
    const char *body, *mt, *got, *path = NULL;
    size_t len;
    int temporary = 0, error;

    fth_buf_clear(out);
    if (!strcmp(what, "manifest")) {
        if ((error = registry_manifest(&body, &len, &mt, &got, c->a, c->reg, digest, err)) < 0)
            return error;
        if (len > max)
            return fth_error_set(err, FTH_ELIMIT,
                                 "image '%s': manifest '%s' is larger than %zu "
                                 "bytes",
                                 c->image, digest, max);
        if ((error = fth_buf_put(out, body, len)) < 0)
            return error;
    } else {
        struct fth_error e;

        if ((error = registry_blob(&path, &temporary, c->a, c->reg, digest, 0, err)) < 0)
            return error;
        fth_error_clear(&e);
        error = fth_file_read(out, path, max, &e);
        if (temporary)
            unlink(path);
        if (error < 0)
            return fth_error_set(err, error, "image '%s': %s '%s': %s", c->image, what, digest,
                                 e.message);
    }
    /* The client checked it already; checking here too costs little and keeps one rule. */
    return oci_digest_check(out->ptr, out->len, digest, what, c->image, err);
}

int registry_source_open(struct fth_image *img, struct fth_arena *a, const char *ref,
                         const struct fth_image_opts *opts, struct fth_error *err)
{
    struct registry_ref rr;
    struct reg_ctx ctx;
    struct blob_fetch f = {reg_get, &ctx};
    struct layer_loc *locs;
    const char *body, *mt, *digest;
    size_t len, i;
    int error;

    if ((error = registry_ref_parse(&rr, a, ref, err)) < 0)
        return error;
    if ((error = registry_new(&img->src->reg, &rr, opts, err)) < 0)
        return error;
    img->src->kind = SRC_REGISTRY;
    ctx.reg = img->src->reg;
    ctx.a = a;
    ctx.image = img->ref;
    if ((error = registry_manifest(&body, &len, &mt, &digest, a, img->src->reg,
                                   rr.digest[0] ? rr.digest : rr.tag, err)) < 0)
        return error;
    if (len > FTH_LIMIT_MANIFEST_SIZE)
        return fth_error_set(err, FTH_ELIMIT, "image '%s': manifest is larger than %zu bytes",
                             img->ref, FTH_LIMIT_MANIFEST_SIZE);
    if ((error = oci_resolve(img, a, &f, body, len, digest, mt, opts->platform, err)) < 0)
        return error;
    if (!(locs = fth_arena_calloc(a, img->nlayers ? img->nlayers : 1, sizeof(*locs))))
        return FTH_ENOMEM;
    for (i = 0; i < img->nlayers; i++) {
        locs[i].path = img->layers[i].digest;
        locs[i].expect = img->layers[i].digest + 7;
    }
    img->src->locs = locs;
    img->transport = "docker";
    if (rr.digest[0])
        img->name = fth_arena_printf(a, "%s/%s@%s", rr.host, rr.repo, rr.digest);
    else
        img->name = fth_arena_printf(a, "%s/%s:%s", rr.host, rr.repo, rr.tag);
    return img->name ? 0 : FTH_ENOMEM;
}

int registry_source_layer(char **path, int *temporary, struct fth_image *img, unsigned index,
                          struct fth_error *err)
{
    /* A scratch arena per call: layers may be fetched from several threads at once. */
    struct fth_arena *a = fth_arena_new();
    const char *p = NULL;
    int error;

    *path = NULL;
    *temporary = 0;
    if (!a)
        return FTH_ENOMEM;
    error = registry_blob(&p, temporary, a, img->src->reg, img->layers[index].digest,
                          img->layers[index].size, err);
    if (error >= 0 && !(*path = strdup(p)))
        error = FTH_ENOMEM;
    fth_arena_free(a);
    return error;
}

void registry_source_close(struct fth_image_source *src)
{
    registry_free(src->reg);
    src->reg = NULL;
}
