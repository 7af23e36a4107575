/* Evaluation (第三方评价) and county review of redemption applications. */
#include "service/redemptions.h"
#include "service/redemptions_internal.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/period.h"
#include "core/redemption.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/files.h"
#include "service/programs.h"
#include "service/scope.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/ledger.h"
#include "store/notices.h"
#include "store/redemptions.h"
#include "store/rows.h"
#include "store/standing.h"
#include "store/vouchers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Evaluation (第三方评价) -------------------------------------------- */

struct evaluation {
    const struct actor *actor;
    const char *id;
    json_t *body;
};

/* The application's item that entry k of a request's items names (by
 * voucher_id), with the field name for messages; NULL with p filled. A
 * voucher named twice is refused: one of the two findings would be lost. */
static struct redemption_item *item_named(json_t *in, size_t k, struct redemption_item *items,
                                          size_t n, char field[32], struct problem *p)
{
    snprintf(field, 32, "items[%zu]", k);
    const char *vid = json_string_value(json_object_get(json_array_get(in, k), "voucher_id"));
    int i = vid ? redemptions_find_item(items, n, vid) : -1;
    if (i < 0) {
        problem_set(p, YQ_EINVAL, "invalid_field", field, "%s：申请中没有这张券", field);
        return NULL;
    }
    for (size_t j = 0; j < k; j++) {
        const char *other = json_string_value(json_object_get(json_array_get(in, j), "voucher_id"));
        if (other && strcmp(other, vid) == 0) {
            problem_set(p, YQ_EINVAL, "invalid_field", field,
                        "%s：同一张券只能出现一次（与 items[%zu] 相同）", field, j);
            return NULL;
        }
    }
    return &items[i];
}

/* The scores, one per criterion of the program, weighted. */
static int evaluation_scores(const struct program_params *params, json_t *in, json_t **out,
                             int32_t *total, struct problem *p)
{
    if (!json_is_array(in) || json_array_size(in) != (size_t)params->ncriteria)
        return problem_set(p, YQ_EINVAL, "invalid_field", "scores", "请为全部 %d 项评价指标打分",
                           params->ncriteria);
    struct redemption_criterion c[PROGRAM_MAX_CRITERIA];
    *out = json_array();
    for (int i = 0; i < params->ncriteria; i++) {
        json_t *found = NULL, *s;
        size_t k;
        json_array_foreach(in, k, s)
        {
            const char *name = json_string_value(json_object_get(s, "name"));
            if (name && strcmp(name, params->criteria[i].name) == 0) found = s;
        }
        json_t *score = json_object_get(found, "score");
        if (!found || !json_is_integer(score))
            return problem_set(p, YQ_EINVAL, "invalid_field", "scores",
                               "请为评价指标「%s」打分（0 至 100 的整数）",
                               params->criteria[i].name);
        c[i].weight = params->criteria[i].weight;
        c[i].score = (int)json_integer_value(score);
        json_array_append_new(*out, json_pack("{s:s, s:i, s:I}", "name", params->criteria[i].name,
                                              "weight", c[i].weight, "score",
                                              (json_int_t)json_integer_value(score)));
    }
    int bad;
    char msg[256];
    if (redemption_weighted_score(c, (size_t)params->ncriteria, total, &bad, msg, sizeof msg) !=
        YQ_OK)
        return problem_set(p, YQ_EINVAL, "invalid_field", "scores", "%s", msg);
    return YQ_OK;
}

