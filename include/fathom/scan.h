/*
 * scan: an image's findings (`fathom scan image`). One walk over the layers catalogues the
 * packages (fathom/catalog.h) and, through the catalog's visitor, scans every regular file of
 * every layer for secrets (fathom/secret.h), records file hygiene facts (set-id bits,
 * world-writable files, shells, package managers, network tools) and fingerprints every ELF
 * executable and shared library with SHA-256. Then every package, including those a later
 * layer deleted, is matched against the vulnerability database (fathom/vulndb.h): distro
 * packages by release and source package, language packages by ecosystem, Go binaries'
 * standard library by their Go version.
 *
 * Findings carry the layer and file they come from and whether that file is still in the
 * final image. Filters (severities, unfixed) drop findings; an ignore file marks them
 * suppressed, never drops them. Renderers: table, JSON, SARIF 2.1.0 and CycloneDX 1.6.
 */
#ifndef FATHOM_SCAN_H
#define FATHOM_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "fathom/base.h"
#include "fathom/catalog.h"
#include "fathom/finding.h"
#include "fathom/image.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fth_vulndb;
struct fth_secret_rules;
struct fth_license_deny;
struct fth_secret_scan_opts;

/* scanners */
#define FTH_SCAN_VULN 0x1u
#define FTH_SCAN_SECRET 0x2u
#define FTH_SCAN_LICENSE 0x4u
#define FTH_SCAN_HYGIENE 0x8u
/* What `fathom scan image` runs without --scanners (Trivy runs vuln,secret). */
#define FTH_SCAN_DEFAULT (FTH_SCAN_VULN | FTH_SCAN_SECRET | FTH_SCAN_HYGIENE)

/* "vuln,secret,license,hygiene" (any subset, any order; "vulnerability" and "secrets" too). */
int fth_scan_scanners_parse(unsigned *out, const char *list, struct fth_error *err);

/* ---- ignore files ---- */

/*
 * One entry of an ignore file. Trivy's .trivyignore text form, one id a line with an optional
 * "exp:YYYY-MM-DD", plus Fathom's optional "pkg:NAME" (or "purl:PURL", a prefix),
 * "path:FILE" (or "path:DIR/") and a reason after '#':
 *
 *   CVE-2021-44906 exp:2027-01-01 pkg:minimist  # only in the build stage
 *   GHSA-29mw-wpgm-hmr9 purl:pkg:npm/lodash path:app/
 *
 * or Trivy's YAML form (.trivyignore.yaml): lists under vulnerabilities, secrets, hygiene,
 * misconfigurations or licenses, each entry {id, package or purls, paths, expired_at (also
 * expires), statement (also reason)}.
 */
struct fth_scan_ignore_entry {
    const char *id;      /* an advisory id or alias, a rule id */
    const char *package; /* "" for any; a name, or a purl ("pkg:npm/minimist") as prefix */
    const char *path;    /* "" for any; the finding's file, or a directory prefix "dir/" */
    const char *expires; /* "YYYY-MM-DD" (the last day it applies) or "" for never */
    const char *reason;  /* "" when none given */
    unsigned line;       /* where it is written */
};

struct fth_scan_ignore {
    const char *name; /* the file, for messages and suppression notes */
    struct fth_scan_ignore_entry *entries;
    size_t len;
};

/*
 * Parse an ignore file's text (the YAML form when it opens with a mapping, else the text
 * form). FTH_EINVALID, with name:line, for a bad date or a YAML entry without an id; more
 * than FTH_LIMIT_IGNORE_ENTRIES entries is FTH_ELIMIT. Results in a.
 */
int fth_scan_ignore_parse(struct fth_scan_ignore *out, struct fth_arena *a, const char *name,
                          const char *data, size_t len, struct fth_error *err);
int fth_scan_ignore_load(struct fth_scan_ignore *out, struct fth_arena *a, const char *path,
                         struct fth_error *err);

