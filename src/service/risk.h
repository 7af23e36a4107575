/* Risk signals (SPEC §8) shown to reviewers; they never act by themselves. */
#ifndef YQ_SERVICE_RISK_H
#define YQ_SERVICE_RISK_H

#include "store/db.h"

#include <jansson.h>

/* [{code, message}] for a contract row (stored columns); NULL on a
 * database error. */
json_t *risk_contract_signals(struct db *db, json_t *contract);

#endif
