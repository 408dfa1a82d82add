/*
 * license through the dpkg cataloger: the SPDX findings Trivy expects for Debian copyright
 * files (../shared/fixtures/image/dpkg/trivy-copyright/expect.json), each normalised by the
 * licence module (a finding that has no SPDX form keeps its declared name), and the
 * classifier as the fallback for a copyright file without License: fields or common-licenses
 * references.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "fathom/license.h"
#include "unit/catalog/cat_fixture.h"

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));

    return s ? s : "";
}

static void test_license_dpkg_trivy_copyright(void **state)
{
    json_error_t jerr;
    json_t *exp = json_load_file(cat_fixture_path("dpkg/trivy-copyright/expect.json"), 0, &jerr);
    json_t *cs, *cse;
    size_t i, named = 0;

    (void)state;
    assert_non_null(exp);
    cs = json_object_get(exp, "cases");
    assert_int_equal(json_array_size(cs), 4);
    json_array_foreach(cs, i, cse)
    {
        char file[256];
        const json_t *want = json_object_get(cse, "want");
        struct fth_arena *a = fth_arena_new();
        struct cat_sink s;

        assert_non_null(a);
        cat_sink_init(&s, a);
        snprintf(file, sizeof(file), "dpkg/trivy-copyright/%s", jstr(cse, "input"));
        assert_int_equal(cat_fixture_parse_file(&s, &cat_dpkg, cat_fixture_path(file),
                                                jstr(cse, "analyzed_as_path")),
                         0);
        if (json_is_null(want)) {
            assert_int_equal(s.licensed.len, 0);
        } else {
            const json_t *lic = json_array_get(json_object_get(want, "Licenses"), 0);
            const json_t *fnd = json_object_get(lic, "Findings");
            const struct cat_licensed *l;

            assert_int_equal(s.licensed.len, 1);
            l = s.licensed.items[0];
            assert_string_equal(l->name, jstr(lic, "PkgName"));
            assert_int_equal(l->nlicenses, json_array_size(fnd));
            for (size_t k = 0; k < l->nlicenses; k++) {
                const char *name = jstr(json_array_get(fnd, k), "Name");

                if (fth_license_is_id(name)) {
                    /* an SPDX finding: the licence module's result, exactly */
                    assert_string_equal(l->licenses[k].spdx, name);
                    assert_string_equal(fth_license_normalize(a, l->licenses[k].value), name);
                    named++;
                } else {
                    /* BSD-4-clause-POWERDOG: no SPDX form, reported by its name */
                    assert_string_equal(l->licenses[k].spdx, "");
                    assert_string_equal(l->licenses[k].value, name);
                }
            }
        }
        fth_arena_free(a);
    }
    /* GPL-1.0-or-later, Artistic-2.0, Zlib, GPL-2.0-only, GPL-2.0-or-later, GPL-2.0-only */
    assert_int_equal(named, 6);
    json_decref(exp);
}

static int parse_text(struct cat_sink *s, const char *path, const char *text)
{
    struct cat_file f;

    f.path = path;
    f.data = (const unsigned char *)text;
    f.len = strlen(text);
    f.mode = 0644;
    f.layer = 0;
    return cat_dpkg.parse(s, &f);
}

static const char mit_copyright[] =
    "This package was debianized by A Maintainer <a@example.org> on Mon, 1 Jan 2024.\n\n"
    "It was downloaded from https://example.org/libfoo\n\n"
    "Copyright (c) 2019 The libfoo authors\n\n"
    "Permission is hereby granted, free of charge, to any person obtaining a copy\n"
    "of this software and associated documentation files (the \"Software\"), to deal\n"
    "in the Software without restriction, including without limitation the rights\n"
    "to use, copy, modify, merge, publish, distribute, sublicense, and/or sell\n"
    "copies of the Software, and to permit persons to whom the Software is\n"
    "furnished to do so, subject to the following conditions:\n\n"
    "The above copyright notice and this permission notice shall be included in\n"
    "all copies or substantial portions of the Software.\n\n"
    "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\n"
    "IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\n"
    "FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\n"
    "AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\n"
    "LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\n"
    "OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN\n"
    "THE SOFTWARE.\n";

static void test_license_dpkg_classifier_fallback(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct cat_sink s;
    const struct cat_licensed *l;

    (void)state;
    assert_non_null(a);
    cat_sink_init(&s, a);
    assert_int_equal(parse_text(&s, "usr/share/doc/libfoo1/copyright", mit_copyright), 0);
    assert_int_equal(s.licensed.len, 1);
    l = s.licensed.items[0];
    assert_string_equal(l->name, "libfoo1");
    assert_int_equal(l->nlicenses, 1);
    assert_string_equal(l->licenses[0].value, "MIT");
    assert_string_equal(l->licenses[0].spdx, "MIT");
    /* a notice without the licence text is not classified */
    assert_int_equal(parse_text(&s, "usr/share/doc/libbar1/copyright",
                                "libbar is free software; you can redistribute it and/or modify "
                                "it under the terms of the GNU General Public License.\n"),
                     0);
    assert_int_equal(s.licensed.len, 1);
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_license_dpkg_trivy_copyright),
        cmocka_unit_test(test_license_dpkg_classifier_fallback),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
