/*
 * value: the one dynamic value model. YAML and JSON load into it with the file position of
 * every node; it emits JSON and YAML. Values live in an arena and die with it.
 */
#ifndef FATHOM_VALUE_H
#define FATHOM_VALUE_H

#include "fathom/base.h"

#ifdef __cplusplus
extern "C" {
#endif

enum fth_value_type {
    FTH_VALUE_NULL = 0,
    FTH_VALUE_BOOL,
    FTH_VALUE_INT,
    FTH_VALUE_FLOAT,
    FTH_VALUE_STRING,
    FTH_VALUE_SEQ,
    FTH_VALUE_MAP,
};

/* flags */
#define FTH_VALUE_QUOTED 0x1u /* a quoted or block scalar: never resolved to bool/int/null */
#define FTH_VALUE_ALIAS 0x2u  /* reached through a YAML alias (shared with its anchor) */

struct fth_value;

struct fth_member {
    struct fth_value *key; /* usually a string */
    struct fth_value *value;
};

struct fth_value {
    enum fth_value_type type;
    unsigned flags;
    unsigned line;   /* 1-based line of the node's first character, 0 when unknown */
    unsigned column; /* 1-based column */
    size_t weight;   /* nodes in this subtree, counting itself */
    union {
        int boolean;
        int64_t integer;
        double number;
        struct {
            const char *ptr; /* NUL-terminated; may also hold NUL bytes, see len */
            size_t len;
        } str;
        struct {
            struct fth_value **items;
            size_t len;
        } seq;
        struct {
            struct fth_member *items;
            size_t len;
        } map;
    } u;
};

/* One document of a stream. */
struct fth_document {
    struct fth_value *root;  /* NULL when empty or when it failed to load */
    unsigned index;          /* 0-based position in the stream */
    unsigned line;           /* line where the document starts */
    struct fth_error *error; /* non-NULL when the document failed to load */
};

struct fth_stream {
    struct fth_document *docs;
    size_t len;
};

#define FTH_LOAD_JSON 0x1u /* the input is expected to be JSON (for messages and fallback) */
/* Parse every document with libyaml, never with the built-in fast path for the YAML subset
 * manifests use (the two give the same values; for tests and fuzzing). */
#define FTH_LOAD_NO_FAST 0x2u

struct fth_load_opts {
    const char *name; /* file name used in error messages */
    unsigned flags;
    size_t max_depth;       /* 0: FTH_LIMIT_DEPTH */
    size_t max_nodes;       /* 0: FTH_LIMIT_NODES */
    size_t max_alias_nodes; /* 0: FTH_LIMIT_ALIAS_NODES */
    size_t max_documents;   /* 0: FTH_LIMIT_DOCUMENTS */
};

#define FTH_LOAD_OPTS_INIT                                                                         \
    {                                                                                              \
        NULL, 0, 0, 0, 0, 0                                                                        \
    }

/*
 * Load every document of a YAML (1.1 scalars, as Kubernetes reads them) or JSON stream.
 * A broken document gets its own error in out->docs[i].error and the others still load.
 * Returns 0, or a negative code when nothing could be loaded at all (binary data, out of
 * memory, too many documents); err then says why.
 */
int fth_value_load(struct fth_stream *out, struct fth_arena *a, const char *data, size_t len,
                   const struct fth_load_opts *opts, struct fth_error *err);

/*
 * Stream the documents of a YAML/JSON stream to fn, one at a time, in order. A document's
 * values (and its error) live only until fn returns: copy what must last. Memory follows the
 * largest document, not the stream. The stream's bookkeeping lives in a. fn returns 0 or a
 * negative code that stops the load and is returned. Other failures as fth_value_load.
 */
typedef int (*fth_document_fn)(const struct fth_document *doc, void *data);
int fth_value_load_each(struct fth_arena *a, const char *data, size_t len,
                        const struct fth_load_opts *opts, fth_document_fn fn, void *fn_data,
                        struct fth_error *err);

/* Load exactly one document (an empty input is a null value). */
int fth_value_load_one(struct fth_value **out, struct fth_arena *a, const char *data, size_t len,
                       const struct fth_load_opts *opts, struct fth_error *err);

/* ---- access (all accept NULL and return NULL/0 when the shape does not fit) ---- */

const struct fth_value *fth_value_get(const struct fth_value *map, const char *key);
/* fth_value_get with the key's length given (key[0, len), which may hold NUL bytes): callers
 * with literal keys spare a strlen per lookup. */
const struct fth_value *fth_value_getn(const struct fth_value *map, const char *key, size_t len);
const struct fth_member *fth_value_member(const struct fth_value *map, const char *key);
/* Follow dotted keys: "spec.template.spec". */
const struct fth_value *fth_value_path(const struct fth_value *v, const char *path);
const struct fth_value *fth_value_at(const struct fth_value *seq, size_t i);
size_t fth_value_len(const struct fth_value *v);      /* items of a seq or map, else 0 */
const char *fth_value_str(const struct fth_value *v); /* NULL unless a string */
int fth_value_streq(const struct fth_value *v, const char *s);
int fth_value_is_true(const struct fth_value *v);  /* boolean true */
int fth_value_is_false(const struct fth_value *v); /* boolean false */
/* "a mapping", "a sequence", "a string", "an integer", "a number", "a boolean", "null" */
const char *fth_value_type_name(enum fth_value_type type);

/* ---- building ---- */

struct fth_value *fth_value_new(struct fth_arena *a, enum fth_value_type type);
struct fth_value *fth_value_new_str(struct fth_arena *a, const char *s, size_t len);

/* ---- emitting ---- */

#define FTH_EMIT_PRETTY 0x1u

/* JSON with Go-compatible numbers (as encoding/json prints them). */
int fth_value_to_json(struct fth_buf *out, const struct fth_value *v, unsigned flags);
/* Block-style YAML, as `helm template` and kubectl print it. */
int fth_value_to_yaml(struct fth_buf *out, const struct fth_value *v);
/* A float as Go's encoding/json formats it ("1e+21", "0.000001", "1e-7"). */
int fth_format_float(struct fth_buf *out, double d);
/* A JSON string literal with its quotes, as Go's encoding/json writes it: valid UTF-8 (a bad
 * byte becomes U+FFFD), control characters, U+2028/U+2029 and <, >, & escaped. */
int fth_json_quote(struct fth_buf *out, const char *s, size_t len);

#define FTH_JSON_HTML_SAFE 0x1u /* escape <, > and & as \u003c, \u003e, \u0026 */
/* The same with a choice: reports leave <, > and & readable (flags 0). */
int fth_json_quote_flags(struct fth_buf *out, const char *s, size_t len, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif
