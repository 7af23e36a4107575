/* Tests of src/http/router.c: matching, parameters, 404 versus 405. */
#include "test.h"

#include "http/router.h"

#include <string.h>

static void h(struct request *req)
{
    (void)req;
}

static const struct route table[] = {
    {"GET", "/api/v1/users", 0, h, ""},
    {"POST", "/api/v1/users", 0, h, ""},
    {"GET", "/api/v1/users/{id}", 0, h, ""},
    {"POST", "/api/v1/users/{id}/lock", 0, h, ""},
    {"POST", "/api/v1/enterprises/batch-approve", 0, h, ""},
    {"GET", "/api/v1/enterprises/{id}", 0, h, ""},
    {"POST", "/api/v1/budgets/{county}/{year}/fund", 0, h, ""},
};
#define N (sizeof table / sizeof table[0])

static void test_literal_path_matches_its_method(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64];
    assert_int_equal(router_match(table, N, "POST", "/api/v1/users", &m, allow, sizeof allow),
                     ROUTER_FOUND);
    assert_ptr_equal(m.route, &table[1]);
    assert_int_equal(m.nparams, 0);
}

static void test_parameters_are_captured_by_name(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64];
    assert_int_equal(router_match(table, N, "POST", "/api/v1/budgets/370811/2019/fund", &m,
                                  allow, sizeof allow),
                     ROUTER_FOUND);
    assert_int_equal(m.nparams, 2);
    assert_string_equal(m.params[0].name, "county");
    assert_string_equal(m.params[0].value, "370811");
    assert_string_equal(m.params[1].name, "year");
    assert_string_equal(m.params[1].value, "2019");
}

static void test_literal_segment_beats_parameter(void **state)
{
    (void)state;
    static const struct route t2[] = {
        {"POST", "/api/v1/enterprises/{id}", 0, h, ""},
        {"POST", "/api/v1/enterprises/batch-approve", 0, h, ""},
    };
    struct route_match m;
    char allow[64];
    assert_int_equal(router_match(t2, 2, "POST", "/api/v1/enterprises/batch-approve", &m, allow,
                                  sizeof allow),
                     ROUTER_FOUND);
    assert_ptr_equal(m.route, &t2[1]);
}

static void test_unknown_path_is_not_found(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64];
    static const char *paths[] = {"/api/v1/user", "/api/v1/users/", "/api/v1/users/x/lock/y",
                                  "/api/v1/users//lock", "", "/", "/api/v1/usersx",
                                  "/api/v1/users/7/lockx", "api/v1/users",
                                  "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        assert_int_equal(router_match(table, N, "GET", paths[i], &m, allow, sizeof allow),
                         ROUTER_NOT_FOUND);
}

static void test_known_path_with_wrong_method_is_405_with_allow(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64];
    assert_int_equal(router_match(table, N, "DELETE", "/api/v1/users", &m, allow, sizeof allow),
                     ROUTER_BAD_METHOD);
    assert_string_equal(allow, "GET, POST");
    assert_int_equal(
        router_match(table, N, "GET", "/api/v1/users/abc/lock", &m, allow, sizeof allow),
        ROUTER_BAD_METHOD);
    assert_string_equal(allow, "POST");
}

static void test_head_is_served_by_get_routes(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64];
    assert_int_equal(router_match(table, N, "HEAD", "/api/v1/users/7", &m, allow, sizeof allow),
                     ROUTER_FOUND);
    assert_ptr_equal(m.route, &table[2]);
}

static void test_overlong_parameter_does_not_match(void **state)
{
    (void)state;
    char path[400] = "/api/v1/users/";
    memset(path + strlen(path), 'a', 200);
    struct route_match m;
    char allow[64];
    assert_int_equal(router_match(table, N, "GET", path, &m, allow, sizeof allow),
                     ROUTER_NOT_FOUND);
}

static void test_parameters_are_filled_in_order(void **state)
{
    (void)state;
    struct route_match m;
    char allow[64];
    assert_int_equal(router_match(table, N, "POST", "/api/v1/budgets/370811/2019/fund", &m, allow,
                                  sizeof allow),
                     ROUTER_FOUND);
    assert_ptr_equal(m.route, &table[6]);
    assert_int_equal(m.nparams, 2);
    assert_string_equal(m.params[0].name, "county");
    assert_string_equal(m.params[0].value, "370811");
    assert_string_equal(m.params[1].name, "year");
    assert_string_equal(m.params[1].value, "2019");
}

/* A parameter among the leading segments (the index's key skips it). */
static void test_parameter_in_a_leading_segment(void **state)
{
    (void)state;
    static const struct route t3[] = {
        {"GET", "/files/{name}", 0, h, ""},
        {"GET", "/files/index", 0, h, ""},
        {"GET", "/{lang}/help/{topic}", 0, h, ""},
    };
    struct route_match m;
    char allow[64];
    assert_int_equal(router_match(t3, 3, "GET", "/files/a.txt", &m, allow, sizeof allow),
                     ROUTER_FOUND);
    assert_ptr_equal(m.route, &t3[0]);
    assert_string_equal(m.params[0].value, "a.txt");
    assert_int_equal(router_match(t3, 3, "GET", "/files/index", &m, allow, sizeof allow),
                     ROUTER_FOUND);
    assert_ptr_equal(m.route, &t3[1]);
    assert_int_equal(router_match(t3, 3, "GET", "/zh/help/money", &m, allow, sizeof allow),
                     ROUTER_FOUND);
    assert_ptr_equal(m.route, &t3[2]);
    assert_string_equal(m.params[1].value, "money");
    assert_int_equal(router_match(t3, 3, "GET", "/zh/hel/money", &m, allow, sizeof allow),
                     ROUTER_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_path_matches_its_method),
        cmocka_unit_test(test_parameters_are_captured_by_name),
        cmocka_unit_test(test_literal_segment_beats_parameter),
        cmocka_unit_test(test_parameters_are_filled_in_order),
        cmocka_unit_test(test_parameter_in_a_leading_segment),
        cmocka_unit_test(test_unknown_path_is_not_found),
        cmocka_unit_test(test_known_path_with_wrong_method_is_405_with_allow),
        cmocka_unit_test(test_head_is_served_by_get_routes),
        cmocka_unit_test(test_overlong_parameter_does_not_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
