/* County targets, the completion report and performance scores (see
 * targets.h). Writes run in one transaction each and audit every county
 * they change, with the values before and after. */
#include "service/targets.h"
#include "core/award.h"
#include "core/clock.h"
#include "core/roles.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/scope.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/rows.h"
#include "store/targets.h"
#include "store/users.h"

#include <stdio.h>
#include <string.h>

static bool year_ok(int year, struct problem *p)
{
    if (year >= 2000 && year <= 2100) return true;
    problem_set(p, YQ_EINVAL, "invalid_field", "year", "year 须为年度，例如 2019");
    return false;
}

static void scope_of(const struct actor *a, struct row_scope *s, const char **one)
{
    actor_row_scope(a, s, one);
    s->all = !(a->role & ROLE_COUNTY_SCOPED);
}

void targets_year_bounds(int year, int64_t *from_ms, int64_t *to_ms)
{
    char first[16], last[16];
    int32_t d0 = 0, d1 = 0;
    snprintf(first, sizeof first, "%04d-01-01", year);
    snprintf(last, sizeof last, "%04d-12-31", year);
    clock_parse_date(first, &d0);
    clock_parse_date(last, &d1);
    *from_ms = (int64_t)d0 * 86400000LL - CLOCK_CST_OFFSET_MIN * 60000LL;
    *to_ms = ((int64_t)d1 + 1) * 86400000LL - CLOCK_CST_OFFSET_MIN * 60000LL;
}

static json_t *with_year(json_t *r, int year, struct problem *p)
{
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    json_object_set_new(r, "year", json_integer(year));
    return r;
}

json_t *county_targets_get(struct db *db, const struct actor *a, int year, struct problem *p)
{
    if (!year_ok(year, p)) return NULL;
    struct row_scope s;
    const char *one;
    scope_of(a, &s, &one);
    return with_year(targets_year(db, &s, year), year, p);
}

/* A whole number member of an item, in [0, max]; null allowed when
 * `nullable` (*out = -1). */
