/*
 * catalog: operating-system detection. Every release-file form (os-release of each supported
 * distribution, alpine-release, debian_version, redhat-release, centos-release, lsb-release),
 * the ranking between them in either order, the end-of-life table at fixed dates on both
 * sides of a boundary, and the real Debian 12 and Alpine 3.20.3 release files of
 * ../shared/data.
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

struct file {
    const char *path;
    const char *text;
};

struct want {
    const char *id, *version_id, *codename, *family, *release, *eol_date;
    int eol;
    const char *pretty_name; /* NULL: not checked */
};

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

static void detect(struct fth_os *os, const struct file *files, size_t n, const char *today)
{
    memset(os, 0, sizeof(*os));
    for (size_t i = 0; i < n; i++) {
        assert_true(cat_os_wants(files[i].path));
        assert_int_equal(cat_os_parse(os, arena, files[i].path,
                                      (const unsigned char *)files[i].text, strlen(files[i].text)),
                         0);
    }
    cat_os_finish(os, arena, today);
}

static void check(const struct fth_os *os, const struct want *w)
{
    assert_string_equal(os->id, w->id);
    assert_string_equal(os->version_id, w->version_id);
    assert_string_equal(os->codename, w->codename);
    assert_string_equal(os->family, w->family);
    assert_string_equal(os->release, w->release);
    assert_string_equal(os->eol_date, w->eol_date);
    assert_int_equal(os->eol, w->eol);
    if (w->pretty_name)
        assert_string_equal(os->pretty_name, w->pretty_name);
}

/* One os-release text and what it must give at `today`. */
static void one(const char *text, const char *today, const struct want *w)
{
    struct file f = {"etc/os-release", text};
    struct fth_os os;

    detect(&os, &f, 1, today);
    check(&os, w);
    assert_string_equal(os.path, "etc/os-release");
}

static void test_catalog_os_debian(void **state)
{
    static const char bookworm[] =
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
        "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n"
        "HOME_URL=\"https://www.debian.org/\"\n";
    static const char distroless[] =
        "PRETTY_NAME=\"Distroless\"\r\nNAME=\"Debian GNU/Linux\"\r\nID=\"debian\"\r\n"
        "VERSION_ID=\"11\"\r\nVERSION=\"Debian GNU/Linux 11 (bullseye)\"\r\n"
        "HOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\r\n";
    static const char buster[] = "ID=debian\nVERSION_ID=\"10\"\n";
    const struct want w12 = {
        "debian",   "12",         "bookworm", "debian",
        "bookworm", "2028-06-30", 0,          "Debian GNU/Linux 12 (bookworm)"};
    const struct want w11 = {"debian",   "11",         "bullseye", "debian",
                             "bullseye", "2026-08-31", 1,          "Distroless"};
    const struct want w10a = {"debian", "10", "buster", "debian", "buster", "2024-06-30", 0, NULL};
    const struct want w10b = {"debian", "10", "buster", "debian", "buster", "2024-06-30", 1, NULL};

    (void)state;
    one(bookworm, "2026-11-23", &w12);
    one(distroless, "2026-11-23", &w11);
    /* the last day is not yet end of life; the next one is */
    one(buster, "2024-06-30", &w10a);
    one(buster, "2024-07-01", &w10b);
}

static void test_catalog_os_ubuntu_lsb(void **state)
{
    static const char os_release[] =
        "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\n"
        "VERSION=\"22.04.4 LTS (Jammy Jellyfish)\"\nID=ubuntu\nID_LIKE=debian\n"
        "UBUNTU_CODENAME=jammy\n";
    static const char lsb[] =
        "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\n"
        "DISTRIB_CODENAME=bionic\nDISTRIB_DESCRIPTION=\"Ubuntu 18.04.6 LTS\"\n";
    const struct want w22 = {"ubuntu", "22.04",      "jammy", "debian",
                             "22.04",  "2027-06-01", 0,       "Ubuntu 22.04.4 LTS"};
    const struct want w18 = {"ubuntu", "18.04",      "bionic", "debian",
                             "18.04",  "2023-05-31", 1,        "Ubuntu 18.04.6 LTS"};
    struct file f = {"etc/lsb-release", lsb};
    struct fth_os os;

    (void)state;
    one(os_release, "2026-11-23", &w22);
    detect(&os, &f, 1, "2026-11-23");
    check(&os, &w18);
}

