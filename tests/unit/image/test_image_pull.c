/*
 * image: the registry source end to end, against a real registry on 127.0.0.1
 * (../shared/tools/registry.sh: Debian's docker-registry, pushed to with skopeo): a
 * multi-arch index narrowed by platform, pull by tag and by digest, and layers that stream to
 * exactly the entries the OCI layout gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fathom/image.h"

#define IMAGES FATHOM_SHARED "/data/images/"
#define TOOL FATHOM_SHARED "/tools/registry.sh"

static char tmp[64];
static int port;

static int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    return system(cmd);
}

static int setup(void **state)
{
    char out[128];
    FILE *f;

    (void)state;
    if (sh("command -v docker-registry >/dev/null && command -v skopeo >/dev/null") != 0) {
        fprintf(stderr, "docker-registry and skopeo are needed (apt-get install docker-registry "
                        "skopeo)\n");
        return -1;
    }
    snprintf(tmp, sizeof(tmp), "/tmp/fathom-image-pull.XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    /* A free port, chosen by the kernel. */
    snprintf(out, sizeof(out), "%s/port", tmp);
    if (sh("python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); "
           "print(s.getsockname()[1])' >%s",
           out) != 0 ||
        !(f = fopen(out, "r")))
        return -1;
    if (fscanf(f, "%d", &port) != 1)
        port = 0;
    fclose(f);
    if (!port || sh("bash %s start %s/reg %d >/dev/null", TOOL, tmp, port) != 0)
        return -1;
    if (sh("bash %s push %soci-alpine-multi:3.20.3 %d alpine:multi", TOOL, IMAGES, port) != 0 ||
        sh("bash %s push %soci-alpine:3.20.3-whiteout %d alpine:wh", TOOL, IMAGES, port) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sh("bash %s stop %s/reg", TOOL, tmp);
    sh("rm -rf %s", tmp);
    return 0;
}

static struct fth_image *pull(const char *fmt, const char *platform)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    struct fth_image *img = NULL;
    struct fth_error err;
    char ref[256], cache[128];

    snprintf(ref, sizeof(ref), fmt, port);
    snprintf(cache, sizeof(cache), "%s/cache", tmp);
    opts.platform = platform;
    opts.insecure = 1;
    opts.cache_dir = cache;
    opts.docker_config = "/nonexistent/config.json";
    if (fth_image_open(&img, ref, &opts, &err) < 0)
        fail_msg("open %s: %s", ref, err.message);
    return img;
}

static int hash_visit(void *data, const struct fth_entry *e, struct fth_entry_reader *r)
{
    char line[8192];
    int n = snprintf(line, sizeof(line), "%s|%d|%llu|%s\n", e->path, (int)e->type,
                     (unsigned long long)e->size, e->link ? e->link : "");

    (void)r;
    fth_sha256_update(data, line, (size_t)n);
    return 0;
}

static void layer_hash(char hex[65], struct fth_image *img, unsigned layer)
{
    struct fth_sha256 h;
    struct fth_error err;

    assert_int_equal(fth_sha256_init(&h), 0);
    if (fth_image_walk_layer(img, layer, hash_visit, &h, &err) < 0)
        fail_msg("walk %s %u: %s", img->ref, layer, err.message);
    fth_sha256_final(&h, hex);
}

static void test_platforms(void **state)
{
    struct fth_image *img;

    (void)state;
    img = pull("127.0.0.1:%d/alpine:multi", NULL);
    assert_string_equal(img->transport, "docker");
    assert_string_equal(img->digest,
                        "sha256:022702f24811e6a639cc95e31b12088872fea047a21136646ed9a9c64616dbcc");
    assert_string_equal(img->architecture, "amd64");
    fth_image_free(img);
    img = pull("docker://127.0.0.1:%d/alpine:multi", "linux/arm64/v8");
    assert_string_equal(img->digest,
                        "sha256:23c19c93adab817aa86aabe1615a1ce2ade8d0fcadfde801f6ff824d44c9c920");
    fth_image_free(img);
    img = pull("127.0.0.1:%d/alpine@sha256:"
               "23c19c93adab817aa86aabe1615a1ce2ade8d0fcadfde801f6ff824d44c9c920",
               NULL);
    assert_string_equal(img->architecture, "arm64");
    fth_image_free(img);
}

static void test_layers_match_layout(void **state)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    struct fth_image *reg = pull("127.0.0.1:%d/alpine:wh", NULL), *oci;
    struct fth_error err;
    char a[65], b[65];
    unsigned i;

    (void)state;
    assert_int_equal(fth_image_open(&oci, "oci:" IMAGES "oci-alpine:3.20.3-whiteout", &opts, &err),
                     0);
    assert_string_equal(reg->digest, oci->digest);
    assert_int_equal(reg->nlayers, 3);
    for (i = 0; i < 3; i++) {
        assert_string_equal(reg->layers[i].digest, oci->layers[i].digest);
        assert_string_equal(reg->layers[i].created_by, oci->layers[i].created_by);
        layer_hash(a, reg, i);
        layer_hash(b, oci, i);
        assert_string_equal(a, b);
    }
    /* Again, from the layer cache. */
    layer_hash(a, reg, 1);
    layer_hash(b, oci, 1);
    assert_string_equal(a, b);
    fth_image_free(reg);
    fth_image_free(oci);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_platforms),
        cmocka_unit_test(test_layers_match_layout),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
