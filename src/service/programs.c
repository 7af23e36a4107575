/* Programs and versioned parameters. Parameters are stored as JSON (one
 * row per version) and always checked through program_params_parse, so
 * what is stored is what core/policy accepts. */
#include "service/programs.h"
#include "core/clock.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/programs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const param_keys[] = {
    "ratio_bp",       "taper_bp_per_year",       "year_ratios",         "cap_fen",
    "cert_bonus_bp",  "vouchers_per_enterprise", "notice_working_days", "redemption_period",
    "partial_last",   "eligible_industries",     "key_industry_tags",   "window_starts_on",
    "window_ends_on", "redemption_window_days",  "evaluation_criteria", NULL,
};

static int bad(struct problem *p, const char *field, const char *msg)
{
    return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s", msg);
}

static int get_int(json_t *o, const char *key, int64_t min, int64_t max, int64_t *out,
                   const char *what, struct problem *p)
{
    json_t *v = json_object_get(o, key);
    if (!v) return problem_set(p, YQ_EINVAL, "missing_field", key, "缺少参数：%s", what);
    if (!json_is_integer(v))
        return problem_set(p, YQ_EINVAL, "wrong_type", key, "%s须为整数", what);
    int64_t n = json_integer_value(v);
    /* Ratios travel in basis points but people read percent (never 基点). */
    bool percent = strstr(key, "_bp") != NULL;
    if (percent && (n < min || n > max))
        return problem_set(p, YQ_EINVAL, "invalid_field", key, "%s须在 %lld%% 至 %lld%% 之间", what,
                           (long long)min / 100, (long long)max / 100);
    if (n < min || n > max)
        return problem_set(p, YQ_EINVAL, "invalid_field", key, "%s须在 %lld 至 %lld 之间", what,
                           (long long)min, (long long)max);
    *out = n;
    return YQ_OK;
}

static int get_date(json_t *o, const char *key, int32_t *day, const char *what, struct problem *p)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v) || clock_parse_date(json_string_value(v), day) != YQ_OK)
        return problem_set(p, YQ_EINVAL, "invalid_field", key, "%s须为日期 YYYY-MM-DD", what);
    return YQ_OK;
}

static int check_string_array(json_t *o, const char *key, size_t max_items, size_t max_chars,
                              const char *what, struct problem *p)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_array(v))
        return problem_set(p, YQ_EINVAL, "wrong_type", key, "%s须为字符串数组", what);
    if (json_array_size(v) > max_items)
        return problem_set(p, YQ_EINVAL, "invalid_field", key, "%s最多 %zu 项", what, max_items);
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s)
    {
        if (!json_is_string(s) ||
            validate_text(key, what, json_string_value(s), max_chars, p) != YQ_OK)
            return problem_set(p, YQ_EINVAL, "invalid_field", key, "%s第 %zu 项无效", what, i + 1);
    }
    return YQ_OK;
}

/* 第三方评价 criteria when a stored version predates them. */
static const struct {
    const char *name;
    int weight;
} default_criteria[] = {{"服务交付与合同相符", 30},
                        {"服务质量与稳定性", 30},
                        {"企业满意度", 20},
                        {"票据与证明材料", 20}};

static int parse_redemption(json_t *o, struct program_params *out, struct problem *p)
{
    json_t *days = json_object_get(o, "redemption_window_days");
    int64_t n = 30;
    int rc;
    if (days && (rc = get_int(o, "redemption_window_days", 1, 366, &n, "兑现申请期（天）", p)))
        return rc;
    out->redemption_window_days = (int)n;
    json_t *list = json_object_get(o, "evaluation_criteria");
    if (!list) {
        out->ncriteria = (int)(sizeof default_criteria / sizeof default_criteria[0]);
        for (int i = 0; i < out->ncriteria; i++) {
            snprintf(out->criteria[i].name, sizeof out->criteria[i].name, "%s",
                     default_criteria[i].name);
            out->criteria[i].weight = default_criteria[i].weight;
        }
        return YQ_OK;
    }
    if (!json_is_array(list) || json_array_size(list) == 0 ||
        json_array_size(list) > PROGRAM_MAX_CRITERIA)
        return bad(p, "evaluation_criteria", "评价指标须为 1 至 12 项的数组");
    size_t i;
    json_t *c;
    int sum = 0;
    json_array_foreach(list, i, c)
    {
        json_t *name = json_object_get(c, "name"), *weight = json_object_get(c, "weight");
        if (!json_is_string(name) ||
            validate_text("evaluation_criteria", "评价指标名称", json_string_value(name), 30, p) ||
            !json_is_integer(weight) || json_integer_value(weight) < 1 ||
            json_integer_value(weight) > 100)
            return problem_set(p, YQ_EINVAL, "invalid_field", "evaluation_criteria",
                               "第 %zu 项评价指标须有名称和 1 至 100 的权重", i + 1);
        snprintf(out->criteria[i].name, sizeof out->criteria[i].name, "%s",
                 json_string_value(name));
        /* Scores are given by name: two criteria of one name cannot both be scored. */
        for (size_t j = 0; j < i; j++)
            if (strcmp(out->criteria[j].name, out->criteria[i].name) == 0)
                return problem_set(p, YQ_EINVAL, "invalid_field", "evaluation_criteria",
                                   "第 %zu 项评价指标「%s」与第 %zu 项重名", i + 1,
                                   out->criteria[i].name, j + 1);
        out->criteria[i].weight = (int)json_integer_value(weight);
        sum += out->criteria[i].weight;
    }
    if (sum != 100) return bad(p, "evaluation_criteria", "评价指标权重合计须为 100");
    out->ncriteria = (int)json_array_size(list);
    return YQ_OK;
}

