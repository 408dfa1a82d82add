/*
 * prov: the clear-signed message and armor parser on Helm's own fixtures (the message block
 * exactly, its files entry, the digest) and on broken input: damaged armor, a truncated
 * signature, two `files:` blocks, two messages, unescaped dashes, foreign headers, a huge
 * file. Each must fail with its own message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/prov.h"
#include "fathom/helm.h"
#include "base/limits.h"

#define FIX FATHOM_SHARED "/fixtures/helm-provenance/v3.21.4/"

static const char msgblock[] =
    "apiVersion: v1\n"
    "description: Test chart versioning\n"
    "name: hashtest\n"
    "version: 1.2.3\n"
    "\n"
    "...\n"
    "files:\n"
    "  hashtest-1.2.3.tgz: "
    "sha256:c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888\n";

static void slurp(struct fth_buf *b, const char *path)
{
    struct fth_error err;

    fth_buf_clear(b);
    if (fth_file_read(b, path, 64 * 1024 * 1024, &err) < 0)
        fail_msg("read %s: %s", path, err.message);
}

static struct fth_prov_message *parse_ok(struct fth_arena *a, const char *data, size_t len)
{
    struct fth_prov_message *m = NULL;
    struct fth_error err;

    fth_error_clear(&err);
    if (fth_prov_parse(&m, a, data, len, &err) < 0)
        fail_msg("parse: %s", err.message);
    return m;
}

/* Parsing must fail with a message containing want. */
static void parse_fails(const char *data, const char *want)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_prov_message *m = NULL;
    struct fth_error err;
    int r;

    fth_error_clear(&err);
    r = fth_prov_parse(&m, a, data, strlen(data), &err);
    if (r >= 0)
        fail_msg("accepted: %.200s", data);
    assert_null(m);
    if (!strstr(err.message, want))
        fail_msg("message '%s', want '%s'", err.message, want);
    fth_arena_free(a);
}

/* The Helm-made .prov with one line replaced (old must occur once). */
static char *edited(const char *old, const char *new)
{
    struct fth_buf b = FTH_BUF_INIT, o = FTH_BUF_INIT;
    const char *p;
    char *s;

    slurp(&b, FIX "hashtest-1.2.3.tgz.prov");
    p = strstr(b.ptr, old);
    assert_non_null(p);
    fth_buf_put(&o, b.ptr, (size_t)(p - b.ptr));
    fth_buf_puts(&o, new);
    fth_buf_puts(&o, p + strlen(old));
    s = fth_buf_detach(&o, NULL);
    fth_buf_release(&b);
    return s;
}

/* NOTES #1-#2: the message block and what parseMessageBlock finds in it. */
static void test_prov_parse_helm_fixture(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_buf b = FTH_BUF_INIT, plain = FTH_BUF_INIT;
    struct fth_prov_message *m;

    (void)state;
    slurp(&b, FIX "hashtest-1.2.3.tgz.prov");
    m = parse_ok(a, b.ptr, b.len);
    assert_string_equal(m->text, msgblock);
    assert_int_equal(m->text_len, strlen(msgblock));
    assert_string_equal(m->hash_header, "SHA512");
    assert_string_equal(m->name, "hashtest");
    assert_string_equal(m->version, "1.2.3");
    assert_int_equal(m->nfiles, 1);
    assert_string_equal(m->files[0].name, "hashtest-1.2.3.tgz");
    assert_string_equal(m->files[0].digest,
                        "sha256:c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888");
    /* What is signed: CR LF between lines, none after the last. */
    assert_int_equal(m->signed_len, strlen(msgblock) - 1 + 7);
    assert_memory_equal(m->signed_text, "apiVersion: v1\r\ndescription", 27);
    assert_int_equal(m->signed_text[m->signed_len - 1], '8');
    /* A v4 signature packet: tag 2 (new format 0xc2). */
    assert_true(m->signature_len > 100);
    assert_int_equal(m->signature[0], 0xc2);
    /* msgblock.yaml is the text; the GnuPG-made .asc says the same. */
    slurp(&plain, FIX "msgblock.yaml");
    assert_string_equal(plain.ptr, msgblock);
    slurp(&b, FIX "msgblock.yaml.asc");
    m = parse_ok(a, b.ptr, b.len);
    assert_string_equal(m->text, msgblock);
    /* The tampered one parses (its signature is what is wrong) with its own values. */
    slurp(&b, FIX "msgblock.yaml.tampered");
    m = parse_ok(a, b.ptr, b.len);
    assert_string_equal(m->version, "1.2.3+tampered");
    assert_null(fth_value_get(m->metadata, "apiVersion"));
    fth_buf_release(&b);
    fth_buf_release(&plain);
    fth_arena_free(a);
}

