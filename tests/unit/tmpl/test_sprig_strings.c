/*
 * Sprig string functions: the examples of Sprig's strings documentation with their exact
 * outputs, and Go's behaviour at the edges (byte offsets, runtime panics as errors, xstrings
 * v1.3 case conversions, goutils word functions).
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

static void test_sprig_strings_documented(void **state)
{
    (void)state;
    EXPECT("{{ trim \"   hello    \" }}", NULL, "hello");
    EXPECT("{{ trimAll \"$\" \"$5.00\" }}", NULL, "5.00");
    EXPECT("{{ trimSuffix \"-\" \"hello-\" }}", NULL, "hello");
    EXPECT("{{ trimPrefix \"-\" \"-hello\" }}", NULL, "hello");
    EXPECT("{{ lower \"HELLO\" }}", NULL, "hello");
    EXPECT("{{ upper \"hello\" }}", NULL, "HELLO");
    EXPECT("{{ title \"hello world\" }}", NULL, "Hello World");
    EXPECT("{{ untitle \"Hello World\" }}", NULL, "hello world");
    EXPECT("{{ repeat 3 \"hello\" }}", NULL, "hellohellohello");
    EXPECT("{{ substr 0 5 \"hello world\" }}", NULL, "hello");
    EXPECT("{{ nospace \"hello w o r l d\" }}", NULL, "helloworld");
    EXPECT("{{ trunc 5 \"hello world\" }}", NULL, "hello");
    EXPECT("{{ trunc -5 \"hello world\" }}", NULL, "world");
    EXPECT("{{ abbrev 5 \"hello world\" }}", NULL, "he...");
    EXPECT("{{ abbrevboth 5 10 \"1234 5678 9123\" }}", NULL, "...5678...");
    EXPECT("{{ initials \"First Try\" }}", NULL, "FT");
    EXPECT("{{ \"I Am Henry VIII\" | wrap 5 }}", NULL, "I Am\nHenry\nVIII");
    EXPECT("{{ wrapWith 5 \"\\t\" \"Hello World\" }}", NULL, "Hello\tWorld");
    EXPECT("{{ contains \"cat\" \"catch\" }}", NULL, "true");
    EXPECT("{{ hasPrefix \"cat\" \"catch\" }}", NULL, "true");
    EXPECT("{{ hasSuffix \"cat\" \"catch\" }}", NULL, "false");
    EXPECT("{{ cat \"hello\" \"beautiful\" \"world\" }}", NULL, "hello beautiful world");
    EXPECT("{{ indent 4 \"a\\nb\" }}", NULL, "    a\n    b");
    EXPECT("{{ nindent 4 \"a\\nb\" }}", NULL, "\n    a\n    b");
    EXPECT("{{ \"I Am Henry VIII\" | replace \" \" \"-\" }}", NULL, "I-Am-Henry-VIII");
    EXPECT("{{ len .l | plural \"one anchovy\" \"many anchovies\" }}", "{l: [1, 2]}",
           "many anchovies");
    EXPECT("{{ snakecase \"FirstName\" }}", NULL, "first_name");
    EXPECT("{{ camelcase \"http_server\" }}", NULL, "HttpServer");
    EXPECT("{{ kebabcase \"FirstName\" }}", NULL, "first-name");
    EXPECT("{{ swapcase \"This Is A.Test\" }}", NULL, "tHIS iS a.tEST");
    EXPECT("{{ \"hello\" | quote }} {{ squote \"hi\" }}", NULL, "\"hello\" 'hi'");
    EXPECT("{{ hello }}", NULL, "Hello!");
}

static void test_sprig_strings_split_join(void **state)
{
    (void)state;
    EXPECT("{{ $a := split \"$\" \"foo$bar$baz\" }}{{ $a._0 }} {{ $a._2 }}", NULL, "foo baz");
    EXPECT("{{ splitList \"$\" \"foo$bar$baz\" }}", NULL, "[foo bar baz]");
    EXPECT("{{ $a := splitn \"$\" 2 \"foo$bar$baz\" }}{{ $a._0 }} {{ $a._1 }}", NULL,
           "foo bar$baz");
    EXPECT("{{ splitList \"\" \"abc\" }}", NULL, "[a b c]");
    EXPECT("{{ list \"hello\" \"world\" | join \"_\" }}", NULL, "hello_world");
    EXPECT("{{ list 1 2 3 | join \"+\" }}", NULL, "1+2+3");
    EXPECT("{{ list \"c\" \"a\" \"B\" | sortAlpha }}", NULL, "[B a c]");
    EXPECT("{{ join \",\" .x }}", "{x: [a, null, 2]}", "a,2");
    EXPECT("{{ join \",\" \"single\" }}", NULL, "single");
}

static void test_sprig_strings_edges(void **state)
{
    (void)state;
    /* quote/squote: nil arguments are dropped, others joined by spaces */
    EXPECT("{{ quote .missing \"a\" 1 }}", "{}", "\"a\" \"1\"");
    EXPECT("{{ quote \"tab\\there\" }}", NULL, "\"tab\\there\"");
    EXPECT("{{ squote 1.5 true }}", NULL, "'1.5' 'true'");
    EXPECT("{{ cat \"a\" .missing 2 }}", "{}", "a 2");
    EXPECT("{{ quote .f }}", "{f: 1000000}", "\"1e+06\"");
    /* substr follows Go's slice rules; out-of-range ends are runtime panics */
    EXPECT("{{ substr 2 100 \"hello\" }}", NULL, "llo");
    EXPECT("{{ substr -1 2 \"hello\" }}", NULL, "he");
    EXPECT("{{ substr 3 1 \"hello\" }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <substr 3 1 \"hello\">: error calling "
           "substr: runtime error: slice bounds out of range [3:1]");
    EXPECT("{{ substr -1 9 \"hello\" }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <substr -1 9 \"hello\">: error calling "
           "substr: runtime error: slice bounds out of range [:9] with length 5");
    EXPECT("{{ trunc -10 \"abc\" }}|{{ trunc 0 \"abc\" }}", NULL, "abc|");
    EXPECT("{{ repeat -1 \"x\" }}", NULL,
           "ERR: template: t:1:3: executing \"t\" at <repeat -1 \"x\">: error calling repeat: "
           "strings: negative Repeat count");
    EXPECT("{{ abbrev 3 \"hello\" }}|{{ abbrev 10 \"hello\" }}", NULL, "hello|hello");
    EXPECT("{{ replace \"\" \"-\" \"ab\" }}", NULL, "-a-b-");
    EXPECT("{{ upper \"straße éa\" }}", NULL, "STRAßE ÉA");
    EXPECT("{{ title \"hello_world foo-bar\" }}", NULL, "Hello_world Foo-Bar");
    /* xstrings v1.3 */
    EXPECT("{{ snakecase \"HTTPServer\" }} {{ snakecase \"NoHTTPS\" }} {{ snakecase \"GO PATH\" }}",
           NULL, "http_server no_https go_path");
    EXPECT("{{ snakecase \"http2xx\" }} {{ snakecase \"HTTP20xOK\" }}", NULL,
           "http_2xx http_20x_ok");
    EXPECT("{{ kebabcase \"GO_PATH\" }}", NULL, "go-path");
    /* v1.3 returns what it wrote when the last rune ends the leading underscores ("_a") */
    EXPECT("{{ camelcase \"_a\" }} {{ camelcase \"a__b\" }} {{ camelcase \"ab_\" }}", NULL,
           "_ A_B Ab_");
    EXPECT("{{ initials \"  a  b\" }}", NULL, "ab");
    /* the random ones: shape only */
    EXPECT("{{ len (randAlphaNum 12) }} {{ len (randNumeric 0) }} {{ randNumeric 3 | regexMatch "
           "\"^[0-9]{3}$\" }}",
           NULL, "12 0 true");
    EXPECT("{{ randAlpha 20 | regexMatch \"^[a-zA-Z]{20}$\" }} {{ randAscii 9 | len }}", NULL,
           "true 9");
    EXPECT("{{ shuffle \"aab\" | len }} {{ shuffle \"x\" }}", NULL, "3 x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprig_strings_documented),
        cmocka_unit_test(test_sprig_strings_split_join),
        cmocka_unit_test(test_sprig_strings_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
