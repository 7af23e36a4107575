/* Counters of the city-level reads (issue 10): per county, year and month
 * the confirmed contracts with catalog services still in force, the
 * enterprises that came on the cloud, and the live vouchers of the year's
 * pool with their sum; per county and year the enterprises with such a
 * contract confirmed in the year. Kept by the contract and voucher stores
 * in the writing transaction, filled by migration 11, recomputed by
 * `ledger check`. The reports read ~150 county rows instead of a year of
 * contracts and vouchers. */
#ifndef YQ_STORE_STATS_H
#define YQ_STORE_STATS_H

#include "store/db.h"

#include <jansson.h>
#include <stdint.h>

/* Adds the deltas to the county's (year, month) row, creating it; one
 * row changed or YQ_ECONFLICT; a count below zero fails its CHECK. */
int stats_month_add(struct db *db, const char *county, int year, int month, int64_t contracts,
                    int64_t on_cloud, int64_t vouchers, int64_t voucher_fen);
/* Within one use case's transaction, between stats_defer_begin and
 * stats_defer_end, the month deltas of this thread are summed per row
 * and written by stats_defer_end (one statement per row instead of one
 * per move), only when `rc` is YQ_OK; it returns the write's status, or
 * `rc`. Always pair them: an error path still calls stats_defer_end,
 * which drops the sums (the use case's savepoint rolls back anyway).
 * Nothing in between may read county_months. */
void stats_defer_begin(void);
int stats_defer_end(struct db *db, int rc);
/* Adds `enterprises` to the county's year row, creating it. */
int stats_year_add(struct db *db, const char *county, int year, int64_t enterprises);

/* Migration 11: the counters from the contracts and vouchers. */
int stats_backfill(struct db *db);

/* Appends one line per counter row that differs from its recomputation
 * from the base tables. YQ_OK or an error (a failed read never passes). */
int stats_check(struct db *db, json_t *breaches);
/* Fault injection for the group-commit tests: a write that breaks the
 * month CHECK of county_months, as a use case failing late would.
 * YQ_ECONFLICT (or another error); never YQ_OK. */
int stats_break_check(struct db *db);

#endif
