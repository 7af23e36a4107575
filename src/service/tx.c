/* The transaction runner (see tx.h). */
#include "service/tx.h"
#include "service/group.h"
#include "service/tx_internal.h"
#include "core/status.h"

#include <assert.h>
#include <stdio.h>

static int busy(struct problem *p)
{
    return problem_set(p, YQ_EBUSY, "busy", NULL, "系统繁忙，请稍后再试");
}

/* A failed storage (disk full, failed fsync) is what the person must
 * hear, whatever the use case made of the failed statement. */
static int db_failed(struct db *db, int rc, struct problem *p)
{
    if (db_fault(db) != YQ_OK) return problem_storage(p, db_fault(db));
    return rc == YQ_EBUSY ? busy(p) : problem_db_error(p);
}

/* Fills p when the use case failed without saying why. */
static int explained(struct db *db, int rc, struct problem *p)
{
    assert(rc != YQ_OK);
    if (db_fault(db) != YQ_OK) return problem_storage(p, db_fault(db));
    if (p->status != YQ_OK) return p->status;
    if (rc == YQ_EBUSY) return busy(p);
    return problem_db_error(p);
}

static int run_in(struct db *db, bool write, service_tx_fn run, void *ctx, struct problem *p)
{
    problem_clear(p);
    int rc = write ? db_begin(db, true) : db_begin_snapshot(db);
    if (rc != YQ_OK) return db_failed(db, rc, p);
    rc = run(db, ctx, p);
    if (rc != YQ_OK) {
        db_rollback(db);
        return explained(db, rc, p);
    }
    if (!write) {
        db_rollback(db); /* nothing to keep; ends the snapshot */
        return YQ_OK;
    }
    /* A failed commit has rolled back already. */
    rc = db_commit(db);
    if (rc != YQ_OK) return db_failed(db, rc, p);
    return YQ_OK;
}

int service_tx(struct db *db, service_tx_fn run, void *ctx, struct problem *p)
{
    /* Outside a transaction, a write joins the writer's next group. */
    if (!db_in_transaction(db) && service_group_on()) return service_group_run(db, run, ctx, p);
    return run_in(db, true, run, ctx, p);
}

int service_tx_direct(struct db *db, service_tx_fn run, void *ctx, struct problem *p)
{
    return run_in(db, true, run, ctx, p);
}

int service_tx_failed(struct db *db, int rc, struct problem *p)
{
    return db_failed(db, rc, p);
}

int service_tx_explained(struct db *db, int rc, struct problem *p)
{
    return explained(db, rc, p);
}

int service_read(struct db *db, service_tx_fn run, void *ctx, struct problem *p)
{
    return run_in(db, false, run, ctx, p);
}
