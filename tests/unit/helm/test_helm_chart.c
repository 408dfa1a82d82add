/*
 * helm: the chart loader and packager. Helm's fixture charts from a directory and a .tgz,
 * Chart.yaml validation with Helm's messages, .helmignore rules (Helm's quirks included),
 * archives that try to escape the chart, links out of a chart directory, the limits, and a
 * package that loads back the same and is byte-for-byte deterministic.
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
#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "fathom/helm.h"

#define FIX FATHOM_SHARED "/fixtures/helm-provenance/"

static struct fth_chart *load_ok(struct fth_arena *a, const char *path)
{
    struct fth_chart *c = NULL;
    struct fth_error err;

    fth_error_clear(&err);
    if (fth_chart_load(&c, a, path, &err) < 0)
        fail_msg("load %s: %s", path, err.message);
    return c;
}

static const char *paths(struct fth_arena *a, const struct fth_chart *c)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *s;
    size_t i;

    for (i = 0; i < c->nfiles; i++)
        fth_buf_printf(&b, "%s%s", i ? "," : "", c->files[i].path);
    s = fth_arena_strdup(a, b.ptr);
    fth_buf_release(&b);
    return s;
}

static void test_helm_chart_fixtures(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_buf y = FTH_BUF_INIT;
    struct fth_chart *d, *t;

    (void)state;
    d = load_ok(a, FIX "v3.21.4/hashtest");
    assert_string_equal(paths(a, d), ".helmignore,Chart.yaml,values.yaml");
    assert_string_equal(d->metadata.name, "hashtest");
    assert_string_equal(d->metadata.version, "1.2.3");
    assert_string_equal(d->metadata.api_version, "v1");
    assert_string_equal(d->metadata.description, "Test chart versioning");
    assert_non_null(d->values);
    assert_int_equal(d->ntemplates, 0);
    t = load_ok(a, FIX "v3.21.4/hashtest-1.2.3.tgz");
    assert_string_equal(paths(a, t), ".helmignore,Chart.yaml,values.yaml");
    assert_int_equal(t->values->len, 3);
    assert_memory_equal(t->values->data, "{}\n", 3);
    assert_int_equal(fth_chart_metadata_yaml(&y, &t->metadata), 0);
    assert_string_equal(y.ptr, "apiVersion: v1\ndescription: Test chart versioning\nname: "
                               "hashtest\nversion: 1.2.3\n");
    /* signtest: a template and an unpacked subchart directory (alpine/ is not under charts/,
     * so it is plain files, as Helm treats it). */
    d = load_ok(a, FIX "cmd-testcharts/signtest");
    assert_string_equal(paths(a, d), ".helmignore,Chart.yaml,alpine/Chart.yaml,alpine/README.md,"
                                     "alpine/templates/alpine-pod.yaml,alpine/values.yaml,"
                                     "templates/pod.yaml,values.yaml");
    assert_int_equal(d->ntemplates, 1);
    assert_string_equal(d->templates[0]->path, "templates/pod.yaml");
    assert_int_equal(d->nsubcharts, 0);
    t = load_ok(a, FIX "cmd-testcharts/signtest-0.1.0.tgz");
    assert_string_equal(t->metadata.name, "signtest");
    assert_int_equal(t->nfiles, 8);
    t = load_ok(a, FIX "cmd-testcharts/compressedchart-0.1.0.tgz");
    assert_string_equal(t->metadata.name, "compressedchart");
    fth_buf_release(&y);
    fth_arena_free(a);
}

/* Chart.yaml text must fail validation with want. */
static void meta_fails(const char *yaml, const char *want)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_chart_metadata md;
    struct fth_error err;

    fth_error_clear(&err);
    if (fth_chart_metadata_parse(&md, a, yaml, strlen(yaml), "Chart.yaml", &err) >= 0)
        fail_msg("accepted: %s", yaml);
    if (strcmp(err.message, want) != 0)
        fail_msg("message '%s', want '%s'", err.message, want);
    fth_arena_free(a);
}

