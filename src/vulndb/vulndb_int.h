/* vulndb: declarations shared by the module's files (db.c, osv.c, match.c, secdb.c). */
#ifndef FATHOM_VULNDB_INT_H
#define FATHOM_VULNDB_INT_H

#include <sqlite3.h>

#include "fathom/vulndb.h"

struct fth_vulndb {
    sqlite3 *sql;
    char *path;
    /* match.c's index of the affected rows, built by the first lookup; an import drops it
     * into `retired`, kept until the handle is freed because results borrow its strings */
    struct vulndb_index *index, *retired;
};

struct vulndb_index;

/* Forget the index (after an import); the next lookup builds it again. */
void vulndb_index_drop(struct fth_vulndb *db);
void vulndb_index_free(struct vulndb_index *ix);

/* Record SQLite's message for a failed call on db as an FTH_EIO error and return it. */
int vulndb_sql_error(struct fth_error *err, struct fth_vulndb *db, const char *what);

/* Prepare a statement; FTH_EIO with SQLite's message on failure. */
int vulndb_prepare(sqlite3_stmt **out, struct fth_vulndb *db, const char *sql,
                   struct fth_error *err);

/* Run statements that return no rows. */
int vulndb_exec(struct fth_vulndb *db, const char *sql, struct fth_error *err);

/* Bind a C string (NULL binds SQL NULL); the text is copied. */
int vulndb_bind_text(sqlite3_stmt *st, int i, const char *s);

/* A column's text copied into a (NULL column: NULL, or "" when empty_for_null). */
const char *vulndb_column_text(struct fth_arena *a, sqlite3_stmt *st, int col, int empty_for_null);

/*
 * Split "Debian:12" into the ecosystem's canonical OSV name (or the text as written for an
 * ecosystem the version module does not know) and the release ("" when none); both in a.
 */
int vulndb_split_ecosystem(const char **eco, const char **release, struct fth_arena *a,
                           const char *name);

/*
 * Check one OSV document (JSON when name ends in .json, else YAML) exactly as the importer
 * does, without a database: out->imported is 1 when it would be stored, out->skipped 1 when
 * it would be skipped with a warning (an Alpine secdb document: out->imported 0, out->skipped
 * its malformed packages). Negative only for FTH_ENOMEM. For the fuzzer and tests.
 */
int vulndb_osv_check(struct fth_vulndb_import_stats *out, struct fth_arena *a, const char *name,
                     const char *data, size_t len);

struct fth_value;

/* Whether a loaded document is an Alpine secdb one (distroversion, packages, no id). */
int vulndb_secdb_detect(const struct fth_value *root);

/*
 * Store the fixes of a secdb document (secdb.c) into db, in the caller's transaction; with db
 * NULL only check it. Malformed packages (or a malformed document) are skipped with a warning
 * naming `name`, counted in stats->skipped; the rest goes on. Negative on write errors.
 */
int vulndb_secdb_import(struct fth_vulndb_import_stats *stats, struct fth_vulndb *db,
                        struct fth_arena *a, const char *name, const char *source,
                        const struct fth_value *root, struct fth_error *err);

/* ---- record.c: storing one advisory built by an importer other than the OSV one ---- */

/* One affected row. */
struct vulndb_row {
    const char *ecosystem; /* "Debian", "crates.io" */
    const char *release;   /* "bookworm", "" */
    const char *package;
    const char *ranges;   /* JSON as match.c decodes it */
    const char *versions; /* JSON array, NULL for [] */
    const char *status;   /* VULNDB_STATUS_*, "" for OSV-style rows */
    const char *severity; /* the distro's urgency, NULL when none */
    const char *ecosystem_specific, *database_specific;
};

struct vulndb_reference {
    const char *type, *url;
};

struct vulndb_record {
    const char *id, *summary, *details, *published, *modified, *withdrawn;
    const char *raw;           /* the record as read, compared on re-import */
    struct fth_vec aliases;    /* const char * */
    struct fth_vec references; /* struct vulndb_reference * */
    struct fth_vec severity;   /* struct fth_vulndb_severity * */
    struct fth_vec rows;       /* struct vulndb_row * */
};

enum { VW_GET, VW_DELETE, VW_ADVISORY, VW_ALIAS, VW_REFERENCE, VW_SEVERITY, VW_AFFECTED, VW_COUNT };

