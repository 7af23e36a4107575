/* Sign-up of enterprises and providers (SPEC §11): cheap checks first, a
 * limit per address, the password hashed last, and the account, the draft
 * party and the session committed in one transaction. */
#include "service/parties.h"
#include "service/parties_internal.h"
#include "core/clock.h"
#include "core/registration.h"
#include "core/status.h"
#include "core/uscc.h"
#include "service/accounts.h"
#include "service/guard.h"
#include "service/party_fields.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/id.h"
#include "store/parties.h"
#include "store/party_files.h"
#include "store/programs.h"
#include "store/rows.h"
#include "store/users.h"
#include <stdio.h>
#include <string.h>

#include <stdio.h>
#include <string.h>

static bool reserved_username(const char *u)
{
    static const char *const reserved[] = {
        "admin",   "administrator", "root",     "system",  "operator",
        "yunquan", "support",       "security", "auditor", NULL};
    for (int i = 0; reserved[i]; i++)
        if (strcmp(u, reserved[i]) == 0) return true;
    return false;
}

/* A username that cannot be had. The sign-up form must tell the person to
 * choose another, so some answer is unavoidable; this one does not say
 * whether an account holds the name (reserved names answer the same) and
 * the sign-up limit per address bounds how many names one can probe. */
static int username_unavailable(struct problem *p)
{
    return problem_set(p, YQ_ECONFLICT, "username_unavailable", "username",
                       "该用户名不可用，请换一个用户名");
}

/* The cheap checks of a sign-up, before anything is counted or hashed:
 * the fields, the USCC's form, the county. */
static int signup_fields(struct db *db, const struct signup_input *in, enum party_kind *k,
                         char uscc[USCC_LEN + 1], struct problem *p)
{
    if (in->role && strcmp(in->role, "enterprise") == 0)
        *k = PARTY_ENTERPRISE;
    else if (in->role && strcmp(in->role, "provider") == 0)
        *k = PARTY_PROVIDER;
    else
        return problem_set(p, YQ_EINVAL, "invalid_field", "role",
                           "只能注册为 enterprise（企业）或 provider（云服务商）");
    int rc = uscc_validate("uscc", in->uscc, uscc, p);
    if (rc != YQ_OK) return rc;
    json_t *name_check = json_pack("{s:s}", "name", in->name ? in->name : "");
    json_t *cols = json_object();
    rc = party_fields_check(*k, name_check, cols, p);
    json_decref(name_check);
    json_decref(cols);
    if (rc != YQ_OK) return rc;
    if (*k == PARTY_ENTERPRISE && (!in->county_code || !in->county_code[0]))
        return problem_set(p, YQ_EINVAL, "missing_field", "county_code", "请选择所属区县");
    struct account_input acct = {in->username, in->password, in->role, in->name,
                                 *k == PARTY_ENTERPRISE ? in->county_code : NULL};
    enum role role;
    return accounts_check(db, &acct, true, &role, p);
}

/* The checks that say something about other parties and accounts (after
 * the sign-up was counted): the negative list, the USCC, the username. */
static int signup_available(struct db *db, const char *username, const char *uscc,
                            struct problem *p)
{
    int rc;
    if ((rc = parties_check_not_listed(db, uscc, p)) != YQ_OK ||
        (rc = parties_check_not_held(
             db, uscc, NULL, "该统一社会信用代码已注册，请直接登录或联系管理员", p)) != YQ_OK)
        return rc;
    if (reserved_username(username)) return username_unavailable(p);
    struct user existing;
    rc = users_get_by_username(db, username, &existing);
    if (rc == YQ_OK) return username_unavailable(p);
    return rc == YQ_ENOTFOUND ? YQ_OK : problem_db_error(p);
}

struct signup {
    enum party_kind k;
    const char *uscc;
    struct actor *system;
    const struct user *u;
    const struct party_draft *draft;
    const char *consent_version;
    struct login_result *out;
    json_t *party, *me; /* out */
};

/* The account, the draft and the session in one transaction, each
 * audited; the answer is rendered inside it too, so that nothing can fail
 * once it has committed. */
