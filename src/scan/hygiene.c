/*
 * Image hygiene: the hardening items of a container image as findings (docs/hygiene.md).
 * What an attacker who gets code execution in the container finds there (a shell, a package
 * manager, network tools, set-id binaries, writable files), what the image config gives away
 * (root user, credentials in Env) and how it is referenced (a moving tag, no digest), plus an
 * operating system past its end of life.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "scan_int.h"
#include "../base/banned.h"

static const struct fth_rule rules[HYG_COUNT] = {
    [HYG_ROOT_USER] = {"HYG-ROOT-USER", "fathom", FTH_CLASS_HYGIENE, FTH_SEV_MEDIUM,
                       "The image runs as root",
                       "A process that breaks out of the application owns the container, and "
                       "with a kernel or runtime flaw, the node.",
                       "Set USER to a non-zero numeric uid in the Dockerfile.",
                       "https://docs.docker.com/build/building/best-practices/#user", "", 0, 0,
                       NULL},
    [HYG_PKG_MANAGER] = {"HYG-PKG-MANAGER", "fathom", FTH_CLASS_HYGIENE, FTH_SEV_LOW,
                         "A package manager is present",
                         "An intruder installs whatever tools they need with it.",
                         "Build in one stage and copy only the application into a minimal or "
                         "distroless final stage.",
                         "https://github.com/GoogleContainerTools/distroless", "", 0, 0, NULL},
    [HYG_SHELL] = {"HYG-SHELL", "fathom", FTH_CLASS_HYGIENE, FTH_SEV_LOW, "A shell is present",
                   "A shell turns a command injection into an interactive foothold.",
                   "Use a final stage without a shell (distroless, scratch).",
                   "https://github.com/GoogleContainerTools/distroless", "", 0, 0, NULL},
    [HYG_NET_TOOL] = {"HYG-NET-TOOL", "fathom", FTH_CLASS_HYGIENE, FTH_SEV_LOW,
                      "A network tool is present",
                      "curl, wget, nc, ssh and telnet fetch payloads and move data out.",
                      "Remove network tools from the final stage.", "", "", 0, 0, NULL},
    [HYG_SETUID] = {"HYG-SETUID", "fathom", FTH_CLASS_HYGIENE, FTH_SEV_MEDIUM,
                    "A setuid or setgid file is present",
                    "Set-id binaries are the usual way from a user shell to root.",
                    "Remove the set-id bits (chmod u-s,g-s) or the files; run with "
                    "allowPrivilegeEscalation: false.",
                    "", "", 0, 0, NULL},
    [HYG_WORLD_WRITABLE] = {"HYG-WORLD-WRITABLE", "fathom", FTH_CLASS_HYGIENE, FTH_SEV_MEDIUM,
                            "A world-writable file is present",
                            "Any user in the container can change it: scripts and libraries "
                            "written so become code execution for whoever runs them.",
                            "chmod o-w the file in the Dockerfile.", "", "", 0, 0, NULL},
    [HYG_ENV_SECRET] = {"HYG-ENV-SECRET", "fathom", FTH_CLASS_HYGIENE, FTH_SEV_HIGH,
                        "A credential in the image config's Env",
                        "The config is readable by everyone who can pull the image, and by "
                        "every process in the container.",
                        "Pass credentials at run time (a Kubernetes Secret, a mounted file).",
                        "https://docs.docker.com/build/building/secrets/", "", 0, 0, NULL},
    [HYG_TAG_LATEST] = {"HYG-TAG-LATEST", "fathom", FTH_CLASS_HYGIENE, FTH_SEV_LOW,
                        "The image is referenced by the 'latest' tag",
                        "'latest' moves: what runs tomorrow is not what was scanned today.",
                        "Reference a versioned tag, better a digest.", "", "", 0, 0, NULL},
    [HYG_NO_DIGEST] = {"HYG-NO-DIGEST", "fathom", FTH_CLASS_HYGIENE, FTH_SEV_LOW,
                       "The image is referenced without a digest",
                       "A tag can be pushed again: only a digest names exactly these bytes.",
                       "Reference the image as REPO@sha256:... (or TAG@sha256:...).", "", "", 0, 0,
                       NULL},
    [HYG_OS_EOL] = {"HYG-OS-EOL", "fathom", FTH_CLASS_HYGIENE, FTH_SEV_HIGH,
                    "The operating system is past its end of life",
                    "No more security fixes: every new flaw in its packages stays open.",
                    "Rebuild on a supported release of the distribution.", "", "", 0, 0, NULL},
    [HYG_BAD_BINARY] = {"HYG-BAD-BINARY", "fathom", FTH_CLASS_HYGIENE, FTH_SEV_CRITICAL,
                        "A known-bad binary is present",
                        "An executable or library's SHA-256 is on the --binary-hashes list.",
                        "Find how it got into the image and rebuild without it.", "", "", 0, 0,
                        NULL},
};

const struct fth_rule *hyg_rule(enum hyg_rule r)
{
    return &rules[r];
}

const struct fth_rule *const *fth_scan_hygiene_rules(void)
{
    static const struct fth_rule *const list[] = {
        &rules[0], &rules[1], &rules[2], &rules[3], &rules[4],  &rules[5],
        &rules[6], &rules[7], &rules[8], &rules[9], &rules[10], NULL,
    };

    return list;
}

static const char *const bin_dirs[] = {"bin/",           "sbin/",           "usr/bin/", "usr/sbin/",
                                       "usr/local/bin/", "usr/local/sbin/", NULL};
static const char *const shells[] = {"sh",  "bash", "ash",  "dash", "zsh",
                                     "ksh", "csh",  "tcsh", NULL};
static const char *const pkg_managers[] = {"apt",  "apt-get",  "dpkg", "apk",    "yum",
                                           "dnf",  "microdnf", "rpm",  "zypper", "pip",
                                           "pip3", "npm",      NULL};
static const char *const net_tools[] = {"curl", "wget",   "nc",    "netcat", "ncat",
                                        "ssh",  "telnet", "socat", NULL};

static int in_list(const char *name, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(name, list[i]))
            return 1;
    return 0;
}

enum hyg_rule hyg_classify_tool(const char *path, const char **tool)
{
    for (size_t i = 0; bin_dirs[i]; i++) {
        size_t n = strlen(bin_dirs[i]);
        const char *name = path + n;

        if (strncmp(path, bin_dirs[i], n) || !*name || strchr(name, '/'))
            continue;
        *tool = name;
        if (in_list(name, shells))
            return HYG_SHELL;
        if (in_list(name, pkg_managers))
            return HYG_PKG_MANAGER;
        if (in_list(name, net_tools))
            return HYG_NET_TOOL;
        return HYG_COUNT;
    }
    return HYG_COUNT;
}

/* Names (upper-cased, compared as substrings) that mark a credential. */
int hyg_env_is_secret(const char *name, size_t len)
{
    static const char *const words[] = {"PASSWORD",   "PASSWD",     "PASSPHRASE", "TOKEN",
                                        "SECRET",     "API_KEY",    "APIKEY",     "PRIVATE_KEY",
                                        "ACCESS_KEY", "CREDENTIAL", "AUTH_KEY",   NULL};
    char up[128];

    if (len >= sizeof(up))
        len = sizeof(up) - 1;
    for (size_t i = 0; i < len; i++)
        up[i] = (char)toupper((unsigned char)name[i]);
    up[len] = '\0';
    for (size_t i = 0; words[i]; i++)
        if (strstr(up, words[i]))
            return 1;
    /* the AWS names without those words */
    return !strcmp(up, "AWS_ACCESS_KEY_ID") || !strcmp(up, "AWS_SESSION_TOKEN");
}