static void test_catalog_os_alpine(void **state)
{
    static const char os320[] = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n"
                                "PRETTY_NAME=\"Alpine Linux v3.20\"\n";
    static const char edge[] = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.21.0_alpha20240923\n"
                               "PRETTY_NAME=\"Alpine Linux edge\"\n";
    const struct want w320 = {"alpine", "3.20.3",     "", "alpine",
                              "v3.20",  "2026-04-01", 1,  "Alpine Linux v3.20"};
    const struct want wedge = {"alpine", "3.21.0_alpha20240923", "", "alpine", "edge", "", 0, NULL};
    const struct want wrel = {"alpine", "3.16.9", "", "alpine", "v3.16", "2024-05-23", 0, NULL};
    struct file f = {"etc/alpine-release", "3.16.9\n"};
    struct fth_os os;

    (void)state;
    one(os320, "2026-11-23", &w320);
    one(edge, "2026-11-23", &wedge);
    detect(&os, &f, 1, "2024-01-01");
    check(&os, &wrel);
    assert_string_equal(os.path, "etc/alpine-release");
}

static void test_catalog_os_redhat_family(void **state)
{
    static const char rhel[] =
        "NAME=\"Red Hat Enterprise Linux\"\nVERSION=\"8.9 (Ootpa)\"\nID=\"rhel\"\n"
        "ID_LIKE=\"fedora\"\nVERSION_ID=\"8.9\"\nPRETTY_NAME=\"Red Hat Enterprise Linux 8.9 "
        "(Ootpa)\"\n";
    static const char rocky[] = "NAME=\"Rocky Linux\"\nID=\"rocky\"\nID_LIKE=\"rhel centos "
                                "fedora\"\nVERSION_ID=\"9.3\"\n";
    static const char alma[] = "ID=\"almalinux\"\nVERSION_ID=\"8.10\"\n";
    static const char fedora[] = "NAME=\"Fedora Linux\"\nID=fedora\nVERSION_ID=39\n";
    static const char amzn2[] = "NAME=\"Amazon Linux\"\nID=\"amzn\"\nID_LIKE=\"centos rhel "
                                "fedora\"\nVERSION_ID=\"2\"\n";
    static const char amzn2023[] = "NAME=\"Amazon Linux\"\nID=\"amzn\"\nVERSION_ID=\"2023\"\n";
    const struct want wrhel = {"rhel", "8.9", "", "redhat", "8", "2029-05-31", 0, NULL};
    const struct want wrocky = {"rocky", "9.3", "", "redhat", "9", "2032-05-31", 0, NULL};
    const struct want walma = {"almalinux", "8.10", "", "redhat", "8", "2029-05-31", 0, NULL};
    const struct want wfed = {"fedora", "39", "", "redhat", "39", "2024-11-26", 1, NULL};
    const struct want wamzn2 = {"amzn", "2", "", "redhat", "2", "2026-06-30", 0, NULL};
    const struct want wamzn23 = {"amzn", "2023", "", "redhat", "2023", "2029-06-30", 0, NULL};

    (void)state;
    one(rhel, "2026-01-01", &wrhel);
    one(rocky, "2026-01-01", &wrocky);
    one(alma, "2026-01-01", &walma);
    one(fedora, "2026-01-01", &wfed);
    one(amzn2, "2026-01-01", &wamzn2);
    one(amzn2023, "2026-01-01", &wamzn23);
}

