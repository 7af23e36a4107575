/* Payout batches and clawbacks (see payouts.h). */
#include "service/payouts.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/redemptions.h"
#include "service/scope.h"
#include "service/stream.h"
#include "service/tx.h"
#include "service/vouchers.h"
#include "store/audit.h"
#include "store/business_no.h"
#include "store/ledger.h"
#include "store/payouts.h"
#include "store/redemptions.h"
#include "store/rows.h"
#include "store/vouchers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int not_found(struct problem *p)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "兑付批次不存在");
}

static int audit(struct db *db, const struct actor *a, const char *entity, const char *id,
                 const char *action, json_t *before, json_t *after)
{
    struct audit_actor who = actor_audit(a);
    return audit_append(db, &who, entity, id, action, before, after);
}

static int load(struct db *db, const struct actor *a, const char *id, struct payout *po,
                struct problem *p)
{
    int rc = payout_get(db, id, po);
    if (rc == YQ_ENOTFOUND) return not_found(p);
    if (rc != YQ_OK) return problem_db_error(p);
    if ((a->role & ROLE_COUNTY_SCOPED) && !actor_in_county(a, po->county_code)) return not_found(p);
    return YQ_OK;
}

/* ---- A batch ---------------------------------------------------------------- */

struct batch {
    const struct actor *actor;
    const char *county;
    json_t *ids;
    struct payout po; /* out */
};

static int create_run(struct db *db, void *ctx, struct problem *p)
{
    struct batch *x = ctx;
    if (!actor_in_county(x->actor, x->county))
        return problem_set(p, YQ_ENOTFOUND, "not_found", "county_code", "区县不存在");
    struct payout *po = &x->po;
    memset(po, 0, sizeof *po);
    id_new(po->id);
    snprintf(po->county_code, sizeof po->county_code, "%s", x->county);
    int64_t now = clock_now_ms();
    size_t i;
    json_t *v;
    int rc = YQ_OK;
    struct redemption r;
    json_array_foreach(x->ids, i, v)
    {
        char field[40];
        snprintf(field, sizeof field, "redemption_ids[%zu]", i);
        const char *rid = json_string_value(v);
        rc = rid ? redemption_get(db, rid, &r) : YQ_ENOTFOUND;
        if (rc == YQ_ENOTFOUND || (rc == YQ_OK && strcmp(r.county_code, x->county) != 0))
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "%s：兑现申请不存在或不属于该区县", field);
        if (rc != YQ_OK) return rc;
        if (r.state != REDEMPTION_NOTICED)
            return problem_set(p, YQ_ECONFLICT, "notice_not_closed", field,
                               "%s：兑现申请（%s）须公示期满后方可兑付", field,
                               redemption_state_label_zh(r.state));
        if (r.payout_id[0])
            return problem_set(p, YQ_ECONFLICT, "already_batched", field,
                               "%s：兑现申请已在另一兑付批次中", field);
        po->total_fen += r.approved_fen;
    }
    if ((rc = payout_batch_no(db, po->county_code, now, po->batch_no)) != YQ_OK ||
        (rc = payout_insert(db, po, x->actor->user.username, now)) != YQ_OK)
        return rc;
    json_array_foreach(x->ids, i, v)
    {
        rc = payout_add_redemption(db, po->id, json_string_value(v), now);
        if (rc == YQ_ECONFLICT)
            return problem_set(p, YQ_ECONFLICT, "already_batched", "redemption_ids",
                               "兑现申请已在另一兑付批次中");
        if (rc != YQ_OK) return rc;
    }
    json_t *after =
        json_pack("{s:s, s:s, s:I, s:O}", "batch_no", po->batch_no, "county_code", po->county_code,
                  "total_fen", (json_int_t)po->total_fen, "redemption_ids", x->ids);
    rc = audit(db, x->actor, "payout", po->id, "create", NULL, after);
    json_decref(after);
    return rc;
}

