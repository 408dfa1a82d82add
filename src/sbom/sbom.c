/*
 * sbom: entry point and what both formats share.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sbom_int.h"

int fth_sbom_format_parse(enum fth_sbom_format *out, const char *name)
{
    if (!strcmp(name, "cyclonedx") || !strcmp(name, "cyclonedx-json")) {
        *out = FTH_SBOM_CYCLONEDX;
        return 0;
    }
    if (!strcmp(name, "spdx") || !strcmp(name, "spdx-json")) {
        *out = FTH_SBOM_SPDX;
        return 0;
    }
    return FTH_EUSAGE;
}

/* A version 4 UUID from the kernel's random source. */
static int random_uuid(char out[37])
{
    unsigned char b[16];
    ssize_t n = -1;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

    if (fd >= 0) {
        n = read(fd, b, sizeof(b));
        close(fd);
    }
    if (n != (ssize_t)sizeof(b))
        return FTH_EIO;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
    return 0;
}

static int valid_uuid(const char *s)
{
    if (strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;

        if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
            return 0;
    }
    return 1;
}

int sbom_doc_init(struct sbom_doc *d, const struct fth_image *img, const struct fth_inventory *inv,
                  const struct fth_sbom_opts *opts, struct fth_error *err)
{
    memset(d, 0, sizeof(*d));
    d->img = img;
    d->inv = inv;
    if (opts && opts->timestamp) {
        if (strlen(opts->timestamp) >= sizeof(d->timestamp))
            return fth_error_set(err, FTH_EUSAGE, "timestamp '%s' is too long", opts->timestamp);
        memcpy(d->timestamp, opts->timestamp, strlen(opts->timestamp) + 1);
    } else {
        time_t now = time(NULL);
        struct tm tm;

        if (!gmtime_r(&now, &tm) ||
            !strftime(d->timestamp, sizeof(d->timestamp), "%Y-%m-%dT%H:%M:%SZ", &tm))
            return fth_error_set(err, FTH_EIO, "cannot read the clock");
    }
    if (opts && opts->uuid) {
        if (!valid_uuid(opts->uuid))
            return fth_error_set(err, FTH_EUSAGE, "'%s' is not a lowercase UUID", opts->uuid);
        memcpy(d->uuid, opts->uuid, 37);
    } else if (random_uuid(d->uuid) < 0) {
        return fth_error_set(err, FTH_EIO, "cannot read /dev/urandom for a UUID");
    }
    d->name = *img->name ? img->name : img->ref;
    if (opts) {
        d->files = opts->files;
        d->nfiles = opts->nfiles;
    }
    return 0;
}

char *sbom_license_expression(const struct fth_package *p)
{
    struct fth_buf b = FTH_BUF_INIT;
    int multi = p->nlicenses > 1;

    if (!p->nlicenses)
        return NULL;
    for (size_t i = 0; i < p->nlicenses; i++) {
        const char *e = p->licenses[i].spdx;
        int compound = strchr(e, ' ') != NULL;
        int dup = 0;

        if (!*e) {
            fth_buf_release(&b);
            return NULL;
        }
        for (size_t j = 0; j < i; j++)
            dup |= !strcmp(p->licenses[j].spdx, e);
        if (dup)
            continue;
        if ((b.len && fth_buf_puts(&b, " AND ") < 0) ||
            fth_buf_printf(&b, multi && compound ? "(%s)" : "%s", e) < 0) {
            fth_buf_release(&b);
            return NULL;
        }
    }
    return fth_buf_detach(&b, NULL);
}

static int distro_type(const char *type)
{
    return !strcmp(type, "deb") || !strcmp(type, "rpm") || !strcmp(type, "apk");
}

long sbom_resolve_dependency(const struct fth_inventory *inv, const struct fth_package *p,
                             const char *dep)
{
    long any = -1;

    for (size_t i = 0; i < inv->npackages; i++) {
        const struct fth_package *q = &inv->packages[i];

        if (q == p || strcmp(q->type, p->type) || strcmp(q->name, dep))
            continue;
        if (!distro_type(p->type) || !strcmp(q->arch, p->arch))
            return (long)i;
        if (any < 0 && (!strcmp(q->arch, "all") || !strcmp(q->arch, "noarch") || !*q->arch))
            any = (long)i;
    }
    return any;
}

const char *sbom_layer_digest(const struct fth_image *img, unsigned layer)
{
    return layer < img->nlayers ? img->layers[layer].digest : "";
}

int sbom_dump(struct fth_buf *out, json_t *root, struct fth_error *err)
{
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    int rc = 0;

    json_decref(root);
    if (!s)
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    if (fth_buf_puts(out, s) < 0 || fth_buf_putc(out, '\n') < 0)
        rc = fth_error_set(err, FTH_ENOMEM, "out of memory");
    free(s);
    return rc;
}

int fth_sbom_write(struct fth_buf *out, enum fth_sbom_format format, const struct fth_image *img,
                   const struct fth_inventory *inv, const struct fth_sbom_opts *opts,
                   struct fth_error *err)
{
    struct sbom_doc d;
    json_t *root = NULL;
    int rc;

    if ((rc = sbom_doc_init(&d, img, inv, opts, err)) < 0)
        return rc;
    rc = format == FTH_SBOM_SPDX ? sbom_spdx(&root, &d) : sbom_cyclonedx(&root, &d);
    if (rc < 0)
        return fth_error_set(err, rc, "out of memory");
    return sbom_dump(out, root, err);
}
