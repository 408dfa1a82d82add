/*
 * A fast path for the YAML that Kubernetes manifests are made of: block mappings and
 * sequences, plain and quoted scalars (folded over several lines as libyaml folds them),
 * literal and folded block scalars, flow collections and JSON, comments. It builds the
 * fth_value tree of a document piece straight from the bytes in one pass (no tokens, no
 * events, nodes in the arena) and gives up on anything outside that subset or in doubt -
 * anchors, tags, complex keys, directives, tabs in indentation, explicit block indentation,
 * bytes libyaml refuses or reads specially (control characters, bad UTF-8, NEL/LS/PS line
 * breaks, a BOM inside), merge keys, duplicate keys, limits, errors of any kind - so that
 * libyaml parses the piece exactly as before: errors are always libyaml's.
 *
 * What it builds is what load.c builds from libyaml's events: the same resolution of plain
 * scalars (value_resolve_plain), the same keys (value_key_string), and the line and column
 * libyaml's marks give each node: a block mapping at its first key, a block sequence at its
 * first '-', a scalar at its first character (a quoted one at the quote, a block scalar at
 * '|' or '>'), an empty value right after its ':' or '-', an empty document at the end of
 * the piece (or at its "..." line). Columns count characters, as libyaml's do.
 */
#include <stdint.h>
#include <string.h>

#include "fathom/value.h"

#include "../base/limits.h"
#include "../base/banned.h"
#include "value_int.h"

#define NO VALUE_FAST_NO

/* Recursion depth whatever max_depth allows: deeper documents go to libyaml. */
#define FAST_MAX_DEPTH 512

/* libyaml drops a simple key (then errors) when its ':' is more than 1024 characters on. */
#define FAST_MAX_KEY 1000

/* Byte classes: text, space, "\n", "\r", tab, ':', flow indicator ",[]{}", a byte of a
 * UTF-8 sequence, and bytes libyaml refuses (control characters). */
enum { T_ = 0, SP, NL, CR, TB, CO, FL, U8, BD };

/* clang-format off */
static const unsigned char kind[256] = {
    BD, BD, BD, BD, BD, BD, BD, BD, BD, TB, NL, BD, BD, CR, BD, BD,
    BD, BD, BD, BD, BD, BD, BD, BD, BD, BD, BD, BD, BD, BD, BD, BD,
    SP, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, FL, T_, T_, T_,
    T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, CO, T_, T_, T_, T_, T_,
    T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_,
    T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, FL, T_, FL, T_, T_,
    T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_,
    T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, T_, FL, T_, FL, T_, BD,
    U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8,
    U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8,
    U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8,
    U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8,
    U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8,
    U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8,
    U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8,
    U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8, U8,
};
/* clang-format on */

struct fast {
    struct value_fast *fs;
    struct fth_arena *a;
    const char *p, *end;
    const char *bol; /* start of the current line */
    unsigned line;   /* stream line of the current line */
    size_t nodes, max_nodes, max_depth;
    int utf8;           /* the current line has non-ASCII text: columns count characters */
    int comment;        /* the last skip_to_content passed a comment */
    int started;        /* content seen: no "---" line may follow */
    int explicit_start; /* a "---" line was seen */
    int eof;            /* at the end of the piece or at its "..." line */
    unsigned eof_line;
};

/* Ctx of a block node: first on its line, after "- ", after "key: ". */
enum { AT_LINE, AT_DASH, AT_KEY };

static _Thread_local size_t stat_handled, stat_fallback;

void value_fast_stats(size_t *handled, size_t *fallback)
{
    *handled = stat_handled;
    *fallback = stat_fallback;
}

/* libyaml's column of p: characters, not bytes, since the line's start. */
static unsigned column(const struct fast *f, const char *p)
{
    unsigned col = (unsigned)(p - f->bol) + 1;
    const char *q;

    if (f->utf8)
        for (q = f->bol; q < p; q++)
            col -= ((unsigned char)*q & 0xc0) == 0x80;
    return col;
}

static void newline(struct fast *f, const char *next)
{
    f->p = next;
    f->bol = next;
    f->line++;
    f->utf8 = 0;
}

/*
 * The length of the UTF-8 character at p, or 0 when libyaml would refuse it (bad UTF-8, a
 * control character) or read it specially (NEL, LS and PS are line breaks to libyaml, a BOM
 * is skipped at a line's start): the fast path leaves those to libyaml.
 */
static int utf8_char(struct fast *f, const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t room = (size_t)(f->end - p);
    uint32_t c;
    int n, i;

    if (u[0] >= 0xc2 && u[0] <= 0xdf)
        n = 2, c = u[0] & 0x1fu;
    else if (u[0] >= 0xe0 && u[0] <= 0xef)
        n = 3, c = u[0] & 0x0fu;
    else if (u[0] >= 0xf0 && u[0] <= 0xf4)
        n = 4, c = u[0] & 0x07u;
    else
        return 0;
    if (room < (size_t)n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (u[i] & 0x3fu);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)))
        return 0;
    if (c < 0xa0 || (c >= 0xd800 && c <= 0xdfff) || c == 0x2028 || c == 0x2029 || c == 0xfeff ||
        c == 0xfffe || c == 0xffff)
        return 0;
    f->utf8 = 1;
    return n;
}

