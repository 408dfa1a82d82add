/*
 * Go's fmt as templates use it: a table of printf verbs, flags, widths and error forms, and
 * the golden table of %v for floats, maps, slices and nil (Helm's values are float64).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/tmpl.h"
#include "tmpl_helpers.h"

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

/* fmt.Sprint(float64(x)), Go's %v: strconv 'g' shortest, %e form when the exponent is < -4 or
 * >= 6 (Helm prints a YAML 1000000 as 1e+06) */
static const struct {
    double d;
    const char *v;
} floats[] = {
    {80, "80"},
    {100000, "100000"},
    {1e6, "1e+06"},
    {123456789, "1.23456789e+08"},
    {1e21, "1e+21"},
    {1e20, "1e+20"},
    {0.000001, "1e-06"},
    {0.0001, "0.0001"},
    {0.00001, "1e-05"},
    {1.5, "1.5"},
    {-2.25, "-2.25"},
    {0.1, "0.1"},
    {1.0 / 3.0, "0.3333333333333333"},
    {0, "0"},
    {-0.0, "-0"},
    {3.14159e-10, "3.14159e-10"},
    {123456, "123456"},
    {1234567, "1.234567e+06"},
    {5e-324, "5e-324"},
    {1.7976931348623157e308, "1.7976931348623157e+308"},
};

static void test_tmpl_fmt_float_golden(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(floats) / sizeof(floats[0]); i++) {
        struct fth_buf b = FTH_BUF_INIT;
        struct fth_value *v = fth_tmpl_float(A, floats[i].d);
        assert_int_equal(fth_tmpl_fmt_value(&b, v), 0);
        if (strcmp(b.ptr, floats[i].v))
            fail_msg("%%v of %.17g: want '%s', got '%s'", floats[i].d, floats[i].v, b.ptr);
        fth_buf_release(&b);
    }
}

