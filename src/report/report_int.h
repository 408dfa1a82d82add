/* report module-private: one renderer per format, dispatched by report.c. */
#ifndef FATHOM_REPORT_INT_H
#define FATHOM_REPORT_INT_H

#include "fathom/report.h"

int report_table(struct fth_buf *out, const struct fth_k8s_result *res,
                 const struct fth_report_opts *opts);
int report_json(struct fth_buf *out, const struct fth_k8s_result *res,
                const struct fth_report_opts *opts);
/* kubesec.c: kubesec's own JSON (an array of {object, valid, fileName, message, score,
 * scoring: {critical, passed, advise}}) for every object of the result. */
int report_kubesec(struct fth_buf *out, const struct fth_k8s_result *res,
                   const struct fth_report_opts *opts);
int report_sarif(struct fth_buf *out, const struct fth_k8s_result *res,
                 const struct fth_report_opts *opts);

#endif
