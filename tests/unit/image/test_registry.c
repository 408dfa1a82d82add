/*
 * image: the registry client against a real registry on 127.0.0.1 (Debian's docker-registry
 * through ../shared/tools/registry.sh, the shared oci-alpine images pushed with skopeo) and a
 * Bearer-token proxy in front of it (tests/servers/registry_proxy.py) that also injects 503s,
 * redirects and lies about sizes. Expected digests and bytes are the shared OCI layouts' own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "fathom/base.h"
#include "image/image_int.h"
#include "servers/spawn.h"

#define IMAGES FATHOM_SHARED "/data/images/"
#define ALPINE_BLOBS IMAGES "oci-alpine/blobs/sha256/"
#define MULTI_BLOBS IMAGES "oci-alpine-multi/blobs/sha256/"
#define REGISTRY_SH FATHOM_SHARED "/tools/registry.sh"

#define ALPINE_MANIFEST "sha256:2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd"
#define ALPINE_CONFIG "sha256:68da259a5d9628c059a03451370e92bf46b81369f12a232c38aebd67cf0cdbab"
#define ALPINE_LAYER "sha256:b40931ee05f7899c6a99b34c64e0eee0c0b97ba8770f325e51c6186262926743"
#define ALPINE_LAYER_SIZE 3741677
#define L2_LAYER "sha256:7dbf73c83d7a82bf63def1b458f7c166d21b10aa761c28694bc5d27402ac4135"
#define L2_LAYER_SIZE 719448
#define MULTI_INDEX "sha256:0cd67f89b1f834cc97d7c36f98a772c5b1dda554363a196ed6b0f3723866aa1d"
#define MULTI_AMD64 "sha256:022702f24811e6a639cc95e31b12088872fea047a21136646ed9a9c64616dbcc"
#define MULTI_ARM64 "sha256:23c19c93adab817aa86aabe1615a1ce2ade8d0fcadfde801f6ff824d44c9c920"
#define NO_SUCH "sha256:0000000000000000000000000000000000000000000000000000000000000001"

static char work[256];
static int port_open, port_auth;
static struct test_server proxy, proxy_creds;
static struct fth_arena *arena;

static void shell(const char *fmt, ...) FTH_PRINTF(1, 2);

static void shell(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("failed: %s", cmd);
}

static int free_port(void)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static int setup(void **state)
{
    char port[16], creds[] = "tokuser:tokpass";
    char *argv[] = {(char *)FATHOM_SOURCE_DIR "/tests/servers/registry_proxy.py", port, NULL, NULL};
    char *env;

    (void)state;
    snprintf(work, sizeof(work), "%s/fathom-registry-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(work))
        return -1;
    /* Nothing of the user's own docker config or cache takes part. */
    if (!(arena = fth_arena_new()))
        return -1;
    env = fth_arena_printf(arena, "%s/home", work);
    setenv("HOME", env, 1);
    unsetenv("DOCKER_CONFIG");
    unsetenv("XDG_CACHE_HOME");
    port_open = free_port();
    port_auth = free_port();
    shell("bash %s start %s/open %d >/dev/null", REGISTRY_SH, work, port_open);
    shell("bash %s start %s/auth %d user:pass >/dev/null", REGISTRY_SH, work, port_auth);
    shell("bash %s push %soci-alpine:3.20.3 %d alpine:3.20.3", REGISTRY_SH, IMAGES, port_open);
    shell("bash %s push %soci-alpine:3.20.3-l2 %d tamper:l2", REGISTRY_SH, IMAGES, port_open);
    shell("bash %s push %soci-alpine-multi:3.20.3 %d multi:3.20.3", REGISTRY_SH, IMAGES, port_open);
    /* The same index converted to Docker's manifest list and v2 manifests. */
    shell("skopeo copy --all --format v2s2 --dest-tls-verify=false oci:%soci-alpine-multi:3.20.3 "
          "docker://127.0.0.1:%d/dmulti:1 >/dev/null",
          IMAGES, port_open);
    shell("bash %s push %soci-alpine:3.20.3 %d private/alpine:3.20.3 user:pass", REGISTRY_SH,
          IMAGES, port_auth);
    snprintf(port, sizeof(port), "%d", port_open);
    if (test_server_start(&proxy, argv) < 0)
        return -1;
    argv[2] = creds;
    if (test_server_start(&proxy_creds, argv) < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_server_stop(&proxy);
    test_server_stop(&proxy_creds);
    shell("bash %s stop %s/open", REGISTRY_SH, work);
    shell("bash %s stop %s/auth", REGISTRY_SH, work);
    shell("rm -rf %s", work);
    fth_arena_free(arena);
    return 0;
}

