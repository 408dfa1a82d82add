/*
 * catalog: the rpm cataloger and its three database readers against the rpm expectations of
 * ../shared/fixtures/image: go-rpmdb's sle15-bci Packages.db (NDB, 35 packages in on-disk
 * order), cbl-mariner-2.0 rpmdb.sqlite (curl in detail, its file list, and the 129 packages
 * rpm(8) lists), libuuid Packages (Berkeley DB hash, details and files), Syft's dive Packages
 * (BDB) and the Mariner distroless container-manifest-2. Then damaged databases: garbage and
 * truncated headers, Berkeley DB pages pointing past the end or looping, NDB slots out of
 * range, a "SQLite" file that is not one: warnings, what can be read, no crash.
 *
 * Mapping: go-rpmdb's Version-Release is Fathom's version ("N:" first when Epoch is set and
 * not 0); SourceRpm "name-version-release.src.rpm" gives src_name and src_version; License is
 * the licence value. Size, Vendor, Summary, SigMD5, Provides and Requires are checked on the
 * parsed header (struct rpm_pkg), which is where Fathom keeps them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "unit/catalog/cat_fixture.h"
#include "catalog/rpm_int.h"

static void quiet(enum fth_log_level level, const char *module, const char *msg, void *d)
{
    (void)level;
    (void)module;
    (void)msg;
    (void)d;
}

static int setup(void **state)
{
    (void)state;
    fth_log_set_sink(quiet, NULL, FTH_LOG_WARN);
    return 0;
}

static json_t *load_json(const char *rel)
{
    json_error_t je;
    json_t *j = json_load_file(cat_fixture_path(rel), 0, &je);

    if (!j)
        fail_msg("%s: %s", rel, je.text);
    return j;
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}

struct ctx {
    struct fth_arena *a;
    struct cat_sink s;
};

static void ctx_init(struct ctx *c)
{
    c->a = fth_arena_new();
    assert_non_null(c->a);
    cat_sink_init(&c->s, c->a);
}

/* Parse bytes as the file at path, through the cataloger. */
static void parse_bytes(struct cat_sink *s, const char *path, const void *data, size_t len)
{
    struct cat_file f;
    unsigned char *copy = malloc(len + 1);

    assert_non_null(copy);
    memcpy(copy, data, len);
    copy[len] = '\0';
    f.path = path;
    f.data = copy;
    f.len = len;
    f.mode = 0644;
    f.layer = 0;
    assert_int_equal(cat_rpm.parse(s, &f), 0);
    free(copy);
}

static void read_fixture(struct fth_buf *b, const char *rel)
{
    assert_int_equal(fth_file_read(b, cat_fixture_path(rel), (size_t)1 << 28, NULL), 0);
}

/* Every header of a database, parsed, through one reader. */
struct headers {
    struct fth_arena *a;
    struct fth_vec pkgs;
    struct fth_vec blobs; /* copies, for the corruption tests */
    struct fth_vec lens;
};

static int on_blob(void *data, const unsigned char *blob, size_t len)
{
    struct headers *h = data;
    struct rpm_pkg *p = fth_arena_alloc(h->a, sizeof(*p));
    unsigned char *copy = fth_arena_alloc(h->a, len);
    char why[160];

    assert_non_null(p);
    assert_non_null(copy);
    memcpy(copy, blob, len);
    assert_int_equal(rpm_header_parse(p, h->a, blob, len, why, sizeof(why)), 0);
    assert_int_equal(fth_vec_push(&h->pkgs, h->a, p), 0);
    assert_int_equal(fth_vec_push(&h->blobs, h->a, copy), 0);
    assert_int_equal(fth_vec_push(&h->lens, h->a, (void *)(uintptr_t)len), 0);
    return 0;
}

static void read_headers(struct headers *h, struct ctx *c, const char *rel,
                         int (*reader)(struct cat_sink *, const struct cat_file *, rpm_blob_fn,
                                       void *))
{
    struct fth_buf b = FTH_BUF_INIT;
    struct cat_file f;

    read_fixture(&b, rel);
    memset(h, 0, sizeof(*h));
    h->a = c->a;
    f.path = rel;
    f.data = (const unsigned char *)b.ptr;
    f.len = b.len;
    f.mode = 0644;
    f.layer = 0;
    assert_int_equal(reader(&c->s, &f, on_blob, h), 0);
    assert_int_equal(c->s.warnings, 0);
    fth_buf_release(&b);
}

