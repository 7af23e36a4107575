/* Drafting, confirming, cancelling and terminating contracts. */
#include "service/contracts.h"
#include "core/clock.h"
#include "core/contract.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/programs.h"
#include "service/risk.h"
#include "service/vouchers.h"
#include "store/audit.h"
#include "store/id.h"
#include "store/parties.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

static int not_found(struct problem *p)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "合同不存在");
}

static const char *status_zh(const char *s)
{
    if (strcmp(s, "draft") == 0) return "待对方确认";
    if (strcmp(s, "confirmed") == 0) return "已确认";
    if (strcmp(s, "cancelled") == 0) return "已撤销";
    if (strcmp(s, "terminated") == 0) return "已终止（未履行）";
    return s;
}

/* The actor's own party (enterprise or provider) row, or NULL. */
static json_t *own_party(struct db *db, const struct actor *a)
{
    json_t *row = NULL;
    if (a->role == ROLE_ENTERPRISE) parties_get_by_user(db, "enterprises", a->user.id, &row);
    if (a->role == ROLE_PROVIDER) parties_get_by_user(db, "providers", a->user.id, &row);
    return row;
}

/* Which side of the contract the actor is: 'e', 'p', 'c' (county official
 * of its county), 'w' (city-wide reader), or 0 (none: 404). */
static char side_of(struct db *db, const struct actor *a, json_t *contract)
{
    if (a->role & ROLE_CITY_WIDE) return 'w';
    if (a->role & ROLE_COUNTY_SCOPED)
        return actor_in_county(a, rows_str(contract, "county_code")) ? 'c' : 0;
    json_t *mine = own_party(db, a);
    char side = 0;
    if (mine && a->role == ROLE_ENTERPRISE &&
        strcmp(rows_str(mine, "id"), rows_str(contract, "enterprise_id")) == 0)
        side = 'e';
    if (mine && a->role == ROLE_PROVIDER &&
        strcmp(rows_str(mine, "id"), rows_str(contract, "provider_id")) == 0)
        side = 'p';
    json_decref(mine);
    return side;
}

static int load(struct db *db, const struct actor *a, const char *id, json_t **c, char *side,
                struct problem *p)
{
    int rc = rows_one(db, c, "SELECT * FROM contracts WHERE id = ?", "t", id);
    if (rc == YQ_ENOTFOUND) return not_found(p);
    if (rc != YQ_OK) return problem_db_error(p);
    *side = side_of(db, a, *c);
    if (!*side) {
        json_decref(*c);
        *c = NULL;
        return not_found(p);
    }
    return YQ_OK;
}

static int check_date(json_t *body, const char *key, const char *label, int32_t *day,
                      struct problem *p)
{
    json_t *v = json_object_get(body, key);
    if (!json_is_string(v) || clock_parse_date(json_string_value(v), day) != YQ_OK)
        return problem_set(p, YQ_EINVAL, v ? "invalid_field" : "missing_field", key,
                           "%s须为日期 YYYY-MM-DD", label);
    return YQ_OK;
}

/* Checks one line and fills its stored form (amounts come after, from
 * core/contract). */
