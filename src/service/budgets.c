/* County budgets (SPEC §6): funding by source, and the overview per
 * county and year. Funding a pool serves its waitlist at once. */
#include "core/clock.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/contracts.h"
#include "service/vouchers.h"
#include "store/audit.h"
#include "store/ledger.h"
#include "store/rows.h"
#include "store/users.h"

#include <stdio.h>
#include <string.h>

static const char *const sources[] = {"county", "city_award", "province_award", NULL};

static bool valid_source(const char *s)
{
    for (int i = 0; sources[i]; i++)
        if (s && strcmp(s, sources[i]) == 0) return true;
    return false;
}

json_t *budgets_fund(struct db *db, const struct actor *a, const char *county, int year,
                     json_t *body, struct problem *p)
{
    static const char *const fields[] = {"amount_fen", "source", "reference", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        bool known = false;
        for (int i = 0; fields[i]; i++)
            if (strcmp(fields[i], key) == 0) known = true;
        if (!known) {
            problem_set(p, YQ_EINVAL, "unknown_field", key, "未知字段：%s", key);
            return NULL;
        }
    }
    json_t *amount = json_object_get(body, "amount_fen");
    const char *source = json_string_value(json_object_get(body, "source"));
    const char *reference = json_string_value(json_object_get(body, "reference"));
    if (!json_is_integer(amount) || json_integer_value(amount) <= 0 ||
        json_integer_value(amount) > 100000000000LL) {
        problem_set(p, YQ_EINVAL, amount ? "invalid_field" : "missing_field", "amount_fen",
                    "金额须为正整数（单位：分）");
        return NULL;
    }
    if (!valid_source(source)) {
        problem_set(p, YQ_EINVAL, "invalid_field", "source",
                    "资金来源须为 county（县级财政）、city_award（市级奖补）或 province_award（省级奖补）");
        return NULL;
    }
    if (validate_text("reference", "拨款文号或凭证号", reference, 64, p) != YQ_OK) return NULL;
    if (year < 2000 || year > 2100) {
        problem_set(p, YQ_EINVAL, "invalid_field", "year", "年度无效");
        return NULL;
    }
    /* County finance funds its own county; the city brings awards. */
    if ((a->role & ROLE_COUNTY_FINANCE) && strcmp(a->user.county_code, county) != 0) {
        problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "区县不存在");
        return NULL;
    }
    if ((a->role & ROLE_CITY_FINANCE) && strcmp(source, "county") == 0) {
        problem_set(p, YQ_EINVAL, "invalid_field", "source", "市财政局只能拨付市级或省级奖补资金");
        return NULL;
    }
    if (counties_exists(db, county) != YQ_OK) {
        problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "区县不存在");
        return NULL;
    }
    char transfer[256], from[64], to[64];
    snprintf(transfer, sizeof transfer, "fund:%s:%d:%s:%s", county, year, source, reference);
    snprintf(from, sizeof from, "source:%s", source);
    snprintf(to, sizeof to, "pool:%s:%d", county, year);
    if (db_begin(db, true) != YQ_OK) {
        problem_set(p, YQ_EBUSY, "busy", NULL, "系统繁忙，请稍后再试");
        return NULL;
    }
    int64_t booked = 0;
    int rc = rows_int(db, &booked, "SELECT COUNT(*) FROM ledger_transfers WHERE id = ?", "t",
                      transfer);
    if (rc == YQ_OK) rc = ledger_open_source(db, source);
    if (rc == YQ_OK) rc = ledger_open_pool(db, county, year);
    if (rc == YQ_OK)
        rc = ledger_transfer(db, transfer, from, to, json_integer_value(amount), reference);
    if (rc == YQ_ECONFLICT) {
        db_rollback(db);
        problem_set(p, YQ_ECONFLICT, "reference_used", "reference",
                    "该凭证号已用于另一笔不同金额的拨款");
        return NULL;
    }
    struct audit_actor who = actor_audit(a);
    json_t *after = json_pack("{s:s, s:i, s:s, s:O, s:s}", "county", county, "year", year,
                              "source", source, "amount_fen", amount, "reference", reference);
    /* The same funding sent again books nothing and logs nothing. */
    if (rc == YQ_OK && !booked) rc = audit_append(db, &who, "budget", to, "fund", NULL, after);
    json_decref(after);
    if (rc == YQ_OK) rc = vouchers_serve_waitlist(db, a, county, year);
    if (rc != YQ_OK || db_commit(db) != YQ_OK) {
        db_rollback(db);
        problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
        return NULL;
    }
    json_t *overview = budgets_overview(db, a, year, p);
    json_t *mine = NULL;
    size_t i;
    json_array_foreach(json_object_get(overview, "items"), i, v)
        if (strcmp(json_string_value(json_object_get(v, "county_code")), county) == 0)
            mine = json_incref(v);
    json_decref(overview);
    return mine ? mine : json_object();
}

