/* Tests of src/core/award.c: normalisation, weighted score and the
 * largest-remainder allocation of the city award pool (考核与奖补). */
#include "test.h"

#include "core/award.h"
#include "core/status.h"

#include <stdio.h>
#include <string.h>

static int64_t sum(const int64_t *v, size_t n)
{
    int64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

static void test_shares_sum_exactly_to_the_pool(void **state)
{
    (void)state;
    const char *codes[] = {"370811", "370812", "370881"};
    int64_t w[] = {1, 1, 1}, out[3];
    assert_int_equal(award_largest_remainder(100, w, codes, 3, out), YQ_OK);
    assert_int_equal(sum(out, 3), 100);
    /* 33.33 each: the one fen left goes to the lowest code */
    assert_true(out[0] == 34 && out[1] == 33 && out[2] == 33);
}

static void test_largest_remainder_gets_the_fen_not_the_largest_share(void **state)
{
    (void)state;
    const char *codes[] = {"A", "B", "C"};
    /* 7 fen by 5 : 3 : 2 → quotas 3.5, 2.1, 1.4 → 3, 2, 1, and the fen left to A */
    int64_t w[] = {5, 3, 2}, out[3];
    assert_int_equal(award_largest_remainder(7, w, codes, 3, out), YQ_OK);
    assert_true(out[0] == 4 && out[1] == 2 && out[2] == 1);
    /* 9 fen: 4.5, 2.7, 1.8 → 4, 2, 1; remainders .5 .7 .8 → C then B */
    assert_int_equal(award_largest_remainder(9, w, codes, 3, out), YQ_OK);
    assert_true(out[0] == 4 && out[1] == 3 && out[2] == 2);
    assert_int_equal(sum(out, 3), 9);
}

static void test_ties_are_broken_by_county_code_not_by_position(void **state)
{
    (void)state;
    /* Listed out of order: the lower code wins the tie wherever it stands. */
    const char *codes[] = {"370883", "370811", "370831"};
    int64_t w[] = {1, 1, 1}, out[3];
    assert_int_equal(award_largest_remainder(2, w, codes, 3, out), YQ_OK);
    assert_true(out[0] == 0 && out[1] == 1 && out[2] == 1);
}

static void test_zero_score_county_gets_nothing(void **state)
{
    (void)state;
    const char *codes[] = {"A", "B", "C"};
    int64_t w[] = {0, 2, 1}, out[3];
    assert_int_equal(award_largest_remainder(1000, w, codes, 3, out), YQ_OK);
    /* 666.67, 333.33 → 667, 333: A, with nothing, gets no left-over fen */
    assert_true(out[0] == 0 && out[1] == 667 && out[2] == 333);
}

static void test_all_zero_scores_allocate_nothing(void **state)
{
    (void)state;
    const char *codes[] = {"A", "B"};
    int64_t w[] = {0, 0}, out[2] = {5, 5};
    assert_int_equal(award_largest_remainder(1000, w, codes, 2, out), YQ_ELIMIT);
    assert_true(out[0] == 0 && out[1] == 0);
}

static void test_a_single_county_takes_the_whole_pool(void **state)
{
    (void)state;
    const char *codes[] = {"370811"};
    int64_t w[] = {123457}, out[1];
    assert_int_equal(award_largest_remainder(99999999, w, codes, 1, out), YQ_OK);
    assert_int_equal(out[0], 99999999);
}

static void test_a_pool_of_one_fen_goes_to_one_county(void **state)
{
    (void)state;
    const char *codes[] = {"B", "A", "C"};
    int64_t w[] = {3, 3, 4}, out[3];
    assert_int_equal(award_largest_remainder(1, w, codes, 3, out), YQ_OK);
    /* quotas .3 .3 .4: the largest remainder, C */
    assert_true(out[0] == 0 && out[1] == 0 && out[2] == 1);
    int64_t eq[] = {1, 1, 1};
    assert_int_equal(award_largest_remainder(1, eq, codes, 3, out), YQ_OK);
    assert_true(out[0] == 0 && out[1] == 1 && out[2] == 0); /* tie: A */
}

static void test_a_pool_of_zero_gives_zero(void **state)
{
    (void)state;
    const char *codes[] = {"A", "B"};
    int64_t w[] = {1, 2}, out[2];
    assert_int_equal(award_largest_remainder(0, w, codes, 2, out), YQ_OK);
    assert_true(out[0] == 0 && out[1] == 0);
}

static void test_bad_input_is_refused(void **state)
{
    (void)state;
    const char *codes[] = {"A", "B"};
    int64_t w[] = {1, -1}, ok[] = {1, 1}, out[2];
    assert_int_equal(award_largest_remainder(10, w, codes, 2, out), YQ_EINVAL);
    assert_int_equal(award_largest_remainder(-1, ok, codes, 2, out), YQ_EINVAL);
    assert_int_equal(award_largest_remainder(AWARD_POOL_MAX + 1, ok, codes, 2, out), YQ_EINVAL);
    assert_int_equal(award_largest_remainder(10, ok, codes, 0, out), YQ_EINVAL);
}

static void test_the_largest_pool_and_scores_stay_exact(void **state)
{
    (void)state;
    /* 14 counties with the largest scores and the largest pool: no overflow. */
    const char *codes[14];
    char names[14][8];
    int64_t w[14], out[14];
    for (int i = 0; i < 14; i++) {
        snprintf(names[i], sizeof names[i], "C%02d", i);
        codes[i] = names[i];
        w[i] = 1000000 - i * 7;
    }
    assert_int_equal(award_largest_remainder(AWARD_POOL_MAX, w, codes, 14, out), YQ_OK);
    assert_true(sum(out, 14) == AWARD_POOL_MAX);
    for (int i = 1; i < 14; i++)
        assert_true(out[i] <= out[i - 1]);
}

static void test_rate_in_basis_points_is_floored_and_zero_without_a_base(void **state)
{
    (void)state;
    assert_int_equal(award_rate_bp(2, 3), 6666);
    assert_int_equal(award_rate_bp(75, 75), 10000);
    assert_int_equal(award_rate_bp(90, 75), 12000); /* over target is kept */
    assert_int_equal(award_rate_bp(5, 0), 0);
    assert_int_equal(award_rate_bp(0, 10), 0);
}

static void test_normalisation_divides_by_the_best_county(void **state)
{
    (void)state;
    struct award_county c[3] = {
        {"A", {5000, 100, 300000, 9000}, {0}, 0, 0},
        {"B", {10000, 400, 0, 6000}, {0}, 0, 0},
        {"C", {2500, 0, 100000, 0}, {0}, 0, 0},
    };
    award_normalise(c, 3);
    assert_int_equal(c[0].normalised[AWARD_COMPLETION], 5000);
    assert_int_equal(c[1].normalised[AWARD_COMPLETION], 10000);
    assert_int_equal(c[2].normalised[AWARD_COMPLETION], 2500);
    assert_int_equal(c[0].normalised[AWARD_PENETRATION], 2500);
    assert_int_equal(c[1].normalised[AWARD_PENETRATION], 10000);
    assert_int_equal(c[0].normalised[AWARD_DISBURSED], 10000);
    assert_int_equal(c[2].normalised[AWARD_DISBURSED], 3333);
    assert_int_equal(c[1].normalised[AWARD_DISBURSED], 0);
    assert_int_equal(c[0].normalised[AWARD_PERFORMANCE], 10000);
    assert_int_equal(c[1].normalised[AWARD_PERFORMANCE], 6666);
}

static void test_a_measure_nobody_reached_is_zero_for_all(void **state)
{
    (void)state;
    struct award_county c[2] = {{"A", {0, 0, 0, 5}, {0}, 0, 0}, {"B", {0, 0, 0, 5}, {0}, 0, 0}};
    award_normalise(c, 2);
    for (int m = 0; m < AWARD_PERFORMANCE; m++)
        assert_true(c[0].normalised[m] == 0 && c[1].normalised[m] == 0);
    assert_true(c[0].normalised[AWARD_PERFORMANCE] == 10000);
}

static void test_score_weights_must_sum_to_100(void **state)
{
    (void)state;
    struct award_county c[1] = {{"A", {1, 1, 1, 1}, {0}, 0, 0}};
    award_normalise(c, 1);
    int64_t bad[] = {50, 50, 10, 0}, neg[] = {110, -10, 0, 0}, ok[] = {40, 30, 20, 10};
    assert_int_equal(award_score(c, 1, bad), YQ_EINVAL);
    assert_int_equal(award_score(c, 1, neg), YQ_EINVAL);
    assert_int_equal(award_score(c, 1, ok), YQ_OK);
    assert_int_equal(c[0].score, 1000000);
}

static void test_allocate_scores_and_shares_a_pool(void **state)
{
    (void)state;
    /* Only the performance measure weighs: shares follow 90 : 60 : 0. */
    struct award_county c[3] = {
        {"370812", {0, 0, 0, 6000}, {0}, 0, 0},
        {"370811", {0, 0, 0, 9000}, {0}, 0, 0},
        {"370881", {0, 0, 0, 0}, {0}, 0, 0},
    };
    int64_t weight[] = {0, 0, 0, 100};
    assert_int_equal(award_allocate(c, 3, weight, 100001), YQ_OK);
    assert_int_equal(c[1].score, 1000000);
    assert_int_equal(c[0].score, 666600);
    /* quotas 60003.0004 and 39997.9996: the fen left over goes to 370812 */
    assert_int_equal(c[1].share_fen, 60003);
    assert_int_equal(c[0].share_fen, 39998);
    assert_int_equal(c[2].share_fen, 0);
}

static void test_measure_names(void **state)
{
    (void)state;
    assert_string_equal(award_measure_name(AWARD_COMPLETION), "completion");
    assert_string_equal(award_measure_name(AWARD_PERFORMANCE), "performance");
    assert_null(award_measure_name(AWARD_MEASURES));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shares_sum_exactly_to_the_pool),
        cmocka_unit_test(test_largest_remainder_gets_the_fen_not_the_largest_share),
        cmocka_unit_test(test_ties_are_broken_by_county_code_not_by_position),
        cmocka_unit_test(test_zero_score_county_gets_nothing),
        cmocka_unit_test(test_all_zero_scores_allocate_nothing),
        cmocka_unit_test(test_a_single_county_takes_the_whole_pool),
        cmocka_unit_test(test_a_pool_of_one_fen_goes_to_one_county),
        cmocka_unit_test(test_a_pool_of_zero_gives_zero),
        cmocka_unit_test(test_bad_input_is_refused),
        cmocka_unit_test(test_the_largest_pool_and_scores_stay_exact),
        cmocka_unit_test(test_rate_in_basis_points_is_floored_and_zero_without_a_base),
        cmocka_unit_test(test_normalisation_divides_by_the_best_county),
        cmocka_unit_test(test_a_measure_nobody_reached_is_zero_for_all),
        cmocka_unit_test(test_score_weights_must_sum_to_100),
        cmocka_unit_test(test_allocate_scores_and_shares_a_pool),
        cmocka_unit_test(test_measure_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
