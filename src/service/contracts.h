/* Contracts (SPEC §5): one side drafts, the other confirms (双方确认), and
 * the confirming transaction issues the voucher or queues the
 * application. Either side cancels a draft; either side or county_it
 * terminates a confirmed contract (未履行), which ends its voucher. */
#ifndef YQ_SERVICE_CONTRACTS_H
#define YQ_SERVICE_CONTRACTS_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/contracts.h"
#include "store/db.h"

#include <jansson.h>

/* Loads a contract the actor may see, and which side of it the actor is:
 * 'e' enterprise, 'p' provider, 'c' county official of its county, 'w'
 * city-wide reader. A contract out of scope is "not found" (404). */
int contracts_load(struct db *db, const struct actor *a, const char *id, struct contract *c,
                   char *side, struct problem *p);

json_t *contracts_draft(struct db *db, const struct actor *a, json_t *body, struct problem *p);
/* The county whose lock a confirmation, cancellation or termination of
 * contract `id` will wait for (http/writers.h lanes): true with it in
 * `county`; false when writes take no county lock (SQLite) or the
 * contract belongs to no one county. */
bool contracts_write_lane(struct db *db, const char *id, char *county, size_t n);
/* The county contracts_write_lane found for contract `id` ("" for none),
 * told on the thread about to run its write: the transaction takes its
 * lock without reading it again. */
void contracts_lane_known(const char *id, const char *county);
/* On success *http_status is 201 when a voucher was issued, 202 when the
 * application was queued, 200 otherwise. */
json_t *contracts_confirm(struct db *db, const struct actor *a, const char *id, int *http_status,
                          struct problem *p);
json_t *contracts_cancel(struct db *db, const struct actor *a, const char *id, struct problem *p);
json_t *contracts_terminate(struct db *db, const struct actor *a, const char *id,
                            const char *reason, struct problem *p);
json_t *contracts_read(struct db *db, const struct actor *a, const char *id, struct problem *p);
/* The same record for a party, inside the transaction that confirmed c:
 * built from what the confirmation holds (c as changed, the parties'
 * names, the voucher or waitlist entry it made), reading only the rest. */
struct issue_outcome;
json_t *contracts_confirmed_record(struct db *db, const struct contract *c, const char *enterprise,
                                   const char *provider, const struct issue_outcome *out,
                                   struct problem *p);
json_t *contracts_list(struct db *db, const struct actor *a, const struct list_filter *f, int64_t offset,
                       int64_t limit, struct problem *p);

/* Attachments: stored under data_dir by SHA-256. */
json_t *contracts_attach(struct db *db, const struct actor *a, const char *id, const char *data_dir,
                         const char *filename, const void *data, size_t len, struct problem *p);
/* Opens an attachment for reading; returns a file descriptor, with its
 * content type and file name. */
int contracts_attachment_open(struct db *db, const struct actor *a, const char *id,
                              const char *sha256, const char *data_dir, char content_type[64],
                              char filename[256], struct problem *p);

/* Budgets (SPEC §6): county_finance funds its county's pool for a year. */
json_t *budgets_fund(struct db *db, const struct actor *a, const char *county, int year,
                     json_t *body, struct problem *p);
/* The ledger's transfers, newest first, whose accounts start with
 * `account` (matched literally; NULL for all). County officials see their
 * county's pools only. */
json_t *budgets_transfers(struct db *db, const struct actor *a, const char *account, int64_t offset,
                          int64_t limit, struct problem *p);
json_t *budgets_overview(struct db *db, const struct actor *a, int year, struct problem *p);
/* The fundings (拨入记录) of a year, in one read snapshot: county roles
 * their own county, city-wide readers every county or `county` (NULL =
 * all). Each row as budgets_fundings, plus source_name (Chinese). A
 * county unknown → 422 on `county`; another county than one's own → no
 * rows. */
json_t *budgets_fundings_list(struct db *db, const struct actor *a, int year, const char *county,
                              struct problem *p);
/* Per county for a year (SPEC §9): enterprises on the cloud (a confirmed
 * contract for catalog services in the year) against the target (附件3 gives
 * 2018's; other years' targets are not set yet: null), vouchers issued and
 * their live amount. */
json_t *reports_county_progress(struct db *db, const struct actor *a, int year, struct problem *p);
/* Money paid per county for a half-year redemption period (SPEC §13
 * `GET /reports/payments?period=2019H1`): paid_fen net of clawbacks and the
 * number of providers paid, with the period and its Chinese name. */
json_t *reports_payments(struct db *db, const struct actor *a, const char *period,
                         struct problem *p);

#endif
