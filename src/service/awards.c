/* Award allocations and recipients (see awards.h). The preview and the
 * posting compute the shares the same way (core/award.c) from the
 * completion figures and the scores; posting reads them inside its own
 * transaction, so what is booked is what the figures were at that moment. */
#include "service/awards.h"
#include "core/award.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/status.h"
#include "core/uscc.h"
#include "core/validate.h"
#include "service/targets.h"
#include "service/tx.h"
#include "service/vouchers.h"
#include "store/audit.h"
#include "store/awards.h"
#include "store/id.h"
#include "store/ledger.h"
#include "store/rows.h"
#include "store/targets.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CITY_ACCOUNT "source:city_award"

/* Pool, weights and reference of a body onto `al` (members left out keep
 * their values unless `all` is set). */
static bool parse_allocation(json_t *body, bool all, struct award_allocation *al, struct problem *p)
{
    json_t *pool = json_object_get(body, "pool_fen");
    if (pool || all) {
        if (!json_is_integer(pool) || json_integer_value(pool) <= 0 ||
            json_integer_value(pool) > AWARD_POOL_MAX) {
            problem_set(p, YQ_EINVAL, pool ? "invalid_field" : "missing_field", "pool_fen",
                        "奖补资金总额（pool_fen）须为正整数（单位：分），不超过 10 亿元");
            return false;
        }
        al->pool_fen = json_integer_value(pool);
    }
    json_t *weights = json_object_get(body, "weights");
    if (weights || all) {
        int64_t sum = 0;
        if (!json_is_object(weights) || json_object_size(weights) != AWARD_MEASURES) {
            problem_set(
                p, YQ_EINVAL, weights ? "invalid_field" : "missing_field", "weights",
                "权重（weights）须列出 completion、penetration、disbursed、performance 四项");
            return false;
        }
        for (int m = 0; m < AWARD_MEASURES; m++) {
            json_t *w = json_object_get(weights, award_measure_name(m));
            if (!json_is_integer(w) || json_integer_value(w) < 0 ||
                json_integer_value(w) > AWARD_WEIGHT_TOTAL) {
                problem_set(p, YQ_EINVAL, "invalid_field", "weights",
                            "权重 %s 须为 0 至 100 的整数", award_measure_name(m));
                return false;
            }
            al->weight[m] = json_integer_value(w);
            sum += al->weight[m];
        }
        if (sum != AWARD_WEIGHT_TOTAL) {
            problem_set(p, YQ_EINVAL, "invalid_field", "weights",
                        "权重（weights）合计须为 100，现为 %lld", (long long)sum);
            return false;
        }
    }
    const char *reference = json_string_value(json_object_get(body, "reference"));
    if (reference || all) {
        if (validate_text("reference", "奖补文号（reference）", reference, 64, p) != YQ_OK)
            return false;
        rows_copy(al->reference, sizeof al->reference, reference);
    }
    return true;
}

/* The shares of an allocation from the figures now: items per county and
 * whether anything can be allocated (not when every score is zero). */
