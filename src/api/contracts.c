/* Handlers: contracts and attachments, vouchers and the waitlist,
 * budgets and the ledger. */
#include "api/api.h"
#include "core/clock.h"
#include "core/json_out.h"
#include "core/status.h"
#include "http/json.h"
#include "http/multipart.h"
#include "service/contracts.h"
#include "service/vouchers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* A year from the query or path; false after replying 422. */
bool api_year(struct request *req, const char *s, bool required, int *year)
{
    *year = 0;
    if (!s || !s[0]) {
        if (!required) return true;
        http_reply_error(req, 422, "missing_field", "year", "请指定年度 year");
        return false;
    }
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 2000 || v > 2100) {
        http_reply_error(req, 422, "invalid_field", "year", "year 须为 2000 至 2100 的年度");
        return false;
    }
    *year = (int)v;
    return true;
}

void h_contracts_create(struct request *req)
{
    json_t *body = api_body(req, NULL);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = contracts_draft(req->db, &req->actor, body, &p);
    json_decref(body);
    api_reply(req, 201, r, &p);
}

static bool contract_status_ok(const char *s)
{
    return contract_state_parse(s) >= 0;
}

static bool voucher_status_ok(const char *s)
{
    enum voucher_state v;
    return voucher_state_parse(s, &v) == 0;
}

void h_contracts_list(struct request *req)
{
    int64_t offset, limit;
    struct list_filter f;
    if (!api_paging(req, &offset, &limit) || !api_list_filter(req, &f, contract_status_ok)) return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, contracts_list(req->db, &req->actor, &f, offset, limit, &p), &p);
}

void h_contracts_get(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, contracts_read(req->db, &req->actor, http_param(req, "id"), &p), &p);
}

/* The county its lane read (api_write_lane), for the write's lock. */
static void lane_known(struct request *req)
{
    contracts_lane_known(http_param(req, "id"), req->write_lane);
}

void h_contracts_confirm(struct request *req)
{
    lane_known(req);
    static const char *const fields[] = {NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    json_decref(body);
    struct problem p;
    problem_clear(&p);
    int status = 200;
    json_t *r = contracts_confirm(req->db, &req->actor, http_param(req, "id"), &status, &p);
    api_reply(req, status, r, &p);
}

void h_contracts_cancel(struct request *req)
{
    lane_known(req);
    api_bodyless_action(req, 200, contracts_cancel);
}

void h_contracts_terminate(struct request *req)
{
    lane_known(req);
    api_reason_action(req, true, 200, contracts_terminate);
}

void h_contracts_attach(struct request *req)
{
    struct multipart_part part;
    if (!api_upload(req, &part)) return;
    struct problem p;
    problem_clear(&p);
    api_reply_upload(req,
                     contracts_attach(req->db, &req->actor, http_param(req, "id"),
                                      api_options()->data_dir, part.filename, part.data, part.len,
                                      &p),
                     &p);
}

void h_contracts_attachment(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    char type[64], name[256];
    int fd = contracts_attachment_open(req->db, &req->actor, http_param(req, "id"),
                                       http_param(req, "sha256"), api_options()->data_dir, type,
                                       name, &p);
    api_reply_file(req, fd, type, name, &p);
}

void h_vouchers_list(struct request *req)
{
    int64_t offset, limit;
    struct list_filter f;
    if (!api_paging(req, &offset, &limit) || !api_list_filter(req, &f, voucher_status_ok)) return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, vouchers_list(req->db, &req->actor, &f, offset, limit, &p), &p);
}

void h_vouchers_get(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, vouchers_read(req->db, &req->actor, http_param(req, "id"), &p), &p);
}

void h_vouchers_qr(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    char *svg =
        vouchers_qr_svg(req->db, &req->actor, http_param(req, "id"), api_options()->public_url, &p);
    if (!svg) {
        http_reply_problem(req, &p);
        return;
    }
    http_reply_text(req, 200, "image/svg+xml", svg, strlen(svg));
    free(svg);
}

/* The public verification answer, written straight into the reply: it is
 * what a phone opens after scanning a voucher, the one anonymous read that
 * may come in a rush (docs/benchmarks.md, "Reads"). */
