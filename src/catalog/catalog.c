/*
 * The catalog driver: stream every layer once (layers in parallel), hand each wanted file to
 * the catalogers, then merge. A package counts when the file that declared it is visible in
 * the final root filesystem; it is attributed to the earliest layer whose copy of that file
 * already declared the same package at the same version (a later layer that rewrites
 * var/lib/dpkg/status to add one package does not "introduce" the other eighty).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/limits.h"
#include "catalog_int.h"

struct walk {
    struct fth_image *img;
    struct fth_image_tree *tree;
    struct cat_layer *results;
    const char **cache_files; /* per layer; NULL when that layer is not cached */
    size_t max_file;
    int lockfiles;
    fth_catalog_visitor visit; /* fth_catalog_opts.visit */
    void *visit_data;
};

/* Layers with more entries than this are not cached: the replay would cost as much. */
#define CACHE_MAX_ENTRIES 200000

struct visit {
    struct cat_layer *res;
    struct walk *w;
    struct fth_buf buf;
    int have;     /* buf holds the whole content of the current entry */
    int consumed; /* the current entry's reader was (partly) read */
};

/*
 * Lock files say what a build would install, not what is installed: in an image, Trivy and
 * Syft read the installed packages' own metadata (each package.json under
 * node_modules, vendor/composer/installed.json) and leave lock files to source-tree scans. A
 * package a later layer deleted from node_modules is then gone, even though the lock file lists it.
 */
static int is_lockfile(const char *path)
{
    static const char *const names[] = {"package-lock.json", "npm-shrinkwrap.json", "yarn.lock",
                                        "pnpm-lock.yaml",    "composer.lock",       "Pipfile.lock",
                                        "poetry.lock",       "Gemfile.lock",        "Cargo.lock",
                                        "packages.lock.json"};
    const char *base = strrchr(path, '/');

    base = base ? base + 1 : path;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(base, names[i]))
            return 1;
    return 0;
}

static int catalog_entry(struct visit *v, const struct fth_entry *e, struct fth_entry_reader *r)
{
    struct cat_layer *res = v->res;
    const struct cataloger *wanted[16];
    size_t nwanted = 0;
    int os, rc;

    if ((rc = fth_image_tree_add(v->w->tree, e)) < 0)
        return rc;
    if (res->record) {
        struct cat_entry *ce;

        if (res->entries.len >= CACHE_MAX_ENTRIES) {
            res->record = 0;
        } else if (!(ce = fth_arena_alloc(res->a, sizeof(*ce))) ||
                   !(ce->path = fth_arena_strdup(res->a, e->path))) {
            return FTH_ENOMEM;
        } else {
            ce->type = e->type;
            if ((rc = fth_vec_push(&res->entries, res->a, ce)) < 0)
                return rc;
        }
    }
    if (e->type != FTH_ENTRY_FILE || !r)
        return 0;
    for (size_t i = 0; cat_all[i] && nwanted < sizeof(wanted) / sizeof(wanted[0]); i++)
        if (cat_all[i]->wants(e->path, e->size, e->mode))
            wanted[nwanted++] = cat_all[i];
    if (nwanted && !v->w->lockfiles && is_lockfile(e->path))
        nwanted = 0;
    os = cat_os_wants(e->path);
    if (!nwanted && !os)
        return 0;
    if (e->size > v->w->max_file) {
        res->sink.warnings++;
        fth_log(FTH_LOG_WARN, "catalog",
                "layer %u: '%s': %llu bytes, over the %zu-byte limit: "
                "not catalogued",
                e->layer, e->path, (unsigned long long)e->size, v->w->max_file);
        return 0;
    }
    v->consumed = 1;
    if ((rc = fth_entry_read_all(r, &v->buf, v->w->max_file, &res->err)) < 0) {
        if (rc == FTH_ENOMEM)
            return rc;
        /* a file that cannot be read costs its packages, not the scan */
        res->sink.warnings++;
        fth_log(FTH_LOG_WARN, "catalog", "layer %u: '%s': %s", e->layer, e->path, res->err.message);
        fth_error_clear(&res->err);
        return 0;
    }
    v->have = 1;
    if (os) {
        struct cat_os_file *of = fth_arena_calloc(res->a, 1, sizeof(*of));
        unsigned char *copy = fth_arena_alloc(res->a, v->buf.len + 1);

        if (!of || !copy || !(of->path = fth_arena_strdup(res->a, e->path)))
            return FTH_ENOMEM;
        memcpy(copy, v->buf.ptr, v->buf.len);
        copy[v->buf.len] = '\0';
        of->data = copy;
        of->len = v->buf.len;
        of->layer = e->layer;
        if ((rc = fth_vec_push(&res->os_files, res->a, of)) < 0)
            return rc;
    }
    for (size_t i = 0; i < nwanted; i++) {
        struct cat_file f;

        f.path = e->path;
        f.data = (const unsigned char *)v->buf.ptr;
        f.len = v->buf.len;
        f.mode = e->mode;
        f.layer = e->layer;
        if ((rc = wanted[i]->parse(&res->sink, &f)) < 0)
            return rc;
    }
    return 0;
}

