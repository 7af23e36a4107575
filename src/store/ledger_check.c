/* The ledger's invariant check (`yunquan ledger check`): balances, pools
 * that never overdraw, transfers, reservations, vouchers, the waitlist,
 * redemptions and the read model of the reports, each recomputed from the
 * base tables. Every breach is listed, not only the first. */
#include "core/status.h"
#include "store/awards.h"
#include "store/ledger.h"
#include "store/rows.h"
#include "store/stats.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void breach(json_t *list, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void breach(json_t *list, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    json_array_append_new(list, json_string(line));
}

/* 5. The waitlist agrees with the vouchers: a served application names a
 * voucher of its contract; a waiting one has none; a queue's positions are
 * unique (the UNIQUE index backs it). */
static int check_waitlist(struct db *db, json_t *breaches)
{
    json_t *bad = rows_all(db,
                           "SELECT w.id, w.status, v.id AS voucher FROM waitlist w LEFT JOIN"
                           " vouchers v ON v.contract_id = w.contract_id WHERE (w.status ="
                           " 'served' AND (v.id IS NULL OR w.voucher_id IS NULL OR w.voucher_id <>"
                           " v.id)) OR (w.status = 'waiting' AND v.id IS NOT NULL)",
                           NULL);
    if (!bad) return YQ_ERR;
    size_t i;
    json_t *row;
    json_array_foreach(bad, i, row) breach(breaches, "候补申请 %s（%s）与券记录不符",
                                           json_string_value(json_object_get(row, "id")),
                                           json_string_value(json_object_get(row, "status")));
    json_decref(bad);
    /* Each queue's kept count of waiting applications is the queue's. */
    bad = rows_all(db,
                   "SELECT county_code, program_id, kept, actual FROM (SELECT q.county_code,"
                   " q.program_id, q.waiting AS kept, (SELECT COUNT(*) FROM waitlist w WHERE"
                   " w.county_code = q.county_code AND w.program_id = q.program_id AND w.status ="
                   " 'waiting') AS actual FROM waitlist_queues q UNION ALL SELECT w.county_code,"
                   " w.program_id, 0, COUNT(*) FROM waitlist w WHERE w.status = 'waiting' AND NOT"
                   " EXISTS (SELECT 1 FROM waitlist_queues q WHERE q.county_code = w.county_code"
                   " AND q.program_id = w.program_id) GROUP BY w.county_code, w.program_id) AS c"
                   " WHERE kept <> actual ORDER BY county_code, program_id",
                   NULL);
    if (!bad) return YQ_ERR;
    json_array_foreach(bad, i, row)
        breach(breaches, "区县 %s 方案 %s 的候补队列记为 %lld 人等候，队列中实为 %lld 人",
               json_string_value(json_object_get(row, "county_code")),
               json_string_value(json_object_get(row, "program_id")),
               (long long)json_integer_value(json_object_get(row, "kept")),
               (long long)json_integer_value(json_object_get(row, "actual")));
    json_decref(bad);
    return YQ_OK;
}

