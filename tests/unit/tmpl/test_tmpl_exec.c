/*
 * Execution: variables and scoping, if/with/range (maps sorted, ints, break/continue, else),
 * define/template/block and redefinition, and/or short-circuit, comparisons with Go's type
 * rules, index/slice/len, missingkey=zero and the execution errors as Go words them.
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

static void test_tmpl_exec_fields_and_missing(void **state)
{
    (void)state;
    EXPECT("{{ .a }} {{ .b.c }}", "{a: 1, b: {c: x}}", "1 x");
    EXPECT("{{ .nope }}|{{ .x }}", "{x: null}", "<no value>|<no value>");
    EXPECT("{{ .a.b.c }}", "{a: {}}",
           "ERR: template: t:1:5: executing \"t\" at <.a.b.c>: nil pointer evaluating "
           "interface {}.c");
    EXPECT("{{ .a.b }}", "{a: str}",
           "ERR: template: t:1:5: executing \"t\" at <.a.b>: can't evaluate field b in type "
           "interface {}");
    EXPECT("{{ $x := .a }}{{ $x.b }}", "{a: str}",
           "ERR: template: t:1:19: executing \"t\" at <$x.b>: can't evaluate field b in type "
           "string");
    EXPECT("{{ (.missing).x }}", "{}", "<no value>");
    EXPECT("{{ .a 1 }}", "{a: 1}",
           "ERR: template: t:1:3: executing \"t\" at <.a>: a is not a method but has arguments");
    EXPECT("{{ nil }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <nil>: nil is not a command");
    EXPECT("{{ 1 2 }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <1>: can't give argument to non-function 1");
    EXPECT("{{ template \"nope\" }}", NULL,
           "ERR: template: t:1:12: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" "
           "not defined");
    /* Helm's post-processing removes <no value> */
    {
        const char *got =
            render_opts(A, "a{{ .x }}b", "{}", FTH_TMPL_HELM, FTH_TMPL_STRIP_NO_VALUE);
        assert_string_equal(got, "ab");
    }
    {
        const char *got =
            render_opts(A, "{{ .x }}", "{}", FTH_TMPL_HELM | FTH_TMPL_MISSING_ERROR, 0);
        assert_string_equal(got, "ERR: template: t:1:3: executing \"t\" at <.x>: map has no "
                                 "entry for key \"x\"");
    }
}

static void test_tmpl_exec_variables(void **state)
{
    (void)state;
    EXPECT("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", NULL, "2");
    EXPECT("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}", NULL, "21");
    EXPECT("{{ with $x := .a }}{{ $x }}{{ end }}", "{a: 5}", "5");
    EXPECT("{{ range .l }}{{ $ }}{{ end }}", "{l: [1]}", "map[l:[1]]");
    EXPECT("{{ define \"d\" }}{{ $ }}{{ end }}{{ template \"d\" 7 }}", NULL, "7");
    EXPECT("{{ $v := \"a\" }}{{ range $v = .l }}{{ end }}{{ $v }}", "{l: [p, q]}", "q");
}

static void test_tmpl_exec_control(void **state)
{
    (void)state;
    EXPECT("{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}", "{b: 1}", "B");
    EXPECT("{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}", "{a: 0, b: \"\"}", "C");
    EXPECT("{{ with .a }}{{ . }}{{ else with .b }}B{{ . }}{{ else }}none{{ end }}", "{b: 2}", "B2");
    EXPECT("{{ with .a }}{{ . }}{{ else }}none{{ end }}", "{a: []}", "none");
    EXPECT("{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}", "{b: 2, a: 1, c: [1, 2], B: 0}",
           "B=0;a=1;b=2;c=[1 2];");
    EXPECT("{{ range $i, $e := .l }}{{ $i }}:{{ $e }} {{ end }}", "{l: [p, q]}", "0:p 1:q ");
    EXPECT("{{ range .l }}{{ . }}{{ else }}empty{{ end }}", "{l: []}", "empty");
    EXPECT("{{ range .m }}{{ . }}{{ else }}empty{{ end }}", "{}", "empty");
    EXPECT("{{ range 3 }}{{ . }}{{ end }}", NULL, "012");
    EXPECT("{{ range $i := 2 }}{{ $i }}{{ end }}", NULL, "01");
    EXPECT("{{ range 0 }}x{{ else }}none{{ end }}", NULL, "none");
    EXPECT("{{ range $i, $e := 3 }}{{ end }}", NULL,
           "ERR: template: t:1:19: executing \"t\" at <3>: can't use 3 to iterate over more "
           "than one variable");
    EXPECT("{{ range .num }}{{ end }}", "{num: 3}",
           "ERR: template: t:1:9: executing \"t\" at <.num>: range can't iterate over 3");
    EXPECT("{{- range $i, $e := .l }}{{ if eq $i 1 }}{{ continue }}{{ end }}"
           "{{ if eq $i 3 }}{{ break }}{{ end }}{{ $e }}{{ end -}}",
           "{l: [a, b, c, d, e]}", "ac");
    EXPECT("{{ range .l }}{{ range . }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }};"
           "{{ end }}",
           "{l: [[1, 2, 3], [4]]}", "1;4;");
}

