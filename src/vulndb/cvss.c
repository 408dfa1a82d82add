/*
 * CVSS vector strings and their scores, from the FIRST specifications:
 *   v2.0  "A Complete Guide to the Common Vulnerability Scoring System Version 2.0", 3.2.1
 *         (base equation, round_to_1_decimal); severities as NVD rates v2 scores.
 *   v3.0  CVSS v3.0 Specification Document, section 8.1; Roundup is "smallest number, to one
 *         decimal place, equal to or higher than its input", i.e. ceil(x * 10) / 10.
 *   v3.1  CVSS v3.1 Specification Document, section 7.1 and Appendix A: the same equations
 *         with the integer-based Roundup that removes the floating point surprises of 3.0.
 *   v4.0  CVSS v4.0 Specification Document, section 8: the vector falls in a MacroVector
 *         (EQ1..EQ6) whose score comes from the expert-ranked table; the score moves down
 *         from it by the mean, over the EQs that have a lower MacroVector, of (score gap to
 *         that MacroVector) x (severity distance of the vector from the MacroVector's
 *         highest-severity vectors / the MacroVector's depth), as FIRST's calculator does.
 * Parsing never allocates: each metric may appear once, so a vector's work is bounded by
 * the size of its metric table, whatever the input length.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "fathom/cvss.h"
#include "../base/banned.h"

/* ---- metric tables ---- */

#define MAX_METRICS 32

struct metric {
    const char *name;
    const char *const *values; /* NULL-terminated, in the order the weight tables use */
    int required;
};

struct scheme {
    const char *label; /* for messages: "cvss 3.1" */
    const struct metric *metrics;
    size_t count;
};

/* v2.0 */
static const char *const v2_av[] = {"L", "A", "N", NULL};
static const char *const v2_ac[] = {"H", "M", "L", NULL};
static const char *const v2_au[] = {"M", "S", "N", NULL};
static const char *const v2_cia[] = {"N", "P", "C", NULL};
static const char *const v2_e[] = {"U", "POC", "F", "H", "ND", NULL};
static const char *const v2_rl[] = {"OF", "TF", "W", "U", "ND", NULL};
static const char *const v2_rc[] = {"UC", "UR", "C", "ND", NULL};
static const char *const v2_cdp[] = {"N", "L", "LM", "MH", "H", "ND", NULL};
static const char *const v2_td[] = {"N", "L", "M", "H", "ND", NULL};
static const char *const v2_req[] = {"L", "M", "H", "ND", NULL};

enum { V2_AV, V2_AC, V2_AU, V2_C, V2_I, V2_A };

static const struct metric v2_metrics[] = {
    {"AV", v2_av, 1}, {"AC", v2_ac, 1},  {"Au", v2_au, 1},  {"C", v2_cia, 1},  {"I", v2_cia, 1},
    {"A", v2_cia, 1}, {"E", v2_e, 0},    {"RL", v2_rl, 0},  {"RC", v2_rc, 0},  {"CDP", v2_cdp, 0},
    {"TD", v2_td, 0}, {"CR", v2_req, 0}, {"IR", v2_req, 0}, {"AR", v2_req, 0},
};

/* v3.0 and v3.1 share their metrics */
static const char *const v3_av[] = {"N", "A", "L", "P", NULL};
static const char *const v3_ac[] = {"L", "H", NULL};
static const char *const v3_pr[] = {"N", "L", "H", NULL};
static const char *const v3_ui[] = {"N", "R", NULL};
static const char *const v3_s[] = {"U", "C", NULL};
static const char *const v3_cia[] = {"H", "L", "N", NULL};
static const char *const v3_e[] = {"X", "U", "P", "F", "H", NULL};
static const char *const v3_rl[] = {"X", "O", "T", "W", "U", NULL};
static const char *const v3_rc[] = {"X", "U", "R", "C", NULL};
static const char *const v3_req[] = {"X", "L", "M", "H", NULL};
static const char *const v3_mav[] = {"X", "N", "A", "L", "P", NULL};
static const char *const v3_mac[] = {"X", "L", "H", NULL};
static const char *const v3_mpr[] = {"X", "N", "L", "H", NULL};
static const char *const v3_mui[] = {"X", "N", "R", NULL};
static const char *const v3_ms[] = {"X", "U", "C", NULL};
static const char *const v3_mcia[] = {"X", "N", "L", "H", NULL};

