/* Tests of src/core/uscc.c: GB 32100 check characters. */
#include "test.h"

#include "core/status.h"
#include "core/uscc.h"

#include <stdlib.h>
#include <string.h>

static const char *const known_good[] = {"91350100M000100Y43", "91110000600037341L"};
static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static void test_known_good_codes_are_accepted(void **state)
{
    (void)state;
    for (int i = 0; i < 2; i++) {
        struct problem p;
        char out[USCC_LEN + 1];
        assert_int_equal(uscc_validate("uscc", known_good[i], out, &p), YQ_OK);
        assert_string_equal(out, known_good[i]);
    }
}

static void test_every_single_character_change_is_rejected(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        for (int pos = 0; pos < USCC_LEN; pos++) {
            for (const char *c = alphabet; *c; c++) {
                char code[USCC_LEN + 1];
                memcpy(code, known_good[k], sizeof code);
                if (code[pos] == *c) continue;
                code[pos] = *c;
                struct problem p;
                char out[USCC_LEN + 1];
                if (uscc_validate("uscc", code, out, &p) == YQ_OK)
                    fail_msg("%s accepted (changed position %d)", code, pos + 1);
                assert_string_equal(p.field, "uscc");
            }
        }
    }
}

static void test_characters_outside_the_alphabet_are_rejected(void **state)
{
    (void)state;
    static const char bad[] = "IOZSV-_ *中";
    for (const char *c = bad; *c; c++) {
        char code[USCC_LEN + 1];
        memcpy(code, known_good[0], sizeof code);
        code[5] = *c;
        struct problem p;
        char out[USCC_LEN + 1];
        assert_int_equal(uscc_validate("uscc", code, out, &p), YQ_EINVAL);
    }
}

static void test_wrong_length_is_rejected_with_the_length(void **state)
{
    (void)state;
    struct problem p;
    char out[USCC_LEN + 1];
    assert_int_equal(uscc_validate("uscc", "91350100M000100Y4", out, &p), YQ_EINVAL);
    assert_non_null(strstr(p.message, "17"));
    assert_int_equal(uscc_validate("uscc", "91350100M000100Y433", out, &p), YQ_EINVAL);
    assert_int_equal(uscc_validate("uscc", "", out, &p), YQ_EINVAL);
    assert_int_equal(uscc_validate("uscc", NULL, out, &p), YQ_EINVAL);
}

static void test_lower_case_and_blanks_are_normalised(void **state)
{
    (void)state;
    struct problem p;
    char out[USCC_LEN + 1];
    assert_int_equal(uscc_validate("uscc", "  91110000600037341l ", out, &p), YQ_OK);
    assert_string_equal(out, "91110000600037341L");
    assert_int_equal(uscc_validate("uscc", "91350100m000100y43", out, &p), YQ_OK);
    assert_string_equal(out, "91350100M000100Y43");
}

/* Property: any 16 characters with a correct organisation check digit and
 * the computed check character form a valid code, and changing any one
 * character of it breaks it. */
static void test_generated_valid_codes_round_trip(void **state)
{
    (void)state;
    srand(20181123);
    int generated = 0;
    while (generated < 2000) {
        char code[USCC_LEN + 1];
        for (int i = 0; i < 16; i++) code[i] = alphabet[rand() % 31];
        char org = uscc_org_check_char(code + 8);
        if (!strchr(alphabet, org)) continue;
        code[16] = org;
        code[17] = uscc_check_char(code);
        code[18] = '\0';
        struct problem p;
        char out[USCC_LEN + 1];
        if (uscc_validate("uscc", code, out, &p) != YQ_OK) fail_msg("%s rejected: %s", code, p.message);
        int pos = rand() % USCC_LEN;
        char was = code[pos];
        code[pos] = alphabet[(strchr(alphabet, was) - alphabet + 1 + rand() % 30) % 31];
        if (uscc_validate("uscc", code, out, &p) == YQ_OK) fail_msg("%s accepted", code);
        generated++;
    }
}

static void test_division_code_tells_the_city(void **state)
{
    (void)state;
    assert_true(uscc_in_division("91370811MA3C0000X1", "3708"));
    assert_false(uscc_in_division("91350100M000100Y43", "3708"));
    assert_true(uscc_in_division("91350100M000100Y43", "3501"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_good_codes_are_accepted),
        cmocka_unit_test(test_every_single_character_change_is_rejected),
        cmocka_unit_test(test_characters_outside_the_alphabet_are_rejected),
        cmocka_unit_test(test_wrong_length_is_rejected_with_the_length),
        cmocka_unit_test(test_lower_case_and_blanks_are_normalised),
        cmocka_unit_test(test_generated_valid_codes_round_trip),
        cmocka_unit_test(test_division_code_tells_the_city),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