/* 1. Every account's balances equal the sums of its transfers. */
static int check_accounts(struct db *db, json_t *breaches)
{
    int rc = YQ_OK;
    json_t *accounts = NULL;
    size_t i;
    json_t *a;
    accounts = rows_all(db,
                        "SELECT a.id, a.kind, a.debits_pending, a.debits_posted,"
                        " a.credits_pending, a.credits_posted, a.limit_fen,"
                        " a.must_not_overdraw FROM ledger_accounts a ORDER BY a.id",
                        NULL);
    if (!accounts) return YQ_ERR;
    json_array_foreach(accounts, i, a)
    {
        const char *id = json_string_value(json_object_get(a, "id"));
        int64_t dp = 0, dpo = 0, cp = 0, cpo = 0, pend_d = 0, pend_c = 0, settled_d = 0,
                settled_c = 0;
        /* posted = plain + post; pending = reservations − posts − voids */
        if ((rc = rows_int(db, &dpo,
                           "SELECT SUM(amount_fen) FROM ledger_transfers WHERE debit_account = ?"
                           " AND kind IN ('plain', 'post')",
                           "t", id)) != YQ_OK)
            goto fail;
        if ((rc = rows_int(db, &cpo,
                           "SELECT SUM(amount_fen) FROM ledger_transfers WHERE credit_account = ?"
                           " AND kind IN ('plain', 'post')",
                           "t", id)) != YQ_OK)
            goto fail;
        if ((rc = rows_int(db, &pend_d,
                           "SELECT SUM(amount_fen) FROM ledger_transfers WHERE debit_account = ?"
                           " AND kind = 'pending'",
                           "t", id)) != YQ_OK)
            goto fail;
        if ((rc = rows_int(db, &pend_c,
                           "SELECT SUM(amount_fen) FROM ledger_transfers WHERE credit_account = ?"
                           " AND kind = 'pending'",
                           "t", id)) != YQ_OK)
            goto fail;
        if ((rc = rows_int(db, &settled_d,
                           "SELECT SUM(amount_fen) FROM ledger_transfers WHERE"
                           " debit_account = ? AND kind IN ('post', 'void')",
                           "t", id)) != YQ_OK)
            goto fail;
        if ((rc = rows_int(db, &settled_c,
                           "SELECT SUM(amount_fen) FROM ledger_transfers WHERE"
                           " credit_account = ? AND kind IN ('post', 'void')",
                           "t", id)) != YQ_OK)
            goto fail;
        dp = pend_d - settled_d;
        cp = pend_c - settled_c;
        int64_t s_dp = json_integer_value(json_object_get(a, "debits_pending")),
                s_dpo = json_integer_value(json_object_get(a, "debits_posted")),
                s_cp = json_integer_value(json_object_get(a, "credits_pending")),
                s_cpo = json_integer_value(json_object_get(a, "credits_posted"));
        /* Name each balance that differs, with both figures. */
        const struct {
            const char *name;
            int64_t from_transfers, on_account;
        } bal[4] = {{"借方待定", dp, s_dp},
                    {"借方已入账", dpo, s_dpo},
                    {"贷方待定", cp, s_cp},
                    {"贷方已入账", cpo, s_cpo}};
        for (int k = 0; k < 4; k++)
            if (bal[k].from_transfers != bal[k].on_account)
                breach(breaches,
                       "账户 %s 的余额与转账记录不符（记录推算的%s %lld 分，账户上为 %lld 分）", id,
                       bal[k].name, (long long)bal[k].from_transfers, (long long)bal[k].on_account);
        if (json_integer_value(json_object_get(a, "must_not_overdraw")) && s_cpo - s_dpo - s_dp < 0)
            breach(breaches, "资金池 %s 透支：可用余额 %lld 分", id,
                   (long long)(s_cpo - s_dpo - s_dp));
        json_t *limit = json_object_get(a, "limit_fen");
        if (json_is_integer(limit) && s_cpo + s_cp > json_integer_value(limit))
            breach(breaches, "券账户 %s 已兑现与占用合计 %lld 分，超过券面额 %lld 分", id,
                   (long long)(s_cpo + s_cp), (long long)json_integer_value(limit));
    }
    json_decref(accounts);
    accounts = NULL;
    return YQ_OK;
fail:
    json_decref(accounts);
    return rc < 0 ? rc : YQ_ERR;
}

