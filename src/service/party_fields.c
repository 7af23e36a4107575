/* Profile fields of enterprises (SPEC §3) and providers. */
#include "service/party_fields.h"
#include "core/clock.h"
#include "core/registration.h"
#include "core/status.h"
#include "core/uscc.h"
#include "core/validate.h"
#include "store/programs.h"

#include <stdio.h>
#include <string.h>

/* 优先支持: the priority groups of the policy. */
static const char *const priority_flags[] = {"tech", "innovative", "high_growth", "specialized",
                                             "pilot", NULL};
/* 附件1: the three kinds of provider. */
static const char *const provider_kinds[] = {"platform", "industry", "application", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0) return true;
    return false;
}

static int wrong_type(struct problem *p, const char *field, const char *what)
{
    return problem_set(p, YQ_EINVAL, "wrong_type", field, "%s格式不正确", what);
}

static int text_field(json_t *v, const char *field, const char *label, size_t max,
                      json_t *columns, const char *column, struct problem *p)
{
    if (!json_is_string(v)) return wrong_type(p, field, label);
    int rc = validate_text(field, label, json_string_value(v), max, p);
    if (rc != YQ_OK) return rc;
    json_object_set(columns, column, v);
    return YQ_OK;
}

static bool valid_mobile(const char *s)
{
    if (strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9') return false;
    for (int i = 2; i < 11; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static int string_array(json_t *v, const char *field, const char *label,
                        const char *const *allowed, json_t *columns, struct problem *p)
{
    if (!json_is_array(v) || json_array_size(v) > 20) return wrong_type(p, field, label);
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s)
    {
        if (!json_is_string(s) || validate_text(field, label, json_string_value(s), 32, p))
            return wrong_type(p, field, label);
        if (allowed && !in_list(allowed, json_string_value(s)))
            return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s无效：%s", label,
                               json_string_value(s));
    }
    json_object_set(columns, field, v);
    return YQ_OK;
}

static int certificate(json_t *v, json_t *columns, struct problem *p)
{
    if (json_is_null(v)) {
        json_object_set_new(columns, "cert_no", json_null());
        json_object_set_new(columns, "cert_issuer", json_null());
        json_object_set_new(columns, "cert_valid_from", json_null());
        json_object_set_new(columns, "cert_valid_until", json_null());
        return YQ_OK;
    }
    if (!json_is_object(v)) return wrong_type(p, "certificate", "两化融合证书");
    int rc;
    if ((rc = text_field(json_object_get(v, "no"), "certificate.no", "证书编号", 64, columns,
                         "cert_no", p)) ||
        (rc = text_field(json_object_get(v, "issuer"), "certificate.issuer", "发证机构", 64,
                         columns, "cert_issuer", p)))
        return rc;
    int32_t from, until;
    json_t *f = json_object_get(v, "valid_from"), *u = json_object_get(v, "valid_until");
    if (!json_is_string(f) || clock_parse_date(json_string_value(f), &from) != YQ_OK)
        return problem_set(p, YQ_EINVAL, "invalid_field", "certificate.valid_from",
                           "证书有效期起始日须为 YYYY-MM-DD");
    if (!json_is_string(u) || clock_parse_date(json_string_value(u), &until) != YQ_OK)
        return problem_set(p, YQ_EINVAL, "invalid_field", "certificate.valid_until",
                           "证书有效期截止日须为 YYYY-MM-DD");
    if (until < from)
        return problem_set(p, YQ_EINVAL, "invalid_field", "certificate.valid_until",
                           "证书有效期截止日不能早于起始日");
    json_object_set(columns, "cert_valid_from", f);
    json_object_set(columns, "cert_valid_until", u);
    return YQ_OK;
}

static int enterprise_field(const char *key, json_t *v, json_t *columns, struct problem *p)
{
    if (strcmp(key, "name") == 0) return text_field(v, key, "企业名称", 100, columns, key, p);
    if (strcmp(key, "legal_rep") == 0) return text_field(v, key, "法定代表人", 32, columns, key, p);
    if (strcmp(key, "address") == 0) return text_field(v, key, "注册地址", 200, columns, key, p);
    if (strcmp(key, "county_code") == 0) {
        if (!json_is_string(v)) return wrong_type(p, key, "所属区县");
        json_object_set(columns, key, v); /* existence checked by the caller */
        return YQ_OK;
    }
    if (strcmp(key, "phone") == 0) {
        if (!json_is_string(v) || !valid_mobile(json_string_value(v)))
            return problem_set(p, YQ_EINVAL, "invalid_field", key, "请填写 11 位手机号码");
        json_object_set(columns, key, v);
        return YQ_OK;
    }
    if (strcmp(key, "email") == 0) {
        if (!json_is_string(v) || !text_is_email(json_string_value(v)))
            return problem_set(p, YQ_EINVAL, "invalid_field", key, "电子邮箱格式不正确");
        json_object_set(columns, key, v);
        return YQ_OK;
    }
    if (strcmp(key, "independent_legal_person") == 0) {
        if (!json_is_boolean(v)) return wrong_type(p, key, "是否独立法人");
        json_object_set_new(columns, key, json_integer(json_is_true(v)));
        return YQ_OK;
    }
    if (strcmp(key, "industry") == 0) {
        const char *s = json_is_string(v) ? json_string_value(v) : "";
        if (strlen(s) != 1 || s[0] < 'A' || s[0] > 'T')
            return problem_set(p, YQ_EINVAL, "invalid_field", key,
                               "所属行业须为 GB/T 4754 门类代码 A 至 T");
        json_object_set(columns, key, v);
        return YQ_OK;
    }
    if (strcmp(key, "key_industry_tags") == 0)
        return string_array(v, key, "重点产业标签", NULL, columns, p);
    if (strcmp(key, "priority_flags") == 0)
        return string_array(v, key, "优先支持类别", priority_flags, columns, p);
    if (strcmp(key, "employees") == 0) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 10000000)
            return problem_set(p, YQ_EINVAL, "invalid_field", key, "员工人数须为非负整数");
        json_object_set(columns, key, v);
        return YQ_OK;
    }
    if (strcmp(key, "certificate") == 0) return certificate(v, columns, p);
    return problem_set(p, YQ_EINVAL, "unknown_field", key, "未知字段：%s", key);
}

