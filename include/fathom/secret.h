/*
 * secret: secret rules (Fathom's built-in ones and custom ones from a YAML file in Trivy's
 * secret config format) and the scanner that applies them to a file's bytes. A keyword
 * prefilter (one vectorscan pass over the file for every rule's keywords) decides which
 * rules' PCRE2 regexes run at all. The matched secret is masked ('*' per byte) in every
 * string a finding carries.
 */
#ifndef FATHOM_SECRET_H
#define FATHOM_SECRET_H

#include "fathom/base.h"
#include "fathom/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A compiled rule set: immutable once built, shareable across threads. */
struct fth_secret_rules;

/*
 * Build the rule set: the built-in rules and allow rules, changed by the config text when
 * config is not NULL (YAML: rules, allow-rules, exclude-block, enable-builtin-rules,
 * disable-rules, disable-allow-rules; see docs/secrets.md). `name` names the config in
 * messages. A rule whose regex does not compile is FTH_EINVALID naming the rule.
 */
int fth_secret_rules_new(struct fth_secret_rules **out, const char *config, size_t config_len,
                         const char *name, struct fth_error *err);
/* The same with the config read from a file (NULL: built-ins only). */
int fth_secret_rules_load(struct fth_secret_rules **out, const char *config_path,
                          struct fth_error *err);
void fth_secret_rules_free(struct fth_secret_rules *rules);

/* One rule as the set holds it, for listings. */
struct fth_secret_rule_info {
    const char *id;
    const char *category;
    const char *title;
    enum fth_severity severity;
    const char *regex;
    int builtin;
};
size_t fth_secret_rules_count(const struct fth_secret_rules *rules);
/* 0 and *out filled for i < count, FTH_ENOTFOUND otherwise. */
int fth_secret_rules_info(struct fth_secret_rule_info *out, const struct fth_secret_rules *rules,
                          size_t i);

/*
 * Per-thread matching state (vectorscan scratch, PCRE2 match data and JIT stack). Scans
 * passing NULL make a temporary one each time; a loop over many files should keep one.
 */
struct fth_secret_scratch;
int fth_secret_scratch_new(struct fth_secret_scratch **out, const struct fth_secret_rules *rules);
void fth_secret_scratch_free(struct fth_secret_scratch *s);

/* One line of context around a finding, masked. */
struct fth_secret_line {
    unsigned number; /* 1-based */
    const char *content;
    size_t len;
    int is_cause; /* the secret is on this line */
    int first_cause, last_cause;
};

struct fth_secret_finding {
    const char *rule_id, *category, *title;
    enum fth_severity severity;
    unsigned start_line, end_line; /* 1-based lines of the secret's first and last byte */
    unsigned column;               /* 1-based byte column of the secret's first byte */
    const char *match;             /* the line holding the secret, masked; a window of it
                                      around the secret when the line is over 100 bytes */
    size_t match_len;
    size_t offset, end;           /* byte range of the secret in the file */
    struct fth_secret_line *code; /* two lines before, the secret's lines, one after */
    size_t code_len;
};

enum fth_secret_skip {
    FTH_SECRET_SCANNED = 0,
    FTH_SECRET_SKIP_ALLOWED, /* the path matched a global allow rule */
    FTH_SECRET_SKIP_BINARY,  /* NUL bytes in the first 8 KiB, or a binary file extension */
    FTH_SECRET_SKIP_SIZE,    /* larger than the size limit */
};

struct fth_secret_result {
    struct fth_secret_finding *findings; /* sorted by rule id, then match, then offset */
    size_t len;
    enum fth_secret_skip skipped;
    int truncated; /* FTH_LIMIT_SECRET_FINDINGS was reached; the rest were dropped */
};

struct fth_secret_scan_opts {
    int scan_binary;   /* scan files that look binary */
    int scan_large;    /* scan files over max_size too (read in chunks) */
    size_t max_size;   /* 0: FTH_LIMIT_SECRET_FILE_SIZE */
    size_t chunk_size; /* streaming: bytes per chunk; 0: FTH_LIMIT_SECRET_CHUNK */
    size_t overlap;    /* streaming: bytes carried to the next chunk; 0: FTH_LIMIT_SECRET_OVERLAP */
    int no_prefilter;  /* run every rule's regex, keywords or not (benchmarks) */
};

#define FTH_SECRET_SCAN_OPTS_INIT                                                                  \
    {                                                                                              \
        0, 0, 0, 0, 0, 0                                                                           \
    }

/*
 * Scan one file's bytes. `path` (relative, as inside an image: "etc/app/.env") is what path
 * rules and allow rules see. Findings and their strings live in a. A file the options skip
 * gives no findings and says why in out->skipped. Errors: FTH_ENOMEM only.
 */
int fth_secret_scan(struct fth_secret_result *out, struct fth_arena *a,
                    struct fth_secret_scratch *scratch, const struct fth_secret_rules *rules,
                    const char *path, const void *data, size_t len,
                    const struct fth_secret_scan_opts *opts, struct fth_error *err);

/*
 * Read: at most len bytes into buf; the count, 0 at the end, or a negative FTH_E* code.
 */
typedef long (*fth_secret_read_fn)(void *data, void *buf, size_t len);

/*
 * Scan a stream in chunks of opts->chunk_size, each starting opts->overlap bytes before the
 * previous one ended, so memory stays at one chunk whatever the size. A secret starting in a
 * chunk's last overlap bytes is left to the next chunk, which holds it whole. A regex match
 * longer than the overlap that straddles a chunk boundary is missed. Findings seen in two
 * chunks are reported once; line numbers and offsets count from the start of the stream.
 * Errors: the reader's, or FTH_ENOMEM.
 */
int fth_secret_scan_stream(struct fth_secret_result *out, struct fth_arena *a,
                           struct fth_secret_scratch *scratch, const struct fth_secret_rules *rules,
                           const char *path, fth_secret_read_fn read, void *read_data,
                           const struct fth_secret_scan_opts *opts, struct fth_error *err);

/*
 * Scan a file or every regular file under a directory (symbolic links are not followed).
 * fn gets each file's path relative to the root given (the file name itself for a file) and
 * its result, in sorted path order; a negative return stops the walk and is returned. A file
 * that is skipped for its size is logged as a warning. `skip_path`, when not NULL, is a file
 * never scanned (the config file itself). Unreadable files are warnings, not errors.
 */
typedef int (*fth_secret_file_fn)(const char *path, const struct fth_secret_result *res,
                                  void *data);
int fth_secret_scan_tree(const struct fth_secret_rules *rules, const char *root,
                         const char *skip_path, const struct fth_secret_scan_opts *opts,
                         fth_secret_file_fn fn, void *fn_data, struct fth_error *err);

/* Shannon entropy of the bytes, in bits per byte (0 to 8). */
double fth_secret_entropy(const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
