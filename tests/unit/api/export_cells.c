/* Tests of src/api/export_cells.c and export_specs.c: an item's value as
 * the cell a person reads — money in 元 exactly, China time, Chinese words. */
#include "test.h"

#include "api/export.h"

#include <string.h>

static const char *text_of(enum export_kind kind, const char *json, char *out, size_t n)
{
    struct export_column c = {"列", "v", NULL, kind, false, NULL};
    json_t *item = json_loads(json, 0, NULL);
    assert_non_null(item);
    struct export_cell x;
    export_cell(&c, item, &x);
    export_cell_text(&x, out, n);
    if (x.type == CELL_TEXT) {
        /* the text may be borrowed from the item: copy before freeing it */
        char copy[400];
        snprintf(copy, sizeof copy, "%s", out);
        snprintf(out, n, "%s", copy);
    }
    json_decref(item);
    return out;
}

static void test_money_in_fen_reads_as_yuan_with_two_decimals_exactly(void **state)
{
    (void)state;
    char s[64];
    assert_string_equal(text_of(EX_MONEY, "{\"v\": 961955}", s, sizeof s), "9619.55");
    assert_string_equal(text_of(EX_MONEY, "{\"v\": 5}", s, sizeof s), "0.05");
    assert_string_equal(text_of(EX_MONEY, "{\"v\": -12000}", s, sizeof s), "-120.00");
    assert_string_equal(text_of(EX_MONEY, "{\"v\": 900719925474099}", s, sizeof s),
                        "9007199254740.99");
    assert_string_equal(text_of(EX_MONEY, "{\"v\": null}", s, sizeof s), "");
}

static void test_a_cell_holds_the_exact_yuan_text(void **state)
{
    (void)state;
    char s[32];
    export_fen_text(123456, s, sizeof s);
    assert_string_equal(s, "1234.56");
    export_fen_text(-5, s, sizeof s);
    assert_string_equal(s, "-0.05");
    export_fen_text(0, s, sizeof s);
    assert_string_equal(s, "0.00");
    export_fen_text(999999999999, s, sizeof s);
    assert_string_equal(s, "9999999999.99");
}

static void test_instants_are_shown_in_china_time_whatever_their_offset(void **state)
{
    (void)state;
    char s[64];
    assert_string_equal(text_of(EX_INSTANT, "{\"v\": \"2019-07-01T09:00:00+08:00\"}", s, sizeof s),
                        "2019-07-01 09:00:00");
    assert_string_equal(text_of(EX_INSTANT, "{\"v\": \"2019-06-30T16:30:00Z\"}", s, sizeof s),
                        "2019-07-01 00:30:00");
    /* the ledger keeps epoch milliseconds */
    assert_string_equal(text_of(EX_INSTANT, "{\"v\": 1561942800000}", s, sizeof s),
                        "2019-07-01 09:00:00");
    assert_string_equal(text_of(EX_DATE, "{\"v\": \"2019-12-31\"}", s, sizeof s), "2019-12-31");
}

static void test_codes_read_as_words(void **state)
{
    (void)state;
    char s[400];
    assert_string_equal(text_of(EX_ROLE, "{\"v\": \"county_finance\"}", s, sizeof s),
                        "县级财政部门");
    assert_string_equal(text_of(EX_INDUSTRY, "{\"v\": \"C\"}", s, sizeof s), "C 制造业");
    assert_string_equal(text_of(EX_FLAGS, "{\"v\": [\"tech\", \"pilot\"]}", s, sizeof s),
                        "科技型、试点示范及重点培育");
    assert_string_equal(text_of(EX_PERIOD, "{\"v\": \"2019H1\"}", s, sizeof s), "2019年上半年");
    assert_string_equal(text_of(EX_BOOL, "{\"v\": true}", s, sizeof s), "是");
    assert_string_equal(text_of(EX_LOCKED, "{\"v\": false}", s, sizeof s), "正常");
    assert_string_equal(text_of(EX_LIFTED, "{\"v\": null}", s, sizeof s), "在列");
    assert_string_equal(text_of(EX_SCORE, "{\"v\": 8710}", s, sizeof s), "87.10");
    assert_string_equal(text_of(EX_PERCENT_BP, "{\"v\": 2550}", s, sizeof s), "25.50%");
    assert_string_equal(text_of(EX_AWARD, "{\"v\": \"benchmark_enterprise\"}", s, sizeof s),
                        "标杆企业");
}

static void test_cjk_characters_are_two_columns_wide(void **state)
{
    (void)state;
    assert_int_equal(export_text_width("合同编号"), 8);
    assert_int_equal(export_text_width("QL-DEMO-002"), 11);
    assert_int_equal(export_text_width("券号 YQ"), 7);
}

static void test_every_spec_has_chinese_headers_and_at_most_16_columns(void **state)
{
    (void)state;
    for (size_t i = 0; i < export_spec_count; i++) {
        const struct export_spec *s = &export_specs[i];
        size_t n = export_ncols(s);
        assert_true(n > 0 && n < EXPORT_MAX_COLUMNS);
        assert_true(export_text_width(s->title) > strlen(s->title) / 3); /* CJK */
        for (size_t c = 0; c < n; c++)
            assert_null(strchr(s->cols[c].header, '_'));
        assert_ptr_equal(export_spec_find(s->route), s);
    }
    assert_null(export_spec_find("/api/v1/no-such-list"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_in_fen_reads_as_yuan_with_two_decimals_exactly),
        cmocka_unit_test(test_a_cell_holds_the_exact_yuan_text),
        cmocka_unit_test(test_instants_are_shown_in_china_time_whatever_their_offset),
        cmocka_unit_test(test_codes_read_as_words),
        cmocka_unit_test(test_cjk_characters_are_two_columns_wide),
        cmocka_unit_test(test_every_spec_has_chinese_headers_and_at_most_16_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
