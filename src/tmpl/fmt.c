/*
 * Go's fmt and strconv as templates see them: %v of every value kind (maps with sorted keys,
 * slices, <nil>), Sprintf's verbs, flags, width and precision with fmt's error forms
 * (%!d(string=x), %!v(MISSING), %!(EXTRA int=1)), strconv.FormatFloat and strconv.Quote.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "tmpl_int.h"

/* ---- strconv.FormatFloat ---- */

/* Decimal digits of |d| (no trailing zeros) and the decimal point position: d = 0.DIGITS x
 * 10^dp. sig <= 0: the shortest that round-trips; else rounded to sig significant digits. */
static int float_digits(double d, int sig, char *digits, int *nd, int *dp)
{
    char tmp[64], *e;
    int prec, n = 0, exp10;
    const char *p;
    d = fabs(d);
    if (d == 0) {
        digits[0] = '0';
        *nd = 1;
        *dp = 1;
        return 0;
    }
    if (sig <= 0) {
        for (prec = 1; prec <= 17; prec++) {
            snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
            if (strtod(tmp, NULL) == d)
                break;
        }
    } else {
        if (sig > 40)
            sig = 40;
        snprintf(tmp, sizeof(tmp), "%.*e", sig - 1, d);
    }
    e = strchr(tmp, 'e');
    if (!e)
        return -1;
    exp10 = (int)strtol(e + 1, NULL, 10);
    for (p = tmp; p < e; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    *nd = n;
    *dp = exp10 + 1;
    return 0;
}

static int fmt_e(struct fth_buf *out, int neg, const char *dg, int nd, int dp, int prec, char ech,
                 int zero)
{
    int i, exp = zero ? 0 : dp - 1;
    char eb[16];
    if (neg)
        fth_buf_putc(out, '-');
    fth_buf_putc(out, dg[0]);
    if (prec > 0) {
        fth_buf_putc(out, '.');
        for (i = 1; i <= prec; i++)
            fth_buf_putc(out, i < nd ? dg[i] : '0');
    }
    fth_buf_putc(out, ech);
    fth_buf_putc(out, exp < 0 ? '-' : '+');
    if (exp < 0)
        exp = -exp;
    snprintf(eb, sizeof(eb), "%02d", exp);
    return fth_buf_puts(out, eb);
}

static int fmt_f(struct fth_buf *out, int neg, const char *dg, int nd, int dp, int prec)
{
    int i;
    if (neg)
        fth_buf_putc(out, '-');
    if (dp > 0) {
        for (i = 0; i < dp; i++)
            fth_buf_putc(out, i < nd ? dg[i] : '0');
    } else {
        fth_buf_putc(out, '0');
    }
    if (prec > 0) {
        fth_buf_putc(out, '.');
        for (i = 0; i < prec; i++) {
            int j = dp + i;
            fth_buf_putc(out, j >= 0 && j < nd ? dg[j] : '0');
        }
    }
    return 0;
}

int fth_tmpl_format_float(struct fth_buf *out, double d, char fmt, int prec)
{
    char dg[64], tmp[512];
    int nd, dp, neg = signbit(d) != 0, zero = d == 0;
    if (isnan(d))
        return fth_buf_puts(out, "NaN");
    if (isinf(d))
        return fth_buf_puts(out, d < 0 ? "-Inf" : "+Inf");
    switch (fmt) {
    case 'f':
    case 'F':
        if (prec < 0) {
            if (float_digits(d, 0, dg, &nd, &dp) < 0)
                return FTH_EINVALID;
            return fmt_f(out, neg, dg, nd, dp, nd - dp > 0 ? nd - dp : 0);
        }
        if (prec > 400)
            prec = 400;
        {
            struct fth_buf b = FTH_BUF_INIT;
            int r = fth_buf_printf(&b, "%.*f", prec, d);
            if (r == 0)
                r = fth_buf_put(out, b.ptr, b.len);
            fth_buf_release(&b);
            return r;
        }
    case 'e':
    case 'E':
        if (prec < 0) {
            if (float_digits(d, 0, dg, &nd, &dp) < 0)
                return FTH_EINVALID;
            return fmt_e(out, neg, dg, nd, dp, nd - 1, fmt, zero);
        }
        if (prec > 400)
            prec = 400;
        snprintf(tmp, sizeof(tmp), "%.*e", prec, d);
        if (fmt == 'E') {
            char *e = strchr(tmp, 'e');
            if (e)
                *e = 'E';
        }
        return fth_buf_puts(out, tmp);
    case 'g':
    case 'G': {
        int shortest = prec < 0, eprec, exp;
        if (prec == 0)
            prec = 1;
        if (prec > 400)
            prec = 400;
        if (float_digits(d, shortest ? 0 : prec, dg, &nd, &dp) < 0)
            return FTH_EINVALID;
        if (zero) {
            nd = 1;
            dp = 1;
        }
        if (shortest)
            prec = nd;
        eprec = prec;
        if (eprec > nd && nd >= dp)
            eprec = nd;
        if (shortest)
            eprec = 6;
        exp = dp - 1;
        if (zero)
            exp = 0;
        if (exp < -4 || exp >= eprec) {
            if (prec > nd)
                prec = nd;
            return fmt_e(out, neg, dg, nd, dp, prec - 1, fmt == 'g' ? 'e' : 'E', zero);
        }
        if (prec > dp)
            prec = nd;
        return fmt_f(out, neg, dg, nd, zero ? 1 : dp, prec - dp > 0 ? prec - dp : 0);
    }
    }
    return FTH_EINVALID;
}

/* ---- strconv.Quote ---- */

static int is_print_rune(unsigned r)
{
    if (r < 0x20 || r == 0x7f)
        return 0;
    if (r < 0x7f)
        return 1;
    if (r < 0xa0 || r == 0xad)
        return 0;
    if ((r >= 0x200b && r <= 0x200f) || (r >= 0x2028 && r <= 0x202e) ||
        (r >= 0x2060 && r <= 0x206f) || r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb) ||
        (r >= 0xe000 && r <= 0xf8ff) || r == 0xfffe || r == 0xffff || r >= 0xf0000)
        return 0;
    return 1;
}