static bool count_of(json_t *item, const char *key, const char *label, int64_t max, bool nullable,
                     int64_t *out, struct problem *p)
{
    json_t *v = json_object_get(item, key);
    if (nullable && (!v || json_is_null(v))) {
        *out = -1;
        return true;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max) {
        problem_set(p, YQ_EINVAL, v ? "invalid_field" : "missing_field", key,
                    "%s须为 0 至 %lld 的整数", label, (long long)max);
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

/* The items array of a body, each with a county that exists. */
static json_t *items_of(struct db *db, json_t *body, struct problem *p)
{
    json_t *items = json_object_get(body, "items");
    if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > 200) {
        problem_set(p, YQ_EINVAL, items ? "invalid_field" : "missing_field", "items",
                    "items 须为 1 至 200 个区县的列表");
        return NULL;
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *county = json_string_value(json_object_get(it, "county_code"));
        if (!json_is_object(it) || !county || counties_exists(db, county) != YQ_OK) {
            problem_set(p, YQ_EINVAL, "invalid_field", "county_code", "第 %zu 项的区县代码无效",
                        i + 1);
            return NULL;
        }
        /* A county twice would be set twice, the last silently winning. */
        for (size_t k = 0; k < i; k++)
            if (strcmp(county, json_string_value(json_object_get(json_array_get(items, k),
                                                                 "county_code"))) == 0) {
                problem_set(p, YQ_EINVAL, "duplicate_county", "county_code",
                            "第 %zu 项的区县 %s 与第 %zu 项重复，每个区县只能出现一次", i + 1,
                            county, k + 1);
                return NULL;
            }
    }
    return items;
}

struct targets_write {
    const struct actor *actor;
    int year;
    json_t *items;
    const char *reason;
};

static int targets_run(struct db *db, void *ctx, struct problem *p)
{
    struct targets_write *w = ctx;
    struct audit_actor who = actor_audit(w->actor);
    int64_t now = clock_now_ms();
    size_t i;
    json_t *it;
    json_array_foreach(w->items, i, it)
    {
        const char *county = json_string_value(json_object_get(it, "county_code"));
        struct county_target cur, next;
        int rc = targets_current(db, county, w->year, &cur);
        if (rc != YQ_OK) return rc;
        if (!count_of(it, "target", "目标数（target）", 1000000, false, &next.target, p) ||
            !count_of(it, "enterprise_count", "企业总数（enterprise_count）", 10000000, true,
                      &next.enterprise_count, p))
            return YQ_EINVAL;
        if (cur.version && cur.target == next.target &&
            cur.enterprise_count == next.enterprise_count)
            continue; /* unchanged: no new version */
        next.version = cur.version + 1;
        rc = targets_insert(db, county, w->year, &next, w->reason, w->actor->user.username, now);
        if (rc != YQ_OK) return rc;
        char entity[32];
        snprintf(entity, sizeof entity, "%s:%d", county, w->year);
        json_t *before = cur.version
                             ? json_pack("{s:I, s:I, s:I}", "version", (json_int_t)cur.version,
                                         "target", (json_int_t)cur.target, "enterprise_count",
                                         (json_int_t)cur.enterprise_count)
                             : NULL;
        json_t *after = json_pack("{s:I, s:I, s:I, s:s}", "version", (json_int_t)next.version,
                                  "target", (json_int_t)next.target, "enterprise_count",
                                  (json_int_t)next.enterprise_count, "reason", w->reason);
        rc = audit_append(db, &who, "county_target", entity, "set", before, after);
        json_decref(before);
        json_decref(after);
        if (rc != YQ_OK) return rc;
    }
    return YQ_OK;
}

json_t *county_targets_put(struct db *db, const struct actor *a, int year, json_t *body,
                           struct problem *p)
{
    if (!year_ok(year, p)) return NULL;
    const char *reason = json_string_value(json_object_get(body, "reason"));
    if (validate_text("reason", "调整原因", reason, 200, p) != YQ_OK) return NULL;
    json_t *items = items_of(db, body, p);
    if (!items) return NULL;
    struct targets_write w = {a, year, items, reason};
    if (service_tx(db, targets_run, &w, p) != YQ_OK) return NULL;
    return county_targets_get(db, a, year, p);
}

static json_t *rate_or_null(int64_t part, int64_t whole, bool known)
{
    return known && whole > 0 ? json_integer(award_rate_bp(part, whole)) : json_null();
}

int completion_rows(struct db *db, const struct row_scope *s, int year, json_t **out)
{
    int64_t from_ms, to_ms;
    targets_year_bounds(year, &from_ms, &to_ms);
    json_t *r = targets_completion(db, s, year, from_ms, to_ms);
    *out = r;
    if (!r) return YQ_ERR;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "items"), i, row)
    {
        json_t *target = json_object_get(row, "target"),
               *count = json_object_get(row, "enterprise_count");
        int64_t fresh = json_integer_value(json_object_get(row, "new_on_cloud"));
        int64_t total = json_integer_value(json_object_get(row, "on_cloud_total"));
        json_object_set_new(
            row, "completion_bp",
            rate_or_null(fresh, json_integer_value(target), json_is_integer(target)));
        json_object_set_new(row, "share_bp",
                            rate_or_null(total, json_integer_value(count), json_is_integer(count)));
        json_object_set_new(row, "paid_fen",
                            json_integer(json_integer_value(json_object_get(row, "paid_h1_fen")) +
                                         json_integer_value(json_object_get(row, "paid_h2_fen"))));
    }
    return YQ_OK;
}

