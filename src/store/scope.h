/* Which rows a caller may see, handed to the store as data: the store
 * turns it into SQL, the service fills it from the actor. */
#ifndef YQ_STORE_SCOPE_H
#define YQ_STORE_SCOPE_H

#include "store/rows.h"

#include <stdbool.h>

struct row_scope {
    bool all;                    /* city-wide readers */
    const char *const *counties; /* county officials: only these counties */
    int ncounties;
    const char *enterprise_user; /* an enterprise account: its own records */
    const char *provider_user;   /* a provider account: its own records */
};

/* Adds the scope to a WHERE over a table aliased `alias` that has
 * county_code, enterprise_id and provider_id columns. A scope that names
 * nobody matches nothing. */
void scope_where(struct rows_where *w, const struct row_scope *s, const char *alias);

#endif
