/* Voucher records (see vouchers.h). */
#include "store/vouchers.h"
#include "core/dashboard.h"
#include "core/mem.h"
#include "core/status.h"
#include "store/rows.h"
#include "store/stats.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VOUCHER_COLUMNS                                                                            \
    "id, code, program_id, contract_id, enterprise_id, provider_id, county_code, issue_year,"      \
    " issued_at, amount_fen, redeemed_fen, status, service_end, closed_at, verify_token,"      \
    " clawed_back_fen"

static int get(struct db *db, const char *column_is, const char *value, struct voucher *v)
{
    memset(v, 0, sizeof *v);
    struct db_stmt *st = db_query(db,
                                  strcmp(column_is, "id") == 0
                                      ? "SELECT " VOUCHER_COLUMNS " FROM vouchers WHERE id = ?"
                                      : "SELECT " VOUCHER_COLUMNS " FROM vouchers WHERE"
                                        " contract_id = ?",
                                  "t", value);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        rows_copy(v->id, sizeof v->id, db_col_text(st, 0));
        rows_copy(v->code, sizeof v->code, db_col_text(st, 1));
        rows_copy(v->program_id, sizeof v->program_id, db_col_text(st, 2));
        rows_copy(v->contract_id, sizeof v->contract_id, db_col_text(st, 3));
        rows_copy(v->enterprise_id, sizeof v->enterprise_id, db_col_text(st, 4));
        rows_copy(v->provider_id, sizeof v->provider_id, db_col_text(st, 5));
        rows_copy(v->county_code, sizeof v->county_code, db_col_text(st, 6));
        v->issue_year = (int)db_col_int64(st, 7);
        v->issued_at = db_col_int64(st, 8);
        v->amount_fen = db_col_int64(st, 9);
        v->redeemed_fen = db_col_int64(st, 10);
        rows_copy(v->service_end, sizeof v->service_end, db_col_text(st, 12));
        v->closed_at = db_col_null(st, 13) ? 0 : db_col_int64(st, 13);
        rows_copy(v->verify_token, sizeof v->verify_token, db_col_text(st, 14));
        v->clawed_back_fen = db_col_int64(st, 15);
        if (voucher_state_parse(db_col_text(st, 11), &v->state) != YQ_OK) rc = YQ_ERR;
    }
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

int voucher_get(struct db *db, const char *id, struct voucher *out)
{
    return get(db, "id", id, out);
}

int voucher_get_by_contract(struct db *db, const char *contract_id, struct voucher *out)
{
    return get(db, "contract_id", contract_id, out);
}

/* The live vouchers of the pool's year, counted in the month the
 * dashboards show them (store/stats.h): sign 1 when issued, -1 when a
 * live voucher is terminated or expires. */
static int counted(struct db *db, const struct voucher *v, int sign)
{
    return stats_month_add(db, v->county_code, v->issue_year,
                           dashboard_month_in(v->issue_year, v->issued_at), 0, 0, sign,
                           sign * v->amount_fen);
}

int voucher_insert(struct db *db, const struct voucher *v, const char *calc_json)
{
    assert(v->amount_fen >= 0 && v->redeemed_fen == 0 && v->state == VOUCHER_ISSUED);
    /* Queued (db_run_queued): a duplicate id or code fails the
     * transaction; on PostgreSQL it travels with the next statement. */
    int rc = db_run_queued(db, 1,
                    "INSERT INTO vouchers(id, code, program_id, contract_id, enterprise_id,"
                    " provider_id, county_code, issue_year, issued_at, amount_fen, redeemed_fen,"
                    " calc_json, status, service_end, verify_token)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?,?,?)",
                    "ttttttt"
                    "iii"
                    "tttt",
                    v->id, v->code, v->program_id, v->contract_id, v->enterprise_id, v->provider_id,
                    v->county_code, (int64_t)v->issue_year, v->issued_at, v->amount_fen, calc_json,
                    voucher_state_name(v->state), v->service_end, v->verify_token);
    return rc == YQ_OK ? counted(db, v, 1) : rc;
}

