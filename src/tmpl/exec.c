/*
 * Template sets and execution: text/template's exec.go semantics over struct fth_value, with
 * its error texts (`template: T:L:C: executing "T" at <.a.b>: nil pointer evaluating
 * interface {}.b`), missingkey=zero as Helm sets it, and limits on depth, output and range.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "tmpl_int.h"

/* ---- sets ---- */

struct tentry {
    const char *name;
    struct tmpl_tree *tree;
    struct tentry *next;
};

struct fentry {
    const struct fth_tmpl_func *f;
    struct fentry *next;
};

#define NBUCKETS 256

struct fth_tmpl_set {
    struct fth_arena *arena;
    struct fth_tmpl_opts opts;
    const char *tpl_name;
    struct tentry *tmpls[NBUCKETS];
    struct fentry *funcs[NBUCKETS];
    struct fth_tmpl_set *parent; /* an overlay (tpl) sees its parent's templates and funcs */
};

static unsigned hash(const char *s, size_t n)
{
    unsigned h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h % NBUCKETS;
}

const struct fth_tmpl_func *tmpl_set_lookup_func(const struct fth_tmpl_set *set, const char *name,
                                                 size_t len)
{
    while (set) {
        const struct fentry *e;
        for (e = set->funcs[hash(name, len)]; e; e = e->next)
            if (strlen(e->f->name) == len && !memcmp(e->f->name, name, len))
                return e->f;
        set = set->parent;
    }
    return NULL;
}

static struct tentry *lookup_tmpl(const struct fth_tmpl_set *set, const char *name)
{
    while (set) {
        struct tentry *e;
        for (e = set->tmpls[hash(name, strlen(name))]; e; e = e->next)
            if (!strcmp(e->name, name))
                return e;
        set = set->parent;
    }
    return NULL;
}

int fth_tmpl_add_funcs(struct fth_tmpl_set *set, const struct fth_tmpl_func *table,
                       struct fth_error *err)
{
    size_t i;
    for (i = 0; table && table[i].name; i++) {
        unsigned h = hash(table[i].name, strlen(table[i].name));
        struct fentry *e;
        for (e = set->funcs[h]; e; e = e->next)
            if (!strcmp(e->f->name, table[i].name))
                break;
        if (!e) {
            e = fth_arena_alloc(set->arena, sizeof(*e));
            if (!e)
                return fth_error_set(err, FTH_ENOMEM, "out of memory");
            e->next = set->funcs[h];
            set->funcs[h] = e;
        }
        e->f = &table[i];
    }
    return 0;
}

/* Helm removes sprig's env and expandenv: a NULL fn in a table deletes the name. */
static void drop_removed(struct fth_tmpl_set *set)
{
    size_t h;
    for (h = 0; h < NBUCKETS; h++) {
        struct fentry **pp = &set->funcs[h];
        while (*pp) {
            if (!(*pp)->f->fn)
                *pp = (*pp)->next;
            else
                pp = &(*pp)->next;
        }
    }
}

/* registry.c */
int tmpl_registry_add(struct fth_tmpl_set *set, int helm, struct fth_error *err);

int fth_tmpl_set_new(struct fth_tmpl_set **out, const struct fth_tmpl_opts *opts,
                     struct fth_error *err)
{
    struct fth_tmpl_set *set = NULL;
    struct fth_arena *a = fth_arena_new();
    int error = 0;
    *out = NULL;
    if (!a)
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    set = fth_arena_alloc(a, sizeof(*set));
    if (!set) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    set->arena = a;
    if (opts)
        set->opts = *opts;
    set->tpl_name = set->opts.tpl_name ? fth_arena_strdup(a, set->opts.tpl_name) : "gotpl";
    if (!set->opts.max_output)
        set->opts.max_output = FTH_LIMIT_TMPL_OUTPUT;
    if (!set->opts.max_depth)
        set->opts.max_depth = FTH_LIMIT_TMPL_DEPTH;
    if (!set->opts.max_range)
        set->opts.max_range = FTH_LIMIT_TMPL_RANGE;
    if (!(set->opts.flags & FTH_TMPL_NO_BUILTINS) &&
        (error = fth_tmpl_add_funcs(set, tmpl_builtin_funcs, err)) < 0)
        goto out;
    if (!(set->opts.flags & (FTH_TMPL_NO_BUILTINS | FTH_TMPL_GO_ONLY)) &&
        (error = tmpl_registry_add(set, !!(set->opts.flags & FTH_TMPL_HELM), err)) < 0)
        goto out;
    drop_removed(set);
    *out = set;
out:
    if (error < 0)
        fth_arena_free(a);
    return error;
}

void fth_tmpl_set_free(struct fth_tmpl_set *set)
{
    if (set)
        fth_arena_free(set->arena);
}

/* Go's associate(): an empty definition does not replace a non-empty one. */
static int set_add_tree(void *data, struct tmpl_tree *tree)
{
    struct fth_tmpl_set *set = data;
    unsigned h = hash(tree->name, strlen(tree->name));
    struct tentry *e;
    for (e = set->tmpls[h]; e; e = e->next)
        if (!strcmp(e->name, tree->name))
            break;
    if (e) {
        if (tmpl_tree_empty(tree->root) && e->tree)
            return 0;
        e->tree = tree;
        return 0;
    }
    e = fth_arena_alloc(set->arena, sizeof(*e));
    if (!e)
        return FTH_ENOMEM;
    e->name = tree->name;
    e->tree = tree;
    e->next = set->tmpls[h];
    set->tmpls[h] = e;
    return 0;
}

struct pending {
    struct tmpl_tree **trees;
    size_t n, cap;
    struct fth_arena *a;
};

static int collect_tree(void *data, struct tmpl_tree *tree)
{
    struct pending *p = data;
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 8;
        struct tmpl_tree **nt = fth_arena_alloc(p->a, nc * sizeof(*nt));
        if (!nt)
            return FTH_ENOMEM;
        if (p->n)
            memcpy(nt, p->trees, p->n * sizeof(*nt));
        p->trees = nt;
        p->cap = nc;
    }
    p->trees[p->n++] = tree;
    return 0;
}

