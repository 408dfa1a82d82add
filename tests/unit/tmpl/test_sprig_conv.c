/*
 * Sprig conversions (toString, atoi, int, int64, float64, toDecimal, toStrings), defaults
 * (default, empty, coalesce, all, any, ternary) and the JSON encoders Sprig keeps under Helm.
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

static void test_sprig_conv(void **state)
{
    (void)state;
    EXPECT("{{ toString 1.5 }} {{ toString .f }} {{ toString .big }} {{ toString true }}",
           "{f: 80, big: 1000000}", "1.5 80 1e+06 true");
    EXPECT("{{ toString .missing }} {{ toString (list 1 \"a\") }}", "{}", "<nil> [1 a]");
    EXPECT("{{ atoi \"42\" }} {{ atoi \"4x\" }} {{ atoi \" 1\" }}", NULL, "42 0 0");
    EXPECT(
        "{{ int \"12\" }} {{ int 3.9 }} {{ int64 \"0x1F\" }} {{ int \"08\" }} {{ float64 \"1.5\" "
        "}}",
        NULL, "12 3 31 0 1.5");
    EXPECT("{{ printf \"%T %T %T\" (int 1) (int64 1) (float64 1) }}", NULL, "int int64 float64");
    EXPECT("{{ toDecimal \"0777\" }} {{ toDecimal 777 }} {{ toDecimal \"9\" }}", NULL, "511 511 0");
    EXPECT("{{ toStrings (list 1 2 3) }} {{ toStrings \"x\" | len }}", NULL, "[1 2 3] 1");
    EXPECT("{{ float64 \"1e3\" }} {{ float64 \"inf\" }} {{ float64 \"1e999\" }}", NULL,
           "1000 +Inf 0");
}

static void test_sprig_defaults(void **state)
{
    (void)state;
    EXPECT(
        "{{ default \"foo\" .missing }} {{ default \"foo\" \"\" }} {{ default \"foo\" \"bar\" }}",
        "{}", "foo foo bar");
    EXPECT("{{ default 42 0 }} {{ default 42 .zero }} {{ default \"x\" false }} {{ .l | default "
           "\"e\" }}",
           "{zero: 0, l: []}", "42 42 x e");
    EXPECT("{{ default \"d\" }}", NULL, "d");
    EXPECT("{{ empty \"\" }} {{ empty 0 }} {{ empty .m }} {{ empty (list 1) }} {{ empty false }}",
           "{m: {}}", "true true true false true");
    EXPECT("{{ coalesce 0 1 2 }} {{ coalesce .a .b \"c\" }} {{ coalesce \"\" }}", "{}",
           "1 c <no value>");
    EXPECT("{{ all 1 \"a\" true }} {{ all 1 \"\" }} {{ any 0 \"\" 1 }} {{ any }}", NULL,
           "true false true false");
    EXPECT("{{ ternary \"foo\" \"bar\" true }} {{ true | ternary \"foo\" \"bar\" }} {{ false | "
           "ternary 1 2 }}",
           NULL, "foo foo 2");
    EXPECT("{{ empty (semver \"1.0.0\") }} {{ empty now }}", NULL, "false false");
}

static void test_sprig_json(void **state)
{
    (void)state;
    EXPECT("{{ toPrettyJson .v }}", "{v: {a: [1, {b: x}], c: {}, d: []}}",
           "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"x\"\n    }\n  ],\n  \"c\": {},\n  \"d\": "
           "[]\n}");
    EXPECT("{{ toRawJson .v }} {{ toJson .v }}", "{v: {h: \"<a&b>\"}}",
           "{\"h\":\"<a&b>\"} {\"h\":\"\\u003ca\\u0026b\\u003e\"}");
    EXPECT("{{ mustToJson (list 1 \"a\") }}", NULL, "[1,\"a\"]");
    EXPECT("{{ (mustFromJson \"{\\\"a\\\": 1}\").a }} {{ printf \"%T\" (mustFromJson \"2\") }}",
           NULL, "1 float64");
    EXPECT("{{ mustFromJson \"\" }}", NULL,
           CALL_ERR("mustFromJson \"\"", "mustFromJson", "unexpected end of JSON input"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprig_conv),
        cmocka_unit_test(test_sprig_defaults),
        cmocka_unit_test(test_sprig_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
