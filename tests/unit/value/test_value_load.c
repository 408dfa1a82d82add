/*
 * Loading YAML and JSON into fth_value: document separators, YAML 1.1 scalar resolution as
 * Kubernetes (go-yaml v2 through sigs.k8s.io/yaml) applies it, keys, positions, merge keys,
 * duplicates, anchors, limits, binary and UTF-16 input, JSON documents.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

static struct fth_stream load_opts(const char *text, size_t len, const struct fth_load_opts *o)
{
    struct fth_stream s;
    struct fth_error err;

    fth_error_clear(&err);
    if (fth_value_load(&s, A, text, len, o, &err) != 0)
        fail_msg("stream failed: %s", err.message);
    return s;
}

static struct fth_stream load(const char *text)
{
    static const struct fth_load_opts o = {"in.yaml", 0, 0, 0, 0, 0};
    return load_opts(text, strlen(text), &o);
}

/* The one document of text, which must load. */
static const struct fth_value *load1(const char *text)
{
    struct fth_stream s = load(text);

    assert_int_equal(s.len, 1);
    if (s.docs[0].error)
        fail_msg("document failed: %u:%u: %s", s.docs[0].error->line, s.docs[0].error->column,
                 s.docs[0].error->message);
    assert_non_null(s.docs[0].root);
    return s.docs[0].root;
}

/* The error of the one document of text, which must fail. */
static const struct fth_error *fail1(const char *text)
{
    struct fth_stream s = load(text);

    assert_int_equal(s.len, 1);
    assert_non_null(s.docs[0].error);
    assert_null(s.docs[0].root);
    assert_true(s.docs[0].error->code < 0);
    assert_string_equal(s.docs[0].error->file, "in.yaml");
    assert_null(strchr(s.docs[0].error->message, '\n'));
    return s.docs[0].error;
}

/* The value of key "v" in "v: <scalar>". */
static const struct fth_value *scalar(const char *text)
{
    char buf[256];
    const struct fth_value *v;

    snprintf(buf, sizeof(buf), "v: %s\n", text);
    v = fth_value_get(load1(buf), "v");
    assert_non_null(v);
    return v;
}

static void expect_bool(const char *text, int b)
{
    const struct fth_value *v = scalar(text);
    if (v->type != FTH_VALUE_BOOL)
        fail_msg("'%s': expected a boolean, found %s", text, fth_value_type_name(v->type));
    assert_int_equal(v->u.boolean, b);
}

static void expect_int(const char *text, int64_t i)
{
    const struct fth_value *v = scalar(text);
    if (v->type != FTH_VALUE_INT)
        fail_msg("'%s': expected an integer, found %s", text, fth_value_type_name(v->type));
    assert_true(v->u.integer == i);
}

static void expect_float(const char *text, double d)
{
    const struct fth_value *v = scalar(text);
    if (v->type != FTH_VALUE_FLOAT)
        fail_msg("'%s': expected a number, found %s", text, fth_value_type_name(v->type));
    if (isnan(d))
        assert_true(isnan(v->u.number));
    else
        assert_true(v->u.number == d);
}

static void expect_null(const char *text)
{
    const struct fth_value *v = scalar(text);
    if (v->type != FTH_VALUE_NULL)
        fail_msg("'%s': expected null, found %s", text, fth_value_type_name(v->type));
}

static void expect_str(const char *text, const char *s)
{
    const struct fth_value *v = scalar(text);
    if (v->type != FTH_VALUE_STRING)
        fail_msg("'%s': expected a string, found %s", text, fth_value_type_name(v->type));
    assert_string_equal(v->u.str.ptr, s);
}

/* The key text of the first member of the one document. */
static const char *first_key(const char *text)
{
    const struct fth_value *root = load1(text);
    assert_int_equal(root->type, FTH_VALUE_MAP);
    assert_true(root->u.map.len >= 1);
    assert_int_equal(root->u.map.items[0].key->type, FTH_VALUE_STRING);
    return root->u.map.items[0].key->u.str.ptr;
}

/* ---- scalar resolution ---- */

static void test_value_load_bools(void **state)
{
    static const char *const yes[] = {"y",  "Y",  "yes",  "Yes",  "YES", "on",
                                      "On", "ON", "true", "True", "TRUE"};
    static const char *const no[] = {"n",   "N",   "no",    "No",    "NO",   "off",
                                     "Off", "OFF", "false", "False", "FALSE"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(yes) / sizeof(*yes); i++)
        expect_bool(yes[i], 1);
    for (i = 0; i < sizeof(no) / sizeof(*no); i++)
        expect_bool(no[i], 0);
    /* mixed case is not in go-yaml's lists */
    expect_str("yEs", "yEs");
    expect_str("tRUE", "tRUE");
    expect_str("oN", "oN");
    expect_str("yes please", "yes please");
}

static void test_value_load_nulls(void **state)
{
    (void)state;
    expect_null("~");
    expect_null("null");
    expect_null("Null");
    expect_null("NULL");
    expect_null("");
    expect_str("nULL", "nULL");
    expect_str("none", "none");
}

static void test_value_load_ints(void **state)
{
    (void)state;
    expect_int("0", 0);
    expect_int("-0", 0);
    expect_int("+12", 12);
    expect_int("-12", -12);
    expect_int("0755", 493);  /* YAML 1.1 octal */
    expect_int("0o755", 493); /* Go's ParseInt base 0 */
    expect_int("0O17", 15);
    expect_int("0x1F", 31);
    expect_int("0X1f", 31);
    expect_int("-0x10", -16);
    expect_int("0b101", 5);
    expect_int("-0b101", -5);
    expect_int("1_000", 1000);
    expect_int("1__0", 10);
    expect_int("1_", 1); /* go-yaml removes every '_' first */
    expect_int("0_7", 7);
    expect_int("9223372036854775807", INT64_MAX);
    expect_int("-9223372036854775808", INT64_MIN);
    expect_int("0x7fffffffffffffff", INT64_MAX);
}

