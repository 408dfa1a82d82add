/*
 * catalog: Java archives against Trivy's jar parser expectations (offline mode), the
 * commons-io jar of the oci-alpine image, and hostile zips made here: truncated, a zip bomb,
 * archives nested past the depth limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>

#include <fathom/base.h>
#include <fathom/value.h>

#include "base/limits.h"
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

/* Parse java/trivy/<name> as if it were the file "testdata/<name>", as Trivy's test names it. */
static void parse_jar(struct fixture *fx, const char *name)
{
    char rel[512], path[512];

    snprintf(rel, sizeof(rel), "java/trivy/%s", name);
    snprintf(path, sizeof(path), "testdata/%s", name);
    assert_int_equal(cat_fixture_parse_file(&fx->s, &cat_java, cat_fixture_path(rel), path), 0);
}

static const struct fth_package *find_at(const struct cat_sink *s, const char *name,
                                         const char *version, const char *path)
{
    for (size_t i = 0; i < s->packages.len; i++) {
        const struct fth_package *p = cat_fixture_pkg(s, i);

        if (!strcmp(p->name, name) && !strcmp(p->version, version) && !strcmp(p->path, path))
            return p;
    }
    return NULL;
}

/*
 * Every package of <expect>'s "packages" is collected, with exactly its licences, and the
 * collection holds `extra` packages more than that. Returns the expected count.
 */
static size_t check_expect(struct fixture *fx, const char *expect, size_t extra)
{
    struct fth_buf buf = FTH_BUF_INIT;
    struct fth_value *root = NULL;
    const struct fth_value *pkgs;
    char rel[512];
    size_t n;

    snprintf(rel, sizeof(rel), "java/trivy/%s", expect);
    assert_int_equal(fth_file_read(&buf, cat_fixture_path(rel), 1 << 20, NULL), 0);
    assert_int_equal(fth_value_load_one(&root, fx->a, buf.ptr, buf.len, NULL, NULL), 0);
    fth_buf_release(&buf);
    pkgs = fth_value_get(root, "packages");
    n = fth_value_len(pkgs);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const struct fth_value *e = fth_value_at(pkgs, i);
        const struct fth_value *lic = fth_value_get(e, "Licenses");
        const struct fth_package *p = find_at(&fx->s, fth_value_str(fth_value_get(e, "Name")),
                                              fth_value_str(fth_value_get(e, "Version")),
                                              fth_value_str(fth_value_get(e, "FilePath")));

        if (!p)
            fail_msg("%s: missing %s %s at %s", expect, fth_value_str(fth_value_get(e, "Name")),
                     fth_value_str(fth_value_get(e, "Version")),
                     fth_value_str(fth_value_get(e, "FilePath")));
        assert_non_null(p); /* for the analysers: fail_msg does not return */
        assert_string_equal(p->type, "java-archive");
        assert_string_equal(p->ecosystem, "Maven");
        assert_int_equal(p->nlicenses, fth_value_len(lic));
        for (size_t k = 0; k < p->nlicenses; k++)
            assert_string_equal(p->licenses[k].value, fth_value_str(fth_value_at(lic, k)));
    }
    assert_int_equal(fx->s.packages.len, n + extra);
    return n;
}

static void test_catalog_java_maven_war(void **state)
{
    struct fixture *fx = *state;
    const struct fth_package *p;

    parse_jar(fx, "maven.war");
    assert_int_equal(check_expect(fx, "maven.war.expect.json", 0), 8);
    assert_int_equal(fx->s.warnings, 0);
    /* a nested jar's digest is that jar's, not the war's */
    p = cat_fixture_find(&fx->s, "com.example:web-app", NULL);
    assert_non_null(p);
    assert_int_equal(strlen(p->digest), 45);
    assert_memory_equal(p->digest, "sha1:", 5);
    assert_string_not_equal(p->digest,
                            cat_fixture_find(&fx->s, "org.slf4j:slf4j-api", NULL)->digest);
    /* a Bundle-License URL resolved to its SPDX identifier */
    p = cat_fixture_find(&fx->s, "org.apache.commons:commons-lang3", NULL);
    assert_string_equal(p->licenses[0].spdx, "Apache-2.0");
}

