/* Copying a whole installation from one database to another (issue 13,
 * `yunquan migrate --from SQLITE --to postgresql://…`): every table of the
 * source, parents before children (foreign keys), into a target that had
 * no tables before (its schema made by the same migrations), in one
 * transaction; row counts compared per table before it commits. */
#ifndef YQ_STORE_COPY_H
#define YQ_STORE_COPY_H

#include "store/db.h"

#include <stdint.h>

/* Called every few thousand rows and at the end of each table. */
typedef void (*copy_progress_fn)(void *ctx, const char *table, int64_t done, int64_t total);

struct copy_report {
    int tables;
    int64_t rows;
    char problem[512]; /* why it stopped, in plain words; "" when done */
};

/* YQ_OK, YQ_ECONFLICT when the target already has tables (nothing
 * written), YQ_EINVAL when the source is not SQLite, or an error; the
 * target is left as it was on any failure (one transaction, the schema
 * the migrations make in it included). */
int db_copy_all(struct db *src, struct db *dst, copy_progress_fn progress, void *ctx,
                struct copy_report *rep);

#endif
