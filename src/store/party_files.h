/* What a sign-up brings besides the account and the draft: the consent to
 * the user agreement and privacy notice, and the business licence (营业执照)
 * of the enterprise or provider. All functions run inside the caller's
 * transaction. */
#ifndef YQ_STORE_PARTY_FILES_H
#define YQ_STORE_PARTY_FILES_H

#include "store/db.h"

#include <jansson.h>
#include <stdint.h>

/* Records an account's consent. YQ_OK, YQ_ECONFLICT when one is recorded
 * already, or an error. */
int signup_consent_insert(struct db *db, const char *user_id, const char *version,
                          int64_t accepted_at, const char *client_addr);
/* The consent of an account ({version, accepted_at}); YQ_ENOTFOUND. */
int signup_consent_get(struct db *db, const char *user_id, json_t **out);

struct party_licence {
    const char *party_id, *kind; /* kind: "enterprise" | "provider" */
    const char *sha256, *filename, *content_type;
    int64_t size;
    const char *uploaded_by;
    int64_t uploaded_at;
};

/* Sets the party's licence, replacing the one before. YQ_OK or an error. */
int party_licence_put(struct db *db, const struct party_licence *l);
/* The party's licence as a row (sha256, filename, content_type, size,
 * uploaded_by, uploaded_at); YQ_ENOTFOUND when none was uploaded. */
int party_licence_get(struct db *db, const char *party_id, json_t **out);

#endif
