/*
 * prov: Helm provenance files. A `.prov` is an OpenPGP clear-signed message whose text is the
 * chart's metadata (Chart.yaml as Helm marshals it), the line `...`, and a `files:` block
 * mapping the archive's name to `sha256:<hex>`. This module parses one strictly, verifies its
 * signature against a keyring (binary, ASCII-armored or GnuPG keybox, through librnp), checks
 * the archive's digest and name/version, and signs new ones.
 */
#ifndef FATHOM_PROV_H
#define FATHOM_PROV_H

#include "fathom/base.h"
#include "fathom/value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- ASCII armor ---- */

/*
 * Decode one armored block "-----BEGIN <label>-----" ... "-----END <label>-----" (label
 * such as "PGP SIGNATURE"; NULL accepts any): armor headers, base64 body and the optional
 * CRC-24 checksum, which must match. The bytes go to *out (in the arena).
 */
int fth_prov_dearmor(unsigned char **out, size_t *out_len, struct fth_arena *a, const char *data,
                     size_t len, const char *label, struct fth_error *err);

/* ---- the clear-signed message ---- */

struct fth_prov_file {
    const char *name;   /* "hashtest-1.2.3.tgz" */
    const char *digest; /* "sha256:<64 lowercase hex>" as written */
};

struct fth_prov_message {
    const char *hash_header; /* the value of the "Hash:" armor header(s), NULL when absent */
    /* The message: dash-escapes removed, lines joined with '\n', ending with one '\n'. */
    const char *text;
    size_t text_len;
    /* What the signature covers: trailing blanks cut, lines joined with CR LF, no final one. */
    const char *signed_text;
    size_t signed_len;
    const unsigned char *signature; /* the dearmored signature packets */
    size_t signature_len;
    /* The two parts of the text, split at "\n...\n". */
    const char *metadata_yaml;
    size_t metadata_len;
    const struct fth_value *metadata; /* parsed; a mapping */
    const char *name, *version;       /* metadata's name and version (NULL when absent) */
    struct fth_prov_file *files;
    size_t nfiles;
};

/*
 * Parse a .prov strictly: exactly one clear-signed message and nothing but blank lines
 * around it, a "Hash:" header naming known hashes, dash-escaped lines, a signature block
 * with valid armor, a text with one "\n...\n" separator, and one `files:` mapping of names
 * to "sha256:<hex>". Limit: FTH_LIMIT_PROV_SIZE. Errors name the line.
 */
int fth_prov_parse(struct fth_prov_message **out, struct fth_arena *a, const char *data, size_t len,
                   struct fth_error *err);

/* The text Helm signs: metadata YAML, "...", and `files:` with the one archive. */
int fth_prov_message_block(struct fth_buf *out, const char *metadata_yaml, size_t metadata_len,
                           const char *archive_name, const char sha256_hex[65]);

/* ---- keyrings ---- */

struct fth_prov_keyring;

#define FTH_PROV_KEYRING_SECRET 0x1u /* load secret keys too (for signing) */

/*
 * Load a keyring file: binary OpenPGP packets (`gpg --export`, pubring.gpg, secring.gpg),
 * ASCII-armored keys (several blocks allowed) or a GnuPG 2 keybox (pubring.kbx). Garbage or
 * a file with no key is an error naming the file. Limit: FTH_LIMIT_KEYRING_SIZE.
 */
int fth_prov_keyring_load(struct fth_prov_keyring **out, const char *path, unsigned flags,
                          struct fth_error *err);
/* The same from memory; name is used in messages. */
int fth_prov_keyring_load_mem(struct fth_prov_keyring **out, const void *data, size_t len,
                              const char *name, unsigned flags, struct fth_error *err);
void fth_prov_keyring_free(struct fth_prov_keyring *kr);
/* Primary keys in the keyring. */
size_t fth_prov_keyring_count(const struct fth_prov_keyring *kr);

/*
 * The default public keyring: $GNUPGHOME (else ~/.gnupg) /pubring.kbx when it exists, else
 * /pubring.gpg. Written to out; FTH_ENOTFOUND when neither exists.
 */
int fth_prov_default_keyring(struct fth_buf *out, struct fth_error *err);

/* ---- verification ---- */

