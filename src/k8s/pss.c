/*
 * Pod Security Standards, evaluated the way Kubernetes' Pod Security Admission does it
 * (k8s.io/pod-security-admission, policy/check_*.go and policy/registry.go): every check has
 * one or more versions, each applying from a policy version on; a level at a version runs the
 * baseline checks, and for restricted also the restricted checks, minus the baseline checks a
 * restricted check overrides. Results keep PSA's order (baseline check ids sorted, then
 * restricted ones) and its exact reason and detail strings, so the message matches what an
 * API server would answer.
 *
 * The pod is a YAML value tree, not a decoded Go struct: an absent key and an explicit null are
 * both Go's nil, a field of the wrong type is ignored here (the schema check reports it).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "k8s_int.h"
#include "../base/banned.h"

/* The newest policy version this build implements: v1.37 (sysctls gained two names). */
#define PSS_LATEST_MINOR 37u

/*
 * fth_k8s_opts.pss_minor uses 0 for "latest", so the policy version v1.0 needs another
 * encoding: fth_pss_parse() returns this for "v1.0".
 */
#define PSS_MINOR_V1_0 FTH_PSS_MINOR_V1_0

#define PSS_REFERENCE "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
#define PSS_KINDS                                                                                  \
    "Pod,Deployment,StatefulSet,DaemonSet,ReplicaSet,ReplicationController,Job,CronJob"

#define PSS_RULE(id, title, rationale, remediation)                                                \
    {                                                                                              \
        "PSS-" id, "pss", FTH_CLASS_MISCONFIG, FTH_SEV_HIGH, title, rationale, remediation,        \
            PSS_REFERENCE, PSS_KINDS, 0, 0, NULL                                                   \
    }

/* Indexes into k8s_pss_rules, in PSA's evaluation order. */
enum check_id {
    /* baseline */
    C_APPARMOR = 0,
    C_CAPS_BASELINE,
    C_HOST_NAMESPACES,
    C_HOST_PATH,
    C_HOST_PORTS,
    C_HOST_PROBES,
    C_PRIVILEGED,
    C_PROC_MOUNT,
    C_SELINUX,
    C_SECCOMP_BASELINE,
    C_SYSCTLS,
    C_WINDOWS_HOST_PROCESS,
    /* restricted */
    C_ALLOW_PRIV_ESC,
    C_CAPS_RESTRICTED,
    C_PROC_MOUNT_RESTRICTED,
    C_RESTRICTED_VOLUMES,
    C_RUN_AS_NON_ROOT,
    C_RUN_AS_USER,
    C_SECCOMP_RESTRICTED,
    C_COUNT
};

const struct fth_rule k8s_pss_rules[] = {
    PSS_RULE("appArmorProfile", "AppArmor profile must not be disabled or overridden",
             "Running without the runtime's default AppArmor profile removes a mandatory access "
             "control layer that limits what a compromised container can touch on the node.",
             "Leave appArmorProfile unset or use type RuntimeDefault or Localhost; do not set the "
             "container.apparmor.security.beta.kubernetes.io annotations to other values."),
    PSS_RULE("capabilities_baseline", "Containers must not add capabilities beyond the default set",
             "Extra Linux capabilities such as SYS_ADMIN or NET_ADMIN hand a container powers that "
             "are commonly used to break out to the node.",
             "Remove capabilities outside the container runtime's default set from "
             "securityContext.capabilities.add."),
    PSS_RULE("hostNamespaces", "Pods must not share the host's namespaces",
             "Sharing the node's network, PID or IPC namespace lets a pod observe and interfere "
             "with other workloads and node processes.",
             "Remove hostNetwork, hostPID and hostIPC or set them to false."),
    PSS_RULE("hostPathVolumes", "Pods must not mount hostPath volumes",
             "A hostPath volume exposes the node's file system to the pod; write access to it is "
             "usually equivalent to root on the node.",
             "Replace hostPath volumes with emptyDir, configMap, secret or persistent volumes."),
    PSS_RULE("hostPorts", "Containers must not bind host ports",
             "A host port binds directly on the node, bypassing network policy and limiting "
             "scheduling; it also exposes the workload on every node address.",
             "Remove hostPort from the container ports and expose the pod through a Service."),
    PSS_RULE("hostProbesAndHostLifecycle", "Probes and lifecycle hooks must not target other hosts",
             "A host in an httpGet or tcpSocket probe or hook makes the kubelet connect to an "
             "arbitrary address from the node, which can be abused to reach internal services.",
             "Remove the host field from probes and lifecycle handlers so they target the pod."),
    PSS_RULE("privileged", "Containers must not run privileged",
             "A privileged container has nearly all of the node's capabilities and devices; a "
             "compromise of it is a compromise of the node.",
             "Remove securityContext.privileged or set it to false."),
    PSS_RULE("procMount", "Containers must keep the default /proc mount",
             "An unmasked /proc exposes kernel interfaces that the default mask hides from "
             "containers.",
             "Remove securityContext.procMount or set it to Default (outside a user namespace)."),
    PSS_RULE("seLinuxOptions", "SELinux options must not weaken confinement",
             "A custom SELinux type, user or role can move the container out of the confined "
             "container domain.",
             "Leave seLinuxOptions.user and role empty and use only the container SELinux types."),
    PSS_RULE("seccompProfile_baseline", "Seccomp must not be disabled",
             "An Unconfined seccomp profile gives the container the whole kernel system call "
             "surface, including calls used in container escapes.",
             "Remove seccompProfile type Unconfined (and unconfined seccomp annotations); use "
             "RuntimeDefault or Localhost."),
    PSS_RULE("sysctls", "Pods must only set safe sysctls",
             "Sysctls outside the namespaced safe set can change node-wide kernel behaviour or "
             "disable security mechanisms for every pod on the node.",
             "Remove sysctls that are not in the Pod Security Standards' allowed list."),
    PSS_RULE("windowsHostProcess", "Windows pods must not run as HostProcess containers",
             "A Windows HostProcess container runs directly on the host with full access to it.",
             "Remove securityContext.windowsOptions.hostProcess or set it to false."),
    PSS_RULE("allowPrivilegeEscalation", "Containers must forbid privilege escalation",
             "Without allowPrivilegeEscalation=false a process can gain more privileges than its "
             "parent, for example through setuid binaries.",
             "Set securityContext.allowPrivilegeEscalation to false in every container."),
    PSS_RULE(
        "capabilities_restricted", "Containers must drop all capabilities",
        "Each retained capability is attack surface; the restricted profile keeps none but "
        "NET_BIND_SERVICE.",
        "Set securityContext.capabilities.drop to [\"ALL\"] and add at most NET_BIND_SERVICE."),
    PSS_RULE("procMount_restricted", "Containers must keep the default /proc mount",
             "The restricted profile requires the masked /proc even in a user namespace.",
             "Remove securityContext.procMount or set it to Default."),
    PSS_RULE("restrictedVolumes", "Pods must only use the restricted volume types",
             "Volume types such as hostPath, nfs or gitRepo reach outside the pod's sandbox or "
             "depend on node-level drivers.",
             "Use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, "
             "projected or secret volumes only."),
    PSS_RULE("runAsNonRoot", "Containers must run as non-root",
             "A container running as root is one kernel or runtime bug away from root on the node.",
             "Set securityContext.runAsNonRoot to true at pod level or in every container."),
    PSS_RULE("runAsUser", "Containers must not run as UID 0",
             "An explicit runAsUser of 0 runs the container as root.",
             "Remove runAsUser: 0 or set a non-zero user id."),
    PSS_RULE("seccompProfile_restricted", "Containers must run with a seccomp profile",
             "Without a seccomp profile the container can use every system call.",
             "Set securityContext.seccompProfile.type to RuntimeDefault or Localhost at pod level "
             "or in every container."),
};

const size_t k8s_pss_rules_len = sizeof(k8s_pss_rules) / sizeof(k8s_pss_rules[0]);

/* ---- public helpers ---- */