static const char *want_version(struct fth_arena *a, const json_t *p)
{
    json_int_t epoch = json_integer_value(json_object_get(p, "Epoch"));

    if (epoch)
        return fth_arena_printf(a, "%lld:%s-%s", (long long)epoch, jstr(p, "Version"),
                                jstr(p, "Release"));
    return fth_arena_printf(a, "%s-%s", jstr(p, "Version"), jstr(p, "Release"));
}

/* A go-rpmdb / rpm(8) record against the package and its header. */
static void check_pkg(struct fth_arena *a, const struct fth_package *fp, const struct rpm_pkg *h,
                      const json_t *p)
{
    const char *srpm = jstr(p, "SourceRpm");

    assert_string_equal(fp->name, jstr(p, "Name"));
    assert_string_equal(fp->type, "rpm");
    assert_string_equal(fp->ecosystem, "Red Hat");
    assert_string_equal(fp->version, want_version(a, p));
    assert_string_equal(fp->arch, jstr(p, "Arch"));
    assert_string_equal(fth_arena_printf(a, "%s-%s.src.rpm", fp->src_name,
                                         strchr(fp->src_version, ':')
                                             ? strchr(fp->src_version, ':') + 1
                                             : fp->src_version),
                        srpm);
    assert_int_equal(fp->nlicenses, 1);
    assert_string_equal(fp->licenses[0].value, jstr(p, "License"));
    assert_string_equal(h->name, jstr(p, "Name"));
    assert_string_equal(h->sourcerpm, srpm);
    assert_string_equal(h->vendor, jstr(p, "Vendor"));
    assert_int_equal(h->size, json_integer_value(json_object_get(p, "Size")));
    assert_int_equal(h->has_epoch,
                     !json_is_null(json_object_get(p, "Epoch")) && json_object_get(p, "Epoch"));
    if (json_object_get(p, "Summary"))
        assert_string_equal(h->summary, jstr(p, "Summary"));
    if (json_object_get(p, "SigMD5"))
        assert_string_equal(h->sigmd5, jstr(p, "SigMD5"));
}

static void test_catalog_rpm_ndb_sle15(void **state)
{
    json_t *exp = load_json("rpm/go-rpmdb/sle15-bci/expect.list.json"), *pkgs, *p;
    struct headers h;
    struct ctx c, c2;
    struct fth_buf b = FTH_BUF_INIT;
    size_t i;

    (void)state;
    pkgs = json_object_get(exp, "packages");
    assert_int_equal(json_array_size(pkgs), 35);
    ctx_init(&c);
    read_fixture(&b, "rpm/go-rpmdb/sle15-bci/Packages.db");
    parse_bytes(&c.s, "usr/lib/sysimage/rpm/Packages.db", b.ptr, b.len);
    assert_int_equal(c.s.packages.len, 35);
    assert_int_equal(c.s.warnings, 0);
    ctx_init(&c2);
    read_headers(&h, &c2, "rpm/go-rpmdb/sle15-bci/Packages.db", rpm_read_ndb);
    assert_int_equal(h.pkgs.len, 35);
    json_array_foreach(pkgs, i, p)
    {
        const struct fth_package *fp = cat_fixture_pkg(&c.s, i);

        assert_string_equal(fp->path, "usr/lib/sysimage/rpm/Packages.db");
        check_pkg(c.a, fp, h.pkgs.items[i], p);
    }
    /* depends resolve through provides: glibc needs filesystem */
    {
        const struct fth_package *g = cat_fixture_find(&c.s, "glibc", NULL);
        int found = 0;

        assert_non_null(g);
        for (size_t k = 0; k < g->ndepends; k++)
            found |= !strcmp(g->depends[k], "filesystem");
        assert_true(found);
    }
    fth_buf_release(&b);
    fth_arena_free(c.a);
    fth_arena_free(c2.a);
    json_decref(exp);
}

