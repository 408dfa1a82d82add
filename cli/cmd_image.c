/*
 * fathom scan image and fathom sbom: open an image from any source, catalogue what it
 * contains and scan it (vulnerabilities, secrets, hygiene, binary fingerprints), then print
 * the findings, the inventory or a CycloneDX/SPDX document.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fathom/license.h"
#include "fathom/scan.h"
#include "fathom/secret.h"
#include "fathom/vulndb.h"

static const char scan_image_help[] =
    "usage: fathom scan image [options] IMAGE\n"
    "\n"
    "Scan an image: every package of every layer against the vulnerability database (deleted\n"
    "ones too, marked), every regular file of every layer for secrets, the image's hygiene\n"
    "(root user, shells, package managers, network tools, set-id and world-writable files,\n"
    "credentials in Env, moving references, end-of-life OS), and SHA-256 fingerprints of\n"
    "every ELF executable and library; with the license scanner, every package's declared\n"
    "licences graded by category (or, with --license-deny, the denied ones). Each finding\n"
    "names its layer and file.\n"
    "With --list-all-pkgs and no --scanners: the inventory only (OS, layers, packages).\n"
    "\n"
    "%s"
    "\n"
    "Options:\n"
    "      --scanners LIST        any of vuln, secret, license, hygiene (default: vuln,\n"
    "                             secret, hygiene), or none\n"
    "      --db PATH              vulnerability database (default: $FATHOM_DB, else\n"
    "                             $XDG_CACHE_HOME/fathom/vulndb.sqlite, else\n"
    "                             ~/.cache/fathom/vulndb.sqlite)\n"
    "      --db-max-age DURATION  refuse a database last imported longer ago (30d, 12h, 1w2d)\n"
    "      --severity LIST        report only these severities (critical,high,medium,low,\n"
    "                             unknown)\n"
    "      --ignore-unfixed       report only vulnerabilities with a fixed version\n"
    "      --ignorefile FILE      suppress findings (.trivyignore text or YAML form;\n"
    "                             default: ./.trivyignore, else ./.trivyignore.yaml, when\n"
    "                             present)\n"
    "      --exit-code N          exit status when a finding is reported (default 1)\n"
    "      --binary-hashes FILE   known-bad SHA-256 digests of binaries (sha256sum format)\n"
    "      --secret-config FILE   custom secret rules (Trivy's secret config format)\n"
    "      --secret-scan-binary   scan binary files (ELF ones too) for secrets\n"
    "      --secret-max-size BYTES  skip files larger than this (default 33554432)\n"
    "      --secret-scan-large    scan files over --secret-max-size too, in chunks\n"
    "      --license-deny LIST    report only these licences, as a gate (adds the license\n"
    "                             scanner): SPDX ids, prefixes ending in '*' (GPL-*), and\n"
    "                             categories (forbidden, restricted, reciprocal, notice,\n"
    "                             permissive, unencumbered, unknown, network-copyleft)\n"
    "      --list-all-pkgs        list every package too (table and json)\n"
    "%s"
    "%s"
    "\n"
    "Formats: table (default on a terminal), json (default otherwise), sarif, cyclonedx\n"
    "(docs/scan-image.md; hygiene rules: docs/hygiene.md).\n"
    "\n"
    "Exit status: 0 nothing reported; --exit-code (1) a finding is reported (after\n"
    "--severity, --ignore-unfixed and the ignore file); 2 bad usage, a missing or too old\n"
    "database, or an image that cannot be read (the message names image, layer and entry).\n";

static const char sbom_help[] =
    "usage: fathom sbom [options] IMAGE\n"
    "\n"
    "Write a software bill of materials for an image: CycloneDX 1.6 JSON or SPDX 2.3 JSON,\n"
    "with every package's purl, declared licences, the layer and file that declared it, and\n"
    "the dependencies the package metadata states. Both also list every ELF executable and\n"
    "library of every layer with its SHA-256 (CycloneDX file components; SPDX files with\n"
    "SHA-1 and SHA-256, contained by the package that owns them).\n"
    "\n"
    "%s"
    "\n"
    "Options:\n"
    "%s"
    "%s"
    "\n"
    "Formats: cyclonedx (CycloneDX 1.6 JSON, the default) or spdx (SPDX 2.3 JSON); see\n"
    "docs/sbom.md. FATHOM_SBOM_UUID and FATHOM_SBOM_TIMESTAMP make documents reproducible.\n"
    "\n"
    "Exit status: 0 written, 2 bad usage or an image that cannot be read.\n";

static const char image_sources_help[] =
    "IMAGE is one of:\n"
    "  oci:PATH[:TAG]             an OCI image layout directory\n"
    "  oci-archive:PATH[:TAG]     an OCI image layout in a tar file\n"
    "  docker-archive:PATH        a `docker save` archive (plain or gzip-compressed)\n"
    "  dir:PATH                   a root filesystem directory\n"
    "  docker://REF               a registry reference: HOST[:PORT]/REPO[:TAG|@sha256:...]\n"
    "  PATH                       any of the above files or directories, detected\n"
    "  REF                        a registry reference without docker://\n";

static const char image_options_help[] =
    "      --platform OS/ARCH[/VARIANT]  the image of a multi-platform index\n"
    "                             (default linux/amd64)\n"
    "      --rootfs               IMAGE is a root filesystem (directory or tarball)\n"
    "      --username USER        registry user (default: ~/.docker/config.json)\n"
    "      --password-stdin       read the registry password from standard input\n"
    "      --insecure             plain HTTP to the registry\n"
    "      --cache-dir DIR        layer cache (default $XDG_CACHE_HOME/fathom)\n"
    "      --no-cache             do not read or write the layer cache\n"
    "  -j, --threads N            layers read at once (default: one per core)\n";

enum {
    OPT_PLATFORM = CLI_OPT_FIRST_COMMAND,
    OPT_ROOTFS,
    OPT_USERNAME,
    OPT_PASSWORD_STDIN,
    OPT_INSECURE,
    OPT_CACHE_DIR,
    OPT_NO_CACHE,
    OPT_LIST_ALL,
    OPT_SCANNERS,
    OPT_DB,
    OPT_DB_MAX_AGE,
    OPT_SEVERITY,
    OPT_IGNORE_UNFIXED,
    OPT_IGNOREFILE,
    OPT_EXIT_CODE,
    OPT_BINARY_HASHES,
    OPT_SECRET_CONFIG,
    OPT_LICENSE_DENY,
    OPT_SECRET_SCAN_BINARY,
    OPT_SECRET_MAX_SIZE,
    OPT_SECRET_SCAN_LARGE,
};

#define IMAGE_OPTIONS                                                                              \
    {"platform", required_argument, NULL, OPT_PLATFORM},                                           \
        {"rootfs", no_argument, NULL, OPT_ROOTFS},                                                 \
        {"username", required_argument, NULL, OPT_USERNAME},                                       \
        {"password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN},                                 \
        {"insecure", no_argument, NULL, OPT_INSECURE},                                             \
        {"cache-dir", required_argument, NULL, OPT_CACHE_DIR},                                     \
        {"no-cache", no_argument, NULL, OPT_NO_CACHE},                                             \
    {                                                                                              \
        "threads", required_argument, NULL, 'j'                                                    \
    }

struct image_args {
    struct fth_image_opts iopts;
    struct fth_catalog_opts copts;
    int password_stdin;
    char *password;
};

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fputs("fathom: ", stderr);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "; see 'fathom %s --help'\n", cmd);
    return CLI_ERROR;
}

/* 1 when opt was an image option, 0 when not, CLI_ERROR (negated) on a bad value. */
static int image_option(struct image_args *ia, int opt, const char *arg, const char *cmd)
{
    char *end;
    long n;

    switch (opt) {
    case OPT_PLATFORM:
        ia->iopts.platform = arg;
        return 1;
    case OPT_ROOTFS:
        ia->iopts.rootfs = 1;
        return 1;
    case OPT_USERNAME:
        ia->iopts.username = arg;
        return 1;
    case OPT_PASSWORD_STDIN:
        ia->password_stdin = 1;
        return 1;
    case OPT_INSECURE:
        ia->iopts.insecure = 1;
        return 1;
    case OPT_CACHE_DIR:
        ia->iopts.cache_dir = ia->copts.cache_dir = arg;
        return 1;
    case OPT_NO_CACHE:
        ia->iopts.cache_dir = ia->copts.cache_dir = "";
        return 1;
    case 'j':
        n = strtol(arg, &end, 10);
        if (!*arg || *end || n < 0 || n > 1024) {
            usage_error(cmd, "'%s' for --threads: expected a number from 0 to 1024", arg);
            return -CLI_ERROR;
        }
        ia->copts.threads = (unsigned)n;
        return 1;
    default:
        return 0;
    }
}

