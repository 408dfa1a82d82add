/*
 * Sprig math: int64 results through cast.ToInt64 (strings, floats, bools), decimal-exact float
 * arithmetic (addf...), integer lists (until, seq), rounding.
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

static void test_sprig_math_integers(void **state)
{
    (void)state;
    EXPECT(
        "{{ add 1 2 3 }} {{ add1 5 }} {{ sub 10 3 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 3 }}",
        NULL, "6 6 7 24 3 1");
    EXPECT("{{ add \"3\" 1.9 true .f }}", "{f: 2.5}", "7");
    EXPECT("{{ add \"0x10\" \"010\" \"1_000\" \"x\" }}", NULL, "1024");
    EXPECT("{{ printf \"%T %T %T\" (add 1) (add1f 1) (len \"a\") }}", NULL, "int64 float64 int");
    EXPECT("{{ max 1 5 3 }} {{ biggest 1 2 }} {{ min 4 -2 9 }}", NULL, "5 2 -2");
    EXPECT("{{ div 1 0 }}", NULL,
           CALL_ERR("div 1 0", "div", "runtime error: integer divide by zero"));
    EXPECT("{{ add 9223372036854775807 1 }}", NULL, "-9223372036854775808");
    EXPECT("{{ len (randInt 1 2 | toString) }} {{ randInt 5 6 }}", NULL, "1 5");
    EXPECT("{{ randInt 2 2 }}", NULL,
           CALL_ERR("randInt 2 2", "randInt", "invalid argument to Intn"));
}

static void test_sprig_math_floats(void **state)
{
    (void)state;
    EXPECT(
        "{{ addf 1.1 2.2 }} {{ add1f 1.5 }} {{ subf 10 3.3 1 }} {{ mulf 1.1 3 }} {{ divf 10 4 }}",
        NULL, "3.3 2.5 5.7 3.3 2.5");
    EXPECT("{{ divf 1 3 }} {{ divf 2 3 }}", NULL, "0.3333333333333333 0.6666666666666667");
    EXPECT("{{ maxf 1 2.5 \"3.5\" }} {{ minf 1.5 2 }}", NULL, "3.5 1.5");
    EXPECT("{{ ceil 1.1 }} {{ floor 1.9 }} {{ round 123.555555 3 }} {{ round 123.5 0 }}", NULL,
           "2 1 123.556 124");
    EXPECT("{{ round 123.555555 3 0.7 }} {{ round -1.5 0 }}", NULL, "123.555 -2");
    EXPECT("{{ divf 1 0 }}", NULL, CALL_ERR("divf 1 0", "divf", "decimal division by 0"));
    EXPECT("{{ addf 0.1 0.2 }} {{ mulf 0.1 0.2 }}", NULL, "0.3 0.02");
}

static void test_sprig_math_lists(void **state)
{
    (void)state;
    EXPECT("{{ until 5 }} {{ until -3 }} {{ until 0 }}", NULL, "[0 1 2 3 4] [0 -1 -2] []");
    EXPECT("{{ untilStep 3 6 2 }} {{ untilStep 6 3 -1 }} {{ untilStep 0 5 0 }}", NULL,
           "[3 5] [6 5 4] []");
    EXPECT(
        "{{ seq 5 }}|{{ seq -3 }}|{{ seq 0 2 }}|{{ seq 2 -2 }}|{{ seq 0 2 10 }}|{{ seq 3 -3 2 }}|"
        "{{ seq 0 -2 -10 }}|{{ seq 3 2 -3 }}",
        NULL, "1 2 3 4 5|1 0 -1 -2 -3|0 1 2|2 1 0 -1 -2|0 2 4 6 8 10|3|0 -2 -4 -6 -8 -10|");
    EXPECT("{{ range $i := until 3 }}{{ $i }}{{ end }}", NULL, "012");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprig_math_integers),
        cmocka_unit_test(test_sprig_math_floats),
        cmocka_unit_test(test_sprig_math_lists),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
