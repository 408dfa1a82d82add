/*
 * helm values: Helm's strvals (the examples of pkg/strvals/parser_test.go: typing, escapes,
 * lists, nested keys and the error texts), the merge of value options in Helm's order, YAML
 * numbers as float64, and chartutil.CoalesceValues (globals, null deletes, issue 9027).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/helm.h"
#include "fathom/tmpl.h"

#define FIX FATHOM_SHARED "/fixtures/helm-template/testcharts/"

static int cmp_members(const void *x, const void *y)
{
    const struct fth_member *p = x, *q = y;
    return strcmp(p->key->u.str.ptr, q->key->u.str.ptr);
}

/* A canonical text: keys sorted, types visible (1 is int64, 1.0f a float64, nil a null). */
static void canon(struct fth_buf *b, const struct fth_value *v)
{
    size_t i;
    switch (v ? v->type : FTH_VALUE_NULL) {
    case FTH_VALUE_NULL:
        fth_buf_puts(b, "nil");
        break;
    case FTH_VALUE_BOOL:
        fth_buf_puts(b, v->u.boolean ? "true" : "false");
        break;
    case FTH_VALUE_INT:
        fth_buf_printf(b, "%lld", (long long)v->u.integer);
        break;
    case FTH_VALUE_FLOAT:
        fth_buf_printf(b, "%gf", v->u.number);
        break;
    case FTH_VALUE_STRING:
        fth_buf_printf(b, "\"%s\"", v->u.str.ptr);
        break;
    case FTH_VALUE_SEQ:
        fth_buf_putc(b, '[');
        for (i = 0; i < v->u.seq.len; i++) {
            if (i)
                fth_buf_putc(b, ' ');
            canon(b, v->u.seq.items[i]);
        }
        fth_buf_putc(b, ']');
        break;
    case FTH_VALUE_MAP: {
        struct fth_member *m = malloc((v->u.map.len + 1) * sizeof(*m));
        assert_non_null(m);
        memcpy(m, v->u.map.items, v->u.map.len * sizeof(*m));
        qsort(m, v->u.map.len, sizeof(*m), cmp_members);
        fth_buf_putc(b, '{');
        for (i = 0; i < v->u.map.len; i++) {
            if (i)
                fth_buf_putc(b, ' ');
            fth_buf_printf(b, "%s:", m[i].key->u.str.ptr);
            canon(b, m[i].value);
        }
        fth_buf_putc(b, '}');
        free(m);
        break;
    }
    }
}

struct sv_case {
    enum fth_helm_set_kind kind;
    const char *in;
    const char *want; /* canonical text, or the error message when err */
    int err;
};

