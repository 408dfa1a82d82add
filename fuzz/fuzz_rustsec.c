/*
 * libFuzzer target for the RustSec importer: any bytes, the first choosing the entry point
 * (bit 0 set: the TOML reader alone, else the whole advisory: front matter, TOML, the checks
 * and the Markdown body). Every outcome is parsed, malformed (a warning) or, for the TOML
 * reader, FTH_EINVALID with a message naming the line; nothing else.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    struct vulndb_record rec;
    struct fth_value *v;
    struct fth_error err;
    struct fth_arena *a;
    const char *text = (const char *)data + 1;
    int rc;

    if (size < 1 || size > 256 * 1024)
        return 0;
    if (!sink_set) {
        fth_log_set_sink(sink, NULL, FTH_LOG_WARN);
        sink_set = 1;
    }
    if (!(a = fth_arena_new()))
        return 0;
    if (data[0] & 1) {
        fth_error_clear(&err);
        rc = vulndb_toml_parse(&v, a, "fuzz.md", 2, text, size - 1, &err);
        if (rc == 0 ? !v : (rc != FTH_EINVALID || strncmp(err.message, "fuzz.md:", 8) != 0))
            abort();
    } else {
        rc = vulndb_rustsec_parse(&rec, a, "fuzz.md", text, size - 1);
        if (rc < 0 || rc > 1 || (rc == 0 && (!rec.id || rec.rows.len != 1 || !rec.raw)))
            abort();
    }
    fth_arena_free(a);
    return 0;
}
