/*
 * npm: packages from package-lock.json (lockfile v1 `dependencies` trees, v2/v3 `packages`
 * maps), installed node_modules/<name>/package.json files, yarn.lock (the v1 text format and
 * berry's YAML) and pnpm-lock.yaml (v5, v6 and v9 key forms).
 *
 * Like Trivy, the project a lock file belongs to (package-lock's "" entry, yarn/pnpm
 * workspaces) is not a package; within one file, entries with the same name and version are
 * one package, development-only when every entry is. Lock files inside node_modules (copies
 * shipped in published tarballs, npm's hidden .package-lock.json) are not read: the
 * package.json files next to them say what is installed.
 */
#include <string.h>

#include "langpkg_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

#define TYPE "npm"
#define ECO "npm"

struct npm {
    struct cat_sink *s;
    const struct cat_file *f;
    struct fth_arena *scratch;
    struct lang_index ix;
};

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* Any directory of path named node_modules. */
static int in_node_modules(const char *path)
{
    return !strncmp(path, "node_modules/", 13) || strstr(path, "/node_modules/") != NULL;
}

/* The directory component that ends at end (exclusive), found backwards from end. */
static const char *component(const char *path, const char *end)
{
    while (end > path && end[-1] != '/')
        end--;
    return end;
}

static int is_node_modules(const char *c, const char *end)
{
    return (size_t)(end - c) == 12 && !memcmp(c, "node_modules", 12);
}

/* .../node_modules/NAME/package.json or .../node_modules/@SCOPE/NAME/package.json */
static int installed_manifest(const char *path, size_t len)
{
    const char *end, *name, *up;

    if (len <= strlen("/package.json"))
        return 0;
    end = path + len - strlen("/package.json");
    name = component(path, end);
    if (name == end || name == path || *name == '@' || *name == '.')
        return 0;
    up = component(path, name - 1);
    if (is_node_modules(up, name - 1))
        return 1;
    if (*up != '@' || up == name - 1 || up == path)
        return 0;
    return is_node_modules(component(path, up - 1), up - 1);
}

static int wants(const char *path, uint64_t size, unsigned mode)
{
    const char *base = base_name(path);

    (void)size;
    (void)mode;
    if (!strcmp(base, "package-lock.json") || !strcmp(base, "yarn.lock") ||
        !strcmp(base, "pnpm-lock.yaml"))
        return !in_node_modules(path);
    if (!strcmp(base, "package.json"))
        return installed_manifest(path, strlen(path));
    return 0;
}

static const char *key_of(const struct fth_member *m)
{
    return m->key && m->key->type == FTH_VALUE_STRING ? m->key->u.str.ptr : NULL;
}

/*
 * Licences as npm has written them over the years: "MIT", {"type": "MIT"}, and the legacy
 * [{"type": ...}, ...] in `license` or `licenses`. Bare strings inside an array are not a
 * form npm ever wrote and are ignored, as Trivy does.
 */
static int license_value(struct fth_arena *a, struct lang_licenses *l, const struct fth_value *v)
{
    const char *t;
    int error = 0;

    if (!v)
        return 0;
    if (v->type == FTH_VALUE_STRING)
        return lang_license_add(a, l, v->u.str.ptr, v->u.str.len);
    if (v->type == FTH_VALUE_MAP)
        return (t = fth_value_str(fth_value_get(v, "type"))) ? lang_license_add(a, l, t, strlen(t))
                                                             : 0;
    for (size_t i = 0; error == 0 && v->type == FTH_VALUE_SEQ && i < v->u.seq.len; i++) {
        const struct fth_value *item = v->u.seq.items[i];

        if (item->type == FTH_VALUE_MAP && (t = fth_value_str(fth_value_get(item, "type"))))
            error = lang_license_add(a, l, t, strlen(t));
    }
    return error;
}

