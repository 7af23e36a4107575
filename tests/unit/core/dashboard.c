/* Tests of src/core/dashboard.c: the months of a year in China time and
 * the 完成率 ranking of the city dashboard. */
#include "test.h"

#include "core/clock.h"
#include "core/dashboard.h"

#include <string.h>

static void test_months_start_at_midnight_beijing_and_leave_no_gap(void **state)
{
    (void)state;
    int64_t from[DASHBOARD_MONTHS], to[DASHBOARD_MONTHS], ms;
    dashboard_months(2020, from, to);
    assert_int_equal(clock_parse_iso("2020-01-01T00:00:00+08:00", &ms), 0);
    assert_int_equal(from[0], ms);
    /* 2020 is a leap year: March begins after 29 days of February. */
    assert_int_equal(clock_parse_iso("2020-03-01T00:00:00+08:00", &ms), 0);
    assert_int_equal(from[2], ms);
    assert_int_equal(to[1] - from[1], 29LL * 86400000LL);
    assert_int_equal(clock_parse_iso("2021-01-01T00:00:00+08:00", &ms), 0);
    assert_int_equal(to[11], ms);
    for (int m = 0; m + 1 < DASHBOARD_MONTHS; m++)
        assert_int_equal(to[m], from[m + 1]);
}

static void test_month_of_an_instant_is_its_month_in_china_time(void **state)
{
    (void)state;
    int64_t ms;
    int y = 0, m = 0;
    /* 2019-12-31 16:00 UTC is already 2020-01-01 in Beijing. */
    assert_int_equal(clock_parse_iso("2019-12-31T16:00:00Z", &ms), 0);
    dashboard_month_of(ms, &y, &m);
    assert_int_equal(y, 2020);
    assert_int_equal(m, 1);
    dashboard_month_of(ms - 1, &y, &m);
    assert_int_equal(y, 2019);
    assert_int_equal(m, 12);
}

static void test_month_in_a_year_clamps_to_january_and_december(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(clock_parse_iso("2020-07-15T12:00:00+08:00", &ms), 0);
    assert_int_equal(dashboard_month_in(2020, ms), 7);
    /* A voucher of 2019's pool served in 2020 counts in 2019's December. */
    assert_int_equal(dashboard_month_in(2019, ms), 12);
    assert_int_equal(dashboard_month_in(2021, ms), 1);
    assert_int_equal(clock_parse_iso("2020-02-01T00:00:00+08:00", &ms), 0);
    assert_int_equal(dashboard_month_in(2020, ms), 2);
    assert_int_equal(dashboard_month_in(2020, ms - 1), 1);
}

static void test_ranking_puts_the_highest_rate_first_and_no_target_last(void **state)
{
    (void)state;
    struct dashboard_rank_row rows[] = {
        {-1, "370811"}, {7500, "370882"}, {12000, "370883"}, {7500, "370812"}, {0, "370826"},
    };
    dashboard_rank(rows, 5);
    const char *want[] = {"370883", "370812", "370882", "370826", "370811"};
    for (int i = 0; i < 5; i++)
        assert_string_equal(rows[i].county_code, want[i]);
}

static void test_ranking_of_nothing_or_one(void **state)
{
    (void)state;
    dashboard_rank(NULL, 0);
    struct dashboard_rank_row one = {5000, "370811"};
    dashboard_rank(&one, 1);
    assert_string_equal(one.county_code, "370811");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_months_start_at_midnight_beijing_and_leave_no_gap),
        cmocka_unit_test(test_month_of_an_instant_is_its_month_in_china_time),
        cmocka_unit_test(test_month_in_a_year_clamps_to_january_and_december),
        cmocka_unit_test(test_ranking_puts_the_highest_rate_first_and_no_target_last),
        cmocka_unit_test(test_ranking_of_nothing_or_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
