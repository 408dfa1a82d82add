/*
 * The loader's fast path against the libyaml path: every YAML and JSON fixture and a list of
 * tricky snippets load with and without FTH_LOAD_NO_FAST, and the two streams must agree node
 * by node (type, flags, text, numbers, line, column, weight, member order) and document by
 * document (line, error or not, the error's message and place). The fast path's own counters
 * show it did read what it should, so the comparison cannot pass by always falling back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "fathom/value.h"
#include "value/value_int.h"

#define FIXTURE_MAX ((size_t)1024 * 1024)

/* Where two trees differ, as a path ("$.spec.containers[0]"), or "" when they agree. */
static int diff_value(const struct fth_value *x, const struct fth_value *y, char *path, size_t size,
                      char *why, size_t why_size)
{
    size_t i, n = strlen(path);

    if (!x || !y) {
        if (x != y)
            snprintf(why, why_size, "one side has no node");
        return x != y;
    }
    if (x->type != y->type || x->flags != y->flags || x->line != y->line ||
        x->column != y->column || x->weight != y->weight) {
        snprintf(why, why_size, "type %d/%d flags %u/%u at %u:%u/%u:%u weight %zu/%zu", x->type,
                 y->type, x->flags, y->flags, x->line, x->column, y->line, y->column, x->weight,
                 y->weight);
        return 1;
    }
    switch (x->type) {
    case FTH_VALUE_NULL:
        return 0;
    case FTH_VALUE_BOOL:
        if (x->u.boolean != y->u.boolean)
            snprintf(why, why_size, "boolean %d/%d", x->u.boolean, y->u.boolean);
        return x->u.boolean != y->u.boolean;
    case FTH_VALUE_INT:
        if (x->u.integer != y->u.integer)
            snprintf(why, why_size, "integer differs");
        return x->u.integer != y->u.integer;
    case FTH_VALUE_FLOAT:
        if (memcmp(&x->u.number, &y->u.number, sizeof(double)) &&
            !(isnan(x->u.number) && isnan(y->u.number))) {
            snprintf(why, why_size, "number %g/%g", x->u.number, y->u.number);
            return 1;
        }
        return 0;
    case FTH_VALUE_STRING:
        if (x->u.str.len != y->u.str.len || memcmp(x->u.str.ptr, y->u.str.ptr, x->u.str.len) ||
            x->u.str.ptr[x->u.str.len] || y->u.str.ptr[y->u.str.len]) {
            snprintf(why, why_size, "text '%s'/'%s'", x->u.str.ptr, y->u.str.ptr);
            return 1;
        }
        return 0;
    case FTH_VALUE_SEQ:
        if (x->u.seq.len != y->u.seq.len) {
            snprintf(why, why_size, "%zu/%zu items", x->u.seq.len, y->u.seq.len);
            return 1;
        }
        for (i = 0; i < x->u.seq.len; i++) {
            snprintf(path + n, size - n, "[%zu]", i);
            if (diff_value(x->u.seq.items[i], y->u.seq.items[i], path, size, why, why_size))
                return 1;
        }
        break;
    case FTH_VALUE_MAP:
        if (x->u.map.len != y->u.map.len) {
            snprintf(why, why_size, "%zu/%zu members", x->u.map.len, y->u.map.len);
            return 1;
        }
        for (i = 0; i < x->u.map.len; i++) {
            snprintf(path + n, size - n, ".<key %zu>", i);
            if (diff_value(x->u.map.items[i].key, y->u.map.items[i].key, path, size, why, why_size))
                return 1;
            snprintf(path + n, size - n, ".%s", x->u.map.items[i].key->u.str.ptr);
            if (diff_value(x->u.map.items[i].value, y->u.map.items[i].value, path, size, why,
                           why_size))
                return 1;
        }
        break;
    }
    path[n] = '\0';
    return 0;
}

