/* Throttle rows (see throttles.h). */
#include "store/throttles.h"
#include "core/status.h"

#include <stdio.h>
#include <string.h>

void throttles_key(char out[THROTTLE_KEY_MAX], enum throttle_kind kind, const char *addr,
                   const char *username)
{
    static const char *const prefix[] = {"pair", "addr", "signup"};
    if (kind == THROTTLE_PAIR)
        snprintf(out, THROTTLE_KEY_MAX, "pair:%.64s|%.64s", addr ? addr : "",
                 username ? username : "");
    else
        snprintf(out, THROTTLE_KEY_MAX, "%s:%.64s", prefix[kind], addr ? addr : "");
}

int throttles_get(struct db *db, const char *key, struct throttle_row *r)
{
    r->count = 0;
    r->at = 0;
    struct db_stmt *st = db_query(
        db, "SELECT failures, last_failure_at FROM login_throttle WHERE key = ?", "t", key);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        r->count = (int)db_col_int64(st, 0);
        r->at = db_col_int64(st, 1);
    }
    db_finalize(st);
    return rc < 0 ? rc : YQ_OK;
}

int throttles_put(struct db *db, const char *key, const struct throttle_row *r)
{
    int rc = db_run(db,
                    "UPDATE login_throttle SET failures = ?, last_failure_at = ?, locked_until = 0"
                    " WHERE key = ?",
                    "iit", (int64_t)r->count, r->at, key);
    if (rc != YQ_OK || db_changes(db) > 0) return rc;
    return db_run(db,
                  "INSERT INTO login_throttle(key, failures, last_failure_at, locked_until)"
                  " VALUES (?,?,?,0)",
                  "tii", key, (int64_t)r->count, r->at);
}

/* `s` with LIKE's wildcards and the escape character escaped. */
static void like_escape(char *out, size_t n, const char *s)
{
    size_t j = 0;
    for (; *s && j + 2 < n; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') out[j++] = '\\';
        out[j++] = *s;
    }
    out[j] = '\0';
}

static int delete_like(struct db *db, const char *pattern, int64_t *n)
{
    int rc = db_run(db, "DELETE FROM login_throttle WHERE key LIKE ? ESCAPE '\\'", "t", pattern);
    if (rc == YQ_OK) *n += db_changes(db);
    return rc;
}

int throttles_delete_account(struct db *db, const char *username, const char *addr, int64_t *n)
{
    *n = 0;
    char key[THROTTLE_KEY_MAX];
    if (addr) {
        throttles_key(key, THROTTLE_PAIR, addr, username);
        int rc = db_run(db, "DELETE FROM login_throttle WHERE key = ?", "t", key);
        if (rc == YQ_OK) *n = db_changes(db);
        return rc;
    }
    /* "pair:%|<username>": an address never holds a '|'. */
    char user[2 * 64 + 1], pattern[THROTTLE_KEY_MAX + 80];
    snprintf(key, sizeof key, "%.64s", username);
    like_escape(user, sizeof user, key);
    snprintf(pattern, sizeof pattern, "pair:%%|%s", user);
    return delete_like(db, pattern, n);
}

int throttles_delete_address(struct db *db, const char *addr, bool with_accounts, int64_t *n)
{
    *n = 0;
    char key[THROTTLE_KEY_MAX], esc[2 * 64 + 1], pattern[THROTTLE_KEY_MAX + 80];
    int rc = YQ_OK;
    for (int k = THROTTLE_ADDRESS; k <= THROTTLE_SIGNUP && rc == YQ_OK; k++) {
        throttles_key(key, (enum throttle_kind)k, addr, NULL);
        rc = db_run(db, "DELETE FROM login_throttle WHERE key = ?", "t", key);
        if (rc == YQ_OK) *n += db_changes(db);
    }
    if (rc != YQ_OK || !with_accounts) return rc;
    snprintf(key, sizeof key, "%.64s", addr);
    like_escape(esc, sizeof esc, key);
    snprintf(pattern, sizeof pattern, "pair:%s|%%", esc);
    return delete_like(db, pattern, n);
}

json_t *throttles_recent(struct db *db, int64_t since, int64_t limit)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT key, failures, last_failure_at FROM login_throttle"
                                  " WHERE last_failure_at >= ? AND failures > 0"
                                  " ORDER BY last_failure_at DESC, key LIMIT ?",
                                  "ii", since, limit);
    if (!st) return NULL;
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, json_pack("{s:s, s:I, s:I}", "key", db_col_text(st, 0),
                                               "count", (json_int_t)db_col_int64(st, 1), "at",
                                               (json_int_t)db_col_int64(st, 2)));
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return items;
}
