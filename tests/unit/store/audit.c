/* Tests of src/store/audit.c: the hash chain, intact and tampered. */
#include "test.h"

#include "core/status.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/migrate.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Three shards: global (plain writes) and two counties' (scoped writes),
 * interleaved: seq 1 g, 2 A, 3 B, 4 A, 5 g, 6 B, 7 A. */
static int setup_shards(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || migrate_up(db) != YQ_OK) return -1;
    struct audit_actor who = {"u1", "admin", "admin", "req-1", "127.0.0.1"};
    const char *scopes[] = {NULL, "370811", "370883", "370811", NULL, "370883", "370811"};
    for (int i = 0; i < 7; i++) {
        char id[16];
        snprintf(id, sizeof id, "e%d", i + 1);
        json_t *after = json_pack("{s:i}", "amount", i * 100);
        int rc = scopes[i] ? db_begin_scoped(db, scopes[i]) : db_begin(db, true);
        if (rc != YQ_OK || audit_append(db, &who, "thing", id, "update", NULL, after) != YQ_OK ||
            db_commit(db) != YQ_OK)
            return -1;
        json_decref(after);
    }
    *state = db;
    return 0;
}

static int64_t count(struct db *db, const char *sql)
{
    struct db_stmt *st = db_query(db, sql, NULL);
    int64_t n = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
    db_finalize(st);
    return n;
}

static void test_every_shard_has_its_own_chain_and_head(void **state)
{
    struct db *db = *state;
    assert_true(count(db, "SELECT COUNT(*) FROM audit_heads") == 3);
    assert_true(count(db, "SELECT seq FROM audit_heads WHERE shard = 'county:370811'") == 3);
    assert_true(count(db, "SELECT shard_seq FROM audit_log WHERE seq = 6") == 2);
    /* each entry links to the previous entry of its own shard */
    assert_true(count(db, "SELECT COUNT(*) FROM audit_log a JOIN audit_log b ON b.shard = a.shard"
                          " AND b.shard_seq = a.shard_seq - 1 WHERE a.prev_hash = b.hash") == 4);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_OK);
    assert_true(r.checked == 7);
}

static void test_altered_entry_in_a_county_shard(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "UPDATE audit_log SET after_json = '{}' WHERE seq = 4"), YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_ECONFLICT);
    assert_true(r.bad_seq == 4);
}

static void test_deleted_entry_in_a_county_shard(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE seq = 4"), YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_ECONFLICT);
    assert_non_null(strstr(r.reason, "缺失"));
}

static void test_cut_off_end_of_a_county_shard(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE seq = 6"), YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_ECONFLICT);
    assert_non_null(strstr(r.reason, "缺失"));
}

static void test_whole_county_shard_deleted(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE shard = 'county:370883'"), YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_ECONFLICT);
    assert_non_null(strstr(r.reason, "缺失"));
}

static void test_entry_moved_to_another_shard(void **state)
{
    /* The last entry of one county's shard moved to the end of the other's
     * (its place renumbered to fit): its hash covers its shard. */
    struct db *db = *state;
    assert_int_equal(db_exec(db, "UPDATE audit_log SET shard = 'county:370883', shard_seq = 3"
                                 " WHERE seq = 7"),
                     YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_ECONFLICT);
}

static void test_downgraded_to_the_old_chain_format(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "UPDATE audit_log SET chain = 1 WHERE seq = 2"), YQ_OK);
    struct audit_report r;
    assert_int_equal(audit_verify(db, &r), YQ_ECONFLICT);
    assert_true(r.bad_seq == 2);
}

/* The form every stored hash covers, recomputed here with jansson: the
 * row's members as a JSON object dumped compact with sorted keys, after
 * the previous hash. audit.c writes that text without jansson; a change
 * of it would break the chain of every existing installation. */
static json_t *text_or_null(struct db_stmt *st, int col)
{
    return db_col_null(st, col) ? json_null() : json_string(db_col_text(st, col));
}

static void test_stored_hashes_are_jansson_canonical_form(void **state)
{
    struct db *db = *state;
    struct audit_actor odd = {"u\"2", "名字\t\x01", "county_it", NULL, "::1"};
    json_t *after = json_pack("{s:s, s:[i,n,b], s:{}}", "note", "“引号” \\ / \x1f end", "list", 3,
                              1, "empty");
    assert_int_equal(db_begin_scoped(db, "370811"), YQ_OK);
    assert_int_equal(audit_append(db, &odd, "contract", "c\n1", "confirm", NULL, after), YQ_OK);
    assert_int_equal(db_commit(db), YQ_OK);
    json_decref(after);
    struct db_stmt *st = db_query(db,
                                  "SELECT seq, at, actor_id, actor_username, actor_role, entity,"
                                  " entity_id, action, before_json, after_json, request_id,"
                                  " client_addr, shard, shard_seq, prev_hash, hash FROM audit_log"
                                  " WHERE chain = 2 ORDER BY seq",
                                  NULL);
    assert_non_null(st);
    int rows = 0;
    static const char *const names[] = {"seq", "at", "actor_id", "actor_username", "actor_role",
                                        "entity", "entity_id", "action", "before", "after",
                                        "request_id", "client_addr", "shard", "shard_seq"};
    while (db_step(st) == DB_ROW) {
        json_t *o = json_object();
        for (int c = 0; c < 14; c++)
            json_object_set_new(o, names[c],
                                c == 0 || c == 1 || c == 13 ? json_integer(db_col_int64(st, c))
                                                            : text_or_null(st, c));
        char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(o);
        char msg[8192];
        snprintf(msg, sizeof msg, "%s%s", db_col_text(st, 14), text);
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, (const unsigned char *)msg, strlen(msg));
        char hex[65];
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        if (strcmp(hex, db_col_text(st, 15)) != 0)
            fail_msg("entry %lld: its hash is not over %s", (long long)db_col_int64(st, 0), text);
        free(text);
        rows++;
    }
    db_finalize(st);
    assert_int_equal(rows, 6);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_intact_chain_verifies, setup, teardown),
        cmocka_unit_test(test_empty_chain_verifies),
        cmocka_unit_test_setup_teardown(test_stored_hashes_are_jansson_canonical_form, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_altered_value_names_that_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_altered_actor_names_that_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_row_is_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_last_row_is_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recomputed_hash_still_breaks_the_next_link, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_every_shard_has_its_own_chain_and_head, setup_shards,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_altered_entry_in_a_county_shard, setup_shards,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_deleted_entry_in_a_county_shard, setup_shards,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cut_off_end_of_a_county_shard, setup_shards,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_whole_county_shard_deleted, setup_shards, teardown),
        cmocka_unit_test_setup_teardown(test_entry_moved_to_another_shard, setup_shards,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_downgraded_to_the_old_chain_format, setup_shards,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
