/* Migration steps that need the driver's own SQL or code (see migrate.c). */
#include "store/migrate_steps.h"
#include "store/seq.h"
#include "core/status.h"
#include "core/clock.h"
#include "store/business_no.h"
#include "store/id.h"
#include "store/stats.h"
#include "store/targets.h"
#include "store/vouchers.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* CHECK constraints on every status column (migration 6). PostgreSQL adds
 * them to the tables; SQLite cannot add a CHECK to an existing table
 * (ALTER TABLE has no ADD CONSTRAINT), so it gets triggers that refuse the
 * same rows with the same "CHECK constraint failed" error. */
/* The ledger's account kinds since migration 9 added "award". */
#define LEDGER_KINDS_9 "'source', 'pool', 'voucher', 'paid', 'award'"
/* The registration states since migration 22 added "resubmitted". */
#define PARTY_STATUSES_22 "'draft', 'submitted', 'approved', 'rejected', 'disqualified', 'resubmitted'"

static const struct {
    const char *table, *column, *allowed;
} status_checks[] = {
    {"enterprises", "status", PARTY_STATUSES_22},
    {"providers", "status", PARTY_STATUSES_22},
    {"catalog_items", "status", "'pending', 'published', 'rejected', 'withdrawn'"},
    {"catalog_item_versions", "status",
     "'pending', 'published', 'rejected', 'superseded', 'withdrawn'"},
    {"contracts", "status", "'draft', 'confirmed', 'cancelled', 'terminated'"},
    {"vouchers", "status", "'issued', 'partially_redeemed', 'redeemed', 'terminated', 'expired'"},
    {"waitlist", "status", "'waiting', 'served', 'cancelled', 'lapsed'"},
    {"ledger_transfers", "kind", "'plain', 'pending', 'post', 'void'"},
    {"ledger_accounts", "kind", "'source', 'pool', 'voucher', 'paid'"},
};

/* Migration 8: a random verification token for every voucher issued so
 * far (new ones get theirs when issued), then its uniqueness. */
int migrate_verify_tokens(struct db *db)
{
    for (;;) {
        struct db_stmt *st =
            db_query(db, "SELECT id FROM vouchers WHERE verify_token IS NULL LIMIT 1", NULL);
        if (!st) return YQ_ERR;
        int rc = db_step(st);
        char id[64] = "";
        if (rc == DB_ROW) snprintf(id, sizeof id, "%s", db_col_text(st, 0));
        db_finalize(st);
        if (rc == DB_DONE) break;
        if (rc != DB_ROW) return rc < 0 ? rc : YQ_ERR;
        char token[VOUCHER_TOKEN_LEN + 1];
        id_random_hex(token, VOUCHER_TOKEN_LEN / 2);
        if ((rc = db_run(db, "UPDATE vouchers SET verify_token = ? WHERE id = ?", "tt", token,
                         id)) != YQ_OK)
            return rc;
    }
    return db_exec(db, "CREATE UNIQUE INDEX vouchers_verify_token ON vouchers(verify_token)");
}

int migrate_status_checks(struct db *db)
{
    bool pg = strcmp(db_driver(db), "postgresql") == 0;
    char sql[1024];
    for (size_t i = 0; i < sizeof status_checks / sizeof status_checks[0]; i++) {
        const char *t = status_checks[i].table, *c = status_checks[i].column,
                   *in = status_checks[i].allowed;
        int rc;
        if (pg) {
            snprintf(sql, sizeof sql,
                     "ALTER TABLE %s ADD CONSTRAINT %s_%s_check CHECK (%s IN (%s))", t, t, c, c,
                     in);
            rc = db_exec(db, sql);
        } else {
            snprintf(sql, sizeof sql,
                     "CREATE TRIGGER %s_%s_check_insert BEFORE INSERT ON %s WHEN NEW.%s NOT IN"
                     " (%s) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: %s.%s'); END;"
                     "CREATE TRIGGER %s_%s_check_update BEFORE UPDATE OF %s ON %s WHEN NEW.%s NOT"
                     " IN (%s) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: %s.%s'); END;",
                     t, c, t, c, in, t, c, t, c, c, t, c, in, t, c);
            rc = db_exec(db, sql);
        }
        if (rc != YQ_OK) return rc;
    }
    return YQ_OK;
}

/* Migration 9. The ledger's account kinds gain "award"; PostgreSQL swaps
 * the CHECK of migration 6, SQLite its pair of triggers. */
