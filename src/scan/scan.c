/*
 * The image scan driver. One catalog walk over the layers (fth_catalog_image) with a visitor
 * (fth_catalog_opts.visit) that, for every entry of every layer, records it in a path tree of
 * its own (to tell later which copies the final image shows), notes the hygiene facts of its
 * path and mode, fingerprints ELF files and hands every other regular file to the secret
 * scanner. Layers run in parallel; each has its own state and arena, merged once the walk is
 * over. Then the packages, deleted ones included, go through the vulnerability database.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fathom/cvss.h"
#include "fathom/secret.h"
#include "fathom/vulndb.h"
#include "scan_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

#define PROBE 64
#define CHUNK ((size_t)64 * 1024)

/* A hygiene fact about one path of one layer, judged once the final image is known. */
struct fact {
    const char *path;
    const char *tool; /* the tool's name for shells, package managers and network tools */
    enum hyg_rule rule;
    unsigned mode;
    unsigned layer;
    int dir;
};

struct sfind {
    const char *path;
    unsigned layer;
    const struct fth_secret_finding *f;
};

struct lstate {
    struct fth_arena *a;
    struct fth_vec facts;   /* struct fact * */
    struct fth_vec bins;    /* struct fth_scan_binary * */
    struct fth_vec secrets; /* struct sfind * */
    struct fth_secret_scratch *scratch;
    struct fth_buf buf;
    size_t files, secret_files;
    uint64_t secret_bytes;
};

struct ctx {
    const struct fth_scan_opts *opts;
    struct fth_secret_scan_opts sopts; /* the secret scanner's, opts->secret_opts or defaults */
    size_t max_secret;                 /* files over this are streamed or skipped */
    unsigned scanners;
    int hash;
    struct fth_image_tree *tree;
    struct lstate *layers;
    size_t nlayers;
};

/* ---- the walk ---- */

static int add_fact(struct lstate *ls, const struct fth_entry *e, enum hyg_rule rule,
                    const char *tool)
{
    struct fact *f = fth_arena_calloc(ls->a, 1, sizeof(*f));

    if (!f || !(f->path = fth_arena_strdup(ls->a, e->path)))
        return FTH_ENOMEM;
    f->tool = tool ? f->path + (tool - e->path) : NULL;
    f->rule = rule;
    f->mode = e->mode;
    f->layer = e->layer;
    f->dir = e->type == FTH_ENTRY_DIR;
    return fth_vec_push(&ls->facts, ls->a, f);
}

static int hygiene_entry(struct lstate *ls, const struct fth_entry *e)
{
    const char *tool = NULL;
    enum hyg_rule r;
    int error;

    if (e->type == FTH_ENTRY_FILE || e->type == FTH_ENTRY_SYMLINK ||
        e->type == FTH_ENTRY_HARDLINK) {
        if ((r = hyg_classify_tool(e->path, &tool)) != HYG_COUNT &&
            (error = add_fact(ls, e, r, tool)) < 0)
            return error;
    }
    if (e->type == FTH_ENTRY_FILE && (e->mode & 06000) &&
        (error = add_fact(ls, e, HYG_SETUID, NULL)) < 0)
        return error;
    /* a world-writable directory with the sticky bit (/tmp) is what it should be */
    if (((e->type == FTH_ENTRY_FILE && (e->mode & 0002)) ||
         (e->type == FTH_ENTRY_DIR && (e->mode & 0002) && !(e->mode & 01000))) &&
        (error = add_fact(ls, e, HYG_WORLD_WRITABLE, NULL)) < 0)
        return error;
    return 0;
}

/* ELF e_type EXEC (2) or DYN (3): "executable" or "shared-library"; NULL for anything else. */
static const char *elf_kind(const unsigned char *p, size_t n, const char *path)
{
    unsigned type;
    const char *base = strrchr(path, '/');

    if (n < 18 ||
        memcmp(p,
               "\x7f"
               "ELF",
               4) ||
        (p[5] != 1 && p[5] != 2))
        return NULL;
    type =
        p[5] == 1 ? (unsigned)p[16] | (unsigned)p[17] << 8 : (unsigned)p[17] | (unsigned)p[16] << 8;
    base = base ? base + 1 : path;
    if (type == 2)
        return "executable";
    if (type == 3)
        return strstr(base, ".so") ? "shared-library" : "executable";
    return NULL;
}

