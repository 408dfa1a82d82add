/*
 * Test helpers for catalogers: feed one file, or every file of a fixture root filesystem
 * directory, to a cataloger through a collecting sink, as the driver would (normalised
 * paths relative to the root, `wants` first, whole contents NUL-terminated).
 */
#ifndef FATHOM_TEST_CAT_FIXTURE_H
#define FATHOM_TEST_CAT_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fathom/base.h>

#include "catalog/catalog_int.h"

#ifndef FATHOM_SHARED
#error "FATHOM_SHARED must name ../shared"
#endif

/* "<shared>/fixtures/image/<rel>" in a static buffer (one at a time). */
static inline const char *cat_fixture_path(const char *rel)
{
    static char path[4096];

    snprintf(path, sizeof(path), "%s/fixtures/image/%s", FATHOM_SHARED, rel);
    return path;
}

/*
 * Parse the file at `file` (on disk) as if it were at `path` in an image, layer 0, without
 * asking `wants`. Returns parse's result; -100 when the file cannot be read.
 */
static inline int cat_fixture_parse_file(struct cat_sink *s, const struct cataloger *c,
                                         const char *file, const char *path)
{
    struct fth_buf buf = FTH_BUF_INIT;
    struct cat_file f;
    int rc;

    if (fth_file_read(&buf, file, (size_t)1 << 30, NULL) < 0)
        return -100;
    f.path = path;
    f.data = (const unsigned char *)buf.ptr;
    f.len = buf.len;
    f.mode = 0644;
    f.layer = 0;
    rc = c->parse(s, &f);
    /* like the driver: the bytes die here, so catalogers must have copied what they keep */
    fth_buf_release(&buf);
    return rc;
}

static inline int cat_fixture_walk(struct cat_sink *s, const struct cataloger *c,
                                   const char *root, const char *rel, unsigned depth)
{
    char dir[4096];
    struct dirent *d;
    DIR *dp;
    int rc = 0;

    if (depth > 64)
        return 0;
    snprintf(dir, sizeof(dir), "%s%s%s", root, *rel ? "/" : "", rel);
    if (!(dp = opendir(dir)))
        return -100;
    while (rc >= 0 && (d = readdir(dp))) {
        char full[4096], sub[4096];
        struct stat st;

        if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
            continue;
        snprintf(full, sizeof(full), "%s/%s", dir, d->d_name);
        snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", d->d_name);
        if (lstat(full, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = cat_fixture_walk(s, c, root, sub, depth + 1);
        else if (S_ISREG(st.st_mode) && c->wants(sub, (uint64_t)st.st_size, st.st_mode & 07777))
            rc = cat_fixture_parse_file(s, c, full, sub);
    }
    closedir(dp);
    return rc;
}

/* Every regular file under root (a directory on disk standing for "/"), `wants` first. */
static inline int cat_fixture_parse_root(struct cat_sink *s, const struct cataloger *c,
                                         const char *root)
{
    return cat_fixture_walk(s, c, root, "", 0);
}

/* The i-th package the sink collected. */
static inline const struct fth_package *cat_fixture_pkg(const struct cat_sink *s, size_t i)
{
    return (const struct fth_package *)s->packages.items[i];
}

/* The first collected package named `name` (and version, unless NULL); NULL when none. */
static inline const struct fth_package *cat_fixture_find(const struct cat_sink *s,
                                                        const char *name, const char *version)
{
    for (size_t i = 0; i < s->packages.len; i++) {
        const struct fth_package *p = cat_fixture_pkg(s, i);

        if (!strcmp(p->name, name) && (!version || !strcmp(p->version, version)))
            return p;
    }
    return NULL;
}

#endif
