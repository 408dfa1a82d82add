/*
 * vulndb: matching. Each row's ranges and versions are evaluated by fth_osv_affected (RustSec
 * requirements by fth_version_satisfies), so the version order is the ecosystem's own.
 *
 * A lookup runs no SQL: the first one on a handle reads every affected row once into an
 * in-memory index (a hash of ecosystem and package key to the rows, their ranges decoded, each
 * pointing at its advisory with aliases and severities), and every lookup after is a hash
 * probe and the version comparisons. Running SQL (a prepared query, then one for aliases and
 * one for severities per advisory) held lookups to some 25,000 a second; scanners ask for
 * millions. An import through the handle drops the index; the next lookup builds it again.
 */
#include <stdint.h>
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
    const char *release, *status, *severity;
};

/* ranges and versions as fth_osv_affected takes them, in a */
struct evaluation {
    struct fth_osv_range *ranges;
    size_t nranges;
    const char **versions;
    size_t nversions;
    /* a RustSec range (rustsec.c): affected when no requirement holds */
    int rustsec;
    const char **requirements, **rfixed;
    size_t nrequirements, nrfixed;
    /* the ranges prepared for lookups (prepare()), NULL when they could not be */
    struct prepared *prep;
};

/*
 * A range as the index keeps it: its events checked and put in version order once, so a
 * lookup finds its place among them by binary search rather than validating and sorting them
 * again (what fth_osv_affected does on every call, and most of a lookup's time).
 */
struct prepared {
    const struct fth_osv_event **sorted;
    size_t n;
    int semver; /* compared as SemVer (npm's order, a leading 'v' dropped) */
    int limits; /* has `limit` events */
    int bad;    /* an event version is not valid: leave it to fth_osv_affected's error */
    int plain;  /* dotted decimal versions compare as numbers (plain_order) */
};

/* The strings of a JSON array, appended to list (sized n + the array's length). */
static int strings_of(const char **list, size_t *n, struct fth_arena *a, json_t *array)
{
    size_t i;

    for (i = 0; i < json_array_size(array); i++) {
        const char *v = json_string_value(json_array_get(array, i));

        if (!v)
            return FTH_EINVALID;
        if (!(list[(*n)++] = fth_arena_strdup(a, v)))
            return FTH_ENOMEM;
    }
    return 0;
}

/* {"type":"RUSTSEC","patched":[...],"unaffected":[...],"fixed":[...]} */
static int decode_rustsec(struct evaluation *ev, struct fth_arena *a, json_t *r)
{
    json_t *patched = json_object_get(r, "patched"), *unaffected = json_object_get(r, "unaffected");
    json_t *fixed = json_object_get(r, "fixed");
    int error = 0;

    if (!json_is_array(patched) || !json_is_array(unaffected) || !json_is_array(fixed))
        return FTH_EINVALID;
    ev->rustsec = 1;
    ev->nrequirements = ev->nrfixed = 0;
    if (!(ev->requirements = fth_arena_calloc(
              a, json_array_size(patched) + json_array_size(unaffected) + 1, sizeof(char *))) ||
        !(ev->rfixed = fth_arena_calloc(a, json_array_size(fixed) + 1, sizeof(char *))))
        return FTH_ENOMEM;
    if ((error = strings_of(ev->requirements, &ev->nrequirements, a, patched)) < 0 ||
        (error = strings_of(ev->requirements, &ev->nrequirements, a, unaffected)) < 0 ||
        (error = strings_of(ev->rfixed, &ev->nrfixed, a, fixed)) < 0)
        return error;
    return 0;
}

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

        if (type && !strcmp(type, "RUSTSEC")) {
            if ((error = decode_rustsec(ev, a, r)) == FTH_EINVALID)
                error = fth_error_set(err, FTH_EINVALID, "'%s': damaged ranges in the database",
                                      c->advisory);
            if (error < 0)
                goto out;
            ev->ranges[i].type = FTH_OSV_GIT; /* nothing for fth_osv_affected to evaluate */
            continue;
        }
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
    n += ev->nrfixed;
    if (!(fixed = fth_arena_calloc(a, m->nfixed + n + 1, sizeof(*fixed))))
        return FTH_ENOMEM;
    if (m->nfixed)
        memcpy(fixed, m->fixed, m->nfixed * sizeof(*fixed));
    n = m->nfixed;
    for (i = 0; i < ev->nrfixed; i++) {
        for (k = 0; k < n && strcmp(fixed[k], ev->rfixed[i]) != 0; k++)
            ;
        if (k == n)
            fixed[n++] = ev->rfixed[i];
    }
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