static void render_public_voucher(struct request *req, const struct voucher_public_answer *a)
{
    struct buf *b = http_reply_json_begin(req);
    if (!b) return;
    const struct voucher_public *v = &a->v;
    char issued_at[32];
    clock_format_iso(v->issued_at, issued_at);
    struct json_out o;
    json_out_begin(&o, b);
    json_out_str(&o, "code", v->code);
    json_out_int(&o, "amount_fen", v->amount_fen);
    json_out_int(&o, "redeemed_fen", v->redeemed_fen);
    json_out_str(&o, "status", voucher_state_name(v->state));
    json_out_int(&o, "issue_year", v->issue_year);
    json_out_str(&o, "issued_at", issued_at);
    json_out_str(&o, "service_end", v->service_end);
    json_out_str(&o, "holder", v->holder);
    json_out_str(&o, "provider_name", v->provider_name);
    json_out_str(&o, "county_name", v->county_name);
    json_out_str(&o, "program_name", v->program_name);
    json_out_str(&o, "status_name", voucher_state_label_zh(v->state));
    json_out_int(&o, "remaining_fen", a->remaining_fen);
    json_out_bool(&o, "genuine", true);
    json_out_str(&o, "verified_by", a->by_qr ? "qr" : "code");
    http_reply_json_end(req, 200, json_out_end(&o));
}

void h_public_voucher(struct request *req)
{
    if (!api_need_db(req) || !api_format_json(req)) return;
    struct problem p;
    problem_clear(&p);
    struct voucher_public_answer a;
    if (vouchers_public(req->db, http_public_db(req), http_param(req, "code"),
                        api_query(req, "token"), req->client_addr, &a, &p) != YQ_OK) {
        http_reply_problem(req, &p);
        return;
    }
    render_public_voucher(req, &a);
}

static bool waitlist_status_ok(const char *s)
{
    return waitlist_state_parse(s) >= 0;
}

/* Filters: year, q (enterprise name or USCC, contract number), county,
 * status (default: waiting), from/to (the contract's confirmation). */
void h_waitlist(struct request *req)
{
    int64_t offset, limit;
    int year;
    struct list_filter f;
    if (!api_paging(req, &offset, &limit) || !api_year(req, api_query(req, "year"), false, &year) ||
        !api_list_filter(req, &f, waitlist_status_ok))
        return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, vouchers_waitlist(req->db, &req->actor, &f, year, offset, limit, &p), &p);
}

void h_budgets(struct request *req)
{
    int year;
    if (!api_year(req, api_query(req, "year"), true, &year)) return;
    struct problem p;
    problem_clear(&p);
    api_reply_list(req, budgets_overview(req->db, &req->actor, year, &p), &p);
}

void h_budgets_fundings(struct request *req)
{
    int year;
    if (!api_year(req, api_query(req, "year"), true, &year)) return;
    struct problem p;
    problem_clear(&p);
    api_reply_list(
        req, budgets_fundings_list(req->db, &req->actor, year, api_query(req, "county"), &p), &p);
}

void h_budgets_fund(struct request *req)
{
    int year;
    if (!api_year(req, http_param(req, "year"), true, &year)) return;
    json_t *body = api_body(req, NULL);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = budgets_fund(req->db, &req->actor, http_param(req, "county_code"), year, body, &p);
    json_decref(body);
    api_reply(req, 201, r, &p);
}

void h_ledger_transfers(struct request *req)
{
    int64_t offset, limit;
    if (!api_paging(req, &offset, &limit)) return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200,
              budgets_transfers(req->db, &req->actor, api_query(req, "account"), offset, limit, &p),
              &p);
}

/* SPEC §13's budget report: the budget overview (as GET /budgets), read
 * like the other reports from the read database when one is set. */
void h_reports_budget(struct request *req)
{
    int year;
    if (!api_year(req, api_query(req, "year"), true, &year)) return;
    struct problem p;
    problem_clear(&p);
    api_reply_list(req, budgets_overview(http_read_db(req), &req->actor, year, &p), &p);
}

void h_reports_payments(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply_list(
        req, reports_payments(http_read_db(req), &req->actor, api_query(req, "period"), &p), &p);
}

void h_reports_county_progress(struct request *req)
{
    int year;
    if (!api_year(req, api_query(req, "year"), true, &year)) return;
    struct problem p;
    problem_clear(&p);
    api_reply_list(req, reports_county_progress(http_read_db(req), &req->actor, year, &p), &p);
}