static int add_binary(struct lstate *ls, const struct fth_entry *e, const char *kind,
                      const char hex[65], const char sha1[41], uint64_t size)
{
    struct fth_scan_binary *b = fth_arena_calloc(ls->a, 1, sizeof(*b));

    if (!b || !(b->path = fth_arena_strdup(ls->a, e->path)))
        return FTH_ENOMEM;
    b->layer = e->layer;
    b->kind = kind;
    b->size = size;
    memcpy(b->sha256, hex, 65);
    memcpy(b->sha1, sha1, 41);
    return fth_vec_push(&ls->bins, ls->a, b);
}

/*
 * A file's bytes from the catalog's reader, the probe already taken from it first, hashed on
 * the way when the file is a binary to fingerprint.
 */
struct feed {
    struct fth_entry_reader *r;
    const unsigned char *probe;
    size_t nprobe, off;
    struct fth_sha256 *h; /* NULL: not hashed */
    struct fth_sha1 *h1;  /* NULL or no context: no SHA-1 */
    uint64_t size;        /* bytes handed out */
};

static long feed_read(void *data, void *buf, size_t len)
{
    struct feed *f = data;
    long n;

    if (f->off < f->nprobe) {
        n = (long)(len < f->nprobe - f->off ? len : f->nprobe - f->off);
        memcpy(buf, f->probe + f->off, (size_t)n);
        f->off += (size_t)n;
    } else {
        n = fth_entry_read(f->r, buf, len);
    }
    if (n > 0) {
        if (f->h)
            fth_sha256_update(f->h, buf, (size_t)n);
        if (f->h1)
            fth_sha1_update(f->h1, buf, (size_t)n);
        f->size += (uint64_t)n;
    }
    return n;
}

/* Scan data (len bytes), or, when feed is not NULL, the stream it reads, for secrets. */
static int secret_scan(struct ctx *c, struct lstate *ls, const struct fth_entry *e,
                       const void *data, size_t len, struct feed *feed)
{
    struct fth_secret_result res;
    struct fth_error err;
    int error;

    if (!ls->scratch && fth_secret_scratch_new(&ls->scratch, c->opts->secret_rules) < 0)
        return FTH_ENOMEM;
    fth_error_clear(&err);
    if (feed)
        error = fth_secret_scan_stream(&res, ls->a, ls->scratch, c->opts->secret_rules, e->path,
                                       feed_read, feed, &c->sopts, &err);
    else
        error = fth_secret_scan(&res, ls->a, ls->scratch, c->opts->secret_rules, e->path, data, len,
                                &c->sopts, &err);
    if (error < 0)
        return error;
    if (res.skipped == FTH_SECRET_SCANNED) {
        ls->secret_files++;
        ls->secret_bytes += feed ? feed->size : len;
    }
    for (size_t i = 0; i < res.len; i++) {
        struct sfind *s = fth_arena_calloc(ls->a, 1, sizeof(*s));

        if (!s || !(s->path = fth_arena_strdup(ls->a, e->path)))
            return FTH_ENOMEM;
        s->layer = e->layer;
        s->f = &res.findings[i];
        if ((error = fth_vec_push(&ls->secrets, ls->a, s)) < 0)
            return error;
    }
    return 0;
}

