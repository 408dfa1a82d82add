/* fathom db: import advisories into the vulnerability database, describe it, query it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"
#include "fathom/cvss.h"
#include "fathom/vulndb.h"

static const char db_help[] =
    "usage: fathom db import [options] PATH...\n"
    "       fathom db info [options]\n"
    "       fathom db query [options] ECOSYSTEM PACKAGE VERSION [--distro NAME:RELEASE]\n"
    "       fathom db update [options]    (see 'fathom db update --help')\n"
    "\n"
    "The vulnerability database: one SQLite file of OSV advisories.\n"
    "\n"
    "import reads OSV advisories in JSON or YAML: files, and directories searched recursively\n"
    "for *.json, *.yaml and *.yml (archives are not read: unpack them first). The import is one\n"
    "transaction: it changes nothing when it fails. A malformed advisory is skipped with a\n"
    "warning naming its file, line and field. An advisory already present is replaced only by\n"
    "one with a later 'modified' time.\n"
    "info prints the sources, the number of advisories and the ecosystems they cover.\n"
    "query prints the advisories affecting VERSION of PACKAGE, with their aliases, fixed\n"
    "versions and severity vectors. ECOSYSTEM is an OSV name (npm, PyPI, Maven, Go,\n"
    "'Debian:12', ...) or an alias (pypi, maven, deb, ...); PyPI names compare normalised.\n"
    "With --distro (debian:bookworm, debian:12, alpine:3.20), PACKAGE is the source package\n"
    "and VERSION its version in that release; each advisory shows its status (fixed,\n"
    "unfixed, will-not-fix, end-of-life, undetermined) and the distro's severity.\n"
    "\n"
    "Options:\n"
    "      --db PATH              the database file (default: $FATHOM_DB, else\n"
    "                             $XDG_CACHE_HOME/fathom/vulndb.sqlite, else\n"
    "                             ~/.cache/fathom/vulndb.sqlite)\n"
    "      --source NAME          import: the name recorded for these advisories (default osv)\n"
    "      --distro NAME:RELEASE  query: match a distro release's advisories\n"
    "  -f, --format FORMAT        info and query: table (default) or json\n"
    "  -q, --quiet                no warnings on standard error\n"
    "  -v, --verbose              more messages on standard error (FATHOM_LOG=debug too)\n"
    "  -h, --help                 show this help\n"
    "\n"
    "Exit status: 0 done (a query that finds advisories too); 2 bad usage, an unreadable path\n"
    "or database, an unknown ecosystem or an invalid version.\n";

enum { OPT_DB = CLI_OPT_FIRST_COMMAND, OPT_SOURCE, OPT_DISTRO };

struct db_args {
    struct cli_common common;
    const char *db;
    const char *source;
    const char *distro; /* query --distro NAME:RELEASE */
    int json;
};

static int db_import(const struct db_args *args, const char *path, char **paths, size_t n)
{
    struct fth_vulndb_import_stats stats;
    struct fth_vulndb *db = NULL;
    struct fth_error err;
    int status = CLI_OK, r;

    fth_error_clear(&err);
    if (n == 0) {
        cli_error("no PATH to import; see 'fathom db --help'");
        return CLI_ERROR;
    }
    if ((status = cli_make_parent(path)) != CLI_OK)
        return status;
    if ((r = fth_vulndb_open(&db, path, FTH_VULNDB_CREATE, &err)) < 0) {
        status = cli_report_error(&err, r);
        goto out;
    }
    if ((r = fth_vulndb_import(&stats, db, (const char *const *)paths, n, args->source, &err)) <
        0) {
        status = cli_report_error(&err, r);
        goto out;
    }
    if (!args->common.quiet)
        fprintf(stderr,
                "fathom: %zu files: %zu imported, %zu updated, %zu unchanged, %zu skipped "
                "into '%s'\n",
                stats.files, stats.imported, stats.updated, stats.unchanged, stats.skipped, path);
out:
    fth_vulndb_free(db);
    return status;
}

static int json_str(struct fth_buf *b, const char *s)
{
    return fth_json_quote_flags(b, s ? s : "", s ? strlen(s) : 0, 0);
}

