/*
 * Image scan reports: table and JSON here, SARIF and CycloneDX beside. The JSON report opens
 * with the inventory exactly as `--list-all-pkgs --format json` writes it (the report module
 * renders it; it is read back and extended), so the two never drift apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/report.h"
#include "scan_int.h"
#include "../base/banned.h"

int fth_scan_format_parse(enum fth_scan_format *out, const char *name)
{
    static const struct {
        const char *name;
        enum fth_scan_format fmt;
    } names[] = {{"table", FTH_SCAN_TABLE},
                 {"json", FTH_SCAN_JSON},
                 {"sarif", FTH_SCAN_SARIF},
                 {"cyclonedx", FTH_SCAN_CYCLONEDX},
                 {"cyclonedx-json", FTH_SCAN_CYCLONEDX}};

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(name, names[i].name)) {
            *out = names[i].fmt;
            return 0;
        }
    return FTH_EUSAGE;
}

/* A JSON string of s, made valid UTF-8 (a bad byte becomes U+FFFD) whatever the input. */
json_t *scan_jstr(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t len = strlen((const char *)p), i = 0;
    struct fth_buf b = FTH_BUF_INIT;
    json_t *j;

    while (i < len) {
        size_t n = fth_utf8_len(p + i, len - i, NULL);

        if (n)
            i += n;
        else
            break;
    }
    if (i == len)
        return json_stringn((const char *)p, len);
    for (i = 0; i < len;) {
        size_t n = fth_utf8_len(p + i, len - i, NULL);

        if (n) {
            if (fth_buf_put(&b, p + i, n) < 0)
                break;
            i += n;
        } else {
            if (fth_buf_puts(&b, "\xef\xbf\xbd") < 0)
                break;
            i++;
        }
    }
    j = i == len ? json_stringn(b.ptr, b.len) : NULL;
    fth_buf_release(&b);
    return j;
}

int scan_json_dump(struct fth_buf *out, json_t *doc)
{
    char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    int error;

    if (!s)
        return FTH_ENOMEM;
    if ((error = fth_buf_puts(out, s)) == 0)
        error = fth_buf_putc(out, '\n');
    free(s);
    return error;
}

/* "sha256:0123456789ab" */
const char *scan_short_digest(const char *digest, char buf[20])
{
    const char *hex = strchr(digest, ':');

    hex = hex ? hex + 1 : digest;
    snprintf(buf, 20, "%.12s", hex);
    return buf;
}

/* ---- JSON ---- */

static int jset(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0 ? 0 : FTH_ENOMEM;
}