json_t *payouts_create(struct db *db, const struct actor *a, json_t *body, struct problem *p)
{
    json_t *ids = json_object_get(body, "redemption_ids");
    const char *county = json_string_value(json_object_get(body, "county_code"));
    if (!county) {
        problem_set(p, YQ_EINVAL, "missing_field", "county_code", "请选择区县");
        return NULL;
    }
    if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 500) {
        problem_set(p, YQ_EINVAL, "invalid_field", "redemption_ids",
                    "请选择 1 至 500 份公示期满的兑现申请");
        return NULL;
    }
    /* The same application twice is the caller's slip, not its state. */
    if (redemption_ids_distinct(ids, p) != YQ_OK) return NULL;
    struct batch x = {.actor = a, .county = county, .ids = ids};
    if (service_tx(db, create_run, &x, p) != YQ_OK) return NULL;
    return payouts_read(db, a, x.po.id, p);
}

/* ---- Payment: post and pay every approved amount ------------------------------ */

struct payment {
    const struct actor *actor;
    const char *id, *paid_on, *reference;
};

/* One item: post its approved amount from the voucher's reservation, pay
 * it, and move the voucher; a final voucher voids the rest. */
static int pay_item(struct db *db, const struct payment *x, const struct payout *po,
                    const char *rid, const struct redemption_item *it, struct problem *p)
{
    struct voucher v;
    int rc = voucher_get(db, it->voucher_id, &v);
    if (rc != YQ_OK) return rc;
    if (!voucher_state_live(v.state))
        return problem_set(p, YQ_ECONFLICT, "voucher_closed", NULL,
                           "券 %s %s，不能兑付（请先处理该兑现申请）", v.code,
                           voucher_state_label_zh(v.state));
    char post_id[80], pay_id[80], reserve[64], account[64], paid[64];
    snprintf(post_id, sizeof post_id, "post:%s:%s", rid, v.id);
    snprintf(pay_id, sizeof pay_id, "pay:%s:%s", rid, v.id);
    snprintf(reserve, sizeof reserve, "reserve:%s", v.id);
    snprintf(account, sizeof account, "voucher:%s", v.id);
    snprintf(paid, sizeof paid, "paid:%s", po->county_code);
    int64_t amount = it->approved_fen;
    if ((rc = ledger_post(db, post_id, reserve, amount, x->reference)) == LEDGER_INSUFFICIENT)
        return problem_set(p, YQ_ECONFLICT, "claim_above_balance", NULL,
                           "券 %s 的预留资金不足以兑付 %lld 分", v.code, (long long)amount);
    if (rc != YQ_OK || (rc = ledger_open_paid(db, po->county_code)) != YQ_OK ||
        (rc = ledger_transfer(db, pay_id, account, paid, amount, x->reference)) != YQ_OK ||
        (rc = payout_item_paid(db, rid, v.id, amount)) != YQ_OK)
        return rc;
    int64_t left;
    if ((rc = ledger_pending_remaining(db, reserve, &left)) != YQ_OK) return rc;
    /* Final: nothing left, or the contract's service period is over and
     * no other filed claim on the voucher still waits to be paid (its
     * money stays reserved for it). */
    bool claimed = false;
    if (left > 0 && (rc = redemption_filed_claim_exists(db, v.id, &claimed)) != YQ_OK) return rc;
    bool final = left == 0 || (strcmp(v.service_end, x->paid_on) < 0 && !claimed);
    enum voucher_state to =
        voucher_next(v.state, final ? VOUCHER_EV_REDEEM_ALL : VOUCHER_EV_REDEEM_PART);
    if (to == VOUCHER_STATE_INVALID) return YQ_ECONFLICT;
    const char *reason = final && left > 0 ? "服务期满，未兑现部分释放回资金池" : NULL;
    int64_t now = clock_now_ms();
    if ((rc = voucher_redeem(db, v.id, v.state, to, amount, final, now, reason)) != YQ_OK)
        return rc;
    json_t *after = json_pack("{s:s, s:I, s:I, s:s}", "status", voucher_state_name(to),
                              "redeemed_fen", (json_int_t)(v.redeemed_fen + amount), "paid_fen",
                              (json_int_t)amount, "payout", po->id);
    json_t *before = json_pack("{s:s, s:I}", "status", voucher_state_name(v.state), "redeemed_fen",
                               (json_int_t)v.redeemed_fen);
    rc = audit(db, x->actor, "voucher", v.id, "redeem", before, after);
    json_decref(before);
    json_decref(after);
    if (rc == YQ_OK && final && left > 0) {
        char void_id[64];
        snprintf(void_id, sizeof void_id, "void:%s", v.id);
        rc = ledger_void(db, void_id, reserve, v.code);
        if (rc == YQ_OK) rc = vouchers_serve_waitlist(db, x->actor, v.county_code, v.issue_year);
    }
    return rc;
}

