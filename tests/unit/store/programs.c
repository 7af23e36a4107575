/* Tests of the confirmation's merged reads: a program's current version
 * with its parameters (src/store/programs.c) and both parties' negative
 * list entries (src/store/standing.c). */
#include "test.h"

#include "core/status.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/programs.h"
#include "store/standing.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define ENT "91370800MA3C0000X1"
#define PROV "91370800MA3C0001X2"

static int setup(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || migrate_up(db) != YQ_OK) return -1;
    json_t *v1 = json_pack("{s:i}", "v", 1), *v2 = json_pack("{s:i}", "v", 2);
    int rc = program_insert(db, "p1", "企业上云", "济政办字", "370800", "济宁市", 1000);
    if (rc == YQ_OK) rc = program_version_insert(db, "p1", 1, v1, "初版", "admin", 1000);
    if (rc == YQ_OK) rc = program_version_insert(db, "p1", 2, v2, "调整", "admin", 2000);
    if (rc == YQ_OK) rc = program_set_current(db, "p1", 2);
    json_decref(v1);
    json_decref(v2);
    if (rc != YQ_OK) return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static void test_the_current_version_comes_with_its_own_parameters(void **state)
{
    int version = 0;
    char *text = NULL;
    assert_int_equal(program_current_params_text(*state, "p1", &version, &text), YQ_OK);
    assert_int_equal(version, 2);
    json_t *params = json_loads(text, 0, NULL);
    assert_non_null(params);
    assert_int_equal(json_integer_value(json_object_get(params, "v")), 2);
    json_decref(params);
    free(text);
}

static void test_no_such_program_is_not_found(void **state)
{
    int version = 0;
    char *text = NULL;
    assert_int_equal(program_current_params_text(*state, "nope", &version, &text), YQ_ENOTFOUND);
    assert_null(text);
}

static void test_a_program_missing_its_current_version_is_an_error_not_not_found(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "PRAGMA foreign_keys = OFF"), YQ_OK);
    assert_int_equal(db_exec(db, "DELETE FROM program_versions WHERE version = 2"), YQ_OK);
    int version = 0;
    char *text = NULL;
    int rc = program_current_params_text(db, "p1", &version, &text);
    assert_int_not_equal(rc, YQ_OK);
    assert_int_not_equal(rc, YQ_ENOTFOUND);
    assert_null(text);
}

static void listing(struct db *db, const char *id, const char *uscc, bool lifted)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO negative_list(id, uscc, reason, evidence, added_by, added_at, lifted_at)"
             " VALUES ('%s', '%s', '虚报', '记录', 'city_it', 1000, %s)",
             id, uscc, lifted ? "2000" : "NULL");
    assert_int_equal(db_exec(db, sql), YQ_OK);
}

static void pair(struct db *db, bool want_ent, bool want_prov)
{
    bool ent = !want_ent, prov = !want_prov;
    assert_int_equal(negative_list_listed_pair(db, ENT, PROV, &ent, &prov), YQ_OK);
    assert_int_equal(ent, want_ent);
    assert_int_equal(prov, want_prov);
    /* the same answer the other way round */
    assert_int_equal(negative_list_listed_pair(db, PROV, ENT, &prov, &ent), YQ_OK);
    assert_int_equal(ent, want_ent);
    assert_int_equal(prov, want_prov);
}

static void test_each_party_of_the_pair_is_told_apart(void **state)
{
    struct db *db = *state;
    pair(db, false, false);
    listing(db, "n1", PROV, true); /* lifted: not listed */
    pair(db, false, false);
    listing(db, "n2", PROV, false);
    pair(db, false, true);
    listing(db, "n3", ENT, false);
    pair(db, true, true);
}

static void test_a_party_on_both_sides_is_listed_on_both(void **state)
{
    struct db *db = *state;
    listing(db, "n1", ENT, false);
    bool a = false, b = false;
    assert_int_equal(negative_list_listed_pair(db, ENT, ENT, &a, &b), YQ_OK);
    assert_true(a && b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_the_current_version_comes_with_its_own_parameters,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_such_program_is_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_program_missing_its_current_version_is_an_error_not_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_party_of_the_pair_is_told_apart, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_party_on_both_sides_is_listed_on_both, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
