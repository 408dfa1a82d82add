/*
 * image: outer archives (`docker save` output and OCI layouts as tar, plain or compressed).
 * One scan remembers the members an image archive is made of and keeps the small ones
 * (manifests, configs, tiny layers) in memory; a layer member is later streamed out of the
 * archive by a second pass that skips (seeks, when the archive is not compressed) to it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "image_core.h"
#include "../base/limits.h"
#include "../base/banned.h"

/* Members up to this size are kept in memory by the scan, up to KEEP_TOTAL in all. */
#define KEEP_MEMBER ((size_t)256 * 1024)
#define KEEP_TOTAL ((size_t)32 * 1024 * 1024)
#define CHUNK 65536
#define MAX_LINK_HOPS 8

struct tar_member {
    const char *name;
    const char *link; /* normalised target of a symlink or hardlink; NULL otherwise */
    uint64_t size;
    const char *data; /* kept bytes, or NULL */
};

struct tar_index {
    struct fth_arena *a;
    const char *path;
    const char *what;
    struct tar_member *m;
    size_t n, cap;
};

/* ---- files ---- */

struct file_source {
    int fd;
    char buf[CHUNK];
    const char *path;
};

static long file_read(void *ctx, const void **buf, struct fth_error *err)
{
    struct file_source *fs = ctx;
    ssize_t n;

    do
        n = read(fs->fd, fs->buf, sizeof(fs->buf));
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return fth_error_set(err, FTH_EIO, "'%s': read failed: %s", fs->path, strerror(errno));
    *buf = fs->buf;
    return (long)n;
}

int file_source_open(struct file_source **out, struct raw_source *raw, const char *path,
                     struct fth_error *err)
{
    struct file_source *fs;

    *out = NULL;
    if (!(fs = calloc(1, sizeof(*fs))))
        return FTH_ENOMEM;
    if ((fs->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        int code = errno == ENOENT ? FTH_ENOTFOUND : FTH_EIO;

        fth_error_set(err, code, "'%s': %s", path, strerror(errno));
        free(fs);
        return code;
    }
    fs->path = path;
    raw->read = file_read;
    raw->ctx = fs;
    *out = fs;
    return 0;
}

void file_source_close(struct file_source *fs)
{
    if (!fs)
        return;
    close(fs->fd);
    free(fs);
}

/* ---- the index ---- */

static int open_outer(struct archive **out, const char *path, const char *what,
                      struct fth_error *err)
{
    struct archive *ar = archive_read_new();

    *out = NULL;
    if (!ar)
        return FTH_ENOMEM;
    archive_read_support_filter_all(ar);
    archive_read_support_format_tar(ar);
    if (archive_read_open_filename(ar, path, CHUNK) != ARCHIVE_OK) {
        int code = fth_error_set(err, FTH_EIO, "image '%s': cannot read archive '%s': %s", what,
                                 path, archive_error_string(ar));
        archive_read_free(ar);
        return code;
    }
    *out = ar;
    return 0;
}

/* Number of components of a normalised path. */
static size_t depth(const char *p)
{
    size_t n = *p ? 1 : 0;

    for (; *p; p++)
        n += *p == '/';
    return n;
}

static struct tar_member *find(const struct tar_index *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        if (!strcmp(t->m[i].name, name))
            return &t->m[i];
    return NULL;
}

const char *tar_resolve(const struct tar_index *t, const char *name)
{
    const struct tar_member *m = find(t, name);
    int hops = 0;

    while (m && m->link && hops++ < MAX_LINK_HOPS)
        m = find(t, m->link);
    return m && !m->link ? m->name : NULL;
}

int tar_has(const struct tar_index *t, const char *name)
{
    return tar_resolve(t, name) != NULL;
}

/* Target of a link member, normalised relative to the archive root; NULL when it escapes. */
static const char *link_target(struct fth_arena *a, const char *name, const char *target,
                               int symlink)
{
    const char *slash = strrchr(name, '/');
    char *joined, *norm;

    if (symlink && target[0] != '/' && slash)
        joined = fth_arena_printf(a, "%.*s/%s", (int)(slash - name), name, target);
    else
        joined = fth_arena_strdup(a, target);
    if (!joined || !(norm = fth_arena_alloc(a, strlen(joined) + 1)))
        return NULL;
    if (fth_image_path_normalize(norm, joined) < 0)
        return NULL;
    return norm;
}

int tar_index_build(struct tar_index **out, struct fth_arena *a, const char *path, const char *what,
                    struct fth_error *err)
{
    struct archive *ar = NULL;
    struct archive_entry *e;
    struct tar_index *t;
    size_t kept = 0;
    int error = 0, r;

