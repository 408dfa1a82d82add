/*
 * Sprig's getHostByName. Fathom renders offline and never resolves names, so the Sprig
 * function fails with a clear error; Helm's engine replaces it (helm_funcs.c returns "" as
 * `helm template` does without --enable-dns).
 */
#include "../base/banned.h"
#include "sprig_int.h"

SPRIG_FN(f_get_host_by_name)
{
    SPRIG_UNUSED;
    (void)out;
    return fth_tmpl_fail(call,
                         "getHostByName '%s': name resolution is disabled (offline rendering)",
                         args[0]->u.str.ptr);
}

const struct fth_tmpl_func tmpl_sprig_network[] = {
    {"getHostByName", "s", f_get_host_by_name, NULL},
    {NULL, NULL, NULL, NULL},
};
