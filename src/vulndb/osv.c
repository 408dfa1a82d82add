/*
 * vulndb: the OSV importer. Each file holds one advisory in JSON or YAML (the PyPA database
 * writes YAML); each is checked against the parts of the OSV schema the matcher relies on
 * before anything is written, so a malformed one is skipped whole, with a warning. Archives
 * (.tar, .tar.gz, .tgz, .zip, as OSV and the advisory repositories publish them) are streamed
 * member by member with libarchive; a damaged one fails the import.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <archive.h>
#include <archive_entry.h>

#include "vulndb_int.h"
#include "fathom/value.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct affected {
    const char *ecosystem;
    const char *release;
    const char *name;
    const char *purl;
    const char *ranges;   /* normalised JSON */
    const char *versions; /* JSON array of strings */
    const char *ecosystem_specific;
    const char *database_specific;
};

struct advisory {
    struct vulndb_record rec; /* all but the affected entries (rec.rows stays empty) */
    struct fth_vec affected;  /* struct affected * */
};

enum {
    ST_GET_MODIFIED,
    ST_DELETE,
    ST_ADVISORY,
    ST_ALIAS,
    ST_REFERENCE,
    ST_SEVERITY,
    ST_AFFECTED,
    ST_COUNT
};

static const char *const statements[ST_COUNT] = {
    "SELECT modified FROM advisory WHERE id = ?1",
    "DELETE FROM advisory WHERE id = ?1",
    "INSERT INTO advisory (id, summary, details, published, modified, withdrawn, source, raw) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT OR IGNORE INTO alias (advisory_id, alias) VALUES (?1, ?2)",
    "INSERT INTO reference (advisory_id, type, url) VALUES (?1, ?2, ?3)",
    "INSERT INTO severity (advisory_id, type, score) VALUES (?1, ?2, ?3)",
    "INSERT INTO affected (advisory_id, ecosystem, release, package, package_key, purl, ranges, "
    "versions, ecosystem_specific, database_specific) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
};

struct importer {
    struct fth_vulndb *db;
    const char *source;
    struct fth_vulndb_import_stats *stats;
    struct fth_arena *a; /* per file */
    sqlite3_stmt *st[ST_COUNT];
    const char *file; /* the file being read, for warnings */
    size_t walked;
    struct fth_error *err;
    const char *given;      /* the source the caller named, NULL for each format's own */
    unsigned formats;       /* FORMAT_* seen, to record their default source names */
    struct vulndb_writer w; /* record.c's, for RustSec; prepared on first use */
    int w_ready;
};

#define FORMAT_OSV 0x1u
#define FORMAT_RUSTSEC 0x2u
#define FORMAT_DEBIAN 0x4u

/* Result of a check: the advisory is malformed (a warning was logged). */
#define MALFORMED 1
/* Result of parse_doc: an Alpine secdb document, already stored by secdb.c. */
#define SECDB 2

static int warn_found(struct importer *imp, const struct fth_value *at, const char *field,
                      const char *expected, const char *found)
{
    fth_log(FTH_LOG_WARN, "vulndb", "%s:%u:%u: '%s': expected %s, found %s; advisory skipped",
            imp->file, at ? at->line : 0, at ? at->column : 0, field ? field : "?", expected,
            found);
    return MALFORMED;
}

static int warn(struct importer *imp, const struct fth_value *at, const char *field,
                const char *expected)
{
    return warn_found(imp, at, field, expected, at ? fth_value_type_name(at->type) : "nothing");
}

/* A string field (integers too, as YAML may leave a version unquoted). */
static int scalar(const char **out, struct importer *imp, const struct fth_value *v,
                  const char *field)
{
    *out = NULL;
    if (v && v->type == FTH_VALUE_STRING) {
        *out = v->u.str.ptr;
        return 0;
    }
    if (v && v->type == FTH_VALUE_INT) {
        *out = fth_arena_printf(imp->a, "%lld", (long long)v->u.integer);
        return *out ? 0 : FTH_ENOMEM;
    }
    return warn(imp, v, field, "a string");
}