static void test_catalog_java_nested(void **state)
{
    struct fixture *fx = *state;

    parse_jar(fx, "nested.jar");
    assert_int_equal(check_expect(fx, "nested.jar.expect.json", 0), 3);
    assert_int_equal(fx->s.warnings, 0);
}

static void test_catalog_java_test_jar_offline(void **state)
{
    struct fixture *fx = *state;
    const struct fth_package *p;

    parse_jar(fx, "test.jar");
    check_expect(fx, "test.jar.offline.expect.json", 0);
    /* the SHA-1 Trivy's online mode would look up (its Sonatype mock keys on it) */
    p = cat_fixture_pkg(&fx->s, 0);
    assert_string_equal(p->digest, "sha1:c666f5bc47eb64ed3bbd13505a26f58be71f33f0");
}

static void test_catalog_java_jenkins_plugin(void **state)
{
    struct fixture *fx = *state;

    parse_jar(fx, "license-from-jenkins-plugin.jar");
    check_expect(fx, "license-from-jenkins-plugin.jar.offline.expect.json", 0);
}

static void test_catalog_java_fat_jar(void **state)
{
    struct fixture *fx = *state;

    parse_jar(fx, "hadoop-shaded-guava-1.1.0-SNAPSHOT.jar");
    assert_int_equal(check_expect(fx, "hadoop-shaded-guava-1.1.0-SNAPSHOT.jar.expect.json", 0), 5);
}

static void test_catalog_java_multi_license(void **state)
{
    struct fixture *fx = *state;

    parse_jar(fx, "multi-license-1.0.0.jar");
    check_expect(fx, "multi-license-1.0.0.jar.expect.json", 0);
}

/*
 * Duplicate pom.properties collapse to one package per version. Offline, the manifest names
 * the jar too (Trivy online drops that guess once Maven Central does not know "JBoss by Red
 * Hat:Gizmo", and its SHA-1 answer 1.1.0 then collapses into the pom's 1.1).
 */
static void test_catalog_java_duplicates(void **state)
{
    struct fixture *fx = *state;

    parse_jar(fx, "io.quarkus.gizmo.gizmo-1.1.jar");
    check_expect(fx, "io.quarkus.gizmo.gizmo-1.1.jar.expect.json", 1);
    assert_non_null(find_at(&fx->s, "JBoss by Red Hat:Gizmo", "1.1",
                            "testdata/io.quarkus.gizmo.gizmo-1.1.jar"));
}

/*
 * The heuristic case finds "com.example:heuristic" only by asking Maven Central which group
 * publishes artifact "heuristic"; offline the jar (an empty manifest, no pom) names nothing.
 */
static void test_catalog_java_heuristic_offline(void **state)
{
    struct fixture *fx = *state;

    parse_jar(fx, "heuristic-1.0.0-SNAPSHOT.jar");
    assert_int_equal(fx->s.packages.len, 0);
    assert_int_equal(fx->s.warnings, 0);
}

static void test_catalog_java_wants(void **state)
{
    (void)state;
    assert_true(cat_java.wants("opt/app/x.jar", 100, 0644));
    assert_true(cat_java.wants("srv/ROOT.WAR", 100, 0644));
    assert_true(cat_java.wants("var/jenkins/plugins/git.jpi", 100, 0644));
    assert_true(cat_java.wants("a/b.hpi", 100, 0644));
    assert_true(cat_java.wants("a/b.ear", 100, 0644));
    assert_true(cat_java.wants("deploy/x.sar", 100, 0644));
    assert_true(cat_java.wants("deploy/x.par", 100, 0644));
    assert_true(cat_java.wants("deploy/x.kar", 100, 0644));
    assert_false(cat_java.wants("a/b.jar.sha1", 100, 0644));
    assert_false(cat_java.wants("a/jar", 100, 0644));
    assert_false(cat_java.wants("a/.jar", 100, 0644));
    assert_false(cat_java.wants("a/b.jar", (uint64_t)FTH_LIMIT_CATALOG_FILE + 1, 0644));
}

