/* Tests of src/store/ledger.c on an in-memory SQLite: two-phase transfers,
 * honest errors (a failed read is never a zero), the literal account
 * prefix, and the invariant check. */
#include "test.h"

#include "core/status.h"
#include "store/db.h"
#include "store/ledger.h"
#include "store/migrate.h"

#include <string.h>

static int setup(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || migrate_up(db) != YQ_OK) return -1;
    if (db_begin(db, true) != YQ_OK || ledger_open_source(db, "county") != YQ_OK ||
        ledger_open_pool(db, "370811", 2019) != YQ_OK ||
        ledger_transfer(db, "fund:1", "source:county", "pool:370811:2019", 100000, "r1") != YQ_OK ||
        ledger_open_voucher(db, "v1", 30000) != YQ_OK ||
        ledger_reserve(db, "reserve:v1", "pool:370811:2019", "voucher:v1", 30000, "c") != YQ_OK ||
        db_commit(db) != YQ_OK)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static void test_available_is_funded_minus_reserved(void **state)
{
    int64_t v = -1;
    assert_int_equal(ledger_available(*state, "pool:370811:2019", &v), YQ_OK);
    assert_true(v == 70000);
    assert_int_equal(ledger_available(*state, "pool:370811:2031", &v), YQ_OK);
    assert_true(v == 0); /* not opened yet: nothing there */
}

static void test_a_failed_read_is_an_error_not_a_zero(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "ALTER TABLE ledger_accounts RENAME TO gone"), YQ_OK);
    int64_t v = 12345;
    assert_true(ledger_available(db, "pool:370811:2019", &v) < 0);
    assert_int_equal(db_exec(db, "ALTER TABLE gone RENAME TO ledger_accounts"), YQ_OK);
    assert_int_equal(db_exec(db, "ALTER TABLE ledger_transfers RENAME TO gone"), YQ_OK);
    assert_true(ledger_pending_remaining(db, "reserve:v1", &v) < 0);
    json_t *breaches = json_array();
    int rc = ledger_check(db, breaches);
    assert_true(rc != YQ_OK && rc != YQ_ECONFLICT);
    json_decref(breaches);
    assert_int_equal(db_exec(db, "ALTER TABLE gone RENAME TO ledger_transfers"), YQ_OK);
}

static void test_overdraft_is_refused_and_books_nothing(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_begin(db, true), YQ_OK);
    assert_int_equal(ledger_open_voucher(db, "v2", 80000), YQ_OK);
    assert_int_equal(ledger_reserve(db, "reserve:v2", "pool:370811:2019", "voucher:v2", 80000, "c"),
                     LEDGER_INSUFFICIENT);
    db_rollback(db);
    int64_t v;
    assert_int_equal(ledger_available(db, "pool:370811:2019", &v), YQ_OK);
    assert_true(v == 70000);
}

static void test_post_then_void_releases_the_rest(void **state)
{
    struct db *db = *state;
    int64_t left;
    assert_int_equal(db_begin(db, true), YQ_OK);
    assert_int_equal(ledger_post(db, "post:v1:1", "reserve:v1", 10000, "p"), YQ_OK);
    assert_int_equal(ledger_pending_remaining(db, "reserve:v1", &left), YQ_OK);
    assert_true(left == 20000);
    assert_int_equal(ledger_post(db, "post:v1:2", "reserve:v1", 20001, "p"), LEDGER_INSUFFICIENT);
    assert_int_equal(ledger_void(db, "void:v1", "reserve:v1", "x"), YQ_OK);
    assert_int_equal(ledger_void(db, "void:v1", "reserve:v1", "x"), YQ_OK); /* retried: no-op */
    assert_int_equal(ledger_pending_remaining(db, "reserve:v1", &left), YQ_OK);
    assert_true(left == 0);
    db_rollback(db);
    assert_int_equal(ledger_pending_remaining(db, "missing", &left), YQ_ENOTFOUND);
}

static void test_same_transfer_id_books_once_other_values_conflict(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_begin(db, true), YQ_OK);
    assert_int_equal(
        ledger_transfer(db, "fund:1", "source:county", "pool:370811:2019", 100000, "r1"), YQ_OK);
    assert_int_equal(ledger_transfer(db, "fund:1", "source:county", "pool:370811:2019", 5, "r1"),
                     YQ_ECONFLICT);
    db_rollback(db);
    int64_t v;
    assert_int_equal(ledger_available(db, "pool:370811:2019", &v), YQ_OK);
    assert_true(v == 70000);
}

static void test_account_prefix_is_literal(void **state)
{
    struct db *db = *state;
    json_t *all = ledger_transfers_list(db, "pool:370811:", NULL, 0, 50);
    assert_non_null(all);
    assert_int_equal(json_integer_value(json_object_get(all, "total")), 2);
    json_decref(all);
    const char *wild[] = {"%", "_", "pool:%", "pool:370811:20_9"};
    for (size_t i = 0; i < 4; i++) {
        json_t *r = ledger_transfers_list(db, wild[i], NULL, 0, 50);
        assert_non_null(r);
        assert_int_equal(json_integer_value(json_object_get(r, "total")), 0);
        json_decref(r);
    }
}

/* The issuing path books what open + reserve book, refuses an overdraft
 * with nothing booked, and a reused voucher or transfer id fails. */