const char *fth_pss_version_name(unsigned minor)
{
    static const char *const names[] = {
        "v1.0",  "v1.1",  "v1.2",  "v1.3",  "v1.4",  "v1.5",  "v1.6",  "v1.7",  "v1.8",  "v1.9",
        "v1.10", "v1.11", "v1.12", "v1.13", "v1.14", "v1.15", "v1.16", "v1.17", "v1.18", "v1.19",
        "v1.20", "v1.21", "v1.22", "v1.23", "v1.24", "v1.25", "v1.26", "v1.27", "v1.28", "v1.29",
        "v1.30", "v1.31", "v1.32", "v1.33", "v1.34", "v1.35", "v1.36", "v1.37"};

    if (minor == 0)
        return "latest";
    if (minor == PSS_MINOR_V1_0)
        return names[0];
    _Static_assert(sizeof(names) / sizeof(names[0]) == PSS_LATEST_MINOR + 1,
                   "a name for every policy version");
    if (minor >= sizeof(names) / sizeof(names[0]))
        return "unknown";
    return names[minor];
}

unsigned fth_pss_latest_minor(void)
{
    return PSS_LATEST_MINOR;
}

const char *fth_pss_level_name(enum fth_pss_level level)
{
    switch (level) {
    case FTH_PSS_PRIVILEGED:
        return "privileged";
    case FTH_PSS_BASELINE:
        return "baseline";
    case FTH_PSS_RESTRICTED:
        return "restricted";
    case FTH_PSS_NONE:
        break;
    }
    return "none";
}

/* PSA's version syntax: "v1.0", "v1.25", no sign, no leading zero. */
static int parse_version(unsigned *minor, const char *s, size_t len)
{
    unsigned long n = 0;
    size_t i;

    if (len < 4 || memcmp(s, "v1.", 3) != 0)
        return 0;
    if (s[3] == '0' && len > 4)
        return 0;
    for (i = 3; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        n = n * 10 + (unsigned long)(s[i] - '0');
        if (n > 100000)
            return 0;
    }
    *minor = (unsigned)n;
    return 1;
}

int fth_pss_parse(enum fth_pss_level *level, unsigned *minor, const char *text,
                  struct fth_error *err)
{
    const char *at;
    size_t llen;
    unsigned n = 0;
    int error = 0;

    if (!text) {
        error = fth_error_set(err, FTH_EUSAGE, "missing Pod Security level");
        goto out;
    }
    at = strchr(text, '@');
    llen = at ? (size_t)(at - text) : strlen(text);
    if (llen == 8 && !memcmp(text, "baseline", 8))
        *level = FTH_PSS_BASELINE;
    else if (llen == 10 && !memcmp(text, "restricted", 10))
        *level = FTH_PSS_RESTRICTED;
    else if (llen == 10 && !memcmp(text, "privileged", 10))
        *level = FTH_PSS_PRIVILEGED;
    else {
        error = fth_error_set(err, FTH_EUSAGE,
                              "unknown Pod Security level '%.*s': expected baseline, restricted "
                              "or privileged",
                              (int)(llen > 64 ? 64 : llen), text);
        goto out;
    }
    *minor = 0;
    if (!at || !strcmp(at + 1, "latest"))
        goto out;
    if (!parse_version(&n, at + 1, strlen(at + 1))) {
        error = fth_error_set(err, FTH_EUSAGE,
                              "invalid Pod Security version '%.64s': expected v1.N (v1.0 to "
                              "v1.%u) or latest",
                              at + 1, PSS_LATEST_MINOR);
        goto out;
    }
    if (n > PSS_LATEST_MINOR) {
        error = fth_error_set(err, FTH_EUSAGE,
                              "Pod Security version 'v1.%u' is newer than the latest this build "
                              "knows (v1.%u)",
                              n, PSS_LATEST_MINOR);
        goto out;
    }
    *minor = n == 0 ? PSS_MINOR_V1_0 : n;
out:
    return error;
}

/* ---- evaluation state ---- */

struct pss_eval {
    struct k8s_ctx *c;
    struct fth_arena *tmp; /* lists and scratch strings: the sink's, reset per object */
    unsigned ver;          /* the policy minor version evaluated: 0 for v1.0 */
    const struct fth_value *spec;
    const struct fth_value *psc;         /* spec.securityContext, or NULL */
    const struct fth_value *annotations; /* the pod's annotations, or NULL */
    const struct k8s_container **order;  /* containers in PSA's order: init, regular, ephemeral */
    size_t n;
    int windows; /* spec.os.name == "windows" */
    int userns;  /* spec.hostUsers == false */
    const struct fth_rule *rule;
    int oom; /* a scratch allocation failed: the check's result is unusable */
};

/* What one check found: PSA's reason and detail, in e->tmp. */
struct verdict {
    const char *reason;
    const char *detail;
};

struct strs {
    const char **v;
    size_t n;
    size_t cap;
};

/* Scratch formatting: "" (and e->oom set) when out of memory, so callers can chain. */
static const char *tprintf(struct pss_eval *e, const char *fmt, ...) FTH_PRINTF(2, 3);

static const char *tprintf(struct pss_eval *e, const char *fmt, ...)
{
    const char *out;
    va_list ap;

    va_start(ap, fmt);
    out = fth_arena_vprintf(e->tmp, fmt, ap);
    va_end(ap);
    if (!out) {
        e->oom = 1;
        out = "";
    }
    return out;
}

static int strs_add(struct pss_eval *e, struct strs *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        const char **v = fth_arena_calloc(e->tmp, cap, sizeof(*v));

        if (!v)
            return FTH_ENOMEM;
        if (l->n)
            memcpy(v, l->v, l->n * sizeof(*v));
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return 0;
}

/*
 * A Go sets.String insert. Duplicates are dropped when the set is listed (strs_sort), which
 * keeps inserting linear however many containers the input has.
 */
