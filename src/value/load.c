/*
 * YAML/JSON loading. The stream is first cut at column-0 document markers ("---", "...",
 * directives): YAML forbids those lines inside a document's content, so the cut is exact, and
 * it lets one broken document fail alone. Each piece is then parsed with libyaml's event API
 * into fth_value nodes carrying their line and column.
 */
#include "fathom/value.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../base/limits.h"
#include "../base/compat.h"
#include "../base/banned.h"

struct anchor {
    const char *name;
    struct fth_value *node;
};

struct frame {
    struct fth_value *node;
    const char *anchor; /* registered when the node is complete */
    struct fth_vec items; /* seq: values; map: alternating keys and values */
};

struct loader {
    struct fth_arena *a;
    const struct fth_load_opts *opts;
    const char *name;
    unsigned line_offset; /* lines before the current piece */
    size_t max_depth, max_nodes, max_alias;
    size_t nodes, alias_nodes;
    struct frame *stack;
    size_t depth, stack_cap;
    struct anchor *anchors; /* open-addressed hash table */
    size_t anchor_cap, anchor_len;
    struct fth_value *root;
    struct fth_error *err;
};

static int fail(struct loader *l, int code, unsigned line, unsigned col, const char *fmt, ...)
    FTH_PRINTF(5, 6);

static int fail(struct loader *l, int code, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fth_error_setv(l->err, code, fmt, ap);
    va_end(ap);
    fth_error_locate(l->err, l->name, line, col);
    return code;
}

/* ---- scalar resolution (YAML 1.1 core as Kubernetes' YAML reader applies it) ---- */

static int one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return 1;
    return 0;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"y",    "Y",  "yes", "Yes", "YES", "true",
                                         "True", "TRUE", "on", "On",  "ON",  NULL};
static const char *const false_words[] = {"n",     "N",     "no",  "No",  "NO",  "false",
                                          "False", "FALSE", "off", "Off", "OFF", NULL};

static int parse_int(const char *s, int64_t *out)
{
    char digits[80];
    size_t n = 0;
    int neg = 0, base = 10;
    const char *p = s;
    char *end;
    unsigned long long u;

    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (!*p)
        return 0;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
        base = 2;
        p += 2;
    } else if (p[0] == '0' && (p[1] == 'o')) {
        base = 8;
        p += 2;
    } else if (p[0] == '0' && p[1]) {
        base = 8;
        p += 1;
    }
    if (!*p || *p == '_')
        return 0;
    for (; *p; p++) {
        int ok;
        if (*p == '_')
            continue;
        ok = base == 16 ? (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
                              (*p >= 'A' && *p <= 'F')
             : base == 2 ? (*p == '0' || *p == '1')
             : base == 8 ? (*p >= '0' && *p <= '7')
                         : (*p >= '0' && *p <= '9');
        if (!ok || n + 1 >= sizeof(digits))
            return 0;
        digits[n++] = *p;
    }
    digits[n] = '\0';
    errno = 0;
    u = strtoull(digits, &end, base);
    if (errno || *end)
        return -1; /* numeric but out of range: becomes a float */
    if (neg) {
        if (u > (unsigned long long)INT64_MAX + 1)
            return -1;
        *out = u == (unsigned long long)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
    } else {
        if (u > (unsigned long long)INT64_MAX)
            return -1;
        *out = (int64_t)u;
    }
    return 1;
}

static int parse_float(const char *s, double *out)
{
    const char *p = s;
    int digits = 0;
    char *end;

    if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF") || !strcmp(s, "+.inf") ||
        !strcmp(s, "+.Inf") || !strcmp(s, "+.INF")) {
        *out = INFINITY;
        return 1;
    }
    if (!strcmp(s, "-.inf") || !strcmp(s, "-.Inf") || !strcmp(s, "-.INF")) {
        *out = -INFINITY;
        return 1;
    }
    if (!strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN")) {
        *out = NAN;
        return 1;
    }
    /* [-+]?([0-9][0-9_]*)?(\.[0-9_]*)?([eE][-+]?[0-9]+)? with at least one digit */
    if (*p == '-' || *p == '+')
        p++;
    while ((*p >= '0' && *p <= '9') || (*p == '_' && digits)) {
        digits += *p != '_';
        p++;
    }
    if (*p == '.') {
        p++;
        while ((*p >= '0' && *p <= '9') || *p == '_') {
            digits += *p != '_';
            p++;
        }
    }
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p)
        return 0;
    if (strchr(s, '_')) {
        char tmp[128];
        size_t n = 0;
        for (p = s; *p && n + 1 < sizeof(tmp); p++)
            if (*p != '_')
                tmp[n++] = *p;
        tmp[n] = '\0';
        *out = strtod(tmp, &end);
    } else {
        *out = strtod(s, &end);
    }
    return 1;
}