static const char *semver_text(const char *v)
{
    return v[0] == 'v' ? v + 1 : v;
}

static int event_is_zero(const struct fth_osv_event *e)
{
    return e->kind == FTH_OSV_INTRODUCED && !strcmp(e->version, "0");
}

/*
 * Dotted decimal numbers ("1.21.3") compared as numbers without parsing either version in
 * full: in SemVer's order (exactly three parts, no leading zeros) and in PEP 440's (any number
 * of parts, missing ones zero) that is the whole order for such versions. 1 when both are of
 * that form (*cmp set), 0 to leave them to the version module.
 */
static int plain_order(int *cmp, const char *a, const char *b, int pep440)
{
    size_t na = 0, nb = 0;
    int c = 0, amore = 1, bmore = 1;

    while (amore || bmore) {
        const char *sa = "0", *sb = "0";
        size_t la = 1, lb = 1;

        /* a part of each; one that has ended reads as 0 */
        if (amore) {
            for (sa = a; *a >= '0' && *a <= '9'; a++)
                ;
            la = (size_t)(a - sa);
            if (!la || (*a && *a != '.') || (!pep440 && la > 1 && *sa == '0'))
                return 0;
            amore = *a == '.';
            a += amore;
            na++;
        }
        if (bmore) {
            for (sb = b; *b >= '0' && *b <= '9'; b++)
                ;
            lb = (size_t)(b - sb);
            if (!lb || (*b && *b != '.') || (!pep440 && lb > 1 && *sb == '0'))
                return 0;
            bmore = *b == '.';
            b += bmore;
            nb++;
        }
        if (!c) {
            /* without leading zeros the longer number is the larger */
            for (; la > 1 && *sa == '0'; la--)
                sa++;
            for (; lb > 1 && *sb == '0'; lb--)
                sb++;
            c = la != lb ? (la < lb ? -1 : 1) : memcmp(sa, sb, la);
        }
    }
    if (!pep440 && (na != 3 || nb != 3))
        return 0;
    *cmp = c < 0 ? -1 : c > 0;
    return 1;
}

/* version against an event's, in the range's order; both are known valid */
static int order(const struct prepared *p, enum fth_ecosystem eco, const char *a, const char *b)
{
    int cmp = 0;

    if (p->plain && plain_order(&cmp, p->semver ? semver_text(a) : a,
                                p->semver ? semver_text(b) : b, eco == FTH_ECO_PYPI && !p->semver))
        return cmp;
    if (p->semver)
        fth_version_compare(&cmp, FTH_ECO_NPM, semver_text(a), semver_text(b), 0, NULL);
    else
        fth_version_compare(&cmp, eco, a, b, 0, NULL);
    return cmp;
}

/* fth_osv_affected's event order: by version, "introduced: 0" first, ties as listed */
static int event_order(const struct prepared *p, enum fth_ecosystem eco,
                       const struct fth_osv_event *a, const struct fth_osv_event *b)
{
    int za = event_is_zero(a), zb = event_is_zero(b);

    if (za || zb)
        return zb - za;
    return order(p, eco, a->version, b->version);
}

/* Prepare ev's ranges for ecosystem eco (an insertion sort: ranges have a handful of events). */
static int prepare(struct evaluation *ev, struct fth_arena *a, enum fth_ecosystem eco)
{
    size_t i, j, k;

    if (!ev->nranges)
        return 0;
    if (!(ev->prep = fth_arena_calloc(a, ev->nranges, sizeof(*ev->prep))))
        return FTH_ENOMEM;
    for (i = 0; i < ev->nranges; i++) {
        const struct fth_osv_range *r = &ev->ranges[i];
        struct prepared *p = &ev->prep[i];

        if (r->type == FTH_OSV_GIT)
            continue;
        p->semver = r->type == FTH_OSV_SEMVER;
        p->plain = p->semver || eco == FTH_ECO_NPM || eco == FTH_ECO_PYPI;
        for (j = 0; j < r->len && !p->bad; j++)
            p->bad =
                !event_is_zero(&r->events[j]) &&
                !(p->semver ? fth_version_valid(FTH_ECO_NPM, semver_text(r->events[j].version), 0)
                            : fth_version_valid(eco, r->events[j].version, 0));
        if (p->bad || !r->len)
            continue;
        if (!(p->sorted = fth_arena_calloc(a, r->len, sizeof(*p->sorted))))
            return FTH_ENOMEM;
        for (j = 0; j < r->len; j++) {
            const struct fth_osv_event *e = &r->events[j];

            for (k = p->n; k > 0 && event_order(p, eco, p->sorted[k - 1], e) > 0; k--)
                p->sorted[k] = p->sorted[k - 1];
            p->sorted[k] = e;
            p->n++;
            p->limits |= e->kind == FTH_OSV_LIMIT;
        }
    }
    return 0;
}

