/*
 * vulndb: the Debian importers. The whole DSA and DLA lists of the shared security-tracker
 * snapshot (5406 DSAs, 3534 DLAs): every "[release] - source version" line the derived
 * *.all.jsonl files record comes back from a distro lookup with its fixed version and the
 * CVEs as aliases, and the fixed version itself is not affected. The tracker JSON sample (the
 * osv.dev mock, apparmor): one advisory per CVE, a status and urgency per release, Debian's
 * numbers and code names alike; re-import rewrites only what changed; bad entries are
 * skipped with warnings naming file and line.
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

#define TRACKER DATA "debian/security-tracker-2023-04/"
#define MOCK                                                                                       \
    DATA "format-samples/google+osv.dev/vulnfeeds/test_data/debian/"                               \
         "debian_security_tracker_mock.json"

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

static const struct fth_vulndb_match *lookup(size_t *n, struct fth_arena *a, struct fth_vulndb *db,
                                             const char *release, const char *pkg,
                                             const char *version, unsigned flags)
{
    struct fth_vulndb_match_opts opts = FTH_VULNDB_MATCH_OPTS_INIT;
    struct fth_vulndb_match *m;
    struct fth_error err;

    opts.release = release;
    opts.flags = flags;
    if (fth_vulndb_lookup(&m, n, a, db, "Debian", pkg, version, &opts, &err) < 0)
        fail_msg("lookup %s %s %s: %s", release, pkg, version, err.message);
    return m;
}

static const struct fth_vulndb_match *find(const struct fth_vulndb_match *m, size_t n,
                                           const char *id)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(m[i].id, id))
            return &m[i];
    return NULL;
}

/* "id status fixed,... release severity" of each match, joined by '|' */
static const char *describe(struct fth_arena *a, const struct fth_vulndb_match *m, size_t n)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *s;
    size_t i, j;

    for (i = 0; i < n; i++) {
        fth_buf_printf(&b, "%s%s %s ", i ? "|" : "", m[i].id, m[i].status);
        for (j = 0; j < m[i].nfixed; j++)
            fth_buf_printf(&b, "%s%s", j ? "," : "", m[i].fixed[j]);
        fth_buf_printf(&b, "%s %s %s", m[i].nfixed ? "" : "-", m[i].release, m[i].distro_severity);
    }
    s = fth_arena_strdup(a, b.ptr ? b.ptr : "");
    fth_buf_release(&b);
    return s;
}

static int has_fixed(const struct fth_vulndb_match *m, const char *version)
{
    size_t i;

    for (i = 0; i < m->nfixed; i++)
        if (!strcmp(m->fixed[i], version))
            return 1;
    return 0;
}

/* Every recorded fix of one derived jsonl file; counts the fixes checked by kind. */
static void check_list(struct fth_vulndb *db, const char *jsonl, size_t counts[4])
{
    FILE *f = fopen(jsonl, "r");
    char line[65536];

    assert_non_null(f);
    while (fgets(line, sizeof(line), f)) {
        json_t *r = json_loads(line, 0, NULL), *notes, *fixed, *x;
        const char *id = json_string_value(json_object_get(r, "id"));
        int skip = 0;
        size_t i, j;

        assert_non_null(r);
        /* the derivation took some headers without " - " for notes of the entry before */
        notes = json_object_get(r, "notes");
        for (i = 0; i < json_array_size(notes); i++)
            skip |= json_string_value(json_array_get(notes, i))[0] == '[';
        fixed = json_object_get(r, "fixed");
        for (i = 0; !skip && i < json_array_size(fixed); i++) {
            struct fth_arena *a = fth_arena_new();
            const char *release, *source, *version;
            const struct fth_vulndb_match *m, *hit;
            json_t *cves = json_object_get(r, "cves");
            size_t n;

            x = json_array_get(fixed, i);
            release = json_string_value(json_object_get(x, "release"));
            source = json_string_value(json_object_get(x, "source"));
            version = json_string_value(json_object_get(x, "version"));
            if (version[0] != '<') {
                m = lookup(&n, a, db, release, source, "0~~~~", 0);
                if (!(hit = find(m, n, id)) || !has_fixed(hit, version) ||
                    strcmp(hit->status, "fixed") != 0 || strcmp(hit->release, release) != 0)
                    fail_msg("%s %s %s %s: %s", id, release, source, version, describe(a, m, n));
                /* the aliases are the CVEs, in order */
                assert_int_equal(hit->naliases, json_array_size(cves));
                m = lookup(&n, a, db, release, source, version, 0);
                if (find(m, n, id))
                    fail_msg("%s: %s %s affected at its fixed version", id, source, version);
                counts[0]++;
            } else {
                unsigned flags =
                    !strcmp(version, "<not-affected>") ? FTH_VULNDB_MATCH_NOT_AFFECTED : 0;
                const char *want = !strcmp(version, "<not-affected>") ? "not-affected"
                                   : !strcmp(version, "<unfixed>")    ? "unfixed"
                                                                      : "end-of-life";

                m = lookup(&n, a, db, release, source, "99:99", flags);
                if (!(hit = find(m, n, id)) || strcmp(hit->status, want) != 0)
                    fail_msg("%s %s %s %s: %s", id, release, source, version, describe(a, m, n));
                if (flags) {
                    m = lookup(&n, a, db, release, source, "99:99", 0);
                    assert_null(find(m, n, id));
                }
                counts[!strcmp(want, "not-affected") ? 1 : !strcmp(want, "unfixed") ? 2 : 3]++;
            }
            for (j = 0; j < hit->naliases; j++)
                assert_non_null(strstr(line, hit->aliases[j]));
            fth_arena_free(a);
        }
        json_decref(r);
    }
    fclose(f);
}

