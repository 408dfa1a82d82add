/*
 * catalog: the dpkg cataloger against every dpkg expectation in ../shared/fixtures/image and
 * the real Debian 12 root filesystem of ../shared/data/images/oci-bookworm, whose package list
 * is checked against dpkg-query itself.
 *
 * Mapping to the peers' fields (Fathom keeps the whole dpkg version string in `version`):
 * - Trivy splits the version: its ID "name@[epoch:]version[-release]" is Fathom's
 *   name@version; SrcName/[SrcEpoch:]SrcVersion[-SrcRelease] are Fathom's src_name and
 *   src_version, or name and version when the stanza has no Source. DependsOn lists only
 *   installed packages: it equals Fathom's depends restricted to installed names.
 * - Syft's Version is the whole string, like Fathom's; its Licenses are raw values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "unit/catalog/cat_fixture.h"

static size_t logged_warnings;

static void count_sink(enum fth_log_level level, const char *module, const char *msg, void *d)
{
    (void)module;
    (void)msg;
    (void)d;
    if (level == FTH_LOG_WARN)
        logged_warnings++;
}

static int setup(void **state)
{
    (void)state;
    fth_log_set_sink(count_sink, NULL, FTH_LOG_WARN);
    return 0;
}

static json_t *load_json(const char *rel)
{
    json_error_t je;
    json_t *j = json_load_file(cat_fixture_path(rel), 0, &je);

    if (!j)
        fail_msg("%s: %s", rel, je.text);
    return j;
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}

struct ctx {
    struct fth_arena *a;
    struct cat_sink s;
};

static void ctx_init(struct ctx *c)
{
    c->a = fth_arena_new();
    assert_non_null(c->a);
    cat_sink_init(&c->s, c->a);
    logged_warnings = 0;
}

static void ctx_release(struct ctx *c)
{
    fth_arena_free(c->a);
}

static int has_str(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return 1;
    return 0;
}

/* "name@ver" -> name, into buf */
static const char *id_name(const char *id, char *buf, size_t cap)
{
    const char *at = strchr(id, '@');
    size_t n = at ? (size_t)(at - id) : strlen(id);

    assert_true(n < cap);
    memcpy(buf, id, n);
    buf[n] = '\0';
    return buf;
}

/* [epoch:]version[-release] from Trivy's split fields */
static const char *joined(struct fth_arena *a, const json_t *p, const char *ek, const char *vk,
                          const char *rk)
{
    json_int_t epoch = json_integer_value(json_object_get(p, ek));
    const char *rel = jstr(p, rk);

    return fth_arena_printf(a, "%s%s%s%s%s",
                            epoch ? fth_arena_printf(a, "%lld", (long long)epoch) : "",
                            epoch ? ":" : "", jstr(p, vk), *rel ? "-" : "", rel);
}

static const struct cat_owned *owned_for(const struct cat_sink *s, const char *name)
{
    for (size_t i = 0; i < s->owned.len; i++) {
        const struct cat_owned *o = s->owned.items[i];

        if (!strcmp(o->name, name))
            return o;
    }
    return NULL;
}

static const struct cat_licensed *licensed_for(const struct cat_sink *s, const char *name)
{
    for (size_t i = 0; i < s->licensed.len; i++) {
        const struct cat_licensed *l = s->licensed.items[i];

        if (!strcmp(l->name, name))
            return l;
    }
    return NULL;
}

/* The value of field in pkg's stanza of a status text; NULL when absent. */
static const char *field_of(const char *text, const char *pkg, const char *field, size_t *n)
{
    char head[300], key[64];
    const char *st, *end, *pd;

    snprintf(head, sizeof(head), "Package: %s\n", pkg);
    snprintf(key, sizeof(key), "\n%s:", field);
    if (!(st = strstr(text, head)))
        return NULL;
    end = strstr(st, "\n\n");
    if (!(pd = strstr(st, key)) || (end && pd > end))
        return NULL;
    pd += strlen(key);
    *n = strcspn(pd, "\n");
    return pd;
}

