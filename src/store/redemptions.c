/* Redemption records (see redemptions.h). */
#include "store/redemptions.h"
#include "core/mem.h"
#include "core/status.h"
#include "store/rows.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define R_COLUMNS                                                                                  \
    "id, program_id, provider_id, county_code, period, status, claim_fen, approved_fen,"           \
    " notice_id, payout_id, created_at, updated_at, submitted_at"

static int64_t num(struct db_stmt *st, int col)
{
    return db_col_null(st, col) ? 0 : db_col_int64(st, col);
}

static int step_status(int rc)
{
    if (rc == DB_ROW || rc == DB_DONE) return YQ_OK;
    return rc < 0 ? rc : YQ_ERR;
}

/* One row changed, or the guard did not hold. */
static int guarded(struct db *db, int rc)
{
    if (rc != YQ_OK) return rc;
    return db_changes(db) == 1 ? YQ_OK : YQ_ECONFLICT;
}

int redemption_get(struct db *db, const char *id, struct redemption *r)
{
    memset(r, 0, sizeof *r);
    struct db_stmt *st =
        db_query(db, "SELECT " R_COLUMNS " FROM redemptions WHERE id = ?", "t", id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        rows_copy(r->id, sizeof r->id, db_col_text(st, 0));
        rows_copy(r->program_id, sizeof r->program_id, db_col_text(st, 1));
        rows_copy(r->provider_id, sizeof r->provider_id, db_col_text(st, 2));
        rows_copy(r->county_code, sizeof r->county_code, db_col_text(st, 3));
        rows_copy(r->period, sizeof r->period, db_col_text(st, 4));
        if (redemption_state_parse(db_col_text(st, 5), &r->state) != YQ_OK) rc = YQ_ERR;
        r->claim_fen = num(st, 6);
        r->approved_fen = num(st, 7);
        rows_copy(r->notice_id, sizeof r->notice_id, db_col_text(st, 8));
        rows_copy(r->payout_id, sizeof r->payout_id, db_col_text(st, 9));
        r->created_at = num(st, 10);
        r->updated_at = num(st, 11);
        r->submitted_at = num(st, 12);
    }
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

static enum redemption_deduction_kind kind_of(const char *s)
{
    if (s && strcmp(s, "amount") == 0) return REDEMPTION_DEDUCT_AMOUNT;
    if (s && strcmp(s, "bp") == 0) return REDEMPTION_DEDUCT_BP;
    return REDEMPTION_DEDUCT_NONE;
}

int redemption_items(struct db *db, const char *id, struct redemption_item **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct db_stmt *st = db_query(
        db,
        "SELECT voucher_id, service_desc, fee_fen, claim_fen, invoice_nos, deduction_kind,"
        " deduction_bp, deduction_fen, quality_note, adjustment_fen, adjustment_reason,"
        " approved_fen, paid_fen, clawed_back_fen FROM redemption_items WHERE redemption_id = ?"
        " ORDER BY line_no",
        "t", id);
    if (!st) return YQ_ERR;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = yq_realloc(*out, cap * sizeof **out);
        }
        struct redemption_item *it = &(*out)[(*n)++];
        memset(it, 0, sizeof *it);
        rows_copy(it->voucher_id, sizeof it->voucher_id, db_col_text(st, 0));
        rows_copy(it->service_desc, sizeof it->service_desc, db_col_text(st, 1));
        it->fee_fen = num(st, 2);
        it->claim_fen = num(st, 3);
        rows_copy(it->invoice_nos, sizeof it->invoice_nos, db_col_text(st, 4));
        it->deduction.kind = kind_of(db_col_text(st, 5));
        it->deduction.bp = (int32_t)num(st, 6);
        it->deduction_fen = num(st, 7);
        it->deduction.amount_fen =
            it->deduction.kind == REDEMPTION_DEDUCT_AMOUNT ? it->deduction_fen : 0;
        rows_copy(it->quality_note, sizeof it->quality_note, db_col_text(st, 8));
        it->adjustment_fen = num(st, 9);
        rows_copy(it->adjustment_reason, sizeof it->adjustment_reason, db_col_text(st, 10));
        it->approved_fen = num(st, 11);
        it->paid_fen = num(st, 12);
        it->clawed_back_fen = num(st, 13);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rc < 0 ? rc : YQ_ERR;
    }
    return YQ_OK;
}

