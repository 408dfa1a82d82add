/*
 * secret: the custom rules file, in Trivy's secret config format (trivy-secret.yaml) so
 * existing files work unchanged: rules, allow-rules, exclude-block, enable-builtin-rules,
 * disable-rules, disable-allow-rules. Fathom adds `entropy` to a rule (the secret's minimum
 * Shannon entropy in bits per byte). Unknown keys are ignored, as Trivy ignores them.
 */
#include <stdarg.h>
#include <string.h>

#include "secret_int.h"
#include "fathom/value.h"
#include "../base/limits.h"
#include "../base/banned.h"

struct parser {
    struct fth_arena *a;
    const char *name;
    struct fth_error *err;
};

static int fail(struct parser *p, const struct fth_value *at, const char *fmt, ...)
    FTH_PRINTF(3, 4);

static int fail(struct parser *p, const struct fth_value *at, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fth_error_setv(p->err, FTH_EINVALID, fmt, ap);
    va_end(ap);
    fth_error_locate(p->err, p->name, at ? at->line : 0, at ? at->column : 0);
    return FTH_EINVALID;
}

/* A scalar as text: strings as they are, numbers and booleans as YAML wrote them. */
static int scalar(const char **out, struct parser *p, const struct fth_value *v, const char *key)
{
    const char *s = fth_value_str(v);

    *out = NULL;
    if (!v || v->type == FTH_VALUE_NULL)
        return 0;
    if (!s) {
        if (v->type == FTH_VALUE_INT)
            s = fth_arena_printf(p->a, "%lld", (long long)v->u.integer);
        else if (v->type == FTH_VALUE_BOOL)
            s = v->u.boolean ? "true" : "false";
        else
            return fail(p, v, "'%s' must be a string", key);
        if (!s)
            return FTH_ENOMEM;
    }
    *out = s;
    return 0;
}

static int string_list(struct fth_vec *out, struct parser *p, const struct fth_value *v,
                       const char *key)
{
    const char *s;
    size_t i;
    int error;

    if (!v || v->type == FTH_VALUE_NULL)
        return 0;
    if (v->type != FTH_VALUE_SEQ)
        return fail(p, v, "'%s' must be a list of strings", key);
    if (v->u.seq.len > FTH_LIMIT_SECRET_RULES)
        return fail(p, v, "'%s' has too many entries", key);
    for (i = 0; i < v->u.seq.len; i++) {
        if ((error = scalar(&s, p, v->u.seq.items[i], key)) < 0)
            return error;
        if (!s)
            continue;
        if (strlen(s) > FTH_LIMIT_SECRET_REGEX_LEN)
            return fail(p, v->u.seq.items[i], "an entry of '%s' is too long", key);
        if (fth_vec_push(out, p->a, (void *)s) < 0)
            return FTH_ENOMEM;
    }
    return 0;
}

static int allow_list(struct fth_vec *out, struct parser *p, const struct fth_value *v)
{
    struct secret_allow_spec *al;
    const struct fth_value *item;
    size_t i;
    int error = 0;

    if (!v || v->type == FTH_VALUE_NULL)
        return 0;
    if (v->type != FTH_VALUE_SEQ)
        return fail(p, v, "'%s' must be a list of allow rules", "allow-rules");
    if (v->u.seq.len > FTH_LIMIT_SECRET_RULES)
        return fail(p, v, "'%s' has too many entries", "allow-rules");
    for (i = 0; i < v->u.seq.len; i++) {
        item = v->u.seq.items[i];
        if (item->type != FTH_VALUE_MAP)
            return fail(p, item, "an entry of '%s' must be a mapping", "allow-rules");
        if (!(al = fth_arena_calloc(p->a, 1, sizeof(*al))))
            return FTH_ENOMEM;
        if ((error = scalar(&al->id, p, fth_value_get(item, "id"), "id")) < 0 ||
            (error = scalar(&al->description, p, fth_value_get(item, "description"),
                            "description")) < 0 ||
            (error = scalar(&al->path, p, fth_value_get(item, "path"), "path")) < 0 ||
            (error = scalar(&al->regex, p, fth_value_get(item, "regex"), "regex")) < 0)
            return error;
        if (!al->id)
            al->id = al->description ? al->description : "";
        if (fth_vec_push(out, p->a, al) < 0)
            return FTH_ENOMEM;
    }
    return 0;
}

static int exclude_block(struct fth_vec *out, struct parser *p, const struct fth_value *v)
{
    if (!v || v->type == FTH_VALUE_NULL)
        return 0;
    if (v->type != FTH_VALUE_MAP)
        return fail(p, v, "'%s' must be a mapping with 'regexes'", "exclude-block");
    return string_list(out, p, fth_value_get(v, "regexes"), "exclude-block.regexes");
}

/* Trivy accepts any case and treats what it does not know as UNKNOWN; so does Fathom. */
static enum fth_severity severity_of(const char *s)
{
    enum fth_severity sev = FTH_SEV_UNKNOWN;

    if (!s || fth_severity_parse(&sev, s) < 0 || sev == FTH_SEV_INFO)
        return FTH_SEV_UNKNOWN;
    return sev;
}

