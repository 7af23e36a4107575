/* Tests of src/store/catalog.c: the guarded writes of catalog items and
 * their versions. */
#include "test.h"

#include "core/status.h"
#include "store/catalog.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/parties.h"
#include "store/rows.h"
#include "store/users.h"

#include <sodium.h>
#include <string.h>

static json_t *version_fields(const char *name)
{
    return json_pack("{s:i, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s}", "reference_service_id",
                     1, "name", name, "description", "说明", "specification", "8核16G", "unit",
                     "月", "list_price_fen", 100000, "discount_price_fen", 99000, "valid_from",
                     "2026-01-01", "valid_until", "2026-12-31", "ignored", "not a column");
}

static int setup(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || migrate_up(db) != YQ_OK) return -1;
    struct user u = {.id = "u1",
                     .username = "prov",
                     .role = "provider",
                     .display_name = "云服务商",
                     .password_hash = "x"};
    struct party_draft d = {
        .id = "p1", .user_id = "u1", .uscc = "91370800MA3C0000X1", .name = "齐鲁云", .now = 1};
    json_t *v1 = version_fields("云服务器");
    int rc = users_insert(db, &u);
    if (rc == YQ_OK) rc = parties_insert_draft(db, "providers", &d);
    if (rc == YQ_OK) rc = reference_service_insert(db, 1, "基础设施", "计算", "云服务器");
    if (rc == YQ_OK) rc = catalog_item_insert(db, "i1", "p1", 1000);
    if (rc == YQ_OK) rc = catalog_version_insert(db, "i1", 1, v1, 1000);
    json_decref(v1);
    if (rc != YQ_OK) return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static void expect_item(struct db *db, const char *status, int64_t latest, int64_t published)
{
    json_t *item = NULL;
    assert_int_equal(catalog_item_get(db, "i1", &item), YQ_OK);
    assert_string_equal(rows_str(item, "status"), status);
    assert_int_equal(json_integer_value(json_object_get(item, "latest_version")), latest);
    assert_int_equal(json_integer_value(json_object_get(item, "published_version")), published);
    json_decref(item);
}

static void expect_version(struct db *db, int64_t version, const char *status)
{
    json_t *v = NULL;
    assert_int_equal(catalog_version_get(db, "i1", version, &v), YQ_OK);
    assert_string_equal(rows_str(v, "version_status"), status);
    json_decref(v);
}

static void test_new_item_waits_for_review_at_version_1(void **state)
{
    expect_item(*state, "pending", 1, 0);
    expect_version(*state, 1, "pending");
    assert_int_equal(reference_service_exists(*state, 1), YQ_OK);
    assert_int_equal(reference_service_exists(*state, 2), YQ_ENOTFOUND);
}

static void test_a_version_is_reviewed_once(void **state)
{
    struct db *db = *state;
    assert_int_equal(catalog_version_review(db, "i1", 1, true, NULL, "city_it", 2000), YQ_OK);
    assert_int_equal(catalog_version_review(db, "i1", 1, false, "重复审核", "city_it", 3000),
                     YQ_ECONFLICT);
    expect_version(db, 1, "published");
    assert_int_equal(catalog_item_set_published(db, "i1", 1, 2000), YQ_OK);
    expect_item(db, "published", 1, 1);
    char id[ID_LEN + 1];
    assert_int_equal(catalog_item_find_published(db, "云服务器", id), YQ_OK);
    assert_string_equal(id, "i1");
}

static void test_new_version_needs_the_latest_version_read(void **state)
{
    struct db *db = *state;
    assert_int_equal(catalog_item_set_latest(db, "i1", 2, NULL, 2000), YQ_ECONFLICT);
    assert_int_equal(catalog_item_set_latest(db, "i1", 1, "pending", 2000), YQ_OK);
    expect_item(db, "pending", 2, 0);
    /* Publishing a version that is no longer the latest is refused. */
    assert_int_equal(catalog_item_set_published(db, "i1", 1, 3000), YQ_ECONFLICT);
}

static void test_only_pending_or_published_versions_are_superseded(void **state)
{
    struct db *db = *state;
    assert_int_equal(catalog_version_supersede(db, "i1", 1), YQ_OK);
    expect_version(db, 1, "superseded");
    assert_int_equal(catalog_version_supersede(db, "i1", 1), YQ_ECONFLICT);
    assert_int_equal(catalog_version_supersede(db, "i1", 9), YQ_ECONFLICT);
}

static void test_withdrawn_item_no_longer_changes(void **state)
{
    struct db *db = *state;
    assert_int_equal(catalog_item_set_status(db, "i1", "withdrawn", 2000), YQ_OK);
    assert_int_equal(catalog_item_set_status(db, "i1", "rejected", 3000), YQ_ECONFLICT);
    assert_int_equal(catalog_item_set_status(db, "i1", NULL, 3000), YQ_ECONFLICT);
    assert_int_equal(catalog_item_set_latest(db, "i1", 1, NULL, 3000), YQ_ECONFLICT);
    assert_int_equal(catalog_item_set_published(db, "i1", 1, 3000), YQ_ECONFLICT);
    expect_item(db, "withdrawn", 1, 0);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_item_waits_for_review_at_version_1, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_version_is_reviewed_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_version_needs_the_latest_version_read, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_only_pending_or_published_versions_are_superseded,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawn_item_no_longer_changes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