/* NOTES #1 and #3: the message block built from the packaged chart, and its digest. */
static void test_prov_parse_message_block(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_buf b = FTH_BUF_INIT, yaml = FTH_BUF_INIT, block = FTH_BUF_INIT;
    struct fth_chart *c = NULL;
    struct fth_error err;
    char hex[65];

    (void)state;
    slurp(&b, FIX "hashtest.sha256");
    assert_memory_equal(b.ptr,
                        "c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888  "
                        "hashtest-1.2.3.tgz",
                        84);
    slurp(&b, FIX "hashtest-1.2.3.tgz");
    assert_int_equal(b.len, 399);
    fth_sha256_hex(hex, b.ptr, b.len);
    assert_string_equal(hex, "c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888");
    if (fth_chart_load_archive(&c, a, b.ptr, b.len, "hashtest-1.2.3.tgz", &err) < 0)
        fail_msg("load: %s", err.message);
    assert_int_equal(fth_chart_metadata_yaml(&yaml, &c->metadata), 0);
    assert_int_equal(
        fth_prov_message_block(&block, yaml.ptr, yaml.len, fth_chart_archive_name(a, c), hex), 0);
    assert_string_equal(block.ptr, msgblock);
    fth_buf_release(&b);
    fth_buf_release(&yaml);
    fth_buf_release(&block);
    fth_arena_free(a);
}

static void test_prov_parse_dash_escape(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_prov_message *m;
    char *s = edited("description: Test chart versioning\n",
                     "description: Test chart versioning   \n- -x: y\n");

    (void)state;
    m = parse_ok(a, s, strlen(s));
    /* "- " removed, trailing blanks cut (and not signed). */
    assert_non_null(strstr(m->text, "versioning\n-x: y\nname"));
    assert_non_null(strstr(m->signed_text, "versioning\r\n-x: y\r\nname"));
    free(s);
    s = edited("description: Test chart versioning\n", "-description: Test\n");
    parse_fails(s, "line 5: a line of the signed text starts with '-' and is not dash-escaped");
    free(s);
    fth_arena_free(a);
}

static void test_prov_parse_armor_errors(void **state)
{
    char *s;

    (void)state;
    /* Damaged data: one base64 character changed -> the CRC-24 no longer matches. */
    s = edited("wsBcBAEBCgAQ", "wsBcBAEBCgAR");
    parse_fails(s, "armor 'PGP SIGNATURE': checksum mismatch (damaged data)");
    free(s);
    s = edited("wsBcBAEBCgAQ", "wsBcBAE*CgAQ");
    parse_fails(s, "line 14: invalid character in armor data");
    free(s);
    s = edited("/qkdsqxE9", "/qkdsqxE");
    parse_fails(s, "line 15: armor line length is not a multiple of 4");
    free(s);
    s = edited("=YgnR", "=YgnRx");
    parse_fails(s, "line 20: armor data after the final padding");
    free(s);
    /* Truncated signature: the END line and the last lines gone. */
    s = edited("x9BKrvcb+Gc/6S0oK0Ffp8K4iSWYp79uH1bZ2oBS1yajA0c5h5i7qI3N4cabREw=\n=YgnR\n"
               "-----END PGP SIGNATURE-----",
               "");
    parse_fails(s, "has no '-----END PGP SIGNATURE-----' line (truncated)");
    free(s);
    s = edited("-----BEGIN PGP SIGNATURE-----\n\n", "-----BEGIN PGP SIGNATURE-----\n");
    parse_fails(s, "armor header is not 'Key: value'");
    free(s);
    s = edited("Hash: SHA512", "Hash: MD77");
    parse_fails(s, "line 2: unknown hash 'MD77' in 'Hash:' header");
    free(s);
    s = edited("Hash: SHA512\n", "Hash: SHA512\nComment: hi\n");
    parse_fails(s, "line 3: unexpected header 'Comment: hi' in signed message");
    free(s);
}

