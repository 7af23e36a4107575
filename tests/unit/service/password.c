/* Tests of src/service/password.c: Argon2id hashing. */
#include "test.h"

#include "core/status.h"
#include "service/password.h"

#include <sodium.h>
#include <string.h>

static void test_hash_is_argon2id_and_verifies(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("正确的密码 horse battery", h), YQ_OK);
    assert_memory_equal(h, "$argon2id$", 10);
    assert_true(password_verify(h, "正确的密码 horse battery"));
}

static void test_wrong_password_does_not_verify(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("correct-password", h), YQ_OK);
    assert_false(password_verify(h, "correct-passworD"));
    assert_false(password_verify(h, "correct-password "));
    assert_false(password_verify(h, ""));
}

static void test_same_password_hashes_differently_each_time(void **state)
{
    (void)state;
    char a[PASSWORD_HASH_MAX], b[PASSWORD_HASH_MAX];
    password_hash("same-password", a);
    password_hash("same-password", b);
    assert_string_not_equal(a, b);
}

static void test_malformed_hashes_never_verify(void **state)
{
    (void)state;
    assert_false(password_verify(NULL, "x"));
    assert_false(password_verify("", ""));
    assert_false(password_verify("plaintext", "plaintext"));
    assert_false(password_verify("$argon2id$v=19$m=65536,t=2,p=1$garbage", "x"));
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_is_argon2id_and_verifies),
        cmocka_unit_test(test_wrong_password_does_not_verify),
        cmocka_unit_test(test_same_password_hashes_differently_each_time),
        cmocka_unit_test(test_malformed_hashes_never_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
