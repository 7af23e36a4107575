/* Queries over the parties of the program: enterprises, providers, and
 * the negative list that can disqualify either. Records are JSON objects
 * (store/rows.h) with the table's columns. */
#ifndef YQ_STORE_PARTIES_H
#define YQ_STORE_PARTIES_H

#include "store/list_filter.h"
#include "store/db.h"
#include "store/id.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* One enterprise or provider by id ("enterprises" or "providers").
 * YQ_OK, YQ_ENOTFOUND, or an error. */
int parties_get(struct db *db, const char *table, const char *id, json_t **out);
int parties_get_by_user(struct db *db, const char *table, const char *user_id, json_t **out);
int parties_get_by_uscc(struct db *db, const char *table, const char *uscc, json_t **out);
/* Who holds this USCC already, other than `except_id` (NULL: none
 * excepted): *holder is "enterprise", "provider" or NULL. YQ_OK or an
 * error. */
int parties_uscc_holder(struct db *db, const char *uscc, const char *except_id,
                        const char **holder);

/* Writes; each runs inside the caller's writing transaction and returns
 * YQ_OK, YQ_ECONFLICT, or an error. */

/* A new draft enterprise (county_code set) or provider (county_code NULL).
 * YQ_ECONFLICT when the USCC is registered already. */
struct party_draft {
    const char *id, *user_id, *uscc, *name;
    const char *county_code;
    int64_t now;
};
int parties_insert_draft(struct db *db, const char *table, const struct party_draft *d);
/* A whole enterprise row (the import's: its columns checked by
 * service/party_fields.c, keys are column names of our own). YQ_OK,
 * YQ_ECONFLICT when the USCC is registered already, or an error. */
int enterprises_insert(struct db *db, json_t *columns);
/* Sets the profile columns of `fields` (checked by service/party_fields.c:
 * column names come from our code) and updated_at, while the row's status
 * is still `expect_status`; YQ_ECONFLICT when it is not. */
int parties_update_profile(struct db *db, const char *table, const char *id,
                           const char *expect_status, json_t *fields, int64_t now);

/* A move along the registration state machine (core/registration.h). */
enum party_stamp {
    PARTY_STAMP_NONE,      /* disqualify: the status alone */
    PARTY_STAMP_SUBMITTED, /* submit, reinstate: submitted_at, reject_reason cleared */
    PARTY_STAMP_REVIEWED,  /* approve, reject: reviewed_at, reviewed_by, reject_reason */
};
struct party_transition {
    const char *from, *to; /* status codes */
    enum party_stamp stamp;
    const char *reviewed_by, *reject_reason; /* PARTY_STAMP_REVIEWED; reason NULL clears */
    int64_t now;
};
/* Moves the row from t->from to t->to; YQ_ECONFLICT when it is no longer
 * at t->from. */
int parties_transition(struct db *db, const char *table, const char *id,
                       const struct party_transition *t);

/* The approved enterprise with this USCC: {id, uscc, name, county_code,
 * county_name}. YQ_OK, YQ_ENOTFOUND, or an error. */
int enterprises_get_approved_by_uscc(struct db *db, const char *uscc, json_t **out);
/* The id of the enterprise named `name` (the demo's lookups). YQ_OK,
 * YQ_ENOTFOUND, or an error. */
int enterprises_find_by_name(struct db *db, const char *name, char id[ID_LEN + 1]);

struct enterprise_filter {
    const char *county_code; /* filter; NULL = all */
    const char *const *counties; /* scope: only these counties (when ncounties > 0) */
    int ncounties;
    const char *user_id;     /* scope: the enterprise's own account */
    const char *status, *industry, *tag, *flag, *q;
    int64_t from_ms, to_ms;  /* registered (created_at) in [from, to); 0 = open */
    const char *city_prefix; /* for the warnings filter */
    int warnings;            /* 1: only those with warnings */
    int64_t offset, limit;
};
json_t *enterprises_list(struct db *db, const struct enterprise_filter *f);
/* Other enterprises sharing this one's phone, e-mail or legal
 * representative: [{"field":"phone","id":…,"name":…}]; NULL on error. */
json_t *enterprises_shared_contacts(struct db *db, json_t *enterprise);

struct provider_filter {
    const char *status, *kind, *q;
    const char *user_id;
    int64_t from_ms, to_ms; /* registered (created_at) in [from, to); 0 = open */
    int64_t offset, limit;
};
json_t *providers_list(struct db *db, const struct provider_filter *f);

/* The active (not lifted) negative-list entry for a USCC: YQ_OK with *out,
 * YQ_ENOTFOUND, or an error. */
int negative_list_find_active(struct db *db, const char *uscc, json_t **out);
/* The same, NULL when there is none or the read failed (prefer
 * negative_list_find_active, which tells the two apart). */
json_t *negative_list_active(struct db *db, const char *uscc);

#endif