static void test_prov_parse_structure_errors(void **state)
{
    struct fth_buf big = FTH_BUF_INIT;
    char *s, *t;
    size_t i;

    (void)state;
    parse_fails("", "signature block not found");
    parse_fails("hello\n", "line 1: expected '-----BEGIN PGP SIGNED MESSAGE-----'");
    s = edited("files:\n", "files:\n  other.tgz: sha256:"
                           "c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888\n"
                           "files:\n");
    parse_fails(s, "more than one 'files:' block");
    free(s);
    s = edited("\n...\n", "\n");
    parse_fails(s, "signed message has no '...' line");
    free(s);
    s = edited("\n...\n", "\n...\nfoo: 1\n...\n");
    parse_fails(s, "signed message has more than one '...' separator");
    free(s);
    s = edited("sha256:c6841b", "md5:c6841b");
    parse_fails(s, "is not 'sha256:' and 64 lowercase hex digits");
    free(s);
    s = edited("files:\n  hashtest-1.2.3.tgz", "files:\n  x.tgz: sha256:"
                                               "c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be80"
                                               "7fb6d9bee7888\nimages:\n  a: b\nextra:\n  y");
    parse_fails(s, "unexpected key 'extra' after '...'");
    free(s);
    parse_fails("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nhello\n",
                "signature block not found ('-----BEGIN PGP SIGNATURE-----' missing)");
    s = edited("-----BEGIN PGP SIGNATURE-----", "no signature here");
    parse_fails(s, "line 21: a line of the signed text starts with '-' and is not dash-escaped");
    free(s);
    /* Two messages in one file. */
    s = edited("=YgnR\n-----END PGP SIGNATURE-----", "=YgnR\n-----END PGP SIGNATURE-----\n");
    t = malloc(2 * strlen(s) + 1);
    memcpy(t, s, strlen(s));
    memcpy(t + strlen(s), s, strlen(s) + 1);
    parse_fails(t, "more than one signed message");
    free(t);
    free(s);
    s = edited("-----END PGP SIGNATURE-----", "-----END PGP SIGNATURE-----\ntrailer");
    parse_fails(s, "text after the signature");
    free(s);
    /* A huge .prov: refused before anything is parsed. */
    fth_buf_puts(&big, "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n");
    for (i = 0; big.len <= FTH_LIMIT_PROV_SIZE; i++)
        fth_buf_puts(&big, "description: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");
    parse_fails(big.ptr, "provenance file larger than 1048576 bytes (limit)");
    fth_buf_release(&big);
}

static void test_prov_parse_dearmor(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;
    unsigned char *out;
    size_t len;
    /* "hello" armored, with its CRC-24 (computed by GnuPG's rules: 0x47f58a). */
    static const char ok[] = "-----BEGIN PGP MESSAGE-----\nVersion: x\n\naGVsbG8=\n=R/WK\n"
                             "-----END PGP MESSAGE-----\n";
    static const char bad[] = "-----BEGIN PGP MESSAGE-----\n\naGVsbG8=\n=AAAA\n"
                              "-----END PGP MESSAGE-----\n";

    (void)state;
    assert_int_equal(fth_prov_dearmor(&out, &len, a, ok, strlen(ok), "PGP MESSAGE", &err), 0);
    assert_int_equal(len, 5);
    assert_memory_equal(out, "hello", 5);
    assert_int_equal(fth_prov_dearmor(&out, &len, a, ok, strlen(ok), "PGP SIGNATURE", &err),
                     FTH_EINVALID);
    assert_string_equal(err.message, "line 1: expected armor 'PGP SIGNATURE', found 'PGP MESSAGE'");
    assert_int_equal(fth_prov_dearmor(&out, &len, a, bad, strlen(bad), NULL, &err), FTH_EINVALID);
    assert_string_equal(err.message, "armor 'PGP MESSAGE': checksum mismatch (damaged data)");
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prov_parse_helm_fixture),
        cmocka_unit_test(test_prov_parse_message_block),
        cmocka_unit_test(test_prov_parse_dash_escape),
        cmocka_unit_test(test_prov_parse_armor_errors),
        cmocka_unit_test(test_prov_parse_structure_errors),
        cmocka_unit_test(test_prov_parse_dearmor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
