/* The grouped reads behind the dashboards (SPEC §12, issue 10): a year's
 * contracts, vouchers, claims and payments per month, the redemption
 * money per half-year period, and an enterprise's vouchers with what was
 * claimed and paid on each. One aggregate query per measure, whatever the
 * number of rows: the scope is a filter, never a loop. */
#ifndef YQ_STORE_DASHBOARDS_H
#define YQ_STORE_DASHBOARDS_H

#include "store/db.h"
#include "store/scope.h"

#include <jansson.h>
#include <stdbool.h>

/* Twelve rows, January first, for the contracts, vouchers and redemptions
 * in scope (county officials' counties, a provider's own, or all):
 *   month "YYYY-MM";
 *   contracts: contracts for catalog services confirmed in the month and
 *     still in force (China time);
 *   new_on_cloud (only when `on_cloud`): enterprises whose first such
 *     contract was confirmed in the month (they sum to the completion
 *     report's new_on_cloud);
 *   vouchers, voucher_amount_fen: vouchers of the year's pool issued in
 *     the month, not terminated or expired (one served from the year's
 *     pool after the year counts in December), summing to the completion
 *     report's figures;
 *   claims, claim_fen: redemption applications submitted in the month
 *     (not withdrawn or rejected) and their claims;
 *   paid_fen: paid less clawed back, by the payment date of its batch.
 * `on_cloud` is for county scopes (all or some counties), which read the
 * counters of store/stats.h; a provider's scope counts its own rows.
 * Scope may not be an enterprise's. NULL on error. */
json_t *dashboards_months(struct db *db, const struct row_scope *s, int year, bool on_cloud);

/* Two rows, "<year>H1" and "<year>H2", for the redemptions in scope:
 * claimed_fen (active items of submitted applications, not withdrawn or
 * rejected),
 * approved_fen (of applications approved, in notice, noticed or paid),
 * paid_fen (paid less clawed back: the completion report's paid_h1_fen
 * and paid_h2_fen). NULL on error. */
json_t *dashboards_periods(struct db *db, const struct row_scope *s, int year);

/* The vouchers of the enterprise account `user_id`, oldest first: id,
 * code, county_code, county_name, issue_year, issued_at, amount_fen,
 * redeemed_fen, status, service_end, claimed_fen (active items of
 * applications submitted and not withdrawn or rejected), paid_fen (paid
 * less clawed back). NULL on error. */
json_t *dashboards_vouchers(struct db *db, const char *user_id);

#endif
