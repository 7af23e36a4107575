/* Handlers: the audit log (auditor, admin). */
#include "api/api.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/audit.h"

/* "YYYY-MM-DD" (start of that day in China) or an ISO instant. */
static int parse_bound(const char *s, bool end_of_day, int64_t *ms)
{
    int32_t day;
    if (clock_parse_date(s, &day) == YQ_OK) {
        *ms = ((int64_t)day + (end_of_day ? 1 : 0)) * 86400000LL -
              CLOCK_CST_OFFSET_MIN * 60000LL;
        return YQ_OK;
    }
    return clock_parse_iso(s, ms);
}

void h_audit_list(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    struct audit_filter f = {.entity = http_query(req, "entity"),
                             .actor = http_query(req, "actor")};
    if (f.entity && !f.entity[0]) f.entity = NULL;
    if (f.actor && !f.actor[0]) f.actor = NULL;
    if (http_paging(req, &f.offset, &f.limit, &p) != YQ_OK) {
        http_reply_problem(req, &p);
        return;
    }
    const char *from = http_query(req, "from"), *to = http_query(req, "to");
    if (from && from[0] && parse_bound(from, false, &f.from_ms) != YQ_OK) {
        http_reply_error(req, 422, "invalid_field", "from", "from 须为日期 YYYY-MM-DD");
        return;
    }
    if (to && to[0] && parse_bound(to, true, &f.to_ms) != YQ_OK) {
        http_reply_error(req, 422, "invalid_field", "to", "to 须为日期 YYYY-MM-DD");
        return;
    }
    json_t *list = audit_list(req->db, &f);
    if (!list) {
        http_reply_error(req, 500, "internal", NULL, "数据库错误");
        return;
    }
    api_reply(req, 200, list, NULL);
}
