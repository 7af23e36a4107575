/* Tests of src/store/rows.c: the WHERE builder binds every parameter in
 * order, however many (an evaluator with 14 counties and every filter). */
#include "test.h"

#include "core/status.h"
#include "store/db.h"
#include "store/rows.h"

#include <stdio.h>

static int setup(void **state)
{
    char err[256];
    struct db *db = db_open(":memory:", NULL, err, sizeof err);
    if (!db || db_exec(db, "CREATE TABLE t (id TEXT PRIMARY KEY, county TEXT, n INTEGER)") != YQ_OK)
        return -1;
    for (int i = 0; i < 40; i++) {
        char id[16], county[16];
        snprintf(id, sizeof id, "r%02d", i);
        snprintf(county, sizeof county, "3708%02d", i % 20);
        if (db_run(db, "INSERT INTO t VALUES (?,?,?)", "tti", id, county, (int64_t)i) != YQ_OK)
            return -1;
    }
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static void test_more_than_sixteen_parameters_bind_in_order(void **state)
{
    const char *counties[14];
    char store[14][16];
    for (int i = 0; i < 14; i++) {
        snprintf(store[i], sizeof store[i], "3708%02d", i);
        counties[i] = store[i];
    }
    struct rows_where w;
    rows_where_init(&w);
    rows_where_in(&w, "county", counties, 14);
    rows_where_int(&w, "n >= ?", 2);
    rows_where_int(&w, "n < ?", 30);
    rows_where_text(&w, "(id LIKE ? OR id LIKE ?)", "r%", 2);
    assert_int_equal(w.n, 18);
    /* counties 370800..370813 → rows 0..13 and 20..33; n in [2, 30) → 2..13, 20..29 */
    json_t *r = rows_page(*state, "id, n", "FROM t", &w, "n", 0, 5);
    rows_where_cleanup(&w);
    assert_non_null(r);
    assert_int_equal(json_integer_value(json_object_get(r, "total")), 22);
    json_t *items = json_object_get(r, "items");
    assert_int_equal(json_array_size(items), 5); /* LIMIT bound as LIMIT, not as a filter */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "n")), 2);
    json_decref(r);
}

static void test_empty_in_list_matches_nothing(void **state)
{
    struct rows_where w;
    rows_where_init(&w);
    rows_where_in(&w, "county", NULL, 0);
    json_t *r = rows_page(*state, "id", "FROM t", &w, "id", 0, 50);
    rows_where_cleanup(&w);
    assert_int_equal(json_integer_value(json_object_get(r, "total")), 0);
    json_decref(r);
}

static void test_like_escapes_wildcards(void **state)
{
    (void)state;
    char out[64];
    rows_like(out, sizeof out, "a%b_c\\d");
    assert_string_equal(out, "%a\\%b\\_c\\\\d%");
}

/* A long search is cut at a character boundary and broken bytes are
 * replaced: PostgreSQL refuses a pattern that is not valid UTF-8. */
static void test_like_keeps_whole_characters(void **state)
{
    (void)state;
    char out[10];
    rows_like(out, sizeof out, "中中中中");
    assert_string_equal(out, "%中中%"); /* 8 bytes + NUL; a third 中 would not fit */
    char bad[32];
    rows_like(bad, sizeof bad, "a\xff\xfe");
    assert_string_equal(bad, "%a\xef\xbf\xbd\xef\xbf\xbd%");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_more_than_sixteen_parameters_bind_in_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_empty_in_list_matches_nothing, setup, teardown),
        cmocka_unit_test(test_like_escapes_wildcards),
        cmocka_unit_test(test_like_keeps_whole_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
