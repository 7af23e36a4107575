/* PostgreSQL driver (libpq). The SQL above the interface is portable: `?`
 * placeholders become $1, $2 … here; values travel as text and PostgreSQL
 * infers their types.
 *
 * Writers lock in two levels, across every server process on the
 * database. A plain writing transaction takes the writer lock EXCLUSIVE,
 * so it is serialised exactly as SQLite's BEGIN IMMEDIATE does. A scoped
 * one (db_begin_scoped: one county's queue and pool) takes its scope's
 * lock EXCLUSIVE and then the writer lock SHARED: writers of different
 * counties run in parallel, writers of one county one at a time (先到先补
 * and the pool checks stay exact), and a plain writer still waits for all
 * of them and they for it. The scope's lock comes first so that the queue
 * of one county's writers waits without the writer lock: a plain writer
 * (PostgreSQL grants a lock in the order asked, so the shared requests
 * behind it wait for it) waits only for the scoped transactions that run,
 * not for a county's whole queue. No cycle: a scoped writer holds one scope
 * and waits for the writer lock; a plain writer holds no scope. Lock waits give up after the busy timeout (lock_timeout, 55P03),
 * which the transaction runner retries like a deadlock or a serialization
 * failure.
 *
 * Round trips: each statement is one (BEGIN and its locks travel as one
 * string); data statements are prepared once per connection
 * (db_pg_prepared.c), and writes queued with db_run_queued ride in pipeline
 * mode with the next statement or the COMMIT. */
#include "store/db_driver.h"
#include "store/db_pg_prepared.h"
#include "store/db_pg_backup.h"
#include "store/db_pg_sql.h"
#include "core/mem.h"
#include "core/status.h"

#include <stdatomic.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The advisory lock every writer takes ("yq" in ASCII), exclusive or
 * shared; the scopes' locks are the two-int keys (SCOPE_CLASS, hash). */
#define WRITER_LOCK 0x7971
#define SCOPE_CLASS 0x7973

#define OID_INT2 21
#define OID_INT4 23
#define OID_INT8 20
#define OID_NUMERIC 1700

/* At most this many writes wait in one pipeline; the next one ends it. */
#define QUEUE_MAX 16

struct pg_db {
    struct db base;
    PGconn *conn;
    int64_t changes;
    struct pg_prepared_cache prepared;
    /* Queued writes (db_run_queued): sent in pipeline mode, their answers
     * read with the next statement's; the first failure among them
     * (base.queued_failed) fails every later statement of the transaction. */
    int queued;
    int64_t expect[QUEUE_MAX];
    /* Reads sent ahead (db_send_ahead) wait in the same queue: reader[i]
     * is the statement whose answer is the i-th, NULL for a write. */
    struct pg_stmt *reader[QUEUE_MAX];
};

struct pg_stmt {
    struct db_stmt base;
    char *sql;
    int nparams;
    char **values;
    Oid *types; /* 0: PostgreSQL infers the type; INT8 for a large integer */
    PGresult *res;
    int row, nrows;
    bool executed;
    bool sent;  /* sent ahead: its answer is still on the connection */
    bool taken; /* its answer's status read (rows, changes or failure) */
};

/* Round trips waited for (db_round_trips), all connections together, and
 * of them the PQprepare of a statement's first use on a connection. */
static atomic_llong round_trips, prepares;

int64_t db_round_trips(int64_t *first_uses)
{
    if (first_uses) *first_uses = atomic_load_explicit(&prepares, memory_order_relaxed);
    return (int64_t)atomic_load_explicit(&round_trips, memory_order_relaxed);
}

static void waited(void)
{
    atomic_fetch_add_explicit(&round_trips, 1, memory_order_relaxed);
}

static PGconn *conn_of(struct db *db)
{
    return ((struct pg_db *)db)->conn;
}

static int map_result(struct db *db, PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_of(db));
    db_set_error(db, "%s", msg && msg[0] ? msg : "PostgreSQL error");
    if (state && strncmp(state, "23", 2) == 0) return YQ_ECONFLICT;
    if (state &&
        (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0))
        return YQ_EBUSY;
    /* 53100 disk_full; 58030 io_error (class 58: system errors) */
    if (state && strcmp(state, "53100") == 0) return db->fault = YQ_ENOSPACE;
    if (state && strcmp(state, "58030") == 0) return db->fault = YQ_EIO;
    return YQ_ERR;
}

