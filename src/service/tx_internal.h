/* What the transaction runner shares with the group-commit writer
 * (service/group.c): running a use case in a transaction of its own on a
 * given connection, and the mapping of a database failure to the person's
 * problem. Not for use cases. */
#ifndef YQ_SERVICE_TX_INTERNAL_H
#define YQ_SERVICE_TX_INTERNAL_H

#include "service/tx.h"

/* service_tx without the group: a transaction of its own on `db`. */
int service_tx_direct(struct db *db, service_tx_fn run, void *ctx, struct problem *p);
/* A failed begin or commit (rc) as the person's problem. */
int service_tx_failed(struct db *db, int rc, struct problem *p);
/* A use case failed (rc): rolls its transaction or savepoint back and
 * answers its problem, `p` filled when it said nothing; busy when a queued
 * write of it found the database busy (whatever the use case made of
 * the statement that reported it). */
int service_tx_undone(struct db *db, int rc, struct problem *p);

#endif