static int insert_items(struct db *db, const char *id, const char *period,
                        const struct redemption_item *items, size_t n)
{
    int rc = YQ_OK;
    for (size_t i = 0; i < n && rc == YQ_OK; i++)
        rc = db_run(db,
                    "INSERT INTO redemption_items(redemption_id, voucher_id, line_no, period,"
                    " service_desc, fee_fen, claim_fen, invoice_nos) VALUES (?,?,?,?,?,?,?,?)",
                    "tti"
                    "tt"
                    "ii"
                    "t",
                    id, items[i].voucher_id, (int64_t)i + 1, period, items[i].service_desc,
                    items[i].fee_fen, items[i].claim_fen, items[i].invoice_nos);
    return rc;
}

int redemption_insert(struct db *db, const struct redemption *r,
                      const struct redemption_item *items, size_t n, const char *by)
{
    int rc =
        db_run(db,
               "INSERT INTO redemptions(id, program_id, provider_id, county_code, period,"
               " status, claim_fen, created_by, created_at, updated_at)"
               " VALUES (?,?,?,?,?,?,?,?,?,?)",
               "tttttt"
               "i"
               "t"
               "ii",
               r->id, r->program_id, r->provider_id, r->county_code, r->period,
               redemption_state_name(r->state), r->claim_fen, by, r->created_at, r->updated_at);
    return rc == YQ_OK ? insert_items(db, r->id, r->period, items, n) : rc;
}

/* The evaluator's finding on one item (its voucher's row). */
static int set_finding(struct db *db, const char *id, const struct redemption_item *it)
{
    return guarded(db, db_run(db,
                              "UPDATE redemption_items SET deduction_kind = ?, deduction_bp = ?,"
                              " deduction_fen = ?, quality_note = ? WHERE redemption_id = ? AND"
                              " voucher_id = ?",
                              "tii"
                              "ttt",
                              redemption_deduction_kind_name(it->deduction.kind),
                              (int64_t)it->deduction.bp, it->deduction_fen, it->quality_note, id,
                              it->voucher_id));
}

int redemption_replace_items(struct db *db, const char *id, enum redemption_state from,
                             const struct redemption_item *items, size_t n, int64_t claim_fen,
                             int64_t at)
{
    assert(from == REDEMPTION_DRAFT || from == REDEMPTION_RETURNED);
    int rc = guarded(db, db_run(db,
                                "UPDATE redemptions SET claim_fen = ?, updated_at = ? WHERE id = ?"
                                " AND status = ?",
                                "iitt", claim_fen, at, id, redemption_state_name(from)));
    char period[8] = "";
    if (rc == YQ_OK) {
        struct redemption r;
        if ((rc = redemption_get(db, id, &r)) == YQ_OK)
            snprintf(period, sizeof period, "%s", r.period);
    }
    /* Returned for correction, the evaluation is kept: an item left as it
     * was (same voucher, same claim) keeps its finding. */
    struct redemption_item *old = NULL;
    size_t nold = 0;
    if (rc == YQ_OK && from == REDEMPTION_RETURNED) rc = redemption_items(db, id, &old, &nold);
    if (rc == YQ_OK)
        rc = db_run(db, "DELETE FROM redemption_items WHERE redemption_id = ?", "t", id);
    if (rc == YQ_OK) rc = insert_items(db, id, period, items, n);
    for (size_t i = 0; i < n && rc == YQ_OK; i++)
        for (size_t k = 0; k < nold && rc == YQ_OK; k++)
            if (strcmp(old[k].voucher_id, items[i].voucher_id) == 0 &&
                old[k].claim_fen == items[i].claim_fen)
                rc = set_finding(db, id, &old[k]);
    free(old);
    return rc;
}

int redemption_move(struct db *db, const char *id, enum redemption_state from,
                    enum redemption_state to, int64_t at)
{
    int rc =
        guarded(db, to == REDEMPTION_SUBMITTED
                        ? db_run(db,
                                 "UPDATE redemptions SET status = ?, updated_at = ?,"
                                 " submitted_at = ? WHERE id = ? AND status = ?",
                                 "tii"
                                 "tt",
                                 redemption_state_name(to), at, at, id, redemption_state_name(from))
                        : db_run(db,
                                 "UPDATE redemptions SET status = ?, updated_at = ? WHERE id ="
                                 " ? AND status = ?",
                                 "ti"
                                 "tt",
                                 redemption_state_name(to), at, id, redemption_state_name(from)));
    if (rc == YQ_OK && (to == REDEMPTION_REJECTED || to == REDEMPTION_WITHDRAWN))
        rc = db_run(db, "UPDATE redemption_items SET active = 0 WHERE redemption_id = ?", "t", id);
    return rc;
}