int program_params_parse(json_t *o, struct program_params *out, struct problem *p)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(o)) return bad(p, "parameters", "参数须为对象");
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        bool known = false;
        for (int i = 0; param_keys[i]; i++)
            if (strcmp(param_keys[i], key) == 0) known = true;
        if (!known) return problem_set(p, YQ_EINVAL, "unknown_field", key, "未知参数：%s", key);
    }
    int64_t n;
    int rc;
    struct policy *pol = &out->policy;
    if ((rc = get_int(o, "ratio_bp", 0, 10000, &n, "补贴比例", p))) return rc;
    pol->base_ratio_bp = (int32_t)n;
    if ((rc = get_int(o, "taper_bp_per_year", 0, 10000, &n, "每年递减", p))) return rc;
    pol->taper_bp_per_year = (int32_t)n;
    if ((rc = get_int(o, "cap_fen", 0, 100000000000LL, &n, "补助上限（分）", p))) return rc;
    pol->cap_fen = n;
    if ((rc = get_int(o, "cert_bonus_bp", 0, 10000, &n, "认证上限加成", p))) return rc;
    pol->cert_bonus_bp = (int32_t)n;
    if ((rc = get_int(o, "vouchers_per_enterprise", 1, 10, &n, "每家企业券数", p))) return rc;
    out->vouchers_per_enterprise = (int)n;
    if ((rc = get_int(o, "notice_working_days", 5, 30, &n, "公示工作日数", p))) return rc;
    out->notice_working_days = (int)n;
    if ((rc = parse_redemption(o, out, p))) return rc;
    json_t *period = json_object_get(o, "redemption_period");
    if (!json_is_string(period) || strcmp(json_string_value(period), "half_year") != 0)
        return bad(p, "redemption_period", "兑现周期目前只支持 half_year（每半年）");
    json_t *partial = json_object_get(o, "partial_last");
    if (!json_is_boolean(partial)) return bad(p, "partial_last", "partial_last 须为 true 或 false");
    out->partial_last = json_is_true(partial);
    if ((rc = check_string_array(o, "eligible_industries", 20, 1, "适用行业门类", p))) return rc;
    size_t i;
    json_array_foreach(json_object_get(o, "eligible_industries"), i, v)
    {
        const char *s = json_string_value(v);
        if (s[0] < 'A' || s[0] > 'T' || s[1])
            return bad(p, "eligible_industries", "适用行业须为 GB/T 4754 门类代码 A 至 T");
        if (!strchr(out->eligible_industries, s[0])) {
            size_t len = strlen(out->eligible_industries);
            out->eligible_industries[len] = s[0];
            out->eligible_industries[len + 1] = '\0';
        }
    }
    if ((rc = check_string_array(o, "key_industry_tags", PROGRAM_MAX_TAGS, 32, "重点产业标签", p)))
        return rc;
    if ((rc = get_date(o, "window_starts_on", &out->window_start_day, "开始日期", p))) return rc;
    if ((rc = get_date(o, "window_ends_on", &out->window_end_day, "结束日期", p))) return rc;
    if (out->window_end_day < out->window_start_day)
        return bad(p, "window_ends_on", "结束日期不能早于开始日期");
    int y;
    unsigned m, d;
    clock_civil_from_days(out->window_start_day, &y, &m, &d);
    pol->first_year = y;
    clock_civil_from_days(out->window_end_day, &y, &m, &d);
    pol->last_year = y;
    json_t *table = json_object_get(o, "year_ratios");
    if (!json_is_array(table)) return bad(p, "year_ratios", "year_ratios 须为数组");
    if (json_array_size(table) > POLICY_MAX_YEARS) return bad(p, "year_ratios", "年度比例表过长");
    json_array_foreach(table, i, v)
    {
        json_t *yr = json_object_get(v, "year"), *r = json_object_get(v, "ratio_bp");
        if (!json_is_integer(yr) || !json_is_integer(r))
            return bad(p, "year_ratios", "年度比例表每项须为 {year, ratio_bp} 整数");
        pol->year_ratios[i].year = (int)json_integer_value(yr);
        pol->year_ratios[i].ratio_bp = (int32_t)json_integer_value(r);
        if (json_integer_value(r) < 0 || json_integer_value(r) > 10000)
            return bad(p, "year_ratios", "年度比例须在 0% 至 100% 之间");
    }
    pol->n_year_ratios = (int)json_array_size(table);
    char msg[128];
    /* Each field was checked above; what is left for policy_check to find
     * is in the table (a year given twice). */
    if (policy_check(pol, msg, sizeof msg) != YQ_OK) return bad(p, "year_ratios", msg);
    for (int k = 0; k < pol->n_year_ratios; k++) {
        int yr = pol->year_ratios[k].year;
        if (yr < pol->first_year || yr > pol->last_year)
            return bad(p, "year_ratios", "年度比例表中的年份须在方案起止年份之内");
    }
    return YQ_OK;
}