static void test_value_load_floats(void **state)
{
    (void)state;
    expect_float("1.5", 1.5);
    expect_float("-1.5", -1.5);
    expect_float(".5", 0.5);
    expect_float("+.5", 0.5);
    expect_float("-.5", -0.5);
    expect_float("1.", 1.0);
    expect_float("1e3", 1000.0);
    expect_float("1E-3", 0.001);
    expect_float("1.5e+2", 150.0);
    expect_float("09", 9.0); /* not octal: a float, as go-yaml's regexp allows */
    expect_float("08.5", 8.5);
    expect_float("1_000.5", 1000.5);
    expect_float(".5_5", 0.55);
    expect_float(".inf", INFINITY);
    expect_float(".Inf", INFINITY);
    expect_float("+.INF", INFINITY);
    expect_float("-.inf", -INFINITY);
    expect_float(".nan", NAN);
    expect_float(".NaN", NAN);
    expect_float(".NAN", NAN);
    /* past int64: go-yaml reads uint64 or float64; the value model keeps a number */
    expect_float("9223372036854775808", 9223372036854775808.0);
    expect_float("-9223372036854775809", -9223372036854775809.0);
    expect_float("123456789012345678901234567890", 123456789012345678901234567890.0);
    expect_float("1e-400", 0.0);
}

static void test_value_load_strings(void **state)
{
    (void)state;
    expect_str("1e400", "1e400"); /* ParseFloat refuses overflow: stays a string */
    expect_str("0x", "0x");
    expect_str("0xG", "0xG");
    expect_str("0o8", "0o8");
    expect_str("0b2", "0b2");
    expect_str("0xFFFFFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFFFF");
    expect_str("_1", "_1");
    expect_str("._5", "._5");
    expect_str("+", "+");
    expect_str("-1-", "-1-");
    expect_str(".", ".");
    expect_str("1e", "1e");
    expect_str("e1", "e1");
    expect_str("1.2.3", "1.2.3");
    expect_str("1,000", "1,000");
    expect_str("12:30:00", "12:30:00");     /* no sexagesimal */
    expect_str("2001-12-14", "2001-12-14"); /* timestamps stay strings for interface{} */
    expect_str("2001-12-14T21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00");
    expect_str("Infinity", "Infinity");
    expect_str("NaN", "NaN");
    expect_str("0x1p3", "0x1p3");
}

static void test_value_load_quoted(void **state)
{
    const struct fth_value *v;
    (void)state;
    expect_str("\"yes\"", "yes");
    expect_str("'123'", "123");
    expect_str("'~'", "~");
    expect_str("\"\"", "");
    v = scalar("'true'");
    assert_true(v->flags & FTH_VALUE_QUOTED);
    v = scalar("|\n  yes\n");
    assert_int_equal(v->type, FTH_VALUE_STRING);
    assert_string_equal(v->u.str.ptr, "yes\n");
    assert_true(v->flags & FTH_VALUE_QUOTED);
    v = scalar(">-\n  0755\n");
    assert_int_equal(v->type, FTH_VALUE_STRING);
    assert_string_equal(v->u.str.ptr, "0755");
    v = scalar("\"a\\0b\"");
    assert_int_equal(v->type, FTH_VALUE_STRING);
    assert_int_equal(v->u.str.len, 3);
    assert_memory_equal(v->u.str.ptr, "a\0b", 3);
}

static void test_value_load_tags(void **state)
{
    const struct fth_error *e;
    (void)state;
    expect_str("!!str 123", "123");
    expect_str("!!str yes", "yes");
    expect_str("!!str", "");
    expect_int("!!int '42'", 42);
    expect_int("!!int \"0x10\"", 16);
    expect_float("!!float 3", 3.0);
    expect_float("!!float '1.5'", 1.5);
    expect_bool("!!bool 'yes'", 1);
    expect_null("!!null ''");
    expect_str("!foo 12", "12"); /* a local tag: go-yaml keeps the text */
    expect_str("! 12", "12");
    expect_str("!!timestamp 2001-12-14", "2001-12-14");
    expect_str("!!binary aGVsbG8=", "hello");
    expect_str("!!binary |\n  aGVs\n  bG8h\n", "hello!");
    expect_str("!!binary YQ==", "a");
    expect_str("!!binary YWI=", "ab");
    e = fail1("v: !!int foo\n");
    assert_int_equal(e->line, 1);
    assert_int_equal(e->column, 4);
    assert_non_null(strstr(e->message, "expected an integer (tag !!int), found 'foo'"));
    e = fail1("v: !!int 1.5\n");
    assert_non_null(strstr(e->message, "!!int"));
    e = fail1("v: !!bool 1\n");
    assert_non_null(strstr(e->message, "expected a boolean"));
    e = fail1("v: !!binary 'not base64!'\n");
    assert_non_null(strstr(e->message, "expected base64"));
    e = fail1("v: !!binary YQ=\n");
    assert_non_null(strstr(e->message, "expected base64"));
    e = fail1("v: !!binary YQ==YQ==\n");
    assert_non_null(strstr(e->message, "expected base64"));
}

/* ---- keys: sigs.k8s.io/yaml turns every key into a string ---- */

