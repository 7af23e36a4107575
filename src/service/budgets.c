/* County budgets (SPEC §6): funding by source, and the overview per
 * county and year. Funding a pool serves its waitlist at once. */
#include "core/clock.h"
#include "core/labels.h"
#include "core/period.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/contracts.h"
#include "service/vouchers.h"
#include "store/audit.h"
#include "store/ledger.h"
#include "service/scope.h"
#include "service/targets.h"
#include "service/tx.h"
#include "store/budgets.h"
#include "store/id.h"
#include "store/rows.h"
#include "store/targets.h"
#include "store/users.h"

#include <stdio.h>
#include <string.h>

static bool valid_source(const char *s)
{
    for (int i = 0; budget_sources[i]; i++)
        if (s && strcmp(s, budget_sources[i]) == 0) return true;
    return false;
}

/* One funding, in its transaction: booked once whatever the retries (the
 * transfer id comes from the whole reference, by its SHA-256), then the
 * county's waitlist is served from it. */
struct funding {
    const struct actor *actor;
    const char *county, *source, *reference;
    int year;
    int64_t amount;
};

static int fund_run(struct db *db, void *ctx, struct problem *p)
{
    struct funding *f = ctx;
    char ref_hash[65], transfer[160], from[64], to[64];
    id_sha256_hex(f->reference, strlen(f->reference), ref_hash);
    snprintf(transfer, sizeof transfer, "fund:%s:%d:%s:%s", f->county, f->year, f->source,
             ref_hash);
    snprintf(from, sizeof from, "source:%s", f->source);
    snprintf(to, sizeof to, "pool:%s:%d", f->county, f->year);
    bool booked = false;
    int rc = ledger_transfer_exists(db, transfer, &booked);
    if (rc == YQ_OK) rc = ledger_open_source(db, f->source);
    if (rc == YQ_OK) rc = ledger_open_pool(db, f->county, f->year);
    if (rc == YQ_OK) rc = ledger_transfer(db, transfer, from, to, f->amount, f->reference);
    if (rc == YQ_ECONFLICT)
        return problem_set(p, YQ_ECONFLICT, "reference_used", "reference",
                           "该凭证号已用于另一笔不同金额的拨款");
    if (rc != YQ_OK) return rc;
    /* The same funding sent again books nothing and logs nothing. */
    if (booked) return YQ_OK;
    struct audit_actor who = actor_audit(f->actor);
    json_t *after =
        json_pack("{s:s, s:i, s:s, s:I, s:s}", "county", f->county, "year", f->year, "source",
                  f->source, "amount_fen", (json_int_t)f->amount, "reference", f->reference);
    rc = audit_append(db, &who, "budget", to, "fund", NULL, after);
    json_decref(after);
    if (rc == YQ_OK) rc = vouchers_serve_waitlist(db, f->actor, f->county, f->year);
    return rc;
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
        problem_set(
            p, YQ_EINVAL, "invalid_field", "source",
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
    struct funding f = {a, county, source, reference, year, json_integer_value(amount)};
    if (service_tx(db, fund_run, &f, p) != YQ_OK) return NULL;
    /* The answer is the funded county's row: read that county alone
     * rather than every county in the caller's scope. */
    const char *only[1] = {county};
    struct row_scope scope = {.all = false, .counties = only, .ncounties = 1};
    json_t *r = budgets_year(db, &scope, year);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    json_t *mine = json_incref(json_array_get(json_object_get(r, "items"), 0));
    json_decref(r);
    return mine ? mine : json_object();
}

json_t *budgets_transfers(struct db *db, const struct actor *a, const char *account, int64_t offset,
                          int64_t limit, struct problem *p)
{
    /* A county's officials see what their county booked and paid: the
     * transfers of its pools and of its paid account. */
    const char *county = a->role & ROLE_COUNTY_SCOPED ? a->user.county_code : NULL;
    if (account && strlen(account) > 96) {
        problem_set(p, YQ_EINVAL, "invalid_field", "account", "account 不能超过 96 个字符");
        return NULL;
    }
    json_t *r = ledger_transfers_list(db, account, county, offset, limit);
    if (!r) problem_db_error(p);
    return r;
}

json_t *budgets_overview(struct db *db, const struct actor *a, int year, struct problem *p)
{
    if (year < 2000 || year > 2100) {
        problem_set(p, YQ_EINVAL, "invalid_field", "year", "year 须为年度，例如 2019");
        return NULL;
    }
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    scope.all = !(a->role & ROLE_COUNTY_SCOPED);
    json_t *r = budgets_year(db, &scope, year);
    if (!r) {
        problem_db_error(p);
        return NULL;
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
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    scope.all = !(a->role & ROLE_COUNTY_SCOPED);
    int64_t from_ms, to_ms;
    targets_year_bounds(year, &from_ms, &to_ms);
    json_t *r = budgets_progress(db, &scope, year, from_ms, to_ms);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "items"), i, row)
    {
        /* The year's current target (附件3 for 2018, city_it's for others). */
        struct county_target t;
        if (targets_current(db, rows_str(row, "county_code"), year, &t) != YQ_OK) {
            json_decref(r);
            problem_db_error(p);
            return NULL;
        }
        json_object_del(row, "target_2018");
        json_object_set_new(row, "target", t.version ? json_integer(t.target) : json_null());
    }
    json_object_set_new(r, "year", json_integer(year));
    return r;
}

