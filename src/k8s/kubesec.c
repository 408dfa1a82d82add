/*
 * kubesec's rules (controlplaneio/kubesec, pkg/ruler/ruleset.go and pkg/rules/), scored the way
 * kubesec scores them: each rule's predicate returns a count (matched containers, or 0/1 for a
 * pod-level rule), a rule that matches adds its points once, matched negative rules are
 * "critical", matched positive rules "passed" and unmatched positive rules "advise".
 *
 * The predicates follow kubesec's own code, quirks included, so scores agree with kubesec:
 * security-context rules look at initContainers, containers and ephemeralContainers, with a
 * container's own setting taking precedence over the pod's; resource rules look at containers
 * only; some rules match on the text of a value as Go's "%v" prints it (SYS_ADMIN anywhere in
 * capabilities.add, "all" in any case in capabilities.drop, "/proc" anywhere in a hostPath).
 * Fields of the wrong type count as absent, as kubesec's type assertions do.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "k8s_int.h"
#include "../base/banned.h"

#define WORKLOADS "Pod,Deployment,StatefulSet,DaemonSet"
#define RULE_DOC "https://github.com/controlplaneio/kubesec/blob/master/pkg/rules/"

/* Severity by points: <= -30 critical, <= -7 high, <= -4 medium, other negatives low. */
#define KUBESEC_RULE(id_, sev_, title_, why_, fix_, file_, kinds_, points_, advise_, sel_)         \
    {                                                                                              \
        id_, "kubesec", FTH_CLASS_MISCONFIG, sev_, title_, why_, fix_, RULE_DOC file_, kinds_,     \
            points_, advise_, sel_                                                                 \
    }

