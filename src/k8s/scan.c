/*
 * The manifest scan driver: reads inputs, splits them into documents and objects (expanding
 * `kind: List`), builds each object's context (pod spec, containers) and hands it to the rule
 * sources; files are analysed in parallel, each into its own sink, merged in input order.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "k8s_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

#define IGNORE_ANNOTATION "fathom.dev/ignore"

/* What one input produced, kept until the scan is freed. */
struct file_sink {
    struct k8s_sink sink;
    const char *path; /* NULL for a buffer already analysed */
    int named;        /* named on the command line (or stdin): no objects is an error */
    int diag;         /* holds only the problems met while walking a directory */
    size_t documents;
    size_t bytes;
};

struct fth_k8s_scan {
    struct fth_k8s_opts opts;
    struct fth_arena *a;  /* the merged result and the file sinks' records */
    struct fth_vec files; /* struct file_sink * */
    struct k8s_sink all;
    struct fth_k8s_result result;
    int finished;
};

const char *k8s_path(struct k8s_ctx *c, const char *base, const char *suffix)
{
    size_t nb = base ? strlen(base) : 0, ns = strlen(suffix);
    int dot = nb && suffix[0] != '[';
    size_t len = nb + (size_t)dot + ns;
    char buf[512];
    char *p;

    if (len >= sizeof(buf))
        return fth_arena_printf(c->a, "%s%s%s", nb ? base : "", dot ? "." : "", suffix);
    if (nb)
        memcpy(buf, base, nb);
    if (dot)
        buf[nb] = '.';
    memcpy(buf + nb + (size_t)dot, suffix, ns + 1);
    /* paths repeat across objects and findings: keep each once */
    p = (char *)k8s_intern(c->sink, buf, len);
    return p;
}

/* ---- the rule registry ---- */

static const struct fth_rule **registry;
static size_t registry_len;
static pthread_once_t registry_once = PTHREAD_ONCE_INIT;

static void registry_build(void)
{
    static const struct {
        const struct fth_rule *rules;
        const size_t *len;
    } sources[] = {
        {k8s_kubesec_rules, &k8s_kubesec_rules_len},
        {k8s_pss_rules, &k8s_pss_rules_len},
        {k8s_fathom_rules, &k8s_fathom_rules_len},
    };
    size_t i, j, n = 0;

    for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
        n += *sources[i].len;
    registry = calloc(n ? n : 1, sizeof(*registry));
    if (!registry)
        return;
    for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
        for (j = 0; j < *sources[i].len; j++)
            registry[registry_len++] = &sources[i].rules[j];
}

const struct fth_rule *const *fth_k8s_rules(size_t *count)
{
    pthread_once(&registry_once, registry_build);
    *count = registry_len;
    return registry;
}

const struct fth_rule *fth_k8s_rule_find(const char *id)
{
    size_t i, n;
    const struct fth_rule *const *rules = fth_k8s_rules(&n);

    for (i = 0; i < n; i++)
        if (!strcmp(rules[i]->id, id))
            return rules[i];
    return NULL;
}

const struct fth_rule *k8s_rule(const char *id)
{
    return fth_k8s_rule_find(id);
}

/* ---- reporting ---- */

/* Is `id` one of the comma-separated rule ids of the annotation? */
static int ignore_lists(const char *list, const char *id)
{
    size_t idlen = strlen(id);
    const char *p = list;

    while (*p) {
        const char *start, *end;

        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        start = p;
        while (*p && *p != ',')
            p++;
        end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if ((size_t)(end - start) == idlen && !memcmp(start, id, idlen))
            return 1;
        if (end - start == 1 && *start == '*')
            return 1;
    }
    return 0;
}

/* The container name as the scan keeps it: the object's own copy when it is one of its
 * containers' names (the usual case), else a copy. */
static const char *container_keep(struct k8s_sink *sink, const struct k8s_ctx *c,
                                  const char *container)
{
    size_t i;

    for (i = 0; c && i < c->ncontainers; i++)
        if (c->containers[i].name == container)
            return container;
    return fth_arena_strdup(sink->a, container);
}

/*
 * A sink's findings are the scan's most numerous records: their pointer array grows with
 * realloc (in place where it can, nothing left behind) rather than in the arena, where every
 * doubling would leave the old array as dead weight until the scan is freed.
 */
static int findings_push(struct fth_vec *v, void *item)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        void **items;

        if (cap > SIZE_MAX / sizeof(*items) || !(items = realloc(v->items, cap * sizeof(*items))))
            return FTH_ENOMEM;
        v->items = items;
        v->cap = cap;
    }
    v->items[v->len++] = item;
    return 0;
}

