/* Tests of src/store/audit.c: the hash chain, intact and tampered. */
#include "test.h"

#include "core/status.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/migrate.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int setup(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || migrate_up(db) != YQ_OK) return -1;
    struct audit_actor who = {"u1", "admin", "admin", "req-1", "127.0.0.1"};
    for (int i = 0; i < 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "e%d", i);
        json_t *before = json_pack("{s:i}", "amount", i * 100);
        json_t *after = json_pack("{s:i, s:s}", "amount", i * 100 + 50, "名称", "济宁");
        if (db_begin(db, true) != YQ_OK ||
            audit_append(db, &who, "thing", id, "update", before, after) != YQ_OK ||
            db_commit(db) != YQ_OK)
            return -1;
        json_decref(before);
        json_decref(after);
    }
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static void test_intact_chain_verifies(void **state)
{
    struct audit_report r;
    assert_int_equal(audit_verify(*state, &r), YQ_OK);
    assert_true(r.checked == 5);
    assert_true(r.bad_seq == 0);
}

static void test_empty_chain_verifies(void **state)
{
    (void)state;
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    assert_int_equal(migrate_up(db), YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_OK);
    assert_true(r.checked == 0);
    db_close(db);
}

static void test_altered_value_names_that_entry(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "UPDATE audit_log SET after_json = '{\"amount\":999999}'"
                                 " WHERE seq = 3"),
                     YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_ECONFLICT);
    assert_true(r.bad_seq == 3);
    assert_true(r.checked == 2);
}

static void test_altered_actor_names_that_entry(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "UPDATE audit_log SET actor_username = 'someone' WHERE seq = 1"),
                     YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_ECONFLICT);
    assert_true(r.bad_seq == 1);
}

static void test_deleted_row_is_detected(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE seq = 2"), YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_ECONFLICT);
    assert_true(r.bad_seq == 2);
    assert_non_null(strstr(r.reason, "缺失"));
}

static void test_deleted_last_row_is_detected(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE seq = 5"), YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_ECONFLICT);
    assert_true(r.bad_seq == 5);
}

static void test_recomputed_hash_still_breaks_the_next_link(void **state)
{
    /* Rewriting one row's hash to match its new contents is not enough:
     * the next row's prev_hash still names the old one. */
    struct db *db = *state;
    assert_int_equal(db_exec(db, "UPDATE audit_log SET hash = 'ffff' WHERE seq = 4"), YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_ECONFLICT);
    assert_true(r.bad_seq == 4);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_intact_chain_verifies, setup, teardown),
        cmocka_unit_test(test_empty_chain_verifies),
        cmocka_unit_test_setup_teardown(test_altered_value_names_that_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_altered_actor_names_that_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_row_is_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_last_row_is_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recomputed_hash_still_breaks_the_next_link, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
