/*
 * vulndb: matching. The candidate rows come from the (ecosystem, package_key) index; each
 * row's ranges and versions are evaluated by fth_osv_affected, so the version order is the
 * ecosystem's own.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "vulndb_int.h"
#include "fathom/version.h"
#include "../base/banned.h"

struct candidate {
    const char *advisory;
    const char *package;
    const char *summary, *published, *modified, *source;
    const char *ranges;
    const char *versions;
};

/* ranges and versions as fth_osv_affected takes them, in a */
struct evaluation {
    struct fth_osv_range *ranges;
    size_t nranges;
    const char **versions;
    size_t nversions;
};

static int event_kind(enum fth_osv_event_kind *out, const char *key)
{
    static const char *const kinds[] = {"introduced", "fixed", "last_affected", "limit"};
    int k;

    for (k = 0; k < 4; k++) {
        if (!strcmp(key, kinds[k])) {
            *out = (enum fth_osv_event_kind)k;
            return 0;
        }
    }
    return FTH_EINVALID;
}

/* The JSON the importer wrote; anything else in the file is refused as damaged. */
static int decode(struct evaluation *ev, struct fth_arena *a, const struct candidate *c,
                  struct fth_error *err)
{
    json_t *ranges = json_loads(c->ranges, 0, NULL), *versions = json_loads(c->versions, 0, NULL);
    size_t i, j;
    int error = 0;

