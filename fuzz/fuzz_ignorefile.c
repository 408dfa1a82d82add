/*
 * libFuzzer target for the image scan's ignore files (both the .trivyignore text form and the
 * YAML form) and --binary-hashes lists: any bytes. Checks what must hold for every accepted
 * file: every entry has an id, every expiry is empty or a valid date, and the filter over a
 * small result with those entries keeps the finding count or lowers it, never crashes, and
 * marks only what an entry names; every failure is invalid input (or a limit) with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const aliases[] = {"CVE-2021-44906"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fth_package pkg;
    struct fth_scan_finding f[2];
    struct fth_scan_result res;
    struct fth_scan_filter filter = {0, 0, NULL, "2026-01-01"};
    struct fth_scan_ignore ig;
    struct fth_scan_hashes hs;
    struct fth_arena *a;
    struct fth_error err;
    size_t open;
    int rc;

    if (size > 65536 || !(a = fth_arena_new()))
        return 0;
    fth_error_clear(&err);
    rc = fth_scan_ignore_parse(&ig, a, "fuzz", (const char *)data, size, &err);
    if (rc == 0) {
        for (size_t i = 0; i < ig.len; i++) {
            const char *e = ig.entries[i].expires;

            if (!ig.entries[i].id || !*ig.entries[i].id || !e || (*e && strlen(e) != 10))
                abort();
        }
        memset(&pkg, 0, sizeof(pkg));
        pkg.name = "minimist";
        pkg.version = "1.2.5";
        pkg.purl = "pkg:npm/minimist@1.2.5";
        pkg.path = "app/node_modules/minimist/package.json";
        memset(f, 0, sizeof(f));
        f[0].cls = FTH_CLASS_VULNERABILITY;
        f[0].id = "GHSA-xvch-5gv4-984h";
        f[0].aliases = aliases;
        f[0].naliases = 1;
        f[0].severity = FTH_SEV_CRITICAL;
        f[0].status = "fixed";
        f[0].path = pkg.path;
        f[0].pkg = &pkg;
        f[1].cls = FTH_CLASS_HYGIENE;
        f[1].id = "HYG-SHELL";
        f[1].severity = FTH_SEV_LOW;
        f[1].status = "";
        f[1].path = "bin/sh";
        memset(&res, 0, sizeof(res));
        res.findings = f;
        res.nfindings = 2;
        filter.ignore = &ig;
        open = fth_scan_filter(&res, a, &filter);
        if (res.nfindings != 2 || open > 2)
            abort();
        for (size_t i = 0; i < 2; i++)
            if (f[i].suppressed && strncmp(f[i].suppressed, "ignore file fuzz:", 17))
                abort();
    } else if ((rc != FTH_EINVALID && rc != FTH_ELIMIT) || !err.message[0]) {
        abort();
    }
    fth_error_clear(&err);
    rc = fth_scan_hashes_parse(&hs, a, "fuzz", (const char *)data, size, &err);
    if (rc == 0) {
        for (size_t i = 0; i < hs.len; i++)
            if (strlen(hs.items[i].sha256) != 64 ||
                (i && strcmp(hs.items[i - 1].sha256, hs.items[i].sha256) > 0))
                abort();
    } else if ((rc != FTH_EINVALID && rc != FTH_ELIMIT) || !err.message[0]) {
        abort();
    }
    fth_arena_free(a);
    return 0;
}