static int not_found(struct problem *p)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "政策方案不存在");
}

/* The last parameters this thread parsed, by their stored text: every
 * confirmation needs them, and parsing the JSON each time was a twentieth
 * of the writer's time in a rush. Keyed by the text itself, so a changed
 * version or another database can never be served stale. */
#define PARAMS_CACHE_TEXT 16384

static _Thread_local struct {
    char text[PARAMS_CACHE_TEXT]; /* "" when empty; longer texts are not kept */
    struct program_params params;
} params_cache;

/* The parameters from their stored text (the read's rc; text is freed). */
static int params_of_text(int rc, char *text, struct program_params *out, struct problem *p)
{
    if (rc == YQ_ENOTFOUND) return not_found(p);
    if (rc != YQ_OK) return problem_db_error(p);
    if (params_cache.text[0] && strcmp(params_cache.text, text) == 0) {
        free(text);
        *out = params_cache.params;
        return YQ_OK;
    }
    json_t *params = json_loads(text, 0, NULL);
    if (!params) {
        free(text);
        return problem_db_error(p);
    }
    rc = program_params_parse(params, out, p);
    json_decref(params);
    params_cache.text[0] = '\0';
    if (rc == YQ_OK && strlen(text) < sizeof params_cache.text) {
        memcpy(params_cache.text, text, strlen(text) + 1);
        params_cache.params = *out;
    }
    free(text);
    return rc;
}

int programs_load_params(struct db *db, const char *id, struct program_params *out, int *version,
                         struct problem *p)
{
    char *text = NULL;
    int rc = program_current_params_text(db, id, version, &text);
    return params_of_text(rc, text, out, p);
}

int programs_params_take(struct db_stmt *st, struct program_params *out, int *version,
                         struct problem *p)
{
    char *text = NULL;
    int rc = program_current_params_take(st, version, &text);
    return params_of_text(rc, text, out, p);
}


static int insert_version(struct db *db, const struct actor *a, const char *id, int version,
                          json_t *params, const char *reason)
{
    return program_version_insert(db, id, version, params, reason, a->user.username,
                                  clock_now_ms());
}