static void resolve_plain(struct fth_value *v, const char *tag)
{
    const char *s = v->u.str.ptr;
    int64_t i;
    double d;
    int r;

    if (tag) {
        if (!strcmp(tag, YAML_STR_TAG) || !strcmp(tag, "!") || !strcmp(tag, "tag:yaml.org,2002:binary"))
            return;
    }
    if (strlen(s) != v->u.str.len)
        return;
    if (one_of(s, null_words)) {
        v->type = FTH_VALUE_NULL;
    } else if (one_of(s, true_words)) {
        v->type = FTH_VALUE_BOOL;
        v->u.boolean = 1;
    } else if (one_of(s, false_words)) {
        v->type = FTH_VALUE_BOOL;
        v->u.boolean = 0;
    } else if ((r = parse_int(s, &i)) != 0) {
        if (r > 0) {
            v->type = FTH_VALUE_INT;
            v->u.integer = i;
        } else if (parse_float(s, &d) > 0) {
            v->type = FTH_VALUE_FLOAT;
            v->u.number = d;
        }
    } else if (parse_float(s, &d) > 0) {
        v->type = FTH_VALUE_FLOAT;
        v->u.number = d;
    }
}

/* An explicit tag on a quoted scalar ("!!int '3'") still converts, as YAML says. */
static void resolve_tagged(struct fth_value *v, const char *tag)
{
    const char *s = v->u.str.ptr;
    int64_t i;
    double d;

    if (!strcmp(tag, YAML_INT_TAG) && parse_int(s, &i) > 0) {
        v->type = FTH_VALUE_INT;
        v->u.integer = i;
    } else if (!strcmp(tag, YAML_FLOAT_TAG) && (parse_float(s, &d) > 0 || parse_int(s, &i) > 0)) {
        if (parse_float(s, &d) <= 0)
            d = (double)i;
        v->type = FTH_VALUE_FLOAT;
        v->u.number = d;
    } else if (!strcmp(tag, YAML_BOOL_TAG) && one_of(s, true_words)) {
        v->type = FTH_VALUE_BOOL;
        v->u.boolean = 1;
    } else if (!strcmp(tag, YAML_BOOL_TAG) && one_of(s, false_words)) {
        v->type = FTH_VALUE_BOOL;
        v->u.boolean = 0;
    } else if (!strcmp(tag, YAML_NULL_TAG) && one_of(s, null_words)) {
        v->type = FTH_VALUE_NULL;
    }
}

/* ---- anchors ---- */

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int anchor_put(struct loader *l, const char *name, struct fth_value *node)
{
    size_t i, mask;
    if ((l->anchor_len + 1) * 2 > l->anchor_cap) {
        size_t cap = l->anchor_cap ? l->anchor_cap * 2 : 16, j;
        struct anchor *t = fth_arena_calloc(l->a, cap, sizeof(*t));
        if (!t)
            return FTH_ENOMEM;
        for (j = 0; j < l->anchor_cap; j++) {
            if (!l->anchors[j].name)
                continue;
            for (i = hash_str(l->anchors[j].name) & (cap - 1); t[i].name; i = (i + 1) & (cap - 1))
                ;
            t[i] = l->anchors[j];
        }
        l->anchors = t;
        l->anchor_cap = cap;
    }
    mask = l->anchor_cap - 1;
    for (i = hash_str(name) & mask; l->anchors[i].name; i = (i + 1) & mask) {
        if (!strcmp(l->anchors[i].name, name)) {
            l->anchors[i].node = node; /* a redefined anchor replaces the old one */
            return 0;
        }
    }
    l->anchors[i].name = fth_arena_strdup(l->a, name);
    if (!l->anchors[i].name)
        return FTH_ENOMEM;
    l->anchors[i].node = node;
    l->anchor_len++;
    return 0;
}

static struct fth_value *anchor_get(struct loader *l, const char *name)
{
    size_t i, mask;
    if (!l->anchor_cap)
        return NULL;
    mask = l->anchor_cap - 1;
    for (i = hash_str(name) & mask; l->anchors[i].name; i = (i + 1) & mask)
        if (!strcmp(l->anchors[i].name, name))
            return l->anchors[i].node;
    return NULL;
}

/* ---- tree building ---- */

