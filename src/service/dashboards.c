/* Dashboards (see dashboards.h). Each use case is one read transaction
 * that gathers the report rows (service/targets.c, store/budgets.c) and
 * the grouped reads of store/dashboards.c, then arranges them for charts:
 * no figure is computed twice in two ways. */
#include "service/dashboards.h"
#include "core/dashboard.h"
#include "core/mem.h"
#include "core/roles.h"
#include "core/status.h"
#include "service/scope.h"
#include "service/targets.h"
#include "service/tx.h"
#include "store/budgets.h"
#include "store/dashboards.h"
#include "store/rows.h"
#include "store/users.h"

#include <stdlib.h>
#include <string.h>

static bool year_ok(int year, struct problem *p)
{
    if (year >= 2000 && year <= 2100) return true;
    problem_set(p, YQ_EINVAL, "invalid_field", "year", "year 须为年度，例如 2019");
    return false;
}

/* One read: the scope, the year, and what the use case fills in. */
struct dash_read {
    const struct row_scope *scope;
    int year;
    json_t *out;
};

static int64_t member(json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

/* The sum of one member over an array of rows. */
static int64_t column_sum(json_t *rows, const char *key)
{
    int64_t sum = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) sum += member(row, key);
    return sum;
}

/* The periods with what vouchers the year's pool issued in each half
 * (from the month rows, so the two cannot disagree). */
static void periods_with_issued(json_t *periods, json_t *months)
{
    for (size_t half = 0; half < 2; half++) {
        int64_t issued = 0;
        for (size_t m = half * 6; m < half * 6 + 6; m++)
            issued += member(json_array_get(months, m), "voucher_amount_fen");
        json_object_set_new(json_array_get(periods, half), "issued_fen", json_integer(issued));
    }
}

/* {"months", "periods"} for the scope; YQ_OK or an error. */
static int money_over_time(struct db *db, struct dash_read *r, bool on_cloud)
{
    json_t *months = dashboards_months(db, r->scope, r->year, on_cloud);
    json_t *periods = months ? dashboards_periods(db, r->scope, r->year) : NULL;
    if (!periods) {
        json_decref(months);
        return YQ_ERR;
    }
    periods_with_issued(periods, months);
    json_object_set_new(r->out, "months", months);
    json_object_set_new(r->out, "periods", periods);
    return YQ_OK;
}

/* The budget row of a county in a budgets_year answer, borrowed. */
static json_t *budget_of(json_t *budgets, const char *county)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(budgets, "items"), i, row)
    {
        if (strcmp(rows_str(row, "county_code"), county) == 0) return row;
    }
    return NULL;
}

/* Per county: the completion row with its budget use beside it. */
static json_t *county_rows(json_t *report, json_t *budgets)
{
    static const char *const budget_keys[] = {"funded_fen", "reserved_fen", "posted_fen",
                                              "available_fen", NULL};
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(report, "items"), i, row)
    {
        json_t *c = json_deep_copy(row);
        json_t *b = budget_of(budgets, rows_str(row, "county_code"));
        json_t *use = json_object();
        for (int k = 0; budget_keys[k]; k++)
            json_object_set_new(use, budget_keys[k],
                                json_integer(b ? member(b, budget_keys[k]) : 0));
        json_object_set_new(c, "budget", use);
        json_array_append_new(out, c);
    }
    return out;
}

