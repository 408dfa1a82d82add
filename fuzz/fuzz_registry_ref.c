/*
 * Fuzz the registry reference parser: any bytes either fail with FTH_EINVALID or give a
 * reference whose parts obey the grammar (a host, a repository, a tag or digest) and which
 * parses again to the same parts when written back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/base.h"
#include "image/image_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fth_arena *a = fth_arena_new();
    struct registry_ref r, again;
    struct fth_error err;
    char *ref, *back;

    if (!a || size > 4096)
        goto out;
    ref = fth_arena_strndup(a, (const char *)data, size);
    if (!ref || strlen(ref) != size)
        goto out;
    if (registry_ref_parse(&r, a, ref, &err) < 0) {
        if (err.code != FTH_EINVALID && err.code != FTH_ENOMEM)
            abort();
        goto out;
    }
    if (!r.host[0] || !r.repo[0] || (!r.tag[0] && !r.digest[0]))
        abort();
    if (strchr(r.repo, ':') || strchr(r.repo, '@') || strstr(r.repo, ".."))
        abort();
    back = fth_arena_printf(a, "%s/%s%s%s%s%s", r.host, r.repo, r.tag[0] ? ":" : "", r.tag,
                            r.digest[0] ? "@" : "", r.digest);
    if (!back || registry_ref_parse(&again, a, back, &err) < 0)
        abort();
    if (strcmp(again.host, r.host) || strcmp(again.repo, r.repo) || strcmp(again.tag, r.tag) ||
        strcmp(again.digest, r.digest))
        abort();
out:
    fth_arena_free(a);
    return 0;
}
