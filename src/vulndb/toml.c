/*
 * vulndb: a strict reader for the TOML the RustSec advisory-db front matter uses: tables
 * ([advisory], [affected.functions]), dotted and quoted keys, basic, literal and multi-line
 * strings, arrays (over several lines, with comments and a trailing comma), one-line inline
 * tables, decimal integers, booleans, and dates, kept as the text they are written as.
 * Anything else (floats, arrays of tables, times with offsets as values) is refused, with the
 * file and line, rather than guessed at. The result is a value tree (fathom/value.h) so the
 * importer reads it like the YAML and JSON it already handles.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vulndb_int.h"
#include "fathom/value.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct toml {
    struct fth_arena *a;
    const char *name;
    const char *p, *end, *bol; /* bol: where the current line begins */
    unsigned line;
    size_t nodes;
    struct fth_vec defined; /* tables given a [header], which may not be given another */
    int over;               /* FTH_LIMIT_NODES was reached (the error is set) */
    struct fth_error *err;
};

static int fail(struct toml *t, const char *fmt, ...) FTH_PRINTF(2, 3);

static int fail(struct toml *t, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fth_error_set(t->err, FTH_EINVALID, "%s:%u: %s", t->name, t->line, msg);
    if (t->err)
        t->err->line = t->line;
    return FTH_EINVALID;
}

/* When node() returned NULL. */
static int oom(const struct toml *t)
{
    return t->over ? FTH_EINVALID : FTH_ENOMEM;
}

static unsigned column(const struct toml *t)
{
    return (unsigned)(t->p - t->bol) + 1;
}

static struct fth_value *node(struct toml *t, enum fth_value_type type)
{
    struct fth_value *v;

    if (++t->nodes > FTH_LIMIT_NODES) {
        if (!t->over)
            fail(t, "more than %zu values", FTH_LIMIT_NODES);
        t->over = 1;
        return NULL;
    }
    if ((v = fth_value_new(t->a, type))) {
        v->line = t->line;
        v->column = column(t);
    }
    return v;
}

/* Items grow by doubling from 4; the capacity follows from the length. */
static int grow(void **items, size_t len, size_t size, struct fth_arena *a)
{
    void *bigger;

    if (len && (len < 4 || (len & (len - 1)) != 0))
        return 0;
    if (len > FTH_LIMIT_LIST_ITEMS)
        return FTH_ELIMIT;
    if (!(bigger = fth_arena_calloc(a, len ? len * 2 : 4, size)))
        return FTH_ENOMEM;
    if (len)
        memcpy(bigger, *items, len * size);
    *items = bigger;
    return 0;
}

static int seq_push(struct toml *t, struct fth_value *seq, struct fth_value *item)
{
    int error = grow((void **)&seq->u.seq.items, seq->u.seq.len, sizeof(*seq->u.seq.items), t->a);

    if (error < 0)
        return error == FTH_ELIMIT ? fail(t, "more than %d array items", FTH_LIMIT_LIST_ITEMS)
                                   : error;
    seq->u.seq.items[seq->u.seq.len++] = item;
    return 0;
}

static int map_put(struct toml *t, struct fth_value *map, struct fth_value *key,
                   struct fth_value *value)
{
    int error = grow((void **)&map->u.map.items, map->u.map.len, sizeof(*map->u.map.items), t->a);

    if (error < 0)
        return error == FTH_ELIMIT ? fail(t, "more than %d keys in a table", FTH_LIMIT_LIST_ITEMS)
                                   : error;
    map->u.map.items[map->u.map.len].key = key;
    map->u.map.items[map->u.map.len++].value = value;
    return 0;
}

static struct fth_value *map_find(const struct fth_value *map, const char *key, size_t len)
{
    size_t i;

    for (i = 0; i < map->u.map.len; i++) {
        const struct fth_value *k = map->u.map.items[i].key;

        if (k->u.str.len == len && !memcmp(k->u.str.ptr, key, len))
            return map->u.map.items[i].value;
    }
    return NULL;
}

static void skip_ws(struct toml *t)
{
    while (t->p < t->end && (*t->p == ' ' || *t->p == '\t'))
        t->p++;
}

static void newline(struct toml *t)
{
    t->line++;
    t->bol = t->p;
}

