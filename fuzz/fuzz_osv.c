/*
 * libFuzzer target for the OSV advisory check the importer runs on every file: any bytes, the
 * first choosing the syntax (bit 0 set: JSON, else YAML), parsed and checked into the advisory
 * without a database (an Alpine secdb document goes through secdb.c's check). Every outcome is
 * "would be stored" or "would be skipped"; nothing else.
 */
#include <stdint.h>
#include <stdlib.h>

#include "vulndb/vulndb_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Warnings are formatted (that is code to exercise too) and dropped. */
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
    struct fth_vulndb_import_stats st;
    struct fth_arena *a;
    const char *name;

    if (size < 1 || size > 256 * 1024)
        return 0;
    if (!sink_set) {
        fth_log_set_sink(sink, NULL, FTH_LOG_WARN);
        sink_set = 1;
    }
    if (!(a = fth_arena_new()))
        return 0;
    name = (data[0] & 1) ? "fuzz.json" : "fuzz.yaml";
    if (vulndb_osv_check(&st, a, name, (const char *)data + 1, size - 1) < 0)
        abort(); /* only FTH_ENOMEM, which the fuzzer's memory never reaches */
    if (st.files != 1 || st.imported > 1 || (st.imported && st.skipped))
        abort();
    fth_arena_free(a);
    return 0;
}
