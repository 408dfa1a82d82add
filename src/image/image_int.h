/*
 * image: module-private interfaces between the image core (source detection, manifests,
 * configs, layer streaming) and the registry client (OCI Distribution API, layer cache).
 *
 * The registry is a store of manifests and blobs addressed by tag or digest; the core does
 * all manifest/index/config parsing, the same code for OCI layouts and registries.
 */
#ifndef FATHOM_IMAGE_INT_H
#define FATHOM_IMAGE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <fathom/image.h>

/* Media types the core and the registry both name. */
#define IMAGE_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define IMAGE_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define IMAGE_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define IMAGE_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"

/* A parsed registry reference: host[:port]/repo[:tag][@sha256:...]. */
struct registry_ref {
    const char *host;   /* "127.0.0.1:5000"; "registry-1.docker.io" for Docker Hub names */
    const char *repo;   /* "library/alpine" */
    const char *tag;    /* "latest" when neither tag nor digest was given; may be "" */
    const char *digest; /* "sha256:..." or "" */
};

/* Parse a reference into strings in a. FTH_EINVALID with a message when it is not one. */
int registry_ref_parse(struct registry_ref *out, struct fth_arena *a, const char *ref,
                       struct fth_error *err);

struct registry;

/*
 * Connect to the registry of ref (no request is sent yet). Credentials: opts->username and
 * opts->password, else the docker config.json entry for the host. opts->insecure selects
 * plain http. The registry handle keeps its bearer tokens for later requests.
 */
int registry_new(struct registry **out, const struct registry_ref *ref,
                 const struct fth_image_opts *opts, struct fth_error *err);
void registry_free(struct registry *r);

/*
 * Fetch a manifest or index by tag or digest ("sha256:..."), accepting the OCI and Docker v2
 * media types. *body (in a) is the exact bytes; *media_type the Content-Type (or the
 * document's own mediaType); *digest the sha256 of the bytes, which must equal the digest
 * asked for, and the Docker-Content-Digest header when the server sent one (FTH_EVERIFY).
 */
int registry_manifest(const char **body, size_t *len, const char **media_type,
                      const char **digest, struct fth_arena *a, struct registry *r,
                      const char *tag_or_digest, struct fth_error *err);

/*
 * Make blob `digest` (of `size` bytes, 0 when unknown) available as a file: from the layer
 * cache when present, else downloaded (retries with backoff on 5xx), its size and sha256
 * checked, and moved into the cache atomically; a blob that fails its check is deleted and
 * never cached. With the cache disabled the file is a temporary one and *temporary is set:
 * the caller deletes it after use. *path lives in a.
 */
int registry_blob(const char **path, int *temporary, struct fth_arena *a, struct registry *r,
                  const char *digest, uint64_t size, struct fth_error *err);

/* The cache directory opts selects ("" when disabled), in a. */
const char *image_cache_dir(struct fth_arena *a, const struct fth_image_opts *opts);

#endif
