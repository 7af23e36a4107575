/* api: the route table and one file of handlers per resource. Handlers
 * parse, authorize, call a service, render; they never write SQL.
 *   routes.c    the table: method, path, roles, handler
 *   dispatch.c  the one authorization path every route goes through
 *   health.c    /healthz, /metrics, /api/v1/openapi.json
 *   auth.c      login, logout, me
 *   users.c     accounts
 *   counties.c  counties and targets
 *   audit.c     the audit log
 */
#ifndef YQ_API_H
#define YQ_API_H

#include "http/request.h"
#include "http/router.h"

#include <stdbool.h>
#include <stddef.h>

struct api_options {
    bool cookie_secure; /* mark cookies Secure (behind TLS) */
};

extern const struct route api_routes[];
extern const size_t api_route_count;

void api_init(const struct api_options *opt);
/* Routes, authorizes and answers a request; false when no route's path
 * matched and the path is not under /api/ (static files may answer). */
bool api_dispatch(struct request *req);

/* Handlers (one file per resource). */
void h_healthz(struct request *req);
void h_metrics(struct request *req);
void h_openapi(struct request *req);
void h_login(struct request *req);
void h_logout(struct request *req);
void h_me(struct request *req);
void h_users_list(struct request *req);
void h_users_create(struct request *req);
void h_users_get(struct request *req);
void h_users_lock(struct request *req);
void h_users_password(struct request *req);
void h_counties_list(struct request *req);
void h_audit_list(struct request *req);

/* Shared by handlers: the parsed JSON body, or NULL after replying 4xx. */
json_t *api_body(struct request *req, const char *const *allowed_fields);
/* Sets (max_age > 0) or clears (0) the yq_session and yq_csrf cookies. */
void api_set_session_cookies(struct request *req, const char *token, const char *csrf,
                             int max_age);
/* Replies 503 when the worker has no database. */
bool api_need_db(struct request *req);

#endif
