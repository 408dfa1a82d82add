/*
 * libFuzzer target for every ecosystem's version parser, comparison and range matcher: the
 * first byte picks the ecosystem and the flags, the rest is split at the first tab into A and
 * B. Checks the properties that must hold whatever the input: compare is antisymmetric and
 * agrees with validity; satisfies never crashes on any range text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum fth_ecosystem eco;
    unsigned flags;
    char *text, *a, *b, *tab;
    int ab, ba, ok;

    if (size < 1 || size > 4096)
        return 0;
    eco = (enum fth_ecosystem)(1 + data[0] % (FTH_ECO_COUNT - 1));
    flags = (data[0] >> 4) & 3u;
    if (!(text = malloc(size)))
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    a = text;
    tab = strchr(text, '\t');
    b = tab ? tab + 1 : text;
    if (tab)
        *tab = '\0';
    if (fth_version_compare(&ab, eco, a, b, flags, NULL) == 0) {
        if (!fth_version_valid(eco, a, flags) || !fth_version_valid(eco, b, flags))
            abort(); /* compared what it calls invalid */
        if (fth_version_compare(&ba, eco, b, a, flags, NULL) != 0 || ba != -ab)
            abort(); /* not antisymmetric */
        if (!strcmp(a, b) && ab != 0)
            abort(); /* a version differs from itself */
    }
    (void)fth_version_satisfies(&ok, eco, a, b, flags, NULL);
    free(text);
    return 0;
}
