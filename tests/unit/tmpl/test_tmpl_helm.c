/*
 * Helm's functions: include (and its limit of 1000 nested calls of one name), tpl, required,
 * fail, toYaml/toJson/toToml and their readers, lookup; and the engine's own limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

static void test_tmpl_helm_include(void **state)
{
    (void)state;
    EXPECT("{{ define \"a\" }}A{{ .x }}{{ end }}{{ include \"a\" . | printf \"[%s]\" }}", "{x: 1}",
           "[A1]");
    EXPECT("{{ include \"nope\" . }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <include \"nope\" .>: error calling include: "
           "template: no template \"nope\" associated with template \"gotpl\"");
    EXPECT("{{ define \"a\" }}{{ .x.y }}{{ end }}{{ include \"a\" . }}", "{}",
           "ERR: template: t:1:38: executing \"t\" at <include \"a\" .>: error calling include: "
           "template: t:1:21: executing \"a\" at <.x.y>: nil pointer evaluating interface {}.y");
}

static void test_tmpl_helm_include_recursion_limit(void **state)
{
    const char *text = "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}";
    const char *suffix =
        "error calling include: rendering template has a nested reference name: r: unable to "
        "execute template";
    struct fth_tmpl_opts opts = FTH_TMPL_OPTS_INIT;
    struct fth_tmpl_set *set = NULL;
    struct fth_buf out = FTH_BUF_INIT, msg = FTH_BUF_INIT;
    struct fth_error err;
    size_t n = 0;
    const char *p;
    (void)state;
    opts.flags = FTH_TMPL_HELM;
    assert_int_equal(fth_tmpl_set_new(&set, &opts, &err), 0);
    assert_int_equal(fth_tmpl_parse(set, "t", text, strlen(text), &err), 0);
    assert_true(fth_tmpl_execute_full(&out, &msg, set, "t", NULL, A, 0, &err) < 0);
    assert_true(msg.len > strlen(suffix));
    assert_string_equal(msg.ptr + msg.len - strlen(suffix), suffix);
    assert_memory_equal(msg.ptr, "template: t:1:47: executing \"t\" at <include \"r\" .>: ", 52);
    /* Helm's counter lets 1001 calls of "r" nest before refusing the next one */
    for (p = msg.ptr; (p = strstr(p, "error calling include")); p++)
        n++;
    assert_int_equal(n, 1002);
    fth_buf_release(&out);
    fth_buf_release(&msg);
    fth_tmpl_set_free(set);
}

static void test_tmpl_helm_tpl(void **state)
{
    (void)state;
    EXPECT("{{ tpl \"{{ .x }}-{{ .y }}\" . }}", "{x: 1}", "1-");
    EXPECT("{{ tpl .t . }}", "{t: \"{{ .name | printf \\\"%s!\\\" }}\", name: n1}", "n1!");
    /* defines made inside tpl stay inside it; the set's defines are visible */
    EXPECT("{{ define \"d\" }}D{{ end }}{{ tpl \"{{ define \\\"e\\\" }}E{{ end }}{{ include "
           "\\\"d\\\" . }}{{ include \\\"e\\\" . }}\" . }}|{{ include \"d\" . }}",
           NULL, "DE|D");
    EXPECT("{{ tpl \"{{ define \\\"e\\\" }}E{{ end }}\" . }}{{ include \"e\" . }}", NULL,
           "ERR: template: t:1:45: executing \"t\" at <include \"e\" .>: error calling include: "
           "template: no template \"e\" associated with template \"gotpl\"");
    EXPECT("{{ tpl \"{{ .x \" . }}", "{x: 1}",
           "ERR: template: t:1:3: executing \"t\" at <tpl \"{{ .x \" .>: error calling tpl: "
           "cannot parse template \"{{ .x \": template: gotpl:1: unclosed action");
    EXPECT("{{ tpl \"{{ .x.y }}\" . }}", "{}",
           "ERR: template: t:1:3: executing \"t\" at <tpl \"{{ .x.y }}\" .>: error calling tpl: "
           "error during tpl function execution for \"{{ .x.y }}\": template: gotpl:1:5: "
           "executing \"gotpl\" at <.x.y>: nil pointer evaluating interface {}.y");
}

