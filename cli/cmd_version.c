/* fathom version: compare versions and match ranges as each ecosystem's own tool does. */
#include <getopt.h>
#include <stdio.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char version_help[] =
    "usage: fathom version compare [options] ECOSYSTEM A B\n"
    "       fathom version compare [options] ECOSYSTEM --batch\n"
    "       fathom version satisfies [options] ECOSYSTEM VERSION RANGE\n"
    "\n"
    "Compare versions and match ranges exactly as each ecosystem's own tool does.\n"
    "\n"
    "compare prints '<', '=' or '>' (A against B). With --batch it reads 'A<TAB>B' lines on\n"
    "standard input and prints '<', '=', '>' or 'invalid' for each line.\n"
    "satisfies prints 'true' or 'false': does VERSION satisfy RANGE, written in the\n"
    "ecosystem's own syntax (npm ranges, PEP 440 specifiers, Maven and NuGet intervals,\n"
    "RubyGems and Hex requirements, Composer constraints, Cargo requirements; for Debian,\n"
    "Alpine, RPM and Go a list of relations such as '>= 1.2, < 2.0').\n"
    "\n"
    "Ecosystems: OSV's names (Debian, Alpine, 'Red Hat', npm, Go, PyPI, Maven, RubyGems,\n"
    "NuGet, Packagist, crates.io, Hex) or deb, apk, rpm, semver, go, pypi, maven, gem,\n"
    "nuget, composer, cargo, hex.\n"
    "\n"
    "Options:\n"
    "      --batch                compare: read pairs from standard input\n"
    "      --loose                npm: node-semver's loose parsing\n"
    "      --include-prerelease   npm: ranges match prereleases too\n"
    "  -h, --help                 show this help\n"
    "\n"
    "Exit status: 0 done; 2 bad usage, an unknown ecosystem or an invalid version or range\n"
    "(--batch reports invalid lines and still exits 0).\n";

enum { OPT_BATCH = CLI_OPT_FIRST_COMMAND, OPT_LOOSE, OPT_INCLUDE_PRERELEASE };

static const char cmp_text[3][2] = {"<", "=", ">"};

/* Compare A<TAB>B lines from stdin; one answer a line. */
static int batch(enum fth_ecosystem eco, unsigned flags)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = CLI_OK;

    while ((n = getline(&line, &cap, stdin)) >= 0) {
        char *tab;
        int cmp;

        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (!(tab = strchr(line, '\t'))) {
            puts("invalid");
            continue;
        }
        *tab = '\0';
        if (fth_version_compare(&cmp, eco, line, tab + 1, flags, NULL) < 0)
            puts("invalid");
        else
            puts(cmp_text[cmp + 1]);
    }
    free(line);
    if (fflush(stdout) != 0) {
        cli_error("cannot write the answers");
        status = CLI_ERROR;
    }
    return status;
}

int cmd_version(int argc, char **argv)
{
    static const struct option options[] = {
        {"batch", no_argument, NULL, OPT_BATCH},
        {"loose", no_argument, NULL, OPT_LOOSE},
        {"include-prerelease", no_argument, NULL, OPT_INCLUDE_PRERELEASE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *what = argc > 1 ? argv[1] : NULL;
    enum fth_ecosystem eco;
    struct fth_error err;
    unsigned flags = 0;
    int opt, use_batch = 0, compare, r;

    if (!what || !strcmp(what, "--help") || !strcmp(what, "-h")) {
        fputs(version_help, what ? stdout : stderr);
        return what ? CLI_OK : CLI_ERROR;
    }
    compare = !strcmp(what, "compare");
    if (!compare && strcmp(what, "satisfies") != 0) {
        cli_error("unknown version command '%s'; see 'fathom version --help'", what);
        return CLI_ERROR;
    }
    argc--;
    argv++;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(version_help, stdout);
            return CLI_OK;
        case OPT_BATCH:
            use_batch = 1;
            break;
        case OPT_LOOSE:
            flags |= FTH_VERSION_LOOSE;
            break;
        case OPT_INCLUDE_PRERELEASE:
            flags |= FTH_VERSION_INCLUDE_PRERELEASE;
            break;
        default:
            cli_error("invalid option; see 'fathom version --help'");
            return CLI_ERROR;
        }
    }
    argc -= optind;
    argv += optind;
    if (argc < 1) {
        cli_error("no ecosystem; see 'fathom version --help'");
        return CLI_ERROR;
    }
    if (fth_ecosystem_parse(&eco, argv[0]) < 0) {
        cli_error("unknown ecosystem '%s': expected Debian, Alpine, 'Red Hat', npm, Go, PyPI, "
                  "Maven, RubyGems, NuGet, Packagist, crates.io, Hex (or deb, apk, rpm, semver, "
                  "go, pypi, maven, gem, nuget, composer, cargo, hex)",
                  argv[0]);
        return CLI_ERROR;
    }
    if (use_batch) {
        if (!compare || argc != 1) {
            cli_error("--batch goes with 'compare ECOSYSTEM' alone");
            return CLI_ERROR;
        }
        return batch(eco, flags);
    }
    if (argc != 3) {
        cli_error("expected %s; see 'fathom version --help'",
                  compare ? "ECOSYSTEM A B" : "ECOSYSTEM VERSION RANGE");
        return CLI_ERROR;
    }
    fth_error_clear(&err);
    if (compare) {
        if (fth_version_compare(&r, eco, argv[1], argv[2], flags, &err) < 0) {
            cli_error("%s", err.message);
            return CLI_ERROR;
        }
        puts(cmp_text[r + 1]);
        return CLI_OK;
    }
    if (fth_version_satisfies(&r, eco, argv[1], argv[2], flags, &err) < 0) {
        cli_error("%s", err.message);
        return CLI_ERROR;
    }
    puts(r ? "true" : "false");
    return CLI_OK;
}