/* An optional string member of map. */
static int member_str(const char **out, struct importer *imp, const struct fth_value *map,
                      const char *key, const char *where, int required)
{
    const struct fth_member *m = fth_value_member(map, key);
    const char *field;

    *out = NULL;
    if (!m && !required)
        return 0;
    if (!(field = where ? fth_arena_printf(imp->a, "%s.%s", where, key) : key))
        return FTH_ENOMEM;
    if (!m) /* located at the mapping that lacks it */
        return warn_found(imp, map, field, "a string", "nothing");
    if (m->value->type == FTH_VALUE_NULL && !required)
        return 0;
    if (m->value->type != FTH_VALUE_STRING)
        return warn(imp, m->value, field, "a string");
    *out = m->value->u.str.ptr;
    return 0;
}

/* An optional member that must be a sequence (or a mapping); NULL when absent or null. */
static int member_of(const struct fth_value **out, struct importer *imp,
                     const struct fth_value *map, const char *key, const char *where,
                     enum fth_value_type type)
{
    const struct fth_value *v = fth_value_get(map, key);
    const char *field;

    *out = NULL;
    if (!v || v->type == FTH_VALUE_NULL)
        return 0;
    if (v->type != type) {
        if (!(field = where ? fth_arena_printf(imp->a, "%s.%s", where, key) : key))
            return FTH_ENOMEM;
        return warn(imp, v, field, type == FTH_VALUE_SEQ ? "a sequence" : "a mapping");
    }
    *out = v;
    return 0;
}

static const char *to_json(struct importer *imp, const struct fth_value *v)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *s = NULL;

    if (fth_value_to_json(&b, v, 0) == 0)
        s = fth_arena_strndup(imp->a, b.ptr, b.len);
    fth_buf_release(&b);
    return s;
}

static int json_str(struct fth_buf *b, const char *s)
{
    return fth_json_quote_flags(b, s, strlen(s), 0);
}

/* ranges: [{type, events: [{introduced|fixed|last_affected|limit: version}]}] */
static int parse_ranges(const char **out, struct importer *imp, const struct fth_value *ranges,
                        const char *where)
{
    static const char *const kinds[] = {"introduced", "fixed", "last_affected", "limit"};
    struct fth_buf b = FTH_BUF_INIT;
    size_t i, j, k;
    int error = 0;

    *out = NULL;
    if ((error = fth_buf_putc(&b, '[')) < 0)
        goto out;
    for (i = 0; i < fth_value_len(ranges); i++) {
        const struct fth_value *r = fth_value_at(ranges, i), *events;
        const char *at = fth_arena_printf(imp->a, "%s.ranges[%zu]", where, i), *type;

        if (!at) {
            error = FTH_ENOMEM;
            goto out;
        }
        if (r->type != FTH_VALUE_MAP) {
            error = warn(imp, r, at, "a mapping");
            goto out;
        }
        if ((error = member_str(&type, imp, r, "type", at, 1)) != 0 ||
            (error = member_of(&events, imp, r, "events", at, FTH_VALUE_SEQ)) != 0)
            goto out;
        if (!events) {
            error = warn_found(imp, r, fth_arena_printf(imp->a, "%s.events", at), "a sequence",
                               "nothing");
            goto out;
        }
        if ((error = fth_buf_puts(&b, i ? ",{\"type\":" : "{\"type\":")) < 0 ||
            (error = json_str(&b, type)) < 0 || (error = fth_buf_puts(&b, ",\"events\":[")) < 0)
            goto out;
        for (j = 0; j < events->u.seq.len; j++) {
            const struct fth_value *e = events->u.seq.items[j];
            const char *ev = fth_arena_printf(imp->a, "%s.events[%zu]", at, j), *version;

            if (!ev) {
                error = FTH_ENOMEM;
                goto out;
            }
            if (e->type != FTH_VALUE_MAP || e->u.map.len != 1) {
                error = warn(imp, e, ev,
                             "a mapping with one of introduced, fixed, "
                             "last_affected, limit");
                goto out;
            }
            for (k = 0; k < 4; k++)
                if (fth_value_streq(e->u.map.items[0].key, kinds[k]))
                    break;
            if (k == 4) {
                error = warn(imp, e->u.map.items[0].key, ev,
                             "one of introduced, fixed, last_affected, limit");
                goto out;
            }
            if ((error = scalar(&version, imp, e->u.map.items[0].value,
                                fth_arena_printf(imp->a, "%s.%s", ev, kinds[k]))) != 0)
                goto out;
            if ((error = fth_buf_printf(&b, "%s{\"%s\":", j ? "," : "", kinds[k])) < 0 ||
                (error = json_str(&b, version)) < 0 || (error = fth_buf_putc(&b, '}')) < 0)
                goto out;
        }
        if ((error = fth_buf_puts(&b, "]}")) < 0)
            goto out;
    }
    if ((error = fth_buf_putc(&b, ']')) < 0)
        goto out;
    if (!(*out = fth_arena_strndup(imp->a, b.ptr, b.len)))
        error = FTH_ENOMEM;
out:
    fth_buf_release(&b);
    return error;
}

