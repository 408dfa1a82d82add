/*
 * Crypto primitives for the template functions (Sprig's crypto family): random bytes, HMAC,
 * scrypt, AES-CBC, key generation and X.509 certificates with OpenSSL, and bcrypt from the
 * system's libxcrypt (loaded at run time, so the build needs nothing more than OpenSSL).
 * Only src/base and src/prov touch crypto libraries; the template module calls these.
 */
#include <crypt.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "banned.h"
#include "fathom/base.h"

int fth_crypto_random(void *buf, size_t len)
{
    if (len > (size_t)INT32_MAX || RAND_bytes(buf, (int)len) != 1)
        return FTH_EIO;
    return 0;
}

int fth_crypto_hmac_sha256(unsigned char out[32], const void *key, size_t klen, const void *data,
                           size_t len)
{
    unsigned int n = 32;
    if (klen > (size_t)INT32_MAX || !HMAC(EVP_sha256(), key, (int)klen, data, len, out, &n))
        return FTH_EIO;
    return 0;
}

int fth_crypto_scrypt(unsigned char *out, size_t outlen, const void *pw, size_t pwlen,
                      const void *salt, size_t saltlen, uint64_t n, uint64_t r, uint64_t p)
{
    /* the memory scrypt needs (128*r*n plus a margin) is allowed explicitly */
    uint64_t maxmem = 128 * r * n + 128 * r * p + (1u << 20);
    if (EVP_PBE_scrypt(pw, pwlen, salt, saltlen, n, r, p, maxmem, out, outlen) != 1)
        return FTH_EIO;
    return 0;
}

int fth_crypto_aes256_cbc(unsigned char *out, const unsigned char key[32],
                          const unsigned char iv[16], const unsigned char *in, size_t len,
                          int encrypt)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0, m = 0, error = FTH_EIO;
    if (!c)
        return FTH_ENOMEM;
    if (len % 16 || len > (size_t)INT32_MAX)
        goto out;
    if (EVP_CipherInit_ex(c, EVP_aes_256_cbc(), NULL, key, iv, encrypt) != 1 ||
        EVP_CIPHER_CTX_set_padding(c, 0) != 1 || EVP_CipherUpdate(c, out, &n, in, (int)len) != 1 ||
        EVP_CipherFinal_ex(c, out + n, &m) != 1)
        goto out;
    error = 0;
out:
    EVP_CIPHER_CTX_free(c);
    return error;
}

typedef char *(*gensalt_fn)(const char *, unsigned long, const char *, int, char *, int);
typedef char *(*crypt_fn)(const char *, const char *, void *, int);

static void *crypt_lib;
static pthread_once_t crypt_once = PTHREAD_ONCE_INIT;

static void crypt_load(void)
{
    crypt_lib = dlopen("libcrypt.so.1", RTLD_NOW | RTLD_LOCAL);
}

