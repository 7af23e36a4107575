/* Helpers shared by the party use cases (parties.c) and sign-up
 * (parties_signup.c); not for other modules. */
#ifndef YQ_SERVICE_PARTIES_INTERNAL_H
#define YQ_SERVICE_PARTIES_INTERNAL_H

#include "service/parties.h"

/* The table of a kind of party ("enterprises" or "providers"). */
const char *parties_table(enum party_kind k);
/* 403-like refusals with the field named: the USCC is on the negative list,
 * or registered to another party than except_id. */
int parties_check_not_listed(struct db *db, const char *uscc, struct problem *p);
int parties_check_not_held(struct db *db, const char *uscc, const char *except_id, const char *msg,
                           struct problem *p);
/* The audit entry of a change to a party. */
int parties_audit_change(struct db *db, const struct actor *a, enum party_kind k, const char *id,
                         const char *action, json_t *before, json_t *after);

#endif
