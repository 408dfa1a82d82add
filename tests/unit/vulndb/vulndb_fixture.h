/*
 * What the vulndb tests share: a temporary directory with the database path in it for each
 * test, and the library's warnings captured (module "vulndb") so tests can check them.
 */
#ifndef FATHOM_TEST_VULNDB_FIXTURE_H
#define FATHOM_TEST_VULNDB_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "fathom/base.h"

#define DATA FATHOM_SHARED "/data/vulndata/"

static char tmpdir[256];
static char dbpath[300];
/* Warnings the library logged, joined by newlines. */
static struct fth_buf warnings = FTH_BUF_INIT;
static size_t nwarnings;

static inline void sink(enum fth_log_level level, const char *module, const char *msg, void *data)
{
    (void)data;
    if (level != FTH_LOG_WARN)
        return;
    assert_string_equal(module, "vulndb");
    nwarnings++;
    assert_int_equal(fth_buf_puts(&warnings, msg), 0);
    assert_int_equal(fth_buf_putc(&warnings, '\n'), 0);
}

static inline int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/fathom-vulndb-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(dbpath, sizeof(dbpath), "%s/db.sqlite", tmpdir);
    fth_buf_clear(&warnings);
    nwarnings = 0;
    fth_log_set_sink(sink, NULL, FTH_LOG_WARN);
    return 0;
}

static inline int teardown(void **state)
{
    char cmd[400];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    fth_buf_release(&warnings);
    return system(cmd) == 0 ? 0 : -1;
}

#endif