static void findings_release(struct fth_vec *v)
{
    free(v->items);
    memset(v, 0, sizeof(*v));
}

/* `field` must live as long as the scan: a literal or a string in the sink's arena. */
static int finding_push(struct k8s_sink *sink, const struct k8s_ctx *c,
                        const struct fth_k8s_opts *opts, const struct fth_k8s_object *obj,
                        const struct fth_rule *rule, unsigned line, unsigned column,
                        const char *field, const char *container, const char *fmt, va_list ap)
{
    struct fth_finding *f;
    char text[512];
    int n;

    if (!rule)
        return 0;
    n = fth_vformat(text, sizeof(text), fmt, ap);
    if (n < 0)
        return FTH_ENOMEM;
    if (!(f = fth_arena_alloc(sink->a, sizeof(*f))) ||
        !(f->message = (size_t)n < sizeof(text) ? k8s_intern(sink, text, (size_t)n)
                                                : fth_arena_vprintf(sink->a, fmt, ap)) ||
        (container && !(f->container = container_keep(sink, c, container))))
        return FTH_ENOMEM;
    f->rule = rule;
    f->severity = rule->severity;
    f->object = obj->display;
    f->loc.file = obj->file;
    f->loc.doc = obj->doc;
    f->loc.line = line ? line : obj->line;
    f->loc.column = line ? column : 0;
    f->loc.field = field;
    if (obj->ignore && !opts->no_annotations && ignore_lists(obj->ignore, rule->id))
        f->suppressed = "annotation " IGNORE_ANNOTATION;
    return findings_push(&sink->findings, f);
}

int k8s_vfinding(struct k8s_ctx *c, const struct fth_rule *rule, const struct fth_value *at,
                 const char *field, const char *container, const char *fmt, va_list ap)
{
    const char *full = field;

    if (field && c->root_path && *c->root_path) {
        size_t rl = strlen(c->root_path), fl = strlen(field);
        char path[512];

        if (rl + fl < sizeof(path)) {
            memcpy(path, c->root_path, rl);
            memcpy(path + rl, field, fl);
            full = k8s_intern(c->sink, path, rl + fl);
        } else {
            full = fth_arena_printf(c->a, "%s%s", c->root_path, field);
        }
        if (!full)
            return FTH_ENOMEM;
    }
    return finding_push(c->sink, c, c->opts, c->obj, rule, at ? at->line : 0, at ? at->column : 0,
                        full, container, fmt, ap);
}

int k8s_finding(struct k8s_ctx *c, const struct fth_rule *rule, const struct fth_value *at,
                const char *field, const char *container, const char *fmt, ...)
{
    va_list ap;
    int error;

    va_start(ap, fmt);
    error = k8s_vfinding(c, rule, at, field, container, fmt, ap);
    va_end(ap);
    return error;
}

int k8s_finding_obj(struct k8s_sink *sink, const struct fth_k8s_object *obj,
                    const struct fth_rule *rule, unsigned line, unsigned column, const char *field,
                    const char *container, const char *fmt, ...)
{
    static const struct fth_k8s_opts defaults = FTH_K8S_OPTS_INIT;
    const struct fth_k8s_opts *opts = sink->opts ? sink->opts : &defaults;
    va_list ap;
    int error;

    va_start(ap, fmt);
    error = finding_push(sink, NULL, opts, obj, rule, line, column, field, container, fmt, ap);
    va_end(ap);
    return error;
}

static int diag_push(struct fth_vec *list, struct fth_arena *a, int code, const char *file,
                     unsigned line, unsigned column, const char *fmt, ...) FTH_PRINTF(7, 8);

static int diag_push(struct fth_vec *list, struct fth_arena *a, int code, const char *file,
                     unsigned line, unsigned column, const char *fmt, ...)
{
    struct fth_error *e = fth_arena_alloc(a, sizeof(*e));
    va_list ap;

    if (!e)
        return FTH_ENOMEM;
    va_start(ap, fmt);
    fth_error_setv(e, code, fmt, ap);
    va_end(ap);
    fth_error_locate(e, file, line, column);
    return fth_vec_push(list, a, e);
}

static int error_copy(struct fth_vec *list, struct fth_arena *a, const struct fth_error *src,
                      const char *file)
{
    struct fth_error *e = fth_arena_alloc(a, sizeof(*e));

    if (!e)
        return FTH_ENOMEM;
    *e = *src;
    fth_error_locate(e, file, 0, 0);
    return fth_vec_push(list, a, e);
}

