/*
 * vulndb: the vulnerability database. OSV advisories (JSON or YAML files, directories of
 * them) are imported into one SQLite file; a package version is matched against the stored
 * ranges with each ecosystem's own version order (fathom/version.h).
 */
#ifndef FATHOM_VULNDB_H
#define FATHOM_VULNDB_H

#include "fathom/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version stored in PRAGMA user_version. */
#define FTH_VULNDB_SCHEMA 1

struct fth_vulndb;

/* flags */
#define FTH_VULNDB_CREATE 0x1u   /* create the file (not its directory) when it is missing */
#define FTH_VULNDB_READONLY 0x2u /* open for matching and info only */

/*
 * Open the database at path. Without FTH_VULNDB_CREATE a missing file is FTH_ENOTFOUND; a file
 * that is not a Fathom database, or one with another schema version, is FTH_EINVALID.
 */
int fth_vulndb_open(struct fth_vulndb **out, const char *path, unsigned flags,
                    struct fth_error *err);
void fth_vulndb_free(struct fth_vulndb *db);

struct fth_vulndb_import_stats {
    size_t files;     /* advisory files read */
    size_t imported;  /* advisories new to the database */
    size_t updated;   /* advisories replaced by a newer `modified` */
    size_t unchanged; /* advisories already present with the same or a newer `modified` */
    size_t skipped;   /* malformed files or advisories (each logged as a warning) */
};

/*
 * Import OSV advisories from files (any name) and directories (recursively, *.json, *.yaml and
 * *.yml), recording them under `source` ("osv" when NULL). Everything happens in one
 * transaction: when the import fails (an unreadable path, a write error) the database is left
 * as it was. A malformed advisory is not a failure: it is skipped with a warning
 * (fth_log, module "vulndb") that names the file, line and field. An advisory already present
 * is replaced only when the new one's `modified` is later.
 */
int fth_vulndb_import(struct fth_vulndb_import_stats *out, struct fth_vulndb *db,
                      const char *const *paths, size_t npaths, const char *source,
                      struct fth_error *err);

struct fth_vulndb_severity {
    const char *type;  /* "CVSS_V3", "CVSS_V4", ... */
    const char *score; /* the vector (or score) as the advisory states it */
};

/* One advisory that affects the version asked about. */
struct fth_vulndb_match {
    const char *id;
    const char *summary; /* "" when the advisory has none */
    const char *published;
    const char *modified;
    const char *source;
    const char *package; /* the package name as the advisory writes it */
    const char *const *aliases;
    size_t naliases;
    const char *const *fixed; /* the `fixed` events of the matching ranges, in order */
    size_t nfixed;
    const struct fth_vulndb_severity *severity;
    size_t nseverity;
};

/*
 * The advisories affecting `version` of `package` in `ecosystem` (an OSV ecosystem name or one
 * of fth_ecosystem_parse's aliases; "Debian:12" limits the match to that release and to
 * advisories that name no release). Package names compare as the ecosystem normalises them
 * (PyPI: case-insensitive, runs of '-', '_' and '.' alike; others exactly). Withdrawn
 * advisories never match. The results, ordered by id, live in `a`. FTH_EINVALID when the
 * ecosystem is unknown or the version is not valid in it.
 */
int fth_vulndb_match(struct fth_vulndb_match **out, size_t *nout, struct fth_arena *a,
                     struct fth_vulndb *db, const char *ecosystem, const char *package,
                     const char *version, struct fth_error *err);

struct fth_vulndb_source {
    const char *name;
    const char *imported_at; /* UTC, RFC 3339 */
    size_t advisories;
};

struct fth_vulndb_count {
    const char *ecosystem;
    size_t advisories; /* advisories with an affected entry in the ecosystem */
    size_t packages;   /* distinct package names */
};

struct fth_vulndb_info {
    int schema;
    size_t advisories;
    size_t withdrawn;
    const struct fth_vulndb_source *sources;
    size_t nsources;
    const struct fth_vulndb_count *ecosystems; /* by name */
    size_t necosystems;
};

/* What the database holds; the strings live in `a`. */
int fth_vulndb_info(struct fth_vulndb_info *out, struct fth_arena *a, struct fth_vulndb *db,
                    struct fth_error *err);

/* The name as the ecosystem compares it ("Foo_Bar.baz" is "foo-bar-baz" in PyPI), in `a`. */
const char *fth_vulndb_package_key(struct fth_arena *a, const char *ecosystem, const char *name);

/*
 * fth_vulndb_import also reads archives: a path ending in .tar.gz, .tgz, .tar or .zip is
 * streamed and its *.json, *.yaml and *.yml members imported (warnings name
 * "archive:member:line"); a damaged or truncated archive fails the import, which then changes
 * nothing. A document with `distroversion` and `packages` is an Alpine secdb one: its fixes
 * are stored as ecosystem "Alpine", release distroversion, advisories "ALPINE-<CVE>".
 */

#ifdef __cplusplus
}
#endif
#endif