static void test_value_load_keys(void **state)
{
    const struct fth_value *root;
    const struct fth_error *e;
    (void)state;
    assert_string_equal(first_key("yes: 1\n"), "true");
    assert_string_equal(first_key("on: push\n"), "true");
    assert_string_equal(first_key("No: 1\n"), "false");
    assert_string_equal(first_key("'yes': 1\n"), "yes");
    assert_string_equal(first_key("123: a\n"), "123");
    assert_string_equal(first_key("0x10: a\n"), "16");
    assert_string_equal(first_key("0755: a\n"), "493");
    assert_string_equal(first_key("\"0755\": a\n"), "0755");
    assert_string_equal(first_key("1.5: a\n"), "1.5");
    assert_string_equal(first_key("1.0: a\n"), "1");
    assert_string_equal(first_key("100000.0: a\n"), "100000");
    assert_string_equal(first_key("1e6: a\n"), "1e+06");
    assert_string_equal(first_key("0.0001: a\n"), "0.0001");
    assert_string_equal(first_key("0.00001: a\n"), "1e-05");
    assert_string_equal(first_key("3.14159265358979: a\n"), "3.1415927"); /* float32 */
    assert_string_equal(first_key(".inf: a\n"), ".inf");
    assert_string_equal(first_key("-.inf: a\n"), "-.inf");
    assert_string_equal(first_key(".nan: a\n"), ".nan");
    assert_string_equal(first_key("1e300: a\n"), ".inf"); /* beyond float32 */
    assert_string_equal(first_key("x: &k 5\n"), "x");
    /* an alias as a key takes its anchor's value, then becomes a string */
    root = load1("x: &k 5\n*k : b\n");
    assert_int_equal(fth_value_get(root, "x")->type, FTH_VALUE_INT);
    assert_string_equal(fth_value_str(fth_value_get(root, "5")), "b");
    /* an anchored key keeps its type for its aliases */
    root = load1("&k yes : a\nv: *k\n");
    assert_true(fth_value_is_true(fth_value_get(root, "v")));
    assert_non_null(fth_value_get(root, "true"));
    /* "y" and "n" are booleans too, so Kubernetes sees these keys as "true" and "false" */
    root = load1("x: 1\ny: 2\nn: 3\n");
    assert_int_equal(fth_value_get(root, "true")->u.integer, 2);
    assert_int_equal(fth_value_get(root, "false")->u.integer, 3);
    /* keys that become equal are duplicates, as they are for Kubernetes */
    e = fail1("yes: 1\ntrue: 2\n");
    assert_int_equal(e->line, 2);
    assert_non_null(strstr(e->message, "duplicate key 'true'"));
    e = fail1("1: a\n0x1: b\n");
    assert_non_null(strstr(e->message, "duplicate key '1'"));
    /* null keys are refused by sigs.k8s.io/yaml */
    e = fail1("~: a\n");
    assert_non_null(strstr(e->message, "expected a string mapping key, found null"));
    e = fail1("a: 1\n: b\n");
    assert_int_equal(e->line, 2);
    e = fail1("? [a, b]\n: c\n");
    assert_non_null(strstr(e->message, "expected a scalar mapping key, found a sequence"));
    e = fail1("x: &k [1]\n*k : b\n");
    assert_non_null(strstr(e->message, "found a sequence"));
}

/* ---- positions ---- */

static void test_value_load_positions(void **state)
{
    const struct fth_value *root, *b, *m;
    (void)state;
    root = load1("a: 1\nb:\n  - x\n  - {c: d}\n  -   'q'\ne: |\n  text\n");
    assert_int_equal(root->line, 1);
    assert_int_equal(root->column, 1);
    assert_int_equal(root->u.map.items[0].key->line, 1);
    assert_int_equal(root->u.map.items[0].key->column, 1);
    assert_int_equal(root->u.map.items[0].value->line, 1);
    assert_int_equal(root->u.map.items[0].value->column, 4);
    b = fth_value_get(root, "b");
    assert_int_equal(b->type, FTH_VALUE_SEQ);
    assert_int_equal(b->line, 3);
    assert_int_equal(b->column, 3);
    assert_int_equal(b->u.seq.items[0]->line, 3);
    assert_int_equal(b->u.seq.items[0]->column, 5);
    m = b->u.seq.items[1];
    assert_int_equal(m->line, 4);
    assert_int_equal(m->column, 5);
    assert_int_equal(m->u.map.items[0].key->column, 6);
    assert_int_equal(m->u.map.items[0].value->column, 9);
    assert_int_equal(b->u.seq.items[2]->line, 5);
    assert_int_equal(b->u.seq.items[2]->column, 7);
    assert_int_equal(fth_value_get(root, "e")->line, 6);
    assert_int_equal(fth_value_get(root, "e")->column, 4);
    /* weight counts the nodes of a subtree */
    assert_int_equal(root->weight, 1 + 2 + (2 + 1 + 3 + 1) + 2);
}

static void test_value_load_positions_later_documents(void **state)
{
    struct fth_stream s;
    const struct fth_value *v;
    (void)state;
    s = load("# head\na: 1\n---\n# c\nb:\n  c: 2\n...\n---\nd: 3\n");
    assert_int_equal(s.len, 3);
    assert_int_equal(s.docs[2].line, 8);
    assert_int_equal(fth_value_get(s.docs[2].root, "d")->line, 9);
    assert_int_equal(s.docs[0].line, 1);
    assert_int_equal(s.docs[1].line, 3);
    assert_int_equal(s.docs[1].index, 1);
    v = fth_value_path(s.docs[1].root, "b.c");
    assert_int_equal(v->line, 6);
    assert_int_equal(v->column, 6);
    s = load("a: 1\r\n---\r\nb:\r\n  c: 2\r\n");
    assert_int_equal(s.len, 2);
    v = fth_value_path(s.docs[1].root, "b.c");
    assert_int_equal(v->line, 4);
    assert_int_equal(v->column, 6);
}

/* ---- separators ---- */

static void expect_docs(const char *text, size_t n)
{
    struct fth_stream s = load(text);
    size_t i;
    if (s.len != n)
        fail_msg("expected %zu documents, found %zu in '%s'", n, s.len, text);
    for (i = 0; i < s.len; i++)
        if (s.docs[i].error)
            fail_msg("document %zu of '%s': %u:%u: %s", i, text, s.docs[i].error->line,
                     s.docs[i].error->column, s.docs[i].error->message);
}

