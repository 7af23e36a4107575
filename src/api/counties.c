/* Handlers: counties and their targets; the working-day calendar. */
#include "api/api.h"
#include "service/calendar.h"
#include "service/reference.h"

void h_counties_list(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply_list(req, reference_counties(req->db, &p), &p);
}

void h_calendar_workdays(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    /* Without a database: the compiled-in years (calendar_official). */
    json_t *r = calendar_workdays(req->db, api_query(req, "from"), api_query(req, "n"), &p);
    api_reply(req, 200, r, &p);
}
