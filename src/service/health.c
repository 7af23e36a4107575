/* Health checks. */
#include "service/health.h"
#include "core/status.h"
#include "store/health.h"

bool health_database_ok(struct db *db)
{
    return db && health_ping(db) == YQ_OK;
}