static int check_line(struct db *db, json_t *in, size_t i, const char *provider_id, json_t *out,
                      struct problem *p)
{
    char field[64];
    snprintf(field, sizeof field, "lines[%zu]", i);
    if (!json_is_object(in)) return problem_set(p, YQ_EINVAL, "wrong_type", field, "合同明细须为对象");
    json_t *qty = json_object_get(in, "quantity"), *price = json_object_get(in, "unit_price_fen");
    if (!json_is_integer(qty) || json_integer_value(qty) < 1 || json_integer_value(qty) > 1000000)
        return problem_set(p, YQ_EINVAL, "invalid_field", field, "第 %zu 行数量须为 1 至 1000000 的整数", i + 1);
    if (!json_is_integer(price) || json_integer_value(price) < 0 ||
        json_integer_value(price) > 10000000000LL)
        return problem_set(p, YQ_EINVAL, "invalid_field", field, "第 %zu 行单价须为非负整数（分）", i + 1);
    json_t *item_id = json_object_get(in, "catalog_item_id");
    json_object_set(out, "quantity", qty);
    json_object_set(out, "unit_price_fen", price);
    if (item_id && !json_is_null(item_id)) {
        /* A catalog line names the exact published version it was signed on. */
        json_t *item = NULL;
        int rc = json_is_string(item_id)
                     ? rows_one(db, &item,
                                "SELECT i.id, i.provider_id, i.status, i.published_version,"
                                " v.name, v.unit, v.list_price_fen FROM catalog_items i JOIN"
                                " catalog_item_versions v ON v.item_id = i.id AND v.version ="
                                " i.published_version WHERE i.id = ?",
                                "t", json_string_value(item_id))
                     : YQ_ENOTFOUND;
        if (rc != YQ_OK || strcmp(rows_str(item, "status"), "published") != 0) {
            json_decref(item);
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "第 %zu 行引用的目录产品不存在或未发布", i + 1);
        }
        if (strcmp(rows_str(item, "provider_id"), provider_id) != 0) {
            json_decref(item);
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "第 %zu 行的目录产品不属于本合同的云服务商", i + 1);
        }
        if (json_integer_value(price) > json_integer_value(json_object_get(item, "list_price_fen"))) {
            json_decref(item);
            return problem_set(p, YQ_EINVAL, "invalid_field", field,
                               "第 %zu 行单价高于该目录产品的标准价格", i + 1);
        }
        json_object_set(out, "catalog_item_id", item_id);
        json_object_set(out, "catalog_version", json_object_get(item, "published_version"));
        json_object_set(out, "description", json_object_get(item, "name"));
        json_object_set(out, "unit", json_object_get(item, "unit"));
        json_decref(item);
    } else {
        json_t *desc = json_object_get(in, "description"), *unit = json_object_get(in, "unit");
        if (!json_is_string(desc) || validate_text(field, "明细说明", json_string_value(desc), 200, p))
            return problem_set(p, YQ_EINVAL, "invalid_field", field, "第 %zu 行请填写服务说明", i + 1);
        if (!json_is_string(unit) || validate_text(field, "单位", json_string_value(unit), 8, p))
            return problem_set(p, YQ_EINVAL, "invalid_field", field, "第 %zu 行请填写单位", i + 1);
        json_object_set(out, "description", desc);
        json_object_set(out, "unit", unit);
        json_object_set_new(out, "catalog_item_id", json_null());
        json_object_set_new(out, "catalog_version", json_null());
    }
    return YQ_OK;
}

static json_t *render(struct db *db, json_t *c)
{
    json_t *o = json_deep_copy(c);
    json_object_set_new(o, "status_name", json_string(status_zh(rows_str(c, "status"))));
    rows_instants(o, "confirmed_at", "closed_at", "created_at", "updated_at", NULL);
    const char *id = rows_str(c, "id");
    json_t *names = NULL;
    if (rows_one(db, &names,
                 "SELECT e.name AS enterprise_name, p.name AS provider_name, k.name AS county_name"
                 " FROM enterprises e, providers p, counties k WHERE e.id = ? AND p.id = ? AND"
                 " k.code = ?",
                 "ttt", rows_str(c, "enterprise_id"), rows_str(c, "provider_id"), rows_str(c, "county_code")) == YQ_OK)
        json_object_update(o, names);
    json_decref(names);
    json_t *lines = rows_all(db, "SELECT * FROM contract_lines WHERE contract_id = ? ORDER BY line_no",
                             "t", id);
    json_object_set_new(o, "lines", lines ? lines : json_array());
    json_t *att = rows_all(db,
                           "SELECT sha256, filename, content_type, size, uploaded_by FROM"
                           " contract_attachments WHERE contract_id = ? ORDER BY uploaded_at",
                           "t", id);
    json_object_set_new(o, "attachments", att ? att : json_array());
    json_t *v = NULL;
    if (rows_one(db, &v, "SELECT id, code, amount_fen, status FROM vouchers WHERE contract_id = ?",
                 "t", id) == YQ_OK)
        json_object_set_new(o, "voucher", v);
    else
        json_object_set_new(o, "voucher", json_null());
    json_t *w = NULL;
    if (rows_one(db, &w,
                 "SELECT w.id, w.amount_fen, w.position, w.status, (SELECT COUNT(*) FROM waitlist"
                 " o WHERE o.county_code = w.county_code AND o.year = w.year AND o.status ="
                 " 'waiting' AND o.position < w.position) AS ahead FROM waitlist w"
                 " WHERE w.contract_id = ?",
                 "t", id) == YQ_OK)
        json_object_set_new(o, "waitlist", w);
    else
        json_object_set_new(o, "waitlist", json_null());
    return o;
}