static int quote_with(struct fth_buf *out, const char *s, size_t len, char q)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0;
    fth_buf_putc(out, q);
    while (i < len) {
        unsigned r = 0;
        unsigned char c = (unsigned char)s[i];
        size_t z = fth_utf8_len((const unsigned char *)s + i, len - i, &r);
        char b[16];
        if (!z) {
            b[0] = '\\';
            b[1] = 'x';
            b[2] = hex[c >> 4];
            b[3] = hex[c & 15];
            fth_buf_put(out, b, 4);
            i++;
            continue;
        }
        if (r == (unsigned char)q || r == '\\') {
            fth_buf_putc(out, '\\');
            fth_buf_putc(out, (char)r);
        } else if (is_print_rune(r)) {
            fth_buf_put(out, s + i, z);
        } else {
            switch (r) {
            case '\a':
                fth_buf_puts(out, "\\a");
                break;
            case '\b':
                fth_buf_puts(out, "\\b");
                break;
            case '\f':
                fth_buf_puts(out, "\\f");
                break;
            case '\n':
                fth_buf_puts(out, "\\n");
                break;
            case '\r':
                fth_buf_puts(out, "\\r");
                break;
            case '\t':
                fth_buf_puts(out, "\\t");
                break;
            case '\v':
                fth_buf_puts(out, "\\v");
                break;
            default:
                if (r < 0x20 || r == 0x7f) {
                    b[0] = '\\';
                    b[1] = 'x';
                    b[2] = hex[r >> 4];
                    b[3] = hex[r & 15];
                    fth_buf_put(out, b, 4);
                } else if (r < 0x10000) {
                    snprintf(b, sizeof(b), "\\u%04x", r);
                    fth_buf_puts(out, b);
                } else {
                    snprintf(b, sizeof(b), "\\U%08x", r);
                    fth_buf_puts(out, b);
                }
            }
        }
        i += z;
    }
    return fth_buf_putc(out, q);
}

int fth_tmpl_quote(struct fth_buf *out, const char *s, size_t len)
{
    return quote_with(out, s, len, '"');
}

/* ---- %v ---- */

