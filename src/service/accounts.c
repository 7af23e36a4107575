/* Account administration. Every change runs in one writing transaction
 * with its audit entry. */
#include "service/accounts.h"
#include "core/clock.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/guard.h"
#include "service/password.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/id.h"

#include <stdio.h>
#include <string.h>

static int db_problem(struct problem *p, int rc)
{
    if (rc == YQ_EBUSY) return problem_set(p, YQ_EBUSY, "busy", NULL, "系统繁忙，请稍后再试");
    return problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
}

/* A password that could not be hashed: the gate was full (503, try
 * again) or the hash failed. */
static int hash_failed(struct problem *p, int rc)
{
    if (rc == YQ_EBUSY) return problem_set(p, YQ_EBUSY, "busy", NULL, "系统繁忙，请稍后再试");
    return problem_set(p, YQ_ERR, "internal", NULL, "密码处理失败");
}

static int not_found(struct problem *p)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "账号不存在");
}

/* Whether the actor may see this account. */
static bool in_scope(const struct actor *a, const struct user *u)
{
    if (a->role & (ROLE_ADMIN | ROLE_AUDITOR)) return true;
    const char *county = actor_county_scope(a);
    if (county) return strcmp(county, u->county_code) == 0;
    return strcmp(a->user.id, u->id) == 0;
}

int accounts_check(struct db *db, const struct account_input *in, bool allow_self_signup_roles,
                   enum role *role, struct problem *p)
{
    int rc;
    if ((rc = validate_username("username", in->username, p)) != YQ_OK) return rc;
    if ((rc = validate_password("password", in->password, p)) != YQ_OK) return rc;
    *role = role_parse(in->role);
    if (*role == ROLE_NONE)
        return problem_set(p, YQ_EINVAL, "invalid_field", "role", "角色无效：%s",
                           in->role ? in->role : "");
    if (!allow_self_signup_roles && !role_is_official(*role))
        return problem_set(p, YQ_EINVAL, "invalid_field", "role",
                           "企业和云服务商账号须通过注册页面自行注册");
    if ((rc = validate_text("display_name", "名称", in->display_name, 64, p)) != YQ_OK) return rc;
    bool has_county = in->county_code && in->county_code[0];
    if (role_needs_county(*role)) {
        if (!has_county)
            return problem_set(p, YQ_EINVAL, "missing_field", "county_code", "%s账号须指定所属区县",
                               role_name_zh(*role));
        rc = counties_exists(db, in->county_code);
        if (rc == YQ_ENOTFOUND)
            return problem_set(p, YQ_EINVAL, "invalid_field", "county_code", "区县代码不存在：%s",
                               in->county_code);
        if (rc != YQ_OK) return db_problem(p, rc);
    } else if (has_county && role_is_official(*role)) {
        return problem_set(p, YQ_EINVAL, "invalid_field", "county_code",
                           "%s为全市范围角色，不能指定区县", role_name_zh(*role));
    }
    return YQ_OK;
}

int accounts_prepare(struct db *db, const struct account_input *in, bool allow_self_signup_roles,
                     struct user *out, struct problem *p)
{
    enum role role;
    int rc = accounts_check(db, in, allow_self_signup_roles, &role, p);
    if (rc != YQ_OK) return rc;
    memset(out, 0, sizeof *out);
    id_new(out->id);
    snprintf(out->username, sizeof out->username, "%s", in->username);
    snprintf(out->role, sizeof out->role, "%s", role_code(role));
    snprintf(out->display_name, sizeof out->display_name, "%s", in->display_name);
    if (in->county_code && in->county_code[0])
        snprintf(out->county_code, sizeof out->county_code, "%s", in->county_code);
    if ((rc = password_hash(in->password, out->password_hash)) != YQ_OK) return hash_failed(p, rc);
    out->created_at = out->updated_at = clock_now_ms();
    return YQ_OK;
}

