/* The ledger (SPEC §6, 专账核算, bookkeeping by debit and credit): accounts in fen with
 * two-phase balances, and immutable transfers between them. Every
 * transfer's id is derived from its business event ("reserve:<voucher>"),
 * so a retried request finds its transfer already booked and books
 * nothing twice. All functions run inside the caller's writing
 * transaction; the balance checks run in it, before the row CHECKs that
 * back them up.
 *
 * Account ids:
 *   source:<county|city_award|province_award>      where funding comes from
 *   pool:<county>:<year>                            the county's budget for a year
 *   voucher:<voucher id>                            money held for one voucher
 *   paid:<county>                                   money disbursed to providers
 *   award:<recipient id>                            a benchmark enterprise's or
 *                                                   experience centre's award */
#ifndef YQ_STORE_LEDGER_H
#define YQ_STORE_LEDGER_H

#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct ledger_account {
    char id[96];
    int64_t debits_pending, debits_posted, credits_pending, credits_posted;
    int64_t limit_fen; /* -1 when none */
    bool must_not_overdraw;
};

/* Creates the account if it does not exist. */
int ledger_open_pool(struct db *db, const char *county, int year);
/* Opens the pool of a county's year if needed and puts what it can still
 * give in *out (0 for a pool just opened), with one read. */
int ledger_pool_available(struct db *db, const char *county, int year, int64_t *out);
int ledger_open_source(struct db *db, const char *source);
int ledger_open_voucher(struct db *db, const char *voucher_id, int64_t amount_fen);
int ledger_open_paid(struct db *db, const char *county);
int ledger_open_award(struct db *db, const char *recipient_id);

int ledger_get(struct db *db, const char *account_id, struct ledger_account *out);
/* credits_posted − debits_posted − debits_pending: what a pool can still
 * give, in *out. YQ_OK (0 for an account not opened yet) or an error: a
 * failed read is never a zero. */
int ledger_available(struct db *db, const char *account_id, int64_t *out);

/* Whether a transfer with this id is booked. */
int ledger_transfer_exists(struct db *db, const char *id, bool *exists);

/* Results beyond the usual statuses: */
#define LEDGER_INSUFFICIENT YQ_ELIMIT /* would overdraw a pool or exceed a limit */

/* A plain transfer (funding, payment, clawback). If a transfer with this id
 * exists with the same accounts and amount, nothing is booked and YQ_OK is
 * returned; with other values, YQ_ECONFLICT. */
int ledger_transfer(struct db *db, const char *id, const char *debit, const char *credit,
                    int64_t amount, const char *reference);
/* Reserves `amount` from debit for credit (pending). Same idempotency. */
int ledger_reserve(struct db *db, const char *id, const char *debit, const char *credit,
                   int64_t amount, const char *reference);
/* A new voucher's money: opens its account "voucher:<voucher_id>" (limit
 * `amount`) and reserves `amount` from `pool` into it as transfer
 * `transfer_id`, as ledger_open_voucher then ledger_reserve would, without
 * looking up what cannot exist yet (both ids are new with the voucher; a
 * duplicate fails, YQ_ECONFLICT). The pool is not read: the caller read it
 * in this transaction to decide. Its guarded reservation changes no row
 * when it cannot give the amount: LEDGER_INSUFFICIENT when the writes run
 * at once (SQLite); on PostgreSQL they are queued (db_run_queued) and such
 * a miss fails the transaction at its next statement or its commit. */
int ledger_issue_voucher(struct db *db, const char *voucher_id, const char *pool,
                         const char *transfer_id, int64_t amount, const char *reference);
/* Posts `amount` (≤ what remains pending) of reservation `pending_id`. */
int ledger_post(struct db *db, const char *id, const char *pending_id, int64_t amount,
                const char *reference);
/* Voids what remains of reservation `pending_id` (no-op transfer id kept
 * when nothing remains). */
int ledger_void(struct db *db, const char *id, const char *pending_id, const char *reference);
/* What remains pending of a reservation, in *out. YQ_OK, YQ_ENOTFOUND (no
 * such reservation), or an error. */
int ledger_pending_remaining(struct db *db, const char *pending_id, int64_t *out);
/* The pool a reservation was taken from ("pool:<county>:<year>"). YQ_OK,
 * YQ_ENOTFOUND, or an error. */
int ledger_reservation_pool(struct db *db, const char *pending_id, char pool[96]);

/* Recomputes every account from the transfers and checks the invariants
 * of SPEC §6, and that the reports' read model (enterprise_on_cloud,
 * county_paid, the applications' totals, the counters of stats.h) equals its recomputation from
 * the contracts and the redemption items. Appends one line per breach to `breaches` (a JSON array of
 * strings). YQ_OK when none, YQ_ECONFLICT when some, or an error. */
int ledger_check(struct db *db, json_t *breaches);

/* {"items":[transfers newest first], "total":N} filtered by an account
 * prefix ("pool:370811:" …, matched literally; NULL for all) and, when
 * `county` is given, to the transfers that touch that county's pools or
 * its paid account (what the county booked and paid). NULL on error. */
json_t *ledger_transfers_list(struct db *db, const char *account_prefix, const char *county,
                              int64_t offset, int64_t limit);

#endif
