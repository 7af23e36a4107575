/* SQLite driver: WAL, explicit `synchronous`, busy timeout, BEGIN IMMEDIATE
 * for writing transactions, retried while another writer holds the lock. */
#include "store/db_driver.h"
#include "store/db_sqlite_reuse.h"
#include "core/mem.h"
#include "core/status.h"

#include <errno.h>
#include <unistd.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Prepared statements are kept per connection and reused: the same SQL
 * text comes back on every request, and preparing costs more than running
 * most of our queries. */
#define STMT_CACHE 512
#define STMT_SLOTS 1024 /* open addressing, at most half full */

struct cached_stmt {
    char *sql;
    uint32_t hash;
    sqlite3_stmt *st;
    bool in_use;
};

struct sqlite_db {
    struct db base;
    sqlite3 *conn;
    bool holds_writer;
    struct snapshot_reuse *reuse; /* db_options.snapshot_reuse_ms, else NULL */
    int ncached;
    struct cached_stmt cache[STMT_CACHE];
    int16_t slot[STMT_SLOTS]; /* index into cache + 1; 0 empty */
};

/* Eight bytes a step (a byte-at-a-time FNV over a statement's few hundred
 * characters was 2 % of a public verification); a collision only costs
 * the strcmp that confirms every hit. */
static uint32_t sql_hash(const char *sql)
{
    size_t n = strlen(sql);
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    for (; n >= 8; n -= 8, sql += 8) {
        uint64_t w;
        memcpy(&w, sql, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, sql, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return (uint32_t)(h ^ (h >> 29));
}

struct sqlite_stmt {
    struct db_stmt base;
    sqlite3_stmt *st;
    struct cached_stmt *cached; /* NULL when not from the cache */
    bool reusing, failed;       /* inside the connection's shared snapshot */
};

static sqlite3 *conn_of(struct db *db)
{
    return ((struct sqlite_db *)db)->conn;
}

static int map_rc(struct db *db, int rc)
{
    db_set_error(db, "%s", sqlite3_errmsg(conn_of(db)));
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return YQ_ECONFLICT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return YQ_EBUSY;
    case SQLITE_FULL:
        return db->fault = YQ_ENOSPACE;
    case SQLITE_IOERR:
        /* A short write for want of space is reported as SQLITE_FULL; any
         * other I/O error (a failed fsync above all) is not. */
        if (db->fault != YQ_ENOSPACE) db->fault = YQ_EIO;
        return db->fault;
    default:
        return YQ_ERR;
    }
}

static void s_close(struct db *db)
{
    struct sqlite_db *s = (struct sqlite_db *)db;
    for (int i = 0; i < s->ncached; i++) {
        sqlite3_finalize(s->cache[i].st);
        free(s->cache[i].sql);
    }
    if (s->reuse) {
        reuse_cleanup(s->reuse);
        free(s->reuse);
    }
    sqlite3_close_v2(s->conn);
    free(s);
}

static int s_exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(conn_of(db), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int st = map_rc(db, rc);
        if (msg) db_set_error(db, "%s", msg);
        sqlite3_free(msg);
        return st;
    }
    return YQ_OK;
}

/* Writers of this process queue on a mutex rather than on SQLite's busy
 * handler, which sleeps and retries (up to 100 ms a time) and so gives a
 * long latency tail when many worker threads write at once. The busy
 * handler still arbitrates between processes. One database per process. */
static pthread_mutex_t writer = PTHREAD_MUTEX_INITIALIZER;

static void s_end_tx(struct db *db)
{
    struct sqlite_db *s = (struct sqlite_db *)db;
    if (s->reuse) reuse_explicit_end(s->reuse);
    if (s->holds_writer) {
        s->holds_writer = false;
        pthread_mutex_unlock(&writer);
    }
}

static int s_begin_locked(struct db *db, bool write);

