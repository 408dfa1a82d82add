/*
 * Ignore files (Trivy's .trivyignore text and .trivyignore.yaml forms, with a package, path,
 * expiry and reason per entry), known-bad binary digests, and the filters that drop findings
 * (severities, unfixed) or mark them suppressed (ignore entries). Suppressed findings stay in
 * the result: a report shows what was waived and why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fathom/value.h"
#include "scan_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

void scan_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;

    if (!gmtime_r(&now, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm))
        memcpy(out, "1970-01-01", 11);
}

int scan_date_valid(const char *s)
{
    int month, day;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    month = (s[5] - '0') * 10 + (s[6] - '0');
    day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* ---- text form ---- */

static int add_entry(struct fth_vec *v, struct fth_arena *a, struct fth_scan_ignore_entry *e,
                     const char *name, struct fth_error *err)
{
    if (v->len >= FTH_LIMIT_IGNORE_ENTRIES)
        return fth_error_set(err, FTH_ELIMIT, "'%s': more than %d entries", name,
                             FTH_LIMIT_IGNORE_ENTRIES);
    return fth_vec_push(v, a, e) < 0 ? fth_error_set(err, FTH_ENOMEM, "out of memory") : 0;
}

static struct fth_scan_ignore_entry *new_entry(struct fth_arena *a, unsigned line)
{
    struct fth_scan_ignore_entry *e = fth_arena_calloc(a, 1, sizeof(*e));

    if (e) {
        e->id = e->package = e->path = e->expires = e->reason = "";
        e->line = line;
    }
    return e;
}

/* A YAML date may load as a string; anything else is refused. */
static int set_date(struct fth_scan_ignore_entry *e, struct fth_arena *a, const char *s, size_t n,
                    const char *name, struct fth_error *err)
{
    /* "2024-01-02T..." and "2024-01-02 ..." keep the day */
    if (n > 10 && (s[10] == 'T' || s[10] == ' '))
        n = 10;
    if (!(e->expires = fth_arena_strndup(a, s, n)))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    if (!scan_date_valid(e->expires)) {
        fth_error_set(err, FTH_EINVALID, "expected an expiry date YYYY-MM-DD, found '%s'",
                      e->expires);
        fth_error_locate(err, name, e->line, 0);
        return FTH_EINVALID;
    }
    return 0;
}

static int parse_text(struct fth_vec *v, struct fth_arena *a, const char *name, const char *data,
                      size_t len, struct fth_error *err)
{
    size_t pos = 0;
    unsigned line = 0;
    int error = 0;

    while (pos < len) {
        const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos, i = 0;
        const char *hash;
        struct fth_scan_ignore_entry *e;

        pos += n + (nl ? 1 : 0);
        line++;
        hash = memchr(s, '#', n);
        if (!(e = new_entry(a, line)))
            return fth_error_set(err, FTH_ENOMEM, "out of memory");
        if (hash) {
            const char *r = hash + 1;
            size_t rn = n - (size_t)(r - s);

            while (rn && (*r == ' ' || *r == '\t'))
                r++, rn--;
            while (rn && (r[rn - 1] == ' ' || r[rn - 1] == '\t' || r[rn - 1] == '\r'))
                rn--;
            if (!(e->reason = fth_arena_strndup(a, r, rn)))
                return fth_error_set(err, FTH_ENOMEM, "out of memory");
            n = (size_t)(hash - s);
        }
        /* whitespace-separated tokens: the id first, then exp:, pkg:, path: */
        while (i < n) {
            size_t start, tn;

            while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
                i++;
            start = i;
            while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
                i++;
            if ((tn = i - start) == 0)
                break;
            if (!*e->id) {
                if (!(e->id = fth_arena_strndup(a, s + start, tn)))
                    return fth_error_set(err, FTH_ENOMEM, "out of memory");
            } else if (tn > 4 && !strncmp(s + start, "exp:", 4)) {
                if ((error = set_date(e, a, s + start + 4, tn - 4, name, err)) < 0)
                    return error;
            } else if ((tn > 4 && !strncmp(s + start, "pkg:", 4)) ||
                       (tn > 5 && !strncmp(s + start, "purl:", 5))) {
                /* "pkg:NAME" names a package ("pkg:@scope/x", "pkg:github.com/a/b" too);
                 * "pkg:pkg:npm/x" and "purl:pkg:npm/x" give a purl prefix */
                size_t skip = s[start + 1] == 'k' ? 4 : 5;

                if (!(e->package = fth_arena_strndup(a, s + start + skip, tn - skip)))
                    return fth_error_set(err, FTH_ENOMEM, "out of memory");
            } else if (tn > 5 && !strncmp(s + start, "path:", 5)) {
                if (!(e->path = fth_arena_strndup(a, s + start + 5, tn - 5)))
                    return fth_error_set(err, FTH_ENOMEM, "out of memory");
            } else {
                fth_error_set(err, FTH_EINVALID,
                              "unexpected '%.*s' after the id: expected exp:, pkg:, purl: or "
                              "path:",
                              (int)(tn > 64 ? 64 : tn), s + start);
                fth_error_locate(err, name, line, (unsigned)start + 1);
                return FTH_EINVALID;
            }
        }
        if (*e->id && (error = add_entry(v, a, e, name, err)) < 0)
            return error;
    }
    return 0;
}