static struct registry *open_registry(const char *ref, struct fth_image_opts *opts)
{
    struct registry_ref rr;
    struct registry *r;
    struct fth_error err;

    if (registry_ref_parse(&rr, arena, ref, &err) < 0)
        fail_msg("parse %s: %s", ref, err.message);
    opts->insecure = 1;
    if (registry_new(&r, &rr, opts, &err) < 0)
        fail_msg("registry_new %s: %s", ref, err.message);
    return r;
}

static const char *host(int port)
{
    return fth_arena_printf(arena, "127.0.0.1:%d", port);
}

/* A fresh cache directory under the work dir. */
static const char *new_cache(const char *name)
{
    return fth_arena_printf(arena, "%s/cache-%s", work, name);
}

/* Entries (hidden ones too) in the cache's blob directory. */
static int cached_files(const char *cache)
{
    char *dir = fth_arena_printf(arena, "%s/blobs/sha256", cache);
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void assert_same_file(const char *a, const char *b)
{
    struct fth_buf x = FTH_BUF_INIT, y = FTH_BUF_INIT;
    struct fth_error err;

    if (fth_file_read(&x, a, (size_t)1 << 30, &err) < 0 ||
        fth_file_read(&y, b, (size_t)1 << 30, &err) < 0)
        fail_msg("read: %s", err.message);
    assert_int_equal(x.len, y.len);
    assert_memory_equal(x.ptr, y.ptr, x.len);
    fth_buf_release(&x);
    fth_buf_release(&y);
}

static int to_buf(void *data, const void *buf, size_t len)
{
    return fth_buf_put(data, buf, len);
}

static const char *proxy_get(struct test_server *s, const char *path)
{
    struct fth_http_request req = {0};
    struct fth_http_response resp;
    struct fth_buf body = FTH_BUF_INIT;
    struct fth_error err;
    const char *out;

    req.url = fth_arena_printf(arena, "http://127.0.0.1:%d%s", s->port, path);
    req.sink = to_buf;
    req.sink_data = &body;
    if (fth_http_fetch(&resp, arena, &req, &err) < 0 || resp.status != 200)
        fail_msg("proxy %s: %s", path, err.message);
    out = fth_arena_strdup(arena, body.ptr);
    fth_buf_release(&body);
    return out;
}

/* ---- references ---- */

static void check_ref(const char *ref, const char *h, const char *repo, const char *tag,
                      const char *digest)
{
    struct registry_ref rr;
    struct fth_error err;

    if (registry_ref_parse(&rr, arena, ref, &err) < 0)
        fail_msg("%s: %s", ref, err.message);
    assert_string_equal(rr.host, h);
    assert_string_equal(rr.repo, repo);
    assert_string_equal(rr.tag, tag);
    assert_string_equal(rr.digest, digest);
}

static void check_bad_ref(const char *ref, const char *why)
{
    struct registry_ref rr;
    struct fth_error err;

    fth_error_clear(&err);
    assert_int_equal(registry_ref_parse(&rr, arena, ref, &err), FTH_EINVALID);
    if (!strstr(err.message, why))
        fail_msg("%s: '%s' does not say '%s'", ref, err.message, why);
}

static void test_registry_ref_parse(void **state)
{
    const char *d = ALPINE_MANIFEST;

    (void)state;
    check_ref("alpine", "registry-1.docker.io", "library/alpine", "latest", "");
    check_ref("alpine:3.20", "registry-1.docker.io", "library/alpine", "3.20", "");
    check_ref("user/x", "registry-1.docker.io", "user/x", "latest", "");
    check_ref("docker.io/alpine", "registry-1.docker.io", "library/alpine", "latest", "");
    check_ref("index.docker.io/user/x:1", "registry-1.docker.io", "user/x", "1", "");
    check_ref("localhost/a/b", "localhost", "a/b", "latest", "");
    check_ref("localhost:5000/a:v1.2_3-x", "localhost:5000", "a", "v1.2_3-x", "");
    check_ref("127.0.0.1:5000/alpine:3.20.3", "127.0.0.1:5000", "alpine", "3.20.3", "");
    check_ref("ghcr.io/org/sub/img", "ghcr.io", "org/sub/img", "latest", "");
    check_ref("[::1]:5000/img", "[::1]:5000", "img", "latest", "");
    check_ref("quay.io/a/b-c__d.e@" ALPINE_MANIFEST, "quay.io", "a/b-c__d.e", "", d);
    check_ref("quay.io/a:t@" ALPINE_MANIFEST, "quay.io", "a", "t", d);
    check_ref("a--b_c/x", "registry-1.docker.io", "a--b_c/x", "latest", "");

    check_bad_ref("", "empty");
    check_bad_ref("Alpine", "repository path components");
    check_bad_ref("host.io/a//b", "repository path components");
    check_bad_ref("host.io/a/", "repository path components");
    check_bad_ref("host.io/-a", "repository path components");
    check_bad_ref("host.io/a_-b", "repository path components");
    check_bad_ref("host.io/a:", "the tag");
    check_bad_ref("host.io/a:.x", "the tag");
    check_bad_ref("host.io/a:t!", "the tag");
    check_bad_ref("host.io/a@sha256:abc", "the digest");
    check_bad_ref("host.io/a@md5:0123", "the digest");
    check_bad_ref("host.io/a@" ALPINE_MANIFEST "@" ALPINE_MANIFEST, "the digest");
    check_bad_ref("host.io:0/a", "registry host");
    check_bad_ref("host.io:99999/a", "registry host");
    check_bad_ref("ho_st.io/a", "registry host");
    check_bad_ref("-host.io/a", "registry host");
    check_bad_ref("http://host.io/a", "registry host");
    check_bad_ref("host.io/a b", "repository path components");
}

static void test_registry_cache_dir(void **state)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    const char *home = getenv("HOME");

    (void)state;
    assert_string_equal(image_cache_dir(arena, &opts),
                        fth_arena_printf(arena, "%s/.cache/fathom", home));
    setenv("XDG_CACHE_HOME", "/xdg/cache", 1);
    assert_string_equal(image_cache_dir(arena, &opts), "/xdg/cache/fathom");
    assert_string_equal(image_cache_dir(arena, NULL), "/xdg/cache/fathom");
    unsetenv("XDG_CACHE_HOME");
    opts.cache_dir = "/somewhere";
    assert_string_equal(image_cache_dir(arena, &opts), "/somewhere");
    opts.cache_dir = "";
    assert_string_equal(image_cache_dir(arena, &opts), "");
}

