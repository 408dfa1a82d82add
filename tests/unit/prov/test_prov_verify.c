/*
 * prov: keyrings, signing and verification on Helm's fixtures (NOTES.md outcomes #4-#11):
 * the RSA test key, the mixed RSA + ed25519 keyring, the passphrase-protected key, the
 * GnuPG-made and the tampered messages; then each way verification can fail, with its own
 * reason and message, and the provenance status the repository shows.
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

#define FIX FATHOM_SHARED "/fixtures/helm-provenance/v3.21.4/"
#define CMD FATHOM_SHARED "/fixtures/helm-provenance/cmd-testcharts/"
#define HELM_UID                                                                                   \
    "Helm Testing (This key should only be used for testing. DO NOT TRUST.) "                      \
    "<helm-testing@helm.sh>"
#define HELM_FPR "5E615389B53CA37F0EE60BD3843BBF981FC18762"
#define HASHTEST_SHA "sha256:c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888"

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

static struct fth_prov_keyring *ring(const char *path, unsigned flags)
{
    struct fth_prov_keyring *kr = NULL;
    struct fth_error err;

    fth_error_clear(&err);
    if (fth_prov_keyring_load(&kr, path, flags, &err) < 0)
        fail_msg("keyring %s: %s", path, err.message);
    return kr;
}

/* Verify archive file (under the given name) against prov bytes. */
static struct fth_prov_result verify(struct fth_arena *a, const struct fth_prov_keyring *kr,
                                     const char *archive, const char *name, const char *prov,
                                     size_t prov_len)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_prov_result res;
    struct fth_error err;
    const char *copy;

    slurp(&b, archive);
    copy = fth_arena_strndup(a, b.ptr, b.len);
    if (fth_prov_verify(&res, a, kr, name, copy, b.len, prov, prov_len, &err) < 0)
        fail_msg("verify: %s", err.message);
    fth_buf_release(&b);
    return res;
}

static struct fth_prov_result verify_files(struct fth_arena *a, const struct fth_prov_keyring *kr,
                                           const char *archive, const char *name,
                                           const char *provfile)
{
    struct fth_buf p = FTH_BUF_INIT;
    struct fth_prov_result res;
    const char *copy;

    slurp(&p, provfile);
    copy = fth_arena_strndup(a, p.ptr, p.len);
    res = verify(a, kr, archive, name, copy, p.len);
    fth_buf_release(&p);
    return res;
}

static void sign(struct fth_buf *out, const struct fth_prov_keyring *kr, const char *text,
                 const char *key, const char *pass)
{
    struct fth_prov_sign_opts o = FTH_PROV_SIGN_OPTS_INIT;
    struct fth_error err;

    o.key = key;
    o.passphrase = pass;
    fth_error_clear(&err);
    fth_buf_clear(out);
    if (fth_prov_sign(out, kr, text, strlen(text), &o, &err) < 0)
        fail_msg("sign: %s", err.message);
}

/* NOTES #4, #5: the secret key and the public keyring, one entity with Helm's uid. */
static void test_prov_verify_keyrings(void **state)
{
    struct fth_prov_keyring *kr = NULL;
    struct fth_error err;

    (void)state;
    kr = ring(FIX "helm-test-key.pub", 0);
    assert_int_equal(fth_prov_keyring_count(kr), 1);
    fth_prov_keyring_free(kr);
    kr = ring(FIX "helm-test-key.secret", FTH_PROV_KEYRING_SECRET);
    assert_int_equal(fth_prov_keyring_count(kr), 1);
    fth_prov_keyring_free(kr);
    kr = ring(FIX "helm-mixed-keyring.pub", 0);
    assert_int_equal(fth_prov_keyring_count(kr), 2);
    fth_prov_keyring_free(kr);
    /* Garbage: a chart archive is no keyring. */
    fth_error_clear(&err);
    assert_int_equal(fth_prov_keyring_load(&kr, FIX "hashtest-1.2.3.tgz", 0, &err), FTH_EINVALID);
    assert_null(kr);
    assert_non_null(strstr(err.message, "hashtest-1.2.3.tgz' is not an OpenPGP keyring"));
    assert_int_equal(fth_prov_keyring_load_mem(&kr, "", 0, "empty", 0, &err), FTH_EINVALID);
    assert_string_equal(err.message, "keyring 'empty' is empty");
    assert_int_equal(fth_prov_keyring_load(&kr, FIX "no-such-file", 0, &err), FTH_ENOTFOUND);
}

