/*
 * vulndb: `fathom db update`. Download the public advisory feeds and swap in a new database.
 *
 * The old file is never written. The new database is built beside it (<db>.new-XXXXXX in the
 * same directory, so the final rename(2) is atomic): a copy taken with SQLite's backup API,
 * which reads one consistent snapshot (WAL frames included) while other readers go on, then
 * the feeds that changed are imported into the copy, and only when all of them succeeded is
 * it renamed over the old file. Any failure, or a cancel from a signal handler, removes the
 * temporary files and leaves the old database byte-for-byte as it was.
 *
 * Downloads go to their own temporary directory (<db>.dl-XXXXXX) and are imported only once
 * complete. Each feed's ETag and Last-Modified are kept in the database's own `feed_state`
 * table, so they are swapped in together with the data they describe: a failed update never
 * remembers validators for data it did not keep.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vulndb_int.h"
#include "fathom/value.h"
#include "../base/limits.h"
#include "../base/banned.h"

#define OSV_BASE "https://osv-vulnerabilities.storage.googleapis.com"
#define ALPINE_BASE "https://secdb.alpinelinux.org"
#define DEBIAN_URL "https://security-tracker.debian.org/tracker/data/json"

/* The ecosystems whose packages Fathom's catalogers find (distros come from their own feeds). */
static const char *const default_ecosystems[] = {
    "Go", "PyPI", "npm", "Maven", "RubyGems", "NuGet", "Packagist", "crates.io", "Hex",
};

/* Alpine branches with security support in late 2026. */
static const char *const default_branches[] = {"v3.21", "v3.22", "v3.23", "v3.24"};
static const char *const default_repos[] = {"main", "community"};

#define FEED_NAME_MAX 64

static const char state_sql[] = "CREATE TABLE IF NOT EXISTS feed_state ("
                                "  name TEXT PRIMARY KEY,"
                                "  url TEXT NOT NULL,"
                                "  etag TEXT,"
                                "  last_modified TEXT,"
                                "  fetched_at TEXT NOT NULL)";

/* ---- the feed list ---- */

struct feed_list {
    struct fth_arena *a;
    struct fth_vulndb_feed *items;
    size_t len, cap;
};

static int name_ok(const char *s)
{
    size_t n = 0;

    for (; *s; s++, n++)
        if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
            return 0;
    return n > 0 && n <= FEED_NAME_MAX;
}

static int format_ok(const char *s)
{
    return !strcmp(s, "osv") || !strcmp(s, "alpine-secdb") || !strcmp(s, "debian-tracker");
}

static struct fth_vulndb_feed *feed_find(struct feed_list *l, const char *name)
{
    size_t i;

    for (i = 0; i < l->len; i++)
        if (!strcmp(l->items[i].name, name))
            return &l->items[i];
    return NULL;
}

/* Append a feed, or replace the one of the same name (a later definition wins). */
static int feed_put(struct feed_list *l, const char *name, const char *url, const char *format)
{
    struct fth_vulndb_feed *f = feed_find(l, name);

    if (!f) {
        if (l->len == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 32;
            struct fth_vulndb_feed *grown = fth_arena_calloc(l->a, cap, sizeof(*grown));

            if (!grown)
                return FTH_ENOMEM;
            if (l->len)
                memcpy(grown, l->items, l->len * sizeof(*grown));
            l->items = grown;
            l->cap = cap;
        }
        f = &l->items[l->len++];
    }
    f->name = name;
    f->url = url;
    f->format = format;
    return 0;
}

/* "osv-crates.io" from "crates.io", "osv-Red-Hat" from "Red Hat". */
static char *name_from(struct fth_arena *a, const char *prefix, const char *a1, const char *a2)
{
    char *s = fth_arena_printf(a, "%s%s%s%s", prefix, a1, a2 ? "-" : "", a2 ? a2 : "");
    char *p;

    for (p = s; p && *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
            *p = '-';
    return s;
}

/* A path segment with the characters URLs cannot hold as they are percent-encoded. */
static char *url_segment(struct fth_arena *a, const char *s)
{
    struct fth_buf b = FTH_BUF_INIT;
    char *out = NULL;
    int r = 0;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (isalnum(c) || strchr("-._~:@!$&'()*+,;=", c))
            r |= fth_buf_putc(&b, (char)c);
        else
            r |= fth_buf_printf(&b, "%%%02X", c);
    }
    if (r == 0)
        out = fth_arena_strndup(a, b.ptr, b.len);
    fth_buf_release(&b);
    return out;
}

/* A list of strings from the config; NULL v leaves the defaults. */
static int config_strings(const char *const **out, size_t *n, struct fth_arena *a,
                          const struct fth_value *v, const char *field, const char *file,
                          struct fth_error *err)
{
    const char **items;
    size_t i;
    int error = 0;

