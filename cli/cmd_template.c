/* fathom template: render a chart's manifests locally, byte for byte as `helm template`. */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "fathom/helm.h"
#include "fathom/tmpl.h"

static const char template_help[] =
    "usage: fathom template [options] CHART [NAME]\n"
    "\n"
    "Render a chart (a directory or a .tgz) and print its manifests as `helm template` does:\n"
    "dependencies enabled by condition and tags, values coalesced with the chart's defaults,\n"
    "`---` and `# Source: <template>` before every document, Kubernetes kinds in install\n"
    "order, hooks last, NOTES.txt dropped. Helm's argument order NAME CHART is accepted too.\n"
    "\n"
    "Options:\n"
    "  -n, --namespace NS          .Release.Namespace (default \"default\")\n"
    "      --name-template TPL     make the release name from a template\n"
    "      --kube-version V        .Capabilities.KubeVersion (default v1.20.0)\n"
    "  -a, --api-versions G/V      add to .Capabilities.APIVersions (repeatable)\n"
    "      --include-crds          print the crds/ files first\n"
    "      --skip-tests            leave out helm.sh/hook: test documents\n"
    "  -s, --show-only PATH        only the templates matching PATH, a glob (repeatable)\n"
    "      --output-dir DIR        write each template's documents under DIR\n"
    "      --debug                 on invalid rendered YAML, print the rendered files too\n"
    "  -f, --values FILE           values file ('-' reads standard input; repeatable)\n"
    "      --set K=V               set values (a.b=1,c[0]=x,d={x,y}; repeatable)\n"
    "      --set-string K=V        set values as strings\n"
    "      --set-file K=PATH       set values from files\n"
    "      --set-json K=JSON       set JSON values (or a whole JSON object)\n"
    "      --set-literal K=V       set one literal string value\n"
    "  -h, --help                  show this help\n"
    "\n"
    "Errors are printed as Helm prints them (`Error: ...` on standard error).\n"
    "Exit status: 0 rendered; 2 bad usage, an invalid chart or values, or a render error.\n";

enum {
    OPT_NAME_TEMPLATE = CLI_OPT_FIRST_COMMAND,
    OPT_KUBE_VERSION,
    OPT_INCLUDE_CRDS,
    OPT_SKIP_TESTS,
    OPT_OUTPUT_DIR,
    OPT_DEBUG,
    OPT_SET,
    OPT_SET_STRING,
    OPT_SET_FILE,
    OPT_SET_JSON,
    OPT_SET_LITERAL,
};

struct strs {
    const char **v;
    size_t n, cap;
};

static int push(struct strs *s, const char *x)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 8;
        const char **nv = realloc(s->v, nc * sizeof(*nv));
        if (!nv)
            return -1;
        s->v = nv;
        s->cap = nc;
    }
    s->v[s->n++] = x;
    return 0;
}

static int helm_error(const char *msg)
{
    fflush(stdout);
    fprintf(stderr, "Error: %s\n", msg);
    return CLI_ERROR;
}

/* --name-template: a template with Sprig's functions, executed with nil data. */
static int name_template(const char **out, struct fth_arena *a, const char *text,
                         struct fth_error *err)
{
    struct fth_tmpl_set *set = NULL;
    struct fth_tmpl_opts o = FTH_TMPL_OPTS_INIT;
    struct fth_buf b = FTH_BUF_INIT;
    int error;

    if ((error = fth_tmpl_set_new(&set, &o, err)) < 0 ||
        (error = fth_tmpl_parse(set, "name-template", text, strlen(text), err)) < 0 ||
        (error = fth_tmpl_execute(&b, set, "name-template", NULL, a, 0, err)) < 0)
        goto out;
    if (!(*out = fth_arena_strndup(a, b.ptr, b.len)))
        error = fth_error_set(err, FTH_ENOMEM, "out of memory");
out:
    fth_buf_release(&b);
    if (set)
        fth_tmpl_set_free(set);
    return error;
}

