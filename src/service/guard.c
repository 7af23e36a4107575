/* Login delays, the sign-up limit and their administration (see guard.h).
 * Each step is one use case of the transaction runner. */
#include "service/guard.h"
#include "core/clock.h"
#include "core/forwarded.h"
#include "core/status.h"
#include "service/tx.h"
#include "store/audit.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static atomic_int signup_limit = 10;

void guard_set_signup_limit(int per_hour)
{
    atomic_store(&signup_limit, per_hour < 1 ? 1 : per_hour);
}

int guard_signup_limit(void)
{
    return atomic_load(&signup_limit);
}

static struct rate_policy signup_policy(void)
{
    struct rate_policy p = rate_signup_policy;
    p.limit = guard_signup_limit();
    return p;
}

static void to_state(const struct throttle_row *r, struct lockout_state *s)
{
    s->failures = r->count;
    s->last_failure_at = r->at;
}

static struct throttle_row to_row(const struct lockout_state *s)
{
    return (struct throttle_row){s->failures, s->last_failure_at};
}

static int load(struct db *db, const char *key, struct lockout_state *s)
{
    struct throttle_row r;
    int rc = throttles_get(db, key, &r);
    if (rc == YQ_OK) to_state(&r, s);
    return rc;
}

static int store(struct db *db, const char *key, const struct lockout_state *s)
{
    struct throttle_row r = to_row(s);
    return throttles_put(db, key, &r);
}

/* Seconds, rounded up, of a wait in ms. */
static int64_t seconds(int64_t ms)
{
    return (ms + 999) / 1000;
}

static int login_throttled(struct problem *p, int64_t wait_ms)
{
    int64_t secs = seconds(wait_ms);
    if (secs < 60)
        problem_set(p, YQ_ELIMIT, "login_throttled", NULL, "登录尝试过于频繁，请 %lld 秒后再试",
                    (long long)secs);
    else
        problem_set(p, YQ_ELIMIT, "login_throttled", NULL, "登录失败次数过多，请 %lld 分钟后再试",
                    (long long)((secs + 59) / 60));
    p->retry_after = secs;
    return YQ_ELIMIT;
}

/* ---- Login ------------------------------------------------------------------------ */

static int charge_run(struct db *db, void *ctx, struct problem *p)
{
    struct login_charge *c = ctx;
    int rc;
    if ((rc = load(db, c->pair_key, &c->pair_before)) != YQ_OK ||
        (rc = load(db, c->addr_key, &c->addr_before)) != YQ_OK)
        return rc;
    int64_t pw = lockout_wait_ms(&lockout_pair_policy, &c->pair_before, c->at);
    int64_t aw = lockout_wait_ms(&lockout_address_policy, &c->addr_before, c->at);
    if (pw > 0 || aw > 0) return login_throttled(p, pw > aw ? pw : aw);
    c->pair = c->pair_before;
    c->addr = c->addr_before;
    lockout_fail(&lockout_pair_policy, &c->pair, c->at);
    lockout_fail(&lockout_address_policy, &c->addr, c->at);
    if ((rc = store(db, c->pair_key, &c->pair)) != YQ_OK) return rc;
    return store(db, c->addr_key, &c->addr);
}

int guard_login_charge(struct db *db, const char *username, const char *client_addr,
                       const char *request_id, int64_t now, struct login_charge *c,
                       struct problem *p)
{
    memset(c, 0, sizeof *c);
    c->username = username;
    c->client_addr = client_addr ? client_addr : "";
    c->request_id = request_id;
    c->at = now;
    throttles_key(c->pair_key, THROTTLE_PAIR, c->client_addr, username);
    throttles_key(c->addr_key, THROTTLE_ADDRESS, c->client_addr, NULL);
    return service_tx(db, charge_run, c, p);
}

/* Gives the address its charge back inside the open transaction. */
static int refund_address(struct db *db, const struct login_charge *c)
{
    struct lockout_state s;
    int rc = load(db, c->addr_key, &s);
    if (rc != YQ_OK) return rc;
    lockout_refund(&s, &c->addr_before, c->at);
    return store(db, c->addr_key, &s);
}

int guard_login_succeeded(struct db *db, const struct login_charge *c)
{
    int64_t n;
    int rc = throttles_delete_account(db, c->username, c->client_addr, &n);
    return rc == YQ_OK ? refund_address(db, c) : rc;
}

static int refused_run(struct db *db, void *ctx, struct problem *p)
{
    return guard_login_succeeded(db, ctx);
}

void guard_login_refused(struct db *db, const struct login_charge *c)
{
    struct problem p;
    service_tx(db, refused_run, (void *)c, &p);
}

