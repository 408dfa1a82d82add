/*
 * vulndb: the Debian security tracker's data.
 *
 * The tracker JSON (security-tracker.debian.org/tracker/data/json) is one object keyed by
 * SOURCE package, then by CVE (or TEMP-) id:
 *
 *   {"apparmor": {"CVE-2016-1585": {"description": "...", "scope": "local",
 *     "releases": {"bookworm": {"status": "open", "urgency": "unimportant",
 *                               "repositories": {"bookworm": "3.0.8-3"}}}}}}
 *
 * Each (id, package, release) becomes an affected row of ecosystem "Debian", release the code
 * name, under the advisory DEBIAN-<id> (OSV's name for these records), with a status: resolved
 * with fixed_version "0" is not-affected, resolved with a version is fixed (introduced 0,
 * fixed that version), open is unfixed (will-not-fix when the security team marked it
 * "ignored", end-of-life when the urgency says so), undetermined stays undetermined. The
 * urgency ("low", "medium**", "not yet assigned", ...) is kept, without the "**" that marks an
 * NVD-derived one, as the row's distro severity.
 *
 * The document is large (tens of MB), so it is walked one package at a time: the top level is
 * scanned here and only one package's object is handed to jansson at once. The tracker gives
 * no dates, so re-import compares: a package's rows are rewritten only when they changed, and
 * an advisory counts as updated when its rows or description did.
 *
 * DSA and DLA lists (data/DSA/list, data/DLA/list in the tracker's repository) are text:
 *
 *   [29 Mar 2023] DSA-5380-1 xorg-server - security update
 *   	{CVE-2023-1393}
 *   	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
 *
 * Each entry is an advisory (id DSA-5380-1, the CVEs as aliases, dated by its header) with a
 * row per "[release] - source version" line; "<not-affected>", "<unfixed>" and
 * "<end-of-life>" in place of the version give those statuses.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "vulndb_int.h"
#include "fathom/value.h"
#include "fathom/version.h"
#include "../base/limits.h"
#include "../base/banned.h"

#define MALFORMED 1

/* Marks the rows the tracker JSON owns: the only ones a re-import of it rewrites. */
static const char tracker_origin[] = "{\"origin\":\"debian-tracker\"}";

enum { T_OLD, T_DELETE, T_INSERT, T_ADV_GET, T_ADV_INSERT, T_ADV_UPDATE, T_ALIAS, T_COUNT };

static const char *const tracker_sql[T_COUNT] = {
    "SELECT advisory_id, release, ranges, status, ifnull(severity, '') FROM affected "
    "WHERE ecosystem = 'Debian' AND package_key = ?1 AND database_specific = ?2",
    "DELETE FROM affected WHERE ecosystem = 'Debian' AND package_key = ?1 "
    "AND database_specific = ?2",
    "INSERT INTO affected (advisory_id, ecosystem, release, package, package_key, ranges, "
    "versions, database_specific, status, severity) "
    "VALUES (?1, 'Debian', ?2, ?3, ?3, ?4, '[]', ?5, ?6, ?7)",
    "SELECT ifnull(summary, '') FROM advisory WHERE id = ?1",
    "INSERT INTO advisory (id, summary, modified, source) "
    "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?3)",
    "UPDATE advisory SET summary = ?2, modified = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
    "WHERE id = ?1",
    "INSERT OR IGNORE INTO alias (advisory_id, alias) VALUES (?1, ?2)",
};

struct trow {
    const char *advisory, *release, *ranges, *status, *severity;
};

struct tracker {
    struct fth_vulndb_import_stats *stats;
    struct fth_vulndb *db; /* NULL: check only */
    struct fth_arena *a;   /* per package */
    const char *name, *source;
    sqlite3_stmt *st[T_COUNT];
    struct fth_error *err;
};

