/*
 * The function registry: Go's builtins, the Sprig families whose files exist, Helm's
 * functions. A Sprig family file src/tmpl/sprig_<f>.c defines tmpl_sprig_<f>[] (see
 * TMPL_SPRIG_FAMILIES in tmpl_int.h); it is listed here when the file is present.
 */
#include "../base/banned.h"
#include "tmpl_int.h"

int tmpl_registry_add(struct fth_tmpl_set *set, int helm, struct fth_error *err);

#if defined(__has_include)
#if __has_include("sprig_strings.c")
extern const struct fth_tmpl_func tmpl_sprig_strings[];
#define HAVE_SPRIG_strings 1
#endif
#if __has_include("sprig_lists.c")
extern const struct fth_tmpl_func tmpl_sprig_lists[];
#define HAVE_SPRIG_lists 1
#endif
#if __has_include("sprig_dicts.c")
extern const struct fth_tmpl_func tmpl_sprig_dicts[];
#define HAVE_SPRIG_dicts 1
#endif
#if __has_include("sprig_math.c")
extern const struct fth_tmpl_func tmpl_sprig_math[];
#define HAVE_SPRIG_math 1
#endif
#if __has_include("sprig_conv.c")
extern const struct fth_tmpl_func tmpl_sprig_conv[];
#define HAVE_SPRIG_conv 1
#endif
#if __has_include("sprig_defaults.c")
extern const struct fth_tmpl_func tmpl_sprig_defaults[];
#define HAVE_SPRIG_defaults 1
#endif
#if __has_include("sprig_encoding.c")
extern const struct fth_tmpl_func tmpl_sprig_encoding[];
#define HAVE_SPRIG_encoding 1
#endif
#if __has_include("sprig_crypto.c")
extern const struct fth_tmpl_func tmpl_sprig_crypto[];
#define HAVE_SPRIG_crypto 1
#endif
#if __has_include("sprig_regex.c")
extern const struct fth_tmpl_func tmpl_sprig_regex[];
#define HAVE_SPRIG_regex 1
#endif
#if __has_include("sprig_semver.c")
extern const struct fth_tmpl_func tmpl_sprig_semver[];
#define HAVE_SPRIG_semver 1
#endif
#if __has_include("sprig_dates.c")
extern const struct fth_tmpl_func tmpl_sprig_dates[];
#define HAVE_SPRIG_dates 1
#endif
#if __has_include("sprig_paths.c")
extern const struct fth_tmpl_func tmpl_sprig_paths[];
#define HAVE_SPRIG_paths 1
#endif
#if __has_include("sprig_reflect.c")
extern const struct fth_tmpl_func tmpl_sprig_reflect[];
#define HAVE_SPRIG_reflect 1
#endif
#if __has_include("sprig_network.c")
extern const struct fth_tmpl_func tmpl_sprig_network[];
#define HAVE_SPRIG_network 1
#endif
#if __has_include("sprig_misc.c")
extern const struct fth_tmpl_func tmpl_sprig_misc[];
#define HAVE_SPRIG_misc 1
#endif
#endif

int tmpl_registry_add(struct fth_tmpl_set *set, int helm, struct fth_error *err)
{
    const struct fth_tmpl_func *tables[] = {
#ifdef HAVE_SPRIG_strings
        tmpl_sprig_strings,
#endif
#ifdef HAVE_SPRIG_lists
        tmpl_sprig_lists,
#endif
#ifdef HAVE_SPRIG_dicts
        tmpl_sprig_dicts,
#endif
#ifdef HAVE_SPRIG_math
        tmpl_sprig_math,
#endif
#ifdef HAVE_SPRIG_conv
        tmpl_sprig_conv,
#endif
#ifdef HAVE_SPRIG_defaults
        tmpl_sprig_defaults,
#endif
#ifdef HAVE_SPRIG_encoding
        tmpl_sprig_encoding,
#endif
#ifdef HAVE_SPRIG_crypto
        tmpl_sprig_crypto,
#endif
#ifdef HAVE_SPRIG_regex
        tmpl_sprig_regex,
#endif
#ifdef HAVE_SPRIG_semver
        tmpl_sprig_semver,
#endif
#ifdef HAVE_SPRIG_dates
        tmpl_sprig_dates,
#endif
#ifdef HAVE_SPRIG_paths
        tmpl_sprig_paths,
#endif
#ifdef HAVE_SPRIG_reflect
        tmpl_sprig_reflect,
#endif
#ifdef HAVE_SPRIG_network
        tmpl_sprig_network,
#endif
#ifdef HAVE_SPRIG_misc
        tmpl_sprig_misc,
#endif
        NULL,
    };
    size_t i;
    int error;
    for (i = 0; tables[i]; i++)
        if ((error = fth_tmpl_add_funcs(set, tables[i], err)) < 0)
            return error;
    if (helm && (error = fth_tmpl_add_funcs(set, tmpl_helm_funcs, err)) < 0)
        return error;
    return 0;
}
