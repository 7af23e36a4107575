/* Accounts: queries over the users table. */
#include "store/users.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

#define USER_COLUMNS                                                                           \
    "u.id, u.username, u.role, u.display_name, u.county_code, c.name, u.password_hash,"     \
    " u.locked, u.created_at, u.updated_at"
#define USER_FROM " FROM users u LEFT JOIN counties c ON c.code = u.county_code"

static void read_user(struct db_stmt *st, struct user *u)
{
    rows_copy(u->id, sizeof u->id, db_col_text(st, 0));
    rows_copy(u->username, sizeof u->username, db_col_text(st, 1));
    rows_copy(u->role, sizeof u->role, db_col_text(st, 2));
    rows_copy(u->display_name, sizeof u->display_name, db_col_text(st, 3));
    rows_copy(u->county_code, sizeof u->county_code, db_col_text(st, 4));
    rows_copy(u->county_name, sizeof u->county_name, db_col_text(st, 5));
    rows_copy(u->password_hash, sizeof u->password_hash, db_col_text(st, 6));
    u->locked = db_col_int64(st, 7) != 0;
    u->created_at = db_col_int64(st, 8);
    u->updated_at = db_col_int64(st, 9);
}

static int get_one(struct db *db, const char *sql, const char *arg, struct user *u)
{
    struct db_stmt *st = db_query(db, sql, "t", arg);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) read_user(st, u);
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc;
}

int users_get(struct db *db, const char *id, struct user *u)
{
    return get_one(db, "SELECT " USER_COLUMNS USER_FROM " WHERE u.id = ?", id, u);
}

int sessions_get_with_user(struct db *db, const char *token_hash, struct session *s,
                           struct user *u, bool *user_found)
{
    *user_found = false;
    struct db_stmt *st = db_query(db,
                                  "SELECT " USER_COLUMNS ", s.user_id, s.csrf, s.created_at,"
                                  " s.last_seen_at FROM sessions s LEFT JOIN users u ON u.id ="
                                  " s.user_id LEFT JOIN counties c ON c.code = u.county_code"
                                  " WHERE s.token_hash = ?",
                                  "t", token_hash);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        if ((*user_found = !db_col_null(st, 0))) read_user(st, u);
        rows_copy(s->user_id, sizeof s->user_id, db_col_text(st, 10));
        rows_copy(s->csrf, sizeof s->csrf, db_col_text(st, 11));
        s->created_at = db_col_int64(st, 12);
        s->last_seen_at = db_col_int64(st, 13);
    }
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc;
}

int users_get_by_username(struct db *db, const char *username, struct user *u)
{
    return get_one(db, "SELECT " USER_COLUMNS USER_FROM " WHERE u.username = ?", username, u);
}

int users_insert(struct db *db, const struct user *u)
{
    return db_run(db,
                  "INSERT INTO users(id, username, password_hash, role, display_name,"
                  " county_code, locked, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                  "tttttt" "bii", u->id, u->username, u->password_hash, u->role,
                  u->display_name, u->county_code[0] ? u->county_code : NULL, (int)u->locked,
                  u->created_at, u->updated_at);
}

int users_set_locked(struct db *db, const char *id, bool locked, int64_t now)
{
    return db_run(db, "UPDATE users SET locked = ?, updated_at = ? WHERE id = ?", "bit",
                  (int)locked, now, id);
}

int users_set_password(struct db *db, const char *id, const char *hash, int64_t now)
{
    return db_run(db, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", "tit",
                  hash, now, id);
}

json_t *user_to_json(const struct user *u)
{
    char created[32];
    clock_format_iso(u->created_at, created);
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:s}", "id", u->id, "username",
                     u->username, "role", u->role, "display_name", u->display_name,
                     "county_code", u->county_code[0] ? json_string(u->county_code) : json_null(),
                     "county_name", u->county_name[0] ? json_string(u->county_name) : json_null(),
                     "locked", u->locked, "created_at", created);
}

json_t *users_list(struct db *db, const struct users_filter *f)
{
    struct rows_where w;
    rows_where_init(&w);
    char like[200];
    if (f->q && f->q[0]) {
        rows_like(like, sizeof like, f->q);
        rows_where_text(&w,
                        "(u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\')",
                        like, 2);
    }
    if (f->county_code) rows_where_text(&w, "u.county_code = ?", f->county_code, 1);
    if (f->role) rows_where_text(&w, "u.role = ?", f->role, 1);
    /* An evaluator works for the counties assigned to it besides its own. */
    if (f->county)
        rows_where_text(&w,
                        "(u.county_code = ? OR EXISTS (SELECT 1 FROM user_counties uc"
                        " WHERE uc.user_id = u.id AND uc.county_code = ?))",
                        f->county, 2);
    if (f->locked >= 0) rows_where_int(&w, "u.locked = ?", f->locked);
    json_t *r = rows_page(db,
                          "u.id, u.username, u.role, u.display_name, u.county_code,"
                          " c.name AS county_name, u.locked, u.created_at",
                          USER_FROM, &w, "u.created_at, u.id", f->offset, f->limit);
    rows_where_cleanup(&w);
    if (!r) return NULL;
    /* The same view as user_to_json: booleans and instants. */
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r, "items"), i, item)
    {
        rows_instants(item, "created_at", NULL);
        json_object_set_new(item, "locked",
                            json_boolean(json_integer_value(json_object_get(item, "locked"))));
    }
    return r;
}

int user_counties_get(struct db *db, const char *user_id, struct user_counties *out)
{
    out->n = 0;
    struct db_stmt *st = db_query(db,
                                  "SELECT county_code FROM user_counties WHERE user_id = ?"
                                  " ORDER BY county_code",
                                  "t", user_id);
    if (!st) return YQ_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW && out->n < USER_COUNTIES_MAX) {
        rows_copy(out->code[out->n], sizeof out->code[out->n], db_col_text(st, 0));
        out->n++;
    }
    db_finalize(st);
    return rc < 0 ? rc : YQ_OK;
}

int user_counties_replace(struct db *db, const char *user_id, const char *const *codes, int n)
{
    int rc = db_run(db, "DELETE FROM user_counties WHERE user_id = ?", "t", user_id);
    for (int i = 0; rc == YQ_OK && i < n; i++)
        rc = db_run(db, "INSERT INTO user_counties(user_id, county_code) VALUES (?,?)", "tt",
                    user_id, codes[i]);
    return rc;
}
