/* Award allocations, shares and recipients (see awards.h). */
#include "store/awards.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALLOCATION_COLUMNS                                                                         \
    "id, year, pool_fen, w_completion, w_penetration, w_disbursed, w_performance, reference,"      \
    " status, created_by, created_at, updated_by, updated_at, posted_by, posted_at"

int awards_get(struct db *db, const char *id, struct award_allocation *out)
{
    json_t *row = NULL;
    /* id may point into *out: read before clearing it */
    int rc = rows_one(db, &row, "SELECT " ALLOCATION_COLUMNS " FROM award_allocations WHERE id = ?",
                      "t", id);
    if (rc != YQ_OK) return rc;
    memset(out, 0, sizeof *out);
    rows_copy(out->id, sizeof out->id, rows_str(row, "id"));
    out->year = (int)json_integer_value(json_object_get(row, "year"));
    out->pool_fen = json_integer_value(json_object_get(row, "pool_fen"));
    static const char *const w[AWARD_MEASURES] = {"w_completion", "w_penetration", "w_disbursed",
                                                  "w_performance"};
    for (int m = 0; m < AWARD_MEASURES; m++)
        out->weight[m] = json_integer_value(json_object_get(row, w[m]));
    rows_copy(out->reference, sizeof out->reference, rows_str(row, "reference"));
    out->posted = strcmp(rows_str(row, "status"), "posted") == 0;
    json_decref(row);
    return YQ_OK;
}

int awards_insert(struct db *db, const struct award_allocation *a, const char *by, int64_t now_ms)
{
    return db_run(db,
                  "INSERT INTO award_allocations(id, year, pool_fen, w_completion, w_penetration,"
                  " w_disbursed, w_performance, reference, status, created_by, created_at,"
                  " updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,'draft',?,?,?,?)",
                  "tiiiiiittiti", a->id, (int64_t)a->year, a->pool_fen, a->weight[0], a->weight[1],
                  a->weight[2], a->weight[3], a->reference, by, now_ms, by, now_ms);
}

int awards_update_draft(struct db *db, const struct award_allocation *a, const char *by,
                        int64_t now_ms)
{
    int rc =
        db_run(db,
               "UPDATE award_allocations SET pool_fen = ?, w_completion = ?, w_penetration = ?,"
               " w_disbursed = ?, w_performance = ?, reference = ?, updated_by = ?,"
               " updated_at = ? WHERE id = ? AND status = 'draft'",
               "iiiiittit", a->pool_fen, a->weight[0], a->weight[1], a->weight[2], a->weight[3],
               a->reference, by, now_ms, a->id);
    if (rc == YQ_OK && db_changes(db) != 1) return YQ_ECONFLICT;
    return rc;
}

int awards_mark_posted(struct db *db, const char *id, const char *by, int64_t now_ms)
{
    int rc = db_run(db,
                    "UPDATE award_allocations SET status = 'posted', posted_by = ?, posted_at = ?"
                    " WHERE id = ? AND status = 'draft'",
                    "tit", by, now_ms, id);
    if (rc == YQ_OK && db_changes(db) != 1) return YQ_ECONFLICT;
    return rc;
}

int awards_share_insert(struct db *db, const char *id, const char *county, json_t *measures,
                        int64_t score, int64_t share_fen, const char *transfer_id)
{
    char *text = json_dumps(measures, JSON_COMPACT | JSON_SORT_KEYS);
    int rc = db_run(db,
                    "INSERT INTO award_shares(allocation_id, county_code, measures_json, score,"
                    " share_fen, transfer_id) VALUES (?,?,?,?,?,?)",
                    "tttiit", id, county, text ? text : "{}", score, share_fen, transfer_id);
    free(text);
    return rc;
}

json_t *awards_shares(struct db *db, const char *id)
{
    json_t *rows = rows_all(db,
                            "SELECT s.county_code, c.name AS county_name, s.measures_json,"
                            " s.score, s.share_fen, s.transfer_id FROM award_shares s JOIN"
                            " counties c ON c.code = s.county_code WHERE s.allocation_id = ?"
                            " ORDER BY s.county_code",
                            "t", id);
    size_t i;
    json_t *row;
    if (rows) json_array_foreach(rows, i, row)
        {
            json_t *m = json_loads(rows_str(row, "measures_json"), 0, NULL);
            json_object_del(row, "measures_json");
            json_object_update(row, m ? m : json_object());
            json_decref(m);
        }
    return rows;
}

static void show_instants(json_t *r)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "items"), i, row)
        rows_instants(row, "created_at", "updated_at", "posted_at", "recorded_at", "paid_at", NULL);
}

json_t *awards_list(struct db *db, int year)
{
    struct rows_where w;
    rows_where_init(&w);
    if (year > 0) rows_where_int(&w, "year = ?", year);
    json_t *r = rows_page(db, ALLOCATION_COLUMNS, "FROM award_allocations", &w,
                          "created_at DESC, id", 0, 200);
    rows_where_cleanup(&w);
    if (r) show_instants(r);
    return r;
}

