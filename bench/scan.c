/*
 * bench_scan: an image's full scan against its inventory alone, in-process and in the same
 * run, and vulnerability matching throughput.
 *
 *   bench_scan inventory IMAGE        fth_image_open + fth_catalog_image, one thread, no cache
 *   bench_scan full IMAGE DB          fth_scan_image with every scanner (vuln, secret,
 *                                     hygiene), one thread, no cache
 *   bench_scan fingerprint IMAGE DB   the same plus SHA-256 of every ELF file
 *   bench_scan secret IMAGE           the secret scanner alone (plus the walk it rides on)
 *   bench_scan match IMAGE DB         the inventory once, then every package through the
 *                                     database again and again for at least a second
 *
 * Each prints one line: mode, seconds and what was counted. bench/scan.sh interleaves the
 * modes and prints the ratios. Asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fathom/fathom.h"
#include "fathom/scan.h"
#include "fathom/secret.h"
#include "fathom/vulndb.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what, const struct fth_error *err)
{
    fprintf(stderr, "bench_scan: %s: %s\n", what, err->message);
    return 1;
}

static int open_image(struct fth_image **img, const char *ref, struct fth_error *err)
{
    struct fth_image_opts io = FTH_IMAGE_OPTS_INIT;

    io.cache_dir = "";
    return fth_image_open(img, ref, &io, err);
}

static int bench_inventory(const char *ref)
{
    struct fth_catalog_opts co = FTH_CATALOG_OPTS_INIT;
    struct fth_image *img = NULL;
    struct fth_arena *a = fth_arena_new();
    struct fth_inventory inv;
    struct fth_error err;
    double t0 = now();

    fth_error_clear(&err);
    co.threads = 1;
    co.cache_dir = "";
    if (!a || open_image(&img, ref, &err) < 0 || fth_catalog_image(&inv, a, img, &co, &err) < 0)
        return fail(ref, &err);
    printf("inventory seconds=%.4f packages=%zu\n", now() - t0, inv.npackages);
    fth_image_free(img);
    fth_arena_free(a);
    return 0;
}

static int bench_scan(const char *mode, const char *ref, const char *dbpath)
{
    struct fth_scan_opts so = FTH_SCAN_OPTS_INIT;
    struct fth_secret_rules *rules = NULL;
    struct fth_vulndb *db = NULL;
    struct fth_image *img = NULL;
    struct fth_arena *a = fth_arena_new();
    struct fth_scan_result res;
    struct fth_error err;
    double t0 = now(), t;

    fth_error_clear(&err);
    if (!a || fth_secret_rules_load(&rules, NULL, &err) < 0)
        return fail("secret rules", &err);
    if (dbpath && fth_vulndb_open(&db, dbpath, FTH_VULNDB_READONLY, &err) < 0)
        return fail(dbpath, &err);
    so.scanners = db ? FTH_SCAN_VULN | FTH_SCAN_SECRET | FTH_SCAN_HYGIENE : FTH_SCAN_SECRET;
    so.db = db;
    so.secret_rules = rules;
    so.binaries = !strcmp(mode, "fingerprint");
    so.threads = 1;
    so.cache_dir = "";
    if (open_image(&img, ref, &err) < 0 || fth_scan_image(&res, a, img, &so, &err) < 0)
        return fail(ref, &err);
    t = now() - t0;
    printf("%s seconds=%.4f packages=%zu findings=%zu binaries=%zu secret_files=%zu "
           "secret_bytes=%llu\n",
           mode, t, res.inv.npackages, res.nfindings, res.nbinaries, res.stats.secret_files,
           (unsigned long long)res.stats.secret_bytes);
    fth_image_free(img);
    fth_vulndb_free(db);
    fth_secret_rules_free(rules);
    fth_arena_free(a);
    return 0;
}

/* Every package looked up the way fth_scan_image does (release and source for distros). */
static int bench_match(const char *ref, const char *dbpath)
{
    struct fth_catalog_opts co = FTH_CATALOG_OPTS_INIT;
    struct fth_image *img = NULL;
    struct fth_vulndb *db = NULL;
    struct fth_arena *a = fth_arena_new(), *scratch = fth_arena_new();
    struct fth_inventory inv;
    struct fth_error err;
    size_t lookups = 0, matches = 0;
    double t0, t;

    fth_error_clear(&err);
    co.threads = 1;
    co.cache_dir = "";
    if (!a || !scratch || open_image(&img, ref, &err) < 0 ||
        fth_catalog_image(&inv, a, img, &co, &err) < 0)
        return fail(ref, &err);
    if (fth_vulndb_open(&db, dbpath, FTH_VULNDB_READONLY, &err) < 0)
        return fail(dbpath, &err);
    t0 = now();
    do {
        for (size_t i = 0; i < inv.npackages; i++) {
            const struct fth_package *p = &inv.packages[i];
            struct fth_vulndb_match_opts mo = FTH_VULNDB_MATCH_OPTS_INIT;
            struct fth_vulndb_match *m;
            const char *version = p->version;
            size_t n = 0;

            if (!strcmp(p->type, "deb") || !strcmp(p->type, "apk")) {
                mo.release = *inv.os.release ? inv.os.release : inv.os.codename;
                mo.source = *p->src_name ? p->src_name : NULL;
                if (!strcmp(p->type, "deb") && *p->src_version)
                    version = p->src_version;
            }
            if (fth_vulndb_lookup(&m, &n, scratch, db, p->ecosystem, p->name, version, &mo, NULL) ==
                0)
                matches += n;
            lookups++;
        }
        fth_arena_reset(scratch);
    } while ((t = now() - t0) < 1.0);
    printf("match seconds=%.4f lookups=%zu matches=%zu packages_per_second=%.0f\n", t, lookups,
           matches, (double)lookups / t);
    fth_vulndb_free(db);
    fth_image_free(img);
    fth_arena_free(scratch);
    fth_arena_free(a);
    return 0;
}

int main(int argc, char **argv)
{
    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);
    if (argc == 3 && !strcmp(argv[1], "inventory"))
        return bench_inventory(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "full"))
        return bench_scan("full", argv[2], argv[3]);
    if (argc == 4 && !strcmp(argv[1], "fingerprint"))
        return bench_scan("fingerprint", argv[2], argv[3]);
    if (argc == 3 && !strcmp(argv[1], "secret"))
        return bench_scan("secret", argv[2], NULL);
    if (argc == 4 && !strcmp(argv[1], "match"))
        return bench_match(argv[2], argv[3]);
    fprintf(stderr, "usage: bench_scan inventory IMAGE | full IMAGE DB | fingerprint IMAGE DB | "
                    "secret IMAGE | match IMAGE DB\n");
    return 2;
}