int vulndb_debian_detect(const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    size_t n = len > 4096 ? 4096 : len;
    int i;

    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        p += 3;
    while (p < end && isspace((unsigned char)*p))
        p++;
    /* [dd Mon yyyy] DSA-... */
    if (end - p > 16 && p[0] == '[' && isdigit((unsigned char)p[1]) &&
        isdigit((unsigned char)p[2]) && p[3] == ' ' && p[7] == ' ' && p[12] == ']' &&
        p[13] == ' ' && isupper((unsigned char)p[14]))
        return VULNDB_DEBIAN_LIST;
    /* {"package": {"CVE-...": { */
    end = data + n;
    for (i = 0; i < 2; i++) {
        if (p >= end || *p != '{')
            return VULNDB_DEBIAN_NONE;
        p++;
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p >= end || *p != '"')
            return VULNDB_DEBIAN_NONE;
        if (i == 1)
            return (end - p > 5 && (!memcmp(p + 1, "CVE-", 4) || !memcmp(p + 1, "TEMP-", 5)))
                       ? VULNDB_DEBIAN_TRACKER
                       : VULNDB_DEBIAN_NONE;
        for (p++; p < end && *p != '"'; p++)
            if (*p == '\\')
                p++;
        for (p++; p < end && (isspace((unsigned char)*p) || *p == ':'); p++)
            ;
    }
    return VULNDB_DEBIAN_NONE;
}

/* ---- the tracker JSON ---- */

static void twarn(struct tracker *t, unsigned line, const char *pkg, const char *id,
                  const char *field, const char *expected)
{
    fth_log(FTH_LOG_WARN, "vulndb", "%s:%u: '%s.%s%s%s': expected %s; entry skipped", t->name, line,
            pkg, id, field ? "." : "", field ? field : "", expected);
}

/* "medium**" is medium (the stars say the tracker took it from NVD) */
static const char *urgency(struct fth_arena *a, const char *u)
{
    size_t n = strlen(u);

    while (n && (u[n - 1] == '*' || u[n - 1] == ' '))
        n--;
    return fth_arena_strndup(a, u, n);
}

static int row_cmp(const void *x, const void *y)
{
    const struct trow *a = *(const struct trow *const *)x, *b = *(const struct trow *const *)y;
    int c = strcmp(a->advisory, b->advisory);

    return c ? c : strcmp(a->release, b->release);
}

static int row_eq(const struct trow *a, const struct trow *b)
{
    return !strcmp(a->advisory, b->advisory) && !strcmp(a->release, b->release) &&
           !strcmp(a->ranges, b->ranges) && !strcmp(a->status, b->status) &&
           !strcmp(a->severity, b->severity);
}

/* One (id, release) entry as a row; MALFORMED when it does not fit. */
static int tracker_row(struct trow **out, struct tracker *t, unsigned line, const char *pkg,
                       const char *id, const char *release, json_t *r)
{
    const char *status = json_string_value(json_object_get(r, "status"));
    const char *fixed = json_string_value(json_object_get(r, "fixed_version"));
    const char *urg = json_string_value(json_object_get(r, "urgency"));
    const char *reason = json_string_value(json_object_get(r, "nodsa_reason"));
    const char *field = fth_arena_printf(t->a, "releases.%s", release);
    struct trow *row = fth_arena_calloc(t->a, 1, sizeof(*row));
    struct fth_buf b = FTH_BUF_INIT;
    int error = 0;

    *out = NULL;
    if (!row || !field) {
        error = FTH_ENOMEM;
        goto out;
    }
    if (!json_is_object(r) || !status) {
        twarn(t, line, pkg, id, fth_arena_printf(t->a, "%s.status", field), "a string");
        error = MALFORMED;
        goto out;
    }
    if ((json_object_get(r, "fixed_version") && !fixed) ||
        (json_object_get(r, "urgency") && !urg)) {
        twarn(t, line, pkg, id, field, "fixed_version and urgency as strings");
        error = MALFORMED;
        goto out;
    }
    row->advisory = fth_arena_printf(t->a, "DEBIAN-%s", id);
    row->release = fth_arena_strdup(t->a, release);
    row->severity = urg ? urgency(t->a, urg) : "";
    if (!row->advisory || !row->release || !row->severity) {
        error = FTH_ENOMEM;
        goto out;
    }
    if (!strcmp(status, "resolved")) {
        if (!fixed || (strcmp(fixed, "0") != 0 && !fth_version_valid(FTH_ECO_DEBIAN, fixed, 0))) {
            twarn(t, line, pkg, id, fth_arena_printf(t->a, "%s.fixed_version", field),
                  "a Debian version");
            error = MALFORMED;
            goto out;
        }
        if (!strcmp(fixed, "0")) {
            row->status = VULNDB_STATUS_NOT_AFFECTED;
            row->ranges = "[]";
            goto out;
        }
        row->status = VULNDB_STATUS_FIXED;
        if ((error = fth_buf_puts(&b, "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":"
                                      "\"0\"},{\"fixed\":")) < 0 ||
            (error = fth_json_quote_flags(&b, fixed, strlen(fixed), 0)) < 0 ||
            (error = fth_buf_puts(&b, "}]}]")) < 0)
            goto out;
        if (!(row->ranges = fth_arena_strndup(t->a, b.ptr, b.len)))
            error = FTH_ENOMEM;
        goto out;
    }
    row->ranges = "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]";
    if (!strcmp(status, "open"))
        row->status = reason && !strcmp(reason, "ignored")    ? VULNDB_STATUS_WILL_NOT_FIX
                      : !strcmp(row->severity, "end-of-life") ? VULNDB_STATUS_END_OF_LIFE
                                                              : VULNDB_STATUS_UNFIXED;
    else if (!strcmp(status, "undetermined"))
        row->status = VULNDB_STATUS_UNDETERMINED;
    else {
        twarn(t, line, pkg, id, fth_arena_printf(t->a, "%s.status", field),
              "resolved, open or undetermined");
        error = MALFORMED;
    }
out:
    fth_buf_release(&b);
    if (error == 0)
        *out = row;
    return error;
}

