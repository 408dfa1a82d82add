/* Platform differences live here and nowhere else. */
#ifndef FATHOM_COMPAT_H
#define FATHOM_COMPAT_H

#include <stddef.h>
#include <stdint.h>

/* Overflow-checked size arithmetic: return nonzero on overflow. */
static inline int fth_mul_overflow(size_t a, size_t b, size_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}

static inline int fth_add_overflow(size_t a, size_t b, size_t *out)
{
    return __builtin_add_overflow(a, b, out);
}

#endif
