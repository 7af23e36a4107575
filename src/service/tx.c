/* The transaction runner (see tx.h). */
#include "service/tx.h"
#include "service/group.h"
#include "service/tx_internal.h"
#include "core/status.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Tries of a transaction that found the database busy (a lock wait that
 * timed out, a deadlock, a serialization failure), and the first pause
 * between them; each pause doubles, with jitter, so all the pauses
 * together stay under about 200 ms. */
#define TRIES 5
#define FIRST_PAUSE_US 6000
#define MAX_WAIT_S 2

/* Fault injection for the tests (YUNQUAN_FAULT=busy_begins:N): the next N
 * writing transactions find the database busy when they begin. */
static atomic_llong busy_begins = -1;

static bool injected_busy(void)
{
    long long n = atomic_load(&busy_begins);
    if (n < 0) {
        const char *fault = getenv("YUNQUAN_FAULT");
        long long want = fault && strncmp(fault, "busy_begins:", 12) == 0 ? atoll(fault + 12) : 0;
        atomic_compare_exchange_strong(&busy_begins, &n, want);
    }
    for (n = atomic_load(&busy_begins); n > 0;)
        if (atomic_compare_exchange_weak(&busy_begins, &n, n - 1)) return true;
    return false;
}

static void pause_before(int attempt)
{
    static _Thread_local unsigned seed;
    if (!seed) seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)&seed;
    long us = (long)FIRST_PAUSE_US << (attempt - 1);
    us = us / 2 + rand_r(&seed) % (us / 2 + 1); /* half to all of it */
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

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

/* How far a transaction got: a busy database before the use case ran can
 * always be tried again; after it, only a use case that starts afresh
 * from its inputs (the county-scoped ones) may be run again. */
enum stage { BEGUN, RAN };

static int run_once(struct db *db, bool write, const char *scope, service_tx_fn run, void *ctx,
                    struct problem *p, enum stage *stage)
{
    problem_clear(p);
    *stage = BEGUN;
    int rc;
    if (write && !db_in_transaction(db) && injected_busy())
        rc = YQ_EBUSY;
    else
        rc = !write ? db_begin_snapshot(db) : scope ? db_begin_scoped(db, scope)
                                                    : db_begin(db, true);
    if (rc != YQ_OK) return db_failed(db, rc, p);
    *stage = RAN;
    rc = run(db, ctx, p);
    if (rc != YQ_OK) return service_tx_undone(db, rc, p);
    if (!write) {
        db_rollback(db); /* nothing to keep; ends the snapshot */
        return YQ_OK;
    }
    /* A failed commit has rolled back already. */
    rc = db_commit(db);
    if (rc != YQ_OK) return db_failed(db, rc, p);
    return YQ_OK;
}

/* The whole transaction again while the database is busy, a bounded
 * number of times; then the person hears 503 busy (with Retry-After). */
static int run_in(struct db *db, bool write, const char *scope, bool rerunnable,
                  service_tx_fn run, void *ctx, struct problem *p)
{
    bool outermost = !db_in_transaction(db);
    time_t started = time(NULL);
    for (int attempt = 1;; attempt++) {
        enum stage stage;
        int rc = run_once(db, write, scope, run, ctx, p, &stage);
        /* A lock wait that already took seconds (the busy timeout) is not
         * waited for again. */
        bool retry = rc == YQ_EBUSY && p->status == YQ_EBUSY && strcmp(p->code, "busy") == 0 &&
                     outermost && attempt < TRIES && (stage == BEGUN || rerunnable) &&
                     time(NULL) - started < MAX_WAIT_S;
        if (!retry) return rc;
        pause_before(attempt);
    }
}

int service_tx(struct db *db, service_tx_fn run, void *ctx, struct problem *p)
{
    /* Outside a transaction, a write joins the writer's next group. */
    if (service_tx_grouped(db)) return service_group_run(db, run, ctx, p);
    return run_in(db, true, NULL, false, run, ctx, p);
}

bool service_tx_grouped(struct db *db)
{
    return !db_in_transaction(db) && service_group_on();
}

int service_tx_county(struct db *db, const char *county, service_tx_fn run, void *ctx,
                      struct problem *p)
{
    if (service_tx_grouped(db)) return service_group_run(db, run, ctx, p);
    int rc = run_in(db, true, county && county[0] ? county : NULL, true, run, ctx, p);
    /* What the county was read from changed before its lock was taken, or
     * the use case touches another county too: the whole database. */
    if (rc == YQ_EBUSY && strcmp(p->code, "out_of_scope") == 0)
        rc = run_in(db, true, NULL, true, run, ctx, p);
    return rc;
}

int service_tx_direct(struct db *db, service_tx_fn run, void *ctx, struct problem *p)
{
    return run_in(db, true, NULL, false, run, ctx, p);
}

int service_tx_failed(struct db *db, int rc, struct problem *p)
{
    return db_failed(db, rc, p);
}

int service_tx_undone(struct db *db, int rc, struct problem *p)
{
    /* A queued write (db_run_queued) that met a busy database failed
     * the transaction, whatever the use case made of the statement
     * that reported it: busy, as if that write had said so itself. */
    bool queued_busy = db_queued_failure(db) == YQ_EBUSY;
    db_rollback(db);
    if (queued_busy && db_fault(db) == YQ_OK) {
        problem_clear(p);
        return busy(p);
    }
    return explained(db, rc, p);
}

int service_read(struct db *db, service_tx_fn run, void *ctx, struct problem *p)
{
    return run_in(db, false, NULL, false, run, ctx, p);
}

int service_out_of_scope(struct db *db, const char *county, struct problem *p)
{
    if (db_scope_holds(db, county)) return YQ_OK;
    return problem_set(p, YQ_EBUSY, "out_of_scope", NULL, "系统繁忙，请稍后再试");
}
