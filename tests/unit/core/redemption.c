/* Tests of src/core/redemption.c: claims against the balance, quality
 * deductions, approved amounts and their trace, weighted evaluation scores. */
#include "test.h"

#include "core/redemption.h"
#include "core/status.h"

#include <string.h>

static const struct redemption_deduction none = {REDEMPTION_DEDUCT_NONE, 0, 0};

static struct redemption_deduction amount(int64_t fen)
{
    return (struct redemption_deduction){REDEMPTION_DEDUCT_AMOUNT, fen, 0};
}

static struct redemption_deduction share(int32_t bp)
{
    return (struct redemption_deduction){REDEMPTION_DEDUCT_BP, 0, bp};
}

static int64_t deduct(int64_t claim, struct redemption_deduction d)
{
    int64_t out = -1;
    assert_int_equal(redemption_deduction_fen(claim, &d, &out), YQ_OK);
    return out;
}

/* --- claims against the remaining balance ----------------------------- */

static void test_claim_up_to_the_untouched_voucher_is_accepted(void **state)
{
    (void)state;
    int64_t remaining = -1;
    assert_int_equal(redemption_check_claim(5000000, 5000000, 0, 0, &remaining), YQ_OK);
    assert_int_equal(remaining, 5000000);
    assert_int_equal(redemption_check_claim(1, 5000000, 0, 0, &remaining), YQ_OK);
}

static void test_remaining_is_amount_less_redeemed_less_open_claims(void **state)
{
    (void)state;
    int64_t remaining = -1;
    /* ¥50,000 voucher, ¥20,000 redeemed, ¥10,000 claimed in another open
     * application: ¥20,000 left. */
    assert_int_equal(redemption_check_claim(2000000, 5000000, 2000000, 1000000, &remaining), YQ_OK);
    assert_int_equal(remaining, 2000000);
}

static void test_claim_one_fen_over_the_remaining_balance_conflicts_and_quotes_it(void **state)
{
    (void)state;
    int64_t remaining = -1;
    assert_int_equal(redemption_check_claim(2000001, 5000000, 2000000, 1000000, &remaining),
                     YQ_ECONFLICT);
    assert_int_equal(remaining, 2000000);
}

static void test_fully_used_voucher_takes_no_claim(void **state)
{
    (void)state;
    int64_t remaining = -1;
    assert_int_equal(redemption_check_claim(1, 5000000, 3000000, 2000000, &remaining),
                     YQ_ECONFLICT);
    assert_int_equal(remaining, 0);
    assert_int_equal(redemption_check_claim(1, 5000000, 5000000, 0, &remaining), YQ_ECONFLICT);
    assert_int_equal(remaining, 0);
}

static void test_claims_of_zero_or_less_are_invalid(void **state)
{
    (void)state;
    int64_t remaining = -1;
    assert_int_equal(redemption_check_claim(0, 5000000, 0, 0, &remaining), YQ_EINVAL);
    assert_int_equal(redemption_check_claim(-1, 5000000, 0, 0, &remaining), YQ_EINVAL);
    assert_int_equal(redemption_check_claim(INT64_MIN, 5000000, 0, 0, &remaining), YQ_EINVAL);
    assert_int_equal(remaining, -1);
}

static void test_negative_balances_are_invalid(void **state)
{
    (void)state;
    int64_t remaining = -1;
    assert_int_equal(redemption_check_claim(1, -1, 0, 0, &remaining), YQ_EINVAL);
    assert_int_equal(redemption_check_claim(1, 100, -1, 0, &remaining), YQ_EINVAL);
    assert_int_equal(redemption_check_claim(1, 100, 0, -1, &remaining), YQ_EINVAL);
    assert_int_equal(remaining, -1);
}

static void test_redeemed_and_open_claims_above_the_amount_is_an_internal_error(void **state)
{
    (void)state;
    int64_t remaining = -1;
    assert_int_equal(redemption_check_claim(1, 100, 101, 0, &remaining), YQ_ERR);
    assert_int_equal(redemption_check_claim(1, 100, 60, 41, &remaining), YQ_ERR);
    assert_int_equal(redemption_check_claim(1, 0, INT64_MAX, INT64_MAX, &remaining), YQ_ERR);
    assert_int_equal(redemption_check_claim(1, INT64_MAX, INT64_MAX, INT64_MAX, &remaining),
                     YQ_ERR);
    assert_int_equal(remaining, -1);
}

