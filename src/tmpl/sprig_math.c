/*
 * Sprig's math: integer functions through cast.ToInt64 with Go's int64 wrap-around (add, sub,
 * mul, div, mod, max, min), the float ones (addf...) through shopspring/decimal as Sprig does
 * (so `addf 1.1 2.2` is 3.3, not 3.3000000000000003), and the integer lists (until, seq).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "sprig_int.h"

static int64_t wrap_add(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t wrap_mul(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a * (uint64_t)b);
}

SPRIG_FN(f_add1)
{
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_int64(call->arena, wrap_add(sprig_to_int64(args[0]), 1)));
}

SPRIG_FN(f_add)
{
    int64_t a = 0;
    size_t i;
    for (i = 0; i < argc; i++)
        a = wrap_add(a, sprig_to_int64(args[i]));
    return sprig_ret(out, fth_tmpl_int64(call->arena, a));
}

SPRIG_FN(f_sub)
{
    SPRIG_UNUSED;
    return sprig_ret(out,
                     fth_tmpl_int64(call->arena, (int64_t)((uint64_t)sprig_to_int64(args[0]) -
                                                           (uint64_t)sprig_to_int64(args[1]))));
}

SPRIG_FN(f_div)
{
    int64_t a = sprig_to_int64(args[0]), b = sprig_to_int64(args[1]);
    SPRIG_UNUSED;
    if (b == 0)
        return fth_tmpl_fail(call, "runtime error: integer divide by zero");
    if (b == -1) /* Go: MinInt64 / -1 is MinInt64 */
        return sprig_ret(out, fth_tmpl_int64(call->arena, (int64_t)(0 - (uint64_t)a)));
    return sprig_ret(out, fth_tmpl_int64(call->arena, a / b));
}

SPRIG_FN(f_mod)
{
    int64_t a = sprig_to_int64(args[0]), b = sprig_to_int64(args[1]);
    SPRIG_UNUSED;
    if (b == 0)
        return fth_tmpl_fail(call, "runtime error: integer divide by zero");
    if (b == -1)
        return sprig_ret(out, fth_tmpl_int64(call->arena, 0));
    return sprig_ret(out, fth_tmpl_int64(call->arena, a % b));
}

SPRIG_FN(f_mul)
{
    int64_t a = sprig_to_int64(args[0]);
    size_t i;
    for (i = 1; i < argc; i++)
        a = wrap_mul(a, sprig_to_int64(args[i]));
    return sprig_ret(out, fth_tmpl_int64(call->arena, a));
}

SPRIG_FN(f_max)
{
    int64_t a = sprig_to_int64(args[0]);
    size_t i;
    for (i = 1; i < argc; i++) {
        int64_t b = sprig_to_int64(args[i]);
        if (b > a)
            a = b;
    }
    return sprig_ret(out, fth_tmpl_int64(call->arena, a));
}

SPRIG_FN(f_min)
{
    int64_t a = sprig_to_int64(args[0]);
    size_t i;
    for (i = 1; i < argc; i++) {
        int64_t b = sprig_to_int64(args[i]);
        if (b < a)
            a = b;
    }
    return sprig_ret(out, fth_tmpl_int64(call->arena, a));
}

/* math.Max / math.Min: NaN wins, +0 beats -0 for Max and -0 beats +0 for Min */
static double go_max(double a, double b)
{
    if (isinf(a) && a > 0)
        return a;
    if (isinf(b) && b > 0)
        return b;
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == 0 && a == b)
        return signbit(a) ? b : a;
    return a > b ? a : b;
}

static double go_min(double a, double b)
{
    if (isinf(a) && a < 0)
        return a;
    if (isinf(b) && b < 0)
        return b;
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == 0 && a == b)
        return signbit(a) ? a : b;
    return a < b ? a : b;
}

SPRIG_FN(f_maxf)
{
    double a = sprig_to_float64(args[0]);
    size_t i;
    for (i = 1; i < argc; i++)
        a = go_max(a, sprig_to_float64(args[i]));
    return sprig_ret(out, fth_tmpl_float(call->arena, a));
}

SPRIG_FN(f_minf)
{
    double a = sprig_to_float64(args[0]);
    size_t i;
    for (i = 1; i < argc; i++)
        a = go_min(a, sprig_to_float64(args[i]));
    return sprig_ret(out, fth_tmpl_float(call->arena, a));
}

SPRIG_FN(f_ceil)
{
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_float(call->arena, ceil(sprig_to_float64(args[0]))));
}

