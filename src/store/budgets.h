/* Read model of the county budgets (SPEC §6, §9): pools per county and
 * year with what came from each source, what was reserved, posted and
 * paid, the waitlist, and the counts behind the county progress report. */
#ifndef YQ_STORE_BUDGETS_H
#define YQ_STORE_BUDGETS_H

#include "store/db.h"
#include "store/scope.h"

#include <jansson.h>
#include <stdint.h>

/* The funding sources a pool is tracked by. */
extern const char *const budget_sources[]; /* NULL-terminated */

/* {"items":[SELECT `select` `from` … over the counties in scope (alias
 * c), in code order], "total"}; NULL on error. */
json_t *budgets_counties_page(struct db *db, const struct row_scope *s, const char *select,
                              const char *from);
/* One row per county in scope for a year with the pool's balances only
 * (funded_fen, reserved_fen, posted_fen, available_fen): one query, the
 * first columns of budgets_year. NULL on error. */
json_t *budgets_pools(struct db *db, const struct row_scope *s, int year);
/* One row per county in scope for a half-year redemption period ("2019H1",
 * already validated): paid_fen (paid to providers for that period's
 * redemptions, net of clawbacks) and providers (how many were paid); NULL
 * on error. */
json_t *budgets_period_paid(struct db *db, const struct row_scope *s, const char *period);
/* One row per county in scope for a year, with the pool's balances,
 * funded_by_source, paid_fen, waitlist_count/_fen (the county's queue) and
 * vouchers; NULL on error. */
json_t *budgets_year(struct db *db, const struct row_scope *s, int year);
/* One row per county in scope with enterprises_on_cloud (a confirmed
 * contract with catalog services between from_ms and to_ms), vouchers of
 * the year and their live amount; NULL on error. */
json_t *budgets_progress(struct db *db, const struct row_scope *s, int year, int64_t from_ms,
                         int64_t to_ms);
/* The fundings (拨入记录) of a year, county by county in code order, each
 * in booking order: source, amount_fen, reference, created_at (ISO 8601),
 * county_code/_name, year, recorded_by (display name, null when no audit
 * row names it) and recorded_by_role. {"items", "total"}; NULL on error. */
json_t *budgets_fundings(struct db *db, const struct row_scope *s, int year);

#endif