    memset(ev, 0, sizeof(*ev));
    if (!json_is_array(ranges) || !json_is_array(versions)) {
        error =
            fth_error_set(err, FTH_EINVALID, "'%s': damaged ranges in the database", c->advisory);
        goto out;
    }
    ev->nranges = json_array_size(ranges);
    ev->nversions = json_array_size(versions);
    if (!(ev->ranges = fth_arena_calloc(a, ev->nranges + 1, sizeof(*ev->ranges))) ||
        !(ev->versions = fth_arena_calloc(a, ev->nversions + 1, sizeof(*ev->versions)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < ev->nranges; i++) {
        json_t *r = json_array_get(ranges, i), *events = json_object_get(r, "events");
        const char *type = json_string_value(json_object_get(r, "type"));
        struct fth_osv_event *evs;

        if (!type || !json_is_array(events)) {
            error = fth_error_set(err, FTH_EINVALID, "'%s': damaged ranges in the database",
                                  c->advisory);
            goto out;
        }
        /* Unknown range types are left to fth_osv_affected's rules as GIT (ignored). */
        ev->ranges[i].type = !strcmp(type, "ECOSYSTEM") ? FTH_OSV_ECOSYSTEM
                             : !strcmp(type, "SEMVER")  ? FTH_OSV_SEMVER
                                                        : FTH_OSV_GIT;
        if (!(evs = fth_arena_calloc(a, json_array_size(events) + 1, sizeof(*evs)))) {
            error = FTH_ENOMEM;
            goto out;
        }
        for (j = 0; j < json_array_size(events); j++) {
            json_t *e = json_array_get(events, j);
            const char *key = json_object_iter_key(json_object_iter(e));
            const char *version = json_string_value(json_object_iter_value(json_object_iter(e)));

            if (!key || !version || event_kind(&evs[j].kind, key) < 0) {
                error = fth_error_set(err, FTH_EINVALID, "'%s': damaged ranges in the database",
                                      c->advisory);
                goto out;
            }
            if (!(evs[j].version = fth_arena_strdup(a, version))) {
                error = FTH_ENOMEM;
                goto out;
            }
        }
        ev->ranges[i].events = evs;
        ev->ranges[i].len = json_array_size(events);
    }
    for (i = 0; i < ev->nversions; i++) {
        const char *v = json_string_value(json_array_get(versions, i));

        if (!v || !(ev->versions[i] = fth_arena_strdup(a, v))) {
            error = v ? FTH_ENOMEM
                      : fth_error_set(err, FTH_EINVALID, "'%s': damaged versions in the database",
                                      c->advisory);
            goto out;
        }
    }
out:
    json_decref(ranges);
    json_decref(versions);
    return error;
}

/* Append the fixed events of ev not already in m->fixed. */
static int add_fixed(struct fth_vulndb_match *m, struct fth_arena *a, const struct evaluation *ev)
{
    size_t i, j, k, n = 0;
    const char **fixed;

    for (i = 0; i < ev->nranges; i++)
        n += ev->ranges[i].len;
    if (!(fixed = fth_arena_calloc(a, m->nfixed + n + 1, sizeof(*fixed))))
        return FTH_ENOMEM;
    if (m->nfixed)
        memcpy(fixed, m->fixed, m->nfixed * sizeof(*fixed));
    n = m->nfixed;
    for (i = 0; i < ev->nranges; i++) {
        if (ev->ranges[i].type == FTH_OSV_GIT)
            continue;
        for (j = 0; j < ev->ranges[i].len; j++) {
            const struct fth_osv_event *e = &ev->ranges[i].events[j];

            if (e->kind != FTH_OSV_FIXED)
                continue;
            for (k = 0; k < n && strcmp(fixed[k], e->version) != 0; k++)
                ;
            if (k == n)
                fixed[n++] = e->version;
        }
    }
    m->fixed = fixed;
    m->nfixed = n;
    return 0;
}

/* Aliases and severities of m. */
static int details(struct fth_vulndb_match *m, struct fth_arena *a, struct fth_vulndb *db,
                   sqlite3_stmt *aliases, sqlite3_stmt *severity, struct fth_error *err)
{
    struct fth_vec list = {0};
    struct fth_vulndb_severity *sev = NULL;
    size_t n = 0, cap = 0;
    int rc, error = 0;

    vulndb_bind_text(aliases, 1, m->id);
    while ((rc = sqlite3_step(aliases)) == SQLITE_ROW) {
        const char *s = vulndb_column_text(a, aliases, 0, 1);

        if (!s || (error = fth_vec_push(&list, a, (void *)s)) < 0) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        error = vulndb_sql_error(err, db, "cannot read aliases");
        goto out;
    }
    m->aliases = (const char *const *)list.items;
    m->naliases = list.len;
    vulndb_bind_text(severity, 1, m->id);
    while ((rc = sqlite3_step(severity)) == SQLITE_ROW) {
        if (n == cap) {
            struct fth_vulndb_severity *grown;

            cap = cap ? cap * 2 : 4;
            if (!(grown = fth_arena_calloc(a, cap, sizeof(*grown)))) {
                error = FTH_ENOMEM;
                goto out;
            }
            if (n)
                memcpy(grown, sev, n * sizeof(*grown));
            sev = grown;
        }
        sev[n].type = vulndb_column_text(a, severity, 0, 1);
        sev[n].score = vulndb_column_text(a, severity, 1, 1);
        if (!sev[n].type || !sev[n++].score) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        error = vulndb_sql_error(err, db, "cannot read severities");
        goto out;
    }
    m->severity = sev;
    m->nseverity = n;
out:
    sqlite3_reset(aliases);
    sqlite3_reset(severity);
    return error;
}

int fth_vulndb_match(struct fth_vulndb_match **out, size_t *nout, struct fth_arena *a,
                     struct fth_vulndb *db, const char *ecosystem, const char *package,
                     const char *version, struct fth_error *err)
{
    static const char candidates_sql[] =
        "SELECT af.advisory_id, af.package, af.ranges, af.versions, ad.summary, ad.published, "
        "ad.modified, ad.source FROM affected af JOIN advisory ad ON ad.id = af.advisory_id "
        "WHERE af.ecosystem = ?1 AND af.package_key = ?2 AND ad.withdrawn IS NULL "
        "AND (?3 = '' OR af.release = '' OR af.release = ?3) ORDER BY af.advisory_id, af.id";
    sqlite3_stmt *st = NULL, *aliases = NULL, *severity = NULL;
    struct fth_vulndb_match *matches = NULL;
    const char *eco_name, *release, *key;
    struct fth_error first;
    enum fth_ecosystem eco;
    size_t n = 0, cap = 0, failed = 0, i;
    int error = 0, rc;

    *out = NULL;
    *nout = 0;
    fth_error_clear(&first);
    if ((error = vulndb_split_ecosystem(&eco_name, &release, a, ecosystem)) < 0)
        goto out;
    if (fth_ecosystem_parse(&eco, eco_name) < 0) {
        error = fth_error_set(err, FTH_EINVALID, "'%s': unknown ecosystem", ecosystem);
        goto out;
    }
    /* Go's OSV ranges are SEMVER ("1.21.0") while Go module versions carry a "v" */
    if (!fth_version_valid(eco, version, 0) && !fth_version_valid(FTH_ECO_NPM, version, 0)) {
        error = fth_error_set(err, FTH_EINVALID, "'%s': not a valid %s version", version,
                              fth_ecosystem_name(eco));
        goto out;
    }
    if (!(key = fth_vulndb_package_key(a, eco_name, package))) {
        error = FTH_ENOMEM;
        goto out;
    }
    /* Prepared once per handle: preparing was most of a lookup's time. */
    if ((!db->match_candidates &&
         (error = vulndb_prepare(&db->match_candidates, db, candidates_sql, err)) < 0) ||
        (!db->match_aliases &&
         (error = vulndb_prepare(&db->match_aliases, db,
                                 "SELECT alias FROM alias WHERE advisory_id = ?1 ORDER BY alias",
                                 err)) < 0) ||
        (!db->match_severity &&
         (error = vulndb_prepare(&db->match_severity, db,
                                 "SELECT type, score FROM severity WHERE advisory_id = ?1 "
                                 "ORDER BY rowid",
                                 err)) < 0))
        goto out;
    st = db->match_candidates;
    aliases = db->match_aliases;
    severity = db->match_severity;
    vulndb_bind_text(st, 1, eco_name);
    vulndb_bind_text(st, 2, key);
    vulndb_bind_text(st, 3, release);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct candidate c;
        struct evaluation ev;
        struct fth_error row_err;
        int hit = 0;

        c.advisory = vulndb_column_text(a, st, 0, 1);
        c.package = vulndb_column_text(a, st, 1, 1);
        c.ranges = vulndb_column_text(a, st, 2, 1);
        c.versions = vulndb_column_text(a, st, 3, 1);
        c.summary = vulndb_column_text(a, st, 4, 1);
        c.published = vulndb_column_text(a, st, 5, 1);
        c.modified = vulndb_column_text(a, st, 6, 1);
        c.source = vulndb_column_text(a, st, 7, 1);
        if (!c.advisory || !c.package || !c.ranges || !c.versions || !c.summary || !c.published ||
            !c.modified || !c.source) {
            error = FTH_ENOMEM;
            goto out;
        }
        fth_error_clear(&row_err);
        if ((error = decode(&ev, a, &c, &row_err)) == 0)
            error = fth_osv_affected(&hit, eco, version, ev.ranges, ev.nranges, ev.versions,
                                     ev.nversions, &row_err);
        if (error == FTH_ENOMEM)
            goto out;
        if (error < 0) {
            /* A bad version in one advisory must not hide the others; a bad version asked
             * about fails every row and is reported below. */
            if (!failed++)
                first = row_err;
            fth_log(FTH_LOG_DEBUG, "vulndb", "%s: %s", c.advisory, row_err.message);
            error = 0;
            continue;
        }
        if (!hit)
            continue;
        if (!n || strcmp(matches[n - 1].id, c.advisory) != 0) {
            if (n == cap) {
                struct fth_vulndb_match *grown;

                cap = cap ? cap * 2 : 8;
                if (!(grown = fth_arena_calloc(a, cap, sizeof(*grown)))) {
                    error = FTH_ENOMEM;
                    goto out;
                }
                if (n)
                    memcpy(grown, matches, n * sizeof(*grown));
                matches = grown;
            }
            matches[n].id = c.advisory;
            matches[n].summary = c.summary;
            matches[n].published = c.published;
            matches[n].modified = c.modified;
            matches[n].source = c.source;
            matches[n].package = c.package;
            n++;
        }
        if ((error = add_fixed(&matches[n - 1], a, &ev)) < 0)
            goto out;
    }
    if (rc != SQLITE_DONE) {
        error = vulndb_sql_error(err, db, "cannot read");
        goto out;
    }
    if (failed)
        fth_log(FTH_LOG_WARN, "vulndb", "%zu advisories for '%s' could not be evaluated: %s",
                failed, package, first.message);
    for (i = 0; i < n; i++)
        if ((error = details(&matches[i], a, db, aliases, severity, err)) < 0)
            goto out;
    *out = matches;
    *nout = n;
out:
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    return error;
}
