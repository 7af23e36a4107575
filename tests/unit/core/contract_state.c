/* Tests of src/core/contract_state.c: every (state, event) pair of a
 * contract against a table, and the names of contract and waitlist states. */
#include "test.h"

#include "core/contract_state.h"

#include <string.h>

static void test_every_contract_move_against_the_table(void **state)
{
    (void)state;
    /* rows: draft, confirmed, cancelled, terminated; columns: confirm,
     * cancel, terminate; -1 = refused. */
    static const int expect[CONTRACT_STATE_COUNT][3] = {
        {CONTRACT_CONFIRMED, CONTRACT_CANCELLED, -1},
        {-1, -1, CONTRACT_TERMINATED},
        {-1, -1, -1},
        {-1, -1, -1},
    };
    const enum contract_event events[3] = {CONTRACT_CONFIRM, CONTRACT_CANCEL, CONTRACT_TERMINATE};
    for (int s = 0; s < CONTRACT_STATE_COUNT; s++)
        for (int e = 0; e < 3; e++)
            assert_int_equal(contract_next((enum contract_state)s, events[e]), expect[s][e]);
}

static void test_names_round_trip_and_unknown_is_refused(void **state)
{
    (void)state;
    for (int s = 0; s < CONTRACT_STATE_COUNT; s++)
        assert_int_equal(contract_state_parse(contract_state_name((enum contract_state)s)), s);
    for (int s = 0; s < WAITLIST_STATE_COUNT; s++)
        assert_int_equal(waitlist_state_parse(waitlist_state_name((enum waitlist_state)s)), s);
    assert_int_equal(contract_state_parse("signed"), -1);
    assert_int_equal(contract_state_parse(NULL), -1);
    assert_int_equal(waitlist_state_parse("Waiting"), -1);
    assert_string_equal(contract_state_label(CONTRACT_TERMINATED), "已终止（未履行）");
    assert_string_equal(waitlist_state_label(WAITLIST_CANCELLED), "已取消");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_contract_move_against_the_table),
        cmocka_unit_test(test_names_round_trip_and_unknown_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
