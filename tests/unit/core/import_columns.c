/* Tests of src/core/import_columns.c: the import sheet's headers and how
 * its cells are read. */
#include "test.h"

#include "core/import_columns.h"

#include <string.h>

static void test_headers_in_any_form_find_their_column(void **state)
{
    (void)state;
    assert_int_equal(import_column_find("统一社会信用代码"), IMPORT_USCC);
    assert_int_equal(import_column_find(" 企业名称 "), IMPORT_NAME);
    assert_int_equal(import_column_find("*员工人数（人）"), IMPORT_EMPLOYEES);
    assert_int_equal(import_column_find("从业人数"), IMPORT_EMPLOYEES);
    assert_int_equal(import_column_find("联系电话"), IMPORT_PHONE);
    assert_int_equal(import_column_find("注册资本"), -1);
    assert_int_equal(import_column_find(""), -1);
}

static void test_trim_removes_ascii_and_ideographic_spaces(void **state)
{
    (void)state;
    char s[] = "\xE3\x80\x80 济宁 \t\xE3\x80\x80";
    assert_string_equal(import_trim(s), "济宁");
    char blank[] = " \xE3\x80\x80 ";
    assert_string_equal(import_trim(blank), "");
}

static void test_cells_read_as_an_official_writes_them(void **state)
{
    (void)state;
    assert_int_equal(import_parse_yes_no("是"), 1);
    assert_int_equal(import_parse_yes_no("否"), 0);
    assert_int_equal(import_parse_yes_no("也许"), -1);
    int64_t n = -1;
    assert_true(import_parse_count("1,200", &n));
    assert_int_equal(n, 1200);
    assert_true(import_parse_count("35.0", &n));
    assert_int_equal(n, 35);
    assert_false(import_parse_count("35.5", &n));
    assert_false(import_parse_count("-3", &n));
    assert_false(import_parse_count("10000001", &n));
    assert_false(import_parse_count("", &n));
    assert_int_equal(import_industry_letter("C 制造业"), 'C');
    assert_int_equal(import_industry_letter("i"), 'I');
    assert_int_equal(import_industry_letter("C13"), '\0');
    assert_int_equal(import_industry_letter("制造业"), '\0');
    assert_int_equal(import_industry_letter("Z"), '\0');
    assert_string_equal(import_flag_code("专精特新"), "specialized");
    assert_null(import_flag_code("大型"));
    assert_true(import_looks_scientific("9.13708E+17"));
    assert_false(import_looks_scientific("91350100M000100Y43"));
}

static void test_division_code_must_be_the_countys(void **state)
{
    (void)state;
    /* 任城区 370811: its own division code only. */
    assert_true(import_division_ok("91370811MA3C00000X", "370811", true, "3708"));
    assert_false(import_division_ok("91370812MA3C00000X", "370811", true, "3708"));
    assert_false(import_division_ok("91370800MA3C00000X", "370811", true, "3708"));
    /* 济宁高新区 370871 (not an official code): any of the city. */
    assert_true(import_division_ok("91370800MA3C00000X", "370871", false, "3708"));
    assert_true(import_division_ok("91370871MA3C00000X", "370871", false, "3708"));
    assert_false(import_division_ok("91350100M000100Y43", "370871", false, "3708"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers_in_any_form_find_their_column),
        cmocka_unit_test(test_trim_removes_ascii_and_ideographic_spaces),
        cmocka_unit_test(test_cells_read_as_an_official_writes_them),
        cmocka_unit_test(test_division_code_must_be_the_countys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
