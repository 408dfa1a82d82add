/*
 * fth_value_load on arbitrary bytes. The first byte picks the mode (bit 0: JSON). Every
 * document that loads is emitted as JSON (compact and pretty) and as YAML; the YAML must load
 * again and give the same JSON, or the process traps.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(struct fth_arena *a, const struct fth_value *v)
{
    struct fth_buf json = FTH_BUF_INIT, pretty = FTH_BUF_INIT, yaml = FTH_BUF_INIT,
                   again = FTH_BUF_INIT;
    struct fth_value *back = NULL;
    struct fth_error err;

    fth_error_clear(&err);
    if (fth_value_to_json(&json, v, 0) < 0 || fth_value_to_json(&pretty, v, FTH_EMIT_PRETTY) < 0)
        __builtin_trap();
    if (fth_value_to_yaml(&yaml, v) < 0)
        __builtin_trap();
    if (fth_value_load_one(&back, a, yaml.ptr, yaml.len, NULL, &err) != 0) {
        fprintf(stderr, "emitted YAML does not load: %u:%u: %s\n---\n%s\n", err.line, err.column,
                err.message, yaml.ptr);
        __builtin_trap();
    }
    if (fth_value_to_json(&again, back, 0) < 0)
        __builtin_trap();
    if (json.len != again.len || memcmp(json.ptr, again.ptr, json.len)) {
        fprintf(stderr, "round trip changed the value:\n%s\n%s\n---\n%s\n", json.ptr, again.ptr,
                yaml.ptr);
        __builtin_trap();
    }
    fth_buf_release(&json);
    fth_buf_release(&pretty);
    fth_buf_release(&yaml);
    fth_buf_release(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fth_load_opts opts = FTH_LOAD_OPTS_INIT;
    struct fth_arena *a;
    struct fth_stream s;
    struct fth_error err;
    size_t i;

    if (size < 1)
        return 0;
    opts.name = "fuzz.yaml";
    opts.flags = data[0] & 1 ? FTH_LOAD_JSON : 0;
    /* smaller limits keep each run fast; the limits themselves are what is tested */
    opts.max_alias_nodes = 20000;
    opts.max_nodes = 200000;
    a = fth_arena_new();
    if (!a)
        return 0;
    fth_error_clear(&err);
    if (fth_value_load(&s, a, (const char *)data + 1, size - 1, &opts, &err) == 0) {
        for (i = 0; i < s.len; i++) {
            if (s.docs[i].error) {
                if (s.docs[i].root || s.docs[i].error->code >= 0 ||
                    strchr(s.docs[i].error->message, '\n'))
                    __builtin_trap();
                continue;
            }
            if (s.docs[i].root)
                check_round_trip(a, s.docs[i].root);
        }
    } else if (!err.message[0]) {
        __builtin_trap();
    }
    fth_arena_free(a);
    return 0;
}
