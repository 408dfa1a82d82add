/*
 * An image's inventory (`fathom scan image --list-all-pkgs`): the image, its operating
 * system, its layers with what made them, and every package with the layer and file that
 * declared it. Every cell comes from the image, so the table makes each one printable.
 */
#include "report_int.h"
#include "jsonw.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"

#define MAX_CELLS 6
#define COL_CAP 48 /* widest a column grows; the last column is never cut */

struct row {
    const char *cell[MAX_CELLS];
};

struct columns {
    size_t ncols;
    size_t width[MAX_CELLS];
};

static size_t text_width(const char *s)
{
    struct fth_buf tmp = FTH_BUF_INIT;
    size_t n = 0;

    if (report_put_text(&tmp, s, 0, &n) < 0)
        n = strlen(s);
    fth_buf_release(&tmp);
    return n;
}

static void measure(struct columns *c, const struct row *r)
{
    for (size_t i = 0; i < c->ncols; i++) {
        size_t w = text_width(r->cell[i] ? r->cell[i] : "");

        if (i + 1 < c->ncols && w > COL_CAP)
            w = COL_CAP;
        if (w > c->width[i])
            c->width[i] = w;
    }
}

static int put_row(struct fth_buf *out, const struct columns *c, const struct row *r, int bold,
                   const struct fth_report_opts *opts)
{
    int error = 0;

    if ((error = fth_buf_puts(out, "  ")) < 0)
        return error;
    if (bold && opts->color && (error = fth_buf_puts(out, "\x1b[1m")) < 0)
        return error;
    for (size_t i = 0; i < c->ncols; i++) {
        int last = i + 1 == c->ncols;
        size_t n = 0;

        if ((error = report_put_text(out, r->cell[i] ? r->cell[i] : "", last ? 0 : c->width[i],
                                     &n)) < 0)
            return error;
        for (; !last && n < c->width[i] + 2; n++)
            if ((error = fth_buf_putc(out, ' ')) < 0)
                return error;
    }
    if (bold && opts->color && (error = fth_buf_puts(out, "\x1b[0m")) < 0)
        return error;
    /* a row whose last cell is empty must not end in padding */
    while (out->len && out->ptr[out->len - 1] == ' ')
        out->ptr[--out->len] = '\0';
    return fth_buf_putc(out, '\n');
}

static void human_size(char *out, size_t n, uint64_t bytes)
{
    if (bytes >= 1024 * 1024)
        snprintf(out, n, "%.1f MiB", (double)bytes / (1024.0 * 1024.0));
    else if (bytes >= 1024)
        snprintf(out, n, "%.1f KiB", (double)bytes / 1024.0);
    else
        snprintf(out, n, "%" PRIu64 " B", bytes);
}

static int label(struct fth_buf *out, const char *name, const char *value)
{
    int error;

    if ((error = fth_buf_printf(out, "%-10s", name)) < 0 ||
        (error = report_put_text(out, value, 0, NULL)) < 0)
        return error;
    return fth_buf_putc(out, '\n');
}

static const char *platform(struct fth_buf *b, const struct fth_image *img)
{
    fth_buf_clear(b);
    if (!*img->os && !*img->architecture)
        return "unknown";
    if (fth_buf_printf(b, "%s/%s%s%s", img->os, img->architecture, *img->variant ? "/" : "",
                       img->variant) < 0)
        return "unknown";
    return b->ptr;
}

static const char *os_line(struct fth_buf *b, const struct fth_os *os)
{
    fth_buf_clear(b);
    if (!*os->id)
        return "unknown (no os-release or distro release file)";
    if (fth_buf_puts(b, *os->pretty_name ? os->pretty_name : os->id) < 0 ||
        (*os->release && fth_buf_printf(b, ", release %s", os->release) < 0) ||
        (*os->eol_date &&
         fth_buf_printf(b, os->eol ? ", END OF LIFE since %s" : ", supported until %s",
                        os->eol_date) < 0))
        return "unknown";
    return b->ptr;
}

