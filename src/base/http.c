/*
 * HTTP client on libcurl: registry and advisory-feed downloads. Only http and https, bounded
 * redirects, retries with exponential backoff on 5xx and connection failures, conditional
 * GET, a body-size limit checked both against Content-Length and the bytes that arrive.
 */
#include "fathom/base.h"

#include <ctype.h>
#include <dlfcn.h>
#include <pthread.h>
/* plain function declarations: the calls below go through the table loaded at first use */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "banned.h"
#include "limits.h"

/* First retry waits this long; each further one twice as long, never more than the cap. */
#define BACKOFF_BASE_MS 200
#define BACKOFF_CAP_MS 5000
#define CONNECT_TIMEOUT_SECONDS 30

/*
 * libcurl is loaded on the first request, not at start-up: its dependency closure is about
 * thirty shared libraries, and mapping them costs every fathom process milliseconds even
 * when it never downloads anything (fathom template, scan manifest).
 */
#define CURL_FUNCS(X)                                                                              \
    X(curl_global_init)                                                                            \
    X(curl_easy_init)                                                                              \
    X(curl_easy_setopt)                                                                            \
    X(curl_easy_perform)                                                                           \
    X(curl_easy_getinfo)                                                                           \
    X(curl_easy_reset)                                                                             \
    X(curl_easy_cleanup)                                                                           \
    X(curl_easy_strerror)                                                                          \
    X(curl_slist_append)                                                                           \
    X(curl_slist_free_all)

static struct {
#define X(f) __typeof__(f) *p_##f;
    CURL_FUNCS(X)
#undef X
} curl_api;

/* curl.h wraps these two in argument-count macros of its own */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init (*curl_api.p_curl_global_init)
#define curl_easy_init (*curl_api.p_curl_easy_init)
#define curl_easy_setopt (*curl_api.p_curl_easy_setopt)
#define curl_easy_perform (*curl_api.p_curl_easy_perform)
#define curl_easy_getinfo (*curl_api.p_curl_easy_getinfo)
#define curl_easy_reset (*curl_api.p_curl_easy_reset)
#define curl_easy_cleanup (*curl_api.p_curl_easy_cleanup)
#define curl_easy_strerror (*curl_api.p_curl_easy_strerror)
#define curl_slist_append (*curl_api.p_curl_slist_append)
#define curl_slist_free_all (*curl_api.p_curl_slist_free_all)

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;
static char curl_load_error[256];

static void curl_init(void)
{
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL), *sym;

    if (!lib) {
        snprintf(curl_load_error, sizeof(curl_load_error), "%s", dlerror());
        return;
    }
