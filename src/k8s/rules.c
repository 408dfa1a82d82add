/*
 * Fathom's own manifest rules: image references, probes, resources, host access, service
 * account tokens, literal secrets (in env, Secrets and ConfigMaps), RBAC, Services and
 * Namespaces. NetworkPolicy coverage is checked in netpol.c; its rule lives in this table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "k8s_int.h"
#include "../base/banned.h"

#define SOURCE "fathom"
#define WORKLOADS                                                                                  \
    "Pod,Deployment,StatefulSet,DaemonSet,ReplicaSet,ReplicationController,Job,CronJob"
#define SERVICES "Pod,Deployment,StatefulSet,DaemonSet,ReplicaSet,ReplicationController"
#define DOCS "https://kubernetes.io/docs/"

enum rule_id {
    R_IMAGE_TAG_MISSING = 0,
    R_IMAGE_TAG_LATEST,
    R_IMAGE_DIGEST_MISSING,
    R_LIVENESS_MISSING,
    R_READINESS_MISSING,
    R_CPU_REQUESTS,
    R_MEMORY_REQUESTS,
    R_CPU_LIMITS,
    R_MEMORY_LIMITS,
    R_HOST_PORT,
    R_SECRET_ENV,
    R_HOST_PATH,
    R_SA_TOKEN,
    R_RBAC_VERBS,
    R_RBAC_RESOURCES,
    R_RBAC_CLUSTER_ADMIN,
    R_RBAC_ANONYMOUS,
    R_SERVICE_NODE_PORT,
    R_SERVICE_LOAD_BALANCER,
    R_SECRET_IN_SECRET,
    R_SECRET_IN_CONFIGMAP,
    R_NS_PSS_MISSING,
    R_NS_PSS_WEAK,
    R_NETPOL_MISSING,
    R_COUNT
};

#define RULE(idx, id, cls, sev, kinds, title, rationale, remediation, ref)                         \
    [idx] = {id, SOURCE, cls, sev, title, rationale, remediation, DOCS ref, kinds, 0, 0, NULL}

const struct fth_rule k8s_fathom_rules[] = {
    RULE(R_IMAGE_TAG_MISSING, "ImageTagMissing", FTH_CLASS_MISCONFIG, FTH_SEV_MEDIUM, WORKLOADS,
         "Container image has no tag or digest",
         "An image without a tag means ':latest': what runs changes whenever the tag moves, "
         "so rollouts are not reproducible and an unreviewed image can start",
         "Pin the image to a version tag and preferably to a digest (image@sha256:...)",
         "concepts/containers/images/#image-names"),
    RULE(R_IMAGE_TAG_LATEST, "ImageTagLatest", FTH_CLASS_MISCONFIG, FTH_SEV_MEDIUM, WORKLOADS,
         "Container image uses the ':latest' tag",
         "':latest' moves with every push: nodes may run different images for one workload and "
         "a rollback cannot return to what ran before",
         "Use a version tag and preferably a digest (image@sha256:...)",
         "concepts/containers/images/#updating-images"),
    RULE(R_IMAGE_DIGEST_MISSING, "ImageDigestMissing", FTH_CLASS_MISCONFIG, FTH_SEV_LOW, WORKLOADS,
         "Container image is not pinned by digest",
         "Tags are mutable: whoever can push to the registry can change what a tag runs; only "
         "a digest names exact content",
         "Reference the image by digest (name:tag@sha256:...)",
         "concepts/containers/images/#image-names"),
    RULE(R_LIVENESS_MISSING, "LivenessProbeMissing", FTH_CLASS_HYGIENE, FTH_SEV_LOW, SERVICES,
         "Container has no liveness probe",
         "Without a liveness probe the kubelet cannot restart a container that hangs while its "
         "process stays up",
         "Add a livenessProbe (httpGet, tcpSocket, grpc or exec) that fails when the container "
         "can no longer make progress",
         "tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"),
    RULE(R_READINESS_MISSING, "ReadinessProbeMissing", FTH_CLASS_HYGIENE, FTH_SEV_LOW, SERVICES,
         "Container has no readiness probe",
         "Without a readiness probe a Service sends traffic to the pod as soon as the container "
         "starts, before it can answer, and keeps sending it while it is overloaded",
         "Add a readinessProbe that succeeds only when the container can serve requests",
         "tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"),
    RULE(R_CPU_REQUESTS, "CpuRequestsMissing", FTH_CLASS_MISCONFIG, FTH_SEV_LOW, WORKLOADS,
         "Container has no CPU request",
         "The scheduler places pods by their requests: without one the pod can land on a full "
         "node and is the first to be starved",
         "Set resources.requests.cpu to what the container needs under normal load",
         "concepts/configuration/manage-resources-containers/"),
    RULE(R_MEMORY_REQUESTS, "MemoryRequestsMissing", FTH_CLASS_MISCONFIG, FTH_SEV_LOW, WORKLOADS,
         "Container has no memory request",
         "Without a memory request the pod can be scheduled onto a node that cannot hold it and "
         "is among the first evicted under memory pressure",
         "Set resources.requests.memory to the container's working set",
         "concepts/configuration/manage-resources-containers/"),
    RULE(R_CPU_LIMITS, "CpuLimitsMissing", FTH_CLASS_MISCONFIG, FTH_SEV_LOW, WORKLOADS,
         "Container has no CPU limit",
         "A container without a CPU limit can use every core of its node and slow down its "
         "neighbours (a noisy neighbour or a denial of service)",
         "Set resources.limits.cpu, or a namespace LimitRange that defaults it",
         "concepts/configuration/manage-resources-containers/"),
    RULE(R_MEMORY_LIMITS, "MemoryLimitsMissing", FTH_CLASS_MISCONFIG, FTH_SEV_MEDIUM, WORKLOADS,
         "Container has no memory limit",
         "A container without a memory limit can exhaust its node's memory, and the kernel's "
         "out-of-memory killer then picks victims among other pods",
         "Set resources.limits.memory, or a namespace LimitRange that defaults it",
         "concepts/configuration/manage-resources-containers/"),
    RULE(R_HOST_PORT, "HostPortUsed", FTH_CLASS_MISCONFIG, FTH_SEV_MEDIUM, WORKLOADS,
         "Container binds a port on the node (hostPort)",
         "A hostPort exposes the container on the node's own address, around Services and "
         "NetworkPolicies, and limits where the pod can be scheduled",
         "Remove hostPort and expose the container through a Service",
         "concepts/configuration/overview/#services"),
    RULE(R_SECRET_ENV, "SecretLiteralInEnv", FTH_CLASS_SECRET, FTH_SEV_HIGH, WORKLOADS,
         "Secret written literally in a container's environment",
         "A literal value in env is stored in the manifest, in version control and in the "
         "object itself, readable by anyone who can read the workload",
         "Store the value in a Secret and reference it with env[].valueFrom.secretKeyRef",
         "concepts/configuration/secret/#using-secrets-as-environment-variables"),
    RULE(R_HOST_PATH, "HostPathVolume", FTH_CLASS_MISCONFIG, FTH_SEV_HIGH, WORKLOADS,
         "Pod mounts a directory of the node (hostPath volume)",
         "A hostPath volume gives the pod the node's files: container runtime sockets, "
         "credentials and logs of other pods, a path to take over the node",
         "Use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret volume instead; if the "
         "host path is unavoidable, mount it read-only and as narrowly as possible",
         "concepts/storage/volumes/#hostpath"),
    RULE(R_SA_TOKEN, "ServiceAccountTokenAutomount", FTH_CLASS_MISCONFIG, FTH_SEV_LOW, WORKLOADS,
         "Pod mounts a service account token it may not need",
         "Unless automountServiceAccountToken is false, every container gets an API token: "
         "code execution in the pod becomes access to the Kubernetes API",
         "Set automountServiceAccountToken: false in the pod spec (or on its ServiceAccount) "
         "unless the workload calls the Kubernetes API",
         "tasks/configure-pod-container/configure-service-account/"
         "#opt-out-of-api-credential-automounting"),
    RULE(R_RBAC_VERBS, "RbacWildcardVerbs", FTH_CLASS_MISCONFIG, FTH_SEV_HIGH, "Role,ClusterRole",
         "Role grants every verb ('*')",
         "A verb wildcard grants today's verbs and every verb added later, including escalate, "
         "bind and impersonate",
         "List the verbs the subject needs (get, list, watch, ...)",
         "concepts/security/rbac-good-practices/#least-privilege"),
    RULE(R_RBAC_RESOURCES, "RbacWildcardResources", FTH_CLASS_MISCONFIG, FTH_SEV_HIGH,
         "Role,ClusterRole", "Role grants access to every resource or API group ('*')",
         "A resource or API group wildcard covers Secrets and every resource added later, "
         "custom resources included",
         "List the API groups and resources the subject needs",
         "concepts/security/rbac-good-practices/#least-privilege"),
    RULE(R_RBAC_CLUSTER_ADMIN, "RbacClusterAdminBinding", FTH_CLASS_MISCONFIG, FTH_SEV_HIGH,
         "RoleBinding,ClusterRoleBinding", "Binding grants the cluster-admin role",
         "cluster-admin can do anything to any resource; a leaked credential of a subject bound "
         "to it is a compromised cluster",
         "Bind a role that grants only what the subject needs",
         "reference/access-authn-authz/rbac/#user-facing-roles"),
    RULE(R_RBAC_ANONYMOUS, "RbacAnonymousBinding", FTH_CLASS_MISCONFIG, FTH_SEV_CRITICAL,
         "RoleBinding,ClusterRoleBinding",
         "Binding grants a role to anonymous or unauthenticated users",
         "system:anonymous and system:unauthenticated are every request without credentials: "
         "anyone who reaches the API server gets the role",
         "Remove the subject; grant roles to authenticated users, groups or service accounts",
         "reference/access-authn-authz/authentication/#anonymous-requests"),
    RULE(R_SERVICE_NODE_PORT, "ServiceNodePort", FTH_CLASS_MISCONFIG, FTH_SEV_MEDIUM, "Service",
         "Service opens a port on every node (type NodePort)",
         "A NodePort listens on every node's address, bypassing ingress controllers and often "
         "the firewall rules written for them",
         "Use type ClusterIP behind an Ingress or Gateway, or a LoadBalancer when the service "
         "must be reachable from outside",
         "concepts/services-networking/service/#type-nodeport"),
    RULE(R_SERVICE_LOAD_BALANCER, "ServiceLoadBalancer", FTH_CLASS_MISCONFIG, FTH_SEV_LOW,
         "Service", "Service is exposed through an external load balancer",
         "A LoadBalancer Service is usually reachable from the internet; it should be a "
         "deliberate, reviewed choice",
         "Restrict it with spec.loadBalancerSourceRanges or an internal load balancer, or use "
         "ClusterIP behind an Ingress or Gateway",
         "concepts/services-networking/service/#loadbalancer"),
    RULE(R_SECRET_IN_SECRET, "SecretLiteralInSecret", FTH_CLASS_SECRET, FTH_SEV_MEDIUM, "Secret",
         "Secret value committed in a manifest",
         "A Secret is the right place for a secret, but a manifest holding its value puts it "
         "in version control and in every copy of the file (base64 is not encryption)",
         "Keep the value out of the manifest: create the Secret out of band, or use an "
         "encrypting workflow (Sealed Secrets, SOPS) or an external secret store",
         "concepts/security/secrets-good-practices/"),
    RULE(R_SECRET_IN_CONFIGMAP, "SecretLiteralInConfigMap", FTH_CLASS_SECRET, FTH_SEV_HIGH,
         "ConfigMap", "Secret stored in a ConfigMap",
         "ConfigMaps are not protected like Secrets: they are readable by more roles, not "
         "encrypted at rest and printed freely by tools",
         "Move the value to a Secret and reference it from the workload",
         "concepts/configuration/configmap/"),
    RULE(R_NS_PSS_MISSING, "NamespacePodSecurityMissing", FTH_CLASS_MISCONFIG, FTH_SEV_MEDIUM,
         "Namespace", "Namespace does not enforce a Pod Security Standard",
         "Without a pod-security.kubernetes.io/enforce label Pod Security Admission lets any "
         "pod into the namespace, privileged ones included",
         "Label the namespace pod-security.kubernetes.io/enforce: restricted (or baseline)",
         "tasks/configure-pod-container/enforce-standards-namespace-labels/"),
    RULE(R_NS_PSS_WEAK, "NamespacePodSecurityWeak", FTH_CLASS_MISCONFIG, FTH_SEV_MEDIUM,
         "Namespace", "Namespace enforces the 'privileged' Pod Security Standard",
         "enforce=privileged allows every pod, including ones that take over their node",
         "Enforce baseline or restricted, and keep privileged namespaces for system components",
         "concepts/security/pod-security-admission/"),
    RULE(R_NETPOL_MISSING, "NetworkPolicyMissing", FTH_CLASS_MISCONFIG, FTH_SEV_MEDIUM, WORKLOADS,
         "No NetworkPolicy selects the workload's pods",
         "Pods no NetworkPolicy selects accept traffic from, and send it to, anything in the "
         "cluster: one compromised pod can reach them all",
         "Add a NetworkPolicy in the namespace whose podSelector matches the pods (a default-"
         "deny policy with podSelector: {} plus policies that allow what is needed)",
         "concepts/services-networking/network-policies/"),
};

const size_t k8s_fathom_rules_len = sizeof(k8s_fathom_rules) / sizeof(k8s_fathom_rules[0]);

_Static_assert(sizeof(k8s_fathom_rules) / sizeof(k8s_fathom_rules[0]) == R_COUNT,
               "every rule id has a table entry");

/* ---- reporting ---- */