static void test_catalog_os_release_files(void **state)
{
    const struct file rh = {"etc/redhat-release", "Red Hat Enterprise Linux release 7.9 (Maipo)\n"};
    const struct file centos = {"etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n"};
    const struct file deb = {"etc/debian_version", "12.5\n"};
    const struct file sid = {"etc/debian_version", "trixie/sid\n"};
    const struct want wrh = {
        "rhel", "7.9",        "Maipo", "redhat",
        "7",    "2024-06-30", 1,       "Red Hat Enterprise Linux release 7.9 (Maipo)"};
    const struct want wc = {"centos", "7.9.2009", "Core", "redhat", "7", "2024-06-30", 1, NULL};
    const struct want wd = {"debian",   "12",         "bookworm", "debian",
                            "bookworm", "2028-06-30", 0,          NULL};
    const struct want ws = {"debian", "", "trixie", "debian", "trixie", "2030-06-30", 0, NULL};
    struct fth_os os;

    (void)state;
    detect(&os, &rh, 1, "2025-01-01");
    check(&os, &wrh);
    detect(&os, &centos, 1, "2025-01-01");
    check(&os, &wc);
    detect(&os, &deb, 1, "2025-01-01");
    check(&os, &wd);
    detect(&os, &sid, 1, "2025-01-01");
    check(&os, &ws);
}

static void test_catalog_os_suse_wolfi(void **state)
{
    static const char sles[] = "NAME=\"SLES\"\nVERSION=\"15-SP5\"\nVERSION_ID=\"15.5\"\n"
                               "ID=\"sles\"\nID_LIKE=\"suse\"\n";
    static const char leap[] = "NAME=\"openSUSE Leap\"\nVERSION_ID=\"15.6\"\nID=\"opensuse-leap\"\n"
                               "ID_LIKE=\"suse opensuse\"\n";
    static const char tumbleweed[] = "NAME=\"openSUSE Tumbleweed\"\nID=\"opensuse-tumbleweed\"\n"
                                     "VERSION_ID=\"20241120\"\n";
    static const char wolfi[] = "ID=wolfi\nNAME=\"Wolfi\"\nPRETTY_NAME=\"Wolfi\"\n"
                                "VERSION_ID=\"20230201\"\n";
    static const char chainguard[] = "ID=chainguard\nNAME=\"Chainguard\"\n";
    static const char unknown[] = "ID=myos\nID_LIKE=\"debian\"\nVERSION_ID=1\n";
    const struct want wsles = {"sles", "15.5", "", "suse", "15.5", "2024-12-31", 1, NULL};
    const struct want wleap = {"opensuse-leap", "15.6", "", "suse", "15.6", "2026-04-30", 0, NULL};
    const struct want wtw = {
        "opensuse-tumbleweed", "20241120", "", "suse", "20241120", "", 0, NULL};
    const struct want wwolfi = {"wolfi", "20230201", "", "wolfi", "20230201", "", 0, "Wolfi"};
    const struct want wcg = {"chainguard", "", "", "wolfi", "", "", 0, NULL};
    const struct want wun = {"myos", "1", "", "debian", "1", "", 0, NULL};

    (void)state;
    one(sles, "2025-06-01", &wsles);
    one(leap, "2025-06-01", &wleap);
    one(tumbleweed, "2025-06-01", &wtw);
    one(wolfi, "2025-06-01", &wwolfi);
    one(chainguard, "2025-06-01", &wcg);
    one(unknown, "2025-06-01", &wun);
}

/* Ubuntu's debian_version ("bookworm/sid") never turns it into Debian, in either order. */
static void test_catalog_os_ubuntu_debian_version(void **state)
{
    const struct file a[] = {
        {"etc/debian_version", "bookworm/sid\n"},
        {"usr/lib/os-release", "ID=ubuntu\nVERSION_ID=\"24.04\"\nVERSION_CODENAME=noble\n"},
    };
    const struct file b[] = {a[1], a[0]};
    const struct want w = {"ubuntu", "24.04", "noble", "debian", "24.04", "2029-05-31", 0, NULL};
    struct fth_os os;

    (void)state;
    detect(&os, a, 2, "2026-01-01");
    check(&os, &w);
    detect(&os, b, 2, "2026-01-01");
    check(&os, &w);
}

/* os-release outranks the distro files whatever the order they arrive in. */
static void test_catalog_os_ranking(void **state)
{
    const struct file files[] = {
        {"etc/debian_version", "11.9\n"},
        {"usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"},
        {"etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\n"},
        {"etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"from etc\"\n"},
    };
    const struct want w = {"debian",   "12",         "bookworm", "debian",
                           "bookworm", "2028-06-30", 0,          "from etc"};
    struct file order[4];
    struct fth_os os;

    (void)state;
    for (int rot = 0; rot < 4; rot++) {
        for (int i = 0; i < 4; i++)
            order[i] = files[(i + rot) % 4];
        detect(&os, order, 4, "2026-01-01");
        check(&os, &w);
        assert_string_equal(os.path, "etc/os-release");
        /* and backwards */
        for (int i = 0; i < 4; i++)
            order[i] = files[(4 - i + rot) % 4];
        detect(&os, order, 4, "2026-01-01");
        check(&os, &w);
    }
}

