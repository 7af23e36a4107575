/* Tests of src/http/reply.c: a problem becomes its HTTP status, and a
 * failure nobody explained is a 500, never a 200 with an error body. */
#include "test.h"

#include "core/status.h"
#include "http/request.h"

#include <string.h>

static void init(struct request *req)
{
    memset(req, 0, sizeof *req);
    arena_init(&req->arena);
    buf_init(&req->out, 1024 * 1024);
    req->method = "POST";
    req->path = "/api/v1/contracts/x/confirm";
    req->fd = -1;
}

static void done(struct request *req)
{
    buf_cleanup(&req->out);
    arena_free(&req->arena);
}

static void test_problem_maps_to_its_status(void **state)
{
    (void)state;
    struct request req;
    init(&req);
    struct problem p;
    problem_clear(&p);
    problem_set(&p, YQ_ECONFLICT, "invalid_state", NULL, "合同当前状态不能确认");
    http_reply_problem(&req, &p);
    assert_int_equal(req.status, 409);
    assert_non_null(strstr(req.out.data, "invalid_state"));
    done(&req);
}

static void test_unexplained_failure_is_a_500_not_a_200(void **state)
{
    (void)state;
    struct request req;
    init(&req);
    struct problem p;
    problem_clear(&p); /* a service returned NULL without filling it */
    http_reply_problem(&req, &p);
    assert_int_equal(req.status, 500);
    assert_non_null(strstr(req.out.data, "\"internal\""));
    done(&req);
}

static void test_discard_lets_another_reply_replace_the_first(void **state)
{
    (void)state;
    struct request req;
    init(&req);
    http_add_header(&req, "X-Thing", "1");
    http_reply_text(&req, 201, "application/json", "{}", 2);
    http_reply_discard(&req);
    http_reply_error(&req, 503, "busy", NULL, "系统繁忙");
    assert_int_equal(req.status, 503);
    assert_null(req.headers);
    assert_non_null(strstr(req.out.data, "busy"));
    done(&req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_problem_maps_to_its_status),
        cmocka_unit_test(test_unexplained_failure_is_a_500_not_a_200),
        cmocka_unit_test(test_discard_lets_another_reply_replace_the_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