static void test_helm_chart_validation(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_chart_metadata md;
    struct fth_buf y = FTH_BUF_INIT;
    struct fth_error err;
    static const char full[] =
        "# comment\nname: web\nversion: 1.0.0-rc.1+build.5\napiVersion: v2\ntype: library\n"
        "appVersion: \"1.0\"\nkeywords: [b, a]\nannotations: {z: \"1\", a: x}\n"
        "maintainers:\n- name: Me\n  email: me@example.com\n"
        "dependencies:\n- name: db\n  version: ~1.2\n  repository: https://x\n  alias: db-1\n"
        "  enabled: true\ndeprecated: true\nhome: https://h\nunknownField: dropped\n";

    (void)state;
    meta_fails("version: 1.0.0\nname: x\n", "validation: chart.metadata.apiVersion is required");
    meta_fails("apiVersion: v3\nname: x\nversion: 1.0.0\n",
               "validation: chart.metadata.apiVersion 'v3' is invalid: expected v1 or v2");
    meta_fails("apiVersion: v2\nversion: 1.0.0\n", "validation: chart.metadata.name is required");
    meta_fails("apiVersion: v2\nname: a/b\nversion: 1.0.0\n",
               "validation: chart.metadata.name 'a/b' is invalid");
    meta_fails("apiVersion: v2\nname: ..\nversion: 1.0.0\n",
               "validation: chart.metadata.name '..' is invalid");
    meta_fails("apiVersion: v2\nname: x\n", "validation: chart.metadata.version is required");
    meta_fails("apiVersion: v2\nname: x\nversion: one\n",
               "validation: chart.metadata.version 'one' is invalid");
    meta_fails("apiVersion: v2\nname: x\nversion: 1.0.0\ntype: Application\n",
               "validation: chart.metadata.type must be application or library");
    meta_fails("apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- version: 1.0.0\n",
               "validation: chart.metadata.dependencies[0]: name is required");
    meta_fails("apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n- name: b\n"
               "  alias: a\n",
               "validation: more than one dependency with name or alias 'a'");
    meta_fails("apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n  alias: a.b\n",
               "validation: dependency 'a' has disallowed characters in the alias");
    meta_fails("apiVersion: v2\nname: x\nversion: 1.0\n",
               "chart.metadata.version: expected a string, found a number");
    meta_fails("- a\n", "validation: chart.metadata is required");
    /* Everything Helm keeps, keys sorted, unknown and empty fields dropped. */
    fth_error_clear(&err);
    if (fth_chart_metadata_parse(&md, a, full, strlen(full), "Chart.yaml", &err) < 0)
        fail_msg("parse: %s", err.message);
    assert_int_equal(fth_chart_metadata_yaml(&y, &md), 0);
    assert_string_equal(y.ptr, "annotations:\n  a: x\n  z: \"1\"\napiVersion: v2\n"
                               "appVersion: \"1.0\"\ndependencies:\n- alias: db-1\n"
                               "  enabled: true\n  name: db\n  repository: https://x\n"
                               "  version: ~1.2\ndeprecated: true\nhome: https://h\n"
                               "keywords:\n- b\n- a\nmaintainers:\n- email: me@example.com\n"
                               "  name: Me\nname: web\ntype: library\n"
                               "version: 1.0.0-rc.1+build.5\n");
    fth_buf_release(&y);
    fth_arena_free(a);
}

