/* Input field rules. */
#include "core/validate.h"
#include "core/status.h"

#include <string.h>

static int invalid(struct problem *p, const char *field, const char *msg)
{
    return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s", msg);
}

int validate_username(const char *field, const char *s, struct problem *p)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 3 || n > 32) return invalid(p, field, "用户名须为 3 至 32 个字符");
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-'))
            return invalid(p, field, "用户名只能包含小写字母、数字和 _ . -");
    }
    return YQ_OK;
}

int validate_password(const char *field, const char *s, struct problem *p)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 10) return invalid(p, field, "密码至少 10 个字符");
    if (n > 128) return invalid(p, field, "密码不能超过 128 个字符");
    size_t same = 0;
    while (same < n && s[same] == s[0]) same++;
    if (same == n) return invalid(p, field, "密码不能由同一个字符组成");
    return YQ_OK;
}

long utf8_length(const char *s)
{
    long count = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int extra;
        if (*u < 0x80) extra = 0;
        else if ((*u & 0xe0) == 0xc0 && *u >= 0xc2) extra = 1;
        else if ((*u & 0xf0) == 0xe0) extra = 2;
        else if ((*u & 0xf8) == 0xf0 && *u <= 0xf4) extra = 3;
        else return -1;
        u++;
        for (int i = 0; i < extra; i++, u++)
            if ((*u & 0xc0) != 0x80) return -1;
        count++;
    }
    return count;
}

int validate_text(const char *field, const char *label, const char *s, size_t max_chars,
                  struct problem *p)
{
    if (!s) return problem_set(p, YQ_EINVAL, "missing_field", field, "请填写%s", label);
    const char *b = s;
    while (*b == ' ' || *b == '\t') b++;
    if (!*b) return problem_set(p, YQ_EINVAL, "missing_field", field, "请填写%s", label);
    long n = utf8_length(s);
    if (n < 0) return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s含有无效字符", label);
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if (*u < 0x20 || *u == 0x7f)
            return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s含有控制字符", label);
    if ((size_t)n > max_chars)
        return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s不能超过 %zu 个字", label,
                           max_chars);
    return YQ_OK;
}
