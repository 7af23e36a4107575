/* Login, session resolution, logout. The password check runs outside any
 * transaction (it takes tens of milliseconds); the outcome is written in
 * one short writing transaction. */
#include "service/auth.h"
#include "core/clock.h"
#include "core/lockout.h"
#include "core/status.h"
#include "service/password.h"
#include "store/audit.h"
#include "store/id.h"

#include <stdio.h>
#include <string.h>

/* Idle refresh is written at most this often, so reads stay reads. */
#define TOUCH_EVERY_MS (60LL * 1000)

static int throttled(struct problem *p, int64_t wait_ms, bool locked)
{
    int64_t secs = (wait_ms + 999) / 1000;
    if (locked)
        problem_set(p, YQ_ELIMIT, "login_locked", NULL,
                    "登录失败次数过多，账号或地址已被暂时锁定，请 %lld 分钟后再试",
                    (long long)((secs + 59) / 60));
    else
        problem_set(p, YQ_ELIMIT, "login_throttled", NULL, "登录尝试过于频繁，请 %lld 秒后再试",
                    (long long)secs);
    p->retry_after = secs;
    return YQ_ELIMIT;
}

/* Checks both throttles and, when the attempt may go ahead, charges it to
 * the account and to the address as a failure before the (slow) password
 * check, in one writing transaction: parallel guesses, at one account or
 * sprayed over many from one address, cannot slip past the throttle
 * between the check and the record. A right password gives the charge
 * back (refund_success), so successful sign-ins never lock anything.
 * *locks_now tells whether this attempt, if it fails, locks the account. */
static int charge_attempt(struct db *db, const char *ukey, const char *akey, int64_t now,
                          bool *locks_now, struct problem *p)
{
    int rc = db_begin(db, true);
    if (rc != YQ_OK) return problem_set(p, rc, "busy", NULL, "系统繁忙，请稍后再试");
    struct lockout_state us, as;
    if ((rc = throttle_load(db, ukey, &us)) != YQ_OK ||
        (rc = throttle_load(db, akey, &as)) != YQ_OK)
        goto fail;
    int64_t uw = lockout_wait_ms(&lockout_account_policy, &us, now);
    int64_t aw = lockout_wait_ms(&lockout_address_policy, &as, now);
    if (uw > 0 || aw > 0) {
        db_rollback(db);
        bool locked = us.locked_until > now || as.locked_until > now;
        return throttled(p, uw > aw ? uw : aw, locked);
    }
    bool was_locked = us.locked_until > now;
    lockout_fail(&lockout_account_policy, &us, now);
    lockout_fail(&lockout_address_policy, &as, now);
    *locks_now = !was_locked && us.locked_until > now;
    if ((rc = throttle_store(db, ukey, &us)) != YQ_OK ||
        (rc = throttle_store(db, akey, &as)) != YQ_OK)
        goto fail;
    if ((rc = db_commit(db)) != YQ_OK) goto fail_committed;
    return YQ_OK;
fail:
    db_rollback(db);
fail_committed:
    return problem_set(p, rc == YQ_EBUSY ? YQ_EBUSY : YQ_ERR, "internal", NULL,
                       "登录暂时无法完成，请稍后再试");
}

/* A right password gives back what the attempt was charged: the account
 * starts afresh; the address loses this one failure, and a lock that only
 * this charge caused is lifted. Runs inside the caller's transaction. */
static int refund_success(struct db *db, const char *ukey, const char *akey)
{
    int rc = throttle_clear(db, ukey);
    struct lockout_state as;
    if (rc == YQ_OK) rc = throttle_load(db, akey, &as);
    if (rc != YQ_OK || as.failures == 0) return rc;
    as.failures--;
    if (as.failures < lockout_address_policy.lock_failures) as.locked_until = 0;
    return throttle_store(db, akey, &as);
}

static void refund_account(struct db *db, const char *ukey, const char *akey)
{
    if (db_begin(db, true) != YQ_OK) return;
    if (refund_success(db, ukey, akey) == YQ_OK && db_commit(db) == YQ_OK) return;
    db_rollback(db);
}

/* Gives back a charge whose password could not be checked: one failure
 * less for the account and the address (a lock it caused is lifted). */
static void uncharge(struct db *db, const char *ukey, const char *akey)
{
    if (db_begin(db, true) != YQ_OK) return;
    const char *keys[] = {ukey, akey};
    const struct lockout_policy *pol[] = {&lockout_account_policy, &lockout_address_policy};
    int rc = YQ_OK;
    for (int i = 0; i < 2 && rc == YQ_OK; i++) {
        struct lockout_state s;
        rc = throttle_load(db, keys[i], &s);
        if (rc != YQ_OK || s.failures == 0) continue;
        s.failures--;
        if (s.failures < pol[i]->lock_failures) s.locked_until = 0;
        rc = throttle_store(db, keys[i], &s);
    }
    if (rc == YQ_OK && db_commit(db) == YQ_OK) return;
    db_rollback(db);
}

/* Records in the audit log that failures locked an account. */
static void audit_lock(struct db *db, const char *ukey, const char *username,
                       const char *client_addr, const char *request_id)
{
    if (db_begin(db, true) != YQ_OK) return;
    struct lockout_state us;
    struct audit_actor who = {.username = username, .request_id = request_id,
                              .client_addr = client_addr};
    json_t *after = NULL;
    if (throttle_load(db, ukey, &us) == YQ_OK)
        after = json_pack("{s:i, s:I}", "failures", us.failures, "locked_until_ms",
                          (json_int_t)us.locked_until);
    if (after && audit_append(db, &who, "login", username, "locked_after_failures", NULL,
                              after) == YQ_OK)
        db_commit(db);
    else
        db_rollback(db);
    json_decref(after);
}

