/* Tests of src/core/period.c: half-year periods and their filing windows. */
#include "test.h"

#include "core/clock.h"
#include "core/period.h"
#include "core/status.h"

static int32_t d(const char *s)
{
    int32_t day = 0;
    assert_int_equal(clock_parse_date(s, &day), YQ_OK);
    return day;
}

static void assert_day(int32_t day, const char *expected)
{
    char s[16];
    clock_format_date(day, s);
    assert_string_equal(s, expected);
}

static void test_2019H1_and_2019H2_parse(void **state)
{
    (void)state;
    struct period p;
    assert_int_equal(period_parse("2019H1", &p), YQ_OK);
    assert_int_equal(p.year, 2019);
    assert_int_equal(p.half, 1);
    assert_int_equal(period_parse("2019H2", &p), YQ_OK);
    assert_int_equal(p.year, 2019);
    assert_int_equal(p.half, 2);
}

static void test_years_2000_and_2100_are_the_bounds(void **state)
{
    (void)state;
    struct period p;
    assert_int_equal(period_parse("2000H1", &p), YQ_OK);
    assert_int_equal(p.year, 2000);
    assert_int_equal(period_parse("2100H2", &p), YQ_OK);
    assert_int_equal(p.year, 2100);
    assert_int_equal(period_parse("1999H2", &p), YQ_EINVAL);
    assert_int_equal(period_parse("2101H1", &p), YQ_EINVAL);
    assert_int_equal(period_parse("0000H1", &p), YQ_EINVAL);
    assert_int_equal(period_parse("9999H1", &p), YQ_EINVAL);
}

static void test_anything_but_yyyyHn_is_refused_and_leaves_out_untouched(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",         "2019",    "2019H",    "2019H0",  "2019H3",  "2019h1",   "2019 H1",
        " 2019H1",  "2019H1 ", "2019H1\n", "2019H12", "219H1",   "20190H1",  "2019-H1",
        "2019S1",   "H12019",  "2019HA",   "+019H1",  "-019H1",  "２０19H1", "2019H１",
        "2019\0H1", "20a9H1",  "2019Q1",   "2019H-1", "2019H+1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct period p = {1234, 7};
        if (period_parse(bad[i], &p) != YQ_EINVAL) fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(p.year, 1234);
        assert_int_equal(p.half, 7);
    }
    struct period p = {1234, 7};
    assert_int_equal(period_parse(NULL, &p), YQ_EINVAL);
    assert_int_equal(p.year, 1234);
}

static void test_periods_format_as_yyyyHn_and_round_trip(void **state)
{
    (void)state;
    char s[PERIOD_TEXT_LEN + 1];
    assert_int_equal(period_format((struct period){2019, 1}, s), YQ_OK);
    assert_string_equal(s, "2019H1");
    assert_int_equal(period_format((struct period){2100, 2}, s), YQ_OK);
    assert_string_equal(s, "2100H2");
    for (int y = PERIOD_YEAR_MIN; y <= PERIOD_YEAR_MAX; y++) {
        for (int h = 1; h <= 2; h++) {
            struct period p = {0, 0};
            assert_int_equal(period_format((struct period){y, h}, s), YQ_OK);
            assert_int_equal(period_parse(s, &p), YQ_OK);
            assert_int_equal(p.year, y);
            assert_int_equal(p.half, h);
        }
    }
}

static void test_invalid_periods_do_not_format(void **state)
{
    (void)state;
    char s[PERIOD_TEXT_LEN + 1] = "x";
    assert_int_equal(period_format((struct period){2019, 3}, s), YQ_EINVAL);
    assert_string_equal(s, "");
    assert_int_equal(period_format((struct period){2019, 0}, s), YQ_EINVAL);
    assert_int_equal(period_format((struct period){1999, 1}, s), YQ_EINVAL);
    assert_int_equal(period_format((struct period){2101, 1}, s), YQ_EINVAL);
    assert_int_equal(period_format((struct period){-2019, 1}, s), YQ_EINVAL);
    assert_false(period_valid((struct period){2019, 0}));
    assert_true(period_valid((struct period){2019, 2}));
}

static void test_2019H1_runs_1_january_to_30_june(void **state)
{
    (void)state;
    assert_int_equal(period_first_day((struct period){2019, 1}), d("2019-01-01"));
    assert_int_equal(period_last_day((struct period){2019, 1}), d("2019-06-30"));
}

static void test_2019H2_runs_1_july_to_31_december(void **state)
{
    (void)state;
    assert_int_equal(period_first_day((struct period){2019, 2}), d("2019-07-01"));
    assert_int_equal(period_last_day((struct period){2019, 2}), d("2019-12-31"));
}

