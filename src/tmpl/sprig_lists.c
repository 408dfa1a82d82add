/*
 * Sprig's list functions (list.go): they take any Go slice through reflect and return new
 * []interface{} slices, never changing the one given. A non-slice is Sprig's error ("Cannot
 * push on type string"); the non-must forms panic with the same error, which text/template
 * reports the same way. nil is a nil-pointer panic, as reflect.TypeOf(nil).Kind() is in Go.
 */
#include <math.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "sprig_int.h"

/* The items of a slice ([]byte items are numbers). */
static int items_of(struct fth_tmpl_call *call, struct fth_value *v, struct fth_value ***items,
                    size_t *n)
{
    size_t i;
    if (v->type == FTH_VALUE_SEQ) {
        *items = v->u.seq.items;
        *n = v->u.seq.len;
        return 0;
    }
    *n = v->u.str.len;
    if (!(*items = fth_arena_calloc(call->arena, *n ? *n : 1, sizeof(**items))))
        return FTH_ENOMEM;
    for (i = 0; i < *n; i++)
        if (!((*items)[i] = fth_tmpl_int(call->arena, (unsigned char)v->u.str.ptr[i])))
            return FTH_ENOMEM;
    return 0;
}

/* Check the list argument: 0 when it is a slice, else the error of `what`. */
static int need_list(struct fth_tmpl_call *call, const struct fth_value *v, const char *what)
{
    if (sprig_is_nil(v))
        return sprig_nil_panic(call);
    if (!sprig_is_list(v))
        return fth_tmpl_fail(call, what, sprig_kind_name(v));
    return 0;
}

static int new_seq(struct fth_tmpl_call *call, struct fth_value **seq, size_t cap)
{
    *seq = fth_tmpl_seq(call->arena, cap);
    return *seq ? 0 : FTH_ENOMEM;
}

static int push_item(struct fth_tmpl_call *call, struct fth_value *seq, struct fth_value *v)
{
    if (!v && !(v = fth_tmpl_null(call->arena)))
        return FTH_ENOMEM;
    return fth_tmpl_seq_push(call->arena, seq, v);
}

SPRIG_FN(f_list)
{
    struct fth_value *r;
    size_t i;
    int error;
    if ((error = new_seq(call, &r, argc)) < 0)
        return error;
    for (i = 0; i < argc; i++)
        if ((error = push_item(call, r, args[i])) < 0)
            return error;
    *out = r;
    return 0;
}

SPRIG_FN(f_push)
{
    struct fth_value **it, *r;
    size_t n, i;
    int error;
    SPRIG_UNUSED;
    if ((error = need_list(call, args[0], "Cannot push on type %s")) < 0 ||
        (error = items_of(call, args[0], &it, &n)) < 0 || (error = new_seq(call, &r, n + 1)) < 0)
        return error;
    for (i = 0; i < n; i++)
        if ((error = push_item(call, r, it[i])) < 0)
            return error;
    if ((error = push_item(call, r, args[1])) < 0)
        return error;
    *out = r;
    return 0;
}

SPRIG_FN(f_prepend)
{
    struct fth_value **it, *r;
    size_t n, i;
    int error;
    SPRIG_UNUSED;
    if ((error = need_list(call, args[0], "Cannot prepend on type %s")) < 0 ||
        (error = items_of(call, args[0], &it, &n)) < 0 || (error = new_seq(call, &r, n + 1)) < 0)
        return error;
    if ((error = push_item(call, r, args[1])) < 0)
        return error;
    for (i = 0; i < n; i++)
        if ((error = push_item(call, r, it[i])) < 0)
            return error;
    *out = r;
    return 0;
}

static int pick_end(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *l,
                    const char *what, int last)
{
    struct fth_value **it;
    size_t n;
    int error;
    if ((error = need_list(call, l, what)) < 0 || (error = items_of(call, l, &it, &n)) < 0)
        return error;
    if (n == 0)
        return sprig_ret(out, fth_tmpl_null(call->arena));
    return sprig_ret(out, sprig_item(call, it[last ? n - 1 : 0]));
}

SPRIG_FN(f_first)
{
    SPRIG_UNUSED;
    return pick_end(out, call, args[0], "Cannot find first on type %s", 0);
}

SPRIG_FN(f_last)
{
    SPRIG_UNUSED;
    return pick_end(out, call, args[0], "Cannot find last on type %s", 1);
}