static int parse_into(struct fth_tmpl_set *set, struct fth_arena *a, const char *name,
                      const char *text, size_t len, struct fth_error *err)
{
    struct tmpl_parse_req req;
    struct pending pend = {NULL, 0, 0, a};
    size_t i;
    int error;
    char *nm = fth_arena_strdup(a, name), *tx = fth_arena_strndup(a, text ? text : "", len);
    if (!nm || !tx)
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    memset(&req, 0, sizeof(req));
    req.name = nm;
    req.text = tx;
    req.len = len;
    req.arena = a;
    req.funcs = set;
    req.add = collect_tree;
    req.data = &pend;
    /* collect first so a failed parse leaves the set as it was */
    if ((error = tmpl_parse(&req, err)) < 0)
        return error;
    for (i = 0; i < pend.n; i++)
        if ((error = set_add_tree(set, pend.trees[i])) < 0)
            return fth_error_set(err, error, "out of memory");
    return 0;
}

int fth_tmpl_parse(struct fth_tmpl_set *set, const char *name, const char *text, size_t len,
                   struct fth_error *err)
{
    return parse_into(set, set->arena, name, text, len, err);
}

int fth_tmpl_has(const struct fth_tmpl_set *set, const char *name)
{
    const struct tentry *e = lookup_tmpl(set, name);
    return e && e->tree && e->tree->root;
}

/* ---- execution state ---- */

struct val {
    struct fth_value *v; /* NULL: Go's invalid reflect.Value */
    int iface;           /* the static type is interface{} (a map or slice element) */
};

struct var {
    const char *name;
    struct val v;
};

struct incl {
    const char *name;
    size_t count;
    struct incl *next;
};

struct fth_tmpl_exec {
    struct fth_tmpl_set *set; /* the running set (an overlay inside tpl) */
    struct fth_tmpl_set *root;
    struct fth_arena *a;
    struct fth_buf *out;
    unsigned flags;
    size_t depth, ranges;
    const struct tmpl_tree *tmpl;
    const struct tnode *node;
    struct var *vars;
    size_t nvars, capvars, base;
    int failed, code;
    struct fth_buf msg; /* the error of this execution */
    struct fth_buf call_msg;
    struct incl *incl;
};

static const struct val INVALID = {NULL, 0};

static int node_location(struct fth_buf *out, const struct tnode *n)
{
    const struct tmpl_tree *t = n->tree;
    size_t pos = n->pos, i, last = (size_t)-1;
    unsigned line = 1;
    if (!t)
        return fth_buf_puts(out, "?");
    if (pos > t->text_len)
        pos = t->text_len;
    for (i = 0; i < pos; i++)
        if (t->text[i] == '\n') {
            line++;
            last = i;
        }
    return fth_buf_printf(out, "%s:%u:%zu", t->parse_name, line,
                          last == (size_t)-1 ? pos : pos - (last + 1));
}

static int errorf(struct fth_tmpl_exec *x, int code, const char *fmt, ...) FTH_PRINTF(3, 4);
static int errorf(struct fth_tmpl_exec *x, int code, const char *fmt, ...)
{
    va_list ap;
    if (x->failed)
        return x->code;
    x->failed = 1;
    x->code = code;
    fth_buf_clear(&x->msg);
    if (!x->node) {
        fth_buf_printf(&x->msg, "template: %s: ", x->tmpl ? x->tmpl->name : "");
    } else {
        fth_buf_puts(&x->msg, "template: ");
        node_location(&x->msg, x->node);
        fth_buf_puts(&x->msg, ": executing ");
        fth_tmpl_quote(&x->msg, x->tmpl->name, strlen(x->tmpl->name));
        fth_buf_puts(&x->msg, " at <");
        tmpl_node_string(&x->msg, x->node);
        fth_buf_puts(&x->msg, ">: ");
    }
    va_start(ap, fmt);
    fth_buf_vprintf(&x->msg, fmt, ap);
    va_end(ap);
    return code;
}

static int oom(struct fth_tmpl_exec *x)
{
    return errorf(x, FTH_ENOMEM, "out of memory");
}

static struct fth_value *nil_value(struct fth_tmpl_exec *x)
{
    return fth_tmpl_null(x->a);
}

static const char *node_str(struct fth_tmpl_exec *x, const struct tnode *n)
{
    struct fth_buf b = FTH_BUF_INIT;
    char *s;
    tmpl_node_string(&b, n);
    s = fth_arena_strndup(x->a, b.ptr, b.len);
    fth_buf_release(&b);
    return s ? s : "";
}

static const char *val_str(struct fth_tmpl_exec *x, const struct fth_value *v)
{
    struct fth_buf b = FTH_BUF_INIT;
    char *s;
    if (!v)
        return "<invalid reflect.Value>";
    fth_tmpl_fmt_value(&b, v);
    s = fth_arena_strndup(x->a, b.ptr, b.len);
    fth_buf_release(&b);
    return s ? s : "";
}

static int push_var(struct fth_tmpl_exec *x, const char *name, struct val v)
{
    if (x->nvars == x->capvars) {
        size_t nc = x->capvars ? x->capvars * 2 : 32;
        struct var *nv = fth_arena_alloc(x->a, nc * sizeof(*nv));
        if (!nv)
            return oom(x);
        if (x->nvars)
            memcpy(nv, x->vars, x->nvars * sizeof(*nv));
        x->vars = nv;
        x->capvars = nc;
    }
    x->vars[x->nvars].name = name;
    x->vars[x->nvars].v = v;
    x->nvars++;
    return 0;
}

static int set_var(struct fth_tmpl_exec *x, const char *name, struct val v)
{
    size_t i;
    for (i = x->nvars; i > x->base; i--)
        if (!strcmp(x->vars[i - 1].name, name)) {
            x->vars[i - 1].v = v;
            return 0;
        }
    return errorf(x, FTH_EINVALID, "undefined variable: %s", name);
}

static int var_value(struct fth_tmpl_exec *x, const char *name, struct val *out)
{
    size_t i;
    for (i = x->nvars; i > x->base; i--)
        if (!strcmp(x->vars[i - 1].name, name)) {
            *out = x->vars[i - 1].v;
            return 0;
        }
    return errorf(x, FTH_EINVALID, "undefined variable: %s", name);
}

static int write_out(struct fth_tmpl_exec *x, const char *s, size_t n)
{
    if (x->out->len + n > x->root->opts.max_output)
        return errorf(x, FTH_ELIMIT, "template output exceeds %zu bytes", x->root->opts.max_output);
    if (fth_buf_put(x->out, s, n) < 0)
        return oom(x);
    return 0;
}

