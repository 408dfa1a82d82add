/*
 * The collecting sink catalogers write into: packages and owned-file records in an arena,
 * warnings logged and counted.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "catalog_int.h"

void cat_sink_init(struct cat_sink *s, struct fth_arena *a)
{
    memset(s, 0, sizeof(*s));
    s->a = a;
}

struct fth_arena *cat_arena(struct cat_sink *s)
{
    return s->a;
}

struct fth_package *cat_add(struct cat_sink *s, const struct cat_file *f)
{
    struct fth_package *p = fth_arena_calloc(s->a, 1, sizeof(*p));
    const char *path;

    if (!p || !(path = fth_arena_strdup(s->a, f->path)))
        return NULL;
    p->type = p->ecosystem = p->name = p->version = "";
    p->src_name = p->src_version = p->arch = p->purl = p->digest = "";
    p->path = path;
    p->layer = f->layer;
    if (fth_vec_push(&s->packages, s->a, p) < 0)
        return NULL;
    return p;
}

int cat_add_owned(struct cat_sink *s, const struct cat_file *f, const char *type, const char *name,
                  const char *arch, const char *const *files, size_t nfiles)
{
    struct cat_owned *o = fth_arena_calloc(s->a, 1, sizeof(*o));

    if (!o || !(o->path = fth_arena_strdup(s->a, f->path)))
        return FTH_ENOMEM;
    o->type = type;
    o->name = name;
    o->arch = arch ? arch : "";
    o->files = files;
    o->nfiles = nfiles;
    o->layer = f->layer;
    return fth_vec_push(&s->owned, s->a, o);
}

int cat_add_licenses(struct cat_sink *s, const struct cat_file *f, const char *type,
                     const char *name, const struct fth_license *licenses, size_t n)
{
    struct cat_licensed *l = fth_arena_calloc(s->a, 1, sizeof(*l));

    if (!l || !(l->path = fth_arena_strdup(s->a, f->path)))
        return FTH_ENOMEM;
    l->type = type;
    l->name = name;
    l->licenses = licenses;
    l->nlicenses = n;
    l->layer = f->layer;
    return fth_vec_push(&s->licensed, s->a, l);
}

int cat_add_found_licenses(struct cat_sink *s, const struct cat_file *f, const char *type,
                           const char *name, const struct fth_license *licenses, size_t n)
{
    int error = cat_add_licenses(s, f, type, name, licenses, n);

    if (!error)
        ((struct cat_licensed *)s->licensed.items[s->licensed.len - 1])->found = 1;
    return error;
}

void cat_warn(struct cat_sink *s, const struct cat_file *f, unsigned line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): started above */
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    s->warnings++;
    if (line)
        fth_log(FTH_LOG_WARN, "catalog", "%s:%u: %s", f->path, line, msg);
    else
        fth_log(FTH_LOG_WARN, "catalog", "%s: %s", f->path, msg);
}