/*
 * One prepared range, as fth_osv_affected evaluates it: walking the events in version order,
 * the ones at or below the version set (introduced) or clear (fixed; last_affected when
 * strictly below) the vulnerable state; a limit above it is required when there are limits.
 * Events above the version change nothing, so only the first of them is looked for.
 */
static int range_hit(const struct prepared *p, enum fth_ecosystem eco, const char *version)
{
    size_t lo = 0, hi = p->n, i, equal;
    int vulnerable = 0, below_limit = 0;

    /* first event above the version ("introduced: 0" is below everything) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct fth_osv_event *e = p->sorted[mid];

        if (event_is_zero(e) || order(p, eco, version, e->version) >= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* the events equal to the version sit just below it */
    for (equal = lo; equal > 0 && !event_is_zero(p->sorted[equal - 1]) &&
                     order(p, eco, version, p->sorted[equal - 1]->version) == 0;
         equal--)
        ;
    for (i = 0; i < lo; i++) {
        switch (p->sorted[i]->kind) {
        case FTH_OSV_INTRODUCED:
            vulnerable = 1;
            break;
        case FTH_OSV_FIXED:
            vulnerable = 0;
            break;
        case FTH_OSV_LAST_AFFECTED:
            if (i < equal)
                vulnerable = 0;
            break;
        case FTH_OSV_LIMIT:
            break;
        }
    }
    for (i = lo; i < p->n && !below_limit; i++)
        below_limit = p->sorted[i]->kind == FTH_OSV_LIMIT;
    return vulnerable && (!p->limits || below_limit);
}

/*
 * Whether version is affected by the row (its versions, ranges or RustSec requirements).
 * valid[] caches whether version is valid in the ecosystem ([0]) and as SemVer ([1]), -1 when
 * not yet known.
 */
static int evaluate(int *hit, enum fth_ecosystem eco, const char *version,
                    const struct evaluation *ev, int valid[2], struct fth_error *err)
{
    size_t i;
    int ok, error = 0;

    if (!ev->rustsec && ev->prep) {
        *hit = 0;
        for (i = 0; i < ev->nversions; i++)
            if (!strcmp(ev->versions[i], version)) {
                *hit = 1;
                return 0;
            }
        for (i = 0; i < ev->nranges && !*hit; i++) {
            const struct prepared *p = &ev->prep[i];
            int *v = &valid[p->semver];

            if (ev->ranges[i].type == FTH_OSV_GIT)
                continue;
            if (*v < 0)
                *v = p->semver ? fth_version_valid(FTH_ECO_NPM, semver_text(version), 0)
                               : fth_version_valid(eco, version, 0);
            if (!*v || p->bad) /* fth_osv_affected says why, as it always did */
                return fth_osv_affected(hit, eco, version, ev->ranges, ev->nranges, ev->versions,
                                        ev->nversions, err);
            *hit = range_hit(p, eco, version);
        }
        return 0;
    }
    if (!ev->rustsec)
        return fth_osv_affected(hit, eco, version, ev->ranges, ev->nranges, ev->versions,
                                ev->nversions, err);
    *hit = 1;
    for (i = 0; i < ev->nrequirements && *hit; i++) {
        if ((error = fth_version_satisfies(&ok, FTH_ECO_CRATES, version, ev->requirements[i], 0,
                                           err)) < 0)
            return error;
        if (ok)
            *hit = 0;
    }
    return 0;
}

/* ---- the index ---- */

