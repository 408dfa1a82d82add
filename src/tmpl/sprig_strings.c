/*
 * Sprig's string functions (strings.go, goutils, xstrings v1.3) with Go's semantics: byte
 * offsets where Go slices bytes (trunc, substr, abbrev), runes where Go ranges over runes,
 * Go's runtime panics as errors (substr out of range), pipeline order (the piped string is the
 * last argument).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "sprig_int.h"

/* ---- runes ---- */

size_t sprig_rune(const char *s, size_t n, unsigned *r)
{
    size_t k;
    if (n == 0) {
        *r = 0xFFFD;
        return 0;
    }
    if ((unsigned char)s[0] < 0x80) {
        *r = (unsigned char)s[0];
        return 1;
    }
    k = fth_utf8_len((const unsigned char *)s, n, r);
    if (k == 0) {
        *r = 0xFFFD;
        return 1;
    }
    return k;
}

int sprig_put_rune(struct fth_buf *b, unsigned r)
{
    char t[4];
    if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        r = 0xFFFD;
    if (r < 0x80)
        return fth_buf_putc(b, (char)r);
    if (r < 0x800) {
        t[0] = (char)(0xC0 | (r >> 6));
        t[1] = (char)(0x80 | (r & 0x3F));
        return fth_buf_put(b, t, 2);
    }
    if (r < 0x10000) {
        t[0] = (char)(0xE0 | (r >> 12));
        t[1] = (char)(0x80 | ((r >> 6) & 0x3F));
        t[2] = (char)(0x80 | (r & 0x3F));
        return fth_buf_put(b, t, 3);
    }
    t[0] = (char)(0xF0 | (r >> 18));
    t[1] = (char)(0x80 | ((r >> 12) & 0x3F));
    t[2] = (char)(0x80 | ((r >> 6) & 0x3F));
    t[3] = (char)(0x80 | (r & 0x3F));
    return fth_buf_put(b, t, 4);
}

unsigned sprig_to_lower(unsigned r)
{
    if (r >= 'A' && r <= 'Z')
        return r + 32;
    if (r < 0x80)
        return r;
    if (r >= 0xC0 && r <= 0xDE && r != 0xD7)
        return r + 32;
    if ((r >= 0x100 && r <= 0x137 && !(r & 1)) || (r >= 0x139 && r <= 0x148 && (r & 1)) ||
        (r >= 0x14A && r <= 0x177 && !(r & 1)) || (r >= 0x179 && r <= 0x17E && (r & 1)))
        return r + 1;
    if (r == 0x130)
        return 'i';
    if (r == 0x178)
        return 0xFF;
    if ((r >= 0x391 && r <= 0x3A9 && r != 0x3A2))
        return r + 32;
    if (r == 0x386)
        return 0x3AC;
    if (r >= 0x388 && r <= 0x38A)
        return r + 37;
    if (r == 0x38C)
        return 0x3CC;
    if (r == 0x38E || r == 0x38F)
        return r + 63;
    if (r >= 0x410 && r <= 0x42F)
        return r + 32;
    if (r >= 0x400 && r <= 0x40F)
        return r + 80;
    return r;
}

unsigned sprig_to_upper(unsigned r)
{
    if (r >= 'a' && r <= 'z')
        return r - 32;
    if (r < 0x80)
        return r;
    if (r == 0xB5)
        return 0x39C;
    if (r >= 0xE0 && r <= 0xFE && r != 0xF7)
        return r - 32;
    if (r == 0xFF)
        return 0x178;
    if ((r >= 0x101 && r <= 0x137 && (r & 1)) || (r >= 0x13A && r <= 0x148 && !(r & 1)) ||
        (r >= 0x14B && r <= 0x177 && (r & 1)) || (r >= 0x17A && r <= 0x17E && !(r & 1)))
        return r - 1;
    if (r == 0x131)
        return 'I';
    if (r == 0x17F)
        return 'S';
    if (r == 0x3C2)
        return 0x3A3;
    if (r >= 0x3B1 && r <= 0x3CB)
        return r - 32;
    if (r == 0x3AC)
        return 0x386;
    if (r >= 0x3AD && r <= 0x3AF)
        return r - 37;
    if (r == 0x3CC)
        return 0x38C;
    if (r == 0x3CD || r == 0x3CE)
        return r - 63;
    if (r >= 0x430 && r <= 0x44F)
        return r - 32;
    if (r >= 0x450 && r <= 0x45F)
        return r - 80;
    return r;
}

int sprig_is_upper(unsigned r)
{
    return sprig_to_lower(r) != r;
}

int sprig_is_lower(unsigned r)
{
    return sprig_to_upper(r) != r || r == 0xDF || r == 0x138 || r == 0x149;
}

int sprig_is_space(unsigned r)
{
    switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return 1;
    default:
        return r >= 0x2000 && r <= 0x200A;
    }
}