/* 完成率 ranking: highest first, counties without a target last. */
static json_t *ranking(json_t *counties)
{
    size_t n = json_array_size(counties);
    struct dashboard_rank_row *rows = yq_calloc(n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(counties, i);
        json_t *bp = json_object_get(c, "completion_bp");
        rows[i].completion_bp = json_is_integer(bp) ? json_integer_value(bp) : -1;
        rows[i].county_code = rows_str(c, "county_code");
    }
    dashboard_rank(rows, n);
    json_t *out = json_array();
    for (size_t r = 0; r < n; r++) {
        for (size_t i = 0; i < n; i++) {
            json_t *c = json_array_get(counties, i);
            if (strcmp(rows_str(c, "county_code"), rows[r].county_code) != 0) continue;
            json_array_append_new(
                out, json_pack("{s:I, s:s, s:s, s:O, s:O, s:O}", "rank", (json_int_t)(r + 1),
                               "county_code", rows_str(c, "county_code"), "county_name",
                               rows_str(c, "county_name"), "target", json_object_get(c, "target"),
                               "new_on_cloud", json_object_get(c, "new_on_cloud"), "completion_bp",
                               json_object_get(c, "completion_bp")));
            break;
        }
    }
    free(rows);
    return out;
}

/* Per county in scope: the completion report's row with its budget use
 * (the completion report and the pools, in the open read). *totals is the
 * report's totals (the caller's). YQ_OK or an error. */
static int counties_of(struct db *db, const struct dash_read *r, json_t **counties, json_t **totals)
{
    json_t *report = NULL, *budgets = NULL;
    int rc = completion_report(db, r->scope, r->year, &report);
    if (rc == YQ_OK && !(budgets = budgets_pools(db, r->scope, r->year))) rc = YQ_ERR;
    if (rc == YQ_OK) {
        *counties = county_rows(report, budgets);
        *totals = json_incref(json_object_get(report, "totals"));
    }
    json_decref(report);
    json_decref(budgets);
    return rc;
}

static int city_run(struct db *db, void *ctx, struct problem *p)
{
    (void)p;
    struct dash_read *r = ctx;
    json_t *counties = NULL, *totals = NULL;
    int rc = counties_of(db, r, &counties, &totals);
    if (rc != YQ_OK) return rc;
    json_object_set_new(r->out, "counties", counties);
    json_object_set_new(r->out, "ranking", ranking(counties));
    json_object_set_new(r->out, "totals", totals);
    return money_over_time(db, r, true);
}

/* Runs a dashboard read and answers {"year", …} or NULL + p. */
static json_t *read_dashboard(struct db *db, service_tx_fn run, struct dash_read *r,
                              struct problem *p)
{
    r->out = json_pack("{s:i}", "year", r->year);
    if (service_read(db, run, r, p) != YQ_OK) {
        json_decref(r->out);
        return NULL;
    }
    return r->out;
}

json_t *dashboard_city(struct db *db, const struct actor *a, int year, struct problem *p)
{
    (void)a; /* the route admits city-wide roles only */
    if (!year_ok(year, p)) return NULL;
    struct row_scope s = {.all = true};
    struct dash_read r = {&s, year, NULL};
    return read_dashboard(db, city_run, &r, p);
}

static int county_run(struct db *db, void *ctx, struct problem *p)
{
    (void)p;
    struct dash_read *r = ctx;
    json_t *counties = NULL, *totals = NULL;
    int rc = counties_of(db, r, &counties, &totals);
    if (rc != YQ_OK) return rc;
    json_t *mine = json_array_get(counties, 0);
    if (!mine) {
        rc = YQ_ERR; /* the county was checked: a missing row is a failed read */
    } else {
        json_object_set_new(r->out, "county_name", json_string(rows_str(mine, "county_name")));
        json_object_set(r->out, "county", mine);
        rc = money_over_time(db, r, true);
    }
    json_decref(counties);
    json_decref(totals);
    return rc;
}