struct index_adv {
    const char *id, *summary, *published, *modified, *source;
    struct fth_vec aliases; /* const char * */
    struct fth_vulndb_severity *severity;
    size_t nseverity, capseverity;
};

struct index_row {
    const struct index_adv *adv;
    const char *package, *release, *status, *severity;
    struct evaluation ev;
    const char *damaged; /* why the row's ranges could not be decoded, NULL when fine */
    int not_affected;    /* status "not-affected": nothing to evaluate */
};

struct index_key {
    const char *eco, *key;
    uint64_t hash;
    struct index_row *rows;
    size_t nrows;
};

struct vulndb_index {
    struct fth_arena *a;
    struct index_key *slots; /* open addressing, a power of two */
    size_t cap;
    struct vulndb_index *retired; /* dropped ones, whose strings results may still borrow */
};

/* FNV-1a over "eco\0key" */
static uint64_t key_hash(const char *eco, const char *key)
{
    uint64_t h = 14695981039346656037ull;

    for (; *eco; eco++)
        h = (h ^ (unsigned char)*eco) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 1099511628211ull;
    return h;
}

static struct index_key *slot(struct vulndb_index *ix, const char *eco, const char *key, uint64_t h)
{
    size_t i = (size_t)h & (ix->cap - 1);

    while (ix->slots[i].key && (ix->slots[i].hash != h || strcmp(ix->slots[i].key, key) != 0 ||
                                strcmp(ix->slots[i].eco, eco) != 0))
        i = (i + 1) & (ix->cap - 1);
    return &ix->slots[i];
}

void vulndb_index_free(struct vulndb_index *ix)
{
    while (ix) {
        struct vulndb_index *next = ix->retired;

        fth_arena_free(ix->a);
        free(ix->slots);
        free(ix);
        ix = next;
    }
}

void vulndb_index_drop(struct fth_vulndb *db)
{
    if (db->index) {
        db->index->retired = db->retired;
        db->retired = db->index;
        db->index = NULL;
    }
}

static int by_id(const void *key, const void *item)
{
    return strcmp(key, (*(const struct index_adv *const *)item)->id);
}

static struct index_adv *find_adv(struct index_adv **advs, size_t n, const char *id)
{
    struct index_adv **hit;

    if (!n || !id)
        return NULL;
    hit = bsearch(id, advs, n, sizeof(*advs), by_id);
    return hit ? *hit : NULL;
}

/* The advisories that are not withdrawn, with aliases and severities, sorted by id. */
static int load_advisories(struct index_adv ***out, size_t *nout, struct vulndb_index *ix,
                           struct fth_vulndb *db, struct fth_error *err)
{
    sqlite3_stmt *st = NULL;
    struct fth_vec advs = {0};
    struct fth_arena *a = ix->a;
    int rc, error = 0;

    if ((error = vulndb_prepare(&st, db,
                                "SELECT id, ifnull(summary, ''), ifnull(published, ''), "
                                "modified, source FROM advisory WHERE withdrawn IS NULL "
                                "ORDER BY id",
                                err)) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct index_adv *adv = fth_arena_calloc(a, 1, sizeof(*adv));

        if (!adv || !(adv->id = vulndb_column_text(a, st, 0, 1)) ||
            !(adv->summary = vulndb_column_text(a, st, 1, 1)) ||
            !(adv->published = vulndb_column_text(a, st, 2, 1)) ||
            !(adv->modified = vulndb_column_text(a, st, 3, 1)) ||
            !(adv->source = vulndb_column_text(a, st, 4, 1)) || fth_vec_push(&advs, a, adv) < 0) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        error = vulndb_sql_error(err, db, "cannot read");
        goto out;
    }
    sqlite3_finalize(st);
    if ((error = vulndb_prepare(
             &st, db, "SELECT advisory_id, alias FROM alias ORDER BY advisory_id, alias", err)) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct index_adv *adv = find_adv((struct index_adv **)advs.items, advs.len,
                                         (const char *)sqlite3_column_text(st, 0));
        const char *alias;

        if (!adv)
            continue; /* withdrawn */
        if (!(alias = vulndb_column_text(a, st, 1, 1)) ||
            fth_vec_push(&adv->aliases, a, (void *)alias) < 0) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        error = vulndb_sql_error(err, db, "cannot read aliases");
        goto out;
    }
    sqlite3_finalize(st);
    if ((error = vulndb_prepare(&st, db,
                                "SELECT advisory_id, type, score FROM severity "
                                "ORDER BY advisory_id, rowid",
                                err)) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct index_adv *adv = find_adv((struct index_adv **)advs.items, advs.len,
                                         (const char *)sqlite3_column_text(st, 0));
        struct fth_vulndb_severity *sev;

        if (!adv)
            continue;
        if (adv->nseverity == adv->capseverity) {
            adv->capseverity = adv->capseverity ? adv->capseverity * 2 : 2;
            if (!(sev = fth_arena_calloc(a, adv->capseverity, sizeof(*sev)))) {
                error = FTH_ENOMEM;
                goto out;
            }
            if (adv->nseverity)
                memcpy(sev, adv->severity, adv->nseverity * sizeof(*sev));
            adv->severity = sev;
        }
        sev = &adv->severity[adv->nseverity];
        if (!(sev->type = vulndb_column_text(a, st, 1, 1)) ||
            !(sev->score = vulndb_column_text(a, st, 2, 1))) {
            error = FTH_ENOMEM;
            goto out;
        }
        adv->nseverity++;
    }
    if (rc != SQLITE_DONE) {
        error = vulndb_sql_error(err, db, "cannot read severities");
        goto out;
    }
    *out = (struct index_adv **)advs.items;
    *nout = advs.len;
out:
    sqlite3_finalize(st);
    return error;
}