int auth_login(struct db *db, const char *username, const char *password,
               const char *client_addr, const char *request_id, struct login_result *out,
               struct problem *p)
{
    int64_t now = clock_now_ms();
    char ukey[96], akey[96];
    snprintf(ukey, sizeof ukey, "user:%s", username);
    snprintf(akey, sizeof akey, "addr:%s", client_addr ? client_addr : "");
    bool locks_now = false;
    int rc = charge_attempt(db, ukey, akey, now, &locks_now, p);
    if (rc != YQ_OK) return rc;

    rc = users_get_by_username(db, username, &out->user);
    bool ok = false;
    if (rc == YQ_ENOTFOUND) {
        rc = password_check_dummy(password);
    } else if (rc != YQ_OK) {
        return problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
    } else {
        rc = password_check(out->user.password_hash, password, &ok);
    }
    if (rc == YQ_EBUSY) {
        /* Not checked: the attempt is given back, the caller retries. */
        uncharge(db, ukey, akey);
        return problem_set(p, YQ_EBUSY, "busy", NULL, "系统繁忙，请稍后再试");
    }
    if (!ok) {
        if (locks_now) audit_lock(db, ukey, username, client_addr, request_id);
        return problem_set(p, YQ_EUNAUTH, "invalid_credentials", NULL, "用户名或密码错误");
    }
    if (out->user.locked) {
        /* The password was right: refund the charge, answer 403 each time. */
        refund_account(db, ukey, akey);
        return problem_set(p, YQ_EFORBIDDEN, "account_locked", NULL,
                           "该账号已被管理员停用，请联系系统管理员");
    }

    id_random_hex(out->token, 32);
    id_random_hex(out->csrf, 32);
    char token_hash[65];
    id_sha256_hex(out->token, strlen(out->token), token_hash);
    if ((rc = db_begin(db, true)) != YQ_OK) goto fail;
    if ((rc = refund_success(db, ukey, akey)) != YQ_OK) goto rollback;
    if ((rc = sessions_insert(db, token_hash, out->user.id, out->csrf, now, client_addr)) !=
        YQ_OK)
        goto rollback;
    struct audit_actor who = {out->user.id, out->user.username, out->user.role, request_id,
                              client_addr};
    if ((rc = audit_append(db, &who, "session", out->user.id, "login", NULL, NULL)) != YQ_OK)
        goto rollback;
    if ((rc = db_commit(db)) != YQ_OK) goto fail;
    return YQ_OK;
rollback:
    db_rollback(db);
fail:
    return problem_set(p, rc == YQ_EBUSY ? YQ_EBUSY : YQ_ERR, "internal", NULL,
                       "登录暂时无法完成，请稍后再试");
}

static int expired(struct problem *p, const char *why)
{
    return problem_set(p, YQ_EUNAUTH, "session_expired", NULL, "%s", why);
}

int auth_resolve(struct db *db, const char *token, struct actor *a, char csrf[65],
                 struct problem *p)
{
    if (!token || strlen(token) != 64)
        return problem_set(p, YQ_EUNAUTH, "unauthenticated", NULL, "请先登录");
    char token_hash[65];
    id_sha256_hex(token, strlen(token), token_hash);
    struct session s;
    int rc = sessions_get(db, token_hash, &s);
    if (rc == YQ_ENOTFOUND) return problem_set(p, YQ_EUNAUTH, "unauthenticated", NULL, "请先登录");
    if (rc != YQ_OK) return problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
    int64_t now = clock_now_ms();
    const char *why = NULL;
    if (now - s.created_at >= AUTH_ABSOLUTE_MS)
        why = "登录已超过 12 小时，请重新登录";
    else if (now - s.last_seen_at >= AUTH_IDLE_MS)
        why = "30 分钟未操作，登录已过期，请重新登录";
    if (!why) {
        rc = users_get(db, s.user_id, &a->user);
        if (rc != YQ_OK) why = "请先登录";
        else if (a->user.locked) why = "该账号已被管理员停用";
    }
    if (why) {
        if (db_begin(db, true) == YQ_OK) {
            if (sessions_delete(db, token_hash) == YQ_OK) db_commit(db);
            else db_rollback(db);
        }
        return expired(p, why);
    }
    if (now - s.last_seen_at >= TOUCH_EVERY_MS && db_begin(db, true) == YQ_OK) {
        if (sessions_touch(db, token_hash, now) == YQ_OK) db_commit(db);
        else db_rollback(db);
    }
    a->role = role_parse(a->user.role);
    if (actor_load_counties(db, a) != YQ_OK)
        return problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
    memcpy(csrf, s.csrf, 65);
    return YQ_OK;
}

int auth_logout(struct db *db, const char *token, const struct actor *a)
{
    char token_hash[65];
    id_sha256_hex(token, strlen(token), token_hash);
    int rc = db_begin(db, true);
    if (rc != YQ_OK) return rc;
    struct audit_actor who = actor_audit(a);
    if ((rc = sessions_delete(db, token_hash)) != YQ_OK ||
        (rc = audit_append(db, &who, "session", a->user.id, "logout", NULL, NULL)) != YQ_OK) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}
