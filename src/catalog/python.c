/*
 * Python: installed distributions, from their core metadata (RFC 822 style headers):
 * wheel installs' *.dist-info/METADATA, setuptools' *.egg-info/PKG-INFO, eggs'
 * EGG-INFO/PKG-INFO and the single-file *.egg-info that distutils wrote. Directory suffixes
 * match case-insensitively and without the dot ("dist-info/METADATA" too), as Syft's globs do.
 *
 * Licences follow Trivy: License-Expression, else every "License :: ... :: X" classifier
 * (X; the bare "OSI Approved" is not a licence), else License, else "file://" + the first
 * License-File; one step is Fathom's own: a License that is already a valid SPDX expression
 * ("BSD-3-Clause OR Apache-2.0") comes before the classifiers, which only name families. The name
 * stays as declared (the vulnerability matcher compares PyPI names the PEP 503 way); a distribution
 * without a Version is still listed, with "" (as Syft does).
 */
#include <string.h>
#include <strings.h>

#include "fathom/license.h"
#include "langpkg_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct field {
    const char *ptr;
    size_t len;
    unsigned line;
};

/*
 * The "NAME-VERSION.dist-info" directory a licence file sits in (directly, or under PEP
 * 639's licenses/): its name's start and length in *dir; 0 when the path is not one.
 */
static int license_file_dir(const char *path, const char **dir, size_t *len)
{
    static const char suffix[] = ".dist-info/";
    const char *base = strrchr(path, '/'), *start, *end;
    size_t n = sizeof(suffix) - 1;

    if (!base)
        return 0;
    base++;
    /* PEP 639: any file under <dist-info>/licenses/ */
    end = strstr(path, ".dist-info/licenses/");
    if (!end) {
        if (strncasecmp(base, "LICENSE", 7) && strncasecmp(base, "LICENCE", 7) &&
            strncasecmp(base, "COPYING", 7))
            return 0;
        /* else directly in the dist-info directory */
        if ((size_t)(base - path) < n || strncasecmp(base - n, suffix, n))
            return 0;
        end = base - n;
    }
    for (start = end; start > path && start[-1] != '/'; start--)
        ;
    *dir = start;
    *len = (size_t)(end - start);
    return 1;
}

static int wants(const char *path, uint64_t size, unsigned mode)
{
    const char *base = strrchr(path, '/'), *dir;
    size_t dir_len;

    (void)mode;
    base = base ? base + 1 : path;
    dir_len = base > path ? (size_t)(base - 1 - path) : 0;
    if (!strcmp(base, "METADATA"))
        return lang_ends_with_ci(path, dir_len, "dist-info");
    if (size <= FTH_LIMIT_LICENSE_TEXT && license_file_dir(path, &dir, &dir_len))
        return 1;
    if (!strcmp(base, "PKG-INFO"))
        return lang_ends_with_ci(path, dir_len, "egg-info");
    return lang_ends_with_ci(base, strlen(base), ".egg-info");
}

static int is_key(const char *line, size_t len, const char *key, const char **value)
{
    size_t n = strlen(key);

    if (len <= n || line[n] != ':' || strncasecmp(line, key, n))
        return 0;
    *value = line + n + 1;
    return 1;
}

/* The name of a Requires-Dist requirement, or 0 when only an extra asks for it. */
static size_t requirement_name(const char *v, size_t len)
{
    const char *semi = memchr(v, ';', len);
    size_t n = 0;

    if (semi) {
        const char *m = semi;
        size_t mlen = len - (size_t)(semi - v);

        for (size_t i = 0; i + 5 <= mlen; i++)
            if (!memcmp(m + i, "extra", 5))
                return 0;
    }
    while (n < len && !strchr(" \t([;<>=!~,", v[n]))
        n++;
    return n;
}

static int choose_licenses(struct fth_arena *a, struct lang_licenses *out,
                           const struct field *expression, const struct field *license,
                           const struct field *file, const struct lang_licenses *classifiers)
{
    const char *v;

    if (expression->len)
        return lang_license_add(a, out, expression->ptr, expression->len);
    if (license->len) {
        if (!(v = fth_arena_strndup(a, license->ptr, license->len)))
            return FTH_ENOMEM;
        if (*lang_spdx(a, v))
            return lang_license_add(a, out, license->ptr, license->len);
    }
    if (classifiers->n) {
        *out = *classifiers;
        return 0;
    }
    if (license->len)
        return lang_license_add(a, out, license->ptr, license->len);
    if (file->len) {
        if (!(v = fth_arena_printf(a, "file://%.*s", (int)file->len, file->ptr)))
            return FTH_ENOMEM;
        return lang_license_add(a, out, v, strlen(v));
    }
    return 0;
}

/*
 * A licence file of a wheel install: classified against the known licence texts; a match
 * is a licence of the distribution the directory names, for when its metadata states none
 * the SPDX list knows (cat_add_found_licenses).
 */
