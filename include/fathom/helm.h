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

/* ---- values (Helm 3's pkg/strvals and chartutil) ---- */

enum fth_helm_set_kind {
    FTH_HELM_SET,         /* --set: true/false/null/ints typed, `{a,b}` lists, `\` escapes */
    FTH_HELM_SET_STRING,  /* --set-string: every value a string */
    FTH_HELM_SET_FILE,    /* --set-file: the value is a path whose contents become the string */
    FTH_HELM_SET_JSON,    /* --set-json key=JSON (the `{...}` whole-map form is the caller's) */
    FTH_HELM_SET_LITERAL, /* --set-literal: the rest after `=` verbatim, no escapes */
};

/* Reads a --set-file path: *data and *len (living at least as long as the arena) or a negative
 * code with Go's message in msg ("open x: no such file or directory"). */
typedef int (*fth_helm_file_reader)(const char **data, size_t *len, const char *path, void *user,
                                    char *msg, size_t msgsize);

/*
 * Parse one strvals line (`a.b[0]=1,c={x,y}`) into dest (a template MAP), as Helm's
 * strvals.ParseInto/ParseIntoString/ParseIntoFile/ParseJSON/ParseLiteralInto do: ints are
 * int64, `a[3]` pads with nils, an existing non-map under a dotted key is Go's panic text.
 * Errors are Helm's text without its "failed parsing --set data: " prefix.
 */
int fth_helm_strvals_parse(struct fth_value *dest, struct fth_arena *a, enum fth_helm_set_kind kind,
                           const char *s, size_t len, fth_helm_file_reader reader,
                           void *reader_data, struct fth_error *err);

/* A YAML/JSON values document as Helm reads it: a template MAP, numbers float64, keys strings
 * (an empty document is an empty map). */
int fth_helm_values_parse(struct fth_value **out, struct fth_arena *a, const char *data, size_t len,
                          const char *name, struct fth_error *err);
/* The same conversion for an already loaded value (depth: 0). */
int fth_helm_values_from_yaml(struct fth_value **out, struct fth_arena *a,
                              const struct fth_value *v, unsigned depth);
/* A deep copy of maps and sequences (scalars are shared). NULL when out of memory. */
struct fth_value *fth_helm_values_copy(struct fth_arena *a, const struct fth_value *v);
/* Helm's mergeMaps for -f files: maps merge recursively, anything else replaces. */
int fth_helm_values_merge_maps(struct fth_value *dst, struct fth_arena *a,
                               const struct fth_value *src);

/* The user's values, merged in Helm's order whatever the command-line order: -f files, then
 * --set-json, --set, --set-string, --set-file, --set-literal. */
struct fth_helm_value_opts {
    const char **files; /* "-" reads stdin */
    size_t nfiles;
    const char **set[5]; /* indexed by enum fth_helm_set_kind */
    size_t nset[5];
};

/* Merge the value options into a new MAP. Messages are Helm's ("failed parsing --set data: ...").
 */
int fth_helm_values_merge(struct fth_value **out, struct fth_arena *a,
                          const struct fth_helm_value_opts *opts, struct fth_error *err);

/*
 * chartutil.CoalesceValues: vals (not modified) over the chart's defaults and its subcharts',
 * globals copied parent -> child, a null in vals deletes the key. Warnings (Helm's log lines)
 * are appended to warnings when it is not NULL.
 */
int fth_helm_values_coalesce(struct fth_value **out, struct fth_arena *a,
                             const struct fth_chart *chart, const struct fth_value *vals,
                             struct fth_buf *warnings, struct fth_error *err);

/*
 * Validate values against a values.schema.json (JSON Schema draft-07 keywords charts use:
 * type, properties, required, additionalProperties, items, enum, const, minimum/maximum and
 * their exclusive forms, multipleOf, minLength/maxLength, pattern (Go RE2 syntax),
 * minItems/maxItems, uniqueItems, min/maxProperties, $ref within the document,
 * anyOf/oneOf/allOf/not). Problems are appended to out as Helm 3 prints them (gojsonschema):
 * "- image.tag: Invalid type. Expected: string, given: integer\n". Returns 0 (valid when
 * nothing was appended), or a negative code when the schema itself is unusable.
 */
