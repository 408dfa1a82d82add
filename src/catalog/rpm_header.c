/*
 * catalog: the rpm header format, read-only. A header as a package database stores it:
 *
 *   be32 il, be32 dl, il x { be32 tag, be32 type, be32 offset, be32 count }, dl bytes of data
 *
 * The first entry may be a region tag (HEADER_IMMUTABLE 63, HEADER_SIGNATURES 62, ...) whose
 * offset points at a 16-byte trailer in the data store; regions only matter for re-signing,
 * so they are checked for bounds and otherwise skipped. Nothing is trusted: every entry's
 * data must lie inside the store, strings must end there, arrays must fit.
 */
#include <stdio.h>
#include <string.h>

#include "rpm_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

enum {
    T_NULL = 0,
    T_CHAR = 1,
    T_INT8 = 2,
    T_INT16 = 3,
    T_INT32 = 4,
    T_INT64 = 5,
    T_STRING = 6,
    T_BIN = 7,
    T_STRING_ARRAY = 8,
    T_I18NSTRING = 9,
};

enum {
    TAG_HEADERIMAGE = 61,
    TAG_HEADERREGIONS = 64,
    TAG_SIGMD5 = 261,
    TAG_NAME = 1000,
    TAG_VERSION = 1001,
    TAG_RELEASE = 1002,
    TAG_EPOCH = 1003,
    TAG_SUMMARY = 1004,
    TAG_SIZE = 1009,
    TAG_VENDOR = 1011,
    TAG_LICENSE = 1014,
    TAG_ARCH = 1022,
    TAG_OLDFILENAMES = 1027,
    TAG_SOURCERPM = 1044,
    TAG_PROVIDENAME = 1047,
    TAG_REQUIRENAME = 1049,
    TAG_DIRINDEXES = 1116,
    TAG_BASENAMES = 1117,
    TAG_DIRNAMES = 1118,
    TAG_LONGSIZE = 5009,
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct entry {
    uint32_t tag, type, offset, count;
};

struct hdr {
    const unsigned char *index;
    uint32_t il;
    const unsigned char *data;
    uint32_t dl;
};

static struct entry entry_at(const struct hdr *h, uint32_t i)
{
    const unsigned char *e = h->index + (size_t)i * 16;
    struct entry x = {be32(e), be32(e + 4), be32(e + 8), be32(e + 12)};

