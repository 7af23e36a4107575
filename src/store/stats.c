/* Counters of the city reports (see stats.h). The month of an instant is
 * China time (core/dashboard.c); the backfill and the check count each
 * month with a range over the instant, so the SQL stays portable. */
#include "store/stats.h"
#include "core/dashboard.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define LIVE_VOUCHER "('issued', 'partially_redeemed', 'redeemed')"
#define CATALOG_CONFIRMED "status = 'confirmed' AND base_fen > 0"

/* The month deltas of one use case while deferred (stats_defer_begin):
 * a confirmation moves the same row three times (its contract, the
 * enterprise on the cloud, its voucher), written once at the end. */
#define DEFER_ROWS 8
static _Thread_local struct {
    bool on;
    int n;
    struct {
        char county[16];
        int year, month;
        int64_t d[4];
    } row[DEFER_ROWS];
} defer;

/* One statement that changes one row, queued (db_run_queued): on
 * PostgreSQL it travels with the next statement. Adding creates the row
 * when missing; taking away needs it (a counter that would fall below
 * zero fails its CHECK, and so would the new row's, before any
 * conflict is looked for). */
static int month_write(struct db *db, const char *county, int year, int month, int64_t contracts,
                       int64_t on_cloud, int64_t vouchers, int64_t voucher_fen)
{
    if (contracts < 0 || on_cloud < 0 || vouchers < 0 || voucher_fen < 0)
        return db_run_queued(db, 1,
                             "UPDATE county_months SET contracts = contracts + ?, new_on_cloud ="
                             " new_on_cloud + ?, vouchers = vouchers + ?, voucher_fen ="
                             " voucher_fen + ? WHERE county_code = ? AND year = ? AND month = ?",
                             "iiiitii", contracts, on_cloud, vouchers, voucher_fen, county,
                             (int64_t)year, (int64_t)month);
    return db_run_queued(db, 1,
                         "INSERT INTO county_months(county_code, year, month, contracts,"
                         " new_on_cloud, vouchers, voucher_fen) VALUES (?,?,?,?,?,?,?)"
                         " ON CONFLICT (county_code, year, month) DO UPDATE SET contracts ="
                         " county_months.contracts + excluded.contracts, new_on_cloud ="
                         " county_months.new_on_cloud + excluded.new_on_cloud, vouchers ="
                         " county_months.vouchers + excluded.vouchers, voucher_fen ="
                         " county_months.voucher_fen + excluded.voucher_fen",
                         "tiiiiii", county, (int64_t)year, (int64_t)month, contracts, on_cloud,
                         vouchers, voucher_fen);
}

void stats_defer_begin(void)
{
    defer.on = true;
    defer.n = 0;
}

int stats_defer_end(struct db *db, int rc)
{
    int n = defer.n;
    defer.on = false;
    defer.n = 0;
    for (int i = 0; rc == YQ_OK && i < n; i++) {
        const int64_t *d = defer.row[i].d;
        if (d[0] || d[1] || d[2] || d[3])
            rc = month_write(db, defer.row[i].county, defer.row[i].year, defer.row[i].month, d[0],
                             d[1], d[2], d[3]);
    }
    return rc;
}

int stats_month_add(struct db *db, const char *county, int year, int month, int64_t contracts,
                    int64_t on_cloud, int64_t vouchers, int64_t voucher_fen)
{
    if (!defer.on || strlen(county) >= sizeof defer.row[0].county)
        return month_write(db, county, year, month, contracts, on_cloud, vouchers, voucher_fen);
    int i = 0;
    while (i < defer.n && !(defer.row[i].year == year && defer.row[i].month == month &&
                            strcmp(defer.row[i].county, county) == 0))
        i++;
    if (i == defer.n) {
        if (defer.n == DEFER_ROWS)
            return month_write(db, county, year, month, contracts, on_cloud, vouchers,
                               voucher_fen);
        defer.n++;
        snprintf(defer.row[i].county, sizeof defer.row[i].county, "%s", county);
        defer.row[i].year = year;
        defer.row[i].month = month;
        memset(defer.row[i].d, 0, sizeof defer.row[i].d);
    }
    defer.row[i].d[0] += contracts;
    defer.row[i].d[1] += on_cloud;
    defer.row[i].d[2] += vouchers;
    defer.row[i].d[3] += voucher_fen;
    return YQ_OK;
}

int stats_year_add(struct db *db, const char *county, int year, int64_t enterprises)
{
    if (enterprises < 0)
        return db_run_queued(db, 1,
                             "UPDATE county_years SET enterprises_confirmed ="
                             " enterprises_confirmed + ? WHERE county_code = ? AND year = ?",
                             "iti", enterprises, county, (int64_t)year);
    return db_run_queued(db, 1,
                         "INSERT INTO county_years(county_code, year, enterprises_confirmed)"
                         " VALUES (?,?,?) ON CONFLICT (year, county_code) DO UPDATE SET"
                         " enterprises_confirmed = county_years.enterprises_confirmed +"
                         " excluded.enterprises_confirmed",
                         "tii", county, (int64_t)year, enterprises);
}