    *out = NULL;
    if (!(t = fth_arena_calloc(a, 1, sizeof(*t))))
        return FTH_ENOMEM;
    t->a = a;
    t->path = path;
    t->what = what;
    if ((error = open_outer(&ar, path, what, err)) < 0)
        goto out;
    while ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(e), *hl = archive_entry_hardlink(e);
        unsigned ft = archive_entry_filetype(e);
        struct tar_member *m;
        char buf[FTH_LIMIT_PATH_LEN + 1];
        char *norm;

        if (!name || strlen(name) > FTH_LIMIT_PATH_LEN)
            continue;
        /* Only the few top levels make up an image archive; a root filesystem's deep tree is
         * not remembered. */
        if (fth_image_path_normalize(buf, name) < 0 || !*buf || depth(buf) > 3)
            continue;
        if (!hl && ft != AE_IFREG && ft != AE_IFLNK)
            continue;
        if (t->n == FTH_LIMIT_ARCHIVE_MEMBERS)
            continue;
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 64;
            struct tar_member *nm = fth_arena_calloc(a, cap, sizeof(*nm));

            if (!nm) {
                error = FTH_ENOMEM;
                goto out;
            }
            if (t->n)
                memcpy(nm, t->m, t->n * sizeof(*nm));
            t->m = nm;
            t->cap = cap;
        }
        if (!(norm = fth_arena_strdup(a, buf))) {
            error = FTH_ENOMEM;
            goto out;
        }
        m = &t->m[t->n++];
        m->name = norm;
        if (hl) {
            m->link = link_target(a, norm, hl, 0);
            if (!m->link)
                m->link = "";
            continue;
        }
        if (ft == AE_IFLNK) {
            const char *target = archive_entry_symlink(e);

            m->link = target ? link_target(a, norm, target, 1) : NULL;
            if (!m->link)
                m->link = "";
            continue;
        }
        m->size = (uint64_t)archive_entry_size(e);
        if (m->size <= KEEP_MEMBER && kept + m->size <= KEEP_TOTAL) {
            char *data = fth_arena_alloc(a, (size_t)m->size + 1);
            la_ssize_t got = 0, n;

            if (!data) {
                error = FTH_ENOMEM;
                goto out;
            }
            while (got < (la_ssize_t)m->size &&
                   (n = archive_read_data(ar, data + got, (size_t)m->size - (size_t)got)) > 0)
                got += n;
            if (got != (la_ssize_t)m->size) {
                error = fth_error_set(err, FTH_EINVALID,
                                      "image '%s': archive '%s' is truncated or corrupt at "
                                      "member '%s': %s",
                                      what, path, norm, archive_error_string(ar));
                goto out;
            }
            m->data = data;
            kept += m->size;
        }
    }
    if (r != ARCHIVE_EOF) {
        error =
            fth_error_set(err, FTH_EINVALID, "image '%s': archive '%s' is truncated or corrupt: %s",
                          what, path, archive_error_string(ar));
        goto out;
    }
    *out = t;
out:
    if (ar)
        archive_read_free(ar);
    return error;
}

void tar_index_free(struct tar_index *t)
{
    (void)t; /* everything lives in the image's arena */
}

/* ---- streaming one member ---- */

struct tar_stream {
    struct archive *ar;
    const char *data; /* a kept member: handed out in one chunk */
    size_t len;
    int done;
    char buf[CHUNK];
    const char *name;
    struct tar_index *t;
};

