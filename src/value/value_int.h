/* value: declarations shared by load.c and emit.c, private to the module. */
#ifndef FATHOM_VALUE_INT_H
#define FATHOM_VALUE_INT_H

#include <stddef.h>

/* Would this text, written as a plain YAML scalar, be read back as a string? */
int value_plain_is_string(const char *s, size_t len);

#endif