static void test_helm_chart_helmignore(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_helmignore *r = NULL;
    struct fth_error err;
    static const char rules[] = "# comment\n\n*.txt\n/top.md\nsecret/\ndocs/*.md\n";

    (void)state;
    assert_int_equal(fth_helmignore_parse(&r, a, rules, strlen(rules), &err), 0);
    assert_true(fth_helmignore_match(r, "a.txt", 0));
    assert_true(fth_helmignore_match(r, "deep/dir/a.txt", 0)); /* base-name match */
    assert_true(fth_helmignore_match(r, "top.md", 0));
    assert_false(fth_helmignore_match(r, "sub/top.md", 0)); /* rooted */
    assert_true(fth_helmignore_match(r, "secret", 1));
    assert_false(fth_helmignore_match(r, "secret", 0)); /* dir rule, a file */
    assert_true(fth_helmignore_match(r, "docs/a.md", 0));
    assert_false(fth_helmignore_match(r, "docs/sub/a.md", 0));    /* '*' stops at '/' */
    assert_true(fth_helmignore_match(r, "templates/.hidden", 0)); /* Helm's default rule */
    assert_false(fth_helmignore_match(r, "templates/x.yaml", 0));
    assert_false(fth_helmignore_match(r, ".", 1));
    /* Helm's negation: a non-matching path is ignored, a matching one moves on. */
    assert_int_equal(fth_helmignore_parse(&r, a, "!keep.yaml\n", 11, &err), 0);
    assert_false(fth_helmignore_match(r, "keep.yaml", 0));
    assert_true(fth_helmignore_match(r, "other.yaml", 0));
    assert_int_equal(fth_helmignore_parse(&r, a, "a/**/b\n", 7, &err), FTH_EINVALID);
    assert_string_equal(err.message, ".helmignore:1: double-star (**) syntax is not supported");
    fth_arena_free(a);
}

struct entry {
    const char *name;
    const char *data; /* NULL: a symlink to link, or a directory when link is NULL too */
    const char *link;
};

/* A gzip tar in b made of the entries. */
static void make_tgz(struct fth_buf *b, const struct entry *e, size_t n)
{
    struct archive *ar = archive_write_new();
    struct archive_entry *en = archive_entry_new();
    size_t used = 0, i;
    static char buf[4 << 20];

    archive_write_add_filter_gzip(ar);
    archive_write_set_format_pax_restricted(ar);
    assert_int_equal(archive_write_open_memory(ar, buf, sizeof(buf), &used), ARCHIVE_OK);
    for (i = 0; i < n; i++) {
        archive_entry_clear(en);
        archive_entry_set_pathname(en, e[i].name);
        if (e[i].data) {
            archive_entry_set_filetype(en, AE_IFREG);
            archive_entry_set_size(en, (la_int64_t)strlen(e[i].data));
        } else if (!e[i].link) {
            archive_entry_set_filetype(en, AE_IFDIR);
        } else {
            archive_entry_set_filetype(en, AE_IFLNK);
            archive_entry_set_symlink(en, e[i].link);
        }
        archive_entry_set_perm(en, 0644);
        assert_int_equal(archive_write_header(ar, en), ARCHIVE_OK);
        if (e[i].data)
            archive_write_data(ar, e[i].data, strlen(e[i].data));
    }
    archive_write_close(ar);
    archive_write_free(ar);
    archive_entry_free(en);
    fth_buf_clear(b);
    fth_buf_put(b, buf, used);
}

#define CHART "apiVersion: v2\nname: x\nversion: 1.0.0\n"

static void archive_fails(const struct entry *e, size_t n, const char *want)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_chart *c = NULL;
    struct fth_error err;

    make_tgz(&b, e, n);
    fth_error_clear(&err);
    if (fth_chart_load_archive(&c, a, b.ptr, b.len, "x.tgz", &err) >= 0)
        fail_msg("accepted archive with '%s'", e[n - 1].name);
    if (strcmp(err.message, want) != 0)
        fail_msg("message '%s', want '%s'", err.message, want);
    fth_buf_release(&b);
    fth_arena_free(a);
}