json_t *contracts_read(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    json_t *c;
    char side;
    if (load(db, a, id, &c, &side, p) != YQ_OK) return NULL;
    json_t *o = render(db, c);
    /* Reviewers see the risk signals; the parties do not. */
    if (role_is_official(a->role)) json_object_set_new(o, "warnings", risk_contract_signals(db, c));
    json_decref(c);
    return o;
}

static const char *const draft_fields[] = {"program_id", "enterprise_id", "provider_id",
                                           "contract_no", "signed_on", "service_start",
                                           "service_end", "lines", NULL};

/* Both parties approved and off the negative list. */
static int parties_in_good_standing(struct db *db, json_t *ent, json_t *prov, struct problem *p)
{
    json_t *parties[2] = {ent, prov};
    for (int i = 0; i < 2; i++) {
        const char *what = i == 0 ? "企业" : "云服务商";
        if (strcmp(rows_str(parties[i], "status"), "disqualified") == 0)
            return problem_set(p, YQ_ECONFLICT, "party_disqualified", NULL,
                               "%s已被取消资格（信用负面清单），不能签订新合同", what);
        json_t *listed = negative_list_active(db, rows_str(parties[i], "uscc"));
        if (listed) {
            json_decref(listed);
            return problem_set(p, YQ_ECONFLICT, "party_disqualified", NULL,
                               "%s在信用负面清单中，不能签订新合同", what);
        }
        if (strcmp(rows_str(parties[i], "status"), "approved") != 0)
            return problem_set(p, YQ_ECONFLICT, "party_not_approved", NULL,
                               "%s尚未通过审核，不能签订合同", what);
    }
    return YQ_OK;
}

