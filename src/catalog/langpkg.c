/*
 * Helpers shared by the language catalogers. The SPDX check here is deliberately small: a
 * list of the licence ids that cover nearly every package in the npm, PyPI, RubyGems,
 * Packagist and NuGet registries. Anything else keeps its declared value with an empty
 * .spdx until the licence module normalises it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "langpkg_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

static const char *const spdx_ids[] = {
    "0BSD",
    "AFL-2.1",
    "AFL-3.0",
    "AGPL-1.0",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.0",
    "Apache-1.1",
    "Apache-2.0",
    "APSL-2.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "BlueOak-1.0.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-4-Clause",
    "BSL-1.0",
    "bzip2-1.0.6",
    "CAL-1.0",
    "CC-BY-1.0",
    "CC-BY-2.0",
    "CC-BY-2.5",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "CECILL-2.1",
    "CPL-1.0",
    "curl",
    "ECL-2.0",
    "EFL-2.0",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.1",
    "EUPL-1.2",
    "FTL",
    "GFDL-1.3",
    "GPL-1.0",
    "GPL-1.0-only",
    "GPL-1.0-or-later",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "HPND",
    "ICU",
    "IJG",
    "IPL-1.0",
    "ISC",
    "JSON",
    "LGPL-2.0",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "Libpng",
    "libpng-2.0",
    "libtiff",
    "LPPL-1.3c",
    "MirOS",
    "MIT",
    "MIT-0",
    "MIT-CMU",
    "MPL-1.0",
    "MPL-1.1",
    "MPL-2.0",
    "MPL-2.0-no-copyleft-exception",
    "MS-PL",
    "MS-RL",
    "MulanPSL-2.0",
    "NCSA",
    "OFL-1.1",
    "OLDAP-2.8",
    "OpenSSL",
    "OSL-3.0",
    "PHP-3.0",
    "PHP-3.01",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0",
    "Python-2.0.1",
    "Ruby",
    "SISSL",
    "Sleepycat",
    "SSPL-1.0",
    "Unicode-3.0",
    "Unicode-DFS-2015",
    "Unicode-DFS-2016",
    "Unlicense",
    "UPL-1.0",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "ZPL-2.0",
    "ZPL-2.1",
};

static const char *const spdx_exceptions[] = {
    "Autoconf-exception-3.0",
    "Bison-exception-2.2",
    "Classpath-exception-2.0",
    "FLTK-exception",
    "GCC-exception-3.1",
    "LLVM-exception",
    "OpenJDK-assembly-exception-1.0",
    "openvpn-openssl-exception",
    "Qt-LGPL-exception-1.1",
};

void lang_trim(const char **s, size_t *len)
{
    while (*len && strchr(" \t\r\n", (*s)[0]))
        (*s)++, (*len)--;
    while (*len && strchr(" \t\r\n", (*s)[*len - 1]))
        (*len)--;
}

int lang_ends_with_ci(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);

    return len >= n && !strncasecmp(s + len - n, suffix, n);
}

static const char *lookup(const char *const *list, size_t n, const char *tok, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && !strncasecmp(list[i], tok, len))
            return list[i];
    return NULL;
}

/*
 * Expression grammar (SPDX annex D, without nesting limits beyond the value's length):
 * ids joined by AND / OR / WITH, parentheses, an id may end in '+', LicenseRef- ids pass.
 */
const char *lang_spdx(struct fth_arena *a, const char *value)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *p = value, *out = "";
    int want_id = 1, after_with = 0, depth = 0, ok = 1;

    while (ok && *p) {
        const char *t = p;
        size_t n;

        if (*p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        if (*p == '(' || *p == ')') {
            if (*p == '(' ? !want_id : (want_id || --depth < 0))
                ok = 0;
            else if (*p == '(')
                depth++;
            ok = ok && fth_buf_putc(&b, *p) == 0;
            p++;
            continue;
        }
        while (*p && *p != ' ' && *p != '\t' && *p != '(' && *p != ')')
            p++;
        n = (size_t)(p - t);
        if (!want_id) {
            if (n == 3 && !strncasecmp(t, "AND", 3)) {
                ok = fth_buf_puts(&b, " AND ") == 0;
            } else if (n == 2 && !strncasecmp(t, "OR", 2)) {
                ok = fth_buf_puts(&b, " OR ") == 0;
            } else if (n == 4 && !strncasecmp(t, "WITH", 4)) {
                ok = fth_buf_puts(&b, " WITH ") == 0;
                after_with = 1;
            } else {
                ok = 0;
            }
            want_id = 1;
            continue;
        }
        if (after_with) {
            const char *e =
                lookup(spdx_exceptions, sizeof(spdx_exceptions) / sizeof(*spdx_exceptions), t, n);

            ok = e && fth_buf_puts(&b, e) == 0;
            after_with = 0;
        } else if (n > 11 && !strncmp(t, "LicenseRef-", 11)) {
            ok = fth_buf_put(&b, t, n) == 0;
        } else {
            int plus = n > 1 && t[n - 1] == '+';
            const char *id = lookup(spdx_ids, sizeof(spdx_ids) / sizeof(*spdx_ids), t, n - plus);

            ok = id && fth_buf_puts(&b, id) == 0 && (!plus || fth_buf_putc(&b, '+') == 0);
        }
        want_id = 0;
    }
    if (ok && !want_id && !after_with && depth == 0 && b.len)
        out = fth_arena_strndup(a, b.ptr, b.len);
    fth_buf_release(&b);
    return out;
}

