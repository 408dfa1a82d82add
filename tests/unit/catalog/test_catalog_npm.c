/*
 * catalog: the npm cataloger against every npm expectation in ../shared/fixtures/image
 * (Trivy's package-lock and package.json tables, Syft's package-lock tables), yarn.lock and
 * pnpm-lock.yaml in every key form, the real /app layer of oci-alpine:3.20.3-l2, and bad
 * input (broken JSON, wrong types, deep and large files).
 */
#include "langpkg_expect.h"
#include "catalog/langpkg_int.h"

#define NPM_PATH "app/package-lock.json"

static void test_wants(void **state)
{
    (void)state;
    assert_true(cat_npm.wants("app/package-lock.json", 10, 0644));
    assert_true(cat_npm.wants("package-lock.json", 10, 0644));
    assert_true(cat_npm.wants("srv/web/yarn.lock", 10, 0644));
    assert_true(cat_npm.wants("srv/web/pnpm-lock.yaml", 10, 0644));
    assert_true(cat_npm.wants("app/node_modules/lodash/package.json", 10, 0644));
    assert_true(cat_npm.wants("node_modules/@types/react/package.json", 10, 0644));
    assert_true(cat_npm.wants("usr/lib/node_modules/npm/node_modules/abbrev/package.json", 1, 0));
    /* the project's own manifest, files inside a package, lock files shipped in packages */
    assert_false(cat_npm.wants("app/package.json", 10, 0644));
    assert_false(cat_npm.wants("package.json", 10, 0644));
    assert_false(cat_npm.wants("app/node_modules/rxjs/ajax/package.json", 10, 0644));
    assert_false(cat_npm.wants("app/node_modules/@types/package.json", 10, 0644));
    assert_false(cat_npm.wants("node_modules/package.json", 10, 0644));
    assert_false(cat_npm.wants("app/node_modules/.package-lock.json", 10, 0644));
    assert_false(cat_npm.wants("app/node_modules/foo/package-lock.json", 10, 0644));
    assert_false(cat_npm.wants("app/node_modules/foo/yarn.lock", 10, 0644));
    assert_false(cat_npm.wants("app/package-lock.json.bak", 10, 0644));
}

/*
 * Trivy's pkg/dependency/parser/nodejs/npm TestParse: the packages (Name, Version, Dev,
 * Licenses) are exactly case.want, one Fathom package per Trivy ID.
 */
static void trivy_lock(const char *file)
{
    char rel[256], exp[256];
    struct lx t;
    const struct fth_value *want;

    lx_init(&t);
    snprintf(rel, sizeof(rel), "npm/trivy/%s", file);
    snprintf(exp, sizeof(exp), "npm/trivy/%s.expect.json", file);
    want = fth_value_path(lx_expect(&t, exp), "case.want");
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_npm, cat_fixture_path(rel), NPM_PATH), 0);
    if (t.s.packages.len != fth_value_len(want))
        fail_msg("%s: %zu packages, expected %zu", file, t.s.packages.len, fth_value_len(want));
    for (size_t i = 0; i < fth_value_len(want); i++) {
        const struct fth_value *w = fth_value_at(want, i);
        const struct fth_package *p =
            lx_one(&t, lx_str(fth_value_get(w, "Name")), lx_str(fth_value_get(w, "Version")));

        lx_common(p, "npm", "npm", NPM_PATH);
        if (p->dev != fth_value_is_true(fth_value_get(w, "Dev")))
            fail_msg("%s: '%s@%s': dev %d", file, p->name, p->version, p->dev);
        lx_licenses(p, fth_value_get(w, "Licenses"));
    }
    assert_int_equal(t.s.warnings, 0);
    lx_free(&t);
}

static void test_trivy_lock_v1(void **state)
{
    (void)state;
    trivy_lock("package-lock_v1.json");
}

static void test_trivy_lock_v2(void **state)
{
    (void)state;
    trivy_lock("package-lock_v2.json");
}

static void test_trivy_lock_v3(void **state)
{
    (void)state;
    trivy_lock("package-lock_v3.json");
}

static void test_trivy_lock_v3_cases(void **state)
{
    (void)state;
    trivy_lock("package-lock_v3_broken_link.json");
    trivy_lock("package-lock_v3_with-same-dev-and-non-dev.json");
    trivy_lock("package-lock_v3_with_legacy_licenses.json");
    trivy_lock("package-lock_v3_with_peer.json");
    trivy_lock("package-lock_v3_with_workspace.json");
    trivy_lock("package-lock_v3_with_workspace_as_object.json");
    trivy_lock("package-lock_v3_without_root_deps_field.json");
}

