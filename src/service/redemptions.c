/* Redemption applications: filing, evaluation, review (see redemptions.h). */
#include "service/redemptions.h"
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

#define MAX_ITEMS 200

static int not_found(struct problem *p)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "兑现申请不存在");
}

static int audit(struct db *db, const struct actor *a, const char *id, const char *action,
                 json_t *before, json_t *after)
{
    struct audit_actor who = actor_audit(a);
    return audit_append(db, &who, "redemption", id, action, before, after);
}

static int64_t today(void)
{
    return clock_cst_day(clock_now_ms());
}

/* The application if the actor may see it (404 otherwise). */
static int load(struct db *db, const struct actor *a, const char *id, struct redemption *r,
                struct problem *p)
{
    int rc = redemption_get(db, id, r);
    if (rc == YQ_ENOTFOUND) return not_found(p);
    if (rc != YQ_OK) return problem_db_error(p);
    if (a->role & ROLE_CITY_WIDE) return YQ_OK;
    if (a->role & ROLE_COUNTY_SCOPED)
        return actor_in_county(a, r->county_code) ? YQ_OK : not_found(p);
    if (a->role == ROLE_PROVIDER) {
        struct party mine;
        rc = party_load_by_user(db, PARTY_PROVIDER, a->user.id, &mine);
        if (rc != YQ_OK && rc != YQ_ENOTFOUND) return problem_db_error(p);
        if (rc == YQ_OK && strcmp(mine.id, r->provider_id) == 0) return YQ_OK;
    }
    return not_found(p);
}

static int own_provider(struct db *db, const struct actor *a, struct party *mine, struct problem *p)
{
    int rc = party_load_by_user(db, PARTY_PROVIDER, a->user.id, mine);
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_ECONFLICT, "no_party", NULL, "请先完成云服务商注册资料");
    if (rc != YQ_OK) return problem_db_error(p);
    return YQ_OK;
}

/* Refuses a move the state machine does not allow. */
static int move_allowed(enum redemption_state from, enum redemption_event ev,
                        enum redemption_state *to, const char *what, struct problem *p)
{
    *to = redemption_next(from, ev);
    if (*to == REDEMPTION_INVALID)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "兑现申请当前状态（%s）不能%s",
                           redemption_state_label_zh(from), what);
    return YQ_OK;
}

/* An optional text left blank is no text. */
static const char *optional_text(const char *s)
{
    if (!s) return NULL;
    for (const char *c = s; *c; c++)
        if (*c != ' ' && *c != '\t') return s;
    return NULL;
}

static int only_fields(json_t *body, const char *const *fields, struct problem *p)
{
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        bool known = false;
        for (int i = 0; fields[i]; i++)
            if (strcmp(fields[i], key) == 0) known = true;
        if (!known) return problem_set(p, YQ_EINVAL, "unknown_field", key, "未知字段：%s", key);
    }
    return YQ_OK;
}

/* ---- Periods and the filing window ------------------------------------- */

static int window_of(struct db *db, const char *program, const char *period_text,
                     struct period *per, int32_t *first, int32_t *last, struct problem *p)
{
    if (!period_text || period_parse(period_text, per) != YQ_OK)
        return problem_set(p, YQ_EINVAL, "invalid_field", "period",
                           "兑现周期须为半年度，例如 2019H1 或 2019H2");
    struct program_params params;
    int version;
    if (programs_load_params(db, program, &params, &version, p) != YQ_OK) return p->status;
    if (period_window(*per, params.redemption_window_days, first, last) != YQ_OK)
        return problem_set(p, YQ_EINVAL, "invalid_field", "period", "兑现周期无效");
    return YQ_OK;
}

