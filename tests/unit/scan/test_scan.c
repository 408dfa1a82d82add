/*
 * scan: the ignore file (both forms, every field, errors with their line), the filter (what
 * it drops, what it suppresses, expiry through its last day, ids matched through aliases,
 * packages by name or purl prefix, paths by file or directory), known-bad digests, the
 * scanner and severity lists, the hygiene classification and config checks, and a scan of a
 * root filesystem the test writes (set-id, world-writable, shells, ELF fingerprints).
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

#include "fathom/scan.h"
#include "scan/scan_int.h"

static struct fth_scan_ignore parse_ok(struct fth_arena *a, const char *text)
{
    struct fth_scan_ignore ig;
    struct fth_error err;

    fth_error_clear(&err);
    if (fth_scan_ignore_parse(&ig, a, "t.ignore", text, strlen(text), &err) < 0)
        fail_msg("parse: %s", err.message);
    return ig;
}

static void test_scan_ignore_text(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_scan_ignore ig;

    (void)state;
    ig = parse_ok(a, "# comment\n\nCVE-2021-1\r\n  GHSA-x exp:2024-02-29 pkg:minimist  # why not\n"
                     "CVE-3 purl:pkg:npm/lodash path:/app/ # p\nCVE-4 exp:2030-01-01T00:00:00Z");
    assert_int_equal(ig.len, 4);
    assert_string_equal(ig.entries[0].id, "CVE-2021-1");
    assert_string_equal(ig.entries[0].expires, "");
    assert_int_equal(ig.entries[0].line, 3);
    assert_string_equal(ig.entries[1].id, "GHSA-x");
    assert_string_equal(ig.entries[1].expires, "2024-02-29");
    assert_string_equal(ig.entries[1].package, "minimist");
    assert_string_equal(ig.entries[1].reason, "why not");
    assert_string_equal(ig.entries[2].package, "pkg:npm/lodash");
    assert_string_equal(ig.entries[2].path, "/app/");
    assert_string_equal(ig.entries[2].reason, "p");
    assert_string_equal(ig.entries[3].expires, "2030-01-01");
    fth_arena_free(a);
}

static void test_scan_ignore_yaml(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_scan_ignore ig;

    (void)state;
    ig = parse_ok(a, "# .trivyignore.yaml\nvulnerabilities:\n  - id: CVE-1\n    statement: ok\n"
                     "    expired_at: 2025-01-02\n    purls: [pkg:npm/x]\n"
                     "secrets:\n  - id: github-pat\n    paths: [etc/secret.env]\n"
                     "hygiene:\n  - id: HYG-SHELL\n    reason: needed\n    package: busybox\n"
                     "misconfigurations:\n");
    assert_int_equal(ig.len, 3);
    assert_string_equal(ig.entries[0].id, "CVE-1");
    assert_string_equal(ig.entries[0].reason, "ok");
    assert_string_equal(ig.entries[0].expires, "2025-01-02");
    assert_string_equal(ig.entries[0].package, "pkg:npm/x");
    assert_int_equal(ig.entries[0].line, 3);
    assert_string_equal(ig.entries[1].path, "etc/secret.env");
    assert_string_equal(ig.entries[2].reason, "needed");
    assert_string_equal(ig.entries[2].package, "busybox");
    fth_arena_free(a);
}

static void parse_bad(const char *text, int code, const char *msg, unsigned line)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_scan_ignore ig;
    struct fth_error err;

    fth_error_clear(&err);
    assert_int_equal(fth_scan_ignore_parse(&ig, a, "t.ignore", text, strlen(text), &err), code);
    if (!strstr(err.message, msg))
        fail_msg("message '%s' lacks '%s'", err.message, msg);
    assert_int_equal(err.line, line);
    fth_arena_free(a);
}

static void test_scan_ignore_errors(void **state)
{
    (void)state;
    parse_bad("CVE-1\nCVE-2 exp:2024-13-01\n", FTH_EINVALID, "'2024-13-01'", 2);
    parse_bad("CVE-1 exp:tomorrow\n", FTH_EINVALID, "expiry date", 1);
    parse_bad("CVE-1 because\n", FTH_EINVALID, "'because'", 1);
    parse_bad("vulnerabilities:\n  - statement: no id\n", FTH_EINVALID, "'id'", 2);
    parse_bad("vulnerabilities:\n  - id: X\n    expired_at: [1]\n", FTH_EINVALID, "expiry", 3);
    parse_bad("vulns:\n  - id: X\n", FTH_EINVALID, "unknown section 'vulns'", 1);
    parse_bad("secrets: 3\n", FTH_EINVALID, "expected a list", 1);
}

/* A result of four findings to filter. */
static struct fth_package pkg_minimist = {.type = "npm",
                                          .name = "minimist",
                                          .version = "1.2.5",
                                          .purl = "pkg:npm/minimist@1.2.5",
                                          .path = "app/node_modules/minimist/package.json"};