/* 2. Every transfer is balanced and names accounts that exist. */
static int check_transfers(struct db *db, json_t *breaches)
{
    int rc = YQ_OK;
    int64_t bad = 0;
    if ((rc = rows_int(
             db, &bad,
             "SELECT COUNT(*) FROM ledger_transfers t WHERE amount_fen <= 0 OR debit_account ="
             " credit_account OR NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id ="
             " t.debit_account) OR NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id ="
             " t.credit_account)",
             NULL)) != YQ_OK)
        goto fail;
    if (bad) breach(breaches, "%lld 笔转账金额非正、借贷同户或账户不存在", (long long)bad);
    int64_t dsum = 0, csum = 0;
    if ((rc = rows_int(db, &dsum, "SELECT SUM(debits_posted + debits_pending) FROM ledger_accounts",
                       NULL)) != YQ_OK)
        goto fail;
    if ((rc = rows_int(db, &csum,
                       "SELECT SUM(credits_posted + credits_pending) FROM ledger_accounts",
                       NULL)) != YQ_OK)
        goto fail;
    if (dsum != csum)
        breach(breaches, "总账借方合计 %lld 分，贷方合计 %lld 分，不平衡", (long long)dsum,
               (long long)csum);
    return YQ_OK;
fail:
    return rc < 0 ? rc : YQ_ERR;
}

/* 3. Settlements never exceed their reservation. */
static int check_reservations(struct db *db, json_t *breaches)
{
    int rc = YQ_OK;
    json_t *over = NULL, *a;
    size_t i;
    over = rows_all(db,
                    "SELECT p.id, p.amount_fen, SUM(s.amount_fen) AS settled FROM"
                    " ledger_transfers p JOIN ledger_transfers s ON s.pending_id = p.id"
                    " WHERE p.kind = 'pending' GROUP BY p.id, p.amount_fen"
                    " HAVING SUM(s.amount_fen) > p.amount_fen",
                    NULL);
    if (!over) goto fail;
    json_array_foreach(over, i, a)
        breach(breaches, "预留 %s 的入账与撤销合计 %lld 分，超过预留的 %lld 分",
               json_string_value(json_object_get(a, "id")),
               (long long)json_integer_value(json_object_get(a, "settled")),
               (long long)json_integer_value(json_object_get(a, "amount_fen")));
    json_decref(over);
    over = NULL;
    return YQ_OK;
fail:
    json_decref(over);
    return rc < 0 ? rc : YQ_ERR;
}

/* 4. The ledger agrees with the vouchers: a live voucher's account
 * holds its amount (reserved + posted); a closed one holds only what
 * was posted; and what was posted is what was redeemed. */
static int check_vouchers(struct db *db, json_t *breaches)
{
    int rc = YQ_OK;
    json_t *vouchers = NULL, *a;
    size_t i;
    vouchers = rows_all(db,
                        "SELECT v.id, v.code, v.status, v.amount_fen, v.redeemed_fen,"
                        " v.clawed_back_fen, (SELECT COALESCE(SUM(c.amount_fen), 0) FROM"
                        " clawbacks c WHERE c.voucher_id = v.id) AS clawbacks_fen,"
                        " a.credits_pending, a.credits_posted FROM vouchers v LEFT JOIN"
                        " ledger_accounts a ON a.id = 'voucher:' || v.id",
                        NULL);
    if (!vouchers) goto fail;
    json_array_foreach(vouchers, i, a)
    {
        const char *code = json_string_value(json_object_get(a, "code"));
        const char *status = json_string_value(json_object_get(a, "status"));
        int64_t amount = json_integer_value(json_object_get(a, "amount_fen"));
        int64_t clawed = json_integer_value(json_object_get(a, "clawed_back_fen"));
        int64_t clawbacks = json_integer_value(json_object_get(a, "clawbacks_fen"));
        /* What was posted: redeemed now, plus what was paid and clawed back. */
        int64_t redeemed = json_integer_value(json_object_get(a, "redeemed_fen")) + clawbacks;
        int64_t pending = json_integer_value(json_object_get(a, "credits_pending"));
        int64_t posted = json_integer_value(json_object_get(a, "credits_posted"));
        bool live = strcmp(status, "issued") == 0 || strcmp(status, "partially_redeemed") == 0;
        if (json_is_null(json_object_get(a, "credits_pending")) && amount > 0)
            breach(breaches, "券 %s 没有账户（面额 %lld 分）", code, (long long)amount);
        else if (clawed != clawbacks)
            breach(breaches, "券 %s 记为已追回 %lld 分，追回记录合计 %lld 分", code,
                   (long long)clawed, (long long)clawbacks);
        else if (posted != redeemed)
            breach(breaches, "券 %s 已兑现 %lld 分，账上入账 %lld 分", code, (long long)redeemed,
                   (long long)posted);
        else if (live && pending + posted != amount)
            breach(breaches, "券 %s 有效，但账上预留加入账为 %lld 分，券面额为 %lld 分", code,
                   (long long)(pending + posted), (long long)amount);
        else if (!live && pending != 0)
            breach(breaches, "券 %s 已关闭，但仍预留 %lld 分", code, (long long)pending);
    }
    json_decref(vouchers);
    vouchers = NULL;
    return YQ_OK;
fail:
    json_decref(vouchers);
    return rc < 0 ? rc : YQ_ERR;
}

