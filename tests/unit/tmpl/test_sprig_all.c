/*
 * Every function of Sprig 3.2.3's list (../shared/fixtures/helm-template/sprig-3.2.3-functions.txt)
 * is defined: in a plain set (Sprig without Helm) all but fail, toJson and fromJson, which only
 * Helm's table provides (helm_funcs.c, with Helm's semantics), in a Helm set all but env and
 * expandenv, which Helm removes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/tmpl.h"
#include "unit/tmpl/tmpl_helpers.h"

static struct fth_arena *A;

static int setup(void **state)
{
    (void)state;
    A = fth_arena_new();
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fth_arena_free(A);
    return 0;
}

/* the error text the engine gives a failing call of `call` in template "t" at column 3 */
#define CALL_ERR(call, fn, msg)                                                                    \
    "ERR: template: t:1:3: executing \"t\" at <" call ">: error calling " fn ": " msg

static char *read_list(size_t *n)
{
    static char buf[8192];
    FILE *f = fopen(FATHOM_SHARED "/fixtures/helm-template/sprig-3.2.3-functions.txt", "r");
    size_t k;
    if (!f)
        return NULL;
    k = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[k] = 0;
    *n = k;
    return buf;
}

static void check_defined(unsigned flags)
{
    size_t n = 0, count = 0;
    char *list = read_list(&n), *p, *save = NULL;
    assert_non_null(list);
    for (p = strtok_r(list, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
        char tpl[128];
        const char *got;
        if (!*p)
            continue;
        count++;
        snprintf(tpl, sizeof(tpl), "{{ if false }}{{ %s }}{{ end }}", p);
        got = render_opts(A, tpl, NULL, flags, 0);
        if (!(flags & FTH_TMPL_HELM) &&
            (!strcmp(p, "fail") || !strcmp(p, "toJson") || !strcmp(p, "fromJson")))
            continue;
        if ((flags & FTH_TMPL_HELM) && (!strcmp(p, "env") || !strcmp(p, "expandenv"))) {
            if (!strstr(got, "not defined"))
                fail_msg("%s should be removed under Helm, got '%s'", p, got);
            continue;
        }
        if (strcmp(got, ""))
            fail_msg("function %s: '%s'", p, got);
    }
    assert_int_equal(count, 210);
}

static void test_sprig_all_plain(void **state)
{
    (void)state;
    check_defined(0);
}

static void test_sprig_all_helm(void **state)
{
    (void)state;
    check_defined(FTH_TMPL_HELM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprig_all_plain),
        cmocka_unit_test(test_sprig_all_helm),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
