/* Helpers shared by the redemption use cases: filing (redemptions.c),
 * evaluation and review (redemption_review.c), reads and pending work
 * (redemption_reads.c). Not for other modules. */
#ifndef YQ_SERVICE_REDEMPTIONS_INTERNAL_H
#define YQ_SERVICE_REDEMPTIONS_INTERNAL_H

#include "core/period.h"
#include "core/problem.h"
#include "service/actor.h"
#include "store/redemptions.h"
#include "store/standing.h"

#include <jansson.h>
#include <stdint.h>

int redemptions_not_found(struct problem *p);
int redemptions_audit(struct db *db, const struct actor *a, const char *id, const char *action,
                      json_t *before, json_t *after);
int64_t redemptions_today(void);
int redemptions_load(struct db *db, const struct actor *a, const char *id, struct redemption *r,
                     struct problem *p);
int redemptions_own_provider(struct db *db, const struct actor *a, struct party *mine,
                             struct problem *p);
int redemptions_move_allowed(enum redemption_state from, enum redemption_event ev,
                             enum redemption_state *to, const char *what, struct problem *p);
const char *redemptions_optional_text(const char *s);
int redemptions_only_fields(json_t *body, const char *const *fields, struct problem *p);
int redemptions_window_of(struct db *db, const char *program, const char *period_text,
                          struct period *per, int32_t *first, int32_t *last, struct problem *p);
int redemptions_find_item(struct redemption_item *items, size_t n, const char *voucher_id);

#endif
