/* Party queries. Filters are built from fixed fragments; every value is a
 * bound parameter. */
#include "store/parties.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

/* The table's name as a literal of our own: "enterprises" or "providers". */
static const char *table_name(const char *table)
{
    return strcmp(table, "enterprises") == 0 ? "enterprises" : "providers";
}

int parties_get(struct db *db, const char *table, const char *id, json_t **out)
{
    char sql[256];
    if (strcmp(table, "enterprises") == 0)
        snprintf(sql, sizeof sql,
                 "SELECT e.*, c.name AS county_name FROM enterprises e"
                 " JOIN counties c ON c.code = e.county_code WHERE e.id = ?");
    else
        snprintf(sql, sizeof sql, "SELECT * FROM providers WHERE id = ?");
    return rows_one(db, out, sql, "t", id);
}

/* One record found by `column` (a literal of our own), read whole. */
static int get_by(struct db *db, const char *table, const char *column, const char *value,
                  json_t **out)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s = ?", table_name(table), column);
    json_t *row;
    int rc = rows_one(db, &row, sql, "t", value);
    if (rc != YQ_OK) {
        *out = NULL;
        return rc;
    }
    rc = parties_get(db, table, json_string_value(json_object_get(row, "id")), out);
    json_decref(row);
    return rc;
}

int parties_get_by_user(struct db *db, const char *table, const char *user_id, json_t **out)
{
    return get_by(db, table, "user_id", user_id, out);
}

int parties_get_by_uscc(struct db *db, const char *table, const char *uscc, json_t **out)
{
    return get_by(db, table, "uscc", uscc, out);
}

int parties_uscc_holder(struct db *db, const char *uscc, const char *except_id, const char **holder)
{
    *holder = NULL;
    int64_t n = 0;
    const char *skip = except_id ? except_id : "";
    int rc = rows_int(db, &n, "SELECT COUNT(*) FROM enterprises WHERE uscc = ? AND id <> ?", "tt",
                      uscc, skip);
    if (rc != YQ_OK) return rc;
    if (n) {
        *holder = "enterprise";
        return YQ_OK;
    }
    rc = rows_int(db, &n, "SELECT COUNT(*) FROM providers WHERE uscc = ? AND id <> ?", "tt", uscc,
                  skip);
    if (rc == YQ_OK && n) *holder = "provider";
    return rc;
}

/* A guarded write changed its row, or the row was not in the expected state. */
static int changed(struct db *db, int rc)
{
    if (rc == YQ_OK && db_changes(db) == 0) return YQ_ECONFLICT;
    return rc;
}

int parties_insert_draft(struct db *db, const char *table, const struct party_draft *d)
{
    if (strcmp(table_name(table), "enterprises") == 0)
        return db_run(db,
                      "INSERT INTO enterprises(id, user_id, uscc, name, county_code, status,"
                      " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)",
                      "tttttii", d->id, d->user_id, d->uscc, d->name, d->county_code, d->now,
                      d->now);
    return db_run(db,
                  "INSERT INTO providers(id, user_id, uscc, name, status, created_at, updated_at)"
                  " VALUES (?, ?, ?, ?, 'draft', ?, ?)",
                  "ttttii", d->id, d->user_id, d->uscc, d->name, d->now, d->now);
}

int enterprises_insert(struct db *db, json_t *columns)
{
    return rows_insert(db, "enterprises", columns);
}

int parties_update_profile(struct db *db, const char *table, const char *id,
                           const char *expect_status, json_t *fields, int64_t now)
{
    /* The guard, which also stamps the change; rows_update then writes the
     * fields it was given (it knows no guard of its own). */
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE %s SET updated_at = ? WHERE id = ? AND status = ?",
             table_name(table));
    int rc = changed(db, db_run(db, sql, "itt", now, id, expect_status));
    if (rc != YQ_OK) return rc;
    return rows_update(db, table_name(table), id, fields);
}

