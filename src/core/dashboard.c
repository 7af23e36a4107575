/* Dashboard arithmetic (see dashboard.h). */
#include "core/dashboard.h"
#include "core/clock.h"

#include <stdlib.h>
#include <string.h>

static int64_t day_start_ms(int32_t days)
{
    return (int64_t)days * 86400000LL - CLOCK_CST_OFFSET_MIN * 60000LL;
}

void dashboard_months(int year, int64_t from_ms[DASHBOARD_MONTHS], int64_t to_ms[DASHBOARD_MONTHS])
{
    for (int m = 0; m < DASHBOARD_MONTHS; m++) {
        from_ms[m] = day_start_ms(clock_days_from_civil(year, (unsigned)m + 1, 1));
        to_ms[m] = m + 1 < DASHBOARD_MONTHS
                       ? day_start_ms(clock_days_from_civil(year, (unsigned)m + 2, 1))
                       : day_start_ms(clock_days_from_civil(year + 1, 1, 1));
    }
}

void dashboard_month_of(int64_t ms, int *year, int *month)
{
    unsigned m = 1, d = 1;
    clock_civil_from_days(clock_cst_day(ms), year, &m, &d);
    *month = (int)m;
}

int dashboard_month_in(int year, int64_t ms)
{
    int64_t from[DASHBOARD_MONTHS], to[DASHBOARD_MONTHS];
    dashboard_months(year, from, to);
    for (int m = 0; m + 1 < DASHBOARD_MONTHS; m++)
        if (ms < to[m]) return m + 1;
    return DASHBOARD_MONTHS;
}

static int by_rate(const void *pa, const void *pb)
{
    const struct dashboard_rank_row *a = pa, *b = pb;
    if (a->completion_bp != b->completion_bp) return a->completion_bp > b->completion_bp ? -1 : 1;
    return strcmp(a->county_code, b->county_code);
}

void dashboard_rank(struct dashboard_rank_row *rows, size_t n)
{
    if (n > 1) qsort(rows, n, sizeof *rows, by_rate);
}
