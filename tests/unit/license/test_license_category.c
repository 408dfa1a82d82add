/*
 * license: categories (Trivy's six plus network copyleft) and deny lists for gates: AND is
 * denied when either side is, OR only when both are, and list entries are ids (normalised),
 * prefixes and category names.
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

static void test_license_category_table(void **state)
{
    static const struct {
        const char *id;
        enum fth_license_category cat;
        int network;
    } cases[] = {
        {"AGPL-3.0-only", FTH_LICENSE_FORBIDDEN, 1},
        {"AGPL-3.0-or-later", FTH_LICENSE_FORBIDDEN, 1},
        {"AGPL-3.0", FTH_LICENSE_FORBIDDEN, 1},
        {"SSPL-1.0", FTH_LICENSE_FORBIDDEN, 1},
        {"CC-BY-NC-4.0", FTH_LICENSE_FORBIDDEN, 0},
        {"CC-BY-NC-ND-4.0", FTH_LICENSE_FORBIDDEN, 0},
        {"WTFPL", FTH_LICENSE_FORBIDDEN, 0},
        {"GPL-2.0-only", FTH_LICENSE_RESTRICTED, 0},
        {"GPL-2.0+", FTH_LICENSE_RESTRICTED, 0},
        {"gpl-3.0-or-later", FTH_LICENSE_RESTRICTED, 0},
        {"LGPL-2.1-only", FTH_LICENSE_RESTRICTED, 0},
        {"CC-BY-SA-4.0", FTH_LICENSE_RESTRICTED, 0},
        {"OSL-3.0", FTH_LICENSE_RESTRICTED, 1},
        {"MPL-2.0", FTH_LICENSE_RECIPROCAL, 0},
        {"EPL-2.0", FTH_LICENSE_RECIPROCAL, 0},
        {"CDDL-1.1", FTH_LICENSE_RECIPROCAL, 0},
        {"Ruby", FTH_LICENSE_RECIPROCAL, 0},
        {"MIT", FTH_LICENSE_NOTICE, 0},
        {"Apache-2.0", FTH_LICENSE_NOTICE, 0},
        {"BSD-3-Clause", FTH_LICENSE_NOTICE, 0},
        {"CC-BY-4.0", FTH_LICENSE_NOTICE, 0},
        {"Zlib", FTH_LICENSE_NOTICE, 0},
        {"ISC", FTH_LICENSE_NOTICE, 0},
        {"CC0-1.0", FTH_LICENSE_UNENCUMBERED, 0},
        {"Unlicense", FTH_LICENSE_UNENCUMBERED, 0},
        {"0BSD", FTH_LICENSE_UNENCUMBERED, 0},
        {"EUPL-1.2", FTH_LICENSE_UNKNOWN, 1},
        {"LicenseRef-Proprietary", FTH_LICENSE_UNKNOWN, 0},
        {"", FTH_LICENSE_UNKNOWN, 0},
        /* prefixes match whole ids only from the start: AGPL is not GPL, MITx is not MIT */
        {"MIT-0", FTH_LICENSE_UNKNOWN, 0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        if (fth_license_category(cases[i].id) != cases[i].cat)
            fail_msg("'%s': category %s", cases[i].id,
                     fth_license_category_name(fth_license_category(cases[i].id)));
        assert_int_equal(fth_license_network_copyleft(cases[i].id), cases[i].network);
    }
    assert_int_equal(fth_license_category(NULL), FTH_LICENSE_UNKNOWN);
    assert_string_equal(fth_license_category_name(FTH_LICENSE_RECIPROCAL), "reciprocal");
    assert_string_equal(fth_license_category_name(FTH_LICENSE_UNENCUMBERED), "unencumbered");
    assert_string_equal(fth_license_category_name((enum fth_license_category)99), "unknown");
}

