/*
 * base: errors with location, arena allocator, string buffer, logging, file input and a
 * parallel-for helper. Everything else in libfathom builds on this header.
 */
#ifndef FATHOM_BASE_H
#define FATHOM_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define FTH_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define FTH_PRINTF(fmt, args)
#endif

/* Error codes: 0 is success, failures are negative. */
enum fth_error_code {
    FTH_OK = 0,
    FTH_ENOMEM = -1,   /* out of memory */
    FTH_EINVALID = -2, /* malformed input */
    FTH_ENOTFOUND = -3,
    FTH_EIO = -4,     /* read or write failed */
    FTH_ELIMIT = -5,  /* a limit from limits.h was reached */
    FTH_EVERIFY = -6, /* a signature or digest did not verify */
    FTH_EUSAGE = -7,  /* bad arguments */
    FTH_ETYPE = -8,   /* a field has the wrong type */
};

/* One failure, with where it happened. Caller-owned; pass NULL to ignore details. */
struct fth_error {
    int code;
    unsigned line;    /* 1-based, 0 when unknown */
    unsigned column;  /* 1-based, 0 when unknown */
    char file[512];   /* input file name, "" when unknown */
    char member[256]; /* archive member or sub-document, "" when unknown */
    char message[1024];
};

void fth_error_clear(struct fth_error *err);

/* Record an error and return `code`. Does nothing but return when err is NULL. */
int fth_error_set(struct fth_error *err, int code, const char *fmt, ...) FTH_PRINTF(3, 4);
int fth_error_setv(struct fth_error *err, int code, const char *fmt, va_list ap) FTH_PRINTF(3, 0);

/* Attach a location. Only fills fields that are still empty: a lower layer knew better. */
void fth_error_locate(struct fth_error *err, const char *file, unsigned line, unsigned column);

/* Short name of an error code ("invalid input", "limit reached", ...). */
const char *fth_error_name(int code);

/* ---- string buffer (never NULL, always NUL-terminated) ---- */

struct fth_buf {
    char *ptr;
    size_t len;
    size_t cap;
};

extern char fth_buf__empty[];
#define FTH_BUF_INIT                                                                               \
    {                                                                                              \
        fth_buf__empty, 0, 0                                                                       \
    }

void fth_buf_init(struct fth_buf *b);
void fth_buf_release(struct fth_buf *b);
void fth_buf_clear(struct fth_buf *b);
int fth_buf_grow(struct fth_buf *b, size_t extra);
int fth_buf_put(struct fth_buf *b, const void *data, size_t len);
int fth_buf_puts(struct fth_buf *b, const char *s);
int fth_buf_putc(struct fth_buf *b, char c);
int fth_buf_printf(struct fth_buf *b, const char *fmt, ...) FTH_PRINTF(2, 3);
int fth_buf_vprintf(struct fth_buf *b, const char *fmt, va_list ap) FTH_PRINTF(2, 0);
/* Transfer ownership of the bytes to the caller (free() them); b is reset. */
char *fth_buf_detach(struct fth_buf *b, size_t *len);

/* Format "file:line:col: message" (parts that are unknown are left out). */
int fth_error_format(struct fth_buf *out, const struct fth_error *err);

/* ---- text ---- */

/*
 * Length (1-4) of the valid UTF-8 sequence at s, with its code point in *cp (cp may be NULL);
 * 0 when the bytes do not start one: overlong forms, surrogates, code points past U+10FFFF
 * and sequences cut by len are invalid.
 */
size_t fth_utf8_len(const unsigned char *s, size_t len, unsigned *cp);

/* ---- arena ---- */

struct fth_arena;

struct fth_arena *fth_arena_new(void);
void fth_arena_free(struct fth_arena *a);
/* Zeroed memory aligned for any type; NULL when out of memory. */
void *fth_arena_alloc(struct fth_arena *a, size_t size);
void *fth_arena_calloc(struct fth_arena *a, size_t n, size_t size);
char *fth_arena_strndup(struct fth_arena *a, const char *s, size_t len);
char *fth_arena_strdup(struct fth_arena *a, const char *s);
char *fth_arena_printf(struct fth_arena *a, const char *fmt, ...) FTH_PRINTF(2, 3);
char *fth_arena_vprintf(struct fth_arena *a, const char *fmt, va_list ap) FTH_PRINTF(2, 0);
/*
 * vsnprintf with a fast path for the conversions findings use (%s %c %d %u %zu %ld %lu %lld
 * %llu %%). Returns what vsnprintf returns: the full length, which may be >= size.
 */