int parties_transition(struct db *db, const char *table, const char *id,
                       const struct party_transition *t)
{
    char sql[256];
    const char *name = table_name(table);
    switch (t->stamp) {
    case PARTY_STAMP_SUBMITTED:
        snprintf(sql, sizeof sql,
                 "UPDATE %s SET status = ?, updated_at = ?, submitted_at = ?,"
                 " reject_reason = NULL WHERE id = ? AND status = ?",
                 name);
        return changed(db, db_run(db, sql, "tiitt", t->to, t->now, t->now, id, t->from));
    case PARTY_STAMP_REVIEWED:
        snprintf(sql, sizeof sql,
                 "UPDATE %s SET status = ?, updated_at = ?, reviewed_at = ?, reviewed_by = ?,"
                 " reject_reason = ? WHERE id = ? AND status = ?",
                 name);
        return changed(db, db_run(db, sql, "tiitttt", t->to, t->now, t->now, t->reviewed_by,
                                  t->reject_reason, id, t->from));
    case PARTY_STAMP_NONE:
    default:
        snprintf(sql, sizeof sql,
                 "UPDATE %s SET status = ?, updated_at = ? WHERE id = ? AND status = ?", name);
        return changed(db, db_run(db, sql, "titt", t->to, t->now, id, t->from));
    }
}

int enterprises_get_approved_by_uscc(struct db *db, const char *uscc, json_t **out)
{
    return rows_one(db, out,
                    "SELECT e.id, e.uscc, e.name, e.county_code, c.name AS county_name FROM"
                    " enterprises e JOIN counties c ON c.code = e.county_code WHERE e.uscc = ?"
                    " AND e.status = 'approved'",
                    "t", uscc);
}

int enterprises_find_by_name(struct db *db, const char *name, char id[ID_LEN + 1])
{
    json_t *row = NULL;
    int rc = rows_one(db, &row, "SELECT id FROM enterprises WHERE name = ?", "t", name);
    if (rc == YQ_OK) snprintf(id, ID_LEN + 1, "%s", rows_str(row, "id"));
    json_decref(row);
    return rc;
}
/* A status filter: "submitted" is every record awaiting review, the
 * resubmitted ones among them (the reviewers' 待审核); any other status is
 * itself. */
static void status_filter(struct rows_where *w, const char *alias, const char *status)
{
    char sql[96];
    if (strcmp(status, "submitted") == 0) {
        snprintf(sql, sizeof sql, "%s.status IN ('submitted', 'resubmitted')", alias);
        rows_where_sql(w, sql);
    } else {
        snprintf(sql, sizeof sql, "%s.status = ?", alias);
        rows_where_text(w, sql, status, 1);
    }
}


/* Warnings visible in SQL: division outside the city, or contacts shared
 * with another enterprise. */
#define ENTERPRISE_WARNING_SQL                                                                 \
    "(SUBSTR(e.uscc, 3, 4) <> ? OR EXISTS (SELECT 1 FROM enterprises o WHERE o.id <> e.id AND" \
    " ((o.phone = e.phone AND e.phone <> '') OR (o.email = e.email AND e.email <> '') OR"      \
    " (o.legal_rep = e.legal_rep AND e.legal_rep <> ''))))"

