/*
 * Sprig's date functions with Go's time package semantics: Format/Parse with Go's reference
 * layouts ("2006-01-02 15:04:05.000 MST"), zones from the system's zoneinfo (TZif) files, UTC
 * and the process's Local zone (TZ, else /etc/localtime), Duration.String and ParseDuration.
 * A time.Time is an opaque value (struct tmpl_time) printing as Go's Time.String().
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "sprig_int.h"

/* ---- civil calendar ---- */

static int64_t floordiv(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;
    y -= m <= 2;
    era = floordiv(y, 400);
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

struct civil {
    int64_t year;
    int month, day, hour, min, sec, wday, yday;
};

static void civil_from(struct civil *c, int64_t secs)
{
    int64_t days = floordiv(secs, 86400), rem = secs - days * 86400, z = days + 719468, era;
    unsigned doe, yoe, doy, mp;
    era = floordiv(z, 146097);
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->year = (int64_t)yoe + era * 400 + (c->month <= 2);
    c->hour = (int)(rem / 3600);
    c->min = (int)(rem % 3600 / 60);
    c->sec = (int)(rem % 60);
    c->wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    c->yday = (int)(days - days_from_civil(c->year, 1, 1)) + 1;
}

static const char *const months[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};
static const char *const wdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                    "Thursday", "Friday", "Saturday"};

/* ---- zones ---- */

struct zone {
    const char *name; /* Go's Location name */
    int fixed;        /* no transitions: off/abbr below */
    int32_t off;
    const char *abbr;
    /* TZif data */
    int64_t *trans;
    unsigned char *idx;
    size_t ntrans;
    int32_t *toff;
    unsigned char *tdst;
    const char **tabbr;
    size_t ntypes;
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A TZif file (v1 or v2+, 64-bit data used when present) into z; 0 when unusable. */
static int load_tzif(struct zone *z, struct fth_arena *a, const unsigned char *d, size_t n)
{
    size_t cnt[6], i, off = 44, tsize = 4;
    const unsigned char *p;
    const char *chars;
    if (n < 44 || memcmp(d, "TZif", 4))
        return 0;
    for (i = 0; i < 6; i++)
        cnt[i] = be32(d + 20 + 4 * i);
    if (d[4] >= '2') {
        /* skip the v1 block to the v2 header */
        size_t v1 = cnt[3] * 5 + cnt[4] * 6 + cnt[5] + cnt[2] * 8 + cnt[1] + cnt[0];
        if (off + v1 + 44 > n || memcmp(d + off + v1, "TZif", 4))
            return 0;
        d += off + v1;
        n -= off + v1;
        for (i = 0; i < 6; i++)
            cnt[i] = be32(d + 20 + 4 * i);
        tsize = 8;
    }
    if (cnt[3] > 100000 || cnt[4] == 0 || cnt[4] > 256 || cnt[5] > 100000 ||
        off + cnt[3] * (tsize + 1) + cnt[4] * 6 + cnt[5] > n)
        return 0;
    z->ntrans = cnt[3];
    z->ntypes = cnt[4];
    z->trans = fth_arena_calloc(a, z->ntrans + 1, sizeof(*z->trans));
    z->idx = fth_arena_calloc(a, z->ntrans + 1, 1);
    z->toff = fth_arena_calloc(a, z->ntypes, sizeof(*z->toff));
    z->tdst = fth_arena_calloc(a, z->ntypes, 1);
    z->tabbr = fth_arena_calloc(a, z->ntypes, sizeof(*z->tabbr));
    if (!z->trans || !z->idx || !z->toff || !z->tdst || !z->tabbr)
        return 0;
    p = d + off;
    for (i = 0; i < z->ntrans; i++, p += tsize) {
        if (tsize == 8)
            z->trans[i] = (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
        else
            z->trans[i] = (int32_t)be32(p);
    }
    for (i = 0; i < z->ntrans; i++, p++) {
        if (*p >= z->ntypes)
            return 0;
        z->idx[i] = *p;
    }
    chars = (const char *)p + z->ntypes * 6;
    for (i = 0; i < z->ntypes; i++, p += 6) {
        size_t ai = p[5];
        z->toff[i] = (int32_t)be32(p);
        z->tdst[i] = p[4];
        if (ai >= cnt[5])
            return 0;
        z->tabbr[i] = fth_arena_strndup(a, chars + ai, strnlen(chars + ai, cnt[5] - ai));
        if (!z->tabbr[i])
            return 0;
    }
    return 1;
}

static void zone_lookup(const struct zone *z, int64_t t, int32_t *off, const char **abbr)
{
    size_t lo = 0, hi, ti = 0;
    if (z->fixed || z->ntypes == 0) {
        *off = z->off;
        *abbr = z->abbr;
        return;
    }
    if (z->ntrans == 0 || t < z->trans[0]) {
        /* before the first transition: the first standard-time type */
        for (ti = 0; ti < z->ntypes && z->tdst[ti]; ti++)
            ;
        if (ti == z->ntypes)
            ti = 0;
    } else {
        hi = z->ntrans;
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (t < z->trans[mid])
                hi = mid;
            else
                lo = mid;
        }
        ti = z->idx[lo];
    }
    *off = z->toff[ti];
    *abbr = z->tabbr[ti];
}

static int load_file_zone(struct zone *z, struct fth_arena *a, const char *path)
{
    struct fth_buf b = FTH_BUF_INIT;
    int ok = 0;
    if (fth_file_read(&b, path, (size_t)1 << 20, NULL) == 0)
        ok = load_tzif(z, a, (const unsigned char *)b.ptr, b.len);
    fth_buf_release(&b);
    return ok;
}

static void set_utc(struct zone *z)
{
    memset(z, 0, sizeof(*z));
    z->name = "UTC";
    z->fixed = 1;
    z->abbr = "UTC";
}

/* time.LoadLocation; 0 when the name is not a zone (Sprig then uses UTC) */
static int load_location(struct zone *z, struct fth_arena *a, const char *name)
{
    char path[512];
    const char *dir = getenv("ZONEINFO");
    memset(z, 0, sizeof(*z));
    if (!*name || !strcmp(name, "UTC")) {
        set_utc(z);
        return 1;
    }
    if (!strcmp(name, "Local")) {
        const char *tz = getenv("TZ");
        z->name = "Local";
        if (tz && !*tz) {
            set_utc(z);
            z->name = "Local";
            return 1;
        }
        if (tz) {
            struct zone t;
            if (*tz == ':')
                tz++;
            if (load_location(&t, a, tz) && strcmp(tz, "Local")) {
                *z = t;
                z->name = "Local";
                return 1;
            }
            set_utc(z);
            z->name = "Local";
            return 1;
        }
        if (!load_file_zone(z, a, "/etc/localtime")) {
            set_utc(z);
        }
        z->name = "Local";
        return 1;
    }
    if (name[0] == '/' || strstr(name, "..") || strlen(name) > 200)
        return 0;
    z->name = fth_arena_strdup(a, name);
    if (dir && *dir) {
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        if (load_file_zone(z, a, path))
            return 1;
    }
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
    return load_file_zone(z, a, path);
}

/* ---- time.Time values ---- */

static const char *const TIME_T = "time.Time";

const struct tmpl_time *sprig_time_of(const struct fth_value *v)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    if (!e || e->kind != FTH_TMPL_EXT_OPAQUE || !e->type_name || strcmp(e->type_name, TIME_T))
        return NULL;
    return e->data;
}

