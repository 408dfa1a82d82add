/*
 * secret: the scanner beyond Trivy's cases: breadth of the built-in rules, Fathom's own rules
 * (connection strings, .env, .npmrc, Docker config, cloud keys) and their placeholder and
 * entropy checks, masking, skipped binary and huge files, bounded work on near misses and on
 * a catastrophic custom regex, config errors naming the rule, streaming against whole-buffer
 * scanning, and the directory walk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "fathom/secret.h"

#define FIXTURES FATHOM_SHARED "/fixtures/image/secrets/"

static struct fth_secret_rules *builtin(void)
{
    struct fth_secret_rules *r = NULL;
    struct fth_error err;

    if (fth_secret_rules_new(&r, NULL, 0, NULL, &err) < 0)
        fail_msg("built-in rules: %s", err.message);
    return r;
}

static struct fth_secret_rules *with_config(const char *yaml)
{
    struct fth_secret_rules *r = NULL;
    struct fth_error err;

    if (fth_secret_rules_new(&r, yaml, strlen(yaml), "test.yaml", &err) < 0)
        fail_msg("rules: %s", err.message);
    return r;
}

static struct fth_secret_result scan(struct fth_arena *a, const struct fth_secret_rules *rules,
                                     const char *path, const char *text)
{
    struct fth_secret_result res;
    struct fth_error err;

    if (fth_secret_scan(&res, a, NULL, rules, path, text, strlen(text), NULL, &err) < 0)
        fail_msg("scan %s: %s", path, err.message);
    return res;
}

/* The rule ids found, in order, comma-separated. */
static const char *ids(struct fth_arena *a, const struct fth_secret_result *res)
{
    struct fth_buf b = FTH_BUF_INIT;
    const char *s;
    size_t i;

    for (i = 0; i < res->len; i++)
        fth_buf_printf(&b, "%s%s", i ? "," : "", res->findings[i].rule_id);
    s = fth_arena_strdup(a, b.ptr);
    fth_buf_release(&b);
    return s;
}

/* ---- breadth ---- */

static void test_secret_builtin_breadth(void **state)
{
    struct fth_secret_rules *rules = builtin();
    struct fth_secret_rule_info info;
    json_error_t jerr;
    json_t *doc = json_load_file(FIXTURES "trivy-builtin-rules.json", 0, &jerr), *r;
    size_t i, j, n = fth_secret_rules_count(rules), found;

    (void)state;
    assert_non_null(doc);
    assert_true(n >= 105);
    /* Every one of Trivy's 105 rules has a Fathom rule of the same id and category. */
    assert_int_equal(json_array_size(json_object_get(doc, "rules")), 105);
    for (i = 0; i < json_array_size(json_object_get(doc, "rules")) &&
                (r = json_array_get(json_object_get(doc, "rules"), i));
         i++) {
        const char *id = json_string_value(json_object_get(r, "id"));

        found = 0;
        for (j = 0; j < n; j++) {
            assert_int_equal(fth_secret_rules_info(&info, rules, j), 0);
            if (!strcmp(info.id, id)) {
                found = 1;
                assert_string_equal(info.category,
                                    json_string_value(json_object_get(r, "category")));
                assert_true(info.builtin);
            }
        }
        if (!found)
            fail_msg("no rule '%s'", id);
    }
    assert_int_equal(fth_secret_rules_info(&info, rules, n), FTH_ENOTFOUND);
    json_decref(doc);
    fth_secret_rules_free(rules);
}

/* ---- Fathom's own rules ---- */

