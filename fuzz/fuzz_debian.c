/*
 * libFuzzer target for the Debian importers, without a database: any bytes, the first
 * choosing the reader (bit 0 set: the security tracker JSON, else a DSA/DLA list). The only
 * failure allowed is FTH_EINVALID for a tracker document whose top level is not an object of
 * packages; malformed entries are warnings.
 */
#include <stdint.h>
#include <stdlib.h>

#include "vulndb/vulndb_int.h"

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
    struct fth_vulndb_import_stats st = {0};
    struct fth_error err;
    struct fth_arena *a;
    int kind, rc;

    if (size < 1 || size > 256 * 1024)
        return 0;
    if (!sink_set) {
        fth_log_set_sink(sink, NULL, FTH_LOG_WARN);
        sink_set = 1;
    }
    if (!(a = fth_arena_new()))
        return 0;
    kind = (data[0] & 1) ? VULNDB_DEBIAN_TRACKER : VULNDB_DEBIAN_LIST;
    fth_error_clear(&err);
    (void)vulndb_debian_detect((const char *)data + 1, size - 1);
    rc = vulndb_debian_import(&st, NULL, a, kind, "fuzz", "debian", (const char *)data + 1,
                              size - 1, &err);
    if (st.files != 1 || (rc < 0 && (kind != VULNDB_DEBIAN_TRACKER || rc != FTH_EINVALID)))
        abort();
    fth_arena_free(a);
    return 0;
}
