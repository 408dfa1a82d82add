/*
 * Declared licences to SPDX: the strict expression first, then the names and URLs package
 * metadata uses (matched on a "squashed" key: lower case, letters, digits and '+' only,
 * "version" and a "v" before a version number dropped), the GNU families by rule, and last the
 * loose combinations of DEP-5 and rpm ("GPL-1+ or Artistic, and Zlib", "GPLv2+ and BSD").
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "license_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

/*
 * Names and URLs that are not SPDX ids, each mapped to the SPDX expression it means. Keys are
 * written readably and squashed when the table is built. Ambiguous names ("BSD License",
 * "Apache Software License", "Public Domain", "Apache") are deliberately absent. "BSD" and
 * "Artistic" alone follow Trivy's reading of distro metadata (BSD-3-Clause, Artistic-2.0).
 */
static const char *const aliases[][2] = {
    /* MIT family */
    {"MIT License", "MIT"},
    {"MIT license (MIT)", "MIT"},
    {"The MIT License (MIT)", "MIT"},
    {"Expat", "MIT"},
    {"Expat License", "MIT"},
    {"MIT No Attribution", "MIT-0"},
    {"X11 License", "X11"},
    /* Apache */
    {"ASL 2.0", "Apache-2.0"},
    {"ASL 2", "Apache-2.0"},
    {"ASL 1.1", "Apache-1.1"},
    {"ASL 1.0", "Apache-1.0"},
    {"Apache 2", "Apache-2.0"},
    {"Apache2", "Apache-2.0"},
    {"Apache License 2", "Apache-2.0"},
    {"Apache License 2.0", "Apache-2.0"},
    {"Apache License, Version 2.0", "Apache-2.0"},
    {"Apache Software License 2.0", "Apache-2.0"},
    {"Apache Software License, Version 2.0", "Apache-2.0"},
    {"Apache Public License 2.0", "Apache-2.0"},
    {"Apache 2.0 License", "Apache-2.0"},
    {"Apache License 2.0 License", "Apache-2.0"},
    {"Apache License 1.1", "Apache-1.1"},
    {"Apache Software License 1.1", "Apache-1.1"},
    {"Apache License 1.0", "Apache-1.0"},
    {"apache.org/licenses/LICENSE-2.0", "Apache-2.0"},
    {"apache.org/licenses/LICENSE-1.1", "Apache-1.1"},
    {"opensource.org/licenses/apache2.0", "Apache-2.0"},
    /* BSD */
    {"BSD", "BSD-3-Clause"},
    {"BSD-2", "BSD-2-Clause"},
    {"BSD-3", "BSD-3-Clause"},
    {"BSD-4", "BSD-4-Clause"},
    {"BSD 2-Clause License", "BSD-2-Clause"},
    {"BSD 3-Clause License", "BSD-3-Clause"},
    {"2-Clause BSD", "BSD-2-Clause"},
    {"2-Clause BSD License", "BSD-2-Clause"},
    {"3-Clause BSD", "BSD-3-Clause"},
    {"3-Clause BSD License", "BSD-3-Clause"},
    {"Simplified BSD", "BSD-2-Clause"},
    {"Simplified BSD License", "BSD-2-Clause"},
    {"FreeBSD License", "BSD-2-Clause"},
    {"New BSD", "BSD-3-Clause"},
    {"New BSD License", "BSD-3-Clause"},
    {"Modified BSD License", "BSD-3-Clause"},
    {"Revised BSD License", "BSD-3-Clause"},
    {"BSD with advertising", "BSD-4-Clause"},
    {"Original BSD License", "BSD-4-Clause"},
    {"Eclipse Distribution License v1.0", "BSD-3-Clause"},
    {"EDL 1.0", "BSD-3-Clause"},
    {"opensource.org/licenses/bsd-license", "BSD-2-Clause"},
    {"BSD Zero Clause License", "0BSD"},
    /* other permissive */
    {"ISC License", "ISC"},
    {"ISC License (ISCL)", "ISC"},
    {"ISCL", "ISC"},
    {"zlib License", "Zlib"},
    {"zlib/libpng", "Zlib"},
    {"zlib/libpng License", "Zlib"},
    {"Boost", "BSL-1.0"},
    {"Boost Software License", "BSL-1.0"},
    {"Boost Software License 1.0", "BSL-1.0"},
    {"Boost Software License, Version 1.0", "BSL-1.0"},
    {"PSF", "PSF-2.0"},
    {"PSFL", "PSF-2.0"},
    {"Python Software Foundation License", "PSF-2.0"},
    {"Python Software Foundation License 2.0", "PSF-2.0"},
    {"Python License", "Python-2.0"},
    {"Ruby License", "Ruby"},
    {"The Unlicense (Unlicense)", "Unlicense"},
    {"Universal Permissive License", "UPL-1.0"},
    {"PostgreSQL License", "PostgreSQL"},
    {"OpenSSL License", "OpenSSL"},
    {"OpenLDAP", "OLDAP-2.8"},
    {"Inner-Net", "Inner-Net-2.0"},
    {"Do What The F*ck You Want To Public License", "WTFPL"},
    {"WTFPL 2", "WTFPL"},
    {"CC0", "CC0-1.0"},
    {"CC0 1.0", "CC0-1.0"},
    {"CC0 1.0 Universal", "CC0-1.0"},
    {"CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0"},
    {"Creative Commons Zero v1.0 Universal", "CC0-1.0"},
    {"Artistic", "Artistic-2.0"},
    {"Artistic 2.0", "Artistic-2.0"},
    {"Artistic License 2.0", "Artistic-2.0"},
    {"Artistic License, Version 2.0", "Artistic-2.0"},
    {"Artistic 1.0", "Artistic-1.0"},
    {"Perl Artistic License", "Artistic-1.0-Perl"},
    {"Unicode License", "Unicode-DFS-2016"},
    /* weak and network copyleft */
    {"MPLv2.0", "MPL-2.0"},
    {"MPL 2.0", "MPL-2.0"},
    {"Mozilla Public License 2.0", "MPL-2.0"},
    {"Mozilla Public License, Version 2.0", "MPL-2.0"},
    {"Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"},
    {"Mozilla Public License 1.1", "MPL-1.1"},
    {"Mozilla Public License 1.1 (MPL 1.1)", "MPL-1.1"},
    {"Mozilla Public License 1.0", "MPL-1.0"},
    {"mozilla.org/MPL/2.0", "MPL-2.0"},
    {"mozilla.org/MPL/MPL-1.1", "MPL-1.1"},
    {"Eclipse Public License 1.0", "EPL-1.0"},
    {"Eclipse Public License - v 1.0", "EPL-1.0"},
    {"Eclipse Public License 2.0", "EPL-2.0"},
    {"Eclipse Public License - v 2.0", "EPL-2.0"},
    {"Eclipse Public License v2.0", "EPL-2.0"},
    {"eclipse.org/legal/epl-v10", "EPL-1.0"},
    {"eclipse.org/legal/epl-2.0", "EPL-2.0"},
    {"eclipse.org/org/documents/edl-v10", "BSD-3-Clause"},
    {"CDDL", "CDDL-1.0"},
    {"Common Development and Distribution License 1.0", "CDDL-1.0"},
    {"Common Development and Distribution License 1.1", "CDDL-1.1"},
    {"COMMON DEVELOPMENT AND DISTRIBUTION LICENSE (CDDL) Version 1.0", "CDDL-1.0"},
    {"European Union Public Licence 1.2", "EUPL-1.2"},
    {"EUPL 1.2", "EUPL-1.2"},
    {"EUPL 1.1", "EUPL-1.1"},
    {"Server Side Public License", "SSPL-1.0"},
    {"Server Side Public License v1", "SSPL-1.0"},
    {"Open Software License 3.0", "OSL-3.0"},
    {"Common Public License", "CPL-1.0"},
    {"Common Public License 1.0", "CPL-1.0"},
    {"Microsoft Public License", "MS-PL"},
    {"Microsoft Reciprocal License", "MS-RL"},
    {"GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0"},
    {"GPLv2 with Classpath exception", "GPL-2.0-only WITH Classpath-exception-2.0"},
    {"GPL2 w/ CPE", "GPL-2.0-only WITH Classpath-exception-2.0"},
    {"GNU General Public License, version 2, with the Classpath Exception",
     "GPL-2.0-only WITH Classpath-exception-2.0"},
    {"CDDL + GPLv2 with classpath exception",
     "CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0"},
};

