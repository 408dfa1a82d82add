/*
 * image: streaming one layer tar with libarchive (gzip, zstd or none, whatever the bytes
 * are). Nothing is buffered beyond libarchive's own blocks: each entry goes to the visitor,
 * whose reader pulls content from the same stream, and whatever it leaves is skipped block
 * by block (sparse holes are never materialised). The stored bytes are hashed as they are
 * read so the blob's digest is checked at the end of the same pass.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <archive.h>
#include <archive_entry.h>

#include "image_core.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct walk {
    struct fth_image *img;
    unsigned index;
    const struct layer_loc *loc;
    struct raw_source *raw;
    struct archive *ar;
    struct fth_sha256 sha;
    int hashing;
    uint64_t raw_bytes;
    uint64_t entries;
    int failed;            /* FTH_E* from the raw source or a limit, 0 while all is well */
    struct fth_error rerr; /* its message */
    char last[FTH_LIMIT_PATH_LEN + 1];
    char path[FTH_LIMIT_PATH_LEN + 1];
    char link[FTH_LIMIT_PATH_LEN + 1];
};

static const char *layer_name(const struct walk *w)
{
    const struct fth_layer *l = &w->img->layers[w->index];

    return l->digest && l->digest[0] ? l->digest : "root filesystem";
}

static la_ssize_t read_cb(struct archive *ar, void *ctx, const void **buf)
{
    struct walk *w = ctx;
    long n = w->raw->read(w->raw->ctx, buf, &w->rerr);

    if (n < 0) {
        w->failed = (int)n;
        archive_set_error(ar, EIO, "%s", w->rerr.message);
        return -1;
    }
    if (n > 0 && w->hashing)
        fth_sha256_update(&w->sha, *buf, (size_t)n);
    w->raw_bytes += (uint64_t)n;
    return (la_ssize_t)n;
}

/* Uncompressed size and expansion checks; 0 or FTH_ELIMIT with w->rerr set. */
static int check_limits(struct walk *w)
{
    la_int64_t u = archive_filter_bytes(w->ar, 0);
    uint64_t un = u > 0 ? (uint64_t)u : 0, raw = w->raw_bytes ? w->raw_bytes : 1;

    if (w->failed)
        return w->failed;
    if (un > FTH_LIMIT_LAYER_SIZE)
        w->failed = fth_error_set(&w->rerr, FTH_ELIMIT,
                                  "image '%s': layer %u (%s): more than %llu uncompressed bytes "
                                  "at entry '%s'",
                                  w->img->ref, w->index, layer_name(w),
                                  (unsigned long long)FTH_LIMIT_LAYER_SIZE, w->last);
    else if (un > FTH_LIMIT_LAYER_RATIO_FLOOR && un / raw > FTH_LIMIT_LAYER_RATIO)
        w->failed =
            fth_error_set(&w->rerr, FTH_ELIMIT,
                          "image '%s': layer %u (%s): expands more than %d times (%llu "
                          "bytes from %llu) at entry '%s': refused as a decompression "
                          "bomb",
                          w->img->ref, w->index, layer_name(w), FTH_LIMIT_LAYER_RATIO,
                          (unsigned long long)un, (unsigned long long)w->raw_bytes, w->last);
    return w->failed;
}

/* A corrupt stream: keep the source's or limit's own message when there is one. */
static int corrupt(struct walk *w, struct fth_error *err)
{
    if (w->failed) {
        if (err && err != &w->rerr)
            *err = w->rerr;
        return w->failed;
    }
    return fth_error_set(err, FTH_EINVALID,
                         "image '%s': layer %u (%s): truncated or corrupt after entry '%s': %s",
                         w->img->ref, w->index, layer_name(w), w->last[0] ? w->last : "(none)",
                         archive_error_string(w->ar) ? archive_error_string(w->ar) : "read error");
}

long layer_reader_read(struct fth_entry_reader *r, void *buf, size_t len)
{
    struct walk *w = r->walk;
    la_ssize_t n;

    if (w->failed)
        return w->failed;
    n = archive_read_data(w->ar, buf, len);
    if (n < 0) {
        w->failed = corrupt(w, &w->rerr);
        return w->failed;
    }
    if (check_limits(w) < 0)
        return w->failed;
    return (long)n;
}

