/*
 * secret: Fathom's built-in rules, written from the public formats of each provider's
 * credentials (prefixes, lengths, alphabets). Rule ids and categories follow the names Trivy
 * users already know where a rule covers the same credential, so ignore files and
 * `disable-rules` lists carry over; the patterns are Fathom's own (PCRE2 syntax).
 *
 * Keywords gate a rule: its regex only runs on a file holding one of them (any case). Every
 * keyword must occur in whatever the regex can match, or a secret would be missed.
 */
#include <stddef.h>

#include "secret_int.h"

/* Not glued to a word character before / after. */
#define NB "(?<![0-9A-Za-z_])"
#define NA "(?![0-9A-Za-z_])"

/*
 * The "name = 'value'" shape of many provider credentials: the provider's name, up to 25
 * more name characters, an assignment operator, up to five characters (a quote, spaces, a
 * type annotation) and the quoted value.
 */
#define ASSIGN(name, value)                                                                        \
    "(?i)(?<key>" name "[\\w .,-]{0,25})(?:=|>|:=|\\|\\|:|<=|=>|:).{0,5}[\"'](?<secret>" value     \
    ")[\"']"

#define UUID_HEX "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

/* Values that stand for a secret without being one: variables, templates, masks, words. */
#define PLACEHOLDER                                                                                \
    "(?i)^(?:\\$\\{?[A-Za-z_].*|\\$\\(.*|<[^>]*>?|\\{\\{.*|%[A-Za-z_(].*|\\*+|x+|\\.+|-+|"         \
    "(?:my|your|the|some|example|dummy|fake|test|sample|changeme|change_me)[_-]?"                  \
    "(?:password|passwd|pass|secret|token|key|value)?|password|passwd|pass|secret|token|"          \
    "changeme|changeit|redacted|null|none|undefined|empty|todo|placeholder)$"

/* Environment variables that hold one credential and nothing else (credential-variable). */
#define CRED_VARS                                                                                  \
    "AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AZURE_CLIENT_SECRET|AZURE_STORAGE_KEY|"               \
    "GOOGLE_API_KEY|GITHUB_TOKEN|GH_TOKEN|GITLAB_TOKEN|NPM_TOKEN|NODE_AUTH_TOKEN|"                 \
    "DOCKER_PASSWORD|REGISTRY_PASSWORD|PGPASSWORD|POSTGRES_PASSWORD|MYSQL_PASSWORD|"               \
    "MYSQL_ROOT_PASSWORD|MYSQL_PWD|MARIADB_PASSWORD|MARIADB_ROOT_PASSWORD|"                        \
    "MONGO_INITDB_ROOT_PASSWORD|REDIS_PASSWORD|RABBITMQ_DEFAULT_PASS|SLACK_TOKEN|"                 \
    "SLACK_BOT_TOKEN|TWILIO_AUTH_TOKEN|STRIPE_SECRET_KEY|SENDGRID_API_KEY|OPENAI_API_KEY|"         \
    "ANTHROPIC_API_KEY|HF_TOKEN|VAULT_TOKEN|CONSUL_HTTP_TOKEN|SONAR_TOKEN|CODECOV_TOKEN|"          \
    "HEROKU_API_KEY|DIGITALOCEAN_ACCESS_TOKEN|CLOUDFLARE_API_TOKEN|DATADOG_API_KEY|DD_API_KEY|"    \
    "SENTRY_AUTH_TOKEN|DJANGO_SECRET_KEY|SECRET_KEY_BASE|JWT_SECRET"

#define S_CRIT FTH_SEV_CRITICAL
#define S_HIGH FTH_SEV_HIGH
#define S_MED FTH_SEV_MEDIUM
#define S_LOW FTH_SEV_LOW

