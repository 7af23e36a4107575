/* Party queries. Filters are built from fixed fragments; every value is a
 * bound parameter. */
#include "store/parties.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

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

int parties_get_by_user(struct db *db, const char *table, const char *user_id, json_t **out)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE user_id = ?",
             strcmp(table, "enterprises") == 0 ? "enterprises" : "providers");
    json_t *row;
    int rc = rows_one(db, &row, sql, "t", user_id);
    if (rc != YQ_OK) {
        *out = NULL;
        return rc;
    }
    rc = parties_get(db, table, json_string_value(json_object_get(row, "id")), out);
    json_decref(row);
    return rc;
}

const char *parties_uscc_holder(struct db *db, const char *uscc, const char *except_id)
{
    int64_t n = 0;
    const char *skip = except_id ? except_id : "";
    rows_int(db, &n, "SELECT COUNT(*) FROM enterprises WHERE uscc = ? AND id <> ?", "tt", uscc,
             skip);
    if (n) return "enterprise";
    rows_int(db, &n, "SELECT COUNT(*) FROM providers WHERE uscc = ? AND id <> ?", "tt", uscc,
             skip);
    return n ? "provider" : NULL;
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
    if (f->status) rows_where_text(&w, "e.status = ?", f->status, 1);
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
    if (f->status) rows_where_text(&w, "p.status = ?", f->status, 1);
    if (f->kind) rows_where_text(&w, "p.kind = ?", f->kind, 1);
    if (f->user_id) rows_where_text(&w, "p.user_id = ?", f->user_id, 1);
    if (f->q) {
        rows_like(q, sizeof q, f->q);
        rows_where_text(&w, "(p.name LIKE ? ESCAPE '\\' OR p.uscc LIKE ? ESCAPE '\\')", q, 2);
    }
    json_t *r = rows_page(db,
                          "p.id, p.uscc, p.name, p.kind, p.status, p.submitted_at, p.updated_at",
                          "FROM providers p", &w,
                          "p.submitted_at IS NULL, p.submitted_at, p.created_at, p.id", f->offset,
                          f->limit);
    rows_where_cleanup(&w);
    return r;
}

json_t *negative_list_active(struct db *db, const char *uscc)
{
    json_t *row = NULL;
    rows_one(db, &row,
             "SELECT * FROM negative_list WHERE uscc = ? AND lifted_at IS NULL ORDER BY added_at",
             "t", uscc);
    return row;
}