static void test_claims_near_int64_max_do_not_overflow(void **state)
{
    (void)state;
    int64_t remaining = -1;
    assert_int_equal(redemption_check_claim(INT64_MAX, INT64_MAX, 0, 0, &remaining), YQ_OK);
    assert_int_equal(remaining, INT64_MAX);
    assert_int_equal(redemption_check_claim(INT64_MAX, INT64_MAX, 1, 0, &remaining), YQ_ECONFLICT);
    assert_int_equal(remaining, INT64_MAX - 1);
    assert_int_equal(redemption_check_claim(1, INT64_MAX, INT64_MAX - 1, 1, &remaining),
                     YQ_ECONFLICT);
    assert_int_equal(remaining, 0);
}

/* --- quality deductions ------------------------------------------------ */

static void test_five_percent_of_333_fen_is_16_65_rounded_up_to_17(void **state)
{
    (void)state;
    assert_int_equal(deduct(333, share(500)), 17);
}

static void test_exact_half_fen_rounds_up_and_below_half_rounds_down(void **state)
{
    (void)state;
    assert_int_equal(deduct(330, share(500)), 17); /* 16.5 */
    assert_int_equal(deduct(329, share(500)), 16); /* 16.45 */
    assert_int_equal(deduct(1, share(5000)), 1);   /* 0.5 */
    assert_int_equal(deduct(1, share(4999)), 0);   /* 0.4999 */
    assert_int_equal(deduct(3, share(5000)), 2);   /* 1.5 */
    assert_int_equal(deduct(1, share(1)), 0);      /* 0.0001 */
    assert_int_equal(deduct(19999, share(1)), 2);  /* 1.9999 */
    assert_int_equal(deduct(15000, share(1)), 2);  /* 1.5 */
    assert_int_equal(deduct(14999, share(1)), 1);  /* 1.4999 */
}

static void test_share_deduction_matches_exact_rounding_for_many_claims(void **state)
{
    (void)state;
    /* Against the rule written out: ⌊(claim × bp × 2 + 10000) / 20000⌋. */
    static const int32_t bps[] = {0, 1, 333, 500, 1250, 3333, 5000, 6667, 9999, 10000};
    for (int64_t claim = 1; claim <= 30000; claim += 7)
        for (size_t i = 0; i < sizeof bps / sizeof bps[0]; i++)
            assert_int_equal(deduct(claim, share(bps[i])), (claim * bps[i] * 2 + 10000) / 20000);
}

static void test_zero_and_full_share_deduct_nothing_and_everything(void **state)
{
    (void)state;
    assert_int_equal(deduct(123456, share(0)), 0);
    assert_int_equal(deduct(123456, share(10000)), 123456);
    assert_int_equal(deduct(1, share(10000)), 1);
}

static void test_share_of_int64_max_never_exceeds_the_claim(void **state)
{
    (void)state;
    assert_int_equal(deduct(INT64_MAX, share(10000)), INT64_MAX);
    /* INT64_MAX / 2 = 4611686018427387903.5 → …904. */
    assert_int_equal(deduct(INT64_MAX, share(5000)), INT64_MAX / 2 + 1);
    assert_int_equal(deduct(INT64_MAX, share(9999)),
                     (INT64_MAX / 10000) * 9999 + ((INT64_MAX % 10000) * 9999 + 5000) / 10000);
    assert_true(deduct(INT64_MAX, share(9999)) < INT64_MAX);
}

static void test_amount_deduction_is_taken_as_given(void **state)
{
    (void)state;
    assert_int_equal(deduct(100000, amount(0)), 0);
    assert_int_equal(deduct(100000, amount(12345)), 12345);
    assert_int_equal(deduct(100000, amount(100000)), 100000);
    assert_int_equal(deduct(100000, none), 0);
}

static void test_amount_deduction_above_the_claim_or_negative_is_invalid(void **state)
{
    (void)state;
    int64_t out = -1;
    struct redemption_deduction d = amount(100001);
    assert_int_equal(redemption_deduction_fen(100000, &d, &out), YQ_EINVAL);
    d = amount(-1);
    assert_int_equal(redemption_deduction_fen(100000, &d, &out), YQ_EINVAL);
    d = amount(INT64_MIN);
    assert_int_equal(redemption_deduction_fen(100000, &d, &out), YQ_EINVAL);
    assert_int_equal(out, -1);
}

