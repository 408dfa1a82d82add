/*
 * catalog: the apk cataloger against the apk expectations of ../shared/fixtures/image (Trivy's
 * installed database: 16 records, 15 packages; Syft's base, single, multiple-1 and
 * empty-deps-and-provides) and the real Alpine minirootfs tarballs of ../shared/data/rootfs.
 *
 * Mapping: Trivy's Licenses are SPDX-normalised (Fathom's spdx, or the value when it has no
 * SPDX form), Syft's are raw (Fathom's value). Trivy's DependsOn and Syft's relationships
 * list installed packages, which is what Fathom's depends resolves provides to. Syft's Files
 * also list the F: directories; Fathom lists the R: files only, as Trivy does.
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

static int has_str(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return 1;
    return 0;
}

static void test_catalog_apk_trivy(void **state)
{
    json_t *exp = load_json("apk/trivy/installed.expect.json"), *pkgs, *p;
    struct ctx c;
    size_t i;

    (void)state;
    pkgs = json_object_get(exp, "packages");
    ctx_init(&c);
    assert_int_equal(cat_fixture_parse_file(&c.s, &cat_apk, cat_fixture_path("apk/trivy/installed"),
                                            "lib/apk/db/installed"),
                     0);
    assert_int_equal(json_array_size(pkgs), 15);
    assert_int_equal(c.s.packages.len, 15);
    assert_int_equal(c.s.warnings, 1); /* invalidPackageWithoutAVersion */
    json_array_foreach(pkgs, i, p)
    {
        const struct fth_package *fp = cat_fixture_pkg(&c.s, i);
        const json_t *lic = json_object_get(p, "Licenses"), *files, *deps;

        /* same order as the database */
        assert_string_equal(fp->name, jstr(p, "Name"));
        assert_string_equal(fp->type, "apk");
        assert_string_equal(fp->ecosystem, "Alpine");
        assert_string_equal(fp->version, jstr(p, "Version"));
        assert_string_equal(fp->src_name, jstr(p, "SrcName"));
        assert_string_equal(fp->src_version, jstr(p, "SrcVersion"));
        assert_string_equal(fp->arch, jstr(p, "Arch"));
        assert_string_equal(fp->digest, jstr(p, "Digest"));
        assert_string_equal(fp->path, "lib/apk/db/installed");
        assert_int_equal(fp->nlicenses, json_array_size(lic));
        for (size_t k = 0; k < fp->nlicenses; k++)
            assert_string_equal(*fp->licenses[k].spdx ? fp->licenses[k].spdx
                                                      : fp->licenses[k].value,
                                json_string_value(json_array_get(lic, k)));
        files = json_object_get(p, "InstalledFiles");
        assert_int_equal(fp->nfiles, json_array_size(files));
        for (size_t k = 0; k < fp->nfiles; k++)
            assert_string_equal(fp->files[k], json_string_value(json_array_get(files, k)));
        deps = json_object_get(p, "DependsOn");
        assert_int_equal(fp->ndepends, json_array_size(deps));
        for (size_t k = 0; k < json_array_size(deps); k++) {
            const char *id = json_string_value(json_array_get(deps, k));
            char nb[256];
            size_t n = strcspn(id, "@");

            memcpy(nb, id, n);
            nb[n] = '\0';
            assert_true(has_str(fp->depends, fp->ndepends, nb));
        }
    }
    fth_arena_free(c.a);
    json_decref(exp);
}

/* The F: lines of an installed file, as "/dir". */
static int is_dir_entry(const char *db, const char *path)
{
    char needle[1024];

    snprintf(needle, sizeof(needle), "\nF:%s\n", path + 1);
    return strstr(db, needle) != NULL;
}

