/* Public reads that share one SQLite read snapshot across requests
 * (db_options.snapshot_reuse_ms): a worker's snapshot is kept while no
 * commit of this process has happened since it began and it is younger
 * than the limit, so a run of public verifications does not begin and
 * end a WAL read transaction each (the shared-memory locks and the page
 * cache check: about a sixth of a verification's server CPU).
 *
 * What it may lag: nothing committed by this process (every commit is
 * counted by the WAL hook once it is done, before its request is
 * answered, and a snapshot older than the count is ended before the next
 * read); another process's commit (the command line) for at most the
 * limit. A sweeper thread ends the snapshots of idle workers once stale,
 * so no snapshot holds back a checkpoint for longer than about twice the
 * limit. Only for reads that may already come from a lagging replica. */
#ifndef YQ_STORE_DB_SQLITE_REUSE_H
#define YQ_STORE_DB_SQLITE_REUSE_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct snapshot_reuse {
    sqlite3 *conn;
    int limit_ms;
    pthread_mutex_t use; /* held by the worker while it reads */
    bool open;           /* a read transaction is open (BEGIN issued) */
    bool broken;         /* a statement failed: end it before the next read */
    uint64_t commits;    /* the commit count when it began */
    int64_t began_ms;    /* monotonic */
    int reading;         /* statements open */
};

/* Counts a commit of this process; installed as every writing
 * connection's WAL hook (it checkpoints as SQLite's own hook does). */
int reuse_wal_hook(void *ctx, sqlite3 *conn, const char *db_name, int frames);

void reuse_init(struct snapshot_reuse *r, sqlite3 *conn, int limit_ms);
/* Before closing the connection: the sweeper forgets it, and the
 * snapshot ends. */
void reuse_cleanup(struct snapshot_reuse *r);
/* Around every statement of the connection outside explicit
 * transactions: the first one opened takes the snapshot (a fresh one when
 * stale), the last one finalized lets the sweeper at it again. */
int reuse_statement_begin(struct snapshot_reuse *r);
void reuse_statement_end(struct snapshot_reuse *r, bool failed);
/* Before an explicit transaction on the connection: the snapshot ends,
 * and the connection is the caller's until reuse_explicit_end. */
void reuse_explicit_begin(struct snapshot_reuse *r);
void reuse_explicit_end(struct snapshot_reuse *r);

#endif
