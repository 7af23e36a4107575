/* Business numbers of payout batches and notices (see business_no.h). */
#include "store/business_no.h"
#include "core/dashboard.h"
#include "core/status.h"
#include "store/id.h"

#include <stdio.h>
#include <string.h>

/* How many numbers start with `prefix` in `sql`'s column. */
static int count_prefix(struct db *db, const char *sql, const char *prefix, int64_t *n)
{
    char like[32];
    snprintf(like, sizeof like, "%s%%", prefix);
    struct db_stmt *st = db_query(db, sql, "t", like);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) *n = db_col_int64(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? YQ_OK : rc < 0 ? rc : YQ_ERR;
}

int payout_batch_no(struct db *db, const char *county, int64_t at, char out[BUSINESS_NO_LEN])
{
    int year = 0, month = 0;
    dashboard_month_of(at, &year, &month);
    char prefix[24];
    snprintf(prefix, sizeof prefix, "ZF-%.8s-%04d%02d-", county, year % 10000, month % 100);
    int64_t n = 0;
    int rc = count_prefix(db, "SELECT COUNT(*) FROM payouts WHERE batch_no LIKE ?", prefix, &n);
    if (rc != YQ_OK) return rc;
    snprintf(out, BUSINESS_NO_LEN, "%s%03lld", prefix, (long long)(n + 1));
    return YQ_OK;
}

int notice_no_next(struct db *db, const char *opens_on, char out[BUSINESS_NO_LEN])
{
    char prefix[16];
    snprintf(prefix, sizeof prefix, "GS-%.4s-", opens_on);
    int64_t n = 0;
    int rc = count_prefix(db, "SELECT COUNT(*) FROM notices WHERE notice_no LIKE ?", prefix, &n);
    if (rc != YQ_OK) return rc;
    snprintf(out, BUSINESS_NO_LEN, "%s%04lld", prefix, (long long)(n + 1));
    return YQ_OK;
}

/* One row without a number at a time, oldest first: its id and the two
 * values its number is made of. */
static int next_unnumbered(struct db *db, const char *sql, char id[ID_LEN + 1], char text[32],
                           int64_t *at)
{
    struct db_stmt *st = db_query(db, sql, NULL);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        snprintf(id, ID_LEN + 1, "%s", db_col_text(st, 0));
        snprintf(text, 32, "%s", db_col_text(st, 1));
        *at = db_col_int64(st, 2);
    }
    db_finalize(st);
    if (rc == DB_DONE) return YQ_ENOTFOUND;
    return rc == DB_ROW ? YQ_OK : rc < 0 ? rc : YQ_ERR;
}

int business_no_backfill(struct db *db)
{
    char id[ID_LEN + 1], text[32], no[BUSINESS_NO_LEN];
    int64_t at = 0;
    int rc;
    while ((rc = next_unnumbered(db,
                                 "SELECT id, county_code, created_at FROM payouts WHERE batch_no"
                                 " IS NULL ORDER BY created_at, id LIMIT 1",
                                 id, text, &at)) == YQ_OK) {
        if ((rc = payout_batch_no(db, text, at, no)) != YQ_OK ||
            (rc = db_run(db, "UPDATE payouts SET batch_no = ? WHERE id = ?", "tt", no, id)) !=
                YQ_OK)
            return rc;
    }
    if (rc != YQ_ENOTFOUND) return rc;
    while ((rc = next_unnumbered(db,
                                 "SELECT id, opens_on, created_at FROM notices WHERE notice_no"
                                 " IS NULL ORDER BY opens_on, created_at, id LIMIT 1",
                                 id, text, &at)) == YQ_OK) {
        if ((rc = notice_no_next(db, text, no)) != YQ_OK ||
            (rc = db_run(db, "UPDATE notices SET notice_no = ? WHERE id = ?", "tt", no, id)) !=
                YQ_OK)
            return rc;
    }
    return rc == YQ_ENOTFOUND ? YQ_OK : rc;
}
