/*
 * RubyGems: installed specifications (GEM_HOME/specifications/NAME-VERSION.gemspec and
 * specifications/default/ for default gems). These are Ruby source that RubyGems generates;
 * Fathom never runs Ruby. A small lexer turns the file into tokens (strings in their
 * "", '', %q and %Q forms decoded, comments dropped) and the assignments to the block
 * variable of `Gem::Specification.new do |VAR|` are read:
 *
 *   VAR.name = "x"[.freeze]            VAR.version = "1.0" | Gem::Version.new("1.0")
 *   VAR.license = "MIT"                VAR.licenses = ["MIT".freeze, ...]
 *   VAR.add_runtime_dependency(%q<x>...)  VAR.add_dependency ...
 *
 * Assignments to another variable do not count (Trivy's malformed00 case), and `licenses`
 * must be an array, as Trivy reads it. A spec without a name or a version is a warning.
 */
#include <string.h>

#include "langpkg_int.h"
#include "../base/banned.h"

enum tok_kind { T_IDENT, T_STRING, T_PUNCT };

struct tok {
    enum tok_kind kind;
    const char *s; /* identifier or punctuation: in the file; string: decoded, in scratch */
    size_t len;
    unsigned line;
};

struct lexer {
    struct fth_arena *scratch;
    struct tok *v;
    size_t n, cap;
    int unterminated;
    unsigned line;
};

static int push(struct lexer *lx, enum tok_kind kind, const char *s, size_t len)
{
    struct tok *t;

    if (lx->n == lx->cap) {
        size_t cap = lx->cap ? lx->cap * 2 : 256;
        struct tok *nv = fth_arena_calloc(lx->scratch, cap, sizeof(*nv));

        if (!nv)
            return FTH_ENOMEM;
        if (lx->n)
            memcpy(nv, lx->v, lx->n * sizeof(*nv));
        lx->v = nv;
        lx->cap = cap;
    }
    t = &lx->v[lx->n++];
    t->kind = kind;
    t->s = s;
    t->len = len;
    t->line = lx->line;
    return 0;
}

static char closing(char open)
{
    switch (open) {
    case '(':
        return ')';
    case '[':
        return ']';
    case '{':
        return '}';
    case '<':
        return '>';
    default:
        return open;
    }
}

/*
 * A string body from p (just past the opening delimiter) to its closing delimiter; escapes
 * are decoded only far enough to find the end and keep the characters (\" -> ", \\ -> \).
 * Bracket delimiters nest, as in Ruby. Returns the position after the closing delimiter.
 */
static const char *string_body(struct lexer *lx, const char *p, const char *end, char open,
                               int *error)
{
    struct fth_buf b = FTH_BUF_INIT;
    char close = closing(open);
    unsigned depth = 0;
    const char *s;

    for (; p < end; p++) {
        if (*p == '\\' && p + 1 < end) {
            p++;
        } else if (*p == close && depth == 0) {
            break;
        } else if (open != close && *p == open) {
            depth++;
        } else if (open != close && *p == close) {
            depth--;
        }
        if (*p == '\n')
            lx->line++;
        if (fth_buf_putc(&b, *p) < 0) {
            *error = FTH_ENOMEM;
            goto out;
        }
    }
    if (p >= end) {
        lx->unterminated = 1;
        goto out;
    }
    if (!(s = fth_arena_strndup(lx->scratch, b.ptr, b.len)))
        *error = FTH_ENOMEM;
    else
        *error = push(lx, T_STRING, s, b.len);
    p++;
out:
    fth_buf_release(&b);
    return p;
}

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (unsigned char)c >= 0x80;
}