static int format_time(struct fth_buf *b, const struct tmpl_time *t, const char *layout, size_t ln);

#define STRING_LAYOUT "2006-01-02 15:04:05.999999999 -0700 MST"

static struct fth_value *time_value(struct fth_arena *a, int64_t unix, int32_t nsec, int32_t off,
                                    const char *zone, const char *mono)
{
    struct tmpl_time *t = fth_arena_alloc(a, sizeof(*t));
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_tmpl_ext *e;
    char *text;
    if (!t)
        return NULL;
    t->unix = unix;
    t->nsec = nsec;
    t->utc_off = off;
    t->zone = zone ? zone : "";
    if (format_time(&b, t, STRING_LAYOUT, strlen(STRING_LAYOUT)) < 0 ||
        (mono && fth_buf_puts(&b, mono) < 0)) {
        fth_buf_release(&b);
        return NULL;
    }
    text = fth_arena_strndup(a, b.ptr, b.len);
    fth_buf_release(&b);
    if (!text || !(e = fth_tmpl_opaque_new(a, FTH_VALUE_STRING, TIME_T, text, t)))
        return NULL;
    e->v.u.str.ptr = text;
    e->v.u.str.len = strlen(text);
    return &e->v;
}

struct fth_value *sprig_time_new(struct fth_arena *a, int64_t unix, int32_t nsec, int32_t off,
                                 const char *zone)
{
    return time_value(a, unix, nsec, off, zone, NULL);
}

/* ---- Format ---- */

enum std {
    S_NONE,
    S_LONG_MONTH,
    S_MONTH,
    S_NUM_MONTH,
    S_ZERO_MONTH,
    S_LONG_WDAY,
    S_WDAY,
    S_DAY,
    S_UNDER_DAY,
    S_ZERO_DAY,
    S_UNDER_YDAY,
    S_ZERO_YDAY,
    S_HOUR,
    S_HOUR12,
    S_ZERO_HOUR12,
    S_MINUTE,
    S_ZERO_MINUTE,
    S_SECOND,
    S_ZERO_SECOND,
    S_LONG_YEAR,
    S_YEAR,
    S_PM,
    S_pm,
    S_TZ,
    S_ISO_TZ,
    S_ISO_SECONDS_TZ,
    S_ISO_SHORT_TZ,
    S_ISO_COLON_TZ,
    S_ISO_COLON_SECONDS_TZ,
    S_NUM_TZ,
    S_NUM_SECONDS_TZ,
    S_NUM_SHORT_TZ,
    S_NUM_COLON_TZ,
    S_NUM_COLON_SECONDS_TZ,
    S_FRAC0,
    S_FRAC9,
};

static int starts(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && !memcmp(s, lit, k);
}

static int is_digit_at(const char *s, size_t n, size_t i)
{
    return i < n && s[i] >= '0' && s[i] <= '9';
}

/* Go's nextStdChunk: the first std chunk at or after l[*i]; *prefix its offset, *len its size,
 * *digits the fraction width */