/* Read up to n bytes (fewer only at the end). */
static long read_full(struct fth_entry_reader *r, unsigned char *buf, size_t n)
{
    size_t got = 0;

    while (got < n) {
        long k = fth_entry_read(r, buf + got, n - got);

        if (k < 0)
            return k;
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (long)got;
}

/*
 * The rest of a file the catalog streams: fingerprinted when kind is an ELF kind, scanned for
 * secrets when want_secret (whole when it is within the size limit, else in chunks).
 */
static int read_entry(struct ctx *c, struct lstate *ls, const struct fth_entry *e,
                      struct fth_entry_reader *r, const unsigned char *probe, size_t nprobe,
                      const char *kind, int want_secret)
{
    struct fth_sha256 h = {NULL};
    struct fth_sha1 h1 = {NULL};
    struct feed f = {r, probe, nprobe, 0, NULL, NULL, 0};
    char hex[65], sha1[41] = "";
    long n;
    int error = 0;

    if (kind) {
        if ((error = fth_sha256_init(&h)) < 0 ||
            (c->opts->sha1 && (error = fth_sha1_init(&h1)) < 0))
            goto out;
        f.h = &h;
        f.h1 = c->opts->sha1 ? &h1 : NULL;
    }
    if (want_secret && e->size > c->max_secret) {
        if ((error = secret_scan(c, ls, e, NULL, 0, &f)) < 0)
            goto out;
    } else if (want_secret) {
        /* the whole file, within the secret scanner's size limit */
        fth_buf_clear(&ls->buf);
        for (;;) {
            if ((error = fth_buf_grow(&ls->buf, CHUNK)) < 0)
                goto out;
            if ((n = feed_read(&f, ls->buf.ptr + ls->buf.len, CHUNK)) < 0) {
                error = (int)n;
                goto out;
            }
            if (n == 0)
                break;
            ls->buf.len += (size_t)n;
            if (ls->buf.len > c->max_secret) {
                /* larger than its header said: fingerprint it, leave it unscanned */
                want_secret = 0;
                break;
            }
        }
        ls->buf.ptr[ls->buf.len] = '\0';
        if (want_secret && (error = secret_scan(c, ls, e, ls->buf.ptr, ls->buf.len, NULL)) < 0)
            goto out;
    }
    if (!kind)
        goto out;
    /* whatever the secret scan left unread still counts for the fingerprint */
    if ((error = fth_buf_grow(&ls->buf, CHUNK)) < 0)
        goto out;
    while ((n = feed_read(&f, ls->buf.ptr, CHUNK)) > 0)
        ;
    if (n < 0) {
        error = (int)n;
        goto out;
    }
    fth_sha256_final(&h, hex);
    if (h1.ctx)
        fth_sha1_final(&h1, sha1);
    error = add_binary(ls, e, kind, hex, sha1, f.size);
out:
    fth_sha256_release(&h);
    fth_sha1_release(&h1);
    return error;
}

static int visit(void *data, const struct fth_entry *e, const void *content, size_t len,
                 struct fth_entry_reader *r)
{
    struct ctx *c = data;
    struct lstate *ls = &c->layers[e->layer];
    int want_secret = (c->scanners & FTH_SCAN_SECRET) != 0;
    unsigned char probe[PROBE];
    const char *kind;
    long n;
    int error;

    if ((error = fth_image_tree_add(c->tree, e)) < 0)
        return error;
    if ((c->scanners & FTH_SCAN_HYGIENE) && (error = hygiene_entry(ls, e)) < 0)
        return error;
    if (e->type != FTH_ENTRY_FILE)
        return 0;
    ls->files++;
    if (content) {
        kind = c->hash ? elf_kind(content, len, e->path) : NULL;
        if (kind) {
            char hex[65], sha1[41] = "";

            fth_sha256_hex(hex, content, len);
            if (c->opts->sha1)
                fth_sha1_hex(sha1, content, len);
            if ((error = add_binary(ls, e, kind, hex, sha1, len)) < 0)
                return error;
            /* a binary: the secret scanner looks only when asked to (it would skip it) */
            if (!c->sopts.scan_binary)
                return 0;
        }
        return want_secret ? secret_scan(c, ls, e, content, len, NULL) : 0;
    }
    if (!r || (!c->hash && !want_secret))
        return 0;
    if ((n = read_full(r, probe, sizeof(probe))) < 0)
        return (int)n;
    kind = c->hash ? elf_kind(probe, (size_t)n, e->path) : NULL;
    /* an ELF file is binary: the secret scanner would skip it after reading it whole */
    if (want_secret && n >= 4 &&
        !memcmp(probe,
                "\x7f"
                "ELF",
                4) &&
        !c->sopts.scan_binary)
        want_secret = 0;
    if (want_secret && e->size > c->max_secret && !c->sopts.scan_large)
        want_secret = 0;
    if (!kind && !want_secret)
        return 0;
    return read_entry(c, ls, e, r, probe, (size_t)n, kind, want_secret);
}

/* ---- findings ---- */

struct fth_scan_finding *scan_new_finding(struct scan_sink *s, enum fth_finding_class cls)
{
    struct fth_scan_finding *f;

    if (s->v.len >= FTH_LIMIT_SCAN_FINDINGS) {
        s->dropped++;
        return NULL;
    }
    if (!(f = fth_arena_calloc(s->a, 1, sizeof(*f))))
        return NULL;
    f->cls = cls;
    f->id = f->title = f->message = f->path = f->match = f->category = "";
    f->status = f->cvss_vector = f->remediation = "";
    f->severity_source = "none";
    f->cvss_score = -1;
    f->layer = -1;
    f->present = 1;
    if (fth_vec_push(&s->v, s->a, f) < 0)
        return NULL;
    return f;
}

static int add_hygiene(void *data, enum hyg_rule r, const char *message, const char *path,
                       int layer)
{
    struct scan_sink *s = data;
    const struct fth_rule *rule = hyg_rule(r);
    struct fth_scan_finding *f;

    if (s->v.len >= FTH_LIMIT_SCAN_FINDINGS) {
        s->dropped++;
        return 0;
    }
    if (!(f = scan_new_finding(s, FTH_CLASS_HYGIENE)))
        return FTH_ENOMEM;
    f->id = rule->id;
    f->severity = rule->severity;
    f->severity_source = "rule";
    f->title = rule->title;
    f->message = message;
    f->path = path;
    f->layer = layer;
    f->remediation = rule->remediation;
    if (*rule->reference) {
        const char **refs = fth_arena_calloc(s->a, 1, sizeof(*refs));

        if (!refs)
            return FTH_ENOMEM;
        refs[0] = rule->reference;
        f->references = refs;
        f->nreferences = 1;
    }
    return 0;
}

static int hygiene_findings(struct ctx *c, struct scan_sink *s)
{
    for (size_t l = 0; l < c->nlayers; l++) {
        const struct fth_vec *v = &c->layers[l].facts;

        for (size_t i = 0; i < v->len; i++) {
            const struct fact *f = v->items[i];
            const char *msg, *path;
            int error;

            if (!fth_image_tree_visible(c->tree, f->path, f->layer))
                continue;
            switch (f->rule) {
            case HYG_SHELL:
            case HYG_PKG_MANAGER:
            case HYG_NET_TOOL:
                msg = fth_arena_printf(s->a, "'%s' is in the final image (/%s)", f->tool, f->path);
                break;
            case HYG_SETUID:
                msg = fth_arena_printf(s->a, "/%s has mode %04o (%s%s%s)", f->path, f->mode,
                                       (f->mode & 04000) ? "setuid" : "",
                                       (f->mode & 06000) == 06000 ? ", " : "",
                                       (f->mode & 02000) ? "setgid" : "");
                break;
            default:
                msg = fth_arena_printf(s->a, "/%s%s has mode %04o (writable by every user)",
                                       f->path, f->dir ? "/" : "", f->mode);
                break;
            }
            /* the layer arenas go when the scan ends: the path moves to the result's */
            if (!msg || !(path = fth_arena_strdup(s->a, f->path)))
                return FTH_ENOMEM;
            if ((error = add_hygiene(s, f->rule, msg, path, (int)f->layer)) < 0)
                return error;
        }
    }
    return 0;
}

static int secret_findings(struct ctx *c, struct scan_sink *s)
{
    for (size_t l = 0; l < c->nlayers; l++) {
        const struct fth_vec *v = &c->layers[l].secrets;

        for (size_t i = 0; i < v->len; i++) {
            const struct sfind *sf = v->items[i];
            struct fth_scan_finding *f;

            if (!(f = scan_new_finding(s, FTH_CLASS_SECRET))) {
                if (s->v.len >= FTH_LIMIT_SCAN_FINDINGS)
                    continue;
                return FTH_ENOMEM;
            }
            if (!(f->id = fth_arena_strdup(s->a, sf->f->rule_id)) ||
                !(f->title = fth_arena_strdup(s->a, sf->f->title)) ||
                !(f->category = fth_arena_strdup(s->a, sf->f->category)) ||
                !(f->match = fth_arena_strndup(s->a, sf->f->match, sf->f->match_len)) ||
                !(f->path = fth_arena_strdup(s->a, sf->path)))
                return FTH_ENOMEM;
            f->severity = sf->f->severity;
            f->severity_source = "rule";
            f->line = sf->f->start_line;
            f->layer = (int)sf->layer;
            f->present = fth_image_tree_visible(c->tree, sf->path, sf->layer);
            f->message = fth_arena_printf(s->a, "%s in /%s:%u%s", f->title, f->path, f->line,
                                          f->present ? "" : " (deleted by a later layer)");
            f->remediation = "Remove the secret from every layer (rebuild; deleting it in a "
                             "later layer leaves it in the image) and rotate it.";
            if (!f->message)
                return FTH_ENOMEM;
        }
    }
    return 0;
}

static int cmp_binary(const void *x, const void *y)
{
    const struct fth_scan_binary *p = x, *q = y;
    int r = strcmp(p->path, q->path);

    return r ? r : (p->layer > q->layer) - (p->layer < q->layer);
}

static int cmp_hash_key(const void *x, const void *y)
{
    return strcmp(((const struct fth_scan_hash *)x)->sha256,
                  ((const struct fth_scan_hash *)y)->sha256);
}

static int binaries(struct ctx *c, struct fth_scan_result *out, struct scan_sink *s)
{
    size_t n = 0;

    for (size_t l = 0; l < c->nlayers; l++)
        n += c->layers[l].bins.len;
    if (!n)
        return 0;
    if (!(out->binaries = fth_arena_calloc(s->a, n, sizeof(*out->binaries))))
        return FTH_ENOMEM;
    for (size_t l = 0; l < c->nlayers; l++) {
        const struct fth_vec *v = &c->layers[l].bins;

        for (size_t i = 0; i < v->len; i++) {
            struct fth_scan_binary *b = &out->binaries[out->nbinaries++];

            *b = *(const struct fth_scan_binary *)v->items[i];
            if (!(b->path = fth_arena_strdup(s->a, b->path)))
                return FTH_ENOMEM;
            b->present = fth_image_tree_visible(c->tree, b->path, b->layer);
        }
    }
    qsort(out->binaries, out->nbinaries, sizeof(*out->binaries), cmp_binary);
    if (!c->opts->bad_hashes)
        return 0;
    for (size_t i = 0; i < out->nbinaries; i++) {
        const struct fth_scan_binary *b = &out->binaries[i];
        const struct fth_scan_hashes *hs = c->opts->bad_hashes;
        struct fth_scan_hash key;
        const struct fth_scan_hash *hit;
        const char *msg;
        int error;

        memcpy(key.sha256, b->sha256, 65);
        key.note = "";
        if (!(hit = bsearch(&key, hs->items, hs->len, sizeof(*hs->items), cmp_hash_key)))
            continue;
        msg = fth_arena_printf(s->a, "/%s (sha256:%s)%s%s%s", b->path, b->sha256,
                               *hit->note ? ": " : "", hit->note,
                               b->present ? "" : " (deleted by a later layer)");
        if (!msg)
            return FTH_ENOMEM;
        if ((error = add_hygiene(s, HYG_BAD_BINARY, msg, b->path, (int)b->layer)) < 0)
            return error;
        ((struct fth_scan_finding *)s->v.items[s->v.len - 1])->present = b->present;
    }
    return 0;
}

/* ---- vulnerabilities ---- */

/* The advisory's page: the database keeps no reference list, so the id's home names one. */
static const char *reference_for(struct fth_arena *a, const char *id)
{
    if (!strncmp(id, "GHSA-", 5))
        return fth_arena_printf(a, "https://github.com/advisories/%s", id);
    if (!strncmp(id, "CVE-", 4))
        return fth_arena_printf(a, "https://nvd.nist.gov/vuln/detail/%s", id);
    if (!strncmp(id, "DEBIAN-", 7))
        return fth_arena_printf(a, "https://security-tracker.debian.org/tracker/%s", id + 7);
    if (!strncmp(id, "DSA-", 4) || !strncmp(id, "DLA-", 4))
        return fth_arena_printf(a, "https://security-tracker.debian.org/tracker/%s", id);
    if (!strncmp(id, "ALPINE-", 7))
        return fth_arena_printf(a, "https://security.alpinelinux.org/vuln/%s", id + 7);
    if (!strncmp(id, "GO-", 3))
        return fth_arena_printf(a, "https://pkg.go.dev/vuln/%s", id);
    if (!strncmp(id, "RUSTSEC-", 8))
        return fth_arena_printf(a, "https://rustsec.org/advisories/%s", id);
    return fth_arena_printf(a, "https://osv.dev/vulnerability/%s", id);
}

/* CVSS v3 first (what most advisories and Trivy rate by), then v4, then v2. */
static void rate(struct fth_scan_finding *f, const struct fth_vulndb_match *m)
{
    static const char *const order[] = {"CVSS_V3", "CVSS_V4", "CVSS_V2"};
    enum fth_severity sev;

    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < m->nseverity; i++) {
            struct fth_cvss cv;

            if (strcmp(m->severity[i].type, order[k]) ||
                fth_cvss_parse(&cv, m->severity[i].score, NULL) < 0)
                continue;
            f->cvss_score = cv.base_score;
            f->cvss_vector = m->severity[i].score;
            f->severity_source = "cvss";
            f->severity = fth_severity_parse(&sev, cv.severity) == 0 ? sev : FTH_SEV_UNKNOWN;
            return;
        }
    }
    /* the distro's urgency (Debian: unimportant, low, medium, high) */
    if (m->distro_severity && *m->distro_severity) {
        const char *d = m->distro_severity;

        f->severity_source = "distro";
        if (!strcasecmp(d, "unimportant") || !strcasecmp(d, "negligible"))
            f->severity = FTH_SEV_LOW;
        else if (fth_severity_parse(&sev, d) == 0)
            f->severity = sev;
        else
            f->severity = FTH_SEV_UNKNOWN;
    }
}

