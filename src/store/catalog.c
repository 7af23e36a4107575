/* Catalog and negative-list queries. */
#include "store/catalog.h"
#include "core/buf.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

json_t *reference_services_list(struct db *db)
{
    json_t *items = rows_all(db,
                             "SELECT id, category, subcategory, service FROM reference_services"
                             " ORDER BY id",
                             NULL);
    if (!items) return NULL;
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
}

int reference_service_exists(struct db *db, int64_t id)
{
    int64_t n = 0;
    int rc = rows_int(db, &n, "SELECT COUNT(*) FROM reference_services WHERE id = ?", "i", id);
    if (rc != YQ_OK) return rc;
    return n ? YQ_OK : YQ_ENOTFOUND;
}

int catalog_item_get(struct db *db, const char *id, json_t **out)
{
    return rows_one(db, out,
                    "SELECT i.*, p.name AS provider_name, p.user_id AS provider_user_id,"
                    " p.status AS provider_status FROM catalog_items i"
                    " JOIN providers p ON p.id = i.provider_id WHERE i.id = ?",
                    "t", id);
}

#define VERSION_COLUMNS                                                                        \
    "v.version, v.reference_service_id, r.category, r.subcategory, r.service, v.name,"         \
    " v.description, v.specification, v.unit, v.list_price_fen, v.discount_price_fen,"         \
    " v.valid_from, v.valid_until, v.status AS version_status, v.reject_reason,"               \
    " v.created_at AS version_created_at, v.reviewed_at, v.reviewed_by"

int catalog_version_get(struct db *db, const char *item_id, int64_t version, json_t **out)
{
    return rows_one(db, out,
                    "SELECT v.item_id, " VERSION_COLUMNS " FROM catalog_item_versions v"
                    " JOIN reference_services r ON r.id = v.reference_service_id"
                    " WHERE v.item_id = ? AND v.version = ?",
                    "ti", item_id, version);
}

json_t *catalog_versions(struct db *db, const char *item_id)
{
    return rows_all(db,
                    "SELECT " VERSION_COLUMNS " FROM catalog_item_versions v"
                    " JOIN reference_services r ON r.id = v.reference_service_id"
                    " WHERE v.item_id = ? ORDER BY v.version DESC",
                    "t", item_id);
}

static void like(char *out, size_t n, const char *q)
{
    size_t j = 0;
    out[j++] = '%';
    for (const char *p = q; *p && j < n - 3; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') out[j++] = '\\';
        out[j++] = *p;
    }
    out[j++] = '%';
    out[j] = '\0';
}

