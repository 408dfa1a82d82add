#include "fathom/base.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

/* strerror() in lower case, as messages are written. */
static const char *os_error(char *buf, size_t size, int errnum)
{
    snprintf(buf, size, "%s", strerror(errnum));
    buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

/*
 * The buffer grows only when bytes arrive: a regular file gets its size up front, a pipe
 * grows by doubling, and reading stops one byte past max (which is how a pipe over the limit
 * shows itself).
 */
int fth_file_read(struct fth_buf *out, const char *path, size_t max, struct fth_error *err)
{
    int fd, error = 0, is_stdin = path[0] == '-' && path[1] == '\0';
    const char *name = is_stdin ? "<stdin>" : path;
    char msg[128];
    struct stat st;

    fth_buf_clear(out);
    fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        error = fth_error_set(err, e == ENOENT ? FTH_ENOTFOUND : FTH_EIO, "cannot open: %s",
                              os_error(msg, sizeof(msg), e));
        goto out;
    }
    if (fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            error = fth_error_set(err, FTH_EINVALID, "expected a file, found a directory");
            goto out;
        }
        if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
            error = fth_error_set(err, FTH_ELIMIT, "expected at most %zu bytes, found %jd (limit)",
                                  max, (intmax_t)st.st_size);
            goto out;
        }
        if (S_ISREG(st.st_mode) && st.st_size > 0 &&
            (error = fth_buf_grow(out, (size_t)st.st_size)) < 0)
            goto nomem;
    }
    for (;;) {
        char small[4096], *dst;
        size_t room = out->cap ? out->cap - out->len - 1 : 0, left = max - out->len;
        ssize_t n;

        dst = room ? out->ptr + out->len : small;
        if (!room)
            room = sizeof(small);
        if (room > left + 1)
            room = left + 1;
        n = read(fd, dst, room);
        if (n < 0) {
            int e = errno;
            if (e == EINTR)
                continue;
            error = fth_error_set(err, FTH_EIO, "cannot read: %s", os_error(msg, sizeof(msg), e));
            goto out;
        }
        if (n == 0)
            break;
        if ((size_t)n > left) {
            error = fth_error_set(err, FTH_ELIMIT, "expected at most %zu bytes, found more (limit)",
                                  max);
            goto out;
        }
        if (dst == small) {
            if ((error = fth_buf_put(out, small, (size_t)n)) < 0)
                goto nomem;
        } else {
            out->len += (size_t)n;
            out->ptr[out->len] = '\0';
        }
    }
    goto out;
nomem:
    error = fth_error_set(err, FTH_ENOMEM, "out of memory");
out:
    if (error < 0)
        fth_error_locate(err, name, 0, 0);
    if (fd >= 0 && !is_stdin)
        close(fd);
    return error;
}
