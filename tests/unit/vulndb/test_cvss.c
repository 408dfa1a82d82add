/*
 * CVSS scores. Each table says where its vectors and scores come from:
 *   v2.0  the three worked examples of "A Complete Guide to the Common Vulnerability Scoring
 *         System Version 2.0" (FIRST, section 3.3) and lines of tests/vectors_simple2 of the
 *         RedHatProductSecurity/cvss library (scores from NVD's v2 calculator).
 *   v3.0  the examples of FIRST's "CVSS v3.0 Examples" document.
 *   v3.1  the same examples as republished in "CVSS v3.1 Examples" and lines of
 *         tests/vectors_simple31 of RedHatProductSecurity/cvss (base score column).
 *   v4.0  lines of tests/vectors_simple4, vectors_threat4 and vectors_security4 of
 *         RedHatProductSecurity/cvss, which check that library against FIRST's v4.0
 *         calculator; and the two scores the v4.0 specification document quotes.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fathom/cvss.h"

struct vec {
    const char *vector;
    double score;
    const char *severity;
};

static void check(const struct vec *v, size_t n, enum fth_cvss_version version)
{
    size_t i;

    for (i = 0; i < n; i++) {
        struct fth_cvss c;
        struct fth_error err;

        memset(&c, 0, sizeof(c));
        fth_error_clear(&err);
        if (fth_cvss_parse(&c, v[i].vector, &err) != 0)
            fail_msg("%s: %s", v[i].vector, err.message);
        if (c.version != version)
            fail_msg("%s: version %d", v[i].vector, (int)c.version);
        if (fabs(c.base_score - v[i].score) > 1e-9)
            fail_msg("%s: got %.1f, want %.1f", v[i].vector, c.base_score, v[i].score);
        if (v[i].severity && strcmp(c.severity, v[i].severity) != 0)
            fail_msg("%s: severity %s, want %s", v[i].vector, c.severity, v[i].severity);
    }
}

#define CHECK(table, version) check(table, sizeof(table) / sizeof(table[0]), version)

static void test_cvss_v2(void **state)
{
    static const struct vec v[] = {
        /* v2 guide 3.3.1, CVE-2002-0392 (Apache chunked encoding) */
        {"AV:N/AC:L/Au:N/C:N/I:N/A:C", 7.8, "HIGH"},
        /* v2 guide 3.3.2, CVE-2003-0818 (Microsoft ASN.1) */
        {"AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0, "HIGH"},
        /* v2 guide 3.3.3, CVE-2003-0062 (NOD32) */
        {"AV:L/AC:H/Au:N/C:C/I:C/A:C", 6.2, "MEDIUM"},
        /* the same with the temporal metrics of the guide's example: base unchanged */
        {"AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C", 7.8, "HIGH"},
        {"(AV:N/AC:L/Au:N/C:N/I:N/A:C)", 7.8, "HIGH"},
        {"CVSS:2.0/AV:N/AC:L/Au:N/C:N/I:N/A:C", 7.8, "HIGH"},
        {"AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H", 10.0, "HIGH"},
        /* RedHatProductSecurity/cvss tests/vectors_simple2 */
        {"AV:L/AC:H/Au:M/C:N/I:N/A:N", 0.0, "LOW"},
        {"AV:L/AC:H/Au:M/C:N/I:N/A:P", 0.8, "LOW"},
        {"AV:L/AC:H/Au:M/C:N/I:N/A:C", 3.7, "LOW"},
        {"AV:L/AC:H/Au:M/C:C/I:C/A:C", 5.9, "MEDIUM"},
        {"AV:L/AC:H/Au:S/C:P/I:P/A:P", 3.5, NULL},
        {"AV:L/AC:H/Au:N/C:P/I:C/A:C", 5.9, NULL},
        {"AV:L/AC:M/Au:M/C:P/I:P/A:C", 5.3, NULL},
        {"AV:L/AC:M/Au:S/C:P/I:P/A:P", 4.1, "MEDIUM"},
        {"AV:L/AC:M/Au:N/C:C/I:C/A:C", 6.9, "MEDIUM"},
        {"AV:L/AC:L/Au:M/C:P/I:P/A:P", 4.0, "MEDIUM"},
        {"AV:L/AC:L/Au:S/C:C/I:C/A:C", 6.8, NULL},
        {"AV:L/AC:L/Au:N/C:N/I:N/A:N", 0.0, NULL},
        {"AV:L/AC:L/Au:N/C:C/I:C/A:C", 7.2, "HIGH"},
        {"AV:A/AC:H/Au:M/C:P/I:P/A:C", 5.2, NULL},
        {"AV:A/AC:H/Au:S/C:N/I:P/A:C", 5.0, NULL},
        {"AV:A/AC:H/Au:N/C:P/I:P/A:P", 4.3, NULL},
        {"AV:A/AC:H/Au:N/C:C/I:C/A:C", 6.8, NULL},
        {"AV:A/AC:M/Au:M/C:N/I:N/A:C", 4.8, NULL},
        {"AV:A/AC:M/Au:M/C:P/I:P/A:P", 4.5, NULL},
    };

    (void)state;
    CHECK(v, FTH_CVSS_V2);
}