static int s_begin(struct db *db, bool write)
{
    struct sqlite_db *s = (struct sqlite_db *)db;
    if (s->reuse) reuse_explicit_begin(s->reuse); /* ended by s_end_tx */
    if (write) {
        /* Waits as long as SQLite's busy timeout would, then gives up. */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += db->opt.busy_timeout_ms / 1000;
        until.tv_nsec += (long)(db->opt.busy_timeout_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        if (pthread_mutex_timedlock(&writer, &until) != 0) {
            db_set_error(db, "database busy: another writer held the lock too long");
            return YQ_EBUSY;
        }
        s->holds_writer = true;
    }
    int rc = s_begin_locked(db, write);
    if (rc != YQ_OK) s_end_tx(db);
    return rc;
}

static int s_begin_locked(struct db *db, bool write)
{
    /* busy_timeout already waits; retry a few times more so that a long
     * burst of writers queues rather than fails. */
    for (int attempt = 0;; attempt++) {
        int rc = s_exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN");
        if (rc != YQ_EBUSY || attempt >= 5) return rc;
        struct timespec ts = {0, 1000000L * (attempt + 1)};
        nanosleep(&ts, NULL);
    }
}

/* A statement's text comes back on every request: it is found by its
 * hash among this connection's prepared statements (a linear strcmp over
 * them was a visible part of a confirmation). A statement already in use
 * (the same text open twice) is prepared afresh and not kept. */
static struct db_stmt *s_prepare(struct db *db, const char *sql)
{
    struct sqlite_db *sd = (struct sqlite_db *)db;
    struct sqlite_stmt *s = yq_calloc(1, sizeof *s);
    s->base.db = db;
    if (sd->reuse && !db->in_tx) {
        s->reusing = true;
        int rc = reuse_statement_begin(sd->reuse);
        if (rc != SQLITE_OK) {
            reuse_statement_end(sd->reuse, true);
            map_rc(db, rc);
            free(s);
            return NULL;
        }
    }
    uint32_t h = sql_hash(sql);
    unsigned i = h & (STMT_SLOTS - 1);
    bool busy = false;
    for (; sd->slot[i]; i = (i + 1) & (STMT_SLOTS - 1)) {
        struct cached_stmt *c = &sd->cache[sd->slot[i] - 1];
        if (c->hash != h || strcmp(c->sql, sql) != 0) continue;
        if (c->in_use) {
            busy = true;
            break;
        }
        c->in_use = true;
        s->st = c->st;
        s->cached = c;
        return &s->base;
    }
    bool keep = !busy && sd->ncached < STMT_CACHE;
    int rc = sqlite3_prepare_v3(conn_of(db), sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0,
                                &s->st, NULL);
    if (rc != SQLITE_OK) {
        map_rc(db, rc);
        if (s->reusing) reuse_statement_end(sd->reuse, true);
        free(s);
        return NULL;
    }
    if (keep) {
        struct cached_stmt *c = &sd->cache[sd->ncached++];
        c->sql = yq_strdup(sql);
        c->hash = h;
        c->st = s->st;
        c->in_use = true;
        s->cached = c;
        sd->slot[i] = (int16_t)sd->ncached;
    }
    return &s->base;
}

static sqlite3_stmt *raw(struct db_stmt *st)
{
    return ((struct sqlite_stmt *)st)->st;
}

static void s_bind_text(struct db_stmt *st, int idx, const char *s)
{
    /* Borrowed text (db_vquery_borrowed) is read in place, not copied. */
    sqlite3_bind_text(raw(st), idx, s, -1, st->db->binds_borrowed ? SQLITE_STATIC : SQLITE_TRANSIENT);
}

static void s_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
    sqlite3_bind_int64(raw(st), idx, v);
}

static void s_bind_null(struct db_stmt *st, int idx)
{
    sqlite3_bind_null(raw(st), idx);
}

static int s_step(struct db_stmt *st)
{
    int rc = sqlite3_step(raw(st));
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    ((struct sqlite_stmt *)st)->failed = true;
    return map_rc(st->db, rc);
}

static bool s_col_null(struct db_stmt *st, int col)
{
    return sqlite3_column_type(raw(st), col) == SQLITE_NULL;
}

static int64_t s_col_int64(struct db_stmt *st, int col)
{
    return sqlite3_column_int64(raw(st), col);
}

static const char *s_col_text(struct db_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(raw(st), col);
}

static void s_finalize(struct db_stmt *st)
{
    struct sqlite_stmt *s = (struct sqlite_stmt *)st;
    if (s->cached) {
        sqlite3_reset(s->st);
        sqlite3_clear_bindings(s->st);
        s->cached->in_use = false;
    } else {
        sqlite3_finalize(s->st);
    }
    if (s->reusing) reuse_statement_end(((struct sqlite_db *)st->db)->reuse, s->failed);
    free(s);
}

static int s_col_count(struct db_stmt *st)
{
    return sqlite3_column_count(raw(st));
}

static const char *s_col_name(struct db_stmt *st, int col)
{
    return sqlite3_column_name(raw(st), col);
}

static bool s_col_is_int(struct db_stmt *st, int col)
{
    return sqlite3_column_type(raw(st), col) == SQLITE_INTEGER;
}

static int64_t s_changes(struct db *db)
{
    return sqlite3_changes64(conn_of(db));
}

static int s_backup(struct db *db, const char *out_path)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(out_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        db_set_error(db, "无法创建备份文件 %s: %s", out_path,
                     dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        sqlite3_close_v2(dst);
        return YQ_ERR;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", conn_of(db), "main");
    if (!b) {
        db_set_error(db, "备份失败: %s", sqlite3_errmsg(dst));
        sqlite3_close_v2(dst);
        return YQ_ERR;
    }
    /* All pages in one step, inside one read transaction: in WAL mode the
     * server's writers go on meanwhile and the copy is the snapshot the
     * step began with. (Copying 256 pages a step restarted the copy after
     * every write of another connection, so under a steady load it never
     * finished.) Retried only while the source is locked at the start. */
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(5);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        db_set_error(db, "备份失败: %s", sqlite3_errstr(rc));
        sqlite3_close_v2(dst);
        return YQ_ERR;
    }
    rc = sqlite3_close_v2(dst);
    return rc == SQLITE_OK ? YQ_OK : YQ_ERR;
}

