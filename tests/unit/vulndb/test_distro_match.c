/*
 * vulndb: distro matching by release and source package (fth_vulndb_lookup).
 *
 * Debian: the shared data holds no tracker snapshot covering bookworm's pending security
 * fixes, so the test writes a tracker document from the expectation file itself
 * (bookworm-minbase.pending-security-updates.jsonl: per installed package, its source, the
 * installed source version and the ids fixed after it), adds a fix at exactly the installed
 * version (not vulnerable) and an open issue for another release (not matched), imports it
 * through the tracker importer, and looks every package up by its BINARY name and source:
 * the ids, fixed versions and status must be the expected ones, under "bookworm", "12" and
 * "12.12" alike, and nothing at the version bookworm-security ships.
 *
 * Alpine: the alpine-secdb repository by branch ("3.10.9", "v3.10", "3.11"), an origin
 * package looked up by a subpackage's name (libcrypto1.1 of openssl), each branch seeing
 * only its own fixes.
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

#include "fathom/vulndb.h"
#include "unit/vulndb/vulndb_fixture.h"

#define PENDING DATA "debian/bookworm-minbase.pending-security-updates.jsonl"

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

    if (fth_vulndb_import(&stats, db, &path, 1, NULL, &err) < 0)
        fail_msg("import %s: %s", path, err.message);
    return stats;
}

/* "id status fixed release" of each match, joined by '|' */
static const char *query(struct fth_arena *a, struct fth_vulndb *db, const char *eco,
                         const char *release, const char *pkg, const char *source,
                         const char *version)
{
    struct fth_vulndb_match_opts opts = FTH_VULNDB_MATCH_OPTS_INIT;
    struct fth_vulndb_match *m;
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    const char *s;
    size_t n, i, j;

    opts.release = release;
    opts.source = source;
    if (fth_vulndb_lookup(&m, &n, a, db, eco, pkg, version, &opts, &err) < 0)
        fail_msg("lookup %s %s %s: %s", release, pkg, version, err.message);
    for (i = 0; i < n; i++) {
        fth_buf_printf(&b, "%s%s %s ", i ? "|" : "", m[i].id, m[i].status);
        for (j = 0; j < m[i].nfixed; j++)
            fth_buf_printf(&b, "%s%s", j ? "," : "", m[i].fixed[j]);
        fth_buf_printf(&b, "%s %s", m[i].nfixed ? "" : "-", m[i].release);
    }
    s = fth_arena_strdup(a, b.ptr ? b.ptr : "");
    fth_buf_release(&b);
    return s;
}

