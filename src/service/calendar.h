/* The official calendar (data/cn-holidays.csv, from the State Council's
 * notices, compiled into the binary; the operator adds each new year when
 * it is published) and the working-day queries on it. */
#ifndef YQ_SERVICE_CALENDAR_H
#define YQ_SERVICE_CALENDAR_H

#include "core/problem.h"
#include "core/workdays.h"

#include <jansson.h>

/* The calendar, loaded once; NULL if the data cannot be read. */
const struct workday_calendar *calendar_official(void);

/* {from, n, days: [n working days after from], until: the n-th}. */
json_t *calendar_workdays(const char *from, const char *n, struct problem *p);

#endif