/* Filing is allowed only inside the window, whose dates the refusal names. */
static int inside_window(struct db *db, const char *program, const char *period_text,
                         struct problem *p)
{
    struct period per;
    int32_t first, last;
    if (window_of(db, program, period_text, &per, &first, &last, p) != YQ_OK) return p->status;
    int32_t day = (int32_t)today();
    if (day >= first && day <= last) return YQ_OK;
    char a[16], b[16];
    clock_format_date(first, a);
    clock_format_date(last, b);
    return problem_set(p, YQ_EINVAL, "outside_window", "period",
                       "%s 的兑现申请期为 %s 至 %s，当前不在申请期内", period_text, a, b);
}

json_t *redemptions_periods(struct db *db, const struct actor *a, struct problem *p)
{
    (void)a;
    char program[64];
    if (programs_current(db, NULL, program, p) != YQ_OK) return NULL;
    struct period now, prev;
    if (period_of_day((int32_t)today(), &now) != YQ_OK || period_previous(now, &prev) != YQ_OK) {
        problem_set(p, YQ_EINVAL, "invalid_field", NULL, "当前日期不在可用的年度范围内");
        return NULL;
    }
    json_t *items = json_array();
    struct period list[2] = {prev, now};
    for (int i = 0; i < 2; i++) {
        char text[PERIOD_TEXT_LEN + 1], a1[16], b1[16];
        struct period per;
        int32_t first, last;
        period_format(list[i], text);
        if (window_of(db, program, text, &per, &first, &last, p) != YQ_OK) {
            json_decref(items);
            return NULL;
        }
        clock_format_date(first, a1);
        clock_format_date(last, b1);
        int32_t day = (int32_t)today();
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b, s:s}", "period", text,
                                               "opens_on", a1, "closes_on", b1, "open",
                                               day >= first && day <= last, "program_id", program));
    }
    return json_pack("{s:o, s:i}", "items", items, "total", 2);
}

json_t *redemptions_claimable(struct db *db, const struct actor *a, const char *county,
                              const char *period, struct problem *p)
{
    struct party mine;
    if (!county) {
        problem_set(p, YQ_EINVAL, "missing_field", "county_code", "请选择区县");
        return NULL;
    }
    if (own_provider(db, a, &mine, p) != YQ_OK) return NULL;
    json_t *rows = redemption_claimable(db, mine.id, county);
    if (!rows) {
        problem_db_error(p);
        return NULL;
    }
    size_t i;
    json_t *v;
    json_array_foreach(rows, i, v)
    {
        int64_t remaining = 0;
        char reserve[64];
        snprintf(reserve, sizeof reserve, "reserve:%s", rows_str(v, "voucher_id"));
        if (ledger_pending_remaining(db, reserve, &remaining) != YQ_OK) {
            json_decref(rows);
            problem_db_error(p);
            return NULL;
        }
        int64_t open = json_integer_value(json_object_get(v, "open_claims_fen"));
        json_object_set_new(v, "claimable_fen",
                            json_integer(remaining > open ? remaining - open : 0));
        enum voucher_state st;
        if (voucher_state_parse(rows_str(v, "status"), &st) == YQ_OK)
            json_object_set_new(v, "status_name", json_string(voucher_state_label_zh(st)));
    }
    (void)period;
    return json_pack("{s:o, s:I}", "items", rows, "total", (json_int_t)json_array_size(rows));
}

/* ---- Filing: the items, checked against the vouchers as they are now ---- */

struct filing {
    const struct actor *actor;
    const char *id; /* NULL when creating */
    json_t *body;
    const char *county, *period;
    size_t n;
    struct redemption_item items[MAX_ITEMS];
    struct redemption r; /* out */
};

static int text_field(json_t *o, const char *key, const char *label, size_t max, bool required,
                      char *out, size_t outlen, const char *field, struct problem *p)
{
    json_t *v = json_object_get(o, key);
    out[0] = '\0';
    if (!v || json_is_null(v)) {
        if (!required) return YQ_OK;
        return problem_set(p, YQ_EINVAL, "missing_field", field, "%s：请填写%s", field, label);
    }
    if (!json_is_string(v) || validate_text(field, label, json_string_value(v), max, p) != YQ_OK)
        return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s：%s无效（最多 %zu 字）", field,
                           label, max);
    snprintf(out, outlen, "%s", json_string_value(v));
    return YQ_OK;
}