static void diff_streams(const struct fth_stream *x, const struct fth_stream *y, const char *name)
{
    size_t i;
    char path[512], why[256];

    if (x->len != y->len)
        fail_msg("%s: %zu/%zu documents", name, x->len, y->len);
    for (i = 0; i < x->len; i++) {
        const struct fth_document *a = &x->docs[i], *b = &y->docs[i];
        if (a->line != b->line || a->index != b->index || !a->error != !b->error)
            fail_msg("%s: document %zu: line %u/%u, error %d/%d", name, i, a->line, b->line,
                     !!a->error, !!b->error);
        if (a->error && (strcmp(a->error->message, b->error->message) ||
                         a->error->line != b->error->line || a->error->column != b->error->column))
            fail_msg("%s: document %zu: error '%s'/'%s'", name, i, a->error->message,
                     b->error->message);
        snprintf(path, sizeof(path), "$");
        why[0] = '\0';
        if (diff_value(a->root, b->root, path, sizeof(path), why, sizeof(why)))
            fail_msg("%s: document %zu: %s: fast %s (line %u)", name, i, path, why, a->line);
    }
}

/* Load text both ways and compare; returns the pieces the fast path built. */
static size_t diff_text(const char *text, size_t len, unsigned flags, const char *name)
{
    struct fth_load_opts o = FTH_LOAD_OPTS_INIT;
    struct fth_arena *a = fth_arena_new();
    struct fth_stream fast, slow;
    struct fth_error e1, e2;
    size_t h0, f0, h1, f1, built;
    int r1, r2;

    assert_non_null(a);
    o.name = name;
    o.flags = flags;
    fth_error_clear(&e1);
    fth_error_clear(&e2);
    value_fast_stats(&h0, &f0);
    r1 = fth_value_load(&fast, a, text, len, &o, &e1);
    value_fast_stats(&h1, &f1);
    built = h1 - h0;
    o.flags |= FTH_LOAD_NO_FAST;
    r2 = fth_value_load(&slow, a, text, len, &o, &e2);
    if (r1 != r2 || strcmp(e1.message, e2.message))
        fail_msg("%s: load %d/%d '%s'/'%s'", name, r1, r2, e1.message, e2.message);
    if (r1 == 0)
        diff_streams(&fast, &slow, name);
    /* the libyaml path never asks the fast path */
    value_fast_stats(&h0, &f0);
    assert_true(h0 == h1 && f0 == f1);
    fth_arena_free(a);
    return built;
}

struct counts {
    size_t files, handled, fallback;
};

static void diff_file(const char *path, struct counts *c)
{
    struct fth_buf buf = FTH_BUF_INIT;
    struct fth_error err;
    size_t h0, f0, h1, f1;
    size_t n = strlen(path);
    int json = n > 5 && !strcmp(path + n - 5, ".json");

    if (fth_file_read(&buf, path, FIXTURE_MAX, &err) < 0)
        return; /* too big or unreadable: not a case */
    value_fast_stats(&h0, &f0);
    diff_text(buf.ptr, buf.len, 0, path);
    value_fast_stats(&h1, &f1);
    if (json)
        diff_text(buf.ptr, buf.len, FTH_LOAD_JSON, path);
    c->files++;
    c->handled += h1 - h0;
    c->fallback += f1 - f0;
    fth_buf_release(&buf);
}

static void walk(const char *dir, struct counts *c)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        char path[4096];
        struct stat st;
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk(path, c);
        else if (S_ISREG(st.st_mode) && st.st_size <= (off_t)FIXTURE_MAX &&
                 ((n > 5 && !strcmp(e->d_name + n - 5, ".yaml")) ||
                  (n > 4 && !strcmp(e->d_name + n - 4, ".yml")) ||
                  (n > 5 && !strcmp(e->d_name + n - 5, ".json"))))
            diff_file(path, c);
    }
    closedir(d);
}

static void test_fixtures(void **state)
{
    struct counts shared = {0, 0, 0}, local = {0, 0, 0}, k8s = {0, 0, 0};

    (void)state;
    walk(FATHOM_SHARED "/fixtures/kubesec", &k8s);
    walk(FATHOM_SHARED "/fixtures/pss", &k8s);
    walk(FATHOM_SHARED "/fixtures", &shared);
    walk(FATHOM_SOURCE_DIR "/tests/fixtures", &local);
    print_message("fast path: %zu shared files (%zu pieces built, %zu to libyaml), %zu local "
                  "(%zu, %zu); Kubernetes fixtures %zu/%zu pieces built\n",
                  shared.files, shared.handled, shared.fallback, local.files, local.handled,
                  local.fallback, k8s.handled, k8s.handled + k8s.fallback);
    assert_true(shared.files > 1000);
    assert_true(local.files >= 10);
    /* the manifests of kubesec and the Pod Security Standards are what the path is for */
    assert_true(k8s.handled * 10 >= (k8s.handled + k8s.fallback) * 9);
}