/* Exception names in loose text ("GPL-2+ with Classpath exception"). */
static const char *const exception_aliases[][2] = {
    {"Classpath exception", "Classpath-exception-2.0"},
    {"Classpath", "Classpath-exception-2.0"},
    {"CPE", "Classpath-exception-2.0"},
    {"GCC exception", "GCC-exception-3.1"},
    {"GCC runtime library exception", "GCC-exception-3.1"},
    {"Autoconf exception", "Autoconf-exception-3.0"},
    {"Bison exception", "Bison-exception-2.2"},
    {"Font exception", "Font-exception-2.0"},
    {"LLVM exception", "LLVM-exception"},
};

/* Hosts whose last path segment names a licence (spdx.org/licenses/MIT.html). */
static const char *const license_hosts[] = {"spdx.org", "opensource.org", "gnu.org",
                                            "choosealicense.com", "apache.org"};

#define KEY_MAX 256

struct alias {
    char key[KEY_MAX];
    const char *value; /* an expression, or a listed id (is_id) to bring to its current form */
    int is_id;
};

static struct alias *table;
static size_t ntable;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/*
 * The squashed key: ASCII lower case; a leading "the" dropped; "version"/"ver" become "v";
 * "licence" reads "license"; only [a-z0-9+] kept; a "v" right before a digit after a letter
 * (or at the start) dropped: "The Apache License, Version 2.0" -> "apachelicense20",
 * "GPLv2+" -> "gpl2+". Returns 0 when s does not fit.
 */
