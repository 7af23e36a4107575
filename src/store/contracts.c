/* Contract records (see contracts.h). */
#include "store/contracts.h"
#include "core/dashboard.h"
#include "core/status.h"
#include "store/rows.h"
#include "store/stats.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define CONTRACT_COLUMNS                                                                           \
    "id, program_id, enterprise_id, provider_id, county_code, contract_no, signed_on,"             \
    " service_start, service_end, total_fen, base_fen, status, drafted_by_role, drafted_by,"       \
    " confirmed_at, closed_at, created_at, updated_at, confirmed_by, closed_by, close_reason"

static int64_t num(struct db_stmt *st, int col)
{
    return db_col_null(st, col) ? 0 : db_col_int64(st, col);
}

static int row_to_contract(struct db_stmt *st, struct contract *c)
{
    memset(c, 0, sizeof *c);
    rows_copy(c->id, sizeof c->id, db_col_text(st, 0));
    rows_copy(c->program_id, sizeof c->program_id, db_col_text(st, 1));
    rows_copy(c->enterprise_id, sizeof c->enterprise_id, db_col_text(st, 2));
    rows_copy(c->provider_id, sizeof c->provider_id, db_col_text(st, 3));
    rows_copy(c->county_code, sizeof c->county_code, db_col_text(st, 4));
    rows_copy(c->contract_no, sizeof c->contract_no, db_col_text(st, 5));
    rows_copy(c->signed_on, sizeof c->signed_on, db_col_text(st, 6));
    rows_copy(c->service_start, sizeof c->service_start, db_col_text(st, 7));
    rows_copy(c->service_end, sizeof c->service_end, db_col_text(st, 8));
    c->total_fen = num(st, 9);
    c->base_fen = num(st, 10);
    int state = contract_state_parse(db_col_text(st, 11));
    rows_copy(c->drafted_by_role, sizeof c->drafted_by_role, db_col_text(st, 12));
    rows_copy(c->drafted_by, sizeof c->drafted_by, db_col_text(st, 13));
    c->confirmed_at = num(st, 14);
    c->closed_at = num(st, 15);
    c->created_at = num(st, 16);
    c->updated_at = num(st, 17);
    rows_copy(c->confirmed_by, sizeof c->confirmed_by, db_col_text(st, 18));
    rows_copy(c->closed_by, sizeof c->closed_by, db_col_text(st, 19));
    rows_copy(c->close_reason, sizeof c->close_reason, db_col_text(st, 20));
    if (state < 0) return YQ_ERR;
    c->state = (enum contract_state)state;
    return YQ_OK;
}

int contract_get(struct db *db, const char *id, struct contract *out)
{
    struct db_stmt *st =
        db_query(db, "SELECT " CONTRACT_COLUMNS " FROM contracts WHERE id = ?", "t", id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW)
        rc = row_to_contract(st, out);
    else if (rc == DB_DONE)
        rc = YQ_ENOTFOUND;
    db_finalize(st);
    return rc;
}

int contract_insert(struct db *db, const struct contract *c, const struct contract_line *lines,
                    size_t n)
{
    int rc = db_run(db,
                    "INSERT INTO contracts(id, program_id, enterprise_id, provider_id, county_code,"
                    " contract_no, signed_on, service_start, service_end, total_fen, base_fen,"
                    " status, drafted_by_role, drafted_by, created_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    "ttttt"
                    "tttt"
                    "ii"
                    "ttt"
                    "ii",
                    c->id, c->program_id, c->enterprise_id, c->provider_id, c->county_code,
                    c->contract_no, c->signed_on, c->service_start, c->service_end, c->total_fen,
                    c->base_fen, contract_state_name(c->state), c->drafted_by_role, c->drafted_by,
                    c->created_at, c->updated_at);
    for (size_t i = 0; rc == YQ_OK && i < n; i++) {
        const struct contract_line *l = &lines[i];
        struct db_stmt *st = db_prepare(
            db, "INSERT INTO contract_lines(contract_id, line_no, catalog_item_id, catalog_version,"
                " description, quantity, unit, unit_price_fen, amount_fen)"
                " VALUES (?,?,?,?,?,?,?,?,?)");
        if (!st) return YQ_ERR;
        db_bind_text(st, 1, c->id);
        db_bind_int64(st, 2, (int64_t)i + 1);
        if (l->catalog_item_id[0]) {
            db_bind_text(st, 3, l->catalog_item_id);
            db_bind_int64(st, 4, l->catalog_version);
        } else {
            db_bind_null(st, 3);
            db_bind_null(st, 4);
        }
        db_bind_text(st, 5, l->description);
        db_bind_int64(st, 6, l->quantity);
        db_bind_text(st, 7, l->unit);
        db_bind_int64(st, 8, l->unit_price_fen);
        db_bind_int64(st, 9, l->amount_fen);
        rc = db_step(st);
        db_finalize(st);
        rc = rc == DB_DONE ? YQ_OK : rc < 0 ? rc : YQ_ERR;
    }
    return rc;
}