static int parse_rule(struct secret_rule_spec **out, struct parser *p, const struct fth_value *v)
{
    struct secret_rule_spec *r;
    const struct fth_value *ent;
    const char *sev = NULL;
    int error;

    *out = NULL;
    if (v->type != FTH_VALUE_MAP)
        return fail(p, v, "an entry of '%s' must be a mapping", "rules");
    if (!(r = fth_arena_calloc(p->a, 1, sizeof(*r))))
        return FTH_ENOMEM;
    if ((error = scalar(&r->id, p, fth_value_get(v, "id"), "id")) < 0 ||
        (error = scalar(&r->category, p, fth_value_get(v, "category"), "category")) < 0 ||
        (error = scalar(&r->title, p, fth_value_get(v, "title"), "title")) < 0 ||
        (error = scalar(&sev, p, fth_value_get(v, "severity"), "severity")) < 0 ||
        (error = scalar(&r->regex, p, fth_value_get(v, "regex"), "regex")) < 0 ||
        (error = scalar(&r->path, p, fth_value_get(v, "path"), "path")) < 0 ||
        (error = scalar(&r->group, p, fth_value_get(v, "secret-group-name"), "secret-group-name")) <
            0)
        return error;
    if (!r->id || !*r->id)
        return fail(p, v, "a rule has no '%s'", "id");
    if (!r->regex || !*r->regex) {
        fth_error_set(p->err, FTH_EINVALID, "rule '%s' has no regex", r->id);
        fth_error_locate(p->err, p->name, v->line, v->column);
        return FTH_EINVALID;
    }
    if (strlen(r->regex) > FTH_LIMIT_SECRET_REGEX_LEN) {
        fth_error_set(p->err, FTH_ELIMIT, "rule '%s': regex is too long", r->id);
        fth_error_locate(p->err, p->name, v->line, v->column);
        return FTH_ELIMIT;
    }
    if (r->group && !*r->group)
        r->group = NULL;
    r->severity = severity_of(sev);
    if (!r->category)
        r->category = "";
    if (!r->title)
        r->title = "";
    ent = fth_value_get(v, "entropy");
    if (ent && ent->type == FTH_VALUE_INT)
        r->entropy = (double)ent->u.integer;
    else if (ent && ent->type == FTH_VALUE_FLOAT)
        r->entropy = ent->u.number;
    else if (ent && ent->type != FTH_VALUE_NULL)
        return fail(p, ent, "'%s' must be a number", "entropy");
    if ((error = string_list(&r->keywords, p, fth_value_get(v, "keywords"), "keywords")) < 0 ||
        (error = allow_list(&r->allows, p, fth_value_get(v, "allow-rules"))) < 0 ||
        (error = exclude_block(&r->excludes, p, fth_value_get(v, "exclude-block"))) < 0)
        return error;
    *out = r;
    return 0;
}

int secret_config_parse(struct secret_config *out, struct fth_arena *a, const char *data,
                        size_t len, const char *name, struct fth_error *err)
{
    struct fth_load_opts lo = FTH_LOAD_OPTS_INIT;
    struct parser p = {a, name ? name : "<config>", err};
    struct secret_rule_spec *r;
    const struct fth_value *root = NULL, *rules;
    size_t i;
    int error = 0;

    memset(out, 0, sizeof(*out));
    if (len > FTH_LIMIT_SECRET_CONFIG_SIZE) {
        error = fth_error_set(err, FTH_ELIMIT, "secret config is larger than %zu bytes",
                              FTH_LIMIT_SECRET_CONFIG_SIZE);
        fth_error_locate(err, p.name, 0, 0);
        goto out;
    }
    lo.name = p.name;
    if ((error = fth_value_load_one((struct fth_value **)&root, a, data, len, &lo, err)) < 0)
        goto out;
    if (!root || root->type == FTH_VALUE_NULL)
        goto out;
    if (root->type != FTH_VALUE_MAP) {
        error = fail(&p, root, "expected a mapping at the top, found %s",
                     fth_value_type_name(root->type));
        goto out;
    }
    rules = fth_value_get(root, "rules");
    if (rules && rules->type != FTH_VALUE_NULL) {
        if (rules->type != FTH_VALUE_SEQ) {
            error = fail(&p, rules, "'%s' must be a list of rules", "rules");
            goto out;
        }
        if (rules->u.seq.len > FTH_LIMIT_SECRET_RULES) {
            error = fail(&p, rules, "'%s' has too many entries", "rules");
            goto out;
        }
        for (i = 0; i < rules->u.seq.len; i++) {
            if ((error = parse_rule(&r, &p, rules->u.seq.items[i])) < 0)
                goto out;
            if (fth_vec_push(&out->rules, a, r) < 0) {
                error = FTH_ENOMEM;
                goto out;
            }
        }
    }
    out->has_enable = fth_value_get(root, "enable-builtin-rules") != NULL;
    if ((error = allow_list(&out->allows, &p, fth_value_get(root, "allow-rules"))) < 0 ||
        (error = exclude_block(&out->excludes, &p, fth_value_get(root, "exclude-block"))) < 0 ||
        (error = string_list(&out->enable, &p, fth_value_get(root, "enable-builtin-rules"),
                             "enable-builtin-rules")) < 0 ||
        (error = string_list(&out->disable, &p, fth_value_get(root, "disable-rules"),
                             "disable-rules")) < 0 ||
        (error = string_list(&out->disable_allow, &p, fth_value_get(root, "disable-allow-rules"),
                             "disable-allow-rules")) < 0)
        goto out;
out:
    return error;
}