/* must: 1 the fast path builds it, 0 it goes to libyaml, -1 either */
struct snippet {
    const char *text;
    int must;
};

static const struct snippet snippets[] = {
    /* block mappings and sequences */
    {"a: 1\nb: two\n", 1},
    {"a: 1\nb: two", 1},
    {"apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    app: web\n", 1},
    {"a:\n  b:\n    c: d\n  e: f\ng: h\n", 1},
    {"- a\n- b\n- c\n", 1},
    {"a:\n- x\n- y\nb: 2\n", 1},
    {"a:\n  - x\n  - y\nb: 2\n", 1},
    {"- name: a\n  image: b\n- name: c\n", 1},
    {"-   name: a\n    image: b\n- name: c\n", 1},
    {"- - x\n  - y\n- - z\n", 1},
    {"- - - deep\n", 1},
    {"a:\n- b: 1\n  c: 2\n- d\nz: 0\n", 1},
    {"a:\n  -\n    b: 1\n  -\n  - c\n", 1},
    {"- \n- a\n-\n", 1},
    {"a:\nb:\n", 1},
    {"a:   \nb: ~\nc: null\nd: Null\n", 1},
    {"a:\n# comment\nb: 1\n", 1},
    {"a: # comment\n  b: 1\n", 1},
    {"- # comment\n  b: 1\n", 1},
    {"  a: 1\n  b: 2\n", 1},
    {"a:\n    b: 1\n    c: 2\nd: 3\n", 1},
    {"key: value # comment\nk2: v2#not\nk3: 'q' # c\n", 1},
    {"# head\n\n\na: 1\n\n\n# tail\n", 1},
    {"a: 1\n\n\n\nb: 2\n", 1},
    {"a: b c  d   \n", 1},
    {"url: http://example.com:8080/path?q=1#frag\n", 1},
    {"key:value\n", 1},
    {"- key:value\n", 1},
    {"a: key:value\n", 1},
    {"a b c: d\n", 1},
    {"a : 1\n'b' : 2\n\"c\"   : 3\n", 1},
    {"a: -1\nb: -x\nc: --flag=1\nd: - x\n", 0},
    {"args:\n- --port=80\n- -v\n- '-'\n", 1},
    {"a: [x]y\n", 0},
    {"a: x[0]\nb: x{y}\nc: x,y\nd: a]b\n", 1},
    {"a: ]\n", 0},
    {"a: ,\n", 0},
    /* scalar resolution */
    {"a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: true\nh: False\n", 1},
    {"a: 0x1F\nb: 0o17\nc: 0755\nd: 0b101\ne: 1_000\nf: +5\ng: -0\n", 1},
    {"a: 1.5\nb: .5\nc: 1e3\nd: 1.0e+3\ne: .inf\nf: -.Inf\ng: .nan\nh: 1e400\n", 1},
    {"a: 9223372036854775807\nb: 9223372036854775808\nc: -9223372036854775808\n", 1},
    {"a: 2001-12-14\nb: 12:30:00\nc: 1:20\n", 1},
    {"1: a\n2.5: b\ntrue: c\n0x10: d\n-1: e\n1e3: f\n.inf: g\n", 1},
    {"~: a\n", 0},
    {"null: a\n", 0},
    {"'': a\nb: \"\"\n", 1},
    {"'': a\n\"\": b\n", 0},
    {"a: ''\nb: \"\"\nc: '1'\nd: \"true\"\n", 1},
    /* quoted scalars */
    {"a: 'it''s'\nb: ''''\nc: 'a''b''c'\n", 1},
    {"a: \"\\\\ \\\" \\/ \\0 \\a \\b \\t \\n \\v \\f \\r \\e \\  \\N \\_ \\L \\P\"\n", 1},
    {"a: \"\\x41\\u00e9\\u4e2d\\U0001F600\\xff\"\n", 1},
    {"a: \"\\ud800\"\n", 0},
    {"a: \"\\q\"\n", 0},
    {"a: \"\\x4\"\n", 0},
    {"a: \"tab\there\"\nb: 'tab\tthere'\n", 1},
    {"a: \"multi\n  line\"\n", 1},
    {"a: 'multi\n  line'\n", 1},
    {"a: \"x\\\n  y\"\n", 1},
    {"a: 'x'y\n", 0},
    {"a: 'x'#c\n", -1},
    {"'a':b\n", 0},
    {"\"a\": 1\n\"b\": [1, 2]\n", 1},
    /* block scalars */
    {"a: |\n  line1\n  line2\nb: 1\n", 1},
    {"a: |-\n  line1\n  line2\n\n\nb: 1\n", 1},
    {"a: |+\n  line1\n  line2\n\n\nb: 1\n", 1},
    {"a: >\n  folded\n  text\n\n  para\n    more\n  back\nb: 1\n", 1},
    {"a: >-\n  folded\n  text\n", 1},
    {"a: >+\n  folded\n\n", 1},
    {"a: |\n\n\n  after blank\n", 1},
    {"a: |\n  x\n    indented\n  y\n", 1},
    {"a: >\n  x\n    indented\n  y\n\n  z\n", 1},
    {"a: |\n  trailing   \n  spaces  \n", 1},
    {"a: |\n  x\n      \n  y\n", 1},
    {"a: |\n    \n  x\n", -1},
    {"a: |\n  x\n", 1},
    {"a: |\n  x", 1},
    {"a: |-\n  x", 1},
    {"a: |\n", 1},
    {"a: |", 1},
    {"a: >\nb: 1\n", 1},
    {"a: | # comment\n  x\n", 1},
    {"a: |2\n   x\n", 0},
    {"a: |-2\n   x\n", 0},
    {"- |\n  x\n- >\n  y\n  z\n", 1},
    {"a:\n  b: |\n    script\n      nested\n  c: 1\n", 1},
    {"a: |\n  # not a comment\n  x\n# comment\nb: 1\n", 1},
    {"a: |\n  x\n\ty\n", 0},
    {"a: |\n  tab\tinside\n", 1},
    {"|\n  root literal\n", 1},
    {">\n root\n folded\n", 1},
    {"a: |\n text\n  more\nb: 1\n", 1},
    /* flow collections */
    {"a: []\nb: {}\nc: [ ]\nd: { }\n", 1},
    {"a: [x, y, 'z', \"w\"]\n", 1},
    {"a: [1, 2.5, true, null, ~]\n", 1},
    {"a: {b: 1, c: [d, e], 'f': {}}\n", 1},
    {"a: [[1, 2], [3]]\n", 1},
    {"a: [x, ]\n", 1},
    {"a: {b: 1, }\n", 1},
    {"a: [x,\n  ]\n", 1},
    {"a: [,]\n", 0},
    {"a: [x,,]\n", 0},
    {"a: {,}\n", 0},
    {"a: {b}\n", 0},
    {"a: [b: 1]\n", 0},
    {"a: {b: 1, b: 2}\n", 0},
    {"a: [x] # comment\n", 1},
    {"a: [x]]\n", 0},
    {"[a, b]\n", 1},
    {"{a: 1}\n", 1},
    {"a:\n  [x, y]\n", 1},
    {"a: [-1, -x]\n", 1},
    {"a: [a:b]\n", 0},
    /* plain and quoted scalars over several lines, folded */
    {"a: x\n  y\n\n\n  z\nb: 1\n", 1},
    {"- x\n  y\n- z\n", 1},
    {"a: x  \n   y  \n", 1},
    {"a: x\n  - y\n  [z] 'w' &v *u !t |s >r %q @p\n", 1},
    {"a: x\n  y #c\nb: 1\n", 1},
    {"a: x\n  y: z\n", 0},
    {"a: x\n  : z\n", 0},
    {"a: x\n  y\n...\n", 1},
    {"x\n...\n", 1},
    {"x\ny\nz: 1\n", 0},
    {"a: 1\n  2\n", 1},
    {"a: x\n  y\n z\nb: 1\n", 1},
    {"a:\n  b: x\n   y\n  c: z\n", 1},
    {"- - x\n    y\n  - z\n", 1},
    {"a: x\n\ty\n", 0},
    {"a: x\n  y\t\n", 0},
    {"a: 'x\ny'\n", 1},
    {"a: 'x\n\n  y  \n  z'\n", 1},
    {"a: \"x\\\n\n  y\"\n", 1},
    {"a: \"x \\\n  y\"\n", 1},
    {"a: \"x\\\n  \\ y\"\n", 1},
    {"a: \"\\t\n\ty \\u00e9\"\n", 1},
    {"a: 'x\n\ty'\n", 1},
    {"a: 'it''s\n  ''ok'''\n", 1},
    {"a: 'x\n  y'   # c\nb: 1\n", 1},
    {"- 'x\n  y'\n- b\n", 1},
    {"- \"x\n\n\n  y\"\n- b\n", 1},
    {"'x\n y': 1\n", 0},
    {"a: \"x\n  y\" z\n", 0},
    {"a: 'x\n  y': 1\n", 0},
    {"a: [x, 'y\n  z']\n", 0},
    {"a: 'x\n", 0},
    {"a: 'x\n...\n", 0},
    {"a: \"x\n\xc3\xa9 y\"\n", 1},
    /* flow collections over several lines, JSON */
    {"a: [x,\n  y]\n", 1},
    {"a: {\"k\":1}\n", 1},
    {"{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": {\"d\": \"e\\u00e9\"}\n}\n",
     1},
    {"{\"a\":{\"b\":[1,2.5,\"x\",-3,1e5]},\"c\":null,\"d\":\"\\/\"}", 1},
    {"[\n  {\"k\": \"v\"},\n  [],\n  {}\n]\n", 1},
    {"a: [x,\ny]\n", 0},
    {"a: [x, # c\n  y]\n", 1},
    {"a: [x\n  , y]\n", 1},
    {"a: [x\n  y]\n", 0},
    {"a: {b:\n  c}\n", 1},
    {"a: {b\n  : c}\n", 0},
    {"a: {'b':c}\n", 1},
    {"a: [x,\n\ty]\n", 0},
    {"a: [x,\n  \n\n  y]\nb: 1\n", 1},
    {"- [a,\n   b]\n- c\n", 1},
    {"a:\n  - {x: 1,\n     y: 2}\n  - z\n", 1},
    {"a: [x,\n  y]: 1\n", 0},
    {"a: [x,\n  y] z\n", 0},
    {"[a,\n", 0},
    {"[a,\n...\n", 0},
    {"a: {x: [1,\n  2], y: {z:\n  w}}\n", 1},
    /* indentation edge cases */
    {"a:\n  b: 1\n c: 2\n", 0},
    {"a: 1\n  b: 2\n", 0},
    {"a: plain\n  continued\n", 1},
    {"- plain\n  continued\n", 1},
    {"a:\n  plain\n  continued\n", 1},
    {"a: x\n\n  continued\n", 1},
    {"a: x\n  # comment\nb: y\n", 1},
    {"a: x\n  # comment\n  y\n", 0},
    {"- a\nb: 1\n", 0},
    {"a: 1\n- b\n", 0},
    {"a:\n  - x\n  b: 1\n", 0},
    {"a: b: c\n", 0},
    {"a: b:\n", 0},
    {"a: - b\n", 0},
    {"a:\n\tb: 1\n", 0},
    {"a:\tb\n", 0},
    {"a: b\t\n", 0},
    {"a: 1\na: 2\n", 0},
    {"<<: {a: 1}\nb: 2\n", 0},
    {"'<<': 1\n", 1},
    {"? a\n: b\n", 0},
    {"a: &x 1\nb: *x\n", 0},
    {"a: !!str 1\n", 0},
    {"%YAML 1.1\n---\na: 1\n", 0},
    {"a: @x\n", 0},
    {"a: `x`\n", 0},
    {"a: %x\n", 0},
    {"a: |x\n", 0},
    {"a: >x\n", 0},
    {"a: \"x\" y\n", 0},
    {"x\n", 1},
    {"plain root with spaces\n", 1},
    {"'quoted root'\n", 1},
    {"x\ny\n", 1},
    {"a\n- b\n", 1},
    /* documents */
    {"---\na: 1\n", 1},
    {"--- # comment\na: 1\n", 1},
    {"# c\n---\na: 1\n", 1},
    {"---\n", 1},
    {"---", 1},
    {"--- \n# only a comment\n", 1},
    {"---\n...\n", 1},
    {"a: 1\n...\n", 1},
    {"a: 1\n--- \nb: 2\n---\n---\nc: 3\n...\n---\nd\n", 1},
    {"--- a\n", 0},
    {"--- |\n  x\n", 0},
    {"a: 1\n... # end\n", 1},
    {"a: |\n  x\n...\n", 1},
    {"a: 1\n---\na: [\n---\nb: 2\n", -1},
    {"a: 1\n---\n- x\n  bad: 1\n---\nb: 2\n", -1},
    /* line ends, byte order mark, odd bytes */
    {"a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\nc: |\r\n  l1\r\n  l2\r\n\r\nd: >-\r\n  f\r\n  g\r\n", 1},
    {"a: 1\rb: 2\r", 0},
    {"a: x\r\n", 1},
    {"\xef\xbb\xbf"
     "a: 1\nb: 2\n",
     1},
    {"\xef\xbb\xbf"
     "---\na: 1\n",
     1},
    {"a: caf\xc3\xa9\n", 1},
    {"caf\xc3\xa9: [\xc3\xa9t\xc3\xa9, '\xe4\xb8\xad', \"\xf0\x9f\x98\x80\", x]\n", 1},
    {"- \xc3\xa9: 1\n  b: {\xc3\xa9\xc3\xa9: x, y: z}\n", 1},
    {"a: |\n  \xc3\xa9\n  \xe2\x82\xac\n", 1},
    {"a: \x01\n", 0},
    {"# caf\xc3\xa9\na: 1 # \xe2\x82\xac\n", 1},
    {"a: \xc3\n", 0},
    {"a: \xc3\xa9\xa9\n", 0},
    {"a: \xe0\x80\x80\n", 0},
    {"a: \xed\xa0\x80\n", 0},
    {"a: \xf4\x90\x80\x80\n", 0},
    {"a: \xc2\x85x\n", 0},
    {"a: x\xe2\x80\xa8y\n", 0},
    {"a: \xef\xbb\xbfx\n", 0},
    {"a: \xef\xbf\xbe\n", 0},
    {"a: \xc2\xa0x\n", 1},
    {"host: ::1\nb: ?x\nc: :x\n", 1},
    {"::1: a\n", 1},
    {"a: [::1]\n", 0},
    {"a: x\x7f\n", 0},
    {"a: 1 # \x01\n", 0},
    {"a: |\n  \x02\n", 0},
    {"--- #\xff\n", 0},
    {"...\n\xef\xbb\xbf", 0},
    {"a: 1\n...\n\xef\xbb\xbf\n---\n\xef\xbb\xbf", -1},
    {"[0, ", 0},
    {"", -1},
    {"\n\n", -1},
    {"# only\n", -1},
    {NULL, 0},
};

static void test_snippets(void **state)
{
    size_t i, h0, f0, h1, f1, built = 0;
    char name[64];

    (void)state;
    for (i = 0; snippets[i].text; i++) {
        const char *t = snippets[i].text;
        snprintf(name, sizeof(name), "snippet %zu", i);
        value_fast_stats(&h0, &f0);
        diff_text(t, strlen(t), 0, name);
        value_fast_stats(&h1, &f1);
        if (snippets[i].must == 1 && (f1 != f0 || h1 == h0))
            fail_msg("%s: expected the fast path to build every piece of: %s", name, t);
        if (snippets[i].must == 0 && f1 == f0)
            fail_msg("%s: expected the fast path to give up on: %s", name, t);
        built += h1 - h0;
    }
    assert_true(built > 100);
}

/* libyaml gives up on a simple key 1024 characters long; the fast path leaves long keys to it. */
static void test_long_keys(void **state)
{
    static const size_t lengths[] = {10, 990, 1000, 1021, 1022, 1023, 1024, 1025, 1100, 5000};
    char *text = malloc(6000);
    size_t i, j, h0, f0, h1, f1;

    (void)state;
    assert_non_null(text);
    for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        for (j = 0; j < 3; j++) {
            size_t n = 0, k;
            char name[64];
            /* plain, quoted, and a flow key */
            if (j == 1)
                text[n++] = '"';
            if (j == 2)
                text[n++] = '{';
            for (k = 0; k < lengths[i]; k++)
                text[n++] = (char)('a' + k % 26);
            if (j == 1)
                text[n++] = '"';
            memcpy(text + n, j == 2 ? ": 1}\n" : ": 1\n", j == 2 ? 5 : 4);
            n += j == 2 ? 5 : 4;
            snprintf(name, sizeof(name), "key of %zu (%zu)", lengths[i], j);
            value_fast_stats(&h0, &f0);
            diff_text(text, n, 0, name);
            value_fast_stats(&h1, &f1);
            /* short keys are the fast path's */
            if (lengths[i] < 900)
                assert_int_equal(h1 - h0, 1);
        }
    }
    free(text);
}

