/* Tests of src/core/validate.c. */
#include "test.h"

#include "core/status.h"
#include "core/validate.h"

static void test_usernames(void **state)
{
    (void)state;
    struct problem p;
    assert_int_equal(validate_username("u", "county_it.2", &p), YQ_OK);
    assert_int_equal(validate_username("u", "ab", &p), YQ_EINVAL);
    assert_string_equal(p.field, "u");
    assert_int_equal(validate_username("u", "Admin", &p), YQ_EINVAL);
    assert_int_equal(validate_username("u", "张三三", &p), YQ_EINVAL);
    assert_int_equal(validate_username("u", "a b c", &p), YQ_EINVAL);
    assert_int_equal(validate_username("u", NULL, &p), YQ_EINVAL);
}

static void test_passwords(void **state)
{
    (void)state;
    struct problem p;
    assert_int_equal(validate_password("password", "short", &p), YQ_EINVAL);
    assert_string_equal(p.field, "password");
    assert_int_equal(validate_password("password", "aaaaaaaaaaaa", &p), YQ_EINVAL);
    assert_int_equal(validate_password("password", "济宁云券平台密码", &p), YQ_OK);
}

static void test_text_counts_characters_not_bytes(void **state)
{
    (void)state;
    struct problem p;
    /* Four Chinese characters are 12 bytes but 4 characters. */
    assert_int_equal(validate_text("name", "名称", "任城区局", 4, &p), YQ_OK);
    assert_int_equal(validate_text("name", "名称", "任城区局X", 4, &p), YQ_EINVAL);
    assert_int_equal(validate_text("name", "名称", "   ", 4, &p), YQ_EINVAL);
    assert_string_equal(p.code, "missing_field");
    assert_int_equal(validate_text("name", "名称", "\xff\xfe", 4, &p), YQ_EINVAL);
    assert_int_equal(validate_text("name", "名称", "a\tb", 4, &p), YQ_EINVAL);
    assert_int_equal(utf8_length("\xe4\xbb\xbb"), 1);
    assert_int_equal(utf8_length("\xe4\xbb"), -1);
    assert_int_equal(utf8_length("\xc0\xaf"), -1); /* overlong '/' */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usernames),
        cmocka_unit_test(test_passwords),
        cmocka_unit_test(test_text_counts_characters_not_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
