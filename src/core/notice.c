/* When a public notice may close. */
#include "core/notice.h"
#include "core/clock.h"
#include "core/status.h"

#define DAY_MS 86400000LL

static int year_of(int32_t day)
{
    int y;
    unsigned m, d;
    clock_civil_from_days(day, &y, &m, &d);
    return y;
}

int notice_close_day(const struct workday_calendar *c, int32_t opened, int working_days,
                     int32_t *close_day, int *missing_year)
{
    if (working_days < NOTICE_WORKING_DAYS_MIN || working_days > NOTICE_WORKING_DAYS_MAX)
        return YQ_EINVAL;
    int32_t day;
    if (workdays_add(c, opened, working_days, &day) == YQ_OK) {
        *close_day = day;
        return YQ_OK;
    }
    /* With n in range, workdays_add fails only on a year it does not cover:
     * the first day counted, when that is already outside, else the year
     * after the last one covered. */
    if (missing_year) {
        int first = year_of(opened + 1);
        *missing_year = (first < c->first_year || first > c->last_year) ? first : c->last_year + 1;
    }
    return YQ_ECONFLICT;
}

bool notice_may_close_on(int32_t close_day, int32_t day)
{
    return day > close_day;
}

bool notice_may_close_at(int32_t close_day, int64_t ms)
{
    return clock_cst_day(ms) > close_day;
}

int64_t notice_earliest_close_ms(int32_t close_day)
{
    return ((int64_t)close_day + 1) * DAY_MS - (int64_t)CLOCK_CST_OFFSET_MIN * 60 * 1000;
}
