/* fathom verify: check a chart archive against its provenance file, as `helm verify` does. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "fathom/prov.h"
#include "../src/base/limits.h"

static const char verify_help[] =
    "usage: fathom verify [options] CHART.tgz\n"
    "\n"
    "Verify a packaged chart against its provenance file (CHART.tgz.prov), in Helm's order:\n"
    "the OpenPGP signature over the clear-signed message, then the archive's SHA-256 against\n"
    "the signed `files:` entry, then the signed name and version against the Chart.yaml inside\n"
    "the archive. Keyrings may be binary (gpg --export, pubring.gpg), ASCII-armored\n"
    "(gpg --export --armor) or GnuPG 2 keyboxes (pubring.kbx).\n"
    "\n"
    "Options:\n"
    "      --keyring FILE         public keys to trust (default: $GNUPGHOME, else ~/.gnupg:\n"
    "                             pubring.kbx, else pubring.gpg)\n"
    "      --prov FILE            the provenance file (default: CHART.tgz.prov)\n"
    "  -f, --format FORMAT        table (default; Helm's lines) or json\n"
    "  -o, --output FILE          write the result to FILE instead of standard output\n"
    "  -q, --quiet                no messages on standard error\n"
    "  -v, --verbose              more messages on standard error (FATHOM_LOG=debug too)\n"
    "      --no-color             accepted for symmetry; the output has no colour\n"
    "  -h, --help                 show this help\n"
    "\n"
    "Exit status: 0 verified; 1 not verified (bad signature, unknown, expired or revoked key,\n"
    "digest mismatch, archive not among the signed files, chart name/version mismatch,\n"
    "malformed or missing .prov), with the reason on standard error; 2 bad usage or an\n"
    "unreadable chart or keyring.\n";

enum { OPT_KEYRING = CLI_OPT_FIRST_COMMAND, OPT_PROV };

static int json_str(struct fth_buf *b, const char *s)
{
    if (!s)
        return fth_buf_puts(b, "null");
    return fth_json_quote_flags(b, s, strlen(s), 0);
}

static int put_json(struct fth_buf *out, const struct fth_prov_result *res, const char *path)
{
    int r = 0;

    r |= fth_buf_puts(out, "{\"chart\":");
    r |= json_str(out, path);
    r |= fth_buf_puts(out, ",\"file\":");
    r |= json_str(out, res->file_name);
    r |= fth_buf_printf(out, ",\"verified\":%s,\"state\":\"%s\"",
                        res->state == FTH_PROV_VERIFIED ? "true" : "false",
                        fth_prov_state_name(res->state));
    r |= fth_buf_puts(out, ",\"reason\":");
    r |= json_str(out, res->state == FTH_PROV_VERIFIED ? NULL : fth_prov_reason_name(res->reason));
    r |= fth_buf_puts(out, ",\"message\":");
    r |= json_str(out, res->message);
    r |= fth_buf_puts(out, ",\"signer\":");
    r |= json_str(out, res->signer);
    r |= fth_buf_puts(out, ",\"fingerprint\":");
    r |= json_str(out, res->fingerprint);
    r |= fth_buf_puts(out, ",\"signingKey\":");
    r |= json_str(out, res->signing_key);
    r |= fth_buf_puts(out, ",\"keyAlgorithm\":");
    r |= json_str(out, res->key_algorithm);
    r |= fth_buf_puts(out, ",\"hashAlgorithm\":");
    r |= json_str(out, res->hash_algorithm);
    r |= fth_buf_puts(out, ",\"signedAt\":");
    if (res->signed_at > 0) {
        time_t t = (time_t)res->signed_at;
        struct tm tm;
        char when[32];

        if (gmtime_r(&t, &tm) && strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
            r |= json_str(out, when);
        else
            r |= fth_buf_puts(out, "null");
    } else {
        r |= fth_buf_puts(out, "null");
    }
    r |= fth_buf_puts(out, ",\"digest\":");
    r |= json_str(out, res->digest);
    r |= fth_buf_puts(out, ",\"name\":");
    r |= json_str(out, res->chart_name);
    r |= fth_buf_puts(out, ",\"version\":");
    r |= json_str(out, res->chart_version);
    r |= fth_buf_puts(out, "}\n");
    return r;
}

static int has_tgz_ext(const char *p)
{
    size_t n = strlen(p);

    return n >= 4 && !strcasecmp(p + n - 4, ".tgz");
}

int cmd_verify(int argc, char **argv)
{
    static const struct option options[] = {
        {"keyring", required_argument, NULL, OPT_KEYRING},
        {"prov", required_argument, NULL, OPT_PROV},
        CLI_COMMON_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct fth_buf archive = FTH_BUF_INIT, prov = FTH_BUF_INIT, out = FTH_BUF_INIT;
    struct fth_buf provpath = FTH_BUF_INIT, keypath = FTH_BUF_INIT;
    struct fth_prov_keyring *kr = NULL;
    struct fth_prov_result res;
    struct cli_common common;
    struct fth_arena *a = NULL;
    struct fth_error err;
    struct stat st;
    const char *keyring = NULL, *provfile = NULL, *path;
    int opt, status = CLI_OK, json = 0, r;

    memset(&common, 0, sizeof(common));
    fth_error_clear(&err);
    optind = 1;
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (cli_common_option(&common, opt, optarg))
            continue;
        switch (opt) {
        case 'h':
            fputs(verify_help, stdout);
            return CLI_OK;
        case OPT_KEYRING:
            keyring = optarg;
            break;
        case OPT_PROV:
            provfile = optarg;
            break;
        default:
            cli_error("invalid option; see 'fathom verify --help'");
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
        cli_error("expected one CHART.tgz; see 'fathom verify --help'");
        return CLI_ERROR;
    }
    path = argv[optind];
    cli_log_setup(&common);
    if (!(a = fth_arena_new())) {
        cli_error("out of memory");
        return CLI_ERROR;
    }
    /* Helm's checks and messages, in Helm's order. */
    if (stat(path, &st) < 0) {
        cli_error("stat %s: %s", path, strerror(errno));
        status = CLI_ERROR;
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        cli_error("unpacked charts cannot be verified");
        status = CLI_ERROR;
        goto out;
    }
    if (!has_tgz_ext(path)) {
        cli_error("chart must be a tgz file");
        status = CLI_ERROR;
        goto out;
    }
    if (!provfile) {
        if (fth_buf_printf(&provpath, "%s.prov", path) < 0) {
            cli_error("out of memory");
            status = CLI_ERROR;
            goto out;
        }
        provfile = provpath.ptr;
    }
    if (stat(provfile, &st) < 0) {
        if (!common.quiet)
            cli_error("could not load provenance file %s: stat %s: %s", provfile, provfile,
                      strerror(errno));
        if (json) {
            memset(&res, 0, sizeof(res));
            res.state = FTH_PROV_ABSENT;
            res.message = "no provenance file";
            if (put_json(&out, &res, path) < 0 || cli_write(&common, &out) != CLI_OK) {
                status = CLI_ERROR;
                goto out;
            }
        }
        status = CLI_FAIL;
        goto out;
    }
    if (!keyring) {
        if ((r = fth_prov_default_keyring(&keypath, &err)) < 0) {
            status = cli_report_error(&err, r);
            goto out;
        }
        keyring = keypath.ptr;
    }
    if ((r = fth_file_read(&archive, path, FTH_LIMIT_CHART_ARCHIVE_SIZE, &err)) < 0 ||
        (r = fth_prov_keyring_load(&kr, keyring, 0, &err)) < 0) {
        status = cli_report_error(&err, r);
        goto out;
    }
    /* One byte over the limit: the parser then says the .prov is too large. */
    if ((r = fth_file_read(&prov, provfile, FTH_LIMIT_PROV_SIZE + 1, &err)) < 0 &&
        r != FTH_ELIMIT) {
        status = cli_report_error(&err, r);
        goto out;
    }
    if (r == FTH_ELIMIT) {
        r = 0;
        memset(&res, 0, sizeof(res));
        res.state = FTH_PROV_INVALID;
        res.reason = FTH_PROV_MALFORMED;
        res.file_name = path;
        res.message = fth_arena_printf(a,
                                       "malformed provenance: %s is larger than %zu bytes "
                                       "(limit)",
                                       provfile, FTH_LIMIT_PROV_SIZE);
    } else if ((r = fth_prov_verify(&res, a, kr, path, archive.ptr, archive.len, prov.ptr, prov.len,
                                    &err)) < 0) {
        status = cli_report_error(&err, r);
        goto out;
    }
    if (json) {
        r = put_json(&out, &res, path);
    } else if (res.state == FTH_PROV_VERIFIED) {
        r = fth_buf_printf(&out,
                           "Signed by: %s\nUsing Key With Fingerprint: %s\nChart Hash Verified: "
                           "%s\nSignature Hash Algorithm: %s\n",
                           res.signer ? res.signer : "", res.fingerprint ? res.fingerprint : "",
                           res.digest, res.hash_algorithm ? res.hash_algorithm : "");
    }
    if (r < 0) {
        cli_error("out of memory");
        status = CLI_ERROR;
        goto out;
    }
    if (out.len && (status = cli_write(&common, &out)) != CLI_OK)
        goto out;
    if (res.state != FTH_PROV_VERIFIED) {
        if (!common.quiet)
            cli_error("verification failed: %s", res.message ? res.message : "unknown reason");
        status = CLI_FAIL;
    }
out:
    fth_prov_keyring_free(kr);
    fth_buf_release(&archive);
    fth_buf_release(&prov);
    fth_buf_release(&out);
    fth_buf_release(&provpath);
    fth_buf_release(&keypath);
    fth_arena_free(a);
    return status;
}