/* Spaces, comments and line ends (inside arrays, between statements). */
static void skip_blank(struct toml *t)
{
    for (;;) {
        skip_ws(t);
        if (t->p < t->end && *t->p == '#')
            while (t->p < t->end && *t->p != '\n')
                t->p++;
        if (t->p < t->end && *t->p == '\r' && t->p + 1 < t->end && t->p[1] == '\n')
            t->p++;
        if (t->p < t->end && *t->p == '\n') {
            t->p++;
            newline(t);
            continue;
        }
        return;
    }
}

/* After a statement: only a comment may follow on its line. */
static int end_of_line(struct toml *t)
{
    skip_ws(t);
    if (t->p < t->end && *t->p == '#')
        while (t->p < t->end && *t->p != '\n')
            t->p++;
    if (t->p < t->end && *t->p == '\r')
        t->p++;
    if (t->p == t->end)
        return 0;
    if (*t->p != '\n')
        return fail(t, "unexpected '%c' after a value; expected the end of the line", *t->p);
    t->p++;
    newline(t);
    return 0;
}

static int put_utf8(struct fth_buf *b, unsigned long cp)
{
    char s[4];
    size_t n;

    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return fth_buf_put(b, s, n);
}

static int escape(struct toml *t, struct fth_buf *b)
{
    unsigned long cp = 0;
    size_t digits, i;
    char c;

    if (t->p >= t->end)
        return fail(t, "unterminated string");
    c = *t->p++;
    switch (c) {
    case 'b':
        return fth_buf_putc(b, '\b');
    case 't':
        return fth_buf_putc(b, '\t');
    case 'n':
        return fth_buf_putc(b, '\n');
    case 'f':
        return fth_buf_putc(b, '\f');
    case 'r':
        return fth_buf_putc(b, '\r');
    case '"':
        return fth_buf_putc(b, '"');
    case '\\':
        return fth_buf_putc(b, '\\');
    case 'u':
    case 'U':
        digits = c == 'u' ? 4 : 8;
        if ((size_t)(t->end - t->p) < digits)
            return fail(t, "short \\%c escape", c);
        for (i = 0; i < digits; i++) {
            char h = t->p[i];

            if (!isxdigit((unsigned char)h))
                return fail(t, "bad \\%c escape", c);
            cp = cp * 16 +
                 (unsigned long)(isdigit((unsigned char)h) ? h - '0' : (tolower(h) - 'a' + 10));
        }
        t->p += digits;
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return fail(t, "escape \\%c names no Unicode scalar value", c);
        return put_utf8(b, cp);
    default:
        return fail(t, "unknown escape '\\%c'", c);
    }
}

/* A string at t->p (any of the four kinds) into b; multi-line ones only when allow_multi. */
static int string(struct toml *t, struct fth_buf *b, int allow_multi)
{
    char q = *t->p;
    int multi = t->end - t->p >= 3 && t->p[1] == q && t->p[2] == q;
    unsigned start = t->line;
    int error = 0;

    if (multi && !allow_multi)
        return fail(t, "a multi-line string cannot be a key");
    t->p += multi ? 3 : 1;
    if (multi) {
        /* a newline right after the opening quotes is not part of the string */
        if (t->p < t->end && *t->p == '\r' && t->p + 1 < t->end && t->p[1] == '\n')
            t->p++;
        if (t->p < t->end && *t->p == '\n') {
            t->p++;
            newline(t);
        }
    }
    for (;;) {
        char c;

        if (t->p >= t->end) {
            t->line = start;
            return fail(t, "unterminated string");
        }
        c = *t->p;
        if (c == q) {
            if (!multi) {
                t->p++;
                return 0;
            }
            if (t->end - t->p >= 3 && t->p[1] == q && t->p[2] == q) {
                /* up to two more quotes before the closing three belong to the string */
                size_t run = 3;

                while (run < 5 && t->p + run < t->end && t->p[run] == q)
                    run++;
                if ((error = fth_buf_put(b, t->p, run - 3)) < 0)
                    return error;
                t->p += run;
                return 0;
            }
        }
        if (c == '\n') {
            if (!multi)
                return fail(t, "unterminated string");
            t->p++;
            newline(t);
            if ((error = fth_buf_putc(b, '\n')) < 0)
                return error;
            continue;
        }
        if ((unsigned char)c < 0x20 && c != '\t' && !(c == '\r' && multi))
            return fail(t, "control character 0x%02x in a string", (unsigned char)c);
        t->p++;
        if (c == '\\' && q == '"') {
            if (multi && t->p < t->end &&
                (*t->p == '\n' || *t->p == ' ' || *t->p == '\t' || *t->p == '\r')) {
                /* a line-ending backslash: trim the newline and the whitespace after it */
                const char *s = t->p;

                while (s < t->end && (*s == ' ' || *s == '\t' || *s == '\r'))
                    s++;
                if (s < t->end && *s == '\n') {
                    t->p = s;
                    while (t->p < t->end &&
                           (*t->p == ' ' || *t->p == '\t' || *t->p == '\r' || *t->p == '\n')) {
                        if (*t->p++ == '\n')
                            newline(t);
                    }
                    continue;
                }
            }
            if ((error = escape(t, b)) < 0)
                return error;
            continue;
        }
        if (c == '\r')
            continue;
        if ((error = fth_buf_putc(b, c)) < 0)
            return error;
    }
}

