/* Handlers: the audit log (auditor, admin). */
#include "api/api.h"
#include "core/status.h"
#include "service/audit_log.h"

void h_audit_list(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    struct audit_query q = {.entity = http_query(req, "entity"),
                            .entity_id = http_query(req, "entity_id"),
                            .actor = http_query(req, "actor"),
                            .from = http_query(req, "from"),
                            .to = http_query(req, "to")};
    if (!api_keyword(req, &q.q)) return;
    if (http_paging(req, &q.offset, &q.limit, &p) != YQ_OK) {
        http_reply_problem(req, &p);
        return;
    }
    api_reply(req, 200, audit_log_list(req->db, &q, &p), &p);
}

void h_audit_verify(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, audit_log_verify(req->db, &p), &p);
}
