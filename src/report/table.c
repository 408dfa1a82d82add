/*
 * The human table: one heading per object (kubesec score, Pod Security verdict, or why it
 * was not analysed), its findings below in aligned columns, then errors, warnings and a
 * summary with the gate. Everything shown comes from untrusted manifests, so every cell is
 * made printable: control characters (terminal escapes) and invalid UTF-8 never reach the
 * terminal.
 */
#include "report_int.h"
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "../base/compat.h"
#include "../base/banned.h"

#define DEFAULT_WIDTH 100
#define MIN_WIDTH 40

/* Widest a column may grow before its cells are cut, so the message keeps some room. */
/* Finding rows sit under their object's heading, which names the object and its file. */
enum { COL_SEV, COL_RULE, COL_LOC, COL_CONT, NCOLS };
static const size_t col_max[NCOLS] = {8, 32, 16, 20};
/*
 * On a narrow terminal columns give way, in this order, down to these widths. Rule ids are
 * never cut, since they are what a suppression names.
 */
static const size_t col_min[NCOLS] = {8, 0, 5, 8};
static const int shrink_order[] = {COL_CONT, COL_LOC};
#define MESSAGE_ROOM 40

static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026, one column */

static const char *sev_color(enum fth_severity sev)
{
    switch (sev) {
    case FTH_SEV_CRITICAL:
        return "\x1b[1;31m";
    case FTH_SEV_HIGH:
        return "\x1b[31m";
    case FTH_SEV_MEDIUM:
        return "\x1b[33m";
    case FTH_SEV_LOW:
        return "\x1b[36m";
    case FTH_SEV_INFO:
    case FTH_SEV_UNKNOWN:
        break;
    }
    return "\x1b[2m";
}

/*
 * Append s made printable, at most max columns (0: no limit; a cut cell ends in an
 * ellipsis). Returns the columns written through *cols. One code point is one column.
 */
int report_put_text(struct fth_buf *out, const char *s, size_t max, size_t *cols)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t len = strlen((const char *)p), i = 0, n = 0, total = 0, j;
    int error = 0;

    /* count first, so a cut can leave room for the ellipsis */
    for (j = 0; j < len; total++) {
        size_t k = p[j] >= 0x80 ? fth_utf8_len(p + j, len - j, NULL) : 1;
        j += k ? k : 1;
    }
    while (i < len) {
        size_t k = 1;
        if (max && total > max && n + 1 == max) {
            error = fth_buf_puts(out, ellipsis);
            n++;
            goto out;
        }
        if (p[i] < 0x20 || p[i] == 0x7f) {
            error = fth_buf_putc(out, p[i] == '\t' ? ' ' : '?');
        } else if (p[i] >= 0x80) {
            k = fth_utf8_len(p + i, len - i, NULL);
            if (k)
                error = fth_buf_put(out, p + i, k);
            else
                error = fth_buf_puts(out, "\xef\xbf\xbd");
            k = k ? k : 1;
        } else {
            error = fth_buf_putc(out, (char)p[i]);
        }
        if (error < 0)
            goto out;
        i += k;
        n++;
    }
out:
    if (cols)
        *cols = n;
    return error;
}

static size_t text_cols(const char *s, size_t max)
{
    struct fth_buf tmp = FTH_BUF_INIT;
    size_t n = 0;
    if (report_put_text(&tmp, s, max, &n) < 0)
        n = max;
    fth_buf_release(&tmp);
    return n;
}

static int pad(struct fth_buf *out, size_t n)
{
    int error = 0;
    while (n-- && error == 0)
        error = fth_buf_putc(out, ' ');
    return error;
}

/*
 * Write one finished line, cut to width columns. The line is printable UTF-8 already. With
 * colour, bytes [cstart, cend) (ASCII) are wrapped in `color`.
 */