/* id, category, title, severity, keywords, regex, group, path, entropy, placeholder, allow */
const struct secret_builtin secret_builtin_rules[] = {
    /* ---- cloud providers ---- */
    {"aws-access-key-id", "AWS", "AWS access key ID", S_CRIT,
     "AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T",
     NB "(?<secret>(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16})" NA,
     "secret", NULL, 0, NULL, NULL},
    {"aws-secret-access-key", "AWS", "AWS secret access key", S_CRIT, "aws",
     "(?i)aws_?(?:sec(?:ret)?)?_?(?:access)?_?key[\"']?\\s*(?::|=>|=)?\\s*[\"']?"
     "(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
     "secret", NULL, 0, NULL, NULL},
    {"gcp-service-account", "Google", "Google Cloud service account key file", S_CRIT,
     "service_account", "\"type\"\\s*:\\s*\"service_account\"", NULL, NULL, 0, NULL, NULL},
    {"gcp-api-key", "Google", "Google API key", S_HIGH, "AIza",
     NB "(?<secret>AIza[0-9A-Za-z_-]{35})" NA, "secret", NULL, 0, NULL, NULL},
    {"alibaba-access-key-id", "Alibaba", "Alibaba Cloud AccessKey ID", S_HIGH, "LTAI",
     "(?<![0-9A-Za-z])(?<secret>LTAI[0-9A-Za-z]{20})(?![0-9A-Za-z])", "secret", NULL, 0, NULL,
     NULL},
    {"alibaba-secret-key", "Alibaba", "Alibaba Cloud AccessKey secret", S_HIGH, "alibaba",
     ASSIGN("alibaba", "[a-z0-9]{30}"), "secret", NULL, 0, NULL, NULL},
    {"azure-storage-account-key", "Azure", "Azure storage account key", S_CRIT, "AccountKey",
     "(?i)AccountKey\\s*=\\s*(?<secret>[A-Za-z0-9+/]{86}==)", "secret", NULL, 0, NULL, NULL},
    {"azure-sas-token", "Azure", "Azure shared access signature", S_HIGH, "sig=",
     "sv=[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[&;][a-z]+=[^&\\s'\"]*){1,12}[&;]sig="
     "(?<secret>[A-Za-z0-9%+/=]{40,})",
     "secret", NULL, 0, NULL, NULL},
    {"azure-devops-pat", "Azure", "Azure DevOps personal access token", S_HIGH, "devops|ado",
     "(?i)(?:azure[_-]?devops|ado)[_-]?(?:pat|token|personal.?access.?token)\\s*[:=]\\s*[\"']?"
     "(?<secret>[A-Za-z0-9]{84}|[a-z2-7]{52})(?![A-Za-z0-9])",
     "secret", NULL, 0, NULL, NULL},
    {"azure-entra-client-secret", "Azure", "Azure Entra ID (AAD) client secret", S_CRIT, "8Q~",
     "(?<![\\w~.-])(?<secret>[\\w~.-]{3}8Q~[\\w~.-]{34})(?![\\w~.-])", "secret", NULL, 0, NULL,
     NULL},
    {"azure-container-registry-credential", "Azure", "Azure Container Registry access key", S_CRIT,
     "ACYeBjFEqg7NAAA",
     "(?<secret>[A-Za-z0-9+/]{52}JQQJ99C[A-Z]ACYeBjFEqg7NAAA[A-Z]AZCR[A-Za-z0-9+/]{4})", "secret",
     NULL, 0, NULL, NULL},
    {"azure-container-registry-password", "Azure", "Azure Container Registry password", S_CRIT,
     "azurecr.io",
     "(?i)azurecr\\.io[^\\n]{0,100}(?:password|pwd)\\s*[:=]\\s*[\"']?"
     "(?<secret>[A-Za-z0-9+/]{32}(?:[A-Za-z0-9+/=]{20})?)",
     "secret", NULL, 0, NULL, NULL},
    {"azure-app-config-connection-string", "Azure", "Azure App Configuration connection string",
     S_CRIT, "azconfig.io",
     "(?i)Endpoint\\s*=\\s*https://[A-Za-z0-9-]+\\.azconfig\\.io\\s*;\\s*Id\\s*=\\s*"
     "[A-Za-z0-9+/=:-]+\\s*;\\s*Secret\\s*=\\s*(?<secret>[A-Za-z0-9+/=~]{32,88})",
     "secret", NULL, 0, NULL, NULL},
    {"azure-ai-services-key", "Azure", "Azure AI services key", S_HIGH, "XJ3w3",
     "(?<secret>[A-Za-z0-9+/]{52}JQQJ99C[A-Z][A-Za-z0-9+/]{7}XJ3w3[A-Za-z0-9+/]{4}ACOG"
     "[A-Za-z0-9+/]{4})",
     "secret", NULL, 0, NULL, NULL},
    {"digitalocean-token", "DigitalOcean", "DigitalOcean API or OAuth token", S_CRIT,
     "dop_v1_|doo_v1_|dor_v1_", NB "(?<secret>do[opr]_v1_[a-f0-9]{64})" NA, "secret", NULL, 0, NULL,
     NULL},
    {"heroku-api-key", "Heroku", "Heroku API key", S_HIGH, "heroku", ASSIGN("heroku", UUID_HEX),
     "secret", NULL, 0, NULL, NULL},

    /* ---- source hosting and CI ---- */
    {"github-pat", "GitHub", "GitHub personal access token (classic)", S_CRIT, "ghp_",
     NB "(?<secret>ghp_[0-9A-Za-z]{36})", "secret", NULL, 0, NULL, NULL},
    {"github-oauth", "GitHub", "GitHub OAuth access token", S_CRIT, "gho_",
     NB "(?<secret>gho_[0-9A-Za-z]{36})", "secret", NULL, 0, NULL, NULL},
    {"github-app-token", "GitHub", "GitHub App user or installation token", S_CRIT, "ghu_|ghs_",
     NB "(?<secret>ghu_[0-9A-Za-z]{36}|ghs_[0-9A-Za-z._-]{36,})", "secret", NULL, 0, NULL, NULL},
    {"github-refresh-token", "GitHub", "GitHub refresh token", S_CRIT, "ghr_",
     NB "(?<secret>ghr_[0-9A-Za-z]{76})", "secret", NULL, 0, NULL, NULL},
    {"github-fine-grained-pat", "GitHub", "GitHub fine-grained personal access token", S_CRIT,
     "github_pat_", "github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}", NULL, NULL, 0, NULL, NULL},
    {"gitlab-pat", "GitLab", "GitLab personal access token", S_CRIT, "glpat-",
     NB "(?<secret>glpat-[0-9A-Za-z_-]{20}[0-9A-Za-z_.-]*)", "secret", NULL, 0, NULL, NULL},
    {"gitlab-pipeline-trigger-token", "GitLab", "GitLab pipeline trigger token", S_HIGH, "glptt-",
     NB "(?<secret>glptt-[0-9a-f]{40})", "secret", NULL, 0, NULL, NULL},
    {"gitlab-runner-token", "GitLab", "GitLab runner authentication token", S_HIGH, "glrt-",
     NB "(?<secret>glrt-[0-9A-Za-z_-]{20}[0-9A-Za-z_.-]*)", "secret", NULL, 0, NULL, NULL},
    {"gitlab-deploy-token", "GitLab", "GitLab deploy token", S_HIGH, "gldt-",
     NB "(?<secret>gldt-[0-9A-Za-z_-]{20}[0-9A-Za-z_.-]*)", "secret", NULL, 0, NULL, NULL},
    {"bitbucket-client-id", "Bitbucket", "Bitbucket OAuth client ID", S_HIGH, "bitbucket",
     ASSIGN("bitbucket", "[a-z0-9]{32}"), "secret", NULL, 0, NULL, NULL},
    {"bitbucket-client-secret", "Bitbucket", "Bitbucket OAuth client secret", S_HIGH, "bitbucket",
     ASSIGN("bitbucket", "[a-z0-9_-]{64}"), "secret", NULL, 0, NULL, NULL},
    {"atlassian-api-token", "Atlassian", "Atlassian API token", S_HIGH, "atlassian",
     ASSIGN("atlassian", "[a-z0-9]{24}"), "secret", NULL, 0, NULL, NULL},
    {"pulumi-api-token", "Pulumi", "Pulumi access token", S_HIGH, "pul-", "pul-[a-f0-9]{40}", NULL,
     NULL, 0, NULL, NULL},
    {"hashicorp-tf-api-token", "HashiCorp", "Terraform Cloud user or organisation token", S_MED,
     "atlasv1.", "(?<secret>[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9=_-]{60,70})", "secret", NULL, 0,
     NULL, NULL},
    {"hashicorp-vault-token", "HashiCorp", "HashiCorp Vault service or batch token", S_HIGH,
     "hvs.|hvb.", NB "(?<secret>hv[sb]\\.[A-Za-z0-9_-]{24,})", "secret", NULL, 0, NULL, NULL},
    {"dockerhub-pat", "Docker", "Docker Hub personal access token", S_HIGH, "dckr_pat_",
     NB "(?<secret>dckr_pat_[A-Za-z0-9_-]{27})" NA, "secret", NULL, 0, NULL, NULL},

    /* ---- package registries ---- */
    {"npm-access-token", "Npm", "npm access token", S_CRIT, "npm_",
     NB "(?<secret>npm_[A-Za-z0-9]{36})" NA, "secret", NULL, 0, NULL, NULL},
    {"npmrc-auth-token", "Npm", "npm registry credential in .npmrc", S_CRIT, "_auth",
     "(?im)^[ \\t]*(?://[^\\s=]*:)?_(?:authToken|auth|password)[ \\t]*=[ \\t]*[\"']?"
     "(?<secret>[A-Za-z0-9+/=._~-]{8,})",
     "secret", NULL, 0, PLACEHOLDER, NULL},
    {"pypi-upload-token", "PyPI", "PyPI upload token", S_HIGH, "pypi-AgEIcHlwaS5vcmc",
     "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}", NULL, NULL, 0, NULL, NULL},
    {"rubygems-api-token", "RubyGems", "RubyGems API key", S_MED, "rubygems_",
     "rubygems_[a-f0-9]{48}", NULL, NULL, 0, NULL, NULL},
    {"clojars-api-token", "Clojars", "Clojars deploy token", S_MED, "CLOJARS_",
     "CLOJARS_[A-Za-z0-9]{60}", NULL, NULL, 0, NULL, NULL},
    {"private-packagist-token", "Private Packagist", "Private Packagist token", S_HIGH,
     "packagist_ort_|packagist_out_|packagist_uut_", "packagist_(?:ort|out|uut)_[A-Fa-f0-9]{68}",
     NULL, NULL, 0, NULL, NULL},
    {"dockerconfig-secret", "Docker", "Docker registry credentials in a Kubernetes secret", S_HIGH,
     "dockerc",
     "(?i)\\.(?:dockerconfigjson|dockercfg)[\"']?\\s*:\\s*\\|?-?\\s*[\"']?"
     "(?<secret>e[wy][A-Za-z0-9/+=]+)",
     "secret", NULL, 0, NULL, NULL},
    {"docker-config-auth", "Docker", "Registry credentials in a Docker config.json", S_HIGH,
     "\"auth\"", "\"auth\"\\s*:\\s*\"(?<secret>[A-Za-z0-9+/]{6,}={0,2})\"", "secret",
     "(?:^|/)(?:\\.docker/config\\.json|\\.dockercfg|config\\.json)$", 0, NULL, NULL},
    {"maven-settings-password", "Maven", "Password in Maven settings.xml", S_HIGH, "password",
     "(?i)<\\s*password\\s*>\\s*(?<secret>[^<{\\s][^<{]+[^<{\\s])\\s*<\\s*/\\s*password\\s*>",
     "secret", "(?i)(?:^|[/\\\\])settings\\.xml$", 0, NULL, NULL},
    {"maven-settings-passphrase", "Maven", "Key passphrase in Maven settings.xml", S_HIGH,
     "passphrase",
     "(?i)<\\s*passphrase\\s*>\\s*(?<secret>[^<{\\s][^<{]+[^<{\\s])\\s*<\\s*/\\s*passphrase\\s*>",
     "secret", "(?i)(?:^|[/\\\\])settings\\.xml$", 0, NULL, NULL},
    {"maven-settings-security-master", "Maven", "Master password in Maven settings-security.xml",
     S_HIGH, "master",
     "(?i)<\\s*master\\s*>\\s*(?<secret>[^<\\s][^<]+[^<\\s])\\s*<\\s*/\\s*master\\s*>", "secret",
     "(?i)(?:^|[/\\\\])settings-security\\.xml$", 0, NULL, NULL},

    /* ---- keys, tokens and connection strings of any origin ---- */
    {"private-key", "AsymmetricPrivateKey", "Asymmetric private key (PEM, OpenSSH, PGP)", S_HIGH,
     "private key",
     "(?i)-----\\s*BEGIN[ A-Z0-9_-]*PRIVATE KEY(?: BLOCK)?\\s*-----\\s*"
     "(?:[A-Z][A-Z-]*:[^\\n]*\\n\\s*)*"
     "(?<secret>[A-Za-z0-9+/=\\\\][A-Za-z0-9+/=\\\\\\s]{30,}[A-Za-z0-9+/=\\\\])\\s*"
     "-----\\s*END[ A-Z0-9_-]* PRIVATE KEY(?: BLOCK)?\\s*-----",
     "secret", NULL, 0, NULL, NULL},
    {"jwt-token", "JWT", "JSON Web Token", S_MED, "eyJ",
     "(?:ghs_[0-9]+_)?(?<secret>ey[A-Za-z0-9]{17,}\\.ey[\\w/\\\\-]{17,}\\.(?:[\\w/"
     "\\\\-]{10,}={0,2})?)",
     "secret", NULL, 0, NULL, "^ghs_"},
    {"db-connection-string", "Database", "Database connection string with a password", S_CRIT,
     "postgres|mysql|mariadb|mongodb|redis|amqp|mssql|sqlserver|clickhouse|cockroach",
     /* Anchored on "://" (a fast literal search), the scheme checked behind it. */
     "(?i)(?<=postgres|postgresql|mysql|mariadb|mongodb|mongodb\\+srv|redis|rediss|amqp|amqps|"
     "mssql|sqlserver|clickhouse|cockroachdb)://[^\\s:/@'\"]*:"
     "(?<secret>[^\\s:/@'\"]{3,128})@[^\\s/@'\"]+",
     "secret", NULL, 0, PLACEHOLDER, NULL},
    {"env-file-secret", "DotEnv", "Credential in a .env file", S_HIGH, "",
     "(?m)^[ \\t]*(?:export[ \\t]+)?[A-Za-z0-9_]*(?i:password|passwd|secret|token|api_?key|"
     "access_?key|private_?key|credentials?|auth)[A-Za-z0-9_]*[ \\t]*=[ \\t]*[\"']?"
     "(?<secret>[^\\s\"']{8,})",
     "secret", "(?:^|/)\\.env(?:\\.[\\w.-]+)?$", 3.0, PLACEHOLDER, NULL},
    /*
     * Variables whose name says what they hold, given a literal value in a shell script, an
     * env file, a Dockerfile's ENV or a YAML map (`export AWS_SECRET_ACCESS_KEY=...`,
     * `POSTGRES_PASSWORD: ...`). The value is quoted, or unquoted up to the end of the word;
     * an unquoted value may not be an expression (calls, indexing, dotted names). A "Generic"
     * rule yields to a provider's rule that found a secret on the same bytes.
     */
    {"credential-variable", "Generic", "Literal value for a well-known credential variable", S_HIGH,
     CRED_VARS,
     "(?i)" NB "(?<![$]\\{|\\$)(?<key>" CRED_VARS ")[\"']?[ \\t]*(?:=|:(?!:))[ \\t]*"
     "(?:\"(?<secret>[^\"\\s$]{8,256})\"|'(?<secret>[^'\\s]{8,256})'|"
     "(?![A-Za-z_]\\w*(?:\\.\\w+)+(?:[\\s;]|$))"
     "(?<secret>[^\\s\"'$(){}\\[\\]<>;,`|&\\\\]{8,256})(?=[\\s;]|$))",
     "secret", NULL, 3.0, PLACEHOLDER, NULL},
    {"symfony-default-secret", "Symfony", "Symfony default application secret", S_HIGH,
     "TokenIsNotSoSecret",
     "ThisTokenIsNotSoSecretChangeIt|ThisEzPlatformTokenIsNotSoSecret_PleaseChangeIt", NULL, NULL,
     0, NULL, NULL},
    {"age-secret-key", "Age", "age encryption secret key", S_MED, "AGE-SECRET-KEY-1",
     "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", NULL, NULL, 0, NULL, NULL},

    /* ---- AI services ---- */
    {"openai-project-api-key", "OpenAI", "OpenAI project API key", S_CRIT, "T3BlbkFJ",
     NB "(?<secret>sk-proj-[\\w-]{20,100}T3BlbkFJ[\\w-]{20,100})", "secret", NULL, 0, NULL, NULL},
    {"openai-service-account-key", "OpenAI", "OpenAI service account key", S_CRIT, "T3BlbkFJ",
     NB "(?<secret>sk-svcacct-[\\w-]{20,100}T3BlbkFJ[\\w-]{20,100})", "secret", NULL, 0, NULL,
     NULL},
    {"openai-admin-api-key", "OpenAI", "OpenAI admin API key", S_CRIT, "T3BlbkFJ",
     NB "(?<secret>sk-admin-[\\w-]{20,100}T3BlbkFJ[\\w-]{20,100})", "secret", NULL, 0, NULL, NULL},
    {"openai-legacy-api-key", "OpenAI", "OpenAI user API key (legacy format)", S_HIGH, "T3BlbkFJ",
     NB "(?<secret>sk-(?:None-)?[A-Za-z0-9]{20,42}T3BlbkFJ[A-Za-z0-9]{20,42})", "secret", NULL, 0,
     NULL, NULL},
    {"openai-service-api-key", "OpenAI", "OpenAI service API key", S_HIGH, "T3BlbkFJ",
     NB "(?<secret>sk-service-[A-Za-z0-9-]+-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})", "secret",
     NULL, 0, NULL, NULL},
    {"openai-realtime-client-secret", "OpenAI", "OpenAI Realtime ephemeral client secret", S_MED,
     "ek_", NB "(?<secret>ek_[a-f0-9]{32})" NA, "secret", NULL, 0, NULL, NULL},
    {"anthropic-api-key", "Anthropic", "Anthropic API key", S_CRIT, "sk-ant-",
     NB "(?<secret>sk-ant-(?:api|admin)[0-9]{2}-[\\w-]{80,120})", "secret", NULL, 0, NULL, NULL},
    {"hugging-face-access-token", "HuggingFace", "Hugging Face access token", S_CRIT, "hf_",
     NB "(?<secret>hf_[A-Za-z0-9]{34,40})" NA, "secret", NULL, 0, NULL, NULL},

    /* ---- messaging, email and collaboration ---- */
    {"slack-access-token", "Slack", "Slack bot, user or app token", S_HIGH,
     "xoxb-|xoxa-|xoxp-|xoxr-|xoxs-",
     NB "(?<secret>xox[abprs]-(?:[0-9]+-){0,3}[0-9A-Za-z]{10,48}(?:-[0-9A-Za-z]{1,64}){0,3})",
     "secret", NULL, 0, NULL, NULL},
    {"slack-app-token", "Slack", "Slack app-level token", S_HIGH, "xapp-",
     NB "(?<secret>xapp-[0-9]-[A-Z0-9]+-[0-9]+-[a-f0-9]{32,})", "secret", NULL, 0, NULL, NULL},
    {"slack-web-hook", "Slack", "Slack incoming webhook URL", S_MED, "hooks.slack.com",
     "https://hooks\\.slack\\.com/(?:services|workflows)/[A-Za-z0-9+/]{43,56}", NULL, NULL, 0, NULL,
     NULL},
    {"discord-api-token", "Discord", "Discord API key", S_MED, "discord",
     ASSIGN("discord", "[a-h0-9]{64}"), "secret", NULL, 0, NULL, NULL},
    {"discord-client-id", "Discord", "Discord client ID", S_MED, "discord",
     ASSIGN("discord", "[0-9]{18}"), "secret", NULL, 0, NULL, NULL},
    {"discord-client-secret", "Discord", "Discord client secret", S_MED, "discord",
     ASSIGN("discord", "[a-z0-9=_-]{32}"), "secret", NULL, 0, NULL, NULL},
    {"twilio-api-key", "Twilio", "Twilio API key", S_MED, "SK",
     NB "(?<secret>SK[0-9a-fA-F]{32})" NA, "secret", NULL, 0, NULL, NULL},
    {"sendgrid-api-token", "SendGrid", "SendGrid API key", S_MED, "SG.",
     NB "(?<secret>SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})", "secret", NULL, 0, NULL, NULL},
    {"sendinblue-api-token", "Sendinblue", "Brevo (Sendinblue) API key", S_LOW, "xkeysib-",
     "xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}", NULL, NULL, 0, NULL, NULL},
    {"mailchimp-api-key", "Mailchimp", "Mailchimp API key", S_MED, "mailchimp",
     ASSIGN("mailchimp", "[a-f0-9]{32}-us[0-9]{1,2}"), "secret", NULL, 0, NULL, NULL},
    {"mailgun-token", "Mailgun", "Mailgun private API key", S_MED, "mailgun",
     ASSIGN("mailgun", "(?:pub)?key-[a-f0-9]{32}"), "secret", NULL, 0, NULL, NULL},
    {"mailgun-signing-key", "Mailgun", "Mailgun webhook signing key", S_MED, "mailgun",
     ASSIGN("mailgun", "[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}"), "secret", NULL, 0, NULL, NULL},
    {"messagebird-api-token", "MessageBird", "MessageBird API key", S_MED, "messagebird",
     ASSIGN("messagebird", "[a-z0-9]{25}"), "secret", NULL, 0, NULL, NULL},
    {"messagebird-client-id", "MessageBird", "MessageBird client ID", S_MED, "messagebird",
     ASSIGN("messagebird", UUID_HEX), "secret", NULL, 0, NULL, NULL},
    {"intercom-api-token", "Intercom", "Intercom API token", S_LOW, "intercom",
     ASSIGN("intercom", "[a-z0-9=_]{60}"), "secret", NULL, 0, NULL, NULL},
    {"intercom-client-secret", "Intercom", "Intercom client secret or ID", S_LOW, "intercom",
     ASSIGN("intercom", UUID_HEX), "secret", NULL, 0, NULL, NULL},
    {"linear-api-token", "Linear", "Linear API key", S_MED, "lin_api_", "lin_api_[A-Za-z0-9]{40}",
     NULL, NULL, 0, NULL, NULL},
    {"linear-client-secret", "Linear", "Linear OAuth client secret or ID", S_MED, "linear",
     ASSIGN("linear", "[a-f0-9]{32}"), "secret", NULL, 0, NULL, NULL},
    {"asana-client-id", "Asana", "Asana client ID", S_MED, "asana", ASSIGN("asana", "[0-9]{16}"),
     "secret", NULL, 0, NULL, NULL},
    {"asana-client-secret", "Asana", "Asana client secret", S_MED, "asana",
     ASSIGN("asana", "[a-z0-9]{32}"), "secret", NULL, 0, NULL, NULL},
    {"hubspot-api-token", "HubSpot", "HubSpot API key", S_LOW, "hubspot",
     ASSIGN("hubspot", UUID_HEX), "secret", NULL, 0, NULL, NULL},
    {"typeform-api-token", "Typeform", "Typeform personal token", S_LOW, "typeform",
     "(?i)(?<key>typeform[\\w .,-]{0,25})(?:=|>|:=|\\|\\|:|<=|=>|:).{0,5}"
     "(?<secret>tfp_[a-z0-9._=-]{59})",
     "secret", NULL, 0, NULL, NULL},
    {"postman-api-token", "Postman", "Postman API key", S_MED, "PMAK-",
     "PMAK-[A-Fa-f0-9]{24}-[A-Fa-f0-9]{34}", NULL, NULL, 0, NULL, NULL},
    {"contentful-delivery-api-token", "ContentfulDelivery", "Contentful delivery API token", S_LOW,
     "contentful", ASSIGN("contentful", "[a-z0-9=_-]{43}"), "secret", NULL, 0, NULL, NULL},
    {"frameio-api-token", "Frameio", "Frame.io developer token", S_LOW, "fio-u-",
     "fio-u-[A-Za-z0-9=_-]{64}", NULL, NULL, 0, NULL, NULL},
    {"beamer-api-token", "Beamer", "Beamer API key", S_LOW, "beamer",
     ASSIGN("beamer", "b_[a-z0-9=_-]{44}"), "secret", NULL, 0, NULL, NULL},

    /* ---- social and identity ---- */
    {"facebook-token", "Facebook", "Facebook app secret", S_LOW, "facebook",
     ASSIGN("facebook", "[a-f0-9]{32}"), "secret", NULL, 0, NULL, NULL},
    {"twitter-token", "Twitter", "Twitter (X) API secret", S_LOW, "twitter",
     ASSIGN("twitter", "[a-f0-9]{35,44}"), "secret", NULL, 0, NULL, NULL},
    {"linkedin-client-secret", "LinkedIn", "LinkedIn client secret", S_LOW, "linkedin",
     ASSIGN("linkedin", "[a-z]{16}"), "secret", NULL, 0, NULL, NULL},
    {"linkedin-client-id", "LinkedIn", "LinkedIn client ID", S_LOW, "linkedin",
     ASSIGN("linkedin", "[a-z0-9]{14}"), "secret", NULL, 0, NULL, NULL},
    {"twitch-api-token", "Twitch", "Twitch API token", S_LOW, "twitch",
     ASSIGN("twitch", "[a-z0-9]{30}"), "secret", NULL, 0, NULL, NULL},
    {"adobe-client-id", "Adobe", "Adobe OAuth client ID", S_LOW, "adobe",
     ASSIGN("adobe", "[a-f0-9]{32}"), "secret", NULL, 0, NULL, NULL},
    {"adobe-client-secret", "Adobe", "Adobe client secret", S_LOW, "p8e-", "p8e-[A-Za-z0-9]{32}",
     NULL, NULL, 0, NULL, NULL},

    /* ---- payments and commerce ---- */
    {"stripe-publishable-token", "Stripe", "Stripe publishable key", S_LOW, "pk_test_|pk_live_",
     NB "(?<secret>(?i:pk_(?:test|live)_)[0-9A-Za-z]{10,99})", "secret", NULL, 0, NULL, NULL},
    {"stripe-secret-token", "Stripe", "Stripe secret key", S_CRIT, "sk_test_|sk_live_",
     NB "(?<secret>(?i:sk_(?:test|live)_)[0-9A-Za-z]{10,99})", "secret", NULL, 0, NULL, NULL},
    {"stripe-restricted-token", "Stripe", "Stripe restricted key", S_HIGH, "rk_test_|rk_live_",
     NB "(?<secret>(?i:rk_(?:test|live)_)[0-9A-Za-z]{10,99})", "secret", NULL, 0, NULL, NULL},
    {"shopify-token", "Shopify", "Shopify access token or shared secret", S_HIGH,
     "shpss_|shpat_|shpca_|shppa_", "shp(?:ss|at|ca|pa)_[a-fA-F0-9]{32}", NULL, NULL, 0, NULL,
     NULL},
    {"flutterwave-public-key", "Flutterwave", "Flutterwave test public or secret key", S_MED,
     "FLWSECK_TEST-|FLWPUBK_TEST-", NB "(?<secret>FLW(?:PUB|SEC)K_TEST-[A-Ha-h0-9]{32}-X)",
     "secret", NULL, 0, NULL, NULL},
    {"flutterwave-enc-key", "Flutterwave", "Flutterwave test encryption key", S_MED, "FLWSECK_TEST",
     NB "(?<secret>FLWSECK_TEST[a-h0-9]{12})", "secret", NULL, 0, NULL, NULL},
    {"gocardless-api-token", "GoCardless", "GoCardless live access token", S_MED, "live_",
     "[\"'](?<secret>live_[A-Za-z0-9=_-]{40})[\"']", "secret", NULL, 0, NULL, NULL},
    {"finicity-client-secret", "Finicity", "Finicity client secret", S_MED, "finicity",
     ASSIGN("finicity", "[a-z0-9]{20}"), "secret", NULL, 0, NULL, NULL},
    {"finicity-api-token", "Finicity", "Finicity API token", S_MED, "finicity",
     ASSIGN("finicity", "[a-f0-9]{32}"), "secret", NULL, 0, NULL, NULL},
    {"easypost-api-token", "Easypost", "EasyPost API key", S_LOW, "EZAK|EZTK",
     NB "(?<secret>EZ[AT]K[A-Za-z0-9]{54})" NA, "secret", NULL, 0, NULL, NULL},
    {"duffel-api-token", "Duffel", "Duffel API token", S_LOW, "duffel_test_|duffel_live_",
     "[\"'](?<secret>duffel_(?:test|live)_[A-Za-z0-9_-]{43})[\"']", "secret", NULL, 0, NULL, NULL},
    {"shippo-api-token", "Shippo", "Shippo API token", S_LOW, "shippo_live_|shippo_test_",
     "shippo_(?:live|test)_[a-f0-9]{40}", NULL, NULL, 0, NULL, NULL},
    {"lob-api-key", "Lob", "Lob API key", S_LOW, "lob", ASSIGN("lob", "(?:live|test)_[a-f0-9]{35}"),
     "secret", NULL, 0, NULL, NULL},
    {"lob-pub-api-key", "Lob", "Lob publishable API key", S_LOW, "lob",
     ASSIGN("lob", "(?:test|live)_pub_[a-f0-9]{31}"), "secret", NULL, 0, NULL, NULL},

    /* ---- observability, data and infrastructure services ---- */
    {"grafana-api-token", "Grafana", "Grafana API key", S_MED, "eyJrIjoi",
     "[\"']?eyJrIjoi[A-Za-z0-9=_-]{72,92}[\"']?", NULL, NULL, 0, NULL, NULL},
    {"grafana-cloud-api-token", "Grafana", "Grafana Cloud access policy token", S_MED, "glc_",
     NB "(?<secret>glc_[A-Za-z0-9+/]{32,400}={0,2})", "secret", NULL, 0, NULL, NULL},
    {"grafana-service-account-token", "Grafana", "Grafana service account token", S_MED, "glsa_",
     NB "(?<secret>glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})" NA, "secret", NULL, 0, NULL, NULL},
    {"new-relic-user-api-key", "NewRelic", "New Relic user API key", S_MED, "NRAK-",
     NB "(?<secret>NRAK-[A-Z0-9]{27})" NA, "secret", NULL, 0, NULL, NULL},
    {"new-relic-user-api-id", "NewRelic", "New Relic user API ID", S_MED, "newrelic",
     ASSIGN("newrelic", "[A-Z0-9]{64}"), "secret", NULL, 0, NULL, NULL},
    {"new-relic-browser-api-token", "NewRelic", "New Relic browser ingest key", S_MED, "NRJS-",
     NB "(?<secret>NRJS-[a-f0-9]{19})" NA, "secret", NULL, 0, NULL, NULL},
    {"dynatrace-api-token", "Dynatrace", "Dynatrace API token", S_MED, "dt0c01.",
     NB "(?<secret>dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64})" NA, "secret", NULL, 0, NULL, NULL},
    {"databricks-api-token", "Databricks", "Databricks personal access token", S_MED, "dapi",
     NB "(?<secret>dapi[a-h0-9]{32})", "secret", NULL, 0, NULL, NULL},
    {"doppler-api-token", "Doppler", "Doppler personal token", S_MED, "dp.pt.",
     "[\"'](?<secret>dp\\.pt\\.[A-Za-z0-9]{43})[\"']", "secret", NULL, 0, NULL, NULL},
    {"planetscale-password", "Planetscale", "PlanetScale database password", S_MED, "pscale_pw_",
     "pscale_pw_[A-Za-z0-9._-]{43}", NULL, NULL, 0, NULL, NULL},
    {"planetscale-api-token", "Planetscale", "PlanetScale service token", S_MED, "pscale_tkn_",
     "pscale_tkn_[A-Za-z0-9._-]{43}", NULL, NULL, 0, NULL, NULL},
    {"fastly-api-token", "Fastly", "Fastly API token", S_MED, "fastly",
     ASSIGN("fastly", "[a-z0-9=_-]{32}"), "secret", NULL, 0, NULL, NULL},
    {"mapbox-api-token", "Mapbox", "Mapbox access token", S_MED, "pk.|sk.",
     NB "(?<secret>[ps]k\\.[A-Za-z0-9]{60}\\.[A-Za-z0-9_-]{22})", "secret", NULL, 0, NULL, NULL},
    {"ionic-api-token", "Ionic", "Ionic API token", S_MED, "ionic",
     ASSIGN("ionic", "ion_[a-z0-9]{42}"), "secret", NULL, 0, NULL, NULL},
    {"dropbox-api-secret", "Dropbox", "Dropbox app key or secret", S_HIGH, "dropbox",
     ASSIGN("dropbox", "[a-z0-9]{15}"), "secret", NULL, 0, NULL, NULL},
    {"dropbox-short-lived-api-token", "Dropbox", "Dropbox short-lived access token", S_HIGH,
     "dropbox", ASSIGN("dropbox", "sl\\.[a-z0-9=_-]{135}"), "secret", NULL, 0, NULL, NULL},
    {"dropbox-long-lived-api-token", "Dropbox", "Dropbox long-lived access token", S_HIGH,
     "dropbox", ASSIGN("dropbox", "[a-z0-9]{11}AAAAAAAAAA[a-z0-9=_-]{43}"), "secret", NULL, 0, NULL,
     NULL},
};

