/* The working-day calendar loader (workdays_load_csv, src/core/workdays.c)
 * on arbitrary text, then the working-day arithmetic on what it loaded. A
 * calendar that loads has its days sorted, covers first_year..last_year,
 * and every year it claims to cover has at least one of its own holidays
 * listed (otherwise that year's answers would ignore its holidays). The
 * n-th working day after a day is later, is a working day, and stepping
 * one working day at a time n times reaches the same day; listed holidays
 * are not working days unless also listed as working days. */
#include "core/clock.h"
#include "core/status.h"
#include "core/workdays.h"
#include "fuzz.h"

/* Whether a holiday belongs to the State Council notice of year y: a New
 * Year holiday that starts in late December is in next year's notice. */
static bool holiday_of_year(int32_t day, int y)
{
    int hy;
    unsigned m, d;
    clock_civil_from_days(day, &hy, &m, &d);
    if (m == 12 && d >= 25) hy++;
    return hy == y;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct workday_calendar c;
    if (workdays_load_csv((const char *)data, size, &c) != YQ_OK) {
        FUZZ_CHECK(c.holidays == NULL && c.workdays == NULL);
        return 0;
    }
    FUZZ_CHECK(c.first_year <= c.last_year);
    FUZZ_CHECK(c.nholidays <= WORKDAYS_MAX_DAYS && c.nworkdays <= WORKDAYS_MAX_DAYS);
    for (size_t i = 1; i < c.nholidays; i++)
        FUZZ_CHECK(c.holidays[i - 1] <= c.holidays[i]);
    for (size_t i = 1; i < c.nworkdays; i++)
        FUZZ_CHECK(c.workdays[i - 1] <= c.workdays[i]);
    for (int y = c.first_year; y <= c.last_year; y++) {
        bool listed = false;
        for (size_t i = 0; i < c.nholidays && !listed; i++)
            listed = holiday_of_year(c.holidays[i], y);
        FUZZ_CHECK(listed);
    }
    for (size_t i = 0; i < c.nholidays; i++) {
        bool also_working = false;
        for (size_t j = 0; j < c.nworkdays; j++)
            also_working |= c.workdays[j] == c.holidays[i];
        FUZZ_CHECK(workdays_is_working(&c, c.holidays[i]) == also_working);
    }
    int32_t from = clock_days_from_civil(c.first_year, 1, 1) + (int32_t)(size % 400);
    int n = 1 + (int)(size % 23);
    int32_t to;
    if (workdays_add(&c, from, n, &to) == YQ_OK) {
        FUZZ_CHECK(to > from && workdays_is_working(&c, to));
        int32_t step = from;
        for (int i = 0; i < n; i++)
            FUZZ_CHECK(workdays_add(&c, step, 1, &step) == YQ_OK);
        FUZZ_CHECK(step == to);
    }
    workdays_free(&c);
    return 0;
}