/* The password from standard input: one line, its newline dropped. */
static int read_password(struct image_args *ia)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;

    fth_error_clear(&err);
    if (fth_file_read(&b, "-", 4096, &err) < 0) {
        cli_error("--password-stdin: %s", err.message);
        fth_buf_release(&b);
        return CLI_ERROR;
    }
    while (b.len && (b.ptr[b.len - 1] == '\n' || b.ptr[b.len - 1] == '\r'))
        b.ptr[--b.len] = '\0';
    ia->password = fth_buf_detach(&b, NULL);
    ia->iopts.password = ia->password;
    return CLI_OK;
}

/* "30d", "12h", "1w2d", "90m", "3600s" (units w, d, h, m, s; a bare number is seconds). */
static int parse_duration(long long *out, const char *s)
{
    long long total = 0;

    if (!*s)
        return -1;
    while (*s) {
        char *end;
        long long n = strtoll(s, &end, 10), unit;

        if (end == s || n < 0 || n > 100000000LL)
            return -1;
        switch (*end) {
        case 'w':
            unit = 7 * 86400;
            break;
        case 'd':
            unit = 86400;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'm':
            unit = 60;
            break;
        case 's':
        case '\0':
            unit = 1;
            break;
        default:
            return -1;
        }
        total += n * unit;
        s = *end ? end + 1 : end;
    }
    *out = total;
    return 0;
}

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS[.frac]Z"; -1 when it is not that. */
static long long parse_utc(const char *s)
{
    static const int at[6] = {0, 5, 8, 11, 14, 17}, len[6] = {4, 2, 2, 2, 2, 2};
    int v[6];
    struct tm tm;

    if (!s || strlen(s) < 19)
        return -1;
    for (int i = 0; i < 6; i++) {
        v[i] = 0;
        for (int k = 0; k < len[i]; k++) {
            char c = s[at[i] + k];

            if (c < '0' || c > '9')
                return -1;
            v[i] = v[i] * 10 + (c - '0');
        }
    }
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = v[0] - 1900;
    tm.tm_mon = v[1] - 1;
    tm.tm_mday = v[2];
    tm.tm_hour = v[3];
    tm.tm_min = v[4];
    tm.tm_sec = v[5];
    return (long long)timegm(&tm);
}

