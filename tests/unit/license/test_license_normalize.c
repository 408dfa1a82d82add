/*
 * license: declared licences to SPDX. The inputs are real values from the fixtures in
 * ../shared/fixtures/image (dpkg copyright License: fields, apk L:, rpm License: of the
 * cbl-mariner/sle15/centos databases, npm/PyPI/Maven/RubyGems metadata), each with the SPDX
 * expression it means; the last rows are values that must stay unknown. The fixture rows are
 * also checked to be present in their fixture files, so the table cannot drift from them.
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

struct row {
    const char *in, *want;
};

static const struct row rows[] = {
    /* SPDX ids, any case, deprecated ones in their current form */
    {"MIT", "MIT"},
    {"mit", "MIT"},
    {"apache-2.0", "Apache-2.0"},
    {"GPL-2.0+", "GPL-2.0-or-later"},
    {"GPL-2.0", "GPL-2.0-only"},
    {"LGPL-2.1+", "LGPL-2.1-or-later"},
    {"AGPL-3.0", "AGPL-3.0-only"},
    {"GFDL-1.3", "GFDL-1.3-only"},
    {"GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0"},
    {"GPL-3.0-with-GCC-exception", "GPL-3.0-only WITH GCC-exception-3.1"},
    {"BSD-2-Clause-FreeBSD", "BSD-2-Clause"},
    {"StandardML-NJ", "SMLNJ"},
    {"wxWindows", "LGPL-2.0-or-later WITH WxWindows-exception-3.1"},
    {"Apache-1.0+", "Apache-1.0+"},
    /* SPDX expressions */
    {"(MIT OR Apache-2.0)", "MIT OR Apache-2.0"},
    {"mit or apache-2.0", "MIT OR Apache-2.0"},
    {"( Apache-2.0 OR MIT ) AND MPL-2.0", "(Apache-2.0 OR MIT) AND MPL-2.0"},
    {"MIT AND (ISC OR BSD-2-Clause)", "MIT AND (ISC OR BSD-2-Clause)"},
    {"(MIT AND ISC) OR BSD-2-Clause", "MIT AND ISC OR BSD-2-Clause"},
    {"GPL-3.0-or-later WITH GCC-exception-3.1", "GPL-3.0-or-later WITH GCC-exception-3.1"},
    {"LGPL-2.1-or-later AND LGPL-2.1-or-later WITH GCC-exception-2.0 AND GPL-2.0-or-later",
     "LGPL-2.1-or-later AND LGPL-2.1-or-later WITH GCC-exception-2.0 AND GPL-2.0-or-later"},
    {"GPL-2.0+ AND LGPL-2.1+", "GPL-2.0-or-later AND LGPL-2.1-or-later"},
    {"BSD-3-Clause OR Apache-2.0", "BSD-3-Clause OR Apache-2.0"},
    {"LicenseRef-Proprietary", "LicenseRef-Proprietary"},
    {"DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
     "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2"},
    /* Debian DEP-5 short names (dpkg copyright files) */
    {"GPL-1+", "GPL-1.0-or-later"},
    {"GPL-2", "GPL-2.0-only"},
    {"GPL-2+", "GPL-2.0-or-later"},
    {"GPL-3+", "GPL-3.0-or-later"},
    {"LGPL-2.1+", "LGPL-2.1-or-later"},
    {"LGPL-3+", "LGPL-3.0-or-later"},
    {"BSD-3-clause", "BSD-3-Clause"},
    {"Expat", "MIT"},
    {"Artistic", "Artistic-2.0"},
    {"Zlib,", "Zlib"},
    {"MPL-2.0", "MPL-2.0"},
    {"GPL-1+ or Artistic", "GPL-1.0-or-later OR Artistic-2.0"},
    {"GPL-2+ or Artistic, and Zlib", "(GPL-2.0-or-later OR Artistic-2.0) AND Zlib"},
    {"LGPL-2.1+ and GPL-2+", "LGPL-2.1-or-later AND GPL-2.0-or-later"},
    {"GPL-2+ with Classpath exception", "GPL-2.0-or-later WITH Classpath-exception-2.0"},
    /* apk L: */
    {"GPL2", "GPL-2.0-only"},
    {"GPL2+", "GPL-2.0-or-later"},
    {"GPL", "GPL-2.0-or-later"},
    {"openssl", "OpenSSL"},
    {"zlib", "Zlib"},
    /* rpm (Fedora short names; cbl-mariner, sle15, centos databases) */
    {"GPLv2+", "GPL-2.0-or-later"},
    {"GPLv3+", "GPL-3.0-or-later"},
    {"LGPLv2+", "LGPL-2.0-or-later"},
    {"LGPLv2.1", "LGPL-2.1-only"},
    {"GPLv3", "GPL-3.0-only"},
    {"MPLv2.0", "MPL-2.0"},
    {"ASL 2.0", "Apache-2.0"},
    {"BSD", "BSD-3-Clause"},
    {"PSF", "PSF-2.0"},
    {"OpenLDAP", "OLDAP-2.8"},
    {"Vim", "Vim"},
    {"BSD AND GPLv2+ AND Inner-Net AND ISC AND LGPLv2+ AND MIT",
     "BSD-3-Clause AND GPL-2.0-or-later AND Inner-Net-2.0 AND ISC AND LGPL-2.0-or-later AND MIT"},
    {"GPL+ AND MIT", "GPL-1.0-or-later AND MIT"},
    {"GPLv2+ AND LGPLv2+ AND BSD", "GPL-2.0-or-later AND LGPL-2.0-or-later AND BSD-3-Clause"},
    {"GPLv2+ OR LGPLv3+", "GPL-2.0-or-later OR LGPL-3.0-or-later"},
    {"LGPLv2.1 AND GPLv2", "LGPL-2.1-only AND GPL-2.0-only"},
    {"GPLv2+ and GPLv3+ and LGPLv2+",
     "GPL-2.0-or-later AND GPL-3.0-or-later AND LGPL-2.0-or-later"},
    {"BSD or GPLv2", "BSD-3-Clause OR GPL-2.0-only"},
    {"GPLv3+ AND (GPLv2+ OR LGPLv3+)",
     "GPL-3.0-or-later AND (GPL-2.0-or-later OR LGPL-3.0-or-later)"},
    {"BSD 2-Clause and GPLv2", "BSD-2-Clause AND GPL-2.0-only"},
    {"BSD and CC0 and GPLv2+ and LGPLv2+",
     "BSD-3-Clause AND CC0-1.0 AND GPL-2.0-or-later AND LGPL-2.0-or-later"},
    {"Artistic-1.0 or GPL-2.0+", "Artistic-1.0 OR GPL-2.0-or-later"},
    {"BSD-3-Clause or GPL-2.0", "BSD-3-Clause OR GPL-2.0-only"},
    {"GNU General Public License", "GPL-2.0-or-later"},
    /* Maven, PyPI, npm, RubyGems */
    {"The Apache Software License, Version 2.0", "Apache-2.0"},
    {"Apache License, Version 2.0", "Apache-2.0"},
    {"Apache License 2.0", "Apache-2.0"},
    {"Apache 2.0", "Apache-2.0"},
    {"http://www.apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0"},
    {"https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0"},
    {"https://opensource.org/licenses/MIT", "MIT"},
    {"http://www.opensource.org/licenses/mit-license.php", "MIT"},
    {"https://spdx.org/licenses/BSD-3-Clause.html", "BSD-3-Clause"},
    {"http://www.gnu.org/licenses/gpl-3.0.html", "GPL-3.0-only"},
    {"http://www.gnu.org/licenses/lgpl-2.1.html", "LGPL-2.1-only"},
    {"https://www.eclipse.org/legal/epl-v10.html", "EPL-1.0"},
    {"https://www.mozilla.org/MPL/2.0/", "MPL-2.0"},
    {"MIT License", "MIT"},
    {"The MIT License", "MIT"},
    {"GNU General Public License v3 (GPLv3)", "GPL-3.0-only"},
    {"GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later"},
    {"GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later"},
    {"GNU Lesser General Public License, version 2.1", "LGPL-2.1-only"},
    {"GNU General Public License, version 2 or later", "GPL-2.0-or-later"},
    {"License :: OSI Approved :: MIT License", "MIT"},
    {"License :: OSI Approved :: Python Software Foundation License", "PSF-2.0"},
    {"License :: OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)", "MPL-1.1"},
    {"License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)",
     "LGPL-2.0-or-later"},
    {"License :: OSI Approved :: ISC License (ISCL)", "ISC"},
    {"Eclipse Public License v2.0", "EPL-2.0"},
    {"Eclipse Public License - v 1.0", "EPL-1.0"},
    {"Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"},
    {"BSD 3-Clause License", "BSD-3-Clause"},
    {"New BSD License", "BSD-3-Clause"},
    {"Simplified BSD License", "BSD-2-Clause"},
    {"Boost Software License 1.0", "BSL-1.0"},
    {"CC0 1.0 Universal", "CC0-1.0"},
    {"The Unlicense", "Unlicense"},
    {"Common Development and Distribution License 1.1", "CDDL-1.1"},
    {"CDDL + GPLv2 with classpath exception",
     "CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0"},
    {"Ruby", "Ruby"},
    {"PSFL", "PSF-2.0"},
    {"ISC", "ISC"},
    {"'MIT'", "MIT"},
    /* unknown: not a licence, ambiguous, or with a part that is not one */
    {"", ""},
    {"UNKNOWN", ""},
    {"Public Domain", ""},
    {"public-domain", ""},
    {"Public-Domain", ""},
    {"SUSE-Public-Domain", ""},
    {"BSD License", ""},
    {"Apache Software License", ""},
    {"License :: OSI Approved :: BSD License", ""},
    {"License :: OSI Approved", ""},
    {"Apache", ""},
    {"BSDL", ""},
    {"proprietary", ""},
    {"BSD-4-clause-POWERDOG", ""},
    {"GPL-1+ or Artistic, and BSD-4-clause-POWERDOG", ""},
    {"GPLv2+ WITH exceptions", ""},
    {"GPLv2+ and LGPLv2+ and BSD and MIT and Public Domain", ""},
    {"BSD AND Public Domain AND (ASL 2.0 OR CC0 1.0 OR OpenSSL)", ""},
    {"SUSE-GPL-2.0-with-OSI-exception", ""},
    {"file://LICENSE.txt", ""},
    {"https://github.com/foo/bar/blob/master/LICENSE", ""},
    {"MIT OR", ""},
    {"(MIT", ""},
    {"AND", ""},
    {"GPL-2.0-only WITH MIT", ""},
    {"SEE LICENSE IN LICENSE.md", ""},
};

