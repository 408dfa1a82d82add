/*
 * Type checks of the fields Fathom's rules read, as the Kubernetes API would refuse them:
 * `hostNetwork: "yes"` or `containers` given as a mapping is an error with the field's line,
 * and the rules then treat the field as absent. Null is accepted everywhere (the API reads it
 * as unset).
 */
#include <string.h>

#include "k8s_int.h"
#include "../base/banned.h"

struct field {
    const char *key;
    size_t len; /* of key: compared with every member of every object checked */
    enum fth_value_type type;
};

/* A table entry with its key's length counted at compile time. */
#define F(key, type)                                                                               \
    {                                                                                              \
        key, sizeof(key) - 1, type                                                                 \
    }

/*
 * Where a value sits: a chain of keys and indexes up to the object, turned into text only
 * when there is an error to report (checks are on the hot path of every scan).
 */
struct where {
    const struct where *up;
    const char *key; /* a mapping key, or NULL for a sequence index */
    size_t index;
};

static int where_format(struct fth_buf *b, const struct where *w)
{
    int error;

    if (!w)
        return 0;
    if ((error = where_format(b, w->up)) < 0)
        return error;
    if (!w->key)
        return fth_buf_printf(b, "[%zu]", w->index);
    if (b->len && (error = fth_buf_putc(b, '.')) < 0)
        return error;
    return fth_buf_puts(b, w->key);
}

static int type_error(struct k8s_ctx *c, const struct fth_value *v, const struct where *at,
                      enum fth_value_type expected)
{
    struct fth_buf path = FTH_BUF_INIT;
    int error;

    if ((error = where_format(&path, at)) == 0)
        error = k8s_type_error(c, v, path.ptr, fth_value_type_name(expected));
    fth_buf_release(&path);
    return error;
}

/* Check parent[key] (len bytes); 1 when present with the right type, 0 otherwise. */
static int check_len(struct k8s_ctx *c, int *error, const struct fth_value *parent,
                     const struct where *up, const char *key, size_t len, enum fth_value_type type)
{
    const struct fth_value *v = fth_value_getn(parent, key, len);
    struct where at = {up, key, 0};

    if (*error < 0 || !v || v->type == FTH_VALUE_NULL)
        return 0;
    if (v->type == type)
        return 1;
    *error = type_error(c, v, &at, type);
    return 0;
}

static int check(struct k8s_ctx *c, int *error, const struct fth_value *parent,
                 const struct where *up, const char *key, enum fth_value_type type)
{
    return check_len(c, error, parent, up, key, strlen(key), type);
}

/*
 * Does every member of parent that `fields` names have its type (or null)? One pass over the
 * members, no lookups: the usual answer on the hot path. Otherwise check_fields reports field
 * by field, in the table's order.
 */
static int fields_fine(const struct fth_value *parent, const struct field *fields, size_t n)
{
    size_t i, j;

    if (!parent || parent->type != FTH_VALUE_MAP)
        return 1;
    for (i = 0; i < parent->u.map.len; i++) {
        const struct fth_value *k = parent->u.map.items[i].key, *v = parent->u.map.items[i].value;

        if (v->type == FTH_VALUE_NULL || !k->u.str.len)
            continue;
        for (j = 0; j < n; j++) {
            if (fields[j].len != k->u.str.len || fields[j].key[0] != k->u.str.ptr[0] ||
                memcmp(fields[j].key, k->u.str.ptr, k->u.str.len) != 0)
                continue;
            if (v->type != fields[j].type)
                return 0;
            break;
        }
    }
    return 1;
}

static void check_fields(struct k8s_ctx *c, int *error, const struct fth_value *parent,
                         const struct where *up, const struct field *fields, size_t n)
{
    size_t i;

    if (fields_fine(parent, fields, n))
        return;
    for (i = 0; i < n && *error >= 0; i++)
        check_len(c, error, parent, up, fields[i].key, fields[i].len, fields[i].type);
}

#define CHECK_FIELDS(c, e, parent, up, table)                                                      \
    check_fields(c, e, parent, up, table, sizeof(table) / sizeof(table[0]))