/* Lists this long or longer look repeats up in an index instead of scanning. */
#define LIST_SCAN 16

int lang_license_add(struct fth_arena *a, struct lang_licenses *l, const char *value, size_t len)
{
    struct fth_license *lic;
    const char *v;
    int error;

    lang_trim(&value, &len);
    if (!lang_name_ok(value, len))
        return 0;
    if (!(v = fth_arena_strndup(a, value, len)))
        return FTH_ENOMEM;
    if (l->n < LIST_SCAN) {
        for (size_t i = 0; i < l->n; i++)
            if (!strcmp(l->v[i].value, v))
                return 0;
    } else if (lang_index_get(&l->ix, v)) {
        return 0;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        struct fth_license *nv = fth_arena_calloc(a, cap, sizeof(*nv));

        if (!nv)
            return FTH_ENOMEM;
        if (l->n)
            memcpy(nv, l->v, l->n * sizeof(*nv));
        l->v = nv;
        l->cap = cap;
    }
    lic = &l->v[l->n];
    lic->value = v;
    if (!(lic->spdx = lang_spdx(a, v)))
        return FTH_ENOMEM;
    l->n++;
    if (l->n == LIST_SCAN) {
        for (size_t i = 0; i < l->n; i++)
            if ((error = lang_index_put(a, &l->ix, l->v[i].value, (void *)l->v[i].value)) < 0)
                return error;
    } else if (l->n > LIST_SCAN && (error = lang_index_put(a, &l->ix, v, (void *)v)) < 0) {
        return error;
    }
    return 0;
}

