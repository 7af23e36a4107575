/* Voucher issuing, the waitlist, closing (SPEC §5, §6). The steps of
 * 自动生成 are the functions below, in order: standing (step 1), enjoyed
 * (step 2), amount and reservation (step 3), else the waitlist. */
#include "service/vouchers.h"
#include "core/clock.h"
#include "core/json_canon.h"
#include "core/mem.h"
#include "core/policy.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/voucher_code.h"
#include "core/waitlist.h"
#include "service/programs.h"
#include "store/audit.h"
#include "store/id.h"
#include "store/ledger.h"
#include "store/standing.h"
#include "service/tx.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void issue_outcome_clear(struct issue_outcome *o)
{
    json_decref(o->voucher);
    json_decref(o->waitlist);
    memset(o, 0, sizeof *o);
}

static void refuse(struct issue_outcome *o, const char *code, const char *msg)
{
    snprintf(o->refusal_code, sizeof o->refusal_code, "%s", code);
    snprintf(o->refusal, sizeof o->refusal, "%s", msg);
}

static int audit(struct db *db, const struct actor *a, const char *entity, const char *id,
                 const char *action, json_t *before, json_t *after)
{
    struct audit_actor who = actor_audit(a);
    return audit_append(db, &who, entity, id, action, before, after);
}

static void pool_of(char out[64], const char *county, int year)
{
    snprintf(out, 64, "pool:%s:%d", county, year);
}

/* Step 1: the contract is confirmed, both parties approved and neither on
 * the negative list. YQ_OK with *why NULL when in good standing, else the
 * reason (code in why_code); a failed read is an error. */
static int standing(struct db *db, const struct contract *c, struct party *ent, struct party *prov,
                    const char **why_code, const char **why)
{
    *why = NULL;
    *why_code = NULL;
    int rc = party_load(db, PARTY_ENTERPRISE, c->enterprise_id, ent);
    if (rc == YQ_OK) rc = party_load(db, PARTY_PROVIDER, c->provider_id, prov);
    if (rc != YQ_OK) return rc;
    bool ent_listed, prov_listed;
    if ((rc = negative_list_listed_pair(db, ent->uscc, prov->uscc, &ent_listed, &prov_listed)) !=
        YQ_OK)
        return rc;
    if (c->state != CONTRACT_CONFIRMED) {
        *why_code = "contract_closed";
        *why = "合同已不是已确认状态";
    } else if (ent_listed || ent->state == REG_DISQUALIFIED) {
        *why_code = "party_disqualified";
        *why = "企业已列入信用负面清单（取消资格）";
    } else if (prov_listed || prov->state == REG_DISQUALIFIED) {
        *why_code = "party_disqualified";
        *why = "云服务商已列入信用负面清单（取消资格）";
    } else if (ent->state != REG_APPROVED || prov->state != REG_APPROVED) {
        *why_code = "party_not_approved";
        *why = "企业或云服务商不是审核通过状态";
    }
    return YQ_OK;
}

/* Creates the voucher, its ledger account and its reservation from the
 * pool of `year`. */
static int issue(struct db *db, const struct actor *a, const struct contract *c, int year,
                 const struct voucher_issue_reads *r, int64_t amount, json_t *trace, int64_t now,
                 json_t **out)
{
    assert(amount > 0);
    struct voucher v = {0};
    int64_t serial;
    /* The serial read by the confirmation's statement (r), or read here. */
    int rc = r ? voucher_serial_after(db, c->county_code, year, r->serial_row, r->last_serial,
                                      &serial)
               : voucher_next_serial(db, c->county_code, year, &serial);
    if (rc != YQ_OK) return rc;
    id_new(v.id);
    if (!voucher_code_make(year, c->county_code, serial, v.code)) return YQ_ERR;
    snprintf(v.program_id, sizeof v.program_id, "%s", c->program_id);
    snprintf(v.contract_id, sizeof v.contract_id, "%s", c->id);
    snprintf(v.enterprise_id, sizeof v.enterprise_id, "%s", c->enterprise_id);
    snprintf(v.provider_id, sizeof v.provider_id, "%s", c->provider_id);
    snprintf(v.county_code, sizeof v.county_code, "%s", c->county_code);
    snprintf(v.service_end, sizeof v.service_end, "%s", c->service_end);
    v.issue_year = year;
    v.issued_at = now;
    v.amount_fen = amount;
    v.state = VOUCHER_ISSUED;
    id_random_hex(v.verify_token, VOUCHER_TOKEN_LEN / 2);
    char pool[64], account[64], transfer[64];
    pool_of(pool, c->county_code, year);
    snprintf(account, sizeof account, "voucher:%s", v.id);
    snprintf(transfer, sizeof transfer, "reserve:%s", v.id);
    char *calc = json_canon_dumps(trace);
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:s, s:s, s:s}",
                            "id", v.id, "code", v.code, "program_id", v.program_id, "contract_id",
                            v.contract_id, "enterprise_id", v.enterprise_id, "provider_id",
                            v.provider_id, "county_code", v.county_code, "issue_year", year,
                            "issued_at", (json_int_t)now, "amount_fen", (json_int_t)amount,
                            "calc_json", calc, "status", "issued", "service_end", v.service_end);
    if ((rc = voucher_insert(db, &v, calc)) == YQ_OK &&
        (rc = ledger_issue_voucher(db, v.id, pool, transfer, amount, v.code)) == YQ_OK)
        rc = audit(db, a, "voucher", v.id, "issue", NULL, row);
    free(calc);
    if (rc == YQ_OK) {
        json_object_del(row, "calc_json");
        json_object_set(row, "trace", trace);
        *out = row;
    } else {
        json_decref(row);
    }
    return rc;
}

