/* Tests of src/store/parties.c: drafts, guarded profile writes and state
 * moves, who holds a USCC. */
#include "test.h"

#include "core/status.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/parties.h"
#include "store/rows.h"
#include "store/users.h"

#include <sodium.h>
#include <string.h>

#define USCC "91370800MA3C0000X1"

static int setup(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || migrate_up(db) != YQ_OK) return -1;
    struct user u = {.id = "u1",
                     .username = "ent",
                     .role = "enterprise",
                     .display_name = "企业",
                     .county_code = "370811",
                     .password_hash = "x"};
    struct party_draft d = {.id = "e1",
                            .user_id = "u1",
                            .uscc = USCC,
                            .name = "济宁示范制造",
                            .county_code = "370811",
                            .now = 1000};
    if (counties_upsert(db, "370811", "任城区", "district", 10, true) != YQ_OK ||
        users_insert(db, &u) != YQ_OK || parties_insert_draft(db, "enterprises", &d) != YQ_OK)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static const char *status_of(struct db *db, json_t **row)
{
    json_decref(*row);
    assert_int_equal(parties_get(db, "enterprises", "e1", row), YQ_OK);
    return rows_str(*row, "status");
}

static void test_draft_is_read_back_with_its_county(void **state)
{
    json_t *row = NULL;
    assert_int_equal(parties_get_by_uscc(*state, "enterprises", USCC, &row), YQ_OK);
    assert_string_equal(rows_str(row, "status"), "draft");
    assert_string_equal(rows_str(row, "county_name"), "任城区");
    json_decref(row);
}

static void test_second_draft_with_the_same_uscc_is_a_conflict(void **state)
{
    struct party_draft d = {.id = "p1", .user_id = "u1", .uscc = USCC, .name = "同号", .now = 1};
    assert_int_equal(parties_insert_draft(*state, "enterprises", &d), YQ_ECONFLICT);
}

static void test_uscc_holder_names_the_holder_but_not_the_party_itself(void **state)
{
    const char *holder = "unset";
    assert_int_equal(parties_uscc_holder(*state, USCC, NULL, &holder), YQ_OK);
    assert_string_equal(holder, "enterprise");
    assert_int_equal(parties_uscc_holder(*state, USCC, "e1", &holder), YQ_OK);
    assert_null(holder);
}

static void test_submit_stamps_and_clears_the_reason(void **state)
{
    struct db *db = *state;
    struct party_transition t = {
        .from = "draft", .to = "submitted", .stamp = PARTY_STAMP_SUBMITTED, .now = 2000};
    assert_int_equal(parties_transition(db, "enterprises", "e1", &t), YQ_OK);
    json_t *row = NULL;
    assert_string_equal(status_of(db, &row), "submitted");
    assert_int_equal(json_integer_value(json_object_get(row, "submitted_at")), 2000);
    assert_true(json_is_null(json_object_get(row, "reject_reason")));
    json_decref(row);
}

static void test_move_from_a_status_no_longer_held_is_a_conflict(void **state)
{
    struct db *db = *state;
    struct party_transition submit = {
        .from = "draft", .to = "submitted", .stamp = PARTY_STAMP_SUBMITTED, .now = 2000};
    assert_int_equal(parties_transition(db, "enterprises", "e1", &submit), YQ_OK);
    /* A second reviewer acting on what it read before the first. */
    struct party_transition reject = {.from = "draft",
                                      .to = "rejected",
                                      .stamp = PARTY_STAMP_REVIEWED,
                                      .reviewed_by = "county_it",
                                      .reject_reason = "材料不全",
                                      .now = 3000};
    assert_int_equal(parties_transition(db, "enterprises", "e1", &reject), YQ_ECONFLICT);
    json_t *row = NULL;
    assert_string_equal(status_of(db, &row), "submitted");
    assert_true(json_is_null(json_object_get(row, "reviewed_by")));
    json_decref(row);
}

static void test_profile_is_written_only_in_the_status_read(void **state)
{
    struct db *db = *state;
    json_t *fields = json_pack("{s:s}", "phone", "13800000000");
    assert_int_equal(parties_update_profile(db, "enterprises", "e1", "draft", fields, 4000), YQ_OK);
    json_t *row = NULL;
    status_of(db, &row);
    assert_string_equal(rows_str(row, "phone"), "13800000000");
    assert_int_equal(json_integer_value(json_object_get(row, "updated_at")), 4000);

    json_object_set_new(fields, "phone", json_string("13900000000"));
    assert_int_equal(parties_update_profile(db, "enterprises", "e1", "rejected", fields, 5000),
                     YQ_ECONFLICT);
    status_of(db, &row);
    assert_string_equal(rows_str(row, "phone"), "13800000000");
    assert_int_equal(json_integer_value(json_object_get(row, "updated_at")), 4000);
    json_decref(row);
    json_decref(fields);
}

static void test_approved_lookup_finds_only_approved_enterprises(void **state)
{
    struct db *db = *state;
    json_t *row = NULL;
    assert_int_equal(enterprises_get_approved_by_uscc(db, USCC, &row), YQ_ENOTFOUND);
    assert_int_equal(db_exec(db, "UPDATE enterprises SET status = 'approved'"), YQ_OK);
    assert_int_equal(enterprises_get_approved_by_uscc(db, USCC, &row), YQ_OK);
    assert_string_equal(rows_str(row, "id"), "e1");
    json_decref(row);
    char id[ID_LEN + 1];
    assert_int_equal(enterprises_find_by_name(db, "济宁示范制造", id), YQ_OK);
    assert_string_equal(id, "e1");
    assert_int_equal(enterprises_find_by_name(db, "无此企业", id), YQ_ENOTFOUND);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_draft_is_read_back_with_its_county, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_draft_with_the_same_uscc_is_a_conflict, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_uscc_holder_names_the_holder_but_not_the_party_itself,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_submit_stamps_and_clears_the_reason, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_from_a_status_no_longer_held_is_a_conflict, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_profile_is_written_only_in_the_status_read, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_approved_lookup_finds_only_approved_enterprises, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
