/* Tests of src/core/voucher_state.c: every (state, event) pair against the
 * table below, then the paths a voucher takes, names and labels. */
#include "test.h"

#include "core/status.h"
#include "core/voucher_state.h"

#define __ VOUCHER_STATE_INVALID
#define ISSD VOUCHER_ISSUED
#define PART VOUCHER_PARTIALLY_REDEEMED
#define REDD VOUCHER_REDEEMED
#define TERM VOUCHER_TERMINATED
#define EXPD VOUCHER_EXPIRED

/* expected[from][event], rows and columns in enum order; __ = refused. */
/* clang-format off */
static const enum voucher_state expected[VOUCHER_STATE_INVALID][VOUCHER_NEVENTS] = {
/*   part  all   term  exp   cb_s  cb_a */
    {PART, REDD, TERM, EXPD, __,   __},   /* issued */
    {PART, REDD, TERM, EXPD, PART, ISSD}, /* partially_redeemed */
    {__,   __,   __,   __,   PART, ISSD}, /* redeemed */
    {__,   __,   __,   __,   __,   __},   /* terminated */
    {__,   __,   __,   __,   __,   __},   /* expired */
};
/* clang-format on */

static void test_every_state_and_event_pair_follows_the_table(void **state)
{
    (void)state;
    int allowed = 0;
    for (int s = 0; s < VOUCHER_STATE_INVALID; s++) {
        for (int e = 0; e < VOUCHER_NEVENTS; e++) {
            enum voucher_state got = voucher_next((enum voucher_state)s, (enum voucher_event)e);
            if (got != expected[s][e])
                fail_msg("%s + %s → %s, expected %s", voucher_state_name(s), voucher_event_name(e),
                         got == __ ? "(refused)" : voucher_state_name(got),
                         expected[s][e] == __ ? "(refused)" : voucher_state_name(expected[s][e]));
            allowed += got != __;
        }
    }
    /* 5 states × 6 events, of which 12 moves are allowed. */
    assert_int_equal(allowed, 12);
}

static void test_out_of_range_states_and_events_are_refused(void **state)
{
    (void)state;
    for (int e = 0; e < VOUCHER_NEVENTS; e++) {
        assert_int_equal(voucher_next(VOUCHER_STATE_INVALID, (enum voucher_event)e), __);
        assert_int_equal(voucher_next((enum voucher_state) - 1, (enum voucher_event)e), __);
        assert_int_equal(voucher_next((enum voucher_state)42, (enum voucher_event)e), __);
    }
    for (int s = 0; s < VOUCHER_STATE_INVALID; s++) {
        assert_int_equal(voucher_next((enum voucher_state)s, VOUCHER_NEVENTS), __);
        assert_int_equal(voucher_next((enum voucher_state)s, (enum voucher_event) - 1), __);
        assert_int_equal(voucher_next((enum voucher_state)s, (enum voucher_event)42), __);
    }
}

static void test_voucher_is_redeemed_in_parts_then_in_full(void **state)
{
    (void)state;
    enum voucher_state s = voucher_next(ISSD, VOUCHER_EV_REDEEM_PART);
    assert_int_equal(s, PART);
    s = voucher_next(s, VOUCHER_EV_REDEEM_PART); /* 2019H2 after 2019H1 */
    assert_int_equal(s, PART);
    s = voucher_next(s, VOUCHER_EV_REDEEM_ALL);
    assert_int_equal(s, REDD);
    assert_int_equal(voucher_next(s, VOUCHER_EV_REDEEM_PART), __);
    assert_int_equal(voucher_next(s, VOUCHER_EV_REDEEM_ALL), __);
}

static void test_voucher_may_be_redeemed_in_full_at_once(void **state)
{
    (void)state;
    assert_int_equal(voucher_next(ISSD, VOUCHER_EV_REDEEM_ALL), REDD);
}

static void test_only_live_vouchers_are_terminated(void **state)
{
    (void)state;
    assert_int_equal(voucher_next(ISSD, VOUCHER_EV_TERMINATE), TERM);
    assert_int_equal(voucher_next(PART, VOUCHER_EV_TERMINATE), TERM);
    assert_int_equal(voucher_next(REDD, VOUCHER_EV_TERMINATE), __); /* nothing left to release */
    assert_int_equal(voucher_next(TERM, VOUCHER_EV_TERMINATE), __);
    assert_int_equal(voucher_next(EXPD, VOUCHER_EV_TERMINATE), __);
}

static void test_only_an_untouched_voucher_expires(void **state)
{
    (void)state;
    assert_int_equal(voucher_next(ISSD, VOUCHER_EV_EXPIRE), EXPD);
    assert_int_equal(voucher_next(PART, VOUCHER_EV_EXPIRE), EXPD);
    assert_int_equal(voucher_next(REDD, VOUCHER_EV_EXPIRE), __);
    assert_int_equal(voucher_next(TERM, VOUCHER_EV_EXPIRE), __);
    assert_int_equal(voucher_next(EXPD, VOUCHER_EV_EXPIRE), __);
}

