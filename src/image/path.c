/*
 * image: archive path normalisation. Layers spell one path many ways (`./etc/x`, `/etc/x`,
 * `etc/x/`); everything after the walk compares paths as strings, so there is one spelling.
 */
#include <string.h>

#include "image_core.h"
#include "../base/banned.h"

int fth_image_path_normalize(char *out, const char *in)
{
    size_t o = 0;
    const char *p = in;

    while (*p) {
        const char *start;
        size_t n;

        while (*p == '/')
            p++;
        start = p;
        while (*p && *p != '/')
            p++;
        n = (size_t)(p - start);
        if (n == 0 || (n == 1 && start[0] == '.'))
            continue;
        if (n == 2 && start[0] == '.' && start[1] == '.') {
            /* Going above the root is an escape, never clamped: the entry is refused. */
            if (o == 0) {
                out[0] = '\0';
                return FTH_EINVALID;
            }
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the separator before the dropped component */
            continue;
        }
        if (o > 0)
            out[o++] = '/';
        memmove(out + o, start, n);
        o += n;
    }
    out[o] = '\0';
    return 0;
}
