/*
 * Parsing: trim markers, comments, literals and the parse errors exactly as Go's
 * text/template/parse prints them.
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

static const struct {
    const char *text, *want;
} parse_errors[] = {
    {"{{ .a }", "ERR: template: t:1: unexpected \"}\" in operand"},
    {"{{ if .a }}x", "ERR: template: t:1: unexpected EOF"},
    {"{{ end }}", "ERR: template: t:1: unexpected {{end}}"},
    {"{{ else }}", "ERR: template: t:1: unexpected {{else}}"},
    {"{{ $x }}", "ERR: template: t:1: undefined variable \"$x\""},
    {"{{ (1 }}", "ERR: template: t:1: unclosed left paren"},
    {"{{ 1) }}", "ERR: template: t:1: unexpected right paren"},
    {"{{ 1 | 2 }}", "ERR: template: t:1: non executable command in pipeline stage 2"},
    {"{{ \"x }}", "ERR: template: t:1: unterminated quoted string"},
    {"{{ `x }}", "ERR: template: t:1: unterminated raw quoted string"},
    {"{{ 'ab' }}", "ERR: template: t:1: malformed character constant: 'ab'"},
    {"{{ nosuch 1 }}", "ERR: template: t:1: function \"nosuch\" not defined"},
    {"{{ }}", "ERR: template: t:1: missing value for command"},
    {"{{ if }}{{ end }}", "ERR: template: t:1: missing value for if"},
    {"{{ break }}", "ERR: template: t:1: {{break}} outside {{range}}"},
    {"{{ continue }}", "ERR: template: t:1: {{continue}} outside {{range}}"},
    {"{{ range .x }}{{ break 1 }}{{ end }}", "ERR: template: t:1: unexpected \"1\" in {{break}}"},
    {"{{/* x", "ERR: template: t:1: unclosed comment"},
    {"{{/* x */ y }}", "ERR: template: t:1: comment ends before closing delimiter"},
    {"{{ .a", "ERR: template: t:1: unclosed action"},
    {"a\nb\n{{ .a\n", "ERR: template: t:4: unclosed action started at t:3"},
    {"{{ 1.a }}", "ERR: template: t:1: bad number syntax: 1.a"},
    {"{{ \"a\".b }}", "ERR: template: t:1: unexpected . after term \"\\\"a\\\"\""},
    {"{{ 99999999999999999999 }}", "ERR: template: t:1: integer overflow: \"9999999999\"..."},
    {"{{ .a# }}", "ERR: template: t:1: bad character U+0023 '#'"},
    {"{{ define \"a\" }}1{{ end }}{{ define \"a\" }}2{{ end }}",
     "ERR: template: t:1: template: multiple definition of template \"a\""},
    {"{{ define a }}{{ end }}", "ERR: template: t:1: unexpected \"a\" in define clause"},
    {"{{ template x }}", "ERR: template: t:1: unexpected \"x\" in template clause"},
    {"{{ $x, $y := 1 }}", "ERR: template: t:1: too many declarations in command"},
    {"{{ range $a, $b, $c := . }}{{ end }}", "ERR: template: t:1: too many declarations in range"},
    {"{{ if 1 }}{{ else }}{{ else }}{{ end }}", "ERR: template: t:1: expected end; found {{else}}"},
    {"{{ \"\\q\" }}", "ERR: template: t:1: invalid syntax"},
    {"x\n\n{{ if }}", "ERR: template: t:3: missing value for if"},
};

static void test_tmpl_parse_errors(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(parse_errors) / sizeof(parse_errors[0]); i++) {
        const char *got = render(A, parse_errors[i].text, NULL);
        if (strcmp(got, parse_errors[i].want))
            fail_msg("%s\n  want: %s\n  got:  %s", parse_errors[i].text, parse_errors[i].want, got);
    }
}

static void test_tmpl_parse_trim_and_comments(void **state)
{
    (void)state;
    EXPECT("a {{- \"b\" -}} c", NULL, "abc");
    EXPECT("a {{- /* x */ -}} \n c", NULL, "ac");
    EXPECT("a {{/* x */}} c", NULL, "a  c");
    EXPECT("{{- 3 -}}\n\n", NULL, "3");
    EXPECT("{{-3}}", NULL, "-3"); /* no space: a negative number, not a trim marker */
    EXPECT("x\n  {{- if true }}\n  y\n  {{- end }}\n", NULL, "x\n  y\n");
    EXPECT("{{ \"a\" }}{{/* multi\nline */}}b", NULL, "ab");
}

static void test_tmpl_parse_literals(void **state)
{
    (void)state;
    EXPECT("{{ 0x1F }} {{ 1_000 }} {{ 0b101 }} {{ 0o17 }} {{ 017 }} {{ 1.5e3 }} {{ .5 }}", NULL,
           "31 1000 5 15 15 1500 0.5");
    EXPECT("{{ 'a' }} {{ '\\n' }} {{ '\\u00e9' }}", NULL, "97 10 233");
    EXPECT("{{ \"a\\tb\\x41\\u00e9\\101\" }}", NULL,
           "a\tbAé"
           "A");
    EXPECT("{{ `raw\\n` }}", NULL, "raw\\n");
    EXPECT("{{ 80.0 }} {{ -1 }} {{ +2 }} {{ 1e21 }} {{ 1e-7 }}", NULL, "80 -1 2 1e+21 1e-07");
    EXPECT("{{ true }} {{ false }}", NULL, "true false");
    EXPECT("{{ printf \"%T %T %T\" 1 1.0 0x10 }}", NULL, "int float64 int");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tmpl_parse_errors),
        cmocka_unit_test(test_tmpl_parse_trim_and_comments),
        cmocka_unit_test(test_tmpl_parse_literals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