json_t *enterprises_list(struct db *db, const struct enterprise_filter *f)
{
    struct rows_where w;
    rows_where_init(&w);
    char tag[160], flag[80], q[200];
    if (f->ncounties > 0) rows_where_in(&w, "e.county_code", f->counties, f->ncounties);
    if (f->county_code) rows_where_text(&w, "e.county_code = ?", f->county_code, 1);
    if (f->user_id) rows_where_text(&w, "e.user_id = ?", f->user_id, 1);
    if (f->status) status_filter(&w, "e", f->status);
    if (f->industry) rows_where_text(&w, "e.industry = ?", f->industry, 1);
    if (f->tag) {
        rows_like(tag, sizeof tag, f->tag);
        rows_where_text(&w, "e.key_industry_tags LIKE ? ESCAPE '\\'", tag, 1);
    }
    if (f->flag) {
        rows_like(flag, sizeof flag, f->flag);
        rows_where_text(&w, "e.priority_flags LIKE ? ESCAPE '\\'", flag, 1);
    }
    if (f->q) {
        rows_like(q, sizeof q, f->q);
        rows_where_text(&w, "(e.name LIKE ? ESCAPE '\\' OR e.uscc LIKE ? ESCAPE '\\')", q, 2);
    }
    struct list_filter range = {.from_ms = f->from_ms, .to_ms = f->to_ms};
    list_filter_instants(&w, &range, "e.created_at");
    if (f->warnings == 1) rows_where_text(&w, ENTERPRISE_WARNING_SQL, f->city_prefix, 1);
    json_t *r = rows_page(db,
                          "e.id, e.uscc, e.name, e.county_code, c.name AS county_name, e.industry,"
                          " e.key_industry_tags, e.priority_flags, e.status, e.submitted_at,"
                          " e.updated_at",
                          "FROM enterprises e JOIN counties c ON c.code = e.county_code", &w,
                          "e.submitted_at IS NULL, e.submitted_at, e.created_at, e.id", f->offset,
                          f->limit);
    rows_where_cleanup(&w);
    return r;
}

json_t *enterprises_shared_contacts(struct db *db, json_t *e)
{
    const char *id = json_string_value(json_object_get(e, "id"));
    json_t *all = json_array();
    static const char *const fields[] = {"phone", "email", "legal_rep"};
    for (int i = 0; i < 3; i++) {
        const char *v = json_string_value(json_object_get(e, fields[i]));
        if (!v || !v[0]) continue;
        char sql[160];
        snprintf(sql, sizeof sql,
                 "SELECT id, name, uscc FROM enterprises WHERE %s = ? AND id <> ? ORDER BY name",
                 fields[i]);
        json_t *rows = rows_all(db, sql, "tt", v, id);
        if (!rows) {
            json_decref(all);
            return NULL;
        }
        size_t k;
        json_t *row;
        json_array_foreach(rows, k, row)
        {
            json_object_set_new(row, "field", json_string(fields[i]));
            json_array_append(all, row);
        }
        json_decref(rows);
    }
    return all;
}

json_t *providers_list(struct db *db, const struct provider_filter *f)
{
    struct rows_where w;
    rows_where_init(&w);
    char q[200];
    if (f->status) status_filter(&w, "p", f->status);
    if (f->kind) rows_where_text(&w, "p.kind = ?", f->kind, 1);
    if (f->user_id) rows_where_text(&w, "p.user_id = ?", f->user_id, 1);
    if (f->q) {
        rows_like(q, sizeof q, f->q);
        rows_where_text(&w, "(p.name LIKE ? ESCAPE '\\' OR p.uscc LIKE ? ESCAPE '\\')", q, 2);
    }
    struct list_filter range = {.from_ms = f->from_ms, .to_ms = f->to_ms};
    list_filter_instants(&w, &range, "p.created_at");
    json_t *r = rows_page(db,
                          "p.id, p.uscc, p.name, p.kind, p.status, p.submitted_at, p.updated_at",
                          "FROM providers p", &w,
                          "p.submitted_at IS NULL, p.submitted_at, p.created_at, p.id", f->offset,
                          f->limit);
    rows_where_cleanup(&w);
    return r;
}

int negative_list_find_active(struct db *db, const char *uscc, json_t **out)
{
    return rows_one(db, out,
                    "SELECT * FROM negative_list WHERE uscc = ? AND lifted_at IS NULL"
                    " ORDER BY added_at",
                    "t", uscc);
}

json_t *negative_list_active(struct db *db, const char *uscc)
{
    json_t *row = NULL;
    negative_list_find_active(db, uscc, &row);
    return row;
}