static void test_helm_chart_archive_safety(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_chart *c = NULL;
    struct fth_error err;
    const struct entry ok[] = {
        {"x/Chart.yaml", CHART, NULL},
        {"x/./templates//a.yaml", "a: 1\n", NULL},
        {"x/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n", NULL}};
    const struct entry trav[] = {{"x/Chart.yaml", CHART, NULL}, {"x/../../etc/passwd", "", NULL}};
    const struct entry absp[] = {{"/x/Chart.yaml", CHART, NULL}};
    const struct entry two[] = {{"x/Chart.yaml", CHART, NULL}, {"y/values.yaml", "", NULL}};
    const struct entry top[] = {{"Chart.yaml", CHART, NULL}};
    const struct entry link[] = {{"x/Chart.yaml", CHART, NULL},
                                 {"x/templates/l.yaml", NULL, "/etc/passwd"}};
    const struct entry nochart[] = {{"x/values.yaml", "", NULL}};
    const struct entry badsub[] = {{"x/Chart.yaml", CHART, NULL},
                                   {"x/charts/sub/Chart.yaml", "name: sub\n", NULL}};

    (void)state;
    make_tgz(&b, ok, 3);
    fth_error_clear(&err);
    if (fth_chart_load_archive(&c, a, b.ptr, b.len, "x.tgz", &err) < 0)
        fail_msg("load: %s", err.message);
    assert_string_equal(c->files[2].path, "templates/a.yaml");
    assert_int_equal(c->nsubcharts, 1);
    assert_string_equal(c->subcharts[0]->metadata.name, "sub");
    assert_ptr_equal(c->subcharts[0]->parent, c);
    archive_fails(trav, 2,
                  "x.tgz: 'x/../../etc/passwd': chart illegally references parent "
                  "directory");
    archive_fails(absp, 1, "x.tgz: '/x/Chart.yaml': chart illegally contains absolute paths");
    archive_fails(two, 2, "x.tgz: 'y/values.yaml': every entry must be under one directory, 'x/'");
    archive_fails(top, 1, "x.tgz: 'Chart.yaml': chart yaml not in base directory");
    archive_fails(link, 2,
                  "x.tgz: 'x/templates/l.yaml': links and special files are not allowed "
                  "in a chart archive");
    archive_fails(nochart, 1, "x.tgz: Chart.yaml file is missing");
    archive_fails(badsub, 2, "validation: chart.metadata.apiVersion is required");
    /* Limits: one file over 5 MiB (Helm's MaxDecompressedFileSize). */
    {
        char *big = calloc(1, 5 * 1024 * 1024 + 2);
        struct entry huge[2] = {{"x/Chart.yaml", CHART, NULL}, {"x/big.bin", NULL, NULL}};

        memset(big, 'a', 5 * 1024 * 1024 + 1);
        huge[1].data = big;
        archive_fails(huge, 2, "x.tgz: 'big.bin' is larger than 5242880 bytes (limit)");
        free(big);
    }
    /* Entries that hold nothing still count. */
    {
        struct entry *many = calloc(10002, sizeof(*many));
        char *names = calloc(10002, 16);
        size_t i;

        many[0].name = "x/Chart.yaml";
        many[0].data = CHART;
        for (i = 1; i < 10002; i++) {
            snprintf(names + 16 * i, 16, "x/d%05zu/", i);
            many[i].name = names + 16 * i;
        }
        archive_fails(many, 10002, "x.tgz: more than 10000 archive entries (limit)");
        free(many);
        free(names);
    }
    /* Not an archive at all. */
    assert_int_equal(fth_chart_load_archive(&c, a, "hello", 5, "h.tgz", &err), FTH_EINVALID);
    assert_non_null(strstr(err.message, "h.tgz: not a gzip tar archive"));
    fth_buf_release(&b);
    fth_arena_free(a);
}

static void shell(const char *cmd)
{
    if (system(cmd) != 0)
        fail_msg("failed: %s", cmd);
}