static void test_cvss_v30(void **state)
{
    static const struct vec v[] = {
        /* CVSS v3.0 Examples: CVE-2013-1937 phpMyAdmin reflected XSS */
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "MEDIUM"},
        /* CVE-2013-0375 MySQL stored SQL injection */
        {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, "MEDIUM"},
        /* CVE-2014-3566 SSLv3 POODLE */
        {"CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, "LOW"},
        /* CVE-2012-1516 VMware guest to host escape */
        {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, "CRITICAL"},
        /* CVE-2009-0783 Apache Tomcat XML parser */
        {"CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2, "MEDIUM"},
        /* CVE-2012-0384 Cisco IOS command injection */
        {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8, "HIGH"},
        /* CVE-2015-1098 Apple iWork denial of service */
        {"CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, "HIGH"},
        /* CVE-2014-0160 OpenSSL Heartbleed */
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "HIGH"},
        /* CVE-2014-6271 GNU Bash Shellshock */
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"},
        /* CVE-2008-1447 DNS Kaminsky bug */
        {"CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8, "MEDIUM"},
        /* CVE-2014-2005 Sophos login screen bypass */
        {"CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8, "MEDIUM"},
        /* CVE-2010-0467 Joomla directory traversal */
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8, "MEDIUM"},
        /* CVE-2014-9253 DokuWiki stored XSS */
        {"CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4, "MEDIUM"},
        /* CVE-2011-1265 Microsoft Windows Bluetooth remote code execution */
        {"CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8, "HIGH"},
        /* CVE-2014-2019 Apple iOS security controls bypass */
        {"CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6, "MEDIUM"},
        /* temporal and environmental metrics are accepted and leave the base score */
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C/CR:H/MAV:L/MS:C", 9.8,
         "CRITICAL"},
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, "NONE"},
    };

    (void)state;
    CHECK(v, FTH_CVSS_V3_0);
}

static void test_cvss_v31(void **state)
{
    static const struct vec v[] = {
        /* CVSS v3.1 Examples (unchanged from 3.0): XSS, SQL injection, POODLE, Heartbleed */
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "MEDIUM"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, "MEDIUM"},
        {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, "LOW"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "HIGH"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"},
        /* RedHatProductSecurity/cvss tests/vectors_simple31, base column */
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "CRITICAL"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:L/A:L", 9.9, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N", 8.6, "HIGH"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:L/A:L", 8.3, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0.0, "NONE"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:L", 8.6, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L", 7.3, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 5.3, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:N/A:N", 4.7, "MEDIUM"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:L", 6.3, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:L", 4.3, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:N/A:N", 5.0, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N", 5.4, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H", 9.0, "CRITICAL"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:N/A:N", 4.1, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:N/A:N", 3.5, "LOW"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:H", 8.0, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 9.1, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:L/I:L/A:L", 6.6, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2, "HIGH"},
        {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:L/A:L", 6.0, NULL},
        {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N", 4.9, NULL},
        /* any order, extra metrics ignored for the base score */
        {"CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N/E:U/RL:W/RC:R/IR:L/MPR:H", 9.8, NULL},
    };

    (void)state;
    CHECK(v, FTH_CVSS_V3_1);
}

static void test_cvss_v40(void **state)
{
    static const struct vec v[] = {
        /* the specification document's all-High network vector, and the maximum */
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "CRITICAL"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0, "CRITICAL"},
        /* RedHatProductSecurity/cvss tests/vectors_simple4 (FIRST calculator scores) */
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L", 9.2, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L", 7.8, "HIGH"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:L/SA:N", 6.9, "MEDIUM"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H", 7.9, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:N/VA:L/SC:N/SI:H/SA:N", 8.3, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:L/SI:N/SA:L", 5.3, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.6, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:N/SC:N/SI:L/SA:L", 8.5, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", 5.1, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:L/SC:N/SI:L/SA:N", 7.1, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:H/SI:L/SA:L", 6.4, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:H/VA:H/SC:N/SI:N/SA:L", 7.2, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L", 7.0, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H", 9.3, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:N/VI:L/VA:L/SC:L/SI:L/SA:H", 6.2, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:L/SC:L/SI:H/SA:N", 9.3, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:L/SC:L/SI:L/SA:N", 5.1, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:P/VC:L/VI:L/VA:N/SC:L/SI:N/SA:N", 4.8, "MEDIUM"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:A/VC:L/VI:N/VA:N/SC:H/SI:N/SA:H", 6.0, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H", 6.2, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H", 9.5, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:N/VA:N/SC:L/SI:L/SA:H", 9.0, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:L/VA:L/SC:H/SI:L/SA:L", 7.0, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:L/VI:L/VA:N/SC:H/SI:N/SA:N", 4.9, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N", 2.1, "LOW"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N", 2.3, "LOW"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:A/VC:H/VI:H/VA:L/SC:L/SI:L/SA:L", 7.3, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:A/VC:L/VI:L/VA:N/SC:N/SI:H/SA:L", 4.5, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:N/VC:N/VI:L/VA:L/SC:H/SI:H/SA:H", 5.5, NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N", 1.8, "LOW"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:N/VA:H/SC:L/SI:N/SA:L", 5.6, NULL},
        {"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:H/SA:L", 9.4, NULL},
        {"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", 2.1, NULL},
        {"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:N/VC:H/VI:L/VA:H/SC:H/SI:H/SA:L", 7.3, NULL},
        {"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:P/VC:H/VI:H/VA:H/SC:H/SI:L/SA:H", 8.8, NULL},
        {"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:A/VC:L/VI:L/VA:L/SC:H/SI:H/SA:H", 5.2, NULL},
        {"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N", 4.0, "MEDIUM"},
        {"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:L/SA:N", 9.5, NULL},
        {"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:H/SA:L", 7.0, NULL},
        /* tests/vectors_threat4: E changes the score, E:A is the base case */
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:A", 0.0, "NONE"},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A", 7.3, NULL},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P", 5.9, NULL},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 4.1, NULL},
        /* tests/vectors_security4: the security requirements */
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:H", 7.3,
         NULL},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:M", 7.2,
         NULL},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:M/AR:L", 7.1,
         NULL},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:M/AR:M", 5.5,
         NULL},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:M/AR:H", 7.1,
         NULL},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L", 5.4,
         NULL},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/CR:L/IR:L/AR:L", 0.0,
         "NONE"},
    };

    (void)state;
    CHECK(v, FTH_CVSS_V4_0);
}

