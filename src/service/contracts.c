/* Drafting, confirming, cancelling and terminating contracts. Each use
 * case runs in one transaction (service/tx.h): every read that decides a
 * write happens inside it. */
#include "service/contracts.h"
#include "core/clock.h"
#include "core/contract.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/programs.h"
#include "service/redemptions.h"
#include "service/risk.h"
#include "service/scope.h"
#include "service/tx.h"
#include "service/vouchers.h"
#include "store/audit.h"
#include "store/id.h"
#include "store/programs.h"
#include "store/rows.h"
#include "store/standing.h"
#include "store/stats.h"
#include "store/waitlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 100

static int not_found(struct problem *p)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "合同不存在");
}

static int audit(struct db *db, const struct actor *a, const char *id, const char *action,
                 json_t *before, json_t *after)
{
    struct audit_actor who = actor_audit(a);
    return audit_append(db, &who, "contract", id, action, before, after);
}

/* The actor's own party, when it is an enterprise or a provider. */
static int own_party(struct db *db, const struct actor *a, struct party *out)
{
    if (a->role == ROLE_ENTERPRISE)
        return party_load_by_user(db, PARTY_ENTERPRISE, a->user.id, out);
    if (a->role == ROLE_PROVIDER) return party_load_by_user(db, PARTY_PROVIDER, a->user.id, out);
    return YQ_ENOTFOUND;
}

/* contracts_load, keeping the actor's own party (read to find its side)
 * in *mine: when the side is 'e' or 'p' it is that side of the contract. */
static int load_with_party(struct db *db, const struct actor *a, const char *id, struct contract *c,
                           char *side, struct party *mine, struct problem *p)
{
    *side = 0;
    int rc = contract_get(db, id, c);
    if (rc == YQ_ENOTFOUND) return not_found(p);
    if (rc != YQ_OK) return problem_db_error(p);
    if (a->role & ROLE_CITY_WIDE) {
        *side = 'w';
    } else if (a->role & ROLE_COUNTY_SCOPED) {
        if (actor_in_county(a, c->county_code)) *side = 'c';
    } else {
        rc = own_party(db, a, mine);
        if (rc != YQ_OK && rc != YQ_ENOTFOUND) return problem_db_error(p);
        if (rc == YQ_OK && a->role == ROLE_ENTERPRISE && strcmp(mine->id, c->enterprise_id) == 0)
            *side = 'e';
        if (rc == YQ_OK && a->role == ROLE_PROVIDER && strcmp(mine->id, c->provider_id) == 0)
            *side = 'p';
    }
    return *side ? YQ_OK : not_found(p);
}

int contracts_load(struct db *db, const struct actor *a, const char *id, struct contract *c,
                   char *side, struct problem *p)
{
    struct party mine;
    return load_with_party(db, a, id, c, side, &mine, p);
}

/* Both parties approved and off the negative list (read in the writing
 * transaction). */
/* listed: whether each is on the negative list, read in this transaction. */
static int parties_in_good_standing(const struct party *ent, const struct party *prov,
                                    const bool listed[2], struct problem *p)
{
    const struct party *parties[2] = {ent, prov};
    for (int i = 0; i < 2; i++) {
        const char *what = i == 0 ? "企业" : "云服务商";
        if (parties[i]->state == REG_DISQUALIFIED)
            return problem_set(p, YQ_ECONFLICT, "party_disqualified", NULL,
                               "%s已被取消资格（信用负面清单），不能签订新合同", what);
        if (listed[i])
            return problem_set(p, YQ_ECONFLICT, "party_disqualified", NULL,
                               "%s在信用负面清单中，不能签订新合同", what);
        if (parties[i]->state != REG_APPROVED)
            return problem_set(p, YQ_ECONFLICT, "party_not_approved", NULL,
                               "%s尚未通过审核，不能签订合同", what);
    }
    return YQ_OK;
}

/* ---- Drafting ---------------------------------------------------------- */

/* What a draft request says, checked for shape before the transaction. */
struct draft {
    const struct actor *actor;
    json_t *body;
    const char *requested_program, *other_id, *contract_no;
    int32_t signed_on, start, end;
    size_t nlines;
    struct contract_line lines[MAX_LINES];
    struct contract c; /* out */
};

