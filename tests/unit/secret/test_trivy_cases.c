/*
 * secret: every case of the shared fixture's expect.json (Trivy's scanner tests, run the way
 * its harness runs them: '\r' removed, the config applied, the file given as
 * "testdata/<name>"), compared field by field: rule id (through the id table below), category,
 * severity, lines, the masked match, the offset and the masked code lines. Titles are Fathom's
 * own words, so they are compared for the config files' custom rules only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "fathom/secret.h"
#include "fathom/value.h"

#define FIXTURES FATHOM_SHARED "/fixtures/image/secrets/"

/* Trivy rule id -> Fathom rule id, where they differ (none today: Fathom keeps Trivy's ids so
 * that ignore files and `disable-rules` lists carry over). */
static const char *const id_map[][2] = {
    {NULL, NULL},
};

/*
 * Where Fathom deliberately differs from Trivy's expectation. Each entry: case name, the
 * expected finding's offset, and the field value Fathom produces instead.
 */
static const struct deviation {
    const char *name;
    long offset;
    const char *match; /* replaces want.Match (and the cause lines' content) */
} deviations[] = {
    /* Trivy stops a Stripe key after 32 characters and leaves the rest of it readable in the
     * output; Fathom masks the whole key (Stripe keys run to 99 characters). */
    {"multiple secrets across chunks", 2704,
     "stripe_key=***************************************************"},
    /* Trivy reports the first secret from the chunk that cuts its line, showing the first
     * character of the second secret; Fathom leaves a secret that starts in a chunk's overlap
     * tail to the next chunk, which holds its whole line. */
    {"multiple secrets on same line", 489,
     "secret=\"********\" and secret=\"*********\" on same line"},
};

static size_t deviations_used;

static const char *map_id(const char *trivy)
{
    size_t i;

    for (i = 0; i < sizeof(id_map) / sizeof(id_map[0]); i++)
        if (id_map[i][0] && !strcmp(id_map[i][0], trivy))
            return id_map[i][1];
    return trivy;
}

static const struct deviation *deviation_of(const char *name, long offset)
{
    size_t i;

    for (i = 0; i < sizeof(deviations) / sizeof(deviations[0]); i++)
        if (!strcmp(deviations[i].name, name) && deviations[i].offset == offset)
            return &deviations[i];
    return NULL;
}

/* The case being run, for sorting its expected findings with the deviations applied. */
static const char *current_case;

static const char *want_match(json_t *w)
{
    const struct deviation *dev =
        deviation_of(current_case, (long)json_integer_value(json_object_get(w, "Offset")));

    return dev ? dev->match : json_string_value(json_object_get(w, "Match"));
}

static char *slurp(const char *path, size_t *len)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;

    if (fth_file_read(&b, path, 64 * 1024 * 1024, &err) < 0)
        fail_msg("read %s: %s", path, err.message);
    return fth_buf_detach(&b, len);
}

/* Bytes as Go's encoding/json would show them (a bad UTF-8 byte becomes U+FFFD). */
static char *go_text(const char *s, size_t len)
{
    struct fth_buf b = FTH_BUF_INIT;

    assert_int_equal(fth_json_quote(&b, s, len), 0);
    return fth_buf_detach(&b, NULL);
}

static void expect_text(const char *what, const char *want, const char *got, size_t got_len,
                        const char *name)
{
    char *w = go_text(want, strlen(want)), *g = go_text(got, got_len);

    if (strcmp(w, g))
        fail_msg("%s: %s:\n  want %s\n  got  %s", name, what, w, g);
    free(w);
    free(g);
}

struct reader {
    const char *p;
    size_t len, off;
};

static long mem_read(void *data, void *buf, size_t len)
{
    struct reader *r = data;
    size_t n = r->len - r->off < len ? r->len - r->off : len;

    memcpy(buf, r->p + r->off, n);
    r->off += n;
    return (long)n;
}

