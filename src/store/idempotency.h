/* Idempotency-Key records (SPEC §13): the first answer to a POST, kept for
 * 24 hours under (scope, key) and replayed to any repeat. A claim row is
 * written before the request runs, so two copies sent at once cannot both
 * run. */
#ifndef YQ_STORE_IDEMPOTENCY_H
#define YQ_STORE_IDEMPOTENCY_H

#include "store/db.h"

#include <stdint.h>

#define IDEMPOTENCY_TTL_MS (24LL * 3600 * 1000)

/* OTHER_REQUEST: the key was used for another method, path or body. */
enum idem_state { IDEM_NEW, IDEM_REPLAY, IDEM_IN_PROGRESS, IDEM_OTHER_REQUEST };

struct idem_record {
    int status;
    char *body; /* malloc'd; the caller frees */
};

/* Claims the key for this request, or finds what it already holds. */
int idempotency_claim(struct db *db, const char *scope, const char *key, const char *method,
                      const char *path, const char *body_hash, enum idem_state *state,
                      struct idem_record *rec);
/* Stores the answer of a claimed key (or lets the claim go when status is
 * 0: the request failed in a way worth retrying). */
int idempotency_finish(struct db *db, const char *scope, const char *key, int status,
                       const char *body);
/* Forgets records older than the time to live. */
int idempotency_expire(struct db *db);

#endif
