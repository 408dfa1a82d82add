/* fathom scan manifest: analyse Kubernetes manifests and gate on what was found. */
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char scan_help[] =
    "usage: fathom scan manifest [options] [PATH|-]...\n"
    "\n"
    "Analyse Kubernetes manifests: files, directories (recursively: *.yaml, *.yml, *.json)\n"
    "and '-' for standard input. Every YAML document of a stream is read (any separator\n"
    "form), as are JSON documents and the items of 'kind: List'. Workloads (Pod, Deployment,\n"
    "StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) are checked\n"
    "through their pod template; RBAC, Services, Secrets, ConfigMaps, Namespaces and\n"
    "NetworkPolicy coverage are checked too. Other kinds are listed as not analysed.\n"
    "\n"
    "Options:\n"
    "      --fail-on SEVERITY     exit 1 when a finding is at or over SEVERITY: critical,\n"
    "                             high (default), medium, low, info, or none\n"
    "      --min-score N          exit 1 when an object kubesec scores is under N\n"
    "      --pss LEVEL[@VERSION]  check the Pod Security Standards: baseline or restricted,\n"
    "                             at a policy version (v1.0 to latest; default latest);\n"
    "                             exit 1 when a pod violates them\n"
    "      --no-annotations       refuse suppressions by the fathom.dev/ignore annotation\n"
    "  -j, --threads N            threads for directories (default: one per core)\n"
    "%s"
    "\n"
    "Formats: table (default on a terminal), json (default otherwise), kubesec (kubesec's\n"
    "JSON, with its scores), sarif (SARIF 2.1.0).\n"
    "\n"
    "Suppress a rule on one object with the annotation\n"
    "  fathom.dev/ignore: \"RULE[,RULE...]\"\n"
    "\n"
    "Exit status: 0 nothing reached the gate; 1 a finding reached --fail-on, a score is under\n"
    "--min-score, or a pod violates --pss; 2 bad usage or unreadable input (reported after\n"
    "everything readable was analysed).\n";

enum {
    OPT_FAIL_ON = CLI_OPT_FIRST_COMMAND,
    OPT_MIN_SCORE,
    OPT_PSS,
    OPT_NO_ANNOTATIONS,
};

