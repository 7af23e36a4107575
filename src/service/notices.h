/* Public notices (公示, SPEC §7 step 3): county_it opens a notice over
 * approved applications on a date; it may close no earlier than the end of
 * the Nth working day after opening (N a program parameter ≥ 5, counted on
 * the official calendar) and never while an objection is open. Anyone may
 * file an objection (rate-limited per address; the contact is never shown
 * publicly); county_it dismisses it (reason shown publicly) or upholds it,
 * which sends the application back to review (it leaves the notice). */
#ifndef YQ_SERVICE_NOTICES_H
#define YQ_SERVICE_NOTICES_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"
#include "store/list_filter.h"

#include <jansson.h>
#include <stdint.h>

/* At most this many objections from one address per hour. */
#define OBJECTIONS_PER_HOUR 5

json_t *notices_open(struct db *db, const struct actor *a, json_t *body, struct problem *p);
json_t *notices_close(struct db *db, const struct actor *a, const char *id, struct problem *p);
json_t *notices_list(struct db *db, const struct actor *a, const struct list_filter *f,
                     const char *period, int64_t offset, int64_t limit, struct problem *p);
json_t *notices_read(struct db *db, const struct actor *a, const char *id, struct problem *p);
json_t *notices_public_list(struct db *db, int64_t offset, int64_t limit, struct problem *p);
json_t *notices_public_read(struct db *db, const char *id, struct problem *p);
json_t *objections_file(struct db *db, const char *notice_id, json_t *body, const char *client_addr,
                        const char *request_id, struct problem *p);
json_t *objections_resolve(struct db *db, const struct actor *a, const char *id, json_t *body,
                           struct problem *p);

#endif
