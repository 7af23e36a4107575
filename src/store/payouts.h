/* Payout batches (集中兑付, SPEC §7 step 4) and clawbacks (追回, SPEC §6),
 * with the voucher and item figures that paying and recovering change.
 * Guarded writes; the ledger transfers are the caller's (store/ledger.h). */
#ifndef YQ_STORE_PAYOUTS_H
#define YQ_STORE_PAYOUTS_H

#include "core/voucher_state.h"
#include "store/db.h"
#include "store/id.h"
#include "store/list_filter.h"
#include "store/scope.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct payout {
    char id[ID_LEN + 1], county_code[16];
    bool paid;
    int64_t total_fen;
    char paid_on[16], reference[260];
    char batch_no[48];  /* ZF-…, store/business_no.h */
    int64_t created_at; /* ms; read by payout_get */
};

int payout_get(struct db *db, const char *id, struct payout *out);
int payout_insert(struct db *db, const struct payout *po, const char *by, int64_t at);
/* Puts a noticed application, in no other batch, into the batch. */
int payout_add_redemption(struct db *db, const char *payout_id, const char *redemption_id,
                          int64_t at);
/* draft → paid with the date and reference, guarded. */
int payout_mark_paid(struct db *db, const char *id, const char *paid_on, const char *reference,
                     const char *by, int64_t at);
/* The ids of the batch's applications (malloc'd array; free it). */
int payout_redemptions(struct db *db, const char *id, char (**ids)[ID_LEN + 1], size_t *n);
/* noticed → paid for one application of the batch, guarded. */
int payout_redemption_paid(struct db *db, const char *redemption_id, int64_t at);
/* An item paid: its paid figure (and its county_paid row: the batch must
 * be marked paid first), and its voucher's redeemed figure and
 * state (guarded on the state read); `final` closes the voucher. */
int payout_item_paid(struct db *db, const char *redemption_id, const char *voucher_id,
                     int64_t amount);
int voucher_redeem(struct db *db, const char *voucher_id, enum voucher_state from,
                   enum voucher_state to, int64_t amount, bool final, int64_t at,
                   const char *reason);
/* The clawback of `voucher_id` in `redemption_id` with exactly these
 * amount, reason and evidence: its id, or YQ_ENOTFOUND. */
int clawback_find(struct db *db, const char *redemption_id, const char *voucher_id, int64_t amount,
                  const char *reason, const char *evidence, char id[ID_LEN + 1]);
/* A clawback: the record, the item's and the voucher's figures (and the
 * item's county_paid row). */
int clawback_insert(struct db *db, const char *id, const char *redemption_id,
                    const char *voucher_id, const char *county, int64_t amount, const char *reason,
                    const char *evidence, const char *by, int64_t at);
int clawback_apply(struct db *db, const char *redemption_id, const char *voucher_id,
                   enum voucher_state from, enum voucher_state to, int64_t amount);

/* Read models. */
/* `f`: status, county, q over the batch number and the bank reference, from/to on the day the
 * batch was made. */
json_t *payouts_page(struct db *db, const struct row_scope *s, const struct list_filter *f,
                     int64_t offset, int64_t limit);
json_t *payout_view(struct db *db, const char *id);
/* `f`: county, q over the voucher code and the reason, from/to on the day
 * it was recorded. */
json_t *clawbacks_page(struct db *db, const struct row_scope *s, const struct list_filter *f,
                       int64_t offset, int64_t limit);

#endif
