/*
 * Debian versions as dpkg orders them: [epoch:]upstream[-revision].
 *
 * Valid: what dpkg's parser accepts without error (not empty, no embedded blanks, a
 * non-negative epoch up to INT_MAX, a non-empty upstream and revision) and, as Debian policy
 * and dpkg's warnings have it, only [A-Za-z0-9.+~:-] in the upstream and [A-Za-z0-9.+~] in the
 * revision. An upstream not starting with a digit is valid: dpkg warns but compares it, and
 * dpkg's own test vectors compare such versions. Leading and trailing blanks (space, tab) are
 * ignored, as dpkg ignores them.
 */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "version_int.h"
#include "../base/banned.h"

struct deb_version {
    long epoch;
    const char *up; /* upstream, [up, up_end) */
    const char *up_end;
    const char *rev; /* revision, [rev, rev_end); empty when absent */
    const char *rev_end;
};

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* dpkg trims blanks only: a newline or other control character is part of the version. */
static int is_blank(int c)
{
    return c == ' ' || c == '\t';
}

/*
 * The epoch before the first ':', read as strtol would (an optional sign, then digits), with
 * dpkg's refusals: no digits, anything else before the colon, negative, above INT_MAX.
 */
static int parse_epoch(long *out, const char *p, const char *colon)
{
    int neg = 0, error = 0;
    long value = 0;

    if (p < colon && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    if (p == colon || !is_digit((unsigned char)*p)) {
        error = -1;
        goto out;
    }
    for (; p < colon; p++) {
        if (!is_digit((unsigned char)*p)) {
            error = -1;
            goto out;
        }
        if (value <= INT_MAX)
            value = value * 10 + (*p - '0');
    }
    if (value > INT_MAX || (neg && value != 0))
        error = -1;
out:
    *out = error ? 0 : value;
    return error;
}

/* Only letters, digits and the punctuation in `extra` in [p, end)? */
static int chars_ok(const char *p, const char *end, const char *extra)
{
    for (; p < end; p++)
        if (!is_digit((unsigned char)*p) && !is_alpha((unsigned char)*p) && !strchr(extra, *p))
            return 0;
    return 1;
}

/* 0 and *out filled, or -1 for what dpkg's parseversion refuses or warns about but for a
 * non-digit start. */
static int parse(struct deb_version *out, const char *s)
{
    const char *end, *p, *colon, *hyphen = NULL;
    int error = 0;

    memset(out, 0, sizeof(*out));
    while (is_blank((unsigned char)*s))
        s++;
    for (end = s; *end && !is_blank((unsigned char)*end); end++)
        ;
    for (p = end; is_blank((unsigned char)*p); p++)
        ;
    if (!*s || *p) {
        error = -1;
        goto out;
    }
    colon = memchr(s, ':', (size_t)(end - s));
    if (colon) {
        if ((error = parse_epoch(&out->epoch, s, colon)) < 0)
            goto out;
        s = colon + 1;
    }
    for (p = s; p < end; p++)
        if (*p == '-')
            hyphen = p;
    out->up = s;
    out->up_end = hyphen ? hyphen : end;
    out->rev = hyphen ? hyphen + 1 : end;
    out->rev_end = end;
    if (out->up == out->up_end || (hyphen && out->rev == out->rev_end) ||
        !chars_ok(out->up, out->up_end, ".-+~:") || !chars_ok(out->rev, out->rev_end, ".+~"))
        error = -1;
out:
    return error;
}

/*
 * dpkg's weight of a character outside a digit run: '~' before the end of the part, the end
 * before letters, letters before everything else.
 */
static int weight(const char *p, const char *end)
{
    int c;

    if (p == end)
        return 0;
    c = (unsigned char)*p;
    if (is_digit(c))
        return 0;
    if (is_alpha(c))
        return c;
    if (c == '~')
        return -1;
    return c + 256;
}

/* dpkg's verrevcmp over [a, ae) and [b, be): alternating non-digit and digit runs. */
static int part_cmp(const char *a, const char *ae, const char *b, const char *be)
{
    while (a < ae || b < be) {
        int first_diff = 0;

        while ((a < ae && !is_digit((unsigned char)*a)) ||
               (b < be && !is_digit((unsigned char)*b))) {
            int wa = weight(a, ae), wb = weight(b, be);

            if (wa != wb)
                return wa < wb ? -1 : 1;
            if (a < ae)
                a++;
            if (b < be)
                b++;
        }
        while (a < ae && *a == '0')
            a++;
        while (b < be && *b == '0')
            b++;
        while (a < ae && b < be && is_digit((unsigned char)*a) && is_digit((unsigned char)*b)) {
            if (!first_diff)
                first_diff = *a - *b;
            a++;
            b++;
        }
        if (a < ae && is_digit((unsigned char)*a))
            return 1;
        if (b < be && is_digit((unsigned char)*b))
            return -1;
        if (first_diff)
            return first_diff < 0 ? -1 : 1;
    }
    return 0;
}

static int valid(const char *v, unsigned flags)
{
    struct deb_version dv;

    (void)flags;
    return parse(&dv, v) == 0;
}

static int version_cmp(const struct deb_version *va, const struct deb_version *vb)
{
    int r;

    if (va->epoch != vb->epoch)
        return va->epoch < vb->epoch ? -1 : 1;
    if ((r = part_cmp(va->up, va->up_end, vb->up, vb->up_end)) != 0)
        return r;
    return part_cmp(va->rev, va->rev_end, vb->rev, vb->rev_end);
}

static int compare(const char *a, const char *b, unsigned flags)
{
    struct deb_version va, vb;
    int r;

    (void)flags;
    /* Callers check validity first; an unparsable side still orders deterministically. */
    if (parse(&va, a) < 0 || parse(&vb, b) < 0) {
        r = strcmp(a, b);
        return r < 0 ? -1 : r > 0;
    }
    return version_cmp(&va, &vb);
}

static int compare_valid(int *cmp, const char *a, const char *b, unsigned flags)
{
    struct deb_version va, vb;

    (void)flags;
    if (parse(&va, a) < 0)
        return -1;
    if (parse(&vb, b) < 0)
        return -2;
    *cmp = version_cmp(&va, &vb);
    return 0;
}

const struct version_ops version_deb_ops = {valid, compare, NULL, compare_valid};
