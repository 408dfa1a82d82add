/*
 * Java archives (jar, war, ear, par, sar, jpi, hpi, kar): Maven coordinates from the
 * archive's own metadata, recursively through the archives nested in it (jars under WEB-INF/lib,
 * Spring Boot's BOOT-INF/lib, ...), which are inflated to memory within the limits.h bounds.
 *
 * The rules are Trivy's jar parser in offline mode (no Maven Central look-ups):
 *  - every `pom.properties` (any directory) with groupId, artifactId and version is a package
 *    "groupId:artifactId" of the archive that holds it (shaded jars carry several);
 *  - when none of them is the archive itself (its file name "artifactId-version.jar" does not
 *    match one), the main section of META-INF/MANIFEST.MF names it: group from
 *    Implementation-Vendor-Id, Bundle-SymbolicName (up to its last dot), Implementation-Vendor
 *    or Specification-Vendor; artifact from Implementation-Title, Specification-Title or
 *    Bundle-Name; version from Implementation-, Specification- or Bundle-Version;
 *  - otherwise the archive itself is not identified (Trivy would ask Maven Central by SHA-1
 *    and then guess the group from the file name; neither is possible offline);
 *  - licences: <licenses> of META-INF/maven/G/A/pom.xml for package G:A, then for the
 *    archive's own package the manifest's Jenkins Plugin-License-Name[-N] or its OSGi
 *    Bundle-License entries that are SPDX identifiers or well-known licence URLs;
 *  - duplicates (same name and archive path, versions equal as Maven compares them) once.
 * A package's path is the archive's path, with "/inner/path.jar" appended per nesting level;
 * its digest is "sha1:" of the bytes of the archive that declared it.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <archive.h>
#include <archive_entry.h>

#include <fathom/base.h>
#include <fathom/version.h>

#include "base/limits.h"
#include "catalog_int.h"

static const char *const archive_exts[] = {".jar", ".war", ".ear", ".par",
                                           ".sar", ".jpi", ".hpi", ".kar"};

struct jpkg {
    const char *name;
    const char *version;
    const char *path;
    const char *digest;
    struct fth_license *lic;
    size_t nlic;
};

struct jar_ctx {
    struct cat_sink *s;
    const struct cat_file *f;
    struct fth_arena *a;
    struct fth_vec pkgs; /* struct jpkg * */
    uint64_t expanded;   /* bytes inflated so far, all levels */
    int64_t declared;    /* the current member's size as the central directory states it */
    int stopped;         /* FTH_LIMIT_JAR_EXPANDED reached: read no further */
};

struct props {
    const char *group;
    const char *artifact;
    const char *version;
};

struct manifest {
    const char *impl_version, *impl_title, *impl_vendor, *impl_vendor_id;
    const char *spec_title, *spec_version, *spec_vendor;
    const char *bundle_name, *bundle_version, *bundle_symbolic, *bundle_license;
    struct fth_vec plugin_licenses; /* const char *, whole attribute lines */
};

/* Licences one embedded pom.xml declares, for package "G:A". */
struct pom_licenses {
    const char *name;
    struct fth_vec names; /* const char * */
};

