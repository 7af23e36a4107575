/* Tests of src/core/workdays.c on the 2019 National Day holiday. */
#include "test.h"

#include "core/clock.h"
#include "core/status.h"
#include "core/workdays.h"
#include "embedded.h"

#include <string.h>

static int32_t d(const char *s)
{
    int32_t day = 0;
    clock_parse_date(s, &day);
    return day;
}

static int32_t holidays[8], workdays[2];
static struct workday_calendar cal;

static int setup(void **state)
{
    (void)state;
    static const char *const h[] = {"2019-09-13", "2019-10-01", "2019-10-02", "2019-10-03",
                                    "2019-10-04", "2019-10-05", "2019-10-06", "2019-10-07"};
    for (int i = 0; i < 8; i++)
        holidays[i] = d(h[i]);
    workdays[0] = d("2019-09-29"); /* Sunday, worked */
    workdays[1] = d("2019-10-12"); /* Saturday, worked */
    cal = (struct workday_calendar){holidays, 8, workdays, 2, 2019, 2019};
    return 0;
}

static void test_weekdays_work_and_weekends_rest(void **state)
{
    (void)state;
    assert_true(workdays_is_working(&cal, d("2019-07-01")));  /* Monday */
    assert_false(workdays_is_working(&cal, d("2019-07-06"))); /* Saturday */
    assert_false(workdays_is_working(&cal, d("2019-07-07"))); /* Sunday */
}

static void test_holidays_rest_and_adjusted_weekends_work(void **state)
{
    (void)state;
    assert_false(workdays_is_working(&cal, d("2019-10-01"))); /* Tuesday, holiday */
    assert_false(workdays_is_working(&cal, d("2019-09-13"))); /* Friday, 中秋 */
    assert_true(workdays_is_working(&cal, d("2019-09-29")));  /* Sunday, worked */
    assert_true(workdays_is_working(&cal, d("2019-10-12")));  /* Saturday, worked */
}

static void test_five_working_days_across_national_day(void **state)
{
    (void)state;
    int32_t out;
    /* A notice opened on Friday 27 Sept: 29 Sept (Sunday, worked), 30 Sept,
     * then the holiday, then 8, 9 and 10 Oct → the 5th is 10 Oct. */
    assert_int_equal(workdays_add(&cal, d("2019-09-27"), 5, &out), YQ_OK);
    char s[16];
    clock_format_date(out, s);
    assert_string_equal(s, "2019-10-10");
    /* An ordinary week: opened Monday 1 July → the 5th is Monday 8 July. */
    assert_int_equal(workdays_add(&cal, d("2019-07-01"), 5, &out), YQ_OK);
    clock_format_date(out, s);
    assert_string_equal(s, "2019-07-08");
}

static void test_years_not_covered_are_refused(void **state)
{
    (void)state;
    int32_t out = 0;
    assert_int_equal(workdays_add(&cal, d("2019-12-27"), 5, &out), YQ_EINVAL);
    assert_int_equal(workdays_add(&cal, d("2019-07-01"), 0, &out), YQ_EINVAL);
}

/* Found by fuzz/workdays.c (fuzz/regressions/workdays/): a New Year
 * holiday that starts in late December is in the next year's notice; it
 * used to mark its own year as covered, so that year's answers ignored
 * holidays that were never loaded. */
static void test_late_december_new_year_holiday_covers_only_the_next_year(void **state)
{
    (void)state;
    static const char text[] = "date,kind\n2018-12-30,holiday\n2018-12-31,holiday\n"
                               "2019-01-01,holiday\n";
    struct workday_calendar c;
    assert_int_equal(workdays_load_csv(text, sizeof text - 1, &c), YQ_OK);
    assert_int_equal(c.first_year, 2019);
    assert_int_equal(c.last_year, 2019);
    assert_int_equal(c.nholidays, 3);
    int32_t out = 0;
    assert_int_equal(workdays_add(&c, d("2018-06-01"), 5, &out), YQ_EINVAL);
    assert_int_equal(workdays_add(&c, d("2019-01-01"), 1, &out), YQ_OK);
    assert_int_equal(out, d("2019-01-02"));
    workdays_free(&c);
}

/* The official file opens with 2017-12-30/31, the start of 2018's New Year
 * holiday: 2017 (whose National Day is not listed) is not covered. */
static void test_official_calendar_covers_2018_and_not_2017(void **state)
{
    (void)state;
    struct workday_calendar c;
    assert_int_equal(workdays_load_csv(yq_data_holidays_csv, yq_data_holidays_csv_len, &c), YQ_OK);
    assert_int_equal(c.first_year, 2018);
    int32_t out = 0;
    assert_int_equal(workdays_add(&c, d("2017-09-29"), 5, &out), YQ_EINVAL);
    assert_int_equal(workdays_add(&c, d("2018-09-28"), 1, &out), YQ_OK);
    char s[16];
    clock_format_date(out, s);
    assert_string_equal(s, "2018-09-29"); /* Saturday, worked before National Day */
    workdays_free(&c);
}

static void test_malformed_calendars_are_refused_and_zeroed(void **state)
{
    (void)state;
    static const char *const bad[] = {"date,kind\n2019-01-01,feast\n",
                                      "date,kind\n2019-13-01,holiday\n",
                                      "date,kind\n2019-02-02,workday\n", "date,kind\n\"2019\n", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct workday_calendar c;
        memset(&c, 0x5a, sizeof c);
        assert_int_equal(workdays_load_csv(bad[i], strlen(bad[i]), &c), YQ_EINVAL);
        assert_null(c.holidays);
        assert_null(c.workdays);
    }
}

/* Found by fuzz/workdays.c: holidays of 2018 and 4038 made every year
 * between them look published. */
static void test_a_year_missing_between_published_ones_is_refused(void **state)
{
    (void)state;
    static const char gap[] = "date,kind\n2018-02-04,holiday\n2020-01-01,holiday\n",
                      whole[] = "date,kind\n2018-02-04,holiday\n2018-12-30,holiday\n"
                                "2020-01-01,holiday\n";
    struct workday_calendar c;
    assert_int_equal(workdays_load_csv(gap, sizeof gap - 1, &c), YQ_EINVAL);
    assert_int_equal(workdays_load_csv(whole, sizeof whole - 1, &c), YQ_OK);
    assert_int_equal(c.first_year, 2018);
    assert_int_equal(c.last_year, 2020);
    workdays_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_weekdays_work_and_weekends_rest, setup),
        cmocka_unit_test_setup(test_holidays_rest_and_adjusted_weekends_work, setup),
        cmocka_unit_test_setup(test_five_working_days_across_national_day, setup),
        cmocka_unit_test_setup(test_years_not_covered_are_refused, setup),
        cmocka_unit_test(test_late_december_new_year_holiday_covers_only_the_next_year),
        cmocka_unit_test(test_official_calendar_covers_2018_and_not_2017),
        cmocka_unit_test(test_malformed_calendars_are_refused_and_zeroed),
        cmocka_unit_test(test_a_year_missing_between_published_ones_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
