/* The service catalog (目录化管理, SPEC §4): approved providers submit
 * items mapped to a reference service; city_it publishes or rejects each
 * version; an edit is a new version, and contracts keep the version they
 * named; a provider withdraws an item. The published catalog is public. */
#ifndef YQ_SERVICE_CATALOG_H
#define YQ_SERVICE_CATALOG_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/catalog.h"
#include "store/db.h"

#include <jansson.h>

json_t *catalog_submit(struct db *db, const struct actor *a, json_t *fields, struct problem *p);
json_t *catalog_edit(struct db *db, const struct actor *a, const char *id, json_t *changes,
                     struct problem *p);
json_t *catalog_review(struct db *db, const struct actor *a, const char *id, bool publish,
                       const char *reason, struct problem *p);
json_t *catalog_withdraw(struct db *db, const struct actor *a, const char *id,
                         struct problem *p);
/* One item with all its versions, within the actor's scope. */
json_t *catalog_read(struct db *db, const struct actor *a, const char *id, struct problem *p);
/* Items the actor may see (a provider: its own; officials: all). */
json_t *catalog_items_list(struct db *db, const struct actor *a, struct catalog_filter *f,
                           struct problem *p);
/* The public catalog and provider pages (no private fields). */
json_t *catalog_public(struct db *db, struct catalog_filter *f, struct problem *p);
json_t *catalog_public_provider(struct db *db, const char *id, struct problem *p);

/* 信用负面清单. */
json_t *negative_list_add(struct db *db, const struct actor *a, const char *uscc,
                          const char *reason, const char *evidence, struct problem *p);
/* The list with instants formatted: active entries, or all with evidence. */
json_t *negative_list_view(struct db *db, bool include_lifted, const struct list_filter *f,
                           int64_t offset, int64_t limit, struct problem *p);
json_t *negative_list_lift(struct db *db, const struct actor *a, const char *id,
                           const char *reason, struct problem *p);

#endif