static int cmp_want(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    int c = strcmp(map_id(json_string_value(json_object_get(a, "RuleID"))),
                   map_id(json_string_value(json_object_get(b, "RuleID"))));

    if (c)
        return c;
    c = strcmp(want_match(a), want_match(b));
    if (c)
        return c;
    return (int)(json_integer_value(json_object_get(a, "Offset")) -
                 json_integer_value(json_object_get(b, "Offset")));
}

static int is_builtin(const struct fth_secret_rules *rules, const char *id)
{
    struct fth_secret_rule_info info;
    size_t i;

    for (i = 0; i < fth_secret_rules_count(rules); i++)
        if (fth_secret_rules_info(&info, rules, i) == 0 && !strcmp(info.id, id))
            return info.builtin;
    return 0;
}

static void check_finding(const char *name, json_t *w, const struct fth_secret_finding *f,
                          const struct fth_secret_rules *rules, int streaming)
{
    long offset = (long)json_integer_value(json_object_get(w, "Offset"));
    const struct deviation *dev = deviation_of(name, offset);
    const char *expected = json_string_value(json_object_get(w, "Match"));
    json_t *lines, *line;
    size_t i;

    if (dev) {
        expected = dev->match;
        deviations_used++;
    }
    if (strcmp(map_id(json_string_value(json_object_get(w, "RuleID"))), f->rule_id))
        fail_msg("%s: rule %s, got %s", name, json_string_value(json_object_get(w, "RuleID")),
                 f->rule_id);
    if (strcmp(json_string_value(json_object_get(w, "Category")), f->category))
        fail_msg("%s: %s: category %s, got %s", name, f->rule_id,
                 json_string_value(json_object_get(w, "Category")), f->category);
    if (strcmp(json_string_value(json_object_get(w, "Severity")), fth_severity_name(f->severity)))
        fail_msg("%s: %s: severity %s, got %s", name, f->rule_id,
                 json_string_value(json_object_get(w, "Severity")), fth_severity_name(f->severity));
    if (!is_builtin(rules, f->rule_id) &&
        strcmp(json_string_value(json_object_get(w, "Title")), f->title))
        fail_msg("%s: %s: title %s, got %s", name, f->rule_id,
                 json_string_value(json_object_get(w, "Title")), f->title);
    if (json_integer_value(json_object_get(w, "StartLine")) != f->start_line ||
        json_integer_value(json_object_get(w, "EndLine")) != f->end_line)
        fail_msg("%s: %s: lines %lld-%lld, got %u-%u", name, f->rule_id,
                 json_integer_value(json_object_get(w, "StartLine")),
                 json_integer_value(json_object_get(w, "EndLine")), f->start_line, f->end_line);
    if (offset != (long)f->offset)
        fail_msg("%s: %s: offset %ld, got %zu", name, f->rule_id, offset, f->offset);
    expect_text("match", expected, f->match, f->match_len, name);
    if (streaming)
        return; /* Trivy's streaming cases assert no code lines */
    lines = json_object_get(json_object_get(w, "Code"), "Lines");
    if (json_array_size(lines) != f->code_len)
        fail_msg("%s: %s: %zu code lines, got %zu", name, f->rule_id, json_array_size(lines),
                 f->code_len);
    for (i = 0; i < json_array_size(lines) && (line = json_array_get(lines, i)); i++) {
        const struct fth_secret_line *l = &f->code[i];
        const char *content = json_string_value(json_object_get(line, "Content"));

        if (json_integer_value(json_object_get(line, "Number")) != l->number)
            fail_msg("%s: %s: code line %zu is %u", name, f->rule_id, i, l->number);
        if (dev && l->is_cause)
            content = dev->match;
        expect_text("code line", content, l->content, l->len, name);
        if (json_is_true(json_object_get(line, "IsCause")) != !!l->is_cause ||
            json_is_true(json_object_get(line, "FirstCause")) != !!l->first_cause ||
            json_is_true(json_object_get(line, "LastCause")) != !!l->last_cause)
            fail_msg("%s: %s: cause flags of line %u", name, f->rule_id, l->number);
    }
}

