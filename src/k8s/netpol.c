/*
 * NetworkPolicy coverage, a cross-document check: while each file is analysed, remember every
 * workload's pod labels and every NetworkPolicy's pod selector (copied into the sink's arena:
 * the values die with their file); once all files are in, report the workloads that no policy
 * in their namespace selects.
 */
#include <stdlib.h>
#include <string.h>

#include "k8s_int.h"
#include "../base/banned.h"

enum net_kind { NET_WORKLOAD, NET_POLICY };

enum net_op { OP_IN, OP_NOT_IN, OP_EXISTS, OP_DOES_NOT_EXIST };

struct net_label {
    const char *key;
    const char *value;
};

struct net_expr {
    const char *key;
    enum net_op op;
    const char **values;
    size_t nvalues;
};

struct k8s_net_item {
    enum net_kind kind;
    const struct fth_k8s_object *obj; /* lives as long as the scan */
    const char *namespace;            /* "default" when the object names none */
    const char *field;                /* workloads: where the pod labels are */
    /* workloads: the pod template's labels; policies: spec.podSelector.matchLabels */
    struct net_label *labels;
    size_t nlabels;
    /* policies: spec.podSelector.matchExpressions */
    struct net_expr *exprs;
    size_t nexprs;
    int selects_nothing; /* a selector the API server refuses (an invalid expression) */
};

static const char *namespace_of(const struct fth_k8s_object *obj)
{
    return obj->namespace && *obj->namespace ? obj->namespace : "default";
}

