/* fathom db update: download the public advisory feeds and swap the database atomically. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fathom/vulndb.h"

static const char update_help[] =
    "usage: fathom db update [options]\n"
    "\n"
    "Download the public advisory feeds and import those that changed: OSV's archive per\n"
    "ecosystem, Alpine's secdb per branch and repository, the Debian security tracker. Each\n"
    "download is a conditional GET (the ETag and Last-Modified of the last update); a feed that\n"
    "answers 304 keeps its data. The new database is built beside the old one and renamed over\n"
    "it only when every feed succeeded: a failed or interrupted update changes nothing.\n"
    "\n"
    "Options:\n"
    "      --db PATH              the database file (default: $FATHOM_DB, else\n"
    "                             $XDG_CACHE_HOME/fathom/vulndb.sqlite, else\n"
    "                             ~/.cache/fathom/vulndb.sqlite)\n"
    "      --source NAME          only this feed, or the feeds NAME-*: osv, osv-Go, alpine,\n"
    "                             alpine-v3.22, debian-tracker (repeatable)\n"
    "      --config FILE          the feeds, in YAML or JSON (see docs/vulndb.md)\n"
    "      --feed NAME=URL        fetch feed NAME from URL; a new feed when NAME is not one\n"
    "                             (repeatable)\n"
    "  -q, --quiet                no progress and no summary on standard error\n"
    "  -v, --verbose              more messages on standard error (FATHOM_LOG=debug too)\n"
    "  -h, --help                 show this help\n"
    "\n"
    "Environment: FATHOM_FEED_MIRROR, a base URL serving the feeds as <base>/osv/<Ecosystem>/\n"
    "all.zip, <base>/alpine/<branch>/<repo>.json and <base>/debian/json; FATHOM_NET_ALLOW, a\n"
    "comma-separated list of hosts: a feed on any other host is refused before any request.\n"
    "\n"
    "Exit status: 0 updated, or nothing changed; 2 bad usage, a failed download, a damaged\n"
    "feed or an interrupted update (the database is then unchanged).\n";

enum { OPT_DB = CLI_OPT_FIRST_COMMAND, OPT_SOURCE, OPT_CONFIG, OPT_FEED };

#define MAX_ARGS 256

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

/* The progress line on a terminal, redrawn at most ten times a second. */
struct bar {
    int on;
    int drawn;
    const char *feed;
    struct timespec last;
};

static void human(char *out, size_t size, uint64_t n)
{
    if (n >= 1024 * 1024)
        snprintf(out, size, "%.1f MB", (double)n / (1024.0 * 1024.0));
    else
        snprintf(out, size, "%.1f kB", (double)n / 1024.0);
}

static void bar_clear(struct bar *b)
{
    if (b->drawn)
        fputs("\r\033[K", stderr);
    b->drawn = 0;
}

static void progress(void *data, const char *feed, uint64_t done, uint64_t total)
{
    struct bar *b = data;
    struct timespec now;
    char d[32], t[32], cells[31];
    long ms;
    int i, filled;

    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (now.tv_sec - b->last.tv_sec) * 1000 + (now.tv_nsec - b->last.tv_nsec) / 1000000;
    if (b->feed == feed && ms < 100 && !(total && done == total))
        return;
    b->feed = feed;
    b->last = now;
    human(d, sizeof(d), done);
    if (total && done <= total) {
        human(t, sizeof(t), total);
        filled = (int)(done * 30 / total);
        for (i = 0; i < 30; i++)
            cells[i] = i < filled ? '#' : '.';
        cells[30] = '\0';
        fprintf(stderr, "\r%-28.28s [%s] %3d%% %s / %s\033[K", feed, cells,
                (int)(done * 100 / total), d, t);
    } else {
        fprintf(stderr, "\r%-28.28s %s\033[K", feed, d);
    }
    fflush(stderr);
    b->drawn = 1;
}