/* Step 3's amount (SPEC §2) with its calculation trace. */
static json_t *amount_trace(const struct program_params *params, int version,
                            const struct contract *c, const struct party *ent, int32_t day,
                            int year, struct voucher_calc *calc, bool *no_ratio)
{
    bool certified = false;
    int32_t from, until;
    if (clock_parse_date(ent->cert_valid_from, &from) == YQ_OK &&
        clock_parse_date(ent->cert_valid_until, &until) == YQ_OK)
        certified = policy_certificate_valid(from, until, day);
    *no_ratio = policy_voucher_amount(&params->policy, c->base_fen, year, certified, calc) != YQ_OK;
    if (*no_ratio) return NULL;
    char issue_date[16];
    clock_format_date(day, issue_date);
    json_t *trace = json_pack(
        "{s:I, s:s, s:i, s:i, s:s, s:s, s:i, s:I, s:I, s:i, s:b, s:I, s:b, s:I}", "base_fen",
        (json_int_t)c->base_fen, "issue_date", issue_date, "issue_year", year, "ratio_bp",
        calc->ratio_bp, "ratio_source", calc->ratio_source, "program_id", c->program_id,
        "program_version", version, "base_cap_fen", (json_int_t)params->policy.cap_fen, "cap_fen",
        (json_int_t)calc->cap_fen, "cert_bonus_bp", params->policy.cert_bonus_bp, "certified",
        certified, "subsidy_fen", (json_int_t)calc->subsidy_fen, "capped", calc->capped,
        "amount_fen", (json_int_t)calc->amount_fen);
    json_object_set_new(trace, "certificate",
                        certified
                            ? json_pack("{s:s, s:s, s:s}", "no", ent->cert_no, "valid_from",
                                        ent->cert_valid_from, "valid_until", ent->cert_valid_until)
                            : json_string(ent->cert_no[0] ? "证书在签发日不在有效期内"
                                                          : "未提供两化融合管理体系证书"));
    return trace;
}

/* Not enough money, or others already wait: the application joins the end
 * of its queue with the amount fixed now. */
static int join_queue(struct db *db, const struct actor *a, const struct contract *c, int year,
                      int64_t amount, json_t *trace, json_t **out)
{
    struct waitlist_entry e = {0};
    id_new(e.id);
    snprintf(e.contract_id, sizeof e.contract_id, "%s", c->id);
    snprintf(e.program_id, sizeof e.program_id, "%s", c->program_id);
    snprintf(e.enterprise_id, sizeof e.enterprise_id, "%s", c->enterprise_id);
    snprintf(e.county_code, sizeof e.county_code, "%s", c->county_code);
    e.year = year;
    e.amount_fen = amount;
    e.confirmed_at = c->confirmed_at;
    e.state = WAITLIST_WAITING;
    char *calc = json_canon_dumps(trace);
    int64_t ahead = 0;
    int rc = waitlist_insert(db, &e, calc, &ahead);
    free(calc);
    json_t *row = waitlist_json(&e);
    if (rc == YQ_OK) rc = audit(db, a, "waitlist", e.id, "join", NULL, row);
    if (rc != YQ_OK) {
        json_decref(row);
        return rc;
    }
    json_object_set(row, "trace", trace);
    json_object_set_new(row, "ahead", json_integer(ahead));
    *out = row;
    return YQ_OK;
}