static int has_archive_ext(const char *name)
{
    size_t n = strlen(name);

    for (size_t i = 0; i < sizeof(archive_exts) / sizeof(archive_exts[0]); i++)
        if (n > 4 && !strcasecmp(name + n - 4, archive_exts[i]))
            return 1;
    return 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static const char *trim_dup(struct fth_arena *a, const char *s, size_t n)
{
    while (n && is_space(*s)) {
        s++;
        n--;
    }
    while (n && is_space(s[n - 1]))
        n--;
    return fth_arena_strndup(a, s, n);
}

/*
 * Trivy's file name pattern ^([a-zA-Z0-9._-]*[^-*])-(\d\S*(?:-SNAPSHOT)?).jar$: the artifact
 * is the longest prefix that still leaves "-<digit>..." before a final ".jar".
 */
static int parse_file_name(struct fth_arena *a, const char *path, struct props *out)
{
    const char *name = base_name(path);
    size_t n = strlen(name), best = 0;

    memset(out, 0, sizeof(*out));
    if (n < 7 || strcmp(name + n - 3, "jar") != 0)
        return 0;
    for (size_t i = 1; i + 2 <= n - 4; i++) {
        int ok = name[i] == '-' && name[i + 1] >= '0' && name[i + 1] <= '9';

        /* the artifact: [a-zA-Z0-9._-]* then one character that is not '-' or '*' */
        if (ok && (name[i - 1] == '-' || name[i - 1] == '*'))
            ok = 0;
        for (size_t k = 0; ok && k + 1 < i; k++) {
            char c = name[k];

            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        }
        /* the version: non-space up to the ".jar" */
        for (size_t k = i + 1; ok && k < n - 4; k++)
            ok = !is_space(name[k]);
        if (ok)
            best = i;
    }
    if (!best)
        return 0;
    if (!(out->artifact = fth_arena_strndup(a, name, best)) ||
        !(out->version = fth_arena_strndup(a, name + best + 1, n - 4 - best - 1)))
        return FTH_ENOMEM;
    return 0;
}

/* pom.properties: groupId=, artifactId=, version= lines (trimmed; the last one counts). */
static int parse_pom_properties(struct fth_arena *a, const char *text, size_t len,
                                struct props *out)
{
    static const char *const keys[] = {"groupId=", "artifactId=", "version="};
    const char *p = text, *end = text + len;

    memset(out, 0, sizeof(*out));
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;

        while (p < le && is_space(*p))
            p++;
        for (size_t k = 0; k < 3; k++) {
            size_t kl = strlen(keys[k]);
            const char *v;

            if ((size_t)(le - p) < kl || memcmp(p, keys[k], kl) != 0)
                continue;
            if (!(v = trim_dup(a, p + kl, (size_t)(le - p) - kl)))
                return FTH_ENOMEM;
            if (k == 0)
                out->group = v;
            else if (k == 1)
                out->artifact = v;
            else
                out->version = v;
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}

static int props_valid(const struct props *p)
{
    return p->group && *p->group && p->artifact && *p->artifact && p->version && *p->version;
}

/* One unfolded attribute line of the manifest's main section. */
static int manifest_attr(struct fth_arena *a, struct manifest *m, const char *line, size_t n)
{
    static const struct {
        const char *key;
        size_t off;
    } attrs[] = {
        {"Implementation-Version:", offsetof(struct manifest, impl_version)},
        {"Implementation-Title:", offsetof(struct manifest, impl_title)},
        {"Implementation-Vendor:", offsetof(struct manifest, impl_vendor)},
        {"Implementation-Vendor-Id:", offsetof(struct manifest, impl_vendor_id)},
        {"Specification-Version:", offsetof(struct manifest, spec_version)},
        {"Specification-Title:", offsetof(struct manifest, spec_title)},
        {"Specification-Vendor:", offsetof(struct manifest, spec_vendor)},
        {"Bundle-Version:", offsetof(struct manifest, bundle_version)},
        {"Bundle-Name:", offsetof(struct manifest, bundle_name)},
        {"Bundle-SymbolicName:", offsetof(struct manifest, bundle_symbolic)},
        {"Bundle-License:", offsetof(struct manifest, bundle_license)},
    };
    size_t i = 0, fields = 0;

    /* at least two whitespace-separated fields, the value not a "%variable" */
    while (i < n && fields < 2) {
        while (i < n && is_space(line[i]))
            i++;
        if (i >= n)
            break;
        if (++fields == 2 && line[i] == '%')
            return 0;
        while (i < n && !is_space(line[i]))
            i++;
    }
    if (fields < 2)
        return 0;
    if (n >= 19 && !memcmp(line, "Plugin-License-Name", 19)) {
        const char *l = fth_arena_strndup(a, line, n);

        return l ? fth_vec_push(&m->plugin_licenses, a, (void *)(uintptr_t)l) : FTH_ENOMEM;
    }
    for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
        size_t kl = strlen(attrs[i].key);
        const char **slot = (const char **)(void *)((char *)m + attrs[i].off);

        if (n < kl || memcmp(line, attrs[i].key, kl) != 0)
            continue;
        if (!(*slot = fth_arena_strndup(a, line + kl, n - kl)))
            return FTH_ENOMEM;
        break;
    }
    return 0;
}

/*
 * The main section of MANIFEST.MF, up to the first empty line (later sections describe entries,
 * not the archive). Lines end in CRLF, LF or CR; a line starting with one space continues the
 * previous one.
 */
static int parse_manifest(struct fth_arena *a, const char *text, size_t len, struct manifest *m)
{
    struct fth_buf attr = FTH_BUF_INIT;
    size_t i = 0;
    int error = 0;

    memset(m, 0, sizeof(*m));
    while (i < len) {
        size_t start = i, n;

        while (i < len && text[i] != '\n' && text[i] != '\r')
            i++;
        n = i - start;
        if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
            i++;
        if (i < len)
            i++;
        if (n == 0)
            break;
        if (text[start] == ' ') {
            if ((error = fth_buf_put(&attr, text + start + 1, n - 1)) < 0)
                goto out;
            continue;
        }
        if ((error = manifest_attr(a, m, attr.ptr, attr.len)) < 0)
            goto out;
        fth_buf_clear(&attr);
        if ((error = fth_buf_put(&attr, text + start, n)) < 0)
            goto out;
    }
    error = manifest_attr(a, m, attr.ptr, attr.len);
out:
    fth_buf_release(&attr);
    return error;
}

static const char *first(const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] && *v[i])
            return v[i];
    return NULL;
}

