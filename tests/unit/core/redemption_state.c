/* Tests of src/core/redemption_state.c: every (state, event) pair against
 * the table below, then the paths people take, names and labels. */
#include "test.h"

#include "core/redemption_state.h"
#include "core/status.h"

#include <stdbool.h>

#define __ REDEMPTION_INVALID
#define SUBM REDEMPTION_SUBMITTED
#define EVAL REDEMPTION_EVALUATED
#define RETD REDEMPTION_RETURNED
#define APPR REDEMPTION_APPROVED
#define REJD REDEMPTION_REJECTED
#define WDRN REDEMPTION_WITHDRAWN
#define INNO REDEMPTION_IN_NOTICE
#define NOTD REDEMPTION_NOTICED
#define PAID REDEMPTION_PAID

/* expected[from][event], rows and columns in enum order; __ = refused. */
/* clang-format off */
static const enum redemption_state expected[REDEMPTION_INVALID][REDEMPTION_NEVENTS] = {
/*   subm  wdrw  eval  appr  rej   ret   resub nopen objup nclos pay   disq */
    {SUBM, WDRN, __,   __,   __,   __,   __,   __,   __,   __,   __,   REJD}, /* draft */
    {__,   WDRN, EVAL, __,   __,   __,   __,   __,   __,   __,   __,   REJD}, /* submitted */
    {__,   __,   __,   APPR, REJD, RETD, __,   __,   __,   __,   __,   REJD}, /* evaluated */
    {__,   __,   __,   __,   __,   __,   SUBM, __,   __,   __,   __,   REJD}, /* returned */
    {__,   __,   __,   __,   __,   __,   __,   INNO, __,   __,   __,   REJD}, /* approved */
    {__,   __,   __,   __,   __,   __,   __,   __,   __,   __,   __,   __},   /* rejected */
    {__,   __,   __,   __,   __,   __,   __,   __,   __,   __,   __,   __},   /* withdrawn */
    {__,   __,   __,   __,   __,   __,   __,   __,   EVAL, NOTD, __,   REJD}, /* in_notice */
    {__,   __,   __,   __,   __,   __,   __,   __,   __,   __,   PAID, REJD}, /* noticed */
    {__,   __,   __,   __,   __,   __,   __,   __,   __,   __,   __,   __},   /* paid */
};
/* clang-format on */

static void test_every_state_and_event_pair_follows_the_table(void **state)
{
    (void)state;
    int allowed = 0;
    for (int s = 0; s < REDEMPTION_INVALID; s++) {
        for (int e = 0; e < REDEMPTION_NEVENTS; e++) {
            enum redemption_state got =
                redemption_next((enum redemption_state)s, (enum redemption_event)e);
            if (got != expected[s][e])
                fail_msg(
                    "%s + %s → %s, expected %s", redemption_state_name(s), redemption_event_name(e),
                    got == __ ? "(refused)" : redemption_state_name(got),
                    expected[s][e] == __ ? "(refused)" : redemption_state_name(expected[s][e]));
            allowed += got != __;
        }
    }
    /* 10 states × 12 events, of which 19 moves are allowed. */
    assert_int_equal(allowed, 19);
}

static void test_out_of_range_states_and_events_are_refused(void **state)
{
    (void)state;
    for (int e = 0; e < REDEMPTION_NEVENTS; e++) {
        assert_int_equal(redemption_next(REDEMPTION_INVALID, (enum redemption_event)e), __);
        assert_int_equal(redemption_next((enum redemption_state) - 1, (enum redemption_event)e),
                         __);
        assert_int_equal(redemption_next((enum redemption_state)99, (enum redemption_event)e), __);
    }
    for (int s = 0; s < REDEMPTION_INVALID; s++) {
        assert_int_equal(redemption_next((enum redemption_state)s, REDEMPTION_NEVENTS), __);
        assert_int_equal(redemption_next((enum redemption_state)s, (enum redemption_event) - 1),
                         __);
        assert_int_equal(redemption_next((enum redemption_state)s, (enum redemption_event)99), __);
    }
}

