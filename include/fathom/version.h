/*
 * version: parse, compare and match versions exactly as each ecosystem's own tool does
 * (dpkg, apk-tools 2.x, rpm, node-semver, Go, PEP 440, Maven, RubyGems, NuGet, Composer,
 * Cargo, Hex), and evaluate the ranges advisories state (OSV ranges and version lists).
 */
#ifndef FATHOM_VERSION_H
#define FATHOM_VERSION_H

#include "fathom/base.h"

#ifdef __cplusplus
extern "C" {
#endif

enum fth_ecosystem {
    FTH_ECO_UNKNOWN = 0,
    FTH_ECO_DEBIAN,    /* dpkg: epoch, upstream, revision, ~ */
    FTH_ECO_ALPINE,    /* apk-tools 2.x */
    FTH_ECO_RPM,       /* rpmvercmp, full EVR ("Red Hat", "Rocky Linux", ...) */
    FTH_ECO_NPM,       /* SemVer 2.0 with node-semver ranges */
    FTH_ECO_GO,        /* Go modules: semver, +incompatible, pseudo-versions */
    FTH_ECO_PYPI,      /* PEP 440 */
    FTH_ECO_MAVEN,     /* ComparableVersion, Maven 3.9 */
    FTH_ECO_RUBYGEMS,  /* Gem::Version */
    FTH_ECO_NUGET,     /* NuGet.Versioning */
    FTH_ECO_PACKAGIST, /* Composer */
    FTH_ECO_CRATES,    /* crates.io: SemVer with Cargo requirements */
    FTH_ECO_HEX,       /* Hex: Elixir's Version */
};
#define FTH_ECO_COUNT (FTH_ECO_HEX + 1)

/*
 * OSV's ecosystem names ("Debian", "Alpine", "Red Hat", "npm", "Go", "PyPI", "Maven",
 * "RubyGems", "NuGet", "Packagist", "crates.io", "Hex"; a ":release" suffix such as
 * "Debian:12" is accepted) and the aliases deb apk rpm semver go pypi maven gem nuget composer
 * cargo hex. FTH_EINVALID for anything else.
 */
int fth_ecosystem_parse(enum fth_ecosystem *out, const char *name);
/* OSV's name of the ecosystem. */
const char *fth_ecosystem_name(enum fth_ecosystem eco);

/* flags */
#define FTH_VERSION_LOOSE 0x1u              /* node-semver's `loose` */
#define FTH_VERSION_INCLUDE_PRERELEASE 0x2u /* node-semver's `includePrerelease` */

/* 1 when `v` is a valid version of the ecosystem, else 0. */
int fth_version_valid(enum fth_ecosystem eco, const char *v, unsigned flags);

/*
 * Compare two versions: *cmp is -1, 0 or 1. FTH_EINVALID when either is not a valid version
 * of the ecosystem (err names it), FTH_EINVALID too for FTH_ECO_UNKNOWN.
 */
int fth_version_compare(int *cmp, enum fth_ecosystem eco, const char *a, const char *b,
                        unsigned flags, struct fth_error *err);

/*
 * Does `version` satisfy `range`, written in the ecosystem's own syntax? npm ranges
 * (node-semver), PEP 440 specifiers, Maven and NuGet interval ranges, RubyGems and Hex
 * requirements, Composer constraints, Cargo requirements; for Debian, RPM, Alpine and Go a
 * list of relations such as ">= 1.2, < 2.0" (Debian's << and >>, apk's ~ too). *out is 1 or 0;
 * FTH_EINVALID with a message for a malformed range or version.
 */
int fth_version_satisfies(int *out, enum fth_ecosystem eco, const char *version, const char *range,
                          unsigned flags, struct fth_error *err);

/* ---- ranges as advisories state them ---- */

enum fth_osv_event_kind {
    FTH_OSV_INTRODUCED = 0,
    FTH_OSV_FIXED,
    FTH_OSV_LAST_AFFECTED,
    FTH_OSV_LIMIT,
};

struct fth_osv_event {
    enum fth_osv_event_kind kind;
    const char *version; /* "0" for introduced means: from the beginning */
};

enum fth_osv_range_type { FTH_OSV_ECOSYSTEM = 0, FTH_OSV_SEMVER, FTH_OSV_GIT };

struct fth_osv_range {
    enum fth_osv_range_type type;
    const struct fth_osv_event *events;
    size_t len;
};

/*
 * Is `version` affected according to an OSV `affected` entry: its ranges (ECOSYSTEM ranges
 * compare with the ecosystem's order, SEMVER ranges with SemVer 2.0; GIT ranges are ignored)
 * and its explicit `versions` list? Events are evaluated as the OSV schema specifies (sorted,
 * introduced/fixed/last_affected/limit). *out is 1 or 0; FTH_EINVALID when the version or an
 * event's version is not valid (err names it).
 */
int fth_osv_affected(int *out, enum fth_ecosystem eco, const char *version,
                     const struct fth_osv_range *ranges, size_t nranges,
                     const char *const *versions, size_t nversions, struct fth_error *err);

#ifdef __cplusplus
}
#endif
#endif
