/*
 * image: container image sources (docker save archives, OCI layouts, registries, root
 * filesystems), their configuration and history, and a streaming walk over each layer's
 * entries with whiteouts, path normalisation and root-escape refusal.
 *
 * An image is opened once (manifest, config, layer list: small, kept in memory); each layer
 * is then streamed on demand, one entry at a time, never buffered whole. Layers are
 * independent, so callers may walk different layers on different threads at once.
 */
#ifndef FATHOM_IMAGE_H
#define FATHOM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fth_image_opts {
    const char *platform;      /* "os/arch[/variant]" for indexes; NULL: "linux/amd64" */
    const char *cache_dir;     /* layer cache; NULL: $XDG_CACHE_HOME/fathom, "": no cache */
    const char *username;      /* registry basic auth; NULL: ~/.docker/config.json */
    const char *password;
    const char *docker_config; /* path of a docker config.json; NULL: ~/.docker/config.json */
    int insecure;              /* plain HTTP (and no TLS verification) for the registry */
    int rootfs;                /* the reference is a root filesystem (directory or tarball) */
};

#define FTH_IMAGE_OPTS_INIT                                                                        \
    {                                                                                              \
        NULL, NULL, NULL, NULL, NULL, 0, 0                                                         \
    }

struct fth_layer {
    unsigned index;         /* 0 is the base layer */
    const char *digest;     /* "sha256:..." of the blob as stored (compressed); the diff id
                               for uncompressed layers and root filesystems */
    const char *diff_id;    /* "sha256:..." of the uncompressed tar, from the config; may be "" */
    const char *media_type; /* as the manifest states it; "" for docker save and rootfs */
    uint64_t size;          /* blob size in bytes */
    const char *created_by; /* the history line that made the layer; "" when unknown */
};

struct fth_image {
    const char *ref;       /* as the user gave it */
    const char *transport; /* "oci", "oci-archive", "docker-archive", "docker", "dir",
                              "rootfs-archive" */
    const char *name;      /* repository name or tag from the source; "" when none */
    const char *digest;    /* manifest digest "sha256:..."; "" for root filesystems */
    const char *config_digest; /* image id; "" for root filesystems */
    const char *os;        /* from the config; "" when unknown */
    const char *architecture;
    const char *variant;
    const char *created;   /* RFC 3339 from the config; "" when unknown */
    const char *user;      /* config User; "" when unset (root) */
    const char *const *env; /* config Env, "K=V" */
    size_t nenv;
    const char *const *entrypoint;
    size_t nentrypoint;
    const char *const *cmd;
    size_t ncmd;
    const char *const *exposed_ports; /* "80/tcp", sorted */
    size_t nexposed_ports;
    const struct fth_layer *layers; /* base first */
    size_t nlayers;
    struct fth_image_source *src; /* private: how to reach the layers */
};

/*
 * Open an image. `ref` is detected as: a skopeo transport (`oci:PATH[:TAG]`,
 * `oci-archive:PATH[:TAG]`, `docker-archive:PATH`, `dir:PATH`, `docker://REF`), an existing
 * path (directory with `oci-layout` → OCI layout; other directory → root filesystem; a tar,
 * possibly compressed, holding `oci-layout` or `manifest.json` → archive; any other tar with
 * opts->rootfs → root filesystem), else a registry reference `host[:port]/repo[:tag|@digest]`.
 * Everything in *out lives until fth_image_free. Errors name the image and what failed.
 */
int fth_image_open(struct fth_image **out, const char *ref, const struct fth_image_opts *opts,
                   struct fth_error *err);
void fth_image_free(struct fth_image *img);

enum fth_entry_type {
    FTH_ENTRY_FILE,
    FTH_ENTRY_DIR,
    FTH_ENTRY_SYMLINK,
    FTH_ENTRY_HARDLINK,
    FTH_ENTRY_OTHER,    /* device, fifo, socket */
    FTH_ENTRY_WHITEOUT, /* `.wh.NAME`: path is the deleted path (NAME in its directory) */
    FTH_ENTRY_OPAQUE,   /* `.wh..wh..opq`: path is the directory whose lower contents go */
};

/*
 * One layer entry. Paths are normalised: relative to the root, no leading "/" or "./", no
 * "." or empty components, no trailing "/" ("" is the root itself and is not reported).
 */
struct fth_entry {
    const char *path;
    enum fth_entry_type type;
    uint64_t size;      /* bytes of content (regular files) */
    unsigned mode;      /* permission bits and set-id bits (07777) */
    unsigned uid, gid;
    const char *link;   /* symlink target as written, or normalised hardlink target; else NULL */
    unsigned layer;     /* index into fth_image.layers */
};

/* Streams an entry's content; valid only inside the visitor call that received it. */
struct fth_entry_reader;

/* Read up to len bytes; returns bytes read, 0 at the end, or a negative FTH_E* code. */
long fth_entry_read(struct fth_entry_reader *r, void *buf, size_t len);

/*
 * Read the whole content into out (cleared first), refusing more than max bytes
 * (FTH_ELIMIT). Errors name the image, layer and entry.
 */
int fth_entry_read_all(struct fth_entry_reader *r, struct fth_buf *out, size_t max,
                       struct fth_error *err);

/*
 * Called once per entry in archive order. `r` is NULL for entries without content. A
 * negative return stops the walk and becomes its result.
 */
typedef int (*fth_entry_visitor)(void *data, const struct fth_entry *e,
                                 struct fth_entry_reader *r);

/*
 * Stream layer `index` once. Entries that would escape the root (`..` past the top, a
 * hardlink to outside) are refused: logged as warnings naming image, layer and entry, and
 * not reported. Symlinks are reported with their target but never followed. Errors (a
 * truncated or corrupt layer, a digest mismatch) name the image, layer and entry.
 */
int fth_image_walk_layer(struct fth_image *img, unsigned index, fth_entry_visitor visit,
                         void *data, struct fth_error *err);

/*
 * Which layer's copy of each path the final image shows. Fed with every layer's entries
 * (in any order of layers, from any number of threads, one layer per thread), it answers
 * whether the copy of `path` in `layer` is the one in the merged root filesystem: no later
 * layer replaced it, deleted it (whiteout of it or an ancestor) or hid it (opaque ancestor).
 */
struct fth_image_tree;

int fth_image_tree_new(struct fth_image_tree **out, size_t nlayers);
void fth_image_tree_free(struct fth_image_tree *t);
/* Record an entry (all types, including whiteouts). Thread-safe across different layers. */
int fth_image_tree_add(struct fth_image_tree *t, const struct fth_entry *e);
/* After every layer was added: 1 visible, 0 replaced or deleted by a later layer. */
int fth_image_tree_visible(const struct fth_image_tree *t, const char *path, unsigned layer);
/* The layer that deleted or replaced it, or -1 when visible. */
int fth_image_tree_hidden_by(const struct fth_image_tree *t, const char *path, unsigned layer);

/*
 * The cache directory opts selects, in a: opts->cache_dir when set ("" means no cache),
 * else $XDG_CACHE_HOME/fathom, else ~/.cache/fathom; "" when none can be named.
 */
const char *fth_image_cache_dir(struct fth_arena *a, const struct fth_image_opts *opts);

/* Normalise an archive path as above into out (which needs strlen(in)+1 bytes). Returns 0,
 * or FTH_EINVALID when it escapes the root. */
int fth_image_path_normalize(char *out, const char *in);

#ifdef __cplusplus
}
#endif
#endif
