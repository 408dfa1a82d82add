/*
 * vulndb: the Alpine secdb importer against the whole alpine-secdb repository (v3.3..v3.11):
 * every package installed in the shared minirootfs 3.10.9 and 3.11.13 images matches nothing,
 * as their expected-findings files (empty) say; installed == fixed is not vulnerable, one
 * release below is; a fixed version of "0" is never affected; importing a document again
 * replaces its rows; a malformed package is skipped with a warning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "fathom/vulndb.h"
#include "unit/vulndb/vulndb_fixture.h"

static struct fth_vulndb *open_db(void)
{
    struct fth_vulndb *db = NULL;
    struct fth_error err;

    if (fth_vulndb_open(&db, dbpath, FTH_VULNDB_CREATE, &err) < 0)
        fail_msg("open: %s", err.message);
    return db;
}

static struct fth_vulndb_import_stats import1(struct fth_vulndb *db, const char *path)
{
    struct fth_vulndb_import_stats stats;
    struct fth_error err;

    if (fth_vulndb_import(&stats, db, &path, 1, "alpine-secdb", &err) < 0)
        fail_msg("import %s: %s", path, err.message);
    return stats;
}

static const char *ids(struct fth_arena *a, struct fth_vulndb *db, const char *eco, const char *pkg,
                       const char *version)
{
    struct fth_vulndb_match *m;
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    const char *s;
    size_t n, i;

    if (fth_vulndb_match(&m, &n, a, db, eco, pkg, version, &err) < 0)
        fail_msg("match %s %s %s: %s", eco, pkg, version, err.message);
    for (i = 0; i < n; i++)
        fth_buf_printf(&b, "%s%s", i ? "," : "", m[i].id);
    s = fth_arena_strdup(a, b.ptr);
    fth_buf_release(&b);
    return s;
}

static void write_file(const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    assert_non_null(f = fopen(path, "w"));
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static size_t file_size(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return (size_t)st.st_size;
}

/*
 * Match every package of the image's apk database (origin name, installed version) against
 * release; returns how many were asked, fails on any finding.
 */
static size_t match_installed(struct fth_vulndb *db, const char *rootfs, const char *release)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_buf text = FTH_BUF_INIT;
    struct fth_error err;
    char cmd[1024], path[512], *line, *next, version[256] = "", origin[256] = "";
    const char *eco = fth_arena_printf(a, "Alpine:%s", release);
    size_t asked = 0;

    snprintf(path, sizeof(path), "%s/installed", tmpdir);
    snprintf(cmd, sizeof(cmd), "tar -xzOf '%s' ./lib/apk/db/installed > '%s'", rootfs, path);
    assert_int_equal(system(cmd), 0);
    if (fth_file_read(&text, path, (size_t)1 << 24, &err) < 0)
        fail_msg("%s", err.message);
    /* one stanza per package: P: name, V: version, o: origin (the secdb's name), blank line */
    for (line = text.ptr; line && *line; line = next) {
        if ((next = strchr(line, '\n')))
            *next++ = '\0';
        if (line[0] == 'V' && line[1] == ':')
            snprintf(version, sizeof(version), "%s", line + 2);
        else if (line[0] == 'o' && line[1] == ':')
            snprintf(origin, sizeof(origin), "%s", line + 2);
        if ((!line[0] || !next) && origin[0] && version[0]) {
            const char *found = ids(a, db, eco, origin, version);

            if (*found)
                fail_msg("%s %s %s: %s, expected none", release, origin, version, found);
            asked++;
            origin[0] = version[0] = '\0';
        }
    }
    fth_buf_release(&text);
    fth_arena_free(a);
    return asked;
}