/* 6. The ledger agrees with the redemptions (SPEC §7): what was posted to
 * a voucher is what its items were paid; a paid batch's total is what its
 * items were paid; a county's paid account holds what was paid less what
 * was clawed back. */
static int check_redemptions(struct db *db, json_t *breaches)
{
    json_t *bad = rows_all(
        db,
        "SELECT v.code, COALESCE(a.credits_posted, 0) AS posted, (SELECT COALESCE(SUM(i.paid_fen),"
        " 0) FROM redemption_items i WHERE i.voucher_id = v.id) AS paid FROM vouchers v LEFT JOIN"
        " ledger_accounts a ON a.id = 'voucher:' || v.id WHERE COALESCE(a.credits_posted, 0) <>"
        " (SELECT COALESCE(SUM(i.paid_fen), 0) FROM redemption_items i WHERE i.voucher_id = v.id)",
        NULL);
    if (!bad) return YQ_ERR;
    size_t i;
    json_t *r;
    json_array_foreach(bad, i, r)
        breach(breaches, "券 %s 账上入账 %lld 分，兑现明细已兑付 %lld 分",
               json_string_value(json_object_get(r, "code")),
               (long long)json_integer_value(json_object_get(r, "posted")),
               (long long)json_integer_value(json_object_get(r, "paid")));
    json_decref(bad);
    bad = rows_all(db,
                   "SELECT b.id, b.total_fen, (SELECT COALESCE(SUM(i.paid_fen), 0) FROM"
                   " redemption_items i JOIN redemptions r ON r.id = i.redemption_id WHERE"
                   " r.payout_id = b.id) AS paid FROM payouts b WHERE b.status = 'paid' AND"
                   " b.total_fen <> (SELECT COALESCE(SUM(i.paid_fen), 0) FROM redemption_items i"
                   " JOIN redemptions r ON r.id = i.redemption_id WHERE r.payout_id = b.id)",
                   NULL);
    if (!bad) return YQ_ERR;
    json_array_foreach(bad, i, r)
        breach(breaches, "兑付批次 %s 合计 %lld 分，明细已兑付 %lld 分",
               json_string_value(json_object_get(r, "id")),
               (long long)json_integer_value(json_object_get(r, "total_fen")),
               (long long)json_integer_value(json_object_get(r, "paid")));
    json_decref(bad);
    bad = rows_all(db,
                   "SELECT a.id, a.credits_posted - a.debits_posted AS balance, (SELECT"
                   " COALESCE(SUM(i.paid_fen - i.clawed_back_fen), 0) FROM redemption_items i JOIN"
                   " redemptions r ON r.id = i.redemption_id WHERE 'paid:' || r.county_code = a.id)"
                   " AS net FROM ledger_accounts a WHERE a.kind = 'paid' AND a.credits_posted -"
                   " a.debits_posted <> (SELECT COALESCE(SUM(i.paid_fen - i.clawed_back_fen), 0)"
                   " FROM redemption_items i JOIN redemptions r ON r.id = i.redemption_id WHERE"
                   " 'paid:' || r.county_code = a.id)",
                   NULL);
    if (!bad) return YQ_ERR;
    json_array_foreach(bad, i, r)
        breach(breaches, "已拨付账户 %s 余额 %lld 分，兑现明细已兑付减追回为 %lld 分",
               json_string_value(json_object_get(r, "id")),
               (long long)json_integer_value(json_object_get(r, "balance")),
               (long long)json_integer_value(json_object_get(r, "net")));
    json_decref(bad);
    return YQ_OK;
}

