/* Ledger: accounts and two-phase transfers (the invariant check is in ledger_check.c). */
#include "store/ledger.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/rows.h"
#include "store/seq.h"

#include <stdio.h>
#include <string.h>

/* Inserts the account (with `credits_pending` already held, for a new
 * voucher's reservation); a duplicate id fails (YQ_ECONFLICT). */
static int insert_account_holding(struct db *db, const char *id, const char *kind,
                                  const char *county, int year, const char *source,
                                  const char *voucher_id, int64_t limit, bool must_not_overdraw,
                                  int64_t credits_pending)
{
    int rc;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO ledger_accounts(id, kind, county_code, year, source, voucher_id,"
            " limit_fen, must_not_overdraw, credits_pending, created_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)");
    if (!st) return YQ_ERR;
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, county);
    if (year)
        db_bind_int64(st, 4, year);
    else
        db_bind_null(st, 4);
    db_bind_text(st, 5, source);
    db_bind_text(st, 6, voucher_id);
    if (limit >= 0)
        db_bind_int64(st, 7, limit);
    else
        db_bind_null(st, 7);
    db_bind_int64(st, 8, must_not_overdraw);
    db_bind_int64(st, 9, credits_pending);
    db_bind_int64(st, 10, clock_now_ms());
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? YQ_OK : rc;
}

static int insert_account(struct db *db, const char *id, const char *kind, const char *county,
                          int year, const char *source, const char *voucher_id, int64_t limit,
                          bool must_not_overdraw)
{
    return insert_account_holding(db, id, kind, county, year, source, voucher_id, limit,
                                  must_not_overdraw, 0);
}

static int open_account(struct db *db, const char *id, const char *kind, const char *county,
                        int year, const char *source, const char *voucher_id, int64_t limit,
                        bool must_not_overdraw)
{
    int64_t n = 0;
    int rc = rows_int(db, &n, "SELECT COUNT(*) FROM ledger_accounts WHERE id = ?", "t", id);
    if (rc != YQ_OK || n) return rc;
    return insert_account(db, id, kind, county, year, source, voucher_id, limit,
                          must_not_overdraw);
}

int ledger_open_pool(struct db *db, const char *county, int year)
{
    char id[96];
    snprintf(id, sizeof id, "pool:%s:%d", county, year);
    return open_account(db, id, "pool", county, year, NULL, NULL, -1, true);
}

int ledger_pool_available(struct db *db, const char *county, int year, int64_t *out)
{
    *out = 0;
    char id[96];
    snprintf(id, sizeof id, "pool:%s:%d", county, year);
    struct ledger_account a;
    int rc = ledger_get(db, id, &a);
    if (rc == YQ_ENOTFOUND) return insert_account(db, id, "pool", county, year, NULL, NULL, -1, true);
    if (rc == YQ_OK) *out = a.credits_posted - a.debits_posted - a.debits_pending;
    return rc;
}

int ledger_open_source(struct db *db, const char *source)
{
    char id[96];
    snprintf(id, sizeof id, "source:%s", source);
    return open_account(db, id, "source", NULL, 0, source, NULL, -1, false);
}

int ledger_open_voucher(struct db *db, const char *voucher_id, int64_t amount_fen)
{
    char id[96];
    snprintf(id, sizeof id, "voucher:%s", voucher_id);
    return open_account(db, id, "voucher", NULL, 0, NULL, voucher_id, amount_fen, false);
}

int ledger_open_paid(struct db *db, const char *county)
{
    char id[96];
    snprintf(id, sizeof id, "paid:%s", county);
    return open_account(db, id, "paid", county, 0, NULL, NULL, -1, false);
}

int ledger_open_award(struct db *db, const char *recipient_id)
{
    char id[96];
    snprintf(id, sizeof id, "award:%s", recipient_id);
    return open_account(db, id, "award", NULL, 0, NULL, NULL, -1, false);
}

int ledger_get(struct db *db, const char *account_id, struct ledger_account *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_query(db,
                                  "SELECT debits_pending, debits_posted, credits_pending,"
                                  " credits_posted, limit_fen, must_not_overdraw"
                                  " FROM ledger_accounts WHERE id = ?",
                                  "t", account_id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        snprintf(out->id, sizeof out->id, "%s", account_id);
        out->debits_pending = db_col_int64(st, 0);
        out->debits_posted = db_col_int64(st, 1);
        out->credits_pending = db_col_int64(st, 2);
        out->credits_posted = db_col_int64(st, 3);
        out->limit_fen = db_col_null(st, 4) ? -1 : db_col_int64(st, 4);
        out->must_not_overdraw = db_col_int64(st, 5) != 0;
    }
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc;
}

