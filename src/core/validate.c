/* Input field rules. */
#include "core/validate.h"
#include "core/status.h"

#include <stdbool.h>
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

static int sequence_length(const unsigned char *s);

long utf8_length(const char *s)
{
    long count = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int len = sequence_length(u);
        if (len == 0) return -1;
        u += len;
        count++;
    }
    return count;
}

/* Length of the well-formed UTF-8 sequence at s, or 0 if malformed. */
static int sequence_length(const unsigned char *s)
{
    int extra;
    if (s[0] < 0x80) return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) extra = 1;
    else if ((s[0] & 0xf0) == 0xe0) extra = 2;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4) extra = 3;
    else return 0;
    for (int i = 1; i <= extra; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    if (s[0] == 0xe0 && s[1] < 0xa0) return 0;                    /* overlong */
    if (s[0] == 0xed && s[1] >= 0xa0) return 0;                   /* surrogates */
    if (s[0] == 0xf0 && s[1] < 0x90) return 0;                    /* overlong */
    if (s[0] == 0xf4 && s[1] >= 0x90) return 0;                   /* > U+10FFFF */
    return extra + 1;
}

void utf8_trim_partial(char *s)
{
    size_t n = strlen(s), i = 0, good = 0;
    while (i < n) {
        int len = sequence_length((const unsigned char *)s + i);
        if (len == 0 || i + (size_t)len > n) break;
        i += (size_t)len;
        good = i;
    }
    if (good < n && n - good < 4) s[good] = '\0';
}

void utf8_sanitize(char *dst, size_t cap, const char *src)
{
    size_t j = 0;
    const unsigned char *s = (const unsigned char *)src;
    while (*s && cap > 0) {
        int len = sequence_length(s);
        const char *piece = (const char *)s;
        size_t plen = (size_t)len;
        if (len == 0) {
            piece = "\xef\xbf\xbd"; /* U+FFFD */
            plen = 3;
            len = 1;
        }
        if (j + plen + 1 > cap) break;
        memcpy(dst + j, piece, plen);
        j += plen;
        s += len;
    }
    if (cap > 0) dst[j] = '\0';
}

static int check_text(const char *field, const char *label, const char *s, size_t max_chars,
                      bool lines, struct problem *p)
{
    if (!s) return problem_set(p, YQ_EINVAL, "missing_field", field, "请填写%s", label);
    const char *b = s;
    while (*b == ' ' || *b == '\t') b++;
    if (!*b) return problem_set(p, YQ_EINVAL, "missing_field", field, "请填写%s", label);
    long n = utf8_length(s);
    if (n < 0) return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s含有无效字符", label);
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if ((*u < 0x20 && !(lines && (*u == '\n' || *u == '\r' || *u == '\t'))) || *u == 0x7f)
            return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s含有控制字符", label);
    if ((size_t)n > max_chars)
        return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s不能超过 %zu 个字", label,
                           max_chars);
    return YQ_OK;
}

int validate_text(const char *field, const char *label, const char *s, size_t max_chars,
                  struct problem *p)
{
    return check_text(field, label, s, max_chars, false, p);
}

int validate_paragraphs(const char *field, const char *label, const char *s, size_t max_chars,
                        struct problem *p)
{
    return check_text(field, label, s, max_chars, true, p);
}

bool text_is_email(const char *s)
{
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n < 5 || n > 100 || !at || at == s || strchr(at + 1, '@')) return false;
    const char *dot = strrchr(at, '.');
    if (!dot || dot == at + 1 || !dot[1]) return false;
    for (const char *c = s; *c; c++)
        if (*c <= ' ' || *c == ',' || *c == ';' || (unsigned char)*c >= 0x7f) return false;
    return true;
}

bool text_is_phone(const char *s)
{
    int digits = 0;
    for (const char *c = s; *c; c++) {
        if (*c >= '0' && *c <= '9')
            digits++;
        else if (!(*c == ' ' || *c == '-' || *c == '(' || *c == ')' || (*c == '+' && c == s)))
            return false;
    }
    return digits >= 7 && digits <= 20;
}