int programs_create_from_json(struct db *db, const struct actor *a, const char *json_text,
                              int starts_in_year, struct problem *p)
{
    json_error_t e;
    json_t *doc = json_loads(json_text, 0, &e);
    if (!doc) return problem_set(p, YQ_EINVAL, "bad_data", NULL, "方案数据无法解析：%s", e.text);
    const char *id = NULL, *name = NULL, *doc_no = NULL, *city_code = NULL, *city_name = NULL,
               *reason = NULL;
    json_t *params = NULL;
    int rc = YQ_OK;
    if (json_unpack(doc, "{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", &id, "name", &name, "doc_no",
                    &doc_no, "city_code", &city_code, "city_name", &city_name, "reason", &reason,
                    "parameters", &params) != 0) {
        json_decref(doc);
        return problem_set(p, YQ_EINVAL, "bad_data", NULL, "方案数据缺少字段");
    }
    params = json_deep_copy(params);
    char demo_id[64], demo_name[256], start[32], end[32];
    if (starts_in_year > 0) {
        /* Same rules, shifted so that the first year is this year. */
        int32_t s0, e0;
        clock_parse_date(json_string_value(json_object_get(params, "window_starts_on")), &s0);
        clock_parse_date(json_string_value(json_object_get(params, "window_ends_on")), &e0);
        int y0, y1;
        unsigned m, d;
        clock_civil_from_days(s0, &y0, &m, &d);
        clock_civil_from_days(e0, &y1, &m, &d);
        snprintf(start, sizeof start, "%04d-01-01", starts_in_year);
        snprintf(end, sizeof end, "%04d-12-31", starts_in_year + (y1 - y0));
        json_object_set_new(params, "window_starts_on", json_string(start));
        json_object_set_new(params, "window_ends_on", json_string(end));
        snprintf(demo_id, sizeof demo_id, "demo-%d", starts_in_year);
        snprintf(demo_name, sizeof demo_name, "演示方案（%d—%d年，规则同%s）", starts_in_year,
                 starts_in_year + (y1 - y0), doc_no);
        id = demo_id;
        name = demo_name;
        doc_no = "演示";
    }
    struct program_params parsed;
    if ((rc = program_params_parse(params, &parsed, p)) != YQ_OK) goto out;
    if ((rc = db_begin(db, true)) != YQ_OK) {
        rc = problem_db_error(p);
        goto out;
    }
    json_t *existing = NULL;
    int version;
    rc = program_row(db, id, &existing, &version);
    json_decref(existing);
    if (rc == YQ_OK) { /* already there: nothing to do */
        db_rollback(db);
        goto out;
    }
    if (rc != YQ_ENOTFOUND) goto fail;
    rc = program_insert(db, id, name, doc_no, city_code, city_name, clock_now_ms());
    if (rc != YQ_OK || (rc = insert_version(db, a, id, 1, params, reason)) != YQ_OK) goto fail;
    struct audit_actor who = actor_audit(a);
    json_t *after =
        json_pack("{s:s, s:s, s:O}", "name", name, "doc_no", doc_no, "parameters", params);
    rc = audit_append(db, &who, "program", id, "create", NULL, after);
    json_decref(after);
    if (rc != YQ_OK) goto fail;
    if ((rc = db_commit(db)) != YQ_OK) rc = problem_db_error(p);
    goto out;
fail:
    db_rollback(db);
    rc = problem_db_error(p);
out:
    json_decref(params);
    json_decref(doc);
    return rc;
}

json_t *programs_list(struct db *db, struct problem *p)
{
    json_t *ids = program_ids(db);
    if (!ids) {
        problem_db_error(p);
        return NULL;
    }
    json_t *items = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(ids, i, row)
    {
        const char *id = json_string_value(json_object_get(row, "id"));
        json_t *program = NULL;
        int version;
        if (program_row(db, id, &program, &version) != YQ_OK) continue;
        json_t *params = program_params_at(db, id, version);
        json_object_set_new(program, "parameters", params ? params : json_null());
        json_array_append_new(items, program);
    }
    json_decref(ids);
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
}

json_t *programs_get(struct db *db, const char *id, struct problem *p)
{
    json_t *program = NULL;
    int version;
    int rc = program_row(db, id, &program, &version);
    if (rc == YQ_ENOTFOUND) {
        not_found(p);
        return NULL;
    }
    if (rc != YQ_OK) {
        problem_db_error(p);
        return NULL;
    }
    json_t *versions = program_history(db, id);
    if (!versions) {
        json_decref(program);
        problem_db_error(p);
        return NULL;
    }
    json_t *history = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(versions, i, v)
    {
        char at[32];
        clock_format_iso(json_integer_value(json_object_get(v, "changed_at")), at);
        json_t *params = json_loads(json_string_value(json_object_get(v, "params_json")), 0, NULL);
        int n = (int)json_integer_value(json_object_get(v, "version"));
        if (n == version) json_object_set(program, "parameters", params);
        json_array_append_new(history,
                              json_pack("{s:i, s:o, s:O, s:O, s:s}", "version", n, "parameters",
                                        params ? params : json_null(), "reason",
                                        json_object_get(v, "reason"), "changed_by",
                                        json_object_get(v, "changed_by"), "changed_at", at));
    }
    json_decref(versions);
    json_object_set_new(program, "history", history);
    return program;
}

struct parameter_change {
    const struct actor *actor;
    const char *id, *reason;
    json_t *changes;
};

/* A new version of the parameters, decided on the version in force inside
 * the writing transaction. */