/* The catalogers' look at an entry, then the caller's visitor (fth_catalog_opts.visit). */
static int visit_entry(void *data, const struct fth_entry *e, struct fth_entry_reader *r)
{
    struct visit *v = data;
    int rc;

    v->have = v->consumed = 0;
    if ((rc = catalog_entry(v, e, r)) < 0 || !v->w->visit)
        return rc;
    if (v->have)
        return v->w->visit(v->w->visit_data, e, v->buf.ptr, v->buf.len, NULL);
    return v->w->visit(v->w->visit_data, e, NULL, 0, v->consumed ? NULL : r);
}

/* Feed a cached layer's entries to the tree, as the walk would have. */
static int replay(struct walk *w, struct cat_layer *res, unsigned layer)
{
    for (size_t i = 0; i < res->entries.len; i++) {
        const struct cat_entry *ce = res->entries.items[i];
        struct fth_entry e;
        int rc;

        memset(&e, 0, sizeof(e));
        e.path = ce->path;
        e.type = ce->type;
        e.layer = layer;
        if ((rc = fth_image_tree_add(w->tree, &e)) < 0)
            return rc;
    }
    return 0;
}

static void walk_layer(size_t i, void *data)
{
    struct walk *w = data;
    struct cat_layer *res = &w->results[i];
    const char *cache = w->cache_files[i];
    struct visit v;

    /* a visitor needs the layer's bytes, which the cache does not keep */
    if (cache && !w->visit) {
        if ((res->rc = cat_cache_load(res, cache, (unsigned)i)) < 0)
            return;
        if (res->rc == 1) {
            res->cached = 1;
            res->rc = replay(w, res, (unsigned)i);
            return;
        }
    }
    if (cache)
        res->record = 1;
    v.res = res;
    v.w = w;
    fth_buf_init(&v.buf);
    res->rc = fth_image_walk_layer(w->img, (unsigned)i, visit_entry, &v, &res->err);
    fth_buf_release(&v.buf);
    /* a layer that read cleanly is kept for next time; a failure to keep it costs nothing */
    if (res->rc >= 0 && res->record && cat_cache_store(cache, res) < 0)
        fth_log(FTH_LOG_DEBUG, "catalog", "layer %zu: cannot write the cache file '%s'", i, cache);
}

/* ---- merge ---- */

static const char *copy_str(struct fth_arena *a, const char *s)
{
    return s && *s ? fth_arena_strdup(a, s) : "";
}

static const char *const *copy_strv(struct fth_arena *a, const char *const *v, size_t n)
{
    const char **out;

    if (!n)
        return NULL;
    if (!(out = fth_arena_calloc(a, n, sizeof(*out))))
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!(out[i] = copy_str(a, v[i])))
            return NULL;
    return out;
}

static struct fth_package *package_copy(struct fth_arena *a, const struct fth_package *p)
{
    struct fth_package *c = fth_arena_alloc(a, sizeof(*c));
    struct fth_license *lic = NULL;

    if (!c)
        return NULL;
    *c = *p;
    if (p->nlicenses) {
        if (!(lic = fth_arena_calloc(a, p->nlicenses, sizeof(*lic))))
            return NULL;
        for (size_t i = 0; i < p->nlicenses; i++)
            if (!(lic[i].value = copy_str(a, p->licenses[i].value)) ||
                !(lic[i].spdx = copy_str(a, p->licenses[i].spdx)))
                return NULL;
    }
    c->licenses = lic;
    c->depends = copy_strv(a, p->depends, p->ndepends);
    c->files = copy_strv(a, p->files, p->nfiles);
    if (!(c->type = copy_str(a, p->type)) || !(c->ecosystem = copy_str(a, p->ecosystem)) ||
        !(c->name = copy_str(a, p->name)) || !(c->version = copy_str(a, p->version)) ||
        !(c->src_name = copy_str(a, p->src_name)) ||
        !(c->src_version = copy_str(a, p->src_version)) || !(c->arch = copy_str(a, p->arch)) ||
        !(c->purl = copy_str(a, p->purl)) || !(c->digest = copy_str(a, p->digest)) ||
        !(c->path = copy_str(a, p->path)) || (p->ndepends && !c->depends) ||
        (p->nfiles && !c->files))
        return NULL;
    return c;
}

