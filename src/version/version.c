/*
 * Ecosystem names, dispatch to each ecosystem's operations, the generic relation list, and
 * OSV range evaluation.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "version_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct eco_info {
    enum fth_ecosystem eco;
    const char *osv;   /* OSV's name */
    const char *alias; /* Fathom's short alias */
    const struct version_ops *ops;
};

static const struct eco_info ecos[] = {
    {FTH_ECO_DEBIAN, "Debian", "deb", &version_deb_ops},
    {FTH_ECO_ALPINE, "Alpine", "apk", &version_apk_ops},
    {FTH_ECO_RPM, "Red Hat", "rpm", &version_rpm_ops},
    {FTH_ECO_NPM, "npm", "semver", &version_npm_ops},
    {FTH_ECO_GO, "Go", "go", &version_go_ops},
    {FTH_ECO_PYPI, "PyPI", "pypi", &version_pypi_ops},
    {FTH_ECO_MAVEN, "Maven", "maven", &version_maven_ops},
    {FTH_ECO_RUBYGEMS, "RubyGems", "gem", &version_gem_ops},
    {FTH_ECO_NUGET, "NuGet", "nuget", &version_nuget_ops},
    {FTH_ECO_PACKAGIST, "Packagist", "composer", &version_composer_ops},
    {FTH_ECO_CRATES, "crates.io", "cargo", &version_cargo_ops},
    {FTH_ECO_HEX, "Hex", "hex", &version_hex_ops},
};

/* Other OSV names that share an ordering. */
static const struct {
    const char *name;
    enum fth_ecosystem eco;
} more_names[] = {
    {"Ubuntu", FTH_ECO_DEBIAN},   {"Rocky Linux", FTH_ECO_RPM},   {"AlmaLinux", FTH_ECO_RPM},
    {"openSUSE", FTH_ECO_RPM},    {"SUSE", FTH_ECO_RPM},          {"Mageia", FTH_ECO_RPM},
    {"Wolfi", FTH_ECO_ALPINE},    {"Chainguard", FTH_ECO_ALPINE}, {"Photon OS", FTH_ECO_RPM},
    {"Azure Linux", FTH_ECO_RPM},
};

static const struct eco_info *info_of(enum fth_ecosystem eco)
{
    size_t i;

    for (i = 0; i < sizeof(ecos) / sizeof(ecos[0]); i++)
        if (ecos[i].eco == eco)
            return &ecos[i];
    return NULL;
}

int fth_ecosystem_parse(enum fth_ecosystem *out, const char *name)
{
    const char *colon = strchr(name, ':');
    size_t n = colon ? (size_t)(colon - name) : strlen(name), i;

    for (i = 0; i < sizeof(ecos) / sizeof(ecos[0]); i++) {
        if ((strlen(ecos[i].osv) == n && !strncmp(ecos[i].osv, name, n)) ||
            (!colon && !strcasecmp(ecos[i].alias, name))) {
            *out = ecos[i].eco;
            return 0;
        }
    }
    for (i = 0; i < sizeof(more_names) / sizeof(more_names[0]); i++) {
        if (strlen(more_names[i].name) == n && !strncmp(more_names[i].name, name, n)) {
            *out = more_names[i].eco;
            return 0;
        }
    }
    *out = FTH_ECO_UNKNOWN;
    return FTH_EINVALID;
}

const char *fth_ecosystem_name(enum fth_ecosystem eco)
{
    const struct eco_info *info = info_of(eco);

    return info ? info->osv : "unknown";
}

static int valid_with(const struct version_ops *ops, const char *v, unsigned flags)
{
    return v && strlen(v) <= FTH_LIMIT_VERSION_LEN && ops->valid(v, flags);
}

int fth_version_valid(enum fth_ecosystem eco, const char *v, unsigned flags)
{
    const struct eco_info *info = info_of(eco);

    return info && valid_with(info->ops, v, flags);
}

static int invalid_version(struct fth_error *err, enum fth_ecosystem eco, const char *v)
{
    if (v && strlen(v) > FTH_LIMIT_VERSION_LEN)
        return fth_error_set(err, FTH_EINVALID, "%s version longer than %d bytes (limit)",
                             fth_ecosystem_name(eco), FTH_LIMIT_VERSION_LEN);
    return fth_error_set(err, FTH_EINVALID, "'%s' is not a valid %s version", v ? v : "",
                         fth_ecosystem_name(eco));
}

