/*
 * catalog: the dpkg cataloger. Reads
 *   var/lib/dpkg/status            the package database (one stanza per package)
 *   var/lib/dpkg/status.d/NAME     distroless: one file per package, same stanza format
 *   var/lib/dpkg/status.d/NAME.md5sums, var/lib/dpkg/info/NAME[:ARCH].md5sums
 *                                  the files each package owns
 *   usr/share/doc/NAME/copyright   declared licences (DEP-5 "License:" fields and
 *                                  /usr/share/common-licenses/X references)
 * Only installed packages count: a Status whose want is "install" or "hold" and whose state
 * is "installed" (opkg writes "install user installed"); stanzas without Status (distroless)
 * count too. `version` keeps the whole dpkg version string "[epoch:]upstream[-revision]".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

#define STATUS "var/lib/dpkg/status"
#define STATUS_D "var/lib/dpkg/status.d/"
#define INFO "var/lib/dpkg/info/"
#define DOC "usr/share/doc/"

static int has_suffix(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);

    return n >= m && !memcmp(s + n - m, suffix, m);
}

/* One path component after prefix, ending in suffix (when given). */
static int one_component(const char *path, const char *prefix, const char *suffix)
{
    size_t pl = strlen(prefix), n;
    const char *rest;

    if (strncmp(path, prefix, pl))
        return 0;
    rest = path + pl;
    n = strlen(rest);
    if (!n || memchr(rest, '/', n))
        return 0;
    return !suffix || (has_suffix(rest, n, suffix) && n > strlen(suffix));
}

/* Maintainer-script and control-file siblings of status.d/NAME that are not stanzas. */
static int control_sibling(const char *name)
{
    static const char *const sfx[] = {".md5sums", ".preinst",   ".postinst",  ".prerm",
                                      ".postrm",  ".conffiles", ".list",      ".triggers",
                                      ".shlibs",  ".symbols",   ".templates", ".config"};
    size_t n = strlen(name);

    for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
        if (has_suffix(name, n, sfx[i]))
            return 1;
    return 0;
}

static int dpkg_wants(const char *path, uint64_t size, unsigned mode)
{
    (void)size;
    (void)mode;
    if (!strcmp(path, STATUS))
        return 1;
    if (one_component(path, STATUS_D, NULL))
        return !control_sibling(path + strlen(STATUS_D)) ||
               has_suffix(path, strlen(path), ".md5sums");
    if (one_component(path, INFO, ".md5sums"))
        return 1;
    if (!strncmp(path, DOC, strlen(DOC))) {
        const char *name = path + strlen(DOC), *slash = strchr(name, '/');

        return slash && slash > name && !strcmp(slash, "/copyright");
    }
    return 0;
}

/* ---- lines ---- */

struct lines {
    const char *p, *end;
    unsigned no; /* number of the line last returned */
};

/* Next line without its CR/LF; 0 at the end. */
static int next_line(struct lines *l, const char **s, size_t *n)
{
    const char *nl;

    if (l->p >= l->end)
        return 0;
    nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
    *s = l->p;
    *n = (size_t)((nl ? nl : l->end) - l->p);
    if (*n && (*s)[*n - 1] == '\r')
        (*n)--;
    l->p = nl ? nl + 1 : l->end;
    l->no++;
    return 1;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return 0;
    return 1;
}

static void trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* ---- stanzas ---- */

struct span {
    const char *s;
    size_t n;
};

struct stanza {
    struct span package, status, version, source, arch, license, provides;
    struct span depends[2]; /* Depends, Pre-Depends: whole value, continuation lines too */
    struct span conffiles;  /* the continuation lines of Conffiles */
    unsigned line;          /* first line */
    int fields;
};

struct entry {
    const char *name, *version, *arch, *src_name, *src_version;
    const char *const *provides;
    size_t nprovides;
    struct stanza st;
};

static int key_is(const char *k, size_t kl, const char *want)
{
    return kl == strlen(want) && !strncasecmp(k, want, kl);
}

/*
 * Read the next stanza. Returns 1 with *st filled, 0 at the end. Lines that are neither a
 * field nor a continuation are warned about and skipped.
 */