static void test_secdb_repository(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st = import1(db, DATA "alpine/alpine-secdb");
    struct fth_vulndb_match *m;
    struct fth_error err;
    size_t n;

    (void)state;
    assert_int_equal(st.files, 18); /* v3.3..v3.11, main and community */
    assert_int_equal(st.skipped, 0);
    assert_int_equal(nwarnings, 0);
    assert_true(st.imported > 1000);

    /* the expected findings of both images are empty, and so is every match */
    assert_int_equal(file_size(DATA "alpine/minirootfs-3.10.9.expected-findings.jsonl"), 0);
    assert_int_equal(file_size(DATA "alpine/minirootfs-3.11.13.expected-findings.jsonl"), 0);
    assert_int_equal(file_size(DATA "alpine/minirootfs-3.10.3.expected-findings.jsonl"), 0);
    assert_int_equal(file_size(DATA "alpine/trivy-alpine-310-3.10.4.expected-findings.jsonl"), 0);
    assert_int_equal(file_size(DATA "alpine/trivy-alpine-311-3.11.5.expected-findings.jsonl"), 0);
    assert_true(match_installed(db,
                                FATHOM_SHARED "/data/rootfs/alpine-minirootfs-3.10.9-x86_64.tar.gz",
                                "v3.10") >= 14);
    assert_true(
        match_installed(db, FATHOM_SHARED "/data/rootfs/alpine-minirootfs-3.11.13-x86_64.tar.gz",
                        "v3.11") >= 14);

    /* 3.10.3's busybox and musl are exactly the fixed versions: not vulnerable */
    assert_string_equal(ids(a, db, "Alpine:v3.10", "busybox", "1.30.1-r2"), "");
    assert_string_equal(ids(a, db, "Alpine:v3.10", "musl", "1.1.22-r3"), "");
    /* one release below is */
    assert_string_equal(ids(a, db, "Alpine:v3.10", "busybox", "1.30.1-r1"), "ALPINE-CVE-2019-5747");
    assert_string_equal(ids(a, db, "Alpine:v3.10", "musl", "1.1.22-r2"), "ALPINE-CVE-2019-14697");
    /* the alias and the fixed version come back with the match */
    assert_int_equal(fth_vulndb_match(&m, &n, a, db, "apk", "musl", "1.1.22-r2", &err), 0);
    assert_true(n >= 1);
    assert_string_equal(m[0].id, "ALPINE-CVE-2019-14697");
    assert_int_equal(m[0].naliases, 1);
    assert_string_equal(m[0].aliases[0], "CVE-2019-14697");
    assert_string_equal(m[0].source, "alpine-secdb");

    /* importing it all again adds nothing */
    st = import1(db, DATA "alpine/alpine-secdb");
    assert_int_equal(st.imported, 0);
    assert_string_equal(ids(a, db, "Alpine:v3.10", "musl", "1.1.22-r2"), "ALPINE-CVE-2019-14697");
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static void test_secdb_rules(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st;
    char path[512];

    (void)state;
    write_file("main.yaml", "distroversion: v3.99\n"
                            "reponame: main\n"
                            "packages:\n"
                            "  - pkg:\n"
                            "      name: foo\n"
                            "      secfixes:\n"
                            "        0:\n"
                            "          - CVE-2020-1\n"
                            "        1.2-r0:\n"
                            "          - CVE-2020-2 (also XSA-1)\n"
                            "  - pkg:\n"
                            "      name: bad\n"
                            "      secfixes: [CVE-2020-3]\n"
                            "  - pkg:\n"
                            "      name: nofixes\n");
    snprintf(path, sizeof(path), "%s/main.yaml", tmpdir);
    st = import1(db, path);
    assert_int_equal(st.files, 1);
    assert_int_equal(st.imported, 1);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(nwarnings, 1);
    assert_non_null(strstr(warnings.ptr, "main.yaml:13:17: 'packages[1].pkg.secfixes': expected "
                                         "a mapping, found a sequence; package skipped"));
    /* "0": never affected; the comment after the id is not part of it */
    assert_string_equal(ids(a, db, "Alpine:v3.99", "foo", "1.0-r0"), "ALPINE-CVE-2020-2");
    assert_string_equal(ids(a, db, "Alpine:v3.99", "foo", "1.2-r0"), "");
    /* another release does not match a release-specific row */
    assert_string_equal(ids(a, db, "Alpine:v3.98", "foo", "1.0-r0"), "");

    /* the same document with a later fix replaces the rows of foo in v3.99 */
    write_file("main.yaml", "distroversion: v3.99\n"
                            "reponame: main\n"
                            "packages:\n"
                            "  - pkg:\n"
                            "      name: foo\n"
                            "      secfixes:\n"
                            "        1.3-r0:\n"
                            "          - CVE-2020-2\n");
    st = import1(db, path);
    assert_int_equal(st.unchanged, 1);
    assert_string_equal(ids(a, db, "Alpine:v3.99", "foo", "1.2-r0"), "ALPINE-CVE-2020-2");
    assert_string_equal(ids(a, db, "Alpine:v3.99", "foo", "1.3-r0"), "");

    /* a document without a usable release is skipped whole */
    write_file("x.yaml", "distroversion: [1]\npackages: []\n");
    snprintf(path, sizeof(path), "%s/x.yaml", tmpdir);
    st = import1(db, path);
    assert_int_equal(st.skipped, 1);
    assert_non_null(strstr(warnings.ptr, "'distroversion': expected a release"));
    fth_vulndb_free(db);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_secdb_repository, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secdb_rules, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