static int tstep(struct tracker *t, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : vulndb_sql_error(t->err, t->db, "cannot write");
}

/* The rows a previous import stored for pkg, sorted like the new ones. */
static int old_rows(struct fth_vec *out, struct tracker *t, const char *pkg)
{
    sqlite3_stmt *st = t->st[T_OLD];
    int rc, error = 0;

    memset(out, 0, sizeof(*out));
    vulndb_bind_text(st, 1, pkg);
    vulndb_bind_text(st, 2, tracker_origin);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct trow *row = fth_arena_calloc(t->a, 1, sizeof(*row));

        if (!row || !(row->advisory = vulndb_column_text(t->a, st, 0, 1)) ||
            !(row->release = vulndb_column_text(t->a, st, 1, 1)) ||
            !(row->ranges = vulndb_column_text(t->a, st, 2, 1)) ||
            !(row->status = vulndb_column_text(t->a, st, 3, 1)) ||
            !(row->severity = vulndb_column_text(t->a, st, 4, 1)) ||
            fth_vec_push(out, t->a, row) < 0) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    if (rc != SQLITE_DONE)
        error = vulndb_sql_error(t->err, t->db, "cannot read");
    if (out->len)
        qsort(out->items, out->len, sizeof(*out->items), row_cmp);
out:
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return error;
}

/* Whether the rows of advisory id are the same in both sorted lists. */
static int same_rows(const struct fth_vec *olds, const struct fth_vec *news, const char *id)
{
    size_t i = 0, j = 0;

    while (i < olds->len && strcmp(((struct trow *)olds->items[i])->advisory, id) < 0)
        i++;
    while (j < news->len && strcmp(((struct trow *)news->items[j])->advisory, id) < 0)
        j++;
    for (;;) {
        const struct trow *o = i < olds->len ? olds->items[i] : NULL;
        const struct trow *n = j < news->len ? news->items[j] : NULL;
        int oin = o && !strcmp(o->advisory, id), nin = n && !strcmp(n->advisory, id);

        if (!oin || !nin)
            return oin == nin;
        if (!row_eq(o, n))
            return 0;
        i++;
        j++;
    }
}