static int db_info(const struct db_args *args, const char *path)
{
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_vulndb_info info;
    struct fth_vulndb *db = NULL;
    struct fth_arena *a = fth_arena_new();
    struct fth_error err;
    size_t i;
    int status = CLI_OK, r = 0;

    fth_error_clear(&err);
    if (!a) {
        cli_error("out of memory");
        return CLI_ERROR;
    }
    if ((r = fth_vulndb_open(&db, path, FTH_VULNDB_READONLY, &err)) < 0 ||
        (r = fth_vulndb_info(&info, a, db, &err)) < 0) {
        status = cli_report_error(&err, r);
        goto out;
    }
    if (args->json) {
        r |= fth_buf_puts(&out, "{\"database\":");
        r |= json_str(&out, path);
        r |= fth_buf_printf(&out, ",\"schema\":%d,\"advisories\":%zu,\"withdrawn\":%zu,",
                            info.schema, info.advisories, info.withdrawn);
        r |= fth_buf_puts(&out, "\"sources\":[");
        for (i = 0; i < info.nsources; i++) {
            r |= fth_buf_puts(&out, i ? ",{\"name\":" : "{\"name\":");
            r |= json_str(&out, info.sources[i].name);
            r |= fth_buf_puts(&out, ",\"imported_at\":");
            r |= json_str(&out, info.sources[i].imported_at);
            r |= fth_buf_printf(&out, ",\"advisories\":%zu}", info.sources[i].advisories);
        }
        r |= fth_buf_puts(&out, "],\"ecosystems\":[");
        for (i = 0; i < info.necosystems; i++) {
            r |= fth_buf_puts(&out, i ? ",{\"name\":" : "{\"name\":");
            r |= json_str(&out, info.ecosystems[i].ecosystem);
            r |= fth_buf_printf(&out, ",\"advisories\":%zu,\"packages\":%zu}",
                                info.ecosystems[i].advisories, info.ecosystems[i].packages);
        }
        r |= fth_buf_puts(&out, "]}\n");
    } else {
        r |= fth_buf_printf(&out, "database:   %s\nschema:     %d\nadvisories: %zu", path,
                            info.schema, info.advisories);
        if (info.withdrawn)
            r |= fth_buf_printf(&out, " (%zu withdrawn)", info.withdrawn);
        r |= fth_buf_printf(&out, "\n\n%-24s %-22s %10s\n", "SOURCE", "IMPORTED", "ADVISORIES");
        for (i = 0; i < info.nsources; i++)
            r |= fth_buf_printf(&out, "%-24s %-22s %10zu\n", info.sources[i].name,
                                info.sources[i].imported_at, info.sources[i].advisories);
        r |= fth_buf_printf(&out, "\n%-24s %10s %10s\n", "ECOSYSTEM", "ADVISORIES", "PACKAGES");
        for (i = 0; i < info.necosystems; i++)
            r |= fth_buf_printf(&out, "%-24s %10zu %10zu\n", info.ecosystems[i].ecosystem,
                                info.ecosystems[i].advisories, info.ecosystems[i].packages);
    }
    if (r < 0) {
        cli_error("out of memory");
        status = CLI_ERROR;
        goto out;
    }
    status = cli_write(&args->common, &out);
out:
    fth_buf_release(&out);
    fth_vulndb_free(db);
    fth_arena_free(a);
    return status;
}

static int put_list(struct fth_buf *b, const char *const *items, size_t n, const char *sep)
{
    size_t i;
    int r = 0;

    for (i = 0; i < n; i++)
        r |= fth_buf_printf(b, "%s%s", i ? sep : "", items[i]);
    if (!n)
        r |= fth_buf_putc(b, '-');
    return r;
}

static int put_json_list(struct fth_buf *b, const char *const *items, size_t n)
{
    size_t i;
    int r = fth_buf_putc(b, '[');

    for (i = 0; i < n; i++) {
        if (i)
            r |= fth_buf_putc(b, ',');
        r |= json_str(b, items[i]);
    }
    return r | fth_buf_putc(b, ']');
}

/*
 * --distro NAME:RELEASE into the ecosystem asked about and the release: NAME must be the
 * ECOSYSTEM argument's distro (or stand in for it when ECOSYSTEM names none).
 */
static int distro_opts(const char **eco, struct fth_vulndb_match_opts *opts, struct fth_arena *a,
                       const char *ecosystem, const char *distro)
{
    const char *colon = strchr(distro, ':');
    enum fth_ecosystem want, have;
    const char *name;

    *eco = ecosystem;
    if (!colon || colon == distro || !colon[1]) {
        cli_error("'%s': expected --distro NAME:RELEASE, e.g. debian:bookworm", distro);
        return -1;
    }
    if (!(name = fth_arena_strndup(a, distro, (size_t)(colon - distro))))
        return -1;
    want = !strcasecmp(name, "debian")   ? FTH_ECO_DEBIAN
           : !strcasecmp(name, "alpine") ? FTH_ECO_ALPINE
                                         : FTH_ECO_UNKNOWN;
    if (want == FTH_ECO_UNKNOWN) {
        cli_error("'%s': unknown distro; expected debian or alpine", name);
        return -1;
    }
    if (strchr(ecosystem, ':')) {
        cli_error("'%s': give the release either in ECOSYSTEM or with --distro", ecosystem);
        return -1;
    }
    if (fth_ecosystem_parse(&have, ecosystem) == 0 && have != want) {
        cli_error("'%s' is not the ecosystem of --distro '%s'", ecosystem, distro);
        return -1;
    }
    *eco = fth_ecosystem_name(want);
    opts->release = colon + 1;
    return 0;
}