int report_inventory_table(struct fth_buf *out, const struct fth_image *img,
                           const struct fth_inventory *inv, int list_packages,
                           const struct fth_report_opts *opts)
{
    struct fth_buf tmp = FTH_BUF_INIT;
    struct columns c;
    struct row r;
    char (*sizes)[32] = NULL, (*indexes)[16] = NULL;
    int error = 0;

    if ((error = label(out, "Image", img->ref)) < 0 ||
        (*img->digest && (error = label(out, "Digest", img->digest)) < 0) ||
        (error = label(out, "Platform", platform(&tmp, img))) < 0 ||
        (error = label(out, "OS", os_line(&tmp, &inv->os))) < 0 ||
        (error = label(out, "User", *img->user ? img->user : "(unset: root)")) < 0)
        goto out;

    if (img->nlayers && (!(sizes = calloc(img->nlayers, sizeof(*sizes))) ||
                         !(indexes = calloc(img->nlayers, sizeof(*indexes))))) {
        error = FTH_ENOMEM;
        goto out;
    }
    if ((error = fth_buf_printf(out, "\nLayers (%zu)\n", img->nlayers)) < 0)
        goto out;
    memset(&c, 0, sizeof(c));
    c.ncols = 4;
    r = (struct row){{"#", "DIGEST", "SIZE", "CREATED BY"}};
    measure(&c, &r);
    for (size_t i = 0; i < img->nlayers; i++) {
        const struct fth_layer *l = &img->layers[i];

        snprintf(indexes[i], sizeof(indexes[i]), "%u", l->index);
        human_size(sizes[i], sizeof(sizes[i]), l->size);
        r = (struct row){{indexes[i], l->digest, sizes[i], l->created_by}};
        measure(&c, &r);
    }
    r = (struct row){{"#", "DIGEST", "SIZE", "CREATED BY"}};
    if ((error = put_row(out, &c, &r, 1, opts)) < 0)
        goto out;
    for (size_t i = 0; i < img->nlayers; i++) {
        const struct fth_layer *l = &img->layers[i];

        r = (struct row){{indexes[i], l->digest, sizes[i], l->created_by}};
        if ((error = put_row(out, &c, &r, 0, opts)) < 0)
            goto out;
    }

    if ((error = fth_buf_printf(out, "\nPackages: %zu", inv->npackages)) < 0 ||
        (inv->warnings &&
         (error = fth_buf_printf(out, " (%zu package database problems, see the warnings)",
                                 inv->warnings)) < 0) ||
        (error = fth_buf_putc(out, '\n')) < 0)
        goto out;
    if (list_packages && inv->npackages) {
        memset(&c, 0, sizeof(c));
        c.ncols = 5;
        r = (struct row){{"NAME", "VERSION", "TYPE", "LAYER", "PATH"}};
        measure(&c, &r);
        for (size_t i = 0; i < inv->npackages; i++) {
            const struct fth_package *p = &inv->packages[i];
            const char *layer = p->layer < img->nlayers ? indexes[p->layer] : "?";

            r = (struct row){{p->name, p->version, p->type, layer, p->path}};
            measure(&c, &r);
        }
        r = (struct row){{"NAME", "VERSION", "TYPE", "LAYER", "PATH"}};
        if ((error = put_row(out, &c, &r, 1, opts)) < 0)
            goto out;
        for (size_t i = 0; i < inv->npackages; i++) {
            const struct fth_package *p = &inv->packages[i];
            const char *layer = p->layer < img->nlayers ? indexes[p->layer] : "?";

            r = (struct row){{p->name, p->version, p->type, layer, p->path}};
            if ((error = put_row(out, &c, &r, 0, opts)) < 0)
                goto out;
        }
    }
out:
    free(sizes);
    free(indexes);
    fth_buf_release(&tmp);
    return error;
}

static void strv(struct jw *w, const char *key, const char *const *v, size_t n)
{
    jw_key(w, key);
    jw_arr_begin(w);
    for (size_t i = 0; i < n; i++)
        jw_str(w, v[i]);
    jw_arr_end(w);
}

static void kv(struct jw *w, const char *key, const char *value)
{
    jw_key(w, key);
    jw_str(w, value ? value : "");
}