static json_t *jstrv(const char *const *v, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, scan_jstr(v[i])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static const char *class_key(enum fth_finding_class c)
{
    switch (c) {
    case FTH_CLASS_VULNERABILITY:
        return "vulnerability";
    case FTH_CLASS_SECRET:
        return "secret";
    case FTH_CLASS_LICENSE:
        return "license";
    default:
        return "hygiene";
    }
}

static json_t *layer_json(const struct fth_image *img, int layer)
{
    if (layer < 0 || (size_t)layer >= img->nlayers)
        return json_null();
    return json_pack("{s:i, s:o, s:o}", "index", layer, "digest",
                     scan_jstr(img->layers[layer].digest), "created_by",
                     scan_jstr(img->layers[layer].created_by));
}

static json_t *finding_json(const struct fth_image *img, const struct fth_scan_finding *f)
{
    json_t *o = json_object(), *loc;
    int e = 0;

    if (!o)
        return NULL;
    e |= jset(o, "class", json_string(class_key(f->cls)));
    e |= jset(o, "id", scan_jstr(f->id));
    e |= jset(o, "aliases", jstrv(f->aliases, f->naliases));
    e |= jset(o, "severity", json_string(fth_severity_name(f->severity)));
    e |= jset(o, "severity_source", json_string(f->severity_source));
    e |= jset(o, "title", scan_jstr(f->title));
    e |= jset(o, "message", scan_jstr(f->message));
    if (f->pkg) {
        const struct fth_package *p = f->pkg;

        e |=
            jset(o, "package",
                 json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "name", scan_jstr(p->name),
                           "version", scan_jstr(p->version), "type", scan_jstr(p->type),
                           "ecosystem", scan_jstr(p->ecosystem), "src_name", scan_jstr(p->src_name),
                           "src_version", scan_jstr(p->src_version), "purl", scan_jstr(p->purl)));
    }
    if (f->cls == FTH_CLASS_VULNERABILITY && f->pkg) {
        e |= jset(o, "status", scan_jstr(f->status));
        e |= jset(o, "fixed_versions", jstrv(f->fixed, f->nfixed));
        e |= jset(o, "cvss",
                  f->cvss_score >= 0 ? json_pack("{s:f, s:o}", "score", f->cvss_score, "vector",
                                                 scan_jstr(f->cvss_vector))
                                     : json_null());
    }
    if (f->cls == FTH_CLASS_SECRET || f->cls == FTH_CLASS_LICENSE)
        e |= jset(o, "category", scan_jstr(f->category));
    if (f->cls == FTH_CLASS_SECRET)
        e |= jset(o, "match", scan_jstr(f->match));
    e |= jset(o, "references", jstrv(f->references, f->nreferences));
    loc = json_object();
    if (loc) {
        e |= jset(loc, "path", scan_jstr(f->path));
        e |= jset(loc, "line", json_integer(f->line));
        e |= jset(loc, "layer", layer_json(img, f->layer));
    }
    e |= jset(o, "location", loc);
    e |= jset(o, "present_in_final_image", json_boolean(f->present));
    e |= jset(o, "remediation", scan_jstr(f->remediation));
    e |= jset(o, "suppressed", f->suppressed ? scan_jstr(f->suppressed) : json_null());
    if (e) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static const char *scanner_names[] = {"vuln", "secret", "license", "hygiene"};

int scan_report_json(struct fth_buf *out, const struct fth_image *img,
                     const struct fth_scan_result *res, const struct fth_scan_report_opts *opts)
{
    struct fth_report_opts ro = FTH_REPORT_OPTS_INIT;
    struct fth_inventory vis;
    struct fth_buf inv = FTH_BUF_INIT;
    struct fth_arena *a = fth_arena_new();
    json_t *doc = NULL, *arr, *summary, *bysev;
    size_t count[FTH_SEV_CRITICAL + 1] = {0}, suppressed = 0, open = 0;
    int error = FTH_ENOMEM, e = 0;

    if (!a || fth_scan_visible_inventory(&vis, a, &res->inv) < 0)
        goto out;
    ro.tool_version = opts->tool_version;
    if ((error = fth_report_inventory(&inv, FTH_REPORT_JSON, img, &vis, opts->list_packages, &ro)) <
        0)
        goto out;
    error = FTH_ENOMEM;
    if (!(doc = json_loadb(inv.ptr, inv.len, 0, NULL)))
        goto out;
    /* the inventory's own summary moves to the end, extended */
    json_object_del(doc, "summary");
    arr = json_array();
    for (unsigned i = 0; arr && i < 4; i++)
        if (res->scanners & (1u << i))
            e |= json_array_append_new(arr, json_string(scanner_names[i]));
    e |= jset(doc, "scanners", arr);
    if (opts->list_packages) {
        /* what a later layer deleted: in the image's bytes, not in its final filesystem */
        arr = json_array();
        for (size_t i = 0; arr && i < res->inv.npackages; i++) {
            const struct fth_package *p = &res->inv.packages[i];

            if (p->hidden)
                e |= json_array_append_new(
                    arr,
                    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "type", scan_jstr(p->type),
                              "ecosystem", scan_jstr(p->ecosystem), "name", scan_jstr(p->name),
                              "version", scan_jstr(p->version), "purl", scan_jstr(p->purl), "path",
                              scan_jstr(p->path), "layer", layer_json(img, (int)p->layer)));
        }
        e |= jset(doc, "deleted_packages", arr);
    }
    e |= jset(doc, "database",
              (res->scanners & FTH_SCAN_VULN)
                  ? json_pack("{s:o}", "imported_at", scan_jstr(res->db_imported_at))
                  : json_null());
    arr = json_array();
    for (size_t i = 0; arr && i < res->nbinaries; i++) {
        const struct fth_scan_binary *b = &res->binaries[i];

        e |= json_array_append_new(arr, json_pack("{s:o, s:o, s:s, s:I, s:s, s:b}", "path",
                                                  scan_jstr(b->path), "layer",
                                                  layer_json(img, (int)b->layer), "kind", b->kind,
                                                  "size", (json_int_t)b->size, "sha256", b->sha256,
                                                  "present_in_final_image", b->present));
    }
    e |= jset(doc, "binaries", arr);
    arr = json_array();
    for (size_t i = 0; arr && i < res->nfindings; i++) {
        const struct fth_scan_finding *f = &res->findings[i];

        e |= json_array_append_new(arr, finding_json(img, f));
        if (f->suppressed)
            suppressed++;
        else {
            count[f->severity]++;
            open++;
        }
    }
    e |= jset(doc, "findings", arr);
    bysev = json_object();
    for (int s = FTH_SEV_CRITICAL; bysev && s >= FTH_SEV_UNKNOWN; s--)
        if (s != FTH_SEV_INFO || count[s])
            e |= jset(bysev, fth_severity_name((enum fth_severity)s), json_integer(count[s]));
    summary = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I}", "packages", (json_int_t)vis.npackages,
        "deleted_packages", (json_int_t)(res->inv.npackages - vis.npackages), "warnings",
        (json_int_t)res->inv.warnings, "findings", (json_int_t)open, "suppressed",
        (json_int_t)suppressed, "by_severity", bysev ? bysev : json_null(), "binaries",
        (json_int_t)res->nbinaries, "secret_files_scanned", (json_int_t)res->stats.secret_files,
        "packages_unsupported", (json_int_t)res->stats.unsupported);
    e |= jset(doc, "summary", summary);
    if (e)
        goto out;
    error = scan_json_dump(out, doc);
