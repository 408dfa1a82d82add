/*
 * Sprig's regex functions over regex.c (Go RE2 semantics, linear time). The plain forms use
 * regexp.MustCompile, so a bad pattern is the panic text "regexp: Compile(`re`): error
 * parsing regexp: ..."; regexMatch swallows the error (false); the must* forms return it.
 */
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "regex.h"
#include "sprig_int.h"

/* Compile args[0]; must: Go's error text, else MustCompile's panic text. */
static int compile(struct tmpl_regex **re, struct fth_tmpl_call *call, const struct fth_value *p,
                   int must)
{
    struct fth_buf msg = FTH_BUF_INIT;
    int error = tmpl_regex_compile(re, call->arena, p->u.str.ptr, p->u.str.len, &msg);
    if (error == FTH_EINVALID) {
        if (must) {
            error = fth_tmpl_fail(call, "%s", msg.ptr);
        } else {
            /* strconv.CanBackquote decides between `re` and "re" */
            struct fth_buf q = FTH_BUF_INIT;
            size_t i;
            int bq = 1;
            for (i = 0; i < p->u.str.len; i++) {
                unsigned char c = (unsigned char)p->u.str.ptr[i];
                if (c == '`' || c == 0x7F || (c < ' ' && c != '\t'))
                    bq = 0;
            }
            if (bq) {
                size_t k = 0;
                while (k < p->u.str.len) {
                    unsigned r;
                    size_t w = sprig_rune(p->u.str.ptr + k, p->u.str.len - k, &r);
                    if (r == 0xFFFD && w == 1) {
                        bq = 0;
                        break;
                    }
                    k += w;
                }
            }
            if (bq) {
                fth_buf_putc(&q, '`');
                fth_buf_put(&q, p->u.str.ptr, p->u.str.len);
                fth_buf_putc(&q, '`');
            } else {
                fth_tmpl_quote(&q, p->u.str.ptr, p->u.str.len);
            }
            error = fth_tmpl_fail(call, "regexp: Compile(%s): %s", q.ptr, msg.ptr);
            fth_buf_release(&q);
        }
    }
    fth_buf_release(&msg);
    return error;
}

static long *caps_for(struct fth_tmpl_call *call, const struct tmpl_regex *re)
{
    return fth_arena_calloc(call->arena, tmpl_regex_groups(re) * 2, sizeof(long));
}

static int match(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                 int must)
{
    struct tmpl_regex *re;
    long *caps;
    int error;
    if ((error = compile(&re, call, args[0], 1)) < 0) {
        if (error == FTH_EINVALID && !must)
            return sprig_ret(out, fth_tmpl_bool(call->arena, 0));
        return error;
    }
    if (!(caps = caps_for(call, re)))
        return FTH_ENOMEM;
    if ((error = tmpl_regex_match(re, args[1]->u.str.ptr, args[1]->u.str.len, 0, caps)) < 0)
        return error;
    return sprig_ret(out, fth_tmpl_bool(call->arena, error));
}

SPRIG_FN(f_regex_match)
{
    SPRIG_UNUSED;
    return match(out, call, args, 0);
}

SPRIG_FN(f_must_regex_match)
{
    SPRIG_UNUSED;
    return match(out, call, args, 1);
}

/*
 * Go's allMatches: successive non-overlapping matches, an empty match right after the previous
 * one skipped; at most n (n < 0: all). fn gets each match's caps.
 */
typedef int (*match_fn)(void *data, const long *caps);

static int all_matches(const struct tmpl_regex *re, struct fth_tmpl_call *call, const char *s,
                       size_t len, int64_t n, match_fn fn, void *data)
{
    long *caps = caps_for(call, re);
    size_t pos = 0;
    long prev_end = -1;
    int64_t i = 0;
    int error;
    if (!caps)
        return FTH_ENOMEM;
    if (n < 0)
        n = (int64_t)len + 1;
    while (i < n && pos <= len) {
        int accept = 1;
        if ((error = tmpl_regex_match(re, s, len, pos, caps)) < 0)
            return error;
        if (!error)
            break;
        if ((size_t)caps[1] == pos) {
            unsigned r;
            size_t w = pos < len ? sprig_rune(s + pos, len - pos, &r) : 0;
            if (caps[0] == prev_end)
                accept = 0;
            pos += w > 0 ? w : 1;
        } else {
            pos = (size_t)caps[1];
        }
        prev_end = caps[1];
        if (accept) {
            if ((error = fn(data, caps)) < 0)
                return error;
            i++;
        }
    }
    return 0;
}

