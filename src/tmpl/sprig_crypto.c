/*
 * Sprig's crypto functions over src/base/crypto.c: genPrivateKey, genCA, genSelfSignedCert,
 * genSignedCert (and their WithKey forms), buildCustomCert, derivePassword (Master Password
 * v3: scrypt + HMAC-SHA256), bcrypt and htpasswd, encryptAES/decryptAES (AES-256-CBC with the
 * password zero-padded or cut to 32 bytes, PKCS#7 padding, a random IV in front, base64) and
 * randBytes. Certificates are sprig.certificate values with the fields Cert and Key.
 */
#include <stdio.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "sprig_int.h"

static const char *const CERT_T = "sprig.certificate";

SPRIG_FN(f_gen_private_key)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    const char *t = args[0]->u.str.ptr;
    enum fth_key_type type;
    int error, bits = 4096;
    fth_error_clear(&err);
    if (!*t || !strcmp(t, "rsa"))
        type = FTH_KEY_RSA;
    else if (!strcmp(t, "dsa"))
        type = FTH_KEY_DSA;
    else if (!strcmp(t, "ecdsa"))
        type = FTH_KEY_ECDSA;
    else if (!strcmp(t, "ed25519"))
        type = FTH_KEY_ED25519;
    else
        return sprig_ret_buf(out, call, &b, fth_buf_printf(&b, "Unknown type %s", t));
    error = fth_crypto_key_generate(&b, type, bits, &err);
    if (error < 0 && error != FTH_ENOMEM) {
        fth_buf_clear(&b);
        error = fth_buf_printf(&b, "failed to generate private key: %s", err.message);
    }
    return sprig_ret_buf(out, call, &b, error);
}

static int cert_value(struct fth_value **out, struct fth_tmpl_call *call, const char *cert,
                      size_t cl, const char *key, size_t kl)
{
    struct fth_value *st = fth_tmpl_struct_new(call->arena, CERT_T, 2), *c, *k;
    if (!st || !(c = fth_tmpl_str(call->arena, cert, cl)) ||
        !(k = fth_tmpl_str(call->arena, key, kl)) ||
        fth_tmpl_map_set(call->arena, st, "Cert", 4, c) < 0 ||
        fth_tmpl_map_set(call->arena, st, "Key", 3, k) < 0)
        return FTH_ENOMEM;
    *out = st;
    return 0;
}

/* a []interface{} of strings (nil allowed) into a C array; what names the list in errors */
static int str_list(struct fth_tmpl_call *call, const struct fth_value *l, const char ***out,
                    size_t *n, const char *what)
{
    size_t i;
    *out = NULL;
    *n = 0;
    if (sprig_is_nil(l))
        return 0;
    if (l->type != FTH_VALUE_SEQ || fth_tmpl_ext_of(l))
        return fth_tmpl_fail(call, "wrong type for value; expected []interface {}; got %s",
                             fth_tmpl_type_name(l));
    if (!(*out = fth_arena_calloc(call->arena, l->u.seq.len + 1, sizeof(**out))))
        return FTH_ENOMEM;
    for (i = 0; i < l->u.seq.len; i++) {
        const struct fth_value *v = l->u.seq.items[i];
        if (!v || v->type != FTH_VALUE_STRING || fth_tmpl_ext_of(v) ||
            (v->flags & FTH_TMPL_VALUE_BYTES)) {
            struct fth_buf b = FTH_BUF_INIT;
            int error;
            fth_tmpl_fmt_value(&b, v);
            error = fth_tmpl_fail(call, "%s: %s is not a string", what, b.ptr);
            fth_buf_release(&b);
            return error;
        }
        (*out)[i] = v->u.str.ptr;
    }
    *n = l->u.seq.len;
    return 0;
}

static int cert_fields(struct fth_tmpl_call *call, const struct fth_value *ca, const char **cert,
                       const char **key)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(ca);
    const struct fth_value *c, *k;
    if (!e || !e->type_name || strcmp(e->type_name, CERT_T))
        return fth_tmpl_fail(call, "wrong type for value; expected sprig.certificate; got %s",
                             sprig_is_nil(ca) ? "<nil>" : fth_tmpl_type_name(ca));
    c = fth_tmpl_map_get(ca, "Cert", 4);
    k = fth_tmpl_map_get(ca, "Key", 3);
    *cert = c && c->type == FTH_VALUE_STRING ? c->u.str.ptr : "";
    *key = k && k->type == FTH_VALUE_STRING ? k->u.str.ptr : "";
    return 0;
}

