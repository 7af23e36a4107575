/* Budget read model (see budgets.h). */
#include "store/budgets.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

const char *const budget_sources[] = {"county", "city_award", "province_award", NULL};

/* Adds one checked integer member; false on a failed read. */
static bool add_int(struct db *db, json_t *row, const char *key, const char *sql, const char *types,
                    const char *text, int64_t num)
{
    int64_t v = 0;
    int rc = types[1] == 'i' ? rows_int(db, &v, sql, types, text, num)
                             : rows_int(db, &v, sql, types, text);
    if (rc != YQ_OK) return false;
    json_object_set_new(row, key, json_integer(v));
    return true;
}

/* The vouchers every report counts and sums (发券数, 券面额): those still
 * good, as the completion report's counters (store/stats.c) keep them; a
 * terminated or voided voucher's money went back to its pool. */
#define LIVE_VOUCHERS "('issued', 'partially_redeemed', 'redeemed')"

json_t *budgets_counties_page(struct db *db, const struct row_scope *s, const char *select,
                              const char *from)
{
    struct rows_where w;
    rows_where_init(&w);
    if (!s->all) {
        if (s->ncounties > 0)
            rows_where_in(&w, "c.code", s->counties, s->ncounties);
        else
            rows_where_sql(&w, "1 = 0");
    }
    json_t *r = rows_page(db, select, from, &w, "c.code", 0, 200);
    rows_where_cleanup(&w);
    return r;
}

json_t *budgets_pools(struct db *db, const struct row_scope *s, int year)
{
    char from[512];
    /* The year is an integer we formatted, not text from the request.
     * `r`: what clawbacks returned to each pool (paid:county → pool; the
     * range finds them on the debit index). */
    snprintf(from, sizeof from,
             "FROM counties c LEFT JOIN ledger_accounts a ON a.id = 'pool:' || c.code || ':%d'"
             " LEFT JOIN (SELECT credit_account, debit_account, CAST(SUM(amount_fen) AS BIGINT) AS fen"
             " FROM ledger_transfers WHERE debit_account >= 'paid:' AND debit_account < 'paid;'"
             " GROUP BY credit_account, debit_account) r"
             " ON r.credit_account = a.id AND r.debit_account = 'paid:' || c.code",
             year);
    /* A clawback (追回) returns paid money to the pool (paid:county → pool)
     * and lowers the voucher's redeemed figure: it is neither funding nor
     * redemption, so funded_fen is the sources' sum and posted_fen what
     * the vouchers still hold redeemed; available = funded − reserved −
     * posted holds, and recovered_fen says how much came back. */
    return budgets_counties_page(
        db, s,
        "c.code AS county_code, c.name AS county_name, c.target_2018,"
        " COALESCE(a.credits_posted - COALESCE(r.fen, 0), 0) AS funded_fen,"
        " COALESCE(a.debits_pending, 0) AS reserved_fen,"
        " COALESCE(a.debits_posted - COALESCE(r.fen, 0), 0) AS posted_fen,"
        " COALESCE(a.credits_posted - a.debits_posted - a.debits_pending, 0) AS available_fen,"
        " COALESCE(r.fen, 0) AS recovered_fen",
        from);
}

json_t *budgets_period_paid(struct db *db, const struct row_scope *s, const char *period)
{
    char select[512];
    /* The period is one we formatted from a parsed one, not request text.
     * county_paid is kept by the payout store (store/payouts.c). */
    snprintf(select, sizeof select,
             "c.code AS county_code, c.name AS county_name,"
             " CAST((SELECT COALESCE(SUM(cp.paid_fen), 0) FROM county_paid cp WHERE"
             " cp.county_code = c.code AND cp.period = '%s') AS BIGINT) AS paid_fen,"
             " (SELECT COUNT(DISTINCT cp.provider_id) FROM county_paid cp WHERE"
             " cp.county_code = c.code AND cp.period = '%s' AND cp.paid_fen > 0) AS providers",
             period, period);
    return budgets_counties_page(db, s, select, "FROM counties c");
}

