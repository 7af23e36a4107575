/* Reference data (counties of 附件3) and the demo accounts of `yunquan
 * demo`: one account per role of SPEC §1, county roles on 任城区. */
#ifndef YQ_SERVICE_DEMO_H
#define YQ_SERVICE_DEMO_H

#include "core/problem.h"
#include "core/roles.h"
#include "service/actor.h"
#include "store/db.h"

#define DEMO_COUNTY "370811"

/* Loads or refreshes the reference data: counties (附件3), the reference
 * catalog (附件2) and the seed program (济经信字〔2018〕11号). Idempotent. */
int demo_load_reference(struct db *db, const struct actor *a, struct problem *p);
/* A demo program with the seed's rules starting on 1 January of the
 * current year, so that everything can be tried today. */
int demo_load_demo_program(struct db *db, const struct actor *a, struct problem *p);

struct demo_login {
    char role[24];
    char username[64];
    char password[64]; /* "" when the account already existed */
};

/* Creates the demo accounts that do not exist yet. `password` gives every
 * new account that password (tests); NULL makes a random one each. Fills
 * out[ROLE_COUNT]. */
int demo_create_accounts(struct db *db, const struct actor *a, const char *password,
                         struct demo_login out[ROLE_COUNT], struct problem *p);

/* Demo enterprises in every registration state, three approved providers
 * (one of each kind) and published catalog items. `password` as above. */
int demo_create_registry(struct db *db, const char *password, struct problem *p);

/* Budgets for every county of the demo program, contracts in every state,
 * vouchers issued and a waitlist in one county. */
int demo_create_contracts(struct db *db, struct problem *p);

/* The redemption half for 任城区 (兑现): the half-year just ended fully done
 * (filed, evaluated, approved, noticed, paid), another application on a
 * notice open today with one objection, and one waiting for evaluation.
 * Made by the use cases at the dates they would have happened, so it runs
 * only when the previous half-year of this year's program is at least 25
 * days past its end (otherwise it does nothing). Runs before
 * demo_create_contracts (confirmations keep their time order). */
int demo_create_redemptions(struct db *db, struct problem *p);

/* A demo account as an actor (county roles on their own county). */
int demo_actor(struct db *db, const char *username, struct actor *a, struct problem *p);

#endif