static void check_syft_single(const char *name)
{
    char rel[256], file[256];
    struct fth_buf db = FTH_BUF_INIT;
    json_t *exp, *p, *md, *lic, *files, *deps;
    const struct fth_package *fp;
    struct ctx c;
    size_t nfiles = 0, ndeps = 0;

    snprintf(rel, sizeof(rel), "apk/syft/%s.expect.json", name);
    snprintf(file, sizeof(file), "apk/syft/%s/lib/apk/db/installed", name);
    exp = load_json(rel);
    p = json_array_get(json_object_get(exp, "packages"), 0);
    md = json_object_get(p, "Metadata");
    assert_int_equal(fth_file_read(&db, cat_fixture_path(file), 1 << 24, NULL), 0);
    ctx_init(&c);
    assert_int_equal(
        cat_fixture_parse_file(&c.s, &cat_apk, cat_fixture_path(file), "lib/apk/db/installed"), 0);
    assert_int_equal(c.s.packages.len, 1);
    assert_int_equal(c.s.warnings, 0);
    fp = cat_fixture_pkg(&c.s, 0);
    assert_string_equal(fp->name, jstr(p, "Name"));
    assert_string_equal(fp->version, jstr(p, "Version"));
    assert_string_equal(fp->arch, jstr(md, "Architecture"));
    assert_string_equal(fp->src_name, jstr(md, "OriginPackage"));
    lic = json_object_get(p, "Licenses");
    assert_int_equal(fp->nlicenses, json_array_size(lic));
    for (size_t k = 0; k < fp->nlicenses; k++)
        assert_string_equal(fp->licenses[k].value, json_string_value(json_array_get(lic, k)));
    files = json_object_get(md, "Files");
    for (size_t k = 0; k < json_array_size(files); k++) {
        const char *path = jstr(json_array_get(files, k), "Path");

        if (is_dir_entry(db.ptr, path))
            continue;
        assert_true(nfiles < fp->nfiles);
        assert_string_equal(fp->files[nfiles], path + 1);
        nfiles++;
    }
    assert_int_equal(fp->nfiles, nfiles);
    assert_true(nfiles > 0);
    /* alone in its database: plain names are kept, so:/cmd:/paths have no provider */
    deps = json_object_get(md, "Dependencies");
    for (size_t k = 0; k < json_array_size(deps); k++) {
        const char *d = json_string_value(json_array_get(deps, k));
        char nb[256];
        size_t n = strcspn(d, "=<>~");

        if (*d == '/' || *d == '!' || memchr(d, ':', n))
            continue;
        memcpy(nb, d, n);
        nb[n] = '\0';
        assert_true(ndeps < fp->ndepends);
        assert_string_equal(fp->depends[ndeps], nb);
        ndeps++;
    }
    assert_int_equal(fp->ndepends, ndeps);
    fth_buf_release(&db);
    fth_arena_free(c.a);
    json_decref(exp);
}

static void test_catalog_apk_syft_base(void **state)
{
    (void)state;
    check_syft_single("base");
}

static void test_catalog_apk_syft_single(void **state)
{
    (void)state;
    check_syft_single("single");
}

static void test_catalog_apk_syft_empty_deps(void **state)
{
    (void)state;
    check_syft_single("empty-deps-and-provides");
}

static void test_catalog_apk_syft_multiple(void **state)
{
    json_t *exp = load_json("apk/syft/multiple-1.expect.json"), *pkgs, *rels, *p;
    struct ctx c;
    size_t i;

    (void)state;
    pkgs = json_object_get(exp, "packages");
    rels = json_object_get(exp, "expected_relationships");
    ctx_init(&c);
    assert_int_equal(
        cat_fixture_parse_root(&c.s, &cat_apk, cat_fixture_path("apk/syft/multiple-1")), 0);
    assert_int_equal(c.s.packages.len, json_array_size(pkgs));
    json_array_foreach(pkgs, i, p)
    {
        const struct fth_package *fp = cat_fixture_find(&c.s, jstr(p, "Name"), jstr(p, "Version"));
        const json_t *lic = json_object_get(p, "Licenses");
        size_t want = 0, got = 0;

        assert_non_null(fp);
        assert_string_equal(fp->path, "lib/apk/db/installed");
        assert_string_equal(fp->src_name, jstr(json_object_get(p, "Metadata"), "OriginPackage"));
        assert_int_equal(fp->nlicenses, json_array_size(lic));
        assert_string_equal(fp->licenses[0].value, jstr(json_array_get(lic, 0), "value"));
        /* "dependency-of" from X to fp: X is among fp's installed depends, and no more */
        for (size_t k = 0; k < json_array_size(rels); k++) {
            const json_t *r = json_array_get(rels, k);

            if (strcmp(jstr(r, "to"), fp->name))
                continue;
            want++;
            assert_true(has_str(fp->depends, fp->ndepends, jstr(r, "from")));
        }
        for (size_t k = 0; k < fp->ndepends; k++)
            got += cat_fixture_find(&c.s, fp->depends[k], NULL) != NULL;
        assert_int_equal(got, want);
    }
    fth_arena_free(c.a);
    json_decref(exp);
}

static void parse_bytes(struct cat_sink *s, const char *data, size_t len)
{
    struct cat_file f;
    char *copy = malloc(len + 1);

    assert_non_null(copy);
    memcpy(copy, data, len);
    copy[len] = '\0';
    f.path = "lib/apk/db/installed";
    f.data = (const unsigned char *)copy;
    f.len = len;
    f.mode = 0644;
    f.layer = 0;
    assert_int_equal(cat_apk.parse(s, &f), 0);
    free(copy);
}