int voucher_close(struct db *db, const char *id, enum voucher_state from, enum voucher_state to,
                  int64_t at, const char *reason)
{
    assert(to == VOUCHER_TERMINATED || to == VOUCHER_EXPIRED);
    int rc = db_run(db,
                    to == VOUCHER_EXPIRED
                        ? "UPDATE vouchers SET status = ?, closed_at = ?, close_reason = ? WHERE"
                          " id = ? AND status = ? AND NOT EXISTS (SELECT 1 FROM redemption_items"
                          " i JOIN redemptions r ON r.id = i.redemption_id WHERE i.voucher_id ="
                          " vouchers.id AND i.active = 1 AND r.status NOT IN ('draft', 'paid',"
                          " 'rejected', 'withdrawn'))"
                        : "UPDATE vouchers SET status = ?, closed_at = ?, close_reason = ? WHERE"
                          " id = ? AND status = ?",
                    "tit"
                    "tt",
                    voucher_state_name(to), at, reason, id, voucher_state_name(from));
    if (rc != YQ_OK) return rc;
    if (db_changes(db) != 1) return YQ_ECONFLICT;
    /* The reports count redeemed vouchers too (not voucher_state_live). */
    if (from == VOUCHER_TERMINATED || from == VOUCHER_EXPIRED) return YQ_OK;
    struct voucher v;
    rc = voucher_get(db, id, &v);
    return rc == YQ_OK ? counted(db, &v, -1) : rc;
}

int voucher_next_serial(struct db *db, const char *county, int year, int64_t *serial)
{
    *serial = 0;
    struct db_stmt *st = db_query(db,
                                  "SELECT last_serial FROM voucher_serials WHERE county_code = ?"
                                  " AND year = ?",
                                  "ti", county, (int64_t)year);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    int64_t last = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    if (rc < 0) return rc;
    return voucher_serial_after(db, county, year, rc == DB_ROW, last, serial);
}

int voucher_serial_after(struct db *db, const char *county, int year, bool row, int64_t last,
                         int64_t *serial)
{
    *serial = 0;
    /* Guarded by the number read, and queued: one row changes or the
     * transaction fails. */
    int rc;
    if (row)
        rc = db_run_queued(db, 1,
                           "UPDATE voucher_serials SET last_serial = ? WHERE county_code = ? AND"
                           " year = ? AND last_serial = ?",
                           "iti"
                           "i",
                           last + 1, county, (int64_t)year, last);
    else
        rc = db_run_queued(db, 1,
                           "INSERT INTO voucher_serials(county_code, year, last_serial) VALUES"
                           " (?,?,1)",
                           "ti", county, (int64_t)year);
    if (rc == YQ_OK) *serial = last + 1;
    return rc;
}

int vouchers_issue_reads(struct db *db, const char *enterprise_id, const char *program_id,
                         const char *county, int year, const char *pool,
                         struct voucher_issue_reads *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_query(
        db,
        "SELECT (SELECT COUNT(*) FROM vouchers WHERE enterprise_id = ? AND program_id = ?"
        " AND (status NOT IN ('terminated', 'expired')" /* two: no temp table */
        " OR redeemed_fen > 0 OR clawed_back_fen > 0)),"
        " (SELECT COUNT(*) FROM waitlist WHERE enterprise_id = ? AND program_id = ? AND"
        " status = 'waiting'),"
        " (SELECT credits_posted - debits_posted - debits_pending FROM ledger_accounts WHERE"
        " id = ?),"
        " (SELECT COUNT(*) FROM (SELECT 1 FROM waitlist WHERE county_code = ? AND"
        " status = 'waiting' LIMIT 1) AS w),"
        " (SELECT last_serial FROM voucher_serials WHERE county_code = ? AND year = ?)",
        "tttt"
        "t"
        "t"
        "ti",
        enterprise_id, program_id, enterprise_id, program_id, pool, county, county,
        (int64_t)year);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->enjoyed = db_col_int64(st, 0);
        out->queued = db_col_int64(st, 1);
        out->pool_open = !db_col_null(st, 2);
        out->available = out->pool_open ? db_col_int64(st, 2) : 0;
        out->county_waits = db_col_int64(st, 3) > 0;
        out->serial_row = !db_col_null(st, 4);
        out->last_serial = out->serial_row ? db_col_int64(st, 4) : 0;
    }
    db_finalize(st);
    return rc == DB_ROW ? YQ_OK : rc < 0 ? rc : YQ_ERR;
}