static size_t squash(char out[KEY_MAX], const char *s, size_t len)
{
    char tmp[KEY_MAX] = {0};
    size_t n = 0, m = 0, i = 0;

    while (i < len && isspace((unsigned char)s[i]))
        i++;
    if (len - i > 4 && !strncasecmp(s + i, "the", 3) && !isalnum((unsigned char)s[i + 3]))
        i += 3;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)tolower((unsigned char)s[i]);
        int word_start = i == 0 || !isalnum((unsigned char)s[i - 1]);

        if (word_start && c == 'v') {
            static const char *const words[] = {"version", "ver"};

            for (size_t w = 0; w < 2; w++) {
                size_t wl = strlen(words[w]);

                if (len - i >= wl && !strncasecmp(s + i, words[w], wl) &&
                    (len - i == wl || !isalpha((unsigned char)s[i + wl]))) {
                    i += wl - 1;
                    break;
                }
            }
            if (n + 1 >= KEY_MAX)
                return 0;
            tmp[n++] = 'v';
            continue;
        }
        if (!isalnum(c) && c != '+')
            continue;
        if (n + 1 >= KEY_MAX)
            return 0;
        tmp[n++] = (char)c;
    }
    for (i = 0; i < n; i++) {
        if (tmp[i] == 'v' && i + 1 < n && isdigit((unsigned char)tmp[i + 1]) &&
            (i == 0 || isalpha((unsigned char)tmp[i - 1])))
            continue;
        out[m++] = tmp[i];
    }
    out[m] = '\0';
    for (char *p = out; (p = strstr(p, "licence")); p += 7)
        p[5] = 's';
    return m;
}

static int cmp_alias(const void *x, const void *y)
{
    return strcmp(((const struct alias *)x)->key, ((const struct alias *)y)->key);
}

/*
 * The lookup table: the aliases, then every SPDX id squashed ("BSD 2-Clause" finds
 * BSD-2-Clause). Two ids squashing alike are both left out; an alias wins over an id.
 */