int fth_helm_schema_validate(struct fth_buf *out, struct fth_arena *a, const char *schema,
                             size_t len, const struct fth_value *values, struct fth_error *err);

/* ---- rendering (`helm template`) ---- */

struct fth_helm_render_opts {
    const char *release_name;  /* "release-name" when NULL */
    const char *namespace;     /* "default" when NULL */
    const char *kube_version;  /* "v1.20.0" when NULL; "1.16.0" or "v1.16.0" */
    const char **api_versions; /* added to the default API versions */
    size_t napi_versions;
    int include_crds;
    int skip_tests;
    const struct fth_value *values; /* the user's values (fth_helm_values_merge), may be NULL */
    struct fth_helm_cache *cache;   /* reuse work across renders of one loaded chart, or NULL */
};

#define FTH_HELM_RENDER_OPTS_INIT                                                                  \
    {                                                                                              \
        NULL, NULL, NULL, NULL, 0, 0, 0, NULL, NULL                                                \
    }

/*
 * A cache for rendering one loaded chart many times (other values, other options): the
 * parsed values.yaml files and the parsed template set (per set of enabled subcharts) are
 * kept. Valid while the chart is; not thread-safe (one cache per thread).
 */
struct fth_helm_cache;
int fth_helm_cache_new(struct fth_helm_cache **out);
void fth_helm_cache_free(struct fth_helm_cache *cache);

/* One document of the output. */
struct fth_helm_manifest {
    const char *source;  /* "chart/templates/x.yaml" (or chart/crds/x.yaml) */
    const char *content; /* the trimmed document */
    size_t len;
    unsigned line;           /* 1-based line in the rendered file where the document starts */
    const char *kind, *name; /* NULL when absent */
    int hook;                /* 1 for a helm.sh/hook document */
    int crd;                 /* 1 for a crds/ file (with include_crds) */
    int test;                /* a test hook */
    /* the parsed document (NULL for CRDs, which are printed verbatim, never parsed) */
    const struct fth_value *doc;
};

/* An `image:` string field of a rendered manifest and where it came from. */
struct fth_helm_image {
    const char *image;
    const struct fth_helm_manifest *manifest;
    unsigned line; /* line of the field in the rendered file */
    /* .Values paths ("image.repository", "global.imageRegistry") whose string values make up
     * the image reference (see docs/helm-template.md for the approximation). */
    const char **value_paths;
    size_t nvalue_paths;
};

struct fth_helm_render {
    /* in Helm's output order: CRDs (include_crds), manifests by kind, then hooks */
    struct fth_helm_manifest *manifests;
    size_t nmanifests;
    struct fth_helm_image *images;
    size_t nimages;
    struct fth_value *values; /* the coalesced .Values */
    /* Set on failure after rendering (bad YAML in a rendered file): every non-empty rendered
     * file as Helm's --debug prints it. */
    struct fth_buf debug;
    struct fth_buf warnings; /* Helm's log lines (coalescing, unknown hooks) */
    struct fth_buf errtext;  /* the whole error text of a failed render */
    /* 1 once dependencies and values were processed and templates began to render (Helm has
     * made its release by then: `helm template` adds its --debug hint to later errors) */
    int rendering;
};

/*
 * Render a chart as `helm template` does: dependencies enabled by condition/tags, aliases,
 * import-values, values coalesced, templates executed in Helm's order, the output split,
 * sorted by kind, hooks last. Errors read like Helm's (`template: ...`, `YAML parse error on
 * ...`); *out is set even on error so debug output can be printed. Release with
 * fth_helm_render_release.
 */
int fth_helm_render(struct fth_helm_render **out, struct fth_arena *a,
                    const struct fth_chart *chart, const struct fth_helm_render_opts *opts,
                    struct fth_error *err);
void fth_helm_render_release(struct fth_helm_render *r);

/* The text `helm template` prints for a render: `---\n# Source: ...` per manifest. */
int fth_helm_render_text(struct fth_buf *out, const struct fth_helm_render *r);

/* The error text that may be longer than struct fth_error's message (nested includes). */
const char *fth_helm_render_error(const struct fth_helm_render *r);

#ifdef __cplusplus
}
#endif
#endif
