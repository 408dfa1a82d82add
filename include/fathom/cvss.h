/*
 * cvss: parse a CVSS vector string and compute its score exactly as the FIRST specifications
 * define it (v2.0, v3.0, v3.1 and v4.0). No allocation; the result refers only to static text.
 */
#ifndef FATHOM_CVSS_H
#define FATHOM_CVSS_H

#include "fathom/base.h"

#ifdef __cplusplus
extern "C" {
#endif

enum fth_cvss_version {
    FTH_CVSS_V2 = 2,
    FTH_CVSS_V3_0 = 30,
    FTH_CVSS_V3_1 = 31,
    FTH_CVSS_V4_0 = 40,
};

struct fth_cvss {
    enum fth_cvss_version version;
    /*
     * v2, v3.0, v3.1: the base score; temporal and environmental metrics are checked but do
     * not change it. v4.0: the score of the whole vector as the specification defines it,
     * so CVSS-B for a base-only vector and CVSS-BT, CVSS-BE or CVSS-BTE when threat or
     * environmental metrics are present (supplemental metrics never change it).
     */
    double base_score;
    /* Static text: "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL" (v2: LOW, MEDIUM, HIGH as NVD). */
    const char *severity;
};

/*
 * Parse `vector` and score it. Accepted forms:
 *   "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N[/E:A/CR:H/...]"
 *   "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H[/E:F/...]", "CVSS:3.0/..."
 *   "AV:N/AC:L/Au:N/C:P/I:P/A:P[/E:F/...]", also inside "(...)" or after "CVSS:2.0/".
 * Metrics may come in any order; each at most once. FTH_EINVALID, with a message naming the
 * metric, for an unknown or repeated metric, a missing base metric, a value the metric does
 * not have or an unknown prefix. On failure *out is left unchanged.
 */
int fth_cvss_parse(struct fth_cvss *out, const char *vector, struct fth_error *err);

/* Severity rating of a v3.x or v4.0 score (also the v2 NVD rating when version is FTH_CVSS_V2). */
const char *fth_cvss_severity(enum fth_cvss_version version, double score);

#ifdef __cplusplus
}
#endif
#endif