/* ---- manifests ---- */

static void fetch_manifest(struct registry *r, const char *ref, const char *want_digest,
                           const char *want_type, const char *want_file)
{
    const char *body, *mt, *digest;
    struct fth_buf want = FTH_BUF_INIT;
    struct fth_error err;
    size_t len;

    if (registry_manifest(&body, &len, &mt, &digest, arena, r, ref, &err) < 0)
        fail_msg("manifest %s: %s", ref, err.message);
    assert_string_equal(digest, want_digest);
    assert_string_equal(mt, want_type);
    if (fth_file_read(&want, want_file, 1 << 20, &err) < 0)
        fail_msg("%s", err.message);
    assert_int_equal(len, want.len);
    assert_memory_equal(body, want.ptr, len);
    fth_buf_release(&want);
}

static void test_registry_manifest(void **state)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    const char *ref = fth_arena_printf(arena, "%s/alpine:3.20.3", host(port_open));
    struct registry *r = open_registry(ref, &opts);
    const char *body, *mt, *digest;
    struct fth_error err;
    size_t len;

    (void)state;
    fetch_manifest(r, "3.20.3", ALPINE_MANIFEST, IMAGE_MT_OCI_MANIFEST,
                   ALPINE_BLOBS "2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd");
    fetch_manifest(r, ALPINE_MANIFEST, ALPINE_MANIFEST, IMAGE_MT_OCI_MANIFEST,
                   ALPINE_BLOBS "2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd");

    assert_int_equal(registry_manifest(&body, &len, &mt, &digest, arena, r, "nope", &err),
                     FTH_ENOTFOUND);
    assert_non_null(strstr(err.message, "/alpine:nope': the registry answered 404"));
    assert_non_null(strstr(err.message, "MANIFEST_UNKNOWN"));
    assert_int_equal(registry_manifest(&body, &len, &mt, &digest, arena, r, NO_SUCH, &err),
                     FTH_ENOTFOUND);
    assert_int_equal(registry_manifest(&body, &len, &mt, &digest, arena, r, "../x", &err),
                     FTH_EINVALID);
    registry_free(r);
}

