/* Dashboard reads (see dashboards.h). Each measure is one pass over its
 * rows, grouped by a CASE that names the month from the month boundaries
 * (numbers we formatted, never request text): the same SQL on SQLite and
 * PostgreSQL. */
#include "store/dashboards.h"
#include "core/buf.h"
#include "core/dashboard.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LIVE_VOUCHER "('issued', 'partially_redeemed', 'redeemed')"
/* Applications that count as claims: submitted, not withdrawn or rejected. */
#define CLAIMED "x.status NOT IN ('draft', 'withdrawn', 'rejected')"
#define APPROVED "x.status IN ('approved', 'in_notice', 'noticed', 'paid')"

/* "CASE WHEN column < <end of January> THEN 1 … ELSE 12 END": the month
 * of an instant in China time, with one pass over the rows (a join to a
 * table of months made SQLite scan the table once per month). Anything
 * before February is January and anything after November December: the
 * WHERE bounds the year where it must. */
static void month_case(struct buf *b, int year, const char *column)
{
    int64_t from[DASHBOARD_MONTHS], to[DASHBOARD_MONTHS];
    dashboard_months(year, from, to);
    buf_puts(b, "CASE");
    for (int m = 0; m + 1 < DASHBOARD_MONTHS; m++)
        buf_printf(b, " WHEN %s < %lld THEN %d", column, (long long)to[m], m + 1);
    buf_printf(b, " ELSE %d END", DASHBOARD_MONTHS);
}

/* Runs one grouped measure and copies its columns into the month rows
 * (column "m" is the month, 1..12). YQ_OK or an error. */
static int fill(struct db *db, json_t *months, const char *head, struct rows_where *w,
                const char *tail, const char *const *keys)
{
    json_t *rows = rows_where_all(db, head, w, tail);
    rows_where_cleanup(w);
    if (!rows) return YQ_ERR;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_int_t m = json_integer_value(json_object_get(row, "m"));
        json_t *month = json_array_get(months, (size_t)(m - 1));
        for (int k = 0; month && keys[k]; k++)
            json_object_set_new(month, keys[k],
                                json_integer(json_integer_value(json_object_get(row, keys[k]))));
    }
    json_decref(rows);
    return YQ_OK;
}

