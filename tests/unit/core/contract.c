/* Tests of src/core/contract.c: the subsidy base counts catalog lines only. */
#include "test.h"

#include "core/contract.h"
#include "core/policy.h"

static void test_base_counts_only_catalog_lines(void **state)
{
    (void)state;
    struct contract_line_calc lines[] = {
        {true, 12, 25500, 0},   /* cloud server, 12 months */
        {false, 1, 200000, 0},  /* implementation service: not subsidised */
        {true, 1, 150000, 0},   /* object storage, one year */
    };
    int64_t total, base;
    assert_true(contract_totals(lines, 3, &total, &base));
    assert_true(lines[0].amount_fen == 306000);
    assert_true(total == 656000);
    assert_true(base == 456000);
}

static void test_contract_without_catalog_lines_has_zero_base(void **state)
{
    (void)state;
    struct contract_line_calc lines[] = {{false, 3, 100000, 0}};
    int64_t total, base;
    assert_true(contract_totals(lines, 1, &total, &base));
    assert_true(total == 300000 && base == 0);
    /* … and a zero base gives a zero voucher: no voucher is issued. */
    struct policy p = {.base_ratio_bp = 3000, .taper_bp_per_year = 500, .first_year = 2018,
                       .last_year = 2020, .cap_fen = 5000000, .cert_bonus_bp = 2000};
    struct voucher_calc c;
    assert_int_equal(policy_voucher_amount(&p, base, 2019, false, &c), 0);
    assert_true(c.amount_fen == 0);
}

static void test_voucher_from_a_contract_uses_the_issue_year_ratio(void **state)
{
    (void)state;
    struct contract_line_calc lines[] = {{true, 10, 33333, 0}, {false, 1, 999999, 0}};
    int64_t total, base;
    assert_true(contract_totals(lines, 2, &total, &base));
    struct policy p = {.base_ratio_bp = 3000, .taper_bp_per_year = 500, .first_year = 2018,
                       .last_year = 2020, .cap_fen = 5000000, .cert_bonus_bp = 2000};
    struct voucher_calc c;
    /* 333,330 fen × 20% in 2020 = 66,666 fen exactly; × 25% in 2019 =
     * 83,332.5 → floored to 83,332. */
    assert_int_equal(policy_voucher_amount(&p, base, 2020, false, &c), 0);
    assert_true(c.amount_fen == 66666);
    assert_int_equal(policy_voucher_amount(&p, base, 2019, false, &c), 0);
    assert_true(c.amount_fen == 83332);
}

static void test_overflow_and_negative_values_are_refused(void **state)
{
    (void)state;
    int64_t total, base;
    struct contract_line_calc big[] = {{true, INT64_MAX / 2, 3, 0}};
    assert_false(contract_totals(big, 1, &total, &base));
    struct contract_line_calc sum[] = {{true, 1, INT64_MAX, 0}, {false, 1, 1, 0}};
    assert_false(contract_totals(sum, 2, &total, &base));
    struct contract_line_calc neg[] = {{true, -1, 100, 0}};
    assert_false(contract_totals(neg, 1, &total, &base));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_counts_only_catalog_lines),
        cmocka_unit_test(test_contract_without_catalog_lines_has_zero_base),
        cmocka_unit_test(test_voucher_from_a_contract_uses_the_issue_year_ratio),
        cmocka_unit_test(test_overflow_and_negative_values_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