/* ---- evaluation ---- */

struct args {
    struct tnode **nodes; /* nodes[0] is the function/field itself */
    size_t n;
};

static int eval_pipeline(struct fth_tmpl_exec *x, struct val dot, const struct tnode *pipe,
                         struct val *out);
static int eval_call(struct fth_tmpl_exec *x, struct val dot, const struct fth_tmpl_func *f,
                     void *recv, const struct tnode *node, const char *name, struct args args,
                     const struct val *final, struct val *out);
static int walk(struct fth_tmpl_exec *x, struct val dot, const struct tnode *n);

static void at(struct fth_tmpl_exec *x, const struct tnode *n)
{
    x->node = n;
}

static const char *sig_type(char c)
{
    switch (c) {
    case 's':
        return "string";
    case 'i':
        return "int";
    case 'I':
        return "int64";
    case 'f':
        return "float64";
    case 'b':
        return "bool";
    case 'l':
        return "[]interface {}";
    case 'm':
        return "map[string]interface {}";
    case 'y':
        return "[]uint8";
    case 'r':
        return "reflect.Value";
    default:
        return "interface {}";
    }
}

static int type_fits(const struct fth_value *v, char c)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    if (e && e->kind != FTH_TMPL_EXT_OPAQUE && c != 'a' && c != 'r')
        return 0;
    if (e && e->kind == FTH_TMPL_EXT_OPAQUE && c != 'a' && c != 'r')
        return 0;
    switch (c) {
    case 's':
        return v->type == FTH_VALUE_STRING && !(v->flags & FTH_TMPL_VALUE_BYTES);
    case 'y':
        return v->type == FTH_VALUE_STRING && (v->flags & FTH_TMPL_VALUE_BYTES);
    case 'i':
        return v->type == FTH_VALUE_INT && !(v->flags & FTH_TMPL_VALUE_INT64);
    case 'I':
        return v->type == FTH_VALUE_INT && (v->flags & FTH_TMPL_VALUE_INT64);
    case 'f':
        return v->type == FTH_VALUE_FLOAT;
    case 'b':
        return v->type == FTH_VALUE_BOOL;
    case 'l':
        return v->type == FTH_VALUE_SEQ;
    case 'm':
        return v->type == FTH_VALUE_MAP;
    default:
        return 1;
    }
}

/* validateType: the value a function receives for a parameter of type c. */
static int validate(struct fth_tmpl_exec *x, struct val v, char c, struct fth_value **out)
{
    if (!v.v) {
        if (c == 'r') {
            *out = NULL;
            return 0;
        }
        if (c == 'a' || c == 0) {
            *out = nil_value(x);
            return *out ? 0 : oom(x);
        }
        if (c == 'l' || c == 'm' || c == 'y') {
            *out = c == 'l'   ? fth_tmpl_seq(x->a, 0)
                   : c == 'm' ? fth_tmpl_map(x->a, 0)
                              : fth_tmpl_bytes(x->a, "", 0);
            return *out ? 0 : oom(x);
        }
        return errorf(x, FTH_ETYPE, "invalid value; expected %s", sig_type(c));
    }
    if (c == 'a' || c == 'r' || c == 0) {
        *out = v.v;
        return 0;
    }
    if (v.v->type == FTH_VALUE_NULL && !fth_tmpl_ext_of(v.v)) {
        if (c == 'l' || c == 'm' || c == 'y') {
            /* a nil interface is not assignable to a slice or map either */
        }
        return errorf(x, FTH_ETYPE, "wrong type for value; expected %s; got interface {}",
                      sig_type(c));
    }
    if (!type_fits(v.v, c))
        return errorf(x, FTH_ETYPE, "wrong type for value; expected %s; got %s", sig_type(c),
                      fth_tmpl_type_name(v.v));
    *out = v.v;
    return 0;
}

static int is_hex_int(const char *s, size_t n)
{
    return n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !memchr(s, 'p', n) &&
           !memchr(s, 'P', n);
}

static int ideal_constant(struct fth_tmpl_exec *x, const struct tnode *n, struct val *out)
{
    at(x, n);
    out->iface = 0;
    if (n->is_float && !is_hex_int(n->text, n->len) && !n->is_char && strpbrk(n->text, ".eEpP")) {
        out->v = fth_tmpl_float(x->a, n->f);
    } else if (n->is_int) {
        out->v = fth_tmpl_int(x->a, n->i);
    } else {
        return errorf(x, FTH_EINVALID, "%s overflows int", n->text);
    }
    return out->v ? 0 : oom(x);
}

static int not_a_function(struct fth_tmpl_exec *x, struct args args, const struct val *final)
{
    if (args.n > 1 || final)
        return errorf(x, FTH_EINVALID, "can't give argument to non-function %s",
                      node_str(x, args.nodes[0]));
    return 0;
}

static int eval_field(struct fth_tmpl_exec *x, struct val dot, const char *name,
                      const struct tnode *node, struct args args, const struct val *final,
                      struct val recv, struct val *out)
{
    const struct fth_tmpl_ext *e;
    const char *typ;
    struct fth_value *fv;
    int has_args = args.n > 1 || final;
    (void)node;
    if (!recv.v) {
        if (x->root->opts.flags & FTH_TMPL_MISSING_ERROR)
            return errorf(x, FTH_EINVALID, "nil data; no entry for key \"%s\"", name);
        *out = INVALID;
        return 0;
    }
    typ = recv.iface ? "interface {}" : fth_tmpl_type_name(recv.v);
    e = fth_tmpl_ext_of(recv.v);
    if (recv.v->type == FTH_VALUE_NULL && !e)
        return errorf(x, FTH_EINVALID, "nil pointer evaluating %s.%s", typ, name);
    if (recv.v->type == FTH_VALUE_MAP) {
        fv = fth_tmpl_map_get(recv.v, name, strlen(name));
        if (fv && fth_tmpl_ext_of(fv) && fth_tmpl_ext_of(fv)->kind == FTH_TMPL_EXT_METHOD) {
            const struct fth_tmpl_ext *m = fth_tmpl_ext_of(fv);
            return eval_call(x, dot, m->method, m->data, node, name, args, final, out);
        }
        if (e && e->kind == FTH_TMPL_EXT_STRUCT) {
            if (fv) {
                if (has_args)
                    return errorf(x, FTH_EINVALID,
                                  "%s has arguments but cannot be invoked as function", name);
                out->v = fv;
                out->iface = 0;
                return 0;
            }
        } else if (!e) {
            if (has_args)
                return errorf(x, FTH_EINVALID, "%s is not a method but has arguments", name);
            if (fv) {
                out->v = fv;
                out->iface = 1;
                return 0;
            }
            if (x->root->opts.flags & FTH_TMPL_MISSING_ERROR)
                return errorf(x, FTH_EINVALID, "map has no entry for key \"%s\"", name);
            out->v = nil_value(x);
            out->iface = 1;
            return out->v ? 0 : oom(x);
        }
    }
    return errorf(x, FTH_EINVALID, "can't evaluate field %s in type %s", name, typ);
}

