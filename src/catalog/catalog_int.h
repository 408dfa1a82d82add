/*
 * catalog: the interface between the catalog driver (which walks layers and merges what each
 * layer's files declare) and the catalogers (one file each: dpkg.c, apk.c, rpm.c, ...).
 *
 * A cataloger is two pure functions: `wants` picks files by path and size while a layer
 * streams past, `parse` reads one such file's bytes and adds packages to a sink. Catalogers
 * never see layers or whiteouts: the driver decides which files are visible in the final
 * image and which layer introduced each package.
 */
#ifndef FATHOM_CATALOG_INT_H
#define FATHOM_CATALOG_INT_H

#include <stddef.h>
#include <stdint.h>

#include <fathom/catalog.h>
#include <fathom/license.h>

/* One file handed to a cataloger. */
struct cat_file {
    const char *path;          /* normalised, relative to the root, no leading "/" */
    const unsigned char *data; /* whole content, NUL-terminated one past len; valid only
                                  during parse: copy what you keep into cat_arena() */
    size_t len;
    unsigned mode; /* permission bits */
    unsigned layer;
};

/* Where a cataloger's results go; the driver (or a test) owns it. */
struct cat_sink;

struct fth_arena *cat_arena(struct cat_sink *s);

/*
 * A new package declared by f, zeroed except: every string field "" (never NULL), path and
 * layer from f. The cataloger fills in the rest with strings from cat_arena(s). NULL when
 * out of memory.
 */
struct fth_package *cat_add(struct cat_sink *s, const struct cat_file *f);

/*
 * Files owned by a package that another file declares (dpkg's info/NAME.md5sums): the
 * driver attaches them to the visible package of that type and name (and arch, when not "").
 * files and the strings live in cat_arena(s).
 */
int cat_add_owned(struct cat_sink *s, const struct cat_file *f, const char *type, const char *name,
                  const char *arch, const char *const *files, size_t nfiles);

/*
 * Licences of a package that another file declares (dpkg's usr/share/doc/NAME/copyright):
 * the driver adds them to the visible package of that type and name. licenses and their
 * strings live in cat_arena(s).
 */
int cat_add_licenses(struct cat_sink *s, const struct cat_file *f, const char *type,
                     const char *name, const struct fth_license *licenses, size_t n);

/*
 * Licences found by classifying a licence file shipped beside a package's metadata (a
 * wheel's *.dist-info/LICENSE): added only to a visible package of that type and name that
 * declares no licence the SPDX list knows. Python names compare the PEP 503 way.
 */
int cat_add_found_licenses(struct cat_sink *s, const struct cat_file *f, const char *type,
                           const char *name, const struct fth_license *licenses, size_t n);

/*
 * A problem with f that costs packages (corrupt database, unreadable record): logged as a
 * warning "PATH[:LINE]: message" (line 0 leaves it out) and counted. Parsing goes on with
 * what can still be read.
 */
void cat_warn(struct cat_sink *s, const struct cat_file *f, unsigned line, const char *fmt, ...)
    FTH_PRINTF(4, 5);

struct cataloger {
    const char *name; /* "dpkg", "apk", ... */
    /*
     * 1 when the file at `path` (normalised) of `size` bytes should be parsed. Called for
     * every regular file of every layer: keep it cheap (suffix and basename tests).
     */
    int (*wants)(const char *path, uint64_t size, unsigned mode);
    /*
     * Read f and add what it declares. Returns 0, or FTH_ENOMEM; malformed content is a
     * cat_warn, never an error, and the packages read before and after it are kept.
     */
    int (*parse)(struct cat_sink *s, const struct cat_file *f);
};

/* Every cataloger, in the order the driver runs them. NULL-terminated. */
extern const struct cataloger *const cat_all[];

extern const struct cataloger cat_dpkg;
extern const struct cataloger cat_apk;
extern const struct cataloger cat_rpm;
extern const struct cataloger cat_npm;
extern const struct cataloger cat_python;
extern const struct cataloger cat_java;
extern const struct cataloger cat_gobinary;
extern const struct cataloger cat_rust;
extern const struct cataloger cat_gem;
extern const struct cataloger cat_composer;
extern const struct cataloger cat_dotnet;