#define X(f)                                                                                       \
    if (!(sym = dlsym(lib, #f))) {                                                                 \
        snprintf(curl_load_error, sizeof(curl_load_error), "libcurl.so.4 has no %s", #f);          \
        return;                                                                                    \
    }                                                                                              \
    memcpy(&curl_api.p_##f, &sym, sizeof(sym));
    CURL_FUNCS(X)
#undef X
    curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (curl_init_result != CURLE_OK)
        snprintf(curl_load_error, sizeof(curl_load_error), "curl_global_init failed");
}

/* State of one attempt, shared by the header and write callbacks. */
struct transfer {
    CURL *curl;
    struct fth_arena *a;
    const struct fth_http_request *req;
    struct fth_http_response *resp;
    int deliver_5xx;  /* last attempt: a 5xx body goes to the sink like any other */
    int checked;      /* Content-Length compared with max_size for this response */
    int too_large;    /* stopped because the body passed max_size */
    int discard_full; /* stopped throwing away a retried 5xx body */
    int sink_error;   /* the sink's negative code, 0 when it did not stop us */
    uint64_t discarded;
};

/* A URL as messages show it: user:password@ left out. */
static void url_for_message(char *out, size_t size, const char *url)
{
    const char *scheme = strstr(url, "://"), *at, *end;

    if (!scheme) {
        snprintf(out, size, "%s", url);
        return;
    }
    scheme += 3;
    end = scheme + strcspn(scheme, "/?#");
    at = memchr(scheme, '@', (size_t)(end - scheme));
    if (!at) {
        snprintf(out, size, "%s", url);
        return;
    }
    snprintf(out, size, "%.*s%s", (int)(scheme - url), url, at + 1);
}

static int scheme_allowed(const char *url)
{
    return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

static int header_value_ok(const char *v)
{
    for (; *v; v++)
        if (*v == '\r' || *v == '\n')
            return 0;
    return 1;
}

/* Copy the header value of `line` when its name is `name` (any case); NULL otherwise. */
static const char *header_match(struct fth_arena *a, const char *line, size_t len, const char *name)
{
    size_t n = strlen(name), end;

    if (len <= n || line[n] != ':' || strncasecmp(line, name, n) != 0)
        return NULL;
    line += n + 1;
    len -= n + 1;
    while (len && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    end = len;
    while (end && (line[end - 1] == '\r' || line[end - 1] == '\n' || line[end - 1] == ' ' ||
                   line[end - 1] == '\t'))
        end--;
    return fth_arena_strndup(a, line, end);
}

static size_t on_header(char *buf, size_t size, size_t n, void *data)
{
    struct transfer *t = data;
    struct fth_http_response *r = t->resp;
    size_t len = size * n;
    const char *v;

    /* A status line starts a new response (a redirect, or a 100 Continue): forget the old. */
    if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
        r->content_type = r->etag = r->last_modified = NULL;
        r->www_authenticate = r->docker_content_digest = NULL;
        t->checked = 0;
        return len;
    }
    if ((v = header_match(t->a, buf, len, "content-type")))
        r->content_type = v;
    else if ((v = header_match(t->a, buf, len, "etag")))
        r->etag = v;
    else if ((v = header_match(t->a, buf, len, "last-modified")))
        r->last_modified = v;
    else if (!r->www_authenticate && (v = header_match(t->a, buf, len, "www-authenticate")))
        r->www_authenticate = v; /* the first challenge; registries send one */
    else if ((v = header_match(t->a, buf, len, "docker-content-digest")))
        r->docker_content_digest = v;
    return len;
}

static size_t on_body(char *buf, size_t size, size_t n, void *data)
{
    struct transfer *t = data;
    const struct fth_http_request *req = t->req;
    size_t len = size * n;
    long status = 0;
    curl_off_t cl = -1;
    int rc;

    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    t->resp->status = status; /* the sink may look: a 401 body is not the blob */
    if (status >= 500 && !t->deliver_5xx) {
        /* This response will be retried: its body is nobody's business, but keep it bounded. */
        t->discarded += len;
        if (t->discarded > FTH_LIMIT_HTTP_DISCARD) {
            t->discard_full = 1;
            return 0;
        }
        return len;
    }
    if (!t->checked) {
        t->checked = 1;
        curl_easy_getinfo(t->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
        if (cl > 0)
            t->resp->content_length = (uint64_t)cl;
        if (req->max_size && cl > 0 && (uint64_t)cl > req->max_size) {
            t->too_large = 1;
            return 0;
        }
    }
    if (req->max_size && (t->resp->received + len > req->max_size || len > req->max_size)) {
        t->too_large = 1;
        return 0;
    }
    if (req->sink && len) {
        rc = req->sink(req->sink_data, buf, len);
        if (rc < 0) {
            t->sink_error = rc;
            return 0;
        }
    }
    t->resp->received += len;
    if (req->progress)
        req->progress(req->progress_data, t->resp->received, t->resp->content_length);
    return len;
}

/* Connection-level failures worth another attempt (nothing of the body was delivered). */
static int transient(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
        return 1;
    default:
        return 0;
    }
}

static void backoff(unsigned attempt)
{
    unsigned ms = BACKOFF_BASE_MS;
    struct timespec ts;

    while (attempt-- && ms < BACKOFF_CAP_MS)
        ms *= 2;
    if (ms > BACKOFF_CAP_MS)
        ms = BACKOFF_CAP_MS;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static int add_header(struct curl_slist **list, const char *h)
{
    struct curl_slist *n = curl_slist_append(*list, h);

    if (!n)
        return FTH_ENOMEM;
    *list = n;
    return 0;
}

/* Headers of the request; FTH_EINVALID when a value would split into two headers. */
static int build_headers(struct curl_slist **out, struct fth_arena *a,
                         const struct fth_http_request *req, const char *shown,
                         struct fth_error *err)
{
    struct curl_slist *list = NULL;
    const char *h;
    int error = 0;

    if (req->headers) {
        for (const char *const *p = req->headers; *p; p++) {
            if (!header_value_ok(*p) || !strchr(*p, ':')) {
                error = fth_error_set(err, FTH_EINVALID, "'%s': malformed request header", shown);
                goto out;
            }
            if ((error = add_header(&list, *p)) < 0)
                goto nomem;
        }
    }
    if (req->if_none_match) {
        if (!header_value_ok(req->if_none_match)) {
            error = fth_error_set(err, FTH_EINVALID, "'%s': malformed etag", shown);
            goto out;
        }
        if (!(h = fth_arena_printf(a, "If-None-Match: %s", req->if_none_match)) ||
            (error = add_header(&list, h)) < 0)
            goto nomem;
    }
    if (req->if_modified_since) {
        if (!header_value_ok(req->if_modified_since)) {
            error = fth_error_set(err, FTH_EINVALID, "'%s': malformed last-modified date", shown);
            goto out;
        }
        if (!(h = fth_arena_printf(a, "If-Modified-Since: %s", req->if_modified_since)) ||
            (error = add_header(&list, h)) < 0)
            goto nomem;
    }
    /* No "Expect: 100-continue" dance and no transparent decoding: blobs are hashed raw. */
    if ((error = add_header(&list, "Expect:")) < 0)
        goto nomem;
    goto out;
nomem:
    error = fth_error_set(err, FTH_ENOMEM, "'%s': out of memory", shown);
out:
    if (error < 0) {
        curl_slist_free_all(list);
        list = NULL;
    }
    *out = list;
    return error;
}

static int setup(CURL *curl, const struct fth_http_request *req, struct curl_slist *headers,
                 struct transfer *t, char *errbuf)
{
    int head = req->method && strcmp(req->method, "HEAD") == 0;
    CURLcode rc = CURLE_OK;

#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(curl, opt, val);                                                 \
    } while (0)
    SET(CURLOPT_URL, req->url);
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, (long)FTH_LIMIT_HTTP_REDIRECTS);
    /* Credentials never follow a redirect to another host (the curl default, stated). */
    SET(CURLOPT_UNRESTRICTED_AUTH, 0L);
    SET(CURLOPT_USERAGENT, "fathom/" FATHOM_VERSION);
    SET(CURLOPT_HTTPHEADER, headers);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, t);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, t);
    SET(CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_SECONDS);
    SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
    SET(CURLOPT_LOW_SPEED_TIME, (long)FTH_LIMIT_HTTP_STALL_SECONDS);
    if (req->timeout_seconds)
        SET(CURLOPT_TIMEOUT, (long)req->timeout_seconds);
    if (req->max_size && req->max_size <= (uint64_t)INT64_MAX)
        SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_size);
    if (head)
        SET(CURLOPT_NOBODY, 1L);
    if (req->username) {
        SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        SET(CURLOPT_USERNAME, req->username);
        SET(CURLOPT_PASSWORD, req->password ? req->password : "");
    }
    if (req->insecure_tls) {
        SET(CURLOPT_SSL_VERIFYPEER, 0L);
        SET(CURLOPT_SSL_VERIFYHOST, 0L);
    }
#undef SET
    return rc == CURLE_OK ? 0 : FTH_EIO;
}