/* The connection broke or refused pipeline mode: a failure like any other. */
static int conn_failed(struct pg_db *d)
{
    db_set_error(&d->base, "%s", PQerrorMessage(d->conn));
    return YQ_ERR;
}

/* Ends the pipeline: sends its sync, reads the answer of every queued
 * write, then (last != NULL) the answer of the statement sent after them,
 * and leaves pipeline mode. YQ_OK, or the first failure, which also sticks
 * in d->base.queued_failed until the transaction ends. A queued write
 * that changed another number of rows than it expected fails as
 * YQ_ECONFLICT, the status of a guarded write whose count is wrong. */
static int collect(struct pg_db *d, PGresult **last)
{
    int rc = YQ_OK, n = d->queued + (last ? 1 : 0);
    if (last) *last = NULL;
    waited();
    if (!PQpipelineSync(d->conn)) rc = conn_failed(d);
    for (int i = 0; i < n; i++) {
        PGresult *r = PQgetResult(d->conn);
        if (!r) {
            if (rc == YQ_OK) rc = conn_failed(d);
            break;
        }
        ExecStatusType st = PQresultStatus(r);
        if (last && i == n - 1) {
            *last = r;
        } else if (d->reader[i]) {
            /* a read sent ahead: its answer is its own to step through */
            d->reader[i]->res = r;
            d->reader[i]->sent = false;
            if (rc == YQ_OK && st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
                rc = map_result(&d->base, r);
        } else {
            if (st == PGRES_COMMAND_OK) {
                if (rc == YQ_OK && d->expect[i] >= 0 &&
                    strtoll(PQcmdTuples(r), NULL, 10) != d->expect[i]) {
                    db_set_error(&d->base, "a queued write changed %s rows, not %lld",
                                 PQcmdTuples(r), (long long)d->expect[i]);
                    rc = YQ_ECONFLICT;
                }
            } else if (rc == YQ_OK) {
                rc = map_result(&d->base, r);
            }
            PQclear(r);
        }
        PGresult *end = PQgetResult(d->conn); /* NULL: the end of this one's answer */
        if (end) PQclear(end);
    }
    for (int i = 0; i < d->queued; i++) /* unanswered when the connection broke */
        if (d->reader[i]) d->reader[i]->sent = false;
    d->queued = 0;
    PGresult *r;
    while ((r = PQgetResult(d->conn)) != NULL) { /* up to the sync */
        bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
        if (sync) break;
    }
    if (!PQexitPipelineMode(d->conn) && rc == YQ_OK) rc = conn_failed(d);
    if (rc != YQ_OK) {
        if (last) {
            PQclear(*last);
            *last = NULL;
        }
        if (!d->base.queued_failed) d->base.queued_failed = rc;
    }
    return rc;
}

static void p_close(struct db *db)
{
    PQfinish(conn_of(db));
    pg_prepared_forget(&((struct pg_db *)db)->prepared);
    free(db);
}

static int p_exec(struct db *db, const char *sql)
{
    struct pg_db *d = (struct pg_db *)db;
    bool ends = strcmp(sql, "ROLLBACK") == 0 || strncmp(sql, "BEGIN", 5) == 0;
    if (d->queued && !d->base.queued_failed && strcmp(sql, "COMMIT") == 0) {
        /* the queued writes and the COMMIT in one round trip */
        PGresult *res = NULL;
        int rc = PQsendQueryParams(d->conn, sql, 0, NULL, NULL, NULL, NULL, 0)
                     ? collect(d, &res)
                     : (collect(d, NULL), conn_failed(d));
        if (rc == YQ_OK && PQresultStatus(res) != PGRES_COMMAND_OK) rc = map_result(db, res);
        PQclear(res);
        if (rc != YQ_OK && !d->base.queued_failed) d->base.queued_failed = rc;
        return rc;
    }
    if (d->queued) {
        int rc = collect(d, NULL);
        if (rc != YQ_OK && !ends) return rc;
    }
    if (ends) {
        d->base.queued_failed = YQ_OK;
    } else if (d->base.queued_failed) {
        return d->base.queued_failed; /* COMMIT too: the caller rolls back */
    }
    waited();
    PGresult *res = PQexec(d->conn, sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? YQ_OK : map_result(db, res);
    PQclear(res);
    return rc;
}

static int p_begin(struct db *db, bool write)
{
    if (!write) return p_exec(db, "BEGIN");
    char sql[96];
    snprintf(sql, sizeof sql, "BEGIN; SELECT pg_advisory_xact_lock(%d)", WRITER_LOCK);
    int rc = p_exec(db, sql);
    if (rc != YQ_OK) p_exec(db, "ROLLBACK");
    return rc;
}

/* FNV-1a, folded to a positive int4: two scopes that collide only share
 * a lock (they wait for each other), never lose one. */
static int scope_key(const char *scope)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *c = (const unsigned char *)scope; *c; c++)
        h = (h ^ *c) * 16777619u;
    return (int)(h & 0x7fffffff);
}

