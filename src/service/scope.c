/* Actors' row scopes (see scope.h). */
#include "service/scope.h"

#include <string.h>

void actor_row_scope(const struct actor *a, struct row_scope *s, const char **one)
{
    memset(s, 0, sizeof *s);
    if (a->role & ROLE_CITY_WIDE) {
        s->all = true;
    } else if (a->role & ROLE_COUNTY_SCOPED) {
        s->ncounties = actor_county_list(a, one, &s->counties);
        if (s->ncounties == 0) s->counties = NULL;
    } else if (a->role == ROLE_ENTERPRISE) {
        s->enterprise_user = a->user.id;
    } else if (a->role == ROLE_PROVIDER) {
        s->provider_user = a->user.id;
    }
}