/* Past the rest of a comment at p (its '#'): to the line break, the characters checked. */
static int skip_comment(struct fast *f, const char **at)
{
    const char *p = *at;

    while (p < f->end && *p != '\n' && *p != '\r') {
        unsigned char k = kind[(unsigned char)*p];
        if (k == U8) {
            int n = utf8_char(f, p);
            if (!n)
                return NO;
            p += n;
        } else if (k == BD) {
            return NO;
        } else {
            p++;
        }
    }
    *at = p;
    return 0;
}

/* A blank, a line break or the end: what must follow '-' or ':' as an indicator. */
static int blankz(const struct fast *f, const char *p)
{
    return p >= f->end || *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t';
}

static int is_dash(const struct fast *f, const char *p)
{
    return p < f->end && *p == '-' && blankz(f, p + 1);
}

static int new_node(struct fast *f, enum fth_value_type type, unsigned line, unsigned col,
                    size_t extra, struct fth_value **out)
{
    struct fth_value *v;

    if (++f->nodes > f->max_nodes)
        return NO;
    if (!(v = fth_arena_alloc(f->a, sizeof(*v) + extra)))
        return FTH_ENOMEM;
    v->type = type;
    v->weight = 1;
    v->line = line;
    v->column = col;
    *out = v;
    return 0;
}

/* A scalar node holding text[0, len): resolved unless quoted (any non-plain style). */
static int scalar(struct fast *f, const char *text, size_t len, int quoted, unsigned line,
                  unsigned col, struct fth_value **out)
{
    struct fth_value *v;
    char *s;
    int r;

    if (len > FTH_LIMIT_SCALAR)
        return NO;
    if ((r = new_node(f, FTH_VALUE_STRING, line, col, len + 1, &v)) != 0)
        return r;
    s = (char *)(v + 1);
    if (len)
        memcpy(s, text, len);
    s[len] = '\0';
    v->u.str.ptr = s;
    v->u.str.len = len;
    if (quoted)
        v->flags = FTH_VALUE_QUOTED;
    else
        value_resolve_plain(v);
    *out = v;
    return 0;
}

static int push(struct fast *f, struct fth_value *v)
{
    struct value_fast *fs = f->fs;

    if (fs->len == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 256;
        struct fth_value **s = fth_arena_alloc(fs->a, cap * sizeof(*s));
        if (!s)
            return FTH_ENOMEM;
        if (fs->len)
            memcpy(s, fs->stack, fs->len * sizeof(*s));
        fs->stack = s;
        fs->cap = cap;
    }
    fs->stack[fs->len++] = v;
    return 0;
}

/* Room for n more bytes in the scalar buffer. */
static int reserve(struct fast *f, size_t n)
{
    struct value_fast *fs = f->fs;

    if (fs->buf_cap - fs->buf_len < n) {
        size_t cap = fs->buf_cap ? fs->buf_cap : 1024;
        char *b;
        while (cap - fs->buf_len < n) {
            if (cap > SIZE_MAX / 2)
                return FTH_ENOMEM;
            cap *= 2;
        }
        if (!(b = fth_arena_alloc(fs->a, cap)))
            return FTH_ENOMEM;
        if (fs->buf_len)
            memcpy(b, fs->buf, fs->buf_len);
        fs->buf = b;
        fs->buf_cap = cap;
    }
    return 0;
}

static int put(struct fast *f, const char *s, size_t n)
{
    int r = reserve(f, n);
    if (r == 0 && n) {
        memcpy(f->fs->buf + f->fs->buf_len, s, n);
        f->fs->buf_len += n;
    }
    return r;
}

static int put_breaks(struct fast *f, size_t n)
{
    int r = reserve(f, n);
    if (r == 0 && n) {
        memset(f->fs->buf + f->fs->buf_len, '\n', n);
        f->fs->buf_len += n;
    }
    return r;
}

/*
 * Move from the rest of a line (blanks, a comment) to the first character of the next line
 * with content, or to the end (f->eof). A "---" line may come before the content; a "..."
 * line ends the document (the splitter made it the piece's last line).
 */