/* Whether a relationship value names tok (version constraints and arch qualifiers aside). */
static int names(const char *v, size_t n, const char *tok)
{
    const char *end = v + n;
    char t[256];

    while (v < end) {
        size_t k = strcspn(v, " ,|()\n");

        if (k > (size_t)(end - v))
            k = (size_t)(end - v);
        if (k && k < sizeof(t)) {
            memcpy(t, v, k);
            t[k] = '\0';
            if (strchr(t, ':'))
                *strchr(t, ':') = '\0';
            if (!strcmp(t, tok))
                return 1;
        }
        v += k ? k : 1;
    }
    return 0;
}

/* Whether pkg's Pre-Depends names dep, or a virtual package dep Provides. */
static int in_pre_depends(const char *text, const char *pkg, const char *dep)
{
    size_t n, pn;
    const char *pd = field_of(text, pkg, "Pre-Depends", &n), *prov;

    if (!pd)
        return 0;
    if (names(pd, n, dep))
        return 1;
    if (!(prov = field_of(text, dep, "Provides", &pn)))
        return 0;
    while (pn) {
        size_t k = strcspn(prov, " ,\n");
        char t[256];

        if (k > pn)
            k = pn;
        if (k && k < sizeof(t)) {
            memcpy(t, prov, k);
            t[k] = '\0';
            if (names(pd, n, t))
                return 1;
        }
        prov += k ? k : 1;
        pn -= k ? k : 1;
    }
    return 0;
}

static void check_trivy_case(const char *name, size_t want_warnings)
{
    struct fth_buf status = FTH_BUF_INIT;
    char rel[256], root[256], sp[512];
    struct ctx c;
    json_t *exp, *pkgs;
    size_t i;
    json_t *p;

    snprintf(rel, sizeof(rel), "dpkg/trivy/%s/expect.json", name);
    snprintf(root, sizeof(root), "dpkg/trivy/%s/rootfs", name);
    exp = load_json(rel);
    pkgs = json_object_get(json_array_get(json_object_get(exp, "package_infos"), 0), "Packages");
    snprintf(sp, sizeof(sp), "%s/var/lib/dpkg/status", cat_fixture_path(root));
    assert_int_equal(fth_file_read(&status, sp, 1 << 24, NULL), 0);
    ctx_init(&c);
    assert_int_equal(cat_fixture_parse_root(&c.s, &cat_dpkg, cat_fixture_path(root)), 0);
    assert_int_equal(c.s.packages.len, json_array_size(pkgs));
    assert_int_equal(c.s.warnings, want_warnings);
    json_array_foreach(pkgs, i, p)
    {
        const struct fth_package *fp = cat_fixture_find(&c.s, jstr(p, "Name"), NULL);
        const char *id = jstr(p, "ID");
        const json_t *deps = json_object_get(p, "DependsOn");
        size_t want_installed_deps = json_array_size(deps), got_installed_deps = 0;

        assert_non_null(fp);
        assert_string_equal(fp->type, "deb");
        assert_string_equal(fp->ecosystem, "Debian");
        assert_string_equal(fp->path, "var/lib/dpkg/status");
        /* the ID's version part is the whole dpkg version */
        assert_string_equal(fp->version, strchr(id, '@') + 1);
        assert_string_equal(fp->version, joined(c.a, p, "Epoch", "Version", "Release"));
        assert_string_equal(fp->arch, jstr(p, "Arch"));
        assert_string_equal(*fp->src_name ? fp->src_name : fp->name, jstr(p, "SrcName"));
        assert_string_equal(*fp->src_version ? fp->src_version : fp->version,
                            joined(c.a, p, "SrcEpoch", "SrcVersion", "SrcRelease"));
        for (size_t k = 0; k < json_array_size(deps); k++) {
            char nb[256];

            assert_true(
                has_str(fp->depends, fp->ndepends,
                        id_name(json_string_value(json_array_get(deps, k)), nb, sizeof(nb))));
        }
        /* Trivy reads Depends only; Fathom adds the Pre-Depends */
        for (size_t k = 0; k < fp->ndepends; k++) {
            int in_trivy = 0;

            if (!cat_fixture_find(&c.s, fp->depends[k], NULL))
                continue;
            for (size_t j = 0; j < json_array_size(deps); j++) {
                char nb[256];

                in_trivy |=
                    !strcmp(fp->depends[k],
                            id_name(json_string_value(json_array_get(deps, j)), nb, sizeof(nb)));
            }
            if (in_trivy)
                got_installed_deps++;
            else
                assert_true(in_pre_depends(status.ptr, fp->name, fp->depends[k]));
        }
        assert_int_equal(got_installed_deps, want_installed_deps);
        if (json_object_get(p, "InstalledFiles")) {
            const json_t *files = json_object_get(p, "InstalledFiles");
            const struct cat_owned *o = owned_for(&c.s, fp->name);

            assert_non_null(o);
            assert_string_equal(o->type, "deb");
            assert_int_equal(o->nfiles, json_array_size(files));
            for (size_t k = 0; k < o->nfiles; k++)
                assert_string_equal(o->files[k], json_string_value(json_array_get(files, k)) + 1);
        }
    }
    ctx_release(&c);
    fth_buf_release(&status);
    json_decref(exp);
}

