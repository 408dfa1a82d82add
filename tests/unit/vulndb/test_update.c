/*
 * vulndb: the feed list of `db update` (the official defaults, a mirror, the config file, the
 * overrides and the source selection, the config errors with their location) and the checks
 * an update makes before anything is written: the host guard, malformed feeds, a download
 * that fails (a refused connection on 127.0.0.1) leaving the database and directory as they
 * were. Downloads against a feed server are in tests/integration/db_update.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "fathom/vulndb.h"
#include "unit/vulndb/vulndb_fixture.h"

static const struct fth_vulndb_feed *find(const struct fth_vulndb_feed *f, size_t n,
                                          const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(f[i].name, name))
            return &f[i];
    return NULL;
}

static const char *write_config(const char *text)
{
    static char path[400];
    FILE *f;

    snprintf(path, sizeof(path), "%s/feeds.yaml", tmpdir);
    assert_non_null(f = fopen(path, "w"));
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_update_defaults(void **state)
{
    struct fth_vulndb_feed_opts o;
    struct fth_vulndb_feed *f;
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;
    size_t n;

    (void)state;
    memset(&o, 0, sizeof(o));
    assert_int_equal(fth_vulndb_feeds(&f, &n, a, &o, &err), 0);
    assert_int_equal(n, 9 + 4 * 2 + 1);
    assert_string_equal(f[0].name, "osv-Go");
    assert_string_equal(f[0].url, "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip");
    assert_string_equal(f[0].format, "osv");
    assert_string_equal(find(f, n, "osv-crates.io")->url,
                        "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip");
    assert_string_equal(find(f, n, "alpine-v3.22-community")->url,
                        "https://secdb.alpinelinux.org/v3.22/community.json");
    assert_string_equal(find(f, n, "alpine-v3.22-community")->format, "alpine-secdb");
    assert_string_equal(f[n - 1].name, "debian-tracker");
    assert_string_equal(f[n - 1].url, "https://security-tracker.debian.org/tracker/data/json");

    /* a mirror moves every default; sources narrow by name and by NAME- prefix */
    {
        const char *sources[] = {"osv-PyPI", "alpine-v3.21"};

        o.mirror = "http://127.0.0.1:8/m/";
        o.sources = sources;
        o.nsources = 2;
        assert_int_equal(fth_vulndb_feeds(&f, &n, a, &o, &err), 0);
        assert_int_equal(n, 3);
        assert_string_equal(f[0].url, "http://127.0.0.1:8/m/osv/PyPI/all.zip");
        assert_string_equal(f[1].name, "alpine-v3.21-main");
        assert_string_equal(f[1].url, "http://127.0.0.1:8/m/alpine/v3.21/main.json");
        assert_string_equal(f[2].name, "alpine-v3.21-community");
    }
    fth_arena_free(a);
}

