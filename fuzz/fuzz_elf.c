/*
 * libFuzzer target for the executable readers: any bytes through the ELF section reader (every
 * section name the catalogers ask for, and virtual addresses), the Go build info cataloger and
 * the cargo-auditable cataloger. Nothing may read outside the input; FTH_ENOMEM is the only
 * error a cataloger may return.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {".go.buildinfo", ".dep-v0", ".text", ""};
    struct cat_file f = {"usr/bin/fuzz", NULL, 0, 0755, 0};
    struct fth_arena *a;
    struct cat_sink s;
    struct cat_elf e;
    unsigned char *copy;

    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);
    if (!(copy = malloc(size + 1)))
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    if (cat_elf_open(&e, copy, size) == 0) {
        const unsigned char *p;
        size_t n;

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
            if (cat_elf_section(&e, names[i], &p, &n, NULL) == 0 &&
                (p < copy || n > size || (size_t)(p - copy) > size - n))
                abort();
        for (uint64_t addr = 0; addr < 0x10000; addr += 0x1000)
            if (cat_elf_vaddr(&e, addr, &p, &n) == 0 &&
                (p < copy || n > size || (size_t)(p - copy) > size - n))
                abort();
    }
    f.data = copy;
    f.len = size;
    if (!(a = fth_arena_new())) {
        free(copy);
        return 0;
    }
    cat_sink_init(&s, a);
    if (cat_gobinary.parse(&s, &f) < 0 || cat_rust.parse(&s, &f) < 0)
        abort();
    fth_arena_free(a);
    free(copy);
    return 0;
}
