/* Waitlist records (see waitlist.h). */
#include "store/waitlist.h"
#include "core/mem.h"
#include "core/status.h"
#include "store/rows.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAITLIST_COLUMNS                                                                           \
    "w.id, w.contract_id, w.program_id, w.enterprise_id, w.county_code, w.year, w.amount_fen,"     \
    " w.confirmed_at, w.position, w.status"

static int row_to_entry(struct db_stmt *st, struct waitlist_entry *e)
{
    memset(e, 0, sizeof *e);
    rows_copy(e->id, sizeof e->id, db_col_text(st, 0));
    rows_copy(e->contract_id, sizeof e->contract_id, db_col_text(st, 1));
    rows_copy(e->program_id, sizeof e->program_id, db_col_text(st, 2));
    rows_copy(e->enterprise_id, sizeof e->enterprise_id, db_col_text(st, 3));
    rows_copy(e->county_code, sizeof e->county_code, db_col_text(st, 4));
    e->year = (int)db_col_int64(st, 5);
    e->amount_fen = db_col_int64(st, 6);
    e->confirmed_at = db_col_int64(st, 7);
    e->position = db_col_int64(st, 8);
    int state = waitlist_state_parse(db_col_text(st, 9));
    if (state < 0) return YQ_ERR;
    e->state = (enum waitlist_state)state;
    return YQ_OK;
}

/* Steps a query of WAITLIST_COLUMNS into a malloc'd array. */
static int collect(struct db_stmt *st, struct waitlist_entry **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!st) return YQ_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = yq_realloc(*out, cap * sizeof **out);
        }
        if ((rc = row_to_entry(st, &(*out)[*n])) != YQ_OK) break;
        (*n)++;
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

/* The queue's count of waiting applications moves by delta; for a join
 * (+1) *before is how many waited before it. */
static int queue_move(struct db *db, const char *county, const char *program, int delta,
                      int64_t *before)
{
    int64_t now = 0;
    struct db_stmt *st = db_query(db,
                                  "UPDATE waitlist_queues SET waiting = waiting + ? WHERE"
                                  " county_code = ? AND program_id = ? RETURNING waiting",
                                  "itt", (int64_t)delta, county, program);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) now = db_col_int64(st, 0);
    db_finalize(st);
    rc = rc == DB_ROW ? YQ_OK : rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
    if (rc == YQ_ENOTFOUND && delta > 0) {
        now = delta;
        rc = db_run(db,
                    "INSERT INTO waitlist_queues(county_code, program_id, waiting) VALUES (?,?,?)",
                    "tti", county, program, now);
        if (rc == YQ_OK && db_changes(db) != 1) rc = YQ_ECONFLICT;
    } else if (rc == YQ_ENOTFOUND) {
        rc = YQ_ECONFLICT; /* leaving a queue that counts nobody */
    }
    if (rc == YQ_OK && before) *before = now - delta;
    return rc;
}

/* The same for the queue of an entry known by id. */
static int queue_move_of(struct db *db, const char *id, int delta)
{
    struct db_stmt *st =
        db_query(db, "SELECT county_code, program_id FROM waitlist WHERE id = ?", "t", id);
    if (!st) return YQ_ERR;
    char county[16] = "", program[96] = "";
    int rc = db_step(st);
    if (rc == DB_ROW) {
        rows_copy(county, sizeof county, db_col_text(st, 0));
        rows_copy(program, sizeof program, db_col_text(st, 1));
    }
    db_finalize(st);
    if (rc != DB_ROW) return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
    return queue_move(db, county, program, delta, NULL);
}

int waitlist_insert(struct db *db, struct waitlist_entry *e, const char *calc_json,
                    int64_t *ahead)
{
    assert(e->amount_fen > 0 && e->state == WAITLIST_WAITING);
    int64_t last = 0;
    int rc = queue_move(db, e->county_code, e->program_id, 1, ahead);
    if (rc != YQ_OK) return rc;
    rc = rows_int(db, &last,
                      "SELECT COALESCE(MAX(position), 0) FROM waitlist WHERE county_code = ? AND"
                      " program_id = ?",
                      "tt", e->county_code, e->program_id);
    if (rc != YQ_OK) return rc;
    e->position = last + 1;
    return db_run(db,
                  "INSERT INTO waitlist(id, contract_id, program_id, enterprise_id, county_code,"
                  " year, amount_fen, calc_json, confirmed_at, position, status)"
                  " VALUES (?,?,?,?,?,?,?,?,?,?,'waiting')",
                  "ttttt"
                  "ii"
                  "t"
                  "ii",
                  e->id, e->contract_id, e->program_id, e->enterprise_id, e->county_code,
                  (int64_t)e->year, e->amount_fen, calc_json, e->confirmed_at, e->position);
}

int waitlist_waiting_in_queue(struct db *db, const char *county, const char *program, int64_t *n)
{
    return rows_int(db, n,
                    "SELECT COUNT(*) FROM waitlist WHERE county_code = ? AND program_id = ? AND"
                    " status = 'waiting'",
                    "tt", county, program);
}

