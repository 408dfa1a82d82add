/*
 * vulndb: the Alpine secdb importer. A secdb document (secdb.alpinelinux.org JSON, or the YAML
 * of the alpine-secdb repository) lists, per package of one release and repository, the
 * version that fixed each CVE:
 *
 *   distroversion: v3.10
 *   reponame: main
 *   packages:
 *     - pkg: {name: musl, secfixes: {1.1.22-r3: [CVE-2019-14697]}}
 *
 * Each (package, fixed version, CVE) becomes an affected row of ecosystem "Alpine", release
 * "v3.10", range introduced 0 / fixed 1.1.22-r3, under the advisory ALPINE-CVE-2019-14697
 * (the id OSV gives Alpine records) with the CVE as its alias. A fixed version of "0" means
 * the release was never affected: no row. Importing a document again replaces the rows of its
 * packages in its release.
 */
#include <string.h>

#include "vulndb_int.h"
#include "fathom/value.h"
#include "../base/banned.h"

enum { SQ_ADVISORY, SQ_ALIAS, SQ_CLEAR, SQ_AFFECTED, SQ_COUNT };

static const char *const statements[SQ_COUNT] = {
    "INSERT OR IGNORE INTO advisory (id, modified, source) "
    "VALUES (?1, '1970-01-01T00:00:00Z', ?2)",
    "INSERT OR IGNORE INTO alias (advisory_id, alias) VALUES (?1, ?2)",
    "DELETE FROM affected WHERE ecosystem = 'Alpine' AND release = ?1 AND package_key = ?2 "
    "AND database_specific LIKE '{\"secdb\":%'",
    "INSERT INTO affected (advisory_id, ecosystem, release, package, package_key, ranges, "
    "versions, database_specific) VALUES (?1, 'Alpine', ?2, ?3, ?3, ?4, '[]', ?5)",
};

struct secdb {
    struct fth_vulndb_import_stats *stats;
    struct fth_vulndb *db; /* NULL: check only */
    struct fth_arena *a;
    const char *name, *source, *release, *origin; /* origin: {"secdb":"v3.10/main"} */
    sqlite3_stmt *st[SQ_COUNT];
    struct fth_error *err;
};

int vulndb_secdb_detect(const struct fth_value *root)
{
    return root && root->type == FTH_VALUE_MAP && fth_value_get(root, "distroversion") &&
           fth_value_get(root, "packages") && !fth_value_get(root, "id");
}

/* Result of a check: the entry is malformed (a warning was logged). */
#define MALFORMED 1

/* doc: the whole document is skipped, else one package */
static int warn(struct secdb *s, const struct fth_value *at, const char *field,
                const char *expected, int doc)
{
    fth_log(FTH_LOG_WARN, "vulndb", "%s:%u:%u: '%s': expected %s, found %s; %s skipped", s->name,
            at ? at->line : 0, at ? at->column : 0, field ? field : "?", expected,
            at ? fth_value_type_name(at->type) : "nothing", doc ? "file" : "package");
    return MALFORMED;
}

/* A version key: YAML may leave "0" or "2.1" unquoted. */
static const char *version_text(struct fth_arena *a, const struct fth_value *v)
{
    if (v->type == FTH_VALUE_STRING)
        return v->u.str.ptr;
    if (v->type == FTH_VALUE_INT)
        return fth_arena_printf(a, "%lld", (long long)v->u.integer);
    return NULL;
}

/* "CVE-2019-1234 (comment)" is CVE-2019-1234; NULL when there is no id at all. */
static const char *first_word(struct fth_arena *a, const char *s)
{
    size_t n;

    s += strspn(s, " \t");
    n = strcspn(s, " \t\r\n");
    return n ? fth_arena_strndup(a, s, n) : NULL;
}

static int step(struct secdb *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : vulndb_sql_error(s->err, s->db, "cannot write");
}

static int store_fix(struct secdb *s, const char *package, const char *fixed, const char *cve)
{
    const char *id = fth_arena_printf(s->a, "ALPINE-%s", cve);
    struct fth_buf ranges = FTH_BUF_INIT;
    int error = 0;

    if (!id) {
        error = FTH_ENOMEM;
        goto out;
    }
    if ((error = fth_buf_puts(&ranges, "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":"
                                       "\"0\"},{\"fixed\":")) < 0 ||
        (error = fth_json_quote_flags(&ranges, fixed, strlen(fixed), 0)) < 0 ||
        (error = fth_buf_puts(&ranges, "}]}]")) < 0)
        goto out;
    if (!s->db)
        goto out;
    vulndb_bind_text(s->st[SQ_ADVISORY], 1, id);
    vulndb_bind_text(s->st[SQ_ADVISORY], 2, s->source);
    if ((error = step(s, s->st[SQ_ADVISORY])) < 0)
        goto out;
    if (sqlite3_changes(s->db->sql) > 0)
        s->stats->imported++;
    else
        s->stats->unchanged++;
    vulndb_bind_text(s->st[SQ_ALIAS], 1, id);
    vulndb_bind_text(s->st[SQ_ALIAS], 2, cve);
    if ((error = step(s, s->st[SQ_ALIAS])) < 0)
        goto out;
    vulndb_bind_text(s->st[SQ_AFFECTED], 1, id);
    vulndb_bind_text(s->st[SQ_AFFECTED], 2, s->release);
    vulndb_bind_text(s->st[SQ_AFFECTED], 3, package);
    vulndb_bind_text(s->st[SQ_AFFECTED], 4, ranges.ptr);
    vulndb_bind_text(s->st[SQ_AFFECTED], 5, s->origin);
    error = step(s, s->st[SQ_AFFECTED]);
out:
    fth_buf_release(&ranges);
    return error;
}