/* A few facts the expectation files state only as line ranges or dependency graphs. */
static void test_lock_details(void **state)
{
    const struct fth_package *p;
    struct lx t;

    (void)state;
    lx_init(&t);
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_npm,
                                            cat_fixture_path("npm/trivy/package-lock_v3.json"),
                                            NPM_PATH),
                     0);
    p = lx_one(&t, "body-parser", "1.18.3");
    assert_int_equal(p->ndepends, 10);
    assert_string_equal(p->depends[0], "bytes");
    p = lx_one(&t, "debug", "2.6.9"); /* two node_modules entries, one package */
    assert_int_equal(p->ndepends, 1);
    assert_string_equal(p->depends[0], "ms");
    assert_string_equal(p->purl, "");
    lx_reset(&t);
    assert_int_equal(cat_fixture_parse_file(
                         &t.s, &cat_npm,
                         cat_fixture_path("npm/trivy/package-lock_v3_with_legacy_licenses.json"),
                         NPM_PATH),
                     0);
    p = lx_one(&t, "tv4", "1.3.0");
    assert_string_equal(p->licenses[0].spdx, ""); /* "Public Domain" is not an SPDX id */
    assert_string_equal(p->licenses[1].spdx, "MIT");
    lx_free(&t);
}

/*
 * Syft's TestParsePackageLock*: Fathom follows Trivy where they differ, so the project's own
 * entry (Syft's first package in v2/v3) is absent, and development-only packages (which Syft
 * leaves out by default) are present with dev set. Everything Syft lists otherwise matches by
 * name, version and licences.
 */
static void syft_lock(const char *file, const char *root_name, const char *const *dev_only)
{
    char rel[256], exp[256];
    const struct fth_value *want;
    size_t ndev = 0, nwant = 0;
    struct lx t;

    lx_init(&t);
    snprintf(rel, sizeof(rel), "npm/syft/%s", file);
    snprintf(exp, sizeof(exp), "npm/syft/%s.expect.json", file);
    want = fth_value_get(lx_expect(&t, exp), "packages");
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_npm, cat_fixture_path(rel), NPM_PATH), 0);
    for (size_t i = 0; i < fth_value_len(want); i++) {
        const struct fth_value *w = fth_value_at(want, i);
        const char *name = lx_str(fth_value_get(w, "Name"));
        const struct fth_package *p;

        if (root_name && !strcmp(name, root_name)) {
            assert_null(cat_fixture_find(&t.s, name, NULL));
            continue;
        }
        p = lx_one(&t, name, lx_str(fth_value_get(w, "Version")));
        assert_int_equal(p->dev, 0);
        lx_licenses(p, fth_value_get(w, "Licenses"));
        /* the driver fills purls with fth_catalog_purl; "@types/x" becomes "%40types/x" */
        assert_string_equal(fth_catalog_purl(t.a, p, NULL), lx_str(fth_value_get(w, "PURL")));
        nwant++;
    }
    for (; dev_only[ndev]; ndev += 2)
        assert_int_equal(lx_one(&t, dev_only[ndev], dev_only[ndev + 1])->dev, 1);
    assert_int_equal(t.s.packages.len, nwant + ndev / 2);
    assert_int_equal(t.s.warnings, 0);
    lx_free(&t);
}

static void test_syft_locks(void **state)
{
    static const char *const v1[] = {"node_modules/async", "3.2.4", NULL};
    static const char *const nested[] = {"dev-parent", "1.0.0", "dev-nested", "1.0.0", NULL};
    static const char *const v2v3[] = {"async", "3.2.4", NULL};
    struct lx t;

    (void)state;
    syft_lock("package-lock.json", NULL, v1);
    syft_lock("nested-package-lock-1.json", NULL, nested);
    syft_lock("package-lock-2.json", "npm", v2v3);
    syft_lock("package-lock-3.json", "lock-v3-fixture", v2v3);
    /* integrity "sha1-XxnSuFqY6VWANvajysyIGUIPBc8=" as the digest the SBOM writers take */
    lx_init(&t);
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_npm,
                                            cat_fixture_path("npm/syft/package-lock-2.json"),
                                            NPM_PATH),
                     0);
    assert_string_equal(lx_one(&t, "@types/prop-types", "15.7.5")->digest,
                        "sha1:5f19d2b85a98e9558036f6a3cacc8819420f05cf");
    lx_free(&t);
}

