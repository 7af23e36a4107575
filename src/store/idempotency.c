/* Idempotency-Key records. */
#include "store/idempotency.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/status.h"

#include <string.h>

/* A claim whose request never finished (a crash) is let go after this. */
#define CLAIM_STALE_MS (60LL * 1000)

int idempotency_claim(struct db *db, const char *scope, const char *key, const char *method,
                      const char *path, const char *body_hash, enum idem_state *state,
                      struct idem_record *rec)
{
    rec->status = 0;
    rec->body = NULL;
    int64_t now = clock_now_ms();
    int rc = db_begin(db, true);
    if (rc != YQ_OK) return rc;
    struct db_stmt *st = db_query(db,
                                  "SELECT method, path, status, body, created_at, body_hash FROM"
                                  " idempotency_keys WHERE scope = ? AND key = ?",
                                  "tt", scope, key);
    if (!st) goto fail;
    rc = db_step(st);
    if (rc == DB_ROW) {
        bool same = strcmp(db_col_text(st, 0), method) == 0 &&
                    strcmp(db_col_text(st, 1), path) == 0 &&
                    strcmp(db_col_text(st, 5), body_hash) == 0;
        int status = (int)db_col_int64(st, 2);
        int64_t at = db_col_int64(st, 4);
        bool expired = now - at >= IDEMPOTENCY_TTL_MS || (status == 0 && now - at >= CLAIM_STALE_MS);
        if (!expired) {
            if (!same)
                *state = IDEM_OTHER_REQUEST;
            else if (status == 0)
                *state = IDEM_IN_PROGRESS;
            else {
                *state = IDEM_REPLAY;
                rec->status = status;
                rec->body = yq_strdup(db_col_text(st, 3));
            }
            db_finalize(st);
            db_rollback(db);
            return YQ_OK;
        }
        db_finalize(st);
        if ((rc = db_run(db, "DELETE FROM idempotency_keys WHERE scope = ? AND key = ?", "tt",
                         scope, key)) != YQ_OK)
            goto fail;
    } else {
        db_finalize(st);
        if (rc < 0) goto fail;
    }
    rc = db_run(db,
                "INSERT INTO idempotency_keys(scope, key, method, path, status, body, created_at,"
                " body_hash) VALUES (?,?,?,?,0,'',?,?)",
                "ttt" "tit", scope, key, method, path, now, body_hash);
    if (rc != YQ_OK || (rc = db_commit(db)) != YQ_OK) goto fail;
    *state = IDEM_NEW;
    return YQ_OK;
fail:
    db_rollback(db);
    return rc < 0 ? rc : YQ_ERR;
}

int idempotency_finish(struct db *db, const char *scope, const char *key, int status,
                       const char *body)
{
    int rc = db_begin(db, true);
    if (rc != YQ_OK) return rc;
    if (status == 0)
        rc = db_run(db, "DELETE FROM idempotency_keys WHERE scope = ? AND key = ?", "tt", scope,
                    key);
    else
        rc = db_run(db, "UPDATE idempotency_keys SET status = ?, body = ? WHERE scope = ? AND key = ?",
                    "itt" "t", (int64_t)status, body, scope, key);
    if (rc == YQ_OK) return db_commit(db);
    db_rollback(db);
    return rc;
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
