/* api: the route table and one file of handlers per resource. Handlers
 * parse, authorize, call a service, render; they never write SQL.
 *   routes.c    the table: method, path, roles, handler
 *   dispatch.c  the one authorization path every route goes through
 *   health.c    /healthz, /metrics, /api/v1/openapi.json
 *   site.c      the site's footer and the sign-up agreements (public)
 *   auth.c      login, logout, me
 *   users.c     accounts, login throttles
 *   counties.c  counties and targets
 *   audit.c     the audit log
 *   programs.c, parties.c, catalog.c, contracts.c  the program's resources
 *   enterprise_import.c  CSV import of enterprises (preview, commit, template)
 *   awards.c    targets, completion report, assessment and awards (考核与奖补)
 *   export_specs.c, export_cells.c, export_run.c, xlsx.c, csv_export.c
 *               ?format=xlsx|csv for every list (api/export.h)
 */
#ifndef YQ_API_H
#define YQ_API_H

#include "http/request.h"
#include "http/router.h"
#include "http/writers.h"
#include "store/list_filter.h"

#include <stdbool.h>
#include <stddef.h>

struct api_options {
    bool cookie_secure;     /* mark cookies Secure (behind TLS) */
    const char *data_dir;   /* attachments live under it */
    const char *public_url; /* base of links printed on vouchers (QR) */
    const char *metrics_token; /* Bearer token that may read /metrics; NULL or "" none */
    bool metrics_loopback;     /* loopback clients read /metrics without the token */
    /* The footer of the public pages: NULL or "" is not shown. */
    const char *site_host_org, *site_operator_org, *site_contact, *site_icp, *site_gov_code;
    /* Sign-up consent: the version recorded with a consent, and the texts
     * shown (NULL: the built-in ones, api/site.c). */
    const char *agreement_version, *agreement_text, *privacy_text;
    /* Tests only (YUNQUAN_FAULT=exit_after_commit): the process exits right
     * after committing an Idempotency-Key request, before answering. */
    bool fault_exit_after_commit;
};

/* The version of the sign-up agreements a consent records (api/site.c). */
const char *api_agreement_version(void);
/* The options the server was started with. */
const struct api_options *api_options(void);
/* The body cap of a route: uploads get their own (20 MiB + form overhead). */
size_t api_body_limit(const char *method, const char *path);

extern const struct route api_routes[];
extern const size_t api_route_count;

void api_init(const struct api_options *opt);
/* Called with the headers in, before the body is read: resolves the route
 * and, for a route that needs a session, the session, its CSRF token and
 * the role. Returns false after replying 401/403/503 (the body is then
 * never read); true otherwise (unknown routes are answered later). */
bool api_admit(struct request *req);
/* The lane of an admitted writing request (http/writers.h): the county
 * whose lock a contract's confirmation, cancellation or termination
 * waits for. */