int sprig_is_digit(unsigned r)
{
    return (r >= '0' && r <= '9') || r == 0xB2 || r == 0xB3 || r == 0xB9 ||
           (r >= 0xBC && r <= 0xBE) || (r >= 0x660 && r <= 0x669) || (r >= 0x6F0 && r <= 0x6F9) ||
           (r >= 0x966 && r <= 0x96F) || (r >= 0xFF10 && r <= 0xFF19);
}

int sprig_is_letter(unsigned r)
{
    if (r < 0x80)
        return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
    if (r < 0x100)
        return r == 0xAA || r == 0xB5 || r == 0xBA || (r >= 0xC0 && r != 0xD7 && r != 0xF7);
    if (sprig_is_space(r) || sprig_is_digit(r))
        return 0;
    /* general punctuation, symbols and CJK punctuation are not letters; most else is */
    return !(r >= 0x2000 && r <= 0x2BFF) && !(r >= 0x3000 && r <= 0x303F) &&
           !(r >= 0xFF00 && r <= 0xFF20) && !(r >= 0xD800 && r <= 0xDFFF) && r != 0xFFFD;
}

int sprig_random(void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len) {
        ssize_t n = getrandom(p, len, 0);
        if (n <= 0)
            return FTH_EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

uint64_t sprig_random_below(uint64_t n)
{
    uint64_t x = 0, lim;
    if (n <= 1)
        return 0;
    lim = UINT64_MAX - UINT64_MAX % n;
    do {
        if (sprig_random(&x, sizeof(x)) < 0)
            return 0;
    } while (x >= lim);
    return x % n;
}

/* ---- helpers ---- */

#define S(i) (args[i]->u.str.ptr)
#define L(i) (args[i]->u.str.len)

static int too_long(struct fth_tmpl_call *call, size_t n)
{
    if (n > FTH_LIMIT_TMPL_OUTPUT)
        return fth_tmpl_fail(call, "result of %s would exceed %zu bytes", call->func->name,
                             (size_t)FTH_LIMIT_TMPL_OUTPUT);
    return 0;
}

/* Map every rune through fn, as strings.Map does (bad bytes become U+FFFD). */
static int map_runes(struct fth_buf *b, const char *s, size_t n, unsigned (*fn)(unsigned))
{
    size_t i = 0, k;
    unsigned r;
    int error = 0;
    while (i < n && error == 0) {
        k = sprig_rune(s + i, n - i, &r);
        error = sprig_put_rune(b, fn(r));
        i += k;
    }
    return error;
}

/* strings.Index with an empty needle at 0. */
static const char *find(const char *h, size_t hn, const char *nd, size_t nn)
{
    size_t i;
    if (nn == 0)
        return h;
    if (nn > hn)
        return NULL;
    for (i = 0; i + nn <= hn; i++)
        if (h[i] == nd[0] && !memcmp(h + i, nd, nn))
            return h + i;
    return NULL;
}

/* ---- the functions ---- */

SPRIG_FN(f_hello)
{
    (void)args;
    SPRIG_UNUSED;
    return sprig_ret_str(out, call, "Hello!", 6);
}

/* goutils.AbbreviateFull: "" on its errors. */
static int abbreviate(struct fth_buf *b, const char *s, size_t n, int64_t offset, int64_t width)
{
    int64_t len = (int64_t)n;
    if (n == 0)
        return 0;
    if (width < 4)
        return 0;
    if (len <= width)
        return fth_buf_put(b, s, n);
    if (offset > len)
        offset = len;
    if (len - offset < width - 3)
        offset = len - (width - 3);
    if (offset <= 4) {
        int error = fth_buf_put(b, s, (size_t)(width - 3));
        return error ? error : fth_buf_puts(b, "...");
    }
    if (width < 7)
        return 0;
    if (offset + width - 3 < len) {
        int error = fth_buf_puts(b, "...");
        return error ? error : abbreviate(b, s + offset, (size_t)(len - offset), 0, width - 3);
    }
    {
        int error = fth_buf_puts(b, "...");
        return error ? error : fth_buf_put(b, s + len - (width - 3), (size_t)(width - 3));
    }
}

SPRIG_FN(f_abbrev)
{
    struct fth_buf b = FTH_BUF_INIT;
    int64_t w = args[0]->u.integer;
    SPRIG_UNUSED;
    if (w < 4)
        return sprig_ret(out, args[1]);
    return sprig_ret_buf(out, call, &b, abbreviate(&b, S(1), L(1), 0, w));
}

SPRIG_FN(f_abbrevboth)
{
    struct fth_buf b = FTH_BUF_INIT;
    int64_t left = args[0]->u.integer, right = args[1]->u.integer;
    SPRIG_UNUSED;
    if (right < 4 || (left > 0 && right < 7))
        return sprig_ret(out, args[2]);
    return sprig_ret_buf(out, call, &b, abbreviate(&b, S(2), L(2), left, right));
}

SPRIG_FN(f_trunc)
{
    int64_t c = args[0]->u.integer, n = (int64_t)L(1);
    SPRIG_UNUSED;
    if (c < 0 && n + c > 0)
        return sprig_ret_str(out, call, S(1) + n + c, (size_t)(-c));
    if (c >= 0 && n > c)
        return sprig_ret_str(out, call, S(1), (size_t)c);
    return sprig_ret(out, args[1]);
}

/* The last rune of s[0:n) as utf8.DecodeLastRune reads it: its size, U+FFFD for a bad byte. */
static size_t last_rune(const char *s, size_t n, unsigned *r)
{
    size_t st = n - 1;
    while (st > 0 && n - st < 4 && ((unsigned char)s[st] & 0xC0) == 0x80)
        st--;
    if (sprig_rune(s + st, n - st, r) == n - st)
        return n - st;
    *r = 0xFFFD;
    return 1;
}

/* strings.TrimSpace */
static void trim_space(const char **s, size_t *n)
{
    size_t i = 0, k;
    unsigned r;
    while (i < *n) {
        k = sprig_rune(*s + i, *n - i, &r);
        if (!sprig_is_space(r))
            break;
        i += k;
    }
    *s += i;
    *n -= i;
    while (*n > 0) {
        k = last_rune(*s, *n, &r);
        if (!sprig_is_space(r))
            break;
        *n -= k;
    }
}

SPRIG_FN(f_trim)
{
    const char *s = S(0);
    size_t n = L(0);
    SPRIG_UNUSED;
    trim_space(&s, &n);
    return sprig_ret_str(out, call, s, n);
}

SPRIG_FN(f_upper)
{
    struct fth_buf b = FTH_BUF_INIT;
    SPRIG_UNUSED;
    return sprig_ret_buf(out, call, &b, map_runes(&b, S(0), L(0), sprig_to_upper));
}

SPRIG_FN(f_lower)
{
    struct fth_buf b = FTH_BUF_INIT;
    SPRIG_UNUSED;
    return sprig_ret_buf(out, call, &b, map_runes(&b, S(0), L(0), sprig_to_lower));
}

/* strings.Title's isSeparator */
static int title_sep(unsigned r)
{
    if (r <= 0x7F)
        return !((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') ||
                 r == '_');
    if (sprig_is_letter(r) || sprig_is_digit(r))
        return 0;
    return sprig_is_space(r);
}

SPRIG_FN(f_title)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *s = S(0);
    size_t n = L(0), i = 0, k;
    unsigned r, prev = ' ';
    int error = 0;
    SPRIG_UNUSED;
    while (i < n && error == 0) {
        k = sprig_rune(s + i, n - i, &r);
        error = sprig_put_rune(&b, title_sep(prev) ? sprig_to_upper(r) : r);
        prev = r;
        i += k;
    }
    return sprig_ret_buf(out, call, &b, error);
}

/* goutils.Uncapitalize: lower the first rune of each whitespace-separated word */
SPRIG_FN(f_untitle)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *s = S(0);
    size_t n = L(0), i = 0, k;
    unsigned r;
    int next = 1, error = 0;
    SPRIG_UNUSED;
    while (i < n && error == 0) {
        k = sprig_rune(s + i, n - i, &r);
        if (sprig_is_space(r)) {
            next = 1;
        } else if (next) {
            r = sprig_to_lower(r);
            next = 0;
        }
        error = sprig_put_rune(&b, r);
        i += k;
    }
    return sprig_ret_buf(out, call, &b, error);
}

