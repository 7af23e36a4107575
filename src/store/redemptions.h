/* Redemption applications (兑现, SPEC §7) as typed records: one per
 * provider, county and half-year, an item per voucher. State changes are
 * guarded writes on the state read in the same transaction. */
#ifndef YQ_STORE_REDEMPTIONS_H
#define YQ_STORE_REDEMPTIONS_H

#include "core/redemption.h"
#include "core/redemption_state.h"
#include "store/db.h"
#include "store/id.h"
#include "store/list_filter.h"
#include "store/scope.h"

#include <jansson.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct redemption {
    char id[ID_LEN + 1];
    char program_id[64], provider_id[ID_LEN + 1], county_code[16];
    char period[8];
    enum redemption_state state;
    int64_t claim_fen, approved_fen;
    char notice_id[ID_LEN + 1], payout_id[ID_LEN + 1]; /* "" when none */
    int64_t created_at, updated_at, submitted_at;
};

struct redemption_item {
    char voucher_id[ID_LEN + 1];
    char service_desc[1024];
    int64_t fee_fen, claim_fen;
    char invoice_nos[512];
    struct redemption_deduction deduction; /* the evaluator's quality finding */
    int64_t deduction_fen;
    char quality_note[1024];
    int64_t adjustment_fen; /* the reviewer's, downward */
    char adjustment_reason[1024];
    int64_t approved_fen, paid_fen, clawed_back_fen;
};

/* YQ_OK, YQ_ENOTFOUND, or an error. */
int redemption_get(struct db *db, const char *id, struct redemption *out);
/* The items of an application (malloc'd array of *n; free it). */
int redemption_items(struct db *db, const char *id, struct redemption_item **out, size_t *n);
/* A new application with its items (active). */
int redemption_insert(struct db *db, const struct redemption *r,
                      const struct redemption_item *items, size_t n, const char *by);
/* Replaces the items of a draft or returned application (guarded by
 * `from`) and its claim total. A returned one's items left as they were
 * (same voucher, same claim) keep the evaluator's findings. */
int redemption_replace_items(struct db *db, const char *id, enum redemption_state from,
                             const struct redemption_item *items, size_t n, int64_t claim_fen,
                             int64_t at);
/* from → to, guarded. Leaving for rejected or withdrawn frees the items
 * (inactive: the vouchers may be claimed again for the period). */
int redemption_move(struct db *db, const char *id, enum redemption_state from,
                    enum redemption_state to, int64_t at);
/* submitted → evaluated with the scores (JSON text), the weighted total and
 * every item's quality finding (voucher_id, deduction, deduction_fen,
 * quality_note read from items). */
int redemption_evaluate(struct db *db, const char *id, const char *scores_json,
                        int32_t score_hundredths, const char *note, const char *by, int64_t at,
                        const struct redemption_item *items, size_t n);
/* evaluated → to (approved, rejected, returned) with the reviewer's note;
 * on approval every item's adjustment and approved amount, and the total. */
int redemption_review(struct db *db, const char *id, enum redemption_state to, const char *note,
                      const char *by, int64_t at, const struct redemption_item *items, size_t n,
                      int64_t approved_fen);
/* The id of the provider's open application (not rejected or withdrawn) for
 * a county and period: YQ_OK, YQ_ENOTFOUND, or an error. */
int redemption_open_for(struct db *db, const char *provider_id, const char *county,
                        const char *period, char id[ID_LEN + 1]);
/* What open applications (not yet paid) other than `except_id` claim of a
 * voucher. */
int redemption_open_claims(struct db *db, const char *voucher_id, const char *except_id,
                           int64_t *sum);
/* Whether a voucher has a filed claim still open: an item of an
 * application submitted and not yet paid, rejected or withdrawn (a draft
 * is not filed). Such a voucher has been claimed and does not expire. */
int redemption_filed_claim_exists(struct db *db, const char *voucher_id, bool *exists);
/* The approved claims of a provider's paid or approved items, other than
 * in application `except_id` (malloc'd array of *n amounts). */
int redemption_provider_history(struct db *db, const char *provider_id, const char *except_id,
                                int64_t **amounts, size_t *n);
/* Evidence files. */
int redemption_file_add(struct db *db, const char *id, const char *sha256, const char *filename,
                        const char *content_type, int64_t size, const char *by, int64_t at,
                        bool *added);
int redemption_file_get(struct db *db, const char *id, const char *sha256, char content_type[64],
                        char filename[256]);

/* Open applications (not rejected, withdrawn or paid) of a provider with
 * this USCC, or holding a voucher of an enterprise with it (malloc'd ids). */
int redemptions_open_of_uscc(struct db *db, const char *uscc, char (**ids)[ID_LEN + 1], size_t *n);
/* The ids of the open applications that claim on a voucher. */
int redemptions_open_of_voucher(struct db *db, const char *voucher_id, char (**ids)[ID_LEN + 1],
                                size_t *n);
/* Negative list (SPEC §8): an open application is rejected with the
 * reason, by `by` (whose act rejected it: its review says so), leaves its
 * notice and its unpaid batch (whose total drops), and frees its items.
 * Guarded on the state read. */
int redemption_disqualify(struct db *db, const struct redemption *r, const char *reason,
                          const char *by, int64_t at);

/* Read models. */
struct redemption_filter {
    const struct row_scope *scope;
    /* q over the provider's name and USCC, county, status, and from/to on
     * the submission instant (issue 11). */
    const struct list_filter *lf;
    const char *period;
    int64_t offset, limit;
};
json_t *redemptions_page(struct db *db, const struct redemption_filter *f);
/* The application's row for the pages (names, evaluation, review) and its
 * items with voucher codes and enterprise names; NULL on error. */
json_t *redemption_view(struct db *db, const char *id);
/* Live vouchers of the provider in a county with their redeemed and
 * open-claim figures; NULL on error. */
json_t *redemption_claimable(struct db *db, const char *provider_id, const char *county);
/* Counts for home pages: applications in a state within scope. */
int redemptions_count(struct db *db, const struct row_scope *s, enum redemption_state state,
                      int64_t *n);

#endif