static void refuse(const struct walk *w, const char *entry, const char *why)
{
    fth_log(FTH_LOG_WARN, "image", "image '%s': layer %u (%s): entry '%s' %s: refused", w->img->ref,
            w->index, layer_name(w), entry, why);
}

static void copy_str(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);

    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/*
 * Turn the libarchive header into e. Returns 1 to report it, 0 to skip it (refused or not a
 * path of its own), or FTH_ELIMIT.
 */
static int make_entry(struct walk *w, struct archive_entry *ae, struct fth_entry *e,
                      struct fth_error *err)
{
    const char *p = archive_entry_pathname(ae), *hl = archive_entry_hardlink(ae);
    char *name;
    size_t dirlen;

    if (!p)
        p = archive_entry_pathname_utf8(ae);
    if (!p) {
        refuse(w, "(unreadable name)", "has a name that cannot be decoded");
        return 0;
    }
    if (strlen(p) > FTH_LIMIT_PATH_LEN)
        return fth_error_set(err, FTH_ELIMIT,
                             "image '%s': layer %u (%s): entry after '%s' has a path longer "
                             "than %d bytes",
                             w->img->ref, w->index, layer_name(w), w->last, FTH_LIMIT_PATH_LEN);
    copy_str(w->last, sizeof(w->last), p);
    if (fth_image_path_normalize(w->path, p) < 0) {
        refuse(w, p, "escapes the root");
        return 0;
    }
    if (!w->path[0])
        return 0; /* the root directory itself */
    memset(e, 0, sizeof(*e));
    e->layer = w->index;
    e->mode = (unsigned)archive_entry_perm(ae) & 07777;
    e->uid = (unsigned)archive_entry_uid(ae);
    e->gid = (unsigned)archive_entry_gid(ae);
    name = strrchr(w->path, '/');
    name = name ? name + 1 : w->path;
    dirlen = name > w->path ? (size_t)(name - w->path - 1) : 0;
    if (!strncmp(name, ".wh.", 4)) {
        if (!strcmp(name, ".wh..wh..opq")) {
            e->type = FTH_ENTRY_OPAQUE;
        } else if (!strncmp(name, ".wh..wh.", 8)) {
            return 0; /* AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): no path */
        } else if (!strcmp(name + 4, "") || !strcmp(name + 4, ".") || !strcmp(name + 4, "..")) {
            refuse(w, p, "is a whiteout of nothing");
            return 0;
        } else {
            /* `.wh.NAME` deletes NAME: shift it over the prefix. */
            memmove(name, name + 4, strlen(name + 4) + 1);
            e->type = FTH_ENTRY_WHITEOUT;
            e->path = w->path;
            return 1;
        }
        w->path[dirlen] = '\0';
        e->path = w->path;
        return 1;
    }
    e->path = w->path;
    if (hl) {
        if (strlen(hl) > FTH_LIMIT_PATH_LEN || fth_image_path_normalize(w->link, hl) < 0 ||
            !w->link[0]) {
            refuse(w, p, "is a hardlink to outside the root");
            return 0;
        }
        e->type = FTH_ENTRY_HARDLINK;
        e->link = w->link;
        return 1;
    }
    switch (archive_entry_filetype(ae)) {
    case AE_IFREG:
        e->type = FTH_ENTRY_FILE;
        e->size = archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0
                      ? (uint64_t)archive_entry_size(ae)
                      : 0;
        break;
    case AE_IFDIR:
        e->type = FTH_ENTRY_DIR;
        break;
    case AE_IFLNK:
        e->type = FTH_ENTRY_SYMLINK;
        /* Reported as written, absolute or not: it is never followed here. */
        e->link = archive_entry_symlink(ae);
        if (!e->link)
            e->link = archive_entry_symlink_utf8(ae);
        if (!e->link)
            e->link = "";
        break;
    default:
        e->type = FTH_ENTRY_OTHER;
        break;
    }
    return 1;
}