int redemption_evaluate(struct db *db, const char *id, const char *scores_json,
                        int32_t score_hundredths, const char *note, const char *by, int64_t at,
                        const struct redemption_item *items, size_t n)
{
    int rc = guarded(db, db_run(db,
                                "UPDATE redemptions SET status = 'evaluated', scores_json = ?,"
                                " score_hundredths = ?, evaluation_note = ?, evaluated_by = ?,"
                                " evaluated_at = ?, updated_at = ? WHERE id = ? AND status ="
                                " 'submitted'",
                                "tit"
                                "tii"
                                "t",
                                scores_json, (int64_t)score_hundredths, note, by, at, at, id));
    for (size_t i = 0; i < n && rc == YQ_OK; i++) rc = set_finding(db, id, &items[i]);
    return rc;
}

int redemption_review(struct db *db, const char *id, enum redemption_state to, const char *note,
                      const char *by, int64_t at, const struct redemption_item *items, size_t n,
                      int64_t approved_fen)
{
    int rc =
        guarded(db, db_run(db,
                           "UPDATE redemptions SET status = ?, review_note = ?, reviewed_by = ?,"
                           " reviewed_at = ?, approved_fen = ?, updated_at = ? WHERE id = ?"
                           " AND status = 'evaluated'",
                           "ttt"
                           "iii"
                           "t",
                           redemption_state_name(to), note, by, at, approved_fen, at, id));
    for (size_t i = 0; to == REDEMPTION_APPROVED && i < n && rc == YQ_OK; i++)
        rc =
            guarded(db, db_run(db,
                               "UPDATE redemption_items SET adjustment_fen = ?, adjustment_reason ="
                               " ?, approved_fen = ? WHERE redemption_id = ? AND voucher_id = ?",
                               "iti"
                               "tt",
                               items[i].adjustment_fen, items[i].adjustment_reason,
                               items[i].approved_fen, id, items[i].voucher_id));
    if (rc == YQ_OK && to == REDEMPTION_REJECTED)
        rc = db_run(db, "UPDATE redemption_items SET active = 0 WHERE redemption_id = ?", "t", id);
    return rc;
}

int redemption_open_for(struct db *db, const char *provider_id, const char *county,
                        const char *period, char id[ID_LEN + 1])
{
    struct db_stmt *st = db_query(db,
                                  "SELECT id FROM redemptions WHERE provider_id = ? AND county_code"
                                  " = ? AND period = ? AND status NOT IN ('rejected', 'withdrawn')",
                                  "ttt", provider_id, county, period);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) rows_copy(id, ID_LEN + 1, db_col_text(st, 0));
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : step_status(rc);
}

int redemption_open_claims(struct db *db, const char *voucher_id, const char *except_id,
                           int64_t *sum)
{
    return rows_int(db, sum,
                    "SELECT COALESCE(SUM(i.claim_fen), 0) FROM redemption_items i JOIN redemptions"
                    " r ON r.id = i.redemption_id WHERE i.voucher_id = ? AND i.active = 1 AND"
                    " r.status NOT IN ('paid', 'rejected', 'withdrawn') AND r.id <> ?",
                    "tt", voucher_id, except_id ? except_id : "");
}

int redemption_filed_claim_exists(struct db *db, const char *voucher_id, bool *exists)
{
    int64_t n = 0;
    int rc = rows_int(db, &n,
                      "SELECT COUNT(*) FROM redemption_items i JOIN redemptions r ON r.id ="
                      " i.redemption_id WHERE i.voucher_id = ? AND i.active = 1 AND r.status NOT"
                      " IN ('draft', 'paid', 'rejected', 'withdrawn')",
                      "t", voucher_id);
    *exists = rc == YQ_OK && n > 0;
    return rc;
}

int redemption_provider_history(struct db *db, const char *provider_id, const char *except_id,
                                int64_t **amounts, size_t *n)
{
    *amounts = NULL;
    *n = 0;
    struct db_stmt *st = db_query(db,
                                  "SELECT i.approved_fen FROM redemption_items i JOIN redemptions r"
                                  " ON r.id = i.redemption_id WHERE r.provider_id = ? AND r.id <> ?"
                                  " AND r.status IN ('approved', 'in_notice', 'noticed', 'paid')"
                                  " ORDER BY i.approved_fen",
                                  "tt", provider_id, except_id ? except_id : "");
    if (!st) return YQ_ERR;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *amounts = yq_realloc(*amounts, cap * sizeof **amounts);
        }
        (*amounts)[(*n)++] = db_col_int64(st, 0);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        free(*amounts);
        *amounts = NULL;
        *n = 0;
        return step_status(rc);
    }
    return YQ_OK;
}