static int lex(struct lexer *lx, const char *p, const char *end)
{
    int error = 0;

    lx->line = 1;
    while (error == 0 && p < end && !lx->unterminated) {
        char c = *p;

        if (c == '\n') {
            lx->line++;
            p++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            p++;
        } else if (c == '#') {
            while (p < end && *p != '\n')
                p++;
        } else if (c == '"' || c == '\'') {
            p = string_body(lx, p + 1, end, c, &error);
        } else if (c == '%' && p + 2 < end && (p[1] == 'q' || p[1] == 'Q') &&
                   strchr("([{<|!/", p[2])) {
            p = string_body(lx, p + 3, end, p[2], &error);
        } else if (c == '%' && p + 1 < end && strchr("([{<", p[1])) {
            p = string_body(lx, p + 2, end, p[1], &error);
        } else if (ident_char(c)) {
            const char *s = p;

            while (p < end && ident_char(*p))
                p++;
            if (p < end && (*p == '?' || *p == '!'))
                p++;
            error = push(lx, T_IDENT, s, (size_t)(p - s));
        } else if ((c == ':' || c == '=') && p + 1 < end && p[1] == c) {
            error = push(lx, T_PUNCT, p, 2);
            p += 2;
        } else {
            error = push(lx, T_PUNCT, p, 1);
            p++;
        }
    }
    return error;
}

static int is(const struct lexer *lx, size_t i, enum tok_kind kind, const char *text)
{
    return i < lx->n && lx->v[i].kind == kind &&
           (!text || (lx->v[i].len == strlen(text) && !memcmp(lx->v[i].s, text, lx->v[i].len)));
}

/* STRING[.freeze] at *i; the string token, or NULL. */
static const struct tok *string_at(const struct lexer *lx, size_t *i)
{
    const struct tok *t;

    if (!is(lx, *i, T_STRING, NULL))
        return NULL;
    t = &lx->v[(*i)++];
    if (is(lx, *i, T_PUNCT, ".") && is(lx, *i + 1, T_IDENT, "freeze"))
        *i += 2;
    return t;
}

/* A version value: STRING[.freeze] or Gem::Version.new(STRING[.freeze]). */
static const struct tok *version_at(const struct lexer *lx, size_t i)
{
    const struct tok *t;

    if (is(lx, i, T_IDENT, "Gem") && is(lx, i + 1, T_PUNCT, "::") &&
        is(lx, i + 2, T_IDENT, "Version") && is(lx, i + 3, T_PUNCT, ".") &&
        is(lx, i + 4, T_IDENT, "new") && is(lx, i + 5, T_PUNCT, "(")) {
        i += 6;
        return (t = string_at(lx, &i)) && is(lx, i, T_PUNCT, ")") ? t : NULL;
    }
    return string_at(lx, &i);
}

/* The block variable's name after Gem::Specification.new[(name, version)] do |VAR| or { |VAR| */
static size_t spec_block(const struct lexer *lx, const struct tok **var, const struct tok **name,
                         const struct tok **version)
{
    for (size_t i = 0; i + 4 < lx->n; i++) {
        size_t j = i + 5;

        if (!is(lx, i, T_IDENT, "Gem") || !is(lx, i + 1, T_PUNCT, "::") ||
            !is(lx, i + 2, T_IDENT, "Specification") || !is(lx, i + 3, T_PUNCT, ".") ||
            !is(lx, i + 4, T_IDENT, "new"))
            continue;
        if (is(lx, j, T_PUNCT, "(")) {
            size_t k = j + 1;
            const struct tok *n = string_at(lx, &k), *v = NULL;

            if (n && is(lx, k, T_PUNCT, ",")) {
                k++;
                v = version_at(lx, k);
            }
            *name = n;
            *version = v;
            while (j < lx->n && !is(lx, j, T_PUNCT, ")"))
                j++;
            j++;
        }
        if ((is(lx, j, T_IDENT, "do") || is(lx, j, T_PUNCT, "{")) && is(lx, j + 1, T_PUNCT, "|") &&
            is(lx, j + 2, T_IDENT, NULL) && is(lx, j + 3, T_PUNCT, "|")) {
            *var = &lx->v[j + 2];
            return j + 4;
        }
    }
    return 0;
}

