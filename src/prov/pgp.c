/*
 * prov: keyrings, signature verification and clear-signing through librnp (RNP, the OpenPGP
 * library Thunderbird uses). RNP reads binary and armored transferable keys and GnuPG 2's
 * keybox; Fathom never parses key material or checks signatures itself.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <rnp/rnp.h>
#include <rnp/rnp_err.h>

#include "prov_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

/*
 * RNP is loaded on first use, not at start-up: it and its dependencies (Botan, a C++
 * runtime) are a dozen shared libraries every fathom process would otherwise map.
 */
#define RNP_FUNCS(X)                                                                               \
    X(rnp_buffer_destroy)                                                                          \
    X(rnp_detect_key_format)                                                                       \
    X(rnp_ffi_create)                                                                              \
    X(rnp_ffi_destroy)                                                                             \
    X(rnp_ffi_set_log_fd)                                                                          \
    X(rnp_identifier_iterator_create)                                                              \
    X(rnp_identifier_iterator_destroy)                                                             \
    X(rnp_identifier_iterator_next)                                                                \
    X(rnp_import_keys)                                                                             \
    X(rnp_input_destroy)                                                                           \
    X(rnp_input_from_memory)                                                                       \
    X(rnp_key_allows_usage)                                                                        \
    X(rnp_key_get_alg)                                                                             \
    X(rnp_key_get_fprint)                                                                          \
    X(rnp_key_get_primary_fprint)                                                                  \
    X(rnp_key_get_primary_uid)                                                                     \
    X(rnp_key_get_subkey_at)                                                                       \
    X(rnp_key_get_subkey_count)                                                                    \
    X(rnp_key_handle_destroy)                                                                      \
    X(rnp_key_have_secret)                                                                         \
    X(rnp_key_is_expired)                                                                          \
    X(rnp_key_is_primary)                                                                          \
    X(rnp_key_is_protected)                                                                        \
    X(rnp_key_is_revoked)                                                                          \
    X(rnp_key_is_valid)                                                                            \
    X(rnp_key_lock)                                                                                \
    X(rnp_key_unlock)                                                                              \
    X(rnp_load_keys)                                                                               \
    X(rnp_locate_key)                                                                              \
    X(rnp_op_sign_add_signature)                                                                   \
    X(rnp_op_sign_cleartext_create)                                                                \
    X(rnp_op_sign_destroy)                                                                         \
    X(rnp_op_sign_execute)                                                                         \
    X(rnp_op_sign_set_creation_time)                                                               \
    X(rnp_op_sign_set_hash)                                                                        \
    X(rnp_op_verify_destroy)                                                                       \
    X(rnp_op_verify_detached_create)                                                               \
    X(rnp_op_verify_execute)                                                                       \
    X(rnp_op_verify_get_signature_at)                                                              \
    X(rnp_op_verify_get_signature_count)                                                           \
    X(rnp_op_verify_signature_get_handle)                                                          \
    X(rnp_op_verify_signature_get_hash)                                                            \
    X(rnp_op_verify_signature_get_key)                                                             \
    X(rnp_op_verify_signature_get_status)                                                          \
    X(rnp_op_verify_signature_get_times)                                                           \
    X(rnp_output_destroy)                                                                          \
    X(rnp_output_memory_get_buf)                                                                   \
    X(rnp_output_to_memory)                                                                        \
    X(rnp_result_to_string)                                                                        \
    X(rnp_signature_get_keyid)                                                                     \
    X(rnp_signature_handle_destroy)

static struct {
#define X(f) __typeof__(f) *p_##f;
    RNP_FUNCS(X)
#undef X
} rnp_api;