/* the list without its first or last item */
static int sub_list(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *l,
                    const char *what, int drop_first)
{
    struct fth_value **it, *r;
    size_t n, i;
    int error;
    if ((error = need_list(call, l, what)) < 0 || (error = items_of(call, l, &it, &n)) < 0)
        return error;
    /* an empty list gives a nil []interface{}: it prints as [] */
    if ((error = new_seq(call, &r, n ? n - 1 : 0)) < 0 || n == 0) {
        *out = r;
        return error;
    }
    for (i = drop_first ? 1 : 0; i < (drop_first ? n : n - 1); i++)
        if ((error = push_item(call, r, it[i])) < 0)
            return error;
    *out = r;
    return 0;
}

SPRIG_FN(f_rest)
{
    SPRIG_UNUSED;
    return sub_list(out, call, args[0], "Cannot find rest on type %s", 1);
}

SPRIG_FN(f_initial)
{
    SPRIG_UNUSED;
    return sub_list(out, call, args[0], "Cannot find initial on type %s", 0);
}

SPRIG_FN(f_reverse)
{
    struct fth_value **it, *r;
    size_t n, i;
    int error;
    SPRIG_UNUSED;
    if ((error = need_list(call, args[0], "Cannot find reverse on type %s")) < 0 ||
        (error = items_of(call, args[0], &it, &n)) < 0 || (error = new_seq(call, &r, n)) < 0)
        return error;
    for (i = n; i-- > 0;)
        if ((error = push_item(call, r, it[i])) < 0)
            return error;
    *out = r;
    return 0;
}

static int in_list(struct fth_value *const *hay, size_t n, const struct fth_value *needle)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (sprig_deep_equal(needle, hay[i]))
            return 1;
    return 0;
}

SPRIG_FN(f_uniq)
{
    struct fth_value **it, *r;
    size_t n, i;
    int error;
    SPRIG_UNUSED;
    if ((error = need_list(call, args[0], "Cannot find uniq on type %s")) < 0 ||
        (error = items_of(call, args[0], &it, &n)) < 0 || (error = new_seq(call, &r, 4)) < 0)
        return error;
    for (i = 0; i < n; i++)
        if (!in_list(r->u.seq.items, r->u.seq.len, it[i]) &&
            (error = push_item(call, r, it[i])) < 0)
            return error;
    *out = r;
    return 0;
}

SPRIG_FN(f_without)
{
    struct fth_value **it, *r;
    size_t n, i;
    int error;
    if ((error = need_list(call, args[0], "Cannot find without on type %s")) < 0 ||
        (error = items_of(call, args[0], &it, &n)) < 0 || (error = new_seq(call, &r, 4)) < 0)
        return error;
    for (i = 0; i < n; i++)
        if (!in_list(args + 1, argc - 1, it[i]) && (error = push_item(call, r, it[i])) < 0)
            return error;
    *out = r;
    return 0;
}

SPRIG_FN(f_has)
{
    struct fth_value **it;
    size_t n;
    int error;
    SPRIG_UNUSED;
    if (sprig_is_nil(args[1]))
        return sprig_ret(out, fth_tmpl_bool(call->arena, 0));
    if ((error = need_list(call, args[1], "Cannot find has on type %s")) < 0 ||
        (error = items_of(call, args[1], &it, &n)) < 0)
        return error;
    return sprig_ret(out, fth_tmpl_bool(call->arena, in_list(it, n, args[0])));
}

/* reflect.Value.Slice(start, end) of a list; []byte stays []byte */
SPRIG_FN(f_slice)
{
    struct fth_value *l = args[0], **it, *r;
    int64_t start = 0, end, cap;
    size_t n, i;
    int error;
    if ((error = need_list(call, l, "list should be type of slice or array but %s")) < 0 ||
        (error = items_of(call, l, &it, &n)) < 0)
        return error;
    if (n == 0)
        return sprig_ret(out, fth_tmpl_null(call->arena));
    cap = (int64_t)n;
    if (argc > 1)
        start = sprig_to_int64(args[1]);
    end = argc > 2 ? sprig_to_int64(args[2]) : cap;
    if (start < 0 || end < start || end > cap)
        return fth_tmpl_fail(call, "reflect.Value.Slice: slice index out of bounds");
    if (l->type == FTH_VALUE_STRING)
        return sprig_ret(out,
                         fth_tmpl_bytes(call->arena, l->u.str.ptr + start, (size_t)(end - start)));
    if ((error = new_seq(call, &r, (size_t)(end - start))) < 0)
        return error;
    for (i = (size_t)start; i < (size_t)end; i++)
        if ((error = push_item(call, r, it[i])) < 0)
            return error;
    *out = r;
    return 0;
}