/* A keyring with garbage packets after a good key is refused whole. */
static void test_prov_verify_garbage_keyring(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_prov_keyring *kr = NULL;
    struct fth_error err;

    (void)state;
    slurp(&b, FIX "helm-test-key.pub");
    /* An old-format packet header of an unknown tag (tag 0 is reserved) and junk. */
    fth_buf_put(&b, "\x80\x05hello-garbage", 15);
    fth_error_clear(&err);
    assert_int_equal(fth_prov_keyring_load_mem(&kr, b.ptr, b.len, "junk.gpg", 0, &err),
                     FTH_EINVALID);
    assert_null(kr);
    assert_non_null(strstr(err.message, "cannot read keyring 'junk.gpg'"));
    fth_buf_release(&b);
}

/* NOTES #6: the protected key needs its passphrase. */
static void test_prov_verify_passphrase(void **state)
{
    struct fth_prov_keyring *kr = ring(FIX "helm-password-key.secret", FTH_PROV_KEYRING_SECRET);
    struct fth_prov_sign_opts o = FTH_PROV_SIGN_OPTS_INIT;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_error err;

    (void)state;
    o.key = "password key (fake) <fake@helm.sh>";
    fth_error_clear(&err);
    assert_int_equal(fth_prov_sign(&out, kr, msgblock, strlen(msgblock), &o, &err), FTH_EUSAGE);
    assert_non_null(strstr(err.message, "is protected by a passphrase"));
    o.passphrase = "secrets_and_lies";
    assert_int_equal(fth_prov_sign(&out, kr, msgblock, strlen(msgblock), &o, &err), FTH_EVERIFY);
    assert_string_equal(err.message,
                        "cannot unlock key 'password key (fake) <fake@helm.sh>': wrong passphrase");
    o.passphrase = "secret";
    assert_int_equal(fth_prov_sign(&out, kr, msgblock, strlen(msgblock), &o, &err), 0);
    assert_non_null(strstr(out.ptr, msgblock));
    /* Key selection: unknown and ambiguous names. */
    o.key = "nobody";
    assert_int_equal(fth_prov_sign(&out, kr, msgblock, strlen(msgblock), &o, &err), FTH_ENOTFOUND);
    assert_non_null(strstr(err.message, "private key 'nobody' not found"));
    fth_buf_release(&out);
    fth_prov_keyring_free(kr);
}

/* NOTES #7, #8: Fathom signs with the RSA key; the mixed keyring verifies it. */
static void test_prov_verify_sign_roundtrip(void **state)
{
    struct fth_prov_keyring *sec = ring(FIX "helm-test-key.secret", FTH_PROV_KEYRING_SECRET);
    struct fth_prov_keyring *mixed = ring(FIX "helm-mixed-keyring.pub", 0);
    struct fth_arena *a = fth_arena_new();
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_prov_result res;

    (void)state;
    /* Helm's key selection: a unique substring of the user id. */
    sign(&out, sec, msgblock, "helm-test", NULL);
    assert_memory_equal(out.ptr, "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n", 49);
    assert_memory_equal(out.ptr + 49, msgblock, strlen(msgblock));
    assert_memory_equal(out.ptr + 49 + strlen(msgblock), "-----BEGIN PGP SIGNATURE-----\n", 30);
    assert_null(strchr(out.ptr, '\r'));
    res = verify(a, mixed, FIX "hashtest-1.2.3.tgz", "hashtest-1.2.3.tgz", out.ptr, out.len);
    assert_int_equal(res.state, FTH_PROV_VERIFIED);
    assert_string_equal(res.key_algorithm, "RSA");
    assert_string_equal(res.signer, HELM_UID);
    assert_string_equal(res.fingerprint, HELM_FPR);
    assert_string_equal(res.hash_algorithm, "SHA512");
    assert_string_equal(res.digest, HASHTEST_SHA);
    /* By fingerprint, with another hash. */
    {
        struct fth_prov_sign_opts o = FTH_PROV_SIGN_OPTS_INIT;
        struct fth_error err;

        o.key = HELM_FPR;
        o.hash = "SHA256";
        fth_buf_clear(&out);
        assert_int_equal(fth_prov_sign(&out, sec, msgblock, strlen(msgblock), &o, &err), 0);
        assert_non_null(strstr(out.ptr, "Hash: SHA256\n"));
        res = verify(a, mixed, FIX "hashtest-1.2.3.tgz", "hashtest-1.2.3.tgz", out.ptr, out.len);
        assert_int_equal(res.state, FTH_PROV_VERIFIED);
        assert_string_equal(res.hash_algorithm, "SHA256");
    }
    fth_buf_release(&out);
    fth_arena_free(a);
    fth_prov_keyring_free(sec);
    fth_prov_keyring_free(mixed);
}

