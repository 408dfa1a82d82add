/*
 * `helm template`: the dependency pass (conditions, tags, aliases, import-values), the render
 * values (.Values .Release .Chart .Capabilities .Files .Template .Subcharts), the template
 * engine run over every template of the chart tree in Helm's order, and Helm 3's assembly of
 * the output (split on `---`, hooks apart, install order by kind).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "fathom/tmpl.h"
#include "fathom/version.h"
#include "helm_int.h"

#define OOM(err) fth_error_set(err, FTH_ENOMEM, "out of memory")

/* ---- the cache ---- */

struct cached_values {
    const struct fth_chart *chart;
    struct fth_value *values;
    struct cached_values *next;
};

struct cached_set {
    const struct fth_chart *chart;
    char *key; /* the parsed template names in parse order, '\n'-separated */
    struct fth_tmpl_set *set;
    struct cached_set *next;
};

struct fth_helm_cache {
    struct fth_arena *a;
    struct cached_values *values;
    struct cached_set *sets;
    size_t nsets;
};

int fth_helm_cache_new(struct fth_helm_cache **out)
{
    struct fth_helm_cache *c = calloc(1, sizeof(*c));
    *out = NULL;
    if (!c || !(c->a = fth_arena_new())) {
        free(c);
        return FTH_ENOMEM;
    }
    *out = c;
    return 0;
}

void fth_helm_cache_free(struct fth_helm_cache *c)
{
    struct cached_set *s;
    if (!c)
        return;
    for (s = c->sets; s; s = s->next)
        fth_tmpl_set_free(s->set);
    fth_arena_free(c->a);
    free(c);
}

/* The chart's parsed values.yaml: from the cache, or parsed (into the cache when there is one;
 * the renderer copies before it changes anything). */
static int chart_values(struct fth_value **out, struct fth_arena *a, struct fth_helm_cache *cache,
                        const struct fth_chart *c, struct fth_error *err)
{
    struct cached_values *cv;
    struct fth_arena *pa = cache ? cache->a : a;
    int error;

    for (cv = cache ? cache->values : NULL; cv; cv = cv->next)
        if (cv->chart == c) {
            *out = cv->values;
            return 0;
        }
    if (!c->values)
        *out = fth_tmpl_map(pa, 0);
    else if ((error =
                  fth_helm_values_parse(out, pa, (const char *)c->values->data, c->values->len,
                                        fth_arena_printf(a, "%s/values.yaml", c->source), err)) < 0)
        return error;
    if (!*out)
        return OOM(err);
    if (cache) {
        if (!(cv = fth_arena_calloc(cache->a, 1, sizeof(*cv))))
            return OOM(err);
        cv->chart = c;
        cv->values = *out;
        cv->next = cache->values;
        cache->values = cv;
    }
    return 0;
}

/* ---- the chart tree ---- */

static const struct fth_chart_dependency *requirements(size_t *n, struct fth_arena *a,
                                                       const struct fth_chart *c)
{
    size_t i;
    *n = 0;
    if (c->metadata.ndependencies || !c->metadata.api_version ||
        strcmp(c->metadata.api_version, "v1") != 0)
        return NULL;
    for (i = 0; i < c->nfiles; i++) {
        if (!strcmp(c->files[i].path, "requirements.yaml")) {
            /* requirements.yaml holds only `dependencies:`: read it as a Chart.yaml would be */
            struct fth_chart_metadata md;
            struct fth_error e;
            const char *text = fth_arena_printf(a, "apiVersion: v1\nname: x\nversion: 0.0.0\n%s",
                                                (const char *)c->files[i].data);
            if (!text ||
                fth_chart_metadata_parse(&md, a, text, strlen(text), "requirements.yaml", &e) < 0)
                return NULL;
            *n = md.ndependencies;
            return md.dependencies;
        }
    }
    return NULL;
}

static int build_tree(struct helm_rchart **out, struct fth_arena *a, struct fth_helm_cache *cache,
                      const struct fth_chart *c, const char *name, const char *parent_path,
                      unsigned depth, struct fth_error *err)
{
    struct helm_rchart *rc;
    const struct fth_chart_dependency *deps = c->metadata.dependencies;
    size_t ndeps = c->metadata.ndependencies, i, j;
    int error;

    if (depth > FTH_LIMIT_CHART_DEPTH)
        return fth_error_set(err, FTH_ELIMIT, "subcharts nested deeper than %d (limit)",
                             FTH_LIMIT_CHART_DEPTH);
    if (!(rc = fth_arena_calloc(a, 1, sizeof(*rc))))
        return OOM(err);
    rc->chart = c;
    rc->name = name;
    rc->fullpath = parent_path ? fth_arena_printf(a, "%s/charts/%s", parent_path, name) : name;
    if ((error = chart_values(&rc->values, a, cache, c, err)) < 0)
        return error;
    if (!ndeps)
        deps = requirements(&ndeps, a, c);
    rc->has_mdeps = ndeps > 0;
    rc->mdeps = fth_arena_calloc(a, ndeps + 1, sizeof(*rc->mdeps));
    rc->deps = fth_arena_calloc(a, c->nsubcharts + ndeps + 1, sizeof(*rc->deps));
    if (!rc->mdeps || !rc->deps)
        return OOM(err);
    /* charts/ entries not named by any dependency are always there */
    for (i = 0; i < c->nsubcharts; i++) {
        const struct fth_chart *s = c->subcharts[i];
        int listed = 0;
        for (j = 0; j < ndeps; j++)
            if (deps[j].name && !strcmp(deps[j].name, s->metadata.name))
                listed = 1;
        if (!listed && (error = build_tree(&rc->deps[rc->ndeps++], a, cache, s, s->metadata.name,
                                           rc->fullpath, depth + 1, err)) < 0)
            return error;
    }
    for (j = 0; j < ndeps; j++) {
        const struct fth_chart_dependency *d = &deps[j];
        struct helm_rdep *md = &rc->mdeps[rc->nmdeps++];
        md->dep = d;
        md->name = d->alias ? d->alias : d->name;
        md->enabled = 1;
        for (i = 0; i < c->nsubcharts; i++) {
            const struct fth_chart *s = c->subcharts[i];
            if (d->name && !strcmp(d->name, s->metadata.name)) {
                if ((error = build_tree(&rc->deps[rc->ndeps++], a, cache, s, md->name, rc->fullpath,
                                        depth + 1, err)) < 0)
                    return error;
                break;
            }
        }
    }
    *out = rc;
    return 0;
}

/* Values.Table / PathValue: walk dotted keys through maps. */
static struct fth_value *table(struct fth_value *v, const char *path, size_t len)
{
    size_t i = 0;
    if (!len)
        return v;
    while (v && i <= len) {
        size_t j = i;
        while (j < len && path[j] != '.')
            j++;
        if (v->type != FTH_VALUE_MAP)
            return NULL;
        v = fth_tmpl_map_get(v, path + i, j - i);
        i = j + 1;
    }
    return v && v->type == FTH_VALUE_MAP ? v : NULL;
}

static struct fth_value *path_value(struct fth_value *v, const char *path)
{
    const char *dot = strrchr(path, '.');
    struct fth_value *t, *r;
    if (!dot) {
        r = fth_tmpl_map_get(v, path, strlen(path));
        return r && r->type != FTH_VALUE_MAP ? r : NULL;
    }
    if (!(t = table(v, path, (size_t)(dot - path))))
        return NULL;
    r = fth_tmpl_map_get(t, dot + 1, strlen(dot + 1));
    return r && r->type != FTH_VALUE_MAP ? r : NULL;
}

static int coalesce_copy(struct fth_value **out, struct helm_coalesce *c,
                         const struct helm_rchart *rc, const struct fth_value *vals, int merge)
{
    struct fth_value *dest = vals ? fth_helm_values_copy(c->a, vals) : fth_tmpl_map(c->a, 4);
    int error;
    *out = NULL;
    if (!dest)
        return OOM(c->err);
    if ((error = helm_coalesce(c, rc, dest, "", merge, 0)) < 0)
        return error;
    *out = dest;
    return 0;
}

