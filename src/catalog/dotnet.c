/*
 * .NET: the libraries an application's *.deps.json declares (what the host loads at run
 * time), as Trivy reads them:
 *
 * - libraries of type "package" (NuGet), "project" (the application and the projects of
 *   its solution) and "runtimepack" (a self-contained app's bundled runtime, named without
 *   the "runtimepack." prefix) are packages; other types (reference, msbuild) are not;
 * - a library the runtime target (targets[runtimeTarget.name]) lists without any runtime,
 *   runtimeTargets or native assets is compile-time only and is skipped; one the target does
 *   not list at all (or a file without that target) is kept rather than missed;
 * - dependencies are the names the target entry lists.
 */
#include <string.h>

#include "langpkg_int.h"
#include "../base/banned.h"

#define RUNTIMEPACK "runtimepack."

static int wants(const char *path, uint64_t size, unsigned mode)
{
    size_t len = strlen(path);

    (void)size;
    (void)mode;
    return len > 10 && !strcmp(path + len - 10, ".deps.json");
}

static int parse(struct cat_sink *s, const struct cat_file *f)
{
    struct fth_arena *a = cat_arena(s), *scratch = fth_arena_new();
    const struct fth_value *root, *libs, *target = NULL;
    struct lang_index target_libs = LANG_INDEX_INIT;
    const char *rt;
    int error = 0;

    if (!scratch)
        return FTH_ENOMEM;
    if (!(root = lang_load(s, f, scratch, 1)))
        goto out;
    if (root->type != FTH_VALUE_MAP) {
        cat_warn(s, f, root->line, "expected a mapping, found %s", fth_value_type_name(root->type));
        goto out;
    }
    if ((rt = fth_value_str(fth_value_path(root, "runtimeTarget.name"))))
        target = fth_value_get(fth_value_get(root, "targets"), rt);
    if ((error = lang_index_members(scratch, &target_libs, target)) < 0)
        goto out;
    libs = fth_value_get(root, "libraries");
    if (libs && libs->type != FTH_VALUE_MAP && libs->type != FTH_VALUE_NULL)
        cat_warn(s, f, libs->line, "'libraries': expected a mapping, found %s",
                 fth_value_type_name(libs->type));
    for (size_t i = 0; libs && libs->type == FTH_VALUE_MAP && i < libs->u.map.len; i++) {
        const struct fth_member *m = &libs->u.map.items[i];
        const char *key = m->key->type == FTH_VALUE_STRING ? m->key->u.str.ptr : NULL;
        const char *type = fth_value_str(fth_value_get(m->value, "type")), *slash, *name;
        const struct fth_value *entry = key ? lang_index_get(&target_libs, key) : NULL, *deps;
        struct lang_strs d = LANG_STRS_INIT;
        struct fth_package *p;

        if (!key || !type || !lang_name_ok(key, m->key->u.str.len) ||
            !(slash = strrchr(key, '/')) || slash == key ||
            !lang_version_ok(slash + 1, strlen(slash + 1))) {
            cat_warn(s, f, m->value->line,
                     "library '%s': expected 'NAME/VERSION' with a 'type'; "
                     "skipped",
                     key ? key : "?");
            continue;
        }
        if (strcmp(type, "package") && strcmp(type, "project") && strcmp(type, "runtimepack"))
            continue;
        if (entry && !fth_value_get(entry, "runtime") && !fth_value_get(entry, "runtimeTargets") &&
            !fth_value_get(entry, "native"))
            continue;
        name = key;
        if (!strcmp(type, "runtimepack") && !strncmp(name, RUNTIMEPACK, strlen(RUNTIMEPACK)) &&
            name + strlen(RUNTIMEPACK) < slash)
            name += strlen(RUNTIMEPACK);
        deps = fth_value_get(entry, "dependencies");
        for (size_t j = 0; deps && deps->type == FTH_VALUE_MAP && j < deps->u.map.len; j++) {
            const struct fth_value *k = deps->u.map.items[j].key;
            const char *dn;

            if (k->type != FTH_VALUE_STRING)
                continue;
            dn = k->u.str.ptr;
            if (!strncmp(dn, RUNTIMEPACK, strlen(RUNTIMEPACK)) && dn[strlen(RUNTIMEPACK)])
                dn += strlen(RUNTIMEPACK);
            if ((error = lang_str_add(a, &d, dn, strlen(dn))) < 0)
                goto out;
        }
        if (!(p = lang_add(s, f, "dotnet", "NuGet", name, (size_t)(slash - name), slash + 1,
                           strlen(slash + 1)))) {
            error = FTH_ENOMEM;
            goto out;
        }
        p->depends = d.v;
        p->ndepends = d.n;
        if (!(p->digest = lang_sri_digest(a, fth_value_str(fth_value_get(m->value, "sha512"))))) {
            error = FTH_ENOMEM;
            goto out;
        }
    }
out:
    fth_arena_free(scratch);
    return error;
}

const struct cataloger cat_dotnet = {"dotnet", wants, parse};