static const struct sv_case cases[] = {
    {FTH_HELM_SET, "name=value", "{name:\"value\"}", 0},
    {FTH_HELM_SET, "long_int_string=1234567890", "{long_int_string:1234567890}", 0},
    {FTH_HELM_SET, "boolean=true", "{boolean:true}", 0},
    {FTH_HELM_SET, "is_null=null", "{is_null:nil}", 0},
    {FTH_HELM_SET, "zero=0", "{zero:0}", 0},
    {FTH_HELM_SET, "name1=null,f=false,t=true", "{f:false name1:nil t:true}", 0},
    {FTH_HELM_SET, "name=value,foo=bar", "{foo:\"bar\" name:\"value\"}", 0},
    {FTH_HELM_SET, "name=value\\,foo=bar", "{name:\"value,foo=bar\"}", 0},
    {FTH_HELM_SET, "name=val\\.ue", "{name:\"val.ue\"}", 0},
    {FTH_HELM_SET, "name\\.key=value", "{name.key:\"value\"}", 0},
    {FTH_HELM_SET, "name=value,foo=bar,", "{foo:\"bar\" name:\"value\"}", 0},
    {FTH_HELM_SET, "leading_zeros=00009", "{leading_zeros:\"00009\"}", 0},
    {FTH_HELM_SET, "neg=-12,plus=+3,exp=1e6", "{exp:\"1e6\" neg:-12 plus:3}", 0},
    {FTH_HELM_SET, "TRUE=TRUE,Null=NULL", "{Null:nil TRUE:true}", 0},
    {FTH_HELM_SET, "name", "key \"name\" has no value", 1},
    {FTH_HELM_SET, "name=", "{name:\"\"}", 0},
    {FTH_HELM_SET, "name,", "key \"name\" has no value (cannot end with ,)", 1},
    {FTH_HELM_SET, "name1,name2=", "key \"name1\" has no value (cannot end with ,)", 1},
    {FTH_HELM_SET, "name1=value1,name2", "key \"name2\" has no value", 1},
    {FTH_HELM_SET, "outer.inner=value", "{outer:{inner:\"value\"}}", 0},
    {FTH_HELM_SET, "outer.middle.inner=value", "{outer:{middle:{inner:\"value\"}}}", 0},
    {FTH_HELM_SET, "outer.inner1=value,outer.inner2=value2",
     "{outer:{inner1:\"value\" inner2:\"value2\"}}", 0},
    {FTH_HELM_SET, "outer.inner1=value,outer.middle.inner=value",
     "{outer:{inner1:\"value\" middle:{inner:\"value\"}}}", 0},
    {FTH_HELM_SET, "name1.name2", "key \"name2\" has no value", 1},
    {FTH_HELM_SET, "name1.name2=", "{name1:{name2:\"\"}}", 0},
    {FTH_HELM_SET, "name1.=name2", "key map \"name1\" has no value", 1},
    {FTH_HELM_SET, "name1={value1,value2}", "{name1:[\"value1\" \"value2\"]}", 0},
    {FTH_HELM_SET, "name1={value1,value2},name2={value1,value2}",
     "{name1:[\"value1\" \"value2\"] name2:[\"value1\" \"value2\"]}", 0},
    {FTH_HELM_SET, "name1={1021,902}", "{name1:[1021 902]}", 0},
    {FTH_HELM_SET, "name1={a,b", "list must terminate with '}'", 1},
    {FTH_HELM_SET, "list[0]=foo", "{list:[\"foo\"]}", 0},
    {FTH_HELM_SET, "list[0].foo=bar", "{list:[{foo:\"bar\"}]}", 0},
    {FTH_HELM_SET, "list[0].foo=bar,list[0].hello=world", "{list:[{foo:\"bar\" hello:\"world\"}]}",
     0},
    {FTH_HELM_SET, "list[0]=foo,list[1]=bar", "{list:[\"foo\" \"bar\"]}", 0},
    {FTH_HELM_SET, "list[0]=foo,list[1]=bar,", "{list:[\"foo\" \"bar\"]}", 0},
    {FTH_HELM_SET, "list[0]=foo,list[3]=bar", "{list:[\"foo\" nil nil \"bar\"]}", 0},
    {FTH_HELM_SET, "illegal[0]name.foo=bar", "unexpected data at end of array index: \"name\"", 1},
    {FTH_HELM_SET, "noval[0]", "{noval:[]}", 0},
    {FTH_HELM_SET, "noval[0]=", "{noval:[\"\"]}", 0},
    {FTH_HELM_SET, "nested[0][0]=1", "{nested:[[1]]}", 0},
    {FTH_HELM_SET, "nested[1][1]=1", "{nested:[nil [nil 1]]}", 0},
    {FTH_HELM_SET, "name1.name2[0].foo=bar,name1.name2[1].foo=bar",
     "{name1:{name2:[{foo:\"bar\"} {foo:\"bar\"}]}}", 0},
    {FTH_HELM_SET, "list[-1]=x", "negative -1 index not allowed", 1},
    {FTH_HELM_SET, "list[x]=1", "error parsing index: strconv.Atoi: parsing \"x\": invalid syntax",
     1},
    {FTH_HELM_SET, "list[70000]=1",
     "index of 70000 is greater than maximum supported index of 65536", 1},
    {FTH_HELM_SET, "a=1,a.b=2",
     "unable to parse key: interface conversion: interface {} is int64, not map[string]interface "
     "{}",
     1},
    {FTH_HELM_SET_STRING, "long_int_string=1234567890", "{long_int_string:\"1234567890\"}", 0},
    {FTH_HELM_SET_STRING, "boolean=true,n=null", "{boolean:\"true\" n:\"null\"}", 0},
    {FTH_HELM_SET_STRING, "list={1,true}", "{list:[\"1\" \"true\"]}", 0},
    {FTH_HELM_SET_LITERAL, "name=value,with,commas", "{name:\"value,with,commas\"}", 0},
    {FTH_HELM_SET_LITERAL, "a.b=x\\y={z}", "{a:{b:\"x\\y={z}\"}}", 0},
    {FTH_HELM_SET_LITERAL, "list[1]=a=b", "{list:[nil \"a=b\"]}", 0},
    {FTH_HELM_SET_JSON, "a={\"b\":[1,true,null,\"x\"]}", "{a:{b:[1f true nil \"x\"]}}", 0},
    {FTH_HELM_SET_JSON, "a=1,b=\"two\"", "{a:1f b:\"two\"}", 0},
    {FTH_HELM_SET_JSON, "a=", "{a:nil}", 0},
    {FTH_HELM_SET_JSON, "list[1]={\"x\":2}", "{list:[nil {x:2f}]}", 0},
};

