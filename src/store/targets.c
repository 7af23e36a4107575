/* County targets, scores and completion figures (see targets.h). */
#include "store/targets.h"
#include "core/status.h"
#include "store/budgets.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

int targets_seed_2018(struct db *db, int64_t now_ms)
{
    return db_run(db,
                  "INSERT INTO county_targets(county_code, year, version, target,"
                  " enterprise_count, reason, set_by, set_at) SELECT c.code, 2018, 1,"
                  " c.target_2018, c.enterprise_count, '附件3（济经信字〔2018〕11号）', 'system', ?"
                  " FROM counties c WHERE NOT EXISTS (SELECT 1 FROM county_targets t WHERE"
                  " t.county_code = c.code AND t.year = 2018)",
                  "i", now_ms);
}

int targets_current(struct db *db, const char *county, int year, struct county_target *out)
{
    *out = (struct county_target){0, 0, -1};
    struct db_stmt *st = db_query(db,
                                  "SELECT version, target, enterprise_count FROM county_targets"
                                  " WHERE county_code = ? AND year = ? ORDER BY version DESC"
                                  " LIMIT 1",
                                  "ti", county, (int64_t)year);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->version = db_col_int64(st, 0);
        out->target = db_col_int64(st, 1);
        out->enterprise_count = db_col_null(st, 2) ? -1 : db_col_int64(st, 2);
    }
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? YQ_OK : (rc < 0 ? rc : YQ_ERR);
}

int targets_insert(struct db *db, const char *county, int year, const struct county_target *t,
                   const char *reason, const char *by, int64_t now_ms)
{
    struct db_stmt *st = db_prepare(db, "INSERT INTO county_targets(county_code, year, version,"
                                        " target, enterprise_count, reason, set_by, set_at)"
                                        " VALUES (?,?,?,?,?,?,?,?)");
    if (!st) return YQ_ERR;
    db_bind_text(st, 1, county);
    db_bind_int64(st, 2, year);
    db_bind_int64(st, 3, t->version);
    db_bind_int64(st, 4, t->target);
    if (t->enterprise_count >= 0)
        db_bind_int64(st, 5, t->enterprise_count);
    else
        db_bind_null(st, 5);
    db_bind_text(st, 6, reason);
    db_bind_text(st, 7, by);
    db_bind_int64(st, 8, now_ms);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? YQ_OK : rc;
}

json_t *targets_year(struct db *db, const struct row_scope *s, int year)
{
    char from[400];
    /* The year is an integer we formatted, not text from the request. */
    snprintf(from, sizeof from,
             "FROM counties c LEFT JOIN county_targets t ON t.county_code = c.code AND t.year ="
             " %d AND t.version = (SELECT MAX(x.version) FROM county_targets x WHERE"
             " x.county_code = c.code AND x.year = %d)",
             year, year);
    json_t *r =
        budgets_counties_page(db, s,
                              "c.code AS county_code, c.name AS county_name, t.target,"
                              " t.enterprise_count, t.version, t.reason, t.set_by, t.set_at",
                              from);
    size_t i;
    json_t *row;
    if (r)
        json_array_foreach(json_object_get(r, "items"), i, row) rows_instants(row, "set_at", NULL);
    return r;
}

int scores_get(struct db *db, const char *county, int year, int64_t *out)
{
    *out = -1;
    struct db_stmt *st = db_query(db,
                                  "SELECT score_hundredths FROM county_scores WHERE county_code ="
                                  " ? AND year = ?",
                                  "ti", county, (int64_t)year);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) *out = db_col_int64(st, 0);
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? YQ_OK : (rc < 0 ? rc : YQ_ERR);
}

int scores_set(struct db *db, const char *county, int year, int64_t hundredths, const char *note,
               const char *by, int64_t now_ms)
{
    int rc =
        db_run(db,
               "UPDATE county_scores SET score_hundredths = ?, note = ?, set_by = ?, set_at = ?"
               " WHERE county_code = ? AND year = ?",
               "ittiti", hundredths, note, by, now_ms, county, (int64_t)year);
    if (rc != YQ_OK) return rc;
    if (db_changes(db) == 1) return YQ_OK;
    rc = db_run(db,
                "INSERT INTO county_scores(county_code, year, score_hundredths, note, set_by,"
                " set_at) VALUES (?,?,?,?,?,?)",
                "tiitti", county, (int64_t)year, hundredths, note, by, now_ms);
    if (rc == YQ_OK && db_changes(db) != 1) return YQ_ECONFLICT;
    return rc;
}