    if (!v)
        goto out;
    if (v->type != FTH_VALUE_SEQ) {
        error = fth_error_set(err, FTH_EINVALID, "'%s': expected a sequence of strings, found %s",
                              field, fth_value_type_name(v->type));
        fth_error_locate(err, file, v->line, v->column);
        goto out;
    }
    if (!(items = fth_arena_calloc(a, v->u.seq.len + 1, sizeof(*items)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < v->u.seq.len; i++) {
        const struct fth_value *item = v->u.seq.items[i];

        if (!(items[i] = fth_value_str(item)) || !*items[i]) {
            error = fth_error_set(err, FTH_EINVALID, "'%s[%zu]': expected a non-empty string",
                                  field, i);
            fth_error_locate(err, file, item->line, item->column);
            goto out;
        }
    }
    *out = items;
    *n = v->u.seq.len;
out:
    return error;
}

static int config_string(const char **out, const struct fth_value *map, const char *key,
                         const char *field, const char *file, struct fth_error *err)
{
    const struct fth_value *v = fth_value_get(map, key);

    *out = NULL;
    if (!v)
        return 0;
    if (!(*out = fth_value_str(v)) || !**out) {
        fth_error_set(err, FTH_EINVALID, "'%s': expected a non-empty string", field);
        fth_error_locate(err, file, v->line, v->column);
        return FTH_EINVALID;
    }
    return 0;
}

/* The `feeds:` list of the config file: exactly these feeds. */
static int config_feeds(struct feed_list *l, const struct fth_value *v, const char *file,
                        struct fth_error *err)
{
    size_t i;
    int error = 0;

    if (v->type != FTH_VALUE_SEQ) {
        error = fth_error_set(err, FTH_EINVALID, "'feeds': expected a sequence, found %s",
                              fth_value_type_name(v->type));
        fth_error_locate(err, file, v->line, v->column);
        goto out;
    }
    for (i = 0; i < v->u.seq.len; i++) {
        const struct fth_value *f = v->u.seq.items[i];
        const char *name, *url, *format;
        char field[64];

        snprintf(field, sizeof(field), "feeds[%zu]", i);
        if (f->type != FTH_VALUE_MAP) {
            error = fth_error_set(err, FTH_EINVALID, "'%s': expected a mapping, found %s", field,
                                  fth_value_type_name(f->type));
            fth_error_locate(err, file, f->line, f->column);
            goto out;
        }
        snprintf(field, sizeof(field), "feeds[%zu].name", i);
        if ((error = config_string(&name, f, "name", field, file, err)) < 0)
            goto out;
        snprintf(field, sizeof(field), "feeds[%zu].url", i);
        if ((error = config_string(&url, f, "url", field, file, err)) < 0)
            goto out;
        snprintf(field, sizeof(field), "feeds[%zu].format", i);
        if ((error = config_string(&format, f, "format", field, file, err)) < 0)
            goto out;
        if (!name || !url) {
            error = fth_error_set(err, FTH_EINVALID, "'feeds[%zu]': needs a name and a url", i);
            fth_error_locate(err, file, f->line, f->column);
            goto out;
        }
        if (!name_ok(name)) {
            error = fth_error_set(err, FTH_EINVALID,
                                  "'feeds[%zu].name': '%s' is not 1 to %d of [A-Za-z0-9._-]", i,
                                  name, FEED_NAME_MAX);
            fth_error_locate(err, file, f->line, f->column);
            goto out;
        }
        if (!format)
            format = "osv";
        if (!format_ok(format)) {
            error = fth_error_set(err, FTH_EINVALID,
                                  "'feeds[%zu].format': '%s' is not osv, alpine-secdb or "
                                  "debian-tracker",
                                  i, format);
            fth_error_locate(err, file, f->line, f->column);
            goto out;
        }
        if (feed_find(l, name)) {
            error =
                fth_error_set(err, FTH_EINVALID, "'feeds[%zu].name': '%s' appears twice", i, name);
            fth_error_locate(err, file, f->line, f->column);
            goto out;
        }
        if ((error = feed_put(l, name, url, format)) < 0)
            goto out;
    }
out:
    return error;
}

struct config {
    const char *mirror;
    const char *const *ecosystems, *const *branches, *const *repos;
    size_t necosystems, nbranches, nrepos;
    int debian;
    const struct fth_value *feeds;
};

static int config_load(struct config *c, struct fth_arena *a, const char *file,
                       struct fth_error *err)
{
    static const char *const keys[] = {"mirror",       "osv_ecosystems", "alpine_branches",
                                       "alpine_repos", "debian",         "feeds"};
    struct fth_load_opts lo = FTH_LOAD_OPTS_INIT;
    struct fth_buf data = FTH_BUF_INIT;
    struct fth_value *root = NULL;
    const struct fth_value *v;
    size_t i, k;
    int error = 0;

    if ((error = fth_file_read(&data, file, FTH_LIMIT_FILE_SIZE, err)) < 0)
        goto out;
    lo.name = file;
    if ((error = fth_value_load_one(&root, a, data.ptr, data.len, &lo, err)) < 0) {
        fth_error_locate(err, file, 0, 0);
        goto out;
    }
    if (root->type == FTH_VALUE_NULL)
        goto out;
    if (root->type != FTH_VALUE_MAP) {
        error = fth_error_set(err, FTH_EINVALID, "expected a mapping, found %s",
                              fth_value_type_name(root->type));
        fth_error_locate(err, file, root->line, root->column);
        goto out;
    }
    /* An unknown key is most likely a typo that would silently fetch the defaults. */
    for (i = 0; i < root->u.map.len; i++) {
        const struct fth_member *m = &root->u.map.items[i];
        const char *key = fth_value_str(m->key);

        for (k = 0; key && k < sizeof(keys) / sizeof(keys[0]); k++)
            if (!strcmp(key, keys[k]))
                break;
        if (!key || k == sizeof(keys) / sizeof(keys[0])) {
            error = fth_error_set(err, FTH_EINVALID,
                                  "'%s': unknown key; expected one of mirror, "
                                  "osv_ecosystems, alpine_branches, alpine_repos, debian, feeds",
                                  key ? key : "?");
            fth_error_locate(err, file, m->key->line, m->key->column);
            goto out;
        }
    }
    if ((error = config_string(&c->mirror, root, "mirror", "mirror", file, err)) < 0 ||
        (error = config_strings(&c->ecosystems, &c->necosystems, a,
                                fth_value_get(root, "osv_ecosystems"), "osv_ecosystems", file,
                                err)) < 0 ||
        (error =
             config_strings(&c->branches, &c->nbranches, a, fth_value_get(root, "alpine_branches"),
                            "alpine_branches", file, err)) < 0 ||
        (error = config_strings(&c->repos, &c->nrepos, a, fth_value_get(root, "alpine_repos"),
                                "alpine_repos", file, err)) < 0)
        goto out;
    if ((v = fth_value_get(root, "debian"))) {
        if (v->type != FTH_VALUE_BOOL) {
            error = fth_error_set(err, FTH_EINVALID, "'debian': expected true or false, found %s",
                                  fth_value_type_name(v->type));
            fth_error_locate(err, file, v->line, v->column);
            goto out;
        }
        c->debian = v->u.boolean;
    }
    c->feeds = fth_value_get(root, "feeds");
out:
    fth_buf_release(&data);
    return error;
}

/* The official feeds, under `mirror` when one is given. */
static int default_feeds(struct feed_list *l, const struct config *c)
{
    const char *osv = OSV_BASE, *alpine = ALPINE_BASE, *debian = DEBIAN_URL;
    struct fth_arena *a = l->a;
    const char *name, *url, *seg;
    size_t i, j;
    int error = 0;

    if (c->mirror) {
        size_t n = strlen(c->mirror);

        while (n && c->mirror[n - 1] == '/')
            n--;
        if (!(osv = fth_arena_printf(a, "%.*s/osv", (int)n, c->mirror)) ||
            !(alpine = fth_arena_printf(a, "%.*s/alpine", (int)n, c->mirror)) ||
            !(debian = fth_arena_printf(a, "%.*s/debian/json", (int)n, c->mirror))) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    for (i = 0; i < c->necosystems; i++) {
        if (!(name = name_from(a, "osv-", c->ecosystems[i], NULL)) ||
            !(seg = url_segment(a, c->ecosystems[i])) ||
            !(url = fth_arena_printf(a, "%s/%s/all.zip", osv, seg))) {
            error = FTH_ENOMEM;
            goto out;
        }
        if ((error = feed_put(l, name, url, "osv")) < 0)
            goto out;
    }
    for (i = 0; i < c->nbranches; i++) {
        for (j = 0; j < c->nrepos; j++) {
            const char *branch = url_segment(a, c->branches[i]);
            const char *repo = url_segment(a, c->repos[j]);

            if (!branch || !repo ||
                !(name = name_from(a, "alpine-", c->branches[i], c->repos[j])) ||
                !(url = fth_arena_printf(a, "%s/%s/%s.json", alpine, branch, repo))) {
                error = FTH_ENOMEM;
                goto out;
            }
            if ((error = feed_put(l, name, url, "alpine-secdb")) < 0)
                goto out;
        }
    }
    if (c->debian)
        error = feed_put(l, "debian-tracker", debian, "debian-tracker");
out:
    return error;
}

/* A feed named on the command line only: its format from its name's family. */
static const char *format_for(const char *name)
{
    if (!strncmp(name, "alpine", 6))
        return "alpine-secdb";
    if (!strncmp(name, "debian", 6))
        return "debian-tracker";
    return "osv";
}

static int selected(const char *name, const char *const *sources, size_t n)
{
    size_t i, len;

    for (i = 0; i < n; i++) {
        len = strlen(sources[i]);
        if (!strcmp(name, sources[i]) || (!strncmp(name, sources[i], len) && name[len] == '-'))
            return 1;
    }
    return 0;
}

int fth_vulndb_feeds(struct fth_vulndb_feed **out, size_t *nout, struct fth_arena *a,
                     const struct fth_vulndb_feed_opts *opts, struct fth_error *err)
{
    struct feed_list l = {a, NULL, 0, 0};
    struct config c;
    size_t i, j;
    int error = 0;

    *out = NULL;
    *nout = 0;
    memset(&c, 0, sizeof(c));
    c.ecosystems = default_ecosystems;
    c.necosystems = sizeof(default_ecosystems) / sizeof(default_ecosystems[0]);
    c.branches = default_branches;
    c.nbranches = sizeof(default_branches) / sizeof(default_branches[0]);
    c.repos = default_repos;
    c.nrepos = sizeof(default_repos) / sizeof(default_repos[0]);
    c.debian = 1;
    if (opts->config && (error = config_load(&c, a, opts->config, err)) < 0)
        goto out;
    if (opts->mirror && *opts->mirror)
        c.mirror = opts->mirror;
    if (c.feeds)
        error = config_feeds(&l, c.feeds, opts->config, err);
    else
        error = default_feeds(&l, &c);
    if (error < 0)
        goto out;
    for (i = 0; i < opts->noverrides; i++) {
        const char *eq = strchr(opts->overrides[i], '=');
        struct fth_vulndb_feed *f;
        char *name;

        if (!eq || eq == opts->overrides[i] || !eq[1]) {
            error = fth_error_set(err, FTH_EUSAGE, "'%s': expected NAME=URL", opts->overrides[i]);
            goto out;
        }
        if (!(name = fth_arena_strndup(a, opts->overrides[i], (size_t)(eq - opts->overrides[i])))) {
            error = FTH_ENOMEM;
            goto out;
        }
        if (!name_ok(name)) {
            error = fth_error_set(err, FTH_EUSAGE, "'%s': a feed name is 1 to %d of [A-Za-z0-9._-]",
                                  name, FEED_NAME_MAX);
            goto out;
        }
        f = feed_find(&l, name);
        if ((error = feed_put(&l, name, eq + 1, f ? f->format : format_for(name))) < 0)
            goto out;
    }
    for (i = 0; i < opts->nsources; i++) {
        const char *one[1] = {opts->sources[i]};

        for (j = 0; j < l.len && !selected(l.items[j].name, one, 1); j++)
            ;
        if (j == l.len) {
            error = fth_error_set(err, FTH_EUSAGE, "'%s': no such feed", opts->sources[i]);
            goto out;
        }
    }
    if (opts->nsources) {
        for (i = 0, j = 0; i < l.len; i++)
            if (selected(l.items[i].name, opts->sources, opts->nsources))
                l.items[j++] = l.items[i];
        l.len = j;
    }
    *out = l.items;
    *nout = l.len;
out:
    return error;
}

/* ---- one update ---- */

/* The host of an http(s) URL, lower case, without brackets, port or user. */
static int url_host(char *host, size_t size, const char *url)
{
    const char *p = strstr(url, "://"), *end, *at, *h;
    size_t n, i;

    if (!p)
        return -1;
    p += 3;
    end = p + strcspn(p, "/?#");
    for (at = end; at > p && at[-1] != '@'; at--)
        ;
    h = at > p ? at : p;
    if (*h == '[') {
        const char *close = memchr(h, ']', (size_t)(end - h));

        if (!close)
            return -1;
        h++;
        n = (size_t)(close - h);
    } else {
        const char *colon = memchr(h, ':', (size_t)(end - h));

        n = (size_t)((colon ? colon : end) - h);
    }
    if (n == 0 || n >= size)
        return -1;
    for (i = 0; i < n; i++)
        host[i] = (char)tolower((unsigned char)h[i]);
    host[n] = '\0';
    return 0;
}

static int host_allowed(const char *host, const char *allow)
{
    const char *p = allow;

    while (*p) {
        size_t n;

        while (*p == ',' || *p == ' ')
            p++;
        n = strcspn(p, ", ");
        if (n && strlen(host) == n && !strncasecmp(host, p, n))
            return 1;
        p += n;
    }
    return 0;
}

/* Every feed well formed and on an allowed host, before anything is fetched. */
static int check_feeds(const struct fth_vulndb_update_opts *opts, struct fth_error *err)
{
    char host[256];
    size_t i, j;
    int error = 0;

    for (i = 0; i < opts->nfeeds && error == 0; i++) {
        const struct fth_vulndb_feed *f = &opts->feeds[i];

        if (!f->name || !name_ok(f->name) || !f->url || !f->format || !format_ok(f->format)) {
            error =
                fth_error_set(err, FTH_EUSAGE, "feed %zu: needs a name, a url and a format", i + 1);
            break;
        }
        for (j = 0; j < i && error == 0; j++)
            if (!strcmp(opts->feeds[j].name, f->name))
                error = fth_error_set(err, FTH_EUSAGE, "feed '%s': named twice", f->name);
        if (error == 0 &&
            ((strncasecmp(f->url, "http://", 7) != 0 && strncasecmp(f->url, "https://", 8) != 0) ||
             url_host(host, sizeof(host), f->url) < 0))
            error = fth_error_set(err, FTH_EUSAGE, "feed '%s': '%s' is not an http or https url",
                                  f->name, f->url);
        if (error == 0 && opts->allow_hosts && !host_allowed(host, opts->allow_hosts))
            error = fth_error_set(err, FTH_EUSAGE,
                                  "feed '%s': host '%s' is not allowed (FATHOM_NET_ALLOW=%s)",
                                  f->name, host, opts->allow_hosts);
    }
    return error;
}

/* Put "feed 'NAME': " before the message a lower layer wrote. */
static int feed_error(struct fth_error *err, int code, const char *feed)
{
    char msg[sizeof(err->message)];

    if (!err)
        return code;
    snprintf(msg, sizeof(msg), "%s", err->message[0] ? err->message : fth_error_name(code));
    return fth_error_set(err, code, "feed '%s': %s", feed, msg);
}

struct state {
    const char *url, *etag, *last_modified;
};

static int old_error(struct fth_error *err, const char *path, sqlite3 *sql, const char *what)
{
    return fth_error_set(err, FTH_EIO, "'%s': %s: %s", path, what,
                         sql ? sqlite3_errmsg(sql) : "out of memory");
}

/*
 * What the last update remembered of each feed, from the old database when there is one. It
 * is opened here without fth_vulndb_open: a file of an older schema is fine (its copy is
 * upgraded when opened for writing), one that is not ours or is newer is refused before any
 * download.
 */
static int load_state(struct state *st, struct fth_arena *a, const char *path,
                      const struct fth_vulndb_update_opts *opts, struct fth_error *err)
{
    sqlite3 *sql = NULL;
    sqlite3_stmt *q = NULL;
    int error = 0, rc, version, tables, has_state;
    size_t i;

    if (sqlite3_open_v2(path, &sql, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        error = old_error(err, path, sql, "cannot open");
        goto out;
    }
    sqlite3_busy_timeout(sql, 10000);
    /* The last connection to close would fold a leftover WAL into the old file: its content
     * unchanged, but not its bytes. */
    sqlite3_db_config(sql, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    if (sqlite3_prepare_v2(sql,
                           "SELECT (SELECT user_version FROM pragma_user_version), "
                           "(SELECT count(*) FROM sqlite_master), "
                           "(SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                           "name = 'feed_state')",
                           -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        error = old_error(err, path, sql, "cannot read");
        goto out;
    }
    version = sqlite3_column_int(q, 0);
    tables = sqlite3_column_int(q, 1);
    has_state = sqlite3_column_int(q, 2);
    sqlite3_finalize(q);
    q = NULL;
    if ((version == 0 && tables > 0) || version < 0) {
        error = fth_error_set(err, FTH_EINVALID,
                              "'%s': not a vulnerability database; give another --db", path);
        goto out;
    }
    if (version > FTH_VULNDB_SCHEMA) {
        error = fth_error_set(err, FTH_EINVALID,
                              "'%s': a database of schema %d, newer than this fathom's %d", path,
                              version, FTH_VULNDB_SCHEMA);
        goto out;
    }
    if (!has_state)
        goto out; /* no update ran yet: no state */
    if (sqlite3_prepare_v2(sql, "SELECT url, etag, last_modified FROM feed_state WHERE name = ?1",
                           -1, &q, NULL) != SQLITE_OK) {
        error = old_error(err, path, sql, "cannot read the feed state");
        goto out;
    }
    for (i = 0; i < opts->nfeeds; i++) {
        sqlite3_reset(q);
        vulndb_bind_text(q, 1, opts->feeds[i].name);
        if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            st[i].url = vulndb_column_text(a, q, 0, 1);
            st[i].etag = vulndb_column_text(a, q, 1, 0);
            st[i].last_modified = vulndb_column_text(a, q, 2, 0);
            if (!st[i].url) {
                error = FTH_ENOMEM;
                goto out;
            }
        } else if (rc != SQLITE_DONE) {
            error = old_error(err, path, sql, "cannot read the feed state");
            goto out;
        }
    }
out:
    sqlite3_finalize(q);
    sqlite3_close(sql);
    return error;
}

struct update {
    const char *path;
    const struct fth_vulndb_update_opts *opts;
    struct fth_arena *a;
    struct fth_error *err;
    char *tmp;   /* the new database, once made */
    char *dldir; /* the downloads' directory, once made */
    struct fth_vulndb *db;
    int lock; /* <db>.update-lock, held while the update runs; -1 before */
};

static int cancelled(const struct update *u)
{
    return u->opts->cancel && *u->opts->cancel;
}

static int interrupted(struct update *u)
{
    return fth_error_set(u->err, FTH_EIO, "'%s': update interrupted; the database is unchanged",
                         u->path);
}

struct download {
    struct update *u;
    const char *feed;
    int fd;
    int write_errno;
};

static int download_sink(void *data, const void *buf, size_t len)
{
    struct download *d = data;
    const char *p = buf;
    ssize_t n;

    if (cancelled(d->u))
        return FTH_EIO;
    while (len) {
        if ((n = write(d->fd, p, len)) < 0) {
            if (errno == EINTR && !cancelled(d->u))
                continue;
            d->write_errno = errno == EINTR ? 0 : errno;
            return FTH_EIO;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void download_progress(void *data, uint64_t done, uint64_t total)
{
    struct download *d = data;

    if (d->u->opts->progress)
        d->u->opts->progress(d->u->opts->progress_data, d->feed, done, total);
}

/* The suffix the importer reads the download by, from its first bytes. */
static const char *sniff(int fd)
{
    unsigned char b[512];
    ssize_t n = pread(fd, b, sizeof(b), 0);
    ssize_t i;

    if (n >= 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 || b[2] == 5) &&
        (b[3] == 4 || b[3] == 6))
        return ".zip";
    if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
        return ".tar.gz";
    if (n >= 262 && !memcmp(b + 257, "ustar", 5))
        return ".tar";
    for (i = 0; i < n && isspace(b[i]); i++)
        ;
    /* The alpine-secdb repository and PyPA publish YAML; the official URLs serve JSON. */
    if (i < n && b[i] != '{' && b[i] != '[')
        return ".yaml";
    return ".json";
}

static void remove_db_files(const char *path, struct fth_arena *a)
{
    static const char *const sides[] = {"-wal", "-shm", "-journal"};
    const char *side;
    size_t i;

    unlink(path);
    for (i = 0; i < sizeof(sides) / sizeof(sides[0]); i++)
        if ((side = fth_arena_printf(a, "%s%s", path, sides[i])))
            unlink(side);
}

/* <db>.new-XXXXXX: a copy of the old database (or a new, empty one) to import into. */
static int new_db(struct update *u)
{
    struct stat st;
    sqlite3 *from = NULL, *to = NULL;
    sqlite3_backup *b;
    int error = 0, fd, rc, have_old = stat(u->path, &st) == 0;

    if (!(u->tmp = fth_arena_printf(u->a, "%s.new-XXXXXX", u->path))) {
        error = FTH_ENOMEM;
        goto out;
    }
    if ((fd = mkstemp(u->tmp)) < 0) {
        error = fth_error_set(u->err, FTH_EIO, "'%s': cannot create: %s", u->tmp, strerror(errno));
        u->tmp = NULL;
        goto out;
    }
    /* mkstemp's 0600 would take the database away from whoever could read the old one. */
    if (fchmod(fd, have_old ? (st.st_mode & 0777) : 0644) < 0) {
        error = fth_error_set(u->err, FTH_EIO, "'%s': cannot set its mode: %s", u->tmp,
                              strerror(errno));
        close(fd);
        goto out;
    }
    close(fd);
    if (have_old) {
        if (sqlite3_open_v2(u->path, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
            error = fth_error_set(u->err, FTH_EIO, "'%s': cannot open: %s", u->path,
                                  from ? sqlite3_errmsg(from) : "out of memory");
            goto out;
        }
        if (sqlite3_open_v2(u->tmp, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
            error = fth_error_set(u->err, FTH_EIO, "'%s': cannot open: %s", u->tmp,
                                  to ? sqlite3_errmsg(to) : "out of memory");
            goto out;
        }
        sqlite3_busy_timeout(from, 10000);
        sqlite3_db_config(from, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
        if (!(b = sqlite3_backup_init(to, "main", from, "main"))) {
            error = fth_error_set(u->err, FTH_EIO, "'%s': cannot copy: %s", u->path,
                                  sqlite3_errmsg(to));
            goto out;
        }
        rc = sqlite3_backup_step(b, -1);
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE) {
            error = fth_error_set(u->err, FTH_EIO, "'%s': cannot copy to '%s': %s", u->path, u->tmp,
                                  sqlite3_errstr(rc));
            goto out;
        }
        sqlite3_close(to);
        to = NULL;
    }
    if ((error = fth_vulndb_open(&u->db, u->tmp, 0, u->err)) < 0)
        goto out;
    /* The file is thrown away on any failure: nothing to fsync while importing. The rollback
     * journal stays on disk (an import rewriting a large copy would hold it all in memory). */
    if ((error = vulndb_exec(u->db, state_sql, u->err)) < 0 ||
        (error = vulndb_exec(u->db, "PRAGMA journal_mode=DELETE", u->err)) < 0 ||
        (error = vulndb_exec(u->db, "PRAGMA synchronous=OFF", u->err)) < 0)
        goto out;
out:
    sqlite3_close(to);
    sqlite3_close(from);
    return error;
}

static int save_state(struct update *u, const struct fth_vulndb_feed *f,
                      const struct fth_http_response *r)
{
    sqlite3_stmt *q = NULL;
    int error = 0;

    if ((error = vulndb_prepare(&q, u->db,
                                "INSERT OR REPLACE INTO feed_state "
                                "(name, url, etag, last_modified, fetched_at) VALUES "
                                "(?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                                u->err)) < 0)
        goto out;
    vulndb_bind_text(q, 1, f->name);
    vulndb_bind_text(q, 2, f->url);
    vulndb_bind_text(q, 3, r->etag);
    vulndb_bind_text(q, 4, r->last_modified);
    if (sqlite3_step(q) != SQLITE_DONE)
        error = vulndb_sql_error(u->err, u->db, "cannot write the feed state");
out:
    sqlite3_finalize(q);
    return error;
}

/* A URL as messages show it: without user:password@. */
static const char *shown_url(struct fth_arena *a, const char *url)
{
    const char *p = strstr(url, "://"), *end, *at;

    if (!p)
        return url;
    end = p + 3 + strcspn(p + 3, "/?#");
    for (at = end; at > p + 3 && at[-1] != '@'; at--)
        ;
    if (at == p + 3)
        return url;
    return fth_arena_printf(a, "%.*s%s", (int)(p + 3 - url), url, at);
}

/*
 * The importer names the downloaded file, a temporary path that means nothing to the user:
 * name the feed and its URL instead, and the archive member when there is one.
 */
static int import_error(struct update *u, int code, const struct fth_vulndb_feed *f)
{
    char msg[sizeof(u->err->message)], member[sizeof(u->err->member) + 4];

    if (!u->err)
        return code;
    snprintf(msg, sizeof(msg), "%s", u->err->message[0] ? u->err->message : fth_error_name(code));
    member[0] = '\0';
    if (u->err->member[0])
        snprintf(member, sizeof(member), "'%s': ", u->err->member);
    fth_error_clear(u->err);
    return fth_error_set(u->err, code, "feed '%s': '%s': %s%s", f->name, shown_url(u->a, f->url),
                         member, msg);
}

/* Download one feed and, when it changed, import it into the new database. */
static int update_feed(struct fth_vulndb_feed_result *res, struct update *u,
                       const struct fth_vulndb_feed *f, const struct state *st)
{
    struct fth_http_request req;
    struct fth_http_response resp;
    struct download d = {u, f->name, -1, 0};
    struct fth_vulndb_import_stats stats;
    const char *part = NULL, *file = NULL, *files[1];
    int error = 0, conditional = 0;

    memset(&req, 0, sizeof(req));
    memset(&resp, 0, sizeof(resp));
    res->name = f->name;
    if (!u->dldir) {
        if (!(u->dldir = fth_arena_printf(u->a, "%s.dl-XXXXXX", u->path))) {
            error = FTH_ENOMEM;
            goto out;
        }
        if (!mkdtemp(u->dldir)) {
            error = fth_error_set(u->err, FTH_EIO, "'%s': cannot create: %s", u->dldir,
                                  strerror(errno));
            u->dldir = NULL;
            goto out;
        }
    }
    if (!(part = fth_arena_printf(u->a, "%s/%s.part", u->dldir, f->name))) {
        error = FTH_ENOMEM;
        goto out;
    }
    if ((d.fd = open(part, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
        error = fth_error_set(u->err, FTH_EIO, "'%s': cannot create: %s", part, strerror(errno));
        part = NULL;
        goto out;
    }
    req.url = f->url;
    req.max_size = FTH_LIMIT_FEED_SIZE;
    req.retries = u->opts->retries;
    req.sink = download_sink;
    req.sink_data = &d;
    req.progress = download_progress;
    req.progress_data = &d;
    /* Validators only belong to the URL they came from. */
    if (st->url && !strcmp(st->url, f->url) && (st->etag || st->last_modified)) {
        req.if_none_match = st->etag;
        req.if_modified_since = st->last_modified;
        conditional = 1;
    }
    fth_log(FTH_LOG_DEBUG, "vulndb", "feed '%s': GET %s%s", f->name, shown_url(u->a, f->url),
            conditional ? " (conditional)" : "");
    error = fth_http_fetch(&resp, u->a, &req, u->err);
    if (cancelled(u)) {
        error = interrupted(u);
        goto out;
    }
    if (error < 0) {
        if (d.write_errno)
            error = fth_error_set(u->err, FTH_EIO, "'%s': cannot write: %s", part,
                                  strerror(d.write_errno));
        error = feed_error(u->err, error, f->name);
        goto out;
    }
    res->bytes = resp.received;
    if (resp.status == 304 && conditional) {
        res->not_modified = 1;
        goto out;
    }
    if (resp.status != 200) {
        error = fth_error_set(u->err, FTH_EIO, "feed '%s': '%s': HTTP status %ld", f->name,
                              shown_url(u->a, f->url), resp.status);
        goto out;
    }
    /* libcurl reports a short body as an error already; this also covers a proxy that doesn't. */
    if (resp.content_length && resp.received != resp.content_length) {
        error = fth_error_set(u->err, FTH_EIO,
                              "feed '%s': '%s': truncated download (%llu of %llu bytes)", f->name,
                              shown_url(u->a, f->url), (unsigned long long)resp.received,
                              (unsigned long long)resp.content_length);
        goto out;
    }
    if (!(file = fth_arena_printf(u->a, "%s/%s%s", u->dldir, f->name, sniff(d.fd)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    close(d.fd);
    d.fd = -1;
    if (rename(part, file) < 0) {
        error = fth_error_set(u->err, FTH_EIO, "'%s': cannot rename: %s", part, strerror(errno));
        file = NULL;
        goto out;
    }
    part = NULL;
    if (!u->db && (error = new_db(u)) < 0)
        goto out;
    if (cancelled(u)) {
        error = interrupted(u);
        goto out;
    }
    files[0] = file;
    if ((error = fth_vulndb_import(&stats, u->db, files, 1, f->name, u->err)) < 0) {
        error = import_error(u, error, f);
        goto out;
    }
    res->stats = stats;
    /* The importer skips what it cannot read; a feed of which nothing could be read is a
     * broken download (an HTML error page, a cut JSON document), not an empty feed. */
    if (stats.skipped && !stats.imported && !stats.updated && !stats.unchanged) {
        error = fth_error_set(u->err, FTH_EINVALID,
                              "feed '%s': '%s': nothing could be read (%zu of %zu skipped)",
                              f->name, shown_url(u->a, f->url), stats.skipped, stats.files);
        goto out;
    }
    error = save_state(u, f, &resp);
out:
    if (d.fd >= 0)
        close(d.fd);
    if (part)
        unlink(part);
    if (file)
        unlink(file);
    return error;
}

/* Make the new file complete on disk and put it in place of the old one. */
static int swap(struct update *u, size_t *advisories)
{
    sqlite3_stmt *q = NULL;
    const char *side;
    char *dir = NULL;
    int error = 0, fd = -1;

    *advisories = 0;
    if ((error = vulndb_prepare(&q, u->db, "SELECT count(*) FROM advisory", u->err)) < 0)
        goto out;
    if (sqlite3_step(q) == SQLITE_ROW)
        *advisories = (size_t)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    /* Readers of the new file get WAL, like every database fth_vulndb_open makes. Closing the
     * only connection checkpoints and removes the new file's own -wal. */
    if ((error = vulndb_exec(u->db, "PRAGMA journal_mode=WAL", u->err)) < 0)
        goto out;
    fth_vulndb_free(u->db);
    u->db = NULL;
    if ((fd = open(u->tmp, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) < 0) {
        error = fth_error_set(u->err, FTH_EIO, "'%s': cannot sync: %s", u->tmp, strerror(errno));
        goto out;
    }
    if (cancelled(u)) {
        error = interrupted(u);
        goto out;
    }
    if (rename(u->tmp, u->path) < 0) {
        error =
            fth_error_set(u->err, FTH_EIO, "'%s': cannot replace: %s", u->path, strerror(errno));
        goto out;
    }
    u->tmp = NULL;
    /* The old file's -wal and -shm would otherwise be taken for the new file's: SQLite does
     * not tie them to the database's inode, and replaying the old WAL over the new file
     * corrupts it. Readers still open keep the old ones through their descriptors. */
    if ((side = fth_arena_printf(u->a, "%s-wal", u->path)))
        unlink(side);
    if ((side = fth_arena_printf(u->a, "%s-shm", u->path)))
        unlink(side);
    if ((dir = strdup(u->path))) {
        int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (dfd >= 0) {
            fsync(dfd); /* the rename itself; a failure here loses no data already written */
            close(dfd);
        }
    }
out:
    if (fd >= 0)
        close(fd);
    free(dir);
    sqlite3_finalize(q);
    return error;
}

static void cleanup(struct update *u)
{
    fth_vulndb_free(u->db);
    u->db = NULL;
    if (u->tmp)
        remove_db_files(u->tmp, u->a);
    if (u->dldir)
        rmdir(u->dldir); /* update_feed removed its files */
    if (u->lock >= 0)
        close(u->lock); /* releases the flock */
    u->lock = -1;
}

/* Remove a download directory an earlier update left: its files, then itself. */
static void remove_dl_dir(const char *dir, struct fth_arena *a)
{
    struct dirent *e;
    DIR *d = opendir(dir);
    const char *p;

    if (!d)
        return;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && (p = fth_arena_printf(a, "%s/%s", dir, e->d_name)))
            unlink(p);
    closedir(d);
    rmdir(dir);
}

/*
 * One update per database at a time: the others fail at once rather than download for
 * nothing. Holding the lock also proves that any <db>.new-* or <db>.dl-* beside the database
 * belongs to an update that died without cleaning up (SIGKILL, a crash, a power cut): they go.
 */
static int lock_and_sweep(struct update *u)
{
    char *dir = NULL, *base = NULL, *copy1 = NULL, *copy2 = NULL;
    const char *lock, *p;
    struct dirent *e;
    DIR *d = NULL;
    size_t n;
    int error = 0;

    if (!(lock = fth_arena_printf(u->a, "%s.update-lock", u->path)) ||
        !(copy1 = fth_arena_strdup(u->a, u->path)) || !(copy2 = fth_arena_strdup(u->a, u->path))) {
        error = FTH_ENOMEM;
        goto out;
    }
    if ((u->lock = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
        error = fth_error_set(u->err, FTH_EIO, "'%s': cannot create: %s", lock, strerror(errno));
        goto out;
    }
    if (flock(u->lock, LOCK_EX | LOCK_NB) < 0) {
        error =
            errno == EWOULDBLOCK
                ? fth_error_set(u->err, FTH_EIO,
                                "'%s': another 'fathom db update' is running on it", u->path)
                : fth_error_set(u->err, FTH_EIO, "'%s': cannot lock: %s", lock, strerror(errno));
        goto out;
    }
    dir = dirname(copy1);
    base = basename(copy2);
    n = strlen(base);
    if (!(d = opendir(dir)))
        goto out; /* nothing to sweep that we could see */
    while ((e = readdir(d))) {
        int is_new = !strncmp(e->d_name, base, n) && !strncmp(e->d_name + n, ".new-", 5);
        int is_dl = !strncmp(e->d_name, base, n) && !strncmp(e->d_name + n, ".dl-", 4);

        if (!(is_new || is_dl) || !(p = fth_arena_printf(u->a, "%s/%s", dir, e->d_name)))
            continue;
        fth_log(FTH_LOG_INFO, "vulndb", "'%s': left by an interrupted update; removed", p);
        if (is_new)
            unlink(p);
        else
            remove_dl_dir(p, u->a);
    }
out:
    if (d)
        closedir(d);
    return error;
}

int fth_vulndb_update(struct fth_vulndb_update_result *out, struct fth_arena *a, const char *path,
                      const struct fth_vulndb_update_opts *opts, struct fth_error *err)
{
    struct fth_vulndb_feed_result *res = NULL;
    struct state *st = NULL;
    struct update u;
    struct stat sb;
    size_t i;
    int error = 0;

    memset(out, 0, sizeof(*out));
    memset(&u, 0, sizeof(u));
    u.path = path;
    u.opts = opts;
    u.a = a;
    u.err = err;
    u.lock = -1;
    if ((error = check_feeds(opts, err)) < 0 || opts->nfeeds == 0)
        goto out;
    if ((error = lock_and_sweep(&u)) < 0)
        goto out;
    if (!(res = fth_arena_calloc(a, opts->nfeeds + 1, sizeof(*res))) ||
        !(st = fth_arena_calloc(a, opts->nfeeds + 1, sizeof(*st)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    if (stat(path, &sb) == 0 && (error = load_state(st, a, path, opts, err)) < 0)
        goto out;
    for (i = 0; i < opts->nfeeds; i++) {
        if (cancelled(&u)) {
            error = interrupted(&u);
            goto out;
        }
        if ((error = update_feed(&res[i], &u, &opts->feeds[i], &st[i])) < 0)
            goto out;
    }
    out->feeds = res;
    out->nfeeds = opts->nfeeds;
    if (!u.db)
        goto out; /* every feed answered 304: the old database stays as it is */
    if ((error = swap(&u, &out->advisories)) < 0)
        goto out;
    out->replaced = 1;
out:
    cleanup(&u);
    if (error < 0) {
        out->feeds = NULL;
        out->nfeeds = 0;
        out->replaced = 0;
    }
    return error;
}
