/*
 * catalog: Go binaries against Trivy's Go binary parser expectations (pre-1.18 pointer build
 * info, 1.18+ inline build info with -ldflags, GOEXPERIMENT, a non-executable), build info made
 * here in 32-bit big-endian ELF, and damaged ELF files and build info.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fathom/base.h>

#include "base/limits.h"
#include "unit/catalog/cat_elf_build.h"
#include "unit/catalog/cat_fixture.h"

struct fixture {
    struct fth_arena *a;
    struct cat_sink s;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));

    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);
    if (!fx || !(fx->a = fth_arena_new()))
        return -1;
    cat_sink_init(&fx->s, fx->a);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    fth_arena_free(fx->a);
    free(fx);
    return 0;
}

static void parse_fixture(struct fixture *fx, const char *name)
{
    char rel[256], path[256];

    snprintf(rel, sizeof(rel), "gobinary/trivy/%s", name);
    snprintf(path, sizeof(path), "usr/bin/%s", name);
    assert_int_equal(cat_fixture_parse_file(&fx->s, &cat_gobinary, cat_fixture_path(rel), path), 0);
}

static int parse_bytes(struct fixture *fx, const void *data, size_t len)
{
    struct cat_file f = {"usr/bin/x", data, len, 0755, 0};

    return cat_gobinary.parse(&fx->s, &f);
}

static const struct fth_package *want(struct fixture *fx, const char *name, const char *version)
{
    const struct fth_package *p = cat_fixture_find(&fx->s, name, version);

    if (!p)
        fail_msg("no package %s %s", name, version);
    assert_non_null(p);
    assert_string_equal(p->type, "go-module");
    assert_string_equal(p->ecosystem, "Go");
    return p;
}

static void want_depends(const struct fth_package *p, const char *const *names, size_t n)
{
    assert_int_equal(p->ndepends, n);
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;

        while (k < p->ndepends && strcmp(p->depends[k], names[i]) != 0)
            k++;
        if (k == p->ndepends)
            fail_msg("%s does not depend on %s", p->name, names[i]);
    }
}

/* test.elf: Go 1.15, the pointer layout; the main module is "(devel)", so no version. */
static void test_catalog_gobinary_elf(void **state)
{
    static const char *const deps[] = {"github.com/aquasecurity/go-pep440-version",
                                       "github.com/aquasecurity/go-version", "golang.org/x/xerrors",
                                       "stdlib"};
    struct fixture *fx = *state;
    const struct fth_package *root;

    parse_fixture(fx, "test.elf");
    assert_int_equal(fx->s.packages.len, 5);
    assert_int_equal(fx->s.warnings, 0);
    root = want(fx, "github.com/aquasecurity/test", "");
    want(fx, "stdlib", "v1.15.2");
    want(fx, "github.com/aquasecurity/go-pep440-version", "v0.0.0-20210121094942-22b2f8951d46");
    want(fx, "github.com/aquasecurity/go-version", "v0.0.0-20210121072130-637058cfe492");
    want(fx, "golang.org/x/xerrors", "v0.0.0-20200804184101-5ec99f83aff1");
    want_depends(root, deps, 4);
    assert_string_equal(root->path, "usr/bin/test.elf");
}

static void test_catalog_gobinary_ldflags(void **state)
{
    static const char *const deps[] = {"stdlib"};
    struct fixture *fx = *state;

    parse_fixture(fx, "main-version-via-ldflags.elf");
    assert_int_equal(fx->s.packages.len, 2);
    assert_int_equal(fx->s.warnings, 0);
    want_depends(want(fx, "github.com/aquasecurity/test", "v1.0.0"), deps, 1);
    assert_int_equal(want(fx, "stdlib", "v1.22.1")->ndepends, 0);
}