static int set_add(struct pss_eval *e, struct strs *l, const char *s)
{
    return strs_add(e, l, s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* sets.String.List(): unique, sorted bytewise like Go's sort.Strings. */
static void strs_sort(struct strs *l)
{
    size_t i, n = 0;

    if (l->n < 2)
        return;
    qsort(l->v, l->n, sizeof(*l->v), cmp_str);
    for (i = 0; i < l->n; i++)
        if (!n || strcmp(l->v[n - 1], l->v[i]) != 0)
            l->v[n++] = l->v[i];
    l->n = n;
}

static int strs_has_sorted(const struct strs *l, const char *s)
{
    return l->n && bsearch(&s, l->v, l->n, sizeof(*l->v), cmp_str) != NULL;
}

/* strings.Join, or PSA's joinQuote when quote is set: "a", "b". Measured, then copied
 * straight into e->tmp: every violating pod's details are joined, and a growing buffer per
 * join showed in profiles. */
static const char *join(struct pss_eval *e, const struct strs *l, const char *sep, int quote)
{
    const char *between = quote ? "\", \"" : sep;
    size_t nsep = l->n > 1 ? strlen(between) : 0, len = quote && l->n ? 2 : 0, i;
    char *out, *p;

    for (i = 0; i < l->n; i++)
        len += strlen(l->v[i]) + (i ? nsep : 0);
    if (!(out = fth_arena_alloc(e->tmp, len + 1))) {
        e->oom = 1;
        return "";
    }
    p = out;
    if (quote && l->n)
        *p++ = '"';
    for (i = 0; i < l->n; i++) {
        size_t n = strlen(l->v[i]);

        if (i) {
            memcpy(p, between, nsep);
            p += nsep;
        }
        memcpy(p, l->v[i], n);
        p += n;
    }
    if (quote && l->n)
        *p++ = '"';
    *p = '\0';
    return out;
}

static const char *join_quote(struct pss_eval *e, const struct strs *l)
{
    return join(e, l, NULL, 1);
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* Go's %q for the strings PSA quotes (annotation values). */
static const char *go_quote(struct pss_eval *e, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    struct fth_buf b = FTH_BUF_INIT;
    const char *out = NULL;
    int error = fth_buf_putc(&b, '"');

    for (; *s && error >= 0; s++) {
        unsigned char ch = (unsigned char)*s;
        char esc[5] = {'\\', 0, 0, 0, 0};

        switch (ch) {
        case '"':
        case '\\':
            esc[1] = (char)ch;
            break;
        case '\a':
            esc[1] = 'a';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        case '\v':
            esc[1] = 'v';
            break;
        default:
            if (ch < 0x20 || ch == 0x7f) {
                esc[1] = 'x';
                esc[2] = hex[ch >> 4];
                esc[3] = hex[ch & 0xf];
            }
            break;
        }
        error = esc[1] ? fth_buf_puts(&b, esc) : fth_buf_putc(&b, (char)ch);
    }
    if (error >= 0)
        error = fth_buf_putc(&b, '"');
    if (error >= 0)
        out = fth_arena_strndup(e->tmp, b.ptr, b.len);
    fth_buf_release(&b);
    if (!out) {
        e->oom = 1;
        out = "\"\"";
    }
    return out;
}

/* ---- value helpers ---- */

/* The key node of map[key] (the line to point at), or the map itself. */
static const struct fth_value *key_at(const struct fth_value *map, const char *key)
{
    const struct fth_member *m = fth_value_member(map, key);

    return m && m->key ? m->key : map;
}

/* A Go string field: "" when absent, null or not a string. */
static const char *str_or_empty(const struct fth_value *v, const char *key)
{
    const char *s = k8s_str(v, key);

    return s ? s : "";
}

static const char *cname(const struct k8s_container *k)
{
    return k->name ? k->name : "";
}

static const struct fth_value *csc(const struct k8s_container *k)
{
    return k->sc; /* looked up once, when the container was listed */
}

/* Report one offending field of the current check as a finding. */
static int report(struct pss_eval *e, const struct fth_value *at, const char *base,
                  const char *suffix, const char *container, const char *fmt, ...) FTH_PRINTF(6, 7);

static int report(struct pss_eval *e, const struct fth_value *at, const char *base,
                  const char *suffix, const char *container, const char *fmt, ...)
{
    const char *field = NULL;
    va_list ap;
    int error;

    if (base && !(field = suffix ? k8s_path(e->c, base, suffix) : base))
        return FTH_ENOMEM;
    va_start(ap, fmt);
    error = k8s_vfinding(e->c, e->rule, at, field, container, fmt, ap);
    va_end(ap);
    return error;
}

static const char *spec_path(struct pss_eval *e)
{
    return e->c->pod_spec_path;
}

/* ---- baseline checks ---- */

static int is_apparmor_type_allowed(const char *t)
{
    return !strcmp(t, "RuntimeDefault") || !strcmp(t, "Localhost");
}

static int is_apparmor_annotation_allowed(const char *v)
{
    return !*v || !strcmp(v, "runtime/default") || !strncmp(v, "localhost/", 10);
}

#define APPARMOR_PREFIX "container.apparmor.security.beta.kubernetes.io/"

static int check_apparmor(struct pss_eval *e, struct verdict *out)
{
    struct strs setters = {0}, values = {0}, containers = {0}, annotations = {0};
    const struct fth_value *aa = k8s_map(e->psc, "appArmorProfile");
    size_t i;
    int error = 0;

    if (aa) {
        const char *t = str_or_empty(aa, "type");

        if (!is_apparmor_type_allowed(t)) {
            if ((error = strs_add(e, &setters, "pod")) < 0 ||
                (error = set_add(e, &values, t)) < 0 ||
                (error = report(e, key_at(e->psc, "appArmorProfile"), spec_path(e),
                                "securityContext.appArmorProfile.type", NULL,
                                "pod must not set AppArmor profile type to \"%s\"", t)) < 0)
                goto out;
        }
    }
    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *sc = csc(k);
        const char *t;

        if (!(aa = k8s_map(sc, "appArmorProfile")))
            continue;
        t = str_or_empty(aa, "type");
        if (is_apparmor_type_allowed(t))
            continue;
        if ((error = strs_add(e, &containers, cname(k))) < 0 ||
            (error = set_add(e, &values, t)) < 0 ||
            (error = report(e, key_at(sc, "appArmorProfile"), k->path,
                            "securityContext.appArmorProfile.type", k->name,
                            "container \"%s\" must not set AppArmor profile type to \"%s\"",
                            cname(k), t)) < 0)
            goto out;
    }
    if (containers.n &&
        (error = strs_add(e, &setters,
                          tprintf(e, "%s %s", plural(containers.n, "container", "containers"),
                                  join_quote(e, &containers)))) < 0)
        goto out;
    for (i = 0; e->annotations && i < e->annotations->u.map.len; i++) {
        const struct fth_member *m = &e->annotations->u.map.items[i];
        const char *key = fth_value_str(m->key), *val = fth_value_str(m->value);

        if (!key || !val || strncmp(key, APPARMOR_PREFIX, strlen(APPARMOR_PREFIX)) != 0 ||
            is_apparmor_annotation_allowed(val))
            continue;
        if ((error = strs_add(e, &annotations, tprintf(e, "%s=%s", key, go_quote(e, val)))) < 0 ||
            (error = report(e, m->key, e->c->pod_meta_path, tprintf(e, "annotations['%s']", key),
                            NULL, "annotation %s=%s sets a forbidden AppArmor profile", key,
                            go_quote(e, val))) < 0)
            goto out;
    }
    strs_sort(&values);
    if (annotations.n) {
        strs_sort(&annotations);
        for (i = 0; i < annotations.n; i++)
            if ((error = strs_add(e, &values, annotations.v[i])) < 0)
                goto out;
        if ((error = strs_add(e, &setters, plural(annotations.n, "annotation", "annotations"))) < 0)
            goto out;
    }
    if (setters.n) {
        out->reason = plural(values.n, "forbidden AppArmor profile", "forbidden AppArmor profiles");
        out->detail = tprintf(e, "%s must not set AppArmor profile type to %s",
                              join(e, &setters, " and ", 0), join_quote(e, &values));
        error = 1;
    }
out:
    return error;
}

static const char *const caps_baseline_allowed[] = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",       "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT", NULL};

static int in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (!strcmp(*list, s))
            return 1;
    return 0;
}

static int check_caps_baseline(struct pss_eval *e, struct verdict *out)
{
    struct strs bad = {0}, caps = {0};
    size_t i, j;
    int error = 0;

    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *add = k8s_seq(k8s_map(csc(k), "capabilities"), "add");
        int valid = 1;

        for (j = 0; j < fth_value_len(add); j++) {
            const struct fth_value *item = fth_value_at(add, j);
            const char *cap = fth_value_str(item);

            if (!cap || in_list(caps_baseline_allowed, cap))
                continue;
            valid = 0;
            if ((error = set_add(e, &caps, cap)) < 0 ||
                (error = report(e, item, k->path,
                                tprintf(e, "securityContext.capabilities.add[%zu]", j), k->name,
                                "container \"%s\" must not include \"%s\" in "
                                "securityContext.capabilities.add",
                                cname(k), cap)) < 0)
                goto out;
        }
        if (!valid && (error = strs_add(e, &bad, cname(k))) < 0)
            goto out;
    }
    if (bad.n) {
        strs_sort(&caps);
        out->reason = "non-default capabilities";
        out->detail = tprintf(e, "%s %s must not include %s in securityContext.capabilities.add",
                              plural(bad.n, "container", "containers"), join_quote(e, &bad),
                              join_quote(e, &caps));
        error = 1;
    }
out:
    return error;
}

static int check_host_namespaces(struct pss_eval *e, struct verdict *out)
{
    static const char *const keys[] = {"hostNetwork", "hostPID", "hostIPC"};
    struct strs set = {0};
    size_t i;
    int error = 0;

    for (i = 0; i < 3; i++) {
        if (!k8s_bool_true(e->spec, keys[i]))
            continue;
        if ((error = strs_add(e, &set, tprintf(e, "%s=true", keys[i]))) < 0 ||
            (error = report(e, key_at(e->spec, keys[i]), spec_path(e), keys[i], NULL,
                            "pod must not set %s=true", keys[i])) < 0)
            goto out;
    }
    if (set.n) {
        out->reason = "host namespaces";
        out->detail = join(e, &set, ", ", 0);
        error = 1;
    }
out:
    return error;
}