static int p_begin_scoped(struct db *db, const char *scope)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "BEGIN; SELECT pg_advisory_xact_lock(%d, %d), pg_advisory_xact_lock_shared(%d)",
             SCOPE_CLASS, scope_key(scope), WRITER_LOCK);
    int rc = p_exec(db, sql);
    if (rc != YQ_OK) p_exec(db, "ROLLBACK");
    return rc;
}

static int p_begin_snapshot(struct db *db)
{
    return p_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

static struct db_stmt *p_prepare(struct db *db, const char *sql)
{
    struct pg_stmt *s = yq_calloc(1, sizeof *s);
    s->base.db = db;
    s->sql = pg_sql_convert(sql, &s->nparams);
    s->values = yq_calloc((size_t)(s->nparams ? s->nparams : 1), sizeof *s->values);
    s->types = yq_calloc((size_t)(s->nparams ? s->nparams : 1), sizeof *s->types);
    return &s->base;
}

static struct pg_stmt *pg(struct db_stmt *st)
{
    return (struct pg_stmt *)st;
}

static void set_value(struct db_stmt *st, int idx, char *v, Oid type)
{
    struct pg_stmt *s = pg(st);
    if (idx < 1 || idx > s->nparams) {
        free(v);
        return;
    }
    free(s->values[idx - 1]);
    s->values[idx - 1] = v;
    s->types[idx - 1] = type;
}

static void p_bind_text(struct db_stmt *st, int idx, const char *v)
{
    set_value(st, idx, yq_strdup(v), 0);
}

static void p_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    /* An untyped parameter compared with an INTEGER column is read as one:
     * ?service=9223372036854775807 would fail "out of range" where SQLite
     * merely matches nothing. A value beyond 32 bits travels as BIGINT. */
    set_value(st, idx, yq_strdup(buf), v > INT32_MAX || v < INT32_MIN ? OID_INT8 : 0);
}

static void p_bind_null(struct db_stmt *st, int idx)
{
    set_value(st, idx, NULL, 0);
}

/* s's prepared name (pg_prepared_name); a failure to prepare is s's. */
static int prepared_name(struct pg_db *d, struct pg_stmt *s, bool may_prepare, const char **name)
{
    PGresult *failed;
    int prepared = d->prepared.nnames;
    *name = pg_prepared_name(d->conn, &d->prepared, s->sql, s->nparams, s->types, may_prepare,
                             &failed);
    if (d->prepared.nnames != prepared) { /* PQprepare */
        waited();
        atomic_fetch_add_explicit(&prepares, 1, memory_order_relaxed);
    }
    if (*name) return YQ_OK;
    *name = "";
    int rc = map_result(&d->base, failed);
    PQclear(failed);
    return rc;
}

/* Sends s in the open pipeline (after the queued writes); false when it
 * must wait for the pipeline to end (its statement is not prepared yet). */
static bool send_in_pipeline(struct pg_db *d, struct pg_stmt *s)
{
    const char *name;
    if (prepared_name(d, s, false, &name) != YQ_OK) return false;
    if (name[0])
        return PQsendQueryPrepared(d->conn, name, s->nparams, (const char *const *)s->values,
                                   NULL, NULL, 0);
    if (pg_preparable(s->sql)) return false;
    return PQsendQueryParams(d->conn, s->sql, s->nparams, s->types,
                             (const char *const *)s->values, NULL, NULL, 0);
}

