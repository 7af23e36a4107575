/* Party records and negative-list lookups (see standing.h). */
#include "store/standing.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

static int load(struct db *db, enum party_kind kind, const char *column, const char *value,
                struct party *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    struct db_stmt *st = db_query(
        db,
        kind == PARTY_ENTERPRISE
            ? (strcmp(column, "id") == 0
                   ? "SELECT id, user_id, uscc, name, county_code, status, cert_no,"
                     " cert_valid_from, cert_valid_until, industry FROM enterprises WHERE id = ?"
                   : "SELECT id, user_id, uscc, name, county_code, status, cert_no,"
                     " cert_valid_from, cert_valid_until, industry FROM enterprises"
                     " WHERE user_id = ?")
            : (strcmp(column, "id") == 0
                   ? "SELECT id, user_id, uscc, name, '', status, NULL, NULL, NULL, NULL"
                     " FROM providers WHERE id = ?"
                   : "SELECT id, user_id, uscc, name, '', status, NULL, NULL, NULL, NULL"
                     " FROM providers WHERE user_id = ?"),
        "t", value);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        rows_copy(out->id, sizeof out->id, db_col_text(st, 0));
        rows_copy(out->user_id, sizeof out->user_id, db_col_text(st, 1));
        rows_copy(out->uscc, sizeof out->uscc, db_col_text(st, 2));
        rows_copy(out->name, sizeof out->name, db_col_text(st, 3));
        rows_copy(out->county_code, sizeof out->county_code, db_col_text(st, 4));
        out->state = reg_parse(db_col_text(st, 5));
        rows_copy(out->cert_no, sizeof out->cert_no, db_col_text(st, 6));
        rows_copy(out->cert_valid_from, sizeof out->cert_valid_from, db_col_text(st, 7));
        rows_copy(out->cert_valid_until, sizeof out->cert_valid_until, db_col_text(st, 8));
        rows_copy(out->industry, sizeof out->industry, db_col_text(st, 9));
    }
    db_finalize(st);
    if (rc == DB_ROW) return out->state == REG_NONE ? YQ_ERR : YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc;
}

int party_load(struct db *db, enum party_kind kind, const char *id, struct party *out)
{
    return load(db, kind, "id", id, out);
}

int party_load_by_user(struct db *db, enum party_kind kind, const char *user_id, struct party *out)
{
    return load(db, kind, "user_id", user_id, out);
}

int negative_list_listed(struct db *db, const char *uscc, bool *listed)
{
    *listed = false;
    struct db_stmt *st = db_query(
        db, "SELECT COUNT(*) FROM negative_list WHERE uscc = ? AND lifted_at IS NULL", "t", uscc);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) *listed = db_col_int64(st, 0) > 0;
    db_finalize(st);
    return rc == DB_ROW ? YQ_OK : rc < 0 ? rc : YQ_ERR;
}

int negative_list_listed_pair(struct db *db, const char *uscc_a, const char *uscc_b, bool *a,
                              bool *b)
{
    *a = *b = false;
    struct db_stmt *st = db_query(db,
                                  "SELECT uscc FROM negative_list WHERE uscc IN (?, ?) AND"
                                  " lifted_at IS NULL",
                                  "tt", uscc_a, uscc_b);
    if (!st) return YQ_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *u = db_col_text(st, 0);
        if (u && strcmp(u, uscc_a) == 0) *a = true;
        if (u && strcmp(u, uscc_b) == 0) *b = true;
    }
    db_finalize(st);
    return rc == DB_DONE ? YQ_OK : rc < 0 ? rc : YQ_ERR;
}

struct db_stmt *negative_list_parties_send(struct db *db, const char *enterprise_id,
                                           const char *provider_id)
{
    return db_send_ahead(
        db_query(db,
                 "SELECT 'e' FROM negative_list n JOIN enterprises e ON e.uscc = n.uscc WHERE"
                 " e.id = ? AND n.lifted_at IS NULL UNION ALL SELECT 'p' FROM negative_list n"
                 " JOIN providers p ON p.uscc = n.uscc WHERE p.id = ? AND n.lifted_at IS NULL",
                 "tt", enterprise_id, provider_id));
}

int negative_list_parties_take(struct db_stmt *st, bool *enterprise, bool *provider)
{
    *enterprise = *provider = false;
    if (!st) return YQ_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *side = db_col_text(st, 0);
        if (side && side[0] == 'e') *enterprise = true;
        if (side && side[0] == 'p') *provider = true;
    }
    db_finalize(st);
    return rc == DB_DONE ? YQ_OK : rc < 0 ? rc : YQ_ERR;
}

int party_name_of_uscc(struct db *db, const char *uscc, char *name, size_t n)
{
    name[0] = '\0';
    struct db_stmt *st = db_query(db,
                                  "SELECT name FROM enterprises WHERE uscc = ? UNION ALL"
                                  " SELECT name FROM providers WHERE uscc = ?",
                                  "tt", uscc, uscc);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) rows_copy(name, n, db_col_text(st, 0));
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

int negative_list_entry(struct db *db, const char *id, json_t **out)
{
    return rows_one(db, out, "SELECT * FROM negative_list WHERE id = ?", "t", id);
}

int negative_list_lift_entry(struct db *db, const char *id, int64_t at, const char *by,
                             const char *reason)
{
    int rc = db_run(db,
                    "UPDATE negative_list SET lifted_at = ?, lifted_by = ?, lift_reason = ? WHERE"
                    " id = ? AND lifted_at IS NULL",
                    "itt"
                    "t",
                    at, by, reason, id);
    if (rc != YQ_OK) return rc;
    return db_changes(db) == 1 ? YQ_OK : YQ_ECONFLICT;
}