#define rnp_buffer_destroy (*rnp_api.p_rnp_buffer_destroy)
#define rnp_detect_key_format (*rnp_api.p_rnp_detect_key_format)
#define rnp_ffi_create (*rnp_api.p_rnp_ffi_create)
#define rnp_ffi_destroy (*rnp_api.p_rnp_ffi_destroy)
#define rnp_ffi_set_log_fd (*rnp_api.p_rnp_ffi_set_log_fd)
#define rnp_identifier_iterator_create (*rnp_api.p_rnp_identifier_iterator_create)
#define rnp_identifier_iterator_destroy (*rnp_api.p_rnp_identifier_iterator_destroy)
#define rnp_identifier_iterator_next (*rnp_api.p_rnp_identifier_iterator_next)
#define rnp_import_keys (*rnp_api.p_rnp_import_keys)
#define rnp_input_destroy (*rnp_api.p_rnp_input_destroy)
#define rnp_input_from_memory (*rnp_api.p_rnp_input_from_memory)
#define rnp_key_allows_usage (*rnp_api.p_rnp_key_allows_usage)
#define rnp_key_get_alg (*rnp_api.p_rnp_key_get_alg)
#define rnp_key_get_fprint (*rnp_api.p_rnp_key_get_fprint)
#define rnp_key_get_primary_fprint (*rnp_api.p_rnp_key_get_primary_fprint)
#define rnp_key_get_primary_uid (*rnp_api.p_rnp_key_get_primary_uid)
#define rnp_key_get_subkey_at (*rnp_api.p_rnp_key_get_subkey_at)
#define rnp_key_get_subkey_count (*rnp_api.p_rnp_key_get_subkey_count)
#define rnp_key_handle_destroy (*rnp_api.p_rnp_key_handle_destroy)
#define rnp_key_have_secret (*rnp_api.p_rnp_key_have_secret)
#define rnp_key_is_expired (*rnp_api.p_rnp_key_is_expired)
#define rnp_key_is_primary (*rnp_api.p_rnp_key_is_primary)
#define rnp_key_is_protected (*rnp_api.p_rnp_key_is_protected)
#define rnp_key_is_revoked (*rnp_api.p_rnp_key_is_revoked)
#define rnp_key_is_valid (*rnp_api.p_rnp_key_is_valid)
#define rnp_key_lock (*rnp_api.p_rnp_key_lock)
#define rnp_key_unlock (*rnp_api.p_rnp_key_unlock)
#define rnp_load_keys (*rnp_api.p_rnp_load_keys)
#define rnp_locate_key (*rnp_api.p_rnp_locate_key)
#define rnp_op_sign_add_signature (*rnp_api.p_rnp_op_sign_add_signature)
#define rnp_op_sign_cleartext_create (*rnp_api.p_rnp_op_sign_cleartext_create)
#define rnp_op_sign_destroy (*rnp_api.p_rnp_op_sign_destroy)
#define rnp_op_sign_execute (*rnp_api.p_rnp_op_sign_execute)
#define rnp_op_sign_set_creation_time (*rnp_api.p_rnp_op_sign_set_creation_time)
#define rnp_op_sign_set_hash (*rnp_api.p_rnp_op_sign_set_hash)
#define rnp_op_verify_destroy (*rnp_api.p_rnp_op_verify_destroy)
#define rnp_op_verify_detached_create (*rnp_api.p_rnp_op_verify_detached_create)
#define rnp_op_verify_execute (*rnp_api.p_rnp_op_verify_execute)
#define rnp_op_verify_get_signature_at (*rnp_api.p_rnp_op_verify_get_signature_at)
#define rnp_op_verify_get_signature_count (*rnp_api.p_rnp_op_verify_get_signature_count)
#define rnp_op_verify_signature_get_handle (*rnp_api.p_rnp_op_verify_signature_get_handle)
#define rnp_op_verify_signature_get_hash (*rnp_api.p_rnp_op_verify_signature_get_hash)
#define rnp_op_verify_signature_get_key (*rnp_api.p_rnp_op_verify_signature_get_key)
#define rnp_op_verify_signature_get_status (*rnp_api.p_rnp_op_verify_signature_get_status)
#define rnp_op_verify_signature_get_times (*rnp_api.p_rnp_op_verify_signature_get_times)
#define rnp_output_destroy (*rnp_api.p_rnp_output_destroy)
#define rnp_output_memory_get_buf (*rnp_api.p_rnp_output_memory_get_buf)
#define rnp_output_to_memory (*rnp_api.p_rnp_output_to_memory)
#define rnp_result_to_string (*rnp_api.p_rnp_result_to_string)
#define rnp_signature_get_keyid (*rnp_api.p_rnp_signature_get_keyid)
#define rnp_signature_handle_destroy (*rnp_api.p_rnp_signature_handle_destroy)

