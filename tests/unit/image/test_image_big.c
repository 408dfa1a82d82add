/*
 * image: a layer of 1,000,000 entries (written here with libarchive) streams in bounded
 * memory: every entry is reported once, and the tree of its paths answers for all of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "fathom/image.h"

#define ENTRIES 1000000u
#define DIRS 1000u

static char path[128];

static int setup(void **state)
{
    struct archive *w = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    char name[64];
    unsigned i;

    (void)state;
    snprintf(path, sizeof(path), "/tmp/fathom-image-big.%ld.tar.gz", (long)getpid());
    archive_write_set_format_pax_restricted(w);
    archive_write_add_filter_gzip(w);
    archive_write_set_filter_option(w, "gzip", "compression-level", "1");
    if (archive_write_open_filename(w, path) != ARCHIVE_OK)
        return -1;
    for (i = 0; i < DIRS; i++) {
        archive_entry_clear(e);
        snprintf(name, sizeof(name), "d%03u", i);
        archive_entry_set_pathname(e, name);
        archive_entry_set_filetype(e, AE_IFDIR);
        archive_entry_set_perm(e, 0755);
        archive_write_header(w, e);
    }
    for (i = 0; i < ENTRIES - DIRS; i++) {
        archive_entry_clear(e);
        snprintf(name, sizeof(name), "d%03u/f%07u", i % DIRS, i);
        archive_entry_set_pathname(e, name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, 0);
        if (archive_write_header(w, e) != ARCHIVE_OK)
            return -1;
    }
    archive_entry_free(e);
    if (archive_write_close(w) != ARCHIVE_OK)
        return -1;
    archive_write_free(w);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

struct count {
    size_t n;
    struct fth_image_tree *tree;
};

static int visit(void *data, const struct fth_entry *e, struct fth_entry_reader *r)
{
    struct count *c = data;

    (void)r;
    c->n++;
    return fth_image_tree_add(c->tree, e);
}

static void test_million(void **state)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    struct fth_image *img;
    struct fth_error err;
    struct count c = {0, NULL};
    struct rusage ru;

    (void)state;
    opts.rootfs = 1;
    if (fth_image_open(&img, path, &opts, &err) < 0)
        fail_msg("open: %s", err.message);
    assert_int_equal(fth_image_tree_new(&c.tree, 1), 0);
    if (fth_image_walk_layer(img, 0, visit, &c, &err) < 0)
        fail_msg("walk: %s", err.message);
    assert_int_equal(c.n, ENTRIES);
    assert_int_equal(fth_image_tree_visible(c.tree, "d123/f0000123", 0), 1);
    assert_int_equal(fth_image_tree_visible(c.tree, "d999/f0998999", 0), 1);
    assert_int_equal(fth_image_tree_visible(c.tree, "d999/f0999999", 0), 0);
    /* Hashes, not strings: well under what 1,000,000 paths would take as text in a set. */
    assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
#if !defined(__SANITIZE_ADDRESS__)
    /* (AddressSanitizer's shadow memory and quarantine would be counted too.) */
    if (ru.ru_maxrss > 100 * 1024)
        fail_msg("peak RSS %ld KiB", ru.ru_maxrss);
#endif
    fth_image_tree_free(c.tree);
    fth_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_million),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
