/*
 * tmpl: declarations shared by the files of the module (the engine, Go's builtins, Sprig's and
 * Helm's functions).
 *
 * HOW TO WRITE A FUNCTION (Sprig files: src/tmpl/sprig_<family>.c)
 *
 * The function interface is public (include/fathom/tmpl.h, so the chart renderer can add
 * functions and methods too); in short:
 *
 *   static int f_upper(struct fth_value **out, struct fth_tmpl_call *call,
 *                      struct fth_value *const *args, size_t argc)
 *   {
 *       ... args[0] is a STRING because the sig says "s" ...
 *       *out = fth_tmpl_str(call->arena, buf, len);
 *       return *out ? 0 : FTH_ENOMEM;
 *   }
 *   const struct fth_tmpl_func tmpl_sprig_strings[] = {
 *       {"upper", "s", f_upper, NULL},
 *       {"printf-like", "s*a", f_x, NULL},   (variadic: '*' before the last letter)
 *       {NULL, NULL, NULL, NULL},
 *   };
 *
 * - Signature letters (Go parameter types): a interface{}, s string, i int, I int64,
 *   f float64, b bool, l []interface {}, m map[string]interface {}, y []byte. The engine
 *   checks arity and types with text/template's exact errors before calling, and converts
 *   number constants ({{ trunc 3 .x }}: 3 becomes an INT for "i", a FLOAT for "f").
 *   Use "a" and convert yourself where Sprig takes interface{} (cast.ToInt & co.).
 * - Results: allocate from call->arena with the fth_tmpl_* constructors (or fth_value_new);
 *   never malloc. A Go nil result is fth_tmpl_null(). Go's int64 results (add, mul, len of
 *   Sprig...) use fth_tmpl_int64 so %T and type checks match; Go int results fth_tmpl_int.
 * - Errors: `return fth_tmpl_fail(call, "...", ...);` The message is Go's err.Error() text;
 *   the engine prints `error calling NAME: MESSAGE`. FTH_ENOMEM may be returned as is.
 *   Never abort; bound loops on untrusted sizes with limits from src/base/limits.h
 *   (FTH_LIMIT_TMPL_* below; add your own there with a targeted insertion).
 * - Truthiness: fth_tmpl_truth(v). Go type names: fth_tmpl_type_name(v).
 * - Printing as fmt does: fth_tmpl_fmt_value (%v), fth_tmpl_sprint/sprintln/sprintf,
 *   fth_tmpl_format_float (strconv.FormatFloat), fth_tmpl_quote (strconv.Quote).
 * - Calling back into the engine: fth_tmpl_call_template (execute a named template of the
 *   set), fth_tmpl_call_text (parse and run text in an overlay of the set).
 * - Maps: fth_tmpl_map_get/set/del mutate in place (Go maps are shared references); SEQs
 *   are Go slices: build new ones (fth_tmpl_seq + fth_tmpl_seq_push) rather than mutate.
 *   map keys are always strings. Values flagged FTH_TMPL_VALUE_EXT are Go structs, methods
 *   or opaque values (fth_tmpl_ext_of); a time.Time is an OPAQUE ext with type_name
 *   "time.Time" whose data points to a struct tmpl_time (below).
 *
 * REGISTRY
 *
 * A set starts with, in this order (a later table replaces an earlier name, like Funcs):
 * tmpl_builtin_funcs, every Sprig family table listed in TMPL_SPRIG_FAMILIES whose file
 * exists, then with FTH_TMPL_HELM tmpl_helm_funcs (Helm's include/tpl/toYaml/..., and its
 * removal of env/expandenv), then tables added with fth_tmpl_add_funcs. A table entry with a
 * NULL fn removes that name (Helm removes Sprig's env and expandenv that way).
 *
 * A Sprig family is registered by creating src/tmpl/sprig_<family>.c defining
 * `const struct fth_tmpl_func tmpl_sprig_<family>[]` for one <family> of the list below:
 * registry.c declares and lists it when that file exists (checked with __has_include, so no
 * symbol is needed before the file is written; re-run cmake or touch registry.c after adding
 * the file to an existing build directory).
 */
/* API READY */

#ifndef FATHOM_TMPL_INT_H
#define FATHOM_TMPL_INT_H

#include "fathom/tmpl.h"

/* The Sprig families: file src/tmpl/sprig_<f>.c defines tmpl_sprig_<f>[]. */
#define TMPL_SPRIG_FAMILIES(X)                                                                     \
    X(strings)                                                                                     \
    X(lists)                                                                                       \
    X(dicts)                                                                                       \
    X(math)                                                                                        \
    X(conv)                                                                                        \
    X(defaults)                                                                                    \
    X(encoding)                                                                                    \
    X(crypto)                                                                                      \
    X(regex)                                                                                       \
    X(semver)                                                                                      \
    X(dates)                                                                                       \
    X(paths)                                                                                       \
    X(reflect)                                                                                     \
    X(network)                                                                                     \
    X(misc)

extern const struct fth_tmpl_func tmpl_builtin_funcs[]; /* builtins.c: Go's and/or/len/... */
extern const struct fth_tmpl_func tmpl_helm_funcs[];    /* helm_funcs.c */

/*
 * Go's time.Time for Sprig's date functions: an OPAQUE ext, type_name "time.Time", base
 * type FTH_VALUE_STRING holding the fmt %v text, data pointing to this.
 */
