/* Handlers: public notices (公示), objections, payout batches (集中兑付)
 * and clawbacks (追回). */
#include "api/api.h"
#include "core/status.h"
#include "service/notices.h"
#include "service/payouts.h"

#include <string.h>

void h_notices_create(struct request *req)
{
    api_body_create(req, notices_open);
}

void h_notices_close(struct request *req)
{
    api_bodyless_action(req, 200, notices_close);
}

static bool notice_status_ok(const char *s)
{
    return strcmp(s, "open") == 0 || strcmp(s, "closed") == 0;
}

/* Filters: q (a provider of its applications, name or USCC), county,
 * status, period, from/to on the opening day. */
void h_notices_list(struct request *req)
{
    int64_t offset, limit;
    struct list_filter f;
    const char *period;
    if (!api_paging(req, &offset, &limit) || !api_list_filter(req, &f, notice_status_ok) ||
        !api_period_filter(req, &period))
        return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, notices_list(req->db, &req->actor, &f, period, offset, limit, &p), &p);
}

void h_notices_get(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, notices_read(req->db, &req->actor, http_param(req, "id"), &p), &p);
}

void h_public_notices(struct request *req)
{
    if (!api_need_db(req)) return;
    int64_t offset, limit;
    if (!api_paging(req, &offset, &limit)) return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, notices_public_list(req->db, offset, limit, &p), &p);
}

void h_public_notice(struct request *req)
{
    if (!api_need_db(req)) return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, notices_public_read(req->db, http_param(req, "id"), &p), &p);
}

void h_public_objection(struct request *req)
{
    if (!api_need_db(req)) return;
    static const char *const fields[] = {"name", "contact", "text", "voucher_code", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = objections_file(req->db, http_param(req, "id"), body, req->client_addr,
                                req->request_id, &p);
    json_decref(body);
    api_reply(req, 201, r, &p);
}

void h_objections_resolve(struct request *req)
{
    api_body_action(req, objections_resolve);
}

void h_payouts_create(struct request *req)
{
    api_body_create(req, payouts_create);
}

static bool payout_status_ok(const char *s)
{
    return strcmp(s, "draft") == 0 || strcmp(s, "paid") == 0;
}

/* Filters: q (bank reference), status, county, from/to (made on). */
void h_payouts_list(struct request *req)
{
    int64_t offset, limit;
    struct list_filter f;
    if (!api_paging(req, &offset, &limit) || !api_list_filter(req, &f, payout_status_ok)) return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, payouts_list(req->db, &req->actor, &f, offset, limit, &p), &p);
}

void h_payouts_get(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, payouts_read(req->db, &req->actor, http_param(req, "id"), &p), &p);
}

void h_payouts_bank(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    json_t *rows = payouts_bank_rows(req->db, &req->actor, http_param(req, "id"), &p);
    if (!rows) {
        http_reply_problem(req, &p);
        return;
    }
    api_reply_export(req, rows, "xlsx");
    json_decref(rows);
}

void h_payouts_paid(struct request *req)
{
    api_body_action(req, payouts_pay);
}

void h_clawbacks_create(struct request *req)
{
    api_body_create(req, clawbacks_create);
}

static bool no_status(const char *s)
{
    (void)s;
    return false; /* a clawback has no states */
}

/* Filters: q (voucher code or reason), county, from/to (recorded on). */
void h_clawbacks_list(struct request *req)
{
    int64_t offset, limit;
    struct list_filter f;
    if (!api_paging(req, &offset, &limit) || !api_list_filter(req, &f, no_status)) return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, clawbacks_list(req->db, &req->actor, &f, offset, limit, &p), &p);
}
