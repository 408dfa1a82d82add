/*
 * vulndb: the RustSec importer. The TOML reader on the constructs the advisory-db uses and the
 * ones it refuses (with file:line); the 29 advisories of the shared rust/crates directory and
 * the whole advisory-db archive (1205 advisories, 13 withdrawn, 908 crates, as counted from
 * the files by Python's tomllib); matching by "patched"/"unaffected" requirements; re-import
 * by content and date; malformed advisories skipped with a warning.
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
#include "fathom/value.h"
#include "vulndb/vulndb_int.h"
#include "unit/vulndb/vulndb_fixture.h"

static struct fth_vulndb *open_db(void)
{
    struct fth_vulndb *db = NULL;
    struct fth_error err;

    if (fth_vulndb_open(&db, dbpath, FTH_VULNDB_CREATE, &err) < 0)
        fail_msg("open: %s", err.message);
    return db;
}

static struct fth_vulndb_import_stats import1(struct fth_vulndb *db, const char *path,
                                              const char *source)
{
    struct fth_vulndb_import_stats stats;
    struct fth_error err;

    if (fth_vulndb_import(&stats, db, &path, 1, source, &err) < 0)
        fail_msg("import %s: %s", path, err.message);
    return stats;
}

/* The ids matching, joined by ','; with fixed versions after ':' when `fixed`. */
static const char *ids(struct fth_arena *a, struct fth_vulndb *db, const char *pkg,
                       const char *version, int fixed)
{
    struct fth_vulndb_match *m;
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    const char *s;
    size_t n, i, j;

    if (fth_vulndb_match(&m, &n, a, db, "crates.io", pkg, version, &err) < 0)
        fail_msg("match %s %s: %s", pkg, version, err.message);
    for (i = 0; i < n; i++) {
        fth_buf_printf(&b, "%s%s", i ? "," : "", m[i].id);
        for (j = 0; fixed && j < m[i].nfixed; j++)
            fth_buf_printf(&b, "%c%s", j ? ';' : ':', m[i].fixed[j]);
    }
    s = fth_arena_strdup(a, b.ptr ? b.ptr : "");
    fth_buf_release(&b);
    return s;
}