SPRIG_FN(f_concat)
{
    struct fth_value *r = NULL, **it;
    size_t i, j, n;
    int error;
    for (i = 0; i < argc; i++) {
        if ((error = need_list(call, args[i], "Cannot concat type %s as list")) < 0 ||
            (error = items_of(call, args[i], &it, &n)) < 0)
            return error;
        for (j = 0; j < n; j++) {
            if (!r && (error = new_seq(call, &r, n)) < 0)
                return error;
            if ((error = push_item(call, r, it[j])) < 0)
                return error;
        }
    }
    /* a Go nil []interface{} when nothing was appended: it prints as [] */
    if (!r && (error = new_seq(call, &r, 0)) < 0)
        return error;
    *out = r;
    return 0;
}

SPRIG_FN(f_chunk)
{
    int64_t size = args[0]->u.integer, k, j;
    struct fth_value **it, *r;
    size_t n;
    double csf;
    int64_t cs;
    int error;
    SPRIG_UNUSED;
    if ((error = need_list(call, args[1], "Cannot chunk type %s")) < 0 ||
        (error = items_of(call, args[1], &it, &n)) < 0)
        return error;
    csf = floor(((double)n - 1) / (double)size) + 1;
    cs = sprig_f2i(csf);
    if (cs < 0 || (uint64_t)cs > FTH_LIMIT_TMPL_SEQ)
        return fth_tmpl_fail(call, "runtime error: makeslice: len out of range");
    if ((error = new_seq(call, &r, (size_t)cs)) < 0)
        return error;
    for (k = 0; k < cs; k++) {
        int64_t clen = size;
        struct fth_value *c;
        if (k == cs - 1) {
            clen = sprig_f2i(floor(fmod((double)n, (double)size)));
            if (clen == 0)
                clen = size;
        }
        if (clen < 0)
            return fth_tmpl_fail(call, "runtime error: makeslice: len out of range");
        if ((error = new_seq(call, &c, (size_t)clen)) < 0)
            return error;
        for (j = 0; j < clen; j++) {
            int64_t ix = k * size + j;
            if (ix < 0 || (uint64_t)ix >= n)
                return fth_tmpl_fail(call, "reflect: slice index out of range");
            if ((error = push_item(call, c, it[ix])) < 0)
                return error;
        }
        if ((error = fth_tmpl_seq_push(call->arena, r, c)) < 0)
            return error;
    }
    *out = r;
    return 0;
}

SPRIG_FN(f_compact_list)
{
    struct fth_value **it, *r;
    size_t n, i;
    int error;
    SPRIG_UNUSED;
    if ((error = need_list(call, args[0], "Cannot compact on type %s")) < 0 ||
        (error = items_of(call, args[0], &it, &n)) < 0 || (error = new_seq(call, &r, 4)) < 0)
        return error;
    for (i = 0; i < n; i++)
        if (!sprig_empty(it[i]) && (error = push_item(call, r, it[i])) < 0)
            return error;
    *out = r;
    return 0;
}

const struct fth_tmpl_func tmpl_sprig_lists[] = {
    {"list", "*a", f_list, NULL},
    {"tuple", "*a", f_list, NULL},
    {"append", "aa", f_push, NULL},
    {"push", "aa", f_push, NULL},
    {"mustAppend", "aa", f_push, NULL},
    {"mustPush", "aa", f_push, NULL},
    {"prepend", "aa", f_prepend, NULL},
    {"mustPrepend", "aa", f_prepend, NULL},
    {"first", "a", f_first, NULL},
    {"mustFirst", "a", f_first, NULL},
    {"rest", "a", f_rest, NULL},
    {"mustRest", "a", f_rest, NULL},
    {"last", "a", f_last, NULL},
    {"mustLast", "a", f_last, NULL},
    {"initial", "a", f_initial, NULL},
    {"mustInitial", "a", f_initial, NULL},
    {"reverse", "a", f_reverse, NULL},
    {"mustReverse", "a", f_reverse, NULL},
    {"uniq", "a", f_uniq, NULL},
    {"mustUniq", "a", f_uniq, NULL},
    {"without", "a*a", f_without, NULL},
    {"mustWithout", "a*a", f_without, NULL},
    {"has", "aa", f_has, NULL},
    {"mustHas", "aa", f_has, NULL},
    {"slice", "a*a", f_slice, NULL},
    {"mustSlice", "a*a", f_slice, NULL},
    {"concat", "*a", f_concat, NULL},
    {"chunk", "ia", f_chunk, NULL},
    {"mustChunk", "ia", f_chunk, NULL},
    {"compact", "a", f_compact_list, NULL},
    {"mustCompact", "a", f_compact_list, NULL},
    {NULL, NULL, NULL, NULL},
};
