/*
 * catalog: read-only readers for two rpm database formats, yielding header blobs.
 *
 * Berkeley DB hash (var/lib/rpm/Packages, rpm before 4.16 and RHEL/CentOS 7-8): page 0 is the
 * hash metadata page (magic 0x061561, in the byte order of the machine that wrote it: both
 * are accepted); every hash page (type 13, or 2 for old unsorted ones) holds key/data pairs;
 * a package header is too large for a page, so its data item is an "off-page" reference to a
 * chain of overflow pages (type 7), each carrying hf_offset bytes after its 26-byte page
 * header. Pages are walked in file order; chains are bounded by the page count and by
 * FTH_LIMIT_BDB_CHAIN_PAGES, so a looping chain ends with a warning.
 *
 * NDB (Packages.db, SUSE and rpm >= 4.16 "ndb" backend), all little-endian: a 32-byte
 * header ("RpmP", version, generation, slot page count, next package index) followed by
 * 16-byte slots ("Slot", package index, block offset, block count) filling the slot pages;
 * each used slot points at a blob in 16-byte blocks: "BlbS", package index, generation,
 * length, the header, then a 12-byte tail (checksum, length, "BlbE").
 */
#include <string.h>

#include "rpm_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

/* ---- Berkeley DB hash ---- */

#define BDB_HASH_MAGIC 0x061561u
#define BDB_PAGE_HEADER 26
#define P_HASH_UNSORTED 2
#define P_OVERFLOW 7
#define P_HASH 13
#define H_KEYDATA 1
#define H_OFFPAGE 3

struct bdb {
    const unsigned char *p;
    size_t len;
    uint32_t pagesize;
    uint32_t npages;
    int swap; /* the file's byte order is big-endian */
};

