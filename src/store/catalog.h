/* Queries over the reference catalog (附件2), providers' catalog items
 * and their versions, and the negative list. */
#ifndef YQ_STORE_CATALOG_H
#define YQ_STORE_CATALOG_H

#include "store/db.h"
#include "store/list_filter.h"
#include "store/id.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* {"items":[{id, category, subcategory, service}], "total":N} */
json_t *reference_services_list(struct db *db);
/* YQ_OK when the service exists, YQ_ENOTFOUND, or an error. */
int reference_service_exists(struct db *db, int64_t id);
/* Adds one service of 附件2 under its id. YQ_OK, YQ_ECONFLICT if the id is
 * taken, or an error. */
int reference_service_insert(struct db *db, int64_t id, const char *category,
                             const char *subcategory, const char *service);

/* The item row joined with its provider's name; YQ_OK/YQ_ENOTFOUND. */
int catalog_item_get(struct db *db, const char *id, json_t **out);
/* One version of an item; YQ_OK/YQ_ENOTFOUND. */
int catalog_version_get(struct db *db, const char *item_id, int64_t version, json_t **out);
/* Every version of an item, newest first; NULL on error. */
json_t *catalog_versions(struct db *db, const char *item_id);
/* The item whose published version is named `name` (the demo's lookups):
 * YQ_OK with its id, YQ_ENOTFOUND, or an error. */
int catalog_item_find_published(struct db *db, const char *name, char id[ID_LEN + 1]);

/* Writes of items and versions; each runs inside the caller's writing
 * transaction. A state change applies only to a row in the state the
 * caller read, and returns YQ_ECONFLICT when the row is no longer in it
 * (YQ_OK or an error otherwise). Items that may change are "pending",
 * "published" or "rejected", never "withdrawn". */

/* A new item of a provider: pending, at version 1 (insert the version too). */
int catalog_item_insert(struct db *db, const char *id, const char *provider_id, int64_t now);
/* A pending version of an item from `fields` (the checked item fields:
 * reference_service_id, name, …, valid_until; other keys are ignored). */
int catalog_version_insert(struct db *db, const char *item_id, int64_t version, json_t *fields,
                           int64_t now);
/* A pending or published version gives way to a newer one. */
int catalog_version_supersede(struct db *db, const char *item_id, int64_t version);
/* Records the review of a pending version: published, or rejected with
 * `reason`, by `reviewer` at `now`. */
int catalog_version_review(struct db *db, const char *item_id, int64_t version, bool publish,
                           const char *reason, const char *reviewer, int64_t now);
/* The item's latest version moves from `from_version` to the next; `status`
 * (NULL: unchanged) is the item's new status. */
int catalog_item_set_latest(struct db *db, const char *id, int64_t from_version, const char *status,
                            int64_t now);
/* The item's latest version, `version`, becomes the published one. */
int catalog_item_set_published(struct db *db, const char *id, int64_t version, int64_t now);
/* The item's status becomes `status` ("rejected", "withdrawn"; NULL:
 * unchanged, only updated_at is stamped). */
int catalog_item_set_status(struct db *db, const char *id, const char *status, int64_t now);

struct catalog_filter {
    const char *category, *subcategory, *provider_id, *q, *status;
    int64_t service_id;           /* 0 = any */
    int64_t price_min, price_max; /* fen, on the discounted price; -1 = open */
    bool pending_review;          /* items whose latest version awaits review */
    /* YYYY-MM-DD or NULL: versions valid (有效期) on that day, and versions
     * whose validity has not ended by that day. */
    const char *valid_on, *not_ended_on;
    int64_t offset, limit;
};
/* Items joined with the version that matters: the published one for the
 * public catalog (public = true), else the latest. */
json_t *catalog_list(struct db *db, const struct catalog_filter *f, bool public_view);

/* Approved providers with the number of published items whose validity
 * has not ended by `today` (YYYY-MM-DD). */
json_t *providers_public_list(struct db *db, const char *q, const char *kind, const char *today,
                              int64_t offset, int64_t limit);

/* The negative list: active entries (public) or all (officials). `f`: q
 * over the name and the USCC, status "active" (not lifted) or "lifted",
 * from/to on the day it was listed. */
json_t *negative_list_list(struct db *db, bool include_lifted, const struct list_filter *f,
                           int64_t offset, int64_t limit);

#endif