static void test_helm_values_strvals(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fth_arena *a = fth_arena_new();
        struct fth_value *m = fth_tmpl_map(a, 4);
        struct fth_error err;
        struct fth_buf b = FTH_BUF_INIT;
        int rc;

        fth_error_clear(&err);
        rc = fth_helm_strvals_parse(m, a, cases[i].kind, cases[i].in, strlen(cases[i].in), NULL,
                                    NULL, &err);
        if (cases[i].err) {
            if (rc >= 0)
                fail_msg("%s: expected an error", cases[i].in);
            if (strcmp(err.message, cases[i].want) != 0)
                fail_msg("%s: error '%s', want '%s'", cases[i].in, err.message, cases[i].want);
        } else {
            if (rc < 0)
                fail_msg("%s: %s", cases[i].in, err.message);
            canon(&b, m);
            if (strcmp(b.ptr, cases[i].want) != 0)
                fail_msg("%s: got %s, want %s", cases[i].in, b.ptr, cases[i].want);
        }
        fth_buf_release(&b);
        fth_arena_free(a);
    }
}

/* A later --set merges into what earlier ones built. */
static void test_helm_values_strvals_merge(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_value *m = fth_tmpl_map(a, 4);
    struct fth_buf b = FTH_BUF_INIT;
    (void)state;
    assert_int_equal(
        fth_helm_strvals_parse(m, a, FTH_HELM_SET, "a.b=1,l[0]=x", 12, NULL, NULL, NULL), 0);
    assert_int_equal(
        fth_helm_strvals_parse(m, a, FTH_HELM_SET, "a.c=2,l[2]=z", 12, NULL, NULL, NULL), 0);
    canon(&b, m);
    assert_string_equal(b.ptr, "{a:{b:1 c:2} l:[\"x\" nil \"z\"]}");
    fth_buf_release(&b);
    fth_arena_free(a);
}

/* Long lines stay linear: many list items and keys (memory follows what is consumed). */
static void test_helm_values_strvals_large(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_value *m = fth_tmpl_map(a, 4), *l;
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    size_t i;
    (void)state;
    for (i = 0; i < 60000; i++)
        fth_buf_printf(&b, "%sa[%zu]=%zu", i ? "," : "", i, i);
    fth_error_clear(&err);
    assert_int_equal(fth_helm_strvals_parse(m, a, FTH_HELM_SET, b.ptr, b.len, NULL, NULL, &err), 0);
    l = fth_tmpl_map_get(m, "a", 1);
    assert_non_null(l);
    assert_int_equal(l->u.seq.len, 60000);
    assert_int_equal(l->u.seq.items[59999]->u.integer, 59999);
    assert_true(fth_arena_size(a) < (size_t)64 * 1024 * 1024);
    fth_buf_release(&b);
    fth_arena_free(a);
}

static void test_helm_values_yaml_numbers(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_value *v = NULL;
    struct fth_buf b = FTH_BUF_INIT;
    const char *y = "port: 80\nbig: 1e6\nf: 3.14\ns: \"80\"\nb: yes\nn: ~\n1: one\nl: [1, 2]\n";
    (void)state;
    assert_int_equal(fth_helm_values_parse(&v, a, y, strlen(y), "values.yaml", NULL), 0);
    canon(&b, v);
    /* YAML 1.1 as go-yaml v2 reads it: the key `n` is the bool false, keys become strings */
    assert_string_equal(b.ptr, "{1:\"one\" b:true big:1e+06f f:3.14f false:nil l:[1f 2f] "
                               "port:80f s:\"80\"}");
    fth_buf_clear(&b);
    /* Go's fmt prints them as Helm does */
    fth_tmpl_fmt_value(&b, fth_tmpl_map_get(v, "port", 4));
    fth_buf_putc(&b, ' ');
    fth_tmpl_fmt_value(&b, fth_tmpl_map_get(v, "big", 3));
    assert_string_equal(b.ptr, "80 1e+06");
    fth_buf_release(&b);
    fth_arena_free(a);
}