/* Declaration order is kubesec's evaluation order; keep the enum below in step. */
const struct fth_rule k8s_kubesec_rules[] = {
    KUBESEC_RULE("HostNetwork", FTH_SEV_HIGH,
                 "Sharing the host's network namespace permits processes in the pod to "
                 "communicate with processes bound to the host's loopback adapter",
                 "A pod on the host network sees every interface of the node, can bind its "
                 "ports and reach services that listen only on localhost.",
                 "Remove hostNetwork: true from the pod spec; expose the pod through a Service.",
                 "hostNetwork.go", WORKLOADS, -9, 0, ".spec .hostNetwork == true"),
    KUBESEC_RULE("HostPID", FTH_SEV_HIGH,
                 "Sharing the host's PID namespace allows visibility of processes on the host, "
                 "potentially leaking information such as environment variables and "
                 "configuration",
                 "Processes in the pod can list, inspect and signal every process of the node, "
                 "including their environment and command lines.",
                 "Remove hostPID: true from the pod spec.", "hostPID.go", WORKLOADS, -9, 0,
                 ".spec .hostPID == true"),
    KUBESEC_RULE("HostIPC", FTH_SEV_HIGH,
                 "Sharing the host's IPC namespace allows container processes to communicate "
                 "with processes on the host",
                 "Shared memory segments and message queues of the node become reachable from "
                 "the pod.",
                 "Remove hostIPC: true from the pod spec.", "hostIPC.go", WORKLOADS, -9, 0,
                 ".spec .hostIPC == true"),
    KUBESEC_RULE("ReadOnlyRootFilesystem", FTH_SEV_INFO,
                 "An immutable root filesystem can prevent malicious binaries being added to "
                 "PATH and increase attack cost",
                 "An attacker who gets code execution cannot drop tools or modify binaries when "
                 "the root filesystem is read-only.",
                 "Set securityContext.readOnlyRootFilesystem: true on each container and mount "
                 "writable emptyDir volumes where the application needs to write.",
                 "readOnlyRootFilesystem.go", WORKLOADS, 1, 3,
                 "containers[] .securityContext .readOnlyRootFilesystem == true"),
    KUBESEC_RULE("RunAsNonRoot", FTH_SEV_INFO,
                 "Force the running image to run as a non-root user to ensure least privilege",
                 "With runAsNonRoot the kubelet refuses to start a container whose image would "
                 "run as UID 0.",
                 "Set securityContext.runAsNonRoot: true on the pod or on each container.",
                 "runAsNonRoot.go", WORKLOADS, 1, 10,
                 ".spec, .spec.containers[] | .securityContext .runAsNonRoot == true"),
    KUBESEC_RULE("RunAsUser", FTH_SEV_INFO,
                 "Run as a high-UID user to avoid conflicts with the host's users",
                 "A UID above 10000 is unlikely to match a user of the node, so a process that "
                 "escapes the container gains no host account's rights.",
                 "Set securityContext.runAsUser to a value above 10000 on the pod or on each "
                 "container.",
                 "runAsUser.go", WORKLOADS, 1, 4,
                 ".spec, .spec.containers[] | .securityContext .runAsUser -gt 10000"),
    KUBESEC_RULE("RunAsGroup", FTH_SEV_INFO,
                 "Run as a high-UID group to avoid conflicts with the host's groups",
                 "A GID above 10000 is unlikely to match a group of the node, so files the "
                 "process creates or reaches carry no host group's rights.",
                 "Set securityContext.runAsGroup to a value above 10000 on the pod or on each "
                 "container.",
                 "runAsGroup.go", WORKLOADS, 1, 4,
                 ".spec, .spec.containers[] | .securityContext .runAsGroup -gt 10000"),
    KUBESEC_RULE("Privileged", FTH_SEV_CRITICAL,
                 "Privileged containers can allow almost completely unrestricted host access",
                 "A privileged container has every capability and all host devices; escaping "
                 "to the node is trivial.",
                 "Remove securityContext.privileged: true and add only the capabilities the "
                 "container needs.",
                 "privileged.go", WORKLOADS, -30, 0,
                 "containers[] .securityContext .privileged == true"),
    KUBESEC_RULE("CapSysAdmin", FTH_SEV_CRITICAL,
                 "CAP_SYS_ADMIN is the most privileged capability and should always be avoided",
                 "SYS_ADMIN allows mounting filesystems, namespace manipulation and many other "
                 "operations that lead to a container escape.",
                 "Remove SYS_ADMIN from securityContext.capabilities.add.", "capSysAdmin.go",
                 WORKLOADS, -30, 0,
                 "containers[] .securityContext .capabilities .add == SYS_ADMIN"),
    KUBESEC_RULE("CapDropAny", FTH_SEV_INFO,
                 "Reducing kernel capabilities available to a container limits its attack "
                 "surface",
                 "Every capability dropped is one less kernel privilege available to an "
                 "attacker inside the container.",
                 "List the capabilities the container does not need in "
                 "securityContext.capabilities.drop.",
                 "capDropAny.go", WORKLOADS, 1, 0,
                 "containers[] .securityContext .capabilities .drop"),
    KUBESEC_RULE("CapDropAll", FTH_SEV_INFO,
                 "Drop all capabilities and add only those required to reduce syscall attack "
                 "surface",
                 "Starting from no capabilities makes the container's kernel privileges an "
                 "explicit, reviewed list.",
                 "Set securityContext.capabilities.drop: [\"ALL\"] and add back only what is "
                 "required.",
                 "capDropAll.go", WORKLOADS, 1, 0,
                 "containers[] .securityContext .capabilities .drop | index(\"ALL\")"),
    KUBESEC_RULE("DockerSock", FTH_SEV_HIGH,
                 "Mounting the docker.socket leaks information about other containers and can "
                 "allow container breakout",
                 "Whoever can talk to the container runtime's socket can start a privileged "
                 "container on the node.",
                 "Remove the hostPath volume of /var/run/docker.sock.", "dockerSock.go", WORKLOADS,
                 -9, 0, "volumes[] .hostPath .path == /var/run/docker.sock"),
    KUBESEC_RULE("ProcMount", FTH_SEV_HIGH,
                 "Mounting the proc directory from the host system into a container gives "
                 "access to information about other containers running on the same host and "
                 "can allow container breakout",
                 "The host's /proc exposes every process of the node and kernel tunables that "
                 "can be abused to escape.",
                 "Remove the hostPath volume of /proc.", "procMount.go", WORKLOADS, -9, 0,
                 "volumes[] .hostPath .path == /proc"),
    KUBESEC_RULE("RequestsCPU", FTH_SEV_INFO,
                 "Enforcing CPU requests aids a fair balancing of resources across the cluster",
                 "Without a CPU request the scheduler cannot place the pod sensibly and the "
                 "container may be starved.",
                 "Set resources.requests.cpu on each container.", "requestsCPU.go", WORKLOADS, 1, 0,
                 "containers[] .resources .requests .cpu"),
    KUBESEC_RULE("LimitsCPU", FTH_SEV_INFO,
                 "Enforcing CPU limits prevents DOS via resource exhaustion",
                 "A container without a CPU limit can use every core of the node and starve "
                 "its neighbours.",
                 "Set resources.limits.cpu on each container.", "limitsCPU.go", WORKLOADS, 1, 0,
                 "containers[] .resources .limits .cpu"),
    KUBESEC_RULE("RequestsMemory", FTH_SEV_INFO,
                 "Enforcing memory requests aids a fair balancing of resources across the "
                 "cluster",
                 "Without a memory request the scheduler may overcommit the node and the pod "
                 "is among the first evicted.",
                 "Set resources.requests.memory on each container.", "requestsMemory.go", WORKLOADS,
                 1, 0, "containers[] .resources .requests .memory"),
    KUBESEC_RULE("LimitsMemory", FTH_SEV_INFO,
                 "Enforcing memory limits prevents DOS via resource exhaustion",
                 "A container without a memory limit can exhaust the node's memory and get "
                 "other workloads killed.",
                 "Set resources.limits.memory on each container.", "limitsMemory.go", WORKLOADS, 1,
                 0, "containers[] .resources .limits .memory"),
    KUBESEC_RULE("ServiceAccountName", FTH_SEV_INFO,
                 "Service accounts restrict Kubernetes API access and should be configured with "
                 "least privilege",
                 "A dedicated service account can be given exactly the API permissions the "
                 "workload needs instead of sharing the namespace's default one.",
                 "Create a service account for the workload and set spec.serviceAccountName.",
                 "serviceAccountName.go", WORKLOADS, 3, 0, ".spec .serviceAccountName"),
    KUBESEC_RULE("HostAliases", FTH_SEV_LOW,
                 "Managing /etc/hosts aliases can prevent the container from modifying the file "
                 "after a pod's containers have already been started. DNS should be managed by "
                 "the orchestrator",
                 "Static host aliases bypass cluster DNS and can silently redirect traffic.",
                 "Remove spec.hostAliases and publish the names through DNS.", "hostAliases.go",
                 WORKLOADS, -3, 0, ".spec .hostAliases"),
    KUBESEC_RULE("SeccompAny", FTH_SEV_INFO,
                 "Seccomp profiles set minimum privilege and secure against unknown threats",
                 "A seccomp profile blocks system calls the workload never needs, closing off "
                 "many kernel exploits.",
                 "Set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the "
                 "pod or on each container.",
                 "seccompAny.go", WORKLOADS, 1, 0,
                 ".spec .securityContext .seccompProfile .type | .spec .containers[] "
                 ".securityContext .seccompProfile .type | .spec .initContainers[] "
                 ".securityContext .seccompProfile .type | .spec .ephemeralContainers[] "
                 ".securityContext .seccompProfile .type"),
    KUBESEC_RULE("SeccompUnconfined", FTH_SEV_LOW,
                 "Unconfined Seccomp profiles have full system call access",
                 "An Unconfined profile lets the container make every system call the kernel "
                 "offers.",
                 "Use seccompProfile.type RuntimeDefault or Localhost instead of Unconfined.",
                 "seccompUnconfined.go", WORKLOADS, -1, 0,
                 ".spec .securityContext .seccompProfile .type | .spec .containers[] "
                 ".securityContext .seccompProfile .type | .spec .initContainers[] "
                 ".securityContext .seccompProfile .type | .spec .ephemeralContainers[] "
                 ".securityContext .seccompProfile .type"),
    KUBESEC_RULE("ApparmorAny", FTH_SEV_INFO,
                 "Well defined AppArmor policies may provide greater protection from unknown "
                 "threats.",
                 "An AppArmor profile confines file, network and capability use beyond what "
                 "Linux permissions allow.",
                 "Set securityContext.appArmorProfile.type: RuntimeDefault (or Localhost) on the "
                 "pod or on each container.",
                 "apparmorAny.go", WORKLOADS, 3, 0,
                 ".spec .securityContext .appArmorProfile .type | .spec .containers[] "
                 ".securityContext .appArmorProfile .type | .spec .initContainers[] "
                 ".securityContext .appArmorProfile .type | .spec .ephemeralContainers[] "
                 ".securityContext .appArmorProfile .type"),
    KUBESEC_RULE("ApparmorUnconfined", FTH_SEV_LOW,
                 "Unconfined AppArmor profiles disable AppArmor enforcement on the workloads",
                 "An Unconfined profile switches AppArmor off for the container.",
                 "Use appArmorProfile.type RuntimeDefault or Localhost instead of Unconfined.",
                 "apparmorUnconfined.go", WORKLOADS, -1, 0,
                 ".spec .securityContext .appArmorProfile .type | .spec .containers[] "
                 ".securityContext .appArmorProfile .type | .spec .initContainers[] "
                 ".securityContext .appArmorProfile .type | .spec .ephemeralContainers[] "
                 ".securityContext .appArmorProfile .type"),
    KUBESEC_RULE("VolumeClaimAccessModeReadWriteOnce", FTH_SEV_INFO,
                 "Setting the access mode of ReadWriteOnce on volumeClaimTemplates (if any "
                 "exist) allows only one node to mount the persistentVolume",
                 "A volume that only one node can mount cannot be read by pods elsewhere in "
                 "the cluster.",
                 "Set spec.accessModes: [\"ReadWriteOnce\"] on the StatefulSet's "
                 "volumeClaimTemplates.",
                 "volumeClaimAccessModeReadWriteOnce.go", "StatefulSet", 1, 0,
                 ".spec .volumeClaimTemplates[] .spec .accessModes | index(\"ReadWriteOnce\")"),
    KUBESEC_RULE("VolumeClaimRequestsStorage", FTH_SEV_INFO,
                 "Setting a storage request on volumeClaimTemplates (if any exist) allows for "
                 "the StatefulSet's PVCs to be bound to appropriately sized PVs.",
                 "Without a storage request a claim may bind a volume far larger or smaller "
                 "than the workload needs.",
                 "Set spec.resources.requests.storage on each volumeClaimTemplate.",
                 "volumeClaimRequestsStorage.go", "StatefulSet", 1, 0,
                 ".spec .volumeClaimTemplates[] .spec .resources .requests .storage"),
    KUBESEC_RULE("AllowPrivilegeEscalation", FTH_SEV_HIGH,
                 "Ensure a non-root process can not gain more privileges",
                 "With privilege escalation allowed, setuid binaries and file capabilities "
                 "can raise a process above the rights it started with.",
                 "Set securityContext.allowPrivilegeEscalation: false on each container.",
                 "allowPrivilegeEscalation.go", WORKLOADS, -7, 0,
                 "containers[] .securityContext .allowPrivilegeEscalation == true"),
    KUBESEC_RULE("AutomountServiceAccountToken", FTH_SEV_INFO,
                 "Disabling the automounting of Service Account Token reduces the attack surface "
                 "of the API server",
                 "A pod that does not talk to the API server has no use for a token, which an "
                 "attacker could otherwise steal.",
                 "Set spec.automountServiceAccountToken: false unless the workload calls the "
                 "Kubernetes API.",
                 "automountServiceAccountToken.go", WORKLOADS, 1, 0,
                 ".spec .automountServiceAccountToken == false"),
    KUBESEC_RULE("HostUsers", FTH_SEV_INFO,
                 "A user namespace for a Pod is enabled by setting the hostUsers field of Pod "
                 ".spec, which can prevent various attacks",
                 "In its own user namespace, root inside the pod maps to an unprivileged user "
                 "of the node.",
                 "Set spec.hostUsers: false where the cluster supports user namespaces.",
                 "hostUsers.go", WORKLOADS, 1, 0, ".spec .hostUsers == false"),
    KUBESEC_RULE("SecretsAsEnvironmentVariables", FTH_SEV_MEDIUM,
                 "Secrets passed as environment variables can be easily exposed through "
                 "application logs, crash dumps, and system process inspection",
                 "Environment variables end up in logs, crash reports and /proc, and are "
                 "inherited by every child process.",
                 "Mount the secret as a volume and read it from a file instead of env or "
                 "envFrom.",
                 "secretsAsEnvironmentVariables.go", WORKLOADS ",ReplicaSet,Job,CronJob", -5, 0,
                 ".spec .containers[] .env[] .valueFrom .secretKeyRef | .spec "
                 ".initContainers[] .env[] .valueFrom .secretKeyRef | .spec "
                 ".ephemeralContainers[] .env[] .valueFrom .secretKeyRef | .spec .containers[] "
                 ".envFrom[] .secretRef | .spec .initContainers[] .envFrom[] .secretRef | .spec "
                 ".ephemeralContainers[] .envFrom[] .secretRef"),
    KUBESEC_RULE("BindingsToSystemAnonymous", FTH_SEV_CRITICAL,
                 "Binding a Role or a ClusterRole to user system:anonymous gives any "
                 "unauthenticated user the permissions granted by that role",
                 "Every request that reaches the API server without credentials gets the "
                 "role's permissions.",
                 "Remove the system:anonymous subject from the binding.",
                 "bindingsToSystemAnonymous.go", "RoleBinding,ClusterRoleBinding", -30, 0,
                 ".subjects[] .name == \"system:anonymous\""),
};