static int report(struct k8s_ctx *c, enum rule_id id, const struct fth_value *at, const char *base,
                  const char *suffix, const char *container, const char *fmt, ...) FTH_PRINTF(7, 8);

/* Report rule `id` at field "<base>.<suffix>" (no field when suffix is NULL). */
static int report(struct k8s_ctx *c, enum rule_id id, const struct fth_value *at, const char *base,
                  const char *suffix, const char *container, const char *fmt, ...)
{
    const char *field = NULL;
    va_list ap;
    int error;

    if (suffix && !(field = k8s_path(c, base, suffix)))
        return FTH_ENOMEM;
    va_start(ap, fmt);
    error = k8s_vfinding(c, &k8s_fathom_rules[id], at, field, container, fmt, ap);
    va_end(ap);
    return error;
}

/* ---- small text helpers (values may hold NUL bytes: always a pointer and a length) ---- */

static int is_upper(int ch)
{
    return ch >= 'A' && ch <= 'Z';
}

static int is_lower(int ch)
{
    return ch >= 'a' && ch <= 'z';
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static int is_alnum(int ch)
{
    return is_upper(ch) || is_lower(ch) || is_digit(ch);
}

static int is_space(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v';
}

static int to_upper(int ch)
{
    return is_lower(ch) ? ch - 'a' + 'A' : ch;
}

static int is_b64url(int ch)
{
    return is_alnum(ch) || ch == '-' || ch == '_';
}

static int has_prefix(const char *p, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);

    return n >= k && !memcmp(p, prefix, k);
}