static void test_tmpl_exec_define_template_block(void **state)
{
    (void)state;
    EXPECT("{{ define \"x\" }}X{{ . }}{{ end }}{{ template \"x\" 5 }}", NULL, "X5");
    EXPECT("{{ block \"y\" .a }}Y{{ . }}{{ end }}", "{a: 1}", "Y1");
    EXPECT("{{ define \"x\" }}{{ .a }}{{ end }}{{ template \"x\" }}", "{a: 1}", "<no value>");
    /* executing a define reports its own name and the position in the file it came from */
    EXPECT("{{ define \"x\" }}\n  {{ .a.b }}{{ end }}{{ template \"x\" . }}", "{}",
           "ERR: template: t:2:7: executing \"x\" at <.a.b>: nil pointer evaluating "
           "interface {}.b");
}

static void test_tmpl_exec_set_redefinition(void **state)
{
    struct fth_tmpl_set *set = NULL;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_error err;
    const char *a = "{{ define \"d\" }}first{{ end }}";
    const char *b = "{{ define \"d\" }}second{{ end }}";
    const char *c = "{{ define \"d\" }}   {{ end }}";
    const char *m = "[{{ template \"d\" }}]";
    (void)state;
    assert_int_equal(fth_tmpl_set_new(&set, NULL, &err), 0);
    assert_int_equal(fth_tmpl_parse(set, "a", a, strlen(a), &err), 0);
    assert_int_equal(fth_tmpl_parse(set, "b", b, strlen(b), &err), 0);
    assert_int_equal(fth_tmpl_parse(set, "c", c, strlen(c), &err), 0); /* empty: ignored */
    assert_int_equal(fth_tmpl_parse(set, "m", m, strlen(m), &err), 0);
    assert_int_equal(fth_tmpl_execute(&out, set, "m", NULL, A, 0, &err), 0);
    assert_string_equal(out.ptr, "[second]");
    fth_buf_clear(&out);
    assert_true(fth_tmpl_execute(&out, set, "zz", NULL, A, 0, &err) < 0);
    assert_string_equal(err.message,
                        "template: no template \"zz\" associated with template \"gotpl\"");
    /* a failed parse leaves the set as it was */
    assert_true(fth_tmpl_parse(set, "b", "{{ define \"d\" }}x{{ end }}{{", 29, &err) < 0);
    fth_buf_clear(&out);
    assert_int_equal(fth_tmpl_execute(&out, set, "m", NULL, A, 0, &err), 0);
    assert_string_equal(out.ptr, "[second]");
    fth_buf_release(&out);
    fth_tmpl_set_free(set);
}

static void test_tmpl_exec_and_or_not(void **state)
{
    (void)state;
    EXPECT("{{ and 1 0 .x.y.z }} {{ or 0 \"\" 3 }} {{ not 0 }} {{ and 1 2 }} {{ or 0 \"\" }}", "{}",
           "0 3 true 2 ");
    /* short-circuit: the failing call is never made */
    EXPECT("{{ or 1 (fail \"no\") }}{{ and 0 (fail \"no\") }}", NULL, "10");
    EXPECT("{{ and 1 (fail \"yes\") }}", NULL,
           "ERR: template: t:1:10: executing \"t\" at <fail \"yes\">: error calling fail: yes");
    EXPECT("{{ 0 | or 5 }}", NULL, "5");
    EXPECT("{{ not }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <not>: wrong number of args for not: want 1 "
           "got 0");
}