SPRIG_FN(f_floor)
{
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_float(call->arena, floor(sprig_to_float64(args[0]))));
}

SPRIG_FN(f_round)
{
    double on = argc > 2 ? args[2]->u.number : .5;
    double val = sprig_to_float64(args[0]);
    double pw = pow(10, (double)args[1]->u.integer), digit = pw * val, ip, frac, r;
    frac = modf(digit, &ip);
    r = frac >= on ? ceil(digit) : floor(digit);
    return sprig_ret(out, fth_tmpl_float(call->arena, r / pw));
}

SPRIG_FN(f_rand_int)
{
    int64_t lo = args[0]->u.integer, hi = args[1]->u.integer;
    int64_t n = (int64_t)((uint64_t)hi - (uint64_t)lo);
    SPRIG_UNUSED;
    if (n <= 0)
        return fth_tmpl_fail(call, "invalid argument to Intn");
    return sprig_ret(
        out, fth_tmpl_int(call->arena, wrap_add((int64_t)sprig_random_below((uint64_t)n), lo)));
}

/* ---- integer lists ---- */

static int until_step(struct fth_value **out, struct fth_tmpl_call *call, int64_t start,
                      int64_t stop, int64_t step)
{
    struct fth_value *r = fth_tmpl_seq(call->arena, 4);
    size_t n = 0;
    int64_t i;
    if (!r)
        return FTH_ENOMEM;
    if (stop < start) {
        if (step >= 0)
            goto done;
        for (i = start; i > stop; i = wrap_add(i, step)) {
            struct fth_value *v;
            if (++n > FTH_LIMIT_TMPL_SEQ)
                return fth_tmpl_fail(call, "%s would build more than %zu items", call->func->name,
                                     (size_t)FTH_LIMIT_TMPL_SEQ);
            if (!(v = fth_tmpl_int(call->arena, i)) || fth_tmpl_seq_push(call->arena, r, v) < 0)
                return FTH_ENOMEM;
            if (i < INT64_MIN - step)
                break; /* Go would wrap around and go on for ever */
        }
        goto done;
    }
    if (step <= 0)
        goto done;
    for (i = start; i < stop; i = wrap_add(i, step)) {
        struct fth_value *v;
        if (++n > FTH_LIMIT_TMPL_SEQ)
            return fth_tmpl_fail(call, "%s would build more than %zu items", call->func->name,
                                 (size_t)FTH_LIMIT_TMPL_SEQ);
        if (!(v = fth_tmpl_int(call->arena, i)) || fth_tmpl_seq_push(call->arena, r, v) < 0)
            return FTH_ENOMEM;
        if (i > INT64_MAX - step)
            break;
    }
done:
    *out = r;
    return 0;
}

SPRIG_FN(f_until)
{
    int64_t c = args[0]->u.integer;
    SPRIG_UNUSED;
    return until_step(out, call, 0, c, c < 0 ? -1 : 1);
}

SPRIG_FN(f_until_step)
{
    SPRIG_UNUSED;
    return until_step(out, call, args[0]->u.integer, args[1]->u.integer, args[2]->u.integer);
}

/* seq: the numbers joined by spaces (fmt.Sprint of a []int, brackets trimmed). */
SPRIG_FN(f_seq)
{
    struct fth_value *list = NULL;
    struct fth_buf b = FTH_BUF_INIT;
    int64_t start, end, step = 1;
    size_t i;
    int error = 0;
    switch (argc) {
    case 1:
        start = 1;
        end = args[0]->u.integer;
        if (end < start)
            step = -1;
        error = until_step(&list, call, start, wrap_add(end, step), step);
        break;
    case 2:
        start = args[0]->u.integer;
        end = args[1]->u.integer;
        if (end < start)
            step = -1;
        error = until_step(&list, call, start, wrap_add(end, step), step);
        break;
    case 3: {
        int64_t inc = 1;
        start = args[0]->u.integer;
        end = args[2]->u.integer;
        step = args[1]->u.integer;
        if (end < start) {
            inc = -1;
            if (step > 0)
                return sprig_ret_str(out, call, "", 0);
        }
        error = until_step(&list, call, start, wrap_add(end, inc), step);
        break;
    }
    default:
        return sprig_ret_str(out, call, "", 0);
    }
    if (error < 0)
        return error;
    for (i = 0; i < list->u.seq.len && error == 0; i++)
        error =
            fth_buf_printf(&b, i ? " %lld" : "%lld", (long long)list->u.seq.items[i]->u.integer);
    return sprig_ret_buf(out, call, &b, error);
}