int vouchers_issue_for_contract(struct db *db, const struct actor *a, const struct contract *c,
                                const struct party *ent, const struct party *prov,
                                const struct program_params *params, int version,
                                struct issue_outcome *out)
{
    memset(out, 0, sizeof *out);
    assert(c->state == CONTRACT_CONFIRMED && c->confirmed_at > 0);
    int32_t day = clock_cst_day(c->confirmed_at);
    int year;
    unsigned m, d;
    clock_civil_from_days(day, &year, &m, &d);
    if (day < params->window_start_day || day > params->window_end_day) {
        refuse(out, "outside_program", "确认日期不在政策方案执行期内，不生成云服务券");
        return YQ_OK;
    }
    /* Step 1 was done by the caller, in this transaction: both parties
     * approved and off the negative list (they are not read twice). The
     * program's 适用行业, when it names any, must include the enterprise's. */
    (void)prov;
    if (params->eligible_industries[0] &&
        (!ent->industry[0] || !strchr(params->eligible_industries, ent->industry[0]))) {
        refuse(out, "industry_not_eligible",
               "企业所属行业不在政策方案的适用行业内，不生成云服务券");
        return YQ_OK;
    }
    int rc;
    /* Step 2: 单个企业只享受一次; read with what steps 3 and 4 need, in
     * one statement. */
    struct voucher_issue_reads r;
    char pool[64];
    pool_of(pool, c->county_code, year);
    if ((rc = vouchers_issue_reads(db, ent->id, c->program_id, c->county_code, year, pool, &r)) !=
        YQ_OK)
        return rc;
    if (r.enjoyed >= params->vouchers_per_enterprise) {
        refuse(out, "already_enjoyed", "该企业已享受本方案的云服务券（单个企业只享受一次）");
        return YQ_OK;
    }
    if (r.queued) {
        refuse(out, "already_waiting", "该企业已有申请在候补队列中");
        return YQ_OK;
    }
    /* Step 3: the amount, then the reservation. */
    struct voucher_calc calc;
    bool no_ratio;
    json_t *trace = amount_trace(params, version, c, ent, day, year, &calc, &no_ratio);
    if (no_ratio) {
        refuse(out, "no_ratio", "政策方案未规定该年度的补贴比例");
        return YQ_OK;
    }
    if (calc.amount_fen <= 0) {
        json_decref(trace);
        refuse(out, "zero_amount",
               c->base_fen == 0 ? "合同中没有目录内服务，补贴基数为零，不生成云服务券"
                                : "按政策计算的补贴金额为零");
        return YQ_OK;
    }
    /* Never overtake the queue: while anyone in the county waits, a new
     * application waits behind them, whatever the pool holds. */
    int64_t available = r.available, grant = 0;
    /* A county's first voucher of a year opens its pool (empty). */
    if (!r.pool_open && (rc = ledger_pool_available(db, c->county_code, year, &available)) != YQ_OK)
        goto done;
    if (!r.county_waits) {
        if (available >= calc.amount_fen)
            grant = calc.amount_fen;
        else if (params->partial_last && available > 0)
            grant = available;
    }
    if (grant > 0) {
        if (grant < calc.amount_fen) {
            json_object_set_new(trace, "partial_last", json_true());
            json_object_set_new(trace, "amount_fen", json_integer(grant));
        }
        rc = issue(db, a, c, year, &r, grant, trace, c->confirmed_at, &out->voucher);
    } else {
        rc = join_queue(db, a, c, year, calc.amount_fen, trace, &out->waitlist);
    }
done:
    json_decref(trace);
    return rc;
}

/* The program rules of the applications in a queue, loaded once each. */
struct rules_cache {
    char program[8][64];
    bool partial_last[8];
    int n;
};

static int partial_last_of(struct db *db, struct rules_cache *rc_, const char *program, bool *out)
{
    for (int i = 0; i < rc_->n; i++)
        if (strcmp(rc_->program[i], program) == 0) {
            *out = rc_->partial_last[i];
            return YQ_OK;
        }
    struct program_params params;
    int version;
    struct problem p;
    if (programs_load_params(db, program, &params, &version, &p) != YQ_OK) return YQ_ERR;
    *out = params.partial_last;
    if (rc_->n < 8) {
        snprintf(rc_->program[rc_->n], sizeof rc_->program[0], "%s", program);
        rc_->partial_last[rc_->n++] = params.partial_last;
    }
    return YQ_OK;
}