static int manifest_props(struct fth_arena *a, const struct manifest *m, struct props *out)
{
    const char *group = NULL, *artifact, *version;

    memset(out, 0, sizeof(*out));
    if (m->impl_vendor_id && *m->impl_vendor_id) {
        group = trim_dup(a, m->impl_vendor_id, strlen(m->impl_vendor_id));
    } else if (m->bundle_symbolic && *m->bundle_symbolic) {
        /* "com.fasterxml.jackson.core.jackson-databind" -> "com.fasterxml.jackson.core" */
        const char *dot = strrchr(m->bundle_symbolic, '.');
        size_t n = dot ? (size_t)(dot - m->bundle_symbolic) : strlen(m->bundle_symbolic);

        group = trim_dup(a, m->bundle_symbolic, n);
    } else {
        const char *v[] = {m->impl_vendor, m->spec_vendor};

        if ((group = first(v, 2)))
            group = trim_dup(a, group, strlen(group));
        else
            return 0;
    }
    {
        const char *v[] = {m->impl_title, m->spec_title, m->bundle_name};

        if (!(artifact = first(v, 3)))
            return 0;
    }
    {
        const char *v[] = {m->impl_version, m->spec_version, m->bundle_version};

        if (!(version = first(v, 3)))
            return 0;
    }
    out->group = group;
    out->artifact = trim_dup(a, artifact, strlen(artifact));
    out->version = trim_dup(a, version, strlen(version));
    if (!out->group || !out->artifact || !out->version)
        return FTH_ENOMEM;
    return 0;
}

/* ---- licences ---- */

/* SPDX identifiers accepted as a Bundle-License name (compared without case). */
static const char *const spdx_ids[] = {
    "Apache-1.1",    "Apache-2.0",
    "MIT",           "BSD-2-Clause",
    "BSD-3-Clause",  "EPL-1.0",
    "EPL-2.0",       "MPL-1.1",
    "MPL-2.0",       "CDDL-1.0",
    "CDDL-1.1",      "GPL-2.0-only",
    "GPL-3.0-only",  "LGPL-2.1-only",
    "LGPL-3.0-only", "GPL-2.0",
    "GPL-3.0",       "LGPL-2.1",
    "LGPL-3.0",      "EDL-1.0",
    "ISC",           "Unlicense",
    "CC0-1.0",       "0BSD",
    "BSL-1.0",       "GPL-2.0-with-classpath-exception",
};

/*
 * Well-known licence URLs (scheme, "www.", a trailing "/" and a .txt/.html/.php suffix
 * ignored, compared without case) and the SPDX identifier each stands for.
 */
static const struct {
    const char *url;
    const char *spdx;
} license_urls[] = {
    {"apache.org/licenses/license-2.0", "Apache-2.0"},
    {"opensource.org/licenses/apache-2.0", "Apache-2.0"},
    {"apache.org/licenses/license-1.1", "Apache-1.1"},
    {"opensource.org/licenses/mit", "MIT"},
    {"opensource.org/licenses/mit-license", "MIT"},
    {"opensource.org/licenses/bsd-2-clause", "BSD-2-Clause"},
    {"opensource.org/licenses/bsd-3-clause", "BSD-3-Clause"},
    {"opensource.org/licenses/bsd-license", "BSD-2-Clause"},
    {"eclipse.org/legal/epl-v10", "EPL-1.0"},
    {"opensource.org/licenses/epl-1.0", "EPL-1.0"},
    {"eclipse.org/legal/epl-2.0", "EPL-2.0"},
    {"eclipse.org/legal/epl-v20", "EPL-2.0"},
    {"opensource.org/licenses/epl-2.0", "EPL-2.0"},
    {"eclipse.org/org/documents/edl-v10", "BSD-3-Clause"},
    {"mozilla.org/mpl/2.0", "MPL-2.0"},
    {"opensource.org/licenses/mpl-2.0", "MPL-2.0"},
    {"opensource.org/licenses/cddl-1.0", "CDDL-1.0"},
    {"gnu.org/licenses/old-licenses/gpl-2.0", "GPL-2.0-only"},
    {"gnu.org/licenses/gpl-3.0", "GPL-3.0-only"},
    {"gnu.org/licenses/old-licenses/lgpl-2.1", "LGPL-2.1-only"},
    {"gnu.org/licenses/lgpl-3.0", "LGPL-3.0-only"},
    {"creativecommons.org/publicdomain/zero/1.0", "CC0-1.0"},
    {"unlicense.org", "Unlicense"},
};

static const char *spdx_by_id(const char *s)
{
    for (size_t i = 0; i < sizeof(spdx_ids) / sizeof(spdx_ids[0]); i++)
        if (!strcasecmp(s, spdx_ids[i]))
            return spdx_ids[i];
    return NULL;
}

static const char *spdx_by_url(const char *u)
{
    static const char *const sfx[] = {".txt", ".html", ".htm", ".php"};
    char buf[256];
    size_t n;

    if (!strncasecmp(u, "https://", 8))
        u += 8;
    else if (!strncasecmp(u, "http://", 7))
        u += 7;
    else
        return NULL;
    if (!strncasecmp(u, "www.", 4))
        u += 4;
    n = strlen(u);
    if (n >= sizeof(buf))
        return NULL;
    memcpy(buf, u, n + 1);
    while (n && buf[n - 1] == '/')
        buf[--n] = '\0';
    for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
        size_t k = strlen(sfx[i]);

        if (n > k && !strcasecmp(buf + n - k, sfx[i])) {
            buf[n -= k] = '\0';
            break;
        }
    }
    for (size_t i = 0; i < sizeof(license_urls) / sizeof(license_urls[0]); i++)
        if (!strcasecmp(buf, license_urls[i].url))
            return license_urls[i].spdx;
    return NULL;
}

