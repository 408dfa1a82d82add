/*
 * image: root filesystems, as a directory or a tarball, seen as a one-layer image. A
 * directory is walked with openat() from the root down (symlinks are reported, never
 * followed), each directory's names sorted so the walk order does not depend on the file
 * system; file content is opened only when the visitor reads it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_core.h"
#include "../base/limits.h"
#include "../base/banned.h"

int rootfs_open(struct fth_image *img, struct fth_arena *a, const char *path, int is_dir,
                struct fth_error *err)
{
    struct fth_layer *l = fth_arena_calloc(a, 1, sizeof(*l));
    struct layer_loc *loc = fth_arena_calloc(a, 1, sizeof(*loc));
    struct stat st;

    if (!l || !loc)
        return FTH_ENOMEM;
    if (stat(path, &st) < 0)
        return fth_error_set(err, errno == ENOENT ? FTH_ENOTFOUND : FTH_EIO, "image '%s': %s",
                             img->ref, strerror(errno));
    img->transport = is_dir ? "dir" : "rootfs-archive";
    l->index = 0;
    l->diff_id = "";
    l->media_type = "";
    l->created_by = "";
    l->digest = "";
    loc->path = fth_arena_strdup(a, path);
    if (!is_dir) {
        /* The tarball is the layer's blob: name it by its digest, checked again as it streams. */
        struct raw_source raw;
        struct file_source *fs = NULL;
        struct fth_sha256 h;
        const void *buf;
        char hex[65];
        long n;
        int error;

        l->size = (uint64_t)st.st_size;
        if ((error = file_source_open(&fs, &raw, path, err)) < 0)
            return error;
        if ((error = fth_sha256_init(&h)) < 0) {
            file_source_close(fs);
            return error;
        }
        while ((n = raw.read(raw.ctx, &buf, err)) > 0)
            fth_sha256_update(&h, buf, (size_t)n);
        file_source_close(fs);
        if (n < 0) {
            fth_sha256_release(&h);
            return (int)n;
        }
        fth_sha256_final(&h, hex);
        l->digest = fth_arena_printf(a, "sha256:%s", hex);
        loc->expect = l->digest ? l->digest + 7 : NULL;
    }
    if (!loc->path || !l->digest)
        return FTH_ENOMEM;
    img->layers = l;
    img->nlayers = 1;
    img->src->locs = loc;
    img->src->kind = is_dir ? SRC_ROOTFS_DIR : SRC_ROOTFS_TAR;
    return 0;
}

/* ---- directory walk ---- */

struct dwalk {
    struct fth_image *img;
    fth_entry_visitor visit;
    void *data;
    char path[FTH_LIMIT_PATH_LEN + 1];
    char link[FTH_LIMIT_PATH_LEN + 1];
    uint64_t entries;
    struct fth_error rerr;
    int failed;
};

static int cmp_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static int walk_dir(struct dwalk *w, int dfd, size_t plen, unsigned depth, struct fth_error *err);

/* Content reader for a file of the directory: opened on first read, relative to its dir. */
struct dreader {
    struct fth_entry_reader r;
    int dfd;
    const char *name;
};