enum { V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A };

static const struct metric v3_metrics[] = {
    {"AV", v3_av, 1},   {"AC", v3_ac, 1},   {"PR", v3_pr, 1},   {"UI", v3_ui, 1},
    {"S", v3_s, 1},     {"C", v3_cia, 1},   {"I", v3_cia, 1},   {"A", v3_cia, 1},
    {"E", v3_e, 0},     {"RL", v3_rl, 0},   {"RC", v3_rc, 0},   {"CR", v3_req, 0},
    {"IR", v3_req, 0},  {"AR", v3_req, 0},  {"MAV", v3_mav, 0}, {"MAC", v3_mac, 0},
    {"MPR", v3_mpr, 0}, {"MUI", v3_mui, 0}, {"MS", v3_ms, 0},   {"MC", v3_mcia, 0},
    {"MI", v3_mcia, 0}, {"MA", v3_mcia, 0},
};

/* v4.0: base, threat, environmental (modified base in the same order), supplemental */
static const char *const v4_av[] = {"N", "A", "L", "P", NULL};
static const char *const v4_ac[] = {"L", "H", NULL};
static const char *const v4_at[] = {"N", "P", NULL};
static const char *const v4_pr[] = {"N", "L", "H", NULL};
static const char *const v4_ui[] = {"N", "P", "A", NULL};
static const char *const v4_cia[] = {"H", "L", "N", NULL};
static const char *const v4_e[] = {"X", "A", "P", "U", NULL};
static const char *const v4_req[] = {"X", "H", "M", "L", NULL};
static const char *const v4_mav[] = {"X", "N", "A", "L", "P", NULL};
static const char *const v4_mac[] = {"X", "L", "H", NULL};
static const char *const v4_mat[] = {"X", "N", "P", NULL};
static const char *const v4_mpr[] = {"X", "N", "L", "H", NULL};
static const char *const v4_mui[] = {"X", "N", "P", "A", NULL};
static const char *const v4_mcia[] = {"X", "H", "L", "N", NULL};
static const char *const v4_msia[] = {"X", "S", "H", "L", "N", NULL};
static const char *const v4_s[] = {"X", "N", "P", NULL};
static const char *const v4_au[] = {"X", "N", "Y", NULL};
static const char *const v4_r[] = {"X", "A", "U", "I", NULL};
static const char *const v4_v[] = {"X", "D", "C", NULL};
static const char *const v4_re[] = {"X", "L", "M", "H", NULL};
static const char *const v4_u[] = {"X", "Clear", "Green", "Amber", "Red", NULL};

enum {
    V4_AV,
    V4_AC,
    V4_AT,
    V4_PR,
    V4_UI,
    V4_VC,
    V4_VI,
    V4_VA,
    V4_SC,
    V4_SI,
    V4_SA,
    V4_E,
    V4_CR,
    V4_IR,
    V4_AR,
    V4_MAV, /* MAV..MSA mirror AV..SA: V4_MAV + (m - V4_AV) is m's modified metric */
};

