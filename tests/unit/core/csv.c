/* Tests of src/core/csv.c. */
#include "test.h"

#include "core/csv.h"
#include "core/status.h"

#include <string.h>

static void test_plain_and_quoted_fields(void **state)
{
    (void)state;
    const char *text = "code,name\r\n370811,任城区\n\n\"a,b\",\"say \"\"hi\"\"\"\nlast,row";
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, text, strlen(text));
    assert_int_equal(csv_next(&r, &row), 1);
    assert_int_equal(row.n, 2);
    assert_string_equal(row.f[1], "name");
    assert_int_equal(csv_next(&r, &row), 1);
    assert_string_equal(row.f[1], "任城区");
    assert_int_equal(csv_next(&r, &row), 1);
    assert_string_equal(row.f[0], "a,b");
    assert_string_equal(row.f[1], "say \"hi\"");
    assert_int_equal(row.line, 4);
    assert_int_equal(csv_next(&r, &row), 1);
    assert_string_equal(row.f[1], "row");
    assert_int_equal(csv_next(&r, &row), 0);
    csv_cleanup(&r);
}

static void test_unterminated_quote_is_an_error(void **state)
{
    (void)state;
    const char *text = "\"open,field\n";
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, text, strlen(text));
    assert_int_equal(csv_next(&r, &row), YQ_EINVAL);
    csv_cleanup(&r);
}

static void test_too_many_fields_is_an_error(void **state)
{
    (void)state;
    char text[400];
    size_t j = 0;
    for (int i = 0; i < CSV_MAX_FIELDS + 1; i++) {
        text[j++] = 'x';
        text[j++] = ',';
    }
    text[j] = '\0';
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, text, strlen(text));
    assert_int_equal(csv_next(&r, &row), YQ_EINVAL);
    csv_cleanup(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_quoted_fields),
        cmocka_unit_test(test_unterminated_quote_is_an_error),
        cmocka_unit_test(test_too_many_fields_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