static void test_secret_own_rules(void **state)
{
    struct fth_secret_rules *rules = builtin();
    struct fth_arena *a = fth_arena_new();
    struct fth_secret_result res;

    (void)state;
    res = scan(a, rules, "app/config.py",
               "DATABASE_URL = 'postgresql://app:Hunter2Secret@db.internal:5432/app'\n"
               "CACHE = 'redis://:s3cr3tPass@cache:6379/0'\n"
               "PLACEHOLDER = 'postgres://app:${DB_PASSWORD}@db:5432/app'\n"
               "TEMPLATE = 'mysql://root:<password>@db/app'\n"
               "NOPASS = 'mongodb://db.internal:27017/app'\n");
    assert_string_equal(ids(a, &res), "db-connection-string,db-connection-string");
    assert_int_equal(res.findings[0].start_line, 2);
    assert_string_equal(res.findings[0].match, "CACHE = 'redis://:**********@cache:6379/0'");
    assert_int_equal(res.findings[0].column, 19);
    assert_string_equal(res.findings[1].match,
                        "DATABASE_URL = 'postgresql://app:*************@db.internal:5432/app'");
    assert_int_equal(res.findings[1].severity, FTH_SEV_CRITICAL);

    /* .env: names that say secret, values that look like one (entropy, not a placeholder). */
    res = scan(a, rules, "srv/app/.env",
               "DB_PASSWORD=Zq8#vL2!pW9x\n"
               "API_KEY=changeme\n"
               "SECRET_TOKEN=aaaaaaaaaaaa\n"
               "export STRIPE_SECRET=\"${STRIPE}\"\n"
               "LOG_LEVEL=debug-verbose-mode\n");
    assert_string_equal(ids(a, &res), "env-file-secret");
    assert_int_equal(res.findings[0].start_line, 1);
    assert_string_equal(res.findings[0].match, "DB_PASSWORD=************");
    /* The same lines outside a .env file are not this rule's business. */
    res = scan(a, rules, "srv/app/notes.txt", "DB_PASSWORD=Zq8#vL2!pW9x\n");
    assert_int_equal(res.len, 0);

    res = scan(a, rules, "home/node/.npmrc",
               "registry=https://registry.npmjs.org/\n"
               "//registry.npmjs.org/:_authToken=9f2c1d7e-5b4a-4c3d-8e2f-1a0b9c8d7e6f\n"
               "//npm.pkg.github.com/:_authToken=${GITHUB_TOKEN}\n");
    assert_string_equal(ids(a, &res), "npmrc-auth-token");
    assert_string_equal(res.findings[0].match,
                        "//registry.npmjs.org/:_authToken=************************************");

    res = scan(a, rules, "root/.docker/config.json",
               "{\n  \"auths\": {\n    \"registry.internal\": {\n      \"auth\": "
               "\"dXNlcjpwYXNzd29yZA==\"\n    }\n  }\n}\n");
    assert_string_equal(ids(a, &res), "docker-config-auth");
    assert_int_equal(res.findings[0].start_line, 4);
    assert_string_equal(res.findings[0].match, "      \"auth\": \"********************\"");

    /* An encrypted PEM key: its armour headers do not hide the key. */
    res = scan(a, rules, "etc/ssl/private/server.key",
               "-----BEGIN RSA PRIVATE KEY-----\n"
               "Proc-Type: 4,ENCRYPTED\n"
               "DEK-Info: AES-128-CBC,3F17F5316E2BAC89\n"
               "\n"
               "MIIEpAIBAAKCAQEA1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL\n"
               "-----END RSA PRIVATE KEY-----\n");
    assert_string_equal(ids(a, &res), "private-key");
    assert_int_equal(res.findings[0].start_line, 5);
    assert_int_equal(res.findings[0].end_line, 5);
    assert_int_equal(res.findings[0].code_len, 4);
    assert_string_equal(res.findings[0].code[0].content, "DEK-Info: AES-128-CBC,3F17F5316E2BAC89");

    res = scan(a, rules, "etc/app.conf",
               "google_maps = AIzaSyD3x4mpl3K3yV4lu3F0rT3st1ngAbCdEfG\n"
               "gitlab = glpat-Ab3dEf6hIj9kLm2nOp5q\n"
               "vault = hvs.CAESIJ9vXz1p0abcdefghijklmnopqrstuvwxyz\n"
               "stripe = sk_live_4eC39HqLyjWDarjtT1zdp7dc\n"
               "slack = xoxb-2048-1024-AbCdEfGhIjKlMnOpQrStUvWx\n");
    assert_string_equal(ids(a, &res), "gcp-api-key,gitlab-pat,hashicorp-vault-token,"
                                      "slack-access-token,stripe-secret-token");
    fth_arena_free(a);
    fth_secret_rules_free(rules);
}

