/*
 * Sprig's reflection functions: Go type names as %T prints them, reflect kinds, DeepEqual.
 * Lists Sprig builds as []string ([]int for until) are []interface{} here, so typeOf says
 * "[]interface {}" for them.
 */
#include <string.h>

#include "../base/banned.h"
#include "sprig_int.h"

static const char *type_of(const struct fth_value *v)
{
    return sprig_is_nil(v) ? "<nil>" : fth_tmpl_type_name(v);
}

SPRIG_FN(f_type_of)
{
    const char *t = type_of(args[0]);
    SPRIG_UNUSED;
    return sprig_ret_str(out, call, t, strlen(t));
}

SPRIG_FN(f_type_is)
{
    SPRIG_UNUSED;
    return sprig_ret(
        out, fth_tmpl_bool(call->arena, !strcmp(args[0]->u.str.ptr, type_of(args[1])) &&
                                            strlen(type_of(args[1])) == args[0]->u.str.len));
}

SPRIG_FN(f_type_is_like)
{
    const char *t = type_of(args[1]), *want = args[0]->u.str.ptr;
    size_t wl = args[0]->u.str.len;
    int r = (strlen(t) == wl && !strcmp(t, want)) ||
            (t[0] == '*' && strlen(t + 1) == wl && !strcmp(t + 1, want));
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_bool(call->arena, r));
}

SPRIG_FN(f_kind_of)
{
    const char *k = sprig_kind_name(args[0]);
    SPRIG_UNUSED;
    return sprig_ret_str(out, call, k, strlen(k));
}

SPRIG_FN(f_kind_is)
{
    const char *k = sprig_kind_name(args[1]);
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_bool(call->arena, strlen(k) == args[0]->u.str.len &&
                                                         !strcmp(k, args[0]->u.str.ptr)));
}

SPRIG_FN(f_deep_equal)
{
    SPRIG_UNUSED;
    return sprig_ret(out, fth_tmpl_bool(call->arena, sprig_deep_equal(args[0], args[1])));
}

const struct fth_tmpl_func tmpl_sprig_reflect[] = {
    {"typeOf", "a", f_type_of, NULL},
    {"typeIs", "sa", f_type_is, NULL},
    {"typeIsLike", "sa", f_type_is_like, NULL},
    {"kindOf", "a", f_kind_of, NULL},
    {"kindIs", "sa", f_kind_is, NULL},
    {"deepEqual", "aa", f_deep_equal, NULL},
    {NULL, NULL, NULL, NULL},
};
