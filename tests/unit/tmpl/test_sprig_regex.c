/*
 * Sprig regex functions over the RE2-syntax Pike VM: documented examples, leftmost-first
 * submatches, replacement templates ($1, ${name}), Split and FindAll edge rules, Go's
 * error texts, and a pathological pattern that a backtracking engine would never finish.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/tmpl.h"
#include "base/limits.h"
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
#include <time.h>

#include "tmpl/regex.h"

static void test_sprig_regex_documented(void **state)
{
    (void)state;
    EXPECT("{{ regexMatch \"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\\\.[A-Za-z]{2,}$\" "
           "\"test@acme.com\" }}",
           NULL, "true");
    EXPECT("{{ regexFindAll \"[2,4,6,8]\" \"123456789\" -1 }}", NULL, "[2 4 6 8]");
    EXPECT("{{ regexFindAll \"[2,4,6,8]\" \"123456789\" 2 }}", NULL, "[2 4]");
    EXPECT("{{ regexFind \"[a-zA-Z][1-9]\" \"abcd1234\" }}", NULL, "d1");
    EXPECT("{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }}", NULL, "-W-xxW-");
    EXPECT("{{ regexReplaceAllLiteral \"a(x*)b\" \"-ab-axxb-\" \"${1}\" }}", NULL, "-${1}-${1}-");
    EXPECT("{{ regexSplit \"z+\" \"pizza\" -1 }} {{ regexSplit \"z+\" \"pizza\" 1 }}", NULL,
           "[pi a] [pizza]");
    EXPECT("{{ regexQuoteMeta \"1.2.3\" }}", NULL, "1\\.2\\.3");
}

static void test_sprig_regex_semantics(void **state)
{
    (void)state;
    /* Go's $1x is the group named "1x"; leftmost-first alternation; lazy repeats */
    EXPECT("{{ regexReplaceAll \"(a)(b)\" \"ab\" \"$1x|${1}x|$2|$$\" }}", NULL, "|ax|b|$");
    EXPECT("{{ regexReplaceAll \"(?P<first>\\\\w+) (?P<last>\\\\w+)\" \"John Smith\" "
           "\"${last}, ${first}\" }}",
           NULL, "Smith, John");
    EXPECT(
        "{{ regexFind \"a|ab\" \"ab\" }} {{ regexFind \"a+?\" \"aaa\" }} {{ regexFind \"(a+)(a*)\" "
        "\"aaa\" }}",
        NULL, "a a aaa");
    EXPECT("{{ regexReplaceAll \"a*\" \"baaac\" \"-\" }}", NULL, "-b-c-");
    EXPECT("{{ regexFindAll \"a*\" \"baaac\" -1 | len }}", NULL, "3");
    EXPECT("{{ regexSplit \"\" \"abc\" -1 }} {{ regexSplit \"a\" \"\" -1 | len }}", NULL,
           "[a b c] 1");
    EXPECT("{{ regexMatch \"(?i)^HeLLo$\" \"hello\" }} {{ regexMatch \"^b\" \"a\\nb\" }} {{ "
           "regexMatch \"(?m)^b$\" \"a\\nb\" }}",
           NULL, "true false true");
    EXPECT("{{ regexMatch \"^a.c$\" \"a\\nc\" }} {{ regexMatch \"(?s)^a.c$\" \"a\\nc\" }}", NULL,
           "false true");
    EXPECT("{{ regexFindAll \"[[:digit:]]+|\\\\bx\\\\b\" \"a1 x 22 yx\" -1 }}", NULL, "[1 x 22]");
    EXPECT("{{ regexFindAll \"\\\\d{2,3}\" \"1 12 1234 12345\" -1 }}", NULL, "[12 123 123 45]");
    EXPECT("{{ regexReplaceAll \"[^a-z]\" \"a1b2é\" \"_\" }}", NULL, "a_b__");
    EXPECT("{{ regexMatch \"^\\\\x41\\\\x{42}\\\\101\\\\.$\" \"ABA.\" }}", NULL, "true");
    EXPECT("{{ regexFind \"\\\\Qa.b\\\\E+\" \"a.bbb\" }}", NULL, "a.bbb");
    EXPECT("{{ regexFindAll \"\\\\p{Greek}+|\\\\pN+\" \"abc αβγ 42\" -1 }} {{ regexReplaceAll "
           "\"[\\\\PL]\" \"é1-b\" \"\" }}",
           NULL, "[αβγ 42] éb");
    EXPECT("{{ mustRegexFind \"\\\\p{Foo}\" \"x\" }}", NULL,
           CALL_ERR("mustRegexFind \"\\\\p{Foo}\" \"x\"", "mustRegexFind",
                    "error parsing regexp: invalid character class range: `\\p{Foo}`"));
}