static int eval_field_chain(struct fth_tmpl_exec *x, struct val dot, struct val recv,
                            const struct tnode *node, const char *const *idents, size_t n,
                            struct args args, const struct val *final, struct val *out)
{
    size_t i;
    struct args none = {NULL, 0};
    int error;
    for (i = 0; i + 1 < n; i++) {
        if ((error = eval_field(x, dot, idents[i], node, none, NULL, recv, &recv)) < 0)
            return error;
    }
    return eval_field(x, dot, idents[n - 1], node, args, final, recv, out);
}

static int eval_field_node(struct fth_tmpl_exec *x, struct val dot, const struct tnode *field,
                           struct args args, const struct val *final, struct val *out)
{
    at(x, field);
    return eval_field_chain(x, dot, dot, field, field->idents, field->nidents, args, final, out);
}

static int eval_variable_node(struct fth_tmpl_exec *x, struct val dot, const struct tnode *var,
                              struct args args, const struct val *final, struct val *out)
{
    struct val v;
    int error;
    at(x, var);
    if ((error = var_value(x, var->idents[0], &v)) < 0)
        return error;
    if (var->nidents == 1) {
        if ((error = not_a_function(x, args, final)) < 0)
            return error;
        *out = v;
        return 0;
    }
    return eval_field_chain(x, dot, v, var, var->idents + 1, var->nidents - 1, args, final, out);
}

static int eval_function(struct fth_tmpl_exec *x, struct val dot, const struct tnode *ident,
                         const struct tnode *cmd, struct args args, const struct val *final,
                         struct val *out)
{
    const struct fth_tmpl_func *f;
    at(x, ident);
    f = ident->func; /* resolved when parsed: the set's functions do not change afterwards */
    if (!f || !f->fn)
        return errorf(x, FTH_EINVALID, "\"%s\" is not a defined function", ident->text);
    return eval_call(x, dot, f, NULL, cmd, ident->text, args, final, out);
}

static int eval_arg_val(struct fth_tmpl_exec *x, struct val dot, const struct tnode *n,
                        struct val *out);

static int eval_chain_node(struct fth_tmpl_exec *x, struct val dot, const struct tnode *chain,
                           struct args args, const struct val *final, struct val *out)
{
    struct val pipe;
    int error;
    at(x, chain);
    if (chain->sub->type == TN_NIL)
        return errorf(x, FTH_EINVALID, "indirection through explicit nil in %s",
                      node_str(x, chain));
    if ((error = eval_arg_val(x, dot, chain->sub, &pipe)) < 0)
        return error;
    return eval_field_chain(x, dot, pipe, chain, chain->idents, chain->nidents, args, final, out);
}

/* evalArg with no type (a chain's head): nodes that yield values. */
static int eval_arg_val(struct fth_tmpl_exec *x, struct val dot, const struct tnode *n,
                        struct val *out)
{
    struct args one = {(struct tnode **)&n, 1};
    struct args none = {NULL, 0};
    at(x, n);
    switch (n->type) {
    case TN_DOT:
        *out = dot;
        return 0;
    case TN_FIELD:
        return eval_field_node(x, dot, n, one, NULL, out);
    case TN_VARIABLE:
        return eval_variable_node(x, dot, n, none, NULL, out);
    case TN_PIPE: {
        int error = eval_pipeline(x, dot, n, out);
        return error;
    }
    case TN_IDENT:
        return eval_function(x, dot, n, n, none, NULL, out);
    case TN_CHAIN:
        return eval_chain_node(x, dot, n, none, NULL, out);
    case TN_BOOL:
        out->v = fth_tmpl_bool(x->a, n->boolean);
        out->iface = 0;
        return out->v ? 0 : oom(x);
    case TN_NUMBER:
        return ideal_constant(x, n, out);
    case TN_STRING:
        out->v = fth_tmpl_str(x->a, n->text, n->len);
        out->iface = 0;
        return out->v ? 0 : oom(x);
    case TN_NIL:
        *out = INVALID;
        return 0;
    default:
        return errorf(x, FTH_EINVALID, "can't handle %s", node_str(x, n));
    }
}

/* evalArg for a parameter of type c. */
static int eval_arg(struct fth_tmpl_exec *x, struct val dot, char c, const struct tnode *n,
                    struct fth_value **out)
{
    struct val v;
    int error;
    at(x, n);
    switch (n->type) {
    case TN_NIL:
        if (c == 'a' || c == 'r' || c == 'l' || c == 'm' || c == 'y')
            return validate(x, INVALID, c == 'r' ? 'a' : c, out);
        return errorf(x, FTH_ETYPE, "cannot assign nil to %s", sig_type(c));
    case TN_DOT:
    case TN_FIELD:
    case TN_VARIABLE:
    case TN_PIPE:
    case TN_IDENT:
    case TN_CHAIN:
        if ((error = eval_arg_val(x, dot, n, &v)) < 0)
            return error;
        return validate(x, v, c, out);
    default:
        break;
    }
    switch (c) {
    case 'b':
        if (n->type == TN_BOOL) {
            *out = fth_tmpl_bool(x->a, n->boolean);
            return *out ? 0 : oom(x);
        }
        return errorf(x, FTH_ETYPE, "expected bool; found %s", node_str(x, n));
    case 'f':
        if (n->type == TN_NUMBER && n->is_float) {
            *out = fth_tmpl_float(x->a, n->f);
            return *out ? 0 : oom(x);
        }
        return errorf(x, FTH_ETYPE, "expected float; found %s", node_str(x, n));
    case 'i':
    case 'I':
        if (n->type == TN_NUMBER && n->is_int) {
            *out = c == 'i' ? fth_tmpl_int(x->a, n->i) : fth_tmpl_int64(x->a, n->i);
            return *out ? 0 : oom(x);
        }
        return errorf(x, FTH_ETYPE, "expected integer; found %s", node_str(x, n));
    case 's':
        if (n->type == TN_STRING) {
            *out = fth_tmpl_str(x->a, n->text, n->len);
            return *out ? 0 : oom(x);
        }
        return errorf(x, FTH_ETYPE, "expected string; found %s", node_str(x, n));
    case 'a':
    case 'r':
        if ((error = eval_arg_val(x, dot, n, &v)) < 0)
            return error;
        *out = v.v;
        return 0;
    default:
        return errorf(x, FTH_ETYPE, "can't handle %s for arg of type %s", node_str(x, n),
                      sig_type(c));
    }
}