bool api_write_lane(struct request *req, char key[WRITERS_LANE_KEY]);
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
void h_password_change(struct request *req);
void h_users_list(struct request *req);
void h_users_create(struct request *req);
void h_users_get(struct request *req);
void h_users_lock(struct request *req);
void h_users_password(struct request *req);
void h_users_counties(struct request *req);
void h_throttles_list(struct request *req);
void h_throttles_clear(struct request *req);
void h_counties_list(struct request *req);
void h_calendar_workdays(struct request *req);
void h_audit_list(struct request *req);
void h_audit_verify(struct request *req);
void h_signup(struct request *req);
void h_public_site(struct request *req);
void h_public_agreements(struct request *req);
void h_enterprises_licence_put(struct request *req);
void h_enterprises_licence_get(struct request *req);
void h_providers_licence_put(struct request *req);
void h_providers_licence_get(struct request *req);
void h_programs_list(struct request *req);
void h_programs_get(struct request *req);
void h_programs_patch(struct request *req);
void h_programs_ratio(struct request *req);
void h_programs_waitlist_close(struct request *req);
void h_enterprises_list(struct request *req);
void h_enterprises_mine(struct request *req);
void h_enterprises_lookup(struct request *req);
void h_enterprises_get(struct request *req);
void h_enterprises_patch(struct request *req);
void h_enterprises_submit(struct request *req);
void h_enterprises_approve(struct request *req);
void h_enterprises_reject(struct request *req);
void h_enterprises_batch_approve(struct request *req);
void h_enterprises_import(struct request *req);
void h_enterprises_import_template(struct request *req);
void h_providers_list(struct request *req);
void h_providers_mine(struct request *req);
void h_providers_get(struct request *req);
void h_providers_patch(struct request *req);
void h_providers_submit(struct request *req);
void h_providers_approve(struct request *req);
void h_providers_reject(struct request *req);
void h_reference_catalog(struct request *req);
void h_public_catalog(struct request *req);
void h_public_providers(struct request *req);
void h_public_provider(struct request *req);
void h_catalog_list(struct request *req);
void h_catalog_get(struct request *req);
void h_catalog_create(struct request *req);
void h_catalog_patch(struct request *req);
void h_catalog_publish(struct request *req);
void h_catalog_reject(struct request *req);
void h_catalog_withdraw(struct request *req);
void h_public_negative_list(struct request *req);
void h_negative_list(struct request *req);
void h_negative_list_add(struct request *req);
void h_negative_list_lift(struct request *req);
void h_contracts_create(struct request *req);
void h_contracts_list(struct request *req);
void h_contracts_get(struct request *req);
void h_contracts_confirm(struct request *req);
void h_contracts_cancel(struct request *req);
void h_contracts_terminate(struct request *req);
void h_contracts_attach(struct request *req);
void h_contracts_attachment(struct request *req);
void h_vouchers_list(struct request *req);
void h_search(struct request *req);
void h_vouchers_get(struct request *req);
void h_vouchers_qr(struct request *req);
void h_public_voucher(struct request *req);
void h_waitlist(struct request *req);
void h_budgets(struct request *req);
void h_reports_budget(struct request *req);
void h_reports_payments(struct request *req);
void h_budgets_fund(struct request *req);
void h_budgets_fundings(struct request *req);
void h_ledger_transfers(struct request *req);
void h_reports_county_progress(struct request *req);
void h_targets_get(struct request *req);
void h_targets_put(struct request *req);
void h_reports_completion(struct request *req);
void h_dashboard_city(struct request *req);
void h_dashboard_county(struct request *req);
void h_dashboard_provider(struct request *req);
void h_dashboard_enterprise(struct request *req);
void h_assessment_get(struct request *req);
void h_assessment_put(struct request *req);
void h_awards_list(struct request *req);
void h_awards_create(struct request *req);
void h_awards_get(struct request *req);
void h_awards_patch(struct request *req);
void h_awards_post(struct request *req);
void h_award_recipients_list(struct request *req);
void h_award_recipients_create(struct request *req);
void h_award_recipients_pay(struct request *req);
void h_redemptions_periods(struct request *req);
void h_redemptions_claimable(struct request *req);
void h_redemptions_create(struct request *req);
void h_redemptions_patch(struct request *req);
void h_redemptions_submit(struct request *req);
void h_redemptions_withdraw(struct request *req);
void h_redemptions_evaluate(struct request *req);
void h_redemptions_review(struct request *req);
void h_redemptions_list(struct request *req);
void h_redemptions_get(struct request *req);
void h_redemptions_attach(struct request *req);
void h_redemptions_attachment(struct request *req);
void h_work_pending(struct request *req);
void h_notices_create(struct request *req);
void h_notices_close(struct request *req);
void h_notices_list(struct request *req);
void h_notices_get(struct request *req);
void h_public_notices(struct request *req);
void h_public_notice(struct request *req);
void h_public_objection(struct request *req);
void h_objections_resolve(struct request *req);
void h_payouts_create(struct request *req);
void h_payouts_list(struct request *req);
void h_payouts_get(struct request *req);
void h_payouts_bank(struct request *req);
void h_payouts_paid(struct request *req);
void h_clawbacks_create(struct request *req);
void h_clawbacks_list(struct request *req);

