/*
 * Sprig crypto: key and certificate generation (PEM shapes, CA and signed certificates that
 * buildCustomCert accepts back), derivePassword against the Master Password algorithm's known
 * answer, AES round trips and Go's panics on bad input, bcrypt/htpasswd shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/tmpl.h"
#include "unit/tmpl/tmpl_helpers.h"

static struct fth_arena *A;

static int setup(void **state)
{
    (void)state;
    A = fth_arena_new();
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fth_arena_free(A);
    return 0;
}

/* the error text the engine gives a failing call of `call` in template "t" at column 3 */
#define CALL_ERR(call, fn, msg)                                                                    \
    "ERR: template: t:1:3: executing \"t\" at <" call ">: error calling " fn ": " msg

static void test_sprig_crypto_keys(void **state)
{
    (void)state;
    EXPECT("{{ genPrivateKey \"ecdsa\" | regexMatch \"^-----BEGIN EC PRIVATE KEY-----\\n(.|\\n)+"
           "-----END EC PRIVATE KEY-----\\n$\" }}",
           NULL, "true");
    EXPECT("{{ genPrivateKey \"ed25519\" | hasPrefix \"-----BEGIN PRIVATE KEY-----\" }}", NULL,
           "true");
    EXPECT("{{ genPrivateKey \"foo\" }}", NULL, "Unknown type foo");
    EXPECT("{{ \"abc\" | sha256sum }} {{ \"abc\" | adler32sum }}", NULL,
           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 38600999");
}

static void test_sprig_crypto_certs(void **state)
{
    (void)state;
    EXPECT(
        "{{ $ca := genCA \"my-ca\" 365 }}{{ $ca.Cert | hasPrefix \"-----BEGIN CERTIFICATE-----\" "
        "}} {{ $ca.Key | hasPrefix \"-----BEGIN RSA PRIVATE KEY-----\" }} {{ typeOf $ca }}",
        NULL, "true true sprig.certificate");
    EXPECT(
        "{{ $ca := genCA \"my-ca\" 365 }}"
        "{{ $c := genSignedCert \"svc\" (list \"10.0.0.1\") (list \"svc.ns\" \"svc\") 30 $ca }}"
        "{{ $c.Cert | hasPrefix \"-----BEGIN CERTIFICATE-----\" }} "
        "{{ $b := buildCustomCert ($c.Cert | b64enc) ($c.Key | b64enc) }}{{ eq $b.Cert $c.Cert }}",
        NULL, "true true");
    EXPECT(
        "{{ $c := genSelfSignedCert \"x\" nil nil 1 }}{{ $c.Key | hasPrefix \"-----BEGIN RSA\" }}",
        NULL, "true");
    EXPECT(
        "{{ $k := genPrivateKey \"ecdsa\" }}{{ $c := genCAWithKey \"x\" 1 $k }}{{ eq $c.Key $k }}",
        NULL, "true");
    EXPECT("{{ genSelfSignedCert \"x\" (list \"nope\") nil 1 }}", NULL,
           CALL_ERR("genSelfSignedCert \"x\" (list \"nope\") nil 1", "genSelfSignedCert",
                    "error parsing ip: nope"));
    EXPECT("{{ genCAWithKey \"x\" 1 \"junk\" }}", NULL,
           CALL_ERR("genCAWithKey \"x\" 1 \"junk\"", "genCAWithKey",
                    "parsing private key: no PEM data in input"));
    EXPECT("{{ buildCustomCert \"!!\" \"\" }}", NULL,
           CALL_ERR("buildCustomCert \"!!\" \"\"", "buildCustomCert",
                    "unable to decode base64 certificate"));
}

static void test_sprig_crypto_secrets(void **state)
{
    (void)state;
    EXPECT("{{ derivePassword 1 \"nope\" \"p\" \"u\" \"s\" }}", NULL,
           "cannot find password template nope");
    /* Sprig's own known answers (Master Password v3) */
    EXPECT("{{ derivePassword 1 \"long\" \"password\" \"user\" \"example.com\" }}", NULL,
           "ZedaFaxcZaso9*");
    EXPECT("{{ derivePassword 2 \"long\" \"password\" \"user\" \"example.com\" }}", NULL,
           "Fovi2@JifpTupx");
    EXPECT("{{ derivePassword 1 \"maximum\" \"password\" \"user\" \"example.com\" }}", NULL,
           "pf4zS1LjCg&LjhsZ7T2~");
    EXPECT("{{ derivePassword 1 \"pin\" \"password\" \"user\" \"example.com\" }}", NULL, "6685");
    EXPECT("{{ encryptAES \"secretkey\" \"plaintext\" | decryptAES \"secretkey\" }}", NULL,
           "plaintext");
    EXPECT(
        "{{ encryptAES \"k\" \"0123456789abcdef\" | b64dec | len }} {{ encryptAES \"k\" \"\" }}|",
        NULL, "48 |");
    EXPECT("{{ decryptAES \"k\" \"AAAA\" }}", NULL,
           CALL_ERR("decryptAES \"k\" \"AAAA\"", "decryptAES",
                    "runtime error: slice bounds out of range [:16] with capacity 3"));
    EXPECT("{{ bcrypt \"pw\" | regexMatch \"^\\\\$2a\\\\$10\\\\$[./A-Za-z0-9]{53}$\" }}", NULL,
           "true");
    EXPECT(
        "{{ htpasswd \"user\" \"pw\" | hasPrefix \"user:$2a$10$\" }} {{ htpasswd \"a:b\" \"x\" }}",
        NULL, "true invalid username: a:b");
    EXPECT("{{ randBytes 24 | b64dec | len }} {{ randBytes 0 }}|", NULL, "24 |");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprig_crypto_keys),
        cmocka_unit_test(test_sprig_crypto_certs),
        cmocka_unit_test(test_sprig_crypto_secrets),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