static const char *volume_name(const struct fth_value *vol)
{
    return str_or_empty(vol, "name");
}

static int check_host_path(struct pss_eval *e, struct verdict *out)
{
    const struct fth_value *vols = k8s_seq(e->spec, "volumes");
    struct strs bad = {0};
    size_t i;
    int error = 0;

    for (i = 0; i < fth_value_len(vols); i++) {
        const struct fth_value *vol = fth_value_at(vols, i);

        if (!k8s_map(vol, "hostPath"))
            continue;
        if ((error = strs_add(e, &bad, volume_name(vol))) < 0 ||
            (error = report(e, key_at(vol, "hostPath"), spec_path(e),
                            tprintf(e, "volumes[%zu].hostPath", i), NULL,
                            "volume \"%s\" must not use hostPath", volume_name(vol))) < 0)
            goto out;
    }
    if (bad.n) {
        out->reason = "hostPath volumes";
        out->detail = tprintf(e, "%s %s", plural(bad.n, "volume", "volumes"), join_quote(e, &bad));
        error = 1;
    }
out:
    return error;
}

static int check_host_ports(struct pss_eval *e, struct verdict *out)
{
    struct strs bad = {0}, ports = {0};
    size_t i, j;
    int error = 0;
    /*
     * For a Pod with hostNetwork the API server defaults each container's and init container's
     * unset hostPort to its containerPort before admission sees it (pod templates are no longer
     * defaulted that way since Kubernetes 1.28).
     */
    int defaulted =
        k8s_bool_true(e->spec, "hostNetwork") && e->c->obj->kind && !strcmp(e->c->obj->kind, "Pod");

    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *list = k8s_seq(k->v, "ports");
        int valid = 1;

        for (j = 0; j < fth_value_len(list); j++) {
            const struct fth_value *port = fth_value_at(list, j);
            const char *key = "hostPort";
            int64_t hp = 0;

            if ((!k8s_int(port, "hostPort", &hp) || hp == 0) && defaulted &&
                k->list != K8S_EPHEMERAL_CONTAINERS && k8s_int(port, "containerPort", &hp))
                key = "containerPort";
            if (hp == 0)
                continue;
            valid = 0;
            if ((error = set_add(e, &ports, tprintf(e, "%lld", (long long)hp))) < 0 ||
                (error = report(
                     e, key_at(port, key), k->path, tprintf(e, "ports[%zu].%s", j, key), k->name,
                     "container \"%s\" must not use hostPort %lld%s", cname(k), (long long)hp,
                     *key == 'c' ? " (hostNetwork makes the containerPort a hostPort)" : "")) < 0)
                goto out;
        }
        if (!valid && (error = strs_add(e, &bad, cname(k))) < 0)
            goto out;
    }
    if (bad.n) {
        strs_sort(&ports);
        out->reason = "hostPort";
        out->detail = tprintf(e, "%s %s %s %s %s", plural(bad.n, "container", "containers"),
                              join_quote(e, &bad), plural(bad.n, "uses", "use"),
                              plural(ports.n, "hostPort", "hostPorts"), join(e, &ports, ", ", 0));
        error = 1;
    }
out:
    return error;
}

/* One probe or lifecycle handler: its httpGet.host and tcpSocket.host. */
static int probe_hosts(struct pss_eval *e, const struct k8s_container *k, const char *what,
                       const struct fth_value *handler, struct strs *hosts, int *bad)
{
    static const char *const kinds[] = {"httpGet", "tcpSocket"};
    size_t i;
    int error = 0;

    for (i = 0; i < 2 && handler; i++) {
        const struct fth_value *h = k8s_map(handler, kinds[i]);
        const char *host = k8s_str(h, "host");

        if (!host || !*host)
            continue;
        *bad = 1;
        if ((error = set_add(e, hosts, host)) < 0 ||
            (error = report(e, key_at(h, "host"), k->path, tprintf(e, "%s.%s.host", what, kinds[i]),
                            k->name, "container \"%s\" must not set %s.%s.host (\"%s\")", cname(k),
                            what, kinds[i], host)) < 0)
            break;
    }
    return error;
}

static int check_host_probes(struct pss_eval *e, struct verdict *out)
{
    static const char *const probes[] = {"livenessProbe", "readinessProbe", "startupProbe"};
    static const char *const hooks[] = {"postStart", "preStop"};
    /* the hooks' paths as literals: formatting them per container showed in profiles */
    static const char *const hook_paths[] = {"lifecycle.postStart", "lifecycle.preStop"};
    struct strs bad = {0}, hosts = {0};
    size_t i, j;
    int error = 0;

    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *lc = k8s_map(k->v, "lifecycle");
        int isbad = 0;

        for (j = 0; j < 3; j++)
            if ((error = probe_hosts(e, k, probes[j], k8s_map(k->v, probes[j]), &hosts, &isbad)) <
                0)
                goto out;
        for (j = 0; j < 2; j++)
            if ((error = probe_hosts(e, k, hook_paths[j], k8s_map(lc, hooks[j]), &hosts, &isbad)) <
                0)
                goto out;
        if (isbad && (error = set_add(e, &bad, cname(k))) < 0)
            goto out;
    }
    if (bad.n) {
        strs_sort(&bad);
        strs_sort(&hosts);
        out->reason = "probe or lifecycle host";
        out->detail =
            tprintf(e, "%s %s %s %s %s", plural(bad.n, "container", "containers"),
                    join_quote(e, &bad), plural(bad.n, "uses", "use"),
                    plural(hosts.n, "probe or lifecycle host", "probe or lifecycle hosts"),
                    join_quote(e, &hosts));
        error = 1;
    }
out:
    return error;
}

static int check_privileged(struct pss_eval *e, struct verdict *out)
{
    struct strs bad = {0};
    size_t i;
    int error = 0;

    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *sc = csc(k);

        if (!k8s_bool_true(sc, "privileged"))
            continue;
        if ((error = strs_add(e, &bad, cname(k))) < 0 ||
            (error = report(
                 e, key_at(sc, "privileged"), k->path, "securityContext.privileged", k->name,
                 "container \"%s\" must not set securityContext.privileged=true", cname(k))) < 0)
            goto out;
    }
    if (bad.n) {
        out->reason = "privileged";
        out->detail = tprintf(e, "%s %s must not set securityContext.privileged=true",
                              plural(bad.n, "container", "containers"), join_quote(e, &bad));
        error = 1;
    }
out:
    return error;
}

/* procMount_1_0: anything but Default is forbidden. */
static int proc_mount(struct pss_eval *e, struct verdict *out)
{
    struct strs bad = {0}, types = {0};
    size_t i;
    int error = 0;

    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *sc = csc(k);
        const char *pm = k8s_str(sc, "procMount");

        if (!pm || !strcmp(pm, "Default"))
            continue;
        if ((error = strs_add(e, &bad, cname(k))) < 0 || (error = set_add(e, &types, pm)) < 0 ||
            (error =
                 report(e, key_at(sc, "procMount"), k->path, "securityContext.procMount", k->name,
                        "container \"%s\" must not set securityContext.procMount to \"%s\"",
                        cname(k), pm)) < 0)
            goto out;
    }
    if (bad.n) {
        strs_sort(&types);
        out->reason = "procMount";
        out->detail = tprintf(e, "%s %s must not set securityContext.procMount to %s",
                              plural(bad.n, "container", "containers"), join_quote(e, &bad),
                              join_quote(e, &types));
        error = 1;
    }
out:
    return error;
}

static int check_proc_mount(struct pss_eval *e, struct verdict *out)
{
    /* From v1.35 a pod in a user namespace may unmask /proc. */
    if (e->ver >= 35 && e->userns)
        return 0;
    return proc_mount(e, out);
}