static int slice_panic(struct fth_tmpl_call *call, int64_t lo, int64_t hi, int64_t len, int form)
{
    /* Go's runtime boundsError texts for s[:hi], s[lo:] and s[lo:hi] */
    if (form == 0) {
        if (hi < 0)
            return fth_tmpl_fail(call, "runtime error: slice bounds out of range [:%lld]",
                                 (long long)hi);
        return fth_tmpl_fail(call,
                             "runtime error: slice bounds out of range [:%lld] with length %lld",
                             (long long)hi, (long long)len);
    }
    if (lo < 0)
        return fth_tmpl_fail(call, "runtime error: slice bounds out of range [%lld:]",
                             (long long)lo);
    return fth_tmpl_fail(call, "runtime error: slice bounds out of range [%lld:%lld]",
                         (long long)lo, (long long)hi);
}

SPRIG_FN(f_substr)
{
    int64_t start = args[0]->u.integer, end = args[1]->u.integer, n = (int64_t)L(2);
    SPRIG_UNUSED;
    if (start < 0) {
        if (end < 0 || end > n)
            return slice_panic(call, 0, end, n, 0);
        return sprig_ret_str(out, call, S(2), (size_t)end);
    }
    if (end < 0 || end > n) {
        if (start > n)
            return slice_panic(call, start, n, n, 1);
        return sprig_ret_str(out, call, S(2) + start, (size_t)(n - start));
    }
    if (start > end)
        return slice_panic(call, start, end, n, 1);
    return sprig_ret_str(out, call, S(2) + start, (size_t)(end - start));
}

SPRIG_FN(f_repeat)
{
    struct fth_buf b = FTH_BUF_INIT;
    int64_t c = args[0]->u.integer, i;
    int error = 0;
    SPRIG_UNUSED;
    if (c < 0)
        return fth_tmpl_fail(call, "strings: negative Repeat count");
    if (L(1) && (uint64_t)c > (uint64_t)INT64_MAX / L(1))
        return fth_tmpl_fail(call, "strings: Repeat output length overflow");
    if ((error = too_long(call, (size_t)c * L(1))) < 0)
        return error;
    for (i = 0; i < c && L(1) && error == 0; i++)
        error = fth_buf_put(&b, S(1), L(1));
    return sprig_ret_buf(out, call, &b, error);
}