/* The ecosystem, package name, version and release a package is looked up by. */
struct query {
    const char *ecosystem, *name, *version;
    struct fth_vulndb_match_opts mo;
};

static void make_query(struct query *q, const struct fth_package *p, const struct fth_os *os)
{
    struct fth_vulndb_match_opts init = FTH_VULNDB_MATCH_OPTS_INIT;

    q->mo = init;
    q->ecosystem = p->ecosystem;
    q->name = p->name;
    q->version = p->version;
    if (!strcmp(p->type, "deb") || !strcmp(p->type, "apk")) {
        /* distro advisories name the source package (Debian source, Alpine origin) */
        if (!strcmp(os->id, "ubuntu"))
            q->ecosystem = "Ubuntu";
        q->mo.release = *os->release ? os->release : os->codename;
        if (*p->src_name)
            q->mo.source = p->src_name;
        if (!strcmp(p->type, "deb") && *p->src_version)
            q->version = p->src_version;
    }
}

static int vuln_package(struct scan_sink *s, struct fth_vulndb *db, const struct fth_package *p,
                        const struct fth_os *os, size_t *unsupported)
{
    struct fth_vulndb_match *m = NULL;
    struct fth_error lerr;
    struct query q;
    size_t n = 0;
    int error;

    if (!*p->ecosystem || !*p->version) {
        (*unsupported)++;
        return 0;
    }
    make_query(&q, p, os);
    fth_error_clear(&lerr);
    if ((error = fth_vulndb_lookup(&m, &n, s->a, db, q.ecosystem, q.name, q.version, &q.mo,
                                   &lerr)) < 0) {
        if (error == FTH_ENOMEM)
            return error;
        /* an ecosystem the database cannot compare, or a version it cannot parse */
        (*unsupported)++;
        fth_log(FTH_LOG_DEBUG, "scan", "'%s' %s %s: not matched: %s", p->ecosystem, p->name,
                p->version, lerr.message);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        struct fth_scan_finding *f = scan_new_finding(s, FTH_CLASS_VULNERABILITY);
        const char **refs;
        size_t nrefs = 0;

        if (!f) {
            if (s->v.len >= FTH_LIMIT_SCAN_FINDINGS)
                return 0;
            return FTH_ENOMEM;
        }
        f->id = m[i].id;
        f->aliases = m[i].aliases;
        f->naliases = m[i].naliases;
        f->fixed = m[i].fixed;
        f->nfixed = m[i].nfixed;
        f->status = m[i].status && *m[i].status ? m[i].status : (m[i].nfixed ? "fixed" : "unfixed");
        f->pkg = p;
        f->path = p->path;
        f->layer = (int)p->layer;
        f->present = !p->hidden;
        f->title = *m[i].summary ? m[i].summary : m[i].id;
        rate(f, &m[i]);
        if (!(refs = fth_arena_calloc(s->a, 1 + m[i].naliases, sizeof(*refs))))
            return FTH_ENOMEM;
        if (!(refs[nrefs++] = reference_for(s->a, f->id)))
            return FTH_ENOMEM;
        for (size_t k = 0; k < m[i].naliases; k++)
            if (!(refs[nrefs++] = reference_for(s->a, m[i].aliases[k])))
                return FTH_ENOMEM;
        f->references = refs;
        f->nreferences = nrefs;
        if (f->nfixed) {
            struct fth_buf b = FTH_BUF_INIT;

            for (size_t k = 0; k < f->nfixed; k++)
                if (fth_buf_printf(&b, "%s%s", k ? ", " : "", f->fixed[k]) < 0) {
                    fth_buf_release(&b);
                    return FTH_ENOMEM;
                }
            f->message = fth_arena_printf(s->a, "%s %s: fixed in %s%s", p->name, p->version, b.ptr,
                                          p->hidden ? " (deleted by a later layer)" : "");
            f->remediation = fth_arena_printf(s->a, "Upgrade %s to %s.",
                                              *p->src_name ? p->src_name : p->name, b.ptr);
            fth_buf_release(&b);
        } else {
            f->message = fth_arena_printf(s->a, "%s %s: %s%s", p->name, p->version, f->status,
                                          p->hidden ? " (deleted by a later layer)" : "");
            f->remediation = "";
        }
        if (!f->message || !f->remediation)
            return FTH_ENOMEM;
    }
    return 0;
}