static const char *const mini_aliases[] = {"CVE-2021-44906"};

static void make_result(struct fth_scan_result *r, struct fth_scan_finding *f)
{
    memset(r, 0, sizeof(*r));
    memset(f, 0, 4 * sizeof(*f));
    for (int i = 0; i < 4; i++) {
        f[i].status = f[i].path = "";
        f[i].present = 1;
    }
    f[0].cls = FTH_CLASS_VULNERABILITY;
    f[0].id = "GHSA-xvch-5gv4-984h";
    f[0].aliases = mini_aliases;
    f[0].naliases = 1;
    f[0].severity = FTH_SEV_CRITICAL;
    f[0].status = "fixed";
    f[0].pkg = &pkg_minimist;
    f[0].path = pkg_minimist.path;
    f[1].cls = FTH_CLASS_VULNERABILITY;
    f[1].id = "DEBIAN-CVE-1";
    f[1].severity = FTH_SEV_LOW;
    f[1].status = "unfixed";
    f[1].pkg = &pkg_minimist;
    f[2].cls = FTH_CLASS_SECRET;
    f[2].id = "github-pat";
    f[2].severity = FTH_SEV_CRITICAL;
    f[2].path = "etc/secret.env";
    f[3].cls = FTH_CLASS_HYGIENE;
    f[3].id = "HYG-SHELL";
    f[3].severity = FTH_SEV_LOW;
    f[3].path = "bin/sh";
    r->findings = f;
    r->nfindings = 4;
}

static size_t run_filter(struct fth_arena *a, struct fth_scan_result *r, unsigned sev, int unfixed,
                         const char *ignore_text, const char *today)
{
    struct fth_scan_filter f = {sev, unfixed, NULL, today};
    struct fth_scan_ignore ig;

    if (ignore_text) {
        ig = parse_ok(a, ignore_text);
        f.ignore = &ig;
    }
    return fth_scan_filter(r, a, &f);
}