static enum std next_std(const char *l, size_t n, size_t *at, size_t *len, int *digits)
{
    size_t i;
    for (i = *at; i < n; i++) {
        const char *s = l + i;
        size_t r = n - i;
        *at = i;
        switch (l[i]) {
        case 'J':
            if (starts(s, r, "Jan")) {
                if (starts(s, r, "January")) {
                    *len = 7;
                    return S_LONG_MONTH;
                }
                if (!(r > 3 && s[3] >= 'a' && s[3] <= 'z')) {
                    *len = 3;
                    return S_MONTH;
                }
            }
            break;
        case 'M':
            if (starts(s, r, "Mon")) {
                if (starts(s, r, "Monday")) {
                    *len = 6;
                    return S_LONG_WDAY;
                }
                if (!(r > 3 && s[3] >= 'a' && s[3] <= 'z')) {
                    *len = 3;
                    return S_WDAY;
                }
            }
            if (starts(s, r, "MST")) {
                *len = 3;
                return S_TZ;
            }
            break;
        case '0':
            if (r >= 2 && s[1] >= '1' && s[1] <= '6') {
                static const enum std z[] = {S_NONE,        S_ZERO_MONTH,  S_ZERO_DAY,
                                             S_ZERO_HOUR12, S_ZERO_MINUTE, S_ZERO_SECOND,
                                             S_YEAR};
                *len = 2;
                return z[s[1] - '0'];
            }
            if (starts(s, r, "002")) {
                *len = 3;
                return S_ZERO_YDAY;
            }
            break;
        case '1':
            if (r >= 2 && s[1] == '5') {
                *len = 2;
                return S_HOUR;
            }
            *len = 1;
            return S_NUM_MONTH;
        case '2':
            if (starts(s, r, "2006")) {
                *len = 4;
                return S_LONG_YEAR;
            }
            *len = 1;
            return S_DAY;
        case '_':
            if (r >= 2 && s[1] == '2') {
                if (r >= 5 && !memcmp(s + 1, "2006", 4)) {
                    *at = i + 1;
                    *len = 4;
                    return S_LONG_YEAR;
                }
                *len = 2;
                return S_UNDER_DAY;
            }
            if (r >= 3 && s[1] == '_' && s[2] == '2') {
                *len = 3;
                return S_UNDER_YDAY;
            }
            break;
        case '3':
            *len = 1;
            return S_HOUR12;
        case '4':
            *len = 1;
            return S_MINUTE;
        case '5':
            *len = 1;
            return S_SECOND;
        case 'P':
            if (r >= 2 && s[1] == 'M') {
                *len = 2;
                return S_PM;
            }
            break;
        case 'p':
            if (r >= 2 && s[1] == 'm') {
                *len = 2;
                return S_pm;
            }
            break;
        case '-':
            if (starts(s, r, "-070000")) {
                *len = 7;
                return S_NUM_SECONDS_TZ;
            }
            if (starts(s, r, "-07:00:00")) {
                *len = 9;
                return S_NUM_COLON_SECONDS_TZ;
            }
            if (starts(s, r, "-0700")) {
                *len = 5;
                return S_NUM_TZ;
            }
            if (starts(s, r, "-07:00")) {
                *len = 6;
                return S_NUM_COLON_TZ;
            }
            if (starts(s, r, "-07")) {
                *len = 3;
                return S_NUM_SHORT_TZ;
            }
            break;
        case 'Z':
            if (starts(s, r, "Z070000")) {
                *len = 7;
                return S_ISO_SECONDS_TZ;
            }
            if (starts(s, r, "Z07:00:00")) {
                *len = 9;
                return S_ISO_COLON_SECONDS_TZ;
            }
            if (starts(s, r, "Z0700")) {
                *len = 5;
                return S_ISO_TZ;
            }
            if (starts(s, r, "Z07:00")) {
                *len = 6;
                return S_ISO_COLON_TZ;
            }
            if (starts(s, r, "Z07")) {
                *len = 3;
                return S_ISO_SHORT_TZ;
            }
            break;
        case '.':
        case ',':
            if (r >= 2 && (s[1] == '0' || s[1] == '9')) {
                char ch = s[1];
                size_t j = 1;
                while (j < r && s[j] == ch)
                    j++;
                if (!is_digit_at(s, r, j)) {
                    *len = j;
                    *digits = (int)(j - 1);
                    return ch == '0' ? S_FRAC0 : S_FRAC9;
                }
            }
            break;
        }
    }
    *at = n;
    *len = 0;
    return S_NONE;
}

static int put_int(struct fth_buf *b, int64_t v, int width, char pad)
{
    char tmp[32];
    int n, error = 0;
    if (v < 0) {
        error = fth_buf_putc(b, '-');
        v = -v;
    }
    n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
    while (error == 0 && n < width--)
        error = fth_buf_putc(b, pad);
    return error ? error : fth_buf_put(b, tmp, (size_t)n);
}

static int put_tz(struct fth_buf *b, enum std s, int32_t off)
{
    int32_t z = off / 60, abs_off = off < 0 ? -off : off;
    int error;
    if ((s >= S_ISO_TZ && s <= S_ISO_COLON_SECONDS_TZ) && off == 0)
        return fth_buf_putc(b, 'Z');
    error = fth_buf_putc(b, z < 0 ? '-' : '+');
    if (z < 0)
        z = -z;
    if (error == 0)
        error = put_int(b, z / 60, 2, '0');
    if (error == 0 && (s == S_ISO_COLON_TZ || s == S_NUM_COLON_TZ || s == S_ISO_COLON_SECONDS_TZ ||
                       s == S_NUM_COLON_SECONDS_TZ))
        error = fth_buf_putc(b, ':');
    if (error == 0 && s != S_NUM_SHORT_TZ && s != S_ISO_SHORT_TZ)
        error = put_int(b, z % 60, 2, '0');
    if (error == 0 && (s == S_ISO_SECONDS_TZ || s == S_NUM_SECONDS_TZ ||
                       s == S_ISO_COLON_SECONDS_TZ || s == S_NUM_COLON_SECONDS_TZ)) {
        if (s == S_NUM_COLON_SECONDS_TZ || s == S_ISO_COLON_SECONDS_TZ)
            error = fth_buf_putc(b, ':');
        if (error == 0)
            error = put_int(b, abs_off % 60, 2, '0');
    }
    return error;
}