static int licenses_of(struct fth_arena *a, struct fth_package *p, const struct fth_value *meta)
{
    struct lang_licenses l = LANG_LICENSES_INIT;
    int error;

    if ((error = license_value(a, &l, fth_value_get(meta, "license"))) < 0)
        return error;
    if (!l.n && (error = license_value(a, &l, fth_value_get(meta, "licenses"))) < 0)
        return error;
    p->licenses = l.v;
    p->nlicenses = l.n;
    return 0;
}

/* The keys of each named mapping of meta, as dependency names. */
static int depends_of(struct fth_arena *a, struct fth_package *p, const struct fth_value *meta,
                      const char *const *fields)
{
    struct lang_strs d = LANG_STRS_INIT;
    int error = 0;

    for (size_t k = 0; error == 0 && fields[k]; k++) {
        const struct fth_value *m = fth_value_get(meta, fields[k]);

        for (size_t i = 0; error == 0 && m && m->type == FTH_VALUE_MAP && i < m->u.map.len; i++) {
            const char *name = key_of(&m->u.map.items[i]);

            if (name)
                error = lang_str_add(a, &d, name, strlen(name));
        }
    }
    p->depends = d.v;
    p->ndepends = d.n;
    return error;
}

static const char *const runtime_deps[] = {"dependencies", "optionalDependencies", NULL};
static const char *const v1_deps[] = {"requires", NULL};

/*
 * Record name@version (meta: the entry with its licences, deps: the one that lists its
 * dependencies in dep_fields; either may be NULL). A repeat
 * of name@version in the same file is folded in: development-only only if both are.
 */
static int emit(struct npm *n, const char *name, size_t name_len, const char *version,
                size_t version_len, int dev, const char *integrity, const struct fth_value *meta,
                const struct fth_value *deps, const char *const *dep_fields)
{
    struct fth_arena *a = cat_arena(n->s);
    struct fth_package *p;
    const char *key;
    int error;

    if (!lang_name_ok(name, name_len)) {
        cat_warn(n->s, n->f, meta ? meta->line : 0, "a package name with a NUL byte; skipped");
        return 0;
    }
    if (!(key = fth_arena_printf(n->scratch, "%.*s@%.*s", (int)name_len, name, (int)version_len,
                                 version)))
        return FTH_ENOMEM;
    if ((p = lang_index_get(&n->ix, key))) {
        p->dev = p->dev && dev;
        if (!p->nlicenses && meta && (error = licenses_of(a, p, meta)) < 0)
            return error;
        if (!*p->digest && !(p->digest = lang_sri_digest(a, integrity)))
            return FTH_ENOMEM;
        return 0;
    }
    if (!(p = lang_add(n->s, n->f, TYPE, ECO, name, name_len, version, version_len)) ||
        !(p->digest = lang_sri_digest(a, integrity)))
        return FTH_ENOMEM;
    p->dev = dev;
    if (meta && (error = licenses_of(a, p, meta)) < 0)
        return error;
    if (deps && (error = depends_of(a, p, deps, dep_fields)) < 0)
        return error;
    return lang_index_put(n->scratch, &n->ix, key, p);
}

/* A version member: a string, absent (""), or anything else (a warning; NULL). */
static const char *version_of(struct npm *n, const struct fth_value *entry, const char *what)
{
    const struct fth_value *v = fth_value_get(entry, "version");

    if (!v || v->type == FTH_VALUE_NULL)
        return "";
    if (v->type == FTH_VALUE_STRING &&
        (!v->u.str.len || lang_version_ok(v->u.str.ptr, v->u.str.len)))
        return v->u.str.ptr;
    if (v->type == FTH_VALUE_STRING)
        cat_warn(n->s, n->f, v->line, "'%s': version is not a usable version string; skipped",
                 what);
    else
        cat_warn(n->s, n->f, v->line, "'%s': expected a string version, found %s; skipped", what,
                 fth_value_type_name(v->type));
    return NULL;
}

/* ---- package-lock.json ---- */