/* The commons-io jar in /opt/java of oci-alpine:3.20.3-l2, taken from its layer. */
static void test_catalog_java_alpine_image(void **state)
{
    struct fixture *fx = *state;
    char dir[] = "/tmp/fathom-catjava-XXXXXX", cmd[2048], jar[512];
    const struct fth_package *p;

    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd),
             "python3 -c 'import tarfile,sys; t=tarfile.open(sys.argv[1]); "
             "t.extract(\"opt/java/commons-io-2.11.0.jar\", sys.argv[2])' "
             "%s/data/images/oci-alpine/blobs/sha256/"
             "7dbf73c83d7a82bf63def1b458f7c166d21b10aa761c28694bc5d27402ac4135 %s",
             FATHOM_SHARED, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(jar, sizeof(jar), "%s/opt/java/commons-io-2.11.0.jar", dir);
    assert_true(cat_java.wants("opt/java/commons-io-2.11.0.jar", 1000, 0644));
    assert_int_equal(
        cat_fixture_parse_file(&fx->s, &cat_java, jar, "opt/java/commons-io-2.11.0.jar"), 0);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(fx->s.packages.len, 1);
    p = cat_fixture_pkg(&fx->s, 0);
    assert_string_equal(p->name, "commons-io:commons-io");
    assert_string_equal(p->version, "2.11.0");
    assert_string_equal(p->path, "opt/java/commons-io-2.11.0.jar");
    assert_int_equal(fx->s.warnings, 0);
}

/* ---- hostile archives built here ---- */

static la_ssize_t to_buf(struct archive *ar, void *data, const void *buf, size_t len)
{
    (void)ar;
    return fth_buf_put(data, buf, len) < 0 ? -1 : (la_ssize_t)len;
}

/* Add one member of `size` bytes: `data` repeated (or zeros when NULL). */
static void zip_add(struct archive *ar, const char *name, const void *data, size_t len, size_t size)
{
    static char zeros[1 << 20];
    struct archive_entry *e = archive_entry_new();

    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)size);
    assert_int_equal(archive_write_header(ar, e), ARCHIVE_OK);
    while (size) {
        size_t n = data ? len : (size < sizeof(zeros) ? size : sizeof(zeros));

        assert_int_equal(archive_write_data(ar, data ? data : zeros, n), (la_ssize_t)n);
        size -= n;
    }
    archive_entry_free(e);
}

static struct archive *zip_open(struct fth_buf *out)
{
    struct archive *ar = archive_write_new();

    assert_int_equal(archive_write_set_format_zip(ar), ARCHIVE_OK);
    assert_int_equal(
        archive_write_set_options(ar, "zip:compression=deflate,zip:compression-level=1"),
        ARCHIVE_OK);
    assert_int_equal(archive_write_open(ar, out, NULL, to_buf, NULL), ARCHIVE_OK);
    return ar;
}

static void zip_close(struct archive *ar)
{
    assert_int_equal(archive_write_close(ar), ARCHIVE_OK);
    archive_write_free(ar);
}

static void add_props(struct archive *ar, const char *artifact, const char *version)
{
    char props[256], name[256];
    int n = snprintf(props, sizeof(props), "groupId=org.example\nartifactId=%s\nversion=%s\n",
                     artifact, version);

    snprintf(name, sizeof(name), "META-INF/maven/org.example/%s/pom.properties", artifact);
    zip_add(ar, name, props, (size_t)n, (size_t)n);
}

static int parse_bytes(struct fixture *fx, const char *path, const struct fth_buf *b)
{
    struct cat_file f = {path, (const unsigned char *)b->ptr, b->len, 0644, 0};

    return cat_java.parse(&fx->s, &f);
}

static void test_catalog_java_truncated(void **state)
{
    struct fixture *fx = *state;
    struct fth_buf b = FTH_BUF_INIT;

    assert_int_equal(fth_file_read(&b, cat_fixture_path("java/trivy/maven.war"), 1 << 24, NULL), 0);
    for (size_t cut = b.len / 2; cut > 0; cut /= 7) {
        struct fth_buf t = FTH_BUF_INIT;
        size_t before = fx->s.warnings;

        assert_int_equal(fth_buf_put(&t, b.ptr, cut), 0);
        assert_int_equal(parse_bytes(fx, "app.war", &t), 0);
        assert_true(fx->s.warnings > before);
        fth_buf_release(&t);
    }
    assert_int_equal(fx->s.packages.len, 0);
    fth_buf_release(&b);
}