/* The years any counted instant falls in (from the earliest to the
 * latest confirmation, issue or pool year), *first > *last when none. */
static int years_span(struct db *db, int *first, int *last)
{
    int64_t lo = 0, hi = 0, ylo = 0, yhi = 0;
    int rc = rows_int(db, &lo,
                      "SELECT COALESCE(MIN(confirmed_at), 0) FROM contracts WHERE confirmed_at"
                      " IS NOT NULL",
                      NULL);
    if (rc == YQ_OK)
        rc = rows_int(db, &hi, "SELECT COALESCE(MAX(confirmed_at), 0) FROM contracts", NULL);
    if (rc == YQ_OK)
        rc = rows_int(db, &ylo, "SELECT COALESCE(MIN(issue_year), 0) FROM vouchers", NULL);
    if (rc == YQ_OK)
        rc = rows_int(db, &yhi, "SELECT COALESCE(MAX(issue_year), 0) FROM vouchers", NULL);
    if (rc != YQ_OK) return rc;
    int a = 9999, b = 0, y, m;
    if (lo > 0) {
        dashboard_month_of(lo, &y, &m);
        a = y;
        dashboard_month_of(hi, &y, &m);
        b = y;
    }
    if (ylo > 0 && ylo < a) a = (int)ylo;
    if (yhi > b) b = (int)yhi;
    *first = a;
    *last = b;
    return YQ_OK;
}

/* The rows of one month's counts from base tables: county_code and
 * contracts, new_on_cloud, vouchers, voucher_fen, for (year, month). */
static json_t *month_counts(struct db *db, int year, int month)
{
    int64_t from[DASHBOARD_MONTHS], to[DASHBOARD_MONTHS];
    dashboard_months(year, from, to);
    int64_t a = from[month - 1], b = to[month - 1];
    /* Vouchers of the year's pool: before the year counts in January,
     * after it in December (dashboard_month_in). */
    int64_t va = month == 1 ? INT64_MIN : a, vb = month == DASHBOARD_MONTHS ? INT64_MAX : b;
    return rows_all(
        db,
        "SELECT county_code, SUM(contracts) AS contracts, SUM(new_on_cloud) AS new_on_cloud,"
        " SUM(vouchers) AS vouchers, SUM(voucher_fen) AS voucher_fen FROM ("
        "SELECT county_code, COUNT(*) AS contracts, 0 AS new_on_cloud, 0 AS vouchers, 0 AS"
        " voucher_fen FROM contracts WHERE " CATALOG_CONFIRMED " AND confirmed_at >= ? AND"
        " confirmed_at < ? GROUP BY county_code"
        /* enterprise_on_cloud is itself checked against the contracts. */
        " UNION ALL SELECT county_code, 0, COUNT(*), 0, 0 FROM enterprise_on_cloud WHERE"
        " first_at >= ? AND first_at < ? GROUP BY county_code"
        " UNION ALL SELECT county_code, 0, 0, COUNT(*), SUM(amount_fen) FROM vouchers WHERE"
        " issue_year = ? AND status IN " LIVE_VOUCHER " AND issued_at >= ? AND issued_at < ?"
        " GROUP BY county_code) u GROUP BY county_code",
        "iiiiiii", a, b, a, b, (int64_t)year, va, vb);
}

static json_t *year_counts(struct db *db, int year)
{
    int64_t from[DASHBOARD_MONTHS], to[DASHBOARD_MONTHS];
    dashboard_months(year, from, to);
    return rows_all(db,
                    "SELECT county_code, COUNT(DISTINCT enterprise_id) AS enterprises_confirmed "
                    "FROM contracts WHERE"
                    " " CATALOG_CONFIRMED " AND confirmed_at >= ? AND confirmed_at < ? GROUP BY"
                    " county_code",
                    "ii", from[0], to[DASHBOARD_MONTHS - 1]);
}