json_t *budgets_overview(struct db *db, const struct actor *a, int year, struct problem *p)
{
    if (year < 2000 || year > 2100) {
        problem_set(p, YQ_EINVAL, "invalid_field", "year", "year 须为年度，例如 2019");
        return NULL;
    }
    struct rows_where w;
    rows_where_init(&w);
    const char *one, *const *counties;
    if (a->role & ROLE_COUNTY_SCOPED) {
        int n = actor_county_list(a, &one, &counties);
        rows_where_in(&w, "c.code", counties, n);
    }
    char from[256];
    /* The year is an integer we formatted, not text from the request. */
    snprintf(from, sizeof from,
             "FROM counties c LEFT JOIN ledger_accounts a ON a.id = 'pool:' || c.code || ':%d'",
             year);
    json_t *r = rows_page(
        db,
        "c.code AS county_code, c.name AS county_name, c.target_2018,"
        " COALESCE(a.credits_posted, 0) AS funded_fen,"
        " COALESCE(a.debits_pending, 0) AS reserved_fen,"
        " COALESCE(a.debits_posted, 0) AS posted_fen,"
        " COALESCE(a.credits_posted - a.debits_posted - a.debits_pending, 0) AS available_fen",
        from, &w, "c.code", 0, 200);
    rows_where_cleanup(&w);
    if (!r) {
        problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
        return NULL;
    }
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "items"), i, row)
    {
        const char *county = json_string_value(json_object_get(row, "county_code"));
        char pool[64];
        snprintf(pool, sizeof pool, "pool:%s:%d", county, year);
        json_t *by_source = json_object();
        for (int k = 0; sources[k]; k++) {
            char src[64];
            snprintf(src, sizeof src, "source:%s", sources[k]);
            int64_t sum = 0;
            rows_int(db, &sum, "SELECT SUM(amount_fen) FROM ledger_transfers WHERE"
                               " debit_account = ? AND credit_account = ? AND kind = 'plain'",
                     "tt", src, pool);
            json_object_set_new(by_source, sources[k], json_integer(sum));
        }
        json_object_set_new(row, "funded_by_source", by_source);
        int64_t paid = 0, waiting = 0, waiting_fen = 0, vouchers = 0;
        char paid_account[64];
        snprintf(paid_account, sizeof paid_account, "paid:%s", county);
        rows_int(db, &paid, "SELECT SUM(t.amount_fen) FROM ledger_transfers t JOIN vouchers v ON"
                            " t.debit_account = 'voucher:' || v.id WHERE t.credit_account = ?"
                            " AND v.issue_year = ?", "ti", paid_account, (int64_t)year);
        rows_int(db, &waiting, "SELECT COUNT(*) FROM waitlist WHERE county_code = ? AND year = ?"
                               " AND status = 'waiting'", "ti", county, (int64_t)year);
        rows_int(db, &waiting_fen, "SELECT SUM(amount_fen) FROM waitlist WHERE county_code = ?"
                                   " AND year = ? AND status = 'waiting'", "ti", county, (int64_t)year);
        rows_int(db, &vouchers, "SELECT COUNT(*) FROM vouchers WHERE county_code = ? AND"
                                " issue_year = ?", "ti", county, (int64_t)year);
        json_object_set_new(row, "paid_fen", json_integer(paid));
        json_object_set_new(row, "waitlist_count", json_integer(waiting));
        json_object_set_new(row, "waitlist_fen", json_integer(waiting_fen));
        json_object_set_new(row, "vouchers", json_integer(vouchers));
    }
    json_object_set_new(r, "year", json_integer(year));
    return r;
}

json_t *reports_county_progress(struct db *db, const struct actor *a, int year, struct problem *p)
{
    if (year < 2000 || year > 2100) {
        problem_set(p, YQ_EINVAL, "invalid_field", "year", "year 须为年度，例如 2019");
        return NULL;
    }
    struct rows_where w;
    rows_where_init(&w);
    const char *one, *const *counties;
    if (a->role & ROLE_COUNTY_SCOPED) {
        int n = actor_county_list(a, &one, &counties);
        rows_where_in(&w, "c.code", counties, n);
    }
    char first[16], last[16];
    snprintf(first, sizeof first, "%04d-01-01", year);
    snprintf(last, sizeof last, "%04d-12-31", year);
    /* 上云企业: enterprises with a contract for catalog services confirmed
     * in the year (counted once, whatever the number of contracts). */
    json_t *r = rows_page(db, "c.code AS county_code, c.name AS county_name, c.target_2018",
                          "FROM counties c", &w, "c.code", 0, 200);
    rows_where_cleanup(&w);
    if (!r) {
        problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
        return NULL;
    }
    /* The year in China time, as instants. */
    int32_t d0, d1;
    clock_parse_date(first, &d0);
    clock_parse_date(last, &d1);
    int64_t from_ms = (int64_t)d0 * 86400000LL - CLOCK_CST_OFFSET_MIN * 60000LL;
    int64_t to_ms = ((int64_t)d1 + 1) * 86400000LL - CLOCK_CST_OFFSET_MIN * 60000LL;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "items"), i, row)
    {
        const char *county = json_string_value(json_object_get(row, "county_code"));
        int64_t on_cloud = 0, vouchers = 0, amount = 0;
        rows_int(db, &on_cloud,
                 "SELECT COUNT(DISTINCT enterprise_id) FROM contracts WHERE county_code = ? AND"
                 " status = 'confirmed' AND base_fen > 0 AND confirmed_at >= ? AND confirmed_at < ?",
                 "tii", county, from_ms, to_ms);
        rows_int(db, &vouchers, "SELECT COUNT(*) FROM vouchers WHERE county_code = ? AND"
                                " issue_year = ?", "ti", county, (int64_t)year);
        rows_int(db, &amount, "SELECT SUM(amount_fen) FROM vouchers WHERE county_code = ? AND"
                              " issue_year = ? AND status IN ('issued', 'partially_redeemed',"
                              " 'redeemed')", "ti", county, (int64_t)year);
        json_t *target = year == 2018 ? json_incref(json_object_get(row, "target_2018"))
                                      : json_null();
        json_object_del(row, "target_2018");
        json_object_set_new(row, "target", target);
        json_object_set_new(row, "enterprises_on_cloud", json_integer(on_cloud));
        json_object_set_new(row, "vouchers", json_integer(vouchers));
        json_object_set_new(row, "voucher_amount_fen", json_integer(amount));
    }
    json_object_set_new(r, "year", json_integer(year));
    return r;
}
