/*
 * Go binaries: the build info the Go linker embeds in every executable since Go 1.13 (the
 * "\xff Go buildinf:" header, read by `go version -m`). It names the Go toolchain, the main
 * module and every module compiled in, with `=>` replacements and the build settings.
 *
 * Two layouts: before Go 1.18 the header holds two pointers to Go string headers elsewhere in
 * the data (resolved through the ELF program headers); from 1.18 on the two strings follow the
 * header inline, each prefixed by its varint length. The inline form is found the same way in
 * ELF, Mach-O and PE files; the pointer form is read from ELF only.
 *
 * What is reported follows Trivy's Go binary parser: a "stdlib" package at the toolchain's
 * version ("go1.22.1 X:loopvar" -> "v1.22.1"), one package per dependency (its replacement
 * when replaced), and the main module, whose "(devel)" version falls back to a semver set with
 * `-ldflags "-X main.version=..."`; the main module depends on all the others.
 */
#include <string.h>
#include <strings.h>

#include <fathom/base.h>

#include "base/limits.h"
#include "catalog_int.h"

#define BUILDINFO_MAGIC "\xff Go buildinf:"
#define BUILDINFO_MAGIC_LEN 14
#define BUILDINFO_HEADER 32
#define BUILDINFO_FLAG_BIG 0x1
#define BUILDINFO_FLAG_INLINE 0x2

struct gomod {
    const char *path;
    const char *version;
};

struct goinfo {
    const char *goversion;
    struct gomod main;
    struct fth_vec deps; /* struct gomod *, replacement applied */
    const char *ldflags;
};

static int is_executable(const unsigned char *d, size_t len)
{
    static const unsigned char macho[][4] = {{0xfe, 0xed, 0xfa, 0xce},
                                             {0xfe, 0xed, 0xfa, 0xcf},
                                             {0xce, 0xfa, 0xed, 0xfe},
                                             {0xcf, 0xfa, 0xed, 0xfe}};

    if (cat_elf_is(d, len))
        return 1;
    if (len >= 2 && d[0] == 'M' && d[1] == 'Z')
        return 1;
    for (size_t i = 0; len >= 4 && i < sizeof(macho) / sizeof(macho[0]); i++)
        if (!memcmp(d, macho[i], 4))
            return 1;
    return 0;
}

/* Find the header: Go aligns it to 16 bytes in memory; any offset is accepted here. */
static const unsigned char *find_magic(const unsigned char *d, size_t len)
{
    const unsigned char *p = d, *end = d + len;

    while ((size_t)(end - p) >= BUILDINFO_HEADER) {
        const unsigned char *m = memchr(p, 0xff, (size_t)(end - p) - BUILDINFO_HEADER + 1);

        if (!m)
            return NULL;
        if (!memcmp(m, BUILDINFO_MAGIC, BUILDINFO_MAGIC_LEN))
            return m;
        p = m + 1;
    }
    return NULL;
}