static void test_share_outside_0_to_10000_bp_is_invalid(void **state)
{
    (void)state;
    int64_t out = -1;
    static const int32_t bad[] = {-1, 10001, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct redemption_deduction d = share(bad[i]);
        assert_int_equal(redemption_deduction_fen(100000, &d, &out), YQ_EINVAL);
    }
    assert_int_equal(out, -1);
}

static void test_deduction_needs_a_positive_claim_and_a_known_kind(void **state)
{
    (void)state;
    int64_t out = -1;
    assert_int_equal(redemption_deduction_fen(0, &none, &out), YQ_EINVAL);
    struct redemption_deduction d = share(500);
    assert_int_equal(redemption_deduction_fen(-5, &d, &out), YQ_EINVAL);
    d.kind = (enum redemption_deduction_kind)7;
    assert_int_equal(redemption_deduction_fen(100, &d, &out), YQ_EINVAL);
    assert_int_equal(out, -1);
}

static void test_deduction_kinds_have_names(void **state)
{
    (void)state;
    assert_string_equal(redemption_deduction_kind_name(REDEMPTION_DEDUCT_NONE), "none");
    assert_string_equal(redemption_deduction_kind_name(REDEMPTION_DEDUCT_AMOUNT), "amount");
    assert_string_equal(redemption_deduction_kind_name(REDEMPTION_DEDUCT_BP), "bp");
    assert_string_equal(redemption_deduction_kind_name((enum redemption_deduction_kind)9), "");
}

/* --- approved amounts -------------------------------------------------- */

static void test_approved_is_claim_less_deduction_less_adjustment_with_trace(void **state)
{
    (void)state;
    struct redemption_calc c;
    struct redemption_deduction d = share(500);
    /* ¥3,000.00 claimed, 5% quality deduction (¥150.00), ¥200.00 adjusted. */
    assert_int_equal(redemption_approved(300000, &d, 20000, &c), YQ_OK);
    assert_int_equal(c.claim_fen, 300000);
    assert_int_equal(c.deduction_kind, REDEMPTION_DEDUCT_BP);
    assert_int_equal(c.deduction_bp, 500);
    assert_int_equal(c.deduction_fen, 15000);
    assert_int_equal(c.adjustment_fen, 20000);
    assert_false(c.clamped);
    assert_int_equal(c.approved_fen, 265000);
}

static void test_approved_with_rounded_share_of_333_fen_is_316(void **state)
{
    (void)state;
    struct redemption_calc c;
    struct redemption_deduction d = share(500);
    assert_int_equal(redemption_approved(333, &d, 0, &c), YQ_OK);
    assert_int_equal(c.deduction_fen, 17);
    assert_int_equal(c.approved_fen, 316);
}

static void test_no_deduction_and_no_adjustment_approves_the_whole_claim(void **state)
{
    (void)state;
    struct redemption_calc c;
    assert_int_equal(redemption_approved(5000000, &none, 0, &c), YQ_OK);
    assert_int_equal(c.deduction_kind, REDEMPTION_DEDUCT_NONE);
    assert_int_equal(c.deduction_bp, 0);
    assert_int_equal(c.deduction_fen, 0);
    assert_int_equal(c.approved_fen, 5000000);
    assert_false(c.clamped);
}

static void test_amount_deduction_trace_records_no_bp(void **state)
{
    (void)state;
    struct redemption_calc c;
    struct redemption_deduction d = {REDEMPTION_DEDUCT_AMOUNT, 1000, 2500};
    assert_int_equal(redemption_approved(5000, &d, 0, &c), YQ_OK);
    assert_int_equal(c.deduction_kind, REDEMPTION_DEDUCT_AMOUNT);
    assert_int_equal(c.deduction_bp, 0);
    assert_int_equal(c.deduction_fen, 1000);
    assert_int_equal(c.approved_fen, 4000);
}

