/* report: renderers that turn scan results into bytes. */
#ifndef FATHOM_REPORT_H
#define FATHOM_REPORT_H

#include "fathom/base.h"
#include "fathom/k8s.h"
#include "fathom/catalog.h"
#include "fathom/image.h"

#ifdef __cplusplus
extern "C" {
#endif

enum fth_report_format {
    FTH_REPORT_TABLE = 0,
    FTH_REPORT_JSON,
    FTH_REPORT_KUBESEC,
    FTH_REPORT_SARIF,
};

int fth_report_format_parse(enum fth_report_format *out, const char *name);
const char *fth_report_format_name(enum fth_report_format fmt);

struct fth_report_opts {
    int color; /* ANSI colour in the table */
    const char *tool_version;
    enum fth_severity fail_on; /* the gate, shown in the table summary and in JSON */
    enum fth_pss_level pss_level;
    unsigned pss_minor; /* 0: latest */
    int width;          /* terminal width for the table; 0 for 100 */
};

#define FTH_REPORT_OPTS_INIT                                                                       \
    {                                                                                              \
        0, FATHOM_VERSION_STRING, FTH_SEV_HIGH, FTH_PSS_NONE, 0, 0                                 \
    }

#ifndef FATHOM_VERSION_STRING
#define FATHOM_VERSION_STRING "0.1.0"
#endif

/* Render a manifest scan. */
int fth_report_k8s(struct fth_buf *out, enum fth_report_format fmt,
                   const struct fth_k8s_result *res, const struct fth_report_opts *opts);

/* Render the rule catalogue (`fathom rules list`): table or json. */
int fth_report_rules(struct fth_buf *out, enum fth_report_format fmt,
                     const struct fth_rule *const *rules, size_t n);

/*
 * Render an image's inventory (`fathom scan image`): table or json. The OS, the layers with
 * digest, size and created_by, and, when list_packages is set, every package with its layer
 * and the file that declared it. Other formats: FTH_EUSAGE.
 */
int fth_report_inventory(struct fth_buf *out, enum fth_report_format fmt,
                         const struct fth_image *img, const struct fth_inventory *inv,
                         int list_packages, const struct fth_report_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