void voucher_ids_free(struct voucher_ids *ids)
{
    free(ids->id);
    ids->id = NULL;
    ids->n = 0;
}

static int collect(struct db_stmt *st, struct voucher_ids *out)
{
    size_t cap = 0;
    out->id = NULL;
    out->n = 0;
    if (!st) return YQ_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 32;
            out->id = yq_realloc(out->id, cap * sizeof *out->id);
        }
        rows_copy(out->id[out->n++], ID_LEN + 1, db_col_text(st, 0));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        voucher_ids_free(out);
        return rc < 0 ? rc : YQ_ERR;
    }
    return YQ_OK;
}

int vouchers_due(struct db *db, const char *cutoff, struct voucher_ids *out)
{
    return collect(db_query(db,
                            "SELECT id FROM vouchers WHERE status IN ('issued', 'partially_redeemed')"
                            " AND service_end < ? AND NOT EXISTS (SELECT 1 FROM redemption_items"
                            " i JOIN redemptions r ON r.id = i.redemption_id WHERE i.voucher_id ="
                            " vouchers.id AND i.active = 1 AND r.status NOT IN ('draft', 'paid',"
                            " 'rejected', 'withdrawn')) ORDER BY issued_at, id",
                            "t", cutoff),
                   out);
}

int vouchers_live_of_uscc(struct db *db, const char *uscc, struct voucher_ids *out)
{
    return collect(db_query(db,
                            "SELECT v.id FROM vouchers v WHERE v.status IN ('issued',"
                            " 'partially_redeemed') AND (v.enterprise_id IN (SELECT id FROM"
                            " enterprises WHERE uscc = ?) OR v.provider_id IN (SELECT id FROM"
                            " providers WHERE uscc = ?)) ORDER BY v.issued_at, v.id",
                            "tt", uscc, uscc),
                   out);
}

#define VOUCHER_SELECT                                                                             \
    "v.id, v.code, v.program_id, pr.name AS program_name, v.contract_id, v.enterprise_id,"         \
    " e.name AS enterprise_name, v.provider_id, p.name AS provider_name, v.county_code,"           \
    " c.name AS county_name, v.issue_year, v.issued_at, v.amount_fen, v.redeemed_fen,"             \
    " v.status, v.service_end, v.closed_at, v.close_reason, v.clawed_back_fen"
#define VOUCHER_FROM                                                                               \
    "FROM vouchers v JOIN enterprises e ON e.id = v.enterprise_id JOIN providers p ON"             \
    " p.id = v.provider_id JOIN counties c ON c.code = v.county_code JOIN programs pr ON"          \
    " pr.id = v.program_id"

json_t *vouchers_page(struct db *db, const struct row_scope *s, const struct list_filter *f,
                      int64_t offset, int64_t limit)
{
    struct rows_where w;
    rows_where_init(&w);
    scope_where(&w, s, "v");
    char q[220];
    if (f->status) rows_where_text(&w, "v.status = ?", f->status, 1);
    if (f->county) rows_where_text(&w, "v.county_code = ?", f->county, 1);
    if (f->q) {
        rows_like(q, sizeof q, f->q);
        rows_where_text(&w,
                        "(v.code LIKE ? ESCAPE '\\' OR e.name LIKE ? ESCAPE '\\' OR e.uscc LIKE ?"
                        " ESCAPE '\\')",
                        q, 3);
    }
    list_filter_instants(&w, f, "v.issued_at");
    json_t *r =
        rows_page(db, VOUCHER_SELECT, VOUCHER_FROM, &w, "v.issued_at DESC, v.id", offset, limit);
    rows_where_cleanup(&w);
    return r;
}