static void test_catalog_dpkg_trivy_valid(void **state)
{
    (void)state;
    check_trivy_case("valid", 0);
}

static void test_catalog_dpkg_trivy_digest(void **state)
{
    (void)state;
    check_trivy_case("digest", 0);
}

static void test_catalog_dpkg_trivy_md5sums(void **state)
{
    (void)state;
    check_trivy_case("md5sums", 0);
}

static void test_catalog_dpkg_trivy_only_apt(void **state)
{
    (void)state;
    check_trivy_case("only-apt", 0);
}

static void test_catalog_dpkg_trivy_third_party(void **state)
{
    (void)state;
    check_trivy_case("third-party", 0);
}

/* "brokenPackageWithNoVersionThatShouldGetThrownOut" and "invalidpkg" (version "1:5.#"):
 * a warning each, the others kept */
static void test_catalog_dpkg_trivy_corrupsed(void **state)
{
    (void)state;
    check_trivy_case("corrupsed", 2);
}

/* Syft's raw parse of one status-format file: the packages with a version, field by field. */
static void check_syft_status(const char *name, size_t want_pkgs)
{
    char rel[256], file[256], path[256];
    struct ctx c;
    json_t *exp, *pkgs, *p, *raw_lic;
    size_t i, n = 0;

    snprintf(rel, sizeof(rel), "dpkg/syft-status.d/%s.expect.json", name);
    snprintf(file, sizeof(file), "dpkg/syft-status.d/%s", name);
    snprintf(path, sizeof(path), "var/lib/dpkg/status.d/%s", name);
    exp = load_json(rel);
    pkgs = json_object_get(exp, "packages");
    ctx_init(&c);
    assert_true(cat_dpkg.wants(path, 1, 0644));
    assert_int_equal(cat_fixture_parse_file(&c.s, &cat_dpkg, cat_fixture_path(file), path), 0);
    json_array_foreach(pkgs, i, p)
    {
        const struct fth_package *fp;
        const json_t *files = json_object_get(p, "Files");
        size_t ndeps = 0;

        if (!*jstr(p, "Version"))
            continue; /* syft's raw parse keeps it; a package needs a version */
        n++;
        fp = cat_fixture_find(&c.s, jstr(p, "Package"), NULL);
        assert_non_null(fp);
        assert_string_equal(fp->version, jstr(p, "Version"));
        assert_string_equal(fp->arch, jstr(p, "Architecture"));
        assert_string_equal(fp->src_name, jstr(p, "Source"));
        assert_string_equal(fp->src_version, *jstr(p, "Source") ? fp->version : "");
        /* nothing else is installed in these files: each group keeps its first name */
        for (int k = 0; k < 2; k++) {
            const json_t *dv = json_object_get(p, k ? "PreDepends" : "Depends");

            for (size_t j = 0; j < json_array_size(dv); j++) {
                const char *d = json_string_value(json_array_get(dv, j));
                char nb[256];
                size_t m = strcspn(d, " (:|");

                memcpy(nb, d, m);
                nb[m] = '\0';
                assert_string_equal(fp->depends[ndeps], nb);
                ndeps++;
            }
        }
        assert_int_equal(fp->ndepends, ndeps);
        assert_int_equal(fp->nfiles, json_array_size(files));
        for (size_t k = 0; k < fp->nfiles; k++)
            assert_string_equal(fp->files[k], jstr(json_array_get(files, k), "Path") + 1);
    }
    assert_int_equal(n, want_pkgs);
    assert_int_equal(c.s.packages.len, want_pkgs);
    raw_lic = json_object_get(exp, "expected_raw_licenses");
    if (json_array_size(raw_lic)) {
        assert_int_equal(json_array_size(raw_lic), c.s.packages.len);
        for (size_t k = 0; k < c.s.packages.len; k++) {
            const struct fth_package *fp = cat_fixture_pkg(&c.s, k);

            assert_int_equal(fp->nlicenses, 1);
            assert_string_equal(fp->licenses[0].value,
                                json_string_value(json_array_get(raw_lic, k)));
        }
    }
    ctx_release(&c);
    json_decref(exp);
}

