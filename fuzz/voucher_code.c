/* The voucher code check (src/core/voucher_code.c). Text input: a code
 * that passes is one voucher_code_make() would write (same year, county,
 * serial, check character), passes lower-cased, and fails after any one
 * digit is changed or two different neighbouring digits are swapped (what
 * the check character promises). The first bytes also drive
 * voucher_code_make(), whose every code must pass. */
#include "core/voucher_code.h"
#include "fuzz.h"

#include <ctype.h>

/* Positions of the 16 digits in YQyyyy-cccccc-nnnnnn-K. */
static const int digit_at[16] = {2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19};

static long number(const char *s, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static void check_valid(const char *code)
{
    char up[VOUCHER_CODE_LEN + 1], c[VOUCHER_CODE_LEN + 1];
    for (int i = 0; i <= VOUCHER_CODE_LEN; i++)
        up[i] = (char)toupper((unsigned char)code[i]);
    int year = (int)number(up + 2, 4);
    char county[7];
    memcpy(county, up + 7, 6);
    county[6] = '\0';
    long serial = number(up + 14, 6);
    FUZZ_CHECK(voucher_code_make(year, county, serial, c));
    FUZZ_CHECK(strcmp(c, up) == 0);
    for (int i = 0; i <= VOUCHER_CODE_LEN; i++)
        c[i] = (char)tolower((unsigned char)up[i]);
    FUZZ_CHECK(voucher_code_valid(c));
    for (int k = 0; k < 16; k++) {
        memcpy(c, up, sizeof c);
        c[digit_at[k]] = (char)('0' + (c[digit_at[k]] - '0' + 1 + k % 9) % 10);
        FUZZ_CHECK(!voucher_code_valid(c));
        if (k == 15) continue;
        memcpy(c, up, sizeof c);
        if (c[digit_at[k]] == c[digit_at[k + 1]]) continue;
        char t = c[digit_at[k]];
        c[digit_at[k]] = c[digit_at[k + 1]];
        c[digit_at[k + 1]] = t;
        FUZZ_CHECK(!voucher_code_valid(c));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstring(data, size);
    if (voucher_code_valid(in)) check_valid(in);
    free(in);

    if (size >= 12) {
        int year = (int)(((unsigned)data[0] << 8 | data[1]) % 12000);
        char county[8] = "";
        for (int i = 0; i < 6; i++)
            county[i] = (char)('0' + data[2 + i] % 10);
        county[6] = data[8] == 0xff ? 'x' : '\0'; /* a seven-character county */
        int64_t serial =
            (int64_t)((uint32_t)data[9] << 16 | (uint32_t)data[10] << 8 | data[11]) - 1000;
        char code[VOUCHER_CODE_LEN + 1];
        if (voucher_code_make(year, county, serial, code)) {
            FUZZ_CHECK(strlen(code) == VOUCHER_CODE_LEN && voucher_code_valid(code));
            check_valid(code);
        } else {
            FUZZ_CHECK(year < 1000 || year > 9999 || serial < 1 || serial > 999999 ||
                       county[6] != '\0');
        }
    }
    return 0;
}
