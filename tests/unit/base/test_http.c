/*
 * base: the HTTP client against a real server on 127.0.0.1 (tests/servers/http_test_server.py):
 * conditional GET, redirects (bounded, http only), retries on 503, a body cut short, the size
 * limit by Content-Length and by bytes received, basic auth, headers, progress and timeouts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/base.h"
#include "servers/spawn.h"

static struct test_server server;
static struct fth_arena *arena;

static int setup(void **state)
{
    char *argv[] = {(char *)FATHOM_SOURCE_DIR "/tests/servers/http_test_server.py", NULL};

    (void)state;
    if (test_server_start(&server, argv) < 0)
        return -1;
    arena = fth_arena_new();
    return arena ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    test_server_stop(&server);
    fth_arena_free(arena);
    return 0;
}

static int to_buf(void *data, const void *buf, size_t len)
{
    return fth_buf_put(data, buf, len);
}

static const char *url(const char *path)
{
    return fth_arena_printf(arena, "http://127.0.0.1:%d%s", server.port, path);
}

/* GET path into body; returns fth_http_fetch's result. */
static int get(struct fth_http_response *resp, struct fth_buf *body, struct fth_http_request *req,
               const char *path, struct fth_error *err)
{
    req->url = url(path);
    req->sink = to_buf;
    req->sink_data = body;
    fth_buf_clear(body);
    fth_error_clear(err);
    return fth_http_fetch(resp, arena, req, err);
}

static long counted(const char *key)
{
    struct fth_http_request req = {0};
    struct fth_http_response resp;
    struct fth_buf body = FTH_BUF_INIT;
    struct fth_error err;
    char path[128];
    long n;

    snprintf(path, sizeof(path), "/count/%s", key);
    if (get(&resp, &body, &req, path, &err) < 0 || resp.status != 200)
        fail_msg("count %s: %s", key, err.message);
    n = strtol(body.ptr, NULL, 10);
    fth_buf_release(&body);
    return n;
}

