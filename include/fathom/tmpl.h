/*
 * tmpl: Go's text/template language (as Helm uses it) over the value model of value.h.
 *
 * A template set holds named templates and one table of functions. Parsing a text adds the
 * template of that name and every {{define}} it holds to the set; a later definition of a
 * name replaces the earlier one, as Go's AddParseTree does (so the parse order decides
 * collisions, as in Helm). Executing a template writes its output into an fth_buf; values
 * made during execution live in an arena the caller gives. Errors read exactly like Go's:
 *   template: NAME:LINE: unexpected "}" in operand
 *   template: NAME:LINE:COL: executing "NAME" at <.Values.foo>: MESSAGE
 *
 * Runtime values are struct fth_value. Go's types map as:
 *   NULL   - a nil interface{} (a pipeline yielding it prints "<no value>", fmt prints "<nil>")
 *   BOOL   - bool            INT - int (int64 with FTH_TMPL_VALUE_INT64)   FLOAT - float64
 *   STRING - string ([]byte with FTH_TMPL_VALUE_BYTES)
 *   SEQ    - []interface {}  MAP - map[string]interface {} (range visits keys sorted)
 * plus the extension values below (Go structs, methods, opaque values), which carry the
 * FTH_TMPL_VALUE_EXT flag and are the first member of a struct fth_tmpl_ext.
 *
 * A set is not thread-safe while parsing; once parsed, concurrent executions of one set are
 * safe as long as each has its own arena and buffer and no function mutates shared values.
 */
#ifndef FATHOM_TMPL_H
#define FATHOM_TMPL_H

#include "fathom/base.h"
#include "fathom/value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- value flags beyond value.h's (bits 0-7 belong to value.h) ---- */

#define FTH_TMPL_VALUE_EXT 0x100u   /* first member of a struct fth_tmpl_ext */
#define FTH_TMPL_VALUE_INT64 0x200u /* an INT whose Go type is int64 (Sprig arithmetic) */
#define FTH_TMPL_VALUE_BYTES 0x400u /* a STRING whose Go type is []byte */
#define FTH_TMPL_VALUE_ROOM 0x800u  /* (internal) items array has power-of-two room to grow */

/* ---- functions ---- */

struct fth_tmpl_exec; /* one execution (opaque) */
struct fth_tmpl_func;

/* What a function receives besides its arguments. */
struct fth_tmpl_call {
    struct fth_tmpl_exec *exec;       /* for fth_tmpl_call_* callbacks into the engine */
    struct fth_arena *arena;          /* results live here (the execution's arena) */
    const struct fth_tmpl_func *func; /* the function being called (its name and data) */
    void *recv;                       /* a method's receiver (fth_tmpl_method_new), else NULL */
    void *user;                       /* fth_tmpl_opts.user of the set */
};

/*
 * A function: store the result in *out (never leave it unset on success; a Go nil is a value
 * of type FTH_VALUE_NULL) and return 0, or call fth_tmpl_fail() and return what it returns.
 * args[0..argc) have been checked against sig and converted (see below); they may be
 * mutated only where Go would mutate a shared map (Sprig's set/unset/merge).
 */
typedef int (*fth_tmpl_fn)(struct fth_value **out, struct fth_tmpl_call *call,
                           struct fth_value *const *args, size_t argc);

/*
 * sig: the Go parameter types, one letter each; '*' before the last letter makes it
 * variadic ("s*a" is func(string, ...interface{})).
 *   a interface{} (anything, nil included)   s string   i int   I int64   f float64
 *   b bool   l []interface {}   m map[string]interface {}   y []byte
 *   r reflect.Value: like 'a', but Go's invalid value (a pipeline that yielded nothing) arrives
 *     as a C NULL pointer instead of a NULL value (comparison builtins need the difference)
 * The engine applies text/template's rules: a number constant converts to i/I/f, a value
 * of another type is "wrong type for value; expected string; got int", nil for a typed
 * parameter is "invalid value; expected string", arity is "wrong number of args for NAME:
 * want 2 got 1". So functions can trust their arguments' types.
 */
struct fth_tmpl_func {
    const char *name; /* NULL ends a table */
    const char *sig;
    fth_tmpl_fn fn; /* NULL removes the name from the set (Helm drops Sprig's env) */
    void *data;     /* for the function's own use (call->func->data) */
};

/*
 * Record why a function failed; returns FTH_EINVALID to pass on. The engine reports it as Go
 * does: `executing "T" at <NAME ...>: error calling NAME: MESSAGE`.
 */
int fth_tmpl_fail(struct fth_tmpl_call *call, const char *fmt, ...) FTH_PRINTF(2, 3);

