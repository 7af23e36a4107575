/* The one storage interface. A handle is opened from a URL: a file path
 * (SQLite, the embedded default) or "postgresql://..." (a later driver).
 * SQL above this interface is portable: `?` placeholders, no
 * driver-specific syntax, ids made by the application, money as int64.
 * The last error is kept on the handle (db_error). A handle is used by one
 * thread at a time. */
#ifndef YQ_STORE_DB_H
#define YQ_STORE_DB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

struct db_options {
    const char *synchronous; /* "FULL" (default), "NORMAL" or "OFF" */
    int busy_timeout_ms;     /* default 5000 */
    bool read_only;          /* SQLite: the file must exist and is never written (a replica) */
    /* SQLite: > 0, a read-only connection whose reads outside transactions
     * share one snapshot while nothing was committed by this process and
     * for at most this long (store/db_sqlite_reuse.h). */
    int snapshot_reuse_ms;
};

enum { DB_DONE = 0, DB_ROW = 1 };

/* Opens the database. On failure returns NULL and writes a message to err. */
struct db *db_open(const char *url, const struct db_options *opt, char *err, size_t errlen);
void db_close(struct db *db);
/* The message of the last failure on this handle ("" if none). */
const char *db_error(struct db *db);

/* A failure of the storage itself seen on this handle since the last
 * db_fault_clear: YQ_ENOSPACE (disk full), YQ_EIO (a write or fsync
 * failed), or YQ_OK. Sticky, because callers often answer a failed
 * statement as a plain database error; the caller that answers the
 * request looks here to say what really happened. */
int db_fault(struct db *db);
void db_fault_clear(struct db *db);

/* Transactions. A writing transaction takes the write lock at once
 * (SQLite: BEGIN IMMEDIATE), retrying while the database is busy. Inside
 * an open transaction, begin opens a savepoint and commit/rollback release
 * or undo just it; a write cannot nest inside a read transaction (YQ_ERR).
 * A failed commit rolls back (the savepoint, or the whole transaction). */
int db_begin(struct db *db, bool write);
/* A writing transaction that changes only what belongs to one scope (a
 * county code: its queue, pool, serials, counters and audit shard).
 * PostgreSQL: the scope's own lock, then the writer lock SHARED, so writers
 * of different scopes run in parallel, writers of one scope one at a time,
 * and a plain db_begin(db, true) (the writer lock EXCLUSIVE) still excludes
 * them all. SQLite: db_begin(db, true), in the scope all the same. Take
 * the scope from a cheap read before, then read again under the lock
 * everything that decides the write, and check the scope still holds
 * (db_scope_holds). Inside an open transaction: a savepoint, in whatever
 * scope the transaction holds. */
int db_begin_scoped(struct db *db, const char *scope);
/* Whether scoped writers lock their scope alone (PostgreSQL), i.e. wait
 * only for writers of the same scope; false when every writer waits for
 * every other (SQLite). */
bool db_scoped_locks(struct db *db);
/* The scope of the open writing transaction: NULL when it holds the whole
 * database (a plain writing transaction). */
const char *db_scope(struct db *db);
/* Whether the open writing transaction may change what belongs to scope. */
bool db_scope_holds(struct db *db, const char *scope);
/* A read transaction whose statements all see one snapshot (PostgreSQL:
 * REPEATABLE READ READ ONLY; SQLite's WAL readers always do). */
