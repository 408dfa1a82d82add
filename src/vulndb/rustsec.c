/*
 * vulndb: the RustSec advisory-db importer. An advisory is a Markdown file that opens with a
 * ```toml fenced block:
 *
 *   [advisory]  id, package, date, aliases, related, url, references, categories, keywords,
 *               cvss, informational, withdrawn, license
 *   [versions]  patched, unaffected: lists of Cargo version requirements
 *   [affected]  functions (path -> requirements), os, arch
 *
 * then "# title" and the description. A version is affected when it meets none of the
 * patched and unaffected requirements. Turning that into OSV introduced/fixed events is exact
 * only for some requirement shapes (prerelease rules make "^0.4.5" differ from ">= 0.4.5,
 * < 0.5.0" for 0.5.0-alpha), so the requirements are stored as written, in a range of type
 * "RUSTSEC" that match.c evaluates with the crates.io requirement matcher:
 *
 *   [{"type":"RUSTSEC","patched":[">= 0.10.55"],"unaffected":[],"fixed":["0.10.55"]}]
 *
 * "fixed" lists the lowest version each patched requirement admits (where it has one), for
 * reports; it plays no part in matching.
 */
#include <ctype.h>
#include <string.h>

#include "vulndb_int.h"
#include "fathom/value.h"
#include "fathom/version.h"
#include "../base/banned.h"

#define MALFORMED 1

struct parse {
    struct fth_arena *a;
    const char *name;
    struct vulndb_record *rec;
};

static int warn_found(struct parse *p, const struct fth_value *at, const char *field,
                      const char *expected, const char *found)
{
    fth_log(FTH_LOG_WARN, "vulndb", "%s:%u:%u: '%s': expected %s, found %s; advisory skipped",
            p->name, at ? at->line : 0, at ? at->column : 0, field ? field : "?", expected, found);
    return MALFORMED;
}

static int warn(struct parse *p, const struct fth_value *at, const char *field,
                const char *expected)
{
    return warn_found(p, at, field, expected, at ? fth_value_type_name(at->type) : "nothing");
}

/* A missing member, located at the table that lacks it. */
static int warn_missing(struct parse *p, const struct fth_value *table, const char *field,
                        const char *expected)
{
    return warn_found(p, table, field, expected, "nothing");
}

/* The line after "```toml" and the text up to the closing fence. */
static int front_matter(const char **toml, size_t *tlen, const char **body, const char *data,
                        size_t len)
{
    const char *p = data, *end = data + len, *line;

    if (len < 7 || memcmp(data, "```toml", 7) != 0)
        return 0;
    p += 7;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    if (p == end || *p != '\n')
        return 0;
    *toml = ++p;
    for (line = p; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *eol = nl ? nl : end;

        if (eol - line >= 3 && !memcmp(line, "```", 3)) {
            const char *q = line + 3;

            while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
                q++;
            if (q == eol) {
                *tlen = (size_t)(line - *toml);
                *body = nl ? nl + 1 : end;
                return 1;
            }
        }
        line = nl ? nl + 1 : end;
    }
    return 0;
}

int vulndb_rustsec_detect(const char *data, size_t len)
{
    const char *toml, *body;
    size_t tlen;

    return front_matter(&toml, &tlen, &body, data, len);
}

/* A string member; required ones missing are malformed. */
static int str(const char **out, struct parse *p, const struct fth_value *table, const char *key,
               const char *where, int required)
{
    const struct fth_value *v = fth_value_get(table, key);

    *out = NULL;
    if (!v && !required)
        return 0;
    if (!v)
        return warn_missing(p, table, fth_arena_printf(p->a, "%s.%s", where, key),
                            "a non-empty string");
    if (v->type != FTH_VALUE_STRING || (required && !v->u.str.len))
        return warn(p, v, fth_arena_printf(p->a, "%s.%s", where, key), "a non-empty string");
    *out = v->u.str.ptr;
    return 0;
}

/* An optional array of strings. */
static int strings(const struct fth_value **out, struct parse *p, const struct fth_value *table,
                   const char *key, const char *where)
{
    const struct fth_value *v = fth_value_get(table, key);
    size_t i;

    *out = NULL;
    if (!v)
        return 0;
    if (v->type != FTH_VALUE_SEQ)
        return warn(p, v, fth_arena_printf(p->a, "%s.%s", where, key), "an array of strings");
    for (i = 0; i < v->u.seq.len; i++)
        if (v->u.seq.items[i]->type != FTH_VALUE_STRING)
            return warn(p, v->u.seq.items[i], fth_arena_printf(p->a, "%s.%s[%zu]", where, key, i),
                        "a string");
    *out = v;
    return 0;
}