/* One packages[] item: checked whole, then written (write: 1). */
static int package(struct secdb *s, const struct fth_value *item, size_t index, int write)
{
    const struct fth_value *pkg, *name, *fixes;
    const char *where = fth_arena_printf(s->a, "packages[%zu]", index);
    size_t i, j;
    int error = 0;

    if (!where)
        return FTH_ENOMEM;
    if (item->type != FTH_VALUE_MAP || !(pkg = fth_value_get(item, "pkg")) ||
        pkg->type != FTH_VALUE_MAP)
        return warn(s, item->type == FTH_VALUE_MAP ? fth_value_get(item, "pkg") : item,
                    fth_arena_printf(s->a, "%s.pkg", where), "a mapping", 0);
    if (!(name = fth_value_get(pkg, "name")) || name->type != FTH_VALUE_STRING || !*name->u.str.ptr)
        return warn(s, name ? name : pkg, fth_arena_printf(s->a, "%s.pkg.name", where),
                    "a non-empty string", 0);
    fixes = fth_value_get(pkg, "secfixes");
    if (!fixes || fixes->type == FTH_VALUE_NULL)
        return 0;
    if (fixes->type != FTH_VALUE_MAP)
        return warn(s, fixes, fth_arena_printf(s->a, "%s.pkg.secfixes", where), "a mapping", 0);
    if (write) {
        vulndb_bind_text(s->st[SQ_CLEAR], 1, s->release);
        vulndb_bind_text(s->st[SQ_CLEAR], 2, name->u.str.ptr);
        if ((error = step(s, s->st[SQ_CLEAR])) < 0)
            return error;
    }
    for (i = 0; i < fixes->u.map.len; i++) {
        const struct fth_member *m = &fixes->u.map.items[i];
        const char *fixed = version_text(s->a, m->key);

        if (!fixed)
            return warn(s, m->key, fth_arena_printf(s->a, "%s.pkg.secfixes", where), "a version",
                        0);
        if (m->value->type == FTH_VALUE_NULL)
            continue;
        if (m->value->type != FTH_VALUE_SEQ)
            return warn(s, m->value, fth_arena_printf(s->a, "%s.pkg.secfixes.%s", where, fixed),
                        "a sequence", 0);
        for (j = 0; j < m->value->u.seq.len; j++) {
            const struct fth_value *v = m->value->u.seq.items[j];
            const char *cve;

            if (v->type != FTH_VALUE_STRING)
                return warn(s, v, fth_arena_printf(s->a, "%s.pkg.secfixes.%s[]", where, fixed),
                            "a string", 0);
            /* "0": the release never shipped an affected version */
            if (!write || !strcmp(fixed, "0") || !(cve = first_word(s->a, v->u.str.ptr)))
                continue;
            if ((error = store_fix(s, name->u.str.ptr, fixed, cve)) < 0)
                return error;
        }
    }
    return 0;
}

int vulndb_secdb_import(struct fth_vulndb_import_stats *stats, struct fth_vulndb *db,
                        struct fth_arena *a, const char *name, const char *source,
                        const struct fth_value *root, struct fth_error *err)
{
    const struct fth_value *version, *repo, *packages;
    struct fth_buf origin = FTH_BUF_INIT, quoted = FTH_BUF_INIT;
    struct secdb s;
    size_t i;
    int error = 0;

    memset(&s, 0, sizeof(s));
    s.stats = stats;
    s.db = db;
    s.a = a;
    s.name = name;
    s.source = source;
    s.err = err;
    version = fth_value_get(root, "distroversion");
    packages = fth_value_get(root, "packages");
    repo = fth_value_get(root, "reponame");
    if (!(s.release = version ? version_text(a, version) : NULL) || !*s.release) {
        stats->skipped += warn(&s, version, "distroversion", "a release such as v3.10", 1);
        goto out;
    }
    if (packages->type == FTH_VALUE_NULL) /* an empty repository (v3.3 community) */
        goto out;
    if (packages->type != FTH_VALUE_SEQ) {
        stats->skipped += warn(&s, packages, "packages", "a sequence", 1);
        goto out;
    }
    /* where the rows came from, so that importing the document again replaces just them */
    if ((error = fth_buf_printf(&origin, "%s/%s", s.release,
                                repo && repo->type == FTH_VALUE_STRING ? repo->u.str.ptr : "")) <
            0 ||
        (error = fth_buf_puts(&quoted, "{\"secdb\":")) < 0 ||
        (error = fth_json_quote_flags(&quoted, origin.ptr, origin.len, 0)) < 0 ||
        (error = fth_buf_putc(&quoted, '}')) < 0)
        goto out;
    s.origin = quoted.ptr;
    if (db)
        for (i = 0; i < SQ_COUNT; i++)
            if ((error = vulndb_prepare(&s.st[i], db, statements[i], err)) < 0)
                goto out;
    for (i = 0; i < packages->u.seq.len; i++) {
        const struct fth_value *item = packages->u.seq.items[i];

        if ((error = package(&s, item, i, 0)) < 0)
            goto out;
        if (error == MALFORMED) {
            stats->skipped++;
            error = 0;
            continue;
        }
        if (db && (error = package(&s, item, i, 1)) < 0)
            goto out;
    }
out:
    for (i = 0; i < SQ_COUNT; i++)
        sqlite3_finalize(s.st[i]);
    fth_buf_release(&origin);
    fth_buf_release(&quoted);
    return error;
}
