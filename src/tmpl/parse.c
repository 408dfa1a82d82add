/*
 * The lexer and parser of Go's text/template, following text/template/parse's grammar and its
 * error messages word for word (`template: NAME:LINE: unexpected "}" in operand`).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "tmpl_int.h"

/* ---- tokens ---- */

enum tok {
    K_ERROR,
    K_EOF,
    K_TEXT,
    K_LDELIM,
    K_RDELIM,
    K_SPACE,
    K_FIELD,
    K_VAR,
    K_IDENT,
    K_STRING,
    K_RAW,
    K_CHARCONST,
    K_NUMBER,
    K_COMPLEX,
    K_BOOL,
    K_PIPE,
    K_LPAREN,
    K_RPAREN,
    K_DECLARE,
    K_ASSIGN,
    K_CHAR,
    K_KEYWORD, /* keywords follow */
    K_BLOCK,
    K_BREAK,
    K_CONTINUE,
    K_DOT,
    K_DEFINE,
    K_ELSE,
    K_END,
    K_IF,
    K_NIL,
    K_RANGE,
    K_TEMPLATE,
    K_WITH,
};

struct token {
    enum tok typ;
    size_t pos;
    const char *val;
    size_t len;
    unsigned line;
};

struct lexer {
    const char *in;
    size_t n, pos, start;
    size_t line_pos; /* line counting: lines before line_pos */
    unsigned line_at;
    int paren;
    int break_ok, continue_ok;
    struct token *toks;
    size_t ntoks, cap;
    struct fth_arena *a;
    int done;
};

static unsigned line_of(struct lexer *l, size_t pos)
{
    if (pos < l->line_pos) {
        l->line_pos = 0;
        l->line_at = 1;
    }
    while (l->line_pos < pos) {
        if (l->in[l->line_pos] == '\n')
            l->line_at++;
        l->line_pos++;
    }
    return l->line_at;
}

static int emit_val(struct lexer *l, enum tok t, size_t start, const char *val, size_t len)
{
    struct token *k;
    if (l->ntoks == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        struct token *nt = fth_arena_alloc(l->a, nc * sizeof(*nt));
        if (!nt)
            return FTH_ENOMEM;
        if (l->ntoks)
            memcpy(nt, l->toks, l->ntoks * sizeof(*nt));
        l->toks = nt;
        l->cap = nc;
    }
    k = &l->toks[l->ntoks++];
    k->typ = t;
    k->pos = start;
    k->val = val;
    k->len = len;
    k->line = line_of(l, start);
    if (t == K_ERROR || t == K_EOF)
        l->done = 1;
    return 0;
}

static int emit(struct lexer *l, enum tok t)
{
    int e = emit_val(l, t, l->start, l->in + l->start, l->pos - l->start);
    l->start = l->pos;
    return e;
}

static int lex_errorf(struct lexer *l, const char *fmt, ...) FTH_PRINTF(2, 3);
static int lex_errorf(struct lexer *l, const char *fmt, ...)
{
    va_list ap;
    char *msg;
    va_start(ap, fmt);
    msg = fth_arena_vprintf(l->a, fmt, ap);
    va_end(ap);
    if (!msg)
        return FTH_ENOMEM;
    return emit_val(l, K_ERROR, l->start, msg, strlen(msg));
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_alnum(int c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

static int peekc(struct lexer *l)
{
    return l->pos < l->n ? (unsigned char)l->in[l->pos] : -1;
}

static int has_left_trim(const char *s, size_t n)
{
    return n >= 2 && s[0] == '-' && is_space((unsigned char)s[1]);
}

static int has_right_trim(const char *s, size_t n)
{
    return n >= 2 && is_space((unsigned char)s[0]) && s[1] == '-';
}

static int prefix(const char *s, size_t n, const char *p)
{
    size_t pl = strlen(p);
    return n >= pl && !memcmp(s, p, pl);
}

/* Is the lexer at "}}" or " -}}"? */
static int at_right_delim(struct lexer *l, int *trim)
{
    const char *s = l->in + l->pos;
    size_t n = l->n - l->pos;
    *trim = 0;
    if (has_right_trim(s, n) && prefix(s + 2, n - 2, "}}")) {
        *trim = 1;
        return 1;
    }
    return prefix(s, n, "}}");
}

static int at_terminator(struct lexer *l)
{
    int c = peekc(l);
    if (c < 0 || is_space(c))
        return 1;
    switch (c) {
    case '.':
    case ',':
    case '|':
    case ':':
    case ')':
    case '(':
        return 1;
    }
    return prefix(l->in + l->pos, l->n - l->pos, "}}");
}

/* Go's %#U of a rune: U+0023 '#'. */
static const char *fmt_rune(struct lexer *l, int c)
{
    if (c < 0x20 || c == 0x7f)
        return fth_arena_printf(l->a, "U+%04X", (unsigned)c);
    if (c >= 0x80)
        return fth_arena_printf(l->a, "U+%04X", (unsigned)c);
    return fth_arena_printf(l->a, "U+%04X '%c'", (unsigned)c, c);
}

/* Decode the rune at pos for error messages (bytes past 0x7f as UTF-8). */
static int rune_at(struct lexer *l, size_t pos, size_t *sz)
{
    unsigned cp = 0;
    size_t k;
    if (pos >= l->n) {
        *sz = 0;
        return -1;
    }
    k = fth_utf8_len((const unsigned char *)l->in + pos, l->n - pos, &cp);
    if (!k) {
        *sz = 1;
        return 0xFFFD;
    }
    *sz = k;
    return (int)cp;
}

static size_t rtrim_len(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && is_space((unsigned char)s[n - 1 - k]))
        k++;
    return k;
}

static size_t ltrim_len(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && is_space((unsigned char)s[k]))
        k++;
    return k;
}

static int accept(struct lexer *l, const char *set)
{
    int c = peekc(l);
    if (c > 0 && strchr(set, c)) {
        l->pos++;
        return 1;
    }
    return 0;
}

static void accept_run(struct lexer *l, const char *set)
{
    while (accept(l, set))
        ;
}

static int scan_number(struct lexer *l)
{
    const char *digits = "0123456789_";
    accept(l, "+-");
    if (accept(l, "0")) {
        if (accept(l, "xX"))
            digits = "0123456789abcdefABCDEF_";
        else if (accept(l, "oO"))
            digits = "01234567_";
        else if (accept(l, "bB"))
            digits = "01_";
    }
    accept_run(l, digits);
    if (accept(l, "."))
        accept_run(l, digits);
    if (strlen(digits) == 11 && accept(l, "eE")) {
        accept(l, "+-");
        accept_run(l, "0123456789_");
    }
    if (strlen(digits) == 23 && accept(l, "pP")) {
        accept(l, "+-");
        accept_run(l, "0123456789_");
    }
    accept(l, "i");
    if (peekc(l) >= 0 && is_alnum(peekc(l))) {
        size_t sz;
        rune_at(l, l->pos, &sz);
        l->pos += sz;
        return 0;
    }
    return 1;
}

