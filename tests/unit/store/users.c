/* Tests of src/store/users.c: the counties assigned to an account. */
#include "test.h"

#include "core/status.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/users.h"

#include <sodium.h>
#include <string.h>

static int setup(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || migrate_up(db) != YQ_OK) return -1;
    struct user u = {.id = "u1",
                     .username = "eval",
                     .role = "evaluator",
                     .display_name = "评价机构",
                     .county_code = "370811",
                     .password_hash = "x"};
    if (counties_upsert(db, "370811", "任城区", "district", 75, true) != YQ_OK ||
        counties_upsert(db, "370812", "兖州区", "district", 100, true) != YQ_OK ||
        counties_upsert(db, "370883", "邹城市", "city", 90, true) != YQ_OK ||
        users_insert(db, &u) != YQ_OK)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static void test_account_without_assignments_has_none(void **state)
{
    struct user_counties c;
    assert_int_equal(user_counties_get(*state, "u1", &c), YQ_OK);
    assert_int_equal(c.n, 0);
}

static void test_assignments_are_replaced_and_read_by_code(void **state)
{
    struct db *db = *state;
    const char *first[] = {"370883", "370812"};
    assert_int_equal(user_counties_replace(db, "u1", first, 2), YQ_OK);
    struct user_counties c;
    assert_int_equal(user_counties_get(db, "u1", &c), YQ_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.code[0], "370812");
    assert_string_equal(c.code[1], "370883");

    const char *second[] = {"370883"};
    assert_int_equal(user_counties_replace(db, "u1", second, 1), YQ_OK);
    assert_int_equal(user_counties_get(db, "u1", &c), YQ_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.code[0], "370883");
}

static void test_unknown_county_is_refused(void **state)
{
    const char *codes[] = {"999999"};
    assert_int_not_equal(user_counties_replace(*state, "u1", codes, 1), YQ_OK);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_account_without_assignments_has_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assignments_are_replaced_and_read_by_code, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unknown_county_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