static void test_adjustment_down_to_exactly_zero_is_not_clamped(void **state)
{
    (void)state;
    struct redemption_calc c;
    struct redemption_deduction d = amount(400);
    assert_int_equal(redemption_approved(1000, &d, 600, &c), YQ_OK);
    assert_int_equal(c.approved_fen, 0);
    assert_false(c.clamped);
}

static void test_adjustment_beyond_what_is_left_clamps_to_zero_and_says_so(void **state)
{
    (void)state;
    struct redemption_calc c;
    struct redemption_deduction d = amount(400);
    assert_int_equal(redemption_approved(1000, &d, 601, &c), YQ_OK);
    assert_int_equal(c.approved_fen, 0);
    assert_true(c.clamped);
    assert_int_equal(c.deduction_fen, 400);
    assert_int_equal(c.adjustment_fen, 601);
    d = share(10000);
    assert_int_equal(redemption_approved(1000, &d, 1, &c), YQ_OK);
    assert_int_equal(c.approved_fen, 0);
    assert_true(c.clamped);
}

static void test_huge_adjustment_on_huge_claim_does_not_overflow(void **state)
{
    (void)state;
    struct redemption_calc c;
    assert_int_equal(redemption_approved(INT64_MAX, &none, INT64_MAX, &c), YQ_OK);
    assert_int_equal(c.approved_fen, 0);
    assert_false(c.clamped);
    struct redemption_deduction d = amount(INT64_MAX);
    assert_int_equal(redemption_approved(INT64_MAX, &d, INT64_MAX, &c), YQ_OK);
    assert_int_equal(c.approved_fen, 0);
    assert_true(c.clamped);
    assert_int_equal(redemption_approved(1, &none, INT64_MAX, &c), YQ_OK);
    assert_true(c.clamped);
    assert_int_equal(redemption_approved(INT64_MAX, &none, 0, &c), YQ_OK);
    assert_int_equal(c.approved_fen, INT64_MAX);
}

static void test_upward_adjustment_or_bad_deduction_is_refused_with_an_empty_trace(void **state)
{
    (void)state;
    struct redemption_calc c, zero;
    memset(&zero, 0, sizeof zero);
    assert_int_equal(redemption_approved(1000, &none, -1, &c), YQ_EINVAL);
    assert_memory_equal(&c, &zero, sizeof c);
    struct redemption_deduction d = amount(1001);
    assert_int_equal(redemption_approved(1000, &d, 0, &c), YQ_EINVAL);
    assert_memory_equal(&c, &zero, sizeof c);
    d = share(10001);
    assert_int_equal(redemption_approved(1000, &d, 0, &c), YQ_EINVAL);
    assert_int_equal(redemption_approved(0, &none, 0, &c), YQ_EINVAL);
    assert_int_equal(redemption_approved(-1000, &none, 0, &c), YQ_EINVAL);
    assert_int_equal(redemption_approved(1000, &none, INT64_MIN, &c), YQ_EINVAL);
    assert_memory_equal(&c, &zero, sizeof c);
}

/* --- weighted evaluation scores --------------------------------------- */

static void test_weighted_score_of_three_criteria_in_hundredths(void **state)
{
    (void)state;
    /* 40 × 90 + 35 × 85 + 25 × 77 = 3600 + 2975 + 1925 = 8500 → 85.00. */
    const struct redemption_criterion c[] = {{40, 90}, {35, 85}, {25, 77}};
    int32_t h = -1;
    int bad = 99;
    char msg[128] = "x";
    assert_int_equal(redemption_weighted_score(c, 3, &h, &bad, msg, sizeof msg), YQ_OK);
    assert_int_equal(h, 8500);
    assert_int_equal(bad, -1);
    assert_string_equal(msg, "");
}

static void test_weighted_score_keeps_fractions_of_a_point(void **state)
{
    (void)state;
    /* 33 × 87 + 33 × 91 + 34 × 64 = 2871 + 3003 + 2176 = 8050 → 80.50. */
    const struct redemption_criterion c[] = {{33, 87}, {33, 91}, {34, 64}};
    int32_t h = -1;
    assert_int_equal(redemption_weighted_score(c, 3, &h, NULL, NULL, 0), YQ_OK);
    assert_int_equal(h, 8050);
    /* 7 × 3 + 93 × 0 = 21 → 0.21. */
    const struct redemption_criterion e[] = {{7, 3}, {93, 0}};
    assert_int_equal(redemption_weighted_score(e, 2, &h, NULL, NULL, 0), YQ_OK);
    assert_int_equal(h, 21);
}

