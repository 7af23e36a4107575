/* Payout and clawback records (see payouts.h). */
#include "store/payouts.h"
#include "core/mem.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdlib.h>
#include <string.h>

static int guarded(struct db *db, int rc)
{
    if (rc != YQ_OK) return rc;
    return db_changes(db) == 1 ? YQ_OK : YQ_ECONFLICT;
}

int payout_get(struct db *db, const char *id, struct payout *po)
{
    memset(po, 0, sizeof *po);
    struct db_stmt *st = db_query(
        db,
        "SELECT id, county_code, status, total_fen, paid_on, reference, batch_no, created_at"
        " FROM payouts WHERE id = ?",
        "t", id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        rows_copy(po->id, sizeof po->id, db_col_text(st, 0));
        rows_copy(po->county_code, sizeof po->county_code, db_col_text(st, 1));
        po->paid = strcmp(db_col_text(st, 2), "paid") == 0;
        po->total_fen = db_col_int64(st, 3);
        rows_copy(po->paid_on, sizeof po->paid_on, db_col_text(st, 4));
        rows_copy(po->reference, sizeof po->reference, db_col_text(st, 5));
        rows_copy(po->batch_no, sizeof po->batch_no, db_col_text(st, 6));
        po->created_at = db_col_int64(st, 7);
    }
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

int payout_insert(struct db *db, const struct payout *po, const char *by, int64_t at)
{
    return db_run(db,
                  "INSERT INTO payouts(id, batch_no, county_code, status, total_fen, created_by,"
                  " created_at) VALUES (?,?,?,'draft',?,?,?)",
                  "ttti"
                  "ti",
                  po->id, po->batch_no, po->county_code, po->total_fen, by, at);
}

int payout_add_redemption(struct db *db, const char *payout_id, const char *redemption_id,
                          int64_t at)
{
    return guarded(db, db_run(db,
                              "UPDATE redemptions SET payout_id = ?, updated_at = ? WHERE id = ?"
                              " AND status = 'noticed' AND payout_id IS NULL",
                              "tit", payout_id, at, redemption_id));
}

int payout_mark_paid(struct db *db, const char *id, const char *paid_on, const char *reference,
                     const char *by, int64_t at)
{
    return guarded(db, db_run(db,
                              "UPDATE payouts SET status = 'paid', paid_on = ?, reference = ?,"
                              " paid_by = ?, paid_at = ? WHERE id = ? AND status = 'draft'",
                              "ttt"
                              "it",
                              paid_on, reference, by, at, id));
}

int payout_redemptions(struct db *db, const char *id, char (**ids)[ID_LEN + 1], size_t *n)
{
    *ids = NULL;
    *n = 0;
    struct db_stmt *st =
        db_query(db, "SELECT id FROM redemptions WHERE payout_id = ? ORDER BY id", "t", id);
    if (!st) return YQ_ERR;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *ids = yq_realloc(*ids, cap * sizeof **ids);
        }
        rows_copy((*ids)[(*n)++], ID_LEN + 1, db_col_text(st, 0));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return rc < 0 ? rc : YQ_ERR;
    }
    return YQ_OK;
}

int payout_redemption_paid(struct db *db, const char *redemption_id, int64_t at)
{
    return guarded(db, db_run(db,
                              "UPDATE redemptions SET status = 'paid', updated_at = ? WHERE id = ?"
                              " AND status = 'noticed'",
                              "it", at, redemption_id));
}

/* Adds `delta` (negative for a clawback) to the county_paid row of an
 * application's county, provider and period in the month its batch was
 * paid, in the caller's transaction. The batch must be paid; each write
 * changes one row (the CHECK keeps the row from going below zero). */