static void test_sprig_regex_errors(void **state)
{
    (void)state;
    EXPECT("{{ regexMatch \"(\" \"x\" }}", NULL, "false");
    EXPECT("{{ mustRegexMatch \"(\" \"x\" }}", NULL,
           CALL_ERR("mustRegexMatch \"(\" \"x\"", "mustRegexMatch",
                    "error parsing regexp: missing closing ): `(`"));
    EXPECT("{{ regexFind \"a**\" \"x\" }}", NULL,
           CALL_ERR("regexFind \"a**\" \"x\"", "regexFind",
                    "regexp: Compile(`a**`): error parsing regexp: invalid nested repetition "
                    "operator: `**`"));
    EXPECT("{{ mustRegexFind \"*\" \"x\" }}", NULL,
           CALL_ERR("mustRegexFind \"*\" \"x\"", "mustRegexFind",
                    "error parsing regexp: missing argument to repetition operator: `*`"));
    EXPECT("{{ mustRegexFind \"[z-a]\" \"x\" }}", NULL,
           CALL_ERR("mustRegexFind \"[z-a]\" \"x\"", "mustRegexFind",
                    "error parsing regexp: invalid character class range: `z-a`"));
    EXPECT("{{ mustRegexFind \"a{1001}\" \"x\" }}", NULL,
           CALL_ERR("mustRegexFind \"a{1001}\" \"x\"", "mustRegexFind",
                    "error parsing regexp: invalid repeat count: `{1001}`"));
    EXPECT("{{ mustRegexFind \"\\\\q\" \"x\" }}", NULL,
           CALL_ERR("mustRegexFind \"\\\\q\" \"x\"", "mustRegexFind",
                    "error parsing regexp: invalid escape sequence: `\\q`"));
    EXPECT("{{ mustRegexFind \"[a\" \"x\" }}", NULL,
           CALL_ERR("mustRegexFind \"[a\" \"x\"", "mustRegexFind",
                    "error parsing regexp: missing closing ]: `[a`"));
    EXPECT("{{ mustRegexFind \"a)\" \"x\" }}", NULL,
           CALL_ERR("mustRegexFind \"a)\" \"x\"", "mustRegexFind",
                    "error parsing regexp: unexpected ): `a)`"));
    EXPECT("{{ mustRegexFind \"((a{1000}){1000}){1000}\" \"x\" }}", NULL,
           CALL_ERR("mustRegexFind \"((a{1000}){1000}){1000}\" \"x\"", "mustRegexFind",
                    "error parsing regexp: expression too large: `((a{1000}){1000}){1000}`"));
    /* nesting: FTH_LIMIT_REGEX_DEPTH groups compile, one more is refused (a fuzzer found the
     * stack overflow Go's 1000 levels cause under AddressSanitizer) */
    for (int depth = FTH_LIMIT_REGEX_DEPTH; depth <= FTH_LIMIT_REGEX_DEPTH + 1; depth++) {
        char pat[2 * FTH_LIMIT_REGEX_DEPTH + 8], tpl[2 * FTH_LIMIT_REGEX_DEPTH + 64];
        const char *got;
        int i = 0;

        for (int k = 0; k < depth; k++)
            pat[i++] = '(';
        pat[i++] = 'a';
        for (int k = 0; k < depth; k++)
            pat[i++] = ')';
        pat[i] = '\0';
        snprintf(tpl, sizeof(tpl), "{{ mustRegexMatch \"%s\" \"a\" }}", pat);
        got = render(A, tpl, NULL);
        if (depth == FTH_LIMIT_REGEX_DEPTH)
            assert_string_equal(got, "true");
        else
            assert_non_null(strstr(got, "error parsing regexp: expression nests too deeply"));
    }
}

/* (a*)*b against 100000 a's: exponential for a backtracker, linear here */
static void test_sprig_regex_pathological(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct tmpl_regex *re = NULL;
    struct fth_buf msg = FTH_BUF_INIT;
    size_t n = 100000;
    char *s = fth_arena_alloc(a, n + 1);
    long caps[4];
    clock_t t0 = clock();
    (void)state;
    memset(s, 'a', n);
    assert_int_equal(tmpl_regex_compile(&re, a, "(a*)*b", 6, &msg), 0);
    assert_int_equal(tmpl_regex_match(re, s, n, 0, caps), 0);
    assert_int_equal(tmpl_regex_compile(&re, a, "(x+x+)+y", 8, &msg), 0);
    memset(s, 'x', n);
    assert_int_equal(tmpl_regex_match(re, s, n, 0, caps), 0);
    s[n - 1] = 'y';
    assert_int_equal(tmpl_regex_match(re, s, n, 0, caps), 1);
    assert_int_equal(caps[0], 0);
    assert_int_equal(caps[1], (long)n);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
    fth_buf_release(&msg);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprig_regex_documented),
        cmocka_unit_test(test_sprig_regex_semantics),
        cmocka_unit_test(test_sprig_regex_errors),
        cmocka_unit_test(test_sprig_regex_pathological),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
