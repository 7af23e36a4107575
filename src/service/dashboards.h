/* The dashboards of SPEC §12 (issue 10): one read per role, each in one
 * read transaction, built on the completion report and the budget read
 * model so that a chart shows the report's numbers and cannot drift from
 * them. docs/reports.md describes every field. */
#ifndef YQ_SERVICE_DASHBOARDS_H
#define YQ_SERVICE_DASHBOARDS_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"

#include <jansson.h>

/* City-wide: per county the completion (report rows) with the budget use,
 * the ranking by 完成率, the money per half-year and per month, and the
 * report's totals. NULL + p (bad year, failed read). */
json_t *dashboard_city(struct db *db, const struct actor *a, int year, struct problem *p);
/* One county (`county` may be NULL for an official of one county): its
 * completion row, its budget row, months and periods. Outside the
 * actor's scope or unknown: 404. NULL + p. */
json_t *dashboard_county(struct db *db, const struct actor *a, int year, const char *county,
                         struct problem *p);
/* A provider's own contracts, vouchers, claims and payments per month and
 * half-year, with totals. NULL + p. */
json_t *dashboard_provider(struct db *db, const struct actor *a, int year, struct problem *p);
/* An enterprise's vouchers: amount, claimed, paid, remaining, expiry,
 * with totals. NULL + p. */
json_t *dashboard_enterprise(struct db *db, const struct actor *a, struct problem *p);

#endif
