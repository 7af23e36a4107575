/* Voucher issuing, the waitlist, closing, and the reads. */
#include "service/vouchers.h"
#include "core/clock.h"
#include "core/policy.h"
#include "core/status.h"
#include "core/mem.h"
#include "core/voucher_code.h"
#include "core/waitlist.h"
#include "service/programs.h"
#include "store/audit.h"
#include "store/id.h"
#include "store/ledger.h"
#include "store/parties.h"
#include "store/rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t num(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

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

/* The next serial of a county and year. */
static int next_serial(struct db *db, const char *county, int year, int64_t *serial)
{
    int64_t last = 0, n = 0;
    int rc = rows_int(db, &n, "SELECT COUNT(*) FROM voucher_serials WHERE county_code = ? AND year = ?",
                      "ti", county, (int64_t)year);
    if (rc != YQ_OK) return rc;
    if (n) {
        rc = rows_int(db, &last, "SELECT last_serial FROM voucher_serials WHERE county_code = ?"
                                 " AND year = ?", "ti", county, (int64_t)year);
        if (rc == YQ_OK)
            rc = db_run(db, "UPDATE voucher_serials SET last_serial = ? WHERE county_code = ?"
                            " AND year = ?", "iti", last + 1, county, (int64_t)year);
    } else {
        rc = db_run(db, "INSERT INTO voucher_serials(county_code, year, last_serial) VALUES (?,?,1)",
                    "ti", county, (int64_t)year);
    }
    *serial = last + 1;
    return rc;
}

/* Creates the voucher row, its account and its reservation. */
static int issue(struct db *db, const struct actor *a, json_t *contract, int year,
                 int64_t amount, json_t *trace, int64_t now, json_t **voucher)
{
    const char *county = rows_str(contract, "county_code");
    int64_t serial;
    int rc = next_serial(db, county, year, &serial);
    if (rc != YQ_OK) return rc;
    char id[ID_LEN + 1], code[VOUCHER_CODE_LEN + 1], pool[64], account[64], transfer[64];
    id_new(id);
    if (!voucher_code_make(year, county, serial, code)) return YQ_ERR;
    char *calc = json_dumps(trace, JSON_COMPACT | JSON_SORT_KEYS);
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:s, s:s, s:s}",
                            "id", id, "code", code, "program_id", rows_str(contract, "program_id"),
                            "contract_id", rows_str(contract, "id"), "enterprise_id",
                            rows_str(contract, "enterprise_id"), "provider_id",
                            rows_str(contract, "provider_id"), "county_code", county, "issue_year",
                            year, "issued_at", (json_int_t)now, "amount_fen", (json_int_t)amount,
                            "calc_json", calc, "status", "issued", "service_end",
                            rows_str(contract, "service_end"));
    free(calc);
    snprintf(pool, sizeof pool, "pool:%s:%d", county, year);
    snprintf(account, sizeof account, "voucher:%s", id);
    snprintf(transfer, sizeof transfer, "reserve:%s", id);
    if ((rc = rows_insert(db, "vouchers", row)) == YQ_OK &&
        (rc = ledger_open_voucher(db, id, amount)) == YQ_OK &&
        (amount == 0 || (rc = ledger_reserve(db, transfer, pool, account, amount, code)) == YQ_OK))
        rc = audit(db, a, "voucher", id, "issue", NULL, row);
    if (rc == YQ_OK) {
        json_object_del(row, "calc_json");
        json_object_set(row, "trace", trace);
        *voucher = row;
    } else {
        json_decref(row);
    }
    return rc;
}

/* Whether the enterprise already holds a voucher of the program that
 * counts as enjoyed (单个企业只享受一次): any live one, or a closed one from
 * which something was redeemed. */
static int enjoyed(struct db *db, const char *enterprise, const char *program, int64_t *n)
{
    return rows_int(db, n,
                    "SELECT COUNT(*) FROM vouchers WHERE enterprise_id = ? AND program_id = ?"
                    " AND (status IN ('issued', 'partially_redeemed', 'redeemed')"
                    " OR redeemed_fen > 0)",
                    "tt", enterprise, program);
}

