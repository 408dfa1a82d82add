/*
 * image: OCI and Docker v2 manifests, indexes (manifest lists) and image configs. The same
 * code serves OCI layouts, archives and registries: a source only says how to fetch a blob
 * by digest, and every blob fetched here is checked against the digest that named it.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "image_core.h"
#include "../base/limits.h"
#include "../base/banned.h"

int oci_digest_valid(const char *s)
{
    size_t i;

    if (!s || strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64)
        return 0;
    for (i = 7; s[i]; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

int oci_digest_check(const void *data, size_t len, const char *digest, const char *what,
                     const char *image, struct fth_error *err)
{
    char hex[65];

    if (!oci_digest_valid(digest))
        return fth_error_set(err, FTH_EINVALID, "image '%s': %s has an invalid digest '%s'", image,
                             what, digest ? digest : "");
    fth_sha256_hex(hex, data, len);
    if (strcmp(hex, digest + 7) != 0)
        return fth_error_set(err, FTH_EVERIFY,
                             "image '%s': %s '%s' does not match its digest (sha256 of the "
                             "content is %s)",
                             image, what, digest, hex);
    return 0;
}

static const char *str(struct fth_arena *a, json_t *v)
{
    const char *s = json_string_value(v);

    return fth_arena_strdup(a, s ? s : "");
}

static json_t *load(const char *body, size_t len, const char *what, const char *image,
                    struct fth_error *err)
{
    json_error_t je;
    json_t *doc = json_loadb(body, len, 0, &je);

    if (!doc) {
        fth_error_set(err, FTH_EINVALID, "image '%s': %s is not valid JSON: line %d: %s", image,
                      what, je.line, je.text);
        return NULL;
    }
    if (!json_is_object(doc)) {
        fth_error_set(err, FTH_EINVALID, "image '%s': %s is not a JSON object", image, what);
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* A JSON array of strings into an arena array; non-strings are refused. */
static int str_array(const char *const **out, size_t *n, struct fth_arena *a, json_t *v,
                     const char *field, const char *image, struct fth_error *err)
{
    const char **items;
    size_t i;

    *out = NULL;
    *n = 0;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return fth_error_set(err, FTH_EINVALID, "image '%s': config '%s' is not a list", image,
                             field);
    if (!(items = fth_arena_calloc(a, json_array_size(v) + 1, sizeof(*items))))
        return FTH_ENOMEM;
    for (i = 0; i < json_array_size(v); i++) {
        const char *s = json_string_value(json_array_get(v, i));

        if (!s)
            return fth_error_set(err, FTH_EINVALID,
                                 "image '%s': config '%s' item %zu is not a string", image, field,
                                 i + 1);
        if (!(items[i] = fth_arena_strdup(a, s)))
            return FTH_ENOMEM;
    }
    *out = items;
    *n = json_array_size(v);
    return 0;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int oci_config_apply(struct fth_image *img, struct fth_arena *a, const char *json, size_t len,
                     const char ***diff_ids, size_t *ndiff, const char ***created_by,
                     size_t *ncreated, struct fth_error *err)
{
    json_t *doc, *cfg, *ports, *ids, *hist;
    const char **ports_v = NULL, **d = NULL, **c = NULL;
    size_t n = 0, i;
    int error = 0;

    *diff_ids = *created_by = NULL;
    *ndiff = *ncreated = 0;
    if (!(doc = load(json, len, "config", img->ref, err)))
        return FTH_EINVALID;
    img->os = str(a, json_object_get(doc, "os"));
    img->architecture = str(a, json_object_get(doc, "architecture"));
    img->variant = str(a, json_object_get(doc, "variant"));
    img->created = str(a, json_object_get(doc, "created"));
    cfg = json_object_get(doc, "config");
    if (cfg && !json_is_object(cfg))
        cfg = NULL;
    img->user = str(a, json_object_get(cfg, "User"));
    if ((error = str_array(&img->env, &img->nenv, a, json_object_get(cfg, "Env"), "Env", img->ref,
                           err)) < 0 ||
        (error = str_array(&img->entrypoint, &img->nentrypoint, a,
                           json_object_get(cfg, "Entrypoint"), "Entrypoint", img->ref, err)) < 0 ||
        (error = str_array(&img->cmd, &img->ncmd, a, json_object_get(cfg, "Cmd"), "Cmd", img->ref,
                           err)) < 0)
        goto out;
    ports = json_object_get(cfg, "ExposedPorts");
    if (json_is_object(ports) && json_object_size(ports)) {
        const char *key;
        json_t *v;

        if (!(ports_v = fth_arena_calloc(a, json_object_size(ports), sizeof(*ports_v)))) {
            error = FTH_ENOMEM;
            goto out;
        }
        json_object_foreach(ports, key, v)
        {
            (void)v;
            if (!(ports_v[n++] = fth_arena_strdup(a, key))) {
                error = FTH_ENOMEM;
                goto out;
            }
        }
        qsort(ports_v, n, sizeof(*ports_v), cmp_str);
    }
    img->exposed_ports = ports_v;
    img->nexposed_ports = n;

    ids = json_object_get(json_object_get(doc, "rootfs"), "diff_ids");
    if (json_is_array(ids) && json_array_size(ids)) {
        if (json_array_size(ids) > FTH_LIMIT_IMAGE_LAYERS) {
            error = fth_error_set(err, FTH_ELIMIT, "image '%s': config lists more than %d layers",
                                  img->ref, FTH_LIMIT_IMAGE_LAYERS);
            goto out;
        }
        if (!(d = fth_arena_calloc(a, json_array_size(ids), sizeof(*d)))) {
            error = FTH_ENOMEM;
            goto out;
        }
        for (i = 0; i < json_array_size(ids); i++)
            if (!(d[i] = str(a, json_array_get(ids, i)))) {
                error = FTH_ENOMEM;
                goto out;
            }
        *ndiff = json_array_size(ids);
    }
    hist = json_object_get(doc, "history");
    if (json_is_array(hist) && json_array_size(hist)) {
        if (!(c = fth_arena_calloc(a, json_array_size(hist), sizeof(*c)))) {
            error = FTH_ENOMEM;
            goto out;
        }
        for (i = 0; i < json_array_size(hist); i++) {
            json_t *h = json_array_get(hist, i);

            /* Entries that made no layer (ENV, CMD, ...) do not count. */
            if (json_is_true(json_object_get(h, "empty_layer")))
                continue;
            if (!(c[(*ncreated)++] = str(a, json_object_get(h, "created_by")))) {
                error = FTH_ENOMEM;
                goto out;
            }
        }
    }
    *diff_ids = d;
    *created_by = c;
out:
    json_decref(doc);
    return error;
}

/* ---- platforms ---- */

struct platform {
    char os[64], arch[64], variant[64];
};

static void copy_part(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void normalize_platform(struct platform *p)
{
    if (!strcmp(p->arch, "x86_64") || !strcmp(p->arch, "x86-64"))
        copy_part(p->arch, sizeof(p->arch), "amd64", 5);
    else if (!strcmp(p->arch, "aarch64"))
        copy_part(p->arch, sizeof(p->arch), "arm64", 5);
    /* arm64 without a variant is v8. */
    if (!strcmp(p->arch, "arm64") && !strcmp(p->variant, "v8"))
        p->variant[0] = '\0';
}

static int parse_platform(struct platform *p, const char *s)
{
    const char *a = strchr(s, '/'), *v;

    memset(p, 0, sizeof(*p));
    if (!a || a == s || !a[1])
        return FTH_EUSAGE;
    copy_part(p->os, sizeof(p->os), s, (size_t)(a - s));
    v = strchr(a + 1, '/');
    if (v) {
        if (!v[1] || strchr(v + 1, '/'))
            return FTH_EUSAGE;
        copy_part(p->arch, sizeof(p->arch), a + 1, (size_t)(v - a - 1));
        copy_part(p->variant, sizeof(p->variant), v + 1, strlen(v + 1));
    } else {
        copy_part(p->arch, sizeof(p->arch), a + 1, strlen(a + 1));
    }
    normalize_platform(p);
    return 0;
}

static void platform_of(struct platform *p, json_t *desc)
{
    json_t *pl = json_object_get(desc, "platform");
    const char *os = json_string_value(json_object_get(pl, "os"));
    const char *arch = json_string_value(json_object_get(pl, "architecture"));
    const char *variant = json_string_value(json_object_get(pl, "variant"));

    memset(p, 0, sizeof(*p));
    copy_part(p->os, sizeof(p->os), os ? os : "", os ? strlen(os) : 0);
    copy_part(p->arch, sizeof(p->arch), arch ? arch : "", arch ? strlen(arch) : 0);
    copy_part(p->variant, sizeof(p->variant), variant ? variant : "",
              variant ? strlen(variant) : 0);
    normalize_platform(p);
}

static int platform_match(const struct platform *want, const struct platform *have)
{
    if (strcmp(want->os, have->os) || strcmp(want->arch, have->arch))
        return 0;
    return !want->variant[0] || !strcmp(want->variant, have->variant);
}

/* Append a descriptor's platform, as the index spells it, to a ", " list. */
static int list_platform(struct fth_buf *b, json_t *desc)
{
    json_t *pl = json_object_get(desc, "platform");
    const char *os = json_string_value(json_object_get(pl, "os"));
    const char *arch = json_string_value(json_object_get(pl, "architecture"));
    const char *variant = json_string_value(json_object_get(pl, "variant"));

    return fth_buf_printf(b, "%s%.64s/%.64s%s%.64s", b->len ? ", " : "", os ? os : "",
                          arch ? arch : "", variant && variant[0] ? "/" : "",
                          variant ? variant : "");
}

/* ---- resolution ---- */

static int fetch(struct fth_buf *out, const struct blob_fetch *f, const char *digest, size_t max,
                 const char *what, const char *image, struct fth_error *err)
{
    if (!oci_digest_valid(digest))
        return fth_error_set(err, FTH_EINVALID, "image '%s': %s has an invalid digest '%s'", image,
                             what, digest ? digest : "");
    return f->get(f->ctx, out, digest, max, what, err);
}

static int resolve(struct fth_image *img, struct fth_arena *a, const struct blob_fetch *f,
                   const char *body, size_t len, const char *digest, const char *media_type,
                   const struct platform *want, const char *want_s, unsigned depth,
                   struct fth_error *err);

static int resolve_index(struct fth_image *img, struct fth_arena *a, const struct blob_fetch *f,
                         json_t *doc, const char *digest, const struct platform *want,
                         const char *want_s, unsigned depth, struct fth_error *err)
{
    json_t *ms = json_object_get(doc, "manifests"), *pick = NULL;
    struct fth_buf seen = FTH_BUF_INIT, child = FTH_BUF_INIT;
    const char *d, *mt;
    size_t i;
    int error = 0;

    if (!json_is_array(ms)) {
        error = fth_error_set(err, FTH_EINVALID, "image '%s': index '%s' has no manifest list",
                              img->ref, digest);
        goto out;
    }
    for (i = 0; i < json_array_size(ms) && !pick; i++) {
        json_t *m = json_array_get(ms, i);
        struct platform have;

        platform_of(&have, m);
        if (!have.os[0] || !strcmp(have.os, "unknown"))
            continue; /* attestations and other non-images */
        if (platform_match(want, &have)) {
            pick = m;
            break;
        }
        if ((error = list_platform(&seen, m)) < 0)
            goto out;
    }
    if (!pick) {
        /* Name everything the index offers, including entries after the ones listed. */
        for (; i < json_array_size(ms); i++) {
            struct platform have;

            platform_of(&have, json_array_get(ms, i));
            if (!have.os[0] || !strcmp(have.os, "unknown"))
                continue;
            if ((error = list_platform(&seen, json_array_get(ms, i))) < 0)
                goto out;
        }
        error = fth_error_set(err, FTH_ENOTFOUND,
                              "image '%s': no manifest for platform '%s' (available: %s)", img->ref,
                              want_s, seen.len ? seen.ptr : "none");
        goto out;
    }
    d = json_string_value(json_object_get(pick, "digest"));
    mt = json_string_value(json_object_get(pick, "mediaType"));
    if ((error = fetch(&child, f, d, FTH_LIMIT_MANIFEST_SIZE, "manifest", img->ref, err)) < 0)
        goto out;
    error = resolve(img, a, f, child.ptr, child.len, d, mt, want, want_s, depth + 1, err);
out:
    fth_buf_release(&seen);
    fth_buf_release(&child);
    return error;
}

static int resolve_manifest(struct fth_image *img, struct fth_arena *a, const struct blob_fetch *f,
                            json_t *doc, const char *digest, struct fth_error *err)
{
    json_t *ls = json_object_get(doc, "layers");
    const char *cd = json_string_value(json_object_get(json_object_get(doc, "config"), "digest"));
    struct fth_buf cfg = FTH_BUF_INIT;
    const char **diff = NULL, **created = NULL;
    size_t ndiff, ncreated, n, i;
    struct fth_layer *layers;
    int error = 0;

    if (!json_is_array(ls) || !cd) {
        error = fth_error_set(err, FTH_EINVALID,
                              "image '%s': manifest '%s' lacks a config or a layer list", img->ref,
                              digest);
        goto out;
    }
    n = json_array_size(ls);
    if (n > FTH_LIMIT_IMAGE_LAYERS) {
        error = fth_error_set(err, FTH_ELIMIT, "image '%s': manifest '%s' has more than %d layers",
                              img->ref, digest, FTH_LIMIT_IMAGE_LAYERS);
        goto out;
    }
    if ((error = fetch(&cfg, f, cd, FTH_LIMIT_CONFIG_SIZE, "config", img->ref, err)) < 0)
        goto out;
    img->digest = fth_arena_strdup(a, digest);
    img->config_digest = fth_arena_strdup(a, cd);
    if ((error = oci_config_apply(img, a, cfg.ptr, cfg.len, &diff, &ndiff, &created, &ncreated,
                                  err)) < 0)
        goto out;
    if (ndiff && ndiff != n) {
        error = fth_error_set(err, FTH_EINVALID,
                              "image '%s': manifest '%s' has %zu layers but its config lists %zu "
                              "diff ids",
                              img->ref, digest, n, ndiff);
        goto out;
    }
    if (!(layers = fth_arena_calloc(a, n ? n : 1, sizeof(*layers)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        json_t *l = json_array_get(ls, i);
        const char *ld = json_string_value(json_object_get(l, "digest"));
        json_t *size = json_object_get(l, "size");

        if (!oci_digest_valid(ld)) {
            error = fth_error_set(err, FTH_EINVALID,
                                  "image '%s': manifest '%s': layer %zu has an invalid digest '%s'",
                                  img->ref, digest, i, ld ? ld : "");
            goto out;
        }
        layers[i].index = (unsigned)i;
        layers[i].digest = fth_arena_strdup(a, ld);
        layers[i].diff_id = ndiff ? diff[i] : "";
        layers[i].media_type = str(a, json_object_get(l, "mediaType"));
        layers[i].size = json_is_integer(size) && json_integer_value(size) > 0
                             ? (uint64_t)json_integer_value(size)
                             : 0;
        layers[i].created_by = i < ncreated ? created[i] : "";
    }
    img->layers = layers;
    img->nlayers = n;
out:
    fth_buf_release(&cfg);
    return error;
}

static int resolve(struct fth_image *img, struct fth_arena *a, const struct blob_fetch *f,
                   const char *body, size_t len, const char *digest, const char *media_type,
                   const struct platform *want, const char *want_s, unsigned depth,
                   struct fth_error *err)
{
    const char *mt;
    json_t *doc;
    int error;

    if (depth > FTH_LIMIT_INDEX_DEPTH)
        return fth_error_set(err, FTH_ELIMIT, "image '%s': indexes nested deeper than %d", img->ref,
                             FTH_LIMIT_INDEX_DEPTH);
    if (!(doc = load(body, len, depth ? "manifest" : "manifest or index", img->ref, err)))
        return FTH_EINVALID;
    mt = json_string_value(json_object_get(doc, "mediaType"));
    if (!mt)
        mt = media_type ? media_type : "";
    if (!strcmp(mt, IMAGE_MT_OCI_INDEX) || !strcmp(mt, IMAGE_MT_DOCKER_LIST) ||
        (!mt[0] && json_object_get(doc, "manifests")))
        error = resolve_index(img, a, f, doc, digest, want, want_s, depth, err);
    else if (json_integer_value(json_object_get(doc, "schemaVersion")) == 1)
        error = fth_error_set(err, FTH_EINVALID,
                              "image '%s': manifest '%s' is Docker schema 1, which is not "
                              "supported",
                              img->ref, digest);
    else
        error = resolve_manifest(img, a, f, doc, digest, err);
    json_decref(doc);
    return error;
}

int oci_resolve(struct fth_image *img, struct fth_arena *a, const struct blob_fetch *f,
                const char *body, size_t len, const char *digest, const char *media_type,
                const char *platform, struct fth_error *err)
{
    struct platform want;

    if (!platform)
        platform = "linux/amd64";
    if (parse_platform(&want, platform) < 0)
        return fth_error_set(err, FTH_EUSAGE, "'%s' is not a platform (want os/arch[/variant])",
                             platform);
    return resolve(img, a, f, body, len, digest, media_type, &want, platform, 0, err);
}

int oci_layout_select(const char **digest, const char **media_type, struct fth_arena *a,
                      const char *index_json, size_t len, const char *tag, const char *image,
                      struct fth_error *err)
{
    struct fth_buf tags = FTH_BUF_INIT;
    json_t *doc, *ms, *pick = NULL;
    size_t i, named = 0;
    int error = 0;

    *digest = *media_type = NULL;
    if (!(doc = load(index_json, len, "index.json", image, err)))
        return FTH_EINVALID;
    ms = json_object_get(doc, "manifests");
    if (!json_is_array(ms) || !json_array_size(ms)) {
        error =
            fth_error_set(err, FTH_EINVALID, "image '%s': index.json lists no manifests", image);
        goto out;
    }
    for (i = 0; i < json_array_size(ms); i++) {
        json_t *m = json_array_get(ms, i);
        const char *name = json_string_value(json_object_get(json_object_get(m, "annotations"),
                                                             "org.opencontainers.image.ref.name"));

        if (!name)
            continue;
        named++;
        if (tag && !strcmp(name, tag) && !pick)
            pick = m;
        if (fth_buf_printf(&tags, "%s%s", tags.len ? ", " : "", name) < 0) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    if (tag && !pick) {
        error =
            fth_error_set(err, FTH_ENOTFOUND, "image '%s': no tag '%s' in index.json (tags: %s)",
                          image, tag, tags.len ? tags.ptr : "none");
        goto out;
    }
    if (!tag && json_array_size(ms) == 1)
        pick = json_array_get(ms, 0);
    if (!tag && !pick && !named)
        goto out; /* untagged platform manifests: index.json is itself the index */
    if (!pick) {
        error = fth_error_set(err, FTH_EINVALID,
                              "image '%s': index.json holds %zu manifests; name one with a tag "
                              "(tags: %s)",
                              image, json_array_size(ms), tags.len ? tags.ptr : "none");
        goto out;
    }
    *digest = str(a, json_object_get(pick, "digest"));
    *media_type = str(a, json_object_get(pick, "mediaType"));
    if (!*digest || !*media_type)
        error = FTH_ENOMEM;
out:
    fth_buf_release(&tags);
    json_decref(doc);
    return error;
}
