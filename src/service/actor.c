/* Actors and their scopes. */
#include "service/actor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void actor_cli(struct actor *a)
{
    memset(a, 0, sizeof *a);
    const char *login = getenv("USER");
    snprintf(a->user.username, sizeof a->user.username, "cli:%s", login ? login : "operator");
    snprintf(a->user.role, sizeof a->user.role, "operator");
    a->role = ROLE_ADMIN;
    a->client_addr = "local";
}

struct audit_actor actor_audit(const struct actor *a)
{
    struct audit_actor who = {
        .user_id = a->user.id[0] ? a->user.id : NULL,
        .username = a->user.username[0] ? a->user.username : NULL,
        .role = a->user.role[0] ? a->user.role : NULL,
        .request_id = a->request_id,
        .client_addr = a->client_addr,
    };
    return who;
}

const char *actor_county_scope(const struct actor *a)
{
    if (a->role & ROLE_COUNTY_SCOPED) return a->user.county_code;
    return NULL;
}
