/* Redemption applications: periods and windows, filing, submit and
 * withdraw, evidence files, and the helpers the other redemption files
 * share (see redemptions.h, redemptions_internal.h). */
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
#include "store/users.h"
#include "store/vouchers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 200

int redemptions_not_found(struct problem *p)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "兑现申请不存在");
}

int redemptions_audit(struct db *db, const struct actor *a, const char *id, const char *action,
                      json_t *before, json_t *after)
{
    struct audit_actor who = actor_audit(a);
    return audit_append(db, &who, "redemption", id, action, before, after);
}

int64_t redemptions_today(void)
{
    return clock_cst_day(clock_now_ms());
}

/* The application if the actor may see it (404 otherwise). */
int redemptions_load(struct db *db, const struct actor *a, const char *id, struct redemption *r,
                     struct problem *p)
{
    int rc = redemption_get(db, id, r);
    if (rc == YQ_ENOTFOUND) return redemptions_not_found(p);
    if (rc != YQ_OK) return problem_db_error(p);
    if (a->role & ROLE_CITY_WIDE) return YQ_OK;
    if (a->role & ROLE_COUNTY_SCOPED)
        return actor_in_county(a, r->county_code) ? YQ_OK : redemptions_not_found(p);
    if (a->role == ROLE_PROVIDER) {
        struct party mine;
        rc = party_load_by_user(db, PARTY_PROVIDER, a->user.id, &mine);
        if (rc != YQ_OK && rc != YQ_ENOTFOUND) return problem_db_error(p);
        if (rc == YQ_OK && strcmp(mine.id, r->provider_id) == 0) return YQ_OK;
    }
    return redemptions_not_found(p);
}

int redemptions_own_provider(struct db *db, const struct actor *a, struct party *mine,
                             struct problem *p)
{
    int rc = party_load_by_user(db, PARTY_PROVIDER, a->user.id, mine);
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_ECONFLICT, "no_party", NULL, "请先完成云服务商注册资料");
    if (rc != YQ_OK) return problem_db_error(p);
    return YQ_OK;
}

/* Refuses a move the state machine does not allow. */
int redemptions_move_allowed(enum redemption_state from, enum redemption_event ev,
                             enum redemption_state *to, const char *what, struct problem *p)
{
    *to = redemption_next(from, ev);
    if (*to == REDEMPTION_INVALID)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "兑现申请当前状态（%s）不能%s",
                           redemption_state_label_zh(from), what);
    return YQ_OK;
}

/* An optional text left blank is no text. */
const char *redemptions_optional_text(const char *s)
{
    if (!s) return NULL;
    for (const char *c = s; *c; c++)
        if (*c != ' ' && *c != '\t') return s;
    return NULL;
}

int redemptions_only_fields(json_t *body, const char *const *fields, struct problem *p)
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

int redemptions_find_item(struct redemption_item *items, size_t n, const char *voucher_id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].voucher_id, voucher_id) == 0) return (int)i;
    return -1;
}

/* ---- Periods and the filing window ------------------------------------- */

int redemptions_window_of(struct db *db, const char *program, const char *period_text,
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
    if (redemptions_window_of(db, program, period_text, &per, &first, &last, p) != YQ_OK)
        return p->status;
    int32_t day = (int32_t)redemptions_today();
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
    if (period_of_day((int32_t)redemptions_today(), &now) != YQ_OK ||
        period_previous(now, &prev) != YQ_OK) {
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
        if (redemptions_window_of(db, program, text, &per, &first, &last, p) != YQ_OK) {
            json_decref(items);
            return NULL;
        }
        clock_format_date(first, a1);
        clock_format_date(last, b1);
        int32_t day = (int32_t)redemptions_today();
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
    if (redemptions_own_provider(db, a, &mine, p) != YQ_OK) return NULL;
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
    if (redemptions_own_provider(db, f->actor, &mine, p) != YQ_OK) return p->status;
    if (mine.state != REG_APPROVED)
        return problem_set(p, YQ_ECONFLICT, "party_not_approved", NULL,
                           "云服务商不是审核通过状态，不能申请兑现");
    int rc = counties_exists(db, f->county);
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_EINVAL, "invalid_field", "county_code", "区县不存在：%s",
                           f->county);
    if (rc != YQ_OK) return problem_db_error(p);
    struct redemption *r = &f->r;
    memset(r, 0, sizeof *r);
    snprintf(r->county_code, sizeof r->county_code, "%s", f->county);
    snprintf(r->provider_id, sizeof r->provider_id, "%s", mine.id);
    if (check_items(db, f, &mine, p) != YQ_OK) return p->status;
    if (inside_window(db, r->program_id, f->period, p) != YQ_OK) return p->status;
    snprintf(r->period, sizeof r->period, "%s", f->period);
    char existing[ID_LEN + 1];
    rc = redemption_open_for(db, mine.id, f->county, f->period, existing);
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
    rc = redemptions_audit(db, f->actor, r->id, "create", NULL, after);
    json_decref(after);
    return rc;
}