/* chartutil's processDependencyEnabled. */
static int deps_enabled(struct helm_coalesce *c, struct helm_rchart *rc, const struct fth_value *v,
                        const char *path, unsigned depth)
{
    struct fth_value *cvals = NULL, *tags;
    size_t i, j, n;
    int error;

    if (!rc->has_mdeps)
        return 0;
    if (depth > FTH_LIMIT_CHART_DEPTH)
        return fth_error_set(c->err, FTH_ELIMIT, "subcharts nested too deeply");
    if ((error = coalesce_copy(&cvals, c, rc, v, 0)) < 0)
        return error;
    tags = table(cvals, "tags", 4);
    for (i = 0; i < rc->nmdeps; i++) {
        struct helm_rdep *md = &rc->mdeps[i];
        const struct fth_value *t = md->dep->tags;
        int has_true = 0, has_false = 0;
        const char *cond = md->dep->condition;

        md->enabled = 1;
        for (j = 0; tags && t && j < t->u.seq.len; j++) {
            const char *k = fth_value_str(t->u.seq.items[j]);
            struct fth_value *b = k ? fth_tmpl_map_get(tags, k, strlen(k)) : NULL;
            if (b && b->type == FTH_VALUE_BOOL) {
                if (b->u.boolean)
                    has_true = 1;
                else
                    has_false = 1;
            } else if (b)
                fth_buf_printf(c->warnings,
                               "Warning: Tag '%s' for chart %s returned non-bool "
                               "value\n",
                               k, md->name);
        }
        if (!has_true && has_false)
            md->enabled = 0;
        /* conditions: a comma list, the first path holding a bool decides */
        while (cond && *cond) {
            const char *end = strchr(cond, ',');
            size_t len = end ? (size_t)(end - cond) : strlen(cond);
            const char *full;
            struct fth_value *b;
            char *one = fth_arena_strndup(c->a, cond, len), *s = one, *e;

            if (!one)
                return OOM(c->err);
            while (*s == ' ' || *s == '\t' || *s == '\n')
                s++;
            e = s + strlen(s);
            while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
                *--e = 0;
            if (*s) {
                full = fth_arena_printf(c->a, "%s%s", path, s);
                b = full ? path_value(cvals, full) : NULL;
                if (b && b->type == FTH_VALUE_BOOL) {
                    md->enabled = b->u.boolean;
                    break;
                }
                if (b)
                    fth_buf_printf(c->warnings,
                                   "Warning: Condition path '%s' for chart %s "
                                   "returned non-bool value\n",
                                   s, md->name);
            }
            cond = end ? end + 1 : NULL;
        }
    }
    /* drop disabled charts */
    for (i = n = 0; i < rc->ndeps; i++) {
        int keep = 1;
        for (j = 0; j < rc->nmdeps; j++)
            if (!rc->mdeps[j].enabled && !strcmp(rc->mdeps[j].name, rc->deps[i]->name))
                keep = 0;
        if (keep)
            rc->deps[n++] = rc->deps[i];
    }
    rc->ndeps = n;
    for (i = n = 0; i < rc->nmdeps; i++)
        if (rc->mdeps[i].enabled)
            rc->mdeps[n++] = rc->mdeps[i];
    rc->nmdeps = n;
    rc->has_mdeps = n > 0;
    for (i = 0; i < rc->ndeps; i++) {
        const char *sub = fth_arena_printf(c->a, "%s%s.", path, rc->deps[i]->name);
        if (!sub)
            return OOM(c->err);
        if ((error = deps_enabled(c, rc->deps[i], cvals, sub, depth + 1)) < 0)
            return error;
    }
    return 0;
}

/* pathToMap: "a.b" and v give {a: {b: v}}; "." gives v. */
static struct fth_value *path_to_map(struct fth_arena *a, const char *path, struct fth_value *v)
{
    const char *end;
    struct fth_value *m;
    if (!strcmp(path, "."))
        return v;
    end = path + strlen(path);
    while (end >= path) {
        const char *start = end;
        while (start > path && start[-1] != '.')
            start--;
        if (!(m = fth_tmpl_map(a, 1)) ||
            fth_tmpl_map_set(a, m, start, (size_t)(end - start), v) < 0)
            return NULL;
        v = m;
        end = start - 1;
    }
    return v;
}

/* chartutil's processImportValues (Helm 3 merges: nulls are kept until the final coalesce). */
static int import_values(struct helm_coalesce *c, struct helm_rchart *rc, unsigned depth)
{
    struct fth_value *cvals = NULL, *b;
    size_t i, j;
    int error;

    for (i = 0; i < rc->ndeps; i++)
        if ((error = import_values(c, rc->deps[i], depth + 1)) < 0)
            return error;
    if (!rc->has_mdeps)
        return 0;
    if ((error = coalesce_copy(&cvals, c, rc, NULL, 1)) < 0)
        return error;
    if (!(b = fth_tmpl_map(c->a, 4)))
        return OOM(c->err);
    for (i = 0; i < rc->nmdeps; i++) {
        const struct helm_rdep *md = &rc->mdeps[i];
        const struct fth_value *iv = md->dep->import_values;

        for (j = 0; iv && iv->type == FTH_VALUE_SEQ && j < iv->u.seq.len; j++) {
            const struct fth_value *item = iv->u.seq.items[j];
            const char *child, *parent;
            struct fth_value *vv, *src;
            const char *p;

            if (item->type == FTH_VALUE_MAP) {
                child = fth_value_str(fth_value_get(item, "child"));
                parent = fth_value_str(fth_value_get(item, "parent"));
                if (!child || !parent)
                    continue;
            } else if (item->type == FTH_VALUE_STRING) {
                child = fth_arena_printf(c->a, "exports.%s", item->u.str.ptr);
                parent = ".";
            } else {
                continue;
            }
            if (!child || !(p = fth_arena_printf(c->a, "%s.%s", md->name, child)))
                return OOM(c->err);
            if (!(vv = table(cvals, p, strlen(p)))) {
                fth_buf_printf(c->warnings,
                               "Warning: ImportValues missing table from chart %s: "
                               "%s\n",
                               md->name, p);
                continue;
            }
            if (!(src = path_to_map(c->a, parent, fth_helm_values_copy(c->a, vv))))
                return OOM(c->err);
            if ((error = helm_coalesce_tables(c, b, src, "", 1)) < 0)
                return OOM(c->err);
        }
    }
    if (!(cvals = fth_helm_values_copy(c->a, cvals)) ||
        helm_coalesce_tables(c, cvals, b, "", 1) < 0)
        return OOM(c->err);
    rc->values = cvals;
    return 0;
}

int fth_helm_values_coalesce(struct fth_value **out, struct fth_arena *a,
                             const struct fth_chart *chart, const struct fth_value *vals,
                             struct fth_buf *warnings, struct fth_error *err)
{
    struct helm_rchart *rc;
    struct helm_coalesce c = {a, warnings, err};
    int error;

    *out = NULL;
    if ((error = build_tree(&rc, a, NULL, chart, chart->metadata.name, NULL, 0, err)) < 0)
        return error;
    return coalesce_copy(out, &c, rc, vals, 0);
}

/* ---- merging the user's value options ---- */

static int read_path(struct fth_buf *out, const char *path, struct fth_error *err)
{
    if (!strcmp(path, "-")) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
            if (out->len + n > FTH_LIMIT_CHART_FILE_SIZE * 4)
                return fth_error_set(err, FTH_ELIMIT, "stdin: values larger than the limit");
            if (fth_buf_put(out, chunk, n) < 0)
                return OOM(err);
        }
        return 0;
    }
    if (fth_file_read(out, path, FTH_LIMIT_CHART_FILE_SIZE * 4, err) < 0)
        return fth_error_set(err, FTH_EIO, "open %s: no such file or directory", path);
    return 0;
}

static int file_reader(const char **data, size_t *len, const char *path, void *user, char *msg,
                       size_t msgsize)
{
    struct fth_arena *a = user;
    struct fth_buf b;
    struct fth_error e;
    fth_buf_init(&b);
    if (read_path(&b, path, &e) < 0) {
        snprintf(msg, msgsize, "%s", e.message);
        fth_buf_release(&b);
        return FTH_EIO;
    }
    *data = fth_arena_strndup(a, b.ptr, b.len);
    *len = b.len;
    fth_buf_release(&b);
    return *data ? 0 : FTH_ENOMEM;
}

int fth_helm_values_merge(struct fth_value **out, struct fth_arena *a,
                          const struct fth_helm_value_opts *opts, struct fth_error *err)
{
    static const enum fth_helm_set_kind order[] = {FTH_HELM_SET_JSON, FTH_HELM_SET,
                                                   FTH_HELM_SET_STRING, FTH_HELM_SET_FILE,
                                                   FTH_HELM_SET_LITERAL};
    static const char *const flag[] = {"--set", "--set-string", "--set-file", "--set-json",
                                       "--set-literal"};
    struct fth_value *base = fth_tmpl_map(a, 8);
    size_t i, k;
    int error = 0;

    *out = NULL;
    if (!base)
        return OOM(err);
    for (i = 0; i < opts->nfiles; i++) {
        struct fth_buf b;
        struct fth_value *cur;
        struct fth_error e;
        fth_buf_init(&b);
        if ((error = read_path(&b, opts->files[i], err)) < 0) {
            fth_buf_release(&b);
            return error;
        }
        error = fth_helm_values_parse(&cur, a, b.ptr, b.len, opts->files[i], &e);
        fth_buf_release(&b);
        if (error < 0)
            return fth_error_set(err, error, "failed to parse %s: %s", opts->files[i], e.message);
        if ((error = fth_helm_values_merge_maps(base, a, cur)) < 0)
            return OOM(err);
    }
    for (k = 0; k < 5; k++) {
        enum fth_helm_set_kind kind = order[k];
        for (i = 0; i < opts->nset[kind]; i++) {
            const char *s = opts->set[kind][i];
            struct fth_error e;
            const char *t = s;

            while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
                t++;
            if (kind == FTH_HELM_SET_JSON && *t == '{') {
                struct fth_value *m = NULL;
                if (fth_helm_values_parse(&m, a, t, strlen(t), "--set-json", &e) < 0)
                    return fth_error_set(err, FTH_EINVALID,
                                         "failed parsing --set-json data JSON: %s", s);
                if (fth_helm_values_merge_maps(base, a, m) < 0)
                    return OOM(err);
                continue;
            }
            if ((error = fth_helm_strvals_parse(base, a, kind, s, strlen(s), file_reader, a, &e)) <
                0) {
                if (kind == FTH_HELM_SET_JSON)
                    return fth_error_set(err, error, "failed parsing --set-json data %s", s);
                return fth_error_set(err, error, "failed parsing %s data: %s", flag[kind],
                                     e.message);
            }
        }
    }
    *out = base;
    return 0;
}