static int check_date(json_t *body, const char *key, const char *label, int32_t *day,
                      struct problem *p)
{
    json_t *v = json_object_get(body, key);
    if (!json_is_string(v) || clock_parse_date(json_string_value(v), day) != YQ_OK)
        return problem_set(p, YQ_EINVAL, v ? "invalid_field" : "missing_field", key,
                           "%s须为日期 YYYY-MM-DD", label);
    return YQ_OK;
}

static const char *const draft_fields[] = {"program_id",  "enterprise_id", "provider_id",
                                           "contract_no", "signed_on",     "service_start",
                                           "service_end", "lines",         NULL};

/* The request's shape: fields, dates, line count. No database. */
static int draft_parse(struct draft *d, struct problem *p)
{
    json_t *body = d->body, *v;
    const char *key;
    json_object_foreach(body, key, v)
    {
        bool known = false;
        for (int i = 0; draft_fields[i]; i++)
            if (strcmp(draft_fields[i], key) == 0) known = true;
        if (!known) return problem_set(p, YQ_EINVAL, "unknown_field", key, "未知字段：%s", key);
    }
    json_t *no = json_object_get(body, "contract_no");
    if (!json_is_string(no))
        return problem_set(p, YQ_EINVAL, "missing_field", "contract_no", "请填写合同编号");
    d->contract_no = json_string_value(no);
    if (validate_text("contract_no", "合同编号", d->contract_no, 64, p) ||
        check_date(body, "signed_on", "签订日期", &d->signed_on, p) ||
        check_date(body, "service_start", "服务开始日期", &d->start, p) ||
        check_date(body, "service_end", "服务结束日期", &d->end, p))
        return p->status;
    if (d->end < d->start)
        return problem_set(p, YQ_EINVAL, "invalid_field", "service_end",
                           "服务结束日期不能早于开始日期");
    /* A contract put on the platform has been signed: a signing date after
     * today (Beijing time) is a typing error, and would let a contract
     * signed after the program ends draw on it. */
    if (d->signed_on > clock_cst_day(clock_now_ms()))
        return problem_set(p, YQ_EINVAL, "invalid_field", "signed_on", "签订日期不能晚于今天");
    json_t *lines = json_object_get(body, "lines");
    if (!json_is_array(lines) || json_array_size(lines) == 0 || json_array_size(lines) > MAX_LINES)
        return problem_set(p, YQ_EINVAL, "invalid_field", "lines", "合同须有 1 至 100 行明细");
    d->nlines = json_array_size(lines);
    json_t *requested = json_object_get(body, "program_id");
    if (requested && !json_is_string(requested))
        return problem_set(p, YQ_EINVAL, "wrong_type", "program_id", "program_id 须为字符串");
    d->requested_program = json_string_value(requested);
    const char *other_key = d->actor->role == ROLE_ENTERPRISE ? "provider_id" : "enterprise_id";
    json_t *other = json_object_get(body, other_key);
    d->other_id = json_string_value(other);
    if (!d->other_id)
        return problem_set(p, YQ_EINVAL, other ? "invalid_field" : "missing_field", other_key,
                           d->actor->role == ROLE_ENTERPRISE ? "请选择云服务商" : "请选择签约企业");
    return YQ_OK;
}

/* One line, checked against the catalog as it is in this transaction: a
 * catalog line's version must be valid (有效期) on the signing date. */
