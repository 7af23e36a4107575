/* JSON body helpers on jansson. */
#include "http/json.h"
#include "core/status.h"

#include <string.h>

int json_parse_object(const char *text, size_t len, json_t **out, struct problem *p)
{
    *out = NULL;
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        i++;
    if (i == len) {
        *out = json_object();
        return YQ_OK;
    }
    json_error_t e;
    json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
    if (!v)
        return problem_set(p, YQ_EBADREQ, "malformed_json", NULL,
                           "请求体不是有效的 JSON（第 %d 行第 %d 列）：%s", e.line, e.column,
                           e.text);
    if (!json_is_object(v)) {
        json_decref(v);
        return problem_set(p, YQ_EBADREQ, "malformed_json", NULL, "请求体须为 JSON 对象");
    }
    *out = v;
    return YQ_OK;
}

int json_only_fields(json_t *obj, const char *const *allowed, struct problem *p)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        bool ok = false;
        for (int i = 0; allowed[i]; i++)
            if (strcmp(allowed[i], key) == 0) ok = true;
        if (!ok) return problem_set(p, YQ_EINVAL, "unknown_field", key, "未知字段：%s", key);
    }
    return YQ_OK;
}

static json_t *lookup(json_t *obj, const char *field, bool required, int *rc, struct problem *p)
{
    json_t *v = json_object_get(obj, field);
    *rc = YQ_OK;
    if (!v || json_is_null(v)) {
        if (required)
            *rc = problem_set(p, YQ_EINVAL, "missing_field", field, "缺少字段：%s", field);
        return NULL;
    }
    return v;
}

int json_get_string(json_t *obj, const char *field, bool required, const char **out,
                    struct problem *p)
{
    int rc;
    json_t *v = lookup(obj, field, required, &rc, p);
    if (!v) return rc;
    if (!json_is_string(v))
        return problem_set(p, YQ_EINVAL, "wrong_type", field, "字段 %s 须为字符串", field);
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v))
        return problem_set(p, YQ_EINVAL, "invalid_field", field, "字段 %s 含有空字符", field);
    *out = s;
    return YQ_OK;
}

int json_get_bool(json_t *obj, const char *field, bool required, bool *out, struct problem *p)
{
    int rc;
    json_t *v = lookup(obj, field, required, &rc, p);
    if (!v) return rc;
    if (!json_is_boolean(v))
        return problem_set(p, YQ_EINVAL, "wrong_type", field, "字段 %s 须为 true 或 false", field);
    *out = json_is_true(v);
    return YQ_OK;
}

int json_get_int(json_t *obj, const char *field, bool required, int64_t *out,
                 struct problem *p)
{
    int rc;
    json_t *v = lookup(obj, field, required, &rc, p);
    if (!v) return rc;
    if (!json_is_integer(v))
        return problem_set(p, YQ_EINVAL, "wrong_type", field, "字段 %s 须为整数", field);
    *out = json_integer_value(v);
    return YQ_OK;
}
