/*
 * sbom: what the CycloneDX and SPDX writers share: document identity (timestamp, UUID),
 * the image's display name, licence expressions and dependency resolution.
 */
#ifndef FATHOM_SBOM_INT_H
#define FATHOM_SBOM_INT_H

#include <jansson.h>

#include <fathom/sbom.h>

struct sbom_doc {
    const struct fth_image *img;
    const struct fth_inventory *inv;
    char timestamp[32];
    char uuid[37];
    const char *name; /* the image as users name it */
    const struct fth_sbom_file *files;
    size_t nfiles;
};

int sbom_doc_init(struct sbom_doc *d, const struct fth_image *img,
                  const struct fth_inventory *inv, const struct fth_sbom_opts *opts,
                  struct fth_error *err);

/*
 * One SPDX expression for all of p's licences when every one was normalised ("A AND B",
 * compound ones parenthesised); NULL when any is unknown or there are none. Malloc'd.
 */
char *sbom_license_expression(const struct fth_package *p);

/*
 * Index in inv->packages of the package that `dep` (a name from p->depends) names: same type
 * (and, for distro packages, same arch or an arch-independent one); -1 when none.
 */
long sbom_resolve_dependency(const struct fth_inventory *inv, const struct fth_package *p,
                             const char *dep);

/* The layer's digest, or "" when the index is out of range. */
const char *sbom_layer_digest(const struct fth_image *img, unsigned layer);

/* Serialise root (stolen) with two-space indentation and a final newline into out. */
int sbom_dump(struct fth_buf *out, json_t *root, struct fth_error *err);

int sbom_cyclonedx(json_t **out, const struct sbom_doc *d);
int sbom_spdx(json_t **out, const struct sbom_doc *d);

#endif