int vouchers_issue_for_contract(struct db *db, const struct actor *a, json_t *contract,
                                struct issue_outcome *out)
{
    memset(out, 0, sizeof *out);
    int64_t now = num(contract, "confirmed_at");
    int32_t day = clock_cst_day(now);
    int year;
    unsigned m, d;
    clock_civil_from_days(day, &year, &m, &d);
    struct program_params params;
    int version;
    struct problem p;
    const char *program = rows_str(contract, "program_id");
    if (programs_load_params(db, program, &params, &version, &p) != YQ_OK) return YQ_ERR;
    if (day < params.window_start_day || day > params.window_end_day) {
        refuse(out, "outside_program", "确认日期不在政策方案执行期内，不生成云服务券");
        return YQ_OK;
    }
    json_t *ent = NULL, *prov = NULL;
    int rc = parties_get(db, "enterprises", rows_str(contract, "enterprise_id"), &ent);
    if (rc == YQ_OK) rc = parties_get(db, "providers", rows_str(contract, "provider_id"), &prov);
    if (rc != YQ_OK) goto done;
    if (strcmp(rows_str(ent, "status"), "approved") != 0 || strcmp(rows_str(prov, "status"), "approved") != 0) {
        refuse(out, "party_not_approved", "企业或云服务商不是审核通过状态，不生成云服务券");
        goto done;
    }
    int64_t n = 0;
    if ((rc = enjoyed(db, rows_str(ent, "id"), program, &n)) != YQ_OK) goto done;
    if (n >= params.vouchers_per_enterprise) {
        refuse(out, "already_enjoyed", "该企业已享受本方案的云服务券（单个企业只享受一次）");
        goto done;
    }
    if ((rc = rows_int(db, &n, "SELECT COUNT(*) FROM waitlist WHERE enterprise_id = ? AND"
                               " program_id = ? AND status = 'waiting'",
                       "tt", rows_str(ent, "id"), program)) != YQ_OK)
        goto done;
    if (n) {
        refuse(out, "already_waiting", "该企业已有申请在候补队列中");
        goto done;
    }
    /* The amount (SPEC §2), with its trace. */
    bool certified = false;
    int32_t from, until;
    if (clock_parse_date(rows_str(ent, "cert_valid_from"), &from) == YQ_OK &&
        clock_parse_date(rows_str(ent, "cert_valid_until"), &until) == YQ_OK)
        certified = policy_certificate_valid(from, until, day);
    struct voucher_calc calc;
    int64_t base = num(contract, "base_fen");
    if (policy_voucher_amount(&params.policy, base, year, certified, &calc) != YQ_OK) {
        refuse(out, "no_ratio", "政策方案未规定该年度的补贴比例");
        goto done;
    }
    if (calc.amount_fen <= 0) {
        refuse(out, "zero_amount", base == 0 ? "合同中没有目录内服务，补贴基数为零，不生成云服务券"
                                             : "按政策计算的补贴金额为零");
        goto done;
    }
    char issue_date[16];
    clock_format_date(day, issue_date);
    json_t *trace = json_pack(
        "{s:I, s:s, s:i, s:i, s:s, s:s, s:i, s:I, s:I, s:i, s:b, s:I, s:b, s:I}", "base_fen",
        (json_int_t)base, "issue_date", issue_date, "issue_year", year, "ratio_bp",
        calc.ratio_bp, "ratio_source", calc.ratio_source, "program_id", program,
        "program_version", version, "base_cap_fen", (json_int_t)params.policy.cap_fen,
        "cap_fen", (json_int_t)calc.cap_fen, "cert_bonus_bp", params.policy.cert_bonus_bp,
        "certified", certified, "subsidy_fen", (json_int_t)calc.subsidy_fen, "capped",
        calc.capped, "amount_fen", (json_int_t)calc.amount_fen);
    json_object_set_new(trace, "certificate",
                        certified ? json_pack("{s:s, s:s, s:s}", "no", rows_str(ent, "cert_no"),
                                              "valid_from", rows_str(ent, "cert_valid_from"),
                                              "valid_until", rows_str(ent, "cert_valid_until"))
                                  : json_string(rows_str(ent, "cert_no")[0]
                                                    ? "证书在签发日不在有效期内"
                                                    : "未提供两化融合管理体系证书"));
    /* Reserve from the pool, unless others are already waiting (never
     * overtake the queue) or the pool cannot cover it. */
    const char *county = rows_str(contract, "county_code");
    char pool[64];
    snprintf(pool, sizeof pool, "pool:%s:%d", county, year);
    int64_t waiting = 0;
    if ((rc = ledger_open_pool(db, county, year)) != YQ_OK ||
        (rc = rows_int(db, &waiting, "SELECT COUNT(*) FROM waitlist WHERE county_code = ? AND"
                                     " year = ? AND status = 'waiting'",
                       "ti", county, (int64_t)year)) != YQ_OK) {
        json_decref(trace);
        goto done;
    }
    int64_t available = ledger_available(db, pool);
    int64_t grant = 0;
    if (!waiting) {
        if (available >= calc.amount_fen)
            grant = calc.amount_fen;
        else if (params.partial_last && available > 0)
            grant = available;
    }
    if (grant > 0) {
        if (grant < calc.amount_fen) {
            json_object_set_new(trace, "partial_last", json_true());
            json_object_set_new(trace, "amount_fen", json_integer(grant));
        }
        rc = issue(db, a, contract, year, grant, trace, now, &out->voucher);
    } else {
        char id[ID_LEN + 1];
        id_new(id);
        int64_t position = 0;
        rows_int(db, &position, "SELECT MAX(position) FROM waitlist", NULL);
        char *calc_text = json_dumps(trace, JSON_COMPACT | JSON_SORT_KEYS);
        json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:s, s:I, s:I, s:s}", "id",
                                id, "contract_id", rows_str(contract, "id"), "program_id", program,
                                "enterprise_id", rows_str(ent, "id"), "county_code", county, "year",
                                year, "amount_fen", (json_int_t)calc.amount_fen, "calc_json",
                                calc_text, "confirmed_at", (json_int_t)now, "position",
                                (json_int_t)(position + 1), "status", "waiting");
        free(calc_text);
        rc = rows_insert(db, "waitlist", row);
        if (rc == YQ_OK) rc = audit(db, a, "waitlist", id, "join", NULL, row);
        json_object_del(row, "calc_json");
        json_object_set(row, "trace", trace);
        int64_t ahead = 0;
        rows_int(db, &ahead, "SELECT COUNT(*) FROM waitlist WHERE county_code = ? AND year = ?"
                             " AND status = 'waiting' AND position < ?",
                 "tii", county, (int64_t)year, (int64_t)(position + 1));
        json_object_set_new(row, "ahead", json_integer(ahead));
        out->waitlist = row;
    }
    json_decref(trace);