static int is_bare(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* One key part (bare or quoted) as a string value. */
static int key_part(struct fth_value **out, struct toml *t)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *s = t->p;
    int error = 0;

    *out = NULL;
    if (t->p < t->end && (*t->p == '"' || *t->p == '\'')) {
        if ((error = string(t, &b, 0)) < 0)
            goto out;
    } else {
        while (t->p < t->end && is_bare(*t->p))
            t->p++;
        if (t->p == s) {
            error = t->p < t->end ? fail(t, "expected a key, found '%c'", *t->p)
                                  : fail(t, "expected a key, found the end");
            goto out;
        }
        if ((error = fth_buf_put(&b, s, (size_t)(t->p - s))) < 0)
            goto out;
    }
    if (!(*out = node(t, FTH_VALUE_STRING))) {
        error = oom(t);
        goto out;
    }
    (*out)->u.str.ptr = fth_arena_strndup(t->a, b.ptr ? b.ptr : "", b.len);
    (*out)->u.str.len = b.len;
    if (!(*out)->u.str.ptr)
        error = FTH_ENOMEM;
out:
    fth_buf_release(&b);
    return error;
}

/* A dotted key: its parts, in order. */
static int key(struct fth_vec *parts, struct toml *t)
{
    struct fth_value *part;
    int error;

    memset(parts, 0, sizeof(*parts));
    for (;;) {
        skip_ws(t);
        if ((error = key_part(&part, t)) < 0 || (error = fth_vec_push(parts, t->a, part)) < 0)
            return error;
        skip_ws(t);
        if (t->p >= t->end || *t->p != '.')
            return 0;
        t->p++;
    }
}

/* The table a dotted prefix leads to, made when missing. */
static int descend(struct fth_value **map, struct toml *t, struct fth_value *part)
{
    struct fth_value *next = map_find(*map, part->u.str.ptr, part->u.str.len);
    int error;

    if (!next) {
        if (!(next = node(t, FTH_VALUE_MAP)))
            return oom(t);
        if ((error = map_put(t, *map, part, next)) < 0)
            return error;
    } else if (next->type != FTH_VALUE_MAP) {
        return fail(t, "'%s' is already a value, not a table", part->u.str.ptr);
    }
    *map = next;
    return 0;
}

static int value(struct fth_value **out, struct toml *t, unsigned depth);

static int array(struct fth_value **out, struct toml *t, unsigned depth)
{
    struct fth_value *seq = node(t, FTH_VALUE_SEQ), *item;
    int error = 0;

    if (!seq)
        return oom(t);
    t->p++; /* [ */
    for (;;) {
        skip_blank(t);
        if (t->p < t->end && *t->p == ']') {
            t->p++;
            break;
        }
        if ((error = value(&item, t, depth + 1)) < 0 || (error = seq_push(t, seq, item)) < 0)
            return error;
        skip_blank(t);
        if (t->p < t->end && *t->p == ',') {
            t->p++;
            continue;
        }
        if (t->p < t->end && *t->p == ']') {
            t->p++;
            break;
        }
        return t->p < t->end ? fail(t, "expected ',' or ']' in an array, found '%c'", *t->p)
                             : fail(t, "unterminated array");
    }
    *out = seq;
    return 0;
}