out:
    json_decref(doc);
    fth_buf_release(&inv);
    fth_arena_free(a);
    return error;
}

/* ---- table ---- */

/* Printable: control bytes and invalid UTF-8 never reach a terminal; at most max columns. */
static int put_text(struct fth_buf *out, const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t len = strlen((const char *)p), cols = 0;
    int error = 0;

    for (size_t i = 0; i < len && !error;) {
        size_t n = fth_utf8_len(p + i, len - i, NULL);

        if (max && cols + 1 >= max && i + (n ? n : 1) < len) {
            error = fth_buf_puts(out, "\xe2\x80\xa6");
            cols++;
            break;
        }
        if (!n || p[i] < 0x20 || p[i] == 0x7f) {
            error = fth_buf_putc(out, '?');
            i += n ? n : 1;
        } else {
            error = fth_buf_put(out, p + i, n);
            i += n;
        }
        cols++;
    }
    return error;
}

static int pad(struct fth_buf *out, const char *s, size_t width)
{
    size_t n = 0;
    int error;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xc0) != 0x80;
    if ((error = put_text(out, s, width)) < 0)
        return error;
    for (; n < width; n++)
        if ((error = fth_buf_putc(out, ' ')) < 0)
            return error;
    return fth_buf_putc(out, ' ');
}

static const char *sev_color(enum fth_severity s)
{
    switch (s) {
    case FTH_SEV_CRITICAL:
        return "\x1b[1;31m";
    case FTH_SEV_HIGH:
        return "\x1b[31m";
    case FTH_SEV_MEDIUM:
        return "\x1b[33m";
    case FTH_SEV_LOW:
        return "\x1b[34m";
    default:
        return "\x1b[2m";
    }
}

static int put_sev(struct fth_buf *out, enum fth_severity s, const struct fth_scan_report_opts *o)
{
    int error;

    if (o->color && (error = fth_buf_puts(out, sev_color(s))) < 0)
        return error;
    if ((error = fth_buf_printf(out, "%-8s", fth_severity_name(s))) < 0)
        return error;
    if (o->color && (error = fth_buf_puts(out, "\x1b[0m")) < 0)
        return error;
    return fth_buf_putc(out, ' ');
}

static int where(struct fth_buf *out, const struct fth_image *img, int layer)
{
    char sd[20];
    int error;

    if (layer < 0 || (size_t)layer >= img->nlayers)
        return fth_buf_puts(out, "image config");
    if ((error = fth_buf_printf(out, "layer %d %s ", layer,
                                scan_short_digest(img->layers[layer].digest, sd))) < 0)
        return error;
    return put_text(out, img->layers[layer].created_by, 60);
}