static int emit_line(struct fth_buf *out, const struct fth_buf *line, size_t width,
                     const char *color, size_t cstart, size_t cend)
{
    const unsigned char *p = (const unsigned char *)line->ptr;
    size_t len = line->len, cols = 0, i = 0, cut, k;
    int error = 0;

    while (len && p[len - 1] == ' ')
        len--;
    for (i = 0; i < len; cols++)
        i += (k = fth_utf8_len(p + i, len - i, NULL)) ? k : 1;
    cut = len;
    if (cols > width) {
        for (i = 0, cols = 0; cols + 1 < width; cols++)
            i += (k = fth_utf8_len(p + i, len - i, NULL)) ? k : 1;
        cut = i;
    }
    if (color && cstart < cend && cend <= cut) {
        if ((error = fth_buf_put(out, p, cstart)) < 0 || (error = fth_buf_puts(out, color)) < 0 ||
            (error = fth_buf_put(out, p + cstart, cend - cstart)) < 0 ||
            (error = fth_buf_puts(out, "\x1b[0m")) < 0 ||
            (error = fth_buf_put(out, p + cend, cut - cend)) < 0)
            goto out;
    } else if ((error = fth_buf_put(out, p, cut)) < 0) {
        goto out;
    }
    if (cut < len && (error = fth_buf_puts(out, ellipsis)) < 0)
        goto out;
    error = fth_buf_putc(out, '\n');
out:
    return error;
}

/* ---- findings to objects ---- */

struct objkey {
    const struct fth_k8s_object *obj;
    size_t idx;
};

