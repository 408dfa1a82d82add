/*
 * secret: building a rule set. Custom rules come first, then the built-in ones the config
 * keeps; every regex is compiled once with PCRE2 (JIT where the platform has it) and every
 * keyword goes into one vectorscan literal database, so a scan reads the file once to learn
 * which rules can match at all.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secret_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

pcre2_code *secret_compile(const char *pattern, const char *what, struct fth_error *err)
{
    PCRE2_UCHAR msg[256];
    PCRE2_SIZE at = 0;
    pcre2_code *re;
    int code = 0;

    /* Go's regexp (which rule files are written for) allows repeated group names, and its
     * '$' without (?m) only matches at the very end. */
    re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                       PCRE2_DUPNAMES | PCRE2_DOLLAR_ENDONLY, &code, &at, NULL);
    if (!re) {
        if (code == PCRE2_ERROR_NOMEMORY) {
            fth_error_set(err, FTH_ENOMEM, "out of memory compiling %s", what);
            return NULL;
        }
        pcre2_get_error_message(code, msg, sizeof(msg));
        fth_error_set(err, FTH_EINVALID, "%s: bad regex at offset %zu: %s", what, (size_t)at,
                      (const char *)msg);
        return NULL;
    }
    /* Without JIT (an unsupported CPU) the interpreter runs the same pattern, slower. */
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    return re;
}

static int contains(const struct fth_vec *v, const char *s)
{
    size_t i;

    for (i = 0; i < v->len; i++)
        if (!strcmp((const char *)v->items[i], s))
            return 1;
    return 0;
}

struct builder {
    struct fth_secret_rules *set;
    struct fth_vec specs;   /* struct secret_rule_spec *, in order */
    struct fth_vec kw;      /* char *, lower-cased */
    struct fth_vec kw_rule; /* rule index + 1, as a pointer-sized integer */
    struct fth_error *err;
};

static int compile_allow(struct secret_allow *out, struct fth_arena *a,
                         const struct secret_allow_spec *spec, const char *owner,
                         struct fth_error *err)
{
    const char *what;

    out->id = spec->id;
    out->path = NULL;
    out->regex = NULL;
    if (spec->path) {
        if (!(what = fth_arena_printf(a, "%s allow rule '%s' path", owner, spec->id)))
            return FTH_ENOMEM;
        if (!(out->path = secret_compile(spec->path, what, err)))
            return err ? err->code : FTH_EINVALID;
    }
    if (spec->regex) {
        if (!(what = fth_arena_printf(a, "%s allow rule '%s'", owner, spec->id)))
            return FTH_ENOMEM;
        if (!(out->regex = secret_compile(spec->regex, what, err)))
            return err ? err->code : FTH_EINVALID;
    }
    return 0;
}

/* Record the secret group numbers: every group carrying the name (Go allows repeats). */
static int secret_groups(struct secret_rule *r, struct fth_arena *a, const char *name,
                         struct fth_error *err)
{
    PCRE2_SPTR first, last, e;
    uint32_t size = 0;
    int rc;
    size_t n = 0;

    rc = pcre2_substring_nametable_scan(r->re, (PCRE2_SPTR)name, &first, &last);
    if (rc < 0)
        return fth_error_set(err, FTH_EINVALID, "rule '%s': the regex has no group named '%s'",
                             r->id, name);
    pcre2_pattern_info(r->re, PCRE2_INFO_NAMEENTRYSIZE, &size);
    r->ngroups = (size_t)(last - first) / size + 1;
    if (!(r->groups = fth_arena_calloc(a, r->ngroups, sizeof(*r->groups))))
        return FTH_ENOMEM;
    for (e = first; e <= last; e += size)
        r->groups[n++] = ((uint32_t)e[0] << 8) | e[1];
    return 0;
}