static void build_table(void)
{
    size_t cap = sizeof(aliases) / sizeof(*aliases) + lic_nids, n = 0, k = 0;
    struct alias *t = calloc(cap, sizeof(*t));

    if (!t)
        return;
    for (size_t i = 0; i < sizeof(aliases) / sizeof(*aliases); i++)
        if (squash(t[n].key, aliases[i][0], strlen(aliases[i][0]))) {
            t[n].value = aliases[i][1];
            n++;
        }
    for (size_t i = 0; i < lic_nids; i++)
        if (squash(t[n].key, lic_ids[i].id, strlen(lic_ids[i].id))) {
            t[n].value = lic_ids[i].id;
            t[n].is_id = 1;
            n++;
        }
    qsort(t, n, sizeof(*t), cmp_alias);
    /* drop ids that collide with an alias or with each other */
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        int alias = -1, ids = 0;

        while (j < n && !strcmp(t[j].key, t[i].key)) {
            if (!t[j].is_id)
                alias = (int)j;
            else
                ids++;
            j++;
        }
        if (alias >= 0)
            t[k++] = t[alias];
        else if (ids == 1)
            t[k++] = t[i];
        i = j - 1;
    }
    table = t;
    ntable = k;
}

static const struct alias *find_alias(const char *key)
{
    struct alias probe;

    if (pthread_once(&table_once, build_table) != 0 || !table)
        return NULL;
    memset(&probe, 0, sizeof(probe));
    memcpy(probe.key, key, strlen(key) + 1);
    return bsearch(&probe, table, ntable, sizeof(*table), cmp_alias);
}

/* ---- the GNU families by rule ---- */

struct family {
    const char *prefix, *spdx;
    const char *versions[3];
};

static const struct family families[] = {
    {"gnuafferogeneralpubliclicense", "AGPL", {"1.0", "3.0", NULL}},
    {"afferogeneralpubliclicense", "AGPL", {"1.0", "3.0", NULL}},
    {"gnuagpl", "AGPL", {"1.0", "3.0", NULL}},
    {"agpl", "AGPL", {"1.0", "3.0", NULL}},
    {"gnulessergeneralpubliclicense", "LGPL", {"2.1", "3.0", "2.0"}},
    {"lessergeneralpubliclicense", "LGPL", {"2.1", "3.0", "2.0"}},
    {"gnulibraryorlessergeneralpubliclicense", "LGPL", {"2.1", "3.0", "2.0"}},
    {"gnulibrarygeneralpubliclicense", "LGPL", {"2.0", NULL, NULL}},
    {"librarygeneralpubliclicense", "LGPL", {"2.0", NULL, NULL}},
    {"gnulgpl", "LGPL", {"2.1", "3.0", "2.0"}},
    {"lgpl", "LGPL", {"2.1", "3.0", "2.0"}},
    {"gnugeneralpubliclicense", "GPL", {"1.0", "2.0", "3.0"}},
    {"generalpubliclicense", "GPL", {"1.0", "2.0", "3.0"}},
    {"gnugpl", "GPL", {"1.0", "2.0", "3.0"}},
    {"gpl", "GPL", {"1.0", "2.0", "3.0"}},
    {"gnufreedocumentationlicense", "GFDL", {"1.1", "1.2", "1.3"}},
    {"gfdl", "GFDL", {"1.1", "1.2", "1.3"}},
};

static const char *const later[] = {"+",          "orlater", "oranylaterversion", "orlaterversion",
                                    "oranylater", "ornewer", "orgreater",         "orabove",
                                    "later"};

/* "gpl2+", "gnugeneralpubliclicense3", "lgpl21orlater" -> the SPDX id; NULL when not one */
static const char *family(struct fth_arena *a, const char *key)
{
    for (size_t f = 0; f < sizeof(families) / sizeof(*families); f++) {
        const struct family *fm = &families[f];
        size_t pl = strlen(fm->prefix);
        const char *r = key + pl;

        if (strncmp(key, fm->prefix, pl))
            continue;
        /* unversioned: Trivy's reading of "GPL" and "LGPL" in distro metadata; Fedora's
           "GPL+" is any version */
        if (!strcmp(fm->spdx, "GPL") && (!*r || !strcmp(r, "+")))
            return *r ? "GPL-1.0-or-later" : "GPL-2.0-or-later";
        if (!strcmp(fm->spdx, "LGPL") && (!*r || !strcmp(r, "+")))
            return "LGPL-2.0-or-later";
        for (size_t v = 0; v < 3 && fm->versions[v]; v++) {
            const char *ver = fm->versions[v];
            char full[4] = {ver[0], ver[2], 0, 0}, major[2] = {ver[0], 0};
            const char *forms[2] = {full, ver[2] == '0' ? major : NULL};

            for (size_t k = 0; k < 2; k++) {
                size_t fl;
                const char *s;

                if (!forms[k] || strncmp(r, forms[k], (fl = strlen(forms[k]))))
                    continue;
                s = r + fl;
                if (!*s || !strcmp(s, "only"))
                    return fth_arena_printf(a, "%s-%s-only", fm->spdx, ver);
                for (size_t l = 0; l < sizeof(later) / sizeof(*later); l++)
                    if (!strcmp(s, later[l]))
                        return fth_arena_printf(a, "%s-%s-or-later", fm->spdx, ver);
            }
        }
        return NULL;
    }
    return NULL;
}