static int compute(struct db *db, const struct award_allocation *al, json_t **items_out,
                   bool *allocatable)
{
    struct row_scope all = {.all = true};
    json_t *r = NULL;
    *items_out = NULL;
    int rc = completion_rows(db, &all, al->year, &r);
    if (rc != YQ_OK) {
        json_decref(r);
        return rc;
    }
    json_t *rows = json_object_get(r, "items");
    size_t n = json_array_size(rows), i;
    struct award_county *c = yq_calloc(n ? n : 1, sizeof *c);
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int64_t score = -1;
        rows_copy(c[i].code, sizeof c[i].code, rows_str(row, "county_code"));
        c[i].measure[AWARD_COMPLETION] = json_integer_value(json_object_get(row, "completion_bp"));
        c[i].measure[AWARD_PENETRATION] = json_integer_value(json_object_get(row, "share_bp"));
        c[i].measure[AWARD_DISBURSED] = json_integer_value(json_object_get(row, "paid_fen"));
        if ((rc = scores_get(db, c[i].code, al->year, &score)) != YQ_OK) goto out;
        json_object_set_new(row, "score_hundredths",
                            score >= 0 ? json_integer(score) : json_null());
        c[i].measure[AWARD_PERFORMANCE] = score > 0 ? score : 0;
    }
    rc = award_allocate(c, n, al->weight, al->pool_fen);
    *allocatable = rc == YQ_OK;
    if (rc == YQ_ELIMIT) rc = YQ_OK;
    if (rc != YQ_OK) goto out;
    json_t *items = json_array();
    json_array_foreach(rows, i, row)
    {
        json_t *normalised = json_object();
        for (int m = 0; m < AWARD_MEASURES; m++)
            json_object_set_new(normalised, award_measure_name(m),
                                json_integer(c[i].normalised[m]));
        json_t *measures = json_pack(
            "{s:O, s:O, s:O, s:O, s:O, s:O}", "new_on_cloud", json_object_get(row, "new_on_cloud"),
            "target", json_object_get(row, "target"), "completion_bp",
            json_object_get(row, "completion_bp"), "share_bp", json_object_get(row, "share_bp"),
            "paid_fen", json_object_get(row, "paid_fen"), "score_hundredths",
            json_object_get(row, "score_hundredths"));
        json_array_append_new(
            items, json_pack("{s:s, s:O, s:o, s:o, s:I, s:I}", "county_code", c[i].code,
                             "county_name", json_object_get(row, "county_name"), "measures",
                             measures, "normalised", normalised, "score", (json_int_t)c[i].score,
                             "share_fen", (json_int_t)c[i].share_fen));
    }
    *items_out = items;
out:
    free(c);
    json_decref(r);
    return rc;
}

/* The allocation's row with its items and whether it can be posted. */
static json_t *render(struct db *db, const char *id, json_t *items, bool allocatable,
                      struct problem *p)
{
    json_t *row = NULL;
    int rc = awards_row(db, id, &row);
    if (rc != YQ_OK) {
        json_decref(items);
        if (rc == YQ_ENOTFOUND)
            problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "奖补分配不存在");
        else
            problem_db_error(p);
        return NULL;
    }
    json_object_set_new(row, "items", items);
    json_object_set_new(row, "allocatable", json_boolean(allocatable));
    if (!allocatable)
        json_object_set_new(
            row, "note",
            json_string(
                "所有区县按所选权重得分均为零，没有可分配的依据：请调整权重或录入绩效评分"));
    return row;
}

struct preview {
    const char *id;
    json_t *result;
};

static int preview_run(struct db *db, void *ctx, struct problem *p)
{
    struct preview *v = ctx;
    struct award_allocation al;
    int rc = awards_get(db, v->id, &al);
    if (rc == YQ_ENOTFOUND) return problem_set(p, rc, "not_found", NULL, "奖补分配不存在");
    if (rc != YQ_OK) return rc;
    json_t *items = NULL;
    bool allocatable = true;
    if (al.posted) {
        items = awards_shares(db, al.id);
        if (!items) return YQ_ERR;
    } else if ((rc = compute(db, &al, &items, &allocatable)) != YQ_OK)
        return rc;
    v->result = render(db, al.id, items, allocatable, p);
    return v->result ? YQ_OK : YQ_ERR;
}

json_t *awards_preview(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    struct preview v = {id, NULL};
    if (service_read(db, preview_run, &v, p) != YQ_OK) {
        json_decref(v.result);
        return NULL;
    }
    return v.result;
}

struct allocation_write {
    const struct actor *actor;
    struct award_allocation al;
    json_t *body;
    bool create, already;
};