static void test_catalog_dpkg_syft_single(void **state)
{
    (void)state;
    check_syft_status("single", 1);
}

static void test_catalog_dpkg_syft_multiple(void **state)
{
    (void)state;
    check_syft_status("multiple", 2);
    /* the "no-version" stanza and the stanza with an empty Package are warned about */
}

static void test_catalog_dpkg_syft_deinstall(void **state)
{
    (void)state;
    check_syft_status("deinstall", 1);
}

static void test_catalog_dpkg_syft_opkg(void **state)
{
    (void)state;
    check_syft_status("opkg-status", 3);
}

static void test_catalog_dpkg_syft_installed_size(void **state)
{
    (void)state;
    check_syft_status("installed-size-4KB", 1);
}

static void check_syft_image(const char *name, const char *decl_path, size_t want_warnings)
{
    char rel[256], root[256];
    struct ctx c;
    json_t *exp, *p, *files, *lics;
    const struct fth_package *fp;
    const struct cat_owned *o;
    const struct cat_licensed *l;
    size_t matched = 0;

    snprintf(rel, sizeof(rel), "dpkg/syft/%s/expect.json", name);
    snprintf(root, sizeof(root), "dpkg/syft/%s/rootfs", name);
    exp = load_json(rel);
    p = json_array_get(json_object_get(exp, "packages"), 0);
    ctx_init(&c);
    assert_int_equal(cat_fixture_parse_root(&c.s, &cat_dpkg, cat_fixture_path(root)), 0);
    assert_int_equal(c.s.packages.len, 1);
    assert_int_equal(c.s.warnings, want_warnings);
    fp = cat_fixture_pkg(&c.s, 0);
    assert_string_equal(fp->name, jstr(p, "Name"));
    assert_string_equal(fp->version, jstr(p, "Version"));
    assert_string_equal(fp->path, decl_path);
    assert_string_equal(fp->arch, jstr(json_object_get(p, "Metadata"), "Architecture"));
    assert_string_equal(fp->src_name, jstr(json_object_get(p, "Metadata"), "Source"));

    /* Files: conffiles from the stanza plus the md5sums record, as one set */
    files = json_object_get(json_object_get(p, "Metadata"), "Files");
    assert_non_null(o = owned_for(&c.s, fp->name));
    assert_int_equal(fp->nfiles + o->nfiles, json_array_size(files));
    for (size_t k = 0; k < json_array_size(files); k++) {
        const char *want = jstr(json_array_get(files, k), "Path") + 1;

        matched += has_str(fp->files, fp->nfiles, want) || has_str(o->files, o->nfiles, want);
    }
    assert_int_equal(matched, json_array_size(files));

    /* Licenses: raw values from the copyright file, as a set */
    lics = json_object_get(p, "Licenses");
    assert_non_null(l = licensed_for(&c.s, fp->name));
    assert_string_equal(l->type, "deb");
    assert_int_equal(l->nlicenses, json_array_size(lics));
    for (size_t k = 0; k < json_array_size(lics); k++) {
        int found = 0;

        for (size_t j = 0; j < l->nlicenses; j++)
            found |= !strcmp(l->licenses[j].value, jstr(json_array_get(lics, k), "value"));
        assert_true(found);
    }

    /* the PURL, with the OS from the root's os-release */
    if (*jstr(p, "PURL")) {
        struct fth_buf b = FTH_BUF_INIT;
        struct fth_os os;
        char osr[512];

        memset(&os, 0, sizeof(os));
        snprintf(osr, sizeof(osr), "%s/etc/os-release", cat_fixture_path(root));
        assert_int_equal(fth_file_read(&b, osr, 1 << 20, NULL), 0);
        assert_int_equal(
            cat_os_parse(&os, c.a, "etc/os-release", (const unsigned char *)b.ptr, b.len), 0);
        cat_os_finish(&os, c.a, "2024-01-01");
        fth_buf_release(&b);
        assert_string_equal(fth_catalog_purl(c.a, fp, &os), jstr(p, "PURL"));
    }
    ctx_release(&c);
    json_decref(exp);
}

