/* Tests of src/core/lockout.c: failed logins slow down (never lock), and
 * sign-ups are counted per window. */
#include "test.h"

#include "core/lockout.h"

#define SEC 1000LL
#define MIN (60 * SEC)
#define HOUR (60 * MIN)

static void fail_n(const struct lockout_policy *p, struct lockout_state *s, int n, int64_t at)
{
    for (int i = 0; i < n; i++)
        lockout_fail(p, s, at);
}

static void test_first_two_failures_of_a_pair_cost_nothing(void **state)
{
    (void)state;
    struct lockout_state s = {0};
    lockout_fail(&lockout_pair_policy, &s, 1000);
    assert_true(lockout_wait_ms(&lockout_pair_policy, &s, 1000) == 0);
    lockout_fail(&lockout_pair_policy, &s, 1000);
    assert_true(lockout_wait_ms(&lockout_pair_policy, &s, 1000) == 0);
}

static void test_after_n_failures_of_a_pair_the_wait_is_2_to_the_n_minus_3_seconds(void **state)
{
    (void)state;
    for (int n = 3; n <= 12; n++) {
        struct lockout_state s = {0};
        fail_n(&lockout_pair_policy, &s, n, 0);
        assert_true(lockout_wait_ms(&lockout_pair_policy, &s, 0) == (SEC << (n - 3)));
        assert_true(lockout_wait_ms(&lockout_pair_policy, &s, SEC << (n - 3)) == 0);
    }
}

static void test_the_wait_is_capped_at_15_minutes_and_never_becomes_a_lock(void **state)
{
    (void)state;
    struct lockout_state s = {0};
    int64_t t = 0;
    for (int i = 0; i < 100; i++) {
        t += lockout_wait_ms(&lockout_pair_policy, &s, t);
        assert_true(lockout_wait_ms(&lockout_pair_policy, &s, t) == 0);
        lockout_fail(&lockout_pair_policy, &s, t);
    }
    assert_int_equal(s.failures, 100);
    assert_true(lockout_wait_ms(&lockout_pair_policy, &s, t) == 15 * MIN);
    assert_true(lockout_delay_ms(&lockout_pair_policy, 1000000) == 15 * MIN);
    /* After the wait the next attempt goes ahead: the owner is never shut out for good. */
    assert_true(lockout_wait_ms(&lockout_pair_policy, &s, t + 15 * MIN) == 0);
}

static void test_a_quiet_day_forgets_a_pairs_failures(void **state)
{
    (void)state;
    struct lockout_state s = {0};
    fail_n(&lockout_pair_policy, &s, 8, 0);
    assert_true(lockout_wait_ms(&lockout_pair_policy, &s, 23 * HOUR) == 0);
    lockout_fail(&lockout_pair_policy, &s, 23 * HOUR);
    assert_int_equal(s.failures, 9);
    lockout_fail(&lockout_pair_policy, &s, 47 * HOUR);
    assert_int_equal(s.failures, 1);
}

static void
test_the_address_throttle_allows_ten_then_doubles_and_forgets_after_an_hour(void **state)
{
    (void)state;
    struct lockout_state s = {0};
    fail_n(&lockout_address_policy, &s, 10, 0);
    assert_true(lockout_wait_ms(&lockout_address_policy, &s, 0) == 0);
    lockout_fail(&lockout_address_policy, &s, 0);
    assert_true(lockout_wait_ms(&lockout_address_policy, &s, 0) == SEC);
    lockout_fail(&lockout_address_policy, &s, SEC);
    assert_true(lockout_wait_ms(&lockout_address_policy, &s, SEC) == 2 * SEC);
    lockout_fail(&lockout_address_policy, &s, SEC + HOUR);
    assert_int_equal(s.failures, 1);
}

static void test_a_refund_restores_the_state_before_the_charge(void **state)
{
    (void)state;
    struct lockout_state s = {0};
    fail_n(&lockout_address_policy, &s, 12, 0);
    struct lockout_state before = s;
    lockout_fail(&lockout_address_policy, &s, 5 * SEC);
    lockout_refund(&s, &before, 5 * SEC);
    assert_int_equal(s.failures, 12);
    /* The success did not push the address's next attempt later. */
    assert_true(s.last_failure_at == 0);
    /* Another charge came in between: only one failure is given back. */
    lockout_fail(&lockout_address_policy, &s, 9 * SEC);
    lockout_fail(&lockout_address_policy, &s, 9 * SEC);
    lockout_refund(&s, &before, 9 * SEC);
    assert_int_equal(s.failures, 13);
}

static void test_audit_moments_are_the_first_wait_and_the_first_longest_wait(void **state)
{
    (void)state;
    struct lockout_state s = {0};
    int starts = 0, caps = 0;
    for (int i = 0; i < 30; i++) {
        lockout_fail(&lockout_pair_policy, &s, 0);
        if (lockout_starts_waiting(&lockout_pair_policy, &s)) {
            starts++;
            assert_int_equal(s.failures, 3);
        }
        if (lockout_reaches_cap(&lockout_pair_policy, &s)) {
            caps++;
            /* 2^(n-3) s first reaches 900 s at n = 13 (1024 s, capped) */
            assert_int_equal(s.failures, 13);
        }
    }
    assert_int_equal(starts, 1);
    assert_int_equal(caps, 1);
}

static void test_sign_ups_are_limited_per_window(void **state)
{
    (void)state;
    struct rate_state s = {0};
    for (int i = 0; i < 10; i++) {
        assert_true(rate_wait_ms(&rate_signup_policy, &s, 10 * MIN) == 0);
        rate_take(&rate_signup_policy, &s, 10 * MIN + i);
    }
    assert_true(rate_wait_ms(&rate_signup_policy, &s, 10 * MIN + 20) == HOUR - 20);
    assert_true(rate_wait_ms(&rate_signup_policy, &s, 70 * MIN) == 0);
    rate_take(&rate_signup_policy, &s, 70 * MIN);
    assert_int_equal(s.count, 1);
    assert_true(s.window_start == 70 * MIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_two_failures_of_a_pair_cost_nothing),
        cmocka_unit_test(test_after_n_failures_of_a_pair_the_wait_is_2_to_the_n_minus_3_seconds),
        cmocka_unit_test(test_the_wait_is_capped_at_15_minutes_and_never_becomes_a_lock),
        cmocka_unit_test(test_a_quiet_day_forgets_a_pairs_failures),
        cmocka_unit_test(
            test_the_address_throttle_allows_ten_then_doubles_and_forgets_after_an_hour),
        cmocka_unit_test(test_a_refund_restores_the_state_before_the_charge),
        cmocka_unit_test(test_audit_moments_are_the_first_wait_and_the_first_longest_wait),
        cmocka_unit_test(test_sign_ups_are_limited_per_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
