/* Notice and objection records (see notices.h). */
#include "store/notices.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

static int guarded(struct db *db, int rc)
{
    if (rc != YQ_OK) return rc;
    return db_changes(db) == 1 ? YQ_OK : YQ_ECONFLICT;
}

static int found(int rc)
{
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

int notice_get(struct db *db, const char *id, struct notice *n)
{
    memset(n, 0, sizeof *n);
    struct db_stmt *st =
        db_query(db,
                 "SELECT id, county_code, opens_on, close_day, working_days, status,"
                 " created_at, closed_at, notice_no FROM notices WHERE id = ?",
                 "t", id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        rows_copy(n->id, sizeof n->id, db_col_text(st, 0));
        rows_copy(n->county_code, sizeof n->county_code, db_col_text(st, 1));
        rows_copy(n->opens_on, sizeof n->opens_on, db_col_text(st, 2));
        rows_copy(n->close_day, sizeof n->close_day, db_col_text(st, 3));
        n->working_days = (int)db_col_int64(st, 4);
        n->open = strcmp(db_col_text(st, 5), "open") == 0;
        n->created_at = db_col_int64(st, 6);
        n->closed_at = db_col_null(st, 7) ? 0 : db_col_int64(st, 7);
        rows_copy(n->notice_no, sizeof n->notice_no, db_col_text(st, 8));
    }
    db_finalize(st);
    return found(rc);
}

int notice_insert(struct db *db, const struct notice *n, const char *by)
{
    return db_run(db,
                  "INSERT INTO notices(id, notice_no, county_code, opens_on, close_day,"
                  " working_days, status, created_by, created_at) VALUES (?,?,?,?,?,?,'open',?,?)",
                  "ttttt"
                  "i"
                  "ti",
                  n->id, n->notice_no, n->county_code, n->opens_on, n->close_day,
                  (int64_t)n->working_days, by, n->created_at);
}

int notice_close(struct db *db, const char *id, const char *by, int64_t at)
{
    return guarded(db, db_run(db,
                              "UPDATE notices SET status = 'closed', closed_by = ?, closed_at = ?"
                              " WHERE id = ? AND status = 'open'",
                              "tit", by, at, id));
}

int notice_add_redemption(struct db *db, const char *notice_id, const char *redemption_id,
                          int64_t at)
{
    return guarded(db, db_run(db,
                              "UPDATE redemptions SET status = 'in_notice', notice_id = ?,"
                              " updated_at = ? WHERE id = ? AND status = 'approved'",
                              "tit", notice_id, at, redemption_id));
}

int notice_remove_redemption(struct db *db, const char *redemption_id, const char *to,
                             int64_t at)
{
    /* Back to review: the annulled approval's figures go with it. */
    int rc = guarded(db, db_run(db,
                                "UPDATE redemptions SET status = ?, notice_id = NULL, approved_fen ="
                                " 0, updated_at = ? WHERE id = ? AND status = 'in_notice'",
                                "tit", to, at, redemption_id));
    if (rc == YQ_OK)
        rc = db_run(db,
                    "UPDATE redemption_items SET approved_fen = 0, adjustment_fen = 0,"
                    " adjustment_reason = NULL WHERE redemption_id = ?",
                    "t", redemption_id);
    return rc;
}

int notice_close_redemptions(struct db *db, const char *notice_id, int64_t at, int64_t *n)
{
    int rc = db_run(db,
                    "UPDATE redemptions SET status = 'noticed', updated_at = ? WHERE notice_id = ?"
                    " AND status = 'in_notice'",
                    "it", at, notice_id);
    *n = rc == YQ_OK ? db_changes(db) : 0;
    return rc;
}

int notice_open_objections(struct db *db, const char *notice_id, int64_t *n)
{
    return rows_int(db, n,
                    "SELECT COUNT(*) FROM objections WHERE notice_id = ? AND status = 'open'", "t",
                    notice_id);
}

int notice_items_count(struct db *db, const char *notice_id, int64_t *n)
{
    return rows_int(db, n, "SELECT COUNT(*) FROM redemptions WHERE notice_id = ?", "t", notice_id);
}

int notice_redemption_of_code(struct db *db, const char *notice_id, const char *code,
                              char redemption_id[ID_LEN + 1])
{
    struct db_stmt *st = db_query(db,
                                  "SELECT r.id FROM redemptions r JOIN redemption_items i ON"
                                  " i.redemption_id = r.id JOIN vouchers v ON v.id = i.voucher_id"
                                  " WHERE r.notice_id = ? AND v.code = ?",
                                  "tt", notice_id, code);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) rows_copy(redemption_id, ID_LEN + 1, db_col_text(st, 0));
    db_finalize(st);
    return found(rc);
}

