/*
 * SPDX 2.3 JSON: the document DESCRIBES the image (a package whose purpose is CONTAINER),
 * the image CONTAINS the operating system and every package, and each package DEPENDS_ON
 * the packages its metadata names. Licences the catalogers could not normalise are
 * NOASSERTION rather than invented LicenseRefs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbom_int.h"

static int put(json_t *o, const char *k, json_t *v)
{
    return v && !json_object_set_new(o, k, v) ? 0 : -1;
}

static int push(json_t *arr, json_t *v)
{
    return v && !json_array_append_new(arr, v) ? 0 : -1;
}

static int relationship(json_t *rels, const char *from, const char *type, const char *to)
{
    return push(rels, json_pack("{s:s, s:s, s:s}", "spdxElementId", from, "relationshipType",
                                type, "relatedSpdxElement", to));
}

static void package_id(char *out, size_t size, size_t i)
{
    snprintf(out, size, "SPDXRef-Package-%zu", i + 1);
}

static json_t *package(const struct sbom_doc *d, size_t i)
{
    const struct fth_package *p = &d->inv->packages[i];
    char id[64], *expr = sbom_license_expression(p), *info = NULL;
    json_t *o = NULL;
    int n;

    package_id(id, sizeof(id), i);
    n = snprintf(NULL, 0, "%s package from '%s' in layer %s", p->type, p->path,
                 sbom_layer_digest(d->img, p->layer));
    if (n < 0 || !(info = malloc((size_t)n + 1)))
        goto out;
    snprintf(info, (size_t)n + 1, "%s package from '%s' in layer %s", p->type, p->path,
             sbom_layer_digest(d->img, p->layer));
    o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "name", p->name, "SPDXID", id,
                  "versionInfo", *p->version ? p->version : "NOASSERTION", "downloadLocation",
                  "NOASSERTION", "filesAnalyzed", 0, "licenseConcluded", "NOASSERTION",
                  "licenseDeclared", expr ? expr : "NOASSERTION", "copyrightText",
                  "NOASSERTION", "sourceInfo", info);
    if (!o)
        goto out;
    if (!strncmp(p->digest, "sha1:", 5) || !strncmp(p->digest, "sha256:", 7)) {
        int sha1 = p->digest[3] == '1';

        if (put(o, "checksums",
                json_pack("[{s:s, s:s}]", "algorithm", sha1 ? "SHA1" : "SHA256",
                          "checksumValue", p->digest + (sha1 ? 5 : 7))) < 0)
            goto fail;
    }
    if (*p->purl && put(o, "externalRefs",
                        json_pack("[{s:s, s:s, s:s}]", "referenceCategory", "PACKAGE-MANAGER",
                                  "referenceType", "purl", "referenceLocator", p->purl)) < 0)
        goto fail;
    if (put(o, "primaryPackagePurpose", json_string("LIBRARY")) < 0)
        goto fail;
    goto out;
fail:
    json_decref(o);
    o = NULL;
out:
    free(expr);
    free(info);
    return o;
}

int sbom_spdx(json_t **out, const struct sbom_doc *d)
{
    const struct fth_inventory *inv = d->inv;
    json_t *root = NULL, *pkgs = NULL, *rels = NULL, *image = NULL;
    char ns[512], id[64], other[64];
    int rc = FTH_ENOMEM;

    snprintf(ns, sizeof(ns), "https://fathom.invalid/spdx/image/%s", d->uuid);
    root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:[s]}}", "spdxVersion", "SPDX-2.3",
                     "dataLicense", "CC0-1.0", "SPDXID", "SPDXRef-DOCUMENT", "name", d->name,
                     "documentNamespace", ns, "creationInfo", "created", d->timestamp,
                     "creators", "Tool: fathom-" FATHOM_VERSION);
    if (!root || !(pkgs = json_array()) || !(rels = json_array()))
        goto out;
    image = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "name", d->name, "SPDXID",
                      "SPDXRef-Image", "versionInfo",
                      *d->img->digest ? d->img->digest : "NOASSERTION", "downloadLocation",
                      "NOASSERTION", "filesAnalyzed", 0, "licenseConcluded", "NOASSERTION",
                      "licenseDeclared", "NOASSERTION", "copyrightText", "NOASSERTION",
                      "primaryPackagePurpose", "CONTAINER");
    if (push(pkgs, image) < 0 ||
        relationship(rels, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image") < 0)
        goto out;
    if (*inv->os.id) {
        json_t *os = json_pack(
            "{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "name", inv->os.id, "SPDXID",
            "SPDXRef-OperatingSystem", "versionInfo",
            *inv->os.version_id ? inv->os.version_id : "NOASSERTION", "downloadLocation",
            "NOASSERTION", "filesAnalyzed", 0, "licenseConcluded", "NOASSERTION",
            "licenseDeclared", "NOASSERTION", "copyrightText", "NOASSERTION",
            "primaryPackagePurpose", "OPERATING_SYSTEM");

        if (push(pkgs, os) < 0 ||
            relationship(rels, "SPDXRef-Image", "CONTAINS", "SPDXRef-OperatingSystem") < 0)
            goto out;
    }
    for (size_t i = 0; i < inv->npackages; i++) {
        package_id(id, sizeof(id), i);
        if (push(pkgs, package(d, i)) < 0 ||
            relationship(rels, "SPDXRef-Image", "CONTAINS", id) < 0)
            goto out;
    }
    for (size_t i = 0; i < inv->npackages; i++) {
        const struct fth_package *p = &inv->packages[i];

        package_id(id, sizeof(id), i);
        for (size_t k = 0; k < p->ndepends; k++) {
            long j = sbom_resolve_dependency(inv, p, p->depends[k]);
            int seen = 0;

            if (j < 0)
                continue;
            for (size_t m = 0; m < k; m++)
                seen |= sbom_resolve_dependency(inv, p, p->depends[m]) == j;
            package_id(other, sizeof(other), (size_t)j);
            if (!seen && relationship(rels, id, "DEPENDS_ON", other) < 0)
                goto out;
        }
    }
    rc = put(root, "packages", pkgs);
    pkgs = NULL;
    if (rc < 0 || put(root, "relationships", rels) < 0) {
        rels = NULL;
        rc = FTH_ENOMEM;
        goto out;
    }
    rels = NULL;
    *out = root;
    root = NULL;
    rc = 0;
out:
    json_decref(pkgs);
    json_decref(rels);
    json_decref(root);
    return rc;
}