/* The limits hold on the fast path too: past them, libyaml's path reports them. */
static void test_limits(void **state)
{
    struct fth_load_opts o = FTH_LOAD_OPTS_INIT;
    struct fth_arena *a = fth_arena_new();
    struct fth_stream s;
    struct fth_error err;
    size_t h0, f0, h1, f1;

    (void)state;
    assert_non_null(a);
    o.name = "in.yaml";
    o.max_nodes = 5;
    value_fast_stats(&h0, &f0);
    assert_int_equal(fth_value_load(&s, a, "a: 1\nb: 2\nc: 3\n", 15, &o, &err), 0);
    value_fast_stats(&h1, &f1);
    assert_int_equal(f1 - f0, 1);
    assert_non_null(s.docs[0].error);
    assert_string_equal(s.docs[0].error->message, "document has more than 5 nodes (limit)");
    o.max_nodes = 7;
    assert_int_equal(fth_value_load(&s, a, "a: 1\nb: 2\nc: 3\n", 15, &o, &err), 0);
    assert_null(s.docs[0].error);
    assert_int_equal(s.docs[0].root->weight, 7);
    o.max_nodes = 0;
    o.max_depth = 2;
    assert_int_equal(fth_value_load(&s, a, "a:\n  b:\n    c: 1\n", 17, &o, &err), 0);
    assert_non_null(s.docs[0].error);
    assert_string_equal(s.docs[0].error->message, "nesting deeper than 2 levels (limit)");
    assert_int_equal(s.docs[0].error->line, 3);
    assert_int_equal(fth_value_load(&s, a, "a: [[1]]\n", 9, &o, &err), 0);
    assert_non_null(s.docs[0].error);
    fth_arena_free(a);
}