static const struct db_ops sqlite_ops = {
    .name = "sqlite",
    .close = s_close,
    .exec = s_exec,
    .begin = s_begin,
    .prepare = s_prepare,
    .bind_text = s_bind_text,
    .bind_int64 = s_bind_int64,
    .bind_null = s_bind_null,
    .step = s_step,
    .col_null = s_col_null,
    .col_int64 = s_col_int64,
    .col_text = s_col_text,
    .finalize = s_finalize,
    .col_count = s_col_count,
    .col_name = s_col_name,
    .col_is_int = s_col_is_int,
    .changes = s_changes,
    .backup = s_backup,
    .end_tx = s_end_tx,
};

static int trace_stmt(unsigned type, void *ctx, void *stmt, void *sql)
{
    (void)type, (void)ctx, (void)stmt;
    const char *text = sql;
    fprintf(stderr, "sql: %s\n", text[0] == '-' && text[1] == '-' ? text + 2 : text);
    return 0;
}

static pthread_once_t configured = PTHREAD_ONCE_INIT;

/* Before SQLite's first use: no memory statistics. They cost a global
 * mutex on every allocation, which the writer thread and every reading
 * worker then queue on (a tenth of a confirmation's time, futex wakes
 * included, under a rush).
 *
 * Statement journals in memory: every use case of a group commit runs in
 * its own SAVEPOINT, and SQLite keeps the original of each page the use
 * case changes in a sub-journal so that the use case alone can roll
 * back. Past 64 KiB (SQLite's default) the sub-journal went to a
 * temporary file: a confirmation changes ~35 pages, so the writer wrote
 * ~140 KiB per confirmation to a file nobody reads, four times what it
 * wrote to the WAL, and the kernel's copies were most of its system time.
 * In memory (-1: never spilled, as with temp_store=MEMORY), it is freed
 * when the savepoint ends. A larger spill threshold is not an option:
 * SQLite 3.40 answers SQLITE_FULL when a sub-journal with a threshold
 * over 128 KiB spills (reproduced with a 20,000-row UPDATE). The memory
 * held is the original of each page one statement or savepoint changes
 * (a confirmation: ~140 KiB), none for pages new to the file. Fails
 * harmlessly if SQLite is already up. */
#define STMT_JOURNAL_SPILL (-1)

static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STMT_JOURNAL_SPILL);
}

struct db *db_sqlite_open(const char *path, const struct db_options *opt, char *err, size_t errlen)
{
    const char *sync = opt->synchronous;
    if (strcmp(sync, "FULL") != 0 && strcmp(sync, "NORMAL") != 0 && strcmp(sync, "OFF") != 0) {
        snprintf(err, errlen, "synchronous 只能是 FULL、NORMAL 或 OFF: %s", sync);
        return NULL;
    }
    pthread_once(&configured, configure_sqlite);
    /* A replica must exist: SQLite would open a missing file read-only and
     * fail only at the first read. */
    if (opt->read_only && access(path, R_OK) != 0) {
        snprintf(err, errlen, "无法读取数据库 %s: %s", path, strerror(errno));
        return NULL;
    }
    sqlite3 *conn = NULL;
    int rc = sqlite3_open_v2(path, &conn,
                             (opt->read_only ? SQLITE_OPEN_READONLY
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                                 SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "无法打开数据库 %s: %s", path,
                 conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
        sqlite3_close_v2(conn);
        return NULL;
    }
    struct sqlite_db *s = yq_calloc(1, sizeof *s);
    s->base.ops = &sqlite_ops;
    s->base.opt = *opt;
    s->conn = conn;
    sqlite3_busy_timeout(conn, opt->busy_timeout_ms);
    /* YUNQUAN_SQL_TRACE=1: every statement run, on stderr (profiling the
     * statements of a use case; never in production). */
    if (getenv("YUNQUAN_SQL_TRACE")) sqlite3_trace_v2(conn, SQLITE_TRACE_STMT, trace_stmt, NULL);
    char pragmas[256];
    if (opt->read_only || opt->snapshot_reuse_ms > 0)
        snprintf(pragmas, sizeof pragmas, "PRAGMA query_only=ON;");
    else
        snprintf(pragmas, sizeof pragmas,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;", sync);
    if (s_exec(&s->base, pragmas) != YQ_OK) {
        snprintf(err, errlen, "无法设置数据库 %s: %s", path, s->base.err);
        s_close(&s->base);
        return NULL;
    }
    if (opt->snapshot_reuse_ms > 0) {
        s->reuse = yq_malloc(sizeof *s->reuse);
        reuse_init(s->reuse, conn, opt->snapshot_reuse_ms);
    } else if (!opt->read_only) {
        sqlite3_wal_hook(conn, reuse_wal_hook, NULL); /* counts this process's commits */
    }
    return &s->base;
}