static enum redemption_state run(enum redemption_state s, const enum redemption_event *ev, size_t n)
{
    for (size_t i = 0; i < n && s != __; i++)
        s = redemption_next(s, ev[i]);
    return s;
}

static void test_application_goes_from_draft_to_paid(void **state)
{
    (void)state;
    static const enum redemption_event path[] = {
        REDEMPTION_EV_SUBMIT,      REDEMPTION_EV_EVALUATE,     REDEMPTION_EV_APPROVE,
        REDEMPTION_EV_NOTICE_OPEN, REDEMPTION_EV_NOTICE_CLOSE, REDEMPTION_EV_PAY,
    };
    assert_int_equal(run(REDEMPTION_DRAFT, path, 6), PAID);
}

static void test_returned_application_is_resubmitted_and_evaluated_again(void **state)
{
    (void)state;
    static const enum redemption_event path[] = {
        REDEMPTION_EV_SUBMIT,   REDEMPTION_EV_EVALUATE, REDEMPTION_EV_RETURN,
        REDEMPTION_EV_RESUBMIT, REDEMPTION_EV_EVALUATE, REDEMPTION_EV_APPROVE,
    };
    assert_int_equal(run(REDEMPTION_DRAFT, path, 6), APPR);
    /* Returned is not a draft: it goes back with resubmit, not submit. */
    assert_int_equal(redemption_next(RETD, REDEMPTION_EV_SUBMIT), __);
    assert_int_equal(redemption_next(REDEMPTION_DRAFT, REDEMPTION_EV_RESUBMIT), __);
}

static void test_upheld_objection_takes_the_item_back_to_review(void **state)
{
    (void)state;
    assert_int_equal(redemption_next(INNO, REDEMPTION_EV_OBJECTION_UPHELD), EVAL);
    /* …where the reviewer may reject it, return it, or approve it again
     * for a new notice. */
    assert_int_equal(redemption_next(EVAL, REDEMPTION_EV_REJECT), REJD);
    static const enum redemption_event again[] = {
        REDEMPTION_EV_OBJECTION_UPHELD, REDEMPTION_EV_APPROVE, REDEMPTION_EV_NOTICE_OPEN,
        REDEMPTION_EV_NOTICE_CLOSE,     REDEMPTION_EV_PAY,
    };
    assert_int_equal(run(INNO, again, 5), PAID);
}

static void test_withdrawal_only_before_evaluation(void **state)
{
    (void)state;
    assert_int_equal(redemption_next(REDEMPTION_DRAFT, REDEMPTION_EV_WITHDRAW), WDRN);
    assert_int_equal(redemption_next(SUBM, REDEMPTION_EV_WITHDRAW), WDRN);
    static const enum redemption_state later[] = {EVAL, RETD, APPR, INNO, NOTD, PAID, REJD, WDRN};
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++)
        assert_int_equal(redemption_next(later[i], REDEMPTION_EV_WITHDRAW), __);
}

static void test_no_approval_or_payment_skips_a_step(void **state)
{
    (void)state;
    assert_int_equal(redemption_next(SUBM, REDEMPTION_EV_APPROVE), __);     /* not evaluated */
    assert_int_equal(redemption_next(APPR, REDEMPTION_EV_PAY), __);         /* not noticed */
    assert_int_equal(redemption_next(INNO, REDEMPTION_EV_PAY), __);         /* notice open */
    assert_int_equal(redemption_next(EVAL, REDEMPTION_EV_NOTICE_OPEN), __); /* not approved */
    assert_int_equal(redemption_next(APPR, REDEMPTION_EV_NOTICE_CLOSE), __);
    assert_int_equal(redemption_next(NOTD, REDEMPTION_EV_OBJECTION_UPHELD), __); /* closed */
    assert_int_equal(redemption_next(EVAL, REDEMPTION_EV_EVALUATE), __);
}