int migrate_awards(struct db *db)
{
    int rc = targets_seed_2018(db, clock_now_ms());
    if (rc != YQ_OK) return rc;
    if (strcmp(db_driver(db), "postgresql") == 0)
        return db_exec(db, "ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;"
                           "ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check"
                           " CHECK (kind IN (" LEDGER_KINDS_9 "))");
    return db_exec(
        db, "DROP TRIGGER ledger_accounts_kind_check_insert;"
            "DROP TRIGGER ledger_accounts_kind_check_update;"
            "CREATE TRIGGER ledger_accounts_kind_check_insert BEFORE INSERT ON ledger_accounts"
            " WHEN NEW.kind NOT IN (" LEDGER_KINDS_9 ") BEGIN SELECT"
            " RAISE(ABORT, 'CHECK constraint failed: ledger_accounts.kind'); END;"
            "CREATE TRIGGER ledger_accounts_kind_check_update BEFORE UPDATE OF kind ON"
            " ledger_accounts WHEN NEW.kind NOT IN (" LEDGER_KINDS_9 ")"
            " BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: ledger_accounts.kind'); END;");
}

/* Migration 21 (SQLite only): the same triggers, their test written as
 * `NEW.c = 'a' OR NEW.c = 'b' …`. SQLite builds a temporary table for
 * every `NOT IN` list of three values or more each time a trigger fires
 * (3 % of the writer's instructions in a voucher rush, issue 12); a chain
 * of comparisons refuses the same rows without it. */
static int or_triggers(struct db *db, const char *only_table)
{
    for (size_t i = 0; i < sizeof status_checks / sizeof status_checks[0]; i++) {
        if (only_table && strcmp(status_checks[i].table, only_table) != 0) continue;
        const char *t = status_checks[i].table, *c = status_checks[i].column,
                   *in = strcmp(t, "ledger_accounts") == 0 ? LEDGER_KINDS_9
                                                           : status_checks[i].allowed;
        char test[512] = "", sql[2048];
        size_t at = 0;
        for (const char *v = in; *v;) {
            size_t len = strcspn(v, ",");
            int n = snprintf(test + at, sizeof test - at, "%sNEW.%s = %.*s", at ? " OR " : "", c,
                             (int)len, v);
            if (n < 0 || (size_t)n >= sizeof test - at) return YQ_ERR;
            at += (size_t)n;
            v += len;
            while (*v == ',' || *v == ' ') v++;
        }
        int n = snprintf(sql, sizeof sql,
                         "DROP TRIGGER %s_%s_check_insert; DROP TRIGGER %s_%s_check_update;"
                         "CREATE TRIGGER %s_%s_check_insert BEFORE INSERT ON %s WHEN NOT (%s)"
                         " BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: %s.%s'); END;"
                         "CREATE TRIGGER %s_%s_check_update BEFORE UPDATE OF %s ON %s WHEN NOT"
                         " (%s) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: %s.%s'); END;",
                         t, c, t, c, t, c, t, test, t, c, t, c, c, t, test, t, c);
        if (n < 0 || (size_t)n >= sizeof sql) return YQ_ERR;
        int rc = db_exec(db, sql);
        if (rc != YQ_OK) return rc;
    }
    return YQ_OK;
}

int migrate_status_checks_or(struct db *db)
{
    if (strcmp(db_driver(db), "postgresql") == 0) return YQ_OK;
    return or_triggers(db, NULL);
}

/* Migration 22: the registration states gain "resubmitted" (SPEC §3: a
 * rejected record, edited and submitted again). PostgreSQL swaps the CHECK
 * of migration 6, SQLite the triggers of migration 21. */
int migrate_party_resubmitted(struct db *db)
{
    static const char *const tables[] = {"enterprises", "providers"};
    for (size_t i = 0; i < 2; i++) {
        int rc;
        if (strcmp(db_driver(db), "postgresql") == 0) {
            char sql[512];
            snprintf(sql, sizeof sql,
                     "ALTER TABLE %s DROP CONSTRAINT %s_status_check;"
                     "ALTER TABLE %s ADD CONSTRAINT %s_status_check CHECK (status IN (%s))",
                     tables[i], tables[i], tables[i], tables[i], PARTY_STATUSES_22);
            rc = db_exec(db, sql);
        } else {
            rc = or_triggers(db, tables[i]);
        }
        if (rc != YQ_OK) return rc;
    }
    return YQ_OK;
}

int migrate_city_counters(struct db *db)
{
    return stats_backfill(db);
}

int migrate_business_numbers(struct db *db)
{
    return business_no_backfill(db);
}

int migrate_sequences(struct db *db)
{
    return seq_sync(db);
}