/* An unsigned varint (Go's encoding/binary): 0 and *out, or -1 when cut short or too long. */
static int read_uvarint(const unsigned char **p, const unsigned char *end, uint64_t *out)
{
    uint64_t v = 0;

    for (unsigned shift = 0; shift < 64 && *p < end; shift += 7) {
        unsigned char b = *(*p)++;

        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

static const char *inline_string(struct fth_arena *a, const unsigned char **p,
                                 const unsigned char *end, size_t *len)
{
    uint64_t n;

    if (read_uvarint(p, end, &n) < 0 || n > (uint64_t)(end - *p))
        return NULL;
    *p += n;
    *len = (size_t)n;
    return fth_arena_strndup(a, (const char *)*p - n, (size_t)n);
}

/* A Go string header (data pointer, length) at virtual address addr, pre-1.18 layout. */
static const char *pointer_string(struct fth_arena *a, const struct cat_elf *e,
                                  const struct cat_elf *bo, uint64_t addr, size_t ptrsize,
                                  size_t *len)
{
    const unsigned char *p;
    size_t avail;
    uint64_t data, n;

    if (cat_elf_vaddr(e, addr, &p, &avail) < 0 || avail < 2 * ptrsize)
        return NULL;
    /* the header states its own byte order (bo); segments are read in the file's */
    data = cat_elf_uint(bo, p, ptrsize);
    n = cat_elf_uint(bo, p + ptrsize, ptrsize);
    if (cat_elf_vaddr(e, data, &p, &avail) < 0 || n > avail)
        return NULL;
    *len = (size_t)n;
    return fth_arena_strndup(a, (const char *)p, (size_t)n);
}

/*
 * Go's strconv.Unquote for the double- and back-quoted values `go version -m` writes for build
 * settings. NULL when malformed.
 */
static const char *go_unquote(struct fth_arena *a, const char *s, size_t len)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *out = NULL;
    size_t i;

    if (len < 2 || s[len - 1] != s[0])
        goto out;
    if (s[0] == '`') {
        out = memchr(s + 1, '`', len - 2) ? NULL : fth_arena_strndup(a, s + 1, len - 2);
        goto out;
    }
    for (i = 1; i < len - 1; i++) {
        char c = s[i];

        if (c == '"')
            goto out;
        if (c != '\\') {
            if (fth_buf_putc(&b, c) < 0)
                goto out;
            continue;
        }
        if (++i >= len - 1)
            goto out;
        switch (s[i]) {
        case 'n':
            c = '\n';
            break;
        case 't':
            c = '\t';
            break;
        case 'r':
            c = '\r';
            break;
        case 'a':
            c = '\a';
            break;
        case 'b':
            c = '\b';
            break;
        case 'f':
            c = '\f';
            break;
        case 'v':
            c = '\v';
            break;
        case '\\':
            c = '\\';
            break;
        case '"':
            c = '"';
            break;
        case '\'':
            c = '\'';
            break;
        case 'x': {
            unsigned v = 0;

            for (int k = 0; k < 2; k++) {
                char h = ++i < len - 1 ? s[i] : 0;

                if (h >= '0' && h <= '9')
                    v = v * 16 + (unsigned)(h - '0');
                else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f')
                    v = v * 16 + (unsigned)((h | 0x20) - 'a' + 10);
                else
                    goto out;
            }
            c = (char)v;
            break;
        }
        default:
            /* \u, \U and octal escapes never appear in build settings Go writes */
            goto out;
        }
        if (fth_buf_putc(&b, c) < 0)
            goto out;
    }
    out = fth_arena_strndup(a, b.ptr, b.len);
out:
    fth_buf_release(&b);
    return out;
}

/* Split a tab-separated line into at most max fields; returns the count. */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;

    while (n < max) {
        char *t = strchr(line, '\t');

        f[n++] = line;
        if (!t)
            break;
        *t = '\0';
        line = t + 1;
    }
    return n;
}

/*
 * debug.ParseBuildInfo: "path", "mod", "dep", "=>" and "build" lines. Malformed lines are
 * warned about and skipped; the rest still counts.
 */