json_t *dashboard_county(struct db *db, const struct actor *a, int year, const char *county,
                         struct problem *p)
{
    if (!year_ok(year, p)) return NULL;
    if (!county || !*county) {
        const char *one = NULL;
        const char *const *mine = NULL;
        if (!(a->role & ROLE_COUNTY_SCOPED) || actor_county_list(a, &one, &mine) != 1) {
            problem_set(p, YQ_EINVAL, "missing_field", "county_code", "请指定区县（county_code）");
            return NULL;
        }
        county = mine[0];
    }
    /* Another county's dashboard is as absent as another county's record. */
    int rc = strlen(county) > 12 ? YQ_ENOTFOUND : counties_exists(db, county);
    if (rc == YQ_OK && !actor_in_county(a, county)) rc = YQ_ENOTFOUND;
    if (rc == YQ_ENOTFOUND) {
        problem_set(p, YQ_ENOTFOUND, "not_found", "county_code", "区县不存在");
        return NULL;
    }
    if (rc != YQ_OK) {
        problem_db_error(p);
        return NULL;
    }
    const char *const list[1] = {county};
    struct row_scope s = {.counties = list, .ncounties = 1};
    struct dash_read r = {&s, year, NULL};
    json_t *out = read_dashboard(db, county_run, &r, p);
    if (out) json_object_set_new(out, "county_code", json_string(county));
    return out;
}

static int provider_run(struct db *db, void *ctx, struct problem *p)
{
    (void)p;
    struct dash_read *r = ctx;
    int rc = money_over_time(db, r, false);
    if (rc != YQ_OK) return rc;
    static const char *const keys[] = {
        "contracts", "vouchers", "voucher_amount_fen", "claims", "claim_fen", "paid_fen", NULL};
    json_t *months = json_object_get(r->out, "months"), *totals = json_object();
    for (int k = 0; keys[k]; k++)
        json_object_set_new(totals, keys[k], json_integer(column_sum(months, keys[k])));
    json_t *periods = json_object_get(r->out, "periods");
    json_object_set_new(totals, "approved_fen", json_integer(column_sum(periods, "approved_fen")));
    json_object_set_new(r->out, "totals", totals);
    return YQ_OK;
}

json_t *dashboard_provider(struct db *db, const struct actor *a, int year, struct problem *p)
{
    if (!year_ok(year, p)) return NULL;
    struct row_scope s = {.provider_user = a->user.id};
    struct dash_read r = {&s, year, NULL};
    return read_dashboard(db, provider_run, &r, p);
}

/* What a voucher can still pay: its amount less what was redeemed, while
 * it is live; nothing once it is redeemed, terminated or expired. */
static int64_t remaining_of(json_t *v)
{
    const char *status = rows_str(v, "status");
    if (strcmp(status, "issued") != 0 && strcmp(status, "partially_redeemed") != 0) return 0;
    int64_t left =
        member(v, "amount_fen") - member(v, "redeemed_fen") - member(v, "clawed_back_fen");
    return left > 0 ? left : 0;
}

static int enterprise_run(struct db *db, void *ctx, struct problem *p)
{
    (void)p;
    struct dash_read *r = ctx;
    json_t *vouchers = dashboards_vouchers(db, r->scope->enterprise_user);
    if (!vouchers) return YQ_ERR;
    size_t i;
    json_t *v;
    json_array_foreach(vouchers, i, v)
        json_object_set_new(v, "remaining_fen", json_integer(remaining_of(v)));
    static const char *const keys[] = {"amount_fen", "claimed_fen", "paid_fen", "remaining_fen",
                                       NULL};
    json_t *totals = json_pack("{s:I}", "vouchers", (json_int_t)json_array_size(vouchers));
    for (int k = 0; keys[k]; k++)
        json_object_set_new(totals, keys[k], json_integer(column_sum(vouchers, keys[k])));
    json_object_set_new(r->out, "vouchers", vouchers);
    json_object_set_new(r->out, "totals", totals);
    return YQ_OK;
}

json_t *dashboard_enterprise(struct db *db, const struct actor *a, struct problem *p)
{
    struct row_scope s = {.enterprise_user = a->user.id};
    struct dash_read r = {&s, 0, NULL};
    json_t *out = read_dashboard(db, enterprise_run, &r, p);
    if (out) json_object_del(out, "year");
    return out;
}
