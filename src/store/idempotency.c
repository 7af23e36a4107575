/* Idempotency-Key records. */
#include "store/idempotency.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/status.h"

#include <assert.h>
#include <string.h>

int idempotency_lookup(struct db *db, const struct idem_key *k, enum idem_state *state,
                       struct idem_record *rec)
{
    assert(db_in_transaction(db));
    rec->status = 0;
    rec->body = NULL;
    *state = IDEM_NEW;
    struct db_stmt *st = db_query(db,
                                  "SELECT method, path, status, body, created_at, body_hash FROM"
                                  " idempotency_keys WHERE scope = ? AND key = ?",
                                  "tt", k->scope, k->key);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc < 0) {
        db_finalize(st);
        return rc;
    }
    if (rc == DB_DONE) {
        db_finalize(st);
        return YQ_OK;
    }
    bool same = strcmp(db_col_text(st, 0), k->method) == 0 &&
                strcmp(db_col_text(st, 1), k->path) == 0 &&
                strcmp(db_col_text(st, 5), k->body_hash) == 0;
    int status = (int)db_col_int64(st, 2);
    bool expired = clock_now_ms() - db_col_int64(st, 4) >= IDEMPOTENCY_TTL_MS || status == 0;
    if (!expired) {
        if (!same) {
            *state = IDEM_OTHER_REQUEST;
        } else {
            *state = IDEM_REPLAY;
            rec->status = status;
            rec->body = yq_strdup(db_col_text(st, 3));
        }
        db_finalize(st);
        return YQ_OK;
    }
    db_finalize(st);
    rc = db_run(db, "DELETE FROM idempotency_keys WHERE scope = ? AND key = ?", "tt", k->scope,
                k->key);
    if (rc == YQ_OK && db_changes(db) != 1) rc = YQ_ERR;
    return rc;
}

int idempotency_store(struct db *db, const struct idem_key *k, int status, const char *body)
{
    assert(db_in_transaction(db) && status > 0);
    return db_run(db,
                  "INSERT INTO idempotency_keys(scope, key, method, path, status, body, created_at,"
                  " body_hash) VALUES (?,?,?,?,?,?,?,?)",
                  "tttt"
                  "iti"
                  "t",
                  k->scope, k->key, k->method, k->path, (int64_t)status, body, clock_now_ms(),
                  k->body_hash);
}

int idempotency_expire(struct db *db)
{
    int rc = db_begin(db, true);
    if (rc != YQ_OK) return rc;
    rc = db_run(db, "DELETE FROM idempotency_keys WHERE created_at < ?", "i",
                clock_now_ms() - IDEMPOTENCY_TTL_MS);
    if (rc == YQ_OK) return db_commit(db);
    db_rollback(db);
    return rc;
}