/* A nested jar that inflates past FTH_LIMIT_JAR_ENTRY_SIZE: warned, skipped, the rest kept. */
static void test_catalog_java_zip_bomb(void **state)
{
    struct fixture *fx = *state;
    struct fth_buf b = FTH_BUF_INIT;
    struct archive *ar = zip_open(&b);

    zip_add(ar, "BOOT-INF/lib/bomb.jar", NULL, 0, FTH_LIMIT_JAR_ENTRY_SIZE + (1 << 20));
    add_props(ar, "app", "1.0");
    zip_close(ar);
    assert_true(b.len < FTH_LIMIT_JAR_ENTRY_SIZE / 100);
    assert_int_equal(parse_bytes(fx, "srv/app.jar", &b), 0);
    assert_int_equal(fx->s.warnings, 1);
    assert_int_equal(fx->s.packages.len, 1);
    assert_string_equal(cat_fixture_pkg(&fx->s, 0)->name, "org.example:app");
    fth_buf_release(&b);
}

/* Archives in archives deeper than FTH_LIMIT_JAR_DEPTH: the levels within it are read. */
static void test_catalog_java_depth_bomb(void **state)
{
    struct fixture *fx = *state;
    struct fth_buf inner = FTH_BUF_INIT;
    char path[4096];
    size_t plen;

    for (int level = FTH_LIMIT_JAR_DEPTH + 4; level >= 0; level--) {
        struct fth_buf b = FTH_BUF_INIT;
        struct archive *ar = zip_open(&b);
        char artifact[32];

        snprintf(artifact, sizeof(artifact), "level%d", level);
        add_props(ar, artifact, "1.0");
        if (inner.len)
            zip_add(ar, "lib/x.jar", inner.ptr, inner.len, inner.len);
        zip_close(ar);
        fth_buf_release(&inner);
        inner = b;
    }
    assert_int_equal(parse_bytes(fx, "deep.jar", &inner), 0);
    assert_int_equal(fx->s.warnings, 1);
    assert_int_equal(fx->s.packages.len, FTH_LIMIT_JAR_DEPTH + 1);
    plen = (size_t)snprintf(path, sizeof(path), "deep.jar");
    for (int level = 0; level <= FTH_LIMIT_JAR_DEPTH; level++) {
        char name[64];
        const struct fth_package *p;

        snprintf(name, sizeof(name), "org.example:level%d", level);
        p = cat_fixture_find(&fx->s, name, "1.0");
        assert_non_null(p);
        assert_string_equal(p->path, path);
        plen += (size_t)snprintf(path + plen, sizeof(path) - plen, "/lib/x.jar");
    }
    fth_buf_release(&inner);
}

/* Members each within the entry limit that together inflate past FTH_LIMIT_JAR_EXPANDED. */
static void test_catalog_java_expanded_limit(void **state)
{
    struct fixture *fx = *state;
    struct fth_buf b = FTH_BUF_INIT;
    struct archive *ar = zip_open(&b);
    size_t each = FTH_LIMIT_JAR_ENTRY_SIZE - (1 << 20);
    size_t n = (size_t)(FTH_LIMIT_JAR_EXPANDED / each) + 1;

    add_props(ar, "before", "1.0");
    for (size_t i = 0; i < n; i++) {
        char name[64];

        snprintf(name, sizeof(name), "lib/zeros%zu.jar", i);
        zip_add(ar, name, NULL, 0, each);
    }
    add_props(ar, "after", "1.0");
    zip_close(ar);
    assert_int_equal(parse_bytes(fx, "many.jar", &b), 0);
    /* n - 1 zero-filled "jars" that are not zips, then the limit; "after" is never read */
    assert_int_equal(fx->s.warnings, n);
    assert_int_equal(fx->s.packages.len, 1);
    assert_string_equal(cat_fixture_pkg(&fx->s, 0)->name, "org.example:before");
    fth_buf_release(&b);
}