json_t *budgets_year(struct db *db, const struct row_scope *s, int year)
{
    json_t *r = budgets_pools(db, s, year);
    if (!r) return NULL;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "items"), i, row)
    {
        const char *county = json_string_value(json_object_get(row, "county_code"));
        char pool[64], paid_account[64];
        snprintf(pool, sizeof pool, "pool:%s:%d", county, year);
        snprintf(paid_account, sizeof paid_account, "paid:%s", county);
        json_t *by_source = json_object();
        json_object_set_new(row, "funded_by_source", by_source);
        bool ok = true;
        for (int k = 0; ok && budget_sources[k]; k++) {
            char src[64];
            int64_t sum = 0;
            snprintf(src, sizeof src, "source:%s", budget_sources[k]);
            ok = rows_int(db, &sum,
                          "SELECT SUM(amount_fen) FROM ledger_transfers WHERE debit_account = ?"
                          " AND credit_account = ? AND kind = 'plain'",
                          "tt", src, pool) == YQ_OK;
            json_object_set_new(by_source, budget_sources[k], json_integer(sum));
        }
        ok = ok &&
             add_int(db, row, "paid_fen",
                     /* Driven by the county's payments (index on credit_account),
                      * each finding its voucher by primary key: joining on
                      * 'voucher:' || v.id scanned every voucher per county. */
                     "SELECT SUM(t.amount_fen) FROM ledger_transfers t JOIN vouchers v ON"
                     " v.id = substr(t.debit_account, 9) WHERE t.credit_account = ? AND"
                     " t.debit_account LIKE 'voucher:%' AND v.issue_year = ?",
                     "ti", paid_account, year) &&
             add_int(db, row, "waitlist_count",
                     "SELECT COUNT(*) FROM waitlist WHERE county_code = ? AND status = 'waiting'",
                     "t", county, 0) &&
             add_int(db, row, "waitlist_fen",
                     "SELECT SUM(amount_fen) FROM waitlist WHERE county_code = ? AND status ="
                     " 'waiting'",
                     "t", county, 0) &&
             add_int(db, row, "vouchers",
                     "SELECT COUNT(*) FROM vouchers WHERE county_code = ? AND issue_year = ? AND"
                     " status IN " LIVE_VOUCHERS,
                     "ti", county, year);
        if (!ok) {
            json_decref(r);
            return NULL;
        }
        /* Disbursed net of what was clawed back, as the payment reports
         * count it (budgets_pools). */
        json_object_set_new(row, "paid_fen",
                            json_integer(json_integer_value(json_object_get(row, "paid_fen")) -
                                         json_integer_value(json_object_get(row, "recovered_fen"))));
    }
    return r;
}

/* The figures of every county at once, in three grouped queries, for
 * city-wide readers: per-county queries cost a county's whole history
 * each (135 counties of a province made the report take seconds). */
static bool progress_all(struct db *db, json_t *items, int year, int64_t from_ms, int64_t to_ms)
{
    (void)from_ms; /* county_years is kept by China-time year */
    (void)to_ms;
    json_t *on_cloud = rows_all(db,
                                "SELECT county_code, enterprises_confirmed AS n FROM county_years"
                                " WHERE year = ?",
                                "i", (int64_t)year);
    json_t *vouchers = rows_all(db,
                                "SELECT county_code, COUNT(*) AS n, SUM(amount_fen) AS fen"
                                " FROM vouchers WHERE issue_year = ? AND status IN " LIVE_VOUCHERS
                                " GROUP BY county_code",
                                "i", (int64_t)year);
    bool ok = on_cloud && vouchers;
    size_t i, k;
    json_t *row, *x;
    json_array_foreach(items, i, row)
    {
        if (!ok) break;
        const char *county = rows_str(row, "county_code");
        int64_t n = 0, count = 0, fen = 0;
        json_array_foreach(on_cloud, k, x)
        {
            if (strcmp(rows_str(x, "county_code"), county) == 0)
                n = json_integer_value(json_object_get(x, "n"));
        }
        json_array_foreach(vouchers, k, x)
        {
            if (strcmp(rows_str(x, "county_code"), county) != 0) continue;
            count = json_integer_value(json_object_get(x, "n"));
            fen = json_integer_value(json_object_get(x, "fen"));
        }
        json_object_set_new(row, "enterprises_on_cloud", json_integer(n));
        json_object_set_new(row, "vouchers", json_integer(count));
        json_object_set_new(row, "voucher_amount_fen", json_integer(fen));
    }
    json_decref(on_cloud);
    json_decref(vouchers);
    return ok;
}