static void test_scan_filter(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_scan_finding f[4];
    struct fth_scan_result r;

    (void)state;
    make_result(&r, f);
    assert_int_equal(run_filter(a, &r, 0, 0, NULL, NULL), 4);
    make_result(&r, f);
    assert_int_equal(run_filter(a, &r, 1u << FTH_SEV_CRITICAL, 0, NULL, NULL), 2);
    assert_int_equal(r.nfindings, 2);
    assert_int_equal(r.stats.dropped, 2);
    assert_string_equal(r.findings[1].id, "github-pat");
    make_result(&r, f);
    assert_int_equal(run_filter(a, &r, 0, 1, NULL, NULL), 3);
    assert_string_equal(r.findings[1].id, "github-pat");

    /* by alias, with a package by name; expiry counts through its last day */
    make_result(&r, f);
    assert_int_equal(
        run_filter(a, &r, 0, 0, "CVE-2021-44906 exp:2026-06-30 pkg:minimist # r\n", "2026-06-30"),
        3);
    assert_string_equal(r.findings[0].suppressed, "ignore file t.ignore:1: r");
    assert_int_equal(r.nfindings, 4);
    make_result(&r, f);
    assert_int_equal(run_filter(a, &r, 0, 0, "CVE-2021-44906 exp:2026-06-30\n", "2026-07-01"), 4);
    assert_null(r.findings[0].suppressed);
    /* another package, a purl prefix, a purl of another type */
    make_result(&r, f);
    assert_int_equal(run_filter(a, &r, 0, 0, "GHSA-xvch-5gv4-984h pkg:lodash\n", NULL), 4);
    make_result(&r, f);
    assert_int_equal(run_filter(a, &r, 0, 0, "GHSA-xvch-5gv4-984h pkg:pkg:npm/minimist\n", NULL),
                     3);
    make_result(&r, f);
    assert_int_equal(run_filter(a, &r, 0, 0, "GHSA-xvch-5gv4-984h pkg:pkg:pypi/minimist\n", NULL),
                     4);
    /* paths: the file, a directory prefix, another file; a path entry never matches a
     * finding of another id */
    make_result(&r, f);
    assert_int_equal(run_filter(a, &r, 0, 0, "github-pat path:/etc/secret.env\n", NULL), 3);
    make_result(&r, f);
    assert_int_equal(run_filter(a, &r, 0, 0, "github-pat path:etc/\nHYG-SHELL path:bin/\n", NULL),
                     2);
    make_result(&r, f);
    assert_int_equal(run_filter(a, &r, 0, 0, "github-pat path:etc/other\n", NULL), 4);
    /* a package entry never matches a finding without a package */
    make_result(&r, f);
    assert_int_equal(run_filter(a, &r, 0, 0, "HYG-SHELL pkg:busybox\n", NULL), 4);
    fth_arena_free(a);
}