static int usage_error(const char *fmt, const char *arg)
{
    fputs("fathom: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("; see 'fathom scan manifest --help'\n", stderr);
    return CLI_ERROR;
}

static int parse_uint(long *out, const char *s, long max)
{
    char *end;
    long n;

    if (!*s)
        return -1;
    n = strtol(s, &end, 10);
    if (*end || n < 0 || n > max)
        return -1;
    *out = n;
    return 0;
}

/* Is a pod's PSS violation reported by at least one finding that is not suppressed? */
/* The unsuppressed Pod Security findings, sorted by object, to ask which objects have one. */
static int cmp_by_object(const void *x, const void *y)
{
    const struct fth_finding *a = *(const struct fth_finding *const *)x;
    const struct fth_finding *b = *(const struct fth_finding *const *)y;
    uintptr_t p = (uintptr_t)a->object, q = (uintptr_t)b->object;

    if (p != q)
        return p < q ? -1 : 1;
    if ((uintptr_t)a->loc.file != (uintptr_t)b->loc.file)
        return (uintptr_t)a->loc.file < (uintptr_t)b->loc.file ? -1 : 1;
    return (a->loc.doc > b->loc.doc) - (a->loc.doc < b->loc.doc);
}

/* Does an unsuppressed PSS finding name obj (its display string, file and document)? */
static int pss_counts(const struct fth_finding *const *pss, size_t n,
                      const struct fth_k8s_object *obj)
{
    struct fth_finding key;
    const struct fth_finding *kp = &key;

    memset(&key, 0, sizeof(key));
    key.object = obj->display;
    key.loc.file = obj->file;
    key.loc.doc = obj->doc;
    return n && bsearch(&kp, pss, n, sizeof(*pss), cmp_by_object) != NULL;
}

struct gate {
    int fail_on_none;
    enum fth_severity fail_on;
    int min_score_set;
    long min_score;
    enum fth_pss_level pss;
};

static int gate_status(const struct fth_k8s_result *res, const struct gate *g)
{
    const struct fth_finding **pss = NULL;
    size_t i, npss = 0;
    int status = CLI_OK;

    if (res->errors_len)
        return CLI_ERROR;
    for (i = 0; i < res->findings_len && !g->fail_on_none; i++) {
        const struct fth_finding *f = res->findings[i];

        if (!f->suppressed && f->severity >= g->fail_on)
            return CLI_FAIL;
    }
    if (g->pss > FTH_PSS_PRIVILEGED) {
        for (i = 0; i < res->findings_len; i++)
            npss += !res->findings[i]->suppressed && !strcmp(res->findings[i]->rule->source, "pss");
        if (npss && !(pss = malloc(npss * sizeof(*pss))))
            return CLI_ERROR;
        npss = 0;
        for (i = 0; i < res->findings_len; i++)
            if (!res->findings[i]->suppressed && !strcmp(res->findings[i]->rule->source, "pss"))
                pss[npss++] = res->findings[i];
        if (npss)
            qsort(pss, npss, sizeof(*pss), cmp_by_object);
    }
    for (i = 0; i < res->objects_len && status == CLI_OK; i++) {
        const struct fth_k8s_object *o = res->objects[i];

        if (g->min_score_set && o->kubesec_supported && o->kubesec_score < g->min_score)
            status = CLI_FAIL;
        else if (g->pss > FTH_PSS_PRIVILEGED && o->pss_checked && !o->pss_allowed &&
                 pss_counts(pss, npss, o))
            status = CLI_FAIL;
    }
    free(pss);
    return status;
}

static int scan_manifest(int argc, char **argv)
{
    static const struct option options[] = {
        CLI_COMMON_OPTIONS,
        {"fail-on", required_argument, NULL, OPT_FAIL_ON},
        {"min-score", required_argument, NULL, OPT_MIN_SCORE},
        {"pss", required_argument, NULL, OPT_PSS},
        {"no-annotations", no_argument, NULL, OPT_NO_ANNOTATIONS},
        {"threads", required_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct cli_common common = {0};
    struct fth_k8s_opts kopts = FTH_K8S_OPTS_INIT;
    struct fth_report_opts ropts = FTH_REPORT_OPTS_INIT;
    struct gate gate = {0, FTH_SEV_HIGH, 0, 0, FTH_PSS_NONE};
    struct fth_k8s_scan *scan = NULL;
    const struct fth_k8s_result *res;
    enum fth_report_format fmt;
    struct fth_buf out = FTH_BUF_INIT;
    struct fth_error err;
    int opt, status = CLI_ERROR;
    long n;
    size_t i;

    optind = 1;
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT "j:", options, NULL)) != -1) {
        if (cli_common_option(&common, opt, optarg))
            continue;
        switch (opt) {
        case 'h':
            printf(scan_help, cli_common_help);
            return CLI_OK;
        case OPT_FAIL_ON:
            if (!strcasecmp(optarg, "none"))
                gate.fail_on_none = 1;
            else if (fth_severity_parse(&gate.fail_on, optarg) < 0 ||
                     gate.fail_on == FTH_SEV_UNKNOWN)
                return usage_error("unknown severity '%s' for --fail-on: expected critical, "
                                   "high, medium, low, info or none",
                                   optarg);
            break;
        case OPT_MIN_SCORE: {
            char *end;

            n = strtol(optarg, &end, 10);
            if (!*optarg || *end || n < INT_MIN || n > INT_MAX)
                return usage_error("'%s' for --min-score: expected an integer", optarg);
            gate.min_score = n;
            gate.min_score_set = 1;
            break;
        }
        case OPT_PSS:
            fth_error_clear(&err);
            if (fth_pss_parse(&kopts.pss_level, &kopts.pss_minor, optarg, &err) < 0)
                return usage_error("%s", err.message);
            gate.pss = kopts.pss_level;
            break;
        case OPT_NO_ANNOTATIONS:
            kopts.no_annotations = 1;
            break;
        case 'j':
            if (parse_uint(&n, optarg, 1024) < 0)
                return usage_error("'%s' for --threads: expected a number from 0 to 1024", optarg);
            kopts.threads = (unsigned)n;
            break;
        default:
            return usage_error("%s", "invalid option");
        }
    }
    cli_log_setup(&common);
    if (common.format) {
        if (fth_report_format_parse(&fmt, common.format) < 0)
            return usage_error("unknown format '%s': expected table, json, kubesec or sarif",
                               common.format);
    } else {
        fmt = cli_output_is_tty(&common) ? FTH_REPORT_TABLE : FTH_REPORT_JSON;
    }
    if (optind >= argc)
        return usage_error("%s", "no input: give files, directories or '-' for stdin");

    if (fth_k8s_scan_new(&scan, &kopts) < 0)
        goto oom;
    if (fth_k8s_scan_paths(scan, (const char *const *)argv + optind, (size_t)(argc - optind)) < 0 ||
        fth_k8s_scan_finish(scan) < 0)
        goto oom;
    res = fth_k8s_scan_result(scan);

    ropts.color = cli_use_color(&common);
    ropts.tool_version = FATHOM_VERSION;
    ropts.fail_on = gate.fail_on_none ? FTH_SEV_UNKNOWN : gate.fail_on;
    ropts.pss_level = kopts.pss_level;
    ropts.pss_minor = kopts.pss_minor;
    ropts.width = cli_width();
    if (fth_report_k8s(&out, fmt, res, &ropts) < 0)
        goto oom;
    /* The table shows problems itself; with machine formats they also go to stderr. */
    if (fmt != FTH_REPORT_TABLE && !common.quiet) {
        struct fth_buf line = FTH_BUF_INIT;

        for (i = 0; i < res->errors_len; i++) {
            fth_buf_clear(&line);
            if (fth_error_format(&line, res->errors[i]) == 0)
                cli_error("%s", line.ptr);
        }
        fth_buf_release(&line);
    }
    status = cli_write(&common, &out);
    if (status == CLI_OK)
        status = gate_status(res, &gate);
    goto out;
oom:
    cli_error("out of memory");
    status = CLI_ERROR;
out:
    fth_buf_release(&out);
    fth_k8s_scan_free(scan);
    return status;
}

int cmd_scan(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : NULL;

    if (what && !strcmp(what, "manifest"))
        return scan_manifest(argc - 1, argv + 1);
    if (what && !strcmp(what, "image"))
        return cmd_scan_image(argc - 1, argv + 1);
    if (what && !strcmp(what, "secret"))
        return cmd_scan_secret(argc - 1, argv + 1);
    if (what && (!strcmp(what, "--help") || !strcmp(what, "-h"))) {
        printf("usage: fathom scan <target> [options]\n\n"
               "Targets:\n"
               "  manifest [PATH|-]...  Kubernetes manifests (see "
               "'fathom scan manifest --help')\n"
               "  image IMAGE           a container image's OS, layers and packages (see "
               "'fathom scan image --help')\n"
               "  secret PATH...        credentials in files and directories (see "
               "'fathom scan secret --help')\n");
        return CLI_OK;
    }
    cli_error("%s '%s'; see 'fathom scan --help'", what ? "unknown scan target" : "no scan target",
              what ? what : "");
    return CLI_ERROR;
}