static void test_license_normalize_table(void **state)
{
    struct fth_arena *a = fth_arena_new();
    int bad = 0;

    (void)state;
    assert_non_null(a);
    for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
        const char *got = fth_license_normalize(a, rows[i].in);

        assert_non_null(got);
        if (strcmp(got, rows[i].want)) {
            fprintf(stderr, "'%s': got '%s', want '%s'\n", rows[i].in, got, rows[i].want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    /* NULL, and a value past the length limit */
    assert_string_equal(fth_license_normalize(a, NULL), "");
    {
        char *big = malloc(5000);

        assert_non_null(big);
        memset(big, 'a', 4999);
        big[4999] = '\0';
        assert_string_equal(fth_license_normalize(a, big), "");
        free(big);
    }
    fth_arena_free(a);
}

/* The fixture rows above come from these files; each must still hold its value. */
static void test_license_normalize_fixture_values(void **state)
{
    static const char *const where[][2] = {
        {"dpkg/trivy-copyright/license-pattern-and-classifier-copyright",
         "GPL-1+ or Artistic, and BSD-4-clause-POWERDOG"},
        {"apk/trivy/installed", "L:( Apache-2.0 OR MIT ) AND MPL-2.0"},
        {"apk/trivy/installed", "L:GPL2"},
        {"apk/trivy/installed", "L:openssl"},
        {"python/trivy/", "GNU Lesser General Public License v2 or later (LGPLv2+)"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(where) / sizeof(*where); i++) {
        char cmd[1024];

        snprintf(cmd, sizeof(cmd), "grep -rqF -- '%s' '%s/fixtures/image/%s'", where[i][1],
                 FATHOM_SHARED, where[i][0]);
        if (system(cmd) != 0)
            fail_msg("'%s' not found in %s", where[i][1], where[i][0]);
    }
}

static void test_license_ids(void **state)
{
    (void)state;
    assert_true(fth_license_is_id("MIT"));
    assert_true(fth_license_is_id("gpl-2.0+")); /* deprecated ids are still on the list */
    assert_true(fth_license_is_id("Apache-2.0"));
    assert_false(fth_license_is_id("Apache-2"));
    assert_false(fth_license_is_id(""));
    assert_false(fth_license_is_id(NULL));
    assert_true(fth_license_is_exception("classpath-exception-2.0"));
    assert_false(fth_license_is_exception("MIT"));
    assert_string_equal(fth_license_name("mit"), "MIT License");
    assert_string_equal(fth_license_name("Apache-2.0"), "Apache License 2.0");
    assert_null(fth_license_name("nope"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_license_normalize_table),
        cmocka_unit_test(test_license_normalize_fixture_values),
        cmocka_unit_test(test_license_ids),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
