/*
 * catalog: the Python cataloger against every Python expectation in ../shared/fixtures/image
 * (Trivy's METADATA/PKG-INFO table, Syft's site-packages trees), the dist-info directories of
 * oci-alpine:3.20.3-l2, and bad input.
 */
#include <ctype.h>

#include "langpkg_expect.h"

static void test_wants(void **state)
{
    (void)state;
    assert_true(cat_python.wants("usr/lib/python3.12/site-packages/pip-23.0.1.dist-info/METADATA",
                                 1, 0644));
    assert_true(cat_python.wants("x/requests-2.22.0-py3.8.egg-info/PKG-INFO", 1, 0644));
    assert_true(cat_python.wants("x/foo-1.0-py3.8.egg/EGG-INFO/PKG-INFO", 1, 0644));
    assert_true(cat_python.wants("x/distlib-0.3.1-py3.9.egg-info", 1, 0644));
    assert_true(cat_python.wants("x/dist-name/DIST-INFO/METADATA", 1, 0644)); /* as Syft */
    assert_true(cat_python.wants("x/dist-name/dist-info/METADATA", 1, 0644));
    assert_false(cat_python.wants("x/pip-23.0.1.dist-info/RECORD", 1, 0644));
    assert_false(cat_python.wants("x/egg-name/egg-info/PKG-INFO-INVALID", 1, 0644));
    assert_false(cat_python.wants("x/foo-1.0/PKG-INFO", 1, 0644)); /* an unpacked sdist */
    assert_false(cat_python.wants("METADATA", 1, 0644));
    assert_false(cat_python.wants("x/foo.egg-info/METADATA", 1, 0644));
}

/* Trivy's pkg/dependency/parser/python/packaging TestParse: Name, Version and Licenses. */
static void trivy_case(const char *file, const char *path)
{
    char rel[256], exp[256];
    const struct fth_value *c, *want;
    struct lx t;

    lx_init(&t);
    snprintf(rel, sizeof(rel), "python/trivy/%s", file);
    snprintf(exp, sizeof(exp), "python/trivy/%s.expect.json", file);
    c = fth_value_get(lx_expect(&t, exp), "case");
    want = fth_value_get(c, "want");
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_python, cat_fixture_path(rel), path), 0);
    if (fth_value_get(c, "wantErr")) {
        assert_int_equal(t.s.packages.len, 0);
        assert_int_equal(t.s.warnings, 1);
    } else {
        const struct fth_value *w = fth_value_at(want, 0);
        const struct fth_package *p;

        assert_int_equal(fth_value_len(want), 1);
        assert_int_equal(t.s.packages.len, 1);
        p = lx_one(&t, lx_str(fth_value_get(w, "Name")), lx_str(fth_value_get(w, "Version")));
        lx_common(p, "python", "PyPI", path);
        lx_licenses(p, fth_value_get(w, "Licenses"));
        assert_int_equal(t.s.warnings, 0);
    }
    lx_free(&t);
}

static void test_trivy(void **state)
{
    static const char *const cases[][2] = {
        {"asyncssh-2.14.2.METADATA", "sp/asyncssh-2.14.2.dist-info/METADATA"},
        {"distlib-0.3.1.METADATA", "sp/distlib-0.3.1.dist-info/METADATA"},
        {"distlib-0.3.1-py3.9.egg-info", "sp/distlib-0.3.1-py3.9.egg-info"},
        {"iniconfig-2.0.0.METADATA", "sp/iniconfig-2.0.0.dist-info/METADATA"},
        {"networkx-3.0.METADATA", "sp/networkx-3.0.dist-info/METADATA"},
        {"pyphen-0.14.0.METADATA", "sp/pyphen-0.14.0.dist-info/METADATA"},
        {"setuptools-51.3.3-py3.8.egg-info.PKG-INFO",
         "sp/setuptools-51.3.3-py3.8.egg-info/PKG-INFO"},
        {"simple-0.1.0.METADATA", "sp/simple-0.1.0.dist-info/METADATA"},
        {"unidecode-egg-info.PKG-INFO", "sp/Unidecode-0.4.1.egg-info/PKG-INFO"},
        {"zipp-3.12.1.METADATA", "sp/zipp-3.12.1.dist-info/METADATA"},
        {"invalid.json", "sp/invalid.dist-info/METADATA"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        trivy_case(cases[i][0], cases[i][1]);
}

static void test_details(void **state)
{
    const struct fth_package *p;
    struct lx t;

    (void)state;
    lx_init(&t);
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_python,
                                            cat_fixture_path("python/trivy/zipp-3.12.1.METADATA"),
                                            "zipp-3.12.1.dist-info/METADATA"),
                     0);
    /* every requirement is behind an extra: no run-time dependencies */
    assert_int_equal(lx_one(&t, "zipp", "3.12.1")->ndepends, 0);
    assert_int_equal(
        cat_fixture_parse_file(&t.s, &cat_python,
                               cat_fixture_path("python/trivy/asyncssh-2.14.2.METADATA"),
                               "asyncssh-2.14.2.dist-info/METADATA"),
        0);
    p = lx_one(&t, "asyncssh", "2.14.2");
    assert_int_equal(p->ndepends, 2);
    assert_string_equal(p->depends[0], "cryptography");
    assert_string_equal(p->depends[1], "typing-extensions");
    /* "License: Eclipse Public License v2.0", normalised by the licence module */
    assert_string_equal(p->licenses[0].spdx, "EPL-2.0");
    assert_int_equal(
        cat_fixture_parse_file(&t.s, &cat_python,
                               cat_fixture_path("python/trivy/iniconfig-2.0.0.METADATA"),
                               "iniconfig-2.0.0.dist-info/METADATA"),
        0);
    assert_string_equal(lx_one(&t, "iniconfig", "2.0.0")->licenses[0].spdx, "MIT");
    lx_free(&t);
}