json_t *scores_year(struct db *db, const struct row_scope *s, int year)
{
    char from[200];
    snprintf(from, sizeof from,
             "FROM counties c LEFT JOIN county_scores x ON x.county_code = c.code AND x.year = %d",
             year);
    json_t *r = budgets_counties_page(db, s,
                                      "c.code AS county_code, c.name AS county_name,"
                                      " x.score_hundredths, x.note, x.set_by, x.set_at",
                                      from);
    size_t i;
    json_t *row;
    if (r)
        json_array_foreach(json_object_get(r, "items"), i, row) rows_instants(row, "set_at", NULL);
    return r;
}

/* Adds one checked integer member; false on a failed read. */
static bool add_count(struct db *db, json_t *row, const char *key, const char *sql,
                      const char *types, const char *county, int64_t a, int64_t b)
{
    int64_t v = 0;
    int rc = strcmp(types, "t") == 0    ? rows_int(db, &v, sql, types, county)
             : strcmp(types, "ti") == 0 ? rows_int(db, &v, sql, types, county, a)
                                        : rows_int(db, &v, sql, types, county, a, b);
    if (rc != YQ_OK) return false;
    json_object_set_new(row, key, json_integer(v));
    return true;
}

json_t *targets_completion(struct db *db, const struct row_scope *s, int year, int64_t from_ms,
                           int64_t to_ms)
{
    (void)from_ms; /* the counters are kept by China-time year already */
    (void)to_ms;
    json_t *r = budgets_counties_page(db, s, "c.code AS county_code, c.name AS county_name",
                                      "FROM counties c");
    if (!r) return NULL;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "items"), i, row)
    {
        const char *county = rows_str(row, "county_code");
        struct county_target t;
        char pool[64], h1[16], h2[16];
        snprintf(pool, sizeof pool, "pool:%s:%d", county, year);
        snprintf(h1, sizeof h1, "%dH1", year);
        snprintf(h2, sizeof h2, "%dH2", year);
        bool ok = targets_current(db, county, year, &t) == YQ_OK;
        json_object_set_new(row, "target", t.version ? json_integer(t.target) : json_null());
        json_object_set_new(row, "enterprise_count",
                            t.enterprise_count >= 0 ? json_integer(t.enterprise_count)
                                                    : json_null());
        int64_t reserved = 0, paid = 0;
        /* New in the year and on the cloud by its end, and the year's
         * live vouchers: counters kept by the contract and voucher stores
         * (store/stats.h), a few rows per county and year. */
        json_t *counts = NULL;
        ok = ok && rows_one(db, &counts,
                            "SELECT COALESCE(SUM(CASE WHEN year = ? THEN new_on_cloud ELSE 0 END),"
                            " 0) AS new_on_cloud, COALESCE(SUM(new_on_cloud), 0) AS on_cloud_total,"
                            " COALESCE(SUM(CASE WHEN year = ? THEN vouchers ELSE 0 END), 0) AS"
                            " vouchers, COALESCE(SUM(CASE WHEN year = ? THEN voucher_fen ELSE 0"
                            " END), 0) AS voucher_amount_fen FROM county_months WHERE county_code"
                            " = ? AND year <= ?",
                            "iiiti", (int64_t)year, (int64_t)year, (int64_t)year, county,
                            (int64_t)year) == YQ_OK;
        static const char *const counted[] = {"new_on_cloud", "on_cloud_total", "vouchers",
                                              "voucher_amount_fen", NULL};
        for (int k = 0; counted[k]; k++)
            json_object_set_new(
                row, counted[k],
                json_integer(json_integer_value(json_object_get(counts, counted[k]))));
        json_decref(counts);
        ok = ok &&
             rows_int(db, &reserved, "SELECT debits_pending FROM ledger_accounts WHERE id = ?", "t",
                      pool) == YQ_OK &&
             add_count(db, row, "waitlist_count",
                       "SELECT COUNT(*) FROM waitlist WHERE county_code = ? AND status = 'waiting'",
                       "t", county, 0, 0);
        json_object_set_new(row, "reserved_fen", json_integer(reserved));
        const char *periods[2] = {h1, h2}, *keys[2] = {"paid_h1_fen", "paid_h2_fen"};
        for (int k = 0; ok && k < 2; k++) {
            ok = rows_int(db, &paid,
                          /* Kept by the payout store (store/payouts.c). */
                          "SELECT SUM(paid_fen) FROM county_paid WHERE county_code = ? AND"
                          " period = ?",
                          "tt", county, periods[k]) == YQ_OK;
            json_object_set_new(row, keys[k], json_integer(paid));
        }
        if (!ok) {
            json_decref(r);
            return NULL;
        }
    }
    return r;
}
