/* Tests of src/store/idempotency.c and src/service/idempotent.c: the key's
 * record commits with the request's effects or not at all. */
#include "test.h"

#include "core/status.h"
#include "service/idempotent.h"
#include "store/db.h"
#include "store/migrate.h"

#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || migrate_up(db) != YQ_OK || db_exec(db, "CREATE TABLE effects (n INTEGER)") != YQ_OK)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

/* What a failed open tells the person (unused when it succeeds). */
static struct problem prob;

static const struct idem_key key = {"user:u1", "K1", "POST", "/api/v1/x", "h1"};

static int64_t effects(struct db *db)
{
    struct db_stmt *st = db_query(db, "SELECT COUNT(*) FROM effects", NULL);
    db_step(st);
    int64_t n = db_col_int64(st, 0);
    db_finalize(st);
    return n;
}

static void test_answer_is_stored_with_the_effects_and_replayed(void **state)
{
    struct db *db = *state;
    enum idem_state s;
    struct idem_record rec;
    assert_int_equal(idempotent_open(db, &key, &s, &rec, &prob), YQ_OK);
    assert_int_equal(s, IDEM_NEW);
    assert_int_equal(db_run(db, "INSERT INTO effects VALUES (1)", NULL), YQ_OK);
    assert_int_equal(idempotent_close(db, &key, true, 201, "{\"ok\":1}"), YQ_OK);
    assert_false(db_in_transaction(db));
    assert_int_equal(idempotent_open(db, &key, &s, &rec, &prob), YQ_OK);
    assert_int_equal(s, IDEM_REPLAY);
    assert_int_equal(rec.status, 201);
    assert_string_equal(rec.body, "{\"ok\":1}");
    free(rec.body);
    assert_false(db_in_transaction(db));
    assert_true(effects(db) == 1);
}

static void test_a_request_that_never_committed_leaves_no_claim(void **state)
{
    struct db *db = *state;
    enum idem_state s;
    struct idem_record rec;
    /* The process dies before the commit: the transaction is rolled back. */
    assert_int_equal(idempotent_open(db, &key, &s, &rec, &prob), YQ_OK);
    assert_int_equal(db_run(db, "INSERT INTO effects VALUES (1)", NULL), YQ_OK);
    db_rollback(db);
    /* The retry runs afresh at once: no 409, no 60-second wait. */
    assert_int_equal(idempotent_open(db, &key, &s, &rec, &prob), YQ_OK);
    assert_int_equal(s, IDEM_NEW);
    assert_int_equal(idempotent_close(db, &key, false, 0, NULL), YQ_OK);
    assert_true(effects(db) == 0);
}

static void test_same_key_with_another_body_is_another_request(void **state)
{
    struct db *db = *state;
    enum idem_state s;
    struct idem_record rec;
    assert_int_equal(idempotent_open(db, &key, &s, &rec, &prob), YQ_OK);
    assert_int_equal(idempotent_close(db, &key, true, 200, "{}"), YQ_OK);
    struct idem_key other = key;
    other.body_hash = "h2";
    assert_int_equal(idempotent_open(db, &other, &s, &rec, &prob), YQ_OK);
    assert_int_equal(s, IDEM_OTHER_REQUEST);
    assert_false(db_in_transaction(db));
}

static void test_throttled_answer_commits_but_is_not_replayed(void **state)
{
    struct db *db = *state;
    enum idem_state s;
    struct idem_record rec;
    assert_int_equal(idempotent_open(db, &key, &s, &rec, &prob), YQ_OK);
    assert_int_equal(db_run(db, "INSERT INTO effects VALUES (1)", NULL), YQ_OK);
    assert_int_equal(idempotent_close(db, &key, true, 0, NULL), YQ_OK);
    assert_true(effects(db) == 1);
    assert_int_equal(idempotent_open(db, &key, &s, &rec, &prob), YQ_OK);
    assert_int_equal(s, IDEM_NEW);
    db_rollback(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_answer_is_stored_with_the_effects_and_replayed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_request_that_never_committed_leaves_no_claim, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_same_key_with_another_body_is_another_request, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_throttled_answer_commits_but_is_not_replayed, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