static void test_tmpl_exec_comparisons(void **state)
{
    (void)state;
    EXPECT("{{ eq 1 1 }} {{ eq \"a\" \"b\" }} {{ eq 1 2 3 1 }} {{ ne 1 2 }}", NULL,
           "true false true true");
    EXPECT("{{ lt 1 2 }} {{ le 2 2 }} {{ gt \"b\" \"a\" }} {{ ge 1.5 2.5 }}", NULL,
           "true true true false");
    EXPECT("{{ eq .a 80.0 }} {{ eq .s \"x\" }}", "{a: 80, s: x}", "true true");
    EXPECT("{{ eq .a 80 }}", "{a: 80}",
           "ERR: template: t:1:3: executing \"t\" at <eq .a 80>: error calling eq: "
           "incompatible types for comparison");
    EXPECT("{{ eq .missing \"x\" }} {{ eq .missing .other }}", "{}", "false true");
    EXPECT("{{ lt true false }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <lt true false>: error calling lt: invalid "
           "type for comparison");
    EXPECT("{{ lt .l 1 }}", "{l: []}",
           "ERR: template: t:1:3: executing \"t\" at <lt .l 1>: error calling lt: invalid type "
           "for comparison");
    EXPECT("{{ eq 1 }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <eq 1>: error calling eq: missing argument "
           "for comparison");
}

static void test_tmpl_exec_index_slice_len(void **state)
{
    (void)state;
    EXPECT("{{ index .m \"a\" \"b\" }} {{ index .l 1 }} {{ index \"abc\" 1 }}",
           "{m: {a: {b: 7}}, l: [p, q]}", "7 q 98");
    EXPECT("{{ index .m \"zz\" }}", "{m: {}}", "<no value>");
    EXPECT("{{ index .l 5 }}", "{l: [1]}",
           "ERR: template: t:1:3: executing \"t\" at <index .l 5>: error calling index: index "
           "out of range: 5");
    EXPECT("{{ index .l 1 }}", "{l: [1]}",
           "ERR: template: t:1:3: executing \"t\" at <index .l 1>: error calling index: "
           "reflect: slice index out of range");
    EXPECT("{{ index .l \"a\" }}", "{l: [1]}",
           "ERR: template: t:1:3: executing \"t\" at <index .l \"a\">: error calling index: "
           "cannot index slice/array with type string");
    EXPECT("{{ index 1 1 }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <index 1 1>: error calling index: can't "
           "index item of type int");
    EXPECT("{{ index .nil 1 }}", "{}",
           "ERR: template: t:1:3: executing \"t\" at <index .nil 1>: error calling index: index "
           "of untyped nil");
    EXPECT_GO("{{ slice \"hello\" 1 3 }} {{ slice .l 1 }} {{ slice .l }}", "{l: [1, 2, 3]}",
              "el [2 3] [1 2 3]");
    EXPECT_GO("{{ slice .l 2 1 }}", "{l: [1, 2, 3]}",
              "ERR: template: t:1:3: executing \"t\" at <slice .l 2 1>: error calling slice: "
              "invalid slice index: 2 > 1");
    EXPECT("{{ len .l }} {{ len \"héllo\" }} {{ len .m }}", "{l: [1, 2], m: {a: 1}}", "2 6 1");
    EXPECT("{{ len .x }}", "{}",
           "ERR: template: t:1:3: executing \"t\" at <len .x>: error calling len: len of nil "
           "pointer");
    EXPECT("{{ len 3 }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <len 3>: error calling len: len of type int");
}

static void test_tmpl_exec_argument_types(void **state)
{
    (void)state;
    EXPECT("{{ printf 3 }}", NULL,
           "ERR: template: t:1:10: executing \"t\" at <3>: expected string; found 3");
    EXPECT("{{ printf .a }}", "{a: 1}",
           "ERR: template: t:1:10: executing \"t\" at <.a>: wrong type for value; expected "
           "string; got float64");
    EXPECT("{{ printf .a }}", "{}",
           "ERR: template: t:1:10: executing \"t\" at <.a>: wrong type for value; expected "
           "string; got interface {}");
    EXPECT("{{ .a | printf }}", "{}",
           "ERR: template: t:1:8: executing \"t\" at <printf>: invalid value; expected string");
    EXPECT("{{ printf nil }}", NULL,
           "ERR: template: t:1:10: executing \"t\" at <nil>: cannot assign nil to string");
    EXPECT("{{ html .x }} {{ js \"<\" }} {{ urlquery \"a b&c\" }} {{ html \"<a href='x'>\" }}",
           "{}", "&lt;no value&gt; \\u003C a+b%26c &lt;a href=&#39;x&#39;&gt;");
    EXPECT("{{ call .f }}", "{f: 1}",
           "ERR: template: t:1:3: executing \"t\" at <call .f>: error calling call: non-function "
           ".f of type float64");
}

