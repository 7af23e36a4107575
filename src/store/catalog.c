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

int reference_service_insert(struct db *db, int64_t id, const char *category,
                             const char *subcategory, const char *service)
{
    return db_run(db,
                  "INSERT INTO reference_services(id, category, subcategory, service)"
                  " VALUES (?,?,?,?)",
                  "ittt", id, category, subcategory, service);
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
    if (f->valid_on)
        rows_where_text(&w, "(v.valid_from <= ? AND v.valid_until >= ?)", f->valid_on, 2);
    if (f->not_ended_on) rows_where_text(&w, "v.valid_until >= ?", f->not_ended_on, 1);
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

json_t *providers_public_list(struct db *db, const char *q, const char *kind, const char *today,
                              int64_t offset, int64_t limit)
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
        " (SELECT COUNT(*) FROM catalog_items i JOIN catalog_item_versions v ON v.item_id = i.id"
        "  AND v.version = i.published_version WHERE i.provider_id = p.id"
        "  AND i.status = 'published' AND v.valid_until >= ?) AS published_items"
        " FROM providers p WHERE p.status = 'approved' AND p.name LIKE ? ESCAPE '\\'"
        " AND p.kind LIKE ? ORDER BY p.name LIMIT ? OFFSET ?",
        "tttii", today, pq, k, limit, offset);
    if (!items) return NULL;
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
}

json_t *negative_list_list(struct db *db, bool include_lifted, const struct list_filter *f,
                           int64_t offset, int64_t limit)
{
    struct rows_where w;
    rows_where_init(&w);
    char pattern[220];
    if (!include_lifted) rows_where_sql(&w, "n.lifted_at IS NULL");
    if (f->q) {
        rows_like(pattern, sizeof pattern, f->q);
        rows_where_text(&w, "(n.uscc LIKE ? ESCAPE '\\' OR n.name LIKE ? ESCAPE '\\')", pattern,
                        2);
    }
    if (f->status)
        rows_where_sql(&w, strcmp(f->status, "lifted") == 0 ? "n.lifted_at IS NOT NULL"
                                                            : "n.lifted_at IS NULL");
    list_filter_instants(&w, f, "n.added_at");
    /* Who listed and who lifted, by name as well (the username is kept). */
    json_t *r = rows_page(db,
                          include_lifted ? "n.*, a.display_name AS added_by_name,"
                                           " l.display_name AS lifted_by_name"
                                         : "n.id, n.uscc, n.name, n.reason, n.added_at",
                          "FROM negative_list n LEFT JOIN users a ON a.username = n.added_by"
                          " LEFT JOIN users l ON l.username = n.lifted_by",
                          &w, "n.added_at DESC, n.id", offset, limit);
    rows_where_cleanup(&w);
    return r;
}

int catalog_item_find_published(struct db *db, const char *name, char id[ID_LEN + 1])
{
    json_t *row = NULL;
    int rc = rows_one(db, &row,
                      "SELECT i.id FROM catalog_items i JOIN catalog_item_versions v ON"
                      " v.item_id = i.id AND v.version = i.published_version WHERE v.name = ?",
                      "t", name);
    if (rc == YQ_OK) snprintf(id, ID_LEN + 1, "%s", rows_str(row, "id"));
    json_decref(row);
    return rc;
}

/* The statuses an item may change from: everything but "withdrawn". */
#define ITEM_CHANGEABLE " AND status IN ('pending', 'published', 'rejected')"

/* A guarded write changed its row, or the row was not in the expected state. */
static int changed(struct db *db, int rc)
{
    if (rc == YQ_OK && db_changes(db) == 0) return YQ_ECONFLICT;
    return rc;
}

int catalog_item_insert(struct db *db, const char *id, const char *provider_id, int64_t now)
{
    return db_run(db,
                  "INSERT INTO catalog_items(id, provider_id, status, latest_version, created_at,"
                  " updated_at) VALUES (?, ?, 'pending', 1, ?, ?)",
                  "ttii", id, provider_id, now, now);
}

int catalog_version_insert(struct db *db, const char *item_id, int64_t version, json_t *fields,
                           int64_t now)
{
    static const char *const columns[] = {"reference_service_id",
                                          "name",
                                          "description",
                                          "specification",
                                          "unit",
                                          "list_price_fen",
                                          "discount_price_fen",
                                          "valid_from",
                                          "valid_until",
                                          NULL};
    json_t *row = json_object();
    for (int i = 0; columns[i]; i++) {
        json_t *v = json_object_get(fields, columns[i]);
        if (v) json_object_set(row, columns[i], v);
    }
    json_object_set_new(row, "item_id", json_string(item_id));
    json_object_set_new(row, "version", json_integer(version));
    json_object_set_new(row, "status", json_string("pending"));
    json_object_set_new(row, "created_at", json_integer(now));
    int rc = rows_insert(db, "catalog_item_versions", row);
    json_decref(row);
    return rc;
}

int catalog_version_supersede(struct db *db, const char *item_id, int64_t version)
{
    return changed(db, db_run(db,
                              "UPDATE catalog_item_versions SET status = 'superseded'"
                              " WHERE item_id = ? AND version = ?"
                              " AND status IN ('pending', 'published')",
                              "ti", item_id, version));
}

int catalog_version_review(struct db *db, const char *item_id, int64_t version, bool publish,
                           const char *reason, const char *reviewer, int64_t now)
{
    return changed(db, db_run(db,
                              "UPDATE catalog_item_versions SET status = ?, reject_reason = ?,"
                              " reviewed_at = ?, reviewed_by = ? WHERE item_id = ? AND version = ?"
                              " AND status = 'pending'",
                              "ttitti", publish ? "published" : "rejected", publish ? NULL : reason,
                              now, reviewer, item_id, version));
}

int catalog_item_set_latest(struct db *db, const char *id, int64_t from_version, const char *status,
                            int64_t now)
{
    return changed(db, db_run(db,
                              "UPDATE catalog_items SET latest_version = ?,"
                              " status = COALESCE(?, status), updated_at = ?"
                              " WHERE id = ? AND latest_version = ?" ITEM_CHANGEABLE,
                              "ititi", from_version + 1, status, now, id, from_version));
}

int catalog_item_set_published(struct db *db, const char *id, int64_t version, int64_t now)
{
    return changed(db, db_run(db,
                              "UPDATE catalog_items SET published_version = ?,"
                              " status = 'published', updated_at = ?"
                              " WHERE id = ? AND latest_version = ?" ITEM_CHANGEABLE,
                              "iiti", version, now, id, version));
}

int catalog_item_set_status(struct db *db, const char *id, const char *status, int64_t now)
{
    return changed(db, db_run(db,
                              "UPDATE catalog_items SET status = COALESCE(?, status),"
                              " updated_at = ? WHERE id = ?" ITEM_CHANGEABLE,
                              "tit", status, now, id));
}