int ledger_available(struct db *db, const char *account_id, int64_t *out)
{
    *out = 0;
    struct ledger_account a;
    int rc = ledger_get(db, account_id, &a);
    if (rc == YQ_ENOTFOUND) return YQ_OK;
    if (rc != YQ_OK) return rc;
    *out = a.credits_posted - a.debits_posted - a.debits_pending;
    return YQ_OK;
}

int ledger_transfer_exists(struct db *db, const char *id, bool *exists)
{
    int64_t n = 0;
    int rc = rows_int(db, &n, "SELECT COUNT(*) FROM ledger_transfers WHERE id = ?", "t", id);
    *exists = n > 0;
    return rc;
}

/* An existing transfer with this id: YQ_OK if it is the same booking,
 * YQ_ECONFLICT if not, YQ_ENOTFOUND if there is none. */
static int existing(struct db *db, const char *id, const char *kind, const char *debit,
                    const char *credit, int64_t amount)
{
    json_t *row = NULL;
    int rc = rows_one(db, &row,
                      "SELECT kind, debit_account, credit_account, amount_fen FROM"
                      " ledger_transfers WHERE id = ?",
                      "t", id);
    if (rc != YQ_OK) return rc;
    bool same =
        strcmp(json_string_value(json_object_get(row, "kind")), kind) == 0 &&
        (!debit || strcmp(json_string_value(json_object_get(row, "debit_account")), debit) == 0) &&
        (!credit ||
         strcmp(json_string_value(json_object_get(row, "credit_account")), credit) == 0) &&
        (amount < 0 || json_integer_value(json_object_get(row, "amount_fen")) == amount);
    json_decref(row);
    return same ? YQ_OK : YQ_ECONFLICT;
}

/* A transfer's INSERT; `queued`: through db_run_queued (one row, or the
 * transaction fails). */
static int insert_as(struct db *db, bool queued, const char *id, const char *kind,
                     const char *debit, const char *credit, int64_t amount, const char *pending_id,
                     const char *reference)
{
    char sql[320];
    snprintf(sql, sizeof sql,
             "INSERT INTO ledger_transfers(id, seq, kind, debit_account, credit_account,"
             " amount_fen, pending_id, reference, created_at) VALUES (?,%s,?,?,?,?,?,?,?)",
             seq_expr(db, SEQ_LEDGER));
    if (queued)
        return db_run_queued(db, 1, sql, "ttttitti", id, kind, debit, credit, amount, pending_id,
                             reference, clock_now_ms());
    return db_run(db, sql, "ttttitti", id, kind, debit, credit, amount, pending_id, reference,
                  clock_now_ms());
}

static int insert(struct db *db, const char *id, const char *kind, const char *debit,
                  const char *credit, int64_t amount, const char *pending_id, const char *reference)
{
    return insert_as(db, false, id, kind, debit, credit, amount, pending_id, reference);
}

/* Adds to balance columns; the row CHECKs refuse an overdraft. */
static int bump(struct db *db, const char *account, const char *column, int64_t delta)
{
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE ledger_accounts SET %s = %s + ? WHERE id = ?", column,
             column);
    int rc = db_run(db, sql, "it", delta, account);
    if (rc == YQ_ECONFLICT) return LEDGER_INSUFFICIENT;
    if (rc == YQ_OK && db_changes(db) != 1) return YQ_ENOTFOUND;
    return rc;
}

/* Checks in code what the CHECKs enforce, for a clear answer. */
static int can_move(struct db *db, const char *debit, const char *credit, int64_t amount)
{
    struct ledger_account d, c;
    int rc;
    if ((rc = ledger_get(db, debit, &d)) != YQ_OK) return rc;
    if ((rc = ledger_get(db, credit, &c)) != YQ_OK) return rc;
    if (d.must_not_overdraw && d.credits_posted - d.debits_posted - d.debits_pending < amount)
        return LEDGER_INSUFFICIENT;
    if (c.limit_fen >= 0 && c.credits_posted + c.credits_pending + amount > c.limit_fen)
        return LEDGER_INSUFFICIENT;
    return YQ_OK;
}

int ledger_transfer(struct db *db, const char *id, const char *debit, const char *credit,
                    int64_t amount, const char *reference)
{
    if (amount <= 0) return YQ_EINVAL;
    int rc = existing(db, id, "plain", debit, credit, amount);
    if (rc != YQ_ENOTFOUND) return rc;
    if ((rc = can_move(db, debit, credit, amount)) != YQ_OK) return rc;
    if ((rc = insert(db, id, "plain", debit, credit, amount, NULL, reference)) != YQ_OK) return rc;
    if ((rc = bump(db, debit, "debits_posted", amount)) != YQ_OK) return rc;
    return bump(db, credit, "credits_posted", amount);
}