static void test_catalog_apk_corrupt(void **state)
{
    static const char text[] = "P:a\r\nV:1-r0\r\nD:!b c>=2 so:libx.so cmd:y /bin/sh\r\n"
                               "garbage\r\nC:Q1notbase64!!!!!!!!!!!!!!!!!!!!\r\n\r\n"
                               "V:2\n\nP:c\nV:3-r1\np:so:libx.so=1 cmd:y\nF:usr/bin\nR:c\n";
    struct fth_buf b = FTH_BUF_INIT;
    const struct fth_package *p;
    struct ctx c;

    (void)state;
    ctx_init(&c);
    parse_bytes(&c.s, text, sizeof(text) - 1);
    assert_int_equal(c.s.packages.len, 2);
    assert_int_equal(c.s.warnings, 2); /* "garbage" and the record without P: */
    p = cat_fixture_find(&c.s, "a", "1-r0");
    assert_non_null(p);
    assert_string_equal(p->digest, "");
    assert_int_equal(p->ndepends, 1); /* c, through its own name and so:libx.so and cmd:y */
    assert_string_equal(p->depends[0], "c");
    p = cat_fixture_find(&c.s, "c", "3-r1");
    assert_non_null(p);
    assert_int_equal(p->nfiles, 1);
    assert_string_equal(p->files[0], "usr/bin/c");
    fth_arena_free(c.a);

    /* every prefix of a real database parses without a crash */
    assert_int_equal(fth_file_read(&b, cat_fixture_path("apk/trivy/installed"), 1 << 24, NULL), 0);
    for (size_t n = 0; n < b.len; n += 13) {
        ctx_init(&c);
        parse_bytes(&c.s, b.ptr, n);
        fth_arena_free(c.a);
    }
    fth_buf_release(&b);
    assert_true(cat_apk.wants("lib/apk/db/installed", 1, 0644));
    assert_false(cat_apk.wants("lib/apk/db/installed.old", 1, 0644));
    assert_false(cat_apk.wants("x/lib/apk/db/installed", 1, 0644));
}

/* The real minirootfs: every P:/V: pair, as awk reads them, and the OS. */
static void check_minirootfs(const char *version, size_t want, const char *os_version,
                             const char *release, const char *musl_purl)
{
    char dir[] = "/tmp/fathom-catos-apk-XXXXXX", cmd[4096];
    struct ctx c;
    FILE *q;
    size_t truth = 0;

    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd),
             "tar -xzf '%s/data/rootfs/alpine-minirootfs-%s-x86_64.tar.gz' -C '%s' "
             "./lib/apk/db/installed ./etc/os-release ./etc/alpine-release",
             FATHOM_SHARED, version, dir);
    assert_int_equal(system(cmd), 0);
    ctx_init(&c);
    assert_int_equal(cat_fixture_parse_root(&c.s, &cat_apk, dir), 0);
    assert_int_equal(c.s.warnings, 0);
    assert_int_equal(c.s.packages.len, want);
    snprintf(cmd, sizeof(cmd),
             "awk -F: '/^P:/{p=$2} /^V:/{print p \"\\t\" substr($0, 3)}' "
             "'%s/lib/apk/db/installed'",
             dir);
    assert_non_null(q = popen(cmd, "r"));
    {
        char line[512];

        while (fgets(line, sizeof(line), q)) {
            char *tab = strchr(line, '\t');

            assert_non_null(tab);
            *tab = '\0';
            tab[1 + strcspn(tab + 1, "\n")] = '\0';
            assert_non_null(cat_fixture_find(&c.s, line, tab + 1));
            truth++;
        }
    }
    assert_int_equal(pclose(q), 0);
    assert_int_equal(truth, want);

    /* the OS, from both release files in either order */
    {
        static const char *const files[] = {"etc/os-release", "etc/alpine-release"};
        struct fth_os os;

        for (int order = 0; order < 2; order++) {
            memset(&os, 0, sizeof(os));
            for (int k = 0; k < 2; k++) {
                struct fth_buf b = FTH_BUF_INIT;
                char path[4096];
                const char *rel = files[order ? 1 - k : k];

                snprintf(path, sizeof(path), "%s/%s", dir, rel);
                assert_int_equal(fth_file_read(&b, path, 1 << 20, NULL), 0);
                assert_int_equal(cat_os_parse(&os, c.a, rel, (const unsigned char *)b.ptr, b.len),
                                 0);
                fth_buf_release(&b);
            }
            cat_os_finish(&os, c.a, "2026-01-01");
            assert_string_equal(os.id, "alpine");
            assert_string_equal(os.family, "alpine");
            assert_string_equal(os.version_id, os_version);
            assert_string_equal(os.release, release);
            assert_string_equal(os.path, "etc/os-release");
        }
        assert_string_equal(fth_catalog_purl(c.a, cat_fixture_find(&c.s, "musl", NULL), &os),
                            musl_purl);
    }
    fth_arena_free(c.a);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_catalog_apk_minirootfs_3_20(void **state)
{
    (void)state;
    check_minirootfs("3.20.3", 14, "3.20.3", "v3.20",
                     "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3");
}

static void test_catalog_apk_minirootfs_3_10(void **state)
{
    (void)state;
    check_minirootfs("3.10.9", 14, "3.10.9", "v3.10",
                     "pkg:apk/alpine/musl@1.1.22-r4?arch=x86_64&distro=alpine-3.10.9");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_apk_trivy),
        cmocka_unit_test(test_catalog_apk_syft_base),
        cmocka_unit_test(test_catalog_apk_syft_single),
        cmocka_unit_test(test_catalog_apk_syft_empty_deps),
        cmocka_unit_test(test_catalog_apk_syft_multiple),
        cmocka_unit_test(test_catalog_apk_corrupt),
        cmocka_unit_test(test_catalog_apk_minirootfs_3_20),
        cmocka_unit_test(test_catalog_apk_minirootfs_3_10),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
