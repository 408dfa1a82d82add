/* PLACEHOLDER so the tree links; the reports helper replaces this file whole. */
#include <string.h>
#include "report_int.h"
int fth_report_format_parse(enum fth_report_format *out, const char *name)
{
    static const char *const names[] = {"table", "json", "kubesec", "sarif"};
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(name, names[i])) {
            *out = (enum fth_report_format)i;
            return 0;
        }
    return FTH_EINVALID;
}
const char *fth_report_format_name(enum fth_report_format fmt)
{
    static const char *const names[] = {"table", "json", "kubesec", "sarif"};
    return names[fmt];
}
int fth_report_k8s(struct fth_buf *out, enum fth_report_format fmt,
                   const struct fth_k8s_result *res, const struct fth_report_opts *opts)
{
    switch (fmt) {
    case FTH_REPORT_KUBESEC:
        return report_kubesec(out, res, opts);
    default:
        return fth_buf_printf(out, "%zu objects, %zu findings\n", res->objects_len,
                              res->findings_len);
    }
}
int fth_report_rules(struct fth_buf *out, enum fth_report_format fmt,
                     const struct fth_rule *const *rules, size_t n)
{
    (void)fmt;
    for (size_t i = 0; i < n; i++)
        fth_buf_printf(out, "%s\n", rules[i]->id);
    return 0;
}