/* Split s on sep outside double quotes (a backslash escapes inside them). */
static size_t split_unquoted(const char *s, size_t n, char sep, const char **parts, size_t *lens,
                             size_t max)
{
    size_t count = 0, start = 0;
    int quoted = 0;

    for (size_t i = 0; i <= n && count < max; i++) {
        if (i < n && s[i] == '\\' && quoted) {
            i++;
            continue;
        }
        if (i < n && s[i] == '"')
            quoted = !quoted;
        if (i == n || (s[i] == sep && !quoted)) {
            parts[count] = s + start;
            lens[count++] = i - start;
            start = i + 1;
        }
    }
    return count;
}

static const char *trim_quotes(struct fth_arena *a, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '"')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '"'))
        n--;
    return fth_arena_strndup(a, s, n);
}

static int push_license(struct fth_arena *a, struct fth_vec *v, const char *value, const char *spdx)
{
    struct fth_license *l = fth_arena_calloc(a, 1, sizeof(*l));

    if (!l)
        return FTH_ENOMEM;
    l->value = value;
    l->spdx = spdx ? spdx : "";
    return fth_vec_push(v, a, l);
}

/* Bundle-License: "id-or-url[;link=url][;description=...], ..." -> SPDX identifiers. */
static int bundle_licenses(struct fth_arena *a, const char *header, struct fth_vec *out)
{
    const char *entries[64], *fields[16];
    size_t elens[64], flens[16], ne;

    if (!header)
        return 0;
    ne = split_unquoted(header, strlen(header), ',', entries, elens, 64);
    for (size_t i = 0; i < ne; i++) {
        size_t nf = split_unquoted(entries[i], elens[i], ';', fields, flens, 16);
        const char *name = trim_quotes(a, fields[0], flens[0]), *link = NULL, *id;

        if (!name)
            return FTH_ENOMEM;
        for (size_t k = 1; k < nf; k++) {
            const char *eq = memchr(fields[k], '=', flens[k]);
            const char *key;

            if (!eq)
                continue;
            if (!(key = trim_dup(a, fields[k], (size_t)(eq - fields[k]))))
                return FTH_ENOMEM;
            if (!strcmp(key, "link") &&
                !(link = trim_quotes(a, eq + 1, flens[k] - (size_t)(eq + 1 - fields[k]))))
                return FTH_ENOMEM;
        }
        id = spdx_by_id(name);
        if (!id && *name)
            id = spdx_by_url(name);
        if (!id && link && *link)
            id = spdx_by_url(link);
        if (id && push_license(a, out, id, id) < 0)
            return FTH_ENOMEM;
    }
    return 0;
}

/* The manifest's licences: Jenkins Plugin-License-Name[-N] values, else Bundle-License. */
static int manifest_licenses(struct fth_arena *a, const struct manifest *m, struct fth_vec *out)
{
    for (size_t i = 0; i < m->plugin_licenses.len; i++) {
        const char *line = m->plugin_licenses.items[i], *colon = strchr(line, ':'), *v;
        size_t kl;

        if (!colon)
            continue;
        kl = (size_t)(colon - line);
        if (!(kl == 19 || (kl > 20 && line[19] == '-')))
            continue;
        if (!(v = trim_dup(a, colon + 1, strlen(colon + 1))))
            return FTH_ENOMEM;
        if (*v && push_license(a, out, v, NULL) < 0)
            return FTH_ENOMEM;
    }
    if (out->len)
        return 0;
    return bundle_licenses(a, m->bundle_license, out);
}

/*
 * Just enough XML for a pom's <project><licenses><license><name>/<url>: elements by local
 * name and depth, comments, CDATA, processing instructions and the five entities plus
 * numeric ASCII ones. Anything else is text we do not look at. Malformed input simply ends
 * the scan.
 */
struct xml_lic {
    struct fth_buf name, url;
    int field; /* 0 none, 1 name, 2 url */
};