static int check_proc_mount_restricted(struct pss_eval *e, struct verdict *out)
{
    return proc_mount(e, out);
}

static int selinux_valid(struct pss_eval *e, const struct fth_value *opts, struct strs *types,
                         int *user, int *role, const char *base, const char *container)
{
    static const char *const allowed[] = {"", "container_t", "container_init_t", "container_kvm_t",
                                          NULL};
    const char *t = str_or_empty(opts, "type");
    const char *u = str_or_empty(opts, "user");
    const char *r = str_or_empty(opts, "role");
    int valid = 1, error = 0;

    if (!in_list(allowed, t) && !(e->ver >= 31 && !strcmp(t, "container_engine_t"))) {
        valid = 0;
        if ((error = set_add(e, types, t)) < 0 ||
            (error = report(e, key_at(opts, "type"), base, "type", container,
                            "seLinuxOptions.type \"%s\" is forbidden", t)) < 0)
            return error;
    }
    if (*u) {
        valid = 0;
        *user = 1;
        if ((error = report(e, key_at(opts, "user"), base, "user", container,
                            "seLinuxOptions.user may not be set")) < 0)
            return error;
    }
    if (*r) {
        valid = 0;
        *role = 1;
        if ((error = report(e, key_at(opts, "role"), base, "role", container,
                            "seLinuxOptions.role may not be set")) < 0)
            return error;
    }
    return valid;
}

static int check_selinux(struct pss_eval *e, struct verdict *out)
{
    struct strs setters = {0}, types = {0}, bad = {0}, data = {0};
    const struct fth_value *opts = k8s_map(e->psc, "seLinuxOptions");
    int user = 0, role = 0, rc, error = 0;
    size_t i;

    if (opts) {
        const char *base = k8s_path(e->c, spec_path(e), "securityContext.seLinuxOptions");

        if (!base) {
            error = FTH_ENOMEM;
            goto out;
        }
        if ((rc = selinux_valid(e, opts, &types, &user, &role, base, NULL)) < 0) {
            error = rc;
            goto out;
        }
        if (!rc && (error = strs_add(e, &setters, "pod")) < 0)
            goto out;
    }
    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const char *base;

        if (!(opts = k8s_map(csc(k), "seLinuxOptions")))
            continue;
        if (!(base = k8s_path(e->c, k->path, "securityContext.seLinuxOptions"))) {
            error = FTH_ENOMEM;
            goto out;
        }
        if ((rc = selinux_valid(e, opts, &types, &user, &role, base, k->name)) < 0) {
            error = rc;
            goto out;
        }
        if (!rc && (error = strs_add(e, &bad, cname(k))) < 0)
            goto out;
    }
    if (bad.n && (error = strs_add(e, &setters,
                                   tprintf(e, "%s %s", plural(bad.n, "container", "containers"),
                                           join_quote(e, &bad)))) < 0)
        goto out;
    if (!setters.n)
        goto out;
    if (types.n) {
        strs_sort(&types);
        if ((error = strs_add(
                 e, &data,
                 tprintf(e, "%s %s", plural(types.n, "type", "types"), join_quote(e, &types)))) < 0)
            goto out;
    }
    if ((user && (error = strs_add(e, &data, "user may not be set")) < 0) ||
        (role && (error = strs_add(e, &data, "role may not be set")) < 0))
        goto out;
    out->reason = "seLinuxOptions";
    out->detail = tprintf(e, "%s set forbidden securityContext.seLinuxOptions: %s",
                          join(e, &setters, " and ", 0), join(e, &data, "; ", 0));
    error = 1;
out:
    return error;
}

#define SECCOMP_POD_ANNOTATION "seccomp.security.alpha.kubernetes.io/pod"
#define SECCOMP_CONTAINER_PREFIX "container.seccomp.security.alpha.kubernetes.io/"

static int seccomp_annotation_valid(const char *v)
{
    return !strcmp(v, "runtime/default") || !strcmp(v, "docker/default") ||
           !strncmp(v, "localhost/", 10);
}

/*
 * Before v1.19 the seccomp profile was set through alpha annotations: one for the pod, one per
 * container name. The annotations are walked once against the sorted container names.
 */
static int seccomp_annotations(struct pss_eval *e, struct verdict *out)
{
    const size_t plen = strlen(SECCOMP_CONTAINER_PREFIX);
    struct strs bad = {0}, names = {0};
    size_t i;
    int error = 0;

    for (i = 0; i < e->n; i++)
        if ((error = strs_add(e, &names, cname(e->order[i]))) < 0)
            goto out;
    strs_sort(&names);
    for (i = 0; e->annotations && i < e->annotations->u.map.len; i++) {
        const struct fth_member *m = &e->annotations->u.map.items[i];
        const char *key = fth_value_str(m->key), *val = fth_value_str(m->value);
        const char *container = NULL, *entry;

        if (!key || !val || seccomp_annotation_valid(val))
            continue;
        if (!strncmp(key, SECCOMP_CONTAINER_PREFIX, plen) && strs_has_sorted(&names, key + plen))
            container = key + plen;
        else if (strcmp(key, SECCOMP_POD_ANNOTATION) != 0)
            continue;
        entry = tprintf(e, "%s=%s", key, go_quote(e, val));
        if ((error = strs_add(e, &bad, entry)) < 0 ||
            (error = report(e, m->key, e->c->pod_meta_path, tprintf(e, "annotations['%s']", key),
                            container, "forbidden annotation %s", entry)) < 0)
            goto out;
    }
    if (bad.n) {
        strs_sort(&bad);
        out->reason = "seccompProfile";
        out->detail = tprintf(e, "forbidden %s %s", plural(bad.n, "annotation", "annotations"),
                              join(e, &bad, ", ", 0));
        error = 1;
    }
out:
    return error;
}

static int seccomp_type_valid(const char *t)
{
    return !strcmp(t, "RuntimeDefault") || !strcmp(t, "Localhost");
}

/*
 * securityContext.seccompProfile (v1.19+). Baseline forbids explicit bad types; restricted
 * (require) also wants every container covered by a valid pod or container profile.
 */
static int seccomp_fields(struct pss_eval *e, struct verdict *out, int require)
{
    struct strs setters = {0}, values = {0}, bad = {0}, implicit = {0};
    const struct fth_value *sp = k8s_map(e->psc, "seccompProfile");
    int pod_set = 0, error = 0;
    size_t i;

    if (sp) {
        const char *t = str_or_empty(sp, "type");

        if (!seccomp_type_valid(t)) {
            if ((error = strs_add(e, &setters, "pod")) < 0 ||
                (error = set_add(e, &values, t)) < 0 ||
                (error = report(e,
                                key_at(sp, "type") == sp ? key_at(e->psc, "seccompProfile")
                                                         : key_at(sp, "type"),
                                spec_path(e), "securityContext.seccompProfile.type", NULL,
                                "pod must not set securityContext.seccompProfile.type to \"%s\"",
                                t)) < 0)
                goto out;
        } else {
            pod_set = 1;
        }
    }
    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *sc = csc(k);
        const char *t;

        if (!(sp = k8s_map(sc, "seccompProfile"))) {
            if (require && !pod_set &&
                ((error = strs_add(e, &implicit, cname(k))) < 0 ||
                 (error = report(e, k->v, k->path, "securityContext.seccompProfile.type", k->name,
                                 "container \"%s\" must set securityContext.seccompProfile.type "
                                 "to \"RuntimeDefault\" or \"Localhost\" (or the pod must)",
                                 cname(k))) < 0))
                goto out;
            continue;
        }
        t = str_or_empty(sp, "type");
        if (seccomp_type_valid(t))
            continue;
        if ((error = strs_add(e, &bad, cname(k))) < 0 || (error = set_add(e, &values, t)) < 0 ||
            (error = report(e, key_at(sc, "seccompProfile"), k->path,
                            "securityContext.seccompProfile.type", k->name,
                            "container \"%s\" must not set securityContext.seccompProfile.type to "
                            "\"%s\"",
                            cname(k), t)) < 0)
            goto out;
    }
    if (bad.n && (error = strs_add(e, &setters,
                                   tprintf(e, "%s %s", plural(bad.n, "container", "containers"),
                                           join_quote(e, &bad)))) < 0)
        goto out;
    if (setters.n) {
        strs_sort(&values);
        out->reason = "seccompProfile";
        out->detail = tprintf(e, "%s must not set securityContext.seccompProfile.type to %s",
                              join(e, &setters, " and ", 0), join_quote(e, &values));
        error = 1;
    } else if (implicit.n) {
        out->reason = "seccompProfile";
        out->detail =
            tprintf(e,
                    "pod or %s %s must set securityContext.seccompProfile.type "
                    "to \"RuntimeDefault\" or \"Localhost\"",
                    plural(implicit.n, "container", "containers"), join_quote(e, &implicit));
        error = 1;
    }