done:
    json_decref(ent);
    json_decref(prov);
    return rc;
}

/* Takes out of the queue the applications that may no longer be served
 * (contract ended, enterprise lost its standing): they leave the queue,
 * they are not skipped over. Returns the applications still waiting. */
static json_t *eligible_queue(struct db *db, const struct actor *a, const char *county, int year,
                              int *rc)
{
    json_t *queue = rows_all(db,
                             "SELECT w.*, c.status AS contract_status, e.status AS enterprise_status"
                             " FROM waitlist w JOIN contracts c ON c.id = w.contract_id JOIN"
                             " enterprises e ON e.id = w.enterprise_id WHERE w.county_code = ? AND"
                             " w.year = ? AND w.status = 'waiting' ORDER BY w.position",
                             "ti", county, (int64_t)year);
    *rc = queue ? YQ_OK : YQ_ERR;
    if (!queue) return NULL;
    json_t *live = json_array();
    size_t i;
    json_t *w;
    json_array_foreach(queue, i, w)
    {
        if (strcmp(rows_str(w, "contract_status"), "confirmed") == 0 &&
            strcmp(rows_str(w, "enterprise_status"), "approved") == 0) {
            json_array_append(live, w);
            continue;
        }
        *rc = db_run(db, "UPDATE waitlist SET status = 'cancelled', closed_at = ? WHERE id = ?",
                     "it", clock_now_ms(), rows_str(w, "id"));
        if (*rc == YQ_OK) *rc = audit(db, a, "waitlist", rows_str(w, "id"), "cancel", w, NULL);
        if (*rc != YQ_OK) break;
    }
    json_decref(queue);
    return live;
}