static const struct metric v4_metrics[] = {
    {"AV", v4_av, 1},    {"AC", v4_ac, 1},    {"AT", v4_at, 1},    {"PR", v4_pr, 1},
    {"UI", v4_ui, 1},    {"VC", v4_cia, 1},   {"VI", v4_cia, 1},   {"VA", v4_cia, 1},
    {"SC", v4_cia, 1},   {"SI", v4_cia, 1},   {"SA", v4_cia, 1},   {"E", v4_e, 0},
    {"CR", v4_req, 0},   {"IR", v4_req, 0},   {"AR", v4_req, 0},   {"MAV", v4_mav, 0},
    {"MAC", v4_mac, 0},  {"MAT", v4_mat, 0},  {"MPR", v4_mpr, 0},  {"MUI", v4_mui, 0},
    {"MVC", v4_mcia, 0}, {"MVI", v4_mcia, 0}, {"MVA", v4_mcia, 0}, {"MSC", v4_mcia, 0},
    {"MSI", v4_msia, 0}, {"MSA", v4_msia, 0}, {"S", v4_s, 0},      {"AU", v4_au, 0},
    {"R", v4_r, 0},      {"V", v4_v, 0},      {"RE", v4_re, 0},    {"U", v4_u, 0},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct scheme scheme_v2 = {"cvss 2.0", v2_metrics, COUNT(v2_metrics)};
static const struct scheme scheme_v30 = {"cvss 3.0", v3_metrics, COUNT(v3_metrics)};
static const struct scheme scheme_v31 = {"cvss 3.1", v3_metrics, COUNT(v3_metrics)};
static const struct scheme scheme_v40 = {"cvss 4.0", v4_metrics, COUNT(v4_metrics)};

/* ---- parsing ---- */

/* Index into the metric's values of each metric present, -1 for the absent ones. */
struct parsed {
    int val[MAX_METRICS];
};

/* Longest text quoted back in a message: enough for any real metric, short for garbage. */
#define QUOTE_MAX 32

static int quote_len(size_t n)
{
    return n > QUOTE_MAX ? QUOTE_MAX : (int)n;
}

static int find_metric(const struct scheme *s, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < s->count; i++)
        if (strlen(s->metrics[i].name) == len && !memcmp(s->metrics[i].name, name, len))
            return (int)i;
    return -1;
}

static int find_value(const struct metric *m, const char *value, size_t len)
{
    int i;

    for (i = 0; m->values[i]; i++)
        if (strlen(m->values[i]) == len && !memcmp(m->values[i], value, len))
            return i;
    return -1;
}

/* Parse "M:V/M:V/..." in [p, end) against the scheme's table. */
static int parse_metrics(struct parsed *out, const struct scheme *s, const char *p, const char *end,
                         struct fth_error *err)
{
    int error = 0;
    size_t i;

    for (i = 0; i < MAX_METRICS; i++)
        out->val[i] = -1;
    if (p == end) {
        error = fth_error_set(err, FTH_EINVALID, "%s: no metrics in the vector", s->label);
        goto out;
    }
    for (;;) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *q = slash ? slash : end;
        const char *colon = memchr(p, ':', (size_t)(q - p));
        int mi, vi;

        if (!colon) {
            error = fth_error_set(err, FTH_EINVALID, "%s: expected 'metric:value', found '%.*s'",
                                  s->label, quote_len((size_t)(q - p)), p);
            goto out;
        }
        mi = find_metric(s, p, (size_t)(colon - p));
        if (mi < 0) {
            error = fth_error_set(err, FTH_EINVALID, "%s: unknown metric '%.*s'", s->label,
                                  quote_len((size_t)(colon - p)), p);
            goto out;
        }
        if (out->val[mi] >= 0) {
            error = fth_error_set(err, FTH_EINVALID, "%s: duplicate metric '%s'", s->label,
                                  s->metrics[mi].name);
            goto out;
        }
        vi = find_value(&s->metrics[mi], colon + 1, (size_t)(q - colon - 1));
        if (vi < 0) {
            error =
                fth_error_set(err, FTH_EINVALID, "%s: bad value '%.*s' for metric '%s'", s->label,
                              quote_len((size_t)(q - colon - 1)), colon + 1, s->metrics[mi].name);
            goto out;
        }
        out->val[mi] = vi;
        if (!slash)
            break;
        p = slash + 1;
        if (p == end) {
            error =
                fth_error_set(err, FTH_EINVALID, "%s: empty metric after the last '/'", s->label);
            goto out;
        }
    }
    for (i = 0; i < s->count; i++) {
        if (s->metrics[i].required && out->val[i] < 0) {
            error = fth_error_set(err, FTH_EINVALID, "%s: missing metric '%s'", s->label,
                                  s->metrics[i].name);
            goto out;
        }
    }
out:
    return error;
}

/* ---- v2.0 ---- */

static double round_to_1_decimal(double x)
{
    return round(x * 10.0) / 10.0;
}

