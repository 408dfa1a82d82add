/*
 * Go module versions, as golang.org/x/mod/semver reads and orders them: "v" followed by
 * SemVer 2.0. The shorthands "v1" and "v1.2" are valid and stand for v1.0.0 and v1.2.0 (only
 * without a prerelease or build suffix). "+incompatible" is build metadata and so ignored by
 * the order; pseudo-versions (v0.0.0-20191109021931-daa7c04131f5,
 * v1.2.4-0.20191109021931-daa7c04131f5, v1.2.3-pre.0.20191109021931-daa7c04131f5) are
 * prereleases and order as SemVer prereleases do, which is what the go command relies on.
 * Numbers have no size limit. Ranges are the generic relation list (">= v1.2.0, < v2").
 */
#include <string.h>

#include "semver_int.h"
#include "../base/banned.h"

static int go_number(const char **pp, const char *end, const char **d, size_t *dn)
{
    const char *p = *pp, *q = p;

    while (q < end && *q >= '0' && *q <= '9')
        q++;
    if (q == p || (q - p > 1 && *p == '0'))
        return 0;
    *d = p;
    *dn = (size_t)(q - p);
    *pp = q;
    return 1;
}

static int go_parse(struct semver *out, const char *v)
{
    const char *p = v, *end = v + strlen(v);
    struct semver tail;

    memset(out, 0, sizeof(*out));
    out->minor = out->patch = "0";
    out->minor_len = out->patch_len = 1;
    if (p == end || *p++ != 'v' || !go_number(&p, end, &out->major, &out->major_len))
        return FTH_EINVALID;
    if (p == end)
        return 0;
    if (*p++ != '.' || !go_number(&p, end, &out->minor, &out->minor_len))
        return FTH_EINVALID;
    if (p == end)
        return 0;
    if (*p != '.')
        return FTH_EINVALID;
    /* the rest is plain SemVer 2.0: reuse the core on "0.0" + ".patch..." */
    if (semver_parse(&tail, v + 1, (size_t)(end - v - 1)) < 0)
        return FTH_EINVALID;
    out->patch = tail.patch;
    out->patch_len = tail.patch_len;
    out->pre = tail.pre;
    out->pre_len = tail.pre_len;
    out->build = tail.build;
    out->build_len = tail.build_len;
    return 0;
}

static int go_valid(const char *v, unsigned flags)
{
    struct semver s;

    (void)flags;
    return go_parse(&s, v) == 0;
}

static int go_compare(const char *a, const char *b, unsigned flags)
{
    struct semver x, y;
    int va, vb;

    (void)flags;
    va = go_parse(&x, a) == 0;
    vb = go_parse(&y, b) == 0;
    /* as semver.Compare: an invalid version is below every valid one */
    if (!va || !vb)
        return va == vb ? 0 : (va ? 1 : -1);
    return semver_compare(&x, &y);
}

const struct version_ops version_go_ops = {go_valid, go_compare, NULL, NULL};