static int lex_quoted(struct lexer *l, char q, const char *what)
{
    for (;;) {
        int c = peekc(l);
        if (c < 0 || c == '\n')
            return lex_errorf(l, "unterminated %s", what);
        l->pos++;
        if (c == '\\') {
            c = peekc(l);
            if (c < 0 || c == '\n')
                return lex_errorf(l, "unterminated %s", what);
            l->pos++;
        } else if (c == q) {
            return emit(l, q == '"' ? K_STRING : K_CHARCONST);
        }
    }
}

static int lex_field_or_var(struct lexer *l, enum tok t)
{
    size_t sz;
    if (at_terminator(l))
        return emit(l, t == K_VAR ? K_VAR : K_DOT);
    while (peekc(l) >= 0 && is_alnum(peekc(l)))
        l->pos++;
    if (!at_terminator(l))
        return lex_errorf(l, "bad character %s", fmt_rune(l, rune_at(l, l->pos, &sz)));
    return emit(l, t);
}

static const struct {
    const char *word;
    enum tok t;
} keywords[] = {
    {"block", K_BLOCK},
    {"break", K_BREAK},
    {"continue", K_CONTINUE},
    {"define", K_DEFINE},
    {"else", K_ELSE},
    {"end", K_END},
    {"if", K_IF},
    {"nil", K_NIL},
    {"range", K_RANGE},
    {"template", K_TEMPLATE},
    {"with", K_WITH},
};

static int lex_ident(struct lexer *l)
{
    size_t sz, len, i;
    const char *w = l->in + l->start;
    while (peekc(l) >= 0 && is_alnum(peekc(l)))
        l->pos++;
    if (!at_terminator(l))
        return lex_errorf(l, "bad character %s", fmt_rune(l, rune_at(l, l->pos, &sz)));
    len = l->pos - l->start;
    for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
        if (strlen(keywords[i].word) == len && !memcmp(keywords[i].word, w, len)) {
            if ((keywords[i].t == K_BREAK && !l->break_ok) ||
                (keywords[i].t == K_CONTINUE && !l->continue_ok))
                return emit(l, K_IDENT);
            return emit(l, keywords[i].t);
        }
    }
    if ((len == 4 && !memcmp(w, "true", 4)) || (len == 5 && !memcmp(w, "false", 5)))
        return emit(l, K_BOOL);
    return emit(l, K_IDENT);
}

/* One step inside an action; returns <0 on memory failure. */
static int lex_action(struct lexer *l)
{
    int trim, c;
    size_t sz;
    if (at_right_delim(l, &trim)) {
        if (l->paren != 0)
            return lex_errorf(l, "unclosed left paren");
        if (trim) {
            l->pos += 2;
            l->start = l->pos;
        }
        l->pos += 2;
        if (emit(l, K_RDELIM) < 0)
            return FTH_ENOMEM;
        if (trim) {
            l->pos += ltrim_len(l->in + l->pos, l->n - l->pos);
            l->start = l->pos;
        }
        return 1; /* back to text */
    }
    c = peekc(l);
    if (c < 0)
        return lex_errorf(l, "unclosed action");
    if (is_space(c)) {
        size_t nsp = 0;
        while (peekc(l) >= 0 && is_space(peekc(l))) {
            l->pos++;
            nsp++;
        }
        if (has_right_trim(l->in + l->pos - 1, l->n - l->pos + 1) &&
            prefix(l->in + l->pos + 1, l->n - l->pos - 1, "}}")) {
            l->pos--;
            if (nsp == 1)
                return 0; /* the delimiter comes next */
        }
        return emit(l, K_SPACE);
    }
    l->pos++;
    switch (c) {
    case '=':
        return emit(l, K_ASSIGN);
    case ':':
        if (peekc(l) != '=')
            return lex_errorf(l, "expected :=");
        l->pos++;
        return emit(l, K_DECLARE);
    case '|':
        return emit(l, K_PIPE);
    case '"':
        return lex_quoted(l, '"', "quoted string");
    case '`':
        for (;;) {
            int d = peekc(l);
            if (d < 0)
                return lex_errorf(l, "unterminated raw quoted string");
            l->pos++;
            if (d == '`')
                return emit(l, K_RAW);
        }
    case '$':
        return lex_field_or_var(l, K_VAR);
    case '\'':
        return lex_quoted(l, '\'', "character constant");
    case '(':
        l->paren++;
        return emit(l, K_LPAREN);
    case ')':
        l->paren--;
        if (l->paren < 0)
            return lex_errorf(l, "unexpected right paren");
        return emit(l, K_RPAREN);
    }
    if (c == '.') {
        int d = peekc(l);
        if (d < '0' || d > '9')
            return lex_field_or_var(l, K_FIELD);
    }
    if (c == '.' || c == '+' || c == '-' || (c >= '0' && c <= '9')) {
        l->pos--;
        if (!scan_number(l))
            return lex_errorf(l, "bad number syntax: %.*s", (int)(l->pos - l->start),
                              l->in + l->start);
        c = peekc(l);
        if (c == '+' || c == '-') {
            if (!scan_number(l) || l->in[l->pos - 1] != 'i')
                return lex_errorf(l, "bad number syntax: %.*s", (int)(l->pos - l->start),
                                  l->in + l->start);
            return emit(l, K_COMPLEX);
        }
        return emit(l, K_NUMBER);
    }
    if (is_alnum(c)) {
        l->pos--;
        rune_at(l, l->pos, &sz);
        l->pos += sz;
        return lex_ident(l);
    }
    if (c < 0x80 && c >= 0x20 && c != 0x7f)
        return emit(l, K_CHAR);
    l->pos--;
    return lex_errorf(l, "unrecognized character in action: %s",
                      fmt_rune(l, rune_at(l, l->pos, &sz)));
}

static int lex_all(struct lexer *l)
{
    int in_action = 0, e;
    while (!l->done) {
        if (!in_action) {
            const char *p = NULL;
            size_t i;
            for (i = l->pos; i + 1 < l->n; i++)
                if (l->in[i] == '{' && l->in[i + 1] == '{') {
                    p = l->in + i;
                    break;
                }
            if (!p) {
                l->pos = l->n;
                if (l->pos > l->start && (e = emit(l, K_TEXT)) < 0)
                    return e;
                if ((e = emit(l, K_EOF)) < 0)
                    return e;
                break;
            }
            l->pos = (size_t)(p - l->in);
            if (l->pos > l->start) {
                size_t tl = 0, de = l->pos + 2;
                if (has_left_trim(l->in + de, l->n - de))
                    tl = rtrim_len(l->in + l->start, l->pos - l->start);
                if (l->pos - tl > l->start && (e = emit_val(l, K_TEXT, l->start, l->in + l->start,
                                                            l->pos - tl - l->start)) < 0)
                    return e;
                l->start = l->pos;
            }
            /* the left delimiter */
            {
                size_t after = 0;
                l->pos += 2;
                if (has_left_trim(l->in + l->pos, l->n - l->pos))
                    after = 2;
                if (prefix(l->in + l->pos + after, l->n - l->pos - after, "/*")) {
                    const char *end;
                    int trim;
                    size_t k;
                    l->pos += after;
                    l->start = l->pos;
                    l->pos += 2;
                    end = NULL;
                    for (k = l->pos; k + 1 < l->n; k++)
                        if (l->in[k] == '*' && l->in[k + 1] == '/') {
                            end = l->in + k;
                            break;
                        }
                    if (!end) {
                        if ((e = lex_errorf(l, "unclosed comment")) < 0)
                            return e;
                        break;
                    }
                    l->pos = (size_t)(end - l->in) + 2;
                    if (!at_right_delim(l, &trim)) {
                        if ((e = lex_errorf(l, "comment ends before closing delimiter")) < 0)
                            return e;
                        break;
                    }
                    if (trim)
                        l->pos += 2;
                    l->pos += 2;
                    if (trim)
                        l->pos += ltrim_len(l->in + l->pos, l->n - l->pos);
                    l->start = l->pos;
                    continue;
                }
                if ((e = emit_val(l, K_LDELIM, l->start, l->in + l->start, 2)) < 0)
                    return e;
                l->pos += after;
                l->start = l->pos;
                l->paren = 0;
                in_action = 1;
            }
            continue;
        }
        e = lex_action(l);
        if (e < 0)
            return e;
        if (e == 1)
            in_action = 0;
    }
    return 0;
}