int k8s_type_error(struct k8s_ctx *c, const struct fth_value *at, const char *field,
                   const char *expected)
{
    c->obj->invalid = 1;
    return diag_push(&c->sink->errors, c->a, FTH_ETYPE, c->obj->file, at ? at->line : 0,
                     at ? at->column : 0, "%s: '%s%s': expected %s, found %s", c->obj->display,
                     c->root_path ? c->root_path : "", field, expected,
                     at ? fth_value_type_name(at->type) : "nothing");
}

/* ---- objects ---- */

struct kind_info {
    const char *kind;
    const char *pod_spec; /* dotted path of the pod spec, NULL when the kind has none */
    const char *pod_meta;
};

static const struct kind_info kinds[] = {
    {"Pod", "spec", "metadata"},
    {"Deployment", "spec.template.spec", "spec.template.metadata"},
    {"StatefulSet", "spec.template.spec", "spec.template.metadata"},
    {"DaemonSet", "spec.template.spec", "spec.template.metadata"},
    {"ReplicaSet", "spec.template.spec", "spec.template.metadata"},
    {"ReplicationController", "spec.template.spec", "spec.template.metadata"},
    {"Job", "spec.template.spec", "spec.template.metadata"},
    {"CronJob", "spec.jobTemplate.spec.template.spec", "spec.jobTemplate.spec.template.metadata"},
    {"Role", NULL, NULL},
    {"ClusterRole", NULL, NULL},
    {"RoleBinding", NULL, NULL},
    {"ClusterRoleBinding", NULL, NULL},
    {"Service", NULL, NULL},
    {"Secret", NULL, NULL},
    {"ConfigMap", NULL, NULL},
    {"Namespace", NULL, NULL},
    {"NetworkPolicy", NULL, NULL},
};