static int parse_versions(const char **out, struct importer *imp, const struct fth_value *seq,
                          const char *where)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *version;
    size_t i;
    int error = 0;

    *out = NULL;
    if ((error = fth_buf_putc(&b, '[')) < 0)
        goto out;
    for (i = 0; i < fth_value_len(seq); i++) {
        const char *at = fth_arena_printf(imp->a, "%s.versions[%zu]", where, i);

        if (!at) {
            error = FTH_ENOMEM;
            goto out;
        }
        if ((error = scalar(&version, imp, fth_value_at(seq, i), at)) != 0)
            goto out;
        if ((i && (error = fth_buf_putc(&b, ',')) < 0) || (error = json_str(&b, version)) < 0)
            goto out;
    }
    if ((error = fth_buf_putc(&b, ']')) < 0)
        goto out;
    if (!(*out = fth_arena_strndup(imp->a, b.ptr, b.len)))
        error = FTH_ENOMEM;
out:
    fth_buf_release(&b);
    return error;
}

static int parse_affected(struct advisory *adv, struct importer *imp, const struct fth_value *v,
                          size_t index)
{
    const struct fth_value *pkg, *ranges, *versions, *spec;
    const char *where = fth_arena_printf(imp->a, "affected[%zu]", index), *eco;
    struct affected *af = fth_arena_calloc(imp->a, 1, sizeof(*af));
    int error = 0;

    if (!where || !af)
        return FTH_ENOMEM;
    if (v->type != FTH_VALUE_MAP)
        return warn(imp, v, where, "a mapping");
    if ((error = member_of(&pkg, imp, v, "package", where, FTH_VALUE_MAP)) != 0 ||
        (error = member_of(&ranges, imp, v, "ranges", where, FTH_VALUE_SEQ)) != 0 ||
        (error = member_of(&versions, imp, v, "versions", where, FTH_VALUE_SEQ)) != 0)
        return error;
    if (!pkg) /* OSV allows a repository-only entry: nothing a package could match */
        return 0;
    if (!(where = fth_arena_printf(imp->a, "%s.package", where)))
        return FTH_ENOMEM;
    if ((error = member_str(&eco, imp, pkg, "ecosystem", where, 1)) != 0 ||
        (error = member_str(&af->name, imp, pkg, "name", where, 1)) != 0 ||
        (error = member_str(&af->purl, imp, pkg, "purl", where, 0)) != 0)
        return error;
    if ((error = vulndb_split_ecosystem(&af->ecosystem, &af->release, imp->a, eco)) < 0)
        return error;
    where = fth_arena_printf(imp->a, "affected[%zu]", index);
    if ((error = parse_ranges(&af->ranges, imp, ranges, where)) != 0 ||
        (error = parse_versions(&af->versions, imp, versions, where)) != 0)
        return error;
    if ((spec = fth_value_get(v, "ecosystem_specific")) &&
        !(af->ecosystem_specific = to_json(imp, spec)))
        return FTH_ENOMEM;
    if ((spec = fth_value_get(v, "database_specific")) &&
        !(af->database_specific = to_json(imp, spec)))
        return FTH_ENOMEM;
    return fth_vec_push(&adv->affected, imp->a, af);
}