/* Each item's quality finding: a deduction in fen or a share of the claim. */
static int evaluation_items(json_t *in, struct redemption_item *items, size_t n, struct problem *p)
{
    if (in && !json_is_array(in))
        return problem_set(p, YQ_EINVAL, "wrong_type", "items", "items 须为数组");
    size_t k;
    json_t *e;
    json_array_foreach(in, k, e)
    {
        char field[32];
        struct redemption_item *it = item_named(in, k, items, n, field, p);
        if (!it) return p->status;
        json_t *d = json_object_get(e, "deduction");
        const char *kind = json_string_value(json_object_get(d, "kind"));
        memset(&it->deduction, 0, sizeof it->deduction);
        if (!d || json_is_null(d) || (kind && strcmp(kind, "none") == 0)) {
            it->deduction.kind = REDEMPTION_DEDUCT_NONE;
        } else if (kind && strcmp(kind, "amount") == 0 &&
                   json_is_integer(json_object_get(d, "amount_fen"))) {
            it->deduction.kind = REDEMPTION_DEDUCT_AMOUNT;
            it->deduction.amount_fen = json_integer_value(json_object_get(d, "amount_fen"));
        } else if (kind && strcmp(kind, "bp") == 0 && json_is_integer(json_object_get(d, "bp"))) {
            it->deduction.kind = REDEMPTION_DEDUCT_BP;
            json_int_t bp = json_integer_value(json_object_get(d, "bp"));
            it->deduction.bp = bp < 0 || bp > 10000 ? -1 : (int32_t)bp;
        } else {
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "%s：质量扣减须为 none、amount（amount_fen）或 bp（万分比）", field);
        }
        if (redemption_deduction_fen(it->claim_fen, &it->deduction, &it->deduction_fen) != YQ_OK)
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "%s：质量扣减须在 0 至申请金额（%lld 分）之间", field,
                               (long long)it->claim_fen);
        json_t *note = json_object_get(e, "quality_note");
        if (json_is_string(note) && !redemptions_optional_text(json_string_value(note)))
            note = NULL;
        if (note && !json_is_null(note) &&
            (!json_is_string(note) ||
             validate_paragraphs(field, "质量问题说明", json_string_value(note), 500, p) != YQ_OK))
            return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s：质量问题说明无效", field);
        snprintf(it->quality_note, sizeof it->quality_note, "%s",
                 json_is_string(note) ? json_string_value(note) : "");
        if (it->deduction_fen > 0 && !it->quality_note[0])
            return problem_set(p, YQ_EINVAL, "missing_field", field,
                               "%s：有质量扣减时须说明存在的质量问题", field);
    }
    return YQ_OK;
}

static int evaluate_run(struct db *db, void *ctx, struct problem *p)
{
    struct evaluation *x = ctx;
    struct redemption r;
    if (redemptions_load(db, x->actor, x->id, &r, p) != YQ_OK) return p->status;
    enum redemption_state to;
    if (redemptions_move_allowed(r.state, REDEMPTION_EV_EVALUATE, &to, "评价", p) != YQ_OK)
        return p->status;
    struct program_params params;
    int version;
    if (programs_load_params(db, r.program_id, &params, &version, p) != YQ_OK) return p->status;
    json_t *scores = NULL;
    int32_t total = 0;
    struct redemption_item *items = NULL;
    size_t n = 0;
    int rc = evaluation_scores(&params, json_object_get(x->body, "scores"), &scores, &total, p);
    if (rc == YQ_OK && (rc = redemption_items(db, r.id, &items, &n)) != YQ_OK) problem_db_error(p);
    if (rc == YQ_OK) rc = evaluation_items(json_object_get(x->body, "items"), items, n, p);
    const char *note =
        redemptions_optional_text(json_string_value(json_object_get(x->body, "note")));
    if (rc == YQ_OK && note && validate_paragraphs("note", "评价意见", note, 1000, p) != YQ_OK)
        rc = p->status;
    char *scores_text = scores ? json_dumps(scores, JSON_COMPACT) : NULL;
    int64_t now = clock_now_ms();
    if (rc == YQ_OK)
        rc = redemption_evaluate(db, r.id, scores_text, total, note, x->actor->user.username, now,
                                 items, n);
    if (rc == YQ_OK) {
        json_t *after = json_pack("{s:s, s:O, s:i}", "status", "evaluated", "scores", scores,
                                  "score_hundredths", total);
        json_t *before = json_pack("{s:s}", "status", redemption_state_name(r.state));
        rc = redemptions_audit(db, x->actor, r.id, "evaluate", before, after);
        json_decref(before);
        json_decref(after);
    }
    free(scores_text);
    json_decref(scores);
    free(items);
    return rc;
}