static void test_helm_values_merge_order(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_helm_value_opts o;
    struct fth_value *v = NULL;
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    const char *files[] = {FIX "subchart/extra_values.yaml"};
    const char *set[] = {"configmap.value=fromset,x=1"};
    const char *str[] = {"x=2"};
    const char *json[] = {"{\"configmap\":{\"enabled\":false,\"j\":[1]}}"};
    const char *lit[] = {"y=a,b"};
    (void)state;
    memset(&o, 0, sizeof(o));
    o.files = files;
    o.nfiles = 1;
    o.set[FTH_HELM_SET] = set;
    o.nset[FTH_HELM_SET] = 1;
    o.set[FTH_HELM_SET_STRING] = str;
    o.nset[FTH_HELM_SET_STRING] = 1;
    o.set[FTH_HELM_SET_JSON] = json;
    o.nset[FTH_HELM_SET_JSON] = 1;
    o.set[FTH_HELM_SET_LITERAL] = lit;
    o.nset[FTH_HELM_SET_LITERAL] = 1;
    fth_error_clear(&err);
    if (fth_helm_values_merge(&v, a, &o, &err) < 0)
        fail_msg("%s", err.message);
    canon(&b, v);
    assert_string_equal(b.ptr, "{configmap:{enabled:false j:[1f] value:\"fromset\"} x:\"2\" "
                               "y:\"a,b\"}");
    /* errors carry Helm's prefix */
    o.nset[FTH_HELM_SET_JSON] = 0;
    set[0] = "a[";
    assert_true(fth_helm_values_merge(&v, a, &o, &err) < 0);
    assert_string_equal(err.message, "failed parsing --set data: error parsing index: EOF");
    fth_buf_release(&b);
    fth_arena_free(a);
}

static struct fth_value *coalesced(struct fth_arena *a, const char *chart, const char *set)
{
    struct fth_chart *c = NULL;
    struct fth_value *user = fth_tmpl_map(a, 4), *out = NULL;
    struct fth_error err;
    fth_error_clear(&err);
    if (fth_chart_load(&c, a, chart, &err) < 0)
        fail_msg("%s: %s", chart, err.message);
    if (set &&
        fth_helm_strvals_parse(user, a, FTH_HELM_SET, set, strlen(set), NULL, NULL, &err) < 0)
        fail_msg("%s", err.message);
    if (fth_helm_values_coalesce(&out, a, c, user, NULL, &err) < 0)
        fail_msg("coalesce: %s", err.message);
    return out;
}

static void test_helm_values_coalesce(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_value *v;
    (void)state;

    /* issue 9027: null in the parent deletes keys of the subchart's defaults, globals too */
    v = coalesced(a, FIX "issue-9027", NULL);
    canon(&b, fth_tmpl_map_get(v, "subchart", 8));
    assert_string_equal(b.ptr, "{global:{hash:{key3:13f key4:4f key5:5f key6:6f}} "
                               "hash:{key3:13f key4:4f key5:5f key6:6f}}");
    fth_buf_clear(&b);
    canon(&b, fth_tmpl_map_get(v, "global", 6));
    assert_string_equal(b.ptr, "{hash:{key1:nil key2:nil key3:13f}}");

    /* a user null deletes a default; user maps merge; globals flow into every subchart */
    v = coalesced(a, FIX "subchart", "service.name=null,service.type=NodePort,global.x=1");
    fth_buf_clear(&b);
    canon(&b, fth_tmpl_map_get(v, "service", 7));
    assert_string_equal(b.ptr, "{externalPort:80f internalPort:80f type:\"NodePort\"}");
    fth_buf_clear(&b);
    canon(&b, fth_tmpl_map_get(fth_tmpl_map_get(v, "subcharta", 9), "global", 6));
    assert_string_equal(b.ptr, "{x:1}");
    fth_buf_clear(&b);
    canon(&b, fth_tmpl_map_get(fth_tmpl_map_get(fth_tmpl_map_get(v, "subchartb", 9), "global", 6),
                               "kolla", 5));
    assert_string_equal(b.ptr, "{nova:{api:{all:{port:8774f}} metadata:{all:{port:8775f}}}}");
    fth_buf_release(&b);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_helm_values_strvals),
        cmocka_unit_test(test_helm_values_strvals_merge),
        cmocka_unit_test(test_helm_values_strvals_large),
        cmocka_unit_test(test_helm_values_yaml_numbers),
        cmocka_unit_test(test_helm_values_merge_order),
        cmocka_unit_test(test_helm_values_coalesce),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