static pthread_once_t rnp_once = PTHREAD_ONCE_INIT;
static int rnp_loaded;
static char rnp_load_error[256];

static void rnp_load_once(void)
{
    void *lib = dlopen("librnp.so.0", RTLD_NOW | RTLD_LOCAL), *sym;

    if (!lib) {
        snprintf(rnp_load_error, sizeof(rnp_load_error), "%s", dlerror());
        return;
    }
#define X(f)                                                                                       \
    if (!(sym = dlsym(lib, #f))) {                                                                 \
        snprintf(rnp_load_error, sizeof(rnp_load_error), "librnp.so.0 has no %s", #f);             \
        return;                                                                                    \
    }                                                                                              \
    memcpy(&rnp_api.p_##f, &sym, sizeof(sym));
    RNP_FUNCS(X)
#undef X
    rnp_loaded = 1;
}

struct fth_prov_keyring {
    rnp_ffi_t ffi;
    int log_fd; /* /dev/null: RNP's diagnostics must not reach the caller's stderr */
    size_t primaries;
    char name[512];
};

static const char *rnp_msg(rnp_result_t r)
{
    const char *s = rnp_result_to_string(r);

    return s ? s : "unknown error";
}

/* Only the keyring given is consulted; RNP's messages go nowhere. */
static int new_ffi(rnp_ffi_t *ffi, int *log_fd, const char *name, struct fth_error *err)
{
    rnp_result_t r;

    *log_fd = -1;
    pthread_once(&rnp_once, rnp_load_once);
    if (!rnp_loaded)
        return fth_error_set(err, FTH_EIO, "'%s': cannot load OpenPGP (RNP): %s", name,
                             rnp_load_error);
    r = rnp_ffi_create(ffi, "GPG", "GPG");
    *log_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

    if (r != RNP_SUCCESS)
        return fth_error_set(err, FTH_ENOMEM, "'%s': cannot start OpenPGP: %s", name, rnp_msg(r));
    if (*log_fd >= 0)
        rnp_ffi_set_log_fd(*ffi, *log_fd);
    return 0;
}

/* Count primary keys; 0 means the input held no key at all. */
static size_t count_primaries(rnp_ffi_t ffi)
{
    rnp_identifier_iterator_t it = NULL;
    const char *id;
    size_t n = 0;

    if (rnp_identifier_iterator_create(ffi, &it, "fingerprint") != RNP_SUCCESS)
        return 0;
    while (rnp_identifier_iterator_next(it, &id) == RNP_SUCCESS && id) {
        rnp_key_handle_t k = NULL;
        bool primary = false;

        if (rnp_locate_key(ffi, "fingerprint", id, &k) == RNP_SUCCESS && k &&
            rnp_key_is_primary(k, &primary) == RNP_SUCCESS && primary)
            n++;
        rnp_key_handle_destroy(k);
    }
    rnp_identifier_iterator_destroy(it);
    return n;
}

static int looks_armored(const unsigned char *p, size_t len)
{
    size_t i = 0;

    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return len - i >= 15 && !memcmp(p + i, "-----BEGIN PGP", 14);
}

int fth_prov_keyring_load_mem(struct fth_prov_keyring **out, const void *data, size_t len,
                              const char *name, unsigned flags, struct fth_error *err)
{
    struct fth_prov_keyring *kr;
    rnp_input_t in = NULL;
    char *fmt = NULL; /* RNP's */
    const char *format;
    uint32_t lflags = RNP_LOAD_SAVE_PUBLIC_KEYS;
    rnp_result_t r;
    int error = 0;

    *out = NULL;
    if (len > FTH_LIMIT_KEYRING_SIZE)
        return fth_error_set(err, FTH_ELIMIT, "keyring '%s' larger than %zu bytes (limit)", name,
                             FTH_LIMIT_KEYRING_SIZE);
    if (!(kr = calloc(1, sizeof(*kr))))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    snprintf(kr->name, sizeof(kr->name), "%s", name);
    kr->log_fd = -1;
    if ((error = new_ffi(&kr->ffi, &kr->log_fd, name, err)) < 0)
        goto out;
    if (flags & FTH_PROV_KEYRING_SECRET)
        lflags |= RNP_LOAD_SAVE_SECRET_KEYS;
    if (!len) {
        error = fth_error_set(err, FTH_EINVALID, "keyring '%s' is empty", name);
        goto out;
    }
    /* Armored text first: RNP's format guess can take a BEGIN line for anything. */
    if (looks_armored(data, len)) {
        format = "GPG";
    } else if (rnp_detect_key_format(data, len, &fmt) == RNP_SUCCESS && fmt) {
        format = fmt;
    } else {
        error = fth_error_set(err, FTH_EINVALID,
                              "'%s' is not an OpenPGP keyring (binary, ASCII-armored or GnuPG "
                              "keybox)",
                              name);
        goto out;
    }
    if (!strcmp(format, "G10")) {
        error = fth_error_set(err, FTH_EINVALID,
                              "'%s': GnuPG private-keys-v1.d key files are not supported; export "
                              "the key with 'gpg --export-secret-keys'",
                              name);
        goto out;
    }
    if ((r = rnp_input_from_memory(&in, data, len, false)) != RNP_SUCCESS) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    if (!strcmp(format, "KBX"))
        r = rnp_load_keys(kr->ffi, "KBX", in, lflags);
    else
        r = rnp_import_keys(kr->ffi, in, lflags, NULL);
    if (r != RNP_SUCCESS) {
        error = fth_error_set(err, FTH_EINVALID, "cannot read keyring '%s' (%s): %s", name,
                              !strcmp(format, "KBX") ? "GnuPG keybox" : "OpenPGP keys", rnp_msg(r));
        goto out;
    }
    if (!(kr->primaries = count_primaries(kr->ffi))) {
        error = fth_error_set(err, FTH_EINVALID, "keyring '%s' holds no key", name);
        goto out;
    }
    *out = kr;
    kr = NULL;
out:
    rnp_input_destroy(in);
    rnp_buffer_destroy(fmt);
    fth_prov_keyring_free(kr);
    return error;
}

int fth_prov_keyring_load(struct fth_prov_keyring **out, const char *path, unsigned flags,
                          struct fth_error *err)
{
    struct fth_buf b = FTH_BUF_INIT;
    int error;

    *out = NULL;
    if ((error = fth_file_read(&b, path, FTH_LIMIT_KEYRING_SIZE, err)) == 0)
        error = fth_prov_keyring_load_mem(out, b.ptr, b.len, path, flags, err);
    fth_buf_release(&b);
    return error;
}

void fth_prov_keyring_free(struct fth_prov_keyring *kr)
{
    if (!kr)
        return;
    if (kr->ffi)
        rnp_ffi_destroy(kr->ffi);
    if (kr->log_fd >= 0)
        close(kr->log_fd);
    free(kr);
}

size_t fth_prov_keyring_count(const struct fth_prov_keyring *kr)
{
    return kr ? kr->primaries : 0;
}

int fth_prov_default_keyring(struct fth_buf *out, struct fth_error *err)
{
    static const char *const names[] = {"pubring.kbx", "pubring.gpg"};
    const char *home = getenv("GNUPGHOME"), *user = getenv("HOME");
    struct stat st;
    size_t i;

    for (i = 0; i < 2; i++) {
        fth_buf_clear(out);
        if (home && *home) {
            if (fth_buf_printf(out, "%s/%s", home, names[i]) < 0)
                return fth_error_set(err, FTH_ENOMEM, "out of memory");
        } else if (user && *user) {
            if (fth_buf_printf(out, "%s/.gnupg/%s", user, names[i]) < 0)
                return fth_error_set(err, FTH_ENOMEM, "out of memory");
        } else {
            return fth_error_set(err, FTH_ENOTFOUND,
                                 "no keyring: use --keyring, or set GNUPGHOME or HOME");
        }
        if (stat(out->ptr, &st) == 0)
            return 0;
    }
    return fth_error_set(err, FTH_ENOTFOUND,
                         "no keyring: neither %s/pubring.kbx nor pubring.gpg exists; use "
                         "--keyring",
                         home && *home ? home : "~/.gnupg");
}

/* ---- verification of the signature ---- */

static char *adopt(struct fth_arena *a, char *s)
{
    char *copy = s ? fth_arena_strdup(a, s) : NULL;

    rnp_buffer_destroy(s);
    return copy;
}

/* The primary key of key (itself when it is one); caller destroys. */
static rnp_key_handle_t primary_of(rnp_ffi_t ffi, rnp_key_handle_t key)
{
    rnp_key_handle_t p = NULL;
    char *fpr = NULL;
    bool primary = false;

    if (rnp_key_is_primary(key, &primary) != RNP_SUCCESS)
        return NULL;
    if (primary) {
        if (rnp_key_get_fprint(key, &fpr) == RNP_SUCCESS)
            rnp_locate_key(ffi, "fingerprint", fpr, &p);
    } else if (rnp_key_get_primary_fprint(key, &fpr) == RNP_SUCCESS) {
        rnp_locate_key(ffi, "fingerprint", fpr, &p);
    }
    rnp_buffer_destroy(fpr);
    return p;
}

static int key_revoked(rnp_key_handle_t k)
{
    bool b = false;

    return k && rnp_key_is_revoked(k, &b) == RNP_SUCCESS && b;
}

static int key_expired(rnp_key_handle_t k)
{
    bool b = false;

    return k && rnp_key_is_expired(k, &b) == RNP_SUCCESS && b;
}

static void describe_key(struct prov_sig *s, struct fth_arena *a, rnp_key_handle_t key,
                         rnp_key_handle_t primary)
{
    char *str = NULL;

    if (rnp_key_get_fprint(key, &str) == RNP_SUCCESS)
        s->signing_key = adopt(a, str);
    str = NULL;
    if (primary && rnp_key_get_fprint(primary, &str) == RNP_SUCCESS)
        s->fingerprint = adopt(a, str);
    str = NULL;
    if (primary && rnp_key_get_primary_uid(primary, &str) == RNP_SUCCESS)
        s->signer = adopt(a, str);
    str = NULL;
    if (primary && rnp_key_get_alg(primary, &str) == RNP_SUCCESS)
        s->key_algorithm = adopt(a, str);
}

int prov_check_signature(struct prov_sig *s, struct fth_arena *a, const struct fth_prov_keyring *kr,
                         const struct fth_prov_message *m, struct fth_error *err)
{
    rnp_input_t data = NULL, sig = NULL;
    rnp_op_verify_t op = NULL;
    rnp_op_verify_signature_t vs = NULL;
    rnp_key_handle_t key = NULL, primary = NULL;
    rnp_result_t r, status;
    size_t n = 0;
    char *str = NULL;
    uint32_t created = 0, expires = 0;
    int error = 0;

    memset(s, 0, sizeof(*s));
    if (rnp_input_from_memory(&data, (const uint8_t *)m->signed_text, m->signed_len, false) !=
            RNP_SUCCESS ||
        rnp_input_from_memory(&sig, m->signature, m->signature_len, false) != RNP_SUCCESS ||
        rnp_op_verify_detached_create(&op, kr->ffi, data, sig) != RNP_SUCCESS) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    r = rnp_op_verify_execute(op);
    if (rnp_op_verify_get_signature_count(op, &n) != RNP_SUCCESS || n == 0) {
        s->reason = FTH_PROV_MALFORMED;
        s->message =
            fth_arena_printf(a, "the signature block holds no OpenPGP signature (%s)", rnp_msg(r));
        goto out;
    }
    if (n != 1) {
        s->reason = FTH_PROV_MALFORMED;
        s->message =
            fth_arena_printf(a, "the signature block holds %zu signatures; expected one", n);
        goto out;
    }
    if (rnp_op_verify_get_signature_at(op, 0, &vs) != RNP_SUCCESS) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    status = rnp_op_verify_signature_get_status(vs);
    if (rnp_op_verify_signature_get_hash(vs, &str) == RNP_SUCCESS)
        s->hash_algorithm = adopt(a, str);
    str = NULL;
    if (rnp_op_verify_signature_get_times(vs, &created, &expires) == RNP_SUCCESS)
        s->signed_at = created;
    if (rnp_op_verify_signature_get_key(vs, &key) == RNP_SUCCESS && key) {
        primary = primary_of(kr->ffi, key);
        describe_key(s, a, key, primary);
    }
    if (!key) {
        rnp_signature_handle_t h = NULL;
        char *kid = NULL;

        if (rnp_op_verify_signature_get_handle(vs, &h) == RNP_SUCCESS &&
            rnp_signature_get_keyid(h, &kid) == RNP_SUCCESS)
            s->signing_key = adopt(a, kid);
        rnp_signature_handle_destroy(h);
        s->reason = FTH_PROV_UNKNOWN_KEY;
        s->message = fth_arena_printf(a, "signed by key %s, which is not in keyring '%s'",
                                      s->signing_key ? s->signing_key : "(no key id)", kr->name);
        goto out;
    }
    /* A revoked or expired key fails on its own, whatever RNP thought of the signature. */
    if (key_revoked(key) || key_revoked(primary)) {
        s->reason = FTH_PROV_KEY_REVOKED;
        s->message = fth_arena_printf(a, "signing key %s (%s) is revoked",
                                      s->signing_key ? s->signing_key : "?",
                                      s->signer ? s->signer : "no user id");
        goto out;
    }
    if (key_expired(key) || key_expired(primary)) {
        s->reason = FTH_PROV_KEY_EXPIRED;
        s->message = fth_arena_printf(a, "signing key %s (%s) has expired",
                                      s->signing_key ? s->signing_key : "?",
                                      s->signer ? s->signer : "no user id");
        goto out;
    }
    if (status == RNP_ERROR_SIGNATURE_EXPIRED) {
        s->reason = FTH_PROV_SIGNATURE_EXPIRED;
        s->message = fth_arena_printf(a, "the signature has expired");
        goto out;
    }
    if (status != RNP_SUCCESS) {
        s->reason = FTH_PROV_BAD_SIGNATURE;
        s->message =
            fth_arena_printf(a, "bad signature from %s (%s): %s", s->signer ? s->signer : "?",
                             s->fingerprint ? s->fingerprint : "?", rnp_msg(status));
        goto out;
    }
    s->ok = 1;
out:
    if (!error && !s->ok && !s->message)
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
    rnp_key_handle_destroy(key);
    rnp_key_handle_destroy(primary);
    rnp_op_verify_destroy(op);
    rnp_input_destroy(data);
    rnp_input_destroy(sig);
    return error;
}

/* ---- signing ---- */

static int is_hexid(const char *s)
{
    size_t n;

    if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
        s += 2;
    n = strlen(s);
    if (n != 16 && n != 40 && n != 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
            return 0;
    return 1;
}

/* Helm's rule: the user id equal to name, else the one key whose user id contains it. */
static int find_key(rnp_key_handle_t *out, const struct fth_prov_keyring *kr, const char *name,
                    struct fth_error *err)
{
    rnp_identifier_iterator_t it = NULL;
    rnp_key_handle_t exact = NULL, sub = NULL;
    const char *id;
    size_t nsub = 0;
    int error = 0;

    *out = NULL;
    if (is_hexid(name)) {
        const char *hex = (name[0] == '0' && (name[1] == 'x' || name[1] == 'X')) ? name + 2 : name;

        if (rnp_locate_key(kr->ffi, strlen(hex) == 16 ? "keyid" : "fingerprint", hex, out) ==
                RNP_SUCCESS &&
            *out)
            return 0;
    }
    if (rnp_identifier_iterator_create(kr->ffi, &it, "userid") != RNP_SUCCESS)
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    while (rnp_identifier_iterator_next(it, &id) == RNP_SUCCESS && id) {
        rnp_key_handle_t k = NULL;

        if (!strcmp(id, name)) {
            if (!exact && rnp_locate_key(kr->ffi, "userid", id, &k) == RNP_SUCCESS)
                exact = k;
            continue;
        }
        if (strstr(id, name)) {
            nsub++;
            if (!sub && rnp_locate_key(kr->ffi, "userid", id, &k) == RNP_SUCCESS)
                sub = k;
        }
    }
    rnp_identifier_iterator_destroy(it);
    if (exact) {
        *out = exact;
        exact = NULL;
    } else if (nsub == 1 && sub) {
        *out = sub;
        sub = NULL;
    } else if (nsub > 1) {
        error = fth_error_set(err, FTH_EINVALID,
                              "key '%s' is ambiguous: %zu user ids in '%s' contain it", name, nsub,
                              kr->name);
    } else {
        error =
            fth_error_set(err, FTH_ENOTFOUND, "private key '%s' not found in '%s'", name, kr->name);
    }
    rnp_key_handle_destroy(exact);
    rnp_key_handle_destroy(sub);
    return error;
}

/* The key that will sign: the primary when it may, else a valid signing subkey with a secret. */
static rnp_key_handle_t signing_key(rnp_key_handle_t primary)
{
    size_t n = 0, i;
    bool ok = false, secret = false;

    if (rnp_key_allows_usage(primary, "sign", &ok) == RNP_SUCCESS && ok &&
        rnp_key_have_secret(primary, &secret) == RNP_SUCCESS && secret)
        return NULL; /* the primary itself */
    if (rnp_key_get_subkey_count(primary, &n) != RNP_SUCCESS)
        return NULL;
    for (i = 0; i < n; i++) {
        rnp_key_handle_t s = NULL;
        bool valid = false;

        if (rnp_key_get_subkey_at(primary, i, &s) != RNP_SUCCESS)
            continue;
        ok = secret = false;
        if (rnp_key_allows_usage(s, "sign", &ok) == RNP_SUCCESS && ok &&
            rnp_key_have_secret(s, &secret) == RNP_SUCCESS && secret &&
            rnp_key_is_valid(s, &valid) == RNP_SUCCESS && valid)
            return s;
        rnp_key_handle_destroy(s);
    }
    return NULL;
}

int fth_prov_sign(struct fth_buf *out, const struct fth_prov_keyring *kr, const char *text,
                  size_t len, const struct fth_prov_sign_opts *opts, struct fth_error *err)
{
    rnp_key_handle_t primary = NULL, sub = NULL, key;
    rnp_input_t in = NULL;
    rnp_output_t o = NULL;
    rnp_op_sign_t op = NULL;
    struct fth_buf tmp = FTH_BUF_INIT;
    struct fth_prov_message *m = NULL;
    struct fth_arena *a = NULL;
    uint8_t *buf = NULL;
    size_t blen = 0, i;
    bool secret = false, prot = false;
    rnp_result_t r;
    int error = 0;

    if (!opts || !opts->key)
        return fth_error_set(err, FTH_EUSAGE, "no signing key named");
    if ((error = find_key(&primary, kr, opts->key, err)) < 0)
        goto out;
    if (rnp_key_have_secret(primary, &secret) != RNP_SUCCESS || !secret) {
        /* The primary's secret may be absent (gpg --export-secret-subkeys): try subkeys. */
        secret = false;
    }
    if (key_revoked(primary) || key_expired(primary)) {
        error = fth_error_set(err, FTH_EINVALID, "key '%s' is %s and cannot sign", opts->key,
                              key_revoked(primary) ? "revoked" : "expired");
        goto out;
    }
    sub = signing_key(primary);
    key = sub ? sub : primary;
    if (!sub && !secret) {
        error = fth_error_set(err, FTH_ENOTFOUND,
                              "no secret signing key for '%s' in '%s' (is it a public keyring?)",
                              opts->key, kr->name);
        goto out;
    }
    if (rnp_key_is_protected(key, &prot) == RNP_SUCCESS && prot) {
        if (!opts->passphrase) {
            error = fth_error_set(err, FTH_EUSAGE,
                                  "key '%s' is protected by a passphrase; give it with "
                                  "--passphrase-file",
                                  opts->key);
            goto out;
        }
        if ((r = rnp_key_unlock(key, opts->passphrase)) != RNP_SUCCESS) {
            error = fth_error_set(err, FTH_EVERIFY, "cannot unlock key '%s': wrong passphrase",
                                  opts->key);
            goto out;
        }
    }
    /*
     * The line break before "-----BEGIN PGP SIGNATURE-----" is not signed (RFC 4880 7.1): RNP
     * adds its own, so a final one of text would become an extra, signed, empty line, where
     * Helm's .prov has none.
     */
    if (len && text[len - 1] == '\n')
        len--;
    if (rnp_input_from_memory(&in, (const uint8_t *)text, len, false) != RNP_SUCCESS ||
        rnp_output_to_memory(&o, 0) != RNP_SUCCESS ||
        rnp_op_sign_cleartext_create(&op, kr->ffi, in, o) != RNP_SUCCESS) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    if ((r = rnp_op_sign_set_hash(op, opts->hash ? opts->hash : "SHA512")) != RNP_SUCCESS) {
        error = fth_error_set(err, FTH_EINVALID, "hash '%s': %s",
                              opts->hash ? opts->hash : "SHA512", rnp_msg(r));
        goto out;
    }
    if (opts->created > 0 && opts->created <= UINT32_MAX)
        rnp_op_sign_set_creation_time(op, (uint32_t)opts->created);
    if ((r = rnp_op_sign_add_signature(op, key, NULL)) != RNP_SUCCESS ||
        (r = rnp_op_sign_execute(op)) != RNP_SUCCESS) {
        error = fth_error_set(err, FTH_EINVALID, "cannot sign with key '%s': %s", opts->key,
                              rnp_msg(r));
        goto out;
    }
    if (rnp_output_memory_get_buf(o, &buf, &blen, false) != RNP_SUCCESS) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    /*
     * RNP ends the lines it adds with CR LF; line endings carry no meaning in a clear-signed
     * message (RFC 4880 7.1), and Helm writes LF only, so LF it is.
     */
    for (i = 0; i < blen; i++) {
        if (buf[i] == '\r' && i + 1 < blen && buf[i + 1] == '\n')
            continue;
        if (fth_buf_putc(&tmp, (char)buf[i]) < 0) {
            error = fth_error_set(err, FTH_ENOMEM, "out of memory");
            goto out;
        }
    }
    /* Read back what was written: it must say exactly the text given. */
    if (!(a = fth_arena_new())) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    if ((error = fth_prov_parse(&m, a, tmp.ptr, tmp.len, err)) < 0)
        goto out;
    if (m->text_len != len + 1 || memcmp(m->text, text, len) != 0) {
        error = fth_error_set(err, FTH_EINVALID,
                              "the text to sign does not survive clear-signing (trailing blanks "
                              "or a line starting with '-'?)");
        goto out;
    }
    if (fth_buf_put(out, tmp.ptr, tmp.len) < 0) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
out:
    if (prot && (sub || primary))
        rnp_key_lock(sub ? sub : primary);
    fth_buf_release(&tmp);
    fth_arena_free(a);
    rnp_op_sign_destroy(op);
    rnp_input_destroy(in);
    rnp_output_destroy(o);
    rnp_key_handle_destroy(sub);
    rnp_key_handle_destroy(primary);
    return error;
}