static void xml_text(struct xml_lic *x, const char *s, size_t n, int raw)
{
    struct fth_buf *b = x->field == 1 ? &x->name : &x->url;

    for (size_t i = 0; i < n; i++) {
        if (!raw && s[i] == '&') {
            static const struct {
                const char *ent;
                char c;
            } ents[] = {
                {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
            const char *semi = memchr(s + i, ';', n - i);
            size_t el = semi ? (size_t)(semi - (s + i)) + 1 : 0;
            int done = 0;

            for (size_t k = 0; semi && k < sizeof(ents) / sizeof(ents[0]); k++)
                if (el == strlen(ents[k].ent) && !memcmp(s + i, ents[k].ent, el)) {
                    (void)fth_buf_putc(b, ents[k].c);
                    done = 1;
                }
            if (!done && semi && el > 3 && s[i + 1] == '#') {
                unsigned long v = 0;
                int hex = s[i + 2] == 'x', ok = 1;

                for (size_t k = hex ? 3 : 2; k < el - 1 && ok; k++) {
                    char c = s[i + k];

                    if (c >= '0' && c <= '9')
                        v = v * (hex ? 16 : 10) + (unsigned long)(c - '0');
                    else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                        v = v * 16 + (unsigned long)((c | 0x20) - 'a' + 10);
                    else
                        ok = 0;
                    if (v > 0x7f)
                        ok = 0;
                }
                if (ok && v) {
                    (void)fth_buf_putc(b, (char)v);
                    done = 1;
                }
            }
            if (done) {
                i += el - 1;
                continue;
            }
        }
        (void)fth_buf_putc(b, s[i]);
    }
}

static int pom_xml_licenses(struct fth_arena *a, const char *x, size_t n, struct fth_vec *out)
{
    struct xml_lic st;
    const char *p = x, *end = x + n;
    /* local names of the open elements at depths 1..4 */
    char open[5][16];
    unsigned depth = 0;
    int error = 0;

    memset(&st, 0, sizeof(st));
    fth_buf_init(&st.name);
    fth_buf_init(&st.url);
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));

        if (!lt) {
            if (st.field)
                xml_text(&st, p, (size_t)(end - p), 0);
            break;
        }
        if (st.field && lt > p)
            xml_text(&st, p, (size_t)(lt - p), 0);
        p = lt;
        if ((size_t)(end - p) >= 4 && !memcmp(p, "<!--", 4)) {
            const char *e = NULL;

            for (const char *q = p + 4; q + 3 <= end; q++)
                if (!memcmp(q, "-->", 3)) {
                    e = q;
                    break;
                }
            if (!e)
                break;
            p = e + 3;
        } else if ((size_t)(end - p) >= 9 && !memcmp(p, "<![CDATA[", 9)) {
            const char *e = NULL;

            for (const char *q = p + 9; q + 3 <= end; q++)
                if (!memcmp(q, "]]>", 3)) {
                    e = q;
                    break;
                }
            if (!e)
                break;
            if (st.field)
                xml_text(&st, p + 9, (size_t)(e - (p + 9)), 1);
            p = e + 3;
        } else if ((size_t)(end - p) >= 2 && (p[1] == '?' || p[1] == '!')) {
            const char *gt = memchr(p, '>', (size_t)(end - p));

            if (!gt)
                break;
            p = gt + 1;
        } else {
            /* a start or end tag; quoted attribute values may hold '>' */
            const char *q = p + 1, *name, *gt = NULL;
            int closing = 0, self = 0;
            char quote = 0;
            size_t nl;

            if (q < end && *q == '/') {
                closing = 1;
                q++;
            }
            name = q;
            while (q < end && !is_space(*q) && *q != '>' && *q != '/')
                q++;
            nl = (size_t)(q - name);
            for (; q < end; q++) {
                if (quote) {
                    if (*q == quote)
                        quote = 0;
                } else if (*q == '"' || *q == '\'') {
                    quote = *q;
                } else if (*q == '>') {
                    gt = q;
                    break;
                }
            }
            if (!gt)
                break;
            self = gt > p && gt[-1] == '/';
            /* local name: drop a namespace prefix */
            for (size_t k = nl; k > 0; k--)
                if (name[k - 1] == ':') {
                    name += k;
                    nl -= k;
                    break;
                }
            p = gt + 1;
            if (closing) {
                if (!depth)
                    break;
                if (depth == 3 && !strcmp(open[3], "license") && !strcmp(open[2], "licenses")) {
                    const char *nm = trim_dup(a, st.name.ptr, st.name.len);
                    const char *url = trim_dup(a, st.url.ptr, st.url.len), *v = NULL;

                    if (!nm || !url) {
                        error = FTH_ENOMEM;
                        break;
                    }
                    /* the name as written, else the URL when it is a known licence */
                    if (*nm)
                        v = nm;
                    else
                        v = spdx_by_url(url);
                    if (v && (error = fth_vec_push(out, a, (void *)(uintptr_t)v)) < 0)
                        break;
                    fth_buf_clear(&st.name);
                    fth_buf_clear(&st.url);
                }
                if (depth == 4)
                    st.field = 0;
                depth--;
                continue;
            }
            if (self)
                continue;
            depth++;
            if (depth <= 4) {
                size_t k = nl < sizeof(open[0]) - 1 ? nl : 0;

                memcpy(open[depth], name, k);
                open[depth][k] = '\0';
            }
            if (depth == 4 && !strcmp(open[2], "licenses") && !strcmp(open[3], "license")) {
                if (!strcmp(open[4], "name"))
                    st.field = 1;
                else if (!strcmp(open[4], "url"))
                    st.field = 2;
            }
            if (depth == 3 && !strcmp(open[3], "license") && !strcmp(open[2], "licenses")) {
                fth_buf_clear(&st.name);
                fth_buf_clear(&st.url);
            }
        }
    }
    fth_buf_release(&st.name);
    fth_buf_release(&st.url);
    return error;
}