static int in_cutset(const char *cut, size_t cn, unsigned r)
{
    size_t i = 0, k;
    unsigned c;
    while (i < cn) {
        k = sprig_rune(cut + i, cn - i, &c);
        if (c == r)
            return 1;
        i += k;
    }
    return 0;
}

/* strings.Trim(b, a): runes of the cutset a from both ends of b */
SPRIG_FN(f_trim_all)
{
    const char *s = S(1), *cut = S(0);
    size_t n = L(1), cn = L(0), i = 0, k, end;
    unsigned r;
    SPRIG_UNUSED;
    if (n == 0 || cn == 0)
        return sprig_ret(out, args[1]);
    while (i < n) {
        k = sprig_rune(s + i, n - i, &r);
        if (!in_cutset(cut, cn, r))
            break;
        i += k;
    }
    end = n;
    while (end > i) {
        k = last_rune(s + i, end - i, &r);
        if (!in_cutset(cut, cn, r))
            break;
        end -= k;
    }
    return sprig_ret_str(out, call, s + i, end - i);
}

SPRIG_FN(f_trim_suffix)
{
    SPRIG_UNUSED;
    if (L(1) >= L(0) && !memcmp(S(1) + L(1) - L(0), S(0), L(0)))
        return sprig_ret_str(out, call, S(1), L(1) - L(0));
    return sprig_ret(out, args[1]);
}

SPRIG_FN(f_trim_prefix)
{
    SPRIG_UNUSED;
    if (L(1) >= L(0) && !memcmp(S(1), S(0), L(0)))
        return sprig_ret_str(out, call, S(1) + L(0), L(1) - L(0));
    return sprig_ret(out, args[1]);
}

/* goutils.DeleteWhiteSpace works on bytes: a byte >= 0x80 kept is written as the rune of
 * that value (so multi-byte characters change when anything was removed). */
static int byte_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
}

SPRIG_FN(f_nospace)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t i, count = 0;
    int error = 0;
    SPRIG_UNUSED;
    for (i = 0; i < L(0); i++)
        count += !byte_space((unsigned char)S(0)[i]);
    if (count == L(0))
        return sprig_ret(out, args[0]);
    for (i = 0; i < L(0) && error == 0; i++)
        if (!byte_space((unsigned char)S(0)[i]))
            error = sprig_put_rune(&b, (unsigned char)S(0)[i]);
    return sprig_ret_buf(out, call, &b, error);
}

/* goutils.Initials: bytes again */
SPRIG_FN(f_initials)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t i;
    int gap = 1, error = 0;
    SPRIG_UNUSED;
    for (i = 0; i < L(0) && error == 0; i++) {
        unsigned char c = (unsigned char)S(0)[i];
        if (byte_space(c)) {
            gap = 1;
        } else if (gap) {
            error = sprig_put_rune(&b, c);
            gap = 0;
        }
    }
    return sprig_ret_buf(out, call, &b, error);
}

static int rand_string(struct fth_value **out, struct fth_tmpl_call *call, int64_t count,
                       const char *set)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t n = strlen(set);
    int64_t i;
    int error;
    if (count <= 0)
        return sprig_ret_str(out, call, "", 0);
    if ((error = too_long(call, (size_t)count)) < 0)
        return error;
    for (i = 0; i < count && error == 0; i++)
        error = fth_buf_putc(&b, set[sprig_random_below(n)]);
    return sprig_ret_buf(out, call, &b, error);
}

#define ALPHA "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS "0123456789"

SPRIG_FN(f_rand_alnum)
{
    SPRIG_UNUSED;
    return rand_string(out, call, args[0]->u.integer, ALPHA DIGITS);
}

SPRIG_FN(f_rand_alpha)
{
    SPRIG_UNUSED;
    return rand_string(out, call, args[0]->u.integer, ALPHA);
}

SPRIG_FN(f_rand_numeric)
{
    SPRIG_UNUSED;
    return rand_string(out, call, args[0]->u.integer, DIGITS);
}

SPRIG_FN(f_rand_ascii)
{
    char set[96];
    int i;
    SPRIG_UNUSED;
    for (i = 0; i < 95; i++)
        set[i] = (char)(32 + i);
    set[95] = 0;
    return rand_string(out, call, args[0]->u.integer, set);
}

/* goutils.SwapCase: upper to lower, lower to upper (its title case after whitespace is the
 * upper case for every script handled here) */
SPRIG_FN(f_swapcase)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t i = 0, k;
    unsigned r;
    int error = 0;
    SPRIG_UNUSED;
    while (i < L(0) && error == 0) {
        k = sprig_rune(S(0) + i, L(0) - i, &r);
        if (sprig_is_upper(r))
            r = sprig_to_lower(r);
        else if (sprig_is_lower(r))
            r = sprig_to_upper(r);
        error = sprig_put_rune(&b, r);
        i += k;
    }
    return sprig_ret_buf(out, call, &b, error);
}

