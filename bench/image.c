/*
 * bench_image: an image's inventory against the time to merely decompress its layers, both
 * in-process and in the same run.
 *
 *   bench_image decompress IMAGE   gunzip every layer blob (libarchive's raw reader: no tar
 *                                  parsing, no catalogers), single-threaded
 *   bench_image walk IMAGE         stream every layer's entries (tar parsing), no catalogers
 *   bench_image inventory IMAGE [THREADS]
 *                                  fth_image_open + fth_catalog_image (default one thread)
 *
 * Each prints one line: mode, seconds, and for inventory the package count and peak RSS.
 * bench/image.sh interleaves the modes and prints the ratios. Asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <archive.h>

#include "fathom/fathom.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;

    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static int fail(const char *what, const struct fth_error *err)
{
    fprintf(stderr, "bench_image: %s: %s\n", what, err->message);
    return 1;
}

/*
 * The blob file of each layer of an OCI layout: IMAGE is "oci:DIR[:TAG]" or DIR; the
 * layer digests come from fth_image_open, the files from DIR/blobs/sha256/.
 */
static int bench_decompress(const char *ref)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    struct fth_image *img = NULL;
    struct fth_error err;
    const char *dir = ref;
    char path[4096], *colon, buf[1 << 16];
    unsigned long long bytes = 0;
    double t0;

    fth_error_clear(&err);
    if (fth_image_open(&img, ref, &opts, &err) < 0)
        return fail(ref, &err);
    if (!strncmp(dir, "oci:", 4))
        dir += 4;
    snprintf(path, sizeof(path), "%s", dir);
    if ((colon = strrchr(path, ':')))
        *colon = '\0';
    dir = strdup(path);
    t0 = now();
    for (size_t i = 0; i < img->nlayers; i++) {
        struct archive *a = archive_read_new();
        struct archive_entry *e;
        la_ssize_t n;

        snprintf(path, sizeof(path), "%s/blobs/sha256/%s", dir, img->layers[i].digest + 7);
        archive_read_support_filter_all(a);
        archive_read_support_format_raw(a);
        if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK ||
            archive_read_next_header(a, &e) != ARCHIVE_OK) {
            fprintf(stderr, "bench_image: %s: %s\n", path, archive_error_string(a));
            archive_read_free(a);
            return 1;
        }
        while ((n = archive_read_data(a, buf, sizeof(buf))) > 0)
            bytes += (unsigned long long)n;
        archive_read_free(a);
    }
    printf("decompress seconds=%.4f layers=%zu bytes=%llu\n", now() - t0, img->nlayers, bytes);
    free((char *)dir);
    fth_image_free(img);
    return 0;
}

struct count {
    unsigned long long entries;
};

static int count_entry(void *data, const struct fth_entry *e, struct fth_entry_reader *r)
{
    (void)e;
    (void)r;
    ((struct count *)data)->entries++;
    return 0;
}

static int bench_walk(const char *ref)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    struct fth_image *img = NULL;
    struct fth_error err;
    struct count c = {0};
    double t0;

    fth_error_clear(&err);
    if (fth_image_open(&img, ref, &opts, &err) < 0)
        return fail(ref, &err);
    t0 = now();
    for (size_t i = 0; i < img->nlayers; i++)
        if (fth_image_walk_layer(img, (unsigned)i, count_entry, &c, &err) < 0)
            return fail(ref, &err);
    printf("walk       seconds=%.4f entries=%llu\n", now() - t0, c.entries);
    fth_image_free(img);
    return 0;
}

static int bench_inventory(const char *ref, unsigned threads)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    struct fth_catalog_opts copts = FTH_CATALOG_OPTS_INIT;
    struct fth_image *img = NULL;
    struct fth_inventory inv;
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;
    double t0;

    fth_error_clear(&err);
    copts.threads = threads;
    t0 = now();
    if (!a || fth_image_open(&img, ref, &opts, &err) < 0 ||
        fth_catalog_image(&inv, a, img, &copts, &err) < 0)
        return fail(ref, &err);
    printf("inventory  seconds=%.4f threads=%u packages=%zu peak_rss_kib=%ld\n", now() - t0,
           threads, inv.npackages, peak_rss_kib());
    fth_image_free(img);
    fth_arena_free(a);
    return 0;
}

int main(int argc, char **argv)
{
    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);
    if (argc >= 3 && !strcmp(argv[1], "decompress"))
        return bench_decompress(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "walk"))
        return bench_walk(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "inventory"))
        return bench_inventory(argv[2], argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 1);
    fprintf(stderr, "usage: bench_image decompress|walk|inventory IMAGE [THREADS]\n");
    return 2;
}