/* One row changed, or the guard did not hold. */
static int guarded(struct db *db, int rc)
{
    if (rc != YQ_OK) return rc;
    int64_t n = db_changes(db);
    assert(n <= 1);
    return n == 1 ? YQ_OK : YQ_ECONFLICT;
}

/* What the read model of an enterprise in a county rests on, in one
 * statement: its confirmed contracts with catalog services in `year`'s
 * months (*in_year), the first of them ever (*now false when none) and
 * the row of enterprise_on_cloud as it stands (*was false when none). */
struct on_cloud {
    int64_t in_year, at, old;
    bool now, was;
};

static int on_cloud_read(struct db *db, const struct contract *c, int year, struct on_cloud *o)
{
    int64_t from[DASHBOARD_MONTHS], to[DASHBOARD_MONTHS];
    dashboard_months(year, from, to);
    struct db_stmt *st = db_query(
        db,
        "SELECT (SELECT COUNT(*) FROM contracts WHERE enterprise_id = ? AND county_code = ? AND"
        " status = 'confirmed' AND base_fen > 0 AND confirmed_at >= ? AND confirmed_at < ?),"
        " (SELECT MIN(confirmed_at) FROM contracts WHERE enterprise_id = ? AND county_code = ?"
        " AND status = 'confirmed' AND base_fen > 0),"
        " (SELECT first_at FROM enterprise_on_cloud WHERE county_code = ? AND enterprise_id = ?)",
        "ttii"
        "tttt",
        c->enterprise_id, c->county_code, from[0], to[DASHBOARD_MONTHS - 1], c->enterprise_id,
        c->county_code, c->county_code, c->enterprise_id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        o->in_year = db_col_int64(st, 0);
        o->now = !db_col_null(st, 1);
        o->at = o->now ? db_col_int64(st, 1) : 0;
        o->was = !db_col_null(st, 2);
        o->old = o->was ? db_col_int64(st, 2) : 0;
    }
    db_finalize(st);
    return rc == DB_ROW ? YQ_OK : (rc < 0 ? rc : YQ_ERR);
}

/* The counters of a confirmed contract's month (China time) and year
 * after it was confirmed (sign 1) or closed (sign -1): the month's
 * contracts, and the year's enterprises with one when it is the
 * enterprise's first (or was its last) in that county and year. */
static int counters_move(struct db *db, const struct contract *c, int sign, int year, int month,
                         int64_t in_year)
{
    int rc = stats_month_add(db, c->county_code, year, month, sign, 0, 0, 0);
    if (rc == YQ_OK && in_year == (sign > 0 ? 1 : 0))
        rc = stats_year_add(db, c->county_code, year, sign);
    return rc;
}

/* Moves an enterprise's on-cloud instant in the month counters. */
static int on_cloud_move(struct db *db, const char *county, bool was, int64_t old, bool now,
                         int64_t at)
{
    int year, month, rc = YQ_OK;
    if (was) {
        dashboard_month_of(old, &year, &month);
        rc = stats_month_add(db, county, year, month, 0, -1, 0, 0);
    }
    if (rc == YQ_OK && now) {
        dashboard_month_of(at, &year, &month);
        rc = stats_month_add(db, county, year, month, 0, 1, 0, 0);
    }
    return rc;
}

/* Brings the read model of the city reports to what the contracts now
 * say after contract `id` was confirmed (sign 1) or closed from confirmed
 * (sign -1), in the caller's transaction: its (county, enterprise) row of
 * enterprise_on_cloud, each write guarded by the value read and changing
 * one row (or YQ_ECONFLICT), and the counters (store/stats.h). A contract
 * without catalog services counts nowhere. */