static int parse(struct cat_sink *s, const struct cat_file *f)
{
    struct fth_arena *a = cat_arena(s);
    struct lexer lx;
    const struct tok *var = NULL, *name = NULL, *version = NULL;
    struct lang_licenses lic = LANG_LICENSES_INIT;
    struct lang_strs deps = LANG_STRS_INIT;
    int got_license = 0, error = 0;
    struct fth_package *p;
    size_t i;

    memset(&lx, 0, sizeof(lx));
    if (!(lx.scratch = fth_arena_new()))
        return FTH_ENOMEM;
    if ((error = lex(&lx, (const char *)f->data, (const char *)f->data + f->len)) < 0)
        goto out;
    if (lx.unterminated)
        cat_warn(s, f, lx.line, "unterminated string; reading what came before it");
    if (!(i = spec_block(&lx, &var, &name, &version))) {
        cat_warn(s, f, 0, "no 'Gem::Specification.new do |spec|' block");
        goto out;
    }
    for (; i + 3 < lx.n; i++) {
        size_t j = i + 4;

        if (!is(&lx, i, T_IDENT, NULL) || lx.v[i].len != var->len ||
            memcmp(lx.v[i].s, var->s, var->len) || !is(&lx, i + 1, T_PUNCT, ".") ||
            !is(&lx, i + 2, T_IDENT, NULL))
            continue;
        if (is(&lx, i + 3, T_PUNCT, "=")) {
            if (is(&lx, i + 2, T_IDENT, "name") && !name) {
                name = string_at(&lx, &j);
            } else if (is(&lx, i + 2, T_IDENT, "version") && !version) {
                version = version_at(&lx, j);
            } else if (is(&lx, i + 2, T_IDENT, "license") && !got_license) {
                const struct tok *t = string_at(&lx, &j);

                got_license = t != NULL;
                if (t && (error = lang_license_add(a, &lic, t->s, t->len)) < 0)
                    goto out;
            } else if (is(&lx, i + 2, T_IDENT, "licenses") && !got_license &&
                       is(&lx, j, T_PUNCT, "[")) {
                const struct tok *t;

                got_license = 1;
                for (j++; (t = string_at(&lx, &j)); j++) {
                    if ((error = lang_license_add(a, &lic, t->s, t->len)) < 0)
                        goto out;
                    if (!is(&lx, j, T_PUNCT, ","))
                        break;
                }
            }
        } else if (is(&lx, i + 2, T_IDENT, "add_runtime_dependency") ||
                   is(&lx, i + 2, T_IDENT, "add_dependency")) {
            const struct tok *t;

            j = i + 3 + is(&lx, i + 3, T_PUNCT, "(");
            if ((t = string_at(&lx, &j)) && (error = lang_str_add(a, &deps, t->s, t->len)) < 0)
                goto out;
        }
    }
    if (!name || !lang_name_ok(name->s, name->len) || !version ||
        !lang_version_ok(version->s, version->len)) {
        cat_warn(s, f, 0, "no %s assigned to '%.*s'",
                 !name || !lang_name_ok(name->s, name->len) ? "name" : "version", (int)var->len,
                 var->s);
        goto out;
    }
    if (!(p = lang_add(s, f, "gem", "RubyGems", name->s, name->len, version->s, version->len))) {
        error = FTH_ENOMEM;
        goto out;
    }
    p->licenses = lic.v;
    p->nlicenses = lic.n;
    p->depends = deps.v;
    p->ndepends = deps.n;
out:
    fth_arena_free(lx.scratch);
    return error;
}

static int wants(const char *path, uint64_t size, unsigned mode)
{
    size_t len = strlen(path);

    (void)size;
    (void)mode;
    return len > 8 && !strcmp(path + len - 8, ".gemspec") &&
           (!strncmp(path, "specifications/", 15) || strstr(path, "/specifications/"));
}

const struct cataloger cat_gem = {"gem", wants, parse};