static int strcmp_null(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int key_cmp(const char *file, unsigned doc, const char *display,
                   const struct fth_k8s_object *o)
{
    int c = strcmp_null(file, o->file);
    if (c)
        return c;
    if (doc != o->doc)
        return doc < o->doc ? -1 : 1;
    return strcmp_null(display, o->display);
}

static int objkey_cmp(const void *a, const void *b)
{
    const struct objkey *x = a, *y = b;
    int c = key_cmp(x->obj->file, x->obj->doc, x->obj->display, y->obj);
    if (c)
        return c;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * The object a finding belongs to: same file, document and display name; among equals (two
 * List items named alike) the last one starting at or before the finding's line. Returns n
 * when no object matches.
 */
static size_t find_owner(const struct objkey *keys, size_t n, const struct fth_finding *f)
{
    size_t lo = 0, hi = n, best = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key_cmp(f->loc.file, f->loc.doc, f->object, keys[mid].obj) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && key_cmp(f->loc.file, f->loc.doc, f->object, keys[lo].obj) == 0; lo++) {
        if (best == n || keys[lo].obj->line <= f->loc.line)
            best = keys[lo].idx;
    }
    return best;
}

/* ---- rendering ---- */

/* Leave the message MESSAGE_ROOM columns where the terminal allows, narrowing other columns. */
static void fit_columns(size_t *w, size_t width)
{
    size_t used = 2, i, k;

    for (i = 0; i < NCOLS; i++)
        used += w[i] + 2;
    for (k = 0; k < sizeof(shrink_order) / sizeof(shrink_order[0]); k++) {
        size_t c = (size_t)shrink_order[k], give;
        if (used + MESSAGE_ROOM <= width)
            break;
        give = w[c] > col_min[c] ? w[c] - col_min[c] : 0;
        if (give > used + MESSAGE_ROOM - width)
            give = used + MESSAGE_ROOM - width;
        w[c] -= give;
        used -= give;
    }
}

/* Within an object: most severe first, then by position; stable through the index. */
struct row {
    const struct fth_finding *f;
    size_t idx;
};

static int row_cmp(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->f->severity != y->f->severity)
        return x->f->severity > y->f->severity ? -1 : 1;
    if (x->f->loc.line != y->f->loc.line)
        return x->f->loc.line < y->f->loc.line ? -1 : 1;
    if (x->f->loc.column != y->f->loc.column)
        return x->f->loc.column < y->f->loc.column ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

struct table {
    struct fth_buf *out;
    const struct fth_k8s_result *res;
    const struct fth_report_opts *opts;
    size_t width;
    size_t w[NCOLS];
    struct fth_buf line;
    struct fth_buf loc;
};

/* "file:line:col"; without a file (a finding row under its object's heading) "line:col". */
static int format_loc(struct fth_buf *b, const char *file, unsigned line, unsigned column)
{
    int error = 0;

    fth_buf_clear(b);
    if (file && (error = fth_buf_puts(b, file)) < 0)
        return error;
    if (line && (error = fth_buf_printf(b, file ? ":%u" : "%u", line)) < 0)
        return error;
    if (line && column)
        error = fth_buf_printf(b, ":%u", column);
    return error;
}

static int measure(struct table *t, const struct fth_finding *f)
{
    size_t c[NCOLS], i;
    int error;

    if ((error = format_loc(&t->loc, NULL, f->loc.line, f->loc.column)) < 0)
        return error;
    c[COL_SEV] = strlen(fth_severity_name(f->severity));
    c[COL_RULE] = text_cols(f->rule ? f->rule->id : "?", col_max[COL_RULE]);
    c[COL_LOC] = text_cols(t->loc.ptr, col_max[COL_LOC]);
    c[COL_CONT] = text_cols(f->container ? f->container : "-", col_max[COL_CONT]);
    for (i = 0; i < NCOLS; i++)
        t->w[i] = c[i] > t->w[i] ? c[i] : t->w[i];
    return 0;
}

/*
 * One padded cell. A location too wide keeps its end ("…/deploy.yaml:12:5"): the line and
 * column are what the reader needs.
 */
static int cell(struct table *t, const char *s, size_t col)
{
    struct fth_buf tmp = FTH_BUF_INIT;
    size_t n = 0, i = 0, k;
    int error;

    if (col == COL_LOC && text_cols(s, 0) > t->w[col]) {
        if ((error = report_put_text(&tmp, s, 0, &n)) < 0)
            goto out;
        for (; n >= t->w[col]; n--)
            i += (k = fth_utf8_len((const unsigned char *)tmp.ptr + i, tmp.len - i, NULL)) ? k : 1;
        if ((error = fth_buf_puts(&t->line, ellipsis)) < 0 ||
            (error = fth_buf_put(&t->line, tmp.ptr + i, tmp.len - i)) < 0)
            goto out;
        n = t->w[col];
    } else if ((error = report_put_text(&t->line, s, t->w[col], &n)) < 0) {
        goto out;
    }
    error = pad(&t->line, t->w[col] - (n < t->w[col] ? n : t->w[col]) + 2);
out:
    fth_buf_release(&tmp);
    return error;
}

static int finding_row(struct table *t, const struct fth_finding *f)
{
    const char *sev = fth_severity_name(f->severity);
    int error;

    fth_buf_clear(&t->line);
    if ((error = format_loc(&t->loc, NULL, f->loc.line, f->loc.column)) < 0 ||
        (error = fth_buf_puts(&t->line, "  ")) < 0 || (error = cell(t, sev, COL_SEV)) < 0 ||
        (error = cell(t, f->rule ? f->rule->id : "?", COL_RULE)) < 0 ||
        (error = cell(t, t->loc.ptr, COL_LOC)) < 0 ||
        (error = cell(t, f->container ? f->container : "-", COL_CONT)) < 0 ||
        (error = report_put_text(&t->line, f->message, 0, NULL)) < 0)
        return error;
    return emit_line(t->out, &t->line, t->width, t->opts->color ? sev_color(f->severity) : NULL, 2,
                     2 + strlen(sev));
}

static int object_heading(struct table *t, const struct fth_k8s_object *obj, size_t suppressed)
{
    const struct fth_report_opts *o = t->opts;
    int error;

    fth_buf_clear(&t->line);
    if ((error = format_loc(&t->loc, obj->file, obj->line, 0)) < 0 ||
        (error = report_put_text(&t->line, obj->display ? obj->display : "(unnamed object)", 0, NULL)) <
            0 ||
        (error = fth_buf_puts(&t->line, "  ")) < 0 ||
        (error = report_put_text(&t->line, t->loc.ptr, 0, NULL)) < 0)
        return error;
    /* the scan's note says it whole ("CustomResourceDefinition: not analysed") */
    if (!obj->analysed &&
        ((error = fth_buf_puts(&t->line, "  ")) < 0 ||
         (error = report_put_text(&t->line, obj->note ? obj->note : "not analysed", 0, NULL)) < 0))
        return error;
    if (obj->kubesec_supported &&
        (error = fth_buf_printf(&t->line, "  kubesec score %d", obj->kubesec_score)) < 0)
        return error;
    if (suppressed && (error = fth_buf_printf(&t->line, "  %zu suppressed", suppressed)) < 0)
        return error;
    if ((error = emit_line(t->out, &t->line, t->width, NULL, 0, 0)) < 0 || !obj->pss_checked)
        return error;
    /* the verdict gets a line of its own: PSA's message names every violation */
    fth_buf_clear(&t->line);
    if (!obj->pss_allowed && obj->pss_message) {
        error = fth_buf_puts(&t->line, "  ");
        if (error == 0)
            error = report_put_text(&t->line, obj->pss_message, 0, NULL);
    } else {
        error = fth_buf_printf(&t->line, "  PodSecurity \"%s:%s\": %s",
                               fth_pss_level_name(o->pss_level), fth_pss_version_name(o->pss_minor),
                               obj->pss_allowed ? "allowed" : "violates");
    }
    if (error < 0)
        return error;
    return emit_line(t->out, &t->line, t->width, NULL, 0, 0);
}

static int notices(struct table *t, struct fth_error *const *errs, size_t n, const char *what)
{
    int error = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        const struct fth_error *e = errs[i];
        fth_buf_clear(&t->line);
        if (e->file[0]) {
            if ((error = format_loc(&t->loc, e->file, e->line, e->column)) < 0 ||
                (error = report_put_text(&t->line, t->loc.ptr, 0, NULL)) < 0 ||
                (error = fth_buf_puts(&t->line, ": ")) < 0)
                goto out;
        }
        if ((error = fth_buf_printf(&t->line, "%s: ", what)) < 0)
            goto out;
        if (e->member[0] && ((error = report_put_text(&t->line, e->member, 0, NULL)) < 0 ||
                             (error = fth_buf_puts(&t->line, ": ")) < 0))
            goto out;
        if ((error = report_put_text(&t->line, e->message[0] ? e->message : fth_error_name(e->code), 0,
                              NULL)) < 0 ||
            (error = emit_line(t->out, &t->line, t->width, NULL, 0, 0)) < 0)
            goto out;
    }
out:
    return error;
}