static int paid_add(struct db *db, const char *redemption_id, int64_t delta)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT r.county_code, r.provider_id, r.period, SUBSTR(p.paid_on,"
                                  " 1, 7) FROM redemptions r JOIN payouts p ON p.id = r.payout_id"
                                  " WHERE r.id = ? AND p.status = 'paid'",
                                  "t", redemption_id);
    if (!st) return YQ_ERR;
    char county[16] = "", provider[ID_LEN + 1] = "", period[16] = "", month[16] = "";
    int rc = db_step(st);
    if (rc == DB_ROW) {
        rows_copy(county, sizeof county, db_col_text(st, 0));
        rows_copy(provider, sizeof provider, db_col_text(st, 1));
        rows_copy(period, sizeof period, db_col_text(st, 2));
        rows_copy(month, sizeof month, db_col_text(st, 3));
    }
    db_finalize(st);
    if (rc == DB_DONE) return YQ_ECONFLICT; /* not in a paid batch */
    if (rc != DB_ROW) return rc < 0 ? rc : YQ_ERR;
    rc = db_run(db,
                "UPDATE county_paid SET paid_fen = paid_fen + ? WHERE county_code = ? AND"
                " provider_id = ? AND period = ? AND paid_month = ?",
                "itttt", delta, county, provider, period, month);
    if (rc != YQ_OK || db_changes(db) == 1) return rc;
    return guarded(db, db_run(db,
                              "INSERT INTO county_paid(county_code, provider_id, period,"
                              " paid_month, paid_fen) VALUES (?,?,?,?,?)",
                              "tttti", county, provider, period, month, delta));
}

int payout_item_paid(struct db *db, const char *redemption_id, const char *voucher_id,
                     int64_t amount)
{
    int rc = guarded(db, db_run(db,
                                "UPDATE redemption_items SET paid_fen = ? WHERE redemption_id = ?"
                                " AND voucher_id = ? AND paid_fen = 0",
                                "itt", amount, redemption_id, voucher_id));
    return rc == YQ_OK ? paid_add(db, redemption_id, amount) : rc;
}

int voucher_redeem(struct db *db, const char *voucher_id, enum voucher_state from,
                   enum voucher_state to, int64_t amount, bool final, int64_t at,
                   const char *reason)
{
    return guarded(db, final
                           ? db_run(db,
                                    "UPDATE vouchers SET redeemed_fen = redeemed_fen + ?, status ="
                                    " ?, closed_at = ?, close_reason = ? WHERE id = ? AND status"
                                    " = ? AND redeemed_fen + ? <= amount_fen",
                                    "iti"
                                    "ttt"
                                    "i",
                                    amount, voucher_state_name(to), at, reason, voucher_id,
                                    voucher_state_name(from), amount)
                           : db_run(db,
                                    "UPDATE vouchers SET redeemed_fen = redeemed_fen + ?, status ="
                                    " ? WHERE id = ? AND status = ? AND redeemed_fen + ? <="
                                    " amount_fen",
                                    "itt"
                                    "ti",
                                    amount, voucher_state_name(to), voucher_id,
                                    voucher_state_name(from), amount));
}