/* Check an advisory and gather what is stored; MALFORMED when it does not fit. */
static int parse_advisory(struct advisory *adv, struct importer *imp, const struct fth_value *v)
{
    const struct fth_value *seq;
    size_t i;
    int error = 0;

    memset(adv, 0, sizeof(*adv));
    if (!v || v->type != FTH_VALUE_MAP)
        return warn(imp, v, "(advisory)", "a mapping");
    if ((error = member_str(&adv->rec.id, imp, v, "id", NULL, 1)) != 0 ||
        (error = member_str(&adv->rec.modified, imp, v, "modified", NULL, 1)) != 0 ||
        (error = member_str(&adv->rec.summary, imp, v, "summary", NULL, 0)) != 0 ||
        (error = member_str(&adv->rec.details, imp, v, "details", NULL, 0)) != 0 ||
        (error = member_str(&adv->rec.published, imp, v, "published", NULL, 0)) != 0 ||
        (error = member_str(&adv->rec.withdrawn, imp, v, "withdrawn", NULL, 0)) != 0)
        return error;
    if (!*adv->rec.id)
        return warn(imp, fth_value_get(v, "id"), "id", "a non-empty string");
    if ((error = member_of(&seq, imp, v, "aliases", NULL, FTH_VALUE_SEQ)) != 0)
        return error;
    for (i = 0; i < fth_value_len(seq); i++) {
        const struct fth_value *item = fth_value_at(seq, i);

        if (item->type != FTH_VALUE_STRING)
            return warn(imp, item, "aliases[]", "a string");
        if ((error = fth_vec_push(&adv->rec.aliases, imp->a, (void *)item->u.str.ptr)) < 0)
            return error;
    }
    if ((error = member_of(&seq, imp, v, "references", NULL, FTH_VALUE_SEQ)) != 0)
        return error;
    for (i = 0; i < fth_value_len(seq); i++) {
        const struct fth_value *item = fth_value_at(seq, i);
        struct vulndb_reference *ref = fth_arena_calloc(imp->a, 1, sizeof(*ref));

        if (!ref)
            return FTH_ENOMEM;
        if (item->type != FTH_VALUE_MAP)
            return warn(imp, item, "references[]", "a mapping");
        if ((error = member_str(&ref->url, imp, item, "url", "references[]", 1)) != 0 ||
            (error = member_str(&ref->type, imp, item, "type", "references[]", 0)) != 0 ||
            (error = fth_vec_push(&adv->rec.references, imp->a, ref)) < 0)
            return error;
    }
    if ((error = member_of(&seq, imp, v, "severity", NULL, FTH_VALUE_SEQ)) != 0)
        return error;
    for (i = 0; i < fth_value_len(seq); i++) {
        const struct fth_value *item = fth_value_at(seq, i);
        struct fth_vulndb_severity *sev = fth_arena_calloc(imp->a, 1, sizeof(*sev));

        if (!sev)
            return FTH_ENOMEM;
        if (item->type != FTH_VALUE_MAP)
            return warn(imp, item, "severity[]", "a mapping");
        if ((error = member_str(&sev->type, imp, item, "type", "severity[]", 1)) != 0 ||
            (error = member_str(&sev->score, imp, item, "score", "severity[]", 1)) != 0 ||
            (error = fth_vec_push(&adv->rec.severity, imp->a, sev)) < 0)
            return error;
    }
    if ((error = member_of(&seq, imp, v, "affected", NULL, FTH_VALUE_SEQ)) != 0)
        return error;
    for (i = 0; i < fth_value_len(seq); i++)
        if ((error = parse_affected(adv, imp, fth_value_at(seq, i), i)) != 0)
            return error;
    if (!(adv->rec.raw = to_json(imp, v)))
        return FTH_ENOMEM;
    return 0;
}

/*
 * RFC 3339 timestamps as comparable text: the date and time digits, then the fraction padded
 * to nine digits, so "…:24Z" and "…:24.339020Z" order as the times do. OSV times are UTC.
 */