static int by_id(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void test_distro_debian_pending(void **state)
{
    static const char *const releases[] = {"bookworm", "12", "12.12"};
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st;
    json_t *doc = json_object(), *rows = json_array(), *row, *cve;
    char path[400], line[16384];
    size_t i, j, r, ids = 0;
    FILE *f;

    (void)state;
    assert_non_null(f = fopen(PENDING, "r"));
    while (fgets(line, sizeof(line), f)) {
        json_t *pkg;
        const char *source;

        assert_non_null(row = json_loads(line, 0, NULL));
        json_array_append_new(rows, row);
        source = json_string_value(json_object_get(row, "source"));
        if (!(pkg = json_object_get(doc, source))) {
            pkg = json_object();
            json_object_set_new(doc, source, pkg);
        }
        json_array_foreach(json_object_get(row, "cves_fixed_after_installed"), i, cve)
        {
            json_object_set_new(pkg, json_string_value(json_object_get(cve, "id")),
                                json_pack("{s:s,s:{s:{s:s,s:O,s:s},s:{s:s,s:s}}}", "description",
                                          "pending", "releases", "bookworm", "status", "resolved",
                                          "fixed_version", json_object_get(cve, "fixed_in"),
                                          "urgency", "medium**", "trixie", "status", "open",
                                          "urgency", "low"));
            ids++;
        }
        /* fixed at exactly the installed version: not vulnerable */
        json_object_set_new(pkg, "CVE-1999-0001",
                            json_pack("{s:{s:{s:s,s:O}}}", "releases", "bookworm", "status",
                                      "resolved", "fixed_version",
                                      json_object_get(row, "installed_source_version")));
    }
    fclose(f);
    assert_int_equal(json_array_size(rows), 5);
    assert_int_equal(ids, 17);
    snprintf(path, sizeof(path), "%s/tracker.json", tmpdir);
    assert_int_equal(json_dump_file(doc, path, JSON_INDENT(1)), 0);
    st = import1(db, path);
    assert_int_equal(st.skipped, 0);
    /* CVE-1999-0001 is one advisory: new with the first package, gaining rows after */
    assert_int_equal(st.imported, 17 + 1);
    assert_int_equal(st.updated, 4);

    json_array_foreach(rows, i, row)
    {
        const char *binary = json_string_value(json_object_get(row, "package"));
        const char *source = json_string_value(json_object_get(row, "source"));
        const char *installed = json_string_value(json_object_get(row, "installed_source_version"));
        const char *update =
            json_string_value(json_object_get(row, "available_in_bookworm_security"));
        json_t *cves = json_object_get(row, "cves_fixed_after_installed");
        const char *want_ids[32] = {NULL};
        struct fth_buf want = FTH_BUF_INIT;
        size_t n = json_array_size(cves);

        assert_true(n < 32);
        for (j = 0; j < n; j++)
            want_ids[j] = json_string_value(json_object_get(json_array_get(cves, j), "id"));
        qsort(want_ids, n, sizeof(*want_ids), by_id);
        for (j = 0; j < n; j++) {
            const char *fixed = NULL;
            size_t k;

            for (k = 0; k < n; k++)
                if (!strcmp(json_string_value(json_object_get(json_array_get(cves, k), "id")),
                            want_ids[j]))
                    fixed = json_string_value(json_object_get(json_array_get(cves, k), "fixed_in"));
            fth_buf_printf(&want, "%sDEBIAN-%s fixed %s bookworm", j ? "|" : "", want_ids[j],
                           fixed);
        }
        for (r = 0; r < 3; r++) {
            assert_string_equal(query(a, db, "Debian", releases[r], binary, source, installed),
                                want.ptr ? want.ptr : "");
            assert_string_equal(query(a, db, "deb", releases[r], binary, source, update), "");
        }
        /* by the binary name alone the source's advisories are not found (unless they
         * are one) */
        if (strcmp(binary, source) != 0)
            assert_string_equal(query(a, db, "Debian", "bookworm", binary, NULL, installed), "");
        fth_buf_release(&want);
    }
    /* perl-base: 13 pending, all fixed in 5.36.0-7+deb12u4; trixie has them open */
    assert_non_null(
        strstr(query(a, db, "Debian", "trixie", "perl-base", "perl", "5.36.0-7+deb12u4"),
               "DEBIAN-CVE-2026-7017 unfixed - trixie"));
    json_decref(rows);
    json_decref(doc);
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static void test_distro_alpine_branch(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();

    (void)state;
    import1(db, DATA "alpine/alpine-secdb");
    /* 1.1.1d-r0 is v3.10's fix; v3.11 fixed more, later */
    assert_string_equal(query(a, db, "Alpine", "3.10.9", "libcrypto1.1", "openssl", "1.1.1d-r0"),
                        "");
    assert_string_equal(query(a, db, "Alpine", "v3.10", "libcrypto1.1", "openssl", "1.1.1c-r0"),
                        "ALPINE-CVE-2019-1547 fixed 1.1.1d-r0 v3.10|"
                        "ALPINE-CVE-2019-1549 fixed 1.1.1d-r0 v3.10|"
                        "ALPINE-CVE-2019-1563 fixed 1.1.1d-r0 v3.10");
    assert_string_equal(query(a, db, "apk", "3.11", "libcrypto1.1", "openssl", "1.1.1d-r0"),
                        "ALPINE-CVE-2019-1547 fixed 1.1.1d-r1 v3.11|"
                        "ALPINE-CVE-2019-1549 fixed 1.1.1d-r1 v3.11|"
                        "ALPINE-CVE-2019-1551 fixed 1.1.1d-r3 v3.11|"
                        "ALPINE-CVE-2019-1563 fixed 1.1.1d-r1 v3.11");
    /* one advisory, a fix per branch: each branch sees its own */
    assert_string_equal(query(a, db, "Alpine", "3.10.3", "musl", NULL, "1.1.22-r3"), "");
    assert_string_equal(query(a, db, "Alpine", "3.11.5", "musl", "", "1.1.22-r3"),
                        "ALPINE-CVE-2019-14697 fixed 1.1.23-r2 v3.11");
    /* "Alpine:v3.10" still works, and a release in opts overrides it */
    assert_string_equal(query(a, db, "Alpine:v3.10", NULL, "musl", NULL, "1.1.22-r2"),
                        "ALPINE-CVE-2019-14697 fixed 1.1.22-r3 v3.10");
    assert_string_equal(query(a, db, "Alpine:v3.10", "v3.11", "musl", NULL, "1.1.23-r1"),
                        "ALPINE-CVE-2019-14697 fixed 1.1.23-r2 v3.11");
    /* a branch the data does not have: only release-less entries could match */
    assert_string_equal(query(a, db, "Alpine", "3.20.3", "musl", NULL, "1.1.22-r2"), "");
    fth_vulndb_free(db);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_distro_debian_pending, setup, teardown),
        cmocka_unit_test_setup_teardown(test_distro_alpine_branch, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
