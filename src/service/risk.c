/* Risk signals on a contract (SPEC §8), shown to officials and never
 * acting by themselves: the enterprise and its provider share a phone or
 * an e-mail (related party); the subsidy base sits just above the amount
 * at which the cap binds; the provider signed many contracts in a short
 * window. */
#include "core/clock.h"
#include "core/policy.h"
#include "core/status.h"
#include "service/programs.h"
#include "service/risk.h"
#include "store/risk.h"
#include "store/rows.h"

#include <stdio.h>

/* "Just above the cap": a base within 5 % above where the cap starts. */
#define CAP_MARGIN_BP 500
/* "Many contracts in a short window": this many in 7 days. */
#define BURST_CONTRACTS 10
#define BURST_WINDOW_MS (7LL * 24 * 3600 * 1000)

static void add(json_t *list, const char *code, const char *msg)
{
    json_array_append_new(list, json_pack("{s:s, s:s}", "code", code, "message", msg));
}

json_t *risk_contract_signals(struct db *db, json_t *c)
{
    json_t *out = json_array();
    struct risk_shared_contacts shared;
    int rc =
        risk_shared_contacts(db, rows_str(c, "enterprise_id"), rows_str(c, "provider_id"), &shared);
    if (rc != YQ_OK && rc != YQ_ENOTFOUND) goto fail;
    if (rc == YQ_OK && shared.phone)
        add(out, "related_party_phone", "企业与云服务商登记的手机号码相同，可能为关联方");
    if (rc == YQ_OK && shared.email)
        add(out, "related_party_email", "企业与云服务商登记的电子邮箱相同，可能为关联方");

    struct program_params params;
    int version;
    struct problem p;
    int64_t base = json_integer_value(json_object_get(c, "base_fen"));
    int y;
    unsigned m, d;
    clock_civil_from_days(clock_cst_day(clock_now_ms()), &y, &m, &d);
    int32_t ratio;
    char source[160];
    /* An unknown program or unreadable parameters give no signal; a
     * database error is an error. */
    rc = base > 0 ? programs_load_params(db, rows_str(c, "program_id"), &params, &version, &p)
                  : YQ_ENOTFOUND;
    if (rc != YQ_OK && rc != YQ_ENOTFOUND && rc != YQ_EINVAL) goto fail;
    if (rc == YQ_OK && policy_ratio_bp(&params.policy, y, &ratio, source) == YQ_OK && ratio > 0) {
        /* The base at which ⌊base × ratio⌋ first reaches the cap. */
        int64_t threshold = (params.policy.cap_fen * 10000 + ratio - 1) / ratio;
        int64_t upper = threshold + threshold / 10000 * CAP_MARGIN_BP;
        if (base >= threshold && base <= upper) {
            char msg[256];
            snprintf(msg, sizeof msg,
                     "补贴基数 %lld.%02lld 元刚好超过封顶所需的 %lld.%02lld 元，请核实合同金额的真实性",
                     (long long)(base / 100), (long long)(base % 100),
                     (long long)(threshold / 100), (long long)(threshold % 100));
            add(out, "base_just_above_cap", msg);
        }
    }

    int64_t n = 0;
    int64_t created = json_integer_value(json_object_get(c, "created_at"));
    if (risk_provider_contracts(db, rows_str(c, "provider_id"), created - BURST_WINDOW_MS, created,
                                &n) != YQ_OK)
        goto fail;
    if (n >= BURST_CONTRACTS) {
        char msg[160];
        snprintf(msg, sizeof msg, "该云服务商 7 天内签订了 %lld 份合同", (long long)n);
        add(out, "provider_burst", msg);
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}
