/*
 * image: path normalisation (one spelling per path, escapes refused) and the layer tree's
 * answers (replaced, whited out, whited out through an ancestor, opaque ancestor, a directory
 * replaced by a file), with layers added from several threads at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "fathom/image.h"

static void test_normalize(void **state)
{
    static const struct {
        const char *in, *out;
        int rc;
    } cases[] = {
        {"./etc/passwd", "etc/passwd", 0},
        {"/etc/passwd", "etc/passwd", 0},
        {"etc/passwd", "etc/passwd", 0},
        {"etc//passwd/", "etc/passwd", 0},
        {"./etc/./x/../passwd", "etc/passwd", 0},
        {"/", "", 0},
        {".", "", 0},
        {"./", "", 0},
        {"", "", 0},
        {"a/..", "", 0},
        {"..", "", FTH_EINVALID},
        {"../../etc/passwd", "", FTH_EINVALID},
        {"a/../../x", "", FTH_EINVALID},
        {"/../x", "", FTH_EINVALID},
        {"a/b/../../../x", "", FTH_EINVALID},
        {"...", "...", 0},
        {"a/..b", "a/..b", 0},
        {".wh..wh..opq", ".wh..wh..opq", 0},
    };
    char out[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = fth_image_path_normalize(out, cases[i].in);

        if (rc != cases[i].rc)
            fail_msg("'%s': rc %d, want %d", cases[i].in, rc, cases[i].rc);
        if (!rc && strcmp(out, cases[i].out))
            fail_msg("'%s': '%s', want '%s'", cases[i].in, out, cases[i].out);
    }
}

static void add(struct fth_image_tree *t, unsigned layer, enum fth_entry_type type,
                const char *path)
{
    struct fth_entry e;

    memset(&e, 0, sizeof(e));
    e.layer = layer;
    e.type = type;
    e.path = path;
    assert_int_equal(fth_image_tree_add(t, &e), 0);
}

static void test_semantics(void **state)
{
    struct fth_image_tree *t;
    struct fth_entry e;

    (void)state;
    assert_int_equal(fth_image_tree_new(&t, 4), 0);
    /* layer 0: a base */
    add(t, 0, FTH_ENTRY_DIR, "etc");
    add(t, 0, FTH_ENTRY_FILE, "etc/motd");
    add(t, 0, FTH_ENTRY_FILE, "etc/passwd");
    add(t, 0, FTH_ENTRY_DIR, "opt");
    add(t, 0, FTH_ENTRY_DIR, "opt/lib");
    add(t, 0, FTH_ENTRY_FILE, "opt/lib/a.so");
    add(t, 0, FTH_ENTRY_DIR, "srv");
    add(t, 0, FTH_ENTRY_FILE, "srv/x");
    add(t, 0, FTH_ENTRY_DIR, "var");
    add(t, 0, FTH_ENTRY_FILE, "var/keep");
    /* layer 1: replaces passwd, whites out opt (a whole subtree), opaque srv re-adding x */
    add(t, 1, FTH_ENTRY_FILE, "etc/passwd");
    add(t, 1, FTH_ENTRY_WHITEOUT, "opt");
    add(t, 1, FTH_ENTRY_OPAQUE, "srv");
    add(t, 1, FTH_ENTRY_FILE, "srv/x");
    add(t, 1, FTH_ENTRY_FILE, "srv/y");
    /* layer 2: opt again; var becomes a symlink */
    add(t, 2, FTH_ENTRY_DIR, "opt");
    add(t, 2, FTH_ENTRY_FILE, "opt/new");
    add(t, 2, FTH_ENTRY_SYMLINK, "var");
    /* layer 3: deletes srv/y (added by 1) */
    add(t, 3, FTH_ENTRY_WHITEOUT, "srv/y");

    assert_int_equal(fth_image_tree_visible(t, "etc/motd", 0), 1);
    assert_int_equal(fth_image_tree_hidden_by(t, "etc/motd", 0), -1);
    assert_int_equal(fth_image_tree_hidden_by(t, "etc/passwd", 0), 1);
    assert_int_equal(fth_image_tree_visible(t, "etc/passwd", 1), 1);
    assert_int_equal(fth_image_tree_hidden_by(t, "opt/lib/a.so", 0), 1);
    assert_int_equal(fth_image_tree_hidden_by(t, "opt", 0), 1);
    assert_int_equal(fth_image_tree_visible(t, "opt/new", 2), 1);
    assert_int_equal(fth_image_tree_hidden_by(t, "srv/x", 0), 1);
    assert_int_equal(fth_image_tree_visible(t, "srv/x", 1), 1);
    assert_int_equal(fth_image_tree_hidden_by(t, "srv/y", 1), 3);
    /* The opaque directory itself is not hidden by its own marker (layer 1 has no srv dir). */
    assert_int_equal(fth_image_tree_visible(t, "srv", 0), 1);
    assert_int_equal(fth_image_tree_hidden_by(t, "var/keep", 0), 2);
    assert_int_equal(fth_image_tree_hidden_by(t, "var", 0), 2);
    assert_int_equal(fth_image_tree_visible(t, "var", 2), 1);
    /* Whiteouts are not copies; unknown paths and layers are not visible. */
    assert_int_equal(fth_image_tree_visible(t, "opt", 1), 0);
    assert_int_equal(fth_image_tree_visible(t, "nothing", 0), 0);
    assert_int_equal(fth_image_tree_visible(t, "etc/motd", 9), 0);
    assert_int_equal(fth_image_tree_hidden_by(t, "etc/motd", 9), -1);
    memset(&e, 0, sizeof(e));
    e.path = "x";
    e.layer = 4;
    assert_int_equal(fth_image_tree_add(t, &e), FTH_EINVALID);
    fth_image_tree_free(t);
}