/* No string of a finding holds any secret of the file, whichever finding it belongs to. */
static void test_secret_masking(void **state)
{
    static const char *const secrets[] = {
        "AKIAQWERTYUIOPASDFGH",
        "ghp_0123456789abcdefghijABCDEFGHIJ012345",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz",
    };
    struct fth_secret_rules *rules = builtin();
    struct fth_arena *a = fth_arena_new();
    struct fth_secret_result res;
    size_t i, j, k;

    (void)state;
    res = scan(a, rules, "deploy/run.sh",
               "#!/bin/sh\n"
               "export AWS_ACCESS_KEY_ID=AKIAQWERTYUIOPASDFGH\n"
               "export AWS_SECRET_ACCESS_KEY=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\n"
               "export GH=ghp_0123456789abcdefghijABCDEFGHIJ012345 # AKIAQWERTYUIOPASDFGH again\n"
               "run\n");
    assert_int_equal(res.len, 4);
    for (i = 0; i < res.len; i++) {
        const struct fth_secret_finding *f = &res.findings[i];

        for (k = 0; k < 3; k++) {
            assert_null(strstr(f->match, secrets[k]));
            for (j = 0; j < f->code_len; j++)
                assert_null(strstr(f->code[j].content, secrets[k]));
        }
    }
    assert_string_equal(res.findings[0].rule_id, "aws-access-key-id");
    assert_string_equal(res.findings[0].match, "export AWS_ACCESS_KEY_ID=********************");
    assert_string_equal(res.findings[3].rule_id, "github-pat");
    assert_string_equal(res.findings[3].match,
                        "export GH=**************************************** # "
                        "******************** again");
    fth_arena_free(a);
    fth_secret_rules_free(rules);
}

/* ---- skipping ---- */

static char logged[4096];

static void capture(enum fth_log_level level, const char *module, const char *msg, void *data)
{
    (void)module;
    (void)data;
    if (level <= FTH_LOG_WARN)
        snprintf(logged + strlen(logged), sizeof(logged) - strlen(logged), "%s\n", msg);
}

struct collected {
    char text[8192];
};

