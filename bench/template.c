/*
 * bench_template CHART [SECONDS]: renders per second of one chart, in-process, one thread,
 * default values, as `fathom template` renders it. The chart is loaded once. Mode "render":
 * every round parses values.yaml and the templates, coalesces, executes, splits and sorts the
 * output anew (an arena per render, reset between rounds), as one `fathom template` does.
 * Mode "cached": the same with an fth_helm_cache (parsed defaults and template set reused), as
 * a scanner rendering one chart with many value sets would. Prints one line per mode: renders,
 * seconds, renders/s, ms per render, bytes of output per render, peak RSS in KiB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "fathom/fathom.h"
#include "fathom/helm.h"
#include "fathom/tmpl.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    struct fth_arena *ca, *ra;
    struct fth_chart *chart = NULL;
    struct fth_error err;
    struct rusage ru;
    double budget = argc > 2 ? strtod(argv[2], NULL) : 3.0, t0, t;
    long renders = 0;
    size_t bytes = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: bench_template CHART [SECONDS]\n");
        return 2;
    }
    if (!(ca = fth_arena_new()) || !(ra = fth_arena_new()))
        return 1;
    if (fth_chart_load(&chart, ca, argv[1], &err) < 0) {
        fprintf(stderr, "bench_template: %s\n", err.message);
        return 1;
    }
    for (int mode = 0; mode < 2; mode++) {
        struct fth_helm_cache *cache = NULL;
        if (mode && fth_helm_cache_new(&cache) < 0)
            return 1;
        renders = 0;
        t0 = now();
        do {
            struct fth_helm_render_opts o = FTH_HELM_RENDER_OPTS_INIT;
            struct fth_helm_render *r = NULL;
            struct fth_buf out = FTH_BUF_INIT;
            o.values = fth_tmpl_map(ra, 0);
            o.cache = cache;
            if (fth_helm_render(&r, ra, chart, &o, &err) < 0) {
                fprintf(stderr, "bench_template: %s\n", fth_helm_render_error(r));
                return 1;
            }
            fth_helm_render_text(&out, r);
            bytes = out.len;
            fth_buf_release(&out);
            fth_helm_render_release(r);
            fth_arena_reset(ra);
            renders++;
            t = now() - t0;
        } while (t < budget);
        getrusage(RUSAGE_SELF, &ru);
        printf("%s chart=%s renders=%ld seconds=%.3f renders/s=%.1f ms/render=%.3f "
               "output_bytes=%zu peak_rss_kib=%ld\n",
               mode ? "cached" : "render", argv[1], renders, t, (double)renders / t,
               t * 1000.0 / (double)renders, bytes, ru.ru_maxrss);
        fth_helm_cache_free(cache);
    }
    fth_arena_free(ra);
    fth_arena_free(ca);
    return 0;
}