static int pay_run(struct db *db, void *ctx, struct problem *p)
{
    struct payment *x = ctx;
    struct payout po;
    if (load(db, x->actor, x->id, &po, p) != YQ_OK) return p->status;
    if (po.paid)
        return problem_set(p, YQ_ECONFLICT, "already_paid", NULL, "该批次已于 %s 兑付（%s）",
                           po.paid_on, po.reference);
    /* The money leaves after the notice closed and the batch was made: a
     * payment dated earlier cannot have happened (and would misjudge a
     * voucher whose service period ended in between as still running). */
    int32_t paid_day, made_day = clock_cst_day(po.created_at);
    if (clock_parse_date(x->paid_on, &paid_day) == YQ_OK && paid_day < made_day) {
        char made[16];
        clock_format_date(made_day, made);
        return problem_set(p, YQ_EINVAL, "invalid_field", "paid_on",
                           "兑付日期不能早于该批次的生成日期（%s）", made);
    }
    int64_t now = clock_now_ms();
    int rc = payout_mark_paid(db, po.id, x->paid_on, x->reference, x->actor->user.username, now);
    if (rc == YQ_ECONFLICT)
        return problem_set(p, YQ_ECONFLICT, "already_paid", NULL, "该批次已兑付");
    char(*ids)[ID_LEN + 1] = NULL;
    size_t n = 0;
    if (rc == YQ_OK) rc = payout_redemptions(db, po.id, &ids, &n);
    /* Every application left it (rejected: a party listed, a contract
     * terminated): there is nothing to pay. */
    if (rc == YQ_OK && n == 0) {
        free(ids);
        return problem_set(p, YQ_ECONFLICT, "batch_empty", NULL,
                           "该批次中的兑现申请均已驳回，没有可兑付的款项");
    }
    for (size_t i = 0; i < n && rc == YQ_OK; i++) {
        struct redemption_item *items = NULL;
        size_t k = 0;
        if ((rc = payout_redemption_paid(db, ids[i], now)) != YQ_OK ||
            (rc = redemption_items(db, ids[i], &items, &k)) != YQ_OK)
            break;
        for (size_t j = 0; j < k && rc == YQ_OK; j++)
            if (items[j].approved_fen > 0) rc = pay_item(db, x, &po, ids[i], &items[j], p);
        free(items);
        if (rc == YQ_OK) {
            json_t *before = json_pack("{s:s}", "status", "noticed");
            json_t *after = json_pack("{s:s, s:s}", "status", "paid", "payout", po.id);
            rc = audit(db, x->actor, "redemption", ids[i], "pay", before, after);
            json_decref(before);
            json_decref(after);
        }
    }
    free(ids);
    if (rc == YQ_OK) {
        json_t *after = json_pack("{s:s, s:s, s:s, s:I}", "status", "paid", "paid_on", x->paid_on,
                                  "reference", x->reference, "total_fen", (json_int_t)po.total_fen);
        json_t *before = json_pack("{s:s}", "status", "draft");
        rc = audit(db, x->actor, "payout", po.id, "paid", before, after);
        json_decref(before);
        json_decref(after);
    }
    return rc;
}

json_t *payouts_pay(struct db *db, const struct actor *a, const char *id, json_t *body,
                    struct problem *p)
{
    struct payment x = {a, id, json_string_value(json_object_get(body, "paid_on")),
                        json_string_value(json_object_get(body, "reference"))};
    int32_t day;
    if (!x.paid_on || clock_parse_date(x.paid_on, &day) != YQ_OK) {
        problem_set(p, YQ_EINVAL, x.paid_on ? "invalid_field" : "missing_field", "paid_on",
                    "兑付日期须为 YYYY-MM-DD");
        return NULL;
    }
    if (day > clock_cst_day(clock_now_ms())) {
        problem_set(p, YQ_EINVAL, "invalid_field", "paid_on", "兑付日期不能晚于今天");
        return NULL;
    }
    if (validate_text("reference", "银行付款凭证号", x.reference, 64, p) != YQ_OK) return NULL;
    if (service_tx(db, pay_run, &x, p) != YQ_OK) return NULL;
    return payouts_read(db, a, id, p);
}

