/* Policy ratios, caps and voucher amounts. */
#include "core/policy.h"
#include "core/status.h"

#include <stdio.h>
#include <string.h>

/* Basis points as percent text for people: 3000 → "30", 1250 → "12.5". */
static void percent_text(int32_t bp, char *out, size_t n)
{
    int32_t whole = bp / 100, frac = bp % 100;
    if (frac == 0) snprintf(out, n, "%d", whole);
    else if (frac % 10 == 0) snprintf(out, n, "%d.%d", whole, frac / 10);
    else snprintf(out, n, "%d.%02d", whole, frac);
}

int policy_ratio_bp(const struct policy *p, int year, int32_t *ratio_bp, char source[160])
{
    if (year < p->first_year || year > p->last_year) return YQ_EINVAL;
    if (p->n_year_ratios > 0) {
        for (int i = 0; i < p->n_year_ratios; i++) {
            if (p->year_ratios[i].year == year) {
                *ratio_bp = p->year_ratios[i].ratio_bp;
                snprintf(source, 160, "年度比例表：%d 年", year);
                return YQ_OK;
            }
        }
        return YQ_EINVAL;
    }
    int years = year - p->first_year;
    int64_t r = (int64_t)p->base_ratio_bp - (int64_t)p->taper_bp_per_year * years;
    *ratio_bp = r < 0 ? 0 : (int32_t)r;
    char base[16], step[16];
    percent_text(p->base_ratio_bp, base, sizeof base);
    percent_text(p->taper_bp_per_year, step, sizeof step);
    snprintf(source, 160, "逐年递减：%d 年 %s%%，每年减 %s 个百分点，已减 %d 年", p->first_year, base,
             step, years);
    return YQ_OK;
}

bool policy_certificate_valid(int32_t from_day, int32_t until_day, int32_t day)
{
    return from_day <= day && day <= until_day;
}

/* ⌊a × b / 10000⌋ for a ≥ 0, 0 ≤ b ≤ 20000, without overflow. */
static int64_t mul_bp(int64_t a, int32_t b)
{
    return (a / 10000) * b + (a % 10000) * b / 10000;
}

int64_t policy_cap_fen(const struct policy *p, bool certified)
{
    return certified ? mul_bp(p->cap_fen, 10000 + p->cert_bonus_bp) : p->cap_fen;
}

int policy_voucher_amount(const struct policy *p, int64_t base_fen, int issue_year,
                          bool certified, struct voucher_calc *out)
{
    memset(out, 0, sizeof *out);
    if (base_fen < 0) return YQ_EINVAL;
    out->base_fen = base_fen;
    out->issue_year = issue_year;
    if (policy_ratio_bp(p, issue_year, &out->ratio_bp, out->ratio_source) != YQ_OK)
        return YQ_EINVAL;
    out->certified = certified;
    out->cap_fen = policy_cap_fen(p, certified);
    out->subsidy_fen = mul_bp(base_fen, out->ratio_bp);
    out->capped = out->subsidy_fen > out->cap_fen;
    out->amount_fen = out->capped ? out->cap_fen : out->subsidy_fen;
    return YQ_OK;
}

int policy_check(const struct policy *p, char *msg, int msglen)
{
    if (p->base_ratio_bp < 0 || p->base_ratio_bp > 10000) {
        snprintf(msg, (size_t)msglen, "补贴比例须在 0%% 至 100%% 之间");
        return YQ_EINVAL;
    }
    if (p->taper_bp_per_year < 0 || p->taper_bp_per_year > 10000) {
        snprintf(msg, (size_t)msglen, "每年递减须在 0 至 100 个百分点之间");
        return YQ_EINVAL;
    }
    if (p->first_year < 2000 || p->last_year < p->first_year || p->last_year > 2100) {
        snprintf(msg, (size_t)msglen, "起止年份无效");
        return YQ_EINVAL;
    }
    if (p->cap_fen < 0 || p->cap_fen > 100000000000LL) {
        snprintf(msg, (size_t)msglen, "补助上限无效");
        return YQ_EINVAL;
    }
    if (p->cert_bonus_bp < 0 || p->cert_bonus_bp > 10000) {
        snprintf(msg, (size_t)msglen, "认证加成须在 0%% 至 100%% 之间");
        return YQ_EINVAL;
    }
    if (p->n_year_ratios < 0 || p->n_year_ratios > POLICY_MAX_YEARS) {
        snprintf(msg, (size_t)msglen, "年度比例表过长");
        return YQ_EINVAL;
    }
    for (int i = 0; i < p->n_year_ratios; i++) {
        const struct policy_year_ratio *y = &p->year_ratios[i];
        if (y->ratio_bp < 0 || y->ratio_bp > 10000) {
            snprintf(msg, (size_t)msglen, "%d 年的补贴比例须在 0%% 至 100%% 之间", y->year);
            return YQ_EINVAL;
        }
        for (int j = 0; j < i; j++) {
            if (p->year_ratios[j].year == y->year) {
                snprintf(msg, (size_t)msglen, "年度比例表中 %d 年重复", y->year);
                return YQ_EINVAL;
            }
        }
    }
    return YQ_OK;
}