/* ---- parser ---- */

struct parser {
    struct lexer lx;
    size_t idx, maxidx;
    struct fth_arena *a;
    const struct tmpl_parse_req *req;
    struct fth_error *err;
    int failed;
    const char **vars;
    size_t nvars, capvars;
    int range_depth;
    unsigned action_line;
    size_t depth;
    struct tmpl_tree *cur;
    struct tmpl_tree **trees;
    size_t ntrees, captrees;
};

static struct token *tk_get(struct parser *p, size_t i)
{
    if (i >= p->lx.ntoks)
        i = p->lx.ntoks - 1;
    if (i > p->maxidx)
        p->maxidx = i;
    return &p->lx.toks[i];
}

static struct token *tk_next(struct parser *p)
{
    return tk_get(p, p->idx++);
}

static struct token *tk_peek(struct parser *p)
{
    return tk_get(p, p->idx);
}

static void tk_backup(struct parser *p, size_t n)
{
    p->idx -= n;
}

static struct token *tk_peek_nonspace(struct parser *p)
{
    while (tk_get(p, p->idx)->typ == K_SPACE)
        p->idx++;
    return tk_get(p, p->idx);
}

static struct token *tk_next_nonspace(struct parser *p)
{
    tk_peek_nonspace(p);
    return tk_next(p);
}

static void perrorf(struct parser *p, const char *fmt, ...) FTH_PRINTF(2, 3);
static void perrorf(struct parser *p, const char *fmt, ...)
{
    struct fth_buf b = FTH_BUF_INIT;
    va_list ap;
    unsigned line;
    if (p->failed)
        return;
    p->failed = 1;
    line = p->lx.toks[p->maxidx < p->lx.ntoks ? p->maxidx : p->lx.ntoks - 1].line;
    va_start(ap, fmt);
    if (fth_buf_printf(&b, "template: %s:%u: ", p->req->name, line) == 0)
        fth_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    fth_error_set(p->err, FTH_EINVALID, "%s", b.ptr);
    if (p->err) {
        fth_error_locate(p->err, p->req->name, line, 0);
    }
    fth_buf_release(&b);
}

/* Go's item.String(). */
static const char *tok_string(struct parser *p, const struct token *t)
{
    struct fth_buf b = FTH_BUF_INIT;
    char *r;
    if (t->typ == K_EOF)
        return "EOF";
    if (t->typ == K_ERROR)
        return t->val;
    if (t->typ > K_KEYWORD)
        return fth_arena_printf(p->a, "<%.*s>", (int)t->len, t->val);
    if (t->len > 10) {
        /* %.10q: the first ten runes, quoted, then "..." */
        size_t k = 0, runes = 0;
        while (k < t->len && runes < 10) {
            size_t z = fth_utf8_len((const unsigned char *)t->val + k, t->len - k, NULL);
            k += z ? z : 1;
            runes++;
        }
        fth_tmpl_quote(&b, t->val, k);
        fth_buf_puts(&b, "...");
    } else {
        fth_tmpl_quote(&b, t->val, t->len);
    }
    r = fth_arena_strndup(p->a, b.ptr, b.len);
    fth_buf_release(&b);
    return r ? r : "";
}

static void unexpected(struct parser *p, const struct token *t, const char *context)
{
    if (t->typ == K_ERROR) {
        const char *extra = "";
        if (p->action_line != 0 && p->action_line != t->line) {
            int is_action = t->len >= 7 && !memcmp(t->val + t->len - 7, " action", 7);
            extra = fth_arena_printf(p->a, "%s started at %s:%u", is_action ? "" : " in action",
                                     p->req->name, p->action_line);
            if (!extra)
                extra = "";
        }
        perrorf(p, "%s%s", t->val, extra);
        return;
    }
    perrorf(p, "unexpected %s in %s", tok_string(p, t), context);
}

static struct token *expect(struct parser *p, enum tok t, const char *context)
{
    struct token *k = tk_next_nonspace(p);
    if (k->typ != t) {
        unexpected(p, k, context);
        return NULL;
    }
    return k;
}

static struct tnode *new_node(struct parser *p, enum tnode_type t, size_t pos, unsigned line)
{
    struct tnode *n = fth_arena_alloc(p->a, sizeof(*n));
    if (!n) {
        fth_error_set(p->err, FTH_ENOMEM, "out of memory");
        p->failed = 1;
        return NULL;
    }
    n->type = t;
    n->pos = pos;
    n->line = line;
    n->tree = p->cur;
    return n;
}

static int push_node(struct parser *p, struct tnode ***arr, size_t *len, struct tnode *n)
{
    /* grow by doubling at powers of two */
    if ((*len & (*len - 1)) == 0) {
        size_t nc = *len ? *len * 2 : 4;
        struct tnode **na = fth_arena_alloc(p->a, nc * sizeof(*na));
        if (!na) {
            p->failed = 1;
            fth_error_set(p->err, FTH_ENOMEM, "out of memory");
            return -1;
        }
        if (*len)
            memcpy(na, *arr, *len * sizeof(*na));
        *arr = na;
    }
    (*arr)[(*len)++] = n;
    return 0;
}

static int push_var(struct parser *p, const char *name)
{
    if (p->nvars == p->capvars) {
        size_t nc = p->capvars ? p->capvars * 2 : 16;
        const char **nv = fth_arena_alloc(p->a, nc * sizeof(*nv));
        if (!nv) {
            p->failed = 1;
            return -1;
        }
        if (p->nvars)
            memcpy(nv, p->vars, p->nvars * sizeof(*nv));
        p->vars = nv;
        p->capvars = nc;
    }
    p->vars[p->nvars++] = name;
    return 0;
}

static struct tnode *pipeline(struct parser *p, const char *context, enum tok end);
static struct tnode *item_list(struct parser *p, struct tnode **endnode);
static struct tnode *text_or_action(struct parser *p);