/* Trivy's default: ./.trivyignore; Fathom also takes ./.trivyignore.yaml when that is all. */
static const char *default_ignorefile(void)
{
    static const char *const names[] = {".trivyignore", ".trivyignore.yaml"};

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (access(names[i], F_OK) == 0) {
            fth_log(FTH_LOG_INFO, "scan", "using the ignore file '%s'", names[i]);
            return names[i];
        }
    return NULL;
}

struct scan_args {
    const char *scanners;
    const char *db;
    const char *db_max_age;
    const char *severity;
    const char *ignorefile;
    const char *binary_hashes;
    const char *secret_config;
    const char *license_deny;
    int ignore_unfixed;
    int exit_code;
    int list_all;
};

/* The database, checked: present, a vulnerability database, not older than --db-max-age. */
static int open_db(struct fth_vulndb **db, const struct scan_args *sa, struct fth_arena *a)
{
    struct fth_buf pathbuf = FTH_BUF_INIT;
    struct fth_vulndb_info info;
    struct fth_error err;
    const char *path = cli_db_path(sa->db, &pathbuf), *newest = "";
    long long max_age = 0, at;
    int status = CLI_ERROR;

    fth_error_clear(&err);
    if (!path) {
        cli_error("no vulnerability database location: use --db or set FATHOM_DB, "
                  "XDG_CACHE_HOME or HOME");
        goto out;
    }
    if (sa->db_max_age && parse_duration(&max_age, sa->db_max_age) < 0) {
        usage_error("scan image", "'%s' for --db-max-age: expected a duration like 30d, 12h, 1w",
                    sa->db_max_age);
        goto out;
    }
    if (fth_vulndb_open(db, path, FTH_VULNDB_READONLY, &err) < 0) {
        if (err.code == FTH_ENOTFOUND)
            cli_error("no vulnerability database at '%s': run 'fathom db update' or 'fathom db "
                      "import', or leave vuln out of --scanners",
                      path);
        else
            cli_error("vulnerability database '%s': %s", path, err.message);
        goto out;
    }
    if (fth_vulndb_info(&info, a, *db, &err) < 0) {
        cli_error("vulnerability database '%s': %s", path, err.message);
        goto out;
    }
    for (size_t i = 0; i < info.nsources; i++)
        if (strcmp(info.sources[i].imported_at, newest) > 0)
            newest = info.sources[i].imported_at;
    if (!info.advisories) {
        cli_error("the vulnerability database '%s' holds no advisories: run 'fathom db update' "
                  "or 'fathom db import'",
                  path);
        goto out;
    }
    if (sa->db_max_age) {
        long long now = (long long)time(NULL);

        at = parse_utc(newest);
        if (at < 0 || now - at > max_age) {
            cli_error("the vulnerability database '%s' was last imported %s%s, longer ago than "
                      "--db-max-age %s: run 'fathom db update'",
                      path, at < 0 ? "at an unknown time" : "at ", at < 0 ? "" : newest,
                      sa->db_max_age);
            goto out;
        }
    }
    status = CLI_OK;
out:
    fth_buf_release(&pathbuf);
    return status;
}