static int assign(struct toml *t, struct fth_value *table, unsigned depth);

/* { a = 1, b.c = "x" } on one line */
static int inline_table(struct fth_value **out, struct toml *t, unsigned depth)
{
    struct fth_value *map = node(t, FTH_VALUE_MAP);
    int error = 0, first = 1;

    if (!map)
        return oom(t);
    t->p++; /* { */
    for (;;) {
        skip_ws(t);
        if (t->p < t->end && *t->p == '}' && first) {
            t->p++;
            break;
        }
        if ((error = assign(t, map, depth + 1)) < 0)
            return error;
        first = 0;
        skip_ws(t);
        if (t->p < t->end && *t->p == ',') {
            t->p++;
            continue;
        }
        if (t->p < t->end && *t->p == '}') {
            t->p++;
            break;
        }
        return t->p < t->end ? fail(t, "expected ',' or '}' in an inline table, found '%c'", *t->p)
                             : fail(t, "unterminated inline table");
    }
    *out = map;
    return 0;
}

/* A date (1979-05-27, or with a time) as written: the advisory-db only ever compares them. */
static size_t date_len(const struct toml *t)
{
    const char *s = t->p;
    size_t i;

    if (t->end - s < 10)
        return 0;
    for (i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return 0;
    while (s + i < t->end && (isalnum((unsigned char)s[i]) || strchr(":.+-", s[i])))
        i++;
    return i;
}

static int scalar(struct fth_value **out, struct toml *t)
{
    const char *s = t->p;
    struct fth_value *v;
    size_t n;
    int64_t x = 0;
    int neg = 0, digits = 0;

    if ((n = date_len(t)) > 0) {
        if (!(v = node(t, FTH_VALUE_STRING)))
            return oom(t);
        if (!(v->u.str.ptr = fth_arena_strndup(t->a, s, n)))
            return FTH_ENOMEM;
        v->u.str.len = n;
        t->p += n;
        *out = v;
        return 0;
    }
    if (t->end - s >= 4 && !memcmp(s, "true", 4) && (s + 4 == t->end || !is_bare(s[4]))) {
        if (!(v = node(t, FTH_VALUE_BOOL)))
            return oom(t);
        v->u.boolean = 1;
        t->p += 4;
        *out = v;
        return 0;
    }
    if (t->end - s >= 5 && !memcmp(s, "false", 5) && (s + 5 == t->end || !is_bare(s[5]))) {
        if (!(v = node(t, FTH_VALUE_BOOL)))
            return oom(t);
        t->p += 5;
        *out = v;
        return 0;
    }
    if (t->p < t->end && (*t->p == '+' || *t->p == '-'))
        neg = *t->p++ == '-';
    if (t->end - t->p > 1 && t->p[0] == '0' && isdigit((unsigned char)t->p[1]))
        return fail(t, "leading zero in an integer");
    while (t->p < t->end && (isdigit((unsigned char)*t->p) || *t->p == '_')) {
        if (*t->p == '_') {
            if (!digits || t->p + 1 >= t->end || !isdigit((unsigned char)t->p[1]))
                return fail(t, "misplaced '_' in an integer");
        } else {
            if (x > (INT64_MAX - (*t->p - '0')) / 10)
                return fail(t, "integer out of range");
            x = x * 10 + (*t->p - '0');
            digits++;
        }
        t->p++;
    }
    if (!digits) {
        t->p = s;
        return t->p < t->end ? fail(t, "expected a value, found '%c'", *t->p)
                             : fail(t, "expected a value, found the end");
    }
    if (t->p < t->end && (*t->p == '.' || *t->p == 'e' || *t->p == 'E' || is_bare(*t->p)))
        return fail(t, "only strings, integers, booleans, dates, arrays and tables are read");
    if (!(v = node(t, FTH_VALUE_INT)))
        return oom(t);
    v->u.integer = neg ? -x : x;
    *out = v;
    return 0;
}

static int value(struct fth_value **out, struct toml *t, unsigned depth)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_value *v;
    unsigned line, col;
    int error = 0;

    *out = NULL;
    if (depth > FTH_LIMIT_DEPTH)
        return fail(t, "values nested deeper than %d", FTH_LIMIT_DEPTH);
    if (t->p >= t->end)
        return fail(t, "expected a value, found the end");
    switch (*t->p) {
    case '[':
        return array(out, t, depth);
    case '{':
        return inline_table(out, t, depth);
    case '"':
    case '\'':
        if (!(v = node(t, FTH_VALUE_STRING))) {
            error = oom(t);
            break;
        }
        v->flags |= FTH_VALUE_QUOTED;
        if ((error = string(t, &b, 1)) < 0)
            break;
        if (b.len > FTH_LIMIT_SCALAR) {
            error = fail(t, "string longer than %zu bytes", FTH_LIMIT_SCALAR);
            break;
        }
        if (!(v->u.str.ptr = fth_arena_strndup(t->a, b.ptr ? b.ptr : "", b.len))) {
            error = FTH_ENOMEM;
            break;
        }
        v->u.str.len = b.len;
        *out = v;
        break;
    default:
        /* located where it starts, not where the scan of it ended */
        line = t->line;
        col = column(t);
        if ((error = scalar(out, t)) == 0) {
            (*out)->line = line;
            (*out)->column = col;
        }
    }
    fth_buf_release(&b);
    return error;
}

