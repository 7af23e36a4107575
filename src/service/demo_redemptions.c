/* Demo redemption data for 任城区 (see demo.h): made through the use cases
 * on a demo clock that walks through the dates they would have happened
 * on, so that the ledger, the audit log and every figure are as real use
 * would leave them. */
#include "core/clock.h"
#include "core/period.h"
#include "core/status.h"
#include "core/workdays.h"
#include "service/calendar.h"
#include "service/contracts.h"
#include "service/demo.h"
#include "service/notices.h"
#include "service/payouts.h"
#include "service/redemptions.h"
#include "store/catalog.h"
#include "store/demo.h"
#include "store/parties.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

static int64_t demo_now;

static bool demo_clock(int64_t *now_ms, void *ctx)
{
    (void)ctx;
    *now_ms = demo_now;
    return true;
}

/* 10:00 China time on `day`. */
static void at_day(int32_t day)
{
    demo_now = (int64_t)day * 86400000LL + 2 * 3600000LL;
}

/* Two applications in 任城区 (one paid, one on a notice) and one in 兖州区
 * waiting for the evaluator (who works for both). prov_app files nothing,
 * so that the browser journey can file as it. */
static const char *const holders[] = {"任城区鸿运机电有限公司", "任城区汇通智能装备有限公司",
                                      "兖州区恒泰建材有限公司"};
static const char *const counties[] = {DEMO_COUNTY, DEMO_COUNTY, "370812"};
static const char *const filers[] = {"provider", "prov_industry", "provider"};
static const char *const items[] = {"计算型云服务器 8核16G", "工业大数据分析平台 标准版",
                                    "计算型云服务器 8核16G"};
static const int64_t prices[] = {99000, 2000000, 99000};
static const int64_t quantities[] = {12, 1, 24};

/* A contract drafted by the provider and confirmed by the enterprise on
 * the demo clock's day; returns the voucher's id. */
static int voucher_for(struct db *db, int k, const char *enterprise_id, char vid[ID_LEN + 1],
                       int64_t *amount, struct problem *p)
{
    struct actor prov, ent;
    char item[ID_LEN + 1], no[32], ent_user[64];
    if (demo_actor(db, filers[k], &prov, p) != YQ_OK) return p->status;
    int rc = catalog_item_find_published(db, items[k], item);
    if (rc != YQ_OK)
        return rc == YQ_ENOTFOUND ? problem_set(p, YQ_ERR, "bad_demo", NULL, "演示目录产品缺失")
                                  : problem_db_error(p);
    int y;
    unsigned m, d;
    clock_civil_from_days(clock_cst_day(demo_now), &y, &m, &d);
    char signed_on[16], start[16], end[16];
    snprintf(signed_on, sizeof signed_on, "%04d-01-02", y);
    snprintf(start, sizeof start, "%04d-01-05", y);
    snprintf(end, sizeof end, "%04d-12-31", y);
    snprintf(no, sizeof no, "DX-%d-%02d", y, k + 1);
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:I, s:I}]}", "enterprise_id", enterprise_id,
                  "contract_no", no, "signed_on", signed_on, "service_start", start, "service_end",
                  end, "lines", "catalog_item_id", item, "quantity", (json_int_t)quantities[k],
                  "unit_price_fen", (json_int_t)prices[k]);
    json_t *c = contracts_draft(db, &prov, body, p);
    json_decref(body);
    if (!c) return p->status;
    char cid[ID_LEN + 1];
    snprintf(cid, sizeof cid, "%s", rows_str(c, "id"));
    json_decref(c);
    snprintf(ent_user, sizeof ent_user, "qiye%02d", 13 + k);
    if (demo_actor(db, ent_user, &ent, p) != YQ_OK) return p->status;
    int status;
    json_t *r = contracts_confirm(db, &ent, cid, &status, p);
    if (!r) return p->status;
    json_t *v = json_object_get(r, "voucher");
    if (!json_is_object(v)) {
        json_decref(r);
        return problem_set(p, YQ_ERR, "bad_demo", NULL, "演示合同未能生成云服务券");
    }
    snprintf(vid, ID_LEN + 1, "%s", rows_str(v, "id"));
    *amount = json_integer_value(json_object_get(v, "amount_fen"));
    json_decref(r);
    return YQ_OK;
}