/* "go1.22.1 X:loopvar"; no main module (built from files, "command-line-arguments"). */
static void test_catalog_gobinary_goexperiment(void **state)
{
    struct fixture *fx = *state;

    parse_fixture(fx, "goexperiment");
    assert_int_equal(fx->s.packages.len, 1);
    assert_int_equal(fx->s.warnings, 0);
    want(fx, "stdlib", "v1.22.1");
}

/* Trivy: "unrecognized executable format"; here: nothing, and nothing to warn about. */
static void test_catalog_gobinary_dummy(void **state)
{
    struct fixture *fx = *state;

    parse_fixture(fx, "dummy");
    assert_int_equal(fx->s.packages.len, 0);
    assert_int_equal(fx->s.warnings, 0);
    /* an ELF executable that is not Go (a Rust one) */
    assert_int_equal(cat_fixture_parse_file(&fx->s, &cat_gobinary,
                                            cat_fixture_path("rust/trivy/test.elf"), "bin/r"),
                     0);
    assert_int_equal(fx->s.packages.len, 0);
    assert_int_equal(fx->s.warnings, 0);
}

static void test_catalog_gobinary_wants(void **state)
{
    (void)state;
    assert_true(cat_gobinary.wants("usr/bin/kubectl", 40 << 20, 0755));
    assert_true(cat_gobinary.wants("app", 4096, 0700));
    assert_false(cat_gobinary.wants("usr/bin/kubectl", 40 << 20, 0644));
    assert_false(cat_gobinary.wants("usr/bin/tiny", 16, 0755));
    assert_false(cat_gobinary.wants("usr/bin/huge", (uint64_t)FTH_LIMIT_CATALOG_FILE + 1, 0755));
}

/* Build info "\xff Go buildinf:" with inline strings, as Go 1.18+ writes it. */
static void inline_buildinfo(struct fth_buf *b, const char *version, const char *mod)
{
    static const char start[] = "0w\xaf\x0c\x92t\x08\x02"
                                "A\xe1\xc1\x07\xe6\xd6\x18\xe6";
    static const char end[] = "\xf9"
                              "2C1\x86\x18 r\x00\x82"
                              "B\x10"
                              "A\x16\xd8\xf2";
    unsigned char hdr[32] = "\xff Go buildinf:";
    size_t mlen = strlen(mod) + 32;

    hdr[14] = 4;
    hdr[15] = 2;
    fth_buf_clear(b);
    fth_buf_put(b, hdr, 32);
    fth_buf_putc(b, (char)strlen(version));
    fth_buf_puts(b, version);
    fth_buf_putc(b, (char)(0x80 | (mlen & 0x7f)));
    fth_buf_putc(b, (char)(mlen >> 7));
    fth_buf_put(b, start, 16);
    fth_buf_puts(b, mod);
    fth_buf_put(b, end, 16);
}

/* 32-bit big-endian ELF; a replaced dependency; a quoted -ldflags with -X=; a (devel) dep. */
static void test_catalog_gobinary_made_here(void **state)
{
    static const char *const deps[] = {"example.com/fork", "example.com/b", "stdlib"};
    struct fixture *fx = *state;
    struct fth_buf info = FTH_BUF_INIT, elf = FTH_BUF_INIT;

    inline_buildinfo(&info, "go1.21.0",
                     "path\texample.com/cmd/x\n"
                     "mod\texample.com\t(devel)\t\n"
                     "dep\texample.com/a\tv1.0.0\th1:abc=\n"
                     "=>\texample.com/fork\tv1.0.1\th1:def=\n"
                     "dep\texample.com/b\tv0.3.0\t\n"
                     "build\t-compiler=gc\n"
                     "build\t-ldflags=\"-s -X=example.com/internal.Version=2.4.0 -w\"\n"
                     "build\tGOARCH=mips\n");
    elf_build(&elf, 0, 1, ".go.buildinfo", info.ptr, info.len, NULL, NULL);
    assert_int_equal(parse_bytes(fx, elf.ptr, elf.len), 0);
    assert_int_equal(fx->s.warnings, 0);
    assert_int_equal(fx->s.packages.len, 4);
    want(fx, "stdlib", "v1.21.0");
    want(fx, "example.com/fork", "v1.0.1");
    want(fx, "example.com/b", "v0.3.0");
    assert_null(cat_fixture_find(&fx->s, "example.com/a", NULL));
    want_depends(want(fx, "example.com", "2.4.0"), deps, 3);
    fth_buf_release(&info);
    fth_buf_release(&elf);
}