/* The PEP 503 form: lower case, runs of '-', '_' and '.' as one '-'. */
static void pep503(char *out, size_t size, const char *name)
{
    size_t n = 0;

    for (; *name && n + 1 < size; name++) {
        if (strchr("-_.", *name)) {
            if (n && out[n - 1] == '-')
                continue;
            out[n++] = '-';
        } else {
            out[n++] = (char)tolower((unsigned char)*name);
        }
    }
    out[n] = '\0';
}

/*
 * Syft's Test_InstalledPackageCataloger: each tree gives Syft's packages by name, version
 * and declaring file. Fathom keeps names as declared ("Pygments"; Syft lower-cases them), so
 * names compare in PEP 503 form, and licences follow Trivy's order (classifiers before
 * License), stated per case in `licenses` where that differs from Syft.
 */
static void syft_case(const char *dir, const char *const *licenses)
{
    char root[512], exp[256];
    const struct fth_value *want;
    struct lx t;

    lx_init(&t);
    snprintf(root, sizeof(root), "%s", cat_fixture_path(dir));
    snprintf(exp, sizeof(exp), "python/syft/%s.expect.json", dir + strlen("python/syft/"));
    want = fth_value_get(lx_expect(&t, exp), "packages");
    if (!strcmp(dir, "python/syft/partial.dist-info")) {
        /* Syft scanned the dist-info directory itself, so its METADATA has no parent there:
         * read it as the file it names, the way an image would hold it */
        snprintf(root, sizeof(root), "%s/METADATA", cat_fixture_path(dir));
        assert_int_equal(cat_fixture_parse_file(&t.s, &cat_python, root, "METADATA"), 0);
    } else {
        assert_int_equal(cat_fixture_parse_root(&t.s, &cat_python, root), 0);
    }
    assert_int_equal(t.s.packages.len, fth_value_len(want));
    for (size_t i = 0; i < fth_value_len(want); i++) {
        const struct fth_value *w = fth_value_at(want, i);
        const char *path = lx_str(fth_value_at(fth_value_get(w, "Locations"), 0));
        const struct fth_package *p = NULL;
        char norm[256];

        for (size_t j = 0; j < t.s.packages.len; j++)
            if (!strcmp(cat_fixture_pkg(&t.s, j)->path, path))
                p = cat_fixture_pkg(&t.s, j);
        if (!p)
            fail_msg("%s: nothing declared by '%s'", dir, path);
        pep503(norm, sizeof(norm), p->name);
        assert_string_equal(norm, lx_str(fth_value_get(w, "Name")));
        assert_string_equal(p->name, lx_str(fth_value_path(w, "Metadata.Name")));
        assert_string_equal(p->version, lx_str(fth_value_get(w, "Version")));
        lx_common(p, "python", "PyPI", path);
        {
            /* Syft adds vcs_url from direct_url.json; Fathom does not read that file */
            const char *purl = lx_str(fth_value_get(w, "PURL")), *q = strchr(purl, '?');

            assert_string_equal(fth_catalog_purl(t.a, p, NULL),
                                q ? fth_arena_strndup(t.a, purl, (size_t)(q - purl)) : purl);
        }
        if (licenses[i]) {
            const char *const one[] = {licenses[i], NULL}, *const none[] = {NULL};

            lx_licenses_are(p, *licenses[i] ? one : none);
        } else {
            lx_licenses(p, fth_value_get(w, "Licenses"));
        }
    }
    assert_int_equal(t.s.warnings, 0);
    lx_free(&t);
}

