/* Claims, quality deductions, approved amounts and evaluation scores. */
#include "core/redemption.h"
#include "core/status.h"

#include <stdio.h>
#include <string.h>

int redemption_check_claim(int64_t claim_fen, int64_t amount_fen, int64_t redeemed_fen,
                           int64_t open_claims_fen, int64_t *remaining_fen)
{
    if (claim_fen <= 0 || amount_fen < 0 || redeemed_fen < 0 || open_claims_fen < 0)
        return YQ_EINVAL;
    /* Compared before subtracting so that no difference can overflow. */
    if (redeemed_fen > amount_fen || open_claims_fen > amount_fen - redeemed_fen) return YQ_ERR;
    int64_t remaining = amount_fen - redeemed_fen - open_claims_fen;
    *remaining_fen = remaining;
    return claim_fen <= remaining ? YQ_OK : YQ_ECONFLICT;
}

const char *redemption_deduction_kind_name(enum redemption_deduction_kind k)
{
    switch (k) {
    case REDEMPTION_DEDUCT_NONE:
        return "none";
    case REDEMPTION_DEDUCT_AMOUNT:
        return "amount";
    case REDEMPTION_DEDUCT_BP:
        return "bp";
    }
    return "";
}

/* fen × bp / 10000 rounded half up, for fen ≥ 0 and 0 ≤ bp ≤ 10000, split
 * at 10000 so that no product exceeds fen or 10000 × 10000. */
static int64_t share_half_up(int64_t fen, int32_t bp)
{
    int64_t whole = (fen / 10000) * bp;
    int64_t part = (fen % 10000) * bp; /* < 10^8 */
    return whole + part / 10000 + (part % 10000 >= 5000 ? 1 : 0);
}

int redemption_deduction_fen(int64_t claim_fen, const struct redemption_deduction *d, int64_t *out)
{
    if (claim_fen <= 0) return YQ_EINVAL;
    switch (d->kind) {
    case REDEMPTION_DEDUCT_NONE:
        *out = 0;
        return YQ_OK;
    case REDEMPTION_DEDUCT_AMOUNT:
        if (d->amount_fen < 0 || d->amount_fen > claim_fen) return YQ_EINVAL;
        *out = d->amount_fen;
        return YQ_OK;
    case REDEMPTION_DEDUCT_BP:
        if (d->bp < 0 || d->bp > REDEMPTION_BP_MAX) return YQ_EINVAL;
        *out = share_half_up(claim_fen, d->bp);
        return YQ_OK;
    }
    return YQ_EINVAL;
}

int redemption_approved(int64_t claim_fen, const struct redemption_deduction *d,
                        int64_t adjustment_fen, struct redemption_calc *out)
{
    memset(out, 0, sizeof *out);
    int64_t deduction;
    if (adjustment_fen < 0 || redemption_deduction_fen(claim_fen, d, &deduction) != YQ_OK)
        return YQ_EINVAL;
    out->claim_fen = claim_fen;
    out->deduction_kind = d->kind;
    out->deduction_bp = d->kind == REDEMPTION_DEDUCT_BP ? d->bp : 0;
    out->deduction_fen = deduction;
    out->adjustment_fen = adjustment_fen;
    /* 0 ≤ claim − deduction, so comparing avoids claim − deduction − adj. */
    int64_t after_deduction = claim_fen - deduction;
    out->clamped = adjustment_fen > after_deduction;
    out->approved_fen = out->clamped ? 0 : after_deduction - adjustment_fen;
    return YQ_OK;
}

static int score_error(int index, int *bad_index, char *msg, size_t msglen, const char *what)
{
    if (bad_index) *bad_index = index;
    if (msg && msglen > 0) {
        if (index >= 0)
            snprintf(msg, msglen, "第 %d 项指标的%s", index + 1, what);
        else
            snprintf(msg, msglen, "%s", what);
    }
    return YQ_EINVAL;
}

int redemption_weighted_score(const struct redemption_criterion *c, size_t n, int32_t *hundredths,
                              int *bad_index, char *msg, size_t msglen)
{
    if (n == 0) return score_error(-1, bad_index, msg, msglen, "评价指标不能为空");
    int64_t weights = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        int index = i < (size_t)INT32_MAX ? (int)i : INT32_MAX;
        if (c[i].weight < 0 || c[i].weight > 100)
            return score_error(index, bad_index, msg, msglen, "权重须在 0 至 100 之间");
        if (c[i].score < 0 || c[i].score > 100)
            return score_error(index, bad_index, msg, msglen, "得分须在 0 至 100 之间");
        weights += c[i].weight;
        total += (int64_t)c[i].weight * c[i].score;
    }
    if (weights != 100) {
        char what[96];
        snprintf(what, sizeof what, "各项指标权重之和须为 100（现为 %lld）", (long long)weights);
        return score_error(-1, bad_index, msg, msglen, what);
    }
    /* Σ weight × score / 100 points = Σ weight × score hundredths, exactly. */
    *hundredths = (int32_t)total;
    if (bad_index) *bad_index = -1;
    if (msg && msglen > 0) msg[0] = '\0';
    return YQ_OK;
}