static int compile_rule(struct builder *b, size_t idx, const struct secret_rule_spec *spec)
{
    struct fth_arena *a = b->set->a;
    struct secret_rule *r = &b->set->rules[idx];
    const char *what, *kw;
    char *low;
    size_t i, j, len;
    int error = 0;

    r->id = spec->id;
    r->category = spec->category;
    r->fallback = spec->category && !strcasecmp(spec->category, "Generic");
    r->title = spec->title;
    r->severity = spec->severity;
    r->regex_src = spec->regex;
    r->builtin = spec->builtin;
    r->entropy = spec->entropy;
    if (!(what = fth_arena_printf(a, "rule '%s'", spec->id)))
        return FTH_ENOMEM;
    if (!(r->re = secret_compile(spec->regex, what, b->err)))
        return b->err ? b->err->code : FTH_EINVALID;
    if (spec->group && (error = secret_groups(r, a, spec->group, b->err)) < 0)
        return error;
    if (spec->path) {
        if (!(what = fth_arena_printf(a, "rule '%s' path", spec->id)))
            return FTH_ENOMEM;
        if (!(r->path = secret_compile(spec->path, what, b->err)))
            return b->err ? b->err->code : FTH_EINVALID;
    }
    if (spec->placeholder && !(r->placeholder = secret_compile(spec->placeholder, what, b->err)))
        return b->err ? b->err->code : FTH_EINVALID;
    if (spec->allows.len) {
        r->nallows = spec->allows.len;
        if (!(r->allows = fth_arena_calloc(a, r->nallows, sizeof(*r->allows))))
            return FTH_ENOMEM;
        for (i = 0; i < r->nallows; i++)
            if ((error = compile_allow(&r->allows[i], a, spec->allows.items[i], what, b->err)) < 0)
                return error;
    }
    if (spec->excludes.len) {
        r->nexcludes = spec->excludes.len;
        if (!(r->excludes = fth_arena_calloc(a, r->nexcludes, sizeof(*r->excludes))))
            return FTH_ENOMEM;
        for (i = 0; i < r->nexcludes; i++) {
            what = fth_arena_printf(a, "rule '%s' exclude-block", spec->id);
            if (!what)
                return FTH_ENOMEM;
            if (!(r->excludes[i] = secret_compile(spec->excludes.items[i], what, b->err)))
                return b->err ? b->err->code : FTH_EINVALID;
        }
    }
    r->always = 1;
    for (i = 0; i < spec->keywords.len; i++) {
        kw = spec->keywords.items[i];
        len = strlen(kw);
        if (!len)
            continue;
        if (!(low = fth_arena_strndup(a, kw, len)))
            return FTH_ENOMEM;
        for (j = 0; j < len; j++)
            low[j] = (char)tolower((unsigned char)low[j]);
        if (fth_vec_push(&b->kw, a, low) < 0 ||
            fth_vec_push(&b->kw_rule, a, (void *)(uintptr_t)(idx + 1)) < 0)
            return FTH_ENOMEM;
        r->always = 0;
    }
    return 0;
}

/* A built-in rule as a spec; its '|'-separated keywords split. */
static int builtin_spec(struct secret_rule_spec **out, struct fth_arena *a,
                        const struct secret_builtin *bi)
{
    struct secret_rule_spec *s;
    struct secret_allow_spec *al;
    const char *p = bi->keywords, *bar;
    char *kw;

    if (!(s = fth_arena_calloc(a, 1, sizeof(*s))))
        return FTH_ENOMEM;
    s->id = bi->id;
    s->category = bi->category;
    s->title = bi->title;
    s->severity = bi->severity;
    s->regex = bi->regex;
    s->group = bi->group;
    s->path = bi->path;
    s->placeholder = bi->placeholder;
    s->entropy = bi->entropy;
    s->builtin = 1;
    while (*p) {
        bar = strchr(p, '|');
        if (!bar)
            bar = p + strlen(p);
        if (!(kw = fth_arena_strndup(a, p, (size_t)(bar - p))) ||
            fth_vec_push(&s->keywords, a, kw) < 0)
            return FTH_ENOMEM;
        p = *bar ? bar + 1 : bar;
    }
    if (bi->allow_match) {
        if (!(al = fth_arena_calloc(a, 1, sizeof(*al))))
            return FTH_ENOMEM;
        al->id = "builtin";
        al->regex = bi->allow_match;
        if (fth_vec_push(&s->allows, a, al) < 0)
            return FTH_ENOMEM;
    }
    *out = s;
    return 0;
}