/* Copy the string-valued members of a mapping; anything else is treated as absent. */
static int copy_labels(struct k8s_net_item *it, struct fth_arena *a, const struct fth_value *map)
{
    size_t i, n = fth_value_len(map);
    int error = 0;

    if (!n)
        goto out;
    if (!(it->labels = fth_arena_calloc(a, n, sizeof(*it->labels)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        const struct fth_member *m = &map->u.map.items[i];
        struct net_label *l = &it->labels[it->nlabels];

        if (!m->key || m->key->type != FTH_VALUE_STRING || !m->value ||
            m->value->type != FTH_VALUE_STRING)
            continue;
        l->key = fth_arena_strndup(a, m->key->u.str.ptr, m->key->u.str.len);
        l->value = fth_arena_strndup(a, m->value->u.str.ptr, m->value->u.str.len);
        if (!l->key || !l->value) {
            error = FTH_ENOMEM;
            goto out;
        }
        it->nlabels++;
    }
out:
    return error;
}

static int parse_op(enum net_op *op, const char *s)
{
    if (!strcmp(s, "In"))
        *op = OP_IN;
    else if (!strcmp(s, "NotIn"))
        *op = OP_NOT_IN;
    else if (!strcmp(s, "Exists"))
        *op = OP_EXISTS;
    else if (!strcmp(s, "DoesNotExist"))
        *op = OP_DOES_NOT_EXIST;
    else
        return FTH_EINVALID;
    return 0;
}

/* One matchExpressions entry into it->exprs[it->nexprs]. */
static int copy_expr(struct k8s_net_item *it, struct fth_arena *a, const struct fth_value *e)
{
    struct net_expr *x = &it->exprs[it->nexprs];
    const struct fth_value *values = k8s_seq(e, "values");
    const char *key = k8s_str(e, "key"), *op = k8s_str(e, "operator");
    size_t i, n = fth_value_len(values);
    int error = 0;

    if (!key || !op)
        goto out; /* wrongly typed or missing: treated as absent */
    if (parse_op(&x->op, op) < 0) {
        it->selects_nothing = 1;
        goto out;
    }
    if (!(x->key = fth_arena_strdup(a, key)) ||
        (n && !(x->values = fth_arena_calloc(a, n, sizeof(*x->values))))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        const struct fth_value *v = fth_value_at(values, i);

        if (!v || v->type != FTH_VALUE_STRING)
            continue;
        if (!(x->values[x->nvalues++] = fth_arena_strndup(a, v->u.str.ptr, v->u.str.len))) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    /* In and NotIn need values, Exists and DoesNotExist take none: else the API refuses it. */
    if ((x->op == OP_IN || x->op == OP_NOT_IN) != (fth_value_len(values) > 0)) {
        it->selects_nothing = 1;
        goto out;
    }
    it->nexprs++;
out:
    return error;
}

static int collect_policy(struct k8s_net_item *it, struct fth_arena *a,
                          const struct fth_value *root)
{
    const struct fth_value *sel = k8s_map(k8s_map(root, "spec"), "podSelector");
    const struct fth_value *exprs = k8s_seq(sel, "matchExpressions");
    size_t i, n = fth_value_len(exprs);
    int error = 0;

    /* No selector, or an empty one, selects every pod of the namespace. */
    if ((error = copy_labels(it, a, k8s_map(sel, "matchLabels"))) < 0)
        goto out;
    if (n && !(it->exprs = fth_arena_calloc(a, n, sizeof(*it->exprs)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        const struct fth_value *e = fth_value_at(exprs, i);

        if (e && e->type == FTH_VALUE_MAP && (error = copy_expr(it, a, e)) < 0)
            goto out;
    }
out:
    return error;
}

int k8s_netpol_collect(struct k8s_ctx *c)
{
    const char *kind = c->obj->kind;
    struct k8s_net_item *it;
    int error = 0, policy = kind && !strcmp(kind, "NetworkPolicy");

    /* Policies do not apply to pods on the host's network: nothing to report for those. */
    if (!policy && (!c->pod_spec || k8s_bool_true(c->pod_spec, "hostNetwork")))
        goto out;
    if (!(it = fth_arena_alloc(c->a, sizeof(*it)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    it->obj = c->obj;
    it->namespace = namespace_of(c->obj);
    if (policy) {
        it->kind = NET_POLICY;
        error = collect_policy(it, c->a, c->root);
    } else {
        it->kind = NET_WORKLOAD;
        it->field = fth_arena_printf(c->a, "%s%s.labels", c->root_path ? c->root_path : "",
                                     c->pod_meta_path ? c->pod_meta_path : "metadata");
        error = it->field ? copy_labels(it, c->a, k8s_map(c->pod_meta, "labels")) : FTH_ENOMEM;
    }
    if (error < 0)
        goto out;
    error = fth_vec_push(&c->sink->net, c->a, it);
out:
    return error;
}

static const char *label_get(const struct k8s_net_item *w, const char *key)
{
    size_t i;

    /* A repeated key: the last one wins, as when the YAML is decoded. */
    for (i = w->nlabels; i > 0; i--)
        if (!strcmp(w->labels[i - 1].key, key))
            return w->labels[i - 1].value;
    return NULL;
}

static int selects(const struct k8s_net_item *p, const struct k8s_net_item *w)
{
    size_t i, j;

    if (p->selects_nothing)
        return 0;
    for (i = 0; i < p->nlabels; i++) {
        const char *v = label_get(w, p->labels[i].key);

        if (!v || strcmp(v, p->labels[i].value) != 0)
            return 0;
    }
    for (i = 0; i < p->nexprs; i++) {
        const struct net_expr *x = &p->exprs[i];
        const char *v = label_get(w, x->key);
        int in = 0;

        for (j = 0; v && j < x->nvalues && !in; j++)
            in = !strcmp(v, x->values[j]);
        switch (x->op) {
        case OP_IN:
            if (!in)
                return 0;
            break;
        case OP_NOT_IN:
            if (in)
                return 0;
            break;
        case OP_EXISTS:
            if (!v)
                return 0;
            break;
        case OP_DOES_NOT_EXIST:
            if (v)
                return 0;
            break;
        }
    }
    return 1;
}

static int by_namespace(const void *a, const void *b)
{
    const struct k8s_net_item *x = *(const struct k8s_net_item *const *)a;
    const struct k8s_net_item *y = *(const struct k8s_net_item *const *)b;

    return strcmp(x->namespace, y->namespace);
}

int k8s_netpol_finish(struct k8s_sink *all)
{
    const struct fth_rule *rule = k8s_rule("NetworkPolicyMissing");
    struct k8s_net_item **policies = NULL;
    size_t i, npolicies = 0;
    int error = 0;

    if (!rule || !all->net.len)
        goto out;
    /* Policies sorted by namespace: each workload looks only at its namespace's. */
    if (!(policies = calloc(all->net.len, sizeof(*policies)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < all->net.len; i++) {
        struct k8s_net_item *it = all->net.items[i];

        if (it->kind == NET_POLICY)
            policies[npolicies++] = it;
    }
    if (npolicies)
        qsort(policies, npolicies, sizeof(*policies), by_namespace);
    for (i = 0; i < all->net.len; i++) {
        const struct k8s_net_item *w = all->net.items[i];
        size_t lo = 0, hi = npolicies, k;
        int covered = 0;

        if (w->kind != NET_WORKLOAD)
            continue;
        while (lo < hi) { /* the first policy of w's namespace */
            size_t mid = lo + (hi - lo) / 2;

            if (strcmp(policies[mid]->namespace, w->namespace) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (k = lo; k < npolicies && !covered && !strcmp(policies[k]->namespace, w->namespace);
             k++)
            covered = selects(policies[k], w);
        if (covered)
            continue;
        if ((error = k8s_finding_obj(all, w->obj, rule, w->obj->line, 0, w->field, NULL,
                                     "no NetworkPolicy in namespace '%s' selects its pods",
                                     w->namespace)) < 0)
            goto out;
    }
out:
    free(policies);
    return error;
}
