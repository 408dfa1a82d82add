/* Severity and finding-class names shared by every scanner and report. */
#include <strings.h>

#include "fathom/finding.h"

static const char *const severity_names[] = {"UNKNOWN", "INFO", "LOW", "MEDIUM", "HIGH",
                                             "CRITICAL"};

const char *fth_severity_name(enum fth_severity sev)
{
    if ((unsigned)sev >= sizeof(severity_names) / sizeof(severity_names[0]))
        return "UNKNOWN";
    return severity_names[sev];
}

int fth_severity_parse(enum fth_severity *out, const char *name)
{
    size_t i;

    if (!name)
        return FTH_EINVALID;
    for (i = 0; i < sizeof(severity_names) / sizeof(severity_names[0]); i++) {
        if (strcasecmp(name, severity_names[i]) == 0) {
            *out = (enum fth_severity)i;
            return 0;
        }
    }
    return FTH_EINVALID;
}

const char *fth_finding_class_name(enum fth_finding_class cls)
{
    switch (cls) {
    case FTH_CLASS_MISCONFIG:
        return "misconfiguration";
    case FTH_CLASS_VULNERABILITY:
        return "vulnerability";
    case FTH_CLASS_SECRET:
        return "secret";
    case FTH_CLASS_LICENSE:
        return "license";
    case FTH_CLASS_HYGIENE:
        return "hygiene";
    case FTH_CLASS_PROVENANCE:
        return "provenance";
    }
    return "unknown";
}
