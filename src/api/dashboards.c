/* Handlers: the dashboards of SPEC §12 (issue 10), see docs/reports.md.
 * The route table decides who may call each; the service decides scope. */
#include "api/api.h"
#include "service/dashboards.h"

static void reply(struct request *req, json_t *r, struct problem *p)
{
    api_reply(req, 200, r, p);
}

void h_dashboard_city(struct request *req)
{
    int year;
    if (!api_year(req, api_query(req, "year"), true, &year)) return;
    struct problem p;
    problem_clear(&p);
    reply(req, dashboard_city(http_read_db(req), &req->actor, year, &p), &p);
}

void h_dashboard_county(struct request *req)
{
    int year;
    if (!api_year(req, api_query(req, "year"), true, &year)) return;
    struct problem p;
    problem_clear(&p);
    reply(req, dashboard_county(http_read_db(req), &req->actor, year, api_query(req, "county_code"), &p), &p);
}

void h_dashboard_provider(struct request *req)
{
    int year;
    if (!api_year(req, api_query(req, "year"), true, &year)) return;
    struct problem p;
    problem_clear(&p);
    reply(req, dashboard_provider(http_read_db(req), &req->actor, year, &p), &p);
}

void h_dashboard_enterprise(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    reply(req, dashboard_enterprise(http_read_db(req), &req->actor, &p), &p);
}