static int uncharge_run(struct db *db, void *ctx, struct problem *p)
{
    const struct login_charge *c = ctx;
    struct lockout_state s;
    int rc = load(db, c->pair_key, &s);
    if (rc != YQ_OK) return rc;
    lockout_refund(&s, &c->pair_before, c->at);
    if ((rc = store(db, c->pair_key, &s)) != YQ_OK) return rc;
    return refund_address(db, c);
}

void guard_login_uncharge(struct db *db, const struct login_charge *c)
{
    struct problem p;
    service_tx(db, uncharge_run, (void *)c, &p);
}

/* One audit entry about a throttle that started waiting or reached its
 * longest wait. The actor is the anonymous caller: the username was only
 * typed, not proven. */
static int audit_wait(struct db *db, const struct login_charge *c, bool pair,
                      const struct lockout_policy *pol, const struct lockout_state *s,
                      const char *action)
{
    struct audit_actor who = {.request_id = c->request_id, .client_addr = c->client_addr};
    json_t *after = json_pack(
        "{s:s, s:o, s:s, s:i, s:I}", "scope", pair ? "account_address" : "address", "username",
        pair ? json_string(c->username) : json_null(), "client_addr", c->client_addr, "failures",
        s->failures, "wait_s", (json_int_t)seconds(lockout_delay_ms(pol, s->failures)));
    int rc =
        audit_append(db, &who, "login", pair ? c->username : c->client_addr, action, NULL, after);
    json_decref(after);
    return rc;
}

static int failed_run(struct db *db, void *ctx, struct problem *p)
{
    const struct login_charge *c = ctx;
    int rc = YQ_OK;
    if (lockout_starts_waiting(&lockout_pair_policy, &c->pair))
        rc = audit_wait(db, c, true, &lockout_pair_policy, &c->pair, "throttled");
    else if (lockout_reaches_cap(&lockout_pair_policy, &c->pair))
        rc = audit_wait(db, c, true, &lockout_pair_policy, &c->pair, "locked");
    if (rc != YQ_OK) return rc;
    if (lockout_starts_waiting(&lockout_address_policy, &c->addr))
        rc = audit_wait(db, c, false, &lockout_address_policy, &c->addr, "throttled");
    else if (lockout_reaches_cap(&lockout_address_policy, &c->addr))
        rc = audit_wait(db, c, false, &lockout_address_policy, &c->addr, "locked");
    return rc;
}

void guard_login_failed(struct db *db, const struct login_charge *c)
{
    bool pair = lockout_starts_waiting(&lockout_pair_policy, &c->pair) ||
                lockout_reaches_cap(&lockout_pair_policy, &c->pair);
    bool addr = lockout_starts_waiting(&lockout_address_policy, &c->addr) ||
                lockout_reaches_cap(&lockout_address_policy, &c->addr);
    if (!pair && !addr) return;
    struct problem p;
    service_tx(db, failed_run, (void *)c, &p);
}

/* ---- Sign-up ----------------------------------------------------------------------- */

static int signup_run(struct db *db, void *ctx, struct problem *p)
{
    struct signup_charge *c = ctx;
    struct throttle_row r;
    int rc = throttles_get(db, c->key, &r);
    if (rc != YQ_OK) return rc;
    c->before = (struct rate_state){r.count, r.at};
    struct rate_policy pol = signup_policy();
    int64_t wait = rate_wait_ms(&pol, &c->before, c->at);
    if (wait > 0) {
        int64_t secs = seconds(wait);
        problem_set(p, YQ_ELIMIT, "signup_throttled", NULL,
                    "该地址注册过于频繁（每小时最多 %d 次），请 %lld 分钟后再试", pol.limit,
                    (long long)((secs + 59) / 60));
        p->retry_after = secs;
        return YQ_ELIMIT;
    }
    struct rate_state s = c->before;
    rate_take(&pol, &s, c->at);
    r = (struct throttle_row){s.count, s.window_start};
    return throttles_put(db, c->key, &r);
}

int guard_signup_charge(struct db *db, const char *client_addr, int64_t now,
                        struct signup_charge *c, struct problem *p)
{
    memset(c, 0, sizeof *c);
    c->at = now;
    throttles_key(c->key, THROTTLE_SIGNUP, client_addr ? client_addr : "", NULL);
    return service_tx(db, signup_run, c, p);
}

static int signup_uncharge_run(struct db *db, void *ctx, struct problem *p)
{
    const struct signup_charge *c = ctx;
    struct throttle_row r;
    int rc = throttles_get(db, c->key, &r);
    if (rc != YQ_OK || r.count <= 0) return rc;
    if (r.count == 1 && c->before.count == 0) r.at = c->before.window_start;
    r.count--;
    return throttles_put(db, c->key, &r);
}

