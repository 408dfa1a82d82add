/*
 * catalog: Rust binaries against Trivy's cargo-auditable expectations (test.elf, dummy), a
 * section made here with build-time dependencies, and damaged sections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <zlib.h>

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

static int parse_bytes(struct fixture *fx, const void *data, size_t len)
{
    struct cat_file f = {"usr/local/bin/x", data, len, 0755, 0};

    return cat_rust.parse(&fx->s, &f);
}

static const struct fth_package *want(struct fixture *fx, const char *name, const char *version)
{
    const struct fth_package *p = cat_fixture_find(&fx->s, name, version);

    if (!p)
        fail_msg("no package %s %s", name, version);
    assert_non_null(p);
    assert_string_equal(p->type, "rust-crate");
    assert_string_equal(p->ecosystem, "crates.io");
    return p;
}

/* An ELF whose .dep-v0 holds json, zlib-compressed. */
static void audit_elf(struct fth_buf *out, const char *json)
{
    uLongf zlen = compressBound(strlen(json));
    unsigned char *z = malloc(zlen);

    assert_int_equal(compress(z, &zlen, (const Bytef *)json, strlen(json)), Z_OK);
    elf_build(out, 1, 0, ".dep-v0", z, zlen, NULL, NULL);
    free(z);
}

static void test_catalog_rust_elf(void **state)
{
    struct fixture *fx = *state;
    const struct fth_package *root;

    assert_int_equal(cat_fixture_parse_file(&fx->s, &cat_rust,
                                            cat_fixture_path("rust/trivy/test.elf"), "app/test"),
                     0);
    assert_int_equal(fx->s.packages.len, 2);
    assert_int_equal(fx->s.warnings, 0);
    root = want(fx, "crate_with_features", "0.1.0");
    assert_int_equal(root->ndepends, 1);
    assert_string_equal(root->depends[0], "library_crate");
    assert_string_equal(root->path, "app/test");
    assert_int_equal(want(fx, "library_crate", "0.1.0")->ndepends, 0);
}

static void test_catalog_rust_dummy(void **state)
{
    struct fixture *fx = *state;

    assert_int_equal(cat_fixture_parse_file(&fx->s, &cat_rust, cat_fixture_path("rust/trivy/dummy"),
                                            "app/dummy"),
                     0);
    assert_int_equal(fx->s.packages.len, 0);
    assert_int_equal(fx->s.warnings, 0);
}

static void test_catalog_rust_wants(void **state)
{
    (void)state;
    assert_true(cat_rust.wants("usr/local/bin/rg", 5 << 20, 0755));
    assert_false(cat_rust.wants("usr/local/bin/rg", 5 << 20, 0644));
    assert_false(cat_rust.wants("usr/local/bin/rg", 100, 0755));
}

/* Build-time crates (proc macros) are not in the executable: left out, also as dependencies. */
static void test_catalog_rust_build_kind(void **state)
{
    struct fixture *fx = *state;
    struct fth_buf elf = FTH_BUF_INIT;
    const struct fth_package *root;

    audit_elf(&elf, "{\"packages\":["
                    "{\"name\":\"app\",\"version\":\"1.2.0\",\"source\":\"local\","
                    "\"dependencies\":[1,2,3],\"root\":true},"
                    "{\"name\":\"serde\",\"version\":\"1.0.200\",\"source\":\"crates.io\","
                    "\"dependencies\":[2]},"
                    "{\"name\":\"serde_derive\",\"version\":\"1.0.200\",\"source\":\"crates.io\","
                    "\"kind\":\"build\"},"
                    "{\"name\":\"libc\",\"version\":\"0.2.155\",\"source\":\"crates.io\","
                    "\"kind\":\"runtime\"}]}");
    assert_int_equal(parse_bytes(fx, elf.ptr, elf.len), 0);
    assert_int_equal(fx->s.warnings, 0);
    assert_int_equal(fx->s.packages.len, 3);
    root = want(fx, "app", "1.2.0");
    assert_int_equal(root->ndepends, 2);
    assert_string_equal(root->depends[0], "serde");
    assert_string_equal(root->depends[1], "libc");
    assert_int_equal(want(fx, "serde", "1.0.200")->ndepends, 0);
    want(fx, "libc", "0.2.155");
    assert_null(cat_fixture_find(&fx->s, "serde_derive", NULL));
    fth_buf_release(&elf);
}

static void test_catalog_rust_damaged(void **state)
{
    struct fixture *fx = *state;
    struct fth_buf elf = FTH_BUF_INIT, real = FTH_BUF_INIT;
    size_t sec_hdr;

    /* not zlib */
    elf_build(&elf, 1, 0, ".dep-v0", "plain text", 10, NULL, NULL);
    assert_int_equal(parse_bytes(fx, elf.ptr, elf.len), 0);
    assert_int_equal(fx->s.warnings, 1);
    /* zlib, not JSON */
    audit_elf(&elf, "{\"packages\": [");
    assert_int_equal(parse_bytes(fx, elf.ptr, elf.len), 0);
    assert_int_equal(fx->s.warnings, 2);
    /* a dependency index out of range and a nameless package: warned, the rest kept */
    audit_elf(&elf, "{\"packages\":[{\"name\":\"a\",\"version\":\"1.0.0\",\"dependencies\":[7,-1,"
                    "\"x\"]},{\"version\":\"2\"}]}");
    assert_int_equal(parse_bytes(fx, elf.ptr, elf.len), 0);
    assert_int_equal(fx->s.warnings, 6);
    assert_int_equal(fx->s.packages.len, 1);
    assert_int_equal(want(fx, "a", "1.0.0")->ndepends, 0);
    /* the section past the end of the file */
    elf_build(&elf, 0, 1, ".dep-v0", "x", 1, NULL, &sec_hdr);
    elf_put((unsigned char *)elf.ptr + sec_hdr + 16, 1u << 30, 4, 1);
    assert_int_equal(parse_bytes(fx, elf.ptr, elf.len), 0);
    assert_int_equal(fx->s.warnings, 7);
    /* every cut of the real one: the section is cut too */
    assert_int_equal(fth_file_read(&real, cat_fixture_path("rust/trivy/test.elf"), 1 << 26, NULL),
                     0);
    for (size_t cut = real.len; cut > 8; cut = cut * 7 / 8)
        assert_int_equal(parse_bytes(fx, real.ptr, cut), 0);
    /* a zlib bomb: 64 MiB of spaces */
    {
        size_t n = (size_t)64 << 20;
        char *big = malloc(n + 1);
        size_t before = fx->s.warnings, pk = fx->s.packages.len;

        memset(big, ' ', n);
        big[n] = '\0';
        audit_elf(&elf, big);
        free(big);
        assert_true(elf.len < n / 100);
        assert_int_equal(parse_bytes(fx, elf.ptr, elf.len), 0);
        assert_int_equal(fx->s.warnings - before, 1);
        assert_int_equal(fx->s.packages.len, pk);
    }
    fth_buf_release(&elf);
    fth_buf_release(&real);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_catalog_rust_elf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_rust_dummy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_rust_wants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_rust_build_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_rust_damaged, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