static void test_update_config(void **state)
{
    const char *overrides[] = {"osv-Red-Hat=http://127.0.0.1:9/rh.zip",
                               "alpine-edge=http://127.0.0.1:9/edge.json",
                               "debian-tracker=http://127.0.0.1:9/d.json"};
    struct fth_vulndb_feed_opts o;
    struct fth_vulndb_feed *f;
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;
    size_t n;

    (void)state;
    memset(&o, 0, sizeof(o));
    o.config = write_config("mirror: http://127.0.0.1:7\n"
                            "osv_ecosystems: [Go, Red Hat]\n"
                            "alpine_branches: [v3.20]\n"
                            "alpine_repos: [main]\n"
                            "debian: true\n");
    o.overrides = overrides;
    o.noverrides = 3;
    assert_int_equal(fth_vulndb_feeds(&f, &n, a, &o, &err), 0);
    assert_int_equal(n, 5);
    assert_string_equal(f[0].url, "http://127.0.0.1:7/osv/Go/all.zip");
    /* a space is no part of a name, and is percent-encoded in the URL; then overridden */
    assert_string_equal(f[1].name, "osv-Red-Hat");
    assert_string_equal(f[1].url, "http://127.0.0.1:9/rh.zip");
    assert_string_equal(f[2].url, "http://127.0.0.1:7/alpine/v3.20/main.json");
    assert_string_equal(f[3].url, "http://127.0.0.1:9/d.json");
    assert_string_equal(f[3].format, "debian-tracker");
    assert_string_equal(f[4].name, "alpine-edge");
    assert_string_equal(f[4].format, "alpine-secdb");

    /* an explicit list replaces the defaults; the format defaults to osv */
    o.noverrides = 0;
    o.mirror = "http://127.0.0.1:6"; /* only moves the defaults */
    o.config = write_config("{\"feeds\": [{\"name\": \"a\", \"url\": \"http://127.0.0.1:5/a\"},"
                            " {\"name\": \"b\", \"url\": \"http://127.0.0.1:5/b\","
                            " \"format\": \"alpine-secdb\"}]}");
    assert_int_equal(fth_vulndb_feeds(&f, &n, a, &o, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(f[0].format, "osv");
    assert_string_equal(f[1].url, "http://127.0.0.1:5/b");
    fth_arena_free(a);
}

static void expect_config_error(const char *text, int code, const char *message)
{
    struct fth_vulndb_feed_opts o;
    struct fth_vulndb_feed *f;
    struct fth_arena *a = fth_arena_new();
    struct fth_buf msg = FTH_BUF_INIT;
    struct fth_error err;
    size_t n;

    memset(&o, 0, sizeof(o));
    fth_error_clear(&err);
    o.config = write_config(text);
    assert_int_equal(fth_vulndb_feeds(&f, &n, a, &o, &err), code);
    assert_int_equal(fth_error_format(&msg, &err), 0);
    /* the file is the temporary directory's: compare from its base name */
    assert_non_null(strstr(msg.ptr, "feeds.yaml"));
    assert_string_equal(strstr(msg.ptr, "feeds.yaml"), message);
    fth_buf_release(&msg);
    fth_arena_free(a);
}

static void test_update_config_errors(void **state)
{
    (void)state;
    expect_config_error("mirorr: x\n", FTH_EINVALID,
                        "feeds.yaml:1:1: 'mirorr': unknown key; expected one of mirror, "
                        "osv_ecosystems, alpine_branches, alpine_repos, debian, feeds");
    expect_config_error("- a\n", FTH_EINVALID,
                        "feeds.yaml:1:1: expected a mapping, found a sequence");
    expect_config_error(
        "osv_ecosystems: Go\n", FTH_EINVALID,
        "feeds.yaml:1:17: 'osv_ecosystems': expected a sequence of strings, found a "
        "string");
    expect_config_error("alpine_branches: [v3.20, 7]\n", FTH_EINVALID,
                        "feeds.yaml:1:26: 'alpine_branches[1]': expected a non-empty string");
    expect_config_error("debian: yes please\n", FTH_EINVALID,
                        "feeds.yaml:1:9: 'debian': expected true or false, found a string");
    expect_config_error("feeds:\n  - {url: http://x/}\n", FTH_EINVALID,
                        "feeds.yaml:2:5: 'feeds[0]': needs a name and a url");
    expect_config_error("feeds:\n  - {name: a/b, url: http://x/}\n", FTH_EINVALID,
                        "feeds.yaml:2:5: 'feeds[0].name': 'a/b' is not 1 to 64 of [A-Za-z0-9._-]");
    expect_config_error("feeds:\n  - {name: a, url: http://x/}\n  - {name: a, url: http://y/}\n",
                        FTH_EINVALID, "feeds.yaml:3:5: 'feeds[1].name': 'a' appears twice");
    expect_config_error("feeds: {name: a}\n", FTH_EINVALID,
                        "feeds.yaml:1:8: 'feeds': expected a sequence, found a mapping");
}

static void test_update_usage(void **state)
{
    const char *bad_override[] = {"=http://x"}, *bad_source[] = {"osv-Nope"};
    struct fth_vulndb_feed_opts o;
    struct fth_vulndb_feed *f;
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;
    size_t n;

    (void)state;
    memset(&o, 0, sizeof(o));
    o.overrides = bad_override;
    o.noverrides = 1;
    assert_int_equal(fth_vulndb_feeds(&f, &n, a, &o, &err), FTH_EUSAGE);
    assert_string_equal(err.message, "'=http://x': expected NAME=URL");
    o.noverrides = 0;
    o.sources = bad_source;
    o.nsources = 1;
    assert_int_equal(fth_vulndb_feeds(&f, &n, a, &o, &err), FTH_EUSAGE);
    assert_string_equal(err.message, "'osv-Nope': no such feed");
    fth_arena_free(a);
}

static const char *path_in(const char *name)
{
    static char path[400];

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    return path;
}

static void touch(const char *name)
{
    FILE *f = fopen(path_in(name), "w");

    assert_non_null(f);
    fclose(f);
}

/* Nothing in tmpdir but the entries named (NULL-terminated). */
static void only(const char *const *names)
{
    struct dirent *e;
    DIR *d = opendir(tmpdir);
    size_t i;

    assert_non_null(d);
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        for (i = 0; names[i] && strcmp(names[i], e->d_name); i++)
            ;
        if (!names[i])
            fail_msg("unexpected '%s' in %s", e->d_name, tmpdir);
    }
    closedir(d);
}

static void test_update_refused(void **state)
{
    static const char *const nothing[] = {NULL};
    static const char *const db_and_other[] = {"db.sqlite",
                                               "db.sqlite-wal",
                                               "db.sqlite-shm",
                                               "db.sqlite.update-lock",
                                               "other.sqlite.new-CCCCCC",
                                               NULL};
    struct fth_vulndb_feed feeds[2] = {
        {"a", "http://127.0.0.1:1/a.zip", "osv"},
        {"b", "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip", "osv"},
    };
    struct fth_vulndb_update_opts o = FTH_VULNDB_UPDATE_OPTS_INIT;
    struct fth_vulndb_update_result r;
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb *db = NULL;
    struct fth_error err;
    int lock;

    (void)state;
    /* the guard refuses before any request */
    o.feeds = feeds;
    o.nfeeds = 2;
    o.allow_hosts = "localhost, 127.0.0.1";
    assert_int_equal(fth_vulndb_update(&r, a, dbpath, &o, &err), FTH_EUSAGE);
    assert_string_equal(err.message, "feed 'b': host 'osv-vulnerabilities.storage.googleapis.com' "
                                     "is not allowed (FATHOM_NET_ALLOW=localhost, 127.0.0.1)");
    only(nothing);

    /* malformed feeds */
    feeds[1] = feeds[0];
    assert_int_equal(fth_vulndb_update(&r, a, dbpath, &o, &err), FTH_EUSAGE);
    assert_string_equal(err.message, "feed 'a': named twice");
    feeds[1].name = "c";
    feeds[1].url = "ftp://127.0.0.1/x";
    assert_int_equal(fth_vulndb_update(&r, a, dbpath, &o, &err), FTH_EUSAGE);
    assert_string_equal(err.message, "feed 'c': 'ftp://127.0.0.1/x' is not an http or https url");
    feeds[1].url = "http://127.0.0.1:1/c";
    feeds[1].format = "rpm";
    assert_int_equal(fth_vulndb_update(&r, a, dbpath, &o, &err), FTH_EUSAGE);
    assert_string_equal(err.message, "feed 2: needs a name, a url and a format");

    /* no feeds: nothing to do, nothing made */
    o.nfeeds = 0;
    assert_int_equal(fth_vulndb_update(&r, a, dbpath, &o, &err), 0);
    assert_int_equal(r.replaced, 0);
    only(nothing);

    /* a refused connection fails the update and leaves only the old database; what a killed
     * update left beside it is removed, another database's leftovers stay */
    assert_int_equal(fth_vulndb_open(&db, dbpath, FTH_VULNDB_CREATE, &err), 0);
    fth_vulndb_free(db);
    touch("db.sqlite.new-AAAAAA");
    touch("db.sqlite.new-AAAAAA-journal");
    assert_int_equal(mkdir(path_in("db.sqlite.dl-BBBBBB"), 0700), 0);
    touch("db.sqlite.dl-BBBBBB/osv-Go.part");
    touch("other.sqlite.new-CCCCCC");
    o.nfeeds = 1;
    o.retries = 0;
    assert_int_equal(fth_vulndb_update(&r, a, dbpath, &o, &err), FTH_EIO);
    assert_non_null(strstr(err.message, "feed 'a': 'http://127.0.0.1:1/a.zip': "));
    only(db_and_other);

    /* a file that is not a database is refused before any download */
    {
        FILE *f = fopen(path_in("junk.sqlite"), "w");
        char junk[400];

        assert_non_null(f);
        fputs("not a database, but long enough to have a header of sorts: 0123456789abcdef\n", f);
        fclose(f);
        snprintf(junk, sizeof(junk), "%s", path_in("junk.sqlite"));
        feeds[0].url = "http://127.0.0.1:1/junk.zip";
        assert_int_equal(fth_vulndb_update(&r, a, junk, &o, &err), FTH_EIO);
        assert_string_equal(strstr(err.message, "junk.sqlite'"),
                            "junk.sqlite': cannot read: file is not a database");
        unlink(junk);
        unlink(path_in("junk.sqlite.update-lock"));
    }

    /* one update at a time */
    lock = open(path_in("db.sqlite.update-lock"), O_RDWR);
    assert_true(lock >= 0);
    assert_int_equal(flock(lock, LOCK_EX | LOCK_NB), 0);
    assert_int_equal(fth_vulndb_update(&r, a, dbpath, &o, &err), FTH_EIO);
    assert_string_equal(strstr(err.message, "': another"),
                        "': another 'fathom db update' is running on it");
    close(lock);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_update_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_config_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_usage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_refused, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