static void test_catalog_dpkg_syft_image_dpkg(void **state)
{
    (void)state;
    /* its status file starts with an empty "Package:" stanza: one warning */
    check_syft_image("image-dpkg", "var/lib/dpkg/status", 1);
}

static void test_catalog_dpkg_syft_distroless(void **state)
{
    (void)state;
    check_syft_image("image-distroless-deb", "var/lib/dpkg/status.d/libsqlite3-0", 0);
}

/* DEP-5 License: fields and common-licenses references, normalised, in order of appearance. */
static void test_catalog_dpkg_copyright(void **state)
{
    json_t *exp = load_json("dpkg/trivy-copyright/expect.json"), *cs, *cse;
    size_t i;

    (void)state;
    cs = json_object_get(exp, "cases");
    assert_int_equal(json_array_size(cs), 4);
    json_array_foreach(cs, i, cse)
    {
        char file[256];
        const char *as = jstr(cse, "analyzed_as_path");
        const json_t *want = json_object_get(cse, "want");
        struct ctx c;

        snprintf(file, sizeof(file), "dpkg/trivy-copyright/%s", jstr(cse, "input"));
        ctx_init(&c);
        assert_true(cat_dpkg.wants(as, 1, 0644));
        assert_int_equal(cat_fixture_parse_file(&c.s, &cat_dpkg, cat_fixture_path(file), as), 0);
        assert_int_equal(c.s.packages.len, 0);
        if (json_is_null(want)) {
            assert_int_equal(c.s.licensed.len, 0);
        } else {
            const json_t *lic = json_array_get(json_object_get(want, "Licenses"), 0);
            const json_t *fnd = json_object_get(lic, "Findings");
            const struct cat_licensed *l;

            assert_int_equal(c.s.licensed.len, 1);
            l = c.s.licensed.items[0];
            assert_string_equal(l->name, jstr(lic, "PkgName"));
            assert_string_equal(l->path, jstr(lic, "FilePath"));
            assert_int_equal(l->nlicenses, json_array_size(fnd));
            for (size_t k = 0; k < l->nlicenses; k++) {
                const struct fth_license *x = &l->licenses[k];

                assert_string_equal(*x->spdx ? x->spdx : x->value,
                                    jstr(json_array_get(fnd, k), "Name"));
            }
        }
        ctx_release(&c);
    }
    json_decref(exp);
}

static void parse_bytes(struct cat_sink *s, const char *path, const char *data, size_t len)
{
    struct cat_file f;
    char *copy = malloc(len + 1);

    assert_non_null(copy);
    memcpy(copy, data, len);
    copy[len] = '\0';
    f.path = path;
    f.data = (const unsigned char *)copy;
    f.len = len;
    f.mode = 0644;
    f.layer = 0;
    assert_int_equal(cat_dpkg.parse(s, &f), 0);
    free(copy);
}