static int fen_field(json_t *o, const char *key, const char *label, int64_t min, int64_t *out,
                     const char *field, struct problem *p)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < min ||
        json_integer_value(v) > 100000000000LL)
        return problem_set(p, YQ_EINVAL, v ? "invalid_field" : "missing_field", field,
                           "%s：%s须为%s整数（单位：分）", field, label, min > 0 ? "正" : "非负");
    *out = json_integer_value(v);
    return YQ_OK;
}

/* The items' shape, before any database read. */
static int parse_items(struct filing *f, struct problem *p)
{
    json_t *items = json_object_get(f->body, "items");
    if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > MAX_ITEMS)
        return problem_set(p, YQ_EINVAL, "invalid_field", "items", "兑现明细须有 1 至 200 项");
    f->n = json_array_size(items);
    for (size_t i = 0; i < f->n; i++) {
        json_t *in = json_array_get(items, i);
        struct redemption_item *it = &f->items[i];
        memset(it, 0, sizeof *it);
        char field[32];
        snprintf(field, sizeof field, "items[%zu]", i);
        if (!json_is_object(in))
            return problem_set(p, YQ_EINVAL, "wrong_type", field, "兑现明细须为对象");
        if (text_field(in, "voucher_id", "云服务券", 64, true, it->voucher_id,
                       sizeof it->voucher_id, field, p) ||
            text_field(in, "service_desc", "本期服务内容", 200, true, it->service_desc,
                       sizeof it->service_desc, field, p) ||
            text_field(in, "invoice_nos", "发票号", 160, true, it->invoice_nos,
                       sizeof it->invoice_nos, field, p) ||
            fen_field(in, "fee_fen", "收费金额", 0, &it->fee_fen, field, p) ||
            fen_field(in, "claim_fen", "申请兑现金额", 1, &it->claim_fen, field, p))
            return p->status;
        if (it->claim_fen > it->fee_fen)
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "%s：申请兑现金额不能超过收费金额", field);
        for (size_t j = 0; j < i; j++)
            if (strcmp(f->items[j].voucher_id, it->voucher_id) == 0)
                return problem_set(p, YQ_EINVAL, "invalid_field", field,
                                   "%s：同一张券在一份申请中只能出现一次", field);
    }
    return YQ_OK;
}

/* Each voucher: the provider's own, in the county, live, not claimed for
 * the period elsewhere, and the claim within what remains of it. Sets the
 * program and the claim total. */
static int check_items(struct db *db, struct filing *f, const struct party *mine, struct problem *p)
{
    f->r.claim_fen = 0;
    for (size_t i = 0; i < f->n; i++) {
        struct redemption_item *it = &f->items[i];
        char field[32];
        snprintf(field, sizeof field, "items[%zu]", i);
        struct voucher v;
        int rc = voucher_get(db, it->voucher_id, &v);
        if (rc != YQ_OK && rc != YQ_ENOTFOUND) return problem_db_error(p);
        if (rc == YQ_ENOTFOUND || strcmp(v.provider_id, mine->id) != 0)
            return problem_set(p, YQ_EINVAL, "not_own_voucher", field,
                               "%s：该券不存在或不属于本服务商的合同，只有合同的服务商可以兑现",
                               field);
        if (strcmp(v.county_code, f->r.county_code) != 0)
            return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s：券 %s 不属于所选区县",
                               field, v.code);
        if (!voucher_state_live(v.state))
            return problem_set(p, YQ_EINVAL, "voucher_closed", field, "%s：券 %s %s，不能申请兑现",
                               field, v.code, voucher_state_label_zh(v.state));
        if (i == 0)
            snprintf(f->r.program_id, sizeof f->r.program_id, "%s", v.program_id);
        else if (strcmp(f->r.program_id, v.program_id) != 0)
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "%s：一份申请中的券须属于同一政策方案", field);
        int64_t remaining, open;
        char reserve[64];
        snprintf(reserve, sizeof reserve, "reserve:%s", v.id);
        if (ledger_pending_remaining(db, reserve, &remaining) != YQ_OK ||
            redemption_open_claims(db, v.id, f->id, &open) != YQ_OK)
            return problem_db_error(p);
        int64_t left;
        rc = redemption_check_claim(it->claim_fen, remaining, 0, open, &left);
        if (rc == YQ_ECONFLICT)
            return problem_set(
                p, YQ_EINVAL, "claim_above_balance", field,
                "%s：券 %s 可申请兑现余额为 %lld 分（已扣除其他在途申请），申请 %lld 分超出", field,
                v.code, (long long)(left > 0 ? left : 0), (long long)it->claim_fen);
        if (rc != YQ_OK) return problem_db_error(p);
        f->r.claim_fen += it->claim_fen;
    }
    return YQ_OK;
}

