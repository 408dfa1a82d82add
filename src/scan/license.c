/*
 * scan: licence findings. Every declared licence of every package (those a later layer
 * deleted included: they are in the image's bytes) becomes one finding, its severity from the
 * licence's category as Trivy grades them. With a deny list the scanner is a gate: only the
 * licences the list denies are findings, at least HIGH.
 */
#include <string.h>

#include "scan_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

/* Trivy's grading: forbidden CRITICAL, restricted HIGH, reciprocal MEDIUM, the rest LOW. */
static enum fth_severity category_severity(enum fth_license_category c)
{
    switch (c) {
    case FTH_LICENSE_FORBIDDEN:
        return FTH_SEV_CRITICAL;
    case FTH_LICENSE_RESTRICTED:
        return FTH_SEV_HIGH;
    case FTH_LICENSE_RECIPROCAL:
        return FTH_SEV_MEDIUM;
    case FTH_LICENSE_NOTICE:
    case FTH_LICENSE_PERMISSIVE:
    case FTH_LICENSE_UNENCUMBERED:
        return FTH_SEV_LOW;
    case FTH_LICENSE_UNKNOWN:
        break;
    }
    return FTH_SEV_UNKNOWN;
}

/* A licence the package states twice (dpkg copyright paragraphs often do) is one finding. */
static int seen_before(const struct fth_package *p, size_t i, const char *id)
{
    for (size_t j = 0; j < i; j++) {
        const struct fth_license *l = &p->licenses[j];

        if (!strcmp(*l->spdx ? l->spdx : l->value, id))
            return 1;
    }
    return 0;
}

static int license_finding(struct scan_sink *s, const struct fth_package *p,
                           const struct fth_license *l, const struct fth_license_deny *deny)
{
    /* an unrecognised licence is judged as any licence outside the SPDX list */
    const char *id = *l->spdx ? l->spdx : l->value, *why = NULL, **refs;
    enum fth_license_category cat = fth_license_expr_category(l->spdx);
    struct fth_scan_finding *f;

    if (deny && !fth_license_denied(deny, *l->spdx ? l->spdx : "LicenseRef-unrecognised", &why))
        return 0;
    if (!(f = scan_new_finding(s, FTH_CLASS_LICENSE)))
        return s->v.len >= FTH_LIMIT_SCAN_FINDINGS ? 0 : FTH_ENOMEM;
    f->id = id;
    f->category = fth_license_category_name(cat);
    f->severity = category_severity(cat);
    if (why && f->severity < FTH_SEV_HIGH)
        f->severity = FTH_SEV_HIGH;
    f->severity_source = "rule";
    f->pkg = p;
    f->path = p->path;
    f->layer = (int)p->layer;
    f->present = !p->hidden;
    f->title = fth_arena_printf(s->a, "%s (%s)", id, f->category);
    f->message =
        fth_arena_printf(s->a, "%s %s (%s) is licensed %s (%s)%s%s%s%s", p->name, p->version,
                         p->type, id, f->category, why ? ", denied by '" : "", why ? why : "",
                         why ? "'" : "", p->hidden ? " (deleted by a later layer)" : "");
    if (!f->title || !f->message)
        return FTH_ENOMEM;
    if (why)
        f->remediation = "Replace the package, or record the approved exception in an ignore "
                         "file (a 'licenses' entry naming the licence and the package).";
    else if (cat == FTH_LICENSE_UNKNOWN)
        f->remediation = "Find out the licence: read the package's copyright or licence file.";
    if (fth_license_is_id(id)) {
        if (!(refs = fth_arena_calloc(s->a, 1, sizeof(*refs))) ||
            !(refs[0] = fth_arena_printf(s->a, "https://spdx.org/licenses/%s.html", id)))
            return FTH_ENOMEM;
        f->references = refs;
        f->nreferences = 1;
    }
    return 0;
}

int scan_license_findings(struct scan_sink *s, const struct fth_inventory *inv,
                          const struct fth_license_deny *deny)
{
    int error;

    for (size_t i = 0; i < inv->npackages; i++) {
        const struct fth_package *p = &inv->packages[i];

        for (size_t j = 0; j < p->nlicenses; j++) {
            const struct fth_license *l = &p->licenses[j];

            if (!*l->value && !*l->spdx)
                continue;
            if (seen_before(p, j, *l->spdx ? l->spdx : l->value))
                continue;
            if ((error = license_finding(s, p, l, deny)) < 0)
                return error;
        }
    }
    return 0;
}