/* "META-INF/maven/G/A/pom.xml" -> "G:A"; NULL when the path is not such a descriptor. */
static const char *embedded_pom_name(struct fth_arena *a, const char *path, int *enomem)
{
    const char *rel, *slash;
    size_t n;

    *enomem = 0;
    if (strncmp(path, "META-INF/maven/", 15) != 0)
        return NULL;
    rel = path + 15;
    n = strlen(rel);
    if (n < 8 || strcmp(rel + n - 8, "/pom.xml") != 0)
        return NULL;
    n -= 8;
    slash = memchr(rel, '/', n);
    if (!slash || slash == rel || slash == rel + n - 1)
        return NULL;
    {
        const char *name = fth_arena_printf(a, "%.*s:%.*s", (int)(slash - rel), rel,
                                            (int)(n - (size_t)(slash - rel) - 1), slash + 1);

        *enomem = !name;
        return name;
    }
}

/* ---- the archive walk ---- */

/* archive path + "/" + member, normalised; NULL when the member escapes (".."). */
static const char *join_member(struct fth_arena *a, const char *outer, const char *member)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *p = member, *out = NULL;

    if (fth_buf_puts(&b, outer) < 0)
        goto out;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);

        if (n == 2 && !memcmp(p, "..", 2))
            goto out;
        if (n && !(n == 1 && *p == '.') && (fth_buf_putc(&b, '/') < 0 || fth_buf_put(&b, p, n) < 0))
            goto out;
        p += n + (slash ? 1 : 0);
    }
    out = fth_arena_strndup(a, b.ptr, b.len);
out:
    fth_buf_release(&b);
    return out;
}

/*
 * The current member's bytes, at most max: 0, FTH_ELIMIT (too large, or the per-archive
 * total reached), FTH_EINVALID (corrupt, encrypted) or FTH_ENOMEM.
 */
static int read_member(struct jar_ctx *c, struct archive *ar, struct fth_buf *out, size_t max)
{
    char chunk[16384]; /* on the stack once per nesting level */

    fth_buf_clear(out);
    /* a stated size over the limit fails before inflating anything; a lying one still stops
     * at max below */
    if (c->declared >= 0 && (uint64_t)c->declared > max)
        return FTH_ELIMIT;
    for (;;) {
        la_ssize_t n = archive_read_data(ar, chunk, sizeof(chunk));

        if (n == 0)
            return 0;
        if (n < 0)
            return FTH_EINVALID;
        c->expanded += (uint64_t)n;
        if (c->expanded > FTH_LIMIT_JAR_EXPANDED) {
            c->stopped = 1;
            return FTH_ELIMIT;
        }
        if (out->len + (size_t)n > max)
            return FTH_ELIMIT;
        if (fth_buf_put(out, chunk, (size_t)n) < 0)
            return FTH_ENOMEM;
    }
}

static int parse_archive(struct jar_ctx *c, const unsigned char *data, size_t len, const char *path,
                         unsigned depth);

static int add_jpkg(struct jar_ctx *c, const struct props *pr, const char *path)
{
    struct jpkg *p = fth_arena_calloc(c->a, 1, sizeof(*p));

    if (!p || !(p->name = fth_arena_printf(c->a, "%s:%s", pr->group, pr->artifact)))
        return FTH_ENOMEM;
    p->version = pr->version;
    p->path = path;
    p->digest = "";
    return fth_vec_push(&c->pkgs, c->a, p);
}

/* Warn about a member that could not be read; FTH_ENOMEM passes through. */
static int member_problem(struct jar_ctx *c, struct archive *ar, int rc, const char *path,
                          const char *member, size_t max)
{
    const char *why = archive_error_string(ar);

    if (rc == FTH_ENOMEM)
        return rc;
    if (c->stopped)
        cat_warn(c->s, c->f, 0,
                 "'%s': more than %llu bytes inflated from this archive, the rest is skipped", path,
                 (unsigned long long)FTH_LIMIT_JAR_EXPANDED);
    else if (rc == FTH_ELIMIT)
        cat_warn(c->s, c->f, 0, "'%s': member '%s' is larger than %zu bytes, skipped", path, member,
                 max);
    else
        cat_warn(c->s, c->f, 0, "'%s': member '%s' cannot be read: %s", path, member,
                 why ? why : "corrupt data");
    return 0;
}

/* Packages in [from, len) that have no licence yet get those of their G:A's pom.xml. */
static void attach_pom_licenses(struct jar_ctx *c, size_t from, const struct fth_vec *poms)
{
    for (size_t i = from; i < c->pkgs.len; i++) {
        struct jpkg *p = c->pkgs.items[i];

        for (size_t k = 0; !p->nlic && k < poms->len; k++) {
            const struct pom_licenses *pl = poms->items[k];

            if (strcmp(pl->name, p->name) != 0)
                continue;
            p->lic = fth_arena_calloc(c->a, pl->names.len, sizeof(*p->lic));
            if (!p->lic)
                return;
            for (size_t j = 0; j < pl->names.len; j++) {
                p->lic[j].value = pl->names.items[j];
                p->lic[j].spdx = "";
            }
            p->nlic = pl->names.len;
        }
    }
}

