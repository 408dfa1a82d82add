/*
 * SHA-256 and SHA-1 through OpenSSL's EVP interface: layer and manifest digests, archive
 * sums, file identities.
 */
#include <openssl/evp.h>

#include <fathom/base.h>

static int digest_init(void **out, const EVP_MD *md)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();

    *out = NULL;
    if (!ctx)
        return FTH_ENOMEM;
    if (EVP_DigestInit_ex(ctx, md, NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return FTH_ENOMEM;
    }
    *out = ctx;
    return FTH_OK;
}

/* Finish into size lowercase hex digits and a NUL ("" on failure), and free the context. */
static void digest_final(void **ctx, char *hex, unsigned size)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;

    hex[0] = '\0';
    if (!*ctx)
        return;
    if (EVP_DigestFinal_ex(*ctx, md, &n) == 1 && 2 * n == size) {
        for (unsigned i = 0; i < n; i++) {
            hex[2 * i] = digits[md[i] >> 4];
            hex[2 * i + 1] = digits[md[i] & 15];
        }
        hex[size] = '\0';
    }
    EVP_MD_CTX_free(*ctx);
    *ctx = NULL;
}

int fth_sha256_init(struct fth_sha256 *h)
{
    return digest_init(&h->ctx, EVP_sha256());
}

void fth_sha256_update(struct fth_sha256 *h, const void *data, size_t len)
{
    if (h->ctx && len)
        EVP_DigestUpdate(h->ctx, data, len);
}

void fth_sha256_final(struct fth_sha256 *h, char hex[65])
{
    digest_final(&h->ctx, hex, 64);
}

void fth_sha256_release(struct fth_sha256 *h)
{
    EVP_MD_CTX_free(h->ctx);
    h->ctx = NULL;
}

/* SHA-1 only names artifacts (Maven Central indexes jars by it, SPDX files carry it), never
 * verifies them */
int fth_sha1_init(struct fth_sha1 *h)
{
    return digest_init(&h->ctx, EVP_sha1());
}

void fth_sha1_update(struct fth_sha1 *h, const void *data, size_t len)
{
    if (h->ctx && len)
        EVP_DigestUpdate(h->ctx, data, len);
}

void fth_sha1_final(struct fth_sha1 *h, char hex[41])
{
    digest_final(&h->ctx, hex, 40);
}

void fth_sha1_release(struct fth_sha1 *h)
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
    struct fth_sha1 h;

    hex[0] = '\0';
    if (fth_sha1_init(&h) < 0)
        return;
    fth_sha1_update(&h, data, len);
    fth_sha1_final(&h, hex);
}