/* Members that climb out with "..", and garbage in place of a nested jar. */
static void test_catalog_java_odd_members(void **state)
{
    struct fixture *fx = *state;
    struct fth_buf b = FTH_BUF_INIT, in = FTH_BUF_INIT;
    /* continuation lines, CRLF, and a later section that must not count */
    const char *mf =
        "Manifest-Version: 1.0\r\nImplementation-Title: tool\r\nImplementation-Vers\r\n"
        " ion: 3.1\r\nImplementation-Vendor-Id: org.ex\r\n ample\r\n\r\nName: x\r\n"
        "Implementation-Version: 9\r\n";
    struct archive *ar = zip_open(&in);

    add_props(ar, "inner", "2.0");
    zip_close(ar);
    ar = zip_open(&b);
    zip_add(ar, "../../evil.jar", in.ptr, in.len, in.len);
    zip_add(ar, "lib/garbage.jar", "not a zip", 9, 9);
    zip_add(ar, "META-INF/MANIFEST.MF", mf, strlen(mf), strlen(mf));
    zip_close(ar);
    assert_int_equal(parse_bytes(fx, "tool.jar", &b), 0);
    assert_int_equal(fx->s.packages.len, 1);
    assert_string_equal(cat_fixture_pkg(&fx->s, 0)->name, "org.example:tool");
    assert_string_equal(cat_fixture_pkg(&fx->s, 0)->version, "3.1");
    assert_int_equal(fx->s.warnings, 1); /* the garbage jar */
    fth_buf_release(&b);
    fth_buf_release(&in);
}

/* pom.xml licences past comments, CDATA, entities and nested <licenses>; OSGi Bundle-License. */
static void test_catalog_java_licenses(void **state)
{
    struct fixture *fx = *state;
    struct fth_buf b = FTH_BUF_INIT;
    const struct fth_package *p;
    const char *pom =
        "<?xml version=\"1.0\"?>\n"
        "<!-- <licenses><license><name>comment</name></license></licenses> -->\n"
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
        "  <dependencies><dependency><licenses><license><name>nested</name></license>"
        "</licenses></dependency></dependencies>\n"
        "  <licenses>\n"
        "    <license><name><![CDATA[Eclipse Public License & more]]></name></license>\n"
        "    <license><name a=\"x>y\">  Foo &amp; Bar &#65;  </name><url>http://x</url></license>\n"
        "    <license><name></name><url>https://opensource.org/licenses/MIT</url></license>\n"
        "    <license><url>http://unknown.example/l</url></license>\n"
        "  </licenses>\n"
        "</project>\n";
    const char *mf = "Manifest-Version: 1.0\n"
                     "Implementation-Vendor-Id: org.acme\n"
                     "Implementation-Title: osgi\n"
                     "Bundle-Version: 4.0.1\n"
                     "Bundle-License: \"Apache License, Version 2.0\";link=\"https://www.apache.o\n"
                     " rg/licenses/LICENSE-2.0\", epl-2.0, <<EXTERNAL>>\n";
    struct archive *ar = zip_open(&b);

    add_props(ar, "lib", "2.0");
    zip_add(ar, "META-INF/maven/org.example/lib/pom.xml", pom, strlen(pom), strlen(pom));
    zip_close(ar);
    assert_int_equal(parse_bytes(fx, "lib-2.0.jar", &b), 0);
    fth_buf_clear(&b);
    ar = zip_open(&b);
    zip_add(ar, "META-INF/MANIFEST.MF", mf, strlen(mf), strlen(mf));
    zip_close(ar);
    assert_int_equal(parse_bytes(fx, "osgi.jar", &b), 0);
    assert_int_equal(fx->s.packages.len, 2);
    assert_int_equal(fx->s.warnings, 0);
    p = cat_fixture_find(&fx->s, "org.example:lib", "2.0");
    assert_non_null(p);
    assert_int_equal(p->nlicenses, 3);
    assert_string_equal(p->licenses[0].value, "Eclipse Public License & more");
    assert_string_equal(p->licenses[1].value, "Foo & Bar A");
    assert_string_equal(p->licenses[2].value, "MIT");
    p = cat_fixture_find(&fx->s, "org.acme:osgi", "4.0.1");
    assert_non_null(p);
    assert_int_equal(p->nlicenses, 2);
    assert_string_equal(p->licenses[0].value, "Apache-2.0");
    assert_string_equal(p->licenses[0].spdx, "Apache-2.0");
    assert_string_equal(p->licenses[1].value, "EPL-2.0");
    fth_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_catalog_java_maven_war, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_test_jar_offline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_jenkins_plugin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_fat_jar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_multi_license, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_heuristic_offline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_wants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_alpine_image, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_zip_bomb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_depth_bomb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_expanded_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_odd_members, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_java_licenses, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
