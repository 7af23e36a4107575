/* Risk queries. */
#include "store/risk.h"
#include "core/status.h"
#include "store/rows.h"

int risk_shared_contacts(struct db *db, const char *enterprise_id, const char *provider_id,
                         struct risk_shared_contacts *out)
{
    out->phone = out->email = false;
    struct db_stmt *st =
        db_query(db,
                 "SELECT CASE WHEN e.phone <> '' AND e.phone = p.phone THEN 1 ELSE 0 END,"
                 " CASE WHEN e.email <> '' AND e.email = p.email THEN 1 ELSE 0 END"
                 " FROM enterprises e, providers p WHERE e.id = ? AND p.id = ?",
                 "tt", enterprise_id, provider_id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->phone = db_col_int64(st, 0) != 0;
        out->email = db_col_int64(st, 1) != 0;
    }
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc;
}

int risk_provider_contracts(struct db *db, const char *provider_id, int64_t after, int64_t until,
                            int64_t *n)
{
    return rows_int(db, n,
                    "SELECT COUNT(*) FROM contracts WHERE provider_id = ? AND created_at > ? AND"
                    " created_at <= ?",
                    "tii", provider_id, after, until);
}