/* The one package of [from, len) declared by this archive itself, or NULL if none or several. */
static struct jpkg *own_package(struct jar_ctx *c, size_t from, const char *path)
{
    struct jpkg *own = NULL;

    for (size_t i = from; i < c->pkgs.len; i++) {
        struct jpkg *p = c->pkgs.items[i];

        if (strcmp(p->path, path) != 0)
            continue;
        if (own)
            return NULL;
        own = p;
    }
    return own;
}

static int handle_member(struct jar_ctx *c, struct archive *ar, struct fth_buf *buf,
                         const char *path, const char *member, unsigned depth,
                         const struct props *fileprops, struct fth_vec *poms, struct manifest *m,
                         int *found_self)
{
    const char *base = base_name(member);
    int rc, enomem;

    if (!strcmp(base, "pom.xml")) {
        const char *ga = embedded_pom_name(c->a, member, &enomem);
        struct pom_licenses *pl;

        if (!ga)
            return enomem ? FTH_ENOMEM : 0;
        if ((rc = read_member(c, ar, buf, FTH_LIMIT_JAR_TEXT_SIZE)) < 0)
            return member_problem(c, ar, rc, path, member, FTH_LIMIT_JAR_TEXT_SIZE);
        if (!(pl = fth_arena_calloc(c->a, 1, sizeof(*pl))))
            return FTH_ENOMEM;
        pl->name = ga;
        if ((rc = pom_xml_licenses(c->a, buf->ptr, buf->len, &pl->names)) < 0)
            return rc;
        return pl->names.len ? fth_vec_push(poms, c->a, pl) : 0;
    }
    if (!strcmp(base, "pom.properties")) {
        struct props pr;

        if ((rc = read_member(c, ar, buf, FTH_LIMIT_JAR_TEXT_SIZE)) < 0)
            return member_problem(c, ar, rc, path, member, FTH_LIMIT_JAR_TEXT_SIZE);
        if ((rc = parse_pom_properties(c->a, buf->ptr, buf->len, &pr)) < 0)
            return rc;
        if (!props_valid(&pr))
            return 0;
        /* is this the archive's own pom.properties? */
        if (fileprops->artifact && !strcmp(fileprops->artifact, pr.artifact) &&
            !strcmp(fileprops->version, pr.version))
            *found_self = 1;
        return add_jpkg(c, &pr, path);
    }
    if (!strcmp(base, "MANIFEST.MF")) {
        if ((rc = read_member(c, ar, buf, FTH_LIMIT_JAR_TEXT_SIZE)) < 0)
            return member_problem(c, ar, rc, path, member, FTH_LIMIT_JAR_TEXT_SIZE);
        return parse_manifest(c->a, buf->ptr, buf->len, m);
    }
    if (has_archive_ext(member)) {
        const char *inner = join_member(c->a, path, member);
        struct fth_buf nested = FTH_BUF_INIT;

        if (!inner)
            return 0; /* a member that climbs out of the archive: ignored, as zip slip */
        if (depth + 1 > FTH_LIMIT_JAR_DEPTH) {
            cat_warn(c->s, c->f, 0, "'%s': archives nested more than %d deep, not read", inner,
                     FTH_LIMIT_JAR_DEPTH);
            return 0;
        }
        rc = read_member(c, ar, &nested, FTH_LIMIT_JAR_ENTRY_SIZE);
        if (rc == 0)
            rc = parse_archive(c, (const unsigned char *)nested.ptr, nested.len, inner, depth + 1);
        else
            rc = member_problem(c, ar, rc, path, member, FTH_LIMIT_JAR_ENTRY_SIZE);
        fth_buf_release(&nested);
        return rc;
    }
    return 0;
}

/*
 * One archive (the file itself at depth 0, or a nested one): its packages are appended to
 * c->pkgs. Unreadable archives are warned about and add nothing.
 */