static int format_time(struct fth_buf *b, const struct tmpl_time *t, const char *l, size_t n)
{
    struct civil c;
    size_t i = 0;
    int error = 0;
    civil_from(&c, t->unix + t->utc_off);
    while (i < n && error == 0) {
        size_t at = i, len = 0;
        int digits = 0, h12;
        enum std s = next_std(l, n, &at, &len, &digits);
        if ((error = fth_buf_put(b, l + i, at - i)) < 0)
            return error;
        if (s == S_NONE)
            break;
        i = at + len;
        switch (s) {
        case S_YEAR:
            error = put_int(b, ((c.year % 100) + 100) % 100, 2, '0');
            break;
        case S_LONG_YEAR:
            error = put_int(b, c.year, 4, '0');
            break;
        case S_MONTH:
            error = fth_buf_put(b, months[c.month - 1], 3);
            break;
        case S_LONG_MONTH:
            error = fth_buf_puts(b, months[c.month - 1]);
            break;
        case S_NUM_MONTH:
            error = put_int(b, c.month, 0, '0');
            break;
        case S_ZERO_MONTH:
            error = put_int(b, c.month, 2, '0');
            break;
        case S_WDAY:
            error = fth_buf_put(b, wdays[c.wday], 3);
            break;
        case S_LONG_WDAY:
            error = fth_buf_puts(b, wdays[c.wday]);
            break;
        case S_DAY:
            error = put_int(b, c.day, 0, '0');
            break;
        case S_UNDER_DAY:
            error = put_int(b, c.day, 2, ' ');
            break;
        case S_ZERO_DAY:
            error = put_int(b, c.day, 2, '0');
            break;
        case S_UNDER_YDAY:
            error = put_int(b, c.yday, 3, ' ');
            break;
        case S_ZERO_YDAY:
            error = put_int(b, c.yday, 3, '0');
            break;
        case S_HOUR:
            error = put_int(b, c.hour, 2, '0');
            break;
        case S_HOUR12:
        case S_ZERO_HOUR12:
            h12 = c.hour % 12;
            if (h12 == 0)
                h12 = 12;
            error = put_int(b, h12, s == S_HOUR12 ? 0 : 2, '0');
            break;
        case S_MINUTE:
            error = put_int(b, c.min, 0, '0');
            break;
        case S_ZERO_MINUTE:
            error = put_int(b, c.min, 2, '0');
            break;
        case S_SECOND:
            error = put_int(b, c.sec, 0, '0');
            break;
        case S_ZERO_SECOND:
            error = put_int(b, c.sec, 2, '0');
            break;
        case S_PM:
            error = fth_buf_puts(b, c.hour >= 12 ? "PM" : "AM");
            break;
        case S_pm:
            error = fth_buf_puts(b, c.hour >= 12 ? "pm" : "am");
            break;
        case S_TZ:
            if (t->zone && *t->zone) {
                error = fth_buf_puts(b, t->zone);
            } else {
                int32_t z = t->utc_off / 60;
                error = fth_buf_putc(b, z < 0 ? '-' : '+');
                if (z < 0)
                    z = -z;
                if (error == 0)
                    error = put_int(b, z / 60, 2, '0');
                if (error == 0)
                    error = put_int(b, z % 60, 2, '0');
            }
            break;
        case S_FRAC0:
        case S_FRAC9: {
            char f[10];
            int k;
            snprintf(f, sizeof(f), "%09d", (int)t->nsec);
            k = digits;
            if (s == S_FRAC9) {
                while (k > 0 && f[k - 1] == '0')
                    k--;
                if (k == 0)
                    break;
            }
            error = fth_buf_putc(b, l[at]);
            if (error == 0)
                error = fth_buf_put(b, f, (size_t)k);
            break;
        }
        default:
            error = put_tz(b, s, t->utc_off);
        }
    }
    return error;
}

/* ---- Parse (ParseInLocation) ---- */

static int parse_num(const char *s, size_t n, size_t *i, int min_d, int max_d, int *out)
{
    int v = 0, d = 0;
    while (*i < n && d < max_d && s[*i] >= '0' && s[*i] <= '9') {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        d++;
    }
    if (d < min_d)
        return 0;
    *out = v;
    return 1;
}

static int parse_name(const char *s, size_t n, size_t *i, const char *const *names, int count,
                      int short_form, int *out)
{
    int k;
    for (k = 0; k < count; k++) {
        size_t len = short_form ? 3 : strlen(names[k]), j;
        if (*i + len > n)
            continue;
        for (j = 0; j < len; j++)
            if ((s[*i + j] | 0x20) != (names[k][j] | 0x20))
                break;
        if (j == len) {
            *i += len;
            *out = k;
            return 1;
        }
    }
    return 0;
}

