/*
 * SPDX 2.3 JSON: the document DESCRIBES the image (a package whose purpose is CONTAINER),
 * the image CONTAINS the operating system and every package, and each package DEPENDS_ON
 * the packages its metadata names; each file given (the image's ELF binaries) carries SHA-1
 * and SHA-256 and is CONTAINed by the image and by the package owning it. Licences the
 * catalogers could not normalise are NOASSERTION rather than invented LicenseRefs.
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
    return push(rels, json_pack("{s:s, s:s, s:s}", "spdxElementId", from, "relationshipType", type,
                                "relatedSpdxElement", to));
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
                  "licenseDeclared", expr ? expr : "NOASSERTION", "copyrightText", "NOASSERTION",
                  "sourceInfo", info);
    if (!o)
        goto out;
    if (!strncmp(p->digest, "sha1:", 5) || !strncmp(p->digest, "sha256:", 7)) {
        int sha1 = p->digest[3] == '1';

        if (put(o, "checksums",
                json_pack("[{s:s, s:s}]", "algorithm", sha1 ? "SHA1" : "SHA256", "checksumValue",
                          p->digest + (sha1 ? 5 : 7))) < 0)
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

/* A file path a package owns, for "package CONTAINS file". */
struct owned {
    const char *path;
    size_t pkg;
};

static int cmp_owned(const void *x, const void *y)
{
    return strcmp(((const struct owned *)x)->path, ((const struct owned *)y)->path);
}

static json_t *file(const struct sbom_doc *d, size_t i)
{
    const struct fth_sbom_file *f = &d->files[i];
    char id[64], *name = NULL, *comment = NULL;
    json_t *o = NULL;
    int n, m;

    snprintf(id, sizeof(id), "SPDXRef-File-%zu", i + 1);
    n = snprintf(NULL, 0, "./%s", f->path);
    m = snprintf(NULL, 0, "ELF %s from layer %u (%s)%s", f->kind, f->layer,
                 sbom_layer_digest(d->img, f->layer),
                 f->present ? "" : "; deleted by a later layer");
    if (n < 0 || m < 0 || !(name = malloc((size_t)n + 1)) || !(comment = malloc((size_t)m + 1)))
        goto out;
    snprintf(name, (size_t)n + 1, "./%s", f->path);
    snprintf(comment, (size_t)m + 1, "ELF %s from layer %u (%s)%s", f->kind, f->layer,
             sbom_layer_digest(d->img, f->layer), f->present ? "" : "; deleted by a later layer");
    o = json_pack("{s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}], s:[s], s:s, s:s, s:s}", "fileName", name,
                  "SPDXID", id, "checksums", "algorithm", "SHA1", "checksumValue", f->sha1,
                  "algorithm", "SHA256", "checksumValue", f->sha256, "fileTypes", "BINARY",
                  "licenseConcluded", "NOASSERTION", "copyrightText", "NOASSERTION", "comment",
                  comment);
out:
    free(name);
    free(comment);
    return o;
}

/* The files, each CONTAINed by the image and by the packages that list it among their files. */
static int files(json_t *root, json_t *rels, const struct sbom_doc *d)
{
    const struct fth_inventory *inv = d->inv;
    struct owned *own = NULL, key, *hit;
    json_t *arr;
    size_t n = 0;
    char id[64], pid[64];
    int rc = FTH_ENOMEM;

    if (!d->nfiles)
        return 0;
    if (!(arr = json_array()))
        return FTH_ENOMEM;
    for (size_t i = 0; i < inv->npackages; i++)
        n += inv->packages[i].nfiles;
    if (n && !(own = malloc(n * sizeof(*own))))
        goto out;
    n = 0;
    for (size_t i = 0; i < inv->npackages; i++)
        for (size_t k = 0; k < inv->packages[i].nfiles; k++) {
            const char *p = inv->packages[i].files[k];

            own[n].path = p[0] == '/' ? p + 1 : p;
            own[n++].pkg = i;
        }
    if (n)
        qsort(own, n, sizeof(*own), cmp_owned);
    for (size_t i = 0; i < d->nfiles; i++) {
        snprintf(id, sizeof(id), "SPDXRef-File-%zu", i + 1);
        if (push(arr, file(d, i)) < 0 || relationship(rels, "SPDXRef-Image", "CONTAINS", id) < 0)
            goto out;
        key.path = d->files[i].path;
        if (!n || !d->files[i].present || !(hit = bsearch(&key, own, n, sizeof(*own), cmp_owned)))
            continue;
        /* every package that lists it, from the first of the run bsearch landed in */
        while (hit > own && !strcmp(hit[-1].path, key.path))
            hit--;
        for (; hit < own + n && !strcmp(hit->path, key.path); hit++) {
            package_id(pid, sizeof(pid), hit->pkg);
            if (relationship(rels, pid, "CONTAINS", id) < 0)
                goto out;
        }
    }
    rc = put(root, "files", arr);
    arr = NULL;
out:
    json_decref(arr);
    free(own);
    return rc;
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
                     "documentNamespace", ns, "creationInfo", "created", d->timestamp, "creators",
                     "Tool: fathom-" FATHOM_VERSION);
    if (!root || !(pkgs = json_array()) || !(rels = json_array()))
        goto out;
    image = json_pack(
        "{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "name", d->name, "SPDXID", "SPDXRef-Image",
        "versionInfo", *d->img->digest ? d->img->digest : "NOASSERTION", "downloadLocation",
        "NOASSERTION", "filesAnalyzed", 0, "licenseConcluded", "NOASSERTION", "licenseDeclared",
        "NOASSERTION", "copyrightText", "NOASSERTION", "primaryPackagePurpose", "CONTAINER");
    if (push(pkgs, image) < 0 ||
        relationship(rels, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image") < 0)
        goto out;
    if (*inv->os.id) {
        json_t *os =
            json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "name", inv->os.id, "SPDXID",
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
    if (rc < 0 || files(root, rels, d) < 0) {
        rc = FTH_ENOMEM;
        goto out;
    }
    if (put(root, "relationships", rels) < 0) {
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