SPRIG_FN(f_shuffle)
{
    struct fth_buf b = FTH_BUF_INIT;
    unsigned *runes;
    size_t n = 0, i = 0, k;
    int error = 0;
    SPRIG_UNUSED;
    if (L(0) == 0)
        return sprig_ret(out, args[0]);
    if (!(runes = fth_arena_calloc(call->arena, L(0), sizeof(*runes))))
        return FTH_ENOMEM;
    while (i < L(0)) {
        k = sprig_rune(S(0) + i, L(0) - i, &runes[n++]);
        i += k;
    }
    for (i = n - 1; i > 0; i--) {
        size_t j = (size_t)sprig_random_below(i + 1);
        unsigned t = runes[i];
        runes[i] = runes[j];
        runes[j] = t;
    }
    for (i = 0; i < n && error == 0; i++)
        error = sprig_put_rune(&b, runes[i]);
    return sprig_ret_buf(out, call, &b, error);
}

/* xstrings v1.3 camelCaseToLowerCase, rune for rune (quirks included). */
static int to_lower_case(struct fth_buf *b, const char *s, size_t n, unsigned conn)
{
    unsigned prev, r0 = conn, r1;
    size_t i = 0;
    int error = 0;
    while (i < n && error == 0) {
        prev = r0;
        i += sprig_rune(s + i, n - i, &r0);
        if (r0 == 0xFFFD) {
            error = sprig_put_rune(b, r0);
        } else if (sprig_is_upper(r0)) {
            if (prev != conn && !sprig_is_digit(prev))
                error = sprig_put_rune(b, conn);
            if (error == 0)
                error = sprig_put_rune(b, sprig_to_lower(r0));
            if (i >= n || error)
                continue;
            i += sprig_rune(s + i, n - i, &r0);
            if (!sprig_is_upper(r0)) {
                error = sprig_put_rune(b, r0);
                continue;
            }
            while (i < n && error == 0) {
                r1 = r0;
                i += sprig_rune(s + i, n - i, &r0);
                if (r0 == 0xFFFD) {
                    if ((error = sprig_put_rune(b, sprig_to_lower(r1))) == 0)
                        error = sprig_put_rune(b, r0);
                    break;
                }
                if (!sprig_is_upper(r0)) {
                    if (r0 == '_' || r0 == ' ' || r0 == '-') {
                        r0 = conn;
                        error = sprig_put_rune(b, sprig_to_lower(r1));
                    } else if (sprig_is_digit(r0)) {
                        if ((error = sprig_put_rune(b, sprig_to_lower(r1))) == 0 &&
                            (error = sprig_put_rune(b, conn)) == 0)
                            error = sprig_put_rune(b, r0);
                    } else {
                        if ((error = sprig_put_rune(b, conn)) == 0 &&
                            (error = sprig_put_rune(b, sprig_to_lower(r1))) == 0)
                            error = sprig_put_rune(b, r0);
                    }
                    break;
                }
                error = sprig_put_rune(b, sprig_to_lower(r1));
            }
            if (error == 0 && (i >= n || r0 == conn))
                error = sprig_put_rune(b, sprig_to_lower(r0));
        } else if (sprig_is_digit(r0)) {
            if (prev != conn && !sprig_is_digit(prev))
                error = sprig_put_rune(b, conn);
            if (error == 0)
                error = sprig_put_rune(b, r0);
        } else {
            if (r0 == ' ' || r0 == '-' || r0 == '_')
                r0 = conn;
            error = sprig_put_rune(b, r0);
        }
    }
    return error;
}

SPRIG_FN(f_snakecase)
{
    struct fth_buf b = FTH_BUF_INIT;
    SPRIG_UNUSED;
    return sprig_ret_buf(out, call, &b, to_lower_case(&b, S(0), L(0), '_'));
}

SPRIG_FN(f_kebabcase)
{
    struct fth_buf b = FTH_BUF_INIT;
    SPRIG_UNUSED;
    return sprig_ret_buf(out, call, &b, to_lower_case(&b, S(0), L(0), '-'));
}

/* xstrings v1.3 ToCamelCase */
SPRIG_FN(f_camelcase)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *s = S(0);
    size_t n = L(0), i = 0;
    unsigned r0 = 0, r1;
    int error = 0;
    SPRIG_UNUSED;
    if (n == 0)
        return sprig_ret(out, args[0]);
    while (i < n && error == 0) {
        i += sprig_rune(s + i, n - i, &r0);
        if (r0 != '_')
            break;
        error = sprig_put_rune(&b, r0);
    }
    if (i >= n) /* v1.3 drops a last rune met here ("a" gives "") */
        return sprig_ret_buf(out, call, &b, error);
    r0 = sprig_to_upper(r0);
    while (i < n && error == 0) {
        r1 = r0;
        i += sprig_rune(s + i, n - i, &r0);
        if (r1 == '_' && r0 == '_') {
            error = sprig_put_rune(&b, r1);
            continue;
        }
        r0 = r1 == '_' ? sprig_to_upper(r0) : sprig_to_lower(r0);
        if (r1 != '_')
            error = sprig_put_rune(&b, r1);
    }
    if (error == 0)
        error = sprig_put_rune(&b, r0);
    return sprig_ret_buf(out, call, &b, error);
}

