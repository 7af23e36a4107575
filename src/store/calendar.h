/* The working-day calendar's years imported by the operator (`yunquan
 * calendar import`, SPEC: "the operator adds each new year when it is
 * published"): table calendar_days, one row per listed day, added to the
 * days compiled into the binary (data/cn-holidays.csv). */
#ifndef YQ_STORE_CALENDAR_H
#define YQ_STORE_CALENDAR_H

#include "store/db.h"

#include <stddef.h>
#include <stdint.h>

/* The imported days as CSV rows "YYYY-MM-DD,kind,name\n" in day order (no
 * header; "" when none), in *out (the caller frees it). YQ_OK or an error. */
int calendar_days_csv(struct db *db, char **out, size_t *len);
/* One imported day. */
int calendar_day_insert(struct db *db, const char *day, const char *kind, const char *name,
                        const char *by, int64_t at);

#endif