static int lock_v1(struct npm *n, const struct fth_value *deps, int parent_dev, unsigned depth)
{
    int error = 0;

    /* the loader already bounds nesting; this keeps the walk's own bound explicit */
    if (!deps || deps->type != FTH_VALUE_MAP || depth > FTH_LIMIT_DEPTH)
        return 0;
    for (size_t i = 0; error == 0 && i < deps->u.map.len; i++) {
        const struct fth_member *m = &deps->u.map.items[i];
        const char *name = key_of(m), *version;
        int dev;

        if (!name || !*name || m->value->type != FTH_VALUE_MAP) {
            cat_warn(n->s, n->f, m->value->line, "'%s': expected a mapping; skipped",
                     name ? name : "?");
            continue;
        }
        /* a dependency only a development dependency needs is itself development-only */
        dev = parent_dev || fth_value_is_true(fth_value_get(m->value, "dev"));
        if (!(version = version_of(n, m->value, name)))
            continue;
        if (*version && (error = emit(n, name, strlen(name), version, strlen(version), dev,
                                      fth_value_str(fth_value_get(m->value, "integrity")), m->value,
                                      m->value, v1_deps)) < 0)
            break;
        error = lock_v1(n, fth_value_get(m->value, "dependencies"), dev, depth + 1);
    }
    return error;
}

static int lock_packages(struct npm *n, const struct fth_value *pkgs)
{
    struct lang_index by_path = LANG_INDEX_INIT;
    int error = 0;

    /* links name their target by path: look them up in an index, not by scanning */
    if ((error = lang_index_members(n->scratch, &by_path, pkgs)) < 0)
        return error;
    for (size_t i = 0; error == 0 && i < pkgs->u.map.len; i++) {
        const struct fth_member *m = &pkgs->u.map.items[i];
        const char *path = key_of(m), *name, *version, *nm;
        const struct fth_value *entry = m->value, *meta = m->value;
        size_t name_len;

        if (!path || !*path)
            continue; /* the project itself */
        if (strncmp(path, "node_modules/", 13) && !strstr(path, "/node_modules/"))
            continue; /* workspace sources: counted through their node_modules link */
        if (entry->type != FTH_VALUE_MAP) {
            cat_warn(n->s, n->f, entry->line, "'%s': expected a mapping; skipped", path);
            continue;
        }
        if (fth_value_is_true(fth_value_get(entry, "link"))) {
            const char *target = fth_value_str(fth_value_get(entry, "resolved"));

            meta = target && *target ? lang_index_get(&by_path, target) : NULL;
            if (!meta || meta->type != FTH_VALUE_MAP) {
                fth_log(FTH_LOG_DEBUG, "catalog", "%s: '%s': link to '%s' is broken", n->f->path,
                        path, target ? target : "");
                continue;
            }
        }
        if ((name = fth_value_str(fth_value_get(entry, "name"))) && *name) {
            name_len = strlen(name);
        } else {
            /* the path after the last node_modules/ is the name, scope included */
            for (name = path; (nm = strstr(name, "node_modules/"));)
                name = nm + 13;
            name_len = strlen(name);
        }
        if (!name_len)
            continue;
        if (!(version = version_of(n, meta, path)))
            continue;
        error = emit(n, name, name_len, version, strlen(version),
                     fth_value_is_true(fth_value_get(meta, "dev")),
                     fth_value_str(fth_value_get(meta, "integrity")), meta, meta, runtime_deps);
    }
    return error;
}

static int package_lock(struct npm *n, const struct fth_value *root)
{
    const struct fth_value *pkgs = fth_value_get(root, "packages");

    if (pkgs && pkgs->type == FTH_VALUE_MAP)
        return lock_packages(n, pkgs);
    return lock_v1(n, fth_value_get(root, "dependencies"), 0, 0);
}

/* ---- node_modules/<name>/package.json ---- */

static int url_safe(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("-._~!*'()", c);
}

/* npm's rules for a published name: "[@scope/]name", URL-safe, no leading dot or underscore. */
static int valid_name(const char *s)
{
    const char *slash = NULL;

    if (!*s || strlen(s) > 214)
        return 0;
    if (*s == '@') {
        if (!(slash = strchr(s, '/')) || slash == s + 1)
            return 0;
        for (const char *p = s + 1; p < slash; p++)
            if (!url_safe(*p))
                return 0;
        s = slash + 1;
    }
    if (!*s || *s == '.' || *s == '_')
        return 0;
    for (; *s; s++)
        if (!url_safe(*s))
            return 0;
    return 1;
}

