/*
 * libFuzzer target for the language catalogers' own readers: the first byte picks the file
 * the rest is handed to as (yarn.lock: the v1 text reader, or berry's YAML when it has a
 * "__metadata:" line; a dist-info METADATA header reader; a gemspec lexer and scanner;
 * package-lock.json and pnpm-lock.yaml over the value loader). Every outcome is packages and
 * warnings; FTH_ENOMEM is the only error, and every package has a name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct {
        const struct cataloger *c;
        const char *path;
    } modes[] = {
        {&cat_npm, "app/yarn.lock"},
        {&cat_python, "usr/lib/python3/site-packages/x-1.0.dist-info/METADATA"},
        {&cat_gem, "usr/lib/ruby/gems/3.1.0/specifications/x-1.0.gemspec"},
        {&cat_npm, "app/package-lock.json"},
        {&cat_npm, "app/pnpm-lock.yaml"},
    };
    struct cat_file f;
    struct fth_arena *a;
    struct cat_sink s;
    unsigned char *copy;
    size_t m;

    if (size < 1 || size > 256 * 1024)
        return 0;
    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);
    m = data[0] % (sizeof(modes) / sizeof(modes[0]));
    /* the driver hands over NUL-terminated bytes */
    if (!(copy = malloc(size)))
        return 0;
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '\0';
    f.path = modes[m].path;
    f.data = copy;
    f.len = size - 1;
    f.mode = 0644;
    f.layer = 0;
    if (!(a = fth_arena_new())) {
        free(copy);
        return 0;
    }
    cat_sink_init(&s, a);
    if (!modes[m].c->wants(f.path, f.len, f.mode) || modes[m].c->parse(&s, &f) < 0)
        abort();           /* only FTH_ENOMEM, which the fuzzer's memory never reaches */
    memset(copy, 0, size); /* what the packages keep must not point into the file */
    for (size_t i = 0; i < s.packages.len; i++) {
        const struct fth_package *p = s.packages.items[i];

        if (!*p->name || !p->version || strcmp(p->path, f.path) || strlen(p->name) > size)
            abort();
        for (size_t j = 0; j < p->nlicenses; j++)
            if (!p->licenses[j].value || !p->licenses[j].spdx || !*p->licenses[j].value)
                abort();
        for (size_t j = 0; j < p->ndepends; j++)
            if (!p->depends[j] || !*p->depends[j])
                abort();
    }
    fth_arena_free(a);
    free(copy);
    return 0;
}
