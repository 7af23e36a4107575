/* Working days. */
#include "core/workdays.h"
#include "core/clock.h"
#include "core/status.h"

static bool contains(const int32_t *days, size_t n, int32_t day)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (days[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && days[lo] == day;
}

bool workdays_is_working(const struct workday_calendar *c, int32_t day)
{
    if (contains(c->workdays, c->nworkdays, day)) return true;
    if (contains(c->holidays, c->nholidays, day)) return false;
    /* 1970-01-01 was a Thursday: 0 = Monday … 6 = Sunday. */
    int weekday = (int)(((int64_t)day % 7 + 7 + 3) % 7);
    return weekday < 5;
}

static int year_of(int32_t day)
{
    int y;
    unsigned m, d;
    clock_civil_from_days(day, &y, &m, &d);
    return y;
}

int workdays_add(const struct workday_calendar *c, int32_t from, int n, int32_t *out)
{
    if (n < 1) return YQ_EINVAL;
    int32_t day = from;
    while (n > 0) {
        day++;
        int y = year_of(day);
        if (y < c->first_year || y > c->last_year) return YQ_EINVAL;
        if (workdays_is_working(c, day)) n--;
    }
    *out = day;
    return YQ_OK;
}
