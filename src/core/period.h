/* Half-year redemption periods (兑现周期, SPEC §2 and §7: "每半年通过平台申请
 * 兑现"). A period is H1 (1 January – 30 June) or H2 (1 July – 31 December)
 * of a year, written "2019H1"; providers file for it in a window that opens
 * the day after it ends and lasts the program's `window_days`. Days are
 * days since the epoch, as in core/clock.h. Pure. */
#ifndef YQ_CORE_PERIOD_H
#define YQ_CORE_PERIOD_H

#include <stdbool.h>
#include <stdint.h>

#define PERIOD_YEAR_MIN 2000
#define PERIOD_YEAR_MAX 2100
#define PERIOD_TEXT_LEN 6 /* "2019H1" */

#define PERIOD_WINDOW_DAYS_DEFAULT 30
#define PERIOD_WINDOW_DAYS_MIN 1
#define PERIOD_WINDOW_DAYS_MAX 366

struct period {
    int year; /* PERIOD_YEAR_MIN..PERIOD_YEAR_MAX */
    int half; /* 1 = January–June, 2 = July–December */
};

/* Where a day lies against a period's filing window. */
enum period_window_place {
    PERIOD_WINDOW_BEFORE = -1, /* the window has not opened yet */
    PERIOD_WINDOW_INSIDE = 0,
    PERIOD_WINDOW_AFTER = 1, /* the window has closed */
};

/* Whether year and half are in range. */
bool period_valid(struct period p);

/* Parses exactly "YYYYH1" or "YYYYH2" (upper-case H, year 2000–2100, nothing
 * before or after). YQ_OK, or YQ_EINVAL with *out untouched. */
int period_parse(const char *s, struct period *out);

/* Writes "2019H1" into out. YQ_OK, or YQ_EINVAL (out set to "") for an
 * invalid period. */
int period_format(struct period p, char out[PERIOD_TEXT_LEN + 1]);

/* First and last day of a valid period (1 Jan / 30 Jun for H1, 1 Jul /
 * 31 Dec for H2). The result is meaningless for an invalid period. */
int32_t period_first_day(struct period p);
int32_t period_last_day(struct period p);

/* The period containing `day`. YQ_OK, or YQ_EINVAL (out untouched) when
 * the day's year is outside 2000–2100. */
int period_of_day(int32_t day, struct period *out);

/* The period before p (2019H1 → 2018H2, 2019H2 → 2019H1). YQ_OK, or
 * YQ_EINVAL (out untouched) for an invalid p or for 2000H1. */
int period_previous(struct period p, struct period *out);

/* The filing window of p: from the day after p ends for window_days days
 * (1..366), both ends inclusive. YQ_OK, or YQ_EINVAL (outputs untouched)
 * for an invalid period or window length. */
int period_window(struct period p, int window_days, int32_t *first, int32_t *last);

/* Whether `day` is before, inside or after p's filing window. YQ_OK, or
 * YQ_EINVAL (out untouched) as period_window. */
int period_window_place(struct period p, int window_days, int32_t day,
                        enum period_window_place *out);

#endif