static json_t *items_json(const struct redemption_item *items, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:I, s:I, s:s}", "voucher_id", items[i].voucher_id,
                           "service_desc", items[i].service_desc, "fee_fen",
                           (json_int_t)items[i].fee_fen, "claim_fen",
                           (json_int_t)items[i].claim_fen, "invoice_nos", items[i].invoice_nos));
    return arr;
}

static int create_run(struct db *db, void *ctx, struct problem *p)
{
    struct filing *f = ctx;
    struct party mine;
    if (own_provider(db, f->actor, &mine, p) != YQ_OK) return p->status;
    if (mine.state != REG_APPROVED)
        return problem_set(p, YQ_ECONFLICT, "party_not_approved", NULL,
                           "云服务商不是审核通过状态，不能申请兑现");
    struct redemption *r = &f->r;
    memset(r, 0, sizeof *r);
    snprintf(r->county_code, sizeof r->county_code, "%s", f->county);
    snprintf(r->provider_id, sizeof r->provider_id, "%s", mine.id);
    if (check_items(db, f, &mine, p) != YQ_OK) return p->status;
    if (inside_window(db, r->program_id, f->period, p) != YQ_OK) return p->status;
    snprintf(r->period, sizeof r->period, "%s", f->period);
    char existing[ID_LEN + 1];
    int rc = redemption_open_for(db, mine.id, f->county, f->period, existing);
    if (rc == YQ_OK)
        return problem_set(p, YQ_ECONFLICT, "already_filed", "period",
                           "本服务商在该区县 %s 已有兑现申请（每个区县每半年一份）", f->period);
    if (rc != YQ_ENOTFOUND) return rc;
    id_new(r->id);
    r->state = REDEMPTION_DRAFT;
    r->created_at = r->updated_at = clock_now_ms();
    rc = redemption_insert(db, r, f->items, f->n, f->actor->user.username);
    if (rc == YQ_ECONFLICT)
        return problem_set(p, YQ_ECONFLICT, "already_claimed", "items",
                           "有券在本期已被另一份申请兑现");
    if (rc != YQ_OK) return rc;
    json_t *after = json_pack("{s:s, s:s, s:s, s:I, s:o}", "county_code", r->county_code, "period",
                              r->period, "status", "draft", "claim_fen", (json_int_t)r->claim_fen,
                              "items", items_json(f->items, f->n));
    rc = audit(db, f->actor, r->id, "create", NULL, after);
    json_decref(after);
    return rc;
}

json_t *redemptions_create(struct db *db, const struct actor *a, json_t *body, struct problem *p)
{
    static const char *const fields[] = {"county_code", "period", "items", NULL};
    if (only_fields(body, fields, p) != YQ_OK) return NULL;
    struct filing *f = yq_calloc(1, sizeof *f);
    f->actor = a;
    f->body = body;
    f->county = json_string_value(json_object_get(body, "county_code"));
    f->period = json_string_value(json_object_get(body, "period"));
    json_t *result = NULL;
    if (!f->county)
        problem_set(p, YQ_EINVAL, "missing_field", "county_code", "请选择区县");
    else if (!f->period)
        problem_set(p, YQ_EINVAL, "missing_field", "period", "请选择兑现周期（如 2019H1）");
    else if (parse_items(f, p) == YQ_OK && service_tx(db, create_run, f, p) == YQ_OK)
        result = redemptions_read(db, a, f->r.id, p);
    free(f);
    return result;
}

