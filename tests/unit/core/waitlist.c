/* Tests of src/core/waitlist.c: 先到先补. */
#include "test.h"

#include "core/waitlist.h"

static void test_served_in_order_while_money_lasts(void **state)
{
    (void)state;
    struct waitlist_entry e[] = {{500, 0}, {300, 0}, {200, 0}};
    assert_int_equal(waitlist_serve(e, 3, 850, false), 2);
    assert_true(e[0].grant_fen == 500 && e[1].grant_fen == 300 && e[2].grant_fen == 0);
}

static void test_head_is_never_skipped_for_a_smaller_one_behind(void **state)
{
    (void)state;
    struct waitlist_entry e[] = {{600, 0}, {100, 0}, {100, 0}};
    assert_int_equal(waitlist_serve(e, 3, 500, false), 0);
    assert_true(e[0].grant_fen == 0 && e[1].grant_fen == 0 && e[2].grant_fen == 0);
}

static void test_partial_last_gives_the_head_the_remainder(void **state)
{
    (void)state;
    struct waitlist_entry e[] = {{300, 0}, {600, 0}, {100, 0}};
    assert_int_equal(waitlist_serve(e, 3, 500, true), 2);
    assert_true(e[0].grant_fen == 300 && e[1].grant_fen == 200 && e[2].grant_fen == 0);
}

static void test_nothing_available_serves_nobody(void **state)
{
    (void)state;
    struct waitlist_entry e[] = {{1, 0}};
    assert_int_equal(waitlist_serve(e, 1, 0, true), 0);
    assert_int_equal(waitlist_serve(e, 0, 1000, false), 0);
}

static void test_exact_fit_serves_and_stops(void **state)
{
    (void)state;
    struct waitlist_entry e[] = {{400, 0}, {100, 0}};
    assert_int_equal(waitlist_serve(e, 2, 400, true), 1);
    assert_true(e[0].grant_fen == 400 && e[1].grant_fen == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_served_in_order_while_money_lasts),
        cmocka_unit_test(test_head_is_never_skipped_for_a_smaller_one_behind),
        cmocka_unit_test(test_partial_last_gives_the_head_the_remainder),
        cmocka_unit_test(test_nothing_available_serves_nobody),
        cmocka_unit_test(test_exact_fit_serves_and_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
