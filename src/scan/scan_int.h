/* scan module-private: the pieces scan.c, hygiene.c, the filters and the renderers share. */
#ifndef FATHOM_SCAN_INT_H
#define FATHOM_SCAN_INT_H

#include <jansson.h>

#include "fathom/license.h"
#include "fathom/scan.h"

/* hygiene.c: rule ids */
enum hyg_rule {
    HYG_ROOT_USER = 0,
    HYG_PKG_MANAGER,
    HYG_SHELL,
    HYG_NET_TOOL,
    HYG_SETUID,
    HYG_WORLD_WRITABLE,
    HYG_ENV_SECRET,
    HYG_TAG_LATEST,
    HYG_NO_DIGEST,
    HYG_OS_EOL,
    HYG_BAD_BINARY,
    HYG_COUNT
};

const struct fth_rule *hyg_rule(enum hyg_rule r);

/*
 * What a path in a layer means for hygiene: HYG_SHELL, HYG_PKG_MANAGER or HYG_NET_TOOL for a
 * tool in a bin directory (the tool's name in *tool), HYG_SETUID, HYG_WORLD_WRITABLE, or
 * HYG_COUNT when nothing.
 */
enum hyg_rule hyg_classify_tool(const char *path, const char **tool);

/* The config-level findings (user, env, reference, end of life), appended through add. */
typedef int (*hyg_add_fn)(void *data, enum hyg_rule r, const char *message, const char *path,
                          int layer);
int hyg_config(const struct fth_image *img, const struct fth_os *os, struct fth_arena *a,
               hyg_add_fn add, void *data);

/* Is an environment variable name one that holds a credential? */
int hyg_env_is_secret(const char *name, size_t len);

/* scan.c: the findings of one scan, in its result's arena */
struct scan_sink {
    struct fth_arena *a;
    struct fth_vec v; /* struct fth_scan_finding * */
    size_t dropped;   /* past FTH_LIMIT_SCAN_FINDINGS */
};

/*
 * A new finding of class cls with every string "" and no layer, kept in s. NULL when the
 * limit is reached (s->dropped counts it; not an error) or out of memory (s->v.len below the
 * limit).
 */
struct fth_scan_finding *scan_new_finding(struct scan_sink *s, enum fth_finding_class cls);

/* license.c: a finding per package and declared licence (docs/scan-image.md, Licences). */
int scan_license_findings(struct scan_sink *s, const struct fth_inventory *inv,
                          const struct fth_license_deny *deny);

/* report.c */
json_t *scan_jstr(const char *s);
int scan_json_dump(struct fth_buf *out, json_t *doc);
const char *scan_short_digest(const char *digest, char buf[20]);

int scan_report_table(struct fth_buf *out, const struct fth_image *img,
                      const struct fth_scan_result *res, const struct fth_scan_report_opts *opts);
int scan_report_json(struct fth_buf *out, const struct fth_image *img,
                     const struct fth_scan_result *res, const struct fth_scan_report_opts *opts);
int scan_report_sarif(struct fth_buf *out, const struct fth_image *img,
                      const struct fth_scan_result *res, const struct fth_scan_report_opts *opts);
int scan_report_cyclonedx(struct fth_buf *out, const struct fth_image *img,
                          const struct fth_scan_result *res,
                          const struct fth_scan_report_opts *opts, struct fth_error *err);

/* today as "YYYY-MM-DD" (UTC) */
void scan_today(char out[11]);
/* 1 when s is a valid "YYYY-MM-DD" */
int scan_date_valid(const char *s);

#endif