static struct fth_value *new_node(struct loader *l, enum fth_value_type type, yaml_mark_t mark)
{
    struct fth_value *v = fth_value_new(l->a, type);
    if (v) {
        v->line = (unsigned)mark.line + 1 + l->line_offset;
        v->column = (unsigned)mark.column + 1;
        v->weight = 1;
    }
    return v;
}

static int attach(struct loader *l, struct fth_value *v)
{
    size_t total;
    if (fth_add_overflow(l->nodes, v->flags & FTH_VALUE_ALIAS ? v->weight : 1, &total) ||
        total > l->max_nodes)
        return fail(l, FTH_ELIMIT, v->line, v->column,
                    "document has more than %zu nodes (limit)", l->max_nodes);
    l->nodes = total;
    if (!l->depth) {
        l->root = v;
        return 0;
    }
    return fth_vec_push(&l->stack[l->depth - 1].items, l->a, v);
}

static int push(struct loader *l, struct fth_value *v)
{
    if (l->depth >= l->max_depth)
        return fail(l, FTH_ELIMIT, v->line, v->column,
                    "nesting deeper than %zu levels (limit)", l->max_depth);
    if (l->depth == l->stack_cap) {
        size_t cap = l->stack_cap ? l->stack_cap * 2 : 16;
        struct frame *s = fth_arena_calloc(l->a, cap, sizeof(*s));
        if (!s)
            return FTH_ENOMEM;
        if (l->depth)
            memcpy(s, l->stack, l->depth * sizeof(*s));
        l->stack = s;
        l->stack_cap = cap;
    }
    l->stack[l->depth].node = v;
    l->stack[l->depth].anchor = NULL;
    memset(&l->stack[l->depth].items, 0, sizeof(l->stack[l->depth].items));
    l->depth++;
    return 0;
}

static int key_cmp(const void *pa, const void *pb)
{
    const struct fth_member *a = *(const struct fth_member *const *)pa;
    const struct fth_member *b = *(const struct fth_member *const *)pb;
    size_t n = a->key->u.str.len < b->key->u.str.len ? a->key->u.str.len : b->key->u.str.len;
    int c = memcmp(a->key->u.str.ptr, b->key->u.str.ptr, n);
    if (c)
        return c;
    if (a->key->u.str.len != b->key->u.str.len)
        return a->key->u.str.len < b->key->u.str.len ? -1 : 1;
    /* keep document order among equal keys so the message names the first one */
    return a < b ? -1 : a > b;
}

static int check_duplicates(struct loader *l, struct fth_value *map)
{
    size_t n = map->u.map.len, i, j;
    struct fth_member **sorted;

    if (n < 2)
        return 0;
    if (n <= 16) {
        for (i = 0; i < n; i++)
            for (j = i + 1; j < n; j++) {
                struct fth_value *a = map->u.map.items[i].key, *b = map->u.map.items[j].key;
                if (a->u.str.ptr && b->u.str.ptr && a->u.str.len == b->u.str.len &&
                    !memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len))
                    return fail(l, FTH_EINVALID, b->line, b->column,
                                "duplicate key '%s' (first at line %u)", b->u.str.ptr, a->line);
            }
        return 0;
    }
    sorted = fth_arena_calloc(l->a, n, sizeof(*sorted));
    if (!sorted)
        return FTH_ENOMEM;
    for (i = 0; i < n; i++)
        sorted[i] = &map->u.map.items[i];
    qsort(sorted, n, sizeof(*sorted), key_cmp);
    for (i = 1; i < n; i++) {
        struct fth_value *a = sorted[i - 1]->key, *b = sorted[i]->key;
        if (a->u.str.len == b->u.str.len && !memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len))
            return fail(l, FTH_EINVALID, b->line, b->column,
                        "duplicate key '%s' (first at line %u)", b->u.str.ptr, a->line);
    }
    return 0;
}

static int has_key(const struct fth_value *map, size_t upto, const struct fth_value *key)
{
    size_t i;
    for (i = 0; i < upto; i++) {
        const struct fth_value *k = map->u.map.items[i].key;
        if (k->u.str.ptr && key->u.str.ptr && k->u.str.len == key->u.str.len &&
            !memcmp(k->u.str.ptr, key->u.str.ptr, k->u.str.len))
            return 1;
    }
    return 0;
}

static int is_merge_key(const struct fth_value *k)
{
    return k->type == FTH_VALUE_STRING && !(k->flags & FTH_VALUE_QUOTED) && k->u.str.len == 2 &&
           !memcmp(k->u.str.ptr, "<<", 2);
}

