/*
 * vulndb: the SQLite file. Opening, the schema, and what the database holds.
 *
 * WAL mode lets readers (a scan, `fathom db query`) keep reading the last committed state
 * while an import writes, and an import is one transaction, so a failed one changes nothing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vulndb_int.h"
#include "fathom/version.h"
#include "../base/banned.h"

/* Versions stay in `affected` as JSON (ranges with their events, the explicit list) because
 * they are only ever read whole, to be evaluated by fth_osv_affected. */
static const char schema_sql[] =
    "CREATE TABLE source ("
    "  name TEXT PRIMARY KEY,"
    "  imported_at TEXT NOT NULL);"
    "CREATE TABLE advisory ("
    "  id TEXT PRIMARY KEY,"
    "  summary TEXT,"
    "  details TEXT,"
    "  published TEXT,"
    "  modified TEXT NOT NULL,"
    "  withdrawn TEXT,"
    "  source TEXT NOT NULL,"
    "  raw TEXT);"
    "CREATE TABLE alias ("
    "  advisory_id TEXT NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,"
    "  alias TEXT NOT NULL,"
    "  PRIMARY KEY (advisory_id, alias));"
    "CREATE INDEX alias_by_alias ON alias(alias);"
    "CREATE TABLE reference ("
    "  advisory_id TEXT NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,"
    "  type TEXT,"
    "  url TEXT NOT NULL);"
    "CREATE INDEX reference_by_advisory ON reference(advisory_id);"
    "CREATE TABLE severity ("
    "  advisory_id TEXT NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,"
    "  type TEXT NOT NULL,"
    "  score TEXT NOT NULL);"
    "CREATE INDEX severity_by_advisory ON severity(advisory_id);"
    "CREATE TABLE affected ("
    "  id INTEGER PRIMARY KEY,"
    "  advisory_id TEXT NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,"
    "  ecosystem TEXT NOT NULL,"   /* OSV's name without the release: "Debian" */
    "  release TEXT NOT NULL,"     /* "12" of "Debian:12", "" when none */
    "  package TEXT NOT NULL,"     /* as the advisory writes it */
    "  package_key TEXT NOT NULL," /* as the ecosystem compares it */
    "  purl TEXT,"
    "  ranges TEXT NOT NULL,"    /* [{"type":"ECOSYSTEM","events":[{"fixed":"1.2"}]}] */
    "  versions TEXT NOT NULL,"  /* ["1.0","1.1"] */
    "  ecosystem_specific TEXT," /* JSON as given */
    "  database_specific TEXT,"
    "  status TEXT NOT NULL DEFAULT ''," /* distro rows: fixed, unfixed, not-affected, ... */
    "  severity TEXT);"                  /* distro rows: the distro's urgency */
    "CREATE INDEX affected_by_package ON affected(ecosystem, package_key);"
    "CREATE INDEX affected_by_advisory ON affected(advisory_id);";

/* From schema 1 to 2. */
static const char schema2_sql[] = "ALTER TABLE affected ADD COLUMN status TEXT NOT NULL DEFAULT '';"
                                  "ALTER TABLE affected ADD COLUMN severity TEXT;";

int vulndb_sql_error(struct fth_error *err, struct fth_vulndb *db, const char *what)
{
    return fth_error_set(err, FTH_EIO, "'%s': %s: %s", db->path, what, sqlite3_errmsg(db->sql));
}

int vulndb_prepare(sqlite3_stmt **out, struct fth_vulndb *db, const char *sql,
                   struct fth_error *err)
{
    *out = NULL;
    if (sqlite3_prepare_v2(db->sql, sql, -1, out, NULL) != SQLITE_OK)
        return vulndb_sql_error(err, db, "cannot prepare a statement");
    return 0;
}

int vulndb_exec(struct fth_vulndb *db, const char *sql, struct fth_error *err)
{
    if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
        return vulndb_sql_error(err, db, "cannot write");
    return 0;
}

int vulndb_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (!s)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

const char *vulndb_column_text(struct fth_arena *a, sqlite3_stmt *st, int col, int empty_for_null)
{
    const unsigned char *s = sqlite3_column_text(st, col);

    if (!s)
        return empty_for_null ? "" : NULL;
    return fth_arena_strndup(a, (const char *)s, (size_t)sqlite3_column_bytes(st, col));
}

