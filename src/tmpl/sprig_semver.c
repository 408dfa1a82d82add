/*
 * Sprig's semver and semverCompare over Masterminds/semver v3.2 semantics: NewVersion's loose
 * syntax ("v1.2", "1") and checks, and NewConstraint's grammar parsed with the library's own
 * regular expressions (run by regex.c): hyphen ranges, x-ranges, ||, "," or spaces for AND,
 * =, !=, >, <, >=, <=, ~, ~>, ^, and the rule that a prerelease version only satisfies
 * constraints that name a prerelease. semver returns a *semver.Version whose methods (Major,
 * Minor, Patch, Prerelease, Metadata, Original, String, Compare, LessThan, GreaterThan, Equal)
 * templates can call.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"
#include "../base/limits.h"
#include "regex.h"
#include "sprig_int.h"

struct sv {
    uint64_t major, minor, patch;
    const char *pre, *meta, *orig;
};

#define CV                                                                                         \
    "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?"                                   \
    "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"                                                   \
    "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"
#define OPS "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^"
#define SEMVER                                                                                     \
    "v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?"                                                           \
    "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"                                                   \
    "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"

static const char re_version[] = "^" SEMVER "$";
static const char re_constraint[] = "^\\s*(" OPS ")\\s*(" CV ")\\s*$";
static const char re_range[] = "\\s*(" CV ")\\s+-\\s+(" CV ")\\s*";
static const char re_find[] = "(" OPS ")\\s*(" CV ")";
static const char re_valid[] =
    "^(\\s*(" OPS ")\\s*(" CV ")\\s*)((?:\\s+|,\\s*)(" OPS ")\\s*(" CV ")\\s*)*$";

struct rx {
    const struct tmpl_regex *re;
    long *caps;
};

/* The five fixed patterns, compiled once per process (immutable afterwards, so shared by
 * concurrent renders); only the capture arrays are per call. */
enum { RX_VERSION, RX_CONSTRAINT, RX_RANGE, RX_FIND, RX_VALID, RX_COUNT };
static const char *const rx_patterns[RX_COUNT] = {re_version, re_constraint, re_range, re_find,
                                                  re_valid};
static struct tmpl_regex *rx_compiled[RX_COUNT];
static struct fth_arena *rx_arena;
static pthread_once_t rx_once = PTHREAD_ONCE_INIT;

static void rx_init(void)
{
    struct fth_buf msg = FTH_BUF_INIT;
    size_t i;
    if (!(rx_arena = fth_arena_new()))
        return;
    for (i = 0; i < RX_COUNT; i++)
        if (tmpl_regex_compile(&rx_compiled[i], rx_arena, rx_patterns[i], strlen(rx_patterns[i]),
                               &msg) < 0)
            rx_compiled[i] = NULL;
    fth_buf_release(&msg);
}

static int rx_compile(struct rx *r, struct fth_arena *a, int which)
{
    pthread_once(&rx_once, rx_init);
    if (!rx_compiled[which])
        return FTH_ENOMEM;
    r->re = rx_compiled[which];
    r->caps = fth_arena_calloc(a, tmpl_regex_groups(r->re) * 2, sizeof(long));
    return r->caps ? 0 : FTH_ENOMEM;
}

static char *group(struct fth_arena *a, const struct rx *r, const char *s, size_t i)
{
    if (r->caps[2 * i] < 0)
        return fth_arena_strdup(a, "");
    return fth_arena_strndup(a, s + r->caps[2 * i], (size_t)(r->caps[2 * i + 1] - r->caps[2 * i]));
}

static int only(const char *s, const char *set)
{
    for (; *s; s++)
        if (!strchr(set, *s))
            return 0;
    return 1;
}

#define NUM "0123456789"
#define ALLOWED "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"