/* goutils.WrapCustom */
static int wrap_custom(struct fth_buf *b, const char *s, size_t n, int64_t wl, const char *nl,
                       size_t nll, int long_words)
{
    size_t off = 0;
    int error = 0;
    if (n == 0)
        return 0;
    if (nll == 0) {
        nl = "\n";
        nll = 1;
    }
    if (wl < 1)
        wl = 1;
    while (error == 0 && (int64_t)(n - off) > wl) {
        size_t end, j;
        int64_t sp = -1;
        if (s[off] == ' ') {
            off++;
            continue;
        }
        end = (size_t)wl + off + 1;
        for (j = end; j > off; j--)
            if (s[j - 1] == ' ') {
                sp = (int64_t)(j - 1);
                break;
            }
        if (sp >= (int64_t)off) {
            if ((error = fth_buf_put(b, s + off, (size_t)sp - off)) == 0)
                error = fth_buf_put(b, nl, nll);
            off = (size_t)sp + 1;
        } else if (long_words) {
            if ((error = fth_buf_put(b, s + off, (size_t)wl)) == 0)
                error = fth_buf_put(b, nl, nll);
            off += (size_t)wl;
        } else {
            const char *p;
            end = (size_t)wl + off;
            p = memchr(s + end, ' ', n - end);
            if (!p) {
                error = fth_buf_put(b, s + off, n - off);
                off = n;
            } else {
                if ((error = fth_buf_put(b, s + off, (size_t)(p - s) - off)) == 0)
                    error = fth_buf_put(b, nl, nll);
                off = (size_t)(p - s) + 1;
            }
        }
    }
    if (error == 0)
        error = fth_buf_put(b, s + off, n - off);
    return error;
}

SPRIG_FN(f_wrap)
{
    struct fth_buf b = FTH_BUF_INIT;
    SPRIG_UNUSED;
    return sprig_ret_buf(out, call, &b, wrap_custom(&b, S(1), L(1), args[0]->u.integer, "", 0, 0));
}

SPRIG_FN(f_wrap_with)
{
    struct fth_buf b = FTH_BUF_INIT;
    SPRIG_UNUSED;
    return sprig_ret_buf(out, call, &b,
                         wrap_custom(&b, S(2), L(2), args[0]->u.integer, S(1), L(1), 1));
}

SPRIG_FN(f_contains)
{
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_bool(call->arena, find(S(1), L(1), S(0), L(0)) != NULL));
}

SPRIG_FN(f_has_prefix)
{
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_bool(call->arena, L(1) >= L(0) && !memcmp(S(1), S(0), L(0))));
}

SPRIG_FN(f_has_suffix)
{
    SPRIG_UNUSED;
    return sprig_ret(
        out, fth_tmpl_bool(call->arena, L(1) >= L(0) && !memcmp(S(1) + L(1) - L(0), S(0), L(0))));
}

SPRIG_FN(f_quote)
{
    struct fth_buf b = FTH_BUF_INIT, t = FTH_BUF_INIT;
    size_t i;
    int error = 0, first = 1;
    for (i = 0; i < argc && error == 0; i++) {
        if (sprig_is_nil(args[i]))
            continue;
        fth_buf_clear(&t);
        if (!first)
            error = fth_buf_putc(&b, ' ');
        first = 0;
        if (error == 0 && (error = sprig_strval(&t, args[i])) == 0)
            error = fth_tmpl_quote(&b, t.ptr, t.len);
    }
    fth_buf_release(&t);
    return sprig_ret_buf(out, call, &b, error);
}

SPRIG_FN(f_squote)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t i;
    int error = 0, first = 1;
    for (i = 0; i < argc && error == 0; i++) {
        if (sprig_is_nil(args[i]))
            continue;
        if (!first)
            error = fth_buf_putc(&b, ' ');
        first = 0;
        if (error == 0 && (error = fth_buf_putc(&b, '\'')) == 0 &&
            (error = fth_tmpl_fmt_value(&b, args[i])) == 0)
            error = fth_buf_putc(&b, '\'');
    }
    return sprig_ret_buf(out, call, &b, error);
}

SPRIG_FN(f_cat)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t i;
    int error = 0, first = 1;
    for (i = 0; i < argc && error == 0; i++) {
        if (sprig_is_nil(args[i]))
            continue;
        if (!first)
            error = fth_buf_putc(&b, ' ');
        first = 0;
        if (error == 0)
            error = fth_tmpl_fmt_value(&b, args[i]);
    }
    return sprig_ret_buf(out, call, &b, error);
}