int vulndb_split_ecosystem(const char **eco, const char **release, struct fth_arena *a,
                           const char *name)
{
    const char *colon = strchr(name, ':');
    size_t n = colon ? (size_t)(colon - name) : strlen(name);
    enum fth_ecosystem e;
    char *base;
    int error = 0;

    *eco = NULL;
    *release = NULL;
    if (!(base = fth_arena_strndup(a, name, n)) ||
        !(*release = fth_arena_strdup(a, colon ? colon + 1 : ""))) {
        error = FTH_ENOMEM;
        goto out;
    }
    *eco = base;
    if (fth_ecosystem_parse(&e, base) == 0)
        *eco = fth_ecosystem_name(e);
out:
    return error;
}

const char *fth_vulndb_package_key(struct fth_arena *a, const char *ecosystem, const char *name)
{
    enum fth_ecosystem e;
    char *key, *p;
    const char *s;

    if (fth_ecosystem_parse(&e, ecosystem) < 0 || e != FTH_ECO_PYPI)
        return fth_arena_strdup(a, name);
    /* PEP 503: lower case, each run of '-', '_' and '.' is one '-'. */
    if (!(key = fth_arena_alloc(a, strlen(name) + 1)))
        return NULL;
    for (p = key, s = name; *s; s++) {
        if (*s == '-' || *s == '_' || *s == '.') {
            if (p == key || p[-1] != '-')
                *p++ = '-';
            while (s[1] == '-' || s[1] == '_' || s[1] == '.')
                s++;
        } else {
            *p++ = (char)tolower((unsigned char)*s);
        }
    }
    *p = '\0';
    return key;
}

/* The schema version, or -1 when the file holds tables that are not ours. */
static int schema_version(int *out, struct fth_vulndb *db, struct fth_error *err)
{
    sqlite3_stmt *st = NULL;
    int error = 0;

    *out = 0;
    if ((error = vulndb_prepare(&st, db, "PRAGMA user_version", err)) < 0)
        goto out;
    if (sqlite3_step(st) != SQLITE_ROW) {
        error = vulndb_sql_error(err, db, "cannot read the schema version");
        goto out;
    }
    *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (*out != 0)
        goto out;
    if ((error = vulndb_prepare(&st, db, "SELECT count(*) FROM sqlite_master", err)) < 0)
        goto out;
    if (sqlite3_step(st) != SQLITE_ROW) {
        error = vulndb_sql_error(err, db, "cannot read the schema");
        goto out;
    }
    if (sqlite3_column_int(st, 0) != 0)
        *out = -1;
out:
    sqlite3_finalize(st);
    return error;
}

int fth_vulndb_open(struct fth_vulndb **out, const char *path, unsigned flags,
                    struct fth_error *err)
{
    struct fth_vulndb *db = NULL;
    struct stat st;
    int error = 0, version, mode;

    *out = NULL;
    if (!(flags & FTH_VULNDB_CREATE) && stat(path, &st) < 0) {
        error = fth_error_set(err, FTH_ENOTFOUND,
                              "'%s': no vulnerability database; run 'fathom db import'", path);
        goto out;
    }
    if (!(db = calloc(1, sizeof(*db))) || !(db->path = strdup(path))) {
        error = FTH_ENOMEM;
        goto out;
    }
    mode = (flags & FTH_VULNDB_READONLY) ? SQLITE_OPEN_READONLY
                                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &db->sql, mode | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        error = vulndb_sql_error(err, db, "cannot open");
        goto out;
    }
    sqlite3_busy_timeout(db->sql, 10000);
    if ((error = schema_version(&version, db, err)) < 0)
        goto out;
    if (version == 0 && !(flags & FTH_VULNDB_READONLY)) {
        if ((error = vulndb_exec(db, "PRAGMA journal_mode=WAL", err)) < 0 ||
            (error = vulndb_exec(db, "BEGIN IMMEDIATE", err)) < 0)
            goto out;
        if ((error = vulndb_exec(db, schema_sql, err)) < 0 ||
            (error = vulndb_exec(db, "PRAGMA user_version=2", err)) < 0 ||
            (error = vulndb_exec(db, "COMMIT", err)) < 0) {
            sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
            goto out;
        }
        version = FTH_VULNDB_SCHEMA;
    }
    if (version == 1 && !(flags & FTH_VULNDB_READONLY)) {
        /* schema 2 only adds the distro columns: an older file is upgraded in place */
        if ((error = vulndb_exec(db, "BEGIN IMMEDIATE", err)) < 0)
            goto out;
        if ((error = vulndb_exec(db, schema2_sql, err)) < 0 ||
            (error = vulndb_exec(db, "PRAGMA user_version=2", err)) < 0 ||
            (error = vulndb_exec(db, "COMMIT", err)) < 0) {
            sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
            goto out;
        }
        version = FTH_VULNDB_SCHEMA;
    }
    if (version != FTH_VULNDB_SCHEMA) {
        error = version == 0 ? fth_error_set(err, FTH_EINVALID, "'%s': empty database", path)
                             : fth_error_set(err, FTH_EINVALID,
                                             "'%s': not a vulnerability database of schema %d; "
                                             "import into it (schema 1 is upgraded) or remove it",
                                             path, FTH_VULNDB_SCHEMA);
        goto out;
    }
    if ((error = vulndb_exec(db, "PRAGMA foreign_keys=ON", err)) < 0)
        goto out;
    *out = db;
    db = NULL;
