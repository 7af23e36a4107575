/* The official working-day calendar (SPEC §7: a public notice may close no
 * earlier than the end of the 5th working day after it opens). Weekends
 * and the State Council's holidays are off; its adjusted working weekends
 * (调休) are on. Pure: the caller supplies the published days, and years
 * not published are refused rather than guessed. */
#ifndef YQ_CORE_WORKDAYS_H
#define YQ_CORE_WORKDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct workday_calendar {
    const int32_t *holidays; /* sorted, days since the epoch */
    size_t nholidays;
    const int32_t *workdays; /* adjusted working weekends, sorted */
    size_t nworkdays;
    int first_year, last_year; /* the years the calendar covers */
};

/* Whether `day` is a working day. */
bool workdays_is_working(const struct workday_calendar *c, int32_t day);

/* The n-th working day after `from` (from itself not counted; n ≥ 1).
 * YQ_OK, or YQ_EINVAL when the count runs into a year the calendar does not
 * cover (or n < 1). */
int workdays_add(const struct workday_calendar *c, int32_t from, int n, int32_t *out);

/* At most this many holidays, and as many adjusted working days, in a
 * calendar file. */
#define WORKDAYS_MAX_DAYS 1024

/* Reads a calendar from CSV text: a header line, then rows
 * "YYYY-MM-DD,holiday|workday[,name]". A year counts as covered once its own
 * holidays are listed (a New Year holiday starting in late December belongs
 * to the next year). YQ_OK with *out filled (the caller frees it with
 * workdays_free), or YQ_EINVAL with *out zeroed for a malformed row, an
 * unknown kind, too many days, no covered year, or a year missing between
 * covered ones. */
int workdays_load_csv(const char *text, size_t len, struct workday_calendar *out);
void workdays_free(struct workday_calendar *c);

#endif
