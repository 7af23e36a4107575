/* Redemption (兑现) amounts (SPEC §7): what a provider may claim against a
 * voucher, and what is approved of it:
 *   approved = claim − quality deduction (质量问题扣减, "存在质量问题的，相应
 *              递减") − review adjustment, never below zero;
 * and the evaluator's weighted score (第三方评价). Money is int64 fen, ratios
 * basis points; nothing here can overflow for any int64 input. Pure. */
#ifndef YQ_CORE_REDEMPTION_H
#define YQ_CORE_REDEMPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REDEMPTION_BP_MAX 10000 /* 100% */

/* The balance a new claim may use: amount − redeemed − open claims. YQ_OK
 * and *remaining set when 0 < claim ≤ remaining; YQ_EINVAL for a claim ≤ 0
 * or a negative input; YQ_ECONFLICT when the claim exceeds the remaining
 * balance; YQ_ERR when redeemed + open claims exceed the amount (the books
 * disagree). *remaining is set whenever the balance could be computed
 * (YQ_OK and YQ_ECONFLICT), so that a refusal can quote it. */
int redemption_check_claim(int64_t claim_fen, int64_t amount_fen, int64_t redeemed_fen,
                           int64_t open_claims_fen, int64_t *remaining_fen);

/* How the evaluator states a quality deduction. */
enum redemption_deduction_kind {
    REDEMPTION_DEDUCT_NONE,   /* no quality problem */
    REDEMPTION_DEDUCT_AMOUNT, /* a sum in fen */
    REDEMPTION_DEDUCT_BP,     /* a share of the claim in basis points */
};

struct redemption_deduction {
    enum redemption_deduction_kind kind;
    int64_t amount_fen; /* REDEMPTION_DEDUCT_AMOUNT: 0..claim */
    int32_t bp;         /* REDEMPTION_DEDUCT_BP: 0..10000 */
};

/* "none", "amount", "bp"; "" for an unknown kind. */
const char *redemption_deduction_kind_name(enum redemption_deduction_kind k);

/* The deduction in fen for a claim > 0. A share is rounded to the fen half
 * up: claim × bp / 10000, and a remainder of half a fen or more counts as a
 * whole fen (5% of 333 fen = 16.65 → 17 fen; 5% of 330 = 16.5 → 17; 5% of
 * 329 = 16.45 → 16). It never exceeds the claim. YQ_OK, or YQ_EINVAL (out
 * untouched) for a claim ≤ 0, an unknown kind, a bp outside 0..10000, or an
 * amount below zero or above the claim. */
int redemption_deduction_fen(int64_t claim_fen, const struct redemption_deduction *d, int64_t *out);

/* The trace of an approved amount, shown like a voucher's calculation trace. */
struct redemption_calc {
    int64_t claim_fen;
    enum redemption_deduction_kind deduction_kind;
    int32_t deduction_bp;   /* the share when the kind is bp, else 0 */
    int64_t deduction_fen;  /* the quality deduction in fen (rounded) */
    int64_t adjustment_fen; /* the reviewer's downward adjustment */
    bool clamped;           /* claim − deduction − adjustment was below zero */
    int64_t approved_fen;   /* max(0, claim − deduction − adjustment) */
};

/* approved = max(0, claim − deduction − adjustment), with its trace. The
 * adjustment (审核调减) only lowers the amount: any fen ≥ 0, and one that
 * would take the result below zero gives 0 with `clamped` set. YQ_OK, or
 * YQ_EINVAL for what redemption_deduction_fen refuses or an adjustment < 0;
 * on failure *out is zeroed. */
int redemption_approved(int64_t claim_fen, const struct redemption_deduction *d,
                        int64_t adjustment_fen, struct redemption_calc *out);

/* One evaluation criterion (评价指标): its weight in the total and the score
 * the evaluator gave on it. */
struct redemption_criterion {
    int weight; /* 0..100; the weights of all criteria sum to 100 */
    int score;  /* 0..100 */
};

/* The weighted total Σ weight × score / 100 points, in hundredths of a point
 * (0..10000: 8765 is 87.65 points). With integer weights summing to 100 and
 * integer scores the total is an exact number of hundredths, so the rule
 * "rounded half up" never has to act. YQ_OK, or YQ_EINVAL with *bad_index
 * set to the 0-based index of the first criterion whose weight or score is
 * out of range, or to -1 when there are no criteria or the weights do not
 * sum to 100; msg (may be NULL) gets a Chinese message naming the criterion
 * from 1 ("第 2 项指标的得分须在 0 至 100 之间"). */
int redemption_weighted_score(const struct redemption_criterion *c, size_t n, int32_t *hundredths,
                              int *bad_index, char *msg, size_t msglen);

#endif