int vouchers_serve_waitlist(struct db *db, const struct actor *a, const char *county, int year)
{
    int rc;
    json_t *queue = eligible_queue(db, a, county, year, &rc);
    if (rc != YQ_OK || json_array_size(queue) == 0) {
        json_decref(queue);
        return rc;
    }
    char pool[64];
    snprintf(pool, sizeof pool, "pool:%s:%d", county, year);
    int64_t available = ledger_available(db, pool);
    struct program_params params;
    int version;
    struct problem p;
    if (programs_load_params(db, rows_str(json_array_get(queue, 0), "program_id"), &params, &version,
                             &p) != YQ_OK) {
        json_decref(queue);
        return YQ_ERR;
    }
    size_t n = json_array_size(queue);
    struct waitlist_entry *entries = yq_calloc(n, sizeof *entries);
    for (size_t i = 0; i < n; i++) entries[i].amount_fen = num(json_array_get(queue, i), "amount_fen");
    size_t served = waitlist_serve(entries, n, available, params.partial_last);
    int64_t now = clock_now_ms();
    for (size_t i = 0; i < served && rc == YQ_OK; i++) {
        json_t *w = json_array_get(queue, i), *contract = NULL, *voucher = NULL;
        if ((rc = rows_one(db, &contract, "SELECT * FROM contracts WHERE id = ?", "t",
                           rows_str(w, "contract_id"))) != YQ_OK)
            break;
        json_t *trace = json_loads(rows_str(w, "calc_json"), 0, NULL);
        if (!trace) trace = json_object();
        json_object_set_new(trace, "served_from_waitlist", json_true());
        json_object_set_new(trace, "waitlist_position", json_integer(num(w, "position")));
        if (entries[i].grant_fen < entries[i].amount_fen) {
            json_object_set_new(trace, "partial_last", json_true());
            json_object_set_new(trace, "amount_fen", json_integer(entries[i].grant_fen));
        }
        rc = issue(db, a, contract, year, entries[i].grant_fen, trace, now, &voucher);
        if (rc == YQ_OK)
            rc = db_run(db, "UPDATE waitlist SET status = 'served', closed_at = ?, voucher_id = ?"
                            " WHERE id = ?", "itt", now, rows_str(voucher, "id"), rows_str(w, "id"));
        json_decref(trace);
        json_decref(contract);
        json_decref(voucher);
    }
    free(entries);
    json_decref(queue);
    return rc;
}

int vouchers_close(struct db *db, const struct actor *a, json_t *voucher, const char *status,
                   const char *reason)
{
    const char *id = rows_str(voucher, "id");
    const char *from = rows_str(voucher, "status");
    if (strcmp(from, "issued") != 0 && strcmp(from, "partially_redeemed") != 0)
        return YQ_ECONFLICT;
    int64_t now = clock_now_ms();
    char void_id[64], reserve_id[64];
    snprintf(void_id, sizeof void_id, "void:%s", id);
    snprintf(reserve_id, sizeof reserve_id, "reserve:%s", id);
    int rc = db_run(db, "UPDATE vouchers SET status = ?, closed_at = ?, close_reason = ?"
                        " WHERE id = ?", "titt", status, now, reason, id);
    if (rc == YQ_OK) rc = ledger_void(db, void_id, reserve_id, rows_str(voucher, "code"));
    json_t *after = json_pack("{s:s, s:s?}", "status", status, "reason", reason);
    json_t *before = json_pack("{s:s}", "status", from);
    if (rc == YQ_OK)
        rc = audit(db, a, "voucher", id, strcmp(status, "expired") == 0 ? "expire" : "terminate",
                   before, after);
    json_decref(after);
    json_decref(before);
    /* What was released serves the county's waitlist of that year. */
    if (rc == YQ_OK)
        rc = vouchers_serve_waitlist(db, a, rows_str(voucher, "county_code"),
                                     (int)num(voucher, "issue_year"));
    return rc;
}