/* strconv.ParseUint(s, 10, 64): 0 when out of range */
static int parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    for (; *s; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

/* NewVersion; on failure *msg is Masterminds' error text */
static int new_version(struct sv *v, struct fth_arena *a, const char *s, size_t len,
                       const char **msg)
{
    struct rx r;
    char *seg[3], *text;
    int i, error;
    *msg = NULL;
    memset(v, 0, sizeof(*v));
    if ((error = rx_compile(&r, a, RX_VERSION)) < 0)
        return error;
    if (!(text = fth_arena_strndup(a, s, len)))
        return FTH_ENOMEM;
    if ((error = tmpl_regex_match(r.re, text, len, 0, r.caps)) < 0)
        return error;
    if (!error || strlen(text) != len) {
        *msg = "Invalid Semantic Version";
        return FTH_EINVALID;
    }
    v->orig = text;
    v->pre = group(a, &r, text, 5);
    v->meta = group(a, &r, text, 8);
    for (i = 0; i < 3; i++) {
        char *g = group(a, &r, text, (size_t)i + 1);
        uint64_t *dst = i == 0 ? &v->major : i == 1 ? &v->minor : &v->patch;
        if (!g || !v->pre || !v->meta)
            return FTH_ENOMEM;
        seg[i] = g[0] == '.' ? g + 1 : g;
        if (!seg[i][0])
            continue;
        if (!parse_u64(seg[i], dst)) {
            *msg = fth_arena_printf(a,
                                    "Error parsing version segment: strconv.ParseUint: "
                                    "parsing \"%s\": value out of range",
                                    seg[i]);
            return FTH_EINVALID;
        }
    }
    if (v->pre[0]) {
        const char *p = v->pre;
        while (*p) {
            size_t n = strcspn(p, ".");
            char *part = fth_arena_strndup(a, p, n);
            if (!part)
                return FTH_ENOMEM;
            if (only(part, NUM)) {
                if (n > 1 && part[0] == '0') {
                    *msg = "Version segment starts with 0";
                    return FTH_EINVALID;
                }
            } else if (!only(part, ALLOWED)) {
                *msg = "Invalid Prerelease string";
                return FTH_EINVALID;
            }
            p += n;
            if (*p == '.')
                p++;
        }
    }
    if (v->meta[0] && !only(v->meta, ALLOWED ".")) {
        *msg = "Invalid Metadata string";
        return FTH_EINVALID;
    }
    return 0;
}

static int cmp_u(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

static int cmp_pre_part(const char *s, size_t sl, const char *o, size_t ol)
{
    char sb[32], ob[32];
    uint64_t si = 0, oi = 0;
    int sn, on;
    if (sl == ol && !memcmp(s, o, sl))
        return 0;
    if (!sl)
        return -1;
    if (!ol)
        return 1;
    sn = sl < sizeof(sb) && (memcpy(sb, s, sl), sb[sl] = 0, only(sb, NUM)) && parse_u64(sb, &si);
    on = ol < sizeof(ob) && (memcpy(ob, o, ol), ob[ol] = 0, only(ob, NUM)) && parse_u64(ob, &oi);
    if (!sn && !on)
        return sprig_strcmp(s, sl, o, ol) > 0 ? 1 : -1;
    if (!on)
        return -1;
    if (!sn)
        return 1;
    return si > oi ? 1 : -1;
}

static int cmp_pre(const char *a, const char *b)
{
    for (;;) {
        size_t al = strcspn(a, "."), bl = strcspn(b, ".");
        int d = cmp_pre_part(a, al, b, bl);
        if (d)
            return d;
        a += al;
        b += bl;
        if (!*a && !*b)
            return 0;
        if (*a)
            a++;
        if (*b)
            b++;
    }
}

static int sv_compare(const struct sv *v, const struct sv *o)
{
    int d;
    if ((d = cmp_u(v->major, o->major)) || (d = cmp_u(v->minor, o->minor)) ||
        (d = cmp_u(v->patch, o->patch)))
        return d;
    if (!v->pre[0] && !o->pre[0])
        return 0;
    if (!v->pre[0])
        return 1;
    if (!o->pre[0])
        return -1;
    return cmp_pre(v->pre, o->pre);
}

/* ---- constraints ---- */

struct con {
    struct sv v;
    const char *op;
    int dirty, minor_dirty, patch_dirty;
};

static int is_x(const char *s)
{
    return !strcmp(s, "x") || !strcmp(s, "X") || !strcmp(s, "*");
}

static int parse_constraint(struct con *c, struct fth_arena *a, struct rx *r, const char *s,
                            const char **msg)
{
    const char *m3, *m4, *m5, *m6;
    char *ver;
    int error;
    memset(c, 0, sizeof(*c));
    if (!*s) {
        c->op = "";
        c->dirty = 1;
        c->v.pre = c->v.meta = c->v.orig = "";
        return 0;
    }
    if ((error = tmpl_regex_match(r->re, s, strlen(s), 0, r->caps)) < 0)
        return error;
    if (!error) {
        *msg = fth_arena_printf(a, "improper constraint: %s", s);
        return FTH_EINVALID;
    }
    c->op = group(a, r, s, 1);
    ver = group(a, r, s, 2);
    m3 = group(a, r, s, 3);
    m4 = group(a, r, s, 4);
    m5 = group(a, r, s, 5);
    m6 = group(a, r, s, 6);
    if (!c->op || !ver || !m3 || !m4 || !m5 || !m6)
        return FTH_ENOMEM;
    /* m6 is the "-pre" part: the prerelease with its dash */
    if (is_x(m3) || !*m3) {
        ver = fth_arena_printf(a, "0.0.0%s", m6);
        c->dirty = 1;
    } else if (is_x(m4[0] == '.' ? m4 + 1 : m4) || !*m4) {
        c->minor_dirty = c->dirty = 1;
        ver = fth_arena_printf(a, "%s.0.0%s", m3, m6);
    } else if (is_x(m5[0] == '.' ? m5 + 1 : m5) || !*m5) {
        c->dirty = c->patch_dirty = 1;
        ver = fth_arena_printf(a, "%s%s.0%s", m3, m4, m6);
    }
    if (!ver)
        return FTH_ENOMEM;
    if ((error = new_version(&c->v, a, ver, strlen(ver), msg)) < 0) {
        if (error == FTH_EINVALID)
            *msg = "constraint Parser Error";
        return error;
    }
    return 0;
}

static int tilde(const struct sv *v, const struct con *c)
{
    if (v->pre[0] && !c->v.pre[0])
        return 0;
    if (sv_compare(v, &c->v) < 0)
        return 0;
    if (!c->v.major && !c->v.minor && !c->v.patch && !c->minor_dirty && !c->patch_dirty)
        return 1;
    if (v->major != c->v.major)
        return 0;
    if (v->minor != c->v.minor && !c->minor_dirty)
        return 0;
    return 1;
}

static int check(const struct sv *v, const struct con *c)
{
    const char *op = c->op;
    int pre_blocked = v->pre[0] && !c->v.pre[0];
    if (!strcmp(op, "") || !strcmp(op, "=")) {
        if (pre_blocked)
            return 0;
        if (c->dirty)
            return tilde(v, c);
        return sv_compare(v, &c->v) == 0;
    }
    if (!strcmp(op, "!=")) {
        if (c->dirty) {
            if (pre_blocked)
                return 0;
            if (c->v.major != v->major)
                return 1;
            if (c->v.minor != v->minor && !c->minor_dirty)
                return 1;
            if (c->minor_dirty)
                return 0;
            if (c->v.patch != v->patch && !c->patch_dirty)
                return 1;
            if (c->patch_dirty) {
                if (v->pre[0] || c->v.pre[0])
                    return cmp_pre(v->pre, c->v.pre) != 0;
                return 0;
            }
        }
        return sv_compare(v, &c->v) != 0;
    }
    if (pre_blocked)
        return 0;
    if (!strcmp(op, ">")) {
        if (!c->dirty)
            return sv_compare(v, &c->v) == 1;
        if (v->major > c->v.major)
            return 1;
        if (v->major < c->v.major || c->minor_dirty)
            return 0;
        if (c->patch_dirty)
            return v->minor > c->v.minor;
        return sv_compare(v, &c->v) == 1;
    }
    if (!strcmp(op, "<"))
        return sv_compare(v, &c->v) < 0;
    if (!strcmp(op, ">=") || !strcmp(op, "=>"))
        return sv_compare(v, &c->v) >= 0;
    if (!strcmp(op, "<=") || !strcmp(op, "=<")) {
        if (!c->dirty)
            return sv_compare(v, &c->v) <= 0;
        if (v->major > c->v.major)
            return 0;
        if (v->major == c->v.major && v->minor > c->v.minor && !c->minor_dirty)
            return 0;
        return 1;
    }
    if (!strcmp(op, "~") || !strcmp(op, "~>"))
        return tilde(v, c);
    /* ^ */
    if (sv_compare(v, &c->v) < 0)
        return 0;
    if (c->v.major > 0 || c->minor_dirty)
        return v->major == c->v.major;
    if (c->v.major == 0 && v->major > 0)
        return 0;
    if (c->v.minor > 0 || c->patch_dirty)
        return v->minor == c->v.minor;
    if (c->v.minor == 0 && v->minor > 0)
        return 0;
    return c->v.patch == v->patch;
}

/* rewriteRange: "A - B" becomes ">= A, <= B" (each occurrence, first match replaced) */
static int rewrite_range(char **out, struct fth_arena *a, const char *s)
{
    struct rx r;
    size_t len = strlen(s), pos = 0;
    char *o = fth_arena_strdup(a, s);
    int error;
    if (!o || (error = rx_compile(&r, a, RX_RANGE)) < 0)
        return FTH_ENOMEM;
    while (pos <= len) {
        char *whole, *v1, *v11, *t, *hit, *no;
        if ((error = tmpl_regex_match(r.re, s, len, pos, r.caps)) < 0)
            return error;
        if (!error)
            break;
        whole = group(a, &r, s, 0);
        v1 = group(a, &r, s, 1);
        v11 = group(a, &r, s, 11);
        if (!whole || !v1 || !v11 || !(t = fth_arena_printf(a, ">= %s, <= %s", v1, v11)))
            return FTH_ENOMEM;
        if ((hit = strstr(o, whole))) {
            size_t pre = (size_t)(hit - o);
            if (!(no = fth_arena_printf(a, "%.*s%s%s", (int)pre, o, t, hit + strlen(whole))))
                return FTH_ENOMEM;
            o = no;
        }
        pos = (size_t)r.caps[1] > pos ? (size_t)r.caps[1] : pos + 1;
    }
    *out = o;
    return 0;
}

/* NewConstraint(cs) then, when v is given, Check(v) */
static int constraint_check(int *ok, struct fth_arena *a, const char *cs, const struct sv *v,
                            const char **msg)
{
    struct rx valid, find, one;
    char *all;
    const char *p;
    int error, any = 0;
    *ok = 0;
    if ((error = rewrite_range(&all, a, cs)) < 0)
        return error;
    if ((error = rx_compile(&valid, a, RX_VALID)) < 0 ||
        (error = rx_compile(&find, a, RX_FIND)) < 0 ||
        (error = rx_compile(&one, a, RX_CONSTRAINT)) < 0)
        return error;
    /* every OR group is parsed (errors anywhere fail) before any is checked */
    {
        struct con *cons[64];
        size_t ncons[64], ng = 0, g, k;
        p = all;
        for (;;) {
            const char *bar = strstr(p, "||");
            size_t n = bar ? (size_t)(bar - p) : strlen(p), pos = 0, cap = 4;
            char *seg = fth_arena_strndup(a, p, n);
            if (!seg)
                return FTH_ENOMEM;
            if (ng == 64) {
                *msg = "improper constraint: too many || alternatives";
                return FTH_EINVALID;
            }
            if ((error = tmpl_regex_match(valid.re, seg, n, 0, valid.caps)) < 0)
                return error;
            if (!error) {
                *msg = fth_arena_printf(a, "improper constraint: %s", seg);
                return FTH_EINVALID;
            }
            cons[ng] = fth_arena_calloc(a, cap, sizeof(struct con));
            ncons[ng] = 0;
            if (!cons[ng])
                return FTH_ENOMEM;
            while (pos <= n) {
                char *one_s;
                if ((error = tmpl_regex_match(find.re, seg, n, pos, find.caps)) < 0)
                    return error;
                if (!error)
                    break;
                if (ncons[ng] == cap) {
                    struct con *nc = fth_arena_calloc(a, cap * 2, sizeof(*nc));
                    if (!nc)
                        return FTH_ENOMEM;
                    memcpy(nc, cons[ng], cap * sizeof(*nc));
                    cons[ng] = nc;
                    cap *= 2;
                }
                if (!(one_s = group(a, &find, seg, 0)))
                    return FTH_ENOMEM;
                if ((error = parse_constraint(&cons[ng][ncons[ng]++], a, &one, one_s, msg)) < 0)
                    return error;
                pos = (size_t)find.caps[1] > pos ? (size_t)find.caps[1] : pos + 1;
            }
            if (ncons[ng] == 0 &&
                (error = parse_constraint(&cons[ng][ncons[ng]++], a, &one, seg, msg)) < 0)
                return error;
            ng++;
            if (!bar)
                break;
            p = bar + 2;
        }
        for (g = 0; v && g < ng && !any; g++) {
            int joy = 1;
            for (k = 0; k < ncons[g] && joy; k++)
                joy = check(v, &cons[g][k]);
            any = joy;
        }
    }
    *ok = any;
    return 0;
}

SPRIG_FN(f_semver_compare)
{
    struct sv v;
    const char *msg = NULL;
    int ok = 0, error;
    SPRIG_UNUSED;
    if (args[0]->u.str.len > FTH_LIMIT_RANGE_LEN || args[1]->u.str.len > FTH_LIMIT_VERSION_LEN)
        return fth_tmpl_fail(call, "improper constraint: longer than %d bytes",
                             FTH_LIMIT_RANGE_LEN);
    /* Go parses the constraint first, then the version, then checks */
    if ((error = constraint_check(&ok, call->arena, args[0]->u.str.ptr, NULL, &msg)) < 0)
        return error == FTH_EINVALID ? fth_tmpl_fail(call, "%s", msg) : error;
    if ((error = new_version(&v, call->arena, args[1]->u.str.ptr, args[1]->u.str.len, &msg)) < 0) {
        if (error == FTH_EINVALID)
            return fth_tmpl_fail(call, "%s", msg);
        return error;
    }
    if ((error = constraint_check(&ok, call->arena, args[0]->u.str.ptr, &v, &msg)) < 0)
        return error == FTH_EINVALID ? fth_tmpl_fail(call, "%s", msg) : error;
    return sprig_ret(out, fth_tmpl_bool(call->arena, ok));
}

/* ---- *semver.Version ---- */

static const struct sv *recv(struct fth_tmpl_call *call)
{
    return call->recv;
}

SPRIG_FN(m_major)
{
    return sprig_ret(out, fth_tmpl_int(call->arena, (int64_t)recv(call)->major));
}

SPRIG_FN(m_minor)
{
    return sprig_ret(out, fth_tmpl_int(call->arena, (int64_t)recv(call)->minor));
}

SPRIG_FN(m_patch)
{
    return sprig_ret(out, fth_tmpl_int(call->arena, (int64_t)recv(call)->patch));
}

SPRIG_FN(m_prerelease)
{
    return sprig_ret_str(out, call, recv(call)->pre, strlen(recv(call)->pre));
}

SPRIG_FN(m_metadata)
{
    return sprig_ret_str(out, call, recv(call)->meta, strlen(recv(call)->meta));
}

SPRIG_FN(m_original)
{
    return sprig_ret_str(out, call, recv(call)->orig, strlen(recv(call)->orig));
}

static char *sv_string(struct fth_arena *a, const struct sv *v)
{
    return fth_arena_printf(a, "%llu.%llu.%llu%s%s%s%s", (unsigned long long)v->major,
                            (unsigned long long)v->minor, (unsigned long long)v->patch,
                            v->pre[0] ? "-" : "", v->pre, v->meta[0] ? "+" : "", v->meta);
}

SPRIG_FN(m_string)
{
    char *s = sv_string(call->arena, recv(call));
    return s ? sprig_ret_str(out, call, s, strlen(s)) : FTH_ENOMEM;
}

static const struct sv *other(struct fth_tmpl_call *call, const struct fth_value *v)
{
    const struct fth_tmpl_ext *e = fth_tmpl_ext_of(v);
    const struct fth_value *f;
    const struct fth_tmpl_ext *m;
    if (!e || !e->type_name || strcmp(e->type_name, "*semver.Version"))
        return NULL;
    f = fth_tmpl_map_get(v, "Major", 5);
    m = fth_tmpl_ext_of(f);
    (void)call;
    return m ? m->data : NULL;
}

static int compare_method(struct fth_value **out, struct fth_tmpl_call *call,
                          const struct fth_value *arg, int what)
{
    const struct sv *o = other(call, arg);
    int c;
    if (!o)
        return fth_tmpl_fail(call, "wrong type for value; expected *semver.Version; got %s",
                             fth_tmpl_type_name(arg));
    c = sv_compare(recv(call), o);
    switch (what) {
    case 0:
        return sprig_ret(out, fth_tmpl_int(call->arena, c));
    case 1:
        return sprig_ret(out, fth_tmpl_bool(call->arena, c < 0));
    case 2:
        return sprig_ret(out, fth_tmpl_bool(call->arena, c > 0));
    default:
        return sprig_ret(out, fth_tmpl_bool(call->arena, c == 0));
    }
}

SPRIG_FN(m_compare)
{
    return compare_method(out, call, args[0], 0);
}

SPRIG_FN(m_less_than)
{
    return compare_method(out, call, args[0], 1);
}

SPRIG_FN(m_greater_than)
{
    return compare_method(out, call, args[0], 2);
}

SPRIG_FN(m_equal)
{
    return compare_method(out, call, args[0], 3);
}

static const struct fth_tmpl_func version_methods[] = {
    {"Major", "", m_major, NULL},         {"Minor", "", m_minor, NULL},
    {"Patch", "", m_patch, NULL},         {"Prerelease", "", m_prerelease, NULL},
    {"Metadata", "", m_metadata, NULL},   {"Original", "", m_original, NULL},
    {"String", "", m_string, NULL},       {"Compare", "a", m_compare, NULL},
    {"LessThan", "a", m_less_than, NULL}, {"GreaterThan", "a", m_greater_than, NULL},
    {"Equal", "a", m_equal, NULL},        {NULL, NULL, NULL, NULL},
};

SPRIG_FN(f_semver)
{
    struct sv *v = fth_arena_alloc(call->arena, sizeof(*v));
    struct fth_value *st;
    struct fth_tmpl_ext *e;
    const char *msg = NULL;
    size_t i;
    int error;
    SPRIG_UNUSED;
    if (!v)
        return FTH_ENOMEM;
    if (args[0]->u.str.len > FTH_LIMIT_VERSION_LEN)
        return fth_tmpl_fail(call, "Invalid Semantic Version");
    if ((error = new_version(v, call->arena, args[0]->u.str.ptr, args[0]->u.str.len, &msg)) < 0)
        return error == FTH_EINVALID ? fth_tmpl_fail(call, "%s", msg) : error;
    if (!(st = fth_tmpl_struct_new(call->arena, "*semver.Version", 12)))
        return FTH_ENOMEM;
    for (i = 0; version_methods[i].name; i++) {
        struct fth_value *m = fth_tmpl_method_new(call->arena, &version_methods[i], v);
        if (!m || fth_tmpl_map_set(call->arena, st, version_methods[i].name,
                                   strlen(version_methods[i].name), m) < 0)
            return FTH_ENOMEM;
    }
    e = fth_tmpl_ext_of(st);
    if (!(e->text = sv_string(call->arena, v)))
        return FTH_ENOMEM;
    *out = st;
    return 0;
}

const struct fth_tmpl_func tmpl_sprig_semver[] = {
    {"semver", "s", f_semver, NULL},
    {"semverCompare", "ss", f_semver_compare, NULL},
    {NULL, NULL, NULL, NULL},
};
