/* Counts of the work waiting for a role outside redemption (issue 11, the
 * home page's 待办): registrations and catalog versions to review,
 * contracts waiting for the other side's confirmation. */
#ifndef YQ_STORE_PENDING_H
#define YQ_STORE_PENDING_H

#include "store/db.h"
#include "store/scope.h"

#include <stdint.h>

/* Enterprises submitted for review (待审核) in the scope's counties. */
int pending_enterprises(struct db *db, const struct row_scope *s, int64_t *n);
/* Providers submitted for review (city-wide). */
int pending_providers(struct db *db, int64_t *n);
/* Catalog item versions waiting for review (city-wide). */
int pending_catalog(struct db *db, int64_t *n);
/* Contracts of the scope (an enterprise's or a provider's own) still
 * draft (待对方确认) and drafted by the other side than `role`. */
int pending_contracts(struct db *db, const struct row_scope *s, const char *role, int64_t *n);

#endif
