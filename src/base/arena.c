#include "fathom/base.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "banned.h"

/*
 * A chain of blocks; allocation bumps a pointer. Blocks double up to 1 MiB so that a small
 * request costs little and a large scan does few mallocs. Oversized requests get their own
 * block.
 */
struct block {
    struct block *next;
    size_t size;
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

struct fth_arena {
    struct block *head;
    size_t next_size;
    size_t total;
};

#define ALIGN (alignof(max_align_t))
#define MAX_BLOCK ((size_t)1024 * 1024)

struct fth_arena *fth_arena_new(void)
{
    struct fth_arena *a = calloc(1, sizeof(*a));
    if (a)
        a->next_size = 4096;
    return a;
}

void fth_arena_free(struct fth_arena *a)
{
    struct block *b, *next;
    if (!a)
        return;
    for (b = a->head; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void fth_arena_reset(struct fth_arena *a)
{
    struct block *b, *next, *keep = NULL;

    if (!a)
        return;
    /* Keep the largest block: the next document is likely the size of the last. */
    for (b = a->head; b; b = b->next)
        if (!keep || b->size > keep->size)
            keep = b;
    for (b = a->head; b; b = next) {
        next = b->next;
        if (b != keep) {
            a->total -= sizeof(*b) + b->size;
            free(b);
        }
    }
    a->head = keep;
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
}

static struct block *add_block(struct fth_arena *a, size_t need)
{
    size_t size = a->next_size, bytes;
    struct block *b;

    if (size < need)
        size = need;
    if (fth_add_overflow(sizeof(struct block), size, &bytes))
        return NULL;
    b = malloc(bytes);
    if (!b)
        return NULL;
    b->size = size;
    b->used = 0;
    a->total += bytes;
    if (a->next_size < MAX_BLOCK)
        a->next_size *= 2;
    /* An oversized block goes behind the head so the head's free space is kept. */
    if (a->head && need > a->next_size) {
        b->next = a->head->next;
        a->head->next = b;
    } else {
        b->next = a->head;
        a->head = b;
    }
    return b;
}

/* Uninitialised memory, for callers that write every byte (copies, vectors): zeroing it
 * first would touch each byte twice. */
static void *alloc_raw(struct fth_arena *a, size_t size)
{
    struct block *b = a->head;
    size_t rounded, start;
    void *p;

    if (fth_add_overflow(size, ALIGN - 1, &rounded))
        return NULL;
    rounded &= ~(ALIGN - 1);
    if (!rounded)
        rounded = ALIGN;
    if (!b || b->size - b->used < rounded) {
        b = add_block(a, rounded);
        if (!b)
            return NULL;
        if (b->size - b->used < rounded)
            return NULL;
    }
    start = b->used;
    b->used += rounded;
    p = b->data + start;
    return p;
}

void *fth_arena_alloc(struct fth_arena *a, size_t size)
{
    void *p = alloc_raw(a, size);

    if (p)
        memset(p, 0, size);
    return p;
}

void *fth_arena_calloc(struct fth_arena *a, size_t n, size_t size)
{
    size_t bytes;
    if (fth_mul_overflow(n, size, &bytes))
        return NULL;
    return fth_arena_alloc(a, bytes);
}

char *fth_arena_strndup(struct fth_arena *a, const char *s, size_t len)
{
    size_t bytes;
    char *p;
    if (fth_add_overflow(len, 1, &bytes))
        return NULL;
    p = alloc_raw(a, bytes);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *fth_arena_strdup(struct fth_arena *a, const char *s)
{
    return s ? fth_arena_strndup(a, s, strlen(s)) : NULL;
}

/*
 * The conversions findings and paths use (%s %c %d %u %zu %ld %lu %lld %llu %%) formatted
 * without the stdio machinery, into buf. Returns the length, or -1 when the format holds
 * anything else or the text does not fit: the caller then uses vsnprintf.
 */
static int quick_format(char *buf, size_t size, const char *fmt, va_list ap)
{
    size_t n = 0, len;
    const char *p, *s;
    char num[24];
    int neg;

    for (p = fmt; *p; p++) {
        unsigned long long u;

        if (*p != '%') {
            /* a run of literal text at once */
            const char *q = strchr(p, '%');

            len = q ? (size_t)(q - p) : strlen(p);
            if (n + len >= size)
                return -1;
            memcpy(buf + n, p, len);
            n += len;
            p += len - 1;
            continue;
        }
        p++;
        switch (*p) {
        case '%':
            s = "%";
            len = 1;
            break;
        case 'c':
            num[0] = (char)va_arg(ap, int);
            s = num;
            len = 1;
            break;
        case 's':
            s = va_arg(ap, const char *);
            if (!s)
                return -1;
            len = strlen(s);
            break;
        default: {
            int size_mod = 0, lmods = 0, is_signed;

            if (*p == 'z') {
                size_mod = 1;
                p++;
            } else {
                while (*p == 'l' && lmods < 2) {
                    lmods++;
                    p++;
                }
            }
            if (*p != 'd' && *p != 'u')
                return -1;
            is_signed = *p == 'd';
            neg = 0;
            if (size_mod && is_signed) {
                return -1;
            } else if (size_mod) {
                u = va_arg(ap, size_t);
            } else if (is_signed) {
                long long v = lmods == 2   ? va_arg(ap, long long)
                              : lmods == 1 ? va_arg(ap, long)
                                           : va_arg(ap, int);
                neg = v < 0;
                u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            } else {
                u = lmods == 2   ? va_arg(ap, unsigned long long)
                    : lmods == 1 ? va_arg(ap, unsigned long)
                                 : va_arg(ap, unsigned);
            }
            len = sizeof(num);
            do {
                num[--len] = (char)('0' + u % 10);
                u /= 10;
            } while (u);
            if (neg)
                num[--len] = '-';
            s = num + len;
            len = sizeof(num) - len;
            break;
        }
        }
        if (n + len >= size)
            return -1;
        memcpy(buf + n, s, len);
        n += len;
    }
    buf[n] = '\0';
    return (int)n;
}

int fth_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    va_copy(cp, ap);
    n = quick_format(buf, size, fmt, cp);
    va_end(cp);
    if (n >= 0)
        return n;
    va_copy(cp, ap);
    n = vsnprintf(buf, size, fmt, cp);
    va_end(cp);
    return n;
}

char *fth_arena_vprintf(struct fth_arena *a, const char *fmt, va_list ap)
{
    struct block *b = a->head;
    char quick[512];
    va_list cp;
    size_t room = b ? b->size - b->used : 0;
    int n;
    char *p;

    va_copy(cp, ap);
    n = quick_format(quick, sizeof(quick), fmt, cp);
    va_end(cp);
    if (n >= 0) {
        p = alloc_raw(a, (size_t)n + 1);
        if (p)
            memcpy(p, quick, (size_t)n + 1);
        return p;
    }
    /* Most strings fit the current block: format once, straight into it. */
    va_copy(cp, ap);
    n = vsnprintf(room ? (char *)b->data + b->used : NULL, room, fmt, cp);
    va_end(cp);
    if (n < 0)
        return NULL;
    if ((size_t)n < room) {
        p = (char *)b->data + b->used;
        b->used += ((size_t)n + 1 + ALIGN - 1) & ~(ALIGN - 1);
        if (b->used > b->size)
            b->used = b->size;
        return p;
    }
    p = fth_arena_alloc(a, (size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *fth_arena_printf(struct fth_arena *a, const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = fth_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t fth_arena_size(const struct fth_arena *a)
{
    return a->total;
}

int fth_vec_push(struct fth_vec *v, struct fth_arena *a, void *item)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8, bytes;
        void **items;

        if (fth_mul_overflow(cap, sizeof(*items), &bytes) || !(items = alloc_raw(a, bytes)))
            return FTH_ENOMEM;
        if (v->len)
            memcpy(items, v->items, v->len * sizeof(*items));
        v->items = items;
        v->cap = cap;
    }
    v->items[v->len++] = item;
    return 0;
}
