/* Public notice (公示) of approved redemptions (SPEC §7, "公示（不少于5个工作
 * 日）"): a notice opened on day D may close no earlier than the end of the
 * N-th working day after D. D itself does not count; working days are
 * counted strictly after it on the official calendar (core/workdays.h:
 * weekends and holidays off, adjusted working weekends (调休) on). The end
 * of a day is midnight China Standard Time. Pure. */
#ifndef YQ_CORE_NOTICE_H
#define YQ_CORE_NOTICE_H

#include "core/workdays.h"

#include <stdbool.h>
#include <stdint.h>

#define NOTICE_WORKING_DAYS_MIN 5  /* the policy's floor */
#define NOTICE_WORKING_DAYS_MAX 60 /* about three months; more is a typo */

/* The last day of a notice opened on `opened` (days since the epoch) that
 * must run `working_days` working days: it may close once that day is over.
 * YQ_OK; YQ_EINVAL for working_days outside 5..60; YQ_ECONFLICT when the
 * count reaches a year whose holidays the calendar does not have yet (not
 * yet published, or before its first year), with *missing_year (may be
 * NULL) set to that year. *close_day is untouched on failure. */
int notice_close_day(const struct workday_calendar *c, int32_t opened, int working_days,
                     int32_t *close_day, int *missing_year);

/* Whether a notice whose close day is `close_day` may close on `day`: only
 * from the next day on. */
bool notice_may_close_on(int32_t close_day, int32_t day);

/* Whether it may close at instant `ms` (ms since the epoch): only once the
 * close day has ended in China, at 00:00 +08:00 of the next day or later. */
bool notice_may_close_at(int32_t close_day, int64_t ms);

/* The first instant (ms since the epoch) at which it may close: 00:00
 * +08:00 of the day after close_day. */
int64_t notice_earliest_close_ms(int32_t close_day);

#endif