static void write_file(const char *name, const char *text)
{
    char path[400];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    assert_non_null(f = fopen(path, "w"));
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static const char *toml_json(struct fth_arena *a, const char *text, const char **error)
{
    struct fth_value *v;
    struct fth_error err;
    struct fth_buf b = FTH_BUF_INIT;
    const char *s = NULL;

    fth_error_clear(&err);
    *error = NULL;
    if (vulndb_toml_parse(&v, a, "t.md", 2, text, strlen(text), &err) < 0) {
        *error = fth_arena_strdup(a, err.message);
        return NULL;
    }
    assert_int_equal(fth_value_to_json(&b, v, 0), 0);
    s = fth_arena_strdup(a, b.ptr);
    fth_buf_release(&b);
    return s;
}

static void test_rustsec_toml(void **state)
{
    static const struct {
        const char *text, *json, *error;
    } cases[] = {
        {"[advisory]\nid = \"RUSTSEC-1\" # c\ndate = 2021-01-02\n\n[versions]\npatched = [\n"
         "  \">= 1.2\", # fix\n  '^0.4',\n]\n",
         "{\"advisory\":{\"id\":\"RUSTSEC-1\",\"date\":\"2021-01-02\"},"
         "\"versions\":{\"patched\":[\"\\u003e= 1.2\",\"^0.4\"]}}",
         NULL},
        {"[affected.functions]\n\"a::b\" = [\"< 1\"]\n[affected]\nos = [\"linux\"]\n",
         "{\"affected\":{\"functions\":{\"a::b\":[\"\\u003c 1\"]},\"os\":[\"linux\"]}}", NULL},
        {"[affected]\nfunctions = { \"x::y\" = [\"< 0.1.2, >= 0.0.9\"] }\n",
         "{\"affected\":{\"functions\":{\"x::y\":[\"\\u003c 0.1.2, \\u003e= 0.0.9\"]}}}", NULL},
        {"a.b = 1\nc = true\nd = -7\ne = \"\\u00e9\\t\"\nf = '''\nraw\\n'''\n"
         "g = \"\"\"\none \\\n   two\"\"\"\n",
         "{\"a\":{\"b\":1},\"c\":true,\"d\":-7,\"e\":\"\xc3\xa9\\t\",\"f\":\"raw\\\\n\","
         "\"g\":\"one two\"}",
         NULL},
        {"a = 1\na = 2\n", NULL, "t.md:3: key 'a' defined twice"},
        {"[t]\n[t]\n", NULL, "t.md:3: table 't' defined twice"},
        {"a = 1.5\n", NULL,
         "t.md:2: only strings, integers, booleans, dates, arrays and tables are read"},
        {"[[x]]\n", NULL, "t.md:2: arrays of tables ('[[...]]') are not read"},
        {"x = 1\na = \"open\n", NULL, "t.md:3: unterminated string"},
        {"a = [1,\n2\n", NULL, "t.md:4: unterminated array"},
        {"a = 'x' b = 1\n", NULL,
         "t.md:2: unexpected 'b' after a value; expected the end of the line"},
        {"a = \"\\x\"\n", NULL, "t.md:2: unknown escape '\\x'"},
        {"= 1\n", NULL, "t.md:2: expected a key, found '='"},
        {"a = 01\n", NULL, "t.md:2: leading zero in an integer"},
        {"a.b = 1\na = 2\n", NULL, "t.md:3: key 'a' defined twice"},
        {"a = 1\na.b = 2\n", NULL, "t.md:3: 'a' is already a value, not a table"},
    };
    struct fth_arena *a = fth_arena_new();
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *error, *json = toml_json(a, cases[i].text, &error);

        if (cases[i].json) {
            if (!json)
                fail_msg("case %zu: %s", i, error);
            assert_string_equal(json, cases[i].json);
        } else {
            assert_null(json);
            assert_string_equal(error, cases[i].error);
        }
    }
    fth_arena_free(a);
}