out:
    return error;
}

static int check_seccomp_baseline(struct pss_eval *e, struct verdict *out)
{
    return e->ver < 19 ? seccomp_annotations(e, out) : seccomp_fields(e, out, 0);
}

/* The safe sysctls, each with the policy version that admitted it. */
static const struct {
    const char *name;
    unsigned since;
} safe_sysctls[] = {
    {"kernel.shm_rmid_forced", 0},
    {"net.ipv4.ip_local_port_range", 0},
    {"net.ipv4.tcp_syncookies", 0},
    {"net.ipv4.ping_group_range", 0},
    {"net.ipv4.ip_unprivileged_port_start", 0},
    {"net.ipv4.ip_local_reserved_ports", 27},
    {"net.ipv4.tcp_keepalive_time", 29},
    {"net.ipv4.tcp_fin_timeout", 29},
    {"net.ipv4.tcp_keepalive_intvl", 29},
    {"net.ipv4.tcp_keepalive_probes", 29},
    {"net.ipv4.tcp_rmem", 32},
    {"net.ipv4.tcp_wmem", 32},
    {"net.ipv4.tcp_slow_start_after_idle", 37},
    {"net.ipv4.tcp_notsent_lowat", 37},
};

static int sysctl_safe(const char *name, unsigned ver)
{
    size_t i;

    for (i = 0; i < sizeof(safe_sysctls) / sizeof(safe_sysctls[0]); i++)
        if (ver >= safe_sysctls[i].since && !strcmp(safe_sysctls[i].name, name))
            return 1;
    return 0;
}

static int check_sysctls(struct pss_eval *e, struct verdict *out)
{
    const struct fth_value *list = k8s_seq(e->psc, "sysctls");
    struct strs bad = {0};
    size_t i;
    int error = 0;

    for (i = 0; i < fth_value_len(list); i++) {
        const struct fth_value *item = fth_value_at(list, i);
        const char *name;

        if (!item || item->type != FTH_VALUE_MAP)
            continue;
        name = str_or_empty(item, "name");
        if (sysctl_safe(name, e->ver))
            continue;
        if ((error = strs_add(e, &bad, name)) < 0 ||
            (error = report(e, key_at(item, "name"), spec_path(e),
                            tprintf(e, "securityContext.sysctls[%zu].name", i), NULL,
                            "sysctl \"%s\" is not in the safe set", name)) < 0)
            goto out;
    }
    if (bad.n) {
        out->reason = "forbidden sysctls";
        out->detail = join(e, &bad, ", ", 0);
        error = 1;
    }
out:
    return error;
}

static int check_windows_host_process(struct pss_eval *e, struct verdict *out)
{
    struct strs setters = {0}, bad = {0};
    const struct fth_value *wo = k8s_map(e->psc, "windowsOptions");
    size_t i;
    int error = 0;

    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *cwo = k8s_map(csc(k), "windowsOptions");

        if (!k8s_bool_true(cwo, "hostProcess"))
            continue;
        if ((error = strs_add(e, &bad, cname(k))) < 0 ||
            (error = report(e, key_at(cwo, "hostProcess"), k->path,
                            "securityContext.windowsOptions.hostProcess", k->name,
                            "container \"%s\" must not set "
                            "securityContext.windowsOptions.hostProcess=true",
                            cname(k))) < 0)
            goto out;
    }
    if (k8s_bool_true(wo, "hostProcess")) {
        if ((error = strs_add(e, &setters, "pod")) < 0 ||
            (error = report(e, key_at(wo, "hostProcess"), spec_path(e),
                            "securityContext.windowsOptions.hostProcess", NULL,
                            "pod must not set securityContext.windowsOptions.hostProcess=true")) <
                0)
            goto out;
    }
    if (bad.n && (error = strs_add(e, &setters,
                                   tprintf(e, "%s %s", plural(bad.n, "container", "containers"),
                                           join_quote(e, &bad)))) < 0)
        goto out;
    if (setters.n) {
        out->reason = "hostProcess";
        out->detail = tprintf(e, "%s must not set securityContext.windowsOptions.hostProcess=true",
                              join(e, &setters, " and ", 0));
        error = 1;
    }
out:
    return error;
}

/* ---- restricted checks ---- */

static int check_allow_priv_esc(struct pss_eval *e, struct verdict *out)
{
    struct strs bad = {0};
    size_t i;
    int error = 0;

    /* From v1.25 Windows pods are exempt: the API forbids the field for them. */
    if (e->ver >= 25 && e->windows)
        return 0;
    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *sc = csc(k);

        if (k8s_bool_false(sc, "allowPrivilegeEscalation"))
            continue;
        if ((error = strs_add(e, &bad, cname(k))) < 0 ||
            (error = report(e,
                            k8s_bool_true(sc, "allowPrivilegeEscalation")
                                ? key_at(sc, "allowPrivilegeEscalation")
                                : k->v,
                            k->path, "securityContext.allowPrivilegeEscalation", k->name,
                            "container \"%s\" must set "
                            "securityContext.allowPrivilegeEscalation=false",
                            cname(k))) < 0)
            goto out;
    }
    if (bad.n) {
        out->reason = "allowPrivilegeEscalation != false";
        out->detail = tprintf(e, "%s %s must set securityContext.allowPrivilegeEscalation=false",
                              plural(bad.n, "container", "containers"), join_quote(e, &bad));
        error = 1;
    }
out:
    return error;
}

static int check_caps_restricted(struct pss_eval *e, struct verdict *out)
{
    struct strs nodrop = {0}, adding = {0}, caps = {0}, details = {0};
    size_t i, j;
    int error = 0;

    if (e->ver >= 25 && e->windows)
        return 0;
    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *sc = csc(k);
        const struct fth_value *cap = k8s_map(sc, "capabilities");
        const struct fth_value *drop = k8s_seq(cap, "drop"), *add = k8s_seq(cap, "add");
        int dropped = 0, added = 0;

        for (j = 0; j < fth_value_len(drop) && !dropped; j++)
            dropped = fth_value_streq(fth_value_at(drop, j), "ALL");
        if (!dropped &&
            ((error = strs_add(e, &nodrop, cname(k))) < 0 ||
             (error =
                  report(e, cap ? key_at(sc, "capabilities") : k->v, k->path,
                         "securityContext.capabilities.drop", k->name,
                         "container \"%s\" must set securityContext.capabilities.drop=[\"ALL\"]",
                         cname(k))) < 0))
            goto out;
        for (j = 0; j < fth_value_len(add); j++) {
            const struct fth_value *item = fth_value_at(add, j);
            const char *name = fth_value_str(item);

            if (!name || !strcmp(name, "NET_BIND_SERVICE"))
                continue;
            added = 1;
            if ((error = set_add(e, &caps, name)) < 0 ||
                (error = report(e, item, k->path,
                                tprintf(e, "securityContext.capabilities.add[%zu]", j), k->name,
                                "container \"%s\" must not include \"%s\" in "
                                "securityContext.capabilities.add",
                                cname(k), name)) < 0)
                goto out;
        }
        if (added && (error = strs_add(e, &adding, cname(k))) < 0)
            goto out;
    }
    if (nodrop.n && (error = strs_add(e, &details,
                                      tprintf(e,
                                              "%s %s must set securityContext.capabilities.drop=["
                                              "\"ALL\"]",
                                              plural(nodrop.n, "container", "containers"),
                                              join_quote(e, &nodrop)))) < 0)
        goto out;
    if (adding.n) {
        strs_sort(&caps);
        if ((error = strs_add(e, &details,
                              tprintf(e,
                                      "%s %s must not include %s in "
                                      "securityContext.capabilities.add",
                                      plural(adding.n, "container", "containers"),
                                      join_quote(e, &adding), join_quote(e, &caps)))) < 0)
            goto out;
    }
    if (details.n) {
        out->reason = "unrestricted capabilities";
        out->detail = join(e, &details, "; ", 0);
        error = 1;
    }
