/* report module-private: one renderer per format, dispatched by report.c. */
#ifndef FATHOM_REPORT_INT_H
#define FATHOM_REPORT_INT_H

#include "fathom/catalog.h"
#include "fathom/image.h"
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

/*
 * table.c: append s made printable (control characters and invalid UTF-8 never reach a
 * terminal), at most max columns (0: no limit; a cut cell ends in an ellipsis); the columns
 * written go to *cols (may be NULL).
 */
int report_put_text(struct fth_buf *out, const char *s, size_t max, size_t *cols);

/* inventory.c */
int report_inventory_table(struct fth_buf *out, const struct fth_image *img,
                           const struct fth_inventory *inv, int list_packages,
                           const struct fth_report_opts *opts);
int report_inventory_json(struct fth_buf *out, const struct fth_image *img,
                          const struct fth_inventory *inv, int list_packages,
                          const struct fth_report_opts *opts);

#endif