/* Shared by handlers: the parsed JSON body, or NULL after replying 4xx. */
json_t *api_body(struct request *req, const char *const *allowed_fields);
/* Replies `result` with `status`, or the problem when result is NULL (a
 * 500 when p is NULL too). A list ({"items":…}) asked with ?format=xlsx
 * goes out as an Excel workbook (?format=csv: CSV). Steals result. */
void api_reply(struct request *req, int status, json_t *result, const struct problem *p);
/* 200 with a list read whole, paged when page/page_size are given (SPEC §13). */
void api_reply_list(struct request *req, json_t *result, const struct problem *p);
/* Whether ?format= is absent or one of json, xlsx, csv (an answer that is
 * no list is JSON in each); a 422 naming the field otherwise. */
bool api_format_json(struct request *req);
/* The two shapes most actions take. An action on the record {id} of the
 * path, with a body of at most {"reason": "…"} (required or not); or with
 * no body at all. They parse, call, and reply `status` or the problem. */
typedef json_t *(*api_reason_fn)(struct db *db, const struct actor *a, const char *id,
                                 const char *reason, struct problem *p);
typedef json_t *(*api_action_fn)(struct db *db, const struct actor *a, const char *id,
                                 struct problem *p);
void api_reason_action(struct request *req, bool reason_required, int status, api_reason_fn fn);
/* Two more: a new record from a JSON body (201), and an action on {id}
 * with a JSON body (200). */
typedef json_t *(*api_create_fn)(struct db *db, const struct actor *a, json_t *body,
                                 struct problem *p);
typedef json_t *(*api_body_fn)(struct db *db, const struct actor *a, const char *id, json_t *body,
                               struct problem *p);
void api_body_create(struct request *req, api_create_fn fn);
void api_body_action(struct request *req, api_body_fn fn);
/* The list filters q, county, status (checked by `status_ok` when given),
 * from and to (days, China time); false after replying 422 naming the
 * field. */
bool api_list_filter(struct request *req, struct list_filter *f, bool (*status_ok)(const char *));
/* The keyword q (NULL when absent): UTF-8, at most 100 bytes; false after
 * replying 422 naming `q`. */
bool api_keyword(struct request *req, const char **q);
/* The half-year period filter "2019H1" (NULL when absent); false after
 * replying 422 naming `period`. */
bool api_period_filter(struct request *req, const char **period);
/* Page and page size of a list, or false after replying 422. */
bool api_paging(struct request *req, int64_t *offset, int64_t *limit);
void api_bodyless_action(struct request *req, int status, api_action_fn fn);

/* Replies `status` with {"user": the signed-in account as /auth/me shows
 * it (role name, party), key: extra} (key NULL: no extra; extra is
 * stolen), or 500 when the account cannot be read. */
void api_reply_me(struct request *req, int status, const struct user *u, const char *key,
                  json_t *extra);
/* Uploads: the multipart part named "file", or false after replying
 * 415/400; the answer of an upload (201, or 413 for a file too large). */
struct multipart_part;
bool api_upload(struct request *req, struct multipart_part *part);
void api_reply_upload(struct request *req, json_t *result, const struct problem *p);
/* Replies with an opened file (fd >= 0, its content type and download
 * name), or the problem when fd < 0. */
void api_reply_file(struct request *req, int fd, const char *type, const char *name,
                    const struct problem *p);
/* Replies a list ({"items": …}) as the route's export (format "xlsx" or
 * "csv", api/export.h): 200 with the file, or 500 when the route has no
 * export spec or the file could not be made. Borrows list. */
void api_reply_export(struct request *req, json_t *list, const char *format);
/* A year (2000..2100) from text; false after replying 422 (field "year")
 * when it is missing and required, or not a year. 0 when absent. */
bool api_year(struct request *req, const char *s, bool required, int *year);
/* A query parameter, NULL when absent or empty. */
const char *api_query(struct request *req, const char *key);

/* Sets (max_age > 0) or clears (0) the yq_session and yq_csrf cookies. */
void api_set_session_cookies(struct request *req, const char *token, const char *csrf, int max_age);
/* Replies 503 when the worker has no database. */
bool api_need_db(struct request *req);

#endif