json_t *contracts_draft(struct db *db, const struct actor *a, json_t *body, struct problem *p)
{
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        bool known = false;
        for (int i = 0; draft_fields[i]; i++)
            if (strcmp(draft_fields[i], key) == 0) known = true;
        if (!known) {
            problem_set(p, YQ_EINVAL, "unknown_field", key, "未知字段：%s", key);
            return NULL;
        }
    }
    char program[64];
    int32_t signed_on, start, end;
    json_t *no = json_object_get(body, "contract_no");
    if (!json_is_string(no) || validate_text("contract_no", "合同编号", json_string_value(no), 64, p) ||
        check_date(body, "signed_on", "签订日期", &signed_on, p) ||
        check_date(body, "service_start", "服务开始日期", &start, p) ||
        check_date(body, "service_end", "服务结束日期", &end, p)) {
        if (!json_is_string(no)) problem_set(p, YQ_EINVAL, "missing_field", "contract_no", "请填写合同编号");
        return NULL;
    }
    if (end < start) {
        problem_set(p, YQ_EINVAL, "invalid_field", "service_end", "服务结束日期不能早于开始日期");
        return NULL;
    }
    json_t *lines = json_object_get(body, "lines");
    if (!json_is_array(lines) || json_array_size(lines) == 0 || json_array_size(lines) > 100) {
        problem_set(p, YQ_EINVAL, "invalid_field", "lines", "合同须有 1 至 100 行明细");
        return NULL;
    }
    json_t *requested = json_object_get(body, "program_id");
    if (requested && !json_is_string(requested)) {
        problem_set(p, YQ_EINVAL, "wrong_type", "program_id", "program_id 须为字符串");
        return NULL;
    }
    if (programs_current(db, json_string_value(requested), program, p) != YQ_OK) return NULL;
    json_t *mine = own_party(db, a), *other = NULL, *result = NULL, *stored = json_array();
    const char *other_key = a->role == ROLE_ENTERPRISE ? "provider_id" : "enterprise_id";
    json_t *other_id = json_object_get(body, other_key);
    if (!mine) {
        problem_set(p, YQ_ECONFLICT, "no_party", NULL, "请先完成企业或服务商注册资料");
        goto out;
    }
    if (!json_is_string(other_id) ||
        parties_get(db, a->role == ROLE_ENTERPRISE ? "providers" : "enterprises",
                    json_string_value(other_id), &other) != YQ_OK) {
        problem_set(p, YQ_EINVAL, other_id ? "invalid_field" : "missing_field", other_key,
                    a->role == ROLE_ENTERPRISE ? "请选择云服务商" : "请选择签约企业");
        goto out;
    }
    json_t *ent = a->role == ROLE_ENTERPRISE ? mine : other;
    json_t *prov = a->role == ROLE_ENTERPRISE ? other : mine;
    if (parties_in_good_standing(db, ent, prov, p) != YQ_OK) goto out;
    size_t i;
    json_t *line;
    json_array_foreach(lines, i, line)
    {
        json_t *out_line = json_object();
        json_array_append_new(stored, out_line);
        if (check_line(db, line, i, rows_str(prov, "id"), out_line, p) != YQ_OK) goto out;
    }
    /* The total and the subsidy base (catalog lines only). */
    struct contract_line_calc calc[100];
    size_t nlines = json_array_size(stored);
    json_array_foreach(stored, i, line)
    {
        calc[i].from_catalog = !json_is_null(json_object_get(line, "catalog_item_id"));
        calc[i].quantity = json_integer_value(json_object_get(line, "quantity"));
        calc[i].unit_price_fen = json_integer_value(json_object_get(line, "unit_price_fen"));
    }
    int64_t total, base;
    if (!contract_totals(calc, nlines, &total, &base)) {
        problem_set(p, YQ_EINVAL, "invalid_field", "lines", "合同金额过大");
        goto out;
    }
    json_array_foreach(stored, i, line)
        json_object_set_new(line, "amount_fen", json_integer(calc[i].amount_fen));
    char id[ID_LEN + 1];
    id_new(id);
    int64_t now = clock_now_ms();
    char signed_s[16], start_s[16], end_s[16];
    clock_format_date(signed_on, signed_s);
    clock_format_date(start, start_s);
    clock_format_date(end, end_s);
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:s, s:s, s:I, s:I, s:s, s:s,"
                            " s:s, s:I, s:I}",
                            "id", id, "program_id", program, "enterprise_id", rows_str(ent, "id"),
                            "provider_id", rows_str(prov, "id"), "county_code", rows_str(ent, "county_code"),
                            "contract_no", no, "signed_on", signed_s, "service_start", start_s,
                            "service_end", end_s, "total_fen", (json_int_t)total, "base_fen",
                            (json_int_t)base, "status", "draft", "drafted_by_role",
                            role_code(a->role), "drafted_by", a->user.username, "created_at",
                            (json_int_t)now, "updated_at", (json_int_t)now);
    int rc = db_begin(db, true);
    if (rc == YQ_OK) rc = rows_insert(db, "contracts", row);
    json_array_foreach(stored, i, line)
    {
        if (rc != YQ_OK) break;
        json_object_set_new(line, "contract_id", json_string(id));
        json_object_set_new(line, "line_no", json_integer((json_int_t)i + 1));
        rc = rows_insert(db, "contract_lines", line);
    }
    struct audit_actor who = actor_audit(a);
    json_object_set(row, "lines", stored);
    if (rc == YQ_OK) rc = audit_append(db, &who, "contract", id, "draft", NULL, row);
    json_decref(row);
    if (rc != YQ_OK || db_commit(db) != YQ_OK) {
        db_rollback(db);
        problem_db_error(p);
        goto out;
    }
    result = contracts_read(db, a, id, p);
out:
    json_decref(mine);
    json_decref(other);
    json_decref(stored);
    return result;
}

