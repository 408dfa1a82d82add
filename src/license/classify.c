/*
 * Licence text classification. A text becomes the set of hashes of its word 3-grams after
 * normalisation (ASCII lower case, words of letters and digits only, "licence" read as
 * "license", lines that start with a copyright statement left out), so case, punctuation,
 * wrapping and the copyright holder do not matter. Against each reference text:
 *   Dice = 2|A∩B| / (|A|+|B|) says the text is that licence;
 *   coverage = |A∩B| / |B| says the text contains that whole licence (a copyright file that
 *   quotes it among other things).
 * The reference sets are built once, on first use, and never change after.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "license_int.h"
#include "../base/limits.h"
#include "../base/banned.h"

/* Coverage at or above which a longer text is taken to contain the licence, and the fewest
 * 3-grams a licence needs for that (a short text is found by chance too easily). */
#define COVERAGE_THRESHOLD 0.9
#define COVERAGE_MIN_GRAMS 40
/* Coverages this close count as a tie, won by the longer licence (BSD-3 over BSD-2). */
#define COVERAGE_TIE 0.02

struct gramset {
    uint64_t *h;
    size_t n;
};

static struct gramset *refs;
static pthread_once_t refs_once = PTHREAD_ONCE_INIT;

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;

    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)tolower((unsigned char)s[i]);
        h *= 1099511628211ULL;
    }
    return h;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

    return a < b ? -1 : a > b;
}

/*
 * Does the line starting at s open with a copyright statement ("Copyright (C) 1989 ...",
 * "Copyright 2019 ...", "Copyright: ...", "Copyright [yyyy] ...", "(c) ...", "(C) ...")? A
 * wrapped sentence that merely starts with the word ("copyright notice and this permission
 * notice appear ...") is licence text and stays.
 */
static int copyright_line(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t' || *s == '*' || *s == '#' || *s == '/'))
        s++;
    if (end - s >= 9 && !strncasecmp(s, "copyright", 9)) {
        const char *p = s + 9;

        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        return p < end &&
               (strchr("([<{:", *p) || isdigit((unsigned char)*p) || (unsigned char)*p == 0xc2);
    }
    if (end - s >= 3 && !strncasecmp(s, "(c)", 3))
        return 1;
    return end - s >= 2 && (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa9;
}

/* The sorted, de-duplicated 3-gram hashes of a text; FTH_ENOMEM. */
static int grams(struct gramset *out, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    uint64_t w[3] = {0, 0, 0};
    size_t nw = 0, cap = 0, n = 0;
    uint64_t *h = NULL;

    out->h = NULL;
    out->n = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));

        if (!eol)
            eol = end;
        if (!copyright_line(p, eol)) {
            while (p < eol) {
                const char *s;
                uint64_t wh;

                while (p < eol && !isalnum((unsigned char)*p))
                    p++;
                s = p;
                while (p < eol && isalnum((unsigned char)*p))
                    p++;
                if (p == s)
                    break;
                if (p - s == 7 && !strncasecmp(s, "licence", 7))
                    wh = fnv("license", 7);
                else if (p - s == 8 && !strncasecmp(s, "licences", 8))
                    wh = fnv("licenses", 8);
                else
                    wh = fnv(s, (size_t)(p - s));
                w[0] = w[1];
                w[1] = w[2];
                w[2] = wh;
                if (++nw < 3)
                    continue;
                if (n == cap) {
                    size_t ncap = cap ? cap * 2 : 256;
                    uint64_t *nh = realloc(h, ncap * sizeof(*nh));

                    if (!nh) {
                        free(h);
                        return FTH_ENOMEM;
                    }
                    h = nh;
                    cap = ncap;
                }
                h[n++] = (w[0] * 0x9E3779B97F4A7C15ULL) ^ (w[1] * 0xC2B2AE3D27D4EB4FULL + 7) ^
                         (w[2] + (w[2] << 17) + 0x165667B19E3779F9ULL);
            }
        }
        p = eol + 1;
    }
    if (n) {
        size_t k = 0;

        qsort(h, n, sizeof(*h), cmp_u64);
        for (size_t i = 0; i < n; i++)
            if (!k || h[k - 1] != h[i])
                h[k++] = h[i];
        n = k;
    }
    out->h = h;
    out->n = n;
    return 0;
}

static size_t common(const struct gramset *a, const struct gramset *b)
{
    size_t i = 0, j = 0, c = 0;

    while (i < a->n && j < b->n) {
        if (a->h[i] == b->h[j])
            c++, i++, j++;
        else if (a->h[i] < b->h[j])
            i++;
        else
            j++;
    }
    return c;
}

static void build_refs(void)
{
    struct gramset *r = calloc(lic_ntexts ? lic_ntexts : 1, sizeof(*r));

    if (!r)
        return;
    for (size_t i = 0; i < lic_ntexts; i++)
        if (grams(&r[i], lic_texts[i].text, lic_texts[i].len) < 0) {
            for (size_t j = 0; j < i; j++)
                free(r[j].h);
            free(r);
            return;
        }
    refs = r;
}

size_t fth_license_text_count(void)
{
    return lic_ntexts;
}

const char *fth_license_text_id(size_t i)
{
    return i < lic_ntexts ? lic_texts[i].id : NULL;
}

int fth_license_classify(struct fth_license_match *out, const char *text, size_t len,
                         struct fth_error *err)
{
    struct gramset g = {NULL, 0};
    double best_dice = 0, best_cov = 0;
    size_t di = SIZE_MAX, ci = SIZE_MAX;
    int error = 0;

    out->id = "";
    out->source = "";
    out->confidence = 0;
    if (len > FTH_LIMIT_LICENSE_TEXT) {
        error = fth_error_set(err, FTH_ELIMIT, "license text: larger than %zu bytes",
                              FTH_LIMIT_LICENSE_TEXT);
        goto out;
    }
    if (pthread_once(&refs_once, build_refs) != 0 || !refs || grams(&g, text, len) < 0) {
        error = fth_error_set(err, FTH_ENOMEM, "license text: out of memory");
        goto out;
    }
    if (!g.n)
        goto out;
    for (size_t i = 0; i < lic_ntexts; i++) {
        const struct gramset *r = &refs[i];
        size_t c;
        double dice, cov;

        if (!r->n)
            continue;
        c = common(&g, r);
        dice = 2.0 * (double)c / (double)(g.n + r->n);
        cov = (double)c / (double)r->n;
        if (dice > best_dice) {
            best_dice = dice;
            di = i;
        }
        if (r->n >= COVERAGE_MIN_GRAMS && cov >= COVERAGE_THRESHOLD &&
            (ci == SIZE_MAX || cov > best_cov + COVERAGE_TIE ||
             (cov > best_cov - COVERAGE_TIE && r->n > refs[ci].n))) {
            best_cov = cov;
            ci = i;
        }
    }
    if (di != SIZE_MAX && best_dice >= FTH_LICENSE_CLASSIFY_THRESHOLD) {
        out->id = lic_texts[di].id;
        out->source = lic_texts[di].source;
        out->confidence = best_dice;
    } else if (ci != SIZE_MAX) {
        out->id = lic_texts[ci].id;
        out->source = lic_texts[ci].source;
        out->confidence = best_cov;
    }
out:
    free(g.h);
    return error;
}