static int package_json(struct npm *n, const struct fth_value *root)
{
    const struct fth_value *nv = fth_value_get(root, "name");
    const char *version;

    if (!nv || nv->type == FTH_VALUE_NULL)
        return 0; /* not a package manifest (a "type": "module" marker and the like) */
    if (nv->type != FTH_VALUE_STRING || !valid_name(nv->u.str.ptr)) {
        cat_warn(n->s, n->f, nv->line, "'name': not a valid npm package name; skipped");
        return 0;
    }
    if (!(version = version_of(n, root, nv->u.str.ptr)))
        return 0;
    /* npm 6 and older recorded the tarball's integrity in the installed manifest */
    return emit(n, nv->u.str.ptr, nv->u.str.len, version, strlen(version), 0,
                fth_value_str(fth_value_get(root, "_integrity")), root, root, runtime_deps);
}

/* ---- yarn.lock v1 ---- */

/*
 * One token at *p into *out: a "quoted string" (with \ escapes) or a run up to a blank, ':'
 * or ','. Returns 0, 1 for an unterminated quoted string (*out NULL), or FTH_ENOMEM.
 */
static int token(const char **out, struct fth_arena *a, const char **p, const char *end)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *s = *p;
    int error = FTH_ENOMEM;

    *out = NULL;
    if (s < end && *s == '"') {
        for (s++; s < end && *s != '"'; s++) {
            if (*s == '\\' && s + 1 < end)
                s++;
            if (fth_buf_putc(&b, *s) < 0)
                goto out;
        }
        if (s >= end) {
            error = 1;
            goto out;
        }
        s++;
    } else {
        while (s < end && *s != ' ' && *s != '\t' && *s != ',' && *s != ':')
            s++;
        if (fth_buf_put(&b, *p, (size_t)(s - *p)) < 0)
            goto out;
    }
    if ((*out = fth_arena_strndup(a, b.ptr, b.len))) {
        error = 0;
        *p = s;
    }
out:
    fth_buf_release(&b);
    return error;
}

/* An unquoted descriptor: up to the first ',' or the header's final ':' (at end). */
static const char *unquoted_spec(struct fth_arena *a, const char *q, const char *end)
{
    const char *comma = memchr(q, ',', (size_t)(end - q));

    return fth_arena_strndup(a, q, (size_t)((comma ? comma : end) - q));
}

/* The package a yarn descriptor names: "name@range", "@scope/name@range", aliases
 * "alias@npm:real@range" name the real package. NULL for local protocols. */
static const char *spec_name(const char *spec, size_t *len)
{
    for (int alias = 0; alias < 2; alias++) {
        const char *at = *spec ? strchr(spec + 1, '@') : NULL;
        const char *range = at ? at + 1 : "";
        static const char *const local[] = {"file:", "link:", "portal:", "workspace:", "exec:"};

        for (size_t i = 0; i < sizeof(local) / sizeof(*local); i++)
            if (!strncmp(range, local[i], strlen(local[i])))
                return NULL;
        if (!alias && !strncmp(range, "npm:", 4) && range[4] && strchr(range + 5, '@')) {
            spec = range + 4;
            continue;
        }
        *len = at ? (size_t)(at - spec) : strlen(spec);
        return spec;
    }
    return NULL;
}

struct yarn_entry {
    const char *name;
    size_t name_len;
    const char *version;
    const char *integrity;
    unsigned line;
    struct lang_strs deps;
};

