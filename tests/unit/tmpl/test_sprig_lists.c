/*
 * Sprig list functions: documented examples, any slice type through reflect, nil and non-list
 * errors as Go words them (the plain forms panic with the must forms' errors).
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

static void test_sprig_lists_documented(void **state)
{
    (void)state;
    EXPECT("{{ list 1 2 3 4 5 }}", NULL, "[1 2 3 4 5]");
    EXPECT("{{ first (list 1 2 3) }} {{ last (list 1 2 3) }}", NULL, "1 3");
    EXPECT("{{ rest (list 1 2 3) }} {{ initial (list 1 2 3) }}", NULL, "[2 3] [1 2]");
    EXPECT("{{ append (list 1 2 3) 6 }} {{ prepend (list 1 2 3) 0 }}", NULL, "[1 2 3 6] [0 1 2 3]");
    EXPECT("{{ concat (list 1 2 3) (list 4 5) (list 6) }}", NULL, "[1 2 3 4 5 6]");
    EXPECT("{{ reverse (list 1 2 3) }}", NULL, "[3 2 1]");
    EXPECT("{{ list 1 1 1 2 | uniq }}", NULL, "[1 2]");
    EXPECT("{{ without (list 1 2 3 4) 1 3 }}", NULL, "[2 4]");
    EXPECT("{{ has 4 (list 1 2 3 4) }} {{ has \"x\" .l }}", "{l: [a, b]}", "true false");
    EXPECT("{{ compact (list 1 \"a\" \"foo\" \"\") }}", NULL, "[1 a foo]");
    EXPECT("{{ slice (list 1 2 3 4 5) 1 3 }} {{ slice (list 1 2 3 4 5) 3 }} {{ slice (list 1 2) "
           "}}",
           NULL, "[2 3] [4 5] [1 2]");
    EXPECT("{{ chunk 3 (list 1 2 3 4 5 6 7 8) }}", NULL, "[[1 2 3] [4 5 6] [7 8]]");
    EXPECT("{{ tuple 1 \"a\" }}", NULL, "[1 a]");
}

static void test_sprig_lists_edges(void **state)
{
    (void)state;
    /* empty lists: nil results, no errors (the must forms too) */
    EXPECT("{{ first (list) }}|{{ mustFirst (list) }}|{{ rest (list) }}", NULL,
           "<no value>|<no value>|[]");
    EXPECT("{{ append .s \"x\" }}", "{s: [a]}", "[a x]");
    EXPECT("{{ first \"abc\" }}", NULL,
           CALL_ERR("first \"abc\"", "first", "Cannot find first on type string"));
    EXPECT("{{ mustPush 3 1 }}", NULL,
           CALL_ERR("mustPush 3 1", "mustPush", "Cannot push on type int"));
    EXPECT("{{ first .missing }}", "{}",
           CALL_ERR("first .missing", "first",
                    "runtime error: invalid memory address or nil pointer dereference"));
    EXPECT("{{ has 1 .missing }}", "{}", "false");
    EXPECT("{{ slice (list 1 2) 1 5 }}", NULL,
           CALL_ERR("slice (list 1 2) 1 5", "slice",
                    "reflect.Value.Slice: slice index out of bounds"));
    EXPECT("{{ uniq (list (list 1) (list 1) 2) }}", NULL, "[[1] 2]");
    /* Go types matter to DeepEqual: an int constant is not a YAML float */
    EXPECT("{{ has 1 .l }} {{ has 1.0 .l }}", "{l: [1]}", "false true");
    EXPECT("{{ concat (list 1) \"x\" }}", NULL,
           CALL_ERR("concat (list 1) \"x\"", "concat", "Cannot concat type string as list"));
    EXPECT("{{ chunk 0 (list 1) }}", NULL,
           CALL_ERR("chunk 0 (list 1)", "chunk", "runtime error: makeslice: len out of range"));
    EXPECT("{{ $l := list 1 2 }}{{ $m := append $l 3 }}{{ $l }} {{ $m }}", NULL, "[1 2] [1 2 3]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprig_lists_documented),
        cmocka_unit_test(test_sprig_lists_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
