/* Redemption reads: lists, the application with its calculation trace and
 * risk signals, and the pending-work counts of home pages. */
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
#include "store/pending.h"
#include "store/redemptions.h"
#include "store/rows.h"
#include "store/standing.h"
#include "store/vouchers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Reads -------------------------------------------------------------- */

static void decorate_row(json_t *row)
{
    enum redemption_state st;
    if (redemption_state_parse(rows_str(row, "status"), &st) == YQ_OK)
        json_object_set_new(row, "status_name", json_string(redemption_state_label_zh(st)));
    rows_instants(row, "submitted_at", "created_at", "updated_at", "evaluated_at", "reviewed_at",
                  NULL);
}

json_t *redemptions_list(struct db *db, const struct actor *a, const struct list_filter *lf,
                         const char *period, int64_t offset, int64_t limit, struct problem *p)
{
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    struct redemption_filter f = {&scope, lf, period, offset, limit};
    json_t *r = redemptions_page(db, &f);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "items"), i, row) decorate_row(row);
    return r;
}

/* The calculation trace of an item, like the voucher's. */
static json_t *item_trace(json_t *item)
{
    struct redemption_deduction d = {0};
    const char *kind = rows_str(item, "deduction_kind");
    int64_t claim = json_integer_value(json_object_get(item, "claim_fen"));
    if (strcmp(kind, "amount") == 0) {
        d.kind = REDEMPTION_DEDUCT_AMOUNT;
        d.amount_fen = json_integer_value(json_object_get(item, "deduction_fen"));
    } else if (strcmp(kind, "bp") == 0) {
        d.kind = REDEMPTION_DEDUCT_BP;
        d.bp = (int32_t)json_integer_value(json_object_get(item, "deduction_bp"));
    }
    struct redemption_calc c;
    if (redemption_approved(claim, &d, json_integer_value(json_object_get(item, "adjustment_fen")),
                            &c) != YQ_OK)
        return json_null();
    return json_pack("{s:I, s:s, s:i, s:I, s:I, s:b, s:I, s:s}", "claim_fen",
                     (json_int_t)c.claim_fen, "deduction_kind",
                     redemption_deduction_kind_name(c.deduction_kind), "deduction_bp",
                     c.deduction_bp, "deduction_fen", (json_int_t)c.deduction_fen, "adjustment_fen",
                     (json_int_t)c.adjustment_fen, "clamped", c.clamped, "approved_fen",
                     (json_int_t)c.approved_fen, "rule",
                     "核定金额 = 申请金额 − 质量扣减 − 审核调减，不低于零；按比例扣减四舍五入到分");
}

static int cmp_fen(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

static int64_t median_of(int64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_fen);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* 风险提示 "claims far above this provider's usual" (SPEC §8): an item's
 * claim above both twice the median of the provider's past approved claims
 * per voucher and the median plus three median absolute deviations (at
 * least three past claims). Shown, never acting. */
static int claim_signals(struct db *db, const char *provider_id, const char *id, json_t *items,
                         json_t *out)
{
    int64_t *hist = NULL;
    size_t n = 0;
    int rc = redemption_provider_history(db, provider_id, id, &hist, &n);
    if (rc != YQ_OK || n < 3) {
        free(hist);
        return rc;
    }
    int64_t median = median_of(hist, n);
    int64_t *dev = yq_calloc(n, sizeof *dev);
    for (size_t i = 0; i < n; i++)
        dev[i] = hist[i] > median ? hist[i] - median : median - hist[i];
    int64_t mad = median_of(dev, n);
    int64_t limit = median + 3 * mad > 2 * median ? median + 3 * mad : 2 * median;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        int64_t claim = json_integer_value(json_object_get(it, "claim_fen"));
        if (claim <= limit) continue;
        json_array_append_new(
            out,
            json_pack("{s:s, s:s, s:{s:s, s:I, s:I, s:I, s:I, s:I}}", "code", "claim_above_usual",
                      "message", "申请金额远高于该服务商以往单券核定金额（中位数与离散度见依据）",
                      "evidence", "voucher_code", rows_str(it, "voucher_code"), "claim_fen",
                      (json_int_t)claim, "median_fen", (json_int_t)median, "mad_fen",
                      (json_int_t)mad, "threshold_fen", (json_int_t)limit, "history_count",
                      (json_int_t)n));
    }
    free(dev);
    free(hist);
    return YQ_OK;
}

/* The last county review: its decision (from the state it led to), note,
 * reviewer and time; null before any review. */
static json_t *review_json(json_t *o, const struct redemption *r)
{
    if (!json_is_string(json_object_get(o, "reviewed_by"))) return json_null();
    const char *decision = "approve";
    if (r->state == REDEMPTION_REJECTED)
        decision = "reject";
    else if (r->state == REDEMPTION_RETURNED)
        decision = "return";
    else if (r->state == REDEMPTION_SUBMITTED || r->state == REDEMPTION_EVALUATED)
        decision = "superseded"; /* resubmitted, or sent back by an upheld objection */
    return json_pack("{s:s, s:O, s:O, s:O}", "decision", decision, "note",
                     json_object_get(o, "review_note"), "reviewed_by",
                     json_object_get(o, "reviewed_by"), "reviewed_at",
                     json_object_get(o, "reviewed_at"));
}

