/* secret: declarations shared by the module's files. */
#ifndef FATHOM_SECRET_INT_H
#define FATHOM_SECRET_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <hs/hs.h>

#include "fathom/secret.h"

/* A built-in rule, as written in rules.c. Strings are static. */
struct secret_builtin {
    const char *id;
    const char *category;
    const char *title;
    enum fth_severity severity;
    const char *keywords;    /* '|'-separated, matched case-insensitively; "" runs always */
    const char *regex;       /* PCRE2 */
    const char *group;       /* name of the secret group(s); NULL: the whole match */
    const char *path;        /* the rule only applies to paths matching this; NULL: all */
    double entropy;          /* the secret's minimum Shannon entropy (bits/byte); 0: none */
    const char *placeholder; /* a secret matching this is a placeholder, not reported */
    const char *allow_match; /* a whole match matching this is allowed (an allow rule) */
};

struct secret_builtin_allow {
    const char *id;
    const char *description;
    const char *path;  /* NULL: none */
    const char *regex; /* NULL: none */
};

extern const struct secret_builtin secret_builtin_rules[];
extern const size_t secret_builtin_rules_len;
extern const struct secret_builtin_allow secret_builtin_allows[];
extern const size_t secret_builtin_allows_len;

/* A rule before compiling: built-in or from the config file. Strings live in an arena. */
struct secret_allow_spec {
    const char *id, *description, *path, *regex;
};

struct secret_rule_spec {
    const char *id, *category, *title;
    enum fth_severity severity;
    const char *regex, *group, *path, *placeholder;
    double entropy;
    int builtin;
    struct fth_vec keywords; /* const char * */
    struct fth_vec allows;   /* struct secret_allow_spec * */
    struct fth_vec excludes; /* const char * (exclude-block regexes) */
};

/* What a config file says. */
struct secret_config {
    struct fth_vec rules;         /* struct secret_rule_spec * (custom rules) */
    struct fth_vec allows;        /* struct secret_allow_spec * (global) */
    struct fth_vec excludes;      /* const char * (global exclude-block regexes) */
    struct fth_vec enable;        /* const char *: built-in rule ids to keep */
    int has_enable;               /* enable-builtin-rules was given */
    struct fth_vec disable;       /* const char *: rule ids to drop */
    struct fth_vec disable_allow; /* const char *: allow rule ids to drop */
};

int secret_config_parse(struct secret_config *out, struct fth_arena *a, const char *data,
                        size_t len, const char *name, struct fth_error *err);

/* Compiled forms. */
struct secret_allow {
    const char *id;
    pcre2_code *path;
    pcre2_code *regex;
};

struct secret_rule {
    const char *id, *category, *title, *regex_src;
    enum fth_severity severity;
    int builtin;
    pcre2_code *re;
    uint32_t *groups; /* numbers of the secret groups; ngroups 0: the whole match */
    size_t ngroups;
    pcre2_code *path;
    pcre2_code *placeholder;
    double entropy;
    struct secret_allow *allows;
    size_t nallows;
    pcre2_code **excludes;
    size_t nexcludes;
    int always;   /* no keywords: runs on every file */
    int fallback; /* category "Generic": yields to any other rule's secret on the same bytes */
};

struct fth_secret_rules {
    struct fth_arena *a;
    struct secret_rule *rules;
    size_t n;
    struct secret_allow *allows; /* global */
    size_t nallows;
    pcre2_code **excludes; /* global */
    size_t nexcludes;
    hs_database_t *db; /* every keyword; NULL when no rule has one */
    unsigned *kw_rule; /* keyword id -> rule index */
    size_t nkw;
};

struct fth_secret_scratch {
    const struct fth_secret_rules *rules;
    hs_scratch_t *hs;
    pcre2_match_data *md;  /* rule matches */
    pcre2_match_data *md2; /* allow rules, paths, blocks: checks inside a rule match */
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    unsigned char *active; /* per rule: a keyword was seen */
};

/* Compile one regex with the module's flags; NULL and err set (naming what) on failure. */
pcre2_code *secret_compile(const char *pattern, const char *what, struct fth_error *err);

#endif
