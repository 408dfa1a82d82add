/*
 * SHA-256 through OpenSSL's EVP interface: layer and manifest digests, archive sums.
 */
#include <openssl/evp.h>

#include <fathom/base.h>

int fth_sha256_init(struct fth_sha256 *h)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();

    h->ctx = NULL;
    if (!ctx)
        return FTH_ENOMEM;
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return FTH_ENOMEM;
    }
    h->ctx = ctx;
    return FTH_OK;
}

void fth_sha256_update(struct fth_sha256 *h, const void *data, size_t len)
{
    if (h->ctx && len)
        EVP_DigestUpdate(h->ctx, data, len);
}

void fth_sha256_final(struct fth_sha256 *h, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;

    hex[0] = '\0';
    if (!h->ctx)
        return;
    if (EVP_DigestFinal_ex(h->ctx, md, &n) == 1 && n == 32) {
        for (unsigned i = 0; i < n; i++) {
            hex[2 * i] = digits[md[i] >> 4];
            hex[2 * i + 1] = digits[md[i] & 15];
        }
        hex[64] = '\0';
    }
    fth_sha256_release(h);
}

void fth_sha256_release(struct fth_sha256 *h)
{
    EVP_MD_CTX_free(h->ctx);
    h->ctx = NULL;
}

void fth_sha256_hex(char hex[65], const void *data, size_t len)
{
    struct fth_sha256 h;

    hex[0] = '\0';
    if (fth_sha256_init(&h) < 0)
        return;
    fth_sha256_update(&h, data, len);
    fth_sha256_final(&h, hex);
}

void fth_sha1_hex(char hex[41], const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    hex[0] = '\0';
    /* SHA-1 only names artifacts (Maven Central indexes jars by it), never verifies them */
    if (EVP_Digest(data, len, md, &n, EVP_sha1(), NULL) != 1 || n != 20)
        return;
    for (unsigned i = 0; i < n; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 0xf];
    }
    hex[40] = '\0';
}