static void test_weighted_score_runs_from_0_to_100_points(void **state)
{
    (void)state;
    const struct redemption_criterion top[] = {{100, 100}};
    const struct redemption_criterion bottom[] = {{50, 0}, {50, 0}};
    const struct redemption_criterion zero_weight[] = {{0, 100}, {100, 60}};
    int32_t h = -1;
    assert_int_equal(redemption_weighted_score(top, 1, &h, NULL, NULL, 0), YQ_OK);
    assert_int_equal(h, 10000);
    assert_int_equal(redemption_weighted_score(bottom, 2, &h, NULL, NULL, 0), YQ_OK);
    assert_int_equal(h, 0);
    assert_int_equal(redemption_weighted_score(zero_weight, 2, &h, NULL, NULL, 0), YQ_OK);
    assert_int_equal(h, 6000);
}

static void test_weighted_score_of_a_hundred_one_point_criteria(void **state)
{
    (void)state;
    struct redemption_criterion c[100];
    for (int i = 0; i < 100; i++)
        c[i] = (struct redemption_criterion){1, i + 1};
    int32_t h = -1;
    assert_int_equal(redemption_weighted_score(c, 100, &h, NULL, NULL, 0), YQ_OK);
    assert_int_equal(h, 5050); /* mean of 1..100 = 50.50 */
}

static void test_score_out_of_range_names_the_criterion(void **state)
{
    (void)state;
    const struct redemption_criterion c[] = {{40, 90}, {35, 101}, {25, -1}};
    int32_t h = -1;
    int bad = 99;
    char msg[128];
    assert_int_equal(redemption_weighted_score(c, 3, &h, &bad, msg, sizeof msg), YQ_EINVAL);
    assert_int_equal(bad, 1);
    assert_string_equal(msg, "第 2 项指标的得分须在 0 至 100 之间");
    assert_int_equal(h, -1);
    const struct redemption_criterion neg[] = {{40, 90}, {35, 80}, {25, -1}};
    assert_int_equal(redemption_weighted_score(neg, 3, &h, &bad, msg, sizeof msg), YQ_EINVAL);
    assert_int_equal(bad, 2);
    assert_string_equal(msg, "第 3 项指标的得分须在 0 至 100 之间");
}

static void test_weight_out_of_range_names_the_criterion(void **state)
{
    (void)state;
    const struct redemption_criterion c[] = {{-10, 90}, {110, 80}};
    int32_t h = -1;
    int bad = 99;
    char msg[128];
    assert_int_equal(redemption_weighted_score(c, 2, &h, &bad, msg, sizeof msg), YQ_EINVAL);
    assert_int_equal(bad, 0);
    assert_string_equal(msg, "第 1 项指标的权重须在 0 至 100 之间");
    const struct redemption_criterion d[] = {{0, 90}, {101, 80}};
    assert_int_equal(redemption_weighted_score(d, 2, &h, &bad, msg, sizeof msg), YQ_EINVAL);
    assert_int_equal(bad, 1);
    assert_int_equal(h, -1);
}

static void test_weights_not_summing_to_100_are_refused_for_no_one_criterion(void **state)
{
    (void)state;
    const struct redemption_criterion low[] = {{40, 90}, {35, 80}, {24, 70}};
    const struct redemption_criterion high[] = {{40, 90}, {35, 80}, {26, 70}};
    const struct redemption_criterion all_zero[] = {{0, 90}, {0, 80}};
    int32_t h = -1;
    int bad = 99;
    char msg[128];
    assert_int_equal(redemption_weighted_score(low, 3, &h, &bad, msg, sizeof msg), YQ_EINVAL);
    assert_int_equal(bad, -1);
    assert_string_equal(msg, "各项指标权重之和须为 100（现为 99）");
    assert_int_equal(redemption_weighted_score(high, 3, &h, &bad, msg, sizeof msg), YQ_EINVAL);
    assert_string_equal(msg, "各项指标权重之和须为 100（现为 101）");
    assert_int_equal(redemption_weighted_score(all_zero, 2, &h, &bad, msg, sizeof msg), YQ_EINVAL);
    assert_int_equal(bad, -1);
    assert_int_equal(h, -1);
}

