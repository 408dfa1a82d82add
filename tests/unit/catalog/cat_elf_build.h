/*
 * Test helper: a minimal ELF file (32 or 64 bit, either byte order) with one named section
 * holding given bytes, for the Go and Rust binary catalogers' tests.
 */
#ifndef FATHOM_TEST_CAT_ELF_BUILD_H
#define FATHOM_TEST_CAT_ELF_BUILD_H

#include <string.h>

#include <fathom/base.h>

static inline void elf_put(unsigned char *p, uint64_t v, size_t size, int big)
{
    for (size_t i = 0; i < size; i++)
        p[big ? size - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/*
 * Layout: header, the section's bytes, ".shstrtab", then the section headers (null, the
 * section at address 0x401000, .shstrtab). *shoff_at gets the offset of e_shoff in the file and
 * *sec_hdr the offset of the section's header, for tests that corrupt them (either may be NULL).
 */
static inline void elf_build(struct fth_buf *out, int is64, int big, const char *name,
                             const void *data, size_t len, size_t *shoff_at, size_t *sec_hdr)
{
    size_t eh = is64 ? 64 : 52, shsize = is64 ? 64 : 40, nlen = strlen(name);
    size_t data_off = eh, str_off = data_off + len, str_len = 1 + nlen + 1 + 10;
    size_t sh_off = (str_off + str_len + 7) & ~(size_t)7, total = sh_off + 3 * shsize;
    unsigned char *f = calloc(1, total), *sh;

    memcpy(f,
           "\x7f"
           "ELF",
           4);
    f[4] = is64 ? 2 : 1;
    f[5] = big ? 2 : 1;
    f[6] = 1;
    elf_put(f + 16, 2, 2, big);  /* ET_EXEC */
    elf_put(f + 18, 62, 2, big); /* EM_X86_64, it does not matter */
    elf_put(f + 20, 1, 4, big);
    if (is64) {
        elf_put(f + 40, sh_off, 8, big);
        elf_put(f + 52, eh, 2, big);
        elf_put(f + 58, shsize, 2, big);
        elf_put(f + 60, 3, 2, big);
        elf_put(f + 62, 2, 2, big);
    } else {
        elf_put(f + 32, sh_off, 4, big);
        elf_put(f + 40, eh, 2, big);
        elf_put(f + 46, shsize, 2, big);
        elf_put(f + 48, 3, 2, big);
        elf_put(f + 50, 2, 2, big);
    }
    memcpy(f + data_off, data, len);
    memcpy(f + str_off + 1, name, nlen);
    memcpy(f + str_off + 1 + nlen + 1, ".shstrtab", 9);
    for (int i = 1; i <= 2; i++) {
        uint64_t nm = i == 1 ? 1 : 1 + nlen + 1, type = i == 1 ? 1 : 3;
        uint64_t addr = i == 1 ? 0x401000 : 0, off = i == 1 ? data_off : str_off;
        uint64_t size = i == 1 ? len : str_len;

        sh = f + sh_off + (size_t)i * shsize;
        elf_put(sh, nm, 4, big);
        elf_put(sh + 4, type, 4, big);
        if (is64) {
            elf_put(sh + 16, addr, 8, big);
            elf_put(sh + 24, off, 8, big);
            elf_put(sh + 32, size, 8, big);
        } else {
            elf_put(sh + 12, addr, 4, big);
            elf_put(sh + 16, off, 4, big);
            elf_put(sh + 20, size, 4, big);
        }
    }
    fth_buf_clear(out);
    (void)fth_buf_put(out, f, total);
    free(f);
    if (shoff_at)
        *shoff_at = is64 ? 40 : 32;
    if (sec_hdr)
        *sec_hdr = sh_off + shsize;
}

#endif