const size_t k8s_kubesec_rules_len = sizeof(k8s_kubesec_rules) / sizeof(k8s_kubesec_rules[0]);

enum rule_id {
    R_HOST_NETWORK = 0,
    R_HOST_PID,
    R_HOST_IPC,
    R_READ_ONLY_ROOT_FS,
    R_RUN_AS_NON_ROOT,
    R_RUN_AS_USER,
    R_RUN_AS_GROUP,
    R_PRIVILEGED,
    R_CAP_SYS_ADMIN,
    R_CAP_DROP_ANY,
    R_CAP_DROP_ALL,
    R_DOCKER_SOCK,
    R_PROC_MOUNT,
    R_REQUESTS_CPU,
    R_LIMITS_CPU,
    R_REQUESTS_MEMORY,
    R_LIMITS_MEMORY,
    R_SERVICE_ACCOUNT_NAME,
    R_HOST_ALIASES,
    R_SECCOMP_ANY,
    R_SECCOMP_UNCONFINED,
    R_APPARMOR_ANY,
    R_APPARMOR_UNCONFINED,
    R_VCT_RWO,
    R_VCT_STORAGE,
    R_ALLOW_PRIV_ESC,
    R_AUTOMOUNT_SA_TOKEN,
    R_HOST_USERS,
    R_SECRETS_AS_ENV,
    R_BINDINGS_ANONYMOUS,
    R_COUNT
};

