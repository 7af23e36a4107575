/* Handlers: sign-up, enterprises and providers. */
#include "api/api.h"
#include "core/status.h"
#include "http/json.h"
#include "core/registration.h"
#include "service/parties.h"

#include <string.h>

void h_signup(struct request *req)
{
    static const char *const fields[] = {"role",        "username", "password",
                                         "uscc",        "name",     "county_code",
                                         "consent",     "consent_version", NULL};
    if (!api_need_db(req)) return;
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    struct signup_input in = {0};
    struct login_result r;
    json_t *party = NULL, *me = NULL;
    int rc = YQ_OK;
    static const char *const required[] = {"role", "username", "password", "uscc", "name"};
    const char **slots[] = {&in.role, &in.username, &in.password, &in.uscc, &in.name};
    for (int i = 0; i < 5 && rc == YQ_OK; i++)
        rc = json_get_string(body, required[i], true, slots[i], &p);
    if (rc == YQ_OK) rc = json_get_string(body, "county_code", false, &in.county_code, &p);
    /* The user agreement and privacy notice (GET /api/v1/public/agreements):
     * the sign-up page asks for them and sends `consent`, which is then
     * recorded with the version shown; `false` is refused. A client of the
     * SPEC's sign-up body, which has no such member, signs up with no
     * consent recorded. */
    bool consent = false, asked = json_object_get(body, "consent") != NULL;
    const char *seen = NULL;
    if (rc == YQ_OK) rc = json_get_bool(body, "consent", false, &consent, &p);
    if (rc == YQ_OK) rc = json_get_string(body, "consent_version", false, &seen, &p);
    if (rc == YQ_OK && (asked || seen) && !consent)
        rc = problem_set(&p, YQ_EBADREQ, "consent_required", "consent",
                         "请阅读并同意《用户协议》和《隐私政策》");
    if (rc == YQ_OK && seen && strcmp(seen, api_agreement_version()) != 0)
        rc = problem_set(&p, YQ_ECONFLICT, "agreement_changed", "consent_version",
                         "用户协议或隐私政策已更新，请重新阅读后同意");
    in.consent_version = consent ? api_agreement_version() : NULL;
    if (rc == YQ_OK)
        rc = parties_signup(req->db, &in, req->client_addr, req->request_id, &r, &party, &me,
                            &p);
    /* in.* borrow from body: decide the key before letting it go. */
    const char *key = rc == YQ_OK && strcmp(in.role, "enterprise") == 0 ? "enterprise" : "provider";
    json_decref(body);
    if (rc != YQ_OK) {
        http_reply_problem(req, &p);
        return;
    }
    /* Everything was rendered inside the committed transaction: nothing
     * can fail from here on. */
    api_set_session_cookies(req, r.token, r.csrf, 12 * 3600);
    http_reply_json(req, 201, json_pack("{s:o, s:o}", "user", me, key, party));
}

static bool party_status_ok(const char *s)
{
    return reg_parse(s) != REG_NONE;
}

static bool in_list(const char *s, const char *const *words)
{
    for (int i = 0; words[i]; i++)
        if (strcmp(s, words[i]) == 0) return true;
    return false;
}

static void list(struct request *req, enum party_kind k)
{
    struct problem p;
    problem_clear(&p);
    struct list_filter lf;
    if (!api_list_filter(req, &lf, party_status_ok)) return;
    struct party_query q = {
        .status = lf.status,
        .county = lf.county,
        .from_ms = lf.from_ms,
        .to_ms = lf.to_ms,
        .industry = api_query(req, "industry"),
        .tag = api_query(req, "tag"),
        .flag = api_query(req, "flag"),
        .q = api_query(req, "q"),
        .kind = api_query(req, "kind"),
    };
    /* The fixed vocabularies: a value outside them is a 422 naming the
     * filter, like status, not an empty list that reads as "none". */
    static const char *const flags[] = {"tech", "innovative", "high_growth", "specialized",
                                        "pilot", NULL};
    static const char *const kinds[] = {"platform", "industry", "application", NULL};
    if (q.industry && (q.industry[0] < 'A' || q.industry[0] > 'T' || q.industry[1])) {
        http_reply_error(req, 422, "invalid_field", "industry",
                         "industry 须为 GB/T 4754 门类代码 A 至 T");
        return;
    }
    if (q.flag && !in_list(q.flag, flags)) {
        http_reply_error(req, 422, "invalid_field", "flag", "未知的优先支持类别 flag：%.40s", q.flag);
        return;
    }
    if (q.kind && !in_list(q.kind, kinds)) {
        http_reply_error(req, 422, "invalid_field", "kind", "未知的服务商类型 kind：%.40s", q.kind);
        return;
    }
    const char *w = api_query(req, "warnings");
    if (w && strcmp(w, "true") != 0 && strcmp(w, "1") != 0 && strcmp(w, "false") != 0 &&
        strcmp(w, "0") != 0) {
        http_reply_error(req, 422, "invalid_field", "warnings", "warnings 须为 true 或 false");
        return;
    }
    q.warnings = w && (strcmp(w, "true") == 0 || strcmp(w, "1") == 0);
    if (http_paging(req, &q.offset, &q.limit, &p) != YQ_OK) {
        http_reply_problem(req, &p);
        return;
    }
    api_reply(req, 200, parties_list(req->db, &req->actor, k, &q, &p), &p);
}

