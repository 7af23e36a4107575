/* Tests of src/service/tx.c and the savepoints of src/store/db.c: a use
 * case commits whole or not at all, alone or nested in another
 * transaction, and a failure always comes back explained. */
#include "test.h"

#include "core/status.h"
#include "service/tx.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || db_exec(db, "CREATE TABLE t (n INTEGER CHECK (n >= 0))") != YQ_OK) return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static int64_t rows(struct db *db)
{
    struct db_stmt *st = db_query(db, "SELECT COUNT(*) FROM t", NULL);
    db_step(st);
    int64_t n = db_col_int64(st, 0);
    db_finalize(st);
    return n;
}

static int insert_then(struct db *db, void *ctx, struct problem *p)
{
    int rc = db_run(db, "INSERT INTO t VALUES (1)", NULL);
    if (rc != YQ_OK) return rc;
    const char *what = ctx;
    if (strcmp(what, "ok") == 0) return YQ_OK;
    if (strcmp(what, "refuse") == 0)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "状态不允许");
    if (strcmp(what, "violate") == 0) return db_run(db, "INSERT INTO t VALUES (-1)", NULL);
    return YQ_ERR; /* fails without saying why */
}

static void test_success_commits(void **state)
{
    struct problem p;
    assert_int_equal(service_tx(*state, insert_then, "ok", &p), YQ_OK);
    assert_false(db_in_transaction(*state));
    assert_true(rows(*state) == 1);
}

static void test_refusal_rolls_back_and_keeps_its_problem(void **state)
{
    struct problem p;
    assert_int_equal(service_tx(*state, insert_then, "refuse", &p), YQ_ECONFLICT);
    assert_string_equal(p.code, "invalid_state");
    assert_true(rows(*state) == 0);
}

static void test_unexplained_failure_becomes_a_database_error(void **state)
{
    struct problem p;
    int rc = service_tx(*state, insert_then, "silent", &p);
    assert_true(rc != YQ_OK);
    assert_int_equal(p.status, YQ_ERR); /* answered 500, never 200 */
    assert_string_equal(p.code, "internal");
    assert_true(rows(*state) == 0);
}

static void test_constraint_violation_rolls_back_everything(void **state)
{
    struct problem p;
    assert_true(service_tx(*state, insert_then, "violate", &p) != YQ_OK);
    assert_true(p.status != YQ_OK);
    assert_true(rows(*state) == 0);
}

static void test_nested_use_case_is_a_savepoint_of_the_outer_transaction(void **state)
{
    struct db *db = *state;
    struct problem p;
    assert_int_equal(db_begin(db, true), YQ_OK);
    assert_int_equal(service_tx(db, insert_then, "ok", &p), YQ_OK);
    assert_int_equal(service_tx(db, insert_then, "refuse", &p), YQ_ECONFLICT);
    assert_true(db_in_transaction(db)); /* the outer one is still open */
    assert_int_equal(db_depth(db), 1);
    assert_true(rows(db) == 1); /* the refused one left nothing */
    db_rollback(db);            /* the outer decides: nothing at all */
    assert_true(rows(db) == 0);
}

static void test_write_cannot_nest_in_a_read(void **state)
{
    struct db *db = *state;
    struct problem p;
    assert_int_equal(db_begin(db, false), YQ_OK);
    assert_true(service_tx(db, insert_then, "ok", &p) != YQ_OK);
    db_rollback(db);
    assert_true(rows(db) == 0);
}

/* Busy twice (a deadlock or a serialization failure found mid-way), then
 * through: ctx counts the runs. */
static int busy_twice(struct db *db, void *ctx, struct problem *p)
{
    int *runs = ctx;
    int rc = db_run(db, "INSERT INTO t VALUES (1)", NULL);
    if (rc != YQ_OK) return rc;
    if (++*runs <= 2) return problem_set(p, YQ_EBUSY, "busy", NULL, "系统繁忙，请稍后再试");
    return YQ_OK;
}