static int patch_run(struct db *db, void *ctx, struct problem *p)
{
    struct filing *f = ctx;
    struct redemption *r = &f->r;
    if (load(db, f->actor, f->id, r, p) != YQ_OK) return p->status;
    if (r->state != REDEMPTION_DRAFT && r->state != REDEMPTION_RETURNED)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "兑现申请当前状态（%s）不能修改",
                           redemption_state_label_zh(r->state));
    struct party mine;
    if (own_provider(db, f->actor, &mine, p) != YQ_OK) return p->status;
    char program[64];
    snprintf(program, sizeof program, "%s", r->program_id);
    if (check_items(db, f, &mine, p) != YQ_OK) return p->status;
    if (strcmp(program, r->program_id) != 0)
        return problem_set(p, YQ_EINVAL, "invalid_field", "items", "申请中的券须属于同一政策方案");
    int rc =
        redemption_replace_items(db, r->id, r->state, f->items, f->n, r->claim_fen, clock_now_ms());
    if (rc == YQ_ECONFLICT)
        return problem_set(p, YQ_ECONFLICT, "already_claimed", "items",
                           "有券在本期已被另一份申请兑现");
    if (rc != YQ_OK) return rc;
    json_t *after = json_pack("{s:I, s:o}", "claim_fen", (json_int_t)r->claim_fen, "items",
                              items_json(f->items, f->n));
    rc = audit(db, f->actor, r->id, "edit", NULL, after);
    json_decref(after);
    return rc;
}

json_t *redemptions_patch(struct db *db, const struct actor *a, const char *id, json_t *body,
                          struct problem *p)
{
    static const char *const fields[] = {"items", NULL};
    if (only_fields(body, fields, p) != YQ_OK) return NULL;
    struct filing *f = yq_calloc(1, sizeof *f);
    f->actor = a;
    f->id = id;
    f->body = body;
    json_t *result = NULL;
    if (parse_items(f, p) == YQ_OK && service_tx(db, patch_run, f, p) == YQ_OK)
        result = redemptions_read(db, a, id, p);
    free(f);
    return result;
}

/* ---- Submit, withdraw -------------------------------------------------- */

struct simple_move {
    const struct actor *actor;
    const char *id;
    enum redemption_event event;
};

static int move_run(struct db *db, void *ctx, struct problem *p)
{
    struct simple_move *m = ctx;
    struct redemption r;
    if (load(db, m->actor, m->id, &r, p) != YQ_OK) return p->status;
    enum redemption_event ev = m->event;
    if (ev == REDEMPTION_EV_SUBMIT && r.state == REDEMPTION_RETURNED) ev = REDEMPTION_EV_RESUBMIT;
    enum redemption_state to;
    const char *what = ev == REDEMPTION_EV_WITHDRAW ? "撤回" : "提交";
    if (move_allowed(r.state, ev, &to, what, p) != YQ_OK) return p->status;
    /* A first submission is filing: inside the window. A resubmission
     * after a return may come later (the return was the county's). */
    if (ev == REDEMPTION_EV_SUBMIT && inside_window(db, r.program_id, r.period, p) != YQ_OK)
        return p->status;
    if (ev != REDEMPTION_EV_WITHDRAW) {
        /* The vouchers may have changed since the draft: check again. */
        struct redemption_item *items = NULL;
        size_t n = 0;
        int rc = redemption_items(db, r.id, &items, &n);
        if (rc != YQ_OK) return rc;
        struct filing *f = yq_calloc(1, sizeof *f);
        f->actor = m->actor;
        f->id = r.id;
        f->n = n < MAX_ITEMS ? n : MAX_ITEMS;
        memcpy(f->items, items, f->n * sizeof *items);
        f->r = r;
        struct party mine;
        rc = own_provider(db, m->actor, &mine, p);
        if (rc == YQ_OK) rc = check_items(db, f, &mine, p);
        free(items);
        free(f);
        if (rc != YQ_OK) return rc;
    }
    int rc = redemption_move(db, r.id, r.state, to, clock_now_ms());
    if (rc != YQ_OK) return rc;
    json_t *before = json_pack("{s:s}", "status", redemption_state_name(r.state));
    json_t *after = json_pack("{s:s}", "status", redemption_state_name(to));
    rc = audit(db, m->actor, r.id, redemption_event_name(ev), before, after);
    json_decref(before);
    json_decref(after);
    return rc;
}

