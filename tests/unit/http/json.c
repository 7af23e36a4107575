/* Tests of src/http/json.c: body parsing and field errors. */
#include "test.h"

#include "core/status.h"
#include "http/json.h"

#include <string.h>

static json_t *parse(const char *text)
{
    struct problem p;
    json_t *o = NULL;
    assert_int_equal(json_parse_object(text, strlen(text), &o, &p), YQ_OK);
    return o;
}

static void test_malformed_json_is_a_bad_request(void **state)
{
    (void)state;
    static const char *bad[] = {"{", "{\"a\":}", "[1,2]", "\"text\"", "42", "{\"a\":1,\"a\":2}",
                                "{'a':1}", "nul"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct problem p;
        problem_clear(&p);
        json_t *o = (json_t *)1;
        assert_int_equal(json_parse_object(bad[i], strlen(bad[i]), &o, &p), YQ_EBADREQ);
        assert_null(o);
        assert_string_equal(p.code, "malformed_json");
        assert_true(strlen(p.message) > 0);
    }
}

static void test_empty_body_reads_as_empty_object(void **state)
{
    (void)state;
    json_t *o = parse("  \n");
    assert_true(json_is_object(o));
    assert_int_equal(json_object_size(o), 0);
    json_decref(o);
}

static void test_string_field_of_wrong_type_names_the_field(void **state)
{
    (void)state;
    json_t *o = parse("{\"username\": 12}");
    struct problem p;
    const char *s = "unchanged";
    assert_int_equal(json_get_string(o, "username", true, &s, &p), YQ_EINVAL);
    assert_string_equal(p.field, "username");
    assert_string_equal(p.code, "wrong_type");
    assert_string_equal(s, "unchanged");
    json_decref(o);
}

static void test_missing_required_field_is_named(void **state)
{
    (void)state;
    json_t *o = parse("{\"a\": null}");
    struct problem p;
    const char *s = NULL;
    assert_int_equal(json_get_string(o, "a", true, &s, &p), YQ_EINVAL);
    assert_string_equal(p.field, "a");
    assert_string_equal(p.code, "missing_field");
    assert_int_equal(json_get_string(o, "b", false, &s, &p), YQ_OK);
    assert_null(s);
    json_decref(o);
}

static void test_bool_and_int_getters_check_types(void **state)
{
    (void)state;
    json_t *o = parse("{\"locked\": \"yes\", \"n\": 1.5, \"ok\": true, \"k\": 7}");
    struct problem p;
    bool b = false;
    int64_t n = 0;
    assert_int_equal(json_get_bool(o, "locked", true, &b, &p), YQ_EINVAL);
    assert_string_equal(p.field, "locked");
    assert_int_equal(json_get_int(o, "n", true, &n, &p), YQ_EINVAL);
    assert_string_equal(p.field, "n");
    assert_int_equal(json_get_bool(o, "ok", true, &b, &p), YQ_OK);
    assert_true(b);
    assert_int_equal(json_get_int(o, "k", true, &n, &p), YQ_OK);
    assert_true(n == 7);
    json_decref(o);
}

static void test_unknown_field_is_refused_by_name(void **state)
{
    (void)state;
    static const char *const allowed[] = {"username", "password", NULL};
    json_t *o = parse("{\"username\": \"a\", \"role\": \"admin\"}");
    struct problem p;
    assert_int_equal(json_only_fields(o, allowed, &p), YQ_EINVAL);
    assert_string_equal(p.field, "role");
    json_decref(o);
}

static void test_string_with_nul_is_refused(void **state)
{
    (void)state;
    const char *text = "{\"name\": \"a\\u0000b\"}";
    struct problem p;
    json_t *o = NULL;
    assert_int_equal(json_parse_object(text, strlen(text), &o, &p), YQ_EBADREQ);
    assert_null(o);
}

static void test_number_out_of_range_names_its_field(void **state)
{
    (void)state;
    static const struct {
        const char *text, *field;
    } cases[] = {
        {"{\"amount_fen\": 18446744073709551616}", "amount_fen"},
        {"{\"a\": 9223372036854775807, \"b\": 9223372036854775808}", "b"},
        {"{\"n\": -99999999999999999999}", "n"},
        {"{\"x\": 1e999999}", "x"},
        {"{\"no\":\"a,b\",\"lines\":[{\"q\":1},{\"q\":2,\"unit_price_fen\":99999999999999999999}]}",
         "lines[1].unit_price_fen"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct problem p;
        problem_clear(&p);
        json_t *o = (json_t *)1;
        assert_int_equal(json_parse_object(cases[i].text, strlen(cases[i].text), &o, &p),
                         YQ_EBADREQ);
        assert_null(o);
        assert_string_equal(p.field, cases[i].field);
        assert_non_null(strstr(p.message, cases[i].field));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed_json_is_a_bad_request),
        cmocka_unit_test(test_empty_body_reads_as_empty_object),
        cmocka_unit_test(test_string_field_of_wrong_type_names_the_field),
        cmocka_unit_test(test_missing_required_field_is_named),
        cmocka_unit_test(test_bool_and_int_getters_check_types),
        cmocka_unit_test(test_unknown_field_is_refused_by_name),
        cmocka_unit_test(test_string_with_nul_is_refused),
        cmocka_unit_test(test_number_out_of_range_names_its_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