out:
    return error;
}

/* The volume sources restricted allows, then the ones PSA names when it refuses. */
static const char *const volumes_allowed[] = {
    "configMap", "csi",    "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim",
    "projected", "secret", NULL};

/* In the order PSA tests them: the first one present names the volume's type. */
static const char *const volumes_named[] = {"hostPath",
                                            "gcePersistentDisk",
                                            "awsElasticBlockStore",
                                            "gitRepo",
                                            "nfs",
                                            "iscsi",
                                            "glusterfs",
                                            "rbd",
                                            "flexVolume",
                                            "cinder",
                                            "cephfs",
                                            "flocker",
                                            "fc",
                                            "azureFile",
                                            "vsphereVolume",
                                            "quobyte",
                                            "azureDisk",
                                            "photonPersistentDisk",
                                            "portworxVolume",
                                            "scaleIO",
                                            "storageos"};

static int check_restricted_volumes(struct pss_eval *e, struct verdict *out)
{
    const struct fth_value *vols = k8s_seq(e->spec, "volumes");
    struct strs bad = {0}, types = {0};
    size_t i, j;
    int error = 0;

    for (i = 0; i < fth_value_len(vols); i++) {
        const struct fth_value *vol = fth_value_at(vols, i);
        const char *type = NULL;
        int ok = 0;

        if (!vol || vol->type != FTH_VALUE_MAP)
            continue;
        for (j = 0; volumes_allowed[j] && !ok; j++)
            ok = k8s_map(vol, volumes_allowed[j]) != NULL;
        for (j = 0; !ok && !type && j < sizeof(volumes_named) / sizeof(volumes_named[0]); j++)
            if (k8s_map(vol, volumes_named[j]))
                type = volumes_named[j];
        /*
         * The API server defaults a volume without a source to emptyDir, which is allowed;
         * so PSA's "unknown" type cannot occur for a volume read from a manifest.
         */
        if (ok || !type)
            continue;
        if ((error = strs_add(e, &bad, volume_name(vol))) < 0 ||
            (error = set_add(e, &types, type)) < 0 ||
            (error = report(
                 e, key_at(vol, type), spec_path(e), tprintf(e, "volumes[%zu].%s", i, type), NULL,
                 "volume \"%s\" uses restricted volume type \"%s\"", volume_name(vol), type)) < 0)
            goto out;
    }
    if (bad.n) {
        strs_sort(&types);
        out->reason = "restricted volume types";
        out->detail = tprintf(e, "%s %s %s %s %s", plural(bad.n, "volume", "volumes"),
                              join_quote(e, &bad), plural(bad.n, "uses", "use"),
                              plural(types.n, "restricted volume type", "restricted volume types"),
                              join_quote(e, &types));
        error = 1;
    }
out:
    return error;
}

static int check_run_as_non_root(struct pss_eval *e, struct verdict *out)
{
    struct strs setters = {0}, bad = {0}, implicit = {0};
    int pod_ok = 0, error = 0;
    size_t i;

    /* From v1.35 a pod in a user namespace runs as root only inside it. */
    if (e->ver >= 35 && e->userns)
        return 0;
    if (k8s_bool_false(e->psc, "runAsNonRoot")) {
        if ((error = strs_add(e, &setters, "pod")) < 0 ||
            (error = report(e, key_at(e->psc, "runAsNonRoot"), spec_path(e),
                            "securityContext.runAsNonRoot", NULL,
                            "pod must not set securityContext.runAsNonRoot=false")) < 0)
            goto out;
    } else if (k8s_bool_true(e->psc, "runAsNonRoot")) {
        pod_ok = 1;
    }
    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *sc = csc(k);

        if (k8s_bool_false(sc, "runAsNonRoot")) {
            if ((error = strs_add(e, &bad, cname(k))) < 0 ||
                (error = report(e, key_at(sc, "runAsNonRoot"), k->path,
                                "securityContext.runAsNonRoot", k->name,
                                "container \"%s\" must not set securityContext.runAsNonRoot=false",
                                cname(k))) < 0)
                goto out;
        } else if (!k8s_bool_true(sc, "runAsNonRoot") && !pod_ok) {
            if ((error = strs_add(e, &implicit, cname(k))) < 0 ||
                (error = report(e, k->v, k->path, "securityContext.runAsNonRoot", k->name,
                                "container \"%s\" must set securityContext.runAsNonRoot=true "
                                "(or the pod must)",
                                cname(k))) < 0)
                goto out;
        }
    }
    if (bad.n && (error = strs_add(e, &setters,
                                   tprintf(e, "%s %s", plural(bad.n, "container", "containers"),
                                           join_quote(e, &bad)))) < 0)
        goto out;
    if (setters.n) {
        out->reason = "runAsNonRoot != true";
        out->detail = tprintf(e, "%s must not set securityContext.runAsNonRoot=false",
                              join(e, &setters, " and ", 0));
        error = 1;
    } else if (implicit.n) {
        out->reason = "runAsNonRoot != true";
        out->detail =
            tprintf(e, "pod or %s %s must set securityContext.runAsNonRoot=true",
                    plural(implicit.n, "container", "containers"), join_quote(e, &implicit));
        error = 1;
    }
out:
    return error;
}

static int check_run_as_user(struct pss_eval *e, struct verdict *out)
{
    struct strs setters = {0}, bad = {0};
    int64_t uid = -1;
    size_t i;
    int error = 0;

    if (e->ver >= 35 && e->userns)
        return 0;
    if (k8s_int(e->psc, "runAsUser", &uid) && uid == 0) {
        if ((error = strs_add(e, &setters, "pod")) < 0 ||
            (error = report(e, key_at(e->psc, "runAsUser"), spec_path(e),
                            "securityContext.runAsUser", NULL, "pod must not set runAsUser=0")) < 0)
            goto out;
    }
    for (i = 0; i < e->n; i++) {
        const struct k8s_container *k = e->order[i];
        const struct fth_value *sc = csc(k);

        uid = -1;
        if (!k8s_int(sc, "runAsUser", &uid) || uid != 0)
            continue;
        if ((error = strs_add(e, &bad, cname(k))) < 0 ||
            (error = report(e, key_at(sc, "runAsUser"), k->path, "securityContext.runAsUser",
                            k->name, "container \"%s\" must not set runAsUser=0", cname(k))) < 0)
            goto out;
    }
    if (bad.n && (error = strs_add(e, &setters,
                                   tprintf(e, "%s %s", plural(bad.n, "container", "containers"),
                                           join_quote(e, &bad)))) < 0)
        goto out;
    if (setters.n) {
        out->reason = "runAsUser=0";
        out->detail = tprintf(e, "%s must not set runAsUser=0", join(e, &setters, " and ", 0));
        error = 1;
    }
out:
    return error;
}

static int check_seccomp_restricted(struct pss_eval *e, struct verdict *out)
{
    if (e->ver >= 25 && e->windows)
        return 0;
    return seccomp_fields(e, out, 1);
}

/* ---- the registry ---- */

typedef int (*check_fn)(struct pss_eval *e, struct verdict *out);

