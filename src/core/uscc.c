/* USCC validation (GB 32100-2015, GB 11714-1997). */
#include "core/uscc.h"
#include "core/status.h"

#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

static int index_of(char c)
{
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

char uscc_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = index_of(first17[i]);
        if (v < 0) return '\0';
        sum += v * weights[i];
    }
    int check = 31 - sum % 31;
    return alphabet[check == 31 ? 0 : check];
}

char uscc_org_check_char(const char *org8)
{
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char c = org8[i];
        int v;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
        else return '\0';
        sum += v * org_weights[i];
    }
    int check = 11 - sum % 11;
    if (check == 10) return 'X';
    if (check == 11) return '0';
    return (char)('0' + check);
}

int uscc_validate(const char *field, const char *in, char out[USCC_LEN + 1], struct problem *p)
{
    if (!in) return problem_set(p, YQ_EINVAL, "missing_field", field, "请填写统一社会信用代码");
    while (*in == ' ' || *in == '\t') in++;
    size_t n = strlen(in);
    while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t')) n--;
    if (n != USCC_LEN)
        return problem_set(p, YQ_EINVAL, "invalid_uscc", field,
                           "统一社会信用代码应为 18 位（现为 %zu 位）", n);
    char code[USCC_LEN + 1];
    for (size_t i = 0; i < USCC_LEN; i++) {
        char c = in[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (index_of(c) < 0)
            return problem_set(p, YQ_EINVAL, "invalid_uscc", field,
                               "统一社会信用代码第 %zu 位字符无效（不使用 I、O、Z、S、V）", i + 1);
        code[i] = c;
    }
    code[USCC_LEN] = '\0';
    if (uscc_org_check_char(code + 8) != code[16])
        return problem_set(p, YQ_EINVAL, "invalid_uscc", field,
                           "统一社会信用代码中的组织机构代码校验位（第 17 位）不正确，请核对");
    if (uscc_check_char(code) != code[17])
        return problem_set(p, YQ_EINVAL, "invalid_uscc", field,
                           "统一社会信用代码校验位（第 18 位）不正确，请核对");
    memcpy(out, code, sizeof code);
    return YQ_OK;
}

bool uscc_in_division(const char *uscc, const char *prefix)
{
    size_t n = strlen(prefix);
    return strlen(uscc) == USCC_LEN && n <= 6 && strncmp(uscc + 2, prefix, n) == 0;
}