int fth_crypto_bcrypt(struct fth_buf *out, const char *pw, size_t len, int cost,
                      struct fth_error *err)
{
    void *lib;
    gensalt_fn gensalt;
    crypt_fn crypt_rn_p;
    char salt[CRYPT_GENSALT_OUTPUT_SIZE], rnd[16], *h, *phrase = NULL;
    struct crypt_data *data = NULL;
    int error = 0;
    pthread_once(&crypt_once, crypt_load);
    if (!(lib = crypt_lib))
        return fth_error_set(err, FTH_ENOTFOUND, "bcrypt needs the system's libcrypt.so.1");
    *(void **)&gensalt = dlsym(lib, "crypt_gensalt_rn");
    *(void **)&crypt_rn_p = dlsym(lib, "crypt_rn");
    if (!gensalt || !crypt_rn_p)
        return fth_error_set(err, FTH_ENOTFOUND, "libcrypt.so.1 has no bcrypt");
    if ((error = fth_crypto_random(rnd, sizeof(rnd))) < 0)
        return fth_error_set(err, error, "no random bytes for a bcrypt salt");
    if (!gensalt("$2a$", (unsigned long)cost, rnd, (int)sizeof(rnd), salt, (int)sizeof(salt)))
        return fth_error_set(err, FTH_EINVALID, "bcrypt salt refused");
    /* bcrypt reads at most 72 bytes; a NUL would end the phrase early in C */
    if (!(phrase = calloc(1, (len > 72 ? 72 : len) + 1)) || !(data = calloc(1, sizeof(*data)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    memcpy(phrase, pw, len > 72 ? 72 : len);
    h = crypt_rn_p(phrase, salt, data, (int)sizeof(*data));
    if (!h || h[0] == '*') {
        error = fth_error_set(err, FTH_EINVALID, "bcrypt failed");
        goto out;
    }
    error = fth_buf_puts(out, h);
out:
    if (phrase) {
        OPENSSL_cleanse(phrase, strlen(phrase));
        free(phrase);
    }
    if (data) {
        OPENSSL_cleanse(data, sizeof(*data));
        free(data);
    }
    return error;
}

/* ---- keys ---- */

static int pem_of_key(struct fth_buf *out, EVP_PKEY *k)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *p;
    long n;
    int ok, error = 0;
    if (!b)
        return FTH_ENOMEM;
    if (EVP_PKEY_get_base_id(k) == EVP_PKEY_ED25519)
        ok = PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
    else
        ok = PEM_write_bio_PrivateKey_traditional(b, k, NULL, NULL, 0, NULL, NULL);
    if (!ok) {
        error = FTH_EIO;
    } else {
        n = BIO_get_mem_data(b, &p);
        error = fth_buf_put(out, p, (size_t)n);
    }
    BIO_free(b);
    return error;
}

static EVP_PKEY *generate(enum fth_key_type type, int bits)
{
    EVP_PKEY *k = NULL, *params = NULL;
    EVP_PKEY_CTX *c = NULL;
    switch (type) {
    case FTH_KEY_RSA:
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
    case FTH_KEY_ECDSA:
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    case FTH_KEY_ED25519:
        return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    case FTH_KEY_DSA:
        if (!(c = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL)) ||
            EVP_PKEY_paramgen_init(c) <= 0 || EVP_PKEY_CTX_set_dsa_paramgen_bits(c, 2048) <= 0 ||
            EVP_PKEY_CTX_set_dsa_paramgen_q_bits(c, 256) <= 0 || EVP_PKEY_paramgen(c, &params) <= 0)
            goto out;
        EVP_PKEY_CTX_free(c);
        if (!(c = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL)) || EVP_PKEY_keygen_init(c) <= 0 ||
            EVP_PKEY_keygen(c, &k) <= 0)
            k = NULL;
        break;
    }
out:
    EVP_PKEY_CTX_free(c);
    EVP_PKEY_free(params);
    return k;
}

int fth_crypto_key_generate(struct fth_buf *pem, enum fth_key_type type, int bits,
                            struct fth_error *err)
{
    EVP_PKEY *k = generate(type, bits);
    int error;
    if (!k)
        return fth_error_set(err, FTH_EIO, "failed to generate private key");
    error = pem_of_key(pem, k);
    EVP_PKEY_free(k);
    return error;
}

/* The first PEM block's type ("RSA PRIVATE KEY"), or NULL. */
static int pem_type(char *type, size_t cap, const char *s, size_t n)
{
    const char *b = NULL, *e;
    size_t i;
    for (i = 0; i + 11 <= n; i++)
        if (!memcmp(s + i, "-----BEGIN ", 11)) {
            b = s + i + 11;
            break;
        }
    if (!b)
        return 0;
    for (e = b; e + 5 <= s + n && memcmp(e, "-----", 5); e++)
        if (*e == '\n')
            return 0;
    if (e + 5 > s + n || (size_t)(e - b) >= cap)
        return 0;
    memcpy(type, b, (size_t)(e - b));
    type[e - b] = 0;
    return 1;
}

/* parsePrivateKeyPEM: Sprig's checks and error texts */
static EVP_PKEY *parse_key(const char *pem, size_t n, struct fth_error *err)
{
    char type[128];
    BIO *b;
    EVP_PKEY *k;
    size_t tl;
    if (!pem_type(type, sizeof(type), pem, n)) {
        fth_error_set(err, FTH_EINVALID, "no PEM data in input");
        return NULL;
    }
    tl = strlen(type);
    if (strcmp(type, "PRIVATE KEY") != 0) {
        if (tl < 12 || strcmp(type + tl - 12, " PRIVATE KEY") != 0) {
            fth_error_set(err, FTH_EINVALID, "no private key data in PEM block of type %s", type);
            return NULL;
        }
        if (strcmp(type, "RSA PRIVATE KEY") && strcmp(type, "EC PRIVATE KEY") &&
            strcmp(type, "DSA PRIVATE KEY")) {
            fth_error_set(err, FTH_EINVALID, "invalid private key type %s", type);
            return NULL;
        }
    }
    if (!(b = BIO_new_mem_buf(pem, (int)n))) {
        fth_error_set(err, FTH_ENOMEM, "out of memory");
        return NULL;
    }
    k = PEM_read_bio_PrivateKey(b, NULL, NULL, (void *)"");
    BIO_free(b);
    if (!k) {
        if (!strcmp(type, "PRIVATE KEY"))
            fth_error_set(err, FTH_EINVALID, "decoding PEM as PKCS#8: asn1: structure error");
        else
            fth_error_set(err, FTH_EINVALID,
                          "parsing %.*s private key from PEM: asn1: structure "
                          "error",
                          (int)(tl - 12), type);
        ERR_clear_error();
    }
    return k;
}

