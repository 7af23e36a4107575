/* Tests of src/store/business_no.c: the next business number follows the
 * highest of its county and month (or year), also past 999, and is not
 * confused by numbers of another county, month or year. */
#include "test.h"

#include "core/status.h"
#include "store/business_no.h"
#include "store/db.h"

#include <string.h>

/* 2019-03-15 12:00 China time, in ms */
#define MARCH_2019 1552622400000LL

static int setup(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || db_exec(db, "CREATE TABLE payouts (batch_no TEXT UNIQUE);"
                           "CREATE TABLE notices (notice_no TEXT UNIQUE)") != YQ_OK)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static void add_batch(struct db *db, const char *no)
{
    assert_int_equal(db_run(db, "INSERT INTO payouts VALUES (?)", "t", no), YQ_OK);
}

static void test_first_batch_of_a_month_is_001(void **state)
{
    char no[BUSINESS_NO_LEN];
    add_batch(*state, "ZF-370811-201902-007"); /* another month */
    add_batch(*state, "ZF-370812-201903-004"); /* another county */
    assert_int_equal(payout_batch_no(*state, "370811", MARCH_2019, no), YQ_OK);
    assert_string_equal(no, "ZF-370811-201903-001");
}

static void test_next_batch_follows_the_highest(void **state)
{
    char no[BUSINESS_NO_LEN];
    add_batch(*state, "ZF-370811-201903-001");
    add_batch(*state, "ZF-370811-201903-003"); /* a gap is not refilled */
    assert_int_equal(payout_batch_no(*state, "370811", MARCH_2019, no), YQ_OK);
    assert_string_equal(no, "ZF-370811-201903-004");
}

static void test_thousandth_batch_sorts_above_999(void **state)
{
    char no[BUSINESS_NO_LEN];
    add_batch(*state, "ZF-370811-201903-999");
    assert_int_equal(payout_batch_no(*state, "370811", MARCH_2019, no), YQ_OK);
    assert_string_equal(no, "ZF-370811-201903-1000");
    add_batch(*state, no);
    assert_int_equal(payout_batch_no(*state, "370811", MARCH_2019, no), YQ_OK);
    assert_string_equal(no, "ZF-370811-201903-1001");
}

static void test_notice_numbers_count_per_year(void **state)
{
    char no[BUSINESS_NO_LEN];
    assert_int_equal(db_run(*state, "INSERT INTO notices VALUES ('GS-2019-0002'), ('GS-2020-0009')",
                            NULL),
                     YQ_OK);
    assert_int_equal(notice_no_next(*state, "2019-07-01", no), YQ_OK);
    assert_string_equal(no, "GS-2019-0003");
    assert_int_equal(notice_no_next(*state, "2021-01-04", no), YQ_OK);
    assert_string_equal(no, "GS-2021-0001");
}

static void test_failed_read_is_an_error(void **state)
{
    char no[BUSINESS_NO_LEN];
    assert_int_equal(db_exec(*state, "DROP TABLE payouts"), YQ_OK);
    assert_int_not_equal(payout_batch_no(*state, "370811", MARCH_2019, no), YQ_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_batch_of_a_month_is_001, setup, teardown),
        cmocka_unit_test_setup_teardown(test_next_batch_follows_the_highest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_thousandth_batch_sorts_above_999, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notice_numbers_count_per_year, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_read_is_an_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