json_t *contracts_confirm(struct db *db, const struct actor *a, const char *id,
                          int *http_status, struct problem *p)
{
    *http_status = 200;
    json_t *c = NULL, *ent = NULL, *prov = NULL, *result = NULL;
    char side;
    struct issue_outcome outcome = {0};
    if (db_begin(db, true) != YQ_OK) {
        problem_set(p, YQ_EBUSY, "busy", NULL, "系统繁忙，请稍后再试");
        return NULL;
    }
    if (load(db, a, id, &c, &side, p) != YQ_OK) goto fail;
    /* 双方确认: only the side that did not draft confirms. */
    bool drafted_by_enterprise = strcmp(rows_str(c, "drafted_by_role"), "enterprise") == 0;
    if (!((side == 'e' && !drafted_by_enterprise) || (side == 'p' && drafted_by_enterprise))) {
        if (side == 'e' || side == 'p')
            problem_set(p, YQ_ECONFLICT, "own_draft", NULL, "合同须由对方确认");
        else
            problem_set(p, YQ_EFORBIDDEN, "forbidden", NULL, "只有合同的另一方可以确认");
        goto fail;
    }
    if (strcmp(rows_str(c, "status"), "draft") != 0) {
        problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "合同当前状态（%s）不能确认",
                    status_zh(rows_str(c, "status")));
        goto fail;
    }
    if (parties_get(db, "enterprises", rows_str(c, "enterprise_id"), &ent) != YQ_OK ||
        parties_get(db, "providers", rows_str(c, "provider_id"), &prov) != YQ_OK) {
        problem_db_error(p);
        goto fail;
    }
    if (parties_in_good_standing(db, ent, prov, p) != YQ_OK) goto fail;
    /* 先到先补 orders by confirmation time: within the writing transaction
     * it never runs backwards, even if the system clock is set back (or a
     * restart brings a slower clock), so time order is commit order. */
    int64_t now = clock_now_ms(), last = 0;
    if (rows_int(db, &last, "SELECT MAX(confirmed_at) FROM contracts", NULL) != YQ_OK) {
        problem_db_error(p);
        goto fail;
    }
    if (now < last) now = last;
    json_t *set = json_pack("{s:s, s:I, s:s, s:I}", "status", "confirmed", "confirmed_at",
                            (json_int_t)now, "confirmed_by", a->user.username, "updated_at",
                            (json_int_t)now);
    int rc = rows_update(db, "contracts", id, set);
    json_object_update(c, set);
    json_decref(set);
    struct audit_actor who = actor_audit(a);
    json_t *before = json_pack("{s:s}", "status", "draft"), *after = json_pack("{s:s}", "status", "confirmed");
    if (rc == YQ_OK) rc = audit_append(db, &who, "contract", id, "confirm", before, after);
    json_decref(before);
    json_decref(after);
    /* 自动生成: the voucher, in this same transaction. */
    if (rc == YQ_OK) rc = vouchers_issue_for_contract(db, a, c, &outcome);
    if (rc != YQ_OK || db_commit(db) != YQ_OK) {
        problem_db_error(p);
        goto fail;
    }
    result = json_pack("{s:o}", "contract", contracts_read(db, a, id, p));
    json_object_set(result, "voucher", outcome.voucher ? outcome.voucher : json_null());
    json_object_set(result, "waitlist", outcome.waitlist ? outcome.waitlist : json_null());
    json_object_set_new(result, "voucher_refusal",
                        outcome.refusal_code[0]
                            ? json_pack("{s:s, s:s}", "code", outcome.refusal_code, "message",
                                        outcome.refusal)
                            : json_null());
    *http_status = outcome.voucher ? 201 : outcome.waitlist ? 202 : 200;
    goto out;
fail:
    db_rollback(db);
out:
    issue_outcome_clear(&outcome);
    json_decref(c);
    json_decref(ent);
    json_decref(prov);
    return result;
}

