/*
 * libFuzzer target for the template module's RE2-syntax regex engine (src/tmpl/regex.c): the
 * bytes up to the first NUL are the pattern, the rest the subject. A pattern compiles or gets
 * Go's error text; a compiled one is run over the subject from every offset, and every match it
 * reports must lie inside the subject with ordered, in-range submatches. Time stays linear.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t plen = nul ? (size_t)(nul - data) : size;
    const char *subject = nul ? (const char *)nul + 1 : "";
    size_t slen = nul ? size - plen - 1 : 0, pos = 0, g, groups;
    struct fth_arena *a;
    struct fth_buf msg = FTH_BUF_INIT;
    struct tmpl_regex *re = NULL;
    long *caps;
    int r;

    if (size > 4096)
        return 0;
    if (!(a = fth_arena_new()))
        return 0;
    r = tmpl_regex_compile(&re, a, (const char *)data, plen, &msg);
    if (r < 0) {
        if (r != FTH_EINVALID && r != FTH_ENOMEM)
            abort();
        if (r == FTH_EINVALID && strncmp(msg.ptr, "error parsing regexp: ", 22) != 0)
            abort();
        goto out;
    }
    groups = tmpl_regex_groups(re);
    if (!(caps = calloc(groups * 2, sizeof(*caps))))
        goto out;
    while (pos <= slen) {
        r = tmpl_regex_match(re, subject, slen, pos, caps);
        if (r < 0)
            break;
        if (r == 0)
            break;
        if (caps[0] < (long)pos || caps[1] < caps[0] || caps[1] > (long)slen)
            abort();
        for (g = 1; g < groups; g++)
            if (caps[2 * g] >= 0 && (caps[2 * g] > caps[2 * g + 1] || caps[2 * g + 1] > (long)slen))
                abort();
        pos = caps[1] > (long)pos ? (size_t)caps[1] : pos + 1;
    }
    free(caps);
out:
    fth_buf_release(&msg);
    fth_arena_free(a);
    return 0;
}