/* The fundings' read: county roles see their own county (or counties),
 * city-wide readers every county or the one they ask for. */
struct fundings_read {
    const struct actor *actor;
    const char *county;
    int year;
    json_t *out;
};

static int fundings_run(struct db *db, void *ctx, struct problem *p)
{
    struct fundings_read *f = ctx;
    struct row_scope scope;
    const char *one;
    actor_row_scope(f->actor, &scope, &one);
    scope.all = !(f->actor->role & ROLE_COUNTY_SCOPED);
    const char *only[1] = {f->county};
    if (f->county) {
        int rc = counties_exists(db, f->county);
        if (rc == YQ_ENOTFOUND)
            return problem_set(p, YQ_EINVAL, "invalid_field", "county", "区县不存在：%s",
                               f->county);
        if (rc != YQ_OK) return rc;
        bool mine = scope.all;
        for (int i = 0; !mine && i < scope.ncounties; i++)
            mine = strcmp(scope.counties[i], f->county) == 0;
        /* Another county than one's own: nothing to see. */
        scope.all = false;
        scope.counties = only;
        scope.ncounties = mine ? 1 : 0;
    }
    f->out = budgets_fundings(db, &scope, f->year);
    if (!f->out) return problem_db_error(p);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(f->out, "items"), i, row)
    {
        json_object_set_new(row, "source_name",
                            json_string(label_fund_source(rows_str(row, "source"))));
    }
    return YQ_OK;
}

json_t *budgets_fundings_list(struct db *db, const struct actor *a, int year, const char *county,
                              struct problem *p)
{
    if (county && !county[0]) county = NULL;
    if (county && strlen(county) > 32) {
        problem_set(p, YQ_EINVAL, "invalid_field", "county", "区县代码不能超过 32 个字符");
        return NULL;
    }
    struct fundings_read f = {a, county, year, NULL};
    if (service_read(db, fundings_run, &f, p) != YQ_OK) {
        json_decref(f.out);
        return NULL;
    }
    json_object_set_new(f.out, "year", json_integer(year));
    return f.out;
}

json_t *reports_payments(struct db *db, const struct actor *a, const char *period,
                         struct problem *p)
{
    struct period per;
    char text[PERIOD_TEXT_LEN + 1];
    if (!period || !period[0]) {
        problem_set(p, YQ_EINVAL, "missing_field", "period", "请给出兑现周期 period，例如 2019H1");
        return NULL;
    }
    if (period_parse(period, &per) != YQ_OK || period_format(per, text) != YQ_OK) {
        problem_set(p, YQ_EINVAL, "invalid_field", "period",
                    "period 须为半年度兑现周期，例如 2019H1 或 2019H2");
        return NULL;
    }
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    scope.all = !(a->role & ROLE_COUNTY_SCOPED);
    json_t *r = budgets_period_paid(db, &scope, text);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    char name[32];
    snprintf(name, sizeof name, "%d年%s半年", per.year, per.half == 1 ? "上" : "下");
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "items"), i, row)
        json_object_set_new(row, "period", json_string(text));
    json_object_set_new(r, "period", json_string(text));
    json_object_set_new(r, "period_name", json_string(name));
    return r;
}