static void test_value_load_separators(void **state)
{
    struct fth_stream s;
    (void)state;
    expect_docs("", 0);
    expect_docs("\n\n", 0);
    expect_docs("# only a comment\n# and another", 0);
    expect_docs("\xef\xbb\xbf# a BOM and a comment\n", 0);
    expect_docs("a: 1", 1);
    expect_docs("a: 1\n---\nb: 2", 2);
    expect_docs("---\na: 1\n---\nb: 2\n", 2);
    expect_docs("--- # comment\na: 1\n--- # another\nb: 2\n", 2);
    expect_docs("--- {a: 1}\n--- {b: 2}\n", 2);
    expect_docs("--- !!map\na: 1\n", 1);
    expect_docs("--- |\n  text\n--- >\n  more\n", 2);
    expect_docs("a: 1\n...\nb: 2\n...\n", 2);
    expect_docs("a: 1\n... # end\n---\nb: 2\n", 2);
    expect_docs("%YAML 1.1\n---\na: 1\n", 1);
    expect_docs("%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n", 1);
    expect_docs("%YAML 1.1\n---\na: 1\n...\n%YAML 1.1\n---\nb: 2\n", 2);
    expect_docs("a: 1\n%YAML 1.1\n---\nb: 2\n", 2);
    expect_docs("\xef\xbb\xbf---\na: 1\n---\nb: 2\n", 2);
    expect_docs("\xef\xbb\xbf"
                "a: 1\n---\nb: 2\n",
                2);
    expect_docs("a: 1\r\n---\r\nb: 2\r\n", 2);
    expect_docs("a: 1\r---\rb: 2\r", 2); /* old Mac line ends, as libyaml reads them */
    expect_docs("a: 1\n\n# trailing comment\n", 1);
    expect_docs("a: 1\n---\n\n# an empty document\n", 2);
    expect_docs("---a: 1\n", 1);          /* not a marker */
    expect_docs("a: |\n  ---\n  x\n", 1); /* indented: content */
    expect_docs("a: \"x\n %b\"\n", 1);
    /* '%' lines that are not directives belong to a multi-line scalar */
    s = load("a: \"foo\n%bar\"\n");
    assert_int_equal(s.len, 1);
    if (!s.docs[0].error)
        assert_string_equal(fth_value_str(fth_value_get(s.docs[0].root, "a")), "foo %bar");
    /* empty documents */
    s = load("---\n---\na: 1\n");
    assert_int_equal(s.len, 2);
    assert_null(s.docs[0].error);
    assert_true(!s.docs[0].root || s.docs[0].root->type == FTH_VALUE_NULL);
    s = load("---\n");
    assert_int_equal(s.len, 1);
    assert_true(!s.docs[0].root || s.docs[0].root->type == FTH_VALUE_NULL);
    s = load("a: 1\n---\n");
    assert_int_equal(s.len, 2);
}

static void test_value_load_broken_document_alone(void **state)
{
    struct fth_stream s;
    (void)state;
    s = load("a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n");
    assert_int_equal(s.len, 3);
    assert_null(s.docs[0].error);
    assert_non_null(s.docs[1].error);
    assert_null(s.docs[2].error);
    assert_int_equal(s.docs[1].index, 1);
    assert_true(s.docs[1].error->line >= 3 && s.docs[1].error->line <= 5);
    assert_string_equal(s.docs[1].error->file, "in.yaml");
    assert_int_equal(fth_value_get(s.docs[2].root, "d")->u.integer, 4);
    assert_int_equal(fth_value_get(s.docs[2].root, "d")->line, 6);
    /* an indentation error */
    s = load("a: 1\n---\nb:\n  c: 1\n d: 2\n---\ne: 5\n");
    assert_int_equal(s.len, 3);
    assert_non_null(s.docs[1].error);
    assert_int_equal(s.docs[1].error->line, 5);
    assert_null(s.docs[2].error);
}

static void test_value_load_bad_text(void **state)
{
    const struct fth_error *e;
    (void)state;
    e = fail1("a: 1\nb: x\xff\n");
    assert_int_equal(e->line, 2);
    assert_int_equal(e->column, 5);
    assert_non_null(strstr(e->message, "expected UTF-8 text"));
    e = fail1("a: 1\nb: \x01\n");
    assert_int_equal(e->line, 2);
    e = fail1("a: b: c\n");
    assert_int_equal(e->line, 1);
    e = fail1("a:\n\t- b\n");
    assert_int_equal(e->line, 2);
    e = fail1("a: 'unterminated\n");
    assert_true(e->line >= 1);
}

/* ---- merge keys, duplicates, anchors ---- */

static void test_value_load_merge(void **state)
{
    const struct fth_value *root, *m;
    const struct fth_error *e;
    (void)state;
    root = load1("base: &b {p: 1, q: 2}\nm:\n  <<: *b\n  q: 3\n");
    m = fth_value_get(root, "m");
    assert_int_equal(m->u.map.len, 2);
    assert_int_equal(fth_value_get(m, "q")->u.integer, 3); /* explicit keys win */
    assert_int_equal(fth_value_get(m, "p")->u.integer, 1);
    assert_null(fth_value_get(m, "<<"));
    /* an explicit key before the merge wins too */
    root = load1("base: &b {p: 1, q: 2}\nm:\n  q: 3\n  <<: *b\n");
    assert_int_equal(fth_value_get(fth_value_get(root, "m"), "q")->u.integer, 3);
    /* a list: earlier mappings win */
    root = load1("a: &a {p: 1}\nb: &b {p: 2, r: 3}\nm:\n  <<: [*a, *b]\n  w: 0\n");
    m = fth_value_get(root, "m");
    assert_int_equal(m->u.map.len, 3);
    assert_int_equal(fth_value_get(m, "p")->u.integer, 1);
    assert_int_equal(fth_value_get(m, "r")->u.integer, 3);
    /* an inline mapping */
    root = load1("m: {<<: {a: 1}, b: 2}\n");
    assert_int_equal(fth_value_len(fth_value_get(root, "m")), 2);
    /* a quoted "<<" is an ordinary key */
    root = load1("m: {\"<<\": {a: 1}}\n");
    assert_non_null(fth_value_get(fth_value_get(root, "m"), "<<"));
    e = fail1("m:\n  <<: 5\n");
    assert_int_equal(e->line, 2);
    assert_int_equal(e->column, 7);
    assert_non_null(strstr(e->message, "'<<': expected a mapping"));
    e = fail1("m:\n  <<: [{a: 1}, 2]\n");
    assert_non_null(strstr(e->message, "found an integer"));
    e = fail1("b: &b {p: 1}\nm: {<<: *b, q: 1, q: 2}\n");
    assert_non_null(strstr(e->message, "duplicate key 'q'"));
}