static void test_debian_lists(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st;
    struct fth_vulndb_info info;
    struct fth_error err;
    size_t counts[4] = {0, 0, 0, 0}, n;
    const struct fth_vulndb_match *m;

    (void)state;
    st = import1(db, TRACKER "DSA-list");
    assert_int_equal(st.files, 1);
    assert_int_equal(st.imported, 5406);
    st = import1(db, TRACKER "DLA-list");
    assert_int_equal(st.imported, 3534);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(nwarnings, 0);
    /* again: nothing new, nothing doubled */
    st = import1(db, TRACKER "DSA-list");
    assert_int_equal(st.unchanged, 5406);
    assert_int_equal(st.imported + st.updated, 0);
    assert_int_equal(fth_vulndb_info(&info, a, db, &err), 0);
    assert_int_equal(info.advisories, 5406 + 3534);
    assert_int_equal(info.nsources, 1);
    assert_string_equal(info.sources[0].name, "debian");

    check_list(db, TRACKER "DSA-list.all.jsonl", counts);
    check_list(db, TRACKER "DLA-list.all.jsonl", counts);
    assert_int_equal(counts[0], 9938); /* fixed versions */
    assert_int_equal(counts[1], 51);   /* <not-affected> */
    assert_int_equal(counts[2], 3);    /* <unfixed> */
    assert_int_equal(counts[3], 5);    /* <end-of-life> */

    /* the newest DSA, by number and by code name, with its date and title */
    m = lookup(&n, a, db, "11", "xorg-server", "2:1.20.11-1+deb11u5", 0);
    assert_string_equal(describe(a, m, n), "DSA-5380-1 fixed 2:1.20.11-1+deb11u6 bullseye ");
    assert_string_equal(m[0].published, "2023-03-29T00:00:00Z");
    assert_string_equal(m[0].summary, "xorg-server - security update");
    assert_string_equal(m[0].aliases[0], "CVE-2023-1393");
    m = lookup(&n, a, db, "bullseye", "xorg-server", "2:1.20.11-1+deb11u6", 0);
    assert_int_equal(n, 0);
    /* a header without " - " is still an advisory */
    m = lookup(&n, a, db, "5.0", "git-core", "1:1.5.6.5-3+lenny3", 0);
    assert_string_equal(describe(a, m, n), "DSA-2114-1 fixed 1:1.5.6.5-3+lenny3.1 lenny ");
    assert_string_equal(m[0].summary, "git-core");
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static void test_debian_tracker(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st;
    const struct fth_vulndb_match *m;
    json_error_t jerr;
    json_t *doc, *cves, *rel;
    char path[400];
    size_t n;

    (void)state;
    st = import1(db, MOCK);
    assert_int_equal(st.files, 1);
    assert_int_equal(st.imported, 3);
    assert_int_equal(st.skipped, 0);
    m = lookup(&n, a, db, "bookworm", "apparmor", "3.0.8-3", 0);
    assert_string_equal(describe(a, m, n), "DEBIAN-CVE-2016-1585 unfixed - bookworm unimportant");
    assert_string_equal(m[0].aliases[0], "CVE-2016-1585");
    assert_string_equal(m[0].summary,
                        "In all versions of AppArmor mount rules are accidentally widened when "
                        "compiled.");
    assert_string_equal(m[0].source, "debian");
    /* 12 is bookworm; below the fix of CVE-2017-6507 */
    m = lookup(&n, a, db, "12", "apparmor", "2.11.0-2", 0);
    assert_string_equal(describe(a, m, n),
                        "DEBIAN-CVE-2016-1585 unfixed - bookworm unimportant|"
                        "DEBIAN-CVE-2017-6507 fixed 2.11.0-3 bookworm not yet assigned");
    /* fixed_version "0": never affected, shown only when asked for */
    m = lookup(&n, a, db, "12.5", "apparmor", "3.0.8-3", FTH_VULNDB_MATCH_NOT_AFFECTED);
    assert_string_equal(describe(a, m, n),
                        "DEBIAN-CVE-2014-1424 not-affected - bookworm unimportant|"
                        "DEBIAN-CVE-2016-1585 unfixed - bookworm unimportant");
    m = lookup(&n, a, db, "trixie", "apparmor", "3.0.8-3", 0);
    assert_string_equal(describe(a, m, n),
                        "DEBIAN-CVE-2016-1585 fixed 3.0.12-1 trixie unimportant");
    m = lookup(&n, a, db, "13", "apparmor", "3.0.12-1", 0);
    assert_int_equal(n, 0);

    st = import1(db, MOCK);
    assert_int_equal(st.unchanged, 3);
    assert_int_equal(st.imported + st.updated + st.skipped, 0);

    /* a later tracker: CVE-2016-1585 fixed in bookworm (an NVD urgency), ignored in
     * bullseye; two broken entries */
    doc = json_load_file(MOCK, 0, &jerr);
    assert_non_null(doc);
    cves = json_object_get(doc, "apparmor");
    rel = json_object_get(json_object_get(json_object_get(cves, "CVE-2016-1585"), "releases"),
                          "bookworm");
    json_object_set_new(rel, "status", json_string("resolved"));
    json_object_set_new(rel, "fixed_version", json_string("3.0.8-4"));
    json_object_set_new(rel, "urgency", json_string("low**"));
    rel = json_object_get(json_object_get(json_object_get(cves, "CVE-2016-1585"), "releases"),
                          "bullseye");
    json_object_set_new(rel, "nodsa_reason", json_string("ignored"));
    json_object_set_new(cves, "CVE-2099-0001", json_pack("{s:s}", "releases", "x"));
    json_object_set_new(cves, "CVE-2099-0002",
                        json_pack("{s:{s:{s:s,s:s}}}", "releases", "sid", "status", "resolved",
                                  "fixed_version", "not a version"));
    snprintf(path, sizeof(path), "%s/tracker.json", tmpdir);
    assert_int_equal(json_dump_file(doc, path, JSON_INDENT(2)), 0);
    json_decref(doc);
    st = import1(db, path);
    assert_int_equal(st.updated, 1);
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(st.imported, 0);
    assert_int_equal(st.skipped, 2);
    assert_int_equal(nwarnings, 2);
    assert_non_null(strstr(warnings.ptr, "tracker.json:2: 'apparmor.CVE-2099-0001.releases': "
                                         "expected an object; entry skipped"));
    assert_non_null(strstr(warnings.ptr, "tracker.json:2: 'apparmor.CVE-2099-0002.releases.sid."
                                         "fixed_version': expected a Debian version; entry "
                                         "skipped"));
    m = lookup(&n, a, db, "bookworm", "apparmor", "3.0.8-3", 0);
    assert_string_equal(describe(a, m, n), "DEBIAN-CVE-2016-1585 fixed 3.0.8-4 bookworm low");
    m = lookup(&n, a, db, "bullseye", "apparmor", "2.13.6-10", 0);
    assert_string_equal(describe(a, m, n),
                        "DEBIAN-CVE-2016-1585 will-not-fix - bullseye unimportant");
    m = lookup(&n, a, db, "bookworm", "apparmor", "3.0.8-4", 0);
    assert_int_equal(n, 0);
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static void test_debian_malformed_list(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st;
    const struct fth_vulndb_match *m;
    char path[400];
    FILE *f;
    size_t n;

    (void)state;
    snprintf(path, sizeof(path), "%s/list", tmpdir);
    assert_non_null(f = fopen(path, "w"));
    fputs("[01 Jan 2099] DSA-9999-1 demo - security update\n"
          "\t{CVE-2099-1 CVE-2099-2}\n"
          "\t[bookworm] - demo 1.0-1+deb12u1\n"
          "\t[trixie] - demo not/a/version\n"
          "\t[sid] demo 1.0-2\n"
          "\tsomething else\n"
          "[31 Foo 2099] DSA-9999-2 demo - bad date\n"
          "\t[bookworm] - demo 2.0-1\n",
          f);
    fclose(f);
    st = import1(db, path);
    assert_int_equal(st.imported, 1);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(nwarnings, 4);
    assert_non_null(strstr(warnings.ptr, "list:4: 'not/a/version' is not a Debian version; "
                                         "line skipped"));
    assert_non_null(strstr(warnings.ptr, "list:5: expected '[release] - source version'; "
                                         "line skipped"));
    assert_non_null(strstr(warnings.ptr, "list:6: expected '{CVE...}', '[release] - source "
                                         "version' or 'NOTE:'; line skipped"));
    assert_non_null(strstr(warnings.ptr, "list:7: expected '[dd Mon yyyy] DSA-n-m package - "
                                         "title'; line skipped"));
    m = lookup(&n, a, db, "bookworm", "demo", "1.0-1", 0);
    assert_string_equal(describe(a, m, n), "DSA-9999-1 fixed 1.0-1+deb12u1 bookworm ");
    assert_int_equal(m[0].naliases, 2);
    fth_vulndb_free(db);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_debian_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_debian_tracker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_debian_malformed_list, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