/*
 * Is the file that declared a package in layer `layer` part of the final image? A package
 * inside an archive (app.war/WEB-INF/lib/x.jar) names a path no layer holds: its archive,
 * the longest prefix the layer does hold, decides.
 */
static int declared_visible(const struct fth_image_tree *t, const char *path, unsigned layer)
{
    char buf[4096];
    size_t len = strlen(path);
    char *slash;

    if (len >= sizeof(buf))
        return fth_image_tree_visible(t, path, layer);
    memcpy(buf, path, len + 1);
    for (;;) {
        if (fth_image_tree_visible(t, buf, layer))
            return 1;
        if (fth_image_tree_hidden_by(t, buf, layer) >= 0 || !(slash = strrchr(buf, '/')))
            return 0;
        *slash = '\0';
    }
}

static int same_package(const struct fth_package *x, const struct fth_package *y)
{
    return !strcmp(x->type, y->type) && !strcmp(x->name, y->name) &&
           !strcmp(x->version, y->version) && !strcmp(x->arch, y->arch) &&
           !strcmp(x->path, y->path);
}

/* The earliest layer at or before p's whose copy of p's file declared the same package. */
static unsigned first_layer(const struct cat_layer *res, const struct fth_package *p)
{
    unsigned first = p->layer;

    for (unsigned l = 0; l < p->layer; l++) {
        const struct fth_vec *v = &res[l].sink.packages;

        for (size_t i = 0; i < v->len; i++)
            if (same_package(v->items[i], p))
                return l;
    }
    return first;
}

static int attach_owned(struct fth_arena *a, struct fth_package **pkgs, size_t n,
                        const struct cat_owned *o)
{
    for (size_t i = 0; i < n; i++) {
        struct fth_package *p = pkgs[i];
        const char **files;

        if (strcmp(p->type, o->type) || strcmp(p->name, o->name) ||
            (*o->arch && *p->arch && strcmp(o->arch, p->arch)))
            continue;
        if (!(files = fth_arena_calloc(a, p->nfiles + o->nfiles, sizeof(*files))))
            return FTH_ENOMEM;
        for (size_t j = 0; j < p->nfiles; j++)
            files[j] = p->files[j];
        for (size_t j = 0; j < o->nfiles; j++)
            if (!(files[p->nfiles + j] = copy_str(a, o->files[j])))
                return FTH_ENOMEM;
        p->files = files;
        p->nfiles += o->nfiles;
        return 0;
    }
    return 0;
}

/* PyPI names compare case-insensitively with runs of '-', '_' and '.' as one (PEP 503). */
static int same_pypi_name(const char *a, const char *b)
{
    for (;;) {
        int sa = *a == '-' || *a == '_' || *a == '.', sb = *b == '-' || *b == '_' || *b == '.';

        if (sa && sb) {
            while (*a == '-' || *a == '_' || *a == '.')
                a++;
            while (*b == '-' || *b == '_' || *b == '.')
                b++;
            continue;
        }
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
        if (!*a)
            return 1;
        a++;
        b++;
    }
}

static int has_known_license(const struct fth_package *p)
{
    for (size_t i = 0; i < p->nlicenses; i++)
        if (*p->licenses[i].spdx)
            return 1;
    return 0;
}

/*
 * Licences a separate file declares (dpkg's copyright files), added to the package's own; or
 * found in a licence file (lr->found), for packages that declare no known licence.
 */
static int attach_licenses(struct fth_arena *a, struct fth_package **pkgs, size_t n,
                           const struct cat_licensed *lr, const unsigned char *unlicensed)
{
    for (size_t i = 0; i < n; i++) {
        struct fth_package *p = pkgs[i];
        struct fth_license *lic;
        size_t k = 0;

        if (strcmp(p->type, lr->type) ||
            (lr->found && !strcmp(p->type, "python") ? !same_pypi_name(p->name, lr->name)
                                                     : strcmp(p->name, lr->name) != 0))
            continue;
        if (lr->found && !unlicensed[i])
            continue;
        if (!(lic = fth_arena_calloc(a, p->nlicenses + lr->nlicenses, sizeof(*lic))))
            return FTH_ENOMEM;
        for (size_t j = 0; j < p->nlicenses; j++)
            lic[k++] = p->licenses[j];
        for (size_t j = 0; j < lr->nlicenses; j++) {
            int dup = 0;

            for (size_t m = 0; m < k; m++)
                dup |= !strcmp(lic[m].value, lr->licenses[j].value);
            if (dup)
                continue;
            if (!(lic[k].value = copy_str(a, lr->licenses[j].value)) ||
                !(lic[k].spdx = copy_str(a, lr->licenses[j].spdx)))
                return FTH_ENOMEM;
            k++;
        }
        p->licenses = lic;
        p->nlicenses = k;
    }
    return 0;
}