struct vulndb_writer {
    struct fth_vulndb *db;
    sqlite3_stmt *st[VW_COUNT];
    struct fth_error *err;
};

#define VULNDB_STATUS_FIXED "fixed"
#define VULNDB_STATUS_UNFIXED "unfixed"
#define VULNDB_STATUS_NOT_AFFECTED "not-affected"
#define VULNDB_STATUS_WILL_NOT_FIX "will-not-fix"
#define VULNDB_STATUS_END_OF_LIFE "end-of-life"
#define VULNDB_STATUS_UNDETERMINED "undetermined"

/* Step a write statement, reset it and clear its bindings; "cannot write" on failure. */
int vulndb_step_done(struct fth_vulndb *db, struct fth_error *err, sqlite3_stmt *st);

/*
 * Insert rec's advisory row, aliases, references and severities (not its affected rows)
 * through st: the advisory, alias, reference and severity statements, in that order.
 */
int vulndb_put_advisory(sqlite3_stmt *const st[4], struct fth_vulndb *db, struct fth_error *err,
                        const struct vulndb_record *rec, const char *source);

int vulndb_writer_init(struct vulndb_writer *w, struct fth_vulndb *db, struct fth_error *err);
void vulndb_writer_release(struct vulndb_writer *w);

/*
 * Store rec under source, in the caller's transaction. A record already present is replaced
 * when its raw text differs and its modified time is not earlier (counted as updated), else
 * left (unchanged); a new one is inserted (imported). Negative on write errors.
 */
int vulndb_writer_put(struct vulndb_writer *w, struct fth_vulndb_import_stats *stats,
                      struct fth_arena *a, const struct vulndb_record *rec, const char *source);

/* "2023-06-20" (or an RFC 3339 time) as "2023-06-20T00:00:00Z" in a; NULL when malformed. */
const char *vulndb_date(struct fth_arena *a, const char *date);

/*
 * A distro release as stored and as asked: Debian "12", "12.5" and "bookworm" are name "12",
 * alias "bookworm"; Alpine "3.20", "3.20.3" and "v3.20" are name "v3.20", alias "3.20". Other
 * text is its own name, with no alias (NULL). Strings are static, `release` or in a.
 */
void vulndb_release_names(const char **name, const char **alias, struct fth_arena *a,
                          const char *eco, const char *release);

/* ---- toml.c: the TOML subset of the RustSec advisory-db front matter ---- */

/*
 * Parse TOML text into a value tree in a (tables as maps, arrays as sequences, strings,
 * integers, booleans; dates as strings). `line0` is the file line of the text's first line.
 * FTH_EINVALID with "name:line: why" in err for anything outside the subset or malformed.
 */
int vulndb_toml_parse(struct fth_value **out, struct fth_arena *a, const char *name, unsigned line0,
                      const char *text, size_t len, struct fth_error *err);

/* ---- rustsec.c ---- */

/* Whether a .md document is a RustSec advisory (it opens with a ```toml fence). */
int vulndb_rustsec_detect(const char *data, size_t len);

/*
 * Parse one RustSec advisory (Markdown with TOML front matter) into rec, in a: 0 when it is
 * well-formed, 1 when malformed (a warning naming name:line and the field was logged).
 */
int vulndb_rustsec_parse(struct vulndb_record *rec, struct fth_arena *a, const char *name,
                         const char *data, size_t len);

/* ---- debian.c: the Debian security tracker JSON and DSA/DLA lists ---- */

enum { VULNDB_DEBIAN_NONE = 0, VULNDB_DEBIAN_TRACKER, VULNDB_DEBIAN_LIST };

/* What a document is, from its first bytes. */
int vulndb_debian_detect(const char *data, size_t len);

/*
 * Import a tracker JSON document or a DSA/DLA list into db (in the caller's transaction; db
 * NULL: check only). Malformed entries are skipped with warnings naming name:line, counted in
 * stats->skipped. Negative on write errors, or FTH_EINVALID for a tracker document that is not
 * JSON at all.
 */
int vulndb_debian_import(struct fth_vulndb_import_stats *stats, struct fth_vulndb *db,
                         struct fth_arena *a, int kind, const char *name, const char *source,
                         const char *data, size_t len, struct fth_error *err);

#endif