static int has_suffix(const char *p, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);

    return n >= k && !memcmp(p + n - k, suffix, k);
}

static int ieq(const char *p, size_t n, const char *s)
{
    size_t i;

    if (strlen(s) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (to_upper((unsigned char)p[i]) != to_upper((unsigned char)s[i]))
            return 0;
    return 1;
}

/* First occurrence of needle in [p, p+n), or NULL. */
static const char *find(const char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle), i;

    if (k == 0 || n < k)
        return NULL;
    for (i = 0; i + k <= n; i++) {
        const char *hit = memchr(p + i, needle[0], n - k + 1 - i);

        if (!hit)
            return NULL;
        i = (size_t)(hit - p);
        if (!memcmp(hit, needle, k))
            return hit;
    }
    return NULL;
}

static void trim(const char **p, size_t *n)
{
    while (*n && is_space((unsigned char)(*p)[0])) {
        (*p)++;
        (*n)--;
    }
    while (*n && is_space((unsigned char)(*p)[*n - 1]))
        (*n)--;
}

/*
 * A masked rendering of a secret for messages, " ('hu****')": its first two characters then
 * "****", or only "****" when the value is short or does not start with printable ASCII
 * (never most of a secret). Nothing when there is nothing to show (a PEM key's header).
 */
#define MASK_SIZE 16

static void mask(char out[MASK_SIZE], const char *p, size_t n)
{
    if (n == 0)
        out[0] = '\0';
    else if (n >= 8 && p[0] > ' ' && p[0] < 127 && p[1] > ' ' && p[1] < 127 && p[0] != '\'' &&
             p[1] != '\'')
        snprintf(out, MASK_SIZE, " ('%c%c****')", p[0], p[1]);
    else
        snprintf(out, MASK_SIZE, " ('****')");
}

/*
 * Is the value a stand-in rather than a secret: empty, a variable reference ("$(VAR)",
 * "${VAR}", "$VAR"), a template ("{{ ... }}", "<password>"), a run of one filler character
 * ("xxxx", "****") or a word that means "nothing here"?
 */
static int is_placeholder(const char *p, size_t n)
{
    static const char *const words[] = {
        "null",     "none",        "nil",        "true",      "false",      "yes",  "no",
        "redacted", "placeholder", "replace_me", "replaceme", "replace-me", "todo", "tbd"};
    size_t i;

    trim(&p, &n);
    if (n == 0)
        return 1;
    if (find(p, n, "$(") || find(p, n, "${") || find(p, n, "{{") || has_prefix(p, n, "ENC["))
        return 1; /* variable references, templates, SOPS-encrypted values */
    if (p[0] == '<' && p[n - 1] == '>')
        return 1;
    if (n >= 2 && p[0] == '%' && p[n - 1] == '%')
        return 1;
    if (p[0] == '$' && n > 1) {
        for (i = 1; i < n && (is_alnum((unsigned char)p[i]) || p[i] == '_'); i++)
            ;
        if (i == n)
            return 1;
    }
    for (i = 1; i < n && p[i] == p[0]; i++)
        ;
    if (i == n && strchr("xX*.#-_?", p[0]))
        return 1;
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (ieq(p, n, words[i]))
            return 1;
    return 0;
}

static int all_digits(const char *p, size_t n)
{
    size_t i;

    trim(&p, &n);
    for (i = 0; i < n; i++)
        if (!is_digit((unsigned char)p[i]))
            return 0;
    return n > 0;
}

/* ---- names that look like they hold a secret ---- */

#define NAME_MAX_CHARS 512 /* characters of a name examined; longer names are cut */
#define NAME_MAX_WORDS 64

struct name_words {
    char compact[NAME_MAX_CHARS + 1]; /* upper case, letters and digits only */
    size_t len;
    size_t starts[NAME_MAX_WORDS]; /* where each word starts in compact */
    size_t nwords;
};

/* Split "dbPassword", "DB_PASSWORD", "db.password" into upper-case words. */
static void name_split(struct name_words *w, const char *p, size_t n)
{
    size_t i;
    int prev_lower = 0, in_word = 0;

    memset(w, 0, sizeof(*w));
    for (i = 0; i < n && w->len < NAME_MAX_CHARS; i++) {
        int ch = (unsigned char)p[i];

        if (!is_alnum(ch)) {
            in_word = 0;
            prev_lower = 0;
            continue;
        }
        if ((!in_word || (prev_lower && is_upper(ch))) && w->nwords < NAME_MAX_WORDS)
            w->starts[w->nwords++] = w->len;
        in_word = 1;
        w->compact[w->len++] = (char)to_upper(ch);
        prev_lower = is_lower(ch) || is_digit(ch);
    }
    w->compact[w->len] = '\0';
}

static size_t word_len(const struct name_words *w, size_t i)
{
    return (i + 1 < w->nwords ? w->starts[i + 1] : w->len) - w->starts[i];
}

static int word_is(const struct name_words *w, size_t i, const char *s)
{
    size_t n = strlen(s);

    return word_len(w, i) == n && !memcmp(w->compact + w->starts[i], s, n);
}

/* Does a name mention a password ("PASSWORD", "db_pass", "PWD", "pin")? Numbers can be those. */
static int name_password(const struct name_words *w)
{
    size_t i;

    if (find(w->compact, w->len, "PASSW"))
        return 1;
    for (i = 0; i < w->nwords; i++)
        if (word_is(w, i, "PASS") || word_is(w, i, "PWD") || word_is(w, i, "PW") ||
            word_is(w, i, "PIN"))
            return 1;
    return 0;
}