static int update_run(struct db *db, void *ctx, struct problem *p)
{
    struct parameter_change *x = ctx;
    json_t *program = NULL, *before = NULL, *after = NULL;
    int version;
    int rc = program_row(db, x->id, &program, &version);
    if (rc == YQ_ENOTFOUND) {
        rc = not_found(p);
        goto out;
    }
    if (rc != YQ_OK) goto out;
    if (!(before = program_params_at(db, x->id, version))) {
        rc = YQ_ERR;
        goto out;
    }
    after = json_deep_copy(before);
    json_object_update(after, x->changes);
    struct program_params parsed;
    if ((rc = program_params_parse(after, &parsed, p)) != YQ_OK) goto out;
    if (json_equal(before, after)) {
        rc = bad(p, "parameters", "参数没有变化");
        goto out;
    }
    if ((rc = insert_version(db, x->actor, x->id, version + 1, after, x->reason)) != YQ_OK ||
        (rc = program_set_current(db, x->id, version + 1)) != YQ_OK)
        goto out;
    struct audit_actor who = actor_audit(x->actor);
    json_t *audit_before = json_pack("{s:i, s:O}", "version", version, "parameters", before);
    json_t *audit_after = json_pack("{s:i, s:O, s:s}", "version", version + 1, "parameters", after,
                                    "reason", x->reason);
    rc = audit_append(db, &who, "program", x->id, "update_parameters", audit_before, audit_after);
    json_decref(audit_before);
    json_decref(audit_after);
out:
    json_decref(program);
    json_decref(before);
    json_decref(after);
    return rc;
}

json_t *programs_update_parameters(struct db *db, const struct actor *a, const char *id,
                                   json_t *changes, const char *reason, struct problem *p)
{
    if (validate_text("reason", "修改原因", reason, 500, p) != YQ_OK) return NULL;
    if (!json_is_object(changes) || json_object_size(changes) == 0) {
        bad(p, "parameters", "请至少修改一项参数");
        return NULL;
    }
    struct parameter_change x = {a, id, reason, changes};
    if (service_tx(db, update_run, &x, p) != YQ_OK) return NULL;
    return programs_get(db, id, p);
}

json_t *programs_ratio(struct db *db, const char *id, const char *date, struct problem *p)
{
    int32_t day;
    char today[16];
    if (date && strcmp(date, "today") == 0) {
        day = clock_cst_day(clock_now_ms());
        clock_format_date(day, today);
        date = today;
    } else if (!date || clock_parse_date(date, &day) != YQ_OK) {
        problem_set(p, YQ_EINVAL, "invalid_field", "date", "date 须为日期 YYYY-MM-DD 或 today");
        return NULL;
    }
    struct program_params params;
    int version;
    if (programs_load_params(db, id, &params, &version, p) != YQ_OK) return NULL;
    if (day < params.window_start_day || day > params.window_end_day) {
        problem_set(p, YQ_EINVAL, "outside_program", "date", "%s 不在该方案的执行期内", date);
        return NULL;
    }
    int y;
    unsigned m, d;
    clock_civil_from_days(day, &y, &m, &d);
    int32_t ratio;
    char source[160];
    if (policy_ratio_bp(&params.policy, y, &ratio, source) != YQ_OK) {
        problem_set(p, YQ_EINVAL, "no_ratio", "date", "该方案未规定 %d 年的补贴比例", y);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:i, s:i, s:s, s:i}", "program_id", id, "date", date, "year", y,
                     "ratio_bp", ratio, "source", source, "version", version);
}

int programs_current(struct db *db, const char *requested, char out[64], struct problem *p)
{
    json_t *rows = program_current_params(db);
    if (!rows) return problem_db_error(p);
    char today[16];
    clock_today(today);
    out[0] = '\0';
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *id = json_string_value(json_object_get(r, "id"));
        if (requested) {
            if (strcmp(id, requested) == 0) snprintf(out, 64, "%s", id);
            continue;
        }
        json_t *params = json_loads(json_string_value(json_object_get(r, "params_json")), 0, NULL);
        const char *from = json_string_value(json_object_get(params, "window_starts_on"));
        const char *until = json_string_value(json_object_get(params, "window_ends_on"));
        if (!out[0] && from && until && strcmp(from, today) <= 0 && strcmp(until, today) >= 0)
            snprintf(out, 64, "%s", id);
        json_decref(params);
    }
    json_decref(rows);
    if (out[0]) return YQ_OK;
    return requested ? problem_set(p, YQ_EINVAL, "invalid_field", "program_id", "政策方案不存在")
                     : problem_set(p, YQ_EINVAL, "missing_field", "program_id",
                                   "当前没有执行中的政策方案，请指定 program_id");
}