static int refresh_with(struct db *db, const struct contract *cp, int sign)
{
    const struct contract c = *cp;
    if (c.base_fen <= 0 || sign == 0) return YQ_OK;
    int year, month;
    dashboard_month_of(c.confirmed_at, &year, &month);
    struct on_cloud o;
    int rc = on_cloud_read(db, &c, year, &o);
    if (rc == YQ_OK) rc = counters_move(db, &c, sign, year, month, o.in_year);
    if (rc != YQ_OK || (o.now == o.was && o.at == o.old)) return rc;
    /* Queued (db_run_queued): each changes one row or the transaction
     * fails; on PostgreSQL they travel with the next statement. */
    if (!o.was)
        rc = db_run_queued(db, 1,
                           "INSERT INTO enterprise_on_cloud(county_code, enterprise_id,"
                           " first_at) VALUES (?,?,?)",
                           "tti", c.county_code, c.enterprise_id, o.at);
    else if (!o.now)
        rc = db_run_queued(db, 1,
                           "DELETE FROM enterprise_on_cloud WHERE county_code = ? AND"
                           " enterprise_id = ? AND first_at = ?",
                           "tti", c.county_code, c.enterprise_id, o.old);
    else
        rc = db_run_queued(db, 1,
                           "UPDATE enterprise_on_cloud SET first_at = ? WHERE county_code = ?"
                           " AND enterprise_id = ? AND first_at = ?",
                           "itti", o.at, c.county_code, c.enterprise_id, o.old);
    return rc == YQ_OK ? on_cloud_move(db, c.county_code, o.was, o.old, o.now, o.at) : rc;
}

static int read_model_refresh(struct db *db, const char *id, int sign)
{
    struct contract c;
    int rc = contract_get(db, id, &c);
    return rc == YQ_OK ? refresh_with(db, &c, sign) : rc;
}

int contract_confirm(struct db *db, const struct contract *draft, int64_t at, const char *by)
{
    const char *id = draft->id;
    /* Guarded and queued: the draft read in this transaction under its
     * county's lock changes one row, or the transaction fails. */
    int rc = db_run_queued(db, 1,
                           "UPDATE contracts SET status = 'confirmed', confirmed_at = ?,"
                           " confirmed_by = ?, updated_at = ? WHERE id = ? AND status ="
                           " 'draft'",
                           "iti"
                           "t",
                           at, by, at, id);
    if (rc != YQ_OK) return rc;
    /* What the update changed, on the caller's copy (read in this
     * transaction): the contract is not read again. */
    struct contract c = *draft;
    c.state = CONTRACT_CONFIRMED;
    c.confirmed_at = at;
    c.updated_at = at;
    return refresh_with(db, &c, 1);
}

int contract_close(struct db *db, const char *id, enum contract_state from, enum contract_state to,
                   int64_t at, const char *by, const char *reason)
{
    assert(to == CONTRACT_CANCELLED || to == CONTRACT_TERMINATED);
    int rc = guarded(db, db_run(db,
                                "UPDATE contracts SET status = ?, closed_at = ?, closed_by = ?,"
                                " close_reason = ?, updated_at = ? WHERE id = ? AND status = ?",
                                "tit"
                                "tit"
                                "t",
                                contract_state_name(to), at, by, reason, at, id,
                                contract_state_name(from)));
    return rc == YQ_OK ? read_model_refresh(db, id, from == CONTRACT_CONFIRMED ? -1 : 0) : rc;
}

void contract_county(struct db *db, const char *id, char *out, size_t n)
{
    out[0] = '\0';
    /* A contract of another county than its enterprise's (drafted before
     * the enterprise moved) belongs to no one county. */
    struct db_stmt *st = db_query(db,
                                  "SELECT c.county_code FROM contracts c JOIN enterprises e ON"
                                  " e.id = c.enterprise_id AND e.county_code = c.county_code"
                                  " WHERE c.id = ?",
                                  "t", id);
    if (!st) return;
    if (db_step(st) == DB_ROW && db_col_text(st, 0)) snprintf(out, n, "%s", db_col_text(st, 0));
    db_finalize(st);
}

struct db_stmt *contracts_last_confirmed_send(struct db *db, const char *county)
{
    /* Only a confirmed, cancelled or terminated contract has a
     * confirmed_at; each status's latest is one step down the index
     * contracts_county_status (county, status, confirmed_at). */
    return db_send_ahead(
        db_query(db,
                 "SELECT MAX(m) FROM (SELECT MAX(confirmed_at) AS m FROM contracts WHERE"
                 " county_code = ? AND status = 'confirmed' UNION ALL SELECT MAX(confirmed_at)"
                 " FROM contracts WHERE county_code = ? AND status = 'cancelled' UNION ALL"
                 " SELECT MAX(confirmed_at) FROM contracts WHERE county_code = ? AND status ="
                 " 'terminated') AS x",
                 "ttt", county, county, county));
}