json_t *dashboards_months(struct db *db, const struct row_scope *s, int year, bool on_cloud)
{
    static const char *const contract_keys[] = {"contracts", NULL};
    static const char *const voucher_keys[] = {"vouchers", "voucher_amount_fen", NULL};
    static const char *const claim_keys[] = {"claims", "claim_fen", NULL};
    static const char *const paid_keys[] = {"paid_fen", NULL};
    json_t *months = json_array();
    for (int m = 0; m < DASHBOARD_MONTHS; m++) {
        char ym[16];
        snprintf(ym, sizeof ym, "%04d-%02d", year, m + 1);
        json_t *row = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "month", ym, "contracts", 0,
                                "vouchers", 0, "voucher_amount_fen", 0, "claims", 0, "claim_fen", 0,
                                "paid_fen", 0);
        if (on_cloud) json_object_set_new(row, "new_on_cloud", json_integer(0));
        json_array_append_new(months, row);
    }
    int64_t from[DASHBOARD_MONTHS], to[DASHBOARD_MONTHS];
    dashboard_months(year, from, to);
    int64_t year_from = from[0], year_to = to[DASHBOARD_MONTHS - 1];
    struct buf head;
    buf_init(&head, 16384);
    struct rows_where w;
    int rc = YQ_OK;

    if (on_cloud) {
        /* County scopes: the contracts still in force, the enterprises
         * that came on the cloud and the year's live vouchers per month
         * are counters (store/stats.h) kept in the writing transactions;
         * counting them from the year's rows took most of a request. */
        static const char *const counted_keys[] = {"contracts", "new_on_cloud", "vouchers",
                                                   "voucher_amount_fen", NULL};
        rows_where_init(&w);
        rows_where_int(&w, "x.year = ?", year);
        scope_where(&w, s, "x");
        rc = fill(db, months,
                  "SELECT x.month AS m, SUM(x.contracts) AS contracts, SUM(x.new_on_cloud) AS"
                  " new_on_cloud, SUM(x.vouchers) AS vouchers, SUM(x.voucher_fen) AS"
                  " voucher_amount_fen FROM county_months x",
                  &w, " GROUP BY x.month", counted_keys);
    } else {
        /* A provider: its own rows (the counters are per county). */
        buf_puts(&head, "SELECT ");
        month_case(&head, year, "x.confirmed_at");
        buf_puts(&head, " AS m, COUNT(*) AS contracts FROM contracts x");
        rows_where_init(&w);
        rows_where_sql(&w, "x.status = 'confirmed' AND x.base_fen > 0");
        rows_where_int(&w, "x.confirmed_at >= ?", year_from);
        rows_where_int(&w, "x.confirmed_at < ?", year_to);
        scope_where(&w, s, "x");
        rc = fill(db, months, head.data, &w, " GROUP BY 1", contract_keys);
        /* Vouchers of the year's pool by issue instant (one served from
         * it after the year falls in December). */
        if (rc == YQ_OK) {
            buf_reset(&head);
            buf_puts(&head, "SELECT ");
            month_case(&head, year, "x.issued_at");
            buf_puts(&head, " AS m, COUNT(*) AS vouchers, SUM(x.amount_fen) AS"
                            " voucher_amount_fen FROM vouchers x");
            rows_where_init(&w);
            rows_where_int(&w, "x.issue_year = ?", year);
            rows_where_sql(&w, "x.status IN " LIVE_VOUCHER);
            scope_where(&w, s, "x");
            rc = fill(db, months, head.data, &w, " GROUP BY 1", voucher_keys);
        }
    }
    if (rc == YQ_OK) {
        buf_reset(&head);
        buf_puts(&head, "SELECT ");
        month_case(&head, year, "x.submitted_at");
        buf_puts(&head, " AS m, COUNT(*) AS claims, SUM(x.claim_fen) AS claim_fen FROM"
                        " redemptions x");
        rows_where_init(&w);
        rows_where_sql(&w, CLAIMED);
        rows_where_int(&w, "x.submitted_at >= ?", year_from);
        rows_where_int(&w, "x.submitted_at < ?", year_to);
        scope_where(&w, s, "x");
        rc = fill(db, months, head.data, &w, " GROUP BY 1", claim_keys);
    }
    /* Paid less clawed back by the batch's payment date, kept per month
     * ('YYYY-MM') in county_paid by the payout store. */
    if (rc == YQ_OK) {
        char first[16], last[16];
        snprintf(first, sizeof first, "%04d-01", year);
        snprintf(last, sizeof last, "%04d-12", year);
        rows_where_init(&w);
        rows_where_text(&w, "x.paid_month >= ?", first, 1);
        rows_where_text(&w, "x.paid_month <= ?", last, 1);
        scope_where(&w, s, "x");
        rc = fill(db, months,
                  "SELECT CAST(SUBSTR(x.paid_month, 6, 2) AS INTEGER) AS m, SUM(x.paid_fen) AS"
                  " paid_fen FROM county_paid x",
                  /* by the indexed column: no sort */
                  &w, " GROUP BY x.paid_month", paid_keys);
    }
    buf_cleanup(&head);
    if (rc != YQ_OK) {
        json_decref(months);
        return NULL;
    }
    return months;
}