static int p_step(struct db_stmt *st)
{
    struct pg_stmt *s = pg(st);
    struct pg_db *d = (struct pg_db *)st->db;
    if (s->sent) {
        /* sent ahead: its answer comes with every one queued before it */
        int rc = collect(d, NULL);
        if (rc != YQ_OK) return rc;
    } else if (!s->executed) {
        s->executed = true;
        if (d->base.queued_failed) return d->base.queued_failed;
        const char *name = "";
        if (d->queued && send_in_pipeline(d, s)) {
            /* the queued writes and this statement in one round trip */
            int rc = collect(d, &s->res);
            if (rc != YQ_OK) return rc;
        } else {
            if (d->queued) {
                int rc = collect(d, NULL);
                if (rc != YQ_OK) return rc;
            }
            int rc = prepared_name(d, s, true, &name);
            if (rc != YQ_OK) return rc;
            waited();
            if (name[0])
                s->res = PQexecPrepared(d->conn, name, s->nparams,
                                        (const char *const *)s->values, NULL, NULL, 0);
            else
                s->res = PQexecParams(d->conn, s->sql, s->nparams, s->types,
                                      (const char *const *)s->values, NULL, NULL, 0);
        }
    }
    if (!s->taken) {
        s->taken = true;
        /* an answer lost with the connection: the failure collect kept */
        if (!s->res) return d->base.queued_failed ? d->base.queued_failed : YQ_ERR;
        ExecStatusType rs = PQresultStatus(s->res);
        if (rs == PGRES_TUPLES_OK) {
            s->nrows = PQntuples(s->res);
            d->changes = 0;
        } else if (rs == PGRES_COMMAND_OK) {
            s->nrows = 0;
            d->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
        } else {
            /* "cached plan must not change result type": the schema changed
             * under a prepared SELECT (a migration by another process). This
             * statement fails as it would in any aborted transaction; the
             * next ones are prepared afresh. */
            const char *state = PQresultErrorField(s->res, PG_DIAG_SQLSTATE);
            if (state && strcmp(state, "0A000") == 0) pg_prepared_forget(&d->prepared);
            return map_result(st->db, s->res);
        }
        s->row = -1;
    }
    s->row++;
    return s->row < s->nrows ? DB_ROW : DB_DONE;
}

/* db_run_queued: a prepared write goes into the pipeline without waiting
 * for its answer (collect reads it with the next statement's); the first
 * use of its statement on this connection, or a full queue, runs it as any
 * other statement. */
static int p_queue(struct db_stmt *st, int64_t expect)
{
    struct pg_stmt *s = pg(st);
    struct pg_db *d = (struct pg_db *)st->db;
    if (d->base.queued_failed) return d->base.queued_failed;
    const char *name = "";
    if (d->queued < QUEUE_MAX) prepared_name(d, s, false, &name);
    if (name[0] && (PQpipelineStatus(d->conn) == PQ_PIPELINE_ON ||
                    PQenterPipelineMode(d->conn))) {
        s->executed = true;
        if (!PQsendQueryPrepared(d->conn, name, s->nparams, (const char *const *)s->values, NULL,
                                 NULL, 0)) {
            int rc = conn_failed(d);
            collect(d, NULL);
            return d->base.queued_failed = rc;
        }
        d->reader[d->queued] = NULL;
        d->expect[d->queued++] = expect;
        return YQ_OK;
    }
    int rc;
    while ((rc = p_step(st)) == DB_ROW) {
    }
    if (rc != DB_DONE) return rc;
    return expect >= 0 && d->changes != expect ? YQ_ECONFLICT : YQ_OK;
}

static bool p_col_null(struct db_stmt *st, int col)
{
    return PQgetisnull(pg(st)->res, pg(st)->row, col) != 0;
}

static int64_t p_col_int64(struct db_stmt *st, int col)
{
    if (p_col_null(st, col)) return 0;
    return strtoll(PQgetvalue(pg(st)->res, pg(st)->row, col), NULL, 10);
}

static const char *p_col_text(struct db_stmt *st, int col)
{
    if (p_col_null(st, col)) return NULL;
    return PQgetvalue(pg(st)->res, pg(st)->row, col);
}

/* db_send_ahead: a prepared read goes into the pipeline (entered if need
 * be) and waits in the queue like a write; unprepared, or with the queue
 * full, it runs at its first step. */
static void p_send_ahead(struct db_stmt *st)
{
    struct pg_stmt *s = pg(st);
    struct pg_db *d = (struct pg_db *)st->db;
    const char *name = "";
    if (s->executed || d->base.queued_failed || d->queued >= QUEUE_MAX) return;
    prepared_name(d, s, false, &name);
    if (!name[0] || !(PQpipelineStatus(d->conn) == PQ_PIPELINE_ON ||
                      PQenterPipelineMode(d->conn)))
        return;
    s->executed = true;
    if (!PQsendQueryPrepared(d->conn, name, s->nparams, (const char *const *)s->values, NULL,
                             NULL, 0)) {
        d->base.queued_failed = conn_failed(d);
        return; /* its step answers the failure */
    }
    s->sent = true;
    d->reader[d->queued] = s;
    d->expect[d->queued++] = -1;
}

