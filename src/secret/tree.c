/*
 * secret: scanning a file or a directory tree on disk, for `fathom scan secret` and tests.
 * Entries are visited in sorted order so output is stable; symbolic links are not followed
 * (a link out of the tree would scan what the user did not ask for). Files over the size
 * limit are skipped with a warning unless asked, then read in chunks.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct walk {
    const struct fth_secret_rules *rules;
    const struct fth_secret_scan_opts *opts;
    struct fth_secret_scratch *scratch;
    struct fth_arena *a;
    fth_secret_file_fn fn;
    void *fn_data;
    dev_t skip_dev;
    ino_t skip_ino;
    int has_skip;
    size_t files;
    struct fth_error *err;
};

static long fd_read(void *data, void *buf, size_t len)
{
    int fd = *(int *)data;
    ssize_t n;

    do
        n = read(fd, buf, len);
    while (n < 0 && errno == EINTR);
    return n < 0 ? FTH_EIO : (long)n;
}

static int scan_file(struct walk *w, const char *full, const char *rel, const struct stat *st)
{
    struct fth_secret_result res;
    struct fth_buf buf = FTH_BUF_INIT;
    struct fth_error ferr;
    size_t max = w->opts->max_size ? w->opts->max_size : FTH_LIMIT_SECRET_FILE_SIZE;
    int error = 0, fd = -1;

    if (w->has_skip && st->st_dev == w->skip_dev && st->st_ino == w->skip_ino)
        return 0;
    if (++w->files > FTH_LIMIT_WALK_FILES)
        return fth_error_set(w->err, FTH_ELIMIT, "'%s': more than %d files", rel,
                             FTH_LIMIT_WALK_FILES);
    fth_arena_reset(w->a);
    memset(&res, 0, sizeof(res));
    fth_error_clear(&ferr);
    if ((uint64_t)st->st_size > max && !w->opts->scan_large) {
        fth_log(FTH_LOG_WARN, "secret", "'%s': skipped, %lld bytes is over the %zu-byte limit", rel,
                (long long)st->st_size, max);
        res.skipped = FTH_SECRET_SKIP_SIZE;
    } else if ((uint64_t)st->st_size > max) {
        if ((fd = open(full, O_RDONLY | O_CLOEXEC)) < 0) {
            fth_log(FTH_LOG_WARN, "secret", "'%s': cannot open: %s", rel, strerror(errno));
            goto out;
        }
        error = fth_secret_scan_stream(&res, w->a, w->scratch, w->rules, rel, fd_read, &fd, w->opts,
                                       &ferr);
        if (error == FTH_EIO) {
            fth_log(FTH_LOG_WARN, "secret", "'%s': read failed", rel);
            error = 0;
            goto out;
        }
    } else {
        if (fth_file_read(&buf, full, max, &ferr) < 0) {
            fth_log(FTH_LOG_WARN, "secret", "%s", ferr.message);
            goto out;
        }
        error = fth_secret_scan(&res, w->a, w->scratch, w->rules, rel, buf.ptr, buf.len, w->opts,
                                &ferr);
    }
    if (error < 0) {
        fth_error_set(w->err, error, "%s", ferr.message);
        goto out;
    }
    error = w->fn(rel, &res, w->fn_data);
out:
    if (fd >= 0)
        close(fd);
    fth_buf_release(&buf);
    return error;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(struct walk *w, const char *full, const char *rel, unsigned depth)
{
    DIR *d;
    struct dirent *e;
    struct stat st;
    char **names = NULL, **nn, *child = NULL, *crel = NULL;
    size_t n = 0, cap = 0, i;
    int error = 0;

    if (depth > FTH_LIMIT_WALK_DEPTH) {
        fth_log(FTH_LOG_WARN, "secret", "'%s': deeper than %d directories, not scanned", rel,
                FTH_LIMIT_WALK_DEPTH);
        return 0;
    }
    if (!(d = opendir(full))) {
        fth_log(FTH_LOG_WARN, "secret", "'%s': cannot open directory: %s", rel, strerror(errno));
        return 0;
    }
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            if (!(nn = realloc(names, cap * sizeof(*nn)))) {
                error = FTH_ENOMEM;
                goto out;
            }
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name))) {
            error = FTH_ENOMEM;
            goto out;
        }
        n++;
    }
    if (n)
        qsort(names, n, sizeof(*names), by_name);
    for (i = 0; i < n && error >= 0; i++) {
        struct fth_buf b1 = FTH_BUF_INIT, b2 = FTH_BUF_INIT;

        if (fth_buf_printf(&b1, "%s/%s", full, names[i]) < 0 ||
            fth_buf_printf(&b2, "%s%s%s", rel, *rel ? "/" : "", names[i]) < 0) {
            fth_buf_release(&b1);
            fth_buf_release(&b2);
            error = FTH_ENOMEM;
            break;
        }
        child = b1.ptr;
        crel = b2.ptr;
        if (lstat(child, &st) < 0)
            fth_log(FTH_LOG_WARN, "secret", "'%s': %s", crel, strerror(errno));
        else if (S_ISDIR(st.st_mode))
            error = walk_dir(w, child, crel, depth + 1);
        else if (S_ISREG(st.st_mode))
            error = scan_file(w, child, crel, &st);
        fth_buf_release(&b1);
        fth_buf_release(&b2);
    }
out:
    if (error == FTH_ENOMEM)
        fth_error_set(w->err, error, "out of memory walking '%s'", rel);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return error;
}

int fth_secret_scan_tree(const struct fth_secret_rules *rules, const char *root,
                         const char *skip_path, const struct fth_secret_scan_opts *opts,
                         fth_secret_file_fn fn, void *fn_data, struct fth_error *err)
{
    struct fth_secret_scan_opts def = FTH_SECRET_SCAN_OPTS_INIT;
    struct walk w;
    struct stat st;
    const char *base;
    int error = 0;

    memset(&w, 0, sizeof(w));
    w.rules = rules;
    w.opts = opts ? opts : &def;
    w.fn = fn;
    w.fn_data = fn_data;
    w.err = err;
    if (skip_path && stat(skip_path, &st) == 0) {
        w.has_skip = 1;
        w.skip_dev = st.st_dev;
        w.skip_ino = st.st_ino;
    }
    if (stat(root, &st) < 0)
        return fth_error_set(err, FTH_ENOTFOUND, "'%s': %s", root, strerror(errno));
    if (!(w.a = fth_arena_new()) || fth_secret_scratch_new(&w.scratch, rules) < 0) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        error = walk_dir(&w, root, "", 0);
    } else if (S_ISREG(st.st_mode)) {
        base = strrchr(root, '/');
        error = scan_file(&w, root, base && base[1] ? base + 1 : root, &st);
    } else {
        error = fth_error_set(err, FTH_EINVALID, "'%s': not a file or directory", root);
    }
out:
    fth_secret_scratch_free(w.scratch);
    fth_arena_free(w.a);
    return error;
}
