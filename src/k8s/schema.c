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
    enum fth_value_type type;
};

static const char *expected_name(enum fth_value_type t)
{
    switch (t) {
    case FTH_VALUE_BOOL:
        return "a boolean";
    case FTH_VALUE_INT:
        return "an integer";
    case FTH_VALUE_STRING:
        return "a string";
    case FTH_VALUE_SEQ:
        return "a sequence";
    case FTH_VALUE_MAP:
        return "a mapping";
    case FTH_VALUE_FLOAT:
        return "a number";
    case FTH_VALUE_NULL:
        break;
    }
    return "null";
}

/* Check one field of `parent`; 1 when present with the right type, 0 otherwise. */
static int check(struct k8s_ctx *c, int *error, const struct fth_value *parent, const char *path,
                 const char *key, enum fth_value_type type)
{
    const struct fth_value *v = fth_value_get(parent, key);
    const char *field;

    if (*error < 0 || !v || v->type == FTH_VALUE_NULL)
        return 0;
    if (v->type == type)
        return 1;
    field = k8s_path(c, path, key);
    *error = field ? k8s_type_error(c, v, field, expected_name(type)) : FTH_ENOMEM;
    return 0;
}

static void check_fields(struct k8s_ctx *c, int *error, const struct fth_value *parent,
                         const char *path, const struct field *fields, size_t n)
{
    size_t i;

    for (i = 0; i < n && *error >= 0; i++)
        check(c, error, parent, path, fields[i].key, fields[i].type);
}

#define CHECK_FIELDS(c, e, parent, path, table)                                                    \
    check_fields(c, e, parent, path, table, sizeof(table) / sizeof(table[0]))

/* Every item of the sequence parent[key] must be a mapping; returns the sequence or NULL. */
static const struct fth_value *check_seq_of_maps(struct k8s_ctx *c, int *error,
                                                 const struct fth_value *parent, const char *path,
                                                 const char *key)
{
    const struct fth_value *seq;
    size_t i;

    if (!check(c, error, parent, path, key, FTH_VALUE_SEQ))
        return NULL;
    seq = fth_value_get(parent, key);
    for (i = 0; i < seq->u.seq.len && *error >= 0; i++) {
        const struct fth_value *it = seq->u.seq.items[i];

        const char *field;

        if (it->type == FTH_VALUE_MAP)
            continue;
        field = fth_arena_printf(c->a, "%s%s%s[%zu]", path, *path ? "." : "", key, i);
        *error = field ? k8s_type_error(c, it, field, "a mapping") : FTH_ENOMEM;
    }
    return seq;
}

static const struct field security_context_fields[] = {
    {"privileged", FTH_VALUE_BOOL},
    {"allowPrivilegeEscalation", FTH_VALUE_BOOL},
    {"readOnlyRootFilesystem", FTH_VALUE_BOOL},
    {"runAsNonRoot", FTH_VALUE_BOOL},
    {"runAsUser", FTH_VALUE_INT},
    {"runAsGroup", FTH_VALUE_INT},
    {"procMount", FTH_VALUE_STRING},
    {"capabilities", FTH_VALUE_MAP},
    {"seccompProfile", FTH_VALUE_MAP},
    {"seLinuxOptions", FTH_VALUE_MAP},
    {"appArmorProfile", FTH_VALUE_MAP},
    {"windowsOptions", FTH_VALUE_MAP},
    {"fsGroup", FTH_VALUE_INT},
    {"supplementalGroups", FTH_VALUE_SEQ},
    {"sysctls", FTH_VALUE_SEQ},
};

static const struct field capabilities_fields[] = {
    {"add", FTH_VALUE_SEQ},
    {"drop", FTH_VALUE_SEQ},
};

static const struct field container_fields[] = {
    {"name", FTH_VALUE_STRING},         {"image", FTH_VALUE_STRING},
    {"securityContext", FTH_VALUE_MAP}, {"resources", FTH_VALUE_MAP},
    {"livenessProbe", FTH_VALUE_MAP},   {"readinessProbe", FTH_VALUE_MAP},
    {"startupProbe", FTH_VALUE_MAP},    {"imagePullPolicy", FTH_VALUE_STRING},
};

static const struct field resources_fields[] = {
    {"requests", FTH_VALUE_MAP},
    {"limits", FTH_VALUE_MAP},
};

static const struct field port_fields[] = {
    {"containerPort", FTH_VALUE_INT},
    {"hostPort", FTH_VALUE_INT},
    {"protocol", FTH_VALUE_STRING},
};

static const struct field env_fields[] = {
    {"name", FTH_VALUE_STRING},
    {"valueFrom", FTH_VALUE_MAP},
};

static const struct field pod_spec_fields[] = {
    {"hostNetwork", FTH_VALUE_BOOL},
    {"hostPID", FTH_VALUE_BOOL},
    {"hostIPC", FTH_VALUE_BOOL},
    {"hostUsers", FTH_VALUE_BOOL},
    {"shareProcessNamespace", FTH_VALUE_BOOL},
    {"automountServiceAccountToken", FTH_VALUE_BOOL},
    {"serviceAccountName", FTH_VALUE_STRING},
    {"serviceAccount", FTH_VALUE_STRING},
    {"os", FTH_VALUE_MAP},
};

static const struct field metadata_fields[] = {
    {"name", FTH_VALUE_STRING},
    {"namespace", FTH_VALUE_STRING},
    {"labels", FTH_VALUE_MAP},
    {"annotations", FTH_VALUE_MAP},
};

