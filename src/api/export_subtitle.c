/* The line under an export's title (api/export.h): the filters the list
 * applied, in people's words (状态=已发放, 区县=任城区, not the codes), and
 * the moment of export in China time. A query parameter the list does not
 * take (its OpenAPI entry names those it does) filtered nothing, so it is
 * not shown as if it had. */
#include "api/export.h"
#include "core/clock.h"
#include "core/contract_state.h"
#include "core/labels.h"
#include "core/redemption_state.h"
#include "core/roles.h"
#include "core/registration.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/voucher_state.h"
#include "embedded.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CST_MS ((int64_t)CLOCK_CST_OFFSET_MIN * 60 * 1000)

/* The filters people can set on lists, in their words. */
static const struct {
    const char *key, *name;
} filter_names[] = {
    {"q", "关键词"},          {"status", "状态"},
    {"county_code", "区县"},  {"county", "区县"},
    {"year", "年度"},         {"period", "兑现周期"},
    {"pending", "仅待审核"},  {"kind", "类型"},
    {"industry", "行业门类"}, {"tag", "重点产业"},
    {"flag", "优先支持类别"}, {"warnings", "仅有预警"},
    {"category", "大类"},     {"subcategory", "小类"},
    {"provider", "云服务商"}, {"actor", "操作人"},
    {"entity", "对象类型"},   {"entity_id", "对象编号"},
    {"from", "起始日期"},     {"to", "截止日期"},
    {"uscc", "统一社会信用代码"}, {"account", "账户"},
    {"date", "日期"},          {"role", "角色"},
};

/* "route\tname\n" for every query filter of every documented GET, read
 * once from the OpenAPI document compiled in. */
static char *documented;
static pthread_once_t documented_once = PTHREAD_ONCE_INIT;

const char *export_query_param_name(json_t *doc, json_t *param)
{
    const char *ref = json_string_value(json_object_get(param, "$ref"));
    if (ref && strncmp(ref, "#/components/parameters/", 24) == 0)
        param = json_object_get(json_object_get(json_object_get(doc, "components"), "parameters"),
                                ref + 24);
    const char *in = json_string_value(json_object_get(param, "in"));
    return in && strcmp(in, "query") == 0 ? json_string_value(json_object_get(param, "name"))
                                          : NULL;
}

static void read_documented(void)
{
    json_t *doc = json_loadb(yq_data_openapi_json, yq_data_openapi_json_len, 0, NULL);
    size_t cap = 4096, used = 0;
    char *out = malloc(cap);
    if (!out) {
        json_decref(doc);
        return;
    }
    out[0] = '\0';
    const char *route;
    json_t *path;
    json_object_foreach(json_object_get(doc, "paths"), route, path)
    {
        json_t *lists[2] = {json_object_get(json_object_get(path, "get"), "parameters"),
                            json_object_get(path, "parameters")};
        for (int l = 0; l < 2; l++) {
            size_t i;
            json_t *param;
            json_array_foreach(lists[l], i, param)
            {
                const char *name = export_query_param_name(doc, param);
                if (!name) continue;
                size_t need = strlen(route) + strlen(name) + 3;
                if (used + need + 1 > cap) {
                    char *more = realloc(out, cap = (cap + need) * 2);
                    if (!more) continue;
                    out = more;
                }
                used += (size_t)snprintf(out + used, cap - used, "%s\t%s\n", route, name);
            }
        }
    }
    json_decref(doc);
    documented = out;
}

static bool filter_of(const char *route, const char *name)
{
    pthread_once(&documented_once, read_documented);
    if (!documented) return true; /* cannot tell: show what was asked */
    char line[320];
    snprintf(line, sizeof line, "%s\t%s\n", route, name);
    size_t n = strlen(line);
    for (const char *at = documented; (at = strstr(at, line)); at += n)
        if (at == documented || at[-1] == '\n') return true;
    return false;
}

/* A status code as the list names it: from the core's state tables where
 * the list has one, else as the list's first item (filtered by it) shows
 * it, else the code. */