static int next_stanza(struct lines *l, struct stanza *st, struct cat_sink *s,
                       const struct cat_file *f)
{
    struct span *last = NULL;
    const char *line;
    size_t n;

    memset(st, 0, sizeof(*st));
    while (next_line(l, &line, &n)) {
        const char *colon, *v;
        size_t kl, vl;

        if (blank(line, n)) {
            if (st->fields)
                return 1;
            continue;
        }
        if (*line == ' ' || *line == '\t') {
            /* a continuation extends the span of the field it belongs to */
            if (last)
                last->n = (size_t)(line + n - last->s);
            continue;
        }
        if (!st->line)
            st->line = l->no;
        if (!(colon = memchr(line, ':', n)) || colon == line) {
            cat_warn(s, f, l->no, "not a field: '%.*s'", (int)(n > 60 ? 60 : n), line);
            last = NULL;
            continue;
        }
        st->fields++;
        kl = (size_t)(colon - line);
        v = colon + 1;
        vl = n - kl - 1;
        last = NULL;
        if (key_is(line, kl, "Package"))
            last = &st->package;
        else if (key_is(line, kl, "Status"))
            last = &st->status;
        else if (key_is(line, kl, "Version"))
            last = &st->version;
        else if (key_is(line, kl, "Source"))
            last = &st->source;
        else if (key_is(line, kl, "Architecture"))
            last = &st->arch;
        else if (key_is(line, kl, "License"))
            last = &st->license;
        else if (key_is(line, kl, "Provides"))
            last = &st->provides;
        else if (key_is(line, kl, "Depends"))
            last = &st->depends[0];
        else if (key_is(line, kl, "Pre-Depends"))
            last = &st->depends[1];
        else if (key_is(line, kl, "Conffiles"))
            last = &st->conffiles;
        if (last) {
            last->s = v;
            last->n = vl;
        }
    }
    return st->fields > 0;
}

static const char *span_dup(struct fth_arena *a, struct span sp)
{
    trim(&sp.s, &sp.n);
    return fth_arena_strndup(a, sp.s, sp.n);
}

/* Installed: want install/hold and state installed; no Status at all counts (distroless). */
static int installed(struct span st)
{
    const char *w[3];
    size_t wl[3], nw = 0, i = 0;

    while (i < st.n && nw < 3) {
        size_t j;

        while (i < st.n && isspace((unsigned char)st.s[i]))
            i++;
        j = i;
        while (j < st.n && !isspace((unsigned char)st.s[j]))
            j++;
        if (j > i) {
            w[nw] = st.s + i;
            wl[nw++] = j - i;
        }
        i = j;
    }
    if (!st.s)
        return 1;
    if (nw != 3)
        return 0;
    return (key_is(w[0], wl[0], "install") || key_is(w[0], wl[0], "hold")) &&
           key_is(w[2], wl[2], "installed");
}

/*
 * Split a relationship field ("a (>= 1) | b:any, c") into groups of alternative names,
 * calling fn(name, group_index, alternative_index) for each name.
 */
typedef int (*rel_fn)(void *data, const char *name, size_t n, size_t group, size_t alt);

static int each_relation(struct span v, rel_fn fn, void *data)
{
    size_t i = 0, group = 0, alt = 0;
    int rc = 0;

    while (i < v.n && rc >= 0) {
        size_t j;

        while (i < v.n && isspace((unsigned char)v.s[i]))
            i++;
        j = i;
        while (j < v.n && !isspace((unsigned char)v.s[j]) && !strchr(",|(:[<", v.s[j]))
            j++;
        if (j > i)
            rc = fn(data, v.s + i, j - i, group, alt);
        /* skip to the next separator, over version constraints and arch qualifiers */
        while (j < v.n && v.s[j] != ',' && v.s[j] != '|')
            j++;
        if (j < v.n && v.s[j] == ',') {
            group++;
            alt = 0;
        } else if (j < v.n) {
            alt++;
        }
        i = j + 1;
    }
    return rc;
}

struct collect {
    struct fth_arena *a;
    struct fth_vec names;
};

static int collect_name(void *data, const char *name, size_t n, size_t group, size_t alt)
{
    struct collect *c = data;
    char *s = fth_arena_strndup(c->a, name, n);

    (void)group;
    (void)alt;
    return s ? fth_vec_push(&c->names, c->a, s) : FTH_ENOMEM;
}

/* ---- dependency resolution within one file ---- */

struct provider {
    const char *name; /* package or virtual package name */
    const char *pkg;  /* the installed package that has it */
};