static int cmp_members(const void *a, const void *b)
{
    const struct fth_member *x = a, *y = b;
    const struct fth_value *kx = x->key, *ky = y->key;
    size_t n;
    int c;
    if (!kx || kx->type != FTH_VALUE_STRING || !ky || ky->type != FTH_VALUE_STRING)
        return 0;
    n = kx->u.str.len < ky->u.str.len ? kx->u.str.len : ky->u.str.len;
    c = memcmp(kx->u.str.ptr, ky->u.str.ptr, n);
    if (c)
        return c;
    return kx->u.str.len < ky->u.str.len ? -1 : kx->u.str.len > ky->u.str.len;
}

/* The members of a map sorted by key, in a malloc'd array (freed by the caller). */
static struct fth_member *sorted_members(const struct fth_value *m)
{
    struct fth_member *s;
    size_t n = m->u.map.len;
    s = malloc((n ? n : 1) * sizeof(*s));
    if (!s)
        return NULL;
    if (n)
        memcpy(s, m->u.map.items, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_members);
    return s;
}

struct spec {
    int minus, plus, sharp, space, zero;
    int wid, prec; /* -1: absent */
    char verb;
};

static int print_value(struct fth_buf *out, const struct fth_value *v, const struct spec *sp,
                       int depth);

static size_t rune_count(const char *s, size_t n)
{
    size_t i = 0, c = 0;
    while (i < n) {
        size_t z = fth_utf8_len((const unsigned char *)s + i, n - i, NULL);
        i += z ? z : 1;
        c++;
    }
    return c;
}

/* Write s padded to the width of sp. */
static int pad(struct fth_buf *out, const char *s, size_t n, const struct spec *sp)
{
    size_t w = rune_count(s, n), k;
    if (sp->wid < 0 || (size_t)sp->wid <= w)
        return fth_buf_put(out, s, n);
    if (sp->minus) {
        fth_buf_put(out, s, n);
        for (k = w; k < (size_t)sp->wid; k++)
            fth_buf_putc(out, ' ');
        return 0;
    }
    for (k = w; k < (size_t)sp->wid; k++)
        fth_buf_putc(out, sp->zero ? '0' : ' ');
    return fth_buf_put(out, s, n);
}

/* A signed number: zero padding goes after the sign. */
static int pad_num(struct fth_buf *out, const char *s, size_t n, const struct spec *sp)
{
    if (sp->zero && !sp->minus && sp->wid > 0 && (size_t)sp->wid > n && n &&
        (s[0] == '-' || s[0] == '+' || s[0] == ' ')) {
        size_t k;
        fth_buf_putc(out, s[0]);
        for (k = n; k < (size_t)sp->wid; k++)
            fth_buf_putc(out, '0');
        return fth_buf_put(out, s + 1, n - 1);
    }
    return pad(out, s, n, sp);
}

static int bad_verb(struct fth_buf *out, const struct fth_value *v, char verb)
{
    static const struct spec plain = {0, 0, 0, 0, 0, -1, -1, 'v'};
    fth_buf_puts(out, "%!");
    fth_buf_putc(out, verb);
    fth_buf_putc(out, '(');
    if (!v || v->type == FTH_VALUE_NULL) {
        fth_buf_puts(out, "<nil>");
    } else {
        fth_buf_puts(out, fth_tmpl_type_name(v));
        fth_buf_putc(out, '=');
        print_value(out, v, &plain, 0);
    }
    return fth_buf_putc(out, ')');
}

