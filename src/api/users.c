/* Handlers: accounts (admin makes officials' accounts; officials read
 * within their scope) and the failed-login throttles (admin clears them). */
#include "api/api.h"
#include "core/status.h"
#include "http/json.h"
#include "service/accounts.h"
#include "service/guard.h"

#include <string.h>

static bool account_status_ok(const char *s)
{
    return strcmp(s, "active") == 0 || strcmp(s, "locked") == 0;
}

/* GET /users?q=&role=&county=&status=active|locked: each filter narrows the
 * actor's scope; a bad value is refused naming its field. */
void h_users_list(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    struct list_filter lf;
    struct users_filter f = {.locked = -1};
    if (!api_list_filter(req, &lf, account_status_ok) || !api_paging(req, &f.offset, &f.limit))
        return;
    f.q = lf.q;
    f.county = lf.county;
    if (lf.status) f.locked = strcmp(lf.status, "locked") == 0;
    f.role = api_query(req, "role");
    if (f.role && role_parse(f.role) == ROLE_NONE) {
        http_reply_error(req, 422, "invalid_field", "role", "未知的角色 role：%.40s", f.role);
        return;
    }
    json_t *list = accounts_list(req->db, &req->actor, &f, &p);
    if (!list) {
        http_reply_problem(req, &p);
        return;
    }
    api_reply(req, 200, list, NULL);
}

void h_users_create(struct request *req)
{
    static const char *const fields[] = {"username", "password",    "role",
                                         "display_name", "county_code", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    struct account_input in = {0};
    struct user u;
    if (json_get_string(body, "username", true, &in.username, &p) != YQ_OK ||
        json_get_string(body, "password", true, &in.password, &p) != YQ_OK ||
        json_get_string(body, "role", true, &in.role, &p) != YQ_OK ||
        json_get_string(body, "display_name", true, &in.display_name, &p) != YQ_OK ||
        json_get_string(body, "county_code", false, &in.county_code, &p) != YQ_OK ||
        accounts_create(req->db, &req->actor, &in, false, &u, &p) != YQ_OK) {
        json_decref(body);
        http_reply_problem(req, &p);
        return;
    }
    json_decref(body);
    http_reply_json(req, 201, json_pack("{s:o}", "user", user_to_json(&u)));
}

void h_users_get(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    struct user u;
    if (accounts_get(req->db, &req->actor, http_param(req, "id"), &u, &p) != YQ_OK) {
        http_reply_problem(req, &p);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o}", "user", user_to_json(&u)));
}

void h_users_lock(struct request *req)
{
    static const char *const fields[] = {"locked", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    bool locked = false;
    struct user u;
    if (json_get_bool(body, "locked", true, &locked, &p) != YQ_OK ||
        accounts_set_locked(req->db, &req->actor, http_param(req, "id"), locked, &u, &p) !=
            YQ_OK) {
        json_decref(body);
        http_reply_problem(req, &p);
        return;
    }
    json_decref(body);
    http_reply_json(req, 200, json_pack("{s:o}", "user", user_to_json(&u)));
}

void h_users_password(struct request *req)
{
    static const char *const fields[] = {"password", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    const char *password = NULL;
    if (json_get_string(body, "password", true, &password, &p) != YQ_OK ||
        accounts_set_password(req->db, &req->actor, http_param(req, "id"), password, &p) !=
            YQ_OK) {
        json_decref(body);
        http_reply_problem(req, &p);
        return;
    }
    json_decref(body);
    http_reply_json(req, 200, json_object());
}

void h_users_counties(struct request *req)
{
    static const char *const fields[] = {"county_codes", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *out = NULL;
    json_t *codes = json_object_get(body, "county_codes");
    if (!codes)
        problem_set(&p, YQ_EINVAL, "missing_field", "county_codes", "缺少字段：county_codes");
    else
        accounts_set_counties(req->db, &req->actor, http_param(req, "id"), codes, &out, &p);
    json_decref(body);
    api_reply(req, 200, out ? json_pack("{s:o}", "counties", out) : NULL, &p);
}

void h_throttles_list(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply_list(req, guard_list(req->db, &p), &p);
}

void h_throttles_clear(struct request *req)
{
    static const char *const fields[] = {"username", "client_addr", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    const char *username = NULL, *addr = NULL;
    int64_t cleared = 0;
    int rc = json_get_string(body, "username", false, &username, &p);
    if (rc == YQ_OK) rc = json_get_string(body, "client_addr", false, &addr, &p);
    if (rc == YQ_OK) rc = guard_unlock(req->db, &req->actor, username, addr, &cleared, &p);
    json_decref(body);
    api_reply(req, 200, rc == YQ_OK ? json_pack("{s:I}", "cleared", (json_int_t)cleared) : NULL,
              &p);
}