/* ---- Go "%v" text matching ---- */

/* Bytes `needle` occurs in s[0, len), compared case-insensitively when `fold`. */
static int has_sub(const char *s, size_t len, const char *needle, int fold)
{
    size_t n = strlen(needle), i;

    for (i = 0; n <= len && i <= len - n; i++)
        if (fold ? !strncasecmp(s + i, needle, n) : !memcmp(s + i, needle, n))
            return 1;
    return 0;
}

/*
 * Would Go's fmt "%v" of v contain needle? Keys, strings and the separators Go prints
 * ("[", " ", ":", "map[") keep a needle of letters, digits, '_' and '/' inside one scalar, so
 * it is enough to look in each string. Depth is bounded by the loader's nesting limit.
 */
static int go_text_has(const struct fth_value *v, const char *needle, int fold)
{
    size_t i;

    if (!v)
        return 0;
    switch (v->type) {
    case FTH_VALUE_STRING:
        return has_sub(v->u.str.ptr, v->u.str.len, needle, fold);
    case FTH_VALUE_SEQ:
        for (i = 0; i < v->u.seq.len; i++)
            if (go_text_has(v->u.seq.items[i], needle, fold))
                return 1;
        return 0;
    case FTH_VALUE_MAP:
        for (i = 0; i < v->u.map.len; i++)
            if (go_text_has(v->u.map.items[i].key, needle, fold) ||
                go_text_has(v->u.map.items[i].value, needle, fold))
                return 1;
        return 0;
    default:
        return 0;
    }
}

/* Would "%v" print "<nil>" somewhere in v (a null inside, or the text itself)? */
static int go_text_has_nil(const struct fth_value *v)
{
    size_t i;

    if (!v || v->type == FTH_VALUE_NULL)
        return 1;
    if (v->type == FTH_VALUE_STRING)
        return has_sub(v->u.str.ptr, v->u.str.len, "<nil>", 0);
    if (v->type == FTH_VALUE_SEQ) {
        for (i = 0; i < v->u.seq.len; i++)
            if (go_text_has_nil(v->u.seq.items[i]))
                return 1;
    } else if (v->type == FTH_VALUE_MAP) {
        for (i = 0; i < v->u.map.len; i++)
            if (go_text_has_nil(v->u.map.items[i].key) || go_text_has_nil(v->u.map.items[i].value))
                return 1;
    }
    return 0;
}

/* A field that gojsonq's Get() returns non-nil for: present and not null. */
static const struct fth_value *present(const struct fth_value *v)
{
    return v && v->type != FTH_VALUE_NULL ? v : NULL;
}

static int is_number(const struct fth_value *v)
{
    return v && (v->type == FTH_VALUE_INT || v->type == FTH_VALUE_FLOAT);
}

static double number_of(const struct fth_value *v)
{
    return v->type == FTH_VALUE_INT ? (double)v->u.integer : v->u.number;
}

/* ---- security contexts (kubesec's checkSecurityContext helper) ---- */

enum sc_state { SC_UNSET = 0, SC_NO, SC_VALID };

enum sc_test {
    T_TRUE,           /* a boolean true */
    T_OVER_10000,     /* a number above 10000 */
    T_NOT_UNCONFINED, /* a string other than "Unconfined" */
    T_UNCONFINED,     /* the string "Unconfined" */
    T_HAS_SYS_ADMIN,  /* anything non-null whose text holds SYS_ADMIN */
    T_DROP_ANY,       /* a non-empty sequence without nulls */
    T_HAS_ALL,        /* anything non-null whose text holds "all" in any case */
};

struct sc_rule {
    enum rule_id rule;
    const char *key;    /* under securityContext */
    const char *subkey; /* under key, or NULL */
    enum sc_test test;
    int pod;           /* the pod's securityContext sets a default for its containers */
    const char *what;  /* for messages: what was found */
    const char *field; /* "securityContext.<key>[.<subkey>]" */
};