/* The tag and digest of a registry reference "host[:port]/repo[:tag][@digest]". */
static void ref_parts(const char *ref, const char **tag, size_t *taglen, int *digest)
{
    const char *at = strchr(ref, '@'), *slash, *colon;
    size_t end = at ? (size_t)(at - ref) : strlen(ref);

    *digest = at != NULL;
    *tag = NULL;
    *taglen = 0;
    slash = NULL;
    for (size_t i = 0; i < end; i++)
        if (ref[i] == '/')
            slash = ref + i;
    colon = NULL;
    for (const char *p = slash ? slash : ref; p < ref + end; p++)
        if (*p == ':')
            colon = p;
    if (colon) {
        *tag = colon + 1;
        *taglen = (size_t)(ref + end - colon - 1);
    }
}

int hyg_config(const struct fth_image *img, const struct fth_os *os, struct fth_arena *a,
               hyg_add_fn add, void *data)
{
    const char *user = img->user ? img->user : "";
    char *msg;
    int error = 0;

    /* "", "0", "root", "0:0", "root:root" and "0:100" all run as uid 0 */
    {
        size_t n = strcspn(user, ":");

        if (!n || (n == 1 && user[0] == '0') || (n == 4 && !strncmp(user, "root", 4))) {
            msg = fth_arena_printf(a, "the config's User is %s%s%s: processes run as uid 0",
                                   *user ? "'" : "", *user ? user : "unset", *user ? "'" : "");
            if (!msg || (error = add(data, HYG_ROOT_USER, msg, "", -1)) < 0)
                return msg ? error : FTH_ENOMEM;
        }
    }
    for (size_t i = 0; i < img->nenv; i++) {
        const char *kv = img->env[i], *eq = strchr(kv, '=');
        size_t vlen;

        if (!eq || eq == kv || !hyg_env_is_secret(kv, (size_t)(eq - kv)))
            continue;
        vlen = strlen(eq + 1);
        if (!vlen)
            continue;
        /* the value never appears: its length only */
        msg = fth_arena_printf(a, "Env %.*s=%s (%zu characters, masked)", (int)(eq - kv), kv,
                               "********", vlen);
        if (!msg || (error = add(data, HYG_ENV_SECRET, msg, "", -1)) < 0)
            return msg ? error : FTH_ENOMEM;
    }
    /* references: registry pulls only (a local layout or archive has no moving tag) */
    if (img->transport && !strcmp(img->transport, "docker")) {
        const char *ref = img->ref, *tag;
        size_t taglen;
        int digest;

        if (!strncmp(ref, "docker://", 9))
            ref += 9;
        ref_parts(ref, &tag, &taglen, &digest);
        if ((!tag && !digest) || (tag && taglen == 6 && !strncmp(tag, "latest", 6))) {
            msg = fth_arena_printf(a, "'%s' %s", img->ref,
                                   tag ? "names the tag 'latest'"
                                       : "names no tag: 'latest' is implied");
            if (!msg || (error = add(data, HYG_TAG_LATEST, msg, "", -1)) < 0)
                return msg ? error : FTH_ENOMEM;
        }
        if (!digest) {
            msg = fth_arena_printf(a, "'%s' names no digest (this pull resolved to %s)", img->ref,
                                   *img->digest ? img->digest : "an unknown digest");
            if (!msg || (error = add(data, HYG_NO_DIGEST, msg, "", -1)) < 0)
                return msg ? error : FTH_ENOMEM;
        }
    }
    if (os && os->eol) {
        msg = fth_arena_printf(a, "%s (release %s) reached its end of life on %s",
                               *os->pretty_name ? os->pretty_name : os->id,
                               *os->release ? os->release : "unknown", os->eol_date);
        if (!msg ||
            (error = add(data, HYG_OS_EOL, msg, os->path ? os->path : "", (int)os->layer)) < 0)
            return msg ? error : FTH_ENOMEM;
    }
    return error;
}