static void test_tmpl_helm_required_fail_lookup(void **state)
{
    (void)state;
    EXPECT("{{ required \"need x\" .x }}", "{x: 0}", "0");
    EXPECT("{{ required \"need x\" .x }}", "{}",
           "ERR: template: t:1:3: executing \"t\" at <required \"need x\" .x>: error calling "
           "required: need x");
    EXPECT("{{ required \"need x\" .x }}", "{x: \"\"}",
           "ERR: template: t:1:3: executing \"t\" at <required \"need x\" .x>: error calling "
           "required: need x");
    EXPECT("{{ fail \"boom\" }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <fail \"boom\">: error calling fail: boom");
    EXPECT("{{ lookup \"v1\" \"Secret\" \"ns\" \"name\" }}|{{ len (lookup \"v1\" \"Pod\" \"\" "
           "\"\") }}",
           NULL, "map[]|0");
    EXPECT("{{ env \"HOME\" }}", NULL, "ERR: template: t:1: function \"env\" not defined");
}

static void test_tmpl_helm_toyaml(void **state)
{
    (void)state;
    EXPECT("{{ toYaml . }}",
           "{b: [1, 2.5, \"3\"], a: {c: \"yes\", d: \"\", e: 1000000, f: 0.000001, g: \"x: y\", "
           "h: \"multi\\nline\", i: null, j: [], k: {}, l: \"1e3\", m: \"2001-12-14\"}, item10: 1, "
           "item2: 2}",
           "a:\n"
           "  c: \"yes\"\n"
           "  d: \"\"\n"
           "  e: 1000000\n"
           "  f: 1e-06\n"
           "  g: 'x: y'\n"
           "  h: |-\n"
           "    multi\n"
           "    line\n"
           "  i: null\n"
           "  j: []\n"
           "  k: {}\n"
           "  l: \"1e3\"\n"
           "  m: \"2001-12-14\"\n"
           "b:\n"
           "- 1\n"
           "- 2.5\n"
           "- \"3\"\n"
           "item2: 2\n"
           "item10: 1");
    EXPECT("{{ toYaml . }}", "{foo: bar}", "foo: bar");
    /* Helm's funcs_test.go: toYamlPretty indents sequences, toYaml does not */
    EXPECT("{{ toYamlPretty . }}", "{baz: [1, 2, 3]}", "baz:\n  - 1\n  - 2\n  - 3");
    EXPECT("{{ toYaml . }}", "{baz: [1, 2, 3]}", "baz:\n- 1\n- 2\n- 3");
    EXPECT("{{ toYamlPretty . }}", "{a: {b: [{c: 1, d: [p, \"yes\"]}, 2]}, e: \"m\\nl\\n\", g: {}}",
           "a:\n  b:\n    - c: 1\n      d:\n        - p\n        - \"yes\"\n    - 2\ne: |\n  m\n  "
           "l\ng: {}");
    EXPECT("{{ toYaml .l }}", "{l: [[1, 2], {a: b}]}", "- - 1\n  - 2\n- a: b");
    EXPECT("{{ toYaml 1e21 }}|{{ toYaml 3 }}|{{ toYaml \"s\" }}", NULL, "1e+21|3|s");
    EXPECT("{{ .x | toYaml }}|{{ toYaml .l }}", "{l: []}", "null|[]");
}

static void test_tmpl_helm_json(void **state)
{
    (void)state;
    EXPECT("{{ toJson . }}", "{b: [1, 2.5, \"<3\"], a: {c: true, d: null}}",
           "{\"a\":{\"c\":true,\"d\":null},\"b\":[1,2.5,\"\\u003c3\"]}");
    EXPECT("{{ toJson 1e21 }} {{ toJson 0.000001 }} {{ toJson 5 }}", NULL, "1e+21 0.000001 5");
    EXPECT("{{ $m := fromJson \"{\\\"a\\\": 1, \\\"b\\\": [true, null]}\" }}{{ $m.a }} {{ $m.b }} "
           "{{ printf \"%T\" $m.a }}",
           NULL, "1 [true <nil>] float64");
    EXPECT("{{ fromJsonArray \"[1, \\\"x\\\"]\" }}", NULL, "[1 x]");
    EXPECT("{{ (fromJson \"[1]\").Error }}", NULL,
           "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go "
           "value of type map[string]interface {}");
}