static int make_cert(struct fth_value **out, struct fth_tmpl_call *call, struct fth_cert_req *req)
{
    struct fth_buf c = FTH_BUF_INIT, k = FTH_BUF_INIT;
    struct fth_error err;
    int error;
    fth_error_clear(&err);
    error = fth_crypto_cert_create(&c, &k, req, &err);
    if (error == 0)
        error = cert_value(out, call, c.ptr, c.len, k.ptr, k.len);
    else if (error != FTH_ENOMEM)
        error = fth_tmpl_fail(call, "%s", err.message);
    fth_buf_release(&c);
    fth_buf_release(&k);
    return error;
}

static int days_arg(struct fth_tmpl_call *call, int64_t days)
{
    if (days > 1000000 || days < -1000000)
        return fth_tmpl_fail(call, "daysValid %lld is out of range", (long long)days);
    return 0;
}

/* genCA cn days / genCAWithKey cn days key */
static int gen_ca(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                  int with_key)
{
    struct fth_cert_req req;
    int error;
    memset(&req, 0, sizeof(req));
    if ((error = days_arg(call, args[1]->u.integer)) < 0)
        return error;
    req.cn = args[0]->u.str.ptr;
    req.days = args[1]->u.integer;
    req.is_ca = 1;
    req.key_pem = with_key ? args[2]->u.str.ptr : NULL;
    return make_cert(out, call, &req);
}

SPRIG_FN(f_gen_ca)
{
    return gen_ca(out, call, args, 0);
}

SPRIG_FN(f_gen_ca_with_key)
{
    return gen_ca(out, call, args, 1);
}

/* genSelfSignedCert cn ips dns days [key] / genSignedCert cn ips dns days ca [key] */
static int gen_cert(struct fth_value **out, struct fth_tmpl_call *call,
                    struct fth_value *const *args, int signed_by_ca, int with_key)
{
    struct fth_cert_req req;
    const char *ca_cert = NULL, *ca_key = NULL;
    int error;
    memset(&req, 0, sizeof(req));
    if ((error = str_list(call, args[1], (const char ***)&req.ips, &req.nips, "error parsing ip")) <
            0 ||
        (error = str_list(call, args[2], (const char ***)&req.dns, &req.ndns,
                          "error processing alternate dns name")) < 0 ||
        (error = days_arg(call, args[3]->u.integer)) < 0)
        return error;
    if (signed_by_ca && (error = cert_fields(call, args[4], &ca_cert, &ca_key)) < 0)
        return error;
    req.cn = args[0]->u.str.ptr;
    req.days = args[3]->u.integer;
    req.ca_cert_pem = ca_cert;
    req.ca_key_pem = ca_key;
    if (with_key)
        req.key_pem = args[signed_by_ca ? 5 : 4]->u.str.ptr;
    return make_cert(out, call, &req);
}

SPRIG_FN(f_gen_self_signed)
{
    return gen_cert(out, call, args, 0, 0);
}

SPRIG_FN(f_gen_self_signed_with_key)
{
    return gen_cert(out, call, args, 0, 1);
}

SPRIG_FN(f_gen_signed)
{
    return gen_cert(out, call, args, 1, 0);
}

SPRIG_FN(f_gen_signed_with_key)
{
    return gen_cert(out, call, args, 1, 1);
}

/* decode standard base64 (Go's StdEncoding); 0 when malformed */
static int b64_decode(struct fth_buf *out, const char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned acc = 0;
    size_t i, bits = 0, pad = 0, cnt = 0;
    for (i = 0; i < n; i++) {
        const char *p;
        if (s[i] == '\r' || s[i] == '\n')
            continue;
        if (s[i] == '=') {
            pad++;
            cnt++;
            continue;
        }
        if (pad || !(p = strchr(tab, s[i])) || !s[i])
            return 0;
        acc = acc << 6 | (unsigned)(p - tab);
        bits += 6;
        cnt++;
        if (bits >= 8) {
            bits -= 8;
            if (fth_buf_putc(out, (char)(acc >> bits)) < 0)
                return 0;
        }
    }
    return cnt % 4 == 0 && pad <= 2;
}

