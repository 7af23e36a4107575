/* Actors and their scopes. */
#include "service/actor.h"
#include "core/status.h"

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

void actor_cli_reader(struct actor *a)
{
    actor_cli(a);
    snprintf(a->user.role, sizeof a->user.role, "%s", role_code(ROLE_AUDITOR));
    a->role = ROLE_AUDITOR;
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

int actor_load_counties(struct db *db, struct actor *a)
{
    a->ncounties = 0;
    if (!(a->role & ROLE_COUNTY_SCOPED)) return YQ_OK;
    if (a->user.county_code[0]) {
        snprintf(a->county_store[0], sizeof a->county_store[0], "%s", a->user.county_code);
        a->counties[a->ncounties++] = a->county_store[0];
    }
    if (a->role != ROLE_EVALUATOR) return YQ_OK;
    struct user_counties assigned;
    int rc = user_counties_get(db, a->user.id, &assigned);
    if (rc != YQ_OK) return rc;
    for (int i = 0; i < assigned.n && a->ncounties < ACTOR_MAX_COUNTIES; i++) {
        if (strcmp(assigned.code[i], a->user.county_code) == 0) continue;
        int k = a->ncounties;
        snprintf(a->county_store[k], sizeof a->county_store[k], "%s", assigned.code[i]);
        a->counties[a->ncounties++] = a->county_store[k];
    }
    return YQ_OK;
}

int actor_county_list(const struct actor *a, const char **one, const char *const **list)
{
    if (a->ncounties > 0) {
        *list = a->counties;
        return a->ncounties;
    }
    *one = a->user.county_code;
    *list = one;
    return 1;
}

bool actor_in_county(const struct actor *a, const char *county)
{
    if (!(a->role & ROLE_COUNTY_SCOPED)) return true;
    for (int i = 0; i < a->ncounties; i++)
        if (strcmp(a->counties[i], county) == 0) return true;
    /* Actors made in code (demo, tests) name their county only. */
    return a->ncounties == 0 && strcmp(a->user.county_code, county) == 0;
}

const char *actor_county_scope(const struct actor *a)
{
    if (a->role & ROLE_COUNTY_SCOPED) return a->user.county_code;
    return NULL;
}
