/*
 * catalog: operating-system detection from /etc/os-release and the distro release files, and
 * end-of-life status from a built-in table (docs/catalogers.md lists it with its sources).
 *
 * Ranking: etc/os-release > usr/lib/os-release > distro release files (alpine-release,
 * debian_version, redhat-release, centos-release) > lsb-release. A file fills every field it
 * knows when it ranks at least as high as the file that filled the OS so far, and only the
 * still-empty fields otherwise, so the order in which files arrive does not matter.
 */
#include <ctype.h>
#include <string.h>

#include "catalog_int.h"
#include "../base/banned.h"

static const char *const release_files[] = {
    "etc/os-release",     "usr/lib/os-release", "etc/alpine-release", "etc/debian_version",
    "etc/redhat-release", "etc/centos-release", "etc/lsb-release",
};

int cat_os_wants(const char *path)
{
    for (size_t i = 0; i < sizeof(release_files) / sizeof(release_files[0]); i++)
        if (!strcmp(path, release_files[i]))
            return 1;
    return 0;
}

static int rank(const char *path)
{
    if (!path || !*path)
        return 0;
    if (!strcmp(path, "etc/os-release"))
        return 5;
    if (!strcmp(path, "usr/lib/os-release"))
        return 4;
    if (!strcmp(path, "etc/lsb-release"))
        return 2;
    return 3;
}

/* What one file says; NULL fields say nothing. */
struct os_says {
    const char *id, *version_id, *codename, *pretty_name, *family;
};

static const char *nz(const char *s)
{
    return s ? s : "";
}

static int same(const char *a, const char *b)
{
    return !strcmp(nz(a), nz(b));
}

/*
 * A file that ranks at least as high as the OS's current source overrides what it states; when
 * it names another distribution or version, what the older source said about codename and
 * name is dropped with it. A lower-ranked file only fills gaps, and only when it describes the
 * same distribution and does not contradict the version (Ubuntu ships a debian_version of
 * "bookworm/sid"; it must not make Ubuntu a Debian).
 */
static void fold(struct fth_os *os, const struct os_says *v, const char *path, int r)
{
    int over = r >= rank(os->path);

    if (over) {
        if ((v->id && *v->id && !same(v->id, os->id)) ||
            (v->version_id && *v->version_id && !same(v->version_id, os->version_id))) {
            os->codename = "";
            os->pretty_name = "";
            os->family = "";
        }
    } else if (*nz(os->id) &&
               (!v->id || !same(v->id, os->id) ||
                (*nz(os->version_id) && v->version_id && !same(v->version_id, os->version_id)) ||
                (*nz(os->version_id) && !v->version_id))) {
        return;
    }
#define FOLD(field)                                                                                \
    do {                                                                                           \
        if (v->field && *v->field && (over || !os->field || !*os->field))                          \
            os->field = v->field;                                                                  \
    } while (0)
    FOLD(id);
    FOLD(version_id);
    FOLD(codename);
    FOLD(pretty_name);
    FOLD(family);
#undef FOLD
    if (over)
        os->path = path;
    os->id = nz(os->id);
    os->version_id = nz(os->version_id);
    os->codename = nz(os->codename);
    os->pretty_name = nz(os->pretty_name);
    os->family = nz(os->family);
    os->release = nz(os->release);
    os->eol_date = nz(os->eol_date);
    os->path = nz(os->path);
}

/* One line of [start, end) without the trailing CR; returns the next line's start. */
static const char *next_line(const char *p, const char *end, const char **ls, size_t *ll)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;

    *ls = p;
    *ll = (size_t)(e - p);
    if (*ll && p[*ll - 1] == '\r')
        (*ll)--;
    return nl ? nl + 1 : end;
}

