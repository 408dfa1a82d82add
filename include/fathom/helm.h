/*
 * helm: charts. Load a chart from a directory or a .tgz into memory (files with their paths
 * relative to the chart root), parse and validate Chart.yaml as Helm does, apply .helmignore,
 * and package a chart the way `helm package` does. The template engine reuses struct
 * fth_chart; everything lives in the arena given to the loader.
 */
#ifndef FATHOM_HELM_H
#define FATHOM_HELM_H

#include "fathom/base.h"
#include "fathom/value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One file of a chart: path relative to the chart root, '/'-separated, never "..". */
struct fth_chart_file {
    const char *path;
    const unsigned char *data; /* NUL-terminated for convenience; may hold NUL bytes */
    size_t len;
};

struct fth_chart_maintainer {
    const char *name, *email, *url; /* NULL when absent */
};

struct fth_chart_dependency {
    const char *name, *version, *repository, *condition, *alias; /* NULL when absent */
    int enabled;                                                 /* -1 when absent */
    const struct fth_value *tags;          /* sequence of strings, NULL when absent */
    const struct fth_value *import_values; /* as written, NULL when absent */
};

/* Chart.yaml, as Helm's chart.Metadata holds it. String fields are NULL when absent. */
struct fth_chart_metadata {
    const char *api_version; /* "v1" or "v2" */
    const char *name, *version, *description, *type, *app_version, *kube_version;
    const char *home, *icon, *condition, *tags;
    int deprecated;
    const struct fth_value *keywords, *sources, *annotations; /* NULL when absent */
    struct fth_chart_maintainer *maintainers;
    size_t nmaintainers;
    struct fth_chart_dependency *dependencies;
    size_t ndependencies;
    const struct fth_value *raw; /* the whole Chart.yaml document */
};

struct fth_chart {
    struct fth_chart_metadata metadata;
    /* Every file kept (after .helmignore for directories), sorted by path, Chart.yaml too. */
    struct fth_chart_file *files;
    size_t nfiles;
    /* Borrowed pointers into files[]; NULL when the chart has no such file. */
    const struct fth_chart_file *chart_yaml, *values, *values_schema, *chart_lock;
    /* templates/... files, in path order. */
    const struct fth_chart_file **templates;
    size_t ntemplates;
    /* charts/<name>.tgz and charts/<name>/ subcharts, loaded too, in path order. */
    struct fth_chart **subcharts;
    size_t nsubcharts;
    const struct fth_chart *parent; /* NULL for the top chart */
    const char *source;             /* the path or archive name it was loaded from */
};

/*
 * Load a chart from a directory or a gzip tar archive (decided by what path is). Directories
 * go through .helmignore (with Helm's default rule `templates/.?*`); symbolic links are
 * followed only when they stay inside the chart; archives must hold every entry under one
 * top directory and no links, absolute paths or "..". Limits: FTH_LIMIT_CHART_*. Chart.yaml
 * is validated (fth_chart_metadata_validate). Errors name the file or member.
 */
int fth_chart_load(struct fth_chart **out, struct fth_arena *a, const char *path,
                   struct fth_error *err);
int fth_chart_load_dir(struct fth_chart **out, struct fth_arena *a, const char *dir,
                       struct fth_error *err);
/* A .tgz already in memory; name is used in messages. */
int fth_chart_load_archive(struct fth_chart **out, struct fth_arena *a, const void *data,
                           size_t len, const char *name, struct fth_error *err);

/*
 * Parse Chart.yaml bytes into out and validate them like Helm's Metadata.Validate; messages
 * are Helm's ("validation: chart.metadata.name is required").
 */
int fth_chart_metadata_parse(struct fth_chart_metadata *out, struct fth_arena *a, const char *data,
                             size_t len, const char *name, struct fth_error *err);

/*
 * Chart.yaml as Helm writes it into a package and a provenance file: the known fields only,
 * keys sorted, empty fields left out (Go's yaml.Marshal of chart.Metadata).
 */
int fth_chart_metadata_yaml(struct fth_buf *out, const struct fth_chart_metadata *md);

/* ---- .helmignore ---- */

struct fth_helmignore;

/* Parse .helmignore text (data may be NULL: only Helm's default rule). */
int fth_helmignore_parse(struct fth_helmignore **out, struct fth_arena *a, const char *data,
                         size_t len, struct fth_error *err);
/* 1 when the chart-relative path (a directory when is_dir) is ignored, else 0. */
int fth_helmignore_match(const struct fth_helmignore *rules, const char *path, int is_dir);

/* ---- packaging ---- */

struct fth_chart_package_opts {
    int64_t mtime; /* modification time written into every entry (seconds since 1970) */
};
#define FTH_CHART_PACKAGE_OPTS_INIT                                                                \
    {                                                                                              \
        0                                                                                          \
    }

/*
 * The gzip tar `helm package` writes: entries `<name>/<path>`, Chart.yaml first (as
 * fth_chart_metadata_yaml writes it), then values.yaml, values.schema.json, templates and the
 * other files in path order; mode 0644, owner 0. The same chart gives the same bytes.
 */
int fth_chart_package(struct fth_buf *out, const struct fth_chart *chart,
                      const struct fth_chart_package_opts *opts, struct fth_error *err);

/* "<name>-<version>.tgz", in the arena. */
const char *fth_chart_archive_name(struct fth_arena *a, const struct fth_chart *chart);

#ifdef __cplusplus
}
#endif
#endif
