/*
 * license: classification of licence texts. Debian's /usr/share/common-licenses texts each
 * classify as themselves, also rewrapped, re-cased and with another copyright line; the
 * common permissive licences as projects ship them (their own copyright line) classify as
 * their SPDX id; a copyright file that quotes a licence among other text finds it; READMEs,
 * notices and copyright files without a licence text find nothing.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "fathom/license.h"
#include "license/license_int.h"

#define COMMON "/usr/share/common-licenses/"

static void read_file(struct fth_buf *b, const char *path)
{
    struct fth_error err;

    fth_buf_clear(b);
    if (fth_file_read(b, path, 4 << 20, &err) < 0)
        fail_msg("%s: %s", path, err.message);
}

static struct fth_license_match classify(const char *text, size_t len)
{
    struct fth_license_match m;
    struct fth_error err;

    fth_error_clear(&err);
    if (fth_license_classify(&m, text, len, &err) < 0)
        fail_msg("classify: %s", err.message);
    return m;
}

static const char *const common[][2] = {
    {"Apache-2.0", "Apache-2.0"},  {"Artistic", "Artistic-1.0-Perl"},
    {"BSD", "BSD-3-Clause"},       {"CC0-1.0", "CC0-1.0"},
    {"GFDL-1.2", "GFDL-1.2-only"}, {"GFDL-1.3", "GFDL-1.3-only"},
    {"GPL-1", "GPL-1.0-only"},     {"GPL-2", "GPL-2.0-only"},
    {"GPL-3", "GPL-3.0-only"},     {"LGPL-2", "LGPL-2.0-only"},
    {"LGPL-2.1", "LGPL-2.1-only"}, {"LGPL-3", "LGPL-3.0-only"},
    {"MPL-1.1", "MPL-1.1"},        {"MPL-2.0", "MPL-2.0"},
};

static void test_license_classify_common_licenses(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;

    (void)state;
    for (size_t i = 0; i < sizeof(common) / sizeof(*common); i++) {
        char path[256];
        struct fth_license_match m;

        snprintf(path, sizeof(path), COMMON "%s", common[i][0]);
        read_file(&b, path);
        m = classify(b.ptr, b.len);
        if (strcmp(m.id, common[i][1]))
            fail_msg("%s: got '%s' (%.3f), want '%s'", path, m.id, m.confidence, common[i][1]);
        assert_true(m.confidence > 0.999);
        assert_true(!strncmp(m.source, "debian:", 7));
    }
    fth_buf_release(&b);
}

/* Every reference text, Debian's and spdx-license-list's, classifies as its own id. */
static void test_license_classify_references(void **state)
{
    (void)state;
    assert_int_equal(fth_license_text_count(), lic_ntexts);
    for (size_t i = 0; i < lic_ntexts; i++) {
        struct fth_license_match m = classify(lic_texts[i].text, lic_texts[i].len);

        if (strcmp(m.id, lic_texts[i].id) || m.confidence < 0.999)
            fail_msg("%s: got '%s' (%.3f)", lic_texts[i].source, m.id, m.confidence);
        assert_string_equal(fth_license_text_id(i), lic_texts[i].id);
    }
}

/*
 * Rewrap to 50 columns (the original copyright lines run into the paragraphs around them),
 * upper-case every other line, and put another copyright line first.
 */
static void edit(struct fth_buf *out, const char *text, size_t len)
{
    size_t col = 0, line = 0, i = 0;

    fth_buf_clear(out);
    assert_int_equal(fth_buf_puts(out, "Copyright (C) 2024 Example Corp. <legal@example.com>\n\n"),
                     0);
    while (i < len) {
        size_t s, n;

        while (i < len && isspace((unsigned char)text[i]))
            i++;
        s = i;
        while (i < len && !isspace((unsigned char)text[i]))
            i++;
        if (!(n = i - s))
            break;
        if (col + n + 1 > 50) {
            assert_int_equal(fth_buf_putc(out, '\n'), 0);
            col = 0;
            line++;
        } else if (col) {
            assert_int_equal(fth_buf_putc(out, ' '), 0);
            col++;
        }
        for (size_t k = 0; k < n; k++)
            assert_int_equal(fth_buf_putc(out, line % 2 ? (char)toupper((unsigned char)text[s + k])
                                                        : text[s + k]),
                             0);
        col += n;
    }
    assert_int_equal(fth_buf_putc(out, '\n'), 0);
}