static int fmt_int(struct fth_buf *out, int64_t iv, int is_int64, const struct spec *sp,
                   const struct fth_value *v)
{
    char buf[160], *p = buf + sizeof(buf);
    uint64_t u = iv < 0 ? (uint64_t)0 - (uint64_t)iv : (uint64_t)iv;
    int base = 10, upper = 0, prec = sp->prec, nd = 0;
    const char *digits;
    (void)is_int64;
    switch (sp->verb) {
    case 'v':
    case 'd':
        break;
    case 'b':
        base = 2;
        break;
    case 'o':
    case 'O':
        base = 8;
        break;
    case 'x':
        base = 16;
        break;
    case 'X':
        base = 16;
        upper = 1;
        break;
    case 'c': {
        struct fth_buf b = FTH_BUF_INIT;
        unsigned r =
            iv < 0 || iv > 0x10FFFF || (iv >= 0xD800 && iv <= 0xDFFF) ? 0xFFFD : (unsigned)iv;
        char tmp[8];
        int k = 0;
        if (r < 0x80) {
            tmp[k++] = (char)r;
        } else if (r < 0x800) {
            tmp[k++] = (char)(0xC0 | (r >> 6));
            tmp[k++] = (char)(0x80 | (r & 0x3F));
        } else if (r < 0x10000) {
            tmp[k++] = (char)(0xE0 | (r >> 12));
            tmp[k++] = (char)(0x80 | ((r >> 6) & 0x3F));
            tmp[k++] = (char)(0x80 | (r & 0x3F));
        } else {
            tmp[k++] = (char)(0xF0 | (r >> 18));
            tmp[k++] = (char)(0x80 | ((r >> 12) & 0x3F));
            tmp[k++] = (char)(0x80 | ((r >> 6) & 0x3F));
            tmp[k++] = (char)(0x80 | (r & 0x3F));
        }
        fth_buf_put(&b, tmp, (size_t)k);
        pad(out, b.ptr, b.len, sp);
        fth_buf_release(&b);
        return 0;
    }
    case 'q': {
        struct fth_buf b = FTH_BUF_INIT, c = FTH_BUF_INIT;
        unsigned r =
            iv < 0 || iv > 0x10FFFF || (iv >= 0xD800 && iv <= 0xDFFF) ? 0xFFFD : (unsigned)iv;
        struct spec s2 = *sp;
        s2.verb = 'c';
        s2.wid = -1;
        fmt_int(&c, (int64_t)r, 0, &s2, v);
        quote_with(&b, c.ptr, c.len, '\'');
        pad(out, b.ptr, b.len, sp);
        fth_buf_release(&b);
        fth_buf_release(&c);
        return 0;
    }
    case 'U': {
        char tmp[64];
        int n = snprintf(tmp, sizeof(tmp), "U+%04llX", (unsigned long long)(uint64_t)iv);
        if (sp->sharp && iv >= 0 && iv <= 0x10FFFF && is_print_rune((unsigned)iv)) {
            struct fth_buf b = FTH_BUF_INIT, c = FTH_BUF_INIT;
            struct spec s2 = *sp;
            s2.verb = 'c';
            s2.wid = -1;
            fth_buf_put(&b, tmp, (size_t)n);
            fth_buf_puts(&b, " '");
            fmt_int(&c, iv, 0, &s2, v);
            fth_buf_put(&b, c.ptr, c.len);
            fth_buf_putc(&b, '\'');
            pad(out, b.ptr, b.len, sp);
            fth_buf_release(&b);
            fth_buf_release(&c);
            return 0;
        }
        return pad(out, tmp, (size_t)n, sp);
    }
    default:
        return bad_verb(out, v, sp->verb);
    }
    digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    if (prec > 100)
        prec = 100;
    if (!(prec == 0 && u == 0)) {
        do {
            *--p = digits[u % (uint64_t)base];
            u /= (uint64_t)base;
            nd++;
        } while (u);
    }
    while (nd < prec) {
        *--p = '0';
        nd++;
    }
    if (sp->sharp) {
        if (base == 8 && *p != '0')
            *--p = '0';
        else if (base == 16) {
            *--p = upper ? 'X' : 'x';
            *--p = '0';
        } else if (base == 2) {
            *--p = 'b';
            *--p = '0';
        }
    }
    if (sp->verb == 'O') {
        *--p = 'o';
        *--p = '0';
    }
    if (iv < 0)
        *--p = '-';
    else if (sp->plus)
        *--p = '+';
    else if (sp->space)
        *--p = ' ';
    {
        struct spec s2 = *sp;
        if (prec >= 0)
            s2.zero = 0; /* precision turns zero padding off */
        return pad_num(out, p, (size_t)(buf + sizeof(buf) - p), &s2);
    }
}

