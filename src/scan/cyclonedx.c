/*
 * CycloneDX 1.6 for an image scan: the sbom module's document for the inventory, extended
 * with a `file` component per ELF binary (its SHA-256 in `hashes`) and, when the
 * vulnerability scanner ran, a `vulnerabilities` list whose `affects` name the packages'
 * bom-refs. Packages a later layer deleted are components too then (a vulnerability must
 * refer to one), marked by the property fathom:present-in-final-image = false.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/sbom.h"
#include "scan_int.h"
#include "../base/banned.h"

static int add(json_t *o, const char *k, json_t *v)
{
    return v && json_object_set_new(o, k, v) == 0 ? 0 : 1;
}

static int push(json_t *a, json_t *v)
{
    return v && json_array_append_new(a, v) == 0 ? 0 : 1;
}

static const char *prop(json_t *comp, const char *name)
{
    json_t *props = json_object_get(comp, "properties"), *p;
    size_t i;

    json_array_foreach(props, i, p)
    {
        const char *n = json_string_value(json_object_get(p, "name"));

        if (n && !strcmp(n, name))
            return json_string_value(json_object_get(p, "value"));
    }
    return NULL;
}

static int streq(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

/* The component of package p: same name, version, cataloger type and declaring file. */
static json_t *component_of(json_t *comps, const struct fth_package *p)
{
    size_t i;
    json_t *c;

    json_array_foreach(comps, i, c)
    {
        const char *v = json_string_value(json_object_get(c, "version"));

        if (streq(json_string_value(json_object_get(c, "name")), p->name) &&
            (v ? !strcmp(v, p->version) : !*p->version) &&
            streq(prop(c, "fathom:package:type"), p->type) &&
            streq(prop(c, "fathom:location:path"), p->path))
            return c;
    }
    return NULL;
}

static json_t *property(const char *name, const char *value)
{
    return json_pack("{s:s, s:o}", "name", name, "value", scan_jstr(value));
}

static const char *cdx_severity(enum fth_severity s)
{
    static const char *const names[] = {"unknown", "info", "low", "medium", "high", "critical"};

    return names[s];
}

static const char *cdx_method(const char *vector)
{
    if (!strncmp(vector, "CVSS:3.1/", 9))
        return "CVSSv31";
    if (!strncmp(vector, "CVSS:3.0/", 9))
        return "CVSSv3";
    if (!strncmp(vector, "CVSS:4.0/", 9))
        return "CVSSv4";
    return "CVSSv2";
}

static const char *source_name(const char *id)
{
    if (!strncmp(id, "GHSA-", 5))
        return "GitHub Advisory Database";
    if (!strncmp(id, "CVE-", 4))
        return "NVD";
    if (!strncmp(id, "DEBIAN-", 7) || !strncmp(id, "DSA-", 4) || !strncmp(id, "DLA-", 4))
        return "Debian Security Tracker";
    if (!strncmp(id, "ALPINE-", 7))
        return "Alpine SecDB";
    if (!strncmp(id, "GO-", 3))
        return "Go Vulnerability Database";
    if (!strncmp(id, "RUSTSEC-", 8))
        return "RustSec";
    return "OSV";
}

static json_t *vulnerability(const struct fth_scan_finding *f, const char *ref)
{
    json_t *v = json_object(), *ratings = json_array(), *refs = json_array(),
           *advisories = json_array(), *versions = json_array(), *props = json_array(), *r;
    int e = !v || !ratings || !refs || !advisories || !versions || !props;

    if (e)
        goto fail;
    e |= add(v, "id", scan_jstr(f->id));
    e |= add(v, "source",
             json_pack("{s:s, s:o}", "name", source_name(f->id), "url",
                       scan_jstr(f->nreferences ? f->references[0] : "")));
    for (size_t i = 0; i < f->naliases; i++)
        e |= push(refs, json_pack("{s:o, s:{s:s, s:o}}", "id", scan_jstr(f->aliases[i]), "source",
                                  "name", source_name(f->aliases[i]), "url",
                                  scan_jstr(i + 1 < f->nreferences ? f->references[i + 1] : "")));
    if (f->cvss_score >= 0)
        r = json_pack("{s:f, s:s, s:s, s:o}", "score", f->cvss_score, "severity",
                      cdx_severity(f->severity), "method", cdx_method(f->cvss_vector), "vector",
                      scan_jstr(f->cvss_vector));
    else
        r = json_pack("{s:s, s:s}", "severity", cdx_severity(f->severity), "method", "other");
    e |= push(ratings, r);
    for (size_t i = 0; i < f->nreferences; i++)
        e |= push(advisories, json_pack("{s:o}", "url", scan_jstr(f->references[i])));
    e |= push(versions,
              json_pack("{s:o, s:s}", "version", scan_jstr(f->pkg->version), "status", "affected"));
    for (size_t i = 0; i < f->nfixed; i++)
        e |= push(versions, json_pack("{s:o, s:s}", "version", scan_jstr(f->fixed[i]), "status",
                                      "unaffected"));
    e |= push(props, property("fathom:status", f->status));
    for (size_t i = 0; i < f->nfixed; i++)
        e |= push(props, property("fathom:fixed-version", f->fixed[i]));
    e |= push(props, property("fathom:present-in-final-image", f->present ? "true" : "false"));
    if (f->suppressed)
        e |= push(props, property("fathom:suppressed", f->suppressed));
    if (json_array_size(refs))
        e |= add(v, "references", refs);
    else
        json_decref(refs);
    refs = NULL;
    e |= add(v, "ratings", ratings);
    ratings = NULL;
    e |= add(v, "description", scan_jstr(f->title));
    if (*f->remediation)
        e |= add(v, "recommendation", scan_jstr(f->remediation));
    e |= add(v, "advisories", advisories);
    advisories = NULL;
    e |= add(v, "affects", json_pack("[{s:s, s:o}]", "ref", ref, "versions", versions));
    versions = NULL;
    e |= add(v, "properties", props);
    props = NULL;
    if (e)
        goto fail;
    return v;
fail:
    json_decref(v);
    json_decref(ratings);
    json_decref(refs);
    json_decref(advisories);
    json_decref(versions);
    json_decref(props);
    return NULL;
}

