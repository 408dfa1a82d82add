/*
 * The core finding model shared by every scanner and report: rules, severities, locations,
 * findings and their suppression.
 */
#ifndef FATHOM_FINDING_H
#define FATHOM_FINDING_H

#include "fathom/base.h"

#ifdef __cplusplus
extern "C" {
#endif

enum fth_severity {
    FTH_SEV_UNKNOWN = 0,
    FTH_SEV_INFO,
    FTH_SEV_LOW,
    FTH_SEV_MEDIUM,
    FTH_SEV_HIGH,
    FTH_SEV_CRITICAL,
};

/* "UNKNOWN", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL" */
const char *fth_severity_name(enum fth_severity sev);
/* Case-insensitive; FTH_EINVALID for anything else. */
int fth_severity_parse(enum fth_severity *out, const char *name);

enum fth_finding_class {
    FTH_CLASS_MISCONFIG = 0,
    FTH_CLASS_VULNERABILITY,
    FTH_CLASS_SECRET,
    FTH_CLASS_LICENSE,
    FTH_CLASS_HYGIENE,
    FTH_CLASS_PROVENANCE,
};

const char *fth_finding_class_name(enum fth_finding_class cls);

/* A rule: static data, never freed. */
struct fth_rule {
    const char *id;     /* "Privileged", "PSS-hostNamespaces", "ImageTagLatest" */
    const char *source; /* "kubesec", "pss", "fathom" */
    enum fth_finding_class cls;
    enum fth_severity severity;
    const char *title;       /* one line */
    const char *rationale;   /* why it matters */
    const char *remediation; /* what to do */
    const char *reference;   /* a URL */
    const char *kinds;       /* kinds it applies to, comma separated ("" for all) */
    int points;              /* kubesec points; 0 for other sources */
    int advise;              /* kubesec advise weight (ordering of advice); 0 otherwise */
    const char *selector;    /* kubesec selector text; NULL otherwise */
};

struct fth_location {
    const char *file;  /* as given on the command line, "<stdin>" for standard input */
    unsigned doc;      /* 0-based document index in the file */
    unsigned line;     /* 1-based, 0 when unknown */
    unsigned column;   /* 1-based, 0 when unknown */
    const char *field; /* "spec.template.spec.containers[0].image", NULL when not a field */
};

struct fth_finding {
    const struct fth_rule *rule;
    enum fth_severity severity; /* usually rule->severity */
    const char *message;        /* what is wrong in this object, one line */
    const char *object;         /* "Deployment/web.prod" */
    const char *container;      /* container name, NULL when not about one container */
    struct fth_location loc;
    const char *suppressed; /* NULL, or how it was suppressed ("annotation fathom.dev/ignore") */
};

#ifdef __cplusplus
}
#endif
#endif
