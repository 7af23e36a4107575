/* Sessions (stored by token hash only). */
#include "store/users.h"
#include "core/status.h"

#include <stdio.h>

int sessions_insert(struct db *db, const char *token_hash, const char *user_id,
                    const char *csrf, int64_t now, const char *client_addr)
{
    return db_run(db,
                  "INSERT INTO sessions(token_hash, user_id, csrf, created_at, last_seen_at,"
                  " client_addr) VALUES (?,?,?,?,?,?)",
                  "tttiit", token_hash, user_id, csrf, now, now, client_addr);
}

int sessions_touch(struct db *db, const char *token_hash, int64_t now)
{
    return db_run(db, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", "it", now,
                  token_hash);
}

int sessions_delete(struct db *db, const char *token_hash)
{
    return db_run(db, "DELETE FROM sessions WHERE token_hash = ?", "t", token_hash);
}

int sessions_delete_user(struct db *db, const char *user_id)
{
    return db_run(db, "DELETE FROM sessions WHERE user_id = ?", "t", user_id);
}

int sessions_delete_user_except(struct db *db, const char *user_id, const char *keep_hash)
{
    return db_run(db, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", "tt", user_id,
                  keep_hash);
}