/* ---- result ---- */

static int class_rank(enum fth_finding_class c)
{
    return c == FTH_CLASS_VULNERABILITY ? 0
           : c == FTH_CLASS_SECRET      ? 1
           : c == FTH_CLASS_LICENSE     ? 2
                                        : 3;
}

static int cmp_finding(const void *x, const void *y)
{
    const struct fth_scan_finding *p = x, *q = y;
    int r;

    if ((r = class_rank(p->cls) - class_rank(q->cls)))
        return r;
    if (p->pkg && q->pkg) {
        if ((r = strcmp(p->pkg->name, q->pkg->name)) ||
            (r = strcmp(p->pkg->version, q->pkg->version)) ||
            (r = strcmp(p->pkg->path, q->pkg->path)))
            return r;
    }
    if ((r = strcmp(p->id, q->id)) || (r = strcmp(p->path, q->path)))
        return r;
    if (p->layer != q->layer)
        return p->layer < q->layer ? -1 : 1;
    return (p->line > q->line) - (p->line < q->line);
}

static int newest_import(struct fth_scan_result *out, struct fth_arena *a, struct fth_vulndb *db,
                         struct fth_error *err)
{
    struct fth_vulndb_info info;
    int error;

    out->db_imported_at = "";
    if ((error = fth_vulndb_info(&info, a, db, err)) < 0)
        return error;
    for (size_t i = 0; i < info.nsources; i++)
        if (strcmp(info.sources[i].imported_at, out->db_imported_at) > 0)
            out->db_imported_at = info.sources[i].imported_at;
    return 0;
}