/* A VARIABLE or FIELD node's identifiers from "$x.a.b" / ".a.b". */
static struct tnode *new_dotted(struct parser *p, enum tnode_type t, size_t pos, unsigned line,
                                const char *s, size_t len)
{
    struct tnode *n = new_node(p, t, pos, line);
    size_t i, start, k = 0, count = 1;
    if (!n)
        return NULL;
    for (i = 1; i < len; i++)
        if (s[i] == '.')
            count++;
    n->idents = fth_arena_alloc(p->a, count * sizeof(char *));
    if (!n->idents)
        return NULL;
    start = t == TN_FIELD ? 1 : 0;
    for (i = start; i <= len; i++) {
        if (i == len || (s[i] == '.' && i > start)) {
            n->idents[k++] = fth_arena_strndup(p->a, s + start, i - start);
            start = i + 1;
        }
    }
    n->nidents = k;
    n->text = fth_arena_strndup(p->a, s, len);
    n->len = len;
    return n;
}

static int use_var(struct parser *p, const char *name, size_t len)
{
    size_t i, l = 0;
    while (l < len && name[l] != '.')
        l++;
    if (l == 0)
        l = len;
    for (i = 0; i < p->nvars; i++)
        if (strlen(p->vars[i]) == l && !memcmp(p->vars[i], name, l))
            return 0;
    perrorf(p, "undefined variable \"%.*s\"", (int)l, name);
    return -1;
}

/* Go's strconv.ParseInt/ParseUint(text, 0, 64) with underscores; 1 when it parses. */
static int parse_int_text(const char *s, size_t n, int64_t *out, int *overflow)
{
    int neg = 0, base = 10, digits = 0, prefix_seen = 0, last_us = 0;
    uint64_t v = 0, lim;
    size_t i = 0;
    *overflow = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i + 1 < n && s[i] == '0') {
        char c = (char)(s[i + 1] | 0x20);
        if (c == 'x' || c == 'o' || c == 'b') {
            base = c == 'x' ? 16 : c == 'o' ? 8 : 2;
            i += 2;
            prefix_seen = 1;
            last_us = 1; /* an underscore may follow the prefix */
        } else {
            base = 8;
            prefix_seen = 1;
            last_us = 1;
            i++;
            digits = 1;
            last_us = 0;
        }
    }
    if (i >= n && !digits)
        return 0;
    for (; i < n; i++) {
        int d;
        char c = s[i];
        if (c == '_') {
            if (!prefix_seen && !digits)
                return 0;
            if (last_us == 2)
                return 0;
            last_us = 2;
            continue;
        }
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            return 0;
        if (d >= base)
            return 0;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            *overflow = 1;
        v = v * (uint64_t)base + (uint64_t)d;
        digits++;
        last_us = 0;
    }
    if (!digits || last_us == 2)
        return 0;
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (*overflow || v > lim) {
        *overflow = 1;
        return 1;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 1;
}

static struct tnode *new_number(struct parser *p, const struct token *t)
{
    struct tnode *n = new_node(p, TN_NUMBER, t->pos, t->line);
    struct fth_buf b = FTH_BUF_INIT;
    int ovf;
    int64_t iv;
    if (!n)
        return NULL;
    n->text = fth_arena_strndup(p->a, t->val, t->len);
    n->len = t->len;
    if (t->typ == K_COMPLEX || (t->len && t->val[t->len - 1] == 'i')) {
        perrorf(p, "complex numbers are not supported: %.*s", (int)t->len, t->val);
        return NULL;
    }
    if (t->typ == K_CHARCONST) {
        unsigned cp = 0;
        if (tmpl_unquote(&b, t->val, t->len) < 0) {
            fth_buf_release(&b);
            perrorf(p, "malformed character constant: %.*s", (int)t->len, t->val);
            return NULL;
        }
        if (!fth_utf8_len((const unsigned char *)b.ptr, b.len, &cp))
            cp = b.len ? (unsigned char)b.ptr[0] : 0;
        fth_buf_release(&b);
        n->is_int = n->is_float = n->is_char = 1;
        n->i = cp;
        n->f = cp;
        return n;
    }
    if (parse_int_text(t->val, t->len, &iv, &ovf)) {
        if (!ovf) {
            n->is_int = n->is_float = 1;
            n->i = iv;
            n->f = (double)iv;
            return n;
        }
        /* too large for int64 but a valid unsigned/ideal integer */
        perrorf(p, "integer overflow: %s", tok_string(p, t));
        if (t->val[0] != '-') {
            /* Go accepts it as a uint64 constant; the engine only needs int64 */
        }
        return NULL;
    }
    {
        char *end, *clean = fth_arena_alloc(p->a, t->len + 1);
        size_t i, k = 0;
        double f;
        int prev_digit = 0;
        if (!clean)
            return NULL;
        for (i = 0; i < t->len; i++) {
            if (t->val[i] == '_') {
                /* underscores only between digits */
                if (!prev_digit || i + 1 >= t->len ||
                    !strchr("0123456789abcdefABCDEF", t->val[i + 1]))
                    goto bad;
                continue;
            }
            prev_digit = strchr("0123456789abcdefABCDEFxXoObB", t->val[i]) != NULL;
            clean[k++] = t->val[i];
        }
        clean[k] = 0;
        if (!k || (k > 1 && clean[0] == '0' &&
                   (clean[1] == 'o' || clean[1] == 'O' || clean[1] == 'b' || clean[1] == 'B')))
            goto bad;
        f = strtod(clean, &end);
        if (*end || end == clean || isinf(f))
            goto bad;
        if (!memchr(t->val, '.', t->len) && !memchr(t->val, 'e', t->len) &&
            !memchr(t->val, 'E', t->len) && !memchr(t->val, 'p', t->len) &&
            !memchr(t->val, 'P', t->len)) {
            perrorf(p, "integer overflow: %s", tok_string(p, t));
            return NULL;
        }
        n->is_float = 1;
        n->f = f;
        if (f >= -9223372036854775808.0 && f < 9223372036854775808.0 && (double)(int64_t)f == f) {
            n->is_int = 1;
            n->i = (int64_t)f;
        }
        return n;
    }
bad:
    perrorf(p, "illegal number syntax: %s", tok_string(p, t));
    return NULL;
}