/* ---- one licence ---- */

static void trim(const char **s, size_t *n)
{
    int again = 1;

    while (again) {
        again = 0;
        while (*n && (isspace((unsigned char)**s) || **s == '"' || **s == '\''))
            (*s)++, (*n)--;
        while (*n && (isspace((unsigned char)(*s)[*n - 1]) || strchr("\"'.,;", (*s)[*n - 1])))
            (*n)--;
        /* one pair of parentheses around everything */
        if (*n >= 2 && **s == '(' && (*s)[*n - 1] == ')') {
            int depth = 0, whole = 1;

            for (size_t i = 0; i < *n - 1; i++) {
                depth += (*s)[i] == '(' ? 1 : (*s)[i] == ')' ? -1 : 0;
                if (depth == 0) {
                    whole = 0;
                    break;
                }
            }
            if (whole) {
                (*s)++;
                *n -= 2;
                again = 1;
            }
        }
    }
}

static int has_prefix_ci(const char *s, size_t n, const char *p)
{
    size_t pl = strlen(p);

    return n >= pl && !strncasecmp(s, p, pl);
}

static int atom(const char **out, struct fth_arena *a, const char *s, size_t n, int depth);

/* A URL: the table, then the last path segment on the licence sites. */
static int url(const char **out, struct fth_arena *a, const char *s, size_t n, int depth)
{
    const char *host, *end = s + n, *seg, *dot;
    char key[KEY_MAX];
    const struct alias *al;
    size_t hl;

    if (has_prefix_ci(s, n, "https://"))
        s += 8;
    else if (has_prefix_ci(s, n, "http://"))
        s += 7;
    if ((size_t)(end - s) > 4 && !strncasecmp(s, "www.", 4))
        s += 4;
    for (const char *q = s; q < end; q++)
        if (*q == '?' || *q == '#') {
            end = q;
            break;
        }
    while (end > s && end[-1] == '/')
        end--;
    for (seg = end; seg > s && seg[-1] != '/'; seg--)
        ;
    dot = NULL;
    for (const char *q = seg; q < end; q++)
        if (*q == '.')
            dot = q;
    if (dot &&
        (lic_eq(dot, (size_t)(end - dot), ".txt") || lic_eq(dot, (size_t)(end - dot), ".html") ||
         lic_eq(dot, (size_t)(end - dot), ".htm") || lic_eq(dot, (size_t)(end - dot), ".php") ||
         lic_eq(dot, (size_t)(end - dot), ".md")))
        end = dot;
    if (end <= s || !squash(key, s, (size_t)(end - s)))
        return 0;
    if ((al = find_alias(key)) && *al->value) {
        int compound;

        *out = al->is_id ? lic_current(a, al->value, 0, &compound) : al->value;
        return *out ? 1 : FTH_ENOMEM;
    }
    host = s;
    for (hl = 0; host + hl < end && host[hl] != '/'; hl++)
        ;
    if (seg <= host + hl)
        return 0;
    for (size_t i = 0; i < sizeof(license_hosts) / sizeof(*license_hosts); i++)
        if (lic_eq(host, hl, license_hosts[i]))
            return atom(out, a, seg, (size_t)(end - seg), depth + 1);
    return 0;
}

/*
 * One licence name (no operators): 1 with *out set to its SPDX expression, 0 when unknown,
 * FTH_ENOMEM.
 */