static const struct {
    const char *id;
    enum fth_pss_level level;
    unsigned since; /* first policy version the check applies to */
    int overrides;  /* the baseline check it replaces under restricted, or -1 */
    check_fn fn;
} checks[C_COUNT] = {
    {"appArmorProfile", FTH_PSS_BASELINE, 0, -1, check_apparmor},
    {"capabilities_baseline", FTH_PSS_BASELINE, 0, -1, check_caps_baseline},
    {"hostNamespaces", FTH_PSS_BASELINE, 0, -1, check_host_namespaces},
    {"hostPathVolumes", FTH_PSS_BASELINE, 0, -1, check_host_path},
    {"hostPorts", FTH_PSS_BASELINE, 0, -1, check_host_ports},
    {"hostProbesAndHostLifecycle", FTH_PSS_BASELINE, 34, -1, check_host_probes},
    {"privileged", FTH_PSS_BASELINE, 0, -1, check_privileged},
    {"procMount", FTH_PSS_BASELINE, 0, -1, check_proc_mount},
    {"seLinuxOptions", FTH_PSS_BASELINE, 0, -1, check_selinux},
    {"seccompProfile_baseline", FTH_PSS_BASELINE, 0, -1, check_seccomp_baseline},
    {"sysctls", FTH_PSS_BASELINE, 0, -1, check_sysctls},
    {"windowsHostProcess", FTH_PSS_BASELINE, 0, -1, check_windows_host_process},
    {"allowPrivilegeEscalation", FTH_PSS_RESTRICTED, 8, -1, check_allow_priv_esc},
    {"capabilities_restricted", FTH_PSS_RESTRICTED, 22, C_CAPS_BASELINE, check_caps_restricted},
    {"procMount_restricted", FTH_PSS_RESTRICTED, 35, C_PROC_MOUNT, check_proc_mount_restricted},
    {"restrictedVolumes", FTH_PSS_RESTRICTED, 0, C_HOST_PATH, check_restricted_volumes},
    {"runAsNonRoot", FTH_PSS_RESTRICTED, 0, -1, check_run_as_non_root},
    {"runAsUser", FTH_PSS_RESTRICTED, 23, -1, check_run_as_user},
    {"seccompProfile_restricted", FTH_PSS_RESTRICTED, 19, C_SECCOMP_BASELINE,
     check_seccomp_restricted},
};

/* Which checks run for a level at a version (PSA's registry, inflated). */
static void select_checks(int run[C_COUNT], enum fth_pss_level level, unsigned ver)
{
    size_t i;

    for (i = 0; i < C_COUNT; i++)
        run[i] = checks[i].level <= level && ver >= checks[i].since;
    for (i = 0; i < C_COUNT; i++)
        if (run[i] && checks[i].overrides >= 0)
            run[checks[i].overrides] = 0;
}

/* Copy s (n bytes) to p; the byte after it. */
static char *put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

/*
 * `violates PodSecurity "<level>:<version>": <reason> (<detail>), ...`, interned in the sink.
 * Measured, then copied into the object's scratch: neither printf nor a growing buffer, which
 * both showed in profiles (a pod's details run to hundreds of bytes). NULL when out of memory.
 */
static const char *violation_message(struct k8s_ctx *c, size_t nviol, unsigned minor)
{
    static const char head[] = "violates PodSecurity \"";
    const struct fth_pss_violation *v = c->obj->pss;
    const char *level = fth_pss_level_name(c->opts->pss_level);
    const char *version = fth_pss_version_name(minor);
    size_t nl = strlen(level), nv = strlen(version), len = sizeof(head) - 1 + nl + 1 + nv + 3, i;
    char *text, *p;

    for (i = 0; i < nviol; i++)
        len += (i ? 2 : 0) + strlen(v[i].reason) + (*v[i].detail ? 3 + strlen(v[i].detail) : 0);
    if (!(text = fth_arena_alloc(c->sink->tmp, len)))
        return NULL;
    p = put(text, head, sizeof(head) - 1);
    p = put(p, level, nl);
    *p++ = ':';
    p = put(p, version, nv);
    p = put(p, "\": ", 3);
    for (i = 0; i < nviol; i++) {
        if (i)
            p = put(p, ", ", 2);
        p = put(p, v[i].reason, strlen(v[i].reason));
        if (*v[i].detail) {
            p = put(p, " (", 2);
            p = put(p, v[i].detail, strlen(v[i].detail));
            *p++ = ')';
        }
    }
    return k8s_intern(c->sink, text, len);
}

int k8s_pss_eval(struct k8s_ctx *c)
{
    struct pss_eval e;
    struct fth_k8s_object *obj = c->obj;
    int run[C_COUNT];
    struct fth_pss_violation *viol;
    size_t i, li, nviol = 0;
    unsigned minor;
    int error = 0;

    if (!c->opts || c->opts->pss_level < FTH_PSS_BASELINE || !c->pod_spec)
        return 0;
    memset(&e, 0, sizeof(e));
    minor = c->opts->pss_minor;
    e.c = c;
    e.ver = minor == 0 ? PSS_LATEST_MINOR : minor == PSS_MINOR_V1_0 ? 0u : minor;
    if (e.ver > PSS_LATEST_MINOR)
        e.ver = PSS_LATEST_MINOR; /* PSA evaluates future versions as its newest */
    e.spec = c->pod_spec;
    e.psc = c->pod_sc; /* the pod spec's, looked up once per object */
    e.annotations = k8s_map(c->pod_meta, "annotations");
    e.windows = fth_value_streq(fth_value_get(k8s_map(c->pod_spec, "os"), "name"), "windows");
    e.userns = k8s_bool_false(c->pod_spec, "hostUsers");
    e.tmp = c->sink->tmp; /* reset before the next object */
    e.order = fth_arena_calloc(e.tmp, c->ncontainers ? c->ncontainers : 1, sizeof(*e.order));
    /* worked out in the scratch arena; the sink keeps an exact (interned) copy */
    viol = fth_arena_calloc(e.tmp, C_COUNT, sizeof(*viol));
    if (!e.order || !viol) {
        error = FTH_ENOMEM;
        goto out;
    }
    /* PSA visits init containers, then containers, then ephemeral containers. */
    {
        static const enum k8s_container_list lists[] = {K8S_INIT_CONTAINERS, K8S_CONTAINERS,
                                                        K8S_EPHEMERAL_CONTAINERS};

        for (li = 0; li < 3; li++)
            for (i = 0; i < c->ncontainers; i++)
                if (c->containers[i].list == lists[li])
                    e.order[e.n++] = &c->containers[i];
    }
    obj->pss_checked = 1;
    obj->pss_allowed = 1;
    obj->pss_len = 0;
    obj->pss_message = NULL;

    select_checks(run, c->opts->pss_level, e.ver);
    for (i = 0; i < C_COUNT; i++) {
        struct verdict v = {NULL, NULL};
        struct fth_pss_violation *out;
        int rc;

        if (!run[i])
            continue;
        e.rule = &k8s_pss_rules[i];
        if ((rc = checks[i].fn(&e, &v)) < 0 || e.oom) {
            error = rc < 0 ? rc : FTH_ENOMEM;
            goto out;
        }
        if (rc == 0)
            continue;
        out = &viol[nviol++];
        out->check = checks[i].id;
        /* repeated workloads violate alike: each text kept once */
        out->reason = v.reason ? v.reason : "unknown forbidden reason";
        out->detail = v.detail ? v.detail : "";
        if (!(out->reason = k8s_intern(c->sink, out->reason, strlen(out->reason))) ||
            !(out->detail = k8s_intern(c->sink, out->detail, strlen(out->detail)))) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
    if (!(obj->pss = (struct fth_pss_violation *)k8s_intern(c->sink, (const char *)viol,
                                                            (nviol ? nviol : 1) * sizeof(*viol)))) {
        error = FTH_ENOMEM;
        goto out;
    }
    obj->pss_len = nviol;
    if (!nviol)
        goto out;
    obj->pss_allowed = 0;
    if (!(obj->pss_message = violation_message(c, nviol, minor)))
        error = FTH_ENOMEM;
out:
    return error < 0 ? error : 0;
}