/*
 * Execute the template `name` of the running set (Helm's include) into out. On failure the
 * nested Go error text is recorded as by fth_tmpl_fail; return the code as it is: a limit or
 * memory failure (FTH_ELIMIT, FTH_ENOMEM) then stops the whole execution with the nested
 * message, any other becomes `error calling NAME: <nested message>` as in Go.
 */
int fth_tmpl_call_template(struct fth_buf *out, struct fth_tmpl_call *call, const char *name,
                           struct fth_value *dot);

/*
 * Parse text as template `name` in an overlay of the running set (its defines live only for
 * this call, like Helm's tpl on a Clone of the set) and execute it with dot into out. On
 * failure the Go error text is recorded as by fth_tmpl_fail (the caller usually wraps it with
 * fth_tmpl_fail(call, "...: %s", fth_tmpl_call_error(call))) and *parse_failed (may be NULL)
 * says whether parsing or executing failed.
 */
int fth_tmpl_call_text(struct fth_buf *out, struct fth_tmpl_call *call, const char *name,
                       const char *text, size_t len, struct fth_value *dot, int *parse_failed);

/* The message recorded by the last failed fth_tmpl_call_* or fth_tmpl_fail of this call. */
const char *fth_tmpl_call_error(const struct fth_tmpl_call *call);

/* ---- values for functions ---- */

struct fth_value *fth_tmpl_null(struct fth_arena *a);
struct fth_value *fth_tmpl_bool(struct fth_arena *a, int b);
struct fth_value *fth_tmpl_int(struct fth_arena *a, int64_t i);   /* Go int */
struct fth_value *fth_tmpl_int64(struct fth_arena *a, int64_t i); /* Go int64 */
struct fth_value *fth_tmpl_float(struct fth_arena *a, double d);
struct fth_value *fth_tmpl_str(struct fth_arena *a, const char *s, size_t len); /* copies */
struct fth_value *fth_tmpl_bytes(struct fth_arena *a, const void *s, size_t len);
/* An empty SEQ or MAP with room for cap items. */
struct fth_value *fth_tmpl_seq(struct fth_arena *a, size_t cap);
struct fth_value *fth_tmpl_map(struct fth_arena *a, size_t cap);
/* Append to a SEQ made here or by the loader (the items array is reallocated in a). */
int fth_tmpl_seq_push(struct fth_arena *a, struct fth_value *seq, struct fth_value *item);
/* Set key in a MAP (replacing an existing key in place, as a Go map assignment). */
int fth_tmpl_map_set(struct fth_arena *a, struct fth_value *map, const char *key, size_t klen,
                     struct fth_value *val);
/* Remove key from a MAP; 1 when it was there. */
int fth_tmpl_map_del(struct fth_value *map, const char *key, size_t klen);
/* The value of key in a MAP, NULL when absent (a present Go nil is an FTH_VALUE_NULL). */
struct fth_value *fth_tmpl_map_get(const struct fth_value *map, const char *key, size_t klen);

/* Go's truth for if/with/and/or/not: false, 0, nil, empty string/slice/map are false. */
int fth_tmpl_truth(const struct fth_value *v);
/* Go's type name as %T prints it: "string", "int", "float64", "map[string]interface {}",
 * "[]interface {}", "<nil>", or an extension value's type name. */
const char *fth_tmpl_type_name(const struct fth_value *v);

/* ---- Go's fmt ---- */

/* fmt's %v of one value: `map[a:1 b:[x y]]`, `<nil>`, floats like strconv 'g' (1e+06). */
int fth_tmpl_fmt_value(struct fth_buf *out, const struct fth_value *v);
/* fmt.Sprint: spaces between operands when neither side is a string. */
int fth_tmpl_sprint(struct fth_buf *out, struct fth_value *const *args, size_t argc);
/* fmt.Sprintln: spaces always, newline at the end. */
int fth_tmpl_sprintln(struct fth_buf *out, struct fth_value *const *args, size_t argc);
/* fmt.Sprintf with Go's verbs, flags and %!verb(type=value) error forms. */
int fth_tmpl_sprintf(struct fth_buf *out, const char *format, size_t flen,
                     struct fth_value *const *args, size_t argc);
/* strconv.FormatFloat(d, fmt, prec, 64) for fmt 'e' 'E' 'f' 'g' 'G'; prec -1 is shortest. */
int fth_tmpl_format_float(struct fth_buf *out, double d, char fmt, int prec);
/* strconv.Quote: Go's double-quoted string literal. */
int fth_tmpl_quote(struct fth_buf *out, const char *s, size_t len);

/* ---- extension values: Go structs, methods and opaque values ---- */

enum fth_tmpl_ext_kind {
    FTH_TMPL_EXT_STRUCT, /* v is a MAP of its fields; a missing field is an error, not zero */
    FTH_TMPL_EXT_METHOD, /* called when a field chain reaches it: .Files.Get "a" */
    FTH_TMPL_EXT_OPAQUE, /* any other Go value (time.Time): v says what it is closest to */
};