static void ts_key(char key[32], const char *ts)
{
    size_t n = 0, frac = 0;
    int in_frac = 0;

    for (; *ts && n < 23; ts++) {
        if (*ts >= '0' && *ts <= '9') {
            if (in_frac && frac++ >= 9)
                continue;
            key[n++] = *ts;
        } else if (*ts == '.' && n == 14) {
            in_frac = 1;
        } else if (*ts == 'Z' || *ts == 'z' || *ts == '+' || (*ts == '-' && n >= 14)) {
            break;
        }
    }
    while (n < 14)
        key[n++] = '0';
    while (n < 23)
        key[n++] = '0';
    key[n] = '\0';
}

static int ts_newer(const char *a, const char *b)
{
    char ka[32], kb[32];

    ts_key(ka, a);
    ts_key(kb, b);
    return strcmp(ka, kb) > 0;
}

static int store(struct importer *imp, const struct advisory *adv)
{
    sqlite3_stmt **st = imp->st;
    size_t i;
    int error = 0, rc, exists = 0;

    vulndb_bind_text(st[ST_GET_MODIFIED], 1, adv->rec.id);
    rc = sqlite3_step(st[ST_GET_MODIFIED]);
    if (rc == SQLITE_ROW) {
        const char *old = (const char *)sqlite3_column_text(st[ST_GET_MODIFIED], 0);

        exists = 1;
        if (old && !ts_newer(adv->rec.modified, old)) {
            imp->stats->unchanged++;
            rc = SQLITE_DONE;
        }
    }
    sqlite3_reset(st[ST_GET_MODIFIED]);
    sqlite3_clear_bindings(st[ST_GET_MODIFIED]);
    if (rc == SQLITE_DONE && exists)
        goto out;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        error = vulndb_sql_error(imp->err, imp->db, "cannot read");
        goto out;
    }
    if (exists) {
        /* the old affected, alias, reference and severity rows go with it (ON DELETE CASCADE) */
        vulndb_bind_text(st[ST_DELETE], 1, adv->rec.id);
        if ((error = vulndb_step_done(imp->db, imp->err, st[ST_DELETE])) < 0)
            goto out;
    }
    if ((error = vulndb_put_advisory(&st[ST_ADVISORY], imp->db, imp->err, &adv->rec, imp->source)) <
        0)
        goto out;
    for (i = 0; i < adv->affected.len; i++) {
        const struct affected *af = adv->affected.items[i];
        const char *key = fth_vulndb_package_key(imp->a, af->ecosystem, af->name);

        if (!key) {
            error = FTH_ENOMEM;
            goto out;
        }
        vulndb_bind_text(st[ST_AFFECTED], 1, adv->rec.id);
        vulndb_bind_text(st[ST_AFFECTED], 2, af->ecosystem);
        vulndb_bind_text(st[ST_AFFECTED], 3, af->release);
        vulndb_bind_text(st[ST_AFFECTED], 4, af->name);
        vulndb_bind_text(st[ST_AFFECTED], 5, key);
        vulndb_bind_text(st[ST_AFFECTED], 6, af->purl);
        vulndb_bind_text(st[ST_AFFECTED], 7, af->ranges);
        vulndb_bind_text(st[ST_AFFECTED], 8, af->versions);
        vulndb_bind_text(st[ST_AFFECTED], 9, af->ecosystem_specific);
        vulndb_bind_text(st[ST_AFFECTED], 10, af->database_specific);
        if ((error = vulndb_step_done(imp->db, imp->err, st[ST_AFFECTED])) < 0)
            goto out;
    }
    if (exists)
        imp->stats->updated++;
    else
        imp->stats->imported++;
out:
    return error;
}

static int has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);

    return n > e && !strcmp(name + n - e, ext);
}

/*
 * Load and check one document named `name`: 0 with *adv filled, MALFORMED (counted as skipped,
 * a warning logged), SECDB (an Alpine secdb document, handled by secdb.c) or a negative error. The
 * arena is reset first, so `name` must not live in it.
 */
