/*
 * vulndb: importing archives of OSV files (the whole Go vulndb and PyPA database as the shared
 * data has them, a .tar and a .zip made here), warnings that name the member, and a truncated
 * archive failing the import with the database unchanged.
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

#include "fathom/vulndb.h"
#include "unit/vulndb/vulndb_fixture.h"

#define GO_TGZ DATA "full/go-vulndb-data-osv.tar.gz"
#define PYPA_TGZ DATA "full/pypa-advisory-database-vulns.tar.gz"

static void shell(const char *cmd)
{
    if (system(cmd) != 0)
        fail_msg("failed: %s", cmd);
}

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

    if (fth_vulndb_import(&stats, db, &path, 1, "test", &err) < 0)
        fail_msg("import %s: %s", path, err.message);
    return stats;
}

/* The ids matched, comma-separated, in a. */
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

static size_t advisories(struct fth_vulndb *db)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb_info info;
    struct fth_error err;

    assert_non_null(a);
    if (fth_vulndb_info(&info, a, db, &err) < 0)
        fail_msg("info: %s", err.message);
    fth_arena_free(a);
    return info.advisories;
}

static void test_archive_go(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st = import1(db, GO_TGZ);

    (void)state;
    /* data/osv/GO-*.json only: data/LICENSE and data/NOTICES are not advisories */
    assert_int_equal(st.files, 4291);
    assert_int_equal(st.imported, 4291);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(nwarnings, 0);
    assert_int_equal(advisories(db), 4291);
    /* GO-2022-0556: gogs.io/gogs introduced 0, fixed 0.12.9 */
    assert_non_null(strstr(ids(a, db, "Go", "gogs.io/gogs", "v0.12.8"), "GO-2022-0556"));
    assert_null(strstr(ids(a, db, "Go", "gogs.io/gogs", "v0.12.9"), "GO-2022-0556"));
    /* the same archive again: everything unchanged */
    st = import1(db, GO_TGZ);
    assert_int_equal(st.unchanged, 4291);
    assert_int_equal(st.imported, 0);
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static void test_archive_pypa(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st = import1(db, PYPA_TGZ);
    const char *found;

    (void)state;
    assert_int_equal(st.files, 2661);
    assert_int_equal(st.imported, 2661);
    assert_int_equal(st.skipped, 0);
    /* the fixture image's cryptography 38.0.4 findings are among the whole database's */
    found = ids(a, db, "PyPI", "cryptography", "38.0.4");
    assert_non_null(strstr(found, "PYSEC-2023-11"));
    assert_non_null(strstr(found, "PYSEC-2023-254"));
    assert_string_equal(ids(a, db, "PyPI", "pip", "23.0.1"), "PYSEC-2023-228");
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static void test_archive_truncated(void **state)
{
    const char *paths[2];
    char cmd[1024], trunc[512], ghsa[] = DATA "ghsa";
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st;
    struct fth_error err;

    (void)state;
    st = import1(db, ghsa);
    assert_int_equal(st.imported, 5);
    snprintf(trunc, sizeof(trunc), "%s/trunc.tar.gz", tmpdir);
    snprintf(cmd, sizeof(cmd), "head -c 600000 '%s' > '%s'", GO_TGZ, trunc);
    shell(cmd);
    /* a good archive first in the same import: it is rolled back with the rest */
    paths[0] = PYPA_TGZ;
    paths[1] = trunc;
    fth_error_clear(&err);
    assert_int_equal(fth_vulndb_import(&st, db, paths, 2, "test", &err), FTH_EINVALID);
    assert_string_equal(err.file, trunc);
    assert_non_null(strstr(err.message, "damaged archive"));
    assert_true(st.imported > 2661);
    assert_int_equal(advisories(db), 5);

    /* a file that is no archive at all */
    snprintf(trunc, sizeof(trunc), "%s/junk.zip", tmpdir);
    snprintf(cmd, sizeof(cmd), "printf 'not a zip' > '%s'", trunc);
    shell(cmd);
    paths[0] = trunc;
    assert_int_equal(fth_vulndb_import(&st, db, paths, 1, "test", &err), FTH_EINVALID);
    assert_int_equal(advisories(db), 5);
    fth_vulndb_free(db);
}

static void test_archive_zip_and_tar(void **state)
{
    static const char script[] =
        "import sys, zipfile\n"
        "d, out = sys.argv[1], sys.argv[2]\n"
        "with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:\n"
        "    z.write(d + '/ghsa/GHSA-29mw-wpgm-hmr9.json', 'npm/GHSA-29mw-wpgm-hmr9.json')\n"
        "    z.write(d + '/ghsa/GHSA-35jh-r3h4-6jhm.json', 'npm/GHSA-35jh-r3h4-6jhm.json')\n"
        "    z.write(d + '/pypi/vulns/pip/PYSEC-2023-228.yaml', 'pypi/PYSEC-2023-228.yaml')\n"
        "    z.writestr('README.md', 'not an advisory')\n"
        "    z.writestr('__MACOSX/._x.json', 'hidden')\n"
        "    z.writestr('bad/broken.json', '{\"id\": \"X-1\",\\n \"modified\": 7}')\n";
    char cmd[2048], path[512];
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st;
    char want[700];

    (void)state;
    snprintf(path, sizeof(path), "%s/mk.py", tmpdir);
    {
        FILE *f = fopen(path, "w");

        assert_non_null(f);
        assert_true(fputs(script, f) >= 0);
        assert_int_equal(fclose(f), 0);
    }
    snprintf(cmd, sizeof(cmd), "python3 '%s/mk.py' '%s' '%s/all.zip'", tmpdir,
             FATHOM_SHARED "/data/vulndata", tmpdir);
    shell(cmd);
    snprintf(path, sizeof(path), "%s/all.zip", tmpdir);
    st = import1(db, path);
    assert_int_equal(st.files, 4);
    assert_int_equal(st.imported, 3);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(nwarnings, 1);
    /* the warning names archive, member, line and column */
    snprintf(want, sizeof(want), "%s:bad/broken.json:2:14: 'modified': expected a string", path);
    if (!strstr(warnings.ptr, want))
        fail_msg("warning '%s', want '%s'", warnings.ptr, want);
    assert_string_equal(ids(a, db, "npm", "lodash", "4.17.20"),
                        "GHSA-29mw-wpgm-hmr9,GHSA-35jh-r3h4-6jhm");
    assert_string_equal(ids(a, db, "PyPI", "pip", "23.0.1"), "PYSEC-2023-228");

    /* a plain tar of a directory */
    snprintf(cmd, sizeof(cmd), "tar -cf '%s/ghsa.tar' -C '%s' ghsa", tmpdir,
             FATHOM_SHARED "/data/vulndata");
    shell(cmd);
    snprintf(path, sizeof(path), "%s/ghsa.tar", tmpdir);
    st = import1(db, path);
    assert_int_equal(st.files, 5);
    assert_int_equal(st.imported, 3);
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(advisories(db), 6);
    fth_vulndb_free(db);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_archive_go, setup, teardown),
        cmocka_unit_test_setup_teardown(test_archive_pypa, setup, teardown),
        cmocka_unit_test_setup_teardown(test_archive_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_archive_zip_and_tar, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
