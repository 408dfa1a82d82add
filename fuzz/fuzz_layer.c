/*
 * libFuzzer target for the image core: the first byte picks what the rest is. 0-63: a layer
 * tar (any compression) streamed through the walk with every file's content read; 64-127:
 * an OCI/Docker manifest or index (every blob it names is fetched as the same bytes); 128-191:
 * an image config; 192-255: an OCI layout's index.json. Every outcome is an entry list or a
 * clean error; never a crash, a leak or a hang.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/image_core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(enum fth_log_level level, const char *module, const char *msg, void *arg)
{
    (void)level;
    (void)module;
    (void)msg;
    (void)arg;
}

struct mem {
    const uint8_t *p;
    size_t n;
    int done;
};

static long mem_read(void *ctx, const void **buf, struct fth_error *err)
{
    struct mem *m = ctx;

    (void)err;
    if (m->done)
        return 0;
    m->done = 1;
    *buf = m->p;
    return (long)m->n;
}

static int visit(void *data, const struct fth_entry *e, struct fth_entry_reader *r)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;

    (void)data;
    if (!e->path || e->path[0] == '/' || strstr(e->path, "../") ||
        (!e->path[0] && e->type != FTH_ENTRY_OPAQUE))
        abort(); /* normalisation promised otherwise */
    if (r)
        (void)fth_entry_read_all(r, &b, 1 << 20, &err);
    fth_buf_release(&b);
    return 0;
}

/* Any digest: the same bytes again, unchecked, so nested documents get parsed too. */
static int same(void *ctx, struct fth_buf *out, const char *digest, size_t max, const char *what,
                struct fth_error *err)
{
    struct mem *m = ctx;

    (void)digest;
    (void)max;
    (void)what;
    (void)err;
    fth_buf_clear(out);
    return fth_buf_put(out, m->p, m->n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int sink_set;
    struct fth_layer layer = {0, "sha256:fuzz", "", "", 0, ""};
    struct fth_image img;
    struct fth_image_source src;
    struct layer_loc loc = {"fuzz", NULL, 0};
    struct mem m;
    struct raw_source raw = {mem_read, &m};
    struct fth_arena *a;
    struct fth_error err;
    unsigned mode;

    if (size < 1 || size > 1024 * 1024)
        return 0;
    if (!sink_set) {
        fth_log_set_sink(sink, NULL, FTH_LOG_WARN);
        sink_set = 1;
    }
    if (!(a = fth_arena_new()))
        return 0;
    mode = data[0] >> 6;
    m.p = data + 1;
    m.n = size - 1;
    m.done = 0;
    memset(&img, 0, sizeof(img));
    memset(&src, 0, sizeof(src));
    img.ref = "fuzz";
    img.transport = img.name = img.digest = img.config_digest = "";
    img.layers = &layer;
    img.nlayers = 1;
    img.src = &src;
    src.arena = a;
    src.locs = &loc;
    if (mode == 0) {
        (void)layer_walk_stream(&img, 0, &raw, &loc, visit, NULL, &err);
    } else if (mode == 1) {
        struct blob_fetch f = {same, &m};

        (void)oci_resolve(&img, a, &f, (const char *)m.p, m.n, "sha256:fuzz", NULL, NULL, &err);
    } else if (mode == 2) {
        const char **diff, **created;
        size_t nd, nc;

        (void)oci_config_apply(&img, a, (const char *)m.p, m.n, &diff, &nd, &created, &nc, &err);
    } else {
        const char *digest, *mt;

        (void)oci_layout_select(&digest, &mt, a, (const char *)m.p, m.n, "latest", "fuzz", &err);
    }
    fth_arena_free(a);
    return 0;
}