static void test_value_load_merge_big(void **state)
{
    /* merging a big mapping into many others stays linear */
    struct fth_buf b = FTH_BUF_INIT;
    const struct fth_value *root;
    int i;
    (void)state;
    assert_int_equal(fth_buf_puts(&b, "base: &b\n"), 0);
    for (i = 0; i < 5000; i++)
        assert_int_equal(fth_buf_printf(&b, "  k%d: %d\n", i, i), 0);
    for (i = 0; i < 90; i++)
        assert_int_equal(fth_buf_printf(&b, "m%d:\n  <<: *b\n  k7: x\n", i), 0);
    root = load1(b.ptr);
    assert_int_equal(fth_value_len(fth_value_get(root, "m89")), 5000);
    assert_string_equal(fth_value_str(fth_value_get(fth_value_get(root, "m89"), "k7")), "x");
    fth_buf_release(&b);
}

static void test_value_load_duplicates(void **state)
{
    const struct fth_error *e;
    struct fth_buf b = FTH_BUF_INIT;
    int i;
    (void)state;
    e = fail1("a: 1\nb: 2\na: 3\n");
    assert_int_equal(e->line, 3);
    assert_int_equal(e->column, 1);
    assert_non_null(strstr(e->message, "duplicate key 'a', first defined at line 1"));
    e = fail1("x:\n  a: 1\n  'a': 2\n");
    assert_int_equal(e->line, 3);
    assert_int_equal(e->column, 3);
    e = fail1("{\"a\": 1, \"a\": 2}");
    assert_non_null(strstr(e->message, "duplicate key 'a'"));
    /* the hash path of big mappings */
    for (i = 0; i < 100; i++)
        assert_int_equal(fth_buf_printf(&b, "k%d: %d\n", i, i), 0);
    assert_int_equal(fth_buf_puts(&b, "k42: again\n"), 0);
    e = fail1(b.ptr);
    assert_int_equal(e->line, 101);
    assert_non_null(strstr(e->message, "duplicate key 'k42', first defined at line 43"));
    fth_buf_release(&b);
    /* a key with a line break and a long key stay one short line in the message */
    e = fail1("\"a\\nb\": 1\n\"a\\nb\": 2\n");
    assert_non_null(strstr(e->message, "'a?b'"));
    e = fail1("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 1\n"
              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 2\n");
    assert_non_null(strstr(e->message, "...'"));
    /* equal keys in different mappings are fine */
    load1("a: {x: 1}\nb: {x: 2}\n");
}

static void test_value_load_anchors(void **state)
{
    const struct fth_value *root, *b;
    const struct fth_error *e;
    (void)state;
    root = load1("a: &x [1, 2]\nb: *x\nc: &s str\nd: *s\n");
    b = fth_value_get(root, "b");
    assert_int_equal(b->type, FTH_VALUE_SEQ);
    assert_int_equal(b->u.seq.len, 2);
    assert_true(b->flags & FTH_VALUE_ALIAS);
    assert_int_equal(b->line, 2);
    assert_int_equal(b->column, 4);
    assert_string_equal(fth_value_str(fth_value_get(root, "d")), "str");
    /* a redefined anchor: aliases see the latest */
    root = load1("a: &x 1\nb: &x 2\nc: *x\n");
    assert_int_equal(fth_value_get(root, "c")->u.integer, 2);
    e = fail1("a: *nope\n");
    assert_non_null(strstr(e->message, "'*nope'"));
    assert_int_equal(e->line, 1);
    assert_int_equal(e->column, 4);
    /* an alias inside its own anchor */
    e = fail1("a: &x [1, *x]\n");
    assert_non_null(strstr(e->message, "'*x'"));
    /* anchors do not cross documents */
    {
        struct fth_stream s = load("a: &x 1\n---\nb: *x\n");
        assert_int_equal(s.len, 2);
        assert_null(s.docs[0].error);
        assert_non_null(s.docs[1].error);
    }
}

/* ---- limits ---- */

static char *laughs(int levels, int width)
{
    struct fth_buf b = FTH_BUF_INIT;
    int i, j;
    assert_int_equal(fth_buf_puts(&b, "l0: &l0 lol\n"), 0);
    for (i = 1; i < levels; i++) {
        assert_int_equal(fth_buf_printf(&b, "l%d: &l%d [", i, i), 0);
        for (j = 0; j < width; j++)
            assert_int_equal(fth_buf_printf(&b, "%s*l%d", j ? ", " : "", i - 1), 0);
        assert_int_equal(fth_buf_puts(&b, "]\n"), 0);
    }
    return fth_buf_detach(&b, NULL);
}

static void test_value_load_alias_bomb(void **state)
{
    char *text = laughs(10, 9);
    const struct fth_error *e;
    struct fth_load_opts o = FTH_LOAD_OPTS_INIT;
    struct fth_stream s;
    size_t before;
    (void)state;
    before = fth_arena_size(A);
    e = fail1(text);
    assert_int_equal(e->code, FTH_ELIMIT);
    assert_non_null(strstr(e->message, "alias"));
    assert_true(e->line > 1);
    /* memory stays small: aliases share their anchor's nodes */
    assert_true(fth_arena_size(A) - before < (size_t)16 * 1024 * 1024);
    free(text);
    /* a small bomb fits, and counts its expansion */
    text = laughs(4, 3);
    load1(text);
    o.max_alias_nodes = 10;
    s = load_opts(text, strlen(text), &o);
    assert_int_equal(s.len, 1);
    assert_non_null(s.docs[0].error);
    assert_int_equal(s.docs[0].error->code, FTH_ELIMIT);
    free(text);
}

static char *nested(size_t depth, const char *open, const char *close)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t i;
    for (i = 0; i < depth; i++)
        assert_int_equal(fth_buf_puts(&b, open), 0);
    for (i = 0; i < depth; i++)
        assert_int_equal(fth_buf_puts(&b, close), 0);
    return fth_buf_detach(&b, NULL);
}

