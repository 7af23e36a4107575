/* A POST under an Idempotency-Key (SPEC §13) runs in one writing
 * transaction that holds the key's lookup, the request's effects (every use
 * case nests in it as a savepoint, service/tx.h) and the stored answer.
 * A crash before the commit leaves nothing (the retry runs afresh at once);
 * after it, the retry finds the answer. Two copies sent at once are
 * serialised by the write lock: the second finds the first's answer. */
#ifndef YQ_SERVICE_IDEMPOTENT_H
#define YQ_SERVICE_IDEMPOTENT_H

#include "core/problem.h"
#include "store/db.h"
#include "store/idempotency.h"

#include <stdbool.h>
#include <stddef.h>

/* The SHA-256 (hex) of a request body, for idem_key.body_hash. */
void idempotent_body_hash(const char *body, size_t len, char out[65]);
/* Opens the request's transaction and looks the key up. On IDEM_NEW the
 * transaction stays open for the request; otherwise it is closed (a
 * replay's body is in rec, which the caller frees). YQ_OK, or the failure
 * with `p` filled as the person must hear it (a busy database: 503 busy,
 * which the answer carries with Retry-After; a failed storage: its own). */
int idempotent_open(struct db *db, const struct idem_key *k, enum idem_state *state,
                    struct idem_record *rec, struct problem *p);
/* Ends the request's transaction: `commit` false rolls everything back;
 * otherwise the answer is stored when `status` > 0 (0: an answer not to
 * replay, e.g. throttled) and the transaction commits. YQ_OK when it
 * committed (or was rolled back as asked), else the failure (rolled back). */
int idempotent_close(struct db *db, const struct idem_key *k, bool commit, int status,
                     const char *body);

#endif
