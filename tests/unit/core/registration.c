/* Tests of src/core/registration.c: who may move where. */
#include "test.h"

#include "core/registration.h"

static void test_review_path(void **state)
{
    (void)state;
    assert_int_equal(reg_next(REG_DRAFT, REG_SUBMIT), REG_SUBMITTED);
    assert_int_equal(reg_next(REG_SUBMITTED, REG_APPROVE), REG_APPROVED);
    assert_int_equal(reg_next(REG_SUBMITTED, REG_REJECT), REG_REJECTED);
    /* SPEC §3: rejected (with reason) → resubmitted, reviewed like a submission */
    assert_int_equal(reg_next(REG_REJECTED, REG_SUBMIT), REG_RESUBMITTED);
    assert_int_equal(reg_next(REG_RESUBMITTED, REG_APPROVE), REG_APPROVED);
    assert_int_equal(reg_next(REG_RESUBMITTED, REG_REJECT), REG_REJECTED);
    assert_int_equal(reg_next(REG_RESUBMITTED, REG_SUBMIT), REG_NONE);
    assert_true(reg_awaiting_review(REG_SUBMITTED) && reg_awaiting_review(REG_RESUBMITTED));
    /* a provider's flow has no "resubmitted" (SPEC §3) */
    assert_int_equal(reg_next_provider(REG_REJECTED, REG_SUBMIT), REG_SUBMITTED);
    assert_int_equal(reg_next_provider(REG_SUBMITTED, REG_APPROVE), REG_APPROVED);
    assert_int_equal(reg_next_provider(REG_APPROVED, REG_SUBMIT), REG_NONE);
    assert_false(reg_awaiting_review(REG_REJECTED) || reg_awaiting_review(REG_DRAFT));
}

static void test_no_approval_without_submission(void **state)
{
    (void)state;
    assert_int_equal(reg_next(REG_DRAFT, REG_APPROVE), REG_NONE);
    assert_int_equal(reg_next(REG_REJECTED, REG_APPROVE), REG_NONE);
    assert_int_equal(reg_next(REG_APPROVED, REG_APPROVE), REG_NONE);
    assert_int_equal(reg_next(REG_APPROVED, REG_REJECT), REG_NONE);
    assert_int_equal(reg_next(REG_APPROVED, REG_SUBMIT), REG_NONE);
    assert_int_equal(reg_next(REG_SUBMITTED, REG_SUBMIT), REG_NONE);
}

static void test_disqualification_and_reinstatement(void **state)
{
    (void)state;
    for (int s = REG_DRAFT; s < REG_NONE; s++)
        if (s != REG_DISQUALIFIED)
            assert_int_equal(reg_next((enum reg_state)s, REG_DISQUALIFY), REG_DISQUALIFIED);
    assert_int_equal(reg_next(REG_DISQUALIFIED, REG_DISQUALIFY), REG_NONE);
    assert_int_equal(reg_next(REG_DISQUALIFIED, REG_REINSTATE), REG_SUBMITTED);
    assert_int_equal(reg_next(REG_APPROVED, REG_REINSTATE), REG_NONE);
    assert_int_equal(reg_next(REG_DISQUALIFIED, REG_SUBMIT), REG_NONE);
}

static void test_only_drafts_and_rejections_are_editable(void **state)
{
    (void)state;
    assert_true(reg_editable(REG_DRAFT));
    assert_true(reg_editable(REG_REJECTED));
    assert_false(reg_editable(REG_SUBMITTED));
    assert_false(reg_editable(REG_RESUBMITTED));
    assert_false(reg_editable(REG_APPROVED));
    assert_false(reg_editable(REG_DISQUALIFIED));
}

static void test_codes_round_trip(void **state)
{
    (void)state;
    for (int s = REG_DRAFT; s < REG_NONE; s++)
        assert_int_equal(reg_parse(reg_code((enum reg_state)s)), s);
    assert_int_equal(reg_parse("approve"), REG_NONE);
    assert_int_equal(reg_parse(NULL), REG_NONE);
    assert_string_equal(reg_name_zh(REG_APPROVED), "已通过");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_review_path),
        cmocka_unit_test(test_no_approval_without_submission),
        cmocka_unit_test(test_disqualification_and_reinstatement),
        cmocka_unit_test(test_only_drafts_and_rejections_are_editable),
        cmocka_unit_test(test_codes_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