/* Print a library error as "fathom: file:line: message". */
static void print_error(const struct fth_error *err)
{
    struct fth_buf line = FTH_BUF_INIT;

    if (fth_error_format(&line, err) == 0)
        cli_error("%s", line.ptr);
    fth_buf_release(&line);
}

static int read_hashes(struct fth_scan_hashes *out, struct fth_arena *a, const char *path)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    int rc;

    fth_error_clear(&err);
    if ((rc = fth_file_read(&b, path, (size_t)64 * 1024 * 1024, &err)) >= 0)
        rc = fth_scan_hashes_parse(out, a, path, b.ptr, b.len, &err);
    fth_buf_release(&b);
    if (rc < 0) {
        print_error(&err);
        return CLI_ERROR;
    }
    return CLI_OK;
}

int cmd_scan_image(int argc, char **argv)
{
    static const struct option options[] = {
        CLI_COMMON_OPTIONS,
        IMAGE_OPTIONS,
        {"list-all-pkgs", no_argument, NULL, OPT_LIST_ALL},
        {"scanners", required_argument, NULL, OPT_SCANNERS},
        {"db", required_argument, NULL, OPT_DB},
        {"db-max-age", required_argument, NULL, OPT_DB_MAX_AGE},
        {"severity", required_argument, NULL, OPT_SEVERITY},
        {"ignore-unfixed", no_argument, NULL, OPT_IGNORE_UNFIXED},
        {"ignorefile", required_argument, NULL, OPT_IGNOREFILE},
        {"exit-code", required_argument, NULL, OPT_EXIT_CODE},
        {"binary-hashes", required_argument, NULL, OPT_BINARY_HASHES},
        {"secret-config", required_argument, NULL, OPT_SECRET_CONFIG},
        {"license-deny", required_argument, NULL, OPT_LICENSE_DENY},
        {"secret-scan-binary", no_argument, NULL, OPT_SECRET_SCAN_BINARY},
        {"secret-max-size", required_argument, NULL, OPT_SECRET_MAX_SIZE},
        {"secret-scan-large", no_argument, NULL, OPT_SECRET_SCAN_LARGE},
        {NULL, 0, NULL, 0},
    };
    struct cli_common common = {0};
    struct image_args ia = {FTH_IMAGE_OPTS_INIT, FTH_CATALOG_OPTS_INIT, 0, NULL};
    struct scan_args sa;
    struct fth_report_opts ropts = FTH_REPORT_OPTS_INIT;
    struct fth_scan_report_opts sro = FTH_SCAN_REPORT_OPTS_INIT;
    struct fth_scan_opts so = FTH_SCAN_OPTS_INIT;
    struct fth_secret_scan_opts sopt = FTH_SECRET_SCAN_OPTS_INIT;
    struct fth_scan_filter filter = {0, 0, NULL, NULL};
    struct fth_scan_ignore ignore;
    struct fth_scan_hashes hashes;
    struct fth_scan_result res;
    struct fth_secret_rules *rules = NULL;
    struct fth_license_deny *deny = NULL;
    struct fth_vulndb *db = NULL;
    struct fth_image *img = NULL;
    struct fth_inventory inv;
    struct fth_arena *a = NULL;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_error err;
    enum fth_scan_format fmt;
    unsigned scanners = FTH_SCAN_DEFAULT;
    size_t open_findings;
    unsigned long long size;
    char *end;
    long n;
    int opt, r, status = CLI_ERROR;

    memset(&sa, 0, sizeof(sa));
    sa.exit_code = CLI_FAIL;
    fth_error_clear(&err);
    optind = 1;
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT "j:", options, NULL)) != -1) {
        if (cli_common_option(&common, opt, optarg))
            continue;
        if ((r = image_option(&ia, opt, optarg, "scan image")) < 0)
            return CLI_ERROR;
        if (r)
            continue;
        switch (opt) {
        case 'h':
            printf(scan_image_help, image_sources_help, image_options_help, cli_common_help);
            return CLI_OK;
        case OPT_LIST_ALL:
            sa.list_all = 1;
            break;
        case OPT_SCANNERS:
            sa.scanners = optarg;
            break;
        case OPT_DB:
            sa.db = optarg;
            break;
        case OPT_DB_MAX_AGE:
            sa.db_max_age = optarg;
            break;
        case OPT_SEVERITY:
            sa.severity = optarg;
            break;
        case OPT_IGNORE_UNFIXED:
            sa.ignore_unfixed = 1;
            break;
        case OPT_IGNOREFILE:
            sa.ignorefile = optarg;
            break;
        case OPT_EXIT_CODE:
            n = strtol(optarg, &end, 10);
            if (!*optarg || *end || n < 0 || n > 255)
                return usage_error("scan image", "'%s' for --exit-code: expected 0 to 255", optarg);
            sa.exit_code = (int)n;
            break;
        case OPT_BINARY_HASHES:
            sa.binary_hashes = optarg;
            break;
        case OPT_SECRET_CONFIG:
            sa.secret_config = optarg;
            break;
        case OPT_LICENSE_DENY:
            sa.license_deny = optarg;
            break;
        case OPT_SECRET_SCAN_BINARY:
            sopt.scan_binary = 1;
            break;
        case OPT_SECRET_MAX_SIZE:
            size = strtoull(optarg, &end, 10);
            if (!*optarg || *end || !size || optarg[0] == '-')
                return usage_error("scan image",
                                   "'%s' for --secret-max-size: expected a positive number of "
                                   "bytes",
                                   optarg);
            sopt.max_size = (size_t)size;
            break;
        case OPT_SECRET_SCAN_LARGE:
            sopt.scan_large = 1;
            break;
        default:
            return usage_error("scan image", "%s", "invalid option");
        }
    }
    cli_log_setup(&common);
    /* --list-all-pkgs alone keeps its meaning: the inventory, no scanner */
    if (!sa.scanners && sa.list_all)
        scanners = 0;
    else if (sa.scanners && !strcmp(sa.scanners, "none"))
        scanners = 0;
    else if (sa.scanners && fth_scan_scanners_parse(&scanners, sa.scanners, &err) < 0)
        return usage_error("scan image", "%s", err.message);
    if (sa.license_deny)
        scanners |= FTH_SCAN_LICENSE;
    if (sa.severity && fth_scan_severities_parse(&filter.severities, sa.severity, &err) < 0)
        return usage_error("scan image", "%s", err.message);
    if (common.format) {
        if (fth_scan_format_parse(&fmt, common.format) < 0)
            return usage_error("scan image",
                               "unknown format '%s': expected table, json, sarif or cyclonedx",
                               common.format);
    } else {
        fmt = cli_output_is_tty(&common) ? FTH_SCAN_TABLE : FTH_SCAN_JSON;
    }
    if (!scanners && fmt != FTH_SCAN_TABLE && fmt != FTH_SCAN_JSON && !sa.binary_hashes)
        return usage_error("scan image", "format '%s' needs a scanner (--scanners)", common.format);
    if (optind + 1 != argc)
        return usage_error("scan image", "%s", "expected exactly one IMAGE");
    if (!(a = fth_arena_new()))
        goto oom;
    /* every input is checked before a layer is read: a bad flag costs no layer walk */
    if (sa.license_deny && fth_license_deny_parse(&deny, a, sa.license_deny, &err) < 0) {
        print_error(&err);
        goto out;
    }
    if (!sa.ignorefile)
        sa.ignorefile = default_ignorefile();
    if (sa.ignorefile) {
        if (fth_scan_ignore_load(&ignore, a, sa.ignorefile, &err) < 0) {
            print_error(&err);
            goto out;
        }
        filter.ignore = &ignore;
    }
    if (sa.binary_hashes) {
        if (read_hashes(&hashes, a, sa.binary_hashes) != CLI_OK)
            goto out;
        so.bad_hashes = &hashes;
    }
    if ((scanners & FTH_SCAN_SECRET) && fth_secret_rules_load(&rules, sa.secret_config, &err) < 0) {
        print_error(&err);
        goto out;
    }
    if (ia.password_stdin && !ia.password && read_password(&ia) != CLI_OK)
        goto out;
    if (fth_image_open(&img, argv[optind], &ia.iopts, &err) < 0) {
        print_error(&err);
        goto out;
    }
    if ((scanners & FTH_SCAN_VULN) && (status = open_db(&db, &sa, a)) != CLI_OK)
        goto out;
    status = CLI_ERROR;
    ropts.color = sro.color = cli_use_color(&common);
    ropts.tool_version = sro.tool_version = FATHOM_VERSION;
    ropts.width = sro.width = cli_width();
    sro.list_packages = sa.list_all;
    sro.timestamp = getenv("FATHOM_SBOM_TIMESTAMP");
    sro.uuid = getenv("FATHOM_SBOM_UUID");
    if (!scanners && !sa.binary_hashes) {
        /* the inventory, exactly as before scanners existed */
        if (fth_catalog_image(&inv, a, img, &ia.copts, &err) < 0) {
            print_error(&err);
            goto out;
        }
        if (fth_report_inventory(&out, fmt == FTH_SCAN_TABLE ? FTH_REPORT_TABLE : FTH_REPORT_JSON,
                                 img, &inv, sa.list_all, &ropts) < 0)
            goto oom;
        status = cli_write(&common, &out);
        goto out;
    }
    so.scanners = scanners;
    so.db = db;
    so.secret_rules = rules;
    so.license_deny = deny;
    so.secret_opts = &sopt;
    so.binaries = 1;
    so.threads = ia.copts.threads;
    so.cache_dir = ia.copts.cache_dir;
    if (fth_scan_image(&res, a, img, &so, &err) < 0) {
        print_error(&err);
        goto out;
    }
    filter.ignore_unfixed = sa.ignore_unfixed;
    open_findings = fth_scan_filter(&res, a, &filter);
    if (fth_scan_report(&out, fmt, img, &res, &sro, &err) < 0) {
        print_error(&err);
        goto out;
    }
    status = cli_write(&common, &out);
    if (status == CLI_OK && open_findings)
        status = sa.exit_code;
    goto out;
