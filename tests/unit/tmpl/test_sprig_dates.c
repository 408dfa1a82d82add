/*
 * Sprig dates with fixed times: Go layouts, zones (UTC, fixed TZif zones), toDate parsing and
 * its errors, dateModify, durations, unixEpoch; now/ago only by shape.
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
#include <stdlib.h>

static void test_sprig_dates_format(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    /* 1700000000 = 2023-11-14 22:13:20 UTC, a Tuesday; Go ints (int64 via int64) are Unix times */
    EXPECT("{{ date \"2006-01-02 15:04:05\" (int64 1700000000) }}", NULL, "2023-11-14 22:13:20");
    EXPECT(
        "{{ dateInZone \"Mon Jan _2 3:4:5 PM MST 06 -07:00 Z0700\" (int64 1700000000) \"UTC\" }}",
        NULL, "Tue Nov 14 10:13:20 PM UTC 23 +00:00 Z");
    EXPECT("{{ dateInZone \"Monday January 2 2006 15h -0700 MST\" (int64 1700000000) "
           "\"America/New_York\" }}",
           NULL, "Tuesday November 14 2023 17h -0500 EST");
    EXPECT("{{ dateInZone \"2006-01-02T15:04:05Z07:00\" (int64 1690000000) \"Europe/Berlin\" }}",
           NULL, "2023-07-22T06:26:40+02:00");
    EXPECT("{{ dateInZone \"02.01.2006 002\" (int64 0) \"Nowhere/Land\" }}", NULL,
           "01.01.1970 001");
    EXPECT("{{ htmlDate (int64 1700000000) }} {{ htmlDateInZone (int64 1700000000) \"Asia/Tokyo\" "
           "}}",
           NULL, "2023-11-14 2023-11-15");
    EXPECT("{{ $t := toDate \"2006-01-02 15:04:05.000\" \"2024-02-29 08:09:10.123\" }}"
           "{{ $t }}|{{ date \"Jan 2, 2006 at 3:04pm (MST) .000 .999\" $t }}|{{ unixEpoch $t }}",
           NULL,
           "2024-02-29 08:09:10.123 +0000 UTC|Feb 29, 2024 at 8:09am (UTC) .123 .123|1709194150");
    EXPECT("{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2024-01-02T03:04:05+05:30\" | unixEpoch }}",
           NULL, "1704144845");
    EXPECT("{{ toDate \"2006-01-02\" \"junk\" }}", NULL, "0001-01-01 00:00:00 +0000 UTC");
    EXPECT("{{ mustToDate \"2006-01-02\" \"2024-13-01\" }}", NULL,
           CALL_ERR("mustToDate \"2006-01-02\" \"2024-13-01\"", "mustToDate",
                    "parsing time \"2024-13-01\": month out of range"));
    EXPECT(
        "{{ mustToDate \"2006-01-02\" \"x2024\" }}", NULL,
        CALL_ERR("mustToDate \"2006-01-02\" \"x2024\"", "mustToDate",
                 "parsing time \"x2024\" as \"2006-01-02\": cannot parse \"x2024\" as \"2006\""));
}

static void test_sprig_dates_modify_duration(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    EXPECT("{{ toDate \"2006-01-02\" \"2024-01-01\" | dateModify \"-1.5h\" }}", NULL,
           "2023-12-31 22:30:00 +0000 UTC");
    EXPECT("{{ toDate \"2006-01-02\" \"2024-01-01\" | dateModify \"bogus\" | unixEpoch }}", NULL,
           "1704067200");
    EXPECT("{{ toDate \"2006-01-02\" \"2024-01-01\" | mustDateModify \"2x\" }}", NULL,
           "ERR: template: t:1:38: executing \"t\" at <mustDateModify \"2x\">: error calling "
           "mustDateModify: time: unknown unit \"x\" in duration \"2x\"");
    EXPECT("{{ duration \"95\" }} {{ duration (int64 3661) }} {{ duration 95 }} {{ duration \"-1\" "
           "}}",
           NULL, "1m35s 1h1m1s 0s -1s");
    EXPECT("{{ durationRound \"2h10m5s\" }} {{ durationRound \"400h\" }} {{ durationRound "
           "\"9000h\" }} {{ durationRound \"1s\" }} {{ durationRound \"1.5s\" }}",
           NULL, "2h 16d 1y 0s 1s");
    EXPECT("{{ durationRound (int64 3000000000) }} {{ durationRound \"-1m30s\" }}", NULL, "3s 1m");
    EXPECT("{{ now | date \"2006\" | len }} {{ ago now }} {{ kindOf (now | dateModify \"1h\") }}",
           NULL, "4 0s struct");
    EXPECT("{{ typeOf now }}", NULL, "time.Time");
    EXPECT("{{ unixEpoch \"x\" }}", NULL,
           CALL_ERR("unixEpoch \"x\"", "unixEpoch",
                    "wrong type for value; expected time.Time; got string"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprig_dates_format),
        cmocka_unit_test(test_sprig_dates_modify_duration),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