static int indent_into(struct fth_buf *b, struct fth_tmpl_call *call, int64_t spaces, const char *s,
                       size_t n)
{
    size_t i, lines = 1;
    int error;
    int64_t k;
    if (spaces < 0)
        return fth_tmpl_fail(call, "strings: negative Repeat count");
    for (i = 0; i < n; i++)
        lines += s[i] == '\n';
    if ((uint64_t)spaces > FTH_LIMIT_TMPL_OUTPUT / lines)
        return too_long(call, (size_t)-1);
    if ((error = too_long(call, n + lines * (size_t)spaces)) < 0)
        return error;
    for (k = 0; k < spaces; k++)
        if ((error = fth_buf_putc(b, ' ')) < 0)
            return error;
    for (i = 0; i < n; i++) {
        if ((error = fth_buf_putc(b, s[i])) < 0)
            return error;
        if (s[i] == '\n')
            for (k = 0; k < spaces; k++)
                if ((error = fth_buf_putc(b, ' ')) < 0)
                    return error;
    }
    return 0;
}

SPRIG_FN(f_indent)
{
    struct fth_buf b = FTH_BUF_INIT;
    SPRIG_UNUSED;
    return sprig_ret_buf(out, call, &b, indent_into(&b, call, args[0]->u.integer, S(1), L(1)));
}

SPRIG_FN(f_nindent)
{
    struct fth_buf b = FTH_BUF_INIT;
    int error;
    SPRIG_UNUSED;
    if ((error = fth_buf_putc(&b, '\n')) == 0)
        error = indent_into(&b, call, args[0]->u.integer, S(1), L(1));
    return sprig_ret_buf(out, call, &b, error);
}

/* strings.Replace(src, old, new, -1); an empty old inserts new around every rune. */
SPRIG_FN(f_replace)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *s = S(2), *p;
    size_t n = L(2), i = 0;
    int error = 0;
    SPRIG_UNUSED;
    if (L(0) == 0) {
        unsigned r;
        if ((error = too_long(call, n + (n + 1) * L(1))) < 0)
            return error;
        error = fth_buf_put(&b, S(1), L(1));
        while (i < n && error == 0) {
            size_t k = sprig_rune(s + i, n - i, &r);
            if ((error = fth_buf_put(&b, s + i, k)) == 0)
                error = fth_buf_put(&b, S(1), L(1));
            i += k;
        }
        return sprig_ret_buf(out, call, &b, error);
    }
    while (error == 0 && (p = find(s + i, n - i, S(0), L(0)))) {
        if ((error = fth_buf_put(&b, s + i, (size_t)(p - (s + i)))) == 0)
            error = fth_buf_put(&b, S(1), L(1));
        i = (size_t)(p - s) + L(0);
        if (error == 0)
            error = too_long(call, b.len);
    }
    if (error == 0)
        error = fth_buf_put(&b, s + i, n - i);
    return sprig_ret_buf(out, call, &b, error);
}

SPRIG_FN(f_plural)
{
    (void)call;
    SPRIG_UNUSED;
    return sprig_ret(out, args[2]->u.integer == 1 ? args[0] : args[1]);
}

/* strings.SplitN: n < 0 all, n == 0 none; an empty separator splits into runes */
static int split_parts(struct fth_arena *a, struct fth_value *seq, const char *s, size_t len,
                       const char *sep, size_t slen, int64_t n)
{
    size_t i = 0;
    int64_t count = 0;
    int error;
    if (n == 0)
        return 0;
    if (slen == 0) {
        unsigned r;
        while (i < len) {
            size_t k = sprig_rune(s + i, len - i, &r);
            if (n > 0 && count == n - 1)
                k = len - i;
            if ((error = sprig_seq_push_str(a, seq, s + i, k)) < 0)
                return error;
            count++;
            i += k;
        }
        return 0;
    }
    for (;;) {
        const char *p = (n < 0 || count < n - 1) ? find(s + i, len - i, sep, slen) : NULL;
        if (!p)
            return sprig_seq_push_str(a, seq, s + i, len - i);
        if ((error = sprig_seq_push_str(a, seq, s + i, (size_t)(p - (s + i)))) < 0)
            return error;
        count++;
        i = (size_t)(p - s) + slen;
    }
}

SPRIG_FN(f_split_list)
{
    struct fth_value *r = sprig_str_seq(call->arena, 4);
    int error;
    SPRIG_UNUSED;
    if (!r)
        return FTH_ENOMEM;
    if ((error = split_parts(call->arena, r, S(1), L(1), S(0), L(0), -1)) < 0)
        return error;
    *out = r;
    return 0;
}

static int parts_map(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *seq)
{
    struct fth_value *m = fth_tmpl_map(call->arena, seq->u.seq.len);
    size_t i;
    char key[32];
    if (!m)
        return FTH_ENOMEM;
    for (i = 0; i < seq->u.seq.len; i++) {
        int kl = snprintf(key, sizeof(key), "_%zu", i);
        if (fth_tmpl_map_set(call->arena, m, key, (size_t)kl, seq->u.seq.items[i]) < 0)
            return FTH_ENOMEM;
    }
    *out = m;
    return 0;
}

