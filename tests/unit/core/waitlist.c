/* Tests of src/core/waitlist.c: 先到先补. */
#include "test.h"

#include "core/waitlist.h"

static void test_served_in_order_while_money_lasts(void **state)
{
    (void)state;
    struct waitlist_grant e[] = {{500, false, 0}, {300, false, 0}, {200, false, 0}};
    assert_int_equal(waitlist_serve(e, 3, 850), 2);
    assert_true(e[0].grant_fen == 500 && e[1].grant_fen == 300 && e[2].grant_fen == 0);
}

static void test_head_is_never_skipped_for_a_smaller_one_behind(void **state)
{
    (void)state;
    struct waitlist_grant e[] = {{600, false, 0}, {100, false, 0}, {100, false, 0}};
    assert_int_equal(waitlist_serve(e, 3, 500), 0);
    assert_true(e[0].grant_fen == 0 && e[1].grant_fen == 0 && e[2].grant_fen == 0);
}

static void test_partial_last_gives_the_head_the_remainder(void **state)
{
    (void)state;
    struct waitlist_grant e[] = {{300, true, 0}, {600, true, 0}, {100, true, 0}};
    assert_int_equal(waitlist_serve(e, 3, 500), 2);
    assert_true(e[0].grant_fen == 300 && e[1].grant_fen == 200 && e[2].grant_fen == 0);
}

static void test_nothing_available_serves_nobody(void **state)
{
    (void)state;
    struct waitlist_grant e[] = {{1, true, 0}};
    assert_int_equal(waitlist_serve(e, 1, 0), 0);
    assert_int_equal(waitlist_serve(e, 0, 1000), 0);
}

static void test_exact_fit_serves_and_stops(void **state)
{
    (void)state;
    struct waitlist_grant e[] = {{400, true, 0}, {100, true, 0}};
    assert_int_equal(waitlist_serve(e, 2, 400), 1);
    assert_true(e[0].grant_fen == 400 && e[1].grant_fen == 0);
}

static void test_each_application_follows_its_own_program(void **state)
{
    (void)state;
    /* The head's program has no partial-last: it waits, and so does the
     * one behind it whose program has it. */
    struct waitlist_grant a[] = {{600, false, 0}, {100, true, 0}};
    assert_int_equal(waitlist_serve(a, 2, 500), 0);
    assert_true(a[0].grant_fen == 0 && a[1].grant_fen == 0);
    /* The head is served whole; the second's program gives it the rest. */
    struct waitlist_grant b[] = {{300, false, 0}, {600, true, 0}, {100, false, 0}};
    assert_int_equal(waitlist_serve(b, 3, 500), 2);
    assert_true(b[0].grant_fen == 300 && b[1].grant_fen == 200 && b[2].grant_fen == 0);
    /* The second's program has no partial-last: it keeps waiting. */
    struct waitlist_grant c[] = {{300, true, 0}, {600, false, 0}};
    assert_int_equal(waitlist_serve(c, 2, 500), 1);
    assert_true(c[0].grant_fen == 300 && c[1].grant_fen == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_served_in_order_while_money_lasts),
        cmocka_unit_test(test_head_is_never_skipped_for_a_smaller_one_behind),
        cmocka_unit_test(test_partial_last_gives_the_head_the_remainder),
        cmocka_unit_test(test_nothing_available_serves_nobody),
        cmocka_unit_test(test_exact_fit_serves_and_stops),
        cmocka_unit_test(test_each_application_follows_its_own_program),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