int lang_str_add(struct fth_arena *a, struct lang_strs *l, const char *s, size_t len)
{
    const char *v;
    int error;

    lang_trim(&s, &len);
    if (!lang_name_ok(s, len))
        return 0;
    if (!(v = fth_arena_strndup(a, s, len)))
        return FTH_ENOMEM;
    if (l->n < LIST_SCAN) {
        for (size_t i = 0; i < l->n; i++)
            if (!strcmp(l->v[i], v))
                return 0;
    } else if (lang_index_get(&l->ix, v)) {
        return 0;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        const char **nv = fth_arena_calloc(a, cap, sizeof(*nv));

        if (!nv)
            return FTH_ENOMEM;
        if (l->n)
            memcpy(nv, l->v, l->n * sizeof(*nv));
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = v;
    if (l->n == LIST_SCAN) {
        for (size_t i = 0; i < l->n; i++)
            if ((error = lang_index_put(a, &l->ix, l->v[i], (void *)l->v[i])) < 0)
                return error;
    } else if (l->n > LIST_SCAN && (error = lang_index_put(a, &l->ix, v, (void *)v)) < 0) {
        return error;
    }
    return 0;
}

/* FNV-1a */
static size_t hash(const char *s)
{
    size_t h = (size_t)14695981039346656037ULL;

    while (*s)
        h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ULL;
    return h;
}

void *lang_index_get(const struct lang_index *ix, const char *key)
{
    if (!ix->cap)
        return NULL;
    for (size_t i = hash(key) & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
        if (!ix->keys[i])
            return NULL;
        if (!strcmp(ix->keys[i], key))
            return ix->vals[i];
    }
}

static void index_insert(struct lang_index *ix, const char *key, void *val)
{
    size_t i = hash(key) & (ix->cap - 1);

    while (ix->keys[i])
        i = (i + 1) & (ix->cap - 1);
    ix->keys[i] = key;
    ix->vals[i] = val;
    ix->n++;
}

int lang_index_put(struct fth_arena *a, struct lang_index *ix, const char *key, void *val)
{
    /* keep the table at most half full; the old one stays in the arena (per-file scratch) */
    if ((ix->n + 1) * 2 > ix->cap) {
        struct lang_index bigger;
        size_t cap = ix->cap ? ix->cap * 2 : 64;

        bigger.n = 0;
        bigger.cap = cap;
        bigger.keys = fth_arena_calloc(a, cap, sizeof(*bigger.keys));
        bigger.vals = fth_arena_calloc(a, cap, sizeof(*bigger.vals));
        if (!bigger.keys || !bigger.vals)
            return FTH_ENOMEM;
        for (size_t i = 0; i < ix->cap; i++)
            if (ix->keys[i])
                index_insert(&bigger, ix->keys[i], ix->vals[i]);
        *ix = bigger;
    }
    index_insert(ix, key, val);
    return 0;
}

int lang_index_members(struct fth_arena *a, struct lang_index *ix, const struct fth_value *v)
{
    int error = 0;

    for (size_t i = 0; error == 0 && v && v->type == FTH_VALUE_MAP && i < v->u.map.len; i++) {
        const struct fth_member *m = &v->u.map.items[i];

        if (m->key->type == FTH_VALUE_STRING && !lang_index_get(ix, m->key->u.str.ptr))
            error = lang_index_put(a, ix, m->key->u.str.ptr, (void *)m->value);
    }
    for (size_t i = 0; error == 0 && v && v->type == FTH_VALUE_SEQ && i < v->u.seq.len; i++) {
        const struct fth_value *item = v->u.seq.items[i];

        if (item->type == FTH_VALUE_STRING && !lang_index_get(ix, item->u.str.ptr))
            error = lang_index_put(a, ix, item->u.str.ptr, (void *)item);
    }
    return error;
}

struct fth_package *lang_add(struct cat_sink *s, const struct cat_file *f, const char *type,
                             const char *ecosystem, const char *name, size_t name_len,
                             const char *version, size_t version_len)
{
    struct fth_arena *a = cat_arena(s);
    struct fth_package *p = cat_add(s, f);

    if (!p)
        return NULL;
    p->type = type;
    p->ecosystem = ecosystem;
    if (!(p->name = fth_arena_strndup(a, name, name_len)) ||
        !(p->version = fth_arena_strndup(a, version ? version : "", version ? version_len : 0)))
        return NULL;
    return p;
}

const struct fth_value *lang_load(struct cat_sink *s, const struct cat_file *f,
                                  struct fth_arena *scratch, int json)
{
    struct fth_load_opts opts = FTH_LOAD_OPTS_INIT;
    struct fth_value *root = NULL;
    const char *data = (const char *)f->data;
    size_t len = f->len;
    struct fth_error err;

    fth_error_clear(&err);
    opts.flags = json ? FTH_LOAD_JSON : 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        data += 3; /* a UTF-8 byte order mark, as Windows editors write package.json */
        len -= 3;
    }
    if (fth_value_load_one(&root, scratch, data, len, &opts, &err) < 0) {
        cat_warn(s, f, err.line, "%s", err.message);
        return NULL;
    }
    return root;
}

const char *lang_scalar(struct fth_arena *a, const struct fth_value *v)
{
    if (v && v->type == FTH_VALUE_STRING)
        return v->u.str.ptr;
    if (v && v->type == FTH_VALUE_INT)
        return fth_arena_printf(a, "%lld", (long long)v->u.integer);
    return NULL;
}

static int b64(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

const char *lang_sri_digest(struct fth_arena *a, const char *sri)
{
    static const struct {
        const char *algo;
        size_t bytes;
    } algos[] = {{"sha1", 20}, {"sha256", 32}, {"sha384", 48}, {"sha512", 64}};
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[64];
    char out[7 + 1 + 128 + 1];
    size_t n = 0, k, bits = 0;
    unsigned long acc = 0;
    const char *p;

    if (!sri)
        return "";
    for (k = 0; k < sizeof(algos) / sizeof(*algos); k++)
        if (!strncmp(sri, algos[k].algo, strlen(algos[k].algo)) &&
            sri[strlen(algos[k].algo)] == '-')
            break;
    if (k == sizeof(algos) / sizeof(*algos))
        return "";
    for (p = sri + strlen(algos[k].algo) + 1; *p && *p != ' ' && *p != '=' && *p != '?'; p++) {
        int v = b64(*p);

        if (v < 0)
            return "";
        acc = (acc << 6) | (unsigned long)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == algos[k].bytes)
                return ""; /* longer than the algorithm's digest */
            raw[n++] = (unsigned char)(acc >> bits);
            acc &= (1UL << bits) - 1;
        }
    }
    if (n != algos[k].bytes)
        return "";
    n = (size_t)snprintf(out, sizeof(out), "%s:", algos[k].algo);
    for (size_t i = 0; i < algos[k].bytes; i++) {
        out[n++] = hex[raw[i] >> 4];
        out[n++] = hex[raw[i] & 15];
    }
    out[n] = '\0';
    return fth_arena_strdup(a, out);
}

int lang_name_ok(const char *s, size_t len)
{
    return len && !memchr(s, '\0', len);
}

int lang_version_ok(const char *s, size_t len)
{
    if (!len || len > FTH_LIMIT_VERSION_LEN)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
            return 0;
    return 1;
}