SPRIG_FN(f_split)
{
    struct fth_value *r = sprig_str_seq(call->arena, 4);
    int error;
    SPRIG_UNUSED;
    if (!r)
        return FTH_ENOMEM;
    if ((error = split_parts(call->arena, r, S(1), L(1), S(0), L(0), -1)) < 0)
        return error;
    return parts_map(out, call, r);
}

SPRIG_FN(f_splitn)
{
    struct fth_value *r = sprig_str_seq(call->arena, 4);
    int error;
    SPRIG_UNUSED;
    if (!r)
        return FTH_ENOMEM;
    if ((error = split_parts(call->arena, r, S(2), L(2), S(0), L(0), args[1]->u.integer)) < 0)
        return error;
    return parts_map(out, call, r);
}

SPRIG_FN(f_join)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_value *items = NULL;
    size_t i;
    int error;
    SPRIG_UNUSED;
    if ((error = sprig_strslice(&items, call->arena, args[1])) < 0)
        return error;
    for (i = 0; i < items->u.seq.len && error == 0; i++) {
        if (i)
            error = fth_buf_put(&b, S(0), L(0));
        if (error == 0)
            error =
                fth_buf_put(&b, items->u.seq.items[i]->u.str.ptr, items->u.seq.items[i]->u.str.len);
        if (error == 0)
            error = too_long(call, b.len);
    }
    return sprig_ret_buf(out, call, &b, error);
}

static int cmp_str_values(const void *a, const void *b)
{
    const struct fth_value *x = *(const struct fth_value *const *)a;
    const struct fth_value *y = *(const struct fth_value *const *)b;
    return sprig_strcmp(x->u.str.ptr, x->u.str.len, y->u.str.ptr, y->u.str.len);
}

SPRIG_FN(f_sort_alpha)
{
    struct fth_value *items = NULL;
    int error;
    SPRIG_UNUSED;
    if (!sprig_is_list(args[0])) {
        struct fth_buf b = FTH_BUF_INIT;
        struct fth_value *r = sprig_str_seq(call->arena, 1);
        if (!r)
            return FTH_ENOMEM;
        if ((error = sprig_strval(&b, args[0])) == 0)
            error = sprig_seq_push_str(call->arena, r, b.ptr, b.len);
        fth_buf_release(&b);
        *out = r;
        return error;
    }
    if ((error = sprig_strslice(&items, call->arena, args[0])) < 0)
        return error;
    if (items->u.seq.len > 1)
        qsort(items->u.seq.items, items->u.seq.len, sizeof(items->u.seq.items[0]), cmp_str_values);
    *out = items;
    return 0;
}

const struct fth_tmpl_func tmpl_sprig_strings[] = {
    {"hello", "", f_hello, NULL},
    {"abbrev", "is", f_abbrev, NULL},
    {"abbrevboth", "iis", f_abbrevboth, NULL},
    {"trunc", "is", f_trunc, NULL},
    {"trim", "s", f_trim, NULL},
    {"upper", "s", f_upper, NULL},
    {"lower", "s", f_lower, NULL},
    {"title", "s", f_title, NULL},
    {"untitle", "s", f_untitle, NULL},
    {"substr", "iis", f_substr, NULL},
    {"repeat", "is", f_repeat, NULL},
    {"trimall", "ss", f_trim_all, NULL},
    {"trimAll", "ss", f_trim_all, NULL},
    {"trimSuffix", "ss", f_trim_suffix, NULL},
    {"trimPrefix", "ss", f_trim_prefix, NULL},
    {"nospace", "s", f_nospace, NULL},
    {"initials", "s", f_initials, NULL},
    {"randAlphaNum", "i", f_rand_alnum, NULL},
    {"randAlpha", "i", f_rand_alpha, NULL},
    {"randAscii", "i", f_rand_ascii, NULL},
    {"randNumeric", "i", f_rand_numeric, NULL},
    {"swapcase", "s", f_swapcase, NULL},
    {"shuffle", "s", f_shuffle, NULL},
    {"snakecase", "s", f_snakecase, NULL},
    {"camelcase", "s", f_camelcase, NULL},
    {"kebabcase", "s", f_kebabcase, NULL},
    {"wrap", "is", f_wrap, NULL},
    {"wrapWith", "iss", f_wrap_with, NULL},
    {"contains", "ss", f_contains, NULL},
    {"hasPrefix", "ss", f_has_prefix, NULL},
    {"hasSuffix", "ss", f_has_suffix, NULL},
    {"quote", "*a", f_quote, NULL},
    {"squote", "*a", f_squote, NULL},
    {"cat", "*a", f_cat, NULL},
    {"indent", "is", f_indent, NULL},
    {"nindent", "is", f_nindent, NULL},
    {"replace", "sss", f_replace, NULL},
    {"plural", "ssi", f_plural, NULL},
    {"split", "ss", f_split, NULL},
    {"splitList", "ss", f_split_list, NULL},
    {"splitn", "sis", f_splitn, NULL},
    {"join", "sa", f_join, NULL},
    {"sortAlpha", "a", f_sort_alpha, NULL},
    {NULL, NULL, NULL, NULL},
};