json_t *redemptions_read(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    struct redemption r;
    if (redemptions_load(db, a, id, &r, p) != YQ_OK) return NULL;
    json_t *o = redemption_view(db, id);
    if (!o) {
        problem_db_error(p);
        return NULL;
    }
    decorate_row(o);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(o, "items"), i, it)
    {
        json_object_set_new(it, "trace", item_trace(it));
        json_object_del(it, "redemption_id");
        enum voucher_state vs;
        if (voucher_state_parse(rows_str(it, "voucher_status"), &vs) == YQ_OK)
            json_object_set_new(it, "voucher_status_name", json_string(voucher_state_label_zh(vs)));
    }
    json_t *scores = json_loads(rows_str(o, "scores_json"), 0, NULL);
    json_object_set_new(o, "evaluation",
                        scores
                            ? json_pack("{s:o, s:O, s:O, s:O, s:O}", "scores", scores,
                                        "score_hundredths", json_object_get(o, "score_hundredths"),
                                        "note", json_object_get(o, "evaluation_note"),
                                        "evaluated_by", json_object_get(o, "evaluated_by"),
                                        "evaluated_at", json_object_get(o, "evaluated_at"))
                            : json_null());
    json_object_set_new(o, "review", review_json(o, &r));
    const char *drop[] = {"scores_json", "evaluation_note", "evaluated_by", "evaluated_at",
                          "review_note", "reviewed_by",     "reviewed_at"};
    for (size_t k = 0; k < sizeof drop / sizeof drop[0]; k++)
        json_object_del(o, drop[k]);
    struct period per;
    int32_t first, last;
    struct problem ignore;
    problem_clear(&ignore);
    if (redemptions_window_of(db, r.program_id, r.period, &per, &first, &last, &ignore) == YQ_OK) {
        char a1[16], b1[16];
        clock_format_date(first, a1);
        clock_format_date(last, b1);
        json_object_set_new(o, "window", json_pack("{s:s, s:s}", "opens_on", a1, "closes_on", b1));
    }
    if (role_is_official(a->role)) {
        json_t *warnings = json_array();
        if (claim_signals(db, r.provider_id, r.id, json_object_get(o, "items"), warnings) !=
            YQ_OK) {
            json_decref(warnings);
            json_decref(o);
            problem_db_error(p);
            return NULL;
        }
        json_object_set_new(o, "warnings", warnings);
    }
    return o;
}

/* ---- Pending work ------------------------------------------------------- */

json_t *work_pending(struct db *db, const struct actor *a, struct problem *p)
{
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    static const struct {
        const char *key;
        enum redemption_state state;
        unsigned roles;
    } counts[] = {
        {"drafts", REDEMPTION_DRAFT, ROLE_PROVIDER},
        {"returned", REDEMPTION_RETURNED, ROLE_PROVIDER},
        {"to_evaluate", REDEMPTION_SUBMITTED, ROLE_EVALUATOR | ROLE_CITY_IT},
        {"to_review", REDEMPTION_EVALUATED, ROLE_COUNTY_IT | ROLE_CITY_IT},
        {"approved", REDEMPTION_APPROVED, ROLE_COUNTY_IT | ROLE_CITY_IT},
        {"in_notice", REDEMPTION_IN_NOTICE, ROLE_COUNTY_IT | ROLE_COUNTY_FINANCE | ROLE_CITY_IT},
        {"to_pay", REDEMPTION_NOTICED, ROLE_COUNTY_FINANCE | ROLE_CITY_FINANCE},
    };
    json_t *o = json_object();
    if (a->role & (ROLE_COUNTY_IT | ROLE_CITY_IT)) {
        int64_t n = 0;
        if (notices_open_objections_count(db, &scope, &n) != YQ_OK) {
            json_decref(o);
            problem_db_error(p);
            return NULL;
        }
        json_object_set_new(o, "objections_open", json_integer(n));
    }
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        if (!(counts[i].roles & (unsigned)a->role)) continue;
        int64_t n = 0;
        if (redemptions_count(db, &scope, counts[i].state, &n) != YQ_OK) {
            json_decref(o);
            problem_db_error(p);
            return NULL;
        }
        json_object_set_new(o, counts[i].key, json_integer(n));
    }
    /* Outside redemption: reviews, and contracts the other side drafted. */
    int64_t n = 0;
    int rc = YQ_OK;
    if (a->role & ROLE_COUNTY_IT) {
        if ((rc = pending_enterprises(db, &scope, &n)) == YQ_OK)
            json_object_set_new(o, "enterprises_to_review", json_integer(n));
    }
    if (rc == YQ_OK && (a->role & ROLE_CITY_IT)) {
        if ((rc = pending_providers(db, &n)) == YQ_OK)
            json_object_set_new(o, "providers_to_review", json_integer(n));
        if (rc == YQ_OK && (rc = pending_catalog(db, &n)) == YQ_OK)
            json_object_set_new(o, "catalog_to_review", json_integer(n));
    }
    if (rc == YQ_OK && (a->role & (ROLE_ENTERPRISE | ROLE_PROVIDER))) {
        if ((rc = pending_contracts(db, &scope, role_code(a->role), &n)) == YQ_OK)
            json_object_set_new(o, "contracts_to_confirm", json_integer(n));
    }
    if (rc != YQ_OK) {
        json_decref(o);
        problem_db_error(p);
        return NULL;
    }
    return o;
}

int redemption_ids_distinct(const json_t *ids, struct problem *p)
{
    for (size_t i = 1; i < json_array_size(ids); i++)
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_array_get(ids, i), json_array_get(ids, j))) {
                char field[40];
                snprintf(field, sizeof field, "redemption_ids[%zu]", i);
                return problem_set(p, YQ_EINVAL, "invalid_field", field,
                                   "%s：与 redemption_ids[%zu] 是同一份兑现申请", field, j);
            }
    return YQ_OK;
}