static struct tnode *term(struct parser *p)
{
    struct token *t = tk_next_nonspace(p);
    struct tnode *n;
    switch (t->typ) {
    case K_IDENT: {
        const struct fth_tmpl_func *f;
        f = tmpl_set_lookup_func(p->req->funcs, t->val, t->len);
        if (!f) {
            perrorf(p, "function \"%.*s\" not defined", (int)t->len, t->val);
            return NULL;
        }
        n = new_node(p, TN_IDENT, t->pos, t->line);
        if (!n)
            return NULL;
        n->text = fth_arena_strndup(p->a, t->val, t->len);
        n->len = t->len;
        n->func = f;
        if (f->sig && !strcmp(f->sig, TMPL_SIG_LAZY))
            n->builtin = !strcmp(f->name, "and")  ? TB_AND
                         : !strcmp(f->name, "or") ? TB_OR
                                                  : TB_CALL;
        return n;
    }
    case K_DOT:
        return new_node(p, TN_DOT, t->pos, t->line);
    case K_NIL:
        return new_node(p, TN_NIL, t->pos, t->line);
    case K_VAR:
        if (use_var(p, t->val, t->len) < 0)
            return NULL;
        return new_dotted(p, TN_VARIABLE, t->pos, t->line, t->val, t->len);
    case K_FIELD:
        return new_dotted(p, TN_FIELD, t->pos, t->line, t->val, t->len);
    case K_BOOL:
        n = new_node(p, TN_BOOL, t->pos, t->line);
        if (n)
            n->boolean = t->val[0] == 't';
        return n;
    case K_CHARCONST:
    case K_COMPLEX:
    case K_NUMBER:
        return new_number(p, t);
    case K_LPAREN:
        if (++p->depth > FTH_LIMIT_TMPL_PARSE_DEPTH) {
            perrorf(p, "expression nested too deeply");
            return NULL;
        }
        n = pipeline(p, "parenthesized pipeline", K_RPAREN);
        p->depth--;
        return n;
    case K_STRING:
    case K_RAW: {
        struct fth_buf b = FTH_BUF_INIT;
        if (tmpl_unquote(&b, t->val, t->len) < 0) {
            fth_buf_release(&b);
            perrorf(p, "invalid syntax");
            return NULL;
        }
        n = new_node(p, TN_STRING, t->pos, t->line);
        if (n) {
            n->text = fth_arena_strndup(p->a, b.ptr, b.len);
            n->len = b.len;
            n->src = fth_arena_strndup(p->a, t->val, t->len);
        }
        fth_buf_release(&b);
        return n;
    }
    default:
        break;
    }
    tk_backup(p, 1);
    return NULL;
}

static struct tnode *operand(struct parser *p)
{
    struct tnode *node = term(p), *chain;
    struct fth_buf b = FTH_BUF_INIT;
    if (!node || p->failed)
        return NULL;
    if (tk_peek(p)->typ != K_FIELD)
        return node;
    chain = new_node(p, TN_CHAIN, tk_peek(p)->pos, tk_peek(p)->line);
    if (!chain)
        return NULL;
    chain->sub = node;
    {
        size_t cap = 0;
        const char **ids = NULL;
        while (tk_peek(p)->typ == K_FIELD) {
            struct token *f = tk_next(p);
            if (chain->nidents == cap) {
                size_t nc = cap ? cap * 2 : 4;
                const char **ni = fth_arena_alloc(p->a, nc * sizeof(*ni));
                if (!ni)
                    return NULL;
                if (cap)
                    memcpy(ni, ids, chain->nidents * sizeof(*ni));
                ids = ni;
                cap = nc;
            }
            ids[chain->nidents++] = fth_arena_strndup(p->a, f->val + 1, f->len - 1);
        }
        chain->idents = ids;
    }
    switch (node->type) {
    case TN_FIELD:
    case TN_VARIABLE: {
        struct tnode *m;
        size_t i;
        fth_buf_put(&b, node->text, node->len);
        for (i = 0; i < chain->nidents; i++) {
            fth_buf_putc(&b, '.');
            fth_buf_puts(&b, chain->idents[i]);
        }
        m = new_dotted(p, node->type, chain->pos, chain->line, b.ptr, b.len);
        fth_buf_release(&b);
        return m;
    }
    case TN_BOOL:
    case TN_STRING:
    case TN_NUMBER:
    case TN_NIL:
    case TN_DOT: {
        struct fth_buf s = FTH_BUF_INIT;
        tmpl_node_string(&s, node);
        fth_buf_release(&b);
        b = s;
        {
            struct fth_buf q = FTH_BUF_INIT;
            fth_tmpl_quote(&q, b.ptr, b.len);
            perrorf(p, "unexpected . after term %s", q.ptr);
            fth_buf_release(&q);
        }
        fth_buf_release(&b);
        return NULL;
    }
    default:
        return chain;
    }
}

static struct tnode *command(struct parser *p)
{
    struct tnode *cmd =
        new_node(p, TN_COMMAND, tk_peek_nonspace(p)->pos, tk_peek_nonspace(p)->line);
    if (!cmd)
        return NULL;
    for (;;) {
        struct tnode *op;
        struct token *t;
        tk_peek_nonspace(p);
        op = operand(p);
        if (p->failed)
            return NULL;
        if (op && push_node(p, &cmd->kids, &cmd->nkids, op) < 0)
            return NULL;
        t = tk_next(p);
        switch (t->typ) {
        case K_SPACE:
            continue;
        case K_RDELIM:
        case K_RPAREN:
            tk_backup(p, 1);
            break;
        case K_PIPE:
            break;
        default:
            unexpected(p, t, "operand");
            return NULL;
        }
        break;
    }
    if (cmd->nkids == 0) {
        perrorf(p, "empty command");
        return NULL;
    }
    return cmd;
}

static struct tnode *pipeline(struct parser *p, const char *context, enum tok end)
{
    struct token *t = tk_peek_nonspace(p);
    struct tnode *pipe = new_node(p, TN_PIPE, t->pos, t->line);
    size_t i;
    if (!pipe)
        return NULL;
decls:
    t = tk_peek_nonspace(p);
    if (t->typ == K_VAR) {
        size_t mark = p->idx;
        struct token *v = tk_next(p), *next;
        next = tk_peek_nonspace(p);
        if (next->typ == K_ASSIGN || next->typ == K_DECLARE) {
            struct tnode *vn;
            pipe->is_assign = next->typ == K_ASSIGN;
            tk_next_nonspace(p);
            vn = new_dotted(p, TN_VARIABLE, v->pos, v->line, v->val, v->len);
            if (!vn || push_node(p, &pipe->decl, &pipe->ndecl, vn) < 0 || push_var(p, vn->text) < 0)
                return NULL;
        } else if (next->typ == K_CHAR && next->len == 1 && next->val[0] == ',') {
            struct tnode *vn;
            tk_next_nonspace(p);
            vn = new_dotted(p, TN_VARIABLE, v->pos, v->line, v->val, v->len);
            if (!vn || push_node(p, &pipe->decl, &pipe->ndecl, vn) < 0 || push_var(p, vn->text) < 0)
                return NULL;
            if (!strcmp(context, "range") && pipe->ndecl < 2) {
                enum tok k = tk_peek_nonspace(p)->typ;
                if (k == K_VAR || k == K_RDELIM || k == K_RPAREN)
                    goto decls;
                perrorf(p, "range can only initialize variables");
                return NULL;
            }
            perrorf(p, "too many declarations in %s", context);
            return NULL;
        } else {
            p->idx = mark;
        }
    }
    for (;;) {
        t = tk_next_nonspace(p);
        if (t->typ == end) {
            if (pipe->nkids == 0) {
                perrorf(p, "missing value for %s", context);
                return NULL;
            }
            for (i = 1; i < pipe->nkids; i++) {
                enum tnode_type k = pipe->kids[i]->kids[0]->type;
                if (k == TN_BOOL || k == TN_DOT || k == TN_NIL || k == TN_NUMBER ||
                    k == TN_STRING) {
                    perrorf(p, "non executable command in pipeline stage %zu", i + 1);
                    return NULL;
                }
            }
            return pipe;
        }
        switch (t->typ) {
        case K_BOOL:
        case K_CHARCONST:
        case K_COMPLEX:
        case K_DOT:
        case K_FIELD:
        case K_IDENT:
        case K_NUMBER:
        case K_NIL:
        case K_RAW:
        case K_STRING:
        case K_VAR:
        case K_LPAREN: {
            struct tnode *c;
            tk_backup(p, 1);
            c = command(p);
            if (!c || push_node(p, &pipe->kids, &pipe->nkids, c) < 0)
                return NULL;
            break;
        }
        default:
            unexpected(p, t, context);
            return NULL;
        }
    }
}

