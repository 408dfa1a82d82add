/*
 * catalog: package URLs (purl-spec) for every package type the catalogers produce, and the
 * small licence-name normaliser the distro catalogers share.
 *
 * Encoding: the unreserved characters (A-Z a-z 0-9 . - _ ~) are kept, and so is ':' in names
 * and versions (purl-spec lets a colon stand unencoded, which keeps Debian epochs readable:
 * "1:2.3-1"). Everything else, '+' and '@' included, is percent-encoded, so a purl never needs
 * a form decoder's '+'-is-space guess; qualifier values are encoded the same way with ':' and
 * '/' encoded too, as packageurl-go (Syft, Trivy) writes them. Qualifiers are sorted by key
 * and empty ones are left out, as the spec's canonical form asks.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"
#include "../base/banned.h"

struct qualifier {
    const char *key;
    const char *value;
};

static int keep_char(unsigned char c, int in_value)
{
    if (isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~')
        return 1;
    return !in_value && c == ':';
}

static int put_encoded(struct fth_buf *b, const char *s, int in_value)
{
    static const char hex[] = "0123456789ABCDEF";
    int rc = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p && rc >= 0; p++) {
        if (keep_char(*p, in_value)) {
            rc = fth_buf_putc(b, (char)*p);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};

            rc = fth_buf_put(b, e, 3);
        }
    }
    return rc;
}

/* Namespace segments are encoded one by one; empty segments (a leading "/") are dropped. */
static int put_namespace(struct fth_buf *b, const char *ns, size_t len)
{
    size_t i = 0;
    int rc = 0;

    while (i < len && rc >= 0) {
        size_t j = i;
        char seg[512];

        while (j < len && ns[j] != '/')
            j++;
        if (j > i && j - i < sizeof(seg)) {
            memcpy(seg, ns + i, j - i);
            seg[j - i] = '\0';
            if ((rc = put_encoded(b, seg, 0)) >= 0)
                rc = fth_buf_putc(b, '/');
        }
        i = j + 1;
    }
    return rc;
}

static int cmp_qualifier(const void *x, const void *y)
{
    return strcmp(((const struct qualifier *)x)->key, ((const struct qualifier *)y)->key);
}

static void lower_into(char *dst, size_t cap, const char *src, int dash_underscore)
{
    size_t i = 0;

    for (; src[i] && i + 1 < cap; i++) {
        char c = (char)tolower((unsigned char)src[i]);

        dst[i] = dash_underscore && (c == '_' || c == '.') ? '-' : c;
    }
    dst[i] = '\0';
}

/* The purl type for a cataloger type; NULL for the generic fallback. */
static const char *purl_type(const char *type)
{
    static const char *const map[][2] = {
        {"deb", "deb"},           {"apk", "apk"},          {"rpm", "rpm"},
        {"npm", "npm"},           {"python", "pypi"},      {"java-archive", "maven"},
        {"go-module", "golang"},  {"rust-crate", "cargo"}, {"gem", "gem"},
        {"composer", "composer"}, {"dotnet", "nuget"},
    };

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(type, map[i][0]))
            return map[i][1];
    return NULL;
}

static const char *str_or(const char *s, const char *dflt)
{
    return s && *s ? s : dflt;
}

/* "<id>-<version_id>", else "<id>-<codename>", else "" */
static const char *distro_qualifier(struct fth_arena *a, const struct fth_os *os)
{
    if (!os || !os->id || !*os->id)
        return "";
    if (os->version_id && *os->version_id)
        return fth_arena_printf(a, "%s-%s", os->id, os->version_id);
    if (os->codename && *os->codename)
        return fth_arena_printf(a, "%s-%s", os->id, os->codename);
    return "";
}