static void test_value_load_depth(void **state)
{
    char *text;
    const struct fth_error *e;
    struct fth_load_opts o = FTH_LOAD_OPTS_INIT;
    struct fth_stream s;
    (void)state;
    text = nested(100000, "[", "]");
    e = fail1(text);
    assert_int_equal(e->code, FTH_ELIMIT);
    assert_non_null(strstr(e->message, "nesting deeper than 256"));
    free(text);
    text = nested(100000, "{a: ", "}");
    e = fail1(text);
    assert_int_equal(e->code, FTH_ELIMIT);
    free(text);
    text = nested(256, "[", "]");
    load1(text);
    free(text);
    text = nested(257, "[", "]");
    assert_int_equal(fail1(text)->code, FTH_ELIMIT);
    free(text);
    /* JSON through jansson has the same limit (concatenated values go that way) */
    text = nested(300, "[", "]");
    {
        struct fth_buf b = FTH_BUF_INIT;
        assert_int_equal(fth_buf_puts(&b, "[1][2]"), 0);
        assert_int_equal(fth_buf_puts(&b, text), 0);
        s = load(b.ptr);
        assert_true(s.len >= 1);
        assert_non_null(s.docs[s.len - 1].error);
        assert_int_equal(s.docs[s.len - 1].error->code, FTH_ELIMIT);
        fth_buf_release(&b);
    }
    free(text);
    o.max_depth = 3;
    s = load_opts("a: {b: {c: 1}}", 14, &o);
    assert_null(s.docs[0].error);
    s = load_opts("a: {b: {c: [1]}}", 16, &o);
    assert_non_null(s.docs[0].error);
    assert_int_equal(s.docs[0].error->code, FTH_ELIMIT);
    assert_int_equal(s.docs[0].error->line, 1);
    assert_int_equal(s.docs[0].error->column, 12);
}

static void test_value_load_nodes_and_documents(void **state)
{
    struct fth_load_opts o = FTH_LOAD_OPTS_INIT;
    struct fth_stream s;
    struct fth_error err;
    struct fth_buf b = FTH_BUF_INIT;
    int i;
    (void)state;
    o.max_nodes = 10;
    s = load_opts("[1, 2, 3, 4, 5, 6, 7, 8]", 24, &o);
    assert_null(s.docs[0].error);
    s = load_opts("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", 31, &o);
    assert_non_null(s.docs[0].error);
    assert_int_equal(s.docs[0].error->code, FTH_ELIMIT);
    o.max_nodes = 0;
    o.max_documents = 2;
    o.name = "many.yaml";
    fth_error_clear(&err);
    assert_int_equal(fth_value_load(&s, A, "a\n---\nb\n---\nc\n", 14, &o, &err), FTH_ELIMIT);
    assert_string_equal(err.file, "many.yaml");
    assert_non_null(strstr(err.message, "more than 2 documents"));
    fth_error_clear(&err);
    assert_int_equal(fth_value_load(&s, A, "{}{}{}", 6, &o, &err), FTH_ELIMIT);
    /* after 1000 broken documents the rest of the stream is skipped, with one error */
    for (i = 0; i < 1005; i++)
        assert_int_equal(fth_buf_puts(&b, "a: [\n---\n"), 0);
    assert_int_equal(fth_buf_puts(&b, "z: 1\n"), 0);
    s = load(b.ptr);
    assert_int_equal(s.len, 1001);
    assert_int_equal(s.docs[999].error->code, FTH_EINVALID);
    assert_int_equal(s.docs[1000].error->code, FTH_ELIMIT);
    assert_non_null(strstr(s.docs[1000].error->message, "broken documents"));
    fth_buf_release(&b);
}

static void test_value_load_many_documents_small(void **state)
{
    /* a stream of many empty documents costs little memory each */
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_stream s;
    size_t before;
    int i;
    (void)state;
    for (i = 0; i < 100000; i++)
        assert_int_equal(fth_buf_puts(&b, "---\n"), 0);
    before = fth_arena_size(A);
    s = load(b.ptr);
    assert_int_equal(s.len, 100000);
    assert_true(fth_arena_size(A) - before < (size_t)64 * 1024 * 1024);
    fth_buf_release(&b);
}

/* ---- binary and encodings ---- */

static void test_value_load_binary(void **state)
{
    static const char elf[] = "\x7f"
                              "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
    static const char gz[] = "\x1f\x8b\x08\0\0\0\0\0\0\x03";
    struct fth_stream s;
    struct fth_error err;
    struct fth_load_opts o = FTH_LOAD_OPTS_INIT;
    (void)state;
    o.name = "bin.yaml";
    fth_error_clear(&err);
    assert_int_equal(fth_value_load(&s, A, elf, sizeof(elf) - 1, &o, &err), FTH_EINVALID);
    assert_string_equal(err.file, "bin.yaml");
    assert_string_equal(err.message, "expected YAML or JSON text, found binary data");
    fth_error_clear(&err);
    assert_int_equal(fth_value_load(&s, A, gz, sizeof(gz) - 1, &o, &err), FTH_EINVALID);
    fth_error_clear(&err);
    assert_int_equal(fth_value_load(&s, A, "a: 1\0", 5, &o, &err), FTH_EINVALID);
    /* NULL error details are allowed */
    assert_int_equal(fth_value_load(&s, A, "a: 1\0", 5, &o, NULL), FTH_EINVALID);
    /* binary without NUL bytes: the document fails as invalid UTF-8 */
    s = load("\x89PNG\r\n\x1a\n");
    assert_int_equal(s.len, 1);
    assert_non_null(s.docs[0].error);
}

static size_t to_utf16(char *out, const char *in, int big)
{
    size_t n = 0;
    out[n++] = big ? '\xfe' : '\xff';
    out[n++] = big ? '\xff' : '\xfe';
    for (; *in; in++) {
        out[n++] = big ? 0 : *in;
        out[n++] = big ? *in : 0;
    }
    return n;
}