struct sig {
    const char *fixed; /* letters of the fixed parameters */
    size_t nfixed;
    char variadic; /* 0 when not variadic */
};

static void parse_sig(const char *s, struct sig *out)
{
    const char *star = s ? strchr(s, '*') : NULL;
    out->fixed = s ? s : "";
    if (star) {
        out->nfixed = (size_t)(star - s);
        out->variadic = star[1] ? star[1] : 'a';
    } else {
        out->nfixed = s ? strlen(s) : 0;
        out->variadic = 0;
    }
}

static int truth_of(const struct fth_value *v)
{
    return v && fth_tmpl_truth(v);
}

static int eval_call(struct fth_tmpl_exec *x, struct val dot, const struct fth_tmpl_func *f,
                     void *recv, const struct tnode *node, const char *name, struct args args,
                     const struct val *final, struct val *out)
{
    struct sig sg;
    size_t nargs = args.n ? args.n - 1 : 0, num_in = nargs + (final ? 1 : 0), i;
    struct tnode **an = args.n ? args.nodes + 1 : NULL;
    struct fth_value **argv;
    struct fth_tmpl_call call;
    struct fth_value *res = NULL;
    int error, lazy = f->sig && !strcmp(f->sig, TMPL_SIG_LAZY);

    if (lazy) {
        /* and/or/call: func(arg0 reflect.Value, args ...reflect.Value) */
        if (num_in < 1)
            return errorf(x, FTH_EINVALID, "wrong number of args for %s: want at least 1 got %zu",
                          name, nargs);
        if (strcmp(name, "call") != 0 && strcmp(f->name, "call") != 0) {
            int is_or = !strcmp(f->name, "or");
            struct val v = INVALID;
            for (i = 0; i < nargs; i++) {
                struct fth_value *av;
                struct tnode *n = an[i];
                at(x, n);
                if (n->type == TN_DOT || n->type == TN_FIELD || n->type == TN_VARIABLE ||
                    n->type == TN_PIPE || n->type == TN_IDENT || n->type == TN_CHAIN ||
                    n->type == TN_NIL) {
                    if ((error = eval_arg_val(x, dot, n, &v)) < 0)
                        return error;
                } else {
                    if ((error = eval_arg(x, dot, 'a', n, &av)) < 0)
                        return error;
                    v.v = av;
                    v.iface = 0;
                }
                if (truth_of(v.v) == is_or) {
                    *out = v;
                    return 0;
                }
            }
            if (final)
                v = *final;
            *out = v;
            return 0;
        }
        /* call FN ARGS...: FN must be a method value */
        {
            struct val fv = INVALID;
            const struct fth_tmpl_ext *e;
            struct args rest;
            if (nargs >= 1) {
                if ((error = eval_arg_val(x, dot, an[0], &fv)) < 0)
                    return error;
            } else {
                fv = *final;
            }
            e = fth_tmpl_ext_of(fv.v);
            if (!fv.v || (fv.v->type == FTH_VALUE_NULL && !e)) {
                at(x, node);
                return errorf(x, FTH_EINVALID, "error calling call: call of nil");
            }
            if (!e || e->kind != FTH_TMPL_EXT_METHOD) {
                at(x, node);
                return errorf(x, FTH_EINVALID, "error calling call: non-function %s of type %s",
                              nargs >= 1 ? node_str(x, an[0]) : "final",
                              fv.iface ? fth_tmpl_type_name(fv.v) : fth_tmpl_type_name(fv.v));
            }
            rest.nodes = args.nodes + 1;
            rest.n = args.n ? args.n - 1 : 0;
            return eval_call(x, dot, e->method, e->data, node, "call", rest, final, out);
        }
    }

    parse_sig(f->sig, &sg);
    if (sg.variadic) {
        if (num_in < sg.nfixed)
            return errorf(x, FTH_EINVALID, "wrong number of args for %s: want at least %zu got %zu",
                          name, sg.nfixed, nargs);
    } else if (num_in != sg.nfixed) {
        return errorf(x, FTH_EINVALID, "wrong number of args for %s: want %zu got %zu", name,
                      sg.nfixed, num_in);
    }
    argv = fth_arena_alloc(x->a, (num_in ? num_in : 1) * sizeof(*argv));
    if (!argv)
        return oom(x);
    for (i = 0; i < nargs; i++) {
        char c = i < sg.nfixed ? sg.fixed[i] : sg.variadic;
        if ((error = eval_arg(x, dot, c, an[i], &argv[i])) < 0)
            return error;
    }
    if (final) {
        char c = num_in - 1 < sg.nfixed ? sg.fixed[num_in - 1] : sg.variadic;
        if ((error = validate(x, *final, c, &argv[nargs])) < 0)
            return error;
    }
    memset(&call, 0, sizeof(call));
    call.exec = x;
    call.arena = x->a;
    call.func = f;
    call.recv = recv;
    call.user = x->root->opts.user;
    fth_buf_clear(&x->call_msg);
    error = f->fn(&res, &call, argv, num_in);
    if (x->failed)
        return x->code; /* a nested execution failed for good (limits, memory) */
    if (error < 0) {
        at(x, node);
        if (error == FTH_ENOMEM && !x->call_msg.len)
            return oom(x);
        return errorf(x, error == FTH_ELIMIT ? FTH_ELIMIT : FTH_EINVALID, "error calling %s: %s",
                      name, x->call_msg.ptr);
    }
    if (!res)
        res = nil_value(x);
    if (!res)
        return oom(x);
    out->v = res;
    out->iface = res->type == FTH_VALUE_NULL && !fth_tmpl_ext_of(res);
    return 0;
}

