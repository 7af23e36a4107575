/* Accounts made by the administrator (officials) or the operator, and the
 * scoped reads of accounts. */
#ifndef YQ_SERVICE_ACCOUNTS_H
#define YQ_SERVICE_ACCOUNTS_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"
#include "store/users.h"

#include <jansson.h>

struct account_input {
    const char *username, *password, *role, *display_name, *county_code;
};

/* Creates an account. Through the API only official roles may be made
 * (enterprises and providers sign up themselves); the command line
 * (`allow_self_signup_roles`) may make any. Fills *out on success. */
int accounts_create(struct db *db, const struct actor *a, const struct account_input *in,
                    bool allow_self_signup_roles, struct user *out, struct problem *p);
/* The checks of accounts_create without the hashing: fields, role,
 * county (no uniqueness). YQ_OK with *role set, or YQ_EINVAL with p. */
int accounts_check(struct db *db, const struct account_input *in, bool allow_self_signup_roles,
                   enum role *role, struct problem *p);
/* The two halves of accounts_create, for use cases that make an account
 * inside a larger transaction: prepare checks and hashes (no
 * transaction); insert writes the row and its audit entry inside the
 * caller's writing transaction. */
int accounts_prepare(struct db *db, const struct account_input *in,
                     bool allow_self_signup_roles, struct user *out, struct problem *p);
int accounts_insert(struct db *db, const struct actor *a, const struct user *u,
                    struct problem *p);
/* Locks or unlocks an account; locking ends its sessions, unlocking also
 * clears its failed-login throttles from every address (audited as
 * "unlocked" when there were any). */
int accounts_set_locked(struct db *db, const struct actor *a, const char *id, bool locked,
                        struct user *out, struct problem *p);
/* Assigns the counties an evaluator works for (SPEC §1: assigned
 * counties); its own county stays among them. Fills *out with the list. */
int accounts_set_counties(struct db *db, const struct actor *a, const char *id,
                          json_t *county_codes, json_t **out, struct problem *p);
/* The counties assigned to an account (its own first), as a JSON array;
 * NULL on a database error. */
json_t *accounts_counties(struct db *db, const struct user *u);
/* Sets a new password; ends the account's sessions. YQ_EBUSY when the
 * hash gate is full. */
int accounts_set_password(struct db *db, const struct actor *a, const char *id,
                          const char *password, struct problem *p);
/* The actor changes its own password: `current` must match (422
 * wrong_password otherwise), the new one passes the password rules; every
 * other session of the account ends, the one of keep_token stays. A wrong
 * current password is charged to the login throttles (YQ_ELIMIT, 429, once
 * they apply). YQ_EBUSY when the hash gate is full. */
int accounts_change_own_password(struct db *db, const struct actor *a, const char *keep_token,
                                 const char *current, const char *password, struct problem *p);
/* One account within the actor's scope; YQ_ENOTFOUND outside it. */
int accounts_get(struct db *db, const struct actor *a, const char *id, struct user *out,
                 struct problem *p);
/* Accounts within the actor's scope that pass the filter (its county_code,
 * the scope, is set here). NULL with p filled on error. */
json_t *accounts_list(struct db *db, const struct actor *a, struct users_filter *f,
                      struct problem *p);
/* Looks an account up by username, for the command line. */
int accounts_find(struct db *db, const char *username, struct user *out, struct problem *p);

#endif
