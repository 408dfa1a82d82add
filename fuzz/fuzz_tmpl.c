/*
 * libFuzzer target for the template engine: the input is a template text, parsed into a set
 * with Helm's functions (so include and tpl recurse) and, when it parses, executed with a small
 * dot under tight limits (output, range iterations, nesting). Every outcome is output or a Go
 * style error; a crash, a hang or unbounded memory is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char dot_yaml[] = "a: 1\nb: [x, 2.5, null, {c: d}]\nm: {k: v, n: {o: p}}\ns: text\n"
                               "t: '{{ .s }}'\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fth_tmpl_opts opts = FTH_TMPL_OPTS_INIT;
    struct fth_tmpl_set *set = NULL;
    struct fth_arena *a;
    struct fth_value *dot = NULL;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_error err;

    if (size > 64 * 1024)
        return 0;
    if (!(a = fth_arena_new()))
        return 0;
    opts.flags = FTH_TMPL_HELM;
    opts.max_output = 1 << 20;
    opts.max_range = 100000;
    opts.max_depth = 200;
    if (fth_value_load_one(&dot, a, dot_yaml, sizeof(dot_yaml) - 1, NULL, &err) < 0)
        abort();
    if (fth_tmpl_set_new(&set, &opts, &err) < 0)
        abort();
    if (fth_tmpl_parse(set, "fuzz", (const char *)data, size, &err) == 0)
        (void)fth_tmpl_execute(&out, set, "fuzz", dot, a, FTH_TMPL_STRIP_NO_VALUE, &err);
    fth_buf_release(&out);
    fth_tmpl_set_free(set);
    fth_arena_free(a);
    return 0;
}