oom:
    cli_error("out of memory");
    status = CLI_ERROR;
out:
    fth_buf_release(&out);
    fth_secret_rules_free(rules);
    fth_vulndb_free(db);
    fth_image_free(img);
    fth_arena_free(a);
    free(ia.password);
    return status;
}

int cmd_sbom(int argc, char **argv)
{
    static const struct option options[] = {
        CLI_COMMON_OPTIONS,
        IMAGE_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct cli_common common = {0};
    struct image_args ia = {FTH_IMAGE_OPTS_INIT, FTH_CATALOG_OPTS_INIT, 0, NULL};
    struct fth_sbom_opts sopts = FTH_SBOM_OPTS_INIT;
    struct fth_image *img = NULL;
    struct fth_inventory inv;
    struct fth_arena *a = NULL;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_error err;
    enum fth_sbom_format fmt = FTH_SBOM_CYCLONEDX;
    int opt, r, status = CLI_ERROR;

    optind = 1;
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT "j:", options, NULL)) != -1) {
        if (cli_common_option(&common, opt, optarg))
            continue;
        if ((r = image_option(&ia, opt, optarg, "sbom")) < 0)
            return CLI_ERROR;
        if (r)
            continue;
        if (opt == 'h') {
            printf(sbom_help, image_sources_help, image_options_help, cli_common_help);
            return CLI_OK;
        }
        return usage_error("sbom", "%s", "invalid option");
    }
    cli_log_setup(&common);
    if (common.format && fth_sbom_format_parse(&fmt, common.format) < 0)
        return usage_error("sbom", "unknown format '%s': expected cyclonedx or spdx",
                           common.format);
    if (optind + 1 != argc)
        return usage_error("sbom", "%s", "expected exactly one IMAGE");
    /* reproducible documents for tests and diffing: both are optional */
    sopts.timestamp = getenv("FATHOM_SBOM_TIMESTAMP");
    sopts.uuid = getenv("FATHOM_SBOM_UUID");
    if (!(a = fth_arena_new()))
        goto oom;
    fth_error_clear(&err);
    {
        /* both formats carry every ELF binary's checksums: the same walk fingerprints them */
        struct fth_scan_opts so = FTH_SCAN_OPTS_INIT;
        struct fth_scan_report_opts ro = FTH_SCAN_REPORT_OPTS_INIT;
        struct fth_scan_result res;
        struct fth_sbom_file *files = NULL;

        if (ia.password_stdin && !ia.password && read_password(&ia) != CLI_OK)
            goto out;
        if (fth_image_open(&img, argv[optind], &ia.iopts, &err) < 0) {
            print_error(&err);
            goto out;
        }
        so.binaries = 1;
        so.sha1 = fmt == FTH_SBOM_SPDX;
        so.threads = ia.copts.threads;
        so.cache_dir = ia.copts.cache_dir;
        ro.timestamp = sopts.timestamp;
        ro.uuid = sopts.uuid;
        if (fth_scan_image(&res, a, img, &so, &err) < 0) {
            print_error(&err);
            goto out;
        }
        if (fmt == FTH_SBOM_CYCLONEDX) {
            if (fth_scan_report(&out, FTH_SCAN_CYCLONEDX, img, &res, &ro, &err) < 0) {
                print_error(&err);
                goto out;
            }
        } else {
            if (res.nbinaries && !(files = fth_arena_calloc(a, res.nbinaries, sizeof(*files))))
                goto oom;
            for (size_t i = 0; i < res.nbinaries; i++) {
                const struct fth_scan_binary *b = &res.binaries[i];

                files[i] = (struct fth_sbom_file){b->path, b->layer,  b->present,
                                                  b->kind, b->sha256, b->sha1};
            }
            sopts.files = files;
            sopts.nfiles = res.nbinaries;
            if (fth_scan_visible_inventory(&inv, a, &res.inv) < 0)
                goto oom;
            if (fth_sbom_write(&out, fmt, img, &inv, &sopts, &err) < 0) {
                print_error(&err);
                goto out;
            }
        }
    }
    status = cli_write(&common, &out);
    goto out;
oom:
    cli_error("out of memory");
    status = CLI_ERROR;
out:
    fth_buf_release(&out);
    fth_image_free(img);
    fth_arena_free(a);
    free(ia.password);
    return status;
}