/*
 * Does a key or variable name say it holds a secret? "DB_PASSWORD", "apiKey", "client-secret"
 * do; names of things about a secret ("PASSWORD_FILE", "TOKEN_TTL", "SECRET_NAME") do not.
 */
static int name_secretish(const char *p, size_t n, int *password)
{
    static const char *const parts[] = {
        "PASSWORD",  "PASSWD",          "PASSPHRASE", "SECRET",        "TOKEN",
        "APIKEY",    "PRIVATEKEY",      "ACCESSKEY",  "SECRETKEY",     "CREDENTIAL",
        "AUTHKEY",   "SIGNINGKEY",      "MASTERKEY",  "ENCRYPTIONKEY", "DOCKERCONFIGJSON",
        "DOCKERCFG", "CONNECTIONSTRING"};
    /* The last word names something about the secret, not the secret itself. */
    static const char *const about[] = {
        "FILE",      "FILES",    "PATH",    "DIR",    "NAME",     "NAMES",      "REF",
        "TTL",       "LENGTH",   "LEN",     "SIZE",   "EXPIRY",   "EXPIRATION", "EXPIRES",
        "LIFETIME",  "TIMEOUT",  "URL",     "URI",    "ENDPOINT", "HOST",       "PORT",
        "HEADER",    "TYPE",     "ENABLED", "ENABLE", "DISABLED", "MODE",       "ID",
        "ISSUER",    "AUDIENCE", "VERSION", "COUNT",  "LIMIT",    "REGION",     "FORMAT",
        "ALGORITHM", "POLICY",   "FIELD",   "PREFIX", "REQUIRED", "AGE",        "KIND"};
    struct name_words w;
    size_t i;
    int hit = 0;

    name_split(&w, p, n);
    if (password)
        *password = name_password(&w);
    if (w.nwords == 0)
        return 0;
    for (i = 0; i < sizeof(parts) / sizeof(parts[0]) && !hit; i++)
        hit = find(w.compact, w.len, parts[i]) != NULL;
    for (i = 0; i < w.nwords && !hit; i++)
        hit = word_is(&w, i, "PASS") || word_is(&w, i, "PWD") || word_is(&w, i, "PW");
    if (!hit || w.nwords < 2)
        return hit;
    for (i = 0; i < sizeof(about) / sizeof(about[0]); i++)
        if (word_is(&w, w.nwords - 1, about[i]))
            return 0;
    return 1;
}

/*
 * Is a value under a secret-looking name the secret itself? Not when it is a placeholder, a
 * file path or a URL (a URL with a password is caught on its own), nor a number unless the
 * name says password ("MAX_TOKENS: 4096", "TOKEN_TTL: 3600" are settings).
 */
static int literal_secret(const char *p, size_t n, int numbers)
{
    trim(&p, &n);
    if (is_placeholder(p, n))
        return 0;
    if (p[0] == '/' && memchr(p + 1, '/', n - 1) && !memchr(p, ' ', n))
        return 0;
    if (has_prefix(p, n, "http://") || has_prefix(p, n, "https://") || has_prefix(p, n, "file://"))
        return 0;
    return numbers || !all_digits(p, n);
}

/* Does a data key name a file that holds a secret ("tls.key", "id_rsa", ".dockerconfigjson")? */
static int file_secretish(const char *p, size_t n)
{
    static const char *const names[] = {
        "id_rsa",  "id_dsa", "id_ecdsa",          "id_ed25519", ".htpasswd",        "htpasswd",
        ".pgpass", ".netrc", ".dockerconfigjson", ".dockercfg", ".git-credentials", ".npmrc"};
    static const char *const exts[] = {".key", ".p12", ".pfx", ".jks", ".keystore"};
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (ieq(p, n, names[i]))
            return 1;
    for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
        if (n > strlen(exts[i]) && has_suffix(p, n, exts[i]) && !find(p, n, "pub"))
            return 1;
    return 0;
}

/*
 * Does a data key say its value is a secret? A key with a short extension names a file
 * ("config.yaml", "app.ini"): only its content can tell, unless the file is a known secret
 * ("tls.key", "id_rsa"). Dotted names ("db.password") are judged by their words.
 */
static int key_secretish(const char *p, size_t n, int *password)
{
    const char *ext = p + n;

    *password = 0;
    if (file_secretish(p, n))
        return 1;
    while (ext > p && ext[-1] != '.')
        ext--;
    if (ext > p && (size_t)(p + n - ext) <= 5 && !name_secretish(ext, (size_t)(p + n - ext), NULL))
        return 0;
    return name_secretish(p, n, password);
}

/* ---- values that look like credentials, whatever their name ---- */

struct cred {
    const char *what;   /* "a PEM private key" */
    const char *secret; /* the part to mask in messages */
    size_t secret_len;
};

/*
 * Characters from p that satisfy ok, counting no further than cap: callers only need to know
 * whether a token is long enough, and stopping keeps repeated prefixes ("xoxb-xoxb-...")
 * linear.
 */
static size_t run(const char *p, size_t n, int (*ok)(int), size_t cap)
{
    size_t i = 0;

    while (i < n && i < cap && ok((unsigned char)p[i]))
        i++;
    return i;
}

static int is_upper_digit(int ch)
{
    return is_upper(ch) || is_digit(ch);
}

static int is_slack(int ch)
{
    return is_alnum(ch) || ch == '-';
}

static int is_ghpat(int ch)
{
    return is_alnum(ch) || ch == '_';
}

static int find_pem(struct cred *out, const char *p, size_t n)
{
    const char *at = p, *hit;

    while ((hit = find(at, (size_t)(p + n - at), "-----BEGIN ")) != NULL) {
        size_t rest = (size_t)(p + n - hit), line = 0;

        while (line < rest && line < 80 && hit[line] != '\n')
            line++;
        if (find(hit, line, "PRIVATE KEY")) {
            out->what = "a PEM private key";
            out->secret = hit;
            out->secret_len = 0; /* the header is not the secret: nothing to show */
            return 1;
        }
        at = hit + 11;
    }
    return 0;
}

static int find_aws(struct cred *out, const char *p, size_t n)
{
    size_t i;

    for (i = 0; i + 20 <= n; i++) {
        if (p[i] != 'A' || (i > 0 && is_alnum((unsigned char)p[i - 1])))
            continue;
        if (!has_prefix(p + i, n - i, "AKIA") && !has_prefix(p + i, n - i, "ASIA"))
            continue;
        if (run(p + i + 4, n - i - 4, is_upper_digit, 17) == 16) {
            out->what = "an AWS access key id";
            out->secret = p + i;
            out->secret_len = 20;
            return 1;
        }
    }
    return 0;
}