static int table_vulns(struct fth_buf *out, const struct fth_image *img,
                       const struct fth_scan_result *res, const struct fth_scan_report_opts *o,
                       size_t width)
{
    const struct fth_package *cur = NULL;
    int error = 0;

    for (size_t i = 0; i < res->nfindings && !error; i++) {
        const struct fth_scan_finding *f = &res->findings[i];
        struct fth_buf fixed = FTH_BUF_INIT;

        if (f->cls != FTH_CLASS_VULNERABILITY)
            continue;
        if (f->pkg != cur) {
            cur = f->pkg;
            if ((error = fth_buf_putc(out, '\n')) < 0 || (error = put_text(out, cur->name, 0)) ||
                (error = fth_buf_putc(out, ' ')) || (error = put_text(out, cur->version, 0)) ||
                (error = fth_buf_printf(out, " (%s)  /", cur->type)) ||
                (error = put_text(out, cur->path, 0)) || (error = fth_buf_puts(out, "\n  ")) ||
                (error = where(out, img, (int)cur->layer)) ||
                (error = fth_buf_puts(out, cur->hidden ? "\n  DELETED by a later layer: in the "
                                                         "image's bytes, not in its final "
                                                         "filesystem\n"
                                                       : "\n")))
                break;
            if ((error = fth_buf_printf(out, "  %-22s %-8s %-12s %-20s %s\n", "ID", "SEVERITY",
                                        "STATUS", "FIXED", "TITLE")) < 0)
                break;
        }
        for (size_t k = 0; k < f->nfixed && !error; k++)
            error = fth_buf_printf(&fixed, "%s%s", k ? "," : "", f->fixed[k]);
        if (!error && (error = fth_buf_puts(out, "  ")) == 0 &&
            (error = pad(out, f->id, 22)) == 0 && (error = put_sev(out, f->severity, o)) == 0 &&
            (error = pad(out, f->status, 12)) == 0 &&
            (error = pad(out, f->nfixed ? fixed.ptr : "-", 20)) == 0 &&
            (error = put_text(out, f->title, width > 72 ? width - 70 : 30)) == 0 && f->suppressed) {
            if ((error = fth_buf_puts(out, "  [suppressed: ")) == 0 &&
                (error = put_text(out, f->suppressed, 0)) == 0)
                error = fth_buf_putc(out, ']');
        }
        if (!error)
            error = fth_buf_putc(out, '\n');
        fth_buf_release(&fixed);
    }
    return error;
}

static int table_others(struct fth_buf *out, const struct fth_image *img,
                        const struct fth_scan_result *res, const struct fth_scan_report_opts *o,
                        enum fth_finding_class cls)
{
    int error = 0;

    for (size_t i = 0; i < res->nfindings && !error; i++) {
        const struct fth_scan_finding *f = &res->findings[i];

        if (f->cls != cls)
            continue;
        if ((error = fth_buf_puts(out, "  ")) < 0 || (error = pad(out, f->id, 22)) < 0 ||
            (error = put_sev(out, f->severity, o)) < 0 || (error = put_text(out, f->message, 0)) ||
            (error = fth_buf_puts(out, "\n      ")) || (error = where(out, img, f->layer)))
            break;
        if (cls == FTH_CLASS_SECRET && *f->match &&
            ((error = fth_buf_puts(out, "\n      ")) || (error = put_text(out, f->match, 120))))
            break;
        if (f->suppressed && ((error = fth_buf_puts(out, "\n      suppressed: ")) ||
                              (error = put_text(out, f->suppressed, 0))))
            break;
        error = fth_buf_putc(out, '\n');
    }
    return error;
}

