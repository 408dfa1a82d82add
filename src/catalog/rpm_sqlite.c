/*
 * catalog: the SQLite rpm database (rpmdb.sqlite, rpm >= 4.16: Fedora, RHEL 9, Mariner).
 *
 * This is the one file of src/catalog that includes sqlite3.h (an exception to the rule that
 * only vulndb and repo do): the database bytes come from an image layer, so they are copied
 * into SQLite's memory and opened with sqlite3_deserialize, read-only, never touching disk.
 * rpm writes its database in WAL mode; an in-memory database cannot open a WAL-mode file, so
 * the copy's header is switched back to rollback-journal mode (bytes 18 and 19), which reads
 * the same pages.
 */
#include <string.h>
#include <sqlite3.h>

#include "rpm_int.h"
#include "../base/banned.h"

int rpm_read_sqlite(struct cat_sink *s, const struct cat_file *f, rpm_blob_fn fn, void *data)
{
    static const char magic[] = "SQLite format 3";
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    unsigned char *copy;
    int rc = 0, src;

    if (f->len < 100 || memcmp(f->data, magic, sizeof(magic))) {
        cat_warn(s, f, 0, "not an SQLite database");
        return 0;
    }
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) !=
        SQLITE_OK) {
        rc = FTH_ENOMEM;
        goto out;
    }
    if (!(copy = sqlite3_malloc64(f->len))) {
        rc = FTH_ENOMEM;
        goto out;
    }
    memcpy(copy, f->data, f->len);
    if (copy[18] == 2)
        copy[18] = 1;
    if (copy[19] == 2)
        copy[19] = 1;
    /* FREEONCLOSE hands the copy to SQLite, even when deserialize fails */
    if ((src = sqlite3_deserialize(db, "main", copy, (sqlite3_int64)f->len, (sqlite3_int64)f->len,
                                   SQLITE_DESERIALIZE_READONLY | SQLITE_DESERIALIZE_FREEONCLOSE)) !=
        SQLITE_OK) {
        cat_warn(s, f, 0, "cannot open the database: %s", sqlite3_errstr(src));
        goto out;
    }
    if ((src = sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &st,
                                  NULL)) != SQLITE_OK) {
        cat_warn(s, f, 0, "no Packages table: %s", sqlite3_errmsg(db));
        goto out;
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW && rc >= 0) {
        const unsigned char *blob = sqlite3_column_blob(st, 1);
        int n = sqlite3_column_bytes(st, 1);

        if (!blob || n <= 0) {
            cat_warn(s, f, 0, "package %lld: empty header", sqlite3_column_int64(st, 0));
            continue;
        }
        rc = fn(data, blob, (size_t)n);
    }
    if (rc >= 0 && src != SQLITE_DONE && src != SQLITE_ROW)
        cat_warn(s, f, 0, "reading Packages: %s", sqlite3_errmsg(db));
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
