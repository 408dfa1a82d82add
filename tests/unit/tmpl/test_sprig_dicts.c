/*
 * Sprig dict functions: documented examples, in-place mutation (set, unset, merge) as Go maps
 * share, mergo v0.3 rules for merge/mergeOverwrite, dig and its type assertions.
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

static void test_sprig_dicts_documented(void **state)
{
    (void)state;
    EXPECT("{{ $d := dict \"name1\" \"value1\" \"name2\" \"value2\" }}{{ $d }}", NULL,
           "map[name1:value1 name2:value2]");
    EXPECT("{{ $d := dict \"a\" 1 \"b\" }}{{ $d }}", NULL, "map[a:1 b:]");
    EXPECT("{{ get (dict \"k\" \"v\") \"k\" }}|{{ get (dict) \"nope\" }}|", NULL, "v||");
    EXPECT("{{ $d := dict }}{{ $_ := set $d \"name4\" \"value4\" }}{{ $d }}", NULL,
           "map[name4:value4]");
    EXPECT("{{ $d := dict \"a\" 1 \"b\" 2 }}{{ $_ := unset $d \"a\" }}{{ $d }}", NULL, "map[b:2]");
    EXPECT("{{ hasKey (dict \"a\" 1) \"a\" }} {{ hasKey (dict) \"a\" }}", NULL, "true false");
    EXPECT("{{ pluck \"name1\" (dict \"name1\" \"v1\") (dict \"name1\" \"v2\") (dict) }}", NULL,
           "[v1 v2]");
    EXPECT("{{ keys (dict \"b\" 1 \"a\" 2) | sortAlpha }}", NULL, "[a b]");
    EXPECT("{{ pick (dict \"a\" 1 \"b\" 2 \"c\" 3) \"a\" \"c\" }}", NULL, "map[a:1 c:3]");
    EXPECT("{{ omit (dict \"a\" 1 \"b\" 2 \"c\" 3) \"a\" \"c\" }}", NULL, "map[b:2]");
    EXPECT("{{ values (dict \"a\" 1) }}", NULL, "[1]");
    EXPECT("{{ dig \"user\" \"role\" \"name\" \"guest\" .dict }}",
           "{dict: {user: {role: {name: admin}}}}", "admin");
    EXPECT("{{ dig \"user\" \"nope\" \"name\" \"guest\" .dict }}", "{dict: {user: {}}}", "guest");
}

static void test_sprig_dicts_merge(void **state)
{
    (void)state;
    /* merge fills what dst lacks or has empty; dst wins otherwise; nested maps merge */
    EXPECT("{{ $d := dict \"a\" 1 \"e\" \"\" \"n\" (dict \"x\" 1) }}"
           "{{ $_ := merge $d (dict \"a\" 2 \"b\" 3 \"e\" \"f\" \"n\" (dict \"x\" 2 \"y\" 3)) }}"
           "{{ $d }}",
           NULL, "map[a:1 b:3 e:f n:map[x:1 y:3]]");
    EXPECT("{{ $d := dict \"a\" 1 \"n\" (dict \"x\" 1) }}"
           "{{ $_ := mergeOverwrite $d (dict \"a\" 2 \"n\" (dict \"x\" 2 \"y\" 3)) }}{{ $d }}",
           NULL, "map[a:2 n:map[x:2 y:3]]");
    /* a non-empty destination is never replaced by a map or a slice, nil only overwrites */
    EXPECT("{{ $d := dict \"a\" \"s\" \"b\" 1 }}"
           "{{ $_ := mergeOverwrite $d (dict \"a\" (dict \"x\" 1) \"b\" .missing) }}{{ $d }}",
           "{}", "map[a:s b:<nil>]");
    EXPECT("{{ $d := dict \"l\" (list 1) }}{{ $_ := mergeOverwrite $d (dict \"l\" (list 2 3)) }}"
           "{{ $d }}",
           NULL, "map[l:[2 3]]");
    EXPECT("{{ $d := dict \"l\" (list 1) }}{{ $_ := merge $d (dict \"l\" (list 2 3)) }}{{ $d }}",
           NULL, "map[l:[1]]");
    EXPECT("{{ $d := dict \"f\" false }}{{ $_ := mergeOverwrite $d (dict \"f\" true) }}{{ $d.f }}"
           "{{ $e := dict \"f\" true }}{{ $_ := mergeOverwrite $e (dict \"f\" false) }}{{ $e.f }}",
           NULL, "truefalse");
    EXPECT("{{ merge (dict \"a\" 1) (dict \"b\" 2) (dict \"a\" 3 \"c\" 4) }}", NULL,
           "map[a:1 b:2 c:4]");
    /* the values' map is the one changed (Go maps are references) */
    EXPECT("{{ $_ := set .m \"k\" \"v\" }}{{ .m.k }}", "{m: {}}", "v");
    EXPECT("{{ $c := deepCopy .m }}{{ $_ := set $c \"k\" 2 }}{{ .m }} {{ $c }}", "{m: {k: 1}}",
           "map[k:1] map[k:2]");
    EXPECT("{{ dig \"a\" \"b\" \"d\" .x }}", "{x: {a: str}}",
           CALL_ERR("dig \"a\" \"b\" \"d\" .x", "dig",
                    "interface conversion: interface {} is string, not map[string]interface {}"));
    EXPECT("{{ dig \"a\" .x }}", "{x: {}}",
           CALL_ERR("dig \"a\" .x", "dig", "dig needs at least three arguments"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprig_dicts_documented),
        cmocka_unit_test(test_sprig_dicts_merge),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