static int draft_line(struct db *db, json_t *in, size_t i, const char *provider_id,
                      int32_t signed_on, struct contract_line *out, struct problem *p)
{
    char field[64];
    snprintf(field, sizeof field, "lines[%zu]", i);
    memset(out, 0, sizeof *out);
    if (!json_is_object(in))
        return problem_set(p, YQ_EINVAL, "wrong_type", field, "合同明细须为对象");
    json_t *qty = json_object_get(in, "quantity"), *price = json_object_get(in, "unit_price_fen");
    if (!json_is_integer(qty) || json_integer_value(qty) < 1 || json_integer_value(qty) > 1000000)
        return problem_set(p, YQ_EINVAL, "invalid_field", field,
                           "第 %zu 行数量须为 1 至 1000000 的整数", i + 1);
    if (!json_is_integer(price) || json_integer_value(price) < 0 ||
        json_integer_value(price) > 10000000000LL)
        return problem_set(p, YQ_EINVAL, "invalid_field", field, "第 %zu 行单价须为非负整数（分）",
                           i + 1);
    out->quantity = json_integer_value(qty);
    out->unit_price_fen = json_integer_value(price);
    json_t *item_id = json_object_get(in, "catalog_item_id");
    if (item_id && !json_is_null(item_id)) {
        /* A catalog line names the exact published version it was signed on. */
        struct catalog_ref ref;
        int rc = json_is_string(item_id)
                     ? contract_catalog_ref(db, json_string_value(item_id), &ref)
                     : YQ_ENOTFOUND;
        if (rc != YQ_OK && rc != YQ_ENOTFOUND) return problem_db_error(p);
        if (rc == YQ_ENOTFOUND || !ref.published)
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "第 %zu 行引用的目录产品不存在或未发布", i + 1);
        if (strcmp(ref.provider_id, provider_id) != 0)
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "第 %zu 行的目录产品不属于本合同的云服务商", i + 1);
        int32_t from, until;
        if (clock_parse_date(ref.valid_from, &from) != YQ_OK ||
            clock_parse_date(ref.valid_until, &until) != YQ_OK)
            return problem_db_error(p);
        if (signed_on < from || signed_on > until) {
            char signed_text[16];
            clock_format_date(signed_on, signed_text);
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "第 %zu 行引用的目录产品有效期为 %s 至 %s，合同签订日期 %s"
                               " 不在有效期内",
                               i + 1, ref.valid_from, ref.valid_until, signed_text);
        }
        if (out->unit_price_fen > ref.list_price_fen)
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "第 %zu 行单价高于该目录产品的标准价格", i + 1);
        snprintf(out->catalog_item_id, sizeof out->catalog_item_id, "%s", ref.id);
        out->catalog_version = ref.version;
        snprintf(out->description, sizeof out->description, "%s", ref.name);
        snprintf(out->unit, sizeof out->unit, "%s", ref.unit);
        return YQ_OK;
    }
    json_t *desc = json_object_get(in, "description"), *unit = json_object_get(in, "unit");
    if (!json_is_string(desc) || validate_text(field, "明细说明", json_string_value(desc), 200, p))
        return problem_set(p, YQ_EINVAL, "invalid_field", field, "第 %zu 行请填写服务说明", i + 1);
    if (!json_is_string(unit) || validate_text(field, "单位", json_string_value(unit), 8, p))
        return problem_set(p, YQ_EINVAL, "invalid_field", field, "第 %zu 行请填写单位", i + 1);
    snprintf(out->description, sizeof out->description, "%s", json_string_value(desc));
    snprintf(out->unit, sizeof out->unit, "%s", json_string_value(unit));
    return YQ_OK;
}