static void test_scan_hashes(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_scan_hashes h;
    struct fth_error err;
    const char *text = "# bad\n"
                       "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF  *x.so\n"
                       "sha256:0000000000000000000000000000000000000000000000000000000000000000\n";
    const char *bad = "0000000000000000000000000000000000000000000000000000000000000000x\n";

    (void)state;
    fth_error_clear(&err);
    assert_int_equal(fth_scan_hashes_parse(&h, a, "h", text, strlen(text), &err), 0);
    assert_int_equal(h.len, 2);
    assert_string_equal(h.items[0].sha256,
                        "0000000000000000000000000000000000000000000000000000000000000000");
    assert_string_equal(h.items[0].note, "");
    assert_string_equal(h.items[1].sha256,
                        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    assert_string_equal(h.items[1].note, "x.so");
    assert_int_equal(fth_scan_hashes_parse(&h, a, "h", bad, strlen(bad), &err), FTH_EINVALID);
    assert_int_equal(err.line, 1);
    fth_arena_free(a);
}

static void test_scan_lists(void **state)
{
    struct fth_error err;
    unsigned s;

    (void)state;
    assert_int_equal(fth_scan_scanners_parse(&s, "vuln,hygiene", &err), 0);
    assert_int_equal(s, FTH_SCAN_VULN | FTH_SCAN_HYGIENE);
    assert_int_equal(fth_scan_scanners_parse(&s, "secrets,vulnerability,license", &err), 0);
    assert_int_equal(s, FTH_SCAN_VULN | FTH_SCAN_SECRET | FTH_SCAN_LICENSE);
    assert_int_equal(fth_scan_scanners_parse(&s, "vuln,misconfig", &err), FTH_EUSAGE);
    assert_non_null(strstr(err.message, "'misconfig'"));
    assert_int_equal(fth_scan_scanners_parse(&s, "", &err), FTH_EUSAGE);
    assert_int_equal(fth_scan_severities_parse(&s, "critical,HIGH", &err), 0);
    assert_int_equal(s, (1u << FTH_SEV_CRITICAL) | (1u << FTH_SEV_HIGH));
    assert_int_equal(fth_scan_severities_parse(&s, "HIGH,,LOW", &err), FTH_EUSAGE);
    assert_int_equal(fth_scan_severities_parse(&s, "SEVERE", &err), FTH_EUSAGE);
    assert_non_null(strstr(err.message, "'SEVERE'"));
}

static void test_scan_hygiene_tools(void **state)
{
    const char *tool = NULL;

    (void)state;
    assert_int_equal(hyg_classify_tool("bin/sh", &tool), HYG_SHELL);
    assert_string_equal(tool, "sh");
    assert_int_equal(hyg_classify_tool("usr/local/sbin/apk", &tool), HYG_PKG_MANAGER);
    assert_int_equal(hyg_classify_tool("usr/bin/wget", &tool), HYG_NET_TOOL);
    assert_int_equal(hyg_classify_tool("usr/bin/python3", &tool), HYG_COUNT);
    assert_int_equal(hyg_classify_tool("usr/share/bin/sh", &tool), HYG_COUNT);
    assert_int_equal(hyg_classify_tool("bin/x/sh", &tool), HYG_COUNT);
    assert_int_equal(hyg_classify_tool("opt/bin/bash", &tool), HYG_COUNT);
    assert_true(hyg_env_is_secret("DB_PASSWORD", 11));
    assert_true(hyg_env_is_secret("github_token", 12));
    assert_true(hyg_env_is_secret("AWS_ACCESS_KEY_ID", 17));
    assert_true(hyg_env_is_secret("MY_API_KEY", 10));
    assert_false(hyg_env_is_secret("PATH", 4));
    assert_false(hyg_env_is_secret("PASS", 4));
}

struct collected {
    char ids[512];
    char msgs[1024];
};

static int collect(void *data, enum hyg_rule r, const char *message, const char *path, int layer)
{
    struct collected *c = data;
    size_t n = strlen(c->ids), m = strlen(c->msgs);

    (void)path;
    (void)layer;
    snprintf(c->ids + n, sizeof(c->ids) - n, "%s%s", n ? " " : "", hyg_rule(r)->id);
    snprintf(c->msgs + m, sizeof(c->msgs) - m, "%s\n", message);
    return 0;
}

static void config_case(const char *transport, const char *ref, const char *user, int eol,
                        const char *want_ids)
{
    static const char *const env[] = {"PATH=/bin", "API_TOKEN=s3cr3t", "NO_EQUALS",
                                      "EMPTY_PASSWORD="};
    struct fth_arena *a = fth_arena_new();
    struct fth_image img;
    struct fth_os os;
    struct collected c;

    memset(&img, 0, sizeof(img));
    memset(&os, 0, sizeof(os));
    memset(&c, 0, sizeof(c));
    img.transport = transport;
    img.ref = ref;
    img.user = user;
    img.digest = "sha256:ab";
    img.env = env;
    img.nenv = 4;
    os.id = os.pretty_name = "Alpine Linux v3.12";
    os.release = "v3.12";
    os.eol = eol;
    os.eol_date = "2022-05-01";
    os.path = "etc/os-release";
    assert_int_equal(hyg_config(&img, &os, a, collect, &c), 0);
    assert_string_equal(c.ids, want_ids);
    assert_null(strstr(c.msgs, "s3cr3t"));
    fth_arena_free(a);
}

static void test_scan_hygiene_config(void **state)
{
    (void)state;
    config_case("oci", "oci:x:latest", "", 0, "HYG-ROOT-USER HYG-ENV-SECRET");
    config_case("oci", "oci:x", "1000:1000", 1, "HYG-ENV-SECRET HYG-OS-EOL");
    config_case("oci", "oci:x", "root:root", 0, "HYG-ROOT-USER HYG-ENV-SECRET");
    config_case("oci", "oci:x", "0", 0, "HYG-ROOT-USER HYG-ENV-SECRET");
    config_case("oci", "oci:x", "app", 0, "HYG-ENV-SECRET");
    config_case("docker", "docker://reg:5000/a/b", "app", 0,
                "HYG-ENV-SECRET HYG-TAG-LATEST HYG-NO-DIGEST");
    config_case("docker", "reg:5000/a/b:latest", "app", 0,
                "HYG-ENV-SECRET HYG-TAG-LATEST HYG-NO-DIGEST");
    config_case("docker", "reg:5000/a/b:1.2", "app", 0, "HYG-ENV-SECRET HYG-NO-DIGEST");
    config_case("docker", "reg/a/b:1.2@sha256:00", "app", 0, "HYG-ENV-SECRET");
    config_case("docker", "reg/a/b@sha256:00", "app", 0, "HYG-ENV-SECRET");
}

/* A root filesystem the test writes: hygiene facts and fingerprints from a real walk. */
static void test_scan_rootfs(void **state)
{
    char dir[64], path[256];
    struct fth_arena *a = fth_arena_new();
    struct fth_image_opts io = FTH_IMAGE_OPTS_INIT;
    struct fth_scan_opts so = FTH_SCAN_OPTS_INIT;
    struct fth_scan_result res;
    struct fth_image *img = NULL;
    struct fth_error err;
    static const unsigned char elf[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, [16] = 3, 0, 0x3e};
    char ids[512] = "";
    FILE *f;

    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/fathom-scan-XXXXXX");
    assert_non_null(mkdtemp(dir));
#define MK(rel) (snprintf(path, sizeof(path), "%s/%s", dir, rel), path)
    assert_int_equal(mkdir(MK("bin"), 0755), 0);
    assert_int_equal(mkdir(MK("lib"), 0755), 0);
    assert_int_equal(mkdir(MK("tmp"), 0777), 0);
    assert_int_equal(chmod(MK("tmp"), 01777), 0);
    assert_non_null(f = fopen(MK("bin/bash"), "w"));
    fputs("#!\n", f);
    fclose(f);
    assert_int_equal(chmod(MK("bin/bash"), 04755), 0);
    assert_non_null(f = fopen(MK("lib/libx.so.1"), "w"));
    fwrite(elf, 1, sizeof(elf), f);
    fclose(f);
    assert_non_null(f = fopen(MK("lib/open.txt"), "w"));
    fclose(f);
    assert_int_equal(chmod(MK("lib/open.txt"), 0666), 0);
    io.rootfs = 1;
    io.cache_dir = "";
    fth_error_clear(&err);
    if (fth_image_open(&img, dir, &io, &err) < 0)
        fail_msg("open: %s", err.message);
    so.scanners = FTH_SCAN_HYGIENE;
    so.binaries = 1;
    so.cache_dir = "";
    so.threads = 1;
    if (fth_scan_image(&res, a, img, &so, &err) < 0)
        fail_msg("scan: %s", err.message);
    for (size_t i = 0; i < res.nfindings; i++) {
        size_t n = strlen(ids);

        snprintf(ids + n, sizeof(ids) - n, "%s%s:%s", n ? " " : "", res.findings[i].id,
                 res.findings[i].path);
    }
    assert_string_equal(ids, "HYG-ROOT-USER: HYG-SETUID:bin/bash HYG-SHELL:bin/bash "
                             "HYG-WORLD-WRITABLE:lib/open.txt");
    assert_int_equal(res.nbinaries, 1);
    assert_string_equal(res.binaries[0].path, "lib/libx.so.1");
    assert_string_equal(res.binaries[0].kind, "shared-library");
    {
        char hex[65];

        fth_sha256_hex(hex, elf, sizeof(elf));
        assert_string_equal(res.binaries[0].sha256, hex);
    }
    /* the vulnerability scanner without a database is a usage error, not an empty result */
    so.scanners = FTH_SCAN_VULN;
    assert_int_equal(fth_scan_image(&res, a, img, &so, &err), FTH_EUSAGE);
    fth_image_free(img);
    fth_arena_free(a);
    remove(MK("bin/bash"));
    remove(MK("lib/libx.so.1"));
    remove(MK("lib/open.txt"));
    rmdir(MK("bin"));
    rmdir(MK("lib"));
    rmdir(MK("tmp"));
    rmdir(dir);
#undef MK
}

/* The catalog's hooks (fth_catalog_opts.hidden and .visit) on the whiteout fixture tag. */
struct seen {
    size_t entries, whiteouts, with_content, with_reader;
    int status_content; /* lib/apk/db/installed came with its bytes */
};

static int count_entry(void *data, const struct fth_entry *e, const void *content, size_t len,
                       struct fth_entry_reader *r)
{
    struct seen *s = data;

    s->entries++;
    s->whiteouts += e->type == FTH_ENTRY_WHITEOUT;
    s->with_content += content != NULL;
    s->with_reader += r != NULL;
    if (!strcmp(e->path, "lib/apk/db/installed") && content && len > 100 &&
        !memcmp(content, "C:", 2))
        s->status_content = 1;
    return 0;
}

static void test_scan_catalog_hooks(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_image_opts io = FTH_IMAGE_OPTS_INIT;
    struct fth_catalog_opts co = FTH_CATALOG_OPTS_INIT;
    struct fth_image *img = NULL;
    struct fth_inventory inv;
    struct fth_error err;
    struct seen seen;
    size_t hidden = 0, minimist = 0;

    (void)state;
    io.cache_dir = "";
    fth_error_clear(&err);
    if (fth_image_open(&img, "oci:" FATHOM_SHARED "/data/images/oci-alpine:3.20.3-whiteout", &io,
                       &err) < 0)
        fail_msg("open: %s", err.message);
    co.cache_dir = "";
    assert_int_equal(fth_catalog_image(&inv, a, img, &co, &err), 0);
    assert_int_equal(inv.npackages, 23);
    for (size_t i = 0; i < inv.npackages; i++)
        assert_int_equal(inv.packages[i].hidden, 0);

    memset(&seen, 0, sizeof(seen));
    co.hidden = 1;
    co.visit = count_entry;
    co.visit_data = &seen;
    assert_int_equal(fth_catalog_image(&inv, a, img, &co, &err), 0);
    assert_int_equal(inv.npackages, 24);
    for (size_t i = 0; i < inv.npackages; i++) {
        const struct fth_package *p = &inv.packages[i];

        hidden += p->hidden != 0;
        if (!strcmp(p->name, "minimist")) {
            minimist++;
            assert_int_equal(p->hidden, 1);
            assert_int_equal(p->layer, 1);
            assert_string_equal(p->version, "1.2.5");
            assert_string_equal(p->path, "app/node_modules/minimist/package.json");
        }
    }
    assert_int_equal(hidden, 1);
    assert_int_equal(minimist, 1);
    /* every entry of the three layers, the deletions included; catalogued files come with
     * their bytes, the others with their unread reader */
    assert_true(seen.entries > 500);
    assert_int_equal(seen.whiteouts, 5);
    assert_true(seen.with_content >= 10);
    assert_true(seen.with_reader > 100);
    assert_int_equal(seen.status_content, 1);
    fth_image_free(img);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_ignore_text),   cmocka_unit_test(test_scan_ignore_yaml),
        cmocka_unit_test(test_scan_ignore_errors), cmocka_unit_test(test_scan_filter),
        cmocka_unit_test(test_scan_hashes),        cmocka_unit_test(test_scan_lists),
        cmocka_unit_test(test_scan_hygiene_tools), cmocka_unit_test(test_scan_hygiene_config),
        cmocka_unit_test(test_scan_rootfs),        cmocka_unit_test(test_scan_catalog_hooks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
