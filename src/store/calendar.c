/* The operator's calendar years (see calendar.h). */
#include "store/calendar.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/status.h"

#include <stdlib.h>

int calendar_days_csv(struct db *db, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    struct db_stmt *st = db_query(db, "SELECT day, kind, name FROM calendar_days ORDER BY day", NULL);
    if (!st) return YQ_ERR;
    struct buf b;
    buf_init(&b, 1u << 20);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        /* Days and kinds are checked on the way in; a name never holds a
         * comma or a quote (calendar_import refuses them). */
        if (buf_printf(&b, "%s,%s,%s\n", db_col_text(st, 0), db_col_text(st, 1),
                       db_col_text(st, 2)) != YQ_OK) {
            rc = YQ_ERR;
            break;
        }
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        buf_cleanup(&b);
        return rc < 0 ? rc : YQ_ERR;
    }
    *len = b.len;
    *out = b.data ? buf_steal(&b) : yq_calloc(1, 1);
    return YQ_OK;
}

int calendar_day_insert(struct db *db, const char *day, const char *kind, const char *name,
                        const char *by, int64_t at)
{
    return db_run(db,
                  "INSERT INTO calendar_days(day, kind, name, added_by, added_at) VALUES"
                  " (?, ?, ?, ?, ?)",
                  "tttti", day, kind, name, by, at);
}
