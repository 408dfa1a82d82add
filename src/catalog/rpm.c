/*
 * catalog: the rpm cataloger. Reads the package database in any of rpm's three formats:
 *   var/lib/rpm/Packages                         Berkeley DB hash (rpmdb.c)
 *   var/lib/rpm/Packages.db, usr/lib/sysimage/rpm/Packages.db     NDB (rpmdb.c)
 *   var/lib/rpm/rpmdb.sqlite, usr/lib/sysimage/rpm/rpmdb.sqlite   SQLite (rpm_sqlite.c)
 * and, for Mariner/Azure Linux distroless images that carry no database, the tab-separated
 * var/lib/rpmmanifest/container-manifest-2. Each header (rpm_header.c) becomes a package:
 * version "[epoch:]version-release" (the epoch only when the header has a non-zero EPOCH),
 * source name and version from SOURCERPM "name-version-release.src.rpm", files from
 * DIRNAMES/BASENAMES, depends from REQUIRENAME resolved through the PROVIDENAME of the other
 * packages of the same database (rpmlib(...) and unresolved capabilities are dropped).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpm_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

enum fmt { F_NONE, F_BDB, F_NDB, F_SQLITE, F_MANIFEST };

static enum fmt format_of(const char *path)
{
    if (!strcmp(path, "var/lib/rpm/Packages"))
        return F_BDB;
    if (!strcmp(path, "var/lib/rpm/Packages.db") ||
        !strcmp(path, "usr/lib/sysimage/rpm/Packages.db"))
        return F_NDB;
    if (!strcmp(path, "var/lib/rpm/rpmdb.sqlite") ||
        !strcmp(path, "usr/lib/sysimage/rpm/rpmdb.sqlite"))
        return F_SQLITE;
    if (!strcmp(path, "var/lib/rpmmanifest/container-manifest-2"))
        return F_MANIFEST;
    return F_NONE;
}

static int rpm_wants(const char *path, uint64_t size, unsigned mode)
{
    (void)size;
    (void)mode;
    return format_of(path) != F_NONE;
}

struct collect {
    struct cat_sink *s;
    const struct cat_file *f;
    struct fth_vec pkgs; /* struct rpm_pkg * */
    size_t n;            /* headers seen */
    int warned;          /* about the package limit */
};

static int on_blob(void *data, const unsigned char *blob, size_t len)
{
    struct collect *c = data;
    struct fth_arena *a = cat_arena(c->s);
    struct rpm_pkg *p;
    char why[160];
    int rc;

    c->n++;
    if (c->pkgs.len >= FTH_LIMIT_RPM_PACKAGES) {
        if (!c->warned++)
            cat_warn(c->s, c->f, 0, "more than %d packages: the rest are not read",
                     FTH_LIMIT_RPM_PACKAGES);
        return 0;
    }
    if (!(p = fth_arena_alloc(a, sizeof(*p))))
        return FTH_ENOMEM;
    why[0] = '\0';
    if ((rc = rpm_header_parse(p, a, blob, len, why, sizeof(why))) < 0) {
        if (rc == FTH_ENOMEM)
            return rc;
        cat_warn(c->s, c->f, 0, "package header %zu: %s", c->n, why);
        return 0;
    }
    /* rpm keeps imported signing keys as pseudo-packages; they install nothing */
    if (!strcmp(p->name, "gpg-pubkey"))
        return 0;
    return fth_vec_push(&c->pkgs, a, p);
}

/* "util-linux-2.32.1-42.el8_8.src.rpm" -> "util-linux", "2.32.1-42.el8_8" */
static int split_sourcerpm(struct fth_arena *a, const char *srpm, const char **name,
                           const char **version)
{
    size_t n = strlen(srpm);
    const char *r, *v;

    *name = *version = "";
    if (n > 8 && !strcmp(srpm + n - 8, ".src.rpm"))
        n -= 8;
    else if (n > 10 && !strcmp(srpm + n - 10, ".nosrc.rpm"))
        n -= 10;
    else
        return 0;
    for (r = srpm + n; r > srpm && r[-1] != '-'; r--)
        ;
    if (r <= srpm + 1)
        return 0;
    for (v = r - 1; v > srpm && v[-1] != '-'; v--)
        ;
    if (v <= srpm + 1)
        return 0;
    if (!(*name = fth_arena_strndup(a, srpm, (size_t)(v - 1 - srpm))) ||
        !(*version = fth_arena_strndup(a, v, (size_t)(srpm + n - v))))
        return FTH_ENOMEM;
    return 0;
}