/* Each item a Cargo version requirement the matcher accepts. */
static int requirements(struct parse *p, const struct fth_value *seq, const char *field)
{
    struct fth_error e;
    size_t i;
    int hit;

    for (i = 0; i < fth_value_len(seq); i++) {
        const struct fth_value *r = seq->u.seq.items[i];

        fth_error_clear(&e);
        if (fth_version_satisfies(&hit, FTH_ECO_CRATES, "0.0.0", r->u.str.ptr, 0, &e) < 0) {
            fth_log(FTH_LOG_WARN, "vulndb",
                    "%s:%u:%u: '%s[%zu]': '%s' is not a Cargo version requirement; "
                    "advisory skipped",
                    p->name, r->line, r->column, field, i, r->u.str.ptr);
            return MALFORMED;
        }
    }
    return 0;
}

/* The lowest version a requirement admits: ">= 1.2", "^1.2", "~1.2", "=1.2", "1.2" (as 1.2.0). */
static const char *lower_bound(struct fth_arena *a, const char *req)
{
    const char *s = req;
    size_t n, dots = 0, i;

    for (;;) {
        while (*s == ' ')
            s++;
        if (!strncmp(s, ">=", 2) || *s == '^' || *s == '~' || *s == '=' ||
            isdigit((unsigned char)*s)) {
            s += !strncmp(s, ">=", 2) ? 2 : isdigit((unsigned char)*s) ? 0 : 1;
            while (*s == ' ')
                s++;
            n = strcspn(s, " ,");
            for (i = 0; i < n; i++) {
                if (s[i] == '.')
                    dots++;
                if (s[i] == '*' || s[i] == 'x' || s[i] == 'X' || s[i] == '-' || s[i] == '+')
                    break;
            }
            if (i < n) /* wildcards and prereleases: left out rather than misstated */
                return NULL;
            return fth_arena_printf(a, "%.*s%s", (int)n, s,
                                    dots == 0   ? ".0.0"
                                    : dots == 1 ? ".0"
                                                : "");
        }
        if (!(s = strchr(s, ',')))
            return NULL;
        s++;
    }
}

static int json_list(struct fth_buf *b, const struct fth_value *seq)
{
    size_t i;
    int error = fth_buf_putc(b, '[');

    for (i = 0; error == 0 && i < fth_value_len(seq); i++) {
        const struct fth_value *v = seq->u.seq.items[i];

        if (i)
            error = fth_buf_putc(b, ',');
        if (error == 0)
            error = fth_json_quote_flags(b, v->u.str.ptr, v->u.str.len, 0);
    }
    return error < 0 ? error : fth_buf_putc(b, ']');
}

static const char *to_json(struct fth_arena *a, const struct fth_value *v)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *s = NULL;

    if (fth_value_to_json(&b, v, 0) == 0)
        s = fth_arena_strndup(a, b.ptr, b.len);
    fth_buf_release(&b);
    return s;
}

static int ranges(const char **out, struct parse *p, const struct fth_value *patched,
                  const struct fth_value *unaffected)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t i, n = 0;
    int error = 0;

    *out = NULL;
    if ((error = fth_buf_puts(&b, "[{\"type\":\"RUSTSEC\",\"patched\":")) < 0 ||
        (error = json_list(&b, patched)) < 0 ||
        (error = fth_buf_puts(&b, ",\"unaffected\":")) < 0 ||
        (error = json_list(&b, unaffected)) < 0 || (error = fth_buf_puts(&b, ",\"fixed\":[")) < 0)
        goto out;
    for (i = 0; i < fth_value_len(patched); i++) {
        const char *low = lower_bound(p->a, patched->u.seq.items[i]->u.str.ptr);

        if (!low)
            continue;
        if ((n++ && (error = fth_buf_putc(&b, ',')) < 0) ||
            (error = fth_json_quote_flags(&b, low, strlen(low), 0)) < 0)
            goto out;
    }
    if ((error = fth_buf_puts(&b, "]}]")) < 0)
        goto out;
    if (!(*out = fth_arena_strndup(p->a, b.ptr, b.len)))
        error = FTH_ENOMEM;
out:
    fth_buf_release(&b);
    return error;
}