static int skip_to_content(struct fast *f)
{
    const char *p = f->p, *end = f->end;

    f->comment = 0;
    for (;;) {
        while (p < end && *p == ' ')
            p++;
        if (p >= end) {
            f->eof = 1;
            f->eof_line = f->line + (p != f->bol);
            break;
        }
        switch (kind[(unsigned char)*p]) {
        case NL:
            newline(f, p + 1);
            p = f->p;
            continue;
        case CR:
            if (p + 1 >= end || p[1] != '\n')
                return NO;
            newline(f, p + 2);
            p = f->p;
            continue;
        case TB:
        case BD:
            return NO;
        default:
            break;
        }
        if (*p == '#') {
            if (p > f->bol && p[-1] != ' ')
                return NO;
            if (skip_comment(f, &p) != 0)
                return NO;
            f->comment = 1;
            continue;
        }
        if (p == f->bol && end - p >= 3 && (*p == '-' || *p == '.') && p[1] == *p && p[2] == *p &&
            blankz(f, p + 3)) {
            const char *q = p + 3;
            if (*p == '-' && f->started)
                return NO;
            f->explicit_start |= *p == '-';
            while (q < end && *q == ' ')
                q++;
            if (q < end && *q == '#' && q[-1] == ' ' && skip_comment(f, &q) != 0)
                return NO;
            if (q < end && *q != '\n' && *q != '\r')
                return NO; /* content after the marker, or a tab */
            if (*p == '.') {
                /* the end of the document: only its line break may follow */
                if (q < end && *q == '\r')
                    q++;
                if (q < end && *q == '\n')
                    q++;
                if (q != end)
                    return NO;
                f->eof = 1;
                f->eof_line = f->line;
                break;
            }
            p = q;
            continue;
        }
        break;
    }
    f->p = p;
    return 0;
}

/* After a node on its line: blanks, maybe a comment, the line break; then the next content. */
static int end_line(struct fast *f)
{
    const char *p = f->p;

    while (p < f->end && *p == ' ')
        p++;
    if (p < f->end && *p != '\n' && *p != '\r' && (*p != '#' || p[-1] != ' '))
        return NO;
    f->p = p;
    return skip_to_content(f);
}

/* Can p start a plain scalar (and not an indicator the fast path leaves to libyaml)? */
static int plain_start(struct fast *f, const char *p, int flow)
{
    unsigned char c = (unsigned char)*p;

    switch (c) {
    case '-':
        if (blankz(f, p + 1))
            return 0;
        return !flow || (kind[(unsigned char)p[1]] == T_ && p[1] != '#');
    case '?':
    case ':':
        /* "::1" is a plain scalar in block context */
        return !flow && !blankz(f, p + 1);
    case '#':
    case '&':
    case '*':
    case '!':
    case '|':
    case '>':
    case '\'':
    case '"':
    case '%':
    case '@':
    case '`':
        return 0;
    default:
        return kind[c] == T_ || (kind[c] == U8 && utf8_char(f, p));
    }
}

/*
 * The text of a plain scalar on the line at f->p. It stops at the line's end, at " #", at ':'
 * followed by a blank (a key), and in flow context at ",[]{}"; f->p is left at the stop,
 * *text_end after the text's last non-blank.
 */
static int plain_scan(struct fast *f, int flow, const char **text_end)
{
    const char *p = f->p, *end = f->end;

    for (;;) {
        unsigned char k = T_;
        while (p < end && (k = kind[(unsigned char)*p]) == T_)
            p++;
        *text_end = p;
        if (p >= end)
            break;
        if (k == FL && !flow) {
            p++;
            continue;
        }
        if (k == U8) {
            int n = utf8_char(f, p);
            if (!n)
                return NO;
            p += n;
            continue;
        }
        if (k == CO) {
            if (blankz(f, p + 1))
                break;
            if (flow)
                return NO;
            p++;
            continue;
        }
        if (k == SP) {
            const char *q = p;
            while (q < end && *q == ' ')
                q++;
            p = q;
            if (q >= end || *q == '\n' || *q == '\r' || *q == '#')
                break;
            if (*q == ':' && blankz(f, q + 1))
                break;
            if (flow && kind[(unsigned char)*q] == FL)
                break;
            continue;
        }
        if (k == NL || k == CR || (k == FL && flow))
            break;
        return NO; /* a tab or a control character */
    }
    f->p = p;
    return 0;
}

/* A one-line plain scalar at f->p (see plain_scan). */
static int plain(struct fast *f, int flow, struct fth_value **out)
{
    const char *start = f->p, *text_end;
    unsigned line = f->line, col = column(f, start);
    int r = plain_scan(f, flow, &text_end);

    if (r != 0)
        return r;
    return scalar(f, start, (size_t)(text_end - start), 0, line, col, out);
}

/*
 * A plain scalar value whose first line, text[0, len) at line:col, ended at its line break
 * and whose next line (f->p) goes deeper than parent: libyaml folds the lines into one text,
 * a single line break into a space, n > 1 into n - 1 newlines. It ends at a comment, at a
 * line not deeper than parent, or at the end; text that turns out a key is libyaml's error.
 */
static int plain_lines(struct fast *f, const char *text, size_t len, unsigned line, unsigned col,
                       int parent, struct fth_value **out)
{
    unsigned last = line;
    int r;

    f->fs->buf_len = 0;
    if ((r = put(f, text, len)) != 0)
        return r;
    for (;;) {
        const char *start = f->p, *text_end;
        size_t breaks = f->line - last;
        if ((r = breaks == 1 ? put(f, " ", 1) : put_breaks(f, breaks - 1)) != 0)
            return r;
        if ((r = plain_scan(f, 0, &text_end)) != 0)
            return r;
        if (f->p < f->end && *f->p == ':')
            return NO;
        if ((r = put(f, start, (size_t)(text_end - start))) != 0)
            return r;
        last = f->line;
        if ((r = end_line(f)) != 0)
            return r;
        if (f->eof || f->comment || (int)(f->p - f->bol) <= parent)
            break;
    }
    f->nodes--; /* the first line's node is replaced */
    return scalar(f, f->fs->buf, f->fs->buf_len, 0, line, col, out);
}