enum fth_prov_state {
    FTH_PROV_ABSENT = 0, /* no .prov */
    FTH_PROV_UNVERIFIED, /* a .prov, not checked (no keyring given) */
    FTH_PROV_VERIFIED,   /* signature, digest and name/version all good */
    FTH_PROV_INVALID,    /* a .prov that does not hold; reason says why */
};

enum fth_prov_reason {
    FTH_PROV_OK = 0,
    FTH_PROV_MALFORMED,     /* not a well-formed provenance file */
    FTH_PROV_BAD_SIGNATURE, /* the signature does not match the signed text */
    FTH_PROV_UNKNOWN_KEY,   /* no key in the keyring made it */
    FTH_PROV_KEY_EXPIRED,   /* the signing key (or its primary key) has expired */
    FTH_PROV_KEY_REVOKED,   /* the signing key (or its primary key) is revoked */
    FTH_PROV_SIGNATURE_EXPIRED,
    FTH_PROV_NOT_SIGNED_FILE, /* the archive's name is not in `files:` */
    FTH_PROV_DIGEST_MISMATCH, /* the archive's SHA-256 differs from the signed one */
    FTH_PROV_CHART_MISMATCH,  /* name/version differ from the archive's Chart.yaml */
    FTH_PROV_BAD_ARCHIVE,     /* the archive's Chart.yaml cannot be read */
};

struct fth_prov_result {
    enum fth_prov_state state;
    enum fth_prov_reason reason;
    const char *message;        /* one line saying why when INVALID; NULL otherwise */
    const char *signer;         /* primary user id of the signing key */
    const char *fingerprint;    /* primary key fingerprint, 40 (or 64) uppercase hex */
    const char *signing_key;    /* fingerprint of the key that signed (a subkey or the primary) */
    const char *key_algorithm;  /* "RSA", "EDDSA", "ECDSA", "DSA", ... */
    const char *hash_algorithm; /* "SHA512", ... (from the signature) */
    int64_t signed_at;          /* signature creation time */
    const char *digest;         /* "sha256:<hex>" of the archive */
    const char *file_name;      /* the archive's base name */
    const char *chart_name, *chart_version; /* from the signed metadata */
};

/*
 * Verify archive (named archive_name, a base name) against the .prov bytes, in Helm's order:
 * parse the .prov, check its signature with the keyring, then the archive's SHA-256 against
 * `files:`, then the signed name and version against the Chart.yaml inside the archive.
 * Returns 0 with out->state VERIFIED or INVALID (reason, message); a negative code only when
 * verification could not be attempted (out of memory). Strings live in the arena.
 */
int fth_prov_verify(struct fth_prov_result *out, struct fth_arena *a,
                    const struct fth_prov_keyring *kr, const char *archive_name,
                    const void *archive, size_t archive_len, const char *prov, size_t prov_len,
                    struct fth_error *err);

/*
 * Provenance status of a chart version for the repository and the scanners: prov NULL is
 * ABSENT; kr NULL is UNVERIFIED (the .prov is parsed, so a malformed one is INVALID);
 * otherwise as fth_prov_verify.
 */
int fth_prov_status(struct fth_prov_result *out, struct fth_arena *a,
                    const struct fth_prov_keyring *kr, const char *archive_name,
                    const void *archive, size_t archive_len, const char *prov, size_t prov_len,
                    struct fth_error *err);

const char *fth_prov_state_name(enum fth_prov_state s);   /* "absent", "verified", ... */
const char *fth_prov_reason_name(enum fth_prov_reason r); /* "bad-signature", ... */

/* ---- signing ---- */

struct fth_prov_sign_opts {
    const char *key;        /* user id (exact, else a unique substring), key id or fingerprint */
    const char *passphrase; /* for a protected key; NULL when it has none */
    const char *hash;       /* "SHA512" (Helm's) when NULL */
    int64_t created;        /* signature time; 0: now */
};
#define FTH_PROV_SIGN_OPTS_INIT                                                                    \
    {                                                                                              \
        NULL, NULL, NULL, 0                                                                        \
    }

/* Clear-sign text with a secret key of kr; the armored message goes to out. */
int fth_prov_sign(struct fth_buf *out, const struct fth_prov_keyring *kr, const char *text,
                  size_t len, const struct fth_prov_sign_opts *opts, struct fth_error *err);

#ifdef __cplusplus
}
#endif
#endif