static int build_keywords(struct builder *b, struct fth_error *err)
{
    struct fth_secret_rules *set = b->set;
    hs_compile_error_t *cerr = NULL;
    const char **exprs = NULL;
    unsigned *flags = NULL, *ids = NULL;
    size_t *lens = NULL, i, n = b->kw.len;
    int error = 0;

    if (!n)
        goto out;
    exprs = calloc(n, sizeof(*exprs));
    flags = calloc(n, sizeof(*flags));
    ids = calloc(n, sizeof(*ids));
    lens = calloc(n, sizeof(*lens));
    set->kw_rule = fth_arena_calloc(set->a, n, sizeof(*set->kw_rule));
    if (!exprs || !flags || !ids || !lens || !set->kw_rule) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        exprs[i] = b->kw.items[i];
        lens[i] = strlen(exprs[i]);
        flags[i] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
        ids[i] = (unsigned)i;
        set->kw_rule[i] = (unsigned)((uintptr_t)b->kw_rule.items[i] - 1);
    }
    set->nkw = n;
    if (hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)n, HS_MODE_BLOCK, NULL, &set->db,
                             &cerr) != HS_SUCCESS) {
        error = fth_error_set(err, FTH_EINVALID, "cannot build the keyword prefilter: %s",
                              cerr && cerr->message ? cerr->message : "unknown error");
        hs_free_compile_error(cerr);
        set->db = NULL;
    }
out:
    free(exprs);
    free(flags);
    free(ids);
    free(lens);
    return error;
}

int fth_secret_rules_new(struct fth_secret_rules **out, const char *config, size_t config_len,
                         const char *name, struct fth_error *err)
{
    struct secret_config cfg;
    struct builder b;
    struct fth_secret_rules *set;
    struct secret_rule_spec *spec;
    struct secret_allow_spec *al;
    struct fth_vec allows = {0};
    size_t i;
    int error = 0;

    *out = NULL;
    memset(&b, 0, sizeof(b));
    memset(&cfg, 0, sizeof(cfg));
    if (!(set = calloc(1, sizeof(*set))) || !(set->a = fth_arena_new())) {
        free(set);
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    }
    b.set = set;
    b.err = err;
    if (config && (error = secret_config_parse(&cfg, set->a, config, config_len, name, err)) < 0)
        goto out;
    for (i = 0; i < cfg.rules.len; i++) {
        spec = cfg.rules.items[i];
        if (!contains(&cfg.disable, spec->id) && fth_vec_push(&b.specs, set->a, spec) < 0)
            goto nomem;
    }
    for (i = 0; i < secret_builtin_rules_len; i++) {
        if (contains(&cfg.disable, secret_builtin_rules[i].id) ||
            (cfg.has_enable && !contains(&cfg.enable, secret_builtin_rules[i].id)))
            continue;
        if ((error = builtin_spec(&spec, set->a, &secret_builtin_rules[i])) < 0 ||
            fth_vec_push(&b.specs, set->a, spec) < 0)
            goto nomem;
    }
    set->n = b.specs.len;
    if (set->n && !(set->rules = fth_arena_calloc(set->a, set->n, sizeof(*set->rules))))
        goto nomem;
    for (i = 0; i < set->n; i++)
        if ((error = compile_rule(&b, i, b.specs.items[i])) < 0)
            goto out;

    for (i = 0; i < secret_builtin_allows_len; i++) {
        if (contains(&cfg.disable_allow, secret_builtin_allows[i].id))
            continue;
        if (!(al = fth_arena_calloc(set->a, 1, sizeof(*al))))
            goto nomem;
        al->id = secret_builtin_allows[i].id;
        al->description = secret_builtin_allows[i].description;
        al->path = secret_builtin_allows[i].path;
        al->regex = secret_builtin_allows[i].regex;
        if (fth_vec_push(&allows, set->a, al) < 0)
            goto nomem;
    }
    for (i = 0; i < cfg.allows.len; i++) {
        al = cfg.allows.items[i];
        if (!contains(&cfg.disable_allow, al->id) && fth_vec_push(&allows, set->a, al) < 0)
            goto nomem;
    }
    set->nallows = allows.len;
    if (set->nallows &&
        !(set->allows = fth_arena_calloc(set->a, set->nallows, sizeof(*set->allows))))
        goto nomem;
    for (i = 0; i < set->nallows; i++)
        if ((error = compile_allow(&set->allows[i], set->a, allows.items[i], "global", err)) < 0)
            goto out;
    set->nexcludes = cfg.excludes.len;
    if (set->nexcludes &&
        !(set->excludes = fth_arena_calloc(set->a, set->nexcludes, sizeof(*set->excludes))))
        goto nomem;
    for (i = 0; i < set->nexcludes; i++)
        if (!(set->excludes[i] =
                  secret_compile(cfg.excludes.items[i], "global exclude-block", err))) {
            error = err ? err->code : FTH_EINVALID;
            goto out;
        }
    if ((error = build_keywords(&b, err)) < 0)
        goto out;
    *out = set;
    set = NULL;
    goto out;
nomem:
    error = fth_error_set(err, FTH_ENOMEM, "out of memory");
out:
    if (error < 0 && name && err && !err->file[0])
        fth_error_locate(err, name, 0, 0);
    fth_secret_rules_free(set);
    return error;
}