int voucher_view(struct db *db, const struct row_scope *s, const char *id, json_t **out)
{
    *out = NULL;
    struct rows_where w;
    rows_where_init(&w);
    rows_where_text(&w, "v.id = ?", id, 1);
    scope_where(&w, s, "v");
    json_t *r = rows_page(db, VOUCHER_SELECT ", v.calc_json, v.verify_token", VOUCHER_FROM, &w,
                          "v.id", 0, 1);
    rows_where_cleanup(&w);
    if (!r) return YQ_ERR;
    json_t *v = json_array_get(json_object_get(r, "items"), 0);
    if (v) *out = json_incref(v);
    json_decref(r);
    return v ? YQ_OK : YQ_ENOTFOUND;
}

int voucher_public_get(struct db *db, const char *code, struct voucher_public *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st =
        db_query(db,
                 "SELECT v.code, v.amount_fen, v.redeemed_fen, v.status, v.issue_year,"
                 " v.issued_at, v.service_end, e.name, p.name, c.name, pr.name, v.verify_token,"
                 " v.clawed_back_fen"
                 " FROM vouchers v JOIN enterprises e ON e.id = v.enterprise_id JOIN providers p"
                 " ON p.id = v.provider_id JOIN counties c ON c.code = v.county_code JOIN"
                 " programs pr ON pr.id = v.program_id WHERE v.code = ?",
                 "t", code);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        struct {
            char *dst;
            size_t n;
            int col;
        } texts[] = {{out->code, sizeof out->code, 0},
                     {out->service_end, sizeof out->service_end, 6},
                     {out->holder, sizeof out->holder, 7},
                     {out->provider_name, sizeof out->provider_name, 8},
                     {out->county_name, sizeof out->county_name, 9},
                     {out->program_name, sizeof out->program_name, 10},
                     {out->verify_token, sizeof out->verify_token, 11}};
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
            const char *t = db_col_text(st, texts[i].col);
            size_t len = t ? strlen(t) : 0;
            if (len >= texts[i].n) {
                rc = YQ_ERR;
                break;
            }
            if (len) memcpy(texts[i].dst, t, len);
            texts[i].dst[len] = '\0';
        }
        out->amount_fen = db_col_int64(st, 1);
        out->redeemed_fen = db_col_int64(st, 2);
        out->clawed_back_fen = db_col_int64(st, 12);
        out->issue_year = (int)db_col_int64(st, 4);
        out->issued_at = db_col_int64(st, 5);
        if (voucher_state_parse(db_col_text(st, 3), &out->state) != YQ_OK) rc = YQ_ERR;
    }
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

int public_throttle_hit(struct db *db, const char *key, int64_t now, int64_t window_ms,
                        int64_t *hits)
{
    struct db_stmt *st =
        db_query(db, "SELECT window_start, hits FROM public_throttle WHERE key = ?", "t", key);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    int64_t start = rc == DB_ROW ? db_col_int64(st, 0) : 0,
            n = rc == DB_ROW ? db_col_int64(st, 1) : 0;
    db_finalize(st);
    if (rc < 0) return rc;
    if (rc == DB_DONE) {
        *hits = 1;
        return db_run(db, "INSERT INTO public_throttle(key, window_start, hits) VALUES (?,?,1)",
                      "ti", key, now);
    }
    if (now - start >= window_ms) {
        *hits = 1;
        return db_run(db, "UPDATE public_throttle SET window_start = ?, hits = 1 WHERE key = ?",
                      "it", now, key);
    }
    *hits = n + 1;
    return db_run(db, "UPDATE public_throttle SET hits = hits + 1 WHERE key = ?", "t", key);
}
