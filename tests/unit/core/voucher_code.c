/* Tests of src/core/voucher_code.c. */
#include "test.h"

#include "core/voucher_code.h"

#include <string.h>

static void test_code_has_the_documented_shape(void **state)
{
    (void)state;
    char code[VOUCHER_CODE_LEN + 1];
    assert_true(voucher_code_make(2018, "370811", 123, code));
    assert_memory_equal(code, "YQ2018-370811-000123-", 21);
    assert_true(voucher_code_valid(code));
    code[21] = (char)(code[21] == 'A' ? 'B' : 'A');
    assert_false(voucher_code_valid(code));
}

static void test_every_single_digit_change_is_caught(void **state)
{
    (void)state;
    char code[VOUCHER_CODE_LEN + 1];
    assert_true(voucher_code_make(2019, "370883", 4567, code));
    static const int digit_positions[] = {2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19};
    for (size_t k = 0; k < 16; k++) {
        for (char d = '0'; d <= '9'; d++) {
            char bad[VOUCHER_CODE_LEN + 1];
            memcpy(bad, code, sizeof bad);
            if (bad[digit_positions[k]] == d) continue;
            bad[digit_positions[k]] = d;
            if (voucher_code_valid(bad)) fail_msg("%s accepted", bad);
        }
    }
}

static void test_neighbouring_swaps_are_caught(void **state)
{
    (void)state;
    char code[VOUCHER_CODE_LEN + 1];
    assert_true(voucher_code_make(2020, "370826", 918273, code));
    static const int pairs[][2] = {{2, 3},   {3, 4},   {4, 5},   {7, 8},   {8, 9},
                                   {9, 10},  {10, 11}, {11, 12}, {14, 15}, {15, 16},
                                   {16, 17}, {17, 18}, {18, 19}};
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        char bad[VOUCHER_CODE_LEN + 1];
        memcpy(bad, code, sizeof bad);
        char t = bad[pairs[k][0]];
        if (t == bad[pairs[k][1]]) continue;
        bad[pairs[k][0]] = bad[pairs[k][1]];
        bad[pairs[k][1]] = t;
        if (voucher_code_valid(bad)) fail_msg("%s accepted", bad);
    }
}

static void test_malformed_codes_are_refused(void **state)
{
    (void)state;
    assert_false(voucher_code_valid(NULL));
    assert_false(voucher_code_valid(""));
    assert_false(voucher_code_valid("YQ2018-370811-000123"));
    assert_false(voucher_code_valid("XQ2018-370811-000123-K"));
    assert_false(voucher_code_valid("YQ2018_370811-000123-K"));
    assert_false(voucher_code_valid("YQ2O18-370811-000123-K"));
    char code[VOUCHER_CODE_LEN + 1];
    assert_false(voucher_code_make(2018, "37081", 1, code));
    assert_false(voucher_code_make(2018, "370811", 0, code));
    assert_false(voucher_code_make(2018, "370811", 1000000, code));
    assert_true(voucher_code_make(2018, "370811", 999999, code));
    for (char *c = code; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
    assert_true(voucher_code_valid(code)); /* lower case reads the same */
}

/* Found by fuzz/voucher_code.c (fuzz/regressions/voucher_code/): codes
 * with a right check character but a year or serial no voucher can have
 * passed the check, so the public lookup queried the database for them. */
static void test_codes_outside_the_issued_ranges_are_refused(void **state)
{
    (void)state;
    assert_false(voucher_code_valid("yq0001-370811-000001-f"));
    assert_false(voucher_code_valid("YQ0999-370811-000001-1"));
    assert_false(voucher_code_valid("YQ2019-370811-000000-4"));
    char code[VOUCHER_CODE_LEN + 1];
    assert_true(voucher_code_make(1000, "370811", 1, code));
    assert_true(voucher_code_valid(code));
    assert_true(voucher_code_make(9999, "370811", 999999, code));
    assert_true(voucher_code_valid(code));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_has_the_documented_shape),
        cmocka_unit_test(test_every_single_digit_change_is_caught),
        cmocka_unit_test(test_neighbouring_swaps_are_caught),
        cmocka_unit_test(test_malformed_codes_are_refused),
        cmocka_unit_test(test_codes_outside_the_issued_ranges_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
