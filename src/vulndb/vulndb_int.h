/* vulndb: declarations shared by the module's files (db.c, osv.c, match.c, secdb.c). */
#ifndef FATHOM_VULNDB_INT_H
#define FATHOM_VULNDB_INT_H

#include <sqlite3.h>

#include "fathom/vulndb.h"

struct fth_vulndb {
    sqlite3 *sql;
    char *path;
    /* match.c's statements, prepared on first use and kept until the handle is freed */
    sqlite3_stmt *match_candidates, *match_aliases, *match_severity;
};

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

#endif
