/*
 * k8s module-private declarations: the per-object context that every rule file receives,
 * and the helpers they report through. Rule files: kubesec.c, pss.c, rules.c, netpol.c.
 */
#ifndef FATHOM_K8S_INT_H
#define FATHOM_K8S_INT_H

#include <string.h>

#include "fathom/k8s.h"
#include "fathom/value.h"

/* Lookups with literal keys are the rules' hot path: their length is known at compile time. */
#define fth_value_get(map, key) fth_value_getn((map), (key), strlen(key))

/* Everything one input file produced; merged into the scan when the file is done. */
struct k8s_sink {
    const struct fth_k8s_opts *opts;
    struct fth_arena *a;       /* results live here until the scan is freed */
    struct fth_vec objects;    /* struct fth_k8s_object * */
    struct fth_vec findings;   /* struct fth_finding *; items malloc-owned (scan.c) */
    struct fth_vec errors;     /* struct fth_error * */
    struct fth_vec warnings;   /* struct fth_error * */
    struct fth_vec net;        /* struct k8s_net_item *, owned by netpol.c */
    struct k8s_strtab *strtab; /* finding messages and field paths, each kept once */
    struct fth_arena *tmp;     /* one object's scratch (containers, PSS lists): reset per object */
};

/*
 * The copy of s (len bytes) the sink keeps: one per distinct string, since findings repeat
 * the same message and path across replicas of the same workload. NULL when out of memory.
 */
const char *k8s_intern(struct k8s_sink *sink, const char *s, size_t len);
/* Forget the intern table (the strings stay in sink->a). */
void k8s_intern_release(struct k8s_sink *sink);

enum k8s_container_list { K8S_CONTAINERS = 0, K8S_INIT_CONTAINERS, K8S_EPHEMERAL_CONTAINERS };

struct k8s_container {
    const struct fth_value *v; /* the container mapping (never NULL) */
    const char *name;          /* NULL when missing; lives as long as the scan */
    enum k8s_container_list list;
    size_t index;               /* position in its list */
    const char *path;           /* "spec.template.spec.containers[1]" */
    const struct fth_value *sc; /* its securityContext mapping, or NULL */
};

/* One object being analysed. Values die with the file; anything kept goes to sink->a. */
struct k8s_ctx {
    const struct fth_k8s_opts *opts;
    struct k8s_sink *sink;
    struct fth_arena *a; /* == sink->a */
    struct fth_k8s_object *obj;
    const struct fth_value *root;     /* the object mapping */
    const char *root_path;            /* "" or "items[3]." for a List item */
    const struct fth_value *pod_spec; /* NULL unless a workload with a pod spec mapping */
    const char *pod_spec_path;        /* "spec", "spec.template.spec", ... */
    const struct fth_value *pod_sc;   /* the pod spec's securityContext mapping, or NULL */
    const struct fth_value *pod_meta; /* the pod's metadata mapping, or NULL */
    const char *pod_meta_path;        /* "metadata", "spec.template.metadata", ... */
    struct k8s_container *containers; /* containers, then init, then ephemeral */
    size_t ncontainers;
};

/* ---- reporting ---- */

const struct fth_rule *k8s_rule(const char *id); /* NULL when unknown */

/*
 * Report that `rule` fires on the object. `at` gives line and column (NULL: the object's own
 * line); `field` is its path ("spec.template.spec.hostNetwork"), NULL for the object itself,
 * and must live as long as the scan (a literal, or a string in c->a as k8s_path makes);
 * container is a name (best: the k8s_container's own, which is not copied again) or NULL.
 * Applies fathom.dev/ignore suppression. Returns 0 or FTH_ENOMEM.
 */
int k8s_finding(struct k8s_ctx *c, const struct fth_rule *rule, const struct fth_value *at,
                const char *field, const char *container, const char *fmt, ...) FTH_PRINTF(6, 7);