struct tmpl_time {
    int64_t unix;     /* seconds since the epoch */
    int32_t nsec;     /* 0..999999999 */
    int32_t utc_off;  /* seconds east of UTC of the zone it is shown in */
    const char *zone; /* zone abbreviation ("UTC") */
};

/* ---- engine internals used by builtins.c, fmt.c and helm_funcs.c ---- */

/* Engine-internal builtins that need the engine (not plain functions). */
#define TMPL_SIG_LAZY "<lazy>" /* and/or: arguments evaluated by the engine */

/* 1 for an INT or a FLOAT (any Go number kind the model holds). */
int tmpl_is_number(const struct fth_value *v);

/* fmt %v into out with the verb flags of fmt.c (plus: '+' for %+v, '#' for %#v). */
int tmpl_fmt_v(struct fth_buf *out, const struct fth_value *v, int plus, int sharp);

/* Helm's recursion count of include per template name (helm_funcs.c uses it). */
int tmpl_exec_include_enter(struct fth_tmpl_exec *x, const char *name, size_t limit);
void tmpl_exec_include_leave(struct fth_tmpl_exec *x, const char *name);

/* The name tpl parses its text under (fth_tmpl_opts.tpl_name, "gotpl" by default). */
const char *tmpl_tpl_name(const struct fth_tmpl_exec *x);

/* toYaml as Helm does it (sigs.k8s.io/yaml): into out, with the trailing newline. */
int tmpl_to_yaml(struct fth_buf *out, const struct fth_value *v, int pretty);
/* toJson as encoding/json does it. */
int tmpl_to_json(struct fth_buf *out, const struct fth_value *v);

/* ---- the parse tree (parse.c builds it, exec.c walks it) ---- */

enum tnode_type {
    TN_LIST,
    TN_TEXT,
    TN_ACTION,
    TN_IF,
    TN_RANGE,
    TN_WITH,
    TN_TEMPLATE,
    TN_BREAK,
    TN_CONTINUE,
    TN_PIPE,
    TN_COMMAND,
    TN_FIELD,    /* .a.b */
    TN_VARIABLE, /* $x.a.b */
    TN_CHAIN,    /* (pipe).a.b */
    TN_IDENT,    /* a function name */
    TN_DOT,
    TN_NIL,
    TN_BOOL,
    TN_NUMBER,
    TN_STRING,
};

struct tmpl_tree;

struct tnode {
    enum tnode_type type;
    size_t pos; /* byte offset in the parsed text (Go's Pos) */
    unsigned line;
    const struct tmpl_tree *tree; /* for error positions */
    struct tnode **kids;          /* LIST items, COMMAND args, PIPE commands */
    size_t nkids;
    /* control structures: pipe, list, else; TEMPLATE: name + pipe */
    struct tnode *pipe, *list, *elist;
    /* PIPE: declared variables (TN_VARIABLE nodes) and whether it is `=` */
    struct tnode **decl;
    size_t ndecl;
    int is_assign;
    /* FIELD/VARIABLE/CHAIN: identifiers (VARIABLE: [0] is "$x"); CHAIN: node in `sub` */
    const char **idents;
    size_t nidents;
    struct tnode *sub;
    /* TEXT and STRING (unquoted) contents; STRING: text holds the quoted form in `src`;
     * IDENT: name; NUMBER: its source */
    const char *text;
    size_t len;
    const char *src;
    const struct fth_tmpl_func *func; /* IDENT: resolved at parse time */
    int builtin;                      /* IDENT: one of enum tmpl_builtin, 0 when a function */
    /* NUMBER */
    int is_int, is_float, is_char;
    int64_t i;
    double f;
    int boolean;
};

struct tmpl_tree {
    const char *name;       /* the template's name */
    const char *parse_name; /* the name of the text it came from (positions) */
    const char *text;       /* the whole text (for line:col) */
    size_t text_len;
    struct tnode *root;
};

enum tmpl_builtin {
    TB_NONE = 0,
    TB_AND,
    TB_OR,
    TB_CALL,
};

/* A function table entry as the set resolves it. */
const struct fth_tmpl_func *tmpl_set_lookup_func(const struct fth_tmpl_set *set, const char *name,
                                                 size_t len);

/* Parse text; every tree (the main one first, then defines in order) is handed to add. */
struct tmpl_parse_req {
    const char *name;
    const char *text;
    size_t len;
    struct fth_arena *arena;
    const struct fth_tmpl_set *funcs; /* function names known to the parser */
    int (*add)(void *data, struct tmpl_tree *tree);
    void *data;
};
int tmpl_parse(const struct tmpl_parse_req *req, struct fth_error *err);
/* Go's IsEmptyTree: only blank text and comments. */
int tmpl_tree_empty(const struct tnode *n);
/* The node as Go's String() prints it (error contexts). */
int tmpl_node_string(struct fth_buf *out, const struct tnode *n);
/* strconv.Unquote of a Go string, raw string or char literal; -1 when invalid. */
int tmpl_unquote(struct fth_buf *out, const char *s, size_t len);

/*
 * Entries of a map that are data, not methods: a Go map type with methods (Helm's
 * engine.files) holds its methods as keys here, but len, truth and range see only the data.
 */
size_t tmpl_map_data_len(const struct fth_value *map);
int tmpl_is_method(const struct fth_value *v);

#endif