static int mkdirs(char *path)
{
    char *p;
    for (p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return 0;
}

/* Helm's writeToFile: `---\n# Source: ...` per document, appending after the first. */
static int write_out(const char *dir, const struct fth_helm_manifest *m, struct strs *written)
{
    struct fth_buf path = FTH_BUF_INIT;
    FILE *f;
    size_t i;
    int append = 0, rc = CLI_OK;

    fth_buf_printf(&path, "%s/%s", dir, m->source);
    for (i = 0; i < written->n; i++)
        if (!strcmp(written->v[i], m->source))
            append = 1;
    if (mkdirs(path.ptr) < 0 || !(f = fopen(path.ptr, append ? "a" : "w"))) {
        fprintf(stderr, "Error: open %s: %s\n", path.ptr, strerror(errno));
        fth_buf_release(&path);
        return CLI_ERROR;
    }
    fprintf(f, "---\n# Source: %s\n%.*s\n", m->source, (int)m->len, m->content);
    if (fclose(f) != 0)
        rc = CLI_ERROR;
    printf("wrote %s\n", path.ptr);
    if (!append)
        push(written, m->source);
    fth_buf_release(&path);
    return rc;
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

int cmd_template(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"namespace", required_argument, NULL, 'n'},
        {"name-template", required_argument, NULL, OPT_NAME_TEMPLATE},
        {"kube-version", required_argument, NULL, OPT_KUBE_VERSION},
        {"api-versions", required_argument, NULL, 'a'},
        {"include-crds", no_argument, NULL, OPT_INCLUDE_CRDS},
        {"skip-tests", no_argument, NULL, OPT_SKIP_TESTS},
        {"show-only", required_argument, NULL, 's'},
        {"output-dir", required_argument, NULL, OPT_OUTPUT_DIR},
        {"debug", no_argument, NULL, OPT_DEBUG},
        {"values", required_argument, NULL, 'f'},
        {"set", required_argument, NULL, OPT_SET},
        {"set-string", required_argument, NULL, OPT_SET_STRING},
        {"set-file", required_argument, NULL, OPT_SET_FILE},
        {"set-json", required_argument, NULL, OPT_SET_JSON},
        {"set-literal", required_argument, NULL, OPT_SET_LITERAL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct fth_helm_render_opts ro = FTH_HELM_RENDER_OPTS_INIT;
    struct fth_helm_value_opts vo;
    struct strs files = {0}, sets[5], apis = {0}, show = {0}, written = {0};
    struct fth_arena *a = NULL;
    struct fth_chart *chart = NULL;
    struct fth_helm_render *r = NULL;
    struct fth_value *vals = NULL;
    struct fth_error err;
    struct fth_buf text = FTH_BUF_INIT;
    const char *name_tpl = NULL, *output_dir = NULL, *chart_path, *name = NULL;
    int debug = 0, opt, rc = CLI_ERROR, error;
    size_t i, k;

    memset(sets, 0, sizeof(sets));
    memset(&vo, 0, sizeof(vo));
    memset(&err, 0, sizeof(err));
    optind = 1;
    while ((opt = getopt_long(argc, argv, "n:a:s:f:h", longopts, NULL)) != -1) {
        int e = 0;
        switch (opt) {
        case 'n':
            ro.namespace = optarg;
            break;
        case OPT_NAME_TEMPLATE:
            name_tpl = optarg;
            break;
        case OPT_KUBE_VERSION:
            ro.kube_version = optarg;
            break;
        case 'a':
            e = push(&apis, optarg);
            break;
        case OPT_INCLUDE_CRDS:
            ro.include_crds = 1;
            break;
        case OPT_SKIP_TESTS:
            ro.skip_tests = 1;
            break;
        case 's':
            e = push(&show, optarg);
            break;
        case OPT_OUTPUT_DIR:
            output_dir = optarg;
            break;
        case OPT_DEBUG:
            debug = 1;
            break;
        case 'f':
            e = push(&files, optarg);
            break;
        case OPT_SET:
            e = push(&sets[FTH_HELM_SET], optarg);
            break;
        case OPT_SET_STRING:
            e = push(&sets[FTH_HELM_SET_STRING], optarg);
            break;
        case OPT_SET_FILE:
            e = push(&sets[FTH_HELM_SET_FILE], optarg);
            break;
        case OPT_SET_JSON:
            e = push(&sets[FTH_HELM_SET_JSON], optarg);
            break;
        case OPT_SET_LITERAL:
            e = push(&sets[FTH_HELM_SET_LITERAL], optarg);
            break;
        case 'h':
            fputs(template_help, stdout);
            rc = CLI_OK;
            goto out;
        default:
            fputs(template_help, stderr);
            goto out;
        }
        if (e < 0) {
            rc = helm_error("out of memory");
            goto out;
        }
    }
    if (argc - optind < 1) {
        fprintf(stderr, "Error: \"fathom template\" requires at least 1 argument\n\n"
                        "Usage:  fathom template [options] CHART [NAME]\n");
        goto out;
    }
    if (argc - optind > 2) {
        helm_error("expected at most two arguments, unexpected arguments: ...");
        goto out;
    }
    chart_path = argv[optind];
    if (argc - optind == 2) {
        name = argv[optind + 1];
        /* Helm's order, NAME CHART, when only the second names something on disk */
        if (!exists(chart_path) && exists(argv[optind + 1])) {
            name = argv[optind];
            chart_path = argv[optind + 1];
        }
    }
    if (!(a = fth_arena_new())) {
        rc = helm_error("out of memory");
        goto out;
    }
    if (name_tpl && !name) {
        if (name_template(&name, a, name_tpl, &err) < 0) {
            rc = helm_error(err.message);
            goto out;
        }
    }
    ro.release_name = name;
    ro.api_versions = apis.v;
    ro.napi_versions = apis.n;
    if (fth_chart_load(&chart, a, chart_path, &err) < 0) {
        rc = helm_error(err.message);
        goto out;
    }
    vo.files = files.v;
    vo.nfiles = files.n;
    for (k = 0; k < 5; k++) {
        vo.set[k] = sets[k].v;
        vo.nset[k] = sets[k].n;
    }
    if (fth_helm_values_merge(&vals, a, &vo, &err) < 0) {
        rc = helm_error(err.message);
        goto out;
    }
    ro.values = vals;
    error = fth_helm_render(&r, a, chart, &ro, &err);
    if (error < 0) {
        const char *msg = r && r->errtext.len ? r->errtext.ptr : err.message;
        if (r && r->rendering && debug) {
            struct fth_buf t = FTH_BUF_INIT;
            size_t s = 0, e = r->debug.len;
            while (s < e && strchr(" \t\n\r\v\f", r->debug.ptr[s]))
                s++;
            while (e > s && strchr(" \t\n\r\v\f", r->debug.ptr[e - 1]))
                e--;
            fth_buf_put(&t, r->debug.ptr + s, e - s);
            printf("%s\n", t.ptr);
            fth_buf_release(&t);
            rc = helm_error(msg);
        } else if (r && r->rendering) {
            fflush(stdout);
            fprintf(stderr, "Error: %s\n\nUse --debug flag to render out invalid YAML\n", msg);
            rc = CLI_ERROR;
        } else {
            rc = helm_error(msg);
        }
        goto out;
    }
    if (output_dir) {
        for (i = 0; i < r->nmanifests; i++)
            if ((rc = write_out(output_dir, &r->manifests[i], &written)) != CLI_OK)
                goto out;
        /* Helm then prints its (empty) manifest buffer: one newline */
        printf("\n");
        rc = CLI_OK;
        goto out;
    }
    if (show.n) {
        struct fth_buf o = FTH_BUF_INIT;
        for (k = 0; k < show.n; k++) {
            int missing = 1;
            for (i = 0; i < r->nmanifests; i++) {
                const struct fth_helm_manifest *m = &r->manifests[i];
                const char *rest = strchr(m->source, '/');
                if (!rest || fnmatch(show.v[k], rest + 1, FNM_PATHNAME) != 0)
                    continue;
                fth_buf_printf(&o, "---\n# Source: %s\n%.*s\n", m->source, (int)m->len, m->content);
                missing = 0;
            }
            if (missing) {
                struct fth_buf msg = FTH_BUF_INIT;
                fth_buf_printf(&msg, "could not find template %s in chart", show.v[k]);
                rc = helm_error(msg.ptr);
                fth_buf_release(&msg);
                fth_buf_release(&o);
                goto out;
            }
        }
        fwrite(o.ptr, 1, o.len, stdout);
        fth_buf_release(&o);
        rc = CLI_OK;
        goto out;
    }
    if (fth_helm_render_text(&text, r) < 0) {
        rc = helm_error("out of memory");
        goto out;
    }
    fwrite(text.ptr, 1, text.len, stdout);
    rc = fflush(stdout) == 0 ? CLI_OK : CLI_ERROR;
out:
    fth_buf_release(&text);
    fth_helm_render_release(r);
    if (a)
        fth_arena_free(a);
    free(files.v);
    free(apis.v);
    free(show.v);
    free(written.v);
    for (k = 0; k < 5; k++)
        free(sets[k].v);
    return rc;
}