json_t *redemptions_evaluate(struct db *db, const struct actor *a, const char *id, json_t *body,
                             struct problem *p)
{
    static const char *const fields[] = {"scores", "note", "items", NULL};
    if (redemptions_only_fields(body, fields, p) != YQ_OK) return NULL;
    struct evaluation x = {a, id, body};
    if (service_tx(db, evaluate_run, &x, p) != YQ_OK) return NULL;
    return redemptions_read(db, a, id, p);
}

/* ---- Review by county_it ----------------------------------------------- */

static int review_items(json_t *in, struct redemption_item *items, size_t n, struct problem *p)
{
    if (in && !json_is_array(in))
        return problem_set(p, YQ_EINVAL, "wrong_type", "items", "items 须为数组");
    size_t k;
    json_t *e;
    json_array_foreach(in, k, e)
    {
        char field[32];
        struct redemption_item *it = item_named(in, k, items, n, field, p);
        if (!it) return p->status;
        json_t *adj = json_object_get(e, "adjustment_fen");
        if (!json_is_integer(adj) || json_integer_value(adj) < 0 ||
            json_integer_value(adj) > 100000000000LL)
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "%s：审核调减金额须为非负整数（分），只能调减", field);
        it->adjustment_fen = json_integer_value(adj);
        const char *reason = json_string_value(json_object_get(e, "reason"));
        snprintf(it->adjustment_reason, sizeof it->adjustment_reason, "%s", reason ? reason : "");
        if (it->adjustment_fen > 0 &&
            (!reason || validate_text(field, "调减理由", reason, 500, p) != YQ_OK))
            return problem_set(p, YQ_EINVAL, "missing_field", field, "%s：调减须写明理由", field);
    }
    return YQ_OK;
}

struct review {
    const struct actor *actor;
    const char *id;
    json_t *body;
};

/* Approval: every item's approved amount, within what its voucher still
 * holds (a voucher terminated meanwhile cannot be approved). */
static int approve_items(struct db *db, struct redemption_item *items, size_t n, int64_t *total,
                         const char *redemption_id, struct problem *p)
{
    *total = 0;
    for (size_t i = 0; i < n; i++) {
        struct redemption_item *it = &items[i];
        char field[32];
        snprintf(field, sizeof field, "items[%zu]", i);
        struct redemption_calc calc;
        if (redemption_approved(it->claim_fen, &it->deduction, it->adjustment_fen, &calc) != YQ_OK)
            return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s：金额无效", field);
        it->approved_fen = calc.approved_fen;
        struct voucher v;
        int rc = voucher_get(db, it->voucher_id, &v);
        if (rc != YQ_OK) return problem_db_error(p);
        if (!voucher_state_live(v.state))
            return problem_set(p, YQ_ECONFLICT, "voucher_closed", field,
                               "%s：券 %s %s，不能批准兑现（可驳回或退回修改）", field, v.code,
                               voucher_state_label_zh(v.state));
        int64_t remaining, open;
        char reserve[64];
        snprintf(reserve, sizeof reserve, "reserve:%s", v.id);
        if (ledger_pending_remaining(db, reserve, &remaining) != YQ_OK ||
            redemption_open_claims(db, v.id, redemption_id, &open) != YQ_OK)
            return problem_db_error(p);
        if (it->approved_fen > remaining)
            return problem_set(p, YQ_ECONFLICT, "claim_above_balance", field,
                               "%s：券 %s 只余 %lld 分，批准金额 %lld 分超出", field, v.code,
                               (long long)remaining, (long long)it->approved_fen);
        *total += it->approved_fen;
    }
    return YQ_OK;
}