static void test_registry_multiarch(void **state)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    const char *ref = fth_arena_printf(arena, "%s/multi:3.20.3", host(port_open));
    struct registry *r = open_registry(ref, &opts);
    const char *body, *mt, *digest;
    struct fth_error err;
    json_t *doc, *m;
    size_t len, i;

    (void)state;
    fetch_manifest(r, "3.20.3", MULTI_INDEX, IMAGE_MT_OCI_INDEX,
                   MULTI_BLOBS "0cd67f89b1f834cc97d7c36f98a772c5b1dda554363a196ed6b0f3723866aa1d");
    if (registry_manifest(&body, &len, &mt, &digest, arena, r, "3.20.3", &err) < 0)
        fail_msg("%s", err.message);
    doc = json_loadb(body, len, 0, NULL);
    assert_non_null(doc);
    assert_int_equal(json_array_size(json_object_get(doc, "manifests")), 2);
    json_array_foreach(json_object_get(doc, "manifests"), i, m)
    {
        const char *d = json_string_value(json_object_get(m, "digest"));
        const char *file = fth_arena_printf(arena, MULTI_BLOBS "%s", d + 7);

        assert_string_equal(d, i == 0 ? MULTI_AMD64 : MULTI_ARM64);
        fetch_manifest(r, d, d, IMAGE_MT_OCI_MANIFEST, file);
    }
    json_decref(doc);
    registry_free(r);
}

/* The Docker media types: a manifest list whose children are v2 manifests of the same layers. */
static void test_registry_docker_types(void **state)
{
    static const char *const oci_children[] = {MULTI_AMD64, MULTI_ARM64};
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    const char *ref = fth_arena_printf(arena, "%s/dmulti:1", host(port_open));
    struct registry *r = open_registry(ref, &opts);
    const char *body, *mt, *digest, *want;
    char line[128] = "";
    struct fth_error err;
    json_t *doc, *m;
    size_t len, i;
    FILE *p;

    (void)state;
    if (registry_manifest(&body, &len, &mt, &digest, arena, r, "1", &err) < 0)
        fail_msg("%s", err.message);
    assert_string_equal(mt, IMAGE_MT_DOCKER_LIST);
    /* The digest skopeo's own client computes over the bytes the registry serves. */
    p = popen(fth_arena_printf(
                  arena, "skopeo inspect --raw --tls-verify=false docker://%s | sha256sum", ref),
              "r");
    assert_non_null(p);
    assert_non_null(fgets(line, sizeof(line), p));
    pclose(p);
    want = fth_arena_printf(arena, "sha256:%.64s", line);
    assert_string_equal(digest, want);

    doc = json_loadb(body, len, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(doc, "manifests")), 2);
    json_array_foreach(json_object_get(doc, "manifests"), i, m)
    {
        const char *d = json_string_value(json_object_get(m, "digest"));
        struct fth_buf oci = FTH_BUF_INIT;
        json_t *child, *ochild;

        if (registry_manifest(&body, &len, &mt, &digest, arena, r, d, &err) < 0)
            fail_msg("%s: %s", d, err.message);
        assert_string_equal(mt, IMAGE_MT_DOCKER_MANIFEST);
        assert_string_equal(digest, d);
        /* Same layer as the OCI child it was converted from. */
        if (fth_file_read(&oci, fth_arena_printf(arena, MULTI_BLOBS "%s", oci_children[i] + 7),
                          1 << 20, &err) < 0)
            fail_msg("%s", err.message);
        child = json_loadb(body, len, 0, NULL);
        ochild = json_loadb(oci.ptr, oci.len, 0, NULL);
        assert_string_equal(json_string_value(json_object_get(
                                json_array_get(json_object_get(child, "layers"), 0), "digest")),
                            json_string_value(json_object_get(
                                json_array_get(json_object_get(ochild, "layers"), 0), "digest")));
        json_decref(child);
        json_decref(ochild);
        fth_buf_release(&oci);
    }
    json_decref(doc);
    registry_free(r);
}

/* ---- blobs and the cache ---- */