int accounts_insert(struct db *db, const struct actor *a, const struct user *u, struct problem *p)
{
    int rc = users_insert(db, u);
    if (rc == YQ_ECONFLICT)
        return problem_set(p, YQ_ECONFLICT, "username_taken", "username", "用户名已被使用：%s",
                           u->username);
    if (rc != YQ_OK) return db_problem(p, rc);
    struct audit_actor who = actor_audit(a);
    json_t *after = user_to_json(u);
    rc = audit_append(db, &who, "user", u->id, "create", NULL, after);
    json_decref(after);
    return rc == YQ_OK ? YQ_OK : db_problem(p, rc);
}

struct creation {
    const struct actor *a;
    struct user *out;
};

static int create_run(struct db *db, void *ctx, struct problem *p)
{
    struct creation *c = ctx;
    int rc = accounts_insert(db, c->a, c->out, p);
    if (rc != YQ_OK) return rc;
    /* Read back inside the transaction, for the county name. */
    rc = users_get(db, c->out->id, c->out);
    return rc == YQ_OK ? YQ_OK : db_problem(p, rc);
}

int accounts_create(struct db *db, const struct actor *a, const struct account_input *in,
                    bool allow_self_signup_roles, struct user *out, struct problem *p)
{
    int rc = accounts_prepare(db, in, allow_self_signup_roles, out, p);
    if (rc != YQ_OK) return rc;
    struct creation c = {a, out};
    return service_tx(db, create_run, &c, p);
}

/* Loads the account inside the open transaction, within the actor's scope. */
static int load_for_change(struct db *db, const struct actor *a, const char *id, struct user *u,
                           struct problem *p)
{
    int rc = users_get(db, id, u);
    if (rc == YQ_ENOTFOUND || (rc == YQ_OK && !in_scope(a, u))) return not_found(p);
    if (rc != YQ_OK) return db_problem(p, rc);
    return YQ_OK;
}

struct set_locked {
    const struct actor *a;
    const char *id;
    bool locked;
    struct user *out;
};

/* Disabling ends the account's sessions; enabling also clears its
 * failed-login throttles, so that "unlock" lets the owner in at once. */
static int set_locked_run(struct db *db, void *ctx, struct problem *p)
{
    struct set_locked *s = ctx;
    int rc = load_for_change(db, s->a, s->id, s->out, p);
    if (rc != YQ_OK) return rc;
    json_t *before = user_to_json(s->out);
    s->out->locked = s->locked;
    json_t *after = user_to_json(s->out);
    struct audit_actor who = actor_audit(s->a);
    if ((rc = users_set_locked(db, s->id, s->locked, clock_now_ms())) == YQ_OK &&
        (!s->locked || (rc = sessions_delete_user(db, s->id)) == YQ_OK))
        rc = audit_append(db, &who, "user", s->id, s->locked ? "lock" : "unlock", before, after);
    json_decref(before);
    json_decref(after);
    if (rc != YQ_OK) return db_problem(p, rc);
    int64_t cleared;
    return s->locked ? YQ_OK : guard_clear(db, s->a, s->out->username, NULL, &cleared, p);
}

int accounts_set_locked(struct db *db, const struct actor *a, const char *id, bool locked,
                        struct user *out, struct problem *p)
{
    if (a->user.id[0] && strcmp(a->user.id, id) == 0 && locked)
        return problem_set(p, YQ_ECONFLICT, "cannot_lock_self", NULL, "不能停用自己的账号");
    struct set_locked s = {a, id, locked, out};
    return service_tx(db, set_locked_run, &s, p);
}

struct new_password {
    const struct actor *a;
    const char *id, *hash;
};

static int set_password_run(struct db *db, void *ctx, struct problem *p)
{
    struct new_password *x = ctx;
    struct user u;
    int rc = load_for_change(db, x->a, x->id, &u, p);
    if (rc != YQ_OK) return rc;
    struct audit_actor who = actor_audit(x->a);
    /* The audit records that the password changed, never the hash. */
    if ((rc = users_set_password(db, x->id, x->hash, clock_now_ms())) != YQ_OK ||
        (rc = sessions_delete_user(db, x->id)) != YQ_OK ||
        (rc = audit_append(db, &who, "user", x->id, "set_password", NULL, NULL)) != YQ_OK)
        return db_problem(p, rc);
    return YQ_OK;
}

