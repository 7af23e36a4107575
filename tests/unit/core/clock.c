/* Tests of src/core/clock.c: the program clock and date arithmetic. */
#include "test.h"

#include "core/clock.h"
#include "core/status.h"

#include <string.h>

static void test_iso_with_offset_is_the_same_instant_as_utc(void **state)
{
    (void)state;
    int64_t a, b;
    assert_int_equal(clock_parse_iso("2019-07-01T09:00:00+08:00", &a), YQ_OK);
    assert_int_equal(clock_parse_iso("2019-07-01T01:00:00Z", &b), YQ_OK);
    assert_true(a == b);
    assert_true(a == 1561942800000LL);
}

static void test_iso_accepts_fraction_and_space(void **state)
{
    (void)state;
    int64_t a;
    assert_int_equal(clock_parse_iso("2019-07-01 09:00:00.250+08:00", &a), YQ_OK);
    assert_true(a == 1561942800250LL);
}

static void test_iso_rejects_malformed_instants(void **state)
{
    (void)state;
    static const char *bad[] = {
        "", "2019-07-01", "2019-07-01T09:00:00", "2019-02-29T00:00:00Z", "2019-13-01T00:00:00Z",
        "2019-07-01T24:00:00Z", "2019-07-01T09:00:00+8:00", "2019-07-01T09:00:00Zjunk",
        "19-07-01T09:00:00Z", "2019-07-01T09:60:00Z",
    };
    int64_t untouched = 42;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(clock_parse_iso(bad[i], &untouched), YQ_EINVAL);
        assert_true(untouched == 42);
    }
}

static void test_format_shows_china_time(void **state)
{
    (void)state;
    char out[32];
    clock_format_iso(1561942800000LL, out);
    assert_string_equal(out, "2019-07-01T09:00:00+08:00");
    /* 2019-12-31T16:30Z is already New Year's Day in China. */
    int64_t ms;
    assert_int_equal(clock_parse_iso("2019-12-31T16:30:00Z", &ms), YQ_OK);
    clock_format_iso(ms, out);
    assert_string_equal(out, "2020-01-01T00:30:00+08:00");
    char day[16];
    clock_format_date(clock_cst_day(ms), day);
    assert_string_equal(day, "2020-01-01");
}

static void test_leap_days_round_trip(void **state)
{
    (void)state;
    int32_t d;
    assert_int_equal(clock_parse_date("2020-02-29", &d), YQ_OK);
    char out[16];
    clock_format_date(d + 1, out);
    assert_string_equal(out, "2020-03-01");
    assert_int_equal(clock_parse_date("2100-02-29", &d), YQ_EINVAL);
    assert_int_equal(clock_parse_date("2000-02-29", &d), YQ_OK);
    /* Every day from 1970 to 2100 survives a round trip. */
    for (int32_t day = 0; day < 47482; day++) {
        int y;
        unsigned m, dd;
        clock_civil_from_days(day, &y, &m, &dd);
        assert_int_equal(clock_days_from_civil(y, m, dd), day);
    }
}

static void test_set_now_moves_the_clock_and_it_keeps_running(void **state)
{
    (void)state;
    int64_t target;
    clock_parse_iso("2019-07-01T09:00:00+08:00", &target);
    clock_set_now(target);
    int64_t now = clock_now_ms();
    assert_true(now >= target && now < target + 5000);
    clock_reset();
    assert_true(clock_now_ms() > 1700000000000LL);
}

static bool fixed_source(int64_t *now_ms, void *ctx)
{
    *now_ms = *(int64_t *)ctx;
    return true;
}

static bool silent_source(int64_t *now_ms, void *ctx)
{
    (void)now_ms;
    (void)ctx;
    return false;
}

static void test_source_takes_over_the_clock_until_it_falls_silent(void **state)
{
    (void)state;
    int64_t fixed = 1546300800000LL; /* 2019-01-01T08:00+08:00 */
    clock_set_source(fixed_source, &fixed);
    assert_true(clock_now_ms() == fixed);
    fixed += 31 * 60 * 1000;
    assert_true(clock_now_ms() == fixed);
    clock_set_source(silent_source, NULL);
    assert_true(clock_now_ms() > 1700000000000LL);
    clock_reset();
}

/* Found by fuzz/dates.c (fuzz/regressions/dates/): an instant whose date
 * in China falls outside 1900–9999 was read, but written as a five-digit
 * year (or 1899) that did not read back. */
static void test_iso_instants_read_are_those_that_can_be_written_back(void **state)
{
    (void)state;
    int64_t ms = 7;
    assert_int_equal(clock_parse_iso("9999-12-31 16:30:00Z", &ms), YQ_EINVAL);
    assert_int_equal(clock_parse_iso("1900-01-01T00:00:00+14:00", &ms), YQ_EINVAL);
    assert_int_equal(ms, 7);
    assert_int_equal(clock_parse_iso("9999-12-31T15:59:59Z", &ms), YQ_OK);
    char text[32];
    clock_format_iso(ms, text);
    assert_string_equal(text, "9999-12-31T23:59:59+08:00");
    assert_int_equal(clock_parse_iso("1900-01-01T00:00:00+08:00", &ms), YQ_OK);
    clock_format_iso(ms, text);
    assert_string_equal(text, "1900-01-01T00:00:00+08:00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso_with_offset_is_the_same_instant_as_utc),
        cmocka_unit_test(test_iso_accepts_fraction_and_space),
        cmocka_unit_test(test_iso_rejects_malformed_instants),
        cmocka_unit_test(test_format_shows_china_time),
        cmocka_unit_test(test_leap_days_round_trip),
        cmocka_unit_test(test_iso_instants_read_are_those_that_can_be_written_back),
        cmocka_unit_test(test_set_now_moves_the_clock_and_it_keeps_running),
        cmocka_unit_test(test_source_takes_over_the_clock_until_it_falls_silent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
