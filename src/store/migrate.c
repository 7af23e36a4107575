/* Applying the schema migrations (store/migrations.h) in order, each in
 * its own transaction. */
#include "store/migrate.h"
#include "store/migrations.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/id.h"
#include "store/vouchers.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The i-th migration of the whole history, or NULL past its end. */
static const struct migration *migration_at(size_t i)
{
    if (i < schema_registry_count) return &schema_registry[i];
    i -= schema_registry_count;
    return i < schema_payments_count ? &schema_payments[i] : NULL;
}

int migrate_latest(void)
{
    return schema_payments[schema_payments_count - 1].version;
}

static int ensure_table(struct db *db)
{
    return db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INTEGER PRIMARY KEY,"
                       " name TEXT NOT NULL,"
                       " applied_at BIGINT NOT NULL)");
}

int migrate_version(struct db *db)
{
    if (ensure_table(db) != YQ_OK) return YQ_ERR;
    struct db_stmt *st = db_query(db, "SELECT MAX(version) FROM schema_migrations", NULL);
    if (!st) return YQ_ERR;
    int v = 0;
    if (db_step(st) == DB_ROW && !db_col_null(st, 0)) v = (int)db_col_int64(st, 0);
    db_finalize(st);
    return v;
}

/* Whether migration `version` is recorded; -1 on a database error. */
static int applied(struct db *db, int version)
{
    struct db_stmt *st = db_query(db, "SELECT 1 FROM schema_migrations WHERE version = ?", "i",
                                  (int64_t)version);
    if (!st) return -1;
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Every migration not yet recorded is applied, in the table's order: not
 * only those above the highest recorded, so that a migration of a branch
 * merged after a later-numbered one still reaches a database that ran the
 * later one (each migration's changes are its own). */
int migrate_up(struct db *db)
{
    int current = migrate_version(db);
    if (current < 0) return current;
    const struct migration *m;
    for (size_t i = 0; (m = migration_at(i)) != NULL; i++) {
        int done_before = m->version <= current ? applied(db, m->version) : 0;
        if (done_before < 0) return YQ_ERR;
        if (done_before) continue;
        /* Another process may be migrating (a long backfill): wait for it
         * past the busy timeout, up to a few minutes. */
        int rc = db_begin(db, true);
        for (int tries = 0; rc == YQ_EBUSY && tries < 60; tries++)
            rc = db_begin(db, true);
        if (rc != YQ_OK) return rc;
        /* Another process may have applied it while we waited for the lock. */
        struct db_stmt *st = db_query(db, "SELECT 1 FROM schema_migrations WHERE version = ?", "i",
                                      (int64_t)m->version);
        if (!st) goto fail;
        bool done = db_step(st) == DB_ROW;
        db_finalize(st);
        if (done) {
            db_rollback(db);
            continue;
        }
        for (int k = 0; k < 4 && m->sql[k]; k++)
            if ((rc = db_exec(db, m->sql[k])) != YQ_OK) goto fail;
        if (m->step && (rc = m->step(db)) != YQ_OK) goto fail;
        rc = db_run(db, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                    "iti", (int64_t)m->version, m->name, clock_now_ms());
        if (rc != YQ_OK) goto fail;
        if ((rc = db_commit(db)) != YQ_OK) return rc;
        continue;
    fail:
        db_rollback(db);
        return rc < 0 ? rc : YQ_ERR;
    }
    return YQ_OK;
}
