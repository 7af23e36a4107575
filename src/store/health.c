/* The database's liveness query. */
#include "store/health.h"
#include "core/status.h"

int health_ping(struct db *db)
{
    struct db_stmt *st = db_prepare(db, "SELECT 1");
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc < 0 ? rc : YQ_ERR;
}