int cmd_db_update(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"source", required_argument, NULL, OPT_SOURCE},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"feed", required_argument, NULL, OPT_FEED},
        CLI_COMMON_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct fth_vulndb_update_opts uo = FTH_VULNDB_UPDATE_OPTS_INIT;
    struct fth_vulndb_feed_opts fo;
    struct fth_vulndb_update_result res;
    struct fth_vulndb_feed *feeds = NULL;
    const char *sources[MAX_ARGS], *overrides[MAX_ARGS], *dbarg = NULL, *path, *env;
    struct fth_buf pathbuf = FTH_BUF_INIT;
    struct sigaction sa, old_int, old_term, old_hup;
    struct cli_common common;
    struct fth_arena *a = NULL;
    struct fth_error err;
    struct bar bar;
    size_t nfeeds = 0, i;
    int opt, status = CLI_OK, r, handlers = 0;

    memset(&common, 0, sizeof(common));
    memset(&fo, 0, sizeof(fo));
    memset(&bar, 0, sizeof(bar));
    fth_error_clear(&err);
    optind = 1;
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (cli_common_option(&common, opt, optarg))
            continue;
        switch (opt) {
        case 'h':
            fputs(update_help, stdout);
            return CLI_OK;
        case OPT_DB:
            dbarg = optarg;
            break;
        case OPT_CONFIG:
            fo.config = optarg;
            break;
        case OPT_SOURCE:
        case OPT_FEED:
            if ((opt == OPT_SOURCE ? fo.nsources : fo.noverrides) == MAX_ARGS) {
                cli_error("more than %d --source or --feed options", MAX_ARGS);
                return CLI_ERROR;
            }
            if (opt == OPT_SOURCE)
                sources[fo.nsources++] = optarg;
            else
                overrides[fo.noverrides++] = optarg;
            break;
        default:
            cli_error("invalid option; see 'fathom db update --help'");
            return CLI_ERROR;
        }
    }
    if (optind < argc) {
        cli_error("update takes no arguments; see 'fathom db update --help'");
        return CLI_ERROR;
    }
    if (common.format || common.output) {
        cli_error("update writes no report: --format and --output do not apply");
        return CLI_ERROR;
    }
    cli_log_setup(&common);
    fo.sources = sources;
    fo.overrides = overrides;
    if ((env = getenv("FATHOM_FEED_MIRROR")) && *env)
        fo.mirror = env;
    if (!(a = fth_arena_new())) {
        cli_error("out of memory");
        return CLI_ERROR;
    }
    if (!(path = cli_db_path(dbarg, &pathbuf))) {
        cli_error("no database location: use --db or set FATHOM_DB, XDG_CACHE_HOME or HOME");
        status = CLI_ERROR;
        goto out;
    }
    if ((status = cli_make_parent(path)) != CLI_OK)
        goto out;
    if ((r = fth_vulndb_feeds(&feeds, &nfeeds, a, &fo, &err)) < 0) {
        status = cli_report_error(&err, r);
        goto out;
    }
    uo.feeds = feeds;
    uo.nfeeds = nfeeds;
    if ((env = getenv("FATHOM_NET_ALLOW")) && *env)
        uo.allow_hosts = env;
    uo.cancel = &stop;
    bar.on = !common.quiet && isatty(STDERR_FILENO);
    if (bar.on) {
        uo.progress = progress;
        uo.progress_data = &bar;
    }
    /* A signal only asks the update to stop: it then removes its temporary files itself. A
     * second one (SA_RESETHAND) kills at once, for a server that stalls. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    stop = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    handlers = 1;
    r = fth_vulndb_update(&res, a, path, &uo, &err);
    bar_clear(&bar);
    if (r < 0) {
        status = cli_report_error(&err, r);
        goto out;
    }
    for (i = 0; i < res.nfeeds && !common.quiet; i++) {
        const struct fth_vulndb_feed_result *f = &res.feeds[i];

        if (f->not_modified)
            fprintf(stderr, "fathom: %s: not modified\n", f->name);
        else
            fprintf(stderr,
                    "fathom: %s: %zu advisories imported, %zu updated (%zu unchanged, %zu "
                    "skipped)\n",
                    f->name, f->stats.imported, f->stats.updated, f->stats.unchanged,
                    f->stats.skipped);
    }
    if (!common.quiet) {
        if (res.replaced)
            fprintf(stderr, "fathom: updated '%s': %zu advisories\n", path, res.advisories);
        else
            fprintf(stderr, "fathom: '%s' is up to date\n", path);
    }
out:
    if (handlers) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        sigaction(SIGHUP, &old_hup, NULL);
    }
    fth_buf_release(&pathbuf);
    fth_arena_free(a);
    return status;
}