int fth_secret_rules_load(struct fth_secret_rules **out, const char *config_path,
                          struct fth_error *err)
{
    struct fth_buf buf = FTH_BUF_INIT;
    int error;

    if (!config_path)
        return fth_secret_rules_new(out, NULL, 0, NULL, err);
    if ((error = fth_file_read(&buf, config_path, FTH_LIMIT_SECRET_CONFIG_SIZE, err)) < 0)
        goto out;
    error = fth_secret_rules_new(out, buf.ptr, buf.len, config_path, err);
out:
    fth_buf_release(&buf);
    return error;
}

static void free_allows(struct secret_allow *al, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        pcre2_code_free(al[i].path);
        pcre2_code_free(al[i].regex);
    }
}

void fth_secret_rules_free(struct fth_secret_rules *set)
{
    size_t i, j;

    if (!set)
        return;
    for (i = 0; i < set->n && set->rules; i++) {
        struct secret_rule *r = &set->rules[i];

        pcre2_code_free(r->re);
        pcre2_code_free(r->path);
        pcre2_code_free(r->placeholder);
        if (r->allows)
            free_allows(r->allows, r->nallows);
        for (j = 0; j < r->nexcludes && r->excludes; j++)
            pcre2_code_free(r->excludes[j]);
    }
    if (set->allows)
        free_allows(set->allows, set->nallows);
    for (i = 0; i < set->nexcludes && set->excludes; i++)
        pcre2_code_free(set->excludes[i]);
    if (set->db)
        hs_free_database(set->db);
    fth_arena_free(set->a);
    free(set);
}

size_t fth_secret_rules_count(const struct fth_secret_rules *rules)
{
    return rules ? rules->n : 0;
}

int fth_secret_rules_info(struct fth_secret_rule_info *out, const struct fth_secret_rules *rules,
                          size_t i)
{
    const struct secret_rule *r;

    if (!rules || i >= rules->n)
        return FTH_ENOTFOUND;
    r = &rules->rules[i];
    out->id = r->id;
    out->category = r->category;
    out->title = r->title;
    out->severity = r->severity;
    out->regex = r->regex_src;
    out->builtin = r->builtin;
    return 0;
}