/* ---- YAML form ---- */

static const char *vstr(const struct fth_value *v)
{
    const char *s = fth_value_str(v);

    return s ? s : "";
}

static int yaml_entry(struct fth_vec *v, struct fth_arena *a, const char *name,
                      const struct fth_value *item, struct fth_error *err)
{
    const struct fth_value *id = fth_value_get(item, "id"), *x;
    struct fth_scan_ignore_entry *e;
    int error;

    if (!item || item->type != FTH_VALUE_MAP || !fth_value_str(id) || !*fth_value_str(id)) {
        fth_error_set(err, FTH_EINVALID, "expected an entry with an 'id'");
        fth_error_locate(err, name, item ? item->line : 0, item ? item->column : 0);
        return FTH_EINVALID;
    }
    if (!(e = new_entry(a, item->line)))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    e->id = fth_value_str(id);
    if ((x = fth_value_get(item, "package")) && fth_value_str(x))
        e->package = fth_value_str(x);
    else if ((x = fth_value_get(item, "purls")) && fth_value_len(x))
        e->package = vstr(fth_value_at(x, 0));
    if ((x = fth_value_get(item, "paths")) && fth_value_len(x))
        e->path = vstr(fth_value_at(x, 0));
    else if ((x = fth_value_get(item, "path")))
        e->path = vstr(x);
    if (!(x = fth_value_get(item, "expired_at")))
        x = fth_value_get(item, "expires");
    if (x && x->type != FTH_VALUE_NULL) {
        if (!fth_value_str(x)) {
            fth_error_set(err, FTH_EINVALID, "expected an expiry date YYYY-MM-DD");
            fth_error_locate(err, name, x->line, x->column);
            return FTH_EINVALID;
        }
        e->line = x->line;
        if ((error = set_date(e, a, x->u.str.ptr, x->u.str.len, name, err)) < 0)
            return error;
        e->line = item->line;
    }
    if ((x = fth_value_get(item, "statement")) || (x = fth_value_get(item, "reason")))
        e->reason = vstr(x);
    return add_entry(v, a, e, name, err);
}

static int parse_yaml(struct fth_vec *v, struct fth_arena *a, const char *name, const char *data,
                      size_t len, struct fth_error *err)
{
    static const char *const sections[] = {"vulnerabilities",   "secrets",  "hygiene",
                                           "misconfigurations", "licenses", NULL};
    struct fth_load_opts lo = FTH_LOAD_OPTS_INIT;
    struct fth_value *root = NULL;
    int error;

    lo.name = name;
    if ((error = fth_value_load_one(&root, a, data, len, &lo, err)) < 0) {
        fth_error_locate(err, name, 0, 0);
        return error;
    }
    if (!root || root->type != FTH_VALUE_MAP) {
        fth_error_set(err, FTH_EINVALID, "expected a mapping of lists (vulnerabilities, ...)");
        fth_error_locate(err, name, root ? root->line : 0, 0);
        return FTH_EINVALID;
    }
    for (size_t i = 0; i < root->u.map.len; i++) {
        const struct fth_member *m = &root->u.map.items[i];
        const char *key = fth_value_str(m->key);
        int known = 0;

        for (size_t k = 0; key && sections[k]; k++)
            known |= !strcmp(key, sections[k]);
        if (!known) {
            fth_error_set(err, FTH_EINVALID,
                          "unknown section '%s': expected vulnerabilities, secrets, hygiene, "
                          "misconfigurations or licenses",
                          key ? key : "?");
            fth_error_locate(err, name, m->key->line, m->key->column);
            return FTH_EINVALID;
        }
        if (m->value->type == FTH_VALUE_NULL)
            continue;
        if (m->value->type != FTH_VALUE_SEQ) {
            fth_error_set(err, FTH_EINVALID, "'%s': expected a list of entries", key);
            fth_error_locate(err, name, m->value->line, m->value->column);
            return FTH_EINVALID;
        }
        for (size_t j = 0; j < m->value->u.seq.len; j++)
            if ((error = yaml_entry(v, a, name, m->value->u.seq.items[j], err)) < 0)
                return error;
    }
    return 0;
}