static X509 *parse_cert(const char *pem, size_t n)
{
    BIO *b = BIO_new_mem_buf(pem, (int)n);
    X509 *x;
    if (!b)
        return NULL;
    x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    ERR_clear_error();
    return x;
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509_EXTENSION *e;
    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    if (!(e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)))
        return 0;
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    return 1;
}

static int add_sans(X509 *x, const struct fth_cert_req *req, struct fth_error *err)
{
    GENERAL_NAMES *gens;
    size_t i;
    int ok = 1;
    if (!req->ndns && !req->nips)
        return 1;
    if (!(gens = sk_GENERAL_NAME_new_null()))
        return 0;
    for (i = 0; i < req->ndns && ok; i++) {
        GENERAL_NAME *g = GENERAL_NAME_new();
        ASN1_IA5STRING *s = ASN1_IA5STRING_new();
        if (!g || !s || !ASN1_STRING_set(s, req->dns[i], (int)strlen(req->dns[i]))) {
            GENERAL_NAME_free(g);
            ASN1_IA5STRING_free(s);
            ok = 0;
            break;
        }
        GENERAL_NAME_set0_value(g, GEN_DNS, s);
        sk_GENERAL_NAME_push(gens, g);
    }
    for (i = 0; i < req->nips && ok; i++) {
        GENERAL_NAME *g;
        ASN1_OCTET_STRING *ip = a2i_IPADDRESS(req->ips[i]);
        if (!ip) {
            fth_error_set(err, FTH_EINVALID, "error parsing ip: %s", req->ips[i]);
            ok = 0;
            break;
        }
        if (!(g = GENERAL_NAME_new())) {
            ASN1_OCTET_STRING_free(ip);
            ok = 0;
            break;
        }
        GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
        sk_GENERAL_NAME_push(gens, g);
    }
    if (ok)
        ok = X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, 0) == 1;
    GENERAL_NAMES_free(gens);
    return ok;
}

static int pem_of_cert(struct fth_buf *out, X509 *x)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *p;
    long n;
    int error = 0;
    if (!b)
        return FTH_ENOMEM;
    if (!PEM_write_bio_X509(b, x)) {
        error = FTH_EIO;
    } else {
        n = BIO_get_mem_data(b, &p);
        error = fth_buf_put(out, p, (size_t)n);
    }
    BIO_free(b);
    return error;
}