/* The advisory of one id: new (imported), changed (updated) or not. */
static int tracker_advisory(struct tracker *t, const char *adv, const char *id,
                            const char *description, int rows_same)
{
    sqlite3_stmt *get = t->st[T_ADV_GET];
    int rc, error = 0, exists = 0, same = 0;

    vulndb_bind_text(get, 1, adv);
    if ((rc = sqlite3_step(get)) == SQLITE_ROW) {
        const char *old = (const char *)sqlite3_column_text(get, 0);

        exists = 1;
        same = old && !strcmp(old, description ? description : "");
    } else if (rc != SQLITE_DONE) {
        error = vulndb_sql_error(t->err, t->db, "cannot read");
    }
    sqlite3_reset(get);
    sqlite3_clear_bindings(get);
    if (error < 0)
        return error;
    if (!exists) {
        vulndb_bind_text(t->st[T_ADV_INSERT], 1, adv);
        vulndb_bind_text(t->st[T_ADV_INSERT], 2, description);
        vulndb_bind_text(t->st[T_ADV_INSERT], 3, t->source);
        if ((error = tstep(t, t->st[T_ADV_INSERT])) < 0)
            return error;
        if (!strncmp(id, "CVE-", 4)) {
            vulndb_bind_text(t->st[T_ALIAS], 1, adv);
            vulndb_bind_text(t->st[T_ALIAS], 2, id);
            if ((error = tstep(t, t->st[T_ALIAS])) < 0)
                return error;
        }
        t->stats->imported++;
    } else if (!same || !rows_same) {
        vulndb_bind_text(t->st[T_ADV_UPDATE], 1, adv);
        vulndb_bind_text(t->st[T_ADV_UPDATE], 2, description);
        if ((error = tstep(t, t->st[T_ADV_UPDATE])) < 0)
            return error;
        t->stats->updated++;
    } else {
        t->stats->unchanged++;
    }
    return 0;
}

/* One package: its object parsed, checked entry by entry, and stored when changed. */
static int tracker_package(struct tracker *t, const char *pkg, json_t *cves, unsigned line)
{
    struct fth_vec rows = {0}, olds = {0}, ids = {0}, descs = {0};
    const char *id;
    json_t *entry;
    size_t i;
    int error = 0, changed;

    if (!json_is_object(cves)) {
        fth_log(FTH_LOG_WARN, "vulndb", "%s:%u: '%s': expected an object; package skipped", t->name,
                line, pkg);
        t->stats->skipped++;
        return 0;
    }
    json_object_foreach(cves, id, entry)
    {
        json_t *releases = json_object_get(entry, "releases"), *r;
        const char *release, *desc = json_string_value(json_object_get(entry, "description"));
        size_t before = rows.len;

        if (!json_is_object(entry) || !json_is_object(releases)) {
            twarn(t, line, pkg, id, "releases", "an object");
            t->stats->skipped++;
            continue;
        }
        json_object_foreach(releases, release, r)
        {
            struct trow *row;

            if ((error = tracker_row(&row, t, line, pkg, id, release, r)) < 0)
                goto out;
            if (error == MALFORMED)
                break;
            if ((error = fth_vec_push(&rows, t->a, row)) < 0)
                goto out;
        }
        if (error == MALFORMED) {
            rows.len = before; /* the entry is skipped whole */
            error = 0;
            t->stats->skipped++;
            continue;
        }
        if ((error = fth_vec_push(&ids, t->a, (void *)id)) < 0 ||
            (error = fth_vec_push(&descs, t->a, (void *)(desc ? desc : ""))) < 0)
            goto out;
    }
    if (!t->db)
        goto out;
    if (rows.len)
        qsort(rows.items, rows.len, sizeof(*rows.items), row_cmp);
    if ((error = old_rows(&olds, t, pkg)) < 0)
        goto out;
    changed = olds.len != rows.len;
    for (i = 0; !changed && i < rows.len; i++)
        changed = !row_eq(olds.items[i], rows.items[i]);
    for (i = 0; i < ids.len; i++) {
        const char *adv = fth_arena_printf(t->a, "DEBIAN-%s", (const char *)ids.items[i]);

        if (!adv) {
            error = FTH_ENOMEM;
            goto out;
        }
        if ((error = tracker_advisory(t, adv, ids.items[i], descs.items[i],
                                      !changed || same_rows(&olds, &rows, adv))) < 0)
            goto out;
    }
    if (!changed)
        goto out;
    vulndb_bind_text(t->st[T_DELETE], 1, pkg);
    vulndb_bind_text(t->st[T_DELETE], 2, tracker_origin);
    if ((error = tstep(t, t->st[T_DELETE])) < 0)
        goto out;
    for (i = 0; i < rows.len; i++) {
        const struct trow *row = rows.items[i];
        sqlite3_stmt *ins = t->st[T_INSERT];

        vulndb_bind_text(ins, 1, row->advisory);
        vulndb_bind_text(ins, 2, row->release);
        vulndb_bind_text(ins, 3, pkg);
        vulndb_bind_text(ins, 4, row->ranges);
        vulndb_bind_text(ins, 5, tracker_origin);
        vulndb_bind_text(ins, 6, row->status);
        vulndb_bind_text(ins, 7, *row->severity ? row->severity : NULL);
        if ((error = tstep(t, ins)) < 0)
            goto out;
    }
out:
    return error;
}

