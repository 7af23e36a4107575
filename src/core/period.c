/* Half-year periods and their filing windows. */
#include "core/period.h"
#include "core/clock.h"
#include "core/status.h"

#include <stdio.h>

bool period_valid(struct period p)
{
    return p.year >= PERIOD_YEAR_MIN && p.year <= PERIOD_YEAR_MAX && (p.half == 1 || p.half == 2);
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

int period_parse(const char *s, struct period *out)
{
    if (!s) return YQ_EINVAL;
    for (int i = 0; i < 4; i++)
        if (!digit(s[i])) return YQ_EINVAL;
    if (s[4] != 'H' || (s[5] != '1' && s[5] != '2') || s[6] != '\0') return YQ_EINVAL;
    struct period p = {
        .year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'),
        .half = s[5] - '0',
    };
    if (!period_valid(p)) return YQ_EINVAL;
    *out = p;
    return YQ_OK;
}

int period_format(struct period p, char out[PERIOD_TEXT_LEN + 1])
{
    out[0] = '\0';
    if (!period_valid(p)) return YQ_EINVAL;
    snprintf(out, PERIOD_TEXT_LEN + 1, "%04dH%d", p.year, p.half);
    return YQ_OK;
}

int32_t period_first_day(struct period p)
{
    return clock_days_from_civil(p.year, p.half == 1 ? 1 : 7, 1);
}

int32_t period_last_day(struct period p)
{
    return p.half == 1 ? clock_days_from_civil(p.year, 6, 30)
                       : clock_days_from_civil(p.year, 12, 31);
}

int period_of_day(int32_t day, struct period *out)
{
    int y;
    unsigned m, d;
    clock_civil_from_days(day, &y, &m, &d);
    struct period p = {y, m <= 6 ? 1 : 2};
    if (!period_valid(p)) return YQ_EINVAL;
    *out = p;
    return YQ_OK;
}

int period_previous(struct period p, struct period *out)
{
    if (!period_valid(p)) return YQ_EINVAL;
    struct period prev = p.half == 2 ? (struct period){p.year, 1} : (struct period){p.year - 1, 2};
    if (!period_valid(prev)) return YQ_EINVAL;
    *out = prev;
    return YQ_OK;
}

int period_window(struct period p, int window_days, int32_t *first, int32_t *last)
{
    if (!period_valid(p) || window_days < PERIOD_WINDOW_DAYS_MIN ||
        window_days > PERIOD_WINDOW_DAYS_MAX)
        return YQ_EINVAL;
    int32_t opens = period_last_day(p) + 1;
    *first = opens;
    *last = opens + window_days - 1;
    return YQ_OK;
}

int period_window_place(struct period p, int window_days, int32_t day,
                        enum period_window_place *out)
{
    int32_t first, last;
    if (period_window(p, window_days, &first, &last) != YQ_OK) return YQ_EINVAL;
    *out = day < first  ? PERIOD_WINDOW_BEFORE
           : day > last ? PERIOD_WINDOW_AFTER
                        : PERIOD_WINDOW_INSIDE;
    return YQ_OK;
}
