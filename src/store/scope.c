/* Row scopes as SQL (see scope.h). */
#include "store/scope.h"

#include <stdio.h>

void scope_where(struct rows_where *w, const struct row_scope *s, const char *alias)
{
    char frag[160];
    if (s->all) return;
    if (s->ncounties > 0) {
        snprintf(frag, sizeof frag, "%s.county_code", alias);
        rows_where_in(w, frag, s->counties, s->ncounties);
    } else if (s->enterprise_user) {
        snprintf(frag, sizeof frag,
                 "%s.enterprise_id IN (SELECT id FROM enterprises WHERE user_id = ?)", alias);
        rows_where_text(w, frag, s->enterprise_user, 1);
    } else if (s->provider_user) {
        snprintf(frag, sizeof frag,
                 "%s.provider_id IN (SELECT id FROM providers WHERE user_id = ?)", alias);
        rows_where_text(w, frag, s->provider_user, 1);
    } else {
        rows_where_sql(w, "1 = 0");
    }
}