static void test_final_states_accept_nothing(void **state)
{
    (void)state;
    static const enum redemption_state final[] = {REJD, WDRN, PAID};
    for (size_t i = 0; i < 3; i++) {
        assert_false(redemption_state_open(final[i]));
        for (int e = 0; e < REDEMPTION_NEVENTS; e++)
            assert_int_equal(redemption_next(final[i], (enum redemption_event)e), __);
    }
}

static void test_disqualification_rejects_every_open_application(void **state)
{
    (void)state;
    for (int s = 0; s < REDEMPTION_INVALID; s++) {
        enum redemption_state got =
            redemption_next((enum redemption_state)s, REDEMPTION_EV_DISQUALIFY);
        assert_int_equal(got, redemption_state_open((enum redemption_state)s) ? REJD : __);
    }
    assert_true(redemption_state_open(REDEMPTION_DRAFT));
    assert_true(redemption_state_open(NOTD));
    assert_false(redemption_state_open(REDEMPTION_INVALID));
    assert_false(redemption_state_open((enum redemption_state) - 1));
}

static void test_state_names_round_trip_and_have_chinese_labels(void **state)
{
    (void)state;
    static const char *const names[] = {"draft",    "submitted", "evaluated", "returned",
                                        "approved", "rejected",  "withdrawn", "in_notice",
                                        "noticed",  "paid"};
    static const char *const labels[] = {"草稿",   "已提交", "已评价", "退回修改", "已批准",
                                         "已驳回", "已撤回", "公示中", "公示期满", "已兑付"};
    for (int s = 0; s < REDEMPTION_INVALID; s++) {
        enum redemption_state back = __;
        assert_string_equal(redemption_state_name((enum redemption_state)s), names[s]);
        assert_string_equal(redemption_state_label_zh((enum redemption_state)s), labels[s]);
        assert_int_equal(redemption_state_parse(names[s], &back), YQ_OK);
        assert_int_equal(back, s);
    }
    assert_string_equal(redemption_state_name(REDEMPTION_INVALID), "");
    assert_string_equal(redemption_state_label_zh((enum redemption_state) - 1), "");
}

static void test_unknown_state_text_is_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {"",       "Draft",     "DRAFT",     " draft",
                                      "draft ", "in notice", "in-notice", "pay",
                                      "草稿",   "issued",    "notice",    "submitted\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum redemption_state out = APPR;
        assert_int_equal(redemption_state_parse(bad[i], &out), YQ_EINVAL);
        assert_int_equal(out, APPR);
    }
    enum redemption_state out = APPR;
    assert_int_equal(redemption_state_parse(NULL, &out), YQ_EINVAL);
    assert_int_equal(out, APPR);
}

static void test_event_names(void **state)
{
    (void)state;
    static const char *const names[] = {
        "submit",   "withdraw",    "evaluate",         "approve",      "reject", "return",
        "resubmit", "notice_open", "objection_upheld", "notice_close", "pay",    "disqualify",
    };
    for (int e = 0; e < REDEMPTION_NEVENTS; e++)
        assert_string_equal(redemption_event_name((enum redemption_event)e), names[e]);
    assert_string_equal(redemption_event_name(REDEMPTION_NEVENTS), "");
    assert_string_equal(redemption_event_name((enum redemption_event) - 1), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_state_and_event_pair_follows_the_table),
        cmocka_unit_test(test_out_of_range_states_and_events_are_refused),
        cmocka_unit_test(test_application_goes_from_draft_to_paid),
        cmocka_unit_test(test_returned_application_is_resubmitted_and_evaluated_again),
        cmocka_unit_test(test_upheld_objection_takes_the_item_back_to_review),
        cmocka_unit_test(test_withdrawal_only_before_evaluation),
        cmocka_unit_test(test_no_approval_or_payment_skips_a_step),
        cmocka_unit_test(test_final_states_accept_nothing),
        cmocka_unit_test(test_disqualification_rejects_every_open_application),
        cmocka_unit_test(test_state_names_round_trip_and_have_chinese_labels),
        cmocka_unit_test(test_unknown_state_text_is_refused),
        cmocka_unit_test(test_event_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