/* [affected]: functions, os, arch, kept as OSV's ecosystem_specific.affects */
static int affects(const char **out, struct parse *p, const struct fth_value *affected)
{
    const struct fth_value *os, *arch, *functions;
    struct fth_buf b = FTH_BUF_INIT;
    size_t i;
    int error = 0;

    *out = NULL;
    if (!affected)
        return 0;
    if (affected->type != FTH_VALUE_MAP)
        return warn(p, affected, "affected", "a table");
    if ((error = strings(&os, p, affected, "os", "affected")) != 0 ||
        (error = strings(&arch, p, affected, "arch", "affected")) != 0)
        return error;
    functions = fth_value_get(affected, "functions");
    if (functions && functions->type != FTH_VALUE_MAP)
        return warn(p, functions, "affected.functions", "a table");
    for (i = 0; i < fth_value_len(functions); i++) {
        const struct fth_member *m = &functions->u.map.items[i];
        const char *field = fth_arena_printf(p->a, "affected.functions.%s", m->key->u.str.ptr);
        const struct fth_value *reqs;

        if (!field)
            return FTH_ENOMEM;
        if ((error = strings(&reqs, p, functions, m->key->u.str.ptr, "affected.functions")) != 0 ||
            (error = requirements(p, reqs, field)) != 0)
            return error;
    }
    if ((error = fth_buf_puts(&b, "{\"affects\":{\"arch\":")) < 0 ||
        (error = json_list(&b, arch)) < 0 || (error = fth_buf_puts(&b, ",\"os\":")) < 0 ||
        (error = json_list(&b, os)) < 0 || (error = fth_buf_puts(&b, ",\"functions\":[")) < 0)
        goto out;
    for (i = 0; i < fth_value_len(functions); i++) {
        const struct fth_value *k = functions->u.map.items[i].key;

        if ((i && (error = fth_buf_putc(&b, ',')) < 0) ||
            (error = fth_json_quote_flags(&b, k->u.str.ptr, k->u.str.len, 0)) < 0)
            goto out;
    }
    if ((error = fth_buf_puts(&b, "]}}")) < 0)
        goto out;
    if (!(*out = fth_arena_strndup(p->a, b.ptr, b.len)))
        error = FTH_ENOMEM;
out:
    fth_buf_release(&b);
    return error;
}

/* The first "# " heading is the summary, the text after it the details. */
static int body(struct parse *p, const char *s, const char *end)
{
    const char *line = s;

    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *eol = nl ? nl : end;

        if (eol - line >= 2 && line[0] == '#' && line[1] == ' ') {
            const char *t = line + 2, *d = nl ? nl + 1 : end;
            size_t n = (size_t)(eol - t);

            while (n && (t[n - 1] == '\r' || t[n - 1] == ' '))
                n--;
            while (d < end && (*d == '\n' || *d == '\r'))
                d++;
            while (end > d && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
                end--;
            if (!(p->rec->summary = fth_arena_strndup(p->a, t, n)) ||
                !(p->rec->details = fth_arena_strndup(p->a, d, (size_t)(end - d))))
                return FTH_ENOMEM;
            return 0;
        }
        line = nl ? nl + 1 : end;
    }
    return 0;
}

static int push_ref(struct parse *p, const char *type, const char *url)
{
    struct vulndb_reference *ref = fth_arena_calloc(p->a, 1, sizeof(*ref));

    if (!ref)
        return FTH_ENOMEM;
    ref->type = type;
    ref->url = url;
    return fth_vec_push(&p->rec->references, p->a, ref);
}

/* Everything of [advisory] that OSV keeps in database_specific. */
static const char *database_specific(struct parse *p, const struct fth_value *adv)
{
    static const char *const keys[] = {"categories", "keywords", "informational", "license",
                                       "related"};
    struct fth_value *map = fth_value_new(p->a, FTH_VALUE_MAP);
    size_t i, n = 0;

    if (!map || !(map->u.map.items = fth_arena_calloc(p->a, 5, sizeof(*map->u.map.items))))
        return NULL;
    for (i = 0; i < 5; i++) {
        const struct fth_member *m = fth_value_member(adv, keys[i]);

        if (m)
            map->u.map.items[n++] = *m;
    }
    map->u.map.len = n;
    return n ? to_json(p->a, map) : "{}";
}

