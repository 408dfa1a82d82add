/*
 * image: private interfaces between the files of the image core (sources, manifests, outer
 * archives, layer streaming). The registry client's interface is image_int.h.
 */
#ifndef FATHOM_IMAGE_CORE_H
#define FATHOM_IMAGE_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "image_int.h"

enum src_kind {
    SRC_OCI_DIR,    /* layers are files under the layout directory */
    SRC_ARCHIVE,    /* layers are members of an outer tar (oci-archive, docker-archive) */
    SRC_ROOTFS_DIR, /* one layer: a directory tree */
    SRC_ROOTFS_TAR, /* one layer: a tarball file */
    SRC_REGISTRY,   /* layers are blobs fetched by source_registry.c */
};

/* Where one layer's bytes are and what they must hash to. */
struct layer_loc {
    const char *path;    /* file, archive member or directory */
    const char *expect;  /* 64 hex digits the stored bytes must hash to; NULL: unchecked */
    int expect_if_plain; /* check `expect` only when the bytes are not compressed */
};

struct tar_index;

struct fth_image_source {
    struct fth_arena *arena;
    enum src_kind kind;
    const char *path;       /* layout directory, outer archive or root filesystem */
    struct layer_loc *locs; /* one per layer */
    struct tar_index *tar;  /* SRC_ARCHIVE */
    struct registry *reg;   /* SRC_REGISTRY */
};

/* ---- bytes of a blob, pulled in chunks ---- */

struct raw_source {
    /* Next chunk in *buf; returns its length, 0 at the end, or a negative FTH_E* (err set). */
    long (*read)(void *ctx, const void **buf, struct fth_error *err);
    void *ctx;
};

/* A file read in chunks. */
struct file_source;
int file_source_open(struct file_source **out, struct raw_source *raw, const char *path,
                     struct fth_error *err);
void file_source_close(struct file_source *fs);

/* ---- outer archives (tar, possibly compressed) ---- */

/*
 * Scan an archive once: remember the members an image archive is made of (names of at most
 * three components), with the small ones' bytes. `what` names the image in errors.
 */
int tar_index_build(struct tar_index **out, struct fth_arena *a, const char *path, const char *what,
                    struct fth_error *err);
/* 1 when the archive holds `name` (symlinks and hardlinks followed). */
int tar_has(const struct tar_index *t, const char *name);
/* Resolve links: the member that holds the bytes of `name`, or NULL. */
const char *tar_resolve(const struct tar_index *t, const char *name);
/* Size of a member (links followed); 0 when absent. */
uint64_t tar_size(const struct tar_index *t, const char *name);
/* Read a member whole (at most max bytes, FTH_ELIMIT past it). */
int tar_read(struct fth_buf *out, struct tar_index *t, const char *name, size_t max,
             struct fth_error *err);
/* Stream a member. */
struct tar_stream;
int tar_stream_open(struct tar_stream **out, struct raw_source *raw, struct tar_index *t,
                    const char *name, struct fth_error *err);
void tar_stream_close(struct tar_stream *ts);
void tar_index_free(struct tar_index *t);

/* ---- manifests, indexes and configs (oci.c) ---- */

/* Fetch a manifest/index/config blob by digest, its sha256 checked (FTH_EVERIFY). */
struct blob_fetch {
    /* `what` is "manifest" or "config": registries fetch them differently. */
    int (*get)(void *ctx, struct fth_buf *out, const char *digest, size_t max, const char *what,
               struct fth_error *err);
    void *ctx;
};

/* 1 when s is "sha256:" and 64 lowercase hex digits. */
int oci_digest_valid(const char *s);
/* Check data hashes to digest ("sha256:..."); FTH_EVERIFY naming `what` otherwise. */
int oci_digest_check(const void *data, size_t len, const char *digest, const char *what,
                     const char *image, struct fth_error *err);

/*
 * Resolve a manifest or index (body, which hashes to digest) into img: an index is narrowed
 * to opts->platform, a manifest's config is fetched and applied, layers are listed in
 * img->layers. img->ref must be set (errors name it).
 */
int oci_resolve(struct fth_image *img, struct fth_arena *a, const struct blob_fetch *f,
                const char *body, size_t len, const char *digest, const char *media_type,
                const char *platform, struct fth_error *err);

/*
 * Pick the descriptor of index.json tagged `tag` (NULL: the only one). *digest and
 * *media_type live in a. Errors list the tags there are.
 */
int oci_layout_select(const char **digest, const char **media_type, struct fth_arena *a,
                      const char *index_json, size_t len, const char *tag, const char *image,
                      struct fth_error *err);

/*
 * Apply an image config to img: os, architecture, variant, created, user, env, entrypoint,
 * cmd, exposed ports. *diff_ids and *created_by get one entry per layer (as many as the
 * config has diff ids, and history entries that are not empty layers); both in a.
 */
int oci_config_apply(struct fth_image *img, struct fth_arena *a, const char *json, size_t len,
                     const char ***diff_ids, size_t *ndiff, const char ***created_by,
                     size_t *ncreated, struct fth_error *err);

/* ---- sources ---- */

int oci_layout_open(struct fth_image *img, struct fth_arena *a, const char *dir, const char *tag,
                    const struct fth_image_opts *opts, struct fth_error *err);
/* An archive holding an OCI layout (oci-archive) or a docker save (docker-archive). */
int archive_image_open(struct fth_image *img, struct fth_arena *a, struct tar_index *t, int docker,
                       const char *tag, const struct fth_image_opts *opts, struct fth_error *err);
int rootfs_open(struct fth_image *img, struct fth_arena *a, const char *path, int is_dir,
                struct fth_error *err);
int registry_source_open(struct fth_image *img, struct fth_arena *a, const char *ref,
                         const struct fth_image_opts *opts, struct fth_error *err);
/* Make layer index's blob a file (*path: free() it); *temporary: delete it after use. */
int registry_source_layer(char **path, int *temporary, struct fth_image *img, unsigned index,
                          struct fth_error *err);
void registry_source_close(struct fth_image_source *src);

/* ---- walking ---- */

/* Stream a layer tar from raw into visit, with every check image.h promises. */
int layer_walk_stream(struct fth_image *img, unsigned index, struct raw_source *raw,
                      const struct layer_loc *loc, fth_entry_visitor visit, void *data,
                      struct fth_error *err);
/* Walk a root filesystem directory as layer 0. */
int rootfs_walk_dir(struct fth_image *img, const char *dir, fth_entry_visitor visit, void *data,
                    struct fth_error *err);

/* Readers: one per kind of content. */
struct fth_entry_reader {
    int kind; /* 0: libarchive, 1: file descriptor */
    void *walk;
    int fd;
    const char *fspath;
    const struct fth_entry *entry;
    struct fth_image *img;
    struct fth_error *rerr; /* where read errors are kept for the walk */
};

long layer_reader_read(struct fth_entry_reader *r, void *buf, size_t len);
long rootfs_reader_read(struct fth_entry_reader *r, void *buf, size_t len);

#endif