static int signup_run(struct db *db, void *ctx, struct problem *p)
{
    struct signup *s = ctx;
    /* Decided again here: a listing or a sign-up committed meanwhile wins. */
    int rc = signup_available(db, s->u->username, s->uscc, p);
    if (rc != YQ_OK) return rc;
    rc = accounts_insert(db, s->system, s->u, p);
    if (rc == YQ_ECONFLICT) return username_unavailable(p);
    if (rc != YQ_OK) return rc;
    rc = parties_insert_draft(db, parties_table(s->k), s->draft);
    if (rc == YQ_ECONFLICT)
        return problem_set(p, YQ_ECONFLICT, "uscc_registered", "uscc", "该统一社会信用代码已注册");
    json_t *after = NULL;
    if (rc == YQ_OK) rc = parties_get(db, parties_table(s->k), s->draft->id, &after);
    /* The consent goes with the account: the version read and when. */
    if (rc == YQ_OK && s->consent_version) {
        rc = signup_consent_insert(db, s->u->id, s->consent_version, s->draft->now,
                                   s->system->client_addr);
        if (rc == YQ_OK)
            json_object_set_new(after, "consent",
                                json_pack("{s:s, s:I}", "version", s->consent_version,
                                          "accepted_at", (json_int_t)s->draft->now));
    }
    if (rc == YQ_OK)
        rc = parties_audit_change(db, s->system, s->k, s->draft->id, "signup", NULL, after);
    if (rc == YQ_OK)
        rc = auth_session_open(db, s->u, s->system->client_addr, s->system->request_id,
                               s->draft->now, s->out);
    /* Read back as stored, so that the answer names the county like /auth/me. */
    struct user stored;
    if (rc == YQ_OK) rc = users_get(db, s->u->id, &stored);
    if (rc == YQ_OK) {
        s->party = party_fields_render(s->k, after);
        if (!(s->me = parties_me(db, &stored))) rc = YQ_ERR;
    }
    json_decref(after);
    return rc;
}

int parties_signup(struct db *db, const struct signup_input *in, const char *client_addr,
                   const char *request_id, struct login_result *out, json_t **party, json_t **me,
                   struct problem *p)
{
    *party = NULL;
    *me = NULL;
    enum party_kind k = PARTY_ENTERPRISE;
    char uscc[USCC_LEN + 1];
    int rc = signup_fields(db, in, &k, uscc, p);
    if (rc != YQ_OK) return rc;
    if (k == PARTY_ENTERPRISE) {
        rc = counties_exists(db, in->county_code);
        if (rc == YQ_ENOTFOUND)
            return problem_set(p, YQ_EINVAL, "invalid_field", "county_code", "区县代码不存在：%s",
                               in->county_code);
        if (rc != YQ_OK) return problem_db_error(p);
    }
    /* Counted before anything that tells about other accounts, and before
     * the 64 MiB hash. */
    struct signup_charge charge;
    memset(&charge, 0, sizeof charge);
    if (!in->unlimited &&
        (rc = guard_signup_charge(db, client_addr, clock_now_ms(), &charge, p)) != YQ_OK)
        return rc;
    if ((rc = signup_available(db, in->username, uscc, p)) != YQ_OK) goto out;

    struct actor system;
    actor_cli(&system);
    system.request_id = request_id;
    system.client_addr = client_addr;
    struct account_input acct = {in->username, in->password, in->role, in->name,
                                 k == PARTY_ENTERPRISE ? in->county_code : NULL};
    struct user u;
    if ((rc = accounts_prepare(db, &acct, true, &u, p)) != YQ_OK) goto out;
    system.user = u;
    system.role = role_parse(u.role);
    char id[ID_LEN + 1];
    id_new(id);
    struct party_draft draft = {
        .id = id,
        .user_id = u.id,
        .uscc = uscc,
        .name = in->name,
        .county_code = k == PARTY_ENTERPRISE ? in->county_code : NULL,
        .now = u.created_at,
    };
    struct signup s = {k, uscc, &system, &u, &draft, in->consent_version, out, NULL, NULL};
    rc = service_tx(db, signup_run, &s, p);
    if (rc == YQ_OK) {
        *party = s.party;
        *me = s.me;
        return YQ_OK;
    }
    json_decref(s.party);
    json_decref(s.me);
out:
    /* A sign-up the server could not finish is not counted. */
    if (!in->unlimited && (rc == YQ_EBUSY || rc == YQ_ERR || rc == YQ_ENOSPACE || rc == YQ_EIO))
        guard_signup_uncharge(db, &charge);
    return rc;
}