static void test_registry_blob_cache(void **state)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    const char *ref = fth_arena_printf(arena, "%s/alpine:3.20.3", host(port_open));
    const char *cache = new_cache("blob"), *path, *want;
    struct registry *r, *dead;
    struct fth_error err;
    struct stat st;
    int temporary = -1;

    (void)state;
    opts.cache_dir = cache;
    r = open_registry(ref, &opts);
    if (registry_blob(&path, &temporary, arena, r, ALPINE_LAYER, ALPINE_LAYER_SIZE, &err) < 0)
        fail_msg("blob: %s", err.message);
    want = fth_arena_printf(arena, "%s/blobs/sha256/%s", cache, &ALPINE_LAYER[7]);
    assert_string_equal(path, want);
    assert_int_equal(temporary, 0);
    assert_same_file(path, ALPINE_BLOBS
                     "b40931ee05f7899c6a99b34c64e0eee0c0b97ba8770f325e51c6186262926743");
    if (registry_blob(&path, &temporary, arena, r, ALPINE_CONFIG, 0, &err) < 0)
        fail_msg("config blob: %s", err.message);
    assert_same_file(path, ALPINE_BLOBS
                     "68da259a5d9628c059a03451370e92bf46b81369f12a232c38aebd67cf0cdbab");
    assert_int_equal(cached_files(cache), 2);
    registry_free(r);

    /* A cache hit sends nothing: a registry that does not exist serves it. */
    opts.insecure = 1;
    dead = open_registry("127.0.0.1:1/alpine:3.20.3", &opts);
    if (registry_blob(&path, &temporary, arena, dead, ALPINE_LAYER, ALPINE_LAYER_SIZE, &err) < 0)
        fail_msg("cache hit: %s", err.message);
    assert_string_equal(path, want);
    /* ... but not for another size: that goes back to the (dead) registry, and the cached
     * copy stays until a download that passes its checks replaces it. */
    assert_int_equal(registry_blob(&path, &temporary, arena, dead, ALPINE_LAYER, 12, &err),
                     FTH_EIO);
    assert_non_null(strstr(err.message, "127.0.0.1:1"));
    assert_int_equal(stat(want, &st), 0);
    assert_int_equal(st.st_size, ALPINE_LAYER_SIZE);
    /* Not a digest: refused before touching the cache path. */
    assert_int_equal(registry_blob(&path, &temporary, arena, dead, "sha256:../../etc", 0, &err),
                     FTH_EINVALID);
    registry_free(dead);

    /* The wrong declared size: fewer bytes than stated. */
    r = open_registry(ref, &opts);
    assert_int_equal(registry_blob(&path, &temporary, arena, r, ALPINE_CONFIG, 510, &err),
                     FTH_EVERIFY);
    assert_non_null(strstr(err.message, "sent 509 bytes, the manifest states 510"));
    /* More than stated. */
    assert_int_equal(registry_blob(&path, &temporary, arena, r, ALPINE_CONFIG, 508, &err),
                     FTH_EVERIFY);
    assert_non_null(strstr(err.message, "more than the 508 bytes"));
    assert_int_equal(cached_files(cache), 2); /* the two from before, nothing else */
    /* Unknown blob. */
    assert_int_equal(registry_blob(&path, &temporary, arena, r, NO_SUCH, 0, &err), FTH_ENOTFOUND);
    assert_non_null(strstr(err.message, "BLOB_UNKNOWN"));
    assert_int_equal(cached_files(cache), 2);
    registry_free(r);

    /* Cache disabled: a temporary file the caller deletes. */
    opts.cache_dir = "";
    setenv("TMPDIR", work, 1);
    r = open_registry(ref, &opts);
    if (registry_blob(&path, &temporary, arena, r, ALPINE_CONFIG, 509, &err) < 0)
        fail_msg("uncached: %s", err.message);
    unsetenv("TMPDIR");
    assert_int_equal(temporary, 1);
    assert_int_equal(strncmp(path, work, strlen(work)), 0);
    assert_same_file(path, ALPINE_BLOBS
                     "68da259a5d9628c059a03451370e92bf46b81369f12a232c38aebd67cf0cdbab");
    unlink(path);
    registry_free(r);
}