/* ---- render values ---- */

/* Kubernetes group/versions `helm template` assumes (client-go's scheme + apiextensions). */
static const char *const default_apis[] = {"v1",
                                           "admissionregistration.k8s.io/v1",
                                           "admissionregistration.k8s.io/v1alpha1",
                                           "admissionregistration.k8s.io/v1beta1",
                                           "internal.apiserver.k8s.io/v1alpha1",
                                           "apps/v1",
                                           "apps/v1beta1",
                                           "apps/v1beta2",
                                           "authentication.k8s.io/v1",
                                           "authentication.k8s.io/v1alpha1",
                                           "authentication.k8s.io/v1beta1",
                                           "authorization.k8s.io/v1",
                                           "authorization.k8s.io/v1beta1",
                                           "autoscaling/v1",
                                           "autoscaling/v2",
                                           "autoscaling/v2beta1",
                                           "autoscaling/v2beta2",
                                           "batch/v1",
                                           "batch/v1beta1",
                                           "certificates.k8s.io/v1",
                                           "certificates.k8s.io/v1alpha1",
                                           "certificates.k8s.io/v1beta1",
                                           "coordination.k8s.io/v1",
                                           "coordination.k8s.io/v1alpha2",
                                           "coordination.k8s.io/v1beta1",
                                           "discovery.k8s.io/v1",
                                           "discovery.k8s.io/v1beta1",
                                           "events.k8s.io/v1",
                                           "events.k8s.io/v1beta1",
                                           "extensions/v1beta1",
                                           "flowcontrol.apiserver.k8s.io/v1",
                                           "flowcontrol.apiserver.k8s.io/v1beta1",
                                           "flowcontrol.apiserver.k8s.io/v1beta2",
                                           "flowcontrol.apiserver.k8s.io/v1beta3",
                                           "networking.k8s.io/v1",
                                           "networking.k8s.io/v1alpha1",
                                           "networking.k8s.io/v1beta1",
                                           "node.k8s.io/v1",
                                           "node.k8s.io/v1alpha1",
                                           "node.k8s.io/v1beta1",
                                           "policy/v1",
                                           "policy/v1beta1",
                                           "rbac.authorization.k8s.io/v1",
                                           "rbac.authorization.k8s.io/v1alpha1",
                                           "rbac.authorization.k8s.io/v1beta1",
                                           "resource.k8s.io/v1alpha3",
                                           "resource.k8s.io/v1beta1",
                                           "scheduling.k8s.io/v1",
                                           "scheduling.k8s.io/v1alpha1",
                                           "scheduling.k8s.io/v1beta1",
                                           "storage.k8s.io/v1",
                                           "storage.k8s.io/v1alpha1",
                                           "storage.k8s.io/v1beta1",
                                           "storagemigration.k8s.io/v1alpha1",
                                           "apiextensions.k8s.io/v1",
                                           "apiextensions.k8s.io/v1beta1",
                                           NULL};

struct render_ctx {
    struct fth_arena *a;
    struct fth_error *err;
    const struct fth_helm_render_opts *opts;
    struct fth_value *release, *caps;
    const char *kube_version; /* normalised: "v1.20.0" */
    struct fth_tmpl_set *set;
    int set_cached;      /* the set belongs to opts->cache */
    struct fth_vec tpls; /* struct tpl * */
};

struct tpl {
    const char *name, *base_path;
    const struct fth_chart_file *file;
    struct fth_value *ctx;
    int library;
    int slashes;
    struct fth_buf out;
    int rendered;
};

static int sset(struct fth_arena *a, struct fth_value *m, const char *k, const char *v)
{
    struct fth_value *s = fth_tmpl_str(a, v ? v : "", v ? strlen(v) : 0);
    return s ? fth_tmpl_map_set(a, m, k, strlen(k), s) : FTH_ENOMEM;
}