int scan_report_table(struct fth_buf *out, const struct fth_image *img,
                      const struct fth_scan_result *res, const struct fth_scan_report_opts *o)
{
    size_t count[FTH_SEV_CRITICAL + 1] = {0}, ncls[4] = {0}, open = 0, suppressed = 0;
    size_t width = o->width > 0 ? (size_t)o->width : 100;
    char sd[20];
    int error = 0;

    for (size_t i = 0; i < res->nfindings; i++) {
        const struct fth_scan_finding *f = &res->findings[i];

        ncls[f->cls == FTH_CLASS_VULNERABILITY ? 0
             : f->cls == FTH_CLASS_SECRET      ? 1
             : f->cls == FTH_CLASS_LICENSE     ? 3
                                               : 2]++;
        if (f->suppressed) {
            suppressed++;
            continue;
        }
        count[f->severity]++;
        open++;
    }
    if ((error = fth_buf_puts(out, "Image     ")) || (error = put_text(out, img->ref, 0)) ||
        (*img->digest && ((error = fth_buf_puts(out, "\nDigest    ")) ||
                          (error = put_text(out, img->digest, 0)))) ||
        (error = fth_buf_puts(out, "\nOS        ")) ||
        (error = put_text(out,
                          *res->inv.os.pretty_name ? res->inv.os.pretty_name
                                                   : (*res->inv.os.id ? res->inv.os.id : "unknown"),
                          0)) ||
        (*res->inv.os.eol_date &&
         (error = fth_buf_printf(
              out, res->inv.os.eol ? " (END OF LIFE since %s)" : " (supported until %s)",
              res->inv.os.eol_date))) ||
        (error = fth_buf_printf(out, "\nPackages  %zu", res->inv.npackages)))
        return error;
    for (size_t i = 0, hidden = 0; i <= res->inv.npackages; i++) {
        if (i == res->inv.npackages) {
            if (hidden && (error = fth_buf_printf(out, " (%zu deleted by a later layer)", hidden)))
                return error;
            break;
        }
        hidden += res->inv.packages[i].hidden != 0;
    }
    if ((res->scanners & FTH_SCAN_VULN) &&
        (error = fth_buf_printf(out, "\nDatabase  imported %s",
                                *res->db_imported_at ? res->db_imported_at : "(never)")))
        return error;
    if ((error = fth_buf_printf(out, "\n\nFindings: %zu", open)) ||
        (suppressed && (error = fth_buf_printf(out, " (and %zu suppressed)", suppressed))) ||
        (error = fth_buf_putc(out, '\n')))
        return error;
    for (int s = FTH_SEV_CRITICAL; s >= FTH_SEV_UNKNOWN; s--) {
        if (s == FTH_SEV_INFO && !count[s])
            continue;
        if ((error = fth_buf_puts(out, "  ")) || (error = put_sev(out, (enum fth_severity)s, o)) ||
            (error = fth_buf_printf(out, "%zu\n", count[s])))
            return error;
    }
    if ((res->scanners & FTH_SCAN_VULN) &&
        ((error = fth_buf_printf(out, "\nVulnerabilities (%zu)\n", ncls[0])) ||
         (error = table_vulns(out, img, res, o, width))))
        return error;
    if ((res->scanners & FTH_SCAN_SECRET) &&
        ((error = fth_buf_printf(out, "\nSecrets (%zu)\n", ncls[1])) ||
         (error = table_others(out, img, res, o, FTH_CLASS_SECRET))))
        return error;
    if ((res->scanners & FTH_SCAN_LICENSE) &&
        ((error = fth_buf_printf(out, "\nLicences (%zu)\n", ncls[3])) ||
         (error = table_others(out, img, res, o, FTH_CLASS_LICENSE))))
        return error;
    if ((res->scanners & FTH_SCAN_HYGIENE || ncls[2]) &&
        ((error = fth_buf_printf(out, "\nHygiene (%zu)\n", ncls[2])) ||
         (error = table_others(out, img, res, o, FTH_CLASS_HYGIENE))))
        return error;
    if (res->nbinaries) {
        if ((error =
                 fth_buf_printf(out, "\nBinaries (%zu ELF files fingerprinted)\n", res->nbinaries)))
            return error;
        /* the list is long (a Debian base has hundreds): with --list-all-pkgs only */
        if (o->list_packages)
            for (size_t i = 0; i < res->nbinaries && !error; i++) {
                const struct fth_scan_binary *b = &res->binaries[i];

                if ((error = fth_buf_printf(
                         out, "  %s  %-14s layer %u %s  /", b->sha256, b->kind, b->layer,
                         b->layer < img->nlayers
                             ? scan_short_digest(img->layers[b->layer].digest, sd)
                             : "?")) ||
                    (error = put_text(out, b->path, 0)) ||
                    (!b->present && (error = fth_buf_puts(out, "  (deleted)"))))
                    break;
                error = fth_buf_putc(out, '\n');
            }
    }
    return error;
}

int fth_scan_report(struct fth_buf *out, enum fth_scan_format fmt, const struct fth_image *img,
                    const struct fth_scan_result *res, const struct fth_scan_report_opts *opts,
                    struct fth_error *err)
{
    static const struct fth_scan_report_opts defaults = FTH_SCAN_REPORT_OPTS_INIT;
    int error = FTH_EUSAGE;

    if (!opts)
        opts = &defaults;
    switch (fmt) {
    case FTH_SCAN_TABLE:
        error = scan_report_table(out, img, res, opts);
        break;
    case FTH_SCAN_JSON:
        error = scan_report_json(out, img, res, opts);
        break;
    case FTH_SCAN_SARIF:
        error = scan_report_sarif(out, img, res, opts);
        break;
    case FTH_SCAN_CYCLONEDX:
        return scan_report_cyclonedx(out, img, res, opts, err);
    }
    if (error < 0)
        fth_error_set(err, error, "cannot write the report: %s", fth_error_name(error));
    return error;
}
