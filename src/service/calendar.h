/* The official calendar: data/cn-holidays.csv (the State Council's
 * notices, compiled into the binary) and the years the operator imported
 * since, each when it was published (`yunquan calendar import`, table
 * calendar_days); and the working-day queries on it. */
#ifndef YQ_SERVICE_CALENDAR_H
#define YQ_SERVICE_CALENDAR_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"
#include "core/workdays.h"

#include <jansson.h>

/* The calendar, loaded once (with db's imported years; db NULL: the
 * compiled-in ones until a db is given); NULL if the data cannot be read.
 * Valid for the life of the process. */
const struct workday_calendar *calendar_official(struct db *db);
/* For a computation that ran into a year the calendar lacks: the imported
 * years read again (at most once a second per process), so that a year
 * imported while servers run is found without a restart. */
const struct workday_calendar *calendar_refresh(struct db *db);

/* {from, n, days: [n working days after from], until: the n-th}. */
json_t *calendar_workdays(struct db *db, const char *from, const char *n, struct problem *p);

/* Imports a newly published year (or years): CSV text as
 * data/cn-holidays.csv (header, then date,holiday|workday,name). Refused:
 * a malformed file (422 invalid_file), a year already loaded (409
 * year_loaded) or before the loaded ones (422 year_before), a year skipped (422 year_missing), a day already listed
 * (409 day_listed). Audited. {from_year, to_year, holidays, workdays,
 * first_year, last_year} or NULL with *p. */
json_t *calendar_import(struct db *db, const struct actor *a, const char *text, size_t len,
                        struct problem *p);

#endif