static const struct sc_rule sc_rules[] = {
    {R_READ_ONLY_ROOT_FS, "readOnlyRootFilesystem", NULL, T_TRUE, 0, NULL,
     "securityContext.readOnlyRootFilesystem"},
    {R_RUN_AS_NON_ROOT, "runAsNonRoot", NULL, T_TRUE, 1, NULL, "securityContext.runAsNonRoot"},
    {R_RUN_AS_USER, "runAsUser", NULL, T_OVER_10000, 1, NULL, "securityContext.runAsUser"},
    {R_RUN_AS_GROUP, "runAsGroup", NULL, T_OVER_10000, 1, NULL, "securityContext.runAsGroup"},
    {R_PRIVILEGED, "privileged", NULL, T_TRUE, 0, "securityContext.privileged: true",
     "securityContext.privileged"},
    {R_CAP_SYS_ADMIN, "capabilities", "add", T_HAS_SYS_ADMIN, 0,
     "SYS_ADMIN in securityContext.capabilities.add", "securityContext.capabilities.add"},
    {R_CAP_DROP_ANY, "capabilities", "drop", T_DROP_ANY, 0, NULL,
     "securityContext.capabilities.drop"},
    {R_CAP_DROP_ALL, "capabilities", "drop", T_HAS_ALL, 0, NULL,
     "securityContext.capabilities.drop"},
    {R_SECCOMP_ANY, "seccompProfile", "type", T_NOT_UNCONFINED, 1, NULL,
     "securityContext.seccompProfile.type"},
    {R_SECCOMP_UNCONFINED, "seccompProfile", "type", T_UNCONFINED, 1,
     "securityContext.seccompProfile.type: Unconfined", "securityContext.seccompProfile.type"},
    {R_APPARMOR_ANY, "appArmorProfile", "type", T_NOT_UNCONFINED, 1, NULL,
     "securityContext.appArmorProfile.type"},
    {R_APPARMOR_UNCONFINED, "appArmorProfile", "type", T_UNCONFINED, 1,
     "securityContext.appArmorProfile.type: Unconfined", "securityContext.appArmorProfile.type"},
    {R_ALLOW_PRIV_ESC, "allowPrivilegeEscalation", NULL, T_TRUE, 0,
     "securityContext.allowPrivilegeEscalation: true", "securityContext.allowPrivilegeEscalation"},
};

#define SC_RULES (sizeof(sc_rules) / sizeof(sc_rules[0]))

/* Built once with the tables below (tables_build): each rule's sc_rules entry (-1: none) and
 * the keys' lengths, so that an object's evaluation neither searches nor measures them. */
_Static_assert(SC_RULES <= 127, "sc_of holds indexes in a signed char");
static signed char sc_of[R_COUNT];
static size_t sc_key_len[SC_RULES], sc_subkey_len[SC_RULES];

/* The attribute of `sc` (the securityContext of a pod spec or a container) the rule looks
 * at, and its state. */
static enum sc_state sc_check(const struct sc_rule *r, const struct fth_value *sc,
                              const struct fth_value **at)
{
    size_t ri = (size_t)(r - sc_rules);
    const struct fth_value *v = fth_value_getn(sc, r->key, sc_key_len[ri]);

    if (r->subkey)
        v = v && v->type == FTH_VALUE_MAP ? fth_value_getn(v, r->subkey, sc_subkey_len[ri]) : NULL;
    *at = v;
    switch (r->test) {
    case T_TRUE:
        if (!v || v->type != FTH_VALUE_BOOL)
            return SC_UNSET;
        return v->u.boolean ? SC_VALID : SC_NO;
    case T_OVER_10000:
        if (!is_number(v))
            return SC_UNSET;
        return number_of(v) > 10000 ? SC_VALID : SC_NO;
    case T_NOT_UNCONFINED:
    case T_UNCONFINED:
        if (!v || v->type != FTH_VALUE_STRING)
            return SC_UNSET;
        return (strcmp(v->u.str.ptr, "Unconfined") == 0) == (r->test == T_UNCONFINED) ? SC_VALID
                                                                                      : SC_NO;
    case T_HAS_SYS_ADMIN:
        if (!present(v))
            return SC_UNSET;
        return go_text_has(v, "SYS_ADMIN", 0) ? SC_VALID : SC_NO;
    case T_DROP_ANY:
        if (!v || v->type != FTH_VALUE_SEQ)
            return SC_UNSET;
        return v->u.seq.len > 0 && !go_text_has_nil(v) ? SC_VALID : SC_NO;
    case T_HAS_ALL:
        if (!present(v))
            return SC_UNSET;
        return go_text_has(v, "ALL", 1) ? SC_VALID : SC_NO;
    }
    return SC_UNSET;
}

/* "securityContext.<key>[.<subkey>]" below base, in c->a. */
static const char *sc_field(struct k8s_ctx *c, const char *base, const struct sc_rule *r)
{
    return k8s_path(c, base, r->field);
}

static const char *container_name(const struct k8s_container *k)
{
    return k->name ? k->name : "";
}

/*
 * kubesec counts the containers where the attribute is valid, or unset while the pod's own
 * securityContext makes it valid. With `report`, each counted container gets a finding at the
 * field that decided it.
 */
static int eval_sc(struct k8s_ctx *c, const struct sc_rule *r, int report, unsigned *count)
{
    const struct fth_rule *rule = &k8s_kubesec_rules[r->rule];
    const struct fth_value *pod_at = NULL, *at;
    int pod_valid = 0, error = 0;
    size_t i;

    *count = 0;
    if (r->pod && c->pod_spec)
        pod_valid = sc_check(r, c->pod_sc, &pod_at) == SC_VALID;
    for (i = 0; i < c->ncontainers && error >= 0; i++) {
        const struct k8s_container *k = &c->containers[i];
        enum sc_state st = sc_check(r, k->sc, &at);
        const char *field;

        if (!(st == SC_VALID || (st == SC_UNSET && pod_valid)))
            continue;
        ++*count;
        if (!report)
            continue;
        if (st == SC_VALID) {
            if (!(field = sc_field(c, k->path, r))) {
                error = FTH_ENOMEM;
                break;
            }
            error = k8s_finding(c, rule, at, field, k->name, "container '%s' sets %s",
                                container_name(k), r->what);
        } else {
            if (!(field = sc_field(c, c->pod_spec_path, r))) {
                error = FTH_ENOMEM;
                break;
            }
            error =
                k8s_finding(c, rule, pod_at, field, k->name,
                            "container '%s' inherits %s from the pod", container_name(k), r->what);
        }
    }
    return error;
}

/* ---- the other predicates ---- */