static int provider_field(const char *key, json_t *v, json_t *columns, struct problem *p)
{
    if (strcmp(key, "name") == 0) return text_field(v, key, "服务商名称", 100, columns, key, p);
    if (strcmp(key, "kind") == 0) {
        if (!json_is_string(v) || !in_list(provider_kinds, json_string_value(v)))
            return problem_set(p, YQ_EINVAL, "invalid_field", key,
                               "服务商类型须为 platform（综合云平台服务商）、industry（行业云平台服务商）"
                               "或 application（云应用服务商）");
        json_object_set(columns, key, v);
        return YQ_OK;
    }
    if (strcmp(key, "qualifications") == 0)
        return text_field(v, key, "资质说明", 1000, columns, key, p);
    if (strcmp(key, "contact_name") == 0) return text_field(v, key, "联系人", 32, columns, key, p);
    if (strcmp(key, "address") == 0) return text_field(v, key, "地址", 200, columns, key, p);
    if (strcmp(key, "bank_name") == 0) return text_field(v, key, "开户银行", 64, columns, key, p);
    if (strcmp(key, "bank_account") == 0) {
        const char *s = json_is_string(v) ? json_string_value(v) : "";
        size_t n = strlen(s);
        bool digits = n >= 8 && n <= 32;
        for (size_t i = 0; i < n; i++)
            if (s[i] < '0' || s[i] > '9') digits = false;
        if (!digits)
            return problem_set(p, YQ_EINVAL, "invalid_field", key, "银行账号须为 8 至 32 位数字");
        json_object_set(columns, key, v);
        return YQ_OK;
    }
    if (strcmp(key, "phone") == 0 || strcmp(key, "email") == 0)
        return enterprise_field(key, v, columns, p);
    return problem_set(p, YQ_EINVAL, "unknown_field", key, "未知字段：%s", key);
}

int party_fields_check(enum party_kind kind, json_t *changes, json_t *columns,
                       struct problem *p)
{
    const char *key;
    json_t *v;
    json_object_foreach(changes, key, v)
    {
        if (strcmp(key, "uscc") == 0) {
            char code[USCC_LEN + 1];
            if (!json_is_string(v)) return wrong_type(p, key, "统一社会信用代码");
            int rc = uscc_validate(key, json_string_value(v), code, p);
            if (rc != YQ_OK) return rc;
            json_object_set_new(columns, "uscc", json_string(code));
            continue;
        }
        if (json_is_null(v) && strcmp(key, "certificate") != 0)
            return problem_set(p, YQ_EINVAL, "missing_field", key, "字段 %s 不能为空", key);
        int rc = kind == PARTY_ENTERPRISE ? enterprise_field(key, v, columns, p)
                                          : provider_field(key, v, columns, p);
        if (rc != YQ_OK) return rc;
    }
    return YQ_OK;
}

static bool filled(json_t *record, const char *column)
{
    json_t *v = json_object_get(record, column);
    return v && !json_is_null(v) && !(json_is_string(v) && !json_string_value(v)[0]);
}

int party_fields_complete(enum party_kind kind, json_t *record, struct problem *p)
{
    static const struct {
        const char *column, *label;
    } enterprise_required[] = {{"name", "企业名称"},  {"legal_rep", "法定代表人"},
                               {"address", "注册地址"}, {"phone", "手机号码"},
                               {"email", "电子邮箱"},   {"independent_legal_person", "是否独立法人"},
                               {"industry", "所属行业"}, {"employees", "员工人数"}},
      provider_required[] = {{"name", "服务商名称"}, {"kind", "服务商类型"},
                             {"qualifications", "资质说明"}, {"contact_name", "联系人"},
                             {"phone", "手机号码"}, {"email", "电子邮箱"},
                             {"bank_name", "开户银行"}, {"bank_account", "银行账号"}};
    const bool ent = kind == PARTY_ENTERPRISE;
    size_t n = ent ? sizeof enterprise_required / sizeof enterprise_required[0]
                   : sizeof provider_required / sizeof provider_required[0];
    for (size_t i = 0; i < n; i++) {
        const char *column = ent ? enterprise_required[i].column : provider_required[i].column;
        const char *label = ent ? enterprise_required[i].label : provider_required[i].label;
        if (!filled(record, column))
            return problem_set(p, YQ_EINVAL, "incomplete", column, "提交前请填写%s", label);
    }
    if (kind == PARTY_ENTERPRISE &&
        json_integer_value(json_object_get(record, "independent_legal_person")) != 1)
        return problem_set(p, YQ_EINVAL, "not_independent_legal_person",
                           "independent_legal_person", "申领企业须具有独立法人资格");
    return YQ_OK;
}

