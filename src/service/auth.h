/* Login, sessions and logout (SPEC §11). Session tokens are 256 random
 * bits, stored only as SHA-256 hashes; each session has its own CSRF token.
 * Idle timeout 30 min, absolute 12 h. */
#ifndef YQ_SERVICE_AUTH_H
#define YQ_SERVICE_AUTH_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"

#define AUTH_IDLE_MS (30LL * 60 * 1000)
#define AUTH_ABSOLUTE_MS (12LL * 60 * 60 * 1000)

struct login_result {
    struct user user;
    char token[65]; /* goes to the yq_session cookie */
    char csrf[65];  /* goes to the yq_csrf cookie */
};

/* Checks the throttles and the password, opens a session; the session of
 * old_token (the cookie the request came with, NULL if none) ends in the
 * same transaction, whoever it belonged to. On failure
 * returns a negative status with p filled: YQ_EUNAUTH (wrong credentials,
 * or no such account: the same answer), YQ_ELIMIT (throttled;
 * p->retry_after set), YQ_EFORBIDDEN (disabled by an administrator),
 * YQ_EBUSY (the hash gate or the database is busy). */
int auth_login(struct db *db, const char *username, const char *password, const char *old_token,
               const char *client_addr, const char *request_id, struct login_result *out,
               struct problem *p);

/* Opens a session for `u` inside the caller's writing transaction and
 * audits the sign-in; fills out (a copy of u, the token and the CSRF
 * token). YQ_OK or a database status. No throttle is involved: the caller
 * has proven the password (a sign-up has just set it). */
int auth_session_open(struct db *db, const struct user *u, const char *client_addr,
                      const char *request_id, int64_t now, struct login_result *out);

/* Resolves a session token to its account, enforcing the timeouts and
 * refreshing the idle timer. YQ_OK with *a filled (request id and address
 * are the caller's), or YQ_EUNAUTH with p saying why. */
int auth_resolve(struct db *db, const char *token, struct actor *a, char csrf[65],
                 struct problem *p);

/* The actor of an account named at the command line (`yunquan export
 * --as USERNAME`): its role and county scope, as if it had signed in, but
 * without a session (nothing is written). YQ_OK, or YQ_ENOTFOUND (no
 * such account), YQ_EFORBIDDEN (disabled by an administrator) or a
 * database status, with p saying why in Chinese. */
int auth_actor_of(struct db *db, const char *username, struct actor *a, struct problem *p);

/* Ends every session of the actor's account (every browser and device
 * signed in as it), audited as the actor. */
int auth_logout(struct db *db, const struct actor *a);

#endif