/* Apply "<<" merge keys: explicit keys win, earlier merged maps win over later ones. */
static int apply_merges(struct loader *l, struct fth_value *map, struct fth_vec *items)
{
    size_t i, j, k, n = items->len / 2, out = 0, extra = 0;
    struct fth_member *m;

    for (i = 0; i < n; i++) {
        struct fth_value *key = items->items[2 * i], *val = items->items[2 * i + 1];
        if (!is_merge_key(key))
            continue;
        if (val->type == FTH_VALUE_MAP) {
            extra += val->u.map.len;
        } else if (val->type == FTH_VALUE_SEQ) {
            for (j = 0; j < val->u.seq.len; j++) {
                if (val->u.seq.items[j]->type != FTH_VALUE_MAP)
                    return fail(l, FTH_EINVALID, val->u.seq.items[j]->line,
                                val->u.seq.items[j]->column,
                                "merge key '<<' expects mappings, found %s",
                                fth_value_type_name(val->u.seq.items[j]->type));
                extra += val->u.seq.items[j]->u.map.len;
            }
        } else {
            return fail(l, FTH_EINVALID, val->line, val->column,
                        "merge key '<<' expects a mapping or a sequence of mappings, found %s",
                        fth_value_type_name(val->type));
        }
    }
    m = fth_arena_calloc(l->a, n + extra, sizeof(*m));
    if (!m && n + extra)
        return FTH_ENOMEM;
    for (i = 0; i < n; i++) {
        if (is_merge_key(items->items[2 * i]))
            continue;
        m[out].key = items->items[2 * i];
        m[out].value = items->items[2 * i + 1];
        out++;
    }
    map->u.map.items = m;
    for (i = 0; i < n; i++) {
        struct fth_value *val = items->items[2 * i + 1];
        size_t count = val->type == FTH_VALUE_SEQ ? val->u.seq.len : 1;
        if (!is_merge_key(items->items[2 * i]))
            continue;
        for (j = 0; j < count; j++) {
            struct fth_value *src = val->type == FTH_VALUE_SEQ ? val->u.seq.items[j] : val;
            for (k = 0; k < src->u.map.len; k++) {
                if (has_key(map, out, src->u.map.items[k].key))
                    continue;
                m[out++] = src->u.map.items[k];
            }
        }
    }
    map->u.map.len = out;
    return 0;
}

static int pop(struct loader *l)
{
    struct frame *f = &l->stack[--l->depth];
    struct fth_value *v = f->node;
    size_t i, weight = 1;
    int error = 0, merges = 0;

    if (v->type == FTH_VALUE_SEQ) {
        v->u.seq.items = (struct fth_value **)f->items.items;
        v->u.seq.len = f->items.len;
        for (i = 0; i < f->items.len; i++)
            weight += v->u.seq.items[i]->weight;
    } else {
        size_t n = f->items.len / 2;
        for (i = 0; i < f->items.len; i++) {
            struct fth_value *item = f->items.items[i];
            weight += item->weight;
            if (i % 2)
                continue;
            if (item->type == FTH_VALUE_SEQ || item->type == FTH_VALUE_MAP)
                return fail(l, FTH_EINVALID, item->line, item->column,
                            "expected a scalar mapping key, found %s",
                            fth_value_type_name(item->type));
            if (is_merge_key(item))
                merges = 1;
        }
        if (merges) {
            if ((error = apply_merges(l, v, &f->items)) < 0)
                return error;
        } else {
            v->u.map.items = fth_arena_calloc(l->a, n ? n : 1, sizeof(struct fth_member));
            if (!v->u.map.items)
                return FTH_ENOMEM;
            for (i = 0; i < n; i++) {
                v->u.map.items[i].key = f->items.items[2 * i];
                v->u.map.items[i].value = f->items.items[2 * i + 1];
            }
            v->u.map.len = n;
        }
        if ((error = check_duplicates(l, v)) < 0)
            return error;
    }
    v->weight = weight;
    /* An alias inside its own anchor found nothing above: anchors exist once complete. */
    if (f->anchor && (error = anchor_put(l, f->anchor, v)) < 0)
        return error;
    return attach(l, v);
}