/* ---- Reads ---------------------------------------------------------------------- */

static void payout_item(json_t *o)
{
    json_object_set_new(
        o, "status_name",
        json_string(strcmp(rows_str(o, "status"), "paid") == 0 ? "已兑付" : "待兑付"));
    rows_instants(o, "created_at", "paid_at", NULL);
}

json_t *payouts_list(struct db *db, const struct actor *a, const struct list_filter *f,
                     int64_t offset, int64_t limit, struct problem *p)
{
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    service_stream_map(payout_item); /* an export's streamed items get it too */
    json_t *r = payouts_page(db, &scope, f, offset, limit);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(r, "items"), i, o) payout_item(o);
    return r;
}

json_t *payouts_read(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    struct payout po;
    if (load(db, a, id, &po, p) != YQ_OK) return NULL;
    json_t *o = payout_view(db, id);
    if (!o) {
        problem_db_error(p);
        return NULL;
    }
    json_object_set_new(o, "status_name", json_string(po.paid ? "已兑付" : "待兑付"));
    rows_instants(o, "created_at", "paid_at", NULL);
    return o;
}

json_t *payouts_bank_rows(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    json_t *o = payouts_read(db, a, id, p);
    if (!o) return NULL;
    json_t *rows = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(o, "items"), i, it) json_array_append_new(
        rows,
        json_pack("{s:s, s:s, s:s, s:O, s:s}", "payee", rows_str(it, "provider_name"), "bank_name",
                  rows_str(it, "bank_name"), "bank_account", rows_str(it, "bank_account"),
                  "amount_fen", json_object_get(it, "amount_fen"), "voucher_code",
                  rows_str(it, "voucher_code")));
    json_decref(o);
    return json_pack("{s:o, s:I}", "items", rows, "total", (json_int_t)json_array_size(rows));
}

/* ---- Clawbacks ------------------------------------------------------------------- */

struct recovery {
    const struct actor *actor;
    const char *rid, *vid, *reason, *evidence;
    int64_t amount;
    char id[ID_LEN + 1];
};