static void test_license_classify_edited(void **state)
{
    struct fth_buf b = FTH_BUF_INIT, e = FTH_BUF_INIT;

    (void)state;
    for (size_t i = 0; i < sizeof(common) / sizeof(*common); i++) {
        char path[256];
        struct fth_license_match m;

        snprintf(path, sizeof(path), COMMON "%s", common[i][0]);
        read_file(&b, path);
        edit(&e, b.ptr, b.len);
        m = classify(e.ptr, e.len);
        if (strcmp(m.id, common[i][1]) || m.confidence < FTH_LICENSE_CLASSIFY_THRESHOLD)
            fail_msg("%s edited: got '%s' (%.3f), want '%s'", path, m.id, m.confidence,
                     common[i][1]);
    }
    fth_buf_release(&b);
    fth_buf_release(&e);
}

/* Licences as projects ship them: the SPDX text with the project's copyright line. */
static const char mit[] =
    "The MIT License (MIT)\n\nCopyright (c) 2014-2020 Jane Developer and contributors\n\n"
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    "software and associated documentation files (the \"Software\"), to deal in the Software "
    "without restriction, including without limitation the rights to use, copy, modify, "
    "merge, publish, distribute, sublicense, and/or sell copies of the Software, and to "
    "permit persons to whom the Software is furnished to do so, subject to the following "
    "conditions:\n\nThe above copyright notice and this permission notice shall be included "
    "in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS "
    "IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE "
    "WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN "
    "NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR "
    "OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT "
    "OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n";

/* OpenBSD's wording of ISC ("THE AUTHOR"), and 0BSD: ISC without the notice condition */
static const char isc_author[] =
    "Copyright (c) 2023 Jane Developer <jane@example.org>\n\n"
    "Permission to use, copy, modify, and distribute this software for any\n"
    "purpose with or without fee is hereby granted, provided that the above\n"
    "copyright notice and this permission notice appear in all copies.\n\n"
    "THE SOFTWARE IS PROVIDED \"AS IS\" AND THE AUTHOR DISCLAIMS ALL WARRANTIES\n"
    "WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF\n"
    "MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR\n"
    "ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES\n"
    "WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN\n"
    "ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF\n"
    "OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.\n";

static const char zero_bsd[] =
    "Copyright (C) 2006 by Rob Landley <rob@landley.net>\n\n"
    "Permission to use, copy, modify, and/or distribute this software for any\n"
    "purpose with or without fee is hereby granted.\n\n"
    "THE SOFTWARE IS PROVIDED \"AS IS\" AND THE AUTHOR DISCLAIMS ALL WARRANTIES\n"
    "WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF\n"
    "MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR\n"
    "ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES\n"
    "WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN\n"
    "ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF\n"
    "OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.\n";

static const char isc[] =
    "ISC License\n\nCopyright (c) 2004-2010 by Internet Systems Consortium, Inc. (\"ISC\")\n"
    "Copyright (c) 1995-2003 by Internet Software Consortium\n\n"
    "Permission to use, copy, modify, and/or distribute this software for any purpose with or "
    "without fee is hereby granted, provided that the above copyright notice and this "
    "permission notice appear in all copies.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\" AND ISC "
    "DISCLAIMS ALL WARRANTIES WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF "
    "MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL ISC BE LIABLE FOR ANY SPECIAL, DIRECT, "
    "INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, "
    "DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, "
    "ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.\n";

#define BSD_HEAD                                                                                   \
    "Copyright (c) 2012, Example Project Authors\nAll rights reserved.\n\n"                        \
    "Redistribution and use in source and binary forms, with or without modification, are "        \
    "permitted provided that the following conditions are met:\n\n"                                \
    "1. Redistributions of source code must retain the above copyright notice, this list of "      \
    "conditions and the following disclaimer.\n\n"                                                 \
    "2. Redistributions in binary form must reproduce the above copyright notice, this list of "   \
    "conditions and the following disclaimer in the documentation and/or other materials "         \
    "provided with the distribution.\n\n"
#define BSD_CLAUSE3                                                                                \
    "3. Neither the name of the copyright holder nor the names of its contributors may be used "   \
    "to endorse or promote products derived from this software without specific prior written "    \
    "permission.\n\n"
#define BSD_TAIL                                                                                   \
    "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\" AND ANY "       \
    "EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF "     \
    "MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL "      \
    "THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, "        \
    "SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT "    \
    "OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) "   \
    "HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR "    \
    "TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS "          \
    "SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.\n"

static const char bsd2[] = BSD_HEAD BSD_TAIL;
static const char bsd3[] = BSD_HEAD BSD_CLAUSE3 BSD_TAIL;