SPRIG_FN(f_build_custom_cert)
{
    struct fth_buf c = FTH_BUF_INIT, k = FTH_BUF_INIT;
    struct fth_error err;
    int error;
    fth_error_clear(&err);
    if (!b64_decode(&c, args[0]->u.str.ptr, args[0]->u.str.len)) {
        error = fth_tmpl_fail(call, "unable to decode base64 certificate");
        goto out;
    }
    if (!b64_decode(&k, args[1]->u.str.ptr, args[1]->u.str.len)) {
        error = fth_tmpl_fail(call, "unable to decode base64 private key");
        goto out;
    }
    if ((error = fth_crypto_cert_check(c.ptr, c.len, k.ptr, k.len, &err)) < 0) {
        error = fth_tmpl_fail(call, "%s", err.message);
        goto out;
    }
    error = cert_value(out, call, c.ptr, c.len, k.ptr, k.len);
out:
    fth_buf_release(&c);
    fth_buf_release(&k);
    return error;
}

/* ---- Master Password (derivePassword) ---- */

struct tmpl_set {
    const char *name;
    const char *const *t;
};

static const char *const t_maximum[] = {"anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno", NULL};
static const char *const t_long[] = {"CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv",
                                     "CvcvCvcvCvcvno", "CvccnoCvcvCvcv",
                                     "CvccCvcvnoCvcv", "CvccCvcvCvcvno",
                                     "CvcvnoCvccCvcv", "CvcvCvccnoCvcv",
                                     "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
                                     "CvcvCvcvnoCvcc", "CvcvCvcvCvccno",
                                     "CvccnoCvccCvcv", "CvccCvccnoCvcv",
                                     "CvccCvccCvcvno", "CvcvnoCvccCvcc",
                                     "CvcvCvccnoCvcc", "CvcvCvccCvccno",
                                     "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
                                     "CvccCvcvCvccno", NULL};
static const char *const t_medium[] = {"CvcnoCvc", "CvcCvcno", NULL};
static const char *const t_short[] = {"Cvcn", NULL};
static const char *const t_basic[] = {"aaanaaan", "aannaaan", "aaannaaa", NULL};
static const char *const t_pin[] = {"nnnn", NULL};

static const struct tmpl_set password_templates[] = {
    {"maximum", t_maximum}, {"long", t_long}, {"medium", t_medium}, {"short", t_short},
    {"basic", t_basic},     {"pin", t_pin},   {NULL, NULL},
};

static const char *template_chars(char c)
{
    switch (c) {
    case 'V':
        return "AEIOU";
    case 'C':
        return "BCDFGHJKLMNPQRSTVWXYZ";
    case 'v':
        return "aeiou";
    case 'c':
        return "bcdfghjklmnpqrstvwxyz";
    case 'A':
        return "AEIOUBCDFGHJKLMNPQRSTVWXYZ";
    case 'a':
        return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    case 'n':
        return "0123456789";
    case 'o':
        return "@&%?,=[]_:-+*$#!'^~;()/.";
    case 'x':
        return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()";
    default:
        return "";
    }
}

