/* Queries over the reference catalog (附件2), providers' catalog items
 * and their versions, and the negative list. */
#ifndef YQ_STORE_CATALOG_H
#define YQ_STORE_CATALOG_H

#include "store/db.h"

#include <jansson.h>
#include <stdint.h>

/* {"items":[{id, category, subcategory, service}], "total":N} */
json_t *reference_services_list(struct db *db);
int reference_service_exists(struct db *db, int64_t id);

/* The item row joined with its provider's name; YQ_OK/YQ_ENOTFOUND. */
int catalog_item_get(struct db *db, const char *id, json_t **out);
/* One version of an item; YQ_OK/YQ_ENOTFOUND. */
int catalog_version_get(struct db *db, const char *item_id, int64_t version, json_t **out);
/* Every version of an item, newest first. */
json_t *catalog_versions(struct db *db, const char *item_id);

struct catalog_filter {
    const char *category, *subcategory, *provider_id, *q, *status;
    int64_t service_id;           /* 0 = any */
    int64_t price_min, price_max; /* fen, on the discounted price; -1 = open */
    bool pending_review;          /* items whose latest version awaits review */
    int64_t offset, limit;
};
/* Items joined with the version that matters: the published one for the
 * public catalog (public = true), else the latest. */
json_t *catalog_list(struct db *db, const struct catalog_filter *f, bool public_view);

/* Approved providers with the number of published items. */
json_t *providers_public_list(struct db *db, const char *q, const char *kind, int64_t offset,
                              int64_t limit);

/* The negative list: active entries (public) or all (officials). */
json_t *negative_list_list(struct db *db, bool include_lifted, const char *q, int64_t offset,
                           int64_t limit);

#endif