int fth_vformat(char *buf, size_t size, const char *fmt, va_list ap) FTH_PRINTF(3, 0);
/* Forget every allocation but keep one block for reuse (per-document scratch memory). */
void fth_arena_reset(struct fth_arena *a);
/* Bytes the arena holds from the system. */
size_t fth_arena_size(const struct fth_arena *a);

/* ---- growable array of pointers, arena-backed ---- */

struct fth_vec {
    void **items;
    size_t len;
    size_t cap;
};

int fth_vec_push(struct fth_vec *v, struct fth_arena *a, void *item);

/* ---- logging ---- */

enum fth_log_level { FTH_LOG_ERROR = 0, FTH_LOG_WARN, FTH_LOG_INFO, FTH_LOG_DEBUG };

typedef void (*fth_log_sink)(enum fth_log_level level, const char *module, const char *msg,
                             void *data);

/* Install the sink (NULL to discard everything) and the most verbose level it receives. */
void fth_log_set_sink(fth_log_sink sink, void *data, enum fth_log_level max);
void fth_log(enum fth_log_level level, const char *module, const char *fmt, ...) FTH_PRINTF(3, 4);
int fth_log_enabled(enum fth_log_level level);

/* ---- input ---- */

/*
 * Read a whole file ("-" is standard input) into out, refusing more than max bytes
 * (FTH_ELIMIT). Errors name the file.
 */
int fth_file_read(struct fth_buf *out, const char *path, size_t max, struct fth_error *err);

/* ---- parallel for ---- */

/* Run fn(i, data) for i in [0, n) on up to `threads` threads (0: one per core). */
void fth_parallel_for(size_t n, unsigned threads, void (*fn)(size_t i, void *data), void *data);
unsigned fth_cpu_count(void);

/* ---- hashing (OpenSSL) ---- */

/* Incremental SHA-256. `_init` cannot fail except for lack of memory (FTH_ENOMEM). */
struct fth_sha256 {
    void *ctx;
};

int fth_sha256_init(struct fth_sha256 *h);
void fth_sha256_update(struct fth_sha256 *h, const void *data, size_t len);
/* Finish and release: 64 lowercase hex digits and a NUL into hex. */
void fth_sha256_final(struct fth_sha256 *h, char hex[65]);
/* Release without finishing (error paths). */
void fth_sha256_release(struct fth_sha256 *h);
/* One-shot: "sha256:<hex>" is not added, only the 64 hex digits. */
void fth_sha256_hex(char hex[65], const void *data, size_t len);
/* SHA-1, for identifying artifacts (SPDX file checksums, Maven jars), never for trust: the
 * same shape as SHA-256, 40 hex digits; the one-shot gives "" on failure. */
struct fth_sha1 {
    void *ctx;
};

int fth_sha1_init(struct fth_sha1 *h);
void fth_sha1_update(struct fth_sha1 *h, const void *data, size_t len);
void fth_sha1_final(struct fth_sha1 *h, char hex[41]);
void fth_sha1_release(struct fth_sha1 *h);
void fth_sha1_hex(char hex[41], const void *data, size_t len);

/* ---- crypto primitives for the template functions (OpenSSL; bcrypt from libxcrypt) ---- */

/* Cryptographically random bytes. */
int fth_crypto_random(void *buf, size_t len);
/* HMAC-SHA256 of data under key. */
int fth_crypto_hmac_sha256(unsigned char out[32], const void *key, size_t klen, const void *data,
                           size_t len);
/* scrypt (RFC 7914) into out[0..outlen). */
int fth_crypto_scrypt(unsigned char *out, size_t outlen, const void *pw, size_t pwlen,
                      const void *salt, size_t saltlen, uint64_t n, uint64_t r, uint64_t p);
/* AES-256-CBC without padding over whole 16-byte blocks (len a multiple of 16). */
int fth_crypto_aes256_cbc(unsigned char *out, const unsigned char key[32],
                          const unsigned char iv[16], const unsigned char *in, size_t len,
                          int encrypt);
/* A bcrypt hash ("$2a$10$...") of pw with a random salt at cost; FTH_ENOTFOUND when the
 * system's libcrypt (libxcrypt, loaded at run time) is not there. */
