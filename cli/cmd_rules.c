/* fathom rules list: print the rules the scanners apply. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char rules_help[] =
    "usage: fathom rules list [options]\n"
    "\n"
    "Print every rule Fathom's manifest scan applies: kubesec's rules (with their points),\n"
    "the Pod Security Standards checks and Fathom's own, each with its id, severity, title,\n"
    "rationale, remediation and reference.\n"
    "\n"
    "Options:\n"
    "      --source SOURCE        only the rules of one source: kubesec, pss or fathom\n"
    "%s"
    "\n"
    "Formats: table (default), json.\n";

enum { OPT_SOURCE = CLI_OPT_FIRST_COMMAND };

static int rules_list(int argc, char **argv)
{
    static const struct option options[] = {
        CLI_COMMON_OPTIONS,
        {"source", required_argument, NULL, OPT_SOURCE},
        {NULL, 0, NULL, 0},
    };
    struct cli_common common = {0};
    const char *source = NULL;
    const struct fth_rule *const *all;
    const struct fth_rule **picked = NULL;
    enum fth_report_format fmt = FTH_REPORT_TABLE;
    struct fth_buf out = FTH_BUF_INIT;
    size_t n, i, k = 0;
    int opt, status = CLI_ERROR;

    optind = 1;
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (cli_common_option(&common, opt, optarg))
            continue;
        if (opt == 'h') {
            printf(rules_help, cli_common_help);
            return CLI_OK;
        }
        if (opt == OPT_SOURCE) {
            source = optarg;
            if (strcmp(source, "kubesec") != 0 && strcmp(source, "pss") != 0 &&
                strcmp(source, "fathom") != 0) {
                cli_error("unknown source '%s': expected kubesec, pss or fathom", source);
                return CLI_ERROR;
            }
            continue;
        }
        cli_error("invalid option; see 'fathom rules list --help'");
        return CLI_ERROR;
    }
    if (optind < argc) {
        cli_error("unexpected argument '%s'; see 'fathom rules list --help'", argv[optind]);
        return CLI_ERROR;
    }
    cli_log_setup(&common);
    if (common.format && (fth_report_format_parse(&fmt, common.format) < 0 ||
                          (fmt != FTH_REPORT_TABLE && fmt != FTH_REPORT_JSON))) {
        cli_error("unknown format '%s' for rules: expected table or json", common.format);
        return CLI_ERROR;
    }
    all = fth_k8s_rules(&n);
    picked = calloc(n ? n : 1, sizeof(*picked));
    if (!picked)
        goto oom;
    for (i = 0; i < n; i++)
        if (!source || !strcmp(all[i]->source, source))
            picked[k++] = all[i];
    if (fth_report_rules(&out, fmt, picked, k) < 0)
        goto oom;
    status = cli_write(&common, &out);
    goto out;
oom:
    cli_error("out of memory");
    status = CLI_ERROR;
out:
    free(picked);
    fth_buf_release(&out);
    return status;
}

int cmd_rules(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : NULL;

    if (what && !strcmp(what, "list"))
        return rules_list(argc - 1, argv + 1);
    if (what && (!strcmp(what, "--help") || !strcmp(what, "-h"))) {
        printf("usage: fathom rules list [options]\n\n"
               "Print the rule catalogue (see 'fathom rules list --help').\n");
        return CLI_OK;
    }
    cli_error("%s '%s'; see 'fathom rules --help'",
              what ? "unknown rules command" : "no rules command", what ? what : "");
    return CLI_ERROR;
}