static int cmp_provider(const void *x, const void *y)
{
    return strcmp(((const struct provider *)x)->name, ((const struct provider *)y)->name);
}

struct resolve {
    struct fth_arena *a;
    const struct provider *prov;
    size_t nprov;
    struct fth_vec out;
    size_t group;       /* current group */
    int group_resolved; /* an alternative of the current group is installed */
    const char *first;  /* the current group's first alternative */
};

static const char *lookup(const struct resolve *r, const char *name)
{
    struct provider key = {name, NULL};
    const struct provider *p;

    if (!r->nprov)
        return NULL;
    if (!(p = bsearch(&key, r->prov, r->nprov, sizeof(*p), cmp_provider)))
        return NULL;
    /* a real package outranks a virtual one of the same name */
    while (p > r->prov && !strcmp(p[-1].name, name))
        p--;
    for (const struct provider *q = p; q < r->prov + r->nprov && !strcmp(q->name, name); q++)
        if (!strcmp(q->pkg, name))
            return q->pkg;
    return p->pkg;
}

static int push_unique(struct fth_vec *v, struct fth_arena *a, const char *name)
{
    for (size_t i = 0; i < v->len; i++)
        if (!strcmp(v->items[i], name))
            return 0;
    return fth_vec_push(v, a, (void *)name);
}

/* Close a group whose alternatives are none installed: keep the declared first name. */
static int close_group(struct resolve *r)
{
    int rc = 0;

    if (r->first && !r->group_resolved)
        rc = push_unique(&r->out, r->a, r->first);
    r->first = NULL;
    r->group_resolved = 0;
    return rc;
}

static int resolve_name(void *data, const char *name, size_t n, size_t group, size_t alt)
{
    struct resolve *r = data;
    char buf[256];
    const char *pkg;
    int rc;

    if (group != r->group || !r->first) {
        if ((rc = close_group(r)) < 0)
            return rc;
        r->group = group;
    }
    if (n >= sizeof(buf))
        return 0;
    memcpy(buf, name, n);
    buf[n] = '\0';
    if (!alt && !r->first && !(r->first = fth_arena_strdup(r->a, buf)))
        return FTH_ENOMEM;
    if ((pkg = lookup(r, buf))) {
        r->group_resolved = 1;
        return push_unique(&r->out, r->a, pkg);
    }
    return 0;
}

/* "gcc-5 (5.1.1-12ubuntu1)" -> name, version; a bare name takes the binary's version. */
static int parse_source(struct entry *e, struct fth_arena *a)
{
    struct span v = e->st.source;
    const char *open, *close;

    if (!v.s) {
        e->src_name = e->src_version = "";
        return 0;
    }
    trim(&v.s, &v.n);
    open = memchr(v.s, '(', v.n);
    close = open ? memchr(open, ')', v.n - (size_t)(open - v.s)) : NULL;
    if (open && close) {
        struct span nm = {v.s, (size_t)(open - v.s)}, ver = {open + 1, (size_t)(close - open - 1)};

        e->src_name = span_dup(a, nm);
        e->src_version = span_dup(a, ver);
    } else {
        e->src_name = span_dup(a, v);
        e->src_version = e->version;
    }
    return e->src_name && e->src_version ? 0 : FTH_ENOMEM;
}

/* Conffiles lines: " /etc/pam.conf 87fc76f18e98ee7d3848f6b81b3391e5 [obsolete]" */
static int conffiles(struct fth_vec *files, struct fth_arena *a, struct span v)
{
    struct lines l = {v.s, v.s ? v.s + v.n : NULL, 0};
    const char *line;
    size_t n;
    int rc = 0;

    if (!v.s)
        return 0;
    while (rc >= 0 && next_line(&l, &line, &n)) {
        size_t i = 0, j;
        char *path;

        trim(&line, &n);
        while (i < n && !isspace((unsigned char)line[i]))
            i++;
        j = 0;
        while (j < i && line[j] == '/')
            j++;
        if (i <= j)
            continue;
        if (!(path = fth_arena_strndup(a, line + j, i - j)))
            return FTH_ENOMEM;
        rc = fth_vec_push(files, a, path);
    }
    return rc;
}