static int fmt_float(struct fth_buf *out, double d, const struct spec *sp,
                     const struct fth_value *v)
{
    struct fth_buf b = FTH_BUF_INIT;
    char verb = sp->verb;
    int prec = sp->prec, r;
    switch (verb) {
    case 'v':
        verb = 'g';
        break;
    case 'g':
    case 'G':
        break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
        if (prec < 0)
            prec = 6;
        break;
    default:
        return bad_verb(out, v, sp->verb);
    }
    if (verb == 'F')
        verb = 'f';
    if (!signbit(d) || isnan(d)) {
        if (sp->plus)
            fth_buf_putc(&b, '+');
        else if (sp->space)
            fth_buf_putc(&b, ' ');
    }
    if (isnan(d)) {
        fth_buf_puts(&b, "NaN");
        r = pad(out, b.ptr, b.len, &(struct spec){sp->minus, 0, 0, 0, 0, sp->wid, -1, 'v'});
        fth_buf_release(&b);
        return r;
    }
    if (isinf(d)) {
        if (d > 0 && !sp->plus && !sp->space)
            fth_buf_putc(&b, '+');
        fth_buf_puts(&b, d > 0 ? "Inf" : "-Inf");
        r = pad(out, b.ptr, b.len, &(struct spec){sp->minus, 0, 0, 0, 0, sp->wid, -1, 'v'});
        fth_buf_release(&b);
        return r;
    }
    fth_tmpl_format_float(&b, d, verb, prec);
    if (sp->sharp && (verb == 'g' || verb == 'G') && !strchr(b.ptr, '.')) {
        /* %#g keeps a decimal point */
        char *e = strpbrk(b.ptr, "eE");
        if (e) {
            size_t at = (size_t)(e - b.ptr);
            struct fth_buf c = FTH_BUF_INIT;
            fth_buf_put(&c, b.ptr, at);
            fth_buf_putc(&c, '.');
            fth_buf_puts(&c, b.ptr + at);
            fth_buf_release(&b);
            b = c;
        } else {
            fth_buf_putc(&b, '.');
        }
    }
    r = pad_num(out, b.ptr, b.len, sp);
    fth_buf_release(&b);
    return r;
}

static int fmt_str(struct fth_buf *out, const char *s, size_t n, const struct spec *sp,
                   const struct fth_value *v)
{
    struct fth_buf b = FTH_BUF_INIT;
    int r = 0;
    size_t i;
    if (sp->prec >= 0 && (sp->verb == 's' || sp->verb == 'v' || sp->verb == 'q')) {
        size_t k = 0;
        int runes = 0;
        while (k < n && runes < sp->prec) {
            size_t z = fth_utf8_len((const unsigned char *)s + k, n - k, NULL);
            k += z ? z : 1;
            runes++;
        }
        n = k;
    }
    switch (sp->verb) {
    case 'v':
    case 's':
        r = pad(out, s, n, sp);
        break;
    case 'q':
        if (sp->sharp && !memchr(s, '`', n)) {
            int ok = 1;
            for (i = 0; i < n; i++)
                if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
                    ok = 0;
            if (ok) {
                fth_buf_putc(&b, '`');
                fth_buf_put(&b, s, n);
                fth_buf_putc(&b, '`');
                r = pad(out, b.ptr, b.len, sp);
                break;
            }
        }
        if (sp->plus) {
            /* %+q: ASCII only */
            size_t k = 0;
            fth_buf_putc(&b, '"');
            while (k < n) {
                unsigned cp = 0;
                size_t z = fth_utf8_len((const unsigned char *)s + k, n - k, &cp);
                if (z > 1) {
                    char t[16];
                    snprintf(t, sizeof(t), cp < 0x10000 ? "\\u%04x" : "\\U%08x", cp);
                    fth_buf_puts(&b, t);
                    k += z;
                } else {
                    struct fth_buf one = FTH_BUF_INIT;
                    quote_with(&one, s + k, 1, '"');
                    fth_buf_put(&b, one.ptr + 1, one.len - 2);
                    fth_buf_release(&one);
                    k++;
                }
            }
            fth_buf_putc(&b, '"');
        } else {
            quote_with(&b, s, n, '"');
        }
        r = pad(out, b.ptr, b.len, sp);
        break;
    case 'x':
    case 'X': {
        const char *hx = sp->verb == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
        for (i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (sp->space && i)
                fth_buf_putc(&b, ' ');
            if (sp->sharp && (sp->space || i == 0)) {
                fth_buf_putc(&b, '0');
                fth_buf_putc(&b, sp->verb);
            }
            fth_buf_putc(&b, hx[c >> 4]);
            fth_buf_putc(&b, hx[c & 15]);
        }
        r = pad(out, b.ptr, b.len, sp);
        break;
    }
    default:
        r = bad_verb(out, v, sp->verb);
    }
    fth_buf_release(&b);
    return r;
}