static int eval_command(struct fth_tmpl_exec *x, struct val dot, const struct tnode *cmd,
                        const struct val *final, struct val *out)
{
    const struct tnode *first = cmd->kids[0];
    struct args args = {cmd->kids, cmd->nkids};
    int error;
    switch (first->type) {
    case TN_FIELD:
        return eval_field_node(x, dot, first, args, final, out);
    case TN_CHAIN:
        return eval_chain_node(x, dot, first, args, final, out);
    case TN_IDENT:
        return eval_function(x, dot, first, cmd, args, final, out);
    case TN_PIPE:
        if ((error = not_a_function(x, args, final)) < 0)
            return error;
        return eval_pipeline(x, dot, first, out);
    case TN_VARIABLE:
        return eval_variable_node(x, dot, first, args, final, out);
    default:
        break;
    }
    at(x, first);
    if ((error = not_a_function(x, args, final)) < 0)
        return error;
    switch (first->type) {
    case TN_BOOL:
        out->v = fth_tmpl_bool(x->a, first->boolean);
        out->iface = 0;
        return out->v ? 0 : oom(x);
    case TN_DOT:
        *out = dot;
        return 0;
    case TN_NIL:
        return errorf(x, FTH_EINVALID, "nil is not a command");
    case TN_NUMBER:
        return ideal_constant(x, first, out);
    case TN_STRING:
        out->v = fth_tmpl_str(x->a, first->text, first->len);
        out->iface = 0;
        return out->v ? 0 : oom(x);
    default:
        return errorf(x, FTH_EINVALID, "can't evaluate command %s", node_str(x, first));
    }
}

static int eval_pipeline(struct fth_tmpl_exec *x, struct val dot, const struct tnode *pipe,
                         struct val *out)
{
    struct val v = INVALID;
    int have = 0, error;
    size_t i;
    if (!pipe) {
        *out = INVALID;
        return 0;
    }
    at(x, pipe);
    for (i = 0; i < pipe->nkids; i++) {
        struct val nv;
        if ((error = eval_command(x, dot, pipe->kids[i], have ? &v : NULL, &nv)) < 0)
            return error;
        v = nv;
        have = 1;
        /* an interface{} value is dug out: a nil interface becomes the invalid value */
        if (v.v && v.v->type == FTH_VALUE_NULL && !fth_tmpl_ext_of(v.v))
            v.v = NULL;
        v.iface = 0;
    }
    for (i = 0; i < pipe->ndecl; i++) {
        if (pipe->is_assign)
            error = set_var(x, pipe->decl[i]->idents[0], v);
        else
            error = push_var(x, pipe->decl[i]->idents[0], v);
        if (error < 0)
            return error;
    }
    *out = v;
    return 0;
}

static int print_value(struct fth_tmpl_exec *x, const struct tnode *n, struct val v)
{
    struct fth_buf b = FTH_BUF_INIT;
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v.v);
    int error;
    at(x, n);
    if (!v.v)
        return write_out(x, "<no value>", 10);
    if (e && e->kind == FTH_TMPL_EXT_METHOD)
        return errorf(x, FTH_EINVALID, "can't print %s of type %s", node_str(x, n), "func");
    if (v.v->type == FTH_VALUE_STRING && !(v.v->flags & FTH_TMPL_VALUE_BYTES) && !e)
        return write_out(x, v.v->u.str.ptr, v.v->u.str.len);
    if (fth_tmpl_fmt_value(&b, v.v) < 0) {
        fth_buf_release(&b);
        return oom(x);
    }
    error = write_out(x, b.ptr, b.len);
    fth_buf_release(&b);
    return error;
}

enum { WALK_OK = 0, WALK_BREAK = 1, WALK_CONTINUE = 2 };

static int one_iteration(struct fth_tmpl_exec *x, const struct tnode *r, struct val index,
                         struct val elem, size_t mark)
{
    const struct tnode *pipe = r->pipe;
    int error;
    if (++x->ranges > x->root->opts.max_range)
        return errorf(x, FTH_ELIMIT, "range iterations exceed %zu", x->root->opts.max_range);
    if (pipe->ndecl > 0) {
        if (pipe->is_assign) {
            error = set_var(x, pipe->decl[0]->idents[0], pipe->ndecl > 1 ? index : elem);
        } else {
            x->vars[x->nvars - 1].v = elem;
            error = 0;
        }
        if (error < 0)
            return error;
    }
    if (pipe->ndecl > 1) {
        if (pipe->is_assign) {
            if ((error = set_var(x, pipe->decl[1]->idents[0], elem)) < 0)
                return error;
        } else {
            x->vars[x->nvars - 2].v = index;
        }
    }
    error = walk(x, elem, r->list);
    x->nvars = mark;
    return error;
}

static int cmp_keys(const void *a, const void *b)
{
    const struct fth_member *x = a, *y = b;
    size_t n = x->key->u.str.len < y->key->u.str.len ? x->key->u.str.len : y->key->u.str.len;
    int c = memcmp(x->key->u.str.ptr, y->key->u.str.ptr, n);
    if (c)
        return c;
    return x->key->u.str.len < y->key->u.str.len ? -1 : x->key->u.str.len > y->key->u.str.len;
}