static int find_github(struct cred *out, const char *p, size_t n)
{
    static const char *const prefixes[] = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"};
    size_t i, k;

    for (i = 0; i + 4 <= n; i++) {
        if (p[i] != 'g' || (i > 0 && is_alnum((unsigned char)p[i - 1])))
            continue;
        for (k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++)
            if (has_prefix(p + i, n - i, prefixes[k]) &&
                run(p + i + 4, n - i - 4, is_alnum, 36) >= 36)
                goto hit;
        if (has_prefix(p + i, n - i, "github_pat_") &&
            run(p + i + 11, n - i - 11, is_ghpat, 22) >= 22)
            goto hit;
    }
    return 0;
hit:
    out->what = "a GitHub token";
    out->secret = p + i;
    out->secret_len = n - i;
    return 1;
}

static int find_slack(struct cred *out, const char *p, size_t n)
{
    size_t i;

    for (i = 0; i + 5 <= n; i++) {
        if (p[i] != 'x' || !has_prefix(p + i, n - i, "xox") || !strchr("abposr", p[i + 3]) ||
            p[i + 3] == '\0' || p[i + 4] != '-')
            continue;
        if (run(p + i + 5, n - i - 5, is_slack, 10) >= 10) {
            out->what = "a Slack token";
            out->secret = p + i;
            out->secret_len = n - i;
            return 1;
        }
    }
    return 0;
}

static int find_jwt(struct cred *out, const char *p, size_t n)
{
    size_t i = 0;

    while (i + 3 <= n) {
        size_t r1, r2;

        if (!has_prefix(p + i, n - i, "eyJ") || (i > 0 && is_b64url((unsigned char)p[i - 1]))) {
            i++;
            continue;
        }
        r1 = run(p + i, n - i, is_b64url, SIZE_MAX);
        if (r1 >= 10 && i + r1 + 1 < n && p[i + r1] == '.' &&
            has_prefix(p + i + r1 + 1, n - i - r1 - 1, "eyJ")) {
            r2 = run(p + i + r1 + 1, n - i - r1 - 1, is_b64url, SIZE_MAX);
            if (r2 >= 10 && i + r1 + 1 + r2 < n && p[i + r1 + 1 + r2] == '.') {
                out->what = "a JSON Web Token";
                out->secret = p + i;
                out->secret_len = n - i;
                return 1;
            }
        }
        i += r1; /* past this run: every start inside it has a base64url character before */
    }
    return 0;
}

static int url_end(int ch)
{
    return ch == '/' || ch == '@' || ch == '?' || ch == '#' || ch == '"' || ch == '\'' ||
           ch == '<' || ch == '>' || is_space(ch);
}

/* "scheme://user:password@host" with a literal password. */
static int find_url(struct cred *out, const char *p, size_t n)
{
    const char *at = p, *hit;

    while ((hit = find(at, (size_t)(p + n - at), "://")) != NULL) {
        const char *u = hit + 3, *end = p + n, *q = u, *colon = NULL;

        while (q < end && !url_end((unsigned char)*q)) {
            if (*q == ':' && !colon)
                colon = q;
            q++;
        }
        if (q < end && *q == '@' && colon && !is_placeholder(colon + 1, (size_t)(q - colon - 1))) {
            out->what = "a URL with a password";
            out->secret = colon + 1;
            out->secret_len = (size_t)(q - colon - 1);
            return 1;
        }
        at = q > hit + 3 ? q : hit + 3;
    }
    return 0;
}

static int find_cred(struct cred *out, const char *p, size_t n)
{
    return find_pem(out, p, n) || find_aws(out, p, n) || find_github(out, p, n) ||
           find_slack(out, p, n) || find_jwt(out, p, n) || find_url(out, p, n);
}

/* A key in configuration content: letters, digits, '_', '-', '.' */
static int ident(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!is_alnum((unsigned char)p[i]) && p[i] != '_' && p[i] != '-' && p[i] != '.')
            return 0;
    return 1;
}

/*
 * In configuration file content ("password=...", "  token: ...", "\"apiKey\": \"...\""), the
 * first line whose key looks secret and whose value is a literal.
 */
static int find_assignment(struct cred *out, const char **key, size_t *key_len, const char *p,
                           size_t n)
{
    const char *end = p + n, *line = p;

    while (line < end) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        const char *le = eol ? eol : end, *k = line, *sep, *v;
        size_t kn, vn;
        int password = 0;

        if (!eol)
            eol = end;
        while (k < le && is_space((unsigned char)*k))
            k++;
        if (le - k >= 7 && !memcmp(k, "export ", 7))
            k += 7;
        for (sep = k; sep < le && *sep != '=' && *sep != ':'; sep++)
            ;
        if (sep == le || k == le || *k == '#' || *k == ';' || *k == '/' || *k == '-')
            goto next;
        kn = (size_t)(sep - k);
        trim(&k, &kn);
        if (kn >= 2 && (*k == '"' || *k == '\'') && k[kn - 1] == *k) {
            k++;
            kn -= 2;
        }
        if (kn == 0 || kn > 128 || !ident(k, kn) || !name_secretish(k, kn, &password))
            goto next;
        v = sep + 1;
        vn = (size_t)(le - v);
        trim(&v, &vn);
        if (vn && v[vn - 1] == ',')
            vn--;
        if (vn >= 2 && (*v == '"' || *v == '\'') && v[vn - 1] == *v) {
            v++;
            vn -= 2;
        }
        if (vn == 0 || *v == '{' || *v == '[' || *v == '|' || *v == '>' || *v == '&' || *v == '*' ||
            !literal_secret(v, vn, password))
            goto next;
        out->what = "a literal secret";
        out->secret = v;
        out->secret_len = vn;
        *key = k;
        *key_len = kn;
        return 1;
    next:
        line = eol + 1;
    }
    return 0;
}

/* ---- base64 (Secret data) ---- */