int fth_crypto_cert_create(struct fth_buf *cert_pem, struct fth_buf *key_pem,
                           const struct fth_cert_req *req, struct fth_error *err)
{
    EVP_PKEY *key = NULL, *signer_key = NULL;
    X509 *x = NULL, *ca = NULL;
    BIGNUM *serial = NULL;
    unsigned char rnd[16];
    const EVP_MD *md;
    int error = FTH_EIO, id;
    size_t i;
    for (i = 0; i < req->nips; i++) {
        ASN1_OCTET_STRING *ip = a2i_IPADDRESS(req->ips[i]);
        if (!ip)
            return fth_error_set(err, FTH_EINVALID, "error parsing ip: %s", req->ips[i]);
        ASN1_OCTET_STRING_free(ip);
    }
    if (req->ca_cert_pem) {
        if (!(ca = parse_cert(req->ca_cert_pem, strlen(req->ca_cert_pem)))) {
            char t[128];
            error = fth_error_set(err, FTH_EINVALID,
                                  pem_type(t, sizeof(t), req->ca_cert_pem, strlen(req->ca_cert_pem))
                                      ? "error parsing certificate: decodedSignerCert.Bytes: "
                                        "x509: malformed certificate"
                                      : "unable to decode certificate");
            goto out;
        }
        if (!(signer_key = parse_key(req->ca_key_pem, strlen(req->ca_key_pem), err))) {
            char m[sizeof(err->message)];
            snprintf(m, sizeof(m), "%s", err ? err->message : "");
            error = fth_error_set(err, FTH_EINVALID, "error parsing private key: %s", m);
            goto out;
        }
    }
    if (req->key_pem) {
        if (!(key = parse_key(req->key_pem, strlen(req->key_pem), err))) {
            char m[sizeof(err->message)];
            snprintf(m, sizeof(m), "%s", err ? err->message : "");
            error = fth_error_set(err, FTH_EINVALID, "parsing private key: %s", m);
            goto out;
        }
    } else if (!(key = generate(FTH_KEY_RSA, 2048))) {
        error = fth_error_set(err, FTH_EIO, "error generating rsa key");
        goto out;
    }
    if (!signer_key) {
        signer_key = key;
        EVP_PKEY_up_ref(key);
    }
    id = EVP_PKEY_get_base_id(signer_key);
    if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC && id != EVP_PKEY_ED25519) {
        error = fth_error_set(err, FTH_EINVALID,
                              "x509: only RSA, ECDSA and Ed25519 keys "
                              "supported");
        goto out;
    }
    md = id == EVP_PKEY_ED25519 ? NULL : EVP_sha256();
    if (!(x = X509_new()) || !X509_set_version(x, 2))
        goto fail;
    /* rand.Int(rand.Reader, 2^128) */
    if (fth_crypto_random(rnd, sizeof(rnd)) < 0 || !(serial = BN_bin2bn(rnd, 16, NULL)) ||
        !BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)))
        goto fail;
    if (!X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_UTF8,
                                    (const unsigned char *)req->cn, -1, -1, 0))
        goto fail;
    if (!X509_set_issuer_name(x, ca ? X509_get_subject_name(ca) : X509_get_subject_name(x)))
        goto fail;
    if (!X509_gmtime_adj(X509_getm_notBefore(x), 0) ||
        !X509_time_adj_ex(X509_getm_notAfter(x), (int)req->days, 0, NULL))
        goto fail;
    if (!X509_set_pubkey(x, key))
        goto fail;
    if (!add_ext(x, ca ? ca : x, NID_key_usage,
                 req->is_ca ? "critical,digitalSignature,keyEncipherment,keyCertSign"
                            : "critical,digitalSignature,keyEncipherment") ||
        !add_ext(x, ca ? ca : x, NID_ext_key_usage, "serverAuth,clientAuth") ||
        !add_ext(x, ca ? ca : x, NID_basic_constraints,
                 req->is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE"))
        goto fail;
    if (req->is_ca && !add_ext(x, x, NID_subject_key_identifier, "hash"))
        goto fail;
    if (ca && X509_get0_subject_key_id(ca) &&
        !add_ext(x, ca, NID_authority_key_identifier, "keyid"))
        goto fail;
    if (!add_sans(x, req, err)) {
        error = err && err->message[0] ? FTH_EINVALID : FTH_EIO;
        goto out;
    }
    if (X509_sign(x, signer_key, md) <= 0)
        goto fail;
    if ((error = pem_of_cert(cert_pem, x)) < 0 || (error = pem_of_key(key_pem, key)) < 0)
        goto out;
    error = 0;
    goto out;
fail:
    error = fth_error_set(err, FTH_EIO, "x509: could not create the certificate");
out:
    ERR_clear_error();
    BN_free(serial);
    X509_free(x);
    X509_free(ca);
    EVP_PKEY_free(key);
    EVP_PKEY_free(signer_key);
    return error;
}

int fth_crypto_cert_check(const char *cert_pem, size_t clen, const char *key_pem, size_t klen,
                          struct fth_error *err)
{
    char t[128];
    X509 *x;
    EVP_PKEY *k;
    if (!pem_type(t, sizeof(t), cert_pem, clen))
        return fth_error_set(err, FTH_EINVALID, "unable to decode certificate");
    if (!(x = parse_cert(cert_pem, clen)))
        return fth_error_set(err, FTH_EINVALID,
                             "error parsing certificate: decodedCert.Bytes: "
                             "x509: malformed certificate");
    X509_free(x);
    if (!(k = parse_key(key_pem, klen, err))) {
        char m[sizeof(err->message)];
        snprintf(m, sizeof(m), "%s", err ? err->message : "");
        return fth_error_set(err, FTH_EINVALID, "error parsing private key: %s", m);
    }
    EVP_PKEY_free(k);
    return 0;
}