static int parse_modinfo(struct goinfo *gi, struct cat_sink *s, const struct cat_file *f, char *mod)
{
    struct fth_arena *a = cat_arena(s);
    struct gomod *last = NULL;
    unsigned lineno = 0;
    char *line = mod;

    while (line && *line) {
        char *nl = strchr(line, '\n'), *fl[4];
        size_t n;

        if (nl)
            *nl = '\0';
        lineno++;
        if (!strncmp(line, "path\t", 5)) {
            /* the package path; the module comes from "mod" */
        } else if (!strncmp(line, "mod\t", 4) || !strncmp(line, "dep\t", 4)) {
            struct gomod *m;

            n = split_tabs(line + 4, fl, 4);
            if (n < 2 || n > 3 || !*fl[0]) {
                cat_warn(s, f, 0, "build info line %u: malformed '%.4s' line", lineno, line);
            } else if (line[0] == 'm') {
                if (!(gi->main.path = fth_arena_strdup(a, fl[0])) ||
                    !(gi->main.version = fth_arena_strdup(a, fl[1])))
                    return FTH_ENOMEM;
                last = &gi->main;
            } else {
                if (!(m = fth_arena_calloc(a, 1, sizeof(*m))) ||
                    !(m->path = fth_arena_strdup(a, fl[0])) ||
                    !(m->version = fth_arena_strdup(a, fl[1])) || fth_vec_push(&gi->deps, a, m) < 0)
                    return FTH_ENOMEM;
                last = m;
            }
        } else if (!strncmp(line, "=>\t", 3)) {
            n = split_tabs(line + 3, fl, 4);
            if (n < 2 || n > 3 || !last) {
                cat_warn(s, f, 0, "build info line %u: malformed replacement", lineno);
            } else {
                /* a replacement stands for the module it replaces */
                if (!(last->path = fth_arena_strdup(a, fl[0])) ||
                    !(last->version = fth_arena_strdup(a, fl[1])))
                    return FTH_ENOMEM;
                last = NULL;
            }
        } else if (!strncmp(line, "build\t", 6)) {
            const char *kv = line + 6, *eq = strchr(kv, '=');

            if (!eq || eq == kv) {
                cat_warn(s, f, 0, "build info line %u: malformed build setting", lineno);
            } else if ((size_t)(eq - kv) == 8 && !memcmp(kv, "-ldflags", 8)) {
                const char *v = eq + 1;
                size_t vlen = strlen(v);

                gi->ldflags = (*v == '"' || *v == '`') ? go_unquote(a, v, vlen)
                                                       : fth_arena_strndup(a, v, vlen);
                if (!gi->ldflags)
                    cat_warn(s, f, 0, "build info line %u: malformed quoted -ldflags", lineno);
            }
        } else if (*line) {
            cat_warn(s, f, 0, "build info line %u: unknown line", lineno);
        }
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

static int digits(const char **p)
{
    const char *s = *p;

    if (*s < '0' || *s > '9')
        return 0;
    if (*s == '0' && s[1] >= '0' && s[1] <= '9')
        return 0; /* no leading zeros */
    while (**p >= '0' && **p <= '9')
        (*p)++;
    return 1;
}

/* Identifiers of a pre-release or build suffix: [0-9A-Za-z-]+ separated by dots. */
static int idents(const char **p, int numeric_no_zero)
{
    for (;;) {
        const char *start = *p;
        int all_digits = 1;

        while ((**p >= '0' && **p <= '9') || (**p >= 'a' && **p <= 'z') ||
               (**p >= 'A' && **p <= 'Z') || **p == '-') {
            if (**p < '0' || **p > '9')
                all_digits = 0;
            (*p)++;
        }
        if (*p == start)
            return 0;
        if (numeric_no_zero && all_digits && *start == '0' && *p - start > 1)
            return 0;
        if (**p != '.')
            return 1;
        (*p)++;
    }
}

/* golang.org/x/mod/semver.IsValid: vMAJOR[.MINOR[.PATCH[-pre][+build]]]. */
static int go_semver_valid(const char *v)
{
    const char *p = v;

    if (*p++ != 'v' || !digits(&p))
        return 0;
    if (!*p)
        return 1;
    if (*p++ != '.' || !digits(&p))
        return 0;
    if (!*p)
        return 1;
    if (*p++ != '.' || !digits(&p))
        return 0;
    if (*p == '-') {
        p++;
        if (!idents(&p, 1))
            return 0;
    }
    if (*p == '+') {
        p++;
        if (!idents(&p, 0))
            return 0;
    }
    return !*p;
}

/* Is key (an -X symbol) a version variable: "main.version", "x.y.Ver"? */
static int version_key(const char *key, size_t len)
{
    static const char *const suffixes[] = {".version", ".ver"};

    while (len && *key == '\'') {
        key++;
        len--;
    }
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        size_t n = strlen(suffixes[i]);

        if (len >= n && !strncasecmp(key + len - n, suffixes[i], n))
            return 1;
    }
    return 0;
}

/* One -X value "k=v[,k=v...]": the version, or NULL. */
static const char *x_version(struct fth_arena *a, const char *val, size_t len)
{
    if (len >= 2 && val[0] == '"' && val[len - 1] == '"') {
        val++;
        len -= 2;
    }
    while (len) {
        const char *comma = memchr(val, ',', len);
        size_t n = comma ? (size_t)(comma - val) : len;
        const char *eq = memchr(val, '=', n);

        if (eq && version_key(val, (size_t)(eq - val))) {
            const char *v = eq + 1;
            size_t vlen = n - (size_t)(v - val);
            char *ver;

            while (vlen && v[vlen - 1] == '\'')
                vlen--;
            if (!(ver = fth_arena_strndup(a, v, vlen)))
                return NULL;
            if (go_semver_valid(ver))
                return ver;
            if (vlen < FTH_LIMIT_VERSION_LEN) {
                const char *pv = fth_arena_printf(a, "v%s", ver);

                if (pv && go_semver_valid(pv))
                    return ver;
            }
        }
        if (!comma)
            break;
        len -= n + 1;
        val = comma + 1;
    }
    return NULL;
}

/* The version a `-X pkg.version=...` in the -ldflags setting stamps, or "". */
static const char *ldflags_version(struct fth_arena *a, const char *ldflags)
{
    const char *p = ldflags, *want_value = NULL;

    if (!ldflags)
        return "";
    while (*p) {
        const char *w, *v = NULL;
        size_t n;

        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f')
            p++;
        if (!*p)
            break;
        w = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\v' &&
               *p != '\f')
            p++;
        n = (size_t)(p - w);
        if (want_value) {
            v = x_version(a, w, n);
            want_value = NULL;
        } else if (n == 2 && !memcmp(w, "-X", 2)) {
            want_value = w;
        } else if (n > 3 && !memcmp(w, "-X=", 3)) {
            v = x_version(a, w + 3, n - 3);
        } else if (n > 2 && !memcmp(w, "-X", 2) && w[2] != '-') {
            v = x_version(a, w + 2, n - 2);
        }
        if (v)
            return v;
    }
    return "";
}