static json_t *binary_component(const struct fth_image *img, const struct fth_scan_binary *b)
{
    char ref[64];
    json_t *c, *props = json_array();
    char *bomref;
    size_t n = strlen(b->path) + sizeof(ref);

    if (!props || !(bomref = malloc(n))) {
        json_decref(props);
        return NULL;
    }
    snprintf(bomref, n, "file:%u:%s", b->layer, b->path);
    push(props, property("fathom:binary:kind", b->kind));
    push(props, property("fathom:location:path", b->path));
    push(props, property("fathom:layer:digest",
                         b->layer < img->nlayers ? img->layers[b->layer].digest : ""));
    push(props, property("fathom:present-in-final-image", b->present ? "true" : "false"));
    c = json_pack("{s:o, s:s, s:o, s:[{s:s, s:s}], s:o}", "bom-ref", scan_jstr(bomref), "type",
                  "file", "name", scan_jstr(b->path), "hashes", "alg", "SHA-256", "content",
                  b->sha256, "properties", props);
    free(bomref);
    return c;
}

int scan_report_cyclonedx(struct fth_buf *out, const struct fth_image *img,
                          const struct fth_scan_result *res,
                          const struct fth_scan_report_opts *opts, struct fth_error *err)
{
    struct fth_sbom_opts so = FTH_SBOM_OPTS_INIT;
    struct fth_buf sbom = FTH_BUF_INIT;
    struct fth_arena *a = fth_arena_new();
    struct fth_inventory vis;
    const struct fth_inventory *inv = &res->inv;
    int with_vulns = (res->scanners & FTH_SCAN_VULN) != 0;
    json_t *doc = NULL, *comps, *vulns = NULL;
    int error = FTH_ENOMEM, e = 0;

    if (!a)
        goto out;
    so.timestamp = opts->timestamp;
    so.uuid = opts->uuid;
    /* deleted packages are components only when vulnerabilities may refer to them */
    if (!with_vulns) {
        if (fth_scan_visible_inventory(&vis, a, &res->inv) < 0)
            goto out;
        inv = &vis;
    }
    if ((error = fth_sbom_write(&sbom, FTH_SBOM_CYCLONEDX, img, inv, &so, err)) < 0)
        goto done;
    error = FTH_ENOMEM;
    if (!(doc = json_loadb(sbom.ptr, sbom.len, 0, NULL)))
        goto out;
    if (!(comps = json_object_get(doc, "components"))) {
        if (!(comps = json_array()) || json_object_set_new(doc, "components", comps) < 0)
            goto out;
    }
    for (size_t i = 0; i < inv->npackages; i++) {
        json_t *c;

        if (!inv->packages[i].hidden || !(c = component_of(comps, &inv->packages[i])))
            continue;
        e |= push(json_object_get(c, "properties"),
                  property("fathom:present-in-final-image", "false"));
    }
    for (size_t i = 0; i < res->nbinaries; i++)
        e |= push(comps, binary_component(img, &res->binaries[i]));
    if (with_vulns) {
        if (!(vulns = json_array()))
            goto out;
        for (size_t i = 0; i < res->nfindings; i++) {
            const struct fth_scan_finding *f = &res->findings[i];
            json_t *c;
            const char *ref;

            if (f->cls != FTH_CLASS_VULNERABILITY || !f->pkg ||
                !(c = component_of(comps, f->pkg)) ||
                !(ref = json_string_value(json_object_get(c, "bom-ref"))))
                continue;
            e |= push(vulns, vulnerability(f, ref));
        }
        e |= add(doc, "vulnerabilities", vulns);
        vulns = NULL;
    }
    if (e)
        goto out;
    error = scan_json_dump(out, doc);
out:
    if (error < 0)
        fth_error_set(err, error, "cannot write the CycloneDX document: %s", fth_error_name(error));
done:
    json_decref(doc);
    json_decref(vulns);
    fth_buf_release(&sbom);
    fth_arena_free(a);
    return error;
}
