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

/* The recorded versions (below MIGRATE_MAX_VERSION) into `seen`, the
 * highest into *max (when given); a failed read is an error, never "none recorded". */
#define MIGRATE_MAX_VERSION 256
static int recorded(struct db *db, bool seen[MIGRATE_MAX_VERSION], int *max)
{
    if (ensure_table(db) != YQ_OK) return YQ_ERR;
    struct db_stmt *st = db_query(db, "SELECT version FROM schema_migrations", NULL);
    if (!st) return YQ_ERR;
    int rc;
    if (max) *max = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t v = db_col_int64(st, 0);
        if (max && v > *max) *max = (int)v;
        if (seen && v >= 0 && v < MIGRATE_MAX_VERSION) seen[v] = true;
    }
    db_finalize(st);
    return rc == DB_DONE ? YQ_OK : rc < 0 ? rc : YQ_ERR;
}

/* Whether the migrations' bookkeeping table exists (read only). */
static int has_migrations_table(struct db *db, bool *has)
{
    bool pg = strcmp(db_driver(db), "postgresql") == 0;
    struct db_stmt *st =
        db_query(db,
                 pg ? "SELECT 1 FROM information_schema.tables WHERE table_schema ="
                      " current_schema() AND table_name = 'schema_migrations'"
                    : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name ="
                      " 'schema_migrations'",
                 NULL);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    db_finalize(st);
    *has = rc == DB_ROW;
    return rc == DB_ROW || rc == DB_DONE ? YQ_OK : rc < 0 ? rc : YQ_ERR;
}

/* Reads only: a database that is not Yunquan's (or a new, empty one) is
 * version 0 and stays as it was (a backup or a migration's source). */
int migrate_version(struct db *db)
{
    bool has;
    int rc = has_migrations_table(db, &has);
    if (rc != YQ_OK) return rc;
    if (!has) return 0;
    struct db_stmt *st = db_query(db, "SELECT MAX(version) FROM schema_migrations", NULL);
    if (!st) return YQ_ERR;
    rc = db_step(st);
    int v = rc == DB_ROW ? (int)db_col_int64(st, 0) : 0;
    db_finalize(st);
    return rc == DB_ROW ? v : rc < 0 ? rc : YQ_ERR;
}

/* Every migration not yet recorded is applied, in the table's order: not
 * only those above the highest recorded, so that a migration of a branch
 * merged after a later-numbered one still reaches a database that ran the
 * later one (each migration's changes are its own). The recorded versions
 * are read once; each one found missing is checked again under the write
 * lock (another process may be applying it). */
int migrate_up(struct db *db)
{
    bool seen[MIGRATE_MAX_VERSION] = {false};
    int rc0 = recorded(db, seen, NULL);
    if (rc0 != YQ_OK) return rc0;
    const struct migration *m;
    for (size_t i = 0; (m = migration_at(i)) != NULL; i++) {
        if (m->version >= 0 && m->version < MIGRATE_MAX_VERSION && seen[m->version]) continue;
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