static void test_syft(void **state)
{
    /* NULL: Syft's licences; else Fathom's (Trivy's order), "" for none */
    static const char *const same1[] = {NULL};
    /* requests: classifier "Apache Software License" comes before License "Apache 2.0" */
    static const char *const nested[] = {NULL, "Apache Software License"};
    static const char *const test[] = {"Apache Software License"};
    /* Syft concludes BSD-3-Clause from the LICENSE.txt text; that is the licence module's job */
    static const char *const license[] = {"BSD License", "BSD License"};

    (void)state;
    syft_case("python/syft/nested", nested);
    syft_case("python/syft/uppercase", nested);
    syft_case("python/syft/license", license);
    syft_case("python/syft/malformed-record", same1);
    syft_case("python/syft/partial.dist-info", same1);
    syft_case("python/syft/test", test);
    syft_case("python/syft/no-version", same1);
}

static void test_real_image(void **state)
{
    static const char *const sp = "usr/lib/python3.12/site-packages/";
    char dir[256], path[512];
    const struct fth_package *p;
    struct lx t;

    (void)state;
    lx_extract_l2(dir, sizeof(dir));
    lx_init(&t);
    assert_int_equal(cat_fixture_parse_root(&t.s, &cat_python, dir), 0);
    assert_int_equal(t.s.packages.len, 4);
    assert_int_equal(t.s.warnings, 0);

    p = lx_one(&t, "cryptography", "38.0.4");
    snprintf(path, sizeof(path), "%scryptography-38.0.4.dist-info/METADATA", sp);
    lx_common(p, "python", "PyPI", path);
    assert_int_equal(p->nlicenses, 1);
    assert_string_equal(p->licenses[0].value, "BSD-3-Clause OR Apache-2.0");
    assert_string_equal(p->licenses[0].spdx, "BSD-3-Clause OR Apache-2.0");
    assert_int_equal(p->ndepends, 0); /* every Requires-Dist is behind an extra */

    p = lx_one(&t, "PyYAML", "6.0");
    snprintf(path, sizeof(path), "%sPyYAML-6.0.dist-info/METADATA", sp);
    lx_common(p, "python", "PyPI", path);
    assert_int_equal(p->nlicenses, 1);
    assert_string_equal(p->licenses[0].spdx, "MIT");

    p = lx_one(&t, "packaging", "23.0");
    {
        const char *const lic[] = {"Apache Software License", "BSD License", NULL};

        lx_licenses_are(p, lic);
        assert_string_equal(p->licenses[0].spdx, "");
    }
    p = lx_one(&t, "pip", "23.0.1");
    snprintf(path, sizeof(path), "%spip-23.0.1.dist-info/METADATA", sp);
    lx_common(p, "python", "PyPI", path);
    assert_string_equal(p->licenses[0].value, "MIT");
    lx_free(&t);
    lx_rmtree(dir);
}

static void test_bad_input(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct lx t;

    (void)state;
    lx_init(&t);
    assert_int_equal(lx_parse_str(&t, &cat_python, "a.dist-info/METADATA", ""), 0);
    assert_int_equal(lx_parse_str(&t, &cat_python, "a.dist-info/METADATA", "\x01\x02\xff:\n"), 0);
    assert_int_equal(
        lx_parse_str(&t, &cat_python, "a.dist-info/METADATA", "Name: a\nVersion: 1 2\n"), 0);
    assert_int_equal(t.s.packages.len, 0);
    assert_int_equal(t.s.warnings, 3);
    /* CRLF, continuation lines and a missing final newline */
    assert_int_equal(lx_parse_str(&t, &cat_python, "b.dist-info/METADATA",
                                  "Metadata-Version: 2.1\r\nName:  b-pkg \r\nSummary: x\r\n"
                                  "  more\r\nVersion: 1.0\r\nLicense-Expression: mit OR "
                                  "apache-2.0\r\nRequires-Dist: c[x]>=1"),
                     0);
    assert_int_equal(
        lx_parse_str(&t, &cat_python, "c.dist-info/METADATA", "\xEF\xBB\xBFName: c\nVersion: 2\n"),
        0);
    assert_int_equal(t.s.packages.len, 2);
    assert_non_null(lx_one(&t, "c", "2"));
    assert_string_equal(lx_one(&t, "b-pkg", "1.0")->licenses[0].spdx, "MIT OR Apache-2.0");
    assert_string_equal(lx_one(&t, "b-pkg", "1.0")->depends[0], "c");
    /* a huge header block */
    lx_reset(&t);
    assert_int_equal(fth_buf_puts(&b, "Name: big\nVersion: 1\n"), 0);
    for (int i = 0; i < 200000; i++)
        assert_int_equal(fth_buf_printf(&b, "Requires-Dist: dep%d (>=1)\n", i % 50), 0);
    assert_int_equal(lx_parse_text(&t, &cat_python, "big.dist-info/METADATA", b.ptr, b.len), 0);
    assert_int_equal(lx_one(&t, "big", "1")->ndepends, 50);
    fth_buf_release(&b);
    lx_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wants),      cmocka_unit_test(test_trivy),
        cmocka_unit_test(test_details),    cmocka_unit_test(test_syft),
        cmocka_unit_test(test_real_image), cmocka_unit_test(test_bad_input),
    };

    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