static int emit(struct cat_sink *s, const struct cat_file *f, struct entry *e,
                const struct provider *prov, size_t nprov)
{
    struct fth_arena *a = cat_arena(s);
    struct fth_package *p = cat_add(s, f);
    struct resolve r;
    struct fth_vec files = {0};
    int rc = 0;

    if (!p)
        return FTH_ENOMEM;
    p->type = "deb";
    p->ecosystem = "Debian";
    p->name = e->name;
    p->version = e->version;
    p->arch = e->arch;
    p->src_name = e->src_name;
    p->src_version = *e->src_name ? e->src_version : "";
    memset(&r, 0, sizeof(r));
    r.a = a;
    r.prov = prov;
    r.nprov = nprov;
    for (int i = 0; i < 2 && rc >= 0; i++) {
        if (!e->st.depends[i].s)
            continue;
        r.first = NULL;
        r.group = 0;
        r.group_resolved = 0;
        if ((rc = each_relation(e->st.depends[i], resolve_name, &r)) >= 0)
            rc = close_group(&r);
    }
    if (rc < 0)
        return rc;
    p->depends = (const char *const *)r.out.items;
    p->ndepends = r.out.len;
    if ((rc = conffiles(&files, a, e->st.conffiles)) < 0)
        return rc;
    p->files = (const char *const *)files.items;
    p->nfiles = files.len;
    if (e->st.license.s) {
        struct fth_license *lic = fth_arena_calloc(a, 1, sizeof(*lic));

        if (!lic || !(lic->value = span_dup(a, e->st.license)) ||
            !(lic->spdx = fth_license_normalize(a, lic->value)))
            return FTH_ENOMEM;
        if (*lic->value) {
            p->licenses = lic;
            p->nlicenses = 1;
        }
    }
    return 0;
}

/*
 * dpkg's version syntax: [epoch:]upstream[-revision], epoch digits, upstream starting with a
 * digit and made of alphanumerics and . + ~ - (and : when there is an epoch), revision of
 * alphanumerics and . + ~. A version outside it cannot be compared and is refused.
 */
static int valid_version(const char *v, size_t n)
{
    const char *colon = memchr(v, ':', n), *up = v, *end = v + n, *dash = NULL;

    if (colon) {
        if (colon == v)
            return 0;
        for (const char *p = v; p < colon; p++)
            if (!isdigit((unsigned char)*p))
                return 0;
        up = colon + 1;
    }
    for (const char *p = end; p > up; p--)
        if (p[-1] == '-') {
            dash = p - 1;
            break;
        }
    if (up >= end || !isdigit((unsigned char)*up) || dash == end - 1)
        return 0;
    for (const char *p = up; p < (dash ? dash : end); p++)
        if (!isalnum((unsigned char)*p) && !strchr(".+~-:", *p))
            return 0;
    for (const char *p = dash ? dash + 1 : end; p < end; p++)
        if (!isalnum((unsigned char)*p) && !strchr(".+~", *p))
            return 0;
    return 1;
}

static int parse_status(struct cat_sink *s, const struct cat_file *f)
{
    struct fth_arena *a = cat_arena(s);
    struct lines l = {(const char *)f->data, (const char *)f->data + f->len, 0};
    struct fth_vec entries = {0};
    struct provider *prov = NULL;
    size_t nprov = 0, cap = 0;
    struct stanza st;
    int rc = 0;

    while (next_stanza(&l, &st, s, f)) {
        struct entry *e;
        struct collect c;

        if (!st.package.s || !st.package.n) {
            cat_warn(s, f, st.line, "stanza without a Package field");
            continue;
        }
        if (!installed(st.status))
            continue;
        trim(&st.package.s, &st.package.n);
        trim(&st.version.s, &st.version.n);
        if (!st.version.s || !st.version.n) {
            cat_warn(s, f, st.line, "package '%.*s' has no Version", (int)st.package.n,
                     st.package.s);
            continue;
        }
        if (!valid_version(st.version.s, st.version.n)) {
            cat_warn(s, f, st.line, "package '%.*s': invalid version '%.*s'", (int)st.package.n,
                     st.package.s, (int)st.version.n, st.version.s);
            continue;
        }
        if (entries.len >= FTH_LIMIT_DPKG_PACKAGES) {
            cat_warn(s, f, st.line, "more than %d packages: the rest are not read",
                     FTH_LIMIT_DPKG_PACKAGES);
            break;
        }
        if (!(e = fth_arena_calloc(a, 1, sizeof(*e))))
            return FTH_ENOMEM;
        e->st = st;
        if (!(e->name = span_dup(a, st.package)) || !(e->version = span_dup(a, st.version)) ||
            !(e->arch = span_dup(a, st.arch)))
            return FTH_ENOMEM;
        if ((rc = parse_source(e, a)) < 0)
            return rc;
        memset(&c, 0, sizeof(c));
        c.a = a;
        if (st.provides.s && (rc = each_relation(st.provides, collect_name, &c)) < 0)
            return rc;
        e->provides = (const char *const *)c.names.items;
        e->nprovides = c.names.len;
        if ((rc = fth_vec_push(&entries, a, e)) < 0)
            return rc;
        cap += 1 + e->nprovides;
    }

    /* every installed name and virtual name, sorted, for resolving relationships */
    if (cap && !(prov = calloc(cap, sizeof(*prov))))
        return FTH_ENOMEM;
    for (size_t i = 0; i < entries.len; i++) {
        const struct entry *e = entries.items[i];

        prov[nprov].name = e->name;
        prov[nprov++].pkg = e->name;
    }
    for (size_t i = 0; i < entries.len; i++) {
        const struct entry *e = entries.items[i];

        for (size_t j = 0; j < e->nprovides; j++) {
            prov[nprov].name = e->provides[j];
            prov[nprov++].pkg = e->name;
        }
    }
    if (nprov > 1)
        qsort(prov, nprov, sizeof(*prov), cmp_provider);
    for (size_t i = 0; i < entries.len && rc >= 0; i++)
        rc = emit(s, f, entries.items[i], prov, nprov);
    free(prov);
    return rc;
}