static const struct kind_info *kind_find(const char *kind)
{
    size_t i;

    for (i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (!strcmp(kinds[i].kind, kind))
            return &kinds[i];
    return NULL;
}

static const char *const container_lists[] = {"containers", "initContainers",
                                              "ephemeralContainers"};

/* "<spec>.<list>[<i>]" in arena a, joined directly: printf of it showed in profiles. */
static const char *container_path(struct fth_arena *a, const char *spec, const char *list, size_t i)
{
    char digits[24];
    size_t nd = sizeof(digits), ns = strlen(spec), nl = strlen(list), len;
    char *out;

    do {
        digits[--nd] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    len = ns + 1 + nl + 1 + (sizeof(digits) - nd) + 1;
    if (!(out = fth_arena_alloc(a, len + 1)))
        return NULL;
    memcpy(out, spec, ns);
    out[ns] = '.';
    memcpy(out + ns + 1, list, nl);
    out[ns + 1 + nl] = '[';
    memcpy(out + ns + 2 + nl, digits + nd, sizeof(digits) - nd);
    out[len - 1] = ']';
    out[len] = '\0';
    return out;
}

static int build_containers(struct k8s_ctx *c)
{
    size_t n = 0, li, i;

    for (li = 0; li < 3; li++)
        n += fth_value_len(k8s_seq(c->pod_spec, container_lists[li]));
    /* the array and the paths serve this object's analysis only; names and paths that
     * findings keep are interned in the sink */
    c->containers = fth_arena_calloc(c->sink->tmp, n ? n : 1, sizeof(*c->containers));
    if (!c->containers)
        return FTH_ENOMEM;
    for (li = 0; li < 3; li++) {
        const struct fth_value *seq = k8s_seq(c->pod_spec, container_lists[li]);

        for (i = 0; i < fth_value_len(seq); i++) {
            const struct fth_value *item = fth_value_at(seq, i);
            struct k8s_container *k;

            if (!item || item->type != FTH_VALUE_MAP)
                continue; /* the schema check reported it */
            k = &c->containers[c->ncontainers++];
            k->v = item;
            /* Kept for the scan: findings name their container with this very string. */
            if ((k->name = k8s_str(item, "name")) &&
                !(k->name = k8s_intern(c->sink, k->name, strlen(k->name))))
                return FTH_ENOMEM;
            k->list = (enum k8s_container_list)li;
            k->index = i;
            k->sc = k8s_map(item, "securityContext");
            if (!(k->path = container_path(c->sink->tmp, c->pod_spec_path, container_lists[li], i)))
                return FTH_ENOMEM;
        }
    }
    return 0;
}

/* Kinds that live outside namespaces: their display has no ".namespace". */
static int cluster_scoped(const char *kind)
{
    static const char *const scoped[] = {
        "Namespace",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "PersistentVolume",
        "StorageClass",
        "Node",
        "PriorityClass",
        "IngressClass",
        "RuntimeClass",
        "PodSecurityPolicy",
        "APIService",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "CSIDriver",
    };
    size_t i;

    for (i = 0; kind && i < sizeof(scoped) / sizeof(scoped[0]); i++)
        if (!strcmp(kind, scoped[i]))
            return 1;
    return 0;
}

/* "<kind>/<name>", then ".<ns>" when ns is given, in arena a: every object's display name,
 * joined directly (printf of it showed in profiles). */
static const char *display_join(struct fth_arena *a, const char *kind, const char *name,
                                const char *ns)
{
    size_t nk = strlen(kind), nn = strlen(name), nns = ns ? strlen(ns) : 0;
    size_t len = nk + 1 + nn + (ns ? 1 + nns : 0);
    char *out = fth_arena_alloc(a, len + 1);

    if (!out)
        return NULL;
    memcpy(out, kind, nk);
    out[nk] = '/';
    memcpy(out + nk + 1, name, nn);
    if (ns) {
        out[nk + 1 + nn] = '.';
        memcpy(out + nk + 2 + nn, ns, nns);
    }
    out[len] = '\0';
    return out;
}

static const char *str_or_null(struct fth_arena *a, const char *s)
{
    return s ? fth_arena_strdup(a, s) : NULL;
}

struct ranked {
    const struct fth_finding *f;
    size_t seq;
};

static int ranked_cmp(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;

    if (a->f->loc.line != b->f->loc.line)
        return a->f->loc.line < b->f->loc.line ? -1 : 1;
    if (a->f->loc.column != b->f->loc.column)
        return a->f->loc.column < b->f->loc.column ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * An object's findings in field order (line, column), stable: rule sources report in their
 * own orders. A few dozen findings is the usual: insertion sort; a huge object gets qsort.
 */
static int sort_object_findings(struct fth_vec *v, size_t first)
{
    size_t n = v->len - first, i, j;
    struct ranked *r;

    if (n > 64) {
        if (!(r = calloc(n, sizeof(*r))))
            return FTH_ENOMEM;
        for (i = 0; i < n; i++) {
            r[i].f = v->items[first + i];
            r[i].seq = i;
        }
        qsort(r, n, sizeof(*r), ranked_cmp);
        for (i = 0; i < n; i++)
            v->items[first + i] = (void *)r[i].f;
        free(r);
        return 0;
    }
    for (i = first + 1; i < v->len; i++) {
        struct ranked x = {v->items[i], 1};

        for (j = i; j > first; j--) {
            struct ranked y = {v->items[j - 1], 0};

            if (ranked_cmp(&y, &x) < 0)
                break;
            v->items[j] = v->items[j - 1];
        }
        v->items[j] = (void *)x.f;
    }
    return 0;
}

/* Analyse one object mapping: a document's root or an item of a List. */
static int analyse_object(struct k8s_sink *sink, const struct fth_k8s_opts *opts, const char *file,
                          unsigned doc, unsigned item, const char *root_path,
                          const struct fth_value *root)
{
    struct fth_k8s_object *obj = fth_arena_alloc(sink->a, sizeof(*obj));
    size_t first_finding = sink->findings.len;
    struct k8s_ctx c;
    const struct fth_value *meta;
    const struct kind_info *info;
    int error = 0;

    if (!obj || (!sink->tmp && !(sink->tmp = fth_arena_new())))
        return FTH_ENOMEM;
    fth_arena_reset(sink->tmp);
    memset(&c, 0, sizeof(c));
    c.opts = opts;
    c.sink = sink;
    c.a = sink->a;
    c.obj = obj;
    c.root = root;
    c.root_path = root_path;

    meta = k8s_map(root, "metadata");
    obj->file = file;
    obj->doc = doc;
    obj->item = item;
    obj->line = root->line;
    obj->api_version = str_or_null(sink->a, k8s_str(root, "apiVersion"));
    obj->kind = str_or_null(sink->a, k8s_str(root, "kind"));
    obj->name = str_or_null(sink->a, k8s_str(meta, "name"));
    obj->namespace = str_or_null(sink->a, k8s_str(meta, "namespace"));
    if (cluster_scoped(obj->kind) && !obj->namespace)
        obj->display = display_join(sink->a, obj->kind, obj->name ? obj->name : "(unnamed)", NULL);
    else
        obj->display = display_join(sink->a, obj->kind ? obj->kind : "Unknown",
                                    obj->name ? obj->name : "(unnamed)",
                                    obj->namespace ? obj->namespace : "default");
    obj->ignore = str_or_null(sink->a, k8s_str(k8s_map(meta, "annotations"), IGNORE_ANNOTATION));
    if (!obj->display)
        return FTH_ENOMEM;
    if ((error = fth_vec_push(&sink->objects, sink->a, obj)) < 0)
        return error;

    if (!obj->kind) {
        const struct fth_value *k = fth_value_get(root, "kind");

        obj->note = "not a Kubernetes object: no string 'kind'";
        obj->invalid = 1;
        if (*root_path)
            return diag_push(&sink->errors, sink->a, FTH_EINVALID, file, root->line, root->column,
                             "'%.*s': expected a string 'kind', found %s",
                             (int)strlen(root_path) - 1, root_path,
                             k ? fth_value_type_name(k->type) : "none");
        return diag_push(&sink->errors, sink->a, FTH_EINVALID, file, root->line, root->column,
                         "document %u: expected a string 'kind', found %s", doc + 1,
                         k ? fth_value_type_name(k->type) : "none");
    }
    info = kind_find(obj->kind);
    if (!info) {
        obj->note = !strcmp(obj->kind, "CustomResourceDefinition")
                        ? "CustomResourceDefinition: not analysed"
                    : (obj->api_version && strchr(obj->api_version, '.') &&
                       !strstr(obj->api_version, "k8s.io/"))
                        ? "custom resource: not analysed"
                        : "no rules for this kind: not analysed";
        return 0;
    }
    obj->analysed = 1;

    if (info->pod_spec) {
        c.pod_spec_path = info->pod_spec;
        c.pod_meta_path = info->pod_meta;
        c.pod_spec = fth_value_path(root, info->pod_spec);
        if (c.pod_spec && c.pod_spec->type != FTH_VALUE_MAP)
            c.pod_spec = NULL;
        c.pod_sc = k8s_map(c.pod_spec, "securityContext");
        c.pod_meta = fth_value_path(root, info->pod_meta);
        if (c.pod_meta && c.pod_meta->type != FTH_VALUE_MAP)
            c.pod_meta = NULL;
    }
    if ((error = k8s_schema_check(&c)) < 0)
        goto out;
    if (c.pod_spec && (error = build_containers(&c)) < 0)
        goto out;
    if (obj->ignore && opts->no_annotations &&
        (error = diag_push(&sink->warnings, sink->a, 0, file, root->line, root->column,
                           "%s: annotation '%s' not honoured (--no-annotations)", obj->display,
                           IGNORE_ANNOTATION)) < 0)
        goto out;
    if ((error = k8s_kubesec_eval(&c)) < 0 || (error = k8s_pss_eval(&c)) < 0 ||
        (error = k8s_fathom_eval(&c)) < 0 || (error = k8s_netpol_collect(&c)) < 0)
        goto out;
    error = sort_object_findings(&sink->findings, first_finding);
out:
    return error;
}

/* Does the kind name a list of objects ("List", "PodList", ...)? */
static int is_list(const char *kind, const struct fth_value *root)
{
    size_t n = kind ? strlen(kind) : 0;

    return n >= 4 && !strcmp(kind + n - 4, "List") && fth_value_get(root, "items");
}

static int analyse_document(struct k8s_sink *sink, const struct fth_k8s_opts *opts,
                            const char *file, const struct fth_document *d)
{
    const struct fth_value *root = d->root, *items;
    size_t i;
    int error = 0;

    if (d->error)
        return error_copy(&sink->errors, sink->a, d->error, file);
    if (!root || root->type == FTH_VALUE_NULL)
        return 0;
    if (root->type != FTH_VALUE_MAP)
        return diag_push(&sink->errors, sink->a, FTH_ETYPE, file, root->line, root->column,
                         "document %u: expected a mapping (a Kubernetes object), found %s",
                         d->index + 1, fth_value_type_name(root->type));
    if (!is_list(k8s_str(root, "kind"), root))
        return analyse_object(sink, opts, file, d->index, 0, "", root);

    items = fth_value_get(root, "items");
    if (items->type == FTH_VALUE_NULL)
        return 0;
    if (items->type != FTH_VALUE_SEQ)
        return diag_push(&sink->errors, sink->a, FTH_ETYPE, file, items->line, items->column,
                         "'items': expected a sequence, found %s",
                         fth_value_type_name(items->type));
    for (i = 0; i < items->u.seq.len && error >= 0; i++) {
        const struct fth_value *it = items->u.seq.items[i];
        const char *path;

        if (i >= FTH_LIMIT_LIST_ITEMS) {
            error = diag_push(&sink->errors, sink->a, FTH_ELIMIT, file, it->line, it->column,
                              "'items': more than %d items (limit); the rest is not analysed",
                              FTH_LIMIT_LIST_ITEMS);
            break;
        }
        if (it->type != FTH_VALUE_MAP) {
            error = diag_push(&sink->errors, sink->a, FTH_ETYPE, file, it->line, it->column,
                              "'items[%zu]': expected a mapping (a Kubernetes object), found %s", i,
                              fth_value_type_name(it->type));
            continue;
        }
        path = fth_arena_printf(sink->a, "items[%zu].", i);
        error =
            path ? analyse_object(sink, opts, file, d->index, (unsigned)i, path, it) : FTH_ENOMEM;
    }
    return error;
}

static int sink_init(struct k8s_sink *sink, const struct fth_k8s_opts *opts)
{
    memset(sink, 0, sizeof(*sink));
    sink->opts = opts;
    sink->a = fth_arena_new();
    return sink->a ? 0 : FTH_ENOMEM;
}

struct stream_ctx {
    struct file_sink *fs;
    const struct fth_k8s_opts *opts;
    const char *file;
};

static int on_document(const struct fth_document *d, void *data)
{
    struct stream_ctx *sc = data;

    sc->fs->documents++;
    return analyse_document(&sc->fs->sink, sc->opts, sc->file, d);
}

/* Analyse one stream into fs->sink, a document at a time: values die with their document. */
static int analyse_buffer(struct file_sink *fs, const struct fth_k8s_opts *opts, const char *name,
                          const char *data, size_t len)
{
    struct fth_load_opts lo = FTH_LOAD_OPTS_INIT;
    struct fth_arena *scratch = fth_arena_new();
    struct stream_ctx sc;
    struct fth_error err;
    struct k8s_sink *sink = &fs->sink;
    size_t n, before = sink->objects.len, errors_before = sink->errors.len;
    const char *file = fth_arena_strdup(sink->a, name);
    int error = 0;

    if (!scratch || !file) {
        error = FTH_ENOMEM;
        goto out;
    }
    fs->bytes += len;
    lo.name = file;
    n = strlen(file);
    if (n >= 5 && !strcmp(file + n - 5, ".json"))
        lo.flags |= FTH_LOAD_JSON;
    sc.fs = fs;
    sc.opts = opts;
    sc.file = file;
    fth_error_clear(&err);
    error = fth_value_load_each(scratch, data, len, &lo, on_document, &sc, &err);
    if (error == FTH_ENOMEM)
        goto out;
    if (error < 0 && (error = error_copy(&sink->errors, sink->a, &err, file)) < 0)
        goto out;
    /* A file that said nothing else gets one message for having no objects. */
    if (sink->objects.len == before && sink->errors.len == errors_before) {
        if (fs->named)
            error = diag_push(&sink->errors, sink->a, FTH_EINVALID, file, 0, 0,
                              "invalid input: no Kubernetes objects found");
        else
            error =
                diag_push(&sink->warnings, sink->a, 0, file, 0, 0, "no Kubernetes objects found");
    }
out:
    /* The string table and the per-object scratch serve the analysis only (what findings
     * keep is in sink->a): a directory of thousands of files holds on to none of them. */
    k8s_intern_release(sink);
    fth_arena_free(sink->tmp);
    sink->tmp = NULL;
    fth_arena_free(scratch);
    return error;
}

static int files_add(struct fth_k8s_scan *scan, struct file_sink **out, const char *path, int named)
{
    struct file_sink *fs = fth_arena_alloc(scan->a, sizeof(*fs));
    int error;

    if (!fs)
        return FTH_ENOMEM;
    if ((error = sink_init(&fs->sink, &scan->opts)) < 0)
        return error;
    fs->named = named;
    if (path && !(fs->path = fth_arena_strdup(scan->a, path))) {
        fth_arena_free(fs->sink.a);
        return FTH_ENOMEM;
    }
    if ((error = fth_vec_push(&scan->files, scan->a, fs)) < 0) {
        fth_arena_free(fs->sink.a);
        return error;
    }
    *out = fs;
    return 0;
}

int fth_k8s_scan_new(struct fth_k8s_scan **out, const struct fth_k8s_opts *opts)
{
    static const struct fth_k8s_opts defaults = FTH_K8S_OPTS_INIT;
    struct fth_k8s_scan *scan = calloc(1, sizeof(*scan));

    *out = NULL;
    if (!scan)
        return FTH_ENOMEM;
    scan->opts = opts ? *opts : defaults;
    if (!(scan->a = fth_arena_new())) {
        free(scan);
        return FTH_ENOMEM;
    }
    scan->all.a = scan->a;
    scan->all.opts = &scan->opts;
    *out = scan;
    return 0;
}

void fth_k8s_scan_free(struct fth_k8s_scan *scan)
{
    size_t i;

    if (!scan)
        return;
    for (i = 0; i < scan->files.len; i++) {
        struct file_sink *fs = scan->files.items[i];

        k8s_intern_release(&fs->sink);
        findings_release(&fs->sink.findings);
        fth_arena_free(fs->sink.tmp);
        fth_arena_free(fs->sink.a);
    }
    k8s_intern_release(&scan->all);
    findings_release(&scan->all.findings);
    fth_arena_free(scan->all.tmp);
    fth_arena_free(scan->a);
    free(scan);
}

int fth_k8s_scan_buffer(struct fth_k8s_scan *scan, const char *name, const char *data, size_t len)
{
    struct file_sink *fs;
    int error;

    if ((error = files_add(scan, &fs, NULL, 1)) < 0)
        return error;
    return analyse_buffer(fs, &scan->opts, name, data, len);
}

/* ---- paths ---- */

static int has_manifest_ext(const char *name)
{
    size_t n = strlen(name);

    return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml")) ||
           (n > 5 && !strcmp(name + n - 5, ".json"));
}

/* Collect the manifest files under dir, in name order. Problems become errors in `diag`. */
static int walk(struct fth_k8s_scan *scan, struct k8s_sink *diag, const char *dir, unsigned depth,
                size_t *count)
{
    struct dirent **names = NULL;
    int n, i, error = 0;

    if (depth > FTH_LIMIT_WALK_DEPTH)
        return diag_push(&diag->errors, diag->a, FTH_ELIMIT, dir, 0, 0,
                         "directories nested deeper than %d (limit): not read",
                         FTH_LIMIT_WALK_DEPTH);
    n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return diag_push(&diag->errors, diag->a, FTH_EIO, dir, 0, 0, "cannot read directory: %s",
                         strerror(errno));
    for (i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        struct stat st;
        char *path;

        if (error < 0 || !strcmp(name, ".") || !strcmp(name, ".."))
            continue;
        path =
            fth_arena_printf(scan->a, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
        if (!path) {
            error = FTH_ENOMEM;
            continue;
        }
        if (lstat(path, &st) < 0) {
            error = diag_push(&diag->errors, diag->a, FTH_EIO, path, 0, 0, "cannot read: %s",
                              strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            error = walk(scan, diag, path, depth + 1, count);
        } else if (has_manifest_ext(name) && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
            struct file_sink *fs;

            if (++*count > FTH_LIMIT_WALK_FILES) {
                error = diag_push(&diag->errors, diag->a, FTH_ELIMIT, dir, 0, 0,
                                  "more than %d files (limit): the rest is not read",
                                  FTH_LIMIT_WALK_FILES);
                break;
            }
            error = files_add(scan, &fs, path, 0);
        }
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return error;
}

struct read_job {
    const struct fth_k8s_opts *opts;
    struct file_sink **files;
    int error;
    pthread_mutex_t lock;
};

static void read_one(size_t i, void *data)
{
    struct read_job *job = data;
    struct file_sink *fs = job->files[i];
    struct fth_buf buf = FTH_BUF_INIT;
    struct fth_error err;
    const char *name = strcmp(fs->path, "-") ? fs->path : "<stdin>";
    int error;

    fth_error_clear(&err);
    if ((error = fth_file_read(&buf, fs->path, FTH_LIMIT_FILE_SIZE, &err)) < 0) {
        fth_error_locate(&err, name, 0, 0);
        if (error != FTH_ENOMEM)
            error = error_copy(&fs->sink.errors, fs->sink.a, &err, name);
    } else {
        error = analyse_buffer(fs, job->opts, name, buf.ptr, buf.len);
    }
    fth_buf_release(&buf);
    if (error < 0) {
        pthread_mutex_lock(&job->lock);
        job->error = error;
        pthread_mutex_unlock(&job->lock);
    }
}

int fth_k8s_scan_paths(struct fth_k8s_scan *scan, const char *const *paths, size_t n)
{
    struct fth_vec todo = {0};
    struct read_job job;
    size_t i, first = scan->files.len, count = 0;
    int error = 0;

    for (i = 0; i < n && error >= 0; i++) {
        struct stat st;
        struct file_sink *fs;

        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            /* Problems met while walking go to a sink of their own, in input order. */
            if ((error = files_add(scan, &fs, NULL, 0)) < 0)
                break;
            fs->diag = 1;
            error = walk(scan, &fs->sink, paths[i], 0, &count);
        } else {
            error = files_add(scan, &fs, paths[i], 1);
        }
    }
    for (i = first; i < scan->files.len && error >= 0; i++) {
        struct file_sink *fs = scan->files.items[i];

        if (!fs->diag)
            error = fth_vec_push(&todo, scan->a, fs);
    }
    if (error < 0)
        return error;
    job.opts = &scan->opts;
    job.files = (struct file_sink **)todo.items;
    job.error = 0;
    pthread_mutex_init(&job.lock, NULL);
    fth_parallel_for(todo.len, scan->opts.threads, read_one, &job);
    pthread_mutex_destroy(&job.lock);
    return job.error;
}

/* ---- finishing ---- */

static int merge_vec(struct fth_vec *to, struct fth_arena *a, const struct fth_vec *from)
{
    size_t i;
    int error = 0;

    for (i = 0; i < from->len && error >= 0; i++)
        error = fth_vec_push(to, a, from->items[i]);
    return error;
}

/*
 * Cross-document findings (NetworkPolicy coverage, from `before` on) join their object's: each
 * sits at its object's line, column 0, so it leads the object's own findings. Both runs are
 * in object order; one merge pass.
 */
static int place_cross_findings(struct fth_k8s_scan *scan, size_t before)
{
    void **f = scan->all.findings.items, **out;
    size_t n = scan->all.findings.len, i = 0, j = before, k = 0, o;

    if (j == n)
        return 0;
    if (!(out = calloc(n, sizeof(*out))))
        return FTH_ENOMEM;
    for (o = 0; o < scan->all.objects.len; o++) {
        const char *d = ((const struct fth_k8s_object *)scan->all.objects.items[o])->display;

        while (j < n && ((const struct fth_finding *)f[j])->object == d)
            out[k++] = f[j++];
        while (i < before && ((const struct fth_finding *)f[i])->object == d)
            out[k++] = f[i++];
    }
    while (i < before) /* not reached while both runs follow the objects */
        out[k++] = f[i++];
    while (j < n)
        out[k++] = f[j++];
    free(scan->all.findings.items);
    scan->all.findings.items = out;
    scan->all.findings.cap = n;
    return 0;
}

int fth_k8s_scan_finish(struct fth_k8s_scan *scan)
{
    struct fth_k8s_result *r = &scan->result;
    size_t i, before, total;
    int error = 0;

    if (scan->finished)
        return 0;
    scan->finished = 1;
    /* The findings' array at its final size at once: the merge copies each pointer once.
     * The first file's findings lead: their array becomes the scan's, not copied at all. */
    for (i = 0, total = scan->all.findings.len; i < scan->files.len; i++) {
        struct k8s_sink *s = &((struct file_sink *)scan->files.items[i])->sink;

        if (!scan->all.findings.len && s->findings.len && !scan->all.findings.items) {
            scan->all.findings = s->findings;
            memset(&s->findings, 0, sizeof(s->findings));
            total += scan->all.findings.len;
        } else {
            total += s->findings.len;
        }
    }
    if (total > scan->all.findings.cap) {
        void **items = total > SIZE_MAX / sizeof(*items)
                           ? NULL
                           : realloc(scan->all.findings.items, total * sizeof(*items));

        if (!items)
            return FTH_ENOMEM;
        scan->all.findings.items = items;
        scan->all.findings.cap = total;
    }
    for (i = 0; i < scan->files.len; i++) {
        struct file_sink *fs = scan->files.items[i];
        struct k8s_sink *s = &fs->sink;

        r->files += !fs->diag;
        r->documents += fs->documents;
        r->bytes += fs->bytes;
        if ((error = merge_vec(&scan->all.objects, scan->a, &s->objects)) < 0 ||
            (error = merge_vec(&scan->all.errors, scan->a, &s->errors)) < 0 ||
            (error = merge_vec(&scan->all.warnings, scan->a, &s->warnings)) < 0 ||
            (error = merge_vec(&scan->all.net, scan->a, &s->net)) < 0)
            return error;
        if (s->findings.len)
            memcpy(scan->all.findings.items + scan->all.findings.len, s->findings.items,
                   s->findings.len * sizeof(*s->findings.items));
        scan->all.findings.len += s->findings.len;
        findings_release(&s->findings);
    }
    before = scan->all.findings.len;
    if ((error = k8s_netpol_finish(&scan->all)) < 0 ||
        (error = place_cross_findings(scan, before)) < 0)
        return error;
    r->objects = (struct fth_k8s_object **)scan->all.objects.items;
    r->objects_len = scan->all.objects.len;
    r->findings = (struct fth_finding **)scan->all.findings.items;
    r->findings_len = scan->all.findings.len;
    r->errors = (struct fth_error **)scan->all.errors.items;
    r->errors_len = scan->all.errors.len;
    r->warnings = (struct fth_error **)scan->all.warnings.items;
    r->warnings_len = scan->all.warnings.len;
    return 0;
}

const struct fth_k8s_result *fth_k8s_scan_result(const struct fth_k8s_scan *scan)
{
    return &scan->result;
}