static void test_license_classify_permissive(void **state)
{
    static const struct {
        const char *text;
        size_t len;
        const char *want;
    } cases[] = {
        {mit, sizeof(mit) - 1, "MIT"},
        {isc, sizeof(isc) - 1, "ISC"},
        {isc_author, sizeof(isc_author) - 1, "ISC"},
        {zero_bsd, sizeof(zero_bsd) - 1, "0BSD"},
        {bsd2, sizeof(bsd2) - 1, "BSD-2-Clause"},
        {bsd3, sizeof(bsd3) - 1, "BSD-3-Clause"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        struct fth_license_match m = classify(cases[i].text, cases[i].len);

        if (strcmp(m.id, cases[i].want) || m.confidence < FTH_LICENSE_CLASSIFY_THRESHOLD)
            fail_msg("case %zu: got '%s' (%.3f), want '%s'", i, m.id, m.confidence, cases[i].want);
    }
}

/* A licence quoted inside a longer file: found by coverage, the larger of near-ties wins. */
static void test_license_classify_embedded(void **state)
{
    struct fth_buf b = FTH_BUF_INIT, t = FTH_BUF_INIT;
    struct fth_license_match m;

    (void)state;
    read_file(&b, FATHOM_SHARED
              "/fixtures/image/dpkg/trivy-copyright/license-pattern-and-classifier-copyright");
    m = classify(b.ptr, b.len);
    assert_string_equal(m.id, "Zlib");
    assert_true(m.confidence >= 0.9);
    /* a README with the BSD-3-Clause text at its end */
    read_file(&b, FATHOM_SOURCE_DIR "/README.md");
    assert_int_equal(fth_buf_put(&t, b.ptr, b.len), 0);
    assert_int_equal(fth_buf_puts(&t, "\n## License\n\n"), 0);
    assert_int_equal(fth_buf_puts(&t, bsd3), 0);
    m = classify(t.ptr, t.len);
    assert_string_equal(m.id, "BSD-3-Clause");
    /* the ISC text inside a copyright file: ISC, not 0BSD whose text ISC contains */
    fth_buf_clear(&t);
    assert_int_equal(fth_buf_put(&t, b.ptr, b.len), 0);
    assert_int_equal(fth_buf_puts(&t, "\nFiles: lib/*\nLicense: ISC\n"), 0);
    assert_int_equal(fth_buf_puts(&t, isc_author), 0);
    m = classify(t.ptr, t.len);
    assert_string_equal(m.id, "ISC");
    fth_buf_clear(&t);
    assert_int_equal(fth_buf_put(&t, b.ptr, b.len), 0);
    assert_int_equal(fth_buf_puts(&t, zero_bsd), 0);
    m = classify(t.ptr, t.len);
    assert_string_equal(m.id, "0BSD");
    fth_buf_release(&b);
    fth_buf_release(&t);
}

static void test_license_classify_negative(void **state)
{
    static const char *const files[] = {
        FATHOM_SOURCE_DIR "/README.md",
        FATHOM_SHARED "/DESIGN.md",
        FATHOM_SHARED "/fixtures/image/dpkg/trivy-copyright/no-license-copyright",
        /* a GPL notice and a pointer to common-licenses, not the licence text */
        FATHOM_SHARED "/fixtures/image/dpkg/trivy-copyright/common-license-copyright",
        FATHOM_SHARED "/fixtures/image/dpkg/trivy-copyright/all-patterns-copyright",
    };
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_license_match m;

    (void)state;
    for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
        read_file(&b, files[i]);
        m = classify(b.ptr, b.len);
        if (*m.id)
            fail_msg("%s: classified as '%s' (%.3f)", files[i], m.id, m.confidence);
    }
    m = classify("", 0);
    assert_string_equal(m.id, "");
    m = classify("MIT License", 11);
    assert_string_equal(m.id, "");
    /* the first half of the MIT text is not the MIT licence */
    m = classify(mit, sizeof(mit) / 2);
    assert_string_equal(m.id, "");
    fth_buf_release(&b);
}

static void test_license_classify_limits(void **state)
{
    size_t n = (1 << 20) + 1;
    char *big = malloc(n);
    struct fth_license_match m;
    struct fth_error err;

    (void)state;
    assert_non_null(big);
    memset(big, 'x', n);
    assert_int_equal(fth_license_classify(&m, big, n, &err), FTH_ELIMIT);
    assert_string_equal(m.id, "");
    assert_string_equal(err.message, "license text: larger than 1048576 bytes");
    /* binary garbage within the limit: no match, no crash */
    for (size_t i = 0; i < n - 1; i++)
        big[i] = (char)(i * 131 + (i >> 7));
    assert_int_equal(fth_license_classify(&m, big, n - 1, &err), 0);
    assert_string_equal(m.id, "");
    free(big);
    assert_true(fth_license_text_count() >= 14);
    assert_null(fth_license_text_id(fth_license_text_count()));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_license_classify_common_licenses),
        cmocka_unit_test(test_license_classify_references),
        cmocka_unit_test(test_license_classify_edited),
        cmocka_unit_test(test_license_classify_permissive),
        cmocka_unit_test(test_license_classify_embedded),
        cmocka_unit_test(test_license_classify_negative),
        cmocka_unit_test(test_license_classify_limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
