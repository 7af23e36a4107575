/* The storage interface: dispatch to the driver named by the URL, and the
 * helpers every driver shares (typed binding, transactions bookkeeping). */
#include "store/db_driver.h"
#include "core/clock.h"
#include "core/status.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Time this thread spent inside the database, for the metrics. */
static _Thread_local int64_t thread_db_ns;

int64_t db_thread_time_ns(void)
{
    return thread_db_ns;
}

struct db *db_open(const char *url, const struct db_options *opt, char *err, size_t errlen)
{
    struct db_options o = {.synchronous = "FULL", .busy_timeout_ms = 5000};
    if (opt) {
        if (opt->synchronous) o.synchronous = opt->synchronous;
        if (opt->busy_timeout_ms > 0) o.busy_timeout_ms = opt->busy_timeout_ms;
        o.read_only = opt->read_only;
        o.snapshot_reuse_ms = opt->snapshot_reuse_ms;
    }
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return db_pg_open(url, &o, err, errlen);
    return db_sqlite_open(url, &o, err, errlen);
}

void db_close(struct db *db)
{
    if (db) db->ops->close(db);
}

const char *db_error(struct db *db)
{
    return db->err;
}

int db_fault(struct db *db)
{
    return db->fault;
}

void db_fault_clear(struct db *db)
{
    db->fault = YQ_OK;
}

void db_set_error(struct db *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->err, sizeof db->err, fmt, ap);
    va_end(ap);
}

/* A begin inside an open transaction opens a savepoint, so that a use
 * case runs the same whether it is alone or one of several in a shared
 * transaction (an Idempotency-Key's record, a later group commit). */
int db_begin(struct db *db, bool write)
{
    if (db->in_tx) {
        if (write && !db->tx_write) {
            db_set_error(db, "a write cannot nest inside a read transaction");
            return YQ_ERR;
        }
        char sql[48];
        snprintf(sql, sizeof sql, "SAVEPOINT yq_%d", db->depth + 1);
        /* Prepared once per connection (db_run), not parsed every time:
         * a group commit opens one per request. */
        int rc = db_run(db, sql, "");
        if (rc == YQ_OK) db->depth++;
        return rc;
    }
    int64_t t0 = clock_mono_ns();
    int rc = db->ops->begin(db, write);
    thread_db_ns += clock_mono_ns() - t0;
    if (rc == YQ_OK) {
        db->in_tx = true;
        db->tx_write = write;
        db->depth = 0;
        db->scope[0] = '\0';
    }
    return rc;
}

bool db_scoped_locks(struct db *db)
{
    return db->ops->begin_scoped != NULL;
}

int db_begin_scoped(struct db *db, const char *scope)
{
    if (db->in_tx || !scope || !scope[0] || strlen(scope) >= sizeof db->scope)
        return db_begin(db, true);
    /* SQLite: the one writer lock, in the scope all the same (its audit
     * shard), so that both backends write and verify the same chains. */
    if (!db->ops->begin_scoped) {
        int rc = db_begin(db, true);
        if (rc == YQ_OK) snprintf(db->scope, sizeof db->scope, "%s", scope);
        return rc;
    }
    int64_t t0 = clock_mono_ns();
    int rc = db->ops->begin_scoped(db, scope);
    thread_db_ns += clock_mono_ns() - t0;
    if (rc == YQ_OK) {
        db->in_tx = true;
        db->tx_write = true;
        db->depth = 0;
        snprintf(db->scope, sizeof db->scope, "%s", scope);
    }
    return rc;
}

const char *db_scope(struct db *db)
{
    return db->in_tx && db->tx_write && db->scope[0] ? db->scope : NULL;
}

bool db_scope_holds(struct db *db, const char *scope)
{
    const char *s = db_scope(db);
    return !s || (scope && strcmp(s, scope) == 0);
}

int db_begin_snapshot(struct db *db)
{
    if (db->in_tx || !db->ops->begin_snapshot) return db_begin(db, false);
    int rc = db->ops->begin_snapshot(db);
    if (rc == YQ_OK) {
        db->in_tx = true;
        db->tx_write = false;
        db->depth = 0;
        db->scope[0] = '\0';
    }
    return rc;
}

int db_commit(struct db *db)
{
    if (!db->in_tx) {
        db_set_error(db, "commit without a transaction");
        return YQ_ERR;
    }
    if (db->depth > 0) {
        char sql[48];
        snprintf(sql, sizeof sql, "RELEASE SAVEPOINT yq_%d", db->depth);
        int rc = db_run(db, sql, "");
        if (rc != YQ_OK) {
            db_rollback(db);
            return rc;
        }
        db->depth--;
        return YQ_OK;
    }
    int rc = db_exec(db, "COMMIT");
    if (rc == YQ_OK) {
        db->in_tx = false;
        if (db->ops->end_tx) db->ops->end_tx(db);
    } else {
        db_rollback(db);
    }
    return rc;
}