static void test_halves_of_a_leap_year_have_182_and_184_days(void **state)
{
    (void)state;
    struct period h1 = {2020, 1}, h2 = {2020, 2};
    assert_int_equal(period_last_day(h1) - period_first_day(h1) + 1, 182);
    assert_int_equal(period_last_day(h2) - period_first_day(h2) + 1, 184);
    h1.year = h2.year = 2019;
    assert_int_equal(period_last_day(h1) - period_first_day(h1) + 1, 181);
    assert_int_equal(period_last_day(h2) - period_first_day(h2) + 1, 184);
}

static void test_periods_tile_the_calendar_without_gaps(void **state)
{
    (void)state;
    /* Each period starts the day after the one before it ends. */
    for (int y = PERIOD_YEAR_MIN; y <= PERIOD_YEAR_MAX; y++) {
        struct period h1 = {y, 1}, h2 = {y, 2}, prev;
        assert_int_equal(period_first_day(h2), period_last_day(h1) + 1);
        if (y > PERIOD_YEAR_MIN) {
            assert_int_equal(period_previous(h1, &prev), YQ_OK);
            assert_int_equal(period_first_day(h1), period_last_day(prev) + 1);
        }
    }
}

static void test_each_day_lies_in_its_half_year(void **state)
{
    (void)state;
    struct period p;
    assert_int_equal(period_of_day(d("2019-01-01"), &p), YQ_OK);
    assert_true(p.year == 2019 && p.half == 1);
    assert_int_equal(period_of_day(d("2019-06-30"), &p), YQ_OK);
    assert_true(p.year == 2019 && p.half == 1);
    assert_int_equal(period_of_day(d("2019-07-01"), &p), YQ_OK);
    assert_true(p.year == 2019 && p.half == 2);
    assert_int_equal(period_of_day(d("2019-12-31"), &p), YQ_OK);
    assert_true(p.year == 2019 && p.half == 2);
    assert_int_equal(period_of_day(d("2020-02-29"), &p), YQ_OK);
    assert_true(p.year == 2020 && p.half == 1);
    /* Every day of 2018–2021 is inside the period it is said to lie in. */
    for (int32_t day = d("2018-01-01"); day <= d("2021-12-31"); day++) {
        assert_int_equal(period_of_day(day, &p), YQ_OK);
        assert_true(period_first_day(p) <= day && day <= period_last_day(p));
    }
}

static void test_days_outside_2000_to_2100_have_no_period(void **state)
{
    (void)state;
    struct period p = {1234, 7};
    assert_int_equal(period_of_day(d("1999-12-31"), &p), YQ_EINVAL);
    assert_int_equal(period_of_day(d("2101-01-01"), &p), YQ_EINVAL);
    assert_int_equal(p.year, 1234);
    assert_int_equal(period_of_day(d("2000-01-01"), &p), YQ_OK);
    assert_int_equal(period_of_day(d("2100-12-31"), &p), YQ_OK);
}

static void test_previous_of_H1_is_H2_of_the_year_before(void **state)
{
    (void)state;
    struct period p;
    assert_int_equal(period_previous((struct period){2019, 1}, &p), YQ_OK);
    assert_true(p.year == 2018 && p.half == 2);
    assert_int_equal(period_previous((struct period){2019, 2}, &p), YQ_OK);
    assert_true(p.year == 2019 && p.half == 1);
}

static void test_2000H1_and_invalid_periods_have_no_previous(void **state)
{
    (void)state;
    struct period p = {1234, 7};
    assert_int_equal(period_previous((struct period){2000, 1}, &p), YQ_EINVAL);
    assert_int_equal(period_previous((struct period){2019, 3}, &p), YQ_EINVAL);
    assert_int_equal(period_previous((struct period){2101, 1}, &p), YQ_EINVAL);
    assert_int_equal(p.year, 1234);
    assert_int_equal(period_previous((struct period){2000, 2}, &p), YQ_OK);
    assert_true(p.year == 2000 && p.half == 1);
}

static void test_2019H1_window_of_30_days_runs_1_to_30_july(void **state)
{
    (void)state;
    int32_t first, last;
    assert_int_equal(
        period_window((struct period){2019, 1}, PERIOD_WINDOW_DAYS_DEFAULT, &first, &last), YQ_OK);
    assert_day(first, "2019-07-01");
    assert_day(last, "2019-07-30");
}

static void test_2019H2_window_of_30_days_runs_1_to_30_january_2020(void **state)
{
    (void)state;
    int32_t first, last;
    assert_int_equal(period_window((struct period){2019, 2}, 30, &first, &last), YQ_OK);
    assert_day(first, "2020-01-01");
    assert_day(last, "2020-01-30");
}

static void test_windows_of_1_and_366_days(void **state)
{
    (void)state;
    int32_t first, last;
    assert_int_equal(period_window((struct period){2019, 2}, 1, &first, &last), YQ_OK);
    assert_day(first, "2020-01-01");
    assert_day(last, "2020-01-01");
    assert_int_equal(period_window((struct period){2019, 2}, 366, &first, &last), YQ_OK);
    assert_day(last, "2020-12-31");
    assert_int_equal(period_window((struct period){2100, 2}, 30, &first, &last), YQ_OK);
    assert_day(first, "2101-01-01");
}

