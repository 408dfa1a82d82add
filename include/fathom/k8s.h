/*
 * k8s: Kubernetes manifests. Loads YAML/JSON streams, finds every object (including the items
 * of `kind: List`), and checks each against kubesec's rules, the Pod Security Standards and
 * Fathom's own rules; cross-document checks (NetworkPolicy coverage) run at the end.
 */
#ifndef FATHOM_K8S_H
#define FATHOM_K8S_H

#include <limits.h>

#include "fathom/base.h"
#include "fathom/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

enum fth_pss_level {
    FTH_PSS_NONE = 0, /* no Pod Security Standards evaluation */
    FTH_PSS_PRIVILEGED,
    FTH_PSS_BASELINE,
    FTH_PSS_RESTRICTED,
};

/* The pss_minor value of policy version v1.0 (0 stands for "latest"). */
#define FTH_PSS_MINOR_V1_0 UINT_MAX

/* Parse "baseline", "restricted@v1.25", "restricted@latest". minor 0 means latest,
 * FTH_PSS_MINOR_V1_0 means v1.0. */
int fth_pss_parse(enum fth_pss_level *level, unsigned *minor, const char *text,
                  struct fth_error *err);
/* Highest policy version this build knows (the "latest"), as the minor number of v1.N. */
unsigned fth_pss_latest_minor(void);
const char *fth_pss_level_name(enum fth_pss_level level);
/* "latest", "v1.0" ... "v1.N" for a pss_minor value; "unknown" beyond the latest. */
const char *fth_pss_version_name(unsigned minor);

struct fth_k8s_opts {
    enum fth_pss_level pss_level;
    unsigned pss_minor; /* 0: latest */
    int no_annotations; /* refuse fathom.dev/ignore suppressions */
    unsigned threads;   /* 0: one per core */
};

#define FTH_K8S_OPTS_INIT                                                                          \
    {                                                                                              \
        FTH_PSS_NONE, 0, 0, 0                                                                      \
    }

enum fth_kubesec_bucket {
    FTH_KUBESEC_NONE = 0, /* matched nothing and has no advice */
    FTH_KUBESEC_PASSED,   /* positive rule matched */
    FTH_KUBESEC_ADVISE,   /* positive rule not matched */
    FTH_KUBESEC_CRITICAL, /* negative rule matched */
};

struct fth_kubesec_match {
    const struct fth_rule *rule;
    unsigned count; /* what kubesec's predicate returned: matched containers, or 0/1 */
    enum fth_kubesec_bucket bucket;
};

struct fth_pss_violation {
    const char *check;  /* Pod Security Admission's check id: "hostNamespaces" */
    const char *reason; /* PSA's forbidden reason: "host namespaces" */
    const char *detail; /* PSA's detail: "hostNetwork=true" */
};

/* One object found in the input. Lives as long as the scan. */
struct fth_k8s_object {
    const char *file;
    unsigned doc;  /* 0-based document index */
    unsigned item; /* index inside a `kind: List`, 0 otherwise */
    unsigned line; /* line of the object's first field */
    const char *api_version;
    const char *kind;      /* NULL when the document has none */
    const char *name;      /* NULL when absent */
    const char *namespace; /* NULL when absent */
    const char *display;   /* "Kind/name.namespace", as kubesec writes it */
    int analysed;          /* 0: listed only (CRD, unknown kind) */
    const char *note;      /* why it was not analysed, or NULL */
    int invalid;           /* the object has type errors (see the scan's errors) */
    const char *ignore;    /* value of the fathom.dev/ignore annotation, or NULL */

    /* kubesec */
    int kubesec_supported;
    int kubesec_score;
    struct fth_kubesec_match *kubesec;
    size_t kubesec_len;

    /* Pod Security Standards (only with a level) */
    int pss_checked; /* the object has a pod spec and a level was asked for */
    int pss_allowed;
    struct fth_pss_violation *pss;
    size_t pss_len;
    const char *pss_message; /* PSA's own message when not allowed, else NULL */
};

struct fth_k8s_result {
    struct fth_k8s_object **objects;
    size_t objects_len;
    struct fth_finding **findings;
    size_t findings_len;
    struct fth_error **errors; /* input that could not be read or understood */
    size_t errors_len;
    struct fth_error **warnings; /* worth saying, not failures (e.g. a file with no objects) */
    size_t warnings_len;
    size_t files;     /* inputs read */
    size_t documents; /* documents seen */
    size_t bytes;     /* bytes read */
};

struct fth_k8s_scan;

int fth_k8s_scan_new(struct fth_k8s_scan **out, const struct fth_k8s_opts *opts);
void fth_k8s_scan_free(struct fth_k8s_scan *scan);

/* Analyse one buffer holding a YAML/JSON stream named `name`. */
int fth_k8s_scan_buffer(struct fth_k8s_scan *scan, const char *name, const char *data, size_t len);
/*
 * Analyse files, directories (recursively: *.yaml, *.yml, *.json) and "-" (stdin). Directories
 * are analysed in parallel. Unreadable inputs become errors in the result; returns <0 only
 * when out of memory.
 */
int fth_k8s_scan_paths(struct fth_k8s_scan *scan, const char *const *paths, size_t n);
/* Cross-document checks and stable ordering; call once, after the last input. */
int fth_k8s_scan_finish(struct fth_k8s_scan *scan);
const struct fth_k8s_result *fth_k8s_scan_result(const struct fth_k8s_scan *scan);

/* Every manifest rule (kubesec, PSS, Fathom), in a stable order. */
const struct fth_rule *const *fth_k8s_rules(size_t *count);
const struct fth_rule *fth_k8s_rule_find(const char *id);

#ifdef __cplusplus
}
#endif
#endif
