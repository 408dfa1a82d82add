/*
 * secret: scanning bytes. One vectorscan pass marks the rules whose keywords occur; each of
 * those runs its PCRE2 regex over the bytes, within the match limits of limits.h (a regex
 * that exhausts them stops for this file: bounded work, never a hang). Matches that an allow
 * rule, an exclude block, the placeholder list or the entropy floor rejects are dropped; the
 * rest are masked in a copy of the bytes and the findings' lines are cut from that copy, so
 * no string a finding carries holds any secret found in the file.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secret_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

#define MATCH_WINDOW_LINE 100 /* longer lines are cut around the secret */
#define MATCH_BEFORE 30
#define MATCH_AFTER 20
#define CODE_BEFORE 2 /* lines of context */
#define CODE_AFTER 1

struct loc {
    size_t rule;
    size_t start, end;
};

struct locs {
    struct loc *items;
    size_t len, cap;
    int truncated;
};

struct blocks {
    size_t *ranges; /* start, end pairs */
    size_t len;
    int done;
};

/* ---- scratch ---- */

int fth_secret_scratch_new(struct fth_secret_scratch **out, const struct fth_secret_rules *rules)
{
    struct fth_secret_scratch *s;
    uint32_t caps, max = 0;
    size_t i;
    int error = 0;

    *out = NULL;
    if (!(s = calloc(1, sizeof(*s))))
        return FTH_ENOMEM;
    s->rules = rules;
    for (i = 0; i < rules->n; i++)
        if (pcre2_pattern_info(rules->rules[i].re, PCRE2_INFO_CAPTURECOUNT, &caps) == 0 &&
            caps > max)
            max = caps;
    if (rules->db && hs_alloc_scratch(rules->db, &s->hs) != HS_SUCCESS) {
        error = FTH_ENOMEM;
        goto out;
    }
    s->md = pcre2_match_data_create(max + 1, NULL);
    s->md2 = pcre2_match_data_create(1, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    s->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    s->active = calloc(rules->n ? rules->n : 1, 1);
    if (!s->md || !s->md2 || !s->mctx || !s->jit || !s->active) {
        error = FTH_ENOMEM;
        goto out;
    }
    pcre2_set_match_limit(s->mctx, FTH_LIMIT_SECRET_MATCH_STEPS);
    pcre2_set_depth_limit(s->mctx, FTH_LIMIT_SECRET_MATCH_DEPTH);
    pcre2_set_heap_limit(s->mctx, FTH_LIMIT_SECRET_MATCH_HEAP_KIB);
    pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
    *out = s;
    s = NULL;
out:
    fth_secret_scratch_free(s);
    return error;
}

void fth_secret_scratch_free(struct fth_secret_scratch *s)
{
    if (!s)
        return;
    if (s->hs)
        hs_free_scratch(s->hs);
    pcre2_match_data_free(s->md);
    pcre2_match_data_free(s->md2);
    pcre2_match_context_free(s->mctx);
    pcre2_jit_stack_free(s->jit);
    free(s->active);
    free(s);
}

/* ---- helpers ---- */

double fth_secret_entropy(const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t count[256] = {0}, i;
    double h = 0, f;

    if (!len)
        return 0;
    for (i = 0; i < len; i++)
        count[p[i]]++;
    for (i = 0; i < 256; i++) {
        if (!count[i])
            continue;
        f = (double)count[i] / (double)len;
        h -= f * log2(f);
    }
    return h;
}

/* Does re match somewhere in the bytes? Limits reached count as no match. */
static int matches(struct fth_secret_scratch *s, const pcre2_code *re, const char *p, size_t len)
{
    return pcre2_match(re, (PCRE2_SPTR)p, len, 0, 0, s->md2, s->mctx) >= 0;
}

static int path_matches(struct fth_secret_scratch *s, const pcre2_code *re, const char *path)
{
    return re && matches(s, re, path, strlen(path));
}

static int on_keyword(unsigned int id, unsigned long long from, unsigned long long to,
                      unsigned int flags, void *ctx)
{
    struct fth_secret_scratch *s = ctx;

    (void)from;
    (void)to;
    (void)flags;
    s->active[s->rules->kw_rule[id]] = 1;
    return 0;
}

static int push_loc(struct locs *l, size_t rule, size_t start, size_t end)
{
    struct loc *n;
    size_t cap;

    if (l->len >= FTH_LIMIT_SECRET_FINDINGS) {
        l->truncated = 1;
        return 0;
    }
    if (l->len == l->cap) {
        cap = l->cap ? l->cap * 2 : 16;
        if (!(n = realloc(l->items, cap * sizeof(*n))))
            return FTH_ENOMEM;
        l->items = n;
        l->cap = cap;
    }
    l->items[l->len].rule = rule;
    l->items[l->len].start = start;
    l->items[l->len].end = end;
    l->len++;
    return 0;
}

/* Every match of the exclude-block regexes, computed once per buffer. */
static int find_blocks(struct blocks *b, struct fth_secret_scratch *s, pcre2_code *const *res,
                       size_t n, const char *data, size_t len)
{
    PCRE2_SIZE *ov;
    size_t i, off, *nr, cap = 0;
    int rc;

    b->done = 1;
    for (i = 0; i < n; i++) {
        off = 0;
        while (off <= len) {
            rc = pcre2_match(res[i], (PCRE2_SPTR)data, len, off, 0, s->md2, s->mctx);
            if (rc < 0)
                break;
            ov = pcre2_get_ovector_pointer(s->md2);
            if (b->len + 2 > cap) {
                cap = cap ? cap * 2 : 16;
                if (!(nr = realloc(b->ranges, cap * sizeof(*nr))))
                    return FTH_ENOMEM;
                b->ranges = nr;
            }
            b->ranges[b->len++] = ov[0];
            b->ranges[b->len++] = ov[1];
            off = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        }
    }
    return 0;
}

static int in_blocks(const struct blocks *b, size_t start, size_t end)
{
    size_t i;

    for (i = 0; i + 1 < b->len; i += 2)
        if (b->ranges[i] <= start && end <= b->ranges[i + 1])
            return 1;
    return 0;
}

static int match_allowed(struct fth_secret_scratch *s, const struct secret_rule *r, const char *m,
                         size_t len)
{
    const struct fth_secret_rules *set = s->rules;
    size_t i;

    for (i = 0; i < r->nallows; i++)
        if (r->allows[i].regex && matches(s, r->allows[i].regex, m, len))
            return 1;
    for (i = 0; i < set->nallows; i++)
        if (set->allows[i].regex && matches(s, set->allows[i].regex, m, len))
            return 1;
    return 0;
}

/* The secret itself passes the rule's own checks (placeholders, entropy). */
static int secret_plausible(struct fth_secret_scratch *s, const struct secret_rule *r,
                            const char *p, size_t len)
{
    if (r->placeholder && matches(s, r->placeholder, p, len))
        return 0;
    if (r->entropy > 0 && fth_secret_entropy(p, len) < r->entropy)
        return 0;
    return 1;
}

#define MAX_RANGES 32

/* All accepted secret locations of one rule in the buffer. */
static int rule_locs(struct locs *out, struct fth_secret_scratch *s, size_t ri, const char *data,
                     size_t len, struct blocks *global)
{
    const struct secret_rule *r = &s->rules->rules[ri];
    struct blocks local = {0};
    PCRE2_SIZE *ov, ranges[2 * MAX_RANGES];
    size_t off = 0, ms, me, nr, i, last_end = (size_t)-1;
    int rc, error = 0;

    while (off <= len) {
        rc = pcre2_match(r->re, (PCRE2_SPTR)data, len, off, 0, s->md, s->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0) {
            /* A match limit: this rule stops here for this buffer. */
            fth_log(FTH_LOG_DEBUG, "secret", "rule '%s' stopped at byte %zu: regex limit (%d)",
                    r->id, off, rc);
            break;
        }
        ov = pcre2_get_ovector_pointer(s->md);
        ms = ov[0];
        me = ov[1];
        if (me == ms && ms == last_end) {
            /* An empty match right after the previous one: Go skips it, so do we. */
            off = ms + 1;
            continue;
        }
        nr = 0;
        if (!r->ngroups) {
            ranges[0] = ms;
            ranges[1] = me;
            nr = 1;
        } else {
            for (i = 0; i < r->ngroups && nr < MAX_RANGES; i++) {
                if (ov[2 * r->groups[i]] == PCRE2_UNSET)
                    continue;
                ranges[2 * nr] = ov[2 * r->groups[i]];
                ranges[2 * nr + 1] = ov[2 * r->groups[i] + 1];
                nr++;
            }
        }
        last_end = me;
        off = me > ms ? me : me + 1;
        if (match_allowed(s, r, data + ms, me - ms))
            continue;
        for (i = 0; i < nr; i++) {
            size_t a = ranges[2 * i], b = ranges[2 * i + 1];

            if (a >= b || !secret_plausible(s, r, data + a, b - a))
                continue;
            if (s->rules->nexcludes) {
                if (!global->done && (error = find_blocks(global, s, s->rules->excludes,
                                                          s->rules->nexcludes, data, len)) < 0)
                    goto out;
                if (in_blocks(global, a, b))
                    continue;
            }
            if (r->nexcludes) {
                if (!local.done &&
                    (error = find_blocks(&local, s, r->excludes, r->nexcludes, data, len)) < 0)
                    goto out;
                if (in_blocks(&local, a, b))
                    continue;
            }
            if ((error = push_loc(out, ri, a, b)) < 0)
                goto out;
        }
        if (out->truncated)
            break;
    }
out:
    free(local.ranges);
    return error;
}

static int cmp_span(const void *pa, const void *pb)
{
    const struct loc *a = pa, *b = pb;

    return a->start < b->start ? -1 : a->start > b->start;
}

/*
 * Drop the secrets of fallback ("Generic") rules that overlap a secret another rule found: a
 * GitHub token assigned to GITHUB_TOKEN is one finding, the provider's. The other rules'
 * spans sorted by start with a running maximum of their ends answer each question in log time.
 */
static int drop_shadowed(struct locs *l, const struct fth_secret_rules *set)
{
    struct loc *spans;
    size_t *max_end, n = 0, i, keep = 0, lo, hi, mid;
    int any = 0;

    for (i = 0; i < l->len; i++) {
        if (set->rules[l->items[i].rule].fallback)
            any = 1;
        else
            n++;
    }
    if (!any || !n)
        return 0;
    spans = malloc(n * sizeof(*spans));
    max_end = malloc(n * sizeof(*max_end));
    if (!spans || !max_end) {
        free(spans);
        free(max_end);
        return FTH_ENOMEM;
    }
    n = 0;
    for (i = 0; i < l->len; i++)
        if (!set->rules[l->items[i].rule].fallback)
            spans[n++] = l->items[i];
    qsort(spans, n, sizeof(*spans), cmp_span);
    for (i = 0; i < n; i++)
        max_end[i] = i && max_end[i - 1] > spans[i].end ? max_end[i - 1] : spans[i].end;
    for (i = 0; i < l->len; i++) {
        const struct loc *c = &l->items[i];

        if (set->rules[c->rule].fallback) {
            /* the spans starting before c ends: does one of them end after c starts? */
            lo = 0;
            hi = n;
            while (lo < hi) {
                mid = lo + (hi - lo) / 2;
                if (spans[mid].start < c->end)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo && max_end[lo - 1] > c->start)
                continue;
        }
        l->items[keep++] = *c;
    }
    l->len = keep;
    free(spans);
    free(max_end);
    return 0;
}

static int find_locs(struct locs *out, struct fth_secret_scratch *s, const char *path,
                     const char *data, size_t len, const struct fth_secret_scan_opts *opts)
{
    const struct fth_secret_rules *set = s->rules;
    struct blocks global = {0};
    size_t i, j;
    int error = 0, allowed;

    memset(s->active, 0, set->n ? set->n : 1);
    /* vectorscan takes an unsigned int length: beyond that every rule runs. */
    if (opts->no_prefilter || len > UINT_MAX)
        memset(s->active, 1, set->n ? set->n : 1);
    else if (set->db && len &&
             hs_scan(set->db, data, (unsigned)len, 0, s->hs, on_keyword, s) != HS_SUCCESS) {
        /* Cannot happen with a callback that never stops the scan; be safe anyway. */
        memset(s->active, 1, set->n ? set->n : 1);
    }
    for (i = 0; i < set->n && !out->truncated; i++) {
        const struct secret_rule *r = &set->rules[i];

        if (!r->always && !s->active[i])
            continue;
        if (r->path && !path_matches(s, r->path, path))
            continue;
        allowed = 0;
        for (j = 0; j < r->nallows && !allowed; j++)
            allowed = path_matches(s, r->allows[j].path, path);
        if (allowed)
            continue;
        if ((error = rule_locs(out, s, i, data, len, &global)) < 0)
            break;
    }
    if (!error)
        error = drop_shadowed(out, set);
    free(global.ranges);
    return error;
}

/* ---- findings ---- */

struct lines {
    size_t *nl; /* offsets of every '\n' */
    size_t n;
};

static int index_lines(struct lines *l, const char *data, size_t len)
{
    const char *p = data, *end = data + len, *q;
    size_t cap = 0, *n;

    l->nl = NULL;
    l->n = 0;
    while (p < end && (q = memchr(p, '\n', (size_t)(end - p)))) {
        if (l->n == cap) {
            cap = cap ? cap * 2 : 256;
            if (!(n = realloc(l->nl, cap * sizeof(*n))))
                return FTH_ENOMEM;
            l->nl = n;
        }
        l->nl[l->n++] = (size_t)(q - data);
        p = q + 1;
    }
    return 0;
}

/* 0-based line of byte off: the number of newlines before it. */
static size_t line_of(const struct lines *l, size_t off)
{
    size_t lo = 0, hi = l->n, mid;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (l->nl[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t line_start(const struct lines *l, size_t line)
{
    return line ? l->nl[line - 1] + 1 : 0;
}

static size_t line_end(const struct lines *l, size_t line, size_t len)
{
    return line < l->n ? l->nl[line] : len;
}

/*
 * A copy of the bytes for output: without a trailing carriage return (CRLF files), and with
 * each run of bytes that are not UTF-8 replaced by one U+FFFD, as Trivy shows them.
 */
static const char *text(struct fth_arena *a, const char *p, size_t len, size_t *out_len)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0, n = 0, k;
    char *out;
    int bad = 0;

    if (len && p[len - 1] == '\r')
        len--;
    /* Each invalid byte grows to at most three: size for the worst case. */
    if (len > ((size_t)-1) / 3 - 1 || !(out = fth_arena_alloc(a, len * 3 + 1)))
        return NULL;
    while (i < len) {
        if (s[i] < 0x80) {
            out[n++] = (char)s[i++];
            bad = 0;
        } else if ((k = fth_utf8_len(s + i, len - i, NULL))) {
            memcpy(out + n, s + i, k);
            n += k;
            i += k;
            bad = 0;
        } else {
            if (!bad) {
                memcpy(out + n, "\xef\xbf\xbd", 3);
                n += 3;
            }
            bad = 1;
            i++;
        }
    }
    out[n] = 0;
    *out_len = n;
    return out;
}

static int make_finding(struct fth_secret_finding *f, struct fth_arena *a,
                        const struct secret_rule *r, const char *masked, size_t len,
                        const struct lines *l, const struct loc *loc, size_t base_off,
                        size_t base_line, size_t view)
{
    size_t sl = line_of(l, loc->start), el, ls, le, ws, we, cs, ce, i, rs, re;
    struct fth_secret_line *cl;

    el = line_of(l, loc->end);
    ls = line_start(l, sl);
    le = line_end(l, sl, len);
    ws = ls;
    we = le;
    if (le - ls > MATCH_WINDOW_LINE) {
        ws = loc->start - ls < MATCH_BEFORE ? ls : loc->start - MATCH_BEFORE;
        we = loc->end + MATCH_AFTER > le ? le : loc->end + MATCH_AFTER;
    }
    if (we > view)
        we = view;
    f->rule_id = r->id;
    f->category = r->category;
    f->title = r->title;
    f->severity = r->severity;
    f->start_line = (unsigned)(base_line + sl + 1);
    f->end_line = (unsigned)(base_line + el + 1);
    f->column = (unsigned)(loc->start - ls + 1);
    f->offset = base_off + loc->start;
    f->end = base_off + loc->end;
    if (!(f->match = text(a, masked + ws, we - ws, &f->match_len)))
        return FTH_ENOMEM;
    cs = sl > CODE_BEFORE ? sl - CODE_BEFORE : 0;
    ce = el + CODE_AFTER < l->n ? el + CODE_AFTER : l->n; /* l->n + 1 lines in all */
    f->code_len = ce - cs + 1;
    if (!(cl = fth_arena_calloc(a, f->code_len, sizeof(*cl))))
        return FTH_ENOMEM;
    for (i = cs; i <= ce; i++) {
        struct fth_secret_line *line = &cl[i - cs];

        rs = line_start(l, i);
        re = line_end(l, i, len);
        if (view < len && rs >= view && i > el) {
            f->code_len = i - cs;
            break;
        }
        line->number = (unsigned)(base_line + i + 1);
        line->is_cause = i >= sl && i <= el;
        line->first_cause = i == sl;
        line->last_cause = i == el;
        if (re - rs > MATCH_WINDOW_LINE) {
            if (line->is_cause) {
                line->content = f->match;
                line->len = f->match_len;
                continue;
            }
            re = rs + MATCH_WINDOW_LINE;
        }
        if (re > view)
            re = view > rs ? view : rs;
        if (!(line->content = text(a, masked + rs, re - rs, &line->len)))
            return FTH_ENOMEM;
    }
    f->code = cl;
    return 0;
}

static int cmp_finding(const void *pa, const void *pb)
{
    const struct fth_secret_finding *a = pa, *b = pb;
    size_t n = a->match_len < b->match_len ? a->match_len : b->match_len;
    int c;

    if ((c = strcmp(a->rule_id, b->rule_id)))
        return c;
    if ((c = memcmp(a->match, b->match, n)))
        return c;
    if (a->match_len != b->match_len)
        return a->match_len < b->match_len ? -1 : 1;
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

/*
 * Findings for the buffer's locations, appended to *fv (growing it in a). Every location is
 * masked; only those starting before emit_end become findings. `seen` (rule, offset pairs of
 * the previous chunk) drops findings already reported, for streaming.
 */
static int findings_of(struct fth_secret_finding **fv, size_t *n, size_t *cap, struct fth_arena *a,
                       const struct fth_secret_rules *set, const char *data, size_t len,
                       const struct locs *locs, size_t base_off, size_t base_line,
                       const struct locs *seen, size_t emit_end)
{
    struct lines lines = {0};
    struct fth_secret_finding *nf;
    char *masked = NULL;
    size_t i, j, k, view;
    int error = 0, dup;

    if (!locs->len)
        return 0;
    if (!(masked = malloc(len ? len : 1))) {
        error = FTH_ENOMEM;
        goto out;
    }
    memcpy(masked, data, len);
    for (i = 0; i < locs->len; i++)
        for (j = locs->items[i].start; j < locs->items[i].end; j++)
            if (masked[j] != '\n')
                masked[j] = '*';
    if ((error = index_lines(&lines, data, len)) < 0)
        goto out;
    for (i = 0; i < locs->len; i++) {
        if (locs->items[i].start >= emit_end)
            continue;
        dup = 0;
        for (k = 0; seen && k < seen->len && !dup; k++)
            dup = seen->items[k].rule == locs->items[i].rule &&
                  seen->items[k].start == base_off + locs->items[i].start;
        if (dup)
            continue;
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 8;

            if (!(nf = fth_arena_calloc(a, nc, sizeof(*nf)))) {
                error = FTH_ENOMEM;
                goto out;
            }
            if (*n)
                memcpy(nf, *fv, *n * sizeof(*nf));
            *fv = nf;
            *cap = nc;
        }
        /* Streaming: past emit_end may lie a secret the chunk cuts, so nothing there is shown
         * but the secret itself. */
        view = emit_end == (size_t)-1
                   ? len
                   : (locs->items[i].end > emit_end ? locs->items[i].end : emit_end);
        if ((error = make_finding(&(*fv)[*n], a, &set->rules[locs->items[i].rule], masked, len,
                                  &lines, &locs->items[i], base_off, base_line, view)) < 0)
            goto out;
        (*n)++;
    }
out:
    free(lines.nl);
    free(masked);
    return error;
}

/* ---- skipping ---- */

static const char *const binary_ext[] = {
    ".png",  ".jpg",   ".jpeg",   ".gif", ".ico", ".bmp", ".webp", ".tif",   ".tiff", ".pdf",
    ".zip",  ".gz",    ".tgz",    ".bz2", ".xz",  ".zst", ".7z",   ".rar",   ".jar",  ".war",
    ".ear",  ".class", ".so",     ".o",   ".a",   ".dll", ".exe",  ".dylib", ".pyc",  ".pyo",
    ".whl",  ".woff",  ".woff2",  ".ttf", ".otf", ".eot", ".mp3",  ".mp4",   ".avi",  ".mov",
    ".wasm", ".db",    ".sqlite", ".deb", ".rpm", ".apk", ".iso",  ".img",
};

static int binary_name(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    size_t i;

    if (!dot || (slash && dot < slash))
        return 0;
    for (i = 0; i < sizeof(binary_ext) / sizeof(binary_ext[0]); i++)
        if (!strcasecmp(dot, binary_ext[i]))
            return 1;
    return 0;
}

static int binary_bytes(const void *data, size_t len)
{
    return memchr(data, 0,
                  len < FTH_LIMIT_SECRET_BINARY_PROBE ? len : FTH_LIMIT_SECRET_BINARY_PROBE) !=
           NULL;
}

static int path_allowed(struct fth_secret_scratch *s, const char *path)
{
    size_t i;

    for (i = 0; i < s->rules->nallows; i++)
        if (path_matches(s, s->rules->allows[i].path, path))
            return 1;
    return 0;
}

/* ---- scanning ---- */

int fth_secret_scan(struct fth_secret_result *out, struct fth_arena *a,
                    struct fth_secret_scratch *scratch, const struct fth_secret_rules *rules,
                    const char *path, const void *data, size_t len,
                    const struct fth_secret_scan_opts *opts, struct fth_error *err)
{
    struct fth_secret_scan_opts def = FTH_SECRET_SCAN_OPTS_INIT;
    /* A scratch made for another rule set would index the wrong rules: use a fresh one. */
    struct fth_secret_scratch *own = NULL, *s = scratch && scratch->rules == rules ? scratch : NULL;
    struct locs locs = {0};
    size_t cap = 0, max;
    int error = 0;

    memset(out, 0, sizeof(*out));
    if (!opts)
        opts = &def;
    if (!path)
        path = "";
    max = opts->max_size ? opts->max_size : FTH_LIMIT_SECRET_FILE_SIZE;
    if (!s) {
        if ((error = fth_secret_scratch_new(&own, rules)) < 0)
            goto out;
        s = own;
    }
    if (path_allowed(s, path)) {
        out->skipped = FTH_SECRET_SKIP_ALLOWED;
        goto out;
    }
    if (!opts->scan_binary && (binary_name(path) || binary_bytes(data, len))) {
        out->skipped = FTH_SECRET_SKIP_BINARY;
        goto out;
    }
    if (len > max && !opts->scan_large) {
        out->skipped = FTH_SECRET_SKIP_SIZE;
        goto out;
    }
    if ((error = find_locs(&locs, s, path, data, len, opts)) < 0)
        goto out;
    if ((error = findings_of(&out->findings, &out->len, &cap, a, rules, data, len, &locs, 0, 0,
                             NULL, (size_t)-1)) < 0)
        goto out;
    out->truncated = locs.truncated;
    if (out->len > 1)
        qsort(out->findings, out->len, sizeof(*out->findings), cmp_finding);
out:
    if (error == FTH_ENOMEM)
        fth_error_set(err, error, "out of memory scanning '%s' for secrets", path);
    free(locs.items);
    fth_secret_scratch_free(own);
    return error;
}

static size_t count_newlines(const char *p, size_t len)
{
    const char *end = p + len, *q;
    size_t n = 0;

    while (p < end && (q = memchr(p, '\n', (size_t)(end - p)))) {
        n++;
        p = q + 1;
    }
    return n;
}

int fth_secret_scan_stream(struct fth_secret_result *out, struct fth_arena *a,
                           struct fth_secret_scratch *scratch, const struct fth_secret_rules *rules,
                           const char *path, fth_secret_read_fn read, void *read_data,
                           const struct fth_secret_scan_opts *opts, struct fth_error *err)
{
    struct fth_secret_scan_opts def = FTH_SECRET_SCAN_OPTS_INIT;
    /* A scratch made for another rule set would index the wrong rules: use a fresh one. */
    struct fth_secret_scratch *own = NULL, *s = scratch && scratch->rules == rules ? scratch : NULL;
    struct locs locs = {0}, prev = {0}, tmp;
    size_t chunk, overlap, have = 0, base = 0, base_line = 0, cap = 0, keep, len, i, j;
    char *buf = NULL;
    long n;
    int error = 0, eof = 0, first = 1;

    memset(out, 0, sizeof(*out));
    if (!opts)
        opts = &def;
    if (!path)
        path = "";
    chunk = opts->chunk_size ? opts->chunk_size : FTH_LIMIT_SECRET_CHUNK;
    overlap = opts->overlap ? opts->overlap : FTH_LIMIT_SECRET_OVERLAP;
    if (overlap >= chunk)
        overlap = chunk / 2;
    if (!s) {
        if ((error = fth_secret_scratch_new(&own, rules)) < 0)
            goto out;
        s = own;
    }
    if (path_allowed(s, path)) {
        out->skipped = FTH_SECRET_SKIP_ALLOWED;
        goto out;
    }
    if (!opts->scan_binary && binary_name(path)) {
        out->skipped = FTH_SECRET_SKIP_BINARY;
        goto out;
    }
    /* One byte more than a chunk: whether it arrives says if another chunk follows. */
    if (!(buf = malloc(chunk + 1))) {
        error = FTH_ENOMEM;
        goto out;
    }
    for (;;) {
        while (have < chunk + 1 && !eof) {
            n = read(read_data, buf + have, chunk + 1 - have);
            if (n < 0) {
                error = (int)n;
                goto out;
            }
            if (n == 0)
                eof = 1;
            have += (size_t)n;
        }
        if (first && !opts->scan_binary && binary_bytes(buf, have)) {
            out->skipped = FTH_SECRET_SKIP_BINARY;
            goto out;
        }
        first = 0;
        len = have < chunk ? have : chunk;
        keep = overlap < len ? overlap : len;
        locs.len = 0;
        if ((error = find_locs(&locs, s, path, buf, len, opts)) < 0)
            goto out;
        /*
         * When another chunk follows, a secret starting in this chunk's last `overlap` bytes
         * is left to it: it sees the secret whole, with the rest of its line (a secret cut at
         * the chunk's end would otherwise be reported cut, partly unmasked). It is still
         * masked here, in the lines of the findings this chunk reports.
         */
        if ((error = findings_of(&out->findings, &out->len, &cap, a, rules, buf, len, &locs, base,
                                 base_line, &prev, have > chunk ? len - keep : (size_t)-1)) < 0)
            goto out;
        if (have > chunk) {
            for (i = j = 0; i < locs.len; i++)
                if (locs.items[i].start < len - keep)
                    locs.items[j++] = locs.items[i];
            locs.len = j;
        }
        if (locs.truncated || out->len >= FTH_LIMIT_SECRET_FINDINGS) {
            out->truncated = 1;
            break;
        }
        if (have <= chunk)
            break;
        /* This chunk's locations, made absolute, are the next chunk's duplicates. */
        for (i = 0; i < locs.len; i++)
            locs.items[i].start += base;
        tmp = prev;
        prev = locs;
        locs = tmp;
        base_line += count_newlines(buf, len - keep);
        base += len - keep;
        memmove(buf, buf + len - keep, have - (len - keep));
        have -= len - keep;
    }
    if (out->len > 1)
        qsort(out->findings, out->len, sizeof(*out->findings), cmp_finding);
out:
    if (error == FTH_ENOMEM)
        fth_error_set(err, error, "out of memory scanning '%s' for secrets", path);
    else if (error < 0 && err && !err->message[0])
        fth_error_set(err, error, "cannot read '%s'", path);
    free(buf);
    free(locs.items);
    free(prev.items);
    fth_secret_scratch_free(own);
    return error;
}