static const char *status_label(const char *route, const char *v, json_t *sample)
{
    if (strcmp(route, "/api/v1/enterprises") == 0 || strcmp(route, "/api/v1/providers") == 0) {
        enum reg_state r = reg_parse(v);
        if (r != REG_NONE) return reg_name_zh(r);
    } else if (strcmp(route, "/api/v1/vouchers") == 0 || strcmp(route, "/api/v1/waitlist") == 0) {
        enum voucher_state s;
        if (voucher_state_parse(v, &s) == YQ_OK) return voucher_state_label_zh(s);
        int w = waitlist_state_parse(v);
        if (w >= 0) return waitlist_state_label((enum waitlist_state)w);
    } else if (strcmp(route, "/api/v1/contracts") == 0) {
        int c = contract_state_parse(v);
        if (c >= 0) return contract_state_label((enum contract_state)c);
    } else if (strcmp(route, "/api/v1/users") == 0) {
        if (strcmp(v, "active") == 0) return "正常";
        if (strcmp(v, "locked") == 0) return "已锁定";
    } else if (strcmp(route, "/api/v1/redemptions") == 0) {
        enum redemption_state s;
        if (redemption_state_parse(v, &s) == YQ_OK) return redemption_state_label_zh(s);
    }
    const char *code = json_string_value(json_object_get(sample, "status"));
    const char *name = json_string_value(json_object_get(sample, "status_name"));
    return code && name && *name && strcmp(code, v) == 0 ? name : v;
}

/* A filter's value in people's words: into buf, or v itself. */
static const char *value_label(const char *route, const char *key, const char *v, json_t *sample,
                               char *buf, size_t n)
{
    if (strcmp(key, "status") == 0) return status_label(route, v, sample);
    if (strcmp(key, "county") == 0 || strcmp(key, "county_code") == 0) {
        const char *code = json_string_value(json_object_get(sample, "county_code"));
        const char *name = json_string_value(json_object_get(sample, "county_name"));
        if (code && name && *name && strcmp(code, v) == 0) {
            snprintf(buf, n, "%s（%s）", name, v);
            return buf;
        }
        return v;
    }
    const char *name = NULL;
    if (strcmp(key, "entity") == 0) name = label_audit_entity(v);
    if (strcmp(key, "role") == 0) name = role_name_zh(role_parse(v));
    if (strcmp(key, "industry") == 0) name = label_industry(v);
    if (strcmp(key, "flag") == 0) name = label_priority_flag(v);
    if (strcmp(key, "kind") == 0 && strstr(route, "providers")) name = label_provider_kind(v);
    if (strcmp(key, "period") == 0) {
        label_period(v, buf, n);
        name = buf;
    }
    if (strcmp(key, "pending") == 0 || strcmp(key, "warnings") == 0)
        name = strcmp(v, "0") == 0 || strcmp(v, "false") == 0 ? "否" : "是";
    return name && *name ? name : v;
}

void export_subtitle(struct request *req, const struct export_spec *s, json_t *sample, char *out,
                     size_t n)
{
    size_t used = (size_t)snprintf(out, n, "筛选条件：");
    bool any = false;
    for (size_t i = 0; i < sizeof filter_names / sizeof filter_names[0] && used < n; i++) {
        const char *v = http_query(req, filter_names[i].key);
        if (!v || !*v || !filter_of(s->route, filter_names[i].key)) continue;
        char buf[160];
        const char *shown = value_label(s->route, filter_names[i].key, v, sample, buf, sizeof buf);
        char cut[96]; /* whole characters: a long keyword stops at one */
        utf8_sanitize(cut, sizeof cut, shown);
        int k = snprintf(out + used, n - used, "%s%s=%s", any ? "；" : "", filter_names[i].name,
                         cut);
        if (k < 0) break;
        used += (size_t)k;
        any = true;
    }
    if (!any && used < n) used += (size_t)snprintf(out + used, n - used, "全部");
    struct export_cell now = {.type = CELL_INSTANT, .cst_ms = clock_now_ms() + CST_MS};
    char when[64];
    export_cell_text(&now, when, sizeof when);
    if (used < n) snprintf(out + used, n - used, "　　导出时间：%s（北京时间）", when);
}