static int64_t member(json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

int stats_backfill(struct db *db)
{
    int first, last;
    int rc = years_span(db, &first, &last);
    for (int y = first; rc == YQ_OK && y <= last; y++) {
        json_t *rows = year_counts(db, y);
        size_t i;
        json_t *r;
        if (!rows) return YQ_ERR;
        json_array_foreach(rows, i, r)
        {
            if (rc == YQ_OK)
                rc = stats_year_add(db, rows_str(r, "county_code"), y,
                                    member(r, "enterprises_confirmed"));
        }
        json_decref(rows);
        for (int m = 1; rc == YQ_OK && m <= DASHBOARD_MONTHS; m++) {
            if (!(rows = month_counts(db, y, m))) return YQ_ERR;
            json_array_foreach(rows, i, r)
            {
                if (rc == YQ_OK)
                    rc = stats_month_add(db, rows_str(r, "county_code"), y, m,
                                         member(r, "contracts"), member(r, "new_on_cloud"),
                                         member(r, "vouchers"), member(r, "voucher_fen"));
            }
            json_decref(rows);
        }
    }
    return rc;
}

/* The stored row of a county in `stored` (borrowed), or NULL. */
static json_t *row_of(json_t *stored, const char *county)
{
    size_t i;
    json_t *r;
    json_array_foreach(stored, i, r)
    {
        if (strcmp(rows_str(r, "county_code"), county) == 0) return r;
    }
    return NULL;
}

static void breach(json_t *list, const char *county, int year, int month, const char *what,
                   int64_t got, int64_t want)
{
    char when[32], line[256];
    if (month)
        snprintf(when, sizeof when, "%d 年 %d 月", year, month);
    else
        snprintf(when, sizeof when, "%d 年", year);
    snprintf(line, sizeof line, "区县 %s %s统计 %s 记为 %lld，按明细应为 %lld", county, when, what,
             (long long)got, (long long)want);
    json_array_append_new(list, json_string(line));
}

/* Compares stored rows with recomputed ones, both ways, on `keys`. */
static void compare(json_t *stored, json_t *want, const char *const *keys, int year, int month,
                    json_t *breaches)
{
    size_t i;
    json_t *r;
    json_array_foreach(want, i, r)
    {
        json_t *s = row_of(stored, rows_str(r, "county_code"));
        for (int k = 0; keys[k]; k++)
            if (member(s, keys[k]) != member(r, keys[k]))
                breach(breaches, rows_str(r, "county_code"), year, month, keys[k],
                       member(s, keys[k]), member(r, keys[k]));
    }
    json_array_foreach(stored, i, r)
    {
        json_t *w = row_of(want, rows_str(r, "county_code"));
        for (int k = 0; keys[k]; k++)
            if (!w && member(r, keys[k]) != 0)
                breach(breaches, rows_str(r, "county_code"), year, month, keys[k],
                       member(r, keys[k]), 0);
    }
}

int stats_check(struct db *db, json_t *breaches)
{
    static const char *const month_keys[] = {"contracts", "new_on_cloud", "vouchers", "voucher_fen",
                                             NULL};
    static const char *const year_keys[] = {"enterprises_confirmed", NULL};
    int first, last;
    int64_t lo = 0, hi = 0;
    int rc = years_span(db, &first, &last);
    /* Stored rows outside the span of the base tables must be zero too. */
    if (rc == YQ_OK)
        rc = rows_int(db, &lo, "SELECT COALESCE(MIN(year), 9999) FROM county_months", NULL);
    if (rc == YQ_OK)
        rc = rows_int(db, &hi, "SELECT COALESCE(MAX(year), 0) FROM county_years", NULL);
    if (rc != YQ_OK) return rc;
    if (lo < first) first = (int)lo;
    if (hi > last) last = (int)hi;
    if (rows_int(db, &hi, "SELECT COALESCE(MAX(year), 0) FROM county_months", NULL) != YQ_OK)
        return YQ_ERR;
    if (hi > last) last = (int)hi;
    for (int y = first; y <= last; y++) {
        json_t *stored = rows_all(db,
                                  "SELECT county_code, enterprises_confirmed FROM county_years"
                                  " WHERE year = ?",
                                  "i", (int64_t)y);
        json_t *want = stored ? year_counts(db, y) : NULL;
        if (want) compare(stored, want, year_keys, y, 0, breaches);
        json_decref(stored);
        json_decref(want);
        if (!want) return YQ_ERR;
        for (int m = 1; m <= DASHBOARD_MONTHS; m++) {
            stored = rows_all(db,
                              "SELECT county_code, contracts, new_on_cloud, vouchers, voucher_fen"
                              " FROM county_months WHERE year = ? AND month = ?",
                              "ii", (int64_t)y, (int64_t)m);
            want = stored ? month_counts(db, y, m) : NULL;
            if (want) compare(stored, want, month_keys, y, m, breaches);
            json_decref(stored);
            json_decref(want);
            if (!want) return YQ_ERR;
        }
    }
    return YQ_OK;
}

int stats_break_check(struct db *db)
{
    int rc = db_run(db,
                    "INSERT INTO county_months(county_code, year, month, contracts, new_on_cloud,"
                    " vouchers, voucher_fen) SELECT code, 0, 13, 0, 0, 0, 0 FROM counties LIMIT 1",
                    "");
    return rc == YQ_OK ? YQ_ERR : rc;
}
