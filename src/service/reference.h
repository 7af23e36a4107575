/* Reference data anyone signed in may read: the counties of 附件3 with
 * their 2018 targets. (Loading it is service/demo.h.) */
#ifndef YQ_SERVICE_REFERENCE_H
#define YQ_SERVICE_REFERENCE_H

#include "core/problem.h"
#include "store/db.h"

#include <jansson.h>

/* {"items":[{code, name, kind, target_2018, enterprise_count}], "total":N},
 * by code. NULL with p filled on a database error. */
json_t *reference_counties(struct db *db, struct problem *p);

#endif
