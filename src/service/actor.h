/* Who is calling a use case: the signed-in account (or the operator at the
 * command line), and the request it came through. */
#ifndef YQ_SERVICE_ACTOR_H
#define YQ_SERVICE_ACTOR_H

#include "core/roles.h"
#include "store/audit.h"
#include "store/users.h"

#define ACTOR_MAX_COUNTIES 14

struct actor {
    struct user user; /* id is "" for the command-line operator */
    enum role role;
    /* The counties a county-scoped actor works for: its own, and for an
     * evaluator every county assigned to it. */
    int ncounties;
    const char *counties[ACTOR_MAX_COUNTIES];
    char county_store[ACTOR_MAX_COUNTIES][16];
    const char *request_id;
    const char *client_addr;
};

/* The operator at the command line: every role's rights, audited as
 * "cli:<login name>". */
void actor_cli(struct actor *a);
/* The operator reading at the command line (`yunquan export` without
 * --as): city-wide with the auditor's rights only, never an
 * administrator's; named "cli:<login name>" like actor_cli. */
void actor_cli_reader(struct actor *a);
/* The audit identity of an actor (borrows from it). */
struct audit_actor actor_audit(const struct actor *a);
/* The county an actor is confined to, or NULL for city-wide roles. */
const char *actor_county_scope(const struct actor *a);
/* Fills a->counties for a county-scoped actor from its account (and, for an
 * evaluator, its assigned counties). YQ_OK or a database status. */
int actor_load_counties(struct db *db, struct actor *a);
/* The counties of a county-scoped actor as a list for a query; `one` is
 * storage for the single county of actors made in code. Returns the count. */
int actor_county_list(const struct actor *a, const char **one, const char *const **list);
/* Whether a county-scoped actor works for `county` (city-wide roles: true). */
bool actor_in_county(const struct actor *a, const char *county);

#endif