/* Takes one application out of the queue, with the reason, audited. */
static int leave(struct db *db, const struct actor *a, const struct waitlist_entry *e,
                 const char *reason, int64_t now)
{
    int rc = waitlist_leave(db, e->id, WAITLIST_CANCELLED, now, reason);
    if (rc != YQ_OK) return rc;
    json_t *before = waitlist_json(e);
    json_t *after = json_pack("{s:s, s:s}", "status", "cancelled", "reason", reason);
    rc = audit(db, a, "waitlist", e->id, "cancel", before, after);
    json_decref(before);
    json_decref(after);
    return rc;
}

/* Serves the head of the county queue from one pool while it can. */
static int serve_from_pool(struct db *db, const struct actor *a, const char *county, int year,
                           struct rules_cache *rules, int64_t now)
{
    char pool[64];
    pool_of(pool, county, year);
    int64_t available;
    struct waitlist_entry *q = NULL;
    size_t n = 0;
    int rc = ledger_available(db, pool, &available);
    if (rc != YQ_OK || available <= 0) return rc;
    if ((rc = waitlist_county_queue(db, county, &q, &n)) != YQ_OK) return rc;
    /* The live prefix that the money could reach; those who lost their
     * standing leave on the way (they are not skipped over). */
    struct waitlist_grant *g = yq_calloc(n ? n : 1, sizeof *g);
    struct waitlist_entry **live = yq_calloc(n ? n : 1, sizeof *live);
    size_t k = 0;
    int64_t wanted = 0;
    for (size_t i = 0; i < n && wanted <= available && rc == YQ_OK; i++) {
        struct contract c;
        struct party ent, prov;
        const char *why_code, *why;
        if ((rc = contract_get(db, q[i].contract_id, &c)) != YQ_OK ||
            (rc = standing(db, &c, &ent, &prov, &why_code, &why)) != YQ_OK)
            break;
        if (why) {
            char reason[256];
            snprintf(reason, sizeof reason, "%s，退出候补队列", why);
            rc = leave(db, a, &q[i], reason, now);
            continue;
        }
        g[k].amount_fen = q[i].amount_fen;
        rc = partial_last_of(db, rules, q[i].program_id, &g[k].partial_last);
        live[k++] = &q[i];
        wanted += q[i].amount_fen;
    }
    size_t served = rc == YQ_OK ? waitlist_serve(g, k, available) : 0;
    for (size_t i = 0; i < served && rc == YQ_OK; i++) {
        struct waitlist_entry *e = live[i];
        struct contract c;
        char *calc_text = NULL;
        json_t *voucher = NULL;
        if ((rc = contract_get(db, e->contract_id, &c)) != YQ_OK ||
            (rc = waitlist_calc(db, e->id, &calc_text)) != YQ_OK)
            break;
        json_t *trace = json_loads(calc_text, 0, NULL);
        free(calc_text);
        if (!trace) {
            rc = YQ_ERR;
            break;
        }
        char served_on[16];
        clock_format_date(clock_cst_day(now), served_on);
        json_object_set_new(trace, "served_from_waitlist", json_true());
        json_object_set_new(trace, "waitlist_position", json_integer(e->position));
        json_object_set_new(trace, "served_on", json_string(served_on));
        json_object_set_new(trace, "served_from_pool", json_string(pool));
        if (g[i].grant_fen < g[i].amount_fen) {
            json_object_set_new(trace, "partial_last", json_true());
            json_object_set_new(trace, "amount_fen", json_integer(g[i].grant_fen));
        }
        rc = issue(db, a, &c, year, NULL, g[i].grant_fen, trace, now, &voucher);
        if (rc == YQ_OK)
            rc = waitlist_served(db, e->id, now, json_string_value(json_object_get(voucher, "id")));
        if (rc == YQ_OK) {
            json_t *after = json_pack("{s:s, s:O}", "status", "served", "voucher_id",
                                      json_object_get(voucher, "id"));
            rc = audit(db, a, "waitlist", e->id, "serve", NULL, after);
            json_decref(after);
        }
        json_decref(trace);
        json_decref(voucher);
    }
    free(g);
    free(live);
    free(q);
    return rc;
}

int vouchers_serve_waitlist(struct db *db, const struct actor *a, const char *county, int year)
{
    struct rules_cache rules = {0};
    return serve_from_pool(db, a, county, year, &rules, clock_now_ms());
}