/* Trivy's pkg/dependency/parser/nodejs/packagejson TestParse, as installed manifests. */
static void trivy_manifest(const char *file)
{
    char rel[256], exp[256];
    const struct fth_value *c, *want;
    const char *name, *err;
    struct lx t;

    lx_init(&t);
    snprintf(rel, sizeof(rel), "npm/trivy/%s", file);
    snprintf(exp, sizeof(exp), "npm/trivy/%s.expect.json", file);
    c = fth_value_get(lx_expect(&t, exp), "case");
    want = fth_value_path(c, "want.Package");
    err = fth_value_str(fth_value_get(c, "wantErr"));
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_npm, cat_fixture_path(rel),
                                            "app/node_modules/x/package.json"),
                     0);
    name = lx_str(fth_value_get(want, "Name"));
    if (err || !*name) {
        /* Trivy fails (a warning here), or returns a package without a name (Fathom lists
         * nothing: a package needs a name) */
        assert_int_equal(t.s.packages.len, 0);
        assert_int_equal(t.s.warnings, err ? 1 : 0);
    } else {
        const struct fth_package *p;

        assert_int_equal(t.s.packages.len, 1);
        p = lx_one(&t, name, lx_str(fth_value_get(want, "Version")));
        lx_common(p, "npm", "npm", "app/node_modules/x/package.json");
        assert_int_equal(p->dev, 0);
        lx_licenses(p, fth_value_get(want, "Licenses"));
        assert_int_equal(t.s.warnings, 0);
    }
    lx_free(&t);
}

static void test_trivy_manifests(void **state)
{
    static const char *const files[] = {
        "package.json",
        "legacy_package.json",
        "legacy_array_package.json",
        "mixed_array_license_package.json",
        "empty_array_license_package.json",
        "invalid_license_package.json",
        "null_license_package.json",
        "unknown_license_object_package.json",
        "without_version_package.json",
        "without_name_and_version_package.json",
        "workspace_as_map_package.json",
        "invalid_package.json",
        "invalid_name.json",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++)
        trivy_manifest(files[i]);
}

static void test_manifest_depends(void **state)
{
    const struct fth_package *p;
    struct lx t;

    (void)state;
    lx_init(&t);
    assert_int_equal(cat_fixture_parse_file(&t.s, &cat_npm,
                                            cat_fixture_path("npm/trivy/package.json"),
                                            "node_modules/bootstrap/package.json"),
                     0);
    p = lx_one(&t, "bootstrap", "5.0.2");
    /* dependencies and optionalDependencies; never devDependencies */
    assert_int_equal(p->ndepends, 2);
    assert_string_equal(p->depends[0], "js-tokens");
    assert_string_equal(p->depends[1], "colors");
    assert_string_equal(p->licenses[0].spdx, "MIT");
    lx_free(&t);
}

static const char yarn_v1_lock[] =
    "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n"
    "# yarn lockfile v1\n"
    "\n"
    "\n"
    "\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n"
    "  version \"7.12.13\"\n"
    "  resolved \"https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#dc\"\n"
    "  integrity "
    "sha512-HV1Cm0Q3ZrpCR93tkWOYiuYIgLxZXZFVG2VgK+MBWjUqZTundupbfx2aXarXuw5Ko5aMcjtJgbSs4vUGBS5v6g="
    "=\n"
    "  dependencies:\n"
    "    \"@babel/highlight\" \"^7.12.13\"\n"
    "\n"
    "js-tokens@^4.0.0, js-tokens@^4.0.1:\n"
    "  version \"4.0.0\"\n"
    "  resolved \"https://registry.yarnpkg.com/js-tokens/-/js-tokens-4.0.0.tgz\"\r\n"
    "\n"
    "string-width-cjs@npm:string-width@^4.2.0:\n"
    "  version \"4.2.3\"\n"
    "  dependencies:\n"
    "    emoji-regex \"^8.0.0\"\n"
    "    is-fullwidth-code-point \"^3.0.0\"\n"
    "  optionalDependencies:\n"
    "    fsevents \"~2.3.2\"\n"
    "\n"
    "\"local-thing@file:./local\":\n"
    "  version \"0.0.1\"\n"
    "\n"
    "no-version@^1.0.0:\n"
    "  resolved \"https://example/no-version.tgz\"\n"
    "\n"
    "\"quoted\\\"name@^1\":\n"
    "  version 1.2.3\n";

