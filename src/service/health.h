/* The server's health as /healthz reports it. */
#ifndef YQ_SERVICE_HEALTH_H
#define YQ_SERVICE_HEALTH_H

#include "store/db.h"

#include <stdbool.h>

/* Whether this worker's database connection (NULL when it failed to open)
 * answers a query. */
bool health_database_ok(struct db *db);

#endif