int redemption_file_add(struct db *db, const char *id, const char *sha256, const char *filename,
                        const char *content_type, int64_t size, const char *by, int64_t at,
                        bool *added)
{
    int64_t exists = 0;
    *added = false;
    int rc = rows_int(
        db, &exists, "SELECT COUNT(*) FROM redemption_files WHERE redemption_id = ? AND sha256 = ?",
        "tt", id, sha256);
    if (rc != YQ_OK || exists) return rc;
    rc = db_run(db,
                "INSERT INTO redemption_files(redemption_id, sha256, filename, content_type, size,"
                " uploaded_by, uploaded_at) VALUES (?,?,?,?,?,?,?)",
                "tttt"
                "iti",
                id, sha256, filename, content_type, size, by, at);
    *added = rc == YQ_OK;
    return rc;
}

int redemption_file_get(struct db *db, const char *id, const char *sha256, char content_type[64],
                        char filename[256])
{
    struct db_stmt *st = db_query(db,
                                  "SELECT content_type, filename FROM redemption_files WHERE"
                                  " redemption_id = ? AND sha256 = ?",
                                  "tt", id, sha256);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        rows_copy(content_type, 64, db_col_text(st, 0));
        rows_copy(filename, 256, db_col_text(st, 1));
    }
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : step_status(rc);
}

/* The ids a query of one id column answers (malloc'd array). */
static int collect_ids(struct db_stmt *st, char (**ids)[ID_LEN + 1], size_t *n)
{
    *ids = NULL;
    *n = 0;
    if (!st) return YQ_ERR;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *ids = yq_realloc(*ids, cap * sizeof **ids);
        }
        rows_copy((*ids)[(*n)++], ID_LEN + 1, db_col_text(st, 0));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return step_status(rc);
    }
    return YQ_OK;
}

int redemptions_open_of_uscc(struct db *db, const char *uscc, char (**ids)[ID_LEN + 1], size_t *n)
{
    return collect_ids(
        db_query(db,
                 "SELECT r.id FROM redemptions r WHERE r.status NOT IN ('rejected', 'withdrawn',"
                 " 'paid') AND (r.provider_id IN (SELECT id FROM providers WHERE uscc = ?) OR"
                 " EXISTS (SELECT 1 FROM redemption_items i JOIN vouchers v ON v.id ="
                 " i.voucher_id JOIN enterprises e ON e.id = v.enterprise_id WHERE"
                 " i.redemption_id = r.id AND e.uscc = ?)) ORDER BY r.id",
                 "tt", uscc, uscc),
        ids, n);
}

int redemptions_open_of_voucher(struct db *db, const char *voucher_id, char (**ids)[ID_LEN + 1],
                                size_t *n)
{
    return collect_ids(
        db_query(db,
                 "SELECT r.id FROM redemptions r WHERE r.status NOT IN ('rejected', 'withdrawn',"
                 " 'paid') AND EXISTS (SELECT 1 FROM redemption_items i WHERE i.redemption_id ="
                 " r.id AND i.voucher_id = ?) ORDER BY r.id",
                 "t", voucher_id),
        ids, n);
}

int redemption_disqualify(struct db *db, const struct redemption *r, const char *reason,
                          const char *by, int64_t at)
{
    int rc = YQ_OK;
    if (r->payout_id[0])
        rc = db_run(
            db, "UPDATE payouts SET total_fen = total_fen - ? WHERE id = ? AND status = 'draft'",
            "it", r->approved_fen, r->payout_id);
    if (rc == YQ_OK)
        rc = guarded(db, db_run(db,
                                "UPDATE redemptions SET status = 'rejected', review_note = ?,"
                                " reviewed_by = ?, reviewed_at = ?, notice_id = NULL,"
                                " payout_id = NULL, approved_fen = 0, updated_at = ?"
                                " WHERE id = ? AND status = ?",
                                "ttiitt", reason, by, at, at, r->id,
                                redemption_state_name(r->state)));
    if (rc == YQ_OK)
        /* Nothing of it is approved any more, as when an objection is
         * upheld (notice_remove_redemption): lists and totals agree. */
        rc = db_run(db,
                    "UPDATE redemption_items SET active = 0, approved_fen = 0 WHERE"
                    " redemption_id = ?",
                    "t", r->id);
    return rc;
}

