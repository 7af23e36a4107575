/* Handlers: programs and their parameters. */
#include "api/api.h"
#include "core/status.h"
#include "http/json.h"
#include "service/programs.h"
#include "service/vouchers.h"

void h_programs_list(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply_list(req, programs_list(req->db, &p), &p);
}

void h_programs_get(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, programs_get(req->db, http_param(req, "id"), &p), &p);
}

void h_programs_patch(struct request *req)
{
    static const char *const fields[] = {"parameters", "reason", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    const char *reason = NULL;
    json_t *result = NULL;
    json_t *changes = json_object_get(body, "parameters");
    if (json_get_string(body, "reason", true, &reason, &p) == YQ_OK) {
        if (!json_is_object(changes))
            problem_set(&p, YQ_EINVAL, "wrong_type", "parameters", "parameters 须为对象");
        else
            result = programs_update_parameters(req->db, &req->actor, http_param(req, "id"),
                                                changes, reason, &p);
    }
    json_decref(body);
    api_reply(req, 200, result, &p);
}

void h_programs_ratio(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200,
              programs_ratio(req->db, http_param(req, "id"), http_query(req, "date"), &p), &p);
}

void h_programs_waitlist_close(struct request *req)
{
    api_reason_action(req, false, 200, vouchers_close_waitlist);
}
