/* Who is calling a use case: the signed-in account (or the operator at the
 * command line), and the request it came through. */
#ifndef YQ_SERVICE_ACTOR_H
#define YQ_SERVICE_ACTOR_H

#include "core/roles.h"
#include "store/audit.h"
#include "store/users.h"

struct actor {
    struct user user; /* id is "" for the command-line operator */
    enum role role;
    const char *request_id;
    const char *client_addr;
};

/* The operator at the command line: every role's rights, audited as
 * "cli:<login name>". */
void actor_cli(struct actor *a);
/* The audit identity of an actor (borrows from it). */
struct audit_actor actor_audit(const struct actor *a);
/* The county an actor is confined to, or NULL for city-wide roles. */
const char *actor_county_scope(const struct actor *a);

#endif
