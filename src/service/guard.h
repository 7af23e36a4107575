/* Guards against guessing and flooding (SPEC §11): the failed-login
 * delays per account and address and per address (core/lockout.h), the
 * sign-up limit per address, and their administration (list, clear).
 *
 * A login attempt is charged as a failure before its (slow) password
 * check, in one writing transaction with the throttle check, so parallel
 * guesses cannot slip past the throttle; a right password, or a check
 * that could not run, gives the charge back. */
#ifndef YQ_SERVICE_GUARD_H
#define YQ_SERVICE_GUARD_H

#include "core/lockout.h"
#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"
#include "store/throttles.h"

#include <jansson.h>

/* Sets the sign-up limit per address and hour (≥ 1); call before serving. */
void guard_set_signup_limit(int per_hour);
/* The limit in force. */
int guard_signup_limit(void);

/* One login attempt's charge. The strings are borrowed for its life. */
struct login_charge {
    const char *username, *client_addr, *request_id;
    char pair_key[THROTTLE_KEY_MAX], addr_key[THROTTLE_KEY_MAX];
    struct lockout_state pair_before, addr_before; /* as they were */
    struct lockout_state pair, addr;               /* with this attempt charged */
    int64_t at;
};

/* Checks both throttles and charges the attempt, in its own transaction
 * (a savepoint inside an open one). YQ_OK with *c filled; YQ_ELIMIT with p
 * saying how long to wait (p->retry_after) and nothing written; or a
 * database failure. */
int guard_login_charge(struct db *db, const char *username, const char *client_addr,
                       const char *request_id, int64_t now, struct login_charge *c,
                       struct problem *p);
/* The password was right: the pair starts afresh and the address gets
 * its charge back. Inside the caller's writing transaction. */
int guard_login_succeeded(struct db *db, const struct login_charge *c);
/* The right password of an account an administrator disabled: the same
 * give-back in its own transaction (best effort: a failure leaves the
 * charge). */
void guard_login_refused(struct db *db, const struct login_charge *c);
/* The password could not be checked (the hash gate was full): both get
 * the charge back, in its own transaction (best effort). */
void guard_login_uncharge(struct db *db, const struct login_charge *c);
/* The password was wrong: the charge stands; when it started the waits
 * ("throttled") or brought them to their longest ("locked") the audit log
 * says so, in its own transaction (best effort). */
void guard_login_failed(struct db *db, const struct login_charge *c);

struct signup_charge {
    char key[THROTTLE_KEY_MAX];
    struct rate_state before;
    int64_t at;
};
/* Counts one sign-up attempt from the address, in its own transaction.
 * YQ_OK; YQ_ELIMIT (p->retry_after set, nothing written) when the address
 * used up its sign-ups for the hour; or a database failure. */
int guard_signup_charge(struct db *db, const char *client_addr, int64_t now,
                        struct signup_charge *c, struct problem *p);
/* Gives a sign-up attempt back when the server failed it (best effort). */
void guard_signup_uncharge(struct db *db, const struct signup_charge *c);

/* Clears throttles inside the caller's writing transaction, audited as
 * "unlocked" when anything was cleared:
 *   username alone: the account's failures from every address;
 *   addr alone: everything of the address (its own failures, its
 *     sign-ups, its failures at every account);
 *   both: the account's failures from that address and the address's own
 *     failures and sign-ups: all that stands between them.
 * *cleared counts the rows. YQ_OK or a status with p filled. */
int guard_clear(struct db *db, const struct actor *a, const char *username, const char *addr,
                int64_t *cleared, struct problem *p);
/* guard_clear as a use case of its own (the admin API and the command
 * line): checks that a username or an address was given. */
int guard_unlock(struct db *db, const struct actor *a, const char *username, const char *addr,
                 int64_t *cleared, struct problem *p);
/* The throttles touched in the last day, newest first (at most 200):
 * {"items":[{scope, username, client_addr, count, at, wait_s}]}. NULL with
 * p filled on failure. */
json_t *guard_list(struct db *db, struct problem *p);

#endif