/* Turn a failed transfer into an error naming the URL. */
static int transfer_error(struct fth_error *err, CURLcode rc, const struct transfer *t,
                          const char *shown, const char *errbuf)
{
    const struct fth_http_request *req = t->req;
    const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);

    if (t->sink_error)
        return fth_error_set(err, t->sink_error, "'%s': the body was refused (%s)", shown,
                             fth_error_name(t->sink_error));
    if (t->too_large || rc == CURLE_FILESIZE_EXCEEDED)
        return fth_error_set(err, FTH_ELIMIT, "'%s': body larger than %llu bytes (limit)", shown,
                             (unsigned long long)req->max_size);
    if (rc == CURLE_TOO_MANY_REDIRECTS)
        return fth_error_set(err, FTH_ELIMIT, "'%s': more than %d redirects (limit)", shown,
                             FTH_LIMIT_HTTP_REDIRECTS);
    if (rc == CURLE_UNSUPPORTED_PROTOCOL)
        return fth_error_set(err, FTH_EINVALID, "'%s': refused a redirect to a non-http url",
                             shown);
    if (rc == CURLE_OUT_OF_MEMORY)
        return fth_error_set(err, FTH_ENOMEM, "'%s': out of memory", shown);
    {
        char msg[CURL_ERROR_SIZE + 1];
        size_t n;

        snprintf(msg, sizeof(msg), "%s", why);
        n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == '.' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        msg[0] = (char)tolower((unsigned char)msg[0]);
        return fth_error_set(err, FTH_EIO, "'%s': %s", shown, msg);
    }
}