static json_t *simple(struct db *db, const struct actor *a, const char *id,
                      enum redemption_event ev, struct problem *p)
{
    struct simple_move m = {a, id, ev};
    if (service_tx(db, move_run, &m, p) != YQ_OK) return NULL;
    return redemptions_read(db, a, id, p);
}

json_t *redemptions_submit(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    return simple(db, a, id, REDEMPTION_EV_SUBMIT, p);
}

json_t *redemptions_withdraw(struct db *db, const struct actor *a, const char *id,
                             struct problem *p)
{
    return simple(db, a, id, REDEMPTION_EV_WITHDRAW, p);
}

/* ---- Evaluation (第三方评价) -------------------------------------------- */

struct evaluation {
    const struct actor *actor;
    const char *id;
    json_t *body;
};

static int find_item(struct redemption_item *items, size_t n, const char *voucher_id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].voucher_id, voucher_id) == 0) return (int)i;
    return -1;
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
        snprintf(field, sizeof field, "items[%zu]", k);
        const char *vid = json_string_value(json_object_get(e, "voucher_id"));
        int i = vid ? find_item(items, n, vid) : -1;
        if (i < 0)
            return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s：申请中没有这张券", field);
        struct redemption_item *it = &items[i];
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
        if (json_is_string(note) && !optional_text(json_string_value(note))) note = NULL;
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
    if (load(db, x->actor, x->id, &r, p) != YQ_OK) return p->status;
    enum redemption_state to;
    if (move_allowed(r.state, REDEMPTION_EV_EVALUATE, &to, "评价", p) != YQ_OK) return p->status;
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
    const char *note = optional_text(json_string_value(json_object_get(x->body, "note")));
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
        rc = audit(db, x->actor, r.id, "evaluate", before, after);
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
    if (only_fields(body, fields, p) != YQ_OK) return NULL;
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
        snprintf(field, sizeof field, "items[%zu]", k);
        const char *vid = json_string_value(json_object_get(e, "voucher_id"));
        int i = vid ? find_item(items, n, vid) : -1;
        if (i < 0)
            return problem_set(p, YQ_EINVAL, "invalid_field", field, "%s：申请中没有这张券", field);
        json_t *adj = json_object_get(e, "adjustment_fen");
        if (!json_is_integer(adj) || json_integer_value(adj) < 0 ||
            json_integer_value(adj) > 100000000000LL)
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "%s：审核调减金额须为非负整数（分），只能调减", field);
        items[i].adjustment_fen = json_integer_value(adj);
        const char *reason = json_string_value(json_object_get(e, "reason"));
        snprintf(items[i].adjustment_reason, sizeof items[i].adjustment_reason, "%s",
                 reason ? reason : "");
        if (items[i].adjustment_fen > 0 &&
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
    if (load(db, x->actor, x->id, &r, p) != YQ_OK) return p->status;
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
    if (move_allowed(r.state, ev, &to, "审核", p) != YQ_OK) return p->status;
    const char *reason = json_string_value(json_object_get(x->body, "reason"));
    if (ev == REDEMPTION_EV_APPROVE) reason = optional_text(reason);
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
        rc = audit(db, x->actor, r.id, redemption_event_name(ev), before, after);
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
    if (only_fields(body, fields, p) != YQ_OK) return NULL;
    struct review x = {a, id, body};
    if (service_tx(db, review_run, &x, p) != YQ_OK) return NULL;
    return redemptions_read(db, a, id, p);
}

