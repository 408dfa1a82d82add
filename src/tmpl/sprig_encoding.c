/*
 * Sprig's encodings and checksums: b64enc/b64dec and b32enc/b32dec (Go's StdEncoding; a bad
 * input decodes to Go's error text, as Sprig returns err.Error() as the string), sha1sum,
 * sha256sum (hex) and adler32sum (decimal).
 */
#include <string.h>
#include <zlib.h>

#include "../base/banned.h"
#include "sprig_int.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

SPRIG_FN(f_b64enc)
{
    struct fth_buf b = FTH_BUF_INIT;
    const unsigned char *s = (const unsigned char *)args[0]->u.str.ptr;
    size_t n = args[0]->u.str.len, i;
    int error = 0;
    SPRIG_UNUSED;
    for (i = 0; i + 2 < n && error == 0; i += 3) {
        char q[4] = {b64[s[i] >> 2], b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
                     b64[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)], b64[s[i + 2] & 63]};
        error = fth_buf_put(&b, q, 4);
    }
    if (error == 0 && n - i == 1) {
        char q[4] = {b64[s[i] >> 2], b64[(s[i] & 3) << 4], '=', '='};
        error = fth_buf_put(&b, q, 4);
    } else if (error == 0 && n - i == 2) {
        char q[4] = {b64[s[i] >> 2], b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
                     b64[(s[i + 1] & 15) << 2], '='};
        error = fth_buf_put(&b, q, 4);
    }
    return sprig_ret_buf(out, call, &b, error);
}

static int b64val(unsigned char c)
{
    const char *p = c ? strchr(b64, c) : NULL;
    return p ? (int)(p - b64) : -1;
}

/* encoding/base64 StdEncoding.DecodeString: 1 and *bad = the offset Go reports when the input
 * is bad, 0 when it decoded, FTH_ENOMEM */
static long b64_decode(struct fth_buf *out, const char *src, size_t n, size_t *bad)
{
    size_t si = 0;
    for (;;) {
        unsigned char dbuf[4] = {0, 0, 0, 0};
        size_t j, dlen = 4;
        if (si == n)
            return 0;
        for (j = 0; j < 4; j++) {
            unsigned char in;
            int v;
            if (si == n) {
                if (j == 0)
                    return 0;
                *bad = si - j;
                return 1;
            }
            in = (unsigned char)src[si++];
            if ((v = b64val(in)) >= 0) {
                dbuf[j] = (unsigned char)v;
                continue;
            }
            if (in == '\n' || in == '\r') {
                j--;
                continue;
            }
            if (in != '=' || j < 2) {
                *bad = si - 1;
                return 1;
            }
            if (j == 2) {
                while (si < n && (src[si] == '\n' || src[si] == '\r'))
                    si++;
                if (si == n) {
                    *bad = n;
                    return 1;
                }
                if (src[si] != '=') {
                    *bad = si - 1;
                    return 1;
                }
                si++;
            }
            while (si < n && (src[si] == '\n' || src[si] == '\r'))
                si++;
            if (si < n) {
                *bad = si;
                return 1;
            }
            dlen = j;
            break;
        }
        {
            unsigned v = (unsigned)dbuf[0] << 18 | (unsigned)dbuf[1] << 12 |
                         (unsigned)dbuf[2] << 6 | dbuf[3];
            unsigned char o[3] = {(unsigned char)(v >> 16), (unsigned char)(v >> 8),
                                  (unsigned char)v};
            if (fth_buf_put(out, o, dlen - 1) < 0)
                return FTH_ENOMEM;
        }
        if (dlen < 4)
            return 0;
    }
}

SPRIG_FN(f_b64dec)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t bad = 0;
    long r;
    SPRIG_UNUSED;
    r = b64_decode(&b, args[0]->u.str.ptr, args[0]->u.str.len, &bad);
    if (r == FTH_ENOMEM)
        return sprig_ret_buf(out, call, &b, FTH_ENOMEM);
    if (r > 0) {
        fth_buf_clear(&b);
        return sprig_ret_buf(out, call, &b,
                             fth_buf_printf(&b, "illegal base64 data at input byte %zu", bad));
    }
    return sprig_ret_buf(out, call, &b, 0);
}

SPRIG_FN(f_b32enc)
{
    struct fth_buf b = FTH_BUF_INIT;
    const unsigned char *s = (const unsigned char *)args[0]->u.str.ptr;
    size_t n = args[0]->u.str.len, i;
    int error = 0;
    SPRIG_UNUSED;
    for (i = 0; i < n && error == 0; i += 5) {
        unsigned char q[5] = {0, 0, 0, 0, 0};
        size_t k = n - i < 5 ? n - i : 5, m, j;
        char o[8];
        static const size_t chars[6] = {0, 2, 4, 5, 7, 8};
        uint64_t v;
        memcpy(q, s + i, k);
        v = (uint64_t)q[0] << 32 | (uint64_t)q[1] << 24 | (uint64_t)q[2] << 16 |
            (uint64_t)q[3] << 8 | q[4];
        for (j = 0; j < 8; j++)
            o[j] = b32[(v >> (35 - 5 * j)) & 31];
        m = chars[k];
        for (j = m; j < 8; j++)
            o[j] = '=';
        error = fth_buf_put(&b, o, 8);
    }
    return sprig_ret_buf(out, call, &b, error);
}

