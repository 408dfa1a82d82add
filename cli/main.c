/*
 * fathom: the command line. Parses arguments and calls the library; only this file chooses
 * the exit status (through each command's return value).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char main_help[] =
    "usage: fathom <command> [<args>]\n"
    "\n"
    "Fathom: Kubernetes supply-chain security. What does this really deploy, and is it safe?\n"
    "\n"
    "Commands:\n"
    "  scan manifest [PATH|-]...  analyse Kubernetes manifests (kubesec rules, Pod Security\n"
    "                             Standards, Fathom's own rules)\n"
    "  scan image IMAGE           an image's vulnerabilities, secrets and hygiene findings,\n"
    "                             and with --list-all-pkgs every package and its layer\n"
    "  scan secret PATH...        credentials in files and directories, masked\n"
    "  sbom IMAGE                 a CycloneDX 1.6 or SPDX 2.3 bill of materials of an image\n"
    "  rules list                 print every rule the scanners apply\n"
    "  version compare|satisfies  compare versions and match ranges per ecosystem\n"
    "  db import|info|query       the vulnerability database: import OSV advisories, match\n"
    "                             a package version against them\n"
    "  verify CHART.tgz           verify a chart against its provenance file (.prov)\n"
    "  package CHART_DIR          package a chart directory, optionally signed (--sign)\n"
    "  template CHART [NAME]      render a chart's manifests as `helm template` does\n"
    "  help [COMMAND]             show help for a command\n"
    "\n"
    "Options:\n"
    "  -h, --help                 show this help\n"
    "      --version              print the version\n"
    "\n"
    "Exit status: 0 nothing reached the gate, 1 a finding reached the gate, 2 bad usage or\n"
    "unreadable input. `fathom <command> --help` describes each command.\n";

const char cli_common_help[] =
    "  -f, --format FORMAT        output format (see above)\n"
    "  -o, --output FILE          write the report to FILE instead of standard output\n"
    "  -q, --quiet                no messages on standard error, only the report\n"
    "  -v, --verbose              more messages on standard error (FATHOM_LOG=debug too)\n"
    "      --no-color             no colour, even on a terminal (NO_COLOR too)\n"
    "  -h, --help                 show this help\n";

void cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("fathom: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): set above */
    va_end(ap);
    fputc('\n', stderr);
}

int cli_report_error(const struct fth_error *err, int code)
{
    struct fth_buf msg = FTH_BUF_INIT;

    if (err->message[0] && fth_error_format(&msg, err) == 0)
        cli_error("%s", msg.ptr);
    else
        cli_error("%s", fth_error_name(code));
    fth_buf_release(&msg);
    return CLI_ERROR;
}

const char *cli_db_path(const char *arg, struct fth_buf *buf)
{
    const char *env = getenv("FATHOM_DB"), *cache = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");

    if (arg)
        return arg;
    if (env && *env)
        return env;
    fth_buf_clear(buf);
    if (cache && cache[0] == '/') {
        if (fth_buf_printf(buf, "%s/fathom/vulndb.sqlite", cache) < 0)
            return NULL;
    } else if (home && *home) {
        if (fth_buf_printf(buf, "%s/.cache/fathom/vulndb.sqlite", home) < 0)
            return NULL;
    } else {
        return NULL;
    }
    return buf->ptr;
}

int cli_make_parent(const char *path)
{
    char *dir = strdup(path), *p, saved;
    int status = CLI_OK;

    if (!dir) {
        cli_error("out of memory");
        return CLI_ERROR;
    }
    if ((p = strrchr(dir, '/')) && p != dir) {
        *p = '\0';
        for (p = dir + 1; status == CLI_OK; p++) {
            if (*p != '/' && *p != '\0')
                continue;
            saved = *p;
            *p = '\0';
            if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
                cli_error("cannot create '%s': %s", dir, strerror(errno));
                status = CLI_ERROR;
            }
            *p = saved;
            if (!saved)
                break;
        }
    }
    free(dir);
    return status;
}