/* A shell-style value: "quoted \"x\"", 'single', or bare; trailing comments are kept bare. */
static char *unquote(struct fth_arena *a, const char *v, size_t n)
{
    char *out = fth_arena_alloc(a, n + 1);
    size_t o = 0;

    if (!out)
        return NULL;
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    if (n >= 1 && (v[0] == '"' || v[0] == '\'')) {
        char q = v[0];

        for (size_t i = 1; i < n && v[i] != q; i++) {
            if (q == '"' && v[i] == '\\' && i + 1 < n)
                i++;
            out[o++] = v[i];
        }
    } else {
        memcpy(out, v, n);
        o = n;
    }
    out[o] = '\0';
    return out;
}

static const char *family_of(const char *id)
{
    static const char *const map[][2] = {
        {"debian", "debian"},      {"ubuntu", "debian"},
        {"alpine", "alpine"},      {"rhel", "redhat"},
        {"centos", "redhat"},      {"rocky", "redhat"},
        {"almalinux", "redhat"},   {"ol", "redhat"},
        {"fedora", "redhat"},      {"amzn", "redhat"},
        {"mariner", "redhat"},     {"azurelinux", "redhat"},
        {"sles", "suse"},          {"sled", "suse"},
        {"opensuse-leap", "suse"}, {"opensuse-tumbleweed", "suse"},
        {"opensuse", "suse"},      {"suse", "suse"},
        {"wolfi", "wolfi"},        {"chainguard", "wolfi"},
    };

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(id, map[i][0]))
            return map[i][1];
    return NULL;
}

/* Debian's numbered releases, for debian_version and os-release without a codename. */
static const char *const debian_codenames[] = {
    NULL,     NULL,      NULL,     NULL,       NULL,       NULL,     "squeeze", "wheezy",
    "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky",   "duke",
};

static const char *debian_codename(const char *version)
{
    unsigned long major = 0;
    size_t i = 0;

    for (; i < 4 && isdigit((unsigned char)version[i]); i++)
        major = major * 10 + (unsigned long)(version[i] - '0');
    if (!i || major >= sizeof(debian_codenames) / sizeof(debian_codenames[0]))
        return NULL;
    return debian_codenames[major];
}

/* "12 (bookworm)" -> "bookworm" */
static const char *paren_word(struct fth_arena *a, const char *s)
{
    const char *o = strchr(s, '('), *c = o ? strchr(o, ')') : NULL;

    return c && c > o + 1 ? fth_arena_strndup(a, o + 1, (size_t)(c - o - 1)) : NULL;
}

static int parse_os_release(struct os_says *v, struct fth_arena *a, const char *p, const char *end)
{
    const char *version = NULL, *ubuntu_codename = NULL, *id_like = NULL;

    while (p < end) {
        const char *ls, *eq;
        size_t ll, kl;
        char *val;

        p = next_line(p, end, &ls, &ll);
        while (ll && isspace((unsigned char)*ls))
            ls++, ll--;
        if (!ll || *ls == '#' || !(eq = memchr(ls, '=', ll)))
            continue;
        kl = (size_t)(eq - ls);
        if (!(val = unquote(a, eq + 1, ll - kl - 1)))
            return FTH_ENOMEM;
#define KEY(k) (kl == sizeof(k) - 1 && !memcmp(ls, k, kl))
        if (KEY("ID"))
            v->id = val;
        else if (KEY("VERSION_ID"))
            v->version_id = val;
        else if (KEY("VERSION_CODENAME"))
            v->codename = val;
        else if (KEY("UBUNTU_CODENAME"))
            ubuntu_codename = val;
        else if (KEY("PRETTY_NAME"))
            v->pretty_name = val;
        else if (KEY("VERSION"))
            version = val;
        else if (KEY("ID_LIKE"))
            id_like = val;
#undef KEY
    }
    if ((!v->codename || !*v->codename) && ubuntu_codename)
        v->codename = ubuntu_codename;
    if ((!v->codename || !*v->codename) && version && v->id && !strcmp(v->id, "debian"))
        v->codename = paren_word(a, version);
    if (v->id && !(v->family = family_of(v->id)) && id_like) {
        /* the first ID_LIKE word that names a known family: "rhel centos fedora" */
        char word[64];
        const char *s = id_like;

        while (*s && !v->family) {
            size_t n = 0;

            while (*s == ' ')
                s++;
            while (s[n] && s[n] != ' ')
                n++;
            if (n && n < sizeof(word)) {
                memcpy(word, s, n);
                word[n] = '\0';
                v->family = family_of(word);
            }
            s += n;
        }
    }
    return 0;
}

