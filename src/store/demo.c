/* Demo queries. */
#include "store/demo.h"
#include "core/status.h"
#include "store/rows.h"

int demo_contracts_exist(struct db *db, bool *any)
{
    int64_t n = 0;
    int rc = rows_int(db, &n, "SELECT COUNT(*) FROM contracts WHERE contract_no = 'QL-DEMO-001'",
                      NULL);
    *any = n > 0;
    return rc;
}

int demo_any_contract_exists(struct db *db, bool *any)
{
    int64_t n = 0;
    int rc = rows_int(db, &n, "SELECT COUNT(*) FROM (SELECT 1 FROM contracts LIMIT 1) c", NULL);
    *any = n > 0;
    return rc;
}

int demo_redemptions_exist(struct db *db, bool *any)
{
    int64_t n = 0;
    int rc = rows_int(db, &n, "SELECT COUNT(*) FROM redemptions", NULL);
    *any = n > 0;
    return rc;
}
