/* Handlers: counties and their targets; the working-day calendar. */
#include "api/api.h"
#include "service/calendar.h"
#include "store/users.h"

void h_counties_list(struct request *req)
{
    json_t *list = counties_list(req->db);
    if (!list) {
        http_reply_error(req, 500, "internal", NULL, "数据库错误");
        return;
    }
    api_reply(req, 200, list, NULL);
}

void h_calendar_workdays(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, calendar_workdays(api_query(req, "from"), api_query(req, "n"), &p), &p);
}