static int db_query(const struct db_args *args, const char *path, char **av, int ac)
{
    struct fth_vulndb_match_opts opts = FTH_VULNDB_MATCH_OPTS_INIT;
    const char *eco = NULL;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_vulndb_match *m = NULL;
    struct fth_vulndb *db = NULL;
    struct fth_arena *a = NULL;
    struct fth_error err;
    struct fth_cvss cvss;
    size_t n = 0, i, j;
    int status = CLI_OK, r = 0;

    fth_error_clear(&err);
    if (ac != 3) {
        cli_error("expected ECOSYSTEM PACKAGE VERSION; see 'fathom db --help'");
        return CLI_ERROR;
    }
    if (!(a = fth_arena_new())) {
        cli_error("out of memory");
        return CLI_ERROR;
    }
    eco = av[0];
    if (args->distro && distro_opts(&eco, &opts, a, av[0], args->distro) < 0) {
        status = CLI_ERROR;
        goto out;
    }
    if ((r = fth_vulndb_open(&db, path, FTH_VULNDB_READONLY, &err)) < 0 ||
        (r = fth_vulndb_lookup(&m, &n, a, db, eco, av[1], av[2], &opts, &err)) < 0) {
        status = cli_report_error(&err, r);
        goto out;
    }
    r = 0;
    if (args->json) {
        r |= fth_buf_putc(&out, '[');
        for (i = 0; i < n; i++) {
            r |= fth_buf_puts(&out, i ? ",{\"id\":" : "{\"id\":");
            r |= json_str(&out, m[i].id);
            r |= fth_buf_puts(&out, ",\"aliases\":");
            r |= put_json_list(&out, m[i].aliases, m[i].naliases);
            r |= fth_buf_puts(&out, ",\"package\":");
            r |= json_str(&out, m[i].package);
            r |= fth_buf_puts(&out, ",\"summary\":");
            r |= json_str(&out, m[i].summary);
            r |= fth_buf_puts(&out, ",\"fixed\":");
            r |= put_json_list(&out, m[i].fixed, m[i].nfixed);
            r |= fth_buf_puts(&out, ",\"severity\":[");
            for (j = 0; j < m[i].nseverity; j++) {
                r |= fth_buf_puts(&out, j ? ",{\"type\":" : "{\"type\":");
                r |= json_str(&out, m[i].severity[j].type);
                r |= fth_buf_puts(&out, ",\"score\":");
                r |= json_str(&out, m[i].severity[j].score);
                if (fth_cvss_parse(&cvss, m[i].severity[j].score, NULL) == 0)
                    r |= fth_buf_printf(&out, ",\"baseScore\":%.1f,\"baseSeverity\":\"%s\"",
                                        cvss.base_score, cvss.severity);
                r |= fth_buf_putc(&out, '}');
            }
            r |= fth_buf_puts(&out, "],\"published\":");
            r |= json_str(&out, m[i].published);
            r |= fth_buf_puts(&out, ",\"modified\":");
            r |= json_str(&out, m[i].modified);
            r |= fth_buf_puts(&out, ",\"source\":");
            r |= json_str(&out, m[i].source);
            r |= fth_buf_puts(&out, ",\"status\":");
            r |= json_str(&out, m[i].status);
            if (args->distro) {
                r |= fth_buf_puts(&out, ",\"release\":");
                r |= json_str(&out, m[i].release);
                r |= fth_buf_puts(&out, ",\"distroSeverity\":");
                r |= json_str(&out, m[i].distro_severity);
            }
            r |= fth_buf_putc(&out, '}');
        }
        r |= fth_buf_puts(&out, "]\n");
    } else if (!n) {
        r |= fth_buf_printf(&out, "no advisories for %s %s %s%s%s\n", av[0], av[1], av[2],
                            args->distro ? " in " : "", args->distro ? args->distro : "");
    } else if (args->distro) {
        r |= fth_buf_printf(&out, "%-24s %-14s %-24s %-10s %-10s %s\n", "ID", "STATUS", "FIXED",
                            "RELEASE", "SEVERITY", "ALIASES");
        for (i = 0; i < n; i++) {
            struct fth_buf cell = FTH_BUF_INIT;

            r |= put_list(&cell, m[i].fixed, m[i].nfixed, ",");
            r |= fth_buf_printf(&out, "%-24s %-14s %-24s %-10s %-10s ", m[i].id, m[i].status,
                                cell.ptr, *m[i].release ? m[i].release : "-",
                                *m[i].distro_severity ? m[i].distro_severity : "-");
            fth_buf_clear(&cell);
            r |= put_list(&cell, m[i].aliases, m[i].naliases, ",");
            r |= fth_buf_printf(&out, "%s\n", cell.ptr);
            fth_buf_release(&cell);
        }
    } else {
        r |= fth_buf_printf(&out, "%-20s %-30s %-16s %s\n", "ID", "ALIASES", "FIXED", "SUMMARY");
        for (i = 0; i < n; i++) {
            struct fth_buf cell = FTH_BUF_INIT;

            r |= fth_buf_printf(&out, "%-20s ", m[i].id);
            r |= put_list(&cell, m[i].aliases, m[i].naliases, ",");
            r |= fth_buf_printf(&out, "%-30s ", cell.ptr);
            fth_buf_clear(&cell);
            r |= put_list(&cell, m[i].fixed, m[i].nfixed, ",");
            r |= fth_buf_printf(&out, "%-16s %s\n", cell.ptr, *m[i].summary ? m[i].summary : "-");
            for (j = 0; j < m[i].nseverity; j++) {
                if (fth_cvss_parse(&cvss, m[i].severity[j].score, NULL) == 0)
                    r |= fth_buf_printf(&out, "%-20s %.1f %-8s %s\n", "", cvss.base_score,
                                        cvss.severity, m[i].severity[j].score);
                else
                    r |= fth_buf_printf(&out, "%-20s %s %s\n", "", m[i].severity[j].type,
                                        m[i].severity[j].score);
            }
            fth_buf_release(&cell);
        }
    }
    if (r < 0) {
        cli_error("out of memory");
        status = CLI_ERROR;
        goto out;
    }
    status = cli_write(&args->common, &out);
out:
    fth_buf_release(&out);
    fth_vulndb_free(db);
    fth_arena_free(a);
    return status;
}

