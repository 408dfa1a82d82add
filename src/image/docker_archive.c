/*
 * image: images inside an outer archive. `docker save` writes manifest.json (a list of
 * images: config file, repo tags, layer files) next to either `<id>/layer.tar` directories
 * (legacy), `<diffid>.tar` files (skopeo) or `blobs/sha256/` (Docker 25+); an OCI archive is
 * an OCI layout in a tar. Blobs named by their digest are checked against it.
 */
#include <string.h>
#include <jansson.h>

#include "image_core.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct tar_ctx {
    struct tar_index *t;
    const char *image;
};

static int tar_get(void *ctx, struct fth_buf *out, const char *digest, size_t max, const char *what,
                   struct fth_error *err)
{
    struct tar_ctx *c = ctx;
    char name[80];
    int error;

    if (!oci_digest_valid(digest))
        return fth_error_set(err, FTH_EINVALID, "image '%s': %s has an invalid digest '%.100s'",
                             c->image, what, digest ? digest : "");
    memcpy(name, "blobs/sha256/", 13);
    memcpy(name + 13, digest + 7, 65);
    if ((error = tar_read(out, c->t, name, max, err)) < 0)
        return error;
    return oci_digest_check(out->ptr, out->len, digest, what, c->image, err);
}

static int is_hex64(const char *s, size_t n)
{
    size_t i;

    if (n != 64)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* The digest a member's name gives it (`blobs/sha256/HEX`, `HEX.tar`, `HEX.json`), or NULL. */
static const char *name_digest(struct fth_arena *a, const char *name)
{
    const char *base = strrchr(name, '/'), *dot;

    base = base ? base + 1 : name;
    if (!strncmp(name, "blobs/sha256/", 13) && is_hex64(name + 13, strlen(name + 13)))
        return fth_arena_strdup(a, name + 13);
    dot = strrchr(base, '.');
    if (dot && (!strcmp(dot, ".tar") || !strcmp(dot, ".json")) &&
        is_hex64(base, (size_t)(dot - base)))
        return fth_arena_strndup(a, base, 64);
    return NULL;
}

static int open_oci(struct fth_image *img, struct fth_arena *a, struct tar_index *t,
                    const char *tag, const struct fth_image_opts *opts, struct fth_error *err)
{
    struct tar_ctx ctx = {t, img->ref};
    struct blob_fetch f = {tar_get, &ctx};
    struct fth_buf index = FTH_BUF_INIT, body = FTH_BUF_INIT;
    const char *digest, *mt;
    struct layer_loc *locs;
    size_t i;
    int error;

    if ((error = tar_read(&index, t, "index.json", FTH_LIMIT_MANIFEST_SIZE, err)) < 0)
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
        locs[i].path = fth_arena_printf(a, "blobs/sha256/%s", img->layers[i].digest + 7);
        locs[i].expect = img->layers[i].digest + 7;
        if (!locs[i].path) {
            error = FTH_ENOMEM;
            goto out;
        }
        if (!tar_has(t, locs[i].path)) {
            error = fth_error_set(err, FTH_ENOTFOUND, "image '%s': layer %zu (%s) is missing",
                                  img->ref, i, img->layers[i].digest);
            goto out;
        }
    }
    img->src->locs = locs;
    img->transport = "oci-archive";
    img->name = tag ? fth_arena_strdup(a, tag) : "";
out:
    fth_buf_release(&index);
    fth_buf_release(&body);
    return error;
}

/* Pick the manifest.json entry: the one tagged `tag`, or the only one. */
static json_t *pick_entry(json_t *list, const char *tag, const char *image, struct fth_error *err)
{
    struct fth_buf tags = FTH_BUF_INIT;
    json_t *pick = NULL;
    size_t i, j;

    for (i = 0; i < json_array_size(list); i++) {
        json_t *rt = json_object_get(json_array_get(list, i), "RepoTags");

        for (j = 0; j < json_array_size(rt); j++) {
            const char *s = json_string_value(json_array_get(rt, j));
            size_t n = s ? strlen(s) : 0, tn = tag ? strlen(tag) : 0;

            if (!s)
                continue;
            /* "alpine:3.20" also matches "docker.io/library/alpine:3.20". */
            if (tag && !pick &&
                (!strcmp(s, tag) || (n > tn && s[n - tn - 1] == '/' && !strcmp(s + n - tn, tag))))
                pick = json_array_get(list, i);
            fth_buf_printf(&tags, "%s%s", tags.len ? ", " : "", s);
        }
    }
    if (!tag && json_array_size(list) == 1)
        pick = json_array_get(list, 0);
    if (!pick) {
        if (tag)
            fth_error_set(err, FTH_ENOTFOUND,
                          "image '%s': no image tagged '%s' in manifest.json (tags: %s)", image,
                          tag, tags.len ? tags.ptr : "none");
        else
            fth_error_set(err, FTH_EINVALID,
                          "image '%s': manifest.json lists %zu images; name one with a tag "
                          "(tags: %s)",
                          image, json_array_size(list), tags.len ? tags.ptr : "none");
    }
    fth_buf_release(&tags);
    return pick;
}