/* Containers (not init or ephemeral ones) with resources.<kind>.<what> set. */
static unsigned count_resources(const struct k8s_ctx *c, const char *kind, const char *what)
{
    unsigned n = 0;
    size_t i;

    for (i = 0; i < c->ncontainers; i++) {
        const struct k8s_container *k = &c->containers[i];

        if (k->list == K8S_CONTAINERS &&
            present(fth_value_get(k8s_map(k8s_map(k->v, "resources"), kind), what)))
            n++;
    }
    return n;
}

/* Pod spec boolean equal to `want`: kubesec type-asserts, anything else does not match. */
static int eval_pod_bool(struct k8s_ctx *c, enum rule_id id, const char *key, int want, int report,
                         unsigned *count)
{
    const struct fth_value *v = fth_value_get(c->pod_spec, key);
    const char *field;

    *count = v && v->type == FTH_VALUE_BOOL && !v->u.boolean == !want;
    if (!report || !*count)
        return 0;
    if (!(field = k8s_path(c, c->pod_spec_path, key)))
        return FTH_ENOMEM;
    return k8s_finding(c, &k8s_kubesec_rules[id], v, field, NULL, "%s is %s", key,
                       want ? "true" : "false");
}

/* Pod spec field present with any non-null value (kubesec prints it and compares to <nil>). */
static int eval_pod_present(struct k8s_ctx *c, enum rule_id id, const char *key, int report,
                            unsigned *count)
{
    const struct fth_value *v = present(fth_value_get(c->pod_spec, key));
    const char *field;

    *count = v != NULL;
    if (!report || !v)
        return 0;
    if (!(field = k8s_path(c, c->pod_spec_path, key)))
        return FTH_ENOMEM;
    return k8s_finding(c, &k8s_kubesec_rules[id], v, field, NULL, "%s is set", key);
}

/* A hostPath volume whose path holds `needle` (kubesec matches the printed list of paths). */
static int eval_host_path(struct k8s_ctx *c, enum rule_id id, const char *needle, int report,
                          unsigned *count)
{
    const struct fth_value *vols = k8s_seq(c->pod_spec, "volumes");
    size_t i;
    int error = 0;

    *count = 0;
    for (i = 0; i < fth_value_len(vols) && error >= 0; i++) {
        const struct fth_value *vol = vols->u.seq.items[i];
        const struct fth_value *p = fth_value_get(k8s_map(vol, "hostPath"), "path");
        const char *field;

        if (!go_text_has(p, needle, 0))
            continue;
        *count = 1;
        if (!report)
            continue;
        field = fth_arena_printf(c->a, "%s.volumes[%zu].hostPath.path", c->pod_spec_path, i);
        error = field ? k8s_finding(c, &k8s_kubesec_rules[id], p, field, NULL,
                                    "volume '%s' mounts host path '%s'",
                                    k8s_str(vol, "name") ? k8s_str(vol, "name") : "",
                                    fth_value_str(p) ? fth_value_str(p) : needle)
                      : FTH_ENOMEM;
    }
    return error;
}

/* Containers (all lists) taking a secret through env[].valueFrom.secretKeyRef or envFrom. */
static int eval_secrets_env(struct k8s_ctx *c, int report, unsigned *count)
{
    const struct fth_rule *rule = &k8s_kubesec_rules[R_SECRETS_AS_ENV];
    size_t i, j;
    int error = 0;

    *count = 0;
    for (i = 0; i < c->ncontainers && error >= 0; i++) {
        const struct k8s_container *k = &c->containers[i];
        const struct fth_value *env = k8s_seq(k->v, "env"), *from = k8s_seq(k->v, "envFrom");
        const struct fth_value *at = NULL;
        const char *field = NULL, *name = NULL;

        for (j = 0; j < fth_value_len(env) && !at; j++) {
            const struct fth_value *e = env->u.seq.items[j];

            at = present(fth_value_get(k8s_map(e, "valueFrom"), "secretKeyRef"));
            if (at && report) {
                name = k8s_str(e, "name");
                field = fth_arena_printf(c->a, "%s.env[%zu].valueFrom.secretKeyRef", k->path, j);
            }
        }
        for (j = 0; j < fth_value_len(from) && !at; j++) {
            at = present(fth_value_get(from->u.seq.items[j], "secretRef"));
            if (at && report)
                field = fth_arena_printf(c->a, "%s.envFrom[%zu].secretRef", k->path, j);
        }
        if (!at)
            continue;
        ++*count;
        if (!report)
            continue;
        if (!field)
            error = FTH_ENOMEM;
        else if (name)
            error = k8s_finding(c, rule, at, field, k->name,
                                "container '%s': environment variable '%s' comes from a secret",
                                container_name(k), name);
        else
            error = k8s_finding(c, rule, at, field, k->name,
                                "container '%s': environment comes from a secret (envFrom)",
                                container_name(k));
    }
    return error;
}

/* StatefulSet claims: kubesec passes a StatefulSet without templates (having none is legal). */
static unsigned count_claim_templates(const struct k8s_ctx *c, const struct fth_value **seq)
{
    unsigned n = 0;
    size_t i;

    *seq = k8s_seq(k8s_map(c->root, "spec"), "volumeClaimTemplates");
    for (i = 0; i < fth_value_len(*seq); i++)
        n += present(fth_value_get((*seq)->u.seq.items[i], "spec")) != NULL;
    return n;
}

static unsigned eval_claim_rwo(const struct k8s_ctx *c)
{
    const struct fth_value *seq;
    size_t i;

    if (!count_claim_templates(c, &seq))
        return 1;
    /* kubesec looks for the text "accessModes:[ReadWriteOnce]": a one-item list. */
    for (i = 0; i < fth_value_len(seq); i++) {
        const struct fth_value *m = k8s_seq(k8s_map(seq->u.seq.items[i], "spec"), "accessModes");

        if (fth_value_len(m) == 1 && fth_value_streq(m->u.seq.items[0], "ReadWriteOnce"))
            return 1;
    }
    return 0;
}