static int yarn_flush(struct npm *n, struct yarn_entry *e)
{
    struct fth_package *p = NULL;
    const char *key;
    int error = 0;

    if (!e->name)
        goto out;
    if (!lang_name_ok(e->name, e->name_len)) {
        cat_warn(n->s, n->f, e->line, "a package name with a NUL byte; skipped");
        goto out;
    }
    if (!e->version || !lang_version_ok(e->version, strlen(e->version))) {
        cat_warn(n->s, n->f, e->line, "'%.*s': no usable version; skipped", (int)e->name_len,
                 e->name);
        goto out;
    }
    if (!(key = fth_arena_printf(n->scratch, "%.*s@%s", (int)e->name_len, e->name, e->version))) {
        error = FTH_ENOMEM;
        goto out;
    }
    if (lang_index_get(&n->ix, key))
        goto out;
    if (!(p = lang_add(n->s, n->f, TYPE, ECO, e->name, e->name_len, e->version,
                       strlen(e->version)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    p->depends = e->deps.v;
    p->ndepends = e->deps.n;
    if (!(p->digest = lang_sri_digest(cat_arena(n->s), e->integrity))) {
        error = FTH_ENOMEM;
        goto out;
    }
    error = lang_index_put(n->scratch, &n->ix, key, p);
out:
    memset(e, 0, sizeof(*e));
    return error;
}

static int yarn_v1(struct npm *n)
{
    const char *p = (const char *)n->f->data, *end = p + n->f->len;
    struct yarn_entry e;
    unsigned line = 0;
    int in_deps = 0, error = 0;

    memset(&e, 0, sizeof(e));
    while (error == 0 && p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p, *le;
        size_t indent = 0;

        eol = eol ? eol : end;
        le = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
        line++;
        while (q < le && *q == ' ')
            q++, indent++;
        if (q == le || *q == '#') {
            p = eol + 1;
            continue;
        }
        if (indent == 0) {
            const char *spec, *name;
            size_t len;

            if ((error = yarn_flush(n, &e)) < 0)
                break;
            in_deps = 0;
            if (le[-1] != ':') {
                cat_warn(n->s, n->f, line, "expected 'descriptor[, descriptor...]:'; skipped");
            } else if (*q != '"' && !(spec = unquoted_spec(n->scratch, q, le - 1))) {
                error = FTH_ENOMEM;
                break;
            } else if (*q == '"' && (error = token(&spec, n->scratch, &q, le)) != 0) {
                if (error < 0)
                    break;
                error = 0;
                cat_warn(n->s, n->f, line, "unterminated quoted descriptor; skipped");
            } else if ((name = spec_name(spec, &len)) && len) {
                e.name = name;
                e.name_len = len;
                e.line = line;
            }
        } else if (indent <= 2 && e.name) {
            const char *key;

            if ((error = token(&key, n->scratch, &q, le)) < 0)
                break;
            error = 0;
            in_deps = key && (!strcmp(key, "dependencies") || !strcmp(key, "optionalDependencies"));
            while (q < le && (*q == ' ' || *q == ':'))
                q++;
            if (key && !strcmp(key, "version") && q < le &&
                (error = token(&e.version, n->scratch, &q, le)) != 0) {
                if (error < 0)
                    break;
                error = 0;
                cat_warn(n->s, n->f, line, "unterminated quoted version");
            } else if (key && !strcmp(key, "integrity") && q < le &&
                       (error = token(&e.integrity, n->scratch, &q, le)) != 0) {
                if (error < 0)
                    break;
                error = 0;
            }
        } else if (in_deps && e.name) {
            const char *dep;

            if ((error = token(&dep, n->scratch, &q, le)) < 0)
                break;
            error = dep ? lang_str_add(cat_arena(n->s), &e.deps, dep, strlen(dep)) : 0;
        }
        p = eol + 1;
    }
    if (error == 0)
        error = yarn_flush(n, &e);
    return error;
}

/* ---- yarn.lock berry (YAML) ---- */

static int yarn_berry(struct npm *n, const struct fth_value *root)
{
    int error = 0;

    for (size_t i = 0; error == 0 && i < root->u.map.len; i++) {
        const struct fth_member *m = &root->u.map.items[i];
        const char *key = key_of(m), *res, *at, *version = NULL, *name;
        const struct fth_value *entry = m->value;
        size_t name_len;

        if (!key || !strcmp(key, "__metadata"))
            continue;
        if (entry->type != FTH_VALUE_MAP) {
            cat_warn(n->s, n->f, entry->line, "'%s': expected a mapping; skipped", key);
            continue;
        }
        if (fth_value_streq(fth_value_get(entry, "linkType"), "soft"))
            continue; /* workspaces and links: the project's own code */
        if (!(res = fth_value_str(fth_value_get(entry, "resolution"))) || !*res ||
            !(at = strchr(res + 1, '@'))) {
            cat_warn(n->s, n->f, entry->line, "'%s': no 'resolution'; skipped", key);
            continue;
        }
        name = res;
        name_len = (size_t)(at - res);
        at++;
        if (!strncmp(at, "npm:", 4))
            version = at + 4;
        else if (!strncmp(at, "patch:", 6) || !strncmp(at, "workspace:", 10) ||
                 !strncmp(at, "link:", 5) || !strncmp(at, "portal:", 7) || !strncmp(at, "file:", 5))
            continue; /* a patched copy of an npm: entry listed on its own, or local code */
        else
            version = lang_scalar(n->scratch, fth_value_get(entry, "version"));
        if (!version || !lang_version_ok(version, strlen(version))) {
            cat_warn(n->s, n->f, entry->line, "'%s': no usable version; skipped", key);
            continue;
        }
        error =
            emit(n, name, name_len, version, strlen(version), 0, NULL, NULL, entry, runtime_deps);
    }
    return error;
}

static int has_line(const unsigned char *data, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);

    for (size_t i = 0; i + n <= len; i++)
        if ((i == 0 || data[i - 1] == '\n') && !memcmp(data + i, prefix, n))
            return 1;
    return 0;
}

/* ---- pnpm-lock.yaml ---- */

static int pnpm_major(const struct fth_value *v)
{
    if (v && v->type == FTH_VALUE_INT)
        return v->u.integer >= 1 && v->u.integer < 1000 ? (int)v->u.integer : 0;
    if (v && v->type == FTH_VALUE_FLOAT) /* 5.4; NaN and infinities fail the test */
        return v->u.number >= 1 && v->u.number < 1000 ? (int)v->u.number : 0;
    if (v && v->type == FTH_VALUE_STRING) {
        int m = 0;

        for (const char *p = v->u.str.ptr; *p >= '0' && *p <= '9' && m < 1000; p++)
            m = m * 10 + (*p - '0');
        return m;
    }
    return 0;
}

/* The snapshot key a dependency entry names: "name@1.0.0(peers)", or an alias's own. */
static const char *pnpm_dep_key(struct fth_arena *a, const char *name, const struct fth_value *v)
{
    const char *ver = fth_value_str(v), *at;

    if (v && v->type == FTH_VALUE_MAP)
        ver = fth_value_str(fth_value_get(v, "version")); /* importers: {specifier, version} */
    if (!ver || !*ver || !strncmp(ver, "link:", 5) || !strncmp(ver, "file:", 5))
        return NULL;
    at = strchr(ver + 1, '@');
    if (at && (size_t)(at - ver) < strcspn(ver, "("))
        return ver; /* an alias: "string-width@4.2.3" */
    return fth_arena_printf(a, "%s@%s", name, ver);
}

/*
 * pnpm v9 records no dev flags: walk `snapshots` from the importers' `fields` and mark, in
 * out, the name@version (peers dropped) of every snapshot reached. Each snapshot is visited
 * once, so the walk is linear in the file.
 */
static int pnpm_reach(struct npm *n, const struct lang_index *snaps,
                      const struct fth_value *importers, const char *const *fields,
                      struct lang_index *out)
{
    static const char *const snap_fields[] = {"dependencies", "optionalDependencies", NULL};
    struct lang_index seen = LANG_INDEX_INIT;
    struct fth_vec queue = {NULL, 0, 0};
    int error = 0;

    for (size_t i = 0; importers && importers->type == FTH_VALUE_MAP && i < importers->u.map.len;
         i++)
        for (size_t f = 0; fields[f]; f++) {
            const struct fth_value *deps =
                fth_value_get(importers->u.map.items[i].value, fields[f]);

            for (size_t j = 0; deps && deps->type == FTH_VALUE_MAP && j < deps->u.map.len; j++) {
                const char *name = key_of(&deps->u.map.items[j]), *k;

                if (name && (k = pnpm_dep_key(n->scratch, name, deps->u.map.items[j].value)) &&
                    (error = fth_vec_push(&queue, n->scratch, (void *)k)) < 0)
                    return error;
            }
        }
    for (size_t q = 0; error == 0 && q < queue.len; q++) {
        const char *k = queue.items[q], *at;
        const struct fth_value *snap;

        if (lang_index_get(&seen, k))
            continue;
        if ((error = lang_index_put(n->scratch, &seen, k, (void *)k)) < 0)
            break;
        at = *k ? strchr(k + 1, '@') : NULL;
        if (at) {
            const char *plain = fth_arena_printf(n->scratch, "%.*s", (int)strcspn(k, "("), k);

            if (!plain) {
                error = FTH_ENOMEM;
                break;
            }
            if (!lang_index_get(out, plain) &&
                (error = lang_index_put(n->scratch, out, plain, (void *)plain)) < 0)
                break;
        }
        if (!(snap = lang_index_get(snaps, k)))
            continue;
        for (size_t f = 0; error == 0 && snap_fields[f]; f++) {
            const struct fth_value *deps = fth_value_get(snap, snap_fields[f]);

            for (size_t j = 0; deps && deps->type == FTH_VALUE_MAP && j < deps->u.map.len; j++) {
                const char *name = key_of(&deps->u.map.items[j]), *dk;

                if (name && (dk = pnpm_dep_key(n->scratch, name, deps->u.map.items[j].value)) &&
                    (error = fth_vec_push(&queue, n->scratch, (void *)dk)) < 0)
                    break;
            }
        }
    }
    return error;
}

static int pnpm(struct npm *n, const struct fth_value *root)
{
    const struct fth_value *pkgs = fth_value_get(root, "packages");
    const struct fth_value *snaps = fth_value_get(root, "snapshots");
    static const char *const prod_fields[] = {"dependencies", "optionalDependencies", NULL};
    static const char *const dev_fields[] = {"devDependencies", NULL};
    struct lang_index snapix = LANG_INDEX_INIT, prod = LANG_INDEX_INIT;
    struct lang_index devs = LANG_INDEX_INIT;
    int major = pnpm_major(fth_value_get(root, "lockfileVersion")), error = 0;

    if (!major) {
        cat_warn(n->s, n->f, 0, "no usable 'lockfileVersion'; read as version 9");
        major = 9;
    }
    if (!pkgs || pkgs->type != FTH_VALUE_MAP)
        return 0; /* a project without dependencies */
    for (size_t i = 0; major >= 9 && snaps && snaps->type == FTH_VALUE_MAP && i < snaps->u.map.len;
         i++) {
        const char *k = key_of(&snaps->u.map.items[i]), *plain;
        void *v = (void *)snaps->u.map.items[i].value;

        if (!k)
            continue;
        if ((error = lang_index_put(n->scratch, &snapix, k, v)) < 0)
            return error;
        /* packages keys have no peer suffix: the first peer variant stands for them */
        if (strchr(k, '(')) {
            if (!(plain = fth_arena_printf(n->scratch, "%.*s", (int)strcspn(k, "("), k)))
                return FTH_ENOMEM;
            if (!lang_index_get(&snapix, plain) &&
                (error = lang_index_put(n->scratch, &snapix, plain, v)) < 0)
                return error;
        }
    }
    if (major >= 9 &&
        ((error = pnpm_reach(n, &snapix, fth_value_get(root, "importers"), prod_fields, &prod)) <
             0 ||
         (error = pnpm_reach(n, &snapix, fth_value_get(root, "importers"), dev_fields, &devs)) < 0))
        return error;
    for (size_t i = 0; error == 0 && i < pkgs->u.map.len; i++) {
        const struct fth_member *m = &pkgs->u.map.items[i];
        const char *key = key_of(m), *k, *sep, *name, *version, *vend, *fname, *fversion;
        const struct fth_value *entry = m->value, *deps_from = entry;
        size_t name_len, version_len;
        int dev;

        if (!key || entry->type != FTH_VALUE_MAP) {
            cat_warn(n->s, n->f, entry->line, "'%s': expected a mapping; skipped", key ? key : "?");
            continue;
        }
        fname = fth_value_str(fth_value_get(entry, "name"));
        fversion = lang_scalar(n->scratch, fth_value_get(entry, "version"));
        k = key[0] == '/' ? key + 1 : key;
        if (major < 6) {
            /* /name/version[_peers], /@scope/name/version */
            sep = key[0] == '/' ? strrchr(k, '/') : NULL;
            vend = sep ? sep + 1 + strcspn(sep + 1, "_(") : NULL;
        } else {
            /* [/]name@version[(peers)] */
            sep = *k ? strchr(k + 1, '@') : NULL;
            vend = sep ? sep + 1 + strcspn(sep + 1, "(") : NULL;
        }
        if (fname && *fname && fversion) {
            /* tarball and git dependencies say what they are */
            name = fname, name_len = strlen(fname);
            version = fversion, version_len = strlen(fversion);
        } else if (sep && sep > k) {
            name = k, name_len = (size_t)(sep - k);
            version = sep + 1, version_len = (size_t)(vend - version);
        } else {
            cat_warn(n->s, n->f, entry->line, "'%s': not a name and version; skipped", key);
            continue;
        }
        if (memchr(version, ':', version_len) || !lang_version_ok(version, version_len)) {
            /* file:, link: and URL versions: local or unversioned code */
            fth_log(FTH_LOG_DEBUG, "catalog", "%s: '%s': no registry version", n->f->path, key);
            continue;
        }
        if (major >= 9) {
            const char *plain = fth_arena_printf(n->scratch, "%.*s@%.*s", (int)name_len, name,
                                                 (int)version_len, version);

            if (!plain)
                return FTH_ENOMEM;
            if (lang_index_get(&snapix, key))
                deps_from = lang_index_get(&snapix, key);
            /* only development dependencies reach it */
            dev = lang_index_get(&devs, plain) && !lang_index_get(&prod, plain);
        } else {
            dev = fth_value_is_true(fth_value_get(entry, "dev"));
        }
        error = emit(n, name, name_len, version, version_len, dev,
                     fth_value_str(fth_value_path(entry, "resolution.integrity")), NULL, deps_from,
                     runtime_deps);
    }
    return error;
}

static int parse(struct cat_sink *s, const struct cat_file *f)
{
    const char *base = base_name(f->path);
    const struct fth_value *root;
    struct npm n;
    int error = 0, yaml_berry = 0;

    memset(&n, 0, sizeof(n));
    n.s = s;
    n.f = f;
    if (!(n.scratch = fth_arena_new()))
        return FTH_ENOMEM;
    if (!strcmp(base, "yarn.lock")) {
        yaml_berry = has_line(f->data, f->len, "__metadata:");
        if (!yaml_berry) {
            error = yarn_v1(&n);
            goto out;
        }
    }
    if (!(root = lang_load(s, f, n.scratch, !yaml_berry && strcmp(base, "pnpm-lock.yaml"))))
        goto out;
    if (root->type != FTH_VALUE_MAP) {
        if (root->type != FTH_VALUE_NULL)
            cat_warn(s, f, root->line, "expected a mapping, found %s",
                     fth_value_type_name(root->type));
        goto out;
    }
    if (yaml_berry)
        error = yarn_berry(&n, root);
    else if (!strcmp(base, "pnpm-lock.yaml"))
        error = pnpm(&n, root);
    else if (!strcmp(base, "package-lock.json"))
        error = package_lock(&n, root);
    else
        error = package_json(&n, root);
out:
    fth_arena_free(n.scratch);
    return error;
}

const struct cataloger cat_npm = {"npm", wants, parse};