json_t *catalog_list(struct db *db, const struct catalog_filter *f, bool public_view)
{
    struct buf where;
    buf_init(&where, 4096);
    /* Parameters in order: up to 10 text or integer values. */
    struct {
        char type;
        const char *text;
        int64_t num;
    } args[12];
    int n = 0;
    char q[200];
#define ADD_TEXT(frag, v)                                                                      \
    do {                                                                                       \
        buf_puts(&where, " AND " frag);                                                        \
        args[n].type = 't';                                                                    \
        args[n++].text = (v);                                                                  \
    } while (0)
#define ADD_INT(frag, v)                                                                       \
    do {                                                                                       \
        buf_puts(&where, " AND " frag);                                                        \
        args[n].type = 'i';                                                                    \
        args[n++].num = (v);                                                                   \
    } while (0)
    if (public_view)
        buf_puts(&where, " AND i.status = 'published' AND p.status = 'approved'");
    if (f->category) ADD_TEXT("r.category = ?", f->category);
    if (f->subcategory) ADD_TEXT("r.subcategory = ?", f->subcategory);
    if (f->service_id > 0) ADD_INT("r.id = ?", f->service_id);
    if (f->provider_id) ADD_TEXT("i.provider_id = ?", f->provider_id);
    if (f->status) ADD_TEXT("i.status = ?", f->status);
    if (f->price_min >= 0) ADD_INT("v.discount_price_fen >= ?", f->price_min);
    if (f->price_max >= 0) ADD_INT("v.discount_price_fen <= ?", f->price_max);
    if (f->pending_review) buf_puts(&where, " AND v.status = 'pending'");
    if (f->q) {
        like(q, sizeof q, f->q);
        buf_puts(&where, " AND (v.name LIKE ? ESCAPE '\\' OR v.description LIKE ? ESCAPE '\\'"
                         " OR p.name LIKE ? ESCAPE '\\' OR r.service LIKE ? ESCAPE '\\')");
        for (int k = 0; k < 4; k++) {
            args[n].type = 't';
            args[n++].text = q;
        }
    }
#undef ADD_TEXT
#undef ADD_INT
    const char *version_join = public_view ? "v.version = i.published_version"
                                           : "v.version = i.latest_version";
    struct buf sql;
    buf_init(&sql, 16384);
    const char *from_fmt = " FROM catalog_items i JOIN providers p ON p.id = i.provider_id"
                           " JOIN catalog_item_versions v ON v.item_id = i.id AND %s"
                           " JOIN reference_services r ON r.id = v.reference_service_id"
                           " WHERE 1 = 1%s";
    json_t *result = NULL;
    for (int pass = 0; pass < 2; pass++) {
        buf_reset(&sql);
        buf_puts(&sql, pass == 0 ? "SELECT COUNT(*)"
                                 : "SELECT i.id, i.provider_id, p.name AS provider_name,"
                                   " i.status, i.latest_version, i.published_version, " VERSION_COLUMNS);
        buf_printf(&sql, from_fmt, version_join, where.data ? where.data : "");
        if (pass == 1) buf_puts(&sql, " ORDER BY r.id, v.discount_price_fen, i.id LIMIT ? OFFSET ?");
        struct db_stmt *st = db_prepare(db, sql.data);
        if (!st) break;
        for (int k = 0; k < n; k++) {
            if (args[k].type == 't')
                db_bind_text(st, k + 1, args[k].text);
            else
                db_bind_int64(st, k + 1, args[k].num);
        }
        if (pass == 0) {
            int64_t total = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
            db_finalize(st);
            result = json_pack("{s:[], s:I}", "items", "total", (json_int_t)total);
            continue;
        }
        db_bind_int64(st, n + 1, f->limit);
        db_bind_int64(st, n + 2, f->offset);
        json_t *items = json_object_get(result, "items");
        int rc;
        while ((rc = db_step(st)) == DB_ROW) json_array_append_new(items, rows_object(st));
        db_finalize(st);
        if (rc < 0) {
            json_decref(result);
            result = NULL;
        }
    }
    buf_cleanup(&sql);
    buf_cleanup(&where);
    return result;
}

json_t *providers_public_list(struct db *db, const char *q, const char *kind, int64_t offset,
                              int64_t limit)
{
    char pattern[200];
    if (q) like(pattern, sizeof pattern, q);
    const char *pq = q ? pattern : "%";
    const char *k = kind ? kind : "%";
    int64_t total = 0;
    if (rows_int(db, &total,
                 "SELECT COUNT(*) FROM providers WHERE status = 'approved' AND name LIKE ?"
                 " ESCAPE '\\' AND kind LIKE ?",
                 "tt", pq, k) != YQ_OK)
        return NULL;
    json_t *items = rows_all(
        db,
        "SELECT p.id, p.uscc, p.name, p.kind, p.qualifications,"
        " (SELECT COUNT(*) FROM catalog_items i WHERE i.provider_id = p.id"
        "  AND i.status = 'published') AS published_items"
        " FROM providers p WHERE p.status = 'approved' AND p.name LIKE ? ESCAPE '\\'"
        " AND p.kind LIKE ? ORDER BY p.name LIMIT ? OFFSET ?",
        "ttii", pq, k, limit, offset);
    if (!items) return NULL;
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
}

json_t *negative_list_list(struct db *db, bool include_lifted, int64_t offset, int64_t limit)
{
    int64_t total = 0;
    const char *where = include_lifted ? "" : " WHERE lifted_at IS NULL";
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM negative_list%s", where);
    if (rows_int(db, &total, sql, NULL) != YQ_OK) return NULL;
    snprintf(sql, sizeof sql,
             "SELECT %s FROM negative_list%s ORDER BY added_at DESC, id LIMIT ? OFFSET ?",
             include_lifted ? "*" : "id, uscc, name, reason, added_at", where);
    json_t *items = rows_all(db, sql, "ii", limit, offset);
    if (!items) return NULL;
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
}
