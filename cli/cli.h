/* cli: the pieces every subcommand shares (options, output, exit statuses). */
#ifndef FATHOM_CLI_H
#define FATHOM_CLI_H

#include <stdio.h>

#include "fathom/fathom.h"

/* Exit statuses, the same for every command. */
#define CLI_OK 0    /* nothing reached the gate */
#define CLI_FAIL 1  /* something reached the gate */
#define CLI_ERROR 2 /* bad usage or unreadable input */

/* The flags every command takes. */
struct cli_common {
    const char *format; /* NULL: the command's default */
    const char *output; /* NULL: standard output */
    int quiet;
    int verbose;
    int no_color;
};

/* Option codes of the common long options, above any short option character. */
enum {
    CLI_OPT_NO_COLOR = 256,
    CLI_OPT_FIRST_COMMAND, /* commands number their own long-only options from here */
};

/* getopt_long entries for the common flags, terminated like any option table. */
#define CLI_COMMON_OPTIONS                                                                         \
    {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},            \
        {"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'},                    \
        {"no-color", no_argument, NULL, CLI_OPT_NO_COLOR},                                         \
    {                                                                                              \
        "help", no_argument, NULL, 'h'                                                             \
    }
#define CLI_COMMON_SHORT "f:o:qvh"

/* Help text of the common flags, for each command's --help. */
extern const char cli_common_help[];

/* Handle a common option; 1 when it was one, 0 when not. */
int cli_common_option(struct cli_common *common, int opt, const char *arg);

/* Install the log sink on stderr as the flags ask. */
void cli_log_setup(const struct cli_common *common);

/* Does output go to a terminal (stdout, and no --output)? */
int cli_output_is_tty(const struct cli_common *common);
/* Colour when writing to a terminal, unless --no-color or NO_COLOR. */
int cli_use_color(const struct cli_common *common);
/* Terminal width, or 0 when unknown. */
int cli_width(void);

/* Write the bytes to --output or stdout; CLI_ERROR with a message when that fails. */
int cli_write(const struct cli_common *common, const struct fth_buf *out);

/* Print err as "file:line:col: message" (or the code's name) after "fathom: "; CLI_ERROR. */
int cli_report_error(const struct fth_error *err, int code);

/*
 * The vulnerability database every command uses: arg (--db), else $FATHOM_DB, else
 * $XDG_CACHE_HOME/fathom/vulndb.sqlite, else ~/.cache/fathom/vulndb.sqlite (built in buf).
 * NULL when none can be named; the caller says so.
 */
const char *cli_db_path(const char *arg, struct fth_buf *buf);

/* mkdir -p of the directory that will hold path; CLI_ERROR with a message on failure. */
int cli_make_parent(const char *path);

/* Print "fathom: <message>" to stderr. */
void cli_error(const char *fmt, ...) FTH_PRINTF(1, 2);

int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_scan_image(int argc, char **argv);
int cmd_sbom(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_package(int argc, char **argv);
int cmd_template(int argc, char **argv);    /* cmd_template.c: `helm template` */
int cmd_db_update(int argc, char **argv);   /* cmd_db_update.c: `db update` */
int cmd_scan_secret(int argc, char **argv); /* cmd_scan_secret.c: `scan secret` */

#endif