static void test_yarn_v1(void **state)
{
    const struct fth_package *p;
    struct lx t;

    (void)state;
    lx_init(&t);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/yarn.lock", yarn_v1_lock), 0);
    assert_int_equal(t.s.packages.len, 4);
    p = lx_one(&t, "@babel/code-frame", "7.12.13");
    lx_common(p, "npm", "npm", "app/yarn.lock");
    assert_string_equal(p->digest,
                        "sha512:1d5d429b443766ba4247dded9163988ae60880bc595d91551b65602be"
                        "3015a352a653ba776ea5b7f1d9a5daad7bb0e4aa3968c723b4981b4ace2f5"
                        "06052e6fea");
    assert_string_equal(lx_one(&t, "js-tokens", "4.0.0")->digest, "");
    assert_int_equal(p->ndepends, 1);
    assert_string_equal(p->depends[0], "@babel/highlight");
    assert_int_equal(lx_one(&t, "js-tokens", "4.0.0")->ndepends, 0);
    /* an alias names the real package */
    p = lx_one(&t, "string-width", "4.2.3");
    assert_int_equal(p->ndepends, 3);
    assert_string_equal(p->depends[2], "fsevents");
    assert_non_null(lx_one(&t, "quoted\"name", "1.2.3"));
    assert_null(cat_fixture_find(&t.s, "local-thing", NULL));
    assert_int_equal(t.s.warnings, 1); /* no-version */
    lx_free(&t);
}

static const char yarn_berry_lock[] =
    "# This file is generated by running \"yarn install\" inside your project.\n"
    "# Manual changes might be lost - proceed with caution!\n"
    "\n"
    "__metadata:\n"
    "  version: 6\n"
    "  cacheKey: 8\n"
    "\n"
    "\"@babel/code-frame@npm:^7.0.0, @babel/code-frame@npm:^7.10.4\":\n"
    "  version: 7.12.13\n"
    "  resolution: \"@babel/code-frame@npm:7.12.13\"\n"
    "  dependencies:\n"
    "    \"@babel/highlight\": ^7.12.13\n"
    "  checksum: 471532bb7cf4224d2f\n"
    "  languageName: node\n"
    "  linkType: hard\n"
    "\n"
    "\"ms@npm:2.0\":\n"
    "  version: 2.0\n"
    "  resolution: \"ms@npm:2.0.0\"\n"
    "  languageName: node\n"
    "  linkType: hard\n"
    "\n"
    "\"typescript@patch:typescript@^5.0.0#~builtin<compat/typescript>\":\n"
    "  version: 5.0.4\n"
    "  resolution: "
    "\"typescript@patch:typescript@npm%3A5.0.4#~builtin<compat/typescript>::version=5.0.4\"\n"
    "  languageName: node\n"
    "  linkType: hard\n"
    "\n"
    "\"typescript@npm:^5.0.0\":\n"
    "  version: 5.0.4\n"
    "  resolution: \"typescript@npm:5.0.4\"\n"
    "  languageName: node\n"
    "  linkType: hard\n"
    "\n"
    "\"lodash@https://github.com/lodash/lodash.git#commit=abc\":\n"
    "  version: 4.17.21\n"
    "  resolution: \"lodash@https://github.com/lodash/lodash.git#commit=abc\"\n"
    "  languageName: node\n"
    "  linkType: hard\n"
    "\n"
    "\"my-app@workspace:.\":\n"
    "  version: 0.0.0-use.local\n"
    "  resolution: \"my-app@workspace:.\"\n"
    "  languageName: unknown\n"
    "  linkType: soft\n";

static void test_yarn_berry(void **state)
{
    const struct fth_package *p;
    struct lx t;

    (void)state;
    lx_init(&t);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/yarn.lock", yarn_berry_lock), 0);
    assert_int_equal(t.s.packages.len, 4);
    p = lx_one(&t, "@babel/code-frame", "7.12.13");
    assert_int_equal(p->ndepends, 1);
    assert_string_equal(p->depends[0], "@babel/highlight");
    /* the version from the resolution, not YAML's reading of "2.0" as a number */
    assert_non_null(lx_one(&t, "ms", "2.0.0"));
    assert_non_null(lx_one(&t, "typescript", "5.0.4"));
    assert_non_null(lx_one(&t, "lodash", "4.17.21"));
    assert_null(cat_fixture_find(&t.s, "my-app", NULL));
    assert_int_equal(t.s.warnings, 0);
    lx_free(&t);
}

static const char pnpm_v5[] = "lockfileVersion: 5.4\n"
                              "\n"
                              "specifiers:\n"
                              "  react: ^18.2.0\n"
                              "\n"
                              "dependencies:\n"
                              "  react: 18.2.0\n"
                              "\n"
                              "packages:\n"
                              "\n"
                              "  /@babel/code-frame/7.12.13:\n"
                              "    resolution: {integrity: sha512-abc}\n"
                              "    dependencies:\n"
                              "      '@babel/highlight': 7.12.13\n"
                              "    dev: true\n"
                              "\n"
                              "  /react-dom/18.2.0_react@18.2.0:\n"
                              "    resolution: {integrity: sha512-def}\n"
                              "    dependencies:\n"
                              "      loose-envify: 1.4.0\n"
                              "      react: 18.2.0\n"
                              "    dev: false\n"
                              "\n"
                              "  /react/18.2.0:\n"
                              "    resolution: {integrity: sha512-ghi}\n"
                              "    dev: false\n"
                              "\n"
                              "  github.com/user/repo/0123abcd:\n"
                              "    resolution: {tarball: https://codeload.github.com/x}\n"
                              "    name: repo\n"
                              "    version: 1.0.0\n"
                              "    dev: false\n";