out:
    fth_vulndb_free(db);
    return error;
}

void fth_vulndb_free(struct fth_vulndb *db)
{
    if (!db)
        return;
    vulndb_index_drop(db);
    vulndb_index_free(db->retired);
    sqlite3_close(db->sql);
    free(db->path);
    free(db);
}

int fth_vulndb_info(struct fth_vulndb_info *out, struct fth_arena *a, struct fth_vulndb *db,
                    struct fth_error *err)
{
    static const char sources_sql[] =
        "SELECT s.name, s.imported_at, (SELECT count(*) FROM advisory a WHERE a.source = s.name) "
        "FROM source s ORDER BY s.name";
    static const char ecosystems_sql[] =
        "SELECT ecosystem, count(DISTINCT advisory_id), count(DISTINCT package_key) "
        "FROM affected GROUP BY ecosystem ORDER BY ecosystem";
    struct fth_vulndb_source *sources = NULL;
    struct fth_vulndb_count *ecos = NULL;
    sqlite3_stmt *st = NULL;
    size_t n, cap;
    int error = 0, rc;

    memset(out, 0, sizeof(*out));
    out->schema = FTH_VULNDB_SCHEMA;
    if ((error = vulndb_prepare(&st, db, "SELECT count(*), count(withdrawn) FROM advisory", err)) <
        0)
        goto out;
    if (sqlite3_step(st) != SQLITE_ROW) {
        error = vulndb_sql_error(err, db, "cannot read");
        goto out;
    }
    out->advisories = (size_t)sqlite3_column_int64(st, 0);
    out->withdrawn = (size_t)sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    if ((error = vulndb_prepare(&st, db, sources_sql, err)) < 0)
        goto out;
    for (n = 0, cap = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; n++) {
        if (n == cap) {
            struct fth_vulndb_source *grown;

            cap = cap ? cap * 2 : 8;
            if (!(grown = fth_arena_calloc(a, cap, sizeof(*grown)))) {
                error = FTH_ENOMEM;
                goto out;
            }
            if (n)
                memcpy(grown, sources, n * sizeof(*grown));
            sources = grown;
        }
        sources[n].name = vulndb_column_text(a, st, 0, 1);
        sources[n].imported_at = vulndb_column_text(a, st, 1, 1);
        sources[n].advisories = (size_t)sqlite3_column_int64(st, 2);
        if (!sources[n].name || !sources[n].imported_at) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        error = vulndb_sql_error(err, db, "cannot read the sources");
        goto out;
    }
    out->sources = sources;
    out->nsources = n;
    sqlite3_finalize(st);
    if ((error = vulndb_prepare(&st, db, ecosystems_sql, err)) < 0)
        goto out;
    for (n = 0, cap = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; n++) {
        if (n == cap) {
            struct fth_vulndb_count *grown;

            cap = cap ? cap * 2 : 16;
            if (!(grown = fth_arena_calloc(a, cap, sizeof(*grown)))) {
                error = FTH_ENOMEM;
                goto out;
            }
            if (n)
                memcpy(grown, ecos, n * sizeof(*grown));
            ecos = grown;
        }
        if (!(ecos[n].ecosystem = vulndb_column_text(a, st, 0, 1))) {
            error = FTH_ENOMEM;
            goto out;
        }
        ecos[n].advisories = (size_t)sqlite3_column_int64(st, 1);
        ecos[n].packages = (size_t)sqlite3_column_int64(st, 2);
    }
    if (rc != SQLITE_DONE) {
        error = vulndb_sql_error(err, db, "cannot read the ecosystems");
        goto out;
    }
    out->ecosystems = ecos;
    out->necosystems = n;
out:
    sqlite3_finalize(st);
    return error;
}