/* 7. The read model of the city reports agrees with the contracts: each
 * county's enterprise is on the cloud from its first confirmed contract
 * with catalog services, no earlier, no later, and only while it has one
 * (enterprise_on_cloud is kept by the contract store; drift shows here). */
static int check_on_cloud(struct db *db, json_t *breaches)
{
    /* Two EXCEPTs (sorts), not a join per row: a LEFT JOIN over the
     * grouping took minutes on 200,000 enterprises. */
    json_t *bad = rows_all(
        db,
        "SELECT county_code, enterprise_id, first_at AS want, NULL AS got FROM (SELECT"
        " county_code, enterprise_id, MIN(confirmed_at) AS first_at FROM contracts WHERE status ="
        " 'confirmed' AND base_fen > 0 GROUP BY county_code, enterprise_id EXCEPT SELECT"
        " county_code, enterprise_id, first_at FROM enterprise_on_cloud) f UNION ALL SELECT"
        " county_code, enterprise_id, NULL, first_at FROM (SELECT county_code, enterprise_id,"
        " first_at FROM enterprise_on_cloud EXCEPT SELECT county_code, enterprise_id,"
        " MIN(confirmed_at) FROM contracts WHERE status = 'confirmed' AND base_fen > 0 GROUP BY"
        " county_code, enterprise_id) g",
        NULL);
    if (!bad) return YQ_ERR;
    size_t i;
    json_t *r;
    json_array_foreach(bad, i, r)
        breach(breaches, "区县 %s 企业 %s 上云时间：按合同为 %lld，记录为 %lld（0 为无）",
               json_string_value(json_object_get(r, "county_code")),
               json_string_value(json_object_get(r, "enterprise_id")),
               (long long)json_integer_value(json_object_get(r, "want")),
               (long long)json_integer_value(json_object_get(r, "got")));
    json_decref(bad);
    return YQ_OK;
}

/* 8. The paid figures of the reports agree with the items: county_paid
 * holds, per county, provider, period and payment month, what the items
 * of paid batches were paid less clawed back; and an application that
 * counts as a claim holds its active items' claimed and approved sums (the
 * dashboards' periods read those totals). */