static void test_value_load_utf16(void **state)
{
    char buf[256];
    size_t n;
    struct fth_stream s;
    struct fth_error err;
    (void)state;
    n = to_utf16(buf, "a: 1\n---\nb: yes\n", 0);
    s = load_opts(buf, n, NULL);
    assert_int_equal(s.len, 2);
    assert_int_equal(fth_value_get(s.docs[0].root, "a")->u.integer, 1);
    assert_true(fth_value_is_true(fth_value_get(s.docs[1].root, "b")));
    assert_int_equal(fth_value_get(s.docs[1].root, "b")->line, 3);
    n = to_utf16(buf, "a: x\n", 1);
    s = load_opts(buf, n, NULL);
    assert_int_equal(s.len, 1);
    assert_string_equal(fth_value_str(fth_value_get(s.docs[0].root, "a")), "x");
    /* a surrogate pair: U+1F600 */
    memcpy(buf,
           "\xff\xfe"
           "a\0:\0 \0\x3d\xd8\x00\xde",
           12);
    s = load_opts(buf, 12, NULL);
    assert_string_equal(fth_value_str(fth_value_get(s.docs[0].root, "a")), "\xf0\x9f\x98\x80");
    fth_error_clear(&err);
    assert_int_equal(fth_value_load(&s, A,
                                    "\xff\xfe"
                                    "a\0:",
                                    5, NULL, &err),
                     FTH_EINVALID);
    assert_non_null(strstr(err.message, "UTF-16"));
    fth_error_clear(&err);
    assert_int_equal(fth_value_load(&s, A,
                                    "\xff\xfe"
                                    "a\0\x00\xdc",
                                    6, NULL, &err),
                     FTH_EINVALID);
    fth_error_clear(&err);
    assert_int_equal(fth_value_load(&s, A,
                                    "\xff\xfe"
                                    "a\0\0\0",
                                    6, NULL, &err),
                     FTH_EINVALID);
    assert_non_null(strstr(err.message, "binary"));
}

/* ---- JSON ---- */

static void test_value_load_json(void **state)
{
    const struct fth_value *root, *v;
    struct fth_stream s;
    const struct fth_error *e;
    struct fth_buf b = FTH_BUF_INIT;
    int i;
    (void)state;
    root = load1("{\"a\": 1, \"b\": [true, null, 1.5, \"x\", \"yes\"], \"c\": {}}");
    assert_int_equal(fth_value_get(root, "a")->u.integer, 1);
    v = fth_value_get(root, "b");
    assert_int_equal(v->u.seq.len, 5);
    assert_true(fth_value_is_true(v->u.seq.items[0]));
    assert_int_equal(v->u.seq.items[1]->type, FTH_VALUE_NULL);
    assert_true(v->u.seq.items[2]->u.number == 1.5);
    assert_string_equal(fth_value_str(v->u.seq.items[4]), "yes");
    /* concatenated values are documents */
    s = load("{\"a\":1}{\"b\":2}\n[3] {\"c\":\n 4}");
    assert_int_equal(s.len, 4);
    assert_int_equal(fth_value_get(s.docs[1].root, "b")->u.integer, 2);
    assert_int_equal(s.docs[2].root->type, FTH_VALUE_SEQ);
    assert_int_equal(s.docs[2].line, 2);
    assert_int_equal(fth_value_get(s.docs[3].root, "c")->u.integer, 4);
    /* a key longer than libyaml's 1024-byte simple key goes through jansson */
    assert_int_equal(fth_buf_puts(&b, "{\"k"), 0);
    for (i = 0; i < 2000; i++)
        assert_int_equal(fth_buf_putc(&b, 'x'), 0);
    assert_int_equal(fth_buf_puts(&b, "\": {\"n\": [1, 2.5, \"s\", false, null]}}"), 0);
    root = load1(b.ptr);
    assert_int_equal(root->u.map.len, 1);
    assert_int_equal(root->u.map.items[0].key->u.str.len, 2001);
    v = fth_value_get(root->u.map.items[0].value, "n");
    assert_int_equal(v->u.seq.len, 5);
    assert_int_equal(v->u.seq.items[0]->type, FTH_VALUE_INT);
    assert_int_equal(v->u.seq.items[1]->type, FTH_VALUE_FLOAT);
    assert_int_equal(v->u.seq.items[2]->type, FTH_VALUE_STRING);
    assert_int_equal(v->u.seq.items[3]->type, FTH_VALUE_BOOL);
    assert_int_equal(v->u.seq.items[4]->type, FTH_VALUE_NULL);
    assert_int_equal(root->weight, 10);
    fth_buf_release(&b);
    /* huge numbers */
    root = load1("{\"a\": 123456789012345678901234567890, \"b\": -0.0, \"c\": 1e308}");
    assert_int_equal(fth_value_get(root, "a")->type, FTH_VALUE_FLOAT);
    assert_true(fth_value_get(root, "c")->u.number == 1e308);
    /* tabs */
    load1("{\n\t\"a\":\t1\n}\n");
    /* duplicate keys in concatenated JSON */
    s = load("{\"a\":1}\n{\"b\":1,\n\"b\":2}");
    assert_int_equal(s.len, 2);
    assert_null(s.docs[0].error);
    assert_non_null(s.docs[1].error);
    assert_non_null(strstr(s.docs[1].error->message, "duplicate"));
    assert_int_equal(s.docs[1].error->line, 3);
    /* a broken value after good ones: the good ones stay */
    s = load("{\"a\":1}\n{\"b\":");
    assert_int_equal(s.len, 2);
    assert_null(s.docs[0].error);
    assert_non_null(s.docs[1].error);
    assert_int_equal(s.docs[1].error->line, 2);
    /* YAML reads more than JSON: a .yaml file may say this */
    root = load1("{\"a\": tru, \"b\": }");
    assert_string_equal(fth_value_str(fth_value_get(root, "a")), "tru");
    assert_int_equal(fth_value_get(root, "b")->type, FTH_VALUE_NULL);
    e = fail1("{\"a\": [1, 2\n");
    assert_true(e->line >= 1);
    s = load("[1, 2]\n{\"a\": [}");
    assert_int_equal(s.len, 2);
    assert_int_equal(s.docs[1].error->line, 2);
    assert_int_equal(s.docs[1].error->column, 8);
    assert_non_null(strstr(s.docs[1].error->message, "expected JSON"));
    /* NUL escapes survive */
    root = load1("{\"a\": \"x\\u0000y\"}");
    assert_int_equal(fth_value_get(root, "a")->u.str.len, 3);
}