static void test_license_deny(void **state)
{
    static const struct {
        const char *list, *expr;
        int denied;
        const char *why;
    } cases[] = {
        {"GPL-3.0", "GPL-3.0-only", 1, "GPL-3.0"},
        {"GPL-3.0", "GPL-3.0-or-later", 1, "GPL-3.0"},
        {"GPL-3.0", "LGPL-3.0-only", 0, NULL},
        {"GPL-3.0", "MIT OR GPL-3.0-only", 0, NULL},
        {"GPL-3.0", "MIT AND GPL-3.0-only", 1, "GPL-3.0"},
        {"GPL-3.0, MIT", "MIT OR GPL-3.0-only", 1, "MIT"},
        {"GPLv2+", "GPL-2.0-only WITH Classpath-exception-2.0", 1, "GPLv2+"},
        {"network-copyleft", "AGPL-3.0-only", 1, "network-copyleft"},
        {"network-copyleft", "GPL-3.0-only", 0, NULL},
        {"network-copyleft", "(MIT OR SSPL-1.0) AND Zlib", 0, NULL},
        {"network-copyleft", "(MIT AND SSPL-1.0) OR Zlib", 0, NULL},
        {"network-copyleft", "Zlib AND (EUPL-1.2 OR OSL-3.0)", 1, "network-copyleft"},
        {"forbidden,restricted", "Apache-2.0", 0, NULL},
        {"forbidden,restricted", "Apache-2.0 AND LGPL-2.1-or-later", 1, "restricted"},
        {"forbidden,restricted", "WTFPL", 1, "forbidden"},
        {"GPL-*", "GPL-2.0-or-later", 1, "GPL-*"},
        {"GPL-*", "LGPL-2.1-only", 0, NULL},
        {"GPL-*", "AGPL-3.0-only", 0, NULL},
        {"unencumbered", "CC0-1.0", 1, "unencumbered"},
        {"MIT", "", 0, NULL},
        {"MIT", "not an expression", 0, NULL},
        {"", "MIT", 0, NULL},
    };
    struct fth_arena *a = fth_arena_new();

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        struct fth_license_deny *d = NULL;
        struct fth_error err;
        const char *why = "x";

        fth_error_clear(&err);
        if (fth_license_deny_parse(&d, a, cases[i].list, &err) < 0)
            fail_msg("'%s': %s", cases[i].list, err.message);
        if (fth_license_denied(d, cases[i].expr, &why) != cases[i].denied)
            fail_msg("'%s' against '%s'", cases[i].expr, cases[i].list);
        if (cases[i].why)
            assert_string_equal(why, cases[i].why);
        else
            assert_null(why);
    }
    fth_arena_free(a);
}

static void test_license_expr_category(void **state)
{
    (void)state;
    assert_int_equal(fth_license_expr_category("MIT"), FTH_LICENSE_NOTICE);
    assert_int_equal(fth_license_expr_category("GPL-2.0-only WITH Classpath-exception-2.0"),
                     FTH_LICENSE_RESTRICTED);
    /* AND: the most encumbering side; OR: the least */
    assert_int_equal(fth_license_expr_category("MIT AND GPL-2.0-or-later"), FTH_LICENSE_RESTRICTED);
    assert_int_equal(fth_license_expr_category("MIT OR GPL-2.0-or-later"), FTH_LICENSE_NOTICE);
    assert_int_equal(fth_license_expr_category("(MIT OR AGPL-3.0-only) AND MPL-2.0"),
                     FTH_LICENSE_RECIPROCAL);
    assert_int_equal(fth_license_expr_category("AGPL-3.0-only OR SSPL-1.0"), FTH_LICENSE_FORBIDDEN);
    /* an unknown part: unknown under AND, skipped under OR */
    assert_int_equal(fth_license_expr_category("MIT AND LicenseRef-custom"), FTH_LICENSE_UNKNOWN);
    assert_int_equal(fth_license_expr_category("LicenseRef-custom OR Unlicense"),
                     FTH_LICENSE_UNENCUMBERED);
    assert_int_equal(fth_license_expr_category(""), FTH_LICENSE_UNKNOWN);
    assert_int_equal(fth_license_expr_category("not an expression"), FTH_LICENSE_UNKNOWN);
    assert_int_equal(fth_license_expr_category(NULL), FTH_LICENSE_UNKNOWN);
}

static void test_license_deny_invalid(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_license_deny *d = NULL;
    struct fth_error err;

    (void)state;
    fth_error_clear(&err);
    assert_int_equal(fth_license_deny_parse(&d, a, "MIT,frobnicate", &err), FTH_EINVALID);
    assert_null(d);
    assert_string_equal(err.message,
                        "license deny list: 'frobnicate' is neither an SPDX licence id nor a "
                        "category");
    assert_int_equal(fth_license_deny_parse(&d, a, "MIT OR ISC", &err), FTH_EINVALID);
    /* blanks and empty entries are ignored */
    assert_int_equal(fth_license_deny_parse(&d, a, " , MIT ,, ", &err), 0);
    assert_true(fth_license_denied(d, "MIT", NULL));
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_license_category_table),
        cmocka_unit_test(test_license_deny),
        cmocka_unit_test(test_license_deny_invalid),
        cmocka_unit_test(test_license_expr_category),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
