/*
 * libFuzzer target for the provenance parser: any bytes as a .prov (the clear-signed message,
 * its dash-escaping and headers, the armored signature with its CRC-24, the metadata and the
 * `files:` block), and the same bytes through the bare armor decoder. No cryptography runs:
 * only the parsing that happens before librnp sees anything.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fathom/prov.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fth_prov_message *m = NULL;
    struct fth_arena *a;
    unsigned char *bin;
    size_t len;

    if (size > 256 * 1024)
        return 0;
    if (!(a = fth_arena_new()))
        return 0;
    if (fth_prov_parse(&m, a, (const char *)data, size, NULL) == 0) {
        /* What a successful parse promises. */
        if (!m || !m->nfiles || !m->signature_len || !m->name || !m->version || !m->text_len ||
            m->text[m->text_len - 1] != '\n' || m->signed_len > m->text_len * 2)
            abort();
        for (size_t i = 0; i < m->nfiles; i++)
            if (strlen(m->files[i].digest) != 71)
                abort();
    } else if (m) {
        abort();
    }
    if (fth_prov_dearmor(&bin, &len, a, (const char *)data, size, NULL, NULL) == 0 && !len)
        abort();
    fth_arena_free(a);
    return 0;
}