static int scalar_node(struct loader *l, const yaml_event_t *ev, struct fth_value **out)
{
    const char *tag = (const char *)ev->data.scalar.tag;
    size_t len = ev->data.scalar.length;
    struct fth_value *v;

    if (len > FTH_LIMIT_SCALAR)
        return fail(l, FTH_ELIMIT, (unsigned)ev->start_mark.line + 1 + l->line_offset,
                    (unsigned)ev->start_mark.column + 1, "scalar of %zu bytes (limit %zu)", len,
                    (size_t)FTH_LIMIT_SCALAR);
    v = new_node(l, FTH_VALUE_STRING, ev->start_mark);
    if (!v)
        return FTH_ENOMEM;
    v->u.str.ptr = fth_arena_strndup(l->a, (const char *)ev->data.scalar.value, len);
    if (!v->u.str.ptr)
        return FTH_ENOMEM;
    v->u.str.len = len;
    /* Keys stay the text written: Kubernetes turns every key into a string anyway. */
    if (l->depth && l->stack[l->depth - 1].node->type == FTH_VALUE_MAP &&
        l->stack[l->depth - 1].items.len % 2 == 0) {
        if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
            v->flags |= FTH_VALUE_QUOTED;
    } else if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.plain_implicit &&
        tag) {
        resolve_tagged(v, tag);
    } else if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        resolve_plain(v, tag);
    } else {
        v->flags |= FTH_VALUE_QUOTED;
        if (tag && !ev->data.scalar.quoted_implicit)
            resolve_tagged(v, tag);
    }
    *out = v;
    return 0;
}

static int handle_event(struct loader *l, const yaml_event_t *ev)
{
    struct fth_value *v = NULL;
    const char *anchor = NULL;
    int error = 0;

    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if ((error = scalar_node(l, ev, &v)) < 0)
            return error;
        anchor = (const char *)ev->data.scalar.anchor;
        if (anchor && (error = anchor_put(l, anchor, v)) < 0)
            return error;
        return attach(l, v);
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        struct fth_value *target = anchor_get(l, name);
        size_t total;
        if (!target)
            return fail(l, FTH_EINVALID, (unsigned)ev->start_mark.line + 1 + l->line_offset,
                        (unsigned)ev->start_mark.column + 1,
                        "alias '*%s' refers to no anchor defined before it", name);
        if (fth_add_overflow(l->alias_nodes, target->weight, &total) || total > l->max_alias)
            return fail(l, FTH_ELIMIT, (unsigned)ev->start_mark.line + 1 + l->line_offset,
                        (unsigned)ev->start_mark.column + 1,
                        "aliases expand to more than %zu nodes (limit; an alias bomb?)",
                        l->max_alias);
        l->alias_nodes = total;
        /* The alias shares its anchor's node: memory stays bounded, the count does not lie. */
        v = fth_value_new(l->a, target->type);
        if (!v)
            return FTH_ENOMEM;
        *v = *target;
        v->flags |= FTH_VALUE_ALIAS;
        v->line = (unsigned)ev->start_mark.line + 1 + l->line_offset;
        v->column = (unsigned)ev->start_mark.column + 1;
        return attach(l, v);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        v = new_node(l, ev->type == YAML_SEQUENCE_START_EVENT ? FTH_VALUE_SEQ : FTH_VALUE_MAP,
                     ev->start_mark);
        if (!v)
            return FTH_ENOMEM;
        anchor = ev->type == YAML_SEQUENCE_START_EVENT
                     ? (const char *)ev->data.sequence_start.anchor
                     : (const char *)ev->data.mapping_start.anchor;
        if ((error = push(l, v)) < 0)
            return error;
        if (anchor && !(l->stack[l->depth - 1].anchor = fth_arena_strdup(l->a, anchor)))
            return FTH_ENOMEM;
        return 0;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return pop(l);
    default:
        return 0;
    }
}

/* ---- JSON through jansson, for JSON that libyaml's YAML 1.1 reader refuses ---- */

static int from_json(struct loader *l, json_t *j, unsigned line, size_t depth,
                     struct fth_value **out)
{
    struct fth_value *v = NULL;
    yaml_mark_t mark = {0, line ? line - 1 - l->line_offset : 0, 0};
    size_t i, total;
    int error = 0;