static uint32_t rd32(const struct bdb *d, const unsigned char *p)
{
    if (d->swap)
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t rd16(const struct bdb *d, const unsigned char *p)
{
    return d->swap ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static const unsigned char *page(const struct bdb *d, uint32_t no)
{
    return no < d->npages ? d->p + (size_t)no * d->pagesize : NULL;
}

/* Gather an overflow chain of tlen bytes starting at pgno into buf. */
static int bdb_overflow(struct cat_sink *s, const struct cat_file *f, const struct bdb *d,
                        uint32_t pgno, uint32_t tlen, struct fth_buf *buf)
{
    uint32_t steps = 0;

    fth_buf_clear(buf);
    while (pgno) {
        const unsigned char *pg = page(d, pgno);
        uint32_t used;

        if (!pg) {
            cat_warn(s, f, 0, "overflow page %u is past the end of the file (%u pages)", pgno,
                     d->npages);
            return FTH_EINVALID;
        }
        if (++steps > d->npages || steps > FTH_LIMIT_BDB_CHAIN_PAGES) {
            cat_warn(s, f, 0, "overflow chain at page %u is too long or loops", pgno);
            return FTH_EINVALID;
        }
        if (pg[25] != P_OVERFLOW) {
            cat_warn(s, f, 0, "page %u: type %u in an overflow chain", pgno, pg[25]);
            return FTH_EINVALID;
        }
        used = rd16(d, pg + 22);
        if (used > d->pagesize - BDB_PAGE_HEADER || buf->len + used > tlen) {
            cat_warn(s, f, 0, "overflow page %u: %u bytes do not fit", pgno, used);
            return FTH_EINVALID;
        }
        if (fth_buf_put(buf, pg + BDB_PAGE_HEADER, used) < 0)
            return FTH_ENOMEM;
        pgno = rd32(d, pg + 16);
    }
    if (buf->len != tlen) {
        cat_warn(s, f, 0, "overflow chain holds %zu of %u bytes", buf->len, tlen);
        return FTH_EINVALID;
    }
    return 0;
}

int rpm_read_bdb(struct cat_sink *s, const struct cat_file *f, rpm_blob_fn fn, void *data)
{
    struct fth_buf buf = FTH_BUF_INIT;
    struct bdb d;
    uint32_t magic;
    int rc = 0;

    memset(&d, 0, sizeof(d));
    d.p = f->data;
    d.len = f->len;
    if (f->len < 512) {
        cat_warn(s, f, 0, "not a Berkeley DB file: %zu bytes", f->len);
        return 0;
    }
    magic = rd32(&d, f->data + 12);
    if (magic != BDB_HASH_MAGIC) {
        d.swap = 1;
        if ((magic = rd32(&d, f->data + 12)) != BDB_HASH_MAGIC) {
            cat_warn(s, f, 0, "not a Berkeley DB hash database (magic 0x%08x)", magic);
            return 0;
        }
    }
    d.pagesize = rd32(&d, f->data + 20);
    if (d.pagesize < 512 || d.pagesize > 65536 || (d.pagesize & (d.pagesize - 1))) {
        cat_warn(s, f, 0, "bad page size %u", d.pagesize);
        return 0;
    }
    d.npages = (uint32_t)(f->len / d.pagesize);
    if (f->len % d.pagesize)
        cat_warn(s, f, 0, "file size %zu is not a multiple of the page size %u", f->len,
                 d.pagesize);

    for (uint32_t no = 1; no < d.npages && rc >= 0; no++) {
        const unsigned char *pg = page(&d, no);
        uint16_t n;

        if (pg[25] != P_HASH && pg[25] != P_HASH_UNSORTED)
            continue;
        n = rd16(&d, pg + 20);
        if ((size_t)BDB_PAGE_HEADER + (size_t)n * 2 > d.pagesize) {
            cat_warn(s, f, 0, "page %u: %u entries do not fit", no, n);
            continue;
        }
        /* entries alternate key, data: only data items (odd) carry headers */
        for (uint16_t i = 1; i < n && rc >= 0; i += 2) {
            uint16_t off = rd16(&d, pg + BDB_PAGE_HEADER + 2 * i);
            const unsigned char *item = pg + off;

            if (off < BDB_PAGE_HEADER + 2 * (size_t)n || off >= d.pagesize) {
                cat_warn(s, f, 0, "page %u: entry %u offset %u out of range", no, i, off);
                continue;
            }
            /* inline values are not headers (rpm's record 0 holds the next instance) */
            if (item[0] != H_OFFPAGE)
                continue;
            if ((size_t)off + 12 > d.pagesize) {
                cat_warn(s, f, 0, "page %u: entry %u is cut off", no, i);
                continue;
            }
            rc = bdb_overflow(s, f, &d, rd32(&d, item + 4), rd32(&d, item + 8), &buf);
            if (rc == FTH_EINVALID) {
                rc = 0;
                continue;
            }
            if (rc >= 0)
                rc = fn(data, (const unsigned char *)buf.ptr, buf.len);
        }
    }
    fth_buf_release(&buf);
    return rc;
}

/* ---- NDB ---- */

#define NDB_PAGE 4096
#define NDB_SLOT 16
#define NDB_BLK 16
#define NDB_HEAD 32
#define NDB_BLOBHEAD 16
#define NDB_BLOBTAIL 12

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

int rpm_read_ndb(struct cat_sink *s, const struct cat_file *f, rpm_blob_fn fn, void *data)
{
    const unsigned char *p = f->data;
    uint32_t slotpages;
    size_t slotend;
    int rc = 0;

    if (f->len < NDB_HEAD || memcmp(p, "RpmP", 4)) {
        cat_warn(s, f, 0, "not an rpm ndb database");
        return 0;
    }
    if (le32(p + 4) != 0) {
        cat_warn(s, f, 0, "unsupported ndb version %u", le32(p + 4));
        return 0;
    }
    slotpages = le32(p + 12);
    if (!slotpages || (uint64_t)slotpages * NDB_PAGE > f->len) {
        cat_warn(s, f, 0, "%u slot pages do not fit in %zu bytes", slotpages, f->len);
        return 0;
    }
    slotend = (size_t)slotpages * NDB_PAGE;
    for (size_t off = NDB_HEAD; off + NDB_SLOT <= slotend && rc >= 0; off += NDB_SLOT) {
        const unsigned char *slot = p + off;
        uint32_t idx = le32(slot + 4), blkoff = le32(slot + 8), blkcnt = le32(slot + 12);
        uint64_t start = (uint64_t)blkoff * NDB_BLK, size = (uint64_t)blkcnt * NDB_BLK;
        const unsigned char *blob;
        uint32_t bloblen;

        if (memcmp(slot, "Slot", 4)) {
            cat_warn(s, f, 0, "slot at offset %zu has a bad magic", off);
            continue;
        }
        if (!idx)
            continue; /* a free slot */
        if (start < slotend || start + size > f->len || size < NDB_BLOBHEAD + NDB_BLOBTAIL) {
            cat_warn(s, f, 0, "package %u: blob at block %u (+%u) out of range", idx, blkoff,
                     blkcnt);
            continue;
        }
        blob = p + start;
        bloblen = le32(blob + 12);
        if (memcmp(blob, "BlbS", 4) || le32(blob + 4) != idx ||
            bloblen > size - NDB_BLOBHEAD - NDB_BLOBTAIL) {
            cat_warn(s, f, 0, "package %u: bad blob header", idx);
            continue;
        }
        rc = fn(data, blob + NDB_BLOBHEAD, bloblen);
    }
    return rc;
}
