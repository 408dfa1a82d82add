/*
 * catalog: package URLs. The distro types with their namespace, distro, epoch and upstream
 * qualifiers (checked against the PURLs Syft's and Trivy's fixtures state), every language
 * type with its namespace rules, and percent-encoding of awkward characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unit/catalog/cat_fixture.h"

static struct fth_arena *arena;

static int setup(void **state)
{
    (void)state;
    arena = fth_arena_new();
    return arena ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fth_arena_free(arena);
    return 0;
}

static struct fth_package pkg(const char *type, const char *name, const char *version,
                              const char *arch, const char *src_name, const char *src_version)
{
    struct fth_package p;

    memset(&p, 0, sizeof(p));
    p.type = type;
    p.ecosystem = p.purl = p.digest = p.path = "";
    p.name = name;
    p.version = version;
    p.arch = arch;
    p.src_name = src_name;
    p.src_version = src_version;
    return p;
}

static struct fth_os os_of(const char *id, const char *version_id, const char *codename)
{
    struct fth_os os;

    memset(&os, 0, sizeof(os));
    os.id = id;
    os.version_id = version_id;
    os.codename = codename;
    os.pretty_name = os.family = os.release = os.eol_date = os.path = "";
    return os;
}

static void expect(const struct fth_package *p, const struct fth_os *os, const char *want)
{
    const char *got = fth_catalog_purl(arena, p, os);

    assert_non_null(got);
    assert_string_equal(got, want);
}

/* Same base and the same set of qualifiers (Trivy does not sort its qualifiers). */
static void expect_unordered(const struct fth_package *p, const struct fth_os *os, const char *want)
{
    const char *got = fth_catalog_purl(arena, p, os);
    const char *gq = strchr(got, '?'), *wq = strchr(want, '?');
    size_t ng = 0, nw = 0;

    assert_non_null(gq);
    assert_non_null(wq);
    assert_int_equal(gq - got, wq - want);
    assert_memory_equal(got, want, (size_t)(gq - got));
    for (const char *q = gq; q; q = strchr(q + 1, '&')) {
        size_t n = strcspn(q + 1, "&");
        int found = 0;

        ng++;
        for (const char *r = wq; r; r = strchr(r + 1, '&'))
            found |= strcspn(r + 1, "&") == n && !memcmp(q + 1, r + 1, n);
        assert_true(found);
    }
    for (const char *r = wq; r; r = strchr(r + 1, '&'))
        nw++;
    assert_int_equal(ng, nw);
}

static void test_catalog_purl_deb(void **state)
{
    struct fth_os deb12 = os_of("debian", "12", "bookworm");
    struct fth_os ubuntu = os_of("ubuntu", "22.04", "jammy");
    struct fth_os sid = os_of("debian", "", "trixie");
    struct fth_package p;

    (void)state;
    /* Syft's image-dpkg fixture */
    p = pkg("deb", "libpam-runtime", "1.1.8-3.6", "all", "pam", "1.1.8-3.6");
    expect(&p, &deb12,
           "pkg:deb/debian/libpam-runtime@1.1.8-3.6?arch=all&distro=debian-12"
           "&upstream=pam");
    /* an epoch stays in the version; a source version that differs joins upstream */
    p = pkg("deb", "libgcc1", "1:5.1.1-12ubuntu1", "amd64", "gcc-5", "5.1.1-12ubuntu1");
    expect(&p, &ubuntu,
           "pkg:deb/ubuntu/libgcc1@1:5.1.1-12ubuntu1?arch=amd64&distro=ubuntu-22.04"
           "&upstream=gcc-5%405.1.1-12ubuntu1");
    /* '+' is encoded; no Source: no upstream */
    p = pkg("deb", "tar", "1.34+dfsg-1.2+deb12u1", "amd64", "", "");
    expect(&p, &deb12, "pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1?arch=amd64&distro=debian-12");
    /* testing has a codename but no version */
    expect(&p, &sid,
           "pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1?arch=amd64&distro=debian-trixie");
    /* no OS known: the debian namespace, no distro */
    expect(&p, NULL, "pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1?arch=amd64");
}

static void test_catalog_purl_apk(void **state)
{
    struct fth_os alpine = os_of("alpine", "3.20.3", "");
    struct fth_os wolfi = os_of("wolfi", "20230201", "");
    struct fth_package p;

    (void)state;
    p = pkg("apk", "musl", "1.2.5-r0", "x86_64", "musl", "1.2.5-r0");
    expect(&p, &alpine, "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3");
    p = pkg("apk", "busybox-binsh", "1.36.1-r29", "x86_64", "busybox", "1.36.1-r29");
    expect(&p, &alpine,
           "pkg:apk/alpine/busybox-binsh@1.36.1-r29?arch=x86_64"
           "&distro=alpine-3.20.3&upstream=busybox");
    p = pkg("apk", "glibc", "2.38-r1", "aarch64", "", "");
    expect(&p, &wolfi, "pkg:apk/wolfi/glibc@2.38-r1?arch=aarch64&distro=wolfi-20230201");
    expect(&p, NULL, "pkg:apk/alpine/glibc@2.38-r1?arch=aarch64");
}

