/* 考核与奖补: normalisation, weighted score and the largest-remainder
 * allocation of the city award pool (see award.h). */
#include "core/award.h"
#include "core/mem.h"
#include "core/status.h"

#include <stdlib.h>
#include <string.h>

#define SCORE_MAX 1000000LL

static const char *const names[AWARD_MEASURES] = {"completion", "penetration", "disbursed",
                                                  "performance"};

const char *award_measure_name(enum award_measure m)
{
    return (unsigned)m < AWARD_MEASURES ? names[m] : NULL;
}

int64_t award_rate_bp(int64_t part, int64_t whole)
{
    if (whole <= 0 || part <= 0) return 0;
    if (part > INT64_MAX / 10000) part = INT64_MAX / 10000; /* keep the product in range */
    return part * 10000 / whole;
}

void award_normalise(struct award_county *c, size_t n)
{
    for (int m = 0; m < AWARD_MEASURES; m++) {
        int64_t best = 0;
        for (size_t i = 0; i < n; i++)
            if (c[i].measure[m] > best) best = c[i].measure[m];
        for (size_t i = 0; i < n; i++) {
            int64_t v = c[i].measure[m] > 0 ? c[i].measure[m] : 0;
            /* v ≤ best; v × 10000 overflows only past 9.2e14: scale down */
            int64_t b = best;
            while (v > INT64_MAX / 10000) {
                v /= 2;
                b /= 2;
            }
            c[i].normalised[m] = b > 0 ? v * 10000 / b : 0;
        }
    }
}

int award_score(struct award_county *c, size_t n, const int64_t weight[AWARD_MEASURES])
{
    int64_t total = 0;
    for (int m = 0; m < AWARD_MEASURES; m++) {
        if (weight[m] < 0 || weight[m] > AWARD_WEIGHT_TOTAL) return YQ_EINVAL;
        total += weight[m];
    }
    if (total != AWARD_WEIGHT_TOTAL) return YQ_EINVAL;
    for (size_t i = 0; i < n; i++) {
        c[i].score = 0;
        for (int m = 0; m < AWARD_MEASURES; m++)
            c[i].score += weight[m] * c[i].normalised[m];
    }
    return YQ_OK;
}

struct remainder {
    int64_t rem;
    const char *code;
    size_t index;
};

/* Largest remainder first; equal remainders by the lower county code. */
static int by_remainder(const void *a, const void *b)
{
    const struct remainder *x = a, *y = b;
    if (x->rem != y->rem) return x->rem > y->rem ? -1 : 1;
    return strcmp(x->code, y->code);
}

int award_largest_remainder(int64_t pool, const int64_t *w, const char *const *codes, size_t n,
                            int64_t *out)
{
    if (pool < 0 || pool > AWARD_POOL_MAX || n == 0) return YQ_EINVAL;
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = 0;
        if (w[i] < 0 || w[i] > SCORE_MAX) return YQ_EINVAL;
        total += w[i];
    }
    if (total == 0) return YQ_ELIMIT;
    /* pool × w ≤ 1e11 × 1e6 = 1e17 < INT64_MAX: exact in 64 bits */
    struct remainder *r = yq_calloc(n, sizeof *r);
    int64_t given = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = pool * w[i] / total;
        r[i] = (struct remainder){pool * w[i] % total, codes[i], i};
        given += out[i];
    }
    qsort(r, n, sizeof *r, by_remainder);
    /* fewer than n fen are left over, so one pass suffices */
    for (size_t k = 0; given < pool && k < n; k++, given++)
        out[r[k].index]++;
    free(r);
    return YQ_OK;
}

int award_allocate(struct award_county *c, size_t n, const int64_t weight[AWARD_MEASURES],
                   int64_t pool)
{
    if (n == 0) return YQ_EINVAL;
    award_normalise(c, n);
    int rc = award_score(c, n, weight);
    if (rc != YQ_OK) return rc;
    int64_t *w = yq_calloc(n, sizeof *w), *out = yq_calloc(n, sizeof *out);
    const char **codes = yq_calloc(n, sizeof *codes);
    for (size_t i = 0; i < n; i++) {
        w[i] = c[i].score;
        codes[i] = c[i].code;
    }
    rc = award_largest_remainder(pool, w, codes, n, out);
    for (size_t i = 0; i < n; i++)
        c[i].share_fen = out[i];
    free(w);
    free(out);
    free(codes);
    return rc;
}