static char *first_line(struct fth_arena *a, const char *p, const char *end)
{
    const char *ls;
    size_t ll;

    next_line(p, end, &ls, &ll);
    while (ll && isspace((unsigned char)ls[ll - 1]))
        ll--;
    while (ll && isspace((unsigned char)*ls))
        ls++, ll--;
    return fth_arena_strndup(a, ls, ll);
}

/* "Rocky Linux release 9.3 (Blue Onyx)" and its Red Hat family siblings. */
static int parse_redhat_release(struct os_says *v, struct fth_arena *a, const char *p,
                                const char *end)
{
    static const char *const names[][2] = {
        {"Red Hat Enterprise Linux", "rhel"},
        {"CentOS Stream", "centos"},
        {"CentOS", "centos"},
        {"Rocky Linux", "rocky"},
        {"AlmaLinux", "almalinux"},
        {"Oracle Linux", "ol"},
        {"Fedora", "fedora"},
        {"Amazon Linux", "amzn"},
        {"CBL-Mariner", "mariner"},
    };
    char *line = first_line(a, p, end);
    const char *rel, *ver;
    size_t n = 0;

    if (!line)
        return FTH_ENOMEM;
    if (!*line)
        return 0;
    v->pretty_name = line;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strncmp(line, names[i][0], strlen(names[i][0]))) {
            v->id = names[i][1];
            break;
        }
    if ((rel = strstr(line, "release "))) {
        ver = rel + 8;
        while (isdigit((unsigned char)ver[n]) || ver[n] == '.')
            n++;
        if (n && !(v->version_id = fth_arena_strndup(a, ver, n)))
            return FTH_ENOMEM;
    }
    v->codename = paren_word(a, line);
    if (v->id)
        v->family = family_of(v->id);
    return 0;
}