static int parse_time(struct fth_value **out, struct fth_tmpl_call *call, const char *l, size_t ln,
                      const char *v, size_t vn, const struct zone *loc, const char **err)
{
    int year = 1, month = 1, day = 1, hour = 0, min = 0, sec = 0, pm = 0, pm_set = 0, x = 0;
    int32_t nsec = 0, zoff = 0;
    int have_off = 0, have_abbr = 0;
    const char *abbr = NULL;
    size_t li = 0, vi = 0;
    int64_t unix;
    struct fth_buf e = FTH_BUF_INIT;
    *err = NULL;
    while (li <= ln) {
        size_t at = li, len = 0, vstart;
        int digits = 0, ok = 1;
        enum std s = next_std(l, ln, &at, &len, &digits);
        /* the literal prefix must match */
        if (at - li > vn - vi || memcmp(l + li, v + vi, at - li)) {
            fth_buf_puts(&e, "cannot parse ");
            fth_tmpl_quote(&e, v + vi, vn - vi);
            fth_buf_puts(&e, " as ");
            fth_tmpl_quote(&e, l + li, at - li);
            goto fail;
        }
        vi += at - li;
        if (s == S_NONE) {
            if (vi < vn) {
                fth_buf_puts(&e, "extra text: ");
                fth_tmpl_quote(&e, v + vi, vn - vi);
                goto fail;
            }
            break;
        }
        li = at + len;
        vstart = vi;
        switch (s) {
        case S_YEAR:
            ok = parse_num(v, vn, &vi, 2, 2, &x);
            if (ok)
                year = x >= 69 ? x + 1900 : x + 2000;
            break;
        case S_LONG_YEAR:
            ok = parse_num(v, vn, &vi, 4, 4, &year);
            break;
        case S_MONTH:
            ok = parse_name(v, vn, &vi, months, 12, 1, &x);
            if (ok)
                month = x + 1;
            break;
        case S_LONG_MONTH:
            ok = parse_name(v, vn, &vi, months, 12, 0, &x);
            if (ok)
                month = x + 1;
            break;
        case S_NUM_MONTH:
        case S_ZERO_MONTH:
            ok = parse_num(v, vn, &vi, s == S_ZERO_MONTH ? 2 : 1, 2, &month);
            if (ok && (month < 1 || month > 12)) {
                *err = "month out of range";
                goto range;
            }
            break;
        case S_WDAY:
            ok = parse_name(v, vn, &vi, wdays, 7, 1, &x);
            break;
        case S_LONG_WDAY:
            ok = parse_name(v, vn, &vi, wdays, 7, 0, &x);
            break;
        case S_DAY:
        case S_UNDER_DAY:
        case S_ZERO_DAY:
            if (s == S_UNDER_DAY && vi < vn && v[vi] == ' ')
                vi++;
            ok = parse_num(v, vn, &vi, s == S_ZERO_DAY ? 2 : 1, 2, &day);
            break;
        case S_UNDER_YDAY:
        case S_ZERO_YDAY:
            while (s == S_UNDER_YDAY && vi < vn && v[vi] == ' ')
                vi++;
            ok = parse_num(v, vn, &vi, s == S_ZERO_YDAY ? 3 : 1, 3, &x);
            break;
        case S_HOUR:
            ok = parse_num(v, vn, &vi, 2, 2, &hour);
            if (ok && hour > 23) {
                *err = "hour out of range";
                goto range;
            }
            break;
        case S_HOUR12:
        case S_ZERO_HOUR12:
            ok = parse_num(v, vn, &vi, s == S_ZERO_HOUR12 ? 2 : 1, 2, &hour);
            if (ok && hour > 12) {
                *err = "hour out of range";
                goto range;
            }
            break;
        case S_MINUTE:
        case S_ZERO_MINUTE:
            ok = parse_num(v, vn, &vi, s == S_ZERO_MINUTE ? 2 : 1, 2, &min);
            if (ok && min > 59) {
                *err = "minute out of range";
                goto range;
            }
            break;
        case S_SECOND:
        case S_ZERO_SECOND:
            ok = parse_num(v, vn, &vi, s == S_ZERO_SECOND ? 2 : 1, 2, &sec);
            if (ok && sec > 59) {
                *err = "second out of range";
                goto range;
            }
            /* a fraction after seconds is accepted even when the layout has none */
            if (ok && vi + 1 < vn && (v[vi] == '.' || v[vi] == ',') && v[vi + 1] >= '0' &&
                v[vi + 1] <= '9' && !(li < ln && (l[li] == '.' || l[li] == ','))) {
                int k = 0;
                vi++;
                nsec = 0;
                while (vi < vn && v[vi] >= '0' && v[vi] <= '9') {
                    if (k < 9) {
                        nsec = nsec * 10 + (v[vi] - '0');
                        k++;
                    }
                    vi++;
                }
                while (k++ < 9)
                    nsec *= 10;
            }
            break;
        case S_PM:
        case S_pm:
            if (vn - vi >= 2 && ((v[vi] | 0x20) == 'p' || (v[vi] | 0x20) == 'a') &&
                (v[vi + 1] | 0x20) == 'm') {
                pm = (v[vi] | 0x20) == 'p';
                pm_set = 1;
                vi += 2;
            } else {
                ok = 0;
            }
            break;
        case S_TZ:
            if (vn - vi >= 3 && !memcmp(v + vi, "UTC", 3)) {
                abbr = "UTC";
                vi += 3;
                have_abbr = 1;
            } else {
                size_t k = vi;
                while (k < vn && v[k] >= 'A' && v[k] <= 'Z')
                    k++;
                if (k - vi < 3) {
                    ok = 0;
                } else {
                    abbr = fth_arena_strndup(call->arena, v + vi, k - vi);
                    vi = k;
                    have_abbr = 1;
                }
            }
            break;
        case S_FRAC0:
        case S_FRAC9: {
            int k = 0;
            if (vi >= vn || (v[vi] != '.' && v[vi] != ',')) {
                if (s == S_FRAC9)
                    break;
                ok = 0;
                break;
            }
            vi++;
            nsec = 0;
            while (vi < vn && v[vi] >= '0' && v[vi] <= '9' && (s == S_FRAC9 || k < digits)) {
                if (k < 9)
                    nsec = nsec * 10 + (v[vi] - '0');
                k++;
                vi++;
            }
            if (s == S_FRAC0 && k != digits)
                ok = 0;
            while (k++ < 9)
                nsec *= 10;
            break;
        }
        default: {
            /* numeric zones */
            int hh = 0, mm = 0, ss = 0, sign;
            if ((s >= S_ISO_TZ && s <= S_ISO_COLON_SECONDS_TZ) && vi < vn && v[vi] == 'Z') {
                vi++;
                have_off = 1;
                zoff = 0;
                abbr = "UTC";
                break;
            }
            if (vi >= vn || (v[vi] != '+' && v[vi] != '-')) {
                ok = 0;
                break;
            }
            sign = v[vi++] == '-' ? -1 : 1;
            ok = parse_num(v, vn, &vi, 2, 2, &hh);
            if (ok && s != S_NUM_SHORT_TZ && s != S_ISO_SHORT_TZ) {
                if (s == S_NUM_COLON_TZ || s == S_ISO_COLON_TZ || s == S_NUM_COLON_SECONDS_TZ ||
                    s == S_ISO_COLON_SECONDS_TZ) {
                    ok = vi < vn && v[vi] == ':';
                    vi++;
                }
                ok = ok && parse_num(v, vn, &vi, 2, 2, &mm);
                if (ok && (s == S_NUM_SECONDS_TZ || s == S_ISO_SECONDS_TZ ||
                           s == S_NUM_COLON_SECONDS_TZ || s == S_ISO_COLON_SECONDS_TZ)) {
                    if (s == S_NUM_COLON_SECONDS_TZ || s == S_ISO_COLON_SECONDS_TZ) {
                        ok = vi < vn && v[vi] == ':';
                        vi++;
                    }
                    ok = ok && parse_num(v, vn, &vi, 2, 2, &ss);
                }
            }
            zoff = sign * (hh * 3600 + mm * 60 + ss);
            have_off = 1;
        }
        }
        if (!ok) {
            fth_buf_puts(&e, "cannot parse ");
            fth_tmpl_quote(&e, v + vstart, vn - vstart);
            fth_buf_puts(&e, " as ");
            fth_tmpl_quote(&e, l + at, len);
            goto fail;
        }
    }
    if (pm_set && pm && hour < 12)
        hour += 12;
    else if (pm_set && !pm && hour == 12)
        hour = 0;
    {
        static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        if (day < 1 || day > mdays[month - 1] || (month == 2 && day == 29 && !leap)) {
            *err = "day out of range";
            goto range;
        }
    }
    unix = days_from_civil(year, (unsigned)month, (unsigned)day) * 86400 + hour * 3600 + min * 60 +
           sec;
    fth_buf_release(&e);
    if (have_off) {
        int32_t loff;
        const char *la;
        unix -= zoff;
        zone_lookup(loc, unix, &loff, &la);
        if (loff == zoff && (!abbr || !strcmp(abbr, la)))
            return sprig_ret(out, time_value(call->arena, unix, nsec, loff, la, NULL));
        return sprig_ret(out, time_value(call->arena, unix, nsec, zoff, abbr ? abbr : "", NULL));
    }
    if (have_abbr) {
        int32_t loff;
        const char *la;
        if (!strcmp(abbr, "UTC"))
            return sprig_ret(out, time_value(call->arena, unix, nsec, 0, "UTC", NULL));
        zone_lookup(loc, unix, &loff, &la);
        if (!strcmp(abbr, la))
            return sprig_ret(out, time_value(call->arena, unix - loff, nsec, loff, la, NULL));
        return sprig_ret(out, time_value(call->arena, unix, nsec, 0, abbr, NULL));
    }
    {
        /* a wall clock in loc: the offset in force then */
        int32_t loff;
        const char *la;
        zone_lookup(loc, unix, &loff, &la);
        zone_lookup(loc, unix - loff, &loff, &la);
        return sprig_ret(out, time_value(call->arena, unix - loff, nsec, loff, la, NULL));
    }
range:
    fth_buf_clear(&e);
fail : {
    struct fth_buf m = FTH_BUF_INIT;
    fth_buf_puts(&m, "parsing time ");
    fth_tmpl_quote(&m, v, vn);
    if (*err) {
        fth_buf_puts(&m, ": ");
        fth_buf_puts(&m, *err);
    } else {
        fth_buf_puts(&m, " as ");
        fth_tmpl_quote(&m, l, ln);
        fth_buf_puts(&m, ": ");
        fth_buf_put(&m, e.ptr, e.len);
    }
    *err = fth_arena_strndup(call->arena, m.ptr, m.len);
    fth_buf_release(&m);
    fth_buf_release(&e);
    return FTH_EINVALID;
}
}