int fth_version_compare(int *cmp, enum fth_ecosystem eco, const char *a, const char *b,
                        unsigned flags, struct fth_error *err)
{
    const struct eco_info *info = info_of(eco);

    *cmp = 0;
    if (!info)
        return fth_error_set(err, FTH_EINVALID, "unknown ecosystem");
    if (info->ops->compare_valid && a && b && strlen(a) <= FTH_LIMIT_VERSION_LEN &&
        strlen(b) <= FTH_LIMIT_VERSION_LEN) {
        switch (info->ops->compare_valid(cmp, a, b, flags)) {
        case 0:
            return 0;
        case -1:
            return invalid_version(err, eco, a);
        default:
            return invalid_version(err, eco, b);
        }
    }
    if (!valid_with(info->ops, a, flags))
        return invalid_version(err, eco, a);
    if (!valid_with(info->ops, b, flags))
        return invalid_version(err, eco, b);
    *cmp = info->ops->compare(a, b, flags);
    return 0;
}

void version_trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t' || **s == '\n' || **s == '\r'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\n' || (*e)[-1] == '\r'))
        (*e)--;
}

/* ---- the generic relation list ---- */

static int is_op_char(char c)
{
    return c == '<' || c == '>' || c == '=' || c == '!' || c == '~' || c == '^';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

int version_relations(const struct version_ops *ops, const char *v, const char *range,
                      unsigned flags, struct fth_error *err,
                      int (*extra)(const char *op, const char *v, const char *want, unsigned flags))
{
    char op[4], want[FTH_LIMIT_VERSION_LEN + 1];
    const char *p = range;
    int seen = 0;

    while (*p) {
        size_t n = 0;
        int cmp, r;

        while (is_space(*p) || *p == ',')
            p++;
        if (!*p)
            break;
        while (is_op_char(*p) && n < sizeof(op) - 1)
            op[n++] = *p++;
        op[n] = '\0';
        if (is_op_char(*p))
            return fth_error_set(err, FTH_EINVALID, "unknown operator in '%s'", range);
        while (is_space(*p))
            p++;
        for (n = 0; *p && !is_space(*p) && *p != ','; p++) {
            if (n == FTH_LIMIT_VERSION_LEN)
                return fth_error_set(err, FTH_EINVALID, "version in '%.40s...' too long", range);
            want[n++] = *p;
        }
        want[n] = '\0';
        if (!n)
            return fth_error_set(err, FTH_EINVALID, "expected a version after '%s' in '%s'", op,
                                 range);
        if (extra && (r = extra(op, v, want, flags)) != -2) {
            if (r < 0)
                return fth_error_set(err, FTH_EINVALID, "'%s' is not a valid version", want);
            if (!r)
                return 0;
            seen = 1;
            continue;
        }
        if (!ops->valid(want, flags))
            return fth_error_set(err, FTH_EINVALID, "'%s' in '%s' is not a valid version", want,
                                 range);
        cmp = ops->compare(v, want, flags);
        if (!strcmp(op, "<"))
            r = cmp < 0;
        else if (!strcmp(op, "<<"))
            r = cmp < 0;
        else if (!strcmp(op, "<="))
            r = cmp <= 0;
        else if (!strcmp(op, ">"))
            r = cmp > 0;
        else if (!strcmp(op, ">>"))
            r = cmp > 0;
        else if (!strcmp(op, ">="))
            r = cmp >= 0;
        else if (!*op || !strcmp(op, "=") || !strcmp(op, "=="))
            r = cmp == 0;
        else if (!strcmp(op, "!="))
            r = cmp != 0;
        else
            return fth_error_set(err, FTH_EINVALID,
                                 "unknown operator '%s' in '%s': expected <, <=, >, >=, =, != "
                                 "(or << and >>)",
                                 op, range);
        if (!r)
            return 0;
        seen = 1;
    }
    if (!seen)
        return fth_error_set(err, FTH_EINVALID, "empty range");
    return 1;
}

int fth_version_satisfies(int *out, enum fth_ecosystem eco, const char *version, const char *range,
                          unsigned flags, struct fth_error *err)
{
    const struct eco_info *info = info_of(eco);
    int r;

    *out = 0;
    if (!info)
        return fth_error_set(err, FTH_EINVALID, "unknown ecosystem");
    if (!valid_with(info->ops, version, flags))
        return invalid_version(err, eco, version);
    if (strlen(range) > FTH_LIMIT_RANGE_LEN)
        return fth_error_set(err, FTH_EINVALID, "range longer than %d bytes (limit)",
                             FTH_LIMIT_RANGE_LEN);
    r = info->ops->satisfies ? info->ops->satisfies(version, range, flags, err)
                             : version_relations(info->ops, version, range, flags, err, NULL);
    if (r < 0)
        return r;
    *out = r;
    return 0;
}

/* ---- OSV ---- */

/* SemVer 2.0 ordering for SEMVER ranges: npm's strict parse (a leading 'v' allowed). */
static const char *semver_text(const char *v)
{
    return v[0] == 'v' ? v + 1 : v;
}

struct osv_cmp {
    const struct version_ops *ops;
    enum fth_ecosystem eco;
    int semver;
};

static int osv_valid(const struct osv_cmp *c, const char *v)
{
    if (c->semver)
        return valid_with(&version_npm_ops, semver_text(v), 0);
    return valid_with(c->ops, v, 0);
}

static int osv_compare(const struct osv_cmp *c, const char *a, const char *b)
{
    if (c->semver)
        return version_npm_ops.compare(semver_text(a), semver_text(b), 0);
    return c->ops->compare(a, b, 0);
}

static int event_is_zero(const struct fth_osv_event *e)
{
    return e->kind == FTH_OSV_INTRODUCED && !strcmp(e->version, "0");
}

/* Event order: by version, "introduced: 0" before everything. */
static int event_cmp(const struct osv_cmp *c, const struct fth_osv_event *a,
                     const struct fth_osv_event *b)
{
    int za = event_is_zero(a), zb = event_is_zero(b);

    if (za || zb)
        return zb - za;
    return osv_compare(c, a->version, b->version);
}

/*
 * One range, as the OSV schema's evaluation specifies: a version is affected when it is
 * below every `limit` (if any) and, walking the events in version order, the last event at or
 * below it left it vulnerable: introduced (v >= introduced) sets, fixed (v >= fixed) and
 * last_affected (v > last_affected) clear.
 */
static int range_affected(int *out, const struct osv_cmp *c, const char *version,
                          const struct fth_osv_range *r, struct fth_error *err)
{
    const struct fth_osv_event **sorted = NULL;
    size_t i, j, n = 0;
    int vulnerable = 0, limits = 0, below_limit = 0, error = 0;

    *out = 0;
    for (i = 0; i < r->len; i++) {
        if (!event_is_zero(&r->events[i]) && !osv_valid(c, r->events[i].version))
            return fth_error_set(err, FTH_EINVALID, "event version '%s' is not a valid %s version",
                                 r->events[i].version,
                                 c->semver ? "SemVer" : fth_ecosystem_name(c->eco));
    }
    if (!r->len)
        return 0;
    if (!(sorted = calloc(r->len, sizeof(*sorted))))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    /* Insertion sort: advisories have a handful of events. */
    for (i = 0; i < r->len; i++) {
        const struct fth_osv_event *e = &r->events[i];

        for (j = n; j > 0 && event_cmp(c, sorted[j - 1], e) > 0; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = e;
        n++;
    }
    for (i = 0; i < n; i++) {
        const struct fth_osv_event *e = sorted[i];
        int cmp = event_is_zero(e) ? 1 : osv_compare(c, version, e->version);

        switch (e->kind) {
        case FTH_OSV_INTRODUCED:
            if (cmp >= 0)
                vulnerable = 1;
            break;
        case FTH_OSV_FIXED:
            if (cmp >= 0)
                vulnerable = 0;
            break;
        case FTH_OSV_LAST_AFFECTED:
            if (cmp > 0)
                vulnerable = 0;
            break;
        case FTH_OSV_LIMIT:
            limits = 1;
            if (cmp < 0)
                below_limit = 1;
            break;
        }
    }
    free(sorted);
    *out = vulnerable && (!limits || below_limit);
    return error;
}

int fth_osv_affected(int *out, enum fth_ecosystem eco, const char *version,
                     const struct fth_osv_range *ranges, size_t nranges,
                     const char *const *versions, size_t nversions, struct fth_error *err)
{
    const struct eco_info *info = info_of(eco);
    size_t i;
    int error;

    *out = 0;
    if (!info)
        return fth_error_set(err, FTH_EINVALID, "unknown ecosystem");
    for (i = 0; i < nversions; i++) {
        if (!strcmp(versions[i], version)) {
            *out = 1;
            return 0;
        }
    }
    for (i = 0; i < nranges && !*out; i++) {
        struct osv_cmp c = {info->ops, eco, ranges[i].type == FTH_OSV_SEMVER};

        if (ranges[i].type == FTH_OSV_GIT)
            continue;
        if (!osv_valid(&c, version))
            return invalid_version(err, eco, version);
        if ((error = range_affected(out, &c, version, &ranges[i], err)) < 0)
            return error;
    }
    return 0;
}
