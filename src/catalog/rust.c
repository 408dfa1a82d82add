/*
 * Rust binaries built with cargo-auditable: the dependency tree as zlib-compressed JSON in the
 * ".dep-v0" ELF section, {"packages": [{"name", "version", "source", "kind", "dependencies":
 * [indexes], "root"}]}.
 *
 * As Trivy's Rust binary parser: only packages of kind "runtime" (the default) are reported,
 * the root package too, each depending on the runtime packages its indexes name. Build-time
 * dependencies (proc macros, build scripts) are not in the executable and are left out.
 */
#include <string.h>

#include <zlib.h>

#include <fathom/base.h>
#include <fathom/value.h>

#include "base/limits.h"
#include "catalog_int.h"

/* Inflate a zlib stream into out, at most max bytes: 0, FTH_ELIMIT, FTH_EINVALID, FTH_ENOMEM. */
static int inflate_zlib(struct fth_buf *out, const unsigned char *in, size_t len, size_t max)
{
    unsigned char chunk[16384];
    z_stream z;
    int zr = Z_OK, error = 0;

    memset(&z, 0, sizeof(z));
    if (inflateInit(&z) != Z_OK)
        return FTH_ENOMEM;
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
    while (zr != Z_STREAM_END) {
        z.next_out = chunk;
        z.avail_out = sizeof(chunk);
        zr = inflate(&z, Z_NO_FLUSH);
        if (zr == Z_MEM_ERROR) {
            error = FTH_ENOMEM;
            break;
        }
        if (zr != Z_OK && zr != Z_STREAM_END) {
            error = FTH_EINVALID; /* corrupt, or cut short (Z_BUF_ERROR) */
            break;
        }
        if (out->len + (sizeof(chunk) - z.avail_out) > max) {
            error = FTH_ELIMIT;
            break;
        }
        if ((error = fth_buf_put(out, chunk, sizeof(chunk) - z.avail_out)) < 0)
            break;
        if (zr == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
            error = FTH_EINVALID;
            break;
        }
    }
    inflateEnd(&z);
    return error;
}

static int is_runtime(const struct fth_value *pkg)
{
    const struct fth_value *kind = fth_value_get(pkg, "kind");

    return !kind || fth_value_streq(kind, "runtime");
}

static int rust_parse(struct cat_sink *s, const struct cat_file *f)
{
    struct fth_load_opts opts = FTH_LOAD_OPTS_INIT;
    struct fth_arena *a = cat_arena(s);
    struct fth_buf json = FTH_BUF_INIT;
    const struct fth_value *pkgs;
    struct fth_value *root = NULL;
    const unsigned char *sec;
    struct fth_error err;
    struct cat_elf elf;
    size_t slen, n;
    int rc, error = 0;

    if (cat_elf_open(&elf, f->data, f->len) < 0)
        goto out; /* not ELF: not ours */
    rc = cat_elf_section(&elf, ".dep-v0", &sec, &slen, NULL);
    if (rc == FTH_ENOTFOUND)
        goto out; /* not built with cargo-auditable */
    if (rc < 0) {
        cat_warn(s, f, 0, "'.dep-v0' section lies outside the file");
        goto out;
    }
    rc = inflate_zlib(&json, sec, slen, FTH_LIMIT_RUST_AUDIT_SIZE);
    if (rc == FTH_ENOMEM) {
        error = rc;
        goto out;
    }
    if (rc == FTH_ELIMIT) {
        cat_warn(s, f, 0, "'.dep-v0' inflates past %zu bytes", FTH_LIMIT_RUST_AUDIT_SIZE);
        goto out;
    }
    if (rc < 0) {
        cat_warn(s, f, 0, "'.dep-v0' is not a valid zlib stream");
        goto out;
    }
    opts.name = ".dep-v0";
    opts.flags = FTH_LOAD_JSON;
    if ((rc = fth_value_load_one(&root, a, json.ptr, json.len, &opts, &err)) < 0) {
        if (rc == FTH_ENOMEM) {
            error = rc;
            goto out;
        }
        cat_warn(s, f, 0, "'.dep-v0': %s", err.message);
        goto out;
    }
    pkgs = fth_value_get(root, "packages");
    if (!pkgs || pkgs->type != FTH_VALUE_SEQ) {
        cat_warn(s, f, 0, "'.dep-v0': no 'packages' list");
        goto out;
    }
    n = fth_value_len(pkgs);
    for (size_t i = 0; i < n; i++) {
        const struct fth_value *pkg = fth_value_at(pkgs, i), *deps;
        const char *name = fth_value_str(fth_value_get(pkg, "name"));
        const char *version = fth_value_str(fth_value_get(pkg, "version"));
        struct fth_package *p;
        const char **depends;
        size_t nd = 0;

        if (!name || !version || !*name) {
            cat_warn(s, f, 0, "'.dep-v0': package %zu has no name or version", i);
            continue;
        }
        if (!is_runtime(pkg))
            continue;
        if (!(p = cat_add(s, f)) || !(p->name = fth_arena_strdup(a, name)) ||
            !(p->version = fth_arena_strdup(a, version))) {
            error = FTH_ENOMEM;
            goto out;
        }
        p->type = "rust-crate";
        p->ecosystem = "crates.io";
        deps = fth_value_get(pkg, "dependencies");
        if (!fth_value_len(deps) || deps->type != FTH_VALUE_SEQ)
            continue;
        if (!(depends = fth_arena_calloc(a, fth_value_len(deps), sizeof(*depends)))) {
            error = FTH_ENOMEM;
            goto out;
        }
        for (size_t k = 0; k < fth_value_len(deps); k++) {
            const struct fth_value *ix = fth_value_at(deps, k), *dep;
            const char *dname;

            if (!ix || ix->type != FTH_VALUE_INT || ix->u.integer < 0 ||
                (uint64_t)ix->u.integer >= n) {
                cat_warn(s, f, 0, "'.dep-v0': package '%s' has a bad dependency index", name);
                continue;
            }
            dep = fth_value_at(pkgs, (size_t)ix->u.integer);
            if (!is_runtime(dep) || !(dname = fth_value_str(fth_value_get(dep, "name"))))
                continue;
            if (!(depends[nd++] = fth_arena_strdup(a, dname))) {
                error = FTH_ENOMEM;
                goto out;
            }
        }
        p->depends = depends;
        p->ndepends = nd;
    }
out:
    fth_buf_release(&json);
    return error;
}

/* Executables by permission; the ELF magic and the section are checked in parse. */
static int rust_wants(const char *path, uint64_t size, unsigned mode)
{
    (void)path;
    return (mode & 0111) && size >= FTH_LIMIT_BINARY_MIN_SIZE && size <= FTH_LIMIT_CATALOG_FILE;
}

const struct cataloger cat_rust = {"rust", rust_wants, rust_parse};