static const char pnpm_v6[] = "lockfileVersion: '6.0'\n"
                              "\n"
                              "packages:\n"
                              "\n"
                              "  /@babel/code-frame@7.12.13:\n"
                              "    resolution: {integrity: sha512-abc}\n"
                              "    dev: true\n"
                              "\n"
                              "  /react-dom@18.2.0(react@18.2.0):\n"
                              "    resolution: {integrity: sha512-def}\n"
                              "    peerDependencies:\n"
                              "      react: ^18.2.0\n"
                              "    dependencies:\n"
                              "      react: 18.2.0\n"
                              "      scheduler: 0.23.0\n"
                              "    dev: false\n"
                              "\n"
                              "  /react-dom@18.2.0(react@18.3.0):\n"
                              "    resolution: {integrity: sha512-def}\n"
                              "    dev: false\n"
                              "\n"
                              "  /react@18.2.0:\n"
                              "    resolution: {integrity: sha512-ghi}\n";

static const char pnpm_v9[] = "lockfileVersion: '9.0'\n"
                              "\n"
                              "importers:\n"
                              "  .:\n"
                              "    dependencies:\n"
                              "      react-dom:\n"
                              "        specifier: ^18.2.0\n"
                              "        version: 18.2.0(react@18.2.0)\n"
                              "      mylib:\n"
                              "        specifier: workspace:*\n"
                              "        version: link:packages/mylib\n"
                              "    devDependencies:\n"
                              "      '@babel/code-frame':\n"
                              "        specifier: ^7.12.0\n"
                              "        version: 7.12.13\n"
                              "\n"
                              "packages:\n"
                              "\n"
                              "  '@babel/code-frame@7.12.13':\n"
                              "    resolution: {integrity: sha512-abc}\n"
                              "\n"
                              "  react-dom@18.2.0:\n"
                              "    resolution: {integrity: sha512-def}\n"
                              "    peerDependencies:\n"
                              "      react: ^18.2.0\n"
                              "\n"
                              "  react@18.2.0:\n"
                              "    resolution: {integrity: sha512-ghi}\n"
                              "\n"
                              "  shared@1.0.0:\n"
                              "    resolution: {integrity: sha512-jkl}\n"
                              "\n"
                              "  js-tokens@4.0.0:\n"
                              "    resolution: {integrity: sha512-mno}\n"
                              "\n"
                              "  local@file:packages/local:\n"
                              "    resolution: {directory: packages/local, type: directory}\n"
                              "\n"
                              "snapshots:\n"
                              "\n"
                              "  '@babel/code-frame@7.12.13':\n"
                              "    dependencies:\n"
                              "      js-tokens: 4.0.0\n"
                              "      shared: 1.0.0\n"
                              "\n"
                              "  react-dom@18.2.0(react@18.2.0):\n"
                              "    dependencies:\n"
                              "      react: 18.2.0\n"
                              "      shared: 1.0.0\n"
                              "\n"
                              "  react@18.2.0: {}\n"
                              "\n"
                              "  shared@1.0.0: {}\n"
                              "\n"
                              "  js-tokens@4.0.0: {}\n";