/* ---- Reads -------------------------------------------------------------- */

static void decorate_row(json_t *row)
{
    enum redemption_state st;
    if (redemption_state_parse(rows_str(row, "status"), &st) == YQ_OK)
        json_object_set_new(row, "status_name", json_string(redemption_state_label_zh(st)));
    rows_instants(row, "submitted_at", "created_at", "updated_at", "evaluated_at", "reviewed_at",
                  NULL);
}

json_t *redemptions_list(struct db *db, const struct actor *a, const char *status,
                         const char *period, const char *county, int64_t offset, int64_t limit,
                         struct problem *p)
{
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    struct redemption_filter f = {&scope, status, period, county, offset, limit};
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
    if (r->state == REDEMPTION_REJECTED) decision = "reject";
    else if (r->state == REDEMPTION_RETURNED) decision = "return";
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
    if (load(db, a, id, &r, p) != YQ_OK) return NULL;
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
    if (window_of(db, r.program_id, r.period, &per, &first, &last, &ignore) == YQ_OK) {
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

/* ---- Evidence files ----------------------------------------------------- */

struct attach {
    const struct actor *actor;
    const char *id, *hash, *filename, *type;
    size_t len;
};

static int attach_run(struct db *db, void *ctx, struct problem *p)
{
    struct attach *x = ctx;
    struct redemption r;
    if (load(db, x->actor, x->id, &r, p) != YQ_OK) return p->status;
    if (r.state != REDEMPTION_DRAFT && r.state != REDEMPTION_SUBMITTED &&
        r.state != REDEMPTION_RETURNED)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL,
                           "兑现申请当前状态（%s）不能再上传证明材料",
                           redemption_state_label_zh(r.state));
    bool added;
    int64_t now = clock_now_ms();
    int rc = redemption_file_add(db, r.id, x->hash, x->filename, x->type, (int64_t)x->len,
                                 x->actor->user.username, now, &added);
    if (rc != YQ_OK || !added) return rc;
    json_t *after = json_pack("{s:s, s:s, s:s, s:I}", "sha256", x->hash, "filename", x->filename,
                              "content_type", x->type, "size", (json_int_t)x->len);
    rc = audit(db, x->actor, r.id, "attach", NULL, after);
    json_decref(after);
    return rc;
}

json_t *redemptions_attach(struct db *db, const struct actor *a, const char *id,
                           const char *data_dir, const char *filename, const void *data, size_t len,
                           struct problem *p)
{
    struct redemption r;
    if (load(db, a, id, &r, p) != YQ_OK) return NULL;
    char hash[65], clean[256];
    const char *type;
    if (files_accept(data_dir, filename, data, len, hash, &type, clean, p) != YQ_OK) return NULL;
    struct attach x = {a, id, hash, clean, type, len};
    if (service_tx(db, attach_run, &x, p) != YQ_OK) return NULL;
    return json_pack("{s:s, s:s, s:s, s:I}", "sha256", hash, "filename", clean, "content_type",
                     type, "size", (json_int_t)len);
}

int redemptions_attachment_open(struct db *db, const struct actor *a, const char *id,
                                const char *sha256, const char *data_dir, char content_type[64],
                                char filename[256], struct problem *p)
{
    struct redemption r;
    if (load(db, a, id, &r, p) != YQ_OK) return -1;
    int rc = redemption_file_get(db, id, sha256, content_type, filename);
    if (rc == YQ_ENOTFOUND) {
        problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "证明材料不存在");
        return -1;
    }
    if (rc != YQ_OK) {
        problem_db_error(p);
        return -1;
    }
    return files_open(data_dir, sha256, p);
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
    return o;
}
