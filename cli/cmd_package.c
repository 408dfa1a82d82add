/* fathom package: package a chart directory as `helm package` does, optionally signed. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "fathom/helm.h"
#include "fathom/prov.h"

static const char package_help[] =
    "usage: fathom package [options] CHART_DIR\n"
    "\n"
    "Write <name>-<version>.tgz the way `helm package` does: Chart.yaml validated and written\n"
    "as Helm marshals it, .helmignore applied, every entry under <name>/, in a fixed order.\n"
    "The same chart gives the same bytes (entry times are $SOURCE_DATE_EPOCH, else 1970).\n"
    "With --sign, also write <name>-<version>.tgz.prov: the metadata, `...` and the archive's\n"
    "SHA-256, clear-signed with an OpenPGP secret key, as `helm package --sign` writes it.\n"
    "\n"
    "Options:\n"
    "  -d, --destination DIR      where to write the archive (default: the current directory)\n"
    "      --sign                 write a provenance file too\n"
    "      --key NAME             the signing key: a user id (exact, else a unique part of\n"
    "                             one), a key id or a fingerprint\n"
    "      --keyring FILE         secret keys: binary or armored (gpg --export-secret-keys);\n"
    "                             default $GNUPGHOME/secring.gpg, else ~/.gnupg/secring.gpg\n"
    "      --passphrase-file FILE the key's passphrase (first line; '-' reads standard input)\n"
    "  -f, --format FORMAT        table (default) or json\n"
    "  -o, --output FILE          write the summary to FILE instead of standard output\n"
    "  -q, --quiet                no messages on standard error\n"
    "  -v, --verbose              more messages on standard error (FATHOM_LOG=debug too)\n"
    "      --no-color             accepted for symmetry; the output has no colour\n"
    "  -h, --help                 show this help\n"
    "\n"
    "Exit status: 0 packaged; 2 bad usage, an invalid chart, or a key that cannot sign.\n";

enum {
    OPT_SIGN = CLI_OPT_FIRST_COMMAND,
    OPT_KEY,
    OPT_KEYRING,
    OPT_PASSFILE,
};

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if (!f) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        return CLI_ERROR;
    }
    ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        return CLI_ERROR;
    }
    return CLI_OK;
}

/* The first line of the file, without its line ending. */
static int read_passphrase(struct fth_buf *out, const char *path, struct fth_error *err)
{
    int r = fth_file_read(out, path, 64 * 1024, err);
    char *nl;

    if (r < 0)
        return r;
    if ((nl = memchr(out->ptr, '\n', out->len))) {
        *nl = '\0';
        out->len = (size_t)(nl - out->ptr);
    }
    if (out->len && out->ptr[out->len - 1] == '\r')
        out->ptr[--out->len] = '\0';
    return 0;
}

static int json_str(struct fth_buf *b, const char *s)
{
    if (!s)
        return fth_buf_puts(b, "null");
    return fth_json_quote_flags(b, s, strlen(s), 0);
}

