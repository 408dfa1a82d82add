/*
 * Test helpers for the language catalogers: read a fixture's *.expect.json, parse files
 * given inline, compare collected packages with what a peer's test asserts, and unpack the
 * oci-alpine 3.20.3-l2 application layer into a temporary directory.
 */
#ifndef FATHOM_TEST_LANGPKG_EXPECT_H
#define FATHOM_TEST_LANGPKG_EXPECT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <fathom/value.h>

#include "cat_fixture.h"

struct lx {
    struct fth_arena *a;
    struct cat_sink s;
};

static inline void lx_init(struct lx *t)
{
    t->a = fth_arena_new();
    assert_non_null(t->a);
    cat_sink_init(&t->s, t->a);
}

static inline void lx_reset(struct lx *t)
{
    fth_arena_free(t->a);
    lx_init(t);
}

static inline void lx_free(struct lx *t)
{
    fth_arena_free(t->a);
}

/* The root of "<shared>/fixtures/image/<rel>" loaded as JSON into t's arena. */
static inline const struct fth_value *lx_expect(struct lx *t, const char *rel)
{
    struct fth_buf buf = FTH_BUF_INIT;
    struct fth_load_opts opts = FTH_LOAD_OPTS_INIT;
    struct fth_value *root = NULL;
    struct fth_error err;

    if (fth_file_read(&buf, cat_fixture_path(rel), (size_t)1 << 26, &err) < 0)
        fail_msg("%s: %s", rel, err.message);
    opts.flags = FTH_LOAD_JSON;
    if (fth_value_load_one(&root, t->a, buf.ptr, buf.len, &opts, &err) < 0)
        fail_msg("%s: %s", rel, err.message);
    fth_buf_release(&buf);
    return root;
}

/* Parse `text` as the file at `path` (layer 0). */
static inline int lx_parse_text(struct lx *t, const struct cataloger *c, const char *path,
                                const char *text, size_t len)
{
    struct cat_file f;
    unsigned char *copy = malloc(len + 1);
    int rc;

    assert_non_null(copy);
    memcpy(copy, text, len);
    copy[len] = '\0';
    f.path = path;
    f.data = copy;
    f.len = len;
    f.mode = 0644;
    f.layer = 0;
    rc = c->parse(&t->s, &f);
    memset(copy, 'x', len); /* catalogers must have copied what they keep */
    free(copy);
    return rc;
}

static inline int lx_parse_str(struct lx *t, const struct cataloger *c, const char *path,
                               const char *text)
{
    return lx_parse_text(t, c, path, text, strlen(text));
}

static inline const char *lx_str(const struct fth_value *v)
{
    const char *s = fth_value_str(v);

    return s ? s : "";
}

/* The package named name at version (NULL: any version) that the sink holds exactly once. */
static inline const struct fth_package *lx_one(const struct lx *t, const char *name,
                                               const char *version)
{
    const struct fth_package *found = NULL;

    for (size_t i = 0; i < t->s.packages.len; i++) {
        const struct fth_package *p = cat_fixture_pkg(&t->s, i);

        if (!strcmp(p->name, name) && (!version || !strcmp(p->version, version))) {
            if (found)
                fail_msg("'%s@%s' listed twice", name, version ? version : "*");
            found = p;
        }
    }
    if (!found)
        fail_msg("'%s@%s' not found among %zu packages", name, version ? version : "*",
                 t->s.packages.len);
    return found;
}

/* p's licence values equal the strings of seq (NULL or null: none), in order. */
static inline void lx_licenses(const struct fth_package *p, const struct fth_value *seq)
{
    size_t n = seq && seq->type == FTH_VALUE_SEQ ? seq->u.seq.len : 0;

    if (p->nlicenses != n)
        fail_msg("'%s@%s': %zu licences, expected %zu", p->name, p->version, p->nlicenses, n);
    for (size_t i = 0; i < n; i++) {
        const struct fth_value *want = seq->u.seq.items[i];
        const char *w =
            want->type == FTH_VALUE_MAP ? lx_str(fth_value_get(want, "value")) : lx_str(want);

        assert_string_equal(p->licenses[i].value, w);
    }
}

/* p's licence values are exactly the NULL-terminated list. */
static inline void lx_licenses_are(const struct fth_package *p, const char *const *want)
{
    size_t n = 0;

    while (want[n])
        n++;
    if (p->nlicenses != n)
        fail_msg("'%s@%s': %zu licences, expected %zu", p->name, p->version, p->nlicenses, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(p->licenses[i].value, want[i]);
}

static inline void lx_common(const struct fth_package *p, const char *type, const char *eco,
                             const char *path)
{
    assert_string_equal(p->type, type);
    assert_string_equal(p->ecosystem, eco);
    assert_string_equal(p->path, path);
    assert_int_equal(p->layer, 0);
}

/*
 * Unpack the last layer of oci-alpine:3.20.3-l2 (the /app layer) into a new temporary
 * directory, written to dir (at least 64 bytes).
 */
static inline void lx_extract_l2(char *dir, size_t size)
{
    char cmd[8192];

    snprintf(dir, size, "/tmp/fathom-catlang-XXXXXX");
    if (!mkdtemp(dir))
        fail_msg("mkdtemp failed");
    snprintf(
        cmd, sizeof(cmd),
        "python3 -c 'import json, sys, tarfile\n"
        "root = sys.argv[1] + \"/data/images/oci-alpine/\"\n"
        "idx = json.load(open(root + \"index.json\"))\n"
        "m = [d for d in idx[\"manifests\"]\n"
        "     if d[\"annotations\"][\"org.opencontainers.image.ref.name\"] == \"3.20.3-l2\"][0]\n"
        "man = json.load(open(root + \"blobs/sha256/\" + m[\"digest\"][7:]))\n"
        "blob = root + \"blobs/sha256/\" + man[\"layers\"][-1][\"digest\"][7:]\n"
        "t = tarfile.open(blob)\n"
        "ms = [x for x in t.getmembers() if x.isdir() or x.isfile()]\n"
        "t.extractall(sys.argv[2], members=ms)\n"
        "' '%s' '%s'",
        FATHOM_SHARED, dir);
    if (system(cmd) != 0)
        fail_msg("could not unpack the 3.20.3-l2 layer");
}

static inline void lx_rmtree(const char *dir)
{
    char cmd[4200];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fail_msg("rm -rf %s failed", dir);
}

#endif