static void check_detail(const char *dir, const char *dbname, const char *path,
                         int (*reader)(struct cat_sink *, const struct cat_file *, rpm_blob_fn,
                                       void *))
{
    char rel[256];
    json_t *exp, *p, *names, *list, *lp;
    struct fth_buf b = FTH_BUF_INIT;
    const struct fth_package *fp;
    const struct rpm_pkg *hp = NULL;
    struct headers h;
    struct ctx c, c2;
    size_t i;

    snprintf(rel, sizeof(rel), "rpm/go-rpmdb/%s/expect.package.json", dir);
    exp = load_json(rel);
    p = json_array_get(json_object_get(exp, "packages"), 0);
    snprintf(rel, sizeof(rel), "rpm/go-rpmdb/%s/%s", dir, dbname);
    ctx_init(&c);
    read_fixture(&b, rel);
    parse_bytes(&c.s, path, b.ptr, b.len);
    assert_int_equal(c.s.warnings, 0);
    ctx_init(&c2);
    read_headers(&h, &c2, rel, reader);
    assert_int_equal(h.pkgs.len, c.s.packages.len);
    fp = cat_fixture_find(&c.s, jstr(p, "Name"), NULL);
    assert_non_null(fp);
    for (size_t k = 0; k < h.pkgs.len; k++)
        if (!strcmp(((const struct rpm_pkg *)h.pkgs.items[k])->name, fp->name))
            hp = h.pkgs.items[k];
    assert_non_null(hp);
    check_pkg(c.a, fp, hp, p);

    /* the file list, in header order, without the leading "/" */
    names = json_object_get(exp, "want_installed_file_names");
    assert_int_equal(fp->nfiles, json_array_size(names));
    for (size_t k = 0; k < fp->nfiles; k++)
        assert_string_equal(fp->files[k], json_string_value(json_array_get(names, k)) + 1);
    /* provides and requires, verbatim */
    for (int which = 0; which < 2; which++) {
        const json_t *v = json_object_get(p, which ? "Requires" : "Provides");
        const char **have = which ? hp->requires : hp->provides;
        size_t n = which ? hp->nrequires : hp->nprovides;

        assert_int_equal(n, json_array_size(v));
        for (size_t k = 0; k < n; k++)
            assert_string_equal(have[k], json_string_value(json_array_get(v, k)));
    }
    json_decref(exp);

    /* rpm(8)'s own listing of the same database */
    snprintf(rel, sizeof(rel), "rpm/go-rpmdb/%s/derived.rpm-cli.list.json", dir);
    exp = load_json(rel);
    list = json_object_get(exp, "packages");
    assert_int_equal(c.s.packages.len, json_integer_value(json_object_get(exp, "count")));
    assert_int_equal(c.s.packages.len, json_array_size(list));
    json_array_foreach(list, i, lp)
    {
        const struct fth_package *q = cat_fixture_find(&c.s, jstr(lp, "Name"), NULL);
        const struct rpm_pkg *hq = NULL;

        assert_non_null(q);
        for (size_t k = 0; k < h.pkgs.len; k++)
            if (!strcmp(((const struct rpm_pkg *)h.pkgs.items[k])->name, q->name))
                hq = h.pkgs.items[k];
        assert_non_null(hq);
        check_pkg(c.a, q, hq, lp);
    }
    json_decref(exp);
    fth_buf_release(&b);
    fth_arena_free(c.a);
    fth_arena_free(c2.a);
}

static void test_catalog_rpm_sqlite_mariner(void **state)
{
    (void)state;
    check_detail("cbl-mariner-2.0", "rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite", rpm_read_sqlite);
}

static void test_catalog_rpm_bdb_libuuid(void **state)
{
    (void)state;
    check_detail("libuuid", "Packages", "var/lib/rpm/Packages", rpm_read_bdb);
}

static void test_catalog_rpm_syft_dive(void **state)
{
    json_t *exp = load_json("rpm/syft/Packages.expect.json"), *p, *files;
    struct fth_buf b = FTH_BUF_INIT;
    const struct fth_package *fp;
    struct ctx c;

    (void)state;
    p = json_array_get(json_object_get(exp, "packages"), 0);
    ctx_init(&c);
    read_fixture(&b, "rpm/syft/Packages");
    parse_bytes(&c.s, "var/lib/rpm/Packages", b.ptr, b.len);
    assert_int_equal(c.s.packages.len, 1);
    assert_int_equal(c.s.warnings, 0);
    fp = cat_fixture_pkg(&c.s, 0);
    assert_string_equal(fp->name, jstr(p, "Name"));
    assert_string_equal(fp->version, jstr(p, "Version"));
    assert_string_equal(fp->licenses[0].value,
                        jstr(json_array_get(json_object_get(p, "Licenses"), 0), "value"));
    assert_string_equal(fth_catalog_purl(c.a, fp, NULL), jstr(p, "PURL"));
    files = json_object_get(json_object_get(p, "Metadata"), "Files");
    assert_int_equal(fp->nfiles, json_array_size(files));
    assert_string_equal(fp->files[0], jstr(json_array_get(files, 0), "Path") + 1);
    fth_buf_release(&b);
    fth_arena_free(c.a);
    json_decref(exp);
}