struct provider {
    const char *name;
    const char *pkg;
};

static int cmp_provider(const void *x, const void *y)
{
    return strcmp(((const struct provider *)x)->name, ((const struct provider *)y)->name);
}

static const char *lookup(const struct provider *prov, size_t n, const char *name)
{
    struct provider key = {name, NULL};
    const struct provider *p;

    if (!n || !(p = bsearch(&key, prov, n, sizeof(*p), cmp_provider)))
        return NULL;
    while (p > prov && !strcmp(p[-1].name, name))
        p--;
    for (const struct provider *q = p; q < prov + n && !strcmp(q->name, name); q++)
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

static int emit(struct cat_sink *s, const struct cat_file *f, const struct rpm_pkg *r,
                const struct provider *prov, size_t nprov)
{
    struct fth_arena *a = cat_arena(s);
    struct fth_package *p = cat_add(s, f);
    struct fth_vec deps = {0};
    int rc;

    if (!p)
        return FTH_ENOMEM;
    p->type = "rpm";
    p->ecosystem = "Red Hat";
    p->name = r->name;
    p->arch = r->arch;
    if (r->has_epoch && r->epoch)
        p->version = fth_arena_printf(a, "%d:%s-%s", (int)r->epoch, r->version, r->release);
    else
        p->version = fth_arena_printf(a, "%s-%s", r->version, r->release);
    if (!p->version)
        return FTH_ENOMEM;
    if ((rc = split_sourcerpm(a, r->sourcerpm, &p->src_name, &p->src_version)) < 0)
        return rc;
    if (*p->src_version && r->has_epoch && r->epoch &&
        !(p->src_version = fth_arena_printf(a, "%d:%s", (int)r->epoch, p->src_version)))
        return FTH_ENOMEM;
    if (*r->license) {
        struct fth_license *lic = fth_arena_calloc(a, 1, sizeof(*lic));

        if (!lic || !(lic->spdx = fth_license_normalize(a, r->license)))
            return FTH_ENOMEM;
        lic->value = r->license;
        p->licenses = lic;
        p->nlicenses = 1;
    }
    for (size_t i = 0; i < r->nrequires; i++) {
        const char *pkg = lookup(prov, nprov, r->requires[i]);

        if (pkg && strcmp(pkg, r->name) && (rc = push_unique(&deps, a, pkg)) < 0)
            return rc;
    }
    p->depends = (const char *const *)deps.items;
    p->ndepends = deps.len;
    p->files = r->files;
    p->nfiles = r->nfiles;
    return 0;
}

static int emit_all(struct cat_sink *s, const struct cat_file *f, struct collect *c)
{
    struct provider *prov = NULL;
    size_t nprov = 0, cap = 0;
    int rc = 0;

    for (size_t i = 0; i < c->pkgs.len; i++)
        cap += 1 + ((const struct rpm_pkg *)c->pkgs.items[i])->nprovides;
    if (cap && !(prov = calloc(cap, sizeof(*prov))))
        return FTH_ENOMEM;
    for (size_t i = 0; i < c->pkgs.len; i++) {
        const struct rpm_pkg *r = c->pkgs.items[i];

        prov[nprov].name = r->name;
        prov[nprov++].pkg = r->name;
        for (size_t j = 0; j < r->nprovides; j++) {
            prov[nprov].name = r->provides[j];
            prov[nprov++].pkg = r->name;
        }
    }
    if (nprov > 1)
        qsort(prov, nprov, sizeof(*prov), cmp_provider);
    for (size_t i = 0; i < c->pkgs.len && rc >= 0; i++)
        rc = emit(s, f, c->pkgs.items[i], prov, nprov);
    free(prov);
    return rc;
}

/*
 * container-manifest-2: one package per line, tab-separated as `rpm -qa --qf` wrote it:
 * name, version-release, install time, build time, vendor, epoch ("(none)"), size, arch,
 * signature flag, source rpm.
 */
static int parse_manifest(struct cat_sink *s, const struct cat_file *f)
{
    struct fth_arena *a = cat_arena(s);
    const char *p = (const char *)f->data, *end = p + f->len;
    unsigned no = 0;
    int rc = 0;

    while (p < end && rc >= 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
        const char *col[10] = {0};
        size_t cl[10] = {0}, ncol = 0;
        const char *q = p;
        struct fth_package *pkg;

        no++;
        if (le > p && le[-1] == '\r')
            le--;
        while (ncol < 10) {
            const char *tab = memchr(q, '\t', (size_t)(le - q));

            col[ncol] = q;
            cl[ncol++] = (size_t)((tab ? tab : le) - q);
            if (!tab)
                break;
            q = tab + 1;
        }
        p = nl ? nl + 1 : end;
        if (ncol == 1 && !cl[0])
            continue;
        if (ncol < 10 || !cl[0] || !cl[1]) {
            cat_warn(s, f, no, "expected 10 tab-separated fields, found %zu", ncol);
            continue;
        }
        if (!(pkg = cat_add(s, f)))
            return FTH_ENOMEM;
        pkg->type = "rpm";
        pkg->ecosystem = "Red Hat";
        {
            char *srpm;
            int has_epoch = cl[5] && !(cl[5] == 6 && !memcmp(col[5], "(none)", 6)) &&
                            !(cl[5] == 1 && col[5][0] == '0');

            if (!(pkg->name = fth_arena_strndup(a, col[0], cl[0])) ||
                !(pkg->arch = fth_arena_strndup(a, col[7], cl[7])) ||
                !(srpm = fth_arena_strndup(a, col[9], cl[9])))
                return FTH_ENOMEM;
            pkg->version =
                has_epoch ? fth_arena_printf(a, "%.*s:%.*s", (int)cl[5], col[5], (int)cl[1], col[1])
                          : fth_arena_strndup(a, col[1], cl[1]);
            if (!pkg->version)
                return FTH_ENOMEM;
            rc = split_sourcerpm(a, srpm, &pkg->src_name, &pkg->src_version);
            if (rc >= 0 && has_epoch && *pkg->src_version &&
                !(pkg->src_version =
                      fth_arena_printf(a, "%.*s:%s", (int)cl[5], col[5], pkg->src_version)))
                return FTH_ENOMEM;
        }
    }
    return rc;
}

static int rpm_parse(struct cat_sink *s, const struct cat_file *f)
{
    struct collect c;
    int rc = 0;

    memset(&c, 0, sizeof(c));
    c.s = s;
    c.f = f;
    switch (format_of(f->path)) {
    case F_BDB:
        rc = rpm_read_bdb(s, f, on_blob, &c);
        break;
    case F_NDB:
        rc = rpm_read_ndb(s, f, on_blob, &c);
        break;
    case F_SQLITE:
        rc = rpm_read_sqlite(s, f, on_blob, &c);
        break;
    case F_MANIFEST:
        return parse_manifest(s, f);
    default:
        /* a test or the driver may hand any name: guess by content */
        if (f->len >= 16 && !memcmp(f->data, "SQLite format 3", 16))
            rc = rpm_read_sqlite(s, f, on_blob, &c);
        else if (f->len >= 4 && !memcmp(f->data, "RpmP", 4))
            rc = rpm_read_ndb(s, f, on_blob, &c);
        else
            rc = rpm_read_bdb(s, f, on_blob, &c);
        break;
    }
    if (rc < 0)
        return rc;
    return emit_all(s, f, &c);
}

const struct cataloger cat_rpm = {"rpm", rpm_wants, rpm_parse};
