/*
 * helm: the chart loader and packager. A chart comes from a directory (walked with
 * .helmignore applied) or from a gzip tar archive (every entry under one top directory);
 * either way it becomes a sorted list of files, then Chart.yaml is parsed and validated the
 * way Helm's chart.Metadata.Validate does it, and charts/ is loaded into subcharts.
 * Packaging writes what `helm package` writes: Chart.yaml as Helm marshals the metadata,
 * then the other files, under `<name>/`.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "helm_int.h"
#include "fathom/version.h"
#include "../base/limits.h"
#include "../base/banned.h"

/* ---- .helmignore (Helm's pkg/ignore: globs on the base name or, with a '/', the path) ---- */

int fth_helmignore_parse(struct fth_helmignore **out, struct fth_arena *a, const char *data,
                         size_t len, struct fth_error *err)
{
    struct fth_helmignore *r;
    struct fth_vec rules = {0};
    struct helmignore_rule *rule;
    const char *p = data, *end = data + (data ? len : 0);
    unsigned line = 0;
    size_t i;
    int error = 0;

    *out = NULL;
    if (!(r = fth_arena_calloc(a, 1, sizeof(*r))))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    /* Helm's AddDefaults: dot files under templates/ are never templates. */
    if (!(rule = fth_arena_calloc(a, 1, sizeof(*rule))) ||
        !(rule->pattern = fth_arena_strdup(a, "templates/.?*")) ||
        fth_vec_push(&rules, a, rule) < 0)
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    rule->rooted = 1;
    while (data && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *s = p, *e = nl ? nl : end;
        char *pat;

        p = nl ? nl + 1 : end;
        line++;
        while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        if (s == e || *s == '#')
            continue;
        if (!(rule = fth_arena_calloc(a, 1, sizeof(*rule))))
            return fth_error_set(err, FTH_ENOMEM, "out of memory");
        rule->line = line;
        if (*s == '!') {
            rule->negate = 1;
            s++;
        }
        if (e > s && e[-1] == '/') {
            rule->must_dir = 1;
            e--;
        }
        if (e > s && *s == '/') {
            rule->rooted = 1;
            s++;
        }
        if (s == e) /* "!", "/" and "!/" say nothing Helm would match */
            continue;
        if (!(pat = fth_arena_strndup(a, s, (size_t)(e - s))))
            return fth_error_set(err, FTH_ENOMEM, "out of memory");
        if (strstr(pat, "**")) {
            error = fth_error_set(err, FTH_EINVALID,
                                  ".helmignore:%u: double-star (**) syntax is not supported", line);
            goto out;
        }
        if (strchr(pat, '/'))
            rule->rooted = 1;
        rule->pattern = pat;
        if (fth_vec_push(&rules, a, rule) < 0)
            return fth_error_set(err, FTH_ENOMEM, "out of memory");
    }
    if (!(r->rules = fth_arena_calloc(a, rules.len, sizeof(*r->rules))))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    for (i = 0; i < rules.len; i++)
        r->rules[i] = *(struct helmignore_rule *)rules.items[i];
    r->len = rules.len;
    *out = r;
out:
    return error;
}

static int rule_matches(const struct helmignore_rule *r, const char *path)
{
    const char *base = strrchr(path, '/');

    if (r->rooted)
        return fnmatch(r->pattern, path, FNM_PATHNAME) == 0;
    return fnmatch(r->pattern, base ? base + 1 : path, FNM_PATHNAME) == 0;
}

/*
 * Helm's Rules.Ignore, quirks included: a negated rule that does not match the path ignores
 * it (so `!keep.txt` alone ignores everything else), one that matches moves on to the next.
 */
int fth_helmignore_match(const struct fth_helmignore *rules, const char *path, int is_dir)
{
    size_t i;

    if (!rules || !*path || !strcmp(path, ".") || !strcmp(path, "./"))
        return 0;
    for (i = 0; i < rules->len; i++) {
        const struct helmignore_rule *r = &rules->rules[i];

        if (r->negate) {
            if (r->must_dir && !is_dir)
                return 1;
            if (!rule_matches(r, path))
                return 1;
            continue;
        }
        if (r->must_dir && !is_dir)
            continue;
        if (rule_matches(r, path))
            return 1;
    }
    return 0;
}

/* ---- collecting files ---- */

struct collect {
    struct fth_arena *a;
    struct fth_vec files; /* struct fth_chart_file * */
    size_t total;
    const char *source;
    struct fth_error *err;
};

static int add_file(struct collect *c, const char *path, unsigned char *data, size_t len)
{
    struct fth_chart_file *f;

    if (c->files.len >= FTH_LIMIT_CHART_FILES)
        return fth_error_set(c->err, FTH_ELIMIT, "%s: more than %d files (limit)", c->source,
                             FTH_LIMIT_CHART_FILES);
    if (len > FTH_LIMIT_CHART_FILE_SIZE)
        return fth_error_set(c->err, FTH_ELIMIT, "%s: '%s' is larger than %zu bytes (limit)",
                             c->source, path, FTH_LIMIT_CHART_FILE_SIZE);
    if (len > FTH_LIMIT_CHART_SIZE - c->total)
        return fth_error_set(c->err, FTH_ELIMIT,
                             "%s: chart is larger than %zu bytes decompressed (limit)", c->source,
                             FTH_LIMIT_CHART_SIZE);
    c->total += len;
    if (!(f = fth_arena_calloc(c->a, 1, sizeof(*f))) || !(f->path = fth_arena_strdup(c->a, path)) ||
        fth_vec_push(&c->files, c->a, f) < 0)
        return fth_error_set(c->err, FTH_ENOMEM, "out of memory");
    f->data = data;
    f->len = len;
    return 0;
}

