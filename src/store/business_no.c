/* Business numbers of payout batches and notices (see business_no.h). */
#include "store/business_no.h"
#include "core/dashboard.h"
#include "core/status.h"
#include "store/id.h"

#include <stdio.h>
#include <string.h>

/* The sequence number of the highest number in `table`.`col` that starts
 * with `prefix`, or 0 when there is none. A range over the unique index
 * (LIKE cannot use it: it is case-insensitive here and ILIKE on
 * PostgreSQL); longest first, so that 1000 sorts above 999. */
static int last_seq(struct db *db, const char *table, const char *col, const char *prefix,
                    int64_t *n)
{
    char upper[32], sql[192];
    size_t len = strlen(prefix);
    if (len == 0 || len >= sizeof upper) return YQ_ERR;
    memcpy(upper, prefix, len + 1);
    upper[len - 1] = (char)(upper[len - 1] + 1); /* "…-" -> "….": just past the range */
    snprintf(sql, sizeof sql,
             "SELECT %s FROM %s WHERE %s >= ? AND %s < ? ORDER BY length(%s) DESC, %s DESC"
             " LIMIT 1",
             col, table, col, col, col, col);
    struct db_stmt *st = db_query(db, sql, "tt", prefix, upper);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    *n = 0;
    if (rc == DB_ROW) {
        const char *last = db_col_text(st, 0);
        long long v = 0;
        for (const char *c = last ? last + len : ""; *c >= '0' && *c <= '9'; c++)
            v = v * 10 + (*c - '0');
        *n = v;
    }
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? YQ_OK : rc < 0 ? rc : YQ_ERR;
}

int payout_batch_no(struct db *db, const char *county, int64_t at, char out[BUSINESS_NO_LEN])
{
    int year = 0, month = 0;
    dashboard_month_of(at, &year, &month);
    char prefix[24];
    snprintf(prefix, sizeof prefix, "ZF-%.8s-%04d%02d-", county, year % 10000, month % 100);
    int64_t n = 0;
    int rc = last_seq(db, "payouts", "batch_no", prefix, &n);
    if (rc != YQ_OK) return rc;
    snprintf(out, BUSINESS_NO_LEN, "%s%03lld", prefix, (long long)(n + 1));
    return YQ_OK;
}

int notice_no_next(struct db *db, const char *opens_on, char out[BUSINESS_NO_LEN])
{
    char prefix[16];
    snprintf(prefix, sizeof prefix, "GS-%.4s-", opens_on);
    int64_t n = 0;
    int rc = last_seq(db, "notices", "notice_no", prefix, &n);
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
