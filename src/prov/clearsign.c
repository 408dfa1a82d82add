/*
 * prov: the OpenPGP clear-signed message (RFC 4880 section 7) and ASCII armor (section 6)
 * as Helm's .prov files use them, parsed strictly: whatever is not understood is refused,
 * so that what the signature is checked over is exactly what the rest of Fathom reads.
 * No cryptography here: the signature bytes go to librnp (pgp.c).
 */
#include <string.h>

#include "prov_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

/* One line of the input, without its LF or CR LF. */
struct line {
    const char *s;
    size_t len;
    unsigned no; /* 1-based */
};

struct lines {
    const char *p, *end;
    unsigned no;
};

static int next_line(struct lines *ls, struct line *out)
{
    const char *nl;

    if (ls->p >= ls->end)
        return 0;
    nl = memchr(ls->p, '\n', (size_t)(ls->end - ls->p));
    out->s = ls->p;
    out->len = nl ? (size_t)(nl - ls->p) : (size_t)(ls->end - ls->p);
    out->no = ++ls->no;
    ls->p = nl ? nl + 1 : ls->end;
    if (out->len && out->s[out->len - 1] == '\r')
        out->len--;
    return 1;
}

/* Length without trailing spaces and tabs (RFC 4880 7.1: they are not signed). */
static size_t trimmed(const char *s, size_t len)
{
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return len;
}

static int line_is(const struct line *l, const char *text)
{
    size_t n = strlen(text);

    return trimmed(l->s, l->len) == n && !memcmp(l->s, text, n);
}

static int blank(const struct line *l)
{
    return trimmed(l->s, l->len) == 0;
}

/* ---- armor ---- */

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

uint32_t prov_crc24(const unsigned char *p, size_t len)
{
    uint32_t crc = 0xB704CEu;
    size_t i;
    int k;

    for (i = 0; i < len; i++) {
        crc ^= (uint32_t)p[i] << 16;
        for (k = 0; k < 8; k++) {
            crc <<= 1;
            if (crc & 0x1000000u)
                crc ^= 0x1864CFBu;
        }
    }
    return crc & 0xFFFFFFu;
}

/* Decode base64 text (no whitespace inside) appended to out; *pad set once '=' was seen. */
static int b64_line(struct fth_buf *out, const char *s, size_t len, int *done, unsigned no,
                    struct fth_error *err)
{
    size_t i;
    int v[4];

    if (*done)
        return fth_error_set(err, FTH_EINVALID, "line %u: armor data after the final padding", no);
    if (len % 4)
        return fth_error_set(err, FTH_EINVALID, "line %u: armor line length is not a multiple of 4",
                             no);
    for (i = 0; i < len; i += 4) {
        unsigned char b[3];
        int k, n = 3;

        for (k = 0; k < 4; k++)
            v[k] = b64_value((unsigned char)s[i + k]);
        if (s[i + 2] == '=' && s[i + 3] == '=' && i + 4 == len)
            n = 1;
        else if (s[i + 3] == '=' && i + 4 == len)
            n = 2;
        if (v[0] < 0 || v[1] < 0 || (n >= 2 && v[2] < 0) || (n == 3 && v[3] < 0))
            return fth_error_set(err, FTH_EINVALID, "line %u: invalid character in armor data", no);
        b[0] = (unsigned char)(v[0] << 2 | v[1] >> 4);
        b[1] = (unsigned char)((v[1] & 15) << 4 | (n >= 2 ? v[2] >> 2 : 0));
        b[2] = (unsigned char)((n == 3 ? (v[2] & 3) << 6 | v[3] : 0));
        if (fth_buf_put(out, b, (size_t)n) < 0)
            return fth_error_set(err, FTH_ENOMEM, "out of memory");
        if (n < 3)
            *done = 1;
    }
    return 0;
}

/*
 * The armored block starting at ls (the BEGIN line already read, with its label), up to
 * and including its END line.
 */