    if (depth > l->max_depth)
        return fail(l, FTH_ELIMIT, line, 0, "nesting deeper than %zu levels (limit)",
                    l->max_depth);
    if (fth_add_overflow(l->nodes, 1, &total) || total > l->max_nodes)
        return fail(l, FTH_ELIMIT, line, 0, "document has more than %zu nodes (limit)",
                    l->max_nodes);
    l->nodes = total;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *val;
        size_t n = json_object_size(j);
        v = new_node(l, FTH_VALUE_MAP, mark);
        if (!v || !(v->u.map.items = fth_arena_calloc(l->a, n ? n : 1, sizeof(struct fth_member))))
            return FTH_ENOMEM;
        json_object_foreach(j, key, val)
        {
            struct fth_member *m = &v->u.map.items[v->u.map.len++];
            if (!(m->key = fth_value_new_str(l->a, key, strlen(key))))
                return FTH_ENOMEM;
            m->key->line = v->line;
            if ((error = from_json(l, val, line, depth + 1, &m->value)) < 0)
                return error;
            v->weight += m->value->weight + 1;
        }
        break;
    }
    case JSON_ARRAY:
        v = new_node(l, FTH_VALUE_SEQ, mark);
        if (!v || !(v->u.seq.items = fth_arena_calloc(l->a, json_array_size(j) + 1,
                                                      sizeof(struct fth_value *))))
            return FTH_ENOMEM;
        for (i = 0; i < json_array_size(j); i++) {
            if ((error = from_json(l, json_array_get(j, i), line, depth + 1,
                                   &v->u.seq.items[i])) < 0)
                return error;
            v->weight += v->u.seq.items[i]->weight;
            v->u.seq.len++;
        }
        break;
    case JSON_STRING:
        if (!(v = fth_value_new_str(l->a, json_string_value(j), json_string_length(j))))
            return FTH_ENOMEM;
        v->flags |= FTH_VALUE_QUOTED;
        v->line = line;
        break;
    case JSON_INTEGER:
        if (!(v = new_node(l, FTH_VALUE_INT, mark)))
            return FTH_ENOMEM;
        v->u.integer = json_integer_value(j);
        break;
    case JSON_REAL:
        if (!(v = new_node(l, FTH_VALUE_FLOAT, mark)))
            return FTH_ENOMEM;
        v->u.number = json_real_value(j);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        if (!(v = new_node(l, FTH_VALUE_BOOL, mark)))
            return FTH_ENOMEM;
        v->u.boolean = json_is_true(j);
        break;
    default:
        if (!(v = new_node(l, FTH_VALUE_NULL, mark)))
            return FTH_ENOMEM;
        break;
    }
    *out = v;
    return 0;
}

/* ---- splitting a stream into documents ---- */

struct piece {
    const char *ptr;
    size_t len;
    unsigned line; /* 1-based line of its first byte */
    int is_doc;    /* has content or an explicit "---" */
};

static int is_marker(const char *p, const char *end, char c)
{
    if (end - p < 3 || p[0] != c || p[1] != c || p[2] != c)
        return 0;
    return end - p == 3 || p[3] == ' ' || p[3] == '\t' || p[3] == '\n' || p[3] == '\r';
}

/* A line with something other than blanks or a comment (after skip bytes). */
static int has_content(const char *p, const char *eol)
{
    for (; p < eol; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r')
            continue;
        return *p != '#';
    }
    return 0;
}

struct splitter {
    struct fth_arena *a;
    struct fth_vec pieces;
    size_t max;
};

static int emit_piece(struct splitter *sp, const char *start, const char *end, unsigned line,
                      int is_doc)
{
    struct piece *p;
    if (!is_doc)
        return 0;
    if (sp->pieces.len >= sp->max)
        return FTH_ELIMIT;
    if (!(p = fth_arena_alloc(sp->a, sizeof(*p))))
        return FTH_ENOMEM;
    p->ptr = start;
    p->len = (size_t)(end - start);
    p->line = line;
    p->is_doc = is_doc;
    return fth_vec_push(&sp->pieces, sp->a, p);
}

static int split_stream(struct splitter *sp, const char *data, size_t len)
{
    const char *p = data, *end = data + len, *start = data;
    unsigned line = 1, start_line = 1;
    int content = 0, explicit_start = 0, error;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        if (!eol)
            eol = end;
        if (is_marker(p, eol, '-')) {
            if (content || explicit_start) {
                if ((error = emit_piece(sp, start, p, start_line, 1)) < 0)
                    return error;
                start = p;
                start_line = line;
                content = 0;
            }
            explicit_start = 1;
            if (has_content(p + 3, eol))
                content = 1;
        } else if (is_marker(p, eol, '.')) {
            if ((error = emit_piece(sp, start, next, start_line, content || explicit_start)) < 0)
                return error;
            start = next;
            start_line = line + 1;
            content = explicit_start = 0;
        } else if (*p == '%' && (content || explicit_start)) {
            if ((error = emit_piece(sp, start, p, start_line, 1)) < 0)
                return error;
            start = p;
            start_line = line;
            content = explicit_start = 0;
        } else if (*p != '%' && has_content(p, eol)) {
            content = 1;
        }
        p = next;
        line++;
    }
    return emit_piece(sp, start, end, start_line, content || explicit_start);
}

