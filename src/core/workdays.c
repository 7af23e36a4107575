/* Working days. */
#include "core/workdays.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/status.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

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

static int cmp_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int workdays_load_csv(const char *text, size_t len, struct workday_calendar *out)
{
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, text, len);
    size_t cap = WORKDAYS_MAX_DAYS, nh = 0, nw = 0;
    int32_t *h = yq_malloc(cap * sizeof *h), *w = yq_malloc(cap * sizeof *w);
    int first = INT_MAX, last = 0, got;
    bool header = true, ok = true;
    /* Notice years seen; clock_parse_date takes years 1900–9999. */
    enum { MIN_YEAR = 1900, MAX_YEAR = 10000 };
    bool seen[MAX_YEAR - MIN_YEAR + 1] = {false};
    memset(out, 0, sizeof *out);
    while ((got = csv_next(&r, &row)) == 1) {
        if (header) {
            header = false;
            continue;
        }
        int32_t day;
        if (row.n < 2 || clock_parse_date(row.f[0], &day) != YQ_OK || nh >= cap || nw >= cap) {
            ok = false;
            break;
        }
        int y;
        unsigned m, d;
        clock_civil_from_days(day, &y, &m, &d);
        /* A year counts as covered once its own holidays are listed: the
         * State Council's notice for a year lists its holidays, and a New
         * Year holiday that starts in late December (2017-12-30, 2022-12-31)
         * is in the next year's notice, so it covers the next year, not its
         * own (the official file starts with 2018's notice). */
        if (strcmp(row.f[1], "holiday") == 0) {
            h[nh++] = day;
            int notice_year = m == 12 && d >= 25 ? y + 1 : y;
            if (notice_year < first) first = notice_year;
            if (notice_year > last) last = notice_year;
            seen[notice_year - MIN_YEAR] = true;
        } else if (strcmp(row.f[1], "workday") == 0) {
            w[nw++] = day;
        } else {
            ok = false;
            break;
        }
    }
    csv_cleanup(&r);
    /* A year missing between two published ones would be counted with
     * weekends only: refuse the file rather than guess. */
    for (int y = first; ok && y <= last && y <= MAX_YEAR; y++)
        ok = seen[y - MIN_YEAR];
    if (!ok || got < 0 || last == 0) {
        free(h);
        free(w);
        return YQ_EINVAL;
    }
    qsort(h, nh, sizeof *h, cmp_day);
    qsort(w, nw, sizeof *w, cmp_day);
    *out = (struct workday_calendar){h, nh, w, nw, first, last};
    return YQ_OK;
}

void workdays_free(struct workday_calendar *c)
{
    free((void *)c->holidays);
    free((void *)c->workdays);
    memset(c, 0, sizeof *c);
}
