/* The schema's history, in two files by what it holds: the registry,
 * contracts, vouchers and ledger (migrations 1-6, schema_registry.c), then
 * redemption, payouts, reports and their read model (7 onwards,
 * schema_payments.c). store/migrate.c applies them in order. Portable SQL
 * only (SQLite and PostgreSQL): TEXT, BIGINT, INTEGER; instants as BIGINT
 * milliseconds; no AUTOINCREMENT/SERIAL (ids come from the application). */
#ifndef YQ_STORE_MIGRATIONS_H
#define YQ_STORE_MIGRATIONS_H

#include "store/db.h"

#include <stddef.h>

struct migration {
    int version;
    const char *name;
    /* Statements in pieces (each under the 4095 characters C guarantees). */
    const char *sql[4];
    /* Then, when set, a step that needs the driver's own SQL. */
    int (*step)(struct db *db);
};

extern const struct migration schema_registry[];
extern const size_t schema_registry_count;
extern const struct migration schema_payments[];
extern const size_t schema_payments_count;

#endif