int cmd_db(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"source", required_argument, NULL, OPT_SOURCE},
        {"distro", required_argument, NULL, OPT_DISTRO},
        CLI_COMMON_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    const char *what = argc > 1 ? argv[1] : NULL, *path;
    struct fth_buf pathbuf = FTH_BUF_INIT;
    struct db_args args;
    int opt, status = CLI_OK;

    memset(&args, 0, sizeof(args));
    if (!what || !strcmp(what, "--help") || !strcmp(what, "-h")) {
        fputs(db_help, what ? stdout : stderr);
        return what ? CLI_OK : CLI_ERROR;
    }
    if (!strcmp(what, "update"))
        return cmd_db_update(argc - 1, argv + 1);
    if (strcmp(what, "import") != 0 && strcmp(what, "info") != 0 && strcmp(what, "query") != 0) {
        cli_error("unknown db command '%s'; see 'fathom db --help'", what);
        return CLI_ERROR;
    }
    argc--;
    argv++;
    optind = 1;
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (cli_common_option(&args.common, opt, optarg))
            continue;
        switch (opt) {
        case 'h':
            fputs(db_help, stdout);
            return CLI_OK;
        case OPT_DB:
            args.db = optarg;
            break;
        case OPT_SOURCE:
            args.source = optarg;
            break;
        case OPT_DISTRO:
            args.distro = optarg;
            break;
        default:
            cli_error("invalid option; see 'fathom db --help'");
            return CLI_ERROR;
        }
    }
    argc -= optind;
    argv += optind;
    if (args.common.format && strcmp(args.common.format, "table") != 0 &&
        strcmp(args.common.format, "json") != 0) {
        cli_error("unknown format '%s': expected table or json", args.common.format);
        return CLI_ERROR;
    }
    args.json = args.common.format && !strcmp(args.common.format, "json");
    if (args.source && strcmp(what, "import") != 0) {
        cli_error("--source goes with 'db import'");
        return CLI_ERROR;
    }
    if (args.distro && strcmp(what, "query") != 0) {
        cli_error("--distro goes with 'db query'");
        return CLI_ERROR;
    }
    cli_log_setup(&args.common);
    if (!(path = cli_db_path(args.db, &pathbuf))) {
        cli_error("no database location: use --db or set FATHOM_DB, XDG_CACHE_HOME or HOME");
        status = CLI_ERROR;
        goto out;
    }
    if (!strcmp(what, "import"))
        status = db_import(&args, path, argv, (size_t)argc);
    else if (!strcmp(what, "info"))
        status = argc ? (cli_error("info takes no arguments"), CLI_ERROR) : db_info(&args, path);
    else
        status = db_query(&args, path, argv, argc);
out:
    fth_buf_release(&pathbuf);
    return status;
}