const size_t secret_builtin_rules_len =
    sizeof(secret_builtin_rules) / sizeof(secret_builtin_rules[0]);

/*
 * Paths where a match is far more likely an example or a vendored copy than a leaked
 * credential. The ids are the ones Trivy's config files name in `disable-allow-rules`.
 */
const struct secret_builtin_allow secret_builtin_allows[] = {
    {"tests", "test files and directories", "(?i)(?:^|[/_.-])test", NULL},
    {"examples", "example files, and matches that say they are examples", "example", "(?i)example"},
    {"vendor", "vendored dependencies", "/vendor/", NULL},
    {"usr-dirs", "files the distribution ships", "^usr/(?:share|include|lib)/", NULL},
    {"locale-dir", "translations", "/locales?/", NULL},
    {"markdown", "Markdown documents", "\\.md$", NULL},
    {"dist-info", "Python package metadata", "\\.dist-info/", NULL},
    {"node.js", "Yarn as the Node.js images install it", "^opt/yarn-v[0-9.]+/", NULL},
    {"golang", "the Go distribution of the golang images", "^usr/local/go/", NULL},
    {"python", "the standard library of the python images", "^usr/local/lib/python[0-9.]+/", NULL},
    {"rubygems", "installed Ruby gems", "^usr/lib/gems/", NULL},
    {"wordpress", "the WordPress sources of the wordpress images", "^usr/src/wordpress/", NULL},
    {"anaconda-log", "Anaconda installer logs", "^var/log/anaconda/", NULL},
};

const size_t secret_builtin_allows_len =
    sizeof(secret_builtin_allows) / sizeof(secret_builtin_allows[0]);