static double v2_score(const struct parsed *p)
{
    static const double av[] = {0.395, 0.646, 1.0};
    static const double ac[] = {0.35, 0.61, 0.71};
    static const double au[] = {0.45, 0.56, 0.704};
    static const double cia[] = {0.0, 0.275, 0.660};
    double impact, exploitability;

    impact = 10.41 * (1.0 - (1.0 - cia[p->val[V2_C]]) * (1.0 - cia[p->val[V2_I]]) *
                                (1.0 - cia[p->val[V2_A]]));
    exploitability = 20.0 * av[p->val[V2_AV]] * ac[p->val[V2_AC]] * au[p->val[V2_AU]];
    /* f(Impact) is 0 when Impact is 0: the whole score is then 0 */
    if (impact == 0.0)
        return 0.0;
    return round_to_1_decimal(((0.6 * impact) + (0.4 * exploitability) - 1.5) * 1.176);
}

/* ---- v3.0 and v3.1 ---- */

static double roundup_30(double x)
{
    return ceil(x * 10.0) / 10.0;
}

/* v3.1 Appendix A: work on an integer so that 4.000000000000001 does not become 4.1. */
static double roundup_31(double x)
{
    long long n = llround(x * 100000.0);

    if (n % 10000 == 0)
        return (double)n / 100000.0;
    /* NOLINTNEXTLINE(bugprone-integer-division): 3.1's Roundup truncates on purpose */
    return (double)(n / 10000 + 1) / 10.0;
}

static double v3_score(const struct parsed *p, int v31)
{
    static const double av[] = {0.85, 0.62, 0.55, 0.2};
    static const double ac[] = {0.77, 0.44};
    static const double pr_unchanged[] = {0.85, 0.62, 0.27};
    static const double pr_changed[] = {0.85, 0.68, 0.5};
    static const double ui[] = {0.85, 0.62};
    static const double cia[] = {0.56, 0.22, 0.0};
    int changed = p->val[V3_S] == 1;
    double iss, impact, exploitability, sum;

    iss = 1.0 - (1.0 - cia[p->val[V3_C]]) * (1.0 - cia[p->val[V3_I]]) * (1.0 - cia[p->val[V3_A]]);
    if (changed)
        impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15.0);
    else
        impact = 6.42 * iss;
    exploitability = 8.22 * av[p->val[V3_AV]] * ac[p->val[V3_AC]] *
                     (changed ? pr_changed : pr_unchanged)[p->val[V3_PR]] * ui[p->val[V3_UI]];
    if (impact <= 0.0)
        return 0.0;
    sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
    if (sum > 10.0)
        sum = 10.0;
    return v31 ? roundup_31(sum) : roundup_30(sum);
}

/* ---- v4.0 ---- */

/*
 * MacroVector scores x 10 from the v4.0 specification's lookup table, indexed
 * [EQ1][EQ2][EQ3][EQ4][EQ5][EQ6]; 0 marks the combinations that do not exist (EQ3=2 needs
 * EQ6=1). Each line holds one EQ1 EQ2 EQ3 prefix, then EQ4, EQ5, EQ6 vary (EQ6 fastest).
 */