static int parse_license_file(struct cat_sink *s, const struct cat_file *f, const char *dir,
                              size_t dir_len)
{
    struct fth_arena *a = cat_arena(s);
    const char *dash = memchr(dir, '-', dir_len);
    struct fth_license_match m;
    struct fth_license *lic;
    const char *name;
    int error;

    if (!dash || dash == dir || f->len > FTH_LIMIT_LICENSE_TEXT)
        return 0;
    if ((error = fth_license_classify(&m, (const char *)f->data, f->len, NULL)) < 0)
        return error == FTH_ENOMEM ? error : 0;
    if (!*m.id)
        return 0;
    if (!(lic = fth_arena_calloc(a, 1, sizeof(*lic))) ||
        !(name = fth_arena_strndup(a, dir, (size_t)(dash - dir))) ||
        !(lic->value = fth_arena_strdup(a, m.id)) || !(lic->spdx = lic->value))
        return FTH_ENOMEM;
    return cat_add_found_licenses(s, f, "python", name, lic, 1);
}

static int parse(struct cat_sink *s, const struct cat_file *f)
{
    struct fth_arena *a = cat_arena(s);
    const char *p = (const char *)f->data, *end = p + f->len;
    struct field name = {NULL, 0, 0}, version = {NULL, 0, 0}, license = {NULL, 0, 0};
    struct field expression = {NULL, 0, 0}, license_file = {NULL, 0, 0};
    struct lang_licenses classifiers = LANG_LICENSES_INIT, lic = LANG_LICENSES_INIT;
    struct lang_strs deps = LANG_STRS_INIT;
    struct fth_package *pkg;
    unsigned line = 0;
    int error = 0;

    {
        const char *base = strrchr(f->path, '/'), *dir;
        size_t dir_len;

        base = base ? base + 1 : f->path;
        if (strcmp(base, "METADATA") && strcmp(base, "PKG-INFO") &&
            !lang_ends_with_ci(base, strlen(base), ".egg-info") &&
            license_file_dir(f->path, &dir, &dir_len))
            return parse_license_file(s, f, dir, dir_len);
    }
    if (f->len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3; /* a UTF-8 byte order mark */
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p)), *v;
        size_t len, vlen;
        struct field *slot = NULL;

        eol = eol ? eol : end;
        len = (size_t)(eol - p);
        if (len && p[len - 1] == '\r')
            len--;
        line++;
        if (!len)
            break; /* the headers end; the description follows */
        if (*p == ' ' || *p == '\t' || !memchr(p, ':', len)) {
            p = eol + 1; /* a continuation line (or noise): none of our fields spans lines */
            continue;
        }
        if (is_key(p, len, "Name", &v))
            slot = &name;
        else if (is_key(p, len, "Version", &v))
            slot = &version;
        else if (is_key(p, len, "License", &v))
            slot = &license;
        else if (is_key(p, len, "License-Expression", &v))
            slot = &expression;
        else if (is_key(p, len, "License-File", &v))
            slot = &license_file;
        if (slot && !slot->ptr) {
            slot->len = (size_t)(p + len - v);
            slot->ptr = v;
            lang_trim(&slot->ptr, &slot->len);
            slot->line = line;
        } else if (is_key(p, len, "Classifier", &v)) {
            const char *last;

            vlen = (size_t)(p + len - v);
            lang_trim(&v, &vlen);
            if (vlen > 11 && !memcmp(v, "License :: ", 11)) {
                last = v;
                for (const char *q = v; q + 4 <= v + vlen; q++)
                    if (!memcmp(q, " :: ", 4))
                        last = q + 4;
                vlen -= (size_t)(last - v);
                if (!(vlen == 12 && !strncasecmp(last, "OSI Approved", 12)) &&
                    !(vlen == 13 && !strncasecmp(last, "DFSG approved", 13)) &&
                    (error = lang_license_add(a, &classifiers, last, vlen)) < 0)
                    goto out;
            }
        } else if (is_key(p, len, "Requires-Dist", &v)) {
            size_t n;

            vlen = (size_t)(p + len - v);
            lang_trim(&v, &vlen);
            if ((n = requirement_name(v, vlen)) && (error = lang_str_add(a, &deps, v, n)) < 0)
                goto out;
        }
        p = eol + 1;
    }
    if (!name.ptr || !lang_name_ok(name.ptr, name.len)) {
        cat_warn(s, f, 0, "no 'Name' header: not a distribution's metadata");
        goto out;
    }
    if (version.len && !lang_version_ok(version.ptr, version.len)) {
        cat_warn(s, f, version.line, "'Version': not a usable version; skipped");
        goto out;
    }
    if ((error = choose_licenses(a, &lic, &expression, &license, &license_file, &classifiers)) < 0)
        goto out;
    if (!(pkg = lang_add(s, f, "python", "PyPI", name.ptr, name.len, version.ptr, version.len))) {
        error = FTH_ENOMEM;
        goto out;
    }
    pkg->licenses = lic.v;
    pkg->nlicenses = lic.n;
    pkg->depends = deps.v;
    pkg->ndepends = deps.n;
out:
    return error;
}

const struct cataloger cat_python = {"python", wants, parse};