/* A status file cut in the middle: everything before the cut, nothing invented. */
static void test_catalog_dpkg_truncated(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct ctx c;
    const char *cut;

    (void)state;
    assert_int_equal(fth_file_read(&b,
                                   cat_fixture_path("dpkg/trivy/valid/rootfs/var/lib/dpkg/"
                                                    "status"),
                                   1 << 24, NULL),
                     0);
    /* cut inside the stanza of "bsdutils", just after its Package line */
    cut = strstr(b.ptr, "Package: bsdutils\n");
    assert_non_null(cut);
    cut += strlen("Package: bsdutils\n");
    ctx_init(&c);
    parse_bytes(&c.s, "var/lib/dpkg/status", b.ptr, (size_t)(cut - b.ptr));
    assert_non_null(cat_fixture_find(&c.s, "base-passwd", NULL));
    assert_null(cat_fixture_find(&c.s, "bsdutils", NULL));
    assert_int_equal(c.s.warnings, 1); /* bsdutils has no Version any more */
    ctx_release(&c);

    /* every prefix parses without a crash (ASan watches) */
    for (size_t n = 0; n < 3000 && n < b.len; n += 7) {
        ctx_init(&c);
        parse_bytes(&c.s, "var/lib/dpkg/status", b.ptr, n);
        ctx_release(&c);
    }
    fth_buf_release(&b);
}

/* CRLF line ends, continuation lines, hold, half-installed, fields in any case. */
static void test_catalog_dpkg_forms(void **state)
{
    static const char text[] =
        "Package: a\r\nStatus: hold ok installed\r\nVersion: 1:2.0-1\r\n"
        "Source: asrc (2.0-1)\r\nDepends: b (>= 1),\r\n c:any | d\r\nArchitecture: amd64\r\n"
        "Conffiles:\r\n /etc/a.conf 0123 obsolete\r\n\r\n"
        "Package: b\nStatus: install ok half-installed\nVersion: 1\n\n"
        "package: c\nstatus: install ok installed\nversion: 3\nprovides: d\n\n"
        "garbage line\nPackage: e\nVersion: 5\n";
    struct ctx c;
    const struct fth_package *p;

    (void)state;
    ctx_init(&c);
    parse_bytes(&c.s, "var/lib/dpkg/status", text, sizeof(text) - 1);
    assert_int_equal(c.s.packages.len, 3);
    assert_int_equal(c.s.warnings, 1);
    p = cat_fixture_find(&c.s, "a", NULL);
    assert_non_null(p);
    assert_string_equal(p->version, "1:2.0-1");
    assert_string_equal(p->arch, "amd64");
    assert_string_equal(p->src_name, "asrc");
    assert_string_equal(p->src_version, "2.0-1");
    /* b is not installed (half-installed): kept as declared; c:any | d resolves to c */
    assert_int_equal(p->ndepends, 2);
    assert_string_equal(p->depends[0], "b");
    assert_string_equal(p->depends[1], "c");
    assert_int_equal(p->nfiles, 1);
    assert_string_equal(p->files[0], "etc/a.conf");
    assert_null(cat_fixture_find(&c.s, "b", NULL));
    assert_non_null(cat_fixture_find(&c.s, "c", "3"));
    assert_non_null(cat_fixture_find(&c.s, "e", "5"));
    ctx_release(&c);
}

static void test_catalog_dpkg_corrupt(void **state)
{
    struct ctx c;

    (void)state;
    ctx_init(&c);
    assert_int_equal(cat_fixture_parse_file(&c.s, &cat_dpkg,
                                            cat_fixture_path("dpkg/syft-status.d/corrupt"),
                                            "var/lib/dpkg/status.d/corrupt"),
                     0);
    assert_int_equal(c.s.packages.len, 0);
    assert_true(c.s.warnings >= 1);
    assert_int_equal(logged_warnings, c.s.warnings);
    ctx_release(&c);
    ctx_init(&c);
    parse_bytes(&c.s, "var/lib/dpkg/status", "", 0);
    parse_bytes(&c.s, "var/lib/dpkg/info/x.md5sums", "", 0);
    parse_bytes(&c.s, "usr/share/doc/x/copyright", "License:", 8);
    assert_int_equal(c.s.packages.len, 0);
    assert_int_equal(c.s.licensed.len, 0);
    ctx_release(&c);
}