/*
 * Operating system detection (os.c): 1 when path is a release file it reads
 * (etc/os-release, usr/lib/os-release, etc/alpine-release, etc/debian_version,
 * etc/redhat-release, ...).
 */
int cat_os_wants(const char *path);

/*
 * Fold one release file into *os (fields not yet known are filled; os-release outranks the
 * distro-specific files). Strings live in a.
 */
int cat_os_parse(struct fth_os *os, struct fth_arena *a, const char *path,
                 const unsigned char *data, size_t len);

/* Fill release, family, eol_date and eol from the built-in table, as of today "YYYY-MM-DD". */
void cat_os_finish(struct fth_os *os, struct fth_arena *a, const char *today);

/*
 * A sink that only collects (for tests and for the driver's per-layer passes). The
 * collected packages and owned-file records are in arrays the driver reads.
 */
struct cat_owned {
    const char *type;
    const char *name;
    const char *arch;
    const char *const *files;
    size_t nfiles;
    const char *path;
    unsigned layer;
};

/* Licences for a package declared elsewhere (cat_add_licenses). */
struct cat_licensed {
    const char *type;
    const char *name;
    const struct fth_license *licenses;
    size_t nlicenses;
    const char *path;
    unsigned layer;
    int found; /* cat_add_found_licenses: only for packages without a known licence */
};

struct cat_sink {
    struct fth_arena *a;
    struct fth_vec packages; /* struct fth_package * */
    struct fth_vec owned;    /* struct cat_owned * */
    struct fth_vec licensed; /* struct cat_licensed * */
    size_t warnings;
};

void cat_sink_init(struct cat_sink *s, struct fth_arena *a);

/* ---- one layer's results, and the layer cache (cache.c) ---- */

struct cat_entry {
    const char *path;
    enum fth_entry_type type;
};

struct cat_os_file {
    const char *path;
    const unsigned char *data;
    size_t len;
    unsigned layer;
};

struct cat_layer {
    struct fth_arena *a;
    struct cat_sink sink;
    struct fth_vec os_files; /* struct cat_os_file * */
    struct fth_vec entries;  /* struct cat_entry *, recorded only when the layer is cached */
    int record;              /* record entries (the layer will be cached) */
    int cached;              /* replayed from the cache */
    struct fth_error err;
    int rc;
};

/* The cache file for a layer digest under dir ("" or NULL: no cache); NULL when none. */
const char *cat_cache_file(struct fth_arena *a, const char *dir, const char *digest, int lockfiles);
/* Replay a cache file into l as layer `layer`: 1 hit, 0 miss (l left empty), or FTH_ENOMEM. */
int cat_cache_load(struct cat_layer *l, const char *file, unsigned layer);
/* Write l to the cache file atomically. */
int cat_cache_store(const char *file, const struct cat_layer *l);

/*
 * A bounds-checked read-only view of an ELF file in memory (elf.c), 32 or 64 bit, either byte
 * order, shared by the Go and Rust binary catalogers. Every offset is checked against len.
 */
struct cat_elf {
    const unsigned char *data;
    size_t len;
    int is64;
    int big; /* big-endian */
    uint64_t shoff, phoff;
    size_t shnum, phnum, shentsize, phentsize, shstrndx;
};

/* 1 when data starts with the ELF magic. */
int cat_elf_is(const unsigned char *data, size_t len);

/* Read the ELF header: 0, or FTH_EINVALID when it is not ELF or the header is inconsistent. */
int cat_elf_open(struct cat_elf *e, const unsigned char *data, size_t len);

/*
 * The bytes of the section called name: 0, FTH_ENOTFOUND when there is none (or it has no file
 * bytes), FTH_EINVALID when the section table or the section lies outside the file. *addr gets
 * the section's virtual address (may be NULL).
 */
int cat_elf_section(const struct cat_elf *e, const char *name, const unsigned char **data,
                    size_t *len, uint64_t *addr);

/*
 * The file bytes at virtual address addr, through the PT_LOAD program headers (then the
 * section headers): *avail bytes from *p are in the file. FTH_ENOTFOUND when unmapped.
 */
int cat_elf_vaddr(const struct cat_elf *e, uint64_t addr, const unsigned char **p, size_t *avail);

/* Unsigned integers of the file's byte order. */
uint64_t cat_elf_uint(const struct cat_elf *e, const unsigned char *p, size_t size);

#endif
