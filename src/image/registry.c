/*
 * Registry client: the OCI Distribution API v2 for pulling manifests and blobs, with the
 * Docker auth flows (anonymous, Basic, Bearer token from the WWW-Authenticate challenge),
 * credentials from the options or a docker config.json, and the layer cache keyed by digest.
 *
 * Nothing a registry sends is trusted: every manifest is hashed and compared with the digest
 * asked for and the one the registry claims; every blob is hashed as it arrives, its size held
 * to the descriptor's, and only a blob that passes both checks is moved into the cache.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/banned.h"
#include "base/limits.h"
#include "image/image_int.h"

#define DOCKER_HUB "registry-1.docker.io"
#define TAG_MAX 128

struct registry {
    struct fth_arena *a; /* the handle's own strings and tokens, under lock */
    pthread_mutex_t lock;
    const char *host;
    const char *repo;
    const char *base;     /* "https://host" */
    const char *username; /* NULL: anonymous */
    const char *password;
    const char *token; /* bearer token for this repository, NULL until a challenge */
    int use_basic;     /* the registry asked for Basic auth */
    int insecure;
    const char *cache; /* "" when disabled */
};

/* strerror() in lower case, as messages are written. */
static const char *os_error(char *buf, size_t size, int errnum)
{
    snprintf(buf, size, "%s", strerror(errnum));
    buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

/* ---- references ---- */

static int is_lower_alnum(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int is_hex64(const char *s)
{
    size_t i;

    for (i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return s[64] == '\0';
}

static int valid_digest(const char *d)
{
    return strncmp(d, "sha256:", 7) == 0 && is_hex64(d + 7);
}

/* [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} */
static int valid_tag(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n > TAG_MAX || !(isalnum((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-'))
            return 0;
    return 1;
}

/* One path component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)* */
static int valid_component(const char *s, size_t n)
{
    size_t i = 0;

    for (;;) {
        if (i >= n || !is_lower_alnum((unsigned char)s[i]))
            return 0;
        while (i < n && is_lower_alnum((unsigned char)s[i]))
            i++;
        if (i == n)
            return 1;
        if (s[i] == '.')
            i++;
        else if (s[i] == '_')
            i += (i + 1 < n && s[i + 1] == '_') ? 2 : 1;
        else if (s[i] == '-')
            while (i < n && s[i] == '-')
                i++;
        else
            return 0;
    }
}

/* A DNS name or IPv4 address, or [IPv6], with an optional :port (1-65535). */
static int valid_host(const char *s, size_t n)
{
    size_t i = 0, label = 0;

    if (n && s[0] == '[') {
        for (i = 1; i < n && s[i] != ']'; i++)
            if (!(isxdigit((unsigned char)s[i]) || s[i] == ':' || s[i] == '.'))
                return 0;
        if (i == n || i == 1)
            return 0;
        i++;
    } else {
        for (; i < n && s[i] != ':'; i++) {
            if (isalnum((unsigned char)s[i])) {
                label++;
            } else if (s[i] == '-' && label) {
                label++;
            } else if (s[i] == '.' && label && s[i - 1] != '-') {
                label = 0;
            } else {
                return 0;
            }
        }
        if (!label || s[i - 1] == '-')
            return 0;
    }
    if (i < n) {
        unsigned long port = 0;
        size_t digits = 0;

        if (s[i++] != ':')
            return 0;
        for (; i < n; i++, digits++) {
            if (!isdigit((unsigned char)s[i]) || digits >= 5)
                return 0;
            port = port * 10 + (unsigned long)(s[i] - '0');
        }
        if (!digits || port == 0 || port > 65535)
            return 0;
    }
    return 1;
}

int registry_ref_parse(struct registry_ref *out, struct fth_arena *a, const char *ref,
                       struct fth_error *err)
{
    const char *at, *name_end, *slash, *last_slash, *colon, *path, *p;
    size_t len = strlen(ref), first_len;
    const char *why = NULL;
    int error = 0, has_host = 0;

    memset(out, 0, sizeof(*out));
    if (len == 0 || len > 1024) {
        why = len ? "too long" : "empty";
        goto bad;
    }
    at = strchr(ref, '@');
    name_end = at ? at : ref + len;
    if (at) {
        if (strchr(at + 1, '@') || !valid_digest(at + 1)) {
            why = "the digest must be 'sha256:' and 64 lower-case hex digits";
            goto bad;
        }
        out->digest = at + 1;
    }
    /* A tag is a colon after the last slash; a colon before it belongs to host:port. */
    last_slash = NULL;
    for (p = ref; p < name_end; p++)
        if (*p == '/')
            last_slash = p;
    colon = memchr(last_slash ? last_slash : ref, ':',
                   (size_t)(name_end - (last_slash ? last_slash : ref)));
    if (colon) {
        if (!valid_tag(colon + 1, (size_t)(name_end - colon - 1))) {
            why = "the tag must be 1-128 of [A-Za-z0-9_.-], not starting with '.' or '-'";
            goto bad;
        }
        out->tag = fth_arena_strndup(a, colon + 1, (size_t)(name_end - colon - 1));
        name_end = colon;
    }
    slash = memchr(ref, '/', (size_t)(name_end - ref));
    first_len = slash ? (size_t)(slash - ref) : 0;
    if (slash && (memchr(ref, '.', first_len) || memchr(ref, ':', first_len) || ref[0] == '[' ||
                  (first_len == 9 && strncmp(ref, "localhost", 9) == 0)))
        has_host = 1;
    if (has_host) {
        if (first_len > FTH_LIMIT_REGISTRY_NAME_LEN || !valid_host(ref, first_len)) {
            why = "the registry host is not a host name or address with an optional port";
            goto bad;
        }
        out->host = fth_arena_strndup(a, ref, first_len);
        path = slash + 1;
    } else {
        out->host = DOCKER_HUB;
        path = ref;
    }
    if (out->host &&
        (strcmp(out->host, "docker.io") == 0 || strcmp(out->host, "index.docker.io") == 0))
        out->host = DOCKER_HUB;
    /* Each component of the repository path. */
    for (p = path; p <= name_end;) {
        const char *e = memchr(p, '/', (size_t)(name_end - p));

        if (!e)
            e = name_end;
        if (!valid_component(p, (size_t)(e - p))) {
            why = "repository path components must be lower-case letters and digits "
                  "separated by '.', '_', '__' or '-'";
            goto bad;
        }
        p = e + 1;
    }
    if (out->host && strcmp(out->host, DOCKER_HUB) == 0 &&
        !memchr(path, '/', (size_t)(name_end - path)))
        out->repo = fth_arena_printf(a, "library/%.*s", (int)(name_end - path), path);
    else
        out->repo = fth_arena_strndup(a, path, (size_t)(name_end - path));
    if (out->repo && strlen(out->repo) > FTH_LIMIT_REGISTRY_NAME_LEN) {
        why = "the repository name is longer than 255 characters";
        goto bad;
    }
    if (!out->tag)
        out->tag = out->digest ? "" : "latest";
    out->digest = out->digest ? fth_arena_strdup(a, out->digest) : "";
    if (!out->host || !out->repo || !out->tag || !out->digest) {
        error = fth_error_set(err, FTH_ENOMEM, "'%s': out of memory", ref);
        goto out;
    }
    goto out;
bad:
    error = fth_error_set(err, FTH_EINVALID, "'%.200s': not a registry reference: %s", ref, why);
    memset(out, 0, sizeof(*out));
out:
    return error;
}

/* ---- credentials from a docker config.json ---- */

static int b64_value(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Standard base64 (padding optional) into a NUL-terminated string in a; NULL when invalid. */
static char *b64_decode(struct fth_arena *a, const char *s)
{
    size_t n = strlen(s), o = 0, i;
    unsigned acc = 0, bits = 0;
    char *out;

    while (n && s[n - 1] == '=')
        n--;
    if (!(out = fth_arena_alloc(a, n * 3 / 4 + 1)))
        return NULL;
    for (i = 0; i < n; i++) {
        int v = b64_value((unsigned char)s[i]);

        if (v < 0)
            return NULL;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((acc >> bits) & 0xff);
        }
    }
    out[o] = '\0';
    return memchr(out, '\0', o) ? NULL : out;
}

/* "https://host/v1/" and "host" name the same registry. */
static int auth_key_matches(const char *key, const char *host)
{
    size_t n;

    if (strncasecmp(key, "https://", 8) == 0)
        key += 8;
    else if (strncasecmp(key, "http://", 7) == 0)
        key += 7;
    n = strcspn(key, "/");
    if (strlen(host) == n && strncasecmp(key, host, n) == 0)
        return 1;
    if (strcmp(host, DOCKER_HUB) == 0)
        return (n == 9 && strncasecmp(key, "docker.io", 9) == 0) ||
               (n == 15 && strncasecmp(key, "index.docker.io", 15) == 0);
    return 0;
}

static const char *docker_config_path(struct fth_arena *a, const struct fth_image_opts *opts)
{
    const char *env;

    if (opts && opts->docker_config)
        return opts->docker_config;
    if ((env = getenv("DOCKER_CONFIG")) && env[0])
        return fth_arena_printf(a, "%s/config.json", env);
    if ((env = getenv("HOME")) && env[0])
        return fth_arena_printf(a, "%s/.docker/config.json", env);
    return NULL;
}

/* Username and password for r->host from the docker config, if it has them. */
static int docker_config_creds(struct registry *r, const struct fth_image_opts *opts,
                               struct fth_error *err)
{
    struct fth_buf text = FTH_BUF_INIT;
    const char *path = docker_config_path(r->a, opts), *key;
    json_t *doc = NULL, *auths, *entry;
    json_error_t je;
    int error = 0;

    if (!path)
        goto out;
    if ((error = fth_file_read(&text, path, FTH_LIMIT_DOCKER_CONFIG_SIZE, err)) < 0) {
        if (error == FTH_ENOTFOUND) {
            error = 0; /* no config: anonymous */
            fth_error_clear(err);
            goto out;
        }
        fth_error_locate(err, path, 0, 0);
        goto out;
    }
    if (!(doc = json_loadb(text.ptr, text.len, 0, &je)) || !json_is_object(doc)) {
        error = fth_error_set(err, FTH_EINVALID, "%s:%d:%d: not a docker config: %s", path,
                              doc ? 1 : je.line, doc ? 1 : je.column,
                              doc ? "expected an object" : je.text);
        goto out;
    }
    auths = json_object_get(doc, "auths");
    json_object_foreach(auths, key, entry)
    {
        const char *auth = json_string_value(json_object_get(entry, "auth"));
        const char *user = json_string_value(json_object_get(entry, "username"));
        const char *pass = json_string_value(json_object_get(entry, "password"));

        if (!json_is_object(entry) || !auth_key_matches(key, r->host))
            continue;
        if (auth && auth[0]) {
            char *plain = b64_decode(r->a, auth), *colon = plain ? strchr(plain, ':') : NULL;

            if (!colon) {
                error = fth_error_set(err, FTH_EINVALID,
                                      "%s: 'auths.%s.auth': expected base64 of 'user:password'",
                                      path, key);
                goto out;
            }
            *colon = '\0';
            r->username = plain;
            r->password = colon + 1;
            break;
        }
        if (user && pass) {
            r->username = fth_arena_strdup(r->a, user);
            r->password = fth_arena_strdup(r->a, pass);
            break;
        }
    }
    if (!r->username && (json_object_get(doc, "credsStore") ||
                         json_object_get(json_object_get(doc, "credHelpers"), r->host)))
        fth_log(FTH_LOG_WARN, "image",
                "%s: credential helpers are not supported; pulling '%s' anonymously", path,
                r->host);
out:
    json_decref(doc);
    fth_buf_release(&text);
    return error;
}

/* ---- the handle ---- */

const char *image_cache_dir(struct fth_arena *a, const struct fth_image_opts *opts)
{
    const char *env;

    if (opts && opts->cache_dir)
        return fth_arena_strdup(a, opts->cache_dir);
    if ((env = getenv("XDG_CACHE_HOME")) && env[0] == '/')
        return fth_arena_printf(a, "%s/fathom", env);
    if ((env = getenv("HOME")) && env[0])
        return fth_arena_printf(a, "%s/.cache/fathom", env);
    return fth_arena_strdup(a, "");
}

int registry_new(struct registry **out, const struct registry_ref *ref,
                 const struct fth_image_opts *opts, struct fth_error *err)
{
    struct registry *r = NULL;
    int error = 0;

    *out = NULL;
    if (!(r = calloc(1, sizeof(*r))) || !(r->a = fth_arena_new())) {
        free(r);
        r = NULL;
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    pthread_mutex_init(&r->lock, NULL);
    r->insecure = opts && opts->insecure;
    r->host = fth_arena_strdup(r->a, ref->host);
    r->repo = fth_arena_strdup(r->a, ref->repo);
    r->base = fth_arena_printf(r->a, "%s://%s", r->insecure ? "http" : "https", ref->host);
    r->cache = image_cache_dir(r->a, opts);
    if (!r->host || !r->repo || !r->base || !r->cache) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    if (opts && opts->username) {
        r->username = fth_arena_strdup(r->a, opts->username);
        r->password = fth_arena_strdup(r->a, opts->password ? opts->password : "");
    } else if ((error = docker_config_creds(r, opts, err)) < 0) {
        goto out;
    }
out:
    if (error < 0) {
        registry_free(r);
        r = NULL;
    }
    *out = r;
    return error;
}

void registry_free(struct registry *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->lock);
    fth_arena_free(r->a);
    free(r);
}

/* ---- the WWW-Authenticate challenge ---- */

struct challenge {
    const char *scheme; /* "Bearer", "Basic" */
    const char *realm, *service, *scope;
};

/* auth-scheme 1*SP auth-param *( "," auth-param ), values plain or quoted (RFC 9110 11.6.1). */
static int parse_challenge(struct challenge *c, struct fth_arena *a, const char *s)
{
    const char *p = s;
    size_t n;

    memset(c, 0, sizeof(*c));
    while (*p == ' ')
        p++;
    n = strcspn(p, " ");
    if (!n || !(c->scheme = fth_arena_strndup(a, p, n)))
        return -1;
    p += n;
    while (*p) {
        struct fth_buf v = FTH_BUF_INIT;
        const char *key;
        size_t klen;

        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        key = p;
        klen = strcspn(p, "= ,");
        p += klen;
        while (*p == ' ')
            p++;
        if (*p != '=')
            return -1;
        p++;
        while (*p == ' ')
            p++;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                if (fth_buf_putc(&v, *p) < 0) {
                    fth_buf_release(&v);
                    return -1;
                }
            }
            if (*p != '"') {
                fth_buf_release(&v);
                return -1;
            }
            p++;
        } else {
            n = strcspn(p, " ,");
            if (fth_buf_put(&v, p, n) < 0) {
                fth_buf_release(&v);
                return -1;
            }
            p += n;
        }
        if (klen == 5 && strncasecmp(key, "realm", 5) == 0)
            c->realm = fth_arena_strdup(a, v.ptr);
        else if (klen == 7 && strncasecmp(key, "service", 7) == 0)
            c->service = fth_arena_strdup(a, v.ptr);
        else if (klen == 5 && strncasecmp(key, "scope", 5) == 0)
            c->scope = fth_arena_strdup(a, v.ptr);
        fth_buf_release(&v);
    }
    return 0;
}

/* Percent-encode a query value (RFC 3986 unreserved characters pass). */
static int put_query_value(struct fth_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    int error = 0;

    for (; *s && error == 0; s++) {
        unsigned char c = (unsigned char)*s;

        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            error = fth_buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            error = fth_buf_put(b, e, 3);
        }
    }
    return error;
}

static int token_ok(const char *t)
{
    if (!t || !t[0])
        return 0;
    for (; *t; t++)
        if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f)
            return 0;
    return 1;
}

static int collect(void *data, const void *buf, size_t len)
{
    return fth_buf_put(data, buf, len);
}

/* GET the realm for a token (Docker token auth) and keep it in r->token. */
static int fetch_token(struct registry *r, struct fth_arena *a, const struct challenge *c,
                       const char *what, struct fth_error *err)
{
    struct fth_http_request req = {0};
    struct fth_http_response resp;
    struct fth_buf url = FTH_BUF_INIT, body = FTH_BUF_INIT;
    const char *token, *scope;
    json_t *doc = NULL;
    int error = 0;

    if (!c->realm || !c->realm[0]) {
        error = fth_error_set(err, FTH_EINVALID, "%s: bearer challenge without a realm", what);
        goto out;
    }
    scope = c->scope ? c->scope : fth_arena_printf(a, "repository:%s:pull", r->repo);
    if (fth_buf_puts(&url, c->realm) < 0 ||
        fth_buf_putc(&url, strchr(c->realm, '?') ? '&' : '?') < 0)
        goto nomem;
    if (c->service && (fth_buf_puts(&url, "service=") < 0 ||
                       put_query_value(&url, c->service) < 0 || fth_buf_putc(&url, '&') < 0))
        goto nomem;
    if (!scope || fth_buf_puts(&url, "scope=") < 0 || put_query_value(&url, scope) < 0)
        goto nomem;
    req.url = url.ptr;
    req.username = r->username;
    req.password = r->password;
    req.max_size = FTH_LIMIT_REGISTRY_TOKEN_SIZE;
    req.retries = FTH_LIMIT_REGISTRY_RETRIES;
    req.insecure_tls = r->insecure;
    req.sink = collect;
    req.sink_data = &body;
    if ((error = fth_http_fetch(&resp, a, &req, err)) < 0)
        goto out;
    if (resp.status != 200) {
        error = fth_error_set(err, resp.status == 401 || resp.status == 403 ? FTH_EVERIFY : FTH_EIO,
                              "%s: token server '%s' answered %ld%s", what, c->realm, resp.status,
                              resp.status == 401 && r->username ? " (credentials refused)" : "");
        goto out;
    }
    doc = json_loadb(body.ptr, body.len, 0, NULL);
    token = json_string_value(json_object_get(doc, "token"));
    if (!token || !token[0])
        token = json_string_value(json_object_get(doc, "access_token"));
    if (!token_ok(token)) {
        error = fth_error_set(err, FTH_EINVALID,
                              "%s: token server '%s' sent no usable 'token' or 'access_token'",
                              what, c->realm);
        goto out;
    }
    pthread_mutex_lock(&r->lock);
    r->token = fth_arena_strdup(r->a, token);
    pthread_mutex_unlock(&r->lock);
    if (!r->token)
        goto nomem;
    goto out;
nomem:
    error = fth_error_set(err, FTH_ENOMEM, "%s: out of memory", what);
out:
    json_decref(doc);
    fth_buf_release(&url);
    fth_buf_release(&body);
    return error;
}

/* ---- requests ---- */

/* Where a response body goes, and how to forget a body before the next attempt. */
struct target {
    int (*sink)(void *data, const void *buf, size_t len);
    int (*reset)(void *data);
    void *data;
};

/*
 * GET url with the registry's auth: whatever credentials it already has, then, on a 401, the
 * challenge's scheme (a bearer token, or basic credentials) and once more.
 */
static int registry_get(struct fth_http_response *resp, struct fth_arena *a, struct registry *r,
                        const char *url, const char *accept, uint64_t max_size,
                        const struct target *t, const char *what, struct fth_error *err)
{
    const char *headers[3];
    int error = 0, answered = 0;

    for (;;) {
        struct fth_http_request req = {0};
        struct challenge c;
        size_t nh = 0;
        const char *token;

        pthread_mutex_lock(&r->lock);
        token = r->token ? fth_arena_printf(a, "Authorization: Bearer %s", r->token) : NULL;
        pthread_mutex_unlock(&r->lock);
        if (accept)
            headers[nh++] = accept;
        if (token)
            headers[nh++] = token;
        headers[nh] = NULL;
        req.url = url;
        req.headers = headers;
        pthread_mutex_lock(&r->lock);
        if (r->use_basic && r->username) {
            req.username = r->username;
            req.password = r->password;
        }
        pthread_mutex_unlock(&r->lock);
        req.max_size = max_size;
        req.retries = FTH_LIMIT_REGISTRY_RETRIES;
        req.insecure_tls = r->insecure;
        req.sink = t->sink;
        req.sink_data = t->data;
        if ((error = t->reset(t->data)) < 0) {
            error = fth_error_set(err, error, "%s: cannot reset the download", what);
            goto out;
        }
        if ((error = fth_http_fetch(resp, a, &req, err)) < 0)
            goto out;
        if (resp->status != 401)
            goto out;
        if (answered) {
            error = fth_error_set(err, FTH_EVERIFY, "%s: 401 unauthorized: %s", what,
                                  r->username ? "the registry refused the credentials"
                                              : "the registry wants credentials");
            goto out;
        }
        answered = 1;
        if (!resp->www_authenticate || parse_challenge(&c, a, resp->www_authenticate) < 0) {
            error = fth_error_set(err, FTH_EVERIFY,
                                  "%s: 401 unauthorized without a usable challenge", what);
            goto out;
        }
        if (strcasecmp(c.scheme, "Bearer") == 0) {
            if ((error = fetch_token(r, a, &c, what, err)) < 0)
                goto out;
        } else if (strcasecmp(c.scheme, "Basic") == 0) {
            if (!r->username) {
                error = fth_error_set(err, FTH_EVERIFY,
                                      "%s: 401 unauthorized: the registry asks for basic auth "
                                      "(realm '%s') and no credentials were given",
                                      what, c.realm ? c.realm : "");
                goto out;
            }
            pthread_mutex_lock(&r->lock);
            r->use_basic = 1;
            pthread_mutex_unlock(&r->lock);
        } else {
            error =
                fth_error_set(err, FTH_EVERIFY,
                              "%s: 401 unauthorized: unsupported auth scheme '%s'", what, c.scheme);
            goto out;
        }
    }
out:
    return error;
}

/* The registry's own error code from an error body ({"errors":[{"code":...}]}), or "". */
static const char *registry_error_code(struct fth_arena *a, const char *body, size_t len)
{
    json_t *doc = json_loadb(body, len, 0, NULL);
    const char *code = json_string_value(
        json_object_get(json_array_get(json_object_get(doc, "errors"), 0), "code"));
    const char *out = "";

    if (code && token_ok(code) && strlen(code) < 64)
        out = fth_arena_printf(a, " (%s)", code);
    json_decref(doc);
    return out ? out : "";
}

static int status_error(struct fth_error *err, long status, const char *what, const char *detail)
{
    int code = status == 404                    ? FTH_ENOTFOUND
               : status == 401 || status == 403 ? FTH_EVERIFY
                                                : FTH_EIO;

    return fth_error_set(err, code, "%s: the registry answered %ld%s", what, status, detail);
}

static int buf_reset(void *data)
{
    fth_buf_clear(data);
    return 0;
}

static int known_media_type(const char *mt)
{
    return strcmp(mt, IMAGE_MT_OCI_INDEX) == 0 || strcmp(mt, IMAGE_MT_OCI_MANIFEST) == 0 ||
           strcmp(mt, IMAGE_MT_DOCKER_LIST) == 0 || strcmp(mt, IMAGE_MT_DOCKER_MANIFEST) == 0;
}

/* The Content-Type, else the document's mediaType, else what its fields make it. */
static const char *manifest_media_type(struct fth_arena *a, const char *ctype, const char *body,
                                       size_t len)
{
    const char *mt = NULL;
    json_t *doc;

    if (ctype) {
        size_t n = strcspn(ctype, "; ");
        const char *t = fth_arena_strndup(a, ctype, n);

        if (t && known_media_type(t))
            return t;
    }
    doc = json_loadb(body, len, 0, NULL);
    mt = json_string_value(json_object_get(doc, "mediaType"));
    if (mt && known_media_type(mt))
        mt = fth_arena_strdup(a, mt);
    else if (!mt && json_is_array(json_object_get(doc, "manifests")))
        mt = IMAGE_MT_OCI_INDEX;
    else if (!mt && json_is_object(json_object_get(doc, "config")) &&
             json_is_array(json_object_get(doc, "layers")))
        mt = IMAGE_MT_OCI_MANIFEST;
    else
        mt = NULL;
    json_decref(doc);
    return mt;
}

int registry_manifest(const char **body, size_t *len, const char **media_type, const char **digest,
                      struct fth_arena *a, struct registry *r, const char *tag_or_digest,
                      struct fth_error *err)
{
    static const char accept[] = "Accept: " IMAGE_MT_OCI_INDEX ", " IMAGE_MT_OCI_MANIFEST
                                 ", " IMAGE_MT_DOCKER_LIST ", " IMAGE_MT_DOCKER_MANIFEST;
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_http_response resp;
    struct target t = {collect, buf_reset, &b};
    const char *what, *url, *mt, *got;
    int by_digest = strncmp(tag_or_digest, "sha256:", 7) == 0;
    char hex[65];
    int error = 0;

    *body = NULL;
    *len = 0;
    *media_type = *digest = NULL;
    what =
        fth_arena_printf(a, "'%s/%s%s%s'", r->host, r->repo, by_digest ? "@" : ":", tag_or_digest);
    if (!what)
        goto nomem;
    if (by_digest ? !valid_digest(tag_or_digest)
                  : !valid_tag(tag_or_digest, strlen(tag_or_digest))) {
        error = fth_error_set(err, FTH_EINVALID, "%s: not a valid tag or sha256 digest", what);
        goto out;
    }
    if (!(url = fth_arena_printf(a, "%s/v2/%s/manifests/%s", r->base, r->repo, tag_or_digest)))
        goto nomem;
    error = registry_get(&resp, a, r, url, accept, FTH_LIMIT_MANIFEST_SIZE, &t, what, err);
    if (error == FTH_ELIMIT) {
        error = fth_error_set(err, FTH_ELIMIT, "%s: manifest larger than %zu bytes (limit)", what,
                              FTH_LIMIT_MANIFEST_SIZE);
        goto out;
    }
    if (error < 0)
        goto out;
    if (resp.status != 200) {
        error = status_error(err, resp.status, what, registry_error_code(a, b.ptr, b.len));
        goto out;
    }
    fth_sha256_hex(hex, b.ptr, b.len);
    if (!(got = fth_arena_printf(a, "sha256:%s", hex)))
        goto nomem;
    if (by_digest && strcmp(got, tag_or_digest) != 0) {
        error =
            fth_error_set(err, FTH_EVERIFY,
                          "%s: manifest digest mismatch: asked for '%s', the bytes hash to '%s'",
                          what, tag_or_digest, got);
        goto out;
    }
    if (resp.docker_content_digest && strncmp(resp.docker_content_digest, "sha256:", 7) == 0 &&
        strcmp(resp.docker_content_digest, got) != 0) {
        error = fth_error_set(err, FTH_EVERIFY,
                              "%s: manifest digest mismatch: the registry says '%.80s', the bytes "
                              "hash to '%s'",
                              what, resp.docker_content_digest, got);
        goto out;
    }
    if (!(mt = manifest_media_type(a, resp.content_type, b.ptr, b.len))) {
        error = fth_error_set(err, FTH_EINVALID,
                              "%s: unsupported manifest media type '%.100s' (expected an OCI or "
                              "Docker v2 manifest or index)",
                              what, resp.content_type ? resp.content_type : "");
        goto out;
    }
    if (!(*body = fth_arena_strndup(a, b.ptr, b.len)))
        goto nomem;
    *len = b.len;
    *media_type = mt;
    *digest = got;
    goto out;
nomem:
    error = fth_error_set(err, FTH_ENOMEM, "out of memory");
out:
    fth_buf_release(&b);
    return error;
}

/* ---- blobs ---- */

/* mkdir -p, for the cache directories. */
static int make_dirs(const char *path, struct fth_error *err)
{
    char tmp[4096], emsg[128];
    size_t n = strlen(path), i;

    if (n == 0 || n >= sizeof(tmp))
        return fth_error_set(err, FTH_EINVALID, "'%.200s': cache path too long", path);
    memcpy(tmp, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        tmp[i] = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return fth_error_set(err, FTH_EIO, "'%s': cannot create the cache directory: %s", tmp,
                                 os_error(emsg, sizeof(emsg), errno));
        tmp[i] = path[i];
    }
    return 0;
}

struct download {
    const struct fth_http_response *resp; /* being filled: its status tells blob from error */
    int fd;
    uint64_t size; /* expected, 0 when unknown */
    uint64_t written;
    int too_many; /* the registry sent (or announced) more than `size` */
    int io_errno;
    struct fth_sha256 hash;
    int hashing;
    struct fth_buf other; /* the body of a response that is not the blob, bounded */
};

static int download_sink(void *data, const void *buf, size_t len)
{
    struct download *d = data;
    const char *p = buf;

    if (d->resp->status != 200) {
        /* A 401 or 404 body: keep a little of it for the error code, never in the file. */
        if (d->other.len + len <= FTH_LIMIT_HTTP_DISCARD)
            return fth_buf_put(&d->other, buf, len);
        return 0;
    }
    if (d->size &&
        (d->resp->content_length > d->size || d->written + len > d->size || len > d->size)) {
        /* Stop before writing a byte past the size the manifest states. */
        d->too_many = 1;
        return FTH_EVERIFY;
    }
    fth_sha256_update(&d->hash, buf, len);
    d->written += len;
    while (len) {
        ssize_t w = write(d->fd, p, len);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            d->io_errno = w < 0 ? errno : EIO;
            return FTH_EIO;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int download_reset(void *data)
{
    struct download *d = data;

    if (d->hashing)
        fth_sha256_release(&d->hash);
    d->hashing = 0;
    d->written = 0;
    d->too_many = 0;
    fth_buf_clear(&d->other);
    if (ftruncate(d->fd, 0) != 0 || lseek(d->fd, 0, SEEK_SET) != 0)
        return FTH_EIO;
    if (fth_sha256_init(&d->hash) < 0)
        return FTH_ENOMEM;
    d->hashing = 1;
    return 0;
}

int registry_blob(const char **path, int *temporary, struct fth_arena *a, struct registry *r,
                  const char *digest, uint64_t size, struct fth_error *err)
{
    struct fth_http_response resp;
    struct download d = {&resp, -1, size, 0, 0, 0, {NULL}, 0, FTH_BUF_INIT};
    struct target t = {download_sink, download_reset, &d};
    const char *what, *url, *dir, *final = NULL;
    char *tmp = NULL, hex[65], emsg[128];
    struct stat st;
    int error = 0;

    *path = NULL;
    *temporary = 0;
    what = fth_arena_printf(a, "blob '%.80s' of '%s/%s'", digest, r->host, r->repo);
    if (!what)
        goto nomem;
    if (!valid_digest(digest)) {
        error = fth_error_set(err, FTH_EINVALID, "%s: not a sha256 digest", what);
        goto out;
    }
    if (r->cache[0]) {
        if (!(dir = fth_arena_printf(a, "%s/blobs/sha256", r->cache)) ||
            !(final = fth_arena_printf(a, "%s/%s", dir, digest + 7)))
            goto nomem;
        if (stat(final, &st) == 0 && S_ISREG(st.st_mode)) {
            /* The digest was checked when the file was stored; the size catches truncation. */
            if (!size || (uint64_t)st.st_size == size) {
                fth_log(FTH_LOG_DEBUG, "image", "%s: from the cache", what);
                *path = final;
                goto out;
            }
            /* Truncated or damaged: fetch it again; a good download replaces it. */
            fth_log(FTH_LOG_WARN, "image",
                    "'%s': cached blob has %jd bytes, expected %llu; downloading it again", final,
                    (intmax_t)st.st_size, (unsigned long long)size);
        }
        if ((error = make_dirs(dir, err)) < 0)
            goto out;
        tmp = fth_arena_printf(a, "%s/.%.16s.tmp-XXXXXX", dir, digest + 7);
    } else {
        const char *td = getenv("TMPDIR");

        tmp = fth_arena_printf(a, "%s/fathom-blob-XXXXXX", td && td[0] ? td : "/tmp");
    }
    if (!tmp)
        goto nomem;
    if ((d.fd = mkstemp(tmp)) < 0) {
        error = fth_error_set(err, FTH_EIO, "'%s': cannot create a temporary file: %s", tmp,
                              os_error(emsg, sizeof(emsg), errno));
        tmp = NULL;
        goto out;
    }
    if (!(url = fth_arena_printf(a, "%s/v2/%s/blobs/%s", r->base, r->repo, digest)))
        goto nomem;
    error = registry_get(&resp, a, r, url, NULL, 0, &t, what, err);
    if (error == FTH_EVERIFY && d.too_many) {
        error = fth_error_set(err, FTH_EVERIFY,
                              "%s: the registry sent more than the %llu bytes the manifest states",
                              what, (unsigned long long)size);
        goto out;
    }
    if (error == FTH_EIO && d.io_errno) {
        error = fth_error_set(err, FTH_EIO, "'%s': cannot write %s: %s", tmp, what,
                              os_error(emsg, sizeof(emsg), d.io_errno));
        goto out;
    }
    if (error < 0)
        goto out;
    if (resp.status != 200) {
        error =
            status_error(err, resp.status, what, registry_error_code(a, d.other.ptr, d.other.len));
        goto out;
    }
    if (size && d.written != size) {
        error = fth_error_set(err, FTH_EVERIFY,
                              "%s: the registry sent %llu bytes, the manifest states %llu", what,
                              (unsigned long long)d.written, (unsigned long long)size);
        goto out;
    }
    fth_sha256_final(&d.hash, hex);
    d.hashing = 0;
    if (strcmp(hex, digest + 7) != 0) {
        error = fth_error_set(err, FTH_EVERIFY,
                              "%s: blob digest mismatch: expected '%s', the bytes hash to "
                              "'sha256:%s'",
                              what, digest, hex);
        goto out;
    }
    if (fsync(d.fd) != 0 || close(d.fd) != 0) {
        d.fd = -1;
        error = fth_error_set(err, FTH_EIO, "'%s': cannot write %s: %s", tmp, what,
                              os_error(emsg, sizeof(emsg), errno));
        goto out;
    }
    d.fd = -1;
    if (final) {
        if (rename(tmp, final) != 0) {
            error = fth_error_set(err, FTH_EIO, "'%s': cannot move %s into the cache: %s", final,
                                  what, os_error(emsg, sizeof(emsg), errno));
            goto out;
        }
        *path = final;
    } else {
        *path = tmp;
        *temporary = 1;
    }
    tmp = NULL;
    goto out;
nomem:
    error = fth_error_set(err, FTH_ENOMEM, "out of memory");
out:
    if (d.hashing)
        fth_sha256_release(&d.hash);
    if (d.fd >= 0)
        close(d.fd);
    fth_buf_release(&d.other);
    if (error < 0 && tmp)
        unlink(tmp); /* a blob that failed its checks is never kept */
    return error;
}