static struct fth_package *add_pkg(struct cat_sink *s, const struct cat_file *f, const char *name,
                                   const char *version)
{
    struct fth_package *p = cat_add(s, f);

    if (!p)
        return NULL;
    p->type = "go-module";
    p->ecosystem = "Go";
    p->name = name;
    p->version = version;
    return p;
}

static int emit(struct cat_sink *s, const struct cat_file *f, struct goinfo *gi)
{
    struct fth_arena *a = cat_arena(s);
    const char **depends;
    struct fth_package *root;
    size_t ndep = 0;
    char *stdv;

    if (!(depends = fth_arena_calloc(a, gi->deps.len + 1, sizeof(*depends))))
        return FTH_ENOMEM;
    /* "go1.22.1 X:loopvar" -> "v1.22.1" */
    {
        const char *v = gi->goversion;
        size_t n;

        if (!strncmp(v, "go", 2))
            v += 2;
        n = strcspn(v, " ");
        if (!(stdv = fth_arena_printf(a, "v%.*s", (int)n, v)))
            return FTH_ENOMEM;
    }
    if (!add_pkg(s, f, "stdlib", stdv))
        return FTH_ENOMEM;
    depends[ndep++] = "stdlib";
    for (size_t i = 0; i < gi->deps.len; i++) {
        const struct gomod *m = gi->deps.items[i];

        if (!*m->path)
            continue;
        if (!add_pkg(s, f, m->path, strcmp(m->version, "(devel)") ? m->version : ""))
            return FTH_ENOMEM;
        depends[ndep++] = m->path;
    }
    if (!gi->main.path || !*gi->main.path)
        return 0;
    if (!(root = add_pkg(s, f, gi->main.path,
                         strcmp(gi->main.version, "(devel)") ? gi->main.version : "")))
        return FTH_ENOMEM;
    if (!*root->version)
        root->version = ldflags_version(a, gi->ldflags);
    if (!root->version)
        return FTH_ENOMEM;
    root->depends = depends;
    root->ndepends = ndep;
    return 0;
}