int fth_scan_image(struct fth_scan_result *out, struct fth_arena *a, struct fth_image *img,
                   const struct fth_scan_opts *opts, struct fth_error *err)
{
    struct fth_catalog_opts co = FTH_CATALOG_OPTS_INIT;
    struct ctx c;
    struct scan_sink s;
    int error = 0;

    memset(out, 0, sizeof(*out));
    memset(&c, 0, sizeof(c));
    memset(&s, 0, sizeof(s));
    out->db_imported_at = "";
    c.opts = opts;
    if (opts->secret_opts)
        c.sopts = *opts->secret_opts;
    else
        c.sopts = (struct fth_secret_scan_opts)FTH_SECRET_SCAN_OPTS_INIT;
    c.max_secret = c.sopts.max_size ? c.sopts.max_size : FTH_LIMIT_SECRET_FILE_SIZE;
    c.scanners = opts->scanners;
    c.hash = opts->binaries || opts->bad_hashes;
    c.nlayers = img->nlayers;
    s.a = a;
    out->scanners = c.scanners;
    if ((c.scanners & FTH_SCAN_VULN) && !opts->db)
        return fth_error_set(err, FTH_EUSAGE, "the vulnerability scanner needs a database");
    if ((c.scanners & FTH_SCAN_SECRET) && !opts->secret_rules)
        return fth_error_set(err, FTH_EUSAGE, "the secret scanner needs its rules");
    if ((error = fth_image_tree_new(&c.tree, img->nlayers)) < 0)
        return fth_error_set(err, error, "out of memory");
    if (img->nlayers && !(c.layers = calloc(img->nlayers, sizeof(*c.layers)))) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t l = 0; l < c.nlayers; l++) {
        if (!(c.layers[l].a = fth_arena_new())) {
            error = fth_error_set(err, FTH_ENOMEM, "out of memory");
            goto out;
        }
        fth_buf_init(&c.layers[l].buf);
    }
    co.threads = opts->threads;
    co.today = opts->today;
    co.cache_dir = opts->cache_dir;
    co.hidden = 1;
    co.visit = visit;
    co.visit_data = &c;
    if ((error = fth_catalog_image(&out->inv, a, img, &co, err)) < 0)
        goto out;
    for (size_t l = 0; l < c.nlayers; l++) {
        out->stats.files += c.layers[l].files;
        out->stats.secret_files += c.layers[l].secret_files;
        out->stats.secret_bytes += c.layers[l].secret_bytes;
    }
    if ((c.scanners & FTH_SCAN_VULN)) {
        if ((error = newest_import(out, a, opts->db, err)) < 0)
            goto out;
        for (size_t i = 0; i < out->inv.npackages; i++) {
            out->stats.packages++;
            if ((error = vuln_package(&s, opts->db, &out->inv.packages[i], &out->inv.os,
                                      &out->stats.unsupported)) < 0) {
                fth_error_set(err, error, "out of memory");
                goto out;
            }
        }
    }
    if ((c.scanners & FTH_SCAN_LICENSE) &&
        (error = scan_license_findings(&s, &out->inv, opts->license_deny)) < 0)
        goto oom;
    if ((c.scanners & FTH_SCAN_SECRET) && (error = secret_findings(&c, &s)) < 0)
        goto oom;
    if ((c.scanners & FTH_SCAN_HYGIENE) &&
        ((error = hyg_config(img, &out->inv.os, a, add_hygiene, &s)) < 0 ||
         (error = hygiene_findings(&c, &s)) < 0))
        goto oom;
    if (c.hash && (error = binaries(&c, out, &s)) < 0)
        goto oom;
    if (s.dropped)
        fth_log(FTH_LOG_WARN, "scan", "'%s': more than %d findings: %zu not kept", img->ref,
                FTH_LIMIT_SCAN_FINDINGS, s.dropped);
    if (s.v.len && !(out->findings = fth_arena_calloc(a, s.v.len, sizeof(*out->findings))))
        goto oom;
    for (size_t i = 0; i < s.v.len; i++)
        out->findings[i] = *(struct fth_scan_finding *)s.v.items[i];
    out->nfindings = s.v.len;
    if (out->nfindings > 1)
        qsort(out->findings, out->nfindings, sizeof(*out->findings), cmp_finding);
    goto out;