static int vset(struct fth_arena *a, struct fth_value *m, const char *k, struct fth_value *v)
{
    return v ? fth_tmpl_map_set(a, m, k, strlen(k), v) : FTH_ENOMEM;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* A chart file that Helm keeps in chart.Files (not metadata, values, templates or charts/). */
static int is_plain_file(const char *p)
{
    return strcmp(p, "Chart.yaml") && strcmp(p, "values.yaml") && strcmp(p, "values.schema.json") &&
           strcmp(p, "requirements.yaml") && strcmp(p, "requirements.lock") &&
           strcmp(p, "Chart.lock") && strncmp(p, "templates/", 10) &&
           (strncmp(p, "charts/", 7) || ends_with(p, ".prov"));
}

/* ---- .Files ---- */

struct files {
    const struct fth_chart_file **f;
    size_t n;
};

/* gobwas/glob with '/' as the separator: * ? [..] {a,b} within a segment, ** across. */
static int glob_match(const char *p, const char *s)
{
    for (; *p; p++) {
        switch (*p) {
        case '*':
            if (p[1] == '*') {
                for (;; s++) {
                    if (glob_match(p + 2, s))
                        return 1;
                    if (!*s)
                        return 0;
                }
            }
            for (;; s++) {
                if (glob_match(p + 1, s))
                    return 1;
                if (!*s || *s == '/')
                    return 0;
            }
        case '?':
            if (!*s || *s == '/')
                return 0;
            s++;
            break;
        case '[': {
            const char *q = p + 1;
            int neg = *q == '!' || *q == '^', ok = 0;
            if (neg)
                q++;
            for (; *q && *q != ']'; q++) {
                if (q[1] == '-' && q[2] && q[2] != ']') {
                    if (*s >= *q && *s <= q[2])
                        ok = 1;
                    q += 2;
                } else if (*q == *s) {
                    ok = 1;
                }
            }
            if (!*q || !*s || ok == neg)
                return 0;
            p = q;
            s++;
            break;
        }
        case '{': {
            const char *q = p + 1, *close = strchr(p, '}');
            if (!close)
                return *s == '{' ? glob_match(p + 1, s + 1) : 0;
            while (q <= close) {
                const char *e = q;
                char buf[1024];
                size_t n;
                while (e < close && *e != ',')
                    e++;
                n = (size_t)(e - q);
                if (n + strlen(close + 1) < sizeof(buf)) {
                    memcpy(buf, q, n);
                    memcpy(buf + n, close + 1, strlen(close + 1) + 1);
                    if (glob_match(buf, s))
                        return 1;
                }
                q = e + 1;
            }
            return 0;
        }
        default:
            if (*p == '\\' && p[1])
                p++;
            if (*s != *p)
                return 0;
            s++;
        }
    }
    return !*s;
}

static struct fth_value *files_value(struct fth_arena *a, struct files *f);

static struct files *files_of(const struct fth_tmpl_call *call)
{
    return call->recv;
}

static int f_get(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                 size_t argc)
{
    struct files *f = files_of(call);
    size_t i;
    (void)argc;
    for (i = 0; i < f->n; i++)
        if (!strcmp(f->f[i]->path, args[0]->u.str.ptr)) {
            *out = fth_tmpl_str(call->arena, (const char *)f->f[i]->data, f->f[i]->len);
            return *out ? 0 : FTH_ENOMEM;
        }
    *out = fth_tmpl_str(call->arena, "", 0);
    return *out ? 0 : FTH_ENOMEM;
}

static int f_getbytes(struct fth_value **out, struct fth_tmpl_call *call,
                      struct fth_value *const *args, size_t argc)
{
    struct files *f = files_of(call);
    size_t i;
    (void)argc;
    for (i = 0; i < f->n; i++)
        if (!strcmp(f->f[i]->path, args[0]->u.str.ptr)) {
            *out = fth_tmpl_bytes(call->arena, f->f[i]->data, f->f[i]->len);
            return *out ? 0 : FTH_ENOMEM;
        }
    *out = fth_tmpl_bytes(call->arena, "", 0);
    return *out ? 0 : FTH_ENOMEM;
}

static int f_lines(struct fth_value **out, struct fth_tmpl_call *call,
                   struct fth_value *const *args, size_t argc)
{
    struct files *f = files_of(call);
    size_t i;
    (void)argc;
    if (!(*out = fth_tmpl_seq(call->arena, 4)))
        return FTH_ENOMEM;
    for (i = 0; i < f->n; i++) {
        const char *s, *e, *end;
        size_t len;
        if (strcmp(f->f[i]->path, args[0]->u.str.ptr) != 0)
            continue;
        s = (const char *)f->f[i]->data;
        len = f->f[i]->len;
        if (!len)
            break;
        if (s[len - 1] == '\n')
            len--;
        end = s + len;
        for (;;) {
            e = memchr(s, '\n', (size_t)(end - s));
            if (fth_tmpl_seq_push(call->arena, *out,
                                  fth_tmpl_str(call->arena, s, (size_t)((e ? e : end) - s))) < 0)
                return FTH_ENOMEM;
            if (!e)
                break;
            s = e + 1;
        }
        break;
    }
    return 0;
}

static int f_glob(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                  size_t argc)
{
    struct files *f = files_of(call), *g = fth_arena_calloc(call->arena, 1, sizeof(*g));
    size_t i;
    (void)argc;
    if (!g || !(g->f = fth_arena_calloc(call->arena, f->n + 1, sizeof(*g->f))))
        return FTH_ENOMEM;
    for (i = 0; i < f->n; i++)
        if (glob_match(args[0]->u.str.ptr, f->f[i]->path))
            g->f[g->n++] = f->f[i];
    *out = files_value(call->arena, g);
    return *out ? 0 : FTH_ENOMEM;
}

static void b64(struct fth_buf *o, const unsigned char *d, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;
    for (i = 0; i + 2 < n; i += 3) {
        fth_buf_putc(o, t[d[i] >> 2]);
        fth_buf_putc(o, t[((d[i] & 3) << 4) | (d[i + 1] >> 4)]);
        fth_buf_putc(o, t[((d[i + 1] & 15) << 2) | (d[i + 2] >> 6)]);
        fth_buf_putc(o, t[d[i + 2] & 63]);
    }
    if (n - i == 1) {
        fth_buf_putc(o, t[d[i] >> 2]);
        fth_buf_putc(o, t[(d[i] & 3) << 4]);
        fth_buf_puts(o, "==");
    } else if (n - i == 2) {
        fth_buf_putc(o, t[d[i] >> 2]);
        fth_buf_putc(o, t[((d[i] & 3) << 4) | (d[i + 1] >> 4)]);
        fth_buf_putc(o, t[(d[i + 1] & 15) << 2]);
        fth_buf_putc(o, '=');
    }
}

static int as_map(struct fth_value **out, struct fth_tmpl_call *call, int secrets)
{
    struct files *f = files_of(call);
    struct fth_value *m = fth_tmpl_map(call->arena, f->n);
    struct fth_buf b;
    size_t i;
    int error = 0;

    if (!m)
        return FTH_ENOMEM;
    fth_buf_init(&b);
    for (i = 0; i < f->n && !error; i++) {
        const char *bn = base_name(f->f[i]->path);
        struct fth_value *v;
        if (secrets) {
            fth_buf_clear(&b);
            b64(&b, f->f[i]->data, f->f[i]->len);
            v = fth_tmpl_str(call->arena, b.ptr, b.len);
        } else {
            v = fth_tmpl_str(call->arena, (const char *)f->f[i]->data, f->f[i]->len);
        }
        error = v ? fth_tmpl_map_set(call->arena, m, bn, strlen(bn), v) : FTH_ENOMEM;
    }
    fth_buf_clear(&b);
    /* Helm's toYAML (sigs.k8s.io/yaml, trailing newline cut): the engine's own toYaml */
    if (!error && f->n &&
        (error = fth_tmpl_call_text(&b, call, "files", "{{ toYaml . }}", 14, m, NULL)) < 0)
        error = fth_tmpl_fail(call, "%s", fth_tmpl_call_error(call));
    if (!error && !(*out = fth_tmpl_str(call->arena, b.ptr, b.len)))
        error = FTH_ENOMEM;
    fth_buf_release(&b);
    return error;
}

static int f_asconfig(struct fth_value **out, struct fth_tmpl_call *call,
                      struct fth_value *const *args, size_t argc)
{
    (void)args;
    (void)argc;
    return as_map(out, call, 0);
}

static int f_assecrets(struct fth_value **out, struct fth_tmpl_call *call,
                       struct fth_value *const *args, size_t argc)
{
    (void)args;
    (void)argc;
    return as_map(out, call, 1);
}

static const struct fth_tmpl_func files_methods[] = {
    {"Get", "s", f_get, NULL},
    {"GetBytes", "s", f_getbytes, NULL},
    {"Glob", "s", f_glob, NULL},
    {"AsConfig", "", f_asconfig, NULL},
    {"AsSecrets", "", f_assecrets, NULL},
    {"Lines", "s", f_lines, NULL},
    {NULL, NULL, NULL, NULL},
};

/*
 * Helm's Files is a map[string][]byte with methods: an opaque MAP holding the files (for range
 * and index) and the method values (for .Files.Get ...). The template engine finds methods of
 * a map by their keys, so they are keys too.
 */
static struct fth_value *files_value(struct fth_arena *a, struct files *f)
{
    struct fth_tmpl_ext *e = fth_tmpl_opaque_new(a, FTH_VALUE_MAP, "engine.files", NULL, f);
    struct fth_value *m;
    size_t i;
    if (!e)
        return NULL;
    m = &e->v;
    for (i = 0; i < f->n; i++)
        if (vset(a, m, f->f[i]->path, fth_tmpl_bytes(a, f->f[i]->data, f->f[i]->len)) < 0)
            return NULL;
    for (i = 0; files_methods[i].name; i++)
        if (vset(a, m, files_methods[i].name, fth_tmpl_method_new(a, &files_methods[i], f)) < 0)
            return NULL;
    return m;
}

/* ---- .Capabilities ---- */

static int f_has(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                 size_t argc)
{
    const struct fth_helm_render_opts *o = call->recv;
    const char *want = args[0]->u.str.ptr;
    size_t i;
    int has = 0;
    (void)argc;
    for (i = 0; default_apis[i] && !has; i++)
        has = !strcmp(default_apis[i], want);
    for (i = 0; i < o->napi_versions && !has; i++)
        has = !strcmp(o->api_versions[i], want);
    *out = fth_tmpl_bool(call->arena, has);
    return *out ? 0 : FTH_ENOMEM;
}

static const struct fth_tmpl_func has_method = {"Has", "s", f_has, NULL};

/*
 * Masterminds semver's NewVersion as --kube-version goes through it: "v" optional, minor and
 * patch default to 0, then "v<major>.<minor>.<patch>[-pre][+meta]"; *major and *minor are
 * the numbers as text. NULL when it is not a version.
 */
static const char *kube_version(struct fth_arena *a, const char *in, const char **major,
                                const char **minor)
{
    unsigned long long part[3] = {0, 0, 0};
    const char *p = in + (*in == 'v' || *in == 'V');
    int n = 0;

    while (n < 3) {
        char *end;
        if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
            return NULL;
        part[n++] = strtoull(p, &end, 10);
        p = end;
        if (*p != '.')
            break;
        p++;
    }
    if (*p && *p != '-' && *p != '+')
        return NULL;
    *major = fth_arena_printf(a, "%llu", part[0]);
    *minor = fth_arena_printf(a, "%llu", part[1]);
    return fth_arena_printf(a, "v%llu.%llu.%llu%s", part[0], part[1], part[2], p);
}

static int make_caps(struct render_ctx *r)
{
    struct fth_arena *a = r->a;
    const char *in = r->opts->kube_version ? r->opts->kube_version : "v1.20.0";
    const char *major = NULL, *minor = NULL, *kv;
    struct fth_value *kube, *apis, *helm, *list;
    size_t i;

    if (!(kv = kube_version(a, in, &major, &minor)))
        return fth_error_set(r->err, FTH_EINVALID,
                             "invalid kube version '%s': Invalid Semantic Version", in);
    if (!major || !minor || !(kube = fth_tmpl_struct_new(a, "chartutil.KubeVersion", 4)) ||
        sset(a, kube, "Version", kv) < 0 || sset(a, kube, "Major", major) < 0 ||
        sset(a, kube, "Minor", minor) < 0 || sset(a, kube, "GitVersion", kv) < 0)
        return OOM(r->err);
    r->kube_version = kv;
    fth_tmpl_ext_of(kube)->text = kv;
    if (!(apis = fth_tmpl_struct_new(a, "chartutil.VersionSet", 2)) ||
        vset(a, apis, "Has", fth_tmpl_method_new(a, &has_method, (void *)(uintptr_t)r->opts)) < 0)
        return OOM(r->err);
    if (!(list = fth_tmpl_seq(a, 64)))
        return OOM(r->err);
    for (i = 0; default_apis[i]; i++)
        fth_tmpl_seq_push(a, list, fth_tmpl_str(a, default_apis[i], strlen(default_apis[i])));
    for (i = 0; i < r->opts->napi_versions; i++)
        fth_tmpl_seq_push(
            a, list, fth_tmpl_str(a, r->opts->api_versions[i], strlen(r->opts->api_versions[i])));
    if (!(helm = fth_tmpl_struct_new(a, "chartutil.HelmVersion", 4)) ||
        sset(a, helm, "Version", "v3.21.4") < 0 ||
        sset(a, helm, "GitCommit", "813176c51bb5c181dbbd7901298ddcc104cd3417") < 0 ||
        sset(a, helm, "GitTreeState", "clean") < 0 || sset(a, helm, "GoVersion", "go1.24") < 0)
        return OOM(r->err);
    if (!(r->caps = fth_tmpl_struct_new(a, "chartutil.Capabilities", 3)) ||
        vset(a, r->caps, "KubeVersion", kube) < 0 || vset(a, r->caps, "APIVersions", apis) < 0 ||
        vset(a, r->caps, "HelmVersion", helm) < 0)
        return OOM(r->err);
    return 0;
}

/* ---- .Chart ---- */

static struct fth_value *str_list(struct fth_arena *a, const struct fth_value *v)
{
    struct fth_value *l = fth_tmpl_seq(a, v ? v->u.seq.len : 0);
    size_t i;
    for (i = 0; l && v && v->type == FTH_VALUE_SEQ && i < v->u.seq.len; i++) {
        const char *s = fth_value_str(v->u.seq.items[i]);
        if (fth_tmpl_seq_push(a, l, fth_tmpl_str(a, s ? s : "", s ? strlen(s) : 0)) < 0)
            return NULL;
    }
    return l;
}

static struct fth_value *chart_value(struct fth_arena *a, const struct helm_rchart *rc, int root)
{
    const struct fth_chart_metadata *md = &rc->chart->metadata;
    struct fth_value *c = fth_tmpl_struct_new(a, "chart.Metadata", 24), *ann, *mts, *deps;
    size_t i;

    if (!c || sset(a, c, "Name", rc->name) < 0 || sset(a, c, "Home", md->home) < 0 ||
        vset(a, c, "Sources", str_list(a, md->sources)) < 0 ||
        sset(a, c, "Version", md->version) < 0 || sset(a, c, "Description", md->description) < 0 ||
        vset(a, c, "Keywords", str_list(a, md->keywords)) < 0 || sset(a, c, "Icon", md->icon) < 0 ||
        sset(a, c, "APIVersion", md->api_version) < 0 ||
        sset(a, c, "Condition", md->condition) < 0 || sset(a, c, "Tags", md->tags) < 0 ||
        sset(a, c, "AppVersion", md->app_version) < 0 ||
        vset(a, c, "Deprecated", fth_tmpl_bool(a, md->deprecated)) < 0 ||
        sset(a, c, "KubeVersion", md->kube_version) < 0 || sset(a, c, "Type", md->type) < 0 ||
        vset(a, c, "IsRoot", fth_tmpl_bool(a, root)) < 0)
        return NULL;
    if (!(ann = fth_tmpl_map(a, md->annotations ? md->annotations->u.map.len : 0)))
        return NULL;
    for (i = 0; md->annotations && i < md->annotations->u.map.len; i++) {
        const struct fth_member *m = &md->annotations->u.map.items[i];
        const char *k = fth_value_str(m->key), *v = fth_value_str(m->value);
        if (k && sset(a, ann, k, v) < 0)
            return NULL;
    }
    if (!(mts = fth_tmpl_seq(a, md->nmaintainers)))
        return NULL;
    for (i = 0; i < md->nmaintainers; i++) {
        struct fth_value *m = fth_tmpl_struct_new(a, "*chart.Maintainer", 3);
        if (!m || sset(a, m, "Name", md->maintainers[i].name) < 0 ||
            sset(a, m, "Email", md->maintainers[i].email) < 0 ||
            sset(a, m, "URL", md->maintainers[i].url) < 0 || fth_tmpl_seq_push(a, mts, m) < 0)
            return NULL;
    }
    if (!(deps = fth_tmpl_seq(a, rc->nmdeps)))
        return NULL;
    for (i = 0; i < rc->nmdeps; i++) {
        const struct fth_chart_dependency *d = rc->mdeps[i].dep;
        struct fth_value *m = fth_tmpl_struct_new(a, "*chart.Dependency", 8), *iv = NULL;
        if (d->import_values && fth_helm_values_from_yaml(&iv, a, d->import_values, 0) < 0)
            return NULL;
        if (!m || sset(a, m, "Name", rc->mdeps[i].name) < 0 ||
            sset(a, m, "Version", d->version) < 0 || sset(a, m, "Repository", d->repository) < 0 ||
            sset(a, m, "Condition", d->condition) < 0 ||
            vset(a, m, "Tags", str_list(a, d->tags)) < 0 ||
            vset(a, m, "Enabled", fth_tmpl_bool(a, rc->mdeps[i].enabled)) < 0 ||
            vset(a, m, "ImportValues", iv ? iv : fth_tmpl_seq(a, 0)) < 0 ||
            sset(a, m, "Alias", d->alias) < 0 || fth_tmpl_seq_push(a, deps, m) < 0)
            return NULL;
    }
    if (vset(a, c, "Annotations", ann) < 0 || vset(a, c, "Maintainers", mts) < 0 ||
        vset(a, c, "Dependencies", deps) < 0)
        return NULL;
    return c;
}

/* ---- templates ---- */

/* engine.recAllTpls: the per-chart values and the templates to parse. */
static int all_tpls(struct render_ctx *r, const struct helm_rchart *rc, struct fth_value *values,
                    int root, struct fth_value **next_out)
{
    struct fth_arena *a = r->a;
    struct fth_value *next = fth_tmpl_map(a, 8), *subs = fth_tmpl_map(a, rc->ndeps);
    struct files *files = fth_arena_calloc(a, 1, sizeof(*files));
    const struct fth_chart *c = rc->chart;
    const char *bp;
    size_t i;
    int error;

    if (!next || !subs || !files ||
        !(files->f = fth_arena_calloc(a, c->nfiles + 1, sizeof(*files->f))))
        return OOM(r->err);
    for (i = 0; i < c->nfiles; i++)
        if (is_plain_file(c->files[i].path))
            files->f[files->n++] = &c->files[i];
    if (vset(a, next, "Chart", chart_value(a, rc, root)) < 0 ||
        vset(a, next, "Files", files_value(a, files)) < 0 ||
        vset(a, next, "Release", r->release) < 0 || vset(a, next, "Capabilities", r->caps) < 0 ||
        vset(a, next, "Subcharts", subs) < 0)
        return OOM(r->err);
    if (root) {
        error = vset(a, next, "Values", fth_tmpl_map_get(values, "Values", 6));
    } else {
        struct fth_value *pv = fth_tmpl_map_get(values, "Values", 6);
        struct fth_value *t = pv ? table(pv, rc->name, strlen(rc->name)) : NULL;
        error = vset(a, next, "Values", t ? t : fth_tmpl_map(a, 0));
    }
    if (error < 0)
        return OOM(r->err);
    for (i = 0; i < rc->ndeps; i++) {
        struct fth_value *child;
        if ((error = all_tpls(r, rc->deps[i], next, 0, &child)) < 0)
            return error;
        if (vset(a, subs, rc->deps[i]->name, child) < 0)
            return OOM(r->err);
    }
    if (!(bp = fth_arena_printf(a, "%s/templates", rc->fullpath)))
        return OOM(r->err);
    for (i = 0; i < c->ntemplates; i++) {
        struct tpl *t = fth_arena_calloc(a, 1, sizeof(*t));
        const char *p;
        int lib = c->metadata.type && !strcmp(c->metadata.type, "library");
        if (!t)
            return OOM(r->err);
        if (lib && base_name(c->templates[i]->path)[0] != '_')
            continue;
        t->file = c->templates[i];
        t->name = fth_arena_printf(a, "%s/%s", rc->fullpath, c->templates[i]->path);
        t->base_path = bp;
        t->ctx = next;
        if (!t->name || fth_vec_push(&r->tpls, a, t) < 0)
            return OOM(r->err);
        for (p = t->name; *p; p++)
            t->slashes += *p == '/';
        fth_buf_init(&t->out);
    }
    *next_out = next;
    return 0;
}

/* sortTemplates: deeper paths first, then reverse lexical order. */
static int cmp_tpl(const void *x, const void *y)
{
    const struct tpl *p = *(struct tpl *const *)x, *q = *(struct tpl *const *)y;
    if (p->slashes != q->slashes)
        return q->slashes - p->slashes;
    return strcmp(q->name, p->name);
}

/* Helm's cleanupParseError: "parse error at (LOCATION): MESSAGE". */
static int parse_error(struct render_ctx *r, const char *name, const char *msg)
{
    const char *first = strstr(msg, ": ");
    const char *second = first ? strstr(first + 2, ": ") : NULL;
    const char *last = msg, *p;
    if (!first)
        return fth_error_set(r->err, FTH_EINVALID, "parse error in (%s): %s", name, msg);
    for (p = msg; (p = strstr(p, ": ")); p += 2)
        last = p + 2;
    return fth_error_set(r->err, FTH_EINVALID, "parse error at (%.*s): %s",
                         (int)((second ? second : msg + strlen(msg)) - first - 2), first + 2, last);
}

/* Helm's reformatExecErrorMsg: `fail`/`required` messages are marked; others stay Go's. */
static int exec_error(struct render_ctx *r, struct fth_helm_render *out, const char *name,
                      const char *msg)
{
    /* Helm marks the messages of fail and required; ours are found by the call's name */
    const char *first = strstr(msg, ": ");
    const char *second = first ? strstr(first + 2, ": ") : NULL;
    const char *req = second ? strstr(second, "error calling required: ") : NULL;
    const char *fail = second ? strstr(second, "error calling fail: ") : NULL;
    const char *mark = req && (!fail || req < fail) ? req + 24 : fail ? fail + 20 : NULL;

    fth_buf_clear(&out->errtext);
    if (!first || !second) {
        fth_buf_printf(&out->errtext, "execution error in (%s): %s", name, msg);
    } else if (mark) {
        fth_buf_printf(&out->errtext, "execution error at (%.*s): %s", (int)(second - first - 2),
                       first + 2, mark);
    } else {
        fth_buf_puts(&out->errtext, msg);
    }
    return fth_error_set(r->err, FTH_EINVALID, "%s", out->errtext.ptr);
}

/* ---- output assembly (releaseutil.SortManifests) ---- */

static const char *const install_order[] = {"PriorityClass",
                                            "Namespace",
                                            "NetworkPolicy",
                                            "ResourceQuota",
                                            "LimitRange",
                                            "PodSecurityPolicy",
                                            "PodDisruptionBudget",
                                            "ServiceAccount",
                                            "Secret",
                                            "SecretList",
                                            "ConfigMap",
                                            "StorageClass",
                                            "PersistentVolume",
                                            "PersistentVolumeClaim",
                                            "CustomResourceDefinition",
                                            "ClusterRole",
                                            "ClusterRoleList",
                                            "ClusterRoleBinding",
                                            "ClusterRoleBindingList",
                                            "Role",
                                            "RoleList",
                                            "RoleBinding",
                                            "RoleBindingList",
                                            "Service",
                                            "DaemonSet",
                                            "Pod",
                                            "ReplicationController",
                                            "ReplicaSet",
                                            "Deployment",
                                            "HorizontalPodAutoscaler",
                                            "StatefulSet",
                                            "Job",
                                            "CronJob",
                                            "IngressClass",
                                            "Ingress",
                                            "APIService",
                                            NULL};

static const char *const hook_events[] = {
    "pre-install",  "post-install",  "pre-delete", "post-delete",  "pre-upgrade", "post-upgrade",
    "pre-rollback", "post-rollback", "test",       "test-success", NULL};

static int kind_rank(const char *k)
{
    int i;
    for (i = 0; k && install_order[i]; i++)
        if (!strcmp(install_order[i], k))
            return i;
    return -1;
}

struct ment {
    struct fth_helm_manifest m;
    size_t seq;
    int rank;
};

static int cmp_ment(const void *x, const void *y)
{
    const struct ment *p = x, *q = y;
    if (p->rank < 0 && q->rank < 0) {
        int c = strcmp(p->m.kind ? p->m.kind : "", q->m.kind ? q->m.kind : "");
        if (c)
            return c;
    } else if (p->rank != q->rank) {
        if (p->rank < 0)
            return 1;
        if (q->rank < 0)
            return -1;
        return p->rank - q->rank;
    }
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}

static int go_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int trim_space(char c)
{
    return go_space(c) || c == '\v';
}

/*
 * go-yaml's text for a document that does not parse: libyaml's problem (go-yaml is its port)
 * with go-yaml's line choice: the problem mark (+1 for scanner errors), else the context mark.
 * Falls back to our loader's message when libyaml accepts the document.
 */
static const char *yaml_message(struct fth_arena *a, const char *text, size_t len,
                                const struct fth_error *e)
{
    yaml_parser_t p;
    yaml_event_t ev;
    const char *r = NULL;
    size_t events = 0;

    if (!yaml_parser_initialize(&p))
        return "yaml: out of memory";
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    while (events++ < FTH_LIMIT_NODES * 2) {
        int end;
        if (!yaml_parser_parse(&p, &ev)) {
            size_t line = 0;
            if (p.problem_mark.line) {
                line = p.problem_mark.line;
                if (p.error == YAML_SCANNER_ERROR)
                    line++;
            } else if (p.context_mark.line) {
                line = p.context_mark.line;
            }
            if (line)
                r = fth_arena_printf(a, "yaml: line %zu: %s", line,
                                     p.problem ? p.problem
                                               : "unknown problem parsing YAML content");
            else
                r = fth_arena_printf(
                    a, "yaml: %s", p.problem ? p.problem : "unknown problem parsing YAML content");
            break;
        }
        end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    if (r)
        return r;
    if (e->line)
        return fth_arena_printf(a, "yaml: line %u: %s", e->line, e->message);
    return fth_arena_printf(a, "yaml: %s", e->message);
}

struct sorter {
    struct fth_arena *a;
    struct fth_vec generic, hooks; /* struct ment * */
    size_t seq;
    struct fth_buf *warnings;
};

static unsigned line_of(const char *text, const char *at)
{
    unsigned n = 1;
    for (; text < at; text++)
        n += *text == '\n';
    return n;
}

static int add_doc(struct sorter *s, struct render_ctx *r, const char *path, const char *base,
                   const char *d, size_t len)
{
    struct ment *m = fth_arena_calloc(s->a, 1, sizeof(*m));
    struct fth_value *doc = NULL;
    struct fth_load_opts lo = FTH_LOAD_OPTS_INIT;
    struct fth_error ye;
    const struct fth_value *md, *ann, *hook;
    const char *hv, *p;
    int unknown = 0, test = 0;

    while (len && trim_space(*d))
        d++, len--;
    while (len && trim_space(d[len - 1]))
        len--;
    if (!m || !(m->m.content = fth_arena_strndup(s->a, d, len)))
        return OOM(r->err);
    m->m.source = path;
    m->m.len = len;
    m->m.line = line_of(base, d);
    lo.name = path;
    memset(&ye, 0, sizeof(ye));
    if (fth_value_load_one(&doc, s->a, m->m.content, m->m.len, &lo, &ye) < 0)
        return fth_error_set(r->err, FTH_EINVALID,
                             "YAML parse error on %s: error converting YAML to JSON: %s", path,
                             yaml_message(s->a, m->m.content, m->m.len, &ye));
    m->m.doc = doc;
    m->m.kind = fth_value_str(fth_value_get(doc, "kind"));
    md = fth_value_get(doc, "metadata");
    m->m.name = fth_value_str(fth_value_get(md, "name"));
    ann = fth_value_get(md, "annotations");
    hook = fth_value_get(ann, "helm.sh/hook");
    m->rank = kind_rank(m->m.kind);
    m->seq = s->seq++;
    if (s->seq > FTH_LIMIT_HELM_MANIFESTS)
        return fth_error_set(r->err, FTH_ELIMIT, "more than %d manifests (limit)",
                             FTH_LIMIT_HELM_MANIFESTS);
    if (!hook)
        return fth_vec_push(&s->generic, s->a, m) < 0 ? OOM(r->err) : 0;
    hv = fth_value_str(hook);
    p = hv ? hv : "";
    for (;;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p), q;
        char ev[64];
        int found = 0;
        while (n && trim_space(*p))
            p++, n--;
        while (n && trim_space(p[n - 1]))
            n--;
        if (n >= sizeof(ev))
            n = sizeof(ev) - 1;
        for (q = 0; q < n; q++)
            ev[q] = (char)((p[q] >= 'A' && p[q] <= 'Z') ? p[q] + 32 : p[q]);
        ev[n] = 0;
        for (q = 0; hook_events[q]; q++)
            found |= !strcmp(hook_events[q], ev);
        if (!found) {
            unknown = 1;
            break;
        }
        test |= !strcmp(ev, "test") || !strcmp(ev, "test-success");
        if (!c)
            break;
        p = c + 1;
    }
    if (unknown) {
        fth_buf_printf(s->warnings, "info: skipping unknown hook: \"%s\"\n", hv ? hv : "");
        return 0;
    }
    m->m.hook = 1;
    m->m.test = test;
    return fth_vec_push(&s->hooks, s->a, m) < 0 ? OOM(r->err) : 0;
}

/* SplitManifests: trim, split on (?:^|\s*\n)---\s*, skip empty pieces. */
static int sort_file(struct sorter *s, struct render_ctx *r, const char *path, const char *text,
                     size_t len)
{
    const char *base = text;
    size_t b = 0, e = len, start = 0, k;
    int error;

    while (b < e && trim_space(text[b]))
        b++;
    while (e > b && trim_space(text[e - 1]))
        e--;
    if (b == e)
        return 0;
    text += b;
    len = e - b;
    if (len >= 3 && !memcmp(text, "---", 3)) {
        start = 3;
        while (start < len && go_space(text[start]))
            start++;
    }
    for (;;) {
        size_t dend = len, next = len;
        int found = 0;
        for (k = start; k + 3 < len; k++)
            if (text[k] == '\n' && !memcmp(text + k + 1, "---", 3)) {
                found = 1;
                break;
            }
        if (found) {
            dend = k;
            while (dend > start && go_space(text[dend - 1]))
                dend--;
            next = k + 4;
            while (next < len && go_space(text[next]))
                next++;
        }
        if (dend > start && (error = add_doc(s, r, path, base, text + start, dend - start)) < 0)
            return error;
        if (!found)
            break;
        start = next;
    }
    return 0;
}

static int cmp_vec_ment(const void *x, const void *y)
{
    return cmp_ment(*(struct ment *const *)x, *(struct ment *const *)y);
}

/* ---- crds ---- */

static int add_crds(struct fth_vec *v, struct fth_arena *a, const struct helm_rchart *rc)
{
    size_t i;
    for (i = 0; i < rc->chart->nfiles; i++) {
        const struct fth_chart_file *f = &rc->chart->files[i];
        struct ment *m;
        if (strncmp(f->path, "crds/", 5) ||
            !(ends_with(f->path, ".yaml") || ends_with(f->path, ".yml") ||
              ends_with(f->path, ".json")))
            continue;
        if (!(m = fth_arena_calloc(a, 1, sizeof(*m))))
            return FTH_ENOMEM;
        m->m.source = fth_arena_printf(a, "%s/%s", rc->fullpath, f->path);
        m->m.content = (const char *)f->data;
        m->m.len = f->len;
        m->m.line = 1;
        m->m.crd = 1;
        if (!m->m.source || fth_vec_push(v, a, m) < 0)
            return FTH_ENOMEM;
    }
    for (i = 0; i < rc->ndeps; i++)
        if (add_crds(v, a, rc->deps[i]) < 0)
            return FTH_ENOMEM;
    return 0;
}

/* ---- images ---- */

struct leaf {
    const char *path, *value;
    size_t len;
};

static int collect_leaves(struct fth_vec *v, struct fth_arena *a, const struct fth_value *val,
                          const char *prefix, unsigned depth)
{
    size_t i;
    if (!val || depth > FTH_LIMIT_DEPTH)
        return 0;
    if (val->type == FTH_VALUE_STRING && val->u.str.len >= 2) {
        struct leaf *l = fth_arena_calloc(a, 1, sizeof(*l));
        if (!l)
            return FTH_ENOMEM;
        l->path = prefix;
        l->value = val->u.str.ptr;
        l->len = val->u.str.len;
        return fth_vec_push(v, a, l);
    }
    if (val->type == FTH_VALUE_MAP && !fth_tmpl_ext_of(val)) {
        for (i = 0; i < val->u.map.len; i++) {
            const struct fth_value *k = val->u.map.items[i].key;
            const char *p =
                *prefix ? fth_arena_printf(a, "%s.%s", prefix, k->u.str.ptr) : k->u.str.ptr;
            if (!p || collect_leaves(v, a, val->u.map.items[i].value, p, depth + 1) < 0)
                return FTH_ENOMEM;
        }
    }
    return 0;
}

/* Does the image reference hold the value as a whole component (registry, path, tag, digest)? */
static int component_of(const char *image, const char *val, size_t len)
{
    const char *p = image;
    size_t il = strlen(image);
    while ((p = strstr(p, val))) {
        size_t off = (size_t)(p - image);
        char before = off ? image[off - 1] : '/';
        char after = off + len < il ? image[off + len] : '/';
        if ((before == '/' || before == ':' || before == '@') &&
            (after == '/' || after == ':' || after == '@'))
            return 1;
        p++;
    }
    return 0;
}

/* A values path that names an image part: "image.tag", "global.imageRegistry". */
static int imagey(const char *path)
{
    static const char *const words[] = {"image",    "Image",      "registry",
                                        "Registry", "repository", "Repository",
                                        "digest",   "tag",        NULL};
    size_t i;
    for (i = 0; words[i]; i++)
        if (strstr(path, words[i]))
            return 1;
    return 0;
}

static int find_images(struct fth_helm_render *out, struct fth_arena *a, struct fth_vec *imgs,
                       const struct fth_helm_manifest *m, const struct fth_value *v,
                       const struct fth_vec *leaves, unsigned depth)
{
    size_t i, j;
    if (!v || depth > FTH_LIMIT_DEPTH)
        return 0;
    if (v->type == FTH_VALUE_SEQ) {
        for (i = 0; i < v->u.seq.len; i++)
            if (find_images(out, a, imgs, m, v->u.seq.items[i], leaves, depth + 1) < 0)
                return FTH_ENOMEM;
        return 0;
    }
    if (v->type != FTH_VALUE_MAP)
        return 0;
    for (i = 0; i < v->u.map.len; i++) {
        const struct fth_member *mb = &v->u.map.items[i];
        if (fth_value_streq(mb->key, "image") && mb->value->type == FTH_VALUE_STRING &&
            mb->value->u.str.len) {
            struct fth_helm_image *im = fth_arena_calloc(a, 1, sizeof(*im));
            if (!im || !(im->value_paths = fth_arena_calloc(a, leaves->len + 1, sizeof(char *))))
                return FTH_ENOMEM;
            im->image = mb->value->u.str.ptr;
            im->manifest = m;
            im->line = m->line + (mb->value->line ? mb->value->line - 1 : 0);
            /* leaves under an image-like key first; any matching leaf only when none does */
            for (j = 0; j < leaves->len; j++) {
                const struct leaf *l = leaves->items[j];
                if (imagey(l->path) && component_of(im->image, l->value, l->len))
                    im->value_paths[im->nvalue_paths++] = l->path;
            }
            for (j = 0; !im->nvalue_paths && j < leaves->len; j++) {
                const struct leaf *l = leaves->items[j];
                if (component_of(im->image, l->value, l->len))
                    im->value_paths[im->nvalue_paths++] = l->path;
            }
            if (fth_vec_push(imgs, a, im) < 0)
                return FTH_ENOMEM;
        } else if (find_images(out, a, imgs, m, mb->value, leaves, depth + 1) < 0) {
            return FTH_ENOMEM;
        }
    }
    return 0;
}

static int collect_images(struct fth_helm_render *out, struct fth_arena *a)
{
    struct fth_vec leaves = {0}, imgs = {0};
    size_t i;

    if (collect_leaves(&leaves, a, out->values, "", 0) < 0)
        return FTH_ENOMEM;
    for (i = 0; i < out->nmanifests; i++) {
        const struct fth_helm_manifest *m = &out->manifests[i];
        if (m->crd || !m->doc)
            continue;
        if (find_images(out, a, &imgs, m, m->doc, &leaves, 0) < 0)
            return FTH_ENOMEM;
    }
    out->images = fth_arena_calloc(a, imgs.len + 1, sizeof(*out->images));
    if (!out->images)
        return FTH_ENOMEM;
    for (i = 0; i < imgs.len; i++)
        out->images[i] = *(struct fth_helm_image *)imgs.items[i];
    out->nimages = imgs.len;
    return 0;
}

/* ---- the whole render ---- */

static int cmp_path(const void *x, const void *y)
{
    return strcmp((*(struct tpl *const *)x)->name, (*(struct tpl *const *)y)->name);
}

/* One template set for the tree: parsed in Helm's order, or the cached one for the same list. */
static int parse_set(struct render_ctx *r, const struct fth_chart *chart, struct tpl **ts, size_t n)
{
    struct fth_helm_cache *cache = r->opts->cache;
    struct fth_tmpl_opts topts = FTH_TMPL_OPTS_INIT;
    struct cached_set *cs;
    struct fth_buf key = FTH_BUF_INIT;
    size_t i;
    int error = 0;

    for (i = 0; cache && i < n; i++)
        if (fth_buf_puts(&key, ts[i]->name) < 0 || fth_buf_putc(&key, '\n') < 0) {
            fth_buf_release(&key);
            return OOM(r->err);
        }
    for (cs = cache ? cache->sets : NULL; cs; cs = cs->next)
        if (cs->chart == chart && !strcmp(cs->key, key.ptr)) {
            r->set = cs->set;
            r->set_cached = 1;
            goto out;
        }
    topts.flags = FTH_TMPL_HELM;
    if ((error = fth_tmpl_set_new(&r->set, &topts, r->err)) < 0)
        goto out;
    for (i = 0; i < n; i++) {
        struct fth_error pe;
        memset(&pe, 0, sizeof(pe));
        if ((error = fth_tmpl_parse(r->set, ts[i]->name, (const char *)ts[i]->file->data,
                                    ts[i]->file->len, &pe)) < 0) {
            error = parse_error(r, ts[i]->name, pe.message);
            goto out;
        }
    }
    if (cache && cache->nsets < FTH_LIMIT_HELM_CACHED_SETS &&
        (cs = fth_arena_calloc(cache->a, 1, sizeof(*cs))) &&
        (cs->key = fth_arena_strndup(cache->a, key.ptr, key.len))) {
        cs->chart = chart;
        cs->set = r->set;
        cs->next = cache->sets;
        cache->sets = cs;
        cache->nsets++;
        r->set_cached = 1;
    }
out:
    fth_buf_release(&key);
    return error;
}

/* chartutil.ValidateAgainstSchema over the tree: each chart's schema against its values. */
static int check_schemas(struct helm_coalesce *c, struct fth_helm_render *out,
                         const struct helm_rchart *rc, const struct fth_value *vals, unsigned depth)
{
    const struct fth_chart_file *sf = rc->chart->values_schema;
    size_t i;
    int error;

    if (sf) {
        struct fth_buf errs = FTH_BUF_INIT;
        if ((error = fth_helm_schema_validate(&errs, c->a, (const char *)sf->data, sf->len, vals,
                                              c->err)) < 0) {
            fth_buf_release(&errs);
            return error;
        }
        if (errs.len) {
            if (!out->errtext.len)
                fth_buf_puts(&out->errtext, "values don't meet the specifications of the "
                                            "schema(s) in the following chart(s):\n");
            fth_buf_printf(&out->errtext, "%s:\n%s", rc->name, errs.ptr);
        }
        fth_buf_release(&errs);
    }
    for (i = 0; i < rc->ndeps && depth < FTH_LIMIT_CHART_DEPTH; i++) {
        const struct fth_value *sv =
            fth_tmpl_map_get(vals, rc->deps[i]->name, strlen(rc->deps[i]->name));
        if ((error = check_schemas(c, out, rc->deps[i], sv, depth + 1)) < 0)
            return error;
    }
    return 0;
}

int fth_helm_render(struct fth_helm_render **outp, struct fth_arena *a,
                    const struct fth_chart *chart, const struct fth_helm_render_opts *opts,
                    struct fth_error *err)
{
    static const struct fth_helm_render_opts defaults = FTH_HELM_RENDER_OPTS_INIT;
    struct fth_helm_render *out;
    struct render_ctx r;
    struct helm_rchart *root = NULL;
    struct helm_coalesce co;
    struct fth_value *vals = NULL, *top;
    struct sorter s;
    struct fth_vec crds = {0};
    struct tpl **ts;
    size_t i, n;
    int error;

    memset(&r, 0, sizeof(r));
    memset(&s, 0, sizeof(s));
    *outp = NULL;
    if (!opts)
        opts = &defaults;
    if (!(out = fth_arena_calloc(a, 1, sizeof(*out))))
        return OOM(err);
    fth_buf_init(&out->debug);
    fth_buf_init(&out->warnings);
    fth_buf_init(&out->errtext);
    *outp = out;
    r.a = a;
    r.err = err;
    r.opts = opts;
    co.a = a;
    co.warnings = &out->warnings;
    co.err = err;
    if (chart->metadata.type && !strcmp(chart->metadata.type, "library")) {
        error = fth_error_set(err, FTH_EINVALID, "library charts are not installable");
        goto out;
    }
    /* dependencies, import-values, then the values every template sees */
    if ((error = build_tree(&root, a, opts->cache, chart, chart->metadata.name, NULL, 0, err)) <
            0 ||
        (error = deps_enabled(&co, root, opts->values, "", 0)) < 0 ||
        (error = import_values(&co, root, 0)) < 0 ||
        (error = coalesce_copy(&vals, &co, root, opts->values, 0)) < 0)
        goto out;
    out->values = vals;
    if ((error = check_schemas(&co, out, root, vals, 0)) < 0)
        goto out;
    if (out->errtext.len) {
        error = fth_error_set(err, FTH_EINVALID, "%s", out->errtext.ptr);
        goto out;
    }
    if (!(r.release = fth_tmpl_map(a, 6)) ||
        sset(a, r.release, "Name", opts->release_name ? opts->release_name : "release-name") < 0 ||
        sset(a, r.release, "Namespace", opts->namespace ? opts->namespace : "default") < 0 ||
        vset(a, r.release, "IsUpgrade", fth_tmpl_bool(a, 0)) < 0 ||
        vset(a, r.release, "IsInstall", fth_tmpl_bool(a, 1)) < 0 ||
        vset(a, r.release, "Revision", fth_tmpl_int(a, 1)) < 0 ||
        sset(a, r.release, "Service", "Helm") < 0) {
        error = OOM(err);
        goto out;
    }
    if ((error = make_caps(&r)) < 0)
        goto out;
    /* Chart.yaml kubeVersion: Masterminds constraints (commas are ANDs, as spaces in npm's) */
    if (chart->metadata.kube_version && *chart->metadata.kube_version) {
        char *range = fth_arena_strdup(a, chart->metadata.kube_version), *q;
        int ok = 0;
        for (q = range; q && *q; q++)
            if (*q == ',')
                *q = ' ';
        if (!range ||
            fth_version_satisfies(&ok, FTH_ECO_NPM, r.kube_version + 1, range, 0, NULL) < 0 ||
            !ok) {
            error = fth_error_set(err, FTH_EINVALID,
                                  "chart requires kubeVersion: %s which is incompatible with "
                                  "Kubernetes %s",
                                  chart->metadata.kube_version, r.kube_version);
            goto out;
        }
    }
    out->rendering = 1;
    if (!(top = fth_tmpl_map(a, 4)) || vset(a, top, "Values", vals) < 0) {
        error = OOM(err);
        goto out;
    }
    if ((error = all_tpls(&r, root, top, 1, &top)) < 0)
        goto out;
    /* parse everything into one set, deeper paths first, reverse lexical */
    ts = (struct tpl **)r.tpls.items;
    n = r.tpls.len;
    if (n)
        qsort(ts, n, sizeof(*ts), cmp_tpl);
    if ((error = parse_set(&r, chart, ts, n)) < 0)
        goto out;
    for (i = 0; i < n; i++) {
        struct tpl *t = ts[i];
        struct fth_value *tv = fth_tmpl_map(a, 2);
        struct fth_error ee;
        if (base_name(t->name)[0] == '_')
            continue;
        if (!tv || sset(a, tv, "Name", t->name) < 0 || sset(a, tv, "BasePath", t->base_path) < 0 ||
            vset(a, t->ctx, "Template", tv) < 0) {
            error = OOM(err);
            goto out;
        }
        memset(&ee, 0, sizeof(ee));
        fth_buf_clear(&out->errtext);
        if ((error = fth_tmpl_execute_full(&t->out, &out->errtext, r.set, t->name, t->ctx, a,
                                           FTH_TMPL_STRIP_NO_VALUE, &ee)) < 0) {
            error =
                exec_error(&r, out, t->name,
                           out->errtext.len ? fth_arena_strdup(a, out->errtext.ptr) : ee.message);
            goto out;
        }
        t->rendered = 1;
    }
    /* assembly: NOTES.txt dropped, files in path order */
    qsort(ts, n, sizeof(*ts), cmp_path);
    s.a = a;
    s.warnings = &out->warnings;
    for (i = 0; i < n; i++) {
        struct tpl *t = ts[i];
        if (!t->rendered || ends_with(t->name, "NOTES.txt"))
            continue;
        if ((error = sort_file(&s, &r, t->name, t->out.ptr, t->out.len)) < 0) {
            size_t j;
            for (j = 0; j < n; j++) {
                const char *c = ts[j]->out.ptr;
                size_t k = 0;
                if (!ts[j]->rendered || ends_with(ts[j]->name, "NOTES.txt"))
                    continue;
                while (k < ts[j]->out.len && trim_space(c[k]))
                    k++;
                if (k < ts[j]->out.len)
                    fth_buf_printf(&out->debug, "---\n# Source: %s\n%s\n", ts[j]->name, c);
            }
            goto out;
        }
    }
    if (s.generic.len)
        qsort(s.generic.items, s.generic.len, sizeof(void *), cmp_vec_ment);
    if (s.hooks.len)
        qsort(s.hooks.items, s.hooks.len, sizeof(void *), cmp_vec_ment);
    if (opts->include_crds && add_crds(&crds, a, root) < 0) {
        error = OOM(err);
        goto out;
    }
    if (!(out->manifests = fth_arena_calloc(a, crds.len + s.generic.len + s.hooks.len + 1,
                                            sizeof(*out->manifests)))) {
        error = OOM(err);
        goto out;
    }
    for (i = 0; i < crds.len; i++)
        out->manifests[out->nmanifests++] = ((struct ment *)crds.items[i])->m;
    for (i = 0; i < s.generic.len; i++)
        out->manifests[out->nmanifests++] = ((struct ment *)s.generic.items[i])->m;
    for (i = 0; i < s.hooks.len; i++) {
        const struct ment *m = s.hooks.items[i];
        if (opts->skip_tests && m->m.test)
            continue;
        out->manifests[out->nmanifests++] = m->m;
    }
    if (collect_images(out, a) < 0)
        error = OOM(err);
out:
    for (i = 0; i < r.tpls.len; i++)
        fth_buf_release(&((struct tpl *)r.tpls.items[i])->out);
    if (r.set && !r.set_cached)
        fth_tmpl_set_free(r.set);
    if (error < 0 && !out->errtext.len)
        fth_buf_puts(&out->errtext, err ? err->message : "render failed");
    return error;
}

void fth_helm_render_release(struct fth_helm_render *r)
{
    if (!r)
        return;
    fth_buf_release(&r->debug);
    fth_buf_release(&r->warnings);
    fth_buf_release(&r->errtext);
}

const char *fth_helm_render_error(const struct fth_helm_render *r)
{
    return r ? r->errtext.ptr : "";
}

int fth_helm_render_text(struct fth_buf *out, const struct fth_helm_render *r)
{
    struct fth_buf b;
    size_t i, s = 0, e;
    int error = 0;

    fth_buf_init(&b);
    /* the manifests (and CRDs) block is trimmed as a whole, then the hooks follow */
    for (i = 0; i < r->nmanifests && !r->manifests[i].hook; i++)
        fth_buf_printf(&b, "---\n# Source: %s\n%.*s\n", r->manifests[i].source,
                       (int)r->manifests[i].len, r->manifests[i].content);
    e = b.len;
    while (s < e && trim_space(b.ptr[s]))
        s++;
    while (e > s && trim_space(b.ptr[e - 1]))
        e--;
    if (fth_buf_put(out, b.ptr + s, e - s) < 0 || fth_buf_putc(out, '\n') < 0)
        error = FTH_ENOMEM;
    for (; i < r->nmanifests && !error; i++)
        if (fth_buf_printf(out, "---\n# Source: %s\n%.*s\n", r->manifests[i].source,
                           (int)r->manifests[i].len, r->manifests[i].content) < 0)
            error = FTH_ENOMEM;
    fth_buf_release(&b);
    return error;
}