static int summary(struct table *t, const size_t *counts, size_t suppressed, size_t blocking,
                   size_t pss_violating)
{
    static const enum fth_severity order[] = {FTH_SEV_CRITICAL, FTH_SEV_HIGH, FTH_SEV_MEDIUM,
                                              FTH_SEV_LOW, FTH_SEV_INFO};
    const struct fth_k8s_result *res = t->res;
    struct fth_buf *b = &t->line;
    enum fth_severity gate = t->opts->fail_on;
    int error = 0;
    size_t i;

    fth_buf_clear(b);
    for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        if ((error = fth_buf_printf(b, "%s%zu %s", i ? ", " : "", counts[order[i]],
                                    fth_severity_name(order[i]))) < 0)
            goto out;
    }
    if (counts[FTH_SEV_UNKNOWN] &&
        (error = fth_buf_printf(b, ", %zu UNKNOWN", counts[FTH_SEV_UNKNOWN])) < 0)
        goto out;
    if ((error = fth_buf_printf(b, "; %zu suppressed; %zu error%s, %zu warning%s; ", suppressed,
                                res->errors_len, res->errors_len == 1 ? "" : "s", res->warnings_len,
                                res->warnings_len == 1 ? "" : "s")) < 0)
        goto out;
    if (t->opts->pss_level > FTH_PSS_PRIVILEGED) {
        error = fth_buf_printf(b, "%zu object%s violate%s PodSecurity \"%s:", pss_violating,
                               pss_violating == 1 ? "" : "s", pss_violating == 1 ? "s" : "",
                               fth_pss_level_name(t->opts->pss_level));
        if (error == 0)
            error = fth_buf_printf(b, "%s\"; ", fth_pss_version_name(t->opts->pss_minor));
        if (error < 0)
            goto out;
    }
    if (gate == FTH_SEV_UNKNOWN)
        error = fth_buf_puts(b, "no gate");
    else if (blocking)
        error = fth_buf_printf(b, "gate %s: FAIL (%zu finding%s at or above %s)",
                               fth_severity_name(gate), blocking, blocking == 1 ? "" : "s",
                               fth_severity_name(gate));
    else
        error = fth_buf_printf(b, "gate %s: pass", fth_severity_name(gate));
    if (error < 0)
        goto out;
    /* the verdict line is never cut: it is what a CI log is read for */
    if ((error = fth_buf_put(t->out, b->ptr, b->len)) < 0)
        goto out;
    error = fth_buf_putc(t->out, '\n');
out:
    return error;
}