static void test_registry_tampered_blob(void **state)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    const char *ref = fth_arena_printf(arena, "%s/tamper:l2", host(port_open));
    const char *cache = new_cache("tamper"), *path;
    struct fth_error err;
    struct registry *r;
    int temporary;

    (void)state;
    /* Same size, different bytes: only the digest can tell. */
    shell("printf 'TAMPERED' | dd of=%s/open/storage/docker/registry/v2/blobs/sha256/7d/%s/data "
          "bs=1 seek=1000 conv=notrunc status=none",
          work, &L2_LAYER[7]);
    opts.cache_dir = cache;
    r = open_registry(ref, &opts);
    assert_int_equal(registry_blob(&path, &temporary, arena, r, L2_LAYER, L2_LAYER_SIZE, &err),
                     FTH_EVERIFY);
    assert_non_null(strstr(err.message, "blob digest mismatch: expected '" L2_LAYER "'"));
    assert_non_null(strstr(err.message, "the bytes hash to 'sha256:"));
    assert_int_equal(cached_files(cache), 0);
    registry_free(r);
}

/* ---- basic auth ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_registry_basic_auth(void **state)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    const char *h = host(port_auth);
    const char *ref = fth_arena_printf(arena, "%s/private/alpine:3.20.3", h);
    const char *conf = fth_arena_printf(arena, "%s/docker-config.json", work);
    const char *dir = fth_arena_printf(arena, "%s/dockerdir", work);
    const char *body, *mt, *digest;
    struct fth_error err;
    struct registry *r;
    size_t len;

    (void)state;
    /* No credentials anywhere. */
    r = open_registry(ref, &opts);
    assert_int_equal(registry_manifest(&body, &len, &mt, &digest, arena, r, "3.20.3", &err),
                     FTH_EVERIFY);
    assert_non_null(strstr(err.message, "401 unauthorized"));
    assert_non_null(strstr(err.message, "realm 'test-realm'"));
    registry_free(r);

    /* Wrong ones. */
    opts.username = "user";
    opts.password = "wrong";
    r = open_registry(ref, &opts);
    assert_int_equal(registry_manifest(&body, &len, &mt, &digest, arena, r, "3.20.3", &err),
                     FTH_EVERIFY);
    assert_non_null(strstr(err.message, "401 unauthorized: the registry refused the credentials"));
    registry_free(r);

    /* Right ones, from the options. */
    opts.password = "pass";
    r = open_registry(ref, &opts);
    fetch_manifest(r, "3.20.3", ALPINE_MANIFEST, IMAGE_MT_OCI_MANIFEST,
                   ALPINE_BLOBS "2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd");
    registry_free(r);

    /* From a docker config.json: base64 "user:pass" (dXNlcjpwYXNz), keyed by URL. */
    opts.username = opts.password = NULL;
    write_file(conf, fth_arena_printf(arena,
                                      "{\"auths\": {\"other.io\": {\"auth\": \"eDp5\"}, "
                                      "\"http://%s/v1/\": {\"auth\": \"dXNlcjpwYXNz\"}}}",
                                      h));
    opts.docker_config = conf;
    r = open_registry(ref, &opts);
    fetch_manifest(r, ALPINE_MANIFEST, ALPINE_MANIFEST, IMAGE_MT_OCI_MANIFEST,
                   ALPINE_BLOBS "2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd");
    registry_free(r);

    /* $DOCKER_CONFIG/config.json with username and password fields. */
    opts.docker_config = NULL;
    shell("mkdir -p %s", dir);
    write_file(fth_arena_printf(arena, "%s/config.json", dir),
               fth_arena_printf(arena,
                                "{\"auths\": {\"%s\": {\"username\": \"user\", "
                                "\"password\": \"pass\"}}}",
                                h));
    setenv("DOCKER_CONFIG", dir, 1);
    r = open_registry(ref, &opts);
    fetch_manifest(r, "3.20.3", ALPINE_MANIFEST, IMAGE_MT_OCI_MANIFEST,
                   ALPINE_BLOBS "2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd");
    registry_free(r);
    unsetenv("DOCKER_CONFIG");

    /* A broken config is an error naming it. */
    write_file(conf, "{\"auths\": ");
    opts.docker_config = conf;
    {
        struct registry_ref rr;
        struct registry *bad = NULL;

        assert_int_equal(registry_ref_parse(&rr, arena, ref, &err), 0);
        assert_int_equal(registry_new(&bad, &rr, &opts, &err), FTH_EINVALID);
        assert_null(bad);
        assert_non_null(strstr(err.message, conf));
        write_file(conf, "{\"auths\": {\"h.io\": {\"auth\": \"!!\"}}}");
        assert_int_equal(registry_ref_parse(&rr, arena, "h.io/x", &err), 0);
        assert_int_equal(registry_new(&bad, &rr, &opts, &err), FTH_EINVALID);
        assert_non_null(strstr(err.message, "'auths.h.io.auth'"));
    }
}

