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

#include <stdbool.h>

/* A use case: reads and writes through `db` inside the open transaction.
 * Returns YQ_OK, or a status with `p` filled for the person who caused it
 * (a failure that leaves `p` empty is answered as a database error). */
typedef int (*service_tx_fn)(struct db *db, void *ctx, struct problem *p);

/* Runs `run` in a writing transaction (a savepoint when one is already
 * open) and commits it when it returns YQ_OK; otherwise everything it did
 * is rolled back. Returns YQ_OK or the failure, with `p` always filled on
 * failure. */
int service_tx(struct db *db, service_tx_fn run, void *ctx, struct problem *p);
/* service_tx for a use case that changes only one county's queue and pool
 * (its waitlist, pool account, voucher serials, counters): on PostgreSQL
 * it runs in parallel with the other counties' (store/db.h
 * db_begin_scoped). `county` comes from a cheap read before; the use case
 * reads everything again under the lock and checks with
 * service_out_of_scope that the county is still its own. Such a use case
 * must start afresh from its inputs each time it runs: a deadlock or a
 * serialization failure runs it again. NULL or "": service_tx. */
int service_tx_county(struct db *db, const char *county, service_tx_fn run, void *ctx,
                      struct problem *p);
/* True when a writing use case started on `db` now goes to the group
 * writer (service/group.h): it then runs on the writer's connection, and
 * needs no county (service_tx_county's lock is PostgreSQL's). */
bool service_tx_grouped(struct db *db);
/* YQ_OK when the open transaction may change `county`'s queue and pool;
 * else YQ_EBUSY with p filled (code out_of_scope): service_tx_county then
 * runs the use case once more holding the whole database. */
int service_out_of_scope(struct db *db, const char *county, struct problem *p);

/* Every writing transaction that finds the database busy (a lock wait that
 * timed out, a deadlock, a serialization failure) before the use case ran
 * is tried again, up to 5 times with jittered, doubling pauses (about
 * 200 ms in all); then the answer is 503 busy with Retry-After. */

/* The same in a read transaction that sees one snapshot. */
int service_read(struct db *db, service_tx_fn run, void *ctx, struct problem *p);

#endif
