/*
 * CycloneDX 1.6 JSON: the image as the metadata component (type container), the operating
 * system and every package as components, and the dependency graph: the image depends on
 * the OS and on every package; each package on the packages its metadata names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbom_int.h"

/* Steal v into o[k]; -1 when v is NULL or the set fails (out of memory). */
static int put(json_t *o, const char *k, json_t *v)
{
    return v && !json_object_set_new(o, k, v) ? 0 : -1;
}

static int push(json_t *arr, json_t *v)
{
    return v && !json_array_append_new(arr, v) ? 0 : -1;
}

static int property(json_t *props, const char *name, const char *value)
{
    return push(props, json_pack("{s:s, s:s}", "name", name, "value", value));
}

/* "deb:curl@7.88.1-10:amd64#3": unique even when one purl appears at two paths. */
static char *bom_ref(const struct fth_inventory *inv, size_t i)
{
    const struct fth_package *p = &inv->packages[i];
    size_t same = 0;
    char *s;
    int n;

    for (size_t j = 0; j < inv->npackages; j++)
        same += !strcmp(inv->packages[j].purl, p->purl);
    if (*p->purl && same == 1)
        return strdup(p->purl);
    n = snprintf(NULL, 0, "%s#%zu", *p->purl ? p->purl : p->name, i);
    if (n < 0 || !(s = malloc((size_t)n + 1)))
        return NULL;
    snprintf(s, (size_t)n + 1, "%s#%zu", *p->purl ? p->purl : p->name, i);
    return s;
}

static json_t *licenses(const struct fth_package *p)
{
    char *expr = sbom_license_expression(p);
    json_t *arr = json_array();

    if (arr && expr) {
        if (push(arr, json_pack("{s:s}", "expression", expr)) < 0)
            goto fail;
    } else if (arr) {
        for (size_t i = 0; i < p->nlicenses; i++)
            if (push(arr, json_pack("{s:{s:s}}", "license", "name", p->licenses[i].value)) < 0)
                goto fail;
    }
    free(expr);
    return arr;
fail:
    free(expr);
    json_decref(arr);
    return NULL;
}

static json_t *package_component(const struct sbom_doc *d, size_t i, const char *ref)
{
    const struct fth_package *p = &d->inv->packages[i];
    json_t *c = json_object(), *props = json_array();

    /* put() consumes its value, so only what is not yet attached is released on failure */

    if (!c || !props || put(c, "bom-ref", json_string(ref)) < 0 ||
        put(c, "type", json_string("library")) < 0 || put(c, "name", json_string(p->name)) < 0 ||
        (*p->version && put(c, "version", json_string(p->version)) < 0))
        goto fail;
    if (!strncmp(p->digest, "sha1:", 5) || !strncmp(p->digest, "sha256:", 7)) {
        int sha1 = p->digest[3] == '1';

        if (put(c, "hashes",
                json_pack("[{s:s, s:s}]", "alg", sha1 ? "SHA-1" : "SHA-256", "content",
                          p->digest + (sha1 ? 5 : 7))) < 0)
            goto fail;
    }
    if (p->nlicenses && put(c, "licenses", licenses(p)) < 0)
        goto fail;
    if (*p->purl && put(c, "purl", json_string(p->purl)) < 0)
        goto fail;
    if (property(props, "fathom:package:type", p->type) < 0 ||
        property(props, "fathom:location:path", p->path) < 0 ||
        property(props, "fathom:layer:digest", sbom_layer_digest(d->img, p->layer)) < 0 ||
        (*p->src_name && property(props, "fathom:package:source-name", p->src_name) < 0) ||
        (*p->src_version && property(props, "fathom:package:source-version", p->src_version) < 0))
        goto fail;
    if (put(c, "properties", props) < 0)
        goto fail_c;
    return c;
fail:
    json_decref(props);
fail_c:
    json_decref(c);
    return NULL;
}

static json_t *image_component(const struct sbom_doc *d)
{
    const struct fth_image *img = d->img;
    json_t *c = json_object(), *props = json_array();

    if (!c || !props || put(c, "bom-ref", json_string("image")) < 0 ||
        put(c, "type", json_string("container")) < 0 || put(c, "name", json_string(d->name)) < 0 ||
        (*img->digest && put(c, "version", json_string(img->digest)) < 0))
        goto fail;
    for (size_t i = 0; i < img->nlayers; i++)
        if (property(props, "fathom:image:layer", img->layers[i].digest) < 0)
            goto fail;
    if ((*img->config_digest && property(props, "fathom:image:id", img->config_digest) < 0) ||
        (*img->architecture && property(props, "fathom:image:architecture", img->architecture) < 0))
        goto fail;
    if (put(c, "properties", props) < 0)
        goto fail_c;
    return c;
fail:
    json_decref(props);
fail_c:
    json_decref(c);
    return NULL;
}