/* ---- shopspring/decimal, as far as Sprig uses it ---- */

/* value = (neg ? -1 : 1) * digits * 10^exp; digits little-endian, no leading zeros */
struct dec {
    unsigned char *d;
    size_t n;
    int64_t exp;
    int neg;
};

static int dec_alloc(struct dec *x, struct fth_arena *a, size_t n)
{
    if (n > FTH_LIMIT_TMPL_DECIMAL_DIGITS)
        return FTH_ELIMIT;
    x->d = fth_arena_calloc(a, n ? n : 1, 1);
    return x->d ? 0 : FTH_ENOMEM;
}

static void dec_norm(struct dec *x)
{
    while (x->n && x->d[x->n - 1] == 0)
        x->n--;
    if (!x->n)
        x->neg = 0;
}

/* NewFromFloat: the shortest decimal that reads back as f */
static int dec_from_float(struct dec *x, struct fth_arena *a, double f)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t i, nd = 0;
    const char *e;
    int error;
    memset(x, 0, sizeof(*x));
    if ((error = fth_tmpl_format_float(&b, f, 'e', -1)) < 0)
        goto out;
    e = strchr(b.ptr, 'e');
    if (!e) {
        error = FTH_EINVALID;
        goto out;
    }
    if ((error = dec_alloc(x, a, 32)) < 0)
        goto out;
    x->neg = b.ptr[0] == '-';
    for (i = (size_t)(e - b.ptr); i-- > 0;)
        if (b.ptr[i] >= '0' && b.ptr[i] <= '9')
            x->d[nd++] = (unsigned char)(b.ptr[i] - '0');
    x->n = nd;
    x->exp = strtoll(e + 1, NULL, 10) - (int64_t)(nd - 1);
    dec_norm(x);
out:
    fth_buf_release(&b);
    return error;
}

/* |x| * 10^k (k >= 0) into a fresh number */
static int dec_shift(struct dec *r, struct fth_arena *a, const struct dec *x, int64_t k)
{
    int error;
    if (k < 0 || (uint64_t)k > FTH_LIMIT_TMPL_DECIMAL_DIGITS)
        return FTH_ELIMIT;
    *r = *x;
    if ((error = dec_alloc(r, a, x->n + (size_t)k)) < 0)
        return error;
    memcpy(r->d + k, x->d, x->n);
    r->n = x->n + (size_t)k;
    r->exp = x->exp - k;
    return 0;
}

static int mag_cmp(const struct dec *x, const struct dec *y)
{
    size_t i;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    for (i = x->n; i-- > 0;)
        if (x->d[i] != y->d[i])
            return x->d[i] < y->d[i] ? -1 : 1;
    return 0;
}

/* aligned magnitudes (same exp): r = x + y or x - y (x >= y) */
static int mag_addsub(struct dec *r, struct fth_arena *a, const struct dec *x, const struct dec *y,
                      int sub)
{
    size_t n = (x->n > y->n ? x->n : y->n) + 1, i;
    int carry = 0, error;
    if ((error = dec_alloc(r, a, n)) < 0)
        return error;
    for (i = 0; i < n; i++) {
        int v = (i < x->n ? x->d[i] : 0);
        int w = (i < y->n ? y->d[i] : 0);
        if (sub) {
            v -= w + carry;
            carry = v < 0;
            if (v < 0)
                v += 10;
        } else {
            v += w + carry;
            carry = v >= 10;
            if (v >= 10)
                v -= 10;
        }
        r->d[i] = (unsigned char)v;
    }
    r->n = n;
    r->exp = x->exp;
    return 0;
}

static int dec_add(struct dec *r, struct fth_arena *a, const struct dec *x, const struct dec *y,
                   int negate_y)
{
    struct dec ax, ay;
    int yneg = y->neg ^ (negate_y && y->n), error;
    int64_t e = x->exp < y->exp ? x->exp : y->exp;
    if (!x->n) {
        *r = *y;
        r->neg = yneg;
        return 0;
    }
    if (!y->n) {
        *r = *x;
        return 0;
    }
    if ((error = dec_shift(&ax, a, x, x->exp - e)) < 0 ||
        (error = dec_shift(&ay, a, y, y->exp - e)) < 0)
        return error;
    if (x->neg == yneg) {
        error = mag_addsub(r, a, &ax, &ay, 0);
        r->neg = x->neg;
    } else if (mag_cmp(&ax, &ay) >= 0) {
        error = mag_addsub(r, a, &ax, &ay, 1);
        r->neg = x->neg;
    } else {
        error = mag_addsub(r, a, &ay, &ax, 1);
        r->neg = yneg;
    }
    if (error == 0)
        dec_norm(r);
    return error;
}