static void test_rustsec_import(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st;
    struct fth_vulndb_info info;
    struct fth_vulndb_match *m;
    struct fth_error err;
    size_t n, i;

    (void)state;
    st = import1(db, DATA "rust", NULL);
    assert_int_equal(st.files, 29); /* LICENSE.txt is not an advisory */
    assert_int_equal(st.imported, 29);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(nwarnings, 0);
    st = import1(db, DATA "rust", NULL);
    assert_int_equal(st.unchanged, 29);
    assert_int_equal(st.imported + st.updated, 0);
    /* the archive holds the same 29 and 1176 more; its README.md is not an advisory */
    st = import1(db, DATA "full/rustsec-advisory-db-crates.tar.gz", NULL);
    assert_int_equal(st.files, 1205);
    assert_int_equal(st.imported, 1176);
    assert_int_equal(st.unchanged, 29);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(nwarnings, 0);

    assert_int_equal(fth_vulndb_info(&info, a, db, &err), 0);
    assert_int_equal(info.advisories, 1205);
    assert_int_equal(info.withdrawn, 13);
    assert_int_equal(info.nsources, 1);
    assert_string_equal(info.sources[0].name, "rustsec");
    assert_int_equal(info.necosystems, 1);
    assert_string_equal(info.ecosystems[0].ecosystem, "crates.io");
    assert_int_equal(info.ecosystems[0].advisories, 1205);
    assert_int_equal(info.ecosystems[0].packages, 908);

    /* patched ">= 0.10.55": 0.10.50 is affected by five, each with its fixed version */
    assert_string_equal(ids(a, db, "openssl", "0.10.50", 1),
                        "RUSTSEC-2023-0044:0.10.55,RUSTSEC-2023-0072:0.10.60,"
                        "RUSTSEC-2024-0357:0.10.66,RUSTSEC-2025-0004:0.10.70,"
                        "RUSTSEC-2025-0022:0.10.72");
    /* unaffected "< 0.10.39" */
    assert_string_equal(ids(a, db, "openssl", "0.10.38", 0),
                        "RUSTSEC-2023-0022,RUSTSEC-2023-0023,RUSTSEC-2023-0024,"
                        "RUSTSEC-2023-0044,RUSTSEC-2023-0072,RUSTSEC-2024-0357,"
                        "RUSTSEC-2025-0004");
    assert_string_equal(ids(a, db, "openssl", "0.10.72", 0), "");
    /* several patched lines: "^0.4.5" patches 0.4.x from 0.4.5 on */
    assert_string_equal(ids(a, db, "smallvec", "0.4.4", 1),
                        "RUSTSEC-2018-0003:0.6.3;0.3.4;0.4.5;0.5.1,RUSTSEC-2018-0018:0.6.13");
    assert_string_equal(ids(a, db, "smallvec", "0.4.5", 0), "RUSTSEC-2018-0018");
    /* ">= 1.20.3, < 1.21.0" patches 1.20.3 against 2023-0001 only */
    assert_string_equal(ids(a, db, "tokio", "1.20.3", 0), "RUSTSEC-2023-0005,RUSTSEC-2025-0023");
    /* unaffected "=0.2.3" */
    assert_string_equal(ids(a, db, "time", "0.2.3", 0), "");
    assert_string_equal(ids(a, db, "time", "0.2.7", 1), "RUSTSEC-2020-0071:0.2.23");

    /* what the match says about one */
    assert_int_equal(fth_vulndb_match(&m, &n, a, db, "cargo", "hyper", "0.14.9", &err), 0);
    for (i = 0; i < n && strcmp(m[i].id, "RUSTSEC-2021-0078") != 0; i++)
        ;
    assert_true(i < n);
    assert_string_equal(m[i].summary, "Lenient `hyper` header parsing of `Content-Length` could "
                                      "allow request smuggling");
    assert_string_equal(m[i].published, "2021-07-07T00:00:00Z");
    assert_string_equal(m[i].source, "rustsec");
    assert_string_equal(m[i].status, "fixed");
    assert_int_equal(m[i].naliases, 2);
    assert_string_equal(m[i].aliases[0], "CVE-2021-32715");
    assert_string_equal(m[i].aliases[1], "GHSA-f3pg-qwvg-p99c");
    assert_int_equal(m[i].nseverity, 1);
    assert_string_equal(m[i].severity[0].type, "CVSS_V3");
    assert_string_equal(m[i].severity[0].score, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N");
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static const char advisory_md[] = "```toml\n"
                                  "[advisory]\n"
                                  "id = \"RUSTSEC-2099-0001\"\n"
                                  "package = \"demo\"\n"
                                  "date = \"2099-01-02\"\n"
                                  "%s"
                                  "\n"
                                  "[versions]\n"
                                  "patched = [\"%s\"]\n"
                                  "```\n"
                                  "\n"
                                  "# Demo flaw\n"
                                  "\n"
                                  "Details.\n";

static void write_advisory(const char *name, const char *extra, const char *patched)
{
    char text[1024];

    snprintf(text, sizeof(text), advisory_md, extra, patched);
    write_file(name, text);
}

static void test_rustsec_reimport(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st;
    char path[400];

    (void)state;
    snprintf(path, sizeof(path), "%s/a.md", tmpdir);
    write_advisory("a.md", "", ">= 1.2.0");
    st = import1(db, path, "mine");
    assert_int_equal(st.imported, 1);
    assert_string_equal(ids(a, db, "demo", "1.1.9", 1), "RUSTSEC-2099-0001:1.2.0");
    /* the same date, another text (the fix moved): replaced, never duplicated */
    write_advisory("a.md", "aliases = [\"CVE-2099-1\"]\n", ">= 1.3.0");
    st = import1(db, path, "mine");
    assert_int_equal(st.updated, 1);
    assert_int_equal(st.imported, 0);
    assert_string_equal(ids(a, db, "demo", "1.2.5", 1), "RUSTSEC-2099-0001:1.3.0");
    /* withdrawn later: the last change, and it no longer matches */
    write_advisory("a.md", "withdrawn = \"2099-02-01\"\n", ">= 1.3.0");
    st = import1(db, path, "mine");
    assert_int_equal(st.updated, 1);
    assert_string_equal(ids(a, db, "demo", "1.2.5", 0), "");
    /* an older copy (earlier date, no withdrawal) does not replace it */
    write_file("a.md", "```toml\n[advisory]\nid = \"RUSTSEC-2099-0001\"\npackage = \"demo\"\n"
                       "date = \"2098-01-01\"\n[versions]\npatched = []\n```\n# Old\n");
    st = import1(db, path, "mine");
    assert_int_equal(st.unchanged, 1);
    assert_string_equal(ids(a, db, "demo", "1.2.5", 0), "");
    assert_int_equal(nwarnings, 0);
    fth_vulndb_free(db);
    fth_arena_free(a);
}

static void test_rustsec_malformed(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = open_db();
    struct fth_vulndb_import_stats st;

    (void)state;
    write_file("readme.md", "# Not an advisory\n");
    write_file("toml.md", "```toml\n[advisory]\nid = \"RUSTSEC-2099-0002\"\npackage = 'x\n```\n");
    write_file("req.md", "```toml\n[advisory]\nid = \"RUSTSEC-2099-0003\"\npackage = \"x\"\n"
                         "date = \"2099-01-01\"\n[versions]\npatched = [\"> 1.2.3 < 2\"]\n```\n");
    write_file("id.md", "```toml\n[advisory]\nid = 7\npackage = \"x\"\ndate = \"2099-01-01\"\n"
                        "[versions]\npatched = []\n```\n");
    write_file("date.md", "```toml\n[advisory]\nid = \"RUSTSEC-2099-0004\"\npackage = \"x\"\n"
                          "date = \"someday\"\n[versions]\npatched = []\n```\n");
    write_file("versions.md", "```toml\n[advisory]\nid = \"RUSTSEC-2099-0005\"\npackage = \"x\"\n"
                              "date = \"2099-01-01\"\n```\n");
    write_file("good.md", "```toml\n[advisory]\nid = \"RUSTSEC-2099-0006\"\npackage = \"x\"\n"
                          "date = \"2099-01-01\"\n[versions]\npatched = []\n```\n");
    st = import1(db, tmpdir, NULL);
    assert_int_equal(st.files, 6);
    assert_int_equal(st.skipped, 5);
    assert_int_equal(st.imported, 1);
    assert_int_equal(nwarnings, 5);
    assert_non_null(strstr(warnings.ptr, "toml.md:4: unterminated string; advisory skipped"));
    assert_non_null(strstr(warnings.ptr, "req.md:7:12: 'versions.patched[0]': '> 1.2.3 < 2' is "
                                         "not a Cargo version requirement; advisory skipped"));
    assert_non_null(strstr(warnings.ptr,
                           "id.md:3:6: 'advisory.id': expected a non-empty string, found an "
                           "integer; advisory skipped"));
    assert_non_null(strstr(warnings.ptr, "date.md:5:8: 'advisory.date': expected a date "
                                         "(YYYY-MM-DD), found a string; advisory skipped"));
    assert_non_null(strstr(warnings.ptr, "'versions': expected a table, found nothing"));
    /* nothing patched: every version is affected */
    assert_string_equal(ids(a, db, "x", "9.9.9", 1), "RUSTSEC-2099-0006");
    fth_vulndb_free(db);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rustsec_toml),
        cmocka_unit_test_setup_teardown(test_rustsec_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rustsec_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rustsec_malformed, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