static json_t *os_component(const struct fth_os *os)
{
    json_t *c = json_object();

    if (!c || put(c, "bom-ref", json_string("os")) < 0 ||
        put(c, "type", json_string("operating-system")) < 0 ||
        put(c, "name", json_string(os->id)) < 0 ||
        (*os->version_id && put(c, "version", json_string(os->version_id)) < 0) ||
        (*os->pretty_name && put(c, "description", json_string(os->pretty_name)) < 0)) {
        json_decref(c);
        return NULL;
    }
    return c;
}

int sbom_cyclonedx(json_t **out, const struct sbom_doc *d)
{
    const struct fth_inventory *inv = d->inv;
    json_t *root = json_object(), *meta = NULL, *comps = NULL, *deps = NULL, *rootdeps = NULL;
    char **refs = NULL;
    char serial[64];
    int rc = FTH_ENOMEM;

    if (!root || (inv->npackages && !(refs = calloc(inv->npackages, sizeof(*refs)))))
        goto out;
    for (size_t i = 0; i < inv->npackages; i++)
        if (!(refs[i] = bom_ref(inv, i)))
            goto out;
    snprintf(serial, sizeof(serial), "urn:uuid:%s", d->uuid);
    if (put(root, "$schema", json_string("http://cyclonedx.org/schema/bom-1.6.schema.json")) < 0 ||
        put(root, "bomFormat", json_string("CycloneDX")) < 0 ||
        put(root, "specVersion", json_string("1.6")) < 0 ||
        put(root, "serialNumber", json_string(serial)) < 0 ||
        put(root, "version", json_integer(1)) < 0)
        goto out;
    meta =
        json_pack("{s:s, s:{s:[{s:s, s:s, s:s}]}}", "timestamp", d->timestamp, "tools",
                  "components", "type", "application", "name", "fathom", "version", FATHOM_VERSION);
    if (!meta || put(meta, "component", image_component(d)) < 0)
        goto out;
    rc = put(root, "metadata", meta);
    meta = NULL;
    if (rc < 0) {
        rc = FTH_ENOMEM;
        goto out;
    }
    if (!(comps = json_array()) || !(deps = json_array()) || !(rootdeps = json_array()))
        goto out;
    if (*inv->os.id) {
        if (push(comps, os_component(&inv->os)) < 0 || push(rootdeps, json_string("os")) < 0)
            goto out;
    }
    for (size_t i = 0; i < inv->npackages; i++) {
        const struct fth_package *p = &inv->packages[i];
        json_t *dep, *on;

        if (push(comps, package_component(d, i, refs[i])) < 0 ||
            push(rootdeps, json_string(refs[i])) < 0)
            goto out;
        if (!(on = json_array()))
            goto out;
        for (size_t k = 0; k < p->ndepends; k++) {
            long j = sbom_resolve_dependency(inv, p, p->depends[k]);
            int seen = 0;

            if (j < 0)
                continue;
            for (size_t m = 0; m < json_array_size(on); m++)
                seen |= !strcmp(json_string_value(json_array_get(on, m)), refs[j]);
            if (!seen && push(on, json_string(refs[j])) < 0) {
                json_decref(on);
                goto out;
            }
        }
        /* "o" steals `on`, even when packing fails */
        if (!(dep = json_pack("{s:s, s:o}", "ref", refs[i], "dependsOn", on)) ||
            push(deps, dep) < 0)
            goto out;
    }
    {
        json_t *top = json_pack("{s:s, s:o}", "ref", "image", "dependsOn", rootdeps);

        rootdeps = NULL;
        if (!top || json_array_insert_new(deps, 0, top) < 0)
            goto out;
    }
    /* put() consumes its value whether or not it succeeds */
    rc = put(root, "components", comps);
    comps = NULL;
    if (rc < 0 || put(root, "dependencies", deps) < 0) {
        deps = NULL;
        rc = FTH_ENOMEM;
        goto out;
    }
    deps = NULL;
    *out = root;
    root = NULL;
    rc = 0;
out:
    for (size_t i = 0; refs && i < inv->npackages; i++)
        free(refs[i]);
    free(refs);
    json_decref(meta);
    json_decref(comps);
    json_decref(deps);
    json_decref(rootdeps);
    json_decref(root);
    return rc;
}