#define R_SELECT                                                                                   \
    "r.id, r.program_id, r.provider_id, p.name AS provider_name, r.county_code, k.name AS"         \
    " county_name, r.period, r.status, r.claim_fen, r.approved_fen, r.score_hundredths,"           \
    " (SELECT COUNT(*) FROM redemption_items i WHERE i.redemption_id = r.id) AS items_count,"      \
    " r.notice_id, r.payout_id, r.submitted_at, r.created_at, r.updated_at"
#define R_FROM                                                                                     \
    "FROM redemptions r JOIN providers p ON p.id = r.provider_id JOIN counties k ON k.code ="      \
    " r.county_code"

json_t *redemptions_page(struct db *db, const struct redemption_filter *f)
{
    struct rows_where w;
    rows_where_init(&w);
    scope_where(&w, f->scope, "r");
    const struct list_filter *lf = f->lf;
    char q[220]; /* bound by pointer until the query ran */
    if (lf->status) rows_where_text(&w, "r.status = ?", lf->status, 1);
    if (f->period) rows_where_text(&w, "r.period = ?", f->period, 1);
    if (lf->county) rows_where_text(&w, "r.county_code = ?", lf->county, 1);
    if (lf->q) {
        rows_like(q, sizeof q, lf->q);
        rows_where_text(&w, "(p.name LIKE ? ESCAPE '\\' OR p.uscc LIKE ? ESCAPE '\\')", q, 2);
    }
    list_filter_instants(&w, lf, "r.submitted_at");
    json_t *r = rows_page(db, R_SELECT, R_FROM, &w, "r.updated_at DESC, r.id", f->offset, f->limit);
    rows_where_cleanup(&w);
    return r;
}

json_t *redemption_view(struct db *db, const char *id)
{
    json_t *row = NULL;
    int rc = rows_one(db, &row,
                      "SELECT " R_SELECT ", r.scores_json, r.evaluation_note, r.evaluated_by,"
                      " r.evaluated_at, r.review_note, r.reviewed_by, r.reviewed_at " R_FROM
                      " WHERE r.id = ?",
                      "t", id);
    if (rc != YQ_OK) return NULL;
    json_t *items =
        rows_all(db,
                 "SELECT i.*, v.code AS voucher_code, v.amount_fen AS voucher_amount_fen,"
                 " v.redeemed_fen AS voucher_redeemed_fen, v.status AS voucher_status,"
                 " e.name AS enterprise_name FROM redemption_items i JOIN vouchers v ON"
                 " v.id = i.voucher_id JOIN enterprises e ON e.id = v.enterprise_id"
                 " WHERE i.redemption_id = ? ORDER BY i.line_no",
                 "t", id);
    json_t *files = items
                        ? rows_all(db,
                                   "SELECT sha256, filename, content_type, size, uploaded_by FROM"
                                   " redemption_files WHERE redemption_id = ? ORDER BY uploaded_at",
                                   "t", id)
                        : NULL;
    if (!items || !files) {
        json_decref(row);
        json_decref(items);
        json_decref(files);
        return NULL;
    }
    json_object_set_new(row, "items", items);
    json_object_set_new(row, "attachments", files);
    return row;
}

json_t *redemption_claimable(struct db *db, const char *provider_id, const char *county)
{
    return rows_all(db,
                    "SELECT v.id AS voucher_id, v.code, e.name AS enterprise_name, c.contract_no,"
                    " v.amount_fen, v.redeemed_fen, v.status, c.service_start, c.service_end,"
                    " (SELECT COALESCE(SUM(i.claim_fen), 0) FROM redemption_items i JOIN"
                    " redemptions r ON r.id = i.redemption_id WHERE i.voucher_id = v.id AND"
                    " i.active = 1 AND r.status NOT IN ('paid', 'rejected', 'withdrawn')) AS"
                    " open_claims_fen FROM vouchers v JOIN contracts c ON c.id = v.contract_id JOIN"
                    " enterprises e ON e.id = v.enterprise_id WHERE v.provider_id = ? AND"
                    " v.county_code = ? AND v.status IN ('issued', 'partially_redeemed') ORDER BY"
                    " v.issued_at, v.code",
                    "tt", provider_id, county);
}

int redemptions_count(struct db *db, const struct row_scope *s, enum redemption_state state,
                      int64_t *n)
{
    struct rows_where w;
    rows_where_init(&w);
    scope_where(&w, s, "r");
    rows_where_text(&w, "r.status = ?", redemption_state_name(state), 1);
    json_t *r = rows_page(db, "r.id", "FROM redemptions r", &w, "r.id", 0, 1);
    rows_where_cleanup(&w);
    if (!r) return YQ_ERR;
    *n = json_integer_value(json_object_get(r, "total"));
    json_decref(r);
    return YQ_OK;
}