/* The draft's transaction: parties, catalog, program as they are now. */
static int draft_run(struct db *db, void *ctx, struct problem *p)
{
    struct draft *d = ctx;
    const struct actor *a = d->actor;
    struct contract *c = &d->c;
    memset(c, 0, sizeof *c);
    if (programs_current(db, d->requested_program, c->program_id, p) != YQ_OK) return p->status;
    struct party mine, other;
    int rc = own_party(db, a, &mine);
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_ECONFLICT, "no_party", NULL, "请先完成企业或服务商注册资料");
    if (rc != YQ_OK) return problem_db_error(p);
    /* The drafting side is the caller's own party: naming another one is
     * refused, not quietly replaced. */
    const char *own_key = a->role == ROLE_ENTERPRISE ? "enterprise_id" : "provider_id";
    json_t *own = json_object_get(d->body, own_key);
    if (own && (!json_is_string(own) || strcmp(json_string_value(own), mine.id) != 0))
        return problem_set(p, YQ_EINVAL, "invalid_field", own_key, "只能以本%s名义起草合同",
                           a->role == ROLE_ENTERPRISE ? "企业" : "服务商");
    enum party_kind other_kind = a->role == ROLE_ENTERPRISE ? PARTY_PROVIDER : PARTY_ENTERPRISE;
    rc = party_load(db, other_kind, d->other_id, &other);
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_EINVAL, "invalid_field",
                           other_kind == PARTY_PROVIDER ? "provider_id" : "enterprise_id",
                           other_kind == PARTY_PROVIDER ? "请选择云服务商" : "请选择签约企业");
    if (rc != YQ_OK) return problem_db_error(p);
    const struct party *ent = a->role == ROLE_ENTERPRISE ? &mine : &other;
    const struct party *prov = a->role == ROLE_ENTERPRISE ? &other : &mine;
    bool listed[2];
    if (negative_list_listed_pair(db, ent->uscc, prov->uscc, &listed[0], &listed[1]) != YQ_OK)
        return problem_db_error(p);
    if (parties_in_good_standing(ent, prov, listed, p) != YQ_OK) return p->status;
    json_t *lines = json_object_get(d->body, "lines");
    struct contract_line_calc calc[MAX_LINES];
    for (size_t i = 0; i < d->nlines; i++) {
        struct contract_line *line = &d->lines[i];
        if (draft_line(db, json_array_get(lines, i), i, prov->id, d->signed_on, line, p) != YQ_OK)
            return p->status;
        calc[i].from_catalog = d->lines[i].catalog_item_id[0] != '\0';
        calc[i].quantity = d->lines[i].quantity;
        calc[i].unit_price_fen = d->lines[i].unit_price_fen;
    }
    /* The total and the subsidy base (catalog lines only). */
    if (!contract_totals(calc, d->nlines, &c->total_fen, &c->base_fen))
        return problem_set(p, YQ_EINVAL, "invalid_field", "lines", "合同金额过大");
    for (size_t i = 0; i < d->nlines; i++)
        d->lines[i].amount_fen = calc[i].amount_fen;
    id_new(c->id);
    snprintf(c->enterprise_id, sizeof c->enterprise_id, "%s", ent->id);
    snprintf(c->provider_id, sizeof c->provider_id, "%s", prov->id);
    snprintf(c->county_code, sizeof c->county_code, "%s", ent->county_code);
    snprintf(c->contract_no, sizeof c->contract_no, "%s", d->contract_no);
    clock_format_date(d->signed_on, c->signed_on);
    clock_format_date(d->start, c->service_start);
    clock_format_date(d->end, c->service_end);
    c->state = CONTRACT_DRAFT;
    snprintf(c->drafted_by_role, sizeof c->drafted_by_role, "%s", role_code(a->role));
    snprintf(c->drafted_by, sizeof c->drafted_by, "%s", a->user.username);
    c->created_at = c->updated_at = clock_now_ms();
    if ((rc = contract_insert(db, c, d->lines, d->nlines)) != YQ_OK) return rc;
    json_t *after = contract_json(c), *stored = json_array();
    for (size_t i = 0; i < d->nlines; i++) {
        const struct contract_line *l = &d->lines[i];
        json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:I, s:I}", "line_no", (json_int_t)i + 1,
                              "description", l->description, "quantity", (json_int_t)l->quantity,
                              "unit", l->unit, "unit_price_fen", (json_int_t)l->unit_price_fen,
                              "amount_fen", (json_int_t)l->amount_fen);
        json_object_set_new(o, "catalog_item_id",
                            l->catalog_item_id[0] ? json_string(l->catalog_item_id) : json_null());
        json_object_set_new(o, "catalog_version",
                            l->catalog_item_id[0] ? json_integer(l->catalog_version) : json_null());
        json_array_append_new(stored, o);
    }
    json_object_set_new(after, "lines", stored);
    rc = audit(db, a, c->id, "draft", NULL, after);
    json_decref(after);
    return rc;
}

json_t *contracts_draft(struct db *db, const struct actor *a, json_t *body, struct problem *p)
{
    struct draft *d = calloc(1, sizeof *d);
    if (!d) abort();
    d->actor = a;
    d->body = body;
    json_t *result = NULL;
    if (draft_parse(d, p) == YQ_OK && service_tx(db, draft_run, d, p) == YQ_OK)
        result = contracts_read(db, a, d->c.id, p);
    free(d);
    return result;
}