static void test_window_lengths_outside_1_to_366_are_refused(void **state)
{
    (void)state;
    int32_t first = 7, last = 7;
    enum period_window_place place = PERIOD_WINDOW_INSIDE;
    static const int bad[] = {0, -1, 367, 1000, -30};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(period_window((struct period){2019, 1}, bad[i], &first, &last), YQ_EINVAL);
        assert_int_equal(
            period_window_place((struct period){2019, 1}, bad[i], d("2019-07-01"), &place),
            YQ_EINVAL);
    }
    assert_int_equal(first, 7);
    assert_int_equal(last, 7);
    assert_int_equal(place, PERIOD_WINDOW_INSIDE);
    assert_int_equal(period_window((struct period){2019, 3}, 30, &first, &last), YQ_EINVAL);
}

static void test_2019H1_filing_is_before_on_30_june_inside_1_to_30_july_after_31_july(void **state)
{
    (void)state;
    struct period h1 = {2019, 1};
    enum period_window_place place;
    assert_int_equal(period_window_place(h1, 30, d("2019-06-30"), &place), YQ_OK);
    assert_int_equal(place, PERIOD_WINDOW_BEFORE);
    assert_int_equal(period_window_place(h1, 30, d("2019-01-01"), &place), YQ_OK);
    assert_int_equal(place, PERIOD_WINDOW_BEFORE);
    assert_int_equal(period_window_place(h1, 30, d("2019-07-01"), &place), YQ_OK);
    assert_int_equal(place, PERIOD_WINDOW_INSIDE);
    assert_int_equal(period_window_place(h1, 30, d("2019-07-15"), &place), YQ_OK);
    assert_int_equal(place, PERIOD_WINDOW_INSIDE);
    assert_int_equal(period_window_place(h1, 30, d("2019-07-30"), &place), YQ_OK);
    assert_int_equal(place, PERIOD_WINDOW_INSIDE);
    assert_int_equal(period_window_place(h1, 30, d("2019-07-31"), &place), YQ_OK);
    assert_int_equal(place, PERIOD_WINDOW_AFTER);
    assert_int_equal(period_window_place(h1, 30, d("2020-07-01"), &place), YQ_OK);
    assert_int_equal(place, PERIOD_WINDOW_AFTER);
}

static void test_one_day_window_is_only_the_day_after_the_period(void **state)
{
    (void)state;
    struct period h2 = {2019, 2};
    enum period_window_place place;
    assert_int_equal(period_window_place(h2, 1, d("2019-12-31"), &place), YQ_OK);
    assert_int_equal(place, PERIOD_WINDOW_BEFORE);
    assert_int_equal(period_window_place(h2, 1, d("2020-01-01"), &place), YQ_OK);
    assert_int_equal(place, PERIOD_WINDOW_INSIDE);
    assert_int_equal(period_window_place(h2, 1, d("2020-01-02"), &place), YQ_OK);
    assert_int_equal(place, PERIOD_WINDOW_AFTER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2019H1_and_2019H2_parse),
        cmocka_unit_test(test_years_2000_and_2100_are_the_bounds),
        cmocka_unit_test(test_anything_but_yyyyHn_is_refused_and_leaves_out_untouched),
        cmocka_unit_test(test_periods_format_as_yyyyHn_and_round_trip),
        cmocka_unit_test(test_invalid_periods_do_not_format),
        cmocka_unit_test(test_2019H1_runs_1_january_to_30_june),
        cmocka_unit_test(test_2019H2_runs_1_july_to_31_december),
        cmocka_unit_test(test_halves_of_a_leap_year_have_182_and_184_days),
        cmocka_unit_test(test_periods_tile_the_calendar_without_gaps),
        cmocka_unit_test(test_each_day_lies_in_its_half_year),
        cmocka_unit_test(test_days_outside_2000_to_2100_have_no_period),
        cmocka_unit_test(test_previous_of_H1_is_H2_of_the_year_before),
        cmocka_unit_test(test_2000H1_and_invalid_periods_have_no_previous),
        cmocka_unit_test(test_2019H1_window_of_30_days_runs_1_to_30_july),
        cmocka_unit_test(test_2019H2_window_of_30_days_runs_1_to_30_january_2020),
        cmocka_unit_test(test_windows_of_1_and_366_days),
        cmocka_unit_test(test_window_lengths_outside_1_to_366_are_refused),
        cmocka_unit_test(test_2019H1_filing_is_before_on_30_june_inside_1_to_30_july_after_31_july),
        cmocka_unit_test(test_one_day_window_is_only_the_day_after_the_period),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
