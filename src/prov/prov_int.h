/* prov: declarations shared by the files of the module. */
#ifndef FATHOM_PROV_INT_H
#define FATHOM_PROV_INT_H

#include "fathom/prov.h"

/* CRC-24 of RFC 4880 6.1 (the armor checksum). */
uint32_t prov_crc24(const unsigned char *p, size_t len);

/* Split m->text at "\n...\n" and parse both halves into m's metadata and files. */
int prov_parse_text(struct fth_prov_message *m, struct fth_arena *a, struct fth_error *err);

/* What the signature check found (strings in the arena). */
struct prov_sig {
    int ok;                      /* the signature holds and its key is good */
    enum fth_prov_reason reason; /* when not ok */
    const char *message;         /* when not ok */
    const char *signer, *fingerprint, *signing_key, *key_algorithm, *hash_algorithm;
    int64_t signed_at;
};

/*
 * Check m's signature over m->signed_text with the keyring. Returns 0 with s filled (ok, or
 * reason and message); negative only when out of memory.
 */
int prov_check_signature(struct prov_sig *s, struct fth_arena *a, const struct fth_prov_keyring *kr,
                         const struct fth_prov_message *m, struct fth_error *err);

#endif