static int hex_value(const char *p, int n, uint32_t *out)
{
    uint32_t v = 0;
    int i;

    for (i = 0; i < n; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return NO;
    }
    *out = v;
    return 0;
}

static int put_utf8(struct fast *f, uint32_t c)
{
    char b[4];
    size_t n;

    if (c < 0x80) {
        b[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xc0 | c >> 6);
        b[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        b[0] = (char)(0xe0 | c >> 12);
        b[1] = (char)(0x80 | (c >> 6 & 0x3f));
        b[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        b[0] = (char)(0xf0 | c >> 18);
        b[1] = (char)(0x80 | (c >> 12 & 0x3f));
        b[2] = (char)(0x80 | (c >> 6 & 0x3f));
        b[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    return put(f, b, n);
}

/* The escape at *at (its backslash, a character follows) into the scalar buffer. */
static int escape(struct fast *f, const char **at)
{
    const char *s = *at, *end = f->end;
    uint32_t c;
    int n = 0;

    switch (s[1]) {
    case '0':
        c = 0;
        break;
    case 'a':
        c = 7;
        break;
    case 'b':
        c = 8;
        break;
    case 't':
    case '\t':
        c = 9;
        break;
    case 'n':
        c = 10;
        break;
    case 'v':
        c = 11;
        break;
    case 'f':
        c = 12;
        break;
    case 'r':
        c = 13;
        break;
    case 'e':
        c = 27;
        break;
    case ' ':
    case '"':
    case '/':
    case '\\':
        c = (unsigned char)s[1];
        break;
    case 'N':
        c = 0x85;
        break;
    case '_':
        c = 0xa0;
        break;
    case 'L':
        c = 0x2028;
        break;
    case 'P':
        c = 0x2029;
        break;
    case 'x':
        n = 2;
        break;
    case 'u':
        n = 4;
        break;
    case 'U':
        n = 8;
        break;
    default:
        return NO;
    }
    s += 2;
    if (n) {
        if (end - s < n || hex_value(s, n, &c) != 0)
            return NO;
        if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
            return NO;
        s += n;
    }
    *at = s;
    return put_utf8(f, c);
}

/* The text of a one-line double-quoted scalar, s[0, len) (before the quote), unescaped. */
static int unescape(struct fast *f, const char *s, size_t len)
{
    const char *end = s + len;
    int r = 0;

    while (s < end && r == 0) {
        const char *bs = memchr(s, '\\', (size_t)(end - s));
        if (!bs)
            return put(f, s, (size_t)(end - s));
        if ((r = put(f, s, (size_t)(bs - s))) != 0)
            return r;
        s = bs;
        r = escape(f, &s);
    }
    return r;
}

/* A line break at *at ("\n" or "\r\n"): the next line begins. */
static int line_break(struct fast *f, const char **at)
{
    const char *p = *at;

    if (*p == '\r' && (p + 1 >= f->end || p[1] != '\n'))
        return NO;
    newline(f, p + (*p == '\r' ? 2 : 1));
    *at = f->p;
    return 0;
}

/*
 * A quoted scalar over several lines, from its text at start, as libyaml folds it: blanks
 * around a line break go, a single break becomes a space and n > 1 breaks n - 1 newlines; in
 * double quotes an escaped break joins the lines with nothing between.
 */
static int quoted_lines(struct fast *f, const char *start, char q, unsigned line, unsigned col,
                        struct fth_value **out)
{
    const char *p = start, *end = f->end;
    int r;

    f->fs->buf_len = 0;
    for (;;) {
        const char *ws;
        int leading_blanks = 0, leading_break = 0;
        size_t trailing = 0;

        if (p >= end)
            return NO;
        if (p == f->bol && end - p >= 3 && (*p == '-' || *p == '.') && p[1] == *p && p[2] == *p &&
            blankz(f, p + 3))
            return NO; /* a document marker inside quotes: libyaml's error */
        while (p < end && !blankz(f, p)) {
            unsigned char k = kind[(unsigned char)*p];
            if (q == '\'' && *p == '\'' && p + 1 < end && p[1] == '\'') {
                r = put(f, "'", 1);
                p += 2;
            } else if (*p == q) {
                break;
            } else if (q == '"' && *p == '\\' && p + 1 < end && (p[1] == '\n' || p[1] == '\r')) {
                p++;
                if ((r = line_break(f, &p)) != 0)
                    return r;
                leading_blanks = 1;
                break;
            } else if (q == '"' && *p == '\\') {
                if (p + 1 >= end)
                    return NO;
                r = escape(f, &p);
            } else if (k == U8) {
                int n = utf8_char(f, p);
                if (!n)
                    return NO;
                r = put(f, p, (size_t)n);
                p += n;
            } else if (k == BD) {
                return NO;
            } else {
                r = put(f, p++, 1);
            }
            if (r != 0)
                return r;
        }
        if (p < end && *p == q)
            break;
        ws = p;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
            if (*p == ' ' || *p == '\t') {
                p++;
            } else {
                if ((r = line_break(f, &p)) != 0)
                    return r;
                if (leading_blanks)
                    trailing++;
                else
                    leading_blanks = leading_break = 1;
            }
        }
        if (!leading_blanks)
            r = put(f, ws, (size_t)(p - ws));
        else if (leading_break && !trailing)
            r = put(f, " ", 1);
        else
            r = put_breaks(f, trailing);
        if (r != 0)
            return r;
    }
    f->p = p + 1;
    return scalar(f, f->fs->buf, f->fs->buf_len, 1, line, col, out);
}

/*
 * A single- or double-quoted scalar at f->p; f->p is left past its closing quote. One that
 * goes on over several lines is read only where multi allows (a block value).
 */
static int quoted(struct fast *f, int multi, struct fth_value **out)
{
    const char *start = f->p + 1, *p = start, *end = f->end;
    char q = *f->p;
    unsigned line = f->line, col = column(f, f->p);
    int escapes = 0, r;

    for (;;) {
        unsigned char k;
        if (p >= end)
            return NO;
        if (*p == q) {
            if (q == '\'' && p + 1 < end && p[1] == '\'') {
                escapes = 1;
                p += 2;
                continue;
            }
            break;
        }
        if (*p == '\\' && q == '"') {
            escapes = 1;
            p++;
            if (p >= end)
                return NO;
            if (*p == '\n' || *p == '\r')
                return multi ? quoted_lines(f, start, q, line, col, out) : NO;
        }
        k = kind[(unsigned char)*p];
        if (k == U8) {
            int n = utf8_char(f, p);
            if (!n)
                return NO;
            p += n;
            continue;
        }
        if (k == NL || k == CR)
            return multi ? quoted_lines(f, start, q, line, col, out) : NO;
        if (k == BD)
            return NO;
        p++;
    }
    f->p = p + 1;
    if (!escapes)
        return scalar(f, start, (size_t)(p - start), 1, line, col, out);
    f->fs->buf_len = 0;
    if (q == '\'') {
        const char *s = start;
        while (s < p) {
            const char *e = memchr(s, '\'', (size_t)(p - s));
            e = e ? e + 1 : p; /* keep one quote of each pair */
            if ((r = put(f, s, (size_t)(e - s))) != 0)
                return r;
            s = e < p ? e + 1 : p;
        }
    } else if ((r = unescape(f, start, (size_t)(p - start))) != 0) {
        return r;
    }
    return scalar(f, f->fs->buf, f->fs->buf_len, 1, line, col, out);
}

/* libyaml's run of empty lines and indentation before a block scalar's line; breaks counted. */
static int scalar_breaks(struct fast *f, int *indent, size_t *breaks, int parent)
{
    int max_indent = 0;

    for (;;) {
        const char *p = f->p;
        int col;
        while (p < f->end && *p == ' ' && (!*indent || p - f->bol < *indent))
            p++;
        col = (int)(p - f->bol);
        if (col > max_indent)
            max_indent = col;
        f->p = p;
        if (p < f->end && *p == '\t' && (!*indent || col < *indent))
            return NO;
        if (p < f->end && *p == '\n') {
            newline(f, p + 1);
        } else if (p < f->end && *p == '\r') {
            if (p + 1 >= f->end || p[1] != '\n')
                return NO;
            newline(f, p + 2);
        } else {
            break;
        }
        ++*breaks;
    }
    if (!*indent) {
        *indent = max_indent;
        if (*indent < parent + 1)
            *indent = parent + 1;
        if (*indent < 1)
            *indent = 1;
    }
    return 0;
}

/* A literal or folded block scalar whose indicator is at f->p, as libyaml reads it. */
static int block_scalar(struct fast *f, int parent, struct fth_value **out)
{
    const char *p = f->p;
    unsigned line = f->line, col = column(f, p);
    int literal = *p == '|', chomp = 0, indent = 0, leading_break = 0, leading_blank = 0, r;
    size_t trailing = 0;

    p++;
    if (p < f->end && (*p == '+' || *p == '-'))
        chomp = *p++ == '+' ? 1 : -1;
    while (p < f->end && *p == ' ')
        p++;
    if (p < f->end && *p == '#' && p[-1] == ' ' && skip_comment(f, &p) != 0)
        return NO;
    if (p < f->end) {
        /* an indentation indicator, a tab, text after the header: libyaml's */
        if (*p == '\r' && p + 1 < f->end && p[1] == '\n')
            p++;
        if (*p != '\n')
            return NO;
        newline(f, p + 1);
    } else {
        f->p = p;
    }
    f->fs->buf_len = 0;
    if ((r = scalar_breaks(f, &indent, &trailing, parent)) != 0)
        return r;
    while (f->p < f->end && f->p - f->bol == indent) {
        const char *s = f->p;
        int trailing_blank = *s == ' ' || *s == '\t';

        if (!literal && leading_break && !leading_blank && !trailing_blank) {
            if (!trailing && (r = put(f, " ", 1)) != 0)
                return r;
        } else if (leading_break && (r = put(f, "\n", 1)) != 0) {
            return r;
        }
        leading_break = 0;
        if ((r = put_breaks(f, trailing)) != 0)
            return r;
        trailing = 0;
        leading_blank = trailing_blank;
        for (p = s; p < f->end && *p != '\n' && *p != '\r';) {
            unsigned char k = kind[(unsigned char)*p];
            int n = k == U8 ? utf8_char(f, p) : k != BD;
            if (!n)
                return NO;
            p += n;
        }
        if ((r = put(f, s, (size_t)(p - s))) != 0)
            return r;
        f->p = p;
        if (p < f->end) {
            if (*p == '\r' && (p + 1 >= f->end || p[1] != '\n'))
                return NO;
            newline(f, p + (*p == '\r' ? 2 : 1));
            leading_break = 1;
        }
        if ((r = scalar_breaks(f, &indent, &trailing, parent)) != 0)
            return r;
    }
    if (chomp != -1 && leading_break && (r = put(f, "\n", 1)) != 0)
        return r;
    if (chomp == 1 && (r = put_breaks(f, trailing)) != 0)
        return r;
    if ((r = scalar(f, f->fs->buf, f->fs->buf_len, 1, line, col, out)) != 0)
        return r;
    return skip_to_content(f);
}

/* A mapping key's string form; merge keys and keys with no string form are libyaml's. */
static int check_key(struct fast *f, struct fth_value **key, const char *colon)
{
    struct fth_value *k = *key;

    if ((unsigned)(colon - f->bol) + 1 - k->column > FAST_MAX_KEY)
        return NO;
    if (!(k->flags & FTH_VALUE_QUOTED) && k->type == FTH_VALUE_STRING && k->u.str.len == 2 &&
        !memcmp(k->u.str.ptr, "<<", 2))
        return NO;
    return k->type == FTH_VALUE_STRING ? 0 : value_key_string(f->a, key);
}

/* A mapping whose keys and values are on the stack from base, completed. */
static int close_map(struct fast *f, struct fth_value *v, size_t base)
{
    struct value_fast *fs = f->fs;
    size_t i, n = (fs->len - base) / 2;
    struct fth_value **items = n ? fs->stack + base : NULL;
    struct fth_member *m = fth_arena_alloc(f->a, (n ? n : 1) * sizeof(*m));
    struct value_keyset ks;
    int r;

    if (!m)
        return FTH_ENOMEM;
    if ((r = value_keyset_init(&ks, f->a, m, n)) != 0)
        return r;
    for (i = 0; i < n; i++) {
        if (value_keyset_add(&ks, items[2 * i]))
            return NO; /* a duplicate key: libyaml's path says where */
        m[i].key = items[2 * i];
        m[i].value = items[2 * i + 1];
        v->weight += m[i].key->weight + m[i].value->weight;
    }
    v->u.map.items = m;
    v->u.map.len = n;
    fs->len = base;
    return 0;
}

static int close_seq(struct fast *f, struct fth_value *v, size_t base)
{
    struct value_fast *fs = f->fs;
    size_t i, n = fs->len - base;

    if (n) {
        if (!(v->u.seq.items = fth_arena_alloc(f->a, n * sizeof(*v->u.seq.items))))
            return FTH_ENOMEM;
        memcpy(v->u.seq.items, fs->stack + base, n * sizeof(*v->u.seq.items));
        for (i = 0; i < n; i++)
            v->weight += v->u.seq.items[i]->weight;
    }
    v->u.seq.len = n;
    fs->len = base;
    return 0;
}

static void skip_spaces(struct fast *f)
{
    while (f->p < f->end && *f->p == ' ')
        f->p++;
}

/*
 * Blanks, comments and line breaks between the tokens of a flow collection. A line it goes on
 * to must go deeper than the block around (parent): libyaml's view of shallower ones is its own.
 */
static int flow_space(struct fast *f, int parent)
{
    const char *p = f->p, *q;
    unsigned line = f->line;

    for (;;) {
        while (p < f->end && (*p == ' ' || *p == '\t'))
            p++;
        if (p >= f->end)
            return NO; /* never closed */
        if (*p == '#') {
            if (p > f->bol && p[-1] != ' ' && p[-1] != '\t')
                return NO;
            if (skip_comment(f, &p) != 0)
                return NO;
            continue;
        }
        if (*p != '\n' && *p != '\r')
            break;
        if (line_break(f, &p) != 0)
            return NO;
    }
    if (f->line != line) {
        if (p - f->bol <= parent || (p == f->bol && f->end - p >= 3 && (*p == '-' || *p == '.') &&
                                     p[1] == *p && p[2] == *p))
            return NO;
        for (q = f->bol; q < p; q++)
            if (*q == '\t')
                return NO; /* a tab in a line's indentation */
    }
    f->p = p;
    return 0;
}

/* One item of a flow collection: a scalar or a nested flow collection. */
static int flow_node(struct fast *f, size_t depth, int parent, struct fth_value **out);

static int flow_item(struct fast *f, size_t depth, int parent, struct fth_value **out)
{
    char c;

    if (f->p >= f->end)
        return NO;
    c = *f->p;
    if (c == '[' || c == '{')
        return flow_node(f, depth, parent, out);
    if (c == '\'' || c == '"')
        return quoted(f, 0, out);
    if (!plain_start(f, f->p, 1))
        return NO;
    return plain(f, 1, out);
}

/*
 * A flow sequence or mapping at f->p ('[' or '{'), over one line or several; f->p is left
 * past its end. Keys are one-line scalars with their ':' on the same line (right after a
 * quoted key, as in JSON, or followed by a blank).
 */
static int flow_node(struct fast *f, size_t depth, int parent, struct fth_value **out)
{
    char close = *f->p == '[' ? ']' : '}';
    size_t base = f->fs->len;
    struct fth_value *v, *item, *val;
    int r;

    if (depth >= f->max_depth)
        return NO;
    if ((r = new_node(f, close == ']' ? FTH_VALUE_SEQ : FTH_VALUE_MAP, f->line, column(f, f->p), 0,
                      &v)) != 0)
        return r;
    f->p++;
    if ((r = flow_space(f, parent)) != 0)
        return r;
    if (*f->p == close) {
        f->p++;
        goto done;
    }
    for (;;) {
        unsigned line = f->line;
        int quoted_key = *f->p == '\'' || *f->p == '"';
        if ((r = flow_item(f, depth + 1, parent, &item)) != 0 || (r = flow_space(f, parent)) != 0)
            return r;
        if (close == '}') {
            if (*f->p != ':' || f->line != line || item->type == FTH_VALUE_SEQ ||
                item->type == FTH_VALUE_MAP || (!quoted_key && !blankz(f, f->p + 1)))
                return NO;
            if ((r = check_key(f, &item, f->p)) != 0)
                return r;
            f->p++;
            if ((r = flow_space(f, parent)) != 0 ||
                (r = flow_item(f, depth + 1, parent, &val)) != 0 || (r = push(f, item)) != 0 ||
                (r = push(f, val)) != 0 || (r = flow_space(f, parent)) != 0)
                return r;
        } else if ((r = push(f, item)) != 0) {
            return r;
        }
        if (*f->p == ',') {
            f->p++;
            if ((r = flow_space(f, parent)) != 0)
                return r;
            if (*f->p != close)
                continue;
            /* a trailing comma, which libyaml accepts */
        }
        if (*f->p == close) {
            f->p++;
            break;
        }
        return NO;
    }
done:
    if ((r = close == ']' ? close_seq(f, v, base) : close_map(f, v, base)) != 0)
        return r;
    *out = v;
    return 0;
}

static int block_node(struct fast *f, int parent, size_t depth, int ctx, struct fth_value **out);

/*
 * A block sequence whose first '-' is at f->p. An indentless one (the value of a key at the
 * key's own column) ends at a line of that column without '-'.
 */
static int block_seq(struct fast *f, size_t depth, int indentless, struct fth_value **out)
{
    size_t base = f->fs->len;
    int col = (int)(f->p - f->bol);
    struct fth_value *v, *item;
    int r;

    if (depth >= f->max_depth)
        return NO;
    if ((r = new_node(f, FTH_VALUE_SEQ, f->line, (unsigned)col + 1, 0, &v)) != 0)
        return r;
    for (;;) {
        unsigned line = f->line;
        f->p++;
        skip_spaces(f);
        if (f->p >= f->end || *f->p == '\n' || *f->p == '\r' || *f->p == '#') {
            if ((r = end_line(f)) != 0)
                return r;
            if (!f->eof && f->p - f->bol > col)
                r = block_node(f, col, depth + 1, AT_LINE, &item);
            else
                r = scalar(f, "", 0, 0, line, (unsigned)col + 2, &item);
        } else {
            r = block_node(f, col, depth + 1, AT_DASH, &item);
        }
        if (r != 0 || (r = push(f, item)) != 0)
            return r;
        if (f->eof || f->p - f->bol < col)
            break;
        if (f->p - f->bol > col)
            return NO;
        if (!is_dash(f, f->p)) {
            if (indentless)
                break;
            return NO;
        }
    }
    if ((r = close_seq(f, v, base)) != 0)
        return r;
    *out = v;
    return 0;
}

/* A one-line key at f->p followed by ':' and a blank; f->p is left at the ':'. */
static int block_key(struct fast *f, struct fth_value **key)
{
    const char *p;
    int r;

    if (*f->p == '\'' || *f->p == '"')
        r = quoted(f, 0, key);
    else if (plain_start(f, f->p, 0))
        r = plain(f, 0, key);
    else
        return NO;
    if (r != 0)
        return r;
    for (p = f->p; p < f->end && *p == ' '; p++)
        ;
    if (p >= f->end || *p != ':' || !blankz(f, p + 1))
        return NO;
    f->p = p;
    return 0;
}

/* A block mapping whose first key is read (its position is the mapping's); f->p is at its ':'. */
static int block_map(struct fast *f, size_t depth, struct fth_value *key, struct fth_value **out)
{
    size_t base = f->fs->len;
    int col = (int)key->column - 1, r;
    struct fth_value *v, *val;

    if (depth >= f->max_depth)
        return NO;
    if ((r = new_node(f, FTH_VALUE_MAP, key->line, key->column, 0, &v)) != 0)
        return r;
    for (;;) {
        unsigned line = f->line, colon = column(f, f->p);
        if ((r = check_key(f, &key, f->p)) != 0)
            return r;
        f->p++;
        skip_spaces(f);
        if (f->p >= f->end || *f->p == '\n' || *f->p == '\r' || *f->p == '#') {
            if ((r = end_line(f)) != 0)
                return r;
            if (!f->eof && f->p - f->bol > col)
                r = block_node(f, col, depth + 1, AT_LINE, &val);
            else if (!f->eof && f->p - f->bol == col && is_dash(f, f->p))
                r = block_seq(f, depth + 1, 1, &val);
            else
                r = scalar(f, "", 0, 0, line, colon + 1, &val);
        } else {
            r = block_node(f, col, depth + 1, AT_KEY, &val);
        }
        if (r != 0 || (r = push(f, key)) != 0 || (r = push(f, val)) != 0)
            return r;
        if (f->eof || f->p - f->bol < col)
            break;
        if (f->p - f->bol > col)
            return NO;
        if ((r = block_key(f, &key)) != 0)
            return r;
    }
    if ((r = close_map(f, v, base)) != 0)
        return r;
    *out = v;
    return 0;
}

/*
 * A node in block context at f->p. parent is libyaml's indentation of the enclosing
 * collection (-1 at the root): a block scalar's content must go deeper. Returns with f->p at
 * the next line with content (or f->eof).
 */
static int block_node(struct fast *f, int parent, size_t depth, int ctx, struct fth_value **out)
{
    const char *p = f->p, *q, *text_end;
    struct fth_value *v;
    unsigned line;
    int r;

    if (depth >= FAST_MAX_DEPTH)
        return NO;
    if (is_dash(f, p)) {
        if (ctx == AT_KEY)
            return NO;
        return block_seq(f, depth, 0, out);
    }
    if (*p == '[' || *p == '{') {
        if ((r = flow_node(f, depth, parent, out)) != 0)
            return r;
        return end_line(f);
    }
    if (*p == '|' || *p == '>')
        return block_scalar(f, parent, out);
    line = f->line;
    if (*p == '\'' || *p == '"')
        r = quoted(f, 1, &v);
    else if (plain_start(f, p, 0))
        r = plain(f, 0, &v);
    else
        return NO;
    if (r != 0)
        return r;
    for (q = f->p; q < f->end && *q == ' '; q++)
        ;
    if (q < f->end && *q == ':' && blankz(f, q + 1)) {
        if (ctx == AT_KEY || f->line != line)
            return NO; /* "a: b: c", a key on two lines */
        f->p = q;
        return block_map(f, depth, v, out);
    }
    *out = v;
    if (*p == '\'' || *p == '"' || (f->p < f->end && *f->p == '#'))
        return end_line(f);
    /* a plain scalar at its line's end: it may go on on the next lines */
    text_end = f->p;
    while (text_end > p && text_end[-1] == ' ')
        text_end--;
    if ((r = end_line(f)) != 0)
        return r;
    if (f->eof || f->comment || (int)(f->p - f->bol) <= parent)
        return 0;
    return plain_lines(f, p, (size_t)(text_end - p), v->line, v->column, parent, out);
}

int value_fast_load(struct value_fast *fs, struct fth_arena *a, const char *data, size_t len,
                    unsigned line, size_t max_depth, size_t max_nodes, struct fth_value **root)
{
    struct fast f;
    struct fth_value *v = NULL;
    int r;

    memset(&f, 0, sizeof(f));
    f.fs = fs;
    f.a = a;
    f.p = data;
    f.end = data + len;
    f.line = line;
    f.max_nodes = max_nodes;
    f.max_depth = max_depth < FAST_MAX_DEPTH ? max_depth : FAST_MAX_DEPTH;
    fs->len = 0;
    /* libyaml skips a byte order mark before it counts columns */
    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
        f.p += 3;
    f.bol = f.p;
    if ((r = skip_to_content(&f)) != 0)
        goto out;
    f.started = 1;
    if (f.eof && !f.explicit_start)
        r = NO; /* no document at all (a byte order mark alone): libyaml says what */
    else if (f.eof)
        /* an empty document: libyaml's null at the end of the piece (or at "...") */
        r = scalar(&f, "", 0, 0, f.eof_line, 1, &v);
    else if ((r = block_node(&f, -1, 0, AT_LINE, &v)) == 0 && !f.eof)
        r = NO;
out:
    if (r == 0) {
        *root = v;
        stat_handled++;
    } else {
        stat_fallback++;
    }
    return r;
}