static int dec_mul(struct dec *r, struct fth_arena *a, const struct dec *x, const struct dec *y)
{
    size_t i, j, n = x->n + y->n;
    unsigned *acc;
    int error;
    if ((error = dec_alloc(r, a, n)) < 0)
        return error;
    if (!(acc = fth_arena_calloc(a, n + 1, sizeof(*acc))))
        return FTH_ENOMEM;
    for (i = 0; i < x->n; i++)
        for (j = 0; j < y->n; j++) {
            acc[i + j] += (unsigned)x->d[i] * y->d[j];
            if (acc[i + j] > 100000000u) {
                acc[i + j + 1] += acc[i + j] / 10;
                acc[i + j] %= 10;
            }
        }
    for (i = 0; i < n; i++) {
        acc[i + 1] += acc[i] / 10;
        r->d[i] = (unsigned char)(acc[i] % 10);
    }
    r->n = n;
    r->exp = x->exp + y->exp;
    r->neg = x->neg != y->neg;
    dec_norm(r);
    return 0;
}

/* DivRound(y, 16): x / y rounded half away from zero to 16 places */
static int dec_div(struct dec *r, struct fth_arena *a, const struct dec *x, const struct dec *y)
{
    struct dec num, den, rem;
    int64_t k = x->exp + 16 - y->exp;
    size_t i;
    int error;
    if (!x->n) {
        memset(r, 0, sizeof(*r));
        return 0;
    }
    num = *x;
    den = *y;
    num.neg = den.neg = 0;
    if (k >= 0)
        error = dec_shift(&num, a, x, k);
    else
        error = dec_shift(&den, a, y, -k);
    if (error < 0)
        return error;
    num.neg = den.neg = 0;
    num.exp = den.exp = 0;
    /* long division, one digit of num at a time */
    if ((error = dec_alloc(r, a, num.n)) < 0 || (error = dec_alloc(&rem, a, den.n + 2)) < 0)
        return error;
    rem.n = 0;
    rem.exp = 0;
    rem.neg = 0;
    for (i = num.n; i-- > 0;) {
        int q = 0;
        memmove(rem.d + 1, rem.d, rem.n);
        rem.d[0] = num.d[i];
        rem.n++;
        dec_norm(&rem);
        while (mag_cmp(&rem, &den) >= 0) {
            size_t j;
            int borrow = 0;
            for (j = 0; j < rem.n; j++) {
                int v = rem.d[j] - (j < den.n ? den.d[j] : 0) - borrow;
                borrow = v < 0;
                rem.d[j] = (unsigned char)(v < 0 ? v + 10 : v);
            }
            dec_norm(&rem);
            q++;
        }
        r->d[i] = (unsigned char)q;
    }
    r->n = num.n;
    r->exp = -16;
    r->neg = 0;
    dec_norm(r);
    {
        struct dec twice;
        if ((error = mag_addsub(&twice, a, &rem, &rem, 0)) < 0)
            return error;
        dec_norm(&twice);
        if (mag_cmp(&twice, &den) >= 0) {
            struct dec one = {(unsigned char *)"\1", 1, -16, 0}, t;
            r->exp = -16;
            if (!r->n) {
                *r = one;
            } else {
                if ((error = mag_addsub(&t, a, r, &one, 0)) < 0)
                    return error;
                *r = t;
                dec_norm(r);
            }
        }
    }
    r->neg = (x->neg != y->neg) && r->n;
    return 0;
}

static double dec_float(const struct dec *x)
{
    char buf[64];
    size_t i, n;
    int64_t exp = x->exp;
    char *s;
    double d;
    if (!x->n)
        return 0;
    /* only the leading 40 digits matter for the nearest double */
    n = x->n > 40 ? 40 : x->n;
    exp += (int64_t)(x->n - n);
    s = buf;
    if (x->neg)
        *s++ = '-';
    for (i = 0; i < n; i++)
        *s++ = (char)('0' + x->d[x->n - 1 - i]);
    if (x->n > n) {
        /* a nonzero tail would round up a tie: keep it visible */
        for (i = 0; i < x->n - n; i++)
            if (x->d[i]) {
                *s++ = '1';
                exp--;
                break;
            }
    }
    snprintf(s, sizeof(buf) - (size_t)(s - buf), "e%lld", (long long)exp);
    d = strtod(buf, NULL);
    return d;
}

