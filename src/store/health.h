/* Whether the database answers, for /healthz. */
#ifndef YQ_STORE_HEALTH_H
#define YQ_STORE_HEALTH_H

#include "store/db.h"

/* Runs a trivial query: YQ_OK when the database answers, else an error. */
int health_ping(struct db *db);

#endif