/* Every item of the sequence parent[key] must be a mapping; returns the sequence or NULL. */
static const struct fth_value *check_seq_of_maps(struct k8s_ctx *c, int *error,
                                                 const struct fth_value *parent,
                                                 const struct where *up, const char *key)
{
    const struct fth_value *seq;
    struct where list = {up, key, 0};
    size_t i;

    if (!check(c, error, parent, up, key, FTH_VALUE_SEQ))
        return NULL;
    seq = fth_value_get(parent, key);
    for (i = 0; i < seq->u.seq.len && *error >= 0; i++) {
        struct where item = {&list, NULL, i};

        if (seq->u.seq.items[i]->type != FTH_VALUE_MAP)
            *error = type_error(c, seq->u.seq.items[i], &item, FTH_VALUE_MAP);
    }
    return seq;
}

static const struct field security_context_fields[] = {
    F("privileged", FTH_VALUE_BOOL),
    F("allowPrivilegeEscalation", FTH_VALUE_BOOL),
    F("readOnlyRootFilesystem", FTH_VALUE_BOOL),
    F("runAsNonRoot", FTH_VALUE_BOOL),
    F("runAsUser", FTH_VALUE_INT),
    F("runAsGroup", FTH_VALUE_INT),
    F("procMount", FTH_VALUE_STRING),
    F("capabilities", FTH_VALUE_MAP),
    F("seccompProfile", FTH_VALUE_MAP),
    F("seLinuxOptions", FTH_VALUE_MAP),
    F("appArmorProfile", FTH_VALUE_MAP),
    F("windowsOptions", FTH_VALUE_MAP),
    F("fsGroup", FTH_VALUE_INT),
    F("supplementalGroups", FTH_VALUE_SEQ),
    F("sysctls", FTH_VALUE_SEQ),
};

static const struct field capabilities_fields[] = {
    F("add", FTH_VALUE_SEQ),
    F("drop", FTH_VALUE_SEQ),
};

static const struct field container_fields[] = {
    F("name", FTH_VALUE_STRING),         F("image", FTH_VALUE_STRING),
    F("securityContext", FTH_VALUE_MAP), F("resources", FTH_VALUE_MAP),
    F("livenessProbe", FTH_VALUE_MAP),   F("readinessProbe", FTH_VALUE_MAP),
    F("startupProbe", FTH_VALUE_MAP),    F("imagePullPolicy", FTH_VALUE_STRING),
};

static const struct field resources_fields[] = {
    F("requests", FTH_VALUE_MAP),
    F("limits", FTH_VALUE_MAP),
};

static const struct field port_fields[] = {
    F("containerPort", FTH_VALUE_INT),
    F("hostPort", FTH_VALUE_INT),
    F("protocol", FTH_VALUE_STRING),
};

static const struct field env_fields[] = {
    F("name", FTH_VALUE_STRING),
    F("valueFrom", FTH_VALUE_MAP),
};

static const struct field pod_spec_fields[] = {
    F("hostNetwork", FTH_VALUE_BOOL),
    F("hostPID", FTH_VALUE_BOOL),
    F("hostIPC", FTH_VALUE_BOOL),
    F("hostUsers", FTH_VALUE_BOOL),
    F("shareProcessNamespace", FTH_VALUE_BOOL),
    F("automountServiceAccountToken", FTH_VALUE_BOOL),
    F("serviceAccountName", FTH_VALUE_STRING),
    F("serviceAccount", FTH_VALUE_STRING),
    F("os", FTH_VALUE_MAP),
};

static const struct field metadata_fields[] = {
    F("name", FTH_VALUE_STRING),
    F("namespace", FTH_VALUE_STRING),
    F("labels", FTH_VALUE_MAP),
    F("annotations", FTH_VALUE_MAP),
};

static void check_security_context(struct k8s_ctx *c, int *error, const struct fth_value *owner,
                                   const struct where *up)
{
    struct where sc = {up, "securityContext", 0}, caps = {&sc, "capabilities", 0};
    const struct fth_value *v;

    if (!check(c, error, owner, up, "securityContext", FTH_VALUE_MAP))
        return;
    v = k8s_map(owner, "securityContext");
    CHECK_FIELDS(c, error, v, &sc, security_context_fields);
    CHECK_FIELDS(c, error, k8s_map(v, "capabilities"), &caps, capabilities_fields);
}

/* Each mapping item of parent[key] against `fields`. */
static void check_items(struct k8s_ctx *c, int *error, const struct fth_value *parent,
                        const struct where *up, const char *key, const struct field *fields,
                        size_t n)
{
    const struct fth_value *seq = check_seq_of_maps(c, error, parent, up, key);
    struct where list = {up, key, 0};
    size_t i;

    for (i = 0; seq && i < seq->u.seq.len && *error >= 0; i++) {
        struct where item = {&list, NULL, i};

        check_fields(c, error, seq->u.seq.items[i], &item, fields, n);
    }
}