int vouchers_leave_queue(struct db *db, const struct actor *a, struct waitlist_entry *e, size_t n,
                         const char *reason)
{
    int64_t now = clock_now_ms();
    int rc = YQ_OK;
    for (size_t i = 0; i < n && rc == YQ_OK; i++)
        rc = leave(db, a, &e[i], reason, now);
    /* The head may have left: whoever is next may fit in this year's pool,
     * the one the queue waits on. */
    int year;
    unsigned m, d;
    clock_civil_from_days(clock_cst_day(now), &year, &m, &d);
    for (size_t i = 0; i < n && rc == YQ_OK; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            if (strcmp(e[j].county_code, e[i].county_code) == 0) seen = true;
        if (!seen) rc = vouchers_serve_waitlist(db, a, e[i].county_code, year);
    }
    return rc;
}

int vouchers_close(struct db *db, const struct actor *a, const struct voucher *v,
                   enum voucher_state to, const char *reason)
{
    enum voucher_state next =
        voucher_next(v->state, to == VOUCHER_EXPIRED ? VOUCHER_EV_EXPIRE : VOUCHER_EV_TERMINATE);
    if (next == VOUCHER_STATE_INVALID) return YQ_ECONFLICT;
    assert(next == to);
    int64_t now = clock_now_ms();
    int rc = voucher_close(db, v->id, v->state, to, now, reason);
    if (rc != YQ_OK) return rc;
    char void_id[64], reserve_id[64];
    snprintf(void_id, sizeof void_id, "void:%s", v->id);
    snprintf(reserve_id, sizeof reserve_id, "reserve:%s", v->id);
    if (v->amount_fen > 0 && (rc = ledger_void(db, void_id, reserve_id, v->code)) != YQ_OK)
        return rc;
    json_t *after = json_pack("{s:s, s:s?}", "status", voucher_state_name(to), "reason", reason);
    json_t *before = json_pack("{s:s}", "status", voucher_state_name(v->state));
    rc = audit(db, a, "voucher", v->id, to == VOUCHER_EXPIRED ? "expire" : "terminate", before,
               after);
    json_decref(after);
    json_decref(before);
    /* What was released goes back to the pool it came from (the issue
     * year's) and serves the county's waitlist from there. */
    if (rc == YQ_OK) rc = vouchers_serve_waitlist(db, a, v->county_code, v->issue_year);
    return rc;
}

/* After the program's window, city_it closes its queue (SPEC §5): every
 * application still waiting lapses, with the reason the enterprise sees on
 * its contract. */
struct lapse {
    const struct actor *actor;
    const char *program, *reason;
    size_t lapsed;
};

static int lapse_run(struct db *db, void *ctx, struct problem *p)
{
    struct lapse *x = ctx;
    struct program_params params;
    int version;
    int rc = programs_load_params(db, x->program, &params, &version, p);
    if (rc != YQ_OK) return rc;
    int64_t now = clock_now_ms();
    if (clock_cst_day(now) <= params.window_end_day) {
        int y;
        unsigned m, d;
        clock_civil_from_days(params.window_end_day, &y, &m, &d);
        return problem_set(p, YQ_ECONFLICT, "program_window_open", NULL,
                           "方案执行期至 %04d-%02u-%02u 结束，结束后才能关闭候补队列", y, m, d);
    }
    struct waitlist_entry *e = NULL;
    size_t n = 0;
    if ((rc = waitlist_waiting_of_program(db, x->program, &e, &n)) != YQ_OK) return rc;
    for (size_t i = 0; i < n && rc == YQ_OK; i++) {
        if ((rc = waitlist_leave(db, e[i].id, WAITLIST_LAPSED, now, x->reason)) != YQ_OK) break;
        json_t *before = waitlist_json(&e[i]);
        json_t *after = json_pack("{s:s, s:s}", "status", "lapsed", "reason", x->reason);
        rc = audit(db, x->actor, "waitlist", e[i].id, "lapse", before, after);
        json_decref(before);
        json_decref(after);
    }
    free(e);
    x->lapsed = n;
    return rc;
}

json_t *vouchers_close_waitlist(struct db *db, const struct actor *a, const char *program,
                                const char *reason, struct problem *p)
{
    if (reason && *reason && validate_text("reason", "失效原因", reason, 500, p) != YQ_OK)
        return NULL;
    struct lapse x = {.actor = a,
                      .program = program,
                      .reason = reason && *reason ? reason : "方案执行期已结束，候补队列已关闭"};
    if (service_tx(db, lapse_run, &x, p) != YQ_OK) return NULL;
    return json_pack("{s:s, s:I, s:s}", "program_id", program, "lapsed", (json_int_t)x.lapsed,
                     "reason", x.reason);
}
