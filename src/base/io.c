#include "fathom/base.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

int fth_file_read(struct fth_buf *out, const char *path, size_t max, struct fth_error *err)
{
    int fd, error = 0, is_stdin = path[0] == '-' && path[1] == '\0';
    const char *name = is_stdin ? "<stdin>" : path;
    struct stat st;

    fth_buf_clear(out);
    fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = fth_error_set(err, errno == ENOENT ? FTH_ENOTFOUND : FTH_EIO,
                              "cannot open '%s': %s", name, strerror(errno));
        return error;
    }
    if (fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            error = fth_error_set(err, FTH_EINVALID, "'%s' is a directory", name);
            goto out;
        }
        if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
            error = fth_error_set(err, FTH_ELIMIT, "'%s' is %jd bytes, over the limit of %zu",
                                  name, (intmax_t)st.st_size, max);
            goto out;
        }
        if (S_ISREG(st.st_mode) && (error = fth_buf_grow(out, (size_t)st.st_size)) < 0)
            goto nomem;
    }
    for (;;) {
        ssize_t n;
        size_t room;
        if (out->len >= max) {
            /* Pipes have no size up front: stop at the limit. */
            char probe;
            n = read(fd, &probe, 1);
            if (n > 0) {
                error = fth_error_set(err, FTH_ELIMIT, "'%s' is over the limit of %zu bytes",
                                      name, max);
                goto out;
            }
            break;
        }
        if ((error = fth_buf_grow(out, 65536)) < 0)
            goto nomem;
        room = out->cap - out->len - 1;
        if (room > max - out->len)
            room = max - out->len;
        n = read(fd, out->ptr + out->len, room);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            error = fth_error_set(err, FTH_EIO, "cannot read '%s': %s", name, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->ptr[out->len] = '\0';
    }
    goto out;
nomem:
    error = fth_error_set(err, FTH_ENOMEM, "out of memory reading '%s'", name);
out:
    if (!is_stdin)
        close(fd);
    return error;
}