/* ---- Confirming: 双方确认, then 自动生成 in the same transaction ---------- */

struct confirm {
    const struct actor *actor;
    const char *id;
    struct contract c;
    struct issue_outcome outcome;
    json_t *answer;                      /* the contract's record once confirmed */
    char enterprise[512], provider[512]; /* the parties' names, as read */
};

/* The county contracts_write_lane read for the contract this thread is
 * about to write (contracts_lane_known), for its transaction: one read
 * fewer. Any county read outside the transaction is only a guess: the
 * use case checks it under the lock (service_out_of_scope). */
static _Thread_local struct {
    char id[ID_LEN + 1];
    char county[16];
} lane_read;

/* Runs a use case of one contract in its county's transaction. The
 * county, read before the lock, is needed only for the lock itself: the
 * group writer takes none. */
static int tx_of_contract(struct db *db, const char *id, service_tx_fn run, void *ctx,
                          struct problem *p)
{
    char county[16] = "";
    if (lane_read.id[0] && strcmp(lane_read.id, id) == 0)
        snprintf(county, sizeof county, "%s", lane_read.county);
    else if (!service_tx_grouped(db))
        contract_county(db, id, county, sizeof county);
    lane_read.id[0] = '\0';
    return service_tx_county(db, county, run, ctx, p);
}

bool contracts_write_lane(struct db *db, const char *id, char *county, size_t n)
{
    county[0] = '\0';
    /* The group writer (SQLite) takes no county lock, and the more of a
     * county's confirmations wait for it, the larger its groups. */
    if (service_tx_grouped(db) || !db_scoped_locks(db)) return false;
    contract_county(db, id, county, n);
    return county[0] != '\0';
}

void contracts_lane_known(const char *id, const char *county)
{
    lane_read.id[0] = '\0';
    if (!id || !county || !county[0] || strlen(id) >= sizeof lane_read.id ||
        strlen(county) >= sizeof lane_read.county)
        return;
    snprintf(lane_read.id, sizeof lane_read.id, "%s", id);
    snprintf(lane_read.county, sizeof lane_read.county, "%s", county);
}