struct collect {
    struct fth_tmpl_call *call;
    struct fth_value *seq;
    const char *s;
    size_t len;
};

static int collect_str(void *data, const long *caps)
{
    struct collect *c = data;
    if (c->seq->u.seq.len >= FTH_LIMIT_TMPL_SEQ)
        return fth_tmpl_fail(c->call, "%s would build more than %zu items", c->call->func->name,
                             (size_t)FTH_LIMIT_TMPL_SEQ);
    return sprig_seq_push_str(c->call->arena, c->seq, c->s + caps[0], (size_t)(caps[1] - caps[0]));
}

static int find_all(struct fth_value **out, struct fth_tmpl_call *call,
                    struct fth_value *const *args, int must)
{
    struct tmpl_regex *re;
    struct collect c;
    int error;
    if ((error = compile(&re, call, args[0], must)) < 0)
        return error;
    c.call = call;
    c.s = args[1]->u.str.ptr;
    c.len = args[1]->u.str.len;
    if (!(c.seq = fth_tmpl_seq(call->arena, 4)))
        return FTH_ENOMEM;
    if ((error = all_matches(re, call, c.s, c.len, args[2]->u.integer, collect_str, &c)) < 0)
        return error;
    return sprig_ret(out, c.seq);
}

SPRIG_FN(f_regex_find_all)
{
    SPRIG_UNUSED;
    return find_all(out, call, args, 0);
}

SPRIG_FN(f_must_regex_find_all)
{
    SPRIG_UNUSED;
    return find_all(out, call, args, 1);
}

static int find(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                int must)
{
    struct tmpl_regex *re;
    long *caps;
    int error;
    if ((error = compile(&re, call, args[0], must)) < 0)
        return error;
    if (!(caps = caps_for(call, re)))
        return FTH_ENOMEM;
    if ((error = tmpl_regex_match(re, args[1]->u.str.ptr, args[1]->u.str.len, 0, caps)) < 0)
        return error;
    if (!error)
        return sprig_ret_str(out, call, "", 0);
    return sprig_ret_str(out, call, args[1]->u.str.ptr + caps[0], (size_t)(caps[1] - caps[0]));
}

SPRIG_FN(f_regex_find)
{
    SPRIG_UNUSED;
    return find(out, call, args, 0);
}

SPRIG_FN(f_must_regex_find)
{
    SPRIG_UNUSED;
    return find(out, call, args, 1);
}

static int is_name_rune(unsigned r)
{
    return r == '_' || sprig_is_letter(r) || sprig_is_digit(r);
}

/* Regexp.Expand: $1, ${1}, $name, ${name}, $$ */
static int expand(struct fth_buf *b, const struct tmpl_regex *re, const char *t, size_t tn,
                  const char *s, const long *caps)
{
    size_t i = 0, groups = tmpl_regex_groups(re);
    int error = 0;
    while (i < tn && error == 0) {
        const char *d = memchr(t + i, '$', tn - i);
        size_t j, k, nstart, nlen;
        int brace = 0;
        long num = 0;
        if (!d)
            break;
        if ((error = fth_buf_put(b, t + i, (size_t)(d - (t + i)))) < 0)
            return error;
        i = (size_t)(d - t) + 1;
        if (i < tn && t[i] == '$') {
            error = fth_buf_putc(b, '$');
            i++;
            continue;
        }
        j = i;
        if (j < tn && t[j] == '{') {
            brace = 1;
            j++;
        }
        nstart = j;
        while (j < tn) {
            unsigned r;
            size_t w = sprig_rune(t + j, tn - j, &r);
            if (!is_name_rune(r))
                break;
            j += w;
        }
        nlen = j - nstart;
        if (nlen == 0 || (brace && (j >= tn || t[j] != '}'))) {
            error = fth_buf_putc(b, '$'); /* malformed: the $ is text */
            continue;
        }
        if (brace)
            j++;
        for (k = 0; k < nlen; k++) {
            char c = t[nstart + k];
            if (c < '0' || c > '9' || num >= 100000000) {
                num = -1;
                break;
            }
            num = num * 10 + (c - '0');
        }
        if (t[nstart] == '0' && nlen > 1)
            num = -1;
        i = j;
        if (num >= 0) {
            if ((size_t)num < groups && caps[2 * num] >= 0)
                error =
                    fth_buf_put(b, s + caps[2 * num], (size_t)(caps[2 * num + 1] - caps[2 * num]));
        } else {
            for (k = 0; k < groups; k++) {
                const char *nm = tmpl_regex_group_name(re, k);
                if (strlen(nm) == nlen && !memcmp(nm, t + nstart, nlen) && caps[2 * k] >= 0) {
                    error =
                        fth_buf_put(b, s + caps[2 * k], (size_t)(caps[2 * k + 1] - caps[2 * k]));
                    break;
                }
            }
        }
    }
    if (error == 0 && i < tn)
        error = fth_buf_put(b, t + i, tn - i);
    return error;
}