static void test_clawback_returns_to_partial_or_to_issued(void **state)
{
    (void)state;
    assert_int_equal(voucher_next(REDD, VOUCHER_EV_CLAWBACK_SOME), PART);
    assert_int_equal(voucher_next(REDD, VOUCHER_EV_CLAWBACK_ALL), ISSD);
    assert_int_equal(voucher_next(PART, VOUCHER_EV_CLAWBACK_SOME), PART);
    assert_int_equal(voucher_next(PART, VOUCHER_EV_CLAWBACK_ALL), ISSD);
    /* Nothing redeemed, nothing to claw back. */
    assert_int_equal(voucher_next(ISSD, VOUCHER_EV_CLAWBACK_SOME), __);
    assert_int_equal(voucher_next(ISSD, VOUCHER_EV_CLAWBACK_ALL), __);
    /* A voucher clawed back in full may then expire like a new one. */
    assert_int_equal(voucher_next(voucher_next(REDD, VOUCHER_EV_CLAWBACK_ALL), VOUCHER_EV_EXPIRE),
                     EXPD);
}

static void test_terminated_and_expired_are_final(void **state)
{
    (void)state;
    for (int e = 0; e < VOUCHER_NEVENTS; e++) {
        assert_int_equal(voucher_next(TERM, (enum voucher_event)e), __);
        assert_int_equal(voucher_next(EXPD, (enum voucher_event)e), __);
    }
}

static void test_live_means_issued_or_partially_redeemed(void **state)
{
    (void)state;
    assert_true(voucher_state_live(ISSD));
    assert_true(voucher_state_live(PART));
    assert_false(voucher_state_live(REDD));
    assert_false(voucher_state_live(TERM));
    assert_false(voucher_state_live(EXPD));
    assert_false(voucher_state_live(VOUCHER_STATE_INVALID));
}

static void test_state_names_round_trip_and_have_chinese_labels(void **state)
{
    (void)state;
    static const char *const names[] = {"issued", "partially_redeemed", "redeemed", "terminated",
                                        "expired"};
    static const char *const labels[] = {"已发放", "部分兑现", "已兑现", "已终止", "已过期"};
    for (int s = 0; s < VOUCHER_STATE_INVALID; s++) {
        enum voucher_state back = __;
        assert_string_equal(voucher_state_name((enum voucher_state)s), names[s]);
        assert_string_equal(voucher_state_label_zh((enum voucher_state)s), labels[s]);
        assert_int_equal(voucher_state_parse(names[s], &back), YQ_OK);
        assert_int_equal(back, s);
    }
    assert_string_equal(voucher_state_name(VOUCHER_STATE_INVALID), "");
    assert_string_equal(voucher_state_label_zh((enum voucher_state) - 1), "");
}

static void test_unknown_state_text_is_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",       "Issued", "ISSUED",  " issued", "issued ",  "partial", "partially-redeemed",
        "已发放", "redeem", "waiting", "served",  "cancelled"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum voucher_state out = REDD;
        assert_int_equal(voucher_state_parse(bad[i], &out), YQ_EINVAL);
        assert_int_equal(out, REDD);
    }
    enum voucher_state out = REDD;
    assert_int_equal(voucher_state_parse(NULL, &out), YQ_EINVAL);
    assert_int_equal(out, REDD);
}

static void test_event_names(void **state)
{
    (void)state;
    static const char *const names[] = {"redeem_part", "redeem_all",    "terminate",
                                        "expire",      "clawback_some", "clawback_all"};
    for (int e = 0; e < VOUCHER_NEVENTS; e++)
        assert_string_equal(voucher_event_name((enum voucher_event)e), names[e]);
    assert_string_equal(voucher_event_name(VOUCHER_NEVENTS), "");
    assert_string_equal(voucher_event_name((enum voucher_event) - 1), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_state_and_event_pair_follows_the_table),
        cmocka_unit_test(test_out_of_range_states_and_events_are_refused),
        cmocka_unit_test(test_voucher_is_redeemed_in_parts_then_in_full),
        cmocka_unit_test(test_voucher_may_be_redeemed_in_full_at_once),
        cmocka_unit_test(test_only_live_vouchers_are_terminated),
        cmocka_unit_test(test_only_an_untouched_voucher_expires),
        cmocka_unit_test(test_clawback_returns_to_partial_or_to_issued),
        cmocka_unit_test(test_terminated_and_expired_are_final),
        cmocka_unit_test(test_live_means_issued_or_partially_redeemed),
        cmocka_unit_test(test_state_names_round_trip_and_have_chinese_labels),
        cmocka_unit_test(test_unknown_state_text_is_refused),
        cmocka_unit_test(test_event_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