/* Skip what the visitor left of the entry, block by block, holes never filled. */
static int skip_data(struct walk *w, struct fth_error *err)
{
    const void *buf;
    size_t size;
    la_int64_t off;
    int r;

    while ((r = archive_read_data_block(w->ar, &buf, &size, &off)) == ARCHIVE_OK)
        if (check_limits(w) < 0)
            return corrupt(w, err);
    if (r != ARCHIVE_EOF)
        return corrupt(w, err);
    return 0;
}

int layer_walk_stream(struct fth_image *img, unsigned index, struct raw_source *raw,
                      const struct layer_loc *loc, fth_entry_visitor visit, void *data,
                      struct fth_error *err)
{
    struct walk *w;
    struct archive_entry *ae;
    int error = 0, r;

    if (!(w = calloc(1, sizeof(*w))))
        return FTH_ENOMEM;
    w->img = img;
    w->index = index;
    w->loc = loc;
    w->raw = raw;
    if (loc && loc->expect) {
        if ((error = fth_sha256_init(&w->sha)) < 0)
            goto out;
        w->hashing = 1;
    }
    if (!(w->ar = archive_read_new())) {
        error = FTH_ENOMEM;
        goto out;
    }
    archive_read_support_filter_all(w->ar);
    archive_read_support_format_tar(w->ar);
    archive_read_support_format_empty(w->ar);
    if (archive_read_open(w->ar, w, NULL, read_cb, NULL) != ARCHIVE_OK) {
        error = corrupt(w, err);
        goto out;
    }
    for (;;) {
        struct fth_entry_reader rd;
        struct fth_entry e;

        r = archive_read_next_header(w->ar, &ae);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN) {
            error = corrupt(w, err);
            goto out;
        }
        if ((error = check_limits(w)) < 0) {
            error = corrupt(w, err);
            goto out;
        }
        if (++w->entries > FTH_LIMIT_LAYER_ENTRIES) {
            error = fth_error_set(err, FTH_ELIMIT,
                                  "image '%s': layer %u (%s): more than %d entries (at '%s')",
                                  img->ref, index, layer_name(w), FTH_LIMIT_LAYER_ENTRIES, w->last);
            goto out;
        }
        if ((r = make_entry(w, ae, &e, err)) < 0) {
            error = r;
            goto out;
        }
        if (r > 0) {
            memset(&rd, 0, sizeof(rd));
            rd.kind = 0;
            rd.walk = w;
            rd.entry = &e;
            rd.img = img;
            rd.rerr = &w->rerr;
            if ((error = visit(data, &e, e.type == FTH_ENTRY_FILE ? &rd : NULL)) < 0) {
                /* A read error the visitor passed on keeps its message. */
                if (w->failed && error == w->failed && err)
                    *err = w->rerr;
                goto out;
            }
            error = 0;
        }
        if ((error = skip_data(w, err)) < 0)
            goto out;
    }
    if (w->hashing) {
        const void *buf;
        long n;
        char hex[65];
        int plain = archive_filter_code(w->ar, 0) == ARCHIVE_FILTER_NONE;

        /* Hash what the tar reader left unread (end padding) so the whole blob counts. */
        while ((n = raw->read(raw->ctx, &buf, &w->rerr)) > 0)
            fth_sha256_update(&w->sha, buf, (size_t)n);
        if (n < 0) {
            error = fth_error_set(err, (int)n, "%s", w->rerr.message);
            goto out;
        }
        fth_sha256_final(&w->sha, hex);
        w->hashing = 0;
        if ((!loc->expect_if_plain || plain) && strcmp(hex, loc->expect) != 0)
            error = fth_error_set(err, FTH_EVERIFY,
                                  "image '%s': layer %u: blob does not match its digest "
                                  "'sha256:%s' (sha256 of the content is %s)",
                                  img->ref, index, loc->expect, hex);
    }
out:
    if (w->hashing)
        fth_sha256_release(&w->sha);
    if (w->ar)
        archive_read_free(w->ar);
    free(w);
    return error;
}