/* NOTES #9, #10, #11: GnuPG's message verifies, the tampered one does not, signtest does. */
static void test_prov_verify_fixtures(void **state)
{
    struct fth_prov_keyring *kr = ring(FIX "helm-test-key.pub", 0);
    struct fth_arena *a = fth_arena_new();
    struct fth_prov_result res;

    (void)state;
    res = verify_files(a, kr, FIX "hashtest-1.2.3.tgz", "hashtest-1.2.3.tgz",
                       FIX "msgblock.yaml.asc");
    assert_int_equal(res.state, FTH_PROV_VERIFIED);
    assert_string_equal(res.digest, HASHTEST_SHA);
    assert_string_equal(res.file_name, "hashtest-1.2.3.tgz");
    assert_string_equal(res.signer, HELM_UID);
    res = verify_files(a, kr, FIX "hashtest-1.2.3.tgz", "hashtest-1.2.3.tgz",
                       FIX "hashtest-1.2.3.tgz.prov");
    assert_int_equal(res.state, FTH_PROV_VERIFIED);
    assert_int_equal(res.signed_at, 1554152840); /* 2019-04-01T21:07:20Z */
    /* #10: bad signature, found before the (also wrong) digest. */
    res = verify_files(a, kr, FIX "hashtest-1.2.3.tgz", "hashtest-1.2.3.tgz",
                       FIX "msgblock.yaml.tampered");
    assert_int_equal(res.state, FTH_PROV_INVALID);
    assert_int_equal(res.reason, FTH_PROV_BAD_SIGNATURE);
    assert_non_null(strstr(res.message, "bad signature from " HELM_UID));
    /* #11 */
    res = verify_files(a, kr, CMD "signtest-0.1.0.tgz", "signtest-0.1.0.tgz",
                       CMD "signtest-0.1.0.tgz.prov");
    assert_int_equal(res.state, FTH_PROV_VERIFIED);
    assert_string_equal(res.signer, HELM_UID);
    assert_string_equal(res.fingerprint, HELM_FPR);
    assert_string_equal(res.digest,
                        "sha256:e5ef611620fb97704d8751c16bab17fedb68883bfb0edc76f78a70e9173f9b55");
    assert_string_equal(res.chart_name, "signtest");
    assert_string_equal(res.chart_version, "0.1.0");
    fth_arena_free(a);
    fth_prov_keyring_free(kr);
}

