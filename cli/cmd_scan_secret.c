/* fathom scan secret: look for credentials in files and directory trees. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "fathom/secret.h"

static const char secret_help[] =
    "usage: fathom scan secret [options] PATH...\n"
    "\n"
    "Look for credentials (cloud keys, tokens, private keys, passwords in connection strings\n"
    "and config files) in files and, recursively, directories. Every secret is masked in the\n"
    "output. Binary files and files over the size limit are skipped (a warning names the\n"
    "large ones).\n"
    "\n"
    "Options:\n"
    "      --config FILE          custom rules and allow rules in Trivy's secret config format\n"
    "                             (--secret-config is the same); the file itself is not scanned\n"
    "      --severity LIST        report only these severities (comma-separated: critical,\n"
    "                             high, medium, low, unknown)\n"
    "      --exit-code N          exit status when something is reported (default 1)\n"
    "      --scan-binary          scan files that look binary too\n"
    "      --max-size BYTES       skip files larger than this (default 33554432)\n"
    "      --scan-large           scan files over --max-size too, in chunks\n"
    "%s"
    "\n"
    "Formats: table (default), json (Trivy's report layout: Results[].Secrets[]).\n"
    "\n"
    "Exit status: 0 nothing reported; --exit-code (1) something reported; 2 bad usage,\n"
    "unreadable input or a bad rule in --config.\n";

enum {
    OPT_CONFIG = CLI_OPT_FIRST_COMMAND,
    OPT_SEVERITY,
    OPT_EXIT_CODE,
    OPT_SCAN_BINARY,
    OPT_MAX_SIZE,
    OPT_SCAN_LARGE,
};

struct run {
    int json;
    int multi; /* more than one PATH: targets carry the root */
    const char *root;
    unsigned severities; /* bit per enum fth_severity; 0: all */
    struct fth_buf *out;
    size_t files, reported;
    size_t by_sev[FTH_SEV_CRITICAL + 1];
    int first_result;
};