/* Past one JSON value starting at p (a string, or a balanced object/array, or a bare word). */
static const char *skip_value(const char *p, const char *end, unsigned *line)
{
    unsigned depth = 0;
    int in_str = 0;

    if (p < end && *p != '{' && *p != '[' && *p != '"') {
        while (p < end && *p != ',' && *p != '}' && *p != ']' && !isspace((unsigned char)*p))
            p++;
        return p;
    }
    for (; p < end; p++) {
        char c = *p;

        if (c == '\n')
            (*line)++;
        if (in_str) {
            if (c == '\\')
                p++;
            else if (c == '"') {
                in_str = 0;
                if (!depth)
                    return p + 1;
            }
            continue;
        }
        if (c == '"')
            in_str = 1;
        else if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && --depth == 0)
            return p + 1;
    }
    return NULL;
}

static const char *skip_ws(const char *p, const char *end, unsigned *line)
{
    for (; p < end && isspace((unsigned char)*p); p++)
        if (*p == '\n')
            (*line)++;
    return p;
}

static int tracker_bad(struct tracker *t, unsigned line, const char *why)
{
    return fth_error_set(t->err, FTH_EINVALID, "%s:%u: not a Debian tracker document: %s", t->name,
                         line, why);
}

static int tracker_import(struct tracker *t, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    unsigned line = 1;
    size_t packages = 0;
    int error = 0, i;

    if (t->db)
        for (i = 0; i < T_COUNT; i++)
            if ((error = vulndb_prepare(&t->st[i], t->db, tracker_sql[i], t->err)) < 0)
                goto out;
    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        p += 3;
    p = skip_ws(p, end, &line);
    if (p >= end || *p++ != '{') {
        error = tracker_bad(t, line, "expected '{'");
        goto out;
    }
    for (;;) {
        const char *kstart, *kend, *vstart, *vend;
        unsigned kline, vline;
        json_error_t jerr;
        json_t *key = NULL, *value = NULL;
        char *pkg;

        p = skip_ws(p, end, &line);
        if (p < end && *p == '}' && packages == 0)
            break;
        kline = line;
        kstart = p;
        if (p >= end || *p != '"' || !(kend = skip_value(p, end, &line))) {
            error = tracker_bad(t, line, "expected a package name");
            goto out;
        }
        p = skip_ws(kend, end, &line);
        if (p >= end || *p++ != ':') {
            error = tracker_bad(t, line, "expected ':'");
            goto out;
        }
        p = skip_ws(p, end, &line);
        vline = line;
        vstart = p;
        if (!(vend = skip_value(p, end, &line))) {
            error = tracker_bad(t, vline, "unterminated value");
            goto out;
        }
        if (++packages > FTH_LIMIT_LIST_ITEMS) {
            error = fth_error_set(t->err, FTH_ELIMIT, "%s: more than %d packages", t->name,
                                  FTH_LIMIT_LIST_ITEMS);
            goto out;
        }
        fth_arena_reset(t->a);
        key = json_loadb(kstart, (size_t)(kend - kstart), JSON_DECODE_ANY, &jerr);
        if (!json_is_string(key) || !(pkg = fth_arena_strdup(t->a, json_string_value(key)))) {
            json_decref(key);
            error = json_is_string(key) ? FTH_ENOMEM : tracker_bad(t, kline, "bad package name");
            goto out;
        }
        json_decref(key);
        value = json_loadb(vstart, (size_t)(vend - vstart), JSON_REJECT_DUPLICATES, &jerr);
        if (!value) {
            fth_log(FTH_LOG_WARN, "vulndb", "%s:%u: '%s': %s; package skipped", t->name,
                    vline + (jerr.line > 0 ? (unsigned)jerr.line - 1 : 0), pkg, jerr.text);
            t->stats->skipped++;
        } else {
            error = tracker_package(t, pkg, value, vline);
            json_decref(value);
            if (error < 0)
                goto out;
        }
        p = skip_ws(vend, end, &line);
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == '}')
            break;
        error = tracker_bad(t, line, "expected ',' or '}'");
        goto out;
    }
