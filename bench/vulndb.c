/*
 * bench_vulndb: the vulnerability database, through the public API, single-threaded.
 *
 *   bench_vulndb import DB ARCHIVE...   import each archive into a new DB; records per second,
 *                                       the file size and the size per 10,000 advisories
 *   bench_vulndb match DB LIST [MIN]    fth_vulndb_match per second over the lines of LIST
 *                                       ("ecosystem<TAB>package<TAB>version"), cycled to at
 *                                       least MIN lookups (default 200,000)
 *
 * bench/vulndb.sh draws LIST from the imported database. Prints figures; asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fathom/fathom.h"

static volatile size_t sink_total;

struct query {
    const char *eco, *pkg, *version;
};

/* CPU time this thread has used, in seconds. */
static double cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench_import(const char *path, char **archives, int n)
{
    struct fth_vulndb_import_stats st;
    struct fth_vulndb *db = NULL;
    struct fth_error err;
    size_t total = 0;
    struct stat sb;
    double t0, t, all = 0;
    int i, error = 0;

    remove(path);
    if ((error = fth_vulndb_open(&db, path, FTH_VULNDB_CREATE, &err)) < 0)
        goto out;
    for (i = 0; i < n; i++) {
        const char *one = archives[i];

        t0 = now();
        if ((error = fth_vulndb_import(&st, db, &one, 1, "bench", &err)) < 0)
            goto out;
        t = now() - t0;
        all += t;
        total += st.imported;
        printf("import  %-45s %6zu advisories %7.2f s %9.0f records/s\n",
               strrchr(one, '/') ? strrchr(one, '/') + 1 : one, st.imported, t,
               (double)st.imported / t);
    }
    printf("import  %-45s %6zu advisories %7.2f s %9.0f records/s\n", "(all)", total, all,
           (double)total / all);
    fth_vulndb_free(db); /* checkpoints the WAL into the file */
    db = NULL;
    if (stat(path, &sb) == 0 && total)
        printf("size    %.1f MB for %zu advisories: %.2f MB per 10,000 advisories\n",
               (double)sb.st_size / 1e6, total, (double)sb.st_size / 1e6 * 10000.0 / (double)total);
out:
    if (error < 0)
        fprintf(stderr, "bench_vulndb: %s\n", err.message);
    fth_vulndb_free(db);
    return error < 0 ? 1 : 0;
}

/* The lines of path as queries; the text is owned by *text. */
static struct query *read_list(size_t *n, char **text, const char *path)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    struct query *q = NULL;
    size_t cap = 0, len;
    char *p, *line;

    *n = 0;
    if (fth_file_read(&b, path, (size_t)1 << 30, &err) < 0) {
        fprintf(stderr, "bench_vulndb: %s\n", err.message);
        return NULL;
    }
    *text = fth_buf_detach(&b, &len);
    for (line = *text; line && *line; line = p) {
        char *tab1, *tab2;

        if ((p = strchr(line, '\n')))
            *p++ = '\0';
        if (!(tab1 = strchr(line, '\t')) || !(tab2 = strchr(tab1 + 1, '\t')))
            continue;
        *tab1 = *tab2 = '\0';
        if (*n == cap) {
            struct query *g;

            cap = cap ? cap * 2 : 1024;
            if (!(g = realloc(q, cap * sizeof(*q)))) {
                free(q);
                return NULL;
            }
            q = g;
        }
        q[*n].eco = line;
        q[*n].pkg = tab1 + 1;
        q[(*n)++].version = tab2 + 1;
    }
    return q;
}

static int bench_match(const char *path, const char *list, size_t min)
{
    struct fth_vulndb *db = NULL;
    struct fth_arena *a = fth_arena_new();
    struct fth_vulndb_match *m;
    struct fth_error err;
    struct query *q = NULL;
    char *text = NULL;
    size_t n = 0, i, ok = 0, hits = 0, invalid = 0, done = 0, found = 0;
    double t0, t, c0, c;
    int error = 0;

    if (!a || !(q = read_list(&n, &text, list)) || !n) {
        error = FTH_ENOMEM;
        fprintf(stderr, "bench_vulndb: no queries in '%s'\n", list);
        goto out;
    }
    if ((error = fth_vulndb_open(&db, path, FTH_VULNDB_READONLY, &err)) < 0) {
        fprintf(stderr, "bench_vulndb: %s\n", err.message);
        goto out;
    }
    /* one pass to keep only the lookups the API accepts (a version valid in its ecosystem) */
    for (i = 0; i < n; i++) {
        size_t nm;

        fth_arena_reset(a);
        if (fth_vulndb_match(&m, &nm, a, db, q[i].eco, q[i].pkg, q[i].version, &err) < 0) {
            invalid++;
            continue;
        }
        hits += nm > 0;
        found += nm;
        q[ok++] = q[i];
    }
    printf("match   %zu lookups (%zu invalid versions left out): %zu with advisories, "
           "%zu advisories in all\n",
           ok, invalid, hits, found);
    if (!ok)
        goto out;
    t0 = now();
    c0 = cpu_now();
    while (done < min) {
        for (i = 0; i < ok; i++) {
            size_t nm;

            fth_arena_reset(a);
            if (fth_vulndb_match(&m, &nm, a, db, q[i].eco, q[i].pkg, q[i].version, &err) == 0)
                sink_total += nm;
        }
        done += ok;
    }
    t = now() - t0;
    c = cpu_now() - c0;
    printf("match   %zu lookups in %.2f s: %.0f lookups/s on one core (target 1,000,000)\n", done,
           t, (double)done / t);
    /* on a shared machine the thread's own CPU time is the fairer clock */
    printf("match   %.2f s of this thread's CPU time: %.0f lookups per CPU second\n", c,
           (double)done / c);
out:
    fth_vulndb_free(db);
    fth_arena_free(a);
    free(q);
    free(text);
    return error < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "import"))
        return bench_import(argv[2], argv + 3, argc - 3);
    if ((argc == 4 || argc == 5) && !strcmp(argv[1], "match"))
        return bench_match(argv[2], argv[3],
                           argc == 5 ? (size_t)strtoull(argv[4], NULL, 10) : 200000);
    fprintf(stderr, "usage: bench_vulndb import DB ARCHIVE...\n"
                    "       bench_vulndb match DB LIST [MIN_LOOKUPS]\n");
    return 2;
}