static void test_value_load_json_hint(void **state)
{
    struct fth_load_opts o = FTH_LOAD_OPTS_INIT;
    struct fth_stream s;
    (void)state;
    o.name = "x.json";
    o.flags = FTH_LOAD_JSON;
    s = load_opts("{\"a\":1}\n{\"b\":2}", strlen("{\"a\":1}\n{\"b\":2}"), &o);
    assert_int_equal(s.len, 2);
    s = load_opts("{\"a\": 1,,}", strlen("{\"a\": 1,,}"), &o);
    assert_int_equal(s.len, 1);
    assert_non_null(s.docs[0].error);
    assert_string_equal(s.docs[0].error->file, "x.json");
    /* in a .json file, what is YAML but not JSON is an error */
    s = load_opts("{\"a\": 1,\n \"b\": tru}", strlen("{\"a\": 1,\n \"b\": tru}"), &o);
    assert_int_equal(s.len, 1);
    assert_non_null(s.docs[0].error);
    assert_int_equal(s.docs[0].error->line, 2);
    assert_non_null(strstr(s.docs[0].error->message, "expected JSON"));
    s = load_opts("{\"a\": }", strlen("{\"a\": }"), &o);
    assert_non_null(s.docs[0].error);
    /* jansson quotes the text near the error, here with a newline in it: the message stays
     * on one line (a fuzzer found this) */
    s = load_opts("{\"n\": \"\\u003\n\"}", strlen("{\"n\": \"\\u003\n\"}"), &o);
    assert_int_equal(s.len, 1);
    assert_non_null(s.docs[0].error);
    assert_non_null(strstr(s.docs[0].error->message, "invalid escape"));
    assert_null(strchr(s.docs[0].error->message, '\n'));
    assert_non_null(strstr(s.docs[0].error->message, "\\n"));
    s = load_opts("{\"a\": 1} x", strlen("{\"a\": 1} x"), &o);
    assert_int_equal(s.len, 2);
    assert_non_null(s.docs[1].error);
    assert_int_equal(s.docs[1].error->column, 10);
    /* positions still come from libyaml */
    s = load_opts("{\n  \"a\": {\n    \"b\": 1}}", strlen("{\n  \"a\": {\n    \"b\": 1}}"), &o);
    assert_null(s.docs[0].error);
    assert_int_equal(fth_value_path(s.docs[0].root, "a.b")->line, 3);
    assert_int_equal(fth_value_path(s.docs[0].root, "a.b")->column, 10);
}

/* ---- load_one and access ---- */

static void test_value_load_one(void **state)
{
    struct fth_value *v;
    struct fth_error err;
    (void)state;
    fth_error_clear(&err);
    assert_int_equal(fth_value_load_one(&v, A, "", 0, NULL, &err), 0);
    assert_int_equal(v->type, FTH_VALUE_NULL);
    assert_int_equal(fth_value_load_one(&v, A, "a: 1", 4, NULL, &err), 0);
    assert_int_equal(v->type, FTH_VALUE_MAP);
    assert_int_equal(fth_value_load_one(&v, A, "a\n---\nb\n", 8, NULL, &err), FTH_EINVALID);
    assert_null(v);
    assert_int_equal(err.line, 2);
    fth_error_clear(&err);
    assert_int_equal(fth_value_load_one(&v, A, "[", 1, NULL, &err), FTH_EINVALID);
    assert_true(err.message[0] != '\0');
    assert_int_equal(fth_value_load_one(&v, A, "[", 1, NULL, NULL), FTH_EINVALID);
}

static void test_value_access(void **state)
{
    const struct fth_value *root = load1("a:\n  b:\n    c: [x, z]\n  t: true\n  f: no\n");
    (void)state;
    assert_int_equal(fth_value_len(fth_value_path(root, "a.b.c")), 2);
    assert_string_equal(fth_value_str(fth_value_at(fth_value_path(root, "a.b.c"), 1)), "z");
    assert_null(fth_value_at(fth_value_path(root, "a.b.c"), 2));
    assert_null(fth_value_path(root, "a.b.c.d"));
    assert_null(fth_value_path(root, "a.x"));
    assert_null(fth_value_path(NULL, "a"));
    assert_true(fth_value_path(root, "") == root);
    assert_true(fth_value_is_true(fth_value_path(root, "a.t")));
    assert_true(fth_value_is_false(fth_value_path(root, "a.f")));
    assert_false(fth_value_is_true(fth_value_path(root, "a.f")));
    assert_true(fth_value_streq(fth_value_at(fth_value_path(root, "a.b.c"), 0), "x"));
    assert_false(fth_value_streq(fth_value_at(fth_value_path(root, "a.b.c"), 0), "xx"));
    assert_null(fth_value_get(fth_value_path(root, "a.b.c"), "x"));
    assert_null(fth_value_member(NULL, "x"));
    assert_int_equal(fth_value_len(NULL), 0);
    assert_null(fth_value_str(fth_value_path(root, "a.t")));
    assert_string_equal(fth_value_type_name(FTH_VALUE_MAP), "a mapping");
    assert_string_equal(fth_value_type_name(FTH_VALUE_NULL), "null");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_value_load_bools),
        T(test_value_load_nulls),
        T(test_value_load_ints),
        T(test_value_load_floats),
        T(test_value_load_strings),
        T(test_value_load_quoted),
        T(test_value_load_tags),
        T(test_value_load_keys),
        T(test_value_load_positions),
        T(test_value_load_positions_later_documents),
        T(test_value_load_separators),
        T(test_value_load_broken_document_alone),
        T(test_value_load_bad_text),
        T(test_value_load_merge),
        T(test_value_load_merge_big),
        T(test_value_load_duplicates),
        T(test_value_load_anchors),
        T(test_value_load_alias_bomb),
        T(test_value_load_depth),
        T(test_value_load_nodes_and_documents),
        T(test_value_load_many_documents_small),
        T(test_value_load_binary),
        T(test_value_load_utf16),
        T(test_value_load_json),
        T(test_value_load_json_hint),
        T(test_value_load_one),
        T(test_value_access),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
