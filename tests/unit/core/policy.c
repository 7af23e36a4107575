/* Tests of src/core/policy.c: ratio by year, caps, certificates, amounts. */
#include "test.h"

#include "core/clock.h"
#include "core/policy.h"
#include "core/status.h"

#include <string.h>

/* 济经信字〔2018〕11号: 30% tapering 5 points a year, cap ¥50,000, +20%. */
static const struct policy seed = {
    .base_ratio_bp = 3000, .taper_bp_per_year = 500, .first_year = 2018, .last_year = 2020,
    .cap_fen = 5000000, .cert_bonus_bp = 2000,
};

static void test_seed_ratio_tapers_five_points_a_year(void **state)
{
    (void)state;
    int32_t r;
    char src[160];
    assert_int_equal(policy_ratio_bp(&seed, 2018, &r, src), YQ_OK);
    assert_int_equal(r, 3000);
    assert_int_equal(policy_ratio_bp(&seed, 2019, &r, src), YQ_OK);
    assert_int_equal(r, 2500);
    assert_non_null(strstr(src, "逐年递减"));
    assert_non_null(strstr(src, "30%"));
    assert_non_null(strstr(src, "每年减 5 个百分点"));
    assert_null(strstr(src, "基点"));
    assert_int_equal(policy_ratio_bp(&seed, 2020, &r, src), YQ_OK);
    assert_int_equal(r, 2000);
}

static void test_no_ratio_outside_the_program_years(void **state)
{
    (void)state;
    int32_t r = -1;
    char src[160];
    assert_int_equal(policy_ratio_bp(&seed, 2017, &r, src), YQ_EINVAL);
    assert_int_equal(policy_ratio_bp(&seed, 2021, &r, src), YQ_EINVAL);
    assert_int_equal(r, -1);
}

static void test_taper_never_goes_below_zero(void **state)
{
    (void)state;
    struct policy p = seed;
    p.taper_bp_per_year = 2000;
    p.last_year = 2030;
    int32_t r;
    char src[160];
    assert_int_equal(policy_ratio_bp(&p, 2020, &r, src), YQ_OK);
    assert_int_equal(r, 0);
}

static void test_explicit_year_table_overrides_taper(void **state)
{
    (void)state;
    struct policy p = seed;
    p.n_year_ratios = 2;
    p.year_ratios[0] = (struct policy_year_ratio){2018, 3000};
    p.year_ratios[1] = (struct policy_year_ratio){2019, 2800};
    int32_t r;
    char src[160];
    assert_int_equal(policy_ratio_bp(&p, 2019, &r, src), YQ_OK);
    assert_int_equal(r, 2800);
    assert_string_equal(src, "年度比例表：2019 年");
    /* A year missing from the table has no ratio, even inside the window. */
    assert_int_equal(policy_ratio_bp(&p, 2020, &r, src), YQ_EINVAL);
}

static void test_certificate_valid_through_its_last_day(void **state)
{
    (void)state;
    int32_t from, until, day;
    clock_parse_date("2017-06-01", &from);
    clock_parse_date("2019-03-15", &until);
    clock_parse_date("2019-03-14", &day);
    assert_true(policy_certificate_valid(from, until, day));     /* the day before */
    assert_true(policy_certificate_valid(from, until, day + 1)); /* the day of */
    assert_false(policy_certificate_valid(from, until, day + 2)); /* the day after */
    assert_false(policy_certificate_valid(from, until, from - 1));
}

static void test_cap_is_50000_or_60000_with_valid_certificate(void **state)
{
    (void)state;
    assert_true(policy_cap_fen(&seed, false) == 5000000);
    assert_true(policy_cap_fen(&seed, true) == 6000000);
}

static void test_amount_is_ratio_of_base_floored_to_the_fen(void **state)
{
    (void)state;
    struct voucher_calc c;
    /* ¥10,000.01 at 25%: 250,000.25 fen → 250,000 fen. */
    assert_int_equal(policy_voucher_amount(&seed, 1000001, 2019, false, &c), YQ_OK);
    assert_true(c.amount_fen == 250000);
    assert_false(c.capped);
    assert_int_equal(c.ratio_bp, 2500);
}

static void test_amount_capped_at_50000_without_certificate(void **state)
{
    (void)state;
    struct voucher_calc c;
    /* ¥300,000 at 30% is ¥90,000 → cap ¥50,000. */
    assert_int_equal(policy_voucher_amount(&seed, 30000000, 2018, false, &c), YQ_OK);
    assert_true(c.subsidy_fen == 9000000);
    assert_true(c.amount_fen == 5000000);
    assert_true(c.capped);
}

static void test_amount_capped_at_60000_with_valid_certificate(void **state)
{
    (void)state;
    struct voucher_calc c;
    assert_int_equal(policy_voucher_amount(&seed, 30000000, 2018, true, &c), YQ_OK);
    assert_true(c.amount_fen == 6000000);
    assert_true(c.cap_fen == 6000000);
}

static void test_zero_base_gives_zero_and_negative_is_refused(void **state)
{
    (void)state;
    struct voucher_calc c;
    assert_int_equal(policy_voucher_amount(&seed, 0, 2020, false, &c), YQ_OK);
    assert_true(c.amount_fen == 0);
    assert_int_equal(policy_voucher_amount(&seed, -1, 2020, false, &c), YQ_EINVAL);
}

static void test_huge_base_does_not_overflow(void **state)
{
    (void)state;
    struct policy p = seed;
    p.cap_fen = 100000000000LL;
    struct voucher_calc c;
    assert_int_equal(policy_voucher_amount(&p, INT64_MAX, 2018, false, &c), YQ_OK);
    assert_true(c.subsidy_fen == (INT64_MAX / 10000) * 3000 + (INT64_MAX % 10000) * 3000 / 10000);
    assert_true(c.amount_fen == p.cap_fen);
}

static void test_parameter_check_refuses_nonsense(void **state)
{
    (void)state;
    char msg[128];
    assert_int_equal(policy_check(&seed, msg, sizeof msg), YQ_OK);
    struct policy p = seed;
    p.base_ratio_bp = 10001;
    assert_int_equal(policy_check(&p, msg, sizeof msg), YQ_EINVAL);
    p = seed;
    p.last_year = 2017;
    assert_int_equal(policy_check(&p, msg, sizeof msg), YQ_EINVAL);
    p = seed;
    p.n_year_ratios = 2;
    p.year_ratios[0] = (struct policy_year_ratio){2018, 3000};
    p.year_ratios[1] = (struct policy_year_ratio){2018, 2000};
    assert_int_equal(policy_check(&p, msg, sizeof msg), YQ_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_ratio_tapers_five_points_a_year),
        cmocka_unit_test(test_no_ratio_outside_the_program_years),
        cmocka_unit_test(test_taper_never_goes_below_zero),
        cmocka_unit_test(test_explicit_year_table_overrides_taper),
        cmocka_unit_test(test_certificate_valid_through_its_last_day),
        cmocka_unit_test(test_cap_is_50000_or_60000_with_valid_certificate),
        cmocka_unit_test(test_amount_is_ratio_of_base_floored_to_the_fen),
        cmocka_unit_test(test_amount_capped_at_50000_without_certificate),
        cmocka_unit_test(test_amount_capped_at_60000_with_valid_certificate),
        cmocka_unit_test(test_zero_base_gives_zero_and_negative_is_refused),
        cmocka_unit_test(test_huge_base_does_not_overflow),
        cmocka_unit_test(test_parameter_check_refuses_nonsense),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