oom:
    error = fth_error_set(err, FTH_ENOMEM, "out of memory");
out:
    for (size_t l = 0; c.layers && l < c.nlayers; l++) {
        fth_secret_scratch_free(c.layers[l].scratch);
        fth_buf_release(&c.layers[l].buf);
        fth_arena_free(c.layers[l].a);
    }
    free(c.layers);
    fth_image_tree_free(c.tree);
    return error;
}

int fth_scan_visible_inventory(struct fth_inventory *out, struct fth_arena *a,
                               const struct fth_inventory *inv)
{
    *out = *inv;
    out->packages = NULL;
    out->npackages = 0;
    if (inv->npackages &&
        !(out->packages = fth_arena_calloc(a, inv->npackages, sizeof(*out->packages))))
        return FTH_ENOMEM;
    for (size_t i = 0; i < inv->npackages; i++)
        if (!inv->packages[i].hidden)
            out->packages[out->npackages++] = inv->packages[i];
    return 0;
}

int fth_scan_scanners_parse(unsigned *out, const char *list, struct fth_error *err)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"vuln", FTH_SCAN_VULN},       {"vulnerability", FTH_SCAN_VULN},
                 {"secret", FTH_SCAN_SECRET},   {"secrets", FTH_SCAN_SECRET},
                 {"license", FTH_SCAN_LICENSE}, {"licence", FTH_SCAN_LICENSE},
                 {"hygiene", FTH_SCAN_HYGIENE}};
    const char *s = list;

    *out = 0;
    while (*s) {
        size_t n = strcspn(s, ","), k;

        for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
            if (strlen(names[k].name) == n && !strncmp(s, names[k].name, n))
                break;
        if (k == sizeof(names) / sizeof(names[0]))
            return fth_error_set(err, FTH_EUSAGE,
                                 "unknown scanner '%.*s': expected vuln, secret, license or "
                                 "hygiene",
                                 (int)(n > 32 ? 32 : n), s);
        *out |= names[k].bit;
        s += n + (s[n] == ',');
    }
    if (!*out)
        return fth_error_set(err, FTH_EUSAGE, "no scanner in '%s'", list);
    return 0;
}