static int atom(const char **out, struct fth_arena *a, const char *s, size_t n, int depth)
{
    const struct fth_license_expr *e;
    const struct alias *al;
    const char *p;
    char key[KEY_MAX];

    trim(&s, &n);
    if (!n || depth > 4)
        return 0;
    if (fth_license_parse(&e, a, s, n, NULL) == 0)
        return (*out = fth_license_format(a, e, FTH_LICENSE_FORMAT_CURRENT)) ? 1 : FTH_ENOMEM;
    /* a PyPI trove classifier: "License :: OSI Approved :: MIT License" */
    for (p = s + n; p > s + 1; p--)
        if (p[-1] == ':' && p[-2] == ':')
            return has_prefix_ci(s, n, "License") ? atom(out, a, p, (size_t)(s + n - p), depth + 1)
                                                  : 0;
    if (has_prefix_ci(s, n, "http://") || has_prefix_ci(s, n, "https://") ||
        has_prefix_ci(s, n, "www."))
        return url(out, a, s, n, depth);
    if (squash(key, s, n)) {
        if ((al = find_alias(key))) {
            int compound;

            if (!*al->value)
                return 0;
            *out = al->is_id ? lic_current(a, al->value, 0, &compound) : al->value;
            return *out ? 1 : FTH_ENOMEM;
        }
        if ((p = family(a, key)))
            return (*out = p) ? 1 : FTH_ENOMEM;
    }
    /* "GNU General Public License v3 (GPLv3)": the abbreviation, then the name */
    if (s[n - 1] == ')') {
        const char *open = NULL;
        int rc;

        for (p = s + n - 1; p > s; p--)
            if (p[-1] == '(') {
                open = p - 1;
                break;
            }
        if (open && open > s) {
            if ((rc = atom(out, a, open + 1, (size_t)(s + n - 1 - open - 1), depth + 1)) != 0)
                return rc;
            return atom(out, a, s, (size_t)(open - s), depth + 1);
        }
    }
    return 0;
}

/* ---- loose combinations ---- */

enum level { L_COMMA_OP, L_OR, L_AND, L_COMMA, L_WITH, L_NONE };

static int word_at(const char *s, size_t n, size_t i, const char *w)
{
    size_t wl = strlen(w);

    return i + wl <= n && !strncasecmp(s + i, w, wl) && i > 0 && isspace((unsigned char)s[i - 1]) &&
           i + wl < n && isspace((unsigned char)s[i + wl]);
}

/* "or" that is part of the name: "or later", "or any later version", "or newer" */
static int or_is_name(const char *s, size_t n, size_t i)
{
    static const char *const next_words[] = {"later", "any", "newer", "greater", "above"};
    size_t j = i + 2;

    while (j < n && isspace((unsigned char)s[j]))
        j++;
    for (size_t k = 0; k < sizeof(next_words) / sizeof(*next_words); k++)
        if (has_prefix_ci(s + j, n - j, next_words[k]))
            return 1;
    return 0;
}

/*
 * The first top-level operator of the given level in s: its offset in *at and its length in
 * *len; 0 when there is none.
 */
static int find_op(const char *s, size_t n, enum level lv, size_t *at, size_t *len)
{
    int depth = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '(') {
            depth++;
            continue;
        }
        if (s[i] == ')') {
            depth--;
            continue;
        }
        if (depth)
            continue;
        switch (lv) {
        case L_COMMA_OP:
            if (s[i] == ',') {
                size_t j = i + 1;

                while (j < n && isspace((unsigned char)s[j]))
                    j++;
                if (word_at(s, n, j, "and") || word_at(s, n, j, "or")) {
                    *at = i;
                    *len = j - i + (tolower((unsigned char)s[j]) == 'a' ? 3 : 2);
                    return 1;
                }
            }
            break;
        case L_OR:
            if (word_at(s, n, i, "or") && !or_is_name(s, n, i)) {
                *at = i;
                *len = 2;
                return 1;
            }
            if (s[i] == '|') {
                *at = i;
                *len = 1 + (i + 1 < n && s[i + 1] == '|');
                return 1;
            }
            break;
        case L_AND:
            if (word_at(s, n, i, "and")) {
                *at = i;
                *len = 3;
                return 1;
            }
            if (s[i] == '&') {
                *at = i;
                *len = 1 + (i + 1 < n && s[i + 1] == '&');
                return 1;
            }
            break;
        case L_COMMA:
            if (s[i] == ',' || s[i] == ';') {
                *at = i;
                *len = 1;
                return 1;
            }
            break;
        case L_WITH:
            if (word_at(s, n, i, "with")) {
                *at = i;
                *len = 4;
                return 1;
            }
            break;
        case L_NONE:
            break;
        }
    }
    return 0;
}

