/* Numbered schema migrations, applied in order by `init` and `serve` and
 * recorded in schema_migrations. A migration is never edited after it
 * lands: add a new one. */
#ifndef YQ_STORE_MIGRATE_H
#define YQ_STORE_MIGRATE_H

#include "store/db.h"

/* Applies every pending migration, each in its own transaction. Returns
 * YQ_OK or a negative status with the message on the handle. */
int migrate_up(struct db *db);
/* Highest migration applied (0 for an empty database or one that is not
 * Yunquan's); reads only. */
int migrate_version(struct db *db);
/* Number of migrations this binary knows. */
int migrate_latest(void);

#endif