/* key = value, into table */
static int assign(struct toml *t, struct fth_value *table, unsigned depth)
{
    struct fth_vec parts;
    struct fth_value *map = table, *last, *v;
    size_t i;
    int error;

    if ((error = key(&parts, t)) < 0)
        return error;
    for (i = 0; i + 1 < parts.len; i++)
        if ((error = descend(&map, t, parts.items[i])) < 0)
            return error;
    last = parts.items[parts.len - 1];
    if (map_find(map, last->u.str.ptr, last->u.str.len))
        return fail(t, "key '%s' defined twice", last->u.str.ptr);
    skip_ws(t);
    if (t->p >= t->end || *t->p != '=')
        return fail(t, "expected '=' after key '%s'", last->u.str.ptr);
    t->p++;
    skip_ws(t);
    if ((error = value(&v, t, depth)) < 0)
        return error;
    return map_put(t, map, last, v);
}

static int header(struct fth_value **table, struct toml *t, struct fth_value *root)
{
    struct fth_vec parts;
    struct fth_value *map = root;
    size_t i;
    int error;

    t->p++; /* [ */
    if (t->p < t->end && *t->p == '[')
        return fail(t, "arrays of tables ('[[...]]') are not read");
    if ((error = key(&parts, t)) < 0)
        return error;
    if (t->p >= t->end || *t->p != ']')
        return fail(t, "expected ']' to close the table header");
    t->p++;
    for (i = 0; i < parts.len; i++)
        if ((error = descend(&map, t, parts.items[i])) < 0)
            return error;
    for (i = 0; i < t->defined.len; i++)
        if (t->defined.items[i] == map)
            return fail(t, "table '%s' defined twice",
                        ((struct fth_value *)parts.items[parts.len - 1])->u.str.ptr);
    if ((error = fth_vec_push(&t->defined, t->a, map)) < 0)
        return error;
    *table = map;
    return end_of_line(t);
}

int vulndb_toml_parse(struct fth_value **out, struct fth_arena *a, const char *name, unsigned line0,
                      const char *text, size_t len, struct fth_error *err)
{
    struct fth_value *root, *table;
    struct toml t;
    int error = 0;

    *out = NULL;
    memset(&t, 0, sizeof(t));
    t.a = a;
    t.name = name;
    t.p = t.bol = text;
    t.end = text + len;
    t.line = line0 ? line0 : 1;
    t.err = err;
    if (!(root = table = node(&t, FTH_VALUE_MAP))) {
        error = oom(&t);
        goto out;
    }
    for (;;) {
        skip_blank(&t);
        if (t.p >= t.end)
            break;
        if (*t.p == '[')
            error = header(&table, &t, root);
        else if ((error = assign(&t, table, 0)) == 0)
            error = end_of_line(&t);
        if (error < 0)
            goto out;
    }
    *out = root;
out:
    return error;
}