/* ---- md5sums: files owned ---- */

static const char *strip_root(const char *s, size_t *n)
{
    while (*n && (*s == '/' || (*s == '.' && *n > 1 && s[1] == '/')))
        s++, (*n)--;
    return s;
}

static int parse_md5sums(struct cat_sink *s, const struct cat_file *f)
{
    struct fth_arena *a = cat_arena(s);
    const char *base = strrchr(f->path, '/') + 1, *colon;
    size_t bl = strlen(base) - strlen(".md5sums");
    struct lines l = {(const char *)f->data, (const char *)f->data + f->len, 0};
    struct fth_vec files = {0};
    const char *name, *arch = "", *line;
    size_t n;
    int rc = 0;

    /* NAME.md5sums or NAME:ARCH.md5sums (multi-arch same packages) */
    colon = memchr(base, ':', bl);
    if (!(name = fth_arena_strndup(a, base, colon ? (size_t)(colon - base) : bl)))
        return FTH_ENOMEM;
    if (colon && !(arch = fth_arena_strndup(a, colon + 1, bl - (size_t)(colon - base) - 1)))
        return FTH_ENOMEM;
    while (rc >= 0 && next_line(&l, &line, &n)) {
        size_t i = 0;
        const char *path;
        char *copy;

        trim(&line, &n);
        if (!n)
            continue;
        while (i < n && !isspace((unsigned char)line[i]))
            i++;
        while (i < n && isspace((unsigned char)line[i]))
            i++;
        if (i >= n) {
            cat_warn(s, f, l.no, "not a checksum line");
            continue;
        }
        n -= i;
        path = strip_root(line + i, &n);
        if (!n)
            continue;
        if (files.len >= FTH_LIMIT_DPKG_FILES) {
            cat_warn(s, f, l.no, "more than %d files: the rest are not read", FTH_LIMIT_DPKG_FILES);
            break;
        }
        if (!(copy = fth_arena_strndup(a, path, n)))
            return FTH_ENOMEM;
        rc = fth_vec_push(&files, a, copy);
    }
    if (rc < 0)
        return rc;
    return cat_add_owned(s, f, "deb", name, arch, (const char *const *)files.items, files.len);
}

/* ---- copyright: licences ---- */

static int add_license(struct fth_vec *v, struct fth_arena *a, const char *s, size_t n)
{
    struct fth_license *lic;

    trim(&s, &n);
    while (n && (s[n - 1] == '.' || s[n - 1] == ',' || s[n - 1] == ';'))
        n--;
    if (!n)
        return 0;
    for (size_t i = 0; i < v->len; i++) {
        const struct fth_license *o = v->items[i];

        if (strlen(o->value) == n && !memcmp(o->value, s, n))
            return 0;
    }
    if (!(lic = fth_arena_calloc(a, 1, sizeof(*lic))) ||
        !(lic->value = fth_arena_strndup(a, s, n)) ||
        !(lic->spdx = fth_license_normalize(a, lic->value)))
        return FTH_ENOMEM;
    return fth_vec_push(v, a, lic);
}

