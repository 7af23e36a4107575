/* JSON body helpers on jansson. */
#include "http/json.h"
#include "core/status.h"

#include <stdio.h>
#include <string.h>

/* The path ("lines[2].unit_price_fen") of the value at byte pos of text,
 * which jansson read that far without a syntax error: walks the containers
 * and keys before pos. Keys are kept as written (escapes undecoded); past
 * PATH_DEPTH levels only the outer ones are named. */
#define PATH_DEPTH 16
static void path_at(const char *text, size_t len, size_t pos, char *out, size_t outlen)
{
    struct {
        bool array;
        size_t index;
        char key[64];
    } st[PATH_DEPTH];
    int depth = 0; /* containers open; only the first PATH_DEPTH are kept */
    bool want_key = false;
    if (pos > len) pos = len;
    for (size_t i = 0; i < pos; i++) {
        char c = text[i];
        if (c == '"') {
            size_t start = ++i;
            while (i < len && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
            if (i > len) i = len; /* a backslash ended the text (not JSON: any error) */
            if (want_key && depth > 0 && depth <= PATH_DEPTH) {
                size_t n = i - start < sizeof st[0].key ? i - start : sizeof st[0].key - 1;
                memcpy(st[depth - 1].key, text + start, n);
                st[depth - 1].key[n] = '\0';
            }
            want_key = false;
        } else if (c == '{' || c == '[') {
            if (depth < PATH_DEPTH) {
                st[depth].array = c == '[';
                st[depth].index = 0;
                st[depth].key[0] = '\0';
            }
            depth++;
            want_key = c == '{';
        } else if (c == '}' || c == ']') {
            if (depth > 0) depth--;
        } else if (c == ',' && depth > 0) {
            if (depth <= PATH_DEPTH && st[depth - 1].array)
                st[depth - 1].index++;
            else
                want_key = true;
        }
    }
    size_t j = 0;
    out[0] = '\0';
    for (int d = 0; d < depth && d < PATH_DEPTH && j < outlen; d++) {
        int n = st[d].array ? snprintf(out + j, outlen - j, "[%zu]", st[d].index)
                            : snprintf(out + j, outlen - j, "%s%s", j ? "." : "", st[d].key);
        if (n < 0) break;
        j += (size_t)n;
    }
}

/* Why text is not JSON we take, in Chinese, naming the field where one
 * can be told (jansson's own words are English). */
static int malformed(const char *text, size_t len, const json_error_t *e, struct problem *p)
{
    enum json_error_code code = json_error_code(e);
    switch (code) {
    case json_error_numeric_overflow: /* valid JSON, but beyond 64-bit integers */
    case json_error_duplicate_key:
    case json_error_null_character:
    case json_error_null_byte_in_key:
    case json_error_invalid_utf8:
    case json_error_stack_overflow: break;
    default:
        return problem_set(p, YQ_EBADREQ, "malformed_json", NULL,
                           "请求体不是有效的 JSON（第 %d 行第 %d 列）", e->line, e->column);
    }
    /* A fault of one value: say which field, so that the form can show it. */
    char field[256];
    path_at(text, len, (size_t)e->position, field, sizeof field);
    const char *f = field[0] ? field : NULL, *named = f ? f : "(请求体)";
    switch (code) {
    case json_error_numeric_overflow:
        return problem_set(p, YQ_EBADREQ, "malformed_json", f,
                           "字段 %s 的数值超出范围（整数须在 -9223372036854775808 至 "
                           "9223372036854775807 之间）",
                           named);
    case json_error_duplicate_key:
        return problem_set(p, YQ_EBADREQ, "malformed_json", f, "字段 %s 重复出现，只能出现一次",
                           named);
    case json_error_invalid_utf8:
        return problem_set(p, YQ_EBADREQ, "malformed_json", f,
                           "请求体须为 UTF-8 文本（第 %d 行第 %d 列附近有无效字节）", e->line,
                           e->column);
    case json_error_stack_overflow:
        return problem_set(p, YQ_EBADREQ, "malformed_json", f, "请求体嵌套层数过多（至多 %d 层）",
                           JSON_PARSER_MAX_DEPTH);
    default: /* a NUL character */
        return problem_set(p, YQ_EBADREQ, "malformed_json", f,
                           "字段 %s 含有空字符（\\u0000），不允许", named);
    }
}

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
    if (!v) return malformed(text, len, &e, p);
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
