#include "fathom/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "banned.h"

char fth_buf__empty[1];

void fth_buf_init(struct fth_buf *b)
{
    b->ptr = fth_buf__empty;
    b->len = 0;
    b->cap = 0;
}

void fth_buf_release(struct fth_buf *b)
{
    if (b->cap)
        free(b->ptr);
    fth_buf_init(b);
}

void fth_buf_clear(struct fth_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->ptr[0] = '\0';
}

int fth_buf_grow(struct fth_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (fth_add_overflow(b->len, extra, &need) || fth_add_overflow(need, 1, &need))
        return FTH_ENOMEM;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (fth_mul_overflow(cap, 2, &cap))
            return FTH_ENOMEM;
    }
    p = b->cap ? realloc(b->ptr, cap) : malloc(cap);
    if (!p)
        return FTH_ENOMEM;
    if (!b->cap)
        p[0] = '\0';
    b->ptr = p;
    b->cap = cap;
    return 0;
}

int fth_buf_put(struct fth_buf *b, const void *data, size_t len)
{
    int error;
    if (!len)
        return 0;
    if ((error = fth_buf_grow(b, len)) < 0)
        return error;
    memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return 0;
}

int fth_buf_puts(struct fth_buf *b, const char *s)
{
    return fth_buf_put(b, s, strlen(s));
}

int fth_buf_putc(struct fth_buf *b, char c)
{
    return fth_buf_put(b, &c, 1);
}

int fth_buf_vprintf(struct fth_buf *b, const char *fmt, va_list ap)
{
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    va_list cp;
    int n, error;

    /* Format once into the free space; only a string that does not fit is formatted again. */
    va_copy(cp, ap);
    n = vsnprintf(room ? b->ptr + b->len : NULL, room, fmt, cp);
    va_end(cp);
    if (n < 0) {
        if (room)
            b->ptr[b->len] = '\0';
        return FTH_EINVALID;
    }
    if ((size_t)n >= room) {
        if ((error = fth_buf_grow(b, (size_t)n)) < 0) {
            if (room)
                b->ptr[b->len] = '\0';
            return error;
        }
        vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
    return 0;
}

int fth_buf_printf(struct fth_buf *b, const char *fmt, ...)
{
    va_list ap;
    int error;
    va_start(ap, fmt);
    error = fth_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return error;
}

char *fth_buf_detach(struct fth_buf *b, size_t *len)
{
    char *p;
    if (len)
        *len = b->len;
    if (!b->cap) {
        p = malloc(1);
        if (p)
            p[0] = '\0';
    } else {
        p = b->ptr;
    }
    fth_buf_init(b);
    return p;
}