/* Mach-O and PE: the inline (1.18+) build info is found without reading their headers. */
static void test_catalog_gobinary_macho_pe(void **state)
{
    struct fixture *fx = *state;
    struct fth_buf info = FTH_BUF_INIT, file = FTH_BUF_INIT;
    static const char *const heads[] = {"\xcf\xfa\xed\xfe", "MZ\x90\x00"};

    inline_buildinfo(&info, "go1.23.4", "path\tex.com/tool\nmod\tex.com/tool\tv0.9.0\th1:x=\n");
    for (size_t i = 0; i < 2; i++) {
        fth_buf_clear(&file);
        fth_buf_put(&file, heads[i], 4);
        for (int k = 0; k < 1020; k++)
            fth_buf_putc(&file, (char)(k * 7));
        fth_buf_put(&file, info.ptr, info.len);
        assert_int_equal(parse_bytes(fx, file.ptr, file.len), 0);
    }
    assert_int_equal(fx->s.warnings, 0);
    assert_int_equal(fx->s.packages.len, 4);
    assert_int_equal(want(fx, "ex.com/tool", "v0.9.0")->ndepends, 1);
    want(fx, "stdlib", "v1.23.4");
    fth_buf_release(&info);
    fth_buf_release(&file);
}

/* The ELF reader: header and section bounds, both widths and byte orders. */
static void test_catalog_gobinary_elf_reader(void **state)
{
    struct fth_buf elf = FTH_BUF_INIT;
    const unsigned char *d;
    struct cat_elf e;
    size_t len, shoff_at, sec_hdr;
    uint64_t addr;

    (void)state;
    for (int is64 = 0; is64 <= 1; is64++) {
        for (int big = 0; big <= 1; big++) {
            unsigned char *f;

            elf_build(&elf, is64, big, ".dep-v0", "hello", 5, &shoff_at, &sec_hdr);
            f = (unsigned char *)elf.ptr;
            assert_int_equal(cat_elf_open(&e, f, elf.len), 0);
            assert_int_equal(e.is64, is64);
            assert_int_equal(e.big, big);
            assert_int_equal(cat_elf_section(&e, ".dep-v0", &d, &len, &addr), 0);
            assert_int_equal(len, 5);
            assert_memory_equal(d, "hello", 5);
            assert_int_equal(addr, 0x401000);
            assert_int_equal(cat_elf_vaddr(&e, 0x401002, &d, &len), 0);
            assert_int_equal(len, 3);
            assert_int_equal(cat_elf_section(&e, ".dep", &d, &len, NULL), FTH_ENOTFOUND);
            /* the section's offset past the end of the file */
            elf_put(f + sec_hdr + (is64 ? 24 : 16), elf.len + 10, is64 ? 8 : 4, big);
            assert_int_equal(cat_elf_section(&e, ".dep-v0", &d, &len, NULL), FTH_EINVALID);
            /* its size past the end */
            elf_put(f + sec_hdr + (is64 ? 24 : 16), 1, is64 ? 8 : 4, big);
            elf_put(f + sec_hdr + (is64 ? 32 : 20), elf.len, is64 ? 8 : 4, big);
            assert_int_equal(cat_elf_section(&e, ".dep-v0", &d, &len, NULL), FTH_EINVALID);
            /* the section table past the end: no sections at all */
            elf_put(f + shoff_at, elf.len - 4, is64 ? 8 : 4, big);
            assert_int_equal(cat_elf_open(&e, f, elf.len), 0);
            assert_int_equal(cat_elf_section(&e, ".dep-v0", &d, &len, NULL), FTH_ENOTFOUND);
            /* cut headers */
            assert_int_equal(cat_elf_open(&e, f, is64 ? 60 : 40), FTH_EINVALID);
        }
    }
    assert_int_equal(cat_elf_open(&e,
                                  (const unsigned char *)"\x7f"
                                                         "ELF",
                                  4),
                     FTH_EINVALID);
    fth_buf_release(&elf);
}