int fth_crypto_bcrypt(struct fth_buf *out, const char *pw, size_t len, int cost,
                      struct fth_error *err);

enum fth_key_type { FTH_KEY_RSA, FTH_KEY_DSA, FTH_KEY_ECDSA, FTH_KEY_ED25519 };

/* A new private key as PEM, in the encodings Go's Sprig writes: PKCS#1 "RSA PRIVATE KEY",
 * "DSA PRIVATE KEY", SEC 1 "EC PRIVATE KEY" (P-256), PKCS#8 "PRIVATE KEY" (Ed25519). bits is
 * the RSA modulus size. */
int fth_crypto_key_generate(struct fth_buf *pem, enum fth_key_type type, int bits,
                            struct fth_error *err);

/* An X.509 certificate as Go's Sprig makes them (serial below 2^128, subject CN only,
 * digitalSignature+keyEncipherment (+certSign for a CA) key usage, serverAuth+clientAuth,
 * basic constraints, SANs). */
struct fth_cert_req {
    const char *cn;
    const char *const *dns; /* subjectAltName DNS names */
    size_t ndns;
    const char *const *ips; /* subjectAltName IP addresses (text) */
    size_t nips;
    int64_t days;
    int is_ca;
    const char *key_pem;     /* the subject's private key; NULL: a new RSA-2048 key */
    const char *ca_cert_pem; /* signer; NULL: self-signed */
    const char *ca_key_pem;
};

/* Make the certificate; cert_pem and key_pem get PEM text (the key re-encoded as above).
 * err->message reads like Sprig's errors ("parsing private key: no PEM data in input"). */
int fth_crypto_cert_create(struct fth_buf *cert_pem, struct fth_buf *key_pem,
                           const struct fth_cert_req *req, struct fth_error *err);

/* Check that cert_pem holds a certificate and key_pem a private key (buildCustomCert). */
int fth_crypto_cert_check(const char *cert_pem, size_t clen, const char *key_pem, size_t klen,
                          struct fth_error *err);

/* ---- HTTP client (libcurl) ---- */

/*
 * One request. Only http:// and https:// URLs are followed (redirects included); the body is
 * handed to `sink` as it arrives, so nothing is buffered whole unless the sink does it.
 */
struct fth_http_request {
    const char *url;
    const char *method;         /* "GET" (NULL) or "HEAD" */
    const char *const *headers; /* "Name: value" strings, NULL-terminated; may be NULL */
    const char *username;       /* HTTP basic auth, with password; NULL for none */
    const char *password;
    const char *if_none_match;     /* conditional GET: an ETag from an earlier response */
    const char *if_modified_since; /* conditional GET: a Last-Modified from earlier */
    uint64_t max_size;             /* refuse bodies longer than this (FTH_ELIMIT); 0: none */
    unsigned retries;              /* extra attempts on 5xx/connection errors, with backoff */
    unsigned timeout_seconds;      /* whole request; 0: no limit */
    int insecure_tls;              /* do not verify the TLS peer */
    /* Body bytes; a negative return stops the transfer and becomes the request's result.
     * The response's status and content_length are already set when it is called. */
    int (*sink)(void *data, const void *buf, size_t len);
    void *sink_data;
    /* Called as bytes arrive; total is 0 when the server did not say. May be NULL. */
    void (*progress)(void *data, uint64_t done, uint64_t total);
    void *progress_data;
};

/* What came back. Header values are NULL when absent; they live in the arena given. */
struct fth_http_response {
    long status;             /* 200, 304, 401, ... (after redirects) */
    uint64_t content_length; /* 0 when unknown */
    uint64_t received;       /* body bytes handed to the sink */
    const char *content_type;
    const char *etag;
    const char *last_modified;
    const char *www_authenticate;
    const char *docker_content_digest;
    const char *effective_url; /* after redirects */
};

/*
 * Perform the request. Returns 0 when an HTTP response arrived, whatever its status (the
 * caller judges 4xx/5xx after retries are spent); a negative FTH_E* code when there was no
 * response (connection refused, timeout, TLS failure: FTH_EIO), the body was too long
 * (FTH_ELIMIT), or the sink stopped it (the sink's code). Errors name the URL.
 */
int fth_http_fetch(struct fth_http_response *out, struct fth_arena *a,
                   const struct fth_http_request *req, struct fth_error *err);

#ifdef __cplusplus
}
#endif
#endif