enum dec_op { OP_ADD, OP_SUB, OP_MUL, OP_DIV };

static int decimal_op(struct fth_value **out, struct fth_tmpl_call *call, double first,
                      struct fth_value *const *rest, size_t n, enum dec_op op, int use_one)
{
    struct dec acc, x, r;
    size_t i;
    int error;
    double f = first;
    if (isnan(f) || isinf(f))
        goto bad;
    if ((error = dec_from_float(&acc, call->arena, f)) < 0)
        goto fail;
    for (i = 0; i < (use_one ? 1 : n); i++) {
        f = use_one ? 1 : sprig_to_float64(rest[i]);
        if (isnan(f) || isinf(f))
            goto bad;
        if ((error = dec_from_float(&x, call->arena, f)) < 0)
            goto fail;
        switch (op) {
        case OP_ADD:
            error = dec_add(&r, call->arena, &acc, &x, 0);
            break;
        case OP_SUB:
            error = dec_add(&r, call->arena, &acc, &x, 1);
            break;
        case OP_MUL:
            error = dec_mul(&r, call->arena, &acc, &x);
            break;
        case OP_DIV:
            if (!x.n)
                return fth_tmpl_fail(call, "decimal division by 0");
            error = dec_div(&r, call->arena, &acc, &x);
            break;
        }
        if (error < 0)
            goto fail;
        acc = r;
    }
    return sprig_ret(out, fth_tmpl_float(call->arena, dec_float(&acc)));
bad : {
    struct fth_buf b = FTH_BUF_INIT;
    fth_tmpl_format_float(&b, f, 'g', -1);
    error = fth_tmpl_fail(call, "Cannot create a Decimal from %s", b.ptr);
    fth_buf_release(&b);
    return error;
}
fail:
    if (error == FTH_ELIMIT)
        return fth_tmpl_fail(call, "%s: decimal result longer than %d digits", call->func->name,
                             FTH_LIMIT_TMPL_DECIMAL_DIGITS);
    return error;
}

SPRIG_FN(f_add1f)
{
    SPRIG_UNUSED;
    return decimal_op(out, call, sprig_to_float64(args[0]), NULL, 0, OP_ADD, 1);
}

SPRIG_FN(f_addf)
{
    return decimal_op(out, call, 0, args, argc, OP_ADD, 0);
}

SPRIG_FN(f_subf)
{
    return decimal_op(out, call, sprig_to_float64(args[0]), args + 1, argc - 1, OP_SUB, 0);
}

SPRIG_FN(f_mulf)
{
    return decimal_op(out, call, sprig_to_float64(args[0]), args + 1, argc - 1, OP_MUL, 0);
}

SPRIG_FN(f_divf)
{
    return decimal_op(out, call, sprig_to_float64(args[0]), args + 1, argc - 1, OP_DIV, 0);
}

const struct fth_tmpl_func tmpl_sprig_math[] = {
    {"add1", "a", f_add1, NULL},         {"add", "*a", f_add, NULL},
    {"sub", "aa", f_sub, NULL},          {"div", "aa", f_div, NULL},
    {"mod", "aa", f_mod, NULL},          {"mul", "a*a", f_mul, NULL},
    {"randInt", "ii", f_rand_int, NULL}, {"add1f", "a", f_add1f, NULL},
    {"addf", "*a", f_addf, NULL},        {"subf", "a*a", f_subf, NULL},
    {"divf", "a*a", f_divf, NULL},       {"mulf", "a*a", f_mulf, NULL},
    {"biggest", "a*a", f_max, NULL},     {"max", "a*a", f_max, NULL},
    {"min", "a*a", f_min, NULL},         {"maxf", "a*a", f_maxf, NULL},
    {"minf", "a*a", f_minf, NULL},       {"ceil", "a", f_ceil, NULL},
    {"floor", "a", f_floor, NULL},       {"round", "ai*f", f_round, NULL},
    {"until", "i", f_until, NULL},       {"untilStep", "iii", f_until_step, NULL},
    {"seq", "*i", f_seq, NULL},          {NULL, NULL, NULL, NULL},
};