static int parse_doc(struct advisory *adv, struct importer *imp, const char *name, const char *data,
                     size_t len)
{
    struct fth_load_opts opts = FTH_LOAD_OPTS_INIT;
    struct fth_value *root = NULL;
    struct fth_error ferr;
    int error = 0;

    fth_arena_reset(imp->a);
    imp->file = name;
    imp->stats->files++;
    fth_error_clear(&ferr);
    opts.name = name;
    opts.flags = has_ext(name, ".json") ? FTH_LOAD_JSON : 0;
    if ((error = fth_value_load_one(&root, imp->a, data, len, &opts, &ferr)) < 0) {
        struct fth_buf msg = FTH_BUF_INIT;

        if (error == FTH_ENOMEM)
            goto out;
        fth_error_locate(&ferr, name, 0, 0);
        fth_error_format(&msg, &ferr);
        fth_log(FTH_LOG_WARN, "vulndb", "%s; file skipped", msg.ptr);
        fth_buf_release(&msg);
        error = MALFORMED;
        goto out;
    }
    if (vulndb_secdb_detect(root)) {
        error = vulndb_secdb_import(imp->stats, imp->db, imp->a, name, imp->source, root, imp->err);
        if (error == 0)
            error = SECDB;
        goto out;
    }
    error = parse_advisory(adv, imp, root);
out:
    if (error == MALFORMED)
        imp->stats->skipped++;
    return error;
}

/* RustSec: a Markdown file that is not an advisory (a README) is passed over, uncounted. */
static int import_rustsec(struct importer *imp, const char *name, const char *data, size_t len)
{
    struct vulndb_record rec;
    int error = 0;

    if (!vulndb_rustsec_detect(data, len))
        return 0;
    fth_arena_reset(imp->a);
    imp->stats->files++;
    imp->formats |= FORMAT_RUSTSEC;
    if ((error = vulndb_rustsec_parse(&rec, imp->a, name, data, len)) == MALFORMED) {
        imp->stats->skipped++;
        return 0;
    }
    if (error == 0 && !imp->w_ready) {
        if ((error = vulndb_writer_init(&imp->w, imp->db, imp->err)) < 0)
            return error;
        imp->w_ready = 1;
    }
    if (error == 0)
        error = vulndb_writer_put(&imp->w, imp->stats, imp->a, &rec,
                                  imp->given ? imp->given : "rustsec");
    return error;
}

static int import_doc(struct importer *imp, const char *name, const char *data, size_t len)
{
    struct advisory adv;
    int error, kind;

    if (has_ext(name, ".md"))
        return import_rustsec(imp, name, data, len);
    if ((kind = vulndb_debian_detect(data, len)) != VULNDB_DEBIAN_NONE) {
        imp->formats |= FORMAT_DEBIAN;
        return vulndb_debian_import(imp->stats, imp->db, imp->a, kind, name,
                                    imp->given ? imp->given : "debian", data, len, imp->err);
    }
    imp->formats |= FORMAT_OSV;
    error = parse_doc(&adv, imp, name, data, len);

    if (error == 0)
        error = store(imp, &adv);
    return error > 0 ? 0 : error;
}

static int is_advisory_name(const char *name)
{
    return has_ext(name, ".json") || has_ext(name, ".yaml") || has_ext(name, ".yml") ||
           has_ext(name, ".md");
}

static int is_archive_name(const char *name)
{
    return has_ext(name, ".tar.gz") || has_ext(name, ".tgz") || has_ext(name, ".tar") ||
           has_ext(name, ".zip");
}

/* A member the directory walk would skip: a component that starts with '.' (but "./"). */
static int is_hidden_member(const char *name)
{
    const char *p = name;

    while (*p) {
        if (p[0] == '.' && p[1] != '/' && p[1] != '\0')
            return 1;
        while (*p && *p != '/')
            p++;
        while (*p == '/')
            p++;
    }
    return 0;
}

/* A damaged archive fails the import: whatever was read of it is rolled back. */
static int archive_failed(struct importer *imp, struct archive *ar, const char *path,
                          const char *member)
{
    const char *why = archive_error_string(ar);
    int error =
        fth_error_set(imp->err, FTH_EINVALID, "damaged archive: %s", why ? why : "unknown error");

    fth_error_locate(imp->err, path, 0, 0);
    if (imp->err && member && !imp->err->member[0])
        snprintf(imp->err->member, sizeof(imp->err->member), "%s", member);
    return error;
}

/*
 * Read one member's bytes into data, at most FTH_LIMIT_ADVISORY_SIZE: 1 when it is larger
 * (the rest is left for libarchive to skip), 0 when read whole, a negative error.
 */