static void test_catalog_dpkg_wants(void **state)
{
    (void)state;
    assert_true(cat_dpkg.wants("var/lib/dpkg/status", 1, 0644));
    assert_false(cat_dpkg.wants("var/lib/dpkg/status-old", 1, 0644));
    assert_false(cat_dpkg.wants("var/lib/dpkg/available", 1, 0644));
    assert_true(cat_dpkg.wants("var/lib/dpkg/status.d/libc6", 1, 0644));
    assert_true(cat_dpkg.wants("var/lib/dpkg/status.d/python3.11", 1, 0644));
    assert_true(cat_dpkg.wants("var/lib/dpkg/status.d/libc6.md5sums", 1, 0644));
    assert_false(cat_dpkg.wants("var/lib/dpkg/status.d/libc6.preinst", 1, 0644));
    assert_true(cat_dpkg.wants("var/lib/dpkg/info/libc6:amd64.md5sums", 1, 0644));
    assert_false(cat_dpkg.wants("var/lib/dpkg/info/libc6.list", 1, 0644));
    assert_false(cat_dpkg.wants("var/lib/dpkg/info/.md5sums", 1, 0644));
    assert_true(cat_dpkg.wants("usr/share/doc/tar/copyright", 1, 0644));
    assert_false(cat_dpkg.wants("usr/share/doc/tar/x/copyright", 1, 0644));
    assert_false(cat_dpkg.wants("usr/share/doc/copyright", 1, 0644));
}

static void test_catalog_dpkg_md5sums_arch(void **state)
{
    static const char text[] = "d41d8cd98f00b204e9800998ecf8427e  usr/lib/x86_64-linux-gnu/"
                               "libc.so.6\r\n\nbadline\n0123  /etc/ld.so.conf\n";
    const struct cat_owned *o;
    struct ctx c;

    (void)state;
    ctx_init(&c);
    parse_bytes(&c.s, "var/lib/dpkg/info/libc6:amd64.md5sums", text, sizeof(text) - 1);
    assert_int_equal(c.s.owned.len, 1);
    o = c.s.owned.items[0];
    assert_string_equal(o->name, "libc6");
    assert_string_equal(o->arch, "amd64");
    assert_int_equal(o->nfiles, 2);
    assert_string_equal(o->files[0], "usr/lib/x86_64-linux-gnu/libc.so.6");
    assert_string_equal(o->files[1], "etc/ld.so.conf");
    assert_int_equal(c.s.warnings, 1);
    ctx_release(&c);
}

/* ---- the real Debian 12 root filesystem ---- */

static int run(const char *cmd)
{
    int rc = system(cmd);

    return rc == 0 ? 0 : -1;
}