int ledger_reserve(struct db *db, const char *id, const char *debit, const char *credit,
                   int64_t amount, const char *reference)
{
    if (amount <= 0) return YQ_EINVAL;
    int rc = existing(db, id, "pending", debit, credit, amount);
    if (rc != YQ_ENOTFOUND) return rc;
    if ((rc = can_move(db, debit, credit, amount)) != YQ_OK) return rc;
    if ((rc = insert(db, id, "pending", debit, credit, amount, NULL, reference)) != YQ_OK)
        return rc;
    if ((rc = bump(db, debit, "debits_pending", amount)) != YQ_OK) return rc;
    return bump(db, credit, "credits_pending", amount);
}

int ledger_issue_voucher(struct db *db, const char *voucher_id, const char *pool,
                         const char *transfer_id, int64_t amount, const char *reference)
{
    if (amount <= 0) return YQ_EINVAL;
    char account[96];
    snprintf(account, sizeof account, "voucher:%s", voucher_id);
    /* The pool is not read again (the caller read it to decide, in this
     * transaction): its reservation is a guarded write that changes no
     * row when the pool cannot give the amount (the row CHECK backs it
     * up). The three writes are queued (db_run_queued): on PostgreSQL they
     * travel with the next statement, and a guard that held no row there
     * (which the caller's read rules out) fails the whole transaction.
     * Run at once (SQLite), the guard's miss is told apart here. */
    int rc = db_run_queued(db, 1,
                           "UPDATE ledger_accounts SET debits_pending = debits_pending + ? WHERE"
                           " id = ? AND (must_not_overdraw = 0 OR"
                           " credits_posted - debits_posted - debits_pending >= ?)",
                           "iti", amount, pool, amount);
    if (rc == YQ_ECONFLICT) {
        struct ledger_account d;
        rc = ledger_get(db, pool, &d);
        return rc == YQ_OK ? LEDGER_INSUFFICIENT : rc;
    }
    if (rc != YQ_OK) return rc;
    /* Both ids are new with the voucher: a duplicate fails its primary
     * key (YQ_ECONFLICT) instead of being looked up first; the new account
     * is inserted holding the reservation, its limit the amount. */
    rc = db_run_queued(db, 1,
                       "INSERT INTO ledger_accounts(id, kind, county_code, year, source,"
                       " voucher_id, limit_fen, must_not_overdraw, credits_pending, created_at)"
                       " VALUES (?, 'voucher', NULL, NULL, NULL, ?, ?, 0, ?, ?)",
                       "tt"
                       "iii",
                       account, voucher_id, amount, amount, clock_now_ms());
    if (rc != YQ_OK) return rc;
    return insert_as(db, true, transfer_id, "pending", pool, account, amount, NULL, reference);
}

int ledger_pending_remaining(struct db *db, const char *pending_id, int64_t *out)
{
    int64_t reserved = 0, settled = 0;
    *out = 0;
    struct db_stmt *st =
        db_query(db, "SELECT amount_fen FROM ledger_transfers WHERE id = ? AND kind = 'pending'",
                 "t", pending_id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) reserved = db_col_int64(st, 0);
    db_finalize(st);
    if (rc == DB_DONE) return YQ_ENOTFOUND;
    if (rc != DB_ROW) return rc < 0 ? rc : YQ_ERR;
    rc = rows_int(db, &settled,
                  "SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_transfers WHERE pending_id = ?"
                  " AND kind IN ('post', 'void')",
                  "t", pending_id);
    if (rc != YQ_OK) return rc;
    *out = reserved - settled;
    return YQ_OK;
}