static int cmp_package(const void *x, const void *y)
{
    const struct fth_package *p = x, *q = y;
    int c;

    if ((c = strcmp(p->type, q->type)) || (c = strcmp(p->name, q->name)) ||
        (c = strcmp(p->version, q->version)) || (c = strcmp(p->path, q->path)))
        return c;
    return strcmp(p->arch, q->arch);
}

static void today_utc(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;

    if (!gmtime_r(&now, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm))
        memcpy(out, "1970-01-01", 11);
}

/*
 * fth_catalog_opts.hidden: the packages of layer copies no longer visible, once each (at the
 * earliest layer, as first_layer finds it) and only when the final image has no same package.
 */
static int add_hidden(struct fth_arena *a, struct walk *w, struct fth_package **kept, size_t *n)
{
    struct cat_layer *res = w->results;

    for (size_t l = 0; l < w->img->nlayers; l++) {
        const struct fth_vec *v = &res[l].sink.packages;

        for (size_t i = 0; i < v->len; i++) {
            const struct fth_package *p = v->items[i];
            struct fth_package *c;
            int dup = 0;

            if (declared_visible(w->tree, p->path, (unsigned)l))
                continue;
            for (size_t k = 0; k < *n && !dup; k++)
                dup = same_package(kept[k], p);
            if (dup)
                continue;
            if (!(c = package_copy(a, p)))
                return FTH_ENOMEM;
            c->layer = first_layer(res, p);
            c->hidden = 1;
            kept[(*n)++] = c;
        }
    }
    return 0;
}

