/* Policy parameters of a program (SPEC §2) and the voucher amount they
 * give. Pure: ratios are integer basis points, money integer fen. */
#ifndef YQ_CORE_POLICY_H
#define YQ_CORE_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#define POLICY_MAX_YEARS 16

struct policy_year_ratio {
    int year;
    int32_t ratio_bp;
};

struct policy {
    int32_t base_ratio_bp;     /* ratio in first_year: 3000 = 30% */
    int32_t taper_bp_per_year; /* 补贴比例每年递减: 500 = 5 points a year */
    int first_year;            /* the year base_ratio_bp applies to */
    int last_year;             /* the last year the program issues vouchers */
    /* When n_year_ratios > 0 the table decides instead of the taper. */
    int n_year_ratios;
    struct policy_year_ratio year_ratios[POLICY_MAX_YEARS];
    int64_t cap_fen;       /* 补助上限: 5,000,000 fen = ¥50,000 */
    int32_t cert_bonus_bp; /* 两化融合 certificate raises the cap by this: 2000 = +20% */
};

/* The ratio in force in `year`, and where it comes from, in Chinese
 * ("逐年递减：2018 年 30%，每年减 5 个百分点，已减 1 年" or "年度比例表：
 * 2019 年"). YQ_OK, or YQ_EINVAL when the program gives no ratio for that
 * year. Never negative. */
int policy_ratio_bp(const struct policy *p, int year, int32_t *ratio_bp, char source[160]);

/* Whether a certificate valid from `from_day` to `until_day` (inclusive,
 * days since the epoch) is valid on `day`. */
bool policy_certificate_valid(int32_t from_day, int32_t until_day, int32_t day);

/* The cap that applies: cap, or cap × (10000 + bonus) / 10000 (floored to
 * the fen) with a valid certificate. */
int64_t policy_cap_fen(const struct policy *p, bool certified);

/* A voucher amount and how it was reached (the stored calculation trace). */
struct voucher_calc {
    int64_t base_fen;
    int issue_year;
    int32_t ratio_bp;
    char ratio_source[160];
    bool certified;
    int64_t cap_fen;
    int64_t subsidy_fen; /* ⌊base × ratio / 10000⌋ before the cap */
    int64_t amount_fen;  /* min(subsidy, cap) */
    bool capped;
};

/* amount = min(⌊base × ratio_bp / 10000⌋, cap [+ bonus when certified]).
 * YQ_OK, or YQ_EINVAL for a negative base or a year without a ratio. */
int policy_voucher_amount(const struct policy *p, int64_t base_fen, int issue_year,
                          bool certified, struct voucher_calc *out);

/* Whether the parameters make sense: ratios within 0..10000 bp, cap ≥ 0,
 * years ordered, table years unique. YQ_OK or YQ_EINVAL with a message. */
int policy_check(const struct policy *p, char *msg, int msglen);

#endif
