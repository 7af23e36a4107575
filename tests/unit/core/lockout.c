/* Tests of src/core/lockout.c: failed logins slow down, then lock. */
#include "test.h"

#include "core/lockout.h"

#define MIN (60 * 1000LL)

static void test_first_two_failures_cost_nothing(void **state)
{
    (void)state;
    struct lockout_state s = {0};
    lockout_fail(&lockout_account_policy, &s, 1000);
    assert_true(lockout_wait_ms(&lockout_account_policy, &s, 1000) == 0);
    lockout_fail(&lockout_account_policy, &s, 1000);
    assert_true(lockout_wait_ms(&lockout_account_policy, &s, 1000) == 0);
}

static void test_third_and_fourth_failures_slow_down(void **state)
{
    (void)state;
    struct lockout_state s = {0};
    for (int i = 0; i < 3; i++) lockout_fail(&lockout_account_policy, &s, 0);
    assert_true(lockout_wait_ms(&lockout_account_policy, &s, 0) == 1000);
    assert_true(lockout_wait_ms(&lockout_account_policy, &s, 1000) == 0);
    lockout_fail(&lockout_account_policy, &s, 1000);
    assert_true(lockout_wait_ms(&lockout_account_policy, &s, 1000) == 2000);
}

static void test_fifth_failure_locks_for_fifteen_minutes(void **state)
{
    (void)state;
    struct lockout_state s = {0};
    for (int i = 0; i < 5; i++) lockout_fail(&lockout_account_policy, &s, 10 * i * 1000);
    int64_t t = 40 * 1000;
    assert_true(s.locked_until == t + 15 * MIN);
    assert_true(lockout_wait_ms(&lockout_account_policy, &s, t + 14 * MIN) == MIN);
    assert_true(lockout_wait_ms(&lockout_account_policy, &s, t + 15 * MIN) == 0);
    /* A served lock starts the count again. */
    lockout_fail(&lockout_account_policy, &s, t + 16 * MIN);
    assert_int_equal(s.failures, 1);
    assert_true(s.locked_until == 0);
}

static void test_quiet_window_forgets_failures(void **state)
{
    (void)state;
    struct lockout_state s = {0};
    for (int i = 0; i < 4; i++) lockout_fail(&lockout_account_policy, &s, 0);
    lockout_fail(&lockout_account_policy, &s, 15 * MIN);
    assert_int_equal(s.failures, 1);
}

static void test_address_policy_tolerates_more_failures(void **state)
{
    (void)state;
    struct lockout_state s = {0};
    for (int i = 0; i < 19; i++) lockout_fail(&lockout_address_policy, &s, i * 60000LL);
    assert_true(s.locked_until == 0);
    lockout_fail(&lockout_address_policy, &s, 19 * 60000LL);
    assert_true(s.locked_until > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_two_failures_cost_nothing),
        cmocka_unit_test(test_third_and_fourth_failures_slow_down),
        cmocka_unit_test(test_fifth_failure_locks_for_fifteen_minutes),
        cmocka_unit_test(test_quiet_window_forgets_failures),
        cmocka_unit_test(test_address_policy_tolerates_more_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
