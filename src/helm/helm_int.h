/* helm: declarations shared by the files of the module. */
#ifndef FATHOM_HELM_INT_H
#define FATHOM_HELM_INT_H

#include "fathom/helm.h"

/* One rule of a .helmignore file. */
struct helmignore_rule {
    const char *pattern; /* without '!', the trailing '/' and a leading '/' */
    int negate;
    int must_dir;
    int rooted; /* matched against the whole path (began with '/' or holds one) */
    unsigned line;
};

struct fth_helmignore {
    struct helmignore_rule *rules;
    size_t len;
};

/* ---- rendering (values.c, render.c) ---- */

struct fth_tmpl_set;

/* A dependency of a chart as the renderer sees it (Chart.yaml or requirements.yaml). */
struct helm_rdep {
    const struct fth_chart_dependency *dep;
    const char *name; /* the alias when there is one */
    int enabled;
};

/* A chart in the tree being rendered: the loaded chart, renamed by an alias, with its
 * defaults (replaced by import-values) and the dependencies left after conditions/tags. */
struct helm_rchart {
    const struct fth_chart *chart;
    const char *name;         /* Metadata.Name, or the alias */
    const char *fullpath;     /* Helm's ChartFullPath: parent/charts/name */
    struct fth_value *values; /* defaults, a template MAP */
    struct helm_rchart **deps;
    size_t ndeps;
    struct helm_rdep *mdeps; /* dependencies listed in the metadata */
    size_t nmdeps;
    int has_mdeps; /* Metadata.Dependencies is non-nil */
};

struct helm_coalesce {
    struct fth_arena *a;
    struct fth_buf *warnings; /* Helm's log.Printf warnings, one a line; may be NULL */
    struct fth_error *err;
};

int helm_coalesce_tables(struct helm_coalesce *c, struct fth_value *dst, struct fth_value *src,
                         const char *prefix, int merge);
int helm_coalesce(struct helm_coalesce *c, const struct helm_rchart *rc, struct fth_value *dest,
                  const char *prefix, int merge, unsigned depth);

#endif
