/*
 * libFuzzer target for Helm's strvals parser (--set and its kinds): the first byte chooses
 * the kind (--set, --set-string, --set-file with a reader that returns a fixed text,
 * --set-json, --set-literal), the rest is the line, parsed twice into the same map (the
 * second parse merges into what the first built, as repeated --set flags do). Any outcome
 * but a crash, a hang or FTH_ENOMEM is fine.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fathom/helm.h"
#include "fathom/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int reader(const char **out, size_t *len, const char *path, void *user, char *msg,
                  size_t msgsize)
{
    (void)path;
    (void)user;
    (void)msg;
    (void)msgsize;
    *out = "file contents\n";
    *len = 14;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fth_arena *a;
    struct fth_value *m;
    enum fth_helm_set_kind kind;
    int i;

    if (size < 1 || size > 64 * 1024)
        return 0;
    if (!(a = fth_arena_new()))
        return 0;
    kind = (enum fth_helm_set_kind)(data[0] % 5);
    if (!(m = fth_tmpl_map(a, 4)))
        abort();
    for (i = 0; i < 2; i++)
        if (fth_helm_strvals_parse(m, a, kind, (const char *)data + 1, size - 1, reader, NULL,
                                   NULL) == FTH_ENOMEM)
            abort();
    fth_arena_free(a);
    return 0;
}