static int word_at(const char *s, size_t n, size_t i, const char *w)
{
    size_t wl = strlen(w);

    return i + wl <= n && !strncasecmp(s + i, w, wl) &&
           (i == 0 || isspace((unsigned char)s[i - 1])) &&
           (i + wl == n || isspace((unsigned char)s[i + wl]));
}

/* "GPL-1+ or Artistic, and BSD-4-clause-POWERDOG" -> GPL-1+, Artistic, BSD-4-clause-POWERDOG */
static int split_license_field(struct fth_vec *v, struct fth_arena *a, const char *s, size_t n)
{
    size_t start = 0;
    int rc = 0;

    for (size_t i = 0; i <= n && rc >= 0; i++) {
        size_t skip = 0;

        if (i == n || s[i] == ',' || s[i] == '(' || s[i] == ')' || s[i] == '|')
            skip = 1;
        else if (word_at(s, n, i, "or"))
            skip = 2;
        else if (word_at(s, n, i, "and"))
            skip = 3;
        if (!skip)
            continue;
        rc = add_license(v, a, s + start, i - start);
        i += skip - 1;
        start = i + 1;
    }
    return rc;
}

static int parse_copyright(struct cat_sink *s, const struct cat_file *f)
{
    static const char ref[] = "/usr/share/common-licenses/";
    struct fth_arena *a = cat_arena(s);
    const char *name = f->path + strlen(DOC), *slash = strchr(name, '/'), *line;
    struct lines l = {(const char *)f->data, (const char *)f->data + f->len, 0};
    struct fth_vec lics = {0};
    char *pkg;
    size_t n;
    int rc = 0;

    while (rc >= 0 && next_line(&l, &line, &n)) {
        const char *p = line, *end = line + n;

        if (n > 8 && !strncasecmp(line, "License:", 8)) {
            rc = split_license_field(&lics, a, line + 8, n - 8);
            continue;
        }
        while (rc >= 0 && p < end) {
            const char *hit = NULL;
            size_t k = 0;

            for (const char *q = p; q + sizeof(ref) - 1 <= end; q++)
                if (!memcmp(q, ref, sizeof(ref) - 1)) {
                    hit = q + sizeof(ref) - 1;
                    break;
                }
            if (!hit)
                break;
            while (hit + k < end && (isalnum((unsigned char)hit[k]) || hit[k] == '-' ||
                                     hit[k] == '.' || hit[k] == '+' || hit[k] == '_'))
                k++;
            rc = add_license(&lics, a, hit, k);
            p = hit + k;
        }
        if (lics.len >= FTH_LIMIT_DPKG_LICENSES)
            break;
    }
    /* no License: field and no common-licenses reference: classify the text itself */
    if (rc >= 0 && !lics.len && f->len <= FTH_LIMIT_LICENSE_TEXT) {
        struct fth_license_match m;

        if ((rc = fth_license_classify(&m, (const char *)f->data, f->len, NULL)) >= 0 && *m.id)
            rc = add_license(&lics, a, m.id, strlen(m.id));
    }
    if (rc < 0 || !lics.len)
        return rc;
    {
        struct fth_license *arr = fth_arena_calloc(a, lics.len, sizeof(*arr));

        if (!arr || !(pkg = fth_arena_strndup(a, name, (size_t)(slash - name))))
            return FTH_ENOMEM;
        for (size_t i = 0; i < lics.len; i++)
            arr[i] = *(const struct fth_license *)lics.items[i];
        rc = cat_add_licenses(s, f, "deb", pkg, arr, lics.len);
    }
    return rc;
}

static int dpkg_parse(struct cat_sink *s, const struct cat_file *f)
{
    if (has_suffix(f->path, strlen(f->path), ".md5sums") && strchr(f->path, '/'))
        return parse_md5sums(s, f);
    if (!strncmp(f->path, DOC, strlen(DOC)))
        return strchr(f->path + strlen(DOC), '/') ? parse_copyright(s, f) : 0;
    return parse_status(s, f);
}

const struct cataloger cat_dpkg = {"dpkg", dpkg_wants, dpkg_parse};
