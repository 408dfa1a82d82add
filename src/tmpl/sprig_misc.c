/*
 * The rest of Sprig: env and expandenv (os.Getenv/os.ExpandEnv; Helm's engine removes both),
 * uuidv4, and urlParse/urlJoin over the parts of Go's net/url they use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"
#include "sprig_int.h"

SPRIG_FN(f_env)
{
    const char *v = getenv(args[0]->u.str.ptr);
    SPRIG_UNUSED;
    return sprig_ret_str(out, call, v ? v : "", v ? strlen(v) : 0);
}

static int shell_special(char c)
{
    return c == '*' || c == '#' || c == '$' || c == '@' || c == '!' || c == '?' || c == '-' ||
           (c >= '0' && c <= '9');
}

static int alnum_(char c)
{
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* os.getShellName: the name after '$' and how many bytes it takes */
static void shell_name(const char *s, size_t n, size_t *name, size_t *nlen, size_t *w)
{
    size_t i;
    *name = 0;
    *nlen = 0;
    if (s[0] == '{') {
        if (n > 2 && shell_special(s[1]) && s[2] == '}') {
            *name = 1;
            *nlen = 1;
            *w = 3;
            return;
        }
        for (i = 1; i < n; i++)
            if (s[i] == '}') {
                if (i == 1) {
                    *w = 2;
                    return;
                }
                *name = 1;
                *nlen = i - 1;
                *w = i + 1;
                return;
            }
        *w = 1;
        return;
    }
    if (shell_special(s[0])) {
        *nlen = 1;
        *w = 1;
        return;
    }
    for (i = 0; i < n && alnum_(s[i]); i++)
        ;
    *nlen = i;
    *w = i;
}

SPRIG_FN(f_expandenv)
{
    struct fth_buf b = FTH_BUF_INIT, name = FTH_BUF_INIT;
    const char *s = args[0]->u.str.ptr;
    size_t n = args[0]->u.str.len, i = 0, j;
    int error = 0;
    SPRIG_UNUSED;
    for (j = 0; j < n && error == 0; j++) {
        size_t off, nl, w;
        if (s[j] != '$' || j + 1 >= n)
            continue;
        error = fth_buf_put(&b, s + i, j - i);
        shell_name(s + j + 1, n - j - 1, &off, &nl, &w);
        if (nl == 0 && w > 0) {
            /* bad syntax: the characters are dropped */
        } else if (nl == 0) {
            if (error == 0)
                error = fth_buf_putc(&b, '$');
        } else {
            const char *v;
            fth_buf_clear(&name);
            if (error == 0 && (error = fth_buf_put(&name, s + j + 1 + off, nl)) == 0 &&
                (v = getenv(name.ptr)))
                error = fth_buf_puts(&b, v);
        }
        j += w;
        i = j + 1;
    }
    if (error == 0)
        error = fth_buf_put(&b, s + i, n > i ? n - i : 0);
    fth_buf_release(&name);
    return sprig_ret_buf(out, call, &b, error);
}

SPRIG_FN(f_uuidv4)
{
    unsigned char u[16];
    char s[37];
    int error;
    (void)args;
    SPRIG_UNUSED;
    if ((error = sprig_random(u, sizeof(u))) < 0)
        return fth_tmpl_fail(call, "no random bytes from the system");
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x40);
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);
    snprintf(s, sizeof(s), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
    return sprig_ret_str(out, call, s, 36);
}

/* ---- net/url ---- */

enum url_mode { ENC_PATH, ENC_USER, ENC_HOST, ENC_FRAGMENT };

static int unreserved_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* net/url shouldEscape */
static int should_escape(unsigned char c, enum url_mode m)
{
    if (unreserved_alnum(c))
        return 0;
    if (m == ENC_HOST && strchr("!$&'()*+,;=:[]<>\"", c) && c)
        return 0;
    if (c == '-' || c == '_' || c == '.' || c == '~')
        return 0;
    if (c && strchr("$&+,/:;=?@", c)) {
        switch (m) {
        case ENC_PATH:
            return c == '?';
        case ENC_USER:
            return c == '@' || c == '/' || c == '?' || c == ':';
        case ENC_FRAGMENT:
            return 0;
        case ENC_HOST:
            break;
        }
    }
    if (m == ENC_FRAGMENT && (c == '!' || c == '(' || c == ')' || c == '*'))
        return 0;
    return 1;
}