static json_t *array_of(json_t *record, const char *column)
{
    const char *s = json_string_value(json_object_get(record, column));
    json_t *v = s ? json_loads(s, 0, NULL) : NULL;
    return json_is_array(v) ? v : (json_decref(v), json_array());
}

static json_t *copy_or_null(json_t *record, const char *column)
{
    json_t *v = json_object_get(record, column);
    return v ? json_incref(v) : json_null();
}

static json_t *instant_or_null(json_t *record, const char *column)
{
    json_t *v = json_object_get(record, column);
    if (!json_is_integer(v)) return json_null();
    char at[32];
    clock_format_iso(json_integer_value(v), at);
    return json_string(at);
}

json_t *party_fields_render(enum party_kind kind, json_t *r)
{
    static const char *const common[] = {"id", "uscc", "name", "phone", "email", "address",
                                         "reject_reason", "reviewed_by", NULL};
    json_t *o = json_object();
    for (int i = 0; common[i]; i++) json_object_set_new(o, common[i], copy_or_null(r, common[i]));
    const char *status = json_string_value(json_object_get(r, "status"));
    json_object_set_new(o, "status", json_string(status ? status : ""));
    json_object_set_new(o, "status_name", json_string(reg_name_zh(reg_parse(status))));
    json_object_set_new(o, "submitted_at", instant_or_null(r, "submitted_at"));
    json_object_set_new(o, "reviewed_at", instant_or_null(r, "reviewed_at"));
    json_object_set_new(o, "created_at", instant_or_null(r, "created_at"));
    json_object_set_new(o, "updated_at", instant_or_null(r, "updated_at"));
    if (kind == PARTY_ENTERPRISE) {
        static const char *const fields[] = {"county_code", "county_name", "legal_rep",
                                             "industry", "employees", NULL};
        for (int i = 0; fields[i]; i++)
            json_object_set_new(o, fields[i], copy_or_null(r, fields[i]));
        json_t *ilp = json_object_get(r, "independent_legal_person");
        json_object_set_new(o, "independent_legal_person",
                            json_is_integer(ilp) ? json_boolean(json_integer_value(ilp))
                                                 : json_null());
        json_object_set_new(o, "key_industry_tags", array_of(r, "key_industry_tags"));
        json_object_set_new(o, "priority_flags", array_of(r, "priority_flags"));
        if (filled(r, "cert_no"))
            json_object_set_new(
                o, "certificate",
                json_pack("{s:O, s:O, s:O, s:O}", "no", json_object_get(r, "cert_no"), "issuer",
                          json_object_get(r, "cert_issuer"), "valid_from",
                          json_object_get(r, "cert_valid_from"), "valid_until",
                          json_object_get(r, "cert_valid_until")));
        else
            json_object_set_new(o, "certificate", json_null());
    } else {
        static const char *const fields[] = {"kind", "qualifications", "contact_name",
                                             "bank_name", "bank_account", NULL};
        for (int i = 0; fields[i]; i++)
            json_object_set_new(o, fields[i], copy_or_null(r, fields[i]));
    }
    return o;
}

json_t *party_fields_public_provider(json_t *r)
{
    json_t *o = json_object();
    static const char *const fields[] = {"id", "uscc", "name", "kind", "qualifications", NULL};
    for (int i = 0; fields[i]; i++) json_object_set_new(o, fields[i], copy_or_null(r, fields[i]));
    return o;
}

/* Key-industry tags must come from a program's list (the city's "10 大重点
 * 产业" and "9+6" lists are program configuration). */
int party_fields_check_tags(struct db *db, json_t *tags, struct problem *p)
{
    json_t *programs = program_current_params(db);
    if (!programs) return problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
    size_t i, j, k;
    json_t *tag, *prog, *allowed;
    int rc = YQ_OK;
    json_array_foreach(tags, i, tag)
    {
        bool found = false;
        json_array_foreach(programs, j, prog)
        {
            json_t *params = json_loads(json_string_value(json_object_get(prog, "params_json")), 0, NULL);
            json_array_foreach(json_object_get(params, "key_industry_tags"), k, allowed)
                if (json_equal(allowed, tag)) found = true;
            json_decref(params);
        }
        if (!found) {
            rc = problem_set(p, YQ_EINVAL, "invalid_field", "key_industry_tags",
                             "重点产业标签不在政策方案的产业目录中：%s", json_string_value(tag));
            break;
        }
    }
    json_decref(programs);
    return rc;
}