/* encoding/base32 StdEncoding.DecodeString (newlines stripped first, offsets after that) */
static long b32_decode(struct fth_buf *out, const char *s0, size_t n0, size_t *bad,
                       struct fth_arena *a)
{
    char *src = fth_arena_alloc(a, n0 + 1);
    size_t olen = 0, i, pos = 0;
    int end = 0;
    if (!src)
        return FTH_ENOMEM;
    for (i = 0; i < n0; i++)
        if (s0[i] != '\n' && s0[i] != '\r')
            src[olen++] = s0[i];
    while (pos < olen && !end) {
        unsigned char dbuf[8] = {0};
        size_t dlen = 8, j = 0;
        uint64_t v = 0;
        static const size_t bytes_for[9] = {0, 0, 1, 0, 2, 3, 0, 4, 5};
        while (j < 8) {
            unsigned char in;
            const char *p;
            size_t left;
            if (pos == olen) {
                *bad = olen - (olen - pos) - j;
                return 1;
            }
            in = (unsigned char)src[pos++];
            left = olen - pos;
            if (in == '=' && j >= 2 && left < 8) {
                size_t k;
                if (left + j < 8 - 1) {
                    *bad = olen;
                    return 1;
                }
                for (k = 0; k < 8 - 1 - j; k++)
                    if (left > k && src[pos + k] != '=') {
                        *bad = olen - left + k - 1;
                        return 1;
                    }
                dlen = j;
                end = 1;
                if (dlen == 1 || dlen == 3 || dlen == 6) {
                    *bad = olen - left - 1;
                    return 1;
                }
                break;
            }
            p = in ? strchr(b32, in) : NULL;
            if (!p) {
                *bad = olen - left - 1;
                return 1;
            }
            dbuf[j++] = (unsigned char)(p - b32);
        }
        for (i = 0; i < 8; i++)
            v = v << 5 | dbuf[i];
        {
            unsigned char o[5] = {(unsigned char)(v >> 32), (unsigned char)(v >> 24),
                                  (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                                  (unsigned char)v};
            if (fth_buf_put(out, o, bytes_for[dlen]) < 0)
                return FTH_ENOMEM;
        }
    }
    return 0;
}

SPRIG_FN(f_b32dec)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t bad = 0;
    long r;
    SPRIG_UNUSED;
    r = b32_decode(&b, args[0]->u.str.ptr, args[0]->u.str.len, &bad, call->arena);
    if (r == FTH_ENOMEM)
        return sprig_ret_buf(out, call, &b, FTH_ENOMEM);
    if (r > 0) {
        fth_buf_clear(&b);
        return sprig_ret_buf(out, call, &b,
                             fth_buf_printf(&b, "illegal base32 data at input byte %zu", bad));
    }
    return sprig_ret_buf(out, call, &b, 0);
}

SPRIG_FN(f_sha1sum)
{
    char hex[41];
    SPRIG_UNUSED;
    fth_sha1_hex(hex, args[0]->u.str.ptr, args[0]->u.str.len);
    return sprig_ret_str(out, call, hex, strlen(hex));
}

SPRIG_FN(f_sha256sum)
{
    char hex[65];
    SPRIG_UNUSED;
    fth_sha256_hex(hex, args[0]->u.str.ptr, args[0]->u.str.len);
    return sprig_ret_str(out, call, hex, strlen(hex));
}

SPRIG_FN(f_adler32sum)
{
    struct fth_buf b = FTH_BUF_INIT;
    uLong h = adler32(0L, Z_NULL, 0);
    const unsigned char *p = (const unsigned char *)args[0]->u.str.ptr;
    size_t n = args[0]->u.str.len;
    SPRIG_UNUSED;
    while (n) {
        uInt k = n > 1u << 30 ? 1u << 30 : (uInt)n;
        h = adler32(h, p, k);
        p += k;
        n -= k;
    }
    return sprig_ret_buf(out, call, &b, fth_buf_printf(&b, "%lu", (unsigned long)h));
}

const struct fth_tmpl_func tmpl_sprig_encoding[] = {
    {"b64enc", "s", f_b64enc, NULL},         {"b64dec", "s", f_b64dec, NULL},
    {"b32enc", "s", f_b32enc, NULL},         {"b32dec", "s", f_b32dec, NULL},
    {"sha1sum", "s", f_sha1sum, NULL},       {"sha256sum", "s", f_sha256sum, NULL},
    {"adler32sum", "s", f_adler32sum, NULL}, {NULL, NULL, NULL, NULL},
};