static void test_pnpm(void **state)
{
    const struct fth_package *p;
    struct lx t;

    (void)state;
    lx_init(&t);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/pnpm-lock.yaml", pnpm_v5), 0);
    assert_int_equal(t.s.packages.len, 4);
    p = lx_one(&t, "@babel/code-frame", "7.12.13");
    lx_common(p, "npm", "npm", "app/pnpm-lock.yaml");
    assert_int_equal(p->dev, 1);
    assert_string_equal(p->depends[0], "@babel/highlight");
    p = lx_one(&t, "react-dom", "18.2.0");
    assert_int_equal(p->dev, 0);
    assert_int_equal(p->ndepends, 2);
    assert_int_equal(lx_one(&t, "react", "18.2.0")->dev, 0);
    assert_non_null(lx_one(&t, "repo", "1.0.0"));
    assert_int_equal(t.s.warnings, 0);

    lx_reset(&t);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/pnpm-lock.yaml", pnpm_v6), 0);
    /* the two peer variants of react-dom are one package */
    assert_int_equal(t.s.packages.len, 3);
    assert_int_equal(lx_one(&t, "@babel/code-frame", "7.12.13")->dev, 1);
    p = lx_one(&t, "react-dom", "18.2.0");
    assert_int_equal(p->ndepends, 2);
    assert_string_equal(p->depends[1], "scheduler");
    assert_non_null(lx_one(&t, "react", "18.2.0"));
    assert_int_equal(t.s.warnings, 0);

    lx_reset(&t);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/pnpm-lock.yaml", pnpm_v9), 0);
    assert_int_equal(t.s.packages.len, 5);
    /* v9 has no dev flags: what only devDependencies reach is dev */
    assert_int_equal(lx_one(&t, "@babel/code-frame", "7.12.13")->dev, 1);
    assert_int_equal(lx_one(&t, "js-tokens", "4.0.0")->dev, 1);
    assert_int_equal(lx_one(&t, "shared", "1.0.0")->dev, 0);
    assert_int_equal(lx_one(&t, "react", "18.2.0")->dev, 0);
    p = lx_one(&t, "react-dom", "18.2.0");
    assert_int_equal(p->dev, 0);
    assert_int_equal(p->ndepends, 2); /* from its snapshot, peers and all */
    assert_string_equal(p->depends[0], "react");
    assert_null(cat_fixture_find(&t.s, "local", NULL));
    assert_int_equal(t.s.warnings, 0);
    lx_free(&t);
}

/* The /app of oci-alpine:3.20.3-l2: its package-lock v3 and its five installed manifests. */
static void test_real_image(void **state)
{
    static const char *const names[] = {"lodash", "4.17.20",  "MIT",     "lru-cache", "6.0.0",
                                        "ISC",    "minimist", "1.2.5",   "MIT",       "semver",
                                        "7.3.5",  "ISC",      "yallist", "4.0.0",     "ISC"};
    char dir[256];
    struct lx t;

    (void)state;
    lx_extract_l2(dir, sizeof(dir));
    lx_init(&t);
    assert_int_equal(cat_fixture_parse_root(&t.s, &cat_npm, dir), 0);
    assert_int_equal(t.s.packages.len, 10);
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i += 3) {
        char manifest[256];
        size_t found = 0;

        snprintf(manifest, sizeof(manifest), "app/node_modules/%s/package.json", names[i]);
        for (size_t j = 0; j < t.s.packages.len; j++) {
            const struct fth_package *p = cat_fixture_pkg(&t.s, j);
            const char *const lic[] = {names[i + 2], NULL};

            if (strcmp(p->name, names[i]))
                continue;
            found++;
            assert_string_equal(p->version, names[i + 1]);
            assert_string_equal(p->type, "npm");
            assert_string_equal(p->ecosystem, "npm");
            assert_int_equal(p->dev, 0);
            lx_licenses_are(p, lic);
            assert_string_equal(p->licenses[0].spdx, names[i + 2]);
            if (strcmp(p->path, "app/package-lock.json"))
                assert_string_equal(p->path, manifest);
            else if (!strcmp(p->name, "lodash"))
                assert_string_equal(
                    p->digest, "sha512:3e585d15c8a594e20d7de57b362ea81754c011acb2641a19f1b72c8531"
                               "ea39825896bab344ae616a0a5a824cb9a381df0b3cddd534645cf305aba70a"
                               "93dac698");
        }
        assert_int_equal(found, 2);
    }
    assert_null(cat_fixture_find(&t.s, "fixture-app", NULL));
    assert_int_equal(t.s.warnings, 0);
    lx_free(&t);
    lx_rmtree(dir);
}

