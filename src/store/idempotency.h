/* Idempotency-Key records (SPEC §13): the first answer to a POST, kept for
 * 24 hours under (scope, key) and replayed to any repeat. The record is
 * written in the same transaction as the request's effects, so after a
 * crash a retry either finds the stored answer or finds nothing and runs
 * afresh, at once: there is no claim that outlives its request. */
#ifndef YQ_STORE_IDEMPOTENCY_H
#define YQ_STORE_IDEMPOTENCY_H

#include "store/db.h"

#include <stdint.h>

#define IDEMPOTENCY_TTL_MS (24LL * 3600 * 1000)

/* NEW: run the request. REPLAY: answer the stored reply. OTHER_REQUEST:
 * the key was used for another method, path or body. */
enum idem_state { IDEM_NEW, IDEM_REPLAY, IDEM_OTHER_REQUEST };

struct idem_key {
    const char *scope, *key, *method, *path, *body_hash;
};

struct idem_record {
    int status;
    char *body; /* malloc'd; the caller frees */
};

/* Inside the request's writing transaction: what the key holds. An
 * expired record (or an unfinished one left by an older version) is
 * deleted and the state is IDEM_NEW. YQ_OK or an error. */
int idempotency_lookup(struct db *db, const struct idem_key *k, enum idem_state *state,
                       struct idem_record *rec);
/* Inside the same transaction: stores the answer. YQ_OK or an error. */
int idempotency_store(struct db *db, const struct idem_key *k, int status, const char *body);
/* Forgets records older than the time to live. */
int idempotency_expire(struct db *db);

#endif
