/*
 * bench_versions FIXTURE_DIR [MIN_COMPARISONS]: comparisons per second of fth_version_compare
 * for every ecosystem, single-threaded, over version pairs drawn from the shared fixtures
 * (every {"a","b"} pair whose versions the ecosystem accepts, then neighbouring versions of
 * every string the fixtures hold that it accepts), cycled to at least MIN_COMPARISONS
 * (default 1,000,000) comparisons.
 *
 * For Debian, built with libdpkg, the same pairs also go through libdpkg in the same run:
 * parseversion + dpkg_version_compare on the text (what fth_version_compare does: text in,
 * order out) and dpkg_version_compare alone on versions parsed beforehand. Prints figures;
 * asserts nothing.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "fathom/fathom.h"

#ifdef FATHOM_BENCH_LIBDPKG
#include <dpkg/dpkg.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/version.h>
#endif

/* Where the results go, so that the compiler cannot drop the work. */
static volatile long sink_total;

struct pair {
    const char *a;
    const char *b;
};

#define HASH_SLOTS (1u << 17)

struct pool {
    char **strs; /* every distinct string the fixtures hold, owned */
    size_t nstrs, cap;
    struct pair *fixture_pairs; /* borrowed from strs */
    size_t npairs, pcap;
    const char **slots; /* open addressing over strs, HASH_SLOTS entries */
};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    void *q;

    if (need <= *cap)
        return p;
    *cap = *cap ? *cap * 2 : 64;
    if (*cap < need)
        *cap = need;
    if (!(q = realloc(p, *cap * size))) {
        fprintf(stderr, "bench_versions: out of memory\n");
        exit(1);
    }
    return q;
}

static size_t hash(const char *s)
{
    size_t h = 5381;

    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

/* The pool's copy of s; strings beyond half the table are kept but not deduplicated. */
static const char *intern(struct pool *pool, const char *s)
{
    size_t h = hash(s) & (HASH_SLOTS - 1);
    char *copy;

    while (pool->slots[h]) {
        if (!strcmp(pool->slots[h], s))
            return pool->slots[h];
        h = (h + 1) & (HASH_SLOTS - 1);
    }
    pool->strs = grow(pool->strs, &pool->cap, pool->nstrs + 1, sizeof(*pool->strs));
    if (!(copy = strdup(s))) {
        fprintf(stderr, "bench_versions: out of memory\n");
        exit(1);
    }
    pool->strs[pool->nstrs++] = copy;
    if (pool->nstrs < HASH_SLOTS / 2)
        pool->slots[h] = copy;
    return copy;
}

static void load_file(struct pool *pool, const char *path)
{
    char line[8192];
    FILE *f = fopen(path, "r");

    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        json_t *j = json_loads(line, 0, NULL), *a, *b, *v;

        if (!j)
            continue;
        a = json_object_get(j, "a");
        b = json_object_get(j, "b");
        v = json_object_get(j, "version");
        if (json_is_string(a) && json_is_string(b)) {
            struct pair p;

            p.a = intern(pool, json_string_value(a));
            p.b = intern(pool, json_string_value(b));
            pool->fixture_pairs = grow(pool->fixture_pairs, &pool->pcap, pool->npairs + 1,
                                       sizeof(*pool->fixture_pairs));
            pool->fixture_pairs[pool->npairs++] = p;
        }
        if (json_is_string(v))
            intern(pool, json_string_value(v));
        json_decref(j);
    }
    fclose(f);
}

static void load_dir(struct pool *pool, const char *dir)
{
    char path[4096];
    struct dirent *de;
    DIR *d = opendir(dir);

    if (!d) {
        fprintf(stderr, "bench_versions: cannot open '%s'\n", dir);
        exit(1);
    }
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);

        if (n > 6 && !strcmp(de->d_name + n - 6, ".jsonl")) {
            snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
            load_file(pool, path);
        }
    }
    closedir(d);
}

/*
 * The pairs an ecosystem accepts: fixture pairs first, then neighbours among its versions
 * (for Go, the fixtures' versions with the 'v' Go requires).
 */
static size_t pairs_for(struct pair **out, struct pool *pool, enum fth_ecosystem eco)
{
    const char **valid = NULL;
    struct pair *pairs = NULL;
    size_t nvalid = 0, vcap = 0, n = 0, cap = 0, i, nstrs = pool->nstrs;
    char buf[512];

    for (i = 0; i < pool->npairs; i++) {
        if (fth_version_valid(eco, pool->fixture_pairs[i].a, 0) &&
            fth_version_valid(eco, pool->fixture_pairs[i].b, 0)) {
            pairs = grow(pairs, &cap, n + 1, sizeof(*pairs));
            pairs[n++] = pool->fixture_pairs[i];
        }
    }
    for (i = 0; i < nstrs; i++) {
        const char *s = pool->strs[i];

        if (eco == FTH_ECO_GO && s[0] != 'v') {
            snprintf(buf, sizeof(buf), "v%s", s);
            s = buf;
        }
        if (fth_version_valid(eco, s, 0)) {
            valid = grow(valid, &vcap, nvalid + 1, sizeof(*valid));
            valid[nvalid++] = s == buf ? intern(pool, buf) : s;
        }
    }
    for (i = 0; nvalid > 1 && i < nvalid; i++) {
        struct pair p = {valid[i], valid[(i * 7 + 1) % nvalid]};

        pairs = grow(pairs, &cap, n + 1, sizeof(*pairs));
        pairs[n++] = p;
    }
    free(valid);
    *out = pairs;
    return n;
}