int clawback_find(struct db *db, const char *redemption_id, const char *voucher_id, int64_t amount,
                  const char *reason, const char *evidence, char id[ID_LEN + 1])
{
    struct db_stmt *st = db_query(db,
                                  "SELECT id FROM clawbacks WHERE voucher_id = ? AND redemption_id = ?"
                                  " AND amount_fen = ? AND reason = ? AND evidence = ?"
                                  " ORDER BY created_at LIMIT 1",
                                  "tt"
                                  "i"
                                  "tt",
                                  voucher_id, redemption_id, amount, reason, evidence);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(id, ID_LEN + 1, "%s", db_col_text(st, 0));
    db_finalize(st);
    return rc == DB_ROW ? YQ_OK : rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

int clawback_insert(struct db *db, const char *id, const char *redemption_id,
                    const char *voucher_id, const char *county, int64_t amount, const char *reason,
                    const char *evidence, const char *by, int64_t at)
{
    return db_run(db,
                  "INSERT INTO clawbacks(id, redemption_id, voucher_id, county_code, amount_fen,"
                  " reason, evidence, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                  "tttt"
                  "i"
                  "ttt"
                  "i",
                  id, redemption_id, voucher_id, county, amount, reason, evidence, by, at);
}

int clawback_apply(struct db *db, const char *redemption_id, const char *voucher_id,
                   enum voucher_state from, enum voucher_state to, int64_t amount)
{
    int rc = guarded(db, db_run(db,
                                "UPDATE redemption_items SET clawed_back_fen = clawed_back_fen + ?"
                                " WHERE redemption_id = ? AND voucher_id = ? AND clawed_back_fen +"
                                " ? <= paid_fen",
                                "itt"
                                "i",
                                amount, redemption_id, voucher_id, amount));
    if (rc == YQ_OK) rc = paid_add(db, redemption_id, -amount);
    if (rc != YQ_OK) return rc;
    return guarded(
        db, db_run(db,
                   "UPDATE vouchers SET redeemed_fen = redeemed_fen - ?, clawed_back_fen ="
                   " clawed_back_fen + ?, status = ? WHERE id = ? AND status = ? AND"
                   " redeemed_fen >= ?",
                   "iit"
                   "tti",
                   amount, amount, voucher_state_name(to), voucher_id, voucher_state_name(from), amount));
}

static void scope_counties(struct rows_where *w, const struct row_scope *s, const char *column)
{
    if (s->all) return;
    if (s->ncounties > 0)
        rows_where_in(w, column, s->counties, s->ncounties);
    else
        rows_where_sql(w, "1 = 0");
}

json_t *payouts_page(struct db *db, const struct row_scope *s, const struct list_filter *f,
                     int64_t offset, int64_t limit)
{
    struct rows_where w;
    char q[220]; /* bound by pointer until the query ran */
    rows_where_init(&w);
    scope_counties(&w, s, "b.county_code");
    if (f->status) rows_where_text(&w, "b.status = ?", f->status, 1);
    if (f->county) rows_where_text(&w, "b.county_code = ?", f->county, 1);
    if (f->q) {
        rows_like(q, sizeof q, f->q);
        rows_where_text(&w, "(b.batch_no LIKE ? ESCAPE '\\' OR b.reference LIKE ? ESCAPE '\\')", q,
                        2);
    }
    list_filter_instants(&w, f, "b.created_at");
    json_t *r =
        rows_page(db,
                  "b.id, b.batch_no, b.county_code, k.name AS county_name, b.status, b.total_fen,"
                  " b.paid_on, b.reference, b.created_by, b.created_at, b.paid_by, b.paid_at,"
                  " (SELECT COUNT(*) FROM redemptions r WHERE r.payout_id = b.id) AS"
                  " redemptions",
                  "FROM payouts b JOIN counties k ON k.code = b.county_code", &w,
                  "b.created_at DESC, b.id", offset, limit);
    rows_where_cleanup(&w);
    return r;
}

json_t *payout_view(struct db *db, const char *id)
{
    json_t *b = NULL;
    if (rows_one(db, &b,
                 "SELECT b.id, b.batch_no, b.county_code, k.name AS county_name, b.status,"
                 " b.total_fen,"
                 " b.paid_on, b.reference, b.created_by, b.created_at, b.paid_by, b.paid_at FROM"
                 " payouts b JOIN counties k ON k.code = b.county_code WHERE b.id = ?",
                 "t", id) != YQ_OK)
        return NULL;
    json_t *items = rows_all(db,
                             "SELECT r.id AS redemption_id, r.period, p.name AS provider_name,"
                             " p.bank_name, p.bank_account, v.code AS voucher_code, v.id AS"
                             " voucher_id, e.name AS enterprise_name, i.approved_fen AS amount_fen,"
                             " i.paid_fen, i.clawed_back_fen FROM redemptions r JOIN"
                             " redemption_items i ON i.redemption_id = r.id JOIN providers p ON"
                             " p.id = r.provider_id JOIN vouchers v ON v.id = i.voucher_id JOIN"
                             " enterprises e ON e.id = v.enterprise_id WHERE r.payout_id = ? AND"
                             " i.approved_fen > 0 ORDER BY p.name, v.code",
                             "t", id);
    if (!items) {
        json_decref(b);
        return NULL;
    }
    json_object_set_new(b, "items", items);
    return b;
}

json_t *clawbacks_page(struct db *db, const struct row_scope *s, const struct list_filter *f,
                       int64_t offset, int64_t limit)
{
    struct rows_where w;
    char q[220]; /* bound by pointer until the query ran */
    rows_where_init(&w);
    scope_counties(&w, s, "c.county_code");
    if (f->county) rows_where_text(&w, "c.county_code = ?", f->county, 1);
    if (f->q) {
        rows_like(q, sizeof q, f->q);
        rows_where_text(&w, "(v.code LIKE ? ESCAPE '\\' OR c.reason LIKE ? ESCAPE '\\')", q, 2);
    }
    list_filter_instants(&w, f, "c.created_at");
    json_t *r =
        rows_page(db,
                  "c.id, c.redemption_id, c.voucher_id, v.code AS voucher_code, c.county_code,"
                  " k.name AS county_name, c.amount_fen, c.reason, c.evidence, c.created_by,"
                  " c.created_at",
                  "FROM clawbacks c JOIN vouchers v ON v.id = c.voucher_id JOIN counties k ON"
                  " k.code = c.county_code",
                  &w,
                  "c.created_at DESC, c.id", offset, limit);
    rows_where_cleanup(&w);
    return r;
}