/* The provider files and submits its claim for the period. */
static int file(struct db *db, int k, const char *vid, const char *period, int64_t claim,
                char rid[ID_LEN + 1], struct problem *p)
{
    struct actor prov;
    if (demo_actor(db, filers[k], &prov, p) != YQ_OK) return p->status;
    json_t *body =
        json_pack("{s:s, s:s, s:[{s:s, s:s, s:I, s:I, s:s}]}", "county_code", counties[k], "period",
                  period, "items", "voucher_id", vid, "service_desc", "上半年云服务（按合同交付）",
                  "fee_fen", (json_int_t)(claim * 3), "claim_fen", (json_int_t)claim, "invoice_nos",
                  "3700192130 00012345");
    json_t *r = redemptions_create(db, &prov, body, p);
    json_decref(body);
    if (!r) return p->status;
    snprintf(rid, ID_LEN + 1, "%s", rows_str(r, "id"));
    json_decref(r);
    r = redemptions_submit(db, &prov, rid, p);
    if (!r) return p->status;
    json_decref(r);
    return YQ_OK;
}

static int evaluate_and_approve(struct db *db, const char *rid, const char *vid, int32_t day,
                                int64_t adjustment, struct problem *p)
{
    struct actor ev, it;
    if (demo_actor(db, "evaluator", &ev, p) != YQ_OK ||
        demo_actor(db, "county_it", &it, p) != YQ_OK)
        return p->status;
    at_day(day);
    static const char *const names[] = {"服务交付与合同相符", "服务质量与稳定性", "企业满意度",
                                        "票据与证明材料"};
    static const int scores[] = {92, 85, 90, 80};
    json_t *list = json_array();
    for (int i = 0; i < 4; i++)
        json_array_append_new(list, json_pack("{s:s, s:i}", "name", names[i], "score", scores[i]));
    json_t *body =
        json_pack("{s:o, s:s, s:[{s:s, s:{s:s, s:i}, s:s}]}", "scores", list, "note",
                  "服务按合同交付，个别时段响应偏慢", "items", "voucher_id", vid, "deduction",
                  "kind", "bp", "bp", 300, "quality_note", "5 月有一次服务中断超过 4 小时");
    json_t *r = redemptions_evaluate(db, &ev, rid, body, p);
    json_decref(body);
    if (!r) return p->status;
    json_decref(r);
    at_day(day + 2);
    body = json_pack("{s:s, s:s, s:[{s:s, s:I, s:s}]}", "decision", "approve", "reason",
                     "材料齐全，同意兑现", "items", "voucher_id", vid, "adjustment_fen",
                     (json_int_t)adjustment, "reason",
                     adjustment ? "一张发票日期在服务期外，核减" : "");
    r = redemptions_review(db, &it, rid, body, p);
    json_decref(body);
    if (!r) return p->status;
    json_decref(r);
    return YQ_OK;
}

static int open_notice(struct db *db, const char *rid, int32_t day, char nid[ID_LEN + 1],
                       char close_day[16], struct problem *p)
{
    struct actor it;
    if (demo_actor(db, "county_it", &it, p) != YQ_OK) return p->status;
    char opens[16];
    clock_format_date(day, opens);
    json_t *body = json_pack("{s:s, s:[s], s:s}", "county_code", DEMO_COUNTY, "redemption_ids", rid,
                             "opens_on", opens);
    json_t *r = notices_open(db, &it, body, p);
    json_decref(body);
    if (!r) return p->status;
    snprintf(nid, ID_LEN + 1, "%s", rows_str(r, "id"));
    snprintf(close_day, 16, "%s", rows_str(r, "close_day"));
    json_decref(r);
    return YQ_OK;
}