static void run_case(json_t *c, size_t *checked)
{
    const char *name = json_string_value(json_object_get(c, "name"));
    const char *config = json_string_value(json_object_get(c, "config"));
    const char *input = json_string_value(json_object_get(c, "input"));
    const char *inline_input = json_string_value(json_object_get(c, "input_inline"));
    json_t *want = json_object_get(c, "want"), *wf = json_object_get(want, "Findings");
    struct fth_secret_scan_opts opts = FTH_SECRET_SCAN_OPTS_INIT;
    struct fth_secret_rules *rules = NULL;
    struct fth_secret_result res;
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;
    char path[1024], *cfg, *data, *w, *r;
    json_t **sorted;
    size_t cfg_len, len, i, n = json_array_size(wf);
    const char *file_path;

    current_case = name;
    snprintf(path, sizeof(path), FIXTURES "%s", config);
    cfg = slurp(path, &cfg_len);
    if (fth_secret_rules_new(&rules, cfg, cfg_len, config, &err) < 0)
        fail_msg("%s: rules: %s", name, err.message);
    if (inline_input) {
        struct reader rd = {inline_input, strlen(inline_input), 0};

        opts.chunk_size = (size_t)json_integer_value(json_object_get(c, "bufferSize"));
        opts.overlap = (size_t)json_integer_value(json_object_get(c, "overlapSize"));
        if (fth_secret_scan_stream(&res, a, NULL, rules, "test.txt", mem_read, &rd, &opts, &err) <
            0)
            fail_msg("%s: scan: %s", name, err.message);
        data = NULL;
    } else {
        snprintf(path, sizeof(path), FIXTURES "%s", input);
        data = slurp(path, &len);
        /* The harness removes every '\r' before scanning. */
        for (w = r = data; r < data + len; r++)
            if (*r != '\r')
                *w++ = *r;
        len = (size_t)(w - data);
        file_path = json_string_value(json_object_get(want, "FilePath"));
        if (!file_path) {
            snprintf(path, sizeof(path), "testdata/%s", strrchr(input, '/') + 1);
            file_path = path;
        }
        if (fth_secret_scan(&res, a, NULL, rules, file_path, data, len, &opts, &err) < 0)
            fail_msg("%s: scan: %s", name, err.message);
    }
    if (res.len != n) {
        for (i = 0; i < res.len; i++)
            print_message("  got %s line %u offset %zu: %.*s\n", res.findings[i].rule_id,
                          res.findings[i].start_line, res.findings[i].offset,
                          (int)res.findings[i].match_len, res.findings[i].match);
        fail_msg("%s: %zu findings expected, got %zu", name, n, res.len);
    }
    sorted = calloc(n ? n : 1, sizeof(*sorted));
    for (i = 0; i < n; i++)
        sorted[i] = json_array_get(wf, i);
    qsort(sorted, n, sizeof(*sorted), cmp_want);
    for (i = 0; i < n; i++)
        check_finding(name, sorted[i], &res.findings[i], rules, inline_input != NULL);
    *checked += n;
    free(sorted);
    free(data);
    free(cfg);
    fth_secret_rules_free(rules);
    fth_arena_free(a);
}

static void test_secret_trivy_cases(void **state)
{
    json_error_t jerr;
    json_t *doc = json_load_file(FIXTURES "expect.json", 0, &jerr), *cases, *c;
    size_t i, checked = 0;

    (void)state;
    if (!doc)
        fail_msg("expect.json: %s", jerr.text);
    cases = json_object_get(doc, "cases");
    assert_int_equal(json_array_size(cases), 73);
    for (i = 0; i < json_array_size(cases) && (c = json_array_get(cases, i)); i++)
        run_case(c, &checked);
    /* Every expected finding was compared (78 over 59 cases; 14 cases expect none), and every
     * deviation still applies. */
    assert_int_equal(checked, 78);
    assert_int_equal(deviations_used, sizeof(deviations) / sizeof(deviations[0]));
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secret_trivy_cases),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