/* ---- bearer tokens, retries and lies, through the proxy ---- */

static void test_registry_bearer(void **state)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    const char *ref = fth_arena_printf(arena, "%s/alpine:3.20.3", host(proxy.port));
    const char *cache = new_cache("bearer"), *path, *body, *mt, *digest;
    struct fth_error err;
    struct registry *r;
    int temporary;
    size_t len;

    (void)state;
    proxy_get(&proxy, "/_control?reset=1");
    opts.cache_dir = cache;
    r = open_registry(ref, &opts);
    fetch_manifest(r, "3.20.3", ALPINE_MANIFEST, IMAGE_MT_OCI_MANIFEST,
                   ALPINE_BLOBS "2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd");
    /* One 401, one token, one forwarded manifest request. */
    assert_string_equal(proxy_get(&proxy, "/_count"), "v2=2 token=1 manifests=1 blobs=0 storage=0");
    if (registry_blob(&path, &temporary, arena, r, ALPINE_LAYER, ALPINE_LAYER_SIZE, &err) < 0)
        fail_msg("blob: %s", err.message);
    /* The token is kept: no new challenge. */
    assert_string_equal(proxy_get(&proxy, "/_count"), "v2=3 token=1 manifests=1 blobs=1 storage=0");
    /* The second time it is a cache hit: no request at all. */
    if (registry_blob(&path, &temporary, arena, r, ALPINE_LAYER, ALPINE_LAYER_SIZE, &err) < 0)
        fail_msg("blob again: %s", err.message);
    assert_string_equal(proxy_get(&proxy, "/_count"), "v2=3 token=1 manifests=1 blobs=1 storage=0");
    registry_free(r);

    /* "access_token" instead of "token", and a blob redirected to storage without auth. */
    proxy_get(&proxy, "/_control?reset=1&access_token=1&redirect=1");
    opts.cache_dir = new_cache("bearer2");
    r = open_registry(ref, &opts);
    if (registry_blob(&path, &temporary, arena, r, ALPINE_CONFIG, 509, &err) < 0)
        fail_msg("redirected blob: %s", err.message);
    assert_same_file(path, ALPINE_BLOBS
                     "68da259a5d9628c059a03451370e92bf46b81369f12a232c38aebd67cf0cdbab");
    assert_string_equal(proxy_get(&proxy, "/_count"), "v2=2 token=1 manifests=0 blobs=1 storage=1");

    /* A Docker-Content-Digest that does not match the bytes. */
    proxy_get(&proxy, "/_control?reset=1&bad_digest=1");
    assert_int_equal(registry_manifest(&body, &len, &mt, &digest, arena, r, "3.20.3", &err),
                     FTH_EVERIFY);
    assert_non_null(
        strstr(err.message, "manifest digest mismatch: the registry says 'sha256:0000"));
    assert_non_null(strstr(err.message, "the bytes hash to '" ALPINE_MANIFEST "'"));
    registry_free(r);

    /* A token server that wants basic credentials. */
    ref = fth_arena_printf(arena, "%s/alpine:3.20.3", host(proxy_creds.port));
    opts.cache_dir = "";
    r = open_registry(ref, &opts);
    assert_int_equal(registry_manifest(&body, &len, &mt, &digest, arena, r, "3.20.3", &err),
                     FTH_EVERIFY);
    assert_non_null(strstr(err.message, "/token' answered 401"));
    registry_free(r);
    opts.username = "tokuser";
    opts.password = "tokpass";
    r = open_registry(ref, &opts);
    fetch_manifest(r, "3.20.3", ALPINE_MANIFEST, IMAGE_MT_OCI_MANIFEST,
                   ALPINE_BLOBS "2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd");
    registry_free(r);
}