out:
    for (i = 0; i < T_COUNT; i++)
        sqlite3_finalize(t->st[i]);
    return error;
}

/* ---- DSA and DLA lists ---- */

struct list {
    struct fth_vulndb_import_stats *stats;
    struct vulndb_writer w;
    int write;
    struct fth_arena *a;
    const char *name, *source;
};

static void lwarn(const struct list *l, unsigned line, const char *what)
{
    fth_log(FTH_LOG_WARN, "vulndb", "%s:%u: %s; line skipped", l->name, line, what);
}

/* "29 Mar 2023" as 2023-03-29T00:00:00Z */
static const char *list_date(struct fth_arena *a, const char *s)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int m;

    for (m = 0; m < 12; m++)
        if (!memcmp(s + 3, months + 3 * m, 3))
            return fth_arena_printf(a, "%.4s-%02d-%.2sT00:00:00Z", s + 7, m + 1, s);
    return NULL;
}

static int is_header(const char *s, size_t n)
{
    return n > 14 && s[0] == '[' && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
           s[3] == ' ' && isalpha((unsigned char)s[4]) && s[7] == ' ' &&
           isdigit((unsigned char)s[8]) && isdigit((unsigned char)s[11]) && s[12] == ']' &&
           s[13] == ' ';
}

/* "[bullseye] - xorg-server 2:1.20.11-1+deb11u6 (note)" as a row of rec */
static int list_fix(struct list *l, struct vulndb_record *rec, const char *s, unsigned line)
{
    const char *close = strchr(s, ']'), *p, *pkg, *version;
    struct vulndb_row *row;
    struct fth_buf b = FTH_BUF_INIT;
    size_t n;
    int error = 0;

    if (!close || close == s + 1 || strncmp(close, "] - ", 4) != 0) {
        lwarn(l, line, "expected '[release] - source version'");
        goto out;
    }
    p = close + 4;
    p += strspn(p, " \t");
    n = strcspn(p, " \t");
    pkg = fth_arena_strndup(l->a, p, n);
    p += n;
    p += strspn(p, " \t");
    n = strcspn(p, " \t");
    version = fth_arena_strndup(l->a, p, n);
    if (!(row = fth_arena_calloc(l->a, 1, sizeof(*row))) || !pkg || !version ||
        !(row->release = fth_arena_strndup(l->a, s + 1, (size_t)(close - s - 1)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    row->ecosystem = "Debian";
    row->package = pkg;
    row->ranges = "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]";
    if (!*pkg || !*version) {
        lwarn(l, line, "expected '[release] - source version'");
        goto out;
    }
    if (!strcmp(version, "<not-affected>")) {
        row->status = VULNDB_STATUS_NOT_AFFECTED;
        row->ranges = "[]";
    } else if (!strcmp(version, "<unfixed>")) {
        row->status = VULNDB_STATUS_UNFIXED;
    } else if (!strcmp(version, "<end-of-life>")) {
        row->status = VULNDB_STATUS_END_OF_LIFE;
    } else if (!fth_version_valid(FTH_ECO_DEBIAN, version, 0)) {
        lwarn(l, line, fth_arena_printf(l->a, "'%s' is not a Debian version", version));
        goto out;
    } else {
        row->status = VULNDB_STATUS_FIXED;
        if ((error = fth_buf_puts(&b, "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":"
                                      "\"0\"},{\"fixed\":")) < 0 ||
            (error = fth_json_quote_flags(&b, version, strlen(version), 0)) < 0 ||
            (error = fth_buf_puts(&b, "}]}]")) < 0)
            goto out;
        if (!(row->ranges = fth_arena_strndup(l->a, b.ptr, b.len))) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    error = fth_vec_push(&rec->rows, l->a, row);
out:
    fth_buf_release(&b);
    return error;
}

/* "{CVE-2023-1 CVE-2023-2}" as aliases of rec */
static int list_cves(struct list *l, struct vulndb_record *rec, const char *s, unsigned line)
{
    const char *close = strchr(s, '}');
    const char *p = s + 1;
    int error = 0;

    if (!close) {
        lwarn(l, line, "expected '}'");
        return 0;
    }
    while (p < close) {
        size_t n;

        p += strspn(p, " \t");
        n = strcspn(p, " \t}");
        if (n && (error = fth_vec_push(&rec->aliases, l->a, fth_arena_strndup(l->a, p, n))) < 0)
            return error;
        p += n;
    }
    return 0;
}

static int list_flush(struct list *l, struct vulndb_record *rec, struct fth_buf *raw)
{
    int error = 0;

    if (!rec->id)
        return 0;
    if (!(rec->raw = fth_arena_strndup(l->a, raw->ptr, raw->len)))
        return FTH_ENOMEM;
    if (l->write)
        error = vulndb_writer_put(&l->w, l->stats, l->a, rec, l->source);
    else
        l->stats->imported++;
    fth_arena_reset(l->a);
    memset(rec, 0, sizeof(*rec));
    fth_buf_clear(raw);
    return error;
}

static int list_import(struct list *l, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    struct fth_buf raw = FTH_BUF_INIT, text = FTH_BUF_INIT;
    struct vulndb_record rec;
    unsigned line = 0;
    int error = 0;

    memset(&rec, 0, sizeof(rec));
    while (p < end && error >= 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        const char *s;

        line++;
        while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        fth_buf_clear(&text);
        if ((error = fth_buf_put(&text, p, n)) < 0)
            break;
        s = text.ptr ? text.ptr : "";
        p = nl ? nl + 1 : end;
        if (is_header(s, n)) {
            const char *id = s + 14, *rest;
            size_t idn;

            if ((error = list_flush(l, &rec, &raw)) < 0)
                break;
            idn = strcspn(id, " \t");
            rest = id + idn;
            rest += strspn(rest, " \t");
            rec.id = fth_arena_strndup(l->a, id, idn);
            rec.published = rec.modified = list_date(l->a, s + 1);
            if (!rec.published || !strchr(rec.id, '-')) {
                lwarn(l, line, "expected '[dd Mon yyyy] DSA-n-m package - title'");
                rec.id = NULL;
                l->stats->skipped++;
                continue;
            }
            if (!(rec.summary = fth_arena_strdup(l->a, rest))) {
                error = FTH_ENOMEM;
                break;
            }
            error = fth_buf_put(&raw, s, n);
            continue;
        }
        if (!n)
            continue;
        if (!rec.id) {
            if (isspace((unsigned char)s[0]))
                continue; /* belongs to a header that was skipped */
            lwarn(l, line, "expected an advisory header");
            continue;
        }
        if (!isspace((unsigned char)s[0])) {
            lwarn(l, line, "expected an indented line or an advisory header");
            continue;
        }
        if ((error = fth_buf_putc(&raw, '\n')) < 0 || (error = fth_buf_put(&raw, s, n)) < 0)
            break;
        s += strspn(s, " \t");
        if (*s == '{')
            error = list_cves(l, &rec, s, line);
        else if (*s == '[')
            error = list_fix(l, &rec, s, line);
        else if (strncmp(s, "NOTE:", 5) != 0)
            lwarn(l, line, "expected '{CVE...}', '[release] - source version' or 'NOTE:'");
    }
    if (error >= 0)
        error = list_flush(l, &rec, &raw);
    fth_buf_release(&raw);
    fth_buf_release(&text);
    return error;
}

int vulndb_debian_import(struct fth_vulndb_import_stats *stats, struct fth_vulndb *db,
                         struct fth_arena *a, int kind, const char *name, const char *source,
                         const char *data, size_t len, struct fth_error *err)
{
    int error = 0;

    (void)a;
    stats->files++;
    if (kind == VULNDB_DEBIAN_TRACKER) {
        struct tracker t;

        memset(&t, 0, sizeof(t));
        t.stats = stats;
        t.db = db;
        t.name = name;
        t.source = source;
        t.err = err;
        if (!(t.a = fth_arena_new()))
            return FTH_ENOMEM;
        error = tracker_import(&t, data, len);
        fth_arena_free(t.a);
    } else {
        struct list l;

        memset(&l, 0, sizeof(l));
        l.stats = stats;
        l.name = name;
        l.source = source;
        if (!(l.a = fth_arena_new()))
            return FTH_ENOMEM;
        if (db && (error = vulndb_writer_init(&l.w, db, err)) == 0)
            l.write = 1;
        if (error == 0)
            error = list_import(&l, data, len);
        vulndb_writer_release(&l.w);
        fth_arena_free(l.a);
    }
    return error;
}
