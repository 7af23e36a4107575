/* The route table and the OpenAPI document agree: every route is
 * documented with its roles, and every documented operation is routed. */
#include "test.h"

#include "api/api.h"
#include "core/roles.h"
#include "embedded.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static json_t *load_doc(void)
{
    json_error_t e;
    json_t *doc = json_loadb(yq_data_openapi_json, yq_data_openapi_json_len, 0, &e);
    if (!doc) fprintf(stderr, "openapi.json: %s at line %d\n", e.text, e.line);
    return doc;
}

static void lower(const char *in, char *out, size_t n)
{
    size_t i = 0;
    for (; in[i] && i < n - 1; i++) out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 : in[i]);
    out[i] = '\0';
}

static void test_document_is_openapi_3_1(void **state)
{
    (void)state;
    json_t *doc = load_doc();
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    json_decref(doc);
}

static void test_every_route_is_documented_with_its_roles(void **state)
{
    (void)state;
    json_t *doc = load_doc();
    json_t *paths = json_object_get(doc, "paths");
    for (size_t i = 0; i < api_route_count; i++) {
        const struct route *r = &api_routes[i];
        char method[16];
        lower(r->method, method, sizeof method);
        json_t *op = json_object_get(json_object_get(paths, r->pattern), method);
        if (!op) fail_msg("route %s %s is not in openapi.json", r->method, r->pattern);
        /* x-roles lists exactly the roles of the table row. */
        unsigned documented = 0;
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(op, "x-roles"), k, v)
        {
            const char *name = json_string_value(v);
            if (strcmp(name, "public") == 0) documented |= ROLE_PUBLIC;
            else if (strcmp(name, "any") == 0) documented |= ROLE_ANY_USER;
            else documented |= (unsigned)role_parse(name);
        }
        if (documented != r->roles)
            fail_msg("route %s %s: roles in table 0x%x, in openapi.json 0x%x", r->method,
                     r->pattern, r->roles, documented);
    }
    json_decref(doc);
}

static void test_every_documented_operation_is_routed(void **state)
{
    (void)state;
    json_t *doc = load_doc();
    const char *path;
    json_t *item;
    json_object_foreach(json_object_get(doc, "paths"), path, item)
    {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op)
        {
            bool found = false;
            for (size_t i = 0; i < api_route_count; i++) {
                char m[16];
                lower(api_routes[i].method, m, sizeof m);
                if (strcmp(m, method) == 0 && strcmp(api_routes[i].pattern, path) == 0)
                    found = true;
            }
            if (!found) fail_msg("openapi.json documents %s %s but no route serves it", method, path);
        }
    }
    json_decref(doc);
}

static void test_routes_are_unique(void **state)
{
    (void)state;
    for (size_t i = 0; i < api_route_count; i++)
        for (size_t j = i + 1; j < api_route_count; j++)
            if (strcmp(api_routes[i].method, api_routes[j].method) == 0 &&
                strcmp(api_routes[i].pattern, api_routes[j].pattern) == 0)
                fail_msg("duplicate route %s %s", api_routes[i].method, api_routes[i].pattern);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_is_openapi_3_1),
        cmocka_unit_test(test_every_route_is_documented_with_its_roles),
        cmocka_unit_test(test_every_documented_operation_is_routed),
        cmocka_unit_test(test_routes_are_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