static const struct {
    const char *text, *dot, *want;
} table[] = {
    /* integers */
    {"{{ printf \"%d|%5d|%-5d|%05d|%+d|% d\" 42 42 42 42 42 42 }}", NULL,
     "42|   42|42   |00042|+42| 42"},
    {"{{ printf \"%x|%X|%o|%O|%b|%#x|%#o|%c|%q|%U|%#U\" 255 255 8 8 5 255 8 65 65 65 65 }}", NULL,
     "ff|FF|10|0o10|101|0xff|010|A|'A'|U+0041|U+0041 'A'"},
    {"{{ printf \"%.3d|%08.3d|%-05d|\" 7 7 -7 }}", NULL, "007|     007|-7   |"},
    {"{{ printf \"%05d\" -42 }}", NULL, "-0042"},
    /* floats */
    {"{{ printf \"%f|%.2f|%8.3f|%-8.1f|%e|%E|%g|%G\" 3.14159 3.14159 3.14159 2.5 1234.5678 "
     "1234.5678 1234.5678 1e-7 }}",
     NULL, "3.141590|3.14|   3.142|2.5     |1.234568e+03|1.234568E+03|1234.5678|1E-07"},
    {"{{ printf \"%.3g|%.10g|%g|%v|%+.1f|%08.2f\" 1234.5678 1.0 100000.0 1e6 2.0 -3.14159 }}", NULL,
     "1.23e+03|1|100000|1e+06|+2.0|-0003.14"},
    {"{{ printf \"%d\" .a }}", "{a: 80}", "%!d(float64=80)"},
    {"{{ printf \"%s\" .a }}", "{a: 1.5}", "%!s(float64=1.5)"},
    /* strings */
    {"{{ printf \"%s|%q|%v|%10s|%-10s|%.2s|%x|%X|% x\" \"hi\" \"a\\\"b\" \"v\" \"r\" \"l\" "
     "\"héllo\" "
     "\"hi\" \"hi\" \"hi\" }}",
     NULL, "hi|\"a\\\"b\"|v|         r|l         |hé|6869|6869|68 69"},
    {"{{ printf \"%d|%t\" \"x\" \"y\" }}", NULL, "%!d(string=x)|%!t(string=y)"},
    {"{{ printf \"%#q|%q\" \"ab\" \"tab\\there\\n\" }}", NULL, "`ab`|\"tab\\there\\n\""},
    /* bools and nil */
    {"{{ printf \"%t|%v|%d\" true false true }}", NULL, "true|false|%!d(bool=true)"},
    {"{{ printf \"%v|%d|%s\" nil nil .x }}", "{}", "<nil>|%!d(<nil>)|%!s(<nil>)"},
    {"{{ printf \"%T|%T|%T|%T|%T|%T\" 1 1.5 \"s\" true .m .l }}", "{m: {}, l: []}",
     "int|float64|string|bool|map[string]interface {}|[]interface {}"},
    {"{{ printf \"%T\" nil }}", NULL, "<nil>"},
    /* composites */
    {"{{ printf \"%v|%d|%s\" .m .l .l }}", "{m: {b: [1, 2], a: null, c: {d: x}}, l: [1, 2]}",
     "map[a:<nil> b:[1 2] c:map[d:x]]|[%!d(float64=1) %!d(float64=2)]|[%!s(float64=1) "
     "%!s(float64=2)]"},
    {"{{ printf \"%+v|%q\" .m .l }}", "{m: {a: 1}, l: [p, q]}", "map[a:+1]|[\"p\" \"q\"]"},
    {"{{ . }}", "{z: 1, a: [true, null, 2.5, s], m: {}}", "map[a:[true <nil> 2.5 s] m:map[] z:1]"},
    {"{{ .l }}", "{l: []}", "[]"},
    /* errors in the format itself */
    {"{{ printf \"%d %d\" 1 }}", NULL, "1 %!d(MISSING)"},
    {"{{ printf \"%d\" 1 2 \"x\" }}", NULL, "1%!(EXTRA int=2, string=x)"},
    {"{{ printf \"%z\" 1 }}", NULL, "%!z(int=1)"},
    {"{{ printf \"%\" }}", NULL, "%!(NOVERB)"},
    {"{{ printf \"100%%\" }}", NULL, "100%"},
    {"{{ printf \"%*d|%-*d|%.*f\" 5 1 3 2 2 3.14159 }}", NULL, "    1|2  |3.14"},
    {"{{ printf \"%!\" }}", NULL, "%!!(MISSING)"},
    /* print and println */
    {"{{ print 1 2 \"a\" \"b\" 3 nil }}", NULL, "1 2ab3 <nil>"},
    {"{{ println 1 \"a\" 2.5 }}", NULL, "1 a 2.5\n"},
};

static void test_tmpl_fmt_printf_table(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        const char *got = render(A, table[i].text, table[i].dot);
        if (strcmp(got, table[i].want))
            fail_msg("%s\n  want: '%s'\n  got:  '%s'", table[i].text, table[i].want, got);
    }
}

static void test_tmpl_fmt_api(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    (void)state;
    assert_int_equal(fth_tmpl_format_float(&b, 2.5, 'e', -1), 0);
    assert_string_equal(b.ptr, "2.5e+00");
    fth_buf_clear(&b);
    assert_int_equal(fth_tmpl_format_float(&b, 1e21, 'f', -1), 0);
    assert_string_equal(b.ptr, "1000000000000000000000");
    fth_buf_clear(&b);
    assert_int_equal(fth_tmpl_quote(&b, "a\x01\xff\xe2\x80\xa8é", 8), 0);
    assert_string_equal(b.ptr, "\"a\\x01\\xff\\u2028é\"");
    fth_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tmpl_fmt_float_golden),
        cmocka_unit_test(test_tmpl_fmt_printf_table),
        cmocka_unit_test(test_tmpl_fmt_api),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