/* ---- durations ---- */

static int put_frac(char *buf, int w, uint64_t *v, int prec)
{
    int i, print = 0;
    for (i = 0; i < prec; i++) {
        int digit = (int)(*v % 10);
        print = print || digit != 0;
        if (print)
            buf[--w] = (char)('0' + digit);
        *v /= 10;
    }
    if (print)
        buf[--w] = '.';
    return w;
}

static int put_uint(char *buf, int w, uint64_t v)
{
    if (v == 0)
        buf[--w] = '0';
    while (v > 0) {
        buf[--w] = (char)('0' + v % 10);
        v /= 10;
    }
    return w;
}

/* time.Duration.String */
static int duration_string(struct fth_buf *b, int64_t d)
{
    char buf[40];
    int w = (int)sizeof(buf);
    uint64_t u = (uint64_t)d;
    int neg = d < 0;
    if (neg)
        u = 0 - u;
    if (u < 1000000000ull) {
        int prec = 0;
        buf[--w] = 's';
        if (u == 0)
            return fth_buf_puts(b, "0s");
        if (u < 1000ull) {
            buf[--w] = 'n';
        } else if (u < 1000000ull) {
            prec = 3;
            buf[--w] = (char)0xB5;
            buf[--w] = (char)0xC2;
        } else {
            prec = 6;
            buf[--w] = 'm';
        }
        w = put_frac(buf, w, &u, prec);
        w = put_uint(buf, w, u);
    } else {
        buf[--w] = 's';
        w = put_frac(buf, w, &u, 9);
        w = put_uint(buf, w, u % 60);
        u /= 60;
        if (u > 0) {
            buf[--w] = 'm';
            w = put_uint(buf, w, u % 60);
            u /= 60;
            if (u > 0) {
                buf[--w] = 'h';
                w = put_uint(buf, w, u);
            }
        }
    }
    if (neg)
        buf[--w] = '-';
    return fth_buf_put(b, buf + w, sizeof(buf) - (size_t)w);
}

/* time.ParseDuration: 0 on success, else *bad names the problem */
static int parse_duration(int64_t *out, const char *s0, size_t n, const char **why)
{
    const char *s = s0, *end = s0 + n;
    uint64_t d = 0;
    int neg = 0;
    *why = "invalid";
    if (s < end && (*s == '-' || *s == '+')) {
        neg = *s == '-';
        s++;
    }
    if (end - s == 1 && *s == '0') {
        *out = 0;
        return 0;
    }
    if (s == end)
        return -1;
    while (s < end) {
        uint64_t v = 0, f = 0, scale = 1, unit;
        int pre, post = 0, overflow = 0;
        const char *p = s, *u;
        size_t ul;
        if (!(*s == '.' || (*s >= '0' && *s <= '9')))
            return -1;
        while (s < end && *s >= '0' && *s <= '9') {
            if (v > (UINT64_MAX / 10) - 1)
                return -1;
            v = v * 10 + (uint64_t)(*s++ - '0');
        }
        pre = s != p;
        if (s < end && *s == '.') {
            s++;
            p = s;
            while (s < end && *s >= '0' && *s <= '9') {
                if (!overflow) {
                    if (f > (UINT64_MAX / 10) - 1) {
                        overflow = 1;
                    } else {
                        f = f * 10 + (uint64_t)(*s - '0');
                        scale *= 10;
                    }
                }
                s++;
            }
            post = s != p;
        }
        if (!pre && !post)
            return -1;
        u = s;
        while (s < end && *s != '.' && !(*s >= '0' && *s <= '9'))
            s++;
        ul = (size_t)(s - u);
        if (ul == 0) {
            *why = "missing unit";
            return -1;
        }
        if (ul == 2 && !memcmp(u, "ns", 2))
            unit = 1;
        else if ((ul == 2 && !memcmp(u, "us", 2)) || (ul == 3 && !memcmp(u, "\xC2\xB5s", 3)) ||
                 (ul == 3 && !memcmp(u, "\xCE\xBCs", 3)))
            unit = 1000;
        else if (ul == 2 && !memcmp(u, "ms", 2))
            unit = 1000000;
        else if (ul == 1 && *u == 's')
            unit = 1000000000ull;
        else if (ul == 1 && *u == 'm')
            unit = 60000000000ull;
        else if (ul == 1 && *u == 'h')
            unit = 3600000000000ull;
        else {
            *why = "unknown unit";
            *out = (int64_t)(u - s0) << 16 | (int64_t)ul;
            return -2;
        }
        if (v > (1ull << 63) / unit)
            return -1;
        v *= unit;
        if (f > 0) {
            v += (uint64_t)((double)f * ((double)unit / (double)scale));
            if (v > 1ull << 63)
                return -1;
        }
        d += v;
        if (d > 1ull << 63)
            return -1;
    }
    if (neg) {
        *out = (int64_t)(0 - d);
        return 0;
    }
    if (d > (uint64_t)INT64_MAX)
        return -1;
    *out = (int64_t)d;
    return 0;
}

