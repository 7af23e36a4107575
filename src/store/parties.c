/* Party queries. Filters are built from fixed fragments; every value is a
 * bound parameter. */
#include "store/parties.h"
#include "core/buf.h"
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

/* A growing WHERE clause with its parameters (all text). */
struct where {
    struct buf sql;
    const char *args[16];
    int n;
};

static void where_add(struct where *w, const char *fragment, const char *arg, int times)
{
    buf_puts(&w->sql, w->sql.len ? " AND " : " WHERE ");
    buf_puts(&w->sql, fragment);
    for (int i = 0; i < times && w->n < 16; i++) w->args[w->n++] = arg;
}

/* Runs a list query with the where clause: count, then one page. */
static json_t *list_page(struct db *db, const char *select, const char *from,
                         struct where *w, const char *order, int64_t offset, int64_t limit)
{
    int i;
    struct buf sql;
    buf_init(&sql, 16384);
    buf_printf(&sql, "SELECT COUNT(*) %s%s", from, w->sql.data ? w->sql.data : "");
    struct db_stmt *st = db_prepare(db, sql.data);
    json_t *result = NULL;
    if (!st) goto out;
    for (i = 0; i < w->n; i++) db_bind_text(st, i + 1, w->args[i]);
    int64_t total = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    buf_reset(&sql);
    buf_printf(&sql, "SELECT %s %s%s ORDER BY %s LIMIT ? OFFSET ?", select, from,
               w->sql.data ? w->sql.data : "", order);
    st = db_prepare(db, sql.data);
    if (!st) goto out;
    for (i = 0; i < w->n; i++) db_bind_text(st, i + 1, w->args[i]);
    db_bind_int64(st, w->n + 1, limit);
    db_bind_int64(st, w->n + 2, offset);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) json_array_append_new(items, rows_object(st));
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        goto out;
    }
    result = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
out:
    buf_cleanup(&sql);
    return result;
}

static void like_pattern(char *out, size_t n, const char *q, char pre, char post)
{
    size_t j = 0;
    if (pre) out[j++] = pre;
    for (const char *p = q; *p && j < n - 3; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') out[j++] = '\\';
        out[j++] = *p;
    }
    if (post) out[j++] = post;
    out[j] = '\0';
}

/* Warnings visible in SQL: division outside the city, or contacts shared
 * with another enterprise. */
#define ENTERPRISE_WARNING_SQL                                                                 \
    "(SUBSTR(e.uscc, 3, 4) <> ? OR EXISTS (SELECT 1 FROM enterprises o WHERE o.id <> e.id AND" \
    " ((o.phone = e.phone AND e.phone <> '') OR (o.email = e.email AND e.email <> '') OR"      \
    " (o.legal_rep = e.legal_rep AND e.legal_rep <> ''))))"

json_t *enterprises_list(struct db *db, const struct enterprise_filter *f)
{
    struct where w = {.n = 0};
    buf_init(&w.sql, 8192);
    char tag[160], flag[80], q[200];
    if (f->county_code) where_add(&w, "e.county_code = ?", f->county_code, 1);
    if (f->user_id) where_add(&w, "e.user_id = ?", f->user_id, 1);
    if (f->status) where_add(&w, "e.status = ?", f->status, 1);
    if (f->industry) where_add(&w, "e.industry = ?", f->industry, 1);
    if (f->tag) {
        like_pattern(tag, sizeof tag, f->tag, '%', '%');
        where_add(&w, "e.key_industry_tags LIKE ? ESCAPE '\\'", tag, 1);
    }
    if (f->flag) {
        like_pattern(flag, sizeof flag, f->flag, '%', '%');
        where_add(&w, "e.priority_flags LIKE ? ESCAPE '\\'", flag, 1);
    }
    if (f->q) {
        like_pattern(q, sizeof q, f->q, '%', '%');
        where_add(&w, "(e.name LIKE ? ESCAPE '\\' OR e.uscc LIKE ? ESCAPE '\\')", q, 2);
    }
    if (f->warnings == 1) where_add(&w, ENTERPRISE_WARNING_SQL, f->city_prefix, 1);
    json_t *r = list_page(db,
                          "e.id, e.uscc, e.name, e.county_code, c.name AS county_name, e.industry,"
                          " e.key_industry_tags, e.priority_flags, e.status, e.submitted_at,"
                          " e.updated_at",
                          "FROM enterprises e JOIN counties c ON c.code = e.county_code", &w,
                          "e.submitted_at IS NULL, e.submitted_at, e.created_at, e.id", f->offset,
                          f->limit);
    buf_cleanup(&w.sql);
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
    struct where w = {.n = 0};
    buf_init(&w.sql, 4096);
    char q[200];
    if (f->status) where_add(&w, "p.status = ?", f->status, 1);
    if (f->kind) where_add(&w, "p.kind = ?", f->kind, 1);
    if (f->user_id) where_add(&w, "p.user_id = ?", f->user_id, 1);
    if (f->q) {
        like_pattern(q, sizeof q, f->q, '%', '%');
        where_add(&w, "(p.name LIKE ? ESCAPE '\\' OR p.uscc LIKE ? ESCAPE '\\')", q, 2);
    }
    json_t *r = list_page(db,
                          "p.id, p.uscc, p.name, p.kind, p.status, p.submitted_at, p.updated_at",
                          "FROM providers p", &w,
                          "p.submitted_at IS NULL, p.submitted_at, p.created_at, p.id", f->offset,
                          f->limit);
    buf_cleanup(&w.sql);
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
