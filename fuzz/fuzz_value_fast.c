/*
 * The loader's fast path against the libyaml path on arbitrary bytes. The first byte picks
 * the mode: bit 0 JSON, bit 1 small node and depth limits. The input loads with and without
 * FTH_LOAD_NO_FAST; a difference in the documents, their errors, the JSON emission of a
 * document or the type, flags, line, column or weight of any node traps.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fathom/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void differ(const char *what, const struct fth_value *x, const struct fth_value *y)
{
    fprintf(stderr, "fast path differs: %s", what);
    if (x && y)
        fprintf(stderr, " (fast %u:%u type %d, libyaml %u:%u type %d)", x->line, x->column, x->type,
                y->line, y->column, y->type);
    fprintf(stderr, "\n");
    __builtin_trap();
}

static void compare(const struct fth_value *x, const struct fth_value *y)
{
    size_t i;

    if (!x || !y) {
        if (x != y)
            differ("a missing node", x, y);
        return;
    }
    if (x->type != y->type || x->flags != y->flags || x->line != y->line ||
        x->column != y->column || x->weight != y->weight)
        differ("node", x, y);
    switch (x->type) {
    case FTH_VALUE_STRING:
        if (x->u.str.len != y->u.str.len || memcmp(x->u.str.ptr, y->u.str.ptr, x->u.str.len))
            differ("text", x, y);
        break;
    case FTH_VALUE_SEQ:
        if (x->u.seq.len != y->u.seq.len)
            differ("sequence length", x, y);
        for (i = 0; i < x->u.seq.len; i++)
            compare(x->u.seq.items[i], y->u.seq.items[i]);
        break;
    case FTH_VALUE_MAP:
        if (x->u.map.len != y->u.map.len)
            differ("mapping length", x, y);
        for (i = 0; i < x->u.map.len; i++) {
            compare(x->u.map.items[i].key, y->u.map.items[i].key);
            compare(x->u.map.items[i].value, y->u.map.items[i].value);
        }
        break;
    default:
        break; /* numbers and booleans: the JSON emission compares them */
    }
}

static void compare_json(const struct fth_value *x, const struct fth_value *y)
{
    struct fth_buf a = FTH_BUF_INIT, b = FTH_BUF_INIT;

    if (fth_value_to_json(&a, x, 0) < 0 || fth_value_to_json(&b, y, 0) < 0)
        __builtin_trap();
    if (a.len != b.len || memcmp(a.ptr, b.ptr, a.len)) {
        fprintf(stderr, "fast: %s\nlibyaml: %s\n", a.ptr, b.ptr);
        differ("JSON", x, y);
    }
    fth_buf_release(&a);
    fth_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fth_load_opts opts = FTH_LOAD_OPTS_INIT;
    struct fth_arena *a;
    struct fth_stream fast, slow;
    struct fth_error e1, e2;
    int r1, r2;
    size_t i;

    if (size < 1)
        return 0;
    opts.name = "fuzz.yaml";
    opts.flags = data[0] & 1 ? FTH_LOAD_JSON : 0;
    opts.max_alias_nodes = 20000;
    opts.max_nodes = data[0] & 2 ? 12 : 200000;
    opts.max_depth = data[0] & 2 ? 3 : 0;
    if (!(a = fth_arena_new()))
        return 0;
    fth_error_clear(&e1);
    fth_error_clear(&e2);
    r1 = fth_value_load(&fast, a, (const char *)data + 1, size - 1, &opts, &e1);
    opts.flags |= FTH_LOAD_NO_FAST;
    r2 = fth_value_load(&slow, a, (const char *)data + 1, size - 1, &opts, &e2);
    if (r1 != r2 || strcmp(e1.message, e2.message))
        differ("stream result", NULL, NULL);
    if (r1 == 0) {
        if (fast.len != slow.len)
            differ("document count", NULL, NULL);
        for (i = 0; i < fast.len; i++) {
            const struct fth_document *x = &fast.docs[i], *y = &slow.docs[i];
            if (x->line != y->line || !x->error != !y->error)
                differ("document line or error", NULL, NULL);
            if (x->error &&
                (strcmp(x->error->message, y->error->message) || x->error->line != y->error->line ||
                 x->error->column != y->error->column))
                differ("error", NULL, NULL);
            if (x->root && y->root)
                compare_json(x->root, y->root);
            compare(x->root, y->root);
        }
    }
    fth_arena_free(a);
    return 0;
}
