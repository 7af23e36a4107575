/* Handlers: redemption applications (兑现) and the pending-work counts. */
#include "api/api.h"
#include "core/redemption_state.h"
#include "core/status.h"
#include "http/multipart.h"
#include "service/redemptions.h"

#include <string.h>

void h_redemptions_periods(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply_list(req, redemptions_periods(req->db, &req->actor, &p), &p);
}

void h_redemptions_claimable(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply_list(req,
                   redemptions_claimable(req->db, &req->actor, api_query(req, "county_code"),
                                         api_query(req, "period"), &p),
                   &p);
}

void h_redemptions_create(struct request *req)
{
    api_body_create(req, redemptions_create);
}

void h_redemptions_patch(struct request *req)
{
    api_body_action(req, redemptions_patch);
}

void h_redemptions_submit(struct request *req)
{
    api_bodyless_action(req, 200, redemptions_submit);
}

void h_redemptions_withdraw(struct request *req)
{
    api_bodyless_action(req, 200, redemptions_withdraw);
}

void h_redemptions_evaluate(struct request *req)
{
    api_body_action(req, redemptions_evaluate);
}

void h_redemptions_review(struct request *req)
{
    api_body_action(req, redemptions_review);
}

static bool redemption_status_ok(const char *s)
{
    enum redemption_state st;
    return redemption_state_parse(s, &st) == YQ_OK;
}

/* Filters: q (provider name or USCC), county (or its older name
 * county_code, used by the pages' links), status, period, and from/to on
 * the submission day. */
void h_redemptions_list(struct request *req)
{
    int64_t offset, limit;
    struct list_filter f;
    if (!api_paging(req, &offset, &limit) || !api_list_filter(req, &f, redemption_status_ok))
        return;
    const char *county_code = api_query(req, "county_code");
    if (county_code && !f.county) {
        size_t n = strlen(county_code);
        bool digits = n >= 6 && n <= 12;
        for (size_t i = 0; digits && i < n; i++)
            digits = county_code[i] >= '0' && county_code[i] <= '9';
        if (!digits) {
            http_reply_error(req, 422, "invalid_field", "county_code",
                             "区县 county_code 须为区县代码");
            return;
        }
        f.county = county_code;
    }
    const char *period;
    if (!api_period_filter(req, &period)) return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, redemptions_list(req->db, &req->actor, &f, period, offset, limit, &p), &p);
}

void h_redemptions_get(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, redemptions_read(req->db, &req->actor, http_param(req, "id"), &p), &p);
}

void h_redemptions_attach(struct request *req)
{
    struct multipart_part part;
    if (!api_upload(req, &part)) return;
    struct problem p;
    problem_clear(&p);
    api_reply_upload(req,
                     redemptions_attach(req->db, &req->actor, http_param(req, "id"),
                                        api_options()->data_dir, part.filename, part.data, part.len,
                                        &p),
                     &p);
}

void h_redemptions_attachment(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    char type[64], name[256];
    int fd = redemptions_attachment_open(req->db, &req->actor, http_param(req, "id"),
                                         http_param(req, "sha256"), api_options()->data_dir, type,
                                         name, &p);
    api_reply_file(req, fd, type, name, &p);
}

void h_work_pending(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, work_pending(req->db, &req->actor, &p), &p);
}