static int armor_body(unsigned char **out, size_t *out_len, struct fth_arena *a, struct lines *ls,
                      const char *label, unsigned begin_no, struct fth_error *err)
{
    struct fth_buf bin = FTH_BUF_INIT, endl = FTH_BUF_INIT;
    struct line l;
    int error = 0, done = 0, have_crc = 0, in_headers = 1;
    uint32_t crc = 0;

    if (fth_buf_printf(&endl, "-----END %s-----", label) < 0) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    for (;;) {
        if (!next_line(ls, &l)) {
            error =
                fth_error_set(err, FTH_EINVALID, "line %u: armor '%s' has no '%s' line (truncated)",
                              begin_no, label, endl.ptr);
            goto out;
        }
        if (in_headers) {
            const char *colon;

            if (blank(&l)) {
                in_headers = 0;
                continue;
            }
            colon = memchr(l.s, ':', l.len);
            if (!colon || colon == l.s || (size_t)(colon - l.s) + 1 >= l.len || colon[1] != ' ') {
                error = fth_error_set(err, FTH_EINVALID,
                                      "line %u: armor header is not 'Key: value' (a blank line "
                                      "must follow the headers)",
                                      l.no);
                goto out;
            }
            continue;
        }
        if (line_is(&l, endl.ptr))
            break;
        l.len = trimmed(l.s, l.len);
        if (!l.len)
            continue;
        if (l.s[0] == '=' && l.len == 5) {
            struct fth_buf c = FTH_BUF_INIT;
            int cdone = 0;

            if (have_crc) {
                error = fth_error_set(err, FTH_EINVALID, "line %u: second armor checksum", l.no);
                goto out;
            }
            if ((error = b64_line(&c, l.s + 1, 4, &cdone, l.no, err)) < 0 || c.len != 3) {
                fth_buf_release(&c);
                if (!error)
                    error =
                        fth_error_set(err, FTH_EINVALID, "line %u: invalid armor checksum", l.no);
                goto out;
            }
            crc = (uint32_t)(unsigned char)c.ptr[0] << 16 | (uint32_t)(unsigned char)c.ptr[1] << 8 |
                  (unsigned char)c.ptr[2];
            fth_buf_release(&c);
            have_crc = 1;
            continue;
        }
        if (have_crc) {
            error =
                fth_error_set(err, FTH_EINVALID, "line %u: armor data after the checksum", l.no);
            goto out;
        }
        if ((error = b64_line(&bin, l.s, l.len, &done, l.no, err)) < 0)
            goto out;
        if (bin.len > FTH_LIMIT_PROV_SIZE) {
            error = fth_error_set(err, FTH_ELIMIT, "armor data larger than %zu bytes (limit)",
                                  FTH_LIMIT_PROV_SIZE);
            goto out;
        }
    }
    if (in_headers) {
        error = fth_error_set(err, FTH_EINVALID, "line %u: armor '%s' ends before its data", l.no,
                              label);
        goto out;
    }
    if (!bin.len) {
        error = fth_error_set(err, FTH_EINVALID, "line %u: armor '%s' holds no data", l.no, label);
        goto out;
    }
    if (have_crc && prov_crc24((const unsigned char *)bin.ptr, bin.len) != crc) {
        error =
            fth_error_set(err, FTH_EINVALID, "armor '%s': checksum mismatch (damaged data)", label);
        goto out;
    }
    if (!(*out = fth_arena_alloc(a, bin.len))) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    memcpy(*out, bin.ptr, bin.len);
    *out_len = bin.len;
out:
    fth_buf_release(&bin);
    fth_buf_release(&endl);
    return error;
}

/* "-----BEGIN X-----" into label (in the arena); 0 when the line is not one. */
static int begin_label(const char **label, struct fth_arena *a, const struct line *l)
{
    size_t n = trimmed(l->s, l->len);

    if (n < 21 || memcmp(l->s, "-----BEGIN ", 11) != 0 || memcmp(l->s + n - 5, "-----", 5) != 0)
        return 0;
    *label = fth_arena_strndup(a, l->s + 11, n - 16);
    return *label ? 1 : -1;
}