static int print_value(struct fth_buf *out, const struct fth_value *v, const struct spec *sp,
                       int depth)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    size_t i;
    if (depth > (int)FTH_LIMIT_DEPTH * 2)
        return fth_buf_puts(out, "...");
    if (out->len > FTH_LIMIT_TMPL_OUTPUT)
        return FTH_ELIMIT; /* a map that holds itself twice would print forever */
    if (!v || v->type == FTH_VALUE_NULL) {
        if (e && e->kind == FTH_TMPL_EXT_METHOD) {
            char t[64];
            snprintf(t, sizeof(t), "%p", (const void *)e);
            return pad(out, t, strlen(t), sp);
        }
        if (depth == 0 && sp->verb != 'v')
            return bad_verb(out, NULL, sp->verb);
        return pad(out, "<nil>", 5, sp);
    }
    if (e && e->text && (sp->verb == 'v' || sp->verb == 's' || sp->verb == 'q'))
        return fmt_str(out, e->text, strlen(e->text), sp, v);
    switch (v->type) {
    case FTH_VALUE_BOOL:
        if (sp->verb == 'v' || sp->verb == 't')
            return pad(out, v->u.boolean ? "true" : "false", v->u.boolean ? 4 : 5, sp);
        return bad_verb(out, v, sp->verb);
    case FTH_VALUE_INT:
        return fmt_int(out, v->u.integer, !!(v->flags & FTH_TMPL_VALUE_INT64), sp, v);
    case FTH_VALUE_FLOAT:
        return fmt_float(out, v->u.number, sp, v);
    case FTH_VALUE_STRING:
        if ((v->flags & FTH_TMPL_VALUE_BYTES) && sp->verb == 'v') {
            /* a []byte prints as its numbers: [104 105] */
            fth_buf_putc(out, '[');
            for (i = 0; i < v->u.str.len; i++)
                fth_buf_printf(out, i ? " %u" : "%u", (unsigned char)v->u.str.ptr[i]);
            return fth_buf_putc(out, ']');
        }
        return fmt_str(out, v->u.str.ptr, v->u.str.len, sp, v);
    case FTH_VALUE_SEQ:
        if (sp->sharp && sp->verb == 'v') {
            fth_buf_puts(out, "[]interface {}{");
            for (i = 0; i < v->u.seq.len; i++) {
                if (i)
                    fth_buf_puts(out, ", ");
                print_value(out, v->u.seq.items[i], sp, depth + 1);
            }
            return fth_buf_putc(out, '}');
        }
        fth_buf_putc(out, '[');
        for (i = 0; i < v->u.seq.len; i++) {
            if (i)
                fth_buf_putc(out, ' ');
            if (!v->u.seq.items[i] || v->u.seq.items[i]->type == FTH_VALUE_NULL)
                fth_buf_puts(out, "<nil>");
            else
                print_value(out, v->u.seq.items[i], sp, depth + 1);
        }
        return fth_buf_putc(out, ']');
    case FTH_VALUE_MAP: {
        struct fth_member *m = sorted_members(v);
        if (!m)
            return FTH_ENOMEM;
        if (e && e->kind == FTH_TMPL_EXT_STRUCT) {
            fth_buf_putc(out, '{');
            for (i = 0; i < v->u.map.len; i++) {
                if (i)
                    fth_buf_putc(out, ' ');
                if (sp->plus) {
                    fth_buf_put(out, m[i].key->u.str.ptr, m[i].key->u.str.len);
                    fth_buf_putc(out, ':');
                }
                print_value(out, m[i].value, sp, depth + 1);
            }
            free(m);
            return fth_buf_putc(out, '}');
        }
        fth_buf_puts(out, sp->sharp && sp->verb == 'v' ? "map[string]interface {}{" : "map[");
        for (i = 0; i < v->u.map.len; i++) {
            if (i)
                fth_buf_puts(out, sp->sharp && sp->verb == 'v' ? ", " : " ");
            print_value(out, m[i].key, sp, depth + 1);
            fth_buf_putc(out, ':');
            if (!m[i].value || m[i].value->type == FTH_VALUE_NULL)
                fth_buf_puts(out, "<nil>");
            else
                print_value(out, m[i].value, sp, depth + 1);
        }
        free(m);
        return fth_buf_putc(out, sp->sharp && sp->verb == 'v' ? '}' : ']');
    }
    case FTH_VALUE_NULL:
        break;
    }
    return 0;
}

