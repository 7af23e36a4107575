/* What a storage driver provides behind db.h. Private to store/. */
#ifndef YQ_STORE_DB_DRIVER_H
#define YQ_STORE_DB_DRIVER_H

#include "store/db.h"

#include <stdarg.h>

struct db_ops {
    const char *name;
    void (*close)(struct db *db);
    int (*exec)(struct db *db, const char *sql);
    int (*begin)(struct db *db, bool write);
    /* Optional: a writing transaction that changes only what belongs to
     * `scope` (db_begin_scoped). NULL: begin(db, true). */
    int (*begin_scoped)(struct db *db, const char *scope);
    /* Optional: a read transaction that sees one snapshot for all its
     * statements (PostgreSQL: REPEATABLE READ). NULL: begin(db, false). */
    int (*begin_snapshot)(struct db *db);
    struct db_stmt *(*prepare)(struct db *db, const char *sql);
    void (*bind_text)(struct db_stmt *st, int idx, const char *s);
    void (*bind_int64)(struct db_stmt *st, int idx, int64_t v);
    void (*bind_null)(struct db_stmt *st, int idx);
    int (*step)(struct db_stmt *st);
    bool (*col_null)(struct db_stmt *st, int col);
    int64_t (*col_int64)(struct db_stmt *st, int col);
    const char *(*col_text)(struct db_stmt *st, int col);
    void (*finalize)(struct db_stmt *st);
    int (*col_count)(struct db_stmt *st);
    const char *(*col_name)(struct db_stmt *st, int col);
    bool (*col_is_int)(struct db_stmt *st, int col);
    int64_t (*changes)(struct db *db);
    int (*backup)(struct db *db, const char *out_path);
    /* Optional (db_run_queued): runs st, a write expected to change
     * `expect` rows (-1: any), possibly without waiting for its answer.
     * NULL: stepped at once and its count checked. */
    int (*queue)(struct db_stmt *st, int64_t expect);
    /* Optional (db_send_ahead): sends the read st without waiting for its
     * answer, which its first step reads. NULL: nothing happens before
     * the step. */
    void (*send_ahead)(struct db_stmt *st);
    /* Optional: reads the answers of what queue and send_ahead sent (a
     * failure sticks in queued_failed, as at any step). */
    void (*flush)(struct db *db);
    /* Called once a transaction has ended (committed or rolled back). */
    void (*end_tx)(struct db *db);
};

/* Every driver's handle starts with this. */
struct db {
    const struct db_ops *ops;
    struct db_options opt;
    bool in_tx;
    bool tx_write; /* the outermost transaction took the write lock */
    int depth;     /* savepoints open inside it */
    char scope[32]; /* the outermost write's scope ("" = the whole database) */
    int fault;     /* YQ_ENOSPACE or YQ_EIO since db_fault_clear, else YQ_OK */
    int queued_failed; /* a queued write's failure in the open transaction, else YQ_OK */
    /* Set while db_vquery_borrowed binds: the text arguments outlive every
     * step of the statement (it is stepped to its end and finalized before
     * its caller returns), so a driver may bind them without a copy. */
    bool binds_borrowed;
    char err[512];
};

struct db_stmt {
    struct db *db;
};

void db_set_error(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct db *db_pg_open(const char *url, const struct db_options *opt, char *err, size_t errlen);
struct db *db_sqlite_open(const char *path, const struct db_options *opt, char *err, size_t errlen);

#endif