struct fth_tmpl_ext {
    struct fth_value v; /* first: a struct fth_value * with FTH_TMPL_VALUE_EXT points here */
    enum fth_tmpl_ext_kind kind;
    const char *type_name;              /* Go's name for %T and errors: "chart.Metadata" */
    const char *text;                   /* what fmt's %v prints (a Stringer), NULL: from v */
    const struct fth_tmpl_func *method; /* METHOD: the function; its sig excludes the receiver */
    void *data;                         /* METHOD: call->recv; OPAQUE: the payload */
};

/* The extension of v, or NULL when v is a plain value. */
struct fth_tmpl_ext *fth_tmpl_ext_of(const struct fth_value *v);
/* A struct (a MAP with room for cap fields, filled with fth_tmpl_map_set). */
struct fth_value *fth_tmpl_struct_new(struct fth_arena *a, const char *type_name, size_t cap);
/* A method value bound to recv; store it as a field of a struct or map. */
struct fth_value *fth_tmpl_method_new(struct fth_arena *a, const struct fth_tmpl_func *fn,
                                      void *recv);
/* An opaque value of Go type type_name, printing as text, of base type `type` otherwise. */
struct fth_tmpl_ext *fth_tmpl_opaque_new(struct fth_arena *a, enum fth_value_type type,
                                         const char *type_name, const char *text, void *data);

/* ---- template sets ---- */

struct fth_tmpl_set;

#define FTH_TMPL_HELM 0x1u          /* add Helm's functions (include, tpl, toYaml, ...) */
#define FTH_TMPL_NO_BUILTINS 0x2u   /* leave out Go's builtins (tests only) */
#define FTH_TMPL_MISSING_ERROR 0x4u /* missingkey=error instead of missingkey=zero */
#define FTH_TMPL_GO_ONLY 0x8u /* Go's builtins only: no Sprig, no Helm (plain text/template) */

struct fth_tmpl_opts {
    unsigned flags;
    const char *tpl_name; /* name tpl parses under; NULL: "gotpl" as in Helm's engine */
    void *user;           /* handed to functions as call->user */
    size_t max_output;    /* bytes one execution may write; 0: FTH_LIMIT_TMPL_OUTPUT */
    size_t max_depth;     /* nested template/include/tpl calls; 0: FTH_LIMIT_TMPL_DEPTH */
    size_t max_range;     /* iterations of range per execution; 0: FTH_LIMIT_TMPL_RANGE */
};

#define FTH_TMPL_OPTS_INIT                                                                         \
    {                                                                                              \
        0, NULL, NULL, 0, 0, 0                                                                     \
    }

/* A set with Go's builtins, the Sprig functions present in the build and (FTH_TMPL_HELM)
 * Helm's. */
int fth_tmpl_set_new(struct fth_tmpl_set **out, const struct fth_tmpl_opts *opts,
                     struct fth_error *err);
void fth_tmpl_set_free(struct fth_tmpl_set *set);

/* Add functions (a table ending with a NULL name, which must outlive the set); a name that
 * exists is replaced, as template.Funcs does. Call before parsing texts that use them. */
int fth_tmpl_add_funcs(struct fth_tmpl_set *set, const struct fth_tmpl_func *table,
                       struct fth_error *err);

/*
 * Parse text as the template `name` (and its defines) into the set. Errors read
 * `template: NAME:LINE: MESSAGE` (in err->message; err->file and err->line are set too). A
 * failed parse leaves the set as it was.
 */
int fth_tmpl_parse(struct fth_tmpl_set *set, const char *name, const char *text, size_t len,
                   struct fth_error *err);

/* 1 when the set has a template of that name (with a body). */
int fth_tmpl_has(const struct fth_tmpl_set *set, const char *name);

#define FTH_TMPL_STRIP_NO_VALUE 0x1u /* remove every "<no value>" from the output (Helm) */

/*
 * Execute template `name` with dot (may be NULL: Go's nil data) and append its output to
 * out. Values made while executing live in a. On error, out holds what was written before
 * it and err->message Go's text: `template: T:L:C: executing "T" at <...>: ...`.
 */
int fth_tmpl_execute(struct fth_buf *out, struct fth_tmpl_set *set, const char *name,
                     struct fth_value *dot, struct fth_arena *a, unsigned flags,
                     struct fth_error *err);

/*
 * The same, also appending the whole error text to errtext (may be NULL): nested include
 * errors can be far longer than struct fth_error's message, which is cut.
 */
int fth_tmpl_execute_full(struct fth_buf *out, struct fth_buf *errtext, struct fth_tmpl_set *set,
                          const char *name, struct fth_value *dot, struct fth_arena *a,
                          unsigned flags, struct fth_error *err);

#ifdef __cplusplus
}
#endif
#endif