static void test_http_conditional(void **state)
{
    struct fth_http_request req = {0};
    struct fth_http_response resp;
    struct fth_buf body = FTH_BUF_INIT;
    struct fth_error err;

    (void)state;
    assert_int_equal(get(&resp, &body, &req, "/file", &err), 0);
    assert_int_equal(resp.status, 200);
    assert_string_equal(body.ptr, "hello, fathom\n");
    assert_int_equal(resp.content_length, 14);
    assert_int_equal(resp.received, 14);
    assert_string_equal(resp.etag, "\"v1-abc\"");
    assert_string_equal(resp.last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
    assert_string_equal(resp.content_type, "text/plain");
    assert_null(resp.www_authenticate);

    req.if_none_match = "\"v1-abc\"";
    assert_int_equal(get(&resp, &body, &req, "/file", &err), 0);
    assert_int_equal(resp.status, 304);
    assert_int_equal(resp.received, 0);
    assert_int_equal(body.len, 0);

    req.if_none_match = "\"v0-old\"";
    assert_int_equal(get(&resp, &body, &req, "/file", &err), 0);
    assert_int_equal(resp.status, 200);

    req.if_none_match = NULL;
    req.if_modified_since = "Wed, 21 Oct 2015 07:28:00 GMT";
    assert_int_equal(get(&resp, &body, &req, "/file", &err), 0);
    assert_int_equal(resp.status, 304);

    /* A value that would smuggle a second header is refused before anything is sent. */
    req.if_modified_since = "x\r\nX-Evil: 1";
    assert_int_equal(get(&resp, &body, &req, "/file", &err), FTH_EINVALID);
    fth_buf_release(&body);
}

static void test_http_redirects(void **state)
{
    struct fth_http_request req = {0};
    struct fth_http_response resp;
    struct fth_buf body = FTH_BUF_INIT;
    struct fth_error err;

    (void)state;
    assert_int_equal(get(&resp, &body, &req, "/redirect/3", &err), 0);
    assert_int_equal(resp.status, 200);
    assert_string_equal(body.ptr, "hello, fathom\n"); /* no "redirect\n" bodies mixed in */
    assert_string_equal(resp.effective_url, url("/file"));
    assert_string_equal(resp.etag, "\"v1-abc\"");

    assert_int_equal(get(&resp, &body, &req, "/loop", &err), FTH_ELIMIT);
    assert_non_null(strstr(err.message, url("/loop")));
    assert_non_null(strstr(err.message, "redirects"));

    assert_int_equal(get(&resp, &body, &req, "/to-file", &err), FTH_EINVALID);
    assert_non_null(strstr(err.message, url("/to-file")));
    assert_int_equal(body.len, 0);

    req.url = "file:///etc/passwd";
    assert_int_equal(fth_http_fetch(&resp, arena, &req, &err), FTH_EINVALID);
    assert_string_equal(err.message, "'file:///etc/passwd': only http and https urls are fetched");
    fth_buf_release(&body);
}

static void test_http_retries(void **state)
{
    struct fth_http_request req = {0};
    struct fth_http_response resp;
    struct fth_buf body = FTH_BUF_INIT;
    struct fth_error err;

    (void)state;
    /* 503 twice, then 200: two retries are enough, and the 503 bodies are not delivered. */
    req.retries = 2;
    assert_int_equal(get(&resp, &body, &req, "/flaky/keyA/2", &err), 0);
    assert_int_equal(resp.status, 200);
    assert_string_equal(body.ptr, "recovered\n");
    assert_int_equal(counted("keyA"), 3);

    /* One retry is not: the last 503 comes back as the response, with its body. */
    req.retries = 1;
    assert_int_equal(get(&resp, &body, &req, "/flaky/keyB/2", &err), 0);
    assert_int_equal(resp.status, 503);
    assert_string_equal(body.ptr, "try again\n");
    assert_int_equal(counted("keyB"), 2);

    /* No retries: one request. */
    req.retries = 0;
    assert_int_equal(get(&resp, &body, &req, "/flaky/keyC/1", &err), 0);
    assert_int_equal(resp.status, 503);
    assert_int_equal(counted("keyC"), 1);

    /* Connections closed without an answer are retried too. */
    req.retries = 2;
    assert_int_equal(get(&resp, &body, &req, "/drop/keyD/2", &err), 0);
    assert_int_equal(resp.status, 200);
    assert_string_equal(body.ptr, "answered\n");
    assert_int_equal(counted("keyD"), 3);
    req.retries = 1;
    assert_int_equal(get(&resp, &body, &req, "/drop/keyE/2", &err), FTH_EIO);
    assert_non_null(strstr(err.message, url("/drop/keyE/2")));
    assert_int_equal(counted("keyE"), 2);

    /* Connection refused, after retries, names the URL. */
    req.retries = 1;
    req.url = "http://127.0.0.1:1/nothing";
    assert_int_equal(fth_http_fetch(&resp, arena, &req, &err), FTH_EIO);
    assert_non_null(strstr(err.message, "'http://127.0.0.1:1/nothing': "));
    fth_buf_release(&body);
}

static void test_http_errors(void **state)
{
    struct fth_http_request req = {0};
    struct fth_http_response resp;
    struct fth_buf body = FTH_BUF_INIT;
    struct fth_error err;

    (void)state;
    /* 404 is a response: the caller judges it. */
    assert_int_equal(get(&resp, &body, &req, "/missing", &err), 0);
    assert_int_equal(resp.status, 404);
    assert_string_equal(body.ptr, "not found\n");

    /* Connection closed 100 bytes into a 1000-byte body: an I/O error, not retried (bytes
     * were delivered). */
    req.retries = 2;
    assert_int_equal(get(&resp, &body, &req, "/close", &err), FTH_EIO);
    assert_int_equal(resp.received, 100);
    assert_int_equal(body.len, 100);
    assert_non_null(strstr(err.message, url("/close")));
    assert_int_equal(counted("close"), 1);

    /* Too slow for the timeout. */
    req.retries = 0;
    req.timeout_seconds = 1;
    assert_int_equal(get(&resp, &body, &req, "/slow", &err), FTH_EIO);
    assert_non_null(strstr(err.message, url("/slow")));
    fth_buf_release(&body);
}

static void test_http_max_size(void **state)
{
    struct fth_http_request req = {0};
    struct fth_http_response resp;
    struct fth_buf body = FTH_BUF_INIT;
    struct fth_error err;

    (void)state;
    req.max_size = 1000;
    assert_int_equal(get(&resp, &body, &req, "/big/1000", &err), 0);
    assert_int_equal(body.len, 1000);

    /* Content-Length says too much: refused before any byte reaches the sink. */
    assert_int_equal(get(&resp, &body, &req, "/big/1001", &err), FTH_ELIMIT);
    assert_int_equal(body.len, 0);
    assert_non_null(strstr(err.message, url("/big/1001")));
    assert_non_null(strstr(err.message, "larger than 1000 bytes"));

    /* No Content-Length: stopped once the bytes pass the limit, never more than it. */
    req.max_size = 10000;
    assert_int_equal(get(&resp, &body, &req, "/stream/50000", &err), FTH_ELIMIT);
    assert_true(body.len <= 10000);
    assert_int_equal(resp.received, body.len);
    assert_int_equal(get(&resp, &body, &req, "/stream/10000", &err), 0);
    assert_int_equal(body.len, 10000);
    fth_buf_release(&body);
}

static void test_http_auth_and_headers(void **state)
{
    const char *hdrs[] = {"X-Fathom-Test: 42", "Accept: application/x-test", NULL};
    const char *bad[] = {"X-A: 1\r\nX-B: 2", NULL};
    struct fth_http_request req = {0};
    struct fth_http_response resp;
    struct fth_buf body = FTH_BUF_INIT;
    struct fth_error err;

    (void)state;
    assert_int_equal(get(&resp, &body, &req, "/auth", &err), 0);
    assert_int_equal(resp.status, 401);
    assert_string_equal(resp.www_authenticate, "Basic realm=\"test\"");

    req.username = "user";
    req.password = "wrong";
    assert_int_equal(get(&resp, &body, &req, "/auth", &err), 0);
    assert_int_equal(resp.status, 401);
    req.password = "secret";
    assert_int_equal(get(&resp, &body, &req, "/auth", &err), 0);
    assert_int_equal(resp.status, 200);
    assert_string_equal(body.ptr, "welcome\n");

    req.username = req.password = NULL;
    req.headers = hdrs;
    assert_int_equal(get(&resp, &body, &req, "/headers", &err), 0);
    assert_non_null(strstr(body.ptr, "x-fathom-test: 42\n"));
    assert_non_null(strstr(body.ptr, "accept: application/x-test\n"));
    assert_non_null(strstr(body.ptr, "user-agent: fathom/"));

    req.headers = bad;
    assert_int_equal(get(&resp, &body, &req, "/headers", &err), FTH_EINVALID);

    /* Header names in any case. */
    req.headers = NULL;
    assert_int_equal(get(&resp, &body, &req, "/digest", &err), 0);
    assert_string_equal(resp.docker_content_digest,
                        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    assert_string_equal(resp.content_type, "application/vnd.oci.image.manifest.v1+json");
    fth_buf_release(&body);
}

struct progress_log {
    unsigned calls;
    uint64_t last_done, last_total;
    int monotonic;
};

static void on_progress(void *data, uint64_t done, uint64_t total)
{
    struct progress_log *p = data;

    if (done < p->last_done)
        p->monotonic = 0;
    p->calls++;
    p->last_done = done;
    p->last_total = total;
}

static int refuse(void *data, const void *buf, size_t len)
{
    (void)data;
    (void)buf;
    (void)len;
    return FTH_EVERIFY;
}

static void test_http_progress_head_sink(void **state)
{
    struct progress_log p = {0, 0, 0, 1};
    struct fth_http_request req = {0};
    struct fth_http_response resp;
    struct fth_buf body = FTH_BUF_INIT;
    struct fth_error err;

    (void)state;
    req.progress = on_progress;
    req.progress_data = &p;
    assert_int_equal(get(&resp, &body, &req, "/big/300000", &err), 0);
    assert_true(p.calls >= 1);
    assert_true(p.monotonic);
    assert_int_equal(p.last_done, 300000);
    assert_int_equal(p.last_total, 300000);

    req.progress = NULL;
    req.method = "HEAD";
    assert_int_equal(get(&resp, &body, &req, "/big/123", &err), 0);
    assert_int_equal(resp.status, 200);
    assert_int_equal(resp.content_length, 123);
    assert_int_equal(resp.received, 0);

    req.method = "POST";
    assert_int_equal(get(&resp, &body, &req, "/file", &err), FTH_EUSAGE);

    /* The sink's code is the request's result. */
    req.method = NULL;
    req.url = url("/file");
    req.sink = refuse;
    assert_int_equal(fth_http_fetch(&resp, arena, &req, &err), FTH_EVERIFY);
    assert_non_null(strstr(err.message, url("/file")));
    fth_buf_release(&body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_conditional),
        cmocka_unit_test(test_http_redirects),
        cmocka_unit_test(test_http_retries),
        cmocka_unit_test(test_http_errors),
        cmocka_unit_test(test_http_max_size),
        cmocka_unit_test(test_http_auth_and_headers),
        cmocka_unit_test(test_http_progress_head_sink),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