/* Closes a contract: cancel (draft) or terminate (confirmed). */
static json_t *close_contract(struct db *db, const struct actor *a, const char *id,
                              bool terminate, const char *reason, struct problem *p)
{
    if (terminate && validate_text("reason", "终止原因", reason, 500, p) != YQ_OK) return NULL;
    json_t *c = NULL, *result = NULL;
    char side;
    if (db_begin(db, true) != YQ_OK) {
        problem_set(p, YQ_EBUSY, "busy", NULL, "系统繁忙，请稍后再试");
        return NULL;
    }
    if (load(db, a, id, &c, &side, p) != YQ_OK) goto fail;
    bool allowed = side == 'e' || side == 'p' || (terminate && side == 'c' && (a->role & ROLE_COUNTY_IT));
    if (!allowed) {
        problem_set(p, YQ_EFORBIDDEN, "forbidden", NULL, terminate ? "只有合同双方或县级经信部门可以终止合同"
                                                                    : "只有合同双方可以撤销草稿");
        goto fail;
    }
    const char *need = terminate ? "confirmed" : "draft";
    if (strcmp(rows_str(c, "status"), need) != 0) {
        problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "合同当前状态（%s）不能%s",
                    status_zh(rows_str(c, "status")), terminate ? "终止" : "撤销");
        goto fail;
    }
    int64_t now = clock_now_ms();
    const char *to = terminate ? "terminated" : "cancelled";
    json_t *set = json_pack("{s:s, s:I, s:s, s:s?, s:I}", "status", to, "closed_at",
                            (json_int_t)now, "closed_by", a->user.username, "close_reason",
                            reason, "updated_at", (json_int_t)now);
    int rc = rows_update(db, "contracts", id, set);
    struct audit_actor who = actor_audit(a);
    json_t *before = json_pack("{s:s}", "status", rows_str(c, "status"));
    if (rc == YQ_OK)
        rc = audit_append(db, &who, "contract", id, terminate ? "terminate" : "cancel", before, set);
    json_decref(before);
    json_decref(set);
    if (rc == YQ_OK && terminate) {
        /* 合同未履行，云服务券即终止有效: the voucher ends and its unredeemed
         * reservation serves the waitlist; a queued application leaves. */
        json_t *v = NULL;
        int vr = rows_one(db, &v, "SELECT * FROM vouchers WHERE contract_id = ?", "t", id);
        if (vr == YQ_OK) {
            int cr = vouchers_close(db, a, v, "terminated", reason);
            if (cr != YQ_OK && cr != YQ_ECONFLICT) rc = cr;
        } else if (vr != YQ_ENOTFOUND) {
            rc = vr;
        }
        json_decref(v);
        json_t *w = NULL;
        if (rc == YQ_OK && rows_one(db, &w, "SELECT * FROM waitlist WHERE contract_id = ? AND"
                                            " status = 'waiting'", "t", id) == YQ_OK) {
            rc = db_run(db, "UPDATE waitlist SET status = 'cancelled', closed_at = ? WHERE id = ?",
                        "it", now, rows_str(w, "id"));
            if (rc == YQ_OK)
                rc = audit_append(db, &who, "waitlist", rows_str(w, "id"), "cancel", w, NULL);
            /* The head may have left: serve who is next. */
            if (rc == YQ_OK)
                rc = vouchers_serve_waitlist(db, a, rows_str(w, "county_code"),
                                             (int)json_integer_value(json_object_get(w, "year")));
        }
        json_decref(w);
    }
    if (rc != YQ_OK || db_commit(db) != YQ_OK) {
        problem_db_error(p);
        goto fail;
    }
    result = contracts_read(db, a, id, p);
    json_decref(c);
    return result;
fail:
    db_rollback(db);
    json_decref(c);
    return NULL;
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

json_t *contracts_list(struct db *db, const struct actor *a, const char *status,
                       int64_t offset, int64_t limit, struct problem *p)
{
    struct rows_where w;
    rows_where_init(&w);
    const char *one, *const *counties;
    if (a->role & ROLE_COUNTY_SCOPED) {
        int n = actor_county_list(a, &one, &counties);
        rows_where_in(&w, "c.county_code", counties, n);
    } else if (a->role == ROLE_ENTERPRISE)
        rows_where_text(&w, "c.enterprise_id IN (SELECT id FROM enterprises WHERE user_id = ?)",
                        a->user.id, 1);
    else if (a->role == ROLE_PROVIDER)
        rows_where_text(&w, "c.provider_id IN (SELECT id FROM providers WHERE user_id = ?)",
                        a->user.id, 1);
    if (status) rows_where_text(&w, "c.status = ?", status, 1);
    json_t *r = rows_page(db,
                          "c.id, c.contract_no, c.program_id, c.enterprise_id, e.name AS"
                          " enterprise_name, c.provider_id, p.name AS provider_name, c.county_code,"
                          " c.signed_on, c.service_start, c.service_end, c.total_fen, c.base_fen,"
                          " c.status, c.drafted_by_role, c.confirmed_at, c.created_at",
                          "FROM contracts c JOIN enterprises e ON e.id = c.enterprise_id JOIN"
                          " providers p ON p.id = c.provider_id",
                          &w, "c.created_at DESC, c.id", offset, limit);
    rows_where_cleanup(&w);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(r, "items"), i, c)
    {
        json_object_set_new(c, "status_name", json_string(status_zh(rows_str(c, "status"))));
        rows_instants(c, "confirmed_at", "created_at", NULL);
    }
    return r;
}