static int run(struct db *db, struct period prev, int32_t today, struct problem *p)
{
    char period[PERIOD_TEXT_LEN + 1], vid[3][ID_LEN + 1], rid[3][ID_LEN + 1];
    int64_t amount[3];
    period_format(prev, period);
    int32_t first = period_first_day(prev), after = period_last_day(prev) + 1;
    /* January (or July): the county funds its pool; three contracts. */
    at_day(first + 3);
    struct actor fin;
    if (demo_actor(db, "county_finance", &fin, p) != YQ_OK) return p->status;
    json_t *body, *r;
    for (int c = 0; c < 2; c++) {
        /* County finance funds its own county: act as one. */
        struct actor f = fin;
        const char *county = c == 0 ? DEMO_COUNTY : "370812";
        snprintf(f.user.county_code, sizeof f.user.county_code, "%s", county);
        char ref[64];
        snprintf(ref, sizeof ref, "%s财预〔%d〕兑现示范1号", county, prev.year);
        body = json_pack("{s:I, s:s, s:s}", "amount_fen", (json_int_t)300000000, "source", "county",
                         "reference", ref);
        r = budgets_fund(db, &f, county, prev.year, body, p);
        json_decref(body);
        if (!r) return p->status;
        json_decref(r);
    }
    for (int k = 0; k < 3; k++) {
        char ent[ID_LEN + 1];
        int rc = enterprises_find_by_name(db, holders[k], ent);
        if (rc != YQ_OK) return problem_set(p, YQ_ERR, "bad_demo", NULL, "演示企业缺失");
        if (voucher_for(db, k, ent, vid[k], &amount[k], p) != YQ_OK) return p->status;
    }
    /* The day after the half-year: the three providers file. */
    at_day(after + 1);
    /* Half of the first two vouchers, all of the third. */
    const int64_t claims[] = {amount[0] / 2, amount[1] / 2, amount[2]};
    for (int k = 0; k < 3; k++)
        if (file(db, k, vid[k], period, claims[k], rid[k], p) != YQ_OK) return p->status;
    /* The first goes all the way: evaluated, approved, noticed, paid. */
    if (evaluate_and_approve(db, rid[0], vid[0], after + 5, 12000, p) != YQ_OK) return p->status;
    char nid[ID_LEN + 1], close_day[16];
    if (open_notice(db, rid[0], after + 8, nid, close_day, p) != YQ_OK) return p->status;
    int32_t closes;
    clock_parse_date(close_day, &closes);
    at_day(closes + 1);
    struct actor it;
    if (demo_actor(db, "county_it", &it, p) != YQ_OK) return p->status;
    if (!(r = notices_close(db, &it, nid, p))) return p->status;
    json_decref(r);
    /* Finance pays two working days after the close. */
    int32_t pay_day;
    if (workdays_add(calendar_official(db), closes, 2, &pay_day) != YQ_OK) pay_day = closes + 2;
    at_day(pay_day);
    body = json_pack("{s:s, s:[s]}", "county_code", DEMO_COUNTY, "redemption_ids", rid[0]);
    r = payouts_create(db, &fin, body, p);
    json_decref(body);
    if (!r) return p->status;
    char bid[ID_LEN + 1];
    snprintf(bid, sizeof bid, "%s", rows_str(r, "id"));
    json_decref(r);
    char paid_on[16], pref[64];
    clock_format_date(pay_day, paid_on);
    snprintf(pref, sizeof pref, "任财付〔%d〕兑现 1 号", prev.year);
    body = json_pack("{s:s, s:s}", "paid_on", paid_on, "reference", pref);
    r = payouts_pay(db, &fin, bid, body, p);
    json_decref(body);
    if (!r) return p->status;
    json_decref(r);
    /* The second: approved, on a notice opened today, with an objection. */
    if (evaluate_and_approve(db, rid[1], vid[1], after + 6, 0, p) != YQ_OK) return p->status;
    at_day(today);
    if (open_notice(db, rid[1], today, nid, close_day, p) != YQ_OK) return p->status;
    body = json_pack("{s:s, s:s, s:s}", "name", "王先生", "contact", "13700000000", "text",
                     "该企业上半年部分月份并未实际使用工业大数据平台，请核实。");
    r = objections_file(db, nid, body, "demo", NULL, p);
    json_decref(body);
    if (!r) return p->status;
    json_decref(r);
    /* The third waits for the evaluator. */
    return YQ_OK;
}

int demo_create_redemptions(struct db *db, struct problem *p)
{
    int64_t real_now = clock_now_ms();
    int32_t today = clock_cst_day(real_now);
    struct period cur, prev;
    if (period_of_day(today, &cur) != YQ_OK || period_previous(cur, &prev) != YQ_OK) return YQ_OK;
    /* This year's program and the previous half-year long enough ago. */
    if (prev.year != cur.year || today < period_last_day(prev) + 1 + 25) return YQ_OK;
    char any[ID_LEN + 1];
    int rc = enterprises_find_by_name(db, holders[0], any);
    if (rc != YQ_OK) return YQ_OK; /* no demo registry */
    bool made;
    if (demo_redemptions_exist(db, &made) != YQ_OK) return problem_db_error(p);
    if (made) return YQ_OK;
    clock_source_fn saved_fn;
    void *saved_ctx;
    clock_get_source(&saved_fn, &saved_ctx);
    clock_set_source(demo_clock, NULL);
    rc = run(db, prev, today, p);
    clock_set_source(saved_fn, saved_ctx);
    return rc;
}
