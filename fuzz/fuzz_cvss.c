/*
 * libFuzzer target for the CVSS vector parser and scorer: any bytes, NUL-terminated. Checks
 * what must hold for every accepted vector: a score in [0, 10] with one decimal, a known
 * version and the severity that score has.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/cvss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fth_cvss c;
    struct fth_error err;
    char *text;

    if (size > 4096)
        return 0;
    if (!(text = malloc(size + 1)))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (fth_cvss_parse(&c, text, &err) == 0) {
        if (!(c.base_score >= 0.0 && c.base_score <= 10.0))
            abort(); /* out of range */
        if (fabs(c.base_score * 10.0 - round(c.base_score * 10.0)) > 1e-9)
            abort(); /* more than one decimal */
        if (c.version != FTH_CVSS_V2 && c.version != FTH_CVSS_V3_0 && c.version != FTH_CVSS_V3_1 &&
            c.version != FTH_CVSS_V4_0)
            abort();
        if (strcmp(c.severity, fth_cvss_severity(c.version, c.base_score)) != 0)
            abort();
    } else if (err.code != FTH_EINVALID || !err.message[0]) {
        abort(); /* every failure is invalid input, with a message */
    }
    free(text);
    return 0;
}