static void test_helm_chart_dir_and_package(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_buf p1 = FTH_BUF_INIT, p2 = FTH_BUF_INIT;
    struct fth_chart_package_opts o = FTH_CHART_PACKAGE_OPTS_INIT;
    struct fth_chart *c = NULL, *back = NULL;
    struct fth_error err;
    char tmpl[] = "/tmp/fathom-chart-XXXXXX", cmd[1024];
    const char *dir;

    (void)state;
    dir = mkdtemp(tmpl);
    assert_non_null(dir);
    snprintf(cmd, sizeof(cmd),
             "cd %s && mkdir -p c/templates c/docs c/.git c/charts/sub && "
             "printf '# c\\napiVersion: v2\\nname: c\\nversion: 0.2.0\\n' > c/Chart.yaml && "
             "printf 'a: 1\\n' > c/values.yaml && printf 'k: v\\n' > c/templates/cm.yaml && "
             "printf 'x' > c/templates/.swp && printf 'n' > c/notes.txt && "
             "printf 'd' > c/docs/a.md && printf 'g' > c/.git/HEAD && "
             "printf 'apiVersion: v2\\nname: sub\\nversion: 1.0.0\\n' > c/charts/sub/Chart.yaml && "
             "printf '.git/\\n*.txt\\n' > c/.helmignore && ln -s values.yaml c/link.yaml",
             dir);
    shell(cmd);
    snprintf(cmd, sizeof(cmd), "%s/c", dir);
    c = load_ok(a, cmd);
    assert_string_equal(paths(a, c), ".helmignore,Chart.yaml,charts/sub/Chart.yaml,docs/a.md,"
                                     "link.yaml,templates/cm.yaml,values.yaml");
    assert_int_equal(c->nsubcharts, 1);
    o.mtime = 1700000000;
    assert_int_equal(fth_chart_package(&p1, c, &o, &err), 0);
    assert_int_equal(fth_chart_package(&p2, c, &o, &err), 0);
    assert_int_equal(p1.len, p2.len);
    assert_memory_equal(p1.ptr, p2.ptr, p1.len); /* deterministic */
    if (fth_chart_load_archive(&back, a, p1.ptr, p1.len, "c-0.2.0.tgz", &err) < 0)
        fail_msg("reload: %s", err.message);
    assert_string_equal(paths(a, back), paths(a, c));
    assert_string_equal(fth_chart_archive_name(a, back), "c-0.2.0.tgz");
    /* Chart.yaml as Helm writes it: the comment is gone. */
    assert_string_equal((const char *)back->chart_yaml->data,
                        "apiVersion: v2\nname: c\nversion: 0.2.0\n");
    /* Entry order: Chart.yaml, values.yaml, templates, the rest. */
    {
        FILE *f;
        char list[1024];
        size_t n;

        snprintf(cmd, sizeof(cmd), "%s/c.tgz", dir);
        f = fopen(cmd, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(p1.ptr, 1, p1.len, f), p1.len);
        fclose(f);
        snprintf(cmd, sizeof(cmd), "TZ=UTC tar tzvf %s/c.tgz > %s/list", dir, dir);
        shell(cmd);
        snprintf(cmd, sizeof(cmd), "%s/list", dir);
        f = fopen(cmd, "r");
        n = fread(list, 1, sizeof(list) - 1, f);
        list[n] = '\0';
        fclose(f);
        assert_non_null(strstr(list, "-rw-r--r-- 0/0              38 2023-11-14 22:13 "
                                     "c/Chart.yaml\n-rw-r--r-- 0/0               5 2023-11-14 "
                                     "22:13 c/values.yaml\n-rw-r--r-- 0/0               5 "
                                     "2023-11-14 22:13 c/templates/cm.yaml\n"));
    }
    /* A link out of the chart is refused. */
    snprintf(cmd, sizeof(cmd), "ln -s /etc/hostname %s/c/out.yaml", dir);
    shell(cmd);
    snprintf(cmd, sizeof(cmd), "%s/c", dir);
    fth_error_clear(&err);
    assert_int_equal(fth_chart_load(&c, a, cmd, &err), FTH_EINVALID);
    assert_non_null(strstr(err.message, "'out.yaml': symbolic link points outside the chart"));
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    shell(cmd);
    fth_buf_release(&p1);
    fth_buf_release(&p2);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_helm_chart_fixtures),
        cmocka_unit_test(test_helm_chart_validation),
        cmocka_unit_test(test_helm_chart_helmignore),
        cmocka_unit_test(test_helm_chart_archive_safety),
        cmocka_unit_test(test_helm_chart_dir_and_package),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
