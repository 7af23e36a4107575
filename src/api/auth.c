/* Handlers: login, logout, me; the client address behind trusted proxies. */
#include "api/api.h"
#include "core/status.h"
#include "http/json.h"
#include "service/accounts.h"
#include "service/auth.h"
#include "service/client_addr.h"
#include "service/parties.h"

#include <microhttpd.h>
#include <string.h>
#include <strings.h>

/* X-Forwarded-For lines gathered in order, joined with commas (capped:
 * a longer list is cut at the left, where the client wrote it). */
struct forwarded_lines {
    char text[2048];
    size_t len;
};

static enum MHD_Result gather_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                        const char *value)
{
    (void)kind;
    struct forwarded_lines *f = cls;
    if (!key || !value || strcasecmp(key, "X-Forwarded-For") != 0) return MHD_YES;
    size_t n = strlen(value), room = sizeof f->text - 1;
    if (f->len && n + 1 + f->len <= room) {
        f->text[f->len++] = ',';
    } else if (f->len) { /* keep the right end: the hops our proxies wrote */
        f->len = 0;
    }
    if (n > room) {
        value += n - room;
        n = room;
    }
    memcpy(f->text + f->len, value, n);
    f->len += n;
    f->text[f->len] = '\0';
    return MHD_YES;
}

const char *api_client_addr(struct request *req)
{
    struct forwarded_lines f = {.len = 0};
    f.text[0] = '\0';
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, gather_forwarded, &f);
    char *out = arena_alloc(&req->arena, sizeof req->client_addr);
    client_addr_resolve(req->client_addr, f.len ? f.text : NULL, out, sizeof req->client_addr);
    return out;
}

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
                        api_client_addr(req), req->request_id, &r, &p);
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
