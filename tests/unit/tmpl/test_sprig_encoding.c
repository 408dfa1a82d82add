/*
 * Sprig encodings, checksums, paths, reflection and the rest (env is Helm-removed; urlParse,
 * urlJoin, uuidv4, getHostByName offline).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

static void test_sprig_encoding(void **state)
{
    (void)state;
    EXPECT("{{ b64enc \"hello\" }} {{ b64dec \"aGVsbG8=\" }} {{ b64enc \"\" }}", NULL,
           "aGVsbG8= hello ");
    EXPECT("{{ b64dec \"aGVsbG8\" }}|{{ b64dec \"a!==\" }}", NULL,
           "illegal base64 data at input byte 4|illegal base64 data at input byte 1");
    EXPECT("{{ b32enc \"hello\" }} {{ b32dec \"NBSWY3DP\" }} {{ b32enc \"a\" }}", NULL,
           "NBSWY3DP hello ME======");
    EXPECT("{{ b32dec \"NBSWY3D\" }}", NULL, "illegal base32 data at input byte 0");
    EXPECT("{{ sha1sum \"Hello world!\" }}", NULL, "d3486ae9136e7856bc42212385ea797094475802");
    EXPECT("{{ sha256sum \"Hello world!\" }}", NULL,
           "c0535e4be2b79ffd93291305436bf889314e4a3faec05ecffcbb7df31ad9e51a");
    EXPECT("{{ adler32sum \"Hello world!\" }}", NULL, "487130206");
}

static void test_sprig_paths_reflect(void **state)
{
    (void)state;
    EXPECT("{{ base \"foo/bar/baz\" }} {{ dir \"foo/bar/baz\" }} {{ ext \"foo.bar\" }} {{ isAbs "
           "\"/x\" }}",
           NULL, "baz foo/bar .bar true");
    EXPECT("{{ clean \"foo/bar/../baz\" }} {{ clean \"\" }} {{ clean \"/../a//b/./c/\" }} {{ clean "
           "\"../../x\" }}",
           NULL, "foo/baz . /a/b/c ../../x");
    EXPECT("{{ base \"\" }} {{ base \"/\" }} {{ dir \"x\" }} {{ osBase \"/a/b/\" }}", NULL,
           ". / . b");
    EXPECT("{{ typeOf 1 }} {{ typeOf .f }} {{ typeOf \"s\" }} {{ typeOf (list) }} {{ typeOf (dict) "
           "}} {{ typeOf .n }}",
           "{f: 1}", "int float64 string []interface {} map[string]interface {} <nil>");
    EXPECT("{{ kindOf 1 }} {{ kindOf (list) }} {{ kindOf (dict) }} {{ kindOf (semver \"1.0.0\") }} "
           "{{ kindOf now }}",
           NULL, "int slice map ptr struct");
    EXPECT(
        "{{ typeIs \"string\" \"x\" }} {{ typeIsLike \"semver.Version\" (semver \"1.0.0\") }} {{ "
        "kindIs \"map\" (dict) }}",
        NULL, "true true true");
    EXPECT(
        "{{ deepEqual (list 1 (dict \"a\" 2)) (list 1 (dict \"a\" 2)) }} {{ deepEqual 1 \"1\" }}",
        NULL, "true false");
}

static void test_sprig_misc(void **state)
{
    const char *u;
    (void)state;
    EXPECT("{{ $u := urlParse \"https://user:pa%20ss@host.io:8080/p/a%2Fb?q=1#frag\" }}"
           "{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|"
           "{{ $u.fragment }}|{{ $u.userinfo }}|{{ $u.opaque }}",
           NULL, "https|host.io:8080|host.io|/p/a/b|q=1|frag|user:pa%20ss|");
    EXPECT("{{ urlJoin (dict \"scheme\" \"https\" \"host\" \"h.io\" \"path\" \"/a b\" \"query\" "
           "\"x=1\") }}",
           NULL, "https://h.io/a%20b?x=1");
    EXPECT("{{ urlParse \"mailto:a@b.c\" | urlJoin }}", NULL, "mailto:a@b.c");
    EXPECT("{{ urlParse \"%zz\" }}", NULL,
           CALL_ERR("urlParse \"%zz\"", "urlParse",
                    "unable to parse url: parse \"%zz\": invalid URL escape \"%zz\""));
    u = render(A, "{{ uuidv4 }}", NULL);
    assert_int_equal(strlen(u), 36);
    assert_true(u[14] == '4' && strchr("89ab", u[19]) && u[8] == '-' && u[23] == '-');
    /* Helm removes env and expandenv; plain Sprig sets have them */
    EXPECT("{{ env \"HOME\" }}", NULL, "ERR: template: t:1: function \"env\" not defined");
    setenv("SPRIG_TEST_VAR", "v1", 1);
    assert_string_equal(render_opts(A,
                                    "{{ env \"SPRIG_TEST_VAR\" }}|{{ expandenv \"a $SPRIG_TEST_VAR "
                                    "${SPRIG_TEST_VAR}b $$ ${} $\" }}",
                                    NULL, 0, 0),
                        "v1|a v1 v1b   $");
    assert_string_equal(render_opts(A, "{{ getHostByName \"example.com\" }}", NULL, 0, 0),
                        "ERR: template: t:1:3: executing \"t\" at <getHostByName \"example.com\">: "
                        "error calling getHostByName: getHostByName 'example.com': name resolution "
                        "is disabled (offline rendering)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprig_encoding),
        cmocka_unit_test(test_sprig_paths_reflect),
        cmocka_unit_test(test_sprig_misc),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