int ledger_reservation_pool(struct db *db, const char *pending_id, char pool[96])
{
    struct db_stmt *st =
        db_query(db, "SELECT debit_account FROM ledger_transfers WHERE id = ? AND kind = 'pending'",
                 "t", pending_id);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(pool, 96, "%s", db_col_text(st, 0));
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

/* The accounts of a reservation. */
static int pending_accounts(struct db *db, const char *pending_id, char debit[96], char credit[96])
{
    json_t *row = NULL;
    int rc = rows_one(db, &row,
                      "SELECT debit_account, credit_account FROM ledger_transfers WHERE id = ?"
                      " AND kind = 'pending'",
                      "t", pending_id);
    if (rc != YQ_OK) return rc;
    snprintf(debit, 96, "%s", json_string_value(json_object_get(row, "debit_account")));
    snprintf(credit, 96, "%s", json_string_value(json_object_get(row, "credit_account")));
    json_decref(row);
    return YQ_OK;
}

static int settle(struct db *db, const char *id, const char *kind, const char *pending_id,
                  int64_t amount, const char *reference)
{
    char debit[96], credit[96];
    int rc = pending_accounts(db, pending_id, debit, credit);
    if (rc != YQ_OK) return rc;
    rc = existing(db, id, kind, debit, credit, strcmp(kind, "void") == 0 ? -1 : amount);
    if (rc != YQ_ENOTFOUND) return rc;
    int64_t remaining;
    if ((rc = ledger_pending_remaining(db, pending_id, &remaining)) != YQ_OK) return rc;
    if (strcmp(kind, "void") == 0) amount = remaining;
    if (amount <= 0) return YQ_OK; /* nothing left to void */
    if (amount > remaining) return LEDGER_INSUFFICIENT;
    if ((rc = insert(db, id, kind, debit, credit, amount, pending_id, reference)) != YQ_OK)
        return rc;
    if ((rc = bump(db, debit, "debits_pending", -amount)) != YQ_OK) return rc;
    if ((rc = bump(db, credit, "credits_pending", -amount)) != YQ_OK) return rc;
    if (strcmp(kind, "post") == 0) {
        if ((rc = bump(db, debit, "debits_posted", amount)) != YQ_OK) return rc;
        if ((rc = bump(db, credit, "credits_posted", amount)) != YQ_OK) return rc;
    }
    return YQ_OK;
}

int ledger_post(struct db *db, const char *id, const char *pending_id, int64_t amount,
                const char *reference)
{
    if (amount <= 0) return YQ_EINVAL;
    return settle(db, id, "post", pending_id, amount, reference);
}

int ledger_void(struct db *db, const char *id, const char *pending_id, const char *reference)
{
    return settle(db, id, "void", pending_id, 0, reference);
}

/* An account's name in words people know (county, year, voucher code,
 * award recipient) instead of its id, as `<col>_name`; NULL when the
 * record it names is gone. */
#define ACCOUNT_NAME(col)                                                                           \
    "CASE WHEN t." col " = 'source:county' THEN '县级财政资金'"                               \
    " WHEN t." col " = 'source:city_award' THEN '市级奖补资金'"                               \
    " WHEN t." col " = 'source:province_award' THEN '省级奖补资金'"                           \
    " WHEN t." col " LIKE 'pool:%' THEN (SELECT c.name FROM counties c WHERE c.code ="              \
    " SUBSTR(t." col ", 6, 6)) || SUBSTR(t." col ", 13, 4) || '年资金池'"                       \
    " WHEN t." col " LIKE 'paid:%' THEN (SELECT c.name FROM counties c WHERE c.code ="              \
    " SUBSTR(t." col ", 6)) || '已拨付'"                                                         \
    " WHEN t." col " LIKE 'voucher:%' THEN '云服务券 ' || (SELECT v.code FROM vouchers v WHERE" \
    " v.id = SUBSTR(t." col ", 9))"                                                                 \
    " WHEN t." col " LIKE 'award:%' THEN '奖励 ' || (SELECT a.name FROM award_recipients a WHERE" \
    " a.id = SUBSTR(t." col ", 7))"                                                                 \
    " ELSE t." col " END AS " col "_name"

json_t *ledger_transfers_list(struct db *db, const char *account_prefix, const char *county,
                              int64_t offset, int64_t limit)
{
    struct rows_where w;
    rows_where_init(&w);
    char prefix[400];
    if (account_prefix) {
        /* A prefix match on the literal text: % _ \\ in it match themselves. */
        rows_like(prefix, sizeof prefix, account_prefix);
        memmove(prefix, prefix + 1, strlen(prefix)); /* anchored at the start */
        rows_where_text(&w,
                        "(debit_account LIKE ? ESCAPE '\\' OR credit_account LIKE ? ESCAPE '\\')",
                        prefix, 2);
    }
    if (county)
        rows_where_text(&w,
                        "(SUBSTR(debit_account, 1, 12) = 'pool:' || ? || ':' OR"
                        " SUBSTR(credit_account, 1, 12) = 'pool:' || ? || ':' OR"
                        " debit_account = 'paid:' || ? OR credit_account = 'paid:' || ?)",
                        county, 4);
    json_t *r =
        rows_page(db, "t.*, " ACCOUNT_NAME("debit_account") ", " ACCOUNT_NAME("credit_account"),
                  "FROM ledger_transfers t", &w, "seq DESC", offset, limit);
    rows_where_cleanup(&w);
    size_t i;
    json_t *row;
    if (r) json_array_foreach(json_object_get(r, "items"), i, row) rows_instants(row, "created_at", NULL);
    return r;
}