/* ---- one document ---- */

static void yaml_failure(struct loader *l, const yaml_parser_t *parser)
{
    const char *problem = parser->problem ? parser->problem : "cannot parse";
    unsigned line = (unsigned)parser->problem_mark.line + 1 + l->line_offset;
    unsigned col = (unsigned)parser->problem_mark.column + 1;

    if (parser->error == YAML_MEMORY_ERROR) {
        fail(l, FTH_ENOMEM, line, col, "out of memory");
    } else if (parser->context) {
        fail(l, FTH_EINVALID, line, col, "%s (%s at line %u)", problem, parser->context,
             (unsigned)parser->context_mark.line + 1 + l->line_offset);
    } else {
        fail(l, FTH_EINVALID, line, col, "%s", problem);
    }
}

static int parse_yaml_piece(struct loader *l, const char *data, size_t len)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    int error = 0, done = 0, docs = 0;

    if (!yaml_parser_initialize(&parser))
        return fail(l, FTH_ENOMEM, 0, 0, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            yaml_failure(l, &parser);
            error = l->err && l->err->code ? l->err->code : FTH_EINVALID;
            break;
        }
        if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            error = fail(l, FTH_EINVALID, (unsigned)ev.start_mark.line + 1 + l->line_offset,
                         (unsigned)ev.start_mark.column + 1,
                         "expected the end of the document, found another document");
        } else if (ev.type == YAML_STREAM_END_EVENT) {
            done = 1;
        } else {
            error = handle_event(l, &ev);
        }
        yaml_event_delete(&ev);
        if (error < 0)
            break;
    }
    yaml_parser_delete(&parser);
    return error;
}

static int looks_like_json(const char *p, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
            continue;
        return p[i] == '{' || p[i] == '[';
    }
    return 0;
}

static void reset(struct loader *l)
{
    l->nodes = l->alias_nodes = 0;
    l->depth = 0;
    l->anchors = NULL;
    l->anchor_cap = l->anchor_len = 0;
    l->root = NULL;
}

static int add_doc(struct fth_vec *docs, struct fth_arena *a, struct fth_value *root,
                   unsigned line, struct fth_error *doc_err)
{
    struct fth_document *d = fth_arena_alloc(a, sizeof(*d));
    if (!d)
        return FTH_ENOMEM;
    d->root = root;
    d->line = line;
    d->index = (unsigned)docs->len;
    d->error = doc_err;
    return fth_vec_push(docs, a, d);
}

/* Concatenated JSON values (one per document), used when libyaml refused the piece. */
static int load_json_piece(struct loader *l, struct fth_vec *docs, const struct piece *pc)
{
    size_t off = 0;
    int error = 0, any = 0;

    while (off < pc->len) {
        json_error_t jerr;
        json_t *j;
        size_t i;
        struct fth_value *root = NULL;

        for (i = off; i < pc->len && strchr(" \t\r\n", pc->ptr[i]) && pc->ptr[i]; i++)
            ;
        if (i == pc->len)
            break;
        off = i;
        j = json_loadb(pc->ptr + off, pc->len - off,
                       JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, &jerr);
        if (!j) {
            unsigned line = (unsigned)(jerr.line > 0 ? jerr.line : 1) + pc->line - 1;
            /* line is relative to off: count the newlines skipped before it */
            for (i = 0; i < off; i++)
                line += pc->ptr[i] == '\n';
            return fail(l, FTH_EINVALID, line, jerr.column > 0 ? (unsigned)jerr.column : 0,
                        "expected JSON: %s", jerr.text);
        }
        reset(l);
        {
            unsigned line = pc->line;
            for (i = 0; i < off; i++)
                line += pc->ptr[i] == '\n';
            error = from_json(l, j, line, 0, &root);
            if (error == 0)
                error = add_doc(docs, l->a, root, line, NULL);
        }
        off += jerr.position;
        json_decref(j);
        if (error < 0)
            return error;
        any = 1;
    }
    (void)any;
    return 0;
}