int accounts_set_password(struct db *db, const struct actor *a, const char *id,
                          const char *password, struct problem *p)
{
    int rc = validate_password("password", password, p);
    if (rc != YQ_OK) return rc;
    char hash[PASSWORD_HASH_MAX];
    if ((rc = password_hash(password, hash)) != YQ_OK) return hash_failed(p, rc);
    struct new_password x = {a, id, hash};
    return service_tx(db, set_password_run, &x, p);
}

struct own_password {
    const struct actor *a;
    const struct login_charge *charge;
    const char *hash, *keep_token;
};

static int change_own_run(struct db *db, void *ctx, struct problem *p)
{
    struct own_password *x = ctx;
    const char *id = x->a->user.id;
    char keep[65];
    id_sha256_hex(x->keep_token, strlen(x->keep_token), keep);
    struct audit_actor who = actor_audit(x->a);
    int rc;
    if ((rc = guard_login_succeeded(db, x->charge)) != YQ_OK ||
        (rc = users_set_password(db, id, x->hash, clock_now_ms())) != YQ_OK ||
        (rc = sessions_delete_user_except(db, id, keep)) != YQ_OK ||
        (rc = audit_append(db, &who, "user", id, "change_password", NULL, NULL)) != YQ_OK)
        return db_problem(p, rc);
    return YQ_OK;
}

int accounts_change_own_password(struct db *db, const struct actor *a, const char *keep_token,
                                 const char *current, const char *password, struct problem *p)
{
    int rc = validate_password("new_password", password, p);
    if (rc != YQ_OK) return rc;
    if (strcmp(current, password) == 0)
        return problem_set(p, YQ_EINVAL, "same_password", "new_password",
                           "新密码不能与当前密码相同");
    struct user u;
    if ((rc = users_get(db, a->user.id, &u)) != YQ_OK) return db_problem(p, rc);
    /* A stolen session must not become a way to guess the password: the
     * current password is charged to the login throttles like a login. */
    struct login_charge charge;
    rc = guard_login_charge(db, u.username, a->client_addr, a->request_id, clock_now_ms(), &charge,
                            p);
    if (rc != YQ_OK) return rc;
    bool match = false;
    char hash[PASSWORD_HASH_MAX];
    if ((rc = password_check(u.password_hash, current, &match)) != YQ_OK) {
        guard_login_uncharge(db, &charge);
        return hash_failed(p, rc);
    }
    if (!match) {
        guard_login_failed(db, &charge);
        return problem_set(p, YQ_EINVAL, "wrong_password", "current_password", "当前密码不正确");
    }
    if ((rc = password_hash(password, hash)) != YQ_OK) {
        guard_login_uncharge(db, &charge);
        return hash_failed(p, rc);
    }
    struct own_password x = {a, &charge, hash, keep_token};
    rc = service_tx(db, change_own_run, &x, p);
    if (rc != YQ_OK) guard_login_uncharge(db, &charge);
    return rc;
}

int accounts_get(struct db *db, const struct actor *a, const char *id, struct user *out,
                 struct problem *p)
{
    int rc = users_get(db, id, out);
    if (rc == YQ_ENOTFOUND || (rc == YQ_OK && !in_scope(a, out))) return not_found(p);
    if (rc != YQ_OK) return db_problem(p, rc);
    return YQ_OK;
}

json_t *accounts_list(struct db *db, const struct actor *a, struct users_filter *f,
                      struct problem *p)
{
    f->county_code = NULL;
    if (!(a->role & (ROLE_ADMIN | ROLE_AUDITOR))) {
        f->county_code = actor_county_scope(a);
        if (!f->county_code) {
            problem_set(p, YQ_EFORBIDDEN, "forbidden", NULL, "无权查看账号列表");
            return NULL;
        }
    }
    json_t *r = users_list(db, f);
    if (!r) {
        db_problem(p, YQ_ERR);
        return NULL;
    }
    /* Evaluators show the counties they work for. */
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r, "items"), i, item)
    {
        const char *role = json_string_value(json_object_get(item, "role"));
        if (!role || strcmp(role, "evaluator") != 0) continue;
        struct user u;
        int rc = users_get(db, json_string_value(json_object_get(item, "id")), &u);
        json_t *counties = rc == YQ_OK ? accounts_counties(db, &u) : NULL;
        if (!counties) {
            json_decref(r);
            db_problem(p, rc == YQ_OK ? YQ_ERR : rc);
            return NULL;
        }
        json_object_set_new(item, "counties", counties);
    }
    return r;
}