static const unsigned char macro_score[3][2][3][3][3][2] = {
    {
        {
            /* EQ1=0 EQ2=0 EQ3=0 */ {{{100, 99}, {98, 95}, {95, 92}},
                                     {{100, 96}, {93, 87}, {91, 81}},
                                     {{93, 90}, {89, 80}, {81, 68}}},
            /* EQ1=0 EQ2=0 EQ3=1 */
            {{{98, 95}, {95, 92}, {90, 84}},
             {{93, 92}, {89, 81}, {81, 65}},
             {{88, 80}, {78, 70}, {69, 48}}},
            /* EQ1=0 EQ2=0 EQ3=2 */
            {{{0, 92}, {0, 82}, {0, 72}}, {{0, 79}, {0, 69}, {0, 50}}, {{0, 69}, {0, 55}, {0, 27}}},
        },
        {
            /* EQ1=0 EQ2=1 EQ3=0 */ {{{99, 97}, {95, 92}, {92, 85}},
                                     {{95, 91}, {90, 83}, {84, 71}},
                                     {{92, 81}, {82, 71}, {72, 53}}},
            /* EQ1=0 EQ2=1 EQ3=1 */
            {{{95, 93}, {92, 85}, {85, 73}},
             {{92, 82}, {80, 72}, {70, 59}},
             {{84, 70}, {71, 52}, {50, 30}}},
            /* EQ1=0 EQ2=1 EQ3=2 */
            {{{0, 86}, {0, 75}, {0, 52}}, {{0, 71}, {0, 52}, {0, 29}}, {{0, 63}, {0, 29}, {0, 17}}},
        },
    },
    {
        {
            /* EQ1=1 EQ2=0 EQ3=0 */ {{{98, 95}, {94, 87}, {91, 81}},
                                     {{94, 89}, {86, 74}, {77, 64}},
                                     {{87, 75}, {74, 63}, {63, 49}}},
            /* EQ1=1 EQ2=0 EQ3=1 */
            {{{94, 89}, {88, 77}, {76, 67}},
             {{86, 76}, {74, 58}, {59, 50}},
             {{72, 57}, {57, 52}, {52, 25}}},
            /* EQ1=1 EQ2=0 EQ3=2 */
            {{{0, 83}, {0, 70}, {0, 54}}, {{0, 65}, {0, 58}, {0, 26}}, {{0, 53}, {0, 21}, {0, 13}}},
        },
        {
            /* EQ1=1 EQ2=1 EQ3=0 */ {{{95, 90}, {88, 76}, {76, 70}},
                                     {{90, 77}, {75, 62}, {61, 53}},
                                     {{77, 66}, {68, 59}, {52, 30}}},
            /* EQ1=1 EQ2=1 EQ3=1 */
            {{{89, 78}, {76, 67}, {62, 58}},
             {{74, 59}, {57, 57}, {47, 23}},
             {{61, 52}, {57, 29}, {24, 16}}},
            /* EQ1=1 EQ2=1 EQ3=2 */
            {{{0, 71}, {0, 59}, {0, 30}}, {{0, 58}, {0, 26}, {0, 15}}, {{0, 23}, {0, 13}, {0, 6}}},
        },
    },
    {
        {
            /* EQ1=2 EQ2=0 EQ3=0 */ {{{93, 87}, {86, 72}, {75, 58}},
                                     {{86, 74}, {74, 61}, {56, 34}},
                                     {{70, 54}, {52, 40}, {40, 22}}},
            /* EQ1=2 EQ2=0 EQ3=1 */
            {{{85, 75}, {74, 55}, {62, 51}},
             {{72, 57}, {55, 41}, {46, 19}},
             {{53, 36}, {34, 19}, {19, 8}}},
            /* EQ1=2 EQ2=0 EQ3=2 */
            {{{0, 64}, {0, 51}, {0, 20}}, {{0, 47}, {0, 21}, {0, 11}}, {{0, 24}, {0, 9}, {0, 4}}},
        },
        {
            /* EQ1=2 EQ2=1 EQ3=0 */ {{{88, 75}, {73, 53}, {60, 50}},
                                     {{73, 55}, {59, 40}, {41, 20}},
                                     {{54, 43}, {45, 22}, {20, 11}}},
            /* EQ1=2 EQ2=1 EQ3=1 */
            {{{75, 55}, {58, 45}, {40, 21}},
             {{61, 51}, {48, 18}, {20, 9}},
             {{46, 18}, {17, 7}, {8, 2}}},
            /* EQ1=2 EQ2=1 EQ3=2 */
            {{{0, 53}, {0, 24}, {0, 14}}, {{0, 24}, {0, 12}, {0, 5}}, {{0, 10}, {0, 3}, {0, 1}}},
        },
    },
};

/* The MacroVector's score, or -1 when there is no such MacroVector. */
static double macro(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6)
{
    unsigned char s;

    if (eq1 > 2 || eq2 > 1 || eq3 > 2 || eq4 > 2 || eq5 > 2 || eq6 > 1)
        return -1.0;
    s = macro_score[eq1][eq2][eq3][eq4][eq5][eq6];
    return s ? s / 10.0 : -1.0;
}

