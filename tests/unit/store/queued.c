/* Tests of db_run_queued where nothing is queued (SQLite, and PostgreSQL
 * outside a writing transaction or inside a savepoint): the write runs at
 * once and a changed-row count other than the expected one is a conflict;
 * and of which statements the PostgreSQL driver prepares once per
 * connection (db_pg_prepared.c). The queued path itself runs against a
 * real PostgreSQL in tests/api/test_pg_queued_writes.py. */
#include "test.h"

#include "core/status.h"
#include "store/db.h"
#include "store/db_pg_prepared.h"

static int setup(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || db_exec(db, "CREATE TABLE h (shard TEXT PRIMARY KEY, seq INTEGER)") != YQ_OK ||
        db_run(db, "INSERT INTO h VALUES ('a', 1)", "") != YQ_OK)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static int64_t seq_of(struct db *db)
{
    struct db_stmt *st = db_query(db, "SELECT seq FROM h WHERE shard = 'a'", "");
    int64_t v = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
    db_finalize(st);
    return v;
}

/* A guarded UPDATE that found its row: done; one that did not: a
 * conflict, and the whole transaction rolls back as the caller decides. */
static void test_expected_count_or_conflict(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_begin(db, true), YQ_OK);
    assert_int_equal(db_run_queued(db, 1, "UPDATE h SET seq = 2 WHERE shard = ? AND seq = ?",
                                   "ti", "a", (int64_t)1),
                     YQ_OK);
    assert_int_equal(db_run_queued(db, 1, "UPDATE h SET seq = 3 WHERE shard = ? AND seq = ?",
                                   "ti", "a", (int64_t)1),
                     YQ_ECONFLICT);
    assert_int_equal(db_queued_failure(db), YQ_OK); /* nothing was queued */
    db_rollback(db);
    assert_int_equal(seq_of(db), 1);
    /* -1: any count */
    assert_int_equal(db_run_queued(db, -1, "UPDATE h SET seq = 5 WHERE shard = 'none'", ""),
                     YQ_OK);
    /* a constraint is the statement's own answer */
    assert_int_equal(db_run_queued(db, 1, "INSERT INTO h VALUES ('a', 9)", ""), YQ_ECONFLICT);
    assert_int_equal(seq_of(db), 1);
}

static void test_only_data_statements_are_prepared(void **state)
{
    (void)state;
    assert_true(pg_preparable("SELECT 1"));
    assert_true(pg_preparable("  \n select * FROM t"));
    assert_true(pg_preparable("INSERT INTO t VALUES ($1)"));
    assert_true(pg_preparable("UPDATE t SET a = 1"));
    assert_true(pg_preparable("DELETE FROM t"));
    assert_true(pg_preparable("WITH x AS (SELECT 1) SELECT * FROM x"));
    assert_false(pg_preparable("SAVEPOINT yq_1"));
    assert_false(pg_preparable("RELEASE SAVEPOINT yq_1"));
    assert_false(pg_preparable("BEGIN"));
    assert_false(pg_preparable("SELECTED"));
    assert_false(pg_preparable("CREATE TABLE t (a int)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_expected_count_or_conflict, setup, teardown),
        cmocka_unit_test(test_only_data_statements_are_prepared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