static void test_bad_input(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct lx t;

    (void)state;
    lx_init(&t);
    /* broken JSON: a warning, nothing listed */
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/package-lock.json",
                                  "{\"packages\": {\"node_modules/a\": {\"version\": \"1\""),
                     0);
    assert_int_equal(t.s.packages.len, 0);
    assert_int_equal(t.s.warnings, 1);

    /* wrong types: the entries that can be read still are */
    lx_reset(&t);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/package-lock.json",
                                  "{\"lockfileVersion\": 3, \"packages\": {"
                                  "\"node_modules/a\": {\"version\": 1.5},"
                                  "\"node_modules/b\": {\"version\": \"2.0.0\", \"dev\": \"yes\","
                                  " \"license\": 7, \"dependencies\": [1]},"
                                  "\"node_modules/c\": [],"
                                  "\"node_modules/d\": {\"version\": \"1.0.0\", \"link\": true,"
                                  " \"resolved\": 5},"
                                  "\"node_modules/e\": {\"version\": \"1.0.0\"}}}"),
                     0);
    assert_int_equal(t.s.packages.len, 2);
    assert_int_equal(lx_one(&t, "b", "2.0.0")->nlicenses, 0);
    assert_non_null(lx_one(&t, "e", "1.0.0"));
    assert_int_equal(t.s.warnings, 2);

    lx_reset(&t);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "node_modules/a/package.json",
                                  "{\"name\": \"a\", \"version\": 1}"),
                     0);
    assert_int_equal(t.s.packages.len, 0);
    assert_int_equal(t.s.warnings, 1);
    /* a byte order mark is not an error */
    lx_reset(&t);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "node_modules/a/package.json",
                                  "\xEF\xBB\xBF{\"name\": \"a\", \"version\": \"1.0.0\"}"),
                     0);
    assert_non_null(lx_one(&t, "a", "1.0.0"));
    assert_int_equal(t.s.warnings, 0);
    lx_reset(&t);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "node_modules/a/package.json", "[1, 2]"), 0);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/pnpm-lock.yaml", "packages: [1]\n"), 0);
    /* found by fuzz_lockfiles: a lockfileVersion out of int's range */
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/pnpm-lock.yaml",
                                  "lockfileVersion: +.INF\npackages: {}\n"),
                     0);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/pnpm-lock.yaml",
                                  "lockfileVersion: 1e300\npackages: {}\n"),
                     0);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/pnpm-lock.yaml",
                                  "lockfileVersion: -9223372036854775808\npackages: {}\n"),
                     0);
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/yarn.lock", "foo@1\n  version \"1\n"), 0);
    /* an unterminated quote where a key or dependency should be is bad input, not ENOMEM */
    assert_int_equal(lx_parse_str(&t, &cat_npm, "app/yarn.lock",
                                  "foo@1:\n  \"version 1\n  dependencies:\n    \"bar\n"),
                     0);
    assert_int_equal(t.s.packages.len, 0);

    /* deep nesting: the loader's depth limit, a warning */
    lx_reset(&t);
    assert_int_equal(fth_buf_puts(&b, "{\"dependencies\": "), 0);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(fth_buf_puts(&b, "{\"a\": {\"version\": \"1.0.0\", \"dependencies\": "),
                         0);
    assert_int_equal(lx_parse_text(&t, &cat_npm, "app/package-lock.json", b.ptr, b.len), 0);
    assert_int_equal(t.s.packages.len, 0);
    assert_int_equal(t.s.warnings, 1);

    /* a large v1 tree as deep as the loader allows, and 100000 packages */
    lx_reset(&t);
    fth_buf_clear(&b);
    assert_int_equal(fth_buf_puts(&b, "{\"dependencies\": "), 0);
    for (int i = 0; i < 120; i++)
        assert_int_equal(
            fth_buf_printf(&b, "{\"p%d\": {\"version\": \"1.0.%d\", \"dependencies\": ", i, i), 0);
    assert_int_equal(fth_buf_puts(&b, "{}"), 0);
    for (int i = 0; i < 120; i++)
        assert_int_equal(fth_buf_puts(&b, "}}"), 0);
    assert_int_equal(fth_buf_puts(&b, "}"), 0);
    assert_int_equal(lx_parse_text(&t, &cat_npm, "app/package-lock.json", b.ptr, b.len), 0);
    assert_int_equal(t.s.packages.len, 120);
    assert_int_equal(t.s.warnings, 0);

    lx_reset(&t);
    fth_buf_clear(&b);
    assert_int_equal(fth_buf_puts(&b, "{\"lockfileVersion\": 3, \"packages\": {\"\": {}"), 0);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(
            fth_buf_printf(&b, ",\"node_modules/p%d\": {\"version\": \"1.0.%d\"}", i, i % 7), 0);
    assert_int_equal(fth_buf_puts(&b, "}}"), 0);
    assert_int_equal(lx_parse_text(&t, &cat_npm, "app/package-lock.json", b.ptr, b.len), 0);
    assert_int_equal(t.s.packages.len, 100000);
    assert_string_equal(lx_one(&t, "p99999", "1.0.4")->name, "p99999");
    assert_int_equal(t.s.warnings, 0);

    /* 50000 workspace links, each resolved through an index */
    lx_reset(&t);
    fth_buf_clear(&b);
    assert_int_equal(fth_buf_puts(&b, "{\"lockfileVersion\": 3, \"packages\": {\"\": {}"), 0);
    for (int i = 0; i < 50000; i++)
        assert_int_equal(
            fth_buf_printf(&b,
                           ",\"w/p%d\": {\"version\": \"2.0.%d\"},"
                           "\"node_modules/p%d\": {\"link\": true, \"resolved\": \"w/p%d\"}",
                           i, i, i, i),
            0);
    assert_int_equal(fth_buf_puts(&b, "}}"), 0);
    assert_int_equal(lx_parse_text(&t, &cat_npm, "app/package-lock.json", b.ptr, b.len), 0);
    assert_int_equal(t.s.packages.len, 50000);
    assert_non_null(lx_one(&t, "p49999", "2.0.49999"));

    /* one package with 100000 dependencies, each listed in dependencies and optionalDependencies */
    lx_reset(&t);
    fth_buf_clear(&b);
    assert_int_equal(fth_buf_puts(&b, "{\"name\": \"wide\", \"version\": \"1.0.0\""), 0);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(
            fth_buf_puts(&b, k ? ", \"optionalDependencies\": {" : ", \"dependencies\": {"), 0);
        for (int i = 0; i < 100000; i++)
            assert_int_equal(fth_buf_printf(&b, "%s\"d%d\": \"*\"", i ? "," : "", i), 0);
        assert_int_equal(fth_buf_putc(&b, '}'), 0);
    }
    assert_int_equal(fth_buf_putc(&b, '}'), 0);
    assert_int_equal(lx_parse_text(&t, &cat_npm, "node_modules/wide/package.json", b.ptr, b.len),
                     0);
    assert_int_equal(lx_one(&t, "wide", "1.0.0")->ndepends, 100000);
    fth_buf_release(&b);
    lx_free(&t);
}