static int walk_range(struct fth_tmpl_exec *x, struct val dot, const struct tnode *r)
{
    size_t mark0 = x->nvars, mark, i;
    struct val v;
    int error = 0, ran = 0;
    at(x, r);
    if ((error = eval_pipeline(x, dot, r->pipe, &v)) < 0)
        goto out;
    mark = x->nvars;
    if (v.v && fth_tmpl_ext_of(v.v) && fth_tmpl_ext_of(v.v)->kind != FTH_TMPL_EXT_OPAQUE) {
        error = errorf(x, FTH_EINVALID, "range can't iterate over %s", val_str(x, v.v));
        goto out;
    }
    if (v.v) {
        switch (v.v->type) {
        case FTH_VALUE_SEQ:
            for (i = 0; i < v.v->u.seq.len; i++) {
                struct val idx = {fth_tmpl_int(x->a, (int64_t)i), 0};
                struct val el = {v.v->u.seq.items[i], 1};
                ran = 1;
                if (!idx.v) {
                    error = oom(x);
                    goto out;
                }
                error = one_iteration(x, r, idx, el, mark);
                if (error == WALK_BREAK)
                    break;
                if (error < 0)
                    goto out;
            }
            break;
        case FTH_VALUE_MAP: {
            struct fth_member *m;
            size_t n = v.v->u.map.len;
            if (!n)
                break;
            m = fth_arena_alloc(x->a, n * sizeof(*m));
            if (!m) {
                error = oom(x);
                goto out;
            }
            memcpy(m, v.v->u.map.items, n * sizeof(*m));
            qsort(m, n, sizeof(*m), cmp_keys);
            for (i = 0; i < n; i++) {
                struct val key = {m[i].key, 0};
                struct val el = {m[i].value, 1};
                if (tmpl_is_method(m[i].value))
                    continue; /* a method of a Go map type, not one of its entries */
                ran = 1;
                error = one_iteration(x, r, key, el, mark);
                if (error == WALK_BREAK)
                    break;
                if (error < 0)
                    goto out;
            }
            break;
        }
        case FTH_VALUE_INT: {
            int64_t k;
            if (r->pipe->ndecl > 1) {
                error =
                    errorf(x, FTH_EINVALID, "can't use %s to iterate over more than one variable",
                           val_str(x, v.v));
                goto out;
            }
            for (k = 0; k < v.v->u.integer; k++) {
                struct val iv = {fth_tmpl_int(x->a, k), 0};
                if (!iv.v) {
                    error = oom(x);
                    goto out;
                }
                if (v.v->flags & FTH_TMPL_VALUE_INT64)
                    iv.v->flags |= FTH_TMPL_VALUE_INT64;
                ran = 1;
                error = one_iteration(x, r, iv, iv, mark);
                if (error == WALK_BREAK)
                    break;
                if (error < 0)
                    goto out;
            }
            break;
        }
        case FTH_VALUE_NULL:
            break;
        default:
            error = errorf(x, FTH_EINVALID, "range can't iterate over %s", val_str(x, v.v));
            goto out;
        }
    }
    error = 0;
    if (!ran && r->elist)
        error = walk(x, dot, r->elist);
out:
    x->nvars = mark0;
    return error < 0 ? error : 0;
}

static int walk_template(struct fth_tmpl_exec *x, struct val dot, const struct tnode *t)
{
    const struct tentry *e;
    const struct tmpl_tree *saved = x->tmpl;
    size_t sbase = x->base, snvars = x->nvars;
    struct val nd;
    int error;
    at(x, t);
    e = lookup_tmpl(x->set, t->text);
    if (!e || !e->tree)
        return errorf(x, FTH_EINVALID, "template \"%s\" not defined", t->text);
    if (x->depth >= x->root->opts.max_depth)
        return errorf(x, FTH_ELIMIT, "exceeded maximum template depth (%zu)",
                      x->root->opts.max_depth);
    if ((error = eval_pipeline(x, dot, t->pipe, &nd)) < 0)
        return error;
    x->depth++;
    x->base = x->nvars;
    if ((error = push_var(x, "$", nd)) < 0)
        return error;
    x->tmpl = e->tree;
    error = walk(x, nd, e->tree->root);
    x->tmpl = saved;
    x->base = sbase;
    x->nvars = snvars;
    x->depth--;
    return error < 0 ? error : 0;
}

static int walk_if_with(struct fth_tmpl_exec *x, struct val dot, const struct tnode *n)
{
    size_t mark = x->nvars;
    struct val v;
    int error;
    if ((error = eval_pipeline(x, dot, n->pipe, &v)) < 0)
        return error;
    if (truth_of(v.v))
        error = walk(x, n->type == TN_WITH ? v : dot, n->list);
    else if (n->elist)
        error = walk(x, dot, n->elist);
    x->nvars = mark;
    return error;
}

static int walk(struct fth_tmpl_exec *x, struct val dot, const struct tnode *n)
{
    size_t i;
    int r;
    struct val v;
    if (!n)
        return 0;
    switch (n->type) {
    case TN_ACTION:
        if ((r = eval_pipeline(x, dot, n->pipe, &v)) < 0)
            return r;
        if (n->pipe->ndecl == 0)
            return print_value(x, n, v);
        return 0;
    case TN_BREAK:
        return WALK_BREAK;
    case TN_CONTINUE:
        return WALK_CONTINUE;
    case TN_IF:
    case TN_WITH:
        return walk_if_with(x, dot, n);
    case TN_LIST:
        for (i = 0; i < n->nkids; i++)
            if ((r = walk(x, dot, n->kids[i])) != 0)
                return r;
        return 0;
    case TN_RANGE:
        return walk_range(x, dot, n);
    case TN_TEMPLATE:
        return walk_template(x, dot, n);
    case TN_TEXT:
        return write_out(x, n->text, n->len);
    default:
        at(x, n);
        return errorf(x, FTH_EINVALID, "unknown node: %s", node_str(x, n));
    }
}

/* Run template `name` of x->set with dot into out; on error x->msg holds Go's text. */
static int run(struct fth_tmpl_exec *x, struct fth_buf *out, const char *name, struct val dot)
{
    const struct tentry *e = lookup_tmpl(x->set, name);
    struct fth_buf *sout = x->out;
    const struct tmpl_tree *stmpl = x->tmpl;
    const struct tnode *snode = x->node;
    size_t sbase = x->base, snvars = x->nvars;
    int error;
    if (!e) {
        fth_buf_clear(&x->msg);
        fth_buf_puts(&x->msg, "template: no template ");
        fth_tmpl_quote(&x->msg, name, strlen(name));
        fth_buf_puts(&x->msg, " associated with template ");
        fth_tmpl_quote(&x->msg, x->root->tpl_name, strlen(x->root->tpl_name));
        x->failed = 1;
        x->code = FTH_ENOTFOUND;
        return FTH_ENOTFOUND;
    }
    if (x->depth >= x->root->opts.max_depth) {
        x->node = NULL;
        x->tmpl = e->tree;
        return errorf(x, FTH_ELIMIT, "exceeded maximum template depth (%zu)",
                      x->root->opts.max_depth);
    }
    x->out = out;
    x->tmpl = e->tree;
    x->node = NULL;
    x->base = x->nvars;
    x->depth++;
    if (!e->tree || !e->tree->root) {
        error = errorf(x, FTH_EINVALID, "\"%s\" is an incomplete or empty template", name);
    } else if ((error = push_var(x, "$", dot)) == 0) {
        error = walk(x, dot, e->tree->root);
    }
    x->depth--;
    x->out = sout;
    x->tmpl = stmpl;
    x->node = snode;
    x->base = sbase;
    x->nvars = snvars;
    return error < 0 ? error : 0;
}

