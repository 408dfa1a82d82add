/*
 * catalog: rpm internals shared by the header parser (rpm_header.c), the database readers
 * (rpmdb.c: Berkeley DB hash and NDB; rpm_sqlite.c: SQLite) and the cataloger (rpm.c).
 */
#ifndef FATHOM_CATALOG_RPM_INT_H
#define FATHOM_CATALOG_RPM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "catalog_int.h"

/* What the cataloger reads from one rpm header. Strings live in the arena given to the parser;
 * absent string tags are "". */
struct rpm_pkg {
    const char *name, *version, *release, *arch, *sourcerpm, *license, *vendor, *summary;
    const char *sigmd5; /* hex, "" when absent */
    int has_epoch;
    int32_t epoch;
    uint64_t size;         /* LONGSIZE when present, else SIZE */
    const char **requires; /* REQUIRENAME */
    size_t nrequires;
    const char **provides; /* PROVIDENAME */
    size_t nprovides;
    const char **files; /* DIRNAMES[DIRINDEXES[i]] + BASENAMES[i], or OLDFILENAMES */
    size_t nfiles;
};

/*
 * Parse one header blob as the databases store it (no lead, no magic: index count and data
 * length, big-endian, then the index entries and the data store). Every offset, count and
 * string is bounds-checked. 0, FTH_ENOMEM, or FTH_EINVALID with a reason in why.
 */
int rpm_header_parse(struct rpm_pkg *out, struct fth_arena *a, const unsigned char *blob,
                     size_t len, char *why, size_t whylen);

/* Called by the readers for each header blob found; a negative return stops the walk. */
typedef int (*rpm_blob_fn)(void *data, const unsigned char *blob, size_t len);

/*
 * The database readers. Each walks the whole file and calls fn for every package header
 * blob, in on-disk order. A damaged record is a cat_warn on (s, f) and is skipped. They
 * return 0, or fn's negative return / FTH_ENOMEM.
 */
int rpm_read_bdb(struct cat_sink *s, const struct cat_file *f, rpm_blob_fn fn, void *data);
int rpm_read_ndb(struct cat_sink *s, const struct cat_file *f, rpm_blob_fn fn, void *data);
int rpm_read_sqlite(struct cat_sink *s, const struct cat_file *f, rpm_blob_fn fn, void *data);

#endif
