/*
 * libFuzzer target for the licence module's parsers: any bytes as an SPDX expression (parsed,
 * written back both ways, and the current form parsed again: it must be valid), as a declared
 * licence through the normaliser (its non-empty result must parse), and as a deny list checked
 * against the normaliser's result. Nothing may crash, leak or return an invalid expression.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/license.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct fth_license_expr *e, *again;
    struct fth_license_deny *deny = NULL;
    struct fth_arena *a;
    const char *s, *norm;
    char *text;

    if (size > 8192 || !(a = fth_arena_new()))
        return 0;
    if (!(text = fth_arena_strndup(a, (const char *)data, size)))
        abort();
    if (fth_license_parse(&e, a, (const char *)data, size, NULL) == 0) {
        if (!fth_license_format(a, e, 0) ||
            !(s = fth_license_format(a, e, FTH_LICENSE_FORMAT_CURRENT)))
            abort();
        /* the current form of a valid expression is itself valid */
        if (fth_license_parse(&again, a, s, strlen(s), NULL) != 0)
            abort();
    }
    if (!(norm = fth_license_normalize(a, text)))
        abort();
    if (*norm && fth_license_parse(&again, a, norm, strlen(norm), NULL) != 0)
        abort();
    if (fth_license_deny_parse(&deny, a, text, NULL) == 0)
        (void)fth_license_denied(deny, norm, NULL);
    (void)fth_license_category(text);
    fth_arena_free(a);
    return 0;
}
