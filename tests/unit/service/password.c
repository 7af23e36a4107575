/* Tests of src/service/password.c: Argon2id hashing. */
#include "test.h"

#include "core/status.h"
#include "service/password.h"

#include <pthread.h>
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

#define THREADS 6

static void *hash_one(void *arg)
{
    char h[PASSWORD_HASH_MAX];
    *(int *)arg = password_hash("gate-test-password", h);
    return NULL;
}

static void run_threads(int rcs[THREADS])
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, hash_one, &rcs[i]);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
}

static void test_at_most_the_gates_width_hash_at_once_and_the_queue_waits(void **state)
{
    (void)state;
    password_limit(2, THREADS);
    int rcs[THREADS];
    run_threads(rcs);
    for (int i = 0; i < THREADS; i++) assert_int_equal(rcs[i], YQ_OK);
    assert_true(password_peak_running() <= 2);
    assert_true(password_peak_running() >= 1);
}

static void test_callers_beyond_the_queue_are_told_busy_at_once(void **state)
{
    (void)state;
    password_limit(1, 0);
    int rcs[THREADS];
    run_threads(rcs);
    int ok = 0, busy = 0;
    for (int i = 0; i < THREADS; i++) {
        if (rcs[i] == YQ_OK) ok++;
        if (rcs[i] == YQ_EBUSY) busy++;
    }
    assert_true(ok >= 1 && ok + busy == THREADS);
    assert_true(password_peak_running() <= 2); /* still the earlier peak at most */
    bool match = true;
    password_limit(2, 2);
    assert_int_equal(password_check("not-a-hash", "x", &match), YQ_OK);
    assert_false(match);
    assert_int_equal(password_check_dummy("anything"), YQ_OK);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_is_argon2id_and_verifies),
        cmocka_unit_test(test_wrong_password_does_not_verify),
        cmocka_unit_test(test_same_password_hashes_differently_each_time),
        cmocka_unit_test(test_malformed_hashes_never_verify),
        cmocka_unit_test(test_at_most_the_gates_width_hash_at_once_and_the_queue_waits),
        cmocka_unit_test(test_callers_beyond_the_queue_are_told_busy_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