/* A method value the way the chart renderer models .Files.Get: it receives its receiver. */
static int m_get(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                 size_t argc)
{
    (void)argc;
    {
        char *s =
            fth_arena_printf(call->arena, "%s:%s", (const char *)call->recv, args[0]->u.str.ptr);
        *out = s ? fth_tmpl_str(call->arena, s, strlen(s)) : NULL;
    }
    return *out ? 0 : FTH_ENOMEM;
}

static const struct fth_tmpl_func get_fn = {"Get", "s", m_get, NULL};

static void test_tmpl_exec_structs_and_methods(void **state)
{
    struct fth_tmpl_set *set = NULL;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_error err;
    struct fth_value *root = fth_tmpl_map(A, 2);
    struct fth_value *files = fth_tmpl_struct_new(A, "engine.files", 1);
    struct fth_value *chart = fth_tmpl_struct_new(A, "*chart.Metadata", 1);
    const char *text = "{{ .Files.Get \"a.txt\" }}|{{ .Chart.Name }}|{{ \"b\" | .Files.Get }}";
    const char *bad = "{{ .Chart.Nope }}{{ with .Chart }}{{ .Nope }}{{ end }}";
    const char *noargs = "{{ len .Files.Get }}";
    (void)state;
    assert_non_null(root);
    assert_int_equal(fth_tmpl_map_set(A, files, "Get", 3, fth_tmpl_method_new(A, &get_fn, "F")), 0);
    assert_int_equal(fth_tmpl_map_set(A, chart, "Name", 4, fth_tmpl_str(A, "mychart", 7)), 0);
    assert_int_equal(fth_tmpl_map_set(A, root, "Files", 5, files), 0);
    assert_int_equal(fth_tmpl_map_set(A, root, "Chart", 5, chart), 0);
    assert_int_equal(fth_tmpl_set_new(&set, NULL, &err), 0);
    assert_int_equal(fth_tmpl_parse(set, "t", text, strlen(text), &err), 0);
    assert_int_equal(fth_tmpl_execute(&out, set, "t", root, A, 0, &err), 0);
    assert_string_equal(out.ptr, "F:a.txt|mychart|F:b");
    assert_int_equal(fth_tmpl_parse(set, "bad", bad, strlen(bad), &err), 0);
    fth_buf_clear(&out);
    assert_true(fth_tmpl_execute(&out, set, "bad", root, A, 0, &err) < 0);
    assert_string_equal(err.message, "template: bad:1:9: executing \"bad\" at <.Chart.Nope>: "
                                     "can't evaluate field Nope in type interface {}");
    assert_int_equal(fth_tmpl_parse(set, "bad", bad + 17, strlen(bad + 17), &err), 0);
    assert_true(fth_tmpl_execute(&out, set, "bad", root, A, 0, &err) < 0);
    assert_string_equal(err.message, "template: bad:1:20: executing \"bad\" at <.Nope>: "
                                     "can't evaluate field Nope in type *chart.Metadata");
    /* a method reached as an argument is called with no arguments, as in Go */
    assert_int_equal(fth_tmpl_parse(set, "na", noargs, strlen(noargs), &err), 0);
    assert_true(fth_tmpl_execute(&out, set, "na", root, A, 0, &err) < 0);
    assert_string_equal(err.message, "template: na:1:13: executing \"na\" at <.Files.Get>: wrong "
                                     "number of args for Get: want 1 got 0");
    fth_buf_release(&out);
    fth_tmpl_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tmpl_exec_fields_and_missing),
        cmocka_unit_test(test_tmpl_exec_variables),
        cmocka_unit_test(test_tmpl_exec_control),
        cmocka_unit_test(test_tmpl_exec_define_template_block),
        cmocka_unit_test(test_tmpl_exec_set_redefinition),
        cmocka_unit_test(test_tmpl_exec_and_or_not),
        cmocka_unit_test(test_tmpl_exec_comparisons),
        cmocka_unit_test(test_tmpl_exec_index_slice_len),
        cmocka_unit_test(test_tmpl_exec_argument_types),
        cmocka_unit_test(test_tmpl_exec_structs_and_methods),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