/* The small SPDX check all language catalogers share (langpkg.c). */
static void test_spdx(void **state)
{
    static const char *const cases[][2] = {
        {"MIT", "MIT"},
        {"mit", "MIT"},
        {"(MIT OR Apache-2.0)", "(MIT OR Apache-2.0)"},
        {"mit or apache-2.0", "MIT OR Apache-2.0"},
        {"BSD-3-Clause OR Apache-2.0", "BSD-3-Clause OR Apache-2.0"},
        {"GPL-2.0+", "GPL-2.0+"},
        {"GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"},
        {"MIT AND (ISC OR BSD-2-Clause)", "MIT AND (ISC OR BSD-2-Clause)"},
        {"LicenseRef-Proprietary", "LicenseRef-Proprietary"},
        {"Public Domain", ""},
        {"Apache2", ""},
        {"MIT OR", ""},
        {"(MIT", ""},
        {"MIT)", ""},
        {"()", ""},
        {"MIT WITH MIT", ""},
        {"WITH", ""},
        {"", ""},
        {"UNKNOWN", ""},
        {"file://LICENSE.txt", ""},
    };
    static const char *const sri[][2] = {
        {"sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE=",
         "sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"},
        {"sha1-XxnSuFqY6VWANvajysyIGUIPBc8= sha256-AAAA",
         "sha1:5f19d2b85a98e9558036f6a3cacc8819420f05cf"},
        {"sha1-XxnSuFqY6VWANvajysyIGUIPBc8", "sha1:5f19d2b85a98e9558036f6a3cacc8819420f05cf"},
        {"sha1-XxnSuFqY6VWANvajysyIGUIPBc8A", ""}, /* one byte too many */
        {"sha1-XxnSuFqY6VWANvajysyIGUIPB", ""},    /* too short */
        {"sha1-Xxn!uFqY6VWANvajysyIGUIPBc8=", ""}, /* not base64 */
        {"md5-XxnSuFqY6VWANvajysyIGUIPBc8=", ""},
        {"sha512-abc", ""},
        {"", ""},
    };
    struct fth_arena *a = fth_arena_new();

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        assert_string_equal(lang_spdx(a, cases[i][0]), cases[i][1]);
    for (size_t i = 0; i < sizeof(sri) / sizeof(*sri); i++)
        assert_string_equal(lang_sri_digest(a, sri[i][0]), sri[i][1]);
    assert_string_equal(lang_sri_digest(a, NULL), "");
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wants),
        cmocka_unit_test(test_trivy_lock_v1),
        cmocka_unit_test(test_trivy_lock_v2),
        cmocka_unit_test(test_trivy_lock_v3),
        cmocka_unit_test(test_trivy_lock_v3_cases),
        cmocka_unit_test(test_lock_details),
        cmocka_unit_test(test_syft_locks),
        cmocka_unit_test(test_trivy_manifests),
        cmocka_unit_test(test_manifest_depends),
        cmocka_unit_test(test_yarn_v1),
        cmocka_unit_test(test_yarn_berry),
        cmocka_unit_test(test_pnpm),
        cmocka_unit_test(test_real_image),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_spdx),
    };

    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