static int read_member(struct fth_buf *data, struct importer *imp, struct archive *ar,
                       const char *path, const char *member)
{
    char chunk[64 * 1024];
    la_ssize_t n;
    int error = 0;

    fth_buf_clear(data);
    while ((n = archive_read_data(ar, chunk, sizeof(chunk))) > 0) {
        if ((size_t)n > FTH_LIMIT_ADVISORY_SIZE - data->len) {
            error = 1;
            goto out;
        }
        if ((error = fth_buf_put(data, chunk, (size_t)n)) < 0)
            goto out;
    }
    if (n < 0)
        error = archive_failed(imp, ar, path, member);
out:
    return error;
}

/* The *.json, *.yaml and *.yml members of a tar (plain or gzip) or zip archive, streamed. */
static int import_archive(struct importer *imp, const char *path)
{
    struct fth_buf data = FTH_BUF_INIT, name = FTH_BUF_INIT;
    struct archive *ar = archive_read_new();
    struct archive_entry *ent;
    int error = 0, rc;

    if (!ar) {
        error = FTH_ENOMEM;
        goto out;
    }
    archive_read_support_filter_gzip(ar);
    archive_read_support_format_tar(ar);
    archive_read_support_format_zip(ar);
    if (archive_read_open_filename(ar, path, 64 * 1024) != ARCHIVE_OK) {
        error = archive_failed(imp, ar, path, NULL);
        goto out;
    }
    for (;;) {
        const char *member;

        rc = archive_read_next_header(ar, &ent);
        if (rc == ARCHIVE_EOF)
            break;
        if (rc < ARCHIVE_WARN) {
            error = archive_failed(imp, ar, path, NULL);
            goto out;
        }
        member = archive_entry_pathname(ent);
        if (archive_entry_filetype(ent) != AE_IFREG || !member || !is_advisory_name(member) ||
            is_hidden_member(member))
            continue;
        if (++imp->walked > FTH_LIMIT_WALK_FILES) {
            error = fth_error_set(imp->err, FTH_ELIMIT, "'%s': more than %d files", path,
                                  FTH_LIMIT_WALK_FILES);
            goto out;
        }
        fth_buf_clear(&name);
        if ((error = fth_buf_printf(&name, "%s:%s", path, member)) < 0 ||
            (error = read_member(&data, imp, ar, path, member)) < 0)
            goto out;
        if (error == 1) {
            fth_log(FTH_LOG_WARN, "vulndb", "%s: larger than %zu bytes; file skipped", name.ptr,
                    FTH_LIMIT_ADVISORY_SIZE);
            imp->stats->files++;
            imp->stats->skipped++;
            error = 0;
            continue;
        }
        if ((error = import_doc(imp, name.ptr, data.ptr, data.len)) < 0)
            goto out;
    }
out:
    if (ar)
        archive_read_free(ar);
    fth_buf_release(&data);
    fth_buf_release(&name);
    return error;
}

static int import_file(struct importer *imp, const char *path)
{
    struct fth_buf buf = FTH_BUF_INIT;
    int error = 0;

    if (is_archive_name(path)) {
        error = import_archive(imp, path);
        goto out;
    }
    if ((error = fth_file_read(&buf, path, FTH_LIMIT_FILE_SIZE, imp->err)) < 0) {
        fth_error_locate(imp->err, path, 0, 0);
        goto out;
    }
    error = import_doc(imp, path, buf.ptr, buf.len);
out:
    fth_buf_release(&buf);
    return error;
}

int vulndb_osv_check(struct fth_vulndb_import_stats *out, struct fth_arena *a, const char *name,
                     const char *data, size_t len)
{
    struct fth_vulndb_import_stats stats = {0};
    struct importer imp;
    struct advisory adv;
    int error = 0;

    memset(&imp, 0, sizeof(imp));
    imp.a = a;
    imp.stats = &stats;
    imp.source = "osv";
    if ((error = parse_doc(&adv, &imp, name, data, len)) > 0)
        error = 0; /* MALFORMED, or a secdb document checked whole */
    else if (error == 0)
        stats.imported++;
    if (out)
        *out = stats;
    return error;
}