static void check_security_context(struct k8s_ctx *c, int *error, const struct fth_value *owner,
                                   const char *path)
{
    const char *sc_path;

    if (!check(c, error, owner, path, "securityContext", FTH_VALUE_MAP))
        return;
    sc_path = k8s_path(c, path, "securityContext");
    CHECK_FIELDS(c, error, k8s_map(owner, "securityContext"), sc_path, security_context_fields);
    CHECK_FIELDS(c, error, k8s_map(k8s_map(owner, "securityContext"), "capabilities"),
                 k8s_path(c, sc_path, "capabilities"), capabilities_fields);
}

static void check_container(struct k8s_ctx *c, int *error, const struct fth_value *k,
                            const char *path)
{
    const struct fth_value *seq;
    size_t i;

    CHECK_FIELDS(c, error, k, path, container_fields);
    check_security_context(c, error, k, path);
    CHECK_FIELDS(c, error, k8s_map(k, "resources"), k8s_path(c, path, "resources"),
                 resources_fields);
    if ((seq = check_seq_of_maps(c, error, k, path, "ports")))
        for (i = 0; i < seq->u.seq.len; i++)
            CHECK_FIELDS(c, error, seq->u.seq.items[i],
                         fth_arena_printf(c->a, "%s.ports[%zu]", path, i), port_fields);
    if ((seq = check_seq_of_maps(c, error, k, path, "env")))
        for (i = 0; i < seq->u.seq.len; i++)
            CHECK_FIELDS(c, error, seq->u.seq.items[i],
                         fth_arena_printf(c->a, "%s.env[%zu]", path, i), env_fields);
}

static void check_pod_spec(struct k8s_ctx *c, int *error)
{
    static const char *const lists[] = {"containers", "initContainers", "ephemeralContainers"};
    const struct fth_value *spec = c->pod_spec, *seq;
    size_t li, i;

    CHECK_FIELDS(c, error, spec, c->pod_spec_path, pod_spec_fields);
    check_security_context(c, error, spec, c->pod_spec_path);
    check_seq_of_maps(c, error, spec, c->pod_spec_path, "volumes");
    for (li = 0; li < 3; li++) {
        if (!(seq = check_seq_of_maps(c, error, spec, c->pod_spec_path, lists[li])))
            continue;
        for (i = 0; i < seq->u.seq.len && *error >= 0; i++) {
            const char *path;

            if (seq->u.seq.items[i]->type != FTH_VALUE_MAP)
                continue;
            path = fth_arena_printf(c->a, "%s.%s[%zu]", c->pod_spec_path, lists[li], i);
            if (!path) {
                *error = FTH_ENOMEM;
                break;
            }
            check_container(c, error, seq->u.seq.items[i], path);
        }
    }
}

/* The parents of the pod spec ("spec", "spec.template", ...) must be mappings. */
static void check_pod_path(struct k8s_ctx *c, int *error)
{
    const struct fth_value *v = c->root;
    const char *p = c->pod_spec_path;
    char key[64];

    while (*p && *error >= 0) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        const struct fth_value *next;

        if (n >= sizeof(key))
            break;
        memcpy(key, p, n);
        key[n] = '\0';
        next = fth_value_get(v, key);
        if (!next || next->type == FTH_VALUE_NULL)
            break;
        if (next->type != FTH_VALUE_MAP) {
            *error = k8s_type_error(
                c, next,
                fth_arena_strndup(c->a, c->pod_spec_path, (size_t)(p - c->pod_spec_path) + n),
                "a mapping");
            break;
        }
        v = next;
        p += n + (dot ? 1 : 0);
    }
}

int k8s_schema_check(struct k8s_ctx *c)
{
    const char *kind = c->obj->kind;
    int error = 0;

    if (check(c, &error, c->root, "", "metadata", FTH_VALUE_MAP))
        CHECK_FIELDS(c, &error, k8s_map(c->root, "metadata"), "metadata", metadata_fields);
    check(c, &error, c->root, "", "spec", FTH_VALUE_MAP);
    if (c->pod_spec_path) {
        check(c, &error, k8s_map(c->root, "spec"), "spec", "replicas", FTH_VALUE_INT);
        check_pod_path(c, &error);
        if (c->pod_spec)
            check_pod_spec(c, &error);
    } else if (!strcmp(kind, "Role") || !strcmp(kind, "ClusterRole")) {
        check_seq_of_maps(c, &error, c->root, "", "rules");
    } else if (!strcmp(kind, "RoleBinding") || !strcmp(kind, "ClusterRoleBinding")) {
        check_seq_of_maps(c, &error, c->root, "", "subjects");
        check(c, &error, c->root, "", "roleRef", FTH_VALUE_MAP);
    } else if (!strcmp(kind, "Service")) {
        check(c, &error, k8s_map(c->root, "spec"), "spec", "type", FTH_VALUE_STRING);
        check_seq_of_maps(c, &error, k8s_map(c->root, "spec"), "spec", "ports");
    } else if (!strcmp(kind, "Secret") || !strcmp(kind, "ConfigMap")) {
        check(c, &error, c->root, "", "data", FTH_VALUE_MAP);
        check(c, &error, c->root, "", "stringData", FTH_VALUE_MAP);
    } else if (!strcmp(kind, "NetworkPolicy")) {
        check(c, &error, k8s_map(c->root, "spec"), "spec", "podSelector", FTH_VALUE_MAP);
    }
    return error;
}
