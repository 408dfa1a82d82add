/*
 * sbom: CycloneDX and SPDX documents from a hand-built image and inventory. The schema
 * validation of real images' documents is in tests/integration/image_cli.sh; here, the
 * content: identities, licences, hashes, purls, layers and dependency edges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "fathom/fathom.h"

static const struct fth_layer layers[] = {
    {0, "sha256:1111111111111111111111111111111111111111111111111111111111111111", "", "", 10,
     "ADD rootfs.tar /"},
    {1, "sha256:2222222222222222222222222222222222222222222222222222222222222222", "", "", 20,
     "RUN npm install"},
};

static const struct fth_license mit[] = {{"MIT", "MIT"}};
static const struct fth_license two[] = {{"GPL-2.0-or-later", "GPL-2.0-or-later"},
                                         {"Artistic", ""}};
static const struct fth_license expr[] = {{"MIT or Apache 2", "MIT OR Apache-2.0"},
                                          {"BSD", "BSD-3-Clause"}};
static const char *const libc_deps[] = {"libgcc-s1", "not-installed"};
static const char *const app_deps[] = {"lodash", "lodash"};

static struct fth_package pkgs[4];

static void setup_inventory(struct fth_image *img, struct fth_inventory *inv)
{
    static const char *const none[] = {NULL};

    memset(img, 0, sizeof(*img));
    img->ref = "oci:/images/app:1.0";
    img->transport = "oci";
    img->name = "app:1.0";
    img->digest = "sha256:abababababababababababababababababababababababababababababababab";
    img->config_digest = "sha256:cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd";
    img->os = "linux";
    img->architecture = "amd64";
    img->variant = img->created = img->user = "";
    img->env = img->entrypoint = img->cmd = img->exposed_ports = none;
    img->layers = layers;
    img->nlayers = 2;

    memset(pkgs, 0, sizeof(pkgs));
    for (size_t i = 0; i < 4; i++) {
        pkgs[i].type = pkgs[i].ecosystem = pkgs[i].name = pkgs[i].version = "";
        pkgs[i].src_name = pkgs[i].src_version = pkgs[i].arch = pkgs[i].purl = "";
        pkgs[i].digest = pkgs[i].path = "";
    }
    pkgs[0] = (struct fth_package){.type = "deb", .ecosystem = "Debian", .name = "libc6",
                                   .version = "2.36-9+deb12u7", .src_name = "glibc",
                                   .src_version = "2.36-9+deb12u7", .arch = "amd64",
                                   .purl = "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64",
                                   .licenses = two, .nlicenses = 2, .depends = libc_deps,
                                   .ndepends = 2, .digest = "", .path = "var/lib/dpkg/status",
                                   .layer = 0};
    pkgs[1] = (struct fth_package){.type = "deb", .ecosystem = "Debian", .name = "libgcc-s1",
                                   .version = "12.2.0-14", .src_name = "", .src_version = "",
                                   .arch = "amd64",
                                   .purl = "pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64",
                                   .digest = "", .path = "var/lib/dpkg/status", .layer = 0};
    pkgs[2] = (struct fth_package){.type = "npm", .ecosystem = "npm", .name = "app",
                                   .version = "1.0.0", .src_name = "", .src_version = "",
                                   .arch = "", .purl = "pkg:npm/app@1.0.0", .licenses = expr,
                                   .nlicenses = 2, .depends = app_deps, .ndepends = 2,
                                   .digest = "", .path = "app/package.json", .layer = 1};
    pkgs[3] = (struct fth_package){.type = "npm", .ecosystem = "npm", .name = "lodash",
                                   .version = "4.17.20", .src_name = "", .src_version = "",
                                   .arch = "", .purl = "pkg:npm/lodash@4.17.20",
                                   .licenses = mit, .nlicenses = 1,
                                   .digest = "sha1:0123456789abcdef0123456789abcdef01234567",
                                   .path = "app/node_modules/lodash/package.json", .layer = 1};
    memset(inv, 0, sizeof(*inv));
    inv->os = (struct fth_os){"debian", "12",         "bookworm", "Debian GNU/Linux 12 (bookworm)",
                              "debian", "bookworm",   "2028-06-30", 0,
                              "etc/os-release", 0};
    inv->packages = pkgs;
    inv->npackages = 4;
}

static json_t *render(enum fth_sbom_format fmt)
{
    struct fth_sbom_opts opts = FTH_SBOM_OPTS_INIT;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_image img;
    struct fth_inventory inv;
    struct fth_error err;
    json_error_t jerr;
    json_t *doc;

    setup_inventory(&img, &inv);
    opts.timestamp = "2026-01-02T03:04:05Z";
    opts.uuid = "0b5e8f4c-1d2e-4f3a-8b9c-0d1e2f3a4b5c";
    assert_int_equal(fth_sbom_write(&out, fmt, &img, &inv, &opts, &err), 0);
    assert_true(out.len > 0 && out.ptr[out.len - 1] == '\n');
    doc = json_loads(out.ptr, 0, &jerr);
    fth_buf_release(&out);
    assert_non_null(doc);
    return doc;
}

static json_t *find_by(json_t *arr, const char *key, const char *value)
{
    size_t i;
    json_t *v;

    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(json_object_get(v, key));

        if (s && !strcmp(s, value))
            return v;
    }
    return NULL;
}

static void test_sbom_cyclonedx(void **state)
{
    json_t *doc = render(FTH_SBOM_CYCLONEDX), *comps, *c, *deps, *d, *lic;

    (void)state;
    assert_string_equal(json_string_value(json_object_get(doc, "specVersion")), "1.6");
    assert_string_equal(json_string_value(json_object_get(doc, "serialNumber")),
                        "urn:uuid:0b5e8f4c-1d2e-4f3a-8b9c-0d1e2f3a4b5c");
    c = json_object_get(json_object_get(doc, "metadata"), "component");
    assert_string_equal(json_string_value(json_object_get(c, "type")), "container");
    assert_string_equal(json_string_value(json_object_get(c, "name")), "app:1.0");
    comps = json_object_get(doc, "components");
    assert_int_equal(json_array_size(comps), 5); /* the OS and four packages */
    c = find_by(comps, "type", "operating-system");
    assert_non_null(c);
    assert_string_equal(json_string_value(json_object_get(c, "version")), "12");

    /* every licence normalised: one expression, compound parts in parentheses */
    c = find_by(comps, "name", "app");
    lic = json_array_get(json_object_get(c, "licenses"), 0);
    assert_string_equal(json_string_value(json_object_get(lic, "expression")),
                        "(MIT OR Apache-2.0) AND BSD-3-Clause");
    /* one licence unknown: every licence by name, none invented */
    c = find_by(comps, "name", "libc6");
    assert_int_equal(json_array_size(json_object_get(c, "licenses")), 2);
    lic = json_object_get(json_array_get(json_object_get(c, "licenses"), 1), "license");
    assert_string_equal(json_string_value(json_object_get(lic, "name")), "Artistic");
    assert_null(json_object_get(lic, "id"));
    /* hashes and the layer that brought the package */
    c = find_by(comps, "name", "lodash");
    d = json_array_get(json_object_get(c, "hashes"), 0);
    assert_string_equal(json_string_value(json_object_get(d, "alg")), "SHA-1");
    assert_string_equal(json_string_value(json_object_get(d, "content")),
                        "0123456789abcdef0123456789abcdef01234567");
    d = find_by(json_object_get(c, "properties"), "name", "fathom:layer:digest");
    assert_string_equal(json_string_value(json_object_get(d, "value")), layers[1].digest);

    /* dependencies: the image on everything; declared edges resolved once, unknown dropped */
    deps = json_object_get(doc, "dependencies");
    d = find_by(deps, "ref", "image");
    assert_int_equal(json_array_size(json_object_get(d, "dependsOn")), 5);
    d = find_by(deps, "ref", "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64");
    assert_int_equal(json_array_size(json_object_get(d, "dependsOn")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(d, "dependsOn"), 0)),
                        "pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64");
    d = find_by(deps, "ref", "pkg:npm/app@1.0.0");
    assert_int_equal(json_array_size(json_object_get(d, "dependsOn")), 1);
    json_decref(doc);
}