static int clawback_run(struct db *db, void *ctx, struct problem *p)
{
    struct recovery *x = ctx;
    struct redemption r;
    int rc = redemption_get(db, x->rid, &r);
    if (rc == YQ_ENOTFOUND || (rc == YQ_OK && !actor_in_county(x->actor, r.county_code)))
        return problem_set(p, YQ_ENOTFOUND, "not_found", "redemption_id", "兑现申请不存在");
    if (rc != YQ_OK) return rc;
    if (r.state != REDEMPTION_PAID)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", "redemption_id",
                           "只能追回已兑付的资金（当前：%s）", redemption_state_label_zh(r.state));
    /* The same recovery sent again (a retry without an Idempotency-Key)
     * is the one already booked: its answer, nothing booked twice. */
    rc = clawback_find(db, r.id, x->vid, x->amount, x->reason, x->evidence, x->id);
    if (rc == YQ_OK) return YQ_OK;
    if (rc != YQ_ENOTFOUND) return rc;
    struct redemption_item *items = NULL;
    size_t n = 0;
    if ((rc = redemption_items(db, r.id, &items, &n)) != YQ_OK) return rc;
    int64_t recoverable = -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].voucher_id, x->vid) == 0)
            recoverable = items[i].paid_fen - items[i].clawed_back_fen;
    free(items);
    if (recoverable < 0)
        return problem_set(p, YQ_EINVAL, "invalid_field", "voucher_id", "该兑现申请中没有这张券");
    if (x->amount > recoverable)
        return problem_set(p, YQ_EINVAL, "invalid_field", "amount_fen",
                           "追回金额不能超过已兑付未追回的 %lld 分", (long long)recoverable);
    struct voucher v;
    if ((rc = voucher_get(db, x->vid, &v)) != YQ_OK) return rc;
    /* A live voucher's redeemed figure goes down (issued again when nothing
     * redeemed remains); a closed one stays closed. */
    enum voucher_state to = v.state;
    if (v.closed_at == 0) {
        to = voucher_next(v.state, v.redeemed_fen > x->amount ? VOUCHER_EV_CLAWBACK_SOME
                                                              : VOUCHER_EV_CLAWBACK_ALL);
        if (to == VOUCHER_STATE_INVALID) to = v.state;
    }
    id_new(x->id);
    int64_t now = clock_now_ms();
    /* The transfer's id is the recovery itself (SPEC §6: derived from the
     * business event), so that it can never be booked twice. */
    char event[12288], event_hash[65], transfer[96], paid[64], pool[64];
    int len = snprintf(event, sizeof event, "%s\n%s\n%lld\n%s\n%s", r.id, v.id,
                       (long long)x->amount, x->reason, x->evidence);
    id_sha256_hex(event, len > 0 && (size_t)len < sizeof event ? (size_t)len : strlen(event),
                  event_hash);
    snprintf(transfer, sizeof transfer, "clawback:%s", event_hash);
    snprintf(paid, sizeof paid, "paid:%s", r.county_code);
    snprintf(pool, sizeof pool, "pool:%s:%d", v.county_code, v.issue_year);
    if ((rc = clawback_insert(db, x->id, r.id, v.id, r.county_code, x->amount, x->reason,
                              x->evidence, x->actor->user.username, now)) != YQ_OK ||
        (rc = clawback_apply(db, r.id, v.id, v.state, to, x->amount)) != YQ_OK ||
        (rc = ledger_transfer(db, transfer, paid, pool, x->amount, x->reason)) != YQ_OK)
        return rc;
    json_t *after =
        json_pack("{s:s, s:s, s:I, s:s, s:s, s:I, s:s}", "redemption_id", r.id, "voucher_id", v.id,
                  "amount_fen", (json_int_t)x->amount, "reason", x->reason, "evidence", x->evidence,
                  "voucher_redeemed_fen", (json_int_t)(v.redeemed_fen - x->amount),
                  "voucher_status", voucher_state_name(to));
    rc = audit(db, x->actor, "clawback", x->id, "create", NULL, after);
    json_decref(after);
    /* The money is back in the pool: it serves the waitlist. */
    if (rc == YQ_OK) rc = vouchers_serve_waitlist(db, x->actor, v.county_code, v.issue_year);
    return rc;
}

json_t *clawbacks_create(struct db *db, const struct actor *a, json_t *body, struct problem *p)
{
    struct recovery x = {.actor = a,
                         .rid = json_string_value(json_object_get(body, "redemption_id")),
                         .vid = json_string_value(json_object_get(body, "voucher_id")),
                         .reason = json_string_value(json_object_get(body, "reason")),
                         .evidence = json_string_value(json_object_get(body, "evidence"))};
    json_t *amount = json_object_get(body, "amount_fen");
    if (!x.rid || !x.vid) {
        problem_set(p, YQ_EINVAL, "missing_field", x.rid ? "voucher_id" : "redemption_id",
                    "请指明兑现申请和券");
        return NULL;
    }
    if (!json_is_integer(amount) || json_integer_value(amount) <= 0) {
        problem_set(p, YQ_EINVAL, amount ? "invalid_field" : "missing_field", "amount_fen",
                    "追回金额须为正整数（单位：分）");
        return NULL;
    }
    x.amount = json_integer_value(amount);
    if (validate_text("reason", "追回原因", x.reason, 500, p) != YQ_OK ||
        validate_paragraphs("evidence", "证据材料说明", x.evidence, 2000, p) != YQ_OK)
        return NULL;
    if (service_tx(db, clawback_run, &x, p) != YQ_OK) return NULL;
    return json_pack("{s:s, s:s, s:s, s:I, s:s}", "id", x.id, "redemption_id", x.rid, "voucher_id",
                     x.vid, "amount_fen", (json_int_t)x.amount, "reason", x.reason);
}

static void clawback_item(json_t *o)
{
    rows_instants(o, "created_at", NULL);
}

json_t *clawbacks_list(struct db *db, const struct actor *a, const struct list_filter *f,
                       int64_t offset, int64_t limit, struct problem *p)
{
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    service_stream_map(clawback_item); /* an export's streamed items get it too */
    json_t *r = clawbacks_page(db, &scope, f, offset, limit);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(r, "items"), i, o) clawback_item(o);
    return r;
}