static void test_tmpl_helm_fromyaml(void **state)
{
    (void)state;
    EXPECT("{{ fromYaml \"a: 1\\nb: [x]\" }}", NULL, "map[a:1 b:[x]]");
    EXPECT("{{ $m := fromYaml \"a: 1\" }}{{ printf \"%T\" $m.a }}", NULL, "float64");
    EXPECT("{{ fromYamlArray \"- 1\\n- b\" }}", NULL, "[1 b]");
    EXPECT("{{ fromYaml \"\" }}", NULL, "map[]");
    EXPECT("{{ hasKey1 }}", NULL, "ERR: template: t:1: function \"hasKey1\" not defined");
    {
        const char *got = render(A, "{{ (fromYaml \"a: [\").Error }}", NULL);
        assert_true(strlen(got) > 0);
        assert_null(strstr(got, "ERR"));
    }
}

static void test_tmpl_helm_toml(void **state)
{
    (void)state;
    EXPECT("{{ toToml . }}", "{foo: bar}", "foo = \"bar\"\n");
    EXPECT("{{ toToml . }}", "{foo: bar, t: {x: 1, sub: {k: \"z\"}}, l: [1, 2], s: [a]}",
           "foo = \"bar\"\n"
           "l = [1.0, 2.0]\n"
           "s = [\"a\"]\n"
           "\n"
           "[t]\n"
           "  x = 1.0\n"
           "\n"
           "  [t.sub]\n"
           "    k = \"z\"\n");
    EXPECT("{{ fromToml \"hello = \\\"world\\\"\" }}", NULL, "map[hello:world]");
    EXPECT("{{ fromToml \"# c\\na = 1\\nb = 1.5\\nc = [1, 2]\\n[t.u]\\nd = 'lit'\\n\" }}", NULL,
           "map[a:1 b:1.5 c:[1 2] t:map[u:map[d:lit]]]");
    EXPECT("{{ $m := fromToml \"a = 1\" }}{{ printf \"%T\" $m.a }}", NULL, "int64");
    EXPECT("{{ (fromToml \"a = \").Error }}", NULL, "toml: line 1: expected a value");
}

static void test_tmpl_helm_limits(void **state)
{
    struct fth_tmpl_opts opts = FTH_TMPL_OPTS_INIT;
    struct fth_tmpl_set *set = NULL;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_error err;
    const char *grow =
        "{{ define \"g\" }}{{ . }}{{ template \"g\" (printf \"%s%s\" . .) }}{{ end }}"
        "{{ template \"g\" \"ab\" }}";
    const char *deep = "{{ define \"d\" }}{{ template \"d\" . }}{{ end }}{{ template \"d\" . }}";
    (void)state;
    opts.flags = FTH_TMPL_HELM;
    opts.max_output = 1 << 16;
    assert_int_equal(fth_tmpl_set_new(&set, &opts, &err), 0);
    assert_int_equal(fth_tmpl_parse(set, "g", grow, strlen(grow), &err), 0);
    assert_int_equal(fth_tmpl_execute(&out, set, "g", NULL, A, 0, &err), FTH_ELIMIT);
    assert_non_null(strstr(err.message, "template output exceeds 65536 bytes"));
    assert_int_equal(fth_tmpl_parse(set, "d", deep, strlen(deep), &err), 0);
    fth_buf_clear(&out);
    assert_int_equal(fth_tmpl_execute(&out, set, "d", NULL, A, 0, &err), FTH_ELIMIT);
    assert_string_equal(err.message, "template: d:1:28: executing \"d\" at <{{template \"d\" .}}>: "
                                     "exceeded maximum template depth (3000)");
    fth_buf_release(&out);
    fth_tmpl_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tmpl_helm_include),
        cmocka_unit_test(test_tmpl_helm_include_recursion_limit),
        cmocka_unit_test(test_tmpl_helm_tpl),
        cmocka_unit_test(test_tmpl_helm_required_fail_lookup),
        cmocka_unit_test(test_tmpl_helm_toyaml),
        cmocka_unit_test(test_tmpl_helm_json),
        cmocka_unit_test(test_tmpl_helm_fromyaml),
        cmocka_unit_test(test_tmpl_helm_toml),
        cmocka_unit_test(test_tmpl_helm_limits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