int objection_insert(struct db *db, const struct objection *o, const char *name,
                     const char *contact, const char *text, const char *client_addr, int64_t at)
{
    return db_run(
        db,
        "INSERT INTO objections(id, notice_id, redemption_id, voucher_code, name, contact,"
        " text, client_addr, status, created_at) VALUES (?,?,?,?,?,?,?,?,'open',?)",
        "tttt"
        "tttt"
        "i",
        o->id, o->notice_id, o->redemption_id[0] ? o->redemption_id : NULL,
        o->voucher_code[0] ? o->voucher_code : NULL, name, contact, text, client_addr, at);
}

int objections_from(struct db *db, const char *client_addr, int64_t since, int64_t *n)
{
    return rows_int(db, n,
                    "SELECT COUNT(*) FROM objections WHERE client_addr = ? AND created_at >= ?",
                    "ti", client_addr, since);
}

int objection_get(struct db *db, const char *id, struct objection *o)
{
    memset(o, 0, sizeof *o);
    struct db_stmt *st = db_query(db,
                                  "SELECT id, notice_id, redemption_id, voucher_code, status FROM"
                                  " objections WHERE id = ?",
                                  "t", id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        rows_copy(o->id, sizeof o->id, db_col_text(st, 0));
        rows_copy(o->notice_id, sizeof o->notice_id, db_col_text(st, 1));
        rows_copy(o->redemption_id, sizeof o->redemption_id, db_col_text(st, 2));
        rows_copy(o->voucher_code, sizeof o->voucher_code, db_col_text(st, 3));
        o->open = strcmp(db_col_text(st, 4), "open") == 0;
    }
    db_finalize(st);
    return found(rc);
}

int objection_resolve(struct db *db, const char *id, const char *status, const char *resolution,
                      const char *by, int64_t at, const char *redemption_id, const char *code)
{
    return guarded(db, db_run(db,
                              "UPDATE objections SET status = ?, resolution = ?, resolved_by = ?,"
                              " resolved_at = ?, redemption_id = COALESCE(redemption_id, ?),"
                              " voucher_code = COALESCE(voucher_code, ?) WHERE id = ? AND status ="
                              " 'open'",
                              "ttt" "i" "ttt", status, resolution, by, at, redemption_id, code, id));
}

json_t *notices_page(struct db *db, const struct row_scope *s, const struct list_filter *f,
                     const char *period, int64_t offset, int64_t limit)
{
    struct rows_where w;
    char q[220]; /* bound by pointer until the query ran */
    rows_where_init(&w);
    if (s && !s->all) {
        if (s->ncounties > 0)
            rows_where_in(&w, "n.county_code", s->counties, s->ncounties);
        else
            rows_where_sql(&w, "1 = 0");
    }
    if (f && f->status) rows_where_text(&w, "n.status = ?", f->status, 1);
    if (f && f->county) rows_where_text(&w, "n.county_code = ?", f->county, 1);
    if (f && f->q) {
        rows_like(q, sizeof q, f->q);
        rows_where_text(&w,
                        "(n.notice_no LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM redemptions r"
                        " JOIN providers p ON p.id = r.provider_id WHERE r.notice_id = n.id AND"
                        " (p.name LIKE ? ESCAPE '\\' OR p.uscc LIKE ? ESCAPE '\\')))",
                        q, 3);
    }
    if (f) list_filter_days(&w, f, "n.opens_on");
    if (period)
        rows_where_text(&w,
                        "EXISTS (SELECT 1 FROM redemptions r WHERE r.notice_id = n.id AND"
                        " r.period = ?)",
                        period, 1);
    json_t *r = rows_page(db,
                          "n.id, n.notice_no, n.county_code, k.name AS county_name, n.opens_on,"
                          " n.close_day,"
                          " n.working_days, n.status, n.created_at, n.closed_at,"
                          " (SELECT COUNT(*) FROM redemption_items i JOIN redemptions r ON r.id ="
                          " i.redemption_id WHERE r.notice_id = n.id) AS items_count,"
                          " (SELECT COALESCE(SUM(r.approved_fen), 0) FROM redemptions r WHERE"
                          " r.notice_id = n.id) AS total_fen,"
                          " (SELECT COUNT(*) FROM objections o WHERE o.notice_id = n.id AND"
                          " o.status = 'open') AS open_objections",
                          "FROM notices n JOIN counties k ON k.code = n.county_code", &w,
                          "n.opens_on DESC, n.id", offset, limit);
    rows_where_cleanup(&w);
    return r;
}