static int allocation_run(struct db *db, void *ctx, struct problem *p)
{
    struct allocation_write *w = ctx;
    struct audit_actor who = actor_audit(w->actor);
    int64_t now = clock_now_ms();
    int rc;
    json_t *before = NULL;
    if (w->create) {
        rc = awards_insert(db, &w->al, w->actor->user.username, now);
    } else {
        if ((rc = awards_get(db, w->al.id, &w->al)) == YQ_ENOTFOUND)
            return problem_set(p, rc, "not_found", NULL, "奖补分配不存在");
        if (rc != YQ_OK) return rc;
        if (w->al.posted)
            return problem_set(p, YQ_ECONFLICT, "already_posted", NULL,
                               "该奖补分配已拨付入账，不能再修改");
        before = json_pack("{s:I, s:s}", "pool_fen", (json_int_t)w->al.pool_fen, "reference",
                           w->al.reference);
        if (!parse_allocation(w->body, false, &w->al, p)) {
            json_decref(before);
            return YQ_EINVAL;
        }
        rc = awards_update_draft(db, &w->al, w->actor->user.username, now);
    }
    if (rc == YQ_OK) {
        json_t *after =
            json_pack("{s:i, s:I, s:[I,I,I,I], s:s}", "year", w->al.year, "pool_fen",
                      (json_int_t)w->al.pool_fen, "weights", (json_int_t)w->al.weight[0],
                      (json_int_t)w->al.weight[1], (json_int_t)w->al.weight[2],
                      (json_int_t)w->al.weight[3], "reference", w->al.reference);
        rc = audit_append(db, &who, "award_allocation", w->al.id, w->create ? "create" : "update",
                          before, after);
        json_decref(after);
    }
    json_decref(before);
    return rc;
}

json_t *awards_create(struct db *db, const struct actor *a, json_t *body, struct problem *p)
{
    struct allocation_write w = {.actor = a, .create = true};
    json_t *year = json_object_get(body, "year");
    if (!json_is_integer(year) || json_integer_value(year) < 2000 ||
        json_integer_value(year) > 2100) {
        problem_set(p, YQ_EINVAL, year ? "invalid_field" : "missing_field", "year",
                    "年度（year）须为 2000 至 2100 的整数");
        return NULL;
    }
    w.al.year = (int)json_integer_value(year);
    if (!parse_allocation(body, true, &w.al, p)) return NULL;
    id_new(w.al.id);
    if (service_tx(db, allocation_run, &w, p) != YQ_OK) return NULL;
    return awards_preview(db, a, w.al.id, p);
}

json_t *awards_patch(struct db *db, const struct actor *a, const char *id, json_t *body,
                     struct problem *p)
{
    if (json_object_get(body, "year")) {
        problem_set(p, YQ_EINVAL, "invalid_field", "year", "年度不能修改，请新建奖补分配");
        return NULL;
    }
    struct allocation_write w = {.actor = a, .body = body};
    rows_copy(w.al.id, sizeof w.al.id, id);
    if (service_tx(db, allocation_run, &w, p) != YQ_OK) return NULL;
    return awards_preview(db, a, id, p);
}

json_t *awards_allocations(struct db *db, const struct actor *a, int year, struct problem *p)
{
    json_t *r = awards_list(db, year);
    if (!r) problem_db_error(p);
    return r;
}

static int post_run(struct db *db, void *ctx, struct problem *p)
{
    struct allocation_write *w = ctx;
    struct award_allocation *al = &w->al;
    int rc = awards_get(db, al->id, al);
    if (rc == YQ_ENOTFOUND) return problem_set(p, rc, "not_found", NULL, "奖补分配不存在");
    if (rc != YQ_OK) return rc;
    if (al->posted) {
        w->already = true; /* booked once: the second answer says so */
        return YQ_OK;
    }
    json_t *items = NULL, *it, *shares = json_object();
    bool allocatable = true;
    size_t i;
    if ((rc = compute(db, al, &items, &allocatable)) != YQ_OK) goto out;
    if (!allocatable) {
        rc =
            problem_set(p, YQ_EINVAL, "nothing_to_allocate", "weights",
                        "所有区县按所选权重得分均为零，没有可分配的依据：请调整权重或录入绩效评分");
        goto out;
    }
    if ((rc = ledger_open_source(db, "city_award")) != YQ_OK) goto out;
    json_array_foreach(items, i, it)
    {
        const char *county = rows_str(it, "county_code");
        int64_t share = json_integer_value(json_object_get(it, "share_fen"));
        char transfer[128], pool[64];
        /* The id comes from the allocation: a retry finds it booked. */
        snprintf(transfer, sizeof transfer, "award:%s:%s", al->id, county);
        snprintf(pool, sizeof pool, "pool:%s:%d", county, al->year);
        json_t *m = json_pack("{s:O, s:O}", "measures", json_object_get(it, "measures"),
                              "normalised", json_object_get(it, "normalised"));
        if (share > 0 && ((rc = ledger_open_pool(db, county, al->year)) != YQ_OK ||
                          (rc = ledger_transfer(db, transfer, CITY_ACCOUNT, pool, share,
                                                al->reference)) != YQ_OK)) {
            json_decref(m);
            goto out;
        }
        rc = awards_share_insert(db, al->id, county, m,
                                 json_integer_value(json_object_get(it, "score")), share,
                                 share > 0 ? transfer : NULL);
        json_decref(m);
        if (rc != YQ_OK) goto out;
        json_object_set_new(shares, county, json_integer(share));
    }
    if ((rc = awards_mark_posted(db, al->id, w->actor->user.username, clock_now_ms())) != YQ_OK)
        goto out;
    struct audit_actor who = actor_audit(w->actor);
    json_t *after = json_pack("{s:s, s:i, s:I, s:O}", "status", "posted", "year", al->year,
                              "pool_fen", (json_int_t)al->pool_fen, "shares_fen", shares);
    json_t *before = json_pack("{s:s}", "status", "draft");
    rc = audit_append(db, &who, "award_allocation", al->id, "post", before, after);
    json_decref(before);
    json_decref(after);
    /* New money in a pool serves its county's waitlist, as funding does. */
    json_array_foreach(items, i, it)
    {
        if (rc != YQ_OK) break;
        if (json_integer_value(json_object_get(it, "share_fen")) > 0)
            rc = vouchers_serve_waitlist(db, w->actor, rows_str(it, "county_code"), al->year);
    }
out:
    json_decref(items);
    json_decref(shares);
    return rc;
}