static int parse_archive(struct jar_ctx *c, const unsigned char *data, size_t len, const char *path,
                         unsigned depth)
{
    struct fth_buf buf = FTH_BUF_INIT;
    struct fth_vec poms = {0}, lic = {0};
    struct archive_entry *ent;
    struct archive *ar = NULL;
    struct props fileprops, mp;
    struct manifest m;
    size_t from = c->pkgs.len, entries = 0;
    int found_self = 0, rc, error = 0;
    struct jpkg *own;

    memset(&m, 0, sizeof(m));
    if ((error = parse_file_name(c->a, path, &fileprops)) < 0)
        goto out;
    if (!(ar = archive_read_new())) {
        error = FTH_ENOMEM;
        goto out;
    }
    /* the central directory, not the local headers: what Java itself reads */
    archive_read_support_format_zip_seekable(ar);
    if (archive_read_open_memory(ar, data, len) != ARCHIVE_OK) {
        cat_warn(c->s, c->f, 0, "'%s': not a readable zip archive: %s", path,
                 archive_error_string(ar) ? archive_error_string(ar) : "unknown format");
        goto out;
    }
    while (!c->stopped) {
        const char *member;

        rc = archive_read_next_header(ar, &ent);
        if (rc == ARCHIVE_EOF)
            break;
        if (rc < ARCHIVE_WARN) {
            cat_warn(c->s, c->f, 0, "'%s': corrupt zip archive: %s", path,
                     archive_error_string(ar) ? archive_error_string(ar) : "bad header");
            break;
        }
        if (++entries > FTH_LIMIT_JAR_ENTRIES) {
            cat_warn(c->s, c->f, 0, "'%s': more than %d members, the rest is skipped", path,
                     FTH_LIMIT_JAR_ENTRIES);
            break;
        }
        if (archive_entry_filetype(ent) != AE_IFREG)
            continue;
        member = archive_entry_pathname(ent);
        if (!member)
            member = archive_entry_pathname_utf8(ent);
        if (!member || !*member)
            continue;
        c->declared = archive_entry_size_is_set(ent) ? archive_entry_size(ent) : -1;
        if ((error = handle_member(c, ar, &buf, path, member, depth, &fileprops, &poms, &m,
                                   &found_self)) < 0)
            goto out;
    }
    attach_pom_licenses(c, from, &poms);
    /* no pom.properties of its own: the manifest may still name the archive */
    if (!found_self) {
        if ((error = manifest_props(c->a, &m, &mp)) < 0)
            goto out;
        if (props_valid(&mp) && (error = add_jpkg(c, &mp, path)) < 0)
            goto out;
    }
    if ((error = manifest_licenses(c->a, &m, &lic)) < 0)
        goto out;
    if (lic.len && (own = own_package(c, from, path)) && !own->nlic) {
        if (!(own->lic = fth_arena_calloc(c->a, lic.len, sizeof(*own->lic)))) {
            error = FTH_ENOMEM;
            goto out;
        }
        for (size_t i = 0; i < lic.len; i++)
            own->lic[i] = *(const struct fth_license *)lic.items[i];
        own->nlic = lic.len;
    }
    /* packages without a file of their own (shaded) share this archive's digest */
    for (size_t i = from; i < c->pkgs.len; i++) {
        struct jpkg *p = c->pkgs.items[i];

        if (!*p->digest) {
            char hex[41];

            fth_sha1_hex(hex, data, len);
            if (*hex && !(p->digest = fth_arena_printf(c->a, "sha1:%s", hex))) {
                error = FTH_ENOMEM;
                goto out;
            }
            for (size_t k = i + 1; k < c->pkgs.len; k++) {
                struct jpkg *q = c->pkgs.items[k];

                if (!*q->digest)
                    q->digest = p->digest;
            }
            break;
        }
    }
out:
    if (ar)
        archive_read_free(ar);
    fth_buf_release(&buf);
    return error;
}

static int same_version(const char *a, const char *b)
{
    int cmp;

    if (!strcmp(a, b))
        return 1;
    /* "2.17" and "2.17.0" are one version to Maven */
    return fth_version_compare(&cmp, FTH_ECO_MAVEN, a, b, 0, NULL) == 0 && cmp == 0;
}

static int java_parse(struct cat_sink *s, const struct cat_file *f)
{
    struct jar_ctx c;
    const char *path;
    int error;

    memset(&c, 0, sizeof(c));
    c.s = s;
    c.f = f;
    c.a = cat_arena(s);
    /* package paths outlive f */
    if (!(path = fth_arena_strdup(c.a, f->path))) {
        error = FTH_ENOMEM;
        goto out;
    }
    if ((error = parse_archive(&c, f->data, f->len, path, 0)) < 0)
        goto out;
    for (size_t i = 0; i < c.pkgs.len; i++) {
        const struct jpkg *j = c.pkgs.items[i];
        struct fth_package *p;
        int dup = 0;

        for (size_t k = 0; k < i && !dup; k++) {
            const struct jpkg *o = c.pkgs.items[k];

            dup = !strcmp(o->name, j->name) && !strcmp(o->path, j->path) &&
                  same_version(o->version, j->version);
        }
        if (dup)
            continue;
        if (!(p = cat_add(s, f))) {
            error = FTH_ENOMEM;
            goto out;
        }
        p->type = "java-archive";
        p->ecosystem = "Maven";
        p->name = j->name;
        p->version = j->version;
        p->path = j->path;
        p->digest = j->digest;
        p->licenses = j->lic;
        p->nlicenses = j->nlic;
    }
out:
    return error;
}

static int java_wants(const char *path, uint64_t size, unsigned mode)
{
    (void)mode;
    return size <= FTH_LIMIT_CATALOG_FILE && has_archive_ext(base_name(path));
}

const struct cataloger cat_java = {"java", java_wants, java_parse};