static int url_escape(struct fth_buf *b, const char *s, size_t n, enum url_mode m)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;
    int error = 0;
    for (i = 0; i < n && error == 0; i++) {
        unsigned char c = (unsigned char)s[i];
        if (should_escape(c, m)) {
            char t[3] = {'%', hex[c >> 4], hex[c & 15]};
            error = fth_buf_put(b, t, 3);
        } else {
            error = fth_buf_putc(b, (char)c);
        }
    }
    return error;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* net/url unescape; on a bad escape *bad is the offending text's offset (-1 if none) */
static int url_unescape(struct fth_buf *b, const char *s, size_t n, long *bad)
{
    size_t i;
    int error = 0;
    *bad = -1;
    for (i = 0; i < n && error == 0; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) {
                *bad = (long)i;
                return 0;
            }
            error = fth_buf_putc(b, (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2])));
            i += 2;
        } else {
            error = fth_buf_putc(b, s[i]);
        }
    }
    return error;
}

struct url {
    struct fth_buf scheme, opaque, user, pass, host, path, query, fragment;
    int has_user, has_pass;
};

static void url_release(struct url *u)
{
    fth_buf_release(&u->scheme);
    fth_buf_release(&u->opaque);
    fth_buf_release(&u->user);
    fth_buf_release(&u->pass);
    fth_buf_release(&u->host);
    fth_buf_release(&u->path);
    fth_buf_release(&u->query);
    fth_buf_release(&u->fragment);
}

static int escape_error(struct fth_buf *msg, const char *s, size_t n, long at)
{
    size_t k = (size_t)at + 3 > n ? n - (size_t)at : 3;
    fth_buf_puts(msg, "invalid URL escape ");
    return fth_tmpl_quote(msg, s + at, k);
}

