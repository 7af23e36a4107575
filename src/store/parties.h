/* Queries over the parties of the program: enterprises, providers, and
 * the negative list that can disqualify either. Records are JSON objects
 * (store/rows.h) with the table's columns. */
#ifndef YQ_STORE_PARTIES_H
#define YQ_STORE_PARTIES_H

#include "store/db.h"

#include <jansson.h>
#include <stdint.h>

/* One enterprise or provider by id ("enterprises" or "providers").
 * YQ_OK, YQ_ENOTFOUND, or an error. */
int parties_get(struct db *db, const char *table, const char *id, json_t **out);
int parties_get_by_user(struct db *db, const char *table, const char *user_id, json_t **out);
/* "enterprise", "provider" or NULL: who holds this USCC already. */
const char *parties_uscc_holder(struct db *db, const char *uscc, const char *except_id);

struct enterprise_filter {
    const char *county_code; /* filter; NULL = all */
    const char *const *counties; /* scope: only these counties (when ncounties > 0) */
    int ncounties;
    const char *user_id;     /* scope: the enterprise's own account */
    const char *status, *industry, *tag, *flag, *q;
    const char *city_prefix; /* for the warnings filter */
    int warnings;            /* 1: only those with warnings */
    int64_t offset, limit;
};
json_t *enterprises_list(struct db *db, const struct enterprise_filter *f);
/* Other enterprises sharing this one's phone, e-mail or legal
 * representative: [{"field":"phone","id":…,"name":…}]. */
json_t *enterprises_shared_contacts(struct db *db, json_t *enterprise);

struct provider_filter {
    const char *status, *kind, *q;
    const char *user_id;
    int64_t offset, limit;
};
json_t *providers_list(struct db *db, const struct provider_filter *f);

/* The active (not lifted) negative-list entry for a USCC, or NULL. */
json_t *negative_list_active(struct db *db, const char *uscc);

#endif
