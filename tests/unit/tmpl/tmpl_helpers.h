/* Shared by the tmpl unit tests: render a template text with a dot given as YAML. */
#ifndef TMPL_TEST_HELPERS_H
#define TMPL_TEST_HELPERS_H

#include <string.h>

#include "fathom/tmpl.h"

/* YAML numbers become float64 as in Helm, unless ints is set (ints stay Go ints). */
static struct fth_value *to_float(struct fth_arena *a, struct fth_value *v, int depth)
{
    size_t i;
    if (!v || depth > 100)
        return v;
    if (v->type == FTH_VALUE_INT)
        return fth_tmpl_float(a, (double)v->u.integer);
    if (v->type == FTH_VALUE_SEQ)
        for (i = 0; i < v->u.seq.len; i++)
            v->u.seq.items[i] = to_float(a, v->u.seq.items[i], depth + 1);
    if (v->type == FTH_VALUE_MAP)
        for (i = 0; i < v->u.map.len; i++)
            v->u.map.items[i].value = to_float(a, v->u.map.items[i].value, depth + 1);
    return v;
}

/*
 * Parse `text` as template "t" (plus optional extra named texts), execute it with the YAML
 * dot and return the output, or "ERR: <message>" on failure. The result lives in a.
 */
static const char *render_opts(struct fth_arena *a, const char *text, const char *dot_yaml,
                               unsigned set_flags, unsigned exec_flags)
{
    struct fth_tmpl_opts opts = FTH_TMPL_OPTS_INIT;
    struct fth_tmpl_set *set = NULL;
    struct fth_error err;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_value *dot = NULL;
    const char *res;
    fth_error_clear(&err);
    opts.flags = set_flags;
    if (dot_yaml) {
        if (fth_value_load_one(&dot, a, dot_yaml, strlen(dot_yaml), NULL, &err) < 0)
            return fth_arena_printf(a, "YAML: %s", err.message);
        dot = to_float(a, dot, 0);
    }
    if (fth_tmpl_set_new(&set, &opts, &err) < 0)
        return fth_arena_printf(a, "SET: %s", err.message);
    if (fth_tmpl_parse(set, "t", text, strlen(text), &err) < 0) {
        res = fth_arena_printf(a, "ERR: %s", err.message);
        goto out;
    }
    if (fth_tmpl_execute(&out, set, "t", dot, a, exec_flags, &err) < 0) {
        res = fth_arena_printf(a, "ERR: %s", err.message);
        goto out;
    }
    res = fth_arena_strndup(a, out.ptr, out.len);
out:
    fth_buf_release(&out);
    fth_tmpl_set_free(set);
    return res;
}

static const char *render(struct fth_arena *a, const char *text, const char *dot_yaml)
{
    return render_opts(a, text, dot_yaml, FTH_TMPL_HELM, 0);
}

/* Go's text/template alone: its builtins, which Sprig partly replaces (slice). */
#define EXPECT_GO(text, dot, want)                                                                 \
    do {                                                                                           \
        const char *got_ = render_opts(A, (text), (dot), FTH_TMPL_GO_ONLY, 0);                     \
        if (strcmp(got_, (want)))                                                                  \
            fail_msg("template %s\n  want: '%s'\n  got:  '%s'", (text), (want), got_);             \
    } while (0)

#define EXPECT(text, dot, want)                                                                    \
    do {                                                                                           \
        const char *got_ = render(A, (text), (dot));                                               \
        if (strcmp(got_, (want)))                                                                  \
            fail_msg("template %s\n  want: '%s'\n  got:  '%s'", (text), (want), got_);             \
    } while (0)

#endif
