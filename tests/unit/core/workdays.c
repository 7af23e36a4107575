/* Tests of src/core/workdays.c on the 2019 National Day holiday. */
#include "test.h"

#include "core/clock.h"
#include "core/status.h"
#include "core/workdays.h"

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
    for (int i = 0; i < 8; i++) holidays[i] = d(h[i]);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_weekdays_work_and_weekends_rest, setup),
        cmocka_unit_test_setup(test_holidays_rest_and_adjusted_weekends_work, setup),
        cmocka_unit_test_setup(test_five_working_days_across_national_day, setup),
        cmocka_unit_test_setup(test_years_not_covered_are_refused, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