static void p_flush(struct db *db)
{
    struct pg_db *d = (struct pg_db *)db;
    if (d->queued) collect(d, NULL);
}

static void p_finalize(struct db_stmt *st)
{
    struct pg_stmt *s = pg(st);
    if (s->sent) collect((struct pg_db *)st->db, NULL); /* its answer, off the connection */
    PQclear(s->res);
    for (int i = 0; i < s->nparams; i++)
        free(s->values[i]);
    free(s->values);
    free(s->types);
    free(s->sql);
    free(s);
}

static int p_col_count(struct db_stmt *st)
{
    return PQnfields(pg(st)->res);
}

static const char *p_col_name(struct db_stmt *st, int col)
{
    return PQfname(pg(st)->res, col);
}

/* Integers, and sums of integers (NUMERIC without a fraction). */
static bool p_col_is_int(struct db_stmt *st, int col)
{
    if (p_col_null(st, col)) return false;
    Oid t = PQftype(pg(st)->res, col);
    if (t == OID_INT2 || t == OID_INT4 || t == OID_INT8) return true;
    return t == OID_NUMERIC && !strchr(PQgetvalue(pg(st)->res, pg(st)->row, col), '.');
}

static int64_t p_changes(struct db *db)
{
    return ((struct pg_db *)db)->changes;
}

/* A consistent copy of a PostgreSQL database is pg_dump's work (one
 * snapshot, taken while the servers write): say exactly what to run
 * (db_pg_backup.c). */
static int p_backup(struct db *db, const char *out_path)
{
    char *cmd = pg_dump_command(conn_of(db), out_path);
    db_set_error(db,
                 "PostgreSQL 数据库请用 pg_dump 备份（一个快照，服务运行中亦可；"
                 "密码由 PGPASSWORD 或 ~/.pgpass 提供）：\n  %s\n"
                 "恢复后用 yunquan ledger check 与 yunquan audit verify 核对",
                 cmd ? cmd : "pg_dump");
    free(cmd);
    return YQ_EINVAL;
}

static const struct db_ops pg_ops = {
    .name = "postgresql",
    .close = p_close,
    .exec = p_exec,
    .begin = p_begin,
    .begin_scoped = p_begin_scoped,
    .begin_snapshot = p_begin_snapshot,
    .prepare = p_prepare,
    .bind_text = p_bind_text,
    .bind_int64 = p_bind_int64,
    .bind_null = p_bind_null,
    .step = p_step,
    .col_null = p_col_null,
    .col_int64 = p_col_int64,
    .col_text = p_col_text,
    .finalize = p_finalize,
    .col_count = p_col_count,
    .col_name = p_col_name,
    .col_is_int = p_col_is_int,
    .changes = p_changes,
    .backup = p_backup,
    .end_tx = NULL,
    .queue = p_queue,
    .send_ahead = p_send_ahead,
    .flush = p_flush,
};

struct db *db_pg_open(const char *url, const struct db_options *opt, char *err, size_t errlen)
{
    /* A host that accepts and then never answers would hold the caller
     * (a worker thread) for ever: the attempt gives up after a few seconds
     * unless the URL sets its own connect_timeout (read after this). */
    const char *const keys[] = {"connect_timeout", "dbname", NULL};
    const char *const values[] = {opt->read_only ? "3" : "10", url, NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        snprintf(err, errlen, "无法连接 PostgreSQL：%s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    struct pg_db *d = yq_calloc(1, sizeof *d);
    d->base.ops = &pg_ops;
    d->base.opt = *opt;
    d->conn = conn;
    /* Quiet notices ("relation already exists, skipping"); times in UTC are
     * never read from the database (instants are integers). */
    char set[96];
    snprintf(set, sizeof set, "SET client_min_messages = warning; SET lock_timeout = %d",
             opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000);
    if (p_exec(&d->base, set) != YQ_OK) {
        snprintf(err, errlen, "无法设置 PostgreSQL 会话：%s", d->base.err);
        p_close(&d->base);
        return NULL;
    }
    return &d->base;
}
