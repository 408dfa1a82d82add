/*
 * license: the strict SPDX expression parser (annex D of SPDX 2.3) and writer: valid
 * expressions written back as parsed and in their current form, the tree's shape (AND binds
 * tighter than OR), and invalid ones refused with a message naming the token and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/license.h"

static const struct fth_license_expr *parse(struct fth_arena *a, const char *s,
                                            struct fth_error *err)
{
    const struct fth_license_expr *e = NULL;

    fth_error_clear(err);
    if (fth_license_parse(&e, a, s, strlen(s), err) < 0)
        return NULL;
    return e;
}

static void test_license_expr_valid(void **state)
{
    static const char *const cases[][3] = {
        /* input, as written, current form */
        {"MIT", "MIT", "MIT"},
        {"mit", "MIT", "MIT"},
        {"(MIT OR Apache-2.0)", "(MIT OR Apache-2.0)", "MIT OR Apache-2.0"},
        {"mit or apache-2.0", "MIT OR Apache-2.0", "MIT OR Apache-2.0"},
        {"GPL-2.0+", "GPL-2.0+", "GPL-2.0-or-later"},
        {"GPL-2.0", "GPL-2.0", "GPL-2.0-only"},
        {"LGPL-2.1+ OR MIT", "LGPL-2.1+ OR MIT", "LGPL-2.1-or-later OR MIT"},
        {"GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0",
         "GPL-2.0-only WITH Classpath-exception-2.0"},
        {"gpl-2.0-or-later with classpath-exception-2.0",
         "GPL-2.0-or-later WITH Classpath-exception-2.0",
         "GPL-2.0-or-later WITH Classpath-exception-2.0"},
        {"MIT AND (ISC OR BSD-2-Clause)", "MIT AND (ISC OR BSD-2-Clause)",
         "MIT AND (ISC OR BSD-2-Clause)"},
        {"((MIT))", "((MIT))", "MIT"},
        {"(MIT AND ISC) OR Zlib", "(MIT AND ISC) OR Zlib", "MIT AND ISC OR Zlib"},
        {"GPL-3.0-with-GCC-exception AND MIT", "GPL-3.0-with-GCC-exception AND MIT",
         "GPL-3.0-only WITH GCC-exception-3.1 AND MIT"},
        {"LicenseRef-Proprietary OR MIT", "LicenseRef-Proprietary OR MIT",
         "LicenseRef-Proprietary OR MIT"},
        {"DocumentRef-x:LicenseRef-y", "DocumentRef-x:LicenseRef-y", "DocumentRef-x:LicenseRef-y"},
        {"Apache-2.0+", "Apache-2.0+", "Apache-2.0+"},
        {"GPL-2.0-only+", "GPL-2.0-only+", "GPL-2.0-or-later"},
        /* a deprecated id that already names an exception keeps its name under WITH */
        {"GPL-2.0-with-GCC-exception WITH Classpath-exception-2.0",
         "GPL-2.0-with-GCC-exception WITH Classpath-exception-2.0",
         "GPL-2.0-with-GCC-exception WITH Classpath-exception-2.0"},
        {"  MIT\tAND\nISC  ", "MIT AND ISC", "MIT AND ISC"},
    };
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        const struct fth_license_expr *e = parse(a, cases[i][0], &err);

        if (!e)
            fail_msg("'%s': %s", cases[i][0], err.message);
        assert_string_equal(fth_license_format(a, e, 0), cases[i][1]);
        assert_string_equal(fth_license_format(a, e, FTH_LICENSE_FORMAT_CURRENT), cases[i][2]);
    }
    fth_arena_free(a);
}

static void test_license_expr_shape(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;
    const struct fth_license_expr *e;

    (void)state;
    /* AND binds tighter than OR: MIT OR (ISC AND Zlib) */
    assert_non_null(e = parse(a, "MIT OR ISC AND Zlib", &err));
    assert_int_equal(e->kind, FTH_LICENSE_OR);
    assert_int_equal(e->left->kind, FTH_LICENSE_ID);
    assert_string_equal(e->left->id, "MIT");
    assert_int_equal(e->right->kind, FTH_LICENSE_AND);
    assert_string_equal(e->right->left->id, "ISC");
    assert_string_equal(e->right->right->id, "Zlib");
    /* WITH binds tightest */
    assert_non_null(e = parse(a, "MIT AND GPL-2.0+ WITH Bison-exception-2.2", &err));
    assert_int_equal(e->kind, FTH_LICENSE_AND);
    assert_int_equal(e->right->kind, FTH_LICENSE_WITH);
    assert_string_equal(e->right->exception, "Bison-exception-2.2");
    assert_string_equal(e->right->left->id, "GPL-2.0");
    assert_int_equal(e->right->left->plus, 1);
    /* left-associative chains */
    assert_non_null(e = parse(a, "MIT AND ISC AND Zlib", &err));
    assert_int_equal(e->kind, FTH_LICENSE_AND);
    assert_int_equal(e->left->kind, FTH_LICENSE_AND);
    assert_string_equal(e->right->id, "Zlib");
    fth_arena_free(a);
}

