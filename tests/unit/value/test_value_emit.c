/*
 * Emitting values: JSON as Go's encoding/json writes it (numbers, escapes) and YAML that
 * loads back to the same values (strings that look like something else are quoted).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/value.h"

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
    A = NULL;
    return 0;
}

static void expect_float(double d, const char *want)
{
    struct fth_buf b = FTH_BUF_INIT;
    assert_int_equal(fth_format_float(&b, d), 0);
    if (strcmp(b.ptr, want))
        fail_msg("%.17g: expected '%s', found '%s'", d, want, b.ptr);
    fth_buf_release(&b);
}

static void test_value_emit_float(void **state)
{
    (void)state;
    expect_float(0, "0");
    expect_float(-0.0, "-0");
    expect_float(1, "1");
    expect_float(-1.5, "-1.5");
    expect_float(0.1, "0.1");
    expect_float(100, "100");
    expect_float(1.0 / 3, "0.3333333333333333");
    expect_float(123456789, "123456789");
    expect_float(9007199254740992.0, "9007199254740992");
    expect_float(1e20, "100000000000000000000");
    expect_float(999999999999999900000.0, "999999999999999900000");
    expect_float(1e21, "1e+21");
    expect_float(1.5e300, "1.5e+300");
    expect_float(DBL_MAX, "1.7976931348623157e+308");
    expect_float(0.000001, "0.000001");
    expect_float(0.0000012345, "0.0000012345");
    expect_float(1e-7, "1e-7");
    expect_float(-2.5e-10, "-2.5e-10");
    expect_float(1e-100, "1e-100");
    expect_float(5e-324, "5e-324");
    expect_float(DBL_MIN, "2.2250738585072014e-308");
    expect_float(0.30000000000000004, "0.30000000000000004");
}

static const char *quote(const char *s, size_t len)
{
    static char out[256];
    struct fth_buf b = FTH_BUF_INIT;
    assert_int_equal(fth_json_quote(&b, s, len), 0);
    assert_true(b.len < sizeof(out));
    memcpy(out, b.ptr, b.len + 1);
    fth_buf_release(&b);
    return out;
}

#define Q(lit) quote(lit, sizeof(lit) - 1)

static void test_value_emit_json_quote(void **state)
{
    (void)state;
    assert_string_equal(Q(""), "\"\"");
    assert_string_equal(Q("plain"), "\"plain\"");
    assert_string_equal(Q("<a href=\"x\">&</a>"),
                        "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\"");
    assert_string_equal(Q("a\\b"), "\"a\\\\b\"");
    assert_string_equal(Q("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
    assert_string_equal(Q("\x01\x1f\x7f"), "\"\\u0001\\u001f\x7f\"");
    assert_string_equal(Q("a\0b"), "\"a\\u0000b\"");
    assert_string_equal(Q("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
                        "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    assert_string_equal(Q("\xe2\x80\xa8\xe2\x80\xa9"), "\"\\u2028\\u2029\"");
    /* invalid UTF-8: one replacement per bad byte, as Go does */
    assert_string_equal(Q("a\xff"), "\"a\\ufffd\"");
    assert_string_equal(Q("\xe2\x82"), "\"\\ufffd\\ufffd\"");
    assert_string_equal(Q("\xc0\x80"), "\"\\ufffd\\ufffd\"");            /* overlong */
    assert_string_equal(Q("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
    assert_string_equal(Q("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    assert_string_equal(Q("\x80x"), "\"\\ufffdx\"");
}

static const char *json_of(const char *yaml, unsigned flags)
{
    static char out[1024];
    struct fth_value *v;
    struct fth_buf b = FTH_BUF_INIT;
    assert_int_equal(fth_value_load_one(&v, A, yaml, strlen(yaml), NULL, NULL), 0);
    assert_int_equal(fth_value_to_json(&b, v, flags), 0);
    assert_true(b.len < sizeof(out));
    memcpy(out, b.ptr, b.len + 1);
    fth_buf_release(&b);
    return out;
}

static void test_value_emit_json(void **state)
{
    (void)state;
    assert_string_equal(json_of("a: 1\nb: [x, 2.5, true, ~]\nc: {}\nd: []\n", 0),
                        "{\"a\":1,\"b\":[\"x\",2.5,true,null],\"c\":{},\"d\":[]}");
    assert_string_equal(json_of("a: 1\nb: [x, {c: 1e-7}]\n", FTH_EMIT_PRETTY),
                        "{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    {\n      \"c\": 1e-7\n"
                        "    }\n  ]\n}");
    assert_string_equal(json_of("-9223372036854775808", 0), "-9223372036854775808");
    assert_string_equal(json_of("[.inf, -.inf, .nan]", 0), "[null,null,null]");
    assert_string_equal(json_of("a: &x {b: 1}\nc: *x\n", 0), "{\"a\":{\"b\":1},\"c\":{\"b\":1}}");
    assert_string_equal(json_of("\"<&>\"", 0), "\"\\u003c\\u0026\\u003e\"");
    assert_string_equal(json_of("1e21", 0), "1e+21");
    assert_string_equal(json_of("0.000001", 0), "0.000001");
    assert_string_equal(json_of("", 0), "null");
}

/* Emit v as YAML, load it back, and check it is the same value. */
static void same(const struct fth_value *a, const struct fth_value *b)
{
    size_t i;
    assert_int_equal(a->type, b->type);
    switch (a->type) {
    case FTH_VALUE_NULL:
        break;
    case FTH_VALUE_BOOL:
        assert_int_equal(a->u.boolean, b->u.boolean);
        break;
    case FTH_VALUE_INT:
        assert_true(a->u.integer == b->u.integer);
        break;
    case FTH_VALUE_FLOAT:
        assert_true(a->u.number == b->u.number || (isnan(a->u.number) && isnan(b->u.number)));
        break;
    case FTH_VALUE_STRING:
        assert_int_equal(a->u.str.len, b->u.str.len);
        assert_memory_equal(a->u.str.ptr, b->u.str.ptr, a->u.str.len);
        break;
    case FTH_VALUE_SEQ:
        assert_int_equal(a->u.seq.len, b->u.seq.len);
        for (i = 0; i < a->u.seq.len; i++)
            same(a->u.seq.items[i], b->u.seq.items[i]);
        break;
    case FTH_VALUE_MAP:
        assert_int_equal(a->u.map.len, b->u.map.len);
        for (i = 0; i < a->u.map.len; i++) {
            same(a->u.map.items[i].key, b->u.map.items[i].key);
            same(a->u.map.items[i].value, b->u.map.items[i].value);
        }
        break;
    }
}

static void round_trip(const struct fth_value *v)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_value *back;
    struct fth_error err;
    fth_error_clear(&err);
    assert_int_equal(fth_value_to_yaml(&b, v), 0);
    if (fth_value_load_one(&back, A, b.ptr, b.len, NULL, &err) != 0)
        fail_msg("emitted YAML does not load: %s\n%s", err.message, b.ptr);
    same(v, back);
    fth_buf_release(&b);
}

static void test_value_emit_yaml_strings(void **state)
{
    static const char *const strings[] = {
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "n",
        "true",
        "False",
        "null",
        "~",
        "",
        "123",
        "0755",
        "0x1F",
        "0b101",
        "1_000",
        "1e3",
        ".5",
        "1.",
        ".inf",
        "-.Inf",
        ".nan",
        "<<",
        "a: b",
        "- x",
        "-",
        "#x",
        "x #y",
        " lead",
        "trail ",
        "two\nlines",
        "\ttab",
        "!tag",
        "&anchor",
        "*alias",
        "@x",
        "`x",
        "%x",
        "{x",
        "[x",
        "]",
        "}",
        ",",
        "?",
        "? x",
        ":",
        "---",
        "...",
        "--- x",
        "\"q\"",
        "'s'",
        "a'b",
        "a\"b",
        "\x01ctl",
        "caf\xc3\xa9",
        "\xe2\x80\xa8",
        "\xef\xbb\xbf"
        "bom",
        "2001-12-14",
        "12:30",
        "+1",
        "-1",
        "+.5",
        "1e400",
        "0o17",
        "09",
        "=",
        "|",
        ">",
        "a\\b",
        "\\",
        "x\r\ny",
        "end\n",
        "\n",
        " ",
        "a  b",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(strings) / sizeof(*strings); i++) {
        struct fth_value *m = fth_value_new(A, FTH_VALUE_MAP);
        struct fth_value *s = fth_value_new_str(A, strings[i], strlen(strings[i]));
        struct fth_value *k = fth_value_new_str(A, strings[i], strlen(strings[i]));
        struct fth_value *seq = fth_value_new(A, FTH_VALUE_SEQ);
        assert_non_null(m);
        assert_non_null(s);
        assert_non_null(k);
        m->u.map.items = fth_arena_calloc(A, 1, sizeof(*m->u.map.items));
        m->u.map.items[0].key = k;
        m->u.map.items[0].value = s;
        m->u.map.len = 1;
        seq->u.seq.items = fth_arena_calloc(A, 1, sizeof(*seq->u.seq.items));
        seq->u.seq.items[0] = s;
        seq->u.seq.len = 1;
        round_trip(s);
        round_trip(seq);
        if (strings[i][0]) /* an empty key is refused? no: "" quoted is a string key */
            round_trip(m);
    }
}

static void test_value_emit_yaml_bytes(void **state)
{
    /* NUL bytes and invalid UTF-8 survive (the latter as !!binary, as go-yaml writes it) */
    static const char *const bytes[] = {"a\0b", "\xff", "a\xff\xfe", "\xc0\x80", "\0"};
    static const size_t lens[] = {3, 1, 3, 2, 1};
    struct fth_buf b = FTH_BUF_INIT;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(bytes) / sizeof(*bytes); i++)
        round_trip(fth_value_new_str(A, bytes[i], lens[i]));
    assert_int_equal(fth_value_to_yaml(&b, fth_value_new_str(A, "\xff", 1)), 0);
    assert_non_null(strstr(b.ptr, "!!binary"));
    fth_buf_release(&b);
}