static int b64_value(int ch)
{
    if (is_upper(ch))
        return ch - 'A';
    if (is_lower(ch))
        return ch - 'a' + 26;
    if (is_digit(ch))
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

/*
 * Decode standard base64 as Kubernetes does (Go's StdEncoding: padding required, CR and LF
 * ignored). FTH_EINVALID when the text is not base64.
 */
static int b64_decode(struct fth_buf *out, const char *p, size_t n)
{
    uint32_t acc = 0;
    size_t i, count = 0, pad = 0;
    int error = 0;

    fth_buf_clear(out);
    if ((error = fth_buf_grow(out, n / 4 * 3 + 3)) < 0)
        goto out;
    for (i = 0; i < n; i++) {
        int ch = (unsigned char)p[i], v;

        if (ch == '\r' || ch == '\n')
            continue;
        if (ch == '=') {
            /* padding fills the third and fourth places of the last group only */
            if (count % 4 < 2 || ++pad > 2) {
                error = FTH_EINVALID;
                goto out;
            }
            count++;
            continue;
        }
        if (pad || (v = b64_value(ch)) < 0) {
            error = FTH_EINVALID;
            goto out;
        }
        acc = acc << 6 | (uint32_t)v;
        if (++count % 4 == 0) {
            out->ptr[out->len++] = (char)(acc >> 16);
            out->ptr[out->len++] = (char)(acc >> 8);
            out->ptr[out->len++] = (char)acc;
            acc = 0;
        }
    }
    if (count % 4 != 0) {
        error = FTH_EINVALID;
        goto out;
    }
    if (pad) {
        /* the last group held 4 - pad characters: 18 or 12 significant bits */
        acc <<= 6 * pad;
        out->ptr[out->len++] = (char)(acc >> 16);
        if (pad == 1)
            out->ptr[out->len++] = (char)(acc >> 8);
    }
    out->ptr[out->len] = '\0';
out:
    if (error < 0)
        fth_buf_clear(out);
    return error;
}

/* ---- images ---- */

struct image_ref {
    const char *tag; /* NULL when the reference has none */
    size_t tag_len;
    int digest; /* a well-formed "@algorithm:hex" digest */
};

/*
 * Split a reference like Docker does: the digest follows '@'; the tag follows the last ':'
 * after the last '/', so "localhost:5000/app" has a registry port and no tag.
 */
static void image_parse(struct image_ref *r, const char *s)
{
    const char *at = strchr(s, '@');
    size_t name_len = at ? (size_t)(at - s) : strlen(s), i;
    const char *colon = NULL;

    memset(r, 0, sizeof(*r));
    for (i = 0; i < name_len; i++) {
        if (s[i] == '/')
            colon = NULL;
        else if (s[i] == ':')
            colon = s + i;
    }
    if (colon && colon + 1 < s + name_len) {
        r->tag = colon + 1;
        r->tag_len = (size_t)(s + name_len - colon - 1);
    }
    if (at) {
        const char *d = at + 1, *sep = strchr(d, ':');
        size_t hex = 0;

        if (sep && sep > d) {
            for (hex = 0; sep[1 + hex]; hex++) {
                int ch = (unsigned char)sep[1 + hex];

                if (!is_digit(ch) && !(ch >= 'a' && ch <= 'f') && !(ch >= 'A' && ch <= 'F'))
                    break;
            }
            r->digest = hex >= 32 && sep[1 + hex] == '\0';
        }
    }
}

static int check_image(struct k8s_ctx *c, const struct k8s_container *k)
{
    const struct fth_value *v = fth_value_get(k->v, "image");
    const char *image = fth_value_str(v);
    struct image_ref r;
    int error = 0;

    if (!image || !*image)
        goto out;
    image_parse(&r, image);
    if (!r.tag && !r.digest &&
        (error = report(c, R_IMAGE_TAG_MISSING, v, k->path, "image", k->name,
                        "image '%s' has no tag: it runs whatever ':latest' is at pull time",
                        image)) < 0)
        goto out;
    if (r.tag && !r.digest && r.tag_len == 6 && !memcmp(r.tag, "latest", 6) &&
        (error = report(c, R_IMAGE_TAG_LATEST, v, k->path, "image", k->name,
                        "image '%s' uses the mutable ':latest' tag", image)) < 0)
        goto out;
    if (!r.digest && (error = report(c, R_IMAGE_DIGEST_MISSING, v, k->path, "image", k->name,
                                     "image '%s' is not pinned by digest", image)) < 0)
        goto out;
out:
    return error;
}

/* ---- containers ---- */

static const char *const list_names[] = {"container", "init container", "ephemeral container"};

static int check_probes(struct k8s_ctx *c, const struct k8s_container *k)
{
    const char *kind = c->obj->kind, *restart = k8s_str(c->pod_spec, "restartPolicy");
    int error = 0;

    /* Batch pods run to completion: nothing routes traffic to them or waits on them. */
    if (k->list != K8S_CONTAINERS || !strcmp(kind, "Job") || !strcmp(kind, "CronJob") ||
        (restart && (!strcmp(restart, "Never") || !strcmp(restart, "OnFailure"))))
        goto out;
    if (!k8s_map(k->v, "livenessProbe") &&
        (error = report(c, R_LIVENESS_MISSING, k->v, k->path, "livenessProbe", k->name,
                        "container '%s' has no liveness probe", k->name ? k->name : "")) < 0)
        goto out;
    if (!k8s_map(k->v, "readinessProbe") &&
        (error = report(c, R_READINESS_MISSING, k->v, k->path, "readinessProbe", k->name,
                        "container '%s' has no readiness probe", k->name ? k->name : "")) < 0)
        goto out;
out:
    return error;
}

static int quantity_set(const struct fth_value *v)
{
    if (!v)
        return 0;
    if (v->type == FTH_VALUE_STRING)
        return v->u.str.len > 0;
    return v->type == FTH_VALUE_INT || v->type == FTH_VALUE_FLOAT;
}

/* <group>.<name> of a container's or the pod's (pod-level) resources mapping. */
static const struct fth_value *quantity(const struct fth_value *resources, const char *group,
                                        const char *name)
{
    const struct fth_value *v = fth_value_get(k8s_map(resources, group), name);

    return quantity_set(v) ? v : NULL;
}

static int check_resources(struct k8s_ctx *c, const struct k8s_container *k)
{
    static const struct {
        enum rule_id id;
        const char *group, *name, *what, *suffix;
    } checks[] = {
        {R_CPU_REQUESTS, "requests", "cpu", "CPU request", "resources.requests.cpu"},
        {R_MEMORY_REQUESTS, "requests", "memory", "memory request", "resources.requests.memory"},
        {R_CPU_LIMITS, "limits", "cpu", "CPU limit", "resources.limits.cpu"},
        {R_MEMORY_LIMITS, "limits", "memory", "memory limit", "resources.limits.memory"},
    };
    const struct fth_value *res = k8s_map(k->v, "resources");
    const struct fth_value *pod_res = k8s_map(c->pod_spec, "resources");
    size_t i;
    int error = 0;

    /* Ephemeral containers may not have resources. */
    if (k->list == K8S_EPHEMERAL_CONTAINERS)
        goto out;
    for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        const struct fth_value *group = k8s_map(res, checks[i].group), *at;

        if (quantity(res, checks[i].group, checks[i].name) ||
            quantity(pod_res, checks[i].group, checks[i].name))
            continue;
        /* A request left out defaults to the limit. */
        if (!strcmp(checks[i].group, "requests") && (quantity(res, "limits", checks[i].name) ||
                                                     quantity(pod_res, "limits", checks[i].name)))
            continue;
        at = group ? group : res ? res : k->v;
        if ((error = report(c, checks[i].id, at, k->path, checks[i].suffix, k->name,
                            "%s '%s' has no %s", list_names[k->list], k->name ? k->name : "",
                            checks[i].what)) < 0)
            goto out;
    }
out:
    return error;
}

static int check_host_ports(struct k8s_ctx *c, const struct k8s_container *k)
{
    const struct fth_value *ports = k8s_seq(k->v, "ports");
    size_t i;
    int error = 0;

    for (i = 0; i < fth_value_len(ports); i++) {
        const struct fth_value *port = fth_value_at(ports, i);
        int64_t host = 0;
        char suffix[64];

        if (!k8s_int(port, "hostPort", &host) || host <= 0)
            continue;
        snprintf(suffix, sizeof(suffix), "ports[%zu].hostPort", i);
        if ((error = report(c, R_HOST_PORT, fth_value_get(port, "hostPort"), k->path, suffix,
                            k->name, "%s '%s' binds port %lld on the node", list_names[k->list],
                            k->name ? k->name : "", (long long)host)) < 0)
            goto out;
    }
out:
    return error;
}