static void test_registry_retries(void **state)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    const char *ref = fth_arena_printf(arena, "%s/alpine:3.20.3", host(proxy.port));
    const char *cache = new_cache("retry"), *path, *body, *mt, *digest;
    struct fth_error err;
    struct registry *r;
    int temporary;
    size_t len;

    (void)state;
    opts.cache_dir = cache;
    r = open_registry(ref, &opts);
    proxy_get(&proxy, "/_control?reset=1");
    fetch_manifest(r, "3.20.3", ALPINE_MANIFEST, IMAGE_MT_OCI_MANIFEST,
                   ALPINE_BLOBS "2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd");

    /* Two 503s, then the manifest. */
    proxy_get(&proxy, "/_control?reset=1&fail503=2");
    fetch_manifest(r, "3.20.3", ALPINE_MANIFEST, IMAGE_MT_OCI_MANIFEST,
                   ALPINE_BLOBS "2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd");
    assert_string_equal(proxy_get(&proxy, "/_count"), "v2=3 token=0 manifests=1 blobs=0 storage=0");

    /* Two 503s, then the blob. */
    proxy_get(&proxy, "/_control?reset=1&fail503=2");
    if (registry_blob(&path, &temporary, arena, r, ALPINE_CONFIG, 509, &err) < 0)
        fail_msg("blob after 503s: %s", err.message);
    assert_string_equal(proxy_get(&proxy, "/_count"), "v2=3 token=0 manifests=0 blobs=1 storage=0");

    /* More 503s than retries: the 503 is the answer (1 + FTH_LIMIT_REGISTRY_RETRIES tries). */
    proxy_get(&proxy, "/_control?reset=1&fail503=100");
    assert_int_equal(registry_manifest(&body, &len, &mt, &digest, arena, r, "3.20.3", &err),
                     FTH_EIO);
    assert_non_null(strstr(err.message, "the registry answered 503"));
    assert_string_equal(proxy_get(&proxy, "/_count"), "v2=4 token=0 manifests=0 blobs=0 storage=0");
    proxy_get(&proxy, "/_control?reset=1");
    registry_free(r);
}

static void test_registry_lying_sizes(void **state)
{
    static const char *const lies[] = {"more", "chunked-more", "fewer", "cut"};
    static const int codes[] = {FTH_EVERIFY, FTH_EVERIFY, FTH_EVERIFY, FTH_EIO};
    static const char *const says[] = {"more than the 3741677 bytes", "more than the 3741677 bytes",
                                       "sent 3741667 bytes, the manifest states 3741677",
                                       "ALPINE_LAYER"};
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    const char *ref = fth_arena_printf(arena, "%s/alpine:3.20.3", host(proxy.port));
    const char *cache = new_cache("lies"), *path;
    struct fth_error err;
    struct registry *r;
    int temporary;
    size_t i;

    (void)state;
    opts.cache_dir = cache;
    r = open_registry(ref, &opts);
    for (i = 0; i < 4; i++) {
        proxy_get(&proxy, fth_arena_printf(arena, "/_control?reset=1&lie=%s", lies[i]));
        fth_error_clear(&err);
        assert_int_equal(
            registry_blob(&path, &temporary, arena, r, ALPINE_LAYER, ALPINE_LAYER_SIZE, &err),
            codes[i]);
        if (strcmp(says[i], "ALPINE_LAYER") == 0)
            assert_non_null(strstr(err.message, fth_arena_printf(arena, "%d/v2/alpine/blobs/%s",
                                                                 proxy.port, ALPINE_LAYER)));
        else if (!strstr(err.message, says[i]))
            fail_msg("lie %s: '%s'", lies[i], err.message);
        assert_int_equal(cached_files(cache), 0);
    }
    /* And the same blob, honestly served, is fine. */
    proxy_get(&proxy, "/_control?reset=1");
    if (registry_blob(&path, &temporary, arena, r, ALPINE_LAYER, ALPINE_LAYER_SIZE, &err) < 0)
        fail_msg("honest: %s", err.message);
    assert_int_equal(cached_files(cache), 1);
    registry_free(r);
}

int main(void)
{
    /* clang-format off */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_ref_parse),
        cmocka_unit_test(test_registry_cache_dir),
        cmocka_unit_test(test_registry_manifest),
        cmocka_unit_test(test_registry_multiarch),
        cmocka_unit_test(test_registry_docker_types),
        cmocka_unit_test(test_registry_blob_cache),
        cmocka_unit_test(test_registry_tampered_blob),
        cmocka_unit_test(test_registry_basic_auth),
        cmocka_unit_test(test_registry_bearer),
        cmocka_unit_test(test_registry_retries),
        cmocka_unit_test(test_registry_lying_sizes),
    };
    /* clang-format on */

    return cmocka_run_group_tests(tests, setup, teardown);
}