static int merge(struct fth_inventory *out, struct fth_arena *a, struct walk *w,
                 const struct fth_catalog_opts *opts)
{
    struct cat_layer *res = w->results;
    size_t nlayers = w->img->nlayers, total = 0, n = 0;
    struct fth_package **kept = NULL;
    unsigned char *unlicensed = NULL;
    char today[11];
    int error = 0;

    for (size_t l = 0; l < nlayers; l++) {
        total += res[l].sink.packages.len;
        out->warnings += res[l].sink.warnings;
    }
    if (total && !(kept = calloc(total, sizeof(*kept))))
        return FTH_ENOMEM;
    for (size_t l = 0; l < nlayers; l++) {
        const struct fth_vec *v = &res[l].sink.packages;

        for (size_t i = 0; i < v->len; i++) {
            const struct fth_package *p = v->items[i];
            struct fth_package *c;

            if (!declared_visible(w->tree, p->path, (unsigned)l))
                continue;
            if (!(c = package_copy(a, p))) {
                error = FTH_ENOMEM;
                goto out;
            }
            c->layer = first_layer(res, p);
            kept[n++] = c;
        }
    }
    for (size_t l = 0; l < nlayers; l++) {
        const struct fth_vec *v = &res[l].sink.owned;

        for (size_t i = 0; i < v->len; i++) {
            const struct cat_owned *o = v->items[i];

            if (fth_image_tree_visible(w->tree, o->path, (unsigned)l) &&
                (error = attach_owned(a, kept, n, o)) < 0)
                goto out;
        }
        v = &res[l].sink.licensed;
        for (size_t i = 0; i < v->len; i++) {
            const struct cat_licensed *lr = v->items[i];

            if (!lr->found && fth_image_tree_visible(w->tree, lr->path, (unsigned)l) &&
                (error = attach_licenses(a, kept, n, lr, NULL)) < 0)
                goto out;
        }
    }
    /* then licences found in licence files, for the packages still without a known one */
    if (n && !(unlicensed = fth_arena_calloc(a, n, 1))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        unlicensed[i] = !has_known_license(kept[i]);
    for (size_t l = 0; l < nlayers; l++) {
        const struct fth_vec *v = &res[l].sink.licensed;

        for (size_t i = 0; i < v->len; i++) {
            const struct cat_licensed *lr = v->items[i];

            if (lr->found && fth_image_tree_visible(w->tree, lr->path, (unsigned)l) &&
                (error = attach_licenses(a, kept, n, lr, unlicensed)) < 0)
                goto out;
        }
    }
    /* after attach_*: owned files and licences go to the packages the final image holds */
    if (opts && opts->hidden && (error = add_hidden(a, w, kept, &n)) < 0)
        goto out;

    /* the OS: visible release files, os-release first within cat_os_parse's ranking */
    memset(&out->os, 0, sizeof(out->os));
    out->os.id = out->os.version_id = out->os.codename = out->os.pretty_name = "";
    out->os.family = out->os.release = out->os.eol_date = out->os.path = "";
    for (size_t l = 0; l < nlayers; l++) {
        const struct fth_vec *v = &res[l].os_files;

        for (size_t i = 0; i < v->len; i++) {
            const struct cat_os_file *of = v->items[i];

            if (fth_image_tree_visible(w->tree, of->path, of->layer) &&
                (error = cat_os_parse(&out->os, a, of->path, of->data, of->len)) < 0)
                goto out;
        }
    }
    if (opts && opts->today)
        cat_os_finish(&out->os, a, opts->today);
    else {
        today_utc(today);
        cat_os_finish(&out->os, a, today);
    }

    if (n && !(out->packages = fth_arena_calloc(a, n, sizeof(*out->packages)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        out->packages[i] = *kept[i];
        if (!*out->packages[i].purl) {
            const char *purl = fth_catalog_purl(a, &out->packages[i], &out->os);

            if (!purl) {
                error = FTH_ENOMEM;
                goto out;
            }
            out->packages[i].purl = purl;
        }
    }
    out->npackages = n;
    if (n > 1)
        qsort(out->packages, n, sizeof(*out->packages), cmp_package);
out:
    free(kept);
    return error;
}

/*
 * Layers are cached when their digest names their content and was checked while reading:
 * registry pulls and image layouts/archives. A root filesystem's "layer" has no such name.
 */
static int cacheable(const struct fth_image *img)
{
    return strcmp(img->transport, "dir") != 0 && strcmp(img->transport, "rootfs-archive") != 0;
}

int fth_catalog_image(struct fth_inventory *out, struct fth_arena *a, struct fth_image *img,
                      const struct fth_catalog_opts *opts, struct fth_error *err)
{
    struct walk w;
    unsigned threads = opts ? opts->threads : 0;
    int error = 0;

    memset(out, 0, sizeof(*out));
    memset(&w, 0, sizeof(w));
    w.img = img;
    w.max_file = opts && opts->max_file ? opts->max_file : FTH_LIMIT_CATALOG_FILE;
    w.lockfiles = opts && opts->lockfiles;
    w.visit = opts ? opts->visit : NULL;
    w.visit_data = opts ? opts->visit_data : NULL;
    if ((error = fth_image_tree_new(&w.tree, img->nlayers)) < 0)
        return fth_error_set(err, error, "out of memory");
    if (img->nlayers && (!(w.results = calloc(img->nlayers, sizeof(*w.results))) ||
                         !(w.cache_files = calloc(img->nlayers, sizeof(*w.cache_files))))) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    if (cacheable(img)) {
        struct fth_image_opts io = FTH_IMAGE_OPTS_INIT;
        const char *dir;

        io.cache_dir = opts ? opts->cache_dir : NULL;
        dir = fth_image_cache_dir(a, &io);
        for (size_t l = 0; dir && l < img->nlayers; l++)
            w.cache_files[l] = cat_cache_file(a, dir, img->layers[l].digest, w.lockfiles);
    }
    for (size_t l = 0; l < img->nlayers; l++) {
        if (!(w.results[l].a = fth_arena_new())) {
            error = fth_error_set(err, FTH_ENOMEM, "out of memory");
            goto out;
        }
        cat_sink_init(&w.results[l].sink, w.results[l].a);
    }
    fth_parallel_for(img->nlayers, threads, walk_layer, &w);
    for (size_t l = 0; l < img->nlayers; l++) {
        if (w.results[l].rc < 0) {
            /* the first failing layer, with the image layer's own message */
            if (err)
                *err = w.results[l].err;
            error = w.results[l].rc;
            goto out;
        }
    }
    if ((error = merge(out, a, &w, opts)) < 0)
        fth_error_set(err, error, "'%s': out of memory", img->ref);
out:
    for (size_t l = 0; w.results && l < img->nlayers; l++)
        fth_arena_free(w.results[l].a);
    free(w.results);
    free(w.cache_files);
    fth_image_tree_free(w.tree);
    return error;
}