struct job {
    struct fth_image_tree *t;
    unsigned layer;
};

static void *fill(void *arg)
{
    struct job *j = arg;
    char path[64];
    unsigned i;

    /* Every layer adds the same 50,000 paths; odd layers white out every tenth. */
    for (i = 0; i < 50000; i++) {
        struct fth_entry e;

        memset(&e, 0, sizeof(e));
        snprintf(path, sizeof(path), "d%u/f%u", i % 100, i);
        e.path = path;
        e.layer = j->layer;
        e.type = (j->layer % 2 && i % 10 == 0) ? FTH_ENTRY_WHITEOUT : FTH_ENTRY_FILE;
        if (fth_image_tree_add(j->t, &e) < 0)
            return (void *)1;
    }
    return NULL;
}

static void test_threads(void **state)
{
    struct fth_image_tree *t;
    pthread_t th[8];
    struct job jobs[8];
    unsigned i;

    (void)state;
    assert_int_equal(fth_image_tree_new(&t, 8), 0);
    for (i = 0; i < 8; i++) {
        jobs[i].t = t;
        jobs[i].layer = i;
        assert_int_equal(pthread_create(&th[i], NULL, fill, &jobs[i]), 0);
    }
    for (i = 0; i < 8; i++) {
        void *rc;

        assert_int_equal(pthread_join(th[i], &rc), 0);
        assert_null(rc);
    }
    /* d5/f5 is a file everywhere: only the top layer's copy shows. */
    assert_int_equal(fth_image_tree_hidden_by(t, "d5/f5", 0), 1);
    assert_int_equal(fth_image_tree_visible(t, "d5/f5", 7), 1);
    /* d10/f10 is whited out by layer 7, the last. */
    assert_int_equal(fth_image_tree_visible(t, "d10/f10", 6), 0);
    assert_int_equal(fth_image_tree_hidden_by(t, "d10/f10", 6), 7);
    assert_int_equal(fth_image_tree_visible(t, "d10/f10", 7), 0);
    fth_image_tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_semantics),
        cmocka_unit_test(test_threads),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
