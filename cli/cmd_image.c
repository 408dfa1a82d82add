/*
 * fathom scan image and fathom sbom: open an image from any source, catalogue what it
 * contains, and print the inventory or a CycloneDX/SPDX document.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char scan_image_help[] =
    "usage: fathom scan image [options] IMAGE\n"
    "\n"
    "List what an image contains: its operating system (and whether it is past end of life),\n"
    "its layers with what made them, and, with --list-all-pkgs, every package with the layer\n"
    "and the file that declared it.\n"
    "\n"
    "%s"
    "\n"
    "Options:\n"
    "      --list-all-pkgs        list every package (table and json)\n"
    "%s"
    "%s"
    "\n"
    "Formats: table (default on a terminal), json (default otherwise; docs/scan-image.md).\n"
    "\n"
    "Layers are read once each, several at a time, and what each layer holds is cached by\n"
    "its digest: an image sharing a base layer with one scanned before reads only its own.\n"
    "\n"
    "Exit status: 0 done, 2 bad usage or an image that cannot be read (the message names\n"
    "the image, the layer and the entry).\n";

static const char sbom_help[] =
    "usage: fathom sbom [options] IMAGE\n"
    "\n"
    "Write a software bill of materials for an image: CycloneDX 1.6 JSON or SPDX 2.3 JSON,\n"
    "with every package's purl, declared licences, the layer and file that declared it, and\n"
    "the dependencies the package metadata states.\n"
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
};

#define IMAGE_OPTIONS                                                                              \
    {"platform", required_argument, NULL, OPT_PLATFORM},                                          \
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
        ia->iopts.cache_dir = arg;
        return 1;
    case OPT_NO_CACHE:
        ia->iopts.cache_dir = "";
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

/* Open and catalogue; prints the error and returns CLI_ERROR on failure. */
static int load(struct fth_image **img, struct fth_inventory *inv, struct fth_arena *a,
                struct image_args *ia, const char *ref)
{
    struct fth_error err;
    struct fth_buf line = FTH_BUF_INIT;

    fth_error_clear(&err);
    if (ia->password_stdin && !ia->password && read_password(ia) != CLI_OK)
        return CLI_ERROR;
    if (fth_image_open(img, ref, &ia->iopts, &err) < 0 ||
        fth_catalog_image(inv, a, *img, &ia->copts, &err) < 0) {
        if (fth_error_format(&line, &err) == 0)
            cli_error("%s", line.ptr);
        fth_buf_release(&line);
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
        {NULL, 0, NULL, 0},
    };
    struct cli_common common = {0};
    struct image_args ia = {FTH_IMAGE_OPTS_INIT, FTH_CATALOG_OPTS_INIT, 0, NULL};
    struct fth_report_opts ropts = FTH_REPORT_OPTS_INIT;
    struct fth_image *img = NULL;
    struct fth_inventory inv;
    struct fth_arena *a = NULL;
    struct fth_buf out = FTH_BUF_INIT;
    enum fth_report_format fmt;
    int opt, r, list_all = 0, status = CLI_ERROR;

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
            list_all = 1;
            break;
        default:
            return usage_error("scan image", "%s", "invalid option");
        }
    }
    cli_log_setup(&common);
    if (common.format) {
        if (fth_report_format_parse(&fmt, common.format) < 0 ||
            (fmt != FTH_REPORT_TABLE && fmt != FTH_REPORT_JSON))
            return usage_error("scan image", "unknown format '%s': expected table or json",
                               common.format);
    } else {
        fmt = cli_output_is_tty(&common) ? FTH_REPORT_TABLE : FTH_REPORT_JSON;
    }
    if (optind + 1 != argc)
        return usage_error("scan image", "%s", "expected exactly one IMAGE");
    if (!(a = fth_arena_new()))
        goto oom;
    if ((status = load(&img, &inv, a, &ia, argv[optind])) != CLI_OK)
        goto out;
    ropts.color = cli_use_color(&common);
    ropts.tool_version = FATHOM_VERSION;
    ropts.width = cli_width();
    if (fth_report_inventory(&out, fmt, img, &inv, list_all, &ropts) < 0)
        goto oom;
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
    if ((status = load(&img, &inv, a, &ia, argv[optind])) != CLI_OK)
        goto out;
    fth_error_clear(&err);
    if (fth_sbom_write(&out, fmt, img, &inv, &sopts, &err) < 0) {
        cli_error("%s", err.message);
        status = CLI_ERROR;
        goto out;
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