static void test_no_criteria_is_refused(void **state)
{
    (void)state;
    int32_t h = -1;
    int bad = 99;
    char msg[128];
    assert_int_equal(redemption_weighted_score(NULL, 0, &h, &bad, msg, sizeof msg), YQ_EINVAL);
    assert_int_equal(bad, -1);
    assert_string_equal(msg, "评价指标不能为空");
}

static void test_range_errors_win_over_the_sum_and_messages_are_truncated_safely(void **state)
{
    (void)state;
    /* Weights summing to 140 with a bad score: the criterion is named. */
    const struct redemption_criterion c[] = {{70, 50}, {70, 200}};
    int32_t h = -1;
    int bad = 99;
    char tiny[8];
    assert_int_equal(redemption_weighted_score(c, 2, &h, &bad, tiny, sizeof tiny), YQ_EINVAL);
    assert_int_equal(bad, 1);
    assert_true(strlen(tiny) < sizeof tiny);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_claim_up_to_the_untouched_voucher_is_accepted),
        cmocka_unit_test(test_remaining_is_amount_less_redeemed_less_open_claims),
        cmocka_unit_test(test_claim_one_fen_over_the_remaining_balance_conflicts_and_quotes_it),
        cmocka_unit_test(test_fully_used_voucher_takes_no_claim),
        cmocka_unit_test(test_claims_of_zero_or_less_are_invalid),
        cmocka_unit_test(test_negative_balances_are_invalid),
        cmocka_unit_test(test_redeemed_and_open_claims_above_the_amount_is_an_internal_error),
        cmocka_unit_test(test_claims_near_int64_max_do_not_overflow),
        cmocka_unit_test(test_five_percent_of_333_fen_is_16_65_rounded_up_to_17),
        cmocka_unit_test(test_exact_half_fen_rounds_up_and_below_half_rounds_down),
        cmocka_unit_test(test_share_deduction_matches_exact_rounding_for_many_claims),
        cmocka_unit_test(test_zero_and_full_share_deduct_nothing_and_everything),
        cmocka_unit_test(test_share_of_int64_max_never_exceeds_the_claim),
        cmocka_unit_test(test_amount_deduction_is_taken_as_given),
        cmocka_unit_test(test_amount_deduction_above_the_claim_or_negative_is_invalid),
        cmocka_unit_test(test_share_outside_0_to_10000_bp_is_invalid),
        cmocka_unit_test(test_deduction_needs_a_positive_claim_and_a_known_kind),
        cmocka_unit_test(test_deduction_kinds_have_names),
        cmocka_unit_test(test_approved_is_claim_less_deduction_less_adjustment_with_trace),
        cmocka_unit_test(test_approved_with_rounded_share_of_333_fen_is_316),
        cmocka_unit_test(test_no_deduction_and_no_adjustment_approves_the_whole_claim),
        cmocka_unit_test(test_amount_deduction_trace_records_no_bp),
        cmocka_unit_test(test_adjustment_down_to_exactly_zero_is_not_clamped),
        cmocka_unit_test(test_adjustment_beyond_what_is_left_clamps_to_zero_and_says_so),
        cmocka_unit_test(test_huge_adjustment_on_huge_claim_does_not_overflow),
        cmocka_unit_test(test_upward_adjustment_or_bad_deduction_is_refused_with_an_empty_trace),
        cmocka_unit_test(test_weighted_score_of_three_criteria_in_hundredths),
        cmocka_unit_test(test_weighted_score_keeps_fractions_of_a_point),
        cmocka_unit_test(test_weighted_score_runs_from_0_to_100_points),
        cmocka_unit_test(test_weighted_score_of_a_hundred_one_point_criteria),
        cmocka_unit_test(test_score_out_of_range_names_the_criterion),
        cmocka_unit_test(test_weight_out_of_range_names_the_criterion),
        cmocka_unit_test(test_weights_not_summing_to_100_are_refused_for_no_one_criterion),
        cmocka_unit_test(test_no_criteria_is_refused),
        cmocka_unit_test(test_range_errors_win_over_the_sum_and_messages_are_truncated_safely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