int cmd_package(int argc, char **argv)
{
    static const struct option options[] = {
        {"destination", required_argument, NULL, 'd'},
        {"sign", no_argument, NULL, OPT_SIGN},
        {"key", required_argument, NULL, OPT_KEY},
        {"keyring", required_argument, NULL, OPT_KEYRING},
        {"passphrase-file", required_argument, NULL, OPT_PASSFILE},
        CLI_COMMON_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct fth_buf tgz = FTH_BUF_INIT, meta = FTH_BUF_INIT, block = FTH_BUF_INIT;
    struct fth_buf signed_msg = FTH_BUF_INIT, pass = FTH_BUF_INIT, out = FTH_BUF_INIT;
    struct fth_buf ring = FTH_BUF_INIT;
    struct fth_chart_package_opts popts = FTH_CHART_PACKAGE_OPTS_INIT;
    struct fth_prov_sign_opts sopts = FTH_PROV_SIGN_OPTS_INIT;
    struct fth_prov_keyring *kr = NULL;
    struct fth_chart *chart = NULL;
    struct cli_common common;
    struct fth_arena *a = NULL;
    struct fth_error err;
    struct stat st;
    const char *dest = ".", *key = NULL, *keyring = NULL, *passfile = NULL, *dir, *env;
    const char *tgz_path = NULL, *prov_path = NULL, *name;
    char hex[65];
    int opt, status = CLI_OK, sign = 0, json, r;

    memset(&common, 0, sizeof(common));
    fth_error_clear(&err);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "d:" CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (cli_common_option(&common, opt, optarg))
            continue;
        switch (opt) {
        case 'h':
            fputs(package_help, stdout);
            return CLI_OK;
        case 'd':
            dest = optarg;
            break;
        case OPT_SIGN:
            sign = 1;
            break;
        case OPT_KEY:
            key = optarg;
            break;
        case OPT_KEYRING:
            keyring = optarg;
            break;
        case OPT_PASSFILE:
            passfile = optarg;
            break;
        default:
            cli_error("invalid option; see 'fathom package --help'");
            return CLI_ERROR;
        }
    }
    if (common.format && strcmp(common.format, "table") != 0 &&
        strcmp(common.format, "json") != 0) {
        cli_error("unknown format '%s': expected table or json", common.format);
        return CLI_ERROR;
    }
    json = common.format && !strcmp(common.format, "json");
    if (argc - optind != 1) {
        cli_error("expected one CHART_DIR; see 'fathom package --help'");
        return CLI_ERROR;
    }
    dir = argv[optind];
    if (sign && !key) {
        cli_error("--sign needs --key NAME");
        return CLI_ERROR;
    }
    if (!sign && (key || keyring || passfile)) {
        cli_error("--key, --keyring and --passphrase-file go with --sign");
        return CLI_ERROR;
    }
    cli_log_setup(&common);
    if (!(a = fth_arena_new())) {
        cli_error("out of memory");
        return CLI_ERROR;
    }
    if (stat(dir, &st) < 0) {
        cli_error("stat %s: %s", dir, strerror(errno));
        status = CLI_ERROR;
        goto out;
    }
    if (!S_ISDIR(st.st_mode)) {
        cli_error("'%s' is not a chart directory", dir);
        status = CLI_ERROR;
        goto out;
    }
    if ((env = getenv("SOURCE_DATE_EPOCH")) && *env) {
        char *end;
        long long t = strtoll(env, &end, 10);

        if (*end || t < 0) {
            cli_error("SOURCE_DATE_EPOCH '%s' is not a number of seconds", env);
            status = CLI_ERROR;
            goto out;
        }
        popts.mtime = t;
    }
    if ((r = fth_chart_load_dir(&chart, a, dir, &err)) < 0 ||
        (r = fth_chart_package(&tgz, chart, &popts, &err)) < 0) {
        status = cli_report_error(&err, r);
        goto out;
    }
    name = fth_chart_archive_name(a, chart);
    if (!name || !(tgz_path = fth_arena_printf(a, "%s/%s", dest, name))) {
        cli_error("out of memory");
        status = CLI_ERROR;
        goto out;
    }
    fth_sha256_hex(hex, tgz.ptr, tgz.len);
    if (sign) {
        if (!keyring) {
            const char *home = getenv("GNUPGHOME"), *user = getenv("HOME");

            if (home && *home)
                r = fth_buf_printf(&ring, "%s/secring.gpg", home);
            else
                r = fth_buf_printf(&ring, "%s/.gnupg/secring.gpg", user ? user : "");
            if (r < 0) {
                cli_error("out of memory");
                status = CLI_ERROR;
                goto out;
            }
            keyring = ring.ptr;
        }
        if (passfile && (r = read_passphrase(&pass, passfile, &err)) < 0) {
            status = cli_report_error(&err, r);
            goto out;
        }
        sopts.key = key;
        sopts.passphrase = passfile ? pass.ptr : NULL;
        if ((r = fth_prov_keyring_load(&kr, keyring, FTH_PROV_KEYRING_SECRET, &err)) < 0 ||
            (r = fth_chart_metadata_yaml(&meta, &chart->metadata)) < 0 ||
            (r = fth_prov_message_block(&block, meta.ptr, meta.len, name, hex)) < 0 ||
            (r = fth_prov_sign(&signed_msg, kr, block.ptr, block.len, &sopts, &err)) < 0) {
            status = cli_report_error(&err, r);
            goto out;
        }
        if (!(prov_path = fth_arena_printf(a, "%s.prov", tgz_path))) {
            cli_error("out of memory");
            status = CLI_ERROR;
            goto out;
        }
    }
    if ((status = write_file(tgz_path, tgz.ptr, tgz.len)) != CLI_OK)
        goto out;
    if (prov_path && (status = write_file(prov_path, signed_msg.ptr, signed_msg.len)) != CLI_OK)
        goto out;
    if (json) {
        r = fth_buf_puts(&out, "{\"chart\":");
        r |= json_str(&out, chart->metadata.name);
        r |= fth_buf_puts(&out, ",\"version\":");
        r |= json_str(&out, chart->metadata.version);
        r |= fth_buf_puts(&out, ",\"archive\":");
        r |= json_str(&out, tgz_path);
        r |= fth_buf_printf(&out, ",\"digest\":\"sha256:%s\",\"provenance\":", hex);
        r |= json_str(&out, prov_path);
        r |= fth_buf_puts(&out, "}\n");
    } else {
        r = fth_buf_printf(&out, "Successfully packaged chart and saved it to: %s\n", tgz_path);
        if (prov_path)
            r |= fth_buf_printf(&out, "Signed provenance saved to: %s\n", prov_path);
    }
    if (r < 0) {
        cli_error("out of memory");
        status = CLI_ERROR;
        goto out;
    }
    status = cli_write(&common, &out);
out:
    if (pass.len)
        memset(pass.ptr, 0, pass.len);
    fth_prov_keyring_free(kr);
    fth_buf_release(&tgz);
    fth_buf_release(&meta);
    fth_buf_release(&block);
    fth_buf_release(&signed_msg);
    fth_buf_release(&pass);
    fth_buf_release(&out);
    fth_buf_release(&ring);
    fth_arena_free(a);
    return status;
}
