/* Handlers: login, logout, me; the client address behind trusted proxies. */
#include "api/api.h"
#include "core/status.h"
#include "http/json.h"
#include "service/accounts.h"
#include "service/auth.h"
#include "service/parties.h"

#include <string.h>

void api_reply_me(struct request *req, int status, const struct user *u, const char *key,
                  json_t *extra)
{
    json_t *me = parties_me(req->db, u);
    if (!me) {
        json_decref(extra);
        http_reply_error(req, 500, "internal", NULL, "数据库错误");
        return;
    }
    json_t *o = json_pack("{s:o}", "user", me);
    if (key) json_object_set_new(o, key, extra);
    http_reply_json(req, status, o);
}

void h_login(struct request *req)
{
    static const char *const fields[] = {"username", "password", NULL};
    if (!api_need_db(req)) return;
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    const char *username = NULL, *password = NULL;
    if (json_get_string(body, "username", true, &username, &p) != YQ_OK ||
        json_get_string(body, "password", true, &password, &p) != YQ_OK) {
        http_reply_problem(req, &p);
        json_decref(body);
        return;
    }
    struct login_result r;
    int rc = auth_login(req->db, username, password, http_cookie(req, "yq_session"),
                        req->client_addr, req->request_id, &r, &p);
    json_decref(body);
    if (rc != YQ_OK) {
        http_reply_problem(req, &p);
        return;
    }
    api_set_session_cookies(req, r.token, r.csrf, (int)(AUTH_ABSOLUTE_MS / 1000));
    api_reply_me(req, 200, &r.user, NULL, NULL);
}

void h_logout(struct request *req)
{
    auth_logout(req->db, &req->actor);
    api_set_session_cookies(req, "", "", 0);
    http_reply_json(req, 200, json_object());
}

void h_password_change(struct request *req)
{
    static const char *const fields[] = {"current_password", "new_password", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    const char *current = NULL, *password = NULL;
    if (json_get_string(body, "current_password", true, &current, &p) != YQ_OK ||
        json_get_string(body, "new_password", true, &password, &p) != YQ_OK ||
        accounts_change_own_password(req->db, &req->actor, req->session_token, current, password,
                                     &p) != YQ_OK) {
        json_decref(body);
        http_reply_problem(req, &p);
        return;
    }
    json_decref(body);
    http_reply_json(req, 200, json_object());
}

void h_me(struct request *req)
{
    api_reply_me(req, 200, &req->actor.user, NULL, NULL);
}