static void test_value_emit_yaml_values(void **state)
{
    static const char *const docs[] = {
        "a: 1\nb: [x, 2.5, true, ~, -3]\nc: {}\nd: []\ne: {f: {g: [[], [1]]}}\n",
        "- .inf\n- -.inf\n- .nan\n- 1e21\n- 1e-7\n- 0.1\n- 9223372036854775807\n",
        "- -9223372036854775808\n- 1e300\n- 123456789.125\n",
        "a: &x {b: [1, 2]}\nc: *x\n",
        "'yes': 'no'\n'123': '0755'\nk: |\n  literal\n  text\n",
        "{\"json\": [1, \"two\", {\"three\": null}]}",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
        struct fth_value *v;
        assert_int_equal(fth_value_load_one(&v, A, docs[i], strlen(docs[i]), NULL, NULL), 0);
        round_trip(v);
    }
}

static void test_value_emit_yaml_text(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_value *v;
    const char *doc = "kind: Pod\nspec:\n  containers:\n  - name: x\n    ports:\n    - 80\n";
    (void)state;
    assert_int_equal(fth_value_load_one(&v, A, doc, strlen(doc), NULL, NULL), 0);
    assert_int_equal(fth_value_to_yaml(&b, v), 0);
    assert_string_equal(b.ptr, doc);
    fth_buf_clear(&b);
    assert_int_equal(fth_value_to_yaml(&b, fth_value_new_str(A, "yes", 3)), 0);
    assert_string_equal(b.ptr, "\"yes\"\n");
    fth_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_value_emit_float),      T(test_value_emit_json_quote),
        T(test_value_emit_json),       T(test_value_emit_yaml_strings),
        T(test_value_emit_yaml_bytes), T(test_value_emit_yaml_values),
        T(test_value_emit_yaml_text),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
