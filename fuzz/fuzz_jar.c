/*
 * libFuzzer target for the Java archive cataloger: any bytes as a jar (zip read by libarchive
 * from memory, nested archives inflated within the limits.h bounds, MANIFEST.MF, pom.properties
 * and pom.xml parsed). Every outcome is packages and warnings; FTH_ENOMEM is the only error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cat_file f = {"opt/app/fuzz-1.0.jar", NULL, 0, 0644, 0};
    struct fth_arena *a;
    struct cat_sink s;
    unsigned char *copy;

    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);
    /* the driver hands over NUL-terminated bytes */
    if (!(copy = malloc(size + 1)))
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    f.data = copy;
    f.len = size;
    if (!(a = fth_arena_new())) {
        free(copy);
        return 0;
    }
    cat_sink_init(&s, a);
    if (cat_java.parse(&s, &f) < 0)
        abort(); /* only FTH_ENOMEM, which the fuzzer's memory never reaches */
    for (size_t i = 0; i < s.packages.len; i++) {
        const struct fth_package *p = s.packages.items[i];

        if (!*p->name || !p->version || !p->path || strncmp(p->path, f.path, strlen(f.path)))
            abort();
    }
    fth_arena_free(a);
    free(copy);
    return 0;
}