static int check_env(struct k8s_ctx *c, const struct k8s_container *k)
{
    const struct fth_value *env = k8s_seq(k->v, "env");
    size_t i;
    int error = 0;

    for (i = 0; i < fth_value_len(env); i++) {
        const struct fth_value *item = fth_value_at(env, i);
        const struct fth_value *value = fth_value_get(item, "value");
        const char *name = k8s_str(item, "name");
        struct cred cr;
        char suffix[64], masked[MASK_SIZE];
        int password = 0;

        if (!name || !value || value->type != FTH_VALUE_STRING)
            continue;
        snprintf(suffix, sizeof(suffix), "env[%zu].value", i);
        if (find_cred(&cr, value->u.str.ptr, value->u.str.len)) {
            mask(masked, cr.secret, cr.secret_len);
            error = report(c, R_SECRET_ENV, value, k->path, suffix, k->name,
                           "environment variable '%s' of %s '%s' holds %s%s", name,
                           list_names[k->list], k->name ? k->name : "", cr.what, masked);
        } else if (name_secretish(name, strlen(name), &password) &&
                   literal_secret(value->u.str.ptr, value->u.str.len, password)) {
            mask(masked, value->u.str.ptr, value->u.str.len);
            error = report(c, R_SECRET_ENV, value, k->path, suffix, k->name,
                           "environment variable '%s' of %s '%s' holds a literal secret%s", name,
                           list_names[k->list], k->name ? k->name : "", masked);
        }
        if (error < 0)
            goto out;
    }
out:
    return error;
}

/* ---- pod level ---- */

static int check_pod(struct k8s_ctx *c)
{
    const struct fth_value *volumes = k8s_seq(c->pod_spec, "volumes");
    const struct fth_value *automount = fth_value_get(c->pod_spec, "automountServiceAccountToken");
    size_t i;
    int error = 0;

    for (i = 0; i < fth_value_len(volumes); i++) {
        const struct fth_value *vol = fth_value_at(volumes, i);
        const struct fth_value *hp = k8s_map(vol, "hostPath");
        const char *name = k8s_str(vol, "name"), *path = k8s_str(hp, "path");
        char suffix[64];

        if (!hp)
            continue;
        snprintf(suffix, sizeof(suffix), "volumes[%zu].hostPath", i);
        if ((error = report(c, R_HOST_PATH, hp, c->pod_spec_path, suffix, NULL,
                            "volume '%s' mounts the node's '%s'", name ? name : "",
                            path ? path : "")) < 0)
            goto out;
    }
    if (!fth_value_is_false(automount) &&
        (error = report(c, R_SA_TOKEN, automount ? automount : c->pod_spec, c->pod_spec_path,
                        "automountServiceAccountToken", NULL,
                        automount && fth_value_is_true(automount)
                            ? "the pod asks for a service account token to be mounted"
                            : "automountServiceAccountToken is not false: the service "
                              "account token is mounted into every container")) < 0)
        goto out;
out:
    return error;
}

static int check_workload(struct k8s_ctx *c)
{
    size_t i;
    int error = 0;

    if ((error = check_pod(c)) < 0)
        goto out;
    for (i = 0; i < c->ncontainers; i++) {
        const struct k8s_container *k = &c->containers[i];

        if ((error = check_image(c, k)) < 0 || (error = check_probes(c, k)) < 0 ||
            (error = check_resources(c, k)) < 0 || (error = check_host_ports(c, k)) < 0 ||
            (error = check_env(c, k)) < 0)
            goto out;
    }
out:
    return error;
}

/* ---- RBAC ---- */

/* The first "*" item of a sequence of strings, or NULL. */
static const struct fth_value *star(const struct fth_value *seq)
{
    size_t i;

    for (i = 0; i < fth_value_len(seq); i++)
        if (fth_value_streq(fth_value_at(seq, i), "*"))
            return fth_value_at(seq, i);
    return NULL;
}

static int check_role(struct k8s_ctx *c)
{
    const struct fth_value *rules = k8s_seq(c->root, "rules");
    size_t i;
    int error = 0;

    for (i = 0; i < fth_value_len(rules); i++) {
        const struct fth_value *rule = fth_value_at(rules, i), *s;
        char suffix[64];

        if ((s = star(k8s_seq(rule, "verbs"))) != NULL) {
            snprintf(suffix, sizeof(suffix), "rules[%zu].verbs", i);
            if ((error = report(c, R_RBAC_VERBS, s, NULL, suffix, NULL,
                                "rules[%zu] grants every verb ('*')", i)) < 0)
                goto out;
        }
        if ((s = star(k8s_seq(rule, "resources"))) != NULL) {
            snprintf(suffix, sizeof(suffix), "rules[%zu].resources", i);
            if ((error = report(c, R_RBAC_RESOURCES, s, NULL, suffix, NULL,
                                "rules[%zu] grants access to every resource ('*')", i)) < 0)
                goto out;
        } else if ((s = star(k8s_seq(rule, "apiGroups"))) != NULL) {
            snprintf(suffix, sizeof(suffix), "rules[%zu].apiGroups", i);
            if ((error = report(c, R_RBAC_RESOURCES, s, NULL, suffix, NULL,
                                "rules[%zu] grants access to every API group ('*')", i)) < 0)
                goto out;
        }
    }
out:
    return error;
}

static int check_binding(struct k8s_ctx *c)
{
    const struct fth_value *ref = k8s_map(c->root, "roleRef");
    const struct fth_value *subjects = k8s_seq(c->root, "subjects");
    const char *ref_kind = k8s_str(ref, "kind");
    size_t i;
    int error = 0;

    if (fth_value_streq(fth_value_get(ref, "name"), "cluster-admin") &&
        (!ref_kind || !strcmp(ref_kind, "ClusterRole")) &&
        (error = report(c, R_RBAC_CLUSTER_ADMIN, fth_value_get(ref, "name"), NULL, "roleRef.name",
                        NULL, "binds the cluster-admin ClusterRole to %zu subject(s)",
                        fth_value_len(subjects))) < 0)
        goto out;
    for (i = 0; i < fth_value_len(subjects); i++) {
        const struct fth_value *s = fth_value_at(subjects, i);
        const char *kind = k8s_str(s, "kind"), *name = k8s_str(s, "name");
        char suffix[64];

        if (!kind || !name)
            continue;
        if (!(!strcmp(kind, "User") && !strcmp(name, "system:anonymous")) &&
            !(!strcmp(kind, "Group") && !strcmp(name, "system:unauthenticated")))
            continue;
        snprintf(suffix, sizeof(suffix), "subjects[%zu]", i);
        if ((error =
                 report(c, R_RBAC_ANONYMOUS, s, NULL, suffix, NULL, "grants role '%s' to %s '%s'",
                        k8s_str(ref, "name") ? k8s_str(ref, "name") : "", kind, name)) < 0)
            goto out;
    }
out:
    return error;
}