static struct tnode *if_control(struct parser *p);
static struct tnode *with_control(struct parser *p);

static struct tnode *parse_control(struct parser *p, enum tnode_type type, const char *context)
{
    size_t mark = p->nvars;
    struct tnode *n, *pipe, *list, *next = NULL, *elist = NULL;
    if (++p->depth > FTH_LIMIT_TMPL_PARSE_DEPTH) {
        perrorf(p, "%s nested too deeply", context);
        return NULL;
    }
    pipe = pipeline(p, context, K_RDELIM);
    if (!pipe)
        return NULL;
    if (type == TN_RANGE)
        p->range_depth++;
    list = item_list(p, &next);
    if (type == TN_RANGE)
        p->range_depth--;
    if (!list)
        return NULL;
    if (next->type == TN_LIST && next->is_assign == 2) { /* an else */
        if (type == TN_IF && tk_peek(p)->typ == K_IF) {
            struct tnode *in;
            tk_next(p);
            elist = new_node(p, TN_LIST, next->pos, next->line);
            in = if_control(p);
            if (!elist || !in || push_node(p, &elist->kids, &elist->nkids, in) < 0)
                return NULL;
        } else if (type == TN_WITH && tk_peek(p)->typ == K_WITH) {
            struct tnode *in;
            tk_next(p);
            elist = new_node(p, TN_LIST, next->pos, next->line);
            in = with_control(p);
            if (!elist || !in || push_node(p, &elist->kids, &elist->nkids, in) < 0)
                return NULL;
        } else {
            elist = item_list(p, &next);
            if (!elist)
                return NULL;
            if (!(next->type == TN_LIST && next->is_assign == 1)) {
                perrorf(p, "expected end; found {{else}}");
                return NULL;
            }
        }
    }
    p->depth--;
    p->nvars = mark;
    n = new_node(p, type, pipe->pos, pipe->line);
    if (!n)
        return NULL;
    n->pipe = pipe;
    n->list = list;
    n->elist = elist;
    return n;
}

static struct tnode *if_control(struct parser *p)
{
    return parse_control(p, TN_IF, "if");
}

static struct tnode *with_control(struct parser *p)
{
    return parse_control(p, TN_WITH, "with");
}

/* Markers for {{end}} and {{else}}: LIST nodes with is_assign 1 and 2. */
static struct tnode *marker(struct parser *p, int kind, size_t pos, unsigned line)
{
    struct tnode *n = new_node(p, TN_LIST, pos, line);
    if (n)
        n->is_assign = kind;
    return n;
}

static int add_tree(struct parser *p, struct tmpl_tree *t)
{
    size_t i;
    for (i = 0; i < p->ntrees; i++) {
        if (!strcmp(p->trees[i]->name, t->name)) {
            if (tmpl_tree_empty(p->trees[i]->root)) {
                p->trees[i] = t;
                return 0;
            }
            if (!tmpl_tree_empty(t->root)) {
                perrorf(p, "template: multiple definition of template \"%s\"", t->name);
                return -1;
            }
            return 0;
        }
    }
    if (p->ntrees == p->captrees) {
        size_t nc = p->captrees ? p->captrees * 2 : 8;
        struct tmpl_tree **nt = fth_arena_alloc(p->a, nc * sizeof(*nt));
        if (!nt)
            return -1;
        if (p->ntrees)
            memcpy(nt, p->trees, p->ntrees * sizeof(*nt));
        p->trees = nt;
        p->captrees = nc;
    }
    p->trees[p->ntrees++] = t;
    return 0;
}

static struct tmpl_tree *new_tree(struct parser *p, const char *name)
{
    struct tmpl_tree *t = fth_arena_alloc(p->a, sizeof(*t));
    if (!t)
        return NULL;
    t->name = name;
    t->parse_name = p->req->name;
    t->text = p->req->text;
    t->text_len = p->req->len;
    return t;
}

/* Parse a nested definition body (define or block) as its own tree. */
static int sub_tree(struct parser *p, const char *name, const char *context)
{
    struct tmpl_tree *saved = p->cur, *t = new_tree(p, name);
    const char **svars = p->vars;
    size_t snvars = p->nvars, scap = p->capvars;
    int srange = p->range_depth;
    struct tnode *end = NULL;
    if (!t)
        return -1;
    p->cur = t;
    p->vars = NULL;
    p->nvars = p->capvars = 0;
    p->range_depth = 0;
    if (push_var(p, "$") < 0)
        return -1;
    t->root = item_list(p, &end);
    p->cur = saved;
    p->vars = svars;
    p->nvars = snvars;
    p->capvars = scap;
    p->range_depth = srange;
    if (!t->root)
        return -1;
    if (!(end->type == TN_LIST && end->is_assign == 1)) {
        perrorf(p, "unexpected {{else}} in %s", context);
        return -1;
    }
    return add_tree(p, t);
}

static const char *template_name(struct parser *p, struct token *t, const char *context)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *r;
    if (t->typ != K_STRING && t->typ != K_RAW) {
        unexpected(p, t, context);
        return NULL;
    }
    if (tmpl_unquote(&b, t->val, t->len) < 0) {
        fth_buf_release(&b);
        perrorf(p, "invalid syntax");
        return NULL;
    }
    r = fth_arena_strndup(p->a, b.ptr, b.len);
    fth_buf_release(&b);
    return r;
}