static long stream_read(void *ctx, const void **buf, struct fth_error *err)
{
    struct tar_stream *ts = ctx;
    la_ssize_t n;

    if (ts->data) {
        if (ts->done)
            return 0;
        ts->done = 1;
        *buf = ts->data;
        return (long)ts->len;
    }
    n = archive_read_data(ts->ar, ts->buf, sizeof(ts->buf));
    if (n < 0)
        return fth_error_set(err, FTH_EINVALID,
                             "image '%s': archive '%s' is truncated or corrupt in member '%s': %s",
                             ts->t->what, ts->t->path, ts->name, archive_error_string(ts->ar));
    *buf = ts->buf;
    return (long)n;
}

int tar_stream_open(struct tar_stream **out, struct raw_source *raw, struct tar_index *t,
                    const char *name, struct fth_error *err)
{
    const char *real = tar_resolve(t, name);
    struct archive_entry *e;
    struct tar_stream *ts;
    struct tar_member *m;
    int error = 0, r;

    *out = NULL;
    if (!real)
        return fth_error_set(err, FTH_ENOTFOUND, "image '%s': archive '%s' has no member '%s'",
                             t->what, t->path, name);
    m = find(t, real);
    if (!(ts = calloc(1, sizeof(*ts))))
        return FTH_ENOMEM;
    ts->name = real;
    ts->t = t;
    if (m->data) {
        ts->data = m->data;
        ts->len = (size_t)m->size;
        goto done;
    }
    if ((error = open_outer(&ts->ar, t->path, t->what, err)) < 0)
        goto out;
    while ((r = archive_read_next_header(ts->ar, &e)) == ARCHIVE_OK) {
        const char *p = archive_entry_pathname(e);
        char norm[FTH_LIMIT_PATH_LEN + 1];

        if (!p || strlen(p) > FTH_LIMIT_PATH_LEN || fth_image_path_normalize(norm, p) < 0)
            continue;
        if (!strcmp(norm, real) && !archive_entry_hardlink(e) &&
            archive_entry_filetype(e) == AE_IFREG)
            goto done;
    }
    error = fth_error_set(err, r == ARCHIVE_EOF ? FTH_ENOTFOUND : FTH_EINVALID,
                          "image '%s': archive '%s': member '%s' not found on second reading%s%s",
                          t->what, t->path, real, r == ARCHIVE_EOF ? "" : ": ",
                          r == ARCHIVE_EOF ? "" : archive_error_string(ts->ar));
    goto out;
done:
    raw->read = stream_read;
    raw->ctx = ts;
    *out = ts;
    ts = NULL;
out:
    tar_stream_close(ts);
    return error;
}

void tar_stream_close(struct tar_stream *ts)
{
    if (!ts)
        return;
    if (ts->ar)
        archive_read_free(ts->ar);
    free(ts);
}

int tar_read(struct fth_buf *out, struct tar_index *t, const char *name, size_t max,
             struct fth_error *err)
{
    struct raw_source raw;
    struct tar_stream *ts = NULL;
    const void *chunk;
    long n;
    int error;

    fth_buf_clear(out);
    if ((error = tar_stream_open(&ts, &raw, t, name, err)) < 0)
        return error;
    while ((n = raw.read(raw.ctx, &chunk, err)) > 0) {
        if (out->len + (size_t)n > max) {
            error = fth_error_set(err, FTH_ELIMIT,
                                  "image '%s': archive member '%s' is larger than %zu bytes",
                                  t->what, name, max);
            goto out;
        }
        if ((error = fth_buf_put(out, chunk, (size_t)n)) < 0)
            goto out;
    }
    if (n < 0)
        error = (int)n;
out:
    tar_stream_close(ts);
    return error;
}

uint64_t tar_size(const struct tar_index *t, const char *name)
{
    const char *real = tar_resolve(t, name);
    const struct tar_member *m = real ? find(t, real) : NULL;

    return m ? m->size : 0;
}
