/* Voucher codes with a check character. */
#include "core/voucher_code.h"

#include <stdio.h>
#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static char check_char(const char digits16[16])
{
    int sum = 0, w = 1;
    for (int i = 0; i < 16; i++) {
        sum += (digits16[i] - '0') * w;
        w = w * 3 % 31;
    }
    return alphabet[(31 - sum % 31) % 31];
}

static bool all_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool voucher_code_make(int year, const char *county, int64_t serial, char out[VOUCHER_CODE_LEN + 1])
{
    if (year < 1000 || year > 9999 || !county || strlen(county) != 6 || !all_digits(county, 6) ||
        serial < 1 || serial > 999999)
        return false;
    char digits[17];
    snprintf(digits, sizeof digits, "%04d%.6s%06lld", year, county, (long long)serial);
    snprintf(out, VOUCHER_CODE_LEN + 1, "YQ%04d-%.6s-%06lld-%c", year, county, (long long)serial,
             check_char(digits));
    return true;
}

bool voucher_code_valid(const char *code)
{
    if (!code || strlen(code) != VOUCHER_CODE_LEN) return false;
    char c[VOUCHER_CODE_LEN + 1];
    for (int i = 0; i <= VOUCHER_CODE_LEN; i++)
        c[i] = (char)(code[i] >= 'a' && code[i] <= 'z' ? code[i] - 32 : code[i]);
    if (c[0] != 'Y' || c[1] != 'Q' || c[6] != '-' || c[13] != '-' || c[20] != '-') return false;
    if (!all_digits(c + 2, 4) || !all_digits(c + 7, 6) || !all_digits(c + 14, 6)) return false;
    /* Only codes voucher_code_make can write: year from 1000, serial from 1. */
    if (c[2] == '0' || memcmp(c + 14, "000000", 6) == 0) return false;
    char digits[16];
    memcpy(digits, c + 2, 4);
    memcpy(digits + 4, c + 7, 6);
    memcpy(digits + 10, c + 14, 6);
    return check_char(digits) == c[21];
}
