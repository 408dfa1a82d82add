/*
 * bench_secret [MIB]: secret scanning throughput in MB/s of file content, single-threaded,
 * over a generated corpus of MIB MiB (default 64) cut into 64 KiB "files": source-like text
 * dense in the words rules key on (key, token, password, secret, sk, live_, eyJ, -----),
 * base64 blobs, near-miss tokens, and one real-format secret every ~500 lines. Two runs over
 * the same bytes: with the vectorscan keyword prefilter (what scans use), and without it
 * (every rule's PCRE2 regex on every file), plus a run over plain prose where no keyword
 * occurs. Prints figures; asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fathom/fathom.h"
#include "fathom/secret.h"

#define FILE_SIZE (64 * 1024)

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void rand_chars(struct fth_buf *b, const char *alphabet, size_t n)
{
    size_t k = strlen(alphabet);

    while (n--)
        fth_buf_putc(b, alphabet[next() % k]);
}

static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void dense_line(struct fth_buf *b, unsigned i)
{
    switch (next() % 12) {
    case 0:
        fth_buf_printf(&*b, "    const key = config.get(\"api.key.%u\");\n", i);
        break;
    case 1:
        fth_buf_puts(b, "    if (!token || token.length < 8) throw new Error('bad token');\n");
        break;
    case 2:
        fth_buf_puts(b, "  password: ${DB_PASSWORD}  # set by the operator\n");
        break;
    case 3:
        fth_buf_puts(b, "  \"integrity\": \"sha512-");
        rand_chars(b, b64, 86);
        fth_buf_puts(b, "==\",\n");
        break;
    case 4:
        fth_buf_puts(b, "// ----- section: secret handling for live_ and test keys -----\n");
        break;
    case 5:
        fth_buf_puts(b, "ghp_");
        rand_chars(b, alnum, 30);
        fth_buf_puts(b, " is too short\n");
        break;
    case 6:
        fth_buf_puts(b, "eyJhbGciOi.");
        rand_chars(b, alnum, 12);
        fth_buf_putc(b, '\n');
        break;
    case 7:
        fth_buf_puts(b, "    task_sk_list = [skip(x) for x in ask_queue]\n");
        break;
    case 8:
        rand_chars(b, b64, 76);
        fth_buf_putc(b, '\n');
        break;
    case 9:
        fth_buf_printf(b, "    return aws_client(region=\"us-east-%u\", profile=profile)\n", i % 3);
        break;
    case 10:
        fth_buf_puts(b, "postgres://app@db.internal:5432/app?sslmode=require\n");
        break;
    default:
        fth_buf_puts(b, "    for (size_t i = 0; i < n; i++) total += weights[i] * values[i];\n");
        break;
    }
    if (next() % 500 == 0) {
        fth_buf_puts(b, "AWS_ACCESS_KEY_ID=AKIA");
        rand_chars(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        fth_buf_puts(b, "\nGITHUB_TOKEN=ghp_");
        rand_chars(b, alnum, 36);
        fth_buf_putc(b, '\n');
    }
}

static void prose_line(struct fth_buf *b)
{
    static const char *const words[] = {"the",  "river",  "ran",   "under", "a",
                                        "grey", "bridge", "while", "birds", "circled",
                                        "over", "old",    "mill"};
    int n = 8 + (int)(next() % 8);

    while (n--) {
        fth_buf_puts(b, words[next() % (sizeof(words) / sizeof(words[0]))]);
        fth_buf_putc(b, n ? ' ' : '\n');
    }
}

static double run(const struct fth_secret_rules *rules, struct fth_secret_scratch *s,
                  const struct fth_buf *corpus, int no_prefilter, size_t *found)
{
    struct fth_secret_scan_opts opts = FTH_SECRET_SCAN_OPTS_INIT;
    struct fth_arena *a = fth_arena_new();
    struct fth_secret_result res;
    struct fth_error err;
    size_t off, n;
    double t0;

    opts.no_prefilter = no_prefilter;
    *found = 0;
    t0 = now();
    for (off = 0; off < corpus->len; off += n) {
        n = corpus->len - off < FILE_SIZE ? corpus->len - off : FILE_SIZE;
        fth_arena_reset(a);
        if (fth_secret_scan(&res, a, s, rules, "src/app/file.txt", corpus->ptr + off, n, &opts,
                            &err) < 0) {
            fprintf(stderr, "bench_secret: %s\n", err.message);
            exit(1);
        }
        *found += res.len;
    }
    t0 = now() - t0;
    fth_arena_free(a);
    return (double)corpus->len / 1e6 / t0;
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 64, found;
    struct fth_buf dense = FTH_BUF_INIT, prose = FTH_BUF_INIT;
    struct fth_secret_rules *rules = NULL;
    struct fth_secret_scratch *s = NULL;
    struct fth_error err;
    unsigned i = 0;
    double mbs;

    if (!mib)
        mib = 64;
    if (fth_secret_rules_new(&rules, NULL, 0, NULL, &err) < 0 ||
        fth_secret_scratch_new(&s, rules) < 0) {
        fprintf(stderr, "bench_secret: cannot build the rules\n");
        return 1;
    }
    while (dense.len < mib * 1024 * 1024)
        dense_line(&dense, i++);
    while (prose.len < mib * 1024 * 1024)
        prose_line(&prose);
    printf("secret scan: %zu rules, corpus %zu MiB in %d KiB files\n",
           fth_secret_rules_count(rules), mib, FILE_SIZE / 1024);
    mbs = run(rules, s, &dense, 0, &found);
    printf("  keyword-dense text, vectorscan prefilter: %8.1f MB/s (%zu findings)\n", mbs, found);
    mbs = run(rules, s, &dense, 1, &found);
    printf("  keyword-dense text, no prefilter (PCRE2): %8.1f MB/s (%zu findings)\n", mbs, found);
    mbs = run(rules, s, &prose, 0, &found);
    printf("  plain prose,        vectorscan prefilter: %8.1f MB/s (%zu findings)\n", mbs, found);
    mbs = run(rules, s, &prose, 1, &found);
    printf("  plain prose,        no prefilter (PCRE2): %8.1f MB/s (%zu findings)\n", mbs, found);
    fth_secret_scratch_free(s);
    fth_secret_rules_free(rules);
    fth_buf_release(&dense);
    fth_buf_release(&prose);
    return 0;
}
