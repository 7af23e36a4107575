/* Catalog and negative-list queries. */
#include "store/catalog.h"
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

json_t *catalog_list(struct db *db, const struct catalog_filter *f, bool public_view)
{
    struct rows_where w;
    rows_where_init(&w);
    char q[200];
    if (public_view) {
        rows_where_text(&w, "i.status = ?", "published", 1);
        rows_where_text(&w, "p.status = ?", "approved", 1);
    }
    if (f->category) rows_where_text(&w, "r.category = ?", f->category, 1);
    if (f->subcategory) rows_where_text(&w, "r.subcategory = ?", f->subcategory, 1);
    if (f->service_id > 0) rows_where_int(&w, "r.id = ?", f->service_id);
    if (f->provider_id) rows_where_text(&w, "i.provider_id = ?", f->provider_id, 1);
    if (f->status) rows_where_text(&w, "i.status = ?", f->status, 1);
    if (f->price_min >= 0) rows_where_int(&w, "v.discount_price_fen >= ?", f->price_min);
    if (f->price_max >= 0) rows_where_int(&w, "v.discount_price_fen <= ?", f->price_max);
    if (f->pending_review) rows_where_text(&w, "v.status = ?", "pending", 1);
    if (f->q) {
        rows_like(q, sizeof q, f->q);
        rows_where_text(&w,
                        "(v.name LIKE ? ESCAPE '\\' OR v.description LIKE ? ESCAPE '\\'"
                        " OR p.name LIKE ? ESCAPE '\\' OR r.service LIKE ? ESCAPE '\\')",
                        q, 4);
    }
    /* The public sees the published version; the owner and reviewers the
     * latest. */
    const char *from = public_view
                           ? "FROM catalog_items i JOIN providers p ON p.id = i.provider_id"
                             " JOIN catalog_item_versions v ON v.item_id = i.id"
                             " AND v.version = i.published_version"
                             " JOIN reference_services r ON r.id = v.reference_service_id"
                           : "FROM catalog_items i JOIN providers p ON p.id = i.provider_id"
                             " JOIN catalog_item_versions v ON v.item_id = i.id"
                             " AND v.version = i.latest_version"
                             " JOIN reference_services r ON r.id = v.reference_service_id";
    json_t *r = rows_page(db,
                          "i.id, i.provider_id, p.name AS provider_name, i.status,"
                          " i.latest_version, i.published_version, " VERSION_COLUMNS,
                          from, &w, "r.id, v.discount_price_fen, i.id", f->offset, f->limit);
    rows_where_cleanup(&w);
    return r;
}

json_t *providers_public_list(struct db *db, const char *q, const char *kind, int64_t offset,
                              int64_t limit)
{
    char pattern[200];
    if (q) rows_like(pattern, sizeof pattern, q);
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

json_t *negative_list_list(struct db *db, bool include_lifted, const char *q, int64_t offset,
                           int64_t limit)
{
    struct rows_where w;
    rows_where_init(&w);
    char pattern[200];
    if (!include_lifted) rows_where_sql(&w, "lifted_at IS NULL");
    if (q) {
        rows_like(pattern, sizeof pattern, q);
        rows_where_text(&w, "(uscc LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')", pattern, 2);
    }
    json_t *r = rows_page(db, include_lifted ? "*" : "id, uscc, name, reason, added_at",
                          "FROM negative_list", &w, "added_at DESC, id", offset, limit);
    rows_where_cleanup(&w);
    return r;
}