int cli_common_option(struct cli_common *common, int opt, const char *arg)
{
    switch (opt) {
    case 'f':
        common->format = arg;
        return 1;
    case 'o':
        common->output = arg;
        return 1;
    case 'q':
        common->quiet = 1;
        return 1;
    case 'v':
        common->verbose = 1;
        return 1;
    case CLI_OPT_NO_COLOR:
        common->no_color = 1;
        return 1;
    default:
        return 0;
    }
}

static void log_stderr(enum fth_log_level level, const char *module, const char *msg, void *data)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};

    (void)data;
    fprintf(stderr, "fathom: %s: %s: %s\n", names[level], module, msg);
}

void cli_log_setup(const struct cli_common *common)
{
    const char *env = getenv("FATHOM_LOG");
    enum fth_log_level max = FTH_LOG_WARN;

    if (env && !strcasecmp(env, "debug"))
        max = FTH_LOG_DEBUG;
    else if (env && !strcasecmp(env, "info"))
        max = FTH_LOG_INFO;
    if (common->verbose)
        max = FTH_LOG_DEBUG;
    if (common->quiet)
        max = FTH_LOG_ERROR;
    fth_log_set_sink(log_stderr, NULL, max);
}

int cli_output_is_tty(const struct cli_common *common)
{
    return !common->output && isatty(STDOUT_FILENO);
}

int cli_use_color(const struct cli_common *common)
{
    const char *nc = getenv("NO_COLOR");

    return cli_output_is_tty(common) && !common->no_color && !(nc && *nc);
}

int cli_width(void)
{
    struct winsize ws;
    const char *env = getenv("COLUMNS");

    if (env && *env) {
        char *end;
        long n = strtol(env, &end, 10);

        if (!*end && n > 20 && n < 10000)
            return (int)n;
    }
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 0;
}

int cli_write(const struct cli_common *common, const struct fth_buf *out)
{
    FILE *f = stdout;
    int ok;

    if (common->output && !(f = fopen(common->output, "w"))) {
        cli_error("cannot write '%s': %s", common->output, strerror(errno));
        return CLI_ERROR;
    }
    ok = fwrite(out->ptr, 1, out->len, f) == out->len;
    ok = (f == stdout ? fflush(f) : fclose(f)) == 0 && ok;
    if (!ok) {
        cli_error("cannot write '%s': %s", common->output ? common->output : "<stdout>",
                  strerror(errno));
        return CLI_ERROR;
    }
    return CLI_OK;
}

/* Every command: one line each. */
static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"scan", cmd_scan},       {"rules", cmd_rules},       {"version", cmd_version},
    {"db", cmd_db},           {"sbom", cmd_sbom},         {"verify", cmd_verify},
    {"package", cmd_package}, {"template", cmd_template},
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

static int help(const char *cmd)
{
    const struct command *c;
    char *argv[3];

    if (!cmd) {
        fputs(main_help, stdout);
        return CLI_OK;
    }
    if (!(c = find_command(cmd))) {
        cli_error("unknown command '%s'; see 'fathom --help'", cmd);
        return CLI_ERROR;
    }
    argv[0] = (char *)c->name;
    argv[1] = (char *)"--help";
    argv[2] = NULL;
    return c->run(2, argv);
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    const struct command *c;

    if (!cmd) {
        fputs(main_help, stderr);
        return CLI_ERROR;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
        return help(NULL);
    if (!strcmp(cmd, "help"))
        return help(argc > 2 ? argv[2] : NULL);
    if (!strcmp(cmd, "--version")) {
        printf("fathom %s\n", FATHOM_VERSION);
        return CLI_OK;
    }
    if ((c = find_command(cmd)))
        return c->run(argc - 1, argv + 1);
    cli_error("unknown command '%s'; see 'fathom --help'", cmd);
    return CLI_ERROR;
}