static void test_sbom_spdx(void **state)
{
    json_t *doc = render(FTH_SBOM_SPDX), *pk, *p, *rels, *r;
    size_t i, contains = 0, depends = 0;

    (void)state;
    assert_string_equal(json_string_value(json_object_get(doc, "spdxVersion")), "SPDX-2.3");
    assert_non_null(strstr(json_string_value(json_object_get(doc, "documentNamespace")),
                           "0b5e8f4c-1d2e-4f3a-8b9c-0d1e2f3a4b5c"));
    pk = json_object_get(doc, "packages");
    assert_int_equal(json_array_size(pk), 6); /* image, OS, four packages */
    p = find_by(pk, "SPDXID", "SPDXRef-Image");
    assert_string_equal(json_string_value(json_object_get(p, "primaryPackagePurpose")),
                        "CONTAINER");
    p = find_by(pk, "name", "libc6");
    assert_string_equal(json_string_value(json_object_get(p, "licenseDeclared")), "NOASSERTION");
    p = find_by(pk, "name", "app");
    assert_string_equal(json_string_value(json_object_get(p, "licenseDeclared")),
                        "(MIT OR Apache-2.0) AND BSD-3-Clause");
    p = find_by(pk, "name", "lodash");
    r = json_array_get(json_object_get(p, "externalRefs"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "referenceLocator")),
                        "pkg:npm/lodash@4.17.20");
    r = json_array_get(json_object_get(p, "checksums"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "algorithm")), "SHA1");
    assert_non_null(strstr(json_string_value(json_object_get(p, "sourceInfo")),
                           layers[1].digest));

    rels = json_object_get(doc, "relationships");
    json_array_foreach(rels, i, r) {
        const char *t = json_string_value(json_object_get(r, "relationshipType"));

        contains += !strcmp(t, "CONTAINS");
        depends += !strcmp(t, "DEPENDS_ON");
    }
    assert_int_equal(contains, 5);
    assert_int_equal(depends, 2); /* libc6 -> libgcc-s1, app -> lodash (listed twice) */
    json_decref(doc);
}

static void test_sbom_bad_options(void **state)
{
    struct fth_sbom_opts opts = FTH_SBOM_OPTS_INIT;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_image img;
    struct fth_inventory inv;
    struct fth_error err;
    enum fth_sbom_format fmt;

    (void)state;
    setup_inventory(&img, &inv);
    opts.uuid = "not-a-uuid";
    assert_int_equal(fth_sbom_write(&out, FTH_SBOM_SPDX, &img, &inv, &opts, &err), FTH_EUSAGE);
    assert_non_null(strstr(err.message, "not-a-uuid"));
    assert_int_equal(fth_sbom_format_parse(&fmt, "spdx-json"), 0);
    assert_int_equal(fmt, FTH_SBOM_SPDX);
    assert_int_equal(fth_sbom_format_parse(&fmt, "cyclonedx"), 0);
    assert_int_equal(fmt, FTH_SBOM_CYCLONEDX);
    assert_int_equal(fth_sbom_format_parse(&fmt, "swid"), FTH_EUSAGE);
    fth_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbom_cyclonedx),
        cmocka_unit_test(test_sbom_spdx),
        cmocka_unit_test(test_sbom_bad_options),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