/*
 * Highest-severity vectors of each MacroVector (specification, section 8.2), written as the
 * values of the metrics each EQ covers: EQ1 AV PR UI, EQ2 AC AT, EQ3+EQ6 VC VI VA CR IR AR,
 * EQ4 SC SI SA. EQ5 (E) adds no distance.
 */
static const char *const eq1_max[3][4] = {
    {"NNN", NULL},
    {"ANN", "NLN", "NNP", NULL},
    {"PNN", "ALP", NULL},
};
static const char *const eq2_max[2][3] = {
    {"LN", NULL},
    {"HN", "LP", NULL},
};
static const char *const eq36_max[3][2][6] = {
    {{"HHHHHH", NULL}, {"HHLMMH", "HHHMMM", NULL}},
    {{"LHHHHH", "HLHHHH", NULL}, {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM", NULL}},
    {{NULL}, {"LLLHHH", NULL}},
};
static const char *const eq4_max[3][2] = {
    {"HSS", NULL},
    {"HHH", NULL},
    {"LLL", NULL},
};

/* Depth of each MacroVector in steps of 0.1: its greatest severity distance, plus one. */
static const int eq1_depth[3] = {1, 4, 5};
static const int eq2_depth[2] = {1, 2};
static const int eq36_depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const int eq4_depth[3] = {6, 5, 4};

/*
 * The value a metric takes in scoring: the modified (environmental) value when one is given
 * and not X, else the base value; E:X counts as E:A and CR/IR/AR:X as High, the worst case.
 */
static char v4_eff(const struct parsed *p, int m)
{
    int v;

    if (m == V4_E) {
        v = p->val[V4_E];
        return v <= 0 ? 'A' : v4_e[v][0];
    }
    if (m == V4_CR || m == V4_IR || m == V4_AR) {
        v = p->val[m];
        return v <= 0 ? 'H' : v4_req[v][0];
    }
    v = p->val[V4_MAV + (m - V4_AV)];
    if (v > 0)
        return v4_metrics[V4_MAV + (m - V4_AV)].values[v][0];
    return v4_metrics[m].values[p->val[m]][0];
}

/* Severity level of a value in tenths: larger is less severe. */
static int level(const char *order, char c)
{
    const char *at = strchr(order, c);

    return at ? (int)(at - order) : 0;
}

struct v4_vals {
    char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
};

static double v4_score(const struct parsed *p)
{
    struct v4_vals x;
    int eq1, eq2, eq3, eq4, eq5, eq6;
    int d1 = 0, d2 = 0, d36 = 0, d4 = 0, n = 0;
    double value, lower[5], sum = 0.0, result;
    const char *const *m1, *const *m2, *const *m36, *const *m4;
    int found = 0;

    x.av = v4_eff(p, V4_AV);
    x.ac = v4_eff(p, V4_AC);
    x.at = v4_eff(p, V4_AT);
    x.pr = v4_eff(p, V4_PR);
    x.ui = v4_eff(p, V4_UI);
    x.vc = v4_eff(p, V4_VC);
    x.vi = v4_eff(p, V4_VI);
    x.va = v4_eff(p, V4_VA);
    x.sc = v4_eff(p, V4_SC);
    x.si = v4_eff(p, V4_SI);
    x.sa = v4_eff(p, V4_SA);
    x.e = v4_eff(p, V4_E);
    x.cr = v4_eff(p, V4_CR);
    x.ir = v4_eff(p, V4_IR);
    x.ar = v4_eff(p, V4_AR);

    /* no impact on either system: 0 whatever the rest says */
    if (x.vc == 'N' && x.vi == 'N' && x.va == 'N' && x.sc == 'N' && x.si == 'N' && x.sa == 'N')
        return 0.0;

    if (x.av == 'N' && x.pr == 'N' && x.ui == 'N')
        eq1 = 0;
    else if ((x.av == 'N' || x.pr == 'N' || x.ui == 'N') && x.av != 'P')
        eq1 = 1;
    else
        eq1 = 2;
    eq2 = (x.ac == 'L' && x.at == 'N') ? 0 : 1;
    if (x.vc == 'H' && x.vi == 'H')
        eq3 = 0;
    else if (x.vc == 'H' || x.vi == 'H' || x.va == 'H')
        eq3 = 1;
    else
        eq3 = 2;
    if (x.si == 'S' || x.sa == 'S')
        eq4 = 0;
    else if (x.sc == 'H' || x.si == 'H' || x.sa == 'H')
        eq4 = 1;
    else
        eq4 = 2;
    eq5 = x.e == 'A' ? 0 : x.e == 'P' ? 1 : 2;
    eq6 = ((x.cr == 'H' && x.vc == 'H') || (x.ir == 'H' && x.vi == 'H') ||
           (x.ar == 'H' && x.va == 'H'))
              ? 0
              : 1;

    value = macro(eq1, eq2, eq3, eq4, eq5, eq6);

    /* the next lower MacroVector along each EQ; EQ3 and EQ6 move together */
    lower[0] = macro(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
    lower[1] = macro(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
    if (eq3 == 0 && eq6 == 0) {
        double left = macro(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
        double right = macro(eq1, eq2, eq3 + 1, eq4, eq5, eq6);

        lower[2] = left > right ? left : right;
    } else if (eq3 == 1 && eq6 == 0) {
        lower[2] = macro(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
    } else if (eq6 == 1 && eq3 < 2) {
        lower[2] = macro(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
    } else {
        lower[2] = -1.0;
    }
    lower[3] = macro(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
    lower[4] = macro(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

    /*
     * The first highest-severity vector of the MacroVector that the vector does not exceed
     * on any metric; the distances to it are the vector's severity distances per EQ.
     */
    for (m1 = eq1_max[eq1]; *m1 && !found; m1++) {
        for (m2 = eq2_max[eq2]; *m2 && !found; m2++) {
            for (m36 = eq36_max[eq3][eq6]; *m36 && !found; m36++) {
                for (m4 = eq4_max[eq4]; *m4 && !found; m4++) {
                    int dav = level("NALP", x.av) - level("NALP", (*m1)[0]);
                    int dpr = level("NLH", x.pr) - level("NLH", (*m1)[1]);
                    int dui = level("NPA", x.ui) - level("NPA", (*m1)[2]);
                    int dac = level("LH", x.ac) - level("LH", (*m2)[0]);
                    int dat = level("NP", x.at) - level("NP", (*m2)[1]);
                    int dvc = level("HLN", x.vc) - level("HLN", (*m36)[0]);
                    int dvi = level("HLN", x.vi) - level("HLN", (*m36)[1]);
                    int dva = level("HLN", x.va) - level("HLN", (*m36)[2]);
                    int dcr = level("HML", x.cr) - level("HML", (*m36)[3]);
                    int dir = level("HML", x.ir) - level("HML", (*m36)[4]);
                    int dar = level("HML", x.ar) - level("HML", (*m36)[5]);
                    int dsc = level("SHLN", x.sc) - level("SHLN", (*m4)[0]);
                    int dsi = level("SHLN", x.si) - level("SHLN", (*m4)[1]);
                    int dsa = level("SHLN", x.sa) - level("SHLN", (*m4)[2]);

                    /* the calculator keeps the last candidate's distances if none fits */
                    d1 = dav + dpr + dui;
                    d2 = dac + dat;
                    d36 = dvc + dvi + dva + dcr + dir + dar;
                    d4 = dsc + dsi + dsa;
                    found = dav >= 0 && dpr >= 0 && dui >= 0 && dac >= 0 && dat >= 0 && dvc >= 0 &&
                            dvi >= 0 && dva >= 0 && dcr >= 0 && dir >= 0 && dar >= 0 && dsc >= 0 &&
                            dsi >= 0 && dsa >= 0;
                }
            }
        }
    }

    if (lower[0] >= 0.0) {
        n++;
        sum += (value - lower[0]) * d1 / eq1_depth[eq1];
    }
    if (lower[1] >= 0.0) {
        n++;
        sum += (value - lower[1]) * d2 / eq2_depth[eq2];
    }
    if (lower[2] >= 0.0) {
        n++;
        sum += (value - lower[2]) * d36 / eq36_depth[eq3][eq6];
    }
    if (lower[3] >= 0.0) {
        n++;
        sum += (value - lower[3]) * d4 / eq4_depth[eq4];
    }
    if (lower[4] >= 0.0)
        n++; /* EQ5 has no depth: it counts in the mean with a distance of 0 */

    result = n ? value - sum / n : value;
    if (result < 0.0)
        result = 0.0;
    if (result > 10.0)
        result = 10.0;
    /* half up to one decimal; the epsilon keeps x.x5 from falling to x.x4999... */
    return floor((result + 1e-6) * 10.0 + 0.5) / 10.0;
}

/* ---- public ---- */

const char *fth_cvss_severity(enum fth_cvss_version version, double score)
{
    if (version == FTH_CVSS_V2)
        return score < 4.0 ? "LOW" : score < 7.0 ? "MEDIUM" : "HIGH";
    if (score <= 0.0)
        return "NONE";
    if (score < 4.0)
        return "LOW";
    if (score < 7.0)
        return "MEDIUM";
    if (score < 9.0)
        return "HIGH";
    return "CRITICAL";
}

static int has_prefix(const char *p, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);

    return (size_t)(end - p) >= n && !memcmp(p, prefix, n);
}

int fth_cvss_parse(struct fth_cvss *out, const char *vector, struct fth_error *err)
{
    int error = 0;
    const char *p, *end;
    const struct scheme *s;
    struct parsed parsed;
    enum fth_cvss_version version;
    double score;
    int wrapped = 0;

    if (!out || !vector) {
        error = fth_error_set(err, FTH_EINVALID, "no cvss vector");
        goto out;
    }
    p = vector;
    end = vector + strlen(vector);
    if (p == end) {
        error = fth_error_set(err, FTH_EINVALID, "empty cvss vector");
        goto out;
    }
    /* NVD used to print v2 vectors as "(AV:N/AC:L/...)" */
    if (*p == '(' && end - p >= 2 && end[-1] == ')') {
        p++;
        end--;
        wrapped = 1;
    }
    if (has_prefix(p, end, "CVSS:")) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        size_t n = slash ? (size_t)(slash - p) : (size_t)(end - p);

        if (n == 8 && has_prefix(p, end, "CVSS:2.0")) {
            s = &scheme_v2;
            version = FTH_CVSS_V2;
        } else if (n == 8 && has_prefix(p, end, "CVSS:3.0")) {
            s = &scheme_v30;
            version = FTH_CVSS_V3_0;
        } else if (n == 8 && has_prefix(p, end, "CVSS:3.1")) {
            s = &scheme_v31;
            version = FTH_CVSS_V3_1;
        } else if (n == 8 && has_prefix(p, end, "CVSS:4.0")) {
            s = &scheme_v40;
            version = FTH_CVSS_V4_0;
        } else {
            error = fth_error_set(err, FTH_EINVALID, "unknown cvss version prefix '%.*s'",
                                  quote_len(n), p);
            goto out;
        }
        if (!slash) {
            error = fth_error_set(err, FTH_EINVALID, "%s: no metrics after '%.*s'", s->label,
                                  quote_len(n), p);
            goto out;
        }
        p = slash + 1;
    } else {
        s = &scheme_v2;
        version = FTH_CVSS_V2;
    }
    if (wrapped && version != FTH_CVSS_V2) {
        error =
            fth_error_set(err, FTH_EINVALID, "%s: only v2 vectors come in parentheses", s->label);
        goto out;
    }
    if ((error = parse_metrics(&parsed, s, p, end, err)) < 0)
        goto out;
    switch (version) {
    case FTH_CVSS_V2:
        score = v2_score(&parsed);
        break;
    case FTH_CVSS_V3_0:
        score = v3_score(&parsed, 0);
        break;
    case FTH_CVSS_V3_1:
        score = v3_score(&parsed, 1);
        break;
    case FTH_CVSS_V4_0:
    default:
        score = v4_score(&parsed);
        break;
    }
    out->version = version;
    out->base_score = score;
    out->severity = fth_cvss_severity(version, score);
out:
    return error;
}