int tmpl_fmt_v(struct fth_buf *out, const struct fth_value *v, int plus, int sharp)
{
    struct spec sp = {0, plus, sharp, 0, 0, -1, -1, 'v'};
    if (sharp && v && v->type == FTH_VALUE_STRING) {
        return fth_tmpl_quote(out, v->u.str.ptr, v->u.str.len);
    }
    return print_value(out, v, &sp, 0);
}

int fth_tmpl_fmt_value(struct fth_buf *out, const struct fth_value *v)
{
    return tmpl_fmt_v(out, v, 0, 0);
}

static int is_string(const struct fth_value *v)
{
    return v && v->type == FTH_VALUE_STRING && !(v->flags & FTH_TMPL_VALUE_BYTES) &&
           !fth_tmpl_ext_of(v);
}

int fth_tmpl_sprint(struct fth_buf *out, struct fth_value *const *args, size_t argc)
{
    size_t i;
    int prev_string = 0, r = 0;
    for (i = 0; i < argc && r == 0; i++) {
        int s = is_string(args[i]);
        if (i > 0 && !s && !prev_string)
            fth_buf_putc(out, ' ');
        r = fth_tmpl_fmt_value(out, args[i]);
        prev_string = s;
    }
    return r;
}

int fth_tmpl_sprintln(struct fth_buf *out, struct fth_value *const *args, size_t argc)
{
    size_t i;
    int r = 0;
    for (i = 0; i < argc && r == 0; i++) {
        if (i > 0)
            fth_buf_putc(out, ' ');
        r = fth_tmpl_fmt_value(out, args[i]);
    }
    return r ? r : fth_buf_putc(out, '\n');
}

static int parse_num(const char *f, size_t n, size_t *i, int *out)
{
    int v = 0, any = 0;
    while (*i < n && f[*i] >= '0' && f[*i] <= '9') {
        if (v > FTH_LIMIT_TMPL_FMT_WIDTH)
            return -1;
        v = v * 10 + (f[*i] - '0');
        (*i)++;
        any = 1;
    }
    *out = v;
    return any;
}