static void put_be32(struct fth_buf *b, uint32_t v)
{
    char t[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
    fth_buf_put(b, t, 4);
}

SPRIG_FN(f_derive_password)
{
    static const char seed_name[] = "com.lyndir.masterpassword";
    const struct fth_value *type = args[1], *pw = args[2], *user = args[3], *site = args[4];
    const struct tmpl_set *ts;
    struct fth_buf salt = FTH_BUF_INIT, msg = FTH_BUF_INIT, res = FTH_BUF_INIT;
    unsigned char key[64], seed[32];
    size_t nt, i;
    const char *tpl;
    int error;
    for (ts = password_templates; ts->name; ts++)
        if (strlen(ts->name) == type->u.str.len && !strcmp(ts->name, type->u.str.ptr))
            break;
    if (!ts->name)
        return sprig_ret_buf(
            out, call, &res,
            fth_buf_printf(&res, "cannot find password template %s", type->u.str.ptr));
    fth_buf_puts(&salt, seed_name);
    put_be32(&salt, (uint32_t)user->u.str.len);
    fth_buf_put(&salt, user->u.str.ptr, user->u.str.len);
    if ((error = fth_crypto_scrypt(key, sizeof(key), pw->u.str.ptr, pw->u.str.len, salt.ptr,
                                   salt.len, 32768, 8, 2)) < 0) {
        error = fth_buf_printf(&res, "failed to derive password: scrypt failed");
        goto out;
    }
    fth_buf_puts(&msg, seed_name);
    put_be32(&msg, (uint32_t)site->u.str.len);
    fth_buf_put(&msg, site->u.str.ptr, site->u.str.len);
    put_be32(&msg, (uint32_t)args[0]->u.integer);
    if ((error = fth_crypto_hmac_sha256(seed, key, sizeof(key), msg.ptr, msg.len)) < 0)
        goto out;
    for (nt = 0; ts->t[nt]; nt++)
        ;
    tpl = ts->t[seed[0] % nt];
    for (i = 0; tpl[i] && error == 0; i++) {
        const char *chars = template_chars(tpl[i]);
        error = fth_buf_putc(&res, chars[seed[i + 1] % strlen(chars)]);
    }
out:
    fth_buf_release(&salt);
    fth_buf_release(&msg);
    return sprig_ret_buf(out, call, &res, error);
}

static int bcrypt_into(struct fth_buf *b, const struct fth_value *pw)
{
    struct fth_error err;
    size_t start = b->len;
    int error;
    fth_error_clear(&err);
    error = fth_crypto_bcrypt(b, pw->u.str.ptr, pw->u.str.len, 10, &err);
    if (error < 0 && error != FTH_ENOMEM) {
        b->len = start;
        b->ptr[start] = 0;
        return fth_buf_printf(b, "failed to encrypt string with bcrypt: %s", err.message);
    }
    return error;
}

SPRIG_FN(f_bcrypt)
{
    struct fth_buf b = FTH_BUF_INIT;
    return sprig_ret_buf(out, call, &b, bcrypt_into(&b, args[0]));
}

SPRIG_FN(f_htpasswd)
{
    struct fth_buf b = FTH_BUF_INIT;
    int error;
    if (memchr(args[0]->u.str.ptr, ':', args[0]->u.str.len))
        return sprig_ret_buf(out, call, &b,
                             fth_buf_printf(&b, "invalid username: %s", args[0]->u.str.ptr));
    if ((error = fth_buf_put(&b, args[0]->u.str.ptr, args[0]->u.str.len)) == 0 &&
        (error = fth_buf_putc(&b, ':')) == 0)
        error = bcrypt_into(&b, args[1]);
    return sprig_ret_buf(out, call, &b, error);
}

static const char b64tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_encode(struct fth_buf *b, const unsigned char *s, size_t n)
{
    size_t i;
    int error = 0;
    for (i = 0; i + 2 < n && error == 0; i += 3) {
        char q[4] = {b64tab[s[i] >> 2], b64tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
                     b64tab[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)], b64tab[s[i + 2] & 63]};
        error = fth_buf_put(b, q, 4);
    }
    if (error == 0 && n - i == 1) {
        char q[4] = {b64tab[s[i] >> 2], b64tab[(s[i] & 3) << 4], '=', '='};
        error = fth_buf_put(b, q, 4);
    } else if (error == 0 && n - i == 2) {
        char q[4] = {b64tab[s[i] >> 2], b64tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
                     b64tab[(s[i + 1] & 15) << 2], '='};
        error = fth_buf_put(b, q, 4);
    }
    return error;
}

static void aes_key(unsigned char key[32], const struct fth_value *pw)
{
    memset(key, 0, 32);
    memcpy(key, pw->u.str.ptr, pw->u.str.len < 32 ? pw->u.str.len : 32);
}

SPRIG_FN(f_encrypt_aes)
{
    const struct fth_value *pt = args[1];
    unsigned char key[32], *buf;
    size_t pad, n;
    struct fth_buf b = FTH_BUF_INIT;
    int error;
    if (pt->u.str.len == 0)
        return sprig_ret_str(out, call, "", 0);
    if (pt->u.str.len > FTH_LIMIT_TMPL_OUTPUT)
        return fth_tmpl_fail(call, "encryptAES: input longer than %zu bytes",
                             (size_t)FTH_LIMIT_TMPL_OUTPUT);
    aes_key(key, args[0]);
    pad = 16 - pt->u.str.len % 16;
    n = pt->u.str.len + pad;
    if (!(buf = fth_arena_alloc(call->arena, 16 + 2 * n)))
        return FTH_ENOMEM;
    if (fth_crypto_random(buf, 16) < 0)
        return fth_tmpl_fail(call, "no random bytes from the system");
    memcpy(buf + 16 + n, pt->u.str.ptr, pt->u.str.len);
    memset(buf + 16 + n + pt->u.str.len, (int)pad, pad);
    if ((error = fth_crypto_aes256_cbc(buf + 16, key, buf, buf + 16 + n, n, 1)) < 0)
        return fth_tmpl_fail(call, "crypto/aes: encryption failed");
    return sprig_ret_buf(out, call, &b, b64_encode(&b, buf, 16 + n));
}