static int open_docker(struct fth_image *img, struct fth_arena *a, struct tar_index *t,
                       const char *tag, struct fth_error *err)
{
    struct fth_buf man = FTH_BUF_INIT, cfg = FTH_BUF_INIT;
    const char **diff = NULL, **created = NULL, *cname, *cdig, *real;
    size_t ndiff, ncreated, n, i;
    json_t *doc = NULL, *entry, *ls, *rt;
    struct fth_layer *layers;
    struct layer_loc *locs;
    json_error_t je;
    char hex[65];
    int error;

    if ((error = tar_read(&man, t, "manifest.json", FTH_LIMIT_MANIFEST_SIZE, err)) < 0)
        goto out;
    if (!(doc = json_loadb(man.ptr, man.len, 0, &je)) || !json_is_array(doc)) {
        error = fth_error_set(err, FTH_EINVALID, "image '%s': manifest.json is not a JSON list%s%s",
                              img->ref, doc ? "" : ": ", doc ? "" : je.text);
        goto out;
    }
    if (!(entry = pick_entry(doc, tag, img->ref, err))) {
        error = err ? err->code : FTH_EINVALID;
        goto out;
    }
    cname = json_string_value(json_object_get(entry, "Config"));
    ls = json_object_get(entry, "Layers");
    if (!cname || !json_is_array(ls)) {
        error = fth_error_set(err, FTH_EINVALID,
                              "image '%s': manifest.json entry lacks Config or Layers", img->ref);
        goto out;
    }
    n = json_array_size(ls);
    if (n > FTH_LIMIT_IMAGE_LAYERS) {
        error = fth_error_set(err, FTH_ELIMIT, "image '%s': more than %d layers", img->ref,
                              FTH_LIMIT_IMAGE_LAYERS);
        goto out;
    }
    {
        char cbuf[FTH_LIMIT_PATH_LEN + 1];

        if (strlen(cname) > FTH_LIMIT_PATH_LEN || fth_image_path_normalize(cbuf, cname) < 0) {
            error = fth_error_set(err, FTH_EINVALID, "image '%s': config '%s' escapes the archive",
                                  img->ref, cname);
            goto out;
        }
        if ((error = tar_read(&cfg, t, cbuf, FTH_LIMIT_CONFIG_SIZE, err)) < 0)
            goto out;
        if ((cdig = name_digest(a, cbuf)) &&
            (error = oci_digest_check(cfg.ptr, cfg.len, fth_arena_printf(a, "sha256:%s", cdig),
                                      "config", img->ref, err)) < 0)
            goto out;
    }
    fth_sha256_hex(hex, cfg.ptr, cfg.len);
    img->config_digest = fth_arena_printf(a, "sha256:%s", hex);
    if ((error = oci_config_apply(img, a, cfg.ptr, cfg.len, &diff, &ndiff, &created, &ncreated,
                                  err)) < 0)
        goto out;
    if (ndiff && ndiff != n) {
        error = fth_error_set(err, FTH_EINVALID,
                              "image '%s': manifest.json lists %zu layers but the config %zu diff "
                              "ids",
                              img->ref, n, ndiff);
        goto out;
    }
    layers = fth_arena_calloc(a, n ? n : 1, sizeof(*layers));
    locs = fth_arena_calloc(a, n ? n : 1, sizeof(*locs));
    if (!layers || !locs) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        const char *ln = json_string_value(json_array_get(ls, i)), *expect;
        char lbuf[FTH_LIMIT_PATH_LEN + 1];

        if (!ln || strlen(ln) > FTH_LIMIT_PATH_LEN || fth_image_path_normalize(lbuf, ln) < 0 ||
            !(real = tar_resolve(t, lbuf))) {
            error = fth_error_set(err, FTH_ENOTFOUND,
                                  "image '%s': layer %zu ('%s') is missing from the archive",
                                  img->ref, i, ln ? ln : "");
            goto out;
        }
        locs[i].path = real;
        if ((expect = name_digest(a, real))) {
            locs[i].expect = expect;
        } else if (ndiff && oci_digest_valid(diff[i])) {
            /* Legacy `<id>/layer.tar`: docker save stores layers uncompressed, so the bytes
             * hash to the config's diff id. */
            locs[i].expect = diff[i] + 7;
            locs[i].expect_if_plain = 1;
        }
        layers[i].index = (unsigned)i;
        layers[i].digest = locs[i].expect ? fth_arena_printf(a, "sha256:%s", locs[i].expect) : "";
        layers[i].diff_id = ndiff ? diff[i] : "";
        layers[i].media_type = "";
        layers[i].size = tar_size(t, real);
        layers[i].created_by = i < ncreated ? created[i] : "";
        if (!layers[i].digest) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    img->layers = layers;
    img->nlayers = n;
    img->src->locs = locs;
    img->transport = "docker-archive";
    rt = json_object_get(entry, "RepoTags");
    img->name = fth_arena_strdup(a, json_string_value(json_array_get(rt, 0))
                                        ? json_string_value(json_array_get(rt, 0))
                                        : "");
    if (!img->name || !img->config_digest)
        error = FTH_ENOMEM;
out:
    json_decref(doc);
    fth_buf_release(&man);
    fth_buf_release(&cfg);
    return error;
}

int archive_image_open(struct fth_image *img, struct fth_arena *a, struct tar_index *t, int docker,
                       const char *tag, const struct fth_image_opts *opts, struct fth_error *err)
{
    img->src->kind = SRC_ARCHIVE;
    img->src->tar = t;
    return docker ? open_docker(img, a, t, tag, err) : open_oci(img, a, t, tag, opts, err);
}