/* An exception in loose text: its id, NULL when unknown. */
static const char *exception(const char *s, size_t n)
{
    const struct lic_exception *x;
    char key[KEY_MAX], k2[KEY_MAX];

    trim(&s, &n);
    if ((x = lic_find_exception(s, n)))
        return x->id;
    if (!squash(key, s, n))
        return NULL;
    for (size_t i = 0; i < sizeof(exception_aliases) / sizeof(*exception_aliases); i++) {
        const char *al = exception_aliases[i][0];

        if (squash(k2, al, strlen(al)) && !strcmp(key, k2))
            return exception_aliases[i][1];
    }
    return NULL;
}

static int loose(const struct fth_license_expr **out, struct fth_arena *a, const char *s, size_t n,
                 int depth);

static int combine(const struct fth_license_expr **out, struct fth_arena *a, const char *s,
                   size_t n, enum level lv, size_t at, size_t oplen, int depth)
{
    const struct fth_license_expr *l, *r;
    struct fth_license_expr *e;
    int rc;

    if (lv == L_WITH) {
        const char *x = exception(s + at + oplen, n - at - oplen);

        if (!x || (rc = loose(&l, a, s, at, depth + 1)) <= 0)
            return x ? rc : 0;
        if (l->kind != FTH_LICENSE_ID)
            return 0;
        if (!(e = fth_arena_calloc(a, 1, sizeof(*e))))
            return FTH_ENOMEM;
        e->kind = FTH_LICENSE_WITH;
        e->left = l;
        e->exception = x;
        *out = e;
        return 1;
    }
    if ((rc = loose(&l, a, s, at, depth + 1)) <= 0 ||
        (rc = loose(&r, a, s + at + oplen, n - at - oplen, depth + 1)) <= 0)
        return rc;
    if (!(e = fth_arena_calloc(a, 1, sizeof(*e))))
        return FTH_ENOMEM;
    e->kind = lv == L_OR || (lv == L_COMMA_OP && tolower((unsigned char)s[at + oplen - 1]) == 'r')
                  ? FTH_LICENSE_OR
                  : FTH_LICENSE_AND;
    e->left = l;
    e->right = r;
    *out = e;
    return 1;
}

/* 1 with *out set, 0 when some part is unknown, FTH_ENOMEM */
static int loose(const struct fth_license_expr **out, struct fth_arena *a, const char *s, size_t n,
                 int depth)
{
    const char *x;
    int rc;

    trim(&s, &n);
    if (!n || depth > FTH_LIMIT_LICENSE_DEPTH)
        return 0;
    if ((rc = atom(&x, a, s, n, 0)) < 0)
        return rc;
    if (rc > 0) {
        if (fth_license_parse(out, a, x, strlen(x), NULL) < 0)
            return 0;
        return 1;
    }
    for (enum level lv = L_COMMA_OP; lv < L_NONE; lv++) {
        size_t at, oplen;

        if (find_op(s, n, lv, &at, &oplen))
            return combine(out, a, s, n, lv, at, oplen, depth);
    }
    return 0;
}

const char *fth_license_normalize(struct fth_arena *a, const char *value)
{
    const struct fth_license_expr *e;
    size_t n = value ? strlen(value) : 0;
    int rc, depth = 0;

    if (!n || n > FTH_LIMIT_LICENSE_LEN)
        return "";
    /* unbalanced parentheses: a cut or broken value, not a licence */
    for (size_t i = 0; i < n && depth >= 0; i++)
        depth += value[i] == '(' ? 1 : value[i] == ')' ? -1 : 0;
    if (depth)
        return "";
    if ((rc = loose(&e, a, value, n, 0)) < 0)
        return NULL;
    if (!rc)
        return "";
    return fth_license_format(a, e, FTH_LICENSE_FORMAT_CURRENT);
}
