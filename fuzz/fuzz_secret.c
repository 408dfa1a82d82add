/*
 * libFuzzer target for the secret module: the first byte chooses what the rest is. Even: file
 * bytes scanned with the built-in rules (whole, then streamed in small chunks), under a path
 * the second byte picks. Odd: a custom rules file (YAML) loaded and, when it loads, used to
 * scan a fixed text. Every outcome is findings, a skip or an error; never a crash or a hang.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {"app/config.env",           ".env",          "etc/settings.xml",
                                    "root/.docker/config.json", "home/u/.npmrc", "src/main.go"};

static const char sample[] = "AWS_ACCESS_KEY_ID=AKIAZZZZYYYYXXXXWWWW\n"
                             "secret=\"somevalue123\"\n"
                             "password: hunter2hunter2\n";

struct reader {
    const uint8_t *p;
    size_t len, off;
};

static long mem_read(void *data, void *buf, size_t len)
{
    struct reader *r = data;
    size_t n = r->len - r->off;

    if (n > len)
        n = len;
    if (n > 97)
        n = 97; /* short reads */
    memcpy(buf, r->p + r->off, n);
    r->off += n;
    return (long)n;
}

static void sink(enum fth_log_level level, const char *module, const char *msg, void *arg)
{
    (void)level;
    (void)module;
    (void)msg;
    (void)arg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fth_secret_rules *builtin;
    static struct fth_secret_scratch *scratch;
    struct fth_secret_scan_opts opts = FTH_SECRET_SCAN_OPTS_INIT;
    struct fth_secret_rules *custom = NULL;
    struct fth_secret_result res;
    struct fth_arena *a;
    struct fth_error err;
    struct reader rd;
    const char *path;

    if (size < 2 || size > 256 * 1024)
        return 0;
    if (!builtin) {
        fth_log_set_sink(sink, NULL, FTH_LOG_DEBUG);
        if (fth_secret_rules_new(&builtin, NULL, 0, NULL, &err) < 0 ||
            fth_secret_scratch_new(&scratch, builtin) < 0)
            abort();
    }
    if (!(a = fth_arena_new()))
        return 0;
    path = paths[data[1] % (sizeof(paths) / sizeof(paths[0]))];
    opts.scan_binary = data[1] & 0x80;
    if (!(data[0] & 1)) {
        if (fth_secret_scan(&res, a, scratch, builtin, path, data + 2, size - 2, &opts, &err) < 0)
            abort(); /* only FTH_ENOMEM, which the fuzzer's memory never reaches */
        for (size_t i = 0; i < res.len; i++)
            if (res.findings[i].offset > res.findings[i].end || res.findings[i].end > size - 2 ||
                !res.findings[i].code_len)
                abort();
        rd = (struct reader){data + 2, size - 2, 0};
        opts.chunk_size = 512;
        opts.overlap = 128;
        if (fth_secret_scan_stream(&res, a, scratch, builtin, path, mem_read, &rd, &opts, &err) < 0)
            abort();
    } else if (fth_secret_rules_new(&custom, (const char *)data + 2, size - 2, "fuzz.yaml", &err) ==
               0) {
        if (fth_secret_scan(&res, a, NULL, custom, path, sample, sizeof(sample) - 1, &opts, &err) <
            0)
            abort();
        fth_secret_rules_free(custom);
    }
    fth_arena_free(a);
    return 0;
}