static int gobinary_parse(struct cat_sink *s, const struct cat_file *f)
{
    struct fth_arena *a = cat_arena(s);
    const unsigned char *region = f->data, *h, *end;
    size_t rlen = f->len;
    struct goinfo gi;
    struct cat_elf elf, bo;
    const char *mod;
    int is_elf, rc, error = 0;
    char *text;
    size_t vlen = 0, mlen = 0;

    memset(&gi, 0, sizeof(gi));
    if (!is_executable(f->data, f->len))
        goto out; /* scripts and data files with an exec bit: not ours, not a problem */
    is_elf = cat_elf_open(&elf, f->data, f->len) == 0;
    if (is_elf) {
        const unsigned char *sec;
        size_t slen;

        /*
         * The section when the file has one. Go has written it since 1.13, so an ELF file with
         * a section table but without it is not Go: not worth a scan (most of /usr/bin). With
         * no section table (stripped headers, packers) the whole file is searched.
         */
        rc = cat_elf_section(&elf, ".go.buildinfo", &sec, &slen, NULL);
        if (rc == 0) {
            region = sec;
            rlen = slen;
        } else if (elf.shnum && rc == FTH_ENOTFOUND) {
            goto out;
        }
    }
    if (!(h = find_magic(region, rlen)))
        goto out; /* not a Go binary */
    end = region + rlen;
    if (h[15] & BUILDINFO_FLAG_INLINE) {
        const unsigned char *p = h + BUILDINFO_HEADER;

        gi.goversion = inline_string(a, &p, end, &vlen);
        mod = gi.goversion ? inline_string(a, &p, end, &mlen) : NULL;
    } else {
        size_t ptrsize = h[14];

        if ((ptrsize != 4 && ptrsize != 8) || !is_elf) {
            cat_warn(s, f, 0, "go build info: unsupported pointer layout (size %zu)", ptrsize);
            goto out;
        }
        bo = elf;
        bo.big = (h[15] & BUILDINFO_FLAG_BIG) != 0;
        gi.goversion =
            pointer_string(a, &elf, &bo, cat_elf_uint(&bo, h + 16, ptrsize), ptrsize, &vlen);
        mod = gi.goversion
                  ? pointer_string(a, &elf, &bo, cat_elf_uint(&bo, h + 16 + ptrsize, ptrsize),
                                   ptrsize, &mlen)
                  : NULL;
    }
    if (!gi.goversion || !mod) {
        cat_warn(s, f, 0, "go build info: version or module strings outside the file");
        goto out;
    }
    if (!*gi.goversion || strlen(gi.goversion) != vlen) {
        cat_warn(s, f, 0, "go build info: empty or malformed go version");
        goto out;
    }
    /* the module text is framed by 16 sentinel bytes on each side (which may hold NULs) */
    if (mlen >= 33 && mod[mlen - 17] == '\n') {
        text = fth_arena_strndup(a, mod + 16, mlen - 32);
    } else {
        text = fth_arena_strdup(a, "");
    }
    if (!text) {
        error = FTH_ENOMEM;
        goto out;
    }
    if ((error = parse_modinfo(&gi, s, f, text)) < 0)
        goto out;
    error = emit(s, f, &gi);
out:
    return error;
}

/*
 * Executables by permission: wants sees no bytes, so the magic is checked in parse. Too small
 * to hold a Go runtime: skipped.
 */
static int gobinary_wants(const char *path, uint64_t size, unsigned mode)
{
    (void)path;
    return (mode & 0111) && size >= FTH_LIMIT_BINARY_MIN_SIZE && size <= FTH_LIMIT_CATALOG_FILE;
}

const struct cataloger cat_gobinary = {"gobinary", gobinary_wants, gobinary_parse};
