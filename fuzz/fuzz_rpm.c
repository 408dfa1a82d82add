/*
 * libFuzzer target for the rpm header parser and the rpm database readers: the first byte
 * picks what the rest is read as: a bare header blob (rpm_header_parse), a Berkeley DB hash
 * Packages file, an NDB Packages.db, an SQLite rpmdb.sqlite, or a container-manifest-2. Every
 * outcome is a result or a warning, never a crash or an out-of-bounds read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/rpm_int.h"

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
        "var/lib/rpm/Packages",
        "var/lib/rpm/Packages.db",
        "var/lib/rpm/rpmdb.sqlite",
        "var/lib/rpmmanifest/container-manifest-2",
    };
    static int sink_set;
    struct fth_arena *a;
    struct cat_sink s;
    struct cat_file f;
    unsigned char *copy;
    unsigned mode;

    if (size < 1 || size > 4 * 1024 * 1024)
        return 0;
    if (!sink_set) {
        fth_log_set_sink(sink, NULL, FTH_LOG_WARN);
        sink_set = 1;
    }
    mode = data[0] % 5;
    if (!(copy = malloc(size)))
        return 0;
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '\0';
    if (!(a = fth_arena_new())) {
        free(copy);
        return 0;
    }
    if (mode == 4) {
        struct rpm_pkg p;
        char why[160];

        if (rpm_header_parse(&p, a, copy, size - 1, why, sizeof(why)) == FTH_ENOMEM)
            abort();
    } else {
        cat_sink_init(&s, a);
        f.path = paths[mode];
        f.data = copy;
        f.len = size - 1;
        f.mode = 0644;
        f.layer = 0;
        if (cat_rpm.parse(&s, &f) < 0)
            abort(); /* only FTH_ENOMEM, which the fuzzer's memory never reaches */
    }
    fth_arena_free(a);
    free(copy);
    return 0;
}