static int advisory(struct parse *p, const struct fth_value *root, const char *text,
                    const char *end)
{
    const struct fth_value *adv = fth_value_get(root, "advisory");
    const struct fth_value *versions = fth_value_get(root, "versions");
    const struct fth_value *aliases, *refs, *patched, *unaffected;
    struct vulndb_record *rec = p->rec;
    struct vulndb_row *row;
    const char *package, *date, *withdrawn, *url, *cvss, *informational;
    size_t i;
    int error = 0;

    if (!adv)
        return warn_missing(p, root, "advisory", "a table");
    if (adv->type != FTH_VALUE_MAP)
        return warn(p, adv, "advisory", "a table");
    if ((error = str(&rec->id, p, adv, "id", "advisory", 1)) != 0 ||
        (error = str(&package, p, adv, "package", "advisory", 1)) != 0 ||
        (error = str(&date, p, adv, "date", "advisory", 1)) != 0 ||
        (error = str(&withdrawn, p, adv, "withdrawn", "advisory", 0)) != 0 ||
        (error = str(&url, p, adv, "url", "advisory", 0)) != 0 ||
        (error = str(&cvss, p, adv, "cvss", "advisory", 0)) != 0 ||
        (error = str(&informational, p, adv, "informational", "advisory", 0)) != 0 ||
        (error = strings(&aliases, p, adv, "aliases", "advisory")) != 0 ||
        (error = strings(&refs, p, adv, "references", "advisory")) != 0)
        return error;
    if (!(rec->published = vulndb_date(p->a, date)))
        return warn(p, fth_value_get(adv, "date"), "advisory.date", "a date (YYYY-MM-DD)");
    rec->modified = rec->published;
    if (withdrawn) {
        if (!(rec->withdrawn = vulndb_date(p->a, withdrawn)))
            return warn(p, fth_value_get(adv, "withdrawn"), "advisory.withdrawn",
                        "a date (YYYY-MM-DD)");
        /* withdrawing is the last change an advisory sees */
        if (strcmp(rec->withdrawn, rec->modified) > 0)
            rec->modified = rec->withdrawn;
    }
    if (!versions)
        return warn_missing(p, root, "versions", "a table");
    if (versions->type != FTH_VALUE_MAP)
        return warn(p, versions, "versions", "a table");
    if ((error = strings(&patched, p, versions, "patched", "versions")) != 0 ||
        (error = strings(&unaffected, p, versions, "unaffected", "versions")) != 0 ||
        (error = requirements(p, patched, "versions.patched")) != 0 ||
        (error = requirements(p, unaffected, "versions.unaffected")) != 0)
        return error;
    if (!patched)
        return warn_missing(p, versions, "versions.patched", "an array of strings");
    for (i = 0; i < fth_value_len(aliases); i++)
        if ((error =
                 fth_vec_push(&rec->aliases, p->a, (void *)aliases->u.seq.items[i]->u.str.ptr)) < 0)
            return error;
    if ((error = push_ref(p, "PACKAGE",
                          fth_arena_printf(p->a, "https://crates.io/crates/%s", package))) < 0 ||
        (error = push_ref(
             p, "ADVISORY",
             fth_arena_printf(p->a, "https://rustsec.org/advisories/%s.html", rec->id))) < 0 ||
        (url && (error = push_ref(p, "REPORT", url)) < 0))
        return error;
    for (i = 0; i < fth_value_len(refs); i++)
        if ((error = push_ref(p, "WEB", refs->u.seq.items[i]->u.str.ptr)) < 0)
            return error;
    if (cvss) {
        struct fth_vulndb_severity *sev = fth_arena_calloc(p->a, 1, sizeof(*sev));

        if (!sev)
            return FTH_ENOMEM;
        sev->type = !strncmp(cvss, "CVSS:4.0/", 9) ? "CVSS_V4"
                    : !strncmp(cvss, "CVSS:3.", 7) ? "CVSS_V3"
                                                   : "CVSS_V2";
        sev->score = cvss;
        if ((error = fth_vec_push(&rec->severity, p->a, sev)) < 0)
            return error;
    }
    if (!(row = fth_arena_calloc(p->a, 1, sizeof(*row))))
        return FTH_ENOMEM;
    row->ecosystem = "crates.io";
    row->release = "";
    row->package = package;
    row->status = "";
    if ((error = ranges(&row->ranges, p, patched, unaffected)) < 0 ||
        (error = affects(&row->ecosystem_specific, p, fth_value_get(root, "affected"))) != 0)
        return error;
    if (!(row->database_specific = database_specific(p, adv)))
        return FTH_ENOMEM;
    if ((error = fth_vec_push(&rec->rows, p->a, row)) < 0)
        return error;
    if (!(rec->raw = fth_arena_strndup(p->a, text, (size_t)(end - text))))
        return FTH_ENOMEM;
    return 0;
}

int vulndb_rustsec_parse(struct vulndb_record *rec, struct fth_arena *a, const char *name,
                         const char *data, size_t len)
{
    struct fth_value *root = NULL;
    struct fth_error err;
    struct parse p;
    const char *toml, *rest;
    size_t tlen;
    int error = 0;

    memset(rec, 0, sizeof(*rec));
    p.a = a;
    p.name = name;
    p.rec = rec;
    if (!front_matter(&toml, &tlen, &rest, data, len)) {
        fth_log(FTH_LOG_WARN, "vulndb",
                "%s:1: expected a ```toml front matter block; "
                "advisory skipped",
                name);
        return MALFORMED;
    }
    fth_error_clear(&err);
    if ((error = vulndb_toml_parse(&root, a, name, 2, toml, tlen, &err)) < 0) {
        if (error == FTH_ENOMEM)
            return error;
        fth_log(FTH_LOG_WARN, "vulndb", "%s; advisory skipped", err.message);
        return MALFORMED;
    }
    if ((error = advisory(&p, root, data, data + len)) != 0)
        return error;
    return body(&p, rest, data + len);
}
