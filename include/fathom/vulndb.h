/*
 * vulndb: the vulnerability database. OSV advisories (JSON or YAML files, directories of
 * them), Alpine secdb, RustSec and the Debian security tracker's data are imported into one
 * SQLite file; a package version is matched against the stored ranges with each ecosystem's
 * own version order (fathom/version.h), a distro package by its source package and release.
 */
#ifndef FATHOM_VULNDB_H
#define FATHOM_VULNDB_H

#include <signal.h>

#include "fathom/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version stored in PRAGMA user_version (2 added the distro columns; a schema 1
 * file is upgraded in place when opened for writing). */
#define FTH_VULNDB_SCHEMA 2

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
    /* Added with distro matching (fth_vulndb_lookup); fth_vulndb_match fills them too. */
    const char *release; /* the release of the matching entry ("bookworm", "v3.20"), "" none */
    /*
     * "fixed" (a fixed version exists, listed in `fixed`), "unfixed" (no fix yet),
     * "will-not-fix" (the distro decided not to fix it), "end-of-life" (the release gets no
     * more fixes), "undetermined" (the distro has not assessed it), or "not-affected" (only
     * with FTH_VULNDB_MATCH_NOT_AFFECTED: the release never shipped the flaw).
     */
    const char *status;
    const char *distro_severity; /* the distro's urgency ("low", "medium", ...), "" none */
};

/*
 * The advisories affecting `version` of `package` in `ecosystem` (an OSV ecosystem name or one
 * of fth_ecosystem_parse's aliases; "Debian:12" limits the match to that release and to
 * advisories that name no release). Package names compare as the ecosystem normalises them
 * (PyPI: case-insensitive, runs of '-', '_' and '.' alike; others exactly). Withdrawn
 * advisories never match. The results, ordered by id, live in `a`; their strings belong to
 * the handle and stay valid until fth_vulndb_free. FTH_EINVALID when the ecosystem is unknown
 * or the version is not valid in it. The first lookup on a handle reads the affected entries
 * into memory (later lookups run no SQL); an import through the handle makes the next lookup
 * read them again, while another process's import is seen by handles opened after it.
 */
int fth_vulndb_match(struct fth_vulndb_match **out, size_t *nout, struct fth_arena *a,
                     struct fth_vulndb *db, const char *ecosystem, const char *package,
                     const char *version, struct fth_error *err);

/* flags of struct fth_vulndb_match_opts */
#define FTH_VULNDB_MATCH_NOT_AFFECTED 0x1u /* also return entries that say "not affected" */

struct fth_vulndb_match_opts {
    /*
     * The distro release: Debian's number or code name ("12", "12.5", "bookworm"), Alpine's
     * branch ("v3.20", "3.20", "3.20.3"); both spellings match. NULL or "" for none, or for the
     * one in the ecosystem ("Debian:12"). Entries that name no release match any.
     */
    const char *release;
    /* The source package (Debian source, Alpine origin): distro advisories are written
     * against it, so when set it is looked up instead of the package name. */
    const char *source;
    unsigned flags;
};

#define FTH_VULNDB_MATCH_OPTS_INIT                                                                 \
    {                                                                                              \
        NULL, NULL, 0                                                                              \
    }

/*
 * fth_vulndb_match with a distro release, a source package and flags (opts NULL: none).
 * Each result says its status, the release it came from and the distro's severity. The
 * version is the one of the package looked up: for a Debian source package, the source
 * version (a binNMU's "+b1" is the binary's).
 */