int db_begin_snapshot(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
bool db_in_transaction(struct db *db);
/* 0 outside a transaction, 1 in it, 2+ inside savepoints. */
int db_depth(struct db *db);

/* Runs one or more statements without parameters. */
int db_exec(struct db *db, const char *sql);

/* Prepares a statement; NULL on error (see db_error). Parameters are bound
 * by 1-based index; text is copied. */
struct db_stmt *db_prepare(struct db *db, const char *sql);
void db_bind_text(struct db_stmt *st, int idx, const char *s); /* NULL binds SQL NULL */
void db_bind_int64(struct db_stmt *st, int idx, int64_t v);
void db_bind_null(struct db_stmt *st, int idx);
/* DB_ROW, DB_DONE, or a negative status: YQ_ECONFLICT on a uniqueness or
 * check constraint, YQ_EBUSY when locked, YQ_ERR otherwise. */
int db_step(struct db_stmt *st);
bool db_col_null(struct db_stmt *st, int col);
int64_t db_col_int64(struct db_stmt *st, int col);
/* Borrowed until the next step or finalize; NULL for SQL NULL. */
const char *db_col_text(struct db_stmt *st, int col);
void db_finalize(struct db_stmt *st);
/* Columns of the current row: count, name, and whether a value is an
 * integer (else text or NULL). */
int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int col);
bool db_col_is_int(struct db_stmt *st, int col);
/* Rows changed by the last statement. */
int64_t db_changes(struct db *db);

/* Prepares `sql`, binds the variadic arguments described by `types` (one
 * char each: 't' const char * (NULL allowed), 'i' int64_t, 'b' bool as
 * 0/1), and returns the statement ready to step; NULL on error. */
struct db_stmt *db_query(struct db *db, const char *sql, const char *types, ...);
/* The same, stepped to completion: YQ_OK or a negative status. */
int db_run(struct db *db, const char *sql, const char *types, ...);
/* A write whose only outcomes are "done, `expect` rows changed" (-1: any
 * number) or the failure of the whole transaction, e.g. an audit entry's
 * INSERT: db_run, then YQ_ECONFLICT if another number of rows changed. On
 * PostgreSQL, in a writing transaction, it may be sent without waiting for
 * its answer, which is read with the next statement's or the COMMIT's (one
 * round trip for all). A failure is then returned by that next statement,
 * db_exec or db_commit, and by every later one until the transaction (or
 * the savepoint it was sent in) is rolled back; the commit fails and rolls
 * back. Inside a savepoint, its RELEASE is such a next statement, so a
 * failure never escapes the savepoint it happened in (a group commit's job
 * fails alone). db_changes does not tell this write's count. */
int db_run_queued(struct db *db, int64_t expect, const char *sql, const char *types, ...);
/* Sends a read ahead of its first db_step: on PostgreSQL, inside a
 * transaction, the statement goes out at once (in pipeline mode, after any
 * queued writes) and its answer is read at the first step of it or of any
 * statement sent after it, so independent reads sent ahead one after the
 * other cost one round trip together (db_query's statements: their
 * arguments are copied). Elsewhere, and when the statement is not yet
 * prepared on the connection, nothing happens before the step. The statement is stepped
 * and finalized as any other; finalizing it unstepped is allowed. Returns st
 * (NULL stays NULL: a failed db_query passes through). */
struct db_stmt *db_send_ahead(struct db_stmt *st);
/* The status of a queued write that failed in the open transaction (YQ_OK
 * if none): what the transaction failed of, whatever the use case made of
 * the statement that reported it (YQ_EBUSY: run it again). */
int db_queued_failure(struct db *db);
/* va_list forms of db_query and db_run. */
struct db_stmt *db_vquery(struct db *db, const char *sql, const char *types, va_list ap);
/* db_vquery for a statement the caller steps to its end and finalizes
 * while the arguments are still alive (db_run, rows_int …): their text
 * is bound without a copy. */
struct db_stmt *db_vquery_borrowed(struct db *db, const char *sql, const char *types, va_list ap);
int db_vrun(struct db *db, const char *sql, const char *types, va_list ap);

/* Writes a consistent copy of the whole database to out_path (SQLite: the
 * online backup API, safe while the server runs). YQ_OK or an error. */
int db_backup(struct db *db, const char *out_path);

/* Nanoseconds the calling thread has spent in the database so far. */
int64_t db_thread_time_ns(void);

/* Round trips to a database server this process has waited for, every
 * thread and connection together (PostgreSQL; SQLite has none); of them,
 * *first_uses (if not NULL) prepared a statement on its first use on a
 * connection. */
int64_t db_round_trips(int64_t *first_uses);

/* Driver name: "sqlite" or "postgresql". */
const char *db_driver(struct db *db);

#endif
