/* PLACEHOLDER so the tree links; the PSS helper replaces this file whole. */
#include <string.h>
#include "k8s_int.h"
const struct fth_rule k8s_pss_rules[1];
const size_t k8s_pss_rules_len = 0;
int k8s_pss_eval(struct k8s_ctx *c)
{
    (void)c;
    return 0;
}
int fth_pss_parse(enum fth_pss_level *level, unsigned *minor, const char *text,
                  struct fth_error *err)
{
    *minor = 0;
    if (!strcmp(text, "baseline"))
        *level = FTH_PSS_BASELINE;
    else if (!strcmp(text, "restricted"))
        *level = FTH_PSS_RESTRICTED;
    else
        return fth_error_set(err, FTH_EUSAGE, "unknown level '%s'", text);
    return 0;
}
unsigned fth_pss_latest_minor(void)
{
    return 30;
}
const char *fth_pss_level_name(enum fth_pss_level level)
{
    return level == FTH_PSS_RESTRICTED ? "restricted" : "baseline";
}
