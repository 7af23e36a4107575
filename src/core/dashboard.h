/* The pure arithmetic of the dashboards (SPEC §12, issue 10): the months
 * of a year as instants in China time, and the ranking of counties by
 * 完成率. The figures themselves come from the report queries. */
#ifndef YQ_CORE_DASHBOARD_H
#define YQ_CORE_DASHBOARD_H

#include <stddef.h>
#include <stdint.h>

#define DASHBOARD_MONTHS 12

/* Month m (0 = January) of `year` in China time as [from_ms[m], to_ms[m]).
 * The months are contiguous: to_ms[m] == from_ms[m + 1]. */
void dashboard_months(int year, int64_t from_ms[DASHBOARD_MONTHS], int64_t to_ms[DASHBOARD_MONTHS]);

/* The year and month (1..12) of an instant in China time. */
void dashboard_month_of(int64_t ms, int *year, int *month);
/* The month (1..12) in which the dashboards of `year` count an instant:
 * its month when it falls in the year, January before it, December
 * after it (a voucher of the year's pool served in a later year). */
int dashboard_month_in(int year, int64_t ms);

/* A county in the ranking: its 完成率 in basis points, or -1 without a
 * target (ranked after every county with one), and its code. */
struct dashboard_rank_row {
    int64_t completion_bp;
    const char *county_code;
};

/* Sorts rows by 完成率, highest first; counties without a target last;
 * equal rates in county code order, so the order never depends on the
 * order rows came in. */
void dashboard_rank(struct dashboard_rank_row *rows, size_t n);

#endif