json_t *dashboards_periods(struct db *db, const struct row_scope *s, int year)
{
    char h1[16], h2[16];
    snprintf(h1, sizeof h1, "%dH1", year);
    snprintf(h2, sizeof h2, "%dH2", year);
    const char *const periods[2] = {h1, h2};
    /* Claimed and approved from the applications' own totals (their
     * active items' sums, which `ledger check` verifies); paid from
     * county_paid. Reading every item of a year's applications cost
     * 0.15 s a request at province scale. */
    struct rows_where w;
    rows_where_init(&w);
    rows_where_in(&w, "x.period", periods, 2);
    scope_where(&w, s, "x");
    json_t *rows = rows_where_all(
        db,
        "SELECT x.period, SUM(CASE WHEN " CLAIMED " THEN x.claim_fen ELSE 0 END) AS claimed_fen,"
        " SUM(CASE WHEN " APPROVED " THEN x.approved_fen ELSE 0 END) AS approved_fen, 0 AS"
        " paid_fen FROM redemptions x",
        &w, " GROUP BY x.period");
    rows_where_cleanup(&w);
    json_t *paid = NULL;
    if (rows) {
        rows_where_init(&w);
        rows_where_in(&w, "x.period", periods, 2);
        scope_where(&w, s, "x");
        paid = rows_where_all(db,
                              "SELECT x.period, 0 AS claimed_fen, 0 AS approved_fen,"
                              " SUM(x.paid_fen) AS paid_fen FROM county_paid x",
                              &w, " GROUP BY x.period");
        rows_where_cleanup(&w);
    }
    if (!paid) {
        json_decref(rows);
        return NULL;
    }
    json_array_extend(rows, paid);
    json_decref(paid);
    json_t *out = json_array();
    for (int k = 0; k < 2; k++) {
        json_t *row = json_pack("{s:s, s:i, s:i, s:i}", "period", periods[k], "claimed_fen", 0,
                                "approved_fen", 0, "paid_fen", 0);
        size_t i;
        json_t *got;
        json_array_foreach(rows, i, got)
        {
            if (strcmp(rows_str(got, "period"), periods[k]) != 0) continue;
            static const char *const keys[] = {"claimed_fen", "approved_fen", "paid_fen", NULL};
            for (int j = 0; keys[j]; j++)
                json_object_set_new(
                    row, keys[j],
                    json_integer(json_integer_value(json_object_get(row, keys[j])) +
                                 json_integer_value(json_object_get(got, keys[j]))));
        }
        json_array_append_new(out, row);
    }
    json_decref(rows);
    return out;
}

json_t *dashboards_vouchers(struct db *db, const char *user_id)
{
    json_t *rows = rows_all(
        db,
        "SELECT x.id, x.code, x.county_code, c.name AS county_name, x.issue_year, x.issued_at,"
        " x.amount_fen, x.redeemed_fen, x.clawed_back_fen, x.status, x.service_end,"
        " COALESCE(k.claimed_fen, 0) AS claimed_fen, COALESCE(k.paid_fen, 0) AS paid_fen"
        " FROM vouchers x JOIN counties c ON c.code = x.county_code LEFT JOIN (SELECT"
        " i.voucher_id, SUM(CASE WHEN r.status NOT IN ('draft', 'withdrawn', 'rejected')"
        " AND i.active = 1 THEN i.claim_fen ELSE 0 END) AS claimed_fen, SUM(i.paid_fen -"
        " i.clawed_back_fen) AS paid_fen FROM redemption_items i JOIN redemptions r ON r.id ="
        " i.redemption_id JOIN vouchers v ON v.id = i.voucher_id JOIN enterprises e ON e.id ="
        " v.enterprise_id WHERE e.user_id = ? GROUP BY i.voucher_id) k ON k.voucher_id = x.id"
        " WHERE x.enterprise_id IN (SELECT id FROM enterprises WHERE user_id = ?)"
        " ORDER BY x.issued_at, x.id",
        "tt", user_id, user_id);
    size_t i;
    json_t *row;
    if (rows) json_array_foreach(rows, i, row) rows_instants(row, "issued_at", NULL);
    return rows;
}
