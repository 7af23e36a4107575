/* 考核与奖补 (SPEC §9, issue 10): city_finance's award allocations (a pool
 * for a year and the weights of the four measures), their preview and
 * posting to the county pools; benchmark enterprises and experience
 * centres recorded by city_it and paid by city_finance from the city
 * account. */
#ifndef YQ_SERVICE_AWARDS_H
#define YQ_SERVICE_AWARDS_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"

#include <jansson.h>

/* A draft from body {"year", "pool_fen", "weights":{"completion",
 * "penetration", "disbursed", "performance"}, "reference"}; weights are
 * whole numbers summing to 100. Returns the allocation with its preview. */
json_t *awards_create(struct db *db, const struct actor *a, json_t *body, struct problem *p);
/* Changes a draft (same body, every member optional but year). */
json_t *awards_patch(struct db *db, const struct actor *a, const char *id, json_t *body,
                     struct problem *p);
/* The allocation with, per county, its measures, normalised measures,
 * score and share: computed now for a draft, as booked for a posted one. */
json_t *awards_preview(struct db *db, const struct actor *a, const char *id, struct problem *p);
json_t *awards_allocations(struct db *db, const struct actor *a, int year, struct problem *p);
/* Posts a draft in one transaction: recomputes the shares, funds each
 * county's pool of the year from source:city_award with the transfer
 * award:<allocation>:<county>, stores the shares, serves the waitlists.
 * Posting again books nothing and answers already_posted: true. When
 * every score is zero nothing is allocated: 422 nothing_to_allocate. */
json_t *awards_post(struct db *db, const struct actor *a, const char *id, struct problem *p);

/* body {"kind": benchmark_enterprise|experience_centre, "year",
 * "county_code", "name", "uscc" (optional), "amount_fen", "reason"}. */
json_t *awards_recipient_create(struct db *db, const struct actor *a, json_t *body,
                                struct problem *p);
/* Pays a recorded award from source:city_award (transfer
 * award-pay:<id>), body {"reference"}; paying again books nothing and
 * answers already_paid: true. */
json_t *awards_recipient_pay(struct db *db, const struct actor *a, const char *id, json_t *body,
                             struct problem *p);
json_t *awards_recipients(struct db *db, const struct actor *a, int year, struct problem *p);

#endif