static int review_run(struct db *db, void *ctx, struct problem *p)
{
    struct review *x = ctx;
    struct redemption r;
    if (redemptions_load(db, x->actor, x->id, &r, p) != YQ_OK) return p->status;
    const char *decision = json_string_value(json_object_get(x->body, "decision"));
    enum redemption_event ev;
    if (decision && strcmp(decision, "approve") == 0)
        ev = REDEMPTION_EV_APPROVE;
    else if (decision && strcmp(decision, "reject") == 0)
        ev = REDEMPTION_EV_REJECT;
    else if (decision && strcmp(decision, "return") == 0)
        ev = REDEMPTION_EV_RETURN;
    else
        return problem_set(p, YQ_EINVAL, decision ? "invalid_field" : "missing_field", "decision",
                           "审核结论须为 approve（批准）、reject（驳回）或 return（退回修改）");
    enum redemption_state to;
    if (redemptions_move_allowed(r.state, ev, &to, "审核", p) != YQ_OK) return p->status;
    const char *reason = json_string_value(json_object_get(x->body, "reason"));
    if (ev == REDEMPTION_EV_APPROVE) reason = redemptions_optional_text(reason);
    if (ev != REDEMPTION_EV_APPROVE && validate_text("reason", "驳回或退回的理由", reason, 500, p))
        return p->status;
    if (ev == REDEMPTION_EV_APPROVE && reason &&
        validate_text("reason", "审核意见", reason, 500, p))
        return p->status;
    struct redemption_item *items = NULL;
    size_t n = 0;
    int64_t total = 0;
    int rc = redemption_items(db, r.id, &items, &n);
    if (rc != YQ_OK) return rc;
    if (ev == REDEMPTION_EV_APPROVE) {
        rc = review_items(json_object_get(x->body, "items"), items, n, p);
        if (rc == YQ_OK) rc = approve_items(db, items, n, &total, r.id, p);
    }
    if (rc == YQ_OK)
        rc = redemption_review(db, r.id, to, reason, x->actor->user.username, clock_now_ms(), items,
                               n, total);
    if (rc == YQ_OK) {
        json_t *adjusted = json_array();
        for (size_t i = 0; ev == REDEMPTION_EV_APPROVE && i < n; i++)
            json_array_append_new(adjusted,
                                  json_pack("{s:s, s:I, s:I}", "voucher_id", items[i].voucher_id,
                                            "adjustment_fen", (json_int_t)items[i].adjustment_fen,
                                            "approved_fen", (json_int_t)items[i].approved_fen));
        json_t *after =
            json_pack("{s:s, s:s?, s:I, s:o}", "status", redemption_state_name(to), "reason",
                      reason, "approved_fen", (json_int_t)total, "items", adjusted);
        json_t *before = json_pack("{s:s}", "status", redemption_state_name(r.state));
        rc = redemptions_audit(db, x->actor, r.id, redemption_event_name(ev), before, after);
        json_decref(before);
        json_decref(after);
    }
    free(items);
    return rc;
}

json_t *redemptions_review(struct db *db, const struct actor *a, const char *id, json_t *body,
                           struct problem *p)
{
    static const char *const fields[] = {"decision", "reason", "items", NULL};
    if (redemptions_only_fields(body, fields, p) != YQ_OK) return NULL;
    struct review x = {a, id, body};
    if (service_tx(db, review_run, &x, p) != YQ_OK) return NULL;
    return redemptions_read(db, a, id, p);
}

/* A voucher that ended (its contract terminated): every open application
 * claiming on it is rejected with the reason, leaving its notice and its
 * unpaid batch, since the voucher's money went back to the pool. */
int redemptions_reject_for_voucher(struct db *db, const struct actor *a, const char *voucher_id,
                                   const char *reason)
{
    char(*ids)[ID_LEN + 1] = NULL;
    size_t n = 0;
    int rc = redemptions_open_of_voucher(db, voucher_id, &ids, &n);
    for (size_t i = 0; i < n && rc == YQ_OK; i++) {
        struct redemption r;
        if ((rc = redemption_get(db, ids[i], &r)) != YQ_OK) break;
        if (redemption_next(r.state, REDEMPTION_EV_DISQUALIFY) == REDEMPTION_INVALID) continue;
        if ((rc = redemption_disqualify(db, &r, reason, a->user.username, clock_now_ms())) != YQ_OK) break;
        json_t *before = json_pack("{s:s}", "status", redemption_state_name(r.state));
        json_t *after = json_pack("{s:s, s:s}", "status", "rejected", "reason", reason);
        rc = redemptions_audit(db, a, r.id, "disqualify", before, after);
        json_decref(before);
        json_decref(after);
    }
    free(ids);
    return rc;
}
