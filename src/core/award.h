/* 考核与奖补 (SPEC §9): the city's award pool shared across counties by
 * weighted measures. Pure.
 *
 * Measures of a county for a year, each a whole number:
 *   completion   enterprises newly on the cloud ÷ target, in basis points
 *                (0 when the county has no target)
 *   penetration  enterprises on the cloud so far ÷ all the county's
 *                enterprises, in basis points (0 when the count is unknown)
 *   disbursed    money paid to providers for the year's periods, in fen
 *   performance  the score city_it entered, in hundredths (0..10000)
 * Normalisation: each measure divided by the largest value any county
 * reached, in basis points (the best county has 10000; a measure nobody
 * reached is 0 for all). Score = Σ weight × normalised measure, with
 * integer weights that sum to 100, so a score runs 0..1,000,000 (a
 * hundred points to four decimals). The pool is shared in proportion to
 * the scores, floored to the fen; the fen left over go one each to the
 * largest remainders, ties to the lower county code (largest-remainder
 * method), so the shares sum exactly to the pool. */
#ifndef YQ_CORE_AWARD_H
#define YQ_CORE_AWARD_H

#include <stddef.h>
#include <stdint.h>

enum award_measure {
    AWARD_COMPLETION,
    AWARD_PENETRATION,
    AWARD_DISBURSED,
    AWARD_PERFORMANCE,
    AWARD_MEASURES
};

/* "completion" … "performance"; NULL for an unknown measure. */
const char *award_measure_name(enum award_measure m);

#define AWARD_WEIGHT_TOTAL 100
#define AWARD_POOL_MAX 100000000000LL /* ¥10亿 in fen */

struct award_county {
    char code[16];                      /* county code, orders ties */
    int64_t measure[AWARD_MEASURES];    /* raw, as above, >= 0 */
    int64_t normalised[AWARD_MEASURES]; /* out: basis points 0..10000 */
    int64_t score;                      /* out: 0..1,000,000 */
    int64_t share_fen;                  /* out */
};

/* A rate in basis points, floored: part × 10000 ÷ whole; 0 when whole <= 0
 * or part <= 0. */
int64_t award_rate_bp(int64_t part, int64_t whole);

/* Fills normalised[] of c[0..n). */
void award_normalise(struct award_county *c, size_t n);

/* Fills score of c[0..n) from normalised[] (call award_normalise first).
 * YQ_OK, or YQ_EINVAL when a weight is negative or they do not sum to
 * AWARD_WEIGHT_TOTAL. */
int award_score(struct award_county *c, size_t n, const int64_t weight[AWARD_MEASURES]);

/* Shares `pool` fen across weights w[0..n) by the largest-remainder
 * method: out[i] = ⌊pool × w[i] ÷ Σw⌋, then one more fen to each of the
 * largest remainders, ties to the lower codes[i] (strcmp), until the
 * shares sum to `pool`. YQ_OK; YQ_EINVAL when pool < 0, pool >
 * AWARD_POOL_MAX, n == 0, a weight is negative or above 1,000,000;
 * YQ_ELIMIT when every weight is zero (nothing to share by: nothing is
 * allocated, out[] is all zero). */
int award_largest_remainder(int64_t pool, const int64_t *w, const char *const *codes, size_t n,
                            int64_t *out);

/* Normalises, scores and shares `pool` across c[0..n): the whole
 * computation of a preview. Statuses as award_score and
 * award_largest_remainder. */
int award_allocate(struct award_county *c, size_t n, const int64_t weight[AWARD_MEASURES],
                   int64_t pool);

#endif