/* What the fast path builds, checked against known values (not only against libyaml). */
static void test_values(void **state)
{
    static const char text[] = "---\nspec:\n  containers:\n  - name: web\n    args: [\"-v\", 'x']\n"
                               "    script: |\n      echo 1\n      echo 2\n    note: >-\n"
                               "      one\n      two\n    port: 8080\n    empty:\n";
    struct fth_load_opts o = FTH_LOAD_OPTS_INIT;
    struct fth_arena *a = fth_arena_new();
    const struct fth_value *c, *v;
    struct fth_stream s;
    struct fth_error err;
    size_t h0, f0, h1, f1;

    (void)state;
    assert_non_null(a);
    value_fast_stats(&h0, &f0);
    assert_int_equal(fth_value_load(&s, a, text, sizeof(text) - 1, &o, &err), 0);
    value_fast_stats(&h1, &f1);
    assert_int_equal(h1 - h0, 1);
    assert_int_equal(f1 - f0, 0);
    c = fth_value_at(fth_value_path(s.docs[0].root, "spec.containers"), 0);
    assert_non_null(c);
    assert_int_equal(c->line, 4);
    assert_int_equal(c->column, 5);
    v = fth_value_get(c, "args");
    assert_int_equal(fth_value_len(v), 2);
    assert_string_equal(fth_value_str(fth_value_at(v, 0)), "-v");
    assert_int_equal(fth_value_at(v, 1)->column, 18);
    assert_string_equal(fth_value_str(fth_value_get(c, "script")), "echo 1\necho 2\n");
    assert_int_equal(fth_value_get(c, "script")->line, 6);
    assert_int_equal(fth_value_get(c, "script")->column, 13);
    assert_string_equal(fth_value_str(fth_value_get(c, "note")), "one two");
    assert_int_equal(fth_value_get(c, "port")->type, FTH_VALUE_INT);
    assert_int_equal(fth_value_get(c, "port")->u.integer, 8080);
    v = fth_value_get(c, "empty");
    assert_int_equal(v->type, FTH_VALUE_NULL);
    assert_int_equal(v->line, 13);
    assert_int_equal(v->column, 11);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snippets), cmocka_unit_test(test_values),
        cmocka_unit_test(test_limits),   cmocka_unit_test(test_long_keys),
        cmocka_unit_test(test_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