/* The YAML form opens (after comments, blank lines and "---") with a "key:" at column 1. */
static int looks_yaml(const char *data, size_t len)
{
    size_t pos = 0;

    while (pos < len) {
        const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos, i = 0;

        pos += n + (nl ? 1 : 0);
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i == n || s[i] == '#')
            continue;
        if (n >= 3 && !strncmp(s, "---", 3))
            return 1;
        /* the first token is "key:" (an id never ends in ':') */
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            i++;
        return s[0] != ' ' && s[0] != '\t' && i > 1 && s[i - 1] == ':';
    }
    return 0;
}

int fth_scan_ignore_parse(struct fth_scan_ignore *out, struct fth_arena *a, const char *name,
                          const char *data, size_t len, struct fth_error *err)
{
    struct fth_vec v = {0};
    int error;

    memset(out, 0, sizeof(*out));
    if (!name)
        name = "<ignore file>";
    if (!(out->name = fth_arena_strdup(a, name)))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    if (looks_yaml(data, len))
        error = parse_yaml(&v, a, out->name, data, len, err);
    else
        error = parse_text(&v, a, out->name, data, len, err);
    if (error < 0)
        return error;
    if (v.len && !(out->entries = fth_arena_calloc(a, v.len, sizeof(*out->entries))))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    for (size_t i = 0; i < v.len; i++)
        out->entries[i] = *(struct fth_scan_ignore_entry *)v.items[i];
    out->len = v.len;
    return 0;
}

int fth_scan_ignore_load(struct fth_scan_ignore *out, struct fth_arena *a, const char *path,
                         struct fth_error *err)
{
    struct fth_buf b = FTH_BUF_INIT;
    int error;

    if ((error = fth_file_read(&b, path, FTH_LIMIT_IGNORE_FILE, err)) >= 0)
        error = fth_scan_ignore_parse(out, a, path, b.ptr, b.len, err);
    fth_buf_release(&b);
    return error;
}

/* ---- known-bad digests ---- */

static int cmp_hash(const void *x, const void *y)
{
    return strcmp(((const struct fth_scan_hash *)x)->sha256,
                  ((const struct fth_scan_hash *)y)->sha256);
}

int fth_scan_hashes_parse(struct fth_scan_hashes *out, struct fth_arena *a, const char *name,
                          const char *data, size_t len, struct fth_error *err)
{
    size_t pos = 0, n = 0, cap = 0;
    unsigned line = 0;
    struct fth_scan_hash *items = NULL;

    memset(out, 0, sizeof(*out));
    /* count lines first: one allocation in the arena */
    for (size_t i = 0; i < len; i++)
        cap += data[i] == '\n';
    cap++;
    if (cap > FTH_LIMIT_IGNORE_ENTRIES + 1)
        cap = FTH_LIMIT_IGNORE_ENTRIES + 1;
    if (!(items = fth_arena_calloc(a, cap, sizeof(*items))))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    while (pos < len) {
        const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
        size_t ln = nl ? (size_t)(nl - s) : len - pos, i = 0, k;

        pos += ln + (nl ? 1 : 0);
        line++;
        while (i < ln && (s[i] == ' ' || s[i] == '\t'))
            i++;
        while (ln > i && (s[ln - 1] == '\r' || s[ln - 1] == ' ' || s[ln - 1] == '\t'))
            ln--;
        if (i == ln || s[i] == '#')
            continue;
        if (ln - i > 7 && !strncasecmp(s + i, "sha256:", 7))
            i += 7;
        for (k = 0; k < 64 && i + k < ln; k++) {
            char c = s[i + k];

            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                break;
        }
        if (k != 64 || (i + 64 < ln && s[i + 64] != ' ' && s[i + 64] != '\t')) {
            fth_error_set(err, FTH_EINVALID, "expected a SHA-256 digest (64 hex digits)");
            fth_error_locate(err, name, line, (unsigned)i + 1);
            return FTH_EINVALID;
        }
        if (n >= FTH_LIMIT_IGNORE_ENTRIES)
            return fth_error_set(err, FTH_ELIMIT, "'%s': more than %d digests", name,
                                 FTH_LIMIT_IGNORE_ENTRIES);
        for (k = 0; k < 64; k++) {
            char c = s[i + k];

            items[n].sha256[k] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
        }
        i += 64;
        /* sha256sum writes " *file" or "  file" */
        while (i < ln && (s[i] == ' ' || s[i] == '\t' || s[i] == '*'))
            i++;
        if (!(items[n].note = fth_arena_strndup(a, s + i, ln - i)))
            return fth_error_set(err, FTH_ENOMEM, "out of memory");
        n++;
    }
    if (n > 1)
        qsort(items, n, sizeof(*items), cmp_hash);
    out->items = items;
    out->len = n;
    return 0;
}