static size_t rounds_for(size_t npairs, size_t min)
{
    return (min + npairs - 1) / npairs;
}

/* Seconds for `rounds` passes of fth_version_compare over the pairs; *sink defeats elision. */
static double time_fathom(enum fth_ecosystem eco, const struct pair *pairs, size_t n, size_t rounds,
                          long *sink)
{
    double t0 = now();
    size_t r, i;

    for (r = 0; r < rounds; r++) {
        for (i = 0; i < n; i++) {
            int cmp = 0;

            fth_version_compare(&cmp, eco, pairs[i].a, pairs[i].b, 0, NULL);
            *sink += cmp;
        }
    }
    return now() - t0;
}

#ifdef FATHOM_BENCH_LIBDPKG
/* libdpkg from text: parseversion both sides, then dpkg_version_compare. */
static double time_libdpkg_text(const struct pair *pairs, size_t n, size_t rounds, long *sink)
{
    double t0 = now();
    size_t r, i, k = 0;

    for (r = 0; r < rounds; r++) {
        for (i = 0; i < n; i++) {
            struct dpkg_version va, vb;
            struct dpkg_error err = DPKG_ERROR_INIT;

            parseversion(&va, pairs[i].a, &err);
            dpkg_error_destroy(&err);
            parseversion(&vb, pairs[i].b, &err);
            dpkg_error_destroy(&err);
            *sink += dpkg_version_compare(&va, &vb) > 0;
            /* parseversion copies into libdpkg's arena: release it now and then */
            if (++k % 4096 == 0)
                nffreeall();
        }
    }
    nffreeall();
    return now() - t0;
}

/* libdpkg on versions parsed beforehand: dpkg_version_compare alone. */
static double time_libdpkg_parsed(const struct pair *pairs, size_t n, size_t rounds, long *sink)
{
    struct dpkg_version *va = calloc(n, sizeof(*va)), *vb = calloc(n, sizeof(*vb));
    double t0;
    size_t r, i;

    if (!va || !vb) {
        fprintf(stderr, "bench_versions: out of memory\n");
        exit(1);
    }
    for (i = 0; i < n; i++) {
        struct dpkg_error err = DPKG_ERROR_INIT;

        parseversion(&va[i], pairs[i].a, &err);
        dpkg_error_destroy(&err);
        parseversion(&vb[i], pairs[i].b, &err);
        dpkg_error_destroy(&err);
    }
    t0 = now();
    for (r = 0; r < rounds; r++)
        for (i = 0; i < n; i++)
            *sink += dpkg_version_compare(&va[i], &vb[i]) > 0;
    t0 = now() - t0;
    free(va);
    free(vb);
    nffreeall();
    return t0;
}
#endif

int main(int argc, char **argv)
{
    struct pool pool = {NULL, 0, 0, NULL, 0, 0, NULL};
    size_t min = 1000000, i;
    long sink = 0;
    int eco;

    if (argc < 2) {
        fprintf(stderr, "usage: bench_versions FIXTURE_DIR [MIN_COMPARISONS]\n");
        return 2;
    }
    if (argc > 2)
        min = strtoul(argv[2], NULL, 10);
    if (!(pool.slots = calloc(HASH_SLOTS, sizeof(*pool.slots)))) {
        fprintf(stderr, "bench_versions: out of memory\n");
        return 1;
    }
    load_dir(&pool, argv[1]);
#ifdef FATHOM_BENCH_LIBDPKG
    dpkg_program_init("bench_versions");
#endif
    for (eco = FTH_ECO_DEBIAN; eco < FTH_ECO_COUNT; eco++) {
        struct pair *pairs = NULL;
        size_t n = pairs_for(&pairs, &pool, (enum fth_ecosystem)eco), rounds;
        double secs;

        if (!n) {
            printf("%-10s no fixture version is valid for it: not measured\n",
                   fth_ecosystem_name((enum fth_ecosystem)eco));
            free(pairs);
            continue;
        }
        rounds = rounds_for(n, min);
        secs = time_fathom((enum fth_ecosystem)eco, pairs, n, rounds, &sink);
        printf("%-10s pairs=%zu comparisons=%zu seconds=%.3f cmp/s=%.0f\n",
               fth_ecosystem_name((enum fth_ecosystem)eco), n, n * rounds, secs,
               (double)(n * rounds) / secs);
#ifdef FATHOM_BENCH_LIBDPKG
        if (eco == FTH_ECO_DEBIAN) {
            double text = time_libdpkg_text(pairs, n, rounds, &sink);
            double parsed = time_libdpkg_parsed(pairs, n, rounds, &sink);

            printf("%-10s libdpkg parseversion+dpkg_version_compare seconds=%.3f cmp/s=%.0f\n",
                   "Debian", text, (double)(n * rounds) / text);
            printf("%-10s libdpkg dpkg_version_compare (pre-parsed) seconds=%.3f cmp/s=%.0f\n",
                   "Debian", parsed, (double)(n * rounds) / parsed);
            printf("ratio      Debian fathom / libdpkg, text in -> order out: %.2f (target <= "
                   "1.0); against compare-only on pre-parsed versions: %.2f\n",
                   secs / text, secs / parsed);
        }
#endif
        free(pairs);
    }
#ifdef FATHOM_BENCH_LIBDPKG
    dpkg_program_done();
#endif
    for (i = 0; i < pool.nstrs; i++)
        free(pool.strs[i]);
    free(pool.strs);
    free(pool.fixture_pairs);
    free(pool.slots);
    sink_total = sink;
    return 0;
}
