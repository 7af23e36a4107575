/* Redemption applications (兑现, SPEC §7; API in docs/redemption-api.md):
 * after a half-year ends a provider files one per county and period, with
 * an item per voucher of its own contracts; an evaluator of the county
 * scores it (第三方评价) with a quality deduction per item; county_it
 * approves with downward adjustments, rejects, or returns it for
 * correction. Approved = claim − deduction − adjustment, never below zero
 * (core/redemption.c). Each use case runs in one transaction. */
#ifndef YQ_SERVICE_REDEMPTIONS_H
#define YQ_SERVICE_REDEMPTIONS_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"
#include "store/list_filter.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

json_t *redemptions_periods(struct db *db, const struct actor *a, struct problem *p);
json_t *redemptions_claimable(struct db *db, const struct actor *a, const char *county,
                              const char *period, struct problem *p);
json_t *redemptions_create(struct db *db, const struct actor *a, json_t *body, struct problem *p);
json_t *redemptions_patch(struct db *db, const struct actor *a, const char *id, json_t *body,
                          struct problem *p);
json_t *redemptions_submit(struct db *db, const struct actor *a, const char *id, struct problem *p);
json_t *redemptions_withdraw(struct db *db, const struct actor *a, const char *id,
                             struct problem *p);
json_t *redemptions_evaluate(struct db *db, const struct actor *a, const char *id, json_t *body,
                             struct problem *p);
json_t *redemptions_review(struct db *db, const struct actor *a, const char *id, json_t *body,
                           struct problem *p);
json_t *redemptions_list(struct db *db, const struct actor *a, const struct list_filter *lf,
                         const char *period, int64_t offset, int64_t limit, struct problem *p);
json_t *redemptions_read(struct db *db, const struct actor *a, const char *id, struct problem *p);
json_t *redemptions_attach(struct db *db, const struct actor *a, const char *id,
                           const char *data_dir, const char *filename, const void *data, size_t len,
                           struct problem *p);
int redemptions_attachment_open(struct db *db, const struct actor *a, const char *id,
                                const char *sha256, const char *data_dir, char content_type[64],
                                char filename[256], struct problem *p);
/* Pending work of the signed-in role, as counts for its home page. */
json_t *work_pending(struct db *db, const struct actor *a, struct problem *p);
/* Rejects, with the reason, every open application claiming on a voucher
 * that ended (it leaves its notice and unpaid batch). */
int redemptions_reject_for_voucher(struct db *db, const struct actor *a, const char *voucher_id,
                                   const char *reason);

/* 422 naming the second of two equal entries of `redemption_ids` (a
 * notice's or a payout batch's applications); YQ_OK when all differ. */
int redemption_ids_distinct(const json_t *ids, struct problem *p);

#endif