static struct tnode *action(struct parser *p)
{
    struct token *t = tk_next_nonspace(p);
    struct tnode *n;
    switch (t->typ) {
    case K_BLOCK: {
        struct token *nt = tk_next_nonspace(p);
        const char *name = template_name(p, nt, "block clause");
        struct tnode *pipe;
        if (!name)
            return NULL;
        pipe = pipeline(p, "block clause", K_RDELIM);
        if (!pipe)
            return NULL;
        if (++p->depth > FTH_LIMIT_TMPL_PARSE_DEPTH) {
            perrorf(p, "block nested too deeply");
            return NULL;
        }
        if (sub_tree(p, name, "block clause") < 0)
            return NULL;
        p->depth--;
        n = new_node(p, TN_TEMPLATE, nt->pos, nt->line);
        if (n) {
            n->text = name;
            n->pipe = pipe;
        }
        return n;
    }
    case K_BREAK:
    case K_CONTINUE: {
        const char *w = t->typ == K_BREAK ? "{{break}}" : "{{continue}}";
        struct token *k = tk_next_nonspace(p);
        if (k->typ != K_RDELIM) {
            unexpected(p, k, w);
            return NULL;
        }
        if (p->range_depth == 0) {
            perrorf(p, "%s outside {{range}}", w);
            return NULL;
        }
        return new_node(p, t->typ == K_BREAK ? TN_BREAK : TN_CONTINUE, t->pos, t->line);
    }
    case K_ELSE: {
        struct token *k = tk_peek_nonspace(p);
        if (k->typ == K_IF || k->typ == K_WITH)
            return marker(p, 2, k->pos, k->line);
        k = expect(p, K_RDELIM, "else");
        return k ? marker(p, 2, k->pos, k->line) : NULL;
    }
    case K_END: {
        struct token *k = expect(p, K_RDELIM, "end");
        return k ? marker(p, 1, k->pos, k->line) : NULL;
    }
    case K_IF:
        return if_control(p);
    case K_RANGE:
        return parse_control(p, TN_RANGE, "range");
    case K_WITH:
        return with_control(p);
    case K_TEMPLATE: {
        struct token *nt = tk_next_nonspace(p);
        const char *name = template_name(p, nt, "template clause");
        struct tnode *pipe = NULL;
        if (!name)
            return NULL;
        if (tk_next_nonspace(p)->typ != K_RDELIM) {
            tk_backup(p, 1);
            pipe = pipeline(p, "template clause", K_RDELIM);
            if (!pipe)
                return NULL;
        }
        n = new_node(p, TN_TEMPLATE, nt->pos, nt->line);
        if (n) {
            n->text = name;
            n->pipe = pipe;
        }
        return n;
    }
    default:
        break;
    }
    tk_backup(p, 1);
    t = tk_peek(p);
    n = new_node(p, TN_ACTION, t->pos, t->line);
    if (!n)
        return NULL;
    n->pipe = pipeline(p, "command", K_RDELIM);
    return n->pipe ? n : NULL;
}

static struct tnode *text_or_action(struct parser *p)
{
    struct token *t = tk_next_nonspace(p);
    struct tnode *n;
    switch (t->typ) {
    case K_TEXT:
        n = new_node(p, TN_TEXT, t->pos, t->line);
        if (n) {
            n->text = t->val;
            n->len = t->len;
        }
        return n;
    case K_LDELIM: {
        unsigned saved = p->action_line;
        p->action_line = t->line;
        n = action(p);
        p->action_line = saved;
        return n;
    }
    default:
        unexpected(p, t, "input");
        return NULL;
    }
}

static struct tnode *item_list(struct parser *p, struct tnode **endnode)
{
    struct tnode *list = new_node(p, TN_LIST, tk_peek_nonspace(p)->pos, tk_peek_nonspace(p)->line);
    if (!list)
        return NULL;
    while (tk_peek_nonspace(p)->typ != K_EOF) {
        struct tnode *n = text_or_action(p);
        if (!n)
            return NULL;
        if (n->type == TN_LIST && n->is_assign) {
            *endnode = n;
            return list;
        }
        if (push_node(p, &list->kids, &list->nkids, n) < 0)
            return NULL;
    }
    perrorf(p, "unexpected EOF");
    return NULL;
}

static int parse_definition(struct parser *p)
{
    struct token *t = tk_next_nonspace(p);
    struct fth_buf b = FTH_BUF_INIT;
    const char *name;
    if (t->typ != K_STRING && t->typ != K_RAW) {
        unexpected(p, t, "define clause");
        return -1;
    }
    if (tmpl_unquote(&b, t->val, t->len) < 0) {
        fth_buf_release(&b);
        perrorf(p, "invalid syntax");
        return -1;
    }
    name = fth_arena_strndup(p->a, b.ptr, b.len);
    fth_buf_release(&b);
    if (!name || !expect(p, K_RDELIM, "define clause"))
        return -1;
    return sub_tree(p, name, "define clause");
}

int tmpl_parse(const struct tmpl_parse_req *req, struct fth_error *err)
{
    struct parser p;
    struct tmpl_tree *main_tree;
    const struct fth_tmpl_func *f;
    size_t i;
    int error = 0;

    memset(&p, 0, sizeof(p));
    p.a = req->arena;
    p.req = req;
    p.err = err;
    p.lx.in = req->text;
    p.lx.n = req->len;
    p.lx.a = req->arena;
    p.lx.line_at = 1;
    f = tmpl_set_lookup_func(req->funcs, "break", 5);
    p.lx.break_ok = f == NULL;
    f = tmpl_set_lookup_func(req->funcs, "continue", 8);
    p.lx.continue_ok = f == NULL;
    if ((error = lex_all(&p.lx)) < 0) {
        fth_error_set(err, error, "out of memory");
        goto out;
    }
    main_tree = new_tree(&p, req->name);
    if (!main_tree) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    p.cur = main_tree;
    if (push_var(&p, "$") < 0) {
        error = FTH_ENOMEM;
        goto out;
    }
    main_tree->root = new_node(&p, TN_LIST, 0, 1);
    if (!main_tree->root) {
        error = FTH_ENOMEM;
        goto out;
    }
    while (!p.failed && tk_peek(&p)->typ != K_EOF) {
        struct tnode *n;
        if (tk_peek(&p)->typ == K_LDELIM) {
            size_t mark = p.idx;
            tk_next(&p);
            if (tk_next_nonspace(&p)->typ == K_DEFINE) {
                if (parse_definition(&p) < 0)
                    break;
                continue;
            }
            p.idx = mark;
        }
        n = text_or_action(&p);
        if (!n)
            break;
        if (n->type == TN_LIST && n->is_assign) {
            perrorf(&p, "unexpected %s", n->is_assign == 1 ? "{{end}}" : "{{else}}");
            break;
        }
        if (push_node(&p, &main_tree->root->kids, &main_tree->root->nkids, n) < 0)
            break;
    }
    if (p.failed) {
        error = err ? err->code : FTH_EINVALID;
        if (error >= 0)
            error = FTH_EINVALID;
        goto out;
    }
    /* the main tree goes first, as Go adds it before its defines in the set */
    if ((error = req->add(req->data, main_tree)) < 0)
        goto out;
    for (i = 0; i < p.ntrees; i++)
        if ((error = req->add(req->data, p.trees[i])) < 0)
            goto out;
out:
    return error;
}

/* ---- helpers shared with exec.c ---- */

int tmpl_tree_empty(const struct tnode *n)
{
    size_t i;
    if (!n)
        return 1;
    switch (n->type) {
    case TN_LIST:
        for (i = 0; i < n->nkids; i++)
            if (!tmpl_tree_empty(n->kids[i]))
                return 0;
        return 1;
    case TN_TEXT:
        return ltrim_len(n->text, n->len) == n->len;
    default:
        return 0;
    }
}

static int pipe_string(struct fth_buf *out, const struct tnode *n)
{
    size_t i;
    for (i = 0; i < n->ndecl; i++) {
        if (i)
            fth_buf_puts(out, ", ");
        fth_buf_puts(out, n->decl[i]->text);
    }
    if (n->ndecl)
        fth_buf_puts(out, n->is_assign ? " = " : " := ");
    for (i = 0; i < n->nkids; i++) {
        if (i)
            fth_buf_puts(out, " | ");
        tmpl_node_string(out, n->kids[i]);
    }
    return 0;
}