int report_table(struct fth_buf *out, const struct fth_k8s_result *res,
                 const struct fth_report_opts *opts)
{
    const size_t nobj = res->objects_len, nf = res->findings_len;
    size_t counts[FTH_SEV_CRITICAL + 1] = {0};
    size_t suppressed = 0, blocking = 0, analysed = 0, pss_violating = 0, i, j, start, sz;
    struct fth_arena *a = NULL;
    struct objkey *keys = NULL;
    size_t *owner = NULL, *first = NULL, *supp = NULL;
    struct row *order = NULL;
    struct table t;
    int error = 0;

    memset(&t, 0, sizeof(t));
    t.out = out;
    t.res = res;
    t.opts = opts;
    t.width = opts->width > 0 ? (size_t)opts->width : DEFAULT_WIDTH;
    t.width = t.width < MIN_WIDTH ? MIN_WIDTH : t.width;
    fth_buf_init(&t.line);
    fth_buf_init(&t.loc);
    for (i = 0; i < NCOLS; i++)
        t.w[i] = 1;
    t.w[COL_SEV] = strlen("CRITICAL");

    if (!(a = fth_arena_new()) || fth_add_overflow(nobj, 2, &sz) ||
        !(keys = fth_arena_calloc(a, nobj + 1, sizeof(*keys))) ||
        !(owner = fth_arena_calloc(a, nf + 1, sizeof(*owner))) ||
        !(first = fth_arena_calloc(a, sz, sizeof(*first))) ||
        !(supp = fth_arena_calloc(a, sz, sizeof(*supp))) ||
        !(order = fth_arena_calloc(a, nf + 1, sizeof(*order)))) {
        error = FTH_ENOMEM;
        goto out;
    }

    /* group findings by object: a counting sort on the owning object's index */
    for (i = 0; i < nobj; i++) {
        keys[i].obj = res->objects[i];
        keys[i].idx = i;
        analysed += res->objects[i]->analysed != 0;
        pss_violating += res->objects[i]->pss_checked && !res->objects[i]->pss_allowed;
    }
    if (nobj)
        qsort(keys, nobj, sizeof(*keys), objkey_cmp);
    for (i = 0; i < nf; i++) {
        const struct fth_finding *f = res->findings[i];
        owner[i] = find_owner(keys, nobj, f);
        if (f->suppressed) {
            suppressed++;
            supp[owner[i]]++;
            continue;
        }
        first[owner[i] + 1]++;
        if ((unsigned)f->severity <= FTH_SEV_CRITICAL)
            counts[f->severity]++;
        if (opts->fail_on != FTH_SEV_UNKNOWN && f->severity >= opts->fail_on)
            blocking++;
        if ((error = measure(&t, f)) < 0)
            goto out;
    }
    fit_columns(t.w, t.width);
    for (i = 1; i < nobj + 2; i++)
        first[i] += first[i - 1];
    for (i = 0; i < nf; i++) {
        if (!res->findings[i]->suppressed)
            order[first[owner[i]]++] = (struct row){res->findings[i], i};
    }
    /* first[k] now ends group k; groups start where the previous one ends */
    for (i = 0, start = 0; i <= nobj; start = first[i], i++) {
        if (first[i] - start > 1)
            qsort(order + start, first[i] - start, sizeof(*order), row_cmp);
    }

    fth_buf_clear(&t.line);
    if ((error = fth_buf_printf(&t.line,
                                "fathom %s: %zu file%s, %zu document%s, %zu object%s (%zu "
                                "analysed)",
                                opts->tool_version ? opts->tool_version : FATHOM_VERSION_STRING,
                                res->files, res->files == 1 ? "" : "s", res->documents,
                                res->documents == 1 ? "" : "s", nobj, nobj == 1 ? "" : "s",
                                analysed)) < 0 ||
        (error = emit_line(out, &t.line, t.width, NULL, 0, 0)) < 0)
        goto out;
    if (nobj && (error = fth_buf_putc(out, '\n')) < 0)
        goto out;
    for (i = 0, start = 0; i <= nobj; i++) {
        if (i < nobj && (error = object_heading(&t, res->objects[i], supp[i])) < 0)
            goto out;
        if (i == nobj && start < first[i]) {
            /* findings no object claims (should not happen; shown, never dropped) */
            fth_buf_clear(&t.line);
            if ((error = fth_buf_printf(&t.line, "other findings")) < 0 ||
                (error = emit_line(out, &t.line, t.width, NULL, 0, 0)) < 0)
                goto out;
        }
        for (j = start; j < first[i]; j++) {
            if ((error = finding_row(&t, order[j].f)) < 0)
                goto out;
        }
        start = first[i];
    }
    if (res->errors_len || res->warnings_len) {
        if ((error = fth_buf_putc(out, '\n')) < 0 ||
            (error = notices(&t, res->errors, res->errors_len, "error")) < 0 ||
            (error = notices(&t, res->warnings, res->warnings_len, "warning")) < 0)
            goto out;
    }
    if ((error = fth_buf_putc(out, '\n')) < 0 ||
        (error = summary(&t, counts, suppressed, blocking, pss_violating)) < 0)
        goto out;
out:
    fth_buf_release(&t.line);
    fth_buf_release(&t.loc);
    fth_arena_free(a);
    return error;
}