static void test_catalog_rpm_manifest(void **state)
{
    json_t *exp = load_json("rpm/syft/container-manifest-2.expect.json"), *pkgs, *p;
    struct fth_buf b = FTH_BUF_INIT;
    struct ctx c;
    size_t i;

    (void)state;
    pkgs = json_object_get(exp, "packages");
    ctx_init(&c);
    read_fixture(&b, "rpm/syft/container-manifest-2");
    parse_bytes(&c.s, "var/lib/rpmmanifest/container-manifest-2", b.ptr, b.len);
    assert_int_equal(c.s.packages.len, json_array_size(pkgs));
    assert_int_equal(c.s.warnings, 0);
    json_array_foreach(pkgs, i, p)
    {
        const struct fth_package *fp = cat_fixture_pkg(&c.s, i);
        const json_t *md = json_object_get(p, "Metadata");

        assert_string_equal(fp->name, jstr(p, "Name"));
        assert_string_equal(fp->version, jstr(p, "Version"));
        assert_string_equal(fp->arch, jstr(md, "Arch"));
        assert_string_equal(fth_catalog_purl(c.a, fp, NULL), jstr(p, "PURL"));
    }
    /* a short line is warned about, the others kept */
    parse_bytes(&c.s, "var/lib/rpmmanifest/container-manifest-2", "a\tb\n\n", 5);
    assert_int_equal(c.s.warnings, 1);
    fth_buf_release(&b);
    fth_arena_free(c.a);
    json_decref(exp);
}

/* ---- damaged input ---- */