int fth_prov_dearmor(unsigned char **out, size_t *out_len, struct fth_arena *a, const char *data,
                     size_t len, const char *label, struct fth_error *err)
{
    struct lines ls = {data, data + len, 0};
    struct line l;
    const char *found = NULL;
    int r;

    *out = NULL;
    *out_len = 0;
    while (next_line(&ls, &l)) {
        if (blank(&l))
            continue;
        if ((r = begin_label(&found, a, &l)) < 0)
            return fth_error_set(err, FTH_ENOMEM, "out of memory");
        if (!r)
            return fth_error_set(err, FTH_EINVALID, "line %u: expected '-----BEGIN %s-----'", l.no,
                                 label ? label : "...");
        if (label && strcmp(found, label) != 0)
            return fth_error_set(err, FTH_EINVALID, "line %u: expected armor '%s', found '%s'",
                                 l.no, label, found);
        return armor_body(out, out_len, a, &ls, found, l.no, err);
    }
    return fth_error_set(err, FTH_EINVALID, "no armored data");
}

/*
 * The signature block must hold exactly one whole OpenPGP signature packet (tag 2). Only the
 * framing is read here (RFC 4880 4.2), so a cut or padded block gets a plain message before
 * librnp sees it.
 */
static int check_signature_packet(const unsigned char *p, size_t len, struct fth_error *err)
{
    size_t hdr, body;
    unsigned tag;

    if (len < 2 || !(p[0] & 0x80))
        return fth_error_set(err, FTH_EINVALID, "the signature block is not an OpenPGP packet");
    if (p[0] & 0x40) {
        tag = p[0] & 0x3fu;
        if (p[1] < 192) {
            hdr = 2;
            body = p[1];
        } else if (p[1] < 224) {
            if (len < 3)
                goto cut;
            hdr = 3;
            body = ((size_t)(p[1] - 192) << 8) + p[2] + 192;
        } else if (p[1] == 255) {
            if (len < 6)
                goto cut;
            hdr = 6;
            body = (size_t)p[2] << 24 | (size_t)p[3] << 16 | (size_t)p[4] << 8 | p[5];
        } else {
            return fth_error_set(err, FTH_EINVALID,
                                 "the signature packet has a partial body length");
        }
    } else {
        static const size_t lens[] = {1, 2, 4, 0};
        size_t n = lens[p[0] & 3], i;

        tag = (p[0] >> 2) & 0xfu;
        if (!n)
            return fth_error_set(err, FTH_EINVALID,
                                 "the signature packet has an indeterminate length");
        if (len < 1 + n)
            goto cut;
        for (body = 0, i = 0; i < n; i++)
            body = body << 8 | p[1 + i];
        hdr = 1 + n;
    }
    if (tag != 2)
        return fth_error_set(err, FTH_EINVALID,
                             "the signature block holds an OpenPGP packet of type %u, not a "
                             "signature",
                             tag);
    if (body > len - hdr)
        return fth_error_set(err, FTH_EINVALID,
                             "truncated signature: the packet says %zu bytes, %zu are present",
                             body, len - hdr);
    if (body < len - hdr)
        return fth_error_set(err, FTH_EINVALID,
                             "the signature block holds more than one packet (one signature "
                             "expected)");
    return 0;
cut:
    return fth_error_set(err, FTH_EINVALID, "truncated signature: the packet header is cut");
}

/* ---- the message text: metadata, "...", files ---- */

static int known_hash(const char *s, size_t n)
{
    static const char *const names[] = {"SHA256", "SHA384",   "SHA512",   "SHA224",
                                        "SHA1",   "SHA3-256", "SHA3-512", "RIPEMD160"};
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i]) == n && !memcmp(names[i], s, n))
            return 1;
    return 0;
}

