/* Schema migrations. Portable SQL only (SQLite and PostgreSQL): TEXT,
 * BIGINT, INTEGER; instants as BIGINT milliseconds; no AUTOINCREMENT/SERIAL
 * (ids come from the application). */
#include "store/migrate.h"
#include "core/clock.h"
#include "core/status.h"

#include <stdio.h>

struct migration {
    int version;
    const char *name;
    const char *sql;
};

static const struct migration migrations[] = {
    {1, "foundation",
     "CREATE TABLE counties ("
     " code TEXT PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " kind TEXT NOT NULL,"
     " target_2018 INTEGER NOT NULL,"
     " code_is_official INTEGER NOT NULL,"
     " enterprise_count INTEGER);"
     "CREATE TABLE users ("
     " id TEXT PRIMARY KEY,"
     " username TEXT NOT NULL UNIQUE,"
     " password_hash TEXT NOT NULL,"
     " role TEXT NOT NULL,"
     " display_name TEXT NOT NULL,"
     " county_code TEXT REFERENCES counties(code),"
     " locked INTEGER NOT NULL DEFAULT 0,"
     " created_at BIGINT NOT NULL,"
     " updated_at BIGINT NOT NULL);"
     "CREATE INDEX users_county ON users(county_code);"
     "CREATE TABLE sessions ("
     " token_hash TEXT PRIMARY KEY,"
     " user_id TEXT NOT NULL REFERENCES users(id),"
     " csrf TEXT NOT NULL,"
     " created_at BIGINT NOT NULL,"
     " last_seen_at BIGINT NOT NULL,"
     " client_addr TEXT);"
     "CREATE INDEX sessions_user ON sessions(user_id);"
     "CREATE TABLE login_throttle ("
     " key TEXT PRIMARY KEY,"
     " failures INTEGER NOT NULL,"
     " last_failure_at BIGINT NOT NULL,"
     " locked_until BIGINT NOT NULL);"
     "CREATE TABLE audit_log ("
     " seq BIGINT PRIMARY KEY,"
     " at BIGINT NOT NULL,"
     " actor_id TEXT,"
     " actor_username TEXT,"
     " actor_role TEXT,"
     " entity TEXT NOT NULL,"
     " entity_id TEXT NOT NULL,"
     " action TEXT NOT NULL,"
     " before_json TEXT,"
     " after_json TEXT,"
     " request_id TEXT,"
     " client_addr TEXT,"
     " prev_hash TEXT NOT NULL,"
     " hash TEXT NOT NULL);"
     "CREATE INDEX audit_entity ON audit_log(entity, entity_id);"
     "CREATE TABLE audit_head ("
     " id INTEGER PRIMARY KEY,"
     " seq BIGINT NOT NULL,"
     " hash TEXT NOT NULL);"},
    {2, "programs_registration_catalog",
     /* 政策方案 and its versioned parameters (JSON, validated by core/policy). */
     "CREATE TABLE programs ("
     " id TEXT PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " doc_no TEXT NOT NULL,"
     " city_code TEXT NOT NULL,"
     " city_name TEXT NOT NULL,"
     " current_version INTEGER NOT NULL,"
     " created_at BIGINT NOT NULL);"
     "CREATE TABLE program_versions ("
     " program_id TEXT NOT NULL REFERENCES programs(id),"
     " version INTEGER NOT NULL,"
     " params_json TEXT NOT NULL,"
     " reason TEXT NOT NULL,"
     " changed_by TEXT,"
     " changed_at BIGINT NOT NULL,"
     " PRIMARY KEY (program_id, version));"
     /* Enterprises (SPEC §3). */
     "CREATE TABLE enterprises ("
     " id TEXT PRIMARY KEY,"
     " user_id TEXT NOT NULL REFERENCES users(id),"
     " uscc TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL,"
     " county_code TEXT NOT NULL REFERENCES counties(code),"
     " legal_rep TEXT,"
     " address TEXT,"
     " phone TEXT,"
     " email TEXT,"
     " independent_legal_person INTEGER,"
     " industry TEXT,"
     " key_industry_tags TEXT NOT NULL DEFAULT '[]',"
     " priority_flags TEXT NOT NULL DEFAULT '[]',"
     " employees INTEGER,"
     " cert_no TEXT,"
     " cert_issuer TEXT,"
     " cert_valid_from TEXT,"
     " cert_valid_until TEXT,"
     " status TEXT NOT NULL,"
     " reject_reason TEXT,"
     " submitted_at BIGINT,"
     " reviewed_at BIGINT,"
     " reviewed_by TEXT,"
     " created_at BIGINT NOT NULL,"
     " updated_at BIGINT NOT NULL);"
     "CREATE INDEX enterprises_county_status ON enterprises(county_code, status);"
     "CREATE INDEX enterprises_user ON enterprises(user_id);"
     "CREATE INDEX enterprises_phone ON enterprises(phone);"
     "CREATE INDEX enterprises_email ON enterprises(email);"
     "CREATE INDEX enterprises_legal_rep ON enterprises(legal_rep);"
     /* Cloud service providers (云服务商). */
     "CREATE TABLE providers ("
     " id TEXT PRIMARY KEY,"
     " user_id TEXT NOT NULL REFERENCES users(id),"
     " uscc TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL,"
     " kind TEXT,"
     " qualifications TEXT,"
     " contact_name TEXT,"
     " phone TEXT,"
     " email TEXT,"
     " address TEXT,"
     " bank_name TEXT,"
     " bank_account TEXT,"
     " status TEXT NOT NULL,"
     " reject_reason TEXT,"
     " submitted_at BIGINT,"
     " reviewed_at BIGINT,"
     " reviewed_by TEXT,"
     " created_at BIGINT NOT NULL,"
     " updated_at BIGINT NOT NULL);"
     "CREATE INDEX providers_user ON providers(user_id);"
     /* Reference catalog (附件2) and providers' catalog items, versioned. */
     "CREATE TABLE reference_services ("
     " id INTEGER PRIMARY KEY,"
     " category TEXT NOT NULL,"
     " subcategory TEXT NOT NULL,"
     " service TEXT NOT NULL,"
     " UNIQUE (category, subcategory, service));"
     "CREATE TABLE catalog_items ("
     " id TEXT PRIMARY KEY,"
     " provider_id TEXT NOT NULL REFERENCES providers(id),"
     " status TEXT NOT NULL,"
     " latest_version INTEGER NOT NULL,"
     " published_version INTEGER,"
     " created_at BIGINT NOT NULL,"
     " updated_at BIGINT NOT NULL);"
     "CREATE INDEX catalog_items_provider ON catalog_items(provider_id);"
     "CREATE TABLE catalog_item_versions ("
     " item_id TEXT NOT NULL REFERENCES catalog_items(id),"
     " version INTEGER NOT NULL,"
     " reference_service_id INTEGER NOT NULL REFERENCES reference_services(id),"
     " name TEXT NOT NULL,"
     " description TEXT NOT NULL,"
     " specification TEXT NOT NULL,"
     " unit TEXT NOT NULL,"
     " list_price_fen BIGINT NOT NULL,"
     " discount_price_fen BIGINT NOT NULL,"
     " valid_from TEXT NOT NULL,"
     " valid_until TEXT NOT NULL,"
     " status TEXT NOT NULL,"
     " reject_reason TEXT,"
     " created_at BIGINT NOT NULL,"
     " reviewed_at BIGINT,"
     " reviewed_by TEXT,"
     " PRIMARY KEY (item_id, version));"
     /* 信用负面清单 (SPEC §8). */
     "CREATE TABLE negative_list ("
     " id TEXT PRIMARY KEY,"
     " uscc TEXT NOT NULL,"
     " name TEXT,"
     " reason TEXT NOT NULL,"
     " evidence TEXT NOT NULL,"
     " added_by TEXT NOT NULL,"
     " added_at BIGINT NOT NULL,"
     " lifted_at BIGINT,"
     " lifted_by TEXT,"
     " lift_reason TEXT);"
     "CREATE INDEX negative_list_uscc ON negative_list(uscc);"},
};

enum { N_MIGRATIONS = sizeof migrations / sizeof migrations[0] };

int migrate_latest(void)
{
    return migrations[N_MIGRATIONS - 1].version;
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

int migrate_up(struct db *db)
{
    int current = migrate_version(db);
    if (current < 0) return current;
    for (int i = 0; i < N_MIGRATIONS; i++) {
        const struct migration *m = &migrations[i];
        if (m->version <= current) continue;
        int rc = db_begin(db, true);
        if (rc != YQ_OK) return rc;
        /* Another process may have applied it while we waited for the lock. */
        struct db_stmt *st =
            db_query(db, "SELECT 1 FROM schema_migrations WHERE version = ?", "i", (int64_t)m->version);
        if (!st) goto fail;
        bool done = db_step(st) == DB_ROW;
        db_finalize(st);
        if (done) {
            db_rollback(db);
            continue;
        }
        if ((rc = db_exec(db, m->sql)) != YQ_OK) goto fail;
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