static void test_catalog_purl_rpm(void **state)
{
    struct fth_os centos = os_of("centos", "7.6.1810", "");
    struct fth_package p;

    (void)state;
    /* Syft's container-manifest-2 and Packages fixtures: no OS, upstream = the source rpm */
    p = pkg("rpm", "vim", "2:9.0-1.cm2", "x86_64", "vim", "2:9.0-1.cm2");
    expect(&p, NULL, "pkg:rpm/vim@9.0-1.cm2?arch=x86_64&epoch=2&upstream=vim-9.0-1.cm2.src.rpm");
    p = pkg("rpm", "dive", "0.9.2-1", "x86_64", "dive", "0.9.2-1");
    expect(&p, NULL, "pkg:rpm/dive@0.9.2-1?arch=x86_64&upstream=dive-0.9.2-1.src.rpm");
    /* Trivy's centos-7 golden (Trivy leaves upstream out and does not sort) */
    p = pkg("rpm", "openssl-libs", "1:1.0.2k-16.el7", "x86_64", "", "");
    expect_unordered(&p, &centos,
                     "pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64"
                     "&epoch=1&distro=centos-7.6.1810");
    expect(&p, &centos,
           "pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64"
           "&distro=centos-7.6.1810&epoch=1");
    p = pkg("rpm", "bash", "4.2.46-31.el7", "x86_64", "", "");
    expect(&p, &centos, "pkg:rpm/centos/bash@4.2.46-31.el7?arch=x86_64&distro=centos-7.6.1810");
}

static void test_catalog_purl_languages(void **state)
{
    struct fth_package p;

    (void)state;
    p = pkg("npm", "@types/react", "18.0.17", "", "", "");
    expect(&p, NULL, "pkg:npm/%40types/react@18.0.17");
    p = pkg("npm", "cowsay", "1.4.0", "", "", "");
    expect(&p, NULL, "pkg:npm/cowsay@1.4.0");
    /* PyPI names are normalised: lower case, '_' and '.' become '-' */
    p = pkg("python", "Pygments", "2.6.1", "", "", "");
    expect(&p, NULL, "pkg:pypi/pygments@2.6.1");
    p = pkg("python", "zope.interface", "5.4.0", "", "", "");
    expect(&p, NULL, "pkg:pypi/zope-interface@5.4.0");
    p = pkg("python", "typing_extensions", "4.0.1", "", "", "");
    expect(&p, NULL, "pkg:pypi/typing-extensions@4.0.1");
    p = pkg("python", "no-version", "", "", "", "");
    expect(&p, NULL, "pkg:pypi/no-version");
    p = pkg("java-archive", "org.apache.commons:commons-lang3", "3.12.0", "", "", "");
    expect(&p, NULL, "pkg:maven/org.apache.commons/commons-lang3@3.12.0");
    p = pkg("go-module", "github.com/gorilla/mux", "v1.8.0", "", "", "");
    expect(&p, NULL, "pkg:golang/github.com/gorilla/mux@v1.8.0");
    p = pkg("go-module", "golang.org/x/net", "v0.0.0-20220127200216-cd36cc0744dd", "", "", "");
    expect(&p, NULL, "pkg:golang/golang.org/x/net@v0.0.0-20220127200216-cd36cc0744dd");
    p = pkg("go-module", "stdlib", "go1.21.0", "", "", "");
    expect(&p, NULL, "pkg:golang/stdlib@go1.21.0");
    p = pkg("rust-crate", "serde_json", "1.0.96", "", "", "");
    expect(&p, NULL, "pkg:cargo/serde_json@1.0.96");
    p = pkg("gem", "rails", "7.0.4", "", "", "");
    expect(&p, NULL, "pkg:gem/rails@7.0.4");
    /* Composer names are lower-cased vendor/name */
    p = pkg("composer", "Symfony/Console", "v6.0.0", "", "", "");
    expect(&p, NULL, "pkg:composer/symfony/console@v6.0.0");
    p = pkg("dotnet", "Newtonsoft.Json", "13.0.1", "", "", "");
    expect(&p, NULL, "pkg:nuget/Newtonsoft.Json@13.0.1");
    p = pkg("binary", "thing", "1", "", "", "");
    expect(&p, NULL, "pkg:generic/thing@1");
}

static void test_catalog_purl_encoding(void **state)
{
    struct fth_os os = os_of("debian", "12 beta", "");
    struct fth_package p;

    (void)state;
    p = pkg("npm", "a b", "1.0/2?#&=%", "", "", "");
    expect(&p, NULL, "pkg:npm/a%20b@1.0%2F2%3F%23%26%3D%25");
    p = pkg("deb", "x", "1", "arm/v7", "", "");
    expect(&p, &os, "pkg:deb/debian/x@1?arch=arm%2Fv7&distro=debian-12%20beta");
    /* bytes over 0x7f are encoded one by one */
    p = pkg("gem", "caf\xc3\xa9", "1", "", "", "");
    expect(&p, NULL, "pkg:gem/caf%C3%A9@1");
    /* empty namespace segments disappear */
    p = pkg("go-module", "//x//y", "v1", "", "", "");
    expect(&p, NULL, "pkg:golang/x/y@v1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_purl_deb),      cmocka_unit_test(test_catalog_purl_apk),
        cmocka_unit_test(test_catalog_purl_rpm),      cmocka_unit_test(test_catalog_purl_languages),
        cmocka_unit_test(test_catalog_purl_encoding),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