static void test_issue_voucher_books_like_open_and_reserve(void **state)
{
    struct db *db = *state;
    int64_t v = -1, left = -1;
    assert_int_equal(db_begin(db, true), YQ_OK);
    assert_int_equal(ledger_issue_voucher(db, "v3", "pool:370811:2019", "reserve:v3", 20000, "c"),
                     YQ_OK);
    assert_int_equal(db_commit(db), YQ_OK);
    assert_int_equal(ledger_available(db, "pool:370811:2019", &v), YQ_OK);
    assert_true(v == 50000);
    assert_int_equal(ledger_pending_remaining(db, "reserve:v3", &left), YQ_OK);
    assert_true(left == 20000);
    struct ledger_account a;
    assert_int_equal(ledger_get(db, "voucher:v3", &a), YQ_OK);
    assert_true(a.credits_pending == 20000 && a.limit_fen == 20000);
    json_t *breaches = json_array();
    assert_int_equal(ledger_check(db, breaches), YQ_OK);
    json_decref(breaches);

    assert_int_equal(db_begin(db, true), YQ_OK);
    assert_int_equal(ledger_issue_voucher(db, "v4", "pool:370811:2019", "reserve:v4", 50001, "c"),
                     LEDGER_INSUFFICIENT);
    assert_int_equal(ledger_get(db, "voucher:v4", &a), YQ_ENOTFOUND);
    assert_true(ledger_issue_voucher(db, "v3", "pool:370811:2019", "reserve:v5", 100, "c") !=
                YQ_OK);
    db_rollback(db);
    assert_int_equal(db_begin(db, true), YQ_OK);
    assert_true(ledger_issue_voucher(db, "v6", "pool:370811:2019", "reserve:v3", 100, "c") !=
                YQ_OK);
    db_rollback(db);
    assert_int_equal(ledger_available(db, "pool:370811:2019", &v), YQ_OK);
    assert_true(v == 50000);
}

/* The pool is read once, by ledger_pool_available (which opens a missing
 * one); the reservation's guarded UPDATE then takes exactly what is
 * left, refuses a fen more without touching the pool, and names a pool
 * that does not exist. */
static void test_pool_read_once_then_a_guarded_reservation(void **state)
{
    struct db *db = *state;
    int64_t v = -1;
    assert_int_equal(db_begin(db, true), YQ_OK);
    assert_int_equal(ledger_pool_available(db, "370811", 2019, &v), YQ_OK);
    assert_true(v == 70000);
    assert_int_equal(ledger_pool_available(db, "370812", 2019, &v), YQ_OK);
    assert_true(v == 0);
    struct ledger_account a;
    assert_int_equal(ledger_get(db, "pool:370812:2019", &a), YQ_OK); /* opened */
    assert_true(a.must_not_overdraw);
    assert_int_equal(ledger_issue_voucher(db, "v7", "pool:370811:2019", "reserve:v7", 70001, "c"),
                     LEDGER_INSUFFICIENT);
    assert_int_equal(ledger_get(db, "pool:370811:2019", &a), YQ_OK);
    assert_true(a.debits_pending == 30000); /* untouched */
    assert_int_equal(ledger_issue_voucher(db, "v7", "pool:370811:2019", "reserve:v7", 70000, "c"),
                     YQ_OK);
    assert_int_equal(ledger_pool_available(db, "370811", 2019, &v), YQ_OK);
    assert_true(v == 0);
    assert_int_equal(ledger_issue_voucher(db, "v8", "pool:370811:2019", "reserve:v8", 1, "c"),
                     LEDGER_INSUFFICIENT);
    assert_int_equal(ledger_issue_voucher(db, "v8", "pool:370899:2019", "reserve:v8", 1, "c"),
                     YQ_ENOTFOUND);
    assert_int_equal(db_commit(db), YQ_OK);
    json_t *breaches = json_array();
    assert_int_equal(ledger_check(db, breaches), YQ_OK);
    json_decref(breaches);
}

static void test_check_passes_then_names_a_tampered_balance(void **state)
{
    struct db *db = *state;
    json_t *breaches = json_array();
    assert_int_equal(ledger_check(db, breaches), YQ_OK);
    assert_int_equal(json_array_size(breaches), 0);
    assert_int_equal(db_exec(db, "UPDATE ledger_accounts SET credits_posted = credits_posted + 1"
                                 " WHERE id = 'pool:370811:2019'"),
                     YQ_OK);
    assert_int_equal(ledger_check(db, breaches), YQ_ECONFLICT);
    assert_true(json_array_size(breaches) >= 1);
    assert_non_null(strstr(json_string_value(json_array_get(breaches, 0)), "pool:370811:2019"));
    json_decref(breaches);
    db_exec(db, "UPDATE ledger_accounts SET credits_posted = credits_posted - 1 WHERE id ="
                " 'pool:370811:2019'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_available_is_funded_minus_reserved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_failed_read_is_an_error_not_a_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overdraft_is_refused_and_books_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_post_then_void_releases_the_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_transfer_id_books_once_other_values_conflict,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_account_prefix_is_literal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issue_voucher_books_like_open_and_reserve, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pool_read_once_then_a_guarded_reservation, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_check_passes_then_names_a_tampered_balance, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