int fth_tmpl_sprintf(struct fth_buf *out, const char *f, size_t n, struct fth_value *const *args,
                     size_t argc)
{
    size_t i = 0, argn = 0;
    int r = 0;
    while (i < n && r == 0) {
        struct spec sp = {0, 0, 0, 0, 0, -1, -1, 0};
        size_t start = i;
        unsigned cp = 0;
        size_t z;
        while (i < n && f[i] != '%')
            i++;
        if (i > start)
            fth_buf_put(out, f + start, i - start);
        if (i >= n)
            break;
        i++; /* '%' */
        for (; i < n; i++) {
            char c = f[i];
            if (c == '#')
                sp.sharp = 1;
            else if (c == '0')
                sp.zero = !sp.minus;
            else if (c == '+')
                sp.plus = 1;
            else if (c == '-') {
                sp.minus = 1;
                sp.zero = 0;
            } else if (c == ' ')
                sp.space = 1;
            else
                break;
        }
        /* width */
        if (i < n && f[i] == '*') {
            i++;
            if (argn >= argc) {
                fth_buf_puts(out, "%!(BADWIDTH)");
            } else {
                const struct fth_value *a = args[argn++];
                if (a && a->type == FTH_VALUE_INT && a->u.integer <= FTH_LIMIT_TMPL_FMT_WIDTH &&
                    a->u.integer >= -FTH_LIMIT_TMPL_FMT_WIDTH) {
                    sp.wid = (int)a->u.integer;
                    if (sp.wid < 0) {
                        sp.minus = 1;
                        sp.zero = 0;
                        sp.wid = -sp.wid;
                    }
                } else {
                    fth_buf_puts(out, "%!(BADWIDTH)");
                }
            }
        } else {
            int w;
            int got = parse_num(f, n, &i, &w);
            if (got < 0) {
                fth_buf_puts(out, "%!(BADWIDTH)");
                while (i < n && f[i] >= '0' && f[i] <= '9')
                    i++;
            } else if (got) {
                sp.wid = w;
            }
        }
        if (i < n && f[i] == '.') {
            i++;
            if (i < n && f[i] == '*') {
                i++;
                if (argn >= argc) {
                    fth_buf_puts(out, "%!(BADPREC)");
                } else {
                    const struct fth_value *a = args[argn++];
                    if (a && a->type == FTH_VALUE_INT && a->u.integer >= 0 &&
                        a->u.integer <= FTH_LIMIT_TMPL_FMT_WIDTH)
                        sp.prec = (int)a->u.integer;
                    else if (a && a->type == FTH_VALUE_INT && a->u.integer < 0)
                        sp.prec = -1;
                    else
                        fth_buf_puts(out, "%!(BADPREC)");
                }
            } else {
                int pv;
                int got = parse_num(f, n, &i, &pv);
                if (got < 0) {
                    fth_buf_puts(out, "%!(BADPREC)");
                    while (i < n && f[i] >= '0' && f[i] <= '9')
                        i++;
                    sp.prec = 0;
                } else {
                    sp.prec = got ? pv : 0;
                }
            }
        }
        if (i >= n) {
            fth_buf_puts(out, "%!(NOVERB)");
            break;
        }
        z = fth_utf8_len((const unsigned char *)f + i, n - i, &cp);
        if (!z) {
            z = 1;
            cp = 0xFFFD;
        }
        if (cp == '%') {
            fth_buf_putc(out, '%');
            i += z;
            continue;
        }
        if (cp >= 0x80) {
            /* a verb beyond ASCII is always bad */
            fth_buf_puts(out, "%!");
            fth_buf_put(out, f + i, z);
            fth_buf_putc(out, '(');
            if (argn < argc) {
                const struct fth_value *a = args[argn++];
                if (!a || a->type == FTH_VALUE_NULL) {
                    fth_buf_puts(out, "<nil>");
                } else {
                    fth_buf_puts(out, fth_tmpl_type_name(a));
                    fth_buf_putc(out, '=');
                    fth_tmpl_fmt_value(out, a);
                }
            } else {
                fth_buf_puts(out, "MISSING");
            }
            fth_buf_putc(out, ')');
            i += z;
            continue;
        }
        sp.verb = (char)cp;
        i += z;
        if (argn >= argc) {
            fth_buf_puts(out, "%!");
            fth_buf_putc(out, sp.verb);
            fth_buf_puts(out, "(MISSING)");
            continue;
        }
        {
            const struct fth_value *a = args[argn++];
            if (sp.verb == 'T') {
                const char *t = fth_tmpl_type_name(a);
                r = fmt_str(out, t, strlen(t),
                            &(struct spec){sp.minus, 0, 0, 0, 0, sp.wid, -1, 's'}, a);
                continue;
            }
            if (sp.verb == 'v' && sp.sharp && a && a->type == FTH_VALUE_STRING &&
                !(a->flags & FTH_TMPL_VALUE_BYTES)) {
                struct fth_buf q = FTH_BUF_INIT;
                fth_tmpl_quote(&q, a->u.str.ptr, a->u.str.len);
                r = pad(out, q.ptr, q.len, &sp);
                fth_buf_release(&q);
                continue;
            }
            if ((sp.verb == 'v' || sp.verb == 's' || sp.verb == 'x' || sp.verb == 'X' ||
                 sp.verb == 'q') &&
                a && a->type == FTH_VALUE_STRING && (a->flags & FTH_TMPL_VALUE_BYTES) &&
                sp.verb != 'v') {
                r = fmt_str(out, a->u.str.ptr, a->u.str.len, &sp, a);
                continue;
            }
            r = print_value(out, a, &sp, 0);
        }
    }
    if (r == 0 && argn < argc) {
        size_t k;
        fth_buf_puts(out, "%!(EXTRA ");
        for (k = argn; k < argc; k++) {
            const struct fth_value *a = args[k];
            if (k > argn)
                fth_buf_puts(out, ", ");
            if (!a || a->type == FTH_VALUE_NULL) {
                fth_buf_puts(out, "<nil>");
            } else {
                fth_buf_puts(out, fth_tmpl_type_name(a));
                fth_buf_putc(out, '=');
                fth_tmpl_fmt_value(out, a);
            }
        }
        fth_buf_putc(out, ')');
    }
    return r;
}