int contracts_last_confirmed_take(struct db_stmt *st, int64_t *out)
{
    *out = 0;
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW && !db_col_null(st, 0)) *out = db_col_int64(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? YQ_OK : rc < 0 ? rc : YQ_ERR;
}

int contract_catalog_ref(struct db *db, const char *item_id, struct catalog_ref *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st =
        db_query(db,
                 "SELECT i.id, i.provider_id, i.status, i.published_version, v.name, v.unit,"
                 " v.list_price_fen, v.valid_from, v.valid_until FROM catalog_items i LEFT JOIN"
                 " catalog_item_versions v ON v.item_id = i.id AND v.version = i.published_version"
                 " WHERE i.id = ?",
                 "t", item_id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        rows_copy(out->id, sizeof out->id, db_col_text(st, 0));
        rows_copy(out->provider_id, sizeof out->provider_id, db_col_text(st, 1));
        out->published = strcmp(db_col_text(st, 2), "published") == 0 && !db_col_null(st, 4);
        out->version = num(st, 3);
        rows_copy(out->name, sizeof out->name, db_col_text(st, 4));
        rows_copy(out->unit, sizeof out->unit, db_col_text(st, 5));
        out->list_price_fen = num(st, 6);
        rows_copy(out->valid_from, sizeof out->valid_from, db_col_text(st, 7));
        rows_copy(out->valid_until, sizeof out->valid_until, db_col_text(st, 8));
    }
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

int contract_attachment_add(struct db *db, const char *contract_id, const char *sha256,
                            const char *filename, const char *content_type, int64_t size,
                            const char *by, int64_t at, bool *added)
{
    int64_t exists = 0;
    *added = false;
    int rc =
        rows_int(db, &exists,
                 "SELECT COUNT(*) FROM contract_attachments WHERE contract_id = ? AND sha256 = ?",
                 "tt", contract_id, sha256);
    if (rc != YQ_OK || exists) return rc;
    rc =
        db_run(db,
               "INSERT INTO contract_attachments(contract_id, sha256, filename, content_type, size,"
               " uploaded_by, uploaded_at) VALUES (?,?,?,?,?,?,?)",
               "tttt"
               "iti",
               contract_id, sha256, filename, content_type, size, by, at);
    *added = rc == YQ_OK;
    return rc;
}

int contract_attachment_get(struct db *db, const char *contract_id, const char *sha256,
                            char content_type[64], char filename[256])
{
    struct db_stmt *st = db_query(db,
                                  "SELECT content_type, filename FROM contract_attachments WHERE"
                                  " contract_id = ? AND sha256 = ?",
                                  "tt", contract_id, sha256);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        rows_copy(content_type, 64, db_col_text(st, 0));
        rows_copy(filename, 256, db_col_text(st, 1));
    }
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

/* The lines and attachments, onto o. The two reads are sent ahead
 * together, with any sent before them: one round trip on PostgreSQL. */
static int documents(struct db *db, const struct contract *c, json_t *o)
{
    struct db_stmt *lines = db_query(db,
                                     "SELECT * FROM contract_lines WHERE contract_id = ? ORDER BY"
                                     " line_no",
                                     "t", c->id),
                   *att = db_query(db,
                                   "SELECT sha256, filename, content_type, size, uploaded_by FROM"
                                   " contract_attachments WHERE contract_id = ? ORDER BY"
                                   " uploaded_at",
                                   "t", c->id);
    db_send_ahead(lines);
    db_send_ahead(att);
    json_t *l = rows_every(lines), *a = rows_every(att);
    if (!l || !a) {
        json_decref(l);
        json_decref(a);
        return YQ_ERR;
    }
    json_object_set_new(o, "lines", l);
    json_object_set_new(o, "attachments", a);
    return YQ_OK;
}

int contract_view_documents(struct db *db, const struct contract *c, json_t *o)
{
    char name[256] = "";
    struct db_stmt *st =
        db_query(db, "SELECT name FROM counties WHERE code = ?", "t", c->county_code);
    if (!st) return YQ_ERR;
    db_send_ahead(st); /* answered with the documents' reads */
    int rc = documents(db, c, o);
    if (rc == YQ_OK) rc = db_step(st);
    if (rc == DB_ROW) rows_copy(name, sizeof name, db_col_text(st, 0));
    db_finalize(st);
    if (rc != DB_ROW) return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
    json_object_set_new(o, "county_name", json_string(name));
    return YQ_OK;
}

json_t *contract_view(struct db *db, const struct contract *c)
{
    json_t *o = json_object(), *names = NULL, *v = NULL, *w = NULL;
    int rc = rows_one(db, &names,
                      "SELECT e.name AS enterprise_name, p.name AS provider_name, k.name AS"
                      " county_name FROM enterprises e, providers p, counties k WHERE e.id = ? AND"
                      " p.id = ? AND k.code = ?",
                      "ttt", c->enterprise_id, c->provider_id, c->county_code);
    if (rc != YQ_OK) goto fail;
    json_object_update(o, names);
    json_decref(names);
    if (documents(db, c, o) != YQ_OK) goto fail;
    rc = rows_one(db, &v, "SELECT id, code, amount_fen, status FROM vouchers WHERE contract_id = ?",
                  "t", c->id);
    if (rc != YQ_OK && rc != YQ_ENOTFOUND) goto fail;
    json_object_set_new(o, "voucher", v ? v : json_null());
    rc = rows_one(db, &w,
                  "SELECT w.id, w.amount_fen, w.position, w.status, w.close_reason,"
                  " (SELECT COUNT(*) FROM waitlist o WHERE o.county_code = w.county_code AND"
                  " o.program_id = w.program_id AND o.status = 'waiting' AND o.position <"
                  " w.position) AS ahead FROM waitlist w WHERE w.contract_id = ?",
                  "t", c->id);
    if (rc != YQ_OK && rc != YQ_ENOTFOUND) goto fail;
    json_object_set_new(o, "waitlist", w ? w : json_null());
    return o;
fail:
    json_decref(o);
    return NULL;
}

json_t *contracts_page(struct db *db, const struct row_scope *s, const struct list_filter *f,
                       int64_t offset, int64_t limit)
{
    struct rows_where w;
    rows_where_init(&w);
    scope_where(&w, s, "c");
    char q[220];
    if (f->status) rows_where_text(&w, "c.status = ?", f->status, 1);
    if (f->county) rows_where_text(&w, "c.county_code = ?", f->county, 1);
    if (f->q) {
        rows_like(q, sizeof q, f->q);
        rows_where_text(&w,
                        "(c.contract_no LIKE ? ESCAPE '\\' OR e.name LIKE ? ESCAPE '\\' OR e.uscc"
                        " LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')",
                        q, 4);
    }
    list_filter_days(&w, f, "c.signed_on");
    json_t *r = rows_page(db,
                          "c.id, c.contract_no, c.program_id, c.enterprise_id, e.name AS"
                          " enterprise_name, c.provider_id, p.name AS provider_name, c.county_code,"
                          " c.signed_on, c.service_start, c.service_end, c.total_fen, c.base_fen,"
                          " c.status, c.drafted_by_role, c.confirmed_at, c.created_at",
                          "FROM contracts c JOIN enterprises e ON e.id = c.enterprise_id JOIN"
                          " providers p ON p.id = c.provider_id",
                          &w, "c.created_at DESC, c.id", offset, limit);
    rows_where_cleanup(&w);
    return r;
}

json_t *contract_json(const struct contract *c)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s,"
                  " s:I, s:I}",
                  "id", c->id, "program_id", c->program_id, "enterprise_id", c->enterprise_id,
                  "provider_id", c->provider_id, "county_code", c->county_code, "contract_no",
                  c->contract_no, "signed_on", c->signed_on, "service_start", c->service_start,
                  "service_end", c->service_end, "total_fen", (json_int_t)c->total_fen, "base_fen",
                  (json_int_t)c->base_fen, "status", contract_state_name(c->state),
                  "drafted_by_role", c->drafted_by_role, "drafted_by", c->drafted_by, "created_at",
                  (json_int_t)c->created_at, "updated_at", (json_int_t)c->updated_at);
    json_object_set_new(o, "confirmed_at",
                        c->confirmed_at ? json_integer(c->confirmed_at) : json_null());
    json_object_set_new(o, "closed_at", c->closed_at ? json_integer(c->closed_at) : json_null());
    json_object_set_new(o, "confirmed_by",
                        c->confirmed_by[0] ? json_string(c->confirmed_by) : json_null());
    json_object_set_new(o, "closed_by", c->closed_by[0] ? json_string(c->closed_by) : json_null());
    json_object_set_new(o, "close_reason",
                        c->close_reason[0] ? json_string(c->close_reason) : json_null());
    return o;
}
