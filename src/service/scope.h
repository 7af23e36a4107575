/* The row scope (store/scope.h) of an actor: city-wide readers see all,
 * county officials their counties, parties their own records. */
#ifndef YQ_SERVICE_SCOPE_H
#define YQ_SERVICE_SCOPE_H

#include "service/actor.h"
#include "store/scope.h"

/* Fills s from the actor; `one` is storage the scope may point into
 * (keep it alive as long as s). */
void actor_row_scope(const struct actor *a, struct row_scope *s, const char **one);

#endif