json_t *awards_post(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    struct allocation_write w = {.actor = a};
    rows_copy(w.al.id, sizeof w.al.id, id);
    if (service_tx(db, post_run, &w, p) != YQ_OK) return NULL;
    json_t *r = awards_preview(db, a, id, p);
    if (r) json_object_set_new(r, "already_posted", json_boolean(w.already));
    return r;
}

static const char *const recipient_kinds[] = {"benchmark_enterprise", "experience_centre", NULL};

struct recipient_write {
    const struct actor *actor;
    json_t *row;
    const char *id, *reference;
    bool already;
};

static int recipient_create_run(struct db *db, void *ctx, struct problem *p)
{
    struct recipient_write *w = ctx;
    int rc = awards_recipient_insert(db, w->row);
    if (rc != YQ_OK) return rc;
    struct audit_actor who = actor_audit(w->actor);
    return audit_append(db, &who, "award_recipient", w->id, "record", NULL, w->row);
}

json_t *awards_recipient_create(struct db *db, const struct actor *a, json_t *body,
                                struct problem *p)
{
    const char *kind = json_string_value(json_object_get(body, "kind"));
    const char *county = json_string_value(json_object_get(body, "county_code"));
    const char *name = json_string_value(json_object_get(body, "name"));
    const char *reason = json_string_value(json_object_get(body, "reason"));
    json_t *year = json_object_get(body, "year"), *amount = json_object_get(body, "amount_fen");
    json_t *uscc_v = json_object_get(body, "uscc");
    char uscc[USCC_LEN + 1] = "";
    bool known = false;
    for (int i = 0; kind && recipient_kinds[i]; i++)
        if (strcmp(kind, recipient_kinds[i]) == 0) known = true;
    if (!known) {
        problem_set(
            p, YQ_EINVAL, kind ? "invalid_field" : "missing_field", "kind",
            "类别（kind）须为 benchmark_enterprise（标杆企业）或 experience_centre（体验中心）");
        return NULL;
    }
    if (!json_is_integer(year) || json_integer_value(year) < 2000 ||
        json_integer_value(year) > 2100) {
        problem_set(p, YQ_EINVAL, year ? "invalid_field" : "missing_field", "year",
                    "年度（year）须为 2000 至 2100 的整数");
        return NULL;
    }
    if (!county || counties_exists(db, county) != YQ_OK) {
        problem_set(p, YQ_EINVAL, county ? "invalid_field" : "missing_field", "county_code",
                    "区县代码（county_code）无效");
        return NULL;
    }
    if (validate_text("name", "名称（name）", name, 100, p) != YQ_OK ||
        validate_text("reason", "奖励事由（reason）", reason, 200, p) != YQ_OK)
        return NULL;
    if (uscc_v && !json_is_null(uscc_v) &&
        uscc_validate("uscc", json_string_value(uscc_v), uscc, p) != YQ_OK)
        return NULL;
    if (!json_is_integer(amount) || json_integer_value(amount) <= 0 ||
        json_integer_value(amount) > AWARD_POOL_MAX) {
        problem_set(p, YQ_EINVAL, amount ? "invalid_field" : "missing_field", "amount_fen",
                    "奖励金额（amount_fen）须为正整数（单位：分）");
        return NULL;
    }
    char id[ID_LEN + 1];
    id_new(id);
    json_t *row = json_pack("{s:s, s:s, s:O, s:s, s:s, s:s, s:O, s:s, s:s, s:I}", "id", id, "kind",
                            kind, "year", year, "county_code", county, "name", name, "reason",
                            reason, "amount_fen", amount, "status", "recorded", "recorded_by",
                            a->user.username, "recorded_at", (json_int_t)clock_now_ms());
    if (uscc[0]) json_object_set_new(row, "uscc", json_string(uscc));
    struct recipient_write w = {a, row, id, NULL, false};
    int rc = service_tx(db, recipient_create_run, &w, p);
    json_decref(row);
    if (rc != YQ_OK) return NULL;
    json_t *out = NULL;
    if (awards_recipient_get(db, id, &out) != YQ_OK) {
        problem_db_error(p);
        return NULL;
    }
    rows_instants(out, "recorded_at", "paid_at", NULL);
    return out;
}

