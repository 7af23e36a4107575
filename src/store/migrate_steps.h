/* Migration steps written in C, called by store/migrate.c inside the
 * migration's transaction. YQ_OK or an error. */
#ifndef YQ_STORE_MIGRATE_STEPS_H
#define YQ_STORE_MIGRATE_STEPS_H

#include "store/db.h"

/* Migration 6: CHECK constraints on status columns (PostgreSQL), or the
 * triggers that refuse the same rows (SQLite). */
int migrate_status_checks(struct db *db);
/* Migration 8: a verification token for every voucher, then its index. */
int migrate_verify_tokens(struct db *db);
/* Migration 9: 2018's targets (附件3) as the first version of each
 * county's target; the ledger's "award" accounts (benchmark enterprises
 * and experience centres paid from the city account). */
int migrate_awards(struct db *db);
int migrate_status_checks_or(struct db *db);
int migrate_party_resubmitted(struct db *db);
/* Migration 11: the city reports' counters from the contracts and
 * vouchers (store/stats.h). */
int migrate_city_counters(struct db *db);
/* Migration 15: business numbers of the batches and notices made so far
 * (store/business_no.h). */
int migrate_business_numbers(struct db *db);
/* Migration 16: the shared sequences (store/seq.h; PostgreSQL only). */
int migrate_sequences(struct db *db);

#endif