/* Regexp.replaceAll */
static int replace_all(struct fth_value **out, struct fth_tmpl_call *call,
                       struct fth_value *const *args, int must, int literal)
{
    struct tmpl_regex *re;
    struct fth_buf b = FTH_BUF_INIT;
    const char *src = args[1]->u.str.ptr, *repl = args[2]->u.str.ptr;
    size_t n = args[1]->u.str.len, rn = args[2]->u.str.len, search = 0, last_end = 0;
    long *caps;
    int error;
    if ((error = compile(&re, call, args[0], must)) < 0)
        return error;
    if (!(caps = caps_for(call, re)))
        return FTH_ENOMEM;
    while (search <= n) {
        size_t w = 0;
        unsigned r;
        if ((error = tmpl_regex_match(re, src, n, search, caps)) < 0)
            goto out;
        if (!error)
            break;
        if ((error = fth_buf_put(&b, src + last_end, (size_t)caps[0] - last_end)) < 0)
            goto out;
        if ((size_t)caps[1] > last_end || caps[0] == 0) {
            error = literal ? fth_buf_put(&b, repl, rn) : expand(&b, re, repl, rn, src, caps);
            if (error < 0)
                goto out;
            if (b.len > FTH_LIMIT_TMPL_OUTPUT) {
                error = fth_tmpl_fail(call, "result of %s would exceed %zu bytes", call->func->name,
                                      (size_t)FTH_LIMIT_TMPL_OUTPUT);
                goto out;
            }
        }
        last_end = (size_t)caps[1];
        if (search < n)
            w = sprig_rune(src + search, n - search, &r);
        if (search + w > (size_t)caps[1])
            search += w;
        else if (search + 1 > (size_t)caps[1])
            search++;
        else
            search = (size_t)caps[1];
    }
    error = fth_buf_put(&b, src + last_end, n - last_end);
out:
    return sprig_ret_buf(out, call, &b, error);
}

SPRIG_FN(f_regex_replace_all)
{
    SPRIG_UNUSED;
    return replace_all(out, call, args, 0, 0);
}

SPRIG_FN(f_must_regex_replace_all)
{
    SPRIG_UNUSED;
    return replace_all(out, call, args, 1, 0);
}

SPRIG_FN(f_regex_replace_all_literal)
{
    SPRIG_UNUSED;
    return replace_all(out, call, args, 0, 1);
}

SPRIG_FN(f_must_regex_replace_all_literal)
{
    SPRIG_UNUSED;
    return replace_all(out, call, args, 1, 1);
}

struct splitter {
    struct fth_tmpl_call *call;
    long *idx;
    size_t n, cap;
};