int waitlist_county_queue(struct db *db, const char *county, struct waitlist_entry **out, size_t *n)
{
    return collect(db_query(db,
                            "SELECT " WAITLIST_COLUMNS " FROM waitlist w WHERE w.county_code = ?"
                            " AND w.status = 'waiting' ORDER BY w.confirmed_at, w.program_id,"
                            " w.position",
                            "t", county),
                   out, n);
}

int waitlist_waiting_of_uscc(struct db *db, const char *uscc, struct waitlist_entry **out,
                             size_t *n)
{
    return collect(db_query(db,
                            "SELECT " WAITLIST_COLUMNS " FROM waitlist w JOIN contracts c ON c.id ="
                            " w.contract_id WHERE w.status = 'waiting' AND (c.enterprise_id IN"
                            " (SELECT id FROM enterprises WHERE uscc = ?) OR c.provider_id IN"
                            " (SELECT id FROM providers WHERE uscc = ?))"
                            " ORDER BY w.confirmed_at, w.id",
                            "tt", uscc, uscc),
                   out, n);
}

int waitlist_waiting_of_contract(struct db *db, const char *contract_id,
                                 struct waitlist_entry **out, size_t *n)
{
    return collect(db_query(db,
                            "SELECT " WAITLIST_COLUMNS " FROM waitlist w WHERE w.contract_id = ?"
                            " AND w.status = 'waiting'",
                            "t", contract_id),
                   out, n);
}

int waitlist_waiting_of_program(struct db *db, const char *program, struct waitlist_entry **out,
                                size_t *n)
{
    return collect(db_query(db,
                            "SELECT " WAITLIST_COLUMNS " FROM waitlist w WHERE w.program_id = ?"
                            " AND w.status = 'waiting' ORDER BY w.county_code, w.position",
                            "t", program),
                   out, n);
}

int waitlist_calc(struct db *db, const char *id, char **calc_json)
{
    *calc_json = NULL;
    struct db_stmt *st = db_query(db, "SELECT calc_json FROM waitlist WHERE id = ?", "t", id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) *calc_json = yq_strdup(db_col_text(st, 0) ? db_col_text(st, 0) : "{}");
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

int waitlist_leave(struct db *db, const char *id, enum waitlist_state to, int64_t at,
                   const char *reason)
{
    assert(to == WAITLIST_CANCELLED || to == WAITLIST_LAPSED);
    int rc = db_run(db,
                    "UPDATE waitlist SET status = ?, closed_at = ?, close_reason = ? WHERE id = ?"
                    " AND status = 'waiting'",
                    "tit"
                    "t",
                    waitlist_state_name(to), at, reason, id);
    if (rc != YQ_OK) return rc;
    return db_changes(db) == 1 ? queue_move_of(db, id, -1) : YQ_ECONFLICT;
}

int waitlist_served(struct db *db, const char *id, int64_t at, const char *voucher_id)
{
    int rc = db_run(db,
                    "UPDATE waitlist SET status = 'served', closed_at = ?, voucher_id = ? WHERE"
                    " id = ? AND status = 'waiting'",
                    "itt", at, voucher_id, id);
    if (rc != YQ_OK) return rc;
    return db_changes(db) == 1 ? queue_move_of(db, id, -1) : YQ_ECONFLICT;
}

json_t *waitlist_page(struct db *db, const struct row_scope *s, const struct list_filter *f,
                      int year, int64_t offset, int64_t limit)
{
    static const char *const keyword_columns[] = {"e.name", "e.uscc", "c.contract_no", NULL};
    struct rows_where w;
    char q[LIST_FILTER_PATTERN]; /* bound by pointer until the query ran */
    rows_where_init(&w);
    scope_where(&w, s, "c");
    if (f->county) rows_where_text(&w, "w.county_code = ?", f->county, 1);
    if (year) rows_where_int(&w, "w.year = ?", year);
    rows_where_text(&w, "w.status = ?", f->status ? f->status : "waiting", 1);
    list_filter_keyword(&w, f, keyword_columns, q);
    list_filter_instants(&w, f, "w.confirmed_at");
    json_t *r = rows_page(db,
                          "w.id, w.contract_id, w.program_id, w.enterprise_id, e.name AS"
                          " enterprise_name, w.county_code, w.year, w.amount_fen, w.confirmed_at,"
                          " w.position, w.status, 1 + (SELECT COUNT(*) FROM waitlist o WHERE"
                          " o.county_code = w.county_code AND o.program_id = w.program_id AND"
                          " o.status = 'waiting' AND o.position < w.position) AS place",
                          "FROM waitlist w JOIN enterprises e ON e.id = w.enterprise_id JOIN"
                          " contracts c ON c.id = w.contract_id",
                          &w, "w.confirmed_at, w.position", offset, limit);
    rows_where_cleanup(&w);
    return r;
}

json_t *waitlist_json(const struct waitlist_entry *e)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:I, s:s}", "id", e->id,
                     "contract_id", e->contract_id, "program_id", e->program_id, "enterprise_id",
                     e->enterprise_id, "county_code", e->county_code, "year", e->year, "amount_fen",
                     (json_int_t)e->amount_fen, "confirmed_at", (json_int_t)e->confirmed_at,
                     "position", (json_int_t)e->position, "status", waitlist_state_name(e->state));
}