/* ---- known-bad binary digests (--binary-hashes) ---- */

struct fth_scan_hash {
    char sha256[65];
    const char *note; /* the rest of the line, "" when none */
};

struct fth_scan_hashes {
    struct fth_scan_hash *items; /* sorted by digest */
    size_t len;
};

/*
 * One digest a line: 64 hex digits (optionally "sha256:"), then an optional note; '#'
 * starts a comment line; `sha256sum` output reads as it is. FTH_EINVALID names the line.
 */
int fth_scan_hashes_parse(struct fth_scan_hashes *out, struct fth_arena *a, const char *name,
                          const char *data, size_t len, struct fth_error *err);

/* ---- results ---- */

/* An ELF executable or shared library of some layer. */
struct fth_scan_binary {
    const char *path;
    unsigned layer;
    int present;      /* this layer's copy is the one in the final image */
    const char *kind; /* "executable" or "shared-library" (ELF e_type EXEC or DYN) */
    uint64_t size;
    char sha256[65];
    char sha1[41]; /* "" unless fth_scan_opts.sha1 (SPDX file checksums need it) */
};

struct fth_scan_finding {
    enum fth_finding_class cls; /* VULNERABILITY, SECRET, HYGIENE */
    const char *id;             /* advisory id, secret rule id, hygiene rule id */
    const char *const *aliases;
    size_t naliases;
    enum fth_severity severity;
    const char *title;
    const char *message;  /* one line */
    const char *path;     /* the file ("" when about the image config) */
    int layer;            /* layer index, -1 when about the image config */
    int present;          /* the file (and so the finding) is in the final image */
    unsigned line;        /* secrets: 1-based line, 0 otherwise */
    const char *match;    /* secrets: the masked line; "" otherwise */
    const char *category; /* secrets: the rule's category; "" otherwise */
    /* vulnerabilities */
    const struct fth_package *pkg; /* in the result's inventory; NULL for other classes */
    const char *status; /* "fixed", "unfixed", "will-not-fix", "end-of-life", "undetermined" */
    const char *const *fixed;
    size_t nfixed;
    double cvss_score;           /* -1 when no CVSS vector was given */
    const char *cvss_vector;     /* "" when none */
    const char *severity_source; /* "cvss", "distro", "rule" or "none" */
    const char *const *references;
    size_t nreferences;
    const char *remediation; /* "" when none */
    /* suppression: NULL, or "ignore file NAME:LINE[: reason]" */
    const char *suppressed;
};

struct fth_scan_stats {
    size_t packages;       /* packages looked up (final image and deleted ones) */
    size_t unsupported;    /* packages whose ecosystem or version the database cannot match */
    size_t files;          /* regular files seen, all layers */
    size_t secret_files;   /* files handed to the secret scanner */
    uint64_t secret_bytes; /* their bytes */
    size_t dropped;        /* findings removed by fth_scan_filter */
};

struct fth_scan_result {
    unsigned scanners;
    struct fth_inventory inv;          /* every package; fth_package.hidden for the deleted ones */
    struct fth_scan_finding *findings; /* sorted: class, package, id, path, layer */
    size_t nfindings;
    struct fth_scan_binary *binaries; /* sorted by path, then layer */
    size_t nbinaries;
    const char *db_imported_at; /* the database's newest import, "" when none or not used */
    struct fth_scan_stats stats;
};