static int duration_error(struct fth_tmpl_call *call, const char *s, size_t n, int r, int64_t info,
                          const char *why)
{
    struct fth_buf m = FTH_BUF_INIT;
    int error;
    fth_buf_puts(&m, "time: ");
    if (r == -2) {
        fth_buf_puts(&m, "unknown unit ");
        fth_tmpl_quote(&m, s + (info >> 16), (size_t)(info & 0xFFFF));
        fth_buf_puts(&m, " in duration ");
    } else {
        fth_buf_puts(&m, why);
        fth_buf_puts(&m, strcmp(why, "missing unit") ? " duration " : " in duration ");
    }
    fth_tmpl_quote(&m, s, n);
    error = fth_tmpl_fail(call, "%s", m.ptr);
    fth_buf_release(&m);
    return error;
}

/* ---- now and the monotonic clock ---- */

/* Go's monotonic reading ("m=+0.001") counts from process start: the first use here */
static struct timespec mono_start;
static pthread_once_t mono_once = PTHREAD_ONCE_INIT;

static void mono_init(void)
{
    clock_gettime(CLOCK_MONOTONIC, &mono_start);
}

static void now(int64_t *unix, int32_t *nsec, double *mono)
{
    struct timespec ts, mt;
    pthread_once(&mono_once, mono_init);
    clock_gettime(CLOCK_REALTIME, &ts);
    clock_gettime(CLOCK_MONOTONIC, &mt);
    *unix = ts.tv_sec;
    *nsec = (int32_t)ts.tv_nsec;
    *mono =
        (double)(mt.tv_sec - mono_start.tv_sec) + (double)(mt.tv_nsec - mono_start.tv_nsec) / 1e9;
}

/* the argument as Sprig's date functions take it: time.Time, int, int64 (else now) */
static void date_arg(const struct fth_value *v, int64_t *unix, int32_t *nsec)
{
    const struct tmpl_time *t = sprig_time_of(v);
    double mono;
    if (t) {
        *unix = t->unix;
        *nsec = t->nsec;
        return;
    }
    if (v && !fth_tmpl_ext_of(v) && v->type == FTH_VALUE_INT) {
        *unix = v->u.integer;
        *nsec = 0;
        return;
    }
    now(unix, nsec, &mono);
}

SPRIG_FN(f_now)
{
    int64_t unix;
    int32_t nsec, off;
    double mono;
    struct zone z;
    const char *abbr;
    char m[48];
    (void)args;
    SPRIG_UNUSED;
    now(&unix, &nsec, &mono);
    load_location(&z, call->arena, "Local");
    zone_lookup(&z, unix, &off, &abbr);
    snprintf(m, sizeof(m), " m=+%.9f", mono);
    return sprig_ret(out, time_value(call->arena, unix, nsec, off, abbr, m));
}

static int date_in_zone(struct fth_value **out, struct fth_tmpl_call *call, const char *layout,
                        size_t ln, const struct fth_value *date, const char *zone)
{
    struct zone z;
    struct tmpl_time t;
    struct fth_buf b = FTH_BUF_INIT;
    int64_t unix;
    int32_t nsec;
    date_arg(date, &unix, &nsec);
    if (!load_location(&z, call->arena, zone))
        set_utc(&z);
    t.unix = unix;
    t.nsec = nsec;
    zone_lookup(&z, unix, &t.utc_off, &t.zone);
    return sprig_ret_buf(out, call, &b, format_time(&b, &t, layout, ln));
}

SPRIG_FN(f_date)
{
    return date_in_zone(out, call, args[0]->u.str.ptr, args[0]->u.str.len, args[1], "Local");
}

SPRIG_FN(f_date_in_zone)
{
    return date_in_zone(out, call, args[0]->u.str.ptr, args[0]->u.str.len, args[1],
                        args[2]->u.str.ptr);
}

SPRIG_FN(f_html_date)
{
    return date_in_zone(out, call, "2006-01-02", 10, args[0], "Local");
}

SPRIG_FN(f_html_date_in_zone)
{
    return date_in_zone(out, call, "2006-01-02", 10, args[0], args[1]->u.str.ptr);
}

static int need_time(struct fth_tmpl_call *call, const struct fth_value *v,
                     const struct tmpl_time **t)
{
    if (!(*t = sprig_time_of(v)))
        return fth_tmpl_fail(call, "wrong type for value; expected time.Time; got %s",
                             sprig_is_nil(v) ? "<nil>" : fth_tmpl_type_name(v));
    return 0;
}

static int date_modify(struct fth_value **out, struct fth_tmpl_call *call,
                       struct fth_value *const *args, int must)
{
    const struct tmpl_time *t;
    const char *why;
    int64_t d = 0, secs, ns;
    int error, r;
    if ((error = need_time(call, args[1], &t)) < 0)
        return error;
    r = parse_duration(&d, args[0]->u.str.ptr, args[0]->u.str.len, &why);
    if (r < 0) {
        if (must)
            return duration_error(call, args[0]->u.str.ptr, args[0]->u.str.len, r, d, why);
        return sprig_ret(out, args[1]);
    }
    ns = (int64_t)t->nsec + d % 1000000000;
    secs = t->unix + d / 1000000000 + floordiv(ns, 1000000000);
    ns -= floordiv(ns, 1000000000) * 1000000000;
    {
        /* the result keeps the location: recompute the offset there when it has rules */
        return sprig_ret(out,
                         time_value(call->arena, secs, (int32_t)ns, t->utc_off, t->zone, NULL));
    }
}

SPRIG_FN(f_date_modify)
{
    return date_modify(out, call, args, 0);
}

SPRIG_FN(f_must_date_modify)
{
    return date_modify(out, call, args, 1);
}