static int confirm_steps(struct db *db, struct confirm *x, struct problem *p)
{
    const struct actor *a = x->actor;
    struct contract *c = &x->c;
    char side;
    issue_outcome_clear(&x->outcome); /* a busy first run is run again */
    struct party mine, ent, prov;
    if (load_with_party(db, a, x->id, c, &side, &mine, p) != YQ_OK) return p->status;
    if (service_out_of_scope(db, c->county_code, p) != YQ_OK) return p->status;
    /* 双方确认: only the side that did not draft confirms. */
    bool drafted_by_enterprise = strcmp(c->drafted_by_role, "enterprise") == 0;
    if (!((side == 'e' && !drafted_by_enterprise) || (side == 'p' && drafted_by_enterprise))) {
        if (side == 'e' || side == 'p')
            return problem_set(p, YQ_ECONFLICT, "own_draft", NULL, "合同须由对方确认");
        return problem_set(p, YQ_EFORBIDDEN, "forbidden", NULL, "只有合同的另一方可以确认");
    }
    if (contract_next(c->state, CONTRACT_CONFIRM) < 0)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "合同当前状态（%s）不能确认",
                           contract_state_label(c->state));
    /* 先到先补 orders each county's queue by confirmation time: taken under
     * the county's lock, it never runs backwards within the county, even if
     * the system clock is set back (or another server's clock is behind),
     * so a county's time order is its commit order. The county's latest
     * instant, the negative list and the program are read with the other
     * party. */
    struct db_stmt *latest = contracts_last_confirmed_send(db, c->county_code),
                   *negative = negative_list_parties_send(db, c->enterprise_id, c->provider_id),
                   *program = program_current_params_send(db, c->program_id);
    /* Only the other party is read: the confirming one's found the side. */
    int rc = YQ_OK;
    if (side == 'e')
        ent = mine;
    else
        rc = party_load(db, PARTY_ENTERPRISE, c->enterprise_id, &ent);
    if (rc == YQ_OK && side == 'p')
        prov = mine;
    else if (rc == YQ_OK)
        rc = party_load(db, PARTY_PROVIDER, c->provider_id, &prov);
    int64_t now = clock_now_ms(), last = 0;
    bool listed[2];
    struct program_params params;
    int version, latest_rc = contracts_last_confirmed_take(latest, &last),
                 negative_rc = negative_list_parties_take(negative, &listed[0], &listed[1]);
    struct problem unread;
    if (programs_params_take(program, &params, &version, &unread) != YQ_OK ||
        rc != YQ_OK || negative_rc != YQ_OK)
        return problem_db_error(p);
    if (latest_rc != YQ_OK) return latest_rc;
    /* 单个企业只享受一次 is decided in the enterprise's county: a contract
     * drafted before the enterprise moved needs the whole database. */
    if (service_out_of_scope(db, ent.county_code, p) != YQ_OK) return p->status;
    if (parties_in_good_standing(&ent, &prov, listed, p) != YQ_OK) return p->status;
    if (now < last) now = last;
    if ((rc = contract_confirm(db, c, now, a->user.username)) != YQ_OK) return rc;
    c->state = CONTRACT_CONFIRMED;
    c->confirmed_at = now;
    c->updated_at = now;
    snprintf(c->confirmed_by, sizeof c->confirmed_by, "%s", a->user.username);
    json_t *before = json_pack("{s:s}", "status", "draft"),
           *after = json_pack("{s:s}", "status", "confirmed");
    rc = audit(db, a, c->id, "confirm", before, after);
    json_decref(before);
    json_decref(after);
    /* 自动生成: the voucher, in this same transaction. */
    if (rc == YQ_OK) rc = vouchers_issue_for_contract(db, a, c, &ent, &prov, &params, version,
                                                   &x->outcome);
    snprintf(x->enterprise, sizeof x->enterprise, "%s", ent.name);
    snprintf(x->provider, sizeof x->provider, "%s", prov.name);
    return rc;
}

/* A confirmation moves its month's counters three times (the contract,
 * the enterprise on the cloud, the voucher) and appends two audit
 * entries: the counters and the chain's head are each written once, at
 * the end. */
static int confirm_run(struct db *db, void *ctx, struct problem *p)
{
    struct confirm *x = ctx;
    json_decref(x->answer); /* a busy first run is run again */
    x->answer = NULL;
    stats_defer_begin();
    audit_defer_begin(db);
    int rc = audit_defer_end(db, confirm_steps(db, ctx, p));
    if ((rc = stats_defer_end(db, rc)) != YQ_OK) return rc;
    /* The answer's record, built here from what the confirmation holds:
     * three reads instead of the record's eight. */
    x->answer = contracts_confirmed_record(db, &x->c, x->enterprise, x->provider, &x->outcome, p);
    return x->answer ? YQ_OK : p->status != YQ_OK ? p->status : problem_db_error(p);
}

json_t *contracts_confirm(struct db *db, const struct actor *a, const char *id, int *http_status,
                          struct problem *p)
{
    *http_status = 200;
    struct confirm x = {.actor = a, .id = id};
    json_t *result = NULL;
    if (tx_of_contract(db, id, confirm_run, &x, p) != YQ_OK) goto out;
    result = json_pack("{s:O}", "contract", x.answer);
    /* Instants as the API shows them everywhere (the audit rows keep ms). */
    if (x.outcome.voucher) rows_instants(x.outcome.voucher, "issued_at", NULL);
    if (x.outcome.waitlist) rows_instants(x.outcome.waitlist, "confirmed_at", NULL);
    json_object_set(result, "voucher", x.outcome.voucher ? x.outcome.voucher : json_null());
    json_object_set(result, "waitlist", x.outcome.waitlist ? x.outcome.waitlist : json_null());
    json_object_set_new(
        result, "voucher_refusal",
        x.outcome.refusal_code[0]
            ? json_pack("{s:s, s:s}", "code", x.outcome.refusal_code, "message", x.outcome.refusal)
            : json_null());
    *http_status = x.outcome.voucher ? 201 : x.outcome.waitlist ? 202 : 200;
out:
    json_decref(x.answer);
    issue_outcome_clear(&x.outcome);
    return result;
}

