/*
 * Sprig's path functions: Go's path.Base/Dir/Clean/Ext/IsAbs, and the filepath ones, which on
 * Linux (the only platform Fathom renders on) are the same with '/' as the separator.
 */
#include <string.h>

#include "../base/banned.h"
#include "sprig_int.h"

/* path.Clean: lexical processing of ".", ".." and repeated slashes (never longer than p) */
static int clean(struct fth_buf *out, const char *p, size_t n)
{
    size_t r = 0, dotdot = 0, w = 0;
    int rooted, error;
    char *o;
    if (n == 0)
        return fth_buf_putc(out, '.');
    if ((error = fth_buf_grow(out, n + 2)) < 0)
        return error;
    o = out->ptr + out->len;
    rooted = p[0] == '/';
    if (rooted) {
        o[w++] = '/';
        r = dotdot = 1;
    }
    while (r < n) {
        if (p[r] == '/') {
            r++;
        } else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
            r++;
        } else if (p[r] == '.' && r + 1 < n && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
            r += 2;
            if (w > dotdot) {
                w--;
                while (w > dotdot && o[w] != '/')
                    w--;
            } else if (!rooted) {
                if (w > 0)
                    o[w++] = '/';
                o[w++] = '.';
                o[w++] = '.';
                dotdot = w;
            }
        } else {
            if ((rooted && w != 1) || (!rooted && w != 0))
                o[w++] = '/';
            for (; r < n && p[r] != '/'; r++)
                o[w++] = p[r];
        }
    }
    if (w == 0)
        o[w++] = '.';
    out->len += w;
    out->ptr[out->len] = 0;
    return 0;
}

SPRIG_FN(f_clean)
{
    struct fth_buf b = FTH_BUF_INIT;
    SPRIG_UNUSED;
    return sprig_ret_buf(out, call, &b, clean(&b, args[0]->u.str.ptr, args[0]->u.str.len));
}

SPRIG_FN(f_base)
{
    const char *p = args[0]->u.str.ptr;
    size_t n = args[0]->u.str.len, i;
    SPRIG_UNUSED;
    if (n == 0)
        return sprig_ret_str(out, call, ".", 1);
    while (n > 0 && p[n - 1] == '/')
        n--;
    if (n == 0)
        return sprig_ret_str(out, call, "/", 1);
    for (i = n; i > 0 && p[i - 1] != '/'; i--)
        ;
    return sprig_ret_str(out, call, p + i, n - i);
}

SPRIG_FN(f_dir)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *p = args[0]->u.str.ptr;
    size_t n = args[0]->u.str.len, i;
    SPRIG_UNUSED;
    for (i = n; i > 0 && p[i - 1] != '/'; i--)
        ;
    return sprig_ret_buf(out, call, &b, clean(&b, p, i));
}

SPRIG_FN(f_ext)
{
    const char *p = args[0]->u.str.ptr;
    size_t n = args[0]->u.str.len, i;
    SPRIG_UNUSED;
    for (i = n; i > 0 && p[i - 1] != '/'; i--)
        if (p[i - 1] == '.')
            return sprig_ret_str(out, call, p + i - 1, n - i + 1);
    return sprig_ret_str(out, call, "", 0);
}

SPRIG_FN(f_is_abs)
{
    SPRIG_UNUSED;
    return sprig_ret(
        out, fth_tmpl_bool(call->arena, args[0]->u.str.len > 0 && args[0]->u.str.ptr[0] == '/'));
}

const struct fth_tmpl_func tmpl_sprig_paths[] = {
    {"base", "s", f_base, NULL},      {"dir", "s", f_dir, NULL},      {"clean", "s", f_clean, NULL},
    {"ext", "s", f_ext, NULL},        {"isAbs", "s", f_is_abs, NULL}, {"osBase", "s", f_base, NULL},
    {"osClean", "s", f_clean, NULL},  {"osDir", "s", f_dir, NULL},    {"osExt", "s", f_ext, NULL},
    {"osIsAbs", "s", f_is_abs, NULL}, {NULL, NULL, NULL, NULL},
};