/* Duration.Round(time.Second) */
static int64_t round_second(int64_t d)
{
    const int64_t m = 1000000000;
    int64_t r = d % m;
    if (d < 0) {
        r = -r;
        if ((uint64_t)r + (uint64_t)r < (uint64_t)m)
            return d + r;
        if (d - m + r < d)
            return d - m + r;
        return INT64_MIN;
    }
    if ((uint64_t)r + (uint64_t)r < (uint64_t)m)
        return d - r;
    if (d + m - r > d)
        return d + m - r;
    return INT64_MAX;
}

static int64_t since(int64_t unix, int32_t nsec)
{
    int64_t nu;
    int32_t nn;
    double mono;
    int64_t ds;
    now(&nu, &nn, &mono);
    /* Go saturates Sub at the largest durations (about 292 years) */
    if ((unix < 0 && nu > INT64_MAX + unix) || (unix > 0 && nu < INT64_MIN + unix))
        return unix < 0 ? INT64_MAX : INT64_MIN;
    ds = nu - unix;
    if (ds > INT64_MAX / 1000000000 - 1)
        return INT64_MAX;
    if (ds < INT64_MIN / 1000000000 + 1)
        return INT64_MIN;
    return ds * 1000000000 + (nn - nsec);
}

SPRIG_FN(f_ago)
{
    struct fth_buf b = FTH_BUF_INIT;
    int64_t unix;
    int32_t nsec;
    date_arg(args[0], &unix, &nsec);
    return sprig_ret_buf(out, call, &b, duration_string(&b, round_second(since(unix, nsec))));
}

SPRIG_FN(f_duration)
{
    struct fth_buf b = FTH_BUF_INIT;
    const struct fth_value *v = args[0];
    int64_t n = 0;
    if (v && !fth_tmpl_ext_of(v)) {
        if (v->type == FTH_VALUE_STRING && !(v->flags & FTH_TMPL_VALUE_BYTES)) {
            if (!sprig_parse_int(&n, v->u.str.ptr, v->u.str.len, 10))
                n = 0;
        } else if (v->type == FTH_VALUE_INT && (v->flags & FTH_TMPL_VALUE_INT64)) {
            n = v->u.integer;
        }
    }
    return sprig_ret_buf(out, call, &b,
                         duration_string(&b, (int64_t)((uint64_t)n * 1000000000ull)));
}

SPRIG_FN(f_duration_round)
{
    const struct fth_value *v = args[0];
    const struct tmpl_time *t = sprig_time_of(v);
    int64_t d = 0;
    uint64_t u;
    const char *why;
    char buf[40];
    static const struct {
        uint64_t unit;
        const char *suffix;
    } steps[] = {
        {3600ull * 24 * 365 * 1000000000ull, "y"},
        {3600ull * 24 * 30 * 1000000000ull, "mo"},
        {3600ull * 24 * 1000000000ull, "d"},
        {3600ull * 1000000000ull, "h"},
        {60ull * 1000000000ull, "m"},
        {1000000000ull, "s"},
    };
    size_t i;
    if (t)
        d = since(t->unix, t->nsec);
    else if (v && !fth_tmpl_ext_of(v) && v->type == FTH_VALUE_STRING) {
        if (parse_duration(&d, v->u.str.ptr, v->u.str.len, &why) < 0)
            d = 0;
    } else if (v && !fth_tmpl_ext_of(v) && v->type == FTH_VALUE_INT &&
               (v->flags & FTH_TMPL_VALUE_INT64))
        d = v->u.integer;
    u = (uint64_t)d;
    if (d < 0)
        u = 0 - u;
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (u > steps[i].unit) {
            snprintf(buf, sizeof(buf), "%llu%s", (unsigned long long)(u / steps[i].unit),
                     steps[i].suffix);
            return sprig_ret_str(out, call, buf, strlen(buf));
        }
    return sprig_ret_str(out, call, "0s", 2);
}

static int to_date(struct fth_value **out, struct fth_tmpl_call *call,
                   struct fth_value *const *args, int must)
{
    struct zone z;
    const char *err = NULL;
    int error;
    load_location(&z, call->arena, "Local");
    error = parse_time(out, call, args[0]->u.str.ptr, args[0]->u.str.len, args[1]->u.str.ptr,
                       args[1]->u.str.len, &z, &err);
    if (error == FTH_EINVALID) {
        if (must)
            return fth_tmpl_fail(call, "%s", err ? err : "parsing time");
        /* the zero time.Time */
        return sprig_ret(out, time_value(call->arena, -62135596800LL, 0, 0, "UTC", NULL));
    }
    return error;
}

SPRIG_FN(f_to_date)
{
    return to_date(out, call, args, 0);
}

SPRIG_FN(f_must_to_date)
{
    return to_date(out, call, args, 1);
}

SPRIG_FN(f_unix_epoch)
{
    const struct tmpl_time *t;
    char buf[32];
    int error;
    if ((error = need_time(call, args[0], &t)) < 0)
        return error;
    snprintf(buf, sizeof(buf), "%lld", (long long)t->unix);
    return sprig_ret_str(out, call, buf, strlen(buf));
}

const struct fth_tmpl_func tmpl_sprig_dates[] = {
    {"ago", "a", f_ago, NULL},
    {"date", "sa", f_date, NULL},
    {"date_in_zone", "sas", f_date_in_zone, NULL},
    {"date_modify", "sa", f_date_modify, NULL},
    {"dateInZone", "sas", f_date_in_zone, NULL},
    {"dateModify", "sa", f_date_modify, NULL},
    {"duration", "a", f_duration, NULL},
    {"durationRound", "a", f_duration_round, NULL},
    {"htmlDate", "a", f_html_date, NULL},
    {"htmlDateInZone", "as", f_html_date_in_zone, NULL},
    {"must_date_modify", "sa", f_must_date_modify, NULL},
    {"mustDateModify", "sa", f_must_date_modify, NULL},
    {"mustToDate", "ss", f_must_to_date, NULL},
    {"now", "", f_now, NULL},
    {"toDate", "ss", f_to_date, NULL},
    {"unixEpoch", "a", f_unix_epoch, NULL},
    {NULL, NULL, NULL, NULL},
};
