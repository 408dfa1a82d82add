/*
 * libFuzzer target for the apk cataloger: the input is a lib/apk/db/installed file. Malformed
 * input may only give warnings and fewer packages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(enum fth_log_level level, const char *module, const char *msg, void *arg)
{
    (void)level;
    (void)module;
    (void)msg;
    (void)arg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int sink_set;
    struct fth_arena *a;
    struct cat_sink s;
    struct cat_file f;
    unsigned char *copy;

    if (size > 1024 * 1024)
        return 0;
    if (!sink_set) {
        fth_log_set_sink(sink, NULL, FTH_LOG_WARN);
        sink_set = 1;
    }
    if (!(copy = malloc(size + 1)))
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    if (!(a = fth_arena_new())) {
        free(copy);
        return 0;
    }
    cat_sink_init(&s, a);
    f.path = "lib/apk/db/installed";
    f.data = copy;
    f.len = size;
    f.mode = 0644;
    f.layer = 0;
    if (cat_apk.parse(&s, &f) < 0)
        abort(); /* only FTH_ENOMEM, which the fuzzer's memory never reaches */
    fth_arena_free(a);
    free(copy);
    return 0;
}