static unsigned char *find_magic(const struct fth_buf *b)
{
    for (size_t i = 0; i + 14 <= b->len; i++)
        if (!memcmp(b->ptr + i, "\xff Go buildinf:", 14))
            return (unsigned char *)b->ptr + i;
    return NULL;
}

/* Build info whose strings run past the data, pointers into nowhere, cut files. */
static void test_catalog_gobinary_garbage(void **state)
{
    struct fixture *fx = *state;
    struct fth_buf b = FTH_BUF_INIT, info = FTH_BUF_INIT;
    unsigned char *magic;
    size_t before;

    /* an inline string length far past the end */
    inline_buildinfo(&info, "go1.22.0", "path\tx\n");
    ((unsigned char *)info.ptr)[32 + 1 + 8] = 0xff;
    elf_build(&b, 1, 0, ".go.buildinfo", info.ptr, info.len, NULL, NULL);
    assert_int_equal(parse_bytes(fx, b.ptr, b.len), 0);
    assert_int_equal(fx->s.warnings, 1);
    assert_int_equal(fx->s.packages.len, 0);

    /* malformed lines are warned about, the others kept */
    inline_buildinfo(&info, "go1.22.0", "mod\tex.com/m\n=>\tonly\nbogus\ndep\tex.com/d\tv1.0.0\n");
    elf_build(&b, 1, 0, ".go.buildinfo", info.ptr, info.len, NULL, NULL);
    before = fx->s.warnings;
    assert_int_equal(parse_bytes(fx, b.ptr, b.len), 0);
    assert_int_equal(fx->s.warnings - before, 3);
    assert_int_equal(fx->s.packages.len, 2);
    want(fx, "ex.com/d", "v1.0.0");

    /* the pre-1.18 layout pointing outside every segment */
    assert_int_equal(fth_file_read(&b, cat_fixture_path("gobinary/trivy/test.elf"), 1 << 26, NULL),
                     0);
    magic = find_magic(&b);
    assert_non_null(magic);
    elf_put(magic + 16, 0xdeadbeef00ULL, 8, 0);
    before = fx->s.warnings;
    assert_int_equal(parse_bytes(fx, b.ptr, b.len), 0);
    assert_int_equal(fx->s.warnings - before, 1);
    assert_int_equal(fx->s.packages.len, 2);

    /* every cut of a real binary: no crash, no reads past the end (ASan) */
    assert_int_equal(fth_file_read(&b,
                                   cat_fixture_path("gobinary/trivy/main-version-via-ldflags.elf"),
                                   1 << 26, NULL),
                     0);
    for (size_t cut = b.len; cut > 16; cut = cut * 7 / 8)
        assert_int_equal(parse_bytes(fx, b.ptr, cut), 0);
    magic = find_magic(&b);
    for (size_t k = 0; k < 64; k++)
        assert_int_equal(parse_bytes(fx, b.ptr, (size_t)(magic - (unsigned char *)b.ptr) + k), 0);
    fth_buf_release(&b);
    fth_buf_release(&info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_catalog_gobinary_elf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_gobinary_ldflags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_gobinary_goexperiment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_gobinary_dummy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_gobinary_wants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_gobinary_made_here, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_gobinary_macho_pe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_gobinary_elf_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_gobinary_garbage, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