int fth_tmpl_execute(struct fth_buf *out, struct fth_tmpl_set *set, const char *name,
                     struct fth_value *dot, struct fth_arena *a, unsigned flags,
                     struct fth_error *err)
{
    return fth_tmpl_execute_full(out, NULL, set, name, dot, a, flags, err);
}

int fth_tmpl_execute_full(struct fth_buf *out, struct fth_buf *errtext, struct fth_tmpl_set *set,
                          const char *name, struct fth_value *dot, struct fth_arena *a,
                          unsigned flags, struct fth_error *err)
{
    struct fth_tmpl_exec x;
    struct val d = {dot, 0};
    size_t start = out->len;
    int error;
    memset(&x, 0, sizeof(x));
    x.set = set;
    x.root = set;
    x.a = a;
    x.flags = flags;
    fth_buf_init(&x.msg);
    fth_buf_init(&x.call_msg);
    error = run(&x, out, name, d);
    if (error < 0) {
        fth_error_set(err, error, "%s", x.msg.ptr);
        if (errtext)
            fth_buf_put(errtext, x.msg.ptr, x.msg.len);
        goto out;
    }
    if (flags & FTH_TMPL_STRIP_NO_VALUE) {
        /* Helm: strings.ReplaceAll(out, "<no value>", "") on what this call wrote */
        size_t r = start, w = start;
        while (r < out->len) {
            if (out->len - r >= 10 && !memcmp(out->ptr + r, "<no value>", 10)) {
                r += 10;
                continue;
            }
            out->ptr[w++] = out->ptr[r++];
        }
        out->len = w;
        out->ptr[w] = '\0';
    }
out:
    fth_buf_release(&x.msg);
    fth_buf_release(&x.call_msg);
    return error;
}

/* ---- the function interface ---- */

int fth_tmpl_fail(struct fth_tmpl_call *call, const char *fmt, ...)
{
    struct fth_buf b = FTH_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    fth_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    fth_buf_clear(&call->exec->call_msg);
    fth_buf_put(&call->exec->call_msg, b.ptr, b.len);
    fth_buf_release(&b);
    return FTH_EINVALID;
}

const char *fth_tmpl_call_error(const struct fth_tmpl_call *call)
{
    return call->exec->call_msg.ptr;
}

/* A nested execution failed: keep its text as the call's error, or give up for good when it
 * hit a limit or ran out of memory (those stop the whole execution). */
static int nested_failure(struct fth_tmpl_exec *x, int error)
{
    fth_buf_clear(&x->call_msg);
    fth_buf_put(&x->call_msg, x->msg.ptr, x->msg.len);
    if (error == FTH_ELIMIT || error == FTH_ENOMEM) {
        /* x->failed stays set: eval_call passes the nested message on as is */
        return error;
    }
    x->failed = 0;
    fth_buf_clear(&x->msg);
    return error;
}

int fth_tmpl_call_template(struct fth_buf *out, struct fth_tmpl_call *call, const char *name,
                           struct fth_value *dot)
{
    struct fth_tmpl_exec *x = call->exec;
    struct val d = {dot, 0};
    int error;
    if (dot && dot->type == FTH_VALUE_NULL && !fth_tmpl_ext_of(dot))
        d.v = NULL;
    error = run(x, out, name, d);
    if (error < 0)
        return nested_failure(x, error);
    return 0;
}

int fth_tmpl_call_text(struct fth_buf *out, struct fth_tmpl_call *call, const char *name,
                       const char *text, size_t len, struct fth_value *dot, int *parse_failed)
{
    struct fth_tmpl_exec *x = call->exec;
    struct fth_tmpl_set *overlay, *saved = x->set;
    struct fth_error perr;
    struct val d = {dot, 0};
    int error;
    if (parse_failed)
        *parse_failed = 0;
    overlay = fth_arena_alloc(x->a, sizeof(*overlay));
    if (!overlay)
        return FTH_ENOMEM;
    overlay->arena = x->a;
    overlay->opts = x->root->opts;
    overlay->tpl_name = x->root->tpl_name;
    overlay->parent = x->set;
    fth_error_clear(&perr);
    if ((error = parse_into(overlay, x->a, name, text, len, &perr)) < 0) {
        if (parse_failed)
            *parse_failed = 1;
        fth_buf_clear(&x->call_msg);
        fth_buf_puts(&x->call_msg, perr.message);
        return error;
    }
    if (dot && dot->type == FTH_VALUE_NULL && !fth_tmpl_ext_of(dot))
        d.v = NULL;
    x->set = overlay;
    error = run(x, out, name, d);
    x->set = saved;
    if (error < 0)
        return nested_failure(x, error);
    return 0;
}

/* ---- Helm's include counter ---- */

int tmpl_exec_include_enter(struct fth_tmpl_exec *x, const char *name, size_t limit)
{
    struct incl *i;
    for (i = x->incl; i; i = i->next)
        if (!strcmp(i->name, name))
            break;
    if (!i) {
        i = fth_arena_alloc(x->a, sizeof(*i));
        if (!i)
            return FTH_ENOMEM;
        i->name = fth_arena_strdup(x->a, name);
        if (!i->name)
            return FTH_ENOMEM;
        i->next = x->incl;
        x->incl = i;
    } else if (i->count > limit) {
        return FTH_ELIMIT;
    }
    i->count++;
    return 0;
}

void tmpl_exec_include_leave(struct fth_tmpl_exec *x, const char *name)
{
    struct incl *i;
    for (i = x->incl; i; i = i->next)
        if (!strcmp(i->name, name)) {
            if (i->count)
                i->count--;
            return;
        }
}

const char *tmpl_tpl_name(const struct fth_tmpl_exec *x)
{
    return x->root->tpl_name;
}