static unsigned eval_claim_storage(const struct k8s_ctx *c)
{
    const struct fth_value *seq;
    unsigned n = 0;
    size_t i;

    if (!count_claim_templates(c, &seq))
        return 1;
    for (i = 0; i < fth_value_len(seq); i++) {
        const struct fth_value *req =
            k8s_map(k8s_map(k8s_map(seq->u.seq.items[i], "spec"), "resources"), "requests");

        n += present(fth_value_get(req, "storage")) != NULL;
    }
    return n;
}

static int eval_bindings(struct k8s_ctx *c, int report, unsigned *count)
{
    const struct fth_value *subjects = k8s_seq(c->root, "subjects");
    size_t i;
    int error = 0;

    *count = 0;
    for (i = 0; i < fth_value_len(subjects) && error >= 0; i++) {
        const struct fth_value *name = fth_value_get(subjects->u.seq.items[i], "name");
        const char *field;

        if (!go_text_has(name, "system:anonymous", 0))
            continue;
        *count = 1;
        if (!report)
            continue;
        field = fth_arena_printf(c->a, "subjects[%zu].name", i);
        error = field ? k8s_finding(c, &k8s_kubesec_rules[R_BINDINGS_ANONYMOUS], name, field, NULL,
                                    "subject '%s' is bound to role '%s'",
                                    fth_value_str(name) ? fth_value_str(name) : "",
                                    k8s_str(k8s_map(c->root, "roleRef"), "name")
                                        ? k8s_str(k8s_map(c->root, "roleRef"), "name")
                                        : "")
                      : FTH_ENOMEM;
    }
    return error;
}

/* Run rule `id`'s predicate; with `report`, also report what it matched. */
static int eval_rule(struct k8s_ctx *c, enum rule_id id, int report, unsigned *count)
{
    *count = 0;
    if (sc_of[id] >= 0)
        return eval_sc(c, &sc_rules[sc_of[id]], report, count);
    switch (id) {
    case R_HOST_NETWORK:
        return eval_pod_bool(c, id, "hostNetwork", 1, report, count);
    case R_HOST_PID:
        return eval_pod_bool(c, id, "hostPID", 1, report, count);
    case R_HOST_IPC:
        return eval_pod_bool(c, id, "hostIPC", 1, report, count);
    case R_AUTOMOUNT_SA_TOKEN:
        return eval_pod_bool(c, id, "automountServiceAccountToken", 0, report, count);
    case R_HOST_USERS:
        return eval_pod_bool(c, id, "hostUsers", 0, report, count);
    case R_SERVICE_ACCOUNT_NAME:
        return eval_pod_present(c, id, "serviceAccountName", report, count);
    case R_HOST_ALIASES:
        return eval_pod_present(c, id, "hostAliases", report, count);
    case R_DOCKER_SOCK:
        return eval_host_path(c, id, "/var/run/docker.sock", report, count);
    case R_PROC_MOUNT:
        return eval_host_path(c, id, "/proc", report, count);
    case R_REQUESTS_CPU:
        *count = count_resources(c, "requests", "cpu");
        return 0;
    case R_LIMITS_CPU:
        *count = count_resources(c, "limits", "cpu");
        return 0;
    case R_REQUESTS_MEMORY:
        *count = count_resources(c, "requests", "memory");
        return 0;
    case R_LIMITS_MEMORY:
        *count = count_resources(c, "limits", "memory");
        return 0;
    case R_VCT_RWO:
        *count = eval_claim_rwo(c);
        return 0;
    case R_VCT_STORAGE:
        *count = eval_claim_storage(c);
        return 0;
    case R_SECRETS_AS_ENV:
        return eval_secrets_env(c, report, count);
    case R_BINDINGS_ANONYMOUS:
        return eval_bindings(c, report, count);
    default:
        return 0;
    }
}

/* ---- scoring ---- */

static int bucket_rank(enum fth_kubesec_bucket b)
{
    switch (b) {
    case FTH_KUBESEC_CRITICAL:
        return 0;
    case FTH_KUBESEC_PASSED:
        return 1;
    case FTH_KUBESEC_ADVISE:
        return 2;
    case FTH_KUBESEC_NONE:
        break;
    }
    return 3;
}

/*
 * Buckets in kubesec's report order (critical, passed, advise, then the rules that matched
 * nothing); inside a bucket kubesec's RuleRefCustomOrder: negative points ascending, positive
 * points descending, then the selector text. Ties keep declaration order.
 */
static int match_cmp(const void *pa, const void *pb)
{
    const struct fth_kubesec_match *a = pa, *b = pb;
    int ra = bucket_rank(a->bucket), rb = bucket_rank(b->bucket), s;

    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (a->bucket != FTH_KUBESEC_NONE) {
        if (a->rule->points != b->rule->points) {
            if (a->rule->points > 0 || b->rule->points > 0)
                return a->rule->points > b->rule->points ? -1 : 1;
            return a->rule->points < b->rule->points ? -1 : 1;
        }
        if ((s = strcmp(a->rule->selector, b->rule->selector)) != 0)
            return s;
    }
    return a->rule < b->rule ? -1 : a->rule > b->rule;
}

/*
 * Per-rule facts computed once: which kinds each rule applies to (a bit per rule for every
 * kind any rule names) and the rules in match_cmp's order inside a bucket. Comparing kind
 * lists and sorting matches per object showed in profiles.
 */
#define KIND_MAX 16

_Static_assert(R_COUNT <= 64, "a rule mask has 64 bits");

struct kind_mask {
    char name[32];
    uint64_t rules; /* bit i: k8s_kubesec_rules[i] applies */
};

static struct kind_mask kind_masks[KIND_MAX];
static size_t kind_masks_len;
static size_t rule_order[64];
static int tables_ok;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static int rank_cmp(const void *pa, const void *pb)
{
    const struct fth_kubesec_match a = {&k8s_kubesec_rules[*(const size_t *)pa], 1,
                                        FTH_KUBESEC_PASSED};
    const struct fth_kubesec_match b = {&k8s_kubesec_rules[*(const size_t *)pb], 1,
                                        FTH_KUBESEC_PASSED};

    /* Inside one bucket points share a sign (negative: critical or none; else passed or
     * advise), so ordering negatives before the rest keeps match_cmp's order in each. */
    if ((a.rule->points < 0) != (b.rule->points < 0))
        return a.rule->points < 0 ? -1 : 1;
    return match_cmp(&a, &b);
}