    return x;
}

static int find(const struct hdr *h, uint32_t tag, struct entry *out)
{
    for (uint32_t i = 0; i < h->il; i++) {
        struct entry e = entry_at(h, i);

        if (e.tag == tag) {
            *out = e;
            return 1;
        }
    }
    return 0;
}

/* The strings of a STRING / STRING_ARRAY / I18NSTRING entry; 0 when they do not fit. */
static int strings(const struct hdr *h, const struct entry *e, const char **out, size_t max)
{
    size_t off = e->offset;

    if (e->type != T_STRING && e->type != T_STRING_ARRAY && e->type != T_I18NSTRING)
        return 0;
    if (e->type == T_STRING && e->count != 1)
        return 0;
    if (e->count > max || e->count > h->dl)
        return 0;
    for (uint32_t i = 0; i < e->count; i++) {
        const unsigned char *nul;

        if (off >= h->dl || !(nul = memchr(h->data + off, '\0', h->dl - off)))
            return 0;
        out[i] = (const char *)h->data + off;
        off = (size_t)(nul - h->data) + 1;
    }
    return 1;
}

static const char *string_tag(const struct hdr *h, struct fth_arena *a, uint32_t tag)
{
    struct entry e;
    const char *s[1];

    if (!find(h, tag, &e) || !e.count)
        return "";
    /* an I18NSTRING's first string is the C locale's */
    if (e.type == T_I18NSTRING || e.type == T_STRING_ARRAY)
        e.count = 1;
    if (!strings(h, &e, s, 1))
        return "";
    return fth_arena_strdup(a, s[0]);
}

/* A string-array tag copied into the arena; *n = 0 when absent. FTH_EINVALID when malformed. */
static int array_tag(const struct hdr *h, struct fth_arena *a, uint32_t tag, const char ***out,
                     size_t *n)
{
    struct entry e;
    const char **v;

    *out = NULL;
    *n = 0;
    if (!find(h, tag, &e) || !e.count)
        return 0;
    if (e.type != T_STRING_ARRAY || e.count > FTH_LIMIT_RPM_FILES || e.count > h->dl)
        return FTH_EINVALID;
    if (!(v = fth_arena_calloc(a, e.count, sizeof(*v))))
        return FTH_ENOMEM;
    if (!strings(h, &e, v, e.count))
        return FTH_EINVALID;
    for (uint32_t i = 0; i < e.count; i++)
        if (!(v[i] = fth_arena_strdup(a, v[i])))
            return FTH_ENOMEM;
    *out = v;
    *n = e.count;
    return 0;
}

/* An INT32 or INT64 tag's first value. */
static int int_tag(const struct hdr *h, uint32_t tag, uint64_t *out)
{
    struct entry e;

    if (!find(h, tag, &e) || !e.count)
        return 0;
    if (e.type == T_INT32 && e.offset <= h->dl && h->dl - e.offset >= 4) {
        *out = be32(h->data + e.offset);
        return 1;
    }
    if (e.type == T_INT64 && e.offset <= h->dl && h->dl - e.offset >= 8) {
        *out = (uint64_t)be32(h->data + e.offset) << 32 | be32(h->data + e.offset + 4);
        return 1;
    }
    return 0;
}

static int files(struct rpm_pkg *p, const struct hdr *h, struct fth_arena *a, char *why,
                 size_t whylen)
{
    const char **base, **dirs;
    size_t nbase, ndirs;
    struct entry di;
    int rc;

    if ((rc = array_tag(h, a, TAG_BASENAMES, &base, &nbase)) < 0 ||
        (rc = array_tag(h, a, TAG_DIRNAMES, &dirs, &ndirs)) < 0)
        goto bad;
    if (!nbase) {
        /* packages built before compressed file names: one full path each */
        if ((rc = array_tag(h, a, TAG_OLDFILENAMES, &base, &nbase)) < 0)
            goto bad;
        for (size_t i = 0; i < nbase; i++)
            while (*base[i] == '/')
                base[i]++;
        p->files = base;
        p->nfiles = nbase;
        return 0;
    }
    if (!find(h, TAG_DIRINDEXES, &di) || di.type != T_INT32 || di.count != nbase ||
        di.offset > h->dl || (h->dl - di.offset) / 4 < di.count) {
        snprintf(why, whylen, "file list: dir indexes do not match %zu base names", nbase);
        return FTH_EINVALID;
    }
    if (!(p->files = fth_arena_calloc(a, nbase, sizeof(*p->files))))
        return FTH_ENOMEM;
    for (size_t i = 0; i < nbase; i++) {
        uint32_t d = be32(h->data + di.offset + 4 * i);
        const char *dir;

        if (d >= ndirs) {
            snprintf(why, whylen, "file list: dir index %u out of range", d);
            return FTH_EINVALID;
        }
        dir = dirs[d];
        while (*dir == '/')
            dir++;
        if (!(p->files[i] = fth_arena_printf(a, "%s%s", dir, base[i])))
            return FTH_ENOMEM;
    }
    p->nfiles = nbase;
    return 0;
bad:
    if (rc == FTH_ENOMEM)
        return rc;
    snprintf(why, whylen, "malformed file list");
    return FTH_EINVALID;
}

int rpm_header_parse(struct rpm_pkg *out, struct fth_arena *a, const unsigned char *blob,
                     size_t len, char *why, size_t whylen)
{
    static const char hex[] = "0123456789abcdef";
    struct hdr h;
    struct entry e;
    uint64_t v;
    int rc;

    memset(out, 0, sizeof(*out));
    if (len < 8) {
        snprintf(why, whylen, "header of %zu bytes is too short", len);
        return FTH_EINVALID;
    }
    h.il = be32(blob);
    h.dl = be32(blob + 4);
    if (h.il < 1 || h.il > FTH_LIMIT_RPM_HEADER_ENTRIES || h.dl > FTH_LIMIT_RPM_HEADER_DATA) {
        snprintf(why, whylen, "header claims %u entries and %u data bytes", h.il, h.dl);
        return FTH_EINVALID;
    }
    if ((uint64_t)8 + (uint64_t)h.il * 16 + h.dl > len) {
        snprintf(why, whylen, "header of %u entries and %u data bytes overruns its %zu bytes", h.il,
                 h.dl, len);
        return FTH_EINVALID;
    }
    h.index = blob + 8;
    h.data = h.index + (size_t)h.il * 16;
    for (uint32_t i = 0; i < h.il; i++) {
        e = entry_at(&h, i);
        if (e.type > T_I18NSTRING || e.offset > h.dl) {
            snprintf(why, whylen, "entry %u (tag %u): type %u, offset %u out of range", i, e.tag,
                     e.type, e.offset);
            return FTH_EINVALID;
        }
        /* region tags: a 16-byte BIN trailer inside the store */
        if (e.tag >= TAG_HEADERIMAGE && e.tag < TAG_HEADERREGIONS &&
            (e.type != T_BIN || e.count != 16 || h.dl - e.offset < 16)) {
            snprintf(why, whylen, "region tag %u is malformed", e.tag);
            return FTH_EINVALID;
        }
    }
    out->name = string_tag(&h, a, TAG_NAME);
    out->version = string_tag(&h, a, TAG_VERSION);
    out->release = string_tag(&h, a, TAG_RELEASE);
    out->arch = string_tag(&h, a, TAG_ARCH);
    out->sourcerpm = string_tag(&h, a, TAG_SOURCERPM);
    out->license = string_tag(&h, a, TAG_LICENSE);
    out->vendor = string_tag(&h, a, TAG_VENDOR);
    out->summary = string_tag(&h, a, TAG_SUMMARY);
    out->sigmd5 = "";
    if (!out->name || !out->version || !out->release || !out->arch || !out->sourcerpm ||
        !out->license || !out->vendor || !out->summary)
        return FTH_ENOMEM;
    if (!*out->name) {
        snprintf(why, whylen, "header without a name");
        return FTH_EINVALID;
    }
    if (int_tag(&h, TAG_EPOCH, &v)) {
        out->has_epoch = 1;
        out->epoch = (int32_t)(uint32_t)v;
    }
    if (int_tag(&h, TAG_LONGSIZE, &v) || int_tag(&h, TAG_SIZE, &v))
        out->size = v;
    if (find(&h, TAG_SIGMD5, &e) && e.type == T_BIN && e.count == 16 && h.dl - e.offset >= 16) {
        char *s = fth_arena_alloc(a, 33);

        if (!s)
            return FTH_ENOMEM;
        for (int i = 0; i < 16; i++) {
            s[2 * i] = hex[h.data[e.offset + i] >> 4];
            s[2 * i + 1] = hex[h.data[e.offset + i] & 15];
        }
        s[32] = '\0';
        out->sigmd5 = s;
    }
    if ((rc = array_tag(&h, a, TAG_REQUIRENAME, &out->requires, &out->nrequires)) < 0 ||
        (rc = array_tag(&h, a, TAG_PROVIDENAME, &out->provides, &out->nprovides)) < 0) {
        if (rc == FTH_ENOMEM)
            return rc;
        snprintf(why, whylen, "malformed requires or provides");
        return FTH_EINVALID;
    }
    return files(out, &h, a, why, whylen);
}