SPRIG_FN(f_decrypt_aes)
{
    struct fth_buf raw = FTH_BUF_INIT;
    unsigned char key[32], *plain;
    size_t n, pad;
    int error;
    if (args[1]->u.str.len == 0)
        return sprig_ret_str(out, call, "", 0);
    aes_key(key, args[0]);
    if (!b64_decode(&raw, args[1]->u.str.ptr, args[1]->u.str.len)) {
        fth_buf_release(&raw);
        return fth_tmpl_fail(call, "illegal base64 data at input byte 0");
    }
    if (raw.len < 16) {
        error = fth_tmpl_fail(call,
                              "runtime error: slice bounds out of range [:16] with "
                              "capacity %zu",
                              raw.len);
        goto out;
    }
    n = raw.len - 16;
    if (n % 16) {
        error = fth_tmpl_fail(call, "crypto/cipher: input not full blocks");
        goto out;
    }
    if (n == 0) {
        error = fth_tmpl_fail(call, "runtime error: index out of range [-1]");
        goto out;
    }
    if (!(plain = fth_arena_alloc(call->arena, n))) {
        error = FTH_ENOMEM;
        goto out;
    }
    if ((error = fth_crypto_aes256_cbc(plain, key, (const unsigned char *)raw.ptr,
                                       (const unsigned char *)raw.ptr + 16, n, 0)) < 0) {
        error = fth_tmpl_fail(call, "crypto/aes: decryption failed");
        goto out;
    }
    pad = plain[n - 1];
    if (pad > n) {
        error = fth_tmpl_fail(call, "runtime error: slice bounds out of range [:%lld]",
                              (long long)n - (long long)pad);
        goto out;
    }
    error = sprig_ret_str(out, call, (const char *)plain, n - pad);
out:
    fth_buf_release(&raw);
    return error;
}

SPRIG_FN(f_rand_bytes)
{
    struct fth_buf b = FTH_BUF_INIT;
    int64_t n = args[0]->u.integer;
    unsigned char *buf;
    if (n < 0)
        return fth_tmpl_fail(call, "runtime error: makeslice: len out of range");
    if ((uint64_t)n > FTH_LIMIT_TMPL_OUTPUT / 2)
        return fth_tmpl_fail(call, "randBytes: more than %zu bytes",
                             (size_t)FTH_LIMIT_TMPL_OUTPUT / 2);
    if (!(buf = fth_arena_alloc(call->arena, (size_t)n + 1)))
        return FTH_ENOMEM;
    if (fth_crypto_random(buf, (size_t)n) < 0)
        return fth_tmpl_fail(call, "no random bytes from the system");
    return sprig_ret_buf(out, call, &b, b64_encode(&b, buf, (size_t)n));
}

const struct fth_tmpl_func tmpl_sprig_crypto[] = {
    {"bcrypt", "s", f_bcrypt, NULL},
    {"htpasswd", "ss", f_htpasswd, NULL},
    {"genPrivateKey", "s", f_gen_private_key, NULL},
    {"derivePassword", "issss", f_derive_password, NULL},
    {"buildCustomCert", "ss", f_build_custom_cert, NULL},
    {"genCA", "si", f_gen_ca, NULL},
    {"genCAWithKey", "sis", f_gen_ca_with_key, NULL},
    {"genSelfSignedCert", "saai", f_gen_self_signed, NULL},
    {"genSelfSignedCertWithKey", "saais", f_gen_self_signed_with_key, NULL},
    {"genSignedCert", "saaia", f_gen_signed, NULL},
    {"genSignedCertWithKey", "saaias", f_gen_signed_with_key, NULL},
    {"encryptAES", "ss", f_encrypt_aes, NULL},
    {"decryptAES", "ss", f_decrypt_aes, NULL},
    {"randBytes", "i", f_rand_bytes, NULL},
    {NULL, NULL, NULL, NULL},
};