static void tables_build(void)
{
    size_t i, j;

    memset(sc_of, -1, sizeof(sc_of));
    for (i = SC_RULES; i-- > 0;) { /* backwards: a rule listed twice keeps its first entry */
        sc_of[sc_rules[i].rule] = (signed char)i;
        sc_key_len[i] = strlen(sc_rules[i].key);
        sc_subkey_len[i] = sc_rules[i].subkey ? strlen(sc_rules[i].subkey) : 0;
    }
    if (k8s_kubesec_rules_len > 64)
        return;
    for (i = 0; i < k8s_kubesec_rules_len; i++) {
        const char *p = k8s_kubesec_rules[i].kinds;

        if (!k8s_kubesec_rules[i].selector)
            return;
        while (*p) {
            const char *end = strchr(p, ',');
            size_t len = end ? (size_t)(end - p) : strlen(p);

            if (len >= sizeof(kind_masks[0].name))
                return;
            for (j = 0; j < kind_masks_len; j++)
                if (strlen(kind_masks[j].name) == len && !memcmp(kind_masks[j].name, p, len))
                    break;
            if (j == kind_masks_len) {
                if (j == KIND_MAX)
                    return;
                memcpy(kind_masks[j].name, p, len);
                kind_masks[j].name[len] = '\0';
                kind_masks_len++;
            }
            kind_masks[j].rules |= (uint64_t)1 << i;
            p += len + (end ? 1 : 0);
        }
        rule_order[i] = i;
    }
    qsort(rule_order, k8s_kubesec_rules_len, sizeof(rule_order[0]), rank_cmp);
    tables_ok = 1;
}

/* The rules whose comma-separated kinds list `kind` exactly (as kubesec compares), a bit
 * each. */
static uint64_t kind_rules(const char *kind)
{
    size_t i;

    for (i = 0; kind && i < kind_masks_len; i++)
        if (!strcmp(kind_masks[i].name, kind))
            return kind_masks[i].rules;
    return 0;
}

/*
 * kubesec scores four workload kinds; the same dangers in a ReplicaSet, ReplicationController,
 * Job or CronJob pod template are still findings (without a score): its negative rules that
 * read the pod spec run on every workload.
 */
static int report_unscored(struct k8s_ctx *c)
{
    uint64_t pod = kind_rules("Pod"), own = kind_rules(c->obj->kind);
    size_t i;
    unsigned count;
    int error = 0;

    if (!c->pod_spec)
        return 0;
    for (i = 0; i < k8s_kubesec_rules_len && error >= 0; i++)
        if (k8s_kubesec_rules[i].points < 0 && (pod >> i & 1) && !(own >> i & 1))
            error = eval_rule(c, (enum rule_id)i, 1, &count);
    return error;
}

int k8s_kubesec_eval(struct k8s_ctx *c)
{
    struct fth_k8s_object *obj = c->obj;
    struct fth_kubesec_match m[64];
    enum fth_kubesec_bucket bucket[64];
    static const enum fth_kubesec_bucket report_order[] = {FTH_KUBESEC_CRITICAL, FTH_KUBESEC_PASSED,
                                                           FTH_KUBESEC_ADVISE, FTH_KUBESEC_NONE};
    unsigned counts[64];
    uint64_t applies;
    size_t i, b, n = 0;
    int score = 0, error = 0;

    if (!obj->kind)
        goto out;
    pthread_once(&tables_once, tables_build);
    if (!tables_ok) { /* the built-in table outgrew KIND_MAX or the 64 bits: a build bug */
        error = FTH_EINVALID;
        goto out;
    }
    applies = kind_rules(obj->kind);
    for (i = 0; i < k8s_kubesec_rules_len; i++)
        n += applies >> i & 1;
    if (!n) {
        error = report_unscored(c);
        goto out;
    }
    memset(m, 0, sizeof(m));
    for (i = 0; i < k8s_kubesec_rules_len; i++) {
        const struct fth_rule *rule = &k8s_kubesec_rules[i];
        unsigned count;

        if (!(applies >> i & 1))
            continue;
        if ((error = eval_rule(c, (enum rule_id)i, 0, &count)) < 0)
            goto out;
        counts[i] = count;
        if (count > 0) {
            score += rule->points;
            bucket[i] = rule->points < 0 ? FTH_KUBESEC_CRITICAL : FTH_KUBESEC_PASSED;
            /* Findings in a second pass, so a rule reports only what made it match. */
            if (rule->points < 0 && (error = eval_rule(c, (enum rule_id)i, 1, &count)) < 0)
                goto out;
        } else {
            bucket[i] = rule->points < 0 ? FTH_KUBESEC_NONE : FTH_KUBESEC_ADVISE;
        }
    }
    /* match_cmp's order: bucket by bucket, each in the precomputed rank order (the rules
     * that matched nothing in declaration order) */
    n = 0;
    for (b = 0; b < sizeof(report_order) / sizeof(report_order[0]); b++) {
        for (i = 0; i < k8s_kubesec_rules_len; i++) {
            size_t r = report_order[b] == FTH_KUBESEC_NONE ? i : rule_order[i];

            if (!(applies >> r & 1) || bucket[r] != report_order[b])
                continue;
            m[n].rule = &k8s_kubesec_rules[r];
            m[n].count = counts[r];
            m[n].bucket = bucket[r];
            n++;
        }
    }
    if ((error = report_unscored(c)) < 0)
        goto out;
    /* Objects of one kind and shape share one copy: repeated workloads match alike. */
    obj->kubesec = (struct fth_kubesec_match *)k8s_intern(c->sink, (const char *)m, n * sizeof(*m));
    if (!obj->kubesec) {
        error = FTH_ENOMEM;
        goto out;
    }
    obj->kubesec_supported = 1;
    obj->kubesec_score = score;
    obj->kubesec_len = n;
out:
    return error;
}