static int collect(const char *path, const struct fth_secret_result *res, void *data)
{
    struct collected *c = data;
    size_t i, n = strlen(c->text);

    n += (size_t)snprintf(c->text + n, sizeof(c->text) - n, "%s skip=%d:", path, res->skipped);
    for (i = 0; i < res->len && n < sizeof(c->text); i++)
        n += (size_t)snprintf(c->text + n, sizeof(c->text) - n, " %s@%u", res->findings[i].rule_id,
                              res->findings[i].start_line);
    if (n < sizeof(c->text))
        snprintf(c->text + n, sizeof(c->text) - n, "\n");
    return 0;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_secret_tree_skips(void **state)
{
    char dir[] = "/tmp/fathom-secret-XXXXXX", path[256];
    struct fth_secret_scan_opts opts = FTH_SECRET_SCAN_OPTS_INIT;
    struct fth_secret_rules *rules = builtin();
    struct fth_error err;
    struct collected c;
    size_t big = 3 * 1024 * 1024;
    char *buf;
    int rc;

    (void)state;
    assert_non_null(mkdtemp(dir));
    /* A huge file: its secret sits near the end. */
    buf = malloc(big);
    memset(buf, 'x', big);
    for (size_t i = 99; i < big; i += 100)
        buf[i] = '\n';
    memcpy(buf + big - 60, "key=AKIAZZZZYYYYXXXXWWWW\n", 25);
    snprintf(path, sizeof(path), "%s/huge.log", dir);
    write_file(path, buf, big);
    /* Binary: a NUL early on, a secret after it; and a binary extension. */
    memset(buf, 'b', 200);
    buf[10] = 0;
    memcpy(buf + 100, "\nAKIAZZZZYYYYXXXXWWWW\n", 22);
    snprintf(path, sizeof(path), "%s/blob.dat", dir);
    write_file(path, buf, 200);
    snprintf(path, sizeof(path), "%s/logo.png", dir);
    write_file(path, "AKIAZZZZYYYYXXXXWWWW\n", 21);
    snprintf(path, sizeof(path), "%s/sub", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/sub/a.txt", dir);
    write_file(path, "\nAKIAZZZZYYYYXXXXWWWW\n", 22);
    snprintf(path, sizeof(path), "%s/rules.yaml", dir);
    write_file(path, "AKIAZZZZYYYYXXXXWWWW\n", 21);
    free(buf);

    fth_log_set_sink(capture, NULL, FTH_LOG_WARN);
    opts.max_size = 1024 * 1024;
    memset(&c, 0, sizeof(c));
    logged[0] = 0;
    rc = fth_secret_scan_tree(rules, dir, path, &opts, collect, &c, &err);
    assert_int_equal(rc, 0);
    assert_string_equal(c.text, "blob.dat skip=2:\n"
                                "huge.log skip=3:\n"
                                "logo.png skip=2:\n"
                                "sub/a.txt skip=0: aws-access-key-id@2\n");
    assert_non_null(strstr(logged, "'huge.log': skipped, 3145728 bytes is over the "
                                   "1048576-byte limit"));

    /* Asked to: the huge file is read in chunks, the binary ones scanned. */
    opts.scan_large = 1;
    opts.scan_binary = 1;
    opts.chunk_size = 256 * 1024;
    opts.overlap = 4096;
    memset(&c, 0, sizeof(c));
    logged[0] = 0;
    rc = fth_secret_scan_tree(rules, dir, NULL, &opts, collect, &c, &err);
    assert_int_equal(rc, 0);
    assert_string_equal(c.text, "blob.dat skip=0: aws-access-key-id@2\n"
                                "huge.log skip=0: aws-access-key-id@31457\n"
                                "logo.png skip=0: aws-access-key-id@1\n"
                                "rules.yaml skip=0: aws-access-key-id@1\n"
                                "sub/a.txt skip=0: aws-access-key-id@2\n");
    assert_string_equal(logged, "");
    fth_log_set_sink(NULL, NULL, FTH_LOG_ERROR);

    snprintf(path, sizeof(path), "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
    fth_secret_rules_free(rules);
}

static void test_secret_whole_buffer_limits(void **state)
{
    struct fth_secret_scan_opts opts = FTH_SECRET_SCAN_OPTS_INIT;
    struct fth_secret_rules *rules = builtin();
    struct fth_arena *a = fth_arena_new();
    struct fth_secret_result res;
    struct fth_error err;
    char text[64] = "token AKIAZZZZYYYYXXXXWWWW\n";

    (void)state;
    opts.max_size = 10;
    assert_int_equal(
        fth_secret_scan(&res, a, NULL, rules, "f.txt", text, strlen(text), &opts, &err), 0);
    assert_int_equal(res.skipped, FTH_SECRET_SKIP_SIZE);
    assert_int_equal(res.len, 0);
    /* Allowed paths are skipped whole. */
    res = scan(a, rules, "usr/share/doc/x/README", text);
    assert_int_equal(res.skipped, FTH_SECRET_SKIP_ALLOWED);
    res = scan(a, rules, "app/vendor/lib/config", text);
    assert_int_equal(res.skipped, FTH_SECRET_SKIP_ALLOWED);
    res = scan(a, rules, "app/config", text);
    assert_int_equal(res.skipped, FTH_SECRET_SCANNED);
    assert_int_equal(res.len, 1);
    fth_arena_free(a);
    fth_secret_rules_free(rules);
}

/* ---- bounded work ---- */

/* Well-known credential variables given a literal: found; uses, expressions and placeholders
 * are not; a provider's rule on the same value wins over the generic one. */
static void test_secret_credential_variable(void **state)
{
    struct fth_secret_rules *rules = builtin();
    struct fth_arena *a = fth_arena_new();
    struct fth_secret_result res;

    (void)state;
    res = scan(a, rules, "etc/secret-to-delete",
               "AWS_SECRET_ACCESS_KEY=this-is-a-fake-test-secret-deleted-in-layer-3\n");
    assert_string_equal(ids(a, &res), "credential-variable");
    assert_int_equal(res.findings[0].severity, FTH_SEV_HIGH);
    assert_int_equal(res.findings[0].column, 23);
    assert_string_equal(res.findings[0].match,
                        "AWS_SECRET_ACCESS_KEY=*********************************************");
    res = scan(a, rules, "docker-entrypoint.sh",
               "export GITHUB_TOKEN=\"Zx8kQ2mP9vLr4TnB\"\n"
               "  POSTGRES_PASSWORD: s3cr3tP4ssw0rd!\n"
               "pgpassword='Qw7#rT9!zX2m'\n");
    assert_string_equal(ids(a, &res),
                        "credential-variable,credential-variable,credential-variable");
    /* the GitHub token is the github-pat rule's finding alone */
    res = scan(a, rules, "ci.env", "GITHUB_TOKEN=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\n");
    assert_string_equal(ids(a, &res), "github-pat");
    res = scan(a, rules, "settings.py",
               "MYSQL_PASSWORD = settings.MYSQL_PASSWORD\n"
               "GITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\n"
               "token = get(GITHUB_TOKEN)\n"
               "echo $GITHUB_TOKEN:abcdefgh1234\n"
               "echo ${GITHUB_TOKEN}=abcdefgh1234\n"
               "POSTGRES_PASSWORD=${POSTGRES_PASSWORD}\n"
               "POSTGRES_PASSWORD=changeme\n"
               "POSTGRES_PASSWORD=\"$(cat /run/secrets/pg)\"\n"
               "Set GITHUB_TOKEN: required\n"
               "MY_AWS_SECRET_ACCESS_KEY=abcdefghijk12345\n"
               "AWS_SESSION_TOKEN_TTL=3600000000\n"
               "GH_TOKEN=short\n"
               "GH_TOKEN: aaaaaaaaaaaaaaaa\n");
    assert_string_equal(ids(a, &res), "");
    fth_arena_free(a);
    fth_secret_rules_free(rules);
}

static void test_secret_near_misses(void **state)
{
    struct fth_secret_rules *rules = builtin();
    struct fth_arena *a = fth_arena_new();
    struct fth_secret_result res;
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    int i;

    (void)state;
    /* 10,000 lines, each one character away from a secret some rule would report. */
    for (i = 0; i < 10000; i++) {
        switch (i % 10) {
        case 0:
            fth_buf_printf(&b, "ghp_%035d\n", i);
            break;
        case 1:
            fth_buf_printf(&b, "id AKIA%015d\n", i);
            break;
        case 2:
            fth_buf_printf(&b, "aws_secret_access_key = \"%039d\"\n", i);
            break;
        case 3:
            fth_buf_printf(&b, "-----BEGIN RSA PRIVATE KEY----- %060d\n", i);
            break;
        case 4:
            fth_buf_printf(&b, "heroku_api_key: '%08d-0000-0000-0000-00000000000'\n", i);
            break;
        case 5:
            fth_buf_printf(&b, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIi%d.\n", i);
            break;
        case 6:
            fth_buf_printf(&b, "xoxb-%08d\n", i);
            break;
        case 7:
            fth_buf_printf(&b, "sv=2024-01-01&sr=b&sig=%030d\n", i);
            break;
        case 8:
            fth_buf_printf(&b, "postgres://user@host:%d/db\n", i);
            break;
        default:
            fth_buf_printf(&b, "discord_secret = '%031d'\n", i);
            break;
        }
    }
    assert_int_equal(fth_secret_scan(&res, a, NULL, rules, "near.txt", b.ptr, b.len, NULL, &err),
                     0);
    assert_int_equal(res.len, 0);
    assert_int_equal(res.skipped, FTH_SECRET_SCANNED);
    fth_buf_release(&b);
    fth_arena_free(a);
    fth_secret_rules_free(rules);
}

/* A custom regex that backtracks exponentially stops at the match limit: no hang, no crash,
 * and the other rules still run. */
static void test_secret_catastrophic_regex(void **state)
{
    struct fth_secret_rules *rules = with_config("rules:\n"
                                                 "  - id: evil\n"
                                                 "    category: custom\n"
                                                 "    title: Evil\n"
                                                 "    severity: low\n"
                                                 "    regex: '(a|aa)+(b|c)$'\n"
                                                 "disable-allow-rules: [tests]\n");
    struct fth_arena *a = fth_arena_new();
    struct fth_secret_result res;
    char text[4096];

    (void)state;
    memset(text, 'a', 4000);
    snprintf(text + 4000, sizeof(text) - 4000, "x\nghp_0123456789abcdefghijABCDEFGHIJ012345\n");
    res = scan(a, rules, "f.txt", text);
    assert_string_equal(ids(a, &res), "github-pat");
    fth_arena_free(a);
    fth_secret_rules_free(rules);
}

/* ---- config ---- */

static void expect_config_error(const char *yaml, const char *message)
{
    struct fth_secret_rules *r = NULL;
    struct fth_error err;
    struct fth_buf b = FTH_BUF_INIT;

    fth_error_clear(&err);
    assert_int_equal(fth_secret_rules_new(&r, yaml, strlen(yaml), "custom.yaml", &err),
                     FTH_EINVALID);
    assert_null(r);
    fth_error_format(&b, &err);
    if (strcmp(b.ptr, message))
        fail_msg("want '%s'\n got '%s'", message, b.ptr);
    fth_buf_release(&b);
}

static void test_secret_config_errors(void **state)
{
    (void)state;
    expect_config_error("rules:\n  - id: broken\n    regex: 'abc(def'\n",
                        "custom.yaml: rule 'broken': bad regex at offset 7: missing closing "
                        "parenthesis");
    expect_config_error("rules:\n  - id: nogroup\n    regex: 'a(?P<x>b)'\n"
                        "    secret-group-name: secret\n",
                        "custom.yaml: rule 'nogroup': the regex has no group named 'secret'");
    expect_config_error("rules:\n  - id: r\n    category: c\n",
                        "custom.yaml:2:5: rule 'r' has no regex");
    expect_config_error("rules:\n  - regex: abc\n", "custom.yaml:2:5: a rule has no 'id'");
    expect_config_error("rules: 3\n", "custom.yaml:1:8: 'rules' must be a list of rules");
    expect_config_error("- a\n- b\n",
                        "custom.yaml:1:1: expected a mapping at the top, found a sequence");
    expect_config_error("allow-rules:\n  - id: x\n    path: '[a-'\n",
                        "custom.yaml: global allow rule 'x' path: bad regex at offset 3: missing "
                        "terminating ] for character class");
    expect_config_error("exclude-block:\n  regexes: ['(']\n",
                        "custom.yaml: global exclude-block: bad regex at offset 1: missing "
                        "closing parenthesis");
}

/* enable-builtin-rules, disable-rules, custom keywords and entropy, rule paths. */
static void test_secret_config_options(void **state)
{
    struct fth_secret_rules *rules = with_config("rules:\n"
                                                 "  - id: internal-token\n"
                                                 "    category: Internal\n"
                                                 "    title: Internal service token\n"
                                                 "    severity: critical\n"
                                                 "    keywords: [itk_]\n"
                                                 "    regex: 'itk_(?P<secret>[A-Za-z0-9]{16})'\n"
                                                 "    secret-group-name: secret\n"
                                                 "    entropy: 3.0\n"
                                                 "    path: '\\.conf$'\n"
                                                 "enable-builtin-rules: [github-pat]\n");
    struct fth_arena *a = fth_arena_new();
    struct fth_secret_result res;
    const char *text = "a = itk_Ab3dEf6hIj9kLm2n\n"
                       "b = itk_aaaaaaaaaaaaaaaa\n"
                       "c = ghp_0123456789abcdefghijABCDEFGHIJ012345\n"
                       "d = AKIAZZZZYYYYXXXXWWWW\n";

    (void)state;
    assert_int_equal(fth_secret_rules_count(rules), 2);
    res = scan(a, rules, "etc/app.conf", text);
    assert_string_equal(ids(a, &res), "github-pat,internal-token");
    assert_string_equal(res.findings[1].match, "a = itk_****************");
    assert_string_equal(res.findings[1].title, "Internal service token");
    assert_int_equal(res.findings[1].severity, FTH_SEV_CRITICAL);
    res = scan(a, rules, "etc/app.ini", text);
    assert_string_equal(ids(a, &res), "github-pat");
    fth_arena_free(a);
    fth_secret_rules_free(rules);
}

/* ---- streaming ---- */

struct reader {
    const char *p;
    size_t len, off, step;
};

static long mem_read(void *data, void *buf, size_t len)
{
    struct reader *r = data;
    size_t n = r->len - r->off;

    if (n > len)
        n = len;
    if (n > r->step)
        n = r->step; /* short reads, as pipes give */
    memcpy(buf, r->p + r->off, n);
    r->off += n;
    return (long)n;
}

static long failing_read(void *data, void *buf, size_t len)
{
    (void)data;
    (void)buf;
    (void)len;
    return FTH_EIO;
}

static void test_secret_stream_matches_whole(void **state)
{
    struct fth_secret_scan_opts opts = FTH_SECRET_SCAN_OPTS_INIT;
    struct fth_secret_rules *rules = builtin();
    struct fth_arena *a = fth_arena_new();
    struct fth_secret_result whole, streamed;
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    struct reader rd;
    size_t i;
    int n;

    (void)state;
    for (n = 0; n < 3000; n++) {
        if (n % 97 == 0)
            fth_buf_printf(&b, "k%d=AKIA%016d\n", n, n);
        else if (n % 89 == 0)
            fth_buf_printf(&b, "t%d=ghp_%036d\n", n, n);
        else
            fth_buf_printf(&b, "line %d of some ordinary text that holds nothing\n", n);
    }
    assert_int_equal(fth_secret_scan(&whole, a, NULL, rules, "f.txt", b.ptr, b.len, NULL, &err), 0);
    assert_int_equal(whole.len, 31 + 33);
    rd = (struct reader){b.ptr, b.len, 0, 1000};
    opts.chunk_size = 4096;
    opts.overlap = 256;
    assert_int_equal(
        fth_secret_scan_stream(&streamed, a, NULL, rules, "f.txt", mem_read, &rd, &opts, &err), 0);
    assert_int_equal(streamed.len, whole.len);
    for (i = 0; i < whole.len; i++) {
        assert_string_equal(streamed.findings[i].rule_id, whole.findings[i].rule_id);
        assert_int_equal(streamed.findings[i].offset, whole.findings[i].offset);
        assert_int_equal(streamed.findings[i].start_line, whole.findings[i].start_line);
        assert_int_equal(streamed.findings[i].column, whole.findings[i].column);
        assert_string_equal(streamed.findings[i].match, whole.findings[i].match);
    }
    fth_error_clear(&err);
    assert_int_equal(
        fth_secret_scan_stream(&streamed, a, NULL, rules, "f.txt", failing_read, NULL, &opts, &err),
        FTH_EIO);
    assert_string_equal(err.message, "cannot read 'f.txt'");
    fth_buf_release(&b);
    fth_arena_free(a);
    fth_secret_rules_free(rules);
}

/* A secret that a chunk cuts is never shown in the lines of a finding that chunk reports. */
static void test_secret_stream_cut_secret_hidden(void **state)
{
    struct fth_secret_scan_opts opts = FTH_SECRET_SCAN_OPTS_INIT;
    struct fth_secret_rules *rules = builtin();
    struct fth_arena *a = fth_arena_new();
    struct fth_secret_result res;
    struct fth_error err;
    struct reader rd;
    char text[600];
    size_t i, j;

    (void)state;
    /* Line 2 (96 bytes, shown whole) runs from byte 180: the AWS key at 182, the GitHub token
     * at 236, across the first chunk's end (256) and inside its 64-byte overlap tail. */
    memset(text, 'x', 179);
    text[179] = '\n';
    snprintf(text + 180, sizeof(text) - 180, "a=AKIAZZZZYYYYXXXXWWWW %30s b=%s\nend\n", "",
             "ghp_0123456789abcdefghijABCDEFGHIJ012345");
    rd = (struct reader){text, strlen(text), 0, 4096};
    opts.chunk_size = 256;
    opts.overlap = 64;
    assert_int_equal(
        fth_secret_scan_stream(&res, a, NULL, rules, "f.txt", mem_read, &rd, &opts, &err), 0);
    assert_string_equal(ids(a, &res), "aws-access-key-id,github-pat");
    assert_int_equal(res.findings[0].offset, 182);
    assert_int_equal(res.findings[1].offset, 236);
    for (i = 0; i < res.len; i++) {
        assert_null(strstr(res.findings[i].match, "ghp_"));
        assert_null(strstr(res.findings[i].match, "AKIA"));
        for (j = 0; j < res.findings[i].code_len; j++) {
            assert_null(strstr(res.findings[i].code[j].content, "ghp_"));
            assert_null(strstr(res.findings[i].code[j].content, "AKIA"));
        }
    }
    fth_arena_free(a);
    fth_secret_rules_free(rules);
}

static void test_secret_entropy(void **state)
{
    (void)state;
    assert_true(fth_secret_entropy("", 0) == 0.0);
    assert_true(fth_secret_entropy("aaaa", 4) == 0.0);
    assert_true(fth_secret_entropy("abab", 4) == 1.0);
    assert_true(fth_secret_entropy("abcd", 4) == 2.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secret_builtin_breadth),
        cmocka_unit_test(test_secret_own_rules),
        cmocka_unit_test(test_secret_masking),
        cmocka_unit_test(test_secret_tree_skips),
        cmocka_unit_test(test_secret_whole_buffer_limits),
        cmocka_unit_test(test_secret_credential_variable),
        cmocka_unit_test(test_secret_near_misses),
        cmocka_unit_test(test_secret_catastrophic_regex),
        cmocka_unit_test(test_secret_config_errors),
        cmocka_unit_test(test_secret_config_options),
        cmocka_unit_test(test_secret_stream_matches_whole),
        cmocka_unit_test(test_secret_stream_cut_secret_hidden),
        cmocka_unit_test(test_secret_entropy),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