static void test_license_expr_invalid(void **state)
{
    static const char *const cases[][2] = {
        {"", "license expression: empty"},
        {"   ", "license expression: empty"},
        {"MIT OR", "license expression: expected a licence id at its end"},
        {"(MIT", "license expression: expected ')' at its end"},
        {"MIT)", "license expression: unbalanced ')' at column 4: ')'"},
        {"()", "license expression: expected a licence id at column 2: ')'"},
        {"MIT WITH MIT", "license expression: not an SPDX licence exception at column 10: 'MIT'"},
        {"WITH", "license expression: expected a licence id at column 1: 'WITH'"},
        {"Apache2", "license expression: not an SPDX licence id at column 1: 'Apache2'"},
        {"MIT Apache-2.0", "license expression: expected an operator at column 5: 'Apache-2.0'"},
        {"MIT AND OR ISC", "license expression: expected a licence id at column 9: 'OR'"},
        {"(MIT OR ISC) WITH Classpath-exception-2.0",
         "license expression: WITH must follow a licence id at column 14: 'WITH'"},
        {"LicenseRef-", "license expression: not an SPDX licence id at column 1: 'LicenseRef-'"},
        {"LicenseRef-a_b",
         "license expression: not an SPDX licence id at column 1: 'LicenseRef-a_b'"},
        {"DocumentRef-:LicenseRef-x",
         "license expression: not an SPDX licence id at column 1: 'DocumentRef-:LicenseRef-x'"},
        {"+", "license expression: not an SPDX licence id at column 1: '+'"},
        {"MIT++", "license expression: not an SPDX licence id at column 1: 'MIT++'"},
        {"GPL-2.0 WITH", "license expression: not an SPDX licence exception at its end"},
    };
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        if (parse(a, cases[i][0], &err))
            fail_msg("'%s' parsed", cases[i][0]);
        assert_int_equal(err.code, FTH_EINVALID);
        assert_string_equal(err.message, cases[i][1]);
    }
    fth_arena_free(a);
}

static void test_license_expr_limits(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;
    struct fth_buf b = FTH_BUF_INIT;
    const struct fth_license_expr *e;

    (void)state;
    /* 32 levels of parentheses parse, 33 do not */
    for (int i = 0; i < 32; i++)
        assert_int_equal(fth_buf_putc(&b, '('), 0);
    assert_int_equal(fth_buf_puts(&b, "MIT"), 0);
    for (int i = 0; i < 32; i++)
        assert_int_equal(fth_buf_putc(&b, ')'), 0);
    assert_non_null(parse(a, b.ptr, &err));
    fth_buf_clear(&b);
    for (int i = 0; i < 33; i++)
        assert_int_equal(fth_buf_putc(&b, '('), 0);
    assert_int_equal(fth_buf_puts(&b, "MIT"), 0);
    for (int i = 0; i < 33; i++)
        assert_int_equal(fth_buf_putc(&b, ')'), 0);
    assert_null(parse(a, b.ptr, &err));
    assert_int_equal(err.code, FTH_ELIMIT);
    assert_string_equal(err.message, "license expression: more than 32 nested parentheses");
    /* a long chain within the length limit is fine; past it is refused */
    fth_buf_clear(&b);
    assert_int_equal(fth_buf_puts(&b, "MIT"), 0);
    while (b.len < 4080)
        assert_int_equal(fth_buf_puts(&b, " OR MIT"), 0);
    assert_non_null(e = parse(a, b.ptr, &err));
    assert_non_null(fth_license_format(a, e, FTH_LICENSE_FORMAT_CURRENT));
    while (b.len <= 4096)
        assert_int_equal(fth_buf_puts(&b, " OR MIT"), 0);
    assert_null(parse(a, b.ptr, &err));
    assert_int_equal(err.code, FTH_ELIMIT);
    fth_buf_release(&b);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_license_expr_valid),
        cmocka_unit_test(test_license_expr_shape),
        cmocka_unit_test(test_license_expr_invalid),
        cmocka_unit_test(test_license_expr_limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