int completion_report(struct db *db, const struct row_scope *s, int year, json_t **out)
{
    json_t *r = NULL;
    int rc = completion_rows(db, s, year, &r);
    *out = r;
    if (rc != YQ_OK) return rc;
    static const char *const summed[] = {"target",         "enterprise_count", "new_on_cloud",
                                         "on_cloud_total", "vouchers",         "voucher_amount_fen",
                                         "reserved_fen",   "paid_h1_fen",      "paid_h2_fen",
                                         "paid_fen",       "waitlist_count",   NULL};
    json_t *totals = json_object();
    bool all_targets = true, all_counts = true;
    for (int k = 0; summed[k]; k++) {
        int64_t sum = 0;
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(r, "items"), i, row)
        {
            json_t *v = json_object_get(row, summed[k]);
            if (!json_is_integer(v) && k == 0) all_targets = false;
            if (!json_is_integer(v) && k == 1) all_counts = false;
            sum += json_integer_value(v);
        }
        json_object_set_new(totals, summed[k], json_integer(sum));
    }
    /* A city rate needs every county's figure: a partial sum would mislead. */
    int64_t t = json_integer_value(json_object_get(totals, "target")),
            n = json_integer_value(json_object_get(totals, "enterprise_count"));
    json_object_set_new(
        totals, "completion_bp",
        rate_or_null(json_integer_value(json_object_get(totals, "new_on_cloud")), t, all_targets));
    json_object_set_new(
        totals, "share_bp",
        rate_or_null(json_integer_value(json_object_get(totals, "on_cloud_total")), n, all_counts));
    if (!all_targets) json_object_set_new(totals, "target", json_null());
    if (!all_counts) json_object_set_new(totals, "enterprise_count", json_null());
    json_object_set_new(totals, "plan_2020", json_integer(TARGETS_PLAN_2020));
    json_object_set_new(r, "totals", totals);
    return YQ_OK;
}

json_t *reports_completion(struct db *db, const struct actor *a, int year, struct problem *p)
{
    if (!year_ok(year, p)) return NULL;
    struct row_scope s;
    const char *one;
    scope_of(a, &s, &one);
    json_t *r = NULL;
    if (completion_report(db, &s, year, &r) != YQ_OK) {
        json_decref(r);
        problem_db_error(p);
        return NULL;
    }
    return with_year(r, year, p);
}

json_t *assessment_get(struct db *db, const struct actor *a, int year, struct problem *p)
{
    if (!year_ok(year, p)) return NULL;
    struct row_scope s;
    const char *one;
    scope_of(a, &s, &one);
    return with_year(scores_year(db, &s, year), year, p);
}

struct scores_write {
    const struct actor *actor;
    int year;
    json_t *items;
};

static int scores_run(struct db *db, void *ctx, struct problem *p)
{
    struct scores_write *w = ctx;
    struct audit_actor who = actor_audit(w->actor);
    size_t i;
    json_t *it;
    json_array_foreach(w->items, i, it)
    {
        const char *county = json_string_value(json_object_get(it, "county_code"));
        const char *note = json_string_value(json_object_get(it, "note"));
        int64_t score, before;
        if (!count_of(it, "score_hundredths", "绩效评分（score_hundredths，百分制乘以 100）", 10000,
                      false, &score, p))
            return YQ_EINVAL;
        if (json_object_get(it, "note") && !json_is_null(json_object_get(it, "note")) &&
            validate_text("note", "评分说明", note, 200, p) != YQ_OK)
            return YQ_EINVAL;
        int rc = scores_get(db, county, w->year, &before);
        if (rc != YQ_OK) return rc;
        if (before == score) continue;
        rc = scores_set(db, county, w->year, score, note, w->actor->user.username, clock_now_ms());
        if (rc != YQ_OK) return rc;
        char entity[32];
        snprintf(entity, sizeof entity, "%s:%d", county, w->year);
        json_t *b = before >= 0 ? json_pack("{s:I}", "score_hundredths", (json_int_t)before) : NULL;
        json_t *after =
            json_pack("{s:I, s:s?}", "score_hundredths", (json_int_t)score, "note", note);
        rc = audit_append(db, &who, "county_score", entity, "set", b, after);
        json_decref(b);
        json_decref(after);
        if (rc != YQ_OK) return rc;
    }
    return YQ_OK;
}

json_t *assessment_put(struct db *db, const struct actor *a, int year, json_t *body,
                       struct problem *p)
{
    if (!year_ok(year, p)) return NULL;
    json_t *items = items_of(db, body, p);
    if (!items) return NULL;
    struct scores_write w = {a, year, items};
    if (service_tx(db, scores_run, &w, p) != YQ_OK) return NULL;
    return assessment_get(db, a, year, p);
}