int awards_row(struct db *db, const char *id, json_t **out)
{
    int rc = rows_one(db, out, "SELECT " ALLOCATION_COLUMNS " FROM award_allocations WHERE id = ?",
                      "t", id);
    if (rc == YQ_OK) rows_instants(*out, "created_at", "updated_at", "posted_at", NULL);
    return rc;
}

int awards_recipient_insert(struct db *db, json_t *row)
{
    return rows_insert(db, "award_recipients", row);
}

int awards_recipient_get(struct db *db, const char *id, json_t **out)
{
    return rows_one(db, out,
                    "SELECT r.*, c.name AS county_name FROM award_recipients r JOIN counties c ON"
                    " c.code = r.county_code WHERE r.id = ?",
                    "t", id);
}

int awards_recipient_mark_paid(struct db *db, const char *id, const char *reference, const char *by,
                               int64_t now_ms)
{
    int rc = db_run(db,
                    "UPDATE award_recipients SET status = 'paid', payment_reference = ?, paid_by ="
                    " ?, paid_at = ? WHERE id = ? AND status = 'recorded'",
                    "ttit", reference, by, now_ms, id);
    if (rc == YQ_OK && db_changes(db) != 1) return YQ_ECONFLICT;
    return rc;
}

json_t *awards_recipients_list(struct db *db, int year)
{
    struct rows_where w;
    rows_where_init(&w);
    if (year > 0) rows_where_int(&w, "r.year = ?", year);
    json_t *r = rows_page(db, "r.*, c.name AS county_name",
                          "FROM award_recipients r JOIN counties c ON c.code = r.county_code", &w,
                          "r.recorded_at DESC, r.id", 0, 200);
    rows_where_cleanup(&w);
    if (r) show_instants(r);
    return r;
}

static void breach(json_t *list, const char *line)
{
    json_array_append_new(list, json_string(line));
}

int awards_check(struct db *db, json_t *breaches)
{
    char line[512];
    size_t i;
    json_t *row;
    /* A posted allocation: shares sum to the pool. */
    json_t *bad = rows_all(db,
                           "SELECT a.id, a.pool_fen, (SELECT COALESCE(SUM(s.share_fen), 0) FROM"
                           " award_shares s WHERE s.allocation_id = a.id) AS shared FROM"
                           " award_allocations a WHERE a.status = 'posted' AND a.pool_fen <>"
                           " (SELECT COALESCE(SUM(s.share_fen), 0) FROM award_shares s WHERE"
                           " s.allocation_id = a.id)",
                           NULL);
    if (!bad) return YQ_ERR;
    json_array_foreach(bad, i, row)
    {
        snprintf(line, sizeof line, "奖补分配 %s 奖补资金 %lld 分，各区县份额合计 %lld 分",
                 rows_str(row, "id"),
                 (long long)json_integer_value(json_object_get(row, "pool_fen")),
                 (long long)json_integer_value(json_object_get(row, "shared")));
        breach(breaches, line);
    }
    json_decref(bad);
    /* Each share is booked by its transfer, to the right pool, once. */
    bad = rows_all(db,
                   "SELECT s.allocation_id, s.county_code, s.share_fen FROM award_shares s JOIN"
                   " award_allocations a ON a.id = s.allocation_id WHERE s.share_fen > 0 AND NOT"
                   " EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.id = s.transfer_id AND"
                   " t.kind = 'plain' AND t.debit_account = 'source:city_award' AND"
                   " t.credit_account = 'pool:' || s.county_code || ':' || CAST(a.year AS TEXT)"
                   " AND t.amount_fen = s.share_fen)",
                   NULL);
    if (!bad) return YQ_ERR;
    json_array_foreach(bad, i, row)
    {
        snprintf(line, sizeof line, "奖补分配 %s 给 %s 的 %lld 分没有对应的转账",
                 rows_str(row, "allocation_id"), rows_str(row, "county_code"),
                 (long long)json_integer_value(json_object_get(row, "share_fen")));
        breach(breaches, line);
    }
    json_decref(bad);
    /* A recipient's award account holds its award once paid, nothing before. */
    bad = rows_all(db,
                   "SELECT r.id, r.status, r.amount_fen, COALESCE(a.credits_posted, 0) AS booked"
                   " FROM award_recipients r LEFT JOIN ledger_accounts a ON a.id = 'award:' ||"
                   " r.id WHERE COALESCE(a.credits_posted, 0) <> CASE WHEN r.status = 'paid' THEN"
                   " r.amount_fen ELSE 0 END",
                   NULL);
    if (!bad) return YQ_ERR;
    json_array_foreach(bad, i, row)
    {
        snprintf(line, sizeof line, "奖励对象 %s（%s）奖励 %lld 分，账上拨付 %lld 分",
                 rows_str(row, "id"), rows_str(row, "status"),
                 (long long)json_integer_value(json_object_get(row, "amount_fen")),
                 (long long)json_integer_value(json_object_get(row, "booked")));
        breach(breaches, line);
    }
    json_decref(bad);
    return YQ_OK;
}