static int usage_error(const char *fmt, const char *arg)
{
    fputs("fathom: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("; see 'fathom scan secret --help'\n", stderr);
    return CLI_ERROR;
}

static int parse_severities(unsigned *out, const char *list)
{
    enum fth_severity sev;
    char *copy = strdup(list), *p, *comma;
    int error = 0;

    if (!copy)
        return FTH_ENOMEM;
    *out = 0;
    for (p = copy; p && *p; p = comma) {
        comma = strchr(p, ',');
        if (comma)
            *comma++ = 0;
        if (fth_severity_parse(&sev, p) < 0) {
            error = FTH_EINVALID;
            break;
        }
        *out |= 1u << sev;
    }
    free(copy);
    return error;
}

static int wanted(const struct run *r, const struct fth_secret_finding *f)
{
    return !r->severities || (r->severities & (1u << f->severity));
}

static int put_json_str(struct fth_buf *b, const char *s, size_t len)
{
    return fth_json_quote(b, s, len);
}

static int json_finding(struct fth_buf *b, const struct fth_secret_finding *f, int first)
{
    size_t i;
    int e = 0;

    e |= fth_buf_puts(b, first ? "\n        {\n" : ",\n        {\n");
    e |= fth_buf_puts(b, "          \"RuleID\": ");
    e |= put_json_str(b, f->rule_id, strlen(f->rule_id));
    e |= fth_buf_puts(b, ",\n          \"Category\": ");
    e |= put_json_str(b, f->category, strlen(f->category));
    e |= fth_buf_printf(b, ",\n          \"Severity\": \"%s\",\n          \"Title\": ",
                        fth_severity_name(f->severity));
    e |= put_json_str(b, f->title, strlen(f->title));
    e |= fth_buf_printf(b,
                        ",\n          \"StartLine\": %u,\n          \"EndLine\": %u,\n"
                        "          \"Column\": %u,\n          \"Code\": {\n"
                        "            \"Lines\": [",
                        f->start_line, f->end_line, f->column);
    for (i = 0; i < f->code_len; i++) {
        const struct fth_secret_line *l = &f->code[i];

        e |= fth_buf_printf(b,
                            "%s\n              {\n                \"Number\": %u,\n"
                            "                \"Content\": ",
                            i ? "," : "", l->number);
        e |= put_json_str(b, l->content, l->len);
        e |= fth_buf_printf(b, ",\n                \"IsCause\": %s,\n",
                            l->is_cause ? "true" : "false");
        e |= fth_buf_puts(b, "                \"Highlighted\": ");
        e |= put_json_str(b, l->content, l->len);
        e |= fth_buf_printf(b,
                            ",\n                \"FirstCause\": %s,\n"
                            "                \"LastCause\": %s\n              }",
                            l->first_cause ? "true" : "false", l->last_cause ? "true" : "false");
    }
    e |= fth_buf_puts(b, "\n            ]\n          },\n          \"Match\": ");
    e |= put_json_str(b, f->match, f->match_len);
    e |= fth_buf_printf(b, ",\n          \"Offset\": %zu\n        }", f->offset);
    return e ? FTH_ENOMEM : 0;
}

static int on_file(const char *path, const struct fth_secret_result *res, void *data)
{
    struct run *r = data;
    struct fth_buf target = FTH_BUF_INIT;
    size_t i, n = 0;
    int e = 0, first = 1;

    r->files++;
    for (i = 0; i < res->len; i++)
        n += wanted(r, &res->findings[i]);
    if (res->truncated)
        fth_log(FTH_LOG_WARN, "secret", "'%s': only the first %zu findings are reported", path,
                res->len);
    if (!n)
        return 0;
    if (r->multi && fth_buf_printf(&target, "%s/%s", r->root, path) < 0)
        return FTH_ENOMEM;
    if (!r->multi && fth_buf_puts(&target, path) < 0)
        return FTH_ENOMEM;
    r->reported += n;
    if (r->json) {
        e |= fth_buf_puts(r->out, r->first_result ? "\n    {\n" : ",\n    {\n");
        r->first_result = 0;
        e |= fth_buf_puts(r->out, "      \"Target\": ");
        e |= put_json_str(r->out, target.ptr, target.len);
        e |= fth_buf_puts(r->out, ",\n      \"Class\": \"secret\",\n      \"Secrets\": [");
        for (i = 0; i < res->len; i++) {
            if (!wanted(r, &res->findings[i]))
                continue;
            r->by_sev[res->findings[i].severity]++;
            e |= json_finding(r->out, &res->findings[i], first);
            first = 0;
        }
        e |= fth_buf_puts(r->out, "\n      ]\n    }");
    } else {
        e |= fth_buf_printf(r->out, "\n%s (secrets: %zu)\n", target.ptr, n);
        for (i = 0; i < res->len; i++) {
            const struct fth_secret_finding *f = &res->findings[i];

            if (!wanted(r, f))
                continue;
            r->by_sev[f->severity]++;
            e |= fth_buf_printf(r->out, "  %-8s %s: %s (line %u, column %u)\n    ",
                                fth_severity_name(f->severity), f->rule_id, f->title, f->start_line,
                                f->column);
            e |= fth_buf_put(r->out, f->match, f->match_len);
            e |= fth_buf_putc(r->out, '\n');
        }
    }
    fth_buf_release(&target);
    return e ? FTH_ENOMEM : 0;
}

int cmd_scan_secret(int argc, char **argv)
{
    static const struct option options[] = {
        CLI_COMMON_OPTIONS,
        {"config", required_argument, NULL, OPT_CONFIG},
        {"secret-config", required_argument, NULL, OPT_CONFIG},
        {"severity", required_argument, NULL, OPT_SEVERITY},
        {"exit-code", required_argument, NULL, OPT_EXIT_CODE},
        {"scan-binary", no_argument, NULL, OPT_SCAN_BINARY},
        {"max-size", required_argument, NULL, OPT_MAX_SIZE},
        {"scan-large", no_argument, NULL, OPT_SCAN_LARGE},
        {NULL, 0, NULL, 0},
    };
    struct cli_common common = {0};
    struct fth_secret_scan_opts opts = FTH_SECRET_SCAN_OPTS_INIT;
    struct fth_secret_rules *rules = NULL;
    struct fth_buf out = FTH_BUF_INIT, body = FTH_BUF_INIT;
    struct fth_error err;
    struct run run;
    const char *config = NULL;
    unsigned long long size;
    long exit_code = CLI_FAIL;
    char *end;
    int opt, status = CLI_ERROR, i, error = 0;

    memset(&run, 0, sizeof(run));
    optind = 1;
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT, options, NULL)) != -1) {
        if (cli_common_option(&common, opt, optarg))
            continue;
        switch (opt) {
        case 'h':
            printf(secret_help, cli_common_help);
            return CLI_OK;
        case OPT_CONFIG:
            config = optarg;
            break;
        case OPT_SEVERITY:
            if (parse_severities(&run.severities, optarg) < 0)
                return usage_error("'%s' for --severity: expected severities separated by commas",
                                   optarg);
            break;
        case OPT_EXIT_CODE:
            exit_code = strtol(optarg, &end, 10);
            if (!*optarg || *end || exit_code < 0 || exit_code > 255)
                return usage_error("'%s' for --exit-code: expected a number from 0 to 255", optarg);
            break;
        case OPT_SCAN_BINARY:
            opts.scan_binary = 1;
            break;
        case OPT_MAX_SIZE:
            size = strtoull(optarg, &end, 10);
            if (!*optarg || *end || !size || optarg[0] == '-')
                return usage_error("'%s' for --max-size: expected a positive number of bytes",
                                   optarg);
            opts.max_size = (size_t)size;
            break;
        case OPT_SCAN_LARGE:
            opts.scan_large = 1;
            break;
        default:
            return usage_error("%s", "invalid option");
        }
    }
    cli_log_setup(&common);
    if (common.format && strcmp(common.format, "table") && strcmp(common.format, "json"))
        return usage_error("unknown format '%s': expected table or json", common.format);
    run.json = common.format && !strcmp(common.format, "json");
    if (optind >= argc)
        return usage_error("%s", "no input: give files or directories");

    fth_error_clear(&err);
    if (fth_secret_rules_load(&rules, config, &err) < 0) {
        struct fth_buf msg = FTH_BUF_INIT;

        if (fth_error_format(&msg, &err) == 0)
            cli_error("%s", msg.ptr);
        fth_buf_release(&msg);
        return CLI_ERROR;
    }
    run.out = &body;
    run.first_result = 1;
    run.multi = argc - optind > 1;
    for (i = optind; i < argc && error >= 0; i++) {
        run.root = argv[i];
        fth_error_clear(&err);
        error = fth_secret_scan_tree(rules, argv[i], config, &opts, on_file, &run, &err);
        if (error < 0 && error != FTH_ENOMEM) {
            cli_error("%s", err.message);
            status = CLI_ERROR;
            goto out;
        }
    }
    if (error < 0)
        goto oom;
    if (run.json) {
        if (fth_buf_printf(&out, "{\n  \"SchemaVersion\": 2,\n  \"ArtifactName\": ") < 0 ||
            fth_json_quote(&out, argv[optind], strlen(argv[optind])) < 0 ||
            fth_buf_printf(&out,
                           ",\n  \"ArtifactType\": \"filesystem\",\n  \"Results\": [%s%s]\n}\n",
                           body.ptr, run.first_result ? "" : "\n  ") < 0)
            goto oom;
    } else {
        if (fth_buf_printf(&out,
                           "Secrets: %zu in %zu files (CRITICAL: %zu, HIGH: %zu, MEDIUM: %zu, "
                           "LOW: %zu, UNKNOWN: %zu)\n%s",
                           run.reported, run.files, run.by_sev[FTH_SEV_CRITICAL],
                           run.by_sev[FTH_SEV_HIGH], run.by_sev[FTH_SEV_MEDIUM],
                           run.by_sev[FTH_SEV_LOW], run.by_sev[FTH_SEV_UNKNOWN], body.ptr) < 0)
            goto oom;
    }
    status = cli_write(&common, &out);
    if (status == CLI_OK && run.reported)
        status = (int)exit_code;
    goto out;
oom:
    cli_error("out of memory");
    status = CLI_ERROR;
out:
    fth_buf_release(&out);
    fth_buf_release(&body);
    fth_secret_rules_free(rules);
    return status;
}