static int collect_idx(void *data, const long *caps)
{
    struct splitter *sp = data;
    if (sp->n == sp->cap) {
        size_t nc = sp->cap ? sp->cap * 2 : 16;
        long *ni;
        if (nc > FTH_LIMIT_TMPL_SEQ * 2)
            return fth_tmpl_fail(sp->call, "%s would build more than %zu items",
                                 sp->call->func->name, (size_t)FTH_LIMIT_TMPL_SEQ);
        if (!(ni = fth_arena_alloc(sp->call->arena, nc * 2 * sizeof(long))))
            return FTH_ENOMEM;
        if (sp->n)
            memcpy(ni, sp->idx, sp->n * 2 * sizeof(long));
        sp->idx = ni;
        sp->cap = nc;
    }
    sp->idx[2 * sp->n] = caps[0];
    sp->idx[2 * sp->n + 1] = caps[1];
    sp->n++;
    return 0;
}

/* Regexp.Split */
static int split(struct fth_value **out, struct fth_tmpl_call *call, struct fth_value *const *args,
                 int must)
{
    struct tmpl_regex *re;
    struct splitter sp;
    const char *s = args[1]->u.str.ptr;
    size_t len = args[1]->u.str.len, i, beg = 0, end = 0;
    int64_t n = args[2]->u.integer;
    struct fth_value *r;
    int error;
    if ((error = compile(&re, call, args[0], must)) < 0)
        return error;
    if (!(r = fth_tmpl_seq(call->arena, 4)))
        return FTH_ENOMEM;
    if (n == 0) {
        *out = r;
        return 0;
    }
    if (args[0]->u.str.len > 0 && len == 0) {
        if ((error = sprig_seq_push_str(call->arena, r, "", 0)) < 0)
            return error;
        *out = r;
        return 0;
    }
    memset(&sp, 0, sizeof(sp));
    sp.call = call;
    if ((error = all_matches(re, call, s, len, n, collect_idx, &sp)) < 0)
        return error;
    for (i = 0; i < sp.n; i++) {
        if (n > 0 && (int64_t)r->u.seq.len == n - 1)
            break;
        end = (size_t)sp.idx[2 * i];
        if (sp.idx[2 * i + 1] != 0 &&
            (error = sprig_seq_push_str(call->arena, r, s + beg, end - beg)) < 0)
            return error;
        beg = (size_t)sp.idx[2 * i + 1];
    }
    if (end != len && (error = sprig_seq_push_str(call->arena, r, s + beg, len - beg)) < 0)
        return error;
    *out = r;
    return 0;
}

SPRIG_FN(f_regex_split)
{
    SPRIG_UNUSED;
    return split(out, call, args, 0);
}

SPRIG_FN(f_must_regex_split)
{
    SPRIG_UNUSED;
    return split(out, call, args, 1);
}

/* regexp.QuoteMeta */
SPRIG_FN(f_regex_quote_meta)
{
    struct fth_buf b = FTH_BUF_INIT;
    size_t i;
    int error = 0;
    SPRIG_UNUSED;
    for (i = 0; i < args[0]->u.str.len && error == 0; i++) {
        char c = args[0]->u.str.ptr[i];
        if (c && strchr("\\.+*?()|[]{}^$", c))
            error = fth_buf_putc(&b, '\\');
        if (error == 0)
            error = fth_buf_putc(&b, c);
    }
    return sprig_ret_buf(out, call, &b, error);
}

const struct fth_tmpl_func tmpl_sprig_regex[] = {
    {"regexMatch", "ss", f_regex_match, NULL},
    {"mustRegexMatch", "ss", f_must_regex_match, NULL},
    {"regexFindAll", "ssi", f_regex_find_all, NULL},
    {"mustRegexFindAll", "ssi", f_must_regex_find_all, NULL},
    {"regexFind", "ss", f_regex_find, NULL},
    {"mustRegexFind", "ss", f_must_regex_find, NULL},
    {"regexReplaceAll", "sss", f_regex_replace_all, NULL},
    {"mustRegexReplaceAll", "sss", f_must_regex_replace_all, NULL},
    {"regexReplaceAllLiteral", "sss", f_regex_replace_all_literal, NULL},
    {"mustRegexReplaceAllLiteral", "sss", f_must_regex_replace_all_literal, NULL},
    {"regexSplit", "ssi", f_regex_split, NULL},
    {"mustRegexSplit", "ssi", f_must_regex_split, NULL},
    {"regexQuoteMeta", "s", f_regex_quote_meta, NULL},
    {NULL, NULL, NULL, NULL},
};