/* ---- Services, Namespaces ---- */

static int check_service(struct k8s_ctx *c)
{
    const struct fth_value *type = fth_value_get(k8s_map(c->root, "spec"), "type");
    int error = 0;

    if (fth_value_streq(type, "NodePort"))
        error = report(c, R_SERVICE_NODE_PORT, type, NULL, "spec.type", NULL,
                       "type NodePort opens the service's ports on every node");
    else if (fth_value_streq(type, "LoadBalancer"))
        error = report(c, R_SERVICE_LOAD_BALANCER, type, NULL, "spec.type", NULL,
                       k8s_seq(k8s_map(c->root, "spec"), "loadBalancerSourceRanges")
                           ? "type LoadBalancer exposes the service outside the cluster "
                             "(restricted by loadBalancerSourceRanges)"
                           : "type LoadBalancer exposes the service outside the cluster, to "
                             "any source address");
    return error;
}

#define PSS_ENFORCE "pod-security.kubernetes.io/enforce"

static int check_namespace(struct k8s_ctx *c)
{
    const struct fth_value *meta = k8s_map(c->root, "metadata");
    const struct fth_value *labels = k8s_map(meta, "labels");
    const struct fth_value *enforce = fth_value_get(labels, PSS_ENFORCE);
    int error = 0;

    if (!fth_value_str(enforce))
        error = report(c, R_NS_PSS_MISSING, labels ? labels : meta, NULL,
                       "metadata.labels." PSS_ENFORCE, NULL,
                       "no '" PSS_ENFORCE "' label: Pod Security Admission admits any pod");
    else if (fth_value_streq(enforce, "privileged"))
        error = report(c, R_NS_PSS_WEAK, enforce, NULL, "metadata.labels." PSS_ENFORCE, NULL,
                       "'" PSS_ENFORCE "' is 'privileged': any pod is admitted");
    return error;
}

/* ---- Secrets and ConfigMaps ---- */

/* A data key in a field path: "data.password", but "data[tls.key]" when it has dots. */
static const char *data_field(struct k8s_ctx *c, const char *group, const struct fth_value *key)
{
    const char *p = key->u.str.ptr;
    size_t i, n = key->u.str.len;
    int plain = n > 0;

    for (i = 0; i < n; i++)
        if (!is_alnum((unsigned char)p[i]) && p[i] != '_' && p[i] != '-')
            plain = 0;
    return fth_arena_printf(c->a, plain ? "%s.%s" : "%s[%s]", group, p);
}

/* Check one value of a Secret or ConfigMap; `p` is the content (decoded from base64). */
static int check_data_value(struct k8s_ctx *c, enum rule_id id, const char *group,
                            const struct fth_member *m, const char *p, size_t n)
{
    const char *key = m->key->u.str.ptr, *akey = NULL;
    size_t akey_len = 0;
    const char *what = id == R_SECRET_IN_SECRET ? "Secret" : "ConfigMap";
    const char *field;
    struct cred cr;
    char masked[MASK_SIZE];
    int error = 0, password = 0;

    memset(&cr, 0, sizeof(cr));
    if (find_cred(&cr, p, n)) {
        /* found it */
    } else if (key_secretish(key, m->key->u.str.len, &password) && literal_secret(p, n, password)) {
        cr.what = "a literal secret";
        cr.secret = p;
        cr.secret_len = n;
    } else if (!memchr(p, '\n', n) || !find_assignment(&cr, &akey, &akey_len, p, n)) {
        goto out;
    }
    if (!(field = data_field(c, group, m->key))) {
        error = FTH_ENOMEM;
        goto out;
    }
    mask(masked, cr.secret, cr.secret_len);
    if (akey)
        error = report(c, id, m->value, NULL, field, NULL,
                       "%s key '%s' holds a literal secret in '%.*s'%s", what, key, (int)akey_len,
                       akey, masked);
    else
        error = report(c, id, m->value, NULL, field, NULL, "%s key '%s' holds %s%s", what, key,
                       cr.what, masked);
out:
    return error;
}

static int check_data(struct k8s_ctx *c, enum rule_id id, const char *group, int base64)
{
    const struct fth_value *data = k8s_map(c->root, group);
    struct fth_buf decoded = FTH_BUF_INIT;
    size_t i;
    int error = 0;

    for (i = 0; i < fth_value_len(data); i++) {
        const struct fth_member *m = &data->u.map.items[i];
        const char *p, *field;
        size_t n;
        int rc;

        if (!m->key || m->key->type != FTH_VALUE_STRING || !m->value ||
            m->value->type != FTH_VALUE_STRING)
            continue;
        p = m->value->u.str.ptr;
        n = m->value->u.str.len;
        if (base64) {
            if ((rc = b64_decode(&decoded, p, n)) == FTH_ENOMEM) {
                error = rc;
                goto out;
            }
            if (rc < 0) {
                /* The API server refuses it; report it like a type error and go on. */
                if (!(field = data_field(c, group, m->key)))
                    error = FTH_ENOMEM;
                else
                    error = k8s_type_error(c, m->value, field, "base64-encoded data");
                if (error < 0)
                    goto out;
                continue;
            }
            p = decoded.ptr;
            n = decoded.len;
        }
        if (n && (error = check_data_value(c, id, group, m, p, n)) < 0)
            goto out;
    }
out:
    fth_buf_release(&decoded);
    return error;
}

static int check_secret(struct k8s_ctx *c)
{
    int error;

    if ((error = check_data(c, R_SECRET_IN_SECRET, "data", 1)) < 0)
        return error;
    return check_data(c, R_SECRET_IN_SECRET, "stringData", 0);
}

static int check_configmap(struct k8s_ctx *c)
{
    int error;

    if ((error = check_data(c, R_SECRET_IN_CONFIGMAP, "data", 0)) < 0)
        return error;
    return check_data(c, R_SECRET_IN_CONFIGMAP, "binaryData", 1);
}

int k8s_fathom_eval(struct k8s_ctx *c)
{
    const char *kind = c->obj->kind;
    int error = 0;

    if (!kind)
        goto out;
    if (c->pod_spec)
        error = check_workload(c);
    else if (!strcmp(kind, "Role") || !strcmp(kind, "ClusterRole"))
        error = check_role(c);
    else if (!strcmp(kind, "RoleBinding") || !strcmp(kind, "ClusterRoleBinding"))
        error = check_binding(c);
    else if (!strcmp(kind, "Service"))
        error = check_service(c);
    else if (!strcmp(kind, "Namespace"))
        error = check_namespace(c);
    else if (!strcmp(kind, "Secret"))
        error = check_secret(c);
    else if (!strcmp(kind, "ConfigMap"))
        error = check_configmap(c);
out:
    return error;
}