int fth_vulndb_lookup(struct fth_vulndb_match **out, size_t *nout, struct fth_arena *a,
                      struct fth_vulndb *db, const char *ecosystem, const char *package,
                      const char *version, const struct fth_vulndb_match_opts *opts,
                      struct fth_error *err);

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
 *
 * It reads three more formats, recognised by content: RustSec advisories (*.md files that open
 * with a ```toml block; other Markdown is passed over), the Debian security tracker JSON
 * (advisories "DEBIAN-<CVE>", a row per source package and release code name, with a status
 * and the urgency) and the tracker's DSA/DLA lists (any file name). Without `source` each
 * format records its own: "osv", "rustsec", "debian". RustSec entries and list entries are
 * replaced when their text changed (unless the stored one is newer); the tracker's rows for a
 * package are rewritten when they changed. docs/vulndb.md has the details.
 */

/* ---- update: download the public feeds, swap the database atomically (update.c) ---- */

/* One feed: where it is and what it holds. */
struct fth_vulndb_feed {
    const char
        *name;       /* [A-Za-z0-9._-], unique; also the source its advisories are recorded under */
    const char *url; /* http or https */
    const char *format; /* "osv" (an archive or a document), "alpine-secdb", "debian-tracker" */
};

/* How the feed list is made (fth_vulndb_feeds). Every member may be NULL/0. */
struct fth_vulndb_feed_opts {
    const char *config; /* a YAML or JSON file (docs/vulndb.md, "db update"); NULL: none */
    const char *mirror; /* base URL replacing the official hosts; overrides the config's */
    const char *const *overrides; /* "NAME=URL": that feed's URL, or a new feed */
    size_t noverrides;
    const char *const *sources; /* keep only these feeds: a name, or a prefix ending before '-' */
    size_t nsources;
};

/*
 * The feeds to update, in `a`: the official ones (OSV's per-ecosystem archives, Alpine's secdb
 * per branch and repository, the Debian security tracker), changed by the config file, the
 * mirror and the overrides, then narrowed to `sources`. FTH_EINVALID (naming the file, line
 * and field) for a bad config, FTH_EUSAGE for an override or source that names nothing usable.
 */
int fth_vulndb_feeds(struct fth_vulndb_feed **out, size_t *nout, struct fth_arena *a,
                     const struct fth_vulndb_feed_opts *opts, struct fth_error *err);

struct fth_vulndb_update_opts {
    const struct fth_vulndb_feed *feeds;
    size_t nfeeds;
    /* Comma-separated host names; a feed URL (before any request) on another host is
     * FTH_EUSAGE. NULL: every host. */
    const char *allow_hosts;
    unsigned retries; /* extra attempts per download on 5xx and connection errors */
    /* Set (from a signal handler) to stop: the update fails and changes nothing. May be NULL. */
    const volatile sig_atomic_t *cancel;
    /* Bytes of the feed being downloaded; total 0 when the server did not say. May be NULL. */
    void (*progress)(void *data, const char *feed, uint64_t done, uint64_t total);
    void *progress_data;
};

#define FTH_VULNDB_UPDATE_OPTS_INIT                                                                \
    {                                                                                              \
        NULL, 0, NULL, 2, NULL, NULL, NULL                                                         \
    }

struct fth_vulndb_feed_result {
    const char *name;
    int not_modified; /* 1: the server answered 304, the feed's data was kept */
    uint64_t bytes;   /* downloaded */
    struct fth_vulndb_import_stats stats;
};

struct fth_vulndb_update_result {
    const struct fth_vulndb_feed_result *feeds; /* one per feed, in order */
    size_t nfeeds;
    int replaced;      /* 1 when a new database was swapped in, 0 when nothing changed */
    size_t advisories; /* in the new database (0 when not replaced) */
};

/*
 * Download each feed (a conditional GET with the ETag and Last-Modified remembered from the
 * last update), import those that changed into a copy of the database at `path` built beside
 * it (<path>.new-XXXXXX), and rename the copy over `path` once every feed succeeded. A failed
 * download, a damaged archive, a feed of which nothing could be read, or *opts->cancel leave
 * `path` untouched and remove every temporary file. `path` need not exist; one that is not a
 * vulnerability database, or of a newer schema, is refused before any download. One update per
 * database at a time (a flock on <path>.update-lock; FTH_EIO when taken), which also lets it
 * remove what a killed update left beside `path`. Results in `a`.
 */
int fth_vulndb_update(struct fth_vulndb_update_result *out, struct fth_arena *a, const char *path,
                      const struct fth_vulndb_update_opts *opts, struct fth_error *err);

#ifdef __cplusplus
}
#endif
#endif