/*
 * Properties the v4.0 method guarantees, checked without a reference score: X equals
 * leaving a metric out, a modified metric equal to the base value changes nothing,
 * supplemental metrics never change the score.
 */
static void test_cvss_v40_equivalences(void **state)
{
    static const char *const same[][2] = {
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:L/SI:N/SA:N",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:L/SI:N/SA:N/E:X/CR:X/MAV:X"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:L/SI:N/SA:N",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:L/SI:N/SA:N/E:A/MVC:H/MSC:L"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:L/SI:N/SA:N",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:L/SI:N/SA:N/S:P/AU:Y/R:I/V:C/RE:H/"
         "U:Amber"},
        /* a modified metric replaces its base metric */
        {"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:N/VC:L/VI:H/VA:N/SC:N/SI:L/SA:N",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/MAV:L/MAC:H/MPR:L/"
         "MVC:L/MSI:L"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        struct fth_cvss a, b;

        assert_int_equal(fth_cvss_parse(&a, same[i][0], NULL), 0);
        assert_int_equal(fth_cvss_parse(&b, same[i][1], NULL), 0);
        if (a.base_score != b.base_score)
            fail_msg("%s: %.1f but %s: %.1f", same[i][0], a.base_score, same[i][1], b.base_score);
    }
}

/* MSI:S / MSA:S (safety) put the vector in EQ4 level 0: at least the score without it */
static void test_cvss_v40_safety(void **state)
{
    struct fth_cvss a, b;

    (void)state;
    assert_int_equal(
        fth_cvss_parse(&a, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", NULL),
        0);
    assert_int_equal(fth_cvss_parse(&b,
                                    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/"
                                    "SA:H/MSI:S/MSA:S",
                                    NULL),
                     0);
    assert_true(b.base_score >= a.base_score);
    assert_true(b.base_score <= 10.0);
}

static void test_cvss_invalid(void **state)
{
    static const struct {
        const char *vector;
        const char *in_message;
    } bad[] = {
        {"", "empty"},
        {"CVSS:3.1", "no metrics"},
        {"CVSS:3.1/", "no metrics"},
        {"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "'CVSS:3.2'"},
        {"CVSS:5.0/AV:N", "'CVSS:5.0'"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "missing metric 'A'"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H", "duplicate metric 'A'"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", "unknown metric 'XX'"},
        {"CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "bad value 'Q' for metric 'AV'"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "empty metric"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:", "bad value '' for metric 'A'"},
        {"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "expected 'metric:value'"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Z", "metric 'E'"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/Au:N", "unknown metric 'Au'"},
        {"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'cvss'"},
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H", "metric 'S'"},
        {"AV:N/AC:L/Au:N/C:P/I:P", "missing metric 'A'"},
        {"AV:N/AC:L/Au:N/C:P/I:P/A:H", "bad value 'H' for metric 'A'"},
        {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'PR'"},
        {"(AV:N/AC:L/Au:N/C:P/I:P/A:P", "unknown metric '(AV'"},
        {"(CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)", "parentheses"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", "missing metric 'SA'"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",
         "bad value 'S' for metric 'SI'"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S",
         "bad value 'S' for metric 'MSC'"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:amber", "metric 'U'"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:F", "metric 'E'"},
        {"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "bad value 'U' for metric 'S'"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/E:A",
         "duplicate metric 'E'"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:HH", "bad value 'HH'"},
        {" CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric ' CVSS'"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct fth_cvss c = {FTH_CVSS_V2, 4.2, "UNTOUCHED"};
        struct fth_error err;

        fth_error_clear(&err);
        if (fth_cvss_parse(&c, bad[i].vector, &err) != FTH_EINVALID)
            fail_msg("'%s' was accepted", bad[i].vector);
        assert_int_equal(err.code, FTH_EINVALID);
        if (!strstr(err.message, bad[i].in_message))
            fail_msg("'%s': message '%s' lacks '%s'", bad[i].vector, err.message,
                     bad[i].in_message);
        assert_string_equal(c.severity, "UNTOUCHED");
        /* NULL err is allowed */
        assert_int_equal(fth_cvss_parse(&c, bad[i].vector, NULL), FTH_EINVALID);
    }
    assert_int_equal(fth_cvss_parse(&(struct fth_cvss){FTH_CVSS_V2, 0, NULL}, NULL, NULL),
                     FTH_EINVALID);
}

static void test_cvss_severity(void **state)
{
    (void)state;
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V3_1, 0.0), "NONE");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V3_1, 0.1), "LOW");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V3_1, 3.9), "LOW");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V3_1, 4.0), "MEDIUM");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V3_0, 6.9), "MEDIUM");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V4_0, 7.0), "HIGH");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V4_0, 8.9), "HIGH");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V4_0, 9.0), "CRITICAL");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V2, 0.0), "LOW");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V2, 3.9), "LOW");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V2, 4.0), "MEDIUM");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V2, 7.0), "HIGH");
    assert_string_equal(fth_cvss_severity(FTH_CVSS_V2, 10.0), "HIGH");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cvss_v2),
        cmocka_unit_test(test_cvss_v30),
        cmocka_unit_test(test_cvss_v31),
        cmocka_unit_test(test_cvss_v40),
        cmocka_unit_test(test_cvss_v40_equivalences),
        cmocka_unit_test(test_cvss_v40_safety),
        cmocka_unit_test(test_cvss_invalid),
        cmocka_unit_test(test_cvss_severity),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