static void check_container(struct k8s_ctx *c, int *error, const struct fth_value *k,
                            const struct where *at)
{
    struct where res = {at, "resources", 0};

    CHECK_FIELDS(c, error, k, at, container_fields);
    check_security_context(c, error, k, at);
    CHECK_FIELDS(c, error, k8s_map(k, "resources"), &res, resources_fields);
    check_items(c, error, k, at, "ports", port_fields,
                sizeof(port_fields) / sizeof(port_fields[0]));
    check_items(c, error, k, at, "env", env_fields, sizeof(env_fields) / sizeof(env_fields[0]));
}

/* The keys a pod spec path is made of (see the kind table in scan.c), as literals. */
static const char *segment(const char *p, size_t n)
{
    static const char *const keys[] = {"spec", "template", "jobTemplate"};
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strlen(keys[i]) == n && !memcmp(keys[i], p, n))
            return keys[i];
    return NULL;
}

/* The pod spec and the mappings above it ("spec", "spec.template", ...). */
static void check_pod(struct k8s_ctx *c, int *error)
{
    static const char *const lists[] = {"containers", "initContainers", "ephemeralContainers"};
    struct where chain[8];
    const struct fth_value *v = c->root;
    const char *p = c->pod_spec_path;
    size_t depth = 0, li, i;

    while (*p && depth < sizeof(chain) / sizeof(chain[0])) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        const struct where *up = depth ? &chain[depth - 1] : NULL;
        const char *key = segment(p, n);

        if (!key || !check(c, error, v, up, key, FTH_VALUE_MAP))
            return;
        v = fth_value_get(v, key);
        chain[depth].up = up;
        chain[depth].key = key;
        chain[depth].index = 0;
        depth++;
        p += n + (dot ? 1 : 0);
    }
    if (!depth)
        return;
    CHECK_FIELDS(c, error, v, &chain[depth - 1], pod_spec_fields);
    check_security_context(c, error, v, &chain[depth - 1]);
    check_seq_of_maps(c, error, v, &chain[depth - 1], "volumes");
    for (li = 0; li < 3; li++) {
        const struct fth_value *seq = check_seq_of_maps(c, error, v, &chain[depth - 1], lists[li]);
        struct where list = {&chain[depth - 1], lists[li], 0};

        for (i = 0; seq && i < seq->u.seq.len && *error >= 0; i++) {
            struct where item = {&list, NULL, i};

            if (seq->u.seq.items[i]->type == FTH_VALUE_MAP)
                check_container(c, error, seq->u.seq.items[i], &item);
        }
    }
}

int k8s_schema_check(struct k8s_ctx *c)
{
    static const struct where spec = {NULL, "spec", 0}, metadata = {NULL, "metadata", 0};
    const struct fth_value *s = k8s_map(c->root, "spec");
    const char *kind = c->obj->kind;
    int error = 0;

    if (check(c, &error, c->root, NULL, "metadata", FTH_VALUE_MAP))
        CHECK_FIELDS(c, &error, k8s_map(c->root, "metadata"), &metadata, metadata_fields);
    if (c->pod_spec_path) {
        check(c, &error, s, &spec, "replicas", FTH_VALUE_INT);
        check_pod(c, &error);
    } else if (!strcmp(kind, "Role") || !strcmp(kind, "ClusterRole")) {
        check_seq_of_maps(c, &error, c->root, NULL, "rules");
    } else if (!strcmp(kind, "RoleBinding") || !strcmp(kind, "ClusterRoleBinding")) {
        check_seq_of_maps(c, &error, c->root, NULL, "subjects");
        check(c, &error, c->root, NULL, "roleRef", FTH_VALUE_MAP);
    } else if (!strcmp(kind, "Service")) {
        check(c, &error, c->root, NULL, "spec", FTH_VALUE_MAP);
        check(c, &error, s, &spec, "type", FTH_VALUE_STRING);
        check_seq_of_maps(c, &error, s, &spec, "ports");
    } else if (!strcmp(kind, "Secret") || !strcmp(kind, "ConfigMap")) {
        check(c, &error, c->root, NULL, "data", FTH_VALUE_MAP);
        check(c, &error, c->root, NULL, "stringData", FTH_VALUE_MAP);
    } else if (!strcmp(kind, "NetworkPolicy")) {
        check(c, &error, c->root, NULL, "spec", FTH_VALUE_MAP);
        check(c, &error, s, &spec, "podSelector", FTH_VALUE_MAP);
    }
    return error;
}
