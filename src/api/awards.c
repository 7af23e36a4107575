/* Handlers: targets per county and year, the completion report, the
 * assessment scores and the awards (考核与奖补, SPEC §9, issue 10). */
#include "api/api.h"
#include "service/awards.h"
#include "service/targets.h"

/* A year from the query (required) or the path. */
typedef json_t *(*year_read_fn)(struct db *db, const struct actor *a, int year, struct problem *p);
typedef json_t *(*year_write_fn)(struct db *db, const struct actor *a, int year, json_t *body,
                                 struct problem *p);

static void year_read(struct request *req, bool required, year_read_fn fn)
{
    int year;
    if (!api_year(req, api_query(req, "year"), required, &year)) return;
    struct problem p;
    problem_clear(&p);
    api_reply_list(req, fn(req->db, &req->actor, year, &p), &p);
}

static void year_write(struct request *req, const char *const *fields, year_write_fn fn)
{
    int year;
    if (!api_year(req, http_param(req, "year"), true, &year)) return;
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = fn(req->db, &req->actor, year, body, &p);
    json_decref(body);
    api_reply(req, 200, r, &p);
}

void h_targets_get(struct request *req)
{
    year_read(req, true, county_targets_get);
}

void h_targets_put(struct request *req)
{
    static const char *const fields[] = {"reason", "items", NULL};
    year_write(req, fields, county_targets_put);
}

void h_reports_completion(struct request *req)
{
    int year;
    if (!api_year(req, api_query(req, "year"), true, &year)) return;
    struct problem p;
    problem_clear(&p);
    api_reply_list(req, reports_completion(http_read_db(req), &req->actor, year, &p), &p);
}

void h_assessment_get(struct request *req)
{
    year_read(req, true, assessment_get);
}

void h_assessment_put(struct request *req)
{
    static const char *const fields[] = {"items", NULL};
    year_write(req, fields, assessment_put);
}

void h_awards_list(struct request *req)
{
    year_read(req, false, awards_allocations);
}

void h_awards_create(struct request *req)
{
    static const char *const fields[] = {"year", "pool_fen", "weights", "reference", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = awards_create(req->db, &req->actor, body, &p);
    json_decref(body);
    api_reply(req, 201, r, &p);
}

void h_awards_get(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, awards_preview(req->db, &req->actor, http_param(req, "id"), &p), &p);
}

void h_awards_patch(struct request *req)
{
    static const char *const fields[] = {"year", "pool_fen", "weights", "reference", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = awards_patch(req->db, &req->actor, http_param(req, "id"), body, &p);
    json_decref(body);
    api_reply(req, 200, r, &p);
}

void h_awards_post(struct request *req)
{
    api_bodyless_action(req, 200, awards_post);
}

void h_award_recipients_list(struct request *req)
{
    year_read(req, false, awards_recipients);
}

void h_award_recipients_create(struct request *req)
{
    static const char *const fields[] = {"kind", "year",       "county_code", "name",
                                         "uscc", "amount_fen", "reason",      NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = awards_recipient_create(req->db, &req->actor, body, &p);
    json_decref(body);
    api_reply(req, 201, r, &p);
}

void h_award_recipients_pay(struct request *req)
{
    static const char *const fields[] = {"reference", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = awards_recipient_pay(req->db, &req->actor, http_param(req, "id"), body, &p);
    json_decref(body);
    api_reply(req, 200, r, &p);
}