json_t *redemptions_create(struct db *db, const struct actor *a, json_t *body, struct problem *p)
{
    static const char *const fields[] = {"county_code", "period", "items", NULL};
    if (redemptions_only_fields(body, fields, p) != YQ_OK) return NULL;
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
    if (redemptions_load(db, f->actor, f->id, r, p) != YQ_OK) return p->status;
    if (r->state != REDEMPTION_DRAFT && r->state != REDEMPTION_RETURNED)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "兑现申请当前状态（%s）不能修改",
                           redemption_state_label_zh(r->state));
    struct party mine;
    if (redemptions_own_provider(db, f->actor, &mine, p) != YQ_OK) return p->status;
    char program[64];
    snprintf(program, sizeof program, "%s", r->program_id);
    if (check_items(db, f, &mine, p) != YQ_OK) return p->status;
    if (strcmp(program, r->program_id) != 0)
        return problem_set(p, YQ_EINVAL, "invalid_field", "items", "申请中的券须属于同一政策方案");
    struct redemption_item *old = NULL; /* the items as they were, for the audit */
    size_t nold = 0;
    if (redemption_items(db, r->id, &old, &nold) != YQ_OK) return problem_db_error(p);
    json_t *before = json_pack("{s:o}", "items", items_json(old, nold));
    free(old);
    int rc =
        redemption_replace_items(db, r->id, r->state, f->items, f->n, r->claim_fen, clock_now_ms());
    json_t *after = json_pack("{s:I, s:o}", "claim_fen", (json_int_t)r->claim_fen, "items",
                              items_json(f->items, f->n));
    if (rc == YQ_OK) rc = redemptions_audit(db, f->actor, r->id, "edit", before, after);
    json_decref(before);
    json_decref(after);
    if (rc == YQ_ECONFLICT)
        return problem_set(p, YQ_ECONFLICT, "already_claimed", "items",
                           "有券在本期已被另一份申请兑现");
    return rc;
}

json_t *redemptions_patch(struct db *db, const struct actor *a, const char *id, json_t *body,
                          struct problem *p)
{
    static const char *const fields[] = {"items", NULL};
    if (redemptions_only_fields(body, fields, p) != YQ_OK) return NULL;
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
    if (redemptions_load(db, m->actor, m->id, &r, p) != YQ_OK) return p->status;
    enum redemption_event ev = m->event;
    if (ev == REDEMPTION_EV_SUBMIT && r.state == REDEMPTION_RETURNED) ev = REDEMPTION_EV_RESUBMIT;
    enum redemption_state to;
    const char *what = ev == REDEMPTION_EV_WITHDRAW ? "撤回" : "提交";
    if (redemptions_move_allowed(r.state, ev, &to, what, p) != YQ_OK) return p->status;
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
        rc = redemptions_own_provider(db, m->actor, &mine, p);
        if (rc == YQ_OK) rc = check_items(db, f, &mine, p);
        free(items);
        free(f);
        if (rc != YQ_OK) return rc;
    }
    int rc = redemption_move(db, r.id, r.state, to, clock_now_ms());
    if (rc != YQ_OK) return rc;
    json_t *before = json_pack("{s:s}", "status", redemption_state_name(r.state));
    json_t *after = json_pack("{s:s}", "status", redemption_state_name(to));
    rc = redemptions_audit(db, m->actor, r.id, redemption_event_name(ev), before, after);
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
    if (redemptions_load(db, x->actor, x->id, &r, p) != YQ_OK) return p->status;
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
    rc = redemptions_audit(db, x->actor, r.id, "attach", NULL, after);
    json_decref(after);
    return rc;
}

json_t *redemptions_attach(struct db *db, const struct actor *a, const char *id,
                           const char *data_dir, const char *filename, const void *data, size_t len,
                           struct problem *p)
{
    struct redemption r;
    if (redemptions_load(db, a, id, &r, p) != YQ_OK) return NULL;
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
    if (redemptions_load(db, a, id, &r, p) != YQ_OK) return -1;
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
