/* Handlers: reference catalog, catalog items, the public catalog and
 * provider pages, the negative list. */
#include "api/api.h"
#include "core/clock.h"
#include "core/status.h"
#include "http/json.h"
#include "service/catalog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int query_int(struct request *req, const char *key, int64_t *out)
{
    const char *s = api_query(req, key);
    if (!s) return YQ_OK;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0) {
        http_reply_error(req, 422, "invalid_field", key, "%s 须为非负整数", key);
        return YQ_EINVAL;
    }
    *out = v;
    return YQ_OK;
}

/* Reads the catalog filters; false after replying 422. */
static bool filters(struct request *req, struct catalog_filter *f)
{
    struct problem p;
    problem_clear(&p);
    *f = (struct catalog_filter){
        .category = api_query(req, "category"),
        .subcategory = api_query(req, "subcategory"),
        .provider_id = api_query(req, "provider"),
        .q = api_query(req, "q"),
        .status = api_query(req, "status"),
        .valid_on = api_query(req, "valid_on"),
        .price_min = -1,
        .price_max = -1,
    };
    if (query_int(req, "service", &f->service_id) || query_int(req, "price_min", &f->price_min) ||
        query_int(req, "price_max", &f->price_max))
        return false;
    static const char *const statuses[] = {"pending", "published", "rejected", "withdrawn", NULL};
    bool known = !f->status;
    for (int i = 0; !known && statuses[i]; i++)
        known = strcmp(f->status, statuses[i]) == 0;
    if (!known) {
        http_reply_error(req, 422, "invalid_field", "status", "未知的状态 status：%.40s",
                         f->status);
        return false;
    }
    int32_t day;
    if (f->valid_on && clock_parse_date(f->valid_on, &day) != YQ_OK) {
        http_reply_error(req, 422, "invalid_field", "valid_on", "有效日期须为 YYYY-MM-DD");
        return false;
    }
    const char *pending = api_query(req, "pending");
    f->pending_review = pending && (pending[0] == '1' || pending[0] == 't');
    if (http_paging(req, &f->offset, &f->limit, &p) != YQ_OK) {
        http_reply_problem(req, &p);
        return false;
    }
    return true;
}

void h_reference_catalog(struct request *req)
{
    if (!api_need_db(req)) return;
    json_t *r = reference_services_list(req->db);
    if (!r)
        http_reply_error(req, 500, "internal", NULL, "数据库错误");
    else
        api_reply_list(req, r, NULL);
}

void h_public_catalog(struct request *req)
{
    if (!api_need_db(req)) return;
    struct catalog_filter f;
    if (!filters(req, &f)) return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, catalog_public(req->db, &f, &p), &p);
}

void h_public_providers(struct request *req)
{
    if (!api_need_db(req)) return;
    struct problem p;
    problem_clear(&p);
    int64_t offset, limit;
    if (http_paging(req, &offset, &limit, &p) != YQ_OK) {
        http_reply_problem(req, &p);
        return;
    }
    const char *kind = api_query(req, "kind");
    if (kind && strcmp(kind, "platform") != 0 && strcmp(kind, "industry") != 0 &&
        strcmp(kind, "application") != 0) {
        http_reply_error(req, 422, "invalid_field", "kind", "未知的服务商类型 kind：%.40s", kind);
        return;
    }
    /* Items on offer: published, their validity not ended today. */
    char today[16];
    clock_today(today);
    json_t *r = providers_public_list(req->db, api_query(req, "q"), kind, today, offset, limit);
    if (!r)
        http_reply_error(req, 500, "internal", NULL, "数据库错误");
    else
        api_reply(req, 200, r, NULL);
}

void h_public_provider(struct request *req)
{
    if (!api_need_db(req)) return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, catalog_public_provider(req->db, http_param(req, "id"), &p), &p);
}

void h_catalog_list(struct request *req)
{
    struct catalog_filter f;
    if (!filters(req, &f)) return;
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, catalog_items_list(req->db, &req->actor, &f, &p), &p);
}

void h_catalog_get(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, catalog_read(req->db, &req->actor, http_param(req, "id"), &p), &p);
}

void h_catalog_create(struct request *req)
{
    json_t *body = api_body(req, NULL);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = catalog_submit(req->db, &req->actor, body, &p);
    json_decref(body);
    api_reply(req, 201, r, &p);
}

void h_catalog_patch(struct request *req)
{
    json_t *body = api_body(req, NULL);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = catalog_edit(req->db, &req->actor, http_param(req, "id"), body, &p);
    json_decref(body);
    api_reply(req, 200, r, &p);
}

static json_t *publish(struct db *db, const struct actor *a, const char *id, const char *reason,
                       struct problem *p)
{
    return catalog_review(db, a, id, true, reason, p);
}

static json_t *reject(struct db *db, const struct actor *a, const char *id, const char *reason,
                      struct problem *p)
{
    return catalog_review(db, a, id, false, reason, p);
}

void h_catalog_publish(struct request *req) { api_reason_action(req, false, 200, publish); }
void h_catalog_reject(struct request *req) { api_reason_action(req, true, 200, reject); }

void h_catalog_withdraw(struct request *req)
{
    api_bodyless_action(req, 200, catalog_withdraw);
}

static bool negative_status_ok(const char *s)
{
    return strcmp(s, "active") == 0 || strcmp(s, "lifted") == 0;
}

/* Filters: q (name or USCC); officials also status (active, lifted) and
 * from/to (the day it was listed). */
static void negative_list(struct request *req, bool include_lifted)
{
    if (!api_need_db(req)) return;
    struct problem p;
    problem_clear(&p);
    int64_t offset, limit;
    if (http_paging(req, &offset, &limit, &p) != YQ_OK) {
        http_reply_problem(req, &p);
        return;
    }
    struct list_filter f;
    if (!api_list_filter(req, &f, negative_status_ok)) return;
    if (!include_lifted) f.status = NULL, f.from_ms = f.to_ms = 0;
    api_reply(req, 200, negative_list_view(req->db, include_lifted, &f, offset, limit, &p), &p);
}

void h_public_negative_list(struct request *req) { negative_list(req, false); }
void h_negative_list(struct request *req) { negative_list(req, true); }

void h_negative_list_add(struct request *req)
{
    static const char *const fields[] = {"uscc", "reason", "evidence", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    const char *uscc = NULL, *reason = NULL, *evidence = NULL;
    json_t *r = NULL;
    if (json_get_string(body, "uscc", true, &uscc, &p) == YQ_OK &&
        json_get_string(body, "reason", true, &reason, &p) == YQ_OK &&
        json_get_string(body, "evidence", true, &evidence, &p) == YQ_OK)
        r = negative_list_add(req->db, &req->actor, uscc, reason, evidence, &p);
    json_decref(body);
    api_reply(req, 201, r, &p);
}

void h_negative_list_lift(struct request *req)
{
    api_reason_action(req, true, 200, negative_list_lift);
}
