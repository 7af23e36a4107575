/* The transaction runner every use case goes through: begin a writing
 * transaction, run the use case, commit or roll back, and map the
 * database's answers (busy → 503, disk full → 507, a failed write or
 * fsync → 503 storage_error, any other failure → 500) in one place.
 *
 * A use case never begins or commits by itself; it is a function of the
 * open transaction. That is what lets a caller run it inside a transaction
 * of its own (the Idempotency-Key record commits with the effects, SPEC
 * §13) and, later, a group commit run several queued use cases as
 * savepoints of one transaction, answering each only after the shared
 * commit is durable: only this runner changes, not the use cases. */
#ifndef YQ_SERVICE_TX_H
#define YQ_SERVICE_TX_H

#include "core/problem.h"
#include "store/db.h"

/* A use case: reads and writes through `db` inside the open transaction.
 * Returns YQ_OK, or a status with `p` filled for the person who caused it
 * (a failure that leaves `p` empty is answered as a database error). */
typedef int (*service_tx_fn)(struct db *db, void *ctx, struct problem *p);

/* Runs `run` in a writing transaction (a savepoint when one is already
 * open) and commits it when it returns YQ_OK; otherwise everything it did
 * is rolled back. Returns YQ_OK or the failure, with `p` always filled on
 * failure. */
int service_tx(struct db *db, service_tx_fn run, void *ctx, struct problem *p);
/* The same in a read transaction that sees one snapshot. */
int service_read(struct db *db, service_tx_fn run, void *ctx, struct problem *p);

#endif