static int load_piece(struct loader *l, struct fth_vec *docs, const struct piece *pc,
                      int json_hint)
{
    struct fth_error *doc_err = fth_arena_alloc(l->a, sizeof(*doc_err));
    int error;

    if (!doc_err)
        return FTH_ENOMEM;
    reset(l);
    l->err = doc_err;
    l->line_offset = pc->line - 1;
    error = parse_yaml_piece(l, pc->ptr, pc->len);
    if (error == 0)
        return add_doc(docs, l->a, l->root, pc->line, NULL);
    if (error == FTH_ENOMEM)
        return error;
    if (error == FTH_EINVALID && (json_hint || looks_like_json(pc->ptr, pc->len))) {
        size_t before = docs->len;
        struct fth_error yerr = *doc_err;
        fth_error_clear(doc_err);
        error = load_json_piece(l, docs, pc);
        if (error == 0)
            return 0;
        if (error == FTH_ENOMEM)
            return error;
        docs->len = before;
        if (!looks_like_json(pc->ptr, pc->len))
            *doc_err = yerr;
    }
    doc_err->code = doc_err->code ? doc_err->code : error;
    return add_doc(docs, l->a, NULL, pc->line, doc_err);
}

int fth_value_load(struct fth_stream *out, struct fth_arena *a, const char *data, size_t len,
                   const struct fth_load_opts *opts, struct fth_error *err)
{
    static const struct fth_load_opts defaults = FTH_LOAD_OPTS_INIT;
    struct splitter sp;
    struct loader l;
    struct fth_vec docs = {0};
    size_t i, probe = len < 8192 ? len : 8192;
    int error = 0, utf16;

    if (!opts)
        opts = &defaults;
    memset(out, 0, sizeof(*out));
    memset(&l, 0, sizeof(l));
    l.a = a;
    l.opts = opts;
    l.name = opts->name;
    l.max_depth = opts->max_depth ? opts->max_depth : FTH_LIMIT_DEPTH;
    l.max_nodes = opts->max_nodes ? opts->max_nodes : FTH_LIMIT_NODES;
    l.max_alias = opts->max_alias_nodes ? opts->max_alias_nodes : FTH_LIMIT_ALIAS_NODES;

    utf16 = len >= 2 && (((unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xfe) ||
                         ((unsigned char)data[0] == 0xfe && (unsigned char)data[1] == 0xff));
    if (!utf16 && memchr(data, '\0', probe)) {
        error = fth_error_set(err, FTH_EINVALID,
                              "expected YAML or JSON text, found binary data");
        fth_error_locate(err, opts->name, 0, 0);
        return error;
    }
    memset(&sp, 0, sizeof(sp));
    sp.a = a;
    sp.max = opts->max_documents ? opts->max_documents : FTH_LIMIT_DOCUMENTS;
    if (utf16) {
        /* Markers cannot be found by byte: libyaml reads the whole stream as one piece. */
        error = emit_piece(&sp, data, data + len, 1, 1);
    } else {
        /* A UTF-8 byte order mark stays in the first piece; libyaml skips it. */
        error = split_stream(&sp, data, len);
    }
    if (error == FTH_ELIMIT) {
        error = fth_error_set(err, FTH_ELIMIT, "more than %zu documents (limit)", sp.max);
        fth_error_locate(err, opts->name, 0, 0);
        return error;
    }
    if (error < 0)
        return fth_error_set(err, error, "out of memory");

    for (i = 0; i < sp.pieces.len; i++) {
        if ((error = load_piece(&l, &docs, sp.pieces.items[i], opts->flags & FTH_LOAD_JSON)) < 0)
            return fth_error_set(err, error, "out of memory");
    }
    out->docs = fth_arena_calloc(a, docs.len ? docs.len : 1, sizeof(*out->docs));
    if (!out->docs)
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    for (i = 0; i < docs.len; i++) {
        out->docs[i] = *(struct fth_document *)docs.items[i];
        out->docs[i].index = (unsigned)i;
    }
    out->len = docs.len;
    return 0;
}

int fth_value_load_one(struct fth_value **out, struct fth_arena *a, const char *data, size_t len,
                       const struct fth_load_opts *opts, struct fth_error *err)
{
    struct fth_stream s;
    int error;

    *out = NULL;
    if ((error = fth_value_load(&s, a, data, len, opts, err)) < 0)
        return error;
    if (s.len > 1) {
        error = fth_error_set(err, FTH_EINVALID, "expected one document, found %zu", s.len);
        fth_error_locate(err, opts ? opts->name : NULL, s.docs[1].line, 1);
        return error;
    }
    if (s.len == 1 && s.docs[0].error) {
        if (err)
            *err = *s.docs[0].error;
        return s.docs[0].error->code;
    }
    *out = s.len && s.docs[0].root ? s.docs[0].root : fth_value_new(a, FTH_VALUE_NULL);
    return *out ? 0 : fth_error_set(err, FTH_ENOMEM, "out of memory");
}