struct fth_scan_opts {
    unsigned scanners;     /* FTH_SCAN_*; 0: none (the inventory, and binaries when asked) */
    struct fth_vulndb *db; /* required with FTH_SCAN_VULN */
    const struct fth_secret_rules *secret_rules; /* required with FTH_SCAN_SECRET */
    const struct fth_scan_hashes *bad_hashes;    /* NULL: none */
    int binaries;                                /* fingerprint ELF files even without bad_hashes */
    const char *today;                           /* "YYYY-MM-DD" for end of life; NULL: now */
    unsigned threads;                            /* layers at once; 0: one per core */
    const char *cache_dir; /* the catalog's layer cache (fth_catalog_opts.cache_dir) */
    /* FTH_SCAN_LICENSE: NULL reports every declared licence graded by category; a deny list
     * (fth_license_deny_parse) reports only the licences it denies, at least HIGH */
    const struct fth_license_deny *license_deny;
    int sha1; /* fingerprint binaries with SHA-1 too */
    /* the secret scanner's options (binary files, size limit, files over it in chunks);
     * NULL: its defaults (text files up to FTH_LIMIT_SECRET_FILE_SIZE) */
    const struct fth_secret_scan_opts *secret_opts;
};

#define FTH_SCAN_OPTS_INIT                                                                         \
    {                                                                                              \
        0, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, 0, NULL                                       \
    }

/*
 * Scan img once and fill out (everything in a). Errors: the image's (naming image, layer,
 * entry), the database's, FTH_EUSAGE when a scanner's input (db, rules) is missing.
 */
int fth_scan_image(struct fth_scan_result *out, struct fth_arena *a, struct fth_image *img,
                   const struct fth_scan_opts *opts, struct fth_error *err);

/* ---- filters, suppression, gate ---- */

struct fth_scan_filter {
    unsigned severities;                  /* bit (1 << fth_severity) per severity kept; 0: all */
    int ignore_unfixed;                   /* drop vulnerabilities whose status is not "fixed" */
    const struct fth_scan_ignore *ignore; /* NULL: none */
    const char *today;                    /* "YYYY-MM-DD" for expiry; NULL: now */
};

/*
 * Drop what the filter drops (counted in stats.dropped) and mark what the ignore file
 * suppresses. An expired ignore entry suppresses nothing and is logged as a warning once.
 * Returns the number of findings left unsuppressed: the gate (1 when it is not 0).
 */
size_t fth_scan_filter(struct fth_scan_result *res, struct fth_arena *a,
                       const struct fth_scan_filter *f);

/* "critical,high" -> severities bits; FTH_EUSAGE naming the bad word. */
int fth_scan_severities_parse(unsigned *out, const char *list, struct fth_error *err);

/* ---- rules and outputs ---- */

/* The hygiene rules (docs/hygiene.md), NULL-terminated. */
const struct fth_rule *const *fth_scan_hygiene_rules(void);

enum fth_scan_format {
    FTH_SCAN_TABLE = 0,
    FTH_SCAN_JSON,
    FTH_SCAN_SARIF,
    FTH_SCAN_CYCLONEDX,
};

/* "table", "json", "sarif", "cyclonedx"; FTH_EUSAGE otherwise. */
int fth_scan_format_parse(enum fth_scan_format *out, const char *name);

struct fth_scan_report_opts {
    int color;
    int width; /* 0: 100 */
    const char *tool_version;
    int list_packages;     /* JSON/table: the whole inventory too */
    const char *timestamp; /* CycloneDX: RFC 3339; NULL now */
    const char *uuid;      /* CycloneDX serial; NULL random */
};

#define FTH_SCAN_REPORT_OPTS_INIT                                                                  \
    {                                                                                              \
        0, 0, "0.1.0", 0, NULL, NULL                                                               \
    }

/* Append the report (docs/scan-image.md describes each format) to out. */
int fth_scan_report(struct fth_buf *out, enum fth_scan_format fmt, const struct fth_image *img,
                    const struct fth_scan_result *res, const struct fth_scan_report_opts *opts,
                    struct fth_error *err);

/*
 * The inventory's final-image packages only (hidden ones left out) into *out, sharing the
 * packages' memory, for the inventory renderers and SBOM writers that know no deleted
 * packages.
 */
int fth_scan_visible_inventory(struct fth_inventory *out, struct fth_arena *a,
                               const struct fth_inventory *inv);

#ifdef __cplusplus
}
#endif
#endif
