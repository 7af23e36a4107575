/* store: persistence. Modules:
 *   db.h       the storage interface (drivers: db_sqlite.c)
 *   migrate.h  numbered schema migrations (steps in C: migrate_steps.c)
 *   id.h       application-made ids, random tokens, SHA-256
 *   audit.h    the tamper-evident audit chain
 *   users.h    accounts, sessions, counties
 *   throttles.h  login and sign-up throttle rows
 *   rows.h     rows as JSON; WHERE builder and paging
 *   parties.h  enterprises, providers, negative list
 *   catalog.h  reference catalog, catalog items and versions
 *   programs.h programs and their parameter versions
 *   risk.h     the reads behind the risk signals on a contract
 *   demo.h     queries only the demo loader needs
 *   health.h   whether the database answers (/healthz)
 *   ledger.h   the double-entry ledger
 *   targets.h  county targets per year, performance scores, completion counts
 *   awards.h   award allocations and shares, benchmark enterprises and centres
 *   dashboards.h  grouped reads per month and half-year; an enterprise's vouchers
 *   stats.h    the city reports' counters per county, year and month
 *   idempotency.h  Idempotency-Key records
 *   (drivers: db_sqlite.c, db_pg.c)
 */
#ifndef YQ_STORE_H
#define YQ_STORE_H

#include "store/audit.h"
#include "store/db.h"
#include "store/id.h"
#include "store/migrate.h"
#include "store/users.h"

#endif
