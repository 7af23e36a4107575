/* Queries only the demo loader (service/demo_contracts.c) needs. */
#ifndef YQ_STORE_DEMO_H
#define YQ_STORE_DEMO_H

#include "store/db.h"

#include <stdbool.h>

/* Whether any contract exists (the demo contracts are made once). YQ_OK
 * with *any, or an error. */
int demo_contracts_exist(struct db *db, bool *any);
/* Whether the database has any contract at all (gen needs a new one). */
int demo_any_contract_exists(struct db *db, bool *any);
/* Whether the demo redemptions were made (any redemption application). */
int demo_redemptions_exist(struct db *db, bool *any);

#endif