/* ---- Cancelling a draft, terminating a confirmed contract -------------- */

struct closing {
    const struct actor *actor;
    const char *id, *reason;
    bool terminate;
};

/* 合同未履行，云服务券即终止有效: the voucher ends and its unredeemed
 * reservation serves the waitlist; a queued application leaves. */
static int end_voucher_and_application(struct db *db, const struct actor *a,
                                       const struct contract *c, const char *reason)
{
    struct voucher v;
    int rc = voucher_get_by_contract(db, c->id, &v);
    if (rc == YQ_OK && voucher_state_live(v.state)) {
        rc = vouchers_close(db, a, &v, VOUCHER_TERMINATED, reason);
        if (rc == YQ_OK)
            rc = redemptions_reject_for_voucher(db, a, v.id, "合同已终止（未履行），兑现申请驳回");
    } else if (rc == YQ_ENOTFOUND || rc == YQ_OK)
        rc = YQ_OK;
    if (rc != YQ_OK) return rc;
    struct waitlist_entry *w = NULL;
    size_t n = 0;
    if ((rc = waitlist_waiting_of_contract(db, c->id, &w, &n)) == YQ_OK)
        rc = vouchers_leave_queue(db, a, w, n, "合同已终止，退出候补队列");
    free(w);
    return rc;
}

static int close_run(struct db *db, void *ctx, struct problem *p)
{
    struct closing *x = ctx;
    const struct actor *a = x->actor;
    struct contract c;
    char side;
    if (contracts_load(db, a, x->id, &c, &side, p) != YQ_OK) return p->status;
    if (service_out_of_scope(db, c.county_code, p) != YQ_OK) return p->status;
    bool allowed =
        side == 'e' || side == 'p' || (x->terminate && side == 'c' && (a->role & ROLE_COUNTY_IT));
    if (!allowed)
        return problem_set(p, YQ_EFORBIDDEN, "forbidden", NULL,
                           x->terminate ? "只有合同双方或县级经信部门可以终止合同"
                                        : "只有合同双方可以撤销草稿");
    enum contract_event ev = x->terminate ? CONTRACT_TERMINATE : CONTRACT_CANCEL;
    int to = contract_next(c.state, ev);
    if (to < 0)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "合同当前状态（%s）不能%s",
                           contract_state_label(c.state), x->terminate ? "终止" : "撤销");
    int64_t now = clock_now_ms();
    int rc = contract_close(db, c.id, c.state, (enum contract_state)to, now, a->user.username,
                            x->reason);
    if (rc != YQ_OK) return rc;
    json_t *before = json_pack("{s:s}", "status", contract_state_name(c.state));
    json_t *after = json_pack(
        "{s:s, s:I, s:s, s:s?}", "status", contract_state_name((enum contract_state)to),
        "closed_at", (json_int_t)now, "closed_by", a->user.username, "close_reason", x->reason);
    rc = audit(db, a, c.id, x->terminate ? "terminate" : "cancel", before, after);
    json_decref(before);
    json_decref(after);
    if (rc == YQ_OK && x->terminate) rc = end_voucher_and_application(db, a, &c, x->reason);
    return rc;
}

static json_t *close_contract(struct db *db, const struct actor *a, const char *id, bool terminate,
                              const char *reason, struct problem *p)
{
    if (terminate && validate_text("reason", "终止原因", reason, 500, p) != YQ_OK) return NULL;
    struct closing x = {a, id, reason, terminate};
    if (tx_of_contract(db, id, close_run, &x, p) != YQ_OK) return NULL;
    return contracts_read(db, a, id, p);
}

json_t *contracts_cancel(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    return close_contract(db, a, id, false, NULL, p);
}

json_t *contracts_terminate(struct db *db, const struct actor *a, const char *id,
                            const char *reason, struct problem *p)
{
    return close_contract(db, a, id, true, reason, p);
}