static int check_paid_read_model(struct db *db, json_t *breaches)
{
    json_t *bad = rows_all(
        db,
        "SELECT f.county_code, f.provider_id, f.period, f.paid_month, f.fen AS want,"
        " COALESCE(c.paid_fen, -1) AS got FROM (SELECT r.county_code, r.provider_id, r.period,"
        " SUBSTR(p.paid_on, 1, 7) AS paid_month, SUM(i.paid_fen - i.clawed_back_fen) AS fen FROM"
        " redemption_items i JOIN redemptions r ON r.id = i.redemption_id JOIN payouts p ON p.id ="
        " r.payout_id WHERE p.status = 'paid' GROUP BY r.county_code, r.provider_id, r.period,"
        " SUBSTR(p.paid_on, 1, 7)) f LEFT JOIN county_paid c ON c.county_code = f.county_code AND"
        " c.provider_id = f.provider_id AND c.period = f.period AND c.paid_month = f.paid_month"
        " WHERE c.paid_fen IS NULL OR c.paid_fen <> f.fen"
        " UNION ALL SELECT c.county_code, c.provider_id, c.period, c.paid_month, 0, c.paid_fen"
        " FROM county_paid c WHERE c.paid_fen <> 0 AND NOT EXISTS (SELECT 1 FROM redemptions r"
        " JOIN payouts p ON p.id = r.payout_id WHERE p.status = 'paid' AND r.county_code ="
        " c.county_code AND r.provider_id = c.provider_id AND r.period = c.period AND"
        " SUBSTR(p.paid_on, 1, 7) = c.paid_month)"
        " UNION ALL SELECT r.county_code, r.provider_id, r.period, 'unpaid', SUM(i.paid_fen),"
        " 0 FROM redemption_items i JOIN redemptions r ON r.id = i.redemption_id LEFT JOIN"
        " payouts p ON p.id = r.payout_id WHERE i.paid_fen > 0 AND (p.id IS NULL OR p.status <>"
        " 'paid') GROUP BY r.county_code, r.provider_id, r.period",
        NULL);
    if (!bad) return YQ_ERR;
    size_t i;
    json_t *r;
    json_array_foreach(bad, i, r)
        breach(breaches, "区县 %s 服务商 %s %s 期 %s 月已兑付记为 %lld 分，按兑现明细应为 %lld 分",
               json_string_value(json_object_get(r, "county_code")),
               json_string_value(json_object_get(r, "provider_id")),
               json_string_value(json_object_get(r, "period")),
               json_string_value(json_object_get(r, "paid_month")),
               (long long)json_integer_value(json_object_get(r, "got")),
               (long long)json_integer_value(json_object_get(r, "want")));
    json_decref(bad);
    bad = rows_all(db,
                   "SELECT x.id, x.claim_fen, x.approved_fen, COALESCE(SUM(i.claim_fen), 0) AS"
                   " claimed, COALESCE(SUM(i.approved_fen), 0) AS approved FROM redemptions x"
                   " LEFT JOIN redemption_items i ON i.redemption_id = x.id AND i.active = 1"
                   " WHERE x.status NOT IN ('draft', 'withdrawn', 'rejected') GROUP BY x.id,"
                   " x.claim_fen, x.approved_fen, x.status HAVING x.claim_fen <>"
                   " COALESCE(SUM(i.claim_fen), 0) OR (x.status IN ('approved', 'in_notice',"
                   " 'noticed', 'paid') AND x.approved_fen <> COALESCE(SUM(i.approved_fen), 0))",
                   NULL);
    if (!bad) return YQ_ERR;
    json_array_foreach(bad, i, r)
        breach(breaches, "兑现申请 %s 申请/核定 %lld/%lld 分，明细合计 %lld/%lld 分",
               json_string_value(json_object_get(r, "id")),
               (long long)json_integer_value(json_object_get(r, "claim_fen")),
               (long long)json_integer_value(json_object_get(r, "approved_fen")),
               (long long)json_integer_value(json_object_get(r, "claimed")),
               (long long)json_integer_value(json_object_get(r, "approved")));
    json_decref(bad);
    return YQ_OK;
}

int ledger_check(struct db *db, json_t *breaches)
{
    size_t before = json_array_size(breaches);
    int rc;
    if ((rc = check_accounts(db, breaches)) != YQ_OK ||
        (rc = check_transfers(db, breaches)) != YQ_OK ||
        (rc = check_reservations(db, breaches)) != YQ_OK ||
        (rc = check_vouchers(db, breaches)) != YQ_OK ||
        (rc = check_waitlist(db, breaches)) != YQ_OK ||
        (rc = check_redemptions(db, breaches)) != YQ_OK ||
        (rc = check_on_cloud(db, breaches)) != YQ_OK ||
        (rc = check_paid_read_model(db, breaches)) != YQ_OK ||
        (rc = stats_check(db, breaches)) != YQ_OK || (rc = awards_check(db, breaches)) != YQ_OK)
        return rc;
    return json_array_size(breaches) > before ? YQ_ECONFLICT : YQ_OK;
}