int fth_http_fetch(struct fth_http_response *out, struct fth_arena *a,
                   const struct fth_http_request *req, struct fth_error *err)
{
    char shown[1024], errbuf[CURL_ERROR_SIZE];
    struct curl_slist *headers = NULL;
    struct transfer t;
    CURL *curl = NULL;
    CURLcode rc = CURLE_OK;
    unsigned attempt;
    int error = 0;

    memset(out, 0, sizeof(*out));
    url_for_message(shown, sizeof(shown), req->url ? req->url : "");
    if (!req->url || !scheme_allowed(req->url)) {
        error =
            fth_error_set(err, FTH_EINVALID, "'%s': only http and https urls are fetched", shown);
        goto out;
    }
    if (req->method && strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        error = fth_error_set(err, FTH_EUSAGE, "'%s': unsupported method '%s'", shown, req->method);
        goto out;
    }
    pthread_once(&curl_once, curl_init);
    if (curl_init_result != CURLE_OK) {
        error = fth_error_set(err, FTH_EIO, "'%s': cannot initialise libcurl: %s", shown,
                              curl_load_error);
        goto out;
    }
    if ((error = build_headers(&headers, a, req, shown, err)) < 0)
        goto out;
    if (!(curl = curl_easy_init())) {
        error = fth_error_set(err, FTH_ENOMEM, "'%s': out of memory", shown);
        goto out;
    }
    for (attempt = 0;; attempt++) {
        int last = attempt >= req->retries;
        long status = 0;

        memset(&t, 0, sizeof(t));
        memset(out, 0, sizeof(*out));
        t.curl = curl;
        t.a = a;
        t.req = req;
        t.resp = out;
        t.deliver_5xx = last;
        errbuf[0] = '\0';
        if (setup(curl, req, headers, &t, errbuf) < 0) {
            error = fth_error_set(err, FTH_EIO, "'%s': cannot configure libcurl", shown);
            goto out;
        }
        rc = curl_easy_perform(curl);
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        if (rc == CURLE_WRITE_ERROR && t.discard_full)
            rc = CURLE_OK; /* a 5xx we meant to retry, cut short */
        if (rc != CURLE_OK) {
            if (!last && transient(rc) && out->received == 0 && !t.sink_error) {
                fth_log(FTH_LOG_DEBUG, "http", "'%s': %s; retrying", shown,
                        errbuf[0] ? errbuf : curl_easy_strerror(rc));
                backoff(attempt);
                curl_easy_reset(curl);
                continue;
            }
            error = transfer_error(err, rc, &t, shown, errbuf);
            goto out;
        }
        if (status >= 500 && !last) {
            fth_log(FTH_LOG_DEBUG, "http", "'%s': status %ld; retrying", shown, status);
            backoff(attempt);
            curl_easy_reset(curl);
            continue;
        }
        out->status = status;
        break;
    }
    {
        curl_off_t cl = -1;
        char *eff = NULL;

        if (curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK && cl > 0)
            out->content_length = (uint64_t)cl;
        if (curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
            out->effective_url = fth_arena_strdup(a, eff);
        if (!out->effective_url)
            out->effective_url = fth_arena_strdup(a, req->url);
        if (!out->effective_url)
            error = fth_error_set(err, FTH_ENOMEM, "'%s': out of memory", shown);
    }
out:
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    return error;
}