json_t *notice_view(struct db *db, const char *id, bool public_view)
{
    json_t *n = NULL;
    if (rows_one(db, &n,
                 "SELECT n.id, n.notice_no, n.county_code, k.name AS county_name, n.opens_on,"
                 " n.close_day, n.working_days, n.status, n.created_by, n.created_at,"
                 " n.closed_by, n.closed_at FROM notices n JOIN counties k ON k.code ="
                 " n.county_code WHERE n.id = ?",
                 "t", id) != YQ_OK)
        return NULL;
    json_t *items = rows_all(db,
                             "SELECT r.id AS redemption_id, p.name AS provider_name, e.name AS"
                             " enterprise_name, v.code AS voucher_code, i.approved_fen FROM"
                             " redemptions r JOIN redemption_items i ON i.redemption_id = r.id JOIN"
                             " vouchers v ON v.id = i.voucher_id JOIN enterprises e ON e.id ="
                             " v.enterprise_id JOIN providers p ON p.id = r.provider_id WHERE"
                             " r.notice_id = ? ORDER BY p.name, v.code",
                             "t", id);
    json_t *obj =
        items ? rows_all(db,
                         public_view ? "SELECT id, voucher_code, status, resolution,"
                                       " created_at, resolved_at FROM objections WHERE notice_id"
                                       " = ? ORDER BY created_at"
                                     : "SELECT id, redemption_id, voucher_code, name, contact,"
                                       " text, status, resolution, resolved_by, created_at,"
                                       " resolved_at FROM objections WHERE notice_id = ? ORDER BY"
                                       " created_at",
                         "t", id)
              : NULL;
    if (!items || !obj) {
        json_decref(n);
        json_decref(items);
        json_decref(obj);
        return NULL;
    }
    if (public_view) {
        json_object_del(n, "created_by");
        json_object_del(n, "closed_by");
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it) json_object_del(it, "redemption_id");
    } else {
        /* The applications on the notice. */
        json_t *ids = json_array();
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            const char *rid = json_string_value(json_object_get(it, "redemption_id"));
            bool seen = false;
            size_t k;
            json_t *x;
            json_array_foreach(ids, k, x) if (strcmp(json_string_value(x), rid) == 0) seen = true;
            if (!seen) json_array_append_new(ids, json_string(rid));
        }
        json_object_set_new(n, "redemption_ids", ids);
    }
    json_object_set_new(n, "items", items);
    json_object_set_new(n, "objections", obj);
    return n;
}

int notices_open_objections_count(struct db *db, const struct row_scope *s, int64_t *n)
{
    struct rows_where w;
    rows_where_init(&w);
    if (s && !s->all) {
        if (s->ncounties > 0)
            rows_where_in(&w, "n.county_code", s->counties, s->ncounties);
        else
            rows_where_sql(&w, "1 = 0");
    }
    rows_where_sql(&w, "o.status = 'open'");
    json_t *r = rows_page(db, "o.id", "FROM objections o JOIN notices n ON n.id = o.notice_id", &w,
                          "o.id", 0, 1);
    rows_where_cleanup(&w);
    if (!r) return YQ_ERR;
    *n = json_integer_value(json_object_get(r, "total"));
    json_decref(r);
    return YQ_OK;
}
