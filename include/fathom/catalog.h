/*
 * catalog: what is installed in an image. Package catalogers (dpkg, apk, rpm, npm, Python,
 * Java, Go, Rust, Ruby, PHP, .NET), operating-system detection and end-of-life status.
 *
 * Every package records the file that declared it and the layer that introduced it.
 */
#ifndef FATHOM_CATALOG_H
#define FATHOM_CATALOG_H

#include <stddef.h>

#include "base.h"
#include "image.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The operating system of a root filesystem, from /etc/os-release and release files. */
struct fth_os {
    const char *id;          /* os-release ID: "debian", "alpine", "rhel", ...; "" unknown */
    const char *version_id;  /* "12", "3.20.3"; "" when none (e.g. Debian sid) */
    const char *codename;    /* VERSION_CODENAME: "bookworm"; "" when none */
    const char *pretty_name;
    const char *family;      /* "debian", "alpine", "redhat", "suse", ""... */
    const char *release;     /* the release advisories name: Debian codename, Alpine
                                branch "v3.20", RHEL major "9"; "" unknown */
    const char *eol_date;    /* "YYYY-MM-DD" from the built-in table; "" when unknown */
    int eol;                 /* 1 when eol_date is before the scan date */
    const char *path;        /* file it came from */
    unsigned layer;
};

/* A declared licence, as written and, when recognised, as an SPDX expression. */
struct fth_license {
    const char *value; /* as the metadata states it */
    const char *spdx;  /* normalised SPDX identifier or expression; "" when unknown */
};

struct fth_package {
    const char *type;        /* the cataloger's: "deb", "apk", "rpm", "npm", "python",
                                "java-archive", "go-module", "rust-crate", "gem",
                                "composer", "dotnet" */
    const char *ecosystem;   /* version semantics (fth_version ecosystem names): "Debian",
                                "Alpine", "Red Hat", "npm", "PyPI", "Maven", "Go",
                                "crates.io", "RubyGems", "Packagist", "NuGet" */
    const char *name;        /* Maven: "group:artifact" */
    const char *version;     /* as the ecosystem compares it: dpkg "[epoch:]upstream[-rev]",
                                rpm "[epoch:]version-release", apk "x.y-rN" */
    const char *src_name;    /* distro source package; "" when none or the same */
    const char *src_version;
    const char *arch;        /* "" when none */
    const char *purl;        /* package URL (purl-spec), with distro qualifiers */
    const struct fth_license *licenses;
    size_t nlicenses;
    const char *const *depends; /* names of packages it depends on, as declared */
    size_t ndepends;
    const char *const *files;   /* files the package owns (dpkg md5sums, rpm/apk file lists) */
    size_t nfiles;
    const char *digest;      /* content hash where the format has one ("sha1:...") or "" */
    const char *path;        /* the file that declared it (normalised, no leading "/") */
    unsigned layer;          /* index of the layer that introduced it */
    int dev;                 /* 1 for development-only dependencies (lock files) */
    /*
     * 1 when only a layer's copy of the declaring file held it and a later layer deleted or
     * replaced that copy (the package is in the image's bytes, not in the final root
     * filesystem). Only with fth_catalog_opts.hidden; always 0 otherwise.
     */
    int hidden;
};

struct fth_inventory {
    struct fth_os os;
    struct fth_package *packages; /* sorted by type, name, version, path */
    size_t npackages;
    size_t warnings;              /* corrupt databases etc., each logged */
};

/*
 * A visitor for the catalog's layer walk (secret scanning, file checks, binary fingerprints).
 * `content` is the whole file (len bytes) when a cataloger already read it, and then r is
 * NULL; otherwise content is NULL and r, when the entry has content, is unread and the
 * visitor may read it. Whiteouts and opaque markers are passed too, so a visitor can follow
 * deletions. Called from the thread walking e->layer: calls for one layer never overlap,
 * calls for different layers may. A negative return stops the walk and becomes
 * fth_catalog_image's result.
 */
typedef int (*fth_catalog_visitor)(void *data, const struct fth_entry *e, const void *content,
                                   size_t len, struct fth_entry_reader *r);

struct fth_catalog_opts {
    unsigned threads;   /* layers walked at once; 0: one per core */
    const char *today;  /* "YYYY-MM-DD" for end-of-life status; NULL: the current date */
    size_t max_file;    /* largest file handed to a cataloger; 0: the limits.h default */
    /*
     * Where each layer's results are kept, keyed by the layer's digest, so a layer already
     * seen (a shared base image) is not read again: NULL for fth_image_cache_dir's default,
     * "" for no cache. Only layers whose digest was verified while reading are kept.
     */
    const char *cache_dir;
    /*
     * Also read lock files (package-lock.json, yarn.lock, pnpm-lock.yaml, composer.lock, ...).
     * Off for images, as in Trivy and Syft: an image's truth is what is installed.
     */
    int lockfiles;
    /*
     * Also return the packages a later layer deleted or replaced (fth_package.hidden set),
     * each once, at the earliest layer that declared it, unless the final image holds the
     * same package (type, name, version, arch, declaring file). They sort with the others.
     */
    int hidden;
    /*
     * Called for every entry of every layer during the one walk (see fth_catalog_visitor),
     * so other scanners ride on the same stream; NULL for none. With a visitor every layer
     * is read, even one the cache holds (the cache keeps no file contents); the cache is
     * still written.
     */
    fth_catalog_visitor visit;
    void *visit_data;
};

#define FTH_CATALOG_OPTS_INIT                                                                      \
    {                                                                                              \
        0, NULL, 0, NULL, 0, 0, NULL, NULL                                                         \
    }

/*
 * Walk every layer of img once and list what the final image contains: the packages whose
 * declaring file is visible in the merged root filesystem, each attributed to the earliest
 * layer whose copy of that file already held the same package and version. Results live in a.
 */
int fth_catalog_image(struct fth_inventory *out, struct fth_arena *a, struct fth_image *img,
                      const struct fth_catalog_opts *opts, struct fth_error *err);

/* Build a purl ("pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12"). */
const char *fth_catalog_purl(struct fth_arena *a, const struct fth_package *p,
                             const struct fth_os *os);

#ifdef __cplusplus
}
#endif
#endif