/* k8s_finding with a va_list, for rule files that wrap it. */
int k8s_vfinding(struct k8s_ctx *c, const struct fth_rule *rule, const struct fth_value *at,
                 const char *field, const char *container, const char *fmt, va_list ap)
    FTH_PRINTF(6, 0);

/* The same outside one object's analysis (cross-document checks). */
int k8s_finding_obj(struct k8s_sink *sink, const struct fth_k8s_object *obj,
                    const struct fth_rule *rule, unsigned line, unsigned column, const char *field,
                    const char *container, const char *fmt, ...) FTH_PRINTF(8, 9);

/* A field holds the wrong type: "file:line:col: 'spec.hostNetwork': expected a boolean,
 * found a string". Marks the object invalid; analysis goes on treating the field as absent. */
int k8s_type_error(struct k8s_ctx *c, const struct fth_value *at, const char *field,
                   const char *expected);

/* A field path below a container / the pod spec, in c->a: "<container path>.<suffix>". */
const char *k8s_path(struct k8s_ctx *c, const char *base, const char *suffix);

/* ---- typed access: NULL (or 0) when absent or of the wrong type ---- */
/* Inline, so that a literal key's length is folded at compile time. */

static inline const struct fth_value *k8s_map(const struct fth_value *v, const char *key)
{
    const struct fth_value *x = fth_value_get(v, key);

    return x && x->type == FTH_VALUE_MAP ? x : NULL;
}

static inline const struct fth_value *k8s_seq(const struct fth_value *v, const char *key)
{
    const struct fth_value *x = fth_value_get(v, key);

    return x && x->type == FTH_VALUE_SEQ ? x : NULL;
}

static inline const char *k8s_str(const struct fth_value *v, const char *key)
{
    return fth_value_str(fth_value_get(v, key));
}

static inline int k8s_bool_true(const struct fth_value *v, const char *key)
{
    return fth_value_is_true(fth_value_get(v, key));
}

static inline int k8s_bool_false(const struct fth_value *v, const char *key)
{
    return fth_value_is_false(fth_value_get(v, key));
}

/* 1 and *out set when v[key] is an integer. */
static inline int k8s_int(const struct fth_value *v, const char *key, int64_t *out)
{
    const struct fth_value *x = fth_value_get(v, key);

    if (!x || x->type != FTH_VALUE_INT)
        return 0;
    *out = x->u.integer;
    return 1;
}

/* ---- rule sources: each file owns its table and its evaluation ---- */

extern const struct fth_rule k8s_kubesec_rules[];
extern const size_t k8s_kubesec_rules_len;
extern const struct fth_rule k8s_pss_rules[];
extern const size_t k8s_pss_rules_len;
extern const struct fth_rule k8s_fathom_rules[];
extern const size_t k8s_fathom_rules_len;

/* kubesec.c: fill obj->kubesec_* for kinds kubesec scores; report its matched negative
 * rules as findings. */
int k8s_kubesec_eval(struct k8s_ctx *c);

/* pss.c: when c->opts->pss_level > FTH_PSS_PRIVILEGED and there is a pod spec, fill
 * obj->pss_* with Pod Security Admission's verdict and report each violation. */
int k8s_pss_eval(struct k8s_ctx *c);

/* rules.c: Fathom's own per-object rules (images, probes, resources, host access, tokens,
 * secrets in env, RBAC, Services, Secrets/ConfigMaps, Namespaces). */
int k8s_fathom_eval(struct k8s_ctx *c);

/* netpol.c: remember what NetworkPolicy coverage needs from this object (workload labels,
 * policies' selectors) in c->sink->net ... */
int k8s_netpol_collect(struct k8s_ctx *c);
/* ... and once every file is in, report workloads no NetworkPolicy selects. */
int k8s_netpol_finish(struct k8s_sink *all);

/* schema.c: type-check the fields Fathom reads; reports through k8s_type_error. */
int k8s_schema_check(struct k8s_ctx *c);

#endif
