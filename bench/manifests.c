/*
 * bench_manifests MODE FILE: time one pass over a YAML stream, single-threaded.
 *   parse: libyaml alone, every event of every document (the baseline)
 *   load:  Fathom's loader alone: every document into the value tree, nothing analysed
 *   scan:  Fathom's full manifest analysis of the same bytes, default options (kubesec's and
 *          Fathom's rules, NetworkPolicy coverage)
 *   pss:   the same plus the Pod Security Standards at restricted (--pss restricted)
 * Prints one line: mode, documents, bytes, seconds, documents/s, MB/s, peak RSS in KiB.
 * Run each mode in its own process so peak RSS belongs to that mode alone.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <yaml.h>

#include "fathom/fathom.h"
#include "../src/base/limits.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long parse_libyaml(const char *data, size_t len)
{
    yaml_parser_t p;
    yaml_event_t ev;
    long docs = 0;
    int done = 0;

    if (!yaml_parser_initialize(&p))
        return -1;
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    while (!done) {
        if (!yaml_parser_parse(&p, &ev)) {
            fprintf(stderr, "libyaml: %s at line %zu\n", p.problem ? p.problem : "error",
                    p.problem_mark.line + 1);
            docs = -1;
            break;
        }
        if (ev.type == YAML_DOCUMENT_START_EVENT)
            docs++;
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return docs;
}

static int count_doc(const struct fth_document *doc, void *data)
{
    (void)doc;
    ++*(long *)data;
    return 0;
}

static long load_fathom(const char *name, const char *data, size_t len)
{
    struct fth_load_opts lo = FTH_LOAD_OPTS_INIT;
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;
    long docs = 0;

    lo.name = name;
    if (!a || fth_value_load_each(a, data, len, &lo, count_doc, &docs, &err) < 0)
        docs = -1;
    fth_arena_free(a);
    return docs;
}

static long scan_fathom(const char *name, const char *data, size_t len, int pss)
{
    struct fth_k8s_opts opts = FTH_K8S_OPTS_INIT;
    struct fth_k8s_scan *scan = NULL;
    const struct fth_k8s_result *res;
    long docs = -1;

    opts.threads = 1;
    opts.pss_level = pss ? FTH_PSS_RESTRICTED : FTH_PSS_NONE;
    if (fth_k8s_scan_new(&scan, &opts) < 0)
        return -1;
    if (fth_k8s_scan_buffer(scan, name, data, len) < 0 || fth_k8s_scan_finish(scan) < 0)
        goto out;
    res = fth_k8s_scan_result(scan);
    docs = (long)res->documents;
    fprintf(stderr, "scan: %zu objects, %zu findings, %zu errors\n", res->objects_len,
            res->findings_len, res->errors_len);
out:
    fth_k8s_scan_free(scan);
    return docs;
}

int main(int argc, char **argv)
{
    struct fth_buf buf = FTH_BUF_INIT;
    struct fth_error err;
    struct rusage ru;
    double t0, t;
    long docs;

    if (argc != 3 || (strcmp(argv[1], "parse") != 0 && strcmp(argv[1], "load") != 0 &&
                      strcmp(argv[1], "scan") != 0 && strcmp(argv[1], "pss") != 0)) {
        fprintf(stderr, "usage: bench_manifests parse|load|scan|pss FILE\n");
        return 2;
    }
    if (fth_file_read(&buf, argv[2], FTH_LIMIT_FILE_SIZE, &err) < 0) {
        fprintf(stderr, "bench_manifests: %s\n", err.message);
        return 2;
    }
    t0 = now();
    if (strcmp(argv[1], "parse") == 0)
        docs = parse_libyaml(buf.ptr, buf.len);
    else if (strcmp(argv[1], "load") == 0)
        docs = load_fathom(argv[2], buf.ptr, buf.len);
    else
        docs = scan_fathom(argv[2], buf.ptr, buf.len, strcmp(argv[1], "pss") == 0);
    t = now() - t0;
    if (docs < 0) {
        fth_buf_release(&buf);
        return 1;
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("%-6s docs=%ld bytes=%zu seconds=%.4f docs/s=%.0f MB/s=%.2f peak_rss_kib=%ld\n",
           argv[1], docs, buf.len, t, (double)docs / t, (double)buf.len / t / 1e6, ru.ru_maxrss);
    fth_buf_release(&buf);
    return 0;
}