int tmpl_node_string(struct fth_buf *out, const struct tnode *n)
{
    size_t i;
    switch (n->type) {
    case TN_FIELD:
    case TN_VARIABLE:
        return fth_buf_put(out, n->text, n->len);
    case TN_CHAIN:
        if (n->sub->type == TN_PIPE) {
            fth_buf_putc(out, '(');
            tmpl_node_string(out, n->sub);
            fth_buf_putc(out, ')');
        } else {
            tmpl_node_string(out, n->sub);
        }
        for (i = 0; i < n->nidents; i++) {
            fth_buf_putc(out, '.');
            fth_buf_puts(out, n->idents[i]);
        }
        return 0;
    case TN_IDENT:
        return fth_buf_put(out, n->text, n->len);
    case TN_DOT:
        return fth_buf_putc(out, '.');
    case TN_NIL:
        return fth_buf_puts(out, "nil");
    case TN_BOOL:
        return fth_buf_puts(out, n->boolean ? "true" : "false");
    case TN_NUMBER:
        return fth_buf_put(out, n->text, n->len);
    case TN_STRING:
        return fth_buf_puts(out, n->src);
    case TN_COMMAND:
        for (i = 0; i < n->nkids; i++) {
            if (i)
                fth_buf_putc(out, ' ');
            if (n->kids[i]->type == TN_PIPE) {
                fth_buf_putc(out, '(');
                tmpl_node_string(out, n->kids[i]);
                fth_buf_putc(out, ')');
            } else {
                tmpl_node_string(out, n->kids[i]);
            }
        }
        return 0;
    case TN_PIPE:
        return pipe_string(out, n);
    case TN_ACTION:
        fth_buf_puts(out, "{{");
        pipe_string(out, n->pipe);
        return fth_buf_puts(out, "}}");
    case TN_IF:
    case TN_RANGE:
    case TN_WITH:
        fth_buf_puts(out, n->type == TN_IF      ? "{{if "
                          : n->type == TN_RANGE ? "{{range "
                                                : "{{with ");
        pipe_string(out, n->pipe);
        fth_buf_puts(out, "}}");
        tmpl_node_string(out, n->list);
        if (n->elist) {
            fth_buf_puts(out, "{{else}}");
            tmpl_node_string(out, n->elist);
        }
        return fth_buf_puts(out, "{{end}}");
    case TN_TEMPLATE:
        fth_buf_puts(out, "{{template ");
        fth_tmpl_quote(out, n->text, strlen(n->text));
        if (n->pipe) {
            fth_buf_putc(out, ' ');
            pipe_string(out, n->pipe);
        }
        return fth_buf_puts(out, "}}");
    case TN_BREAK:
        return fth_buf_puts(out, "{{break}}");
    case TN_CONTINUE:
        return fth_buf_puts(out, "{{continue}}");
    case TN_TEXT: {
        return fth_tmpl_quote(out, n->text, n->len);
    }
    case TN_LIST:
        for (i = 0; i < n->nkids; i++)
            tmpl_node_string(out, n->kids[i]);
        return 0;
    }
    return 0;
}

/* ---- strconv.Unquote ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int put_rune(struct fth_buf *out, unsigned r)
{
    char b[4];
    size_t n;
    if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        r = 0xFFFD;
    if (r < 0x80) {
        b[0] = (char)r;
        n = 1;
    } else if (r < 0x800) {
        b[0] = (char)(0xC0 | (r >> 6));
        b[1] = (char)(0x80 | (r & 0x3F));
        n = 2;
    } else if (r < 0x10000) {
        b[0] = (char)(0xE0 | (r >> 12));
        b[1] = (char)(0x80 | ((r >> 6) & 0x3F));
        b[2] = (char)(0x80 | (r & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (r >> 18));
        b[1] = (char)(0x80 | ((r >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((r >> 6) & 0x3F));
        b[3] = (char)(0x80 | (r & 0x3F));
        n = 4;
    }
    return fth_buf_put(out, b, n);
}

int tmpl_unquote(struct fth_buf *out, const char *s, size_t n)
{
    char q;
    size_t i;
    size_t runes = 0;
    if (n < 2 || s[0] != s[n - 1])
        return -1;
    q = s[0];
    if (q == '`') {
        for (i = 1; i + 1 < n; i++) {
            if (s[i] == '`')
                return -1;
            if (s[i] != '\r' && fth_buf_putc(out, s[i]) < 0)
                return -1;
        }
        return 0;
    }
    if (q != '"' && q != '\'')
        return -1;
    for (i = 1; i + 1 < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)q || c == '\n')
            return -1;
        if (c != '\\') {
            size_t z = fth_utf8_len((const unsigned char *)s + i, n - 1 - i, NULL);
            if (!z) {
                if (q == '\'')
                    return -1;
                z = 1;
            }
            if (fth_buf_put(out, s + i, z) < 0)
                return -1;
            i += z;
            runes++;
            continue;
        }
        if (i + 2 > n - 1)
            return -1;
        c = (unsigned char)s[i + 1];
        i += 2;
        runes++;
        switch (c) {
        case 'a':
            fth_buf_putc(out, '\a');
            break;
        case 'b':
            fth_buf_putc(out, '\b');
            break;
        case 'f':
            fth_buf_putc(out, '\f');
            break;
        case 'n':
            fth_buf_putc(out, '\n');
            break;
        case 'r':
            fth_buf_putc(out, '\r');
            break;
        case 't':
            fth_buf_putc(out, '\t');
            break;
        case 'v':
            fth_buf_putc(out, '\v');
            break;
        case '\\':
            fth_buf_putc(out, '\\');
            break;
        case '\'':
        case '"':
            if (c != (unsigned char)q)
                return -1;
            fth_buf_putc(out, (char)c);
            break;
        case 'x':
        case 'u':
        case 'U': {
            int k, nd = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            unsigned v = 0;
            if (i + (size_t)nd > n - 1)
                return -1;
            for (k = 0; k < nd; k++) {
                int h = hexval((unsigned char)s[i + (size_t)k]);
                if (h < 0)
                    return -1;
                v = v * 16 + (unsigned)h;
            }
            i += (size_t)nd;
            if (c == 'x') {
                if (q == '\'') {
                    put_rune(out, v);
                } else {
                    fth_buf_putc(out, (char)v);
                }
            } else {
                if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
                    return -1;
                put_rune(out, v);
            }
            break;
        }
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7': {
            unsigned v = (unsigned)(c - '0');
            int k;
            if (i + 2 > n - 1)
                return -1;
            for (k = 0; k < 2; k++) {
                char d = s[i + (size_t)k];
                if (d < '0' || d > '7')
                    return -1;
                v = v * 8 + (unsigned)(d - '0');
            }
            i += 2;
            if (v > 255)
                return -1;
            if (q == '\'')
                put_rune(out, v);
            else
                fth_buf_putc(out, (char)v);
            break;
        }
        default:
            return -1;
        }
    }
    if (q == '\'' && runes != 1)
        return -1;
    return 0;
}