static void test_catalog_dpkg_bookworm(void **state)
{
    char dir[] = "/tmp/fathom-catos-bookworm-XXXXXX", cmd[8192], path[4096];
    json_t *index, *manifest;
    json_error_t je;
    const char *mdigest, *ldigest;
    struct ctx c;
    FILE *q;
    size_t truth = 0;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/data/images/oci-bookworm/index.json", FATHOM_SHARED);
    assert_non_null(index = json_load_file(path, 0, &je));
    mdigest = jstr(json_array_get(json_object_get(index, "manifests"), 0), "digest");
    snprintf(path, sizeof(path), "%s/data/images/oci-bookworm/blobs/sha256/%s", FATHOM_SHARED,
             mdigest + 7);
    assert_non_null(manifest = json_load_file(path, 0, &je));
    ldigest = jstr(json_array_get(json_object_get(manifest, "layers"), 0), "digest");
    snprintf(cmd, sizeof(cmd),
             "tar -xzf '%s/data/images/oci-bookworm/blobs/sha256/%s' -C '%s' var/lib/dpkg "
             "usr/share/doc 2>/dev/null",
             FATHOM_SHARED, ldigest + 7, dir);
    assert_int_equal(run(cmd), 0);

    ctx_init(&c);
    assert_int_equal(cat_fixture_parse_root(&c.s, &cat_dpkg, dir), 0);
    assert_int_equal(c.s.warnings, 0);
    assert_int_equal(c.s.packages.len, 88);

    /* dpkg-query's own reading of the same database */
    snprintf(cmd, sizeof(cmd),
             "dpkg-query --admindir='%s/var/lib/dpkg' -W -f='${db:Status-Abbrev}\\t${Package}\\t"
             "${Version}\\t${source:Package}\\t${source:Version}\\t${Architecture}\\n'",
             dir);
    if (access("/usr/bin/dpkg-query", X_OK) == 0 && (q = popen(cmd, "r"))) {
        char line[1024];

        while (fgets(line, sizeof(line), q)) {
            char *f[6], *save = line;
            const struct fth_package *p;

            for (int k = 0; k < 6; k++) {
                f[k] = save;
                save = strchr(save, k == 5 ? '\n' : '\t');
                assert_non_null(save);
                *save++ = '\0';
            }
            if (strncmp(f[0], "ii", 2))
                continue;
            truth++;
            p = cat_fixture_find(&c.s, f[1], NULL);
            assert_non_null(p);
            assert_string_equal(p->version, f[2]);
            assert_string_equal(*p->src_name ? p->src_name : p->name, f[3]);
            assert_string_equal(*p->src_version ? p->src_version : p->version, f[4]);
            assert_string_equal(p->arch, f[5]);
            /* every package with an md5sums file has its files attached by name */
        }
        assert_int_equal(pclose(q), 0);
        assert_int_equal(truth, 88);
    }
    /* files owned: libc6's md5sums lists the C library */
    {
        const struct cat_owned *o = NULL;

        for (size_t i = 0; i < c.s.owned.len; i++) {
            const struct cat_owned *x = c.s.owned.items[i];

            if (!strcmp(x->name, "libc6"))
                o = x;
        }
        assert_non_null(o);
        assert_string_equal(o->arch, "amd64");
        assert_true(has_str(o->files, o->nfiles, "lib/x86_64-linux-gnu/libc.so.6"));
    }
    /* licences from usr/share/doc/<pkg>/copyright */
    {
        const struct cat_licensed *l = licensed_for(&c.s, "tar");

        assert_non_null(l);
        assert_true(l->nlicenses >= 1);
    }
    ctx_release(&c);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(run(cmd), 0);
    json_decref(manifest);
    json_decref(index);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_dpkg_trivy_valid),
        cmocka_unit_test(test_catalog_dpkg_trivy_digest),
        cmocka_unit_test(test_catalog_dpkg_trivy_md5sums),
        cmocka_unit_test(test_catalog_dpkg_trivy_only_apt),
        cmocka_unit_test(test_catalog_dpkg_trivy_third_party),
        cmocka_unit_test(test_catalog_dpkg_trivy_corrupsed),
        cmocka_unit_test(test_catalog_dpkg_syft_single),
        cmocka_unit_test(test_catalog_dpkg_syft_multiple),
        cmocka_unit_test(test_catalog_dpkg_syft_deinstall),
        cmocka_unit_test(test_catalog_dpkg_syft_opkg),
        cmocka_unit_test(test_catalog_dpkg_syft_installed_size),
        cmocka_unit_test(test_catalog_dpkg_syft_image_dpkg),
        cmocka_unit_test(test_catalog_dpkg_syft_distroless),
        cmocka_unit_test(test_catalog_dpkg_copyright),
        cmocka_unit_test(test_catalog_dpkg_truncated),
        cmocka_unit_test(test_catalog_dpkg_forms),
        cmocka_unit_test(test_catalog_dpkg_corrupt),
        cmocka_unit_test(test_catalog_dpkg_wants),
        cmocka_unit_test(test_catalog_dpkg_md5sums_arch),
        cmocka_unit_test(test_catalog_dpkg_bookworm),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