/* ---- filters ---- */

int fth_scan_severities_parse(unsigned *out, const char *list, struct fth_error *err)
{
    const char *s = list;

    *out = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        char word[16];
        enum fth_severity sev;

        if (n && n < sizeof(word)) {
            memcpy(word, s, n);
            word[n] = '\0';
            if (fth_severity_parse(&sev, word) == 0) {
                *out |= 1u << sev;
                s += n + (s[n] == ',');
                continue;
            }
        }
        return fth_error_set(err, FTH_EUSAGE,
                             "unknown severity '%.*s': expected UNKNOWN, LOW, MEDIUM, HIGH or "
                             "CRITICAL",
                             (int)(n > 32 ? 32 : n), s);
    }
    if (!*out)
        return fth_error_set(err, FTH_EUSAGE, "no severity in '%s'", list);
    return 0;
}

/* Does entry e name finding f? Its id or one of the aliases, then package and path. */
static int entry_matches(const struct fth_scan_ignore_entry *e, const struct fth_scan_finding *f)
{
    int id = !strcmp(e->id, f->id);

    for (size_t i = 0; !id && i < f->naliases; i++)
        id = !strcmp(e->id, f->aliases[i]);
    if (!id)
        return 0;
    if (*e->package) {
        if (!f->pkg)
            return 0;
        if (!strncmp(e->package, "pkg:", 4)
                ? strncmp(f->pkg->purl, e->package, strlen(e->package)) != 0
                : strcmp(f->pkg->name, e->package) != 0)
            return 0;
    }
    if (*e->path) {
        size_t n = strlen(e->path);
        const char *p = e->path[0] == '/' ? e->path + 1 : e->path;

        n -= (size_t)(p - e->path);
        if (strcmp(f->path, p) && !(n && p[n - 1] == '/' && !strncmp(f->path, p, n)))
            return 0;
    }
    return 1;
}

size_t fth_scan_filter(struct fth_scan_result *res, struct fth_arena *a,
                       const struct fth_scan_filter *f)
{
    const struct fth_scan_ignore *ig = f ? f->ignore : NULL;
    unsigned char *warned = NULL;
    char today[11];
    size_t kept = 0, open = 0;

    if (f && f->today && scan_date_valid(f->today))
        memcpy(today, f->today, 11);
    else
        scan_today(today);
    if (ig && ig->len)
        warned = fth_arena_calloc(a, ig->len, 1);
    for (size_t i = 0; i < res->nfindings; i++) {
        struct fth_scan_finding *x = &res->findings[i];

        if (f && f->severities && !(f->severities & (1u << x->severity)))
            continue;
        if (f && f->ignore_unfixed && x->cls == FTH_CLASS_VULNERABILITY &&
            strcmp(x->status, "fixed") != 0)
            continue;
        for (size_t k = 0; ig && k < ig->len && !x->suppressed; k++) {
            const struct fth_scan_ignore_entry *e = &ig->entries[k];

            if (!entry_matches(e, x))
                continue;
            /* an entry applies through its expiry day and not after */
            if (*e->expires && strcmp(e->expires, today) < 0) {
                if (warned && !warned[k]) {
                    warned[k] = 1;
                    fth_log(FTH_LOG_WARN, "scan",
                            "%s:%u: the entry for '%s' expired on %s: it suppresses nothing",
                            ig->name, e->line, e->id, e->expires);
                }
                continue;
            }
            x->suppressed = fth_arena_printf(a, "ignore file %s:%u%s%s", ig->name, e->line,
                                             *e->reason ? ": " : "", e->reason);
            if (!x->suppressed)
                x->suppressed = "ignore file";
        }
        if (!x->suppressed)
            open++;
        res->findings[kept++] = *x;
    }
    res->stats.dropped += res->nfindings - kept;
    res->nfindings = kept;
    return open;
}