static void test_county_use_case_busy_mid_way_is_run_again(void **state)
{
    struct db *db = *state;
    struct problem p;
    int runs = 0;
    assert_int_equal(service_tx_county(db, "370811", busy_twice, &runs, &p), YQ_OK);
    assert_int_equal(runs, 3);
    assert_true(rows(db) == 1); /* the busy runs left nothing */
}

static void test_other_use_case_busy_mid_way_is_answered_busy(void **state)
{
    /* Not known to start afresh from its inputs: never run twice. */
    struct db *db = *state;
    struct problem p;
    int runs = 0;
    assert_int_equal(service_tx(db, busy_twice, &runs, &p), YQ_EBUSY);
    assert_int_equal(runs, 1);
    assert_string_equal(p.code, "busy");
    assert_true(rows(db) == 0);
}

static int count_runs(struct db *db, void *ctx, struct problem *p)
{
    (void)p;
    ++*(int *)ctx;
    return db_run(db, "INSERT INTO t VALUES (1)", NULL);
}

static void test_busy_begins_are_retried_a_bounded_number_of_times(void **state)
{
    /* YUNQUAN_FAULT=busy_begins:7 (set in main): 5 tries all busy, answered
     * busy; the next transaction is busy twice, then goes through. */
    struct db *db = *state;
    struct problem p;
    int runs = 0;
    assert_int_equal(service_tx(db, count_runs, &runs, &p), YQ_EBUSY);
    assert_string_equal(p.code, "busy");
    assert_int_equal(runs, 0);
    assert_int_equal(service_tx(db, count_runs, &runs, &p), YQ_OK);
    assert_int_equal(runs, 1);
    assert_true(rows(db) == 1);
}

static void test_scope_is_checked_under_the_lock(void **state)
{
    struct db *db = *state;
    struct problem p;
    assert_int_equal(db_begin_scoped(db, "370811"), YQ_OK);
    assert_string_equal(db_scope(db), "370811");
    assert_int_equal(service_out_of_scope(db, "370811", &p), YQ_OK);
    assert_int_equal(service_out_of_scope(db, "370883", &p), YQ_EBUSY);
    assert_string_equal(p.code, "out_of_scope");
    db_rollback(db);
    assert_int_equal(db_begin(db, true), YQ_OK);
    assert_null(db_scope(db)); /* the whole database: every county */
    assert_int_equal(service_out_of_scope(db, "370883", &p), YQ_OK);
    db_rollback(db);
}

/* Touches county 370883 whatever scope it was given. */
static int touches_370883(struct db *db, void *ctx, struct problem *p)
{
    ++*(int *)ctx;
    if (service_out_of_scope(db, "370883", p) != YQ_OK) return p->status;
    return db_run(db, "INSERT INTO t VALUES (1)", NULL);
}

static void test_out_of_scope_runs_again_holding_the_whole_database(void **state)
{
    struct db *db = *state;
    struct problem p;
    int runs = 0;
    assert_int_equal(service_tx_county(db, "370811", touches_370883, &runs, &p), YQ_OK);
    assert_int_equal(runs, 2);
    assert_true(rows(db) == 1);
}

int main(void)
{
    setenv("YUNQUAN_FAULT", "busy_begins:7", 1);
    const struct CMUnitTest tests[] = {
        /* first: the fault is counted from the process's first transaction */
        cmocka_unit_test_setup_teardown(test_busy_begins_are_retried_a_bounded_number_of_times,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_success_commits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusal_rolls_back_and_keeps_its_problem, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unexplained_failure_becomes_a_database_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_constraint_violation_rolls_back_everything, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_nested_use_case_is_a_savepoint_of_the_outer_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_cannot_nest_in_a_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_county_use_case_busy_mid_way_is_run_again, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_other_use_case_busy_mid_way_is_answered_busy, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_scope_is_checked_under_the_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_scope_runs_again_holding_the_whole_database,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