static int read_whole(unsigned char **out, size_t *len, struct collect *c, const char *full,
                      const char *rel)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error e;
    int error;

    fth_error_clear(&e);
    if ((error = fth_file_read(&b, full, FTH_LIMIT_CHART_FILE_SIZE, &e)) < 0) {
        if (error == FTH_ELIMIT)
            error = fth_error_set(c->err, FTH_ELIMIT, "%s: '%s' is larger than %zu bytes (limit)",
                                  c->source, rel, FTH_LIMIT_CHART_FILE_SIZE);
        else
            error = fth_error_set(c->err, error, "%s", e.message);
        goto out;
    }
    if (!(*out = fth_arena_alloc(c->a, b.len + 1))) {
        error = fth_error_set(c->err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    memcpy(*out, b.ptr, b.len);
    *len = b.len;
out:
    fth_buf_release(&b);
    return error;
}

struct walk {
    struct collect *c;
    const struct fth_helmignore *ignore;
    const char *root_real; /* realpath of the chart directory */
    size_t visited;
};

static int inside(const char *root, const char *real)
{
    size_t n = strlen(root);

    return !strncmp(real, root, n) && (real[n] == '/' || real[n] == '\0');
}

static int walk_dir(struct walk *w, const char *full, const char *rel, unsigned depth);

static int walk_entry(struct walk *w, const char *full, const char *rel, unsigned depth)
{
    struct collect *c = w->c;
    struct stat st;
    char *real = NULL;
    unsigned char *data = NULL;
    size_t len = 0;
    int error = 0, is_dir;

    if (++w->visited > FTH_LIMIT_WALK_FILES)
        return fth_error_set(c->err, FTH_ELIMIT, "%s: more than %d entries (limit)", c->source,
                             FTH_LIMIT_WALK_FILES);
    if (lstat(full, &st) < 0)
        return fth_error_set(c->err, FTH_EIO, "cannot read '%s': %s", full, strerror(errno));
    if (S_ISLNK(st.st_mode)) {
        /* Helm follows links; Fathom follows only those that stay inside the chart. */
        if (!(real = realpath(full, NULL)))
            return fth_error_set(c->err, FTH_EINVALID, "%s: '%s': broken symbolic link", c->source,
                                 rel);
        if (!inside(w->root_real, real)) {
            error =
                fth_error_set(c->err, FTH_EINVALID,
                              "%s: '%s': symbolic link points outside the chart", c->source, rel);
            goto out;
        }
        if (stat(real, &st) < 0) {
            error = fth_error_set(c->err, FTH_EIO, "cannot read '%s': %s", full, strerror(errno));
            goto out;
        }
    }
    is_dir = S_ISDIR(st.st_mode);
    if (fth_helmignore_match(w->ignore, rel, is_dir))
        goto out;
    if (is_dir) {
        error = walk_dir(w, real ? real : full, rel, depth + 1);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        error = fth_error_set(c->err, FTH_EINVALID,
                              "%s: cannot load irregular file '%s' as it has file mode type bits "
                              "set",
                              c->source, rel);
        goto out;
    }
    if ((error = read_whole(&data, &len, c, real ? real : full, rel)) < 0)
        goto out;
    error = add_file(c, rel, data, len);
out:
    free(real);
    return error;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static int walk_dir(struct walk *w, const char *full, const char *rel, unsigned depth)
{
    struct collect *c = w->c;
    struct fth_vec names = {0};
    struct dirent *de;
    DIR *d;
    size_t i;
    int error = 0;

    if (depth > FTH_LIMIT_WALK_DEPTH)
        return fth_error_set(c->err, FTH_ELIMIT,
                             "%s: '%s': directories nested deeper than %d "
                             "(limit)",
                             c->source, rel, FTH_LIMIT_WALK_DEPTH);
    if (!(d = opendir(full)))
        return fth_error_set(c->err, FTH_EIO, "cannot read '%s': %s", full, strerror(errno));
    while ((de = readdir(d))) {
        char *n;

        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (!(n = fth_arena_strdup(c->a, de->d_name)) || fth_vec_push(&names, c->a, n) < 0) {
            error = fth_error_set(c->err, FTH_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (names.len)
        qsort(names.items, names.len, sizeof(*names.items), cmp_str);
    for (i = 0; i < names.len && !error; i++) {
        const char *n = names.items[i];
        char *f = fth_arena_printf(c->a, "%s/%s", full, n);
        char *r = *rel ? fth_arena_printf(c->a, "%s/%s", rel, n) : fth_arena_strdup(c->a, n);

        if (!f || !r)
            error = fth_error_set(c->err, FTH_ENOMEM, "out of memory");
        else
            error = walk_entry(w, f, r, depth);
    }
out:
    closedir(d);
    return error;
}

static int collect_dir(struct collect *c, const char *dir)
{
    struct fth_helmignore *ignore = NULL;
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error e;
    struct walk w;
    char *real = NULL, *ipath;
    int error;

    memset(&w, 0, sizeof(w));
    if (!(real = realpath(dir, NULL)))
        return fth_error_set(c->err, FTH_EIO, "stat %s: %s", dir, strerror(errno));
    fth_error_clear(&e);
    if (!(ipath = fth_arena_printf(c->a, "%s/.helmignore", real))) {
        error = fth_error_set(c->err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    error = fth_file_read(&b, ipath, FTH_LIMIT_CHART_FILE_SIZE, &e);
    if (error < 0 && access(ipath, F_OK) == 0) {
        error = fth_error_set(c->err, error, "%s", e.message);
        goto out;
    }
    if ((error = fth_helmignore_parse(&ignore, c->a, error < 0 ? NULL : b.ptr, b.len, c->err)) <
        0) {
        fth_error_locate(c->err, ipath, 0, 0);
        goto out;
    }
    w.c = c;
    w.ignore = ignore;
    w.root_real = real;
    error = walk_dir(&w, real, "", 0);
out:
    fth_buf_release(&b);
    free(real);
    return error;
}

/* Helm's archive rules; the member's path relative to the chart root into *out. */
static int archive_path(char **out, struct collect *c, const char *name, const char **top)
{
    struct fth_buf clean = FTH_BUF_INIT;
    const char *slash, *p, *rest;
    size_t toplen;
    int error = 0;

    *out = NULL;
    if (strchr(name, '\\') || (name[0] && name[1] == ':'))
        return fth_error_set(c->err, FTH_EINVALID,
                             "%s: '%s': chart contains illegally named "
                             "files",
                             c->source, name);
    if (name[0] == '/')
        return fth_error_set(c->err, FTH_EINVALID,
                             "%s: '%s': chart illegally contains absolute paths", c->source, name);
    while (!strncmp(name, "./", 2))
        name += 2;
    slash = strchr(name, '/');
    toplen = slash ? (size_t)(slash - name) : strlen(name);
    if (!slash || !slash[1]) {
        if (!strcmp(name, "Chart.yaml"))
            return fth_error_set(c->err, FTH_EINVALID,
                                 "%s: 'Chart.yaml': chart yaml not in base directory", c->source);
        return fth_error_set(c->err, FTH_EINVALID,
                             "%s: '%s': chart illegally contains content outside the base "
                             "directory",
                             c->source, name);
    }
    if (toplen == 0 || (toplen == 2 && !strncmp(name, "..", 2)))
        return fth_error_set(c->err, FTH_EINVALID,
                             "%s: '%s': chart illegally references parent directory", c->source,
                             name);
    if (!*top) {
        if (!(*top = fth_arena_strndup(c->a, name, toplen)))
            return fth_error_set(c->err, FTH_ENOMEM, "out of memory");
    } else if (strlen(*top) != toplen || strncmp(*top, name, toplen) != 0) {
        return fth_error_set(c->err, FTH_EINVALID,
                             "%s: '%s': every entry must be under one directory, '%s/'", c->source,
                             name, *top);
    }
    /* path.Clean of the rest: no "..", no empty or "." segments. */
    rest = slash + 1;
    for (p = rest; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);

        if (n == 2 && !strncmp(p, "..", 2)) {
            error = fth_error_set(c->err, FTH_EINVALID,
                                  "%s: '%s': chart illegally references parent directory",
                                  c->source, name);
            goto out;
        }
        if (n && !(n == 1 && *p == '.')) {
            if ((clean.len && fth_buf_putc(&clean, '/') < 0) || fth_buf_put(&clean, p, n) < 0) {
                error = fth_error_set(c->err, FTH_ENOMEM, "out of memory");
                goto out;
            }
        }
        p += n;
        if (*p == '/')
            p++;
    }
    if (!clean.len) {
        error = fth_error_set(c->err, FTH_EINVALID,
                              "%s: '%s': chart illegally contains content outside the base "
                              "directory",
                              c->source, name);
        goto out;
    }
    if (!(*out = fth_arena_strndup(c->a, clean.ptr, clean.len)))
        error = fth_error_set(c->err, FTH_ENOMEM, "out of memory");
out:
    fth_buf_release(&clean);
    return error;
}

static int collect_archive(struct collect *c, const void *data, size_t len)
{
    struct archive *ar = archive_read_new();
    struct archive_entry *ent;
    const char *top = NULL;
    size_t entries = 0;
    int error = 0, r;

    if (!ar)
        return fth_error_set(c->err, FTH_ENOMEM, "out of memory");
    if (len > FTH_LIMIT_CHART_ARCHIVE_SIZE) {
        error = fth_error_set(c->err, FTH_ELIMIT, "%s: archive larger than %zu bytes (limit)",
                              c->source, FTH_LIMIT_CHART_ARCHIVE_SIZE);
        goto out;
    }
    archive_read_support_filter_gzip(ar);
    archive_read_support_format_tar(ar);
    if (archive_read_open_memory(ar, data, len) != ARCHIVE_OK) {
        error = fth_error_set(c->err, FTH_EINVALID, "%s: not a gzip tar archive: %s", c->source,
                              archive_error_string(ar) ? archive_error_string(ar) : "unknown");
        goto out;
    }
    while ((r = archive_read_next_header(ar, &ent)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(ent);
        unsigned char *buf;
        la_int64_t size = archive_entry_size(ent);
        size_t got = 0;
        char *rel;
        mode_t type = archive_entry_filetype(ent);

        if (++entries > FTH_LIMIT_CHART_FILES) {
            /* Directory entries too: they cost time even though they hold nothing. */
            error = fth_error_set(c->err, FTH_ELIMIT, "%s: more than %d archive entries (limit)",
                                  c->source, FTH_LIMIT_CHART_FILES);
            goto out;
        }
        if (!name) {
            error = fth_error_set(c->err, FTH_EINVALID, "%s: entry without a name", c->source);
            goto out;
        }
        if (type == AE_IFDIR)
            continue;
        if (type != AE_IFREG || archive_entry_hardlink(ent)) {
            error = fth_error_set(c->err, FTH_EINVALID,
                                  "%s: '%s': links and special files are not allowed in a chart "
                                  "archive",
                                  c->source, name);
            goto out;
        }
        if ((error = archive_path(&rel, c, name, &top)) < 0)
            goto out;
        if (size < 0 || (uint64_t)size > FTH_LIMIT_CHART_FILE_SIZE) {
            error = fth_error_set(c->err, FTH_ELIMIT, "%s: '%s' is larger than %zu bytes (limit)",
                                  c->source, rel, FTH_LIMIT_CHART_FILE_SIZE);
            goto out;
        }
        if (!(buf = fth_arena_alloc(c->a, (size_t)size + 1))) {
            error = fth_error_set(c->err, FTH_ENOMEM, "out of memory");
            goto out;
        }
        while (got < (size_t)size) {
            la_ssize_t n = archive_read_data(ar, buf + got, (size_t)size - got);

            if (n <= 0) {
                error = fth_error_set(
                    c->err, FTH_EINVALID, "%s: '%s': truncated archive: %s", c->source, name,
                    archive_error_string(ar) ? archive_error_string(ar) : "unexpected end");
                goto out;
            }
            got += (size_t)n;
        }
        for (size_t i = 0; i < c->files.len; i++)
            if (!strcmp(((struct fth_chart_file *)c->files.items[i])->path, rel)) {
                error = fth_error_set(c->err, FTH_EINVALID, "%s: '%s': duplicate entry", c->source,
                                      name);
                goto out;
            }
        if ((error = add_file(c, rel, buf, got)) < 0)
            goto out;
    }
    if (r != ARCHIVE_EOF) {
        error = fth_error_set(c->err, FTH_EINVALID, "%s: not a gzip tar archive: %s", c->source,
                              archive_error_string(ar) ? archive_error_string(ar) : "unknown");
        goto out;
    }
    if (!c->files.len)
        error = fth_error_set(c->err, FTH_EINVALID, "%s: no files in chart archive", c->source);
out:
    archive_read_free(ar);
    return error;
}

/* ---- Chart.yaml ---- */

/* An error at a node of Chart.yaml: its line and column go into err. */
static int value_error(struct fth_error *err, int code, const struct fth_value *at, const char *fmt,
                       ...) FTH_PRINTF(4, 5);
static int value_error(struct fth_error *err, int code, const struct fth_value *at, const char *fmt,
                       ...)
{
    va_list ap;

    va_start(ap, fmt);
    fth_error_setv(err, code, fmt, ap);
    va_end(ap);
    fth_error_locate(err, NULL, at->line, at->column);
    return code;
}

static int field_str(const char **out, const struct fth_value *map, const char *key,
                     const char *what, struct fth_error *err)
{
    const struct fth_value *v = fth_value_get(map, key);

    *out = NULL;
    if (!v || v->type == FTH_VALUE_NULL)
        return 0;
    if (v->type != FTH_VALUE_STRING) {
        /* Go's yaml-to-JSON turns 1.0 into a number; chart.Metadata wants a string. */
        return value_error(err, FTH_ETYPE, v, "%s.%s: expected a string, found %s", what, key,
                           fth_value_type_name(v->type));
    }
    *out = v->u.str.len ? v->u.str.ptr : NULL;
    return 0;
}

static int field_bool(int *out, const struct fth_value *map, const char *key, const char *what,
                      struct fth_error *err)
{
    const struct fth_value *v = fth_value_get(map, key);

    if (!v || v->type == FTH_VALUE_NULL)
        return 0;
    if (v->type != FTH_VALUE_BOOL)
        return value_error(err, FTH_ETYPE, v, "%s.%s: expected a boolean, found %s", what, key,
                           fth_value_type_name(v->type));
    *out = v->u.boolean;
    return 0;
}

static int field_list(const struct fth_value **out, const struct fth_value *map, const char *key,
                      const char *what, struct fth_error *err)
{
    const struct fth_value *v = fth_value_get(map, key);
    size_t i;

    *out = NULL;
    if (!v || v->type == FTH_VALUE_NULL)
        return 0;
    if (v->type != FTH_VALUE_SEQ)
        return value_error(err, FTH_ETYPE, v, "%s.%s: expected a sequence, found %s", what, key,
                           fth_value_type_name(v->type));
    for (i = 0; i < v->u.seq.len; i++)
        if (v->u.seq.items[i]->type != FTH_VALUE_STRING)
            return value_error(err, FTH_ETYPE, v->u.seq.items[i],
                               "%s.%s[%zu]: expected a string, found %s", what, key, i,
                               fth_value_type_name(v->u.seq.items[i]->type));
    *out = v->u.seq.len ? v : NULL;
    return 0;
}

static int valid_alias(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int validate(const struct fth_chart_metadata *md, struct fth_error *err)
{
    size_t i, j;

    if (!md->api_version)
        return fth_error_set(err, FTH_EINVALID,
                             "validation: chart.metadata.apiVersion is required");
    if (strcmp(md->api_version, "v1") != 0 && strcmp(md->api_version, "v2") != 0)
        return fth_error_set(err, FTH_EINVALID,
                             "validation: chart.metadata.apiVersion '%s' is invalid: expected v1 "
                             "or v2",
                             md->api_version);
    if (!md->name)
        return fth_error_set(err, FTH_EINVALID, "validation: chart.metadata.name is required");
    if (strpbrk(md->name, "/\\") || !strcmp(md->name, ".") || !strcmp(md->name, ".."))
        return fth_error_set(err, FTH_EINVALID, "validation: chart.metadata.name '%s' is invalid",
                             md->name);
    if (!md->version)
        return fth_error_set(err, FTH_EINVALID, "validation: chart.metadata.version is required");
    if (!fth_version_valid(FTH_ECO_NPM, md->version, 0))
        return fth_error_set(err, FTH_EINVALID,
                             "validation: chart.metadata.version '%s' is invalid", md->version);
    if (md->type && strcmp(md->type, "application") != 0 && strcmp(md->type, "library") != 0)
        return fth_error_set(err, FTH_EINVALID,
                             "validation: chart.metadata.type must be application or library");
    for (i = 0; i < md->ndependencies; i++) {
        const struct fth_chart_dependency *d = &md->dependencies[i];
        const char *key = d->alias ? d->alias : d->name;

        if (!d->name)
            return fth_error_set(err, FTH_EINVALID,
                                 "validation: chart.metadata.dependencies[%zu]: name is required",
                                 i);
        if (d->alias && !valid_alias(d->alias))
            return fth_error_set(err, FTH_EINVALID,
                                 "validation: dependency '%s' has disallowed characters in the "
                                 "alias",
                                 d->name);
        for (j = 0; j < i; j++) {
            const struct fth_chart_dependency *o = &md->dependencies[j];

            if (!strcmp(o->alias ? o->alias : o->name, key))
                return fth_error_set(err, FTH_EINVALID,
                                     "validation: more than one dependency with name or alias "
                                     "'%s'",
                                     key);
        }
    }
    return 0;
}

int fth_chart_metadata_parse(struct fth_chart_metadata *out, struct fth_arena *a, const char *data,
                             size_t len, const char *name, struct fth_error *err)
{
    struct fth_load_opts lo = FTH_LOAD_OPTS_INIT;
    const struct fth_value *root, *v;
    struct fth_value *doc = NULL;
    const char *w = "chart.metadata";
    size_t i;
    int error;

    memset(out, 0, sizeof(*out));
    lo.name = name;
    if ((error = fth_value_load_one(&doc, a, data, len, &lo, err)) < 0)
        goto out;
    root = doc;
    if (!root || root->type != FTH_VALUE_MAP) {
        error = fth_error_set(err, FTH_EINVALID, "validation: chart.metadata is required");
        goto out;
    }
    out->raw = root;
    if ((error = field_str(&out->api_version, root, "apiVersion", w, err)) < 0 ||
        (error = field_str(&out->name, root, "name", w, err)) < 0 ||
        (error = field_str(&out->version, root, "version", w, err)) < 0 ||
        (error = field_str(&out->description, root, "description", w, err)) < 0 ||
        (error = field_str(&out->type, root, "type", w, err)) < 0 ||
        (error = field_str(&out->app_version, root, "appVersion", w, err)) < 0 ||
        (error = field_str(&out->kube_version, root, "kubeVersion", w, err)) < 0 ||
        (error = field_str(&out->home, root, "home", w, err)) < 0 ||
        (error = field_str(&out->icon, root, "icon", w, err)) < 0 ||
        (error = field_str(&out->condition, root, "condition", w, err)) < 0 ||
        (error = field_str(&out->tags, root, "tags", w, err)) < 0 ||
        (error = field_bool(&out->deprecated, root, "deprecated", w, err)) < 0 ||
        (error = field_list(&out->keywords, root, "keywords", w, err)) < 0 ||
        (error = field_list(&out->sources, root, "sources", w, err)) < 0)
        goto out;
    if ((v = fth_value_get(root, "annotations")) && v->type != FTH_VALUE_NULL) {
        if (v->type != FTH_VALUE_MAP) {
            error = value_error(err, FTH_ETYPE, v,
                                "chart.metadata.annotations: expected a mapping, found %s",
                                fth_value_type_name(v->type));
            goto out;
        }
        for (i = 0; i < v->u.map.len; i++)
            if (v->u.map.items[i].value->type != FTH_VALUE_STRING) {
                error = value_error(err, FTH_ETYPE, v->u.map.items[i].value,
                                    "chart.metadata.annotations: values must be strings");
                goto out;
            }
        out->annotations = v->u.map.len ? v : NULL;
    }
    if ((v = fth_value_get(root, "maintainers")) && v->type != FTH_VALUE_NULL) {
        if (v->type != FTH_VALUE_SEQ) {
            error = value_error(err, FTH_ETYPE, v,
                                "chart.metadata.maintainers: expected a sequence, found %s",
                                fth_value_type_name(v->type));
            goto out;
        }
        if (!(out->maintainers =
                  fth_arena_calloc(a, v->u.seq.len + 1, sizeof(*out->maintainers)))) {
            error = fth_error_set(err, FTH_ENOMEM, "out of memory");
            goto out;
        }
        for (i = 0; i < v->u.seq.len; i++) {
            const struct fth_value *m = v->u.seq.items[i];
            struct fth_chart_maintainer *mt = &out->maintainers[i];

            if (m->type != FTH_VALUE_MAP) {
                error = fth_error_set(err, FTH_EINVALID,
                                      "validation: maintainers must not contain empty or null "
                                      "nodes");
                goto out;
            }
            if ((error = field_str(&mt->name, m, "name", "chart.metadata.maintainers", err)) < 0 ||
                (error = field_str(&mt->email, m, "email", "chart.metadata.maintainers", err)) <
                    0 ||
                (error = field_str(&mt->url, m, "url", "chart.metadata.maintainers", err)) < 0)
                goto out;
        }
        out->nmaintainers = v->u.seq.len;
    }
    if ((v = fth_value_get(root, "dependencies")) && v->type != FTH_VALUE_NULL) {
        const char *dw = "chart.metadata.dependencies";

        if (v->type != FTH_VALUE_SEQ) {
            error = value_error(err, FTH_ETYPE, v,
                                "chart.metadata.dependencies: expected a sequence, found "
                                "%s",
                                fth_value_type_name(v->type));
            goto out;
        }
        if (!(out->dependencies =
                  fth_arena_calloc(a, v->u.seq.len + 1, sizeof(*out->dependencies)))) {
            error = fth_error_set(err, FTH_ENOMEM, "out of memory");
            goto out;
        }
        for (i = 0; i < v->u.seq.len; i++) {
            const struct fth_value *m = v->u.seq.items[i], *t;
            struct fth_chart_dependency *d = &out->dependencies[i];

            if (m->type != FTH_VALUE_MAP) {
                error = fth_error_set(err, FTH_EINVALID,
                                      "validation: dependencies must not contain empty or null "
                                      "nodes");
                goto out;
            }
            d->enabled = -1;
            if ((error = field_str(&d->name, m, "name", dw, err)) < 0 ||
                (error = field_str(&d->version, m, "version", dw, err)) < 0 ||
                (error = field_str(&d->repository, m, "repository", dw, err)) < 0 ||
                (error = field_str(&d->condition, m, "condition", dw, err)) < 0 ||
                (error = field_str(&d->alias, m, "alias", dw, err)) < 0 ||
                (error = field_bool(&d->enabled, m, "enabled", dw, err)) < 0 ||
                (error = field_list(&d->tags, m, "tags", dw, err)) < 0)
                goto out;
            t = fth_value_get(m, "import-values");
            d->import_values = t && t->type != FTH_VALUE_NULL ? t : NULL;
        }
        out->ndependencies = v->u.seq.len;
    }
    error = validate(out, err);
out:
    if (error < 0)
        fth_error_locate(err, name, 0, 0);
    return error;
}

/* ---- Chart.yaml as Helm marshals it ---- */

struct mapb {
    struct fth_member items[20];
    size_t len;
};

static int put(struct mapb *m, struct fth_arena *a, const char *key, struct fth_value *v)
{
    if (!v)
        return 0;
    if (!(m->items[m->len].key = fth_value_new_str(a, key, strlen(key))))
        return FTH_ENOMEM;
    m->items[m->len++].value = v;
    return 0;
}

static struct fth_value *str_or_null(struct fth_arena *a, const char *s)
{
    return s && *s ? fth_value_new_str(a, s, strlen(s)) : NULL;
}

static struct fth_value *bool_value(struct fth_arena *a, int b)
{
    struct fth_value *v = fth_value_new(a, FTH_VALUE_BOOL);

    if (v)
        v->u.boolean = b;
    return v;
}

static struct fth_value *finish(struct fth_arena *a, const struct mapb *m)
{
    struct fth_value *v = fth_value_new(a, FTH_VALUE_MAP);

    if (!v || !(v->u.map.items = fth_arena_calloc(a, m->len + 1, sizeof(*m->items))))
        return NULL;
    memcpy(v->u.map.items, m->items, m->len * sizeof(*m->items));
    v->u.map.len = m->len;
    return v;
}

/* Go's yaml.Marshal sorts map keys: annotations come out in key order. */
static int cmp_member(const void *x, const void *y)
{
    const struct fth_member *p = x, *q = y;

    return strcmp(p->key->u.str.ptr, q->key->u.str.ptr);
}

static struct fth_value *sorted_map(struct fth_arena *a, const struct fth_value *src)
{
    struct fth_value *v = fth_value_new(a, FTH_VALUE_MAP);

    if (!v ||
        !(v->u.map.items = fth_arena_calloc(a, src->u.map.len + 1, sizeof(struct fth_member))))
        return NULL;
    memcpy(v->u.map.items, src->u.map.items, src->u.map.len * sizeof(struct fth_member));
    v->u.map.len = src->u.map.len;
    for (size_t i = 0; i < v->u.map.len; i++)
        if (v->u.map.items[i].key->type != FTH_VALUE_STRING)
            return v; /* not sortable by name: keep the order written */
    qsort(v->u.map.items, v->u.map.len, sizeof(struct fth_member), cmp_member);
    return v;
}

static struct fth_value *seq_of(struct fth_arena *a, struct fth_value **items, size_t n)
{
    struct fth_value *v;

    if (!n)
        return NULL;
    if (!(v = fth_value_new(a, FTH_VALUE_SEQ)))
        return NULL;
    v->u.seq.items = items;
    v->u.seq.len = n;
    return v;
}

static int build_metadata(struct fth_value **out, struct fth_arena *a,
                          const struct fth_chart_metadata *md)
{
    struct mapb m = {0};
    struct fth_value **list = NULL, *deps = NULL, *maint = NULL;
    size_t i, n = 0;
    int r = 0;

    *out = NULL;
    if (md->ndependencies && !(list = fth_arena_calloc(a, md->ndependencies, sizeof(*list))))
        return FTH_ENOMEM;
    for (i = 0; i < md->ndependencies; i++) {
        const struct fth_chart_dependency *d = &md->dependencies[i];
        struct mapb dm = {0};

        r |= put(&dm, a, "alias", str_or_null(a, d->alias));
        r |= put(&dm, a, "condition", str_or_null(a, d->condition));
        r |= put(&dm, a, "enabled", d->enabled > 0 ? bool_value(a, 1) : NULL);
        r |= put(&dm, a, "import-values", (struct fth_value *)d->import_values);
        r |= put(&dm, a, "name", str_or_null(a, d->name));
        r |= put(&dm, a, "repository", str_or_null(a, d->repository));
        r |= put(&dm, a, "tags", (struct fth_value *)d->tags);
        r |= put(&dm, a, "version", str_or_null(a, d->version));
        if (r < 0 || !(list[i] = finish(a, &dm)))
            return FTH_ENOMEM;
    }
    deps = seq_of(a, list, md->ndependencies);
    list = NULL;
    if (md->nmaintainers && !(list = fth_arena_calloc(a, md->nmaintainers, sizeof(*list))))
        return FTH_ENOMEM;
    for (i = 0; i < md->nmaintainers; i++) {
        const struct fth_chart_maintainer *mt = &md->maintainers[i];
        struct mapb mm = {0};

        r |= put(&mm, a, "email", str_or_null(a, mt->email));
        r |= put(&mm, a, "name", str_or_null(a, mt->name));
        r |= put(&mm, a, "url", str_or_null(a, mt->url));
        if (r < 0 || !(list[n++] = finish(a, &mm)))
            return FTH_ENOMEM;
    }
    maint = seq_of(a, list, n);
    r |= put(&m, a, "annotations", md->annotations ? sorted_map(a, md->annotations) : NULL);
    r |= put(&m, a, "apiVersion", str_or_null(a, md->api_version));
    r |= put(&m, a, "appVersion", str_or_null(a, md->app_version));
    r |= put(&m, a, "condition", str_or_null(a, md->condition));
    r |= put(&m, a, "dependencies", deps);
    r |= put(&m, a, "deprecated", md->deprecated ? bool_value(a, 1) : NULL);
    r |= put(&m, a, "description", str_or_null(a, md->description));
    r |= put(&m, a, "home", str_or_null(a, md->home));
    r |= put(&m, a, "icon", str_or_null(a, md->icon));
    r |= put(&m, a, "keywords", (struct fth_value *)md->keywords);
    r |= put(&m, a, "kubeVersion", str_or_null(a, md->kube_version));
    r |= put(&m, a, "maintainers", maint);
    r |= put(&m, a, "name", str_or_null(a, md->name));
    r |= put(&m, a, "sources", (struct fth_value *)md->sources);
    r |= put(&m, a, "tags", str_or_null(a, md->tags));
    r |= put(&m, a, "type", str_or_null(a, md->type));
    r |= put(&m, a, "version", str_or_null(a, md->version));
    if (r < 0 || !(*out = finish(a, &m)))
        return FTH_ENOMEM;
    return 0;
}

int fth_chart_metadata_yaml(struct fth_buf *out, const struct fth_chart_metadata *md)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_value *v;
    int error;

    if (!a)
        return FTH_ENOMEM;
    if ((error = build_metadata(&v, a, md)) == 0)
        error = fth_value_to_yaml(out, v);
    fth_arena_free(a);
    return error;
}

/* ---- building the chart ---- */

static int cmp_file(const void *x, const void *y)
{
    const struct fth_chart_file *p = *(const struct fth_chart_file *const *)x;
    const struct fth_chart_file *q = *(const struct fth_chart_file *const *)y;

    return strcmp(p->path, q->path);
}

static int load_archive_depth(struct fth_chart **out, struct fth_arena *a, const void *data,
                              size_t len, const char *name, unsigned depth, struct fth_error *err);

static int build(struct fth_chart **out, struct fth_arena *a, struct fth_vec *files,
                 const char *source, unsigned depth, struct fth_error *err)
{
    struct fth_chart *c;
    struct fth_vec tmpl = {0}, subs = {0};
    const char *yname;
    size_t i, j;
    int error = 0;

    *out = NULL;
    if (!(c = fth_arena_calloc(a, 1, sizeof(*c))) ||
        !(c->files = fth_arena_calloc(a, files->len + 1, sizeof(*c->files))))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    if (files->len)
        qsort(files->items, files->len, sizeof(*files->items), cmp_file);
    c->source = source;
    for (i = 0; i < files->len; i++)
        c->files[i] = *(struct fth_chart_file *)files->items[i];
    c->nfiles = files->len;
    for (i = 0; i < c->nfiles; i++) {
        const struct fth_chart_file *f = &c->files[i];

        if (!strcmp(f->path, "Chart.yaml"))
            c->chart_yaml = f;
        else if (!strcmp(f->path, "values.yaml"))
            c->values = f;
        else if (!strcmp(f->path, "values.schema.json"))
            c->values_schema = f;
        else if (!strcmp(f->path, "Chart.lock"))
            c->chart_lock = f;
        else if (!strncmp(f->path, "templates/", 10) && fth_vec_push(&tmpl, a, (void *)f) < 0)
            return fth_error_set(err, FTH_ENOMEM, "out of memory");
    }
    if (!c->chart_yaml)
        return fth_error_set(err, FTH_EINVALID, "%s: Chart.yaml file is missing", source);
    if (!(yname = fth_arena_printf(a, "%s/Chart.yaml", source)))
        return fth_error_set(err, FTH_ENOMEM, "out of memory");
    if ((error = fth_chart_metadata_parse(&c->metadata, a, (const char *)c->chart_yaml->data,
                                          c->chart_yaml->len, yname, err)) < 0)
        return error;
    c->templates = (const struct fth_chart_file **)tmpl.items;
    c->ntemplates = tmpl.len;
    /* Subcharts: charts/<x>.tgz archives and charts/<x>/ directories. */
    for (i = 0; i < c->nfiles; i++) {
        const struct fth_chart_file *f = &c->files[i];
        const char *rest, *slash;
        struct fth_chart *sub = NULL;

        if (strncmp(f->path, "charts/", 7) != 0)
            continue;
        if (depth >= FTH_LIMIT_CHART_DEPTH)
            return fth_error_set(err, FTH_ELIMIT, "%s: subcharts nested deeper than %d (limit)",
                                 source, FTH_LIMIT_CHART_DEPTH);
        rest = f->path + 7;
        slash = strchr(rest, '/');
        if (!slash) {
            size_t n = strlen(rest);
            const char *subname;

            if (n < 4 || strcmp(rest + n - 4, ".tgz") != 0)
                continue; /* charts/README.md, charts/x.tgz.prov: plain files */
            if (!(subname = fth_arena_printf(a, "%s/%s", source, f->path)))
                return fth_error_set(err, FTH_ENOMEM, "out of memory");
            if ((error = load_archive_depth(&sub, a, f->data, f->len, subname, depth + 1, err)) < 0)
                return error;
        } else {
            struct fth_vec subfiles = {0};
            size_t plen = (size_t)(slash - f->path) + 1;
            const char *subname = fth_arena_strndup(a, f->path, plen - 1);

            if (!subname)
                return fth_error_set(err, FTH_ENOMEM, "out of memory");
            for (j = i; j < c->nfiles && !strncmp(c->files[j].path, f->path, plen); j++) {
                struct fth_chart_file *sf = fth_arena_calloc(a, 1, sizeof(*sf));

                if (!sf || fth_vec_push(&subfiles, a, sf) < 0)
                    return fth_error_set(err, FTH_ENOMEM, "out of memory");
                *sf = c->files[j];
                sf->path = c->files[j].path + plen;
            }
            i = j - 1;
            if (!(subname = fth_arena_printf(a, "%s/%s", source, subname)))
                return fth_error_set(err, FTH_ENOMEM, "out of memory");
            if ((error = build(&sub, a, &subfiles, subname, depth + 1, err)) < 0)
                return error;
        }
        sub->parent = c;
        if (fth_vec_push(&subs, a, sub) < 0)
            return fth_error_set(err, FTH_ENOMEM, "out of memory");
    }
    c->subcharts = (struct fth_chart **)subs.items;
    c->nsubcharts = subs.len;
    *out = c;
    return 0;
}

static int load_archive_depth(struct fth_chart **out, struct fth_arena *a, const void *data,
                              size_t len, const char *name, unsigned depth, struct fth_error *err)
{
    struct collect c;
    int error;

    memset(&c, 0, sizeof(c));
    c.a = a;
    c.source = name;
    c.err = err;
    if ((error = collect_archive(&c, data, len)) < 0)
        return error;
    return build(out, a, &c.files, name, depth, err);
}

int fth_chart_load_archive(struct fth_chart **out, struct fth_arena *a, const void *data,
                           size_t len, const char *name, struct fth_error *err)
{
    *out = NULL;
    return load_archive_depth(out, a, data, len, name ? name : "chart archive", 0, err);
}

int fth_chart_load_dir(struct fth_chart **out, struct fth_arena *a, const char *dir,
                       struct fth_error *err)
{
    struct collect c;
    int error;

    *out = NULL;
    memset(&c, 0, sizeof(c));
    c.a = a;
    c.source = dir;
    c.err = err;
    if ((error = collect_dir(&c, dir)) < 0)
        return error;
    return build(out, a, &c.files, dir, 0, err);
}

int fth_chart_load(struct fth_chart **out, struct fth_arena *a, const char *path,
                   struct fth_error *err)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct stat st;
    unsigned char *copy;
    int error;

    *out = NULL;
    if (stat(path, &st) < 0)
        return fth_error_set(err, FTH_EIO, "stat %s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return fth_chart_load_dir(out, a, path, err);
    if ((error = fth_file_read(&b, path, FTH_LIMIT_CHART_ARCHIVE_SIZE, err)) < 0)
        goto out;
    if (!(copy = fth_arena_alloc(a, b.len + 1))) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    memcpy(copy, b.ptr, b.len);
    error = fth_chart_load_archive(out, a, copy, b.len, path, err);
out:
    fth_buf_release(&b);
    return error;
}

const char *fth_chart_archive_name(struct fth_arena *a, const struct fth_chart *chart)
{
    return fth_arena_printf(a, "%s-%s.tgz", chart->metadata.name, chart->metadata.version);
}

/* ---- packaging ---- */

struct sink {
    struct fth_buf *out;
    int failed;
};

static la_ssize_t write_cb(struct archive *ar, void *data, const void *buf, size_t len)
{
    struct sink *s = data;

    (void)ar;
    if (fth_buf_put(s->out, buf, len) < 0) {
        s->failed = 1;
        return -1;
    }
    return (la_ssize_t)len;
}

static int write_entry(struct archive *ar, struct archive_entry *e, const char *name,
                       const char *path, const void *data, size_t len, int64_t mtime)
{
    struct fth_buf full = FTH_BUF_INIT;
    int ok;

    archive_entry_clear(e);
    ok = fth_buf_printf(&full, "%s/%s", name, path) == 0;
    if (ok) {
        archive_entry_set_pathname(e, full.ptr);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)len);
        archive_entry_set_mtime(e, (time_t)mtime, 0);
        ok = archive_write_header(ar, e) == ARCHIVE_OK &&
             (len == 0 || archive_write_data(ar, data, len) == (la_ssize_t)len);
    }
    fth_buf_release(&full);
    return ok;
}

int fth_chart_package(struct fth_buf *out, const struct fth_chart *chart,
                      const struct fth_chart_package_opts *opts, struct fth_error *err)
{
    static const char *const first[] = {"values.yaml", "values.schema.json"};
    struct fth_chart_package_opts def = FTH_CHART_PACKAGE_OPTS_INIT;
    struct fth_buf yaml = FTH_BUF_INIT;
    struct archive *ar = NULL;
    struct archive_entry *e = NULL;
    struct sink s = {out, 0};
    const char *name = chart->metadata.name;
    size_t i, k;
    int error = 0, ok = 1;

    if (!opts)
        opts = &def;
    if ((error = fth_chart_metadata_yaml(&yaml, &chart->metadata)) < 0) {
        error = fth_error_set(err, error, "%s: cannot write Chart.yaml", chart->source);
        goto out;
    }
    if (!(ar = archive_write_new()) || !(e = archive_entry_new())) {
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
        goto out;
    }
    /* No timestamp in the gzip header: the same chart must give the same bytes. */
    if (archive_write_add_filter_gzip(ar) != ARCHIVE_OK ||
        archive_write_set_filter_option(ar, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
        archive_write_set_format_pax_restricted(ar) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(ar, 1) != ARCHIVE_OK ||
        archive_write_open(ar, &s, NULL, write_cb, NULL) != ARCHIVE_OK) {
        error = fth_error_set(err, FTH_EIO, "cannot write chart archive: %s",
                              archive_error_string(ar) ? archive_error_string(ar) : "unknown");
        goto out;
    }
    ok = write_entry(ar, e, name, "Chart.yaml", yaml.ptr, yaml.len, opts->mtime);
    for (k = 0; ok && k < sizeof(first) / sizeof(first[0]); k++)
        for (i = 0; ok && i < chart->nfiles; i++)
            if (!strcmp(chart->files[i].path, first[k]))
                ok = write_entry(ar, e, name, chart->files[i].path, chart->files[i].data,
                                 chart->files[i].len, opts->mtime);
    for (i = 0; ok && i < chart->ntemplates; i++)
        ok = write_entry(ar, e, name, chart->templates[i]->path, chart->templates[i]->data,
                         chart->templates[i]->len, opts->mtime);
    for (i = 0; ok && i < chart->nfiles; i++) {
        const char *p = chart->files[i].path;

        if (!strcmp(p, "Chart.yaml") || !strcmp(p, "values.yaml") ||
            !strcmp(p, "values.schema.json") || !strncmp(p, "templates/", 10))
            continue;
        ok = write_entry(ar, e, name, p, chart->files[i].data, chart->files[i].len, opts->mtime);
    }
    if (!ok || archive_write_close(ar) != ARCHIVE_OK || s.failed) {
        error =
            fth_error_set(err, s.failed ? FTH_ENOMEM : FTH_EIO, "cannot write chart archive: %s",
                          archive_error_string(ar) ? archive_error_string(ar) : "out of memory");
        goto out;
    }
out:
    if (e)
        archive_entry_free(e);
    if (ar)
        archive_write_free(ar);
    fth_buf_release(&yaml);
    return error;
}
