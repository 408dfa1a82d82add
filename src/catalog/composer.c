/*
 * PHP: packages Composer installed, from vendor/composer/installed.json (Composer 1 wrote a
 * bare array, Composer 2 an object with "packages", "dev" and "dev-package-names"), and the
 * composer.lock of a project ("packages" and, development-only, "packages-dev"). Platform
 * requirements (php, ext-*, lib-*, composer-*-api) are not dependencies on packages.
 */
#include <string.h>

#include "langpkg_int.h"
#include "../base/banned.h"

static int wants(const char *path, uint64_t size, unsigned mode)
{
    const char *base = strrchr(path, '/');

    (void)size;
    (void)mode;
    base = base ? base + 1 : path;
    if (!strcmp(base, "composer.lock"))
        return !strstr(path, "vendor/");
    return !strcmp(path, "vendor/composer/installed.json") ||
           (strlen(path) > 30 &&
            !strcmp(path + strlen(path) - 31, "/vendor/composer/installed.json"));
}

static int platform(const char *name)
{
    return !strcmp(name, "php") || !strncmp(name, "php-", 4) || !strncmp(name, "ext-", 4) ||
           !strncmp(name, "lib-", 4) || !strcmp(name, "hhvm") || !strcmp(name, "composer") ||
           !strcmp(name, "composer-plugin-api") || !strcmp(name, "composer-runtime-api");
}

/* dist.shasum: the SHA-1 of the dist archive, in hex, often "" (GitHub zipballs) */
static const char *shasum(struct fth_arena *a, const struct fth_value *e)
{
    const char *h = fth_value_str(fth_value_path(e, "dist.shasum"));
    char lower[41];

    if (!h || strlen(h) != 40)
        return "";
    for (size_t i = 0; i < 40; i++) {
        if (!strchr("0123456789abcdefABCDEF", h[i]) || !h[i])
            return "";
        lower[i] = (char)(h[i] >= 'A' && h[i] <= 'F' ? h[i] - 'A' + 'a' : h[i]);
    }
    lower[40] = '\0';
    return fth_arena_printf(a, "sha1:%s", lower);
}

static int package(struct cat_sink *s, const struct cat_file *f, const struct fth_value *e,
                   size_t index, int dev)
{
    struct fth_arena *a = cat_arena(s);
    const struct fth_value *nv = fth_value_get(e, "name"), *vv = fth_value_get(e, "version");
    const struct fth_value *lv = fth_value_get(e, "license"), *req = fth_value_get(e, "require");
    struct lang_licenses lic = LANG_LICENSES_INIT;
    struct lang_strs deps = LANG_STRS_INIT;
    struct fth_package *p;
    int error = 0;

    if (e->type != FTH_VALUE_MAP) {
        cat_warn(s, f, e->line, "package %zu: expected a mapping, found %s; skipped", index,
                 fth_value_type_name(e->type));
        return 0;
    }
    if (!nv || nv->type != FTH_VALUE_STRING || !lang_name_ok(nv->u.str.ptr, nv->u.str.len)) {
        cat_warn(s, f, e->line, "package %zu: no 'name' string; skipped", index);
        return 0;
    }
    if (!vv || vv->type != FTH_VALUE_STRING || !lang_version_ok(vv->u.str.ptr, vv->u.str.len)) {
        cat_warn(s, f, vv ? vv->line : e->line, "'%s': no usable 'version' string; skipped",
                 nv->u.str.ptr);
        return 0;
    }
    if (lv && lv->type == FTH_VALUE_STRING)
        error = lang_license_add(a, &lic, lv->u.str.ptr, lv->u.str.len);
    for (size_t i = 0; error == 0 && lv && lv->type == FTH_VALUE_SEQ && i < lv->u.seq.len; i++)
        if (lv->u.seq.items[i]->type == FTH_VALUE_STRING)
            error = lang_license_add(a, &lic, lv->u.seq.items[i]->u.str.ptr,
                                     lv->u.seq.items[i]->u.str.len);
    for (size_t i = 0; error == 0 && req && req->type == FTH_VALUE_MAP && i < req->u.map.len; i++) {
        const struct fth_value *k = req->u.map.items[i].key;

        if (k->type == FTH_VALUE_STRING && !platform(k->u.str.ptr))
            error = lang_str_add(a, &deps, k->u.str.ptr, k->u.str.len);
    }
    if (error < 0)
        return error;
    if (!(p = lang_add(s, f, "composer", "Packagist", nv->u.str.ptr, nv->u.str.len, vv->u.str.ptr,
                       vv->u.str.len)))
        return FTH_ENOMEM;
    p->licenses = lic.v;
    p->nlicenses = lic.n;
    p->depends = deps.v;
    p->ndepends = deps.n;
    p->dev = dev;
    if (!(p->digest = shasum(a, e)))
        return FTH_ENOMEM;
    return 0;
}

static int packages(struct cat_sink *s, const struct cat_file *f, struct fth_arena *scratch,
                    const struct fth_value *list, const char *field, int dev,
                    const struct fth_value *dev_names)
{
    struct lang_index devs = LANG_INDEX_INIT;
    int error = 0;

    if (!list || list->type == FTH_VALUE_NULL)
        return 0;
    if ((error = lang_index_members(scratch, &devs, dev_names)) < 0)
        return error;
    if (list->type != FTH_VALUE_SEQ) {
        cat_warn(s, f, list->line, "'%s': expected a sequence, found %s", field,
                 fth_value_type_name(list->type));
        return 0;
    }
    for (size_t i = 0; error == 0 && i < list->u.seq.len; i++) {
        const struct fth_value *e = list->u.seq.items[i];
        const char *name = fth_value_str(fth_value_get(e, "name"));

        error = package(s, f, e, i, dev || (name && lang_index_get(&devs, name)));
    }
    return error;
}

static int parse(struct cat_sink *s, const struct cat_file *f)
{
    struct fth_arena *scratch = fth_arena_new();
    const struct fth_value *root;
    const char *base = strrchr(f->path, '/');
    int error = 0;

    if (!scratch)
        return FTH_ENOMEM;
    base = base ? base + 1 : f->path;
    if (!(root = lang_load(s, f, scratch, 1)))
        goto out;
    if (!strcmp(base, "composer.lock")) {
        if (root->type != FTH_VALUE_MAP) {
            cat_warn(s, f, root->line, "expected a mapping, found %s",
                     fth_value_type_name(root->type));
            goto out;
        }
        if ((error = packages(s, f, scratch, fth_value_get(root, "packages"), "packages", 0,
                              NULL)) == 0)
            error = packages(s, f, scratch, fth_value_get(root, "packages-dev"), "packages-dev", 1,
                             NULL);
    } else if (root->type == FTH_VALUE_SEQ) {
        error = packages(s, f, scratch, root, "packages", 0, NULL); /* Composer 1 */
    } else if (root->type == FTH_VALUE_MAP) {
        error = packages(s, f, scratch, fth_value_get(root, "packages"), "packages", 0,
                         fth_value_get(root, "dev-package-names"));
    } else {
        cat_warn(s, f, root->line, "expected a mapping or a sequence, found %s",
                 fth_value_type_name(root->type));
    }
out:
    fth_arena_free(scratch);
    return error;
}

const struct cataloger cat_composer = {"composer", wants, parse};