static int recipient_pay_run(struct db *db, void *ctx, struct problem *p)
{
    struct recipient_write *w = ctx;
    json_t *row = NULL;
    int rc = awards_recipient_get(db, w->id, &row);
    if (rc == YQ_ENOTFOUND) return problem_set(p, rc, "not_found", NULL, "奖励对象不存在");
    if (rc != YQ_OK) return rc;
    if (strcmp(rows_str(row, "status"), "paid") == 0) {
        w->already = true;
        json_decref(row);
        return YQ_OK;
    }
    char transfer[96], account[96];
    snprintf(transfer, sizeof transfer, "award-pay:%s", w->id);
    snprintf(account, sizeof account, "award:%s", w->id);
    int64_t amount = json_integer_value(json_object_get(row, "amount_fen"));
    json_decref(row);
    if ((rc = ledger_open_source(db, "city_award")) != YQ_OK ||
        (rc = ledger_open_award(db, w->id)) != YQ_OK ||
        (rc = ledger_transfer(db, transfer, CITY_ACCOUNT, account, amount, w->reference)) !=
            YQ_OK ||
        (rc = awards_recipient_mark_paid(db, w->id, w->reference, w->actor->user.username,
                                         clock_now_ms())) != YQ_OK)
        return rc;
    struct audit_actor who = actor_audit(w->actor);
    json_t *after = json_pack("{s:s, s:I, s:s}", "status", "paid", "amount_fen", (json_int_t)amount,
                              "reference", w->reference);
    json_t *before = json_pack("{s:s}", "status", "recorded");
    rc = audit_append(db, &who, "award_recipient", w->id, "pay", before, after);
    json_decref(before);
    json_decref(after);
    return rc;
}

json_t *awards_recipient_pay(struct db *db, const struct actor *a, const char *id, json_t *body,
                             struct problem *p)
{
    const char *reference = json_string_value(json_object_get(body, "reference"));
    if (validate_text("reference", "拨付凭证号（reference）", reference, 64, p) != YQ_OK)
        return NULL;
    struct recipient_write w = {a, NULL, id, reference, false};
    if (service_tx(db, recipient_pay_run, &w, p) != YQ_OK) return NULL;
    json_t *out = NULL;
    if (awards_recipient_get(db, id, &out) != YQ_OK) {
        problem_db_error(p);
        return NULL;
    }
    rows_instants(out, "recorded_at", "paid_at", NULL);
    json_object_set_new(out, "already_paid", json_boolean(w.already));
    return out;
}

json_t *awards_recipients(struct db *db, const struct actor *a, int year, struct problem *p)
{
    json_t *r = awards_recipients_list(db, year);
    if (!r) problem_db_error(p);
    return r;
}