static int valid_port(const char *p, size_t n)
{
    size_t i;
    if (n == 0)
        return 1;
    if (p[0] != ':')
        return 0;
    for (i = 1; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

/* url.Parse; on failure msg gets the text after `parse "URL": ` and 1 is returned */
static int url_parse(struct url *u, const char *raw, size_t rn, struct fth_buf *msg)
{
    const char *hash = memchr(raw, '#', rn), *rest, *q;
    size_t n = hash ? (size_t)(hash - raw) : rn, i, restn;
    long bad;
    int error;
    for (i = 0; i < rn; i++)
        if ((unsigned char)raw[i] < 0x20 || raw[i] == 0x7f) {
            fth_buf_puts(msg, "net/url: invalid control character in URL");
            return 1;
        }
    rest = raw;
    restn = n;
    if (n == 1 && raw[0] == '*') {
        fth_buf_putc(&u->path, '*');
        goto frag;
    }
    for (i = 0; i < n; i++) {
        char c = raw[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            continue;
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
            if (i == 0)
                break;
            continue;
        }
        if (c == ':') {
            if (i == 0) {
                fth_buf_puts(msg, "missing protocol scheme");
                return 1;
            }
            for (size_t k = 0; k < i; k++)
                fth_buf_putc(&u->scheme,
                             (char)(raw[k] | ((raw[k] >= 'A' && raw[k] <= 'Z') ? 0x20 : 0)));
            rest = raw + i + 1;
            restn = n - i - 1;
        }
        break;
    }
    if (restn && rest[restn - 1] == '?' && memchr(rest, '?', restn) == rest + restn - 1) {
        restn--;
    } else if ((q = memchr(rest, '?', restn))) {
        fth_buf_put(&u->query, q + 1, restn - (size_t)(q - rest) - 1);
        restn = (size_t)(q - rest);
    }
    if (!(restn && rest[0] == '/')) {
        const char *sl, *co;
        if (u->scheme.len) {
            fth_buf_put(&u->opaque, rest, restn);
            goto frag;
        }
        sl = memchr(rest, '/', restn);
        co = memchr(rest, ':', sl ? (size_t)(sl - rest) : restn);
        if (co) {
            fth_buf_puts(msg, "first path segment in URL cannot contain colon");
            return 1;
        }
    }
    if ((u->scheme.len || !(restn >= 3 && !memcmp(rest, "///", 3))) && restn >= 2 &&
        !memcmp(rest, "//", 2)) {
        const char *auth = rest + 2, *sl = memchr(auth, '/', restn - 2), *at = NULL, *h;
        size_t an = sl ? (size_t)(sl - auth) : restn - 2, hn;
        for (i = an; i-- > 0;)
            if (auth[i] == '@') {
                at = auth + i;
                break;
            }
        h = at ? at + 1 : auth;
        hn = an - (size_t)(h - auth);
        if (hn && h[0] == '[') {
            const char *rb = NULL;
            for (i = hn; i-- > 0;)
                if (h[i] == ']') {
                    rb = h + i;
                    break;
                }
            if (!rb) {
                fth_buf_puts(msg, "missing ']' in host");
                return 1;
            }
            if (!valid_port(rb + 1, hn - (size_t)(rb + 1 - h))) {
                fth_buf_puts(msg, "invalid port ");
                fth_tmpl_quote(msg, rb + 1, hn - (size_t)(rb + 1 - h));
                fth_buf_puts(msg, " after host");
                return 1;
            }
        } else {
            for (i = hn; i-- > 0;)
                if (h[i] == ':') {
                    if (!valid_port(h + i, hn - i)) {
                        fth_buf_puts(msg, "invalid port ");
                        fth_tmpl_quote(msg, h + i, hn - i);
                        fth_buf_puts(msg, " after host");
                        return 1;
                    }
                    break;
                }
        }
        if ((error = url_unescape(&u->host, h, hn, &bad)) < 0)
            return error;
        if (bad >= 0)
            return escape_error(msg, h, hn, bad) < 0 ? FTH_ENOMEM : 1;
        if (at) {
            size_t un = (size_t)(at - auth);
            const char *colon = memchr(auth, ':', un);
            size_t u1 = colon ? (size_t)(colon - auth) : un;
            u->has_user = 1;
            if ((error = url_unescape(&u->user, auth, u1, &bad)) < 0)
                return error;
            if (bad >= 0)
                return escape_error(msg, auth, u1, bad) < 0 ? FTH_ENOMEM : 1;
            if (colon) {
                u->has_pass = 1;
                if ((error = url_unescape(&u->pass, colon + 1, un - u1 - 1, &bad)) < 0)
                    return error;
                if (bad >= 0)
                    return escape_error(msg, colon + 1, un - u1 - 1, bad) < 0 ? FTH_ENOMEM : 1;
            }
        }
        restn -= 2 + an;
        rest = auth + an;
    }
    if ((error = url_unescape(&u->path, rest, restn, &bad)) < 0)
        return error;
    if (bad >= 0)
        return escape_error(msg, rest, restn, bad) < 0 ? FTH_ENOMEM : 1;
frag:
    if (hash) {
        if ((error = url_unescape(&u->fragment, hash + 1, rn - n - 1, &bad)) < 0)
            return error;
        if (bad >= 0)
            return escape_error(msg, hash + 1, rn - n - 1, bad) < 0 ? FTH_ENOMEM : 1;
    }
    return 0;
}

static int userinfo_string(struct fth_buf *b, const struct url *u)
{
    int error = url_escape(b, u->user.ptr, u->user.len, ENC_USER);
    if (error == 0 && u->has_pass && (error = fth_buf_putc(b, ':')) == 0)
        error = url_escape(b, u->pass.ptr, u->pass.len, ENC_USER);
    return error;
}

static int set_str(struct fth_tmpl_call *call, struct fth_value *m, const char *k, const char *s,
                   size_t n)
{
    struct fth_value *v = fth_tmpl_str(call->arena, s, n);
    return v ? fth_tmpl_map_set(call->arena, m, k, strlen(k), v) : FTH_ENOMEM;
}

SPRIG_FN(f_url_parse)
{
    struct url u;
    struct fth_buf msg = FTH_BUF_INIT, t = FTH_BUF_INIT;
    struct fth_value *m = NULL;
    const char *hn;
    size_t hl;
    int r, error = 0;
    SPRIG_UNUSED;
    memset(&u, 0, sizeof(u));
    fth_buf_init(&u.scheme);
    fth_buf_init(&u.opaque);
    fth_buf_init(&u.user);
    fth_buf_init(&u.pass);
    fth_buf_init(&u.host);
    fth_buf_init(&u.path);
    fth_buf_init(&u.query);
    fth_buf_init(&u.fragment);
    r = url_parse(&u, args[0]->u.str.ptr, args[0]->u.str.len, &msg);
    if (r < 0) {
        error = r;
        goto out;
    }
    if (r > 0) {
        const char *hash = memchr(args[0]->u.str.ptr, '#', args[0]->u.str.len);
        fth_buf_puts(&t, "unable to parse url: parse ");
        fth_tmpl_quote(&t, args[0]->u.str.ptr,
                       hash ? (size_t)(hash - args[0]->u.str.ptr) : args[0]->u.str.len);
        error = fth_tmpl_fail(call, "%s: %s", t.ptr, msg.ptr);
        goto out;
    }
    /* Hostname(): the host without its port and IPv6 brackets */
    hn = u.host.ptr;
    hl = u.host.len;
    if (hl && hn[0] == '[') {
        const char *rb = memchr(hn, ']', hl);
        hl = rb ? (size_t)(rb - hn) - 1 : hl - 1;
        hn++;
    } else {
        const char *c = hl ? memchr(hn, ':', hl) : NULL;
        if (c) {
            const char *last = hn + hl;
            while (last > hn && last[-1] != ':')
                last--;
            hl = (size_t)(last - hn) - 1;
        }
    }
    if (!(m = fth_tmpl_map(call->arena, 8))) {
        error = FTH_ENOMEM;
        goto out;
    }
    if (u.has_user && (error = userinfo_string(&t, &u)) < 0)
        goto out;
    if ((error = set_str(call, m, "scheme", u.scheme.ptr, u.scheme.len)) < 0 ||
        (error = set_str(call, m, "host", u.host.ptr, u.host.len)) < 0 ||
        (error = set_str(call, m, "hostname", hn, hl)) < 0 ||
        (error = set_str(call, m, "path", u.path.ptr, u.path.len)) < 0 ||
        (error = set_str(call, m, "query", u.query.ptr, u.query.len)) < 0 ||
        (error = set_str(call, m, "opaque", u.opaque.ptr, u.opaque.len)) < 0 ||
        (error = set_str(call, m, "fragment", u.fragment.ptr, u.fragment.len)) < 0 ||
        (error = set_str(call, m, "userinfo", t.ptr, t.len)) < 0)
        goto out;
    *out = m;
out:
    url_release(&u);
    fth_buf_release(&msg);
    fth_buf_release(&t);
    return error;
}

static int dict_str(struct fth_tmpl_call *call, const struct fth_value *d, const char *key,
                    const char **s, size_t *n)
{
    const struct fth_value *v = fth_tmpl_map_get(d, key, strlen(key));
    *s = "";
    *n = 0;
    if (!v)
        return 0;
    if (sprig_is_nil(v))
        return sprig_nil_panic(call);
    if (v->type != FTH_VALUE_STRING || fth_tmpl_ext_of(v) || (v->flags & FTH_TMPL_VALUE_BYTES))
        return fth_tmpl_fail(call, "unable to parse %s key, must be of type string, but %s found",
                             key, sprig_kind_name(v));
    *s = v->u.str.ptr;
    *n = v->u.str.len;
    return 0;
}

SPRIG_FN(f_url_join)
{
    const char *scheme, *host, *path, *query, *opaque, *frag, *ui;
    size_t sl, hl, pl, ql, ol, fl, ul;
    struct fth_buf b = FTH_BUF_INIT, p = FTH_BUF_INIT, msg = FTH_BUF_INIT, tmp = FTH_BUF_INIT;
    struct url u;
    int error, has_user = 0;
    SPRIG_UNUSED;
    memset(&u, 0, sizeof(u));
    fth_buf_init(&u.scheme);
    fth_buf_init(&u.opaque);
    fth_buf_init(&u.user);
    fth_buf_init(&u.pass);
    fth_buf_init(&u.host);
    fth_buf_init(&u.path);
    fth_buf_init(&u.query);
    fth_buf_init(&u.fragment);
    if ((error = dict_str(call, args[0], "scheme", &scheme, &sl)) < 0 ||
        (error = dict_str(call, args[0], "host", &host, &hl)) < 0 ||
        (error = dict_str(call, args[0], "path", &path, &pl)) < 0 ||
        (error = dict_str(call, args[0], "query", &query, &ql)) < 0 ||
        (error = dict_str(call, args[0], "opaque", &opaque, &ol)) < 0 ||
        (error = dict_str(call, args[0], "fragment", &frag, &fl)) < 0 ||
        (error = dict_str(call, args[0], "userinfo", &ui, &ul)) < 0)
        goto out;
    if (ul) {
        int r;
        fth_buf_puts(&tmp, "proto://");
        fth_buf_put(&tmp, ui, ul);
        fth_buf_puts(&tmp, "@host");
        r = url_parse(&u, tmp.ptr, tmp.len, &msg);
        if (r < 0) {
            error = r;
            goto out;
        }
        if (r > 0) {
            struct fth_buf q = FTH_BUF_INIT;
            fth_tmpl_quote(&q, tmp.ptr, tmp.len);
            error = fth_tmpl_fail(call, "unable to parse userinfo in dict: parse %s: %s", q.ptr,
                                  msg.ptr);
            fth_buf_release(&q);
            goto out;
        }
        has_user = u.has_user;
    }
    if (sl) {
        fth_buf_put(&b, scheme, sl);
        fth_buf_putc(&b, ':');
    }
    if (ol) {
        fth_buf_put(&b, opaque, ol);
    } else {
        if (sl || hl || has_user) {
            if (hl || pl || has_user)
                fth_buf_puts(&b, "//");
            if (has_user) {
                userinfo_string(&b, &u);
                fth_buf_putc(&b, '@');
            }
            if (hl)
                url_escape(&b, host, hl, ENC_HOST);
        }
        url_escape(&p, path, pl, ENC_PATH);
        if (p.len && p.ptr[0] != '/' && hl)
            fth_buf_putc(&b, '/');
        if (b.len == 0) {
            const char *sl2 = memchr(p.ptr, '/', p.len);
            if (memchr(p.ptr, ':', sl2 ? (size_t)(sl2 - p.ptr) : p.len))
                fth_buf_puts(&b, "./");
        }
        fth_buf_put(&b, p.ptr, p.len);
    }
    if (ql) {
        fth_buf_putc(&b, '?');
        fth_buf_put(&b, query, ql);
    }
    if (fl) {
        fth_buf_putc(&b, '#');
        url_escape(&b, frag, fl, ENC_FRAGMENT);
    }
    error = sprig_ret_str(out, call, b.ptr, b.len);
out:
    url_release(&u);
    fth_buf_release(&b);
    fth_buf_release(&p);
    fth_buf_release(&msg);
    fth_buf_release(&tmp);
    return error;
}

const struct fth_tmpl_func tmpl_sprig_misc[] = {
    {"env", "s", f_env, NULL},          {"expandenv", "s", f_expandenv, NULL},
    {"uuidv4", "", f_uuidv4, NULL},     {"urlParse", "s", f_url_parse, NULL},
    {"urlJoin", "m", f_url_join, NULL}, {NULL, NULL, NULL, NULL},
};
