/*
 * vulndb against the real advisories in the shared data (GHSA JSON, PyPA YAML, Go's stdlib
 * records): import counts, the fixture image's expected findings, boundaries (installed ==
 * fixed, last_affected), PyPI name normalisation, malformed files skipped with warnings,
 * re-import by `modified`, and a failed import leaving the database unchanged.
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
#include <jansson.h>
#include <sqlite3.h>

#include "fathom/version.h"
#include "fathom/vulndb.h"
#include "unit/vulndb/vulndb_fixture.h"

static void write_file(const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    assert_non_null(f = fopen(path, "w"));
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static struct fth_vulndb *open_db(void)
{
    struct fth_vulndb *db = NULL;
    struct fth_error err;

    if (fth_vulndb_open(&db, dbpath, FTH_VULNDB_CREATE, &err) < 0)
        fail_msg("open: %s", err.message);
    return db;
}

static struct fth_vulndb_import_stats import(struct fth_vulndb *db, const char *const *paths,
                                             size_t n)
{
    struct fth_vulndb_import_stats stats;
    struct fth_error err;

    if (fth_vulndb_import(&stats, db, paths, n, "test", &err) < 0)
        fail_msg("import: %s", err.message);
    return stats;
}

static struct fth_vulndb *open_real(void)
{
    static const char *const paths[] = {DATA "ghsa", DATA "pypi/vulns",
                                        DATA "go/osv-stdlib-toolchain"};
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st = import(db, paths, 3);

    assert_int_equal(st.files, 5 + 18 + 199);
    assert_int_equal(st.imported, 5 + 18 + 199);
    assert_int_equal(st.skipped, 0);
    return db;
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

static void test_vulndb_import_counts(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_real();
    struct fth_vulndb_info info;
    struct fth_error err;
    size_t i, go = 0, pypi = 0, npm = 0, maven = 0;

    (void)state;
    assert_int_equal(fth_vulndb_info(&info, a, db, &err), 0);
    assert_int_equal(info.advisories, 222);
    assert_int_equal(info.nsources, 1);
    assert_string_equal(info.sources[0].name, "test");
    assert_int_equal(info.sources[0].advisories, 222);
    for (i = 0; i < info.necosystems; i++) {
        const struct fth_vulndb_count *c = &info.ecosystems[i];

        if (!strcmp(c->ecosystem, "Go"))
            go = c->advisories;
        else if (!strcmp(c->ecosystem, "PyPI"))
            pypi = c->advisories;
        else if (!strcmp(c->ecosystem, "npm"))
            npm = c->advisories;
        else if (!strcmp(c->ecosystem, "Maven"))
            maven = c->advisories;
    }
    assert_int_equal(go, 199);
    assert_int_equal(pypi, 18);
    assert_int_equal(npm, 4);
    assert_int_equal(maven, 1);
    assert_int_equal(nwarnings, 0);
    fth_vulndb_free(db);
    fth_arena_free(a);
}

/* Every package of the fixture image finds exactly its expected advisories. */
static void test_vulndb_fixture_findings(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_real();
    json_t *pkgs = json_load_file(DATA "fixture-image-language-packages.json", 0, NULL);
    FILE *f = fopen(DATA "fixture-image.expected-findings.jsonl", "r");
    json_t *expected = json_array(), *p;
    char line[8192];
    size_t i, j, total = 0;

    (void)state;
    assert_non_null(pkgs);
    assert_non_null(f);
    while (fgets(line, sizeof(line), f))
        json_array_append_new(expected, json_loads(line, 0, NULL));
    fclose(f);
    assert_int_equal(json_array_size(expected), 8);
    json_array_foreach(pkgs, i, p)
    {
        const char *eco = json_string_value(json_object_get(p, "ecosystem"));
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *version = json_string_value(json_object_get(p, "version"));
        struct fth_vulndb_match *m;
        struct fth_error err;
        size_t n, k, want = 0;
        json_t *e;

        if (fth_vulndb_match(&m, &n, a, db, eco, name, version, &err) < 0)
            fail_msg("%s %s: %s", name, version, err.message);
        json_array_foreach(expected, j, e)
        {
            const char *id = json_string_value(json_object_get(e, "id"));
            json_t *aliases = json_object_get(e, "aliases");

            if (strcmp(json_string_value(json_object_get(e, "name")), name) != 0 ||
                strcmp(json_string_value(json_object_get(e, "ecosystem")), eco) != 0)
                continue;
            want++;
            for (k = 0; k < n && strcmp(m[k].id, id) != 0; k++)
                ;
            if (k == n)
                fail_msg("%s %s %s: %s not found", eco, name, version, id);
            assert_int_equal(m[k].naliases, json_array_size(aliases));
            assert_int_equal(m[k].nfixed >= 1, 1);
        }
        if (n != want)
            fail_msg("%s %s %s: %zu advisories, expected %zu", eco, name, version, n, want);
        total += n;
    }
    assert_int_equal(total, 8);
    json_decref(pkgs);
    json_decref(expected);
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static void test_vulndb_details(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_real();
    struct fth_vulndb_match *m;
    struct fth_error err;
    size_t n;

    (void)state;
    assert_int_equal(
        fth_vulndb_match(&m, &n, a, db, "Maven", "commons-io:commons-io", "2.11.0", &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].id, "GHSA-78wr-2p64-hpwj");
    assert_int_equal(m[0].naliases, 1);
    assert_string_equal(m[0].aliases[0], "CVE-2024-47554");
    assert_int_equal(m[0].nfixed, 1);
    assert_string_equal(m[0].fixed[0], "2.14.0");
    assert_int_equal(m[0].nseverity, 2);
    assert_string_equal(m[0].severity[0].type, "CVSS_V3");
    assert_string_equal(m[0].severity[0].score, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
    assert_string_equal(m[0].source, "test");
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static void test_vulndb_boundaries(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_real();

    (void)state;
    /* installed == fixed is not affected; one below is */
    assert_string_equal(ids(a, db, "npm", "lodash", "4.17.21"), "");
    assert_string_equal(ids(a, db, "npm", "semver", "7.5.2"), "");
    assert_string_equal(ids(a, db, "npm", "semver", "7.5.1"), "GHSA-c2qf-rxjj-qqgw");
    assert_string_equal(ids(a, db, "PyPI", "pip", "23.3"), "");
    assert_string_equal(ids(a, db, "Maven", "commons-io:commons-io", "2.14.0"), "");
    assert_string_equal(ids(a, db, "Maven", "commons-io:commons-io", "2.14.0-SNAPSHOT"),
                        "GHSA-78wr-2p64-hpwj");
    /* last_affected is affected, the next version is not */
    assert_string_equal(ids(a, db, "npm", "lodash.trim", "4.5.1"), "GHSA-29mw-wpgm-hmr9");
    assert_string_equal(ids(a, db, "npm", "lodash.trim", "4.5.2"), "");
    /* minimist: two ranges */
    assert_string_equal(ids(a, db, "npm", "minimist", "1.2.6"), "");
    assert_string_equal(ids(a, db, "npm", "minimist", "0.2.3"), "GHSA-xvch-5gv4-984h");
    assert_string_equal(ids(a, db, "npm", "minimist", "0.2.4"), "");
    assert_string_equal(ids(a, db, "npm", "minimist", "1.0.0"), "GHSA-xvch-5gv4-984h");
    /* Go's stdlib by its SEMVER ranges */
    assert_int_equal(strstr(ids(a, db, "Go", "stdlib", "1.21.0"), "GO-2023-2041") != NULL, 1);
    assert_int_equal(strstr(ids(a, db, "Go", "stdlib", "1.21.1"), "GO-2023-2041") == NULL, 1);
    /* another ecosystem, an unknown package */
    assert_string_equal(ids(a, db, "PyPI", "lodash", "4.17.20"), "");
    assert_string_equal(ids(a, db, "npm", "no-such-package", "1.0.0"), "");
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static void test_vulndb_names_and_errors(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_real();
    struct fth_vulndb_match *m;
    struct fth_error err;
    size_t n;

    (void)state;
    /* PyPI compares names normalised; the alias "pypi" names the ecosystem */
    assert_string_equal(ids(a, db, "pypi", "Cryptography", "38.0.4"),
                        "PYSEC-2023-11,PYSEC-2023-254");
    assert_string_equal(ids(a, db, "PyPI", "py_yaml", "5.3"), "");
    assert_string_equal(ids(a, db, "PyPI", "PyYAML", "5.3"), ids(a, db, "PyPI", "pyyaml", "5.3"));
    assert_string_equal(ids(a, db, "PyPI", "PY.YAML", "5.3"), "");
    assert_string_equal(fth_vulndb_package_key(a, "PyPI", "Foo__Bar.-baz"), "foo-bar-baz");
    assert_string_equal(fth_vulndb_package_key(a, "npm", "Foo_Bar"), "Foo_Bar");
    /* npm names are exact */
    assert_string_equal(ids(a, db, "npm", "Lodash", "4.17.20"), "");
    assert_int_equal(fth_vulndb_match(&m, &n, a, db, "Nope", "x", "1", &err), FTH_EINVALID);
    assert_int_equal(fth_vulndb_match(&m, &n, a, db, "npm", "lodash", "not a version", &err),
                     FTH_EINVALID);
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static const char good[] = "id: TEST-1\n"
                           "modified: '2024-01-01T00:00:00Z'\n"
                           "aliases: [CVE-0000-1]\n"
                           "affected:\n"
                           "- package: {ecosystem: PyPI, name: demo}\n"
                           "  ranges:\n"
                           "  - type: ECOSYSTEM\n"
                           "    events: [{introduced: '0'}, {fixed: '2.0'}]\n";

static void test_vulndb_malformed(void **state)
{
    static const struct {
        const char *name, *text, *says;
    } bad[] = {
        {"list.json", "[1, 2]", "'(advisory)': expected a mapping, found a sequence"},
        {"noid.yaml", "modified: '2024-01-01T00:00:00Z'\n",
         "noid.yaml:1:1: 'id': expected a string, found nothing"},
        {"intid.json", "{\"id\": 12, \"modified\": \"2024-01-01T00:00:00Z\"}",
         "intid.json:1:8: 'id': expected a string, found an integer"},
        {"aff.yaml", "id: X-1\nmodified: '2024-01-01T00:00:00Z'\naffected: {a: 1}\n",
         "aff.yaml:3:11: 'affected': expected a sequence, found a mapping"},
        {"event.yaml",
         "id: X-2\nmodified: '2024-01-01T00:00:00Z'\naffected:\n- package: {ecosystem: npm, "
         "name: x}\n  ranges:\n  - type: SEMVER\n    events: [{broken: '1.0'}]\n",
         "'affected[0].ranges[0].events[0]': expected one of introduced"},
        {"noname.yaml",
         "id: X-3\nmodified: '2024-01-01T00:00:00Z'\naffected:\n- package: {ecosystem: npm}\n",
         "'affected[0].package.name': expected a string, found nothing"},
        {"syntax.yaml", "id: [unclosed\n", "syntax.yaml"},
        {"sev.json",
         "{\"id\": \"X-4\", \"modified\": \"2024-01-01T00:00:00Z\", \"severity\": [{\"type\": "
         "\"CVSS_V3\", \"score\": 7.5}]}",
         "'severity[].score': expected a string, found a number"},
    };
    const char *paths[1] = {tmpdir};
    struct fth_vulndb *db;
    struct fth_vulndb_import_stats st;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        write_file(bad[i].name, bad[i].text);
    write_file("good.yaml", good);
    write_file("ignored.txt", "not an advisory");
    db = open_db();
    st = import(db, paths, 1);
    assert_int_equal(st.files, 9);
    assert_int_equal(st.imported, 1);
    assert_int_equal(st.skipped, 8);
    assert_int_equal(nwarnings, 8);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (!strstr(warnings.ptr, bad[i].says) || !strstr(warnings.ptr, bad[i].name))
            fail_msg("no warning '%s' in:\n%s", bad[i].says, warnings.ptr);
    fth_vulndb_free(db);
}

static void test_vulndb_reimport(void **state)
{
    struct fth_arena *a = fth_arena_new();
    const char *paths[1];
    char path[512];
    struct fth_vulndb *db;
    struct fth_vulndb_import_stats st;
    struct fth_vulndb_info info;
    struct fth_error err;

    (void)state;
    snprintf(path, sizeof(path), "%s/a.yaml", tmpdir);
    paths[0] = path;
    write_file("a.yaml", good);
    db = open_db();
    st = import(db, paths, 1);
    assert_int_equal(st.imported, 1);
    assert_string_equal(ids(a, db, "PyPI", "demo", "1.9"), "TEST-1");
    /* the same again: nothing changes, nothing doubles */
    st = import(db, paths, 1);
    assert_int_equal(st.imported, 0);
    assert_int_equal(st.unchanged, 1);
    assert_string_equal(ids(a, db, "PyPI", "demo", "1.9"), "TEST-1");
    /* an older record (fraction of a second earlier) does not replace it */
    write_file("a.yaml", "id: TEST-1\nmodified: '2023-12-31T23:59:59.999Z'\naffected:\n"
                         "- package: {ecosystem: PyPI, name: demo}\n  versions: ['3.0']\n");
    st = import(db, paths, 1);
    assert_int_equal(st.unchanged, 1);
    assert_string_equal(ids(a, db, "PyPI", "demo", "3.0"), "");
    /* a newer one replaces the old ranges and aliases entirely */
    write_file("a.yaml", "id: TEST-1\nmodified: '2024-01-01T00:00:00.5Z'\naffected:\n"
                         "- package: {ecosystem: PyPI, name: demo}\n  versions: ['3.0']\n");
    st = import(db, paths, 1);
    assert_int_equal(st.updated, 1);
    assert_string_equal(ids(a, db, "PyPI", "demo", "1.9"), "");
    assert_string_equal(ids(a, db, "PyPI", "demo", "3.0"), "TEST-1");
    assert_int_equal(fth_vulndb_info(&info, a, db, &err), 0);
    assert_int_equal(info.advisories, 1);
    assert_int_equal(info.necosystems, 1);
    assert_int_equal(info.ecosystems[0].advisories, 1);
    fth_vulndb_free(db);
    fth_arena_free(a);
}

/* An unreadable path fails the import, and what came before it in the same import is gone. */
static void test_vulndb_failed_import(void **state)
{
    struct fth_arena *a = fth_arena_new();
    const char *paths[2];
    char good_path[512], missing[512];
    struct fth_vulndb *db;
    struct fth_vulndb_import_stats st;
    struct fth_vulndb_info info;
    struct fth_error err;

    (void)state;
    write_file("g.yaml", good);
    snprintf(good_path, sizeof(good_path), "%s/g.yaml", tmpdir);
    snprintf(missing, sizeof(missing), "%s/missing", tmpdir);
    paths[0] = good_path;
    paths[1] = missing;
    db = open_db();
    assert_int_equal(fth_vulndb_import(&st, db, paths, 2, NULL, &err), FTH_EIO);
    assert_non_null(strstr(err.message, "missing"));
    assert_int_equal(fth_vulndb_info(&info, a, db, &err), 0);
    assert_int_equal(info.advisories, 0);
    assert_int_equal(info.nsources, 0);
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static void test_vulndb_open(void **state)
{
    struct fth_vulndb *db = NULL;
    struct fth_error err;
    char path[512];

    (void)state;
    snprintf(path, sizeof(path), "%s/none.sqlite", tmpdir);
    assert_int_equal(fth_vulndb_open(&db, path, FTH_VULNDB_READONLY, &err), FTH_ENOTFOUND);
    assert_null(db);
    write_file("junk.sqlite", "this is not a database at all, not even close to one......");
    snprintf(path, sizeof(path), "%s/junk.sqlite", tmpdir);
    assert_true(fth_vulndb_open(&db, path, FTH_VULNDB_CREATE, &err) < 0);
    assert_null(db);
    db = open_db();
    fth_vulndb_free(db);
    assert_int_equal(fth_vulndb_open(&db, dbpath, FTH_VULNDB_READONLY, &err), 0);
    fth_vulndb_free(db);

    /* a schema 1 file (no distro columns): refused read-only, upgraded when opened to write */
    {
        static const char *const ghsa[] = {DATA "ghsa"};
        struct fth_arena *a = fth_arena_new();
        sqlite3 *sql;

        db = open_db();
        import(db, ghsa, 1);
        fth_vulndb_free(db);
        assert_int_equal(sqlite3_open(dbpath, &sql), SQLITE_OK);
        assert_int_equal(sqlite3_exec(sql,
                                      "ALTER TABLE affected DROP COLUMN status;"
                                      "ALTER TABLE affected DROP COLUMN severity;"
                                      "PRAGMA user_version=1",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
        sqlite3_close(sql);
        assert_int_equal(fth_vulndb_open(&db, dbpath, FTH_VULNDB_READONLY, &err), FTH_EINVALID);
        assert_non_null(strstr(err.message, "schema 1 is upgraded"));
        db = open_db();
        fth_vulndb_free(db);
        assert_int_equal(fth_vulndb_open(&db, dbpath, FTH_VULNDB_READONLY, &err), 0);
        assert_string_equal(ids(a, db, "npm", "lodash", "4.17.20"),
                            "GHSA-29mw-wpgm-hmr9,GHSA-35jh-r3h4-6jhm");
        fth_vulndb_free(db);
        fth_arena_free(a);
    }
}

static int by_text(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* A stored row, decoded in the test itself from the database file. */
struct ref_row {
    char *eco, *key, *package, *id;
    struct fth_osv_range *ranges;
    size_t nranges;
    const char **versions;
    size_t nversions;
};

static void ref_decode(struct ref_row *r, json_t *ranges, json_t *versions)
{
    size_t i, j;

    r->nranges = json_array_size(ranges);
    r->ranges = calloc(r->nranges + 1, sizeof(*r->ranges));
    for (i = 0; i < r->nranges; i++) {
        json_t *rg = json_array_get(ranges, i), *evs = json_object_get(rg, "events");
        const char *type = json_string_value(json_object_get(rg, "type"));
        struct fth_osv_event *e = calloc(json_array_size(evs) + 1, sizeof(*e));

        r->ranges[i].type = !strcmp(type, "ECOSYSTEM") ? FTH_OSV_ECOSYSTEM
                            : !strcmp(type, "SEMVER")  ? FTH_OSV_SEMVER
                                                       : FTH_OSV_GIT;
        for (j = 0; j < json_array_size(evs); j++) {
            const char *k = json_object_iter_key(json_object_iter(json_array_get(evs, j)));

            e[j].kind = !strcmp(k, "introduced")      ? FTH_OSV_INTRODUCED
                        : !strcmp(k, "fixed")         ? FTH_OSV_FIXED
                        : !strcmp(k, "last_affected") ? FTH_OSV_LAST_AFFECTED
                                                      : FTH_OSV_LIMIT;
            e[j].version = strdup(json_string_value(
                json_object_iter_value(json_object_iter(json_array_get(evs, j)))));
        }
        r->ranges[i].events = e;
        r->ranges[i].len = json_array_size(evs);
    }
    r->nversions = json_array_size(versions);
    r->versions = calloc(r->nversions + 1, sizeof(*r->versions));
    for (i = 0; i < r->nversions; i++)
        r->versions[i] = strdup(json_string_value(json_array_get(versions, i)));
}

/*
 * The lookups' in-memory index (events sorted once, binary search, numeric fast paths) against
 * fth_osv_affected over the stored rows, for every version any range of a package names, in
 * the whole Go vulndb, the PyPA database and the GHSA records.
 */
static void test_vulndb_index_agrees(void **state)
{
    static const char *const paths[] = {DATA "full/go-vulndb-data-osv.tar.gz",
                                        DATA "full/pypa-advisory-database-vulns.tar.gz",
                                        DATA "ghsa"};
    struct fth_vulndb *db = open_db();
    struct fth_arena *a = fth_arena_new();
    struct ref_row *rows = NULL;
    sqlite3 *sql = NULL;
    sqlite3_stmt *st = NULL;
    const char **probe = NULL;
    size_t n = 0, cap = 0, i, j, k, e, p, probes = 0, hits = 0, start, nprobe, capprobe = 0;

    (void)state;
    import(db, paths, 3);
    assert_int_equal(sqlite3_open_v2(dbpath, &sql, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(sql,
                                        "SELECT af.ecosystem, af.package_key, af.package, "
                                        "af.advisory_id, af.ranges, af.versions FROM affected af "
                                        "JOIN advisory ad ON ad.id = af.advisory_id WHERE "
                                        "ad.withdrawn IS NULL AND af.release = '' ORDER BY "
                                        "af.ecosystem, af.package_key, af.advisory_id, af.id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *ranges = json_loads((const char *)sqlite3_column_text(st, 4), 0, NULL);
        json_t *versions = json_loads((const char *)sqlite3_column_text(st, 5), 0, NULL);

        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            struct ref_row *grown = realloc(rows, cap * sizeof(*rows));

            assert_non_null(grown);
            rows = grown;
        }
        memset(&rows[n], 0, sizeof(rows[n]));
        rows[n].eco = strdup((const char *)sqlite3_column_text(st, 0));
        rows[n].key = strdup((const char *)sqlite3_column_text(st, 1));
        rows[n].package = strdup((const char *)sqlite3_column_text(st, 2));
        rows[n].id = strdup((const char *)sqlite3_column_text(st, 3));
        ref_decode(&rows[n++], ranges, versions);
        json_decref(ranges);
        json_decref(versions);
    }
    sqlite3_finalize(st);
    sqlite3_close(sql);
    assert_true(n > 8000);
    for (start = 0; start < n; start = i) {
        enum fth_ecosystem eco;

        for (i = start; i < n && !strcmp(rows[i].eco, rows[start].eco) &&
                        !strcmp(rows[i].key, rows[start].key);
             i++)
            ;
        if (fth_ecosystem_parse(&eco, rows[start].eco) < 0)
            continue;
        /* each version the package's ranges name, once */
        nprobe = 0;
        for (j = start; j < i; j++)
            for (k = 0; k < rows[j].nranges; k++)
                for (e = 0; e < rows[j].ranges[k].len; e++) {
                    if (nprobe == capprobe) {
                        capprobe = capprobe ? capprobe * 2 : 64;
                        const char **grown = realloc(probe, capprobe * sizeof(*probe));

                        assert_non_null(grown);
                        probe = grown;
                    }
                    probe[nprobe++] = rows[j].ranges[k].events[e].version;
                }
        qsort(probe, nprobe, sizeof(*probe), by_text);
        for (p = 0; p < nprobe; p++) {
            struct fth_buf want = FTH_BUF_INIT, got = FTH_BUF_INIT;
            struct fth_vulndb_match *m;
            struct fth_error err;
            const char *last = "";
            size_t nm, r, x;

            if (p && !strcmp(probe[p], probe[p - 1]))
                continue;
            fth_arena_reset(a);
            if (fth_vulndb_match(&m, &nm, a, db, rows[start].eco, rows[start].package, probe[p],
                                 &err) < 0)
                continue; /* not a version the lookup takes */
            for (r = start; r < i; r++) {
                int hit = 0;

                if (fth_osv_affected(&hit, eco, probe[p], rows[r].ranges, rows[r].nranges,
                                     rows[r].versions, rows[r].nversions, NULL) < 0 ||
                    !hit || !strcmp(last, rows[r].id))
                    continue;
                last = rows[r].id;
                fth_buf_printf(&want, "%s ", rows[r].id);
            }
            for (x = 0; x < nm; x++)
                fth_buf_printf(&got, "%s ", m[x].id);
            if (strcmp(want.ptr ? want.ptr : "", got.ptr ? got.ptr : "") != 0)
                fail_msg("%s %s %s: want '%s', got '%s'", rows[start].eco, rows[start].package,
                         probe[p], want.ptr ? want.ptr : "", got.ptr ? got.ptr : "");
            probes++;
            hits += nm;
            fth_buf_release(&want);
            fth_buf_release(&got);
        }
    }
    /* 6981 distinct (package, version) probes and 103880 matches when written */
    assert_true(probes > 6900);
    assert_true(hits > 100000);
    for (i = 0; i < n; i++) {
        for (j = 0; j < rows[i].nranges; j++) {
            for (k = 0; k < rows[i].ranges[j].len; k++)
                free((char *)rows[i].ranges[j].events[k].version);
            free((void *)rows[i].ranges[j].events);
        }
        for (j = 0; j < rows[i].nversions; j++)
            free((char *)rows[i].versions[j]);
        free(rows[i].ranges);
        free(rows[i].versions);
        free(rows[i].eco);
        free(rows[i].key);
        free(rows[i].package);
        free(rows[i].id);
    }
    free(rows);
    free(probe);
    fth_arena_free(a);
    fth_vulndb_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vulndb_index_agrees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vulndb_import_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vulndb_fixture_findings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vulndb_details, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vulndb_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vulndb_names_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vulndb_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vulndb_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vulndb_failed_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vulndb_open, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
