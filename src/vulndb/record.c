/*
 * vulndb: storing an advisory that an importer other than the OSV one built (RustSec, DSA/DLA
 * lists), and the release names distro advisories are stored and asked under.
 *
 * Those sources give no reliable `modified` time (a DSA list entry gains a CVE without a new
 * date; a RustSec file keeps its report date when amended), so a record already present is
 * replaced when its text differs, unless the stored one is newer.
 */
#include <ctype.h>
#include <string.h>

#include "vulndb_int.h"
#include "../base/banned.h"

static const char *const statements[VW_COUNT] = {
    "SELECT modified, raw FROM advisory WHERE id = ?1",
    "DELETE FROM advisory WHERE id = ?1",
    "INSERT INTO advisory (id, summary, details, published, modified, withdrawn, source, raw) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT OR IGNORE INTO alias (advisory_id, alias) VALUES (?1, ?2)",
    "INSERT INTO reference (advisory_id, type, url) VALUES (?1, ?2, ?3)",
    "INSERT INTO severity (advisory_id, type, score) VALUES (?1, ?2, ?3)",
    "INSERT INTO affected (advisory_id, ecosystem, release, package, package_key, ranges, "
    "versions, ecosystem_specific, database_specific, status, severity) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
};

int vulndb_writer_init(struct vulndb_writer *w, struct fth_vulndb *db, struct fth_error *err)
{
    size_t i;
    int error = 0;

    memset(w, 0, sizeof(*w));
    w->db = db;
    w->err = err;
    for (i = 0; i < VW_COUNT && error == 0; i++)
        error = vulndb_prepare(&w->st[i], db, statements[i], err);
    return error;
}

void vulndb_writer_release(struct vulndb_writer *w)
{
    size_t i;

    for (i = 0; i < VW_COUNT; i++)
        sqlite3_finalize(w->st[i]);
    memset(w, 0, sizeof(*w));
}

int vulndb_step_done(struct fth_vulndb *db, struct fth_error *err, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : vulndb_sql_error(err, db, "cannot write");
}

static int step(struct vulndb_writer *w, sqlite3_stmt *st)
{
    return vulndb_step_done(w->db, w->err, st);
}

int vulndb_put_advisory(sqlite3_stmt *const st[4], struct fth_vulndb *db, struct fth_error *err,
                        const struct vulndb_record *rec, const char *source)
{
    size_t i;
    int error;

    vulndb_bind_text(st[0], 1, rec->id);
    vulndb_bind_text(st[0], 2, rec->summary);
    vulndb_bind_text(st[0], 3, rec->details);
    vulndb_bind_text(st[0], 4, rec->published);
    vulndb_bind_text(st[0], 5, rec->modified);
    vulndb_bind_text(st[0], 6, rec->withdrawn);
    vulndb_bind_text(st[0], 7, source);
    vulndb_bind_text(st[0], 8, rec->raw);
    if ((error = vulndb_step_done(db, err, st[0])) < 0)
        return error;
    for (i = 0; i < rec->aliases.len; i++) {
        vulndb_bind_text(st[1], 1, rec->id);
        vulndb_bind_text(st[1], 2, rec->aliases.items[i]);
        if ((error = vulndb_step_done(db, err, st[1])) < 0)
            return error;
    }
    for (i = 0; i < rec->references.len; i++) {
        const struct vulndb_reference *ref = rec->references.items[i];

        vulndb_bind_text(st[2], 1, rec->id);
        vulndb_bind_text(st[2], 2, ref->type);
        vulndb_bind_text(st[2], 3, ref->url);
        if ((error = vulndb_step_done(db, err, st[2])) < 0)
            return error;
    }
    for (i = 0; i < rec->severity.len; i++) {
        const struct fth_vulndb_severity *sev = rec->severity.items[i];

        vulndb_bind_text(st[3], 1, rec->id);
        vulndb_bind_text(st[3], 2, sev->type);
        vulndb_bind_text(st[3], 3, sev->score);
        if ((error = vulndb_step_done(db, err, st[3])) < 0)
            return error;
    }
    return 0;
}

/* The digits of a timestamp's date and time (YYYYMMDDhhmmss), enough to order them. */
static void time_key(char key[15], const char *ts)
{
    size_t n = 0;

    for (; ts && *ts && n < 14; ts++)
        if (isdigit((unsigned char)*ts))
            key[n++] = *ts;
    while (n < 14)
        key[n++] = '0';
    key[14] = '\0';
}

static int older(const char *a, const char *b)
{
    char ka[15], kb[15];

    time_key(ka, a);
    time_key(kb, b);
    return strcmp(ka, kb) < 0;
}

