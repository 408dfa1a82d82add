/*
 * prov: verifying a chart archive against its .prov, in Helm's order (signature, then the
 * archive's digest), then one check Helm leaves out: the signed name and version must be the
 * ones in the archive's own Chart.yaml. The provenance status the repository and scanners
 * show comes from the same code.
 */
#include <string.h>

#include "prov_int.h"
#include "fathom/helm.h"
#include "../base/banned.h"

const char *fth_prov_state_name(enum fth_prov_state s)
{
    switch (s) {
    case FTH_PROV_ABSENT:
        return "absent";
    case FTH_PROV_UNVERIFIED:
        return "present-unverified";
    case FTH_PROV_VERIFIED:
        return "verified";
    case FTH_PROV_INVALID:
        return "invalid";
    }
    return "unknown";
}

const char *fth_prov_reason_name(enum fth_prov_reason r)
{
    static const char *const names[] = {
        "ok",          "malformed",         "bad-signature",   "unknown-key",     "key-expired",
        "key-revoked", "signature-expired", "not-signed-file", "digest-mismatch", "chart-mismatch",
        "bad-archive",
    };

    if ((unsigned)r < sizeof(names) / sizeof(names[0]))
        return names[r];
    return "unknown";
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');

    return s ? s + 1 : p;
}

static int invalid(struct fth_prov_result *out, enum fth_prov_reason reason, const char *msg,
                   struct fth_error *err)
{
    out->state = FTH_PROV_INVALID;
    out->reason = reason;
    out->message = msg;
    return msg ? 0 : fth_error_set(err, FTH_ENOMEM, "out of memory");
}

/* The hash the signature used must be one the "Hash:" header announced (RFC 4880 7). */
static int hash_announced(const char *header, const char *hash)
{
    const char *p = header;
    size_t n = strlen(hash);

    while (p && *p) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);

        while (len && *p == ' ') {
            p++;
            len--;
        }
        if (len == n && !strncmp(p, hash, n))
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

static int check(struct fth_prov_result *out, struct fth_arena *a,
                 const struct fth_prov_keyring *kr, const char *archive_name, const void *archive,
                 size_t archive_len, const char *prov, size_t prov_len, struct fth_error *err)
{
    struct fth_prov_message *m = NULL;
    struct fth_chart *chart = NULL;
    struct fth_error perr;
    struct prov_sig sig;
    char hex[65];
    const char *expected = NULL;
    size_t i;
    int error;

    fth_sha256_hex(hex, archive, archive_len);
    out->file_name = base_name(archive_name);
    if (!(out->digest = fth_arena_printf(a, "sha256:%s", hex)))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    fth_error_clear(&perr);
    if ((error = fth_prov_parse(&m, a, prov, prov_len, &perr)) < 0) {
        if (error == FTH_ENOMEM)
            return fth_error_set(err, error, "out of memory");
        return invalid(out, FTH_PROV_MALFORMED,
                       fth_arena_printf(a, "malformed provenance: %s", perr.message), err);
    }
    out->chart_name = m->name;
    out->chart_version = m->version;
    if (!kr) {
        out->state = FTH_PROV_UNVERIFIED;
        return 0;
    }
    if ((error = prov_check_signature(&sig, a, kr, m, err)) < 0)
        return error;
    out->signer = sig.signer;
    out->fingerprint = sig.fingerprint;
    out->signing_key = sig.signing_key;
    out->key_algorithm = sig.key_algorithm;
    out->hash_algorithm = sig.hash_algorithm;
    out->signed_at = sig.signed_at;
    if (!sig.ok)
        return invalid(out, sig.reason, sig.message, err);
    if (m->hash_header && sig.hash_algorithm && !hash_announced(m->hash_header, sig.hash_algorithm))
        return invalid(out, FTH_PROV_MALFORMED,
                       fth_arena_printf(a,
                                        "malformed provenance: the signature uses %s but the "
                                        "'Hash:' header says %s",
                                        sig.hash_algorithm, m->hash_header),
                       err);
    for (i = 0; i < m->nfiles; i++)
        if (!strcmp(m->files[i].name, out->file_name))
            expected = m->files[i].digest;
    if (!expected)
        return invalid(out, FTH_PROV_NOT_SIGNED_FILE,
                       fth_arena_printf(a,
                                        "provenance does not contain a SHA for a file named "
                                        "\"%s\"",
                                        out->file_name),
                       err);
    if (strcmp(expected, out->digest) != 0)
        return invalid(out, FTH_PROV_DIGEST_MISMATCH,
                       fth_arena_printf(a, "sha256 sum does not match for %s: \"%s\" != \"%s\"",
                                        out->file_name, expected, out->digest),
                       err);
    fth_error_clear(&perr);
    if ((error = fth_chart_load_archive(&chart, a, archive, archive_len, out->file_name, &perr)) <
        0) {
        if (error == FTH_ENOMEM)
            return fth_error_set(err, error, "out of memory");
        return invalid(
            out, FTH_PROV_BAD_ARCHIVE,
            fth_arena_printf(a, "cannot read the chart in the archive: %s", perr.message), err);
    }
    if (strcmp(chart->metadata.name, m->name) != 0 ||
        strcmp(chart->metadata.version, m->version) != 0)
        return invalid(out, FTH_PROV_CHART_MISMATCH,
                       fth_arena_printf(a,
                                        "the provenance signs chart '%s' version '%s' but the "
                                        "archive holds '%s' version '%s'",
                                        m->name, m->version, chart->metadata.name,
                                        chart->metadata.version),
                       err);
    out->state = FTH_PROV_VERIFIED;
    out->reason = FTH_PROV_OK;
    return 0;
}

int fth_prov_verify(struct fth_prov_result *out, struct fth_arena *a,
                    const struct fth_prov_keyring *kr, const char *archive_name,
                    const void *archive, size_t archive_len, const char *prov, size_t prov_len,
                    struct fth_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!kr || !prov)
        return fth_error_set(err, FTH_EUSAGE, "verification needs a keyring and a .prov");
    return check(out, a, kr, archive_name, archive, archive_len, prov, prov_len, err);
}

int fth_prov_status(struct fth_prov_result *out, struct fth_arena *a,
                    const struct fth_prov_keyring *kr, const char *archive_name,
                    const void *archive, size_t archive_len, const char *prov, size_t prov_len,
                    struct fth_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!prov) {
        out->state = FTH_PROV_ABSENT;
        out->file_name = base_name(archive_name);
        return 0;
    }
    return check(out, a, kr, archive_name, archive, archive_len, prov, prov_len, err);
}