static void test_catalog_os_odd_input(void **state)
{
    const struct file files[] = {
        {"etc/os-release", ""},
        {"etc/os-release", "garbage\n=\nID\n#ID=x\n  ID=\"unterminated\n"},
        {"etc/redhat-release", "\n"},
        {"etc/debian_version", ""},
        {"etc/alpine-release", "\n\n"},
    };
    struct fth_os os;

    (void)state;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        detect(&os, &files[i], 1, "2026-01-01");
        assert_non_null(os.id);
        assert_non_null(os.release);
        assert_non_null(os.eol_date);
        assert_int_equal(os.eol, 0);
    }
    detect(&os, &files[1], 1, "2026-01-01");
    assert_string_equal(os.id, "unterminated");
    assert_false(cat_os_wants("etc/os-release.d"));
    assert_false(cat_os_wants("os-release"));
    assert_true(cat_os_wants("etc/lsb-release"));
}

/* The real release files of the Debian 12 image and the Alpine 3.20.3 minirootfs. */
static void test_catalog_os_real(void **state)
{
    char dir[] = "/tmp/fathom-catos-os-XXXXXX", cmd[4096], path[4096];
    static const char *const rel[] = {"etc/debian_version", "usr/lib/os-release",
                                      "etc/alpine-release", "etc/os-release"};
    const struct want wd = {"debian",   "12",         "bookworm", "debian",
                            "bookworm", "2028-06-30", 0,          "Debian GNU/Linux 12 (bookworm)"};
    const struct want wa = {"alpine", "3.20.3",     "", "alpine",
                            "v3.20",  "2026-04-01", 0,  "Alpine Linux v3.20"};
    struct fth_os os;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd),
             "mkdir -p '%s/deb' '%s/alp' && tar -xzf "
             "'%s/data/images/oci-bookworm/blobs/sha256/"
             "c3539d8a6897af4d2a12743ad4c784fdf71405a81186cc520dc4b7a6eab6a0b6' -C '%s/deb' "
             "etc/debian_version usr/lib/os-release && tar -xzf "
             "'%s/data/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz' -C '%s/alp' "
             "./etc/alpine-release ./etc/os-release",
             dir, dir, FATHOM_SHARED, dir, FATHOM_SHARED, dir);
    assert_int_equal(system(cmd), 0);
    for (int d = 0; d < 2; d++) {
        memset(&os, 0, sizeof(os));
        for (int i = 2 * d; i < 2 * d + 2; i++) {
            struct fth_buf b = FTH_BUF_INIT;

            snprintf(path, sizeof(path), "%s/%s/%s", dir, d ? "alp" : "deb", rel[i]);
            assert_int_equal(fth_file_read(&b, path, 1 << 20, NULL), 0);
            assert_int_equal(cat_os_parse(&os, arena, rel[i], (const unsigned char *)b.ptr, b.len),
                             0);
            fth_buf_release(&b);
        }
        cat_os_finish(&os, arena, "2026-01-01");
        check(&os, d ? &wa : &wd);
        assert_string_equal(os.path, d ? "etc/os-release" : "usr/lib/os-release");
    }
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_os_debian),
        cmocka_unit_test(test_catalog_os_ubuntu_lsb),
        cmocka_unit_test(test_catalog_os_alpine),
        cmocka_unit_test(test_catalog_os_redhat_family),
        cmocka_unit_test(test_catalog_os_release_files),
        cmocka_unit_test(test_catalog_os_suse_wolfi),
        cmocka_unit_test(test_catalog_os_ranking),
        cmocka_unit_test(test_catalog_os_ubuntu_debian_version),
        cmocka_unit_test(test_catalog_os_odd_input),
        cmocka_unit_test(test_catalog_os_real),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