int report_inventory_json(struct fth_buf *out, const struct fth_image *img,
                          const struct fth_inventory *inv, int list_packages,
                          const struct fth_report_opts *opts)
{
    const struct fth_os *os = &inv->os;
    struct jw w;

    (void)opts;
    jw_init(&w, out);
    jw_obj_begin(&w);
    jw_key(&w, "image");
    jw_obj_begin(&w);
    kv(&w, "ref", img->ref);
    kv(&w, "transport", img->transport);
    kv(&w, "name", img->name);
    kv(&w, "digest", img->digest);
    kv(&w, "config_digest", img->config_digest);
    kv(&w, "os", img->os);
    kv(&w, "architecture", img->architecture);
    kv(&w, "variant", img->variant);
    kv(&w, "created", img->created);
    kv(&w, "user", img->user);
    strv(&w, "entrypoint", img->entrypoint, img->nentrypoint);
    strv(&w, "cmd", img->cmd, img->ncmd);
    strv(&w, "exposed_ports", img->exposed_ports, img->nexposed_ports);
    jw_obj_end(&w);

    jw_key(&w, "os");
    jw_obj_begin(&w);
    kv(&w, "id", os->id);
    kv(&w, "version_id", os->version_id);
    kv(&w, "codename", os->codename);
    kv(&w, "pretty_name", os->pretty_name);
    kv(&w, "family", os->family);
    kv(&w, "release", os->release);
    kv(&w, "eol_date", os->eol_date);
    jw_key(&w, "eol");
    jw_bool(&w, os->eol);
    kv(&w, "path", os->path);
    jw_obj_end(&w);

    jw_key(&w, "layers");
    jw_arr_begin(&w);
    for (size_t i = 0; i < img->nlayers; i++) {
        const struct fth_layer *l = &img->layers[i];

        jw_obj_begin(&w);
        jw_key(&w, "index");
        jw_uint(&w, l->index);
        kv(&w, "digest", l->digest);
        kv(&w, "diff_id", l->diff_id);
        kv(&w, "media_type", l->media_type);
        jw_key(&w, "size");
        jw_uint(&w, l->size);
        kv(&w, "created_by", l->created_by);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);

    if (list_packages) {
        jw_key(&w, "packages");
        jw_arr_begin(&w);
        for (size_t i = 0; i < inv->npackages; i++) {
            const struct fth_package *p = &inv->packages[i];

            jw_obj_begin(&w);
            kv(&w, "type", p->type);
            kv(&w, "ecosystem", p->ecosystem);
            kv(&w, "name", p->name);
            kv(&w, "version", p->version);
            kv(&w, "src_name", p->src_name);
            kv(&w, "src_version", p->src_version);
            kv(&w, "arch", p->arch);
            kv(&w, "purl", p->purl);
            jw_key(&w, "licenses");
            jw_arr_begin(&w);
            for (size_t k = 0; k < p->nlicenses; k++) {
                jw_obj_begin(&w);
                kv(&w, "value", p->licenses[k].value);
                kv(&w, "spdx", p->licenses[k].spdx);
                jw_obj_end(&w);
            }
            jw_arr_end(&w);
            strv(&w, "depends", p->depends, p->ndepends);
            kv(&w, "digest", p->digest);
            kv(&w, "path", p->path);
            jw_key(&w, "layer");
            jw_obj_begin(&w);
            jw_key(&w, "index");
            jw_uint(&w, p->layer);
            kv(&w, "digest", p->layer < img->nlayers ? img->layers[p->layer].digest : "");
            jw_obj_end(&w);
            jw_key(&w, "files");
            jw_uint(&w, p->nfiles);
            if (p->dev) {
                jw_key(&w, "dev");
                jw_bool(&w, 1);
            }
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
    }
    jw_key(&w, "summary");
    jw_obj_begin(&w);
    jw_key(&w, "packages");
    jw_uint(&w, inv->npackages);
    jw_key(&w, "warnings");
    jw_uint(&w, inv->warnings);
    jw_obj_end(&w);
    jw_obj_end(&w);
    return jw_finish(&w);
}

int fth_report_inventory(struct fth_buf *out, enum fth_report_format fmt,
                         const struct fth_image *img, const struct fth_inventory *inv,
                         int list_packages, const struct fth_report_opts *opts)
{
    static const struct fth_report_opts defaults = FTH_REPORT_OPTS_INIT;

    if (!out || !img || !inv)
        return FTH_EINVALID;
    if (!opts)
        opts = &defaults;
    switch (fmt) {
    case FTH_REPORT_TABLE:
        return report_inventory_table(out, img, inv, list_packages, opts);
    case FTH_REPORT_JSON:
        return report_inventory_json(out, img, inv, list_packages, opts);
    case FTH_REPORT_KUBESEC:
    case FTH_REPORT_SARIF:
        break;
    }
    return FTH_EUSAGE;
}