json_t *budgets_progress(struct db *db, const struct row_scope *s, int year, int64_t from_ms,
                         int64_t to_ms)
{
    json_t *r = budgets_counties_page(
        db, s, "c.code AS county_code, c.name AS county_name, c.target_2018", "FROM counties c");
    if (!r) return NULL;
    if (s->all) {
        if (progress_all(db, json_object_get(r, "items"), year, from_ms, to_ms)) return r;
        json_decref(r);
        return NULL;
    }
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "items"), i, row)
    {
        const char *county = json_string_value(json_object_get(row, "county_code"));
        int64_t on_cloud = 0;
        /* 上云企业: enterprises with a contract for catalog services confirmed
         * in the year (counted once, whatever the number of contracts). */
        bool ok = rows_int(db, &on_cloud,
                           "SELECT enterprises_confirmed FROM county_years WHERE year = ? AND"
                           " county_code = ?",
                           "it", (int64_t)year, county) == YQ_OK;
        json_object_set_new(row, "enterprises_on_cloud", json_integer(on_cloud));
        ok = ok &&
             add_int(db, row, "vouchers",
                     "SELECT COUNT(*) FROM vouchers WHERE county_code = ? AND issue_year = ? AND"
                     " status IN " LIVE_VOUCHERS,
                     "ti", county, year) &&
             add_int(db, row, "voucher_amount_fen",
                     "SELECT SUM(amount_fen) FROM vouchers WHERE county_code = ? AND issue_year ="
                     " ? AND status IN " LIVE_VOUCHERS,
                     "ti", county, year);
        if (!ok) {
            json_decref(r);
            return NULL;
        }
    }
    return r;
}

/* The audit rows of one pool's fundings, with who recorded each. */
static json_t *fund_audits(struct db *db, const char *pool)
{
    return rows_all(db,
                    "SELECT a.after_json, a.actor_username, a.actor_role, u.display_name"
                    " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
                    " WHERE a.entity = 'budget' AND a.entity_id = ? AND a.action = 'fund'"
                    " ORDER BY a.seq",
                    "t", pool);
}

/* Fills recorded_by (display name, else user name; null when no audit
 * row names the funding) from the first unused audit row of the same
 * source, reference and amount. */
static void fund_who(json_t *row, json_t *audits)
{
    const char *source = rows_str(row, "source");
    const char *reference = rows_str(row, "reference");
    json_int_t amount = json_integer_value(json_object_get(row, "amount_fen"));
    json_object_set_new(row, "recorded_by", json_null());
    json_object_set_new(row, "recorded_by_role", json_null());
    size_t i;
    json_t *a;
    json_array_foreach(audits, i, a)
    {
        if (json_is_true(json_object_get(a, "used"))) continue;
        json_t *after = json_loads(rows_str(a, "after_json"), 0, NULL);
        bool same = after && strcmp(rows_str(after, "source"), source) == 0 &&
                    strcmp(rows_str(after, "reference"), reference) == 0 &&
                    json_integer_value(json_object_get(after, "amount_fen")) == amount;
        json_decref(after);
        if (!same) continue;
        json_object_set_new(a, "used", json_true());
        const char *name = rows_str(a, "display_name");
        if (!*name) name = rows_str(a, "actor_username");
        if (*name) json_object_set_new(row, "recorded_by", json_string(name));
        if (*rows_str(a, "actor_role"))
            json_object_set(row, "recorded_by_role", json_object_get(a, "actor_role"));
        return;
    }
}

json_t *budgets_fundings(struct db *db, const struct row_scope *s, int year)
{
    json_t *counties = budgets_counties_page(db, s, "c.code AS county_code, c.name AS county_name",
                                             "FROM counties c");
    if (!counties) return NULL;
    json_t *items = json_array();
    size_t i;
    json_t *c;
    bool ok = true;
    json_array_foreach(json_object_get(counties, "items"), i, c)
    {
        char pool[64];
        snprintf(pool, sizeof pool, "pool:%s:%d", rows_str(c, "county_code"), year);
        /* Driven by the pool (index on credit_account); a funding is a
         * plain transfer from a source account (SPEC §6). */
        json_t *rows = rows_all(db,
                                "SELECT substr(debit_account, 8) AS source, amount_fen, reference,"
                                " created_at, seq FROM ledger_transfers WHERE credit_account = ?"
                                " AND debit_account LIKE 'source:%' AND kind = 'plain'"
                                " ORDER BY seq",
                                "t", pool);
        json_t *audits = rows ? fund_audits(db, pool) : NULL;
        ok = rows && audits;
        size_t k;
        json_t *row;
        json_array_foreach(ok ? rows : NULL, k, row)
        {
            json_object_set(row, "county_code", json_object_get(c, "county_code"));
            json_object_set(row, "county_name", json_object_get(c, "county_name"));
            json_object_set_new(row, "year", json_integer(year));
            fund_who(row, audits);
            json_object_del(row, "seq");
            rows_instants(row, "created_at", NULL);
            json_array_append(items, row);
        }
        json_decref(rows);
        json_decref(audits);
        if (!ok) break;
    }
    json_decref(counties);
    if (!ok) {
        json_decref(items);
        return NULL;
    }
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
}