static void test_catalog_rpm_garbage_header(void **state)
{
    struct ctx c;
    struct headers h;
    struct rpm_pkg p;
    char why[160];
    unsigned char junk[4096];
    uint32_t seed = 12345;

    (void)state;
    ctx_init(&c);
    read_headers(&h, &c, "rpm/go-rpmdb/libuuid/Packages", rpm_read_bdb);
    assert_int_equal(h.pkgs.len, 1);
    {
        const unsigned char *blob = h.blobs.items[0];
        size_t len = (size_t)(uintptr_t)h.lens.items[0];
        unsigned char *m = malloc(len);

        assert_non_null(m);
        /* every truncation */
        for (size_t n = 0; n < len; n += 17) {
            memcpy(m, blob, n);
            assert_int_equal(rpm_header_parse(&p, c.a, m, n, why, sizeof(why)), FTH_EINVALID);
        }
        /* one corrupted byte at a time in the index: never a crash, a result or an error */
        for (size_t k = 0; k < len && k < 8 + 16 * 64; k++) {
            int rc;

            memcpy(m, blob, len);
            m[k] ^= 0xa5;
            rc = rpm_header_parse(&p, c.a, m, len, why, sizeof(why));
            assert_true(rc == 0 || rc == FTH_EINVALID);
        }
        /* an entry pointing past the data store */
        memcpy(m, blob, len);
        m[8 + 16 + 8] = 0x7f;
        assert_int_equal(rpm_header_parse(&p, c.a, m, len, why, sizeof(why)), FTH_EINVALID);
        assert_non_null(strstr(why, "out of range"));
        free(m);
    }
    /* random bytes */
    for (int round = 0; round < 200; round++) {
        for (size_t k = 0; k < sizeof(junk); k++) {
            seed = seed * 1103515245u + 12345u;
            junk[k] = (unsigned char)(seed >> 16);
        }
        junk[0] = junk[1] = junk[4] = 0; /* plausible counts */
        assert_true(rpm_header_parse(&p, c.a, junk, sizeof(junk), why, sizeof(why)) <= 0);
        parse_bytes(&c.s, "var/lib/rpm/Packages", junk, sizeof(junk));
    }
    fth_arena_free(c.a);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* The first off-page item of the first hash page: where its page number lives. */
static unsigned char *first_offpage(unsigned char *db, size_t len, uint32_t *pagesize)
{
    *pagesize = le32(db + 20);
    for (size_t pg = 1; (pg + 1) * *pagesize <= len; pg++) {
        unsigned char *p = db + pg * *pagesize;
        unsigned n = (unsigned)(p[20] | p[21] << 8);

        if (p[25] != 13)
            continue;
        for (unsigned i = 1; i < n; i += 2) {
            unsigned off = (unsigned)(p[26 + 2 * i] | p[27 + 2 * i] << 8);

            if (off < *pagesize && p[off] == 3)
                return p + off;
        }
    }
    return NULL;
}

static void test_catalog_rpm_bdb_damaged(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    unsigned char *m, *item;
    uint32_t pagesize, ovf;
    struct ctx c;

    (void)state;
    read_fixture(&b, "rpm/go-rpmdb/libuuid/Packages");
    m = malloc(b.len);
    assert_non_null(m);

    /* an overflow page number past the end of the file */
    memcpy(m, b.ptr, b.len);
    assert_non_null(item = first_offpage(m, b.len, &pagesize));
    put_le32(item + 4, 0x7fffffff);
    ctx_init(&c);
    parse_bytes(&c.s, "var/lib/rpm/Packages", m, b.len);
    assert_int_equal(c.s.packages.len, 0);
    assert_int_equal(c.s.warnings, 1);
    fth_arena_free(c.a);

    /* an overflow chain that loops back on itself */
    memcpy(m, b.ptr, b.len);
    item = first_offpage(m, b.len, &pagesize);
    ovf = le32(item + 4);
    put_le32(item + 8, 0x7fffffff); /* a total length the chain never reaches */
    put_le32(m + (size_t)ovf * pagesize + 16, ovf);
    ctx_init(&c);
    parse_bytes(&c.s, "var/lib/rpm/Packages", m, b.len);
    assert_int_equal(c.s.packages.len, 0);
    assert_true(c.s.warnings >= 1);
    fth_arena_free(c.a);

    /* a bad magic, a bad page size, and every truncation */
    memcpy(m, b.ptr, b.len);
    m[12] ^= 0xff;
    ctx_init(&c);
    parse_bytes(&c.s, "var/lib/rpm/Packages", m, b.len);
    assert_int_equal(c.s.packages.len, 0);
    assert_int_equal(c.s.warnings, 1);
    memcpy(m, b.ptr, b.len);
    put_le32(m + 20, 1000);
    parse_bytes(&c.s, "var/lib/rpm/Packages", m, b.len);
    assert_int_equal(c.s.warnings, 2);
    for (size_t n = 0; n < b.len; n += 997)
        parse_bytes(&c.s, "var/lib/rpm/Packages", b.ptr, n);
    fth_arena_free(c.a);
    free(m);
    fth_buf_release(&b);
}

/* A big-endian Berkeley DB: the same database with every field the reader uses swapped. */
static void swap32(unsigned char *p)
{
    unsigned char t = p[0];

    p[0] = p[3];
    p[3] = t;
    t = p[1];
    p[1] = p[2];
    p[2] = t;
}

static void swap16(unsigned char *p)
{
    unsigned char t = p[0];

    p[0] = p[1];
    p[1] = t;
}

static void test_catalog_rpm_bdb_big_endian(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    uint32_t pagesize;
    unsigned char *m;
    struct ctx c;

    (void)state;
    read_fixture(&b, "rpm/go-rpmdb/libuuid/Packages");
    m = (unsigned char *)b.ptr;
    pagesize = le32(m + 20);
    for (size_t pg = 1; (pg + 1) * pagesize <= b.len; pg++) {
        unsigned char *p = m + pg * pagesize;
        unsigned n = (unsigned)(p[20] | p[21] << 8);

        if (p[25] == 13 || p[25] == 2) {
            for (unsigned i = 0; i < n; i++) {
                unsigned off = (unsigned)(p[26 + 2 * i] | p[27 + 2 * i] << 8);

                if (off + 12 <= pagesize && p[off] == 3) {
                    swap32(p + off + 4);
                    swap32(p + off + 8);
                }
                swap16(p + 26 + 2 * i);
            }
        }
        swap32(p + 8);
        swap32(p + 12);
        swap32(p + 16);
        swap16(p + 20);
        swap16(p + 22);
    }
    for (int off = 8; off <= 48; off += 4)
        swap32(m + off);
    ctx_init(&c);
    parse_bytes(&c.s, "var/lib/rpm/Packages", m, b.len);
    assert_int_equal(c.s.warnings, 0);
    assert_int_equal(c.s.packages.len, 1);
    assert_string_equal(cat_fixture_pkg(&c.s, 0)->name, "libuuid");
    assert_string_equal(cat_fixture_pkg(&c.s, 0)->version, "2.32.1-42.el8_8");
    assert_int_equal(cat_fixture_pkg(&c.s, 0)->nfiles, 7);
    fth_arena_free(c.a);
    fth_buf_release(&b);
}

static void test_catalog_rpm_ndb_damaged(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    unsigned char *m;
    struct ctx c;

    (void)state;
    read_fixture(&b, "rpm/go-rpmdb/sle15-bci/Packages.db");
    m = (unsigned char *)b.ptr;
    /* slot 3 (the second package): its blob offset far past the end */
    assert_int_equal(memcmp(m + 48, "Slot", 4), 0);
    put_le32(m + 48 + 8, 0x0fffffff);
    /* slot 4: a blob whose header names another package */
    put_le32(m + 64 + 4, 9999);
    ctx_init(&c);
    parse_bytes(&c.s, "var/lib/rpm/Packages.db", m, b.len);
    assert_int_equal(c.s.warnings, 2);
    assert_int_equal(c.s.packages.len, 33);
    /* every truncation */
    for (size_t n = 0; n < b.len; n += 4099)
        parse_bytes(&c.s, "var/lib/rpm/Packages.db", b.ptr, n);
    fth_arena_free(c.a);
    fth_buf_release(&b);
}

static void test_catalog_rpm_sqlite_damaged(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct ctx c;
    size_t before, npkgs;

    (void)state;
    ctx_init(&c);
    parse_bytes(&c.s, "var/lib/rpm/rpmdb.sqlite", "this is not sqlite at all", 25);
    assert_int_equal(c.s.packages.len, 0);
    assert_int_equal(c.s.warnings, 1);
    read_fixture(&b, "rpm/go-rpmdb/cbl-mariner-2.0/rpmdb.sqlite");
    /* the header survives, the rest is cut: an error from SQLite, warned about */
    parse_bytes(&c.s, "var/lib/rpm/rpmdb.sqlite", b.ptr, 8192);
    assert_true(c.s.warnings >= 2);
    /* 64 KiB scribbled in the middle: SQLite reports the damage when it reaches it, and the
     * 73 packages read before it are kept */
    before = c.s.warnings;
    npkgs = c.s.packages.len;
    memset(b.ptr + b.len / 2, 0xff, 65536);
    parse_bytes(&c.s, "var/lib/rpm/rpmdb.sqlite", b.ptr, b.len);
    assert_int_equal(c.s.warnings, before + 1);
    assert_int_equal(c.s.packages.len - npkgs, 73);
    assert_non_null(cat_fixture_find(&c.s, "glibc", "2.34-2.cm2"));
    fth_arena_free(c.a);
    fth_buf_release(&b);
}

static void test_catalog_rpm_wants(void **state)
{
    (void)state;
    assert_true(cat_rpm.wants("var/lib/rpm/Packages", 1, 0644));
    assert_true(cat_rpm.wants("var/lib/rpm/Packages.db", 1, 0644));
    assert_true(cat_rpm.wants("usr/lib/sysimage/rpm/Packages.db", 1, 0644));
    assert_true(cat_rpm.wants("var/lib/rpm/rpmdb.sqlite", 1, 0644));
    assert_true(cat_rpm.wants("usr/lib/sysimage/rpm/rpmdb.sqlite", 1, 0644));
    assert_true(cat_rpm.wants("var/lib/rpmmanifest/container-manifest-2", 1, 0644));
    assert_false(cat_rpm.wants("var/lib/rpm/rpmdb.sqlite-wal", 1, 0644));
    assert_false(cat_rpm.wants("var/lib/rpm/Name", 1, 0644));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_rpm_ndb_sle15),
        cmocka_unit_test(test_catalog_rpm_sqlite_mariner),
        cmocka_unit_test(test_catalog_rpm_bdb_libuuid),
        cmocka_unit_test(test_catalog_rpm_syft_dive),
        cmocka_unit_test(test_catalog_rpm_manifest),
        cmocka_unit_test(test_catalog_rpm_garbage_header),
        cmocka_unit_test(test_catalog_rpm_bdb_damaged),
        cmocka_unit_test(test_catalog_rpm_bdb_big_endian),
        cmocka_unit_test(test_catalog_rpm_ndb_damaged),
        cmocka_unit_test(test_catalog_rpm_sqlite_damaged),
        cmocka_unit_test(test_catalog_rpm_wants),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