static long dir_read(struct fth_entry_reader *r, void *buf, size_t len)
{
    struct dreader *d = (struct dreader *)r;
    struct dwalk *w = r->walk;
    ssize_t n;

    if (r->fd < 0) {
        r->fd = openat(d->dfd, d->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (r->fd < 0)
            return w->failed = fth_error_set(&w->rerr, FTH_EIO, "image '%s': '%s': %s", w->img->ref,
                                             r->entry->path, strerror(errno));
    }
    do
        n = read(r->fd, buf, len);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return w->failed = fth_error_set(&w->rerr, FTH_EIO, "image '%s': '%s': %s", w->img->ref,
                                         r->entry->path, strerror(errno));
    return (long)n;
}

static int visit_one(struct dwalk *w, int dfd, const char *name, size_t plen, unsigned depth,
                     struct fth_error *err)
{
    struct stat st;
    struct fth_entry e;
    struct dreader d;
    size_t nlen = strlen(name), at = plen ? plen + 1 : 0;
    int error = 0;

    if (at + nlen > FTH_LIMIT_PATH_LEN)
        return fth_error_set(err, FTH_ELIMIT, "image '%s': path '%.*s/%s' is longer than %d bytes",
                             w->img->ref, (int)plen, w->path, name, FTH_LIMIT_PATH_LEN);
    if (plen)
        w->path[plen] = '/';
    memcpy(w->path + at, name, nlen + 1);
    if (++w->entries > FTH_LIMIT_LAYER_ENTRIES)
        return fth_error_set(err, FTH_ELIMIT, "image '%s': more than %d entries (at '%s')",
                             w->img->ref, FTH_LIMIT_LAYER_ENTRIES, w->path);
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        fth_log(FTH_LOG_WARN, "image", "image '%s': '%s': %s: skipped", w->img->ref, w->path,
                strerror(errno));
        return 0;
    }
    memset(&e, 0, sizeof(e));
    e.path = w->path;
    e.mode = (unsigned)st.st_mode & 07777;
    e.uid = (unsigned)st.st_uid;
    e.gid = (unsigned)st.st_gid;
    if (S_ISREG(st.st_mode)) {
        e.type = FTH_ENTRY_FILE;
        e.size = (uint64_t)st.st_size;
    } else if (S_ISDIR(st.st_mode)) {
        e.type = FTH_ENTRY_DIR;
    } else if (S_ISLNK(st.st_mode)) {
        ssize_t n = readlinkat(dfd, name, w->link, sizeof(w->link) - 1);

        w->link[n > 0 ? n : 0] = '\0';
        e.type = FTH_ENTRY_SYMLINK;
        e.link = w->link;
    } else {
        e.type = FTH_ENTRY_OTHER;
    }
    memset(&d, 0, sizeof(d));
    d.r.kind = 1;
    d.r.walk = w;
    d.r.fd = -1;
    d.r.entry = &e;
    d.r.img = w->img;
    d.r.rerr = &w->rerr;
    d.dfd = dfd;
    d.name = name;
    error = w->visit(w->data, &e, e.type == FTH_ENTRY_FILE ? &d.r : NULL);
    if (d.r.fd >= 0)
        close(d.r.fd);
    if (error < 0) {
        if (w->failed && error == w->failed && err)
            *err = w->rerr;
        return error;
    }
    if (e.type == FTH_ENTRY_DIR) {
        int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

        if (sub < 0) {
            fth_log(FTH_LOG_WARN, "image", "image '%s': '%s': %s: skipped", w->img->ref, w->path,
                    strerror(errno));
            return 0;
        }
        error = walk_dir(w, sub, at + nlen, depth + 1, err);
    }
    return error;
}

static int walk_dir(struct dwalk *w, int dfd, size_t plen, unsigned depth, struct fth_error *err)
{
    DIR *dir = NULL;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int error = 0;

    if (depth > FTH_LIMIT_ROOTFS_DEPTH) {
        close(dfd);
        return fth_error_set(err, FTH_ELIMIT, "image '%s': '%.*s' is nested deeper than %d",
                             w->img->ref, (int)plen, w->path, FTH_LIMIT_ROOTFS_DEPTH);
    }
    if (!(dir = fdopendir(dfd))) {
        close(dfd);
        return fth_error_set(err, FTH_EIO, "image '%s': cannot list '%.*s': %s", w->img->ref,
                             (int)plen, w->path, strerror(errno));
    }
    while ((de = readdir(dir))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            char **nn = realloc(names, ncap * sizeof(*nn));

            if (!nn) {
                error = FTH_ENOMEM;
                goto out;
            }
            names = nn;
            cap = ncap;
        }
        if (!(names[n] = strdup(de->d_name))) {
            error = FTH_ENOMEM;
            goto out;
        }
        n++;
    }
    if (n)
        qsort(names, n, sizeof(*names), cmp_name);
    for (i = 0; i < n && error >= 0; i++) {
        error = visit_one(w, dirfd(dir), names[i], plen, depth, err);
        w->path[plen] = '\0';
    }
out:
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(dir);
    return error;
}

int rootfs_walk_dir(struct fth_image *img, const char *dir, fth_entry_visitor visit, void *data,
                    struct fth_error *err)
{
    struct dwalk *w = calloc(1, sizeof(*w));
    int fd, error;

    if (!w)
        return FTH_ENOMEM;
    w->img = img;
    w->visit = visit;
    w->data = data;
    if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        error = fth_error_set(err, FTH_EIO, "image '%s': cannot open '%s': %s", img->ref, dir,
                              strerror(errno));
        free(w);
        return error;
    }
    error = walk_dir(w, fd, 0, 0, err);
    free(w);
    return error;
}

long rootfs_reader_read(struct fth_entry_reader *r, void *buf, size_t len)
{
    return dir_read(r, buf, len);
}
