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

static void test_phones_and_emails_as_people_write_them(void **state)
{
    (void)state;
    const char *phones[] = {"13800000000", "0537-2345678", "+86 138 0000 0000", "(0537)2345678",
                            "1234567"};
    for (size_t i = 0; i < sizeof phones / sizeof *phones; i++)
        assert_true(text_is_phone(phones[i]));
    const char *not_phones[] = {"", "abc", "123456", "123456789012345678901", "138 0000 000a",
                                "86+13800000000", "li@example.com", "电话13800000000"};
    for (size_t i = 0; i < sizeof not_phones / sizeof *not_phones; i++)
        assert_false(text_is_phone(not_phones[i]));
    assert_true(text_is_email("li@example.com"));
    assert_true(text_is_email("a.b-c@qiye.example.cn"));
    const char *not_emails[] = {"li@", "@example.com", "li@example", "li@.cn", "a@b@c.cn",
                                "li si@example.com", "li@example.", "a@b.c;d"};
    for (size_t i = 0; i < sizeof not_emails / sizeof *not_emails; i++)
        assert_false(text_is_email(not_emails[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usernames),
        cmocka_unit_test(test_passwords),
        cmocka_unit_test(test_text_counts_characters_not_bytes),
        cmocka_unit_test(test_phones_and_emails_as_people_write_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