static int build_index(struct vulndb_index **out, struct fth_vulndb *db, struct fth_error *err)
{
    static const char rows_sql[] =
        "SELECT advisory_id, ecosystem, package_key, package, ranges, versions, release, status, "
        "ifnull(severity, '') FROM affected ORDER BY ecosystem, package_key, advisory_id, id";
    struct vulndb_index *ix = calloc(1, sizeof(*ix));
    struct index_adv **advs = NULL;
    struct index_key *cur = NULL;
    struct fth_vec rows = {0};
    sqlite3_stmt *st = NULL;
    size_t nadvs = 0, nkeys = 0, nseen = 0, i;
    int rc, error = 0;

    *out = NULL;
    if (!ix || !(ix->a = fth_arena_new())) {
        error = FTH_ENOMEM;
        goto out;
    }
    if ((error = load_advisories(&advs, &nadvs, ix, db, err)) < 0 ||
        (error = vulndb_prepare(&st, db,
                                "SELECT count(*) FROM "
                                "(SELECT DISTINCT ecosystem, package_key FROM affected)",
                                err)) < 0)
        goto out;
    if (sqlite3_step(st) != SQLITE_ROW) {
        error = vulndb_sql_error(err, db, "cannot read");
        goto out;
    }
    nkeys = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    /* at most half full */
    for (ix->cap = 16; ix->cap < nkeys * 2 + 2; ix->cap *= 2)
        ;
    if (!(ix->slots = calloc(ix->cap, sizeof(*ix->slots)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    if ((error = vulndb_prepare(&st, db, rows_sql, err)) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *eco = (const char *)sqlite3_column_text(st, 1);
        const char *key = (const char *)sqlite3_column_text(st, 2);
        struct index_row *row;
        struct candidate c;
        struct fth_error row_err;
        enum fth_ecosystem row_eco;

        if (!eco || !key)
            continue;
        if (!cur || strcmp(cur->key, key) != 0 || strcmp(cur->eco, eco) != 0) {
            uint64_t h = key_hash(eco, key);
            struct index_key *k = slot(ix, eco, key, h);

            if (cur && rows.len)
                cur->rows = fth_arena_calloc(ix->a, rows.len, sizeof(*cur->rows));
            if (cur && rows.len) {
                if (!cur->rows) {
                    error = FTH_ENOMEM;
                    goto out;
                }
                for (i = 0; i < rows.len; i++)
                    cur->rows[i] = *(struct index_row *)rows.items[i];
                cur->nrows = rows.len;
            }
            rows.len = 0;
            /* more keys than counted, or a key met twice: the file changed under us */
            if (k->key || ++nseen > nkeys) {
                error =
                    fth_error_set(err, FTH_EIO, "'%s': the database changed while read", db->path);
                goto out;
            }
            if (!(k->eco = fth_arena_strdup(ix->a, eco)) ||
                !(k->key = fth_arena_strdup(ix->a, key))) {
                error = FTH_ENOMEM;
                goto out;
            }
            k->hash = h;
            cur = k;
        }
        memset(&c, 0, sizeof(c));
        c.advisory = (const char *)sqlite3_column_text(st, 0);
        if (!c.advisory)
            continue;
        if (!(row = fth_arena_calloc(ix->a, 1, sizeof(*row)))) {
            error = FTH_ENOMEM;
            goto out;
        }
        if (!(row->adv = find_adv(advs, nadvs, c.advisory)))
            continue; /* withdrawn */
        c.advisory = row->adv->id;
        c.ranges = (const char *)sqlite3_column_text(st, 4);
        c.versions = (const char *)sqlite3_column_text(st, 5);
        if (!(row->package = vulndb_column_text(ix->a, st, 3, 1)) ||
            !(row->release = vulndb_column_text(ix->a, st, 6, 1)) ||
            !(row->status = vulndb_column_text(ix->a, st, 7, 1)) ||
            !(row->severity = vulndb_column_text(ix->a, st, 8, 1))) {
            error = FTH_ENOMEM;
            goto out;
        }
        row->not_affected = !strcmp(row->status, "not-affected");
        if (!row->not_affected) {
            fth_error_clear(&row_err);
            if (!c.ranges || !c.versions)
                error = fth_error_set(&row_err, FTH_EINVALID,
                                      "'%s': damaged ranges in the database", c.advisory);
            else
                error = decode(&row->ev, ix->a, &c, &row_err);
            if (error == 0 && !row->ev.rustsec && fth_ecosystem_parse(&row_eco, eco) == 0)
                error = prepare(&row->ev, ix->a, row_eco);
            if (error == FTH_ENOMEM)
                goto out;
            /* kept, to be reported by the lookups that meet it, as before */
            if (error < 0 && !(row->damaged = fth_arena_strdup(ix->a, row_err.message))) {
                error = FTH_ENOMEM;
                goto out;
            }
            error = 0;
        }
        if ((error = fth_vec_push(&rows, ix->a, row)) < 0)
            goto out;
    }
    if (rc != SQLITE_DONE) {
        error = vulndb_sql_error(err, db, "cannot read");
        goto out;
    }
    if (cur && rows.len) {
        if (!(cur->rows = fth_arena_calloc(ix->a, rows.len, sizeof(*cur->rows)))) {
            error = FTH_ENOMEM;
            goto out;
        }
        for (i = 0; i < rows.len; i++)
            cur->rows[i] = *(struct index_row *)rows.items[i];
        cur->nrows = rows.len;
    }
    *out = ix;
    ix = NULL;
out:
    sqlite3_finalize(st);
    vulndb_index_free(ix);
    return error;
}

int fth_vulndb_match(struct fth_vulndb_match **out, size_t *nout, struct fth_arena *a,
                     struct fth_vulndb *db, const char *ecosystem, const char *package,
                     const char *version, struct fth_error *err)
{
    return fth_vulndb_lookup(out, nout, a, db, ecosystem, package, version, NULL, err);
}

int fth_vulndb_lookup(struct fth_vulndb_match **out, size_t *nout, struct fth_arena *a,
                      struct fth_vulndb *db, const char *ecosystem, const char *package,
                      const char *version, const struct fth_vulndb_match_opts *opts,
                      struct fth_error *err)
{
    static const struct fth_vulndb_match_opts none = FTH_VULNDB_MATCH_OPTS_INIT;
    const char *colon = strchr(ecosystem, ':'), *eco_name, *release, *alias, *name, *key;
    struct fth_vulndb_match *matches = NULL;
    const struct index_key *k;
    const struct index_adv *last = NULL; /* the advisory of matches[n - 1] */
    char base[64];
    const char *first = NULL;
    int valid[2] = {-1, -1};
    enum fth_ecosystem eco;
    size_t n = 0, failed = 0, i, len = colon ? (size_t)(colon - ecosystem) : strlen(ecosystem);
    int error = 0;

    *out = NULL;
    *nout = 0;
    if (!opts)
        opts = &none;
    /* no allocation on the way to the hash probe: most lookups find nothing */
    if (len >= sizeof(base) ||
        (memcpy(base, ecosystem, len), base[len] = '\0', fth_ecosystem_parse(&eco, base) < 0)) {
        error = fth_error_set(err, FTH_EINVALID, "'%s': unknown ecosystem", ecosystem);
        goto out;
    }
    eco_name = fth_ecosystem_name(eco);
    release = opts->release && *opts->release ? opts->release : colon ? colon + 1 : "";
    vulndb_release_names(&release, &alias, a, eco_name, release);
    /* Go's OSV ranges are SEMVER ("1.21.0") while Go module versions carry a "v"; what is
     * learnt here is kept for the rows (valid[]: in the ecosystem, as SemVer) */
    valid[0] = fth_version_valid(eco, version, 0);
    if (!valid[0] && version[0] != 'v')
        valid[1] = fth_version_valid(FTH_ECO_NPM, version, 0);
    if (!valid[0] &&
        (version[0] == 'v' ? !fth_version_valid(FTH_ECO_NPM, version, 0) : !valid[1])) {
        error = fth_error_set(err, FTH_EINVALID, "'%s': not a valid %s version", version,
                              fth_ecosystem_name(eco));
        goto out;
    }
    name = opts->source && *opts->source ? opts->source : package;
    if (!(key = eco == FTH_ECO_PYPI ? fth_vulndb_package_key(a, eco_name, name) : name)) {
        error = FTH_ENOMEM;
        goto out;
    }
    if (!db->index && (error = build_index(&db->index, db, err)) < 0)
        goto out;
    k = slot(db->index, eco_name, key, key_hash(eco_name, key));
    if (!k->key)
        goto out;
    for (i = 0; i < k->nrows; i++) {
        const struct index_row *row = &k->rows[i];
        struct fth_error row_err;
        struct fth_vulndb_match *m;
        const char *status;
        int hit = 0;

        if (*release && *row->release && strcmp(row->release, release) != 0 &&
            (!alias || strcmp(row->release, alias) != 0))
            continue;
        if (row->not_affected) {
            /* nothing to evaluate: the release never had the flaw */
            if (!(opts->flags & FTH_VULNDB_MATCH_NOT_AFFECTED))
                continue;
            hit = 1;
        } else if (row->damaged) {
            if (!failed++)
                first = row->damaged;
            fth_log(FTH_LOG_DEBUG, "vulndb", "%s: %s", row->adv->id, row->damaged);
            continue;
        } else {
            row_err.message[0] = '\0'; /* clearing all of it per row showed in profiles */
            if ((error = evaluate(&hit, eco, version, &row->ev, valid, &row_err)) == FTH_ENOMEM)
                goto out;
            if (error < 0) {
                /* A bad version in one advisory must not hide the others; a bad version asked
                 * about fails every row and is reported below. */
                if (!failed++ && !(first = fth_arena_strdup(a, row_err.message))) {
                    error = FTH_ENOMEM;
                    goto out;
                }
                fth_log(FTH_LOG_DEBUG, "vulndb", "%s: %s", row->adv->id, row_err.message);
                error = 0;
                continue;
            }
        }
        if (!hit)
            continue;
        if (!matches && !(matches = fth_arena_calloc(a, k->nrows, sizeof(*matches)))) {
            error = FTH_ENOMEM;
            goto out;
        }
        if (row->adv != last) {
            last = row->adv;
            m = &matches[n++];
            m->id = row->adv->id;
            m->summary = row->adv->summary;
            m->published = row->adv->published;
            m->modified = row->adv->modified;
            m->source = row->adv->source;
            m->package = row->package;
            m->aliases = (const char *const *)row->adv->aliases.items;
            m->naliases = row->adv->aliases.len;
            m->severity = row->adv->severity;
            m->nseverity = row->adv->nseverity;
            m->release = row->release;
            m->distro_severity = row->severity;
            m->status = row->status;
        }
        m = &matches[n - 1];
        if ((error = add_fixed(m, a, &row->ev)) < 0)
            goto out;
        /* OSV entries say no status: a fix event makes one "fixed" */
        status = m->status;
        if (!*status || !strcmp(status, "unfixed"))
            m->status = m->nfixed ? "fixed" : "unfixed";
    }
    if (failed)
        fth_log(FTH_LOG_WARN, "vulndb", "%zu advisories for '%s' could not be evaluated: %s",
                failed, package, first);
    *out = matches;
    *nout = n;
out:
    return error;
}