static int parse_lsb_release(struct os_says *v, struct fth_arena *a, const char *p, const char *end)
{
    while (p < end) {
        const char *ls, *eq;
        size_t ll, kl;
        char *val;

        p = next_line(p, end, &ls, &ll);
        if (!(eq = memchr(ls, '=', ll)))
            continue;
        kl = (size_t)(eq - ls);
        if (!(val = unquote(a, eq + 1, ll - kl - 1)))
            return FTH_ENOMEM;
        if (kl == 10 && !memcmp(ls, "DISTRIB_ID", 10)) {
            for (char *c = val; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            v->id = val;
        } else if (kl == 15 && !memcmp(ls, "DISTRIB_RELEASE", 15)) {
            v->version_id = val;
        } else if (kl == 16 && !memcmp(ls, "DISTRIB_CODENAME", 16)) {
            v->codename = val;
        } else if (kl == 19 && !memcmp(ls, "DISTRIB_DESCRIPTION", 19)) {
            v->pretty_name = val;
        }
    }
    if (v->id)
        v->family = family_of(v->id);
    return 0;
}

int cat_os_parse(struct fth_os *os, struct fth_arena *a, const char *path,
                 const unsigned char *data, size_t len)
{
    const char *p = (const char *)data, *end = p + len;
    struct os_says v;
    const char *kept_path;
    int rc = 0;

    memset(&v, 0, sizeof(v));
    if (!(kept_path = fth_arena_strdup(a, path)))
        return FTH_ENOMEM;
    if (!strcmp(path, "etc/os-release") || !strcmp(path, "usr/lib/os-release")) {
        rc = parse_os_release(&v, a, p, end);
    } else if (!strcmp(path, "etc/alpine-release")) {
        v.id = "alpine";
        v.family = "alpine";
        if (!(v.version_id = first_line(a, p, end)))
            rc = FTH_ENOMEM;
    } else if (!strcmp(path, "etc/debian_version")) {
        /* "12.5", or "trixie/sid" on testing and unstable */
        char *line = first_line(a, p, end);
        char *slash;

        if (!line)
            return FTH_ENOMEM;
        v.id = "debian";
        v.family = "debian";
        if ((slash = strchr(line, '/'))) {
            *slash = '\0';
            v.codename = line;
        } else if (*line) {
            size_t n = 0;

            v.codename = debian_codename(line);
            while (isdigit((unsigned char)line[n]))
                n++;
            line[n] = '\0';
            if (n)
                v.version_id = line;
        }
    } else if (!strcmp(path, "etc/redhat-release") || !strcmp(path, "etc/centos-release")) {
        rc = parse_redhat_release(&v, a, p, end);
    } else if (!strcmp(path, "etc/lsb-release")) {
        rc = parse_lsb_release(&v, a, p, end);
    } else {
        return 0;
    }
    if (rc < 0)
        return rc;
    fold(os, &v, kept_path, rank(path));
    return 0;
}

/*
 * End of life: the date after which the release gets no more security updates from its
 * vendor at no cost (Debian: the end of Debian LTS; Ubuntu: end of standard support; Alpine:
 * the branch's end of support; RHEL and rebuilds: end of maintenance; SUSE: end of general
 * support; Amazon Linux: end of support). Keys are the `release` computed below. Rolling
 * distributions (Wolfi, Chainguard, openSUSE Tumbleweed, Debian testing/unstable, Alpine
 * edge) never reach end of life.
 */
struct eol_row {
    const char *id;
    const char *release;
    const char *date;
};

static const struct eol_row eol_table[] = {
    {"debian", "squeeze", "2016-02-29"},
    {"debian", "wheezy", "2018-05-31"},
    {"debian", "jessie", "2020-06-30"},
    {"debian", "stretch", "2022-06-30"},
    {"debian", "buster", "2024-06-30"},
    {"debian", "bullseye", "2026-08-31"},
    {"debian", "bookworm", "2028-06-30"},
    {"debian", "trixie", "2030-06-30"},
    {"ubuntu", "14.04", "2019-04-25"},
    {"ubuntu", "16.04", "2021-04-30"},
    {"ubuntu", "18.04", "2023-05-31"},
    {"ubuntu", "20.04", "2025-05-29"},
    {"ubuntu", "22.04", "2027-06-01"},
    {"ubuntu", "23.04", "2024-01-25"},
    {"ubuntu", "23.10", "2024-07-11"},
    {"ubuntu", "24.04", "2029-05-31"},
    {"ubuntu", "24.10", "2025-07-10"},
    {"ubuntu", "25.04", "2026-01-15"},
    {"alpine", "v3.10", "2021-05-01"},
    {"alpine", "v3.11", "2021-11-01"},
    {"alpine", "v3.12", "2022-05-01"},
    {"alpine", "v3.13", "2022-11-01"},
    {"alpine", "v3.14", "2023-05-01"},
    {"alpine", "v3.15", "2023-11-01"},
    {"alpine", "v3.16", "2024-05-23"},
    {"alpine", "v3.17", "2024-11-22"},
    {"alpine", "v3.18", "2025-05-09"},
    {"alpine", "v3.19", "2025-11-01"},
    {"alpine", "v3.20", "2026-04-01"},
    {"alpine", "v3.21", "2026-11-01"},
    {"alpine", "v3.22", "2027-05-01"},
    {"rhel", "6", "2020-11-30"},
    {"rhel", "7", "2024-06-30"},
    {"rhel", "8", "2029-05-31"},
    {"rhel", "9", "2032-05-31"},
    {"centos", "6", "2020-11-30"},
    {"centos", "7", "2024-06-30"},
    {"centos", "8", "2021-12-31"},
    {"centos", "9", "2027-05-31"},
    {"rocky", "8", "2029-05-31"},
    {"rocky", "9", "2032-05-31"},
    {"almalinux", "8", "2029-05-31"},
    {"almalinux", "9", "2032-05-31"},
    {"ol", "7", "2024-12-31"},
    {"ol", "8", "2029-07-31"},
    {"ol", "9", "2032-06-30"},
    {"fedora", "37", "2023-12-05"},
    {"fedora", "38", "2024-05-21"},
    {"fedora", "39", "2024-11-26"},
    {"fedora", "40", "2025-05-13"},
    {"fedora", "41", "2025-12-15"},
    {"sles", "12.5", "2024-10-31"},
    {"sles", "15.3", "2022-12-31"},
    {"sles", "15.4", "2023-12-31"},
    {"sles", "15.5", "2024-12-31"},
    {"sles", "15.6", "2025-12-31"},
    {"opensuse-leap", "15.3", "2022-12-31"},
    {"opensuse-leap", "15.4", "2023-12-07"},
    {"opensuse-leap", "15.5", "2024-12-31"},
    {"opensuse-leap", "15.6", "2026-04-30"},
    {"amzn", "1", "2023-12-31"},
    {"amzn", "2", "2026-06-30"},
    {"amzn", "2023", "2029-06-30"},
    {"mariner", "1.0", "2023-07-31"},
    {"mariner", "2.0", "2025-07-31"},
};

static int is_rhel_like(const char *id)
{
    return !strcmp(id, "rhel") || !strcmp(id, "centos") || !strcmp(id, "rocky") ||
           !strcmp(id, "almalinux") || !strcmp(id, "ol");
}

void cat_os_finish(struct fth_os *os, struct fth_arena *a, const char *today)
{
    const char *id, *ver, *release = "";

    os->id = nz(os->id);
    os->version_id = nz(os->version_id);
    os->codename = nz(os->codename);
    os->pretty_name = nz(os->pretty_name);
    os->family = nz(os->family);
    os->path = nz(os->path);
    os->eol_date = "";
    os->eol = 0;
    id = os->id;
    ver = os->version_id;
    if (!*os->family && *id) {
        const char *f = family_of(id);

        os->family = f ? f : "";
    }
    if (!strcmp(id, "debian")) {
        if (!*os->codename && *ver) {
            const char *c = debian_codename(ver);

            os->codename = c ? c : "";
        }
        release = os->codename;
    } else if (!strcmp(id, "alpine")) {
        const char *dot = strchr(ver, '.'), *dot2 = dot ? strchr(dot + 1, '.') : NULL;

        if (strstr(ver, "_alpha") || strstr(ver, "edge"))
            release = "edge";
        else if (dot) {
            size_t n = dot2 ? (size_t)(dot2 - ver) : strlen(ver);
            char *r = fth_arena_alloc(a, n + 2);

            if (r) {
                r[0] = 'v';
                memcpy(r + 1, ver, n);
                r[n + 1] = '\0';
                release = r;
            }
        }
    } else if (is_rhel_like(id)) {
        const char *dot = strchr(ver, '.');

        release = dot ? fth_arena_strndup(a, ver, (size_t)(dot - ver)) : ver;
    } else if (*id) {
        release = ver;
    }
    os->release = release ? release : "";
    for (size_t i = 0; *os->release && i < sizeof(eol_table) / sizeof(eol_table[0]); i++) {
        if (!strcmp(eol_table[i].id, id) && !strcmp(eol_table[i].release, os->release)) {
            os->eol_date = eol_table[i].date;
            os->eol = today && strcmp(eol_table[i].date, today) < 0;
            break;
        }
    }
}