void guard_signup_uncharge(struct db *db, const struct signup_charge *c)
{
    struct problem p;
    service_tx(db, signup_uncharge_run, (void *)c, &p);
}

/* ---- Administration ---------------------------------------------------------------- */

int guard_clear(struct db *db, const struct actor *a, const char *username, const char *addr,
                int64_t *cleared, struct problem *p)
{
    *cleared = 0;
    int64_t n = 0;
    int rc = username ? throttles_delete_account(db, username, addr, cleared) : YQ_OK;
    if (rc == YQ_OK && addr) rc = throttles_delete_address(db, addr, !username, &n);
    if (rc != YQ_OK) return problem_db_error(p);
    *cleared += n;
    if (*cleared == 0) return YQ_OK;
    struct audit_actor who = actor_audit(a);
    json_t *after = json_pack(
        "{s:o, s:o, s:I}", "username", username ? json_string(username) : json_null(),
        "client_addr", addr ? json_string(addr) : json_null(), "cleared", (json_int_t)*cleared);
    rc = audit_append(db, &who, "login", username ? username : addr, "unlocked", NULL, after);
    json_decref(after);
    return rc == YQ_OK ? YQ_OK : problem_db_error(p);
}

struct unlock {
    const struct actor *a;
    const char *username, *addr;
    int64_t cleared;
};

static int unlock_run(struct db *db, void *ctx, struct problem *p)
{
    struct unlock *u = ctx;
    return guard_clear(db, u->a, u->username, u->addr, &u->cleared, p);
}

int guard_unlock(struct db *db, const struct actor *a, const char *username, const char *addr,
                 int64_t *cleared, struct problem *p)
{
    *cleared = 0;
    if (username && !username[0]) username = NULL;
    if (addr && !addr[0]) addr = NULL;
    if (!username && !addr)
        return problem_set(p, YQ_EINVAL, "missing_field", "username",
                           "请指定用户名或客户端地址（或两者）");
    if (username && strlen(username) > 64)
        return problem_set(p, YQ_EINVAL, "invalid_field", "username", "用户名过长");
    if (addr && !forwarded_addr_valid(addr))
        return problem_set(p, YQ_EINVAL, "invalid_field", "client_addr",
                           "客户端地址须为 IPv4 或 IPv6 地址");
    struct unlock u = {a, username, addr, 0};
    int rc = service_tx(db, unlock_run, &u, p);
    *cleared = u.cleared;
    return rc;
}

/* One row for the list; NULL for a key of another scheme. */
static json_t *list_item(json_t *row, int64_t now)
{
    const char *key = json_string_value(json_object_get(row, "key"));
    struct lockout_state s = {(int)json_integer_value(json_object_get(row, "count")),
                              json_integer_value(json_object_get(row, "at"))};
    char username[80] = "", addr[80] = "", at[32];
    const char *scope;
    int64_t wait;
    if (strncmp(key, "pair:", 5) == 0) {
        const char *bar = strchr(key + 5, '|');
        if (!bar) return NULL;
        snprintf(addr, sizeof addr, "%.*s", (int)(bar - key - 5), key + 5);
        snprintf(username, sizeof username, "%s", bar + 1);
        scope = "account_address";
        wait = lockout_wait_ms(&lockout_pair_policy, &s, now);
    } else if (strncmp(key, "addr:", 5) == 0) {
        snprintf(addr, sizeof addr, "%s", key + 5);
        scope = "address";
        wait = lockout_wait_ms(&lockout_address_policy, &s, now);
    } else if (strncmp(key, "signup:", 7) == 0) {
        snprintf(addr, sizeof addr, "%s", key + 7);
        scope = "signup";
        struct rate_policy pol = signup_policy();
        struct rate_state r = {s.failures, s.last_failure_at};
        wait = rate_wait_ms(&pol, &r, now);
    } else {
        return NULL;
    }
    clock_format_iso(s.last_failure_at, at);
    return json_pack("{s:s, s:o, s:s, s:i, s:s, s:I}", "scope", scope, "username",
                     username[0] ? json_string(username) : json_null(), "client_addr", addr,
                     "count", s.failures, "at", at, "wait_s", (json_int_t)seconds(wait));
}

json_t *guard_list(struct db *db, struct problem *p)
{
    int64_t now = clock_now_ms();
    json_t *rows = throttles_recent(db, now - lockout_pair_policy.window_ms, 200);
    if (!rows) {
        problem_db_error(p);
        return NULL;
    }
    json_t *items = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *item = list_item(row, now);
        if (item) json_array_append_new(items, item);
    }
    json_decref(rows);
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
}
