/* Login, session resolution, logout. The password check runs outside any
 * transaction (it takes tens of milliseconds, behind the hash gate); the
 * throttles are charged before it and settled after it (service/guard.h),
 * and a session opens in one short writing transaction. */
#include "service/auth.h"
#include "core/clock.h"
#include "core/status.h"
#include "service/guard.h"
#include "service/password.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/id.h"

#include <stdio.h>
#include <string.h>

/* Idle refresh is written at most this often, so reads stay reads. */
#define TOUCH_EVERY_MS (60LL * 1000)

int auth_session_open(struct db *db, const struct user *u, const char *client_addr,
                      const char *request_id, int64_t now, struct login_result *out)
{
    if (&out->user != u) out->user = *u;
    id_random_hex(out->token, 32);
    id_random_hex(out->csrf, 32);
    char token_hash[65];
    id_sha256_hex(out->token, strlen(out->token), token_hash);
    int rc = sessions_insert(db, token_hash, u->id, out->csrf, now, client_addr);
    if (rc != YQ_OK) return rc;
    struct audit_actor who = {u->id, u->username, u->role, request_id, client_addr};
    return audit_append(db, &who, "session", u->id, "login", NULL, NULL);
}

struct login {
    const struct login_charge *charge;
    const char *old_token, *client_addr, *request_id;
    int64_t now;
    struct login_result *out;
};

/* The password was right: the throttles give the attempt back and the
 * session opens, in one transaction. */
static int login_run(struct db *db, void *ctx, struct problem *p)
{
    struct login *l = ctx;
    int rc = guard_login_succeeded(db, l->charge);
    if (rc != YQ_OK) return rc;
    /* The session id is renewed at login: a session the browser already
     * held (another account's, or one planted in it) ends here, so a token
     * known before the login is worth nothing after it. */
    if (l->old_token && l->old_token[0]) {
        char old_hash[65];
        id_sha256_hex(l->old_token, strlen(l->old_token), old_hash);
        if ((rc = sessions_delete(db, old_hash)) != YQ_OK) return rc;
    }
    return auth_session_open(db, &l->out->user, l->client_addr, l->request_id, l->now, l->out);
}

int auth_login(struct db *db, const char *username, const char *password, const char *old_token,
               const char *client_addr, const char *request_id, struct login_result *out,
               struct problem *p)
{
    int64_t now = clock_now_ms();
    struct login_charge charge;
    int rc = guard_login_charge(db, username, client_addr, request_id, now, &charge, p);
    if (rc != YQ_OK) return rc;

    /* Unknown usernames cost one check of a dummy hash: the answer and its
     * time are the same as for a wrong password. */
    bool ok = false;
    rc = users_get_by_username(db, username, &out->user);
    if (rc == YQ_ENOTFOUND) {
        rc = password_check_dummy(password);
    } else if (rc == YQ_OK) {
        rc = password_check(out->user.password_hash, password, &ok);
    } else {
        guard_login_uncharge(db, &charge);
        return problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
    }
    if (rc == YQ_EBUSY) {
        guard_login_uncharge(db, &charge);
        return problem_set(p, YQ_EBUSY, "busy", NULL, "系统繁忙，请稍后再试");
    }
    if (!ok) {
        guard_login_failed(db, &charge);
        return problem_set(p, YQ_EUNAUTH, "invalid_credentials", NULL, "用户名或密码错误");
    }
    if (out->user.locked) {
        /* The password was right: not a guess. Answer 403 each time. */
        guard_login_refused(db, &charge);
        return problem_set(p, YQ_EFORBIDDEN, "account_locked", NULL,
                           "该账号已被管理员停用，请联系系统管理员");
    }
    struct login l = {&charge, old_token, client_addr, request_id, now, out};
    rc = service_tx(db, login_run, &l, p);
    if (rc == YQ_OK) return YQ_OK;
    guard_login_uncharge(db, &charge);
    if (rc == YQ_EBUSY) return rc;
    return problem_set(p, YQ_ERR, "internal", NULL, "登录暂时无法完成，请稍后再试");
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
    bool user_found;
    int rc = sessions_get_with_user(db, token_hash, &s, &a->user, &user_found);
    if (rc == YQ_ENOTFOUND) return problem_set(p, YQ_EUNAUTH, "unauthenticated", NULL, "请先登录");
    if (rc != YQ_OK) return problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
    int64_t now = clock_now_ms();
    const char *why = NULL;
    if (now - s.created_at >= AUTH_ABSOLUTE_MS)
        why = "登录已超过 12 小时，请重新登录";
    else if (now - s.last_seen_at >= AUTH_IDLE_MS)
        why = "30 分钟未操作，登录已过期，请重新登录";
    if (!why) {
        if (!user_found) why = "请先登录";
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

int auth_actor_of(struct db *db, const char *username, struct actor *a, struct problem *p)
{
    memset(a, 0, sizeof *a);
    int rc = users_get_by_username(db, username, &a->user);
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_ENOTFOUND, "not_found", "as", "账号不存在：%s", username);
    if (rc != YQ_OK) return problem_set(p, rc, "internal", NULL, "数据库错误：无法读取账号");
    if (a->user.locked)
        return problem_set(p, YQ_EFORBIDDEN, "account_locked", "as", "账号 %s 已被管理员停用",
                           username);
    a->role = role_parse(a->user.role);
    if (a->role == ROLE_NONE)
        return problem_set(p, YQ_EFORBIDDEN, "forbidden", "as", "账号 %s 的角色无效", username);
    if (actor_load_counties(db, a) != YQ_OK)
        return problem_set(p, YQ_ERR, "internal", NULL, "数据库错误：无法读取账号的区县");
    a->client_addr = "local";
    return YQ_OK;
}

int auth_logout(struct db *db, const struct actor *a)
{
    int rc = db_begin(db, true);
    if (rc != YQ_OK) return rc;
    struct audit_actor who = actor_audit(a);
    if ((rc = sessions_delete_user(db, a->user.id)) != YQ_OK ||
        (rc = audit_append(db, &who, "session", a->user.id, "logout", NULL, NULL)) != YQ_OK) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}
