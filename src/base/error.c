#include "fathom/base.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

void fth_error_clear(struct fth_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
}

int fth_error_setv(struct fth_error *err, int code, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    return code;
}

int fth_error_set(struct fth_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fth_error_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

void fth_error_locate(struct fth_error *err, const char *file, unsigned line, unsigned column)
{
    if (!err)
        return;
    if (file && !err->file[0])
        snprintf(err->file, sizeof(err->file), "%s", file);
    if (line && !err->line) {
        err->line = line;
        err->column = column;
    }
}

const char *fth_error_name(int code)
{
    switch (code) {
    case FTH_OK:
        return "success";
    case FTH_ENOMEM:
        return "out of memory";
    case FTH_EINVALID:
        return "invalid input";
    case FTH_ENOTFOUND:
        return "not found";
    case FTH_EIO:
        return "input/output error";
    case FTH_ELIMIT:
        return "limit reached";
    case FTH_EVERIFY:
        return "verification failed";
    case FTH_EUSAGE:
        return "bad usage";
    case FTH_ETYPE:
        return "wrong type";
    default:
        return "unknown error";
    }
}

int fth_error_format(struct fth_buf *out, const struct fth_error *err)
{
    int error = 0;
    if (err->file[0]) {
        if ((error = fth_buf_puts(out, err->file)) < 0)
            return error;
        if (err->line && (error = fth_buf_printf(out, ":%u", err->line)) < 0)
            return error;
        if (err->line && err->column && (error = fth_buf_printf(out, ":%u", err->column)) < 0)
            return error;
        if ((error = fth_buf_puts(out, ": ")) < 0)
            return error;
    } else if (err->line) {
        /* no file name, but a position is still worth saying */
        if ((error = fth_buf_printf(out, "%u", err->line)) < 0)
            return error;
        if (err->column && (error = fth_buf_printf(out, ":%u", err->column)) < 0)
            return error;
        if ((error = fth_buf_puts(out, ": ")) < 0)
            return error;
    }
    if (err->member[0] && (error = fth_buf_printf(out, "%s: ", err->member)) < 0)
        return error;
    return fth_buf_puts(out, err->message[0] ? err->message : fth_error_name(err->code));
}
