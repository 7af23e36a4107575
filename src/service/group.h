/* Group commit (issue 12): while it runs, every writing use case that
 * service_tx would have run in a transaction of its own goes instead to a
 * single writer thread. The writer takes the queued use cases in arrival
 * order (at most GROUP_MAX at a time), runs each as a savepoint of one
 * transaction on its own connection (a failing one rolls back alone),
 * commits once (one fsync for the group) and only then answers every
 * request of the group. Arrival order is execution order, so 先到先补 is
 * untouched; a light load makes groups of one, with no added wait.
 *
 * A storage failure (disk full, failed write or fsync) inside a group or at
 * its commit fails every use case of the group with that status: none was
 * made durable. The writer's connection is then reopened. Use cases
 * already inside a transaction (a savepoint of the Idempotency-Key
 * record's transaction) run where they are, as before. */
#ifndef YQ_SERVICE_GROUP_H
#define YQ_SERVICE_GROUP_H

#include "service/tx.h"

#include <stdbool.h>
#include <stdint.h>

#define GROUP_MAX 256

/* Starts the writer thread on its own connection to `url`. YQ_OK or an
 * error (message in err). On SQLite by default; on PostgreSQL when asked
 * (`--group-commit true`), which otherwise takes concurrent writers and
 * groups their commits itself (commit_delay). */
int service_group_start(const char *url, const struct db_options *opt, char *err, size_t errlen);
/* Answers what is queued, then stops the thread. */
void service_group_stop(void);
/* True while the writer runs. */
bool service_group_on(void);
/* Runs `run` through the writer; the caller waits for its group's commit
 * (on `db`, its own connection, when the writer is stopping). */
int service_group_run(struct db *db, service_tx_fn run, void *ctx, struct problem *p);

struct group_stats {
    int64_t groups;  /* commits */
    int64_t jobs;    /* use cases run */
    int64_t largest; /* most use cases in one commit */
};
void service_group_stats(struct group_stats *out);

#endif
