/* Payout batches (集中兑付, SPEC §7 step 4) and clawbacks (追回, SPEC §6):
 * county_finance gathers applications whose notice has closed into a
 * batch, exports it for the bank, and records the payment: the ledger
 * posts each approved amount from its voucher's reservation and pays it
 * (transfer ids from the business event, so nothing books twice); the
 * vouchers become partially redeemed or redeemed, and a final voucher
 * voids what it still holds, which serves the waitlist. A clawback moves
 * recovered money from paid back to the pool. */
#ifndef YQ_SERVICE_PAYOUTS_H
#define YQ_SERVICE_PAYOUTS_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"
#include "store/list_filter.h"

#include <jansson.h>
#include <stdint.h>

json_t *payouts_create(struct db *db, const struct actor *a, json_t *body, struct problem *p);
json_t *payouts_pay(struct db *db, const struct actor *a, const char *id, json_t *body,
                    struct problem *p);
json_t *payouts_list(struct db *db, const struct actor *a, const struct list_filter *f,
                     int64_t offset, int64_t limit, struct problem *p);
json_t *payouts_read(struct db *db, const struct actor *a, const char *id, struct problem *p);
/* The batch as the bank file's rows: {"items":[{payee, bank_name,
 * bank_account, amount_fen, voucher_code}]}. */
json_t *payouts_bank_rows(struct db *db, const struct actor *a, const char *id, struct problem *p);
json_t *clawbacks_create(struct db *db, const struct actor *a, json_t *body, struct problem *p);
json_t *clawbacks_list(struct db *db, const struct actor *a, const struct list_filter *f,
                       int64_t offset, int64_t limit, struct problem *p);

#endif
