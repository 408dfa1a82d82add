/*
 * sbom: software bills of materials for an image's inventory, as CycloneDX 1.6 JSON and
 * SPDX 2.3 JSON. Both validate against the official schemas; both carry every package's
 * purl, declared licences, hashes where known, the layer and file that declared it, and the
 * dependency relationships the package metadata states.
 */
#ifndef FATHOM_SBOM_H
#define FATHOM_SBOM_H

#include "base.h"
#include "catalog.h"
#include "image.h"

#ifdef __cplusplus
extern "C" {
#endif

enum fth_sbom_format { FTH_SBOM_CYCLONEDX, FTH_SBOM_SPDX };

/* A file the document lists with its checksums (the ELF binaries fth_scan_image fingerprints). */
struct fth_sbom_file {
    const char *path;   /* inside the image, no leading "/" */
    unsigned layer;     /* the layer whose copy this is */
    int present;        /* that copy is the final image's */
    const char *kind;   /* "executable" or "shared-library" */
    const char *sha256; /* 64 hex digits */
    const char *sha1;   /* 40 hex digits (SPDX requires SHA-1 for files) */
};

struct fth_sbom_opts {
    const char *timestamp; /* RFC 3339 UTC ("2026-01-02T03:04:05Z"); NULL: now */
    const char *uuid;      /* serial number / namespace UUID; NULL: random */
    /* SPDX: files (each CONTAINed by the image and by the package whose file list names
     * it); the CycloneDX writer of fth_scan_report carries binaries itself */
    const struct fth_sbom_file *files;
    size_t nfiles;
};

#define FTH_SBOM_OPTS_INIT                                                                         \
    {                                                                                              \
        NULL, NULL, NULL, 0                                                                        \
    }

/* Parse "cyclonedx" or "spdx" (also "spdx-json", "cyclonedx-json"); FTH_EUSAGE otherwise. */
int fth_sbom_format_parse(enum fth_sbom_format *out, const char *name);

/* Append the document, indented JSON ending in a newline, to out. */
int fth_sbom_write(struct fth_buf *out, enum fth_sbom_format format, const struct fth_image *img,
                   const struct fth_inventory *inv, const struct fth_sbom_opts *opts,
                   struct fth_error *err);

#ifdef __cplusplus
}
#endif
#endif