/* Each failure after the signature, with Helm's messages where Helm has one. */
static void test_prov_verify_failures(void **state)
{
    struct fth_prov_keyring *kr = ring(FIX "helm-test-key.pub", 0);
    struct fth_prov_keyring *sec = ring(FIX "helm-test-key.secret", FTH_PROV_KEYRING_SECRET);
    struct fth_prov_keyring *other = ring(FIX "helm-password-key.secret", 0);
    struct fth_arena *a = fth_arena_new();
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_prov_result res;

    (void)state;
    /* A different archive under the signed name: digest mismatch. */
    res = verify_files(a, kr, CMD "signtest-0.1.0.tgz", "hashtest-1.2.3.tgz",
                       FIX "hashtest-1.2.3.tgz.prov");
    assert_int_equal(res.reason, FTH_PROV_DIGEST_MISMATCH);
    assert_string_equal(res.message,
                        "sha256 sum does not match for hashtest-1.2.3.tgz: \"" HASHTEST_SHA
                        "\" != \"sha256:e5ef611620fb97704d8751c16bab17fedb68883bfb0edc76f78a70e91"
                        "73f9b55\"");
    /* The archive under a name the .prov does not sign. */
    res = verify_files(a, kr, FIX "hashtest-1.2.3.tgz", "renamed-1.2.3.tgz",
                       FIX "hashtest-1.2.3.tgz.prov");
    assert_int_equal(res.reason, FTH_PROV_NOT_SIGNED_FILE);
    assert_string_equal(res.message,
                        "provenance does not contain a SHA for a file named \"renamed-1.2.3.tgz\"");
    /* Wrong keyring: the key is unknown. */
    res = verify_files(a, other, FIX "hashtest-1.2.3.tgz", "hashtest-1.2.3.tgz",
                       FIX "hashtest-1.2.3.tgz.prov");
    assert_int_equal(res.reason, FTH_PROV_UNKNOWN_KEY);
    assert_non_null(strstr(res.message, "signed by key 843BBF981FC18762, which is not in keyring"));
    /* A good signature over another chart's name: the archive's Chart.yaml disagrees. */
    sign(&out, sec,
         "apiVersion: v1\nname: other\nversion: 1.2.3\n\n...\nfiles:\n  hashtest-1.2.3.tgz: "
         "sha256:c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888\n",
         "helm-test", NULL);
    res = verify(a, kr, FIX "hashtest-1.2.3.tgz", "hashtest-1.2.3.tgz", out.ptr, out.len);
    assert_int_equal(res.reason, FTH_PROV_CHART_MISMATCH);
    assert_string_equal(res.message, "the provenance signs chart 'other' version '1.2.3' but the "
                                     "archive holds 'hashtest' version '1.2.3'");
    /* Tampered body of a Fathom-signed message. */
    sign(&out, sec, msgblock, "helm-test", NULL);
    {
        char *p = strstr(out.ptr, "description: Test");

        p[13] = 'B';
    }
    res = verify(a, kr, FIX "hashtest-1.2.3.tgz", "hashtest-1.2.3.tgz", out.ptr, out.len);
    assert_int_equal(res.reason, FTH_PROV_BAD_SIGNATURE);
    /* Malformed: the parser's message, prefixed. */
    res = verify(a, kr, FIX "hashtest-1.2.3.tgz", "hashtest-1.2.3.tgz", "garbage", 7);
    assert_int_equal(res.reason, FTH_PROV_MALFORMED);
    assert_string_equal(
        res.message, "malformed provenance: line 1: expected '-----BEGIN PGP SIGNED MESSAGE-----'");
    fth_buf_release(&out);
    fth_arena_free(a);
    fth_prov_keyring_free(kr);
    fth_prov_keyring_free(sec);
    fth_prov_keyring_free(other);
}

/* The library's provenance status: absent, present-unverified, verified, invalid. */
static void test_prov_verify_status(void **state)
{
    struct fth_prov_keyring *kr = ring(FIX "helm-test-key.pub", 0);
    struct fth_arena *a = fth_arena_new();
    struct fth_buf t = FTH_BUF_INIT, p = FTH_BUF_INIT;
    struct fth_prov_result res;
    struct fth_error err;

    (void)state;
    slurp(&t, FIX "hashtest-1.2.3.tgz");
    slurp(&p, FIX "hashtest-1.2.3.tgz.prov");
    assert_int_equal(
        fth_prov_status(&res, a, kr, "hashtest-1.2.3.tgz", t.ptr, t.len, NULL, 0, &err), 0);
    assert_int_equal(res.state, FTH_PROV_ABSENT);
    assert_string_equal(fth_prov_state_name(res.state), "absent");
    assert_int_equal(
        fth_prov_status(&res, a, NULL, "hashtest-1.2.3.tgz", t.ptr, t.len, p.ptr, p.len, &err), 0);
    assert_int_equal(res.state, FTH_PROV_UNVERIFIED);
    assert_string_equal(fth_prov_state_name(res.state), "present-unverified");
    assert_string_equal(res.chart_name, "hashtest");
    assert_int_equal(
        fth_prov_status(&res, a, kr, "hashtest-1.2.3.tgz", t.ptr, t.len, p.ptr, p.len, &err), 0);
    assert_int_equal(res.state, FTH_PROV_VERIFIED);
    assert_string_equal(res.signer, HELM_UID);
    assert_int_equal(
        fth_prov_status(&res, a, NULL, "hashtest-1.2.3.tgz", t.ptr, t.len, "x", 1, &err), 0);
    assert_int_equal(res.state, FTH_PROV_INVALID);
    assert_string_equal(fth_prov_reason_name(res.reason), "malformed");
    fth_buf_release(&t);
    fth_buf_release(&p);
    fth_arena_free(a);
    fth_prov_keyring_free(kr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prov_verify_keyrings),
        cmocka_unit_test(test_prov_verify_garbage_keyring),
        cmocka_unit_test(test_prov_verify_passphrase),
        cmocka_unit_test(test_prov_verify_sign_roundtrip),
        cmocka_unit_test(test_prov_verify_fixtures),
        cmocka_unit_test(test_prov_verify_failures),
        cmocka_unit_test(test_prov_verify_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