static int import_dir(struct importer *imp, const char *dir, unsigned depth)
{
    struct dirent **names = NULL;
    char *path = NULL;
    int n, i, error = 0;

    if (depth > FTH_LIMIT_WALK_DEPTH) {
        error = fth_error_set(imp->err, FTH_ELIMIT, "'%s': directories nested deeper than %d", dir,
                              FTH_LIMIT_WALK_DEPTH);
        goto out;
    }
    if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
        error = fth_error_set(imp->err, FTH_EIO, "'%s': cannot read directory: %s", dir,
                              strerror(errno));
        goto out;
    }
    for (i = 0; i < n && error == 0; i++) {
        const char *name = names[i]->d_name;
        size_t len = strlen(dir) + strlen(name) + 2;
        struct stat st;

        if (name[0] == '.') /* ".", "..", and hidden files such as .git */
            continue;
        free(path);
        if (!(path = malloc(len))) {
            error = FTH_ENOMEM;
            break;
        }
        snprintf(path, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
        if (stat(path, &st) < 0) {
            error =
                fth_error_set(imp->err, FTH_EIO, "'%s': cannot read: %s", path, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            error = import_dir(imp, path, depth + 1);
        } else if (S_ISREG(st.st_mode) && is_advisory_name(name)) {
            if (++imp->walked > FTH_LIMIT_WALK_FILES)
                error = fth_error_set(imp->err, FTH_ELIMIT, "'%s': more than %d files", dir,
                                      FTH_LIMIT_WALK_FILES);
            else
                error = import_file(imp, path);
        }
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
out:
    free(path);
    return error;
}

int fth_vulndb_import(struct fth_vulndb_import_stats *out, struct fth_vulndb *db,
                      const char *const *paths, size_t npaths, const char *source,
                      struct fth_error *err)
{
    struct fth_vulndb_import_stats stats = {0};
    struct importer imp;
    sqlite3_stmt *src = NULL;
    int error = 0, began = 0;
    size_t i;

    memset(&imp, 0, sizeof(imp));
    imp.db = db;
    imp.source = source ? source : "osv";
    imp.given = source;
    imp.stats = &stats;
    imp.err = err;
    if (!(imp.a = fth_arena_new())) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < ST_COUNT; i++)
        if ((error = vulndb_prepare(&imp.st[i], db, statements[i], err)) < 0)
            goto out;
    if ((error = vulndb_exec(db, "BEGIN IMMEDIATE", err)) < 0)
        goto out;
    began = 1;
    for (i = 0; i < npaths && error == 0; i++) {
        struct stat st;

        if (stat(paths[i], &st) < 0)
            error = fth_error_set(err, FTH_EIO, "'%s': cannot read: %s", paths[i], strerror(errno));
        else if (S_ISDIR(st.st_mode))
            error = import_dir(&imp, paths[i], 0);
        else
            error = import_file(&imp, paths[i]);
    }
    if (error < 0)
        goto out;
    if ((error = vulndb_prepare(&src, db,
                                "INSERT OR REPLACE INTO source (name, imported_at) "
                                "VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                                err)) < 0)
        goto out;
    for (i = 0; i < 3; i++) {
        static const char *const defaults[] = {"osv", "rustsec", "debian"};

        /* each format under its own name unless the caller named one; "osv" at least */
        if (source ? i > 0 : !(imp.formats & (1u << i)) && (i > 0 || imp.formats))
            continue;
        vulndb_bind_text(src, 1, source ? source : defaults[i]);
        if (sqlite3_step(src) != SQLITE_DONE) {
            error = vulndb_sql_error(err, db, "cannot write");
            goto out;
        }
        sqlite3_reset(src);
    }
    if ((error = vulndb_exec(db, "COMMIT", err)) < 0)
        goto out;
    began = 0;
    vulndb_index_drop(db); /* the lookups' index no longer says what the file holds */
out:
    if (began)
        sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(src);
    vulndb_writer_release(&imp.w);
    for (i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(imp.st[i]);
    fth_arena_free(imp.a);
    if (out)
        *out = stats;
    return error;
}