void db_rollback(struct db *db)
{
    if (!db->in_tx) return;
    if (db->depth > 0) {
        /* A queued write's failure is found at the first statement after
         * it, and every savepoint's SAVEPOINT and RELEASE is such a
         * statement: a failure not yet found, or found and not yet rolled
         * back, happened inside this savepoint and goes with it. */
        if (db->ops->flush) db->ops->flush(db);
        db->queued_failed = YQ_OK;
        char sql[48];
        snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT yq_%d", db->depth);
        if (db_run(db, sql, "") != YQ_OK) {
            /* the prepared form failed (e.g. out of memory): the plain one */
            snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT yq_%d", db->depth);
            db->ops->exec(db, sql);
        }
        snprintf(sql, sizeof sql, "RELEASE SAVEPOINT yq_%d", db->depth);
        if (db_run(db, sql, "") != YQ_OK) db->ops->exec(db, sql);
        db->depth--;
        return;
    }
    db->in_tx = false;
    db->ops->exec(db, "ROLLBACK");
    if (db->ops->end_tx) db->ops->end_tx(db);
}

int db_depth(struct db *db)
{
    return db->in_tx ? db->depth + 1 : 0;
}

bool db_in_transaction(struct db *db)
{
    return db->in_tx;
}

int db_exec(struct db *db, const char *sql)
{
    int64_t t0 = clock_mono_ns();
    int rc = db->ops->exec(db, sql);
    thread_db_ns += clock_mono_ns() - t0;
    return rc;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
    return db->ops->prepare(db, sql);
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
    if (s)
        st->db->ops->bind_text(st, idx, s);
    else
        st->db->ops->bind_null(st, idx);
}

void db_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
    st->db->ops->bind_int64(st, idx, v);
}

void db_bind_null(struct db_stmt *st, int idx)
{
    st->db->ops->bind_null(st, idx);
}

int db_step(struct db_stmt *st)
{
    int64_t t0 = clock_mono_ns();
    int rc = st->db->ops->step(st);
    thread_db_ns += clock_mono_ns() - t0;
    return rc;
}

bool db_col_null(struct db_stmt *st, int col)
{
    return st->db->ops->col_null(st, col);
}

int64_t db_col_int64(struct db_stmt *st, int col)
{
    return st->db->ops->col_int64(st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
    return st->db->ops->col_text(st, col);
}

void db_finalize(struct db_stmt *st)
{
    if (st) st->db->ops->finalize(st);
}

int db_col_count(struct db_stmt *st)
{
    return st->db->ops->col_count(st);
}

const char *db_col_name(struct db_stmt *st, int col)
{
    return st->db->ops->col_name(st, col);
}

bool db_col_is_int(struct db_stmt *st, int col)
{
    return st->db->ops->col_is_int(st, col);
}

int64_t db_changes(struct db *db)
{
    return db->ops->changes(db);
}

int db_backup(struct db *db, const char *out_path)
{
    return db->ops->backup(db, out_path);
}

const char *db_driver(struct db *db)
{
    return db->ops->name;
}

struct db_stmt *db_vquery(struct db *db, const char *sql, const char *types, va_list ap)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return NULL;
    for (int i = 0; types && types[i]; i++) {
        switch (types[i]) {
        case 't':
            db_bind_text(st, i + 1, va_arg(ap, const char *));
            break;
        case 'i':
            db_bind_int64(st, i + 1, va_arg(ap, int64_t));
            break;
        case 'b':
            db_bind_int64(st, i + 1, va_arg(ap, int) ? 1 : 0);
            break;
        default:
            db_set_error(db, "db_query: unknown type '%c'", types[i]);
            db_finalize(st);
            return NULL;
        }
    }
    return st;
}

struct db_stmt *db_query(struct db *db, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = db_vquery(db, sql, types, ap);
    va_end(ap);
    return st;
}

int db_run(struct db *db, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = db_vrun(db, sql, types, ap);
    va_end(ap);
    return rc;
}

struct db_stmt *db_vquery_borrowed(struct db *db, const char *sql, const char *types, va_list ap)
{
    db->binds_borrowed = true;
    struct db_stmt *st = db_vquery(db, sql, types, ap);
    db->binds_borrowed = false;
    return st;
}

int db_vrun(struct db *db, const char *sql, const char *types, va_list ap)
{
    struct db_stmt *st = db_vquery_borrowed(db, sql, types, ap);
    if (!st) return YQ_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
    }
    db_finalize(st);
    return rc == DB_DONE ? YQ_OK : rc;
}

int db_run_queued(struct db *db, int64_t expect, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    if (!(db->ops->queue && db->in_tx && db->tx_write)) {
        /* nothing to queue on: run it now, its count checked */
        int rc = db_vrun(db, sql, types, ap);
        va_end(ap);
        return rc == YQ_OK && expect >= 0 && db_changes(db) != expect ? YQ_ECONFLICT : rc;
    }
    struct db_stmt *st = db_vquery(db, sql, types, ap);
    va_end(ap);
    if (!st) return YQ_ERR;
    int64_t t0 = clock_mono_ns();
    int rc = db->ops->queue(st, expect);
    thread_db_ns += clock_mono_ns() - t0;
    db_finalize(st);
    return rc;
}

struct db_stmt *db_send_ahead(struct db_stmt *st)
{
    struct db *db = st ? st->db : NULL;
    if (db && db->ops->send_ahead && db->in_tx) {
        int64_t t0 = clock_mono_ns();
        db->ops->send_ahead(st);
        thread_db_ns += clock_mono_ns() - t0;
    }
    return st;
}

int db_queued_failure(struct db *db)
{
    return db->in_tx ? db->queued_failed : YQ_OK;
}
