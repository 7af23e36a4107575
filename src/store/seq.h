/* Numbers shared by every writer: the seq of audit entries and of ledger
 * transfers. They only need to be unique and increasing, not gapless:
 * county-scoped writers (db_begin_scoped) run in parallel on PostgreSQL,
 * where a table's MAX + 1 would hand two of them the same number.
 * PostgreSQL: a SEQUENCE (never waits for another writer; the number of a
 * rolled-back transaction is skipped). SQLite, one writer at a time: the
 * table's MAX + 1. Private to store/. */
#ifndef YQ_STORE_SEQ_H
#define YQ_STORE_SEQ_H

#include "store/db.h"

#include <stdint.h>

enum seq_name { SEQ_AUDIT, SEQ_LEDGER };

/* The next number as an SQL expression, taken inside the statement that
 * uses it (no round trip of its own). Static text. */
const char *seq_expr(struct db *db, enum seq_name which);
/* Creates the sequences (PostgreSQL; nothing on SQLite) or moves them past
 * the tables' largest seq (after a copy into PostgreSQL). */
int seq_sync(struct db *db);

#endif