int accounts_find(struct db *db, const char *username, struct user *out, struct problem *p)
{
    int rc = users_get_by_username(db, username, out);
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_ENOTFOUND, "not_found", "username", "账号不存在：%s", username);
    if (rc != YQ_OK) return db_problem(p, rc);
    return YQ_OK;
}

json_t *accounts_counties(struct db *db, const struct user *u)
{
    struct user_counties assigned;
    if (user_counties_get(db, u->id, &assigned) != YQ_OK) return NULL;
    json_t *list = json_array();
    if (u->county_code[0]) json_array_append_new(list, json_string(u->county_code));
    for (int i = 0; i < assigned.n; i++)
        if (strcmp(assigned.code[i], u->county_code) != 0)
            json_array_append_new(list, json_string(assigned.code[i]));
    return list;
}

struct county_assignment {
    const struct actor *a;
    const char *id;
    json_t *codes_in;
    json_t *after; /* out */
};

static int set_counties_run(struct db *db, void *ctx, struct problem *p)
{
    struct county_assignment *x = ctx;
    json_t *before = NULL;
    struct user u;
    int rc = load_for_change(db, x->a, x->id, &u, p);
    if (rc != YQ_OK) return rc;
    if (role_parse(u.role) != ROLE_EVALUATOR)
        return problem_set(p, YQ_EINVAL, "invalid_field", "county_codes",
                           "只有第三方评价机构账号可以分配多个区县");
    /* The distinct codes besides its own county, which is never stored. */
    const char *codes[ACTOR_MAX_COUNTIES];
    int n = 0;
    size_t i;
    json_t *v;
    json_array_foreach(x->codes_in, i, v)
    {
        const char *code = json_string_value(v);
        rc = code ? counties_exists(db, code) : YQ_ENOTFOUND;
        if (rc == YQ_ENOTFOUND)
            return problem_set(p, YQ_EINVAL, "invalid_field", "county_codes", "区县代码不存在：%s",
                               code ? code : "(非字符串)");
        if (rc != YQ_OK) return db_problem(p, rc);
        bool seen = strcmp(code, u.county_code) == 0;
        for (int k = 0; k < n && !seen; k++)
            seen = strcmp(codes[k], code) == 0;
        if (!seen) codes[n++] = code;
    }
    if (!(before = accounts_counties(db, &u))) return db_problem(p, YQ_ERR);
    if ((rc = user_counties_replace(db, x->id, codes, n)) != YQ_OK ||
        !(x->after = accounts_counties(db, &u))) {
        json_decref(before);
        return db_problem(p, rc == YQ_OK ? YQ_ERR : rc);
    }
    struct audit_actor who = actor_audit(x->a);
    rc = audit_append(db, &who, "user", x->id, "assign_counties", before, x->after);
    json_decref(before);
    return rc == YQ_OK ? YQ_OK : db_problem(p, rc);
}

int accounts_set_counties(struct db *db, const struct actor *a, const char *id,
                          json_t *county_codes, json_t **out, struct problem *p)
{
    *out = NULL;
    if (!json_is_array(county_codes) || json_array_size(county_codes) > ACTOR_MAX_COUNTIES - 1)
        return problem_set(p, YQ_EINVAL, "invalid_field", "county_codes",
                           "county_codes 须为区县代码数组（最多 %d 个）", ACTOR_MAX_COUNTIES - 1);
    struct county_assignment x = {a, id, county_codes, NULL};
    int rc = service_tx(db, set_counties_run, &x, p);
    if (rc != YQ_OK) {
        json_decref(x.after);
        return rc;
    }
    *out = x.after;
    return YQ_OK;
}
