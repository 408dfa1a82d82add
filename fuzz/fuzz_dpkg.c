/*
 * libFuzzer target for the dpkg cataloger: the first byte picks what the rest is read as
 * (var/lib/dpkg/status, a distroless status.d file, an info/NAME:ARCH.md5sums list or a
 * usr/share/doc/NAME/copyright file); the rest is the file. Malformed input may only give
 * warnings and fewer packages.
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
    static const char *const paths[] = {
        "var/lib/dpkg/status",
        "var/lib/dpkg/status.d/libc6",
        "var/lib/dpkg/info/libc6:amd64.md5sums",
        "usr/share/doc/libc6/copyright",
    };
    static int sink_set;
    struct fth_arena *a;
    struct cat_sink s;
    struct cat_file f;
    unsigned char *copy;

    if (size < 1 || size > 1024 * 1024)
        return 0;
    if (!sink_set) {
        fth_log_set_sink(sink, NULL, FTH_LOG_WARN);
        sink_set = 1;
    }
    /* the driver hands NUL-terminated bytes */
    if (!(copy = malloc(size)))
        return 0;
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '\0';
    if (!(a = fth_arena_new())) {
        free(copy);
        return 0;
    }
    cat_sink_init(&s, a);
    f.path = paths[data[0] % 4];
    f.data = copy;
    f.len = size - 1;
    f.mode = 0644;
    f.layer = 0;
    if (!cat_dpkg.wants(f.path, f.len, f.mode) || cat_dpkg.parse(&s, &f) < 0)
        abort(); /* wants must take these paths; parse fails only on FTH_ENOMEM */
    fth_arena_free(a);
    free(copy);
    return 0;
}