const char *fth_catalog_purl(struct fth_arena *a, const struct fth_package *p,
                             const struct fth_os *os)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct qualifier q[4];
    size_t nq = 0;
    const char *type = purl_type(p->type), *name = p->name, *version = p->version;
    const char *ns = NULL, *out = NULL, *os_id = os && os->id ? os->id : "";
    size_t nslen = 0;
    char lowered[512];
    int rc = 0;

    if (!type) {
        type = "generic";
    } else if (!strcmp(type, "deb") || !strcmp(type, "apk") || !strcmp(type, "rpm")) {
        const char *dflt = !strcmp(type, "deb") ? "debian" : !strcmp(type, "apk") ? "alpine" : "";

        ns = str_or(os_id, dflt);
        nslen = strlen(ns);
        q[nq].key = "arch";
        q[nq++].value = p->arch;
        if (!(q[nq].value = distro_qualifier(a, os)))
            goto out;
        q[nq++].key = "distro";
        if (!strcmp(type, "rpm")) {
            const char *colon = strchr(version, ':');

            /* rpm keeps the epoch as a qualifier, the version as version-release */
            if (colon) {
                if (!(q[nq].value = fth_arena_strndup(a, version, (size_t)(colon - version))))
                    goto out;
                q[nq++].key = "epoch";
                version = colon + 1;
            }
            if (*p->src_name) {
                /* the source rpm's file name, which never carries the epoch */
                const char *sv =
                    strchr(p->src_version, ':') ? strchr(p->src_version, ':') + 1 : p->src_version;

                if (!(q[nq].value =
                          fth_arena_printf(a, "%s%s%s.src.rpm", p->src_name, *sv ? "-" : "", sv)))
                    goto out;
                q[nq++].key = "upstream";
            }
        } else if (*p->src_name && strcmp(p->src_name, p->name)) {
            q[nq].value = p->src_name;
            if (!strcmp(type, "deb") && *p->src_version && strcmp(p->src_version, p->version) &&
                !(q[nq].value = fth_arena_printf(a, "%s@%s", p->src_name, p->src_version)))
                goto out;
            q[nq++].key = "upstream";
        }
    } else if (!strcmp(type, "npm") || !strcmp(type, "golang") || !strcmp(type, "composer")) {
        /* the namespace is everything before the last "/": "@scope", "github.com/x" */
        const char *slash = strrchr(name, '/');

        if (!strcmp(type, "composer")) {
            lower_into(lowered, sizeof(lowered), name, 0);
            name = lowered;
            slash = strrchr(name, '/');
        }
        if (slash) {
            ns = name;
            nslen = (size_t)(slash - name);
            name = slash + 1;
        }
    } else if (!strcmp(type, "maven")) {
        const char *colon = strchr(name, ':');

        if (colon) {
            ns = name;
            nslen = (size_t)(colon - name);
            name = colon + 1;
        }
    } else if (!strcmp(type, "pypi")) {
        /* PEP 503 normalisation, as purl-spec asks for pypi names */
        lower_into(lowered, sizeof(lowered), name, 1);
        name = lowered;
    }

    rc = fth_buf_printf(&b, "pkg:%s/", type);
    if (rc >= 0 && ns && nslen)
        rc = put_namespace(&b, ns, nslen);
    if (rc >= 0)
        rc = put_encoded(&b, name, 0);
    if (rc >= 0 && *version && (rc = fth_buf_putc(&b, '@')) >= 0)
        rc = put_encoded(&b, version, 0);
    if (nq > 1)
        qsort(q, nq, sizeof(q[0]), cmp_qualifier);
    for (size_t i = 0, first = 1; i < nq && rc >= 0; i++) {
        if (!q[i].value || !*q[i].value)
            continue;
        if ((rc = fth_buf_printf(&b, "%c%s=", first ? '?' : '&', q[i].key)) >= 0)
            rc = put_encoded(&b, q[i].value, 1);
        first = 0;
    }
    if (rc >= 0)
        out = fth_arena_strndup(a, b.ptr, b.len);
out:
    fth_buf_release(&b);
    return out;
}