static void get(struct request *req, enum party_kind k)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, parties_read(req->db, &req->actor, k, http_param(req, "id"), &p), &p);
}

static void mine(struct request *req, enum party_kind k)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, parties_mine(req->db, &req->actor, k, &p), &p);
}

static void patch(struct request *req, enum party_kind k)
{
    json_t *body = api_body(req, NULL);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = parties_edit(req->db, &req->actor, k, http_param(req, "id"), body, &p);
    json_decref(body);
    api_reply(req, 200, r, &p);
}

static json_t *submit_enterprise(struct db *db, const struct actor *a, const char *id,
                                 struct problem *p)
{
    return parties_submit(db, a, PARTY_ENTERPRISE, id, p);
}

static json_t *submit_provider(struct db *db, const struct actor *a, const char *id,
                               struct problem *p)
{
    return parties_submit(db, a, PARTY_PROVIDER, id, p);
}

static json_t *approve_enterprise(struct db *db, const struct actor *a, const char *id,
                                  const char *reason, struct problem *p)
{
    return parties_review(db, a, PARTY_ENTERPRISE, id, true, reason, p);
}

static json_t *reject_enterprise(struct db *db, const struct actor *a, const char *id,
                                 const char *reason, struct problem *p)
{
    return parties_review(db, a, PARTY_ENTERPRISE, id, false, reason, p);
}

static json_t *approve_provider(struct db *db, const struct actor *a, const char *id,
                                const char *reason, struct problem *p)
{
    return parties_review(db, a, PARTY_PROVIDER, id, true, reason, p);
}

static json_t *reject_provider(struct db *db, const struct actor *a, const char *id,
                               const char *reason, struct problem *p)
{
    return parties_review(db, a, PARTY_PROVIDER, id, false, reason, p);
}

void h_enterprises_list(struct request *req) { list(req, PARTY_ENTERPRISE); }
void h_enterprises_mine(struct request *req) { mine(req, PARTY_ENTERPRISE); }
void h_enterprises_get(struct request *req) { get(req, PARTY_ENTERPRISE); }
void h_enterprises_patch(struct request *req) { patch(req, PARTY_ENTERPRISE); }
void h_enterprises_submit(struct request *req) { api_bodyless_action(req, 200, submit_enterprise); }
void h_enterprises_approve(struct request *req) { api_reason_action(req, false, 200, approve_enterprise); }
void h_enterprises_reject(struct request *req) { api_reason_action(req, true, 200, reject_enterprise); }
void h_providers_list(struct request *req) { list(req, PARTY_PROVIDER); }
void h_providers_mine(struct request *req) { mine(req, PARTY_PROVIDER); }
void h_providers_get(struct request *req) { get(req, PARTY_PROVIDER); }
void h_providers_patch(struct request *req) { patch(req, PARTY_PROVIDER); }
void h_providers_submit(struct request *req) { api_bodyless_action(req, 200, submit_provider); }
void h_providers_approve(struct request *req) { api_reason_action(req, false, 200, approve_provider); }
void h_providers_reject(struct request *req) { api_reason_action(req, true, 200, reject_provider); }

void h_enterprises_batch_approve(struct request *req)
{
    static const char *const fields[] = {"ids", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = parties_batch_approve(req->db, &req->actor, json_object_get(body, "ids"), &p);
    json_decref(body);
    api_reply(req, 200, r, &p);
}

void h_enterprises_lookup(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    const char *uscc = api_query(req, "uscc");
    if (!uscc) {
        http_reply_error(req, 422, "missing_field", "uscc", "请提供企业的统一社会信用代码 uscc");
        return;
    }
    api_reply(req, 200, parties_lookup_enterprise(req->db, uscc, &p), &p);
}