static int check_hash_header(const char *v, size_t n, unsigned no, struct fth_error *err)
{
    const char *p = v, *end = v + n;

    while (p < end) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        const char *e = c ? c : end;

        while (p < e && *p == ' ')
            p++;
        if (!known_hash(p, (size_t)(e - p)))
            return fth_error_set(err, FTH_EINVALID,
                                 "line %u: unknown hash '%.*s' in 'Hash:' "
                                 "header",
                                 no, (int)(e - p), p);
        p = c ? c + 1 : end;
    }
    return 0;
}

static int is_hex64(const char *s, size_t n)
{
    size_t i;

    if (n != 64)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* A mapping with the same key twice is two `files:` blocks, or two entries for one name. */
static int duplicate_key(const struct fth_value *map, const char **dup)
{
    size_t i, j;

    for (i = 0; i < map->u.map.len; i++)
        for (j = 0; j < i; j++) {
            const struct fth_value *x = map->u.map.items[i].key, *y = map->u.map.items[j].key;

            if (x->type == FTH_VALUE_STRING && y->type == FTH_VALUE_STRING &&
                x->u.str.len == y->u.str.len && !memcmp(x->u.str.ptr, y->u.str.ptr, x->u.str.len)) {
                *dup = x->u.str.ptr;
                return 1;
            }
        }
    return 0;
}

int prov_parse_text(struct fth_prov_message *m, struct fth_arena *a, struct fth_error *err)
{
    struct fth_load_opts lo = FTH_LOAD_OPTS_INIT;
    const char *text = m->text, *sep, *files_part, *dup;
    struct fth_value *meta = NULL, *doc = NULL;
    const struct fth_value *files, *v;
    size_t files_len, i, n;
    int error = 0;

    sep = NULL;
    for (i = 0; i + 5 <= m->text_len; i++)
        if (!memcmp(text + i, "\n...\n", 5)) {
            if (sep)
                return fth_error_set(err, FTH_EINVALID,
                                     "signed message has more than one '...' separator");
            sep = text + i;
        }
    if (!sep)
        return fth_error_set(err, FTH_EINVALID,
                             "signed message has no '...' line between the chart metadata and "
                             "the files");
    m->metadata_yaml = text;
    m->metadata_len = (size_t)(sep - text) + 1;
    files_part = sep + 5;
    files_len = m->text_len - (size_t)(files_part - text);
    lo.name = "provenance metadata";
    lo.max_documents = 1;
    if ((error = fth_value_load_one(&meta, a, m->metadata_yaml, m->metadata_len, &lo, err)) < 0)
        return error;
    if (!meta || meta->type != FTH_VALUE_MAP)
        return fth_error_set(err, FTH_EINVALID, "signed chart metadata is not a mapping");
    if (duplicate_key(meta, &dup))
        return fth_error_set(err, FTH_EINVALID, "signed chart metadata has key '%s' twice", dup);
    m->metadata = meta;
    m->name = fth_value_str(fth_value_get(meta, "name"));
    m->version = fth_value_str(fth_value_get(meta, "version"));
    if (!m->name || !m->version)
        return fth_error_set(err, FTH_EINVALID, "signed chart metadata has no %s",
                             m->name ? "version" : "name");
    /* Caught before YAML, whose duplicate-key message would not say what is wrong. */
    for (i = 0, n = 0; i < files_len; i++)
        if ((i == 0 || files_part[i - 1] == '\n') && files_len - i >= 6 &&
            !memcmp(files_part + i, "files:", 6) && ++n > 1)
            return fth_error_set(err, FTH_EINVALID, "more than one 'files:' block");
    lo.name = "provenance files";
    if ((error = fth_value_load_one(&doc, a, files_part, files_len, &lo, err)) < 0)
        return error;
    if (!doc || doc->type != FTH_VALUE_MAP)
        return fth_error_set(err, FTH_EINVALID,
                             "the part after '...' is not a mapping with "
                             "'files:'");
    if (duplicate_key(doc, &dup)) {
        if (!strcmp(dup, "files"))
            return fth_error_set(err, FTH_EINVALID, "more than one 'files:' block");
        return fth_error_set(err, FTH_EINVALID, "key '%s' appears twice after '...'", dup);
    }
    for (i = 0; i < doc->u.map.len; i++) {
        const struct fth_value *k = doc->u.map.items[i].key;

        if (!fth_value_streq(k, "files") && !fth_value_streq(k, "images"))
            return fth_error_set(err, FTH_EINVALID, "%u:%u: unexpected key '%s' after '...'",
                                 k->line, k->column,
                                 k->type == FTH_VALUE_STRING ? k->u.str.ptr : "?");
    }
    if (!(files = fth_value_get(doc, "files")) || files->type != FTH_VALUE_MAP || !files->u.map.len)
        return fth_error_set(err, FTH_EINVALID, "no 'files:' mapping after '...'");
    if (duplicate_key(files, &dup))
        return fth_error_set(err, FTH_EINVALID, "'files:' lists '%s' twice", dup);
    if ((v = fth_value_get(doc, "images")) && v->type != FTH_VALUE_MAP && v->type != FTH_VALUE_NULL)
        return fth_error_set(err, FTH_EINVALID, "'images:' is not a mapping");
    if (!(m->files = fth_arena_calloc(a, files->u.map.len, sizeof(*m->files))))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    for (i = 0; i < files->u.map.len; i++) {
        const struct fth_member *mb = &files->u.map.items[i];
        const char *d;

        if (mb->key->type != FTH_VALUE_STRING || mb->value->type != FTH_VALUE_STRING)
            return fth_error_set(err, FTH_EINVALID,
                                 "%u:%u: 'files:' entries must be "
                                 "'NAME: sha256:HEX'",
                                 mb->key->line, mb->key->column);
        d = mb->value->u.str.ptr;
        if (mb->value->u.str.len != 71 || strncmp(d, "sha256:", 7) != 0 || !is_hex64(d + 7, 64))
            return fth_error_set(err, FTH_EINVALID,
                                 "%u:%u: 'files:' entry '%s': '%s' is not 'sha256:' and 64 "
                                 "lowercase hex digits",
                                 mb->value->line, mb->value->column, mb->key->u.str.ptr, d);
        m->files[i].name = mb->key->u.str.ptr;
        m->files[i].digest = d;
    }
    m->nfiles = files->u.map.len;
    return 0;
}

int fth_prov_parse(struct fth_prov_message **out, struct fth_arena *a, const char *data, size_t len,
                   struct fth_error *err)
{
    struct fth_buf text = FTH_BUF_INIT, canon = FTH_BUF_INIT, hash = FTH_BUF_INIT;
    struct fth_prov_message *m;
    struct lines ls = {data, data + len, 0};
    struct line l;
    const char *label;
    unsigned sig_no = 0;
    int error = 0, r, first = 1, saw_begin = 0;

    *out = NULL;
    if (len > FTH_LIMIT_PROV_SIZE)
        return fth_error_set(err, FTH_ELIMIT, "provenance file larger than %zu bytes (limit)",
                             FTH_LIMIT_PROV_SIZE);
    if (memchr(data, '\0', len))
        return fth_error_set(err, FTH_EINVALID, "provenance file holds NUL bytes (not text)");
    if (!(m = fth_arena_calloc(a, 1, sizeof(*m))))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    while (next_line(&ls, &l)) {
        if (blank(&l))
            continue;
        if (!line_is(&l, "-----BEGIN PGP SIGNED MESSAGE-----")) {
            error = fth_error_set(err, FTH_EINVALID,
                                  "line %u: expected '-----BEGIN PGP SIGNED MESSAGE-----'", l.no);
            goto out;
        }
        saw_begin = 1;
        break;
    }
    if (!saw_begin) {
        error = fth_error_set(err, FTH_EINVALID,
                              "signature block not found (not a clear-signed "
                              "message)");
        goto out;
    }
    /* Armor headers: only "Hash:" has a meaning here, as RFC 4880 7 says. */
    for (;;) {
        const char *v;

        if (!next_line(&ls, &l)) {
            error = fth_error_set(err, FTH_EINVALID, "message ends inside its headers");
            goto out;
        }
        if (!l.len)
            break;
        if (l.len < 6 || memcmp(l.s, "Hash: ", 6) != 0) {
            error = fth_error_set(err, FTH_EINVALID,
                                  "line %u: unexpected header '%.*s' in signed message (only "
                                  "'Hash:' is allowed; a blank line must end the headers)",
                                  l.no, (int)(l.len > 60 ? 60 : l.len), l.s);
            goto out;
        }
        v = l.s + 6;
        if ((error = check_hash_header(v, trimmed(v, l.len - 6), l.no, err)) < 0)
            goto out;
        if ((hash.len && fth_buf_puts(&hash, ",") < 0) ||
            fth_buf_put(&hash, v, trimmed(v, l.len - 6)) < 0) {
            error = fth_error_set(err, FTH_ENOMEM, "out of memory");
            goto out;
        }
    }
    /* The text, up to the signature. */
    for (;;) {
        const char *s;
        size_t n;

        if (!next_line(&ls, &l)) {
            error = fth_error_set(err, FTH_EINVALID,
                                  "signature block not found ('-----BEGIN PGP SIGNATURE-----' "
                                  "missing)");
            goto out;
        }
        if (line_is(&l, "-----BEGIN PGP SIGNATURE-----")) {
            sig_no = l.no;
            break;
        }
        s = l.s;
        n = l.len;
        if (n && s[0] == '-') {
            if (n < 2 || s[1] != ' ') {
                error = fth_error_set(err, FTH_EINVALID,
                                      "line %u: a line of the signed text starts with '-' and is "
                                      "not dash-escaped",
                                      l.no);
                goto out;
            }
            s += 2;
            n -= 2;
        }
        n = trimmed(s, n);
        r = (!first && fth_buf_puts(&canon, "\r\n") < 0) || fth_buf_put(&canon, s, n) < 0 ||
            fth_buf_put(&text, s, n) < 0 || fth_buf_putc(&text, '\n') < 0;
        if (r) {
            error = fth_error_set(err, FTH_ENOMEM, "out of memory");
            goto out;
        }
        first = 0;
    }
    if ((error = armor_body((unsigned char **)&m->signature, &m->signature_len, a, &ls,
                            "PGP SIGNATURE", sig_no, err)) < 0)
        goto out;
    if ((error = check_signature_packet(m->signature, m->signature_len, err)) < 0)
        goto out;
    while (next_line(&ls, &l)) {
        if (blank(&l))
            continue;
        if ((r = begin_label(&label, a, &l)) < 0) {
            error = fth_error_set(err, FTH_ENOMEM, "out of memory");
            goto out;
        }
        error = fth_error_set(err, FTH_EINVALID,
                              r && !strcmp(label, "PGP SIGNED MESSAGE")
                                  ? "line %u: more than one signed message"
                                  : "line %u: text after the signature",
                              l.no);
        goto out;
    }
    if (!(m->text = fth_arena_strndup(a, text.ptr, text.len)) ||
        !(m->signed_text = fth_arena_strndup(a, canon.ptr, canon.len)) ||
        (hash.len && !(m->hash_header = fth_arena_strndup(a, hash.ptr, hash.len)))) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    m->text_len = text.len;
    m->signed_len = canon.len;
    if ((error = prov_parse_text(m, a, err)) < 0)
        goto out;
    *out = m;
out:
    fth_buf_release(&text);
    fth_buf_release(&canon);
    fth_buf_release(&hash);
    return error;
}

int fth_prov_message_block(struct fth_buf *out, const char *metadata_yaml, size_t metadata_len,
                           const char *archive_name, const char sha256_hex[65])
{
    int r = fth_buf_put(out, metadata_yaml, metadata_len);

    if (r == 0 && (!metadata_len || metadata_yaml[metadata_len - 1] != '\n'))
        r = fth_buf_putc(out, '\n');
    if (r == 0)
        r = fth_buf_printf(out, "\n...\nfiles:\n  %s: sha256:%s\n", archive_name, sha256_hex);
    return r;
}
