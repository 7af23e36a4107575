/* Idempotency-Key requests in one transaction (see idempotent.h). */
#include "service/idempotent.h"
#include "service/tx_internal.h"
#include "core/status.h"
#include "store/id.h"

void idempotent_body_hash(const char *body, size_t len, char out[65])
{
    id_sha256_hex(body, len, out);
}

int idempotent_open(struct db *db, const struct idem_key *k, enum idem_state *state,
                    struct idem_record *rec, struct problem *p)
{
    problem_clear(p);
    int rc = db_begin(db, true);
    if (rc != YQ_OK) return service_tx_failed(db, rc, p);
    rc = idempotency_lookup(db, k, state, rec);
    if (rc != YQ_OK || *state != IDEM_NEW) db_rollback(db);
    return rc == YQ_OK ? rc : service_tx_failed(db, rc, p);
}

int idempotent_close(struct db *db, const struct idem_key *k, bool commit, int status,
                     const char *body)
{
    if (!commit) {
        db_rollback(db);
        return YQ_OK;
    }
    int rc = status > 0 ? idempotency_store(db, k, status, body) : YQ_OK;
    if (rc != YQ_OK) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}