/* 1 when the stored record stays (same text, or newer), 0 when absent, 2 when replaced. */
static int existing(int *out, struct vulndb_writer *w, const struct vulndb_record *rec)
{
    sqlite3_stmt *st = w->st[VW_GET];
    int rc, error = 0;

    *out = 0;
    vulndb_bind_text(st, 1, rec->id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *modified = (const char *)sqlite3_column_text(st, 0);
        const char *raw = (const char *)sqlite3_column_text(st, 1);

        if ((raw && rec->raw && !strcmp(raw, rec->raw)) || older(rec->modified, modified))
            *out = 1;
        else
            *out = 2;
    } else if (rc != SQLITE_DONE) {
        error = vulndb_sql_error(w->err, w->db, "cannot read");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return error;
}

int vulndb_writer_put(struct vulndb_writer *w, struct fth_vulndb_import_stats *stats,
                      struct fth_arena *a, const struct vulndb_record *rec, const char *source)
{
    sqlite3_stmt **st = w->st;
    size_t i;
    int error = 0, state;

    if ((error = existing(&state, w, rec)) < 0)
        goto out;
    if (state == 1) {
        stats->unchanged++;
        goto out;
    }
    if (state == 2) {
        vulndb_bind_text(st[VW_DELETE], 1, rec->id);
        if ((error = step(w, st[VW_DELETE])) < 0)
            goto out;
    }
    if ((error = vulndb_put_advisory(&st[VW_ADVISORY], w->db, w->err, rec, source)) < 0)
        goto out;
    for (i = 0; i < rec->rows.len; i++) {
        const struct vulndb_row *row = rec->rows.items[i];
        const char *key = fth_vulndb_package_key(a, row->ecosystem, row->package);

        if (!key) {
            error = FTH_ENOMEM;
            goto out;
        }
        vulndb_bind_text(st[VW_AFFECTED], 1, rec->id);
        vulndb_bind_text(st[VW_AFFECTED], 2, row->ecosystem);
        vulndb_bind_text(st[VW_AFFECTED], 3, row->release ? row->release : "");
        vulndb_bind_text(st[VW_AFFECTED], 4, row->package);
        vulndb_bind_text(st[VW_AFFECTED], 5, key);
        vulndb_bind_text(st[VW_AFFECTED], 6, row->ranges);
        vulndb_bind_text(st[VW_AFFECTED], 7, row->versions ? row->versions : "[]");
        vulndb_bind_text(st[VW_AFFECTED], 8, row->ecosystem_specific);
        vulndb_bind_text(st[VW_AFFECTED], 9, row->database_specific);
        vulndb_bind_text(st[VW_AFFECTED], 10, row->status ? row->status : "");
        vulndb_bind_text(st[VW_AFFECTED], 11, row->severity);
        if ((error = step(w, st[VW_AFFECTED])) < 0)
            goto out;
    }
    if (state == 2)
        stats->updated++;
    else
        stats->imported++;
out:
    return error;
}

const char *vulndb_date(struct fth_arena *a, const char *date)
{
    size_t i;

    if (!date || strlen(date) < 10)
        return NULL;
    for (i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? date[i] != '-' : !isdigit((unsigned char)date[i]))
            return NULL;
    if (date[10] == '\0')
        return fth_arena_printf(a, "%.10sT00:00:00Z", date);
    if (date[10] != 'T' && date[10] != 't' && date[10] != ' ')
        return NULL;
    return fth_arena_strdup(a, date);
}

/* Debian's numbered releases and their code names (sid, the unstable one, has no number). */
static const struct {
    const char *number, *codename;
} debian_releases[] = {
    {"2.2", "potato"},  {"3.0", "woody"},   {"3.1", "sarge"}, {"4.0", "etch"},  {"5.0", "lenny"},
    {"6.0", "squeeze"}, {"7", "wheezy"},    {"8", "jessie"},  {"9", "stretch"}, {"10", "buster"},
    {"11", "bullseye"}, {"12", "bookworm"}, {"13", "trixie"}, {"14", "forky"},  {"15", "duke"},
};

void vulndb_release_names(const char **name, const char **alias, struct fth_arena *a,
                          const char *eco, const char *release)
{
    size_t i, n;

    *name = release;
    *alias = NULL;
    if (!release || !*release)
        return;
    if (!strcmp(eco, "Debian")) {
        /* "12.5" (/etc/debian_version) is release 12; "6.0.10" is 6.0 */
        for (i = 0; i < sizeof(debian_releases) / sizeof(debian_releases[0]); i++) {
            const char *num = debian_releases[i].number;

            n = strlen(num);
            if (!strcmp(release, debian_releases[i].codename) ||
                (!strncmp(release, num, n) && (release[n] == '.' || release[n] == '\0'))) {
                *name = num;
                *alias = debian_releases[i].codename;
                return;
            }
        }
        return;
    }
    if (!strcmp(eco, "Alpine")) {
        /* secdb names branches "v3.20"; /etc/alpine-release says "3.20.3" */
        const char *s = release[0] == 'v' ? release + 1 : release;
        const char *dot = strchr(s, '.');

        if (!dot || dot == s || strspn(s, "0123456789") != (size_t)(dot - s) ||
            !isdigit((unsigned char)dot[1]))
            return;
        n = (size_t)(dot - s) + 1 + strspn(dot + 1, "0123456789");
        *name = fth_arena_printf(a, "v%.*s", (int)n, s);
        *alias = fth_arena_strndup(a, s, n);
        if (!*name || !*alias) {
            *name = release;
            *alias = NULL;
        }
    }
}
