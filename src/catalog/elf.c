/*
 * A read-only ELF reader over bytes in memory, for the catalogers that look inside executables
 * (Go build info, cargo-auditable). Only what they need: the header, sections by name and
 * virtual addresses through PT_LOAD segments. Every table and every section is checked against
 * the file's length before a byte of it is read, so a lying header cannot walk off the buffer.
 */
#include <string.h>

#include "catalog_int.h"

#define ELF_SHT_NOBITS 8
#define ELF_PT_LOAD 1
#define ELF_SHN_XINDEX 0xffff

int cat_elf_is(const unsigned char *data, size_t len)
{
    return len >= 4 && !memcmp(data,
                               "\x7f"
                               "ELF",
                               4);
}

uint64_t cat_elf_uint(const struct cat_elf *e, const unsigned char *p, size_t size)
{
    uint64_t v = 0;

    for (size_t i = 0; i < size; i++) {
        size_t k = e->big ? i : size - 1 - i;

        v = (v << 8) | p[k];
    }
    return v;
}

/* 1 when [off, off+size) lies inside the file. */
static int in_file(const struct cat_elf *e, uint64_t off, uint64_t size)
{
    return off <= e->len && size <= e->len - off;
}

int cat_elf_open(struct cat_elf *e, const unsigned char *data, size_t len)
{
    const unsigned char *h = data;
    uint64_t shnum, shstrndx;

    memset(e, 0, sizeof(*e));
    e->data = data;
    e->len = len;
    if (!cat_elf_is(data, len) || len < 52)
        return FTH_EINVALID;
    if (h[4] != 1 && h[4] != 2)
        return FTH_EINVALID;
    if (h[5] != 1 && h[5] != 2)
        return FTH_EINVALID;
    e->is64 = h[4] == 2;
    e->big = h[5] == 2;
    if (e->is64) {
        if (len < 64)
            return FTH_EINVALID;
        e->phoff = cat_elf_uint(e, h + 32, 8);
        e->shoff = cat_elf_uint(e, h + 40, 8);
        e->phentsize = cat_elf_uint(e, h + 54, 2);
        e->phnum = cat_elf_uint(e, h + 56, 2);
        e->shentsize = cat_elf_uint(e, h + 58, 2);
        shnum = cat_elf_uint(e, h + 60, 2);
        shstrndx = cat_elf_uint(e, h + 62, 2);
    } else {
        e->phoff = cat_elf_uint(e, h + 28, 4);
        e->shoff = cat_elf_uint(e, h + 32, 4);
        e->phentsize = cat_elf_uint(e, h + 42, 2);
        e->phnum = cat_elf_uint(e, h + 44, 2);
        e->shentsize = cat_elf_uint(e, h + 46, 2);
        shnum = cat_elf_uint(e, h + 48, 2);
        shstrndx = cat_elf_uint(e, h + 50, 2);
    }
    /* tables that do not fit are treated as absent, not as a reason to give up: a stripped or
     * damaged section table still leaves the segments, and the other way round */
    if (e->phentsize < (e->is64 ? 56u : 32u) || !in_file(e, e->phoff, 0) ||
        (e->len - e->phoff) / e->phentsize < e->phnum)
        e->phnum = 0;
    if (e->shentsize < (e->is64 ? 64u : 40u) || !e->shoff || !in_file(e, e->shoff, e->shentsize)) {
        e->shnum = 0;
        return 0;
    }
    /* extended numbering: the real counts live in section 0 */
    if (shnum == 0)
        shnum = cat_elf_uint(e, data + e->shoff + (e->is64 ? 32 : 20), e->is64 ? 8 : 4);
    if (shstrndx == ELF_SHN_XINDEX)
        shstrndx = cat_elf_uint(e, data + e->shoff + (e->is64 ? 40 : 24), 4);
    if ((e->len - e->shoff) / e->shentsize < shnum)
        shnum = 0;
    e->shnum = (size_t)shnum;
    e->shstrndx = shstrndx < shnum ? (size_t)shstrndx : 0;
    return 0;
}

struct shdr {
    uint64_t name, type, addr, offset, size;
};

static void read_shdr(const struct cat_elf *e, size_t i, struct shdr *sh)
{
    const unsigned char *p = e->data + e->shoff + i * e->shentsize;

    sh->name = cat_elf_uint(e, p, 4);
    sh->type = cat_elf_uint(e, p + 4, 4);
    if (e->is64) {
        sh->addr = cat_elf_uint(e, p + 16, 8);
        sh->offset = cat_elf_uint(e, p + 24, 8);
        sh->size = cat_elf_uint(e, p + 32, 8);
    } else {
        sh->addr = cat_elf_uint(e, p + 12, 4);
        sh->offset = cat_elf_uint(e, p + 16, 4);
        sh->size = cat_elf_uint(e, p + 20, 4);
    }
}

int cat_elf_section(const struct cat_elf *e, const char *name, const unsigned char **data,
                    size_t *len, uint64_t *addr)
{
    struct shdr strtab, sh;
    size_t nlen = strlen(name);

    if (!e->shnum || !e->shstrndx)
        return FTH_ENOTFOUND;
    read_shdr(e, e->shstrndx, &strtab);
    if (!in_file(e, strtab.offset, strtab.size))
        return FTH_EINVALID;
    for (size_t i = 1; i < e->shnum; i++) {
        read_shdr(e, i, &sh);
        if (sh.name >= strtab.size || strtab.size - sh.name < nlen + 1)
            continue;
        if (memcmp(e->data + strtab.offset + sh.name, name, nlen + 1) != 0)
            continue;
        if (sh.type == ELF_SHT_NOBITS)
            return FTH_ENOTFOUND;
        if (!in_file(e, sh.offset, sh.size))
            return FTH_EINVALID;
        *data = e->data + sh.offset;
        *len = (size_t)sh.size;
        if (addr)
            *addr = sh.addr;
        return 0;
    }
    return FTH_ENOTFOUND;
}

int cat_elf_vaddr(const struct cat_elf *e, uint64_t addr, const unsigned char **p, size_t *avail)
{
    for (size_t i = 0; i < e->phnum; i++) {
        const unsigned char *ph = e->data + e->phoff + i * e->phentsize;
        uint64_t off, vaddr, filesz;

        if (cat_elf_uint(e, ph, 4) != ELF_PT_LOAD)
            continue;
        if (e->is64) {
            off = cat_elf_uint(e, ph + 8, 8);
            vaddr = cat_elf_uint(e, ph + 16, 8);
            filesz = cat_elf_uint(e, ph + 32, 8);
        } else {
            off = cat_elf_uint(e, ph + 4, 4);
            vaddr = cat_elf_uint(e, ph + 8, 4);
            filesz = cat_elf_uint(e, ph + 16, 4);
        }
        if (addr < vaddr || addr - vaddr >= filesz || !in_file(e, off, filesz))
            continue;
        *p = e->data + off + (addr - vaddr);
        *avail = (size_t)(filesz - (addr - vaddr));
        return 0;
    }
    /* objects without program headers: sections carry addresses too */
    for (size_t i = 1; i < e->shnum; i++) {
        struct shdr sh;

        read_shdr(e, i, &sh);
        if (sh.type == ELF_SHT_NOBITS || !sh.addr || addr < sh.addr || addr - sh.addr >= sh.size ||
            !in_file(e, sh.offset, sh.size))
            continue;
        *p = e->data + sh.offset + (addr - sh.addr);
        *avail = (size_t)(sh.size - (addr - sh.addr));
        return 0;
    }
    return FTH_ENOTFOUND;
}
